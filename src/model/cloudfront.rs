//! CloudFront distributions, their origins and web ACL, cache behaviours and origin
//! request policies: which viewer headers a behaviour forwards to its origin.

use super::{Model, ResourceMeta, Val};
use crate::source::Span;
use crate::value::{Kind, Value};

#[derive(Debug, Clone)]
pub struct OriginHeader {
    pub name: Val<String>,
}

#[derive(Debug, Clone)]
pub struct CloudFrontOrigin {
    /// The origin's domain name, as written.
    pub domain: Option<Value>,
    pub id: Val<String>,
    /// Custom origin headers; `None` when not statically known.
    pub headers: Option<Vec<OriginHeader>>,
    /// `https-only`, `http-only`, `match-viewer`.
    pub protocol_policy: Val<String>,
    /// The origin block.
    pub span: Span,
    /// Whether the origin is API Gateway (its domain references an API Gateway resource
    /// or is an `execute-api` domain), linked when the model is finished.
    pub api: super::Link,
    /// Whether the origin is an API on its default `execute-api` domain.
    pub default_api: super::Link,
}

#[derive(Debug, Clone)]
pub struct CloudFrontDistribution {
    pub meta: ResourceMeta,
    pub origins: Vec<CloudFrontOrigin>,
    /// The default cache behaviour first, then the ordered ones.
    pub behaviors: Vec<CacheBehavior>,
    /// The web ACL that guards the distribution (`web_acl_id`, `WebACLId`), as written:
    /// AWS WAF on CloudFront is global.
    pub web_acl: Val<String>,
}

impl CloudFrontDistribution {
    /// The origin a cache behaviour routes to, when its id is known.
    pub fn origin_of(&self, b: &CacheBehavior) -> Option<&CloudFrontOrigin> {
        let target = b.target_origin_id.known()?;
        self.origins.iter().find(|o| o.id.known() == Some(target))
    }
}

/// A cache behaviour: the default one, or an ordered one with its path pattern.
#[derive(Debug, Clone)]
pub struct CacheBehavior {
    /// `None` for the default cache behaviour.
    pub path_pattern: Option<Val<String>>,
    pub target_origin_id: Val<String>,
    /// Legacy `forwarded_values.headers` (CFN `ForwardedValues.Headers`), each name when
    /// known; empty when not set, `None` when not statically known.
    pub forwarded_headers: Val<Vec<Option<String>>>,
    /// `origin_request_policy_id` (CFN `OriginRequestPolicyId`), as written.
    pub origin_request_policy: Option<Value>,
    /// The behaviour block.
    pub span: Span,
}

/// Reads a header list: each item's name when known.
pub fn header_names(v: &Value) -> Option<Vec<Option<String>>> {
    match &v.kind {
        Kind::List(items) => Some(items.iter().map(Value::to_plain_string).collect()),
        _ => None,
    }
}

/// Whether a header list names `Host` (or `*`, when `star` counts). `None` when an
/// unknown item may.
fn names_host(headers: &[Option<String>], star: bool) -> Option<bool> {
    let is_host = |h: &str| h.eq_ignore_ascii_case("host") || (star && h == "*");
    if headers.iter().flatten().any(|h| is_host(h)) {
        Some(true)
    } else if headers.iter().any(Option::is_none) {
        None
    } else {
        Some(false)
    }
}

impl CacheBehavior {
    /// Whether the legacy forwarded headers include the viewer's `Host` (by name or `*`).
    /// `None` when not statically known.
    pub fn forwards_host_legacy(&self) -> Option<bool> {
        names_host(self.forwarded_headers.known()?, true)
    }
}

/// An origin request policy defined in the configuration
/// (`aws_cloudfront_origin_request_policy`, `AWS::CloudFront::OriginRequestPolicy`).
#[derive(Debug, Clone)]
pub struct OriginRequestPolicy {
    pub meta: ResourceMeta,
    /// `none`, `whitelist`, `allViewer`, `allViewerAndWhitelistCloudFront`, `allExcept`.
    pub header_behavior: Val<String>,
    /// The policy's header list; empty when not set, `None` when not statically known.
    pub headers: Val<Vec<Option<String>>>,
}

impl OriginRequestPolicy {
    /// Whether the policy forwards the viewer's `Host` header. `None` when not
    /// statically known.
    pub fn forwards_host(&self) -> Option<bool> {
        let headers = || self.headers.known();
        match self.header_behavior.known()?.as_str() {
            "allViewer" | "allViewerAndWhitelistCloudFront" => Some(true),
            "whitelist" => names_host(headers()?, false),
            "allExcept" => names_host(headers()?, false).map(|listed| !listed),
            "none" => Some(false),
            _ => None,
        }
    }
}

/// A Terraform `data "aws_cloudfront_origin_request_policy"` lookup (of a managed policy,
/// by name or id).
#[derive(Debug, Clone)]
pub struct OriginRequestPolicyLookup {
    pub meta: ResourceMeta,
    pub name: Val<String>,
    pub id: Val<String>,
}

/// A managed origin request policy: id, name, and whether it forwards the viewer's `Host`.
pub struct ManagedOriginRequestPolicy {
    pub id: &'static str,
    pub name: &'static str,
    pub forwards_host: bool,
}

/// The origin request policies AWS manages, with the ids CloudFormation and the API use.
pub const MANAGED_ORIGIN_REQUEST_POLICIES: &[ManagedOriginRequestPolicy] = &[
    ManagedOriginRequestPolicy {
        id: "216adef6-5c7f-47e4-b989-5492eafa07d3",
        name: "AllViewer",
        forwards_host: true,
    },
    ManagedOriginRequestPolicy {
        id: "33f36d7e-f396-46d9-90e0-52428a34d9dc",
        name: "AllViewerAndCloudFrontHeaders-2022-06",
        forwards_host: true,
    },
    ManagedOriginRequestPolicy {
        id: "bf0718e1-ba1e-49d1-88b1-f726733018ae",
        name: "HostHeaderOnly",
        forwards_host: true,
    },
    ManagedOriginRequestPolicy {
        id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        name: "AllViewerExceptHostHeader",
        forwards_host: false,
    },
    ManagedOriginRequestPolicy {
        id: "59781a5b-3903-41f3-afcb-af62929ccde1",
        name: "CORS-CustomOrigin",
        forwards_host: false,
    },
    ManagedOriginRequestPolicy {
        id: "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
        name: "CORS-S3Origin",
        forwards_host: false,
    },
    ManagedOriginRequestPolicy {
        id: "775133bc-15f2-49f9-abea-afb2e0bf67d2",
        name: "Elemental-MediaTailor-PersonalizedManifests",
        forwards_host: false,
    },
    ManagedOriginRequestPolicy {
        id: "acba4595-bd28-49b8-b9fe-13317c0390fa",
        name: "UserAgentRefererHeaders",
        forwards_host: false,
    },
];

/// A managed origin request policy by id.
pub fn managed_origin_request_policy(id: &str) -> Option<&'static ManagedOriginRequestPolicy> {
    MANAGED_ORIGIN_REQUEST_POLICIES
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(id.trim()))
}

/// A managed origin request policy by name, with or without the console's `Managed-`
/// prefix.
fn managed_origin_request_policy_named(name: &str) -> Option<&'static ManagedOriginRequestPolicy> {
    let name = name.strip_prefix("Managed-").unwrap_or(name);
    MANAGED_ORIGIN_REQUEST_POLICIES
        .iter()
        .find(|p| p.name == name)
}

/// What an origin request policy id resolves to.
pub enum ResolvedOriginRequestPolicy<'a> {
    Managed(&'static ManagedOriginRequestPolicy),
    Custom(&'a OriginRequestPolicy),
}

impl ResolvedOriginRequestPolicy<'_> {
    pub fn forwards_host(&self) -> Option<bool> {
        match self {
            ResolvedOriginRequestPolicy::Managed(m) => Some(m.forwards_host),
            ResolvedOriginRequestPolicy::Custom(p) => p.forwards_host(),
        }
    }
}

impl Model {
    /// The origin request policy an `origin_request_policy_id` value names, written in the
    /// scope of `from`: a managed policy by id, a policy resource by reference, or a
    /// Terraform lookup of a managed policy. `None` when not statically known.
    pub fn origin_request_policy(
        &self,
        from: &ResourceMeta,
        v: &Value,
    ) -> Option<ResolvedOriginRequestPolicy<'_>> {
        match &v.kind {
            Kind::Str(id) => {
                managed_origin_request_policy(id).map(ResolvedOriginRequestPolicy::Managed)
            }
            Kind::Ref(r) => {
                if let Some(p) = self
                    .origin_request_policies
                    .iter()
                    .find(|p| p.meta.ref_name == r.resource && self.same_scope(&p.meta, from))
                {
                    return Some(ResolvedOriginRequestPolicy::Custom(p));
                }
                let lookup = self
                    .origin_request_policy_lookups
                    .iter()
                    .find(|l| l.meta.ref_name == r.resource && self.same_scope(&l.meta, from))?;
                lookup
                    .name
                    .known()
                    .and_then(|n| managed_origin_request_policy_named(n))
                    .or_else(|| {
                        lookup
                            .id
                            .known()
                            .and_then(|id| managed_origin_request_policy(id))
                    })
                    .map(ResolvedOriginRequestPolicy::Managed)
            }
            _ => None,
        }
    }
}
