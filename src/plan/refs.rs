//! The reference strings of a plan's `configuration` (`aws_kms_key.this["s3"].arn`,
//! `module.kms.key_arn`, `var.key_arn`) and module addresses (`module.a["x"].module.b`),
//! split into their steps.

/// One step of a reference or address: a name, or an index as written (`["s3"]`, `[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Name(String),
    Index(String),
}

/// Splits `a.b["x.y"][0].c` into `a`, `b`, `["x.y"]`, `[0]`, `c`. `None` when the text is
/// not a traversal (an unterminated index or quote, an empty name).
pub fn steps(text: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut expect_name = true;
    while i < bytes.len() {
        match bytes[i] {
            b'.' if !expect_name => {
                expect_name = true;
                i += 1;
            }
            b'[' => {
                let start = i;
                i += 1;
                let mut quoted = false;
                loop {
                    let c = *bytes.get(i)?;
                    match c {
                        b'\\' if quoted => i += 2,
                        b'"' => {
                            quoted = !quoted;
                            i += 1;
                        }
                        b']' if !quoted => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                out.push(Step::Index(text.get(start..i)?.to_string()));
                expect_name = false;
            }
            _ if expect_name => {
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b'.' | b'[') {
                    i += 1;
                }
                if i == start {
                    return None;
                }
                out.push(Step::Name(text[start..i].to_string()));
                expect_name = false;
            }
            _ => return None,
        }
    }
    (!expect_name || out.is_empty()).then_some(out)
}

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A resource of the same module: `aws_kms_key.a` or `data.aws_kms_key.a` (its local
    /// address), the instance it indexes (`["s3"]`) and the attribute (empty: the whole
    /// resource).
    Resource {
        local: String,
        instance: Option<String>,
        attr: String,
    },
    /// An output of a module called by this one, with the instance of the call.
    ModuleOutput {
        call: String,
        instance: Option<String>,
        output: String,
        /// An index into the output (`module.kms.arns["s3"]`).
        index: Option<String>,
    },
    /// A module call as a whole (`module.kms`), listed with its outputs.
    Module(String),
    /// A variable of this module (its value is the caller's argument).
    Variable(String),
    /// A local value of this module (the plan does not hold its expression; the module's
    /// source does).
    Local(String),
    /// `each.key` or `count.index`: the key of the referencing instance.
    OwnKey,
    /// Anything else: `each.value`, `path.*`, `terraform.*`, `self`.
    Other,
}

/// Reads one reference string.
pub fn target(text: &str) -> Target {
    let Some(steps) = steps(text) else {
        return Target::Other;
    };
    let name = |i: usize| match steps.get(i) {
        Some(Step::Name(n)) => Some(n.as_str()),
        _ => None,
    };
    let index = |i: usize| match steps.get(i) {
        Some(Step::Index(x)) => Some(x.clone()),
        _ => None,
    };
    match name(0) {
        Some("var") => match (name(1), steps.len()) {
            (Some(v), 2) => Target::Variable(v.to_string()),
            _ => Target::Other,
        },
        Some("each") if name(1) == Some("key") && steps.len() == 2 => Target::OwnKey,
        Some("count") if name(1) == Some("index") && steps.len() == 2 => Target::OwnKey,
        Some("local") => match name(1) {
            Some(l) => Target::Local(l.to_string()),
            None => Target::Other,
        },
        Some("each" | "count" | "path" | "terraform" | "self") | None => Target::Other,
        Some("module") => {
            let Some(call) = name(1) else {
                return Target::Other;
            };
            let instance = index(2);
            let at = if instance.is_some() { 3 } else { 2 };
            // Steps into the output (`module.kms.arns["s3"]`) name the same output.
            match name(at) {
                Some(output) => Target::ModuleOutput {
                    call: call.to_string(),
                    instance,
                    output: output.to_string(),
                    index: index(at + 1),
                },
                None if steps.len() == at => Target::Module(call.to_string()),
                None => Target::Other,
            }
        }
        Some(first) => {
            let (local, at) = if first == "data" {
                match (name(1), name(2)) {
                    (Some(t), Some(n)) => (format!("data.{t}.{n}"), 3),
                    _ => return Target::Other,
                }
            } else {
                match name(1) {
                    Some(n) => (format!("{first}.{n}"), 2),
                    None => return Target::Other,
                }
            };
            let instance = index(at);
            let at = if instance.is_some() { at + 1 } else { at };
            // Steps into the attribute (`.rule[0].x`) name the same attribute.
            let attr = match name(at) {
                Some(a) => a.to_string(),
                None if steps.len() == at => String::new(),
                None => return Target::Other,
            };
            Target::Resource {
                local,
                instance,
                attr,
            }
        }
    }
}

/// A module address (`module.a["x"].module.b`) as its calls: name and instance key.
pub fn module_path(address: &str) -> Option<Vec<(String, Option<String>)>> {
    if address.is_empty() {
        return Some(Vec::new());
    }
    let steps = steps(address)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        match (&steps[i], steps.get(i + 1)) {
            (Step::Name(m), Some(Step::Name(n))) if m == "module" => {
                let key = match steps.get(i + 2) {
                    Some(Step::Index(k)) => Some(k.clone()),
                    _ => None,
                };
                i += if key.is_some() { 3 } else { 2 };
                out.push((n.clone(), key));
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_keep_dots_and_brackets_inside_quotes() {
        assert_eq!(
            steps(r#"aws_kms_key.this["a.b]"].arn"#),
            Some(vec![
                Step::Name("aws_kms_key".into()),
                Step::Name("this".into()),
                Step::Index(r#"["a.b]"]"#.into()),
                Step::Name("arn".into()),
            ])
        );
        assert_eq!(steps("a..b"), None);
        assert_eq!(steps(r#"a["x"#), None);
    }

    #[test]
    fn targets_of_references() {
        assert_eq!(
            target(r#"aws_kms_key.this["s3"].arn"#),
            Target::Resource {
                local: "aws_kms_key.this".into(),
                instance: Some(r#"["s3"]"#.into()),
                attr: "arn".into()
            }
        );
        assert_eq!(
            target("data.aws_kms_key.k"),
            Target::Resource {
                local: "data.aws_kms_key.k".into(),
                instance: None,
                attr: String::new()
            }
        );
        assert_eq!(
            target("module.kms[0].key_arn"),
            Target::ModuleOutput {
                call: "kms".into(),
                instance: Some("[0]".into()),
                output: "key_arn".into(),
                index: None
            }
        );
        assert_eq!(target("var.key"), Target::Variable("key".into()));
        assert_eq!(target("each.key"), Target::OwnKey);
        assert_eq!(target("local.x"), Target::Local("x".into()));
        assert_eq!(target(r#"local.x["k"]"#), Target::Local("x".into()));
        assert_eq!(target("module.kms"), Target::Module("kms".into()));
        assert_eq!(
            target(r#"module.kms.arns["s3"]"#),
            Target::ModuleOutput {
                call: "kms".into(),
                instance: None,
                output: "arns".into(),
                index: Some(r#"["s3"]"#.into())
            }
        );
    }

    #[test]
    fn module_addresses() {
        assert_eq!(
            module_path(r#"module.a["x"].module.b"#),
            Some(vec![
                ("a".into(), Some(r#"["x"]"#.into())),
                ("b".into(), None)
            ])
        );
        assert_eq!(module_path(""), Some(vec![]));
        assert_eq!(module_path("aws_kms_key.a"), None);
    }
}
