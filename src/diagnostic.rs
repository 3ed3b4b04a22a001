//! Findings: a rule id, a severity, a message and the spans that show why.

use crate::source::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A secondary span with a short explanation ("alias for this key defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A rule id (`KMS002`) or an analysis code (`parse-error`).
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub primary: Span,
    /// The resource the finding is about (`module.m.aws_kms_key.a[0]`, a CFN logical id).
    pub address: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Spans holding secrets (key material): blanked in the sources before any output.
    pub redact: Vec<Span>,
    /// In a CloudFormation template, the path of the primary span
    /// (`Resources.Key.Properties.EnableKeyRotation`).
    pub logical_path: Option<String>,
    /// A premise of the tree this finding waits for (a policy rule under the
    /// `recommended` profile, when its own group does not show the policy): reported only
    /// when some group of the tree shows it (see `rules::TreeFacts::premises`).
    pub premise: Option<&'static str>,
    /// What resolves the finding, when a rule knows (see [`crate::fix`]).
    pub fix: Option<Box<crate::fix::Fix>>,
}

impl Diagnostic {
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        primary: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            message: message.into(),
            primary,
            address: None,
            labels: Vec::new(),
            help: None,
            redact: Vec::new(),
            logical_path: None,
            premise: None,
            fix: None,
        }
    }

    pub fn with_address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Labels where a value came from (a variable default, a tfvars entry, a parameter),
    /// when that is not where it is used.
    pub fn with_origin(self, from: Option<Span>) -> Self {
        match from {
            Some(span) => self.with_label(span, "value set here"),
            None => self,
        }
    }

    /// Makes the finding wait for a premise of the tree (see [`Diagnostic::premise`]).
    pub fn when_tree_shows(mut self, premise: &'static str) -> Self {
        self.premise = Some(premise);
        self
    }

    pub fn with_fix(mut self, fix: crate::fix::Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The deterministic report order: file, position, rule, then message.
    pub fn sort_key(&self) -> (u32, u32, u32, &str, &str) {
        (
            self.primary.file,
            self.primary.start,
            self.primary.end,
            self.rule.as_str(),
            self.message.as_str(),
        )
    }
}

/// Analysis codes that are not rules: problems reading or understanding the input.
pub mod codes {
    /// A file that does not parse, or input iacguard refuses (aliases, duplicate keys).
    pub const PARSE_ERROR: &str = "parse-error";
    /// A file that could not be analysed at all (unreadable, too large, not UTF-8).
    pub const FILE_SKIPPED: &str = "file-skipped";
    /// Something in an otherwise valid file that the evaluator could not follow.
    pub const EVAL_NOTE: &str = "evaluation-note";
    /// A mapping key written twice in a CloudFormation template: the last value is
    /// analysed, as CloudFormation deploys it.
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    /// Security-relevant attributes (ones a rule reads) that a construct the evaluator does
    /// not follow leaves unknown: one note per module directory.
    pub const NOT_EVALUATED: &str = "not-evaluated";
    /// A suppression comment that suppresses nothing.
    pub const UNUSED_SUPPRESSION: &str = "unused-suppression";
    /// A suppression comment with no `-- reason`.
    pub const SUPPRESSION_WITHOUT_REASON: &str = "suppression-without-reason";
}
