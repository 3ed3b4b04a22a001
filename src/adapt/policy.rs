//! Adapters for IAM policy documents written as data sources: the Terraform and the CloudFormation reading side by side.

pub(in crate::adapt) mod terraform {
    use crate::adapt::In;
    use crate::model::policy::{
        resource_paths, strings, Actions, Condition, Effect, PolicyDocument, Principal, Statement,
    };
    use crate::model::{Model, NamedPolicyDocument};
    use crate::source::Span;
    use crate::value::{Kind, Value};

    /// `data.aws_iam_policy_document`.
    pub(in crate::adapt) fn data_iam_policy_document(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.policy_documents.push(NamedPolicyDocument {
            meta: x.meta(),
            document: policy_document_body(b, h),
            rendered: "json",
        });
    }

    /// Reads a Terraform `aws_iam_policy_document` data source body.
    pub(in crate::adapt) fn policy_document_body(
        body: &Value,
        span: Span,
    ) -> Option<PolicyDocument> {
        // Statements merged in from other documents are not followed.
        for key in [
            "source_policy_documents",
            "override_policy_documents",
            "source_json",
            "override_json",
        ] {
            if body.get(key).is_some_and(|v| !v.is_null()) {
                return None;
            }
        }
        let mut statements = Vec::new();
        match body.get("statement").map(|s| &s.kind) {
            None | Some(Kind::List(_)) | Some(Kind::Map(_)) => {}
            Some(_) => return None,
        }
        for s in body.blocks("statement") {
            statements.push(statement_of_block(s));
        }
        Some(PolicyDocument { statements, span })
    }

    fn statement_of_block(s: &Value) -> Statement {
        let effect = match s.get("effect") {
            None => Some(Effect::Allow),
            Some(v) if v.is_null() => Some(Effect::Allow),
            Some(v) => match v.as_str() {
                Some("Allow") => Some(Effect::Allow),
                Some("Deny") => Some(Effect::Deny),
                _ => None,
            },
        };
        let principal = if s.get("not_principals").is_some_and(|v| !v.is_null()) {
            Principal::Not
        } else {
            principal_of_blocks(s)
        };
        let list = |key: &str| s.get(key).filter(|v| !v.is_null());
        let actions = match (list("actions"), list("not_actions")) {
            (Some(a), None) => strings(a).map_or(Actions::Unknown, Actions::Only),
            (None, Some(a)) => strings(a).map_or(Actions::Unknown, Actions::AllBut),
            _ => Actions::Unknown,
        };
        let resources = match (list("resources"), list("not_resources")) {
            (Some(r), None) => resource_paths(r),
            _ => None,
        };
        let conditions = match s.get("condition").map(|c| &c.kind) {
            None | Some(Kind::List(_)) | Some(Kind::Map(_)) => Some(
                s.blocks("condition")
                    .into_iter()
                    .map(|c| Condition {
                        operator: c
                            .get("test")
                            .and_then(Value::to_plain_string)
                            .unwrap_or_default(),
                        key: c.get("variable").and_then(Value::to_plain_string),
                        values: c.get("values").and_then(strings),
                    })
                    .collect(),
            ),
            Some(_) => None,
        };
        Statement {
            effect,
            principal,
            actions,
            resources,
            conditions,
            span: s.span,
        }
    }

    fn principal_of_blocks(s: &Value) -> Principal {
        match s.get("principals").map(|p| &p.kind) {
            None => return Principal::Unknown,
            Some(Kind::List(_)) | Some(Kind::Map(_)) => {}
            Some(_) => return Principal::Unknown,
        }
        let mut unknown = false;
        for p in s.blocks("principals") {
            let ty = p.get("type").and_then(Value::to_plain_string);
            match (ty.as_deref(), p.get("identifiers").and_then(strings)) {
                (Some(ty), Some(ids)) => {
                    for id in ids {
                        match id {
                            Some(id) if id == "*" && (ty == "*" || ty == "AWS") => {
                                return Principal::Anyone
                            }
                            Some(_) => {}
                            None => unknown = true,
                        }
                    }
                }
                _ => unknown = true,
            }
        }
        if unknown {
            Principal::Unknown
        } else {
            Principal::Named
        }
    }

    /// The Terraform resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] =
        &[("data.aws_iam_policy_document", data_iam_policy_document)];
}

/// SAM's `Auth.ResourcePolicy`, read into the policy document SAM generates.
pub(in crate::adapt) mod sam {
    use crate::model::policy::{
        statement_of_map, strings, Actions, Condition, Effect, PolicyDocument, Principal, Statement,
    };
    use crate::value::{Kind, Value};

    /// SAM `Auth.ResourcePolicy`: the statements SAM generates from it.
    pub(in crate::adapt) fn sam_resource_policy(rp: &Value) -> Option<PolicyDocument> {
        rp.as_map()?;
        let mut statements = Vec::new();
        if let Some(custom) = rp.get("CustomStatements") {
            let items: Vec<&Value> = match &custom.kind {
                Kind::List(items) => items.iter().collect(),
                Kind::Map(_) => vec![custom],
                _ => return None,
            };
            for i in items {
                statements.push(statement_of_map(i)?);
            }
        }
        let generated = |key: &str, cond_key: &str, operator: &str, effect: Effect| {
            rp.get(key).filter(|v| !v.is_null()).map(|v| Statement {
                effect: Some(effect),
                principal: Principal::Anyone,
                actions: Actions::Only(vec![Some("execute-api:Invoke".into())]),
                resources: Some(vec![Some("*".into())]),
                conditions: Some(vec![Condition {
                    operator: operator.into(),
                    key: Some(cond_key.into()),
                    values: strings(v),
                }]),
                span: v.span,
            })
        };
        statements.extend(
            [
                generated(
                    "IpRangeWhitelist",
                    "aws:SourceIp",
                    "IpAddress",
                    Effect::Allow,
                ),
                generated(
                    "IpRangeBlacklist",
                    "aws:SourceIp",
                    "IpAddress",
                    Effect::Deny,
                ),
                generated(
                    "SourceVpcWhitelist",
                    "aws:SourceVpce",
                    "StringEquals",
                    Effect::Allow,
                ),
                generated(
                    "IntrinsicVpcWhitelist",
                    "aws:SourceVpc",
                    "StringEquals",
                    Effect::Allow,
                ),
                generated(
                    "IntrinsicVpceWhitelist",
                    "aws:SourceVpce",
                    "StringEquals",
                    Effect::Allow,
                ),
                generated(
                    "SourceVpcBlacklist",
                    "aws:SourceVpce",
                    "StringEquals",
                    Effect::Deny,
                ),
            ]
            .into_iter()
            .flatten(),
        );
        if let Some(v) = rp.get("AwsAccountWhitelist").filter(|v| !v.is_null()) {
            statements.push(Statement {
                effect: Some(Effect::Allow),
                principal: Principal::Named,
                actions: Actions::Only(vec![Some("execute-api:Invoke".into())]),
                resources: Some(vec![Some("*".into())]),
                conditions: Some(Vec::new()),
                span: v.span,
            });
        }
        Some(PolicyDocument {
            statements,
            span: rp.span,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::policy::Verdict;
    use crate::source::Span;
    use crate::value::{Kind, Value};

    fn span() -> Span {
        Span::new(0, 0, 1)
    }

    fn is_open(v: Verdict<'_>) -> bool {
        matches!(v, Verdict::Open(_))
    }

    fn s(x: &str) -> Value {
        Value::new(Kind::Str(x.into()), span())
    }

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::new(
            Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            span(),
        )
    }

    fn list(items: Vec<Value>) -> Value {
        Value::new(Kind::List(items), span())
    }

    #[test]
    fn policy_document_data_source_with_anyone() {
        let body = map(vec![(
            "statement",
            list(vec![map(vec![
                ("actions", list(vec![s("execute-api:Invoke")])),
                ("resources", list(vec![s("execute-api:/*")])),
                (
                    "principals",
                    list(vec![map(vec![
                        ("type", s("*")),
                        ("identifiers", list(vec![s("*")])),
                    ])]),
                ),
            ])]),
        )]);
        let d = super::terraform::policy_document_body(&body, span()).expect("doc");
        assert!(is_open(d.anyone_verdict()));
    }

    #[test]
    fn policy_document_data_source_with_deny_outside_vpce() {
        let principals = || {
            list(vec![map(vec![
                ("type", s("AWS")),
                ("identifiers", list(vec![s("*")])),
            ])])
        };
        let body = map(vec![(
            "statement",
            list(vec![
                map(vec![
                    ("actions", list(vec![s("execute-api:Invoke")])),
                    ("resources", list(vec![s("execute-api:/*")])),
                    ("principals", principals()),
                ]),
                map(vec![
                    ("effect", s("Deny")),
                    ("actions", list(vec![s("execute-api:Invoke")])),
                    ("resources", list(vec![s("execute-api:/*")])),
                    ("principals", principals()),
                    (
                        "condition",
                        list(vec![map(vec![
                            ("test", s("StringNotEquals")),
                            ("variable", s("aws:SourceVpce")),
                            ("values", list(vec![s("vpce-1")])),
                        ])]),
                    ),
                ]),
            ]),
        )]);
        let d = super::terraform::policy_document_body(&body, span()).expect("doc");
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
        assert_eq!(d.vpc_verdict(), Verdict::Restricted);
    }

    #[test]
    fn sam_ip_whitelist_restricts() {
        let rp = map(vec![("IpRangeWhitelist", list(vec![s("10.0.0.0/8")]))]);
        let d = super::sam::sam_resource_policy(&rp).expect("doc");
        assert_eq!(d.anyone_verdict(), Verdict::Restricted);
        assert!(is_open(d.vpc_verdict()));
    }
}
