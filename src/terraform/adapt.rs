//! Terraform resources onto the AWS model.

use crate::model::apigateway::{
    ApiDomainName, CloudFrontOrigin, EndpointType, OriginHeader, RestApiSettings, WebAcl,
    WebAclRule,
};
use crate::model::backup::{
    value_list, BackupPlan, BackupSelection, BackupVault, ConditionOp, PlanRule, Scope,
    SelectionCondition, SelectionTag, Target, VaultKey, VaultLock,
};
use crate::model::cloudfront::{
    header_names, CacheBehavior, OriginRequestPolicy, OriginRequestPolicyLookup,
};
use crate::model::kms::KeyOrigin;
use crate::model::policy::PolicyDocument;
use crate::model::tags::{is_backup_eligible, is_known_taggable, TaggableResource};
use crate::model::value::{bool_of, field, num_of, string_of};
use crate::model::{
    ApiPolicy, ApiStage, CloudFrontDistribution, DomainMapping, HttpApi, KmsAlias, KmsKey, Model,
    NamedPolicyDocument, ResourceMeta, RestApi, RestApiPolicy, Tags, Val, WafAssociation,
};
use crate::resource::ResourceInstance;
use crate::source::Span;
use crate::value::{Kind, Value};

/// Whether a rule explains the absence of a resource of this type, switched off by its
/// `count`/`for_each` (BKP001 names the switch of a vault's lock).
pub fn explains_absence(rtype: &str) -> bool {
    rtype == "aws_backup_vault_lock_configuration"
}

/// A resource switched off by its `count`/`for_each` ([`explains_absence`]): kept apart
/// from what is created, so that findings about what it would have done can name the
/// switch.
pub fn adapt_switched_off(r: &ResourceInstance, model: &mut Model) {
    if r.rtype == "aws_backup_vault_lock_configuration" {
        let meta = ResourceMeta::from_instance(r, Tags::default());
        let mut scratch = Model::default();
        vault_lock(r, meta, &mut scratch);
        model.switched_off_locks.extend(scratch.vault_locks);
    }
}

pub fn adapt(r: &ResourceInstance, model: &mut Model) {
    let b = &r.body;
    let h = r.header;
    let meta = || {
        ResourceMeta::from_instance(
            r,
            Tags::effective(b.get("tags"), r.default_tags.as_ref(), h),
        )
    };
    taggable(r, meta(), model);
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
                    attr: store.attr,
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
                primary: None,
                primary_key: None,
            });
        }
        // Imported material; the replica takes its primary's spec and usage, and the
        // provider imports 256-bit symmetric material into it.
        "aws_kms_external_key" | "aws_kms_replica_external_key" => {
            let primary = replica_primary(r);
            model.kms_keys.push(KmsKey {
                meta: meta(),
                origin: Val::default(Some(KeyOrigin::External), h),
                spec: Val::default(Some("SYMMETRIC_DEFAULT".into()), h),
                usage: Val::default(Some("ENCRYPT_DECRYPT".into()), h),
                custom_key_store: Val::default(Some(false), h),
                multi_region: match primary {
                    Some(_) => Val::default(Some(true), h),
                    None => field(b, "multi_region", h, Some(false), bool_of),
                },
                rotation_enabled: Val::default(Some(false), h),
                rotation_period_days: Val::default(None, h),
                deletion_window_days: field(b, "deletion_window_in_days", h, Some(30.0), num_of),
                enabled: field(b, "enabled", h, Some(true), bool_of),
                valid_to: field(b, "valid_to", h, None, string_of),
                key_material: b
                    .get("key_material_base64")
                    .filter(|v| !v.is_null())
                    .cloned(),
                primary,
                primary_key: None,
            });
        }
        // A replica of a multi-Region key with KMS-generated material: its spec, usage and
        // automatic rotation are its primary's (linking fills in the first two when the
        // tree defines the primary; the rotation is reported there).
        "aws_kms_replica_key" => {
            model.kms_keys.push(KmsKey {
                meta: meta(),
                origin: Val::default(Some(KeyOrigin::AwsKms), h),
                spec: Val::default(None, h),
                usage: Val::default(None, h),
                custom_key_store: Val::default(Some(false), h),
                multi_region: Val::default(Some(true), h),
                rotation_enabled: Val::default(None, h),
                rotation_period_days: Val::default(None, h),
                deletion_window_days: field(b, "deletion_window_in_days", h, Some(30.0), num_of),
                enabled: field(b, "enabled", h, Some(true), bool_of),
                valid_to: Val::default(None, h),
                key_material: None,
                primary: replica_primary(r),
                primary_key: None,
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
            let alias_meta = meta();
            let written = crate::model::kms::AliasReference {
                local: format!(
                    "use {}{}.arn",
                    crate::model::local_name(&alias_meta.ref_name),
                    alias_meta.instance().unwrap_or("")
                ),
                elsewhere: None,
            };
            model.kms_aliases.push(KmsAlias {
                meta: alias_meta,
                name: field(b, "name", h, None, string_of),
                target: b.get("target_key_id").cloned(),
                target_key: None,
                target_instance: None,
                target_unknown: false,
                written,
            });
        }
        "aws_backup_vault" => backup_vault(r, meta(), model),
        "aws_backup_vault_lock_configuration" => vault_lock(r, meta(), model),
        "aws_backup_plan" => backup_plan(r, meta(), model),
        "aws_backup_selection" => backup_selection(r, meta(), model),
        "aws_api_gateway_rest_api" => model.rest_apis.push(rest_api(r, meta())),
        "aws_api_gateway_rest_api_policy" => model.rest_api_policies.push(RestApiPolicy {
            meta: meta(),
            api: b.get("rest_api_id").cloned(),
            policy: policy_of(r, b.get("policy")),
        }),
        "aws_api_gateway_stage" => model.api_stages.push(ApiStage {
            meta: meta(),
            api: b.get("rest_api_id").cloned(),
            name: field(b, "stage_name", h, None, string_of),
        }),
        // A deployment with a stage name creates that stage.
        "aws_api_gateway_deployment" if b.get("stage_name").is_some_and(|v| !v.is_null()) => {
            model.api_stages.push(ApiStage {
                meta: meta(),
                api: b.get("rest_api_id").cloned(),
                name: field(b, "stage_name", h, None, string_of),
            })
        }
        "aws_wafv2_web_acl_association" | "aws_wafregional_web_acl_association" => {
            model.waf_associations.push(WafAssociation {
                meta: meta(),
                resource_arn: b.get("resource_arn").cloned(),
                web_acl: b
                    .get("web_acl_arn")
                    .or_else(|| b.get("web_acl_id"))
                    .cloned(),
            })
        }
        "aws_wafv2_web_acl" => {
            let default_action = b.blocks("default_action").first().and_then(|d| {
                ["allow", "block"]
                    .into_iter()
                    .find(|a| d.get(a).is_some_and(|v| !v.is_null()))
            });
            let rules: Vec<WebAclRule<'_>> = b
                .blocks("rule")
                .into_iter()
                .map(|r| WebAclRule {
                    action: r
                        .blocks("action")
                        .first()
                        .and_then(|a| a.as_map())
                        .and_then(|m| {
                            m.iter()
                                .find(|(_, v)| !v.is_null())
                                .map(|(k, _)| k.to_ascii_lowercase())
                        }),
                    statement: r.blocks("statement").first().copied(),
                })
                .collect();
            model.web_acls.push(WebAcl {
                meta: meta(),
                verifies_origin: WebAcl::verifies_origin(
                    default_action,
                    &rules,
                    &["single_header"],
                    &["not_statement"],
                ),
            })
        }
        "aws_api_gateway_base_path_mapping" | "aws_apigatewayv2_api_mapping" => {
            model.api_domain_mappings.push(DomainMapping {
                meta: meta(),
                api: b.get("api_id").cloned(),
            })
        }
        "aws_apigatewayv2_api" => model.http_apis.push(HttpApi {
            meta: meta(),
            protocol: field(b, "protocol_type", h, None, string_of),
            execute_api_disabled: field(b, "disable_execute_api_endpoint", h, Some(false), bool_of),
        }),
        "data.aws_iam_policy_document" => model.policy_documents.push(NamedPolicyDocument {
            meta: meta(),
            document: PolicyDocument::from_policy_document_body(b, h),
        }),
        "aws_cloudfront_distribution" => {
            model.cloudfront_distributions.push(CloudFrontDistribution {
                meta: meta(),
                origins: b
                    .blocks("origin")
                    .into_iter()
                    .map(|o| cloudfront_origin(o, h))
                    .collect(),
                behaviors: cache_behaviors(b),
            })
        }
        "aws_cloudfront_origin_request_policy" => {
            let config = b.blocks("headers_config");
            let config = config.first();
            model.origin_request_policies.push(OriginRequestPolicy {
                meta: meta(),
                header_behavior: match config {
                    Some(c) => field(c, "header_behavior", c.span, None, string_of),
                    None => field(b, "headers_config", h, Some("none".into()), |_| None),
                },
                headers: match config {
                    Some(c) => match c.get("headers") {
                        Some(l) if l.is_unknown() => unknown_val(l).named("headers"),
                        _ => match c.blocks("headers").first() {
                            Some(l) => field(l, "items", l.span, Some(Vec::new()), header_names),
                            None => Val::default(Some(Vec::new()), c.span),
                        },
                    },
                    None => Val::default(None, h),
                },
            })
        }
        "data.aws_cloudfront_origin_request_policy" => {
            model
                .origin_request_policy_lookups
                .push(OriginRequestPolicyLookup {
                    meta: meta(),
                    name: field(b, "name", h, None, string_of),
                    id: field(b, "id", h, None, string_of),
                })
        }
        "aws_api_gateway_domain_name" | "aws_apigatewayv2_domain_name" => {
            model.api_domain_names.push(ApiDomainName { meta: meta() })
        }
        _ => {}
    }
}

/// The primary key of a replica key resource (`primary_key_arn`, required: unknown when
/// left out); `None` for other keys.
fn replica_primary(r: &ResourceInstance) -> Option<Value> {
    if !r.rtype.starts_with("aws_kms_replica_") {
        return None;
    }
    let primary = r.body.get("primary_key_arn").filter(|v| !v.is_null());
    Some(primary.cloned().unwrap_or_else(|| Value::unknown(r.header)))
}

/// Managed resources that take tags: those of a known taggable type, and any other that
/// sets `tags` (the Auto Scaling group's `tag` blocks are not tags in this sense).
fn taggable(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
    let own = r.body.get("tags").is_some_and(|t| !t.is_null());
    if r.rtype.starts_with("aws_")
        && r.rtype != "aws_autoscaling_group"
        && (own || is_known_taggable(&r.rtype))
    {
        model.taggables.push(TaggableResource {
            scope: Scope::of(r),
            meta,
            backup_eligible: is_backup_eligible(&r.rtype),
        });
    }
}

fn backup_vault(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
    let (b, h) = (&r.body, r.header);
    model.backup_vaults.push(BackupVault {
        how_to_lock: "add an `aws_backup_vault_lock_configuration` for this vault, with `min_retention_days` and `changeable_for_days` (compliance mode)",
        meta,
        scope: Scope::of(r),
        name: field(b, "name", h, None, string_of),
        key: field(
            b,
            "kms_key_arn",
            h,
            Some(VaultKey::ServiceDefault),
            VaultKey::of,
        ),
        force_destroy: field(b, "force_destroy", h, Some(false), bool_of),
        locks: Vec::new(),
        switched_off_locks: Vec::new(),
        lock_uncertain: false,
    });
}

fn vault_lock(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
    let (b, h) = (&r.body, r.header);
    model.vault_locks.push(VaultLock {
        meta,
        scope: Scope::of(r),
        span: h,
        switch: r.switched_off,
        target: b.get("backup_vault_name").and_then(Target::of),
        vaults: Vec::new(),
        min_retention_days: field(b, "min_retention_days", h, None, num_of),
        max_retention_days: field(b, "max_retention_days", h, None, num_of),
        changeable_for_days: field(b, "changeable_for_days", h, None, num_of),
    });
}

/// A value that is set but not statically known.
fn unknown_val<T>(v: &crate::value::Value) -> Val<T> {
    Val::set_unknown(v)
}

/// Nested blocks, or `None` when a `dynamic` block makes them unknown.
fn known_blocks<'a>(b: &'a crate::value::Value, key: &str) -> Option<Vec<&'a crate::value::Value>> {
    match b.get(key) {
        Some(v) if v.is_unknown() => None,
        _ => Some(b.blocks(key)),
    }
}

fn backup_plan(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
    let rules = known_blocks(&r.body, "rule").map(|rules| {
        rules
            .into_iter()
            .map(|rule| {
                let target = rule.get("target_vault_name");
                let lifecycle = rule.get("lifecycle");
                let (delete_after, cold_storage_after) = match lifecycle {
                    Some(l) if l.is_unknown() => (
                        unknown_val(l).named("delete_after"),
                        unknown_val(l).named("cold_storage_after"),
                    ),
                    _ => match rule.blocks("lifecycle").first() {
                        Some(l) => (
                            field(l, "delete_after", l.span, None, num_of),
                            field(l, "cold_storage_after", l.span, None, num_of),
                        ),
                        None => (Val::default(None, rule.span), Val::default(None, rule.span)),
                    },
                };
                PlanRule {
                    span: rule.span,
                    name: field(rule, "rule_name", rule.span, None, string_of),
                    target: target.and_then(Target::of),
                    target_span: target.map(|t| t.span).unwrap_or(rule.span),
                    vaults: Vec::new(),
                    delete_after,
                    cold_storage_after,
                }
            })
            .collect()
    });
    model.backup_plans.push(BackupPlan {
        meta,
        scope: Scope::of(r),
        rules,
    });
}

fn backup_selection(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
    let b = &r.body;
    let tags = known_blocks(b, "selection_tag").map(|tags| {
        tags.into_iter()
            .map(|t| SelectionTag {
                span: t.span,
                op: field(t, "type", t.span, None, string_of),
                key: field(t, "key", t.span, None, string_of),
                value: field(t, "value", t.span, None, string_of),
            })
            .collect()
    });
    let conditions = known_blocks(b, "condition").and_then(|blocks| {
        let mut out = Vec::new();
        for c in blocks {
            for (name, v) in c.as_map()? {
                let op = ConditionOp::parse(name)?;
                if v.is_unknown() {
                    return None;
                }
                for e in c.blocks(name) {
                    out.push(SelectionCondition {
                        span: e.span,
                        op,
                        key: field(e, "key", e.span, None, string_of),
                        value: field(e, "value", e.span, None, string_of),
                    });
                }
            }
        }
        Some(out)
    });
    model.backup_selections.push(BackupSelection {
        meta,
        scope: Scope::of(r),
        plan: b.get("plan_id").and_then(Target::of),
        plans: Vec::new(),
        tags,
        conditions,
        resources: value_list(b.get("resources")),
        not_resources: value_list(b.get("not_resources")),
    });
}

fn policy_of(r: &ResourceInstance, v: Option<&Value>) -> ApiPolicy {
    match v {
        Some(v) => ApiPolicy::from_value(&r.address, v),
        None => ApiPolicy {
            carrier: r.address.clone(),
            document: None,
            rendered_by: None,
            span: r.header,
            from: None,
        },
    }
}

fn rest_api(r: &ResourceInstance, meta: ResourceMeta) -> RestApi {
    let b = &r.body;
    let h = r.header;
    let endpoint_types = match b.blocks("endpoint_configuration").first() {
        Some(c) => Some(field(c, "types", h, None, EndpointType::list_of)),
        // A dynamic block.
        None if b.get("endpoint_configuration").is_some() => Some(Val::default(None, h)),
        None => None,
    };
    let body = b.get("body").filter(|v| !v.is_null());
    RestApi::new(
        meta,
        RestApiSettings {
            endpoint_types,
            execute_api_disabled: field(b, "disable_execute_api_endpoint", h, Some(false), bool_of),
            policy: b
                .get("policy")
                .filter(|v| !v.is_null())
                .map(|p| ApiPolicy::from_value(&r.address, p)),
            body,
            body_elsewhere: false,
            policy_attr: "`policy` or an `aws_api_gateway_rest_api_policy`",
        },
    )
}

fn cloudfront_origin(o: &Value, h: Span) -> CloudFrontOrigin {
    let headers = match o.get("custom_header").map(|c| &c.kind) {
        None | Some(Kind::List(_)) | Some(Kind::Map(_)) => Some(
            o.blocks("custom_header")
                .into_iter()
                .map(|c| OriginHeader {
                    name: field(c, "name", c.span, None, string_of),
                })
                .collect(),
        ),
        Some(_) => None,
    };
    let protocol_policy = match o.blocks("custom_origin_config").first() {
        Some(c) => field(c, "origin_protocol_policy", o.span, None, string_of),
        None => Val::default(None, o.span),
    };
    CloudFrontOrigin {
        domain: o.get("domain_name").cloned(),
        id: field(o, "origin_id", h, None, string_of),
        headers,
        protocol_policy,
        span: o.span,
    }
}

/// The default cache behaviour, then the ordered ones.
fn cache_behaviors(b: &Value) -> Vec<CacheBehavior> {
    let default = b
        .blocks("default_cache_behavior")
        .into_iter()
        .map(|c| (c, false));
    let ordered = b
        .blocks("ordered_cache_behavior")
        .into_iter()
        .map(|c| (c, true));
    default
        .chain(ordered)
        .map(|(c, ordered)| {
            let forwarded_headers = match c.get("forwarded_values") {
                Some(f) if f.is_unknown() => unknown_val(f).named("headers"),
                _ => match c.blocks("forwarded_values").first() {
                    Some(f) => field(f, "headers", f.span, Some(Vec::new()), header_names),
                    None => Val::default(Some(Vec::new()), c.span),
                },
            };
            CacheBehavior {
                path_pattern: ordered.then(|| field(c, "path_pattern", c.span, None, string_of)),
                target_origin_id: field(c, "target_origin_id", c.span, None, string_of),
                forwarded_headers,
                origin_request_policy: c
                    .get("origin_request_policy_id")
                    .filter(|v| !v.is_null())
                    .cloned(),
                span: c.span,
            }
        })
        .collect()
}
