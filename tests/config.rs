//! Configuration, suppressions and baselines.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn iacguard(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("iacguard").expect("binary");
    c.current_dir(dir);
    c
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("json report")
}

fn findings(v: &serde_json::Value) -> Vec<(String, String, u64)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_config_file_with_every_key_applies() {
    let out = iacguard(repo())
        .args([
            "check",
            "--today",
            "2026-06-01",
            "--format",
            "json",
            "testdata/config",
        ])
        .output()
        .expect("run");
    let v = json(&out);
    let f = findings(&v);
    // select = KMS, KMS005 ignored, legacy/** excluded, var-files and vars applied,
    // parameters override the default, KMS006 raised to error, KMS003 parameters read.
    assert_eq!(
        f,
        vec![
            ("KMS002".into(), "testdata/config/main.tf".into(), 10),
            ("KMS006".into(), "testdata/config/main.tf".into(), 11),
            ("KMS003".into(), "testdata/config/main.tf".into(), 16),
            ("KMS002".into(), "testdata/config/stack.yaml".into(), 9),
        ]
    );
    assert_eq!(v["findings"][1]["severity"], "error");
    assert!(v["findings"][2]["message"]
        .as_str()
        .unwrap_or("")
        .contains("more than 180"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_config_ignores_the_file() {
    let out = iacguard(repo())
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "testdata/config",
        ])
        .output()
        .expect("run");
    let f = findings(&json(&out));
    assert!(f
        .iter()
        .any(|(r, p, _)| r == "KMS002" && p.ends_with("legacy/old.tf")));
    assert!(f.iter().any(|(r, _, _)| r == "KMS005"));
}

#[test]
fn fail_on_sets_the_exit_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("k.tf"),
        "resource \"aws_kms_external_key\" \"k\" {\n  valid_to = \"2999-01-01T00:00:00Z\"\n}\n",
    )
    .expect("write");
    // Only KMS005 (a warning: imported material, no alias) fires.
    iacguard(dir.path())
        .args(["check", "--fail-on", "error"])
        .assert()
        .code(0);
    iacguard(dir.path())
        .args(["check", "--fail-on", "warning"])
        .assert()
        .code(1);
    std::fs::write(dir.path().join(".iacguard.toml"), "fail-on = \"error\"\n").expect("write");
    iacguard(dir.path()).arg("check").assert().code(0);
}

#[test]
fn select_and_ignore_on_the_command_line() {
    let out = iacguard(repo())
        .args([
            "check",
            "--no-config",
            "--select",
            "KMS00",
            "--ignore",
            "KMS005,KMS002",
            "--format",
            "json",
            "testdata/KMS002/fail/literal.tf",
        ])
        .output()
        .expect("run");
    assert!(findings(&json(&out)).is_empty());
    iacguard(repo())
        .args(["rules", "--select", "KMS002"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"KMS002 +kms-key-rotation-disabled +error +yes")
                .expect("regex"),
        )
        .stdout(
            predicate::str::is_match(r"KMS001 +kms-key-pinned-by-id +warning +no").expect("regex"),
        );
}

fn invalid(config: &str, expect: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".iacguard.toml"), config).expect("write");
    iacguard(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expect))
        .stderr(predicate::str::contains(".iacguard.toml:"));
}

#[test]
fn cfr001_headers_parameter_names_the_header_to_send() {
    // Two origins on the API: one sends another custom header (reported once the
    // parameter names X-Origin-Verify), one sends X-Origin-Verify (never reported).
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = repo().join("testdata/CFR001/fail/required_header/main.tf");
    std::fs::copy(&fixture, dir.path().join("main.tf")).expect("copy");
    let run = |config: Option<&str>| {
        let mut c = iacguard(dir.path());
        c.args(["check", "--format", "json", "--select", "CFR001"]);
        match config {
            Some(text) => {
                std::fs::write(dir.path().join(".iacguard.toml"), text).expect("write");
            }
            None => {
                c.arg("--no-config");
            }
        }
        let out = c.output().expect("run");
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        findings(&json(&out))
    };
    // Without the parameter, any custom header does.
    assert_eq!(run(None), vec![]);
    assert_eq!(
        run(Some("[rules.CFR001]\nheaders = [\"X-Origin-Verify\"]\n")),
        vec![("CFR001".into(), "main.tf".into(), 21)]
    );
    invalid(
        "[rules.CFR001]\nheaders = \"X-Origin-Verify\"\n",
        "parameter `headers` of CFR001 must be a array",
    );
}

#[test]
fn invalid_configurations_are_errors_with_a_span() {
    invalid("selec = [\"KMS002\"]\n", "unknown field `selec`");
    invalid("fail-on = 3\n", "invalid type");
    invalid("fail-on = \"fatal\"\n", "unknown severity `fatal`");
    invalid("ignore = [\"NOPE9\"]\n", "unknown rule `NOPE9`");
    invalid("exclude = [\"a[\"]\n", "invalid glob");
    invalid(
        "[rules.KMS003]\nmax_age = 3\n",
        "unknown parameter `max_age`",
    );
    invalid(
        "[rules.KMS003]\nmax_age_days = \"soon\"\n",
        "must be a integer",
    );
    invalid("[rules.NOPE1]\nx = 1\n", "unknown rule `NOPE1`");
    invalid("[severity]\nKMS002 = \"loud\"\n", "unknown severity `loud`");
}

#[test]
fn suppressions_in_hcl_yaml_and_metadata() {
    let out = iacguard(repo())
        .args([
            "check",
            "--no-config",
            "--select",
            "KMS002,KMS006",
            "--format",
            "json",
            "testdata/suppressions",
        ])
        .output()
        .expect("run");
    let v = json(&out);
    let f = findings(&v);
    assert_eq!(
        f,
        vec![
            (
                "suppression-without-reason".into(),
                "testdata/suppressions/keys.tf".into(),
                12
            ),
            (
                "unused-suppression".into(),
                "testdata/suppressions/keys.tf".into(),
                27
            ),
            ("KMS002".into(), "testdata/suppressions/keys.tf".into(), 33),
        ]
    );
    // runbook, attribute, end_of_line, checkov, tfsec, trivy, Comment, ByMetadata, Key.
    assert_eq!(v["summary"]["suppressed"], 9);
}

#[test]
fn file_wide_and_json_metadata_suppressions() {
    let out = iacguard(repo())
        .args([
            "check",
            "--no-config",
            "--select",
            "KMS005",
            "--format",
            "json",
            "testdata/suppressions/file_wide.tf",
            "testdata/suppressions/template.json",
        ])
        .output()
        .expect("run");
    let v = json(&out);
    assert!(findings(&v).iter().all(|(r, _, _)| r != "KMS005"));
    assert_eq!(v["summary"]["suppressed"], 2);
}

#[test]
fn sarif_lists_suppressed_findings_with_their_justification() {
    let out = iacguard(repo())
        .args([
            "check",
            "--no-config",
            "--select",
            "KMS002",
            "--format",
            "sarif",
            "testdata/suppressions/keys.tf",
        ])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let results = v["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 6);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "rotation is handled by the key management team's runbook"
    );
    let _: serde_sarif::sarif::Sarif = serde_json::from_value(v).expect("valid SARIF");
}

#[test]
fn a_baseline_survives_inserted_lines_and_reports_only_new_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tf = dir.path().join("main.tf");
    std::fs::write(
        &tf,
        "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = false\n}\n",
    )
    .expect("write");
    iacguard(dir.path())
        .args([
            "check",
            "--select",
            "KMS002",
            "--write-baseline",
            "baseline.json",
        ])
        .assert()
        .code(0);
    // Lines inserted above the known finding, and a new finding.
    std::fs::write(
        &tf,
        "# keys\n\nresource \"aws_kms_key\" \"a\" {\n  description = \"x\"\n  enable_key_rotation = false\n}\n\nresource \"aws_kms_key\" \"b\" {}\n",
    )
    .expect("write");
    let out = iacguard(dir.path())
        .args([
            "check",
            "--select",
            "KMS002",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    let v = json(&out);
    assert_eq!(findings(&v), vec![("KMS002".into(), "main.tf".into(), 8)]);
    assert_eq!(v["summary"]["baselined"], 1);
    assert_eq!(v["summary"]["fixed_since_baseline"], 0);
    // Fixing the known finding shows up as fixed.
    std::fs::write(
        &tf,
        "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = true\n}\n",
    )
    .expect("write");
    let out = iacguard(dir.path())
        .args(["check", "--select", "KMS002", "--baseline", "baseline.json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 baseline entries fixed since"));
}

#[test]
fn rule_parameters_of_the_wrong_type_or_unknown_are_errors_naming_the_parameter() {
    invalid(
        "[rules.KMS003]\nmax_age_days = \"soon\"\n",
        "parameter `max_age_days` of KMS003 must be a integer, not a string",
    );
    invalid(
        "[rules.BKP005]\nvalues = [\"true\", 1]\n",
        "parameter `values` of BKP005: invalid type: integer `1`, expected a string",
    );
    invalid(
        "[rules.KMS002]\ndays = 3\n",
        "unknown parameter `days` for KMS002 (known: none)",
    );
    // Located at the parameter, not at the table.
    invalid(
        "profile = \"strict\"\n\n[rules.TAG001]\nrequired = \"Owner\"\n",
        ".iacguard.toml:4:1",
    );
}

#[test]
fn configured_parameters_overlay_the_strict_profiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_backup_vault\" \"main\" {\n  name = \"main\"\n}\n",
    )
    .expect("write");
    let messages = |config: &str| -> Vec<String> {
        std::fs::write(dir.path().join(".iacguard.toml"), config).expect("write");
        let out = iacguard(dir.path())
            .args(["check", "--format", "json", "--select", "TAG001"])
            .output()
            .expect("run");
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["message"].as_str().expect("message").to_string())
            .collect()
    };
    // The strict profile's three tags, then the configuration's one over them.
    let strict = messages("profile = \"strict\"\n");
    assert_eq!(strict.len(), 1, "{strict:?}");
    assert!(
        strict[0].contains("`Owner`, `Environment`, `CostCenter`"),
        "{strict:?}"
    );
    let configured = messages("profile = \"strict\"\n[rules.TAG001]\nrequired = [\"Owner\"]\n");
    assert_eq!(configured.len(), 1, "{configured:?}");
    assert!(configured[0].contains("`Owner`"), "{configured:?}");
    assert!(!configured[0].contains("Environment"), "{configured:?}");
}
