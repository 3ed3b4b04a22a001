//! End-to-end evaluation scenarios (`testdata/projects/evaluation/`): variables, tfvars
//! precedence, count and for_each, registry modules through `modules.json`, cycles.
//! Expected findings are marked in the files with `# expect: <ID>`.

mod common;

use std::collections::BTreeSet;

fn check(project: &str, rules: &[&str]) -> iacguard::Report {
    let dir = common::root()
        .join("testdata/projects/evaluation")
        .join(project);
    let report = common::scan_path(&dir, 2);
    for id in rules {
        let hits: BTreeSet<(String, usize)> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == *id)
            .map(|d| {
                let f = report.sources.get(d.primary.file);
                (f.name.clone(), f.position(d.primary.start as usize).line)
            })
            .collect();
        assert_eq!(hits, common::markers(&dir, id), "{project}: {id}");
    }
    report
}

#[test]
fn tfvars_override_defaults_in_terraform_order() {
    let r = check("tfvars_precedence", &["KMS002", "KMS006"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS006")
        .expect("KMS006");
    // terraform.tfvars.json (20) < a.auto.tfvars (7) < b.auto.tfvars (10): the last wins.
    assert!(d.message.contains("10 days"), "{}", d.message);
    assert!(d
        .labels
        .iter()
        .any(|l| r.sources.get(l.span.file).name.ends_with("b.auto.tfvars")));
}

#[test]
fn count_false_removes_and_unknown_count_keeps_a_maybe_instance() {
    let r = check("count_create", &["KMS002"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002")
        .expect("KMS002");
    assert!(d.message.contains("may not be created"), "{}", d.message);
}

#[test]
fn for_each_instances_have_keyed_addresses() {
    let r = check("for_each_keys", &["KMS002", "KMS005"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002")
        .expect("KMS002");
    assert_eq!(d.address.as_deref(), Some("aws_kms_key.svc[\"orders\"]"));
}

#[test]
fn registry_modules_resolve_through_the_manifest() {
    let r = check("registry_module", &["KMS002"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002")
        .expect("KMS002");
    assert_eq!(d.address.as_deref(), Some("module.kms.aws_kms_key.this"));
    assert!(
        d.labels.iter().any(|l| l.message.contains("module")
            && r.sources
                .get(l.span.file)
                .name
                .ends_with("registry_module/main.tf")),
        "{:?}",
        d.labels
    );
}

#[test]
fn module_cycles_are_reported_not_followed_forever() {
    let r = check("module_cycle", &[]);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.rule == "evaluation-note" && d.message.contains("cycle")));
}

#[test]
fn a_variable_without_a_value_is_unknown_not_a_violation() {
    let r = check("no_value", &["KMS002"]);
    assert!(r.diagnostics.iter().all(|d| d.rule != "KMS002"));
}

#[test]
fn optional_attributes_get_their_type_defaults() {
    let r = check("optional_defaults", &["KMS002", "KMS006", "KMS005"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002")
        .expect("KMS002");
    assert_eq!(d.address.as_deref(), Some("aws_kms_key.svc[\"orders\"]"));
}

#[test]
fn cloudposse_null_label_switches_resources_by_its_enabled_input() {
    let r = check("null_label", &["BKP001"]);
    let addresses: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "BKP001")
        .filter_map(|d| d.address.as_deref())
        .collect();
    // Known present (no "may not be created"), and absent where `enabled = false`.
    assert_eq!(addresses, ["module.backup.aws_backup_vault.default[0]"]);
}

#[test]
fn tofu_files_are_read_and_override_their_tf_twins() {
    // main.tofu (rotation off) wins over main.tf (rotation on), keys.tofu.json over
    // keys.tf.json; the module holds `.tofu` files only; test files are not configuration.
    let r = check("opentofu", &["KMS002"]);
    let names: Vec<&str> = r.sources.files().iter().map(|f| f.name.as_str()).collect();
    let base = "testdata/projects/evaluation/opentofu";
    assert_eq!(
        names,
        [
            format!("{base}/keys.tofu.json"),
            format!("{base}/main.tofu"),
            format!("{base}/modules/kms/main.tofu"),
        ],
        "only what OpenTofu reads"
    );
    assert_eq!(r.files_analyzed, 3);
    for d in &r.diagnostics {
        for file in std::iter::once(d.primary.file).chain(d.labels.iter().map(|l| l.span.file)) {
            let name = &r.sources.get(file).name;
            assert!(
                name.ends_with(".tofu") || name.ends_with(".tofu.json"),
                "{d:?}"
            );
        }
    }
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.rule == "KMS002"
                && d.address.as_deref() == Some("module.kms.aws_kms_key.this")),
        "the module of .tofu files is evaluated"
    );
}
