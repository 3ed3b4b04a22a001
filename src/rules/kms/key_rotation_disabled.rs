//! KMS002 kms-key-rotation-disabled: a symmetric encryption key with KMS-generated
//! material whose automatic rotation is off. See `rules/KMS002.md`.

use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix, Literal};
use crate::model::kms::KeyOrigin;
use crate::model::KmsKey;
use crate::rules::{Context, NoParams, Rule};

pub struct KeyRotationDisabled;

impl Rule for KeyRotationDisabled {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for key in &cx.model.kms_keys {
            if !rotatable(key) {
                continue;
            }
            if key.rotation_enabled.known() != Some(&false) {
                continue;
            }
            let name = &key.meta.address;
            let attr = key.rotation_enabled.attr;
            let mut d = if key.rotation_enabled.is_explicit() {
                cx.finding(
                    key.rotation_enabled.span,
                    format!("KMS key {name} has automatic rotation disabled"),
                )
            } else {
                cx.finding(
                    key.rotation_enabled.span,
                    format!("KMS key {name} does not set `{attr}`, so automatic rotation is off"),
                )
            };
            d = d.with_origin(key.rotation_enabled.from);
            let change = Change::set_field(
                &key.rotation_enabled,
                key.meta.header,
                &[],
                attr,
                Literal::Bool(true),
            );
            d = d.with_fix(Fix::safe(format!("set `{attr}` to true"), change));
            out.push(d.with_address(name.clone()).with_help(format!(
                "set `{attr}` to true (and optionally a rotation period of 90 to 2560 days)"
            )));
        }
    }
}

/// Only symmetric encryption keys with KMS-generated material can rotate automatically.
/// Unknown origin, spec or usage is not enough to report.
fn rotatable(key: &KmsKey) -> bool {
    key.origin.known() == Some(&KeyOrigin::AwsKms)
        && key.custom_key_store.known() == Some(&false)
        && key.is_symmetric_encryption() == Some(true)
}
