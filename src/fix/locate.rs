//! Locating a fix's changes in the text as written: byte ranges, and for a new attribute
//! the place and indentation a person would give it, in HCL, YAML (block or flow) and
//! JSON. Nothing outside the edited bytes changes.

use super::render::{is_literal, json_string, literal};
use super::{apply_edits, overlap, Change, Edit, Fix, Syntax};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::hcl::Block;
use crate::syntax::tree::Node;
use std::collections::HashMap;

pub(super) enum Unresolved {
    /// The change does not match the text (it changed, or is not written as expected).
    NotFound,
    /// Applied, the fix would leave a file that does not parse.
    WouldNotParse(String),
}

/// One file's text, syntax and parse, shared by every fix located in it.
pub(super) struct FileText<'a> {
    pub(super) text: &'a str,
    pub(super) syntax: Option<Syntax>,
    file: FileId,
    tree: std::sync::OnceLock<Parsed>,
    parses: std::sync::OnceLock<bool>,
}

enum Parsed {
    Hcl(Option<crate::syntax::hcl::Body>),
    HclJson(Option<(Node, crate::syntax::hcl::Body)>),
    Tree(Option<Node>),
}

impl<'a> FileText<'a> {
    fn parsed(&self) -> &Parsed {
        self.tree.get_or_init(|| {
            let text = crate::syntax::without_bom(self.text);
            match self.syntax {
                Some(Syntax::Hcl) => Parsed::Hcl(crate::syntax::hcl::parse(&text, self.file).body),
                Some(Syntax::HclJson) => Parsed::HclJson(
                    crate::syntax::json::parse(&text, self.file)
                        .root
                        .map(|root| {
                            let (body, _) = crate::syntax::hcl::from_json(&root, self.file);
                            (root, body)
                        }),
                ),
                Some(Syntax::Yaml) => {
                    Parsed::Tree(crate::syntax::yaml::parse(&text, self.file).root)
                }
                _ => Parsed::Tree(crate::syntax::json::parse(&text, self.file).root),
            }
        })
    }

    /// Whether the text as analysed parses (a fix is offered only on such a file).
    fn parses(&self) -> bool {
        *self
            .parses
            .get_or_init(|| self.syntax.is_some_and(|s| s.check(self.text).is_ok()))
    }
}

/// The texts of the files some fixes change, by file, each read and parsed once.
pub(super) type Texts<'a> = HashMap<FileId, FileText<'a>>;

pub(super) fn texts<'a>(sources: &'a SourceMap, fixes: &[&Fix]) -> Texts<'a> {
    let mut out = Texts::new();
    for file in fixes.iter().flat_map(|f| f.files()) {
        if (file as usize) < sources.len() {
            out.entry(file).or_insert_with(|| {
                let f = sources.get(file);
                FileText {
                    text: f.text(),
                    syntax: Syntax::of(&f.name),
                    file,
                    tree: std::sync::OnceLock::new(),
                    parses: std::sync::OnceLock::new(),
                }
            });
        }
    }
    out
}

/// The edits of a fix, each change located in its file's text.
pub(super) fn locate_fix(fix: &Fix, texts: &Texts<'_>) -> Result<Vec<Edit>, Unresolved> {
    let mut edits = Vec::new();
    for c in &fix.changes {
        let t = texts.get(&c.file()).ok_or(Unresolved::NotFound)?;
        if !t.parses() {
            return Err(Unresolved::NotFound);
        }
        edits.push(change_edit(c, t).ok_or(Unresolved::NotFound)?);
    }
    edits.sort();
    edits.dedup();
    if edits.windows(2).any(|w| overlap(&w[0], &w[1])) {
        return Err(Unresolved::NotFound);
    }
    Ok(edits)
}

/// Whether the files still parse with these edits applied (the first error otherwise).
pub(super) fn check_applied(edits: &[&Edit], texts: &Texts<'_>) -> Result<(), Unresolved> {
    let mut files: Vec<FileId> = edits.iter().map(|e| e.span.file).collect();
    files.sort_unstable();
    files.dedup();
    for file in files {
        let t = texts.get(&file).ok_or(Unresolved::NotFound)?;
        let syntax = t.syntax.ok_or(Unresolved::NotFound)?;
        let mine: Vec<&Edit> = edits
            .iter()
            .copied()
            .filter(|e| e.span.file == file)
            .collect();
        let fixed = apply_edits(t.text, &mine).ok_or(Unresolved::NotFound)?;
        syntax.check(&fixed).map_err(Unresolved::WouldNotParse)?;
    }
    Ok(())
}

#[cfg(test)]
pub(super) fn resolve_fix(fix: &Fix, sources: &SourceMap) -> Result<Vec<Edit>, Unresolved> {
    let texts = texts(sources, &[fix]);
    let edits = locate_fix(fix, &texts)?;
    check_applied(&edits.iter().collect::<Vec<_>>(), &texts)?;
    Ok(edits)
}

fn change_edit(c: &Change, t: &FileText<'_>) -> Option<Edit> {
    let (text, syntax) = (t.text, t.syntax?);
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match c {
        Change::SetLiteral { span, value } => {
            let old = text.get(span.range())?;
            if !is_literal(old, syntax) {
                return None;
            }
            let replacement = literal(value, syntax, Some(old));
            (replacement != old).then_some(Edit {
                span: *span,
                replacement,
            })
        }
        Change::Replace { span, value } => {
            let old = text.get(span.range())?;
            let replacement = literal(value, syntax, None);
            (replacement != old).then_some(Edit {
                span: *span,
                replacement,
            })
        }
        Change::RemoveElement { span } => remove_element(text, *span, syntax, nl),
        Change::RemoveListItem { list, item } => {
            let at = list_item(text, *list, item)?;
            remove_element(text, at, syntax, nl)
        }
        Change::AddAttribute {
            header,
            path,
            name,
            value,
        } => match syntax {
            Syntax::Hcl | Syntax::HclJson => {
                let at = hcl_block(t, *header)?;
                let (block, rest) = descend(at.block, path);
                let value = literal(value, syntax, None);
                match at.json {
                    None => hcl_insert(text, nl, block, rest, name, &value),
                    Some(root) => {
                        json_insert(text, nl, node_at(root, block.span)?, rest, name, &value)
                    }
                }
            }
            Syntax::Yaml | Syntax::Json => {
                let resource = template_resource(t, *header)?;
                // A resource's attributes are its `Properties` (created when absent).
                let path: Vec<String> = std::iter::once("Properties".to_string())
                    .chain(path.iter().cloned())
                    .collect();
                let mut node = resource;
                let mut rest: &[String] = &path;
                while let Some((first, more)) = rest.split_first() {
                    match node.get(first) {
                        Some(n) if matches!(n.kind, crate::syntax::tree::NodeKind::Map(_)) => {
                            node = n;
                            rest = more;
                        }
                        Some(_) => return None,
                        None => break,
                    }
                }
                // A template written as JSON and read as YAML gets JSON.
                let json_like = syntax == Syntax::Yaml && json_style(text, node);
                let value = literal(value, if json_like { Syntax::Json } else { syntax }, None);
                if syntax == Syntax::Yaml {
                    yaml_insert(text, nl, node, rest, name, &value)
                } else {
                    json_insert(text, nl, node, rest, name, &value)
                }
            }
        },
        Change::AddTag {
            header,
            attr,
            key,
            value,
        } => super::tags::add_tag(t, nl, *header, attr, key, value),
    }
}

/// A Terraform resource block by its header, in a `.tf` file or a `.tf.json` file (with
/// the JSON document it is written in).
pub(super) fn hcl_block<'t>(t: &'t FileText<'_>, header: Span) -> Option<HclBlock<'t>> {
    match t.parsed() {
        Parsed::Hcl(Some(body)) => Some(HclBlock {
            block: find_block(&body.blocks, header)?,
            json: None,
        }),
        Parsed::HclJson(Some((root, body))) => Some(HclBlock {
            block: find_block(&body.blocks, header)?,
            json: Some(root),
        }),
        _ => None,
    }
}

pub(super) struct HclBlock<'t> {
    pub block: &'t Block,
    /// The JSON document, in a `.tf.json` file (the block's object is the node at its
    /// span: [`HclBlock::object`]).
    pub json: Option<&'t Node>,
}

impl<'t> HclBlock<'t> {
    /// The JSON object a block of this file is written as, in a `.tf.json` file.
    pub fn object(&self, block: &Block) -> Option<&'t Node> {
        node_at(self.json?, block.span)
    }
}

/// A template resource's node (`Type`, `Properties`, ...) by its header, the logical id's
/// key.
pub(super) fn template_resource<'t>(t: &'t FileText<'_>, header: Span) -> Option<&'t Node> {
    match t.parsed() {
        Parsed::Tree(Some(root)) => Some(
            &root
                .get("Resources")?
                .entries()
                .iter()
                .find(|e| e.key_span == header)?
                .value,
        ),
        _ => None,
    }
}

fn find_block(blocks: &[Block], header: Span) -> Option<&Block> {
    blocks.iter().find(|b| b.header == header).or_else(|| {
        blocks
            .iter()
            .find_map(|b| find_block(&b.body.blocks, header))
    })
}

/// The innermost block of `path` that exists (the first of each kind), and the rest of
/// the path to create.
fn descend<'a, 'p>(mut block: &'a Block, path: &'p [String]) -> (&'a Block, &'p [String]) {
    let mut rest = path;
    while let Some((first, more)) = rest.split_first() {
        match block.body.blocks.iter().find(|b| &b.kind == first) {
            Some(b) => {
                block = b;
                rest = more;
            }
            None => break,
        }
    }
    (block, rest)
}

fn node_at(root: &Node, span: Span) -> Option<&Node> {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.span == span {
            return Some(n);
        }
        match &n.kind {
            crate::syntax::tree::NodeKind::Map(entries) => {
                stack.extend(entries.iter().map(|e| &e.value))
            }
            crate::syntax::tree::NodeKind::Seq(items) => stack.extend(items),
            _ => {}
        }
    }
    None
}

pub(super) fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its `\n` or `\r\n`.
pub(super) fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

pub(super) fn same_line(text: &str, a: usize, b: usize) -> bool {
    let (a, b) = (a.min(b), a.max(b).min(text.len()));
    !text[a..b].contains('\n')
}

/// The whitespace that starts the line holding `at`.
pub(super) fn indentation(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..line_end(text, start)];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The column of `at` as spaces (what precedes it on its line, `- ` of a sequence item
/// included).
pub(super) fn column_spaces(text: &str, at: usize) -> String {
    " ".repeat(text[line_start(text, at)..at].chars().count())
}

/// One indentation step: what `inner` adds to `outer`, else two spaces.
pub(super) fn step(outer: &str, inner: &str) -> String {
    match inner.strip_prefix(outer) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "  ".to_string(),
    }
}

pub(super) fn hcl_insert(
    text: &str,
    nl: &str,
    block: &Block,
    rest: &[String],
    name: &str,
    value: &str,
) -> Option<Edit> {
    let file = block.span.file;
    let (hstart, end) = (block.header.end as usize, block.span.end as usize);
    let open = hstart + text.get(hstart..end)?.find('{')?;
    let close = end.checked_sub(1)?;
    if text.as_bytes().get(close) != Some(&b'}') {
        return None;
    }
    let outer = indentation(text, block.span.start as usize);
    let first = block
        .body
        .attrs
        .iter()
        .map(|a| a.name_span.start)
        .chain(block.body.blocks.iter().map(|b| b.span.start))
        .min();
    let indent = match first {
        Some(f) if !same_line(text, open, f as usize) => indentation(text, f as usize).to_string(),
        _ => format!("{outer}  "),
    };
    let unit = step(outer, &indent);
    let mut lines: Vec<String> = Vec::new();
    for (depth, p) in rest.iter().enumerate() {
        lines.push(format!("{}{p} {{", unit.repeat(depth)));
    }
    lines.push(format!("{}{name} = {value}", unit.repeat(rest.len())));
    for depth in (0..rest.len()).rev() {
        lines.push(format!("{}}}", unit.repeat(depth)));
    }
    let render = |lines: &[String], indent: &str| -> String {
        lines
            .iter()
            .map(|l| format!("{nl}{indent}{l}"))
            .collect::<String>()
    };
    if same_line(text, open, close) {
        if !text[open + 1..close].trim().is_empty() {
            return None;
        }
        return Some(Edit {
            span: Span::new(file, open + 1, close),
            replacement: format!("{}{nl}{outer}", render(&lines, &indent)),
        });
    }
    let mut attrs: Vec<_> = block.body.attrs.iter().collect();
    attrs.sort_by_key(|a| a.name_span.start);
    let Some(last) = attrs.last() else {
        let at = line_end(text, open);
        return Some(Edit {
            span: Span::new(file, at, at),
            replacement: render(&lines, &indent),
        });
    };
    // Consecutive one-line attributes aligned on `=`, as `terraform fmt` writes them: the
    // new one joins the alignment when its name fits.
    if rest.is_empty() {
        let eq_col = |a: &crate::syntax::hcl::Attr| -> Option<usize> {
            let (s, e) = (a.name_span.end as usize, a.expr.span.start as usize);
            let eq = s + text.get(s..e)?.find('=')?;
            Some(eq - line_start(text, eq))
        };
        let mut run = vec![*last];
        for i in (0..attrs.len() - 1).rev() {
            let (a, b) = (attrs[i], attrs[i + 1]);
            let next_line = line_end(text, (a.expr.span.end as usize).saturating_sub(1));
            let gap = text.get(next_line..b.name_span.start as usize)?;
            if gap.trim().is_empty() && gap.matches('\n').count() == 1 {
                run.push(a);
            } else {
                break;
            }
        }
        let cols: Vec<Option<usize>> = run.iter().map(|a| eq_col(a)).collect();
        if run.len() >= 2 && cols.windows(2).all(|w| w[0] == w[1]) {
            if let Some(col) = cols[0] {
                let width = col.saturating_sub(indent.chars().count());
                if name.len() < width {
                    lines = vec![format!("{name:<width$}= {value}")];
                }
            }
        }
    }
    let at = line_end(text, (last.expr.span.end as usize).saturating_sub(1));
    Some(Edit {
        span: Span::new(file, at, at),
        replacement: render(&lines, &indent),
    })
}

/// Where a node's text ends, trailing blank lines of a block scalar or of a nested block
/// collection left out.
pub(super) fn content_end(text: &str, n: &Node) -> usize {
    let end = match &n.kind {
        crate::syntax::tree::NodeKind::Map(entries) if !is_flow(text, n) => entries
            .iter()
            .map(|e| content_end(text, &e.value).max(e.key_span.end as usize))
            .max()
            .unwrap_or(n.span.end as usize),
        crate::syntax::tree::NodeKind::Seq(items) if !is_flow(text, n) => items
            .iter()
            .map(|i| content_end(text, i))
            .max()
            .unwrap_or(n.span.end as usize),
        _ if is_flow(text, n) => return flow_end(text, n),
        _ => n.span.end as usize,
    };
    let start = n.span.start as usize;
    let mut end = end.min(text.len());
    while end > start && text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// Where a flow collection's text ends, its closing brackets included (a flow mapping
/// inside a flow sequence may end its span before its `}`).
fn flow_end(text: &str, n: &Node) -> usize {
    let start = n.span.start as usize;
    let mut end = (n.span.end as usize).min(text.len());
    while end > start && text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    let b = text.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = start.min(end);
    while i < end {
        let c = b[i];
        i += 1;
        match (quote, c) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'{' | b'[') => depth += 1,
            (None, b'}' | b']') => depth -= 1,
            _ => {}
        }
    }
    while depth > 0 {
        let mut at = end;
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if !matches!(b.get(at), Some(b'}' | b']')) {
            break;
        }
        end = at + 1;
        depth -= 1;
    }
    end
}

/// `member` added to a flow collection: after its last member's end (`last`), else just
/// inside its opening bracket.
pub(super) fn flow_append(collection: &Node, last: Option<usize>, member: &str) -> Edit {
    let file = collection.span.file;
    match last {
        Some(at) => Edit {
            span: Span::new(file, at, at),
            replacement: format!(", {member}"),
        },
        None => {
            let at = collection.span.start as usize + 1;
            Edit {
                span: Span::new(file, at, at),
                replacement: member.to_string(),
            }
        }
    }
}

/// Whether a flow mapping's keys are written as JSON strings (a JSON template read as
/// YAML): what is added to it is written the same way.
pub(super) fn json_style(text: &str, map: &Node) -> bool {
    is_flow(text, map)
        && map
            .entries()
            .first()
            .is_some_and(|e| text.as_bytes().get(e.key_span.start as usize) == Some(&b'"'))
}

pub(super) fn is_flow(text: &str, n: &Node) -> bool {
    matches!(
        text.as_bytes().get(n.span.start as usize),
        Some(b'{' | b'[')
    )
}

pub(super) fn yaml_insert(
    text: &str,
    nl: &str,
    map: &Node,
    rest: &[String],
    name: &str,
    value: &str,
) -> Option<Edit> {
    let file = map.span.file;
    let entries = map.entries();
    if is_flow(text, map) {
        // A template written as JSON and read as YAML: its members as JSON writes them.
        if json_style(text, map) {
            return json_insert(text, nl, map, rest, name, value);
        }
        let mut member = String::new();
        for p in rest {
            member.push_str(&format!("{p}: {{"));
        }
        member.push_str(&format!("{name}: {value}"));
        member.push_str(&"}".repeat(rest.len()));
        let last = entries.iter().map(|e| content_end(text, &e.value)).max();
        return Some(flow_append(map, last, &member));
    }
    let first = entries.first()?;
    let indent = column_spaces(text, first.key_span.start as usize);
    let outer = indentation(
        text,
        line_start(text, first.key_span.start as usize).saturating_sub(1),
    );
    let unit = step(outer, &indent);
    let end = entries
        .iter()
        .map(|e| content_end(text, &e.value).max(e.key_span.end as usize))
        .max()?;
    let at = line_end(text, end.saturating_sub(1));
    let mut out = String::new();
    for (depth, p) in rest.iter().enumerate() {
        out.push_str(&format!("{nl}{indent}{}{p}:", unit.repeat(depth)));
    }
    out.push_str(&format!(
        "{nl}{indent}{}{name}: {value}",
        unit.repeat(rest.len())
    ));
    Some(Edit {
        span: Span::new(file, at, at),
        replacement: out,
    })
}

pub(super) fn json_insert(
    text: &str,
    nl: &str,
    obj: &Node,
    rest: &[String],
    name: &str,
    value: &str,
) -> Option<Edit> {
    let file = obj.span.file;
    if text.as_bytes().get(obj.span.start as usize) != Some(&b'{') {
        return None;
    }
    let entries = obj.entries();
    let multiline = entries
        .first()
        .is_some_and(|e| !same_line(text, obj.span.start as usize, e.key_span.start as usize));
    let outer = indentation(text, obj.span.start as usize);
    let indent = match entries.first() {
        Some(e) if multiline => indentation(text, e.key_span.start as usize).to_string(),
        _ => format!("{outer}  "),
    };
    let unit = step(outer, &indent);
    // Multi-line: members on their own lines, indented; inline: `{"a": {"b": true}}`.
    let member = |multi: bool| -> String {
        let (sep, indent, unit) = if multi {
            (nl, indent.as_str(), unit.as_str())
        } else {
            ("", "", "")
        };
        let mut m = String::new();
        for (depth, p) in rest.iter().enumerate() {
            m.push_str(&format!(
                "{}: {{{sep}{indent}{}",
                json_string(p),
                unit.repeat(depth + 1)
            ));
        }
        m.push_str(&format!("{}: {value}", json_string(name)));
        for depth in (0..rest.len()).rev() {
            m.push_str(&format!("{sep}{indent}{}}}", unit.repeat(depth)));
        }
        m
    };
    match entries.iter().map(|e| content_end(text, &e.value)).max() {
        Some(at) if multiline => Some(Edit {
            span: Span::new(file, at, at),
            replacement: format!(",{nl}{indent}{}", member(true)),
        }),
        Some(at) => Some(Edit {
            span: Span::new(file, at, at),
            replacement: format!(", {}", member(false)),
        }),
        None => {
            let at = obj.span.start as usize + 1;
            Some(Edit {
                span: Span::new(file, at, at),
                replacement: member(false),
            })
        }
    }
}

/// The span of the element of the list written at `list` that is the string `item`
/// (quoted or plain, any case).
fn list_item(text: &str, list: Span, item: &str) -> Option<Span> {
    let (start, end) = (list.start as usize, list.end as usize);
    let body = text.get(start..end)?;
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (s, e, inner) = if c == b'"' || c == b'\'' {
            let close = body[i + 1..].find(c as char)? + i + 1;
            (i, close + 1, &body[i + 1..close])
        } else if c.is_ascii_alphanumeric() || c == b'*' {
            let stop = body[i..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || "-_*".contains(ch)))
                .map_or(body.len(), |k| i + k);
            (i, stop, &body[i..stop])
        } else {
            i += 1;
            continue;
        };
        if inner.eq_ignore_ascii_case(item) {
            return Some(Span::new(list.file, start + s, start + e));
        }
        i = e.max(i + 1);
    }
    None
}

/// Removes an element of a list with the separator that goes with it, or the whole line
/// of an element alone on its line (a YAML block sequence item, one element a line).
fn remove_element(text: &str, span: Span, syntax: Syntax, nl: &str) -> Option<Edit> {
    let (s, e) = (span.start as usize, span.end as usize);
    text.get(s..e)?;
    let b = text.as_bytes();
    let file = span.file;
    let ls = line_start(text, s);
    let before = text[ls..s].trim();
    let whole_line = |end: usize| -> Option<Edit> {
        let le = line_end(text, end);
        let stop = (le + nl.len()).min(text.len());
        Some(Edit {
            span: Span::new(file, ls, stop),
            replacement: String::new(),
        })
    };
    let rest_of_line = |from: usize| text[from..line_end(text, from)].trim().to_string();
    if syntax == Syntax::Yaml && before == "-" {
        let after = rest_of_line(e);
        return (after.is_empty() || after.starts_with('#'))
            .then(|| whole_line(e))
            .flatten();
    }
    let mut after = e;
    while after < b.len() && matches!(b[after], b' ' | b'\t') {
        after += 1;
    }
    if b.get(after) == Some(&b',') {
        let mut end = after + 1;
        while end < b.len() && matches!(b[end], b' ' | b'\t') {
            end += 1;
        }
        let tail = rest_of_line(end);
        if before.is_empty() && (tail.is_empty() || tail.starts_with('#') || tail.starts_with("//"))
        {
            return whole_line(end);
        }
        return Some(Edit {
            span: Span::new(file, s, end),
            replacement: String::new(),
        });
    }
    let mut start = s;
    while start > 0 && b[start - 1].is_ascii_whitespace() {
        start -= 1;
    }
    if start > 0 && b[start - 1] == b',' {
        return Some(Edit {
            span: Span::new(file, start - 1, e),
            replacement: String::new(),
        });
    }
    Some(Edit {
        span: Span::new(file, s, e),
        replacement: String::new(),
    })
}
