//! KMS011 kms-rotation-not-monitored: customer keys, but no AWS Config rule that checks
//! their rotation (`CMK_BACKING_KEY_ROTATION_ENABLED`).

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

pub struct RotationNotMonitored;

/// The managed AWS Config rule that reports keys without rotation.
pub const ROTATION_RULE: &str = "CMK_BACKING_KEY_ROTATION_ENABLED";

impl Rule for RotationNotMonitored {
    fn id(&self) -> &'static str {
        "KMS011"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let monitored = cx.model.config_rules.iter().any(|r| {
            r.identifier.known().map(String::as_str) == Some(ROTATION_RULE)
                || r.identifier.known().is_none()
        });
        if monitored {
            return;
        }
        let Some(first) = cx.model.kms_keys.first() else {
            return;
        };
        out.push(
            cx.finding(
                first.meta.header,
                format!(
                    "{} customer KMS keys are defined but no AWS Config rule `{ROTATION_RULE}` monitors their rotation",
                    cx.model.kms_keys.len()
                ),
            )
            .with_address(first.meta.address.clone())
            .with_help("add an aws_config_config_rule (or AWS::Config::ConfigRule) with source identifier CMK_BACKING_KEY_ROTATION_ENABLED, or deploy it organization-wide"),
        );
    }
}
