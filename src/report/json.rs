//! The JSON report: a stable, documented schema (`schema_version` 1, see README).

use crate::Report;
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    start: Pos,
    end: Pos,
    address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_path: Option<&'a str>,
    help: Option<&'a str>,
    labels: Vec<LabelOut<'a>>,
    /// The finding's fix, once located: what `--fix` (or `--unsafe-fixes`) would write.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut<'a>>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    /// `safe` (applied by `--fix`) or `unsafe` (only with `--unsafe-fixes`).
    applicability: &'static str,
    message: &'a str,
    /// Byte-range replacements, sorted; an insertion has `start` equal to `end`.
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    path: &'a str,
    start: Pos,
    end: Pos,
    content: &'a str,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: &'a str,
    path: &'a str,
    start: Pos,
    end: Pos,
}

#[derive(Serialize)]
struct Pos {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_since_baseline: Option<usize>,
}

fn pos(report: &Report, file: u32, offset: u32) -> Pos {
    let p = report.sources.get(file).position(offset as usize);
    Pos {
        line: p.line,
        column: p.column_utf16,
    }
}

pub fn render(report: &Report) -> String {
    use crate::diagnostic::Severity;
    let findings = report
        .diagnostics
        .iter()
        .map(|d| {
            let name = crate::rules::find(&d.rule)
                .map(|m| m.name.as_str())
                .unwrap_or(d.rule.as_str());
            Finding {
                rule: &d.rule,
                name,
                severity: d.severity.as_str(),
                message: &d.message,
                path: &report.sources.get(d.primary.file).name,
                start: pos(report, d.primary.file, d.primary.start),
                end: pos(report, d.primary.file, d.primary.end),
                address: d.address.as_deref(),
                logical_path: d.logical_path.as_deref(),
                help: d.help.as_deref(),
                labels: d
                    .labels
                    .iter()
                    .map(|l| LabelOut {
                        message: &l.message,
                        path: &report.sources.get(l.span.file).name,
                        start: pos(report, l.span.file, l.span.start),
                        end: pos(report, l.span.file, l.span.end),
                    })
                    .collect(),
                fix: d
                    .fix
                    .as_deref()
                    .filter(|f| !f.edits.is_empty())
                    .map(|f| FixOut {
                        applicability: f.safety.as_str(),
                        message: &f.description,
                        edits: f
                            .edits
                            .iter()
                            .map(|e| EditOut {
                                path: &report.sources.get(e.span.file).name,
                                start: pos(report, e.span.file, e.span.start),
                                end: pos(report, e.span.file, e.span.end),
                                content: &e.replacement,
                            })
                            .collect(),
                    }),
            }
        })
        .collect();
    let count = |s: Severity| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    let r = JsonReport {
        schema_version: 1,
        tool: Tool {
            name: "iacguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings,
        summary: Summary {
            files: report.files_analyzed,
            findings: report.diagnostics.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            suppressed: report.suppressed.len(),
            baselined: report.baseline.map(|b| b.baselined),
            fixed_since_baseline: report.baseline.map(|b| b.fixed),
        },
    };
    let mut s = serde_json::to_string_pretty(&r).unwrap_or_default();
    s.push('\n');
    s
}
