//! Spanned parsers: HCL (Terraform), YAML and JSON (CloudFormation, `.tf.json`), each
//! converted inside its parse task into a compact internal tree.

pub mod hcl;
pub mod json;
pub mod tree;
pub mod yaml;

use crate::source::Span;

/// A parse problem with the span it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
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
