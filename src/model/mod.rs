//! The format-neutral AWS model: typed resources built by the adapters, read by the rules.

pub mod backup;
pub mod kms;
pub mod tags;
pub mod value;

use crate::resource::{Framework, ResourceInstance};
use crate::source::Span;
use crate::value::{Kind, Value};
use std::collections::BTreeMap;

pub use backup::{BackupPlan, BackupSelection, BackupVault, VaultLock};
pub use kms::{KmsAlias, KmsKey};
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
    pub tags: Tags,
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
    pub backup_vaults: Vec<BackupVault>,
    pub vault_locks: Vec<VaultLock>,
    pub backup_plans: Vec<BackupPlan>,
    pub backup_selections: Vec<BackupSelection>,
    /// Every taggable resource, with its effective tags.
    pub taggables: Vec<TaggableResource>,
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
        self.backup_vaults.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        self.vault_locks
            .sort_by(|a, b| (a.span, &a.meta.address).cmp(&(b.span, &b.meta.address)));
        self.backup_plans.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        self.backup_selections.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        self.taggables.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        backup::link(self);
    }
}
