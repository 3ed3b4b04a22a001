//! Adapters for CloudFront distributions and origin request policies: the Terraform and the CloudFormation reading side by side.

pub(in crate::adapt) mod terraform {
    use crate::adapt::In;
    use crate::model::cloudfront::{
        header_names, CacheBehavior, OriginRequestPolicy, OriginRequestPolicyLookup,
    };
    use crate::model::cloudfront::{CloudFrontOrigin, OriginHeader};
    use crate::model::value::{field, string_of};
    use crate::model::{CloudFrontDistribution, Model, Val};
    use crate::source::Span;
    use crate::value::{Kind, Value};

    /// `aws_cloudfront_distribution`.
    pub(in crate::adapt) fn cloudfront_distribution(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.cloudfront_distributions.push(CloudFrontDistribution {
            meta: x.meta(),
            origins: b
                .blocks("origin")
                .into_iter()
                .map(|o| cloudfront_origin(o, h))
                .collect(),
            behaviors: cache_behaviors(b),
            web_acl: field(b, "web_acl_id", h, None, string_of),
        })
    }

    /// `aws_cloudfront_origin_request_policy`.
    pub(in crate::adapt) fn cloudfront_origin_request_policy(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let config = b.blocks("headers_config");
        let config = config.first();
        model.origin_request_policies.push(OriginRequestPolicy {
            meta: x.meta(),
            header_behavior: match config {
                Some(c) => field(c, "header_behavior", c.span, None, string_of),
                None => field(b, "headers_config", h, Some("none".into()), |_| None),
            },
            headers: match config {
                Some(c) => match c.get("headers") {
                    Some(l) if l.is_unknown() => Val::set_unknown(l).named("headers"),
                    _ => match c.blocks("headers").first() {
                        Some(l) => field(l, "items", l.span, Some(Vec::new()), header_names),
                        None => Val::default(Some(Vec::new()), c.span),
                    },
                },
                None => Val::default(None, h),
            },
        })
    }

    /// `data.aws_cloudfront_origin_request_policy`.
    pub(in crate::adapt) fn data_cloudfront_origin_request_policy(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model
            .origin_request_policy_lookups
            .push(OriginRequestPolicyLookup {
                meta: x.meta(),
                name: field(b, "name", h, None, string_of),
                id: field(b, "id", h, None, string_of),
            })
    }

    pub(in crate::adapt) fn cloudfront_origin(o: &Value, h: Span) -> CloudFrontOrigin {
        let headers = match o.get("custom_header").map(|c| &c.kind) {
            None | Some(Kind::List(_)) | Some(Kind::Map(_)) => Some(
                o.blocks("custom_header")
                    .into_iter()
                    .map(|c| OriginHeader {
                        name: field(c, "name", c.span, None, string_of),
                    })
                    .collect(),
            ),
            Some(_) => None,
        };
        let protocol_policy = match o.blocks("custom_origin_config").first() {
            Some(c) => field(c, "origin_protocol_policy", o.span, None, string_of),
            None => Val::default(None, o.span),
        };
        CloudFrontOrigin {
            domain: o.get("domain_name").cloned(),
            id: field(o, "origin_id", h, None, string_of),
            headers,
            protocol_policy,
            span: o.span,
            api: crate::model::Link::None,
            default_api: crate::model::Link::None,
        }
    }

    /// The default cache behaviour, then the ordered ones.
    pub(in crate::adapt) fn cache_behaviors(b: &Value) -> Vec<CacheBehavior> {
        let default = b
            .blocks("default_cache_behavior")
            .into_iter()
            .map(|c| (c, false));
        let ordered = b
            .blocks("ordered_cache_behavior")
            .into_iter()
            .map(|c| (c, true));
        default
            .chain(ordered)
            .map(|(c, ordered)| {
                let forwarded_headers = match c.get("forwarded_values") {
                    Some(f) if f.is_unknown() => Val::set_unknown(f).named("headers"),
                    _ => match c.blocks("forwarded_values").first() {
                        Some(f) => field(f, "headers", f.span, Some(Vec::new()), header_names),
                        None => Val::default(Some(Vec::new()), c.span),
                    },
                };
                CacheBehavior {
                    path_pattern: ordered
                        .then(|| field(c, "path_pattern", c.span, None, string_of)),
                    target_origin_id: field(c, "target_origin_id", c.span, None, string_of),
                    forwarded_headers,
                    origin_request_policy: c
                        .get("origin_request_policy_id")
                        .filter(|v| !v.is_null())
                        .cloned(),
                    span: c.span,
                }
            })
            .collect()
    }

    /// The Terraform resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("aws_cloudfront_distribution", cloudfront_distribution),
        (
            "aws_cloudfront_origin_request_policy",
            cloudfront_origin_request_policy,
        ),
        (
            "data.aws_cloudfront_origin_request_policy",
            data_cloudfront_origin_request_policy,
        ),
    ];
}

pub(in crate::adapt) mod cloudformation {
    use crate::adapt::In;
    use crate::model::cloudfront::{header_names, CacheBehavior, OriginRequestPolicy};
    use crate::model::cloudfront::{CloudFrontOrigin, OriginHeader};
    use crate::model::value::{field, string_of};
    use crate::model::{CloudFrontDistribution, Model, Val};
    use crate::source::Span;
    use crate::value::{Kind, Value};

    /// `AWS::CloudFront::Distribution`.
    pub(in crate::adapt) fn cloudfront_distribution(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let origins = b
            .path(&["DistributionConfig", "Origins"])
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .map(|o| cloudfront_origin(o, h))
            .collect();
        model.cloudfront_distributions.push(CloudFrontDistribution {
            meta: x.meta(),
            origins,
            behaviors: cache_behaviors(b),
            web_acl: match b.get("DistributionConfig") {
                Some(c) if c.as_map().is_none() => Val::set_unknown(c).named("WebACLId"),
                Some(c) => field(c, "WebACLId", h, None, string_of),
                None => Val::default(None, h).named("WebACLId"),
            },
        })
    }

    /// `AWS::CloudFront::OriginRequestPolicy`.
    pub(in crate::adapt) fn cloudfront_origin_request_policy(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        let config = b.path(&["OriginRequestPolicyConfig", "HeadersConfig"]);
        model.origin_request_policies.push(OriginRequestPolicy {
            meta: x.meta(),
            header_behavior: match config {
                Some(c) => field(c, "HeaderBehavior", c.span, None, string_of),
                None => Val::default(None, h),
            },
            headers: match config {
                Some(c) => field(c, "Headers", c.span, Some(Vec::new()), header_names),
                None => Val::default(None, h),
            },
        })
    }

    pub(in crate::adapt) fn cloudfront_origin(o: &Value, h: Span) -> CloudFrontOrigin {
        let headers = match o.get("OriginCustomHeaders").map(|c| &c.kind) {
            None | Some(Kind::Null) => Some(Vec::new()),
            Some(Kind::List(items)) => Some(
                items
                    .iter()
                    .map(|c| OriginHeader {
                        name: field(c, "HeaderName", c.span, None, string_of),
                    })
                    .collect(),
            ),
            Some(_) => None,
        };
        let protocol_policy = match o.get("CustomOriginConfig") {
            Some(c) => field(c, "OriginProtocolPolicy", o.span, None, string_of),
            None => Val::default(None, o.span),
        };
        CloudFrontOrigin {
            domain: o.get("DomainName").cloned(),
            id: field(o, "Id", h, None, string_of),
            headers,
            protocol_policy,
            span: o.span,
            api: crate::model::Link::None,
            default_api: crate::model::Link::None,
        }
    }

    /// The default cache behaviour, then the ordered ones.
    pub(in crate::adapt) fn cache_behaviors(b: &Value) -> Vec<CacheBehavior> {
        let default = b
            .path(&["DistributionConfig", "DefaultCacheBehavior"])
            .filter(|c| c.as_map().is_some())
            .map(|c| (c, false));
        let ordered = b
            .path(&["DistributionConfig", "CacheBehaviors"])
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .filter(|c| c.as_map().is_some())
            .map(|c| (c, true));
        default
            .into_iter()
            .chain(ordered)
            .map(|(c, ordered)| {
                let forwarded_headers = match c.get("ForwardedValues") {
                    Some(f) if !f.is_null() => {
                        field(f, "Headers", f.span, Some(Vec::new()), header_names)
                    }
                    _ => Val::default(Some(Vec::new()), c.span),
                };
                CacheBehavior {
                    path_pattern: ordered.then(|| field(c, "PathPattern", c.span, None, string_of)),
                    target_origin_id: field(c, "TargetOriginId", c.span, None, string_of),
                    forwarded_headers,
                    origin_request_policy: c
                        .get("OriginRequestPolicyId")
                        .filter(|v| !v.is_null())
                        .cloned(),
                    span: c.span,
                }
            })
            .collect()
    }

    /// The CloudFormation resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("AWS::CloudFront::Distribution", cloudfront_distribution),
        (
            "AWS::CloudFront::OriginRequestPolicy",
            cloudfront_origin_request_policy,
        ),
    ];
}
