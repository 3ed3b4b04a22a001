//! KMS003 kms-imported-key-rotation-untracked: a key with imported material (BYOK) whose
//! rotation is not tracked by a rotation-date tag, is overdue, or whose material expired.

use crate::diagnostic::Diagnostic;
use crate::model::kms::KeyOrigin;
use crate::rules::{Context, Rule};
use crate::settings::Date;
use crate::value::format_number;

pub struct ImportedKeyRotationUntracked;

const HELP: &str = "rotate the imported material on demand (ImportKeyMaterial with NEW_KEY_MATERIAL, then RotateKeyOnDemand; the key id stays the same), or create a new key with new material and repoint the alias to it; then record the date in the tag";

impl Rule for ImportedKeyRotationUntracked {
    fn id(&self) -> &'static str {
        "KMS003"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let tag = cx.settings.param_str("KMS003", "tag", "RotationDate");
        let max_age = cx.settings.param_f64("KMS003", "max_age_days", 365.0);
        let today = cx.settings.today;
        // The rotation-date tag and its maximum age are the policy (strict profile, or
        // configured); expired material, and material nothing tracks, are facts.
        let policy = cx.policy();
        for key in &cx.model.kms_keys {
            if key.origin.known() != Some(&KeyOrigin::External) {
                continue;
            }
            let name = &key.meta.address;
            let tags = &key.meta.tags;
            if let Some(valid_to) = key.valid_to.known() {
                if let Some(d) = Date::parse(valid_to) {
                    if d < today {
                        out.push(
                            cx.finding(
                                key.valid_to.span,
                                format!(
                                    "imported key material of KMS key {name} expired on {valid_to}"
                                ),
                            )
                            .with_address(name.clone())
                            .with_help(HELP),
                        );
                    }
                }
            }
            let Some(map) = &tags.map else { continue };
            match map.get(&tag) {
                // Under `recommended`, material with an expiry in the future is tracked
                // (its expiry forces the next import); the tag itself is the policy.
                None if !policy => {
                    // An expiry (a date, or a value not statically known) tracks it;
                    // expired material is reported above.
                    if key.valid_to.is_explicit()
                        && key.valid_to.known().is_none_or(|v| Date::parse(v).is_some())
                    {
                        continue;
                    }
                    // Where the configuration cannot set the material's expiry (a
                    // template: it is set when the material is imported), only the tag
                    // can track it.
                    let (message, help) = match key.valid_to.attr {
                        "" => (
                            format!("KMS key {name} has imported material but no `{tag}` tag recording its last rotation, so nothing in the template tracks it"),
                            format!("add a `{tag}` tag with the ISO 8601 date of the last import, e.g. 2026-03-01; {HELP}"),
                        ),
                        expiry => (
                            format!("KMS key {name} has imported material that nothing tracks: no `{tag}` tag recording its last rotation, and no expiry (`{expiry}`)"),
                            format!("add a `{tag}` tag with the ISO 8601 date of the last import, e.g. 2026-03-01, or an expiry for the material (`{expiry}`); {HELP}"),
                        ),
                    };
                    out.push(
                        cx.finding(tags.span, message)
                            .with_address(name.clone())
                            .with_help(help),
                    );
                }
                None => out.push(
                    cx.finding(
                        tags.span,
                        format!("KMS key {name} has imported material but no `{tag}` tag recording its last rotation"),
                    )
                    .with_address(name.clone())
                    .with_help(format!("add a `{tag}` tag with the ISO 8601 date of the last import, e.g. 2026-03-01; {HELP}")),
                ),
                Some(v) => {
                    let Some(text) = v.to_plain_string() else { continue };
                    match Date::parse(&text) {
                        None => out.push(
                            cx.finding(
                                v.span,
                                format!("`{tag}` tag of KMS key {name} is `{text}`, not an ISO 8601 date"),
                            )
                            .with_address(name.clone())
                            .with_help("write the date as YYYY-MM-DD (or a full RFC 3339 timestamp)"),
                        ),
                        Some(d) => {
                            let age = (today.0 - d.0) as f64;
                            if policy && age > max_age {
                                let mut f = cx
                                    .finding(
                                        v.span,
                                        format!(
                                            "imported key material of KMS key {name} was last rotated on {text}, {} days ago (more than {})",
                                            format_number(age),
                                            format_number(max_age)
                                        ),
                                    )
                                    .with_address(name.clone())
                                    .with_help(HELP);
                                if let Some(from) = v.from {
                                    f = f.with_label(from, "date set here");
                                }
                                out.push(f);
                            }
                        }
                    }
                }
            }
        }
    }
}
