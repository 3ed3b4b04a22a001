//! CFR004 cloudfront-distribution-without-waf: a CloudFront distribution with no AWS WAF
//! web ACL. See `rules/CFR004.md`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, NoParams, Rule};

pub struct DistributionWithoutWaf;

impl Rule for DistributionWithoutWaf {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for dist in &cx.model.cloudfront_distributions {
            let acl = &dist.web_acl;
            // Set to a web ACL, or to a value not statically known (a variable, a
            // condition, a configuration that is not known): not reported.
            if acl.is_explicit() && acl.known().is_none_or(|id| !id.is_empty()) {
                continue;
            }
            let api = dist.origins.iter().find(|o| o.api.is_linked());
            if api.is_none() && !cx.policy() {
                continue;
            }
            let name = &dist.meta.address;
            let attr = acl.attr;
            let what = if acl.is_explicit() {
                format!("sets `{attr}` to an empty value")
            } else {
                format!("has no web ACL (`{attr}`)")
            };
            let mut d = match api {
                Some(o) => {
                    let id = o.id.known().map_or("an origin".to_string(), |id| format!("origin `{id}`"));
                    let mut d = cx.finding(
                        acl.span,
                        format!("CloudFront distribution {name} {what}, and {id} is API Gateway: the global WAF is the API's only shield at the edge"),
                    );
                    d.severity = Severity::Error;
                    if let Some(domain) = &o.domain {
                        d = d.with_label(domain.span, "API Gateway origin");
                    }
                    d
                }
                None => cx.finding(
                    acl.span,
                    format!("CloudFront distribution {name} {what}, so no AWS WAF rule filters its requests"),
                ),
            };
            d = d.with_origin(acl.from);
            out.push(d.with_address(name.clone()).with_help(format!(
                "associate an AWS WAF web ACL of scope CLOUDFRONT (created in us-east-1) with the distribution: set `{attr}` to the web ACL's ARN (WAFv2) or id (WAF Classic)"
            )));
        }
    }
}
