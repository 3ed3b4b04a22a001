//! Findings that need more than one group: a scan drops each group's model once its rules
//! have run, so what links root modules and templates goes through the facts each group
//! leaves (see `src/rules/tree.rs`).

use iacguard::{scan, Report, ScanOptions};
use std::path::Path;

fn write(root: &Path, name: &str, text: &str) {
    let p = root.join(name);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Scans under the strict profile: what links across groups is the same under every
/// profile, and strict reports every key pinned by id (KMS001) whatever its rotation.
fn scan_dir(dir: &Path, threads: usize, keep_keys: bool) -> Report {
    scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        root: dir.to_path_buf(),
        threads,
        keep_keys,
        settings: iacguard::settings::Settings {
            profile: iacguard::settings::Profile::Strict,
            ..Default::default()
        },
        ..ScanOptions::default()
    })
}

/// The key resource the inventory links a consumer to.
fn key_of<'a>(r: &'a Report, consumer: &str) -> Option<&'a str> {
    r.keys
        .kms_consumers
        .iter()
        .find(|c| c.meta.address == consumer)
        .expect("consumer")
        .key()
}

fn messages<'a>(r: &'a Report, rule: &str) -> Vec<&'a str> {
    r.diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.message.as_str())
        .collect()
}

const DISABLED_KEY: &str = r#"resource "aws_kms_key" "orders" {
  enable_key_rotation = true
  is_enabled          = false
}

resource "aws_kms_alias" "orders" {
  name          = "alias/orders"
  target_key_id = aws_kms_key.orders.key_id
}
"#;

const QUEUE: &str = r#"resource "aws_sqs_queue" "app" {
  name              = "app"
  kms_master_key_id = "alias/orders"
}
"#;

#[test]
fn an_alias_name_means_the_alias_of_its_own_configuration_first() {
    let d = tempfile::tempdir().expect("tempdir");
    // The other configuration comes first in the tree.
    write(d.path(), "a_keys/main.tf", DISABLED_KEY);
    // The application defines an alias of the same name for its own key.
    write(
        d.path(),
        "b_app/main.tf",
        &format!(
            "{QUEUE}\nresource \"aws_kms_key\" \"own\" {{\n  enable_key_rotation = true\n}}\n\nresource \"aws_kms_alias\" \"own\" {{\n  name          = \"alias/orders\"\n  target_key_id = aws_kms_key.own.key_id\n}}\n"
        ),
    );
    for threads in [1, 2] {
        let r = scan_dir(d.path(), threads, true);
        assert_eq!(
            messages(&r, "KMS010"),
            ["KMS key aws_kms_key.orders is disabled but still used by aws_kms_alias.orders: their encrypt and decrypt calls fail"]
        );
        assert_eq!(
            key_of(&r, "aws_sqs_queue.app"),
            Some("b_app//aws_kms_key.own")
        );
    }
}

#[test]
fn an_alias_name_that_several_configurations_define_links_to_none() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "keys/main.tf", DISABLED_KEY);
    write(d.path(), "app/main.tf", QUEUE);
    let r = scan_dir(d.path(), 2, true);
    assert_eq!(
        messages(&r, "KMS010"),
        ["KMS key aws_kms_key.orders is disabled but still used by aws_sqs_queue.app, aws_kms_alias.orders: their encrypt and decrypt calls fail"]
    );
    assert_eq!(
        key_of(&r, "aws_sqs_queue.app"),
        Some("keys//aws_kms_key.orders")
    );

    // A second configuration defines the name for another key: which one the queue
    // means is not known, so it is linked to neither.
    write(
        d.path(),
        "keys2/main.tf",
        &DISABLED_KEY
            .replace("\"orders\"", "\"orders2\"")
            .replace(".orders.", ".orders2."),
    );
    let r = scan_dir(d.path(), 2, true);
    let mut found = messages(&r, "KMS010");
    found.sort();
    assert_eq!(
        found,
        [
            "KMS key aws_kms_key.orders is disabled but still used by aws_kms_alias.orders: their encrypt and decrypt calls fail",
            "KMS key aws_kms_key.orders2 is disabled but still used by aws_kms_alias.orders2: their encrypt and decrypt calls fail",
        ]
    );
    assert_eq!(key_of(&r, "aws_sqs_queue.app"), None);
}

#[test]
fn a_key_imported_from_another_template_keeps_its_alias() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "keys.yaml",
        "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/orders\n      TargetKeyId: !Ref Key\nOutputs:\n  Arn:\n    Value: !GetAtt Key.Arn\n    Export:\n      Name: orders-key\n",
    );
    write(
        d.path(),
        "app.yaml",
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: !ImportValue orders-key\n",
    );
    let r = scan_dir(d.path(), 2, true);
    let pinned = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS001")
        .expect("KMS001 through Fn::ImportValue");
    assert!(
        pinned.message.contains("pins KMS key Key"),
        "{}",
        pinned.message
    );
    assert!(
        pinned
            .labels
            .iter()
            .any(|l| l.message == "alias for this key: Alias"),
        "{:?}",
        pinned.labels
    );
    // The inventory lists the importer under the key, and the alias once.
    let key = r.keys.kms_keys.first().expect("key");
    assert_eq!(r.keys.aliases_of(&key.meta.ref_name).count(), 1);
    assert!(r
        .keys
        .kms_consumers
        .iter()
        .any(|c| c.meta.address == "Queue" && c.key() == Some(key.meta.ref_name.as_str())));
}

#[test]
fn a_model_is_kept_only_for_the_key_inventory() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "keys/main.tf", DISABLED_KEY);
    write(d.path(), "app/main.tf", QUEUE);
    let r = scan_dir(d.path(), 1, false);
    assert!(r.keys.kms_keys.is_empty() && r.keys.kms_consumers.is_empty());
    let r = scan_dir(d.path(), 1, true);
    assert_eq!(r.keys.kms_keys.len(), 1);
    assert_eq!(r.keys.kms_aliases.len(), 1);
    assert_eq!(r.keys.kms_consumers.len(), 1);
}

/// `(rule, file, line, message, labels)` of a report's findings of some rules.
fn findings(r: &Report, rules: &[&str]) -> Vec<(String, String, usize, String, Vec<String>)> {
    r.diagnostics
        .iter()
        .filter(|d| rules.contains(&d.rule.as_str()))
        .map(|d| {
            let f = r.sources.get(d.primary.file);
            let labels = d
                .labels
                .iter()
                .map(|l| format!("{}: {}", r.sources.get(l.span.file).name, l.message))
                .collect();
            (
                d.rule.clone(),
                f.name.clone(),
                f.position(d.primary.start as usize).line,
                d.message.clone(),
                labels,
            )
        })
        .collect()
}

const DISABLED_EXPORTED_KEY: &str = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      Enabled: false\n      EnableKeyRotation: true\nOutputs:\n  KeyArn:\n    Value: !GetAtt Key.Arn\n    Export:\n      Name: shared-key\n";

#[test]
fn an_alias_in_the_template_that_imports_the_key() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "a.yaml", DISABLED_EXPORTED_KEY);
    write(
        d.path(),
        "b.yaml",
        "Resources:\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/shared\n      TargetKeyId: !ImportValue shared-key\n",
    );
    // A Terraform configuration names that alias.
    write(
        d.path(),
        "c/main.tf",
        "resource \"aws_sqs_queue\" \"q\" {\n  kms_master_key_id = \"alias/shared\"\n}\n",
    );
    let r = scan_dir(d.path(), 2, true);
    // The key has an alias (in b.yaml): no KMS005; both users of the disabled key.
    assert_eq!(
        findings(&r, &["KMS005", "KMS010"]),
        [(
            "KMS010".to_string(),
            "a.yaml".to_string(),
            5,
            "KMS key Key is disabled but still used by aws_sqs_queue.q, Alias: their encrypt and decrypt calls fail".to_string(),
            vec![
                "c/main.tf: aws_sqs_queue.q uses the disabled key".to_string(),
                "b.yaml: alias Alias points at the disabled key".to_string(),
            ]
        )]
    );
    // The inventory agrees.
    let key = r.keys.kms_keys.first().expect("key");
    assert_eq!(r.keys.aliases_of(&key.meta.ref_name).count(), 1);
}

#[test]
fn a_consumer_of_an_imported_alias_reaches_its_key() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "a.yaml",
        "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      Enabled: false\n      EnableKeyRotation: true\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/shared\n      TargetKeyId: !Ref Key\nOutputs:\n  AliasName:\n    Value: !Ref Alias\n    Export:\n      Name: shared-alias\n",
    );
    write(
        d.path(),
        "b.yaml",
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: !ImportValue shared-alias\n",
    );
    let r = scan_dir(d.path(), 2, true);
    let found = findings(&r, &["KMS010"]);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].3,
        "KMS key Key is disabled but still used by Queue, Alias: their encrypt and decrypt calls fail"
    );
    assert_eq!(
        key_of(&r, "Queue").map(|k| k.ends_with("//Key")),
        Some(true)
    );
}

#[test]
fn a_template_that_imports_values_still_exports_its_key() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "a.yaml",
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  TopicArn:\n    Value: !Ref Topic\n    Export:\n      Name: base-topic\n",
    );
    write(
        d.path(),
        "b.yaml",
        &DISABLED_EXPORTED_KEY.replace(
            "      EnableKeyRotation: true\n",
            "      EnableKeyRotation: true\n      Description: !ImportValue base-topic\n",
        ),
    );
    write(
        d.path(),
        "c.yaml",
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: !ImportValue shared-key\n",
    );
    let r = scan_dir(d.path(), 2, false);
    let rules: Vec<(String, String)> = findings(&r, &["KMS001", "KMS010"])
        .into_iter()
        .map(|f| (f.0, f.1))
        .collect();
    assert_eq!(
        rules,
        [
            ("KMS010".to_string(), "b.yaml".to_string()),
            ("KMS001".to_string(), "c.yaml".to_string()),
        ]
    );
}

#[test]
fn a_nested_stack_exports_nothing_on_its_own() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "parent.yaml",
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./child.yaml\n",
    );
    write(d.path(), "child.yaml", DISABLED_EXPORTED_KEY);
    write(
        d.path(),
        "d.yaml",
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: !ImportValue shared-key\n",
    );
    let r = scan_dir(d.path(), 2, false);
    // The child's key is reported through its parent; the importer's reference is not
    // linked to the child evaluated on its own.
    let found = findings(&r, &["KMS001", "KMS010"]);
    assert!(found.iter().all(|f| f.1 != "d.yaml"), "{found:?}");
}

#[test]
fn a_finding_across_groups_names_its_own_module_call() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "modules/m/main.tf",
        "resource \"aws_kms_key\" \"k\" {\n  is_enabled          = false\n  enable_key_rotation = true\n}\n\nresource \"aws_kms_alias\" \"a\" {\n  name          = \"alias/m\"\n  target_key_id = aws_kms_key.k.key_id\n}\n\noutput \"arn\" {\n  value = aws_kms_key.k.arn\n}\n",
    );
    for root in ["a", "b"] {
        write(
            d.path(),
            &format!("envs/{root}/main.tf"),
            &format!("module \"m\" {{\n  source = \"../../modules/m\"\n}}\n\nresource \"aws_sqs_queue\" \"q{root}\" {{\n  kms_master_key_id = module.m.arn\n}}\n"),
        );
    }
    let r = scan_dir(d.path(), 2, false);
    let found = findings(&r, &["KMS010"]);
    assert_eq!(found.len(), 2);
    for (root, f) in ["a", "b"].iter().zip(&found) {
        assert!(f.3.contains(&format!("aws_sqs_queue.q{root}")), "{}", f.3);
        assert!(
            f.4.contains(&format!("envs/{root}/main.tf: module instantiated here")),
            "{:?}",
            f.4
        );
    }
}
