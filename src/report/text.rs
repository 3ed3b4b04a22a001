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
        let mut notes = Vec::new();
        // A plan written by `terraform show -json` is one line: place what is on such a
        // line by its position rather than printing the line.
        let mut labels = Vec::new();
        if too_long(report, d.primary) {
            notes.push(format!("at {}", position(report, d.primary)));
        } else {
            labels.push(Label::primary(d.primary.file, d.primary.range()));
        }
        for l in &d.labels {
            if too_long(report, l.span) {
                notes.push(format!("{}: {}", l.message, position(report, l.span)));
            } else {
                labels.push(Label::secondary(l.span.file, l.span.range()).with_message(&l.message));
            }
        }
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

/// Lines longer than this are not printed.
const MAX_SHOWN_LINE: usize = 1_000;

fn too_long(report: &Report, span: crate::source::Span) -> bool {
    if span.file as usize >= report.sources.len() {
        return false;
    }
    let f = report.sources.get(span.file);
    let line = f.line_index(span.start as usize);
    f.line_range(line).is_some_and(|r| r.len() > MAX_SHOWN_LINE)
}

/// `file:line:column` (columns in UTF-16 code units, as in the other formats).
fn position(report: &Report, span: crate::source::Span) -> String {
    let f = report.sources.get(span.file);
    let p = f.position(span.start as usize);
    format!("{}:{}:{}", f.name, p.line, p.column_utf16)
}
