//! iacguard: an offline static analyzer for Terraform and CloudFormation.
//!
//! The pipeline: [`discover`] → group → for each group of files, parse ([`syntax`]) →
//! evaluate ([`terraform`], [`cloudformation`]) → adapt, and drop its syntax → [`model`]
//! → [`rules`] → [`report`].

pub mod baseline;
pub mod cloudformation;
pub mod config;
pub mod diagnostic;
pub mod discover;
mod group;
pub mod inventory;
pub mod lsp;
pub mod model;
pub mod options;
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

use diagnostic::{codes, Diagnostic, Severity};
use discover::{BadPath, Discovered, FileKind};
use group::{
    dir_of, follow_local_modules, reparse_template, template_pass, template_tree,
    terraform_component, terraform_components, Adapted, Analysed, Clock, TemplatePass, Unit,
};
use model::Model;
use rayon::prelude::*;
use resource::ResourceInstance;
use settings::Settings;
use source::{FileId, SourceFile, SourceMap, Span};
use std::path::{Path, PathBuf};
use syntax::tree::Node;

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
    pub terraform: terraform::TfOptions,
    pub cloudformation: cloudformation::CfnOptions,
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

/// What parsing one file produced.
pub(crate) enum Content {
    /// Not IaC: skipped silently.
    NotOurs,
    /// Could not be analysed; the diagnostic says why.
    Failed,
    Terraform(syntax::hcl::Body),
    Tfvars(syntax::hcl::Body),
    CloudFormation(Node),
}

pub(crate) struct Parsed {
    pub(crate) text: String,
    pub(crate) content: Content,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The text that replaces a file's content on disk, if any.
pub(crate) fn overlay<'a>(options: &'a ScanOptions, path: &Path) -> Option<&'a str> {
    options
        .overlays
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text.as_str())
}

pub(crate) fn read_and_parse(
    f: &Discovered,
    id: FileId,
    max_size: u64,
    overlay: Option<&str>,
) -> Parsed {
    let fail = |msg: String, text: String, span: Span, code: &str| Parsed {
        text,
        content: Content::Failed,
        diagnostics: vec![Diagnostic::new(code, Severity::Error, span, msg)],
    };
    let empty = Span::new(id, 0, 0);
    // (length, regular file?) of what will be read.
    let size = match overlay {
        Some(text) => Some((text.len() as u64, true)),
        None => std::fs::metadata(&f.path)
            .ok()
            .map(|m| (m.len(), m.is_file())),
    };
    match size {
        Some((len, _)) if len > max_size => {
            return fail(
                format!("file is {len} bytes, over the {max_size} byte limit; not analysed"),
                String::new(),
                empty,
                codes::FILE_SKIPPED,
            )
        }
        // A FIFO, socket or device: opening it could block, reading it never end.
        Some((_, false)) => {
            return fail(
                "not a regular file (a FIFO, socket or device); not analysed".into(),
                String::new(),
                empty,
                codes::FILE_SKIPPED,
            )
        }
        _ => {}
    }
    let bytes = match overlay {
        Some(text) => text.as_bytes().to_vec(),
        None => match std::fs::read(&f.path) {
            Ok(b) => b,
            Err(e) => {
                return fail(
                    format!("cannot read file: {e}"),
                    String::new(),
                    empty,
                    codes::FILE_SKIPPED,
                )
            }
        },
    };
    if let Some(text) = source::utf16_text(&bytes) {
        // Terraform and CloudFormation read UTF-8 only: say so, showing the text decoded.
        if !may_be_iac(f.kind, &text) {
            return Parsed {
                text: String::new(),
                content: Content::NotOurs,
                diagnostics: Vec::new(),
            };
        }
        let end = text.chars().next().map_or(0, char::len_utf8);
        return fail(
            "file is UTF-16 (it starts with a UTF-16 byte order mark); only UTF-8 is supported: convert it, e.g. with `iconv -f UTF-16 -t UTF-8`; not analysed".into(),
            text,
            Span::new(id, 0, end),
            codes::PARSE_ERROR,
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has the same prefix, so `at` is a valid offset in it.
            let end = text[at..]
                .chars()
                .next()
                .map(|c| at + c.len_utf8())
                .unwrap_or(at);
            if !may_be_iac(f.kind, &text) {
                return Parsed {
                    text: String::new(),
                    content: Content::NotOurs,
                    diagnostics: Vec::new(),
                };
            }
            return fail(
                format!("file is not valid UTF-8 (invalid byte at offset {at}); not analysed"),
                text,
                Span::new(id, at, end),
                codes::PARSE_ERROR,
            );
        }
    };
    let mut diagnostics = Vec::new();
    let syntax_errors = |errs: Vec<syntax::SyntaxError>, diagnostics: &mut Vec<Diagnostic>| {
        for e in errs {
            diagnostics.push(Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                e.span,
                e.message,
            ));
        }
    };
    // Spans stay those of `text`: the mark becomes as many spaces.
    let parsed_text = syntax::without_bom(&text);
    let content = match f.kind {
        FileKind::Terraform | FileKind::Tfvars => {
            let p = syntax::hcl::parse(&parsed_text, id);
            syntax_errors(p.errors, &mut diagnostics);
            match (p.body, f.kind) {
                (Some(b), FileKind::Terraform) => {
                    top_level_arguments(&b, &mut diagnostics);
                    Content::Terraform(b)
                }
                (Some(b), _) => Content::Tfvars(b),
                (None, _) => Content::Failed,
            }
        }
        FileKind::TerraformJson | FileKind::TfvarsJson => {
            let p = syntax::json::parse(&parsed_text, id);
            syntax_errors(p.errors, &mut diagnostics);
            // Terraform rejects a repeated argument.
            for d in p.duplicates {
                diagnostics.push(
                    Diagnostic::new(
                        codes::PARSE_ERROR,
                        Severity::Error,
                        d.span,
                        format!(
                            "duplicate key `{}`: Terraform rejects a repeated argument",
                            d.key
                        ),
                    )
                    .with_label(d.earlier, "first defined here"),
                );
            }
            match p.root {
                Some(root) if f.kind == FileKind::TerraformJson => {
                    let (body, errs) = syntax::hcl::from_json(&root, id);
                    syntax_errors(errs, &mut diagnostics);
                    Content::Terraform(body)
                }
                Some(root) => {
                    let (body, errs) = tfvars_from_json(&root, id);
                    syntax_errors(errs, &mut diagnostics);
                    Content::Tfvars(body)
                }
                None => Content::Failed,
            }
        }
        FileKind::Yaml | FileKind::Json => {
            if !may_be_iac(f.kind, &text) {
                return Parsed {
                    text: String::new(),
                    content: Content::NotOurs,
                    diagnostics,
                };
            }
            let (root, errs, duplicates) = if f.kind == FileKind::Yaml {
                let p = syntax::yaml::parse(&text, id);
                (p.root, p.errors, p.duplicates)
            } else {
                let p = syntax::json::parse(&parsed_text, id);
                (p.root, p.errors, p.duplicates)
            };
            match root {
                Some(r) if syntax::tree::is_cloudformation(&r) => {
                    syntax_errors(errs, &mut diagnostics);
                    for d in duplicates {
                        diagnostics.push(
                            Diagnostic::new(
                                codes::DUPLICATE_KEY,
                                Severity::Warning,
                                d.span,
                                format!(
                                    "key `{}` is written twice in this mapping: CloudFormation deploys this last value and ignores the earlier one (so does this analysis)",
                                    d.key
                                ),
                            )
                            .with_label(d.earlier, "earlier value, not deployed")
                            .with_help("remove the earlier occurrence (or merge the two): a reader of the template sees both"),
                        );
                    }
                    Content::CloudFormation(r)
                }
                // A document that fails to parse is reported only when it looks like a
                // template (a format version or AWS resource types): other YAML (CI
                // workflows, Kubernetes) is not ours.
                None if text.contains("AWSTemplateFormatVersion") || text.contains("AWS::") => {
                    syntax_errors(errs, &mut diagnostics);
                    Content::Failed
                }
                _ => Content::NotOurs,
            }
        }
    };
    if matches!(content, Content::NotOurs) {
        return Parsed {
            text: String::new(),
            content,
            diagnostics: Vec::new(),
        };
    }
    Parsed {
        text,
        content,
        diagnostics,
    }
}

/// Arguments at the top level of a configuration file (`environment = "prod"` in a `.tf`
/// file, a tfvars file under the wrong name): Terraform rejects them, and they configure
/// nothing. The blocks of the file are analysed all the same.
fn top_level_arguments(body: &syntax::hcl::Body, diagnostics: &mut Vec<Diagnostic>) {
    for a in &body.attrs {
        let span = if a.expr.span.file == a.name_span.file && a.expr.span.end > a.name_span.end {
            a.name_span.to(a.expr.span)
        } else {
            a.name_span
        };
        diagnostics.push(
            Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                span,
                format!(
                    "top-level argument `{}` is not allowed in a configuration file: Terraform rejects it (`Unsupported argument`); variable values belong in a `.tfvars` file",
                    a.name
                ),
            )
            .with_help("move the assignment to a `.tfvars` file (`terraform.tfvars` or `*.auto.tfvars` are read automatically), or into a `locals` block"),
        );
    }
}

/// A cheap test before parsing YAML/JSON: CloudFormation templates name their sections.
fn may_be_iac(kind: FileKind, text: &str) -> bool {
    match kind {
        FileKind::Yaml | FileKind::Json => {
            text.contains("AWSTemplateFormatVersion") || text.contains("Resources")
        }
        _ => true,
    }
}

fn tfvars_from_json(root: &Node, id: FileId) -> (syntax::hcl::Body, Vec<syntax::SyntaxError>) {
    // A tfvars JSON file is a flat object of variable values: reuse the `.tf.json`
    // conversion by wrapping it as the body of a `locals` block.
    let wrapped = Node {
        span: root.span,
        kind: syntax::tree::NodeKind::Map(vec![syntax::tree::Entry {
            key: "locals".into(),
            key_span: root.span,
            value: root.clone(),
        }]),
    };
    let (body, errs) = syntax::hcl::from_json(&wrapped, id);
    let attrs = body
        .blocks
        .into_iter()
        .next()
        .map(|b| b.body.attrs)
        .unwrap_or_default();
    (
        syntax::hcl::Body {
            attrs,
            blocks: Vec::new(),
        },
        errs,
    )
}

/// Discovers and parses only (no evaluation, no rules): the floor the full pipeline is
/// measured against. Returns the number of files and bytes read.
pub fn parse_only(options: &ScanOptions) -> (usize, usize) {
    let run = || {
        let walk = discover::discover(
            &options.root,
            &options.paths,
            rayon::current_num_threads(),
            &exclude_set(&options.exclude),
            !options.isolate_files,
        );
        let parsed: Vec<Parsed> = walk
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                read_and_parse(
                    f,
                    i as FileId,
                    options.max_file_size,
                    overlay(options, &f.path),
                )
            })
            .collect();
        let bytes = parsed.iter().map(|p| p.text.len()).sum();
        (parsed.len(), bytes)
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .stack_size(32 * 1024 * 1024)
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Runs the whole pipeline.
pub fn scan(options: &ScanOptions) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .stack_size(32 * 1024 * 1024)
        .build();
    match pool {
        Ok(pool) => pool.install(|| scan_inner(options)),
        Err(_) => scan_inner(options),
    }
}

/// Adds the overlays whose files are not on disk (a new buffer in an editor) to the files
/// to analyse, when their path or directory is scanned.
fn add_unsaved_overlays(walk: &mut discover::Walk, options: &ScanOptions) {
    let excluded = exclude_set(&options.exclude);
    for (path, _) in &options.overlays {
        let scanned = options
            .paths
            .iter()
            .any(|p| p == path || path.parent() == Some(p.as_path()));
        if !scanned || walk.files.iter().any(|f| &f.path == path) {
            continue;
        }
        let name = discover::relative_name(&options.root, path);
        let Some(kind) = discover::classify(path).filter(|_| !excluded.is_match(&name)) else {
            continue;
        };
        walk.bad_roots.retain(|b| &b.path != path);
        walk.files.push(Discovered {
            path: path.clone(),
            name,
            kind,
        });
    }
    walk.files.sort_by(|a, b| a.name.cmp(&b.name));
    walk.files.dedup_by(|a, b| a.name == b.name);
    discover::drop_overridden(&mut walk.files);
}

/// The exclude globs as a set; invalid globs are refused when the configuration is read.
pub(crate) fn exclude_set(globs: &[String]) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = globset::Glob::new(g) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Stage timings, printed to standard error when `IACGUARD_TIMINGS` is set.
struct Timings {
    enabled: bool,
    last: std::time::Instant,
}

impl Timings {
    fn new() -> Timings {
        Timings {
            enabled: std::env::var_os("IACGUARD_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn mark(&mut self, stage: &str) {
        if self.enabled {
            let now = std::time::Instant::now();
            eprintln!(
                "{stage:>16}: {:>8.1} ms  rss {:>6} KiB  peak {:>6} KiB",
                (now - self.last).as_secs_f64() * 1e3,
                proc_status("VmRSS:"),
                proc_status("VmHWM:"),
            );
            self.last = now;
        }
    }

    /// A figure measured apart from the stage marks.
    fn report(&self, what: &str, ms: f64) {
        if self.enabled {
            eprintln!("{what:>24}: {ms:>8.1} ms");
        }
    }
}

/// A memory figure of this process from `/proc/self/status`, in KiB (0 where there is none).
fn proc_status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Adds the modules that `terraform init` installed (listed in
/// `.terraform/modules/modules.json` beside a root module) to the files to parse, and
/// returns the manifests.
fn installed_modules(files: &mut Vec<Discovered>) -> terraform::Manifests {
    let mut manifests = terraform::Manifests::new();
    let mut dirs: Vec<(String, PathBuf)> = files
        .iter()
        .filter(|f| f.kind == FileKind::Terraform)
        .filter_map(|f| {
            let dir = f
                .name
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            Some((dir, f.path.parent()?.to_path_buf()))
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut extra = Vec::new();
    for (dir, abs) in dirs {
        let manifest = abs.join(".terraform/modules/modules.json");
        // Only a regular file, and no symbolic link on the way: a link could lead out of
        // the scanned tree, a FIFO block the scan.
        let regular = |p: &Path, dir: bool| {
            std::fs::symlink_metadata(p).is_ok_and(|m| if dir { m.is_dir() } else { m.is_file() })
        };
        if !(regular(&abs.join(".terraform"), true)
            && regular(&abs.join(".terraform/modules"), true)
            && regular(&manifest, false))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let modules = terraform::read_manifest(&text, &dir);
        for mdir in modules.values() {
            // Installed modules live under the root module's `.terraform/`; a manifest
            // naming any other directory (local modules, or `../..`) is not followed:
            // what is in the scanned tree is found by the walk.
            let rest = mdir
                .strip_prefix(dir.as_str())
                .map(|r| r.trim_start_matches('/'));
            let installed = rest.is_some_and(|r| {
                r.starts_with(".terraform/modules/")
                    && !r.split('/').any(|seg| seg == ".." || seg == ".")
            });
            let mabs = modules_dir_abs(&abs, &dir, mdir);
            if !installed || !regular(&mabs, true) {
                continue;
            }
            let Ok(read) = std::fs::read_dir(&mabs) else {
                continue;
            };
            for e in read.flatten() {
                if !e.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                let path = e.path();
                if let Some(kind @ (FileKind::Terraform | FileKind::TerraformJson)) =
                    discover::classify(&path)
                {
                    let fname = e.file_name().to_string_lossy().into_owned();
                    extra.push(Discovered {
                        path,
                        name: format!("{mdir}/{fname}"),
                        kind,
                    });
                }
            }
        }
        manifests.insert(dir, modules);
    }
    files.extend(extra);
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.dedup_by(|a, b| a.name == b.name);
    discover::drop_overridden(files);
    manifests
}

/// The absolute directory of a module listed in a manifest, from the root module's
/// absolute directory and the two scan-relative names.
fn modules_dir_abs(root_abs: &Path, root_rel: &str, module_rel: &str) -> PathBuf {
    let rest = module_rel
        .strip_prefix(root_rel)
        .map(|r| r.trim_start_matches('/'))
        .unwrap_or(module_rel);
    root_abs.join(rest)
}

fn scan_inner(options: &ScanOptions) -> Report {
    let mut walk = discover::discover(
        &options.root,
        &options.paths,
        rayon::current_num_threads(),
        &exclude_set(&options.exclude),
        !options.isolate_files,
    );
    add_unsaved_overlays(&mut walk, options);
    let mut plans = plan::input::take_plans(&mut walk, options);
    let mut timings = Timings::new();
    timings.mark("discover");
    let manifests = installed_modules(&mut walk.files);
    // Only files were named (the pre-commit case): load the local modules they call, and
    // later report only what is located in those files.
    let files_only = !walk.explicit.is_empty() && options.paths.iter().all(|p| !p.is_dir());
    // Local modules above the scan root (`cd examples/complete && iacguard check`, as
    // Terraform runs there) are read up to the repository that holds the root.
    let repository = discover::repository_root(&options.root).filter(|r| *r != options.root);
    if !options.isolate_files {
        if let Some(repo) = &repository {
            follow_local_modules(&mut walk.files, options, repo);
        } else if files_only {
            follow_local_modules(&mut walk.files, options, &options.root);
        }
    }
    let files = &walk.files;
    let clock = Clock::default();

    // `--var-file`s apply to every root module: parsed first, numbered after the tree.
    let mut bad_paths = walk.bad_roots;
    let mut var_unit = Unit::default();
    let mut var_files: Vec<(String, syntax::hcl::Body)> = Vec::new();
    let first_var_file = files.len() + walk.unreadable.len();
    for path in &options.terraform.var_files {
        let kind = if path.to_string_lossy().ends_with(".json") {
            FileKind::TfvarsJson
        } else {
            FileKind::Tfvars
        };
        let d = Discovered {
            path: path.clone(),
            name: discover::relative_name(&options.root, path),
            kind,
        };
        if let Err(e) = std::fs::metadata(path) {
            bad_paths.push(BadPath {
                path: path.clone(),
                error: e.to_string(),
            });
            continue;
        }
        let id = (first_var_file + var_unit.files.len()) as FileId;
        let overlay = overlay(options, path);
        let p = read_and_parse(&d, id, options.max_file_size, overlay);
        let dir = group::dir_of(&d.name).to_string();
        if let Content::Tfvars(body) = var_unit.add(id, &d, p, overlay.is_some()) {
            var_files.push((dir, body));
        }
    }
    var_unit.release();
    var_unit.suppressions.clear();
    // Plans are numbered after the variable files.
    let first_plan = first_var_file + var_unit.files.len();
    for (k, p) in plans.iter_mut().enumerate() {
        p.parse((first_plan + k) as FileId);
    }

    // Terraform, one unit of module directories at a time; CloudFormation, one template
    // at a time. Each is parsed, evaluated and dropped: what stays is its resources.
    let components = terraform_components(files, options, &manifests);
    timings.mark("group");
    // `--var-file` and `--var` apply to the root module being planned, as in Terraform:
    // the one that holds the file, or the only root of the scan.
    let roots: Vec<String> = components
        .iter()
        .flat_map(|c| c.configuration_roots(files))
        .map(str::to_string)
        .collect();
    let (inputs, usage_error) =
        group::RootInputs::resolve(var_files, !options.terraform.vars.is_empty(), &roots);
    plan::input::assign_roots(&mut plans, &roots);
    let tf: Vec<Unit> = components
        .into_par_iter()
        .map(|c| terraform_component(c, files, options, &inputs, &manifests, &plans, &clock))
        .collect();
    let var_files = inputs;
    drop(var_files);
    let candidates: Vec<usize> = (0..files.len())
        .filter(|i| matches!(files[*i].kind, FileKind::Yaml | FileKind::Json))
        .collect();
    let mut passes: Vec<TemplatePass> = candidates
        .par_iter()
        .map(|i| template_pass(*i, &files[*i], options, &clock))
        .collect();

    let mut slots: Vec<Option<SourceFile>> = (0..files.len()).map(|_| None).collect();
    let mut diagnostics = Vec::new();
    let mut suppressions: Vec<(FileId, suppress::Suppression)> = Vec::new();
    let mut files_analyzed = 0;
    let mut analysed = vec![false; files.len()];
    // What the groups leave: their findings, and what the rules that span them need.
    let mut results = Analysed::default();
    let mut take_unit = |u: Unit,
                         slots: &mut Vec<Option<SourceFile>>,
                         diagnostics: &mut Vec<Diagnostic>,
                         results: &mut Analysed| {
        for (id, f) in u.files {
            if let Some(slot) = slots.get_mut(id as usize) {
                *slot = Some(f);
            }
        }
        files_analyzed += u.analysed.len();
        for id in u.analysed {
            if let Some(a) = analysed.get_mut(id as usize) {
                *a = true;
            }
        }
        diagnostics.extend(u.diagnostics);
        suppressions.extend(u.suppressions);
        results.merge(u.results);
    };
    for u in tf {
        take_unit(u, &mut slots, &mut diagnostics, &mut results);
    }
    // Plans whose configuration is not in the tree: analysed on their own, placed in the
    // plan.
    let plans_analysed = plans.len();
    for p in plans.iter_mut() {
        diagnostics.append(&mut p.diagnostics);
        if let (Some(tree), None) = (&p.tree, &p.root) {
            let placement = plan::Placement {
                root: p.name.clone(),
                source: None,
            };
            let planned = Clock::time(&clock.evaluate, || plan::read(tree, &placement));
            diagnostics.extend(planned.diagnostics);
            let adapted = Clock::time(&clock.adapt, || Adapted::new(planned.instances, |_| None));
            results.merge(adapted.analyse(options, &clock));
        }
    }
    // Templates that Terraform deploys (`aws_cloudformation_stack`): analysed once every
    // template is known, with the stack's parameters.
    let tf_stacks: Vec<ResourceInstance> = std::mem::take(&mut results.stacks);

    // Nested stacks: a template that a parent's `AWS::CloudFormation::Stack` names by a
    // local `TemplateURL` is evaluated through its parents, with their `Parameters`.
    let by_name: std::collections::HashMap<&str, usize> = passes
        .iter()
        .enumerate()
        .filter(|(_, p)| p.template)
        .map(|(k, _)| (files[candidates[k]].name.as_str(), k))
        .collect();
    let child_of = |parent: usize, url: &str| -> Option<usize> {
        if url.contains("://") || url.starts_with("s3:") {
            return None;
        }
        let dir = dir_of(&files[candidates[parent]].name);
        let joined = terraform::join_dir(dir, url)?;
        by_name.get(joined.as_str()).copied()
    };
    let mut nested: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    for (k, p) in passes.iter().enumerate() {
        for url in &p.children {
            if let Some(c) = child_of(k, url).filter(|c| *c != k) {
                nested.insert(c);
            }
        }
    }
    // Exports, so that `Fn::ImportValue` in any template can see them, with what
    // importers need of the resources they name (a nested stack's exports are those of
    // its instantiations, which are not analysed yet: importers do not see through them).
    let mut exports = cloudformation::Exports::new();
    let mut exported = model::Exported::default();
    for (k, p) in passes.iter_mut().enumerate() {
        for (name, v) in &p.exports {
            exports.entry(name.clone()).or_insert_with(|| v.clone());
        }
        if let Some(e) = p.exported.take().filter(|_| !nested.contains(&k)) {
            exported.merge(*e);
        }
    }
    // Templates that import values, now that every export is known.
    let late: Vec<usize> = (0..passes.len())
        .filter(|k| passes[*k].template && passes[*k].evaluated.is_none() && !nested.contains(k))
        .collect();
    let late_results: Vec<(usize, (Analysed, Vec<Diagnostic>))> = late
        .par_iter()
        .filter_map(|k| {
            let i = candidates[*k];
            let (root, file) = reparse_template(i, &files[i], options, &clock)?;
            let (inst, diags) = Clock::time(&clock.evaluate, || {
                cloudformation::evaluate_as(
                    &root,
                    &options.cloudformation,
                    &exports,
                    &cloudformation::Instantiation {
                        files: group::local_files(&files[i], options),
                        ..Default::default()
                    },
                )
            });
            let commented = !passes[*k].unit.suppressions.is_empty();
            let (a, _) = Adapted::of_template(inst, &file, commented, &clock).analyse_template(
                &root,
                &exported,
                &passes[*k].exports,
                options,
                &clock,
            );
            Some((*k, (a, diags)))
        })
        .collect();
    for (k, e) in late_results {
        passes[k].evaluated = Some(Box::new(e));
    }
    let template_ids: std::collections::BTreeSet<FileId> = passes
        .iter()
        .enumerate()
        .filter(|(_, p)| p.template)
        .map(|(k, _)| candidates[k] as FileId)
        .collect();
    let mut pending: Vec<(usize, ResourceInstance)> = Vec::new();
    let push_stacks = |parent: usize,
                       stacks: &[ResourceInstance],
                       pending: &mut Vec<(usize, ResourceInstance)>| {
        for r in stacks {
            if let Some(url) = r.body.get("TemplateURL").and_then(value::Value::as_str) {
                if let Some(c) = child_of(parent, url) {
                    pending.push((c, r.clone()));
                }
            }
        }
    };
    for (k, p) in passes.into_iter().enumerate() {
        let mut unit = p.unit;
        // A nested stack alone is not reported: only through its parents.
        if let (Some(e), false) = (p.evaluated, nested.contains(&k)) {
            let (mut a, diags) = *e;
            push_stacks(k, &a.stacks, &mut pending);
            a.stacks.clear();
            unit.results = a;
            unit.diagnostics.extend(diags);
        }
        take_unit(unit, &mut slots, &mut diagnostics, &mut results);
    }
    let mut children: std::collections::HashMap<usize, Option<(Node, SourceFile)>> =
        std::collections::HashMap::new();
    let mut rounds = 0;
    while let Some((child, stack)) = pending.pop() {
        rounds += 1;
        if rounds > 1_000 || stack.call_sites.len() > 16 {
            break;
        }
        let mut how = stack_instantiation(&stack, "Parameters");
        how.files = group::local_files(&files[candidates[child]], options);
        let i = candidates[child];
        let Some((root, file)) = children
            .entry(child)
            .or_insert_with(|| reparse_template(i, &files[i], options, &clock))
        else {
            continue;
        };
        let (inst, d) = Clock::time(&clock.evaluate, || {
            cloudformation::evaluate_as(root, &options.cloudformation, &exports, &how)
        });
        let commented = suppressions.iter().any(|(f, _)| *f == i as FileId);
        let none = cloudformation::Exports::new();
        let (mut a, _) = Adapted::of_template(inst, file, commented, &clock)
            .analyse_template(root, &exported, &none, options, &clock);
        push_stacks(child, &a.stacks, &mut pending);
        a.stacks.clear();
        results.merge(a);
        diagnostics.extend(d);
    }
    drop(children);
    for stack in &tf_stacks {
        let Some((root, file)) = deployed_template(
            stack,
            files,
            &candidates,
            &slots,
            options,
            &clock,
            &mut diagnostics,
        ) else {
            continue;
        };
        let mut how = stack_instantiation(stack, "parameters");
        how.files = files
            .get(root.span.file as usize)
            .and_then(|f| group::local_files(f, options));
        let (inst, d) = Clock::time(&clock.evaluate, || {
            cloudformation::evaluate_as(&root, &options.cloudformation, &exports, &how)
        });
        let commented = suppressions.iter().any(|(f, _)| *f == root.span.file);
        let none = cloudformation::Exports::new();
        let (mut a, _) = Adapted::of_template(inst, &file, commented, &clock)
            .analyse_template(&root, &exported, &none, options, &clock);
        a.stacks.clear();
        results.merge(a);
        diagnostics.extend(d);
    }
    drop(tf_stacks);

    let empty_paths: Vec<PathBuf> = options
        .paths
        .iter()
        .filter(|p| p.is_dir())
        .filter(|p| {
            !files
                .iter()
                .zip(&analysed)
                .any(|(f, a)| *a && f.path.starts_with(p))
                && !walk.unreadable.iter().any(|u| u.path.starts_with(p))
        })
        .cloned()
        .collect();
    let mut sources = SourceMap::default();
    for (f, slot) in files.iter().zip(slots) {
        sources.add(
            slot.unwrap_or_else(|| SourceFile::new(f.name.clone(), f.path.clone(), String::new())),
        );
    }
    for u in &walk.unreadable {
        let id = sources.add(SourceFile::new(
            discover::relative_name(&options.root, &u.path),
            u.path.clone(),
            String::new(),
        ));
        diagnostics.push(Diagnostic::new(
            codes::FILE_SKIPPED,
            Severity::Error,
            Span::new(id, 0, 0),
            format!("cannot read: {}", u.error),
        ));
        files_analyzed += 1;
    }
    for (_, f) in var_unit.files {
        sources.add(f);
    }
    files_analyzed += plans_analysed;
    let plan_roots: Vec<(String, Option<String>)> = plans
        .iter()
        .map(|p| (p.name.clone(), p.root.clone()))
        .collect();
    for mut p in plans {
        p.tree = None;
        sources.add(p.source_file());
    }
    diagnostics.extend(var_unit.diagnostics);
    timings.mark("parse+evaluate");
    timings.report("parse (all threads)", Clock::ms(&clock.parse));
    timings.report("evaluate (all threads)", Clock::ms(&clock.evaluate));
    timings.report("adapt (all threads)", Clock::ms(&clock.adapt));

    timings.report("link (all threads)", Clock::ms(&clock.link));
    timings.report("rules (all threads)", Clock::ms(&clock.rules));
    if timings.enabled {
        let [seen, unknown, uncaused] = &terraform::SECURITY_ATTRIBUTES;
        let n = |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!(
            "{:>24}: {} set, {} left unknown by a construct, {} unknown with no construct found",
            "security attributes",
            n(seen),
            n(unknown),
            n(uncaused)
        );
    }

    let Analysed {
        mut findings,
        mut facts,
        headers: header_lines,
        keys,
        ..
    } = results;
    let mut headers: std::collections::HashMap<(FileId, String), Vec<usize>> =
        std::collections::HashMap::new();
    for (key, line) in header_lines {
        headers.entry(key).or_default().push(line);
    }
    if timings.enabled {
        eprintln!(
            "{:>24}: {} findings; {} consumers of keys elsewhere, {} disabled keys, {} backup selections, {} resources no selection of their group selects",
            "across groups",
            findings.len(),
            facts.named_consumers.len(),
            facts.disabled_keys.len(),
            facts.selections.len(),
            facts.unselected.len(),
        );
    }
    findings.extend(rules::release_deferred(&mut facts));
    findings.extend(rules::run_tree(&facts, &options.settings));
    let keys = Model::keys_of(keys, &facts.alias_names);
    drop(facts);
    timings.mark("rules across groups");
    // Logical paths (`Resources.Key.Properties.X`) of the findings not named while their
    // template's tree was at hand (those reported across groups): their templates are
    // parsed again, from their text.
    let mut by_template: std::collections::BTreeMap<FileId, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (k, d) in findings.iter().enumerate() {
        if d.logical_path.is_none() && template_ids.contains(&d.primary.file) {
            by_template.entry(d.primary.file).or_default().push(k);
        }
    }
    let by_template: Vec<(FileId, Vec<usize>)> = by_template.into_iter().collect();
    let paths: Vec<(usize, Option<String>)> = by_template
        .par_iter()
        .flat_map_iter(|(id, ks)| {
            let tree = template_tree(files[*id as usize].kind, sources.get(*id).text(), *id);
            ks.iter()
                .map(|k| {
                    let path = tree
                        .as_ref()
                        .and_then(|t| syntax::tree::path_to(t, findings[*k].primary));
                    (*k, path)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (k, path) in paths {
        findings[k].logical_path = path;
    }
    timings.mark("logical paths");
    for d in &findings {
        for span in &d.redact {
            sources.redact(*span);
        }
    }
    diagnostics.extend(findings);
    // Values given on the command line have no place in a file: drop labels that would
    // point nowhere.
    let n = sources.len() as FileId;
    for d in &mut diagnostics {
        d.labels
            .retain(|l| l.span.file < n && l.span != Span::default());
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // The same module instantiated by several root modules yields the same finding at the
    // same place: report it once.
    diagnostics
        .dedup_by(|a, b| a.rule == b.rule && a.primary == b.primary && a.message == b.message);
    timings.mark("sort");
    let (mut diagnostics, mut suppressed) =
        suppress::apply(diagnostics, &suppressions, &headers, &sources, |id| {
            rules::find(id).is_some_and(|m| options.settings.rule_enabled(m))
        });
    let mut baseline_stats = None;
    if let Some(path) = &options.baseline {
        match baseline::read(path) {
            Ok(b) => {
                let (new, old, stats) = baseline::apply(&b, diagnostics, &sources);
                diagnostics = new;
                suppressed.extend(old.into_iter().map(|d| suppress::Suppressed {
                    diagnostic: d,
                    in_source: false,
                    justification: Some("recorded in the baseline".into()),
                }));
                baseline_stats = Some(stats);
            }
            Err(e) => bad_paths.push(BadPath {
                path: path.clone(),
                error: e,
            }),
        }
    }
    if files_only {
        let named: std::collections::BTreeSet<&str> =
            walk.explicit.iter().map(String::as_str).collect();
        // A finding belongs to the named files when it is located there, or when one of
        // its labels is (a value set in a changed tfvars file, a changed module call).
        let here = |d: &Diagnostic| {
            std::iter::once(d.primary.file)
                .chain(d.labels.iter().map(|l| l.span.file))
                .any(|f| named.contains(sources.get(f).name.as_str()))
        };
        diagnostics.retain(|d| here(d));
        suppressed.retain(|s| here(&s.diagnostic));
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    suppressed.sort_by(|a, b| a.diagnostic.sort_key().cmp(&b.diagnostic.sort_key()));
    timings.mark("suppress");
    Report {
        sources,
        diagnostics,
        keys,
        files_analyzed,
        bad_paths,
        empty_paths,
        suppressed,
        baseline: baseline_stats,
        usage_error,
        plans: plan_roots,
    }
}

/// The display root for a set of paths: the current directory.
pub fn default_root() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Makes a command-line path absolute against `root` (names stay relative to it).
pub fn absolutize(root: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        let joined = root.join(p);
        // Drop `.` components so that names read `dir/file.tf`, not `./dir/file.tf`.
        joined
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    }
}

/// How a stack resource instantiates its template: its parameters (`Parameters` of an
/// `AWS::CloudFormation::Stack`, `parameters` of a Terraform `aws_cloudformation_stack`),
/// those not statically known as Unknown, and the stack as the call site.
fn stack_instantiation(stack: &ResourceInstance, key: &str) -> cloudformation::Instantiation {
    let mut parameters = Vec::new();
    let mut unknown_parameters = Vec::new();
    if let Some(m) = stack.body.get(key).and_then(value::Value::as_map) {
        for (k, v) in m {
            match v.to_plain_string() {
                Some(s) => parameters.push((k.clone(), s)),
                None => unknown_parameters.push(k.clone()),
            }
        }
    }
    let mut call_sites = stack.call_sites.clone();
    call_sites.push(stack.header);
    cloudformation::Instantiation {
        address_prefix: format!("{}.", stack.address),
        parameters,
        call_sites,
        unknown_parameters,
        files: None,
    }
}

/// The template a Terraform `aws_cloudformation_stack` deploys, located in the text it
/// comes from: a template file of the tree when `template_body` is its text (`file()`),
/// else the `template_body` value itself, parsed where the `.tf` file writes it (a heredoc
/// holds it verbatim) or, rendered (`templatefile()`, interpolations), all at that value.
/// A template that is not statically known, or on S3, gets a note.
fn deployed_template(
    stack: &ResourceInstance,
    files: &[Discovered],
    candidates: &[usize],
    slots: &[Option<SourceFile>],
    options: &ScanOptions,
    clock: &Clock,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(syntax::tree::Node, SourceFile)> {
    let note = |span: Span, message: String| {
        Diagnostic::new(codes::EVAL_NOTE, Severity::Note, span, message)
    };
    let Some(body) = stack.body.get("template_body").filter(|v| !v.is_null()) else {
        if let Some(url) = stack.body.get("template_url").filter(|v| !v.is_null()) {
            diagnostics.push(note(
                url.span,
                format!("the template {} deploys from `template_url` is not read (only templates in the scanned tree are)", stack.address),
            ));
        }
        return None;
    };
    let Some(content) = body.as_str() else {
        diagnostics.push(note(
            body.span,
            format!(
                "the template {} deploys is not statically known; its resources are not analysed",
                stack.address
            ),
        ));
        return None;
    };
    // A template file of the tree, read with `file()`.
    if let Some(&i) = candidates
        .iter()
        .find(|&&i| slots[i].as_ref().is_some_and(|f| f.holds(content)))
    {
        return group::reparse_template(i, &files[i], options, clock);
    }
    let id = body.span.file;
    let f = files.get(id as usize)?;
    let text = std::fs::read_to_string(&f.path).ok()?;
    let region = text.get(body.span.start as usize..body.span.end as usize)?;
    let base = region.find(content).map(|o| body.span.start + o as u32);
    let json = content.trim_start().starts_with('{');
    let (root, errors) = if json {
        let p = syntax::json::parse(&syntax::without_bom(content), id);
        (p.root, p.errors)
    } else {
        let p = syntax::yaml::parse(content, id);
        (p.root, p.errors)
    };
    let place = |s: &mut Span| match base {
        Some(b) => {
            s.start += b;
            s.end += b;
        }
        None => *s = body.span,
    };
    let Some(mut root) = root else {
        let mut span = errors.first().map_or(body.span, |e| e.span);
        place(&mut span);
        diagnostics.push(Diagnostic::new(
            codes::PARSE_ERROR,
            Severity::Error,
            span,
            format!(
                "the template {} deploys does not parse: {}",
                stack.address,
                errors.first().map_or("no template", |e| e.message.as_str())
            ),
        ));
        return None;
    };
    root.map_spans(place);
    if !syntax::tree::is_cloudformation(&root) {
        return None;
    }
    Some((root, SourceFile::new(f.name.clone(), f.path.clone(), text)))
}
