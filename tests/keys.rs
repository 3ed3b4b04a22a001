//! `iacguard keys`: the rotation inventory of a multi-environment project.

use assert_cmd::Command;

fn keys(format: &str) -> String {
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "keys",
            "--today",
            "2026-06-01",
            "--format",
            format,
            "testdata/projects/keys",
        ])
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
