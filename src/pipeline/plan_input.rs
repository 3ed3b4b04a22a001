//! Plans among the scanned files (and `--plan` files): found, read, and matched to the
//! Terraform root module they plan.

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::discover::{self, Discovered, FileKind, Walk};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{self, tree::Node};
use crate::ScanOptions;
use std::path::PathBuf;

/// A plan file of the scan.
pub(crate) struct PlanInput {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    /// Named on the command line (or with `--plan`).
    pub(crate) explicit: bool,
    text: String,
    pub(crate) id: FileId,
    pub(crate) tree: Option<Node>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The root module directory of the scan that the plan plans, when its configuration
    /// is in the tree.
    pub(crate) root: Option<String>,
}

/// Takes the plans out of the walk's files, with those given by `--plan`; a plan named on
/// the command line brings the configuration of its directory (its source), unless named
/// files are analysed on their own ([`ScanOptions::isolate_files`]).
pub(crate) fn take_plans(walk: &mut Walk, options: &ScanOptions) -> Vec<PlanInput> {
    let mut plans = Vec::new();
    let mut candidates: Vec<(Discovered, bool)> = Vec::new();
    let mut kept = Vec::with_capacity(walk.files.len());
    for f in std::mem::take(&mut walk.files) {
        if f.kind == FileKind::Json {
            let explicit = walk.explicit.contains(&f.name);
            candidates.push((f, explicit));
        } else {
            kept.push(f);
        }
    }
    for p in &options.plans {
        if candidates.iter().any(|(f, _)| &f.path == p) {
            for (f, explicit) in &mut candidates {
                if &f.path == p {
                    *explicit = true;
                }
            }
            continue;
        }
        let name = discover::relative_name(&options.root, p);
        candidates.push((
            Discovered {
                path: p.to_path_buf(),
                name,
                kind: FileKind::Json,
            },
            true,
        ));
    }
    let exclude = crate::pipeline::read::exclude_set(&options.exclude);
    for (f, explicit) in candidates {
        match read_plan_text(&f, explicit, options) {
            Some(text) => {
                if explicit && !options.isolate_files {
                    if let Some(dir) = f.path.parent() {
                        for m in discover::module_files(&options.root, dir, &exclude) {
                            if !kept.iter().any(|k: &Discovered| k.name == m.name) {
                                kept.push(m);
                            }
                        }
                    }
                }
                plans.push(PlanInput {
                    path: f.path,
                    name: f.name,
                    explicit,
                    text,
                    id: 0,
                    tree: None,
                    diagnostics: Vec::new(),
                    root: None,
                });
            }
            None if options.plans.contains(&f.path) => {
                // Given as a plan, and not one: say so.
                plans.push(PlanInput {
                    path: f.path,
                    name: f.name,
                    explicit,
                    text: String::new(),
                    id: 0,
                    tree: None,
                    diagnostics: Vec::new(),
                    root: None,
                });
            }
            None => kept.push(f),
        }
    }
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    kept.dedup_by(|a, b| a.name == b.name);
    walk.files = kept;
    plans.sort_by(|a, b| a.name.cmp(&b.name));
    plans.dedup_by(|a, b| a.name == b.name);
    plans
}

/// The text of a JSON file that looks like a plan (see [`crate::plan::looks_like_plan`]).
fn read_plan_text(f: &Discovered, explicit: bool, options: &ScanOptions) -> Option<String> {
    let meta = std::fs::metadata(&f.path).ok()?;
    if !meta.is_file() || meta.len() > crate::plan::MAX_PLAN_SIZE {
        return None;
    }
    // A large JSON file found by the walk is read whole only when it starts as
    // `terraform show -json` writes a plan; one named on the command line always is.
    if !explicit
        && meta.len() > options.max_file_size
        && crate::pipeline::read::overlay(options, &f.path).is_none()
    {
        use std::io::Read;
        let mut head = [0u8; 256];
        let n = std::fs::File::open(&f.path)
            .and_then(|mut h| h.read(&mut head))
            .ok()?;
        if !String::from_utf8_lossy(&head[..n]).contains("\"format_version\"") {
            return None;
        }
    }
    let text = match crate::pipeline::read::overlay(options, &f.path) {
        Some(t) => t.to_string(),
        None => crate::source::decode(std::fs::read(&f.path).ok()?),
    };
    crate::plan::looks_like_plan(&text).then_some(text)
}

impl PlanInput {
    /// Parses the plan as file `id`.
    pub(crate) fn parse(&mut self, id: FileId) {
        self.id = id;
        if self.text.is_empty() {
            self.diagnostics.push(Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                Span::new(id, 0, 0),
                "not a Terraform plan (`terraform show -json tfplan` writes one: an object with `format_version` and `planned_values` or `resource_changes`); not analysed",
            ));
            return;
        }
        let p = syntax::json::parse(&syntax::without_bom(&self.text), id);
        for e in p.errors {
            self.diagnostics.push(Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                e.span,
                format!("plan: {}", e.message),
            ));
        }
        match p.root {
            Some(root) if crate::plan::is_plan(&root) => self.tree = Some(root),
            Some(root) => self.diagnostics.push(Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                Span::new(id, root.span.start as usize, root.span.start as usize + 1),
                "not a Terraform plan: no `format_version` with `planned_values` or `resource_changes` at the top level; not analysed",
            )),
            None => {}
        }
    }

    /// The file for the report: its text read again when needed, its secrets blanked.
    pub(crate) fn source_file(&mut self) -> SourceFile {
        let text = std::mem::take(&mut self.text);
        let mut f = SourceFile::on_disk(self.name.clone(), self.path.clone(), text);
        if let Some(tree) = &self.tree {
            for span in crate::plan::sensitive(tree) {
                f.redact(span);
            }
        }
        f.release();
        f
    }

    /// The plan's directory, as a module directory name.
    pub(crate) fn dir(&self) -> &str {
        crate::pipeline::read::dir_of(&self.name)
    }
}

/// Matches each plan to the root module it plans: the root in the plan's own directory;
/// else, for a plan given on the command line, the only root of the scan.
pub(crate) fn assign_roots(plans: &mut [PlanInput], roots: &[String]) {
    for p in plans.iter_mut().filter(|p| p.tree.is_some()) {
        let dir = p.dir().to_string();
        p.root = if roots.contains(&dir) {
            Some(dir)
        } else if p.explicit && roots.len() == 1 {
            Some(roots[0].clone())
        } else {
            None
        };
    }
    // One plan a root: the first by name.
    let mut seen = std::collections::BTreeSet::new();
    for p in plans.iter_mut() {
        if let Some(r) = &p.root {
            if !seen.insert(r.clone()) {
                p.root = None;
            }
        }
    }
}
