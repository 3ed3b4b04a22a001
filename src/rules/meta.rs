//! A rule's document: the TOML front matter of `rules/<ID>.md` (the one source of its id,
//! name, severity, parameters and their defaults) and its body; which rules the settings
//! run.

use crate::diagnostic::{Diagnostic, Severity};
use crate::settings::{Profile, Settings};
use crate::source::Span;
use serde::Deserialize;

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
    /// The model resources the rule judges, one audit verdict each (`kms-key`, ...; see
    /// `audit::subjects::KINDS`).
    #[serde(default)]
    pub subject: Option<String>,
    /// The fields of the subject the rule needs: when one is not statically known and
    /// the rule reports nothing, the verdict is `undecided`.
    #[serde(default)]
    pub reads: Vec<String>,
    /// Parameters with their defaults (`[rules.<ID>]` in the configuration).
    #[serde(default)]
    pub params: toml::Table,
    /// Phrases of help and messages that depend on how a resource is written: by name,
    /// then by the dialect the adapters give the resource (`ResourceMeta::dialect`, one of
    /// `frameworks`), with `{placeholders}` the rule fills in.
    #[serde(default)]
    pub snippets: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
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

    /// A snippet in a dialect, its `{placeholders}` filled in (empty when the document has
    /// none: tests/meta.rs checks that every snippet a rule uses is there for every
    /// dialect).
    pub fn snippet(&self, name: &str, dialect: &str, args: &[(&str, &str)]) -> String {
        let Some(text) = self.snippets.get(name).and_then(|d| d.get(dialect)) else {
            return String::new();
        };
        let mut out = text.clone();
        for (k, v) in args {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    /// A finding of this rule at its default severity.
    pub fn finding(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.id.clone(), self.severity, primary, message)
    }

    /// Where the rule (its policy part) runs under a profile, in words.
    pub fn scope_under(&self, profile: Profile) -> String {
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

    /// Whether a selector (`KMS002`, `kms-key-rotation-disabled`, `KMS`) names this rule.
    pub fn selected_by(&self, selector: &str) -> bool {
        selector.eq_ignore_ascii_case(&self.id)
            || selector == self.name
            || (!selector.is_empty() && self.id.starts_with(selector))
    }

    /// Whether the settings run this rule.
    pub fn enabled(&self, settings: &Settings) -> bool {
        let named = |list: &[String]| list.iter().any(|r| self.selected_by(r));
        if named(&settings.ignore) {
            return false;
        }
        let by_default =
            self.enabled_by_default || (self.strict_enables && settings.profile == Profile::Strict);
        if settings.select.is_empty() {
            by_default
        } else if by_default {
            named(&settings.select)
        } else {
            // Rules off by default must be named, not reached by a prefix.
            settings
                .select
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&self.id) || *r == self.name)
        }
    }

    /// Whether the rule's organisation-policy part applies everywhere: under the `strict`
    /// profile, or when the configuration sets the rule's parameters or selects the rule
    /// by its id or name (a prefix such as `KMS` does not count). Otherwise a policy
    /// applies only where the tree shows it (see each rule's `premise`).
    pub fn enforces_policy(&self, settings: &Settings) -> bool {
        settings.profile == Profile::Strict
            || settings.params.contains_key(&self.id)
            || settings
                .select
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&self.id) || self.name == *s)
    }

    /// What `iacguard explain` prints: the metadata, where the rule runs under each
    /// profile, its parameters with their defaults, and the document's body.
    pub fn explain(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "# {} {}\n", self.id, self.name);
        let _ = writeln!(
            out,
            "Default severity: {}{}. Frameworks: {}.\n",
            self.severity.as_str(),
            if self.enabled_by_default {
                ""
            } else {
                " (off by default)"
            },
            self.frameworks.join(", ")
        );
        let _ = writeln!(out, "Kind: {}.", self.kind.as_str());
        for p in Profile::ALL {
            let _ = writeln!(
                out,
                "Under the {} profile: {}.",
                p.as_str(),
                self.scope_under(p)
            );
        }
        out.push('\n');
        if !self.params.is_empty() {
            let _ = writeln!(out, "Parameters ([rules.{}] in .iacguard.toml):", self.id);
            for (k, v) in &self.params {
                match self.strict.get(k) {
                    Some(s) => {
                        let _ = writeln!(out, "  {k} = {v} (strict profile: {s})");
                    }
                    None => {
                        let _ = writeln!(out, "  {k} = {v}");
                    }
                }
            }
            out.push('\n');
        }
        out.push_str(&self.body);
        out
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
