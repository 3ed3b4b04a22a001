//! Adapters for taggable resources with their effective tags: the Terraform and the CloudFormation reading side by side.

pub(in crate::adapt) mod terraform {

    use crate::model::tags::{is_backup_eligible, is_known_taggable, TaggableResource};
    use crate::model::{Model, ResourceMeta};
    use crate::resource::ResourceInstance;

    /// Managed resources that take tags: those of a known taggable type, and any other that
    /// sets `tags` (the Auto Scaling group's `tag` blocks are not tags in this sense).
    pub(in crate::adapt) fn taggable(r: &ResourceInstance, meta: ResourceMeta, model: &mut Model) {
        let own = r.body.get("tags").is_some_and(|t| !t.is_null());
        if r.rtype.starts_with("aws_")
            && r.rtype != "aws_autoscaling_group"
            && (own || is_known_taggable(&r.rtype))
        {
            model.taggables.push(TaggableResource {
                scope: crate::adapt::scope_of(r),
                meta,
                backup_eligible: is_backup_eligible(&r.rtype),
                tags_attr: "tags",
            });
        }
    }
}

pub(in crate::adapt) mod cloudformation {

    use crate::model::tags::{
        cfn_tags_property, is_backup_eligible, is_known_taggable, TaggableResource,
    };
    use crate::model::{Model, ResourceMeta, Tags};
    use crate::resource::ResourceInstance;

    /// Meta with the tags from the property this type keeps them in.
    pub(in crate::adapt) fn tagged_meta(r: &ResourceInstance) -> ResourceMeta {
        let tags = r.body.get(cfn_tags_property(&r.rtype));
        crate::adapt::meta_of(r, Tags::effective(tags, None, r.header))
    }

    /// Resources that take tags: a known taggable type, or any that sets its tags property.
    pub(in crate::adapt) fn taggable(r: &ResourceInstance, model: &mut Model) {
        let own = r
            .body
            .get(cfn_tags_property(&r.rtype))
            .is_some_and(|t| !t.is_null());
        if r.rtype.starts_with("AWS::") && (own || is_known_taggable(&r.rtype)) {
            model.taggables.push(TaggableResource {
                scope: crate::adapt::scope_of(r),
                meta: tagged_meta(r),
                // An Aurora member instance is backed up with its cluster: its own tags
                // select nothing.
                backup_eligible: is_backup_eligible(&r.rtype)
                    && !(r.rtype == "AWS::RDS::DBInstance"
                        && r.body
                            .get("DBClusterIdentifier")
                            .is_some_and(|v| !v.is_null())),
                tags_attr: cfn_tags_property(&r.rtype),
            });
        }
    }
}
