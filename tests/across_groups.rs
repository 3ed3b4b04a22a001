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

fn scan_dir(dir: &Path, threads: usize, keep_keys: bool) -> Report {
    scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        root: dir.to_path_buf(),
        threads,
        keep_keys,
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
        .key
        .as_deref()
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
        .any(|c| c.meta.address == "Queue" && c.key.as_ref() == Some(&key.meta.ref_name)));
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
