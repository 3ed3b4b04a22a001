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
        /// Where each key was first defined (duplicates found without a scan).
        seen: HashMap<String, Span>,
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
    let offsets = Offsets::new(text);
    let mut errors = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let span = |a: usize, b: usize| Span::new(file, offsets.byte(a), offsets.byte(b));

    for item in Parser::new_from_str(text) {
        let (event, ev_span) = match item {
            Ok(x) => x,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                errors.push(SyntaxError {
                    span: Span::new(file, at, (at + 1).min(text.len())),
                    message: format!("invalid YAML: {}", e.info()),
                });
                return Parsed { root: None, errors };
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
            return Parsed { root: None, errors };
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
                        if let Some(line_hint) = seen.get(&k).copied() {
                            errors.push(SyntaxError {
                                span: key_span,
                                message: format!(
                                    "duplicate key `{k}` (first defined at byte {}); the first value is used",
                                    line_hint.start
                                ),
                            });
                        } else {
                            seen.insert(k.clone(), key_span);
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
    Parsed { root, errors }
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
    fn duplicate_keys_are_reported() {
        let p = parse("a: 1\na: 2\n", 0);
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("duplicate key"));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let text = "[".repeat(100_000);
        let p = parse(&text, 0);
        assert!(p.root.is_none());
        assert!(!p.errors.is_empty());
    }
}
