//! BKP002 backup-vault-lock-governance-mode: a vault lock without `changeable_for_days`
//! (governance mode, removable), or with a grace period AWS rejects. See `rules/BKP002.md`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, NoParams, Rule};
use crate::value::format_number;

pub struct VaultLockGovernanceMode;

/// The shortest grace period AWS accepts before a compliance-mode lock becomes immutable.
const MIN_CHANGEABLE_DAYS: f64 = 3.0;

impl Rule for VaultLockGovernanceMode {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for lock in &cx.model.vault_locks {
            let name = &lock.meta.address;
            let lock_name = lock.describe();
            let attr = lock.changeable_for_days.attr;
            let days = &lock.changeable_for_days;
            let mut d = if !days.is_explicit() {
                cx.finding(
                    lock.span,
                    format!("{lock_name} does not set `{attr}`, so it is in governance mode and can be removed"),
                )
                .with_help(format!(
                    "set `{attr}` (3 days or more) to put the lock in compliance mode: after that grace period nobody, not even the root user, can remove it or shorten retention"
                ))
            } else {
                match days.known() {
                    Some(&n) if n < MIN_CHANGEABLE_DAYS => {
                        let mut d = cx
                            .finding(
                                days.span,
                                format!(
                                    "{lock_name} sets `{attr}` to {}, below the 3 days AWS accepts",
                                    format_number(n)
                                ),
                            )
                            .with_help(format!("set `{attr}` to 3 or more"));
                        d.severity = Severity::Error;
                        d = d.with_origin(days.from);
                        d
                    }
                    _ => continue,
                }
            };
            // A lock of its own (Terraform) points at its vault; a lock that is a property
            // of the vault (CloudFormation) is already shown in it.
            if let Some(vault) = cx.model.locked_vault(lock) {
                if vault.meta.header != lock.meta.header {
                    d = d.with_label(
                        vault.meta.header,
                        format!("the locked vault: {}", vault.meta.address),
                    );
                }
            }
            out.push(d.with_address(name.clone()));
        }
    }
}
