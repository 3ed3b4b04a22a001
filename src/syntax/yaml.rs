//! YAML into the spanned data tree, from `saphyr-parser` events.
//!
//! The builder is iterative (deep nesting cannot overflow the stack), never expands aliases
//! (CloudFormation rejects them; expanding invites alias bombs), reports duplicate keys, and
//! resolves YAML 1.1 plain scalars the way CloudFormation reads them.

use super::tree::{intrinsic_for_tag, Entry, Node, NodeKind};
use super::{SyntaxError, MAX_DEPTH};
use crate::source::{FileId, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use std::collections::HashMap;

pub struct Parsed {
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
    /// Keys written twice in one mapping (the last value is in the tree).
    pub duplicates: Vec<super::DuplicateKey>,
}

/// Converts the parser's character indices into byte offsets.
struct Offsets {
    char_to_byte: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let char_to_byte = if text.is_ascii() {
            None
        } else {
            let mut v: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
            v.push(text.len() as u32);
            Some(v)
        };
        Offsets {
            char_to_byte,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_to_byte {
            None => char_index.min(self.len),
            Some(v) => v.get(char_index).map(|b| *b as usize).unwrap_or(self.len),
        }
    }
}

enum Frame {
    Seq {
        start: usize,
        tag: Option<String>,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        tag: Option<String>,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        /// Where each key was last defined, and its entry (duplicates found without a
        /// scan).
        seen: HashMap<String, (Span, usize)>,
    },
}

fn local_tag(tag: &Option<std::borrow::Cow<'_, Tag>>) -> Option<String> {
    let tag = tag.as_ref()?;
    if tag.handle == "!" {
        Some(tag.suffix.clone())
    } else {
        None
    }
}

pub fn parse(text: &str, file: FileId) -> Parsed {
    let strict = parse_strict(text, file);
    if strict.root.is_none() {
        if let Some(p) = lenient::parse(text, file, &strict) {
            return p;
        }
    }
    strict
}

/// YAML that YAML 1.2 rejects for its indentation only, where the indentation means
/// nothing: continuation lines of a quoted scalar (their leading spaces are folded away),
/// and the content and closing bracket of a flow collection (inside one, indentation
/// carries no structure), less indented than their parent. PyYAML accepts these, and with
/// it the tools that read CloudFormation templates with it (cfn-lint, the AWS CLI, SAM);
/// templates in the wild rely on it. Such a file is parsed again with those lines indented
/// further, and every span mapped back to the text as written. A line indented because it
/// is inside a flow collection must be inside one in the text that parses, or the file
/// stays an error.
mod lenient {
    use super::{parse_strict, Offsets, Parsed};
    use crate::source::{FileId, Span};
    use saphyr_parser::{Event, Parser};
    use std::collections::{BTreeMap, BTreeSet};

    /// Re-parses at most this many times (templates in the wild need one or two).
    const MAX_ATTEMPTS: usize = 16;

    pub(super) fn parse(text: &str, file: FileId, strict: &Parsed) -> Option<Parsed> {
        // Spaces to insert, by the original offset of the line start they go before.
        let mut insert: BTreeMap<usize, usize> = BTreeMap::new();
        // The line starts indented because they are inside a flow collection.
        let mut in_flow: BTreeSet<usize> = BTreeSet::new();
        let mut error = strict.errors.last()?.clone();
        for _ in 0..MAX_ATTEMPTS {
            if !error
                .message
                .starts_with("invalid YAML: invalid indentation")
            {
                return None;
            }
            let at = original(&insert, error.span.start as usize);
            let fixed = indent_flow(text, at, &mut insert, &mut in_flow)
                || if error.message.contains("quoted scalar") {
                    indent_quoted(text, at, &mut insert)
                } else {
                    indent_closing_bracket(text, at, &mut insert, &mut in_flow)
                };
            if !fixed {
                return None;
            }
            let widened = widen(text, &insert);
            let mut p = parse_strict(&widened, file);
            if p.root.is_some() {
                if !inside_flow(&widened, &insert, &in_flow) {
                    return None;
                }
                map_back(&mut p, &insert);
                return Some(p);
            }
            error = p.errors.pop()?;
        }
        None
    }

    fn widen(text: &str, insert: &BTreeMap<usize, usize>) -> String {
        let mut out = String::with_capacity(text.len() + insert.values().sum::<usize>());
        let mut last = 0;
        for (&at, &n) in insert {
            out.push_str(&text[last..at]);
            out.extend(std::iter::repeat_n(' ', n));
            last = at;
        }
        out.push_str(&text[last..]);
        out
    }

    /// The original offset of an offset in the widened text (inserted spaces map to
    /// the line start they precede).
    fn original(insert: &BTreeMap<usize, usize>, widened: usize) -> usize {
        Shifts::new(insert).original(widened)
    }

    /// Insertions by their place in the widened text, with the spaces inserted before
    /// each: a lookup is a binary search.
    struct Shifts(Vec<(usize, usize, usize)>);

    impl Shifts {
        fn new(insert: &BTreeMap<usize, usize>) -> Shifts {
            let mut before = 0;
            Shifts(
                insert
                    .iter()
                    .map(|(&at, &n)| {
                        let entry = (at + before, n, before);
                        before += n;
                        entry
                    })
                    .collect(),
            )
        }

        fn original(&self, widened: usize) -> usize {
            // The last insertion that starts at or before `widened`.
            let k = self.0.partition_point(|(start, _, _)| *start <= widened);
            let Some(&(start, n, before)) = k.checked_sub(1).and_then(|k| self.0.get(k)) else {
                return widened;
            };
            if widened < start + n {
                start - before
            } else {
                widened - before - n
            }
        }
    }

    fn map_back(p: &mut Parsed, insert: &BTreeMap<usize, usize>) {
        let shifts = Shifts::new(insert);
        let span = |s: &mut Span| {
            s.start = shifts.original(s.start as usize) as u32;
            s.end = shifts.original(s.end as usize) as u32;
        };
        for e in &mut p.errors {
            span(&mut e.span);
        }
        for d in &mut p.duplicates {
            span(&mut d.span);
            span(&mut d.earlier);
        }
        if let Some(root) = &mut p.root {
            root.map_spans(span);
        }
    }

    fn line_start(text: &str, at: usize) -> usize {
        text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    fn indent(text: &str, line_start: usize) -> usize {
        text[line_start..]
            .bytes()
            .take_while(|b| *b == b' ')
            .count()
    }

    /// A quoted scalar starts at `at`: its continuation lines are indented past the line
    /// it starts on.
    fn indent_quoted(text: &str, at: usize, insert: &mut BTreeMap<usize, usize>) -> bool {
        let bytes = text.as_bytes();
        let Some(&quote) = bytes.get(at).filter(|q| matches!(q, b'\'' | b'"')) else {
            return false;
        };
        let want = indent(text, line_start(text, at)) + 2;
        let mut i = at + 1;
        let mut changed = false;
        while i < bytes.len() {
            match bytes[i] {
                // An escape; an escaped line break still starts a line to look at.
                b'\\' if quote == b'"' && !matches!(bytes.get(i + 1), Some(b'\n' | b'\r')) => {
                    i += 1
                }
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                q if q == quote => return changed,
                b'\n' => {
                    let start = i + 1;
                    // A document marker ends the scalar for PyYAML too: not mended.
                    if text[start..].starts_with("---") || text[start..].starts_with("...") {
                        return false;
                    }
                    let have = indent(text, start);
                    let more = text[start + have..].starts_with(['\n', '\r']);
                    if have < want && !more {
                        let n = insert.entry(start).or_default();
                        changed |= *n < want - have;
                        *n = (*n).max(want - have);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        false
    }

    /// A line that only closes a flow collection (`]`, `}`) is indented by one more
    /// space.
    fn indent_closing_bracket(
        text: &str,
        at: usize,
        insert: &mut BTreeMap<usize, usize>,
        in_flow: &mut BTreeSet<usize>,
    ) -> bool {
        let start = line_start(text, at);
        let rest = text[start..].trim_start_matches(' ');
        if !rest.starts_with([']', '}']) {
            return false;
        }
        in_flow.insert(start);
        let n = insert.entry(start).or_default();
        *n += 1;
        *n <= 16
    }

    /// The line holding `at` is inside a flow collection opened on an earlier line: every
    /// line of the outermost such collection after the one it opens on is indented past
    /// the key (or sequence entry) that opens it.
    fn indent_flow(
        text: &str,
        at: usize,
        insert: &mut BTreeMap<usize, usize>,
        in_flow: &mut BTreeSet<usize>,
    ) -> bool {
        let Some((open, close)) = flow_around(text, line_start(text, at)) else {
            return false;
        };
        let want = key_column(text, line_start(text, open)) + 1;
        let mut changed = false;
        let mut next = text[open..].find('\n').map(|k| open + k + 1);
        while let Some(start) = next.filter(|s| *s <= close) {
            // A document marker ends the collection for PyYAML: not mended.
            if text[start..].starts_with("---") || text[start..].starts_with("...") {
                return false;
            }
            let have = indent(text, start);
            let blank = text[start + have..].starts_with(['\n', '\r']);
            if have < want && !blank {
                let n = insert.entry(start).or_default();
                if *n < want - have {
                    *n = want - have;
                    in_flow.insert(start);
                    changed = true;
                }
            }
            next = text[start..].find('\n').map(|k| start + k + 1);
        }
        changed
    }

    /// The column of the first node on a line, past its sequence entry indicators.
    fn key_column(text: &str, line_start: usize) -> usize {
        let bytes = text.as_bytes();
        let mut i = line_start + indent(text, line_start);
        while bytes.get(i) == Some(&b'-') && matches!(bytes.get(i + 1), Some(b' ' | b'\t')) {
            i += 1;
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        i - line_start
    }

    fn blank_or_end(b: Option<&u8>) -> bool {
        matches!(b, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    }

    /// The outermost flow collection open at the start of `line` (a line start), if it
    /// opened before: the offsets of its opening and closing brackets. A lexer that knows
    /// quoted scalars, comments, plain scalars and block scalars well enough to find the
    /// brackets that are indicators; what it gets wrong is caught by [`inside_flow`].
    fn flow_around(text: &str, line: usize) -> Option<(usize, usize)> {
        let b = text.as_bytes();
        let mut depth = 0usize;
        let mut outer = 0;
        let mut reached = false;
        // Block context: where a node may start. Flow context: inside a plain scalar.
        let mut token = true;
        let mut plain = false;
        let mut i = 0;
        while i < b.len() {
            if !reached && i >= line {
                if depth == 0 {
                    return None;
                }
                reached = true;
            }
            let c = b[i];
            let after_blank = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r');
            if c == b'#' && after_blank {
                i += text[i..].find('\n').unwrap_or(text.len() - i);
                plain = false;
                continue;
            }
            if depth > 0 {
                match c {
                    b'[' | b'{' => {
                        depth += 1;
                        plain = false;
                    }
                    b']' | b'}' => {
                        depth -= 1;
                        plain = false;
                        if depth == 0 {
                            if reached {
                                return Some((outer, i));
                            }
                            token = false;
                        }
                    }
                    b',' => plain = false,
                    b'\'' | b'"' if !plain => {
                        i = quoted_end(b, i)?;
                    }
                    b':' if !plain => {}
                    b':' if blank_or_end(b.get(i + 1))
                        || matches!(b.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}')) =>
                    {
                        plain = false
                    }
                    b'?' | b'-' if !plain && blank_or_end(b.get(i + 1)) => {}
                    b'!' | b'&' if !plain => {
                        while !blank_or_end(b.get(i + 1))
                            && !matches!(b.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}'))
                        {
                            i += 1;
                        }
                    }
                    b' ' | b'\t' | b'\n' | b'\r' => {}
                    _ => plain = true,
                }
                i += 1;
                continue;
            }
            let document_marker = (b[i..].starts_with(b"---") || b[i..].starts_with(b"..."))
                && (i == 0 || b[i - 1] == b'\n')
                && blank_or_end(b.get(i + 3));
            if document_marker {
                i += 3;
                token = true;
                continue;
            }
            match c {
                b'\n' => token = true,
                b' ' | b'\t' | b'\r' => {}
                b'[' | b'{' if token => {
                    depth = 1;
                    outer = i;
                    plain = false;
                }
                b'\'' | b'"' if token => {
                    i = quoted_end(b, i)?;
                    token = false;
                }
                b'|' | b'>' if token => {
                    i = block_scalar_end(text, i);
                    token = true;
                    continue;
                }
                b'-' | b'?' | b':' if token && blank_or_end(b.get(i + 1)) => {}
                b'!' | b'&' if token => {
                    while !blank_or_end(b.get(i + 1)) {
                        i += 1;
                    }
                }
                b':' if blank_or_end(b.get(i + 1)) => token = true,
                _ => token = false,
            }
            i += 1;
        }
        None
    }

    /// The offset of the quote that closes the quoted scalar opened at `at`.
    fn quoted_end(b: &[u8], at: usize) -> Option<usize> {
        let quote = b[at];
        let mut i = at + 1;
        while i < b.len() {
            match b[i] {
                b'\\' if quote == b'"' => i += 1,
                b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
                q if q == quote => return Some(i),
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The start of the first line after the block scalar whose indicator is at `at`:
    /// its content is the lines that are blank or indented past its parent.
    fn block_scalar_end(text: &str, at: usize) -> usize {
        let line = line_start(text, at);
        let parent = match key_column(text, line) {
            // `- |`: the parent is the entry.
            k if line + k == at => text[line..at].trim_end().len().saturating_sub(1),
            k => k,
        };
        let mut start = match text[at..].find('\n') {
            Some(k) => at + k + 1,
            None => return text.len(),
        };
        while start < text.len() {
            let have = indent(text, start);
            let rest = &text[start + have..];
            let blank = rest.is_empty() || rest.starts_with(['\n', '\r']);
            if !blank && have <= parent {
                break;
            }
            start = match rest.find('\n') {
                Some(k) => start + have + k + 1,
                None => text.len(),
            };
        }
        start
    }

    /// The offset of a node's first character past the tags and anchors that its event
    /// starts at (and the blanks and comments among them).
    fn past_properties(b: &[u8], mut i: usize) -> usize {
        loop {
            match b.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
                Some(b'#') => {
                    while !matches!(b.get(i), None | Some(b'\n')) {
                        i += 1
                    }
                }
                Some(b'!') if b.get(i + 1) == Some(&b'<') => {
                    while !matches!(b.get(i), None | Some(b'>')) {
                        i += 1
                    }
                    i += 1;
                }
                Some(b'!' | b'&') => {
                    while !blank_or_end(b.get(i)) {
                        i += 1
                    }
                }
                _ => return i,
            }
        }
    }

    /// Whether each line indented for a flow collection starts inside one in the text
    /// that parses: one opened before the line, and closed at or after its first
    /// character.
    fn inside_flow(
        widened: &str,
        insert: &BTreeMap<usize, usize>,
        in_flow: &BTreeSet<usize>,
    ) -> bool {
        if in_flow.is_empty() {
            return true;
        }
        let offsets = Offsets::new(widened);
        let bytes = widened.as_bytes();
        let mut open: Vec<usize> = Vec::new();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut documents = 0;
        for item in Parser::new_from_str(widened) {
            let Ok((event, span)) = item else { break };
            let at = offsets.byte(span.start.index());
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => open.push(at),
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(start) = open.pop() else { break };
                    let start = past_properties(bytes, start);
                    if matches!(
                        (bytes.get(start), bytes.get(at)),
                        (Some(b'['), Some(b']')) | (Some(b'{'), Some(b'}'))
                    ) {
                        ranges.push((start, at));
                    }
                }
                _ => {}
            }
        }
        // By opening bracket, with the furthest closing one so far: a line is inside a
        // collection if one opened before it closes at or after its first character.
        ranges.sort_unstable();
        let mut furthest = 0;
        for r in &mut ranges {
            furthest = furthest.max(r.1);
            r.1 = furthest;
        }
        let mut before = 0;
        let mut lines = in_flow.iter().peekable();
        for (&at, &n) in insert {
            if lines.peek() == Some(&&at) {
                lines.next();
                let start = at + before;
                let first = start + n + indent(widened, start + n);
                let opened_before = ranges.partition_point(|&(o, _)| o < start);
                let closes_after = opened_before
                    .checked_sub(1)
                    .is_some_and(|k| first <= ranges[k].1);
                if !closes_after {
                    return false;
                }
            }
            before += n;
        }
        lines.peek().is_none()
    }
}

fn parse_strict(text: &str, file: FileId) -> Parsed {
    let offsets = Offsets::new(text);
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let span = |a: usize, b: usize| Span::new(file, offsets.byte(a), offsets.byte(b));

    for item in Parser::new_from_str(text) {
        let (event, ev_span) = match item {
            Ok(x) => x,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                errors.push(SyntaxError {
                    span: Span::new(file, at, super::char_end(text, at)),
                    message: format!("invalid YAML: {}", e.info()),
                });
                return Parsed {
                    root: None,
                    errors,
                    duplicates: Vec::new(),
                };
            }
        };
        let (s, e) = (ev_span.start.index(), ev_span.end.index());
        let done: Option<Node> = match event {
            Event::DocumentStart(_) if root.is_some() => break,
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => None,
            Event::Alias(_) => {
                errors.push(SyntaxError {
                    span: span(s, e),
                    message: "YAML alias: CloudFormation does not accept anchors and aliases, and iacguard does not expand them".into(),
                });
                Some(Node {
                    span: span(s, e),
                    kind: NodeKind::Invalid,
                })
            }
            Event::Scalar(value, style, _, tag) => {
                let sp = span(s, e);
                if style == ScalarStyle::Plain
                    && value == "<<"
                    && matches!(stack.last(), Some(Frame::Map { key: None, .. }))
                {
                    errors.push(SyntaxError {
                        span: sp,
                        message: "YAML merge key `<<`: CloudFormation does not accept merge keys, and iacguard does not merge".into(),
                    });
                }
                let kind = if let Some(t) = tag.as_ref().filter(|t| t.handle == "!!") {
                    match t.suffix.as_str() {
                        "bool" | "int" | "float" | "null" => resolve_plain(&value),
                        _ => NodeKind::Str(value.to_string()),
                    }
                } else if style == ScalarStyle::Plain {
                    resolve_plain(&value)
                } else {
                    NodeKind::Str(value.to_string())
                };
                let node = Node { span: sp, kind };
                Some(wrap_tag(local_tag(&tag), node, &mut errors))
            }
            Event::SequenceStart(_, tag) => {
                stack.push(Frame::Seq {
                    start: s,
                    tag: local_tag(&tag),
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(_, tag) => {
                stack.push(Frame::Map {
                    start: s,
                    tag: local_tag(&tag),
                    entries: Vec::new(),
                    key: None,
                    seen: HashMap::new(),
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { start, tag, items }) => {
                    let end = items.last().map(|n| n.span.end as usize);
                    let sp = Span::new(
                        file,
                        offsets.byte(start),
                        end.unwrap_or(offsets.byte(e)).max(offsets.byte(start)),
                    );
                    let node = Node {
                        span: sp,
                        kind: NodeKind::Seq(items),
                    };
                    Some(wrap_tag(tag, node, &mut errors))
                }
                Some(Frame::Map {
                    start,
                    tag,
                    entries,
                    ..
                }) => {
                    let end = entries.last().map(|n| n.value.span.end as usize);
                    let sp = Span::new(
                        file,
                        offsets.byte(start),
                        end.unwrap_or(offsets.byte(e)).max(offsets.byte(start)),
                    );
                    let node = Node {
                        span: sp,
                        kind: NodeKind::Map(entries),
                    };
                    Some(wrap_tag(tag, node, &mut errors))
                }
                None => None,
            },
        };
        if stack.len() > MAX_DEPTH {
            errors.push(SyntaxError {
                span: span(s, e),
                message: format!(
                    "nesting deeper than {MAX_DEPTH} levels; the file is not analysed"
                ),
            });
            return Parsed {
                root: None,
                errors,
                duplicates: Vec::new(),
            };
        }
        if let Some(node) = done {
            match stack.last_mut() {
                None => {
                    if root.is_none() {
                        root = Some(node);
                    }
                }
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map {
                    entries, key, seen, ..
                }) => match key.take() {
                    None => {
                        let text_key = match &node.kind {
                            NodeKind::Str(s) | NodeKind::Number(s) => s.clone(),
                            NodeKind::Bool(b) => b.to_string(),
                            NodeKind::Null => String::new(),
                            _ => {
                                errors.push(SyntaxError {
                                    span: node.span,
                                    message: "complex mapping keys are not supported".into(),
                                });
                                String::from("?")
                            }
                        };
                        *key = Some((text_key, node.span));
                    }
                    Some((k, key_span)) => {
                        if let Some(&(first, index)) = seen.get(&k) {
                            // CloudFormation deploys the last value: it replaces the
                            // earlier one, in the earlier one's place.
                            duplicates.push(super::DuplicateKey {
                                key: k.clone(),
                                span: key_span,
                                earlier: first,
                            });
                            let entry: &mut Entry = &mut entries[index];
                            entry.key_span = key_span;
                            entry.value = node;
                            seen.insert(k, (key_span, index));
                        } else {
                            seen.insert(k.clone(), (key_span, entries.len()));
                            entries.push(Entry {
                                key: k,
                                key_span,
                                value: node,
                            });
                        }
                    }
                },
            }
        }
    }
    Parsed {
        root,
        errors,
        duplicates,
    }
}

/// Wraps a tagged node into its long-form intrinsic (`!Ref x` → `{Ref: x}`).
fn wrap_tag(tag: Option<String>, node: Node, errors: &mut Vec<SyntaxError>) -> Node {
    let Some(tag) = tag else { return node };
    match intrinsic_for_tag(&tag) {
        Some(name) => Node {
            span: node.span,
            kind: NodeKind::Map(vec![Entry {
                key: name.to_string(),
                key_span: node.span,
                value: node,
            }]),
        },
        None => {
            errors.push(SyntaxError {
                span: node.span,
                message: format!("unknown YAML tag `!{tag}`"),
            });
            node
        }
    }
}

/// YAML 1.1 resolution of a plain scalar, as CloudFormation reads templates.
fn resolve_plain(v: &str) -> NodeKind {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            NodeKind::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            NodeKind::Bool(false)
        }
        _ if looks_numeric(v) => NodeKind::Number(v.to_string()),
        _ => NodeKind::Str(v.to_string()),
    }
}

fn looks_numeric(v: &str) -> bool {
    let t = v.strip_prefix(['-', '+']).unwrap_or(v);
    !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E')
        && t.as_bytes()[0].is_ascii_digit()
        && t.bytes().filter(|b| *b == b'.').count() <= 1
        && t.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let p = parse(text, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.root.unwrap()
    }

    #[test]
    fn short_form_tags_become_long_form_intrinsics() {
        let r = root("A: !Ref Foo\nB: !GetAtt Key.Arn\nC: !If [Cond, 1, 2]\n");
        assert_eq!(
            r.get("A").unwrap().get("Ref").unwrap().as_str(),
            Some("Foo")
        );
        assert_eq!(
            r.get("B").unwrap().get("Fn::GetAtt").unwrap().as_str(),
            Some("Key.Arn")
        );
        assert!(matches!(
            r.get("C").unwrap().get("Fn::If").unwrap().kind,
            NodeKind::Seq(_)
        ));
    }

    #[test]
    fn spans_are_bytes_even_after_non_ascii() {
        let text = "D: \"é😀\"\nK: value\n";
        let r = root(text);
        let v = r.get("K").unwrap();
        assert_eq!(&text[v.span.range()], "value");
    }

    #[test]
    fn yaml_11_booleans_and_dates() {
        let r = root("a: yes\nb: Off\nc: 2012-10-17\nd: '123'\ne: 0123\n");
        assert_eq!(r.get("a").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(r.get("b").unwrap().kind, NodeKind::Bool(false));
        assert_eq!(r.get("c").unwrap().as_str(), Some("2012-10-17"));
        assert_eq!(r.get("d").unwrap().as_str(), Some("123"));
        assert_eq!(r.get("e").unwrap().kind, NodeKind::Number("0123".into()));
    }

    #[test]
    fn indentation_pyyaml_accepts_is_accepted_with_exact_spans() {
        // A quoted scalar's continuation as indented as its key, and a flow sequence
        // closed at its key's indentation.
        let text = "A:\n  B: 'one\n  two'\n  C: [\n      1,\n  ]\n  D: end\n";
        assert!(
            !parse_strict(text, 0).errors.is_empty(),
            "strict YAML rejects it"
        );
        let r = root(text);
        let a = r.get("A").unwrap();
        assert_eq!(a.get("B").unwrap().as_str(), Some("one two"));
        let c = a.get("C").unwrap();
        assert!(matches!(&c.kind, NodeKind::Seq(items) if items.len() == 1));
        let d = a.entry("D").unwrap();
        let at = text.find("D: end").unwrap();
        assert_eq!(d.key_span, Span::new(0, at, at + 1));
        assert_eq!(d.value.span, Span::new(0, at + 3, at + 6));
        assert_eq!(c.span.start as usize, text.find('[').unwrap());
    }

    #[test]
    fn an_escaped_line_break_in_a_mended_scalar() {
        let r = root("A:\n  B: \"a\\\n  b\"\n");
        assert_eq!(r.get("A").unwrap().get("B").unwrap().as_str(), Some("ab"));
    }

    #[test]
    fn a_duplicate_key_keeps_its_spans_in_the_text_as_written_when_mended() {
        let text = "A:\n  B: \"x\n y\"\n  K: one\n  K: two\n";
        let p = parse(text, 0);
        let root = p.root.expect("root");
        let k = root.get("A").unwrap().get("K").unwrap();
        assert_eq!(k.as_str(), Some("two"));
        let d = &p.duplicates[0];
        assert_eq!(d.earlier.start as usize, text.find("K: one").unwrap());
        assert_eq!(d.span.start as usize, text.find("K: two").unwrap());
    }

    #[test]
    fn indentation_that_changes_the_structure_stays_an_error() {
        let p = parse("a:\n  b: 1\n c: 2\n", 0);
        assert!(p.root.is_none());
        assert!(p.errors[0].message.contains("invalid"), "{:?}", p.errors);
        // Nor a document marker inside a quoted scalar, which PyYAML rejects too.
        assert!(parse("A:\n  B: \"one\n two\n---\n three\"\n", 0)
            .root
            .is_none());
        // An unterminated quoted scalar is not mended either.
        let p = parse("a:\n  b: 'one\n  two\n", 0);
        assert!(p.root.is_none());
        // Mending is bounded: past a few attempts the error stands.
        let keys = |n: usize| {
            let many: String = (0..n)
                .map(|i| format!("      'k{i}': [\n          \"x\"\n      ]\n"))
                .collect();
            format!("- C:\n    S:\n{many}")
        };
        assert!(!parse_strict(&keys(1), 0).errors.is_empty());
        assert!(parse(&keys(3), 0).root.is_some());
        assert!(parse(&keys(100), 0).root.is_none());
    }

    /// The strings of a flow sequence, each with the text its span covers.
    fn strings_as_written<'a>(text: &'a str, seq: &Node) -> Vec<(String, &'a str)> {
        let NodeKind::Seq(items) = &seq.kind else {
            panic!("not a sequence: {seq:?}")
        };
        items
            .iter()
            .map(|n| (n.as_str().unwrap().to_string(), &text[n.span.range()]))
            .collect()
    }

    #[test]
    fn flow_collections_continued_at_the_key_indentation_are_accepted_with_exact_spans() {
        let text = "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      Schema: {\"a\": 1,\n      b: 2}\n      Policy:\n        Statement:\n          - Effect: Allow\n            Resource: [\n            \"arn:aws:s3:::x\",\n            arn:aws:s3:::y\n            ]\n            Action: s3:GetObject\n";
        assert!(
            !parse_strict(text, 0).errors.is_empty(),
            "strict YAML rejects it"
        );
        let r = root(text);
        let props = r
            .get("Resources")
            .unwrap()
            .get("Table")
            .unwrap()
            .get("Properties")
            .unwrap();
        // The map.
        let schema = props.get("Schema").unwrap();
        let at = text.find('{').unwrap();
        assert_eq!(schema.span.start as usize, at);
        assert_eq!(&text[schema.span.range()], "{\"a\": 1,\n      b: 2");
        let b = schema.entry("b").unwrap();
        assert_eq!(b.value.kind, NodeKind::Number("2".into()));
        let at = text.find("b: 2").unwrap();
        assert_eq!(b.key_span, Span::new(0, at, at + 1));
        assert_eq!(b.value.span, Span::new(0, at + 3, at + 4));
        // The sequence.
        let statement = props.get("Policy").unwrap().get("Statement").unwrap();
        let NodeKind::Seq(statements) = &statement.kind else {
            panic!("{statement:?}")
        };
        let resource = statements[0].get("Resource").unwrap();
        assert_eq!(
            strings_as_written(text, resource),
            [
                ("arn:aws:s3:::x".to_string(), "\"arn:aws:s3:::x\""),
                ("arn:aws:s3:::y".to_string(), "arn:aws:s3:::y"),
            ]
        );
        let action = statements[0].entry("Action").unwrap();
        let at = text.find("Action").unwrap();
        assert_eq!(action.key_span, Span::new(0, at, at + 6));
        assert_eq!(&text[action.value.span.range()], "s3:GetObject");
        // Lines less indented than the key, and a flow sequence as a sequence entry.
        let text = "A:\n  - [x,\ny]\n  - {k: v,\n w: z}\n";
        assert!(!parse_strict(text, 0).errors.is_empty());
        let r = root(text);
        let NodeKind::Seq(items) = &r.get("A").unwrap().kind else {
            panic!()
        };
        assert_eq!(
            strings_as_written(text, &items[0]),
            [("x".into(), "x"), ("y".into(), "y")]
        );
        let w = items[1].entry("w").unwrap();
        assert_eq!(w.key_span.start as usize, text.find("w: z").unwrap());
        assert_eq!(&text[w.value.span.range()], "z");
    }

    #[test]
    fn nested_flow_collections_continued_at_the_key_indentation() {
        let text = "A:\n  B: x\n  C: [a, {b: [1,\n  2], c: {d: 3,\n  e: 'four\n  five'}},\n  f]\n  D: end\n";
        assert!(!parse_strict(text, 0).errors.is_empty());
        let r = root(text);
        let a = r.get("A").unwrap();
        let NodeKind::Seq(c) = &a.get("C").unwrap().kind else {
            panic!()
        };
        assert_eq!(c.len(), 3);
        let b = c[1].get("b").unwrap();
        let NodeKind::Seq(b_items) = &b.kind else {
            panic!()
        };
        assert_eq!(b_items[1].kind, NodeKind::Number("2".into()));
        assert_eq!(b_items[1].span.start as usize, text.find("2]").unwrap());
        let e = c[1].get("c").unwrap().get("e").unwrap();
        assert_eq!(e.as_str(), Some("four five"));
        assert_eq!(&text[e.span.range()], "'four\n  five'");
        assert_eq!(&text[c[2].span.range()], "f");
        let d = a.entry("D").unwrap();
        assert_eq!(d.key_span.start as usize, text.find("D: end").unwrap());
        // Under a short-form intrinsic, whose event starts at its tag.
        let text = "A:\n  B: !Join ['', [\n  'arn:', !Ref X]]\n";
        assert!(!parse_strict(text, 0).errors.is_empty());
        let r = root(text);
        let join = r
            .get("A")
            .unwrap()
            .get("B")
            .unwrap()
            .get("Fn::Join")
            .unwrap();
        let NodeKind::Seq(args) = &join.kind else {
            panic!()
        };
        let NodeKind::Seq(parts) = &args[1].kind else {
            panic!()
        };
        assert_eq!(&text[parts[1].span.range()], "!Ref X");
    }

    #[test]
    fn brackets_and_hashes_in_quoted_strings_and_comments_do_not_end_a_flow_collection() {
        let text = "A:\n  B: [\"arn:[x]#y\", 'it''s ]', # a comment ] with [\n \"c}\"\n  , d]\n  E: |\n    ] } [\n  F: {g: \"#\",\n  h: [i]}\n";
        assert!(!parse_strict(text, 0).errors.is_empty());
        let r = root(text);
        let a = r.get("A").unwrap();
        assert_eq!(
            strings_as_written(text, a.get("B").unwrap()),
            [
                ("arn:[x]#y".into(), "\"arn:[x]#y\""),
                ("it's ]".into(), "'it''s ]'"),
                ("c}".into(), "\"c}\""),
                ("d".into(), "d"),
            ]
        );
        assert_eq!(a.get("E").unwrap().as_str(), Some("] } [\n"));
        let f = a.get("F").unwrap();
        assert_eq!(f.get("g").unwrap().as_str(), Some("#"));
        let h = f.entry("h").unwrap();
        assert_eq!(h.key_span.start as usize, text.find("h: [i]").unwrap());
    }

    #[test]
    fn a_duplicate_key_in_a_continued_flow_map_keeps_its_spans_in_the_text_as_written() {
        let text = "A:\n  B: {k: one,\n  k: two}\n";
        assert!(!parse_strict(text, 0).errors.is_empty());
        let p = parse(text, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let root = p.root.expect("root");
        let k = root.get("A").unwrap().get("B").unwrap().get("k").unwrap();
        assert_eq!(k.as_str(), Some("two"));
        assert_eq!(&text[k.span.range()], "two");
        let d = &p.duplicates[0];
        assert_eq!(d.earlier.start as usize, text.find("k: one").unwrap());
        assert_eq!(d.span.start as usize, text.find("k: two").unwrap());
    }

    #[test]
    fn indentation_outside_a_flow_collection_stays_an_error() {
        // A structural error after a mended flow collection, with its span as written.
        let text = "A:\n  B: [1,\n  2]\n C: 3\n";
        let p = parse(text, 0);
        assert!(p.root.is_none());
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        // A bracket in a plain scalar's continuation line opens nothing. Taken for an
        // opener, it would have the lines up to the last `]` indented, and the text
        // would parse with the three entries folded into one scalar, which is not how
        // PyYAML reads them: the lines indented must start inside a flow collection in
        // the text that parses.
        let text = "A:\n  - foo\n    [bar\n  - [x,\n  y]\n  - z]\n";
        assert!(parse_strict(text, 0).errors[0]
            .message
            .contains("invalid indentation"));
        let folded = "A:\n  - foo\n    [bar\n     - [x,\n     y]\n     - z]\n";
        assert!(parse_strict(folded, 0).root.is_some());
        let p = parse(text, 0);
        assert!(p.root.is_none());
        assert_eq!(p.errors[0].span.start as usize, text.find("y]").unwrap());
        // A bracket in a block scalar opens nothing either.
        assert!(parse("A:\n  B: |\n    [x,\n y]\n", 0).root.is_none());
        // Nor is a collection that a document marker interrupts mended.
        assert!(parse("A:\n  B: [x,\n---\n  y]\n", 0).root.is_none());
        // Nor one that never closes.
        assert!(parse("A:\n  B: [x,\n  y\n", 0).root.is_none());
    }

    #[test]
    fn mending_continued_flow_collections_is_bounded() {
        // One attempt per collection: as many as the bound, and one more.
        let keys = |n: usize| {
            let many: String = (0..n).map(|i| format!("  K{i}: [a,\n  b]\n")).collect();
            format!("A:\n{many}")
        };
        assert!(!parse_strict(&keys(1), 0).errors.is_empty());
        let p = parse(&keys(16), 0);
        assert!(p.root.is_some(), "{:?}", p.errors);
        let p = parse(&keys(17), 0);
        assert!(p.root.is_none());
        // The error left is the strict parser's, where the text has it.
        let text = keys(17);
        assert_eq!(p.errors[0].span.start as usize, text.find("b]").unwrap());
        // One long collection is one attempt, and its check stays linear.
        let long = format!("A:\n  B: [\n{}  0]\n", "  [1],\n".repeat(20_000));
        assert!(parse_strict(&long, 0).root.is_none());
        let r = root(&long);
        let NodeKind::Seq(items) = &r.get("A").unwrap().get("B").unwrap().kind else {
            panic!()
        };
        assert_eq!(items.len(), 20_001);
    }

    #[test]
    fn aliases_are_reported_not_expanded() {
        let p = parse("a: &x [1, 2]\nb: *x\nc: *x\n", 0);
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.root.unwrap().get("b").unwrap().kind, NodeKind::Invalid);
    }

    #[test]
    fn merge_keys_are_reported_not_merged() {
        let p = parse("a: {x: 1}\nb:\n  <<: {x: 1}\n  y: 2\nc: {'<<': 1}\n", 0);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert!(p.errors[0].message.contains("merge key"));
        let root = p.root.unwrap();
        assert!(root.get("b").unwrap().get("x").is_none());
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_are_reported() {
        let p = parse("a: one\nb: zero\na: two\n", 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let root = p.root.expect("root");
        assert_eq!(root.get("a").and_then(|n| n.as_str()), Some("two"));
        assert_eq!(root.entries().len(), 2);
        assert_eq!(p.duplicates.len(), 1);
        assert_eq!(p.duplicates[0].key, "a");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let text = "[".repeat(100_000);
        let p = parse(&text, 0);
        assert!(p.root.is_none());
        assert!(!p.errors.is_empty());
    }
}
