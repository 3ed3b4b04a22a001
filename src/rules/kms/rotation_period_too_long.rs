//! KMS004 kms-rotation-period-too-long: the rotation period exceeds the policy maximum,
//! or is outside what KMS accepts (90 to 2560 days).

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Change, Fix, Literal};
use crate::rules::{Context, Rule};
use crate::value::format_number;
use serde::Deserialize;

pub struct RotationPeriodTooLong;

/// The parameters of `rules/KMS004.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub max_days: f64,
}

impl Rule for RotationPeriodTooLong {
    type Params = Params;

    fn check(&self, cx: &Context<'_, Params>, out: &mut Vec<Diagnostic>) {
        // The policy maximum applies under the strict profile or when configured; the
        // range KMS accepts is a fact everywhere.
        let policy = cx.policy();
        let max = cx.params.max_days;
        for key in &cx.model.kms_keys {
            let Some(days) = key.rotation_period_days.known().copied() else {
                continue;
            };
            let attr = key.rotation_period_days.attr;
            let span = key.rotation_period_days.span;
            let mut d = if !(90.0..=2560.0).contains(&days) {
                let mut d = cx.finding(
                    span,
                    format!(
                        "KMS key {} has a rotation period of {} days, outside the 90 to 2560 days KMS accepts",
                        key.meta.address,
                        format_number(days)
                    ),
                );
                d.severity = Severity::Error;
                let upper = if policy { max.min(2560.0) } else { 2560.0 };
                d.with_help(format!(
                    "set `{attr}` between 90 and {}",
                    format_number(upper)
                ))
            } else if policy
                && days > max
                && key.rotation_enabled.known() == Some(&true)
                // A key KMS cannot rotate does not rotate at all (KMS012).
                && key.rotation_unsupported().is_none()
            {
                cx.finding(
                    span,
                    format!(
                        "KMS key {} rotates every {} days, longer than the {} days allowed",
                        key.meta.address,
                        format_number(days),
                        format_number(max)
                    ),
                )
                .with_help(format!("set `{attr}` to {} or less", format_number(max)))
            } else {
                continue;
            };
            d = d.with_address(key.meta.address.clone());
            let upper = if policy { max.min(2560.0) } else { 2560.0 };
            let target = format_number(if days < 90.0 {
                90.0
            } else {
                upper.max(90.0).floor()
            });
            let change = Change::set_field(
                &key.rotation_period_days,
                key.meta.header,
                &[],
                attr,
                Literal::Number(target.clone()),
            );
            d = d.with_fix(Fix::unsafe_(format!("set `{attr}` to {target}"), change));
            d = d.with_origin(key.rotation_period_days.from);
            out.push(d);
        }
    }
}
