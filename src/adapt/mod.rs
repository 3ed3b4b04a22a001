//! Adapters: each format's resources onto the one AWS [`Model`], by service. Each service
//! file holds its Terraform and its CloudFormation reading side by side (`terraform` and
//! `cloudformation` submodules), with the resource types it reads in a `TYPES` table;
//! [`adapt`] looks a resource's type up in the union of those tables. The AWS defaults a
//! service applies when an attribute is left out are written once, in the service file.

mod apigateway;
mod backup;
mod cloudfront;
mod kms;
mod policy;
mod tags;

use crate::model::backup::Scope;
use crate::model::{Linkable, Model, ResourceMeta, Tags};
use crate::resource::{Framework, ResourceInstance};
use std::collections::HashMap;
use std::sync::OnceLock;

pub use backup::terraform::explains_absence;

/// Reads one resource onto the model.
pub(crate) type Adapter = fn(&In<'_>, &mut Model);

/// The resource being adapted.
pub(crate) struct In<'a> {
    pub(crate) r: &'a ResourceInstance,
}

impl In<'_> {
    /// The resource's model metadata, with its effective tags (Terraform: `tags` over the
    /// provider's `default_tags`; CloudFormation: `Tags`).
    pub(crate) fn meta(&self) -> ResourceMeta {
        let r = self.r;
        let tags = match r.framework {
            Framework::Terraform => {
                Tags::effective(r.body.get("tags"), r.default_tags.as_ref(), r.header)
            }
            Framework::CloudFormation => Tags::effective(r.body.get("Tags"), None, r.header),
        };
        meta_of(r, tags)
    }
}

/// The model metadata of a resource instance, with the tags given.
pub(crate) fn meta_of(r: &ResourceInstance, tags: Tags) -> ResourceMeta {
    ResourceMeta {
        framework: r.framework,
        rtype: r.rtype.clone(),
        address: r.address.clone(),
        ref_name: r.ref_name.clone(),
        header: r.header,
        maybe_absent: r.maybe_absent,
        scope: r.scope.clone(),
        tags,
        arn_service: backup::arn_service(&r.rtype),
        dialect: match r.framework {
            Framework::Terraform => "terraform",
            Framework::CloudFormation => "cloudformation",
        },
    }
}

/// Where a resource's references and names resolve: its Terraform root module, or its
/// template.
pub(crate) fn scope_of(r: &ResourceInstance) -> Scope {
    match r.framework {
        Framework::Terraform => Scope::Terraform(crate::model::root_of(&r.ref_name).to_string()),
        Framework::CloudFormation => Scope::Template(r.header.file),
    }
}

/// The attributes and properties the rules read, by resource type of either format
/// (`block.attribute` or `Property.Nested` for one nested block or map; a list on the way
/// stands for each of its items): when one is set but not statically known, the
/// evaluators say so and why (the `not-evaluated` notes).
pub fn security_attributes(rtype: &str) -> &'static [&'static str] {
    match rtype {
        "aws_kms_key" => &[
            "enable_key_rotation",
            "rotation_period_in_days",
            "deletion_window_in_days",
            "is_enabled",
            "customer_master_key_spec",
            "key_usage",
        ],
        "aws_kms_external_key" | "aws_kms_replica_external_key" => &[
            "valid_to",
            "key_material_base64",
            "enabled",
            "deletion_window_in_days",
        ],
        "aws_kms_alias" => &["name", "target_key_id"],
        "aws_s3_bucket_server_side_encryption_configuration" => {
            &["rule.apply_server_side_encryption_by_default"]
        }
        "aws_sns_topic" | "aws_sqs_queue" => &["kms_master_key_id"],
        "aws_secretsmanager_secret"
        | "aws_db_instance"
        | "aws_rds_cluster"
        | "aws_ebs_volume"
        | "aws_efs_file_system"
        | "aws_redshift_cluster"
        | "aws_cloudwatch_log_group" => &["kms_key_id"],
        "aws_dynamodb_table" => &["server_side_encryption.kms_key_arn"],
        "aws_api_gateway_rest_api" => &[
            "policy",
            "body",
            "disable_execute_api_endpoint",
            "endpoint_configuration.types",
        ],
        "aws_api_gateway_rest_api_policy" => &["policy", "rest_api_id"],
        "aws_api_gateway_stage" => &["rest_api_id"],
        "aws_apigatewayv2_api" => &["protocol_type", "disable_execute_api_endpoint"],
        "aws_wafv2_web_acl_association" => &["resource_arn"],
        "aws_cloudfront_distribution" => &["web_acl_id"],
        "aws_backup_vault" => &["kms_key_arn", "force_destroy"],
        "aws_backup_vault_lock_configuration" => &[
            "backup_vault_name",
            "min_retention_days",
            "max_retention_days",
            "changeable_for_days",
        ],
        "aws_backup_selection" => &["resources", "plan_id"],

        "AWS::KMS::Key" => &[
            "EnableKeyRotation",
            "RotationPeriodInDays",
            "PendingWindowInDays",
            "Enabled",
            "KeySpec",
            "KeyUsage",
            "Origin",
        ],
        "AWS::KMS::ReplicaKey" => &["PrimaryKeyArn", "Enabled", "PendingWindowInDays"],
        "AWS::KMS::Alias" => &["AliasName", "TargetKeyId"],
        "AWS::S3::Bucket" => &[
            "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID",
        ],
        "AWS::SNS::Topic" | "AWS::SQS::Queue" => &["KmsMasterKeyId"],
        "AWS::SecretsManager::Secret"
        | "AWS::RDS::DBInstance"
        | "AWS::RDS::DBCluster"
        | "AWS::EC2::Volume"
        | "AWS::EFS::FileSystem"
        | "AWS::Redshift::Cluster"
        | "AWS::Logs::LogGroup" => &["KmsKeyId"],
        "AWS::DynamoDB::Table" => &["SSESpecification.KMSMasterKeyId"],
        "AWS::ApiGateway::RestApi" => &[
            "Policy",
            "Body",
            "DisableExecuteApiEndpoint",
            "EndpointConfiguration.Types",
        ],
        "AWS::ApiGateway::Stage" => &["RestApiId"],
        "AWS::ApiGatewayV2::Api" => &["ProtocolType", "DisableExecuteApiEndpoint"],
        "AWS::WAFv2::WebACLAssociation" => &["ResourceArn"],
        "AWS::CloudFront::Distribution" => &["DistributionConfig.WebACLId"],
        "AWS::Backup::BackupVault" => &[
            "EncryptionKeyArn",
            "LockConfiguration.MinRetentionDays",
            "LockConfiguration.MaxRetentionDays",
            "LockConfiguration.ChangeableForDays",
        ],
        "AWS::Backup::BackupSelection" => &["BackupPlanId", "BackupSelection.Resources"],
        _ => &[],
    }
}

/// Every adapter, by resource type (the types of the two formats never collide).
fn table() -> &'static HashMap<&'static str, Adapter> {
    static TABLE: OnceLock<HashMap<&'static str, Adapter>> = OnceLock::new();
    TABLE.get_or_init(|| {
        [
            kms::terraform::TYPES,
            kms::cloudformation::TYPES,
            backup::terraform::TYPES,
            backup::cloudformation::TYPES,
            apigateway::terraform::TYPES,
            apigateway::cloudformation::TYPES,
            cloudfront::terraform::TYPES,
            cloudfront::cloudformation::TYPES,
            policy::terraform::TYPES,
        ]
        .into_iter()
        .flatten()
        .map(|(t, f)| (*t, *f))
        .collect()
    })
}

/// What each resource type is, for links between resources, and what the attributes of
/// references to it give: the services' `KINDS` tables, and the families of types they
/// name by prefix.
fn linkable(rtype: &str) -> Linkable {
    static KINDS: OnceLock<HashMap<&'static str, Linkable>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        [kms::terraform::KINDS, kms::cloudformation::KINDS]
            .into_iter()
            .flatten()
            .map(|(t, kind, attrs)| (*t, Linkable { kind: *kind, attrs }))
            .collect()
    });
    kinds.get(rtype).copied().unwrap_or_else(|| Linkable {
        kind: apigateway::terraform::kind(rtype).unwrap_or_default(),
        attrs: &[],
    })
}

/// Adapts one resource instance: as a taggable resource when it takes tags, as the
/// keys that it consumes (the consumer table), and by its type's adapter.
pub fn adapt(r: &ResourceInstance, model: &mut Model) {
    let x = In { r };
    // Every resource, for reference resolution.
    model.kinds.insert(r.ref_name.clone(), linkable(&r.rtype));
    kms::consumers(r, model);
    match r.framework {
        Framework::Terraform => tags::terraform::taggable(r, x.meta(), model),
        Framework::CloudFormation => tags::cloudformation::taggable(r, model),
    }
    if let Some(adapter) = table().get(r.rtype.as_str()) {
        adapter(&x, model);
    }
}

/// A resource switched off by its `count`/`for_each` whose absence a rule explains
/// ([`explains_absence`]).
pub fn switched_off(r: &ResourceInstance, model: &mut Model) {
    backup::terraform::adapt_switched_off(r, model);
}

#[cfg(test)]
mod tests;
