//! APIGW003 apigw-resource-policy-allows-anyone: a resource policy that lets anyone invoke
//! the API without a condition on network, VPC endpoint, organization or account. See
//! `rules/APIGW003.md`.

use crate::diagnostic::Diagnostic;
use crate::model::policy::Verdict;
use crate::model::ApiPolicy;
use crate::rules::{Context, NoParams, Rule};

pub struct ResourcePolicyAllowsAnyone;

impl Rule for ResourcePolicyAllowsAnyone {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let own = cx.model.rest_apis.iter().flat_map(|a| {
            a.policies
                .iter()
                .map(move |p| (p, format!("of REST API {}", a.meta.address)))
        });
        let separate = cx
            .model
            .rest_api_policies
            .iter()
            .map(|p| (&p.policy, p.meta.address.clone()));
        for (policy, what) in own.chain(separate) {
            report(cx, policy, &what, out);
        }
    }
}

fn report(cx: &Context<'_>, policy: &ApiPolicy, what: &str, out: &mut Vec<Diagnostic>) {
    let Some(doc) = &policy.document else {
        return;
    };
    let Verdict::Open(statement) = doc.anyone_verdict() else {
        return;
    };
    let mut d = cx.finding(
        statement.span,
        format!(
            "resource policy {what} allows anyone to invoke the API without a condition that restricts the source IP, VPC endpoint, VPC or organization"
        ),
    );
    if statement.span != policy.span {
        d = d.with_label(policy.span, "policy attached here");
    }
    d = d.with_origin(policy.from);
    out.push(d.with_address(policy.carrier.clone()).with_help(
        "add a condition on `aws:SourceIp` (ranges narrower than `0.0.0.0/0` and `::/0`), `aws:SourceVpce`, `aws:SourceVpc` or `aws:PrincipalOrgID` to the `Allow`, or a `Deny` of `execute-api:Invoke` with the negated condition (`NotIpAddress`, `StringNotEquals`)",
    ));
}
