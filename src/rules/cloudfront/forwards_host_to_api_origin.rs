//! CFR003 cloudfront-forwards-host-to-api-origin: a cache behaviour that forwards the
//! viewer's `Host` header to an origin on the default execute-api domain. See
//! `rules/CFR003.md`.

use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix, Literal};
use crate::model::cloudfront::{CacheBehavior, ResolvedOriginRequestPolicy};
use crate::model::CloudFrontDistribution;
use crate::rules::{Context, NoParams, Rule};
use crate::source::Span;

pub struct ForwardsHostToApiOrigin;

/// The id of the managed origin request policy `AllViewerExceptHostHeader`.
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

const HELP: &str = "do not forward the viewer's Host header to an execute-api origin: attach the managed origin request policy `AllViewerExceptHostHeader` (b689b0a8-53d0-40ab-baf2-68738e2966ac) and drop `Host` and `*` from the forwarded headers, or put a custom domain name on the API and point the origin at it";

fn behavior_name(b: &CacheBehavior) -> String {
    match &b.path_pattern {
        None => "the default cache behavior".to_string(),
        Some(p) => match p.known() {
            Some(p) => format!("the cache behavior for `{p}`"),
            None => "a cache behavior".to_string(),
        },
    }
}

/// The finding, on the offending header list or policy id.
fn host_forwarded(
    cx: &Context<'_>,
    dist: &CloudFrontDistribution,
    behavior: &CacheBehavior,
    origin_id: &str,
    how: &str,
    primary: Span,
) -> Diagnostic {
    cx.finding(
        primary,
        format!(
            "{} of CloudFront distribution {} forwards the viewer's Host header ({how}) to origin `{origin_id}` on the default execute-api domain: API Gateway answers 403 to every such request",
            behavior_name(behavior),
            dist.meta.address
        ),
    )
    .with_address(dist.meta.address.clone())
    .with_help(HELP)
}

impl Rule for ForwardsHostToApiOrigin {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for dist in &cx.model.cloudfront_distributions {
            for behavior in &dist.behaviors {
                let Some(origin) = dist.origin_of(behavior) else {
                    continue;
                };
                let Some(domain) = &origin.domain else {
                    continue;
                };
                if !origin.default_api.is_linked() {
                    continue;
                }
                let origin_id = origin.id.known().map(String::as_str).unwrap_or_default();
                if behavior.forwards_host_legacy() == Some(true) {
                    let headers = &behavior.forwarded_headers;
                    let mut d = host_forwarded(
                        cx,
                        dist,
                        behavior,
                        origin_id,
                        "legacy forwarded headers",
                        headers.span,
                    );
                    d = d.with_origin(headers.from);
                    let listed = headers.known().into_iter().flatten();
                    let names: Vec<&str> = listed.flatten().map(String::as_str).collect();
                    if !names.contains(&"*") && names.iter().any(|h| h.eq_ignore_ascii_case("host"))
                    {
                        let list = headers
                            .from
                            .filter(|f| {
                                f.file != headers.span.file
                                    || f.start < headers.span.start
                                    || f.end > headers.span.end
                            })
                            .unwrap_or(headers.span);
                        let change = Change::RemoveListItem {
                            list,
                            item: "host".into(),
                        };
                        d = d.with_fix(Fix::safe("remove Host from the forwarded headers", change));
                    }
                    out.push(d.with_label(domain.span, "default execute-api domain"));
                }
                let Some(policy_id) = &behavior.origin_request_policy else {
                    continue;
                };
                let Some(policy) = cx.model.origin_request_policy(&dist.meta, policy_id) else {
                    continue;
                };
                if policy.forwards_host() != Some(true) {
                    continue;
                }
                let how = match &policy {
                    ResolvedOriginRequestPolicy::Managed(m) => {
                        format!("managed origin request policy `{}`", m.name)
                    }
                    ResolvedOriginRequestPolicy::Custom(p) => {
                        format!("origin request policy {}", p.meta.address)
                    }
                };
                let mut d = host_forwarded(cx, dist, behavior, origin_id, &how, policy_id.span);
                d = d.with_origin(policy_id.from);
                if matches!(&policy, ResolvedOriginRequestPolicy::Managed(m) if m.name == "AllViewer")
                    && policy_id.as_str().is_some()
                {
                    let span = policy_id.from.unwrap_or(policy_id.span);
                    let change = Change::SetLiteral {
                        span,
                        value: Literal::Str(ALL_VIEWER_EXCEPT_HOST.into()),
                    };
                    d = d.with_fix(Fix::safe("attach the managed origin request policy `AllViewerExceptHostHeader` instead of `AllViewer`", change));
                }
                if let ResolvedOriginRequestPolicy::Custom(p) = &policy {
                    let span = match p.header_behavior.known().map(String::as_str) {
                        Some("whitelist") => p.headers.span,
                        _ => p.header_behavior.span,
                    };
                    d = d.with_label(span, "the policy forwards Host");
                }
                out.push(d.with_label(domain.span, "default execute-api domain"));
            }
        }
    }
}
