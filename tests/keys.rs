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

/// Each key instance of `count` and `for_each` (in the root and in a module) lists its own
/// aliases and consumers only, with the environment of the root that calls the module.
#[test]
fn keys_per_instance_have_their_own_aliases_and_consumers() {
    let text = keys_of("testdata/projects/keys_for_each", "json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["today"], "2026-06-01");
    let got: Vec<(String, Vec<String>, Vec<String>, String)> = v["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            let strings = |x: &serde_json::Value, f: &str| -> Vec<String> {
                x.as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        if f.is_empty() {
                            c.as_str().unwrap().to_string()
                        } else {
                            c[f].as_str().unwrap().to_string()
                        }
                    })
                    .collect()
            };
            (
                k["address"].as_str().unwrap().to_string(),
                strings(&k["aliases"], ""),
                strings(&k["consumers"], "resource"),
                k["environment"].as_str().unwrap_or("none").to_string(),
            )
        })
        .collect();
    let s = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                "aws_kms_key.counted[0]".into(),
                s(&["alias/prod-counted-0"]),
                s(&[]),
                "prod".into()
            ),
            (
                "aws_kms_key.counted[1]".into(),
                s(&["alias/prod-counted-1"]),
                s(&["aws_sns_topic.events"]),
                "prod".into()
            ),
            (
                "module.keys.aws_kms_key.this[\"logs\"]".into(),
                s(&["alias/prod-logs"]),
                s(&["module.keys.aws_sqs_queue.this[\"logs\"]"]),
                "prod".into()
            ),
            (
                "module.keys.aws_kms_key.this[\"s3\"]".into(),
                s(&["alias/prod-s3"]),
                s(&[
                    "aws_s3_bucket_server_side_encryption_configuration.data",
                    "module.keys.aws_sqs_queue.this[\"s3\"]"
                ]),
                "prod".into()
            ),
        ]
    );
}

/// A key created in a module takes the environment of the root module that calls it.
#[test]
fn keys_in_modules_take_the_environment_of_their_root() {
    let text = keys_of("testdata/projects/platform", "json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let envs: Vec<(&str, &str)> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["address"].as_str().unwrap(),
                k["environment"].as_str().unwrap_or("none"),
            )
        })
        .collect();
    assert!(envs.contains(&("module.kms.aws_kms_external_key.this[\"s3\"]", "dev")));
    assert!(envs.contains(&("module.kms.aws_kms_external_key.this[\"s3\"]", "prod")));
    assert!(envs.iter().all(|(_, e)| *e != "none"), "{envs:?}");
    assert!(v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["rotation_status"] == "untracked" && k["enabled"] == "enabled"));
}

/// Labels that hold quotes (`this["s3"]`) are escaped in both graph languages.
#[test]
fn graph_labels_are_escaped() {
    let mermaid = keys_of("testdata/projects/keys_for_each", "mermaid");
    assert!(mermaid.contains("this[#quot;s3#quot;]"), "{mermaid}");
    assert!(!mermaid.contains("[\"s3\"]"));
    let dot = keys_of("testdata/projects/keys_for_each", "dot");
    assert!(dot.contains("this[\\\"s3\\\"]"), "{dot}");
}
