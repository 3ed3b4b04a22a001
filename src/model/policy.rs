//! IAM-style policy documents (API Gateway resource policies), whatever their form: a JSON
//! string (also a heredoc with interpolations), a map (`jsonencode({...})` of a partly
//! known value, a CloudFormation map), or the statements the policy adapter reads from a
//! Terraform `aws_iam_policy_document` body or a SAM `Auth.ResourcePolicy`.
//!
//! Everything here is three-valued: a question about a document that is not statically
//! known is answered "unknown", which rules never report.

use crate::source::Span;
use crate::value::{Kind, Part, Value};
use std::collections::BTreeMap;

/// Condition keys that restrict who, or from where, a statement applies to.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:sourceip",
    "aws:vpcsourceip",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
];

/// Condition keys of a time window: an `Allow` to anyone that only holds inside one (or
/// never, for a window in the past) is not open to anyone at any time.
const TIME_KEYS: &[&str] = &["aws:currenttime", "aws:epochtime"];

/// Source IP ranges that admit every address.
const ANY_ADDRESS: &[&str] = &["0.0.0.0/0", "::/0"];

/// Condition keys that restrict a statement to VPC endpoints or VPCs.
const VPC_KEYS: &[&str] = &["aws:sourcevpce", "aws:sourcevpc"];

/// Stands for an interpolation while a heredoc JSON template is parsed.
const HOLE: &str = "__iacguard_unknown_value__";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`.
    Anyone,
    /// Named accounts, roles, services.
    Named,
    /// `NotPrincipal`: everyone but the named ones.
    Not,
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Actions {
    /// `Action`; `None` entries are not statically known.
    Only(Vec<Option<String>>),
    /// `NotAction`.
    AllBut(Vec<Option<String>>),
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// `StringEquals`, `ForAnyValue:StringLike`, `NotIpAddress`, ...
    pub operator: String,
    /// `aws:SourceIp`; `None` when not statically known.
    pub key: Option<String>,
    /// The values compared against; `None` when not statically known (a `None` entry
    /// is one value not statically known).
    pub values: Option<Vec<Option<String>>>,
}

impl Condition {
    /// `StringNotEquals`, `NotIpAddress`, `ArnNotLike` (set operators and `IfExists` aside).
    fn is_negated(&self) -> bool {
        let op = self
            .operator
            .rsplit(':')
            .next()
            .unwrap_or(&self.operator)
            .trim_end_matches("IfExists");
        op.contains("Not")
    }

    /// A time condition that ends access (`DateLessThan aws:CurrentTime`,
    /// `NumericLessThan aws:EpochTime`): a window, closed or closing. A start alone
    /// (`DateGreaterThan`) leaves access open from then on.
    fn ends_in_time(&self) -> bool {
        self.key
            .as_deref()
            .is_some_and(|k| TIME_KEYS.contains(&k.to_ascii_lowercase().as_str()))
            && self.operator.contains("LessThan")
    }

    fn is_null_check(&self) -> bool {
        self.operator.ends_with("Null")
    }

    /// An `aws:SourceIp` condition with a range of all addresses (`0.0.0.0/0`, `::/0`):
    /// every caller of that address family matches it, so it keeps no one out (an
    /// `IpAddress` admits them all; a `NotIpAddress` in a `Deny` denies none of them).
    fn admits_every_address(&self) -> bool {
        self.key
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("aws:SourceIp"))
            && self.values.as_ref().is_some_and(|vs| {
                !vs.is_empty()
                    && vs.iter().any(|v| {
                        v.as_deref()
                            .is_some_and(|v| ANY_ADDRESS.contains(&v.trim()))
                    })
            })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `None` when not statically known.
    pub effect: Option<Effect>,
    pub principal: Principal,
    pub actions: Actions,
    /// Resource paths after the API id (`*`, `prod/GET/pets`); `None` when not known or
    /// given as `NotResource`; a `None` entry is a resource not statically known.
    pub resources: Option<Vec<Option<String>>>,
    /// `None` when the condition block is not statically known.
    pub conditions: Option<Vec<Condition>>,
    /// The statement, or the whole document when it was a JSON string.
    pub span: Span,
}

impl Statement {
    /// Whether the statement applies to `execute-api:Invoke`.
    pub fn covers_invoke(&self) -> Option<bool> {
        let any_match = |list: &[Option<String>]| -> Option<bool> {
            let mut unknown = false;
            for a in list {
                match a {
                    Some(a) if glob(&a.to_ascii_lowercase(), "execute-api:invoke") => {
                        return Some(true)
                    }
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            if unknown {
                None
            } else {
                Some(false)
            }
        };
        match &self.actions {
            Actions::Only(list) => any_match(list),
            Actions::AllBut(list) => any_match(list).map(|m| !m),
            Actions::Unknown => None,
        }
    }

    /// Whether a condition on one of `keys` is present, negated (`NotIpAddress`) or not.
    fn has_condition(&self, keys: &[&str], negated: bool) -> Option<bool> {
        let conditions = self.conditions.as_ref()?;
        let mut unknown = false;
        for c in conditions {
            if c.is_null_check() || c.admits_every_address() {
                continue;
            }
            match &c.key {
                Some(k) => {
                    let lower = k.to_ascii_lowercase();
                    let timed = TIME_KEYS.contains(&lower.as_str());
                    if c.is_negated() == negated
                        && keys.contains(&lower.as_str())
                        && (!timed || c.ends_in_time())
                    {
                        return Some(true);
                    }
                }
                None => unknown = true,
            }
        }
        if unknown {
            None
        } else {
            Some(false)
        }
    }

    /// Whether this statement's resources include every resource of `other`.
    fn covers_resources_of(&self, other: &Statement) -> Option<bool> {
        let mine = self.resources.as_ref()?;
        let theirs = other.resources.as_ref()?;
        let mut unknown = false;
        for t in theirs {
            let Some(t) = t else {
                unknown = true;
                continue;
            };
            let mut covered = Some(false);
            for m in mine {
                match m {
                    Some(m) if glob(m, t) => {
                        covered = Some(true);
                        break;
                    }
                    Some(_) => {}
                    None => covered = None,
                }
            }
            match covered {
                Some(true) => {}
                Some(false) => return Some(false),
                None => unknown = true,
            }
        }
        if unknown {
            None
        } else {
            Some(true)
        }
    }

    /// Whether a `Deny` statement (this one) takes away `allow` for every caller outside
    /// a network or organisation given by `keys`: the pattern AWS documents
    /// (`Allow *` + `Deny` with `NotIpAddress aws:SourceIp`).
    fn denies_outside(&self, allow: &Statement, keys: &[&str]) -> Option<bool> {
        if self.effect != Some(Effect::Deny) || self.principal == Principal::Named {
            return Some(false);
        }
        let checks = [
            self.covers_invoke(),
            self.has_condition(keys, true),
            self.covers_resources_of(allow),
        ];
        if checks.contains(&Some(false)) {
            Some(false)
        } else if checks.contains(&None) || self.principal != Principal::Anyone {
            None
        } else {
            Some(true)
        }
    }
}

/// What a policy says about one kind of restriction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict<'a> {
    /// Every grant of `execute-api:Invoke` is restricted.
    Restricted,
    /// This statement grants access without the restriction.
    Open(&'a Statement),
    /// Not statically known.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
    /// The policy value.
    pub span: Span,
}

impl PolicyDocument {
    /// Reads a policy written as a JSON string, a JSON template or a map.
    /// `None` when the document is not statically known.
    pub fn from_value(v: &Value) -> Option<PolicyDocument> {
        let map = json_value(v)?;
        Self::from_map(&map, v.span)
    }

    fn from_map(doc: &Value, span: Span) -> Option<PolicyDocument> {
        let statements: Option<Vec<Statement>> = match doc.get("Statement").map(|s| &s.kind) {
            Some(Kind::List(items)) => items.iter().map(statement_of_map).collect(),
            Some(Kind::Map(_)) => doc
                .get("Statement")
                .and_then(statement_of_map)
                .map(|s| vec![s]),
            _ => None,
        };
        Some(PolicyDocument {
            statements: statements?,
            span,
        })
    }

    /// Whether the policy lets anyone invoke the API without a condition on the caller's
    /// network, VPC endpoint, organisation or account.
    pub fn anyone_verdict(&self) -> Verdict<'_> {
        self.verdict(RESTRICTING_KEYS, true)
    }

    /// Whether every grant is restricted to VPC endpoints or VPCs (any principal).
    pub fn vpc_verdict(&self) -> Verdict<'_> {
        self.verdict(VPC_KEYS, false)
    }

    fn verdict(&self, keys: &[&str], anyone_only: bool) -> Verdict<'_> {
        if self
            .statements
            .iter()
            .any(|s| s.principal == Principal::Not || s.effect.is_none())
        {
            return Verdict::Unknown;
        }
        let mut unknown = false;
        'allows: for allow in &self.statements {
            if allow.effect != Some(Effect::Allow) {
                continue;
            }
            if anyone_only && allow.principal != Principal::Anyone {
                if allow.principal == Principal::Unknown {
                    unknown = true;
                }
                continue;
            }
            match allow.covers_invoke() {
                Some(false) => continue,
                None => {
                    unknown = true;
                    continue;
                }
                Some(true) => {}
            }
            let allow_keys: Vec<&str> = if anyone_only {
                keys.iter().chain(TIME_KEYS).copied().collect()
            } else {
                keys.to_vec()
            };
            match allow.has_condition(&allow_keys, false) {
                Some(true) => continue,
                None => {
                    unknown = true;
                    continue;
                }
                Some(false) => {}
            }
            let mut maybe = false;
            for deny in &self.statements {
                match deny.denies_outside(allow, keys) {
                    Some(true) => continue 'allows,
                    None => maybe = true,
                    Some(false) => {}
                }
            }
            if maybe {
                unknown = true;
                continue;
            }
            return Verdict::Open(allow);
        }
        if unknown {
            Verdict::Unknown
        } else {
            Verdict::Restricted
        }
    }
}

pub(crate) fn statement_of_map(s: &Value) -> Option<Statement> {
    s.as_map()?;
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Some(Effect::Allow),
        Some("Deny") => Some(Effect::Deny),
        _ => None,
    };
    let principal = if s.get("NotPrincipal").is_some() {
        Principal::Not
    } else {
        match s.get("Principal") {
            Some(p) => principal_of(p),
            None => Principal::Unknown,
        }
    };
    let actions = match (s.get("Action"), s.get("NotAction")) {
        (Some(a), None) => strings(a).map_or(Actions::Unknown, Actions::Only),
        (None, Some(a)) => strings(a).map_or(Actions::Unknown, Actions::AllBut),
        _ => Actions::Unknown,
    };
    let resources = match (s.get("Resource"), s.get("NotResource")) {
        (Some(r), None) => resource_paths(r),
        _ => None,
    };
    let conditions = match s.get("Condition").map(|c| &c.kind) {
        None | Some(Kind::Null) => Some(Vec::new()),
        Some(Kind::Map(ops)) => {
            let mut out = Vec::new();
            let mut known = true;
            for (op, keys) in ops {
                match &keys.kind {
                    Kind::Map(keys) => {
                        for (k, v) in keys {
                            out.push(Condition {
                                operator: op.clone(),
                                key: (!k.contains(HOLE)).then(|| k.clone()),
                                values: strings(v),
                            });
                        }
                    }
                    _ => known = false,
                }
            }
            known.then_some(out)
        }
        Some(_) => None,
    };
    Some(Statement {
        effect,
        principal,
        actions,
        resources,
        conditions,
        span: s.span,
    })
}

fn principal_of(p: &Value) -> Principal {
    match &p.kind {
        Kind::Str(s) if s == "*" => Principal::Anyone,
        Kind::Str(s) if s.contains(HOLE) => Principal::Unknown,
        Kind::Map(m) => {
            let mut unknown = false;
            for (k, v) in m {
                match strings(v) {
                    Some(list) => {
                        for x in list {
                            match x {
                                Some(x) if x == "*" && k == "AWS" => return Principal::Anyone,
                                Some(_) => {}
                                None => unknown = true,
                            }
                        }
                    }
                    None => unknown = true,
                }
            }
            if unknown {
                Principal::Unknown
            } else {
                Principal::Named
            }
        }
        _ => Principal::Unknown,
    }
}

/// A string or a list of strings; `None` entries are not statically known.
pub(crate) fn strings(v: &Value) -> Option<Vec<Option<String>>> {
    let one = |x: &Value| x.to_plain_string().filter(|s| !s.contains(HOLE));
    match &v.kind {
        Kind::List(items) => Some(items.iter().map(one).collect()),
        Kind::Str(_) | Kind::Template(_) | Kind::Ref(_) => Some(vec![one(v)]),
        _ => None,
    }
}

/// Resources as paths after the API id: `execute-api:/*` and
/// `arn:aws:execute-api:region:account:api-id/*` both give `*`.
pub(crate) fn resource_paths(v: &Value) -> Option<Vec<Option<String>>> {
    let items: Vec<&Value> = match &v.kind {
        Kind::List(items) => items.iter().collect(),
        _ => vec![v],
    };
    Some(items.into_iter().map(resource_path).collect())
}

fn resource_path(v: &Value) -> Option<String> {
    let text: String = v
        .parts()?
        .iter()
        .map(|p| match p {
            Part::Lit(l) => l.replace(HOLE, "\0"),
            _ => "\0".to_string(),
        })
        .collect();
    if text == "*" {
        return Some(text);
    }
    let (_, path) = text.split_once('/')?;
    (!path.contains('\0')).then(|| path.to_string())
}

/// Glob matching with `*` and `?`, as IAM does for actions and resources.
fn glob(pattern: &str, text: &str) -> bool {
    super::backup::glob_match(pattern, text)
}

/// A document as a map: a map as is, or a JSON string (or a JSON template whose
/// interpolations become holes) parsed into one.
pub fn json_value(v: &Value) -> Option<Value> {
    match &v.kind {
        Kind::Map(_) => Some(v.clone()),
        Kind::Str(s) => parse_json(s, v.span),
        Kind::Template(parts) => {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(l) => l.as_str(),
                    _ => HOLE,
                })
                .collect();
            parse_json(&text, v.span)
        }
        _ => None,
    }
}

fn parse_json(text: &str, span: Span) -> Option<Value> {
    let j: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(from_json(&j, span))
}

fn from_json(j: &serde_json::Value, span: Span) -> Value {
    let kind = match j {
        serde_json::Value::Null => Kind::Null,
        serde_json::Value::Bool(b) => Kind::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Kind::Unknown, Kind::Number),
        serde_json::Value::String(s) if s == HOLE => Kind::Unknown,
        serde_json::Value::String(s) => Kind::Str(s.clone()),
        serde_json::Value::Array(a) => Kind::List(a.iter().map(|x| from_json(x, span)).collect()),
        serde_json::Value::Object(o) => Kind::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v, span)))
                .collect::<BTreeMap<_, _>>(),
        ),
    };
    Value::new(kind, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span::new(0, 0, 1)
    }

    fn doc(json: &str) -> PolicyDocument {
        PolicyDocument::from_value(&Value::new(Kind::Str(json.into()), span()))
            .expect("policy parses")
    }

    fn is_open(v: Verdict<'_>) -> bool {
        matches!(v, Verdict::Open(_))
    }

    const ALLOW_ANYONE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;

    #[test]
    fn allow_star_without_condition_is_open() {
        assert!(is_open(doc(ALLOW_ANYONE).anyone_verdict()));
    }

    #[test]
    fn aws_star_principal_is_anyone() {
        let d = doc(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},
            "Action":"execute-api:*","Resource":"*"}}"#);
        assert!(is_open(d.anyone_verdict()));
    }

    #[test]
    fn wildcard_action_covers_invoke() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},
            "Action":"*","Resource":"*"}]}"#,
        );
        assert!(is_open(d.anyone_verdict()));
    }

    #[test]
    fn other_actions_are_not_invoke() {
        let d = doc(r#"{"Statement":[{"Effect":"Allow","Principal":"*",
            "Action":"execute-api:ManageConnections","Resource":"*"}]}"#);
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn source_ip_condition_restricts() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
            "Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}]}"#,
        );
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn org_condition_restricts() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
            "Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#,
        );
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn unrelated_condition_does_not_restrict() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
            "Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#,
        );
        assert!(is_open(d.anyone_verdict()));
    }

    const ALLOW_DENY_IP: &str = r#"{"Statement":[
        {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
        {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
         "Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24"]}}}]}"#;

    #[test]
    fn allow_star_with_deny_not_ip_address_is_restricted() {
        assert_eq!(doc(ALLOW_DENY_IP).anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn ip_restriction_does_not_satisfy_vpc_restriction() {
        assert!(is_open(doc(ALLOW_DENY_IP).vpc_verdict()));
    }

    #[test]
    fn deny_outside_vpce_is_a_vpc_restriction() {
        let d = doc(r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}"#);
        assert_eq!(d.vpc_verdict(), Verdict::Restricted);
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn allow_with_source_vpc_condition_is_a_vpc_restriction() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},
            "Action":"execute-api:Invoke","Resource":"*",
            "Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}"#,
        );
        assert_eq!(d.vpc_verdict(), Verdict::Restricted);
    }

    #[test]
    fn named_principal_without_vpc_condition_is_not_a_vpc_restriction() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},
            "Action":"execute-api:Invoke","Resource":"*"}]}"#,
        );
        assert!(is_open(d.vpc_verdict()));
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn deny_on_a_narrower_resource_does_not_restrict() {
        let d = doc(r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
             "Resource":"execute-api:/prod/POST/admin",
             "Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}"#);
        assert!(is_open(d.anyone_verdict()));
    }

    #[test]
    fn full_arn_resources_compare_by_path() {
        let d = doc(r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
             "Resource":"arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
             "Resource":"execute-api:/*",
             "Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}"#);
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn not_principal_is_unknown() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},
            "Action":"execute-api:Invoke","Resource":"*"}]}"#,
        );
        assert_eq!(d.anyone_verdict(), Verdict::Unknown);
    }

    #[test]
    fn not_action_without_invoke_covers_invoke() {
        let d = doc(r#"{"Statement":[{"Effect":"Allow","Principal":"*",
            "NotAction":"execute-api:ManageConnections","Resource":"*"}]}"#);
        assert!(is_open(d.anyone_verdict()));
    }

    #[test]
    fn interpolated_principal_is_unknown() {
        let v = Value::new(
            Kind::Template(vec![
                Part::Lit(r#"{"Statement":[{"Effect":"Allow","Principal":""#.into()),
                Part::Unknown,
                Part::Lit(r#"","Action":"execute-api:Invoke","Resource":"*"}]}"#.into()),
            ]),
            span(),
        );
        let d = PolicyDocument::from_value(&v).expect("template parses");
        assert_eq!(d.anyone_verdict(), Verdict::Unknown);
    }

    #[test]
    fn interpolated_resource_keeps_its_known_path() {
        let v = Value::new(
            Kind::Template(vec![
                Part::Lit(
                    r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":""#
                        .into(),
                ),
                Part::Unknown,
                Part::Lit(r#"/*"}]}"#.into()),
            ]),
            span(),
        );
        let d = PolicyDocument::from_value(&v).expect("template parses");
        assert!(is_open(d.anyone_verdict()));
        assert_eq!(d.statements[0].resources, Some(vec![Some("*".into())]));
    }

    #[test]
    fn unknown_condition_key_is_unknown() {
        let mut keys = BTreeMap::new();
        keys.insert(HOLE.to_string(), Value::new(Kind::Str("x".into()), span()));
        let mut ops = BTreeMap::new();
        ops.insert(
            "StringEquals".to_string(),
            Value::new(Kind::Map(keys), span()),
        );
        let mut s = BTreeMap::new();
        for (k, v) in [
            ("Effect", "Allow"),
            ("Principal", "*"),
            ("Action", "execute-api:Invoke"),
            ("Resource", "*"),
        ] {
            s.insert(k.to_string(), Value::new(Kind::Str(v.into()), span()));
        }
        s.insert("Condition".into(), Value::new(Kind::Map(ops), span()));
        let mut d = BTreeMap::new();
        d.insert(
            "Statement".to_string(),
            Value::new(Kind::List(vec![Value::new(Kind::Map(s), span())]), span()),
        );
        let d = PolicyDocument::from_value(&Value::new(Kind::Map(d), span())).expect("map");
        assert_eq!(d.anyone_verdict(), Verdict::Unknown);
    }

    #[test]
    fn heredoc_with_references_keeps_the_deny_pattern() {
        let lit = |s: &str| Part::Lit(s.into());
        let arn = || {
            Part::Ref(Box::new(crate::value::Reference {
                resource: "rest_api.private".into(),
                attr: "execution_arn".into(),
                instance: None,
            }))
        };
        let v = Value::new(
            Kind::Template(vec![
                lit(
                    r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":[""#,
                ),
                arn(),
                lit(
                    r#"/*"]},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":[""#,
                ),
                arn(),
                lit(r#"/*"],"Condition":{"StringNotEquals":{"aws:SourceVpc":""#),
                Part::Unknown,
                lit(r#""}}}]}"#),
            ]),
            span(),
        );
        let d = PolicyDocument::from_value(&v).expect("template parses");
        assert_eq!(d.vpc_verdict(), Verdict::Restricted);
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
    }

    #[test]
    fn not_json_is_not_a_document() {
        let v = Value::new(Kind::Str("not json".into()), span());
        assert!(PolicyDocument::from_value(&v).is_none());
    }

    #[test]
    fn glob_matches_like_iam() {
        assert!(glob("execute-api:*", "execute-api:invoke"));
        assert!(glob("*", "anything"));
        assert!(glob("prod/*", "prod/GET/pets"));
        assert!(!glob("prod/POST/*", "prod/GET/pets"));
    }
}
