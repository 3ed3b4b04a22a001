//! The rule registry and the engine that runs rules over the model. A rule's metadata and
//! parameter defaults come from its document (`rules/<ID>.md`, [`meta`]); its parameters
//! are typed ([`params`]).

pub mod apigw;
pub mod backup;
pub mod cloudfront;
pub mod kms;
pub mod meta;
pub mod params;
pub mod tags;
pub mod tree;

use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::settings::Settings;
use crate::source::Span;
pub use meta::{RuleKind, RuleMeta};
pub use params::NoParams;
use serde::de::DeserializeOwned;
use std::sync::OnceLock;
pub use tree::{Summary, TreeFacts};

/// A check over the model. Rules never see syntax or formats.
///
/// A rule checks one group's model at a time (see [`tree`]): resources refer to one
/// another only within a root module or template, which a group holds whole. A rule that
/// needs other groups too records what it needs with [`Rule::gather`] (its own
/// [`Summary`], [`Context::summary`]) and reports with [`Rule::check_tree`] once every
/// group is gathered. Its id, name and severity are those of its document.
pub trait Rule: Sync {
    /// The rule's parameters ([`NoParams`] for none): a `#[derive(Deserialize)]
    /// #[serde(deny_unknown_fields)]` struct read from the document's `params`, with the
    /// `strict` profile's and the configuration's over them ([`params`]). No field has a
    /// default in code.
    type Params: DeserializeOwned + Send + Sync + 'static;
    /// Checks one group's model.
    fn check(&self, _cx: &Context<'_, Self::Params>, _out: &mut Vec<Diagnostic>) {}
    /// Records what [`Rule::check_tree`] needs of one group.
    fn gather(&self, _cx: &Context<'_, Self::Params>, _facts: &mut TreeFacts) {}
    /// Checks what every group left.
    fn check_tree(&self, _cx: &TreeContext<'_, Self::Params>, _out: &mut Vec<Diagnostic>) {}
}

/// What a rule may read of one group.
pub struct Context<'a, P = NoParams> {
    pub model: &'a Model,
    pub settings: &'a Settings,
    /// The rule's parameters.
    pub params: &'a P,
    id: &'static str,
    meta: &'a RuleMeta,
}

impl<P> Context<'_, P> {
    /// A finding of the current rule at its default severity.
    pub fn finding(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        self.meta.finding(primary, message)
    }

    /// Whether the rule's policy part applies everywhere (see
    /// [`RuleMeta::enforces_policy`]).
    pub fn policy(&self) -> bool {
        self.meta.enforces_policy(self.settings)
    }

    /// The rule document's snippet `name` in the dialect of the resource it is about,
    /// its `{placeholders}` filled in ([`RuleMeta::snippet`]).
    pub fn snippet(
        &self,
        name: &str,
        about: &crate::model::ResourceMeta,
        args: &[(&str, &str)],
    ) -> String {
        self.meta.snippet(name, about.dialect, args)
    }

    /// The rule's summary in the facts of the group (created empty on first use).
    pub fn summary<'f, S: Summary>(&self, facts: &'f mut TreeFacts) -> &'f mut S {
        facts.summaries.get_mut(self.id)
    }
}

/// What a rule may read once every group is gathered.
pub struct TreeContext<'a, P = NoParams> {
    pub facts: &'a TreeFacts,
    pub settings: &'a Settings,
    /// The rule's parameters.
    pub params: &'a P,
    id: &'static str,
    meta: &'a RuleMeta,
    notes: &'a Notes<'a>,
}

/// Instance notes by reference name, address and header.
type Notes<'a> =
    std::collections::HashMap<(&'a str, &'a str, Span), &'a crate::resource::InstanceNote>;

impl<P> TreeContext<'_, P> {
    /// A finding of the current rule at its default severity.
    pub fn finding(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        self.meta.finding(primary, message)
    }

    /// Whether the rule's policy part applies everywhere (see
    /// [`RuleMeta::enforces_policy`]).
    pub fn policy(&self) -> bool {
        self.meta.enforces_policy(self.settings)
    }

    /// The rule's summary, merged across groups (`None` when no group gathered one).
    pub fn summary<S: Summary>(&self) -> Option<&S> {
        self.facts.summaries.get(self.id)
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

/// The engine's view of a [`Rule`], its parameter type erased.
pub trait Registered: Sync {
    /// Checks configured parameters against the rule's parameter type: `Err((key,
    /// message))`.
    fn validate_params(
        &self,
        meta: &RuleMeta,
        configured: &toml::Table,
    ) -> Result<(), (String, String)>;
    /// Reads the rule's parameters from its document alone, under each profile.
    fn check_defaults(&self, meta: &RuleMeta) -> Result<(), String>;
    /// Checks one group and gathers its summary.
    fn run_group(
        &self,
        on: Run<'_>,
        model: &Model,
        facts: &mut TreeFacts,
        out: &mut Vec<Diagnostic>,
    );
    /// Checks what every group left.
    fn run_tree(
        &self,
        on: Run<'_>,
        facts: &TreeFacts,
        notes: &Notes<'_>,
        out: &mut Vec<Diagnostic>,
    );
}

/// A rule's registry id, document and the settings it runs under.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    id: &'static str,
    meta: &'a RuleMeta,
    settings: &'a Settings,
    /// The rule's place in [`REGISTRY`] when `meta` is its registered document (whose
    /// parameters under a profile are read once, [`with_params`]).
    index: Option<usize>,
}

/// A rule's parameters under each profile, from its registered document alone (no
/// configured parameters): read once, not for every group.
type Defaults = Vec<[OnceLock<Box<dyn std::any::Any + Send + Sync>>; 2]>;

/// Calls `f` with the rule's parameters (not at all if they do not read: configured
/// parameters are checked when the configuration is read, and the documents' by a test).
fn with_params<P: DeserializeOwned + Send + Sync + 'static>(on: Run<'_>, f: impl FnOnce(&P)) {
    static DEFAULTS: OnceLock<Defaults> = OnceLock::new();
    let index = on.index.filter(|_| !on.settings.params.contains_key(on.id));
    if let Some(i) = index {
        let defaults = DEFAULTS.get_or_init(|| {
            REGISTRY
                .iter()
                .map(|_| [OnceLock::new(), OnceLock::new()])
                .collect()
        });
        let strict = usize::from(on.settings.profile == crate::settings::Profile::Strict);
        if let Some(slot) = defaults.get(i).map(|d| &d[strict]) {
            let cached =
                slot.get_or_init(|| Box::new(params::resolve::<P>(on.meta, on.settings).ok()));
            if let Some(Some(p)) = cached.downcast_ref::<Option<P>>() {
                f(p);
            }
            return;
        }
    }
    if let Ok(p) = params::resolve::<P>(on.meta, on.settings) {
        f(&p);
    }
}

impl<R: Rule> Registered for R {
    fn validate_params(
        &self,
        meta: &RuleMeta,
        configured: &toml::Table,
    ) -> Result<(), (String, String)> {
        params::validate::<R::Params>(meta, configured)
    }

    fn check_defaults(&self, meta: &RuleMeta) -> Result<(), String> {
        for profile in crate::settings::Profile::ALL {
            let settings = Settings {
                profile,
                ..Settings::default()
            };
            params::resolve::<R::Params>(meta, &settings)
                .map_err(|e| format!("under the {} profile: {e}", profile.as_str()))?;
        }
        Ok(())
    }

    fn run_group(
        &self,
        on: Run<'_>,
        model: &Model,
        facts: &mut TreeFacts,
        out: &mut Vec<Diagnostic>,
    ) {
        with_params(on, |params: &R::Params| {
            let cx = Context {
                model,
                settings: on.settings,
                params,
                id: on.id,
                meta: on.meta,
            };
            self.check(&cx, out);
            self.gather(&cx, facts);
        });
    }

    fn run_tree(
        &self,
        on: Run<'_>,
        facts: &TreeFacts,
        notes: &Notes<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        with_params(on, |params: &R::Params| {
            let cx = TreeContext {
                facts,
                settings: on.settings,
                params,
                id: on.id,
                meta: on.meta,
                notes,
            };
            self.check_tree(&cx, out);
        });
    }
}

/// A registry line: a rule's id, its document `rules/<ID>.md` (embedded at build time)
/// and its implementation.
pub struct Entry {
    pub id: &'static str,
    pub doc: &'static str,
    pub rule: &'static dyn Registered,
}

/// One line per rule, `ID => implementation`: the id names the document, whose front
/// matter must carry the same id (tested).
macro_rules! registry {
    ($($id:ident => $rule:path,)*) => {
        /// Every rule, with its document.
        pub const REGISTRY: &[Entry] = &[$(
            Entry {
                id: stringify!($id),
                doc: include_str!(concat!("../../rules/", stringify!($id), ".md")),
                rule: &$rule,
            },
        )*];
    };
}

registry! {
    KMS001 => kms::key_pinned_by_id::KeyPinnedById,
    KMS002 => kms::key_rotation_disabled::KeyRotationDisabled,
    KMS003 => kms::imported_key_rotation_untracked::ImportedKeyRotationUntracked,
    KMS004 => kms::rotation_period_too_long::RotationPeriodTooLong,
    KMS005 => kms::key_without_alias::KeyWithoutAlias,
    KMS006 => kms::deletion_window_too_short::DeletionWindowTooShort,
    KMS007 => kms::alias_in_create_time_attribute::AliasInCreateTimeAttribute,
    KMS008 => kms::key_pinned_needs_reencryption::KeyPinnedNeedsReencryption,
    KMS009 => kms::key_material_in_code::KeyMaterialInCode,
    KMS010 => kms::disabled_key_in_use::DisabledKeyInUse,
    KMS011 => kms::rotation_not_monitored::RotationNotMonitored,
    KMS012 => kms::rotation_not_supported::RotationNotSupported,
    BKP001 => backup::vault_without_lock::VaultWithoutLock,
    BKP002 => backup::vault_lock_governance_mode::VaultLockGovernanceMode,
    BKP003 => backup::retention_below_policy::RetentionBelowPolicy,
    BKP004 => backup::vault_without_cmk::VaultWithoutCmk,
    BKP005 => backup::resource_missing_tag::ResourceMissingTag,
    BKP006 => backup::tag_not_selected::TagNotSelected,
    TAG001 => tags::required_tags::RequiredTags,
    APIGW001 => apigw::public_endpoint_without_resource_policy::PublicEndpointWithoutResourcePolicy,
    APIGW002 => apigw::stage_without_waf::StageWithoutWaf,
    APIGW003 => apigw::resource_policy_allows_anyone::ResourcePolicyAllowsAnyone,
    APIGW004 => apigw::private_api_without_vpce_policy::PrivateApiWithoutVpcePolicy,
    APIGW005 => apigw::default_endpoint_enabled::DefaultEndpointEnabled,
    APIGW006 => apigw::http_api_directly_exposed::HttpApiDirectlyExposed,
    CFR001 => cloudfront::api_origin_without_verify_header::ApiOriginWithoutVerifyHeader,
    CFR002 => cloudfront::api_origin_not_https_only::ApiOriginNotHttpsOnly,
    CFR003 => cloudfront::forwards_host_to_api_origin::ForwardsHostToApiOrigin,
    CFR004 => cloudfront::distribution_without_waf::DistributionWithoutWaf,
}

/// Every rule's metadata, parsed once. The documents are embedded at build time and
/// checked by tests, so a parse failure is a build defect.
pub fn all() -> &'static [RuleMeta] {
    static ALL: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    ALL.get_or_init(|| {
        REGISTRY
            .iter()
            .map(|e| {
                RuleMeta::parse(e.doc).unwrap_or_else(|err| panic!("rules/{}.md: {err}", e.id))
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

/// Checks configured parameters (`[rules.<ID>]`) of a rule: `Err((key, message))`.
pub fn validate_params(meta: &RuleMeta, configured: &toml::Table) -> Result<(), (String, String)> {
    match REGISTRY.iter().find(|e| e.id == meta.id) {
        Some(e) => e.rule.validate_params(meta, configured),
        None => Err((String::new(), format!("unknown rule `{}`", meta.id))),
    }
}

/// The rules whose documents' parameters (`params`, and `strict` over them) do not read
/// as the rule's parameter type: a missing, unknown or ill-typed default.
pub fn document_params_errors() -> Vec<String> {
    REGISTRY
        .iter()
        .zip(all())
        .filter_map(|(e, meta)| {
            e.rule
                .check_defaults(meta)
                .err()
                .map(|err| format!("rules/{}.md: {err}", e.id))
        })
        .collect()
}

/// A rule's parameters under the settings, for code outside the rule that shares them
/// (the key inventory reads KMS003's rotation-date tag).
pub fn params_of<P: DeserializeOwned>(id: &str, settings: &Settings) -> Option<P> {
    params::resolve(find(id)?, settings).ok()
}

/// Runs every enabled rule over one group's (linked) model, and gathers what the rules
/// that span groups need of it.
pub fn run(model: &Model, settings: &Settings, facts: &mut TreeFacts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, (entry, meta)) in REGISTRY.iter().zip(all()).enumerate() {
        if !meta.enabled(settings) {
            continue;
        }
        let on = Run {
            id: entry.id,
            meta,
            settings,
            index: Some(index),
        };
        let start = out.len();
        entry.rule.run_group(on, model, facts, &mut out);
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
    for (index, (entry, meta)) in REGISTRY.iter().zip(all()).enumerate() {
        if !meta.enabled(settings) {
            continue;
        }
        let on = Run {
            id: entry.id,
            meta,
            settings,
            index: Some(index),
        };
        let start = out.len();
        entry.rule.run_tree(on, facts, &notes, &mut out);
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
