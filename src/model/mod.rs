//! The format-neutral AWS model: typed resources built by the adapters, read by the rules.

pub mod apigateway;
pub mod backup;
pub mod cloudfront;
pub mod kms;
pub mod policy;
pub mod tags;
pub mod value;

use crate::resource::Framework;
use crate::source::Span;
use crate::value::{Kind, Value};
use std::collections::BTreeMap;

pub use apigateway::{
    ApiPolicy, ApiStage, DomainMapping, HttpApi, NamedPolicyDocument, RestApi, RestApiPolicy,
    WafAssociation,
};
pub use backup::{BackupPlan, BackupSelection, BackupVault, VaultLock};
pub use cloudfront::CloudFrontDistribution;
pub use kms::{KeyConsumer, KeyRef, KmsAlias, KmsKey};
pub use tags::TaggableResource;
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
    /// The module instance or template the resource belongs to.
    pub scope: String,
    pub tags: Tags,
    /// The service part of the resource's ARNs (`rds`, `s3`), when the adapters know it.
    pub arn_service: Option<&'static str>,
    /// How the resource is written, as an opaque name that selects a rule document's
    /// snippets (one of the rules' `frameworks`).
    pub dialect: &'static str,
}

/// What a resource is, as far as links between resources need to know: the adapters say,
/// by resource type, and the model links by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResourceKind {
    /// A KMS key of the configuration; `primary`: one that can be the primary key of
    /// multi-Region replicas (not itself a replica).
    KmsKey {
        primary: bool,
    },
    KmsAlias,
    /// A KMS key looked up by a data source.
    KmsKeyLookup,
    /// A KMS alias looked up by a data source.
    KmsAliasLookup,
    /// An API Gateway resource (an API, a stage, a deployment, ...); `domain_name`: a
    /// custom domain name.
    ApiGateway {
        domain_name: bool,
    },
    /// Anything else.
    #[default]
    Other,
}

/// What the attribute of a reference to a resource gives, as far as links between
/// resources need to know: the adapters say, by resource type, which attribute of their
/// format (and which reference to the resource itself) gives what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefAttr {
    /// The resource's ARN.
    Arn,
    /// The resource's id (a key's key id, an alias's name as its id).
    Id,
    /// The resource's name (an alias's `alias/...`).
    Name,
    /// The key an alias targets (its ARN or id).
    AliasTargetKey,
}

/// A resource type's reference attributes, as its format names them: attribute (or the
/// format's reference to the resource itself) → what it gives.
pub type RefAttrs = &'static [(&'static str, RefAttr)];

/// What links need to know of a resource: its kind and what the attributes of references
/// to it give.
#[derive(Debug, Clone, Copy, Default)]
pub struct Linkable {
    pub kind: ResourceKind,
    pub attrs: RefAttrs,
}

/// A link from one resource to another of one configuration, made once when the model is
/// finished: linked (to what: a key's reference name, an index into a collection, or
/// nothing more to say), maybe linked (a reference or ARN that is not statically known),
/// or not linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Link<T = ()> {
    /// Nothing links them.
    #[default]
    None,
    /// A link may exist: a reference or ARN that is not statically known.
    Maybe,
    Linked(T),
}

impl<T> Link<T> {
    /// What it is linked to, when it is.
    pub fn linked(&self) -> Option<&T> {
        match self {
            Link::Linked(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_linked(&self) -> bool {
        matches!(self, Link::Linked(_))
    }

    pub fn is_maybe(&self) -> bool {
        matches!(self, Link::Maybe)
    }

    /// Linked to this, or `Maybe` when `maybe` says a link may exist, or `None`.
    pub fn of(linked: Option<T>, maybe: bool) -> Link<T> {
        match linked {
            Some(t) => Link::Linked(t),
            None if maybe => Link::Maybe,
            None => Link::None,
        }
    }

    /// The same state, without what it is linked to.
    pub fn state(&self) -> Link {
        match self {
            Link::None => Link::None,
            Link::Maybe => Link::Maybe,
            Link::Linked(_) => Link::Linked(()),
        }
    }
}

/// Whether a statement holds (`Some(true)`: linked), may hold (`None`: maybe) or not.
impl From<Option<bool>> for Link {
    fn from(o: Option<bool>) -> Link {
        match o {
            Some(true) => Link::Linked(()),
            None => Link::Maybe,
            Some(false) => Link::None,
        }
    }
}

/// Whether two instance keys may name the same instance (`None`: the whole resource, or a
/// key not statically known).
pub fn same_instance(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// A resource's name as the code of its own module writes it: `type.name` (or
/// `data.type.name`), without the module path.
pub fn local_name(ref_name: &str) -> &str {
    let name = display_name(ref_name);
    let tail = type_and_name(name);
    let before = &name[..name.len() - tail.len()];
    if before == "data." || before.ends_with(".data.") {
        &name[name.len() - tail.len() - "data.".len()..]
    } else {
        tail
    }
}

/// The last two segments of a name: `type.name`.
fn type_and_name(name: &str) -> &str {
    let mut dots = name.rmatch_indices('.');
    match (dots.next(), dots.next()) {
        (Some(_), Some((i, _))) => &name[i + 1..],
        _ => name,
    }
}

impl ResourceMeta {
    /// The instance key of a `count`/`for_each` instance (`["s3"]`, `[0]`): what its
    /// address adds after the resource's own name.
    pub fn instance(&self) -> Option<&str> {
        let tail = type_and_name(display_name(&self.ref_name));
        let at = self.address.rfind(tail)? + tail.len();
        let suffix = &self.address[at..];
        (suffix.starts_with('[') && suffix.ends_with(']')).then_some(suffix)
    }
}

/// A reference name as people write it: without the root module directory that keeps
/// names of separate Terraform configurations apart (`envs/dev//aws_kms_key.a` →
/// `aws_kms_key.a`).
pub fn display_name(ref_name: &str) -> &str {
    ref_name
        .rsplit_once("//")
        .map(|(_, n)| n)
        .unwrap_or(ref_name)
}

/// The evaluation a reference name belongs to: a Terraform root module's directory, or a
/// CloudFormation template (and nested-stack instantiation). Names only link within one.
pub fn root_of(ref_name: &str) -> &str {
    ref_name.rsplit_once("//").map_or("", |(root, _)| root)
}

/// Effective tags: the resource's own merged over provider `default_tags`.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    pub map: Option<TagMap>,
    pub span: Span,
}

/// Tags by key, sorted: a few entries each, kept for every resource of the scan, so a
/// flat vector rather than a tree.
#[derive(Debug, Clone, Default)]
pub struct TagMap(Vec<(String, Value)>);

impl TagMap {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, Value)> for TagMap {
    /// Later entries for a key replace earlier ones.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> TagMap {
        let map: BTreeMap<String, Value> = iter.into_iter().collect();
        TagMap(map.into_iter().collect())
    }
}

impl Tags {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.as_ref()?.get(key)
    }

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
            map: known.then(|| map.into_iter().collect()),
            span: own.map(|v| v.span).unwrap_or(header),
        }
    }
}

/// The resource graph of a scan.
/// Calls a macro with the model's collections (every field but the indices built by
/// [`Model::finish`]).
macro_rules! collections {
    ($m:ident) => {
        $m!(
            kms_keys,
            kms_aliases,
            kms_consumers,
            config_rules,
            backup_vaults,
            vault_locks,
            backup_plans,
            backup_selections,
            taggables,
            rest_apis,
            http_apis,
            api_stages,
            rest_api_policies,
            policy_documents,
            waf_associations,
            web_acls,
            switched_off_locks,
            api_domain_mappings,
            cloudfront_distributions,
            origin_request_policies,
            origin_request_policy_lookups,
            api_domain_names
        )
    };
}

#[derive(Debug, Default)]
pub struct Model {
    /// Every resource's reference name to its kind and reference attributes, for
    /// resolving references.
    pub kinds: BTreeMap<String, Linkable>,
    pub kms_keys: Vec<KmsKey>,
    pub kms_aliases: Vec<KmsAlias>,
    pub kms_consumers: Vec<KeyConsumer>,
    /// AWS Config rules (managed rule identifiers), for rotation monitoring.
    pub config_rules: Vec<ConfigRule>,
    /// Index of `kms_aliases` by reference name (built by linking).
    pub alias_by_name: std::collections::HashMap<String, usize>,
    /// Indexes of `kms_aliases` by the reference name of the key they target.
    pub aliases_by_key: std::collections::HashMap<String, Vec<usize>>,
    pub backup_vaults: Vec<BackupVault>,
    pub vault_locks: Vec<VaultLock>,
    pub backup_plans: Vec<BackupPlan>,
    pub backup_selections: Vec<BackupSelection>,
    /// Every taggable resource, with its effective tags.
    pub taggables: Vec<TaggableResource>,
    pub rest_apis: Vec<RestApi>,
    pub http_apis: Vec<HttpApi>,
    pub api_stages: Vec<ApiStage>,
    pub rest_api_policies: Vec<RestApiPolicy>,
    pub policy_documents: Vec<NamedPolicyDocument>,
    pub waf_associations: Vec<WafAssociation>,
    /// Vault locks that `count`/`for_each` leave out: linked to the vaults they would
    /// lock, and never checked as locks (BKP001 names their switch).
    pub switched_off_locks: Vec<VaultLock>,
    /// WAFv2 web ACLs (what they admit, for the origin-verify pattern).
    pub web_acls: Vec<apigateway::WebAcl>,
    pub api_domain_mappings: Vec<DomainMapping>,
    pub cloudfront_distributions: Vec<CloudFrontDistribution>,
    pub origin_request_policies: Vec<cloudfront::OriginRequestPolicy>,
    pub origin_request_policy_lookups: Vec<cloudfront::OriginRequestPolicyLookup>,
    /// API Gateway custom domain names (REST and HTTP APIs).
    pub api_domain_names: Vec<apigateway::ApiDomainName>,
    /// Aliases that other templates export, or that target keys they export, which this
    /// one imports: they link its consumers and label findings about them, and are neither
    /// checked nor inventoried here.
    pub imported_aliases: Vec<KmsAlias>,
    /// Resources that other templates may reference through this one's exports.
    pub exported: std::collections::BTreeSet<String>,
}

/// What templates that import values need of the resources other templates export: their
/// kinds (so that references to them classify), exported aliases (so that a consumer of
/// one reaches its key) and the aliases of exported keys (labels).
#[derive(Debug, Default)]
pub struct Exported {
    kinds: std::collections::HashMap<String, Linkable>,
    aliases: Vec<KmsAlias>,
    /// Indexes of `aliases` by their reference name and by their target key's.
    by_ref: std::collections::HashMap<String, Vec<usize>>,
}

impl Exported {
    /// What a linked model exports: `model.exported` names the resources.
    pub fn of(model: &Model) -> Exported {
        let refs = &model.exported;
        let mut out = Exported {
            kinds: model
                .kinds
                .iter()
                .filter(|(r, _)| refs.contains(*r))
                .map(|(r, k)| (r.clone(), *k))
                .collect(),
            ..Exported::default()
        };
        for a in &model.kms_aliases {
            let key = a.target_key().filter(|k| refs.contains(*k));
            if refs.contains(&a.meta.ref_name) || key.is_some() {
                out.push(a.clone());
            }
        }
        out
    }

    fn push(&mut self, a: KmsAlias) {
        let i = self.aliases.len();
        self.by_ref
            .entry(a.meta.ref_name.clone())
            .or_default()
            .push(i);
        if let Some(k) = a.target_key() {
            self.by_ref.entry(k.to_string()).or_default().push(i);
        }
        self.aliases.push(a);
    }

    pub fn merge(&mut self, other: Exported) {
        self.kinds.extend(other.kinds);
        for a in other.aliases {
            self.push(a);
        }
    }
}

/// An AWS Config rule (account or organization), by its managed rule identifier.
#[derive(Debug, Clone)]
pub struct ConfigRule {
    pub meta: ResourceMeta,
    /// `CMK_BACKING_KEY_ROTATION_ENABLED`, ...
    pub identifier: Val<String>,
}

/// The order of resources in the model: by location, then address.
pub fn by_location(a: &ResourceMeta, b: &ResourceMeta) -> std::cmp::Ordering {
    (a.header, &a.address).cmp(&(b.header, &b.address))
}

impl Model {
    /// The resources of several evaluations in one model, each collection allocated once
    /// and filled before the next: the parts' buffers are freed as they are emptied, so
    /// the model is not held twice.
    pub fn concat(mut parts: Vec<Model>) -> Model {
        let mut out = Model::default();
        macro_rules! concat {
            ($($field:ident),*) => {
                $(
                    out.$field.reserve_exact(parts.iter().map(|p| p.$field.len()).sum());
                    for p in parts.iter_mut() {
                        out.$field.extend(std::mem::take(&mut p.$field));
                    }
                )*
            };
        }
        collections!(concat);
        // What is left (reference kinds, and any collection `collections!` missed).
        for p in parts {
            out.merge(p);
        }
        out
    }

    /// Takes in the resources of another evaluation (before [`Model::finish`], which
    /// sorts every collection).
    pub fn merge(&mut self, other: Model) {
        macro_rules! merge {
            ($($field:ident),*) => {
                // Destructured in full: a new field must be listed in `collections!`.
                let Model {
                    kinds,
                    alias_by_name: _,
                    aliases_by_key: _,
                    imported_aliases,
                    exported,
                    $($field),*
                } = other;
                self.kinds.extend(kinds);
                self.imported_aliases.extend(imported_aliases);
                self.exported.extend(exported);
                $(self.$field.extend($field);)*
            };
        }
        collections!(merge);
    }

    /// Links references and sorts every collection by location, so that rules see a
    /// deterministic order.
    pub fn finish(&mut self) {
        self.sort_keys();
        self.backup_vaults
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.vault_locks
            .sort_by(|a, b| (a.span, &a.meta.address).cmp(&(b.span, &b.meta.address)));
        self.backup_plans
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.backup_selections
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.taggables.sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.rest_apis.sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.http_apis.sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.api_stages
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.rest_api_policies
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.policy_documents
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.waf_associations
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.api_domain_mappings
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.cloudfront_distributions
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.origin_request_policies
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.origin_request_policy_lookups
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.api_domain_names
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        kms::link(self);
        backup::link(self);
        self.link_api_policies();
        self.link_api_stages();
        self.link_api_origins();
    }

    fn sort_keys(&mut self) {
        self.kms_keys.sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.kms_aliases
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
        self.kms_consumers
            .sort_by(|a, b| by_location(&a.meta, &b.meta).then(a.value.span.cmp(&b.value.span)));
        self.config_rules
            .sort_by(|a, b| by_location(&a.meta, &b.meta));
    }

    /// Moves out the KMS resources and AWS Config rules of a linked model (the key
    /// inventory keeps them when the rest is dropped).
    pub fn take_keys(&mut self) -> Model {
        Model {
            kms_keys: std::mem::take(&mut self.kms_keys),
            kms_aliases: std::mem::take(&mut self.kms_aliases),
            kms_consumers: std::mem::take(&mut self.kms_consumers),
            config_rules: std::mem::take(&mut self.config_rules),
            ..Model::default()
        }
    }

    /// The KMS resources that [`Model::take_keys`] took from each group, in one model:
    /// sorted, indexed, and the consumers that name an alias of another root module or
    /// template linked to it.
    pub fn keys_of(parts: Vec<Model>, names: &kms::AliasNames) -> Model {
        let mut model = Model::concat(parts);
        model.sort_keys();
        kms::index(&mut model);
        kms::link_names(&mut model, names);
        model
    }

    /// The kind of the resource a reference names ([`ResourceKind::Other`] when it is not
    /// one of this model).
    pub fn kind(&self, ref_name: &str) -> ResourceKind {
        self.kinds.get(ref_name).map(|l| l.kind).unwrap_or_default()
    }

    /// What a reference's attribute gives of the resource it names (`None`: an attribute
    /// links do not read, or a resource that is not one of this model).
    pub fn ref_attr(&self, r: &crate::value::Reference) -> Option<RefAttr> {
        self.kinds
            .get(&r.resource)?
            .attrs
            .iter()
            .find(|(a, _)| *a == r.attr)
            .map(|(_, m)| *m)
    }

    pub fn key(&self, ref_name: &str) -> Option<&KmsKey> {
        self.kms_keys.iter().find(|k| k.meta.ref_name == ref_name)
    }

    /// The key instance a consumer or alias names (the first instance when it names the
    /// whole resource or an instance not statically known).
    pub fn key_instance(&self, ref_name: &str, instance: Option<&str>) -> Option<&KmsKey> {
        self.kms_keys
            .iter()
            .find(|k| k.meta.ref_name == ref_name && same_instance(k.meta.instance(), instance))
    }

    /// The aliases that may target this key instance.
    pub fn aliases_of_key<'a>(
        &'a self,
        key: &'a KmsKey,
    ) -> impl Iterator<Item = &'a KmsAlias> + 'a {
        let instance = key.meta.instance();
        self.aliases_of(&key.meta.ref_name)
            .filter(move |a| same_instance(a.target_instance(), instance))
    }

    pub fn alias(&self, ref_name: &str) -> Option<&KmsAlias> {
        self.alias_by_name
            .get(ref_name)
            .map(|i| &self.kms_aliases[*i])
            .or_else(|| {
                self.imported_aliases
                    .iter()
                    .find(|a| a.meta.ref_name == ref_name)
            })
    }

    /// Aliases whose target is the key with this reference name.
    pub fn aliases_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a KmsAlias> + 'a {
        let imported = self
            .imported_aliases
            .iter()
            .filter(move |a| a.target_key() == Some(key));
        self.aliases_by_key
            .get(key)
            .into_iter()
            .flatten()
            .map(|i| &self.kms_aliases[*i])
            .chain(imported)
    }

    /// Takes in, before linking, what other templates export of the resources this
    /// model's keys and aliases name (references to resources it does not define: they come
    /// through `Fn::ImportValue`).
    pub fn import(&mut self, exported: &Exported) {
        if exported.kinds.is_empty() {
            return;
        }
        let foreign: std::collections::BTreeSet<String> = self
            .kms_consumers
            .iter()
            .map(|c| &c.value)
            .chain(self.kms_aliases.iter().filter_map(|a| a.target.as_ref()))
            .flat_map(|v| v.references())
            .map(|r| &r.resource)
            .filter(|r| !self.kinds.contains_key(*r))
            .cloned()
            .collect();
        let mut aliases: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
        for r in foreign {
            aliases.extend(exported.by_ref.get(&r).into_iter().flatten());
            if let Some(k) = exported.kinds.get(&r) {
                self.kinds.insert(r, *k);
            }
        }
        self.imported_aliases
            .extend(aliases.into_iter().map(|i| exported.aliases[i].clone()));
    }
}

#[cfg(test)]
mod names {
    use super::local_name;

    #[test]
    fn local_names_drop_the_module_path_and_keep_data() {
        assert_eq!(
            local_name("envs/dev//module.kms.kms_alias.this"),
            "kms_alias.this"
        );
        assert_eq!(local_name("kms_alias.a"), "kms_alias.a");
        assert_eq!(local_name("module.m.data.kms_alias.a"), "data.kms_alias.a");
        assert_eq!(local_name("data.kms_alias.a"), "data.kms_alias.a");
    }
}
