//! BKP005 backup-resource-missing-tag: a backup-eligible resource whose effective tags do
//! not decide whether it is backed up. See `rules/BKP005.md`.
//!
//! A policy: under the `recommended` profile it applies only in a tree that uses the
//! backup tag (a backup selection on it, or the tag on some resource). A resource that a
//! selection names by ARN or reference is decided whatever its tags.

use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix, Literal};
use crate::model::backup::RESOURCE_TAG_PREFIX;
use crate::model::Model;
use crate::rules::{Context, Rule, TreeFacts};
use serde::Deserialize;

pub struct ResourceMissingTag;

/// The parameters of `rules/BKP005.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub tag: String,
    pub values: Vec<String>,
}

/// The premise of the rule under `recommended`: the tree uses the backup tag.
pub const BACKUP_TAG_USED: &str = "backup-tag";

/// Whether a group uses the backup tag: a selection matches on it, or a resource (of any
/// type) carries it.
fn uses_tag(model: &Model, tag: &str) -> bool {
    let prefixed = format!("{RESOURCE_TAG_PREFIX}{tag}");
    let by_selection = model.backup_selections.iter().any(|s| {
        s.tags
            .iter()
            .flatten()
            .any(|t| t.key.known().map(String::as_str) == Some(tag))
            || s.conditions
                .iter()
                .flatten()
                .any(|c| c.key.known().is_some_and(|k| *k == prefixed || k == tag))
    });
    by_selection
        || model
            .taggables
            .iter()
            .any(|r| r.meta.tags.get(tag).is_some())
}

impl Rule for ResourceMissingTag {
    type Params = Params;

    fn check(&self, cx: &Context<'_, Params>, out: &mut Vec<Diagnostic>) {
        let tag = cx.params.tag.clone();
        let values = cx.params.values.clone();
        let allowed = values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let policy = cx.policy();
        // The value the fix writes. Whether data is backed up is the owner's decision:
        // the fix is never applied without `--unsafe-fixes`.
        let backed_up = if values.is_empty() || values.iter().any(|v| v == "true") {
            "true".to_string()
        } else {
            values[0].clone()
        };
        for r in cx.model.taggables.iter().filter(|r| r.backup_eligible) {
            let tags = &r.meta.tags;
            // Tags that are not statically known may carry the tag.
            if tags.map.is_none() {
                continue;
            }
            // Named by a selection: backed up whatever its tags say.
            if cx
                .model
                .backup_selections
                .iter()
                .any(|s| s.names(r) == Some(true))
            {
                continue;
            }
            let name = &r.meta.address;
            let d = match tags.get(&tag) {
                None => {
                    cx.finding(
                        tags.span,
                        format!("resource {name} has no `{tag}` tag, so whether it is backed up is left undecided"),
                    )
                    .with_help(format!(
                        "tag it `{tag}` with one of {allowed} (directly, through the provider's `default_tags`, or through the tags a module receives)"
                    ))
                    .with_fix(Fix::unsafe_(
                        format!("add the tag `{tag}` = \"{backed_up}\""),
                        Change::AddTag {
                            header: r.meta.header,
                            attr: r.tags_attr.to_string(),
                            key: tag.clone(),
                            value: backed_up.clone(),
                        },
                    ))
                }
                Some(v) => match v.to_plain_string() {
                    Some(s) if !values.is_empty() && !values.contains(&s) => {
                        let mut d = cx
                            .finding(
                                v.span,
                                format!("resource {name} has `{tag}` = \"{s}\", which is not one of {allowed}"),
                            )
                            .with_help(format!(
                                "use one of {allowed}: backup selections compare tag values exactly, case included"
                            ));
                        // A value that differs only in case (`True`): written as the
                        // selections compare it. Whether it is backed up changes.
                        if let Some(exact) = values.iter().find(|a| a.eq_ignore_ascii_case(&s)) {
                            d = d.with_fix(Fix::unsafe_(
                                format!("write the tag value as \"{exact}\""),
                                Change::SetLiteral {
                                    span: v.from.unwrap_or(v.span),
                                    value: Literal::Str(exact.clone()),
                                },
                            ));
                        }
                        d = d.with_origin(v.from);
                        d
                    }
                    _ => continue,
                },
            };
            let d = d.with_address(name.clone());
            out.push(if policy {
                d
            } else {
                d.when_tree_shows(BACKUP_TAG_USED)
            });
        }
    }

    fn gather(&self, cx: &Context<'_, Params>, facts: &mut TreeFacts) {
        let tag = cx.params.tag.clone();
        if uses_tag(cx.model, &tag) {
            facts.premises.insert(BACKUP_TAG_USED);
        }
    }
}
