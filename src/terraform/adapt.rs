//! Terraform resources onto the AWS model.

use crate::model::apigateway::{CloudFrontOrigin, EndpointType, OriginHeader, RestApiSettings};
use crate::model::kms::KeyOrigin;
use crate::model::policy::PolicyDocument;
use crate::model::value::{bool_of, field, num_of, string_of};
use crate::model::{
    ApiPolicy, ApiStage, CloudFrontDistribution, DomainMapping, HttpApi, KmsAlias, KmsKey, Model,
    NamedPolicyDocument, ResourceMeta, RestApi, RestApiPolicy, Tags, Val, WafAssociation,
};
use crate::resource::ResourceInstance;
use crate::source::Span;
use crate::value::{Kind, Value};

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
        "aws_kms_alias" => {
            model.kms_aliases.push(KmsAlias {
                meta: meta(),
                name: field(b, "name", h, None, string_of),
                target: b.get("target_key_id").cloned(),
            });
        }
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
            })
        }
        _ => {}
    }
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
