//! Writing a fix's values in the syntax of the file they go to, in the style of what they
//! replace (a quoted scalar stays quoted with the same quotes).

use super::{Literal, Syntax};

/// `value` as `syntax` writes it; `old` is the text it replaces, if any.
pub(super) fn literal(value: &Literal, syntax: Syntax, old: Option<&str>) -> String {
    let quote = old
        .and_then(|o| o.chars().next())
        .filter(|c| *c == '"' || *c == '\'');
    match (value, syntax) {
        (Literal::Reference(r), Syntax::Hcl) => r.clone(),
        (Literal::Reference(r), Syntax::HclJson) => json_string(&format!("${{{r}}}")),
        (Literal::Reference(r), Syntax::Yaml) => format!("!Ref {r}"),
        (Literal::Reference(r), Syntax::Json) => format!("{{\"Ref\": {}}}", json_string(r)),
        (Literal::GetAtt(id, attr), Syntax::Yaml) => format!("!GetAtt {id}.{attr}"),
        (Literal::GetAtt(id, attr), Syntax::Json) => format!(
            "{{\"Fn::GetAtt\": [{}, {}]}}",
            json_string(id),
            json_string(attr)
        ),
        (Literal::Sub(t), Syntax::Yaml) => format!("!Sub {}", json_string(t)),
        (Literal::Sub(t), Syntax::Json) => format!("{{\"Fn::Sub\": {}}}", json_string(t)),
        (Literal::Sub(t), Syntax::Hcl) => hcl_string(t),
        (Literal::Sub(t), Syntax::HclJson) => json_string(t),
        // Terraform has no GetAtt: the rule gives a reference.
        (Literal::GetAtt(id, attr), Syntax::Hcl) => format!("{id}.{attr}"),
        (Literal::GetAtt(id, attr), Syntax::HclJson) => json_string(&format!("${{{id}.{attr}}}")),
        (Literal::Bool(_) | Literal::Number(_), _) if quote.is_some() => {
            quoted(&scalar(value), quote.unwrap_or('"'), syntax)
        }
        (Literal::Bool(_) | Literal::Number(_), _) => scalar(value),
        (Literal::Str(s), Syntax::Yaml) => match quote {
            Some(q) => quoted(s, q, syntax),
            None if plain_yaml_safe(s) => s.clone(),
            None => quoted(s, '"', syntax),
        },
        (Literal::Str(s), Syntax::Hcl) => hcl_string(s),
        (Literal::Str(s), Syntax::HclJson | Syntax::Json) => json_string(s),
    }
}

fn scalar(value: &Literal) -> String {
    match value {
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => n.clone(),
        Literal::Str(s) | Literal::Reference(s) => s.clone(),
        Literal::GetAtt(a, b) => format!("{a}.{b}"),
        Literal::Sub(t) => t.clone(),
    }
}

fn quoted(s: &str, q: char, syntax: Syntax) -> String {
    match (q, syntax) {
        ('\'', Syntax::Yaml) => format!("'{}'", s.replace('\'', "''")),
        (_, Syntax::Hcl) => hcl_string(s),
        (_, Syntax::Yaml) => json_string(s),
        _ => json_string(s),
    }
}

pub(super) fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

pub(super) fn hcl_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    // `${` and `%{` would start a template sequence.
    let out = out.replace("${", "$${").replace("%{", "%%{");
    out + "\""
}

/// A string YAML reads back as the same string when written plain.
fn plain_yaml_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
}

/// Whether `old`, the text at a span, is a literal in `syntax`: the only text
/// [`super::Change::SetLiteral`] replaces.
pub(super) fn is_literal(old: &str, syntax: Syntax) -> bool {
    let t = old.trim();
    if t.is_empty() || t.contains('\n') {
        return false;
    }
    let quoted = |q: char| t.len() >= 2 && t.starts_with(q) && t.ends_with(q);
    let bare = |t: &str| {
        matches!(t, "true" | "false" | "null")
            || t.parse::<f64>().is_ok()
            || t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
    };
    match syntax {
        Syntax::Hcl => {
            (quoted('"') && !t.contains("${") && !t.contains("%{"))
                || (bare(t) && (matches!(t, "true" | "false" | "null") || t.parse::<f64>().is_ok()))
        }
        Syntax::HclJson => quoted('"') && !t.contains("${") || bare(t) && !t.starts_with('"'),
        Syntax::Json => !t.starts_with('{') && !t.starts_with('['),
        Syntax::Yaml => {
            quoted('"')
                || quoted('\'')
                || (!t.starts_with(['!', '&', '*', '[', '{', '|', '>'])
                    && !t.contains(": ")
                    && !t.contains(" #"))
        }
    }
}
