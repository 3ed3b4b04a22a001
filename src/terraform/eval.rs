//! Terraform expression evaluation: what can be known statically, unknown for the rest.
//!
//! Errors (a missing key, a type mismatch) are `Err(EvalError)` so that `try()` and
//! `can()` behave as in Terraform; everywhere else an error reads as unknown.

use super::functions;
use crate::source::Span;
use crate::syntax::hcl::{BinaryOp, Expr, ExprKind, Step, TemplatePart, UnaryOp};
use crate::value::same_value;
use crate::value::{Kind, Part, Reference, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalError;

pub type EvalResult = Result<Value, EvalError>;

/// How names in expressions are looked up: implemented by a module instance.
pub trait Scope {
    fn var(&self, name: &str, span: Span) -> EvalResult;
    fn local(&self, name: &str, span: Span) -> EvalResult;
    /// The outputs of a module call, as an object.
    fn module(&self, call: &str, span: Span) -> EvalResult;
    /// What reference names in this module start with (see `Instance::ref_prefix`).
    fn ref_prefix(&self) -> &str;
    /// The instance keys (`[0]`, `["s3"]`) of a `count`/`for_each` resource of this
    /// module (`aws_kms_key.this`), when known; `None` for a resource without instances.
    fn instance_keys(&self, _resource: &str) -> Option<Vec<String>> {
        None
    }
    fn path_module(&self) -> String;
    /// The text of a file named as Terraform names it (relative to the root module's
    /// directory); `None`, with a note, when it is not read (outside the scanned tree,
    /// missing, too large).
    fn read_file(&self, _path: &str, _span: Span) -> Option<String> {
        None
    }
    /// The files under a directory matching a glob (`fileset`), relative to it.
    fn list_files(&self, _dir: &str, _pattern: &str, _span: Span) -> Option<Vec<String>> {
        None
    }
}

/// Deepest expression nesting evaluated; deeper is unknown (bounds recursion).
const MAX_EVAL_DEPTH: usize = 128;

/// Most `for` iterations in one evaluation, nested ones included: `for` over `range(10000)`
/// inside another would build 10⁸ values; past this the `for` is unknown.
const MAX_FOR_ITERATIONS: usize = 200_000;

pub struct Evaluator<'s> {
    pub scope: &'s dyn Scope,
    /// `each`, `count`, `self` and `for` variables, innermost last.
    pub bindings: Vec<(String, Value)>,
    depth: usize,
    iterations: usize,
}

impl<'s> Evaluator<'s> {
    pub fn new(scope: &'s dyn Scope) -> Self {
        Evaluator {
            scope,
            bindings: Vec::new(),
            depth: 0,
            iterations: 0,
        }
    }

    pub fn with_bindings(scope: &'s dyn Scope, bindings: Vec<(String, Value)>) -> Self {
        Evaluator {
            scope,
            bindings,
            depth: 0,
            iterations: 0,
        }
    }

    /// Evaluates an attribute's expression: errors read as unknown, and the value is
    /// placed at the expression, remembering where it was set when that was elsewhere.
    pub fn eval_attr(&mut self, expr: &Expr) -> Value {
        let v = self
            .eval(expr)
            .unwrap_or_else(|_| Value::unknown(expr.span));
        place(v, expr.span)
    }

    pub fn eval(&mut self, expr: &Expr) -> EvalResult {
        if self.depth >= MAX_EVAL_DEPTH {
            return Ok(Value::unknown(expr.span));
        }
        self.depth += 1;
        let r = self.eval_inner(expr);
        self.depth -= 1;
        r
    }

    fn eval_inner(&mut self, expr: &Expr) -> EvalResult {
        let span = expr.span;
        let v = |k: Kind| Ok(Value::new(k, span));
        match &expr.kind {
            ExprKind::Null => v(Kind::Null),
            ExprKind::Bool(b) => v(Kind::Bool(*b)),
            ExprKind::Number(n) => v(Kind::Number(*n)),
            ExprKind::Str(s) => v(Kind::Str(s.clone())),
            ExprKind::Opaque => v(Kind::Unknown),
            ExprKind::Template(parts) => {
                let mut out = Vec::new();
                for p in parts {
                    match p {
                        TemplatePart::Lit(s) => out.push(Part::Lit(s.clone())),
                        TemplatePart::Directive => out.push(Part::Unknown),
                        TemplatePart::Interp(e) => {
                            let x = self.eval(e)?;
                            match x.parts() {
                                Some(ps) => out.extend(ps),
                                None if x.is_null() => return Err(EvalError),
                                None => return Err(EvalError),
                            }
                        }
                    }
                }
                Ok(Value::from_parts(out, span))
            }
            ExprKind::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(place(self.eval(i)?, i.span));
                }
                v(Kind::List(out))
            }
            ExprKind::Object(items) => {
                let mut out = BTreeMap::new();
                for (k, x) in items {
                    let key = match &k.kind {
                        // A bare name as a key is the name itself, not a variable.
                        ExprKind::Var(name) => name.clone(),
                        _ => match self.eval(k)?.to_plain_string() {
                            Some(s) => s,
                            None => return v(Kind::Unknown),
                        },
                    };
                    out.insert(key, place(self.eval(x)?, x.span));
                }
                v(Kind::Map(out))
            }
            ExprKind::Var(name) => self.resolve(name, &[], span),
            ExprKind::Traversal(root, steps) => match &root.kind {
                ExprKind::Var(name) => self.resolve(name, steps, span),
                _ => {
                    let base = self.eval(root)?;
                    self.apply_steps(base, steps, span)
                }
            },
            ExprKind::Call(name, args, expand) => functions::call(self, name, args, *expand, span),
            ExprKind::Cond(c, t, f) => {
                let cond = self.eval(c)?;
                match cond.as_bool() {
                    Some(true) => self.eval(t),
                    Some(false) => self.eval(f),
                    None => {
                        let a = self.eval(t)?;
                        let b = self.eval(f)?;
                        if same_value(&a, &b) {
                            Ok(a)
                        } else {
                            v(Kind::Unknown)
                        }
                    }
                }
            }
            ExprKind::Unary(op, x) => {
                let x = self.eval(x)?;
                match op {
                    UnaryOp::Not => match x.as_bool() {
                        Some(b) => v(Kind::Bool(!b)),
                        None if x.has_unknown() => v(Kind::Unknown),
                        None => Err(EvalError),
                    },
                    UnaryOp::Neg => match x.as_number() {
                        Some(n) => v(Kind::Number(-n)),
                        None if x.has_unknown() => v(Kind::Unknown),
                        None => Err(EvalError),
                    },
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, span),
            ExprKind::For(f) => {
                let coll = self.eval(&f.collection)?;
                let items: Vec<(Value, Value)> = match &coll.kind {
                    Kind::List(xs) => xs
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (Value::new(Kind::Number(i as f64), x.span), x.clone()))
                        .collect(),
                    Kind::Map(m) => m
                        .iter()
                        .map(|(k, x)| (Value::new(Kind::Str(k.clone()), x.span), x.clone()))
                        .collect(),
                    Kind::Null => return Err(EvalError),
                    _ => return v(Kind::Unknown),
                };
                let mut list = Vec::new();
                let mut map: BTreeMap<String, Value> = BTreeMap::new();
                for (k, x) in items {
                    self.iterations += 1;
                    if self.iterations > MAX_FOR_ITERATIONS {
                        return v(Kind::Unknown);
                    }
                    let n = self.bindings.len();
                    if let Some(kv) = &f.key_var {
                        self.bindings.push((kv.clone(), k.clone()));
                        self.bindings.push((f.value_var.clone(), x));
                    } else {
                        self.bindings.push((f.value_var.clone(), x));
                    }
                    let r = (|| -> Result<Option<(Option<String>, Value)>, EvalError> {
                        if let Some(c) = &f.cond {
                            match self.eval(c)?.as_bool() {
                                Some(true) => {}
                                Some(false) => return Ok(None),
                                None => return Err(EvalError),
                            }
                        }
                        let key = match &f.key {
                            Some(ke) => match self.eval(ke)?.to_plain_string() {
                                Some(s) => Some(s),
                                None => return Err(EvalError),
                            },
                            None => None,
                        };
                        Ok(Some((key, self.eval(&f.value)?)))
                    })();
                    self.bindings.truncate(n);
                    match r {
                        Ok(None) => {}
                        Ok(Some((None, val))) => list.push(val),
                        Ok(Some((Some(k), val))) => {
                            if f.grouping {
                                let e = map
                                    .entry(k)
                                    .or_insert_with(|| Value::new(Kind::List(Vec::new()), span));
                                if let Kind::List(l) = &mut e.kind {
                                    l.push(val);
                                }
                            } else {
                                map.insert(k, val);
                            }
                        }
                        Err(_) => return v(Kind::Unknown),
                    }
                }
                if f.key.is_some() {
                    v(Kind::Map(map))
                } else {
                    v(Kind::List(list))
                }
            }
        }
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn resolve(&mut self, name: &str, steps: &[Step], span: Span) -> EvalResult {
        if let Some(b) = self.binding(name) {
            let b = b.clone();
            return self.apply_steps(b, steps, span);
        }
        let attr = |i: usize| match steps.get(i) {
            Some(Step::Attr(a)) => Some(a.as_str()),
            _ => None,
        };
        match name {
            "var" | "local" | "module" => {
                let Some(n) = attr(0) else {
                    return Ok(Value::unknown(span));
                };
                let base = match name {
                    "var" => self.scope.var(n, span)?,
                    "local" => self.scope.local(n, span)?,
                    _ => self.scope.module(n, span)?,
                };
                self.apply_steps(base, &steps[1..], span)
            }
            "path" => match attr(0) {
                Some("module") => Ok(Value::new(Kind::Str(self.scope.path_module()), span)),
                // Relative to the root module's directory, where Terraform runs.
                Some("root" | "cwd") => Ok(Value::new(Kind::Str(".".into()), span)),
                _ => Ok(Value::unknown(span)),
            },
            "data" => {
                let (Some(t), Some(n)) = (attr(0), attr(1)) else {
                    return Ok(Value::unknown(span));
                };
                self.resource_value(format!("data.{t}.{n}"), &steps[2..], span)
            }
            "count" | "each" | "self" | "terraform" => Ok(Value::unknown(span)),
            _ => {
                let Some(n) = attr(0) else {
                    return Ok(Value::unknown(span));
                };
                self.resource_value(format!("{name}.{n}"), &steps[1..], span)
            }
        }
    }

    /// A reference to a resource (`aws_kms_key.this`), and what follows it: one instance
    /// when indexed with a known key (`["s3"]`, `[count.index]`, `[each.key]`); the map or
    /// list of its instances when a `count`/`for_each` resource is named whole (for
    /// `for`, `values()`, module outputs built from it); else the resource.
    fn resource_value(&mut self, resource: String, steps: &[Step], span: Span) -> EvalResult {
        match steps.first() {
            Some(Step::Index(ix)) => {
                let key = self.eval(ix).ok().and_then(|k| match &k.kind {
                    Kind::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(format!("[{n}]")),
                    Kind::Str(s) => Some(format!("[{}]", quote_key(s))),
                    _ => None,
                });
                let mut v = self.reference(resource, &steps[1..], span);
                if let Kind::Ref(r) = &mut v.kind {
                    r.instance = key;
                }
                Ok(v)
            }
            None => match self.scope.instance_keys(&resource) {
                Some(keys) => {
                    let counted = keys.first().is_some_and(|k| !k.starts_with("[\""));
                    let one = |k: &String| {
                        let mut v = self.reference(resource.clone(), &[], span);
                        if let Kind::Ref(r) = &mut v.kind {
                            r.instance = Some(k.clone());
                        }
                        v
                    };
                    if counted {
                        Ok(Value::new(Kind::List(keys.iter().map(one).collect()), span))
                    } else {
                        let map = keys.iter().map(|k| (unquote_key(k), one(k))).collect();
                        Ok(Value::new(Kind::Map(map), span))
                    }
                }
                None => Ok(self.reference(resource, &[], span)),
            },
            _ => Ok(self.reference(resource, skip_index(steps), span)),
        }
    }

    fn reference(&self, resource: String, rest: &[Step], span: Span) -> Value {
        let attr = match rest.first() {
            Some(Step::Attr(a)) => a.clone(),
            None => String::new(),
            _ => return Value::unknown(span),
        };
        // Deeper traversals (`.server_side_encryption[0].x`) are not symbolic attributes.
        if rest.len() > 1 {
            return Value::unknown(span);
        }
        Value::new(
            Kind::Ref(Box::new(Reference {
                resource: format!("{}{}", self.scope.ref_prefix(), resource),
                attr,
                instance: None,
            })),
            span,
        )
    }

    pub fn apply_steps(&mut self, mut base: Value, steps: &[Step], span: Span) -> EvalResult {
        for (i, step) in steps.iter().enumerate() {
            base = match step {
                Step::Attr(a) => match &base.kind {
                    Kind::Map(m) => m.get(a).cloned().ok_or(EvalError)?,
                    // An attribute of a whole resource or one of its instances
                    // (`each.value.id`, `v.arn` in a `for` over a resource's instances).
                    Kind::Ref(r) if r.attr.is_empty() && i + 1 == steps.len() => {
                        let mut r = r.clone();
                        r.attr = a.clone();
                        Value::new(Kind::Ref(r), span)
                    }
                    Kind::Unknown | Kind::Ref(_) => return Ok(Value::unknown(span)),
                    _ => return Err(EvalError),
                },
                Step::Index(ix) => {
                    let ix = self.eval(ix)?;
                    match (&base.kind, &ix.kind) {
                        (Kind::Unknown | Kind::Ref(_), _) => return Ok(Value::unknown(span)),
                        (_, Kind::Unknown | Kind::Ref(_) | Kind::Template(_)) => {
                            return Ok(Value::unknown(span))
                        }
                        (Kind::List(l), _) => {
                            let n = ix.as_number().ok_or(EvalError)?;
                            if n < 0.0 {
                                return Err(EvalError);
                            }
                            l.get(n as usize).cloned().ok_or(EvalError)?
                        }
                        (Kind::Map(m), _) => {
                            let k = ix.to_plain_string().ok_or(EvalError)?;
                            m.get(&k).cloned().ok_or(EvalError)?
                        }
                        _ => return Err(EvalError),
                    }
                }
                Step::Splat => {
                    let rest = &steps[i + 1..];
                    return match &base.kind {
                        Kind::List(items) => {
                            let mut out = Vec::new();
                            for it in items.clone() {
                                out.push(self.apply_steps(it, rest, span)?);
                            }
                            Ok(Value::new(Kind::List(out), span))
                        }
                        Kind::Null => Ok(Value::new(Kind::List(Vec::new()), span)),
                        Kind::Unknown | Kind::Ref(_) => Ok(Value::unknown(span)),
                        _ => {
                            let one = self.apply_steps(base.clone(), rest, span)?;
                            Ok(Value::new(Kind::List(vec![one]), span))
                        }
                    };
                }
            };
        }
        Ok(base)
    }

    fn binary(&mut self, op: BinaryOp, a: &Expr, b: &Expr, span: Span) -> EvalResult {
        let x = self.eval(a)?;
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let y = self.eval(b)?;
            let (p, q) = (x.as_bool(), y.as_bool());
            let r = match op {
                BinaryOp::And => match (p, q) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                },
                _ => match (p, q) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                },
            };
            return Ok(Value::new(r.map(Kind::Bool).unwrap_or(Kind::Unknown), span));
        }
        let y = self.eval(b)?;
        if x.has_unknown() || y.has_unknown() {
            return Ok(Value::unknown(span));
        }
        let k = match op {
            BinaryOp::Eq => Kind::Bool(same_value(&x, &y)),
            BinaryOp::NotEq => Kind::Bool(!same_value(&x, &y)),
            _ => {
                let (p, q) = (
                    x.as_number().ok_or(EvalError)?,
                    y.as_number().ok_or(EvalError)?,
                );
                match op {
                    BinaryOp::Lt => Kind::Bool(p < q),
                    BinaryOp::LtEq => Kind::Bool(p <= q),
                    BinaryOp::Gt => Kind::Bool(p > q),
                    BinaryOp::GtEq => Kind::Bool(p >= q),
                    BinaryOp::Add => Kind::Number(p + q),
                    BinaryOp::Sub => Kind::Number(p - q),
                    BinaryOp::Mul => Kind::Number(p * q),
                    BinaryOp::Div if q != 0.0 => Kind::Number(p / q),
                    BinaryOp::Mod if q != 0.0 => Kind::Number(p % q),
                    _ => return Err(EvalError),
                }
            }
        };
        Ok(Value::new(k, span))
    }
}

/// Places a value at the expression that wrote it, remembering where it was set when that
/// was elsewhere (a variable default, a local).
fn place(mut v: Value, span: Span) -> Value {
    if v.span != span {
        if v.from.is_none() && v.span != Span::default() {
            v.from = Some(v.span);
        }
        v.span = span;
    }
    v
}

/// A `for_each` key as instance addresses write it (`"s3"`, quoted and escaped).
fn quote_key(k: &str) -> String {
    format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The key of an instance suffix (`["s3"]` → `s3`).
fn unquote_key(k: &str) -> String {
    let inner = k
        .strip_prefix("[\"")
        .and_then(|k| k.strip_suffix("\"]"))
        .unwrap_or(k);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

fn skip_index(steps: &[Step]) -> &[Step] {
    match steps.first() {
        Some(Step::Index(_)) | Some(Step::Splat) => &steps[1..],
        _ => steps,
    }
}
