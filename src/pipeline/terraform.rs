//! Terraform: the modules `terraform init` installed and the local modules the files
//! call, the components of module directories that call one another, and their
//! evaluation root module by root module with the command line's variable inputs.

use super::analyse::{Collected, Unit};
use super::read::{dir_of, exclude_set, overlay, read_and_parse, read_regular, read_text};
use super::read::{Content, Parsed};
use super::timing::{Clock, Phase};
use super::{ScanOptions, Tree};
use crate::discover::{self, BadPath, Discovered, FileKind};
use crate::source::{self, FileId};
use crate::{syntax, terraform};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The `--var-file`s, parsed before the tree and numbered after it (and after its
/// unreadable entries): the unit that holds them, and each one's directory and body.
/// A file that does not exist is a bad path.
pub(super) fn var_files(
    tree: &Tree,
    options: &ScanOptions,
    bad_paths: &mut Vec<BadPath>,
) -> (Unit, Vec<(String, syntax::hcl::Body)>) {
    let mut unit = Unit::default();
    let mut bodies = Vec::new();
    let first = tree.files.len() + tree.unreadable.len();
    for path in &options.terraform.var_files {
        let kind = if path.to_string_lossy().ends_with(".json") {
            FileKind::TfvarsJson
        } else {
            FileKind::Tfvars
        };
        let d = Discovered {
            path: path.clone(),
            name: discover::relative_name(&options.root, path),
            kind,
        };
        if let Err(e) = std::fs::metadata(path) {
            bad_paths.push(BadPath {
                path: path.clone(),
                error: e.to_string(),
            });
            continue;
        }
        let id = (first + unit.files.len()) as FileId;
        let overlay = overlay(options, path);
        let p = read_and_parse(&d, id, options.max_file_size, overlay);
        let dir = dir_of(&d.name).to_string();
        if let Content::Tfvars(body) = unit.add(id, &d, p, overlay.is_some()) {
            bodies.push((dir, body));
        }
    }
    unit.release();
    unit.suppressions.clear();
    (unit, bodies)
}

/// Evaluates and analyses the Terraform files of the tree, one component at a time, each
/// parsed, evaluated and dropped: what stays is its resources' findings. `--var-file` and
/// `--var` apply to the root module being planned, as in Terraform: the one that holds
/// the file, or the only root of the scan; when that is ambiguous they apply nowhere and
/// the usage error is returned.
pub(super) fn analyse(
    tree: &Tree,
    options: &ScanOptions,
    var_files: Vec<(String, syntax::hcl::Body)>,
    plans: &mut [crate::pipeline::plan_input::PlanInput],
    clock: &Clock,
    out: &mut Collected,
) -> Option<String> {
    let files = &tree.files;
    let components = terraform_components(files, options, &tree.manifests);
    clock.mark("group");
    let roots: Vec<String> = components
        .iter()
        .flat_map(|c| c.configuration_roots(files))
        .map(str::to_string)
        .collect();
    let (inputs, usage_error) =
        RootInputs::resolve(var_files, !options.terraform.vars.is_empty(), &roots);
    crate::pipeline::plan_input::assign_roots(plans, &roots);
    let plans = &*plans;
    let units: Vec<Unit> = components
        .into_par_iter()
        .map(|c| terraform_component(c, files, options, &inputs, &tree.manifests, plans, clock))
        .collect();
    for u in units {
        out.take(u);
    }
    usage_error
}

/// Adds the modules that `terraform init` installed (listed in
/// `.terraform/modules/modules.json` beside a root module) to the files to parse, and
/// returns the manifests.
pub(super) fn installed_modules(files: &mut Vec<Discovered>) -> terraform::Manifests {
    let mut manifests = terraform::Manifests::new();
    let mut dirs: Vec<(String, PathBuf)> = files
        .iter()
        .filter(|f| f.kind == FileKind::Terraform)
        .filter_map(|f| {
            let dir = f
                .name
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            Some((dir, f.path.parent()?.to_path_buf()))
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut extra = Vec::new();
    for (dir, abs) in dirs {
        let manifest = abs.join(".terraform/modules/modules.json");
        // Only a regular file, and no symbolic link on the way: a link could lead out of
        // the scanned tree, a FIFO block the scan.
        let regular = |p: &Path, dir: bool| {
            std::fs::symlink_metadata(p).is_ok_and(|m| if dir { m.is_dir() } else { m.is_file() })
        };
        if !(regular(&abs.join(".terraform"), true)
            && regular(&abs.join(".terraform/modules"), true)
            && regular(&manifest, false))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let modules = terraform::read_manifest(&text, &dir);
        for mdir in modules.values() {
            // Installed modules live under the root module's `.terraform/`; a manifest
            // naming any other directory (local modules, or `../..`) is not followed:
            // what is in the scanned tree is found by the walk.
            let rest = mdir
                .strip_prefix(dir.as_str())
                .map(|r| r.trim_start_matches('/'));
            let installed = rest.is_some_and(|r| {
                r.starts_with(".terraform/modules/")
                    && !r.split('/').any(|seg| seg == ".." || seg == ".")
            });
            let mabs = modules_dir_abs(&abs, &dir, mdir);
            if !installed || !regular(&mabs, true) {
                continue;
            }
            let Ok(read) = std::fs::read_dir(&mabs) else {
                continue;
            };
            for e in read.flatten() {
                if !e.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                let path = e.path();
                if let Some(kind @ (FileKind::Terraform | FileKind::TerraformJson)) =
                    discover::classify(&path)
                {
                    let fname = e.file_name().to_string_lossy().into_owned();
                    extra.push(Discovered {
                        path,
                        name: format!("{mdir}/{fname}"),
                        kind,
                    });
                }
            }
        }
        manifests.insert(dir, modules);
    }
    files.extend(extra);
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.dedup_by(|a, b| a.name == b.name);
    discover::drop_overridden(files);
    manifests
}

/// The absolute directory of a module listed in a manifest, from the root module's
/// absolute directory and the two scan-relative names.
fn modules_dir_abs(root_abs: &Path, root_rel: &str, module_rel: &str) -> PathBuf {
    let rest = module_rel
        .strip_prefix(root_rel)
        .map(|r| r.trim_start_matches('/'))
        .unwrap_or(module_rel);
    root_abs.join(rest)
}

/// Loads, module directory by module directory, the local modules (`source = "./x"`)
/// that the parsed Terraform files call, within the scan root.
/// `bound` is the directory the modules must lie in (the scan root, or the repository
/// that holds it).
pub(super) fn follow_local_modules(
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
            .then(|| crate::discover::join_dir(dir, s))
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

/// Parses and evaluates one component, root module by root module: a module directory
/// is parsed when the first root that needs it comes, and dropped after the last one (its
/// text released), so memory follows the largest root module with what it calls.
pub(crate) fn terraform_component(
    mut c: Component,
    files: &[Discovered],
    options: &ScanOptions,
    inputs: &RootInputs,
    manifests: &terraform::Manifests,
    plans: &[crate::pipeline::plan_input::PlanInput],
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
    let reach = users.clone();
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
                clock.time(Phase::Parse, || {
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
            .and_then(|p| p.tree.as_ref());
        let (instances, diags, objects) = clock.time(Phase::Evaluate, || match planned {
            Some(tree) => crate::plan::read_with_source(tree, root, &module_files, manifests),
            None => {
                let (i, d) = terraform::evaluate(module_files, tf_options, &var_files, manifests);
                (i, d, Vec::new())
            }
        });
        out.diagnostics.extend(diags);
        // Each root module is analysed on its own: references do not cross them.
        let mut analysed = out.adapt(instances, clock).analyse(options, clock);
        crate::plan::label_planned(&mut analysed.findings, &objects);
        let reach_of = |id: FileId| {
            let dir = files.get(id as usize).map_or("", |f| dir_of(&f.name));
            reach.get(dir).copied().unwrap_or(1)
        };
        crate::fix::mark_root(&mut analysed.findings, root, reach_of);
        crate::fix::mark_root(&mut analysed.facts.deferred, root, reach_of);
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
