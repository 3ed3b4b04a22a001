//! Adapters for taggable resources with their effective tags: the Terraform and the CloudFormation reading side by side.
//! The types that take tags, that AWS Backup protects, and where a template keeps its
//! tags are known here, not in the model.

pub(in crate::adapt) mod terraform {

    use super::{is_backup_eligible, is_known_taggable};
    use crate::model::tags::TaggableResource;
    use crate::model::{Model, ResourceMeta};
    use crate::resource::ResourceInstance;

    /// Managed resources that take tags: those of a known taggable type, and any other that
    /// sets `tags` (the Auto Scaling group's `tag` blocks are not tags in this sense).
    pub(in crate::adapt) fn taggable(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
        let own = r.body.get("tags").is_some_and(|t| !t.is_null());
        if r.rtype.starts_with("aws_")
            && r.rtype != "aws_autoscaling_group"
            && (own || is_known_taggable(&r.rtype))
        {
            model.taggables.push(TaggableResource {
                scope: crate::adapt::scope_of(r),
                meta,
                backup_eligible: is_backup_eligible(&r.rtype),
                tags_attr: "tags",
            });
        }
    }
}

pub(in crate::adapt) mod cloudformation {

    use super::{cfn_tags_property, is_backup_eligible, is_known_taggable};
    use crate::model::tags::TaggableResource;
    use crate::model::{Model, ResourceMeta, Tags};
    use crate::resource::ResourceInstance;

    /// Meta with the tags from the property this type keeps them in.
    pub(in crate::adapt) fn tagged_meta(r: &ResourceInstance) -> ResourceMeta {
        let tags = r.body.get(cfn_tags_property(&r.rtype));
        crate::adapt::meta_of(r, Tags::effective(tags, None, r.header))
    }

    /// Resources that take tags: a known taggable type, or any that sets its tags property.
    pub(in crate::adapt) fn taggable(r: &ResourceInstance, model: &mut Model) {
        let own = r
            .body
            .get(cfn_tags_property(&r.rtype))
            .is_some_and(|t| !t.is_null());
        if r.rtype.starts_with("AWS::") && (own || is_known_taggable(&r.rtype)) {
            model.taggables.push(TaggableResource {
                scope: crate::adapt::scope_of(r),
                meta: tagged_meta(r),
                // An Aurora member instance is backed up with its cluster: its own tags
                // select nothing.
                backup_eligible: is_backup_eligible(&r.rtype)
                    && !(r.rtype == "AWS::RDS::DBInstance"
                        && r.body
                            .get("DBClusterIdentifier")
                            .is_some_and(|v| !v.is_null())),
                tags_attr: cfn_tags_property(&r.rtype),
            });
        }
    }
}

/// Resource types AWS Backup protects, in both formats.
pub(in crate::adapt) fn is_backup_eligible(rtype: &str) -> bool {
    matches!(
        rtype,
        "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_docdb_cluster"
            | "aws_neptune_cluster"
            | "aws_dynamodb_table"
            | "aws_ebs_volume"
            | "aws_instance"
            | "aws_efs_file_system"
            | "aws_redshift_cluster"
            | "aws_s3_bucket"
            | "aws_timestreamwrite_table"
            | "AWS::RDS::DBInstance"
            | "AWS::RDS::DBCluster"
            | "AWS::DocDB::DBCluster"
            | "AWS::Neptune::DBCluster"
            | "AWS::DynamoDB::Table"
            | "AWS::EC2::Volume"
            | "AWS::EC2::Instance"
            | "AWS::EFS::FileSystem"
            | "AWS::FSx::FileSystem"
            | "AWS::Redshift::Cluster"
            | "AWS::S3::Bucket"
            | "AWS::Timestream::Table"
    ) || (rtype.starts_with("aws_fsx_") && rtype.ends_with("_file_system"))
}

/// The CloudFormation property that holds a resource's tags.
pub(in crate::adapt) fn cfn_tags_property(rtype: &str) -> &'static str {
    match rtype {
        "AWS::EFS::FileSystem" => "FileSystemTags",
        "AWS::Backup::BackupVault" => "BackupVaultTags",
        "AWS::Backup::BackupPlan" => "BackupPlanTags",
        _ => "Tags",
    }
}

/// Types known to take tags even when a resource sets none (the provider's
/// `default_tags` still reach them). Other types count as taggable when they set tags.
pub(in crate::adapt) fn is_known_taggable(rtype: &str) -> bool {
    is_backup_eligible(rtype)
        || matches!(
            rtype,
            "aws_backup_vault"
                | "aws_backup_plan"
                | "aws_kms_key"
                | "aws_kms_external_key"
                | "aws_kms_replica_key"
                | "aws_kms_replica_external_key"
                | "AWS::Backup::BackupVault"
                | "AWS::Backup::BackupPlan"
                | "AWS::KMS::Key"
                | "AWS::KMS::ReplicaKey"
        )
}
