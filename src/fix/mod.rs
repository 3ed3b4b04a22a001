//! Fixes: what a rule proposes to change to resolve a finding, as data on the finding.
//!
//! A rule states its fix in terms of the model's spans ([`Change`]: set the value written
//! at a span, add an attribute to a resource's block, remove an element of a list);
//! [`resolve`] turns each into byte-range [`Edit`]s on the text as written, checking that
//! the text there is what the change expects and that the file still parses once the fix
//! is applied. [`apply`] applies them (`check --fix`), [`diff`] renders them.

pub mod apply;
pub mod diff;
mod locate;
mod render;
pub mod suggest;
mod tags;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap};

pub use crate::edit::{Change, Edit, Fix, Literal, Safety};
pub use apply::{fix_tree, FixOutcome, FixRequest};

/// Records, on the fixes of a Terraform root module's findings, which root proposed them
/// and how many roots reach the files they change (`reach`, by file).
pub fn mark_root(findings: &mut [Diagnostic], root: &str, reach: impl Fn(FileId) -> usize) {
    for d in findings {
        if let Some(fix) = d.fix.as_deref_mut() {
            if fix.roots.is_none() {
                let n = fix.files().into_iter().map(&reach).max().unwrap_or(1);
                fix.roots = Some((root.to_string(), n));
            }
        }
    }
}

/// A fix in a module that several root modules share is kept only when every root that
/// reaches the module proposes it (the same changes): applied once, it changes the module
/// for all of them. Called before the findings of several roots are merged.
pub fn agree_across_roots(diagnostics: &mut [Diagnostic]) {
    use std::collections::{BTreeSet, HashMap};
    let mut proposers: HashMap<&[Change], BTreeSet<&str>> = HashMap::new();
    for d in diagnostics.iter() {
        if let Some(Fix {
            changes,
            roots: Some((root, _)),
            ..
        }) = d.fix.as_deref()
        {
            proposers.entry(changes).or_default().insert(root);
        }
    }
    let short: BTreeSet<Vec<Change>> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_deref())
        .filter_map(|f| {
            let (_, reach) = f.roots.as_ref()?;
            let n = proposers.get(f.changes.as_slice()).map_or(0, BTreeSet::len);
            (n < *reach).then(|| f.changes.clone())
        })
        .collect();
    if short.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut() {
        if d.fix.as_ref().is_some_and(|f| short.contains(&f.changes)) {
            d.fix = None;
            let note = "no automatic fix: the module is shared by root modules for which it would not be right";
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h} ({note})"),
                None => note.to_string(),
            });
        }
    }
}

/// Turns the changes of every fix into byte-range edits on the texts as analysed. A fix
/// whose changes cannot be located, whose text is not what the change expects, or whose
/// result would not parse is dropped (the last with a note in the finding's help). Each
/// file is parsed once to locate its fixes, and once more with all the fixes that do not
/// overlap applied together; only when that fails is each checked alone.
pub fn resolve(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    // A plan is generated, not written: no fix edits one.
    let mut plans: BTreeMap<FileId, bool> = BTreeMap::new();
    for d in diagnostics.iter_mut() {
        let in_plan = d.fix.as_deref().is_some_and(|f| {
            f.files().iter().any(|id| {
                *plans.entry(*id).or_insert_with(|| {
                    let file = sources.get(*id);
                    file.name.ends_with(".json") && crate::plan::looks_like_plan(file.text())
                })
            })
        });
        if in_plan {
            d.fix = None;
        }
    }
    let mut by_file: BTreeMap<FileId, Vec<usize>> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if let Some(file) = d.fix.as_deref().and_then(|f| f.files().first().copied()) {
            by_file.entry(file).or_default().push(i);
        }
    }
    let groups: Vec<Vec<usize>> = by_file.into_values().collect();
    let shared: &[Diagnostic] = diagnostics;
    let outcomes: Vec<(usize, Result<Vec<Edit>, locate::Unresolved>)> = groups
        .par_iter()
        .flat_map_iter(|idxs| {
            let fixes: Vec<&Fix> = idxs
                .iter()
                .filter_map(|i| shared[*i].fix.as_deref())
                .collect();
            let texts = locate::texts(sources, &fixes);
            let located: Vec<(usize, Result<Vec<Edit>, locate::Unresolved>)> = idxs
                .iter()
                .zip(&fixes)
                .map(|(i, f)| (*i, locate::locate_fix(f, &texts)))
                .collect();
            check_group(located, &texts)
        })
        .collect();
    for (i, outcome) in outcomes {
        let d = &mut diagnostics[i];
        match outcome {
            Ok(edits) if !edits.is_empty() => {
                if let Some(fix) = d.fix.as_deref_mut() {
                    fix.edits = edits;
                }
            }
            Ok(_) | Err(locate::Unresolved::NotFound) => d.fix = None,
            Err(locate::Unresolved::WouldNotParse(why)) => {
                d.fix = None;
                let note =
                    format!("the automatic fix was dropped: the file would not parse ({why})");
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}; {note}"),
                    None => note,
                });
            }
        }
    }
}

/// Checks that the located fixes of a group leave their files parseable: all that do not
/// overlap together, then, if that fails, and for the others, one at a time.
fn check_group(
    located: Vec<(usize, Result<Vec<Edit>, locate::Unresolved>)>,
    texts: &locate::Texts<'_>,
) -> Vec<(usize, Result<Vec<Edit>, locate::Unresolved>)> {
    let mut together: Vec<&Edit> = Vec::new();
    let mut in_together = vec![false; located.len()];
    for (k, (_, r)) in located.iter().enumerate() {
        if let Ok(edits) = r {
            if edits
                .iter()
                .all(|e| together.iter().all(|t| !overlap(t, e)))
            {
                together.extend(edits);
                in_together[k] = true;
            }
        }
    }
    together.sort();
    let all_fine = !together.is_empty() && locate::check_applied(&together, texts).is_ok();
    located
        .into_iter()
        .zip(in_together)
        .map(|((i, r), joined)| match r {
            Ok(edits) if joined && all_fine => (i, Ok(edits)),
            Ok(edits) => {
                let refs: Vec<&Edit> = edits.iter().collect();
                match locate::check_applied(&refs, texts) {
                    Ok(()) => (i, Ok(edits)),
                    Err(e) => (i, Err(e)),
                }
            }
            Err(e) => (i, Err(e)),
        })
        .collect()
}

/// How many findings have a fix that `--fix` applies, and how many more `--unsafe-fixes`
/// would add.
pub fn fixable(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let count = |s: Safety| {
        diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == s))
            .count()
    };
    (count(Safety::Safe), count(Safety::Unsafe))
}

/// The syntax a file is written in, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `.tf`, `.tofu`, `.tfvars`
    Hcl,
    /// `.tf.json`, `.tofu.json`, `.tfvars.json`
    HclJson,
    Yaml,
    Json,
}

impl Syntax {
    pub fn of(name: &str) -> Option<Syntax> {
        use crate::discover::FileKind;
        Some(
            match crate::discover::classify(std::path::Path::new(name))? {
                FileKind::Terraform | FileKind::Tfvars => Syntax::Hcl,
                FileKind::TerraformJson | FileKind::TfvarsJson => Syntax::HclJson,
                FileKind::Yaml => Syntax::Yaml,
                FileKind::Json => Syntax::Json,
            },
        )
    }

    /// Whether `text` parses in this syntax: the first error otherwise.
    pub fn check(self, text: &str) -> Result<(), String> {
        let first = |errors: Vec<crate::syntax::SyntaxError>| match errors.into_iter().next() {
            Some(e) => Err(e.message),
            None => Ok(()),
        };
        let text = crate::syntax::without_bom(text);
        match self {
            Syntax::Hcl => first(crate::syntax::hcl::parse(&text, 0).errors),
            Syntax::HclJson | Syntax::Json => {
                let p = crate::syntax::json::parse(&text, 0);
                match (p.root, first(p.errors)) {
                    (_, Err(e)) => Err(e),
                    (None, _) => Err("no document".into()),
                    (Some(root), Ok(())) if self == Syntax::HclJson => {
                        first(crate::syntax::hcl::from_json(&root, 0).1)
                    }
                    _ => Ok(()),
                }
            }
            Syntax::Yaml => {
                let p = crate::syntax::yaml::parse(&text, 0);
                match (p.root, first(p.errors)) {
                    (_, Err(e)) => Err(e),
                    (None, _) => Err("no document".into()),
                    _ => Ok(()),
                }
            }
        }
    }
}

/// Applies sorted, non-overlapping edits of one file to its text.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0usize;
    for e in edits {
        let r = e.span.range();
        if r.start < at || r.end > text.len() {
            return None;
        }
        out.push_str(text.get(at..r.start)?);
        out.push_str(&e.replacement);
        at = r.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Whether two edits of one file touch the same bytes (two insertions at one place
/// count: their order would matter).
pub fn overlap(a: &Edit, b: &Edit) -> bool {
    a.span.file == b.span.file
        && (a.span.start < b.span.end && b.span.start < a.span.end
            || a.span.start == b.span.start
            || (a.span.start == a.span.end && a.span.start == b.span.end)
            || (b.span.start == b.span.end && b.span.start == a.span.end))
}

#[cfg(test)]
mod tests;

/// The module-path prefix of a Terraform reference name (`module.m.`), empty at the root:
/// a fix may write a reference only where it resolves (the same module instance).
pub fn module_prefix(ref_name: &str) -> &str {
    let local = crate::model::local_name(ref_name);
    &ref_name[..ref_name.len() - local.len()]
}
