//! The configuration a plan was made from, when it is in the scanned tree: a planned
//! resource's block, found by its address through the module calls, and the spans of what
//! the block writes.

use crate::source::Span;
use crate::syntax::hcl::{Block, Body};
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
}

/// Where a value of a planned resource is written in its block.
#[derive(Clone, Copy)]
pub enum Written<'a> {
    /// A block (the resource, or a nested block): its body, and the span that stands for it.
    Block(&'a Body, Span),
    /// An argument's expression (values inside it are placed on it).
    Expr(Span),
}

impl<'a> Written<'a> {
    pub fn span(&self) -> Span {
        match self {
            Written::Block(_, s) | Written::Expr(s) => *s,
        }
    }

    /// Where the entry `key` of this value is written: an argument, or the `index`-th
    /// nested block of that name; `None` when the block does not write it.
    pub fn entry(&self, key: &str, index: Option<usize>) -> Option<Written<'a>> {
        let Written::Block(body, _) = self else {
            return None;
        };
        if let Some(a) = body.attr(key) {
            return Some(Written::Expr(a.expr.span));
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
