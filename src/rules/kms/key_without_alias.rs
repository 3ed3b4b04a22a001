//! KMS005 kms-key-without-alias: a customer key that no alias targets, so nothing can
//! reference it by alias.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};
use std::collections::BTreeSet;

pub struct KeyWithoutAlias;

impl Rule for KeyWithoutAlias {
    fn id(&self) -> &'static str {
        "KMS005"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // An alias whose target is not statically known may target any key of its module
        // or template: such keys are not reported (unknown is not a violation).
        let unsure: BTreeSet<&str> = cx
            .model
            .kms_aliases
            .iter()
            .filter(|a| a.target_unknown)
            .map(|a| a.meta.scope.as_str())
            .collect();
        for key in &cx.model.kms_keys {
            if key.usage.known().map(String::as_str) != Some("ENCRYPT_DECRYPT") {
                continue;
            }
            if cx.model.aliases_of(&key.meta.ref_name).next().is_some() {
                continue;
            }
            if unsure.contains(key.meta.scope.as_str()) {
                continue;
            }
            out.push(
                cx.finding(
                    key.meta.header,
                    format!("KMS key {} has no alias; consumers can only reference it by id or ARN", key.meta.address),
                )
                .with_address(key.meta.address.clone())
                .with_help("add an alias (aws_kms_alias / AWS::KMS::Alias) targeting this key and reference the alias"),
            );
        }
    }
}
