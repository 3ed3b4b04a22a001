//! `iacguard keys`: the rotation inventory of a multi-environment project.

use assert_cmd::Command;

fn keys(format: &str) -> String {
    keys_of("testdata/projects/keys", format)
}

fn keys_of(path: &str, format: &str) -> String {
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["keys", "--today", "2026-06-01", "--format", format, path])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn keys_text_inventory() {
    insta::assert_snapshot!(keys("text"));
}

#[test]
fn keys_json_inventory() {
    let text = keys("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        v["rotation_order"],
        serde_json::json!(["dev", "staging", "prod"])
    );
    assert_eq!(v["keys"].as_array().expect("keys").len(), 4);
    insta::assert_snapshot!(text);
}

#[test]
fn keys_graphs_name_every_key() {
    let mermaid = keys("mermaid");
    assert!(mermaid.starts_with("flowchart LR"));
    assert!(mermaid.contains("alias/prod-orders"));
    let dot = keys("dot");
    assert!(dot.starts_with("digraph keys {"));
    assert!(dot.contains("PaymentsKey"));
    assert_eq!(dot.matches("shape=box").count(), 4);
}

#[test]
fn keys_lists_multi_region_replicas_with_their_primary_and_consumers() {
    let text = keys_of("testdata/projects/replica_keys", "json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let keys = v["keys"].as_array().expect("keys");
    let key = |address: &str| {
        keys.iter()
            .find(|k| k["address"] == address)
            .unwrap_or_else(|| panic!("{address} not listed"))
    };
    let replica = key("aws_kms_replica_key.orders");
    assert_eq!(replica["replica_of"], "aws_kms_key.primary");
    assert_eq!(replica["rotation"], "as its primary: automatic (180 days)");
    assert_eq!(replica["spec"], "SYMMETRIC_DEFAULT");
    assert_eq!(replica["aliases"], serde_json::json!(["alias/orders"]));
    let by: Vec<(&str, &str)> = replica["consumers"]
        .as_array()
        .expect("consumers")
        .iter()
        .map(|c| (c["resource"].as_str().unwrap(), c["by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        by,
        [
            ("aws_sqs_queue.orders", "alias"),
            ("aws_db_instance.orders", "id")
        ]
    );
    let external = key("aws_kms_replica_external_key.payments");
    assert_eq!(external["origin"], "EXTERNAL");
    assert_eq!(external["rotation"], "on-demand only");
    assert_eq!(
        external["consumers"][0]["resource"],
        "aws_sns_topic.payments"
    );
    // The template's primary is a parameter: what the replica shares with it is unknown.
    let template = key("ReportsKey");
    assert_eq!(template["origin"], "unknown");
    assert_eq!(template["rotation"], "as its primary");
    assert_eq!(template["replica_of"], "unknown");
    assert_eq!(template["consumers"][0]["resource"], "Bucket");
    // Keys that are not replicas carry no `replica_of`.
    assert!(key("aws_kms_key.primary").get("replica_of").is_none());
}

#[test]
fn keys_with_rotation_enabled_where_kms_rejects_it_do_not_rotate() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_kms_key\" \"signing\" {\n  customer_master_key_spec = \"RSA_2048\"\n  key_usage = \"SIGN_VERIFY\"\n  enable_key_rotation = true\n}\n",
    )
    .expect("write");
    let text = keys_of(dir.path().to_str().expect("utf-8 path"), "json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        v["keys"][0]["rotation"],
        "none (automatic rotation is not supported for this key)"
    );
}
