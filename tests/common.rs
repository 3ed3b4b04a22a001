//! Helpers shared by the integration tests.
#![allow(dead_code)]

use iacguard::settings::{Date, Settings};
use iacguard::{scan, Report, ScanOptions};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans one file or directory, with names relative to the crate root, a fixed date and
/// every rule switched on.
pub fn scan_path(path: &Path, threads: usize) -> Report {
    let mut settings = Settings {
        today: Date::parse("2026-06-01").expect("valid date"),
        ..Settings::default()
    };
    settings.select = iacguard::rules::all()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        root: root(),
        threads,
        settings,
        ..ScanOptions::default()
    })
}

pub fn render_text(report: &Report) -> String {
    let mut buf = codespan_reporting::term::termcolor::Buffer::no_color();
    iacguard::report::text::render(report, &mut buf).expect("render");
    String::from_utf8(buf.into_inner()).expect("utf-8")
}
