//! Values produced by static evaluation, shared by Terraform and CloudFormation.
//!
//! A value is known, unknown, a symbolic reference to another resource's attribute (which
//! is what links the resource graph), or a string whose parts are partly known
//! (`"alias/${var.env}-s3"` is known to start with `alias/`). Every value keeps the span
//! that produced it.

use crate::source::Span;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    /// Where the value was written: the expression in the resource, or the variable
    /// default, tfvars entry or parameter default it came from.
    pub span: Span,
    /// When the value was set elsewhere (a variable default, a local, a module input), the
    /// span that set it.
    pub from: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Unknown,
    Ref(Box<Reference>),
    /// A string with some unknown or symbolic parts.
    Template(Vec<Part>),
}

/// A symbolic reference to a resource attribute: `aws_kms_key.a.arn`, `!GetAtt Key.Arn`,
/// `!Ref Key` (attribute `Ref`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    /// The referenced resource's address, without instance keys
    /// (`module.m.aws_kms_key.a`, `data.aws_kms_alias.x`, a CFN logical id).
    pub resource: String,
    /// The attribute (`arn`, `key_id`, `Arn`, `Ref`), empty for the whole resource.
    pub attr: String,
    /// The instance named, when the reference indexes a `count`/`for_each` resource with a
    /// known key (`[0]`, `["s3"]`, as in its address); `None` for the whole resource, a
    /// resource without instances, or an index not statically known.
    pub instance: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Lit(String),
    Ref(Box<Reference>),
    Unknown,
}

impl Value {
    pub fn new(kind: Kind, span: Span) -> Value {
        Value {
            kind,
            span,
            from: None,
        }
    }

    pub fn unknown(span: Span) -> Value {
        Value::new(Kind::Unknown, span)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean, also from the strings `"true"`/`"false"` (CloudFormation and Terraform
    /// both convert them).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::Str(s) => match s.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A number, also from a numeric string.
    pub fn as_number(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => Some(*n),
            Kind::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Option<&Reference> {
        match &self.kind {
            Kind::Ref(r) => Some(r),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::List(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// A map entry (attribute or block) by name.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.get(key)
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Value> {
        let mut v = self;
        for k in keys {
            v = v.get(k)?;
        }
        Some(v)
    }

    /// Nested blocks by name: a list of bodies, or one body (JSON syntax, CFN maps).
    pub fn blocks<'a>(&'a self, key: &str) -> Vec<&'a Value> {
        match self.get(key).map(|v| &v.kind) {
            Some(Kind::List(items)) => items.iter().filter(|i| i.as_map().is_some()).collect(),
            Some(Kind::Map(_)) => vec![self.get(key).expect("checked above")],
            _ => Vec::new(),
        }
    }

    /// The string parts of a value: known text, references and unknown holes.
    pub fn parts(&self) -> Option<Vec<Part>> {
        match &self.kind {
            Kind::Str(s) => Some(vec![Part::Lit(s.clone())]),
            Kind::Template(p) => Some(p.clone()),
            Kind::Ref(r) => Some(vec![Part::Ref(r.clone())]),
            Kind::Unknown => Some(vec![Part::Unknown]),
            Kind::Number(_) | Kind::Bool(_) => self.to_plain_string().map(|s| vec![Part::Lit(s)]),
            _ => None,
        }
    }

    /// The known literal text of a string-like value, if fully known.
    pub fn to_plain_string(&self) -> Option<String> {
        match &self.kind {
            Kind::Str(s) => Some(s.clone()),
            Kind::Number(n) => Some(format_number(*n)),
            Kind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Whether the value, or any value inside it, is not statically known.
    pub fn has_unknown(&self) -> bool {
        match &self.kind {
            Kind::Unknown | Kind::Template(_) | Kind::Ref(_) => true,
            Kind::List(v) => v.iter().any(Value::has_unknown),
            Kind::Map(m) => m.values().any(Value::has_unknown),
            _ => false,
        }
    }

    /// Whether some part of the value is not known at all (references to other resources
    /// are symbolic, and count as known here: linking follows them).
    pub fn has_opaque_unknown(&self) -> bool {
        match &self.kind {
            Kind::Unknown => true,
            Kind::Template(parts) => parts.iter().any(|p| matches!(p, Part::Unknown)),
            Kind::List(v) => v.iter().any(Value::has_opaque_unknown),
            Kind::Map(m) => m.values().any(Value::has_opaque_unknown),
            _ => false,
        }
    }

    /// The references anywhere in the value.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            match &v.kind {
                Kind::Ref(r) => out.push(&**r),
                Kind::Template(parts) => out.extend(parts.iter().filter_map(|p| match p {
                    Part::Ref(r) => Some(&**r),
                    _ => None,
                })),
                Kind::List(items) => stack.extend(items),
                Kind::Map(m) => stack.extend(m.values()),
                _ => {}
            }
        }
        out
    }

    /// Builds a string value from parts, collapsing to a plain string when fully known.
    pub fn from_parts(parts: Vec<Part>, span: Span) -> Value {
        let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
        for p in parts {
            match (merged.last_mut(), p) {
                (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
                (_, p) => merged.push(p),
            }
        }
        let kind = match merged.as_slice() {
            [] => Kind::Str(String::new()),
            [Part::Lit(s)] => Kind::Str(s.clone()),
            [Part::Unknown] => Kind::Unknown,
            [Part::Ref(r)] => Kind::Ref(r.clone()),
            _ => Kind::Template(merged),
        };
        Value::new(kind, span)
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Structural equality ignoring spans; numbers and numeric strings compare as Terraform's
/// `==` does not, so types must match.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Number(x), Kind::Number(y)) => x == y,
        (Kind::Str(x), Kind::Str(y)) => x == y,
        (Kind::List(x), Kind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same_value(v1, v2))
        }
        (Kind::Ref(x), Kind::Ref(y)) => x == y,
        _ => false,
    }
}

/// A value as JSON (unknown parts, references and templates become `null`).
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match &v.kind {
        Kind::Null | Kind::Unknown | Kind::Ref(_) | Kind::Template(_) => J::Null,
        Kind::Bool(b) => J::Bool(*b),
        Kind::Number(n) => serde_json::Number::from_f64(*n)
            .map(|x| {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    J::Number((*n as i64).into())
                } else {
                    J::Number(x)
                }
            })
            .unwrap_or(J::Null),
        Kind::Str(s) => J::String(s.clone()),
        Kind::List(l) => J::Array(l.iter().map(to_json).collect()),
        Kind::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// A JSON value as a value, every part at `span`.
pub fn from_json(j: &serde_json::Value, span: Span) -> Value {
    use serde_json::Value as J;
    let k = match j {
        J::Null => Kind::Null,
        J::Bool(b) => Kind::Bool(*b),
        J::Number(n) => Kind::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Kind::Str(s.clone()),
        J::Array(a) => Kind::List(a.iter().map(|x| from_json(x, span)).collect()),
        J::Object(o) => Kind::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v, span)))
                .collect(),
        ),
    };
    Value::new(k, span)
}
