//! SARIF 2.1.0 for GitHub code scanning: own serde structs, validated in tests against
//! `serde-sarif` and in CI against the SARIF Multitool.

use crate::diagnostic::{codes, Severity};
use crate::rules::RuleMeta;
use crate::Report;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/iacguard/iacguard";

/// Results per run that GitHub code scanning accepts.
pub const MAX_RESULTS: usize = 5000;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Value,
    original_uri_base_ids: Value,
    results: Vec<Value>,
    invocations: Vec<Value>,
    column_kind: &'static str,
}

/// Analysis codes that are not rules but still appear as results.
fn analysis_rules() -> Vec<(&'static str, &'static str, Severity)> {
    vec![
        (codes::PARSE_ERROR, "the file could not be parsed, or holds input that iacguard refuses (YAML aliases, duplicate keys in Terraform JSON); it was not analysed", Severity::Error),
        (codes::DUPLICATE_KEY, "a mapping key written twice in a template: CloudFormation deploys the last value, which is the one analysed", Severity::Warning),
        (codes::FILE_SKIPPED, "the file could not be read or is over the size limit; it was not analysed", Severity::Error),
        (codes::NOT_EVALUATED, "security-relevant attributes that could not be evaluated statically, and why: no rule judged them", Severity::Note),
        (codes::EVAL_NOTE, "something in the configuration could not be followed statically (an unresolved module, a cycle)", Severity::Note),
        (codes::UNUSED_SUPPRESSION, "a suppression comment that matches no finding", Severity::Warning),
        (codes::SUPPRESSION_WITHOUT_REASON, "a suppression comment without a reason after `--`", Severity::Note),
    ]
}

fn rule_descriptor(m: &RuleMeta) -> Value {
    let help_md = m.body.clone();
    let help_text = m
        .section("How to fix")
        .unwrap_or(m.summary.as_str())
        .to_string();
    json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": m.section("What it does").unwrap_or(&m.summary) },
        "help": { "text": help_text, "markdown": help_md },
        "helpUri": m.help_uri(),
        "defaultConfiguration": { "level": level(m.severity), "enabled": m.enabled_by_default },
        "properties": {
            "tags": ["security", m.category.as_str()],
            "security-severity": m.security_severity,
            "precision": "high",
        }
    })
}

pub fn render(report: &Report) -> String {
    let metas = crate::rules::all();
    let mut rules: Vec<Value> = metas.iter().map(rule_descriptor).collect();
    let mut index: HashMap<String, usize> = metas
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    for (id, desc, sev) in analysis_rules() {
        index.insert(id.to_string(), rules.len());
        // The id is already readable; SARIF asks to omit a `name` equal to it.
        rules.push(json!({
            "id": id,
            "shortDescription": { "text": desc },
            "fullDescription": { "text": desc },
            "help": { "text": desc, "markdown": desc },
            "helpUri": format!("{INFORMATION_URI}#diagnostics"),
            "defaultConfiguration": { "level": level(sev) },
            "properties": { "tags": ["iacguard"] }
        }));
    }
    let mut seen: HashMap<(String, String, u64), usize> = HashMap::new();
    let mut all: Vec<(
        &crate::diagnostic::Diagnostic,
        Option<&crate::suppress::Suppressed>,
    )> = report
        .diagnostics
        .iter()
        .map(|d| (d, None))
        .chain(report.suppressed.iter().map(|s| (&s.diagnostic, Some(s))))
        .collect();
    all.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    // GitHub code scanning takes at most 5,000 results a run: keep the most severe (and
    // unsuppressed first), in report order, and say what was left out.
    let total = all.len();
    if total > MAX_RESULTS {
        let mut ranked: Vec<usize> = (0..total).collect();
        ranked.sort_by_key(|&i| (all[i].1.is_some(), std::cmp::Reverse(all[i].0.severity), i));
        let mut keep: Vec<usize> = ranked.into_iter().take(MAX_RESULTS).collect();
        keep.sort_unstable();
        all = keep.into_iter().map(|i| all[i]).collect();
    }
    let mut notifications = Vec::new();
    if total > MAX_RESULTS {
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{} of {total} results were left out: GitHub code scanning accepts {MAX_RESULTS} a run; the most severe are kept",
                total - MAX_RESULTS
            ) }
        }));
    }
    let results = all
        .into_iter()
        .map(|(d, sup)| {
            let file = report.sources.get(d.primary.file);
            let start = file.position(d.primary.start as usize);
            let end = file.position(d.primary.end as usize);
            let line_text = file
                .line_range(start.line - 1)
                .map(|r| file.text()[r].trim())
                .unwrap_or("");
            let key = format!(
                "{}\u{0}{}\u{0}{}",
                d.rule,
                d.address.as_deref().unwrap_or(""),
                line_text
            );
            let h = crate::baseline::fnv1a(&key);
            let n = seen
                .entry((d.rule.clone(), file.name.clone(), h))
                .or_insert(0);
            *n += 1;
            let mut artifact = json!({ "uri": uri(&file.name) });
            if !file.name.starts_with('/') {
                artifact["uriBaseId"] = json!("%SRCROOT%");
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": start.line,
                        "startColumn": start.column_utf16,
                        "endLine": end.line,
                        "endColumn": end.column_utf16,
                    }
                }
            });
            if let Some(a) = &d.address {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": a, "kind": "resource" }]);
                if let Some(p) = &d.logical_path {
                    location["logicalLocations"][0]["properties"] = json!({ "logicalPath": p });
                }
            }
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": index.get(&d.rule).copied().unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [location],
                "partialFingerprints": { "primaryLocationLineHash": format!("{h:016x}:{n}") },
            });
            if let Some(fix) = d.fix.as_deref().filter(|f| !f.edits.is_empty()) {
                result["fixes"] = json!([sarif_fix(report, fix)]);
            }
            if let Some(s) = sup {
                let mut entry =
                    json!({ "kind": if s.in_source { "inSource" } else { "external" } });
                if let Some(j) = &s.justification {
                    entry["justification"] = json!(j);
                }
                result["suppressions"] = json!([entry]);
            }
            if !d.labels.is_empty() {
                let related: Vec<Value> = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let f = report.sources.get(l.span.file);
                        let s = f.position(l.span.start as usize);
                        let e = f.position(l.span.end as usize);
                        let mut artifact = json!({ "uri": uri(&f.name) });
                        if !f.name.starts_with('/') {
                            artifact["uriBaseId"] = json!("%SRCROOT%");
                        }
                        json!({
                            "id": i,
                            "message": { "text": l.message },
                            "physicalLocation": {
                                "artifactLocation": artifact,
                                "region": {
                                    "startLine": s.line,
                                    "startColumn": s.column_utf16,
                                    "endLine": e.line,
                                    "endColumn": e.column_utf16,
                                }
                            }
                        })
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: json!({
                "driver": {
                    "name": "iacguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            }),
            original_uri_base_ids: json!({ "%SRCROOT%": { "description": { "text": "the scan root" } } }),
            results,
            invocations: vec![json!({
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            })],
            column_kind: "utf16CodeUnits",
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// A result's `fixes` entry: one artifact change a file, its replacements in UTF-16
/// columns (an insertion deletes an empty region). Never called with no edit: GitHub
/// refuses an empty `artifactChanges`.
fn sarif_fix(report: &Report, fix: &crate::fix::Fix) -> Value {
    let mut changes: Vec<Value> = Vec::new();
    for file in fix.files() {
        let f = report.sources.get(file);
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .filter(|e| e.span.file == file)
            .map(|e| {
                let s = f.position(e.span.start as usize);
                let end = f.position(e.span.end as usize);
                json!({
                    "deletedRegion": {
                        "startLine": s.line,
                        "startColumn": s.column_utf16,
                        "endLine": end.line,
                        "endColumn": end.column_utf16,
                    },
                    "insertedContent": { "text": e.replacement },
                })
            })
            .collect();
        if replacements.is_empty() {
            continue;
        }
        let mut artifact = json!({ "uri": uri(&f.name) });
        if !f.name.starts_with('/') {
            artifact["uriBaseId"] = json!("%SRCROOT%");
        }
        changes.push(json!({ "artifactLocation": artifact, "replacements": replacements }));
    }
    json!({
        "description": { "text": format!("{} ({})", fix.description, fix.safety.as_str()) },
        "artifactChanges": changes,
    })
}

/// A relative URI reference for a path: percent-encodes what a URI cannot hold.
fn uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
