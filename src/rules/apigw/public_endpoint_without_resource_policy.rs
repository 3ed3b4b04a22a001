//! APIGW001 apigw-public-endpoint-without-resource-policy: an edge-optimized or regional
//! REST API whose default endpoint answers without a resource policy. See
//! `rules/APIGW001.md`.

use crate::diagnostic::Diagnostic;
use crate::model::apigateway::EndpointType;
use crate::rules::{Context, NoParams, Rule, TreeFacts};

pub struct PublicEndpointWithoutResourcePolicy;

/// The premise under `recommended` for an API that nothing of its own configuration
/// fronts: some configuration of the tree has a CloudFront origin on an API Gateway
/// endpoint that names no API of its own.
pub const FOREIGN_API_ORIGIN: &str = "foreign-api-origin";

impl Rule for PublicEndpointWithoutResourcePolicy {
    type Params = NoParams;

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
            // A web ACL on every stage that admits only CloudFront's origin-verify
            // header guards the default endpoint as a policy would.
            if cx.model.api_verifies_origin(api) {
                continue;
            }
            // Under `recommended`, only an API that CloudFront or a custom domain fronts:
            // only then does a caller reaching it directly go around something.
            let fronted = cx.model.api_fronted(&api.meta);
            let policy = cx.policy();

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
            let policy_attr = cx.snippet("policy-place", &api.meta, &[]);
            let disable = format!("`{}`", api.execute_api_disabled.attr);
            let d = d.with_address(name.clone()).with_help(format!(
                "attach a resource policy ({policy_attr}) that admits only the expected callers, for example a `Deny` of `execute-api:Invoke` outside your source IP ranges or VPC endpoints; or a regional WAF web ACL on the stage that admits only requests carrying CloudFront's origin-verify header; or set {disable} to true when the API is served through a custom domain"
            ));
            out.push(match (policy, fronted) {
                (true, _) | (false, Some(true) | None) => d,
                // Nothing of its own configuration fronts it: reported when another
                // configuration of the tree has an API origin it cannot name.
                (false, Some(false)) => d.when_tree_shows(FOREIGN_API_ORIGIN),
            });
        }
    }

    fn gather(&self, cx: &Context<'_>, facts: &mut TreeFacts) {
        if cx.model.has_foreign_api_origin() {
            facts.premises.insert(FOREIGN_API_ORIGIN);
        }
    }
}
