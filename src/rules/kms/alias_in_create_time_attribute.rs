//! KMS007 kms-alias-in-create-time-attribute: Terraform only; an alias in an attribute
//! that the service resolves at creation: perpetual replacement or diff, no rotation gain.

use crate::diagnostic::Diagnostic;
use crate::model::kms::Resolution;
use crate::rules::{Context, Rule};

pub struct AliasInCreateTimeAttribute;

impl Rule for AliasInCreateTimeAttribute {
    fn id(&self) -> &'static str {
        "KMS007"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for c in &cx.model.kms_consumers {
            let Some(effect) = c.alias_at_creation else {
                continue;
            };
            if c.resolution != Resolution::AtCreation || !c.reference.is_alias() {
                continue;
            }
            let mut d = cx
                .finding(
                    c.value.span,
                    format!(
                        "{} of {} takes an alias in `{}`, which is resolved once at creation: {effect}",
                        c.service, c.meta.address, c.attribute
                    ),
                )
                .with_address(c.meta.address.clone())
                .with_help("reference the key ARN behind the alias: data.aws_kms_alias.<name>.target_key_arn");
            if let Some(from) = c.value.from {
                d = d.with_label(from, "alias set here");
            }
            out.push(d);
        }
    }
}
