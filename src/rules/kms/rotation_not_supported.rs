//! KMS012 kms-rotation-not-supported: automatic rotation enabled on a key that KMS cannot
//! rotate automatically (imported material, a custom key store, an asymmetric or HMAC
//! key): KMS rejects it and the deployment fails. See `rules/KMS012.md`.

use crate::diagnostic::Diagnostic;
use crate::model::kms::KeyOrigin;
use crate::rules::{Context, Rule};

pub struct RotationNotSupported;

impl Rule for RotationNotSupported {
    fn id(&self) -> &'static str {
        "KMS012"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for key in &cx.model.kms_keys {
            if key.rotation_enabled.known() != Some(&true) {
                continue;
            }
            let Some(why) = key.rotation_unsupported() else {
                continue;
            };
            let name = &key.meta.address;
            let attr = key.rotation_enabled.attr;
            let fix = format!("remove `{attr}` (or set it to false)");
            let rotate = if key.origin.known() == Some(&KeyOrigin::External) {
                "rotate the imported material on demand (ImportKeyMaterial with NEW_KEY_MATERIAL, then RotateKeyOnDemand), or create a new key and repoint its alias"
            } else {
                "rotate it by creating a new key and repointing its alias"
            };
            let mut d = cx
                .finding(
                    key.rotation_enabled.span,
                    format!(
                        "KMS key {name} enables automatic rotation (`{attr}`), which KMS rejects for {}: the deployment fails with UnsupportedOperationException",
                        why.reason
                    ),
                )
                .with_address(name.clone())
                .with_origin(key.rotation_enabled.from)
                .with_label(why.span, format!("{} set here", why.what));
            if let Some(from) = why.from {
                d = d.with_label(from, format!("{} value set here", why.what));
            }
            out.push(d.with_help(format!("{fix}; {rotate}")));
        }
    }
}
