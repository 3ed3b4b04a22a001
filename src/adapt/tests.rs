//! The adapters, one resource at a time: a source snippet in, the model's fields and
//! their spans out (what is written, what is left to the AWS default, what is set but
//! not known, and the attribute name a message shows).

use super::adapt;
use crate::model::kms::{KeyOrigin, Resolution};
use crate::model::{How, Model, Val};

/// The Terraform snippet evaluated as one root module and adapted.
fn terraform(src: &str) -> (Model, String) {
    let parsed = crate::syntax::hcl::parse(src, 0);
    let file = crate::terraform::TfFile {
        dir: String::new(),
        name: "main.tf".into(),
        body: parsed.body.expect("the snippet parses"),
        is_tfvars: false,
    };
    let (instances, _) = crate::terraform::evaluate(
        [&file],
        &Default::default(),
        &[],
        &crate::terraform::Manifests::new(),
    );
    let mut model = Model::default();
    for r in &instances {
        adapt(r, &mut model);
    }
    (model, src.to_string())
}

/// The template evaluated and adapted.
fn template(src: &str) -> (Model, String) {
    let parsed = crate::syntax::yaml::parse(src, 0);
    let root = parsed.root.expect("the template parses");
    let (instances, _) = crate::cloudformation::evaluate(
        &root,
        &Default::default(),
        &crate::cloudformation::Exports::new(),
    );
    let mut model = Model::default();
    for r in &instances {
        adapt(r, &mut model);
    }
    (model, src.to_string())
}

/// The text a field's span covers.
fn text<'a, T>(src: &'a str, v: &Val<T>) -> &'a str {
    &src[v.span.start as usize..v.span.end as usize]
}

#[test]
fn terraform_key_defaults_and_written_values() {
    let (m, src) = terraform(
        r#"resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
"#,
    );
    let k = &m.kms_keys[0];
    assert_eq!(k.rotation_enabled.known(), Some(&true));
    assert_eq!(k.rotation_enabled.how, How::Explicit);
    assert_eq!(k.rotation_enabled.attr, "enable_key_rotation");
    assert_eq!(text(&src, &k.rotation_enabled), "true");
    // Left out: the AWS default, at the resource header, named as Terraform names it.
    assert_eq!(
        k.spec.known().map(String::as_str),
        Some("SYMMETRIC_DEFAULT")
    );
    assert_eq!(k.spec.how, How::Default);
    assert_eq!(k.spec.attr, "customer_master_key_spec");
    assert_eq!(k.deletion_window_days.known(), Some(&30.0));
    assert_eq!(k.deletion_window_days.attr, "deletion_window_in_days");
    assert!(text(&src, &k.deletion_window_days).starts_with("resource \"aws_kms_key\""));
    assert_eq!(k.origin.known(), Some(&KeyOrigin::AwsKms));
}

#[test]
fn template_key_defaults_and_written_values() {
    let (m, src) = template(
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n      PendingWindowInDays: 7\n",
    );
    let k = &m.kms_keys[0];
    assert_eq!(k.rotation_enabled.known(), Some(&false));
    assert_eq!(k.rotation_enabled.attr, "EnableKeyRotation");
    assert_eq!(text(&src, &k.rotation_enabled), "false");
    assert_eq!(k.deletion_window_days.known(), Some(&7.0));
    assert_eq!(k.deletion_window_days.attr, "PendingWindowInDays");
    assert_eq!(
        k.spec.known().map(String::as_str),
        Some("SYMMETRIC_DEFAULT")
    );
    assert_eq!(k.spec.attr, "KeySpec");
    // A template cannot set an imported key's material expiry: no attribute for it.
    assert_eq!(k.valid_to.attr, "");
}

#[test]
fn imported_key_in_terraform_has_an_expiry_attribute_and_no_rotation() {
    let (m, _) = terraform(
        r#"resource "aws_kms_external_key" "k" {
  valid_to = "2027-01-01T00:00:00Z"
}
"#,
    );
    let k = &m.kms_keys[0];
    assert_eq!(k.origin.known(), Some(&KeyOrigin::External));
    assert_eq!(k.valid_to.attr, "valid_to");
    assert_eq!(
        k.valid_to.known().map(String::as_str),
        Some("2027-01-01T00:00:00Z")
    );
    assert_eq!(k.rotation_enabled.known(), Some(&false));
}

#[test]
fn key_consumers_come_from_the_one_table_in_both_formats() {
    let (m, src) = terraform(
        r#"resource "aws_db_instance" "db" {
  kms_key_id = "alias/db"
}
resource "aws_sqs_queue" "q" {
  kms_master_key_id = "alias/q"
}
"#,
    );
    let db = m
        .kms_consumers
        .iter()
        .find(|c| c.meta.rtype == "aws_db_instance")
        .expect("the instance consumes a key");
    assert_eq!(db.resolution, Resolution::AtCreation);
    assert_eq!(db.attribute, "kms_key_id");
    assert!(db.alias_at_creation.is_some());
    assert_eq!(
        &src[db.value.span.start as usize..db.value.span.end as usize],
        "\"alias/db\""
    );
    let q = m
        .kms_consumers
        .iter()
        .find(|c| c.meta.rtype == "aws_sqs_queue")
        .expect("the queue consumes a key");
    assert_eq!(q.resolution, Resolution::PerRequest);
    assert!(q.alias_at_creation.is_none());

    let (m, _) = template(
        "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      KmsKeyId: alias/db\n",
    );
    let c = &m.kms_consumers[0];
    assert_eq!(c.attribute, "KmsKeyId");
    assert_eq!(c.resolution, Resolution::AtCreation);
    // A stack keeps the value it was given: no drift to warn of.
    assert!(c.alias_at_creation.is_none());
}

#[test]
fn a_vault_lock_set_but_unknown_is_explicit_and_unknown() {
    let (m, src) = template(
        "Parameters:\n  Lock:\n    Type: String\nResources:\n  V:\n    Type: AWS::Backup::BackupVault\n    Properties:\n      BackupVaultName: v\n      LockConfiguration: !Ref Lock\n",
    );
    let lock = &m.vault_locks[0];
    assert_eq!(lock.min_retention_days.value, None);
    assert_eq!(lock.min_retention_days.how, How::Explicit);
    assert_eq!(lock.min_retention_days.attr, "MinRetentionDays");
    assert_eq!(text(&src, &lock.min_retention_days), "!Ref Lock");
    assert_eq!(
        m.backup_vaults[0].name.known().map(String::as_str),
        Some("v")
    );
}

#[test]
fn a_deployment_creates_a_stage_only_when_it_names_one() {
    let (m, _) = terraform(
        r#"resource "aws_api_gateway_deployment" "d" {
  rest_api_id = "abc"
}
resource "aws_api_gateway_deployment" "named" {
  rest_api_id = "abc"
  stage_name  = "prod"
}
"#,
    );
    assert_eq!(m.api_stages.len(), 1);
    assert_eq!(
        m.api_stages[0].name.known().map(String::as_str),
        Some("prod")
    );
    assert_eq!(m.api_stages[0].name.attr, "stage_name");
}

#[test]
fn a_sam_api_is_a_rest_api_with_its_stage() {
    let (m, _) = template(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n",
    );
    assert_eq!(m.rest_apis.len(), 1);
    assert_eq!(
        m.rest_apis[0].execute_api_disabled.attr,
        "DisableExecuteApiEndpoint"
    );
    assert_eq!(m.api_stages.len(), 1);
}

#[test]
fn a_distribution_web_acl_absent_written_or_not_known() {
    let (m, src) = terraform(
        r#"variable "acl" {
  type = string
}
resource "aws_cloudfront_distribution" "none" {
  enabled = true
}
resource "aws_cloudfront_distribution" "set" {
  web_acl_id = var.acl
}
"#,
    );
    let none = &m.cloudfront_distributions[0];
    assert_eq!(none.web_acl.how, How::Default);
    assert_eq!(none.web_acl.attr, "web_acl_id");
    let set = &m.cloudfront_distributions[1];
    assert_eq!(set.web_acl.how, How::Explicit);
    assert_eq!(set.web_acl.value, None);
    assert_eq!(text(&src, &set.web_acl), "var.acl");

    let (m, src) = template(
        "Parameters:\n  Config:\n    Type: String\nResources:\n  D:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig: !Ref Config\n  E:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        Enabled: true\n",
    );
    // A configuration that is not known is not "no web ACL".
    let d = &m.cloudfront_distributions[0];
    assert_eq!(d.web_acl.how, How::Explicit);
    assert_eq!(text(&src, &d.web_acl), "!Ref Config");
    let e = &m.cloudfront_distributions[1];
    assert_eq!(e.web_acl.how, How::Default);
    assert_eq!(e.web_acl.attr, "WebACLId");
}

#[test]
fn every_type_has_one_adapter() {
    let mut seen = std::collections::BTreeSet::new();
    for (t, _) in [
        super::kms::terraform::TYPES,
        super::kms::cloudformation::TYPES,
        super::backup::terraform::TYPES,
        super::backup::cloudformation::TYPES,
        super::apigateway::terraform::TYPES,
        super::apigateway::cloudformation::TYPES,
        super::cloudfront::terraform::TYPES,
        super::cloudfront::cloudformation::TYPES,
        super::policy::terraform::TYPES,
    ]
    .into_iter()
    .flatten()
    {
        assert!(seen.insert(*t), "{t} has two adapters");
    }
    assert_eq!(seen.len(), super::table().len());
}
