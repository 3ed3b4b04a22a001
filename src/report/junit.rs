//! JUnit XML: one test case per analysed file, failing with one `<failure>` per finding,
//! for CI systems that show test reports.

use crate::Report;
use std::collections::BTreeMap;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut by_file: BTreeMap<&str, Vec<&crate::diagnostic::Diagnostic>> = BTreeMap::new();
    for f in report.sources.files() {
        if !f.is_empty() {
            by_file.entry(f.name.as_str()).or_default();
        }
    }
    for d in &report.diagnostics {
        by_file
            .entry(report.sources.get(d.primary.file).name.as_str())
            .or_default()
            .push(d);
    }
    let failures = by_file.values().filter(|v| !v.is_empty()).count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"iacguard\" tests=\"{}\" failures=\"{failures}\">\n",
        by_file.len()
    ));
    s.push_str(&format!(
        "  <testsuite name=\"iacguard\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n",
        by_file.len(),
    ));
    for (name, diags) in &by_file {
        s.push_str(&format!(
            "    <testcase classname=\"iacguard\" name=\"{}\"",
            xml(name)
        ));
        if diags.is_empty() {
            s.push_str("/>\n");
            continue;
        }
        s.push_str(">\n");
        for d in diags {
            let f = report.sources.get(d.primary.file);
            let p = f.position(d.primary.start as usize);
            s.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} [{}]{}</failure>\n",
                xml(&d.rule),
                xml(&d.message),
                xml(name),
                p.line,
                p.column,
                xml(d.severity.as_str()),
                xml(&d.rule),
                d.help
                    .as_deref()
                    .map(|h| format!("\nhelp: {}", xml(h)))
                    .unwrap_or_default()
            ));
        }
        s.push_str("    </testcase>\n");
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
