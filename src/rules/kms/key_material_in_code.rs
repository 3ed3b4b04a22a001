//! KMS009 kms-key-material-in-code: plaintext key material for an imported key written in
//! the configuration (and so in the Terraform state). The material is never printed.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, NoParams, Rule};

pub struct KeyMaterialInCode;

impl Rule for KeyMaterialInCode {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for key in &cx.model.kms_keys {
            let Some(material) = &key.key_material else {
                continue;
            };
            let known = material.to_plain_string().is_some();
            let message = if known {
                format!(
                    "imported KMS key {} has its plaintext key material in the configuration (key_material_base64); it is in the repository and in the Terraform state",
                    key.meta.address
                )
            } else {
                format!(
                    "imported KMS key {} takes its plaintext key material through key_material_base64; wherever it comes from, it is stored in the Terraform state",
                    key.meta.address
                )
            };
            let mut d = cx
                .finding(material.span, message)
                .with_address(key.meta.address.clone())
                .with_help("import the material outside Terraform: wrap it in the HSM with the KMS import public key (GetParametersForImport) and call ImportKeyMaterial; then remove it from the repository and rotate it, since it is exposed");
            if !known {
                d.severity = Severity::Warning;
            }
            match material.from {
                // Written elsewhere (a variable default, tfvars): blank it there; the
                // attribute itself only names it.
                Some(from) => {
                    d = d.with_label(from, "key material set here");
                    if known {
                        d.redact.push(from);
                    }
                }
                None if known => d.redact.push(material.span),
                None => {}
            }
            out.push(d);
        }
    }
}
