//! The pipeline of a scan, stage by stage:
//!
//! 1. [`read`]: discover the files (walk, editor buffers, modules installed by
//!    `terraform init`, local modules above the scan root), read and parse them;
//! 2. [`terraform`]: group the Terraform files into components of module directories that
//!    call one another, evaluate them root module by root module;
//! 3. [`cloudformation`]: template passes, exports and imports, nested stacks and the
//!    templates Terraform deploys;
//! 4. [`analyse`]: for each root module or template, adapt its resources onto the
//!    [`Model`](crate::model::Model), link it, run the rules over it, and drop it;
//! 5. [`finish`]: the rules across groups, logical paths, redaction, deduplication,
//!    suppressions, the baseline and the files-only filter.
//!
//! [`timing`] holds the one clock the stages report to (`IACGUARD_TIMINGS=1`).

mod analyse;
mod cloudformation;
mod finish;
mod plan;
pub(crate) mod plan_input;
pub(crate) mod read;
mod terraform;
mod timing;

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::discover::BadPath;
use crate::model::Model;
use crate::settings::Settings;
use crate::source::SourceMap;
use crate::{baseline, suppress};
use crate::{cloudformation as cfn_front, terraform as tf_front};
use std::path::PathBuf;

pub use read::parse_only;

/// Files larger than this are reported and skipped.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    /// Names in reports are relative to this directory.
    pub root: PathBuf,
    /// Worker threads (0: one per core).
    pub threads: usize,
    pub max_file_size: u64,
    pub settings: Settings,
    pub terraform: tf_front::TfOptions,
    pub cloudformation: cfn_front::CfnOptions,
    /// Globs of paths (relative to `root`) not to analyse.
    pub exclude: Vec<String>,
    /// Report only findings not recorded in this baseline file.
    pub baseline: Option<PathBuf>,
    /// Analyse files named on the command line on their own, without the rest of their
    /// module (test fixtures); by default a named Terraform file brings its module.
    pub isolate_files: bool,
    /// Texts that replace the files at these paths when read: an editor's unsaved buffers.
    /// A buffer whose file is not on disk yet is analysed when its path, or its directory,
    /// is one of `paths`.
    pub overlays: Vec<(PathBuf, String)>,
    /// Keep the KMS keys, aliases, consumers and AWS Config rules of the scan in
    /// [`Report::keys`] (the key inventory); otherwise each group's model is dropped once
    /// its rules have run.
    pub keep_keys: bool,
    /// Keep the resources each rule judges in [`Report::audit`] (`iacguard audit`).
    pub keep_audit: bool,
    /// Terraform plan JSON files (`--plan`): each is analysed as the root module it plans.
    pub plans: Vec<PathBuf>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            root: PathBuf::from("."),
            threads: 0,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            settings: Settings::default(),
            terraform: Default::default(),
            cloudformation: Default::default(),
            exclude: Vec::new(),
            baseline: None,
            isolate_files: false,
            keep_keys: false,
            keep_audit: false,
            overlays: Vec::new(),
            plans: Vec::new(),
        }
    }
}

/// The result of a scan.
#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    /// Sorted by file, position and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// The KMS keys, aliases, consumers and AWS Config rules of the scan, when
    /// [`ScanOptions::keep_keys`] asks for them (empty otherwise).
    pub keys: Model,
    /// The resources each rule judges, when [`ScanOptions::keep_audit`] asks for them.
    pub audit: Vec<crate::audit::Subject>,
    /// Files that were analysed as Terraform or CloudFormation.
    pub files_analyzed: usize,
    /// Command-line paths that could not be read at all.
    pub bad_paths: Vec<BadPath>,
    /// Directories among the scanned paths that hold no Terraform or CloudFormation file
    /// (nothing analysed under them, nothing unreadable).
    pub empty_paths: Vec<PathBuf>,
    /// Findings silenced by a suppression or the baseline (SARIF lists them as suppressed).
    pub suppressed: Vec<suppress::Suppressed>,
    /// How the baseline applied, when one was given.
    pub baseline: Option<baseline::Stats>,
    /// A usage error found while scanning (`--var-file`s that no single root module can
    /// take): the CLI exits with status 2.
    pub usage_error: Option<String>,
    /// The plans analysed: the plan file's name, and the root module directory whose
    /// values it gave (`None`: its configuration is not in the scanned tree).
    pub plans: Vec<(String, Option<String>)>,
}

impl Report {
    /// Whether a finding at or above `threshold` exists (evaluation notes never count).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.diagnostics.iter().any(|d| {
            d.rule != codes::EVAL_NOTE && d.rule != codes::NOT_EVALUATED && d.severity >= threshold
        })
    }
}

/// The files of a scan, once discovered.
pub(crate) struct Tree {
    /// Sorted by name; a file's index is its [`FileId`](crate::source::FileId).
    pub(crate) files: Vec<crate::discover::Discovered>,
    /// The modules `terraform init` installed, by root module directory.
    pub(crate) manifests: crate::terraform::Manifests,
    /// Entries inside the tree that could not be read.
    pub(crate) unreadable: Vec<BadPath>,
    /// Names of the files given explicitly on the command line.
    pub(crate) explicit: Vec<String>,
    /// Only files were named (the pre-commit case): only what is located in them is
    /// reported.
    pub(crate) files_only: bool,
    /// The Terraform plans among the files named or found (not in `files`).
    pub(crate) plans: Vec<crate::pipeline::plan_input::PlanInput>,
}

/// Runs the whole pipeline.
pub fn scan(options: &ScanOptions) -> Report {
    read::in_pool(options.threads, || run(options))
}

fn run(options: &ScanOptions) -> Report {
    let clock = timing::Clock::default();
    let (mut tree, bad_roots) = read::tree(options);
    let mut plans = std::mem::take(&mut tree.plans);
    clock.mark("discover");
    let mut collected = analyse::Collected::new(tree.files.len(), bad_roots);
    let (mut var_unit, var_files) = terraform::var_files(&tree, options, &mut collected.bad_paths);
    plan::parse(&mut plans, &tree, &var_unit);
    let usage_error = terraform::analyse(
        &tree,
        options,
        var_files,
        &mut plans,
        &clock,
        &mut collected,
    );
    cloudformation::analyse(&tree, options, &clock, &mut collected);
    let plan_roots = plan::analyse(plans, options, &clock, &mut collected, &mut var_unit);
    let mut report = finish::finish(tree, var_unit, collected, usage_error, options, &clock);
    // A plan is generated, not written: a finding placed in one has no fix.
    for d in &mut report.diagnostics {
        let file = &report.sources.get(d.primary.file).name;
        if plan_roots.iter().any(|(plan, _)| plan == file) {
            d.fix = None;
        }
    }
    report.plans = plan_roots;
    report
}
