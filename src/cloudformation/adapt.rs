//! CloudFormation resources onto the AWS model.

use crate::model::apigateway::{
    ApiDomainName, CloudFrontOrigin, EndpointType, OriginHeader, RestApiSettings, WebAcl,
    WebAclRule,
};
use crate::model::backup::{
    value_list, BackupPlan, BackupSelection, BackupVault, ConditionOp, PlanRule, Scope,
    SelectionCondition, SelectionTag, Target, VaultKey, VaultLock,
};
use crate::model::cloudfront::{header_names, CacheBehavior, OriginRequestPolicy};
use crate::model::kms::KeyOrigin;
use crate::model::policy::PolicyDocument;
use crate::model::tags::{
    cfn_tags_property, is_backup_eligible, is_known_taggable, TaggableResource,
};
use crate::model::value::{bool_of, field, num_of, string_of};
use crate::model::{
    ApiPolicy, ApiStage, CloudFrontDistribution, DomainMapping, HttpApi, KmsAlias, KmsKey, Model,
    ResourceMeta, RestApi, Tags, Val, WafAssociation,
};
use crate::resource::ResourceInstance;
use crate::source::Span;
use crate::value::{Kind, Reference, Value};

pub fn adapt(r: &ResourceInstance, model: &mut Model) {
    let b = &r.body;
    let h = r.header;
    let meta = || ResourceMeta::from_instance(r, Tags::effective(b.get("Tags"), None, h));
    taggable(r, model);
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
                primary: None,
                primary_key: None,
            });
        }
        // A replica of a multi-Region key: its origin, spec, usage and automatic rotation
        // are its primary's (linking fills in the first three when the template defines
        // the primary; the rotation is reported there). Multi-Region keys are never in a
        // custom key store.
        "AWS::KMS::ReplicaKey" => {
            model.kms_keys.push(KmsKey {
                meta: meta(),
                origin: Val::default(None, h),
                spec: Val::default(None, h),
                usage: Val::default(None, h),
                custom_key_store: Val::default(Some(false), h),
                multi_region: Val::default(Some(true), h),
                rotation_enabled: Val::default(None, h),
                rotation_period_days: Val::default(None, h),
                deletion_window_days: field(b, "PendingWindowInDays", h, Some(30.0), num_of),
                enabled: field(b, "Enabled", h, Some(true), bool_of),
                valid_to: Val::default(None, h),
                key_material: None,
                primary: Some(
                    b.get("PrimaryKeyArn")
                        .filter(|v| !v.is_null())
                        .cloned()
                        .unwrap_or_else(|| Value::unknown(h)),
                ),
                primary_key: None,
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
                target_instance: None,
                target_unknown: false,
                // `!Ref` reaches only resources of the same template.
                written: crate::model::kms::AliasReference {
                    local: format!("use !Ref {}", crate::model::display_name(&r.ref_name)),
                    elsewhere: Some(format!(
                        "export the name of alias {0} from its stack (`Outputs` with `Export`, value `!Ref {0}`) and use `!ImportValue` of that export here",
                        crate::model::display_name(&r.ref_name)
                    )),
                },
            });
        }
        "AWS::Backup::BackupVault" => backup_vault(r, model),
        "AWS::Backup::BackupPlan" => backup_plan(r, model),
        "AWS::Backup::BackupSelection" => backup_selection(r, model),
        "AWS::ApiGateway::RestApi" => model.rest_apis.push(RestApi::new(
            meta(),
            RestApiSettings {
                endpoint_types: b
                    .get("EndpointConfiguration")
                    .map(|c| field(c, "Types", h, None, EndpointType::list_of)),
                execute_api_disabled: field(
                    b,
                    "DisableExecuteApiEndpoint",
                    h,
                    Some(false),
                    bool_of,
                ),
                policy: b
                    .get("Policy")
                    .filter(|v| !v.is_null())
                    .map(|p| ApiPolicy::from_value(&r.address, p)),
                body: b.get("Body").filter(|v| !v.is_null()),
                body_elsewhere: b.get("BodyS3Location").is_some(),
                policy_attr: "`Policy`",
            },
        )),
        "AWS::Serverless::Api" => serverless_api(r, meta(), model),
        "AWS::ApiGateway::Stage" => model.api_stages.push(ApiStage {
            meta: meta(),
            api: b.get("RestApiId").cloned(),
            name: field(b, "StageName", h, None, string_of),
        }),
        // A deployment with a stage name creates that stage.
        "AWS::ApiGateway::Deployment" if b.get("StageName").is_some_and(|v| !v.is_null()) => {
            model.api_stages.push(ApiStage {
                meta: meta(),
                api: b.get("RestApiId").cloned(),
                name: field(b, "StageName", h, None, string_of),
            })
        }
        "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation" => {
            model.waf_associations.push(WafAssociation {
                meta: meta(),
                resource_arn: b.get("ResourceArn").cloned(),
                web_acl: b.get("WebACLArn").or_else(|| b.get("WebACLId")).cloned(),
            })
        }
        "AWS::WAFv2::WebACL" => {
            let default_action = b.get("DefaultAction").and_then(|d| {
                [("Allow", "allow"), ("Block", "block")]
                    .into_iter()
                    .find(|(k, _)| d.get(k).is_some_and(|v| !v.is_null()))
                    .map(|(_, a)| a)
            });
            let listed = b.get("Rules").and_then(Value::as_list);
            let rules: Vec<WebAclRule<'_>> = listed
                .unwrap_or_default()
                .iter()
                .map(|r| WebAclRule {
                    action: r.get("Action").and_then(|a| a.as_map()).and_then(|m| {
                        m.iter()
                            .find(|(_, v)| !v.is_null())
                            .map(|(k, _)| k.to_ascii_lowercase())
                    }),
                    statement: r.get("Statement"),
                })
                .collect();
            let known = listed.is_some() || b.get("Rules").is_none();
            model.web_acls.push(WebAcl {
                meta: meta(),
                verifies_origin: if known {
                    WebAcl::verifies_origin(
                        default_action,
                        &rules,
                        &["SingleHeader"],
                        &["NotStatement"],
                    )
                } else {
                    None
                },
            })
        }
        "AWS::ApiGateway::BasePathMapping" | "AWS::ApiGateway::BasePathMappingV2" => {
            model.api_domain_mappings.push(DomainMapping {
                meta: meta(),
                api: b.get("RestApiId").cloned(),
            })
        }
        "AWS::ApiGatewayV2::ApiMapping" => model.api_domain_mappings.push(DomainMapping {
            meta: meta(),
            api: b.get("ApiId").cloned(),
        }),
        "AWS::ApiGatewayV2::Api" => {
            // An API imported from an OpenAPI definition is an HTTP API.
            let imported = b.get("Body").is_some() || b.get("BodyS3Location").is_some();
            let default = imported.then(|| "HTTP".to_string());
            model.http_apis.push(HttpApi {
                meta: meta(),
                protocol: field(b, "ProtocolType", h, default, string_of),
                execute_api_disabled: field(
                    b,
                    "DisableExecuteApiEndpoint",
                    h,
                    Some(false),
                    bool_of,
                ),
            })
        }
        "AWS::Serverless::HttpApi" => {
            let meta = meta();
            if b.get("Domain").is_some_and(|v| !v.is_null()) {
                model.api_domain_mappings.push(DomainMapping {
                    meta: meta.clone(),
                    api: Some(self_ref(r)),
                });
            }
            model.http_apis.push(HttpApi {
                meta,
                protocol: Val::default(Some("HTTP".into()), h),
                execute_api_disabled: field(
                    b,
                    "DisableExecuteApiEndpoint",
                    h,
                    Some(false),
                    bool_of,
                ),
            })
        }
        "AWS::CloudFront::Distribution" => {
            let origins = b
                .path(&["DistributionConfig", "Origins"])
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .map(|o| cloudfront_origin(o, h))
                .collect();
            model.cloudfront_distributions.push(CloudFrontDistribution {
                meta: meta(),
                origins,
                behaviors: cache_behaviors(b),
            })
        }
        "AWS::CloudFront::OriginRequestPolicy" => {
            let config = b.path(&["OriginRequestPolicyConfig", "HeadersConfig"]);
            model.origin_request_policies.push(OriginRequestPolicy {
                meta: meta(),
                header_behavior: match config {
                    Some(c) => field(c, "HeaderBehavior", c.span, None, string_of),
                    None => Val::default(None, h),
                },
                headers: match config {
                    Some(c) => field(c, "Headers", c.span, Some(Vec::new()), header_names),
                    None => Val::default(None, h),
                },
            })
        }
        "AWS::ApiGateway::DomainName" | "AWS::ApiGatewayV2::DomainName" => {
            model.api_domain_names.push(ApiDomainName { meta: meta() })
        }
        _ => {}
    }
}

/// Meta with the tags from the property this type keeps them in.
fn tagged_meta(r: &ResourceInstance) -> ResourceMeta {
    let tags = r.body.get(cfn_tags_property(&r.rtype));
    ResourceMeta::from_instance(r, Tags::effective(tags, None, r.header))
}

/// Resources that take tags: a known taggable type, or any that sets its tags property.
fn taggable(r: &ResourceInstance, model: &mut Model) {
    let own = r
        .body
        .get(cfn_tags_property(&r.rtype))
        .is_some_and(|t| !t.is_null());
    if r.rtype.starts_with("AWS::") && (own || is_known_taggable(&r.rtype)) {
        model.taggables.push(TaggableResource {
            scope: Scope::of(r),
            meta: tagged_meta(r),
            // An Aurora member instance is backed up with its cluster: its own tags
            // select nothing.
            backup_eligible: is_backup_eligible(&r.rtype)
                && !(r.rtype == "AWS::RDS::DBInstance"
                    && r.body
                        .get("DBClusterIdentifier")
                        .is_some_and(|v| !v.is_null())),
        });
    }
}

fn backup_vault(r: &ResourceInstance, model: &mut Model) {
    let (b, h) = (&r.body, r.header);
    let meta = tagged_meta(r);
    if let Some(lc) = b.get("LockConfiguration").filter(|v| !v.is_null()) {
        let mut lock_meta = meta.clone();
        // `!If [cond, {...}, !Ref AWS::NoValue]` with an unknown condition.
        lock_meta.maybe_absent |= lc.is_unknown();
        model.vault_locks.push(VaultLock {
            switch: None,
            meta: lock_meta,
            scope: Scope::of(r),
            span: lc.span,
            target: Some(Target::Resource(r.ref_name.clone())),
            vaults: Vec::new(),
            min_retention_days: lock_field(lc, "MinRetentionDays"),
            max_retention_days: lock_field(lc, "MaxRetentionDays"),
            changeable_for_days: lock_field(lc, "ChangeableForDays"),
        });
    }
    model.backup_vaults.push(BackupVault {
        how_to_lock:
            "add `LockConfiguration` with `MinRetentionDays` and `ChangeableForDays` (compliance mode)",
        meta,
        scope: Scope::of(r),
        name: field(b, "BackupVaultName", h, None, string_of),
        key: field(
            b,
            "EncryptionKeyArn",
            h,
            Some(VaultKey::ServiceDefault),
            VaultKey::of,
        ),
        force_destroy: Val::default(Some(false), h),
        locks: Vec::new(),
        switched_off_locks: Vec::new(),
        lock_uncertain: false,
    });
}

/// A lock setting; set but unknown when the whole `LockConfiguration` is unknown.
fn lock_field(lc: &Value, key: &'static str) -> Val<f64> {
    if lc.is_unknown() {
        return Val::set_unknown(lc).named(key);
    }
    field(lc, key, lc.span, None, num_of)
}

/// A list property, or `None` when it is not statically known.
fn known_list<'a>(b: &'a Value, key: &str) -> Option<Vec<&'a Value>> {
    match b.get(key) {
        Some(v) if v.is_unknown() => None,
        Some(v) if v.as_list().is_some() => Some(b.blocks(key)),
        Some(v) if !v.is_null() => None,
        _ => Some(Vec::new()),
    }
}

fn backup_plan(r: &ResourceInstance, model: &mut Model) {
    let plan = r.body.get("BackupPlan").filter(|p| p.as_map().is_some());
    let rules = plan
        .and_then(|p| known_list(p, "BackupPlanRule"))
        .map(|rules| {
            rules
                .into_iter()
                .map(|rule| {
                    let target = rule.get("TargetBackupVault");
                    let (delete_after, cold_storage_after) = match rule.get("Lifecycle") {
                        Some(l) if l.as_map().is_some() => (
                            field(l, "DeleteAfterDays", l.span, None, num_of),
                            field(l, "MoveToColdStorageAfterDays", l.span, None, num_of),
                        ),
                        Some(l) if !l.is_null() => (
                            Val::set_unknown(l).named("DeleteAfterDays"),
                            Val::set_unknown(l).named("MoveToColdStorageAfterDays"),
                        ),
                        _ => (Val::default(None, rule.span), Val::default(None, rule.span)),
                    };
                    PlanRule {
                        span: rule.span,
                        name: field(rule, "RuleName", rule.span, None, string_of),
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
        meta: tagged_meta(r),
        scope: Scope::of(r),
        rules,
    });
}

fn backup_selection(r: &ResourceInstance, model: &mut Model) {
    let b = &r.body;
    let empty = Value::new(crate::value::Kind::Null, r.header);
    let sel = match b.get("BackupSelection") {
        Some(s) if s.as_map().is_some() => s,
        _ => &empty,
    };
    let unknown = sel.is_null() && b.get("BackupSelection").is_some();
    let tags = known_list(sel, "ListOfTags")
        .filter(|_| !unknown)
        .map(|tags| {
            tags.into_iter()
                .map(|t| SelectionTag {
                    span: t.span,
                    op: field(t, "ConditionType", t.span, None, string_of),
                    key: field(t, "ConditionKey", t.span, None, string_of),
                    value: field(t, "ConditionValue", t.span, None, string_of),
                })
                .collect()
        });
    let conditions = match sel.get("Conditions") {
        _ if unknown => None,
        None => Some(Vec::new()),
        Some(c) => c.as_map().and_then(|m| {
            let mut out = Vec::new();
            for name in m.keys() {
                let op = ConditionOp::parse(name)?;
                for e in known_list(c, name)? {
                    out.push(SelectionCondition {
                        span: e.span,
                        op,
                        key: field(e, "ConditionKey", e.span, None, string_of),
                        value: field(e, "ConditionValue", e.span, None, string_of),
                    });
                }
            }
            Some(out)
        }),
    };
    model.backup_selections.push(BackupSelection {
        meta: tagged_meta(r),
        scope: Scope::of(r),
        plan: b.get("BackupPlanId").and_then(Target::of),
        plans: Vec::new(),
        tags,
        conditions,
        resources: value_list(sel.get("Resources")).filter(|_| !unknown),
        not_resources: value_list(sel.get("NotResources")).filter(|_| !unknown),
    });
}

/// A reference from a resource to itself (`!Ref Api`).
fn self_ref(r: &ResourceInstance) -> Value {
    Value::new(
        Kind::Ref(Box::new(Reference {
            resource: r.ref_name.clone(),
            attr: "Ref".into(),
            instance: None,
        })),
        r.header,
    )
}

/// SAM `AWS::Serverless::Api`: a REST API with its stage, and its custom domain.
fn serverless_api(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
    let b = &r.body;
    let h = r.header;
    let endpoint_types = b.get("EndpointConfiguration").map(|c| match &c.kind {
        Kind::Map(_) => field(c, "Type", h, None, EndpointType::list_of),
        _ => field(b, "EndpointConfiguration", h, None, EndpointType::list_of),
    });
    let policy = b.path(&["Auth", "ResourcePolicy"]).map(|p| ApiPolicy {
        carrier: r.address.clone(),
        document: PolicyDocument::from_sam_resource_policy(p),
        rendered_by: None,
        span: p.span,
        from: p.from,
    });
    if b.get("StageName").is_some_and(|v| !v.is_null()) {
        model.api_stages.push(ApiStage {
            meta: meta.clone(),
            api: Some(self_ref(r)),
            name: field(b, "StageName", h, None, string_of),
        });
    }
    if b.get("Domain").is_some_and(|v| !v.is_null()) {
        model.api_domain_mappings.push(DomainMapping {
            meta: meta.clone(),
            api: Some(self_ref(r)),
        });
    }
    model.rest_apis.push(RestApi::new(
        meta,
        RestApiSettings {
            endpoint_types,
            execute_api_disabled: field(b, "DisableExecuteApiEndpoint", h, Some(false), bool_of),
            policy,
            body: b.get("DefinitionBody").filter(|v| !v.is_null()),
            body_elsewhere: b.get("DefinitionUri").is_some(),
            policy_attr: "`Policy`",
        },
    ));
}

fn cloudfront_origin(o: &Value, h: Span) -> CloudFrontOrigin {
    let headers = match o.get("OriginCustomHeaders").map(|c| &c.kind) {
        None | Some(Kind::Null) => Some(Vec::new()),
        Some(Kind::List(items)) => Some(
            items
                .iter()
                .map(|c| OriginHeader {
                    name: field(c, "HeaderName", c.span, None, string_of),
                })
                .collect(),
        ),
        Some(_) => None,
    };
    let protocol_policy = match o.get("CustomOriginConfig") {
        Some(c) => field(c, "OriginProtocolPolicy", o.span, None, string_of),
        None => Val::default(None, o.span),
    };
    CloudFrontOrigin {
        domain: o.get("DomainName").cloned(),
        id: field(o, "Id", h, None, string_of),
        headers,
        protocol_policy,
        span: o.span,
    }
}

/// The default cache behaviour, then the ordered ones.
fn cache_behaviors(b: &Value) -> Vec<CacheBehavior> {
    let default = b
        .path(&["DistributionConfig", "DefaultCacheBehavior"])
        .filter(|c| c.as_map().is_some())
        .map(|c| (c, false));
    let ordered = b
        .path(&["DistributionConfig", "CacheBehaviors"])
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter(|c| c.as_map().is_some())
        .map(|c| (c, true));
    default
        .into_iter()
        .chain(ordered)
        .map(|(c, ordered)| {
            let forwarded_headers = match c.get("ForwardedValues") {
                Some(f) if !f.is_null() => {
                    field(f, "Headers", f.span, Some(Vec::new()), header_names)
                }
                _ => Val::default(Some(Vec::new()), c.span),
            };
            CacheBehavior {
                path_pattern: ordered.then(|| field(c, "PathPattern", c.span, None, string_of)),
                target_origin_id: field(c, "TargetOriginId", c.span, None, string_of),
                forwarded_headers,
                origin_request_policy: c
                    .get("OriginRequestPolicyId")
                    .filter(|v| !v.is_null())
                    .cloned(),
                span: c.span,
            }
        })
        .collect()
}
