//! Taggable resources with their effective tags, and which of them AWS Backup can protect.

use super::backup::Scope;
use super::ResourceMeta;

#[derive(Debug, Clone)]
pub struct TaggableResource {
    /// `meta.tags` are the effective tags (own over provider `default_tags`).
    pub meta: ResourceMeta,
    pub scope: Scope,
    /// A resource type AWS Backup can protect.
    pub backup_eligible: bool,
    /// The attribute that holds the resource's own tags, as written (`tags`, `Tags`,
    /// `FileSystemTags`): where a fix adds one.
    pub tags_attr: &'static str,
}
