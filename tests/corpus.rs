//! Runs the analyzer over the shared corpus of real repositories, when it is present:
//! nothing may panic, and parse errors are counted.

mod common;

#[test]
fn corpus_is_analysed_without_panics() {
    let corpus = common::root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: no ../shared/corpus");
        return;
    }
    let report = common::scan_path(&corpus, 2);
    let parse_errors: std::collections::BTreeSet<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "parse-error")
        .map(|d| report.sources.get(d.primary.file).name.as_str())
        .collect();
    eprintln!(
        "corpus: {} files analysed, {} diagnostics, {} files with parse errors",
        report.files_analyzed,
        report.diagnostics.len(),
        parse_errors.len()
    );
    assert!(report.files_analyzed > 1000);
    // Rendering every format must not panic either.
    let _ = iacguard::report::sarif::render(&report);
    let _ = iacguard::report::json::render(&report);
    let _ = common::render_text(&report);
}
