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

/// The idioms real Terraform is written in (`testdata/projects/platform`): keys, aliases,
/// APIs and stages created with `for_each`; consumers reaching the keys through module
/// outputs built with `for`; stages bound to APIs through `each.value`; a policy read with
/// `file()`. Every finding names its instance, and links are per instance.
#[test]
fn for_each_instances_link_per_instance_through_module_outputs() {
    let dir = common::root().join("testdata/projects/platform");
    let report = common::scan_recommended(&dir, 2);
    for id in ["KMS001", "KMS003", "KMS007", "APIGW002", "APIGW003"] {
        let hits: BTreeSet<(String, usize)> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == id)
            .map(|d| {
                let f = report.sources.get(d.primary.file);
                (f.name.clone(), f.position(d.primary.start as usize).line)
            })
            .collect();
        assert_eq!(hits, common::markers(&dir, id), "{id}");
    }
    let messages = |id: &str| -> Vec<String> {
        let mut m: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == id)
            .map(|d| d.message.clone())
            .collect();
        m.sort();
        m
    };
    // The bucket's key is the `s3` instance, and its alias the `s3` alias only.
    let pinned: Vec<&iacguard::diagnostic::Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS001")
        .collect();
    assert_eq!(pinned.len(), 2);
    for d in &pinned {
        assert!(
            d.message.contains("aws_kms_external_key.this[\"s3\"]"),
            "{}",
            d.message
        );
        let aliases: Vec<&str> = d
            .labels
            .iter()
            .filter(|l| l.message.starts_with("alias for this key"))
            .map(|l| l.message.as_str())
            .collect();
        assert_eq!(
            aliases,
            ["alias for this key: module.kms.aws_kms_alias.this[\"s3\"]"]
        );
        assert_eq!(
            d.help.as_deref(),
            Some("use aws_kms_alias.this[\"s3\"].arn")
        );
    }
    // The WAF association guards the `orders` stage only (a finding in the shared
    // module is reported once for the environments that call it).
    assert_eq!(
        messages("APIGW002"),
        ["stage module.api.aws_api_gateway_stage.this[\"billing\"] of REST API module.api.aws_api_gateway_rest_api.this[\"billing\"] has no WAF web ACL association"]
    );
    // Both APIs' policies, read with file().
    assert_eq!(messages("APIGW003").len(), 2);
}

#[test]
fn the_key_inventory_lists_each_instance_with_its_own_aliases_and_consumers() {
    let dir = common::root().join("testdata/projects/platform");
    let mut report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![dir.clone()],
        root: common::root(),
        threads: 2,
        keep_keys: true,
        ..Default::default()
    });
    report.diagnostics.clear();
    let inv = iacguard::inventory::build(&report, &iacguard::settings::Settings::default());
    let v = serde_json::to_value(&inv).expect("json");
    let keys = v["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 4);
    for k in keys {
        let address = k["address"].as_str().expect("address");
        let service = if address.ends_with("[\"s3\"]") {
            "s3"
        } else {
            "rds"
        };
        let env = k["configuration"].as_str().expect("configuration");
        let env = env.rsplit('/').next().expect("env");
        assert_eq!(
            k["aliases"],
            serde_json::json!([format!("alias/{env}-{service}")]),
            "{address}"
        );
        let consumers: Vec<&str> = k["consumers"]
            .as_array()
            .expect("consumers")
            .iter()
            .map(|c| c["resource"].as_str().unwrap_or(""))
            .collect();
        let expected = if service == "s3" {
            "aws_s3_bucket_server_side_encryption_configuration.data"
        } else {
            "aws_db_instance.db"
        };
        assert_eq!(consumers, [expected], "{address}");
    }
}

#[test]
fn file_functions_read_inside_the_tree_only_and_regex_functions_evaluate() {
    let d = tempfile::tempdir().expect("tempdir");
    let root = d.path().join("repo");
    std::fs::create_dir_all(root.join("infra/policies")).expect("mkdir");
    std::fs::write(d.path().join("outside.json"), "{}").expect("write");
    std::fs::write(root.join("infra/policies/rotate.txt"), "false\n").expect("write");
    std::fs::write(root.join("infra/policies/name.tpl"), "key-${env}").expect("write");
    std::fs::write(
        root.join("infra/main.tf"),
        r#"locals {
  off      = trimspace(file("${path.module}/policies/rotate.txt")) == "false"
  name     = templatefile("policies/name.tpl", { env = "prod" })
  outside  = file("../../outside.json")
  missing  = file("policies/missing.json")
  absolute = file("/etc/hostname")
  listed   = fileset(path.module, "policies/*.txt")
  count_as = length(regexall("a", "banana"))
  flag     = replace("xfalsex", "/x+/", "")
}

resource "aws_kms_key" "from_file" {
  description         = local.name
  enable_key_rotation = local.off ? false : true
}

resource "aws_kms_key" "from_regex" {
  description         = "${local.count_as}-${length(local.listed)}"
  enable_key_rotation = local.flag == "false" ? false : true
}

resource "aws_kms_key" "from_outside" {
  enable_key_rotation = local.outside == "{}" ? false : true
}

resource "aws_kms_key" "from_missing" {
  description         = local.missing
  enable_key_rotation = true
}

resource "aws_kms_key" "from_absolute" {
  enable_key_rotation = local.absolute == "" ? true : false
}
"#,
    )
    .expect("write");
    let r = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![root.clone()],
        root: root.clone(),
        threads: 1,
        ..Default::default()
    });
    let rotation: BTreeSet<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .filter_map(|d| d.address.as_deref())
        .collect();
    // Read and evaluated; the file outside the tree is never read: unknown, no finding.
    assert_eq!(
        rotation,
        ["aws_kms_key.from_file", "aws_kms_key.from_regex"]
            .into_iter()
            .collect()
    );
    let notes: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "evaluation-note")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|m| m
                .contains("`../../outside.json` is not read (it lies outside the scanned tree)")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("`policies/missing.json` is not read (no such file")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("`/etc/hostname` is not read (it lies outside")),
        "{notes:?}"
    );
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

#[test]
fn optional_attributes_without_default_are_null() {
    check("optional_null", &["BKP002", "KMS002"]);
}

/// Unknown is not silence: a security-relevant attribute left unknown by a construct is
/// named, with the construct, in one note per module directory, and counted in the
/// summary; a reference to another resource (linked, not unknown) is not.
#[test]
fn security_relevant_attributes_left_unknown_are_named_with_their_cause() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("main.tf"),
        r#"variable "rotate" {}

module "shared" {
  source = "terraform-aws-modules/kms/aws"
}

resource "aws_kms_key" "k" {
  enable_key_rotation     = var.rotate
  deletion_window_in_days = module.shared.window
  description             = var.rotate
}

resource "aws_kms_alias" "a" {
  name          = "alias/k"
  target_key_id = aws_kms_key.k.key_id
}
"#,
    )
    .expect("write");
    let r = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![d.path().to_path_buf()],
        root: d.path().to_path_buf(),
        threads: 1,
        ..Default::default()
    });
    let notes: Vec<&iacguard::diagnostic::Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "not-evaluated")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let m = &notes[0].message;
    assert!(
        m.starts_with("2 security-relevant attributes could not be evaluated"),
        "{m}"
    );
    assert!(
        m.contains("`enable_key_rotation` of aws_kms_key.k (variable `rotate` has no value)"),
        "{m}"
    );
    assert!(
        m.contains(
            "`deletion_window_in_days` of aws_kms_key.k (output of module `shared`, not evaluated)"
        ),
        "{m}"
    );
    // The alias's target is a reference (linked), and `description` is not read by a rule.
    assert!(
        !m.contains("target_key_id") && !m.contains("description"),
        "{m}"
    );
    assert!(iacguard::report::summary(&r)
        .contains("2 security-relevant attributes could not be evaluated"));
    // Only notes here (the unresolved module, what was not evaluated): they never fail a run.
    assert!(
        !r.fails(iacguard::diagnostic::Severity::Note),
        "{:?}",
        r.diagnostics
    );
}

/// The multi-environment project's findings, as a reviewer reads them (snapshot), from
/// the repository root.
#[test]
fn the_multi_environment_project_findings_are_snapshotted() {
    let dir = common::root().join("testdata/projects/platform");
    let mut report = common::scan_recommended(&dir, 2);
    report.diagnostics.retain(|d| d.rule != "evaluation-note");
    insta::assert_snapshot!(common::render_text(&report));
}

/// `lookup`, `merge`, `zipmap`, `values`, `keys`, splats and `for` over the instances of
/// a `for_each` or `count` resource, and over a module output built from one, keep each
/// instance: every alias and every consumer links to its own key, in the findings, their
/// labels and the key inventory.
#[test]
fn functions_over_instance_maps_keep_each_instance() {
    let r = check("instance_functions", &["KMS001", "KMS005", "KMS007"]);
    // (key, its alias's resource, its alias's name, its consumer)
    let expected = [
        (
            "aws_kms_key.k[\"a\"]",
            "aws_kms_alias.lookup",
            "alias/a",
            Some("aws_sns_topic.a"),
        ),
        (
            "aws_kms_key.k[\"b\"]",
            "aws_kms_alias.merge",
            "alias/b",
            Some("aws_sqs_queue.b"),
        ),
        (
            "aws_kms_key.k[\"c\"]",
            "aws_kms_alias.zipmap",
            "alias/c",
            Some("aws_secretsmanager_secret.c"),
        ),
        (
            "aws_kms_key.k[\"d\"]",
            "aws_kms_alias.values",
            "alias/d",
            Some("aws_sns_topic.d"),
        ),
        (
            "aws_kms_key.k[\"e\"]",
            "aws_kms_alias.keys[\"e\"]",
            "alias/e",
            Some("aws_sqs_queue.e"),
        ),
        ("aws_kms_key.n[0]", "aws_kms_alias.n[0]", "alias/n0", None),
        (
            "aws_kms_key.n[1]",
            "aws_kms_alias.n[1]",
            "alias/n1",
            Some("aws_sns_topic.n"),
        ),
        (
            "module.m.aws_kms_key.this[\"x\"]",
            "aws_kms_alias.mx",
            "alias/x",
            Some("aws_sns_topic.x"),
        ),
        (
            "module.m.aws_kms_key.this[\"y\"]",
            "aws_kms_alias.my",
            "alias/y",
            Some("aws_sqs_queue.y"),
        ),
    ];
    for (key, alias, _, consumer) in &expected {
        if consumer.is_none() {
            continue;
        }
        let pinned: Vec<&iacguard::diagnostic::Diagnostic> = r
            .diagnostics
            .iter()
            .filter(|d| d.rule == "KMS001" && d.message.contains(&format!("{key} ")))
            .collect();
        assert_eq!(pinned.len(), 1, "{key}: {pinned:?}");
        let d = pinned[0];
        let aliases: Vec<&str> = d
            .labels
            .iter()
            .filter(|l| l.message.starts_with("alias for this key"))
            .map(|l| l.message.as_str())
            .collect();
        assert_eq!(aliases, [format!("alias for this key: {alias}")], "{key}");
    }

    let dir = common::root().join("testdata/projects/evaluation/instance_functions");
    let mut report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![dir],
        root: common::root(),
        threads: 2,
        keep_keys: true,
        ..Default::default()
    });
    report.diagnostics.clear();
    let inv = iacguard::inventory::build(&report, &iacguard::settings::Settings::default());
    let v = serde_json::to_value(&inv).expect("json");
    let mut keys: Vec<(String, serde_json::Value, Vec<String>)> = v["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            let consumers = k["consumers"]
                .as_array()
                .expect("consumers")
                .iter()
                .map(|c| c["resource"].as_str().unwrap_or("").to_string())
                .collect();
            (
                k["address"].as_str().expect("address").to_string(),
                k["aliases"].clone(),
                consumers,
            )
        })
        .collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want: Vec<(String, serde_json::Value, Vec<String>)> = expected
        .iter()
        .map(|(key, _, name, consumer)| {
            (
                key.to_string(),
                serde_json::json!([name]),
                consumer.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(keys, want);
}

/// Unknown is not silence in templates either: a security-relevant property left unknown
/// by a construct the evaluator does not follow (a parameter with no value, an import with
/// no export in the tree, an intrinsic or a transform not evaluated, a condition not
/// known) is named with it in one note per template, counted in the summary; a known
/// parameter, a reference to a resource and the pseudo parameters are not.
#[test]
fn template_properties_left_unknown_are_named_with_their_cause() {
    let dir = common::root().join("testdata/projects/evaluation/cfn_not_evaluated");
    let r = common::scan_path(&dir, 2);
    let notes: Vec<&iacguard::diagnostic::Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "not-evaluated")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let d = notes[0];
    assert_eq!(
        d.message,
        "5 security-relevant properties could not be evaluated, so no rule judged them: \
         `PendingWindowInDays` of Key (`Fn::GetAZs`, not evaluated); \
         `KmsMasterKeyId` of Topic (parameter `KeyArn` has no value); \
         `KmsMasterKeyId` of Queue (`Fn::ImportValue` of `shared-key-arn`, no export of that name in the tree); \
         `BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID` of Bucket (condition `Prod`, not statically known); \
         `Policy` of Api (transform `Example::PolicyMacro`, not evaluated)"
    );
    let text = |s: iacguard::source::Span| r.sources.text(s).to_string();
    assert_eq!(text(d.primary), "!GetAZs \"\"");
    assert_eq!(d.labels.len(), 4);
    assert!(iacguard::report::summary(&r)
        .contains("5 security-relevant attributes could not be evaluated"));
}

/// Resources and module calls repeat by one expansion: the same keys and bindings, a
/// `count` capped at 1,000 instances for a resource and at 100 for a module call (each of
/// which evaluates the whole module), and a negative `count` (which Terraform refuses) not
/// statically known.
#[test]
fn resources_and_module_calls_expand_count_and_for_each_alike() {
    let d = tempfile::tempdir().expect("tempdir");
    let root = d.path();
    std::fs::create_dir_all(root.join("modules/key")).expect("mkdir");
    std::fs::write(
        root.join("modules/key/main.tf"),
        "variable \"name\" {}\n\nresource \"aws_kms_key\" \"this\" {\n  description         = var.name\n  enable_key_rotation = false\n}\n",
    )
    .expect("write");
    std::fs::write(
        root.join("main.tf"),
        r#"resource "aws_kms_key" "many" {
  count               = 1500
  description         = "key ${count.index}"
  enable_key_rotation = false
}

resource "aws_kms_key" "each" {
  for_each            = toset(["a", "b"])
  description         = each.key
  enable_key_rotation = false
}

resource "aws_kms_key" "negative" {
  count               = -1
  enable_key_rotation = false
}

module "many" {
  source = "./modules/key"
  count  = 150
  name   = "m${count.index}"
}

module "each" {
  source   = "./modules/key"
  for_each = { x = 1, y = 2 }
  name     = each.key
}

module "negative" {
  source = "./modules/key"
  count  = -1
  name   = "n"
}
"#,
    )
    .expect("write");
    let r = common::scan_path(root, 1);
    let addresses: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .filter_map(|d| d.address.as_deref())
        .collect();
    let count = |prefix: &str| addresses.iter().filter(|a| a.starts_with(prefix)).count();
    assert_eq!(count("aws_kms_key.many["), 1000);
    assert!(addresses.contains(&"aws_kms_key.many[999]"));
    assert_eq!(count("module.many["), 100);
    assert!(addresses.contains(&"module.many[99].aws_kms_key.this"));
    // What the caps leave out is said, at each `count`.
    let capped: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "evaluation-note" && d.message.contains("the rest are not"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(capped.len(), 2, "{capped:?}");
    assert!(capped
        .iter()
        .any(|m| m.contains("aws_kms_key.many makes more than 1000")));
    assert!(capped
        .iter()
        .any(|m| m.contains("module.many makes more than 100")));
    for a in [
        "aws_kms_key.each[\"a\"]",
        "aws_kms_key.each[\"b\"]",
        "module.each[\"x\"].aws_kms_key.this",
        "module.each[\"y\"].aws_kms_key.this",
    ] {
        assert!(addresses.contains(&a), "{a} in {:?}", &addresses[..4]);
    }
    // Not statically known: one instance without a key, which may not exist.
    assert!(addresses.contains(&"aws_kms_key.negative"));
    assert!(addresses.contains(&"module.negative.aws_kms_key.this"));
}
