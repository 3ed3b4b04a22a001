//! KMS007 kms-alias-in-create-time-attribute: Terraform only; an alias in an attribute
//! that the service resolves at creation: perpetual replacement or diff, no rotation gain.

use crate::diagnostic::Diagnostic;
use crate::fix::{self, Change, Fix, Literal};
use crate::model::kms::{AliasAtCreation, Resolution};
use crate::rules::{Context, NoParams, Rule};
use crate::value::Kind;

pub struct AliasInCreateTimeAttribute;

/// The alias reference, written at the attribute, replaced by the alias's
/// `target_key_arn`: the same key, as an ARN. Only for an alias of the same module whose
/// instances the reference names exactly.
fn key_behind_alias(cx: &Context<'_>, c: &crate::model::kms::KeyConsumer) -> Option<Change> {
    let Kind::Ref(r) = &c.value.kind else {
        return None;
    };
    if c.value.from.is_some()
        || fix::module_prefix(&r.resource) != fix::module_prefix(&c.meta.ref_name)
    {
        return None;
    }
    let aliases: Vec<_> = cx
        .model
        .kms_aliases
        .iter()
        .filter(|a| a.meta.ref_name == r.resource)
        .collect();
    if aliases.is_empty()
        || aliases
            .iter()
            .any(|a| a.meta.instance().is_some() != r.instance.is_some())
    {
        return None;
    }
    let text = format!(
        "{}{}.target_key_arn",
        crate::model::local_name(&r.resource),
        r.instance.as_deref().unwrap_or("")
    );
    Some(Change::Replace {
        span: c.value.span,
        value: Literal::Reference(text),
    })
}

impl Rule for AliasInCreateTimeAttribute {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for c in &cx.model.kms_consumers {
            let Some(effect) = c.alias_at_creation else {
                continue;
            };
            if c.resolution != Resolution::AtCreation || !c.reference.is_alias() {
                continue;
            }
            let effect = match effect {
                AliasAtCreation::Replaced => cx.snippet("alias-at-creation-replaced", &c.meta, &[]),
                AliasAtCreation::Diff => cx.snippet("alias-at-creation-diff", &c.meta, &[]),
                AliasAtCreation::Stored => cx.snippet("alias-at-creation-stored", &c.meta, &[]),
            };
            let mut d = cx
                .finding(
                    c.value.span,
                    format!(
                        "{} of {} takes an alias in `{}`, which is resolved once at creation: {effect}",
                        c.service, c.meta.address, c.attribute
                    ),
                )
                .with_address(c.meta.address.clone())
                .with_help(cx.snippet("key-behind-alias", &c.meta, &[]));
            if let Some(from) = c.value.from {
                d = d.with_label(from, "alias set here");
            }
            if let Some(change) = key_behind_alias(cx, c) {
                d = d.with_fix(Fix::safe(
                    "reference the key behind the alias (`target_key_arn`)",
                    change,
                ));
            }
            out.push(d);
        }
    }
}
