//! The configuration a plan was made from, when it is in the scanned tree: a planned
//! resource's block, found by its address through the module calls, and the spans of what
//! the block writes.

use crate::source::Span;
use crate::syntax::hcl::{Block, Body, Expr, ExprKind, Step, TemplatePart};
use crate::terraform::{self, TfFile};
use std::collections::{BTreeMap, HashMap};

/// The modules of one Terraform root module, parsed.
pub struct SourceTree<'a> {
    root_dir: String,
    blocks: HashMap<&'a str, Vec<&'a Block>>,
    /// The root module's `modules.json`: module key (`a.b`) to directory.
    installed: Option<&'a BTreeMap<String, String>>,
}

/// A planned resource's block, with the module calls that lead to it (outermost first).
pub struct Located<'a> {
    pub block: &'a Block,
    pub call_sites: Vec<Span>,
}

impl<'a> SourceTree<'a> {
    pub fn new(
        root_dir: &str,
        files: &[&'a TfFile],
        manifests: &'a terraform::Manifests,
    ) -> SourceTree<'a> {
        let mut blocks: HashMap<&'a str, Vec<&'a Block>> = HashMap::new();
        for f in files.iter().filter(|f| !f.is_tfvars) {
            blocks
                .entry(f.dir.as_str())
                .or_default()
                .extend(f.body.blocks.iter());
        }
        SourceTree {
            root_dir: root_dir.to_string(),
            blocks,
            installed: manifests.get(root_dir),
        }
    }

    /// The block of a resource, by its module calls (names) and its local address
    /// (`aws_kms_key.a`, `data.aws_kms_key.a`); `None` when a module on the way is not in
    /// the tree (a registry module not downloaded).
    pub fn locate(&self, calls: &[&str], local: &str) -> Option<Located<'a>> {
        let (dir, call_sites) = self.module_dir(calls)?;
        let (kind, rest) = match local.strip_prefix("data.") {
            Some(rest) => ("data", rest),
            None => ("resource", local),
        };
        let (rtype, name) = rest.split_once('.')?;
        let block = self.blocks.get(dir.as_str())?.iter().find(|b| {
            b.kind == kind && b.labels.len() == 2 && b.labels[0] == rtype && b.labels[1] == name
        })?;
        Some(Located { block, call_sites })
    }

    /// The expression of the local value `name` in the module its calls lead to.
    pub fn local(&self, calls: &[&str], name: &str) -> Option<&'a Expr> {
        let (dir, _) = self.module_dir(calls)?;
        self.blocks
            .get(dir.as_str())?
            .iter()
            .filter(|b| b.kind == "locals")
            .find_map(|b| b.body.attr(name))
            .map(|a| &a.expr)
    }

    /// The directory of the module the calls lead to, with the calls' headers.
    fn module_dir(&self, calls: &[&str]) -> Option<(String, Vec<Span>)> {
        let mut dir = self.root_dir.clone();
        let mut key = String::new();
        let mut call_sites = Vec::new();
        for name in calls {
            let call = self.blocks.get(dir.as_str())?.iter().find(|b| {
                b.kind == "module" && b.labels.first().map(String::as_str) == Some(name)
            })?;
            call_sites.push(call.header);
            key = if key.is_empty() {
                name.to_string()
            } else {
                format!("{key}.{name}")
            };
            dir = terraform::local_source_of(&dir, call)
                .or_else(|| self.installed.and_then(|m| m.get(&key)).cloned())?;
        }
        Some((dir, call_sites))
    }
}

/// The references of an expression as a plan's configuration lists them: each traversal
/// with its static steps (`aws_kms_key.a["x"].arn`), then its shorter forms down to the
/// resource (`aws_kms_key.a["x"]`, `aws_kms_key.a`).
pub fn references(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        if out.len() > 256 {
            break;
        }
        match &e.kind {
            ExprKind::Var(name) => out.push(name.clone()),
            ExprKind::Traversal(base, steps) => {
                let ExprKind::Var(root) = &base.kind else {
                    stack.push(base);
                    push_indexes(steps, &mut stack);
                    continue;
                };
                let mut forms = vec![root.clone()];
                let mut text = root.clone();
                for step in steps {
                    let next = match step {
                        Step::Attr(a) => format!(".{a}"),
                        Step::Index(Expr {
                            kind: ExprKind::Str(k),
                            ..
                        }) => format!("[{}]", serde_json::Value::from(k.as_str())),
                        Step::Index(Expr {
                            kind: ExprKind::Number(n),
                            ..
                        }) if n.fract() == 0.0 && *n >= 0.0 => format!("[{n}]"),
                        _ => break,
                    };
                    text.push_str(&next);
                    forms.push(text.clone());
                }
                push_indexes(steps, &mut stack);
                // A variable or local is named alone (`var.x`); a resource by its longest
                // form first, down to the resource (two steps, or three for `data.`).
                if matches!(root.as_str(), "var" | "local" | "each" | "count") {
                    out.extend(forms.into_iter().nth(1));
                } else {
                    let least = if root == "data" { 3 } else { 2 };
                    let keep = forms.len().saturating_sub(least - 1).max(1);
                    out.extend(forms.into_iter().rev().take(keep));
                }
            }
            ExprKind::Template(parts) => {
                for p in parts.iter().rev() {
                    if let TemplatePart::Interp(x) = p {
                        stack.push(x);
                    }
                }
            }
            ExprKind::Tuple(items) => stack.extend(items.iter().rev()),
            ExprKind::Object(entries) => {
                for (k, v) in entries.iter().rev() {
                    stack.push(v);
                    stack.push(k);
                }
            }
            ExprKind::Call(_, args, _) => stack.extend(args.iter().rev()),
            ExprKind::Cond(a, b, c) => {
                stack.push(c);
                stack.push(b);
                stack.push(a);
            }
            ExprKind::Unary(_, a) => stack.push(a),
            ExprKind::Binary(_, a, b) => {
                stack.push(b);
                stack.push(a);
            }
            // A `for` expression names what it iterates, and its own symbols: not one
            // resource attribute.
            ExprKind::For(_) | ExprKind::Opaque => out.push("for".to_string()),
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Str(_) => {}
        }
    }
    out
}

fn push_indexes<'e>(steps: &'e [Step], stack: &mut Vec<&'e Expr>) {
    for s in steps.iter().rev() {
        if let Step::Index(x) = s {
            if !matches!(x.kind, ExprKind::Str(_) | ExprKind::Number(_)) {
                stack.push(x);
            }
        }
    }
}

/// Whether an expression is a literal (what it writes is its value).
pub fn is_literal(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Str(_) => true,
        ExprKind::Template(parts) => parts.iter().all(|p| matches!(p, TemplatePart::Lit(_))),
        _ => false,
    }
}

/// Where a value of a planned resource is written in its block.
#[derive(Clone, Copy)]
pub enum Written<'a> {
    /// A block (the resource, or a nested block): its body, and the span that stands for it.
    Block(&'a Body, Span),
    /// An argument's expression (values inside it are placed on it).
    Expr(&'a Expr),
}

impl<'a> Written<'a> {
    pub fn span(&self) -> Span {
        match self {
            Written::Block(_, s) => *s,
            Written::Expr(e) => e.span,
        }
    }

    /// Where the entry `key` of this value is written: an argument, or the `index`-th
    /// nested block of that name; `None` when the block does not write it.
    pub fn entry(&self, key: &str, index: Option<usize>) -> Option<Written<'a>> {
        let Written::Block(body, _) = self else {
            return None;
        };
        if let Some(a) = body.attr(key) {
            return Some(Written::Expr(&a.expr));
        }
        let b = body
            .blocks
            .iter()
            .filter(|b| b.kind == key)
            .nth(index.unwrap_or(0))?;
        Some(Written::Block(&b.body, b.header))
    }

    /// The nested blocks of a list-valued entry: `Some` only when the block writes that
    /// many (a `dynamic` block writes none of them).
    pub fn blocks(&self, key: &str, count: usize) -> Option<Vec<Written<'a>>> {
        let Written::Block(body, _) = self else {
            return None;
        };
        let found: Vec<Written<'a>> = body
            .blocks
            .iter()
            .filter(|b| b.kind == key)
            .map(|b| Written::Block(&b.body, b.header))
            .collect();
        (found.len() == count && count > 0).then_some(found)
    }
}
