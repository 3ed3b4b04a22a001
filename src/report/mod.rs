//! Rendering a [`Report`](crate::Report): rustc-style text, JSON and SARIF 2.1.0.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use crate::diagnostic::{Diagnostic, Severity};

/// The summary of a report: the findings line, then suppression and baseline counts.
/// Paths that could not be read are counted in it: a scan that read nothing says so
/// rather than `no findings in 0 files`.
pub fn summary(report: &crate::Report) -> String {
    let unread = report.bad_paths.len();
    let unread_text = format!(
        "{unread} path{} could not be read",
        if unread == 1 { "" } else { "s" }
    );
    let mut s = if unread > 0 && report.files_analyzed == 0 && report.diagnostics.is_empty() {
        format!("no files analysed ({unread_text})")
    } else if unread > 0 {
        format!(
            "{}; {unread_text}",
            summary_line(&report.diagnostics, report.files_analyzed)
        )
    } else {
        summary_line(&report.diagnostics, report.files_analyzed)
    };
    if !report.suppressed.is_empty() {
        s.push_str(&format!("; {} suppressed", report.suppressed.len()));
    }
    let unevaluated = not_evaluated(&report.diagnostics);
    if unevaluated > 0 {
        s.push_str(&format!(
            "; {unevaluated} security-relevant attribute{} could not be evaluated (see the `not-evaluated` notes)",
            if unevaluated == 1 { "" } else { "s" }
        ));
    }
    let (safe, unsafe_) = crate::fix::fixable(&report.diagnostics);
    if safe > 0 {
        s.push_str(&format!("; {safe} fixable with --fix"));
    }
    if unsafe_ > 0 {
        s.push_str(&format!(
            "; {unsafe_} more fixable with --fix --unsafe-fixes"
        ));
    }
    if !report.plans.is_empty() {
        let shown: Vec<String> = report
            .plans
            .iter()
            .map(|(plan, root)| match root {
                Some(r) if r.is_empty() => format!("{plan} (root module .)"),
                Some(r) => format!("{plan} (root module {r})"),
                None => format!("{plan} (configuration not in the scanned tree)"),
            })
            .collect();
        s.push_str(&format!("\nvalues from plans: {}", shown.join(", ")));
    }
    if let Some(b) = report.baseline {
        s.push_str(&format!(
            "\nbaseline: {} known findings not reported, {} baseline entries fixed since",
            b.baselined, b.fixed
        ));
    }
    s
}

/// How many security-relevant attributes the `not-evaluated` notes list (each note
/// starts with its count).
pub fn not_evaluated(diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .filter(|d| d.rule == crate::diagnostic::codes::NOT_EVALUATED)
        .filter_map(|d| d.message.split(' ').next()?.parse::<usize>().ok())
        .sum()
}

/// `3 findings (2 errors, 1 warning) in 41 files`
pub fn summary_line(diags: &[Diagnostic], files: usize) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    for (s, w) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Note, "note"),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(plural(n, w));
        }
    }
    let files = plural(files, "file");
    if diags.is_empty() {
        format!("no findings in {files}")
    } else {
        format!(
            "{} ({}) in {files}",
            plural(diags.len(), "finding"),
            parts.join(", ")
        )
    }
}
