//! AWS Backup rules: vault locks, retention, encryption and resource selection.

pub mod resource_missing_tag;
pub mod retention_below_policy;
pub mod tag_not_selected;
pub mod vault_lock_governance_mode;
pub mod vault_without_cmk;
pub mod vault_without_lock;
