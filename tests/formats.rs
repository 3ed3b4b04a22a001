//! The GitHub annotations, JUnit and GitLab code quality formats, and the SARIF limits.

use assert_cmd::Command;

fn run(format: &str, path: &str) -> String {
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--no-config",
            "--profile",
            "strict",
            "--format",
            format,
            path,
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn github_annotations_are_workflow_commands() {
    let text = run("github", "testdata/KMS002/fail/literal.tf");
    let line = text
        .lines()
        .find(|l| l.contains("title=KMS002"))
        .expect("a KMS002 annotation");
    assert!(line.starts_with("::error file=testdata/KMS002/fail/literal.tf,line=4,col=25,endLine=4,endColumn=30,title=KMS002::"), "{line}");
    // Messages are on one line: newlines are escaped.
    assert!(line.contains("%0Ahelp: "));
}

/// The IaC files under a directory.
fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            if p.is_dir() {
                walk(&p)
            } else {
                usize::from(
                    p.extension()
                        .is_some_and(|e| e == "tf" || e == "yaml" || e == "json"),
                )
            }
        })
        .sum()
}

#[test]
fn junit_has_one_failing_test_case_per_file_with_findings() {
    let text = run("junit", "testdata/KMS001/fail");
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    // One test case per file analysed (files of the fixture directories included).
    let files =
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/KMS001/fail"));
    assert_eq!(text.matches("<testcase ").count(), files);
    assert!(text.matches("<failure ").count() >= 3);
    assert!(text.contains("type=\"KMS001\""));
    // Well-formed: every opened element is closed.
    assert_eq!(
        text.matches("<testcase ").count(),
        text.matches("</testcase>").count() + text.matches("\"/>").count()
    );
}

#[test]
fn gitlab_code_quality_issues_have_the_required_fields() {
    let text = run("gitlab", "testdata/KMS001/fail/template.yaml");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let issues = v.as_array().expect("array");
    assert!(!issues.is_empty());
    let mut fingerprints = std::collections::BTreeSet::new();
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} missing: {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap_or("")));
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap_or(0) >= 1);
        assert!(
            fingerprints.insert(i["fingerprint"].as_str().unwrap_or("").to_string()),
            "fingerprints are unique"
        );
    }
}

#[test]
fn sarif_keeps_at_most_5000_results_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut tf = String::new();
    for i in 0..2600 {
        tf.push_str(&format!("resource \"aws_kms_key\" \"k{i}\" {{}}\n"));
    }
    std::fs::write(dir.path().join("many.tf"), tf).expect("write");
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(dir.path())
        .args([
            "check",
            "--no-config",
            "--profile",
            "strict",
            "--select",
            "KMS002,KMS005",
            "--format",
            "sarif",
        ])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 5000);
    // 2600 KMS002 errors and 2600 KMS005 warnings: every error is kept.
    assert_eq!(
        results.iter().filter(|r| r["level"] == "error").count(),
        2600
    );
    let note = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"];
    assert!(
        note.as_str()
            .unwrap_or("")
            .contains("200 of 5200 results were left out"),
        "{note}"
    );
}

#[test]
fn sarif_fingerprints_survive_lines_inserted_above() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tf = dir.path().join("k.tf");
    let body = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n";
    let fingerprint = |content: &str| {
        std::fs::write(&tf, content).expect("write");
        let out = Command::cargo_bin("iacguard")
            .expect("binary")
            .current_dir(dir.path())
            .args([
                "check",
                "--no-config",
                "--select",
                "KMS002",
                "--format",
                "sarif",
            ])
            .output()
            .expect("run");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
        v["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"].clone()
    };
    let before = fingerprint(body);
    let after = fingerprint(&format!("# a comment\n\n{body}"));
    assert!(before.is_string());
    assert_eq!(before, after);
}
