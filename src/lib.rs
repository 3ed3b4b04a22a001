//! iacguard: an offline static analyzer for Terraform and CloudFormation.
//!
//! The pipeline: [`discover`] → parse ([`syntax`]) → evaluate ([`terraform`],
//! [`cloudformation`]) → adapt → [`model`] → [`rules`] → [`report`].

pub mod cloudformation;
pub mod diagnostic;
pub mod discover;
pub mod model;
pub mod report;
pub mod resource;
pub mod rules;
pub mod settings;
pub mod source;
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
}

impl Report {
    /// Whether anything calls for attention: rule findings and files that could not be
    /// analysed. Evaluation notes (an unresolved registry module) are information only.
    pub fn has_findings(&self) -> bool {
        self.diagnostics.iter().any(|d| d.rule != codes::EVAL_NOTE)
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

fn read_and_parse(f: &Discovered, id: FileId, max_size: u64) -> Parsed {
    let fail = |msg: String, text: String, span: Span, code: &str| Parsed {
        text,
        content: Content::Failed,
        diagnostics: vec![Diagnostic::new(code, Severity::Error, span, msg)],
    };
    let empty = Span::new(id, 0, 0);
    match std::fs::metadata(&f.path) {
        Ok(m) if m.len() > max_size => {
            return fail(
                format!(
                    "file is {} bytes, over the {} byte limit; not analysed",
                    m.len(),
                    max_size
                ),
                String::new(),
                empty,
                codes::FILE_SKIPPED,
            )
        }
        _ => {}
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                format!("cannot read file: {e}"),
                String::new(),
                empty,
                codes::FILE_SKIPPED,
            )
        }
    };
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
                // A document that fails to parse is reported only when it says it is a
                // template: other YAML (CI workflows, Kubernetes) is not ours.
                None if text.contains("AWSTemplateFormatVersion") => {
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

fn scan_inner(options: &ScanOptions) -> Report {
    let walk = discover::discover(&options.root, &options.paths, rayon::current_num_threads());
    let parsed: Vec<Parsed> = walk
        .files
        .par_iter()
        .enumerate()
        .map(|(i, f)| read_and_parse(f, i as FileId, options.max_file_size))
        .collect();

    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut tf_files = Vec::new();
    let mut templates: Vec<Node> = Vec::new();
    let mut files_analyzed = 0;
    for (f, p) in walk.files.iter().zip(parsed) {
        let (dir, name) = match f.name.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), f.name.clone()),
        };
        if !matches!(p.content, Content::NotOurs) {
            files_analyzed += 1;
        }
        sources.add(SourceFile::new(f.name.clone(), f.path.clone(), p.text));
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

    let (mut instances, tf_diags) = terraform::evaluate(&tf_files, &options.terraform);
    drop(tf_files);
    diagnostics.extend(tf_diags);
    let cfn: Vec<(Vec<ResourceInstance>, Vec<Diagnostic>)> = templates
        .par_iter()
        .map(|t| cloudformation::evaluate(t, &options.cloudformation))
        .collect();
    for (inst, d) in cfn {
        instances.extend(inst);
        diagnostics.extend(d);
    }

    let mut model = Model {
        file_dirs: sources
            .files()
            .iter()
            .map(|f| f.name.rsplit_once('/').map_or("", |(d, _)| d).to_string())
            .collect(),
        ..Model::default()
    };
    for r in &instances {
        match r.framework {
            resource::Framework::Terraform => terraform::adapt::adapt(r, &mut model),
            resource::Framework::CloudFormation => cloudformation::adapt::adapt(r, &mut model),
        }
    }
    model.finish();

    diagnostics.extend(rules::run(&model, &options.settings));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Report {
        sources,
        diagnostics,
        model,
        files_analyzed,
        bad_paths: walk.bad_roots,
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
