//! What a finding's help shows to add where no fix is applied automatically (a
//! compliance-mode vault lock becomes permanent after its grace period: a person decides).

use super::Literal;
use crate::model::ResourceMeta;
use crate::resource::Framework;

/// The vault lock to add for a vault, in the vault's format, after a colon.
pub fn vault_lock(vault: &ResourceMeta) -> String {
    match vault.framework {
        Framework::Terraform => {
            let local = crate::model::local_name(&vault.ref_name);
            let name = local.rsplit('.').next().unwrap_or("lock");
            format!(
                ", after review (it cannot be removed once `changeable_for_days` have passed):\n\nresource \"aws_backup_vault_lock_configuration\" \"{name}\" {{\n  backup_vault_name   = {local}.name\n  min_retention_days  = 30\n  max_retention_days  = 365\n  changeable_for_days = 3\n}}"
            )
        }
        Framework::CloudFormation => ", after review (it cannot be removed once `ChangeableForDays` have passed):\n\nLockConfiguration:\n  MinRetentionDays: 30\n  MaxRetentionDays: 365\n  ChangeableForDays: 3".to_string(),
    }
}

/// The ARN of an alias, as a fix writes it in the consumer `from`: a Terraform reference
/// (`aws_kms_alias.a.arn`) in the same module, a CloudFormation `Fn::Sub` of the alias
/// name (`!Ref` of an alias is its name, and every per-request consumer takes the ARN) in
/// the same template; `None` where no reference to the alias resolves.
pub fn alias_arn(from: &ResourceMeta, alias: &ResourceMeta) -> Option<Literal> {
    match alias.framework {
        Framework::Terraform
            if super::module_prefix(&alias.ref_name) == super::module_prefix(&from.ref_name) =>
        {
            Some(Literal::Reference(format!(
                "{}{}.arn",
                crate::model::local_name(&alias.ref_name),
                alias.instance().unwrap_or("")
            )))
        }
        Framework::CloudFormation if alias.scope == from.scope => Some(Literal::Sub(format!(
            "arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}",
            crate::model::display_name(&alias.ref_name)
        ))),
        _ => None,
    }
}
