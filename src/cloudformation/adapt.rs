//! CloudFormation resources onto the AWS model.

use crate::model::apigateway::{CloudFrontOrigin, EndpointType, OriginHeader, RestApiSettings};
use crate::model::kms::KeyOrigin;
use crate::model::policy::PolicyDocument;
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
        "AWS::KMS::Alias" => {
            model.kms_aliases.push(KmsAlias {
                meta: meta(),
                name: field(b, "AliasName", h, None, string_of),
                target: b.get("TargetKeyId").cloned(),
            });
        }
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
            })
        }
        _ => {}
    }
}

/// A reference from a resource to itself (`!Ref Api`).
fn self_ref(r: &ResourceInstance) -> Value {
    Value::new(
        Kind::Ref(Reference {
            resource: r.ref_name.clone(),
            attr: "Ref".into(),
        }),
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
