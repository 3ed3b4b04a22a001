//! KMS001 kms-key-pinned-by-id: a per-request consumer names a customer key by its raw
//! id or ARN, so repointing an alias during rotation does not reach it.

use super::aliases_for;
use crate::diagnostic::Diagnostic;
use crate::fix::{suggest, Change, Fix};
use crate::model::kms::Resolution;
use crate::rules::{Context, NoParams, Rule};

pub struct KeyPinnedById;

impl Rule for KeyPinnedById {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let policy = cx.policy();
        for c in &cx.model.kms_consumers {
            if c.resolution != Resolution::PerRequest || !c.reference.is_raw_key() {
                continue;
            }
            // Under `recommended`, only a key whose rotation means a new key or new
            // material: an AWS-generated key that rotates keeps its id and ARN.
            if !policy
                && c.key()
                    .and_then(|k| cx.model.key_instance(k, c.key_instance()))
                    .and_then(|k| k.rotation_needs_new_key())
                    != Some(true)
            {
                continue;
            }
            let how = super::describe_reference(c);
            let mut d = cx
                .finding(
                    c.value.span,
                    format!(
                        "{} of {} pins {how} by id or ARN; alias rotation will not reach it",
                        c.service, c.meta.address
                    ),
                )
                .with_address(c.meta.address.clone());
            if let Some(from) = c.value.from {
                d = d.with_label(from, "key reference set here");
            }
            let aliases = aliases_for(cx.model, c);
            if let ([alias], None) = (aliases.as_slice(), c.value.from) {
                if let Some(value) = suggest::alias_arn(&c.meta, &alias.meta) {
                    let change = Change::Replace {
                        span: c.value.span,
                        value,
                    };
                    let what = format!("reference alias {} instead of the key", alias.meta.address);
                    d = d.with_fix(Fix::safe(what, change));
                }
            }
            match aliases.first() {
                Some(a) => {
                    d = d.with_label(
                        a.meta.header,
                        format!("alias for this key: {}", a.meta.address),
                    );
                    let local = format!(
                        "{}{}",
                        crate::model::local_name(&a.meta.ref_name),
                        a.meta.instance().unwrap_or("")
                    );
                    let names = [
                        ("local", local.as_str()),
                        ("name", crate::model::display_name(&a.meta.ref_name)),
                    ];
                    d = d.with_help(if a.meta.scope != c.meta.scope {
                        cx.snippet("alias-reference-elsewhere", &a.meta, &names)
                    } else {
                        cx.snippet("alias-reference", &a.meta, &names)
                    });
                }
                None if c.key().is_some_and(|k| cx.model.key(k).is_none()) => {
                    d = d.with_help(cx.snippet("key-elsewhere", &c.meta, &[]));
                }
                None => {
                    d = d.with_help("create an alias for the key and reference the alias (`alias/<name>` or its ARN)");
                }
            }
            out.push(d);
        }
    }
}
