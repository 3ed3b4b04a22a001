//! The data-driven rule harness: every fixture under `testdata/<ID>/{fail,pass}/`.
//!
//! A fixture is a file or a directory (a multi-file project). Expected hits are marked on
//! the line above with `# expect: <ID>`; every marker must be hit and every hit marked.
//! Fail fixtures also get a snapshot of the rendered text output. Rule parameters for the
//! fixtures of a directory go in `iacguard-params.toml` (see `common::scan_path`).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

fn fixtures(id: &str, kind: &str) -> Vec<PathBuf> {
    let dir = common::root().join("testdata").join(id).join(kind);
    let mut v: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| !p.ends_with(common::PARAMS_FILE))
        .collect();
    v.sort();
    v
}

fn check_rule(id: &str) {
    let mut failures = Vec::new();
    for kind in ["fail", "pass"] {
        let list = fixtures(id, kind);
        assert!(!list.is_empty(), "testdata/{id}/{kind} has no fixtures");
        for fx in list {
            let mut report = common::scan_path(&fx, 1);
            let parse: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.rule == "parse-error" || d.rule == "file-skipped")
                .collect();
            assert!(
                parse.is_empty(),
                "{}: fixture does not parse: {parse:?}",
                fx.display()
            );
            let hits: BTreeSet<(String, usize)> = report
                .diagnostics
                .iter()
                .filter(|d| d.rule == id)
                .map(|d| {
                    let f = report.sources.get(d.primary.file);
                    (f.name.clone(), f.position(d.primary.start as usize).line)
                })
                .collect();
            let expected = common::markers(&fx, id);
            let is_json = fx.extension().is_some_and(|e| e == "json");
            if kind == "fail" && hits.is_empty() {
                failures.push(format!(
                    "{}: fail fixture has no {id} finding",
                    fx.display()
                ));
            }
            if kind == "pass" && !hits.is_empty() {
                failures.push(format!(
                    "{}: pass fixture has {id} findings at {hits:?}",
                    fx.display()
                ));
            }
            if !is_json && kind == "fail" && hits != expected {
                failures.push(format!(
                    "{}: markers and findings differ\n  unmarked hits: {:?}\n  missed markers: {:?}",
                    fx.display(),
                    hits.difference(&expected).collect::<Vec<_>>(),
                    expected.difference(&hits).collect::<Vec<_>>()
                ));
            }
            if kind == "fail" {
                let name = format!(
                    "{id}__{}",
                    fx.file_name()
                        .expect("name")
                        .to_string_lossy()
                        .replace('.', "_")
                );
                // The snapshot shows this rule's findings only.
                report.diagnostics.retain(|d| d.rule == id);
                let text = common::render_text(&report);
                insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
                    insta::assert_snapshot!(name, text);
                });
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_registered_rule_has_passing_fixtures() {
    for meta in iacguard::rules::all() {
        check_rule(&meta.id);
    }
}
