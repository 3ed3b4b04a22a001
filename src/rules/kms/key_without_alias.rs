//! KMS005 kms-key-without-alias: a customer key that no alias targets, so nothing can
//! reference it by alias. A key that its template exports may get its alias in a template
//! that imports it: such keys are reported once every group is gathered.

use crate::diagnostic::Diagnostic;
use crate::model::{KmsKey, ResourceMeta};
use crate::rules::{Context, NoParams, Rule, Summary, TreeContext, TreeFacts};
use std::collections::BTreeSet;

pub struct KeyWithoutAlias;

/// The encryption keys of a group that no alias of the group targets.
fn unaliased<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a KmsKey> + 'a {
    // An alias whose target is not statically known may target any key of its module
    // or template: such keys are not reported (unknown is not a violation).
    let unsure: BTreeSet<&str> = cx
        .model
        .kms_aliases
        .iter()
        .filter(|a| a.target_unknown())
        .map(|a| a.meta.scope.as_str())
        .collect();
    // Under `recommended`, only keys whose rotation means a new key or new material.
    let policy = cx.policy();
    cx.model.kms_keys.iter().filter(move |key| {
        key.usage.known().map(String::as_str) == Some(crate::model::kms::ENCRYPT_DECRYPT)
            && (policy || key.rotation_needs_new_key() == Some(true))
            && cx.model.aliases_of_key(key).next().is_none()
            && !unsure.contains(key.meta.scope.as_str())
    })
}

fn finding(
    meta: &ResourceMeta,
    new: impl Fn(crate::source::Span, String) -> Diagnostic,
) -> Diagnostic {
    new(
        meta.header,
        format!(
            "KMS key {} has no alias; consumers can only reference it by id or ARN",
            meta.address
        ),
    )
    .with_address(meta.address.clone())
    .with_help(
        "add an alias (aws_kms_alias / AWS::KMS::Alias) targeting this key and reference the alias",
    )
}

/// What each group leaves: its exported keys that no alias of their own template
/// targets (a template that imports them may alias them).
#[derive(Debug, Default)]
pub struct Unaliased(Vec<ResourceMeta>);

impl Summary for Unaliased {
    fn merge(&mut self, other: Unaliased) {
        self.0.extend(other.0);
    }

    fn reported(&self) -> Vec<&ResourceMeta> {
        self.0.iter().collect()
    }

    fn size(&self) -> usize {
        self.0.len()
    }
}

impl Rule for KeyWithoutAlias {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for key in unaliased(cx).filter(|k| !cx.model.exported.contains(&k.meta.ref_name)) {
            out.push(finding(&key.meta, |at, m| cx.finding(at, m)));
        }
    }

    fn gather(&self, cx: &Context<'_>, facts: &mut TreeFacts) {
        let exported = unaliased(cx).filter(|k| cx.model.exported.contains(&k.meta.ref_name));
        let summary: &mut Unaliased = cx.summary(facts);
        summary.0.extend(exported.map(|k| k.meta.clone()));
    }

    fn check_tree(&self, cx: &TreeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(unaliased) = cx.summary::<Unaliased>() else {
            return;
        };
        let aliased: BTreeSet<&str> = cx
            .facts
            .foreign_aliases
            .iter()
            .map(|a| a.key.as_str())
            .collect();
        for meta in &unaliased.0 {
            if !aliased.contains(meta.ref_name.as_str()) {
                let d = finding(meta, |at, m| cx.finding(at, m));
                out.push(cx.explain(d, meta));
            }
        }
    }
}
