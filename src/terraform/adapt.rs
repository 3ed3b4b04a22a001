//! Terraform resources onto the AWS model.

use crate::model::kms::KeyOrigin;
use crate::model::value::{bool_of, field, num_of, string_of};
use crate::model::{KmsAlias, KmsKey, Model, ResourceMeta, Tags, Val};
use crate::resource::ResourceInstance;

pub fn adapt(r: &ResourceInstance, model: &mut Model) {
    let b = &r.body;
    let h = r.header;
    let meta = || {
        ResourceMeta::from_instance(
            r,
            Tags::effective(b.get("tags"), r.default_tags.as_ref(), h),
        )
    };
    match r.rtype.as_str() {
        "aws_kms_key" => {
            // Any value set here, known or not, places the key in a custom key store.
            let store = field(b, "custom_key_store_id", h, Some(false), |_| Some(true));
            let origin = if store.value == Some(true) {
                Val {
                    value: Some(KeyOrigin::CustomStore),
                    span: store.span,
                    how: store.how,
                    from: store.from,
                }
            } else {
                Val::default(Some(KeyOrigin::AwsKms), h)
            };
            model.kms_keys.push(KmsKey {
                meta: meta(),
                origin,
                spec: field(
                    b,
                    "customer_master_key_spec",
                    h,
                    Some("SYMMETRIC_DEFAULT".into()),
                    string_of,
                ),
                usage: field(b, "key_usage", h, Some("ENCRYPT_DECRYPT".into()), string_of),
                custom_key_store: store,
                multi_region: field(b, "multi_region", h, Some(false), bool_of),
                rotation_enabled: field(b, "enable_key_rotation", h, Some(false), bool_of),
                rotation_period_days: field(b, "rotation_period_in_days", h, None, num_of),
                deletion_window_days: field(b, "deletion_window_in_days", h, Some(30.0), num_of),
                enabled: field(b, "is_enabled", h, Some(true), bool_of),
                valid_to: Val::default(None, h),
                key_material: None,
            });
        }
        "aws_kms_external_key" => {
            model.kms_keys.push(KmsKey {
                meta: meta(),
                origin: Val::default(Some(KeyOrigin::External), h),
                spec: Val::default(Some("SYMMETRIC_DEFAULT".into()), h),
                usage: Val::default(Some("ENCRYPT_DECRYPT".into()), h),
                custom_key_store: Val::default(Some(false), h),
                multi_region: field(b, "multi_region", h, Some(false), bool_of),
                rotation_enabled: Val::default(Some(false), h),
                rotation_period_days: Val::default(None, h),
                deletion_window_days: field(b, "deletion_window_in_days", h, Some(30.0), num_of),
                enabled: field(b, "enabled", h, Some(true), bool_of),
                valid_to: field(b, "valid_to", h, None, string_of),
                key_material: b
                    .get("key_material_base64")
                    .filter(|v| !v.is_null())
                    .cloned(),
            });
        }
        "aws_config_config_rule" | "aws_config_organization_managed_rule" => {
            let id = match b.blocks("source").first() {
                Some(src) => field(src, "source_identifier", h, None, string_of),
                None => field(b, "rule_identifier", h, None, string_of),
            };
            model.config_rules.push(crate::model::ConfigRule {
                meta: meta(),
                identifier: id,
            });
        }
        "aws_kms_alias" => {
            model.kms_aliases.push(KmsAlias {
                meta: meta(),
                name: field(b, "name", h, None, string_of),
                target: b.get("target_key_id").cloned(),
                target_key: None,
                target_unknown: false,
            });
        }
        _ => {}
    }
}
