//! Terraform plan JSON (`terraform show -json tfplan`) read into Terraform resource
//! instances, analysed like an evaluated root module.
//!
//! Values come from `resource_changes[].change.after` (from `planned_values` for a
//! resource without a change); a leaf `after_unknown` marks is Unknown. Where `after`
//! cannot say what a value refers to, the `configuration` section's references (through
//! module calls and their arguments) make it a symbolic reference, so the model links it
//! as it links source. An argument the configuration does not write is left out, as in
//! source: its service default applies. Spans point into the plan, or, when the plan's
//! configuration is in the scanned tree, into the `.tf` files that write it.

pub mod refs;
pub mod source;

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::resource::{Framework, ResourceInstance};
use crate::source::Span;
use crate::syntax::tree::{Node, NodeKind};
use crate::value::{Kind, Reference, Value};
use refs::Target;
use source::{SourceTree, Written};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Largest plan file read (plans of large configurations run to hundreds of megabytes;
/// `--max-file-size` applies to configuration files).
pub const MAX_PLAN_SIZE: u64 = 1 << 30;

/// A cheap look at a JSON text before parsing it: a plan names its format version and its
/// planned values or changes, and is not a CloudFormation template.
pub fn looks_like_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
        && !text.contains("\"AWSTemplateFormatVersion\"")
}

/// Whether a JSON document is a plan: `format_version` 0.x or 1.x and `planned_values` or
/// `resource_changes` at the top level.
pub fn is_plan(root: &Node) -> bool {
    let version = root.get("format_version").and_then(Node::as_str);
    version.is_some_and(|v| v.split('.').count() >= 2)
        && (root.get("planned_values").is_some() || root.get("resource_changes").is_some())
}

/// What reading a plan gives.
#[derive(Default)]
pub struct Planned {
    pub instances: Vec<ResourceInstance>,
    pub diagnostics: Vec<Diagnostic>,
    /// Each planned instance's object in the plan, by address.
    pub objects: Vec<(String, Span)>,
}

/// How the plan is placed: the name its references are kept apart by (the root module
/// directory, or the plan's name), and the configuration when it is in the tree.
pub struct Placement<'a> {
    pub root: String,
    pub source: Option<SourceTree<'a>>,
}

/// One planned resource instance, before its value is read.
struct Planned1<'a> {
    address: &'a str,
    module_address: String,
    local: String,
    instance: String,
    /// The resource's object in `resource_changes` (or `planned_values`): its `address`
    /// entry.
    header: Span,
    after: Option<&'a Node>,
    unknown: Option<&'a Node>,
    sensitive: Option<&'a Node>,
}

/// The configuration section, indexed: resources and module calls by module path
/// (`a.b` for `module.a.module.b`, without instance keys).
#[derive(Default)]
struct Configuration<'a> {
    present: bool,
    resources: HashMap<(String, String), &'a Node>,
    calls: HashMap<(String, String), &'a Node>,
}

impl<'a> Configuration<'a> {
    fn read(plan: &'a Node) -> Configuration<'a> {
        let mut out = Configuration::default();
        let Some(root) = plan.get("configuration").and_then(|c| c.get("root_module")) else {
            return out;
        };
        out.present = true;
        let mut stack = vec![(String::new(), root, 0)];
        while let Some((path, m, depth)) = stack.pop() {
            for r in seq(m.get("resources")) {
                if let Some(a) = r.get("address").and_then(Node::as_str) {
                    out.resources.insert((path.clone(), a.to_string()), r);
                }
            }
            for e in m.get("module_calls").map(Node::entries).unwrap_or_default() {
                out.calls.insert((path.clone(), e.key.clone()), &e.value);
                if let Some(child) = e.value.get("module").filter(|_| depth < 64) {
                    let p = if path.is_empty() {
                        e.key.clone()
                    } else {
                        format!("{path}.{}", e.key)
                    };
                    stack.push((p, child, depth + 1));
                }
            }
        }
        out
    }
}

fn seq(n: Option<&Node>) -> &[Node] {
    match n.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

/// A module instance: its calls with instance keys, as in `module.a["x"].module.b`.
#[derive(Clone)]
struct ModuleInstance {
    calls: Vec<(String, Option<String>)>,
}

impl ModuleInstance {
    /// The configuration path (`a.b`).
    fn path(&self) -> String {
        self.calls
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The address prefix (`module.a["x"].module.b.`).
    fn prefix(&self) -> String {
        self.calls
            .iter()
            .map(|(n, k)| format!("module.{n}{}.", k.as_deref().unwrap_or("")))
            .collect()
    }

    fn parent(&self) -> Option<(ModuleInstance, &str)> {
        let (last, rest) = self.calls.split_last()?;
        Some((
            ModuleInstance {
                calls: rest.to_vec(),
            },
            last.0.as_str(),
        ))
    }

    fn child(&self, call: &str, key: Option<String>) -> ModuleInstance {
        let mut calls = self.calls.clone();
        calls.push((call.to_string(), key));
        ModuleInstance { calls }
    }
}

/// What the configuration says about one value: nothing (no configuration for the
/// resource: every value of `after` counts), a block's arguments, a list of nested blocks,
/// or an argument's expression (values inside it have no configuration of their own).
#[derive(Clone, Copy)]
enum Cfg<'a> {
    Unconfigured,
    Block(&'a Node),
    Blocks(&'a [Node]),
    Expr(&'a Node),
    InsideExpr,
}

impl<'a> Cfg<'a> {
    fn of(n: &'a Node) -> Cfg<'a> {
        match &n.kind {
            NodeKind::Seq(items) => Cfg::Blocks(items),
            NodeKind::Map(entries)
                if !entries.is_empty()
                    && entries
                        .iter()
                        .all(|e| e.key == "constant_value" || e.key == "references") =>
            {
                Cfg::Expr(n)
            }
            NodeKind::Map(_) => Cfg::Block(n),
            _ => Cfg::InsideExpr,
        }
    }
}

/// An empty object: the arguments of a block that writes none.
static NO_ARGUMENTS: Node = Node {
    span: Span {
        file: 0,
        start: 0,
        end: 0,
    },
    kind: NodeKind::Map(Vec::new()),
};

/// Reads a plan into resource instances.
pub fn read(plan: &Node, placement: &Placement<'_>) -> Planned {
    let mut out = Planned::default();
    let version = plan
        .get("format_version")
        .and_then(Node::as_str)
        .unwrap_or("");
    if !(version.starts_with("0.") || version.starts_with("1.")) {
        let span = plan.get("format_version").map_or(plan.span, |n| n.span);
        out.diagnostics.push(Diagnostic::new(
            codes::EVAL_NOTE,
            Severity::Warning,
            span,
            format!("plan format version {version} is newer than the 1.x this version reads; read as 1.x"),
        ));
    }
    let config = Configuration::read(plan);
    let planned = planned_instances(plan, &mut out);
    let afters: HashMap<&str, &Node> = planned
        .iter()
        .filter_map(|p| Some((p.address, p.after?)))
        .collect();
    let analysed: BTreeSet<&str> = planned.iter().map(|p| p.address).collect();
    let mut reader = Reader {
        config: &config,
        afters: &afters,
        analysed: &analysed,
        root: &placement.root,
        source: placement.source.as_ref(),
        unevaluated: BTreeMap::new(),
        blocked: RefCell::new(None),
        reasons: HashMap::new(),
    };
    for p in &planned {
        if let Some(r) = reader.instance(p) {
            out.objects.push((r.address.clone(), p.header));
            out.instances.push(r);
        }
    }
    out.diagnostics
        .extend(unevaluated_notes(reader.unevaluated));
    out
}

/// The `not-evaluated` notes, one per module: where the source is in the tree, placed
/// there, with a label at the first attribute's place in the plan (so the note belongs to
/// the plan when only the plan is named).
fn unevaluated_notes(found: BTreeMap<(String, Span, String), Span>) -> Vec<Diagnostic> {
    let mut by_dir: BTreeMap<String, BTreeMap<(String, Span, String), Span>> = BTreeMap::new();
    for (k, in_plan) in found {
        by_dir.entry(k.0.clone()).or_default().insert(k, in_plan);
    }
    let mut out = Vec::new();
    for items in by_dir.into_values() {
        let first_in_plan = items.values().next().copied();
        let notes = crate::terraform::unevaluated_notes(items.into_keys().collect());
        for mut d in notes {
            if let Some(at) = first_in_plan.filter(|s| s.file != d.primary.file) {
                d = d.with_label(at, "in the plan");
            }
            out.push(d);
        }
    }
    out
}

/// The resource instances the plan leaves in place after apply, in the plan's order:
/// those of `resource_changes` but deletions (and data sources read before, `no-op`), then
/// those of `planned_values` that no change lists.
fn planned_instances<'a>(plan: &'a Node, out: &mut Planned) -> Vec<Planned1<'a>> {
    let mut found = Vec::new();
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    if let Some(rcs) = plan.get("resource_changes") {
        if !matches!(rcs.kind, NodeKind::Seq(_)) {
            out.diagnostics.push(Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                rcs.span,
                "`resource_changes` of a plan is a list of resource changes; this one is not read",
            ));
        }
    }
    for rc in seq(plan.get("resource_changes")) {
        let Some(address) = rc.get("address").and_then(Node::as_str) else {
            out.diagnostics.push(Diagnostic::new(
                codes::PARSE_ERROR,
                Severity::Error,
                rc.span,
                "a resource change without an `address`; not analysed",
            ));
            continue;
        };
        listed.insert(address);
        // The object a replacement leaves behind is deleted.
        if rc.get("deposed").is_some() {
            continue;
        }
        let change = rc.get("change");
        let actions: Vec<&str> = seq(change.and_then(|c| c.get("actions")))
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let data = rc.get("mode").and_then(Node::as_str) == Some("data");
        let kept = !actions.is_empty()
            && actions.iter().any(|a| *a != "delete" && *a != "forget")
            && !(data && actions == ["no-op"]);
        if !kept {
            continue;
        }
        if let Some(p) = planned1(rc, address, change.and_then(|c| c.get("after")), change) {
            found.push(p);
        }
    }
    // Resources the plan lists without a change (a hand-made or filtered plan).
    let mut stack: Vec<&Node> = plan
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
        .into_iter()
        .collect();
    let mut modules = 0;
    while let Some(m) = stack.pop() {
        modules += 1;
        if modules > 100_000 {
            break;
        }
        for r in seq(m.get("resources")) {
            let Some(address) = r.get("address").and_then(Node::as_str) else {
                continue;
            };
            if listed.contains(address) {
                continue;
            }
            let data = r.get("mode").and_then(Node::as_str) == Some("data");
            if data {
                continue;
            }
            if let Some(mut p) = planned1(r, address, r.get("values"), None) {
                p.sensitive = r.get("sensitive_values");
                found.push(p);
            }
        }
        stack.extend(seq(m.get("child_modules")).iter().rev());
    }
    found
}

fn planned1<'a>(
    r: &'a Node,
    address: &'a str,
    after: Option<&'a Node>,
    change: Option<&'a Node>,
) -> Option<Planned1<'a>> {
    let module_address = r
        .get("module_address")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let rtype = r.get("type").and_then(Node::as_str)?;
    let name = r.get("name").and_then(Node::as_str)?;
    let data = r.get("mode").and_then(Node::as_str) == Some("data");
    let local = if data {
        format!("data.{rtype}.{name}")
    } else {
        format!("{rtype}.{name}")
    };
    let prefix = if module_address.is_empty() {
        String::new()
    } else {
        format!("{module_address}.")
    };
    let instance = address
        .strip_prefix(prefix.as_str())
        .and_then(|a| a.strip_prefix(local.as_str()))
        .unwrap_or("")
        .to_string();
    let entry = r.entry("address")?;
    Some(Planned1 {
        address,
        module_address,
        local,
        instance,
        header: entry.key_span.to(entry.value.span),
        after: after.filter(|a| !a.is_null_node()),
        unknown: change.and_then(|c| c.get("after_unknown")),
        sensitive: change.and_then(|c| c.get("after_sensitive")),
    })
}

trait NullNode {
    fn is_null_node(&self) -> bool;
}

impl NullNode for Node {
    fn is_null_node(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }
}

/// The spans of a plan that hold sensitive values: those `after_sensitive`,
/// `before_sensitive` and `sensitive_values` mark (planned values and the prior state),
/// and the values of variables declared sensitive.
pub fn sensitive(plan: &Node) -> Vec<Span> {
    let mut out = Vec::new();
    for rc in seq(plan.get("resource_changes")) {
        let change = rc.get("change");
        for (v, m) in [("after", "after_sensitive"), ("before", "before_sensitive")] {
            if let (Some(v), Some(m)) =
                (change.and_then(|c| c.get(v)), change.and_then(|c| c.get(m)))
            {
                sensitive_spans(v, m, &mut out);
            }
        }
    }
    let mut stack: Vec<&Node> = [
        plan.get("planned_values"),
        plan.get("prior_state").and_then(|p| p.get("values")),
    ]
    .into_iter()
    .flatten()
    .filter_map(|v| v.get("root_module"))
    .collect();
    let mut modules = 0;
    while let Some(m) = stack.pop() {
        modules += 1;
        if modules > 100_000 {
            break;
        }
        for r in seq(m.get("resources")) {
            if let (Some(v), Some(s)) = (r.get("values"), r.get("sensitive_values")) {
                sensitive_spans(v, s, &mut out);
            }
        }
        stack.extend(seq(m.get("child_modules")));
    }
    let declared = plan
        .get("configuration")
        .and_then(|c| c.get("root_module"))
        .and_then(|m| m.get("variables"));
    for e in plan.get("variables").map(Node::entries).unwrap_or_default() {
        let secret = declared
            .and_then(|d| d.get(&e.key))
            .and_then(|d| d.get("sensitive"))
            .is_some_and(|s| matches!(s.kind, NodeKind::Bool(true)));
        if let (true, Some(v)) = (secret, e.value.get("value")) {
            out.push(v.span);
        }
    }
    // Sensitive outputs.
    for section in ["output_changes"] {
        for e in plan.get(section).map(Node::entries).unwrap_or_default() {
            let secret = e
                .value
                .get("after_sensitive")
                .is_some_and(|s| matches!(s.kind, NodeKind::Bool(true)));
            if secret {
                out.extend(
                    ["after", "before"]
                        .iter()
                        .filter_map(|k| e.value.get(k))
                        .map(|v| v.span),
                );
            }
        }
    }
    if let Some(outputs) = plan.get("planned_values").and_then(|p| p.get("outputs")) {
        for e in outputs.entries() {
            if e.value
                .get("sensitive")
                .is_some_and(|s| matches!(s.kind, NodeKind::Bool(true)))
            {
                out.extend(e.value.get("value").map(|v| v.span));
            }
        }
    }
    out
}

/// The spans of the leaves a `*_sensitive` mask marks.
fn sensitive_spans(value: &Node, mask: &Node, out: &mut Vec<Span>) {
    let mut stack = vec![(value, mask, 0)];
    while let Some((v, m, depth)) = stack.pop() {
        match (&v.kind, &m.kind) {
            (_, NodeKind::Bool(true)) => out.push(v.span),
            (NodeKind::Map(_), NodeKind::Map(entries)) if depth < 200 => {
                for e in entries {
                    if let Some(x) = v.get(&e.key) {
                        stack.push((x, &e.value, depth + 1));
                    }
                }
            }
            (NodeKind::Seq(items), NodeKind::Seq(masks)) if depth < 200 => {
                for (x, mk) in items.iter().zip(masks) {
                    stack.push((x, mk, depth + 1));
                }
            }
            _ => {}
        }
    }
}

struct Reader<'a, 'p> {
    config: &'p Configuration<'a>,
    afters: &'p HashMap<&'a str, &'a Node>,
    analysed: &'p BTreeSet<&'a str>,
    root: &'p str,
    /// The configuration's source, when it is in the tree.
    source: Option<&'p SourceTree<'p>>,
    /// The attributes not evaluated (module, span, what), with their place in the plan.
    unevaluated: BTreeMap<(String, Span, String), Span>,
    /// The local value the last reference could not be followed through.
    blocked: RefCell<Option<String>>,
    /// Why a value (by its span) is not known, when it is not that the plan leaves it
    /// to apply.
    reasons: HashMap<Span, String>,
}

/// Where one value sits: in the plan, and in the source when it is written there.
#[derive(Clone, Copy)]
struct At<'w> {
    plan: Span,
    written: Option<Written<'w>>,
    /// The span a value not written in the source takes (the block header).
    fallback: Span,
}

impl<'w> At<'w> {
    fn span(&self, source: bool) -> Span {
        match (&self.written, source) {
            (Some(w), true) => w.span(),
            (None, true) => self.fallback,
            (_, false) => self.plan,
        }
    }
}

impl<'a> Reader<'a, '_> {
    fn instance(&mut self, p: &Planned1<'a>) -> Option<ResourceInstance> {
        let source = self.source;
        let module = ModuleInstance {
            calls: refs::module_path(&p.module_address)?,
        };
        let path = module.path();
        let cfg_resource = self.config.resources.get(&(path.clone(), p.local.clone()));
        let names: Vec<&str> = module.calls.iter().map(|(n, _)| n.as_str()).collect();
        let located = source.and_then(|s| s.locate(&names, &p.local));
        let header = located.as_ref().map_or(p.header, |l| l.block.header);
        let cfg = match cfg_resource.map(|r| r.get("expressions")) {
            Some(Some(e)) => Cfg::Block(e),
            // A configured resource that writes no argument.
            Some(None) => Cfg::Block(&NO_ARGUMENTS),
            None => Cfg::Unconfigured,
        };
        let at = At {
            plan: p.after.map_or(p.header, |a| a.span),
            written: located
                .as_ref()
                .map(|l| Written::Block(&l.block.body, l.block.header)),
            fallback: header,
        };
        let ctx = Ctx {
            module: &module,
            instance: &p.instance,
            in_source: located.is_some(),
        };
        let after = p.after.unwrap_or(&NO_ARGUMENTS);
        // `tags_all` holds the provider's `default_tags` merged with the tags.
        let tags_all = (after.get("tags_all").is_some()
            || p.unknown.and_then(|u| u.get("tags_all")).is_some())
        .then(|| {
            self.value(
                after.get("tags_all"),
                p.unknown.and_then(|u| u.get("tags_all")),
                p.sensitive.and_then(|s| s.get("tags_all")),
                Cfg::InsideExpr,
                At {
                    plan: after.get("tags_all").map_or(p.header, |n| n.span),
                    written: None,
                    fallback: header,
                },
                "tags_all",
                &ctx,
                1,
            )
        })
        .filter(|v| !v.is_null());
        let body = match &after.kind {
            NodeKind::Map(_) => {
                self.value(Some(after), p.unknown, p.sensitive, cfg, at, "", &ctx, 0)
            }
            _ => Value::unknown(header),
        };
        let rtype = if let Some(t) = p.local.strip_prefix("data.") {
            format!("data.{}", t.split('.').next().unwrap_or(t))
        } else {
            p.local.split('.').next().unwrap_or("").to_string()
        };
        self.note_unknown(&rtype, &body, p, &path);
        let prefix = module.prefix();
        Some(ResourceInstance {
            framework: Framework::Terraform,
            rtype,
            address: p.address.to_string(),
            ref_name: format!("{}//{prefix}{}", self.root, p.local),
            header,
            body,
            default_tags: tags_all,
            maybe_absent: false,
            scope: format!("{}|{}//{prefix}", path, self.root),
            call_sites: located.map(|l| l.call_sites).unwrap_or_default(),
            switched_off: None,
        })
    }

    /// Counts the security-relevant attributes the plan leaves unknown (see
    /// `adapt::security_attributes`), for the `not-evaluated` note.
    fn note_unknown(&mut self, rtype: &str, body: &Value, p: &Planned1<'a>, module: &str) {
        use std::sync::atomic::Ordering::Relaxed;
        // The attribute's place in the plan: its `after_unknown` mark, else its value, else
        // the resource's object.
        let in_plan = |path: &str| {
            let at = |n: Option<&'a Node>| {
                let n = n?;
                match path.split_once('.') {
                    None => n.get(path),
                    Some((b, a)) => n
                        .get(b)
                        .and_then(|v| match &v.kind {
                            NodeKind::Seq(items) => items.first(),
                            _ => Some(v),
                        })
                        .and_then(|v| v.get(a)),
                }
                .filter(|v| !matches!(v.kind, NodeKind::Bool(false)))
                .map(|v| v.span)
            };
            at(p.unknown).or_else(|| at(p.after)).unwrap_or(p.header)
        };
        for path in crate::adapt::security_attributes(rtype) {
            let v = match path.split_once('.') {
                None => body.get(path),
                Some((b, a)) => body
                    .get(b)
                    .and_then(|v| match &v.kind {
                        Kind::List(items) => items.first(),
                        _ => Some(v),
                    })
                    .and_then(|v| v.get(a)),
            };
            let Some(v) = v.filter(|v| !v.is_null()) else {
                continue;
            };
            crate::terraform::SECURITY_ATTRIBUTES[0].fetch_add(1, Relaxed);
            if !v.has_opaque_unknown() {
                continue;
            }
            crate::terraform::SECURITY_ATTRIBUTES[1].fetch_add(1, Relaxed);
            let why = self
                .reasons
                .get(&v.span)
                .map_or("known only after apply", String::as_str);
            self.unevaluated.insert(
                (
                    format!("{}//{module}", self.root),
                    v.span,
                    format!("`{path}` of {} ({why})", p.address),
                ),
                in_plan(path),
            );
        }
    }

    /// The value of one node of `after`, with its `after_unknown` and `after_sensitive`
    /// masks and what the configuration writes for it.
    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        after: Option<&'a Node>,
        unknown: Option<&'a Node>,
        sensitive: Option<&'a Node>,
        cfg: Cfg<'a>,
        at: At<'_>,
        name: &str,
        ctx: &Ctx<'_>,
        depth: usize,
    ) -> Value {
        let span = at.span(ctx.in_source);
        let is_unknown = matches!(
            unknown,
            Some(Node {
                kind: NodeKind::Bool(true),
                ..
            })
        );
        if is_unknown || depth > 64 {
            let span = match (ctx.in_source, unknown) {
                (false, Some(u)) => u.span,
                _ => span,
            };
            return match self.reference_of(cfg, name, ctx, None) {
                Some(r) => Value::new(Kind::Ref(Box::new(r)), span),
                None => {
                    self.note_blocked(span);
                    Value::unknown(span)
                }
            };
        }
        let Some(after) = after else {
            return Value::new(Kind::Null, span);
        };
        match &after.kind {
            NodeKind::Null => Value::new(Kind::Null, span),
            NodeKind::Bool(b) => Value::new(Kind::Bool(*b), span),
            NodeKind::Number(n) => match n.parse::<f64>() {
                Ok(x) => Value::new(Kind::Number(x), span),
                Err(_) => Value::unknown(span),
            },
            NodeKind::Str(s) => match self.reference_of(cfg, name, ctx, Some(s)) {
                Some(r) => Value::new(Kind::Ref(Box::new(r)), span),
                // Through a local not followed to one resource, an argument that links
                // names no one can tell: not a literal of the source.
                None if links(name) && self.note_blocked(span) => Value::unknown(span),
                None => {
                    let mut v = Value::new(Kind::Str(s.clone()), span);
                    // A secret placed on a source expression that does not write it (a
                    // variable, a local): it was set in the plan, where it is blanked.
                    let secret = matches!(
                        sensitive,
                        Some(Node {
                            kind: NodeKind::Bool(true),
                            ..
                        })
                    );
                    let literal = match at.written {
                        Some(Written::Expr(e)) => source::is_literal(e),
                        _ => false,
                    };
                    if secret && ctx.in_source && !literal {
                        v.from = Some(at.plan);
                    }
                    v
                }
            },
            NodeKind::Invalid => Value::unknown(span),
            NodeKind::Seq(items) => {
                let masks = |m: Option<&'a Node>, i: usize| match m.map(|m| &m.kind) {
                    Some(NodeKind::Seq(xs)) => xs.get(i),
                    _ => None,
                };
                let blocks = match cfg {
                    Cfg::Blocks(b) if b.len() == items.len() => Some(b),
                    _ => None,
                };
                // Nested blocks, written one by one (a `dynamic` block writes none).
                let written = at.written.and_then(|w| w.blocks(name, items.len()));
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let child_cfg = match (cfg, blocks) {
                        (_, Some(b)) => Cfg::of(&b[i]),
                        (Cfg::Block(m), _) => Cfg::Block(m),
                        (Cfg::Unconfigured, _) | (Cfg::Blocks(_), _) => Cfg::Unconfigured,
                        // One element of a one-element list is what the expression names.
                        (Cfg::Expr(e), _) if items.len() == 1 => Cfg::Expr(e),
                        _ => Cfg::InsideExpr,
                    };
                    let child_at = At {
                        plan: item.span,
                        written: match &written {
                            Some(w) => Some(w[i]),
                            None => at.written.filter(|w| matches!(w, Written::Expr(_))),
                        },
                        fallback: at.written.map_or(at.fallback, |w| w.span()),
                    };
                    out.push(self.value(
                        Some(item),
                        masks(unknown, i),
                        masks(sensitive, i),
                        child_cfg,
                        child_at,
                        name,
                        ctx,
                        depth + 1,
                    ));
                }
                let span = match (&written, ctx.in_source) {
                    (Some(w), true) => w.first().map_or(span, Written::span),
                    _ => span,
                };
                Value::new(Kind::List(out), span)
            }
            NodeKind::Map(entries) => {
                let mut keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
                // Unknown entries are left out of `after`; `after_unknown` names them.
                for e in unknown.map(Node::entries).unwrap_or_default() {
                    if after.get(&e.key).is_none() {
                        keys.push(e.key.as_str());
                    }
                }
                let mut map = BTreeMap::new();
                for key in keys {
                    if key == "tags_all" && depth == 0 {
                        continue;
                    }
                    let child_cfg = match cfg {
                        Cfg::Block(m) => match m.get(key) {
                            Some(c) => Cfg::of(c),
                            // Not written: the service default applies, as in source.
                            None => continue,
                        },
                        Cfg::Unconfigured | Cfg::Blocks(_) => Cfg::Unconfigured,
                        Cfg::Expr(_) | Cfg::InsideExpr => Cfg::InsideExpr,
                    };
                    let child = after.get(key);
                    let written = at.written.and_then(|w| match (w, child.map(|c| &c.kind)) {
                        (Written::Expr(_), _) => Some(w),
                        // A list of nested blocks: found one by one, in this block.
                        (Written::Block(body, _), Some(NodeKind::Seq(_)))
                            if body.attr(key).is_none() =>
                        {
                            Some(w)
                        }
                        (Written::Block(..), _) => w.entry(key, None),
                    });
                    let child_at = At {
                        plan: child.map_or(after.span, |c| c.span),
                        written,
                        fallback: at.written.map_or(at.fallback, |w| w.span()),
                    };
                    let v = self.value(
                        child,
                        unknown.and_then(|u| u.get(key)),
                        sensitive.and_then(|s| s.get(key)),
                        child_cfg,
                        child_at,
                        key,
                        ctx,
                        depth + 1,
                    );
                    map.insert(key.to_string(), v);
                }
                Value::new(Kind::Map(map), span)
            }
        }
    }

    /// The reference an argument's expression makes, when the configuration says it
    /// names one resource attribute (through module outputs and arguments): always for an
    /// unknown value, and for a known one when it is that attribute's planned value.
    fn reference_of(
        &self,
        cfg: Cfg<'a>,
        name: &str,
        ctx: &Ctx<'_>,
        known: Option<&str>,
    ) -> Option<Reference> {
        self.blocked.replace(None);
        let Cfg::Expr(e) = cfg else {
            return None;
        };
        let (module, target) = self.resolve(e, ctx.module, ctx.instance, 0)?;
        let Target::Resource {
            local,
            instance,
            mut attr,
        } = target
        else {
            return None;
        };
        if !attr.is_empty() && !identifies(&attr) {
            // `random_integer.days.result`: a value computed from another resource, not a
            // name of it.
            return None;
        }
        let address = format!(
            "{}{local}{}",
            module.prefix(),
            instance.as_deref().unwrap_or("")
        );
        if attr.is_empty() {
            // `aws_kms_key.this[each.key].key_id` is listed as `aws_kms_key.this`: the
            // argument's name says which attribute it takes.
            attr = if name.ends_with("arn") { "arn" } else { "id" }.to_string();
        }
        match known {
            None => {}
            Some(s) => {
                // A known value is a reference only when it is that attribute's value
                // and the resource is analysed.
                let planned = self
                    .afters
                    .get(address.as_str())
                    .and_then(|a| a.get(&attr))
                    .and_then(Node::as_str);
                if planned != Some(s) || !self.analysed.contains(address.as_str()) {
                    return None;
                }
            }
        }
        Some(Reference {
            resource: format!("{}//{}{local}", self.root, module.prefix()),
            attr,
            instance,
        })
    }

    /// Follows an expression's references to the one resource they name: through
    /// variables to the caller's arguments, through module outputs to the module's
    /// expressions. `None` when they name none, or several.
    fn resolve(
        &self,
        expr: &'a Node,
        module: &ModuleInstance,
        instance: &str,
        depth: usize,
    ) -> Option<(ModuleInstance, Target)> {
        let strings: Vec<String> = seq(expr.get("references"))
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_string)
            .collect();
        self.resolve_refs(&strings, module, instance, depth)
    }

    /// Whether the last value was not followed through a local; if so, why is kept for the
    /// note.
    fn note_blocked(&mut self, span: Span) -> bool {
        let Some(local) = self.blocked.take() else {
            return false;
        };
        let why = if self.source.is_some() {
            format!("through `local.{local}`, which does not name one resource")
        } else {
            format!("through `local.{local}`: a plan does not hold the expressions of locals")
        };
        self.reasons.insert(span, why);
        true
    }

    /// [`Self::resolve`] over reference strings; a local is followed through the module's
    /// `locals` in the source.
    fn resolve_refs(
        &self,
        strings: &[String],
        module: &ModuleInstance,
        instance: &str,
        depth: usize,
    ) -> Option<(ModuleInstance, Target)> {
        if depth > 16 {
            return None;
        }
        let mut through: Option<String> = None;
        let mut expanded: Vec<String> = Vec::new();
        // Each reference once: locals that name each other several times (or themselves,
        // in a source that does not match the plan) must not multiply the work.
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let calls: Vec<&str> = module.calls.iter().map(|(n, _)| n.as_str()).collect();
        for s in strings {
            let Target::Local(local) = refs::target(s) else {
                if seen.insert(s.clone()) {
                    expanded.push(s.clone());
                }
                continue;
            };
            match self.source.and_then(|src| src.local(&calls, &local)) {
                Some(e) => {
                    for r in source::references(e) {
                        if seen.insert(r.clone()) {
                            expanded.push(r);
                        }
                    }
                    through.get_or_insert(local);
                }
                None => {
                    self.blocked.replace(Some(local));
                    return None;
                }
            }
        }
        if let Some(local) = through {
            let found = self.resolve_refs(&expanded, module, instance, depth + 1);
            // A local that names resources, but not one: what it links to is not known. One
            // that names none (a literal, variables) leaves the plan's value as it is.
            let names_resources = expanded.iter().any(|s| {
                matches!(
                    refs::target(s),
                    Target::Resource { .. } | Target::ModuleOutput { .. } | Target::Module(_)
                )
            });
            if found.is_none() && names_resources && self.blocked.borrow().is_none() {
                self.blocked.replace(Some(local));
            }
            return found;
        }
        let strings = expanded;
        let targets: Vec<Target> = strings.iter().map(|s| refs::target(s)).collect();
        let each_key = targets.contains(&Target::OwnKey);
        // Terraform lists `a.b["k"].c`, then `a.b["k"]`, then `a.b`: the first of a
        // subject is the most precise.
        let mut subjects: Vec<Target> = Vec::new();
        for t in targets {
            let same = |s: &Target| match (s, &t) {
                (Target::Resource { local: a, .. }, Target::Resource { local: b, .. }) => a == b,
                (Target::ModuleOutput { call: a, .. }, Target::ModuleOutput { call: b, .. }) => {
                    a == b
                }
                (a, b) => a == b,
            };
            match t {
                Target::OwnKey | Target::Other | Target::Module(_) | Target::Local(_) => {}
                _ if subjects.iter().any(same) => {}
                _ => subjects.push(t),
            }
        }
        // Other values take part (`"${var.prefix}-${aws_kms_key.a.arn}"`): it names more
        // than one thing.
        let others = strings
            .iter()
            .any(|s| matches!(refs::target(s), Target::Other));
        let [subject] = subjects.as_slice() else {
            return None;
        };
        if others && !each_key {
            return None;
        }
        match subject.clone() {
            Target::Resource {
                local,
                instance: i,
                attr,
            } => {
                // `this[each.key]`: the key of the referencing instance.
                let i = match (i, each_key && !instance.is_empty()) {
                    (None, true) => Some(instance.to_string()),
                    (i, _) => i,
                };
                Some((
                    module.clone(),
                    Target::Resource {
                        local,
                        instance: i,
                        attr,
                    },
                ))
            }
            Target::Variable(v) => {
                let (parent, call) = module.parent()?;
                let call_instance = module.calls.last().and_then(|(_, k)| k.clone());
                let c = self.config.calls.get(&(parent.path(), call.to_string()))?;
                let e = c.get("expressions")?.get(&v)?;
                self.resolve(
                    e,
                    &parent,
                    call_instance.as_deref().unwrap_or(""),
                    depth + 1,
                )
            }
            Target::ModuleOutput {
                call,
                instance: key,
                output,
                index,
            } => {
                let c = self.config.calls.get(&(module.path(), call.clone()))?;
                let e = c
                    .get("module")?
                    .get("outputs")?
                    .get(&output)?
                    .get("expression")?;
                let child = module.child(&call, key);
                let (m, t) = self.resolve(e, &child, "", depth + 1)?;
                // `module.kms.arns["s3"]` of `{ for k, v in aws_kms_key.this : k => v.arn }`:
                // the instance the index names.
                let t = match (t, index) {
                    (
                        Target::Resource {
                            local,
                            instance: None,
                            attr,
                        },
                        Some(i),
                    ) => Target::Resource {
                        local,
                        instance: Some(i),
                        attr,
                    },
                    (t, _) => t,
                };
                Some((m, t))
            }
            Target::OwnKey | Target::Other | Target::Module(_) | Target::Local(_) => None,
        }
    }
}

/// Whether an argument links its resource to another (by its id or ARN).
fn links(argument: &str) -> bool {
    matches!(argument, "id" | "arn" | "bucket")
        || argument.ends_with("_id")
        || argument.ends_with("_arn")
}

/// Whether a resource attribute names the resource (what links resources), rather than a
/// value computed by it.
fn identifies(attr: &str) -> bool {
    matches!(attr, "id" | "arn" | "name" | "key_id")
        || attr.ends_with("_id")
        || attr.ends_with("_arn")
        || attr.ends_with("_name")
}

/// The instance a value belongs to.
struct Ctx<'m> {
    module: &'m ModuleInstance,
    /// Its instance key (`["s3"]`, `[0]`, empty).
    instance: &'m str,
    /// Whether its block was found in the source (spans point there).
    in_source: bool,
}

/// Reads a plan whose configuration is the root module `root` of the tree (`files`, the
/// parsed modules it calls): its instances placed in the source where their blocks are
/// found, and the plan objects of those so placed.
pub(crate) fn read_with_source(
    plan: &Node,
    root: &str,
    files: &[&crate::terraform::TfFile],
    manifests: &crate::terraform::Manifests,
) -> (Vec<ResourceInstance>, Vec<Diagnostic>, Vec<(String, Span)>) {
    let placement = Placement {
        root: root.to_string(),
        source: Some(SourceTree::new(root, files, manifests)),
    };
    let planned = read(plan, &placement);
    let objects = planned
        .objects
        .into_iter()
        .zip(&planned.instances)
        .filter(|((_, object), r)| r.header.file != object.file)
        .map(|(o, _)| o)
        .collect();
    (planned.instances, planned.diagnostics, objects)
}

/// Labels the findings about planned instances placed in the source with their object in
/// the plan, where their values come from.
pub(crate) fn label_planned(findings: &mut [Diagnostic], objects: &[(String, Span)]) {
    if objects.is_empty() {
        return;
    }
    let by_address: HashMap<&str, Span> = objects.iter().map(|(a, s)| (a.as_str(), *s)).collect();
    for d in findings {
        if let Some(span) = d.address.as_deref().and_then(|a| by_address.get(a)) {
            d.labels.push(crate::diagnostic::Label {
                span: *span,
                message: "values from the plan".to_string(),
            });
        }
    }
}
