//! Analysing one group: a root module's or a template's resources adapted onto the
//! model, linked, checked by the rules, and dropped; what stays is the findings and what
//! the rules across groups need.

use super::read::{Content, Parsed};
use super::timing::{Clock, Phase};
use super::ScanOptions;
use crate::diagnostic::Diagnostic;
use crate::discover::{BadPath, Discovered, FileKind};
use crate::model::{self, Model};
use crate::resource::{self, InstanceNote, ResourceInstance};
use crate::rules::{self, TreeFacts};
use crate::source::{FileId, SourceFile};
use crate::syntax::{self, tree::Node};
use crate::{cloudformation, suppress};

/// What the groups of a scan leave, gathered as they finish.
pub(crate) struct Collected {
    /// The text (or released text) of each file of the tree, by id.
    pub(crate) slots: Vec<Option<SourceFile>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) suppressions: Vec<(FileId, suppress::Suppression)>,
    pub(crate) files_analyzed: usize,
    /// Whether each file of the tree was analysed as Terraform or CloudFormation.
    pub(crate) analysed: Vec<bool>,
    /// Findings, and what the rules that span groups need.
    pub(crate) results: Analysed,
    /// Paths that could not be read at all (command-line paths, `--var-file`s, the
    /// baseline).
    pub(crate) bad_paths: Vec<BadPath>,
    /// The files parsed as CloudFormation templates.
    pub(crate) templates: std::collections::BTreeSet<FileId>,
}

impl Collected {
    pub(crate) fn new(files: usize, bad_paths: Vec<BadPath>) -> Collected {
        Collected {
            slots: (0..files).map(|_| None).collect(),
            diagnostics: Vec::new(),
            suppressions: Vec::new(),
            files_analyzed: 0,
            analysed: vec![false; files],
            results: Analysed::default(),
            bad_paths,
            templates: Default::default(),
        }
    }

    /// Takes in what a group left.
    pub(crate) fn take(&mut self, u: Unit) {
        for (id, f) in u.files {
            if let Some(slot) = self.slots.get_mut(id as usize) {
                *slot = Some(f);
            }
        }
        self.files_analyzed += u.analysed.len();
        for id in u.analysed {
            if let Some(a) = self.analysed.get_mut(id as usize) {
                *a = true;
            }
        }
        self.diagnostics.extend(u.diagnostics);
        self.suppressions.extend(u.suppressions);
        self.results.merge(u.results);
    }
}

/// Everything a file, or a group of files analysed together, leaves for the report once
/// its syntax trees are dropped and its texts released.
#[derive(Default)]
pub(crate) struct Unit {
    pub(crate) files: Vec<(FileId, SourceFile)>,
    /// The files analysed as Terraform or CloudFormation (not those found not to be ours).
    pub(crate) analysed: Vec<FileId>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) suppressions: Vec<(FileId, suppress::Suppression)>,
    pub(crate) results: Analysed,
}

/// The resources of evaluations, adapted onto the model: what stays of them once their
/// instances are dropped.
#[derive(Default)]
pub(crate) struct Adapted {
    pub(crate) model: Model,
    pub(crate) notes: Vec<InstanceNote>,
    /// Header line of each resource instance, by file and address (for suppressions).
    pub(crate) headers: Vec<((FileId, String), usize)>,
    /// Nested stack resources (their children are evaluated through them).
    pub(crate) stacks: Vec<ResourceInstance>,
}

impl Adapted {
    /// Adapts instances; header lines are recorded for those located in `file_of`'s files.
    pub(crate) fn new<'a>(
        instances: Vec<ResourceInstance>,
        file_of: impl Fn(FileId) -> Option<&'a SourceFile>,
    ) -> Adapted {
        let mut out = Adapted::default();
        for r in instances {
            if r.switched_off.is_some() {
                crate::adapt::switched_off(&r, &mut out.model);
                continue;
            }
            if let Some(file) = file_of(r.header.file) {
                let line = file.position(r.header.start as usize).line;
                out.headers.push(((r.header.file, r.address.clone()), line));
            }
            crate::adapt::adapt(&r, &mut out.model);
            out.notes.extend(InstanceNote::of(&r));
            if r.rtype == "AWS::CloudFormation::Stack" || r.rtype == "aws_cloudformation_stack" {
                out.stacks.push(r);
            }
        }
        out
    }

    /// Adapts a template's evaluation; header lines are recorded when `commented` (the
    /// template has suppression comments).
    pub(crate) fn of_template(
        instances: Vec<ResourceInstance>,
        file: &SourceFile,
        commented: bool,
        clock: &Clock,
    ) -> Adapted {
        clock.time(Phase::Adapt, || {
            Adapted::new(instances, |_| commented.then_some(file))
        })
    }

    /// What importers need of the resources a template exports (`exports`), from an
    /// evaluation of its own.
    pub(crate) fn exported(
        self,
        exports: &cloudformation::Exports,
        clock: &Clock,
    ) -> Option<Box<model::Exported>> {
        let mut model = self.model;
        link(&mut model, exports, clock);
        exported_of(&model)
    }

    /// Links the model, runs the rules over it and drops it: what stays is the findings
    /// and what the rules that span groups need (and, for the key inventory, the KMS
    /// resources).
    pub(crate) fn analyse(self, options: &ScanOptions, clock: &Clock) -> Analysed {
        let none = cloudformation::Exports::new();
        self.check(options, clock, &none, false).0
    }

    /// [`Adapted::analyse`] for a template: takes in first what it imports of other
    /// templates' exports, and names the logical paths of its findings while its tree is
    /// at hand. Returns also what importers need of the resources it exports (`exports`).
    pub(crate) fn analyse_template(
        mut self,
        root: &Node,
        imported: &model::Exported,
        exports: &cloudformation::Exports,
        options: &ScanOptions,
        clock: &Clock,
    ) -> (Analysed, Option<Box<model::Exported>>) {
        self.model.import(imported);
        let (mut analysed, exported) = self.check(options, clock, exports, true);
        name_paths(&mut analysed.findings, root);
        (analysed, exported)
    }

    fn check(
        self,
        options: &ScanOptions,
        clock: &Clock,
        exports: &cloudformation::Exports,
        keep_exported: bool,
    ) -> (Analysed, Option<Box<model::Exported>>) {
        let Adapted {
            mut model,
            notes,
            headers,
            stacks,
        } = self;
        link(&mut model, exports, clock);
        let exported = keep_exported.then(|| exported_of(&model)).flatten();
        let mut facts = TreeFacts::default();
        facts.gather_model(&model, options.keep_keys);
        let findings = clock.time(Phase::Rules, || {
            let mut findings = rules::run(&model, &options.settings, &mut facts);
            // One root module or template instantiation: addresses do not repeat.
            resource::explain_instances(&mut findings, &notes);
            rules::defer(&mut findings, &mut facts);
            facts.keep_notes(&notes);
            // Held until every group is done: no room to spare.
            findings.shrink_to_fit();
            findings
        });
        let analysed = Analysed {
            findings,
            facts,
            headers,
            keys: if options.keep_keys {
                vec![model.take_keys()]
            } else {
                Vec::new()
            },
            stacks,
        };
        (analysed, exported)
    }
}

/// Links a model, knowing the resources its template's exports name (other templates
/// may refer to them).
fn link(model: &mut Model, exports: &cloudformation::Exports, clock: &Clock) {
    model.exported = exports
        .values()
        .flat_map(|v| v.references())
        .map(|r| r.resource.clone())
        .collect();
    clock.time(Phase::Link, || model.finish());
}

/// What importers need of the resources a linked model exports.
fn exported_of(model: &Model) -> Option<Box<model::Exported>> {
    (!model.exported.is_empty()).then(|| Box::new(model::Exported::of(model)))
}

/// What a group leaves once its rules have run and its model is dropped.
#[derive(Default)]
pub(crate) struct Analysed {
    pub(crate) findings: Vec<Diagnostic>,
    pub(crate) facts: TreeFacts,
    /// Header line of each resource instance, by file and address (for suppressions).
    pub(crate) headers: Vec<((FileId, String), usize)>,
    /// KMS resources, linked within their group, for the key inventory
    /// ([`ScanOptions::keep_keys`]).
    pub(crate) keys: Vec<Model>,
    /// Nested stack resources (their children are evaluated through them).
    pub(crate) stacks: Vec<ResourceInstance>,
}

impl Analysed {
    pub(crate) fn merge(&mut self, other: Analysed) {
        self.findings.extend(other.findings);
        self.facts.merge(other.facts);
        self.headers.extend(other.headers);
        self.keys.extend(other.keys);
        self.stacks.extend(other.stacks);
    }
}

impl Unit {
    /// Takes in a parsed file (its diagnostics, suppressions and text) and returns what
    /// it holds.
    pub(crate) fn add(&mut self, id: FileId, f: &Discovered, p: Parsed, held: bool) -> Content {
        let ours = !matches!(p.content, Content::NotOurs);
        if ours {
            self.analysed.push(id);
        }
        let file = if held || p.text.is_empty() {
            SourceFile::new(f.name.clone(), f.path.clone(), p.text)
        } else {
            SourceFile::on_disk(f.name.clone(), f.path.clone(), p.text)
        };
        let text = file.text();
        if matches!(
            f.kind,
            FileKind::Terraform | FileKind::Tfvars | FileKind::Yaml
        ) && ours
            && (text.contains("iacguard:")
                || text.contains("checkov:")
                || text.contains("tfsec:")
                || text.contains("trivy:"))
        {
            self.suppressions.extend(
                suppress::scan_comments(id, text)
                    .into_iter()
                    .map(|s| (id, s)),
            );
        }
        if let Content::CloudFormation(root) = &p.content {
            self.suppressions
                .extend(suppress::scan_metadata(root).into_iter().map(|s| (id, s)));
        }
        self.diagnostics.extend(p.diagnostics);
        self.files.push((id, file));
        p.content
    }

    /// Adapts instances located in this unit's files.
    pub(crate) fn adapt(&self, instances: Vec<ResourceInstance>, clock: &Clock) -> Adapted {
        // Header lines serve suppression comments: only files that have some need them.
        let by_id: std::collections::HashMap<FileId, &SourceFile> = self
            .files
            .iter()
            .filter(|(id, _)| self.suppressions.iter().any(|(f, _)| f == id))
            .map(|(id, f)| (*id, f))
            .collect();
        clock.time(Phase::Adapt, || {
            Adapted::new(instances, |id| by_id.get(&id).copied())
        })
    }

    /// Drops the texts that can be read again.
    pub(crate) fn release(&mut self) {
        for (_, f) in &mut self.files {
            f.release();
        }
    }
}

/// Names the logical path (`Resources.Key.Properties.X`) of the findings located in a
/// template, while its tree is at hand.
fn name_paths(findings: &mut [Diagnostic], root: &Node) {
    for d in findings {
        if d.primary.file == root.span.file && d.logical_path.is_none() {
            d.logical_path = syntax::tree::path_to(root, d.primary);
        }
    }
}
