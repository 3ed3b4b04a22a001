//! Unit tests of expression evaluation and functions, including unknown propagation.

use super::eval::{EvalResult, Evaluator, Scope};
use crate::source::Span;
use crate::value::{Kind, Part, Reference, Value};

/// `var.known` is `"prod"`, `var.flag` is `true`; every other variable is unknown.
struct TestScope;

impl Scope for TestScope {
    fn var(&self, name: &str, span: Span) -> EvalResult {
        Ok(match name {
            "known" => Value::new(Kind::Str("prod".into()), span),
            "flag" => Value::new(Kind::Bool(true), span),
            _ => Value::unknown(span),
        })
    }
    fn local(&self, _: &str, span: Span) -> EvalResult {
        Ok(Value::unknown(span))
    }
    fn module(&self, _: &str, span: Span) -> EvalResult {
        Ok(Value::unknown(span))
    }
    fn ref_prefix(&self) -> &str {
        ""
    }
    fn path_module(&self) -> String {
        ".".into()
    }
}

fn eval(expr: &str) -> Value {
    let parsed = crate::syntax::hcl::parse(&format!("x = {expr}\n"), 0);
    let body = parsed
        .body
        .unwrap_or_else(|| panic!("does not parse: {expr}"));
    Evaluator::new(&TestScope).eval_attr(&body.attrs[0].expr)
}

fn json(expr: &str) -> serde_json::Value {
    let v = eval(expr);
    assert!(!v.has_unknown(), "{expr} is not fully known: {v:?}");
    crate::value::to_json(&v)
}

#[test]
fn literals_and_operators() {
    assert_eq!(json("1 + 2 * 3"), serde_json::json!(7));
    assert_eq!(json("\"a\" == \"a\" && !false"), serde_json::json!(true));
    assert_eq!(json("var.known == \"prod\" ? 1 : 2"), serde_json::json!(1));
    assert_eq!(
        json("[for s in [\"a\", \"b\"] : upper(s)]"),
        serde_json::json!(["A", "B"])
    );
    assert_eq!(
        json("{ for k, v in { a = 1 } : k => v + 1 }"),
        serde_json::json!({"a": 2})
    );
    assert_eq!(
        json("[{ a = 1 }, { a = 2 }][*].a"),
        serde_json::json!([1, 2])
    );
    assert_eq!(
        json("{ a = { b = [10, 20] } }.a.b[1]"),
        serde_json::json!(20)
    );
}

#[test]
fn unknown_propagates_and_short_circuits() {
    assert!(eval("var.nothing").is_unknown());
    assert!(eval("var.nothing + 1").is_unknown());
    assert!(eval("upper(var.nothing)").is_unknown());
    assert_eq!(json("false && var.nothing"), serde_json::json!(false));
    assert_eq!(json("var.nothing ? true : true"), serde_json::json!(true));
    assert!(eval("var.nothing ? 1 : 2").is_unknown());
    assert!(eval("no_such_function(1)").is_unknown());
}

#[test]
fn templates_keep_their_known_parts() {
    let v = eval("\"alias/${var.nothing}-s3\"");
    assert_eq!(
        v.kind,
        Kind::Template(vec![
            Part::Lit("alias/".into()),
            Part::Unknown,
            Part::Lit("-s3".into())
        ])
    );
    assert_eq!(
        json("\"alias/${var.known}\""),
        serde_json::json!("alias/prod")
    );
}

#[test]
fn references_stay_symbolic() {
    // An indexed reference keeps the instance it names.
    let v = eval("aws_kms_key.a[0].arn");
    assert_eq!(
        v.kind,
        Kind::Ref(Box::new(Reference {
            resource: "aws_kms_key.a".into(),
            attr: "arn".into(),
            instance: Some("[0]".into()),
        }))
    );
    let v = eval("aws_kms_key.a[\"s3\"].key_id");
    assert_eq!(
        v.as_ref().and_then(|r| r.instance.as_deref()),
        Some("[\"s3\"]")
    );
    // An index not statically known names the whole resource.
    let v = eval("aws_kms_key.a[var.nope].arn");
    assert_eq!(v.as_ref().map(|r| r.instance.is_none()), Some(true));
    let v = eval("data.aws_kms_alias.x.target_key_arn");
    assert_eq!(
        v.as_ref().map(|r| r.resource.as_str()),
        Some("data.aws_kms_alias.x")
    );
    let v = eval("\"${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-1.amazonaws.com\"");
    assert!(matches!(&v.kind, Kind::Template(p) if matches!(p[0], Part::Ref(_))));
}

#[test]
fn try_and_can() {
    assert_eq!(
        json("try({ a = 1 }.b, \"fallback\")"),
        serde_json::json!("fallback")
    );
    assert_eq!(json("can({ a = 1 }.a)"), serde_json::json!(true));
    assert_eq!(json("can({ a = 1 }.b)"), serde_json::json!(false));
    assert_eq!(
        json("can(regex(\"^alias/\", \"alias/x\"))"),
        serde_json::json!(true)
    );
}

#[test]
fn collection_functions() {
    assert_eq!(
        json("merge({ a = 1, b = 1 }, { b = 2 })"),
        serde_json::json!({"a": 1, "b": 2})
    );
    assert_eq!(json("concat([1], [2, 3])"), serde_json::json!([1, 2, 3]));
    assert_eq!(json("lookup({ a = 1 }, \"b\", 5)"), serde_json::json!(5));
    assert_eq!(json("coalesce(\"\", null, \"x\")"), serde_json::json!("x"));
    assert_eq!(json("coalescelist([], [1])"), serde_json::json!([1]));
    assert_eq!(
        json("compact([\"a\", \"\", null])"),
        serde_json::json!(["a"])
    );
    assert_eq!(json("contains([\"a\"], \"a\")"), serde_json::json!(true));
    assert_eq!(json("distinct([1, 1, 2])"), serde_json::json!([1, 2]));
    assert_eq!(json("element([\"a\", \"b\"], 3)"), serde_json::json!("b"));
    assert_eq!(
        json("flatten([[1], [2, [3]]])"),
        serde_json::json!([1, 2, 3])
    );
    assert_eq!(
        json("keys({ b = 1, a = 2 })"),
        serde_json::json!(["a", "b"])
    );
    assert_eq!(json("values({ b = 1, a = 2 })"), serde_json::json!([2, 1]));
    assert_eq!(json("length([1, 2])"), serde_json::json!(2));
    assert_eq!(json("one([\"x\"])"), serde_json::json!("x"));
    assert_eq!(json("zipmap([\"a\"], [1])"), serde_json::json!({"a": 1}));
    assert_eq!(json("range(3)"), serde_json::json!([0, 1, 2]));
    assert_eq!(json("alltrue([true, true])"), serde_json::json!(true));
    assert_eq!(json("anytrue([false, var.flag])"), serde_json::json!(true));
    assert_eq!(json("sort([\"b\", \"a\"])"), serde_json::json!(["a", "b"]));
    assert_eq!(json("reverse([1, 2])"), serde_json::json!([2, 1]));
    assert_eq!(json("setunion([1], [1, 2])"), serde_json::json!([1, 2]));
    assert_eq!(json("slice([1, 2, 3], 1, 3)"), serde_json::json!([2, 3]));
    assert_eq!(
        json("chunklist([1, 2, 3], 2)"),
        serde_json::json!([[1, 2], [3]])
    );
    assert_eq!(
        json("tolist(toset([\"a\", \"a\"]))"),
        serde_json::json!(["a"])
    );
    assert_eq!(json("tomap({ a = 1 })"), serde_json::json!({"a": 1}));
}

#[test]
fn string_functions() {
    assert_eq!(
        json("format(\"%s-%d\", \"a\", 1)"),
        serde_json::json!("a-1")
    );
    assert_eq!(
        json("join(\"-\", [\"a\", \"b\"])"),
        serde_json::json!("a-b")
    );
    assert_eq!(json("split(\",\", \"a,b\")"), serde_json::json!(["a", "b"]));
    assert_eq!(json("lower(\"AB\")"), serde_json::json!("ab"));
    assert_eq!(
        json("replace(\"a.b\", \".\", \"-\")"),
        serde_json::json!("a-b")
    );
    assert_eq!(
        json("regex(\"[0-9]+\", \"ab123\")"),
        serde_json::json!("123")
    );
    assert_eq!(json("substr(\"hello\", 1, 3)"), serde_json::json!("ell"));
    assert_eq!(
        json("trimprefix(\"alias/x\", \"alias/\")"),
        serde_json::json!("x")
    );
    assert_eq!(
        json("trimsuffix(\"x.tf\", \".tf\")"),
        serde_json::json!("x")
    );
    assert_eq!(
        json("startswith(\"alias/x\", \"alias/\")"),
        serde_json::json!(true)
    );
    assert_eq!(json("endswith(\"x.tf\", \".tf\")"), serde_json::json!(true));
    assert_eq!(json("tostring(1)"), serde_json::json!("1"));
    assert_eq!(json("tonumber(\"30\")"), serde_json::json!(30));
    assert_eq!(json("tobool(\"true\")"), serde_json::json!(true));
    assert_eq!(json("min(3, 1)"), serde_json::json!(1));
    assert_eq!(json("max(3, 1)"), serde_json::json!(3));
}

#[test]
fn json_functions() {
    assert_eq!(
        json("jsonencode({ Version = \"2012-10-17\" })"),
        serde_json::json!("{\"Version\":\"2012-10-17\"}")
    );
    assert_eq!(
        json("jsondecode(\"{\\\"a\\\": [1]}\")"),
        serde_json::json!({"a": [1]})
    );
    // A partly known document keeps its structure for the policy readers.
    let v = eval("jsonencode({ Resource = aws_s3_bucket.b.arn })");
    assert!(v.get("Resource").and_then(Value::as_ref).is_some());
}
