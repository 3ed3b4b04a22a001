//! Spanned parsers: HCL (Terraform), YAML and JSON (CloudFormation, `.tf.json`), each
//! converted inside its parse task into a compact internal tree.

pub mod hcl;
pub mod json;
mod json_fast;
pub mod tree;
pub mod yaml;

use crate::source::{FileId, Span};

/// A parse problem with the span it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// A mapping key written twice (YAML, JSON). CloudFormation accepts such a template and
/// deploys the last value, as the parsers it uses (Python's) do: the tree holds the last
/// value, and the duplicate is reported as a warning naming both places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// The key that wins (the last).
    pub span: Span,
    /// The earlier occurrence, whose value is not used.
    pub earlier: Span,
}

/// The text a parser reads: a leading UTF-8 byte order mark (which Terraform, OpenTofu,
/// PyYAML and CloudFormation ignore; editors on Windows write one) becomes three spaces, so
/// that every offset, and so every span, stays that of the text as written.
pub fn without_bom(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => std::borrow::Cow::Owned(format!("   {rest}")),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// The one error of a file refused before parsing, at the character at `at`.
pub(crate) fn refusal(file: FileId, text: &str, at: usize, message: String) -> Vec<SyntaxError> {
    vec![SyntaxError {
        span: Span::new(file, at, char_end(text, at)),
        message,
    }]
}

/// The offset of the end of the line holding `i` (its `\n`, or the end of the text).
pub(crate) fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(b.len(), |e| i + e)
}

/// The end of the character at `at` (a byte past `at` could split it), or `at` at the end.
pub(crate) fn char_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    at + text
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}

/// Deepest nesting accepted in any input; deeper files are refused with a diagnostic
/// rather than risking the stack.
pub const MAX_DEPTH: usize = 200;

/// Maximum bracket nesting of a text, skipping quoted strings and `#`/`//` comments. Used
/// to refuse pathological inputs before handing them to a recursive parser.
pub fn bracket_depth(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut at = 0usize;
    let mut i = 0;
    let mut in_str = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_str {
            match b {
                b'\\' => i += 1,
                b'"' => in_str = false,
                b'\n' => in_str = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_str = true,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'{' | b'[' | b'(' => {
                    depth += 1;
                    if depth > max {
                        max = depth;
                        at = i;
                    }
                }
                b'}' | b']' | b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    (max, at)
}

/// Deepest nesting of brackets opened as operands of binary operators accepted in HCL (see
/// [`operand_depth`]).
pub const MAX_OPERAND_DEPTH: usize = 8;

/// The deepest nesting of brackets opened as the operand of a binary operator
/// (`a + b + (`, `x == {`, `c && (`), and the offset of the deepest one.
///
/// `hcl-edit` backtracks at each such level when it then meets text it rejects, in time
/// exponential in the depth (a 200-byte file took seconds): such files are refused before
/// parsing. Real configurations nest these two deep at most. Strings are not skipped (a
/// template's `${ }` holds expressions too), comments are.
pub fn operand_depth(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let mut stack: Vec<bool> = Vec::new();
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    let (mut prev, mut prev2) = (b' ', b' ');
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            // A line comment: `#` or `//`.
            b'#' | b'/' if c == b'#' || b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                continue;
            }
            b'{' | b'[' | b'(' => {
                let operand = match prev {
                    b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' => true,
                    // `=>` and `<<` (a heredoc) are not operators.
                    b'>' => prev2 != b'=',
                    b'<' => prev2 != b'<',
                    b'=' => matches!(prev2, b'=' | b'!' | b'<' | b'>'),
                    _ => false,
                };
                stack.push(operand);
                if operand {
                    depth += 1;
                    if depth > max {
                        (max, at) = (depth, i);
                    }
                }
            }
            b'}' | b']' | b')' => depth -= usize::from(stack.pop() == Some(true)),
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            (prev2, prev) = (prev, c);
        }
        i += 1;
    }
    (max, at)
}

/// Most comparisons spent on HCL object keys in one file: about one object of 5,000
/// entries (see [`object_cost`]).
pub const MAX_OBJECT_COST: u64 = 25_000_000;

/// The parsing cost of the HCL objects of a text: `hcl-edit` inserts each key of an object
/// with a linear search, so an object of n entries costs n² comparisons. Returns the
/// entries and offset of the object that takes the total over `budget`, if one does.
///
/// Objects are told from blocks by what precedes their brace (`=`, `:`, `(`, `,`, `[`,
/// `{`, `?`, `=>`); entries are counted by their `=` or `:`. The count is an upper bound.
pub fn object_cost(text: &str, budget: u64) -> Option<(u64, usize)> {
    let bytes = text.as_bytes();
    // Per open bracket: whether it is an object, where it starts, its entries so far.
    let mut stack: Vec<(bool, usize, u64)> = Vec::new();
    let mut total = 0u64;
    let mut prev = b'\n';
    let mut in_str = false;
    let mut i = 0;
    let close = |(object, at, n): (bool, usize, u64), total: &mut u64| {
        if object {
            *total = total.saturating_add(n.saturating_mul(n));
            if *total > budget {
                return Some((n, at));
            }
        }
        None
    };
    while i < bytes.len() {
        let b = bytes[i];
        if in_str {
            match b {
                b'\\' => i += 1,
                b'"' | b'\n' => in_str = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'{' => stack.push((
                matches!(prev, b'=' | b':' | b'(' | b',' | b'[' | b'{' | b'?' | b'>'),
                i,
                0,
            )),
            b'[' | b'(' => stack.push((false, i, 0)),
            b'}' | b']' | b')' => {
                if let Some(top) = stack.pop() {
                    if let Some(hit) = close(top, &mut total) {
                        return Some(hit);
                    }
                }
            }
            b'=' | b':' => {
                let operator = matches!(bytes.get(i + 1), Some(b'=' | b'>'))
                    || (i > 0 && matches!(bytes[i - 1], b'=' | b'!' | b'<' | b'>'));
                if let Some(top) = stack.last_mut().filter(|_| !operator) {
                    top.2 += 1;
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            prev = b;
        }
        i += 1;
    }
    // Objects left open (a truncated file) are parsed up to the end all the same.
    while let Some(top) = stack.pop() {
        if let Some(hit) = close(top, &mut total) {
            return Some(hit);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_cost_counts_object_entries_not_block_attributes() {
        let block: String = (0..10_000).map(|i| format!("  a{i} = 1\n")).collect();
        assert_eq!(object_cost(&format!("locals {{\n{block}}}\n"), 1_000), None);
        let object = format!("locals {{\n  x = {{\n{block}  }}\n}}\n");
        let (n, at) = object_cost(&object, 1_000).expect("over budget");
        assert_eq!(n, 10_000);
        assert_eq!(&object[at..at + 1], "{");
        // Comparison operators, `=>` and strings are not entries.
        let small = "x = {a = b == c, d = e >= f, g = \"h = i\", j = [for k in l : k => k]}";
        assert_eq!(object_cost(small, 16), None);
        assert_eq!(object_cost(small, 15), Some((4, 4)));
    }

    #[test]
    fn object_cost_counts_an_unclosed_object() {
        let entries: String = (0..100).map(|i| format!("  a{i} = 1\n")).collect();
        assert!(object_cost(&format!("x = {{\n{entries}"), 9_999).is_some());
    }
}

#[cfg(test)]
mod operand_tests {
    use super::operand_depth;

    #[test]
    fn counts_brackets_opened_after_operators_only() {
        assert_eq!(operand_depth("x = a + (b * (c - 1))").0, 2);
        assert_eq!(operand_depth("x = f(g(h([{a = 1}])))").0, 0);
        assert_eq!(operand_depth("x = var.a == {} && (b || (c))").0, 2);
        // `=>`, heredocs, comments.
        assert_eq!(operand_depth("m = { for k, v in x : k => { a = v } }").0, 0);
        assert_eq!(operand_depth("h = <<EOT\n[x]\nEOT").0, 0);
        assert_eq!(
            operand_depth("# a + (b + (c\n// a * (\n/* + ( */ x = 1").0,
            0
        );
        // Closed brackets pop: depth, not count.
        assert_eq!(operand_depth("a = b + (c) + (d) + (e) + (f)").0, 1);
        assert_eq!(operand_depth(&"a+b+{".repeat(30)).0, 30);
    }
}
