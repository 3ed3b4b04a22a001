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
