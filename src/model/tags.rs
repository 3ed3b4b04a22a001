//! Taggable resources with their effective tags, and which of them AWS Backup can protect.

use super::backup::Scope;
use super::ResourceMeta;

#[derive(Debug, Clone)]
pub struct TaggableResource {
    /// `meta.tags` are the effective tags (own over provider `default_tags`).
    pub meta: ResourceMeta,
    pub scope: Scope,
    /// A resource type AWS Backup can protect.
    pub backup_eligible: bool,
    /// The attribute that holds the resource's own tags, as written (`tags`, `Tags`,
    /// `FileSystemTags`): where a fix adds one.
    pub tags_attr: &'static str,
}

/// Resource types AWS Backup protects, in both formats.
pub fn is_backup_eligible(rtype: &str) -> bool {
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
pub fn cfn_tags_property(rtype: &str) -> &'static str {
    match rtype {
        "AWS::EFS::FileSystem" => "FileSystemTags",
        "AWS::Backup::BackupVault" => "BackupVaultTags",
        "AWS::Backup::BackupPlan" => "BackupPlanTags",
        _ => "Tags",
    }
}

/// Types known to take tags even when a resource sets none (the provider's
/// `default_tags` still reach them). Other types count as taggable when they set tags.
pub fn is_known_taggable(rtype: &str) -> bool {
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
