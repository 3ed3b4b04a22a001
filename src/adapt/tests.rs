//! The adapters, one resource at a time: a source snippet in, the model's fields and
//! their spans out (what is written, what is left to the AWS default, what is set but
//! not known, and the attribute name a message shows).

use super::adapt;
use crate::model::kms::{KeyOrigin, Resolution};
use crate::model::{How, Link, Model, Val};

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

/// The addresses a backup link reaches, or its state.
fn reached<T>(
    link: Link<Vec<&T>>,
    meta: impl Fn(&T) -> &crate::model::ResourceMeta,
) -> Link<Vec<String>> {
    match link {
        Link::Linked(v) => Link::Linked(v.into_iter().map(|x| meta(x).address.clone()).collect()),
        Link::Maybe => Link::Maybe,
        Link::None => Link::None,
    }
}

#[test]
fn backup_links_reach_what_is_named_or_say_why_not() {
    let (mut m, _) = terraform(
        r#"variable "vault" {}
variable "lock" {}
resource "aws_backup_vault" "a" {
  name = "a"
}
resource "aws_backup_vault" "b" {
  name = "b"
}
resource "aws_backup_vault" "c" {
  name = "c"
}
resource "aws_backup_vault_lock_configuration" "a" {
  backup_vault_name  = aws_backup_vault.a.name
  min_retention_days = 7
}
resource "aws_backup_vault_lock_configuration" "b" {
  count              = var.lock ? 1 : 0
  backup_vault_name  = "b"
  min_retention_days = 7
}
resource "aws_backup_vault_lock_configuration" "elsewhere" {
  backup_vault_name  = "elsewhere"
  min_retention_days = 7
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "known"
    target_vault_name = aws_backup_vault.c.name
  }
  rule {
    rule_name         = "unknown"
    target_vault_name = var.vault
  }
}
resource "aws_backup_selection" "s" {
  name         = "s"
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  plan_id      = aws_backup_plan.p.id
}
resource "aws_backup_selection" "other" {
  name         = "other"
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"
  plan_id      = "0123abcd"
}
"#,
    );
    m.finish();
    let vault = |name: &str| {
        m.backup_vaults
            .iter()
            .find(|v| v.meta.address == name)
            .expect("a vault")
    };
    let lock = |name: &str| {
        m.vault_locks
            .iter()
            .find(|l| l.meta.address.starts_with(name))
            .expect("a lock")
    };
    let locks_on = |name: &str| reached(m.locks_on(vault(name)), |l| &l.meta);
    let vaults_of = |l| reached(m.vaults_of_lock(l), |v| &v.meta);
    assert_eq!(
        locks_on("aws_backup_vault.a"),
        Link::Linked(vec!["aws_backup_vault_lock_configuration.a".to_string()])
    );
    // A lock that may not exist: the vault may be locked.
    assert_eq!(locks_on("aws_backup_vault.b"), Link::Maybe);
    assert_eq!(
        vaults_of(lock("aws_backup_vault_lock_configuration.b")),
        Link::Linked(vec!["aws_backup_vault.b".to_string()])
    );
    assert_eq!(locks_on("aws_backup_vault.c"), Link::None);
    assert_eq!(
        m.locked_vault(lock("aws_backup_vault_lock_configuration.a"))
            .map(|v| v.meta.address.as_str()),
        Some("aws_backup_vault.a")
    );
    // A vault name of no vault of the configuration.
    assert_eq!(
        vaults_of(lock("aws_backup_vault_lock_configuration.elsewhere")),
        Link::None
    );

    let rules = m.backup_plans[0].rules.as_ref().expect("known rules");
    assert_eq!(
        reached(m.vaults_of_rule(&rules[0]), |v| &v.meta),
        Link::Linked(vec!["aws_backup_vault.c".to_string()])
    );
    assert_eq!(
        reached(m.vaults_of_rule(&rules[1]), |v| &v.meta),
        Link::Maybe
    );

    let selection = |name: &str| {
        let s = m
            .backup_selections
            .iter()
            .find(|s| s.meta.address == name)
            .expect("a selection");
        reached(m.plans_of(s), |p| &p.meta)
    };
    assert_eq!(
        selection("aws_backup_selection.s"),
        Link::Linked(vec!["aws_backup_plan.p".to_string()])
    );
    // A plan id written out is a plan of another configuration.
    assert_eq!(selection("aws_backup_selection.other"), Link::None);
}

#[test]
fn a_lock_that_may_not_exist_may_lock_its_vault_and_one_of_no_known_vault_any_vault() {
    let (mut m, _) = template(
        "Parameters:\n  Lock:\n    Type: String\nConditions:\n  On: !Equals [!Ref Lock, 'yes']\nResources:\n  V:\n    Type: AWS::Backup::BackupVault\n    Properties:\n      BackupVaultName: v\n      LockConfiguration: !If [On, {MinRetentionDays: 7}, !Ref AWS::NoValue]\n  W:\n    Type: AWS::Backup::BackupVault\n    Properties:\n      BackupVaultName: w\n",
    );
    m.finish();
    assert_eq!(m.locks_on(&m.backup_vaults[0]).state(), Link::Maybe);
    assert_eq!(m.locks_on(&m.backup_vaults[1]).state(), Link::None);
    let (mut m, _) = terraform(
        r#"variable "vault" {}
resource "aws_backup_vault" "a" {
  name = "a"
}
resource "aws_backup_vault" "b" {
  name = "b"
}
resource "aws_backup_vault_lock_configuration" "l" {
  backup_vault_name  = var.vault
  min_retention_days = 7
}
"#,
    );
    m.finish();
    assert_eq!(m.vaults_of_lock(&m.vault_locks[0]).state(), Link::Maybe);
    assert_eq!(m.locks_on(&m.backup_vaults[0]).state(), Link::Maybe);
    assert_eq!(m.locks_on(&m.backup_vaults[1]).state(), Link::Maybe);
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

/// How a consumer's key links: its reference kind (`key`, `alias`, or `-`), the resource
/// it names, and the key and alias it reaches.
fn consumer_link(m: &Model, rtype: &str) -> (&'static str, String, Option<String>, Option<String>) {
    use crate::model::{display_name, KeyRef};
    let c = m
        .kms_consumers
        .iter()
        .find(|c| c.meta.rtype == rtype)
        .expect("the resource consumes a key");
    let (kind, named) = match &c.reference {
        KeyRef::RawKeyResource(r) => ("key", display_name(r).to_string()),
        KeyRef::AliasResource(r) => ("alias", display_name(r).to_string()),
        KeyRef::Unknown => ("-", String::new()),
        other => panic!("not a reference: {other:?}"),
    };
    (
        kind,
        named,
        c.key().map(|k| display_name(k).to_string()),
        c.alias.linked().map(|a| display_name(a).to_string()),
    )
}

#[test]
fn a_reference_through_each_attribute_of_each_format_links_by_what_it_gives() {
    let some = |s: &str| Some(s.to_string());
    let tf = |value: &str| {
        let (mut m, _) = terraform(&format!(
            r#"resource "aws_kms_key" "k" {{}}
resource "aws_kms_alias" "a" {{
  name          = "alias/app"
  target_key_id = aws_kms_key.k.key_id
}}
data "aws_kms_key" "d" {{
  key_id = "alias/shared"
}}
data "aws_kms_alias" "l" {{
  name = "alias/other"
}}
resource "aws_sqs_queue" "q" {{
  kms_master_key_id = {value}
}}
"#
        ));
        m.finish();
        let (kind, named, key, alias) = consumer_link(&m, "aws_sqs_queue");
        (kind, named, key, alias)
    };
    for attr in ["arn", "key_id", "id"] {
        assert_eq!(
            tf(&format!("aws_kms_key.k.{attr}")),
            ("key", "aws_kms_key.k".into(), some("aws_kms_key.k"), None),
            "aws_kms_key.k.{attr}"
        );
    }
    for attr in ["arn", "name", "id"] {
        assert_eq!(
            tf(&format!("aws_kms_alias.a.{attr}")),
            (
                "alias",
                "aws_kms_alias.a".into(),
                some("aws_kms_key.k"),
                some("aws_kms_alias.a")
            ),
            "aws_kms_alias.a.{attr}"
        );
    }
    for attr in ["target_key_arn", "target_key_id"] {
        assert_eq!(
            tf(&format!("aws_kms_alias.a.{attr}")),
            (
                "key",
                "aws_kms_key.k".into(),
                some("aws_kms_key.k"),
                some("aws_kms_alias.a")
            ),
            "aws_kms_alias.a.{attr}"
        );
    }
    for attr in ["arn", "id", "key_id"] {
        assert_eq!(
            tf(&format!("data.aws_kms_key.d.{attr}")),
            ("key", "data.aws_kms_key.d".into(), None, None),
            "data.aws_kms_key.d.{attr}"
        );
    }
    for attr in ["arn", "name", "id"] {
        assert_eq!(
            tf(&format!("data.aws_kms_alias.l.{attr}")),
            ("alias", "data.aws_kms_alias.l".into(), None, None),
            "data.aws_kms_alias.l.{attr}"
        );
    }
    for attr in ["target_key_arn", "target_key_id"] {
        assert_eq!(
            tf(&format!("data.aws_kms_alias.l.{attr}")),
            ("key", "data.aws_kms_alias.l".into(), None, None),
            "data.aws_kms_alias.l.{attr}"
        );
    }
    // An attribute that gives no key or alias, and one that the other format names.
    for value in [
        "aws_kms_key.k.description",
        "aws_kms_alias.a.name_prefix",
        "data.aws_kms_key.d.description",
        "data.aws_kms_alias.l.target_key_ids",
    ] {
        assert_eq!(tf(value), ("-", String::new(), None, None), "{value}");
    }

    let cfn = |value: &str| {
        let (mut m, _) = template(&format!(
            "Resources:\n  K:\n    Type: AWS::KMS::Key\n  A:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/app\n      TargetKeyId: !Ref K\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: {value}\n"
        ));
        m.finish();
        consumer_link(&m, "AWS::SQS::Queue")
    };
    for value in ["!GetAtt K.Arn", "!GetAtt K.KeyId", "!Ref K"] {
        assert_eq!(cfn(value), ("key", "K".into(), some("K"), None), "{value}");
    }
    assert_eq!(cfn("!Ref A"), ("alias", "A".into(), some("K"), some("A")));

    // A replica links to its primary through the primary's ARN only.
    let replica = |tf_attr: &str| {
        let (mut m, _) = terraform(&format!(
            "resource \"aws_kms_key\" \"k\" {{\n  multi_region = true\n}}\nresource \"aws_kms_replica_key\" \"r\" {{\n  primary_key_arn = aws_kms_key.k.{tf_attr}\n}}\n"
        ));
        m.finish();
        let r = m
            .kms_keys
            .iter()
            .find(|k| k.is_replica())
            .expect("a replica");
        r.primary_key()
            .map(|k| crate::model::display_name(k).to_string())
    };
    assert_eq!(replica("arn"), some("aws_kms_key.k"));
    assert_eq!(replica("key_id"), None);
    let (mut m, _) = template(
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      MultiRegion: true\n  R:\n    Type: AWS::KMS::ReplicaKey\n    Properties:\n      PrimaryKeyArn: !GetAtt K.Arn\n",
    );
    m.finish();
    let r = m
        .kms_keys
        .iter()
        .find(|k| k.is_replica())
        .expect("a replica");
    assert_eq!(r.primary_key().map(crate::model::display_name), Some("K"));
}
