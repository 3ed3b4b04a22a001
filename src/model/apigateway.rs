//! API Gateway (REST and HTTP APIs, stages, resource policies, custom domain mappings),
//! WAF associations and CloudFront origins, with the lookups that link them.

use super::policy::{json_value, PolicyDocument};
use super::value::{bool_of, field};
use super::Link;
use super::{Model, ResourceKind, ResourceMeta, Val};
use crate::source::Span;
use crate::value::{Kind, Part, Reference, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointType {
    Edge,
    Regional,
    Private,
}

impl EndpointType {
    pub fn parse(s: &str) -> Option<EndpointType> {
        match s.to_ascii_uppercase().as_str() {
            "EDGE" => Some(EndpointType::Edge),
            "REGIONAL" => Some(EndpointType::Regional),
            "PRIVATE" => Some(EndpointType::Private),
            _ => None,
        }
    }

    /// A list of endpoint types, or a single one.
    pub fn list_of(v: &Value) -> Option<Vec<EndpointType>> {
        match &v.kind {
            Kind::List(items) => items
                .iter()
                .map(|i| i.as_str().and_then(EndpointType::parse))
                .collect(),
            _ => v.as_str().and_then(EndpointType::parse).map(|t| vec![t]),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            EndpointType::Edge => "edge-optimized",
            EndpointType::Regional => "regional",
            EndpointType::Private => "private",
        }
    }
}

/// A resource policy: its document, or the data source that renders it.
#[derive(Debug, Clone)]
pub struct ApiPolicy {
    /// The resource that carries the policy (the API, or a policy resource).
    pub carrier: String,
    /// `None` when not statically known.
    pub document: Option<PolicyDocument>,
    /// The reference that gives the policy, resolved by [`Model::link_api_policies`] when
    /// it names what a policy document renders ([`NamedPolicyDocument::rendered`]).
    pub rendered_by: Option<Reference>,
    /// The policy value.
    pub span: Span,
    pub from: Option<Span>,
}

impl ApiPolicy {
    /// Reads a policy value: a document, or a reference to a policy document data source.
    pub fn from_value(carrier: &str, v: &Value) -> ApiPolicy {
        let rendered_by = v.as_ref().cloned();
        ApiPolicy {
            carrier: carrier.to_string(),
            document: PolicyDocument::from_value(v),
            rendered_by,
            span: v.span,
            from: v.from,
        }
    }
}

/// A REST API (API Gateway v1).
#[derive(Debug, Clone)]
pub struct RestApi {
    pub meta: ResourceMeta,
    /// EDGE when not set; `None` when not statically known.
    pub endpoint_types: Val<Vec<EndpointType>>,
    /// Whether the default `execute-api` endpoint is disabled (false by default).
    pub execute_api_disabled: Val<bool>,
    /// Policies written on the API itself (`policy`, OpenAPI body, CFN `Policy`, SAM
    /// `Auth.ResourcePolicy`).
    pub policies: Vec<ApiPolicy>,
    /// The API may carry a policy that cannot be read (an OpenAPI body not statically
    /// known).
    pub policy_unknown: bool,
}

/// What an adapter reads from a REST API, in either format.
pub struct RestApiSettings<'a> {
    /// The endpoint types when set by the API's own argument.
    pub endpoint_types: Option<Val<Vec<EndpointType>>>,
    pub execute_api_disabled: Val<bool>,
    /// The policy argument.
    pub policy: Option<ApiPolicy>,
    /// The OpenAPI definition written inline (a map or a JSON string).
    pub body: Option<&'a Value>,
    /// The OpenAPI definition comes from elsewhere (a file, S3).
    pub body_elsewhere: bool,
}

impl RestApi {
    /// Builds a REST API; the arguments win over the OpenAPI definition's
    /// `x-amazon-apigateway-*` extensions (the policy, `disableExecuteApiEndpoint`), and
    /// EDGE is the default endpoint type, whatever the body says: an OpenAPI body never
    /// sets the endpoint type.
    pub fn new(meta: ResourceMeta, s: RestApiSettings<'_>) -> RestApi {
        let h = meta.header;
        let openapi = s.body.and_then(json_value);
        let body_unknown = s.body_elsewhere || (s.body.is_some() && openapi.is_none());
        let ext = openapi
            .as_ref()
            .and_then(|o| o.get("x-amazon-apigateway-endpoint-configuration"));
        // The body never sets the endpoint type (its `types` are not the API's): a body
        // that cannot be read leaves only what a body can set unknown.
        let endpoint_types = s
            .endpoint_types
            .unwrap_or_else(|| Val::default(Some(vec![EndpointType::Edge]), h));
        let mut execute_api_disabled = s.execute_api_disabled;
        if !execute_api_disabled.is_explicit() {
            match ext.filter(|c| c.get("disableExecuteApiEndpoint").is_some()) {
                Some(c) => {
                    execute_api_disabled = field(c, "disableExecuteApiEndpoint", h, None, bool_of)
                }
                None if body_unknown => execute_api_disabled.value = None,
                None => {}
            }
        }
        let policy = s.policy.or_else(|| {
            openapi
                .as_ref()
                .and_then(|o| o.get("x-amazon-apigateway-policy"))
                .map(|p| ApiPolicy::from_value(&meta.address, p))
        });
        RestApi {
            endpoint_types,
            execute_api_disabled,
            policies: policy.into_iter().collect(),
            policy_unknown: body_unknown,
            meta,
        }
    }

    /// The endpoint type, when known and single.
    pub fn endpoint_type(&self) -> Option<EndpointType> {
        match self.endpoint_types.known()?.as_slice() {
            [t] => Some(*t),
            _ => None,
        }
    }
}

/// An HTTP or WebSocket API (API Gateway v2).
#[derive(Debug, Clone)]
pub struct HttpApi {
    pub meta: ResourceMeta,
    /// `HTTP` or `WEBSOCKET`.
    pub protocol: Val<String>,
    pub execute_api_disabled: Val<bool>,
}

/// A REST API stage: `aws_api_gateway_stage`, a deployment with a stage name, or the
/// stage a SAM API creates.
#[derive(Debug, Clone)]
pub struct ApiStage {
    pub meta: ResourceMeta,
    /// The REST API (`rest_api_id`), as written.
    pub api: Option<Value>,
    pub name: Val<String>,
    /// The REST API of the same configuration it belongs to (an index into
    /// [`Model::rest_apis`]), linked when the model is finished (`Maybe`: its API is not
    /// statically known, and may be one of them).
    pub rest_api: Link<usize>,
    /// Whether a WAF association of the same configuration protects it, linked when the
    /// model is finished (`Maybe`: one may, its target is not statically known).
    pub waf: Link,
}

impl ApiStage {
    pub fn new(meta: ResourceMeta, api: Option<Value>, name: Val<String>) -> ApiStage {
        ApiStage {
            meta,
            api,
            name,
            rest_api: Link::None,
            waf: Link::None,
        }
    }
}

/// `aws_api_gateway_rest_api_policy`.
#[derive(Debug, Clone)]
pub struct RestApiPolicy {
    pub meta: ResourceMeta,
    pub api: Option<Value>,
    pub policy: ApiPolicy,
}

/// A WAF web ACL association (WAFv2 or WAF Classic Regional).
#[derive(Debug, Clone)]
pub struct WafAssociation {
    pub meta: ResourceMeta,
    /// The protected resource's ARN, as written.
    pub resource_arn: Option<Value>,
    /// The web ACL's ARN, as written.
    pub web_acl: Option<Value>,
}

/// A WAFv2 web ACL (`aws_wafv2_web_acl`, `AWS::WAFv2::WebACL`).
#[derive(Debug, Clone)]
pub struct WebAcl {
    pub meta: ResourceMeta,
    /// Whether the ACL admits only requests carrying a header that CloudFront adds (the
    /// origin-verify pattern): the default action blocks and a rule allows on a header
    /// match, or the default allows and a rule blocks when the header does not match.
    /// `None` when not statically known.
    pub verifies_origin: Option<bool>,
}

/// What a web ACL's default action and rules say, in either format's words.
pub struct WebAclRule<'a> {
    /// `allow`, `block`, `count`, ... (lower case); `None` when not known.
    pub action: Option<String>,
    pub statement: Option<&'a Value>,
}

impl WebAcl {
    /// Decides the origin-verify pattern from the default action (`allow`/`block`) and
    /// the rules. `header_keys` are the names of a single-header match in the format
    /// (`single_header`, `SingleHeader`), `not_keys` those of a negation.
    pub fn verifies_origin(
        default_action: Option<&str>,
        rules: &[WebAclRule<'_>],
        header_keys: &[&str],
        not_keys: &[&str],
    ) -> Option<bool> {
        let default = default_action?;
        let mut unknown = false;
        for r in rules {
            let (Some(action), Some(stmt)) = (r.action.as_deref(), r.statement) else {
                unknown = true;
                continue;
            };
            let negated = not_keys.iter().any(|k| stmt.get(k).is_some());
            if !mentions_any(stmt, header_keys, 0) {
                continue;
            }
            match (default, action, negated) {
                ("block", "allow", false) | ("allow", "block", true) => return Some(true),
                _ => {}
            }
        }
        (!unknown).then_some(false)
    }
}

/// Whether a key of `keys` appears anywhere in a value (bounded depth).
fn mentions_any(v: &Value, keys: &[&str], depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match &v.kind {
        Kind::Map(m) => m
            .iter()
            .any(|(k, v)| keys.contains(&k.as_str()) || mentions_any(v, keys, depth + 1)),
        Kind::List(l) => l.iter().any(|v| mentions_any(v, keys, depth + 1)),
        _ => false,
    }
}

/// A custom domain name's mapping onto an API (base path mapping, API mapping).
#[derive(Debug, Clone)]
pub struct DomainMapping {
    pub meta: ResourceMeta,
    pub api: Option<Value>,
}

/// An API Gateway custom domain name (`aws_api_gateway_domain_name`,
/// `aws_apigatewayv2_domain_name`, `AWS::ApiGateway::DomainName`,
/// `AWS::ApiGatewayV2::DomainName`).
#[derive(Debug, Clone)]
pub struct ApiDomainName {
    pub meta: ResourceMeta,
}

/// Whether a value names `resource` (a reference to it or one of its attributes, in any
/// part of a string). `None` when it may.
fn names_resource(v: &Value, resource: &str) -> Option<bool> {
    names_instance(v, resource, None)
}

/// Whether a value names `resource` (instance `instance`, when it names one: a reference
/// to another instance of the same resource does not).
fn names_instance(v: &Value, resource: &str, instance: Option<&str>) -> Option<bool> {
    let named = |r: &Reference| {
        r.resource == resource && super::same_instance(r.instance.as_deref(), instance)
    };
    match &v.kind {
        Kind::Ref(r) => Some(named(r)),
        Kind::Template(parts) => {
            if parts.iter().any(|p| matches!(p, Part::Ref(r) if named(r))) {
                Some(true)
            } else if parts.iter().any(|p| matches!(p, Part::Unknown)) {
                None
            } else {
                Some(false)
            }
        }
        Kind::Unknown => None,
        _ => Some(false),
    }
}

/// One piece of a parsed stage ARN.
enum ArnPiece<'a> {
    Lit(String),
    Ref(&'a Reference),
    Unknown,
}

/// Splits `arn:...:apigateway:region::/restapis/<api>/stages/<stage>` into the API and
/// stage pieces; `None` when the value is not a stage ARN in a form that can be read.
fn stage_arn_pieces(parts: &[Part]) -> Option<(ArnPiece<'_>, ArnPiece<'_>)> {
    // Flatten into a sequence of characters and symbolic holes.
    enum Tok<'a> {
        Ch(char),
        Ref(&'a Reference),
        Unknown,
    }
    let mut toks = Vec::new();
    for p in parts {
        match p {
            Part::Lit(l) => toks.extend(l.chars().map(Tok::Ch)),
            Part::Ref(r) => toks.push(Tok::Ref(r)),
            Part::Unknown => toks.push(Tok::Unknown),
        }
    }
    let text: String = toks
        .iter()
        .map(|t| match t {
            Tok::Ch(c) => *c,
            _ => '\0',
        })
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let find = |needle: &str, from: usize| -> Option<usize> {
        let n: Vec<char> = needle.chars().collect();
        (from..chars.len().saturating_sub(n.len() - 1)).find(|&i| chars[i..i + n.len()] == n[..])
    };
    let a = find("/restapis/", 0)? + "/restapis/".len();
    let s = find("/stages/", a)?;
    let piece = |from: usize, to: usize| -> ArnPiece<'_> {
        let seg = &toks[from..to];
        match seg {
            [Tok::Ref(r)] => ArnPiece::Ref(r),
            _ if seg.iter().all(|t| matches!(t, Tok::Ch(_))) => ArnPiece::Lit(
                seg.iter()
                    .map(|t| match t {
                        Tok::Ch(c) => *c,
                        _ => '\0',
                    })
                    .collect(),
            ),
            _ => ArnPiece::Unknown,
        }
    };
    let stage_start = s + "/stages/".len();
    let stage_end = (stage_start..chars.len())
        .find(|&i| chars[i] == '/')
        .unwrap_or(chars.len());
    Some((piece(a, s), piece(stage_start, stage_end)))
}

impl Model {
    /// Links each CloudFront origin to the API Gateway it may point at.
    pub fn link_api_origins(&mut self) {
        let of = Link::from;
        let links: Vec<Vec<(Link, Link)>> = self
            .cloudfront_distributions
            .iter()
            .map(|d| {
                d.origins
                    .iter()
                    .map(|o| match &o.domain {
                        Some(domain) => (
                            of(is_api_domain(self, &d.meta, domain)),
                            of(is_default_api_domain(self, &d.meta, domain)),
                        ),
                        None => (Link::None, Link::None),
                    })
                    .collect()
            })
            .collect();
        for (d, links) in self.cloudfront_distributions.iter_mut().zip(links) {
            for (o, (api, default_api)) in d.origins.iter_mut().zip(links) {
                o.api = api;
                o.default_api = default_api;
            }
        }
    }

    /// Links each stage to its REST API and to the WAF associations that protect it.
    pub fn link_api_stages(&mut self) {
        let links: Vec<(Link<usize>, Link)> = self
            .api_stages
            .iter()
            .map(|stage| {
                let mut maybe = false;
                let found = self.rest_apis.iter().position(|a| {
                    match self.refers_to(&stage.meta, stage.api.as_ref(), &a.meta) {
                        Some(true) => true,
                        None => {
                            maybe = true;
                            false
                        }
                        Some(false) => false,
                    }
                });
                let Some(i) = found else {
                    return (Link::of(None, maybe), Link::None);
                };
                let api = &self.rest_apis[i];
                let mut waf = Link::None;
                for w in &self.waf_associations {
                    match self.waf_protects(w, stage, api) {
                        Some(true) => {
                            waf = Link::Linked(());
                            break;
                        }
                        None => waf = Link::Maybe,
                        Some(false) => {}
                    }
                }
                (Link::Linked(i), waf)
            })
            .collect();
        for (stage, (api, waf)) in self.api_stages.iter_mut().zip(links) {
            stage.rest_api = api;
            stage.waf = waf;
        }
    }

    /// Whether two resources come from the same evaluation (one Terraform root module
    /// with its module calls, or one CloudFormation template), so that references by
    /// name between them mean what they say.
    pub fn same_scope(&self, a: &ResourceMeta, b: &ResourceMeta) -> bool {
        a.framework == b.framework && super::root_of(&a.ref_name) == super::root_of(&b.ref_name)
    }

    /// Whether `v` (a `rest_api_id`, `api_id`, ...) names the resource `target`, written
    /// in the scope of `from`. `None` when it may.
    pub fn refers_to(
        &self,
        from: &ResourceMeta,
        v: Option<&Value>,
        target: &ResourceMeta,
    ) -> Option<bool> {
        let v = v?;
        if !self.same_scope(from, target) {
            return Some(false);
        }
        names_instance(v, &target.ref_name, target.instance())
    }

    /// The REST API a value names, in the scope of `from`.
    pub fn rest_api_named(&self, from: &ResourceMeta, v: Option<&Value>) -> Option<&RestApi> {
        self.rest_apis
            .iter()
            .find(|a| self.refers_to(from, v, &a.meta) == Some(true))
    }

    /// Policies attached to an API through a policy resource. The flag says whether a
    /// policy resource may target it without saying so statically.
    pub fn attached_policies<'a>(&'a self, api: &'a RestApi) -> (Vec<&'a ApiPolicy>, bool) {
        let mut out: Vec<&ApiPolicy> = api.policies.iter().collect();
        let mut maybe = false;
        for p in &self.rest_api_policies {
            if !self.same_scope(&p.meta, &api.meta) {
                continue;
            }
            match self.refers_to(&p.meta, p.api.as_ref(), &api.meta) {
                Some(true) => out.push(&p.policy),
                Some(false) => {}
                None => maybe = true,
            }
        }
        (out, maybe || api.policy_unknown)
    }

    /// Whether a WAF association protects `stage` (of `api`). `None` when it may.
    pub fn waf_protects(
        &self,
        waf: &WafAssociation,
        stage: &ApiStage,
        api: &RestApi,
    ) -> Option<bool> {
        if !self.same_scope(&waf.meta, &stage.meta) {
            return Some(false);
        }
        let arn = waf.resource_arn.as_ref()?;
        match &arn.kind {
            Kind::Ref(r) => {
                return Some(
                    r.resource == stage.meta.ref_name
                        && super::same_instance(r.instance.as_deref(), stage.meta.instance()),
                )
            }
            Kind::Unknown => return None,
            _ => {}
        }
        let parts = arn.parts()?;
        let Some((api_piece, stage_piece)) = stage_arn_pieces(&parts) else {
            // A known ARN of something else (a load balancer, an AppSync API).
            return if parts.iter().any(|p| matches!(p, Part::Unknown)) {
                None
            } else {
                Some(false)
            };
        };
        let api_match = match api_piece {
            ArnPiece::Ref(r) => Some(r.resource == api.meta.ref_name),
            // A literal API id cannot be told from the configuration.
            ArnPiece::Lit(_) | ArnPiece::Unknown => None,
        };
        let stage_match = match stage_piece {
            // The stage, through any of its attributes (`${Api.Stage}`: a SAM API is the
            // stage it creates); another resource is another stage, or no stage name.
            ArnPiece::Ref(r) => Some(r.resource == stage.meta.ref_name),
            ArnPiece::Lit(name) => stage.name.known().map(|n| *n == name),
            ArnPiece::Unknown => None,
        };
        match (api_match, stage_match) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }

    /// Whether a stage (of `api`) is guarded by a web ACL that admits only requests that
    /// carry CloudFront's origin-verify header (so the default endpoint answers nothing
    /// else).
    pub fn stage_verifies_origin(&self, stage: &ApiStage, api: &RestApi) -> bool {
        self.waf_associations.iter().any(|waf| {
            self.waf_protects(waf, stage, api) == Some(true)
                && waf.web_acl.as_ref().is_some_and(|acl| {
                    self.web_acls.iter().any(|w| {
                        self.same_scope(&w.meta, &waf.meta)
                            && names_resource(acl, &w.meta.ref_name) == Some(true)
                            && w.verifies_origin == Some(true)
                    })
                })
        })
    }

    /// Whether every stage of an API (at least one) admits only requests carrying the
    /// origin-verify header.
    pub fn api_verifies_origin(&self, api: &RestApi) -> bool {
        let mut stages = self
            .api_stages
            .iter()
            .filter(|s| {
                self.refers_to(&s.meta, s.api.as_ref(), &api.meta) == Some(true)
                    || s.meta.ref_name == api.meta.ref_name
            })
            .peekable();
        stages.peek().is_some() && stages.all(|s| self.stage_verifies_origin(s, api))
    }

    /// Whether something of the tree's own fronts an API: a custom domain mapping, or a
    /// CloudFront origin whose domain names the API or one of its stages. `None` when an
    /// API origin of the same configuration may be it (a domain that is not statically
    /// known, or written out).
    pub fn api_fronted(&self, api: &ResourceMeta) -> Option<bool> {
        if self
            .api_domain_mappings
            .iter()
            .any(|m| self.refers_to(&m.meta, m.api.as_ref(), api) == Some(true))
        {
            return Some(true);
        }
        let stages: Vec<&str> = self
            .api_stages
            .iter()
            .filter(|s| self.refers_to(&s.meta, s.api.as_ref(), api) == Some(true))
            .map(|s| s.meta.ref_name.as_str())
            .collect();
        let mut maybe = false;
        for d in &self.cloudfront_distributions {
            if !self.same_scope(&d.meta, api) {
                continue;
            }
            for o in &d.origins {
                let Some(domain) = &o.domain else {
                    maybe = true;
                    continue;
                };
                if domain
                    .references()
                    .iter()
                    .any(|r| r.resource == api.ref_name || stages.contains(&r.resource.as_str()))
                {
                    return Some(true);
                }
                if is_api_domain(self, &d.meta, domain) != Some(false)
                    && !self.names_own_api(domain)
                {
                    maybe = true;
                }
            }
        }
        if maybe {
            None
        } else {
            Some(false)
        }
    }

    /// Whether an origin domain names an API or a stage of this configuration.
    fn names_own_api(&self, domain: &Value) -> bool {
        domain.references().iter().any(|r| {
            self.rest_apis
                .iter()
                .map(|a| &a.meta)
                .chain(self.http_apis.iter().map(|a| &a.meta))
                .chain(self.api_stages.iter().map(|s| &s.meta))
                .any(|m| m.ref_name == r.resource)
        })
    }

    /// Whether the configuration has a CloudFront origin on an API Gateway endpoint that
    /// names no API of its own (a domain written out, imported, or not known): such an
    /// origin may front an API of another configuration of the tree.
    pub fn has_foreign_api_origin(&self) -> bool {
        self.cloudfront_distributions.iter().any(|d| {
            d.origins.iter().any(|o| {
                o.domain.as_ref().is_some_and(|domain| {
                    is_api_domain(self, &d.meta, domain) == Some(true)
                        && !self.names_own_api(domain)
                })
            })
        })
    }

    /// Resolves policies rendered by `data.aws_iam_policy_document` data sources.
    pub fn link_api_policies(&mut self) {
        let docs = std::mem::take(&mut self.policy_documents);
        let resolve = |p: &mut ApiPolicy, meta: &ResourceMeta, model: &Model| {
            if let Some(r) = &p.rendered_by {
                p.document = docs
                    .iter()
                    .find(|d| {
                        d.meta.ref_name == r.resource
                            && d.rendered == r.attr
                            && model.same_scope(&d.meta, meta)
                    })
                    .and_then(|d| d.document.clone());
            }
        };
        let mut apis = std::mem::take(&mut self.rest_apis);
        for a in &mut apis {
            let meta = a.meta.clone();
            for p in &mut a.policies {
                resolve(p, &meta, self);
            }
        }
        let mut pols = std::mem::take(&mut self.rest_api_policies);
        for p in &mut pols {
            let meta = p.meta.clone();
            resolve(&mut p.policy, &meta, self);
        }
        self.rest_apis = apis;
        self.rest_api_policies = pols;
        self.policy_documents = docs;
    }
}

/// A policy document of its own resource (a data source that renders one).
#[derive(Debug, Clone)]
pub struct NamedPolicyDocument {
    pub meta: ResourceMeta,
    pub document: Option<PolicyDocument>,
    /// The attribute that holds the rendered document (references to it give the policy).
    pub rendered: &'static str,
}

/// Whether a CloudFront origin domain is an API Gateway endpoint: a reference to an API
/// Gateway resource, or a string containing `.execute-api.`. `None` when it may be.
pub fn is_api_domain(model: &Model, dist: &ResourceMeta, domain: &Value) -> Option<bool> {
    let is_api_ref = |r: &Reference| {
        matches!(model.kind(&r.resource), ResourceKind::ApiGateway { .. })
            || model
                .rest_apis
                .iter()
                .map(|a| &a.meta)
                .chain(model.http_apis.iter().map(|a| &a.meta))
                .chain(model.api_stages.iter().map(|s| &s.meta))
                .chain(model.api_domain_names.iter().map(|d| &d.meta))
                .any(|m| m.ref_name == r.resource && model.same_scope(m, dist))
    };
    match &domain.kind {
        Kind::Str(s) => Some(s.contains(".execute-api.")),
        Kind::Ref(r) => Some(is_api_ref(r)),
        Kind::Template(parts) => {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(l) => l.as_str(),
                    _ => "\0",
                })
                .collect();
            if text.contains(".execute-api.")
                || parts
                    .iter()
                    .any(|p| matches!(p, Part::Ref(r) if is_api_ref(r)))
            {
                Some(true)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether a CloudFront origin domain is an API's default execute-api endpoint: a
/// reference to an API Gateway API or stage (not to a custom domain name), or a string
/// containing `.execute-api.`. `None` when it may be.
pub fn is_default_api_domain(model: &Model, dist: &ResourceMeta, domain: &Value) -> Option<bool> {
    let is_custom_domain = |r: &Reference| {
        model.kind(&r.resource) == (ResourceKind::ApiGateway { domain_name: true })
            || model
                .api_domain_names
                .iter()
                .any(|d| d.meta.ref_name == r.resource && model.same_scope(&d.meta, dist))
    };
    let parts = domain.parts()?;
    let text: String = parts
        .iter()
        .map(|p| match p {
            Part::Lit(l) => l.as_str(),
            _ => "\0",
        })
        .collect();
    if text.contains(".execute-api.") {
        return Some(true);
    }
    if parts
        .iter()
        .any(|p| matches!(p, Part::Ref(r) if is_custom_domain(r)))
    {
        return Some(false);
    }
    is_api_domain(model, dist, domain)
}
