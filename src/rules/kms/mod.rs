//! KMS rules: keys, aliases and rotation.

pub mod key_rotation_disabled;
