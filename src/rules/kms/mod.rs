//! KMS rules: keys, aliases and rotation.

pub mod alias_in_create_time_attribute;
pub mod deletion_window_too_short;
pub mod disabled_key_in_use;
pub mod imported_key_rotation_untracked;
pub mod key_material_in_code;
pub mod key_pinned_by_id;
pub mod key_pinned_needs_reencryption;
pub mod key_rotation_disabled;
pub mod key_without_alias;
pub mod rotation_not_monitored;
pub mod rotation_not_supported;
pub mod rotation_period_too_long;

use crate::model::{display_name, KeyConsumer, KeyRef, Model};

/// How a consumer's reference reads in a message.
pub fn describe_reference(c: &KeyConsumer) -> String {
    match &c.reference {
        KeyRef::RawKeyResource(k) => format!(
            "KMS key {}{}",
            display_name(k),
            c.key_instance().unwrap_or("")
        ),
        KeyRef::RawKeyLiteral(s) => format!("KMS key `{s}`"),
        KeyRef::AliasName(s) | KeyRef::AliasArn(s) | KeyRef::AwsManagedAlias(s) => {
            format!("alias `{s}`")
        }
        KeyRef::AliasResource(a) => format!("alias {}", display_name(a)),
        KeyRef::Unknown => "an unknown key".to_string(),
    }
}

/// The alias resources that target the consumer's key, for labels and help.
pub fn aliases_for<'m>(model: &'m Model, c: &'m KeyConsumer) -> Vec<&'m crate::model::KmsAlias> {
    match c.key() {
        Some(k) => model
            .aliases_of(k)
            .filter(|a| crate::model::same_instance(a.target_instance(), c.key_instance()))
            .collect(),
        None => Vec::new(),
    }
}
