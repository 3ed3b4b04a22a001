//! Adapters for API Gateway REST and HTTP APIs, stages, resource policies, custom domains and mappings, WAF web ACLs and their associations (SAM APIs too): the Terraform and the CloudFormation reading side by side.

pub(in crate::adapt) mod terraform {
    use crate::adapt::In;
    use crate::model::apigateway::{
        ApiDomainName, EndpointType, RestApiSettings, WebAcl, WebAclRule,
    };
    use crate::model::value::{bool_of, field, string_of};
    use crate::model::{
        ApiPolicy, ApiStage, DomainMapping, HttpApi, Model, ResourceKind, ResourceMeta, RestApi,
        RestApiPolicy, Val, WafAssociation,
    };
    use crate::resource::ResourceInstance;
    use crate::value::Value;

    /// `aws_api_gateway_rest_api`.
    pub(in crate::adapt) fn api_gateway_rest_api(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        model.rest_apis.push(rest_api(r, x.meta()));
    }

    /// `aws_api_gateway_rest_api_policy`.
    pub(in crate::adapt) fn api_gateway_rest_api_policy(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let b = &x.r.body;
        model.rest_api_policies.push(RestApiPolicy {
            meta: x.meta(),
            api: b.get("rest_api_id").cloned(),
            policy: policy_of(r, b.get("policy")),
        });
    }

    /// `aws_api_gateway_stage`.
    pub(in crate::adapt) fn api_gateway_stage(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.api_stages.push(ApiStage::new(
            x.meta(),
            b.get("rest_api_id").cloned(),
            field(b, "stage_name", h, None, string_of),
        ));
    }

    /// A deployment with a stage name creates that stage.
    pub(in crate::adapt) fn api_gateway_deployment(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        if b.get("stage_name").is_none_or(|v| v.is_null()) {
            return;
        }
        api_gateway_stage(x, model);
    }

    /// `aws_wafv2_web_acl_association`, `aws_wafregional_web_acl_association`.
    pub(in crate::adapt) fn wafv2_web_acl_association(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        model.waf_associations.push(WafAssociation {
            meta: x.meta(),
            resource_arn: b.get("resource_arn").cloned(),
            web_acl: b
                .get("web_acl_arn")
                .or_else(|| b.get("web_acl_id"))
                .cloned(),
        })
    }

    /// `aws_wafv2_web_acl`.
    pub(in crate::adapt) fn wafv2_web_acl(x: &In<'_>, model: &mut Model) {
        let _r = x.r;
        let b = &x.r.body;
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
            meta: x.meta(),
            verifies_origin: WebAcl::verifies_origin(
                default_action,
                &rules,
                &["single_header"],
                &["not_statement"],
            ),
        })
    }

    /// `aws_api_gateway_base_path_mapping`, `aws_apigatewayv2_api_mapping`.
    pub(in crate::adapt) fn api_gateway_base_path_mapping(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        model.api_domain_mappings.push(DomainMapping {
            meta: x.meta(),
            api: b.get("api_id").cloned(),
        })
    }

    /// `aws_apigatewayv2_api`.
    pub(in crate::adapt) fn apigatewayv2_api(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.http_apis.push(HttpApi {
            meta: x.meta(),
            protocol: field(b, "protocol_type", h, None, string_of),
            execute_api_disabled: field(b, "disable_execute_api_endpoint", h, Some(false), bool_of),
        });
    }

    /// `aws_api_gateway_domain_name`, `aws_apigatewayv2_domain_name`.
    pub(in crate::adapt) fn api_gateway_domain_name(x: &In<'_>, model: &mut Model) {
        model
            .api_domain_names
            .push(ApiDomainName { meta: x.meta() })
    }

    pub(in crate::adapt) fn policy_of(r: &ResourceInstance, v: Option<&Value>) -> ApiPolicy {
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

    pub(in crate::adapt) fn rest_api(r: &ResourceInstance, meta: ResourceMeta) -> RestApi {
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
                execute_api_disabled: field(
                    b,
                    "disable_execute_api_endpoint",
                    h,
                    Some(false),
                    bool_of,
                ),
                policy: b
                    .get("policy")
                    .filter(|v| !v.is_null())
                    .map(|p| ApiPolicy::from_value(&r.address, p)),
                body,
                body_elsewhere: false,
            },
        )
    }

    /// The Terraform resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("aws_api_gateway_rest_api", api_gateway_rest_api),
        (
            "aws_api_gateway_rest_api_policy",
            api_gateway_rest_api_policy,
        ),
        ("aws_api_gateway_stage", api_gateway_stage),
        ("aws_api_gateway_deployment", api_gateway_deployment),
        ("aws_wafv2_web_acl_association", wafv2_web_acl_association),
        (
            "aws_wafregional_web_acl_association",
            wafv2_web_acl_association,
        ),
        ("aws_wafv2_web_acl", wafv2_web_acl),
        (
            "aws_api_gateway_base_path_mapping",
            api_gateway_base_path_mapping,
        ),
        (
            "aws_apigatewayv2_api_mapping",
            api_gateway_base_path_mapping,
        ),
        ("aws_apigatewayv2_api", apigatewayv2_api),
        ("aws_api_gateway_domain_name", api_gateway_domain_name),
        ("aws_apigatewayv2_domain_name", api_gateway_domain_name),
    ];

    /// Every API Gateway resource and data source type (`aws_api_gateway_*`,
    /// `aws_apigatewayv2_*`) is of the kind API Gateway, for links between resources.
    pub(in crate::adapt) fn kind(rtype: &str) -> Option<ResourceKind> {
        let t = rtype.strip_prefix("data.").unwrap_or(rtype);
        (t.starts_with("aws_api_gateway_") || t.starts_with("aws_apigatewayv2_")).then_some(
            ResourceKind::ApiGateway {
                domain_name: matches!(
                    t,
                    "aws_api_gateway_domain_name" | "aws_apigatewayv2_domain_name"
                ),
            },
        )
    }
}

pub(in crate::adapt) mod cloudformation {
    use crate::adapt::In;
    use crate::model::apigateway::{
        ApiDomainName, EndpointType, RestApiSettings, WebAcl, WebAclRule,
    };
    use crate::model::value::{bool_of, field, string_of};
    use crate::model::{
        ApiPolicy, ApiStage, DomainMapping, HttpApi, Model, RestApi, Val, WafAssociation,
    };
    use crate::resource::ResourceInstance;
    use crate::value::{Kind, Reference, Value};

    /// `AWS::ApiGateway::RestApi`.
    pub(in crate::adapt) fn api_gateway_rest_api(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let b = &x.r.body;
        let h = x.r.header;
        model.rest_apis.push(RestApi::new(
            x.meta(),
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
        ));
    }

    /// `AWS::ApiGateway::Stage`.
    pub(in crate::adapt) fn api_gateway_stage(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.api_stages.push(ApiStage::new(
            x.meta(),
            b.get("RestApiId").cloned(),
            field(b, "StageName", h, None, string_of),
        ));
    }

    /// A deployment with a stage name creates that stage.
    pub(in crate::adapt) fn api_gateway_deployment(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        if b.get("StageName").is_none_or(|v| v.is_null()) {
            return;
        }
        api_gateway_stage(x, model);
    }

    /// `AWS::WAFv2::WebACLAssociation`, `AWS::WAFRegional::WebACLAssociation`.
    pub(in crate::adapt) fn wafv2_web_acl_association(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        model.waf_associations.push(WafAssociation {
            meta: x.meta(),
            resource_arn: b.get("ResourceArn").cloned(),
            web_acl: b.get("WebACLArn").or_else(|| b.get("WebACLId")).cloned(),
        })
    }

    /// `AWS::WAFv2::WebACL`.
    pub(in crate::adapt) fn wafv2_web_acl(x: &In<'_>, model: &mut Model) {
        let _r = x.r;
        let b = &x.r.body;
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
            meta: x.meta(),
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

    /// `AWS::ApiGateway::BasePathMapping`, `AWS::ApiGateway::BasePathMappingV2`.
    pub(in crate::adapt) fn api_gateway_base_path_mapping(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        model.api_domain_mappings.push(DomainMapping {
            meta: x.meta(),
            api: b.get("RestApiId").cloned(),
        })
    }

    /// `AWS::ApiGatewayV2::ApiMapping`.
    pub(in crate::adapt) fn api_gateway_v2_api_mapping(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        model.api_domain_mappings.push(DomainMapping {
            meta: x.meta(),
            api: b.get("ApiId").cloned(),
        });
    }

    /// `AWS::ApiGatewayV2::Api`.
    pub(in crate::adapt) fn api_gateway_v2_api(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        // An API imported from an OpenAPI definition is an HTTP API.
        let imported = b.get("Body").is_some() || b.get("BodyS3Location").is_some();
        let default = imported.then(|| "HTTP".to_string());
        model.http_apis.push(HttpApi {
            meta: x.meta(),
            protocol: field(b, "ProtocolType", h, default, string_of),
            execute_api_disabled: field(b, "DisableExecuteApiEndpoint", h, Some(false), bool_of),
        })
    }

    /// `AWS::Serverless::HttpApi`.
    pub(in crate::adapt) fn serverless_http_api(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let b = &x.r.body;
        let h = x.r.header;
        let meta = x.meta();
        if b.get("Domain").is_some_and(|v| !v.is_null()) {
            model.api_domain_mappings.push(DomainMapping {
                meta: meta.clone(),
                api: Some(self_ref(r)),
            });
        }
        model.http_apis.push(HttpApi {
            meta,
            protocol: Val::default(Some("HTTP".into()), h),
            execute_api_disabled: field(b, "DisableExecuteApiEndpoint", h, Some(false), bool_of),
        })
    }

    /// `AWS::ApiGateway::DomainName`, `AWS::ApiGatewayV2::DomainName`.
    pub(in crate::adapt) fn api_gateway_domain_name(x: &In<'_>, model: &mut Model) {
        model
            .api_domain_names
            .push(ApiDomainName { meta: x.meta() })
    }

    /// A reference from a resource to itself (`!Ref Api`).
    pub(in crate::adapt) fn self_ref(r: &ResourceInstance) -> Value {
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
    pub(in crate::adapt) fn serverless_api(x: &In<'_>, model: &mut Model) {
        let (r, meta) = (x.r, x.meta());
        let b = &r.body;
        let h = r.header;
        let endpoint_types = b.get("EndpointConfiguration").map(|c| match &c.kind {
            Kind::Map(_) => field(c, "Type", h, None, EndpointType::list_of),
            _ => field(b, "EndpointConfiguration", h, None, EndpointType::list_of),
        });
        let policy = b.path(&["Auth", "ResourcePolicy"]).map(|p| ApiPolicy {
            carrier: r.address.clone(),
            document: crate::adapt::policy::sam::sam_resource_policy(p),
            rendered_by: None,
            span: p.span,
            from: p.from,
        });
        if b.get("StageName").is_some_and(|v| !v.is_null()) {
            model.api_stages.push(ApiStage::new(
                meta.clone(),
                Some(self_ref(r)),
                field(b, "StageName", h, None, string_of),
            ));
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
                execute_api_disabled: field(
                    b,
                    "DisableExecuteApiEndpoint",
                    h,
                    Some(false),
                    bool_of,
                ),
                policy,
                body: b.get("DefinitionBody").filter(|v| !v.is_null()),
                body_elsewhere: b.get("DefinitionUri").is_some(),
            },
        ));
    }

    /// The CloudFormation resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("AWS::ApiGateway::RestApi", api_gateway_rest_api),
        ("AWS::Serverless::Api", serverless_api),
        ("AWS::ApiGateway::Stage", api_gateway_stage),
        ("AWS::ApiGateway::Deployment", api_gateway_deployment),
        ("AWS::WAFv2::WebACLAssociation", wafv2_web_acl_association),
        (
            "AWS::WAFRegional::WebACLAssociation",
            wafv2_web_acl_association,
        ),
        ("AWS::WAFv2::WebACL", wafv2_web_acl),
        (
            "AWS::ApiGateway::BasePathMapping",
            api_gateway_base_path_mapping,
        ),
        (
            "AWS::ApiGateway::BasePathMappingV2",
            api_gateway_base_path_mapping,
        ),
        ("AWS::ApiGatewayV2::ApiMapping", api_gateway_v2_api_mapping),
        ("AWS::ApiGatewayV2::Api", api_gateway_v2_api),
        ("AWS::Serverless::HttpApi", serverless_http_api),
        ("AWS::ApiGateway::DomainName", api_gateway_domain_name),
        ("AWS::ApiGatewayV2::DomainName", api_gateway_domain_name),
    ];
}
