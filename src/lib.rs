//! iacguard: an offline static analyzer for Terraform and CloudFormation.
//!
//! The pipeline ([`pipeline`]): [`discover`] → group → for each group of files, parse
//! ([`syntax`]) → evaluate ([`terraform`], [`cloudformation`]) → adapt, and drop its
//! syntax → [`model`] → [`rules`] → [`report`].

pub mod adapt;
pub mod audit;
pub mod baseline;
pub mod cloudformation;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod edit;
pub mod fix;
pub mod inventory;
pub mod lsp;
pub mod model;
pub mod options;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod resource;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod terraform;
pub mod value;

pub use discover::{absolutize, default_root};
pub use pipeline::{parse_only, scan, Report, ScanOptions, DEFAULT_MAX_FILE_SIZE};
