//! CFR001 cloudfront-api-origin-without-verify-header: a CloudFront origin on API Gateway
//! that sends no custom header the API could verify. See `rules/CFR001.md`.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};
use serde::Deserialize;

pub struct ApiOriginWithoutVerifyHeader;

/// The parameters of `rules/CFR001.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub headers: Vec<String>,
}

impl Rule for ApiOriginWithoutVerifyHeader {
    type Params = Params;

    fn check(&self, cx: &Context<'_, Params>, out: &mut Vec<Diagnostic>) {
        let wanted = &cx.params.headers;
        for dist in &cx.model.cloudfront_distributions {
            for origin in &dist.origins {
                let Some(domain) = &origin.domain else {
                    continue;
                };
                if !origin.api.is_linked() {
                    continue;
                }
                let Some(headers) = &origin.headers else {
                    continue;
                };
                let satisfied = if wanted.is_empty() {
                    !headers.is_empty()
                } else {
                    headers.iter().any(|h| match h.name.known() {
                        Some(n) => wanted.iter().any(|w| w.eq_ignore_ascii_case(n)),
                        None => true,
                    })
                };
                if satisfied {
                    continue;
                }
                let id = match origin.id.known() {
                    Some(id) => format!("origin `{id}`"),
                    None => "an origin".to_string(),
                };
                let header = if wanted.is_empty() {
                    "a custom origin header".to_string()
                } else {
                    format!("the custom origin header `{}`", wanted.join("` or `"))
                };
                let mut d = cx.finding(
                    domain.span,
                    format!(
                        "{id} of CloudFront distribution {} points at API Gateway without {header} for the API to verify",
                        dist.meta.address
                    ),
                );
                d = d.with_origin(domain.from);
                out.push(d.with_address(dist.meta.address.clone()).with_help(
                    "send a secret custom header from CloudFront (`custom_header` / `OriginCustomHeaders`) and make the API reject requests without it (resource policy or WAF rule), so that the API answers only through CloudFront",
                ));
            }
        }
    }
}
