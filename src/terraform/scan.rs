//! A lexer-level look at a `.tf` file, without building a syntax tree: the sources of its
//! module calls. Files are grouped by the modules they call before they are parsed, so
//! that each group is parsed, evaluated and dropped on its own.
//!
//! It knows enough of HCL's lexical structure to find block boundaries: comments (`#`,
//! `//`, `/* */`), quoted templates with `${ }`/`%{ }` sequences nested to any depth,
//! heredocs (`<<EOT`, `<<-EOT`), and brackets.

use crate::syntax::line_end;

/// The `source` of each top-level `module` block whose source is a plain string literal
/// (the only form Terraform accepts), in file order. On text that is not valid HCL it
/// returns what it found before losing its way; the parser reports the error.
pub fn module_sources(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    // Where the current statement stands, at depth 0 (a block header) and at depth 1 inside
    // a module block (an attribute).
    let mut header: Header = Header::Start;
    let mut in_module = false;
    let mut attr: Attr = Attr::Start;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                if depth == 0 {
                    header = Header::Start;
                }
                if depth == 1 {
                    attr = Attr::Start;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            }
            b'"' => {
                let end = string_end(b, i);
                // Only a closed string (the parser reports the others).
                let closed = end >= i + 2 && b[end - 1] == b'"';
                let plain = if closed { &text[i + 1..end - 1] } else { "" };
                let literal = closed
                    && !plain.contains('\\')
                    && !plain.contains("${")
                    && !plain.contains("%{");
                if depth == 0 {
                    header = match header {
                        Header::Module => Header::Label,
                        _ => Header::Other,
                    };
                } else if depth == 1 && in_module {
                    if attr == Attr::Eq && literal {
                        out.push(plain);
                    }
                    attr = Attr::Other;
                }
                i = end;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                i = heredoc_end(text, i);
                header = Header::Other;
                attr = Attr::Other;
            }
            b'{' | b'[' | b'(' => {
                if depth == 0 && c == b'{' && header == Header::Label {
                    in_module = true;
                    attr = Attr::Start;
                } else if depth == 0 {
                    in_module = false;
                }
                if depth == 1 {
                    attr = Attr::Other;
                }
                depth += 1;
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    in_module = false;
                    header = Header::Other;
                }
                if depth == 1 {
                    attr = Attr::Other;
                }
                i += 1;
            }
            b'=' if depth == 1 && b.get(i + 1) != Some(&b'=') && b.get(i + 1) != Some(&b'>') => {
                attr = if attr == Attr::Source {
                    Attr::Eq
                } else {
                    Attr::Other
                };
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-')
                {
                    i += 1;
                }
                let word = &text[start..i];
                if depth == 0 {
                    header = match (header, word) {
                        (Header::Start, "module") => Header::Module,
                        // `module name {`: a label may be an identifier too.
                        (Header::Module, _) => Header::Label,
                        _ => Header::Other,
                    };
                } else if depth == 1 && in_module {
                    attr = match (attr, word) {
                        (Attr::Start, "source") => Attr::Source,
                        _ => Attr::Other,
                    };
                }
            }
            _ => {
                if depth == 0 {
                    header = Header::Other;
                }
                if depth == 1 {
                    attr = Attr::Other;
                }
                i += 1;
            }
        }
    }
    out
}

/// Checks [`module_sources`] against the parser on a text the parser accepts: the `source`
/// literals of `module` blocks (one label, as evaluation takes them) must be the same, in
/// the same order. Strings with escapes or template sequences, which the scanner leaves
/// to the parser, are not compared. `None` when the parser reports errors; for the tests
/// and the fuzz target.
pub fn agrees_with_parser(text: &str) -> Option<Result<(), String>> {
    use crate::syntax::hcl::ExprKind;
    let parsed = crate::syntax::hcl::parse(text, 0);
    let body = parsed.body.filter(|_| parsed.errors.is_empty())?;
    let simple = |s: &str| !s.contains(['\\', '$', '%', '"']) && !s.chars().any(char::is_control);
    let from_parser: Vec<String> = body
        .blocks("module")
        .filter(|m| m.labels.len() == 1)
        .filter_map(|m| match &m.body.attr("source")?.expr.kind {
            ExprKind::Str(s) => Some(s.clone()),
            _ => None,
        })
        .filter(|s| simple(s))
        .collect();
    let scanned: Vec<&str> = module_sources(text)
        .into_iter()
        .filter(|s| simple(s))
        .collect();
    Some(if scanned == from_parser {
        Ok(())
    } else {
        Err(format!(
            "module sources differ: scanner {scanned:?}, parser {from_parser:?}"
        ))
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Header {
    Start,
    Module,
    Label,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Start,
    Source,
    Eq,
    Other,
}

/// The offset just past the closing quote of the quoted template starting at `start`, or
/// the end of the text when it is not closed. A newline does not end it: the parser takes
/// quoted strings over several lines.
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return i + 1,
            b'\\' => i += 2,
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                // `$${` and `%%{` are escapes, written with the sign doubled.
                if i > start + 1 && b[i - 1] == b[i] {
                    i += 2;
                    continue;
                }
                i = template_end(b, i + 2);
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// The offset just past the `}` closing a template sequence whose expression starts at
/// `start` (iteratively: sequences nest through strings inside them).
fn template_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    let mut depth = 1usize;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                // A string inside the expression: its own sequences are skipped by the
                // same rule, one level at a time.
                i = string_end_flat(b, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Like [`string_end`], for a string inside a template sequence: a nested sequence is
/// skipped by counting braces, strings within it included, so nesting needs no recursion.
fn string_end_flat(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut braces = 0usize;
    let mut quotes = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'"' if braces == 0 => return i + 1,
            b'"' => quotes ^= 1,
            b'{' if quotes == 0 => braces += 1,
            b'}' if quotes == 0 => braces = braces.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The offset after a heredoc starting at `start` (`<<EOT` or `<<-EOT`): past the line
/// holding only its delimiter. Not a heredoc: just past the `<<`.
fn heredoc_end(text: &str, start: usize) -> usize {
    let rest = &text[start + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let name_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    let Some(nl) = after.find('\n') else {
        return start + 2;
    };
    if name.is_empty() || !after[..nl].trim().is_empty() {
        return start + 2;
    }
    let mut at = text.len() - after.len() + nl + 1;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
        if text[at..end].trim() == name {
            return end;
        }
        at = end + 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::module_sources;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(text in "(module|source|\"|\\$\\{|%\\{|\\}|\\{|<<-?EOT|EOT|\n|=|#|//|/\\*|\\*/|\\\\|é|😀|[ a-z./])*") {
            for s in module_sources(&text) {
                prop_assert!(text.contains(s));
            }
        }
    }

    #[test]
    fn finds_module_sources_and_nothing_else() {
        let text = r#"
# module "c" { source = "./commented" }
/* module "d" {
  source = "./in-block-comment"
} */
resource "aws_s3_object" "o" {
  source = "../files/x.zip"
}
module "a" {
  source  = "./modules/a"
  version = "1.0"
}
module b { source = "../b" }
module "e" {
  source = "git::https://example.com/e.git"
}
module "t" {
  source = "./${var.x}"
}
locals {
  s = "${jsonencode({ a = "}" })} module \"x\" { source = \"./no\" }"
  h = <<-EOT
    module "y" {
      source = "./in-heredoc"
    }
  EOT
}
module "nested" {
  providers = { aws = aws.x }
  tags = { source = "./not-an-attribute-of-the-module" }
  source = "./last"
}
"#;
        assert_eq!(
            module_sources(text),
            vec![
                "./modules/a",
                "../b",
                "git::https://example.com/e.git",
                "./last"
            ]
        );
    }

    #[test]
    fn survives_broken_text() {
        for t in [
            "module \"a\" {",
            "module \"a\" { source = \"./x",
            "\"${\"${",
            "<<EOT\n",
            "<<",
            "}}}}",
            "/*",
            "module \"a\" { source = \"é\" }",
        ] {
            let _ = module_sources(t);
        }
    }
}
