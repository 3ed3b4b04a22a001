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

/// The module-source scanner that groups files before parsing must see exactly the module
/// calls the parser sees, on every `.tf` file of the corpus the parser accepts.
#[test]
fn module_scanner_agrees_with_the_parser_on_the_corpus() {
    let corpus = common::root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: no ../shared/corpus");
        return;
    }
    let mut compared = 0;
    let mut stack = vec![corpus];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(t) = e.file_type() else { continue };
            let path = e.path();
            if t.is_dir() {
                stack.push(path);
            } else if t.is_file() && path.extension().is_some_and(|x| x == "tf") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    compared += usize::from(common::scanner_agrees_with_parser(&text));
                }
            }
        }
    }
    eprintln!("{compared} files compared");
    assert!(compared > 1000);
}
