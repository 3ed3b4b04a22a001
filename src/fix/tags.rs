//! Adding a tag to a resource's tags in the shape they are written: an entry of an HCL
//! object (aligned like its neighbours), a first argument of `merge(...)`, a `{Key, Value}`
//! item of a template's tag list (block or flow YAML, JSON), an entry of a template's tag
//! map, or, when the resource sets no tags, the attribute with the one tag. Where the
//! tags are an expression, the new tag comes first in a `merge`, so that whatever the
//! expression sets wins.

use super::locate::{
    column_spaces, content_end, flow_append, hcl_block, hcl_insert, indentation, is_flow,
    json_insert, json_style, line_end, line_start, same_line, template_resource, yaml_insert,
    FileText,
};
use super::render::{hcl_string, json_string, literal};
use super::{Edit, Literal, Syntax};
use crate::source::Span;
use crate::syntax::hcl::{Expr, ExprKind};
use crate::syntax::tree::{Node, NodeKind};

pub(super) fn add_tag(
    t: &FileText<'_>,
    nl: &str,
    header: Span,
    attr: &str,
    key: &str,
    value: &str,
) -> Option<Edit> {
    let text = t.text;
    match t.syntax? {
        Syntax::Hcl => {
            let block = hcl_block(t, header)?.block;
            let (k, v) = (hcl_key(key), hcl_string(value));
            match block.body.attrs.iter().find(|a| a.name == attr) {
                None => hcl_insert(text, nl, block, &[], attr, &format!("{{ {k} = {v} }}")),
                Some(a) => hcl_expr(text, nl, &a.expr, &k, &v),
            }
        }
        Syntax::HclJson => {
            let at = hcl_block(t, header)?;
            let obj = at.object(at.block)?;
            let (k, v) = (json_string(key), json_string(value));
            match obj.get(attr) {
                None => json_insert(text, nl, obj, &[], attr, &format!("{{{k}: {v}}}")),
                Some(m) if matches!(m.kind, NodeKind::Map(_)) => {
                    json_insert(text, nl, m, &[], key, &v)
                }
                // An expression (`"${merge(...)}"`): for a person to change.
                Some(_) => None,
            }
        }
        syntax @ (Syntax::Yaml | Syntax::Json) => {
            let resource = template_resource(t, header)?;
            let props = resource.get("Properties");
            match props.and_then(|p| p.get(attr)) {
                None => {
                    let (node, rest): (&Node, Vec<String>) = match props {
                        Some(p) if matches!(p.kind, NodeKind::Map(_)) => (p, Vec::new()),
                        Some(_) => return None,
                        None => (resource, vec!["Properties".to_string()]),
                    };
                    template_new_list(text, nl, syntax, node, &rest, attr, key, value)
                }
                Some(
                    list @ Node {
                        kind: NodeKind::Seq(items),
                        ..
                    },
                ) => match syntax {
                    Syntax::Yaml => yaml_list_item(text, nl, list, items, key, value),
                    _ => json_list_item(text, nl, list, items, key, value),
                },
                // A tag map (`AWS::Serverless::*`), not an intrinsic function.
                Some(
                    map @ Node {
                        kind: NodeKind::Map(entries),
                        ..
                    },
                ) if entries
                    .iter()
                    .all(|e| !e.key.starts_with("Fn::") && e.key != "Ref") =>
                {
                    let v = literal(&Literal::Str(value.to_string()), syntax, None);
                    if syntax == Syntax::Yaml {
                        yaml_insert(text, nl, map, &[], key, &v)
                    } else {
                        json_insert(text, nl, map, &[], key, &v)
                    }
                }
                Some(_) => None,
            }
        }
    }
}

/// A tag key as an HCL object key: bare when it is an identifier.
fn hcl_key(key: &str) -> String {
    let ident = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        key.to_string()
    } else {
        hcl_string(key)
    }
}

/// The tag added to the tags expression of a Terraform resource.
fn hcl_expr(text: &str, nl: &str, expr: &Expr, k: &str, v: &str) -> Option<Edit> {
    let file = expr.span.file;
    match &expr.kind {
        ExprKind::Object(items) => hcl_object(text, nl, expr, items, k, v),
        ExprKind::Call(name, args, _) if name == "merge" && !args.is_empty() => {
            let at = args[0].span.start as usize;
            Some(Edit {
                span: Span::new(file, at, at),
                replacement: format!("{{ {k} = {v} }}, "),
            })
        }
        _ => {
            let old = text.get(expr.span.range())?;
            Some(Edit {
                span: expr.span,
                replacement: format!("merge({{ {k} = {v} }}, {old})"),
            })
        }
    }
}

/// `k = v` added to an object constructor: after its last item, on a line of its own
/// when the items are (joining the alignment of their `=`), else after a comma.
fn hcl_object(
    text: &str,
    nl: &str,
    obj: &Expr,
    items: &[(Expr, Expr)],
    k: &str,
    v: &str,
) -> Option<Edit> {
    let file = obj.span.file;
    let (open, close) = (
        obj.span.start as usize,
        (obj.span.end as usize).checked_sub(1)?,
    );
    let b = text.as_bytes();
    if b.get(open) != Some(&b'{') || b.get(close) != Some(&b'}') {
        return None;
    }
    let Some((last_k, last_v)) = items.iter().max_by_key(|(key, _)| key.span.start) else {
        let inside = text.get(open + 1..close)?;
        if !inside.trim().is_empty() {
            return None;
        }
        let replacement = if same_line(text, open, close) {
            format!(" {k} = {v} ")
        } else {
            let outer = indentation(text, open);
            format!("{nl}{outer}  {k} = {v}{nl}{outer}")
        };
        return Some(Edit {
            span: Span::new(file, open + 1, close),
            replacement,
        });
    };
    let last_end = last_v.span.end as usize;
    let mut after = last_end;
    while after < b.len() && matches!(b[after], b' ' | b'\t') {
        after += 1;
    }
    let comma = b.get(after) == Some(&b',');
    let separator = |key: &Expr, value: &Expr| -> Option<(usize, char)> {
        let (s, e) = (key.span.end as usize, value.span.start as usize);
        let at = s + text.get(s..e)?.find(['=', ':'])?;
        Some((at - line_start(text, at), b[at] as char))
    };
    let sep = separator(last_k, last_v).map_or('=', |(_, c)| c);
    if same_line(text, open, close) {
        return Some(if comma {
            Edit {
                span: Span::new(file, after + 1, after + 1),
                replacement: format!(" {k} {sep} {v}"),
            }
        } else {
            Edit {
                span: Span::new(file, last_end, last_end),
                replacement: format!(", {k} {sep} {v}"),
            }
        });
    }
    if same_line(text, last_end, close) {
        return None;
    }
    let indent = indentation(text, last_k.span.start as usize);
    // The run of one-line items just above, aligned on `=` as `terraform fmt` writes them.
    let mut sorted: Vec<&(Expr, Expr)> = items.iter().collect();
    sorted.sort_by_key(|(key, _)| key.span.start);
    let mut run = vec![*sorted.last()?];
    for w in sorted.windows(2).rev() {
        let (a, next) = (w[0], w[1]);
        let gap = text.get(a.1.span.end as usize..next.0.span.start as usize)?;
        if gap.trim_matches([' ', '\t', ',']).trim().is_empty() && gap.matches('\n').count() == 1 {
            run.push(a);
        } else {
            break;
        }
    }
    let cols: Vec<Option<usize>> = run
        .iter()
        .map(|(key, value)| separator(key, value).map(|(c, _)| c))
        .collect();
    let mut name = k.to_string();
    if run.len() >= 2 && cols.windows(2).all(|w| w[0] == w[1]) {
        if let Some(col) = cols[0] {
            let width = col.saturating_sub(indent.chars().count());
            if k.len() < width {
                name = format!("{k:<width$}");
            } else {
                name.push(' ');
            }
        }
    } else {
        name.push(' ');
    }
    let at = line_end(text, if comma { after } else { last_end - 1 });
    Some(Edit {
        span: Span::new(file, at, at),
        replacement: format!(
            "{nl}{indent}{name}{sep} {v}{}",
            if comma { "," } else { "" }
        ),
    })
}

/// The tag attribute created, with its one `{Key, Value}` item, in a template resource's
/// `Properties` (created too when absent): a block sequence in block YAML, a flow one in
/// flow YAML, inline in JSON.
#[allow(clippy::too_many_arguments)]
fn template_new_list(
    text: &str,
    nl: &str,
    syntax: Syntax,
    node: &Node,
    rest: &[String],
    attr: &str,
    key: &str,
    value: &str,
) -> Option<Edit> {
    if syntax == Syntax::Json {
        return json_insert(
            text,
            nl,
            node,
            rest,
            attr,
            &format!("[{}]", json_item(key, value)),
        );
    }
    let (k, v) = yaml_pair(key, value);
    if is_flow(text, node) {
        let list = if json_style(text, node) {
            format!("[{}]", json_item(key, value))
        } else {
            format!("[{{Key: {k}, Value: {v}}}]")
        };
        return yaml_insert(text, nl, node, rest, attr, &list);
    }
    const HOLE: &str = "\u{0}";
    let mut edit = yaml_insert(text, nl, node, rest, attr, HOLE)?;
    let line = edit.replacement.rsplit('\n').next()?.to_string();
    let ind = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    edit.replacement = edit.replacement.replace(
        &format!(" {HOLE}"),
        &format!("{nl}{ind}  - Key: {k}{nl}{ind}    Value: {v}"),
    );
    Some(edit)
}

/// A tag as a JSON object.
fn json_item(key: &str, value: &str) -> String {
    format!(
        "{{\"Key\": {}, \"Value\": {}}}",
        json_string(key),
        json_string(value)
    )
}

fn yaml_pair(key: &str, value: &str) -> (String, String) {
    (
        literal(&Literal::Str(key.to_string()), Syntax::Yaml, None),
        literal(&Literal::Str(value.to_string()), Syntax::Yaml, None),
    )
}

/// A `{Key, Value}` item appended to a YAML tag list, in the list's style.
fn yaml_list_item(
    text: &str,
    nl: &str,
    list: &Node,
    items: &[Node],
    key: &str,
    value: &str,
) -> Option<Edit> {
    let file = list.span.file;
    let (k, v) = yaml_pair(key, value);
    if is_flow(text, list) {
        let item = match items.last() {
            Some(last) if json_style(text, last) => json_item(key, value),
            _ => format!("{{Key: {k}, Value: {v}}}"),
        };
        let last = items.iter().map(|i| content_end(text, i)).max();
        return Some(flow_append(list, last, &item));
    }
    let last = items.last()?;
    let dash = indentation(text, last.span.start as usize);
    let replacement = match &last.kind {
        NodeKind::Map(entries) if !is_flow(text, last) => {
            let col = column_spaces(text, entries.first()?.key_span.start as usize);
            format!("{nl}{dash}- Key: {k}{nl}{col}Value: {v}")
        }
        _ => format!("{nl}{dash}- {{Key: {k}, Value: {v}}}"),
    };
    let at = line_end(text, content_end(text, list).saturating_sub(1));
    Some(Edit {
        span: Span::new(file, at, at),
        replacement,
    })
}

/// A `{"Key", "Value"}` item appended to a JSON tag list, written like the last item
/// (on one line or over several).
fn json_list_item(
    text: &str,
    nl: &str,
    list: &Node,
    items: &[Node],
    key: &str,
    value: &str,
) -> Option<Edit> {
    let file = list.span.file;
    let (k, v) = (json_string(key), json_string(value));
    let inline = json_item(key, value);
    let Some(last) = items.last() else {
        if text.as_bytes().get(list.span.start as usize) != Some(&b'[') {
            return None;
        }
        let at = list.span.start as usize + 1;
        return Some(Edit {
            span: Span::new(file, at, at),
            replacement: inline,
        });
    };
    let (start, end) = (last.span.start as usize, last.span.end as usize);
    let own_line = !same_line(text, list.span.start as usize, start);
    let item_indent = indentation(text, start);
    let replacement = match last.entries().first() {
        Some(first) if !same_line(text, start, end) => {
            let key_indent = indentation(text, first.key_span.start as usize);
            format!(
                ",{nl}{item_indent}{{{nl}{key_indent}\"Key\": {k},{nl}{key_indent}\"Value\": {v}{nl}{item_indent}}}"
            )
        }
        _ if own_line => format!(",{nl}{item_indent}{inline}"),
        _ => format!(", {inline}"),
    };
    Some(Edit {
        span: Span::new(file, end, end),
        replacement,
    })
}
