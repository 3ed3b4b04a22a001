//! CloudFormation resources onto the AWS model.

use crate::model::kms::KeyOrigin;
use crate::model::value::{bool_of, field, num_of, string_of};
use crate::model::{KmsAlias, KmsKey, Model, ResourceMeta, Tags, Val};
use crate::resource::ResourceInstance;

pub fn adapt(r: &ResourceInstance, model: &mut Model) {
    let b = &r.body;
    let h = r.header;
    let meta = || ResourceMeta::from_instance(r, Tags::effective(b.get("Tags"), None, h));
    match r.rtype.as_str() {
        "AWS::KMS::Key" => {
            model.kms_keys.push(KmsKey {
                meta: meta(),
                origin: field(b, "Origin", h, Some(KeyOrigin::AwsKms), |v| {
                    v.as_str().and_then(KeyOrigin::parse)
                }),
                spec: field(b, "KeySpec", h, Some("SYMMETRIC_DEFAULT".into()), string_of),
                usage: field(b, "KeyUsage", h, Some("ENCRYPT_DECRYPT".into()), string_of),
                custom_key_store: Val::default(Some(false), h),
                multi_region: field(b, "MultiRegion", h, Some(false), bool_of),
                rotation_enabled: field(b, "EnableKeyRotation", h, Some(false), bool_of),
                rotation_period_days: field(b, "RotationPeriodInDays", h, None, num_of),
                deletion_window_days: field(b, "PendingWindowInDays", h, Some(30.0), num_of),
                enabled: field(b, "Enabled", h, Some(true), bool_of),
                valid_to: Val::default(None, h),
                key_material: None,
            });
        }
        "AWS::Config::ConfigRule" => {
            let id = match b.get("Source") {
                Some(src) => field(src, "SourceIdentifier", h, None, string_of),
                None => Val::default(None, h),
            };
            model.config_rules.push(crate::model::ConfigRule {
                meta: meta(),
                identifier: id,
            });
        }
        "AWS::Config::OrganizationConfigRule" => {
            let id = match b.get("OrganizationManagedRuleMetadata") {
                Some(m) => field(m, "RuleIdentifier", h, None, string_of),
                None => Val::default(None, h),
            };
            model.config_rules.push(crate::model::ConfigRule {
                meta: meta(),
                identifier: id,
            });
        }
        "AWS::KMS::Alias" => {
            model.kms_aliases.push(KmsAlias {
                meta: meta(),
                name: field(b, "AliasName", h, None, string_of),
                target: b.get("TargetKeyId").cloned(),
                target_key: None,
                target_unknown: false,
            });
        }
        _ => {}
    }
}
