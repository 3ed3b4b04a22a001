//! Helpers shared by the integration tests.
#![allow(dead_code)]

use iacguard::settings::{Date, Profile, Settings};
use iacguard::{scan, Report, ScanOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Says that a test is skipped, on the test run's own standard error (not captured, so it
/// shows in `cargo test` output even when the test passes).
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "note: {test} skipped: {why}");
}

/// The shared corpus of real repositories, when it is there.
pub fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Rule parameters a fixture carries: `iacguard-params.toml` inside a directory fixture,
/// or beside a file fixture, holding `[<ID>]` tables (as `[rules.<ID>]` in `.iacguard.toml`).
pub const PARAMS_FILE: &str = "iacguard-params.toml";

fn fixture_params(path: &Path) -> BTreeMap<String, toml::Table> {
    let file = if path.is_dir() {
        path.join(PARAMS_FILE)
    } else {
        path.with_file_name(PARAMS_FILE)
    };
    let params: BTreeMap<String, toml::Table> = match std::fs::read_to_string(&file) {
        Ok(text) => toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
        Err(_) => BTreeMap::new(),
    };
    // As the configuration file's `[rules.<ID>]` are checked.
    for (rule, table) in &params {
        let meta = iacguard::rules::find(rule)
            .unwrap_or_else(|| panic!("{}: unknown rule {rule}", file.display()));
        if let Err((key, e)) = iacguard::rules::validate_params(meta, table) {
            panic!("{}: `{key}`: {e}", file.display());
        }
    }
    params
}

/// Scans one file or directory, with names relative to the crate root, a fixed date,
/// every rule switched on and the fixture's parameters.
pub fn scan_path(path: &Path, threads: usize) -> Report {
    let mut settings = Settings {
        today: Date::parse("2026-06-01").expect("valid date"),
        params: fixture_params(path),
        profile: Profile::Strict,
        ..Settings::default()
    };
    settings.select = iacguard::rules::all()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    scan_with(path, threads, settings)
}

/// Scans one file or directory as [`scan_path`] does, under the `recommended` profile
/// with the rules on by default (none selected by name, so that policy rules run only
/// where their premise holds, or where the fixture's parameters configure them).
pub fn scan_recommended(path: &Path, threads: usize) -> Report {
    let settings = Settings {
        today: Date::parse("2026-06-01").expect("valid date"),
        params: fixture_params(path),
        profile: Profile::Recommended,
        ..Settings::default()
    };
    scan_with(path, threads, settings)
}

fn scan_with(path: &Path, threads: usize, settings: Settings) -> Report {
    scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        root: root(),
        threads,
        settings,
        isolate_files: true,
        ..ScanOptions::default()
    })
}

pub fn render_text(report: &Report) -> String {
    let mut buf = codespan_reporting::term::termcolor::Buffer::no_color();
    iacguard::report::text::render(report, &mut buf).expect("render");
    String::from_utf8(buf.into_inner()).expect("utf-8")
}

pub fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![p.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir") {
            let path = e.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `(relative path, 1-based line)` of every `# expect: ID` marker: the hit is on the next
/// line that is not itself a marker.
pub fn markers(fixture: &Path, id: &str) -> BTreeSet<(String, usize)> {
    let mut out = BTreeSet::new();
    for f in files_under(fixture) {
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        let rel = f
            .strip_prefix(root())
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let Some(rest) = t
                .strip_prefix("# expect:")
                .or_else(|| t.strip_prefix("// expect:"))
            else {
                continue;
            };
            let count = rest.split([',', ' ']).filter(|r| r.trim() == id).count();
            let mut target = i + 1;
            while lines
                .get(target)
                .is_some_and(|l| l.trim_start().starts_with("# expect:"))
            {
                target += 1;
            }
            for _ in 0..count {
                out.insert((rel.clone(), target + 1));
            }
        }
    }
    out
}

/// Checks the module-source scanner against the parser on a `.tf` text the parser
/// accepts; false when the parser reports errors (nothing to compare).
pub fn scanner_agrees_with_parser(text: &str) -> bool {
    match iacguard::terraform::scan::agrees_with_parser(text) {
        None => false,
        Some(Ok(())) => true,
        Some(Err(e)) => panic!("{e}, in:\n{text}"),
    }
}
