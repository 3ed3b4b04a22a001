//! APIGW001 apigw-public-endpoint-without-resource-policy: an edge-optimized or regional
//! REST API whose default endpoint answers without a resource policy. See
//! `rules/APIGW001.md`.

use crate::diagnostic::Diagnostic;
use crate::model::apigateway::EndpointType;
use crate::resource::Framework;
use crate::rules::{Context, Rule};

pub struct PublicEndpointWithoutResourcePolicy;

impl Rule for PublicEndpointWithoutResourcePolicy {
    fn id(&self) -> &'static str {
        "APIGW001"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for api in &cx.model.rest_apis {
            let Some(ty) = api.endpoint_type() else {
                continue;
            };
            if ty == EndpointType::Private || api.execute_api_disabled.known() != Some(&false) {
                continue;
            }
            let (policies, maybe) = cx.model.attached_policies(api);
            if maybe || !policies.is_empty() {
                continue;
            }
            let name = &api.meta.address;
            let mut d = cx.finding(
                api.meta.header,
                format!(
                    "REST API {name} is reachable at its {} execute-api endpoint without a resource policy, bypassing CloudFront and WAF",
                    ty.describe()
                ),
            );
            if api.endpoint_types.is_explicit() {
                d = d.with_label(api.endpoint_types.span, "endpoint type set here");
            }
            d = d.with_origin(api.endpoint_types.from);
            let (policy, disable) = match api.meta.framework {
                Framework::Terraform => (
                    "`policy` or an `aws_api_gateway_rest_api_policy`",
                    "`disable_execute_api_endpoint`",
                ),
                Framework::CloudFormation => ("`Policy`", "`DisableExecuteApiEndpoint`"),
            };
            out.push(d.with_address(name.clone()).with_help(format!(
                "attach a resource policy ({policy}) that admits only the expected callers, for example a `Deny` of `execute-api:Invoke` outside your source IP ranges or VPC endpoints; or set {disable} to true when the API is served through a custom domain"
            )));
        }
    }
}
