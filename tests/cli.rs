//! The command line: exit codes, formats, subcommands, paths.

use assert_cmd::Command;
use predicates::prelude::*;

fn iacguard() -> Command {
    let mut c = Command::cargo_bin("iacguard").expect("binary");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs the binary in `dir`: exit status, standard output, standard error.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn findings_exit_with_one_and_a_summary() {
    iacguard()
        .args(["check", "testdata/KMS002/fail/literal.tf"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[KMS002]"))
        .stdout(predicate::str::contains("3 findings (3 errors) in 2 files"));
}

#[test]
fn clean_input_exits_with_zero() {
    iacguard()
        .args(["check", "testdata/KMS005/pass/template.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings in 1 file"));
}

#[test]
fn no_subcommand_checks_the_current_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("k.tf"),
        "resource \"aws_kms_key\" \"k\" {}\n",
    )
    .expect("write");
    Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("k.tf:1:1"));
}

#[test]
fn a_directory_without_iac_is_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("README.md"), "# hi\n").expect("write");
    std::fs::write(dir.path().join("ci.yaml"), "on: push\njobs: {}\n").expect("write");
    iacguard()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings in 0 files"))
        .stderr(predicate::str::contains(format!(
            "note: no Terraform or CloudFormation file found under {}",
            dir.path().display()
        )));
}

#[test]
fn only_the_directories_without_iac_get_the_note() {
    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(empty.path().join("notes.txt"), "nothing here\n").expect("write");
    let out = iacguard()
        .arg("check")
        .arg("testdata/KMS005/pass")
        .arg(empty.path())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("note: no Terraform or CloudFormation file found")
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains(&empty.path().display().to_string()),
        "{stderr}"
    );
    // The note speaks of the directory as it was named; `.` when none was.
    Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(empty.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "note: no Terraform or CloudFormation file found under .\n",
        ));
}

#[test]
fn a_missing_path_exits_with_two() {
    iacguard()
        .args(["check", "does/not/exist"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"))
        .stderr(predicate::str::contains("note:").not())
        .stdout(predicate::str::contains("no findings").not())
        .stdout(predicate::str::contains(
            "no files analysed (1 path could not be read)",
        ));
}

#[test]
fn a_missing_path_beside_others_is_counted_in_the_summary() {
    iacguard()
        .args([
            "check",
            "testdata/KMS005/pass/template.yaml",
            "does/not/exist",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "no findings in 1 file; 1 path could not be read",
        ));
}

#[test]
fn a_named_tf_file_with_a_tofu_twin_is_not_read() {
    // OpenTofu reads main.tofu and ignores main.tf: naming main.tf (pre-commit) reports
    // nothing of it; naming main.tofu reports its finding.
    iacguard()
        .args([
            "check",
            "--no-config",
            "--select",
            "KMS002",
            "testdata/projects/evaluation/opentofu/main.tf",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings in 3 files"));
    iacguard()
        .args([
            "check",
            "--no-config",
            "--select",
            "KMS002",
            "testdata/projects/evaluation/opentofu/main.tofu",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "testdata/projects/evaluation/opentofu/main.tofu:7:",
        ))
        .stdout(predicate::str::contains("main.tf:").not());
}

#[test]
fn usage_errors_exit_with_two() {
    iacguard()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    iacguard()
        .args(["check", "--today", "yesterday"])
        .assert()
        .code(2);
}

#[test]
fn json_output_has_the_documented_fields() {
    let out = iacguard()
        .args([
            "check",
            "--format",
            "json",
            "testdata/KMS002/fail/template.yaml",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["schema_version"], 1);
    let f = &v["findings"][0];
    for key in [
        "rule", "name", "severity", "message", "path", "start", "end", "address",
    ] {
        assert!(!f[key].is_null(), "missing {key}");
    }
    assert_eq!(f["path"], "testdata/KMS002/fail/template.yaml");
    assert_eq!(f["name"], "kms-key-rotation-disabled");
    assert_eq!(v["summary"]["findings"], 5);
    assert_eq!(v["summary"]["errors"], 5);
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.sarif");
    iacguard()
        .args([
            "check",
            "--format",
            "sarif",
            "testdata/KMS002/fail/literal.tf",
            "--output",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let text = std::fs::read_to_string(out).expect("report");
    assert!(text.contains("\"version\": \"2.1.0\""));
}

#[test]
fn explicit_files_are_checked_even_when_gitignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".gitignore"), "ignored.tf\n").expect("write");
    std::fs::write(
        dir.path().join("ignored.tf"),
        "resource \"aws_kms_key\" \"k\" {}\n",
    )
    .expect("write");
    iacguard().arg("check").arg(dir.path()).assert().code(0);
    iacguard()
        .arg("check")
        .arg(dir.path().join("ignored.tf"))
        .assert()
        .code(1);
}

#[test]
fn rules_lists_every_rule() {
    iacguard()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("KMS002"))
        .stdout(predicate::str::contains("kms-key-rotation-disabled"));
}

#[test]
fn explain_finds_rules_by_id_and_name() {
    for key in ["KMS002", "kms002", "kms-key-rotation-disabled"] {
        iacguard()
            .args(["explain", key])
            .assert()
            .success()
            .stdout(predicate::str::contains("## Why is this bad?"));
    }
    iacguard().args(["explain", "NOPE1"]).assert().code(2);
}

#[test]
fn help_is_available_on_every_command() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["rules", "--help"],
        vec!["explain", "--help"],
    ] {
        iacguard().args(&args).assert().success();
    }
}

#[test]
fn output_is_identical_across_thread_counts() {
    let run = |j: &str| {
        iacguard()
            .args(["check", "--format", "sarif", "-j", j, "testdata"])
            .output()
            .expect("run")
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    for j in ["2", "4", "8"] {
        assert!(one == run(j), "SARIF with -j {j} differs from -j 1");
    }
}

#[test]
fn profiles_switch_policy_rules_on_the_command_line_and_in_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    // An AWS-generated key that rotates, without an alias: an alias is the strict
    // profile's policy only.
    std::fs::write(
        dir.path().join("k.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n",
    )
    .expect("write");
    let run = |args: &[&str]| {
        let (c, o, _) = run_in(dir.path(), args);
        (c, o)
    };
    let (code, text) = run(&["check", "--no-config"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(&["check", "--no-config", "--profile", "strict"]);
    assert_eq!(code, Some(1));
    assert!(text.contains("warning[KMS005]"), "{text}");
    // Configured in the file; the command line wins.
    std::fs::write(dir.path().join(".iacguard.toml"), "profile = \"strict\"\n").expect("write");
    assert_eq!(run(&["check"]).0, Some(1));
    assert_eq!(run(&["check", "--profile", "recommended"]).0, Some(0));
    // Configuring a policy rule's parameters adopts its policy under `recommended`.
    std::fs::write(dir.path().join(".iacguard.toml"), "[rules.KMS005]\n").expect("write");
    assert_eq!(run(&["check"]).0, Some(1));
    // `iacguard rules` says where each rule runs under the active profile.
    let (_, text) = run(&["rules", "--no-config", "--profile", "strict"]);
    assert!(text.contains("Profile: strict"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("BKP005") && l.contains("everywhere")),
        "{text}"
    );
    let (_, text) = run(&["rules", "--no-config"]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("BKP005") && l.contains("uses the backup tag")),
        "{text}"
    );
}

#[test]
fn unknown_profiles_and_rules_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("k.tf"), "").expect("write");
    let run = |args: &[&str]| {
        let (c, _, e) = run_in(dir.path(), args);
        (c, e)
    };
    let (code, err) = run(&["check", "--no-config", "--select", "NOPE001"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown rule `NOPE001`"), "{err}");
    let (code, _) = run(&["check", "--no-config", "--ignore", "kms-nonexistent"]);
    assert_eq!(code, Some(2));
    let (code, _) = run(&["check", "--no-config", "--profile", "lenient"]);
    assert_eq!(code, Some(2));
    std::fs::write(dir.path().join(".iacguard.toml"), "profile = \"lenient\"\n").expect("write");
    let (code, err) = run(&["check"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown profile `lenient`"), "{err}");
}

#[test]
fn bare_iacguard_checks_the_current_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("k.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n",
    )
    .expect("write");
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[KMS002]"), "{text}");
    assert!(!text.contains("file-skipped"), "{text}");
}

#[test]
fn var_files_apply_to_the_root_module_that_holds_them_and_ambiguity_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let key = "variable \"rotate\" {\n  default = true\n}\n\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n";
    for env in ["dev", "prod"] {
        std::fs::create_dir_all(root.join("envs").join(env)).expect("mkdir");
        std::fs::write(root.join("envs").join(env).join("main.tf"), key).expect("write");
    }
    std::fs::write(root.join("envs/prod/prod.tfvars"), "rotate = false\n").expect("write");
    std::fs::create_dir_all(root.join("vars")).expect("mkdir");
    std::fs::write(root.join("vars/all.tfvars"), "rotate = false\n").expect("write");
    let run = |args: &[&str]| run_in(root, args);
    // The file of envs/prod sets envs/prod only.
    let (code, out, _) = run(&[
        "check",
        "--no-config",
        "--var-file",
        "envs/prod/prod.tfvars",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("envs/prod/main.tf"), "{out}");
    assert!(!out.contains("envs/dev/main.tf"), "{out}");
    // A file outside every root, or a --var, with two roots: which one is meant?
    for args in [
        &["check", "--no-config", "--var-file", "vars/all.tfvars"][..],
        &["check", "--no-config", "--var", "rotate=false"][..],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(err.contains("envs/dev, envs/prod"), "{err}");
    }
    // Scanning one root alone, a --var applies to it.
    let (code, out, _) = run(&["check", "--no-config", "--var", "rotate=false", "envs/dev"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("envs/dev/main.tf"), "{out}");
}

/// The customer's way: `cd examples/complete && terraform plan -var-file=prod.tfvars`. From
/// there, the module above the current directory is read (up to the repository root), and
/// the var file applies to that root module; from the repository root, the same file
/// applies to the root that holds it.
#[test]
fn a_root_module_checked_from_its_own_directory_reads_the_modules_above_it() {
    let project =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/projects/platform");
    let run = |dir: &std::path::Path, args: &[&str]| {
        let (c, o, _) = run_in(dir, args);
        (c, o)
    };
    let (code, out) = run(
        &project.join("examples/complete"),
        &[
            "check",
            "--no-config",
            "--select",
            "BKP001",
            "--var-file",
            "prod.tfvars",
        ],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("--> ../../modules/backup/main.tf")
            || out.contains("─ ../../modules/backup/main.tf:12:1"),
        "{out}"
    );
    assert!(out.contains("switched off"), "{out}");
    assert!(out.contains("prod.tfvars:2:21"), "{out}");
    // Without the var file, the lock's default (on) holds.
    let (code, out) = run(
        &project.join("examples/complete"),
        &[
            "check",
            "--no-config",
            "--select",
            "BKP001",
            "--var",
            "kms_key_arn=x",
            "--var",
            "enable_vault_lock=true",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    // From the project's root, the var file goes to the root module that holds it.
    let (code, out) = run(
        &project,
        &[
            "check",
            "--no-config",
            "--select",
            "BKP001",
            "--var-file",
            "examples/complete/prod.tfvars",
        ],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("modules/backup/main.tf:12:1"), "{out}");
}
