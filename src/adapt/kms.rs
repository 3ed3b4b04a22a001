//! Adapters for KMS keys, replica keys, imported keys, aliases and the AWS Config rules that watch rotation: the Terraform and the CloudFormation reading side by side.

use crate::model::kms::{AliasAtCreation, KeyConsumer, KeyOrigin, KeyRef, Resolution};
use crate::model::value::{field, num_of};
use crate::model::{KmsKey, Link, Model, ResourceMeta, Tags, Val};
use crate::resource::ResourceInstance;
use crate::source::Span;
use crate::value::Value;

/// The key spec of a key that sets none (and of every imported key).
const DEFAULT_KEY_SPEC: &str = crate::model::kms::SYMMETRIC_DEFAULT;
/// The key usage of a key that sets none.
const DEFAULT_KEY_USAGE: &str = crate::model::kms::ENCRYPT_DECRYPT;
/// The waiting period, in days, of a key deletion that sets none.
const DEFAULT_DELETION_WINDOW_DAYS: f64 = 30.0;

/// A key as KMS creates it when the resource sets nothing: symmetric encryption, key
/// material from KMS, single-Region, enabled, rotation off, the default deletion window.
/// Each adapter writes what its resource sets over it.
fn key(meta: ResourceMeta, h: Span) -> KmsKey {
    KmsKey {
        meta,
        origin: Val::default(Some(KeyOrigin::AwsKms), h),
        spec: Val::default(Some(DEFAULT_KEY_SPEC.into()), h),
        usage: Val::default(Some(DEFAULT_KEY_USAGE.into()), h),
        custom_key_store: Val::default(Some(false), h),
        multi_region: Val::default(Some(false), h),
        rotation_enabled: Val::default(Some(false), h),
        rotation_period_days: Val::default(None, h),
        deletion_window_days: Val::default(Some(DEFAULT_DELETION_WINDOW_DAYS), h),
        enabled: Val::default(Some(true), h),
        valid_to: Val::default(None, h),
        key_material: None,
        primary: None,
        primary_key: Link::None,
    }
}

/// A replica of a multi-Region key (`primary`: its primary as written): multi-Region, and
/// its spec, usage and automatic rotation are its primary's (linking fills in the first
/// two when the configuration defines the primary; the rotation is reported there).
/// Multi-Region keys are never in a custom key store.
fn replica(meta: ResourceMeta, h: Span, primary: Option<Value>) -> KmsKey {
    KmsKey {
        spec: Val::default(None, h),
        usage: Val::default(None, h),
        multi_region: Val::default(Some(true), h),
        rotation_enabled: Val::default(None, h),
        primary,
        ..key(meta, h)
    }
}

/// The waiting period of a key deletion, as the attribute `attr` sets it.
fn deletion_window(b: &Value, attr: &'static str, h: Span) -> Val<f64> {
    field(b, attr, h, Some(DEFAULT_DELETION_WINDOW_DAYS), num_of)
}

/// What an alias in an at-creation attribute of this resource type does on later runs
/// (see [`KeyConsumer::alias_at_creation`](crate::model::kms::KeyConsumer)).
/// A CloudFormation stack keeps the value it was given: none is said for its types.
fn alias_at_creation(rtype: &str) -> Option<AliasAtCreation> {
    match rtype {
        "aws_db_instance"
        | "aws_rds_cluster"
        | "aws_elasticache_replication_group"
        | "aws_redshift_cluster" => Some(AliasAtCreation::Replaced),
        "aws_dynamodb_table" => Some(AliasAtCreation::Diff),
        t if t.starts_with("aws_") => Some(AliasAtCreation::Stored),
        _ => None,
    }
}

/// Where keys are consumed: resource type, attribute path (nested blocks and lists are
/// walked), service label and alias resolution. One table for both formats.
pub struct ConsumerSpec {
    pub rtype: &'static str,
    pub path: &'static [&'static str],
    pub attribute: &'static str,
    pub service: &'static str,
    pub resolution: Resolution,
}

macro_rules! consumers {
    ($( $rtype:literal, [$($p:literal),+], $service:literal, $res:ident; )*) => {
        &[$( ConsumerSpec {
            rtype: $rtype,
            path: &[$($p),+],
            attribute: consumers!(@join $($p),+),
            service: $service,
            resolution: Resolution::$res,
        } ),*]
    };
    (@join $first:literal $(, $rest:literal)*) => { concat!($first $(, ".", $rest)*) };
}

pub const CONSUMERS: &[ConsumerSpec] = consumers![
    // Per request: the alias is resolved on every encryption.
    "aws_s3_bucket_server_side_encryption_configuration", ["rule", "apply_server_side_encryption_by_default", "kms_master_key_id"], "S3 bucket encryption", PerRequest;
    "aws_s3_bucket", ["server_side_encryption_configuration", "rule", "apply_server_side_encryption_by_default", "kms_master_key_id"], "S3 bucket encryption", PerRequest;
    "aws_sns_topic", ["kms_master_key_id"], "SNS topic encryption", PerRequest;
    "aws_sqs_queue", ["kms_master_key_id"], "SQS queue encryption", PerRequest;
    "aws_secretsmanager_secret", ["kms_key_id"], "Secrets Manager secret", PerRequest;
    "aws_ssm_parameter", ["key_id"], "SSM SecureString parameter", PerRequest;
    "AWS::S3::Bucket", ["BucketEncryption", "ServerSideEncryptionConfiguration", "ServerSideEncryptionByDefault", "KMSMasterKeyID"], "S3 bucket encryption", PerRequest;
    "AWS::SNS::Topic", ["KmsMasterKeyId"], "SNS topic encryption", PerRequest;
    "AWS::SQS::Queue", ["KmsMasterKeyId"], "SQS queue encryption", PerRequest;
    "AWS::SecretsManager::Secret", ["KmsKeyId"], "Secrets Manager secret", PerRequest;
    // At creation: the key ARN is stored with the resource.
    "aws_db_instance", ["kms_key_id"], "RDS instance storage", AtCreation;
    "aws_db_instance", ["performance_insights_kms_key_id"], "RDS Performance Insights", AtCreation;
    "aws_rds_cluster", ["kms_key_id"], "RDS cluster storage", AtCreation;
    "aws_rds_cluster", ["performance_insights_kms_key_id"], "RDS Performance Insights", AtCreation;
    "aws_dynamodb_table", ["server_side_encryption", "kms_key_arn"], "DynamoDB table encryption", AtCreation;
    "aws_dynamodb_table", ["replica", "kms_key_arn"], "DynamoDB replica encryption", AtCreation;
    "aws_ebs_volume", ["kms_key_id"], "EBS volume", AtCreation;
    "aws_instance", ["root_block_device", "kms_key_id"], "EC2 root volume", AtCreation;
    "aws_instance", ["ebs_block_device", "kms_key_id"], "EC2 EBS volume", AtCreation;
    "aws_efs_file_system", ["kms_key_id"], "EFS file system", AtCreation;
    "aws_elasticache_replication_group", ["kms_key_id"], "ElastiCache replication group", AtCreation;
    "aws_redshift_cluster", ["kms_key_id"], "Redshift cluster", AtCreation;
    "aws_opensearch_domain", ["encrypt_at_rest", "kms_key_id"], "OpenSearch domain", AtCreation;
    "aws_elasticsearch_domain", ["encrypt_at_rest", "kms_key_id"], "OpenSearch domain", AtCreation;
    "aws_kinesis_stream", ["kms_key_id"], "Kinesis stream", AtCreation;
    "aws_cloudtrail", ["kms_key_id"], "CloudTrail trail", AtCreation;
    "aws_lambda_function", ["kms_key_arn"], "Lambda environment", AtCreation;
    "aws_cloudwatch_log_group", ["kms_key_id"], "CloudWatch log group", AtCreation;
    "aws_backup_vault", ["kms_key_arn"], "Backup vault", AtCreation;
    "aws_ecr_repository", ["encryption_configuration", "kms_key"], "ECR repository", AtCreation;
    "AWS::RDS::DBInstance", ["KmsKeyId"], "RDS instance storage", AtCreation;
    "AWS::RDS::DBInstance", ["PerformanceInsightsKMSKeyId"], "RDS Performance Insights", AtCreation;
    "AWS::RDS::DBCluster", ["KmsKeyId"], "RDS cluster storage", AtCreation;
    "AWS::RDS::DBCluster", ["PerformanceInsightsKmsKeyId"], "RDS Performance Insights", AtCreation;
    "AWS::DynamoDB::Table", ["SSESpecification", "KMSMasterKeyId"], "DynamoDB table encryption", AtCreation;
    "AWS::DynamoDB::GlobalTable", ["Replicas", "SSESpecification", "KMSMasterKeyId"], "DynamoDB replica encryption", AtCreation;
    "AWS::EC2::Volume", ["KmsKeyId"], "EBS volume", AtCreation;
    "AWS::EC2::Instance", ["BlockDeviceMappings", "Ebs", "KmsKeyId"], "EC2 EBS volume", AtCreation;
    "AWS::EFS::FileSystem", ["KmsKeyId"], "EFS file system", AtCreation;
    "AWS::ElastiCache::ReplicationGroup", ["KmsKeyId"], "ElastiCache replication group", AtCreation;
    "AWS::Redshift::Cluster", ["KmsKeyId"], "Redshift cluster", AtCreation;
    "AWS::OpenSearchService::Domain", ["EncryptionAtRestOptions", "KmsKeyId"], "OpenSearch domain", AtCreation;
    "AWS::Elasticsearch::Domain", ["EncryptionAtRestOptions", "KmsKeyId"], "OpenSearch domain", AtCreation;
    "AWS::Kinesis::Stream", ["StreamEncryption", "KeyId"], "Kinesis stream", AtCreation;
    "AWS::CloudTrail::Trail", ["KMSKeyId"], "CloudTrail trail", AtCreation;
    "AWS::Lambda::Function", ["KmsKeyArn"], "Lambda environment", AtCreation;
    "AWS::Logs::LogGroup", ["KmsKeyId"], "CloudWatch log group", AtCreation;
    "AWS::Backup::BackupVault", ["EncryptionKeyArn"], "Backup vault", AtCreation;
    "AWS::ECR::Repository", ["EncryptionConfiguration", "KmsKey"], "ECR repository", AtCreation;
];

/// Records every key consumer of a resource, from the [`CONSUMERS`] table.
pub(in crate::adapt) fn consumers(r: &ResourceInstance, model: &mut Model) {
    for spec in CONSUMERS.iter().filter(|s| s.rtype == r.rtype) {
        for v in values_at(&r.body, spec.path) {
            model.kms_consumers.push(KeyConsumer {
                meta: crate::adapt::meta_of(r, Tags::default()),
                service: spec.service,
                attribute: spec.attribute,
                resolution: spec.resolution,
                value: v.clone(),
                reference: KeyRef::Unknown,
                key: Link::None,
                alias: Link::None,
                alias_at_creation: (spec.resolution == Resolution::AtCreation)
                    .then(|| alias_at_creation(&r.rtype))
                    .flatten(),
            });
        }
    }
}

/// Values at a path, walking into every element of lists (repeated blocks, CFN lists).
fn values_at<'a>(body: &'a Value, path: &[&str]) -> Vec<&'a Value> {
    let mut current = vec![body];
    for key in path {
        let mut next = Vec::new();
        for v in current {
            let Some(x) = v.get(key) else { continue };
            match x.as_list() {
                Some(items) => next.extend(items.iter()),
                None => next.push(x),
            }
        }
        current = next;
    }
    current.into_iter().filter(|v| !v.is_null()).collect()
}

pub(in crate::adapt) mod terraform {
    use super::{deletion_window, DEFAULT_KEY_SPEC, DEFAULT_KEY_USAGE};
    use crate::adapt::In;
    use crate::model::kms::KeyOrigin;
    use crate::model::value::{bool_of, field, num_of, string_of};
    use crate::model::{KmsAlias, KmsKey, Link, Model, RefAttr, RefAttrs, ResourceKind, Val};
    use crate::resource::ResourceInstance;
    use crate::value::Value;

    /// `aws_kms_key`.
    pub(in crate::adapt) fn kms_key(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        // Any value set here, known or not, places the key in a custom key store.
        let store = field(b, "custom_key_store_id", h, Some(false), |_| Some(true));
        let origin = if store.value == Some(true) {
            Val {
                value: Some(KeyOrigin::CustomStore),
                span: store.span,
                how: store.how,
                from: store.from,
                attr: store.attr,
            }
        } else {
            Val::default(Some(KeyOrigin::AwsKms), h)
        };
        model.kms_keys.push(KmsKey {
            origin,
            spec: field(
                b,
                "customer_master_key_spec",
                h,
                Some(DEFAULT_KEY_SPEC.into()),
                string_of,
            ),
            usage: field(b, "key_usage", h, Some(DEFAULT_KEY_USAGE.into()), string_of),
            custom_key_store: store,
            multi_region: field(b, "multi_region", h, Some(false), bool_of),
            rotation_enabled: field(b, "enable_key_rotation", h, Some(false), bool_of),
            rotation_period_days: field(b, "rotation_period_in_days", h, None, num_of),
            deletion_window_days: deletion_window(b, "deletion_window_in_days", h),
            enabled: field(b, "is_enabled", h, Some(true), bool_of),
            ..super::key(x.meta(), h)
        });
    }

    /// Imported material; the replica takes its primary's spec and usage, and the
    /// provider imports 256-bit symmetric material into it.
    pub(in crate::adapt) fn kms_external_key(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let b = &x.r.body;
        let h = x.r.header;
        let primary = replica_primary(r);
        model.kms_keys.push(KmsKey {
            origin: Val::default(Some(KeyOrigin::External), h),
            multi_region: match primary {
                Some(_) => Val::default(Some(true), h),
                None => field(b, "multi_region", h, Some(false), bool_of),
            },
            deletion_window_days: deletion_window(b, "deletion_window_in_days", h),
            enabled: field(b, "enabled", h, Some(true), bool_of),
            valid_to: field(b, "valid_to", h, None, string_of),
            key_material: b
                .get("key_material_base64")
                .filter(|v| !v.is_null())
                .cloned(),
            primary,
            ..super::key(x.meta(), h)
        });
    }

    /// A replica of a multi-Region key with KMS-generated material: its spec, usage and
    /// automatic rotation are its primary's (linking fills in the first two when the
    /// tree defines the primary; the rotation is reported there).
    pub(in crate::adapt) fn kms_replica_key(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let b = &x.r.body;
        let h = x.r.header;
        model.kms_keys.push(KmsKey {
            deletion_window_days: deletion_window(b, "deletion_window_in_days", h),
            enabled: field(b, "enabled", h, Some(true), bool_of),
            ..super::replica(x.meta(), h, replica_primary(r))
        });
    }

    /// `aws_config_config_rule`, `aws_config_organization_managed_rule`.
    pub(in crate::adapt) fn config_config_rule(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let id = match b.blocks("source").first() {
            Some(src) => field(src, "source_identifier", h, None, string_of),
            None => field(b, "rule_identifier", h, None, string_of),
        };
        model.config_rules.push(crate::model::ConfigRule {
            meta: x.meta(),
            identifier: id,
        });
    }

    /// `aws_kms_alias`.
    pub(in crate::adapt) fn kms_alias(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.kms_aliases.push(KmsAlias {
            meta: x.meta(),
            name: field(b, "name", h, None, string_of),
            target: b.get("target_key_id").cloned(),
            key: Link::None,
        });
    }

    /// The primary key of a replica key resource (`primary_key_arn`, required: unknown when
    /// left out); `None` for other keys.
    pub(in crate::adapt) fn replica_primary(r: &ResourceInstance) -> Option<Value> {
        if !r.rtype.starts_with("aws_kms_replica_") {
            return None;
        }
        let primary = r.body.get("primary_key_arn").filter(|v| !v.is_null());
        Some(primary.cloned().unwrap_or_else(|| Value::unknown(r.header)))
    }

    /// The Terraform resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("aws_kms_key", kms_key),
        ("aws_kms_external_key", kms_external_key),
        ("aws_kms_replica_external_key", kms_external_key),
        ("aws_kms_replica_key", kms_replica_key),
        ("aws_config_config_rule", config_config_rule),
        ("aws_config_organization_managed_rule", config_config_rule),
        ("aws_kms_alias", kms_alias),
    ];

    /// What a key's reference attributes give, for the key and its data source: its ARN,
    /// its key id (`key_id`, and `id`).
    const KEY_ATTRS: RefAttrs = &[
        ("arn", RefAttr::Arn),
        ("key_id", RefAttr::Id),
        ("id", RefAttr::Id),
    ];
    /// What an alias's reference attributes give, for the alias and its data source: its
    /// ARN, its name (`name`, and `id`), the key it targets.
    const ALIAS_ATTRS: RefAttrs = &[
        ("arn", RefAttr::Arn),
        ("name", RefAttr::Name),
        ("id", RefAttr::Id),
        ("target_key_arn", RefAttr::AliasTargetKey),
        ("target_key_id", RefAttr::AliasTargetKey),
    ];
    /// What the Terraform resource types of KMS are, for links between resources, and what
    /// the attributes of references to them give.
    pub(in crate::adapt) const KINDS: &[(&str, ResourceKind, RefAttrs)] = &[
        (
            "aws_kms_key",
            ResourceKind::KmsKey { primary: true },
            KEY_ATTRS,
        ),
        (
            "aws_kms_external_key",
            ResourceKind::KmsKey { primary: true },
            KEY_ATTRS,
        ),
        (
            "aws_kms_replica_key",
            ResourceKind::KmsKey { primary: false },
            KEY_ATTRS,
        ),
        (
            "aws_kms_replica_external_key",
            ResourceKind::KmsKey { primary: false },
            KEY_ATTRS,
        ),
        ("aws_kms_alias", ResourceKind::KmsAlias, ALIAS_ATTRS),
        ("data.aws_kms_key", ResourceKind::KmsKeyLookup, KEY_ATTRS),
        (
            "data.aws_kms_alias",
            ResourceKind::KmsAliasLookup,
            ALIAS_ATTRS,
        ),
    ];
}

pub(in crate::adapt) mod cloudformation {
    use super::{deletion_window, DEFAULT_KEY_SPEC, DEFAULT_KEY_USAGE};
    use crate::adapt::In;
    use crate::model::kms::KeyOrigin;
    use crate::model::value::{bool_of, field, num_of, string_of};
    use crate::model::{KmsAlias, KmsKey, Link, Model, RefAttr, RefAttrs, ResourceKind, Val};
    use crate::value::Value;

    /// `AWS::KMS::Key`.
    pub(in crate::adapt) fn kms_key(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.kms_keys.push(KmsKey {
            origin: field(b, "Origin", h, Some(KeyOrigin::AwsKms), |v| {
                v.as_str().and_then(KeyOrigin::parse)
            }),
            spec: field(b, "KeySpec", h, Some(DEFAULT_KEY_SPEC.into()), string_of),
            usage: field(b, "KeyUsage", h, Some(DEFAULT_KEY_USAGE.into()), string_of),
            multi_region: field(b, "MultiRegion", h, Some(false), bool_of),
            rotation_enabled: field(b, "EnableKeyRotation", h, Some(false), bool_of),
            rotation_period_days: field(b, "RotationPeriodInDays", h, None, num_of),
            deletion_window_days: deletion_window(b, "PendingWindowInDays", h),
            enabled: field(b, "Enabled", h, Some(true), bool_of),
            ..super::key(x.meta(), h)
        });
    }

    /// A replica of a multi-Region key: its origin, spec, usage and automatic rotation
    /// are its primary's (linking fills in the first three when the template defines
    /// the primary; the rotation is reported there). Multi-Region keys are never in a
    /// custom key store.
    pub(in crate::adapt) fn kms_replica_key(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let primary = b
            .get("PrimaryKeyArn")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| Value::unknown(h));
        model.kms_keys.push(KmsKey {
            origin: Val::default(None, h),
            deletion_window_days: deletion_window(b, "PendingWindowInDays", h),
            enabled: field(b, "Enabled", h, Some(true), bool_of),
            ..super::replica(x.meta(), h, Some(primary))
        });
    }

    /// `AWS::Config::ConfigRule`.
    pub(in crate::adapt) fn config_config_rule(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let id = match b.get("Source") {
            Some(src) => field(src, "SourceIdentifier", h, None, string_of),
            None => Val::default(None, h),
        };
        model.config_rules.push(crate::model::ConfigRule {
            meta: x.meta(),
            identifier: id,
        });
    }

    /// `AWS::Config::OrganizationConfigRule`.
    pub(in crate::adapt) fn config_organization_config_rule(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let id = match b.get("OrganizationManagedRuleMetadata") {
            Some(m) => field(m, "RuleIdentifier", h, None, string_of),
            None => Val::default(None, h),
        };
        model.config_rules.push(crate::model::ConfigRule {
            meta: x.meta(),
            identifier: id,
        });
    }

    /// `AWS::KMS::Alias`.
    pub(in crate::adapt) fn kms_alias(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.kms_aliases.push(KmsAlias {
            meta: x.meta(),
            name: field(b, "AliasName", h, None, string_of),
            target: b.get("TargetKeyId").cloned(),
            key: Link::None,
        });
    }

    /// The CloudFormation resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("AWS::KMS::Key", kms_key),
        ("AWS::KMS::ReplicaKey", kms_replica_key),
        ("AWS::Config::ConfigRule", config_config_rule),
        (
            "AWS::Config::OrganizationConfigRule",
            config_organization_config_rule,
        ),
        ("AWS::KMS::Alias", kms_alias),
    ];

    /// What a key's reference attributes give: `Fn::GetAtt` `Arn` its ARN, `KeyId` and
    /// `Ref` its key id.
    const KEY_ATTRS: RefAttrs = &[
        ("Arn", RefAttr::Arn),
        ("KeyId", RefAttr::Id),
        ("Ref", RefAttr::Id),
    ];
    /// What an alias's reference gives: `Ref` its name.
    const ALIAS_ATTRS: RefAttrs = &[("Ref", RefAttr::Name)];

    /// What the CloudFormation resource types of KMS are, for links between resources, and
    /// what the attributes of references to them give.
    pub(in crate::adapt) const KINDS: &[(&str, ResourceKind, RefAttrs)] = &[
        (
            "AWS::KMS::Key",
            ResourceKind::KmsKey { primary: true },
            KEY_ATTRS,
        ),
        (
            "AWS::KMS::ReplicaKey",
            ResourceKind::KmsKey { primary: false },
            KEY_ATTRS,
        ),
        ("AWS::KMS::Alias", ResourceKind::KmsAlias, ALIAS_ATTRS),
    ];
}
