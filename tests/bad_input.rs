//! Bad input gets a diagnostic with a span, and the run goes on.

use iacguard::{scan, Report, ScanOptions};
use std::path::Path;

fn scan_dir(dir: &Path) -> Report {
    scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        root: dir.to_path_buf(),
        threads: 2,
        max_file_size: 64 * 1024,
        ..ScanOptions::default()
    })
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), content).expect("write");
}

/// `(file, rule, line)` of every diagnostic.
fn hits(r: &Report) -> Vec<(String, String, usize)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let f = r.sources.get(d.primary.file);
            (
                f.name.clone(),
                d.rule.clone(),
                f.position(d.primary.start as usize).line,
            )
        })
        .collect()
}

const GOOD: &str = "resource \"aws_kms_key\" \"k\" {}\n";

#[test]
fn invalid_hcl_is_reported_and_other_files_still_analysed() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "bad.tf",
        "resource \"aws_kms_key\" \"k\" {\n  x = \n}\n",
    );
    std::fs::create_dir(d.path().join("good")).expect("mkdir");
    write(&d.path().join("good"), "main.tf", GOOD);
    let h = hits(&scan_dir(d.path()));
    assert!(
        h.iter()
            .any(|(f, r, _)| f == "bad.tf" && r == "parse-error"),
        "{h:?}"
    );
    assert!(
        h.iter()
            .any(|(f, r, _)| f == "good/main.tf" && r == "KMS002"),
        "{h:?}"
    );
}

#[test]
fn invalid_yaml_template_is_reported_with_its_line() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "t.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  K:\n    Type: [unclosed\n",
    );
    let h = hits(&scan_dir(d.path()));
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].1, "parse-error");
}

#[test]
fn yaml_that_is_not_a_template_is_skipped_silently_even_when_broken() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "workflow.yml", "on: [push\njobs: {\n");
    write(d.path(), "k8s.yaml", "apiVersion: v1\nkind: Pod\n");
    let r = scan_dir(d.path());
    assert!(r.diagnostics.is_empty());
    assert_eq!(r.files_analyzed, 0);
}

#[test]
fn invalid_json_template_is_reported() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "t.json",
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {,}}",
    );
    let h = hits(&scan_dir(d.path()));
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].1, "parse-error");
}

#[test]
fn non_utf8_is_reported_at_the_bad_byte() {
    let d = tempfile::tempdir().expect("tempdir");
    let mut bytes = b"resource \"aws_kms_key\" \"k\" {\n  description = \"".to_vec();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(b"\"\n}\n");
    write(d.path(), "latin1.tf", bytes);
    let r = scan_dir(d.path());
    let h = hits(&r);
    assert_eq!(h, vec![("latin1.tf".into(), "parse-error".into(), 2)]);
    assert!(r.diagnostics[0].message.contains("UTF-8"));
}

#[test]
fn duplicate_keys_and_aliases_are_reported() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "t.yaml",
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties: &p\n      EnableKeyRotation: true\n  K:\n    Type: AWS::KMS::Key\n  L:\n    Type: AWS::KMS::Key\n    Properties: *p\n",
    );
    let r = scan_dir(d.path());
    let msgs: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("key `K` is written twice")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("alias")), "{msgs:?}");
    // The alias is unknown, so `L` is not reported for rotation.
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.address.as_deref() == Some("L")));
}

#[test]
fn yaml_alias_bomb_costs_nothing() {
    let d = tempfile::tempdir().expect("tempdir");
    let mut bomb =
        String::from("AWSTemplateFormatVersion: '2010-09-09'\na: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='z' {
        bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    bomb.push_str("Resources: {}\n");
    write(d.path(), "bomb.yaml", bomb);
    let start = std::time::Instant::now();
    let r = scan_dir(d.path());
    assert!(start.elapsed().as_secs() < 5);
    assert!(r.diagnostics.iter().all(|d| d.rule == "parse-error"));
    assert!(!r.diagnostics.is_empty());
}

#[test]
fn deeply_nested_files_are_refused_not_crashed() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "deep.tf",
        format!(
            "locals {{\n  x = {}1{}\n}}\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    write(
        d.path(),
        "deep.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    write(
        d.path(),
        "deep.yaml",
        format!(
            "AWSTemplateFormatVersion: x\nResources: {}{}\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    let r = scan_dir(d.path());
    let h = hits(&r);
    assert_eq!(
        h.iter().filter(|(_, r, _)| r == "parse-error").count(),
        3,
        "{h:?}"
    );
}

#[test]
fn files_over_the_size_limit_are_reported_and_skipped() {
    let d = tempfile::tempdir().expect("tempdir");
    let mut big = String::from(GOOD);
    big.push_str(&"# padding\n".repeat(10_000));
    write(d.path(), "big.tf", big);
    let h = hits(&scan_dir(d.path()));
    assert_eq!(h, vec![("big.tf".into(), "file-skipped".into(), 1)]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(d.path().join("a")).expect("mkdir");
    std::os::unix::fs::symlink(d.path(), d.path().join("a/loop")).expect("symlink");
    write(&d.path().join("a"), "main.tf", GOOD);
    let r = scan_dir(d.path());
    assert_eq!(r.files_analyzed, 1);
    let h: Vec<_> = hits(&r).into_iter().filter(|h| h.1 == "KMS002").collect();
    assert_eq!(h, vec![("a/main.tf".into(), "KMS002".into(), 1)]);
}

#[test]
fn empty_and_whitespace_files_are_fine() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "empty.tf", "");
    write(d.path(), "blank.tf", "\n\n   \n");
    write(d.path(), "empty.json", "");
    let r = scan_dir(d.path());
    assert!(r.diagnostics.is_empty(), "{:?}", hits(&r));
}

#[test]
fn module_call_cycles_terminate() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(d.path().join("a")).expect("mkdir");
    std::fs::create_dir_all(d.path().join("b")).expect("mkdir");
    write(
        &d.path().join("a"),
        "main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\n",
    );
    write(
        &d.path().join("b"),
        "main.tf",
        format!("module \"a\" {{\n  source = \"../a\"\n}}\n{GOOD}"),
    );
    write(
        d.path(),
        "main.tf",
        "module \"a\" {\n  source = \"./a\"\n}\n",
    );
    let r = scan_dir(d.path());
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("form a cycle (a → b → a)")));
    // The key in `b` is reported once, not once per turn of the cycle.
    assert_eq!(
        r.diagnostics.iter().filter(|d| d.rule == "KMS002").count(),
        1
    );
}

#[test]
fn local_cycles_are_reported_not_looped() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = local.a\n}\n",
    );
    let r = scan_dir(d.path());
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("depends on itself")));
    assert!(!r.diagnostics.iter().any(|d| d.rule == "KMS002"));
}

#[test]
fn duplicate_keys_deploy_the_last_value_and_are_warnings_naming_both_places() {
    let d = tempfile::tempdir().expect("tempdir");
    // A repeated logical id, and a repeated property: the last of each is what
    // CloudFormation deploys.
    write(
        d.path(),
        "t.yaml",
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      EnableKeyRotation: false\n",
    );
    write(
        d.path(),
        "t.json",
        r#"{"Resources": {"J": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": false, "EnableKeyRotation": true}}}}"#,
    );
    let r = scan_dir(d.path());
    let dups: Vec<&iacguard::diagnostic::Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "duplicate-key")
        .collect();
    assert_eq!(dups.len(), 3, "{dups:?}");
    assert!(dups
        .iter()
        .all(|d| d.severity == iacguard::diagnostic::Severity::Warning
            && d.labels.iter().any(|l| l.message.contains("earlier value"))));
    assert!(!r.diagnostics.iter().any(|d| d.rule == "parse-error"));
    // The YAML key deploys rotation off (the last value); the JSON key rotation on.
    let rotation: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .map(|d| {
            (
                r.sources.get(d.primary.file).name.as_str(),
                d.address.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(rotation, [("t.yaml", "K")]);
}

#[test]
fn duplicate_keys_in_terraform_json_stay_errors() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf.json",
        r#"{"resource": {"aws_kms_key": {"k": {"enable_key_rotation": true, "enable_key_rotation": false}}}}"#,
    );
    let r = scan_dir(d.path());
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.rule == "parse-error"
            && d.message.contains("Terraform rejects a repeated argument")));
}

#[test]
fn a_utf8_byte_order_mark_is_ignored_in_every_format_with_spans_in_place() {
    let d = tempfile::tempdir().expect("tempdir");
    let bom = |s: &str| {
        let mut b = vec![0xef, 0xbb, 0xbf];
        b.extend(s.as_bytes());
        b
    };
    write(
        d.path(),
        "main.tf",
        bom("variable \"rotate\" {\n  default = true\n}\n\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n"),
    );
    write(d.path(), "terraform.tfvars", bom("rotate = false\n"));
    write(
        d.path(),
        "t.yaml",
        bom("Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n"),
    );
    write(
        d.path(),
        "t.json",
        bom(
            r#"{"Resources": {"J": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": false}}}}"#,
        ),
    );
    let r = scan_dir(d.path());
    assert!(
        !r.diagnostics.iter().any(|d| d.rule == "parse-error"),
        "{:?}",
        r.diagnostics
    );
    let mut at: Vec<(String, usize, usize)> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .map(|d| {
            let f = r.sources.get(d.primary.file);
            let p = f.position(d.primary.start as usize);
            (f.name.clone(), p.line, p.column_utf16)
        })
        .collect();
    at.sort();
    // Columns count the mark as one UTF-16 unit on the first line, as editors do.
    assert_eq!(
        at,
        [
            ("main.tf".to_string(), 6, 25),
            ("t.json".to_string(), 1, 84),
            ("t.yaml".to_string(), 5, 26),
        ]
    );
    // The tfvars value (false, after the mark) reached the key: it is labelled.
    let tf = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002" && r.sources.get(d.primary.file).name == "main.tf")
        .expect("main.tf");
    assert!(tf
        .labels
        .iter()
        .any(|l| r.sources.get(l.span.file).name == "terraform.tfvars"));
}

#[test]
fn top_level_arguments_in_a_configuration_file_are_parse_errors() {
    // A tfvars file saved as `.tf`: Terraform rejects each argument (`Unsupported
    // argument`); the blocks of the file are analysed all the same.
    let d = tempfile::tempdir().expect("tempdir");
    let text =
        "environment = \"prod\"\nregion      = var.region\n\nresource \"aws_kms_key\" \"k\" {}\n";
    write(d.path(), "tfvars.tf", text);
    write(d.path(), "main.tofu", "retention = 30\n");
    write(d.path(), "terraform.tfvars", "environment = \"prod\"\n");
    let r = scan_dir(d.path());
    let errors: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "parse-error")
        .collect();
    assert_eq!(errors.len(), 3, "{:?}", hits(&r));
    let e = errors
        .iter()
        .find(|e| r.sources.get(e.primary.file).name == "tfvars.tf")
        .expect("tfvars.tf");
    assert_eq!(e.severity, iacguard::diagnostic::Severity::Error);
    assert_eq!(
        e.message,
        "top-level argument `environment` is not allowed in a configuration file: Terraform rejects it (`Unsupported argument`); variable values belong in a `.tfvars` file"
    );
    // The span is the whole argument.
    assert_eq!(&text[e.primary.range()], "environment = \"prod\"");
    let second = errors
        .iter()
        .filter(|e| r.sources.get(e.primary.file).name == "tfvars.tf")
        .nth(1)
        .expect("second argument");
    assert_eq!(&text[second.primary.range()], "region      = var.region");
    assert!(errors
        .iter()
        .any(|e| r.sources.get(e.primary.file).name == "main.tofu"
            && e.message.contains("`retention`")));
    // The tfvars file is not a configuration file; the key is still analysed.
    assert!(
        hits(&r)
            .iter()
            .any(|(f, rule, line)| f == "tfvars.tf" && rule == "KMS002" && *line == 4),
        "{:?}",
        hits(&r)
    );
}

#[test]
fn an_include_outside_the_scanned_tree_gets_a_note_and_is_not_read() {
    let outer = tempfile::tempdir().expect("tempdir");
    let open = "x-amazon-apigateway-policy:\n  Statement:\n    - Effect: Allow\n      Principal: \"*\"\n      Action: execute-api:Invoke\n      Resource: \"*\"\n";
    std::fs::create_dir_all(outer.path().join("etc")).expect("mkdir");
    write(&outer.path().join("etc"), "x.yaml", open);
    let root = outer.path().join("scan");
    std::fs::create_dir_all(root.join("t")).expect("mkdir");
    write(
        &root.join("t"),
        "template.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n          Parameters:\n            Location: ../../etc/x.yaml\n",
    );
    let r = scan(&ScanOptions {
        paths: vec![root.clone()],
        root: root.clone(),
        threads: 2,
        settings: iacguard::settings::Settings {
            profile: iacguard::settings::Profile::Strict,
            select: vec!["APIGW002".into(), "APIGW003".into()],
            ..Default::default()
        },
        ..ScanOptions::default()
    });
    let h = hits(&r);
    let note = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "evaluation-note")
        .unwrap_or_else(|| panic!("no note: {h:?}"));
    assert!(
        note.message.contains("outside the scanned tree"),
        "{}",
        note.message
    );
    assert!(
        h.contains(&("t/template.yaml".into(), "evaluation-note".into(), 12)),
        "{h:?}"
    );
    // Not read: its open policy is no finding; the API is still EDGE without a WAF.
    assert!(!h.iter().any(|(_, rule, _)| rule == "APIGW003"), "{h:?}");
    assert!(h.iter().any(|(_, rule, _)| rule == "APIGW002"), "{h:?}");
}
