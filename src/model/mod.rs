//! The format-neutral AWS model: typed resources built by the adapters, read by the rules.

pub mod apigateway;
pub mod kms;
pub mod policy;
pub mod value;

use crate::resource::{Framework, ResourceInstance};
use crate::source::Span;
use crate::value::{Kind, Value};
use std::collections::BTreeMap;

pub use apigateway::{
    ApiPolicy, ApiStage, CloudFrontDistribution, DomainMapping, HttpApi, NamedPolicyDocument,
    RestApi, RestApiPolicy, WafAssociation,
};
pub use kms::{KmsAlias, KmsKey};
pub use value::{How, Val};

/// What every model resource carries: where it is and what it is called.
#[derive(Debug, Clone)]
pub struct ResourceMeta {
    pub framework: Framework,
    pub rtype: String,
    /// Instance address (`module.m.aws_kms_key.a[0]`, CFN logical id).
    pub address: String,
    /// Address used by references (`module.m.aws_kms_key.a`).
    pub ref_name: String,
    pub header: Span,
    pub maybe_absent: bool,
    pub tags: Tags,
    /// A file of the root module (Terraform) or the template (CloudFormation) the
    /// resource was evaluated from: references by name resolve within it.
    pub root_file: crate::source::FileId,
}

impl ResourceMeta {
    pub fn from_instance(r: &ResourceInstance, tags: Tags) -> ResourceMeta {
        ResourceMeta {
            framework: r.framework,
            rtype: r.rtype.clone(),
            address: r.address.clone(),
            ref_name: r.ref_name.clone(),
            header: r.header,
            maybe_absent: r.maybe_absent,
            tags,
            root_file: r.call_sites.first().unwrap_or(&r.header).file,
        }
    }
}

/// Effective tags: the resource's own merged over provider `default_tags`.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    /// `None` when the tag set is not statically known.
    pub map: Option<BTreeMap<String, Value>>,
    /// The `tags` attribute, or the resource header when absent.
    pub span: Span,
}

impl Tags {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.as_ref()?.get(key)
    }

    /// Builds effective tags from a tags value (a map, or a CFN `[{Key, Value}]` list) and
    /// the provider default tags.
    pub fn effective(own: Option<&Value>, defaults: Option<&Value>, header: Span) -> Tags {
        let mut map = BTreeMap::new();
        let mut known = true;
        for v in [defaults, own].into_iter().flatten() {
            match &v.kind {
                Kind::Map(m) => {
                    for (k, x) in m {
                        map.insert(k.clone(), x.clone());
                    }
                }
                Kind::List(items) => {
                    for it in items {
                        match (
                            it.get("Key").and_then(Value::to_plain_string),
                            it.get("Value"),
                        ) {
                            (Some(k), Some(x)) => {
                                map.insert(k, x.clone());
                            }
                            _ => known = false,
                        }
                    }
                }
                Kind::Null => {}
                _ => known = false,
            }
        }
        Tags {
            map: known.then_some(map),
            span: own.map(|v| v.span).unwrap_or(header),
        }
    }
}

/// The resource graph of a scan.
#[derive(Debug, Default)]
pub struct Model {
    pub kms_keys: Vec<KmsKey>,
    pub kms_aliases: Vec<KmsAlias>,
    pub rest_apis: Vec<RestApi>,
    pub http_apis: Vec<HttpApi>,
    pub api_stages: Vec<ApiStage>,
    pub rest_api_policies: Vec<RestApiPolicy>,
    pub policy_documents: Vec<NamedPolicyDocument>,
    pub waf_associations: Vec<WafAssociation>,
    pub api_domain_mappings: Vec<DomainMapping>,
    pub cloudfront_distributions: Vec<CloudFrontDistribution>,
    /// The directory of each scanned file, by file id: Terraform root modules are
    /// directories.
    pub file_dirs: Vec<String>,
}

impl Model {
    /// Sorts every collection by location, so that rules see a deterministic order.
    pub fn finish(&mut self) {
        self.kms_keys.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        self.kms_aliases.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        fn by_location<T>(v: &mut [T], meta: impl Fn(&T) -> &ResourceMeta) {
            v.sort_by(|a, b| {
                let (a, b) = (meta(a), meta(b));
                (a.header, &a.address).cmp(&(b.header, &b.address))
            });
        }
        by_location(&mut self.rest_apis, |x| &x.meta);
        by_location(&mut self.http_apis, |x| &x.meta);
        by_location(&mut self.api_stages, |x| &x.meta);
        by_location(&mut self.rest_api_policies, |x| &x.meta);
        by_location(&mut self.policy_documents, |x| &x.meta);
        by_location(&mut self.waf_associations, |x| &x.meta);
        by_location(&mut self.api_domain_mappings, |x| &x.meta);
        by_location(&mut self.cloudfront_distributions, |x| &x.meta);
        self.link_api_policies();
    }
}
