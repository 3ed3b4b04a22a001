//! CFR002 cloudfront-api-origin-not-https-only: a CloudFront origin on API Gateway whose
//! origin protocol policy is not `https-only`. See `rules/CFR002.md`.

use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix, Literal, Safety};
use crate::model::Link;
use crate::rules::{Context, NoParams, Rule};

pub struct ApiOriginNotHttpsOnly;

impl Rule for ApiOriginNotHttpsOnly {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for dist in &cx.model.cloudfront_distributions {
            for origin in &dist.origins {
                let Some(domain) = &origin.domain else {
                    continue;
                };
                if !origin.api.is_linked() {
                    continue;
                }
                let Some(policy) = origin.protocol_policy.known() else {
                    continue;
                };
                if policy == "https-only" {
                    continue;
                }
                let id = match origin.id.known() {
                    Some(id) => format!("origin `{id}`"),
                    None => "an origin".to_string(),
                };
                let mut d = cx.finding(
                    origin.protocol_policy.span,
                    format!(
                        "{id} of CloudFront distribution {} reaches API Gateway with origin protocol policy `{policy}` instead of `https-only`",
                        dist.meta.address
                    ),
                );
                d = d.with_origin(origin.protocol_policy.from);
                let safety = match origin.default_api {
                    Link::Linked(()) => Safety::Safe,
                    _ => Safety::Unsafe,
                };
                let change =
                    Change::set_value(&origin.protocol_policy, Literal::Str("https-only".into()));
                d = d.with_fix(Fix::new(
                    safety,
                    "set the origin protocol policy to `https-only`",
                    vec![change],
                ));
                d = d.with_label(domain.span, "API Gateway origin");
                out.push(d.with_address(dist.meta.address.clone()).with_help(
                    "set the origin protocol policy to `https-only`: API Gateway serves HTTPS only",
                ));
            }
        }
    }
}
