//! Unknown is not silence, in templates: a security-relevant property (one a rule reads)
//! that a construct the evaluator does not follow leaves unknown is named, with the
//! construct, in one `not-evaluated` note per template, as Terraform's attributes are.

use super::{sub_pieces, SubPiece, Template};
use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::source::Span;
use crate::syntax::tree::{Node, NodeKind};
use crate::value::{Kind, Value};

/// Whether what a node evaluates to is partly not known at all (references are linked).
fn unknown(tpl: &Template<'_>, node: &Node) -> bool {
    tpl.eval(node, 0).is_some_and(|v| v.has_opaque_unknown())
}

/// The security-relevant properties of one resource that are set but not known, each
/// with the construct that makes it so: (the construct's span, what is said of it).
pub(super) fn find(
    tpl: &Template<'_>,
    rtype: &str,
    props: &Node,
    body: &Value,
    address: &str,
) -> Vec<(Span, String)> {
    let paths = crate::adapt::security_attributes(rtype);
    if paths.is_empty() {
        return Vec::new();
    }
    // Evaluating again must not repeat the evaluation's notes or use up its includes.
    let (notes, includes) = (tpl.notes.borrow().len(), tpl.includes.get());
    let mut out = Vec::new();
    for path in paths {
        let steps: Vec<&str> = path.split('.').collect();
        if !value_unknown(body, &steps) {
            continue;
        }
        let mut nodes = Vec::new();
        nodes_at(props, &steps, &mut nodes);
        if let Some((span, why)) = nodes
            .into_iter()
            .filter(|n| unknown(tpl, n))
            .find_map(|n| cause(tpl, n, 0))
        {
            out.push((span, format!("`{path}` of {address} ({why})")));
        }
    }
    tpl.notes.borrow_mut().truncate(notes);
    tpl.includes.set(includes);
    out
}

/// Whether the value at a property path is set and partly unknown (an unknown value on
/// the way makes what lies under it unknown).
fn value_unknown(v: &Value, steps: &[&str]) -> bool {
    match (&v.kind, steps.split_first()) {
        (Kind::Unknown, Some(_)) => true,
        (_, None) => v.has_opaque_unknown(),
        (Kind::List(items), Some(_)) => items.iter().any(|i| value_unknown(i, steps)),
        (Kind::Map(_), Some((first, rest))) => v.get(first).is_some_and(|x| value_unknown(x, rest)),
        _ => false,
    }
}

/// The nodes that write a property path: as deep as plain mappings go (an intrinsic on
/// the way writes what lies under it).
fn nodes_at<'n>(node: &'n Node, steps: &[&str], out: &mut Vec<&'n Node>) {
    let Some((first, rest)) = steps.split_first() else {
        out.push(node);
        return;
    };
    match &node.kind {
        NodeKind::Seq(items) => items.iter().for_each(|i| nodes_at(i, steps, out)),
        NodeKind::Map(_) if intrinsic(node).is_some() => out.push(node),
        NodeKind::Map(_) => {
            if let Some(x) = node.get(first) {
                nodes_at(x, rest, out);
            }
        }
        _ => {}
    }
}

/// A node's intrinsic function, when it is one: (name, argument).
fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
    match &node.kind {
        NodeKind::Map(entries) => match entries.as_slice() {
            [e] if e.key == "Ref"
                || e.key.starts_with("Fn::")
                || e.key == "Condition" && !matches!(e.value.kind, NodeKind::Map(_)) =>
            {
                Some((e.key.as_str(), &e.value))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Why a node that evaluates to an unknown value is unknown: the innermost construct the
/// evaluator does not follow (a parameter with no value, an import with no export in
/// the tree, an intrinsic or transform not evaluated, a condition not known), with its
/// span. `None` for what the deployment alone knows (pseudo parameters such as
/// `AWS::AccountId`).
fn cause(tpl: &Template<'_>, node: &Node, depth: usize) -> Option<(Span, String)> {
    if depth > 32 {
        return None;
    }
    let first_unknown = |nodes: &mut dyn Iterator<Item = &Node>| {
        nodes
            .filter(|n| unknown(tpl, n))
            .find_map(|n| cause(tpl, n, depth + 1))
    };
    let Some((name, arg)) = intrinsic(node) else {
        return match &node.kind {
            NodeKind::Map(entries) => first_unknown(&mut entries.iter().map(|e| &e.value)),
            NodeKind::Seq(items) => first_unknown(&mut items.iter()),
            _ => None,
        };
    };
    let args: Vec<&Node> = match &arg.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![arg],
    };
    match name {
        "Ref" => match arg.as_str() {
            Some(p) => parameter(tpl, p, node.span),
            None => first_unknown(&mut args.into_iter()),
        },
        "Fn::Sub" => {
            let text = args.first().and_then(|t| t.as_str())?;
            let vars = args.get(1);
            for piece in sub_pieces(text) {
                let SubPiece::Var(v) = piece else { continue };
                match vars.and_then(|m| m.get(&v)) {
                    Some(n) if unknown(tpl, n) => return cause(tpl, n, depth + 1),
                    Some(_) => {}
                    None if v.contains('.') => {}
                    None if tpl.params.get(&v).is_some_and(Value::has_opaque_unknown) => {
                        return parameter(tpl, &v, node.span);
                    }
                    None => {}
                }
            }
            None
        }
        "Fn::If" => {
            let c = args.first().and_then(|c| c.as_str())?;
            match tpl.condition(c, node.span, 0) {
                Some(taken) => {
                    let branch = args.get(if taken { 1 } else { 2 })?;
                    cause(tpl, branch, depth + 1)
                }
                None => Some((node.span, format!("condition `{c}`, not statically known"))),
            }
        }
        "Fn::ImportValue" => {
            if unknown(tpl, arg) || tpl.eval(arg, 0).and_then(|v| v.to_plain_string()).is_none() {
                return cause(tpl, arg, depth + 1);
            }
            let export = tpl.eval(arg, 0).and_then(|v| v.to_plain_string())?;
            if tpl.exports.contains_key(&export) {
                return None;
            }
            Some((
                node.span,
                format!("`Fn::ImportValue` of `{export}`, no export of that name in the tree"),
            ))
        }
        "Fn::Transform" => {
            let t = arg.get("Name").and_then(Node::as_str).unwrap_or("?");
            Some((
                node.span,
                if t == "AWS::Include" {
                    "`AWS::Include`, not read".into()
                } else {
                    format!("transform `{t}`, not evaluated")
                },
            ))
        }
        "Fn::GetAtt" | "Condition" => None,
        "Fn::Join" | "Fn::Select" | "Fn::Split" | "Fn::FindInMap" | "Fn::Equals" | "Fn::Not"
        | "Fn::And" | "Fn::Or" | "Fn::Length" | "Fn::ToJsonString" => {
            first_unknown(&mut args.into_iter())
        }
        _ => first_unknown(&mut args.into_iter())
            .or_else(|| Some((node.span, format!("`{name}`, not evaluated")))),
    }
}

/// Why a `Ref` to a parameter is unknown; `None` for a pseudo parameter or a resource.
fn parameter(tpl: &Template<'_>, name: &str, at: Span) -> Option<(Span, String)> {
    let p = tpl.root.get("Parameters").and_then(|p| p.get(name))?;
    let ty = p.get("Type").and_then(Node::as_str).unwrap_or("String");
    let why = if ty.starts_with("AWS::SSM::Parameter::Value") {
        format!("parameter `{name}`, read from Parameter Store at deployment")
    } else if p.get("Default").is_some() {
        format!("parameter `{name}`, passed a value not statically known")
    } else {
        format!("parameter `{name}` has no value")
    };
    Some((at, why))
}

/// One note for a template's security-relevant properties left unknown (worded like
/// Terraform's, with its count first: the summary adds the counts up).
pub(super) fn note(mut items: Vec<(Span, String)>) -> Option<Diagnostic> {
    items.sort();
    items.dedup();
    let (first, _) = items.first()?.clone();
    let shown: Vec<&str> = items.iter().take(5).map(|(_, w)| w.as_str()).collect();
    let more = items.len().saturating_sub(5);
    let one = items.len() == 1;
    let mut d = Diagnostic::new(
        codes::NOT_EVALUATED,
        Severity::Note,
        first,
        format!(
            "{} security-relevant {} could not be evaluated, so no rule judged {}: {}{}",
            items.len(),
            if one { "property" } else { "properties" },
            if one { "it" } else { "them" },
            shown.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ),
    );
    for (span, _) in items.iter().skip(1).take(4) {
        d = d.with_label(*span, "also not evaluated");
    }
    Some(d)
}
