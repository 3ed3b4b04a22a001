//! `check --fix --diff`: the fixes as a unified diff, files unchanged.

/// A unified diff of one file (`a/NAME`, `b/NAME`), three lines of context.
pub fn unified(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
