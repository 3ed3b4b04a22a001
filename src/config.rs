//! `.iacguard.toml`: rule selection, severities, the failing severity, excludes, rule
//! parameters and evaluation inputs. Unknown keys and invalid values are errors with a
//! span in the file.

use crate::diagnostic::Severity;
use crate::rules;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".iacguard.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// `recommended` (default) or `strict`.
    pub profile: Option<String>,
    /// Rules to run (ids, names or id prefixes such as `KMS`); default: the rules on by
    /// default.
    pub select: Option<Vec<String>>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity per rule: `error`, `warning`, `note`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// The lowest severity that makes the exit status 1.
    pub fail_on: Option<String>,
    /// Globs of paths (relative to the scan root) not to analyse.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule parameters, `[rules.KMS003]`.
    #[serde(default)]
    pub rules: BTreeMap<String, toml::Table>,
    /// Terraform variable files, after the automatic ones.
    #[serde(default)]
    pub var_files: Vec<String>,
    /// Terraform root variables.
    #[serde(default)]
    pub vars: BTreeMap<String, toml::Value>,
    /// CloudFormation parameter overrides.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

/// A configuration error, located in the file.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Range<usize>,
    pub message: String,
}

impl ConfigError {
    /// `path:line:column: message`, with the offending line.
    pub fn render(&self) -> String {
        use codespan_reporting::diagnostic::{Diagnostic, Label};
        use codespan_reporting::files::SimpleFile;
        use codespan_reporting::term::{self, termcolor::Buffer, Config};
        let file = SimpleFile::new(self.path.display().to_string(), self.text.as_str());
        let d = Diagnostic::error()
            .with_code("config")
            .with_message(&self.message)
            .with_labels(vec![Label::primary((), self.span.clone())]);
        let mut buf = Buffer::no_color();
        match term::emit_to_write_style(&mut buf, &Config::default(), &file, &d) {
            Ok(()) => String::from_utf8_lossy(buf.as_slice()).into_owned(),
            Err(_) => format!("{}: {}", self.path.display(), self.message),
        }
    }
}

/// Finds `.iacguard.toml` in `start` or a parent, up to the repository root (a directory
/// holding `.git`).
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// The span of the first occurrence of `needle` after `after`, or the whole first line.
fn locate(text: &str, after: usize, needle: &str) -> Range<usize> {
    match text.get(after..).and_then(|t| t.find(needle)) {
        Some(i) => after + i..after + i + needle.len(),
        None => 0..text.find('\n').unwrap_or(text.len()),
    }
}

fn section_start(text: &str, header: &str) -> usize {
    text.find(header).unwrap_or(0)
}

pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: String::new(),
        span: 0..0,
        message: format!("cannot read the configuration: {e}"),
    })?;
    let err = |span: Range<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        text: text.clone(),
        span,
        message,
    };
    let cfg: ConfigFile = toml::from_str(&text).map_err(|e| {
        err(
            e.span().unwrap_or(0..0),
            e.message().trim_end_matches('\n').to_string(),
        )
    })?;
    if let Some(p) = &cfg.profile {
        if crate::settings::Profile::parse(p).is_none() {
            return Err(err(
                locate(&text, 0, &format!("\"{p}\"")),
                format!("unknown profile `{p}`: expected recommended or strict"),
            ));
        }
    }
    let known = |key: &str| key_matches_any_rule(key);
    for key in cfg.select.iter().flatten().chain(&cfg.ignore) {
        if !known(key) {
            return Err(err(
                locate(&text, 0, &format!("\"{key}\"")),
                format!("unknown rule `{key}` (see `iacguard rules`)"),
            ));
        }
    }
    for (rule, sev) in &cfg.severity {
        if rules::find(rule).is_none() {
            return Err(err(
                locate(&text, section_start(&text, "severity"), rule),
                format!("unknown rule `{rule}`"),
            ));
        }
        if Severity::parse(sev).is_none() {
            return Err(err(
                locate(
                    &text,
                    section_start(&text, "severity"),
                    &format!("\"{sev}\""),
                ),
                format!("unknown severity `{sev}`: expected error, warning or note"),
            ));
        }
    }
    if let Some(f) = &cfg.fail_on {
        if Severity::parse(f).is_none() {
            return Err(err(
                locate(&text, 0, &format!("\"{f}\"")),
                format!("unknown severity `{f}`: expected error, warning or note"),
            ));
        }
    }
    for g in &cfg.exclude {
        if let Err(e) = globset::Glob::new(g) {
            return Err(err(
                locate(&text, 0, &format!("\"{g}\"")),
                format!("invalid glob `{g}`: {e}"),
            ));
        }
    }
    for (rule, params) in &cfg.rules {
        let header = format!("[rules.{rule}]");
        let start = section_start(&text, &header);
        let Some(meta) = rules::find(rule) else {
            return Err(err(
                locate(&text, 0, &header),
                format!("unknown rule `{rule}`"),
            ));
        };
        rules::validate_params(meta, params)
            .map_err(|(key, m)| err(locate(&text, start, &key), m))?;
    }
    Ok(cfg)
}

/// Whether a selector names at least one rule (an id, a name or an id prefix).
pub fn key_matches_any_rule(key: &str) -> bool {
    rules::all()
        .iter()
        .any(|m| m.id.eq_ignore_ascii_case(key) || m.name == key || m.id.starts_with(key))
}
