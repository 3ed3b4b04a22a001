//! BKP006 backup-tag-not-selected: resources tagged for backup that no backup selection
//! selects, and selections whose tag key or value can never match. See `rules/BKP006.md`.

use crate::diagnostic::Diagnostic;
use crate::model::backup::{BackupSelection, ConditionOp, RESOURCE_TAG_PREFIX};
use crate::model::{by_location, TaggableResource};
use crate::rules::{Context, Rule, Summary, TreeContext, TreeFacts};
use crate::value::Value;
use serde::Deserialize;

pub struct TagNotSelected;

/// The parameters of `rules/BKP006.md`: the tag and value that mark a resource for
/// backup.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub tag: String,
    pub value: String,
}

/// What each group leaves: its backup selections, and the resources tagged for backup
/// that none of them selects.
#[derive(Debug, Default)]
pub struct Selections {
    selections: Vec<BackupSelection>,
    unselected: Vec<Unselected>,
}

impl Summary for Selections {
    fn merge(&mut self, other: Selections) {
        self.selections.extend(other.selections);
        self.unselected.extend(other.unselected);
    }

    fn reported(&self) -> Vec<&crate::model::ResourceMeta> {
        self.unselected.iter().map(|u| &u.resource.meta).collect()
    }

    fn size(&self) -> usize {
        self.selections.len() + self.unselected.len()
    }
}

/// A resource tagged for backup that no selection of its group selects, with the tag's
/// value.
#[derive(Debug)]
pub struct Unselected {
    pub resource: TaggableResource,
    value: Value,
}

impl Rule for TagNotSelected {
    type Params = Params;

    fn check(&self, cx: &Context<'_, Params>, out: &mut Vec<Diagnostic>) {
        let (tag, value) = wanted(cx.params);
        for sel in &cx.model.backup_selections {
            check_selection(cx, sel, &tag, &value, out);
        }
    }

    /// Selections may come from another root module or template than the resources
    /// (a central backup stack): each group leaves its selections and the tagged resources
    /// none of them selects.
    fn gather(&self, cx: &Context<'_, Params>, facts: &mut TreeFacts) {
        let (tag, value) = wanted(cx.params);
        let selections = &cx.model.backup_selections;
        let summary: &mut Selections = cx.summary(facts);
        summary.selections.extend(selections.iter().cloned());
        for r in cx.model.taggables.iter().filter(|r| r.backup_eligible) {
            let Some(v) = r.meta.tags.get(&tag) else {
                continue;
            };
            if v.to_plain_string().as_deref() != Some(value.as_str()) {
                continue;
            }
            if selections.iter().all(|s| s.selects(r) == Some(false)) {
                summary.unselected.push(Unselected {
                    resource: r.clone(),
                    value: v.clone(),
                });
            }
        }
    }

    fn check_tree(&self, cx: &TreeContext<'_, Params>, out: &mut Vec<Diagnostic>) {
        let (tag, value) = wanted(cx.params);
        let Some(summary) = cx.summary::<Selections>() else {
            return;
        };
        let mut selections: Vec<&BackupSelection> = summary.selections.iter().collect();
        // Without any selection in the tree, backups may come from a central policy.
        if selections.is_empty() {
            return;
        }
        selections.sort_by(|a, b| by_location(&a.meta, &b.meta));
        let mut unselected: Vec<&Unselected> = summary.unselected.iter().collect();
        unselected.sort_by(|a, b| by_location(&a.resource.meta, &b.resource.meta));
        for u in unselected {
            let r = &u.resource;
            if !selections.iter().all(|s| s.selects(r) == Some(false)) {
                continue;
            }
            let v = &u.value;
            let name = &r.meta.address;
            let mut d = cx.finding(
                v.span,
                format!("resource {name} is tagged `{tag}` = \"{value}\", but no backup selection selects it"),
            );
            d = d.with_origin(v.from);
            for s in selections.iter().take(3) {
                d = d.with_label(
                    s.meta.header,
                    format!("backup selection {} does not select it", s.meta.address),
                );
            }
            let d = d.with_address(name.clone()).with_help(format!(
                "add a selection tag `{tag}` = \"{value}\" (plain key) or a condition on `{RESOURCE_TAG_PREFIX}{tag}` to a backup selection"
            ));
            out.push(cx.explain(d, &r.meta));
        }
    }
}

/// The tag and value that mark a resource for backup.
fn wanted(params: &Params) -> (String, String) {
    (params.tag.clone(), params.value.clone())
}

fn check_selection(
    cx: &Context<'_, Params>,
    sel: &BackupSelection,
    tag: &str,
    value: &str,
    out: &mut Vec<Diagnostic>,
) {
    let name = &sel.meta.address;
    let mut push = |d: Diagnostic| out.push(d.with_address(name.clone()));
    for t in sel.tags.iter().flatten() {
        if let Some(key) = t.key.known() {
            if let Some(plain) = key.strip_prefix(RESOURCE_TAG_PREFIX) {
                push(
                    cx.finding(
                        t.key.span,
                        format!("backup selection {name} matches tag key `{key}`, which carries the `{RESOURCE_TAG_PREFIX}` prefix, so it matches no resource"),
                    )
                    .with_help(format!("selection tags take the plain tag key: `{plain}`")),
                );
                continue;
            }
            // Like the model's matching: only an equality of known type is judged.
            if key == tag && t.is_equals() == Some(true) {
                if let Some(d) = value_never_matches(cx, name, &t.value, tag, value) {
                    push(d);
                }
            }
        }
    }
    for c in sel.conditions.iter().flatten() {
        let Some(key) = c.key.known() else {
            continue;
        };
        match key.strip_prefix(RESOURCE_TAG_PREFIX) {
            None => push(
                cx.finding(
                    c.key.span,
                    format!("backup selection {name} has a condition on `{key}`, which lacks the `{RESOURCE_TAG_PREFIX}` prefix, so it matches no resource"),
                )
                .with_help(format!("condition keys name tags as `{RESOURCE_TAG_PREFIX}{key}`")),
            ),
            Some(k) if k == tag && c.op == ConditionOp::StringEquals => {
                if let Some(d) = value_never_matches(cx, name, &c.value, tag, value) {
                    push(d);
                }
            }
            Some(_) => {}
        }
    }
}

/// A value that differs from the backup value only in case or surrounding space: tag
/// matching is exact, so it never matches resources tagged the expected way.
fn value_never_matches(
    cx: &Context<'_, Params>,
    name: &str,
    v: &crate::model::Val<String>,
    tag: &str,
    value: &str,
) -> Option<Diagnostic> {
    let s = v.known()?;
    if s == value || !s.trim().eq_ignore_ascii_case(value) {
        return None;
    }
    Some(
        cx.finding(
            v.span,
            format!("backup selection {name} matches `{tag}` = \"{s}\", which never matches \"{value}\": tag values are compared exactly"),
        )
        .with_help(format!("match the value \"{value}\" exactly")),
    )
}
