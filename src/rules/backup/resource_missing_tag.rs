//! BKP005 backup-resource-missing-tag: a backup-eligible resource whose effective tags do
//! not decide whether it is backed up. See `rules/BKP005.md`.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

pub struct ResourceMissingTag;

impl Rule for ResourceMissingTag {
    fn id(&self) -> &'static str {
        "BKP005"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let tag = cx.settings.param_str("BKP005", "tag", "ToBackup");
        let values = cx
            .settings
            .param_strs("BKP005", "values", &["true", "false"]);
        let allowed = values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ");
        for r in cx.model.taggables.iter().filter(|r| r.backup_eligible) {
            let tags = &r.meta.tags;
            // Tags that are not statically known may carry the tag.
            if tags.map.is_none() {
                continue;
            }
            let name = &r.meta.address;
            let d = match tags.get(&tag) {
                None => cx
                    .finding(
                        tags.span,
                        format!("resource {name} has no `{tag}` tag, so whether it is backed up is left undecided"),
                    )
                    .with_help(format!(
                        "tag it `{tag}` with one of {allowed} (directly, through the provider's `default_tags`, or through the tags a module receives)"
                    )),
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
                        d = d.with_origin(v.from);
                        d
                    }
                    _ => continue,
                },
            };
            out.push(d.with_address(name.clone()));
        }
    }
}
