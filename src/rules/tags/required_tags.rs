//! TAG001 resource-missing-required-tags: a taggable resource whose effective tags lack a
//! tag the configuration requires. See `rules/TAG001.md`.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};
use serde::Deserialize;

pub struct RequiredTags;

/// The parameters of `rules/TAG001.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub required: Vec<String>,
}

impl Rule for RequiredTags {
    type Params = Params;

    fn check(&self, cx: &Context<'_, Params>, out: &mut Vec<Diagnostic>) {
        // A policy: only under the strict profile, or when configured.
        if !cx.policy() {
            return;
        }
        let required = &cx.params.required;
        if required.is_empty() {
            return;
        }
        for r in &cx.model.taggables {
            let tags = &r.meta.tags;
            if tags.map.is_none() {
                continue;
            }
            let missing: Vec<String> = required
                .iter()
                .filter(|t| tags.get(t).is_none())
                .map(|t| format!("`{t}`"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let name = &r.meta.address;
            let (noun, list) = match missing.len() {
                1 => ("tag", missing[0].clone()),
                _ => ("tags", missing.join(", ")),
            };
            out.push(
                cx.finding(tags.span, format!("resource {name} lacks the required {noun} {list}"))
                    .with_address(name.clone())
                    .with_help(format!(
                        "add {list} to its tags, or to the provider's `default_tags` so that every resource gets it"
                    )),
            );
        }
    }
}
