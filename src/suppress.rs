//! Suppressions: inline comments (`# iacguard:ignore KMS002 -- reason`), file-wide
//! comments, CloudFormation `Metadata.iacguard.ignore`, and the equivalent Checkov, tfsec
//! and Trivy comments. Suppressed findings are kept (SARIF shows them as suppressed);
//! suppressions that suppress nothing are reported.

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::tree::{Node, NodeKind};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Iacguard,
    /// A Checkov, tfsec or Trivy comment honoured for the equivalent rule.
    OtherTool,
}

#[derive(Debug, Clone)]
pub struct Suppression {
    pub span: Span,
    /// Rule ids; empty means every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// 1-based line the suppression applies to (ignored when file-wide or by address).
    pub line: usize,
    pub file_wide: bool,
    /// A CloudFormation resource's logical id (Metadata form).
    pub address: Option<String>,
    pub origin: Origin,
}

/// Other tools' check ids for the same concern, and the iacguard rule they stand for.
const EQUIVALENTS: &[(&str, &str)] = &[
    ("CKV_AWS_7", "KMS002"),
    ("aws-kms-auto-rotate-keys", "KMS002"),
    ("AVD-AWS-0065", "KMS002"),
    ("CKV_AWS_166", "BKP004"),
    ("CKV2_AWS_29", "APIGW002"),
];

fn equivalent(check: &str) -> Option<&'static str> {
    EQUIVALENTS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(check))
        .map(|(_, r)| *r)
}

/// Finds the suppression comments of one file.
pub fn scan_comments(file: FileId, text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut off = 0;
        for l in text.split_inclusive('\n') {
            v.push((off, l.trim_end_matches(['\n', '\r'])));
            off += l.len();
        }
        v
    };
    for (i, (off, line)) in lines.iter().enumerate() {
        let Some(c) = comment_start(line) else {
            continue;
        };
        let body = line[c..].trim_start_matches(['#', '/']).trim_start();
        let code_before = !line[..c].trim().is_empty();
        let target = if code_before {
            i + 1
        } else {
            // The next line that is neither blank nor a comment.
            lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, (_, l))| {
                    let t = l.trim_start();
                    !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                })
                .map(|(j, _)| j + 1)
                .unwrap_or(i + 1)
        };
        let span = Span::new(file, off + c, off + line.len());
        if let Some(rest) = body.strip_prefix("iacguard:ignore-file") {
            let (rules, reason) = parse_ids(rest);
            out.push(Suppression {
                span,
                rules,
                reason,
                line: target,
                file_wide: true,
                address: None,
                origin: Origin::Iacguard,
            });
        } else if let Some(rest) = body.strip_prefix("iacguard:ignore") {
            let (rules, reason) = parse_ids(rest);
            out.push(Suppression {
                span,
                rules,
                reason,
                line: target,
                file_wide: false,
                address: None,
                origin: Origin::Iacguard,
            });
        } else if let Some(rest) = body.strip_prefix("checkov:skip=") {
            let (check, reason) = rest.split_once(':').unwrap_or((rest, ""));
            if let Some(rule) = equivalent(check.trim()) {
                out.push(Suppression {
                    span,
                    rules: vec![rule.into()],
                    reason: Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
                    line: target,
                    file_wide: false,
                    address: None,
                    origin: Origin::OtherTool,
                });
            }
        } else if let Some(rest) = body
            .strip_prefix("tfsec:ignore:")
            .or_else(|| body.strip_prefix("trivy:ignore:"))
        {
            let check = rest.split([' ', '[', ':']).next().unwrap_or("");
            if let Some(rule) = equivalent(check) {
                out.push(Suppression {
                    span,
                    rules: vec![rule.into()],
                    reason: None,
                    line: target,
                    file_wide: false,
                    address: None,
                    origin: Origin::OtherTool,
                });
            }
        }
    }
    out
}

/// Where a comment starts on a line (`#` or `//` outside a string), if it does.
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'#' if !in_str => return Some(i),
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// `KMS002, KMS001 -- reason` → ids and reason.
fn parse_ids(rest: &str) -> (Vec<String>, Option<String>) {
    let (ids, reason) = match rest.split_once("--") {
        Some((a, b)) => (a, Some(b.trim().to_string()).filter(|r| !r.is_empty())),
        None => (rest, None),
    };
    let rules = ids
        .split([',', ' ', ':'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            crate::rules::find(s)
                .map(|m| m.id.clone())
                .unwrap_or_else(|| s.to_string())
        })
        .collect();
    (rules, reason)
}

/// `Metadata: {iacguard: {ignore: [{id: KMS002, reason: ...}]}}` on CloudFormation
/// resources.
pub fn scan_metadata(root: &Node) -> Vec<Suppression> {
    let mut out = Vec::new();
    for res in root.get("Resources").map(Node::entries).unwrap_or_default() {
        let Some(list) = res
            .value
            .get("Metadata")
            .and_then(|m| m.get("iacguard"))
            .and_then(|m| m.get("ignore"))
        else {
            continue;
        };
        let items: Vec<&Node> = match &list.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![list],
        };
        for it in items {
            let (id, reason) = match &it.kind {
                NodeKind::Str(s) => (Some(s.clone()), None),
                NodeKind::Map(_) => (
                    it.get("id").and_then(Node::as_str).map(str::to_string),
                    it.get("reason").and_then(Node::as_str).map(str::to_string),
                ),
                _ => (None, None),
            };
            let Some(id) = id else { continue };
            let id = crate::rules::find(&id).map(|m| m.id.clone()).unwrap_or(id);
            out.push(Suppression {
                span: it.span,
                rules: vec![id],
                reason,
                line: 0,
                file_wide: false,
                address: Some(res.key.clone()),
                origin: Origin::Iacguard,
            });
        }
    }
    out
}

/// A finding that a suppression or the baseline silenced.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    /// SARIF suppression kind: `inSource` or `external` (baseline).
    pub in_source: bool,
    pub justification: Option<String>,
}

/// Applies suppressions: returns the findings that remain and the suppressed ones, and
/// adds diagnostics for unused suppressions and suppressions without a reason.
/// `headers` maps a resource's file and address to its header line.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    suppressions: &[(FileId, Suppression)],
    headers: &HashMap<(FileId, String), Vec<usize>>,
    sources: &SourceMap,
    rule_ran: impl Fn(&str) -> bool,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    let by_file: HashMap<FileId, Vec<usize>> =
        suppressions
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, (f, _))| {
                m.entry(*f).or_default().push(i);
                m
            });
    for d in diagnostics {
        let file = d.primary.file;
        let hit = by_file.get(&file).and_then(|idx| {
            // From the line table: the text of a file is not read again for this.
            let line = sources.get(file).line_index(d.primary.start as usize) + 1;
            let header_lines = d
                .address
                .as_ref()
                .and_then(|a| headers.get(&(file, a.clone())))
                .map_or(&[][..], Vec::as_slice);
            idx.iter().copied().find(|&i| {
                let s = &suppressions[i].1;
                let rule_ok = s.rules.is_empty() || s.rules.contains(&d.rule);
                let place_ok = s.file_wide
                    || match &s.address {
                        Some(a) => d.address.as_deref() == Some(a.as_str()),
                        None => s.line == line || header_lines.contains(&s.line),
                    };
                rule_ok && place_ok && !is_meta(&d.rule)
            })
        });
        match hit {
            Some(i) => {
                used[i] = true;
                suppressed.push(Suppressed {
                    justification: suppressions[i].1.reason.clone(),
                    diagnostic: d,
                    in_source: true,
                });
            }
            None => kept.push(d),
        }
    }
    for (i, (_, s)) in suppressions.iter().enumerate() {
        if s.origin != Origin::Iacguard {
            continue;
        }
        // A suppression for a rule that did not run cannot be judged.
        let judged = s
            .rules
            .iter()
            .all(|r| rule_ran(r) || crate::rules::find(r).is_none());
        if !used[i] && judged {
            kept.push(Diagnostic::new(
                codes::UNUSED_SUPPRESSION,
                Severity::Warning,
                s.span,
                format!(
                    "suppression of {} matches no finding",
                    if s.rules.is_empty() { "every rule".to_string() } else { s.rules.join(", ") }
                ),
            ).with_help("remove it, or move it to the line above the block or attribute it is meant for"));
        } else if used[i] && s.reason.is_none() {
            kept.push(
                Diagnostic::new(
                    codes::SUPPRESSION_WITHOUT_REASON,
                    Severity::Note,
                    s.span,
                    "suppression gives no reason",
                )
                .with_help(
                    "add the reason after `--`: `# iacguard:ignore KMS002 -- key retired in Q3`",
                ),
            );
        }
    }
    (kept, suppressed)
}

fn is_meta(rule: &str) -> bool {
    matches!(
        rule,
        codes::UNUSED_SUPPRESSION | codes::SUPPRESSION_WITHOUT_REASON
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_above_and_at_the_end_of_lines() {
        let text = "# iacguard:ignore KMS002 -- retired\nresource \"a\" \"b\" {\n  x = 1 // iacguard:ignore KMS006\n  y = \"#not a comment\"\n}\n";
        let s = scan_comments(0, text);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].line, s[0].rules.clone(), s[0].reason.clone()),
            (2, vec!["KMS002".to_string()], Some("retired".into()))
        );
        assert_eq!((s[1].line, s[1].reason.clone()), (3, None));
    }

    #[test]
    fn other_tools_comments_map_to_rules() {
        let text = "#checkov:skip=CKV_AWS_7:rotation done by the HSM team\n#tfsec:ignore:aws-kms-auto-rotate-keys\n#trivy:ignore:AVD-AWS-0065\n#checkov:skip=CKV_AWS_999:unrelated\nresource \"aws_kms_key\" \"k\" {}\n";
        let s = scan_comments(0, text);
        assert_eq!(s.len(), 3);
        assert!(s
            .iter()
            .all(|x| x.rules == vec!["KMS002".to_string()] && x.line == 5));
    }
}
