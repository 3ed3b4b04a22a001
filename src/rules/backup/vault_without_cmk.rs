//! BKP004 backup-vault-without-cmk: a backup vault encrypted with the AWS managed key.
//! See `rules/BKP004.md`.

use crate::diagnostic::Diagnostic;
use crate::model::backup::VaultKey;
use crate::rules::{Context, Rule};

pub struct VaultWithoutCmk;

impl Rule for VaultWithoutCmk {
    fn id(&self) -> &'static str {
        "BKP004"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // A policy: AWS Backup encrypts every recovery point, with aws/backup by default;
        // a customer key is the organisation's requirement (strict profile, or
        // configured).
        if !cx.policy() {
            return;
        }
        for vault in &cx.model.backup_vaults {
            let name = &vault.meta.address;
            let attr = vault.key.attr;
            let key = &vault.key;
            let message = match key.known() {
                Some(VaultKey::ServiceDefault) if !key.is_explicit() => format!(
                    "backup vault {name} does not set `{attr}`, so it uses the AWS managed key aws/backup"
                ),
                Some(VaultKey::ServiceDefault) | Some(VaultKey::AwsManaged) => {
                    format!("backup vault {name} uses the AWS managed key aws/backup")
                }
                _ => continue,
            };
            let mut d = cx.finding(key.span, message);
            d = d.with_origin(key.from);
            out.push(
                d.with_address(name.clone()).with_help(format!(
                    "set `{attr}` to a customer managed KMS key, whose key policy you control (and which can be shared for cross-account copies)"
                )),
            );
        }
    }
}
