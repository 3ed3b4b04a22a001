//! Throughput benchmark: generates a tree of Terraform modules and CloudFormation templates
//! of realistic shape, then measures the full pipeline (discover, parse, evaluate, model,
//! rules) and the parse-only floor, at 1 and 2 threads.
//!
//! `cargo bench --bench scan` (release profile). `IACGUARD_BENCH_MODULES=N` sets the size,
//! `IACGUARD_BENCH_DIR=path` benchmarks an existing tree instead, and
//! `IACGUARD_BENCH_GENERATE=path` only writes the generated tree there.

use iacguard::{parse_only, scan, ScanOptions};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn module(i: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"variable "env" {{
  type    = string
  default = "dev"
}}

variable "rotate" {{
  type    = bool
  default = {rotate}
}}

locals {{
  name = "svc{i}-${{var.env}}"
  tags = {{
    Environment = var.env
    Service     = "svc{i}"
    ToBackup    = "true"
  }}
}}

resource "aws_kms_key" "data" {{
  description             = "data key for ${{local.name}}"
  enable_key_rotation     = var.rotate
  deletion_window_in_days = 30
  tags                    = local.tags
}}

resource "aws_kms_alias" "data" {{
  name          = "alias/${{local.name}}-data"
  target_key_id = aws_kms_key.data.key_id
}}

resource "aws_s3_bucket" "data" {{
  bucket = "${{local.name}}-data"
  tags   = merge(local.tags, {{ Name = "${{local.name}}-data" }})
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {{
  bucket = aws_s3_bucket.data.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_alias.data.arn
    }}
  }}
}}

resource "aws_db_instance" "db" {{
  count             = var.env == "prod" ? 2 : 1
  identifier        = "${{local.name}}-db-${{count.index}}"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.data.arn
  tags              = local.tags
}}
"#,
        rotate = i % 3 != 0
    );
    s
}

fn template(i: usize) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Description: service {i}
Parameters:
  Environment:
    Type: String
    Default: dev
    AllowedValues: [dev, test, prod]
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: !Sub "data key ${{Environment}} {i}"
      EnableKeyRotation: !If [IsProd, true, {rotate}]
      PendingWindowInDays: 30
      Tags:
        - Key: Environment
          Value: !Ref Environment
  DataAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: !Sub "alias/svc{i}-${{Environment}}"
      TargetKeyId: !Ref DataKey
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !Ref DataAlias
      Tags:
        - Key: ToBackup
          Value: "true"
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !GetAtt DataKey.Arn
Outputs:
  KeyArn:
    Value: !GetAtt DataKey.Arn
    Export:
      Name: !Sub "${{AWS::StackName}}-key"
"#,
        rotate = i % 2 == 0
    )
}

/// A module-heavy configuration: one root calling 50 local modules, each with locals,
/// `count` and `for_each`.
fn platform(dir: &Path, index: usize) {
    let root = dir.join(format!("platform{index}"));
    let mut main = String::new();
    for m in 0..50 {
        let mdir = root.join(format!("modules/m{m}"));
        std::fs::create_dir_all(&mdir).expect("mkdir");
        std::fs::write(
            mdir.join("main.tf"),
            format!(
                r#"variable "env" {{ type = string }}
variable "replicas" {{
  type    = number
  default = 2
}}

locals {{
  name     = "m{m}-${{var.env}}"
  rotate   = var.env == "prod"
  services = {{ for s in ["a", "b", "c"] : s => "${{local.name}}-${{s}}" }}
}}

resource "aws_kms_key" "k" {{
  count               = var.replicas
  description         = "${{local.name}}-${{count.index}}"
  enable_key_rotation = local.rotate
}}

resource "aws_sqs_queue" "q" {{
  for_each          = local.services
  name              = each.value
  kms_master_key_id = aws_kms_key.k[0].arn
}}

output "key_arn" {{ value = aws_kms_key.k[0].arn }}
"#
            ),
        )
        .expect("write");
        main.push_str(&format!(
            "module \"m{m}\" {{\n  source = \"./modules/m{m}\"\n  env    = var.env\n}}\n\n"
        ));
    }
    main.push_str("variable \"env\" {\n  default = \"dev\"\n}\n");
    std::fs::write(root.join("main.tf"), main).expect("write");
}

fn generate(dir: &Path, modules: usize) {
    for p in 0..(modules / 100).max(1) {
        platform(dir, p);
    }
    for i in 0..modules {
        let m = dir.join(format!("envs/env{}/svc{i}", i % 4));
        std::fs::create_dir_all(&m).expect("mkdir");
        std::fs::write(m.join("main.tf"), module(i)).expect("write");
        std::fs::write(m.join("terraform.tfvars"), "env = \"test\"\n").expect("write");
        std::fs::write(m.join(format!("stack{i}.yaml")), template(i)).expect("write");
    }
}

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

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: only smoke-test then.
    let benching = std::env::args().any(|a| a == "--bench");
    let modules: usize = std::env::var("IACGUARD_BENCH_MODULES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 2000 } else { 5 });
    if let Some(out) = std::env::var_os("IACGUARD_BENCH_GENERATE") {
        // Only write the tree (for profiling or for the peers' comparison).
        generate(Path::new(&out), modules);
        println!(
            "generated {modules} modules in {}",
            Path::new(&out).display()
        );
        return;
    }
    let tmp;
    let root: PathBuf = match std::env::var_os("IACGUARD_BENCH_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            tmp = tempfile::tempdir().expect("tempdir");
            generate(tmp.path(), modules);
            tmp.path().to_path_buf()
        }
    };
    let runs = if benching { 5 } else { 1 };
    println!("tree: {}", root.display());
    for threads in [1, 2] {
        let options = ScanOptions {
            paths: vec![root.clone()],
            root: root.clone(),
            threads,
            ..ScanOptions::default()
        };
        let (files, bytes) = parse_only(&options);
        let parse = best_of(runs, || {
            parse_only(&options);
        });
        let mut findings = 0;
        let full = best_of(runs, || {
            findings = scan(&options).diagnostics.len();
        });
        let mb = bytes as f64 / 1e6;
        println!(
            "threads={threads} files={files} MB={mb:.2} findings={findings}\n  full pipeline: {:>8.1} ms  {:>9.0} files/s  {:>6.1} MB/s\n  parse only:    {:>8.1} ms  {:>9.0} files/s  {:>6.1} MB/s",
            full.as_secs_f64() * 1e3,
            files as f64 / full.as_secs_f64(),
            mb / full.as_secs_f64(),
            parse.as_secs_f64() * 1e3,
            files as f64 / parse.as_secs_f64(),
            mb / parse.as_secs_f64(),
        );
    }
}
