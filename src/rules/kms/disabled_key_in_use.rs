//! KMS010 kms-disabled-key-in-use: a key that is disabled is still referenced by consumers
//! or aliases; their encrypt and decrypt calls fail.

use crate::diagnostic::Diagnostic;
use crate::model::display_name;
use crate::rules::{Context, Rule};

pub struct DisabledKeyInUse;

impl Rule for DisabledKeyInUse {
    fn id(&self) -> &'static str {
        "KMS010"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for key in &cx.model.kms_keys {
            if key.enabled.known() != Some(&false) {
                continue;
            }
            let name = &key.meta.ref_name;
            let consumers: Vec<_> = cx
                .model
                .kms_consumers
                .iter()
                .filter(|c| c.key.as_deref() == Some(name.as_str()))
                .collect();
            let aliases: Vec<_> = cx.model.aliases_of(name).collect();
            if consumers.is_empty() && aliases.is_empty() {
                continue;
            }
            let mut users: Vec<String> = consumers.iter().map(|c| c.meta.address.clone()).collect();
            users.extend(aliases.iter().map(|a| a.meta.address.clone()));
            let mut d = cx
                .finding(
                    key.enabled.span,
                    format!(
                        "KMS key {} is disabled but still used by {}: their encrypt and decrypt calls fail",
                        display_name(name),
                        users.join(", ")
                    ),
                )
                .with_address(key.meta.address.clone())
                .with_help("move every consumer (and repoint every alias) to the new key before disabling the old one, or enable the key again");
            for c in consumers {
                d = d.with_label(
                    c.value.span,
                    format!("{} uses the disabled key", c.meta.address),
                );
            }
            for a in aliases {
                d = d.with_label(
                    a.meta.header,
                    format!("alias {} points at the disabled key", a.meta.address),
                );
            }
            out.push(d);
        }
    }
}
