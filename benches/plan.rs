//! Plan benchmark: generates a Terraform plan JSON of 10,000 resource instances (54 MB,
//! one line, as `terraform show -json` writes it) in child modules, with what real plans
//! carry: the configuration section with its expressions, planned values, key, bucket and
//! queue policies, `tags_all` with the provider's default tags, the `*_unknown` and
//! `*_sensitive` masks, a third of updates carrying their prior values, the prior state
//! and the relevant attributes; and measures `check` on it. The plan is the same on every
//! run.
//!
//! `cargo bench --bench plan` (release profile). `IACGUARD_BENCH_RESOURCES=N` sets the
//! size; `IACGUARD_BENCH_PLAN_GENERATE=path` only writes the plan there (for the peers'
//! comparison).

use iacguard::{scan, ScanOptions};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// A key policy of realistic size (a few statements).
fn policy(i: usize) -> String {
    let statements: Vec<Value> = (0..7)
        .map(|s| {
            json!({
                "Sid": format!("Statement{s}"),
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::1111222233{:02}:role/service-role-{i}-{s}", s)},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:ViaService": format!("s3.eu-west-1.amazonaws.com"), "kms:CallerAccount": "111122223333"}}
            })
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

/// A `*_sensitive` mask marking nothing: the value's maps and lists, emptied.
fn mask(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(_, x)| x.is_object() || x.is_array())
                .map(|(k, x)| (k.clone(), mask(x)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask).collect()),
        _ => json!(false),
    }
}

/// The provider's `default_tags` of module instance `m`.
fn default_tags(m: usize) -> Value {
    json!({"ManagedBy": "terraform", "Repository": "github.com/example/platform",
      "Stack": format!("svc{m}"), "DataClassification": "internal"})
}

/// The planned and prior values of one module instance's resources.
struct Module {
    changes: Vec<Value>,
    planned: Vec<Value>,
    /// The prior state of the resources updated.
    prior: Vec<Value>,
}

/// One module's resources: a key, its alias, a bucket and its encryption, a vault and
/// taggable queues; `n` instances in all.
fn module_changes(m: usize, n: usize, out: &mut Module) {
    let module = format!("module.svc[\"svc{m}\"]");
    let tags =
        json!({"Environment": "prod", "Owner": format!("team-{}", m % 7), "CostCenter": "cc-42"});
    // `tags_all`: the tags merged with the provider's `default_tags`.
    let mut tags_all = default_tags(m);
    if let (Some(all), Some(own)) = (tags_all.as_object_mut(), tags.as_object()) {
        all.extend(own.clone());
    }
    for i in 0..n {
        let (rtype, name, mut after, unknown) = match i % 6 {
            0 => (
                "aws_kms_key",
                format!("k{i}"),
                json!({"bypass_policy_lockout_safety_check": false, "custom_key_store_id": null,
                  "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": 30,
                  "description": format!("key {i} of svc{m}"), "enable_key_rotation": i % 12 != 0,
                  "is_enabled": true, "key_usage": "ENCRYPT_DECRYPT", "policy": policy(i),
                  "tags": tags, "tags_all": tags_all, "timeouts": null, "xks_key_id": null}),
                json!({"arn": true, "id": true, "key_id": true, "multi_region": true, "rotation_period_in_days": true}),
            ),
            1 => (
                "aws_kms_alias",
                format!("k{}", i - 1),
                json!({"name": format!("alias/svc{m}-{i}")}),
                json!({"arn": true, "id": true, "name_prefix": true, "target_key_arn": true, "target_key_id": true}),
            ),
            2 => (
                "aws_s3_bucket",
                format!("b{i}"),
                json!({"bucket": format!("svc{m}-bucket-{i}"), "force_destroy": false, "policy": policy(i),
                  "tags": tags, "tags_all": tags_all, "timeouts": null}),
                json!({"arn": true, "id": true, "versioning": true, "server_side_encryption_configuration": true}),
            ),
            3 => (
                "aws_s3_bucket_server_side_encryption_configuration",
                format!("b{}", i - 1),
                json!({"expected_bucket_owner": null, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}], "bucket_key_enabled": true}]}),
                json!({"bucket": true, "id": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]}),
            ),
            4 => (
                "aws_backup_vault",
                format!("v{i}"),
                json!({"force_destroy": false, "name": format!("svc{m}-vault-{i}"), "tags": tags, "tags_all": tags_all, "timeouts": null}),
                json!({"arn": true, "id": true, "kms_key_arn": true, "recovery_points": true}),
            ),
            _ => (
                "aws_sqs_queue",
                format!("q{i}"),
                json!({"name": format!("svc{m}-queue-{i}"), "delay_seconds": 0, "max_message_size": 262144,
                  "message_retention_seconds": 345600, "policy": policy(i), "tags": tags, "tags_all": tags_all}),
                json!({"arn": true, "id": true, "kms_master_key_id": true, "url": true}),
            ),
        };
        let address = format!("{module}.{rtype}.{name}");
        let masks = mask(&after);
        // A third are updates: their prior value comes with them.
        let update = (i / 6) % 3 == 0;
        if update {
            if let Some(o) = after.as_object_mut() {
                o.insert(
                    "arn".into(),
                    json!(format!(
                        "arn:aws:service:eu-west-1:111122223333:{rtype}/{name}"
                    )),
                );
                o.insert("id".into(), json!(format!("{name}-{m}")));
            }
        }
        let change = json!({
            "actions": if update { json!(["update"]) } else { json!(["create"]) },
            "before": if update { after.clone() } else { Value::Null },
            "after": after,
            // The masks repeat the value's maps and lists, as Terraform writes them.
            "after_unknown": if update { masks.clone() } else { unknown },
            "before_sensitive": if update { masks.clone() } else { json!(false) },
            "after_sensitive": masks,
        });
        out.planned.push(
            json!({"address": address, "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": change["after"], "sensitive_values": change["after_sensitive"]}),
        );
        if update {
            // What the state holds: the same values, with the attributes the provider
            // computed.
            let mut values = change["before"].clone();
            if let Some(o) = values.as_object_mut() {
                o.insert("region".into(), json!("eu-west-1"));
                o.insert("tags_all".into(), tags_all.clone());
                if rtype == "aws_s3_bucket" {
                    let bucket = format!("svc{m}-bucket-{i}");
                    o.insert("acceleration_status".into(), json!(""));
                    o.insert(
                        "bucket_domain_name".into(),
                        json!(format!("{bucket}.s3.amazonaws.com")),
                    );
                    o.insert(
                        "bucket_regional_domain_name".into(),
                        json!(format!("{bucket}.s3.eu-west-1.amazonaws.com")),
                    );
                    o.insert("hosted_zone_id".into(), json!("Z1BKCTXD74EZPE"));
                    o.insert("object_lock_enabled".into(), json!(false));
                    o.insert("request_payer".into(), json!("BucketOwner"));
                    o.insert("grant".into(), json!([{"id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}]));
                    o.insert(
                        "versioning".into(),
                        json!([{"enabled": false, "mfa_delete": false}]),
                    );
                    o.insert("server_side_encryption_configuration".into(), json!([{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": false}]}]));
                }
            }
            out.prior.push(
                json!({"address": address, "mode": "managed", "type": rtype, "name": name,
                "index": null, "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0, "values": values,
                "sensitive_values": {"tags": {}, "tags_all": {}},
                "depends_on": [format!("{module}.data.aws_iam_policy_document.key")]}),
            );
        }
        out.changes.push(
            json!({"address": address, "module_address": module, "mode": "managed",
            "type": rtype, "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": change}),
        );
    }
}

/// The module's configuration: what each resource writes, with its references.
fn module_configuration(n: usize) -> Value {
    let mut resources = Vec::new();
    for i in 0..n {
        let (rtype, name, expressions) = match i % 6 {
            0 => (
                "aws_kms_key",
                format!("k{i}"),
                json!({"description": {"references": ["var.name"]}, "enable_key_rotation": {"constant_value": i % 12 != 0}, "deletion_window_in_days": {"constant_value": 30}, "policy": {"references": ["data.aws_iam_policy_document.key.json", "data.aws_iam_policy_document.key"]}, "tags": {"references": ["var.tags"]}}),
            ),
            1 => (
                "aws_kms_alias",
                format!("k{}", i - 1),
                json!({"name": {"references": ["var.name"]}, "target_key_id": {"references": [format!("aws_kms_key.k{}.key_id", i - 1), format!("aws_kms_key.k{}", i - 1)]}}),
            ),
            2 => (
                "aws_s3_bucket",
                format!("b{i}"),
                json!({"bucket": {"references": ["var.name"]}, "policy": {"references": ["var.policy"]}, "tags": {"references": ["var.tags"]}}),
            ),
            3 => (
                "aws_s3_bucket_server_side_encryption_configuration",
                format!("b{}", i - 1),
                json!({"bucket": {"references": [format!("aws_s3_bucket.b{}.id", i - 1), format!("aws_s3_bucket.b{}", i - 1)]}, "rule": [{"bucket_key_enabled": {"constant_value": true}, "apply_server_side_encryption_by_default": [{"sse_algorithm": {"constant_value": "aws:kms"}, "kms_master_key_id": {"references": [format!("aws_kms_key.k{}.arn", i - 3), format!("aws_kms_key.k{}", i - 3)]}}]}]}),
            ),
            4 => (
                "aws_backup_vault",
                format!("v{i}"),
                json!({"name": {"references": ["var.name"]}, "tags": {"references": ["var.tags"]}}),
            ),
            _ => (
                "aws_sqs_queue",
                format!("q{i}"),
                json!({"name": {"references": ["var.name"]}, "kms_master_key_id": {"references": ["aws_kms_alias.k0.name", "aws_kms_alias.k0"]}, "policy": {"references": ["var.policy"]}, "tags": {"references": ["var.tags"]}}),
            ),
        };
        resources.push(json!({"address": format!("{rtype}.{name}"), "mode": "managed", "type": rtype, "name": name, "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}));
    }
    json!({"resources": resources, "variables": {"name": {}, "tags": {}, "policy": {}}})
}

/// A plan of `resources` instances in modules of 100.
fn generate(resources: usize) -> String {
    let per_module = 100;
    let modules = resources.div_ceil(per_module);
    let mut out = Module {
        changes: Vec::new(),
        planned: Vec::new(),
        prior: Vec::new(),
    };
    let mut children = Vec::new();
    let mut prior_children = Vec::new();
    for m in 0..modules {
        let n = per_module.min(resources - m * per_module);
        module_changes(m, n, &mut out);
        let address = format!("module.svc[\"svc{m}\"]");
        children.push(json!({"address": address, "resources": std::mem::take(&mut out.planned)}));
        prior_children
            .push(json!({"address": address, "resources": std::mem::take(&mut out.prior)}));
    }
    let configuration = json!({
        "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
          "expressions": {"region": {"constant_value": "eu-west-1"},
            "default_tags": [{"tags": {"references": ["local.default_tags"]}}]}}},
        "root_module": {
          "module_calls": {"svc": {"source": "./modules/svc",
            "for_each_expression": {"references": ["local.services"]},
            "expressions": {"name": {"references": ["each.key"]},
              "tags": {"references": ["each.value.tags", "each.value"]},
              "policy": {"references": ["data.aws_iam_policy_document.shared.json", "data.aws_iam_policy_document.shared"]}},
            "module": module_configuration(per_module)}},
          "resources": [{"address": "data.aws_iam_policy_document.shared", "mode": "data",
            "type": "aws_iam_policy_document", "name": "shared", "provider_config_key": "aws",
            "expressions": {"statement": [{"actions": {"constant_value": ["kms:Decrypt"]},
              "resources": {"constant_value": ["*"]}}]}, "schema_version": 0}],
          "variables": {"environment": {"default": "prod", "description": "the environment"}}}
    });
    // The attributes of other resources the changes depend on.
    let relevant: Vec<Value> = out
        .changes
        .iter()
        .filter(|c| c["type"] == "aws_kms_alias")
        .map(|c| {
            let key = c["address"]
                .as_str()
                .unwrap_or("")
                .replace("aws_kms_alias", "aws_kms_key");
            json!({"resource": key, "attribute": ["key_id"]})
        })
        .collect();
    let prior_state = json!({"format_version": "1.0", "terraform_version": "1.9.8",
        "values": {"root_module": {"child_modules": prior_children}}});
    // In the order `terraform show -json` writes (serde_json's objects sort their keys).
    format!(
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.8\",\"variables\":{{\"environment\":{{\"value\":\"prod\"}}}},\"planned_values\":{},\"resource_changes\":{},\"prior_state\":{},\"configuration\":{},\"relevant_attributes\":{},\"timestamp\":\"2026-11-30T10:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}}",
        json!({"root_module": {"child_modules": children}}),
        Value::Array(out.changes),
        prior_state,
        configuration,
        Value::Array(relevant)
    )
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: only smoke-test then.
    let benching = std::env::args().any(|a| a == "--bench");
    let resources: usize = std::env::var("IACGUARD_BENCH_RESOURCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 10_000 } else { 60 });
    let text = generate(resources);
    if let Some(out) = std::env::var_os("IACGUARD_BENCH_PLAN_GENERATE") {
        std::fs::write(&out, &text).expect("write the plan");
        println!(
            "generated a plan of {resources} resources ({:.1} MB) in {}",
            text.len() as f64 / 1e6,
            Path::new(&out).display()
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let plan = tmp.path().join("tfplan.json");
    std::fs::write(&plan, &text).expect("write the plan");
    let runs = if benching { 5 } else { 1 };
    for threads in [1, 2] {
        let options = ScanOptions {
            paths: vec![plan.clone()],
            root: tmp.path().to_path_buf(),
            threads,
            ..ScanOptions::default()
        };
        let mut findings = 0;
        let full = best_of(runs, || {
            let r = scan(&options);
            assert!(
                r.diagnostics.iter().all(|d| d.rule != "parse-error"),
                "the generated plan does not parse"
            );
            findings = r.diagnostics.len();
            assert_eq!(r.plans.len(), 1, "the generated plan is read as a plan");
        });
        println!(
            "threads={threads} resources={resources} MB={:.1} findings={findings}: {:.1} ms ({:.0} MB/s)",
            text.len() as f64 / 1e6,
            full.as_secs_f64() * 1e3,
            text.len() as f64 / 1e6 / full.as_secs_f64()
        );
        assert!(findings > 0, "the generated plan has findings to report");
    }
}
