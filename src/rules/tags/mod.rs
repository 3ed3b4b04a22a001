//! Tagging rules.

pub mod required_tags;
