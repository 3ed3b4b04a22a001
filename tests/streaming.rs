//! The pipeline analyses a tree group by group and keeps no text it does not need: these
//! tests hold it to what that promises (same findings, texts read again only for the
//! files that have diagnostics, shared modules parsed once).

mod common;

use iacguard::{scan, Report, ScanOptions};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Under the strict profile, so that KMS005 reports every key without an alias (the
/// tree-wide monitoring note and the strict profile's required tags aside).
fn options(dir: &Path, threads: usize) -> ScanOptions {
    ScanOptions {
        paths: vec![dir.to_path_buf()],
        root: dir.to_path_buf(),
        threads,
        settings: iacguard::settings::Settings {
            profile: iacguard::settings::Profile::Strict,
            ignore: vec!["TAG001".into(), "KMS011".into()],
            ..Default::default()
        },
        ..ScanOptions::default()
    }
}

fn scan_dir(dir: &Path, threads: usize) -> Report {
    scan(&options(dir, threads))
}

const CLEAN: &str = r#"resource "aws_kms_key" "k" {
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "k" {
  name          = "alias/k"
  target_key_id = aws_kms_key.k.key_id
}
"#;

const NOT_ROTATED: &str = r#"resource "aws_kms_key" "k" {
  enable_key_rotation     = false
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "k" {
  name          = "alias/k"
  target_key_id = aws_kms_key.k.key_id
}
"#;

/// Files with a diagnostic (where it is or where a label points).
fn files_with_diagnostics(r: &Report) -> std::collections::BTreeSet<u32> {
    r.diagnostics
        .iter()
        .flat_map(|d| std::iter::once(d.primary.file).chain(d.labels.iter().map(|l| l.span.file)))
        .collect()
}

#[test]
fn texts_are_released_and_read_again_only_for_diagnostics() {
    let d = tempfile::tempdir().expect("tempdir");
    for i in 0..20 {
        write(d.path(), &format!("svc{i}/main.tf"), CLEAN);
    }
    write(d.path(), "bad/main.tf", NOT_ROTATED);
    let r = scan_dir(d.path(), 2);
    assert_eq!(
        r.diagnostics
            .iter()
            .map(|x| x.rule.as_str())
            .collect::<Vec<_>>(),
        ["KMS002"]
    );
    let with = files_with_diagnostics(&r);
    let held: Vec<&str> = r
        .sources
        .files()
        .iter()
        .enumerate()
        .filter(|(i, f)| f.is_held() && !with.contains(&(*i as u32)))
        .map(|(_, f)| f.name.as_str())
        .collect();
    assert!(held.is_empty(), "texts kept without a diagnostic: {held:?}");
    // The text is read again for the finding, its snippet and position exact.
    let text = common::render_text(&r);
    assert!(text.contains("bad/main.tf:2:"), "{text}");
    assert!(text.contains("enable_key_rotation     = false"), "{text}");
}

#[test]
fn a_file_changed_after_its_analysis_keeps_the_lines_of_the_analysis() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "bad/main.tf", NOT_ROTATED);
    let r = scan_dir(d.path(), 1);
    // Edited before the report is written: lines shift, the text is another one.
    write(
        d.path(),
        "bad/main.tf",
        &format!(
            "# a new first line\n{}",
            NOT_ROTATED.replace("false", "true ")
        ),
    );
    let text = common::render_text(&r);
    assert!(text.contains("bad/main.tf:2:"), "{text}");
    assert!(!text.contains("a new first line"), "{text}");
    let json = iacguard::report::json::render(&r);
    assert!(json.contains("\"line\": 2"), "{json}");
}

/// A FIFO put in the place of an analysed file would block a plain read: the text is then
/// blank, the report written.
#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_fifo_after_its_analysis_does_not_block_the_report() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "bad/main.tf", NOT_ROTATED);
    let r = scan_dir(d.path(), 1);
    let path = d.path().join("bad/main.tf");
    std::fs::remove_file(&path).expect("rm");
    let ok = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok);
    let text = common::render_text(&r);
    assert!(text.contains("bad/main.tf:2:"), "{text}");
}

#[test]
fn a_module_shared_by_root_modules_is_parsed_once_and_evaluated_for_each() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "modules/key/main.tf",
        "variable \"rotate\" {}\n\n# iacguard:ignore KMS005 -- aliases are made per service\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n",
    );
    write(d.path(), "modules/key/broken.tf", "locals {\n  x = \n}\n");
    for (root, rotate) in [("a", "false"), ("b", "true"), ("c", "false")] {
        write(
            d.path(),
            &format!("{root}/main.tf"),
            &format!("module \"key\" {{\n  source = \"../modules/key\"\n  rotate = {rotate}\n}}\n"),
        );
    }
    // Another group, with a source that only looks like a module call.
    write(
        d.path(),
        "other/main.tf",
        "resource \"aws_s3_object\" \"o\" {\n  bucket = \"b\"\n  key    = \"k\"\n  source = \"../modules/key\"\n}\n",
    );
    for threads in [1, 2] {
        let r = scan_dir(d.path(), threads);
        let rules: Vec<(&str, &str)> = r
            .diagnostics
            .iter()
            .map(|x| (x.rule.as_str(), r.sources.get(x.primary.file).name.as_str()))
            .collect();
        // The parse error once, the rotation finding once (roots a and c give the same
        // one at the same place), the suppression applied whatever the root.
        assert_eq!(
            rules,
            [
                ("parse-error", "modules/key/broken.tf"),
                ("KMS002", "modules/key/main.tf"),
            ],
            "{threads} threads"
        );
        assert_eq!(r.suppressed.len(), 1, "{threads} threads");
        // Each root module has its own instance of the key (kept for the inventory
        // only when asked).
        assert!(r.keys.kms_keys.is_empty());
        let r = scan(&ScanOptions {
            keep_keys: true,
            ..options(d.path(), threads)
        });
        assert_eq!(r.keys.kms_keys.len(), 3);
    }
}

#[test]
fn the_same_report_whatever_the_threads_on_a_tree_of_groups() {
    let d = tempfile::tempdir().expect("tempdir");
    for i in 0..30 {
        let key = if i % 3 == 0 { NOT_ROTATED } else { CLEAN };
        write(d.path(), &format!("g{i}/modules/k/main.tf"), key);
        write(
            d.path(),
            &format!("g{i}/root/main.tf"),
            "module \"k\" {\n  source = \"../modules/k\"\n}\n",
        );
    }
    let one = iacguard::report::sarif::render(&scan_dir(d.path(), 1));
    for threads in [2, 4] {
        assert_eq!(
            one,
            iacguard::report::sarif::render(&scan_dir(d.path(), threads))
        );
    }
    assert_eq!(one.matches("\"ruleId\": \"KMS002\"").count(), 10);
}
