//! KMS006 kms-deletion-window-too-short: the waiting period before a key is destroyed is
//! shorter than the grace period the policy requires.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

pub struct DeletionWindowTooShort;

impl Rule for DeletionWindowTooShort {
    fn id(&self) -> &'static str {
        "KMS006"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // A policy: only under the strict profile, or when configured.
        if !cx.policy() {
            return;
        }
        let min = cx.settings.param_f64("KMS006", "min_days", 30.0);
        for key in &cx.model.kms_keys {
            let Some(days) = key.deletion_window_days.known() else {
                continue;
            };
            if *days >= min {
                continue;
            }
            let attr = key.deletion_window_days.attr;
            let mut d = cx
                .finding(
                    key.deletion_window_days.span,
                    format!(
                        "KMS key {} is destroyed {} days after deletion is scheduled, less than the {} days required",
                        key.meta.address,
                        crate::value::format_number(*days),
                        crate::value::format_number(min)
                    ),
                )
                .with_address(key.meta.address.clone())
                .with_help(format!("set `{attr}` to at least {} (KMS accepts 7 to 30)", crate::value::format_number(min)));
            d = d.with_origin(key.deletion_window_days.from);
            out.push(d);
        }
    }
}
