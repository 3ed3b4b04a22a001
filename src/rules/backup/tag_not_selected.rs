//! BKP006 backup-tag-not-selected: resources tagged for backup that no backup selection
//! selects, and selections whose tag key or value can never match. See `rules/BKP006.md`.

use crate::diagnostic::Diagnostic;
use crate::model::backup::{BackupSelection, ConditionOp, RESOURCE_TAG_PREFIX};
use crate::rules::{Context, Rule};

pub struct TagNotSelected;

impl Rule for TagNotSelected {
    fn id(&self) -> &'static str {
        "BKP006"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let tag = cx.settings.param_str("BKP006", "tag", "ToBackup");
        let value = cx.settings.param_str("BKP006", "value", "true");
        let selections = &cx.model.backup_selections;
        for sel in selections {
            check_selection(cx, sel, &tag, &value, out);
        }
        // Without any selection in the tree, backups may come from a central policy.
        if selections.is_empty() {
            return;
        }
        for r in cx.model.taggables.iter().filter(|r| r.backup_eligible) {
            let Some(v) = r.meta.tags.get(&tag) else {
                continue;
            };
            if v.to_plain_string().as_deref() != Some(value.as_str()) {
                continue;
            }
            if !selections.iter().all(|s| s.selects(r) == Some(false)) {
                continue;
            }
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
            out.push(d.with_address(name.clone()).with_help(format!(
                "add a selection tag `{tag}` = \"{value}\" (plain key) or a condition on `{RESOURCE_TAG_PREFIX}{tag}` to a backup selection"
            )));
        }
    }
}

fn check_selection(
    cx: &Context<'_>,
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
    cx: &Context<'_>,
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
