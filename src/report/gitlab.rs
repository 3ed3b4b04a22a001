//! GitLab code quality report (a JSON array of issues, as the `codequality` artifact).

use crate::diagnostic::Severity;
use crate::Report;
use serde_json::json;

pub fn render(report: &Report) -> String {
    let issues: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let f = report.sources.get(d.primary.file);
            let start = f.position(d.primary.start as usize);
            let end = f.position(d.primary.end as usize);
            let e = crate::baseline::entry(d, &report.sources);
            json!({
                "type": "issue",
                "check_name": d.rule,
                "description": d.message,
                "categories": ["Security"],
                "severity": match d.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Note => "info",
                },
                "fingerprint": format!("{}-{}", e.fingerprint, start.line),
                "location": {
                    "path": f.name,
                    "lines": { "begin": start.line, "end": end.line }
                }
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
