//! APIGW005 apigw-default-endpoint-enabled: a REST API served through a custom domain whose
//! default execute-api endpoint still answers. See `rules/APIGW005.md`.

use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix, Literal};
use crate::model::apigateway::EndpointType;
use crate::model::policy::Verdict;
use crate::rules::{Context, NoParams, Rule};

pub struct DefaultEndpointEnabled;

impl Rule for DefaultEndpointEnabled {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let model = cx.model;
        for api in &model.rest_apis {
            if api.execute_api_disabled.known() != Some(&false) {
                continue;
            }
            let mappings: Vec<_> = model
                .api_domain_mappings
                .iter()
                .filter(|m| model.refers_to(&m.meta, m.api.as_ref(), &api.meta) == Some(true))
                .collect();
            if mappings.is_empty() {
                continue;
            }
            // A private API whose policy admits only VPC endpoints or VPCs answers no
            // one else on its default endpoint either.
            if api.endpoint_type() == Some(EndpointType::Private) {
                let (policies, _) = model.attached_policies(api);
                if policies.iter().any(|p| {
                    p.document
                        .as_ref()
                        .is_some_and(|d| d.vpc_verdict() == Verdict::Restricted)
                }) {
                    continue;
                }
            }
            let name = &api.meta.address;
            let attr = api.execute_api_disabled.attr;
            let message = if api.execute_api_disabled.is_explicit() {
                format!("REST API {name} is served through a custom domain but keeps its default execute-api endpoint enabled")
            } else {
                format!("REST API {name} is served through a custom domain but does not set `{attr}`, so its default execute-api endpoint stays enabled")
            };
            let mut d = cx.finding(api.execute_api_disabled.span, message);
            d = d.with_origin(api.execute_api_disabled.from);
            let change = Change::set_field(
                &api.execute_api_disabled,
                api.meta.header,
                &[],
                attr,
                Literal::Bool(true),
            );
            d = d.with_fix(Fix::unsafe_(format!("set `{attr}` to true"), change));
            for m in mappings {
                if m.meta.header != api.execute_api_disabled.span {
                    d = d.with_label(m.meta.header, "custom domain mapping here");
                }
            }
            out.push(d.with_address(name.clone()).with_help(format!(
                "set `{attr}` to true so that clients can reach the API only through the custom domain"
            )));
        }
    }
}
