//! The data-driven rule harness: every fixture under `testdata/<ID>/{fail,pass}/` (under
//! the strict profile, and for fact rules under `recommended` too) and
//! `testdata/<ID>/recommended/{fail,pass}/` (under `recommended`: a policy rule's premise
//! present and absent). One test per rule directory, found when the tests start (a
//! harness of its own): `cargo test --test rules KMS002`.
//!
//! A fixture is a file or a directory (a multi-file project). Expected hits are marked on
//! the line above with `# expect: <ID>`; every marker must be hit and every hit marked.
//! Fail fixtures also get a snapshot of the rendered text output. Rule parameters for the
//! fixtures of a directory go in `iacguard-params.toml` (see `common::scan_path`).

mod common;

use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

/// The fixtures of a directory, or why there are none.
fn fixtures(dir: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.ends_with(common::PARAMS_FILE))
        .collect();
    if v.is_empty() {
        return Err(format!("{} has no fixtures", dir.display()));
    }
    v.sort();
    Ok(v)
}

#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Strict,
    Recommended,
}

/// Checks the fixtures of `testdata/<ID>/<sub>/{fail,pass}` under a profile; `snapshot`
/// names the snapshots of fail fixtures (none when `None`). Returns every failure, one
/// fixture's not stopping the others.
fn check_dir(id: &str, sub: &str, profile: Profile, snapshot: Option<&str>) -> Vec<String> {
    let mut failures = Vec::new();
    let base = common::root().join("testdata").join(id).join(sub);
    for kind in ["fail", "pass"] {
        let list = match fixtures(&base.join(kind)) {
            Ok(list) => list,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
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
            if !parse.is_empty() {
                failures.push(format!(
                    "{}: fixture does not parse: {parse:?}",
                    fx.display()
                ));
                continue;
            }
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
                // insta panics on a mismatch (after writing the `.snap.new`): caught, so
                // that the other fixtures are still checked and reported.
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
fn check_rule(id: &str) -> Result<(), Failed> {
    let Some(meta) = iacguard::rules::find(id) else {
        return Err(format!("testdata/{id} holds the fixtures of no registered rule").into());
    };
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
    } else if meta.kind != iacguard::rules::RuleKind::Fact && meta.enabled_by_default {
        failures.push(format!(
            "{id} is a {} rule: it needs testdata/{id}/recommended/{{fail,pass}} fixtures",
            meta.kind.as_str()
        ));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

/// The directories of `testdata/` named like a rule id (`KMS013`): each holds a rule's
/// fixtures, and is one test.
fn rule_directories() -> Vec<String> {
    let like_an_id = |name: &str| {
        let digits = name.trim_start_matches(|c: char| c.is_ascii_uppercase());
        digits.len() == 3 && digits.len() < name.len() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let mut dirs: Vec<String> = fs::read_dir(common::root().join("testdata"))
        .expect("testdata")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| like_an_id(n))
        .collect();
    dirs.sort();
    dirs
}

/// Every registered rule has its directory of fixtures.
fn every_registered_rule_has_a_rule_directory(dirs: &[String]) -> Result<(), Failed> {
    let missing: Vec<&str> = iacguard::rules::all()
        .iter()
        .map(|m| m.id.as_str())
        .filter(|id| !dirs.iter().any(|d| d == id))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("rules without fixtures under testdata/: {missing:?}").into())
    }
}

/// One test per rule directory of `testdata/` (`cargo test --test rules KMS002` runs one
/// rule's fixtures), each reporting every failing fixture of its rule.
fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let dirs = rule_directories();
    let mut trials: Vec<Trial> = dirs
        .iter()
        .map(|id| {
            let id = id.clone();
            Trial::test(id.clone(), move || check_rule(&id))
        })
        .collect();
    trials.push(Trial::test(
        "every_registered_rule_has_a_rule_directory",
        move || every_registered_rule_has_a_rule_directory(&dirs),
    ));
    libtest_mimic::run(&args, trials).exit_code()
}
