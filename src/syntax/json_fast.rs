//! A fast path for well-formed JSON: the spanned tree read in one pass, without the
//! intermediate syntax tree of `jsonc-parser`. It accepts only what RFC 8259 allows, and
//! gives up (`None`) on anything else — an error, a duplicate key, deep nesting — for
//! [`super::json::parse`] to read with its diagnostics.

use super::tree::{Entry, Node, NodeKind};
use crate::source::{FileId, Span};

/// Nesting the fast path follows (deeper documents take the slow path).
const DEPTH: usize = 128;

/// The tree of a well-formed JSON text without duplicate keys; `None` otherwise.
pub fn parse(text: &str, file: FileId) -> Option<Node> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        at: 0,
        file,
    };
    p.ws();
    let root = p.value(0)?;
    p.ws();
    (p.at == p.bytes.len()).then_some(root)
}

struct Parser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    file: FileId,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start, self.at)
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Option<Node> {
        let start = self.at;
        if !self.text[start..].starts_with(word) {
            return None;
        }
        self.at += word.len();
        Some(Node {
            span: self.span(start),
            kind,
        })
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > DEPTH {
            return None;
        }
        let start = self.at;
        match *self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut entries: Vec<Entry> = Vec::new();
                // Duplicates found by a scan of a small object, by a set past a few keys.
                let mut seen: Option<std::collections::HashSet<String>> = None;
                self.ws();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.ws();
                        let key_start = self.at;
                        let key = self.string()?;
                        let key_span = self.span(key_start);
                        if entries.len() >= super::json::SMALL_OBJECT && seen.is_none() {
                            seen = Some(entries.iter().map(|e| e.key.clone()).collect());
                        }
                        let duplicate = match &seen {
                            Some(s) => s.contains(&key),
                            None => entries.iter().any(|e| e.key == key),
                        };
                        if duplicate {
                            return None;
                        }
                        self.ws();
                        if self.bytes.get(self.at) != Some(&b':') {
                            return None;
                        }
                        self.at += 1;
                        self.ws();
                        let value = self.value(depth + 1)?;
                        if let Some(s) = &mut seen {
                            s.insert(key.clone());
                        }
                        entries.push(Entry {
                            key,
                            key_span,
                            value,
                        });
                        self.ws();
                        match self.bytes.get(self.at)? {
                            b',' => self.at += 1,
                            b'}' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Some(Node {
                    span: self.span(start),
                    kind: NodeKind::Map(entries),
                })
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.ws();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.bytes.get(self.at)? {
                            b',' => self.at += 1,
                            b']' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Some(Node {
                    span: self.span(start),
                    kind: NodeKind::Seq(items),
                })
            }
            b'"' => {
                let s = self.string()?;
                Some(Node {
                    span: self.span(start),
                    kind: NodeKind::Str(s),
                })
            }
            b't' => self.literal("true", NodeKind::Bool(true)),
            b'f' => self.literal("false", NodeKind::Bool(false)),
            b'n' => self.literal("null", NodeKind::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Option<Node> {
        let start = self.at;
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(Node {
            span: self.span(start),
            kind: NodeKind::Number(self.text[start..self.at].to_string()),
        })
    }

    /// A string at `"`, unescaped; the position ends after its closing quote.
    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let start = self.at;
        // Most strings have no escape: one slice.
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    let s = self.text[start..self.at].to_string();
                    self.at += 1;
                    return Some(s);
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.at]);
        loop {
            let run = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[run..self.at]);
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let c = match *self.bytes.get(self.at)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&hi) {
                                if self.bytes.get(self.at + 1..self.at + 3) != Some(b"\\u") {
                                    return None;
                                }
                                self.at += 2;
                                let lo = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&lo) {
                                    return None;
                                }
                                0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                            } else {
                                hi
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    out.push(c);
                    self.at += 1;
                }
                _ => return None,
            }
        }
    }

    /// The four hex digits after `\u` (the position at the `u`); ends on the last digit.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at + 1..self.at + 5)?;
        let v = u32::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path gives the tree the full parser gives, or gives up (and the full
    /// parser reads it: what it accepts beyond RFC 8259, such as a raw line break in a
    /// string, it still accepts). Returns whether the fast path read it.
    fn same(text: &str) -> bool {
        let slow = super::super::json::parse_slow(text, 0);
        let Some(tree) = parse(text, 0) else {
            return false;
        };
        assert!(
            slow.errors.is_empty() && slow.duplicates.is_empty(),
            "{text}"
        );
        assert_eq!(Some(tree), slow.root, "{text}");
        true
    }

    #[test]
    fn agrees_with_the_full_parser() {
        // Well-formed: read by the fast path, to the full parser's tree.
        for text in [
            r#"{"a": "\u00e9\n😀", "b": true, "c": null, "d": [1, -2.5e3, 0, 1E+2], "e": {}}"#,
            r#"[]"#,
            r#" {"k": "\ud83d\ude00 \"q\" \\ \/ \b\f\r\t"} "#,
            r#"{"a": [1, 2], "b": {"c": [{"d": "e"}]}}"#,
            r#"{"n": [-0, 1e5, 0.0e-0, 123456789012345678901234567890]}"#,
            r#"{"s": "\u0000 \u001f"}"#,
        ] {
            assert!(same(text), "the fast path gave up on {text}");
        }
        // Not RFC 8259, or a duplicate key: left to the full parser (its diagnostics).
        for text in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"a": 01}"#,
            r#"{"a": 1,}"#,
            r#"{"a": "x
"}"#,
            r#"{"a": .5}"#,
            r#"{"a": 1.}"#,
            r#"{"a": -}"#,
            r#"{"a": "\x"}"#,
            r#"{"a": "\u+123"}"#,
            r#"{"a": "\ud800"}"#,
            r#"{"a": "\udc00"}"#,
            r#"{"a": "\ud800\u0041"}"#,
            r#"{"a": 1} x"#,
            "{\"a\": 1} // c",
            "\u{feff}{}",
            "{\u{b}\"a\": 1}",
            r#"tru"#,
            "",
        ] {
            assert!(!same(text), "the fast path read {text:?}");
        }
        assert!(same(
            r#"{"a": [1, 2.5], "b": {"c": [{"d": "\u00e9"}]}, "e": null}"#
        ));
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        assert!(same(&format!("{{{}}}", keys.join(", "))));
        // A duplicate key: the full parser reports it.
        assert!(!same(&format!("{{{}, \"k7\": 1}}", keys.join(", "))));
        assert!(!same(r#"{"a": 1, "a": 2}"#));
    }

    #[test]
    fn the_json_fixtures_read_the_same() {
        let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")];
        let (mut read, mut plans) = (0, 0);
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                if same(text) {
                    read += 1;
                }
                if path.ends_with("tfplan.json") {
                    assert!(same(text), "{}", path.display());
                    plans += 1;
                }
            }
        }
        assert!(plans >= 4 && read > 50, "{plans} plans, {read} files");
    }
}
