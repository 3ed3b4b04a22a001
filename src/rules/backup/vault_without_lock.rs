//! BKP001 backup-vault-without-lock: a backup vault with no vault lock configuration.
//! See `rules/BKP001.md`.

use crate::diagnostic::Diagnostic;
use crate::resource::Framework;
use crate::rules::{Context, Rule};

pub struct VaultWithoutLock;

impl Rule for VaultWithoutLock {
    fn id(&self) -> &'static str {
        "BKP001"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for vault in &cx.model.backup_vaults {
            // A lock that may exist, or whose vault is not known, may be this vault's.
            if !vault.locks.is_empty() || vault.lock_uncertain {
                continue;
            }
            let name = &vault.meta.address;
            let help = match vault.meta.framework {
                Framework::Terraform => {
                    "add an `aws_backup_vault_lock_configuration` for this vault, with `min_retention_days` and `changeable_for_days` (compliance mode)"
                }
                Framework::CloudFormation => {
                    "add `LockConfiguration` with `MinRetentionDays` and `ChangeableForDays` (compliance mode)"
                }
            };
            out.push(
                cx.finding(
                    vault.meta.header,
                    format!("backup vault {name} has no vault lock, so its recovery points can be deleted"),
                )
                .with_address(name.clone())
                .with_help(help),
            );
        }
    }
}
