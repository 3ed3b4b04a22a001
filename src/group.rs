//! Groups of files analysed together, one at a time: Terraform module directories that
//! call one another, evaluated root module by root module; CloudFormation templates one by
//! one (those that import values, and nested stacks, are parsed again once every export,
//! or their parent, is known). A group is parsed,
//! evaluated and adapted onto the model, then its syntax trees are dropped and its texts
//! released, so that a scan holds the syntax of one group, not of the tree.

use crate::discover::{self, Discovered, FileKind};
use crate::model::{self, Model};
use crate::resource::{self, InstanceNote, ResourceInstance};
use crate::rules::{self, TreeFacts};
use crate::source::{self, FileId, SourceFile};
use crate::syntax::{self, tree::Node};
use crate::{
    cloudformation, exclude_set, overlay, read_and_parse, suppress, terraform, Content, Diagnostic,
    Parsed, ScanOptions,
};
use rayon::prelude::*;

/// Loads, module directory by module directory, the local modules (`source = "./x"`)
/// that the parsed Terraform files call, within the scan root.
/// `bound` is the directory the modules must lie in (the scan root, or the repository
/// that holds it).
pub(crate) fn follow_local_modules(
    files: &mut Vec<Discovered>,
    options: &ScanOptions,
    bound: &std::path::Path,
) {
    let exclude = exclude_set(&options.exclude);
    let mut loaded: std::collections::BTreeSet<String> =
        files.iter().map(|f| dir_of(&f.name).to_string()).collect();
    let Ok(root) = options.root.canonicalize() else {
        return;
    };
    let Ok(bound) = bound.canonicalize() else {
        return;
    };
    let mut next = 0;
    // Bounded: a module tree is not this large, a cycle is cut by `loaded`.
    while next < files.len() && loaded.len() < 10_000 {
        let end = files.len();
        let mut wanted = std::collections::BTreeSet::new();
        for f in &files[next..end] {
            if !matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson) {
                continue;
            }
            for dir in module_calls(f, options) {
                let target = options.root.join(dir);
                let Ok(target) = target.canonicalize() else {
                    continue;
                };
                if !target.starts_with(&bound) || !target.is_dir() {
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
            files.extend(found);
        }
    }
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
fn read_regular(f: &Discovered, options: &ScanOptions) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(&f.path).ok()?;
    if !meta.is_file() || meta.len() > options.max_file_size {
        return None;
    }
    std::fs::read(&f.path).ok()
}

/// Time spent in parsing and in evaluation, summed over threads (they interleave: each
/// group of files is parsed, evaluated and dropped before the next).
#[derive(Default)]
pub(crate) struct Clock {
    pub(crate) parse: std::sync::atomic::AtomicU64,
    pub(crate) evaluate: std::sync::atomic::AtomicU64,
    pub(crate) adapt: std::sync::atomic::AtomicU64,
    pub(crate) link: std::sync::atomic::AtomicU64,
    pub(crate) rules: std::sync::atomic::AtomicU64,
}

impl Clock {
    pub(crate) fn time<T>(counter: &std::sync::atomic::AtomicU64, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        counter.fetch_add(
            start.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        out
    }

    pub(crate) fn ms(counter: &std::sync::atomic::AtomicU64) -> f64 {
        counter.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6
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
                terraform::adapt::adapt_switched_off(&r, &mut out.model);
                continue;
            }
            if let Some(file) = file_of(r.header.file) {
                let line = file.position(r.header.start as usize).line;
                out.headers.push(((r.header.file, r.address.clone()), line));
            }
            out.model.add_instance(&r);
            model::kms::adapt_consumers(&r, &mut out.model);
            match r.framework {
                resource::Framework::Terraform => terraform::adapt::adapt(&r, &mut out.model),
                resource::Framework::CloudFormation => {
                    cloudformation::adapt::adapt(&r, &mut out.model)
                }
            }
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
        Clock::time(&clock.adapt, || {
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
        let findings = Clock::time(&clock.rules, || {
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
    Clock::time(&clock.link, || model.finish());
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
        Clock::time(&clock.adapt, || {
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

/// The module directories whose files are analysed together: those that call one
/// another (local sources, modules installed by `terraform init`).
#[derive(Default)]
pub(crate) struct Component {
    /// Directory → its files (indices into the scan's files).
    pub(crate) dirs: std::collections::BTreeMap<String, Vec<usize>>,
    /// Directory → the directories of this component it calls.
    pub(crate) calls: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Texts read while grouping, by file index: parsed without reading them again.
    pub(crate) texts: std::collections::HashMap<usize, String>,
}

/// The local module directories a Terraform file calls, from a look at its text (a
/// `.tf.json` file is parsed: such files are few).
pub(crate) fn module_calls(f: &Discovered, options: &ScanOptions) -> Vec<String> {
    read_text(f, options).map_or_else(Vec::new, |text| module_calls_in(f, &text))
}

/// The local module directories a Terraform file's text calls.
fn module_calls_in(f: &Discovered, text: &str) -> Vec<String> {
    let text = &*syntax::without_bom(text);
    let dir = dir_of(&f.name);
    let local = |s: &str| {
        (s.starts_with("./") || s.starts_with("../"))
            .then(|| terraform::join_dir(dir, s))
            .flatten()
    };
    match f.kind {
        FileKind::Terraform => terraform::scan::module_sources(text)
            .into_iter()
            .filter_map(local)
            .collect(),
        FileKind::TerraformJson => {
            let Some(root) = syntax::json::parse(text, 0).root else {
                return Vec::new();
            };
            syntax::hcl::from_json(&root, 0)
                .0
                .blocks("module")
                .filter_map(|m| terraform::local_source_of(dir, m))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// How much of what grouping reads is kept for parsing, so that those files are read once.
const TEXT_CACHE: usize = 64 << 20;

/// A Terraform file read for grouping: the directories it calls, and its text when it is
/// plain UTF-8 and within the cache budget (handed to the parser, not read again).
fn read_for_grouping(
    f: &Discovered,
    options: &ScanOptions,
    cached: &std::sync::atomic::AtomicUsize,
) -> (Vec<String>, Option<String>) {
    if !matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson) {
        return (Vec::new(), None);
    }
    if let Some(text) = overlay(options, &f.path) {
        return (module_calls_in(f, text), None);
    }
    let Some(bytes) = read_regular(f, options) else {
        return (Vec::new(), None);
    };
    if source::utf16_text(&bytes).is_some() {
        return (module_calls_in(f, &source::decode(bytes)), None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let calls = module_calls_in(f, &text);
            let within = cached.fetch_add(text.len(), std::sync::atomic::Ordering::Relaxed)
                + text.len()
                <= TEXT_CACHE;
            (calls, within.then_some(text))
        }
        Err(e) => (
            module_calls_in(f, &String::from_utf8_lossy(e.as_bytes())),
            None,
        ),
    }
}

/// Groups the Terraform files into components, in order of their first file.
pub(crate) fn terraform_components(
    files: &[Discovered],
    options: &ScanOptions,
    manifests: &terraform::Manifests,
) -> Vec<Component> {
    let tf: Vec<usize> = (0..files.len())
        .filter(|i| {
            matches!(
                files[*i].kind,
                FileKind::Terraform
                    | FileKind::TerraformJson
                    | FileKind::Tfvars
                    | FileKind::TfvarsJson
            )
        })
        .collect();
    let mut dirs: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for i in &tf {
        let next = dirs.len();
        dirs.entry(dir_of(&files[*i].name)).or_insert(next);
    }
    let cached = std::sync::atomic::AtomicUsize::new(0);
    let (calls, mut texts): (Vec<Vec<String>>, Vec<Option<String>>) = tf
        .par_iter()
        .map(|i| read_for_grouping(&files[*i], options, &cached))
        .unzip();
    let mut parent: Vec<usize> = (0..dirs.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut union = |a: usize, b: usize| {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    let mut edges: Vec<(&str, &str)> = Vec::new();
    for (i, targets) in tf.iter().zip(&calls) {
        let from = dir_of(&files[*i].name);
        for t in targets {
            if let Some((to, _)) = dirs.get_key_value(t.as_str()) {
                union(dirs[from], dirs[to]);
                edges.push((from, to));
            }
        }
    }
    for (root, modules) in manifests {
        let Some((from, _)) = dirs.get_key_value(root.as_str()) else {
            continue;
        };
        for d in modules.values() {
            if let Some((to, _)) = dirs.get_key_value(d.as_str()) {
                union(dirs[from], dirs[to]);
                edges.push((from, to));
            }
        }
    }
    let mut components: std::collections::HashMap<usize, Component> =
        std::collections::HashMap::new();
    for (k, i) in tf.into_iter().enumerate() {
        let dir = dir_of(&files[i].name);
        let c = find(&mut parent, dirs[dir]);
        let component = components.entry(c).or_default();
        component.dirs.entry(dir.to_string()).or_default().push(i);
        if let Some(text) = texts[k].take() {
            component.texts.insert(i, text);
        }
    }
    for (from, to) in edges {
        let c = find(&mut parent, dirs[from]);
        if let Some(comp) = components.get_mut(&c) {
            comp.calls
                .entry(from.to_string())
                .or_default()
                .insert(to.to_string());
        }
    }
    let mut components: Vec<Component> = components.into_values().collect();
    components.sort_by_key(|c| c.dirs.values().flatten().min().copied());
    components
}

/// Parses and evaluates one component, root module by root module: a module directory
/// is parsed when the first root that needs it comes, and dropped after the last one (its
/// text released), so memory follows the largest root module with what it calls.
/// The variable inputs of the command line (`--var-file`, `--var`) and the root modules
/// they apply to.
#[derive(Default)]
pub(crate) struct RootInputs {
    /// Each `--var-file`, with the root module directory it applies to.
    pub(crate) var_files: Vec<(String, syntax::hcl::Body)>,
    /// The root modules `--var` applies to.
    pub(crate) vars_roots: std::collections::BTreeSet<String>,
}

impl RootInputs {
    /// A var file applies to the root module that holds it, else to the only root of the
    /// scan; `--var` applies to the roots of the var files, else to the only root. When
    /// that is ambiguous the inputs apply nowhere and the error lists the roots.
    pub(crate) fn resolve(
        files: Vec<(String, syntax::hcl::Body)>,
        vars: bool,
        roots: &[String],
    ) -> (RootInputs, Option<String>) {
        let only = (roots.len() == 1).then(|| roots[0].clone());
        let mut out = RootInputs::default();
        let mut ambiguous = false;
        for (dir, body) in files {
            let target = if roots.contains(&dir) {
                Some(dir)
            } else {
                only.clone()
            };
            match target {
                Some(t) => {
                    out.vars_roots.insert(t.clone());
                    out.var_files.push((t, body));
                }
                None => ambiguous = true,
            }
        }
        if vars && out.vars_roots.is_empty() {
            match &only {
                Some(r) => {
                    out.vars_roots.insert(r.clone());
                }
                None => ambiguous = !roots.is_empty() || ambiguous,
            }
        }
        let error = ambiguous.then(|| {
            let shown: Vec<String> = roots
                .iter()
                .map(|r| if r.is_empty() { ".".to_string() } else { r.clone() })
                .collect();
            format!(
                "error: --var-file/--var apply to one Terraform root module, and this scan has {}: {}; put the variable file in the root module's directory, or scan that root alone",
                shown.len(),
                shown.join(", ")
            )
        });
        if error.is_some() {
            return (RootInputs::default(), error);
        }
        (out, None)
    }
}

impl Component {
    /// The root modules that hold configuration (not only `.tfvars` files).
    pub(crate) fn configuration_roots(&self, files: &[Discovered]) -> Vec<&str> {
        self.roots()
            .into_iter()
            .filter(|d| {
                self.dirs[*d].iter().any(|&i| {
                    matches!(files[i].kind, FileKind::Terraform | FileKind::TerraformJson)
                })
            })
            .collect()
    }

    /// The root modules of the component: directories no other directory of it calls
    /// (modules installed by `terraform init` never are).
    pub(crate) fn roots(&self) -> Vec<&str> {
        let called: std::collections::BTreeSet<&str> = self
            .calls
            .iter()
            .flat_map(|(from, to)| to.iter().filter(move |t| *t != from))
            .map(String::as_str)
            .collect();
        self.dirs
            .keys()
            .map(String::as_str)
            .filter(|d| !called.contains(d) && !terraform::is_installed_module(d))
            .collect()
    }
}

pub(crate) fn terraform_component(
    mut c: Component,
    files: &[Discovered],
    options: &ScanOptions,
    inputs: &RootInputs,
    manifests: &terraform::Manifests,
    plans: &[crate::plan::input::PlanInput],
    clock: &Clock,
) -> Unit {
    use std::collections::{BTreeSet, HashMap};
    let mut texts = std::mem::take(&mut c.texts);
    let roots: Vec<&str> = c.roots();
    // What each root needs: itself, what it calls, what those call.
    let closures: Vec<Vec<&str>> = roots
        .iter()
        .map(|r| {
            let mut seen: BTreeSet<&str> = BTreeSet::from([*r]);
            let mut stack = vec![*r];
            while let Some(d) = stack.pop() {
                for t in c.calls.get(d).into_iter().flatten() {
                    if seen.insert(t) {
                        stack.push(t);
                    }
                }
            }
            seen.into_iter().collect()
        })
        .collect();
    let mut users: HashMap<&str, usize> = HashMap::new();
    for d in closures.iter().flatten() {
        *users.entry(d).or_default() += 1;
    }
    // Directories no root reaches (a cycle of modules): parsed for their diagnostics only.
    let unreached: Vec<&str> = c
        .dirs
        .keys()
        .map(String::as_str)
        .filter(|d| !users.contains_key(d))
        .collect();
    let mut out = Unit::default();
    // Directory → its parsed files and their places in `out.files`.
    let mut cache: HashMap<&str, (Vec<terraform::TfFile>, Vec<usize>)> = HashMap::new();
    let c = &c;
    let load = |dirs: &[&str],
                out: &mut Unit,
                cache: &mut HashMap<_, _>,
                texts: &mut HashMap<usize, String>| {
        let wanted: Vec<usize> = dirs
            .iter()
            .filter(|d| !cache.contains_key(**d))
            .flat_map(|d| c.dirs[*d].iter().copied())
            .collect();
        let parsed: Vec<Parsed> = wanted
            .par_iter()
            .map(|i| {
                let f = &files[*i];
                // An editor's buffer, or the text read while grouping.
                let text = overlay(options, &f.path).or(texts.get(i).map(String::as_str));
                Clock::time(&clock.parse, || {
                    read_and_parse(f, *i as FileId, options.max_file_size, text)
                })
            })
            .collect();
        for i in &wanted {
            texts.remove(i);
        }
        for (i, p) in wanted.iter().zip(parsed) {
            let f = &files[*i];
            let held = overlay(options, &f.path).is_some();
            let (dir, name) = match f.name.rsplit_once('/') {
                Some((d, n)) => (d, n.to_string()),
                None => ("", f.name.clone()),
            };
            let entry: &mut (Vec<terraform::TfFile>, Vec<usize>) = cache
                .entry(c.dirs.get_key_value(dir).map_or("", |(k, _)| k.as_str()))
                .or_default();
            entry.1.push(out.files.len());
            let is_tfvars = match out.add(*i as FileId, f, p, held) {
                Content::Terraform(body) => Some((body, false)),
                Content::Tfvars(body) => Some((body, true)),
                _ => None,
            };
            if let Some((body, is_tfvars)) = is_tfvars {
                entry.0.push(terraform::TfFile {
                    dir: dir.to_string(),
                    name,
                    body,
                    is_tfvars,
                });
            }
        }
    };
    let drop_dir = |d: &str, out: &mut Unit, cache: &mut HashMap<&str, (_, Vec<usize>)>| {
        if let Some((_, places)) = cache.remove(d) {
            for p in places {
                out.files[p].1.release();
            }
        }
    };
    // `file()` reads under the scan root.
    let tf_options = terraform::TfOptions {
        root: Some(
            options
                .terraform
                .root
                .clone()
                .unwrap_or_else(|| options.root.clone()),
        ),
        ..options.terraform.clone()
    };
    let no_vars = terraform::TfOptions {
        vars: Vec::new(),
        ..tf_options.clone()
    };
    for (closure, root) in closures.iter().zip(&roots) {
        load(closure, &mut out, &mut cache, &mut texts);
        let var_files: Vec<syntax::hcl::Body> = inputs
            .var_files
            .iter()
            .filter(|(t, _)| t == root)
            .map(|(_, b)| b.clone())
            .collect();
        let tf_options = if inputs.vars_roots.contains(*root) {
            &tf_options
        } else {
            &no_vars
        };
        let module_files: Vec<&terraform::TfFile> = closure
            .iter()
            .filter_map(|d| cache.get(d))
            .flat_map(|(files, _)| files)
            .collect();
        // A plan of this root gives its values; its source places them.
        let planned = plans
            .iter()
            .find(|p| p.root.as_deref() == Some(*root))
            .and_then(|p| Some((p, p.tree.as_ref()?)));
        let (instances, diags, objects) = Clock::time(&clock.evaluate, || match planned {
            Some((_, tree)) => crate::plan::read_with_source(tree, root, &module_files, manifests),
            None => {
                let (i, d) = terraform::evaluate(module_files, tf_options, &var_files, manifests);
                (i, d, Vec::new())
            }
        });
        out.diagnostics.extend(diags);
        // Each root module is analysed on its own: references do not cross them.
        let mut analysed = out.adapt(instances, clock).analyse(options, clock);
        crate::plan::label_planned(&mut analysed.findings, &objects);
        out.results.merge(analysed);
        for d in closure {
            let n = users.get_mut(d).expect("counted above");
            *n -= 1;
            if *n == 0 {
                drop_dir(d, &mut out, &mut cache);
            }
        }
    }
    load(&unreached, &mut out, &mut cache, &mut texts);
    out.release();
    out
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
    let p = Clock::time(&clock.parse, || {
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
            let (instances, diags) = Clock::time(&clock.evaluate, || {
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

/// Names the logical path (`Resources.Key.Properties.X`) of the findings located in a
/// template, while its tree is at hand.
fn name_paths(findings: &mut [Diagnostic], root: &Node) {
    for d in findings {
        if d.primary.file == root.span.file && d.logical_path.is_none() {
            d.logical_path = syntax::tree::path_to(root, d.primary);
        }
    }
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
    let p = Clock::time(&clock.parse, || {
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
