//! Rule parameters: each rule's typed parameters are read from one table, the `params`
//! of its document with, over them, the `strict` profile's (under that profile) and the
//! configuration's `[rules.<ID>]`. The document holds every default; code holds none.

use super::RuleMeta;
use crate::settings::{Profile, Settings};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The parameters of a rule that takes none: any key is an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// The table a rule's parameters are read from: the document's defaults, the `strict`
/// profile's over them, and the configuration's (`configured`) over both.
pub fn table(meta: &RuleMeta, profile: Profile, configured: Option<&toml::Table>) -> toml::Table {
    let mut t = meta.params.clone();
    if profile == Profile::Strict {
        t.extend(meta.strict.clone());
    }
    if let Some(c) = configured {
        t.extend(c.clone());
    }
    t
}

/// A rule's parameters under the settings.
pub fn resolve<P: DeserializeOwned>(meta: &RuleMeta, settings: &Settings) -> Result<P, String> {
    let t = table(meta, settings.profile, settings.params.get(&meta.id));
    deserialize(t).map_err(|e| format!("parameters of {}: {e}", meta.id))
}

fn deserialize<P: DeserializeOwned>(t: toml::Table) -> Result<P, toml::de::Error> {
    P::deserialize(toml::Value::Table(t))
}

/// Checks configured parameters (`[rules.<ID>]`) against the rule's parameter type, one
/// key at a time so that the error names the key: `Err((key, message))`.
pub fn validate<P: DeserializeOwned>(
    meta: &RuleMeta,
    configured: &toml::Table,
) -> Result<(), (String, String)> {
    for (key, value) in configured {
        let Some(default) = meta.params.get(key) else {
            let known: Vec<&str> = meta.params.keys().map(String::as_str).collect();
            return Err((
                key.clone(),
                format!(
                    "unknown parameter `{key}` for {} (known: {})",
                    meta.id,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        let one = toml::Table::from_iter([(key.clone(), value.clone())]);
        // Under either profile: the strict profile's values must not hide a bad one.
        for profile in Profile::ALL {
            if let Err(e) = deserialize::<P>(table(meta, profile, Some(&one))) {
                let numbers = |v: &toml::Value| v.is_integer() || v.is_float();
                let message = if default.type_str() != value.type_str()
                    && !(numbers(default) && numbers(value))
                {
                    format!(
                        "parameter `{key}` of {} must be a {}, not a {}",
                        meta.id,
                        default.type_str(),
                        value.type_str()
                    )
                } else {
                    format!(
                        "parameter `{key}` of {}: {}",
                        meta.id,
                        e.message().trim_end()
                    )
                };
                return Err((key.clone(), message));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Run, REGISTRY};
    use super::*;
    use crate::rules::TreeFacts;
    use std::path::PathBuf;

    /// KMS004 over a key that rotates every 365 days, with the rule's document as given.
    fn kms004_findings(meta: &RuleMeta) -> Vec<crate::diagnostic::Diagnostic> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let settings = Settings {
            profile: Profile::Strict,
            ..Settings::default()
        };
        let report = crate::scan(&crate::ScanOptions {
            paths: vec![root.join("testdata/KMS004/pass/template.json")],
            root,
            threads: 1,
            settings: settings.clone(),
            keep_keys: true,
            ..crate::ScanOptions::default()
        });
        assert_eq!(report.keys.kms_keys.len(), 1, "the fixture's key");
        let entry = REGISTRY.iter().find(|e| e.id == "KMS004").expect("KMS004");
        let on = Run {
            id: entry.id,
            meta,
            settings: &settings,
            index: None,
        };
        let mut out = Vec::new();
        entry
            .rule
            .run_group(on, &report.keys, &mut TreeFacts::default(), &mut out);
        out
    }

    #[test]
    fn a_default_changed_in_the_document_changes_what_the_rule_uses_and_explain_prints() {
        let doc = REGISTRY
            .iter()
            .find(|e| e.id == "KMS004")
            .expect("KMS004")
            .doc;
        let lowered = doc.replace("params = { max_days = 365 }", "params = { max_days = 200 }");
        assert_ne!(lowered, doc, "the document's default is 365 days");
        let original = RuleMeta::parse(doc).expect("document");
        let lowered = RuleMeta::parse(&lowered).expect("edited document");

        assert!(original.explain().contains("  max_days = 365\n"));
        assert!(kms004_findings(&original).is_empty());

        assert!(lowered.explain().contains("  max_days = 200\n"));
        let found = kms004_findings(&lowered);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("rotates every 365 days, longer than the 200 days allowed"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn configuration_and_the_strict_profile_overlay_the_document() {
        let meta = crate::rules::find("TAG001").expect("TAG001");
        let required = |profile, configured: Option<&toml::Table>| {
            let t = table(meta, profile, configured);
            match t.get("required") {
                Some(toml::Value::Array(a)) => a.len(),
                _ => usize::MAX,
            }
        };
        assert_eq!(required(Profile::Recommended, None), 0);
        assert_eq!(required(Profile::Strict, None), 3);
        let one: toml::Table = toml::from_str("required = [\"Owner\"]").expect("toml");
        assert_eq!(required(Profile::Strict, Some(&one)), 1);
    }

    #[test]
    fn configured_parameters_of_the_wrong_type_or_unknown_name_the_key() {
        let meta = crate::rules::find("BKP005").expect("BKP005");
        let bad = |text: &str| {
            let t: toml::Table = toml::from_str(text).expect("toml");
            crate::rules::validate_params(meta, &t).expect_err(text)
        };
        let (key, message) = bad("values = [\"yes\", 1]");
        assert_eq!(key, "values");
        assert!(
            message.starts_with("parameter `values` of BKP005: "),
            "{message}"
        );
        let (key, message) = bad("tag = 3");
        assert_eq!(key, "tag");
        assert_eq!(
            message,
            "parameter `tag` of BKP005 must be a string, not a integer"
        );
        let (key, message) = bad("tags = \"ToBackup\"");
        assert_eq!(key, "tags");
        assert!(
            message.starts_with("unknown parameter `tags` for BKP005"),
            "{message}"
        );
        let kms002 = crate::rules::find("KMS002").expect("KMS002");
        let t: toml::Table = toml::from_str("days = 3").expect("toml");
        let (key, _) = crate::rules::validate_params(kms002, &t).expect_err("no parameters");
        assert_eq!(key, "days");
        let ok: toml::Table = toml::from_str("values = [\"yes\"]").expect("toml");
        assert_eq!(crate::rules::validate_params(meta, &ok), Ok(()));
    }
}
