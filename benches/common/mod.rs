//! The generated tree both benchmarks run on: Terraform modules with tfvars,
//! CloudFormation templates, and module-heavy platform configurations.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

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
        rotate = !i.is_multiple_of(3)
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
        rotate = i.is_multiple_of(2)
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

pub fn generate(dir: &Path, modules: usize) {
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
