//! rustc-style terminal output with `codespan-reporting`.

use crate::diagnostic::Severity;
use crate::Report;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor::WriteColor, Config};

pub fn render(report: &Report, out: &mut dyn WriteColor) -> std::io::Result<()> {
    let config = Config::default();
    for d in &report.diagnostics {
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
            Severity::Note => CsDiagnostic::note(),
        };
        let mut labels = vec![Label::primary(d.primary.file, d.primary.range())];
        for l in &d.labels {
            labels.push(Label::secondary(l.span.file, l.span.range()).with_message(&l.message));
        }
        let mut notes = Vec::new();
        if let Some(a) = &d.address {
            notes.push(format!("resource: {a}"));
        }
        if let Some(p) = &d.logical_path {
            notes.push(format!("path: {p}"));
        }
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        // `[*]`, as ruff marks what `--fix` repairs; an unsafe fix is named, not marked.
        let message = match d.fix.as_deref() {
            Some(f) if f.safety == crate::fix::Safety::Safe => {
                notes.push(format!("fix: {} (--fix)", f.description));
                format!("[*] {}", d.message)
            }
            Some(f) => {
                notes.push(format!(
                    "fix: {} (unsafe: --fix --unsafe-fixes)",
                    f.description
                ));
                d.message.clone()
            }
            None => d.message.clone(),
        };
        let cs = cs
            .with_code(&d.rule)
            .with_message(message)
            .with_labels(labels)
            .with_notes(notes);
        term::emit_to_write_style(out, &config, &report.sources, &cs)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    writeln!(out, "{}", super::summary(report))
}
