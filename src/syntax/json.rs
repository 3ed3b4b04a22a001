//! Strict JSON into the spanned data tree, with `jsonc-parser` (every leniency off).

use super::tree::{Entry, Node, NodeKind};
use super::{bracket_depth, SyntaxError, MAX_DEPTH};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

pub struct Parsed {
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
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
            }
        }
        Ok(result) => {
            let mut errors = Vec::new();
            let root = result.value.map(|v| convert(v, file, &mut errors));
            Parsed { root, errors }
        }
    }
}

fn convert(value: Value<'_>, file: FileId, errors: &mut Vec<SyntaxError>) -> Node {
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
                    .map(|v| convert(v, file, errors))
                    .collect(),
            ),
        },
        Value::Object(o) => {
            let span = sp(o.range);
            let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
            // A set, not a scan of `entries`: an object with many keys stays linear.
            let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
            for p in o.properties {
                let (key, key_span) = match p.name {
                    ObjectPropName::String(s) => (s.value.into_owned(), sp(s.range)),
                    ObjectPropName::Word(w) => (w.value.to_string(), sp(w.range)),
                };
                let value = convert(p.value, file, errors);
                if !seen.insert(key.clone()) {
                    errors.push(SyntaxError {
                        span: key_span,
                        message: format!("duplicate key `{key}`; the first value is used"),
                    });
                    continue;
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
    fn duplicate_keys_are_reported() {
        let p = parse(r#"{"a": 1, "a": 2}"#, 0);
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let p = parse(&"[".repeat(50_000), 0);
        assert!(p.root.is_none());
        assert!(p.errors[0].message.contains("nesting"));
    }
}
