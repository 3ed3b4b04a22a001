//! CloudFormation evaluation: parameters, conditions and intrinsic functions, producing
//! resource instances.

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::resource::{Framework, ResourceInstance};
use crate::source::Span;
use crate::syntax::tree::{Entry, Node, NodeKind};
use crate::value::{Kind, Part, Reference, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct CfnOptions {
    /// `--parameter NAME=VALUE` overrides.
    pub parameters: Vec<(String, String)>,
    /// Parameters given a value that is not statically known (by a parent stack, or by
    /// the Terraform stack that deploys the template): Unknown, not their default.
    pub unknown: Vec<String>,
}

/// Deepest intrinsic nesting evaluated.
const MAX_DEPTH: usize = 128;

/// Reads parameter overrides in the formats used with `aws cloudformation deploy` and
/// `create-stack`: `[{"ParameterKey": "K", "ParameterValue": "V"}]`, a JSON object
/// (`{"K": "V"}` or `{"Parameters": {"K": "V"}}`), or whitespace-separated `K=V` pairs.
pub fn parse_parameters_file(text: &str) -> Result<Vec<(String, String)>, String> {
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let mut out = Vec::new();
        match &json {
            serde_json::Value::Array(items) => {
                for it in items {
                    match (it["ParameterKey"].as_str(), scalar(&it["ParameterValue"])) {
                        (Some(k), Some(v)) => out.push((k.to_string(), v)),
                        (Some(_), None) => {}
                        _ => {
                            return Err(
                                "expected objects with ParameterKey and ParameterValue".into()
                            )
                        }
                    }
                }
            }
            serde_json::Value::Object(map) => {
                let map = map
                    .get("Parameters")
                    .and_then(|p| p.as_object())
                    .unwrap_or(map);
                for (k, v) in map {
                    if let Some(v) = scalar(v) {
                        out.push((k.clone(), v));
                    }
                }
            }
            _ => return Err("expected a JSON array or object".into()),
        }
        return Ok(out);
    }
    text.split_whitespace()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| format!("`{pair}` is not Key=Value"))
        })
        .collect()
}

/// SAM creates an implicit REST API, `ServerlessRestApi` (stage `Prod`), for function
/// events of type `Api` that name no `RestApiId`; `Globals.Api` configures it.
fn implicit_serverless_api(root: &Node, tpl: &Template<'_>) -> Option<ResourceInstance> {
    let event = root
        .get("Resources")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter(|r| r.value.get("Type").and_then(Node::as_str) == Some("AWS::Serverless::Function"))
        .flat_map(|r| {
            r.value
                .get("Properties")
                .and_then(|p| p.get("Events"))
                .map(Node::entries)
                .unwrap_or_default()
        })
        .find(|e| {
            e.value.get("Type").and_then(Node::as_str) == Some("Api")
                && e.value
                    .get("Properties")
                    .is_none_or(|p| p.get("RestApiId").is_none())
        })?;
    if root
        .get("Resources")
        .and_then(|r| r.get("ServerlessRestApi"))
        .is_some()
    {
        return None;
    }
    let mut body = match root.get("Globals").and_then(|g| g.get("Api")) {
        Some(g) => tpl.eval(g, 0)?,
        None => Value::new(Kind::Map(BTreeMap::new()), event.key_span),
    };
    if let Kind::Map(m) = &mut body.kind {
        m.entry("StageName".into())
            .or_insert_with(|| Value::new(Kind::Str("Prod".into()), event.key_span));
    }
    let name = "ServerlessRestApi";
    Some(ResourceInstance {
        framework: Framework::CloudFormation,
        rtype: "AWS::Serverless::Api".into(),
        address: name.into(),
        ref_name: format!("{}{name}", tpl.prefix),
        header: event.key_span,
        body,
        default_tags: None,
        maybe_absent: false,
        scope: format!("template:{}", event.key_span.file),
        call_sites: Vec::new(),
        switched_off: None,
    })
}

/// Exported output values of a template, by export name (known names only).
pub type Exports = BTreeMap<String, Value>;

/// The reference-name prefix of a template: logical ids are only unique within one.
fn template_prefix(root: &Node) -> String {
    format!("template{}//", root.span.file)
}

/// The `Outputs` of a template that are exported under a statically known name.
pub fn exports(root: &Node, options: &CfnOptions) -> Exports {
    let expanded = expand_foreach(root, options, &EMPTY_EXPORTS);
    let root = expanded.as_ref().map(|(n, _)| n).unwrap_or(root);
    let tpl = Template::new(root, options, &EMPTY_EXPORTS);
    let mut out = Exports::new();
    for o in root.get("Outputs").map(Node::entries).unwrap_or_default() {
        let Some(name) = o
            .value
            .get("Export")
            .and_then(|e| e.get("Name"))
            .and_then(|n| tpl.eval(n, 0))
            .and_then(|v| v.to_plain_string())
        else {
            continue;
        };
        if let Some(v) = o.value.get("Value").and_then(|v| tpl.eval(v, 0)) {
            out.insert(name, v);
        }
    }
    out
}

static EMPTY_EXPORTS: Exports = Exports::new();

/// How a template is instantiated: on its own, or as a nested stack of a parent.
#[derive(Debug, Clone, Default)]
pub struct Instantiation {
    /// `Parent.` for the resources of a nested stack (empty for a template on its own).
    pub address_prefix: String,
    /// Parameters passed by the parent stack, after the user's overrides.
    pub parameters: Vec<(String, String)>,
    /// Where the parent stack resource is (module call site, in Terraform terms).
    pub call_sites: Vec<Span>,
    /// Parameters the parent passes with a value not statically known.
    pub unknown_parameters: Vec<String>,
    /// Where the template's local files are (`AWS::Include`); `None`: none is read.
    pub files: Option<LocalFiles>,
}

/// Where the files a template includes (`Fn::Transform` `AWS::Include` with a local
/// `Location`) are read from.
#[derive(Debug, Clone)]
pub struct LocalFiles {
    /// The template's directory: relative locations are relative to it.
    pub dir: PathBuf,
    /// The scanned directory holding the template: included files stay inside it.
    pub root: PathBuf,
}

/// Largest file `AWS::Include` reads.
const MAX_INCLUDE_SIZE: u64 = 4 << 20;

/// Most files one evaluation of a template includes (included files may include).
const MAX_INCLUDES: usize = 64;

pub fn evaluate(
    root: &Node,
    options: &CfnOptions,
    exports: &Exports,
) -> (Vec<ResourceInstance>, Vec<Diagnostic>) {
    evaluate_as(root, options, exports, &Instantiation::default())
}

/// Evaluates a template, as a nested stack when `inst` says so.
pub fn evaluate_as(
    root: &Node,
    options: &CfnOptions,
    exports: &Exports,
    inst: &Instantiation,
) -> (Vec<ResourceInstance>, Vec<Diagnostic>) {
    let mut opts = options.clone();
    opts.parameters.extend(inst.parameters.iter().cloned());
    opts.unknown.extend(inst.unknown_parameters.iter().cloned());
    let expanded = expand_foreach(root, &opts, exports);
    let (root, loop_notes) = match &expanded {
        Some((n, notes)) => (n, notes.clone()),
        None => (root, Vec::new()),
    };
    let mut tpl = Template::new(root, &opts, exports);
    tpl.notes.borrow_mut().extend(loop_notes);
    tpl.files = inst.files.clone();
    if !inst.address_prefix.is_empty() {
        // Each instantiation gets its own reference names.
        tpl.prefix = format!(
            "{}{}",
            tpl.prefix.trim_end_matches('/'),
            format_args!("/{}//", inst.address_prefix.trim_end_matches('.'))
        );
    }
    let mut out = Vec::new();
    for entry in root.get("Resources").map(Node::entries).unwrap_or_default() {
        let res = &entry.value;
        let Some(rtype) = res.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let presence = match res.get("Condition") {
            Some(c) => c.as_str().and_then(|name| tpl.condition(name, c.span, 0)),
            None => Some(true),
        };
        if presence == Some(false) {
            continue;
        }
        let body = match res.get("Properties") {
            Some(p) => tpl
                .eval(p, 0)
                .unwrap_or_else(|| Value::new(Kind::Map(BTreeMap::new()), p.span)),
            None => Value::new(Kind::Map(BTreeMap::new()), entry.key_span),
        };
        out.push(ResourceInstance {
            framework: Framework::CloudFormation,
            rtype: rtype.to_string(),
            address: format!("{}{}", inst.address_prefix, entry.key),
            ref_name: format!("{}{}", tpl.prefix, entry.key),
            header: entry.key_span,
            body,
            default_tags: None,
            maybe_absent: presence.is_none(),
            scope: format!("template:{}:{}", entry.key_span.file, inst.address_prefix),
            call_sites: inst.call_sites.clone(),
            switched_off: None,
        });
    }
    if let Some(api) = implicit_serverless_api(root, &tpl) {
        out.push(api);
    }
    (out, tpl.notes.into_inner())
}

/// Whether a template declares the `AWS::LanguageExtensions` transform (alone or in a
/// list of transforms).
fn language_extensions(root: &Node) -> bool {
    const NAME: &str = "AWS::LanguageExtensions";
    match root.get("Transform").map(|t| &t.kind) {
        Some(NodeKind::Str(s)) => s == NAME,
        Some(NodeKind::Seq(items)) => items.iter().any(|i| i.as_str() == Some(NAME)),
        _ => false,
    }
}

/// Most entries one `Fn::ForEach` loop expands into.
const MAX_FOREACH: usize = 1000;

/// Deepest nesting of `Fn::ForEach` loops expanded.
const MAX_FOREACH_NESTING: usize = 8;

const FOREACH: &str = "Fn::ForEach::";

/// The sections whose `Fn::ForEach` loops are expanded, and what their entries are.
const FOREACH_SECTIONS: [(&str, &str); 3] = [
    ("Resources", "resources"),
    ("Outputs", "outputs"),
    ("Conditions", "conditions"),
];

/// The template with the `Fn::ForEach` loops of `AWS::LanguageExtensions` expanded in
/// `Resources`, `Outputs` and `Conditions`: each element of a statically known collection
/// gives the entries of the output template, their keys and `${Identifier}` (in `Fn::Sub`,
/// `Ref` and `Fn::GetAtt` names) and `Ref Identifier` replaced by the element. The
/// expanded entries keep the places of the loop's text. `None`: there is no loop (or
/// the transform is not declared). The notes say which loops are not expanded.
fn expand_foreach(
    root: &Node,
    options: &CfnOptions,
    exports: &Exports,
) -> Option<(Node, Vec<Diagnostic>)> {
    if !language_extensions(root) {
        return None;
    }
    let has_loop = |n: &Node| n.entries().iter().any(|e| e.key.starts_with(FOREACH));
    if !FOREACH_SECTIONS
        .iter()
        .any(|(s, _)| root.get(s).is_some_and(has_loop))
    {
        return None;
    }
    let NodeKind::Map(entries) = &root.kind else {
        return None;
    };
    let tpl = Template::new(root, options, exports);
    let mut out = entries.clone();
    for e in &mut out {
        let Some((_, what)) = FOREACH_SECTIONS.iter().find(|(s, _)| *s == e.key) else {
            continue;
        };
        if let NodeKind::Map(items) = &e.value.kind {
            e.value.kind = NodeKind::Map(expand_entries(&tpl, items, what, 0));
        }
    }
    let mut notes = tpl.notes.into_inner();
    // A loop nested in another is noted once, not once per element of the outer one.
    let mut seen = std::collections::HashSet::new();
    notes.retain(|n| seen.insert((n.primary, n.message.clone())));
    Some((
        Node {
            span: root.span,
            kind: NodeKind::Map(out),
        },
        notes,
    ))
}

/// The entries of a section (or of an output template) with their loops expanded.
fn expand_entries(tpl: &Template<'_>, entries: &[Entry], what: &str, nesting: usize) -> Vec<Entry> {
    let note = |at: Span, message: String| {
        tpl.notes.borrow_mut().push(Diagnostic::new(
            codes::EVAL_NOTE,
            Severity::Note,
            at,
            message,
        ));
    };
    let mut out = Vec::new();
    for e in entries {
        if !e.key.starts_with(FOREACH) {
            out.push(e.clone());
            continue;
        }
        let shape = match &e.value.kind {
            NodeKind::Seq(parts) => match parts.as_slice() {
                [id, coll, body] => match (id.as_str(), &body.kind) {
                    (Some(id), NodeKind::Map(body)) => Some((id, coll, body)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some((id, coll, body)) = shape else {
            note(
                e.key_span,
                format!(
                    "`{}` is not `[Identifier, Collection, OutputTemplate]`: the loop's {what} are not analysed",
                    e.key
                ),
            );
            continue;
        };
        if nesting >= MAX_FOREACH_NESTING {
            note(
                e.key_span,
                format!(
                    "`{}` is nested more than {MAX_FOREACH_NESTING} loops deep: the loop's {what} are not analysed",
                    e.key
                ),
            );
            continue;
        }
        let items = tpl.eval(coll, 0).and_then(|v| match v.kind {
            Kind::List(items) => items
                .iter()
                .map(Value::to_plain_string)
                .collect::<Option<Vec<_>>>(),
            _ => None,
        });
        let Some(items) = items else {
            note(
                coll.span,
                format!(
                    "the collection of `{}` is not a statically known list of strings: the loop's {what} are not analysed",
                    e.key
                ),
            );
            continue;
        };
        let mut count = 0;
        for item in items {
            let body: Vec<Entry> = body
                .iter()
                .map(|b| substitute_entry(b, id, &item, true))
                .collect();
            let expanded = expand_entries(tpl, &body, what, nesting + 1);
            if count + expanded.len() > MAX_FOREACH {
                note(
                    e.key_span,
                    format!(
                        "`{}` expands into more than {MAX_FOREACH} {what}: the rest are not analysed",
                        e.key
                    ),
                );
                break;
            }
            count += expanded.len();
            out.extend(expanded);
        }
    }
    out
}

/// `${id}` replaced by the element in a name; in a logical-id template (`keys`) also
/// `&{id}`, by the element without its non-alphanumeric characters.
fn substitute_name(s: &str, id: &str, item: &str, keys: bool) -> String {
    let mut out = s.replace(&format!("${{{id}}}"), item);
    if keys {
        let stripped: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
        out = out.replace(&format!("&{{{id}}}"), &stripped);
    }
    out
}

/// An entry of an output template for one element; `key` says whether its key is a
/// logical-id template. The output template of a nested loop is one too.
fn substitute_entry(e: &Entry, id: &str, item: &str, key: bool) -> Entry {
    let mut value = substitute(&e.value, id, item);
    if e.key.starts_with(FOREACH) {
        if let NodeKind::Seq(parts) = &mut value.kind {
            if let Some(NodeKind::Map(body)) = parts.get_mut(2).map(|b| &mut b.kind) {
                for b in body {
                    b.key = substitute_name(&b.key, id, item, true);
                }
            }
        }
    }
    Entry {
        key: if key {
            substitute_name(&e.key, id, item, true)
        } else {
            e.key.clone()
        },
        key_span: e.key_span,
        value,
    }
}

/// An output template's value for one element: `Ref Identifier` is the element, and
/// `${Identifier}` in `Fn::Sub` strings and in `Ref` and `Fn::GetAtt` names is replaced.
fn substitute(node: &Node, id: &str, item: &str) -> Node {
    let at = |kind: NodeKind, span: Span| Node { span, kind };
    let text = |n: &Node| match &n.kind {
        NodeKind::Str(s) => at(NodeKind::Str(substitute_name(s, id, item, false)), n.span),
        _ => substitute(n, id, item),
    };
    match &node.kind {
        NodeKind::Map(entries) => {
            if let [e] = entries.as_slice() {
                let value = match (e.key.as_str(), &e.value.kind) {
                    ("Ref", NodeKind::Str(s)) if s == id => {
                        return at(NodeKind::Str(item.to_string()), node.span)
                    }
                    ("Ref" | "Fn::Sub" | "Fn::GetAtt", NodeKind::Str(_)) => Some(text(&e.value)),
                    ("Fn::Sub" | "Fn::GetAtt", NodeKind::Seq(items)) if !items.is_empty() => {
                        let mut out = vec![text(&items[0])];
                        out.extend(items[1..].iter().map(|i| substitute(i, id, item)));
                        Some(at(NodeKind::Seq(out), e.value.span))
                    }
                    _ => None,
                };
                if let Some(value) = value {
                    return at(
                        NodeKind::Map(vec![Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value,
                        }]),
                        node.span,
                    );
                }
            }
            at(
                NodeKind::Map(
                    entries
                        .iter()
                        .map(|e| substitute_entry(e, id, item, false))
                        .collect(),
                ),
                node.span,
            )
        }
        NodeKind::Seq(items) => at(
            NodeKind::Seq(items.iter().map(|i| substitute(i, id, item)).collect()),
            node.span,
        ),
        _ => node.clone(),
    }
}

struct Template<'a> {
    root: &'a Node,
    params: BTreeMap<String, Value>,
    resources: BTreeMap<&'a str, ()>,
    /// What reference names of this template's resources start with.
    prefix: String,
    exports: &'a Exports,
    conditions: RefCell<HashMap<String, Option<Option<bool>>>>,
    /// What the evaluation could not follow (reported as evaluation notes).
    notes: RefCell<Vec<Diagnostic>>,
    /// Where included files are read from; `None`: none is read.
    files: Option<LocalFiles>,
    /// Files included so far.
    includes: Cell<usize>,
}

impl<'a> Template<'a> {
    fn new(root: &'a Node, options: &CfnOptions, exports: &'a Exports) -> Self {
        let mut params = BTreeMap::new();
        for p in root
            .get("Parameters")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let ty = p
                .value
                .get("Type")
                .and_then(Node::as_str)
                .unwrap_or("String");
            let v = if ty.starts_with("AWS::SSM::Parameter::Value")
                || options.unknown.contains(&p.key)
            {
                Value::unknown(p.key_span)
            } else if let Some((_, v)) = options.parameters.iter().rev().find(|(k, _)| *k == p.key)
            {
                Value::new(Kind::Str(v.clone()), p.key_span)
            } else {
                match p.value.get("Default") {
                    Some(d) => literal(d),
                    None => Value::unknown(p.key_span),
                }
            };
            let v = if ty == "CommaDelimitedList" || ty.starts_with("List<") {
                match v.to_plain_string() {
                    Some(s) => Value::new(
                        Kind::List(
                            s.split(',')
                                .map(|x| Value::new(Kind::Str(x.trim().to_string()), v.span))
                                .collect(),
                        ),
                        v.span,
                    ),
                    None => v,
                }
            } else {
                v
            };
            params.insert(p.key.clone(), v);
        }
        let resources = root
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|e| (e.key.as_str(), ()))
            .collect();
        Template {
            root,
            params,
            resources,
            conditions: RefCell::new(HashMap::new()),
            notes: RefCell::new(Vec::new()),
            files: None,
            includes: Cell::new(0),
            prefix: template_prefix(root),
            exports,
        }
    }

    /// A named condition, used at `span`: `Some(true/false)` when known.
    fn condition(&self, name: &str, span: Span, depth: usize) -> Option<bool> {
        let note = |message: String| {
            self.notes.borrow_mut().push(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Warning,
                span,
                message,
            ));
        };
        if let Some(slot) = self.conditions.borrow().get(name) {
            if slot.is_none() {
                note(format!(
                    "condition `{name}` depends on itself; it is treated as not known"
                ));
            }
            return slot.unwrap_or(None);
        }
        let Some(node) = self.root.get("Conditions").and_then(|c| c.get(name)) else {
            note(format!(
                "condition `{name}` is not defined under `Conditions`; it is treated as not known"
            ));
            return None;
        };
        self.conditions.borrow_mut().insert(name.to_string(), None);
        let v = self.eval(node, depth + 1).and_then(|v| v.as_bool());
        self.conditions
            .borrow_mut()
            .insert(name.to_string(), Some(v));
        v
    }

    /// Evaluates a node; `None` is `AWS::NoValue` (the property is removed).
    fn eval(&self, node: &Node, depth: usize) -> Option<Value> {
        let span = node.span;
        if depth > MAX_DEPTH {
            return Some(Value::unknown(span));
        }
        let v = |k: Kind| Some(Value::new(k, span));
        match &node.kind {
            NodeKind::Null => v(Kind::Null),
            NodeKind::Invalid => v(Kind::Unknown),
            NodeKind::Bool(b) => v(Kind::Bool(*b)),
            NodeKind::Number(n) => v(n.parse().map(Kind::Number).unwrap_or(Kind::Str(n.clone()))),
            NodeKind::Str(s) => v(Kind::Str(s.clone())),
            NodeKind::Seq(items) => v(Kind::List(
                items
                    .iter()
                    .filter_map(|i| self.eval(i, depth + 1))
                    .collect(),
            )),
            NodeKind::Map(entries) => {
                if let [e] = entries.as_slice() {
                    if e.key == "Ref"
                        || e.key.starts_with("Fn::")
                        || e.key == "Condition" && !matches!(e.value.kind, NodeKind::Map(_))
                    {
                        return self.intrinsic(&e.key, &e.value, span, depth + 1);
                    }
                }
                let mut m = BTreeMap::new();
                for e in entries {
                    if let Some(x) = self.eval(&e.value, depth + 1) {
                        m.insert(e.key.clone(), x);
                    }
                }
                v(Kind::Map(m))
            }
        }
    }

    fn intrinsic(&self, name: &str, arg: &Node, span: Span, depth: usize) -> Option<Value> {
        let unknown = Some(Value::unknown(span));
        let args: &[Node] = match &arg.kind {
            NodeKind::Seq(items) => items,
            _ => std::slice::from_ref(arg),
        };
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, span),
                // `AWS::LanguageExtensions`: the name may be an intrinsic (`Fn::Sub`).
                None => match self.eval(arg, depth).and_then(|v| v.to_plain_string()) {
                    Some(target) => self.reference(&target, span),
                    None => unknown,
                },
            },
            "Condition" => {
                let c = arg
                    .as_str()
                    .and_then(|c| self.condition(c, arg.span, depth));
                Some(Value::new(c.map(Kind::Bool).unwrap_or(Kind::Unknown), span))
            }
            "Fn::GetAtt" => {
                let (res, attr) = match &arg.kind {
                    NodeKind::Str(s) => {
                        let (a, b) = s.split_once('.')?;
                        (a.to_string(), b.to_string())
                    }
                    NodeKind::Seq(items) if items.len() == 2 => {
                        let a = match items[0].as_str() {
                            Some(a) => Some(a.to_string()),
                            // `AWS::LanguageExtensions`: the name may be an intrinsic.
                            None => self
                                .eval(&items[0], depth)
                                .and_then(|v| v.to_plain_string()),
                        };
                        match (
                            a,
                            self.eval(&items[1], depth)
                                .and_then(|v| v.to_plain_string()),
                        ) {
                            (Some(a), Some(b)) => (a, b),
                            _ => return unknown,
                        }
                    }
                    _ => return unknown,
                };
                Some(Value::new(
                    Kind::Ref(Box::new(Reference {
                        resource: format!("{}{res}", self.prefix),
                        attr,
                        instance: None,
                    })),
                    span,
                ))
            }
            "Fn::Sub" => {
                let (text, vars) = match &arg.kind {
                    NodeKind::Str(s) => (s.as_str(), None),
                    NodeKind::Seq(items) if items.len() == 2 => {
                        (items[0].as_str()?, Some(&items[1]))
                    }
                    _ => return unknown,
                };
                let mut parts = Vec::new();
                for piece in sub_pieces(text) {
                    match piece {
                        SubPiece::Lit(l) => parts.push(Part::Lit(l)),
                        SubPiece::Var(name) => {
                            let val = match vars.and_then(|m| m.get(&name)) {
                                Some(n) => self.eval(n, depth),
                                None => match name.split_once('.') {
                                    Some((r, a)) if self.resources.contains_key(r) => {
                                        Some(Value::new(
                                            Kind::Ref(Box::new(Reference {
                                                resource: format!("{}{r}", self.prefix),
                                                attr: a.to_string(),
                                                instance: None,
                                            })),
                                            span,
                                        ))
                                    }
                                    _ => self.reference(&name, span),
                                },
                            };
                            match val.and_then(|v| v.parts()) {
                                Some(p) => parts.extend(p),
                                None => parts.push(Part::Unknown),
                            }
                        }
                    }
                }
                Some(Value::from_parts(parts, span))
            }
            "Fn::Join" => {
                let [sep, list] = args else { return unknown };
                let sep = sep.as_str()?.to_string();
                let list = self.eval(list, depth)?;
                let Kind::List(items) = &list.kind else {
                    return unknown;
                };
                let mut parts = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        parts.push(Part::Lit(sep.clone()));
                    }
                    parts.extend(it.parts().unwrap_or(vec![Part::Unknown]));
                }
                Some(Value::from_parts(parts, span))
            }
            "Fn::Select" => {
                let [ix, list] = args else { return unknown };
                let ix = self.eval(ix, depth).and_then(|v| v.as_number());
                let list = self.eval(list, depth);
                match (ix, list.as_ref().map(|l| &l.kind)) {
                    (Some(i), Some(Kind::List(items))) if i >= 0.0 => {
                        items.get(i as usize).cloned().or(unknown)
                    }
                    _ => unknown,
                }
            }
            "Fn::Split" => {
                let [sep, s] = args else { return unknown };
                match (
                    sep.as_str(),
                    self.eval(s, depth).and_then(|v| v.to_plain_string()),
                ) {
                    (Some(sep), Some(s)) if !sep.is_empty() => Some(Value::new(
                        Kind::List(
                            s.split(sep)
                                .map(|p| Value::new(Kind::Str(p.to_string()), span))
                                .collect(),
                        ),
                        span,
                    )),
                    _ => unknown,
                }
            }
            "Fn::If" => {
                let [c, a, b] = args else { return unknown };
                match c
                    .as_str()
                    .and_then(|name| self.condition(name, c.span, depth))
                {
                    Some(true) => self.eval(a, depth),
                    Some(false) => self.eval(b, depth),
                    None => {
                        let (x, y) = (self.eval(a, depth), self.eval(b, depth));
                        match (x, y) {
                            (Some(x), Some(y)) if crate::value::same_value(&x, &y) => Some(x),
                            _ => unknown,
                        }
                    }
                }
            }
            "Fn::Equals" => {
                let [a, b] = args else { return unknown };
                match (self.eval(a, depth), self.eval(b, depth)) {
                    (Some(x), Some(y)) => match (x.to_plain_string(), y.to_plain_string()) {
                        (Some(p), Some(q)) => Some(Value::new(Kind::Bool(p == q), span)),
                        _ => unknown,
                    },
                    _ => unknown,
                }
            }
            "Fn::Not" => {
                let [a] = args else { return unknown };
                match self.eval(a, depth).and_then(|v| v.as_bool()) {
                    Some(b) => Some(Value::new(Kind::Bool(!b), span)),
                    None => unknown,
                }
            }
            "Fn::And" | "Fn::Or" => {
                let vals: Vec<Option<bool>> = args
                    .iter()
                    .map(|a| self.eval(a, depth).and_then(|v| v.as_bool()))
                    .collect();
                let (decisive, other) = if name == "Fn::And" {
                    (false, true)
                } else {
                    (true, false)
                };
                let r = if vals.contains(&Some(decisive)) {
                    Some(decisive)
                } else if vals.iter().all(|v| *v == Some(other)) {
                    Some(other)
                } else {
                    None
                };
                Some(Value::new(r.map(Kind::Bool).unwrap_or(Kind::Unknown), span))
            }
            "Fn::FindInMap" => {
                let [m, k1, k2, ..] = args else {
                    return unknown;
                };
                let names: Option<Vec<String>> = [m, k1, k2]
                    .iter()
                    .map(|n| self.eval(n, depth).and_then(|v| v.to_plain_string()))
                    .collect();
                let Some(names) = names else { return unknown };
                let found = self
                    .root
                    .get("Mappings")
                    .and_then(|x| x.get(&names[0]))
                    .and_then(|x| x.get(&names[1]))
                    .and_then(|x| x.get(&names[2]));
                // The default-value form: `[Map, Key1, Key2, {DefaultValue: x}]`.
                let found = found.or_else(|| args.get(3).and_then(|d| d.get("DefaultValue")));
                match found {
                    Some(n) => self.eval(n, depth).map(|mut v| {
                        v.from = Some(v.span);
                        v.span = span;
                        v
                    }),
                    None => unknown,
                }
            }
            "Fn::ImportValue" => {
                let name = self.eval(arg, depth).and_then(|v| v.to_plain_string());
                match name.and_then(|n| self.exports.get(&n)) {
                    Some(v) => {
                        let mut v = v.clone();
                        v.from = Some(v.span);
                        v.span = span;
                        Some(v)
                    }
                    None => unknown,
                }
            }
            "Fn::Length" => match self.eval(arg, depth).map(|v| v.kind) {
                Some(Kind::List(items)) => Some(Value::new(Kind::Number(items.len() as f64), span)),
                _ => unknown,
            },
            "Fn::ToJsonString" => match self.eval(arg, depth) {
                Some(v) if !v.has_unknown() => Some(Value::new(
                    Kind::Str(crate::value::to_json(&v).to_string()),
                    span,
                )),
                // Partly known documents keep their structure for the policy readers.
                Some(v) => Some(v),
                None => unknown,
            },
            "Fn::Transform" => self.transform(arg, span, depth),
            _ => unknown,
        }
    }

    /// `Fn::Transform`: `AWS::Include` of a local file is its content, evaluated as if
    /// written here, every value placed at the `Location` value; any other transform,
    /// and a file not read (S3, outside the scanned tree, missing), is unknown.
    fn transform(&self, arg: &Node, span: Span, depth: usize) -> Option<Value> {
        let unknown = Some(Value::unknown(span));
        if arg.get("Name").and_then(Node::as_str) != Some("AWS::Include") {
            return unknown;
        }
        let Some(loc) = arg.get("Parameters").and_then(|p| p.get("Location")) else {
            return unknown;
        };
        let at = loc.span;
        let note = |message: String| {
            self.notes.borrow_mut().push(Diagnostic::new(
                codes::EVAL_NOTE,
                Severity::Note,
                at,
                message,
            ));
            Some(Value::unknown(span))
        };
        let Some(path) = self.eval(loc, depth).and_then(|v| v.to_plain_string()) else {
            return note(
                "the `AWS::Include` location is not statically known: the included value is unknown"
                    .into(),
            );
        };
        let text = match self.read_include(&path) {
            Ok(t) => t,
            Err(why) => {
                return note(format!(
                    "`{path}` is not read ({why}); the included value is unknown"
                ))
            }
        };
        let json = path.to_ascii_lowercase().ends_with(".json");
        let (root, error) = if json {
            let p = crate::syntax::json::parse(&crate::syntax::without_bom(&text), at.file);
            (p.root, p.errors.into_iter().next().map(|e| e.message))
        } else {
            let p = crate::syntax::yaml::parse(&text, at.file);
            (p.root, p.errors.into_iter().next().map(|e| e.message))
        };
        let root = match (root, error) {
            (Some(r), None) => r,
            (_, e) => {
                let why = e.unwrap_or_else(|| "it is empty".into());
                return note(format!(
                    "`{path}` is not read (it does not parse: {why}); the included value is unknown"
                ));
            }
        };
        let before = self.notes.borrow().len();
        let mut v = self.eval(&root, depth + 1)?;
        // The included text has no place of its own in the sources: what it says, and
        // what its evaluation notes, is placed at the location.
        for n in self.notes.borrow_mut().iter_mut().skip(before) {
            n.primary = at;
        }
        place_at(&mut v, at);
        Some(v)
    }

    /// The text of a local included file: relative to the template's directory, inside
    /// the scanned directory, a regular file (not a symbolic link) within the size limit.
    fn read_include(&self, path: &str) -> Result<String, String> {
        if path.contains("://") || path.starts_with("s3:") {
            return Err("only local files are read, not S3 objects".into());
        }
        let Some(files) = &self.files else {
            return Err("files are not read in this mode".into());
        };
        if Path::new(path).is_absolute()
            || path.starts_with('/')
            || path.starts_with('~')
            || path.contains('\\')
            || path.contains(':')
        {
            return Err("an absolute path is not read".into());
        }
        let outside = || Err("it lies outside the scanned tree".to_string());
        let mut full = files.dir.clone();
        for c in Path::new(path).components() {
            match c {
                Component::Normal(p) => full.push(p),
                Component::ParentDir => {
                    if !full.pop() {
                        return outside();
                    }
                }
                Component::CurDir => {}
                _ => return outside(),
            }
        }
        if !full.starts_with(&files.root) {
            return outside();
        }
        let n = self.includes.get();
        if n >= MAX_INCLUDES {
            return Err(format!("over {MAX_INCLUDES} files are included"));
        }
        self.includes.set(n + 1);
        match std::fs::symlink_metadata(&full) {
            Ok(m) if m.file_type().is_symlink() => Err("it is a symbolic link".into()),
            Ok(m) if !m.is_file() => Err("it is not a regular file".into()),
            Ok(m) if m.len() > MAX_INCLUDE_SIZE => {
                Err(format!("it is larger than {MAX_INCLUDE_SIZE} bytes"))
            }
            Ok(_) => {
                // A directory on the way may be a link out of the tree.
                let inside = match (full.canonicalize(), files.root.canonicalize()) {
                    (Ok(f), Ok(r)) => f.starts_with(r),
                    _ => false,
                };
                if !inside {
                    return outside();
                }
                std::fs::read_to_string(&full).map_err(|e| e.to_string())
            }
            Err(_) => Err("no such file in the scanned tree".into()),
        }
    }

    /// `Ref` semantics: a parameter's value, `AWS::NoValue`, or a symbolic reference to a
    /// resource (its type decides what the reference means).
    fn reference(&self, target: &str, span: Span) -> Option<Value> {
        if target == "AWS::NoValue" {
            return None;
        }
        if let Some(p) = self.params.get(target) {
            let mut v = p.clone();
            v.from = Some(p.span);
            v.span = span;
            return Some(v);
        }
        if self.resources.contains_key(target) {
            return Some(Value::new(
                Kind::Ref(Box::new(Reference {
                    resource: format!("{}{target}", self.prefix),
                    attr: "Ref".to_string(),
                    instance: None,
                })),
                span,
            ));
        }
        Some(Value::unknown(span))
    }
}

/// Places a value and everything in it at `at`.
fn place_at(v: &mut Value, at: Span) {
    v.span = at;
    v.from = None;
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| place_at(i, at)),
        Kind::Map(m) => m.values_mut().for_each(|i| place_at(i, at)),
        _ => {}
    }
}

/// A default or literal written in the template (no intrinsics).
fn literal(node: &Node) -> Value {
    let k = match &node.kind {
        NodeKind::Str(s) => Kind::Str(s.clone()),
        NodeKind::Number(n) => Kind::Str(n.clone()),
        NodeKind::Bool(b) => Kind::Str(b.to_string()),
        _ => Kind::Unknown,
    };
    Value::new(k, node.span)
}

enum SubPiece {
    Lit(String),
    Var(String),
}

/// Splits a `Fn::Sub` string into literal text and `${...}` variables; `${!x}` is the
/// literal `${x}`.
fn sub_pieces(s: &str) -> Vec<SubPiece> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        lit.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j) => {
                let name = &after[..j];
                if let Some(l) = name.strip_prefix('!') {
                    lit.push_str("${");
                    lit.push_str(l);
                    lit.push('}');
                } else {
                    out.push(SubPiece::Lit(std::mem::take(&mut lit)));
                    out.push(SubPiece::Var(name.trim().to_string()));
                }
                rest = &after[j + 1..];
            }
            None => {
                lit.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    lit.push_str(rest);
    out.push(SubPiece::Lit(lit));
    out
}
