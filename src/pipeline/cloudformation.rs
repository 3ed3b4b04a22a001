//! CloudFormation: the templates of the tree, their exports and imports, nested stacks
//! evaluated through their parents, and the templates Terraform deploys.

use super::analyse::{Adapted, Analysed, Collected, Unit};
use super::read::{dir_of, overlay, read_and_parse, Content};
use super::timing::{Clock, Phase};
use super::{ScanOptions, Tree};
use crate::cloudformation;
use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::discover::{Discovered, FileKind};
use crate::model;
use crate::resource::ResourceInstance;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{self, tree::Node};
use crate::value::Value;
use rayon::prelude::*;

/// Analyses the CloudFormation templates of the tree: a first pass over each (parse,
/// exports, nested stacks; evaluated at once when it needs no other template), then the
/// templates that import values once every export is known, the nested stacks through
/// their parents with their `Parameters`, and the templates Terraform deploys
/// (`aws_cloudformation_stack`) with the stack's parameters.
pub(super) fn analyse(tree: &Tree, options: &ScanOptions, clock: &Clock, out: &mut Collected) {
    let files = &tree.files;
    let candidates: Vec<usize> = (0..files.len())
        .filter(|i| matches!(files[*i].kind, FileKind::Yaml | FileKind::Json))
        .collect();
    let mut passes: Vec<TemplatePass> = candidates
        .par_iter()
        .map(|i| template_pass(*i, &files[*i], options, clock))
        .collect();

    // Templates that Terraform deploys (`aws_cloudformation_stack`): analysed once every
    // template is known, with the stack's parameters.
    let tf_stacks: Vec<ResourceInstance> = std::mem::take(&mut out.results.stacks);

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
        let joined = crate::discover::join_dir(dir, url)?;
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
            let (root, file) = reparse_template(i, &files[i], options, clock)?;
            let (inst, diags) = clock.time(Phase::Evaluate, || {
                cloudformation::evaluate_as(
                    &root,
                    &options.cloudformation,
                    &exports,
                    &cloudformation::Instantiation {
                        files: local_files(&files[i], options),
                        ..Default::default()
                    },
                )
            });
            let commented = !passes[*k].unit.suppressions.is_empty();
            let (a, _) = Adapted::of_template(inst, &file, commented, clock).analyse_template(
                &root,
                &exported,
                &passes[*k].exports,
                options,
                clock,
            );
            Some((*k, (a, diags)))
        })
        .collect();
    for (k, e) in late_results {
        passes[k].evaluated = Some(Box::new(e));
    }
    out.templates = passes
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
            if let Some(url) = r.body.get("TemplateURL").and_then(Value::as_str) {
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
        out.take(unit);
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
        how.files = local_files(&files[candidates[child]], options);
        let i = candidates[child];
        let Some((root, file)) = children
            .entry(child)
            .or_insert_with(|| reparse_template(i, &files[i], options, clock))
        else {
            continue;
        };
        let (inst, d) = clock.time(Phase::Evaluate, || {
            cloudformation::evaluate_as(root, &options.cloudformation, &exports, &how)
        });
        let commented = out.suppressions.iter().any(|(f, _)| *f == i as FileId);
        let none = cloudformation::Exports::new();
        let (mut a, _) = Adapted::of_template(inst, file, commented, clock)
            .analyse_template(root, &exported, &none, options, clock);
        push_stacks(child, &a.stacks, &mut pending);
        a.stacks.clear();
        out.results.merge(a);
        out.diagnostics.extend(d);
    }
    drop(children);
    for stack in &tf_stacks {
        let Some((root, file)) = deployed_template(
            stack,
            files,
            &candidates,
            &out.slots,
            options,
            clock,
            &mut out.diagnostics,
        ) else {
            continue;
        };
        let mut how = stack_instantiation(stack, "parameters");
        how.files = files
            .get(root.span.file as usize)
            .and_then(|f| local_files(f, options));
        let (inst, d) = clock.time(Phase::Evaluate, || {
            cloudformation::evaluate_as(&root, &options.cloudformation, &exports, &how)
        });
        let commented = out.suppressions.iter().any(|(f, _)| *f == root.span.file);
        let none = cloudformation::Exports::new();
        let (mut a, _) = Adapted::of_template(inst, &file, commented, clock)
            .analyse_template(&root, &exported, &none, options, clock);
        a.stacks.clear();
        out.results.merge(a);
        out.diagnostics.extend(d);
    }
    drop(tf_stacks);
}

/// How a stack resource instantiates its template: its parameters (`Parameters` of an
/// `AWS::CloudFormation::Stack`, `parameters` of a Terraform `aws_cloudformation_stack`),
/// those not statically known as Unknown, and the stack as the call site.
fn stack_instantiation(stack: &ResourceInstance, key: &str) -> cloudformation::Instantiation {
    let mut parameters = Vec::new();
    let mut unknown_parameters = Vec::new();
    if let Some(m) = stack.body.get(key).and_then(Value::as_map) {
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
        return reparse_template(i, &files[i], options, clock);
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

/// Where a template's included files are read from: its directory, inside the scanned
/// directory that holds it (the directory of a template named on its own).
pub(crate) fn local_files(
    f: &Discovered,
    options: &ScanOptions,
) -> Option<cloudformation::LocalFiles> {
    let dir = f.path.parent()?.to_path_buf();
    let root = options
        .paths
        .iter()
        .filter_map(|p| {
            if *p == f.path {
                Some(dir.clone())
            } else {
                f.path.starts_with(p).then(|| p.clone())
            }
        })
        .min_by_key(|p| p.components().count())?;
    Some(cloudformation::LocalFiles { dir, root })
}

/// A CloudFormation candidate after its first pass.
#[derive(Default)]
pub(crate) struct TemplatePass {
    pub(crate) unit: Unit,
    /// A parsed template.
    pub(crate) template: bool,
    pub(crate) exports: cloudformation::Exports,
    /// Local `TemplateURL`s of its nested stacks, as written.
    pub(crate) children: Vec<String>,
    /// Its evaluation on its own, unless it imports values (evaluated once every export is
    /// known).
    pub(crate) evaluated: Option<Box<(Analysed, Vec<Diagnostic>)>>,
    /// What importers need of the resources it exports.
    pub(crate) exported: Option<Box<model::Exported>>,
}

/// Parses a CloudFormation candidate, gathers its exports and nested stacks, evaluates it
/// when it needs no other template, and drops its tree.
pub(crate) fn template_pass(
    i: usize,
    f: &Discovered,
    options: &ScanOptions,
    clock: &Clock,
) -> TemplatePass {
    let id = i as FileId;
    let overlay = overlay(options, &f.path);
    let p = clock.time(Phase::Parse, || {
        read_and_parse(f, id, options.max_file_size, overlay)
    });
    let mut out = TemplatePass::default();
    if let Content::CloudFormation(root) = out.unit.add(id, f, p, overlay.is_some()) {
        out.template = true;
        out.exports = cloudformation::exports(&root, &options.cloudformation);
        out.children = stack_urls(&root);
        let imports = contains_key(&root, "Fn::ImportValue");
        // One that imports values is evaluated later, once every export is known; what
        // it exports is needed before, by its own importers.
        if !imports || !out.exports.is_empty() {
            let (instances, diags) = clock.time(Phase::Evaluate, || {
                cloudformation::evaluate_as(
                    &root,
                    &options.cloudformation,
                    &cloudformation::Exports::new(),
                    &cloudformation::Instantiation {
                        files: local_files(f, options),
                        ..Default::default()
                    },
                )
            });
            let adapted = out.unit.adapt(instances, clock);
            if imports {
                out.exported = adapted.exported(&out.exports, clock);
            } else {
                let nothing = model::Exported::default();
                let (analysed, exported) =
                    adapted.analyse_template(&root, &nothing, &out.exports, options, clock);
                out.exported = exported;
                out.evaluated = Some(Box::new((analysed, diags)));
            }
        }
    }
    out.unit.release();
    out
}

/// The literal local-looking `TemplateURL`s of a template's nested stacks.
pub(crate) fn stack_urls(root: &Node) -> Vec<String> {
    root.get("Resources")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.value.get("Type").and_then(Node::as_str) == Some("AWS::CloudFormation::Stack")
        })
        .filter_map(|r| {
            r.value
                .get("Properties")
                .and_then(|p| p.get("TemplateURL"))
                .and_then(Node::as_str)
                .map(str::to_string)
        })
        .collect()
}

/// Whether a map key appears anywhere in a tree.
pub(crate) fn contains_key(root: &Node, key: &str) -> bool {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.kind {
            syntax::tree::NodeKind::Map(entries) => {
                for e in entries {
                    if e.key == key {
                        return true;
                    }
                    stack.push(&e.value);
                }
            }
            syntax::tree::NodeKind::Seq(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// Parses a template again (one that imports values, a nested stack): its tree and a
/// line index of its text for the header lines.
pub(crate) fn reparse_template(
    i: usize,
    f: &Discovered,
    options: &ScanOptions,
    clock: &Clock,
) -> Option<(Node, SourceFile)> {
    let id = i as FileId;
    let p = clock.time(Phase::Parse, || {
        read_and_parse(f, id, options.max_file_size, overlay(options, &f.path))
    });
    match p.content {
        Content::CloudFormation(root) => Some((
            root,
            SourceFile::new(f.name.clone(), f.path.clone(), p.text),
        )),
        _ => None,
    }
}

/// The tree of a template from its text (to name the logical path of its findings).
pub(crate) fn template_tree(kind: FileKind, text: &str, id: FileId) -> Option<Node> {
    match kind {
        FileKind::Yaml => syntax::yaml::parse(text, id).root,
        FileKind::Json => syntax::json::parse(&syntax::without_bom(text), id).root,
        _ => None,
    }
}
