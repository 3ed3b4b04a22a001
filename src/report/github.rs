//! GitHub Actions workflow commands (`::error file=...::message`): annotations on pull
//! requests without code scanning.

use crate::diagnostic::Severity;
use crate::Report;

/// Escapes a workflow-command property value.
fn property(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Escapes a workflow-command message.
fn message(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let f = report.sources.get(d.primary.file);
        let start = f.position(d.primary.start as usize);
        let end = f.position(d.primary.end as usize);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut text = d.message.clone();
        if let Some(h) = &d.help {
            text.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&f.name),
            start.line,
            start.column_utf16,
            end.line,
            end.column_utf16,
            property(&d.rule),
            message(&text)
        ));
    }
    out.push_str(&super::summary(report));
    out.push('\n');
    out
}
