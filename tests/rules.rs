//! The data-driven rule harness: every fixture under `testdata/<ID>/{fail,pass}/` (under
//! the strict profile, and for fact rules under `recommended` too) and
//! `testdata/<ID>/recommended/{fail,pass}/` (under `recommended`: a policy rule's premise
//! present and absent). One test per rule: `cargo test --test rules KMS002`.
//!
//! A fixture is a file or a directory (a multi-file project). Expected hits are marked on
//! the line above with `# expect: <ID>`; every marker must be hit and every hit marked.
//! Fail fixtures also get a snapshot of the rendered text output. Rule parameters for the
//! fixtures of a directory go in `iacguard-params.toml` (see `common::scan_path`).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

fn fixtures(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| !p.ends_with(common::PARAMS_FILE))
        .collect();
    v.sort();
    v
}

#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Strict,
    Recommended,
}

/// Checks the fixtures of `testdata/<ID>/<sub>/{fail,pass}` under a profile; `snapshot`
/// names the snapshots of fail fixtures (none when `None`).
fn check_dir(id: &str, sub: &str, profile: Profile, snapshot: Option<&str>) -> Vec<String> {
    let mut failures = Vec::new();
    let base = common::root().join("testdata").join(id).join(sub);
    for kind in ["fail", "pass"] {
        let list = fixtures(&base.join(kind));
        assert!(
            !list.is_empty(),
            "{}/{kind} has no fixtures",
            base.display()
        );
        for fx in list {
            let mut report = match profile {
                Profile::Strict => common::scan_path(&fx, 1),
                Profile::Recommended => common::scan_recommended(&fx, 1),
            };
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
            let what = match profile {
                Profile::Strict => "",
                Profile::Recommended => " (recommended profile)",
            };
            if kind == "fail" && hits.is_empty() {
                failures.push(format!(
                    "{}: fail fixture has no {id} finding{what}",
                    fx.display()
                ));
            }
            if kind == "pass" && !hits.is_empty() {
                failures.push(format!(
                    "{}: pass fixture has {id} findings at {hits:?}{what}",
                    fx.display()
                ));
            }
            if !is_json && kind == "fail" && hits != expected {
                failures.push(format!(
                    "{}: markers and findings differ{what}\n  unmarked hits: {:?}\n  missed markers: {:?}",
                    fx.display(),
                    hits.difference(&expected).collect::<Vec<_>>(),
                    expected.difference(&hits).collect::<Vec<_>>()
                ));
            }
            if let (Some(prefix), "fail") = (snapshot, kind) {
                let name = format!(
                    "{prefix}__{}",
                    fx.file_name()
                        .expect("name")
                        .to_string_lossy()
                        .replace('.', "_")
                );
                // The snapshot shows this rule's findings only.
                report.diagnostics.retain(|d| d.rule == id);
                let text = common::render_text(&report);
                let result = std::panic::catch_unwind(|| {
                    insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
                        insta::assert_snapshot!(name, text);
                    });
                });
                if result.is_err() {
                    failures.push(format!("{}: snapshot differs", fx.display()));
                }
            }
        }
    }
    failures
}

/// Every fixture of a rule: `fail`/`pass` under the strict profile (the rule's whole
/// letter); a fact rule's same fixtures under `recommended` too (a fact holds in every
/// profile); and `recommended/{fail,pass}` under `recommended` (a policy rule's premise
/// present and absent).
fn check_rule(id: &str) {
    let meta = iacguard::rules::find(id).expect("registered rule");
    let mut failures = check_dir(id, "", Profile::Strict, Some(id));
    if meta.kind == iacguard::rules::RuleKind::Fact && meta.enabled_by_default {
        failures.extend(check_dir(id, "", Profile::Recommended, None));
    }
    let recommended = common::root().join("testdata").join(id).join("recommended");
    if recommended.is_dir() {
        let prefix = format!("{id}_recommended");
        failures.extend(check_dir(
            id,
            "recommended",
            Profile::Recommended,
            Some(&prefix),
        ));
    } else {
        assert!(
            meta.kind == iacguard::rules::RuleKind::Fact || !meta.enabled_by_default,
            "{id} is a {} rule: it needs testdata/{id}/recommended/{{fail,pass}} fixtures",
            meta.kind.as_str()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One test per rule (`cargo test KMS002` runs one rule's fixtures).
macro_rules! rule_tests {
    ($($id:ident),* $(,)?) => {
        $(
            #[test]
            #[allow(non_snake_case)]
            fn $id() {
                check_rule(stringify!($id));
            }
        )*

        #[test]
        fn every_registered_rule_has_a_fixture_test() {
            let tested: BTreeSet<&str> = [$(stringify!($id)),*].into_iter().collect();
            for meta in iacguard::rules::all() {
                assert!(tested.contains(meta.id.as_str()), "{} has no fixture test in tests/rules.rs", meta.id);
            }
        }
    };
}

rule_tests!(
    KMS001, KMS002, KMS003, KMS004, KMS005, KMS006, KMS007, KMS008, KMS009, KMS010, KMS011, KMS012,
    BKP001, BKP002, BKP003, BKP004, BKP005, BKP006, TAG001, APIGW001, APIGW002, APIGW003, APIGW004,
    APIGW005, APIGW006, CFR001, CFR002, CFR003, CFR004,
);
