//! Runs the analyzer over the shared corpus of real repositories, when it is present:
//! nothing may panic, and parse errors are counted.

mod common;

#[test]
fn corpus_is_analysed_without_panics() {
    let Some(corpus) = common::corpus() else {
        common::skip("corpus_is_analysed_without_panics", "no ../shared/corpus");
        return;
    };
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
    let Some(corpus) = common::corpus() else {
        common::skip(
            "module_scanner_agrees_with_the_parser_on_the_corpus",
            "no ../shared/corpus",
        );
        return;
    };
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
            } else if t.is_file() && path.extension().is_some_and(|x| x == "tf" || x == "tofu") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    compared += usize::from(common::scanner_agrees_with_parser(&text));
                }
            }
        }
    }
    eprintln!("{compared} files compared");
    assert!(compared > 1000);
}

/// Replays the hand review of the default profile's findings on the corpus
/// (`docs/review/recommended-profile.md`): every finding judged accepted is still reported,
/// every finding judged rejected is not.
#[test]
fn review_verdicts_still_hold() {
    let Some(corpus) = common::corpus() else {
        common::skip("review_verdicts_still_hold", "no ../shared/corpus");
        return;
    };
    let settings = iacguard::settings::Settings {
        today: iacguard::settings::Date::parse("2026-12-01").expect("date"),
        ..Default::default()
    };
    let report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![corpus.clone()],
        root: corpus,
        threads: 2,
        settings,
        ..Default::default()
    });
    let found: std::collections::BTreeSet<(String, String, String)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.clone(),
                report.sources.get(d.primary.file).name.clone(),
                d.address.clone().unwrap_or_default(),
            )
        })
        .collect();
    let verdicts =
        std::fs::read_to_string(common::root().join("docs/review/corpus-recommended.tsv"))
            .expect("docs/review/corpus-recommended.tsv");
    let mut problems = Vec::new();
    let mut counted = 0;
    for line in verdicts
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [verdict, rule, path, address] = cols[..] else {
            panic!("malformed verdict line: {line}");
        };
        counted += 1;
        let key = (rule.to_string(), path.to_string(), address.to_string());
        match verdict {
            "accepted" if !found.contains(&key) => {
                problems.push(format!("accepted finding no longer reported: {line}"))
            }
            "rejected" if found.contains(&key) => {
                problems.push(format!("rejected finding reported again: {line}"))
            }
            "accepted" | "rejected" => {}
            other => panic!("unknown verdict `{other}`"),
        }
    }
    assert!(counted >= 50, "{counted} verdicts");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
