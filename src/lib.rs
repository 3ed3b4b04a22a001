//! iacguard: an offline static analyzer for Terraform and CloudFormation.
//!
//! The pipeline: [`discover`] → parse ([`syntax`]) → evaluate ([`terraform`],
//! [`cloudformation`]) → adapt → [`model`] → [`rules`] → [`report`].

pub mod baseline;
pub mod cloudformation;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod inventory;
pub mod lsp;
pub mod model;
pub mod options;
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
            overlays: Vec::new(),
        }
    }
}

/// The result of a scan.
#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    /// Sorted by file, position and rule.
    pub diagnostics: Vec<Diagnostic>,
    pub model: Model,
    /// Files that were analysed as Terraform or CloudFormation.
    pub files_analyzed: usize,
    /// Command-line paths that could not be read at all.
    pub bad_paths: Vec<BadPath>,
    /// Findings silenced by a suppression or the baseline (SARIF lists them as suppressed).
    pub suppressed: Vec<suppress::Suppressed>,
    /// How the baseline applied, when one was given.
    pub baseline: Option<baseline::Stats>,
}

impl Report {
    /// Whether a finding at or above `threshold` exists (evaluation notes never count).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.rule != codes::EVAL_NOTE && d.severity >= threshold)
    }
}

/// What parsing one file produced.
enum Content {
    /// Not IaC: skipped silently.
    NotOurs,
    /// Could not be analysed; the diagnostic says why.
    Failed,
    Terraform(syntax::hcl::Body),
    Tfvars(syntax::hcl::Body),
    CloudFormation(Node),
}

struct Parsed {
    text: String,
    content: Content,
    diagnostics: Vec<Diagnostic>,
}

/// The text that replaces a file's content on disk, if any.
fn overlay<'a>(options: &'a ScanOptions, path: &Path) -> Option<&'a str> {
    options
        .overlays
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text.as_str())
}

fn read_and_parse(f: &Discovered, id: FileId, max_size: u64, overlay: Option<&str>) -> Parsed {
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
    if let Some(text) = utf16_text(&bytes) {
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
    let content = match f.kind {
        FileKind::Terraform | FileKind::Tfvars => {
            let p = syntax::hcl::parse(&text, id);
            syntax_errors(p.errors, &mut diagnostics);
            match (p.body, f.kind) {
                (Some(b), FileKind::Terraform) => Content::Terraform(b),
                (Some(b), _) => Content::Tfvars(b),
                (None, _) => Content::Failed,
            }
        }
        FileKind::TerraformJson | FileKind::TfvarsJson => {
            let p = syntax::json::parse(&text, id);
            syntax_errors(p.errors, &mut diagnostics);
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
            let (root, errs) = if f.kind == FileKind::Yaml {
                let p = syntax::yaml::parse(&text, id);
                (p.root, p.errors)
            } else {
                let p = syntax::json::parse(&text, id);
                (p.root, p.errors)
            };
            match root {
                Some(r) if syntax::tree::is_cloudformation(&r) => {
                    syntax_errors(errs, &mut diagnostics);
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

/// The text of a file that starts with a UTF-16 byte order mark, decoded (lossily), BOM
/// included.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = bytes.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
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
}

/// The exclude globs as a set; invalid globs are refused when the configuration is read.
fn exclude_set(globs: &[String]) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = globset::Glob::new(g) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Loads, module directory by module directory, the local modules (`source = "./x"`)
/// that the parsed Terraform files call, within the scan root.
fn follow_local_modules(
    files: &mut Vec<Discovered>,
    parsed: &mut Vec<Parsed>,
    options: &ScanOptions,
) {
    let exclude = exclude_set(&options.exclude);
    let mut loaded: std::collections::BTreeSet<String> = files
        .iter()
        .map(|f| {
            f.name
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string())
        })
        .collect();
    let mut next = 0;
    // Bounded: a module tree is not this large, a cycle is cut by `loaded`.
    while next < parsed.len() && loaded.len() < 10_000 {
        let end = parsed.len();
        let mut wanted = std::collections::BTreeSet::new();
        for i in next..end {
            let Content::Terraform(body) = &parsed[i].content else {
                continue;
            };
            let dir = files[i].name.rsplit_once('/').map_or("", |(d, _)| d);
            for m in body.blocks("module") {
                let Some(syntax::hcl::ExprKind::Str(src)) =
                    m.body.attr("source").map(|a| &a.expr.kind)
                else {
                    continue;
                };
                if !(src.starts_with("./") || src.starts_with("../")) {
                    continue;
                }
                let target = options.root.join(dir).join(src);
                let Ok(target) = target.canonicalize() else {
                    continue;
                };
                let Ok(root) = options.root.canonicalize() else {
                    continue;
                };
                if !target.starts_with(&root) {
                    continue;
                }
                let name = discover::relative_name(&root, &target);
                if loaded.insert(name) {
                    wanted.insert(target);
                }
            }
        }
        next = end;
        for dir in wanted {
            let mut found = discover::module_files(&options.root, &dir, &exclude);
            found.sort_by(|a, b| a.name.cmp(&b.name));
            for f in found {
                let id = files.len() as FileId;
                parsed.push(read_and_parse(
                    &f,
                    id,
                    options.max_file_size,
                    overlay(options, &f.path),
                ));
                files.push(f);
            }
        }
    }
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
                "{stage:>16}: {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1e3
            );
            self.last = now;
        }
    }
}

/// Adds what every finding about a resource should say, whatever the rule: where the
/// module holding it was called from, and that it may not be created at all.
fn explain_instances(findings: &mut [Diagnostic], instances: &[ResourceInstance]) {
    let by_address: std::collections::HashMap<(&str, FileId), &ResourceInstance> = instances
        .iter()
        .map(|r| ((r.address.as_str(), r.header.file), r))
        .collect();
    for d in findings {
        let Some(r) = d
            .address
            .as_deref()
            .and_then(|a| by_address.get(&(a, d.primary.file)))
        else {
            continue;
        };
        if r.maybe_absent {
            d.message.push_str(
                " (the resource may not be created: its count, for_each or condition is not known statically)",
            );
        }
        let sites = &r.call_sites;
        for (i, site) in sites.iter().enumerate() {
            // The outermost and the innermost call say enough.
            if i == 0 || i + 1 == sites.len() {
                let what = if i + 1 == sites.len() {
                    "module instantiated here"
                } else {
                    "module chain starts here"
                };
                d.labels.push(diagnostic::Label {
                    span: *site,
                    message: what.to_string(),
                });
            }
        }
    }
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
    let mut timings = Timings::new();
    timings.mark("discover");
    let manifests = installed_modules(&mut walk.files);
    let mut parsed: Vec<Parsed> = walk
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
    // Only files were named (the pre-commit case): load the local modules they call, and
    // later report only what is located in those files.
    let files_only = !walk.explicit.is_empty() && options.paths.iter().all(|p| !p.is_dir());
    if files_only && !options.isolate_files {
        follow_local_modules(&mut walk.files, &mut parsed, options);
    }

    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut tf_files = Vec::new();
    let mut templates: Vec<Node> = Vec::new();
    let mut suppressions: Vec<(FileId, suppress::Suppression)> = Vec::new();
    let mut files_analyzed = 0;
    for (f, p) in walk.files.iter().zip(parsed) {
        let (dir, name) = match f.name.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), f.name.clone()),
        };
        if !matches!(p.content, Content::NotOurs) {
            files_analyzed += 1;
        }
        let id = sources.add(SourceFile::new(f.name.clone(), f.path.clone(), p.text));
        if matches!(
            f.kind,
            FileKind::Terraform | FileKind::Tfvars | FileKind::Yaml
        ) && !matches!(p.content, Content::NotOurs)
        {
            let text = &sources.get(id).text;
            if text.contains("iacguard:")
                || text.contains("checkov:")
                || text.contains("tfsec:")
                || text.contains("trivy:")
            {
                suppressions.extend(
                    suppress::scan_comments(id, text)
                        .into_iter()
                        .map(|s| (id, s)),
                );
            }
        }
        if let Content::CloudFormation(root) = &p.content {
            suppressions.extend(suppress::scan_metadata(root).into_iter().map(|s| (id, s)));
        }
        diagnostics.extend(p.diagnostics);
        match p.content {
            Content::Terraform(body) => tf_files.push(terraform::TfFile {
                dir,
                name,
                body,
                is_tfvars: false,
            }),
            Content::Tfvars(body) => tf_files.push(terraform::TfFile {
                dir,
                name,
                body,
                is_tfvars: true,
            }),
            Content::CloudFormation(root) => templates.push(root),
            Content::NotOurs | Content::Failed => {}
        }
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

    let mut bad_paths = walk.bad_roots;
    let mut var_files = Vec::new();
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
        let id = sources.len() as FileId;
        let p = read_and_parse(&d, id, options.max_file_size, overlay(options, path));
        sources.add(SourceFile::new(d.name.clone(), d.path.clone(), p.text));
        diagnostics.extend(p.diagnostics);
        if let Content::Tfvars(body) = p.content {
            var_files.push(body);
        }
    }
    timings.mark("parse");
    let (mut instances, tf_diags) =
        terraform::evaluate(&tf_files, &options.terraform, &var_files, &manifests);
    drop(tf_files);
    diagnostics.extend(tf_diags);
    // Exports first, so that `Fn::ImportValue` in any template can see them.
    let mut exports = cloudformation::Exports::new();
    let per_template: Vec<cloudformation::Exports> = templates
        .par_iter()
        .map(|t| cloudformation::exports(t, &options.cloudformation))
        .collect();
    for e in per_template {
        for (name, v) in e {
            exports.entry(name).or_insert(v);
        }
    }
    // Nested stacks: a template that a parent's `AWS::CloudFormation::Stack` names by a
    // local `TemplateURL` is evaluated through its parents, with their `Parameters`.
    let by_name: std::collections::HashMap<&str, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (sources.get(t.span.file).name.as_str(), i))
        .collect();
    let child_of = |parent: usize, url: &str| -> Option<usize> {
        if url.contains("://") || url.starts_with("s3:") {
            return None;
        }
        let parent_name = &sources.get(templates[parent].span.file).name;
        let dir = parent_name.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = terraform::join_dir(dir, url)?;
        by_name.get(joined.as_str()).copied()
    };
    let mut nested: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    for (i, t) in templates.iter().enumerate() {
        for r in t.get("Resources").map(Node::entries).unwrap_or_default() {
            let url = r
                .value
                .get("Properties")
                .and_then(|p| p.get("TemplateURL"))
                .and_then(Node::as_str);
            if r.value.get("Type").and_then(Node::as_str) == Some("AWS::CloudFormation::Stack") {
                if let Some(c) = url.and_then(|u| child_of(i, u)).filter(|c| *c != i) {
                    nested.insert(c);
                }
            }
        }
    }
    let cfn: Vec<(Vec<ResourceInstance>, Vec<Diagnostic>)> = templates
        .par_iter()
        .enumerate()
        .filter(|(i, _)| !nested.contains(i))
        .map(|(_, t)| cloudformation::evaluate(t, &options.cloudformation, &exports))
        .collect();
    let mut pending: Vec<(usize, ResourceInstance)> = Vec::new();
    let push_stacks = |parent: usize,
                       insts: &[ResourceInstance],
                       pending: &mut Vec<(usize, ResourceInstance)>| {
        for r in insts
            .iter()
            .filter(|r| r.rtype == "AWS::CloudFormation::Stack")
        {
            if let Some(url) = r.body.get("TemplateURL").and_then(value::Value::as_str) {
                if let Some(c) = child_of(parent, url) {
                    pending.push((c, r.clone()));
                }
            }
        }
    };
    let file_index: std::collections::HashMap<FileId, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (t.span.file, i))
        .collect();
    for (inst, d) in cfn {
        if let Some(parent) = inst.first().and_then(|r| file_index.get(&r.header.file)) {
            push_stacks(*parent, &inst, &mut pending);
        }
        instances.extend(inst);
        diagnostics.extend(d);
    }
    let mut rounds = 0;
    while let Some((child, stack)) = pending.pop() {
        rounds += 1;
        if rounds > 1_000 || stack.call_sites.len() > 16 {
            break;
        }
        let parameters: Vec<(String, String)> = stack
            .body
            .get("Parameters")
            .and_then(value::Value::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.to_plain_string().map(|s| (k.clone(), s)))
                    .collect()
            })
            .unwrap_or_default();
        let mut call_sites = stack.call_sites.clone();
        call_sites.push(stack.header);
        let how = cloudformation::Instantiation {
            address_prefix: format!("{}.", stack.address),
            parameters,
            call_sites,
        };
        let (inst, d) =
            cloudformation::evaluate_as(&templates[child], &options.cloudformation, &exports, &how);
        push_stacks(child, &inst, &mut pending);
        instances.extend(inst);
        diagnostics.extend(d);
    }

    timings.mark("evaluate");
    let mut headers: std::collections::HashMap<(FileId, String), Vec<usize>> =
        std::collections::HashMap::new();
    let mut model = Model::default();
    for r in &instances {
        let line = sources
            .get(r.header.file)
            .position(r.header.start as usize)
            .line;
        headers
            .entry((r.header.file, r.address.clone()))
            .or_default()
            .push(line);
        model.add_instance(r);
        model::kms::adapt_consumers(r, &mut model);
        match r.framework {
            resource::Framework::Terraform => terraform::adapt::adapt(r, &mut model),
            resource::Framework::CloudFormation => cloudformation::adapt::adapt(r, &mut model),
        }
    }
    timings.mark("adapt");
    model.finish();

    timings.mark("link");
    let mut findings = rules::run(&model, &options.settings);
    explain_instances(&mut findings, &instances);
    let by_file: std::collections::HashMap<FileId, &Node> =
        templates.iter().map(|t| (t.span.file, t)).collect();
    for d in &mut findings {
        if let Some(t) = by_file.get(&d.primary.file) {
            d.logical_path = syntax::tree::path_to(t, d.primary);
        }
    }
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
    timings.mark("rules");
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
    Report {
        sources,
        diagnostics,
        model,
        files_analyzed,
        bad_paths,
        suppressed,
        baseline: baseline_stats,
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
