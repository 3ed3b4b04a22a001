//! Terraform evaluation: modules (directories), variables, tfvars, locals, module calls,
//! `count`/`for_each` expansion and provider `default_tags`, producing resource instances.

pub mod eval;
pub mod functions;
pub mod scan;
#[cfg(test)]
mod tests;

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::discover::join_dir;
use crate::resource::{Framework, ResourceInstance};
use crate::source::Span;
use crate::syntax::hcl::{Attr, Block, Body, Expr, ExprKind};
use crate::value::{Kind, Value};
use eval::{EvalError, EvalResult, Evaluator, Scope};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A parsed Terraform file handed to evaluation.
pub struct TfFile {
    /// Directory relative to the scan root (`""` for the root), `/`-separated.
    pub dir: String,
    /// File name within the directory.
    pub name: String,
    pub body: Body,
    pub is_tfvars: bool,
}

#[derive(Debug, Clone, Default)]
pub struct TfOptions {
    /// `--var NAME=VALUE`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order (applied before `--var`).
    pub var_files: Vec<std::path::PathBuf>,
    /// The directory module directories are relative to (the scan root): `file()` and
    /// its kin read files under it, never outside. `None`: no file is read.
    pub root: Option<std::path::PathBuf>,
}

/// Largest file `file()`, `templatefile()` and `filebase64()` read.
const MAX_READ_FILE: u64 = 4 << 20;

/// Modules installed by `terraform init`, from `.terraform/modules/modules.json`: per root
/// module directory, the module key (`vpc`, `vpc.subnets`) to its directory (relative to
/// the scan root, like every module directory).
pub type Manifests = BTreeMap<String, BTreeMap<String, String>>;

/// Reads a `modules.json` manifest of the root module in `root_dir`.
pub fn read_manifest(text: &str, root_dir: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return out;
    };
    for m in json["Modules"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let (Some(key), Some(dir)) = (m["Key"].as_str(), m["Dir"].as_str()) else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        if let Some(d) = join_dir(root_dir, dir) {
            out.insert(key.to_string(), d);
        }
    }
    out
}

/// Whether a directory holds modules installed by `terraform init` (never a root).
pub(crate) fn is_installed_module(dir: &str) -> bool {
    dir.starts_with(".terraform/") || dir.contains("/.terraform/")
}

/// Deepest chain of module calls followed.
const MAX_MODULE_DEPTH: usize = 16;

/// A module: the `.tf` files of one directory.
#[derive(Default)]
struct Module<'a> {
    dir: String,
    variables: BTreeMap<&'a str, &'a Block>,
    locals: HashMap<&'a str, &'a Attr>,
    outputs: Vec<&'a Block>,
    calls: Vec<&'a Block>,
    resources: Vec<&'a Block>,
    providers: Vec<&'a Block>,
    /// tfvars files of the directory, in Terraform's precedence order (lowest first).
    tfvars: Vec<&'a TfFile>,
}

pub fn evaluate<'a>(
    files: impl IntoIterator<Item = &'a TfFile>,
    options: &TfOptions,
    var_files: &[Body],
    manifests: &Manifests,
) -> (Vec<ResourceInstance>, Vec<Diagnostic>) {
    let mut modules: BTreeMap<&str, Module<'a>> = BTreeMap::new();
    for f in files {
        let m = modules.entry(f.dir.as_str()).or_insert_with(|| Module {
            dir: f.dir.clone(),
            ..Module::default()
        });
        if f.is_tfvars {
            m.tfvars.push(f);
            continue;
        }
        for b in &f.body.blocks {
            match (b.kind.as_str(), b.labels.as_slice()) {
                ("variable", [name]) => {
                    m.variables.insert(name, b);
                }
                ("locals", _) => {
                    for a in &b.body.attrs {
                        m.locals.insert(&a.name, a);
                    }
                }
                ("output", [_]) => m.outputs.push(b),
                ("module", [_]) => m.calls.push(b),
                ("resource", [_, _]) | ("data", [_, _]) => m.resources.push(b),
                ("provider", [_]) => m.providers.push(b),
                _ => {}
            }
        }
    }
    for m in modules.values_mut() {
        m.tfvars.sort_by_key(|f| tfvars_rank(&f.name));
    }
    // A module directory that another module in the scan calls is not a root.
    let mut called: BTreeSet<String> = BTreeSet::new();
    for m in modules.values() {
        for c in &m.calls {
            if let Some(dir) = local_source(m, c) {
                if dir != m.dir {
                    called.insert(dir);
                }
            }
        }
    }
    let roots: Vec<&Module<'_>> = modules
        .iter()
        .filter(|(dir, m)| {
            let has_config = !m.resources.is_empty() || !m.calls.is_empty();
            !called.contains(**dir) && has_config && !is_installed_module(dir)
        })
        .map(|(_, m)| m)
        .collect();
    // Root modules are separate configurations: evaluate them in parallel, each with its
    // own state, and put the results back in root order.
    use rayon::prelude::*;
    let per_root: Vec<(Vec<ResourceInstance>, Vec<Diagnostic>)> = roots
        .par_iter()
        .map(|m| {
            let project = Project {
                modules: &modules,
                options,
                var_files,
                manifests,
                out: RefCell::new(Vec::new()),
                diags: RefCell::new(Vec::new()),
                unresolved: RefCell::new(BTreeSet::new()),
                unevaluated: RefCell::new(BTreeSet::new()),
                copied: std::cell::Cell::new(0),
            };
            Instance::root(&project, m).run();
            let mut diags = project.diags.into_inner();
            diags.extend(unresolved_notes(project.unresolved.into_inner()));
            diags.extend(unevaluated_notes(project.unevaluated.into_inner()));
            (project.out.into_inner(), diags)
        })
        .collect();
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (o, d) in per_root {
        out.extend(o);
        diags.extend(d);
    }
    out.sort_by(|a, b| {
        (a.header, &a.ref_name, &a.address).cmp(&(b.header, &b.ref_name, &b.address))
    });
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    (out, diags)
}

fn tfvars_rank(name: &str) -> (u8, String) {
    match name {
        "terraform.tfvars" => (0, String::new()),
        "terraform.tfvars.json" => (1, String::new()),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => (2, n.to_string()),
        // Other tfvars files are only read when named with --var-file.
        n => (9, n.to_string()),
    }
}

/// The directory a `source = "./x"` call points at, normalised, or `None` when the
/// source is not local.
pub(crate) fn local_source_of(dir: &str, call: &Block) -> Option<String> {
    let src = call.body.attr("source")?;
    let crate::syntax::hcl::ExprKind::Str(s) = &src.expr.kind else {
        return None;
    };
    if !(s.starts_with("./") || s.starts_with("../")) {
        return None;
    }
    join_dir(dir, s)
}

fn local_source(m: &Module<'_>, call: &Block) -> Option<String> {
    local_source_of(&m.dir, call)
}

/// Where the value that switches a resource off was set: for `cond ? 1 : 0`, where the
/// condition's value was set (a variable default, a tfvars entry), else where the count
/// or `for_each` value was.
fn switch_origin(scope: &dyn Scope, expr: &Expr, v: &Value) -> Option<Span> {
    match &expr.kind {
        ExprKind::Cond(pred, _, _) => {
            let p = Evaluator::new(scope).eval_attr(pred);
            p.from.or(v.from)
        }
        _ => v.from,
    }
}

/// Whether a module source is the cloudposse null label (`cloudposse/label/null`, with a
/// registry host or a subdirectory).
fn is_null_label(src: &str) -> bool {
    let src = src.strip_prefix("registry.terraform.io/").unwrap_or(src);
    src == "cloudposse/label/null" || src.starts_with("cloudposse/label/null//")
}

/// How a resource block repeats (see `Instance::repetition`).
enum Repetition<'b> {
    /// No `count` or `for_each`.
    One,
    /// `count`, or `for_each`, not statically known.
    Unknown,
    Count {
        n: usize,
        expr: &'b Expr,
        value: Value,
    },
    Each {
        items: Vec<(String, Value)>,
        expr: &'b Expr,
        value: Value,
    },
}

/// The most instances a resource's `count` makes.
const MAX_RESOURCE_COUNT: usize = 1000;
/// The most instances a module call's `count` makes: each one evaluates the whole module
/// (its resources and its own calls), so fewer than of a resource.
const MAX_MODULE_COUNT: usize = 100;

impl Repetition<'_> {
    /// The `count` or `for_each` that makes no instance (`count = 0`, an empty
    /// `for_each`), with its value.
    fn switch(&self) -> Option<(&Expr, &Value)> {
        match self {
            Repetition::Count { n: 0, expr, value } => Some((expr, value)),
            Repetition::Each { items, expr, value } if items.is_empty() => Some((expr, value)),
            _ => None,
        }
    }

    /// The instances of a `count` or a `for_each`: each one's key (`[0]`, `["s3"]`) and its
    /// `count.index` or `each.key`/`each.value` bindings (empty for `One` and `Unknown`).
    fn instances(self) -> Vec<(String, Vec<(String, Value)>)> {
        match self {
            Repetition::One | Repetition::Unknown => Vec::new(),
            Repetition::Count { n, expr, .. } => (0..n)
                .map(|i| {
                    let mut m = BTreeMap::new();
                    m.insert(
                        "index".to_string(),
                        Value::new(Kind::Number(i as f64), expr.span),
                    );
                    (
                        format!("[{i}]"),
                        vec![("count".into(), Value::new(Kind::Map(m), expr.span))],
                    )
                })
                .collect(),
            Repetition::Each { items, expr, .. } => items
                .into_iter()
                .map(|(k, v)| (format!("[{}]", quote(&k)), each(&k, v, expr.span)))
                .collect(),
        }
    }
}

/// An instance to evaluate: its address, its `count`/`each` bindings, and whether it may
/// not exist.
type PendingInstance = (String, Vec<(String, Value)>, bool);

struct Project<'a> {
    modules: &'a BTreeMap<&'a str, Module<'a>>,
    options: &'a TfOptions,
    /// Parsed `--var-file`s, applied to every root module.
    var_files: &'a [Body],
    manifests: &'a Manifests,
    out: RefCell<Vec<ResourceInstance>>,
    diags: RefCell<Vec<Diagnostic>>,
    /// Module calls that could not be resolved: (calling module directory, call, name).
    unresolved: RefCell<BTreeSet<(String, Span, String)>>,
    /// Security-relevant attributes left unknown by a construct: (module directory, the
    /// construct's span, what it is).
    unevaluated: RefCell<BTreeSet<(String, Span, String)>>,
    /// Weight of the local and module values handed out so far (see [`MAX_COPIED`]).
    copied: std::cell::Cell<usize>,
}

/// How much of locals' and module outputs' values one root module may copy (a weight of
/// value nodes and string bytes): each reference copies the value, so locals that
/// reference the one below twice double at every level (`a = [local.b, local.b]`).
const MAX_COPIED: usize = 2_000_000;

/// A value's weight: its nodes, and its strings by 8 bytes.
fn weight(v: &Value) -> usize {
    let mut total = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total += 1;
        match &v.kind {
            crate::value::Kind::Str(s) => total += s.len() / 8,
            crate::value::Kind::List(items) => stack.extend(items),
            crate::value::Kind::Map(m) => {
                for (k, x) in m {
                    total += k.len() / 8;
                    stack.push(x);
                }
            }
            crate::value::Kind::Template(parts) => total += parts.len(),
            _ => {}
        }
    }
    total
}

/// Security-relevant attributes evaluated, and those left unknown by a construct, over the
/// process (for `IACGUARD_TIMINGS=1`: the share the README quotes). Counted per root
/// module that evaluates them.
pub static SECURITY_ATTRIBUTES: [std::sync::atomic::AtomicUsize; 3] = [
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
];

/// Why an expression that evaluates to an unknown value is unknown: the innermost
/// construct that gives unknown (a variable with no value, a module not in the tree, a
/// function not evaluated, a `count`/`each` not known), with its span.
fn unknown_cause(ev: &mut Evaluator<'_>, e: &Expr, depth: usize) -> Option<(Span, String)> {
    use crate::syntax::hcl::{Step, TemplatePart};
    if depth > 32 {
        return None;
    }
    let unknown = |ev: &mut Evaluator<'_>, x: &Expr| {
        ev.eval(x).map(|v| v.has_opaque_unknown()).unwrap_or(true)
    };
    match &e.kind {
        ExprKind::Traversal(root, steps) => {
            let attr = |i: usize| match steps.get(i) {
                Some(Step::Attr(a)) => Some(a.as_str()),
                _ => None,
            };
            for s in steps {
                if let Step::Index(ix) = s {
                    if unknown(ev, ix) {
                        return unknown_cause(ev, ix, depth + 1);
                    }
                }
            }
            match (&root.kind, attr(0)) {
                (ExprKind::Var(v), Some(n)) if v == "var" => {
                    Some((e.span, format!("variable `{n}` has no value")))
                }
                (ExprKind::Var(v), Some(n)) if v == "module" => {
                    Some((e.span, format!("output of module `{n}`, not evaluated")))
                }
                (ExprKind::Var(v), Some(n)) if v == "local" => {
                    Some((e.span, format!("local `{n}`, not statically known")))
                }
                (ExprKind::Var(v), _) if v == "count" || v == "each" => {
                    Some((e.span, format!("`{v}` not known statically")))
                }
                (ExprKind::Var(v), _) if v == "data" => Some((e.span, "a data source".into())),
                (ExprKind::Var(v), _) if v == "path" || v == "terraform" => None,
                _ => None,
            }
        }
        ExprKind::Call(name, args, _) => {
            for a in args {
                if unknown(ev, a) {
                    return unknown_cause(ev, a, depth + 1)
                        .or_else(|| Some((a.span, format!("an argument of `{name}`"))));
                }
            }
            Some((e.span, format!("function `{name}`, not evaluated")))
        }
        ExprKind::Cond(c, a, b) => [c, a, b]
            .into_iter()
            .find(|x| unknown(ev, x))
            .and_then(|x| unknown_cause(ev, x, depth + 1)),
        ExprKind::Binary(_, a, b) => [a, b]
            .into_iter()
            .find(|x| unknown(ev, x))
            .and_then(|x| unknown_cause(ev, x, depth + 1)),
        ExprKind::Unary(_, a) => unknown_cause(ev, a, depth + 1),
        ExprKind::Tuple(items) => items
            .iter()
            .find(|x| unknown(ev, x))
            .and_then(|x| unknown_cause(ev, x, depth + 1)),
        ExprKind::Object(entries) => entries
            .iter()
            .map(|(_, v)| v)
            .find(|x| unknown(ev, x))
            .and_then(|x| unknown_cause(ev, x, depth + 1)),
        ExprKind::Template(parts) => parts
            .iter()
            .filter_map(|p| match p {
                TemplatePart::Interp(x) => Some(x),
                _ => None,
            })
            .find(|x| unknown(ev, x))
            .and_then(|x| unknown_cause(ev, x, depth + 1)),
        ExprKind::For(_) => Some((e.span, "a `for` expression not evaluated".into())),
        ExprKind::Opaque => Some((e.span, "a template directive".into())),
        _ => None,
    }
}

/// One note per module directory for its security-relevant attributes left unknown.
pub(crate) fn unevaluated_notes(found: BTreeSet<(String, Span, String)>) -> Vec<Diagnostic> {
    let mut by_dir: BTreeMap<String, Vec<(Span, String)>> = BTreeMap::new();
    for (dir, span, what) in found {
        by_dir.entry(dir).or_default().push((span, what));
    }
    by_dir
        .into_values()
        .filter_map(|items| {
            let (first, _) = items.first()?.clone();
            let shown: Vec<&str> = items.iter().take(5).map(|(_, w)| w.as_str()).collect();
            let more = items.len().saturating_sub(5);
            let mut d =
                Diagnostic::new(
                    codes::NOT_EVALUATED,
                    Severity::Note,
                    first,
                    format!(
                    "{} security-relevant {} could not be evaluated, so no rule judged {}: {}{}",
                    items.len(),
                    if items.len() == 1 { "attribute" } else { "attributes" },
                    if items.len() == 1 { "it" } else { "them" },
                    shown.join("; "),
                    if more > 0 { format!("; and {more} more") } else { String::new() }
                ),
                );
            for (span, _) in items.iter().skip(1).take(4) {
                d = d.with_label(*span, "also not evaluated");
            }
            Some(d)
        })
        .collect()
}

/// One note per module directory naming the module calls that could not be resolved.
fn unresolved_notes(calls: BTreeSet<(String, Span, String)>) -> Vec<Diagnostic> {
    let mut by_dir: BTreeMap<String, Vec<(Span, String)>> = BTreeMap::new();
    for (dir, span, name) in calls {
        by_dir.entry(dir).or_default().push((span, name));
    }
    by_dir
        .into_values()
        .filter_map(|calls| {
            let (first, _) = *calls.first()?;
            let names: Vec<&str> = calls.iter().map(|(_, n)| n.as_str()).collect();
            let mut d = Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Note,
                first,
                format!(
                    "{} not in the scanned tree (no local source, no `.terraform/modules/modules.json` entry): {}; their resources are not analysed and their outputs are unknown",
                    if calls.len() == 1 { "1 module is".to_string() } else { format!("{} modules are", calls.len()) },
                    names.join(", ")
                ),
            );
            for (span, _) in calls.iter().skip(1) {
                d = d.with_label(*span, "also not resolved");
            }
            Some(d)
        })
        .collect()
}

enum Slot {
    InProgress,
    /// The value and its [`weight`].
    Done(Value, usize),
}

/// One instantiation of a module: the root, or a call with its inputs.
struct Instance<'p, 'a> {
    project: &'p Project<'a>,
    module: &'p Module<'a>,
    /// `module.a.module.b.`
    prefix: String,
    /// The prefix of reference names: the root module's directory, `//`, then `prefix`.
    /// Root modules are separate configurations, so names must not collide across them.
    ref_prefix: String,
    root_dir: String,
    /// The module key of this instance in `modules.json` terms (`vpc.subnets.`).
    module_key: String,
    /// Variable values given by the caller (already evaluated in the caller's scope).
    inputs: BTreeMap<String, Value>,
    is_root: bool,
    /// The module directories from the root to this instance (this one last).
    chain: Vec<String>,
    call_sites: Vec<Span>,
    /// Provider configuration name (`aws`, `aws.west`) to its `default_tags.tags`.
    default_tags: BTreeMap<String, Value>,
    locals: RefCell<HashMap<String, Slot>>,
    /// Locals being evaluated, one inside another (`a = local.b`, `b = local.c`, ...).
    local_depth: std::cell::Cell<usize>,
    calls: RefCell<HashMap<String, Slot>>,
    /// Instance keys of this module's `count`/`for_each` resources, by `type.name`, as
    /// computed for references to a whole resource (`None`: not repeated, or unknown).
    instance_keys: RefCell<HashMap<String, Option<Vec<String>>>>,
}

/// Longest chain of locals evaluated one inside another: each link is a new evaluation
/// with its own expression depth, so the chain needs its own bound to spare the stack.
const MAX_LOCAL_CHAIN: usize = 32;

impl<'p, 'a> Instance<'p, 'a> {
    fn root(project: &'p Project<'a>, module: &'p Module<'a>) -> Self {
        let mut inst = Instance {
            project,
            module,
            prefix: String::new(),
            ref_prefix: format!("{}//", module.dir),
            root_dir: module.dir.clone(),
            module_key: String::new(),
            inputs: BTreeMap::new(),
            is_root: true,
            chain: vec![module.dir.clone()],
            call_sites: Vec::new(),
            default_tags: BTreeMap::new(),
            locals: RefCell::new(HashMap::new()),
            local_depth: std::cell::Cell::new(0),
            instance_keys: RefCell::new(HashMap::new()),
            calls: RefCell::new(HashMap::new()),
        };
        inst.inputs = inst.root_inputs();
        inst.default_tags = inst.own_default_tags();
        inst
    }

    /// Variable values of a root module: tfvars files in precedence order, then `--var`.
    fn root_inputs(&self) -> BTreeMap<String, Value> {
        let mut inputs = BTreeMap::new();
        for f in &self.module.tfvars {
            if tfvars_rank(&f.name).0 == 9 {
                continue;
            }
            for a in &f.body.attrs {
                let v = Evaluator::new(&EmptyScope).eval_attr(&a.expr);
                inputs.insert(a.name.clone(), v);
            }
        }
        for body in self.project.var_files {
            for a in &body.attrs {
                let v = Evaluator::new(&EmptyScope).eval_attr(&a.expr);
                inputs.insert(a.name.clone(), v);
            }
        }
        for (k, v) in &self.project.options.vars {
            let val = match hcl_edit::parser::parse_expr(v) {
                Ok(e) if !matches!(e, hcl_edit::expr::Expression::Variable(_)) => {
                    let body = crate::syntax::hcl::parse(&format!("x = {v}"), u32::MAX);
                    body.body
                        .and_then(|b| b.attrs.into_iter().next())
                        .map(|a| without_spans(Evaluator::new(&EmptyScope).eval_attr(&a.expr)))
                        .unwrap_or_else(|| Value::new(Kind::Str(v.clone()), Span::default()))
                }
                _ => Value::new(Kind::Str(v.clone()), Span::default()),
            };
            inputs.insert(k.clone(), val);
        }
        inputs
    }

    fn own_default_tags(&self) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for p in &self.module.providers {
            if p.labels[0] != "aws" {
                continue;
            }
            let name = match p
                .body
                .attr("alias")
                .map(|a| Evaluator::new(self).eval_attr(&a.expr))
            {
                Some(v) => match v.to_plain_string() {
                    Some(alias) => format!("aws.{alias}"),
                    None => continue,
                },
                None => "aws".to_string(),
            };
            let tags = p
                .body
                .blocks("default_tags")
                .next()
                .and_then(|d| d.body.attr("tags"))
                .map(|a| Evaluator::new(self).eval_attr(&a.expr));
            if let Some(t) = tags {
                out.insert(name, t);
            }
        }
        out
    }

    /// Records the security-relevant attributes of a resource instance that are set but
    /// not statically known, with the construct that makes them so.
    fn note_unevaluated(&self, ev: &mut Evaluator<'_>, block: &Block, body: &Value, address: &str) {
        let rtype = &block.labels[0];
        for path in crate::adapt::security_attributes(rtype) {
            let (attr, value) = match path.split_once('.') {
                None => (block.body.attr(path), body.get(path)),
                Some((b, a)) => {
                    let nested = block.body.blocks.iter().find(|x| x.kind == b);
                    let v = body
                        .get(b)
                        .and_then(|v| match &v.kind {
                            Kind::List(items) => items.first(),
                            _ => Some(v),
                        })
                        .and_then(|v| v.get(a));
                    (nested.and_then(|n| n.body.attr(a)), v)
                }
            };
            let (Some(attr), Some(value)) = (attr, value) else {
                continue;
            };
            SECURITY_ATTRIBUTES[0].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if !value.has_opaque_unknown() {
                continue;
            }
            let Some((span, why)) = unknown_cause(ev, &attr.expr, 0) else {
                SECURITY_ATTRIBUTES[2].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            };
            SECURITY_ATTRIBUTES[1].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.project.unevaluated.borrow_mut().insert((
                self.module.dir.clone(),
                span,
                format!("`{path}` of {address} ({why})"),
            ));
        }
    }

    fn diag(&self, d: Diagnostic) {
        self.project.diags.borrow_mut().push(d);
    }

    /// Evaluates every resource of the module and every module call.
    fn run(&self) {
        for call in &self.module.calls {
            let _ = self.call(&call.labels[0], call.header);
        }
        for r in &self.module.resources {
            self.expand_resource(r);
        }
    }

    /// How a resource block or a module call repeats: its `count` (at most `max_count`
    /// instances) or the keys and values of its `for_each`, evaluated; one expansion for
    /// the instances of resources and module calls, and for references to a resource as a
    /// whole.
    fn repetition<'b>(&self, block: &'b Block, max_count: usize) -> Repetition<'b> {
        if let Some(count) = block.body.attr("count") {
            let value = Evaluator::new(self).eval_attr(&count.expr);
            return match value.as_number() {
                Some(n) if n >= 0.0 => Repetition::Count {
                    n: (n as usize).min(max_count),
                    expr: &count.expr,
                    value,
                },
                _ => Repetition::Unknown,
            };
        }
        let Some(fe) = block.body.attr("for_each") else {
            return Repetition::One;
        };
        let value = Evaluator::new(self).eval_attr(&fe.expr);
        let items: Option<Vec<(String, Value)>> = match &value.kind {
            Kind::Map(m) => Some(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            Kind::List(l) => l
                .iter()
                .map(|x| x.to_plain_string().map(|s| (s, x.clone())))
                .collect(),
            _ => None,
        };
        match items {
            Some(items) => Repetition::Each {
                items,
                expr: &fe.expr,
                value,
            },
            None => Repetition::Unknown,
        }
    }

    /// A `count` above the cap makes the cap's instances: the rest are not analysed, and
    /// the run says so at the `count`.
    fn note_capped(&self, repetition: &Repetition<'_>, max: usize, address: &str) {
        if let Repetition::Count { expr, value, .. } = repetition {
            if value.as_number().is_some_and(|n| n > max as f64) {
                self.diag(Diagnostic::new(
                    codes::EVAL_NOTE,
                    Severity::Warning,
                    expr.span,
                    format!(
                        "`count` of {address} makes more than {max} instances: the first {max} are analysed, the rest are not"
                    ),
                ));
            }
        }
    }

    fn expand_resource(&self, block: &Block) {
        let (rtype, name) = (&block.labels[0], &block.labels[1]);
        let rtype_full = if block.kind == "data" {
            format!("data.{rtype}")
        } else {
            rtype.clone()
        };
        let ref_name = format!("{}{}.{}", self.ref_prefix, rtype_full, name);
        let address = format!("{}{}.{}", self.prefix, rtype_full, name);
        let mut instances: Vec<PendingInstance> = Vec::new();
        // The switch that leaves the resource out: `count = 0`, an empty `for_each`.
        let mut switched_off = None;
        let repetition = self.repetition(block, MAX_RESOURCE_COUNT);
        self.note_capped(&repetition, MAX_RESOURCE_COUNT, &address);
        match repetition {
            Repetition::One => instances.push((address.clone(), Vec::new(), false)),
            Repetition::Unknown => instances.push((address.clone(), Vec::new(), true)),
            repeated => {
                if let Some((expr, value)) = repeated.switch() {
                    switched_off = Some((expr.span, switch_origin(self, expr, value)));
                }
                for (key, bindings) in repeated.instances() {
                    instances.push((format!("{address}{key}"), bindings, false));
                }
            }
        }
        let provider = block
            .body
            .attr("provider")
            .and_then(|a| provider_name(&a.expr))
            .unwrap_or_else(|| "aws".to_string());
        // `aws_autoscaling_group` does not take the provider's default tags.
        let default_tags = if block.kind == "resource" && rtype != "aws_autoscaling_group" {
            self.default_tags.get(&provider).cloned()
        } else {
            None
        };
        let mut out = Vec::with_capacity(instances.len());
        // Only the types whose absence a rule explains are evaluated when switched off.
        let switched_off = switched_off
            .filter(|_| block.kind == "resource" && crate::adapt::explains_absence(rtype));
        if switched_off.is_some() {
            // One placeholder, evaluated without `count`/`each`, says what was left out.
            instances.push((address.clone(), Vec::new(), false));
        }
        for (address, bindings, maybe_absent) in instances {
            let mut ev = Evaluator::with_bindings(self, bindings);
            let body = eval_body(&mut ev, &block.body, block.span);
            if switched_off.is_none() {
                self.note_unevaluated(&mut ev, block, &body, &address);
            }
            out.push(ResourceInstance {
                framework: Framework::Terraform,
                rtype: rtype_full.clone(),
                address,
                ref_name: ref_name.clone(),
                header: block.header,
                body,
                default_tags: default_tags.clone(),
                maybe_absent,
                scope: format!("{}|{}", self.module.dir, self.ref_prefix),
                call_sites: self.call_sites.clone(),
                switched_off,
            });
        }
        self.project.out.borrow_mut().extend(out);
    }

    /// Instantiates a module call once; its value is the object of its outputs.
    fn call(&self, name: &str, span: Span) -> EvalResult {
        if let Some(slot) = self.calls.borrow().get(name) {
            return match slot {
                Slot::Done(v, w) => Ok(self.copy(v, *w, span)),
                Slot::InProgress => Ok(Value::unknown(span)),
            };
        }
        let Some(block) = self.module.calls.iter().find(|c| c.labels[0] == name) else {
            return Err(EvalError);
        };
        self.calls
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        let v = self.instantiate(name, block);
        let w = weight(&v);
        self.calls
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone(), w));
        Ok(v)
    }

    /// A copy of a local's or module's value, within the root module's budget.
    fn copy(&self, v: &Value, weight: usize, span: Span) -> Value {
        let before = self.project.copied.get();
        let after = before.saturating_add(weight);
        self.project.copied.set(after);
        if after <= MAX_COPIED {
            return v.clone();
        }
        if before <= MAX_COPIED {
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Warning,
                span,
                "locals and module outputs here copy values that grow too large (each reference copies its value); from here on they are unknown".to_string(),
            ));
        }
        Value::unknown(span)
    }

    fn instantiate(&self, name: &str, block: &Block) -> Value {
        let unknown = Value::unknown(block.header);
        let installed = || {
            self.project
                .manifests
                .get(&self.root_dir)
                .and_then(|m| m.get(&format!("{}{name}", self.module_key)))
                .cloned()
        };
        let Some(dir) = local_source(self.module, block).or_else(installed) else {
            let src = block
                .body
                .attr("source")
                .and_then(|a| match &a.expr.kind {
                    crate::syntax::hcl::ExprKind::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            if is_null_label(&src) {
                return self.null_label(block);
            }
            // Gathered per module directory into one note (see `unresolved_notes`).
            self.project.unresolved.borrow_mut().insert((
                self.module.dir.clone(),
                block.header,
                format!("`{name}` (source `{src}`)"),
            ));
            return unknown;
        };
        let Some(child) = self.project.modules.get(dir.as_str()) else {
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Note,
                block.header,
                format!("module `{name}`: source directory `{dir}` is not in the scanned tree (outside the scan root?); its resources are not analysed"),
            ));
            return unknown;
        };
        if let Some(at) = self.chain.iter().position(|d| *d == dir) {
            let shown = |d: &str| {
                if d.is_empty() {
                    ".".to_string()
                } else {
                    d.to_string()
                }
            };
            let cycle: Vec<String> = self.chain[at..]
                .iter()
                .chain(std::iter::once(&dir))
                .map(|d| shown(d))
                .collect();
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Warning,
                block.header,
                format!(
                    "module `{name}`: module calls form a cycle ({}); not followed",
                    cycle.join(" → ")
                ),
            ));
            return unknown;
        }
        // `chain` holds the root too: its length less one is the nesting depth.
        if self.chain.len() > MAX_MODULE_DEPTH {
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Warning,
                block.header,
                format!("module `{name}`: module calls nest deeper than {MAX_MODULE_DEPTH} levels (a cycle?); not followed"),
            ));
            return unknown;
        }
        if block.body.attr("count").is_some() || block.body.attr("for_each").is_some() {
            // Each instance is evaluated as its own call: resources get their keys.
            return self.instantiate_repeated(name, block, child);
        }
        let child_inst = self.child(
            child,
            format!("{}module.{name}.", self.prefix),
            block,
            Vec::new(),
        );
        child_inst.run();
        child_inst.outputs()
    }

    /// The `enabled` output of `cloudposse/label/null` (and the `enabled` of its
    /// `context` output), which the cloudposse modules use to switch every resource on or
    /// off (`count = module.this.enabled ? 1 : 0`). The label module is a registry module,
    /// usually not downloaded; its `enabled` is its `enabled` input, else its `context`
    /// input's, else true (its default context). Its other outputs stay unknown.
    fn null_label(&self, block: &Block) -> Value {
        let span = block.header;
        let input = |name: &str| {
            block
                .body
                .attr(name)
                .map(|a| Evaluator::new(self).eval_attr(&a.expr))
        };
        let enabled = match input("enabled") {
            Some(v) if v.as_bool().is_some() => Some(v),
            Some(v) if !v.is_null() => None,
            _ => match input("context") {
                None => Some(Value::new(Kind::Bool(true), span)),
                Some(c) if c.is_null() => Some(Value::new(Kind::Bool(true), span)),
                Some(c) => match c.get("enabled") {
                    Some(e) if e.as_bool().is_some() => Some(e.clone()),
                    Some(e) if e.is_null() => Some(Value::new(Kind::Bool(true), span)),
                    _ => None,
                },
            },
        };
        let enabled = enabled.unwrap_or_else(|| Value::unknown(span));
        let mut context = BTreeMap::new();
        context.insert("enabled".to_string(), enabled.clone());
        let mut out = BTreeMap::new();
        out.insert("enabled".to_string(), enabled);
        out.insert("context".to_string(), Value::new(Kind::Map(context), span));
        Value::new(Kind::Map(out), span)
    }

    /// Each instance of a module call with `count` or `for_each` evaluated as its own call
    /// (its resources get their keys); one call without keys when they are not statically
    /// known.
    fn instantiate_repeated(&self, name: &str, block: &Block, child: &'p Module<'a>) -> Value {
        let repetition = self.repetition(block, MAX_MODULE_COUNT);
        self.note_capped(
            &repetition,
            MAX_MODULE_COUNT,
            &format!("{}module.{name}", self.prefix),
        );
        let keys = match repetition {
            Repetition::One | Repetition::Unknown => vec![(String::new(), Vec::new())],
            repeated => repeated.instances(),
        };
        for (key, bindings) in keys {
            let inst = self.child(
                child,
                format!("{}module.{name}{key}.", self.prefix),
                block,
                bindings,
            );
            inst.run();
        }
        Value::unknown(block.header)
    }

    fn child(
        &self,
        child: &'p Module<'a>,
        prefix: String,
        block: &Block,
        bindings: Vec<(String, Value)>,
    ) -> Instance<'p, 'a> {
        let mut inputs = BTreeMap::new();
        for a in &block.body.attrs {
            if matches!(
                a.name.as_str(),
                "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
            ) {
                continue;
            }
            let mut ev = Evaluator::with_bindings(self, bindings.clone());
            inputs.insert(a.name.clone(), ev.eval_attr(&a.expr));
        }
        // Providers: the child's default `aws` is the one passed in, or the caller's.
        let mut default_tags = BTreeMap::new();
        if let Some(t) = self.default_tags.get("aws") {
            default_tags.insert("aws".to_string(), t.clone());
        }
        if let Some(p) = block.body.attr("providers") {
            if let crate::syntax::hcl::ExprKind::Object(items) = &p.expr.kind {
                for (k, v) in items {
                    let key = match &k.kind {
                        crate::syntax::hcl::ExprKind::Var(n)
                        | crate::syntax::hcl::ExprKind::Str(n) => Some(n.clone()),
                        _ => provider_name(k),
                    };
                    if let (Some(key), Some(src)) = (key, provider_name(v)) {
                        match self.default_tags.get(&src) {
                            Some(t) => default_tags.insert(key, t.clone()),
                            None => default_tags.remove(&key),
                        };
                    }
                }
            }
        }
        let mut call_sites = self.call_sites.clone();
        call_sites.push(block.header);
        let mut chain = self.chain.clone();
        chain.push(child.dir.clone());
        let mut inst = Instance {
            project: self.project,
            module: child,
            ref_prefix: format!("{}//{}", self.root_dir, prefix),
            root_dir: self.root_dir.clone(),
            module_key: format!("{}{}.", self.module_key, block.labels[0]),
            prefix,
            inputs,
            is_root: false,
            chain,
            call_sites,
            default_tags,
            locals: RefCell::new(HashMap::new()),
            local_depth: std::cell::Cell::new(0),
            instance_keys: RefCell::new(HashMap::new()),
            calls: RefCell::new(HashMap::new()),
        };
        // A child's own provider blocks (legacy) override what was passed.
        let own = inst.own_default_tags();
        inst.default_tags.extend(own);
        inst
    }

    fn outputs(&self) -> Value {
        let mut m = BTreeMap::new();
        for o in &self.module.outputs {
            let v = match o.body.attr("value") {
                Some(a) => Evaluator::new(self).eval_attr(&a.expr),
                None => Value::unknown(o.header),
            };
            m.insert(o.labels[0].clone(), v);
        }
        Value::new(Kind::Map(m), Span::default())
    }
}

/// A value given on the command line has no place in any file.
fn without_spans(mut v: Value) -> Value {
    v.span = Span::default();
    v.from = None;
    v.kind = match v.kind {
        Kind::List(items) => Kind::List(items.into_iter().map(without_spans).collect()),
        Kind::Map(m) => Kind::Map(m.into_iter().map(|(k, x)| (k, without_spans(x))).collect()),
        k => k,
    };
    v
}

fn each(k: &str, v: Value, span: Span) -> Vec<(String, Value)> {
    let mut m = BTreeMap::new();
    m.insert(
        "key".to_string(),
        Value::new(Kind::Str(k.to_string()), span),
    );
    m.insert("value".to_string(), v);
    vec![("each".into(), Value::new(Kind::Map(m), span))]
}

fn quote(k: &str) -> String {
    format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `aws.west` from a provider reference expression.
fn provider_name(e: &crate::syntax::hcl::Expr) -> Option<String> {
    use crate::syntax::hcl::{ExprKind, Step};
    match &e.kind {
        ExprKind::Var(n) => Some(n.clone()),
        ExprKind::Traversal(root, steps) => match (&root.kind, steps.as_slice()) {
            (ExprKind::Var(n), [Step::Attr(a)]) => Some(format!("{n}.{a}")),
            _ => None,
        },
        _ => None,
    }
}

/// Evaluates a block body into a map: attributes by name, nested blocks as lists of maps.
/// `dynamic` blocks are unknown.
pub fn eval_body(ev: &mut Evaluator<'_>, body: &Body, span: Span) -> Value {
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    for a in &body.attrs {
        m.insert(a.name.clone(), ev.eval_attr(&a.expr));
    }
    for b in &body.blocks {
        if b.kind == "dynamic" {
            if let Some(label) = b.labels.first() {
                m.insert(label.clone(), Value::unknown(b.header));
            }
            continue;
        }
        let v = eval_body(ev, &b.body, b.span);
        let entry = m
            .entry(b.kind.clone())
            .or_insert_with(|| Value::new(Kind::List(Vec::new()), b.span));
        if let Kind::List(l) = &mut entry.kind {
            l.push(v);
        }
    }
    Value::new(Kind::Map(m), span)
}

struct EmptyScope;

impl Scope for EmptyScope {
    fn var(&self, _: &str, span: Span) -> EvalResult {
        Ok(Value::unknown(span))
    }
    fn local(&self, _: &str, span: Span) -> EvalResult {
        Ok(Value::unknown(span))
    }
    fn module(&self, _: &str, span: Span) -> EvalResult {
        Ok(Value::unknown(span))
    }
    fn ref_prefix(&self) -> &str {
        ""
    }
    fn path_module(&self) -> String {
        ".".into()
    }
}

impl Scope for Instance<'_, '_> {
    fn var(&self, name: &str, span: Span) -> EvalResult {
        let decl = self.module.variables.get(name);
        let given = self.inputs.get(name).cloned();
        let v = match (given, decl) {
            (Some(v), _) if !v.is_null() || self.is_root => v,
            (_, Some(d)) => match d.body.attr("default") {
                Some(a) => Evaluator::new(&EmptyScope).eval_attr(&a.expr),
                None => Value::unknown(span),
            },
            (Some(v), None) => v,
            (None, None) => return Err(EvalError),
        };
        Ok(convert_to_type(v, decl.and_then(|d| d.body.attr("type"))))
    }

    fn local(&self, name: &str, span: Span) -> EvalResult {
        match self.locals.borrow().get(name) {
            Some(Slot::Done(v, w)) => return Ok(self.copy(v, *w, span)),
            Some(Slot::InProgress) => {
                self.diag(Diagnostic::new(
                    codes::EVAL_NOTE,
                    Severity::Warning,
                    span,
                    format!("local.{name} depends on itself; its value is unknown"),
                ));
                return Ok(Value::unknown(span));
            }
            None => {}
        }
        let Some(attr) = self.module.locals.get(name) else {
            return Err(EvalError);
        };
        if self.local_depth.get() >= MAX_LOCAL_CHAIN {
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Warning,
                span,
                format!(
                    "local.{name} is more than {MAX_LOCAL_CHAIN} locals deep in a chain of locals; its value is unknown"
                ),
            ));
            return Ok(Value::unknown(span));
        }
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        self.local_depth.set(self.local_depth.get() + 1);
        let v = Evaluator::new(self).eval_attr(&attr.expr);
        self.local_depth.set(self.local_depth.get() - 1);
        let w = weight(&v);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone(), w));
        Ok(v)
    }

    fn module(&self, call: &str, span: Span) -> EvalResult {
        self.call(call, span)
    }

    fn ref_prefix(&self) -> &str {
        &self.ref_prefix
    }

    fn instance_keys(&self, resource: &str) -> Option<Vec<String>> {
        if let Some(k) = self.instance_keys.borrow().get(resource) {
            return k.clone();
        }
        // A `count`/`for_each` naming another resource's instances, and so on: the
        // chain shares the bound of chains of locals.
        if self.local_depth.get() >= MAX_LOCAL_CHAIN {
            return None;
        }
        let (kind, rest) = match resource.strip_prefix("data.") {
            Some(rest) => ("data", rest),
            None => ("resource", resource),
        };
        let (rtype, name) = rest.split_once('.')?;
        let block = self
            .module
            .resources
            .iter()
            .find(|b| b.kind == kind && b.labels[0] == rtype && b.labels[1] == name)?;
        self.local_depth.set(self.local_depth.get() + 1);
        let keys = match self.repetition(block, MAX_RESOURCE_COUNT) {
            Repetition::Count { n, .. } => Some((0..n).map(|i| format!("[{i}]")).collect()),
            Repetition::Each { items, .. } => Some(
                items
                    .iter()
                    .map(|(k, _)| format!("[{}]", quote(k)))
                    .collect(),
            ),
            Repetition::One | Repetition::Unknown => None,
        };
        self.local_depth.set(self.local_depth.get() - 1);
        self.instance_keys
            .borrow_mut()
            .insert(resource.to_string(), keys.clone());
        keys
    }

    fn path_module(&self) -> String {
        relative_dir(&self.root_dir, &self.module.dir)
    }

    fn read_file(&self, path: &str, span: Span) -> Option<String> {
        let note = |why: String| {
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Note,
                span,
                format!("`{path}` is not read ({why}); the value is unknown"),
            ));
            None
        };
        let Some(root) = &self.project.options.root else {
            return note("files are not read in this mode".into());
        };
        // Relative paths are relative to the root module's directory, as Terraform runs
        // there (`path.cwd`); `path.module` is relative to it too.
        let Some(name) = inside_tree(&self.root_dir, path) else {
            return note("it lies outside the scanned tree".into());
        };
        let full = root.join(&name);
        match std::fs::symlink_metadata(&full) {
            Ok(m) if m.file_type().is_symlink() => note("it is a symbolic link".into()),
            Ok(m) if !m.is_file() => note("it is not a regular file".into()),
            Ok(m) if m.len() > MAX_READ_FILE => {
                note(format!("it is larger than {MAX_READ_FILE} bytes"))
            }
            Ok(_) => match std::fs::read_to_string(&full) {
                Ok(t) => Some(t),
                Err(e) => note(format!("{e}")),
            },
            Err(_) => note("no such file in the scanned tree".into()),
        }
    }

    fn list_files(&self, dir: &str, pattern: &str, span: Span) -> Option<Vec<String>> {
        let root = self.project.options.root.as_ref()?;
        let Some(name) = inside_tree(&self.root_dir, dir) else {
            self.diag(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Note,
                span,
                format!("`{dir}` lies outside the scanned tree: not listed; the value is unknown"),
            ));
            return None;
        };
        let glob = globset::Glob::new(pattern).ok()?.compile_matcher();
        let base = root.join(&name);
        let mut out = Vec::new();
        let mut stack = vec![base.clone()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).ok()?;
            for e in entries.flatten() {
                let p = e.path();
                let Ok(t) = e.file_type() else { continue };
                if t.is_symlink() {
                    continue;
                }
                if t.is_dir() {
                    if stack.len() + out.len() < 10_000 {
                        stack.push(p);
                    }
                    continue;
                }
                let rel = p
                    .strip_prefix(&base)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                if glob.is_match(&rel) {
                    out.push(rel);
                }
            }
        }
        out.sort();
        Some(out)
    }
}

/// A path as Terraform names it (relative to the root module's directory `root_dir`), as
/// a path relative to the scan root; `None` when it is absolute or leaves the tree.
fn inside_tree(root_dir: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.starts_with('~') || path.contains('\\') || path.contains(':') {
        return None;
    }
    join_dir(root_dir, path).filter(|p| p != ".." && !p.starts_with("../"))
}

/// `to` (a module directory relative to the scan root) seen from `from` (the root
/// module's directory): what Terraform's `path.module` is.
fn relative_dir(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = std::iter::repeat_n("..", from.len() - common).collect();
    parts.extend(&to[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Applies a variable's simple type constraint where it changes the value
/// (`"true"` for a `bool` variable).
fn convert_to_type(v: Value, ty: Option<&Attr>) -> Value {
    match ty {
        Some(ty) => apply_type(v, &ty.expr, 0),
        None => v,
    }
}

/// Applies a type constraint: primitive conversions, and `optional(type, default)`
/// attributes of object types (also inside `list(object(...))` and `map(object(...))`).
fn apply_type(v: Value, ty: &crate::syntax::hcl::Expr, depth: usize) -> Value {
    use crate::syntax::hcl::ExprKind;
    if depth > 32 {
        return v;
    }
    match &ty.kind {
        ExprKind::Var(t) => {
            let kind = match (t.as_str(), &v.kind) {
                ("bool", Kind::Str(_)) => v.as_bool().map(Kind::Bool),
                ("number", Kind::Str(_)) => v.as_number().map(Kind::Number),
                ("string", Kind::Bool(_) | Kind::Number(_)) => v.to_plain_string().map(Kind::Str),
                _ => None,
            };
            match kind {
                Some(k) => Value { kind: k, ..v },
                None => v,
            }
        }
        ExprKind::Call(name, args, _) if name == "object" => {
            let (Some(ExprKind::Object(fields)), Kind::Map(m)) =
                (args.first().map(|a| &a.kind), &v.kind)
            else {
                return v;
            };
            let mut m = m.clone();
            for (k, fty) in fields {
                let key = match &k.kind {
                    ExprKind::Var(n) | ExprKind::Str(n) => n.clone(),
                    _ => continue,
                };
                let (inner, default, optional) = match &fty.kind {
                    ExprKind::Call(n, a, _) if n == "optional" => (a.first(), a.get(1), true),
                    _ => (Some(fty), None, false),
                };
                let current = m.get(&key).filter(|x| !x.is_null()).cloned();
                let value = match (current, default) {
                    (Some(x), _) => Some(x),
                    (None, Some(d)) => Some(Evaluator::new(&EmptyScope).eval_attr(d)),
                    // An optional attribute left out, with no default, is null: a known
                    // value (`x == null ? ... : ...` takes its branch).
                    (None, None) if optional => Some(Value::new(Kind::Null, k.span)),
                    (None, None) => None,
                };
                if let Some(x) = value {
                    let x = match inner {
                        Some(t) => apply_type(x, t, depth + 1),
                        None => x,
                    };
                    m.insert(key, x);
                }
            }
            Value {
                kind: Kind::Map(m),
                ..v
            }
        }
        ExprKind::Call(name, args, _) if matches!(name.as_str(), "list" | "set" | "map") => {
            let Some(inner) = args.first() else { return v };
            let kind = match v.kind {
                Kind::List(items) => Kind::List(
                    items
                        .into_iter()
                        .map(|x| apply_type(x, inner, depth + 1))
                        .collect(),
                ),
                Kind::Map(m) if name == "map" => Kind::Map(
                    m.into_iter()
                        .map(|(k, x)| (k, apply_type(x, inner, depth + 1)))
                        .collect(),
                ),
                other => other,
            };
            Value { kind, ..v }
        }
        _ => v,
    }
}
