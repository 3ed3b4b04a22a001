//! KMS008 kms-key-pinned-needs-reencryption: an at-creation consumer of a customer key,
//! listed so that the rotation plan re-encrypts it.

use super::describe_reference;
use crate::diagnostic::Diagnostic;
use crate::model::kms::Resolution;
use crate::model::KeyRef;
use crate::rules::{Context, NoParams, Rule};

pub struct KeyPinnedNeedsReencryption;

impl Rule for KeyPinnedNeedsReencryption {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for c in &cx.model.kms_consumers {
            if c.resolution != Resolution::AtCreation
                || matches!(c.reference, KeyRef::Unknown | KeyRef::AwsManagedAlias(_))
            {
                continue;
            }
            out.push(
                cx.finding(
                    c.value.span,
                    format!(
                        "{} of {} stores {} at creation; replacing the key means re-encrypting this resource",
                        c.service,
                        c.meta.address,
                        describe_reference(c)
                    ),
                )
                .with_address(c.meta.address.clone())
                .with_help("include this resource in the rotation plan: re-encrypt or re-create it with the new key"),
            );
        }
    }
}
