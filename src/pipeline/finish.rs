//! Finishing a scan once every group is analysed: the rules across groups, the logical
//! paths of template findings, redaction of secrets, deduplication, suppressions, the
//! baseline and the files-only filter; then the report.

use super::analyse::{Analysed, Collected, Unit};
use super::cloudformation::template_tree;
use super::timing::Clock;
use super::{Report, ScanOptions, Tree};
use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::discover::{self, BadPath};
use crate::model::Model;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::{baseline, rules, suppress, syntax};
use rayon::prelude::*;
use std::path::PathBuf;

pub(super) fn finish(
    tree: Tree,
    var_unit: Unit,
    mut c: Collected,
    usage_error: Option<String>,
    options: &ScanOptions,
    clock: &Clock,
) -> Report {
    let files = &tree.files;

    let empty_paths: Vec<PathBuf> = options
        .paths
        .iter()
        .filter(|p| p.is_dir())
        .filter(|p| {
            !files
                .iter()
                .zip(&c.analysed)
                .any(|(f, a)| *a && f.path.starts_with(p))
                && !tree.unreadable.iter().any(|u| u.path.starts_with(p))
        })
        .cloned()
        .collect();
    let mut sources = SourceMap::default();
    for (f, slot) in files.iter().zip(c.slots) {
        sources.add(
            slot.unwrap_or_else(|| SourceFile::new(f.name.clone(), f.path.clone(), String::new())),
        );
    }
    for u in &tree.unreadable {
        let id = sources.add(SourceFile::new(
            discover::relative_name(&options.root, &u.path),
            u.path.clone(),
            String::new(),
        ));
        c.diagnostics.push(Diagnostic::new(
            codes::FILE_SKIPPED,
            Severity::Error,
            Span::new(id, 0, 0),
            format!("cannot read: {}", u.error),
        ));
        c.files_analyzed += 1;
    }
    for (_, f) in var_unit.files {
        sources.add(f);
    }
    c.diagnostics.extend(var_unit.diagnostics);
    clock.mark("parse+evaluate");
    clock.report_phases();
    clock.line("security attributes", || {
        let [seen, unknown, uncaused] = &crate::terraform::SECURITY_ATTRIBUTES;
        let n = |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
        format!(
            "{} set, {} left unknown by a construct, {} unknown with no construct found",
            n(seen),
            n(unknown),
            n(uncaused)
        )
    });

    let Analysed {
        mut findings,
        mut facts,
        headers: header_lines,
        keys,
        audit,
        ..
    } = c.results;
    let mut headers: std::collections::HashMap<(FileId, String), Vec<usize>> =
        std::collections::HashMap::new();
    for (key, line) in header_lines {
        headers.entry(key).or_default().push(line);
    }
    clock.line("across groups", || {
        format!(
            "{} findings; rule summaries (entries): {:?}",
            findings.len(),
            facts.summaries.sizes()
        )
    });
    findings.extend(rules::release_deferred(&mut facts));
    findings.extend(rules::run_tree(&facts, &options.settings));
    let keys = Model::keys_of(keys, &facts.alias_names);
    drop(facts);
    clock.mark("rules across groups");
    // Logical paths (`Resources.Key.Properties.X`) of the findings not named while their
    // template's tree was at hand (those reported across groups): their templates are
    // parsed again, from their text.
    let mut by_template: std::collections::BTreeMap<FileId, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (k, d) in findings.iter().enumerate() {
        if d.logical_path.is_none() && c.templates.contains(&d.primary.file) {
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
    clock.mark("logical paths");
    for d in &findings {
        for span in &d.redact {
            sources.redact(*span);
        }
    }
    let mut diagnostics = c.diagnostics;
    diagnostics.extend(findings);
    // Values given on the command line have no place in a file: drop labels that would
    // point nowhere.
    let n = sources.len() as FileId;
    for d in &mut diagnostics {
        d.labels
            .retain(|l| l.span.file < n && l.span != Span::default());
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    crate::fix::agree_across_roots(&mut diagnostics);
    // The same module instantiated by several root modules yields the same finding at the
    // same place: report it once.
    diagnostics
        .dedup_by(|a, b| a.rule == b.rule && a.primary == b.primary && a.message == b.message);
    clock.mark("sort");
    let (mut diagnostics, mut suppressed) =
        suppress::apply(diagnostics, &c.suppressions, &headers, &sources, |id| {
            rules::find(id).is_some_and(|m| m.enabled(&options.settings))
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
            Err(e) => c.bad_paths.push(BadPath {
                path: path.clone(),
                error: e,
            }),
        }
    }
    if tree.files_only {
        let named: std::collections::BTreeSet<&str> =
            tree.explicit.iter().map(String::as_str).collect();
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
    clock.mark("suppress");
    crate::fix::resolve(&mut diagnostics, &sources);
    clock.mark("fixes");
    Report {
        sources,
        diagnostics,
        keys,
        audit,
        files_analyzed: c.files_analyzed,
        bad_paths: c.bad_paths,
        empty_paths,
        suppressed,
        baseline: baseline_stats,
        usage_error,
        // Set by the caller, which knows the plans.
        plans: Vec::new(),
    }
}
