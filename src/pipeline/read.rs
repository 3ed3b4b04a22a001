//! Reading: discovering the files of a scan, reading each within its limits (size,
//! regular files only, editor buffers first) and parsing it with the parser of its kind.

use super::{terraform, ScanOptions, Tree};
use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::discover::{self, BadPath, Discovered, FileKind};
use crate::source::{self, FileId, Span};
use crate::syntax::{self, tree::Node};
use rayon::prelude::*;
use std::path::Path;

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
    in_pool(options.threads, || {
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
    })
}

/// Runs `f` in a pool of `threads` workers (0: one per core) with room on their stacks
/// for deep expressions; on the current thread when no pool can be made.
pub(crate) fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(32 * 1024 * 1024)
        .build()
    {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// Discovers the files of a scan: the walk, the editor buffers not on disk yet, the
/// modules `terraform init` installed, and the local modules the files call (up to the
/// repository that holds the scan root, as Terraform reads them from a root module's
/// directory). Returns also the command-line paths that cannot be read at all.
pub(crate) fn tree(options: &ScanOptions) -> (Tree, Vec<BadPath>) {
    let mut walk = discover::discover(
        &options.root,
        &options.paths,
        rayon::current_num_threads(),
        &exclude_set(&options.exclude),
        !options.isolate_files,
    );
    add_unsaved_overlays(&mut walk, options);
    let plans = crate::pipeline::plan_input::take_plans(&mut walk, options);
    let manifests = terraform::installed_modules(&mut walk.files);
    let files_only = !walk.explicit.is_empty() && options.paths.iter().all(|p| !p.is_dir());
    let repository = discover::repository_root(&options.root).filter(|r| *r != options.root);
    if !options.isolate_files {
        if let Some(repo) = &repository {
            terraform::follow_local_modules(&mut walk.files, options, repo);
        } else if files_only {
            terraform::follow_local_modules(&mut walk.files, options, &options.root);
        }
    }
    let tree = Tree {
        files: walk.files,
        manifests,
        unreadable: walk.unreadable,
        explicit: walk.explicit,
        files_only,
        plans,
    };
    (tree, walk.bad_roots)
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

/// The directory part of a file name (`""` at the root).
pub(crate) fn dir_of(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(d, _)| d)
}

/// A file's text when it is a regular file within the size limit (or an editor buffer),
/// for a look before parsing; errors are reported when the file is parsed.
pub(crate) fn read_text(f: &Discovered, options: &ScanOptions) -> Option<String> {
    if let Some(text) = overlay(options, &f.path) {
        return Some(text.to_string());
    }
    read_regular(f, options).map(source::decode)
}

/// The bytes of a regular file within the size limit (never opening a FIFO or device).
pub(super) fn read_regular(f: &Discovered, options: &ScanOptions) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(&f.path).ok()?;
    if !meta.is_file() || meta.len() > options.max_file_size {
        return None;
    }
    std::fs::read(&f.path).ok()
}
