//! BKP001 backup-vault-without-lock: a backup vault with no vault lock configuration.
//! See `rules/BKP001.md`.

use crate::diagnostic::Diagnostic;
use crate::model::Link;
use crate::rules::{Context, NoParams, Rule};

pub struct VaultWithoutLock;

impl Rule for VaultWithoutLock {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let policy = cx.policy();
        for vault in &cx.model.backup_vaults {
            // A lock that may exist, or whose vault is not known, may be this vault's.
            if cx.model.locks_on(vault).state() != Link::None {
                continue;
            }
            // `force_destroy = true` declares the vault disposable, recovery points and
            // all (a staging or test vault): a lock would contradict it. Only the strict
            // profile, or a configured BKP001, requires a lock there too.
            if !policy && vault.force_destroy.known() == Some(&true) {
                continue;
            }
            let name = &vault.meta.address;
            let off = cx.model.switched_off_lock_on(vault);
            if let Some((off, (switch, from))) = off.and_then(|l| Some((l, l.switch?))) {
                let what = &off.meta.address;
                let mut d = cx
                    .finding(
                        vault.meta.header,
                        format!("backup vault {name} has no vault lock: {what}, which would lock it, is switched off, so its recovery points can be deleted"),
                    )
                    .with_address(name.clone())
                    .with_label(switch, format!("{what} switched off here"))
                    .with_help(format!(
                        "switch {what} on for this configuration (the value of its `count`/`for_each`/`Condition`), with `changeable_for_days` for compliance mode"
                    ));
                d = d.with_origin(from);
                out.push(d);
                continue;
            }
            // Never inserted by `--fix`: a compliance-mode lock is permanent once its grace
            // period ends. The help shows what to add.
            let help = format!(
                "{}{}",
                cx.snippet("how-to-lock", &vault.meta, &[]),
                crate::fix::suggest::vault_lock(&vault.meta)
            );
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
