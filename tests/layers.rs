//! The module structure, checked from the sources: no module imports another that imports
//! it back (top-level modules of `src/`), and the rules and the model know no format:
//! `src/rules/` and `src/model/` import nothing from the parsers, the evaluators, the
//! adapters or the pipeline, and no rule names a framework. Unit test files (`tests.rs`)
//! are left out: they may build their input with any module.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, with its text (comments removed).
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read src").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs")
                // Unit tests may use any module to build their input.
                && p.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&p).expect("read a source file");
                let code: String = text
                    .lines()
                    .map(|l| l.split("//").next().unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join("\n");
                let rel = p
                    .strip_prefix(dir)
                    .expect("under src")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, code));
            }
        }
    }
    out.sort();
    out
}

/// The top-level module a file of `src/` belongs to (`None` for the crate root and the
/// binary).
fn module_of(rel: &str) -> Option<String> {
    let top = rel.split('/').next()?.trim_end_matches(".rs");
    (top != "lib" && top != "main").then(|| top.to_string())
}

/// The top-level modules a file's code names through `crate::`.
fn imports(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c, ...}`: every first segment of the group.
            let end = group.find("};").unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) {
                    out.insert(name);
                }
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&name) {
            out.insert(name);
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources(&common::root().join("src"));
    let modules: BTreeSet<String> = files.iter().filter_map(|(r, _)| module_of(r)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in &files {
        let Some(m) = module_of(rel) else { continue };
        let deps = graph.entry(m.clone()).or_default();
        deps.extend(imports(code, &modules).into_iter().filter(|d| *d != m));
    }
    graph
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = graph();
    assert!(graph.len() > 10, "{graph:?}");
    // Depth-first search for a cycle, reporting the first one found.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn rules_and_model_know_no_format() {
    let graph = graph();
    let forbidden = ["syntax", "terraform", "cloudformation", "adapt", "pipeline"];
    for layer in ["rules", "model"] {
        for f in &forbidden {
            assert!(
                !graph[layer].contains(*f),
                "src/{layer}/ imports crate::{f}"
            );
        }
    }
    for (rel, code) in sources(&common::root().join("src/rules")) {
        // The type `Framework`, not the word "Frameworks" of a rule's description.
        let names_type = code
            .match_indices("Framework")
            .any(|(i, w)| !code[i + w.len()..].starts_with('s'));
        assert!(!names_type, "src/rules/{rel} names a framework");
        let reads_field = code
            .match_indices(".framework")
            .any(|(i, w)| !code[i + w.len()..].starts_with('s'));
        assert!(!reads_field, "src/rules/{rel} reads a resource's framework");
    }
}

/// The string literals of a file's code that start with a resource type of a format
/// (`"aws_…"`, `"data.aws_…"`, `"AWS::…"`).
fn format_type_literals(code: &str) -> Vec<String> {
    code.match_indices('"')
        .filter(|(i, _)| !code[..*i].ends_with('\\'))
        .map(|(i, _)| &code[i + 1..])
        .filter(|rest| {
            ["aws_", "data.aws_", "AWS::"]
                .iter()
                .any(|p| rest.starts_with(p))
        })
        .map(|rest| rest.chars().take_while(|c| *c != '"').collect())
        .collect()
}

#[test]
fn the_model_names_no_resource_type_of_a_format() {
    for (rel, code) in sources(&common::root().join("src/model")) {
        let found = format_type_literals(&code);
        assert!(
            found.is_empty(),
            "src/model/{rel} names resource types of a format (the adapters give kinds): {found:?}"
        );
    }
}

#[test]
fn the_type_checker_sees_literals() {
    let code = r#"let a = "aws_kms_key"; let b = ("AWS::KMS::Key", "data.aws_kms_alias"); let c = "alias/aws_x"; let d = "\"";"#;
    assert_eq!(
        format_type_literals(code),
        ["aws_kms_key", "AWS::KMS::Key", "data.aws_kms_alias"]
    );
}

#[test]
fn the_checker_sees_imports() {
    let modules: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let found = imports("use crate::{a::x, b};\nlet _ = crate::c::f();", &modules);
    assert_eq!(found, modules);
    assert!(imports("use std::a;", &modules).is_empty());
}

/// The names that a format gives the attributes of references that link resources (a
/// key's `arn`, `Fn::GetAtt` `Arn`, `Ref`, an alias's `target_key_id`, a SAM API's
/// `Stage`): the adapters say what each gives (`model::RefAttr`).
const REFERENCE_ATTRIBUTES: &[&str] = &[
    "arn",
    "id",
    "key_id",
    "name",
    "target_key_arn",
    "target_key_id",
    "Arn",
    "KeyId",
    "Ref",
    "Stage",
];

/// The code of a file outside its unit tests (an inline `#[cfg(test)]` module ends it).
fn outside_tests(code: &str) -> &str {
    code.find("#[cfg(test)]").map_or(code, |at| &code[..at])
}

/// The string literals of a file's code that are reference attribute names of a format.
fn reference_attribute_literals(code: &str) -> Vec<String> {
    let code = outside_tests(code);
    code.match_indices('"')
        .filter(|(i, _)| !code[..*i].ends_with('\\'))
        .map(|(i, _)| &code[i + 1..])
        .filter_map(|rest| {
            REFERENCE_ATTRIBUTES
                .iter()
                .find(|a| rest.strip_prefix(**a).is_some_and(|r| r.starts_with('"')))
        })
        .map(|a| a.to_string())
        .collect()
}

#[test]
fn the_model_names_no_reference_attribute_of_a_format() {
    for (rel, code) in sources(&common::root().join("src/model")) {
        let found = reference_attribute_literals(&code);
        assert!(
            found.is_empty(),
            "src/model/{rel} reads reference attributes by a format's names (the adapters say what they give): {found:?}"
        );
    }
}

#[test]
fn the_reference_attribute_checker_sees_literals() {
    let code = r#"if matches!(r.attr.as_str(), "arn" | "Arn") { f("Ref", "target_key_id", "\"", "arns", "Stage name") }
#[cfg(test)]
mod tests { const A: &str = "KeyId"; }"#;
    assert_eq!(
        reference_attribute_literals(code),
        ["arn", "Arn", "Ref", "target_key_id"]
    );
}
