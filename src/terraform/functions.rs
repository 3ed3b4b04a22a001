//! The subset of Terraform's built-in functions that matters for security settings.
//! A function not listed here, or called on unknown input, gives unknown.

use super::eval::{EvalError, EvalResult, Evaluator};
use crate::source::Span;
use crate::syntax::hcl::Expr;
use crate::value::{from_json, to_json};
use crate::value::{Kind, Part, Value};
use std::collections::BTreeMap;

pub fn call(
    ev: &mut Evaluator<'_>,
    name: &str,
    args: &[Expr],
    expand: bool,
    span: Span,
) -> EvalResult {
    // try() and can() look at errors, so they evaluate their own arguments.
    match name {
        "try" => {
            for a in args {
                match ev.eval(a) {
                    Ok(v) if !v.is_unknown() => return Ok(v),
                    Ok(_) => return Ok(Value::unknown(span)),
                    Err(_) => continue,
                }
            }
            return Err(EvalError);
        }
        "can" => {
            let r = match args.first().map(|a| ev.eval(a)) {
                Some(Ok(v)) if v.has_unknown() => Kind::Unknown,
                Some(Ok(_)) => Kind::Bool(true),
                _ => Kind::Bool(false),
            };
            return Ok(Value::new(r, span));
        }
        _ => {}
    }
    let mut vals = Vec::with_capacity(args.len());
    for a in args {
        vals.push(ev.eval(a)?);
    }
    if expand {
        if let Some(last) = vals.pop() {
            match last.kind {
                Kind::List(items) => vals.extend(items),
                _ => return Ok(Value::unknown(span)),
            }
        }
    }
    let out = |k: Kind| Ok(Value::new(k, span));
    let unknown = || Ok(Value::unknown(span));
    let s = |i: usize| vals.get(i).and_then(Value::to_plain_string);
    match name {
        "jsonencode" => match vals.first() {
            Some(v) if !v.has_unknown() => out(Kind::Str(to_json(v).to_string())),
            // Partly known documents keep their structure: policy readers accept it.
            Some(v) => Ok(v.clone()),
            None => Err(EvalError),
        },
        "jsondecode" => match s(0) {
            Some(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(j) => Ok(from_json(&j, span)),
                Err(_) => Err(EvalError),
            },
            None => unknown(),
        },
        "merge" => {
            let mut m = BTreeMap::new();
            for v in &vals {
                match &v.kind {
                    Kind::Map(x) => m.extend(x.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    Kind::Null => {}
                    _ => return unknown(),
                }
            }
            out(Kind::Map(m))
        }
        "concat" => {
            let mut l = Vec::new();
            for v in &vals {
                match &v.kind {
                    Kind::List(x) => l.extend(x.iter().cloned()),
                    _ => return unknown(),
                }
            }
            out(Kind::List(l))
        }
        "flatten" => {
            let mut l = Vec::new();
            let mut stack: Vec<Value> = vals.iter().rev().cloned().collect();
            while let Some(v) = stack.pop() {
                match v.kind {
                    Kind::List(x) => stack.extend(x.into_iter().rev()),
                    Kind::Unknown => return unknown(),
                    _ => l.push(v),
                }
            }
            match l.len() {
                _ if vals.len() == 1 => out(Kind::List(l)),
                _ => Err(EvalError),
            }
        }
        "lookup" => match vals.first().map(|v| &v.kind) {
            Some(Kind::Map(m)) => match s(1) {
                Some(k) => match (m.get(&k), vals.get(2)) {
                    (Some(v), _) => Ok(v.clone()),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(EvalError),
                },
                None => unknown(),
            },
            _ => unknown(),
        },
        "coalesce" => {
            for v in &vals {
                match &v.kind {
                    Kind::Null => continue,
                    Kind::Str(x) if x.is_empty() => continue,
                    Kind::Unknown => return unknown(),
                    _ => return Ok(v.clone()),
                }
            }
            Err(EvalError)
        }
        "coalescelist" => {
            for v in &vals {
                match &v.kind {
                    Kind::List(x) if x.is_empty() => continue,
                    Kind::List(_) => return Ok(v.clone()),
                    _ => return unknown(),
                }
            }
            Err(EvalError)
        }
        "tostring" => match vals.first() {
            Some(v) if v.is_null() => out(Kind::Null),
            Some(v) => match v.to_plain_string() {
                Some(x) => out(Kind::Str(x)),
                None => Ok(v.clone()),
            },
            None => Err(EvalError),
        },
        "tonumber" => match vals.first() {
            Some(v) => match v.as_number() {
                Some(n) => out(Kind::Number(n)),
                None if v.has_unknown() => unknown(),
                None => Err(EvalError),
            },
            None => Err(EvalError),
        },
        "tobool" => match vals.first() {
            Some(v) => match v.as_bool() {
                Some(b) => out(Kind::Bool(b)),
                None if v.has_unknown() => unknown(),
                None => Err(EvalError),
            },
            None => Err(EvalError),
        },
        "tolist" | "toset" | "tomap" | "sensitive" | "nonsensitive" | "one" if vals.len() == 1 => {
            let v = vals.into_iter().next().expect("one argument");
            if name == "one" {
                return match &v.kind {
                    Kind::List(l) if l.is_empty() => out(Kind::Null),
                    Kind::List(l) if l.len() == 1 => Ok(l[0].clone()),
                    Kind::List(_) => Err(EvalError),
                    _ => unknown(),
                };
            }
            if name == "toset" {
                if let Kind::List(l) = &v.kind {
                    return out(Kind::List(distinct(l.iter())));
                }
            }
            Ok(v)
        }
        "lower" | "upper" | "trimspace" => match s(0) {
            Some(x) => out(Kind::Str(match name {
                "lower" => x.to_lowercase(),
                "upper" => x.to_uppercase(),
                _ => x.trim().to_string(),
            })),
            None => unknown(),
        },
        "trimprefix" | "trimsuffix" | "startswith" | "endswith" => match (s(0), s(1)) {
            (Some(x), Some(p)) => out(match name {
                "trimprefix" => Kind::Str(x.strip_prefix(p.as_str()).unwrap_or(&x).to_string()),
                "trimsuffix" => Kind::Str(x.strip_suffix(p.as_str()).unwrap_or(&x).to_string()),
                "startswith" => Kind::Bool(x.starts_with(&p)),
                _ => Kind::Bool(x.ends_with(&p)),
            }),
            _ => unknown(),
        },
        "replace" => match (s(1), s(2)) {
            (Some(from), Some(to))
                if !(from.starts_with('/') && from.ends_with('/') && from.len() > 1) =>
            {
                match vals.first().and_then(Value::parts) {
                    // Replacing in the known parts keeps references visible
                    // (`replace(aws_api_gateway_stage.s.invoke_url, ...)`).
                    Some(parts) => Ok(Value::from_parts(
                        parts
                            .into_iter()
                            .map(|p| match p {
                                Part::Lit(l) => Part::Lit(l.replace(&from, &to)),
                                other => other,
                            })
                            .collect(),
                        span,
                    )),
                    None => unknown(),
                }
            }
            // `/pattern/`: a regular expression, on a fully known text.
            (Some(from), Some(to)) => match s(0) {
                Some(text) => {
                    let re = regex_of(&from[1..from.len() - 1])?;
                    out(Kind::Str(re.replace_all(&text, to.as_str()).into_owned()))
                }
                None => unknown(),
            },
            _ => unknown(),
        },
        "format" => match s(0) {
            Some(f) => format(&f, &vals[1..], span),
            None => unknown(),
        },
        "join" => match (s(0), vals.get(1).map(|v| &v.kind)) {
            (Some(sep), Some(Kind::List(items))) => {
                let mut parts = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        parts.push(Part::Lit(sep.clone()));
                    }
                    parts.extend(it.parts().ok_or(EvalError)?);
                }
                Ok(Value::from_parts(parts, span))
            }
            _ => unknown(),
        },
        "split" => match (s(0), s(1)) {
            (Some(sep), Some(x)) => out(Kind::List(
                x.split(sep.as_str())
                    .map(|p| Value::new(Kind::Str(p.to_string()), span))
                    .collect(),
            )),
            _ => unknown(),
        },
        "length" => match vals.first().map(|v| &v.kind) {
            Some(Kind::List(l)) => out(Kind::Number(l.len() as f64)),
            Some(Kind::Map(m)) => out(Kind::Number(m.len() as f64)),
            Some(Kind::Str(x)) => out(Kind::Number(x.chars().count() as f64)),
            _ => unknown(),
        },
        "contains" => match vals.first().map(|v| &v.kind) {
            Some(Kind::List(l)) if !vals[0].has_unknown() => match vals.get(1) {
                Some(x) if !x.has_unknown() => {
                    out(Kind::Bool(l.iter().any(|y| crate::value::same_value(x, y))))
                }
                _ => unknown(),
            },
            _ => unknown(),
        },
        "element" => match (
            vals.first().map(|v| &v.kind),
            vals.get(1).and_then(Value::as_number),
        ) {
            (Some(Kind::List(l)), Some(i)) if !l.is_empty() && i >= 0.0 => {
                Ok(l[i as usize % l.len()].clone())
            }
            _ => unknown(),
        },
        "keys" | "values" => match vals.first().map(|v| &v.kind) {
            Some(Kind::Map(m)) => out(Kind::List(if name == "keys" {
                m.keys()
                    .map(|k| Value::new(Kind::Str(k.clone()), span))
                    .collect()
            } else {
                m.values().cloned().collect()
            })),
            _ => unknown(),
        },
        "compact" => match vals.first().map(|v| &v.kind) {
            Some(Kind::List(l)) => out(Kind::List(
                l.iter()
                    .filter(|v| !v.is_null() && v.as_str() != Some(""))
                    .cloned()
                    .collect(),
            )),
            _ => unknown(),
        },
        "distinct" => match vals.first().map(|v| &v.kind) {
            Some(Kind::List(l)) => out(Kind::List(distinct(l.iter()))),
            _ => unknown(),
        },
        "zipmap" => match (vals.first().map(|v| &v.kind), vals.get(1).map(|v| &v.kind)) {
            (Some(Kind::List(k)), Some(Kind::List(v))) if k.len() == v.len() => {
                let mut m = BTreeMap::new();
                for (a, b) in k.iter().zip(v) {
                    match a.to_plain_string() {
                        Some(key) => {
                            m.insert(key, b.clone());
                        }
                        None => return unknown(),
                    }
                }
                out(Kind::Map(m))
            }
            _ => unknown(),
        },
        "max" | "min" => {
            let nums: Option<Vec<f64>> = vals.iter().map(Value::as_number).collect();
            match nums {
                Some(n) if !n.is_empty() => out(Kind::Number(if name == "max" {
                    n.into_iter().fold(f64::MIN, f64::max)
                } else {
                    n.into_iter().fold(f64::MAX, f64::min)
                })),
                _ => unknown(),
            }
        }
        "abs" | "ceil" | "floor" => match vals.first().and_then(Value::as_number) {
            Some(n) => out(Kind::Number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                _ => n.floor(),
            })),
            None => unknown(),
        },
        // Functions that read the tree (`file("${path.module}/policy.json")`).
        "file" | "filebase64" | "fileexists" | "templatefile" => {
            let Some(path) = s(0) else { return unknown() };
            if name == "fileexists" {
                return match ev.scope.read_file(&path, span) {
                    Some(_) => out(Kind::Bool(true)),
                    None => unknown(),
                };
            }
            let Some(text) = ev.scope.read_file(&path, span) else {
                return unknown();
            };
            match name {
                "file" => out(Kind::Str(text)),
                "filebase64" => out(Kind::Str(base64(text.as_bytes()))),
                _ => {
                    let vars = match vals.get(1).map(|v| &v.kind) {
                        Some(Kind::Map(m)) => m.clone(),
                        _ => return unknown(),
                    };
                    render_template(ev, &text, vars, span)
                }
            }
        }
        "fileset" => match (s(0), s(1)) {
            (Some(dir), Some(pattern)) => match ev.scope.list_files(&dir, &pattern, span) {
                Some(files) => out(Kind::List(
                    files
                        .into_iter()
                        .map(|f| Value::new(Kind::Str(f), span))
                        .collect(),
                )),
                None => unknown(),
            },
            _ => unknown(),
        },
        "regexall" => match (s(0), s(1)) {
            (Some(pattern), Some(text)) => {
                let re = regex_of(&pattern)?;
                let str_v = |m: Option<regex::Match<'_>>| match m {
                    Some(m) => Value::new(Kind::Str(m.as_str().to_string()), span),
                    None => Value::new(Kind::Null, span),
                };
                let mut items = Vec::new();
                for caps in re.captures_iter(&text).take(10_000) {
                    items.push(if re.captures_len() == 1 {
                        str_v(caps.get(0))
                    } else if re.capture_names().flatten().next().is_some() {
                        let mut m = BTreeMap::new();
                        for name in re.capture_names().flatten() {
                            m.insert(name.to_string(), str_v(caps.name(name)));
                        }
                        Value::new(Kind::Map(m), span)
                    } else {
                        Value::new(
                            Kind::List(
                                (1..re.captures_len()).map(|i| str_v(caps.get(i))).collect(),
                            ),
                            span,
                        )
                    });
                }
                out(Kind::List(items))
            }
            _ => unknown(),
        },
        "regex" => match (s(0), s(1)) {
            (Some(pattern), Some(text)) => {
                let re = regex_of(&pattern)?;
                let caps = re.captures(&text).ok_or(EvalError)?;
                let str_v = |m: Option<regex::Match<'_>>| match m {
                    Some(m) => Value::new(Kind::Str(m.as_str().to_string()), span),
                    None => Value::new(Kind::Null, span),
                };
                if re.captures_len() == 1 {
                    Ok(str_v(caps.get(0)))
                } else if re.capture_names().flatten().next().is_some() {
                    let mut m = BTreeMap::new();
                    for name in re.capture_names().flatten() {
                        m.insert(name.to_string(), str_v(caps.name(name)));
                    }
                    out(Kind::Map(m))
                } else {
                    out(Kind::List(
                        (1..re.captures_len()).map(|i| str_v(caps.get(i))).collect(),
                    ))
                }
            }
            _ => unknown(),
        },
        "substr" => match (
            s(0),
            vals.get(1).and_then(Value::as_number),
            vals.get(2).and_then(Value::as_number),
        ) {
            (Some(x), Some(off), Some(len)) => {
                let chars: Vec<char> = x.chars().collect();
                let n = chars.len() as i64;
                let mut start = off as i64;
                if start < 0 {
                    start += n;
                }
                let start = start.clamp(0, n) as usize;
                let end = if len < 0.0 {
                    n as usize
                } else {
                    start.saturating_add(len as usize).min(n as usize)
                };
                out(Kind::Str(chars[start..end].iter().collect()))
            }
            _ => unknown(),
        },
        "alltrue" | "anytrue" => match vals.first().map(|v| &v.kind) {
            Some(Kind::List(l)) => {
                let bools: Vec<Option<bool>> = l.iter().map(Value::as_bool).collect();
                let all = name == "alltrue";
                if bools.contains(&Some(!all)) {
                    out(Kind::Bool(!all))
                } else if bools.iter().all(Option::is_some) {
                    out(Kind::Bool(all))
                } else {
                    unknown()
                }
            }
            _ => unknown(),
        },
        "sort" | "reverse" => match vals.first().map(|v| &v.kind) {
            Some(Kind::List(l)) => {
                let mut l = l.clone();
                if name == "reverse" {
                    l.reverse();
                } else {
                    let keys: Option<Vec<String>> = l.iter().map(Value::to_plain_string).collect();
                    let Some(_) = keys else { return unknown() };
                    l.sort_by_key(|v| v.to_plain_string().unwrap_or_default());
                }
                out(Kind::List(l))
            }
            _ => unknown(),
        },
        "setunion" => {
            let mut lists = Vec::with_capacity(vals.len());
            for v in &vals {
                let Kind::List(l) = &v.kind else {
                    return unknown();
                };
                lists.push(l);
            }
            out(Kind::List(distinct(lists.into_iter().flatten())))
        }
        "slice" => match (
            vals.first().map(|v| &v.kind),
            vals.get(1).and_then(Value::as_number),
            vals.get(2).and_then(Value::as_number),
        ) {
            (Some(Kind::List(l)), Some(a), Some(b))
                if a >= 0.0 && b >= a && (b as usize) <= l.len() =>
            {
                out(Kind::List(l[a as usize..b as usize].to_vec()))
            }
            (Some(Kind::List(_)), Some(_), Some(_)) => Err(EvalError),
            _ => unknown(),
        },
        "chunklist" => match (
            vals.first().map(|v| &v.kind),
            vals.get(1).and_then(Value::as_number),
        ) {
            (Some(Kind::List(l)), Some(n)) if n >= 1.0 => out(Kind::List(
                l.chunks(n as usize)
                    .map(|c| Value::new(Kind::List(c.to_vec()), span))
                    .collect(),
            )),
            (Some(Kind::List(l)), Some(0.0)) => {
                out(Kind::List(vec![Value::new(Kind::List(l.clone()), span)]))
            }
            _ => unknown(),
        },
        "range" => {
            let nums: Option<Vec<f64>> = vals.iter().map(Value::as_number).collect();
            let (start, end, step) = match nums.as_deref() {
                Some([e]) => (0.0, *e, 1.0),
                Some([s, e]) => (*s, *e, 1.0),
                Some([s, e, st]) => (*s, *e, *st),
                _ => return unknown(),
            };
            // The count first: a step too small to move the number (1e16 + 1), or a NaN,
            // would otherwise loop for ever.
            let count = ((end - start) / step).ceil();
            if step == 0.0 || !(0.0..=10_000.0).contains(&count) {
                return unknown();
            }
            let l = (0..count as usize)
                .map(|i| Value::new(Kind::Number(start + i as f64 * step), span))
                .collect();
            out(Kind::List(l))
        }
        _ => unknown(),
    }
}

/// The values in order of first appearance, without repeats (`toset`, `distinct`,
/// `setunion`).
fn distinct<'v>(values: impl Iterator<Item = &'v Value>) -> Vec<Value> {
    let mut seen: Vec<Value> = Vec::new();
    for x in values {
        if !seen.iter().any(|y| crate::value::same_value(x, y)) {
            seen.push(x.clone());
        }
    }
    seen
}

fn format(f: &str, args: &[Value], span: Span) -> EvalResult {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = f.chars().peekable();
    let mut i = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        // Skip flags and width; only the verb matters here.
        let mut verb = None;
        while let Some(&n) = chars.peek() {
            chars.next();
            if n.is_ascii_alphabetic() || n == '%' {
                verb = Some(n);
                break;
            }
        }
        match verb {
            Some('%') => lit.push('%'),
            Some(_) => {
                let a = args.get(i).ok_or(EvalError)?;
                i += 1;
                parts.push(Part::Lit(std::mem::take(&mut lit)));
                parts.extend(a.parts().ok_or(EvalError)?);
            }
            None => return Err(EvalError),
        }
    }
    parts.push(Part::Lit(lit));
    Ok(Value::from_parts(parts, span))
}

/// A Terraform regular expression (RE2 syntax; the `regex` crate is RE2-like: no
/// look-around or backreferences in either), with a bounded compiled size. An invalid
/// pattern is an error, as in Terraform (so `can(regex(...))` is false).
fn regex_of(pattern: &str) -> Result<regex::Regex, EvalError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| EvalError)
}

/// Standard base64 with padding (`filebase64`, `base64encode`).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `templatefile`: the file's text as a template, with `vars` as its only names. The
/// text is parsed as the body of a heredoc; a template that does not parse, or whose
/// directives are not followed, is unknown.
fn render_template(
    ev: &mut Evaluator<'_>,
    text: &str,
    vars: BTreeMap<String, Value>,
    span: Span,
) -> EvalResult {
    let mut marker = String::from("IACGUARD_TEMPLATE");
    while text.contains(&marker) {
        marker.push('X');
    }
    let source = format!("x = <<{marker}\n{text}\n{marker}\n");
    let parsed = crate::syntax::hcl::parse(&source, u32::MAX);
    let Some(body) = parsed.body else {
        return Ok(Value::unknown(span));
    };
    let Some(attr) = body.attr("x") else {
        return Ok(Value::unknown(span));
    };
    let bindings: Vec<(String, Value)> = vars.into_iter().collect();
    let mut inner = Evaluator::with_bindings(ev.scope, bindings);
    let v = inner
        .eval(&attr.expr)
        .unwrap_or_else(|_| Value::unknown(span));
    // The rendered text has no place of its own: it is the call's.
    Ok(Value {
        span,
        from: None,
        ..strip_spans(v, span)
    })
}

/// A value with every span set to `span` (its own spans point into a text no file holds).
fn strip_spans(mut v: Value, span: Span) -> Value {
    v.span = span;
    v.from = None;
    v.kind = match v.kind {
        Kind::List(items) => Kind::List(items.into_iter().map(|x| strip_spans(x, span)).collect()),
        Kind::Map(m) => Kind::Map(
            m.into_iter()
                .map(|(k, x)| (k, strip_spans(x, span)))
                .collect(),
        ),
        other => other,
    };
    v
}
