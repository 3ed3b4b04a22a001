//! The rule registry, rule metadata (from `rules/<ID>.md`) and the engine that runs rules
//! over the model.

pub mod apigw;
pub mod backup;
pub mod cloudfront;
pub mod kms;
pub mod tags;
pub mod tree;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::settings::Settings;
use crate::source::Span;
use serde::Deserialize;
use std::sync::OnceLock;
pub use tree::TreeFacts;

/// A check over the model. Rules never see syntax or formats.
///
/// A rule checks one group's model at a time (see [`tree`]): resources refer to one
/// another only within a root module or template, which a group holds whole. A rule that
/// needs other groups too records what it needs with [`Rule::gather`] and reports with
/// [`Rule::check_tree`] once every group is gathered.
pub trait Rule: Sync {
    fn id(&self) -> &'static str;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
    /// Records what [`Rule::check_tree`] needs of one group.
    fn gather(&self, _cx: &Context<'_>, _facts: &mut TreeFacts) {}
    /// Checks what every group left.
    fn check_tree(&self, _cx: &TreeContext<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// What a rule may read of one group.
pub struct Context<'a> {
    pub model: &'a Model,
    pub settings: &'a Settings,
    meta: &'a RuleMeta,
}

impl Context<'_> {
    /// A finding of the current rule at its default severity.
    pub fn finding(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        self.meta.finding(primary, message)
    }

    /// Whether the rule's policy part applies everywhere (see
    /// [`Settings::enforces_policy`]).
    pub fn policy(&self) -> bool {
        self.settings.enforces_policy(&self.meta.id)
    }
}

/// What a rule may read once every group is gathered.
pub struct TreeContext<'a> {
    pub facts: &'a TreeFacts,
    pub settings: &'a Settings,
    meta: &'a RuleMeta,
    notes: &'a Notes<'a>,
}

/// Instance notes by reference name, address and header.
type Notes<'a> =
    std::collections::HashMap<(&'a str, &'a str, Span), &'a crate::resource::InstanceNote>;

impl TreeContext<'_> {
    /// A finding of the current rule at its default severity.
    pub fn finding(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        self.meta.finding(primary, message)
    }

    /// Whether the rule's policy part applies everywhere (see
    /// [`Settings::enforces_policy`]).
    pub fn policy(&self) -> bool {
        self.settings.enforces_policy(&self.meta.id)
    }

    /// Adds what a finding about the resource `about` says whatever the rule (module call
    /// sites, may not exist), as group findings get it: for the instance itself, not
    /// another root module's instance of the same module.
    pub fn explain(&self, mut d: Diagnostic, about: &crate::model::ResourceMeta) -> Diagnostic {
        if d.primary.file == about.header.file {
            let key = (
                about.ref_name.as_str(),
                about.address.as_str(),
                about.header,
            );
            if let Some(note) = self.notes.get(&key) {
                crate::resource::explain(&mut d, note);
            }
        }
        d
    }
}

/// One registry line per rule: its document and its implementation.
pub const REGISTRY: &[(&str, &dyn Rule)] = &[
    (
        include_str!("../../rules/KMS001.md"),
        &kms::key_pinned_by_id::KeyPinnedById,
    ),
    (
        include_str!("../../rules/KMS002.md"),
        &kms::key_rotation_disabled::KeyRotationDisabled,
    ),
    (
        include_str!("../../rules/KMS003.md"),
        &kms::imported_key_rotation_untracked::ImportedKeyRotationUntracked,
    ),
    (
        include_str!("../../rules/KMS004.md"),
        &kms::rotation_period_too_long::RotationPeriodTooLong,
    ),
    (
        include_str!("../../rules/KMS005.md"),
        &kms::key_without_alias::KeyWithoutAlias,
    ),
    (
        include_str!("../../rules/KMS006.md"),
        &kms::deletion_window_too_short::DeletionWindowTooShort,
    ),
    (
        include_str!("../../rules/KMS007.md"),
        &kms::alias_in_create_time_attribute::AliasInCreateTimeAttribute,
    ),
    (
        include_str!("../../rules/KMS008.md"),
        &kms::key_pinned_needs_reencryption::KeyPinnedNeedsReencryption,
    ),
    (
        include_str!("../../rules/KMS009.md"),
        &kms::key_material_in_code::KeyMaterialInCode,
    ),
    (
        include_str!("../../rules/KMS010.md"),
        &kms::disabled_key_in_use::DisabledKeyInUse,
    ),
    (
        include_str!("../../rules/KMS011.md"),
        &kms::rotation_not_monitored::RotationNotMonitored,
    ),
    (
        include_str!("../../rules/KMS012.md"),
        &kms::rotation_not_supported::RotationNotSupported,
    ),
    (
        include_str!("../../rules/BKP001.md"),
        &backup::vault_without_lock::VaultWithoutLock,
    ),
    (
        include_str!("../../rules/BKP002.md"),
        &backup::vault_lock_governance_mode::VaultLockGovernanceMode,
    ),
    (
        include_str!("../../rules/BKP003.md"),
        &backup::retention_below_policy::RetentionBelowPolicy,
    ),
    (
        include_str!("../../rules/BKP004.md"),
        &backup::vault_without_cmk::VaultWithoutCmk,
    ),
    (
        include_str!("../../rules/BKP005.md"),
        &backup::resource_missing_tag::ResourceMissingTag,
    ),
    (
        include_str!("../../rules/BKP006.md"),
        &backup::tag_not_selected::TagNotSelected,
    ),
    (
        include_str!("../../rules/TAG001.md"),
        &tags::required_tags::RequiredTags,
    ),
    (
        include_str!("../../rules/APIGW001.md"),
        &apigw::public_endpoint_without_resource_policy::PublicEndpointWithoutResourcePolicy,
    ),
    (
        include_str!("../../rules/APIGW002.md"),
        &apigw::stage_without_waf::StageWithoutWaf,
    ),
    (
        include_str!("../../rules/APIGW003.md"),
        &apigw::resource_policy_allows_anyone::ResourcePolicyAllowsAnyone,
    ),
    (
        include_str!("../../rules/APIGW004.md"),
        &apigw::private_api_without_vpce_policy::PrivateApiWithoutVpcePolicy,
    ),
    (
        include_str!("../../rules/APIGW005.md"),
        &apigw::default_endpoint_enabled::DefaultEndpointEnabled,
    ),
    (
        include_str!("../../rules/APIGW006.md"),
        &apigw::http_api_directly_exposed::HttpApiDirectlyExposed,
    ),
    (
        include_str!("../../rules/CFR001.md"),
        &cloudfront::api_origin_without_verify_header::ApiOriginWithoutVerifyHeader,
    ),
    (
        include_str!("../../rules/CFR002.md"),
        &cloudfront::api_origin_not_https_only::ApiOriginNotHttpsOnly,
    ),
    (
        include_str!("../../rules/CFR003.md"),
        &cloudfront::forwards_host_to_api_origin::ForwardsHostToApiOrigin,
    ),
    (
        include_str!("../../rules/CFR004.md"),
        &cloudfront::distribution_without_waf::DistributionWithoutWaf,
    ),
];

/// Rule metadata: the TOML front matter of `rules/<ID>.md` and its body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "de_severity")]
    pub severity: Severity,
    pub category: String,
    pub frameworks: Vec<String>,
    pub resource_types: Vec<String>,
    pub summary: String,
    pub security_severity: String,
    #[serde(default = "yes")]
    pub enabled_by_default: bool,
    /// Whether the rule states an AWS fact, an organisation's policy, or both.
    pub kind: RuleKind,
    /// Where the policy part runs under the `recommended` profile; absent: only under
    /// `strict`, or when configured.
    #[serde(default)]
    pub premise: Option<String>,
    /// Parameters of the `strict` profile, over `params`.
    #[serde(default)]
    pub strict: toml::Table,
    /// Whether the `strict` profile runs the rule although it is off by default.
    #[serde(default)]
    pub strict_enables: bool,
    #[serde(default)]
    pub references: Vec<String>,
    /// Parameters with their defaults (`[rules.<ID>]` in the configuration).
    #[serde(default)]
    pub params: toml::Table,
    #[serde(skip)]
    pub body: String,
}

/// What a rule states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// An AWS fact that holds in every account: runs in every profile.
    Fact,
    /// An organisation's policy: runs under `strict`, when configured, or where the tree
    /// shows the policy (`premise`).
    Policy,
    /// A fact part that runs in every profile and a policy part that runs as a policy.
    FactAndPolicy,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Fact => "fact",
            RuleKind::Policy => "policy",
            RuleKind::FactAndPolicy => "fact-and-policy",
        }
    }
}

fn yes() -> bool {
    true
}

fn de_severity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    let s = String::deserialize(d)?;
    Severity::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown severity `{s}`")))
}

impl RuleMeta {
    pub fn parse(doc: &str) -> Result<RuleMeta, String> {
        let rest = doc
            .strip_prefix("+++\n")
            .ok_or("missing `+++` front matter")?;
        let end = rest.find("\n+++\n").ok_or("unterminated front matter")?;
        let mut meta: RuleMeta = toml::from_str(&rest[..end]).map_err(|e| e.to_string())?;
        meta.body = rest[end + 5..].trim_start().to_string();
        Ok(meta)
    }

    /// A finding of this rule at its default severity.
    pub fn finding(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.id.clone(), self.severity, primary, message)
    }

    /// Where the rule (its policy part) runs under a profile, in words.
    pub fn scope_under(&self, profile: crate::settings::Profile) -> String {
        use crate::settings::Profile;
        let policy = match (profile, &self.premise) {
            (Profile::Strict, _) => "everywhere".to_string(),
            (Profile::Recommended, Some(p)) => format!("only {p}"),
            (Profile::Recommended, None) => "only when configured".to_string(),
        };
        match self.kind {
            RuleKind::Fact => "everywhere (fact)".to_string(),
            RuleKind::Policy => format!("{policy} (policy)"),
            RuleKind::FactAndPolicy => format!("fact part everywhere, policy part {policy}"),
        }
    }

    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/iacguard/iacguard/blob/main/rules/{}.md",
            self.id
        )
    }

    /// The text under a `## heading` of the body.
    pub fn section(&self, heading: &str) -> Option<&str> {
        let marker = format!("## {heading}\n");
        let start = self.body.find(&marker)? + marker.len();
        let rest = &self.body[start..];
        let end = rest.find("\n## ").map(|i| i + 1).unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

/// Every rule's metadata, parsed once. The documents are embedded at build time and
/// checked by tests, so a parse failure is a build defect.
pub fn all() -> &'static [RuleMeta] {
    static ALL: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    ALL.get_or_init(|| {
        REGISTRY
            .iter()
            .map(|(doc, rule)| {
                RuleMeta::parse(doc).unwrap_or_else(|e| panic!("rules/{}.md: {e}", rule.id()))
            })
            .collect()
    })
}

/// Finds a rule by id (`KMS002`) or kebab name, case-insensitively.
pub fn find(key: &str) -> Option<&'static RuleMeta> {
    all()
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(key) || m.name.eq_ignore_ascii_case(key))
}

/// Runs every enabled rule over one group's (linked) model, and gathers what the rules
/// that span groups need of it.
pub fn run(model: &Model, settings: &Settings, facts: &mut TreeFacts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ((_, rule), meta) in REGISTRY.iter().zip(all()) {
        if !settings.rule_enabled(meta) {
            continue;
        }
        let cx = Context {
            model,
            settings,
            meta,
        };
        let start = out.len();
        rule.check(&cx, &mut out);
        rule.gather(&cx, facts);
        override_severity(settings, meta, &mut out[start..]);
    }
    out
}

/// Moves the findings that wait for a premise their group does not show into the facts
/// (the tree may show it: [`release_deferred`]); the others are reported as they are.
pub fn defer(findings: &mut Vec<Diagnostic>, facts: &mut TreeFacts) {
    if findings.iter().all(|d| d.premise.is_none()) {
        return;
    }
    let (waiting, mut kept): (Vec<Diagnostic>, Vec<Diagnostic>) = std::mem::take(findings)
        .into_iter()
        .partition(|d| d.premise.is_some_and(|p| !facts.premises.contains(p)));
    for d in &mut kept {
        d.premise = None;
    }
    *findings = kept;
    facts.deferred.extend(waiting);
}

/// The deferred findings whose premise some group of the tree shows.
pub fn release_deferred(facts: &mut TreeFacts) -> Vec<Diagnostic> {
    let premises = &facts.premises;
    std::mem::take(&mut facts.deferred)
        .into_iter()
        .filter(|d| d.premise.is_some_and(|p| premises.contains(p)))
        .map(|mut d| {
            d.premise = None;
            d
        })
        .collect()
}

/// Runs the enabled rules that span groups over what every group left.
pub fn run_tree(facts: &TreeFacts, settings: &Settings) -> Vec<Diagnostic> {
    let notes: Notes<'_> = facts
        .notes
        .iter()
        .map(|n| ((n.ref_name.as_str(), n.address.as_str(), n.header), n))
        .collect();
    let mut out = Vec::new();
    for ((_, rule), meta) in REGISTRY.iter().zip(all()) {
        if !settings.rule_enabled(meta) {
            continue;
        }
        let cx = TreeContext {
            facts,
            settings,
            meta,
            notes: &notes,
        };
        let start = out.len();
        rule.check_tree(&cx, &mut out);
        override_severity(settings, meta, &mut out[start..]);
    }
    out
}

fn override_severity(settings: &Settings, meta: &RuleMeta, found: &mut [Diagnostic]) {
    if let Some(sev) = settings.severity_override(&meta.id) {
        for d in found {
            d.severity = sev;
        }
    }
}
