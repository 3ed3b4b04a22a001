//! Strict JSON into the spanned data tree, with `jsonc-parser` (every leniency off).

use super::tree::{Entry, Node, NodeKind};
use super::{bracket_depth, SyntaxError, MAX_DEPTH};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

pub struct Parsed {
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
    /// Keys written twice in one object (the last value is in the tree).
    pub duplicates: Vec<super::DuplicateKey>,
}

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub fn parse(text: &str, file: FileId) -> Parsed {
    // Well-formed JSON (nearly every file) is read in one pass; the rest with the full
    // parser, which says what is wrong.
    if let Some(root) = super::json_fast::parse(text, file) {
        return Parsed {
            root: Some(root),
            errors: Vec::new(),
            duplicates: Vec::new(),
        };
    }
    parse_slow(text, file)
}

/// [`parse`] with `jsonc-parser`: errors and duplicate keys reported.
pub(super) fn parse_slow(text: &str, file: FileId) -> Parsed {
    let (depth, at) = bracket_depth(text);
    if depth > MAX_DEPTH {
        return Parsed {
            root: None,
            errors: super::refusal(
                file,
                text,
                at,
                format!("nesting deeper than {MAX_DEPTH} levels; the file is not analysed"),
            ),
            duplicates: Vec::new(),
        };
    }
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    match jsonc_parser::parse_to_ast(text, &collect, &strict()) {
        Err(e) => {
            let r = e.range();
            Parsed {
                root: None,
                errors: vec![SyntaxError {
                    span: Span::new(file, r.start, r.end.max(super::char_end(text, r.start))),
                    message: format!("invalid JSON: {}", e.kind()),
                }],
                duplicates: Vec::new(),
            }
        }
        Ok(result) => {
            let mut duplicates = Vec::new();
            let root = result.value.map(|v| convert(v, file, &mut duplicates));
            Parsed {
                root,
                errors: Vec::new(),
                duplicates,
            }
        }
    }
}

/// Objects up to this many keys find a duplicate by scanning their entries.
pub(super) const SMALL_OBJECT: usize = 16;

fn convert(value: Value<'_>, file: FileId, duplicates: &mut Vec<super::DuplicateKey>) -> Node {
    let sp = |r: jsonc_parser::common::Range| Span::new(file, r.start, r.end);
    match value {
        Value::StringLit(s) => Node {
            span: sp(s.range),
            kind: NodeKind::Str(s.value.into_owned()),
        },
        Value::NumberLit(n) => Node {
            span: sp(n.range),
            kind: NodeKind::Number(n.value.to_string()),
        },
        Value::BooleanLit(b) => Node {
            span: sp(b.range),
            kind: NodeKind::Bool(b.value),
        },
        Value::NullKeyword(n) => Node {
            span: sp(n.range),
            kind: NodeKind::Null,
        },
        Value::Array(a) => Node {
            span: sp(a.range),
            kind: NodeKind::Seq(
                a.elements
                    .into_iter()
                    .map(|v| convert(v, file, duplicates))
                    .collect(),
            ),
        },
        Value::Object(o) => {
            let span = sp(o.range);
            let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
            // A scan of `entries` for a small object; a map past a few keys, so that an
            // object with many keys stays linear.
            let mut seen: Option<std::collections::HashMap<String, usize>> = None;
            for p in o.properties {
                let (key, key_span) = match p.name {
                    ObjectPropName::String(s) => (s.value.into_owned(), sp(s.range)),
                    ObjectPropName::Word(w) => (w.value.to_string(), sp(w.range)),
                };
                let value = convert(p.value, file, duplicates);
                if seen.is_none() && entries.len() >= SMALL_OBJECT {
                    seen = Some(
                        entries
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (e.key.clone(), i))
                            .collect(),
                    );
                }
                let earlier = match &seen {
                    Some(map) => map.get(&key).copied(),
                    None => entries.iter().position(|e| e.key == key),
                };
                if let Some(index) = earlier {
                    // CloudFormation deploys the last value, in the earlier one's place.
                    let entry: &mut Entry = &mut entries[index];
                    duplicates.push(super::DuplicateKey {
                        key,
                        span: key_span,
                        earlier: entry.key_span,
                    });
                    entry.key_span = key_span;
                    entry.value = value;
                    continue;
                }
                if let Some(map) = &mut seen {
                    map.insert(key.clone(), entries.len());
                }
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
            }
            Node {
                span,
                kind: NodeKind::Map(entries),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_values_after_escapes_and_non_ascii() {
        let text = r#"{"a": "\u00e9\n😀", "b": true}"#;
        let p = parse(text, 0);
        let root = p.root.unwrap();
        assert_eq!(root.get("a").unwrap().as_str(), Some("é\n😀"));
        let b = root.get("b").unwrap();
        assert_eq!(&text[b.span.range()], "true");
    }

    #[test]
    fn invalid_json_has_a_span() {
        let p = parse("{\"a\": 1,}", 0);
        assert!(p.root.is_none());
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_are_reported() {
        let text = r#"{"a": "1", "b": "0", "a": "2"}"#;
        let p = parse(text, 0);
        assert!(p.errors.is_empty());
        let root = p.root.expect("root");
        assert_eq!(root.get("a").and_then(|n| n.as_str()), Some("2"));
        assert_eq!(root.entries().len(), 2);
        assert_eq!(p.duplicates.len(), 1);
        let d = &p.duplicates[0];
        assert_eq!(d.key, "a");
        assert_eq!(d.earlier.start as usize, text.find("\"a\"").unwrap());
        assert_eq!(d.span.start as usize, text.rfind("\"a\"").unwrap());
    }

    #[test]
    fn duplicate_keys_are_found_in_large_objects_too() {
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}, \"k3\": 99, \"k39\": 100}}", keys.join(", "));
        let p = parse(&text, 0);
        let root = p.root.expect("root");
        assert_eq!(root.entries().len(), 40);
        assert_eq!(p.duplicates.len(), 2);
        assert_eq!(&text[root.get("k3").unwrap().span.range()], "99");
        assert_eq!(&text[root.get("k39").unwrap().span.range()], "100");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let p = parse(&"[".repeat(50_000), 0);
        assert!(p.root.is_none());
        assert!(p.errors[0].message.contains("nesting"));
    }
}
