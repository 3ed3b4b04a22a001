//! APIGW006 apigw-http-api-directly-exposed: an HTTP API (no WAF, no resource policy) with
//! its default endpoint enabled. See `rules/APIGW006.md`.

use crate::diagnostic::Diagnostic;
use crate::rules::apigw::public_endpoint_without_resource_policy::FOREIGN_API_ORIGIN;
use crate::rules::{Context, Rule};

pub struct HttpApiDirectlyExposed;

impl Rule for HttpApiDirectlyExposed {
    fn id(&self) -> &'static str {
        "APIGW006"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let policy = cx.policy();
        for api in &cx.model.http_apis {
            if !api
                .protocol
                .known()
                .is_some_and(|p| p.eq_ignore_ascii_case("HTTP"))
            {
                continue;
            }
            if api.execute_api_disabled.known() != Some(&false) {
                continue;
            }
            let name = &api.meta.address;
            let attr = api.execute_api_disabled.attr;
            let message = if api.execute_api_disabled.is_explicit() {
                format!("HTTP API {name} keeps its default execute-api endpoint enabled, which no WAF or resource policy can guard")
            } else {
                format!("HTTP API {name} does not set `{attr}`, so its default execute-api endpoint answers without WAF or resource policy")
            };
            let mut d = cx.finding(api.execute_api_disabled.span, message);
            d = d.with_origin(api.execute_api_disabled.from);
            let d = d.with_address(name.clone()).with_help(format!(
                "set `{attr}` to true and serve the API through a custom domain behind CloudFront with a WAF web ACL, or use a REST API, which supports WAF and resource policies"
            ));
            // Under `recommended`, only an API that a custom domain or CloudFront serves:
            // otherwise disabling the default endpoint leaves it unreachable.
            out.push(match (policy, cx.model.api_fronted(&api.meta)) {
                (true, _) | (false, Some(true) | None) => d,
                (false, Some(false)) => d.when_tree_shows(FOREIGN_API_ORIGIN),
            });
        }
    }
}
