//! Adapters: each format's resources onto the one AWS [`Model`], by service. Each service
//! file holds its Terraform and its CloudFormation reading side by side (`terraform` and
//! `cloudformation` submodules), with the resource types it reads in a `TYPES` table;
//! [`adapt`] looks a resource's type up in the union of those tables. The AWS defaults a
//! service applies when an attribute is left out are written once, in the service file.

mod apigateway;
mod backup;
mod cloudfront;
mod kms;
mod policy;
mod tags;

use crate::model::backup::Scope;
use crate::model::{Model, ResourceMeta, Tags};
use crate::resource::{Framework, ResourceInstance};
use std::collections::HashMap;
use std::sync::OnceLock;

pub use backup::terraform::explains_absence;

/// Reads one resource onto the model.
pub(crate) type Adapter = fn(&In<'_>, &mut Model);

/// The resource being adapted.
pub(crate) struct In<'a> {
    pub(crate) r: &'a ResourceInstance,
}

impl In<'_> {
    /// The resource's model metadata, with its effective tags (Terraform: `tags` over the
    /// provider's `default_tags`; CloudFormation: `Tags`).
    pub(crate) fn meta(&self) -> ResourceMeta {
        let r = self.r;
        let tags = match r.framework {
            Framework::Terraform => {
                Tags::effective(r.body.get("tags"), r.default_tags.as_ref(), r.header)
            }
            Framework::CloudFormation => Tags::effective(r.body.get("Tags"), None, r.header),
        };
        meta_of(r, tags)
    }
}

/// The model metadata of a resource instance, with the tags given.
pub(crate) fn meta_of(r: &ResourceInstance, tags: Tags) -> ResourceMeta {
    ResourceMeta {
        framework: r.framework,
        rtype: r.rtype.clone(),
        address: r.address.clone(),
        ref_name: r.ref_name.clone(),
        header: r.header,
        maybe_absent: r.maybe_absent,
        scope: r.scope.clone(),
        tags,
    }
}

/// Where a resource's references and names resolve: its Terraform root module, or its
/// template.
pub(crate) fn scope_of(r: &ResourceInstance) -> Scope {
    match r.framework {
        Framework::Terraform => Scope::Terraform(crate::model::root_of(&r.ref_name).to_string()),
        Framework::CloudFormation => Scope::Template(r.header.file),
    }
}

/// Every adapter, by resource type (the types of the two formats never collide).
fn table() -> &'static HashMap<&'static str, Adapter> {
    static TABLE: OnceLock<HashMap<&'static str, Adapter>> = OnceLock::new();
    TABLE.get_or_init(|| {
        [
            kms::terraform::TYPES,
            kms::cloudformation::TYPES,
            backup::terraform::TYPES,
            backup::cloudformation::TYPES,
            apigateway::terraform::TYPES,
            apigateway::cloudformation::TYPES,
            cloudfront::terraform::TYPES,
            cloudfront::cloudformation::TYPES,
            policy::terraform::TYPES,
        ]
        .into_iter()
        .flatten()
        .map(|(t, f)| (*t, *f))
        .collect()
    })
}

/// Adapts one resource instance: as a taggable resource when it takes tags, as the
/// keys that it consumes (the consumer table), and by its type's adapter.
pub fn adapt(r: &ResourceInstance, model: &mut Model) {
    let x = In { r };
    // Every resource, for reference resolution.
    model.types.insert(r.ref_name.clone(), r.rtype.clone());
    kms::consumers(r, model);
    match r.framework {
        Framework::Terraform => tags::terraform::taggable(r, x.meta(), model),
        Framework::CloudFormation => tags::cloudformation::taggable(r, model),
    }
    if let Some(adapter) = table().get(r.rtype.as_str()) {
        adapter(&x, model);
    }
}

/// A resource switched off by its `count`/`for_each` whose absence a rule explains
/// ([`explains_absence`]).
pub fn switched_off(r: &ResourceInstance, model: &mut Model) {
    backup::terraform::adapt_switched_off(r, model);
}

#[cfg(test)]
mod tests;
