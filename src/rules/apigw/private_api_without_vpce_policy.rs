//! APIGW004 apigw-private-api-without-vpce-policy: a private REST API whose resource policy
//! is missing or does not restrict access to VPC endpoints or VPCs. See
//! `rules/APIGW004.md`.

use crate::diagnostic::Diagnostic;
use crate::model::apigateway::EndpointType;
use crate::model::policy::Verdict;
use crate::rules::{Context, NoParams, Rule};

pub struct PrivateApiWithoutVpcePolicy;

const HELP: &str = "allow `execute-api:Invoke` only with a condition on `aws:SourceVpce` or `aws:SourceVpc`, or add a `Deny` with `StringNotEquals` on `aws:SourceVpce`";

impl Rule for PrivateApiWithoutVpcePolicy {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for api in &cx.model.rest_apis {
            if api.endpoint_type() != Some(EndpointType::Private) {
                continue;
            }
            let name = &api.meta.address;
            let (policies, maybe) = cx.model.attached_policies(api);
            if policies.is_empty() {
                if !maybe {
                    let mut d = cx.finding(
                        api.meta.header,
                        format!("private REST API {name} has no resource policy restricting it to VPC endpoints or VPCs"),
                    );
                    if api.endpoint_types.is_explicit() {
                        d = d.with_label(api.endpoint_types.span, "PRIVATE endpoint type set here");
                    }
                    out.push(d.with_address(name.clone()).with_help(HELP));
                }
                continue;
            }
            let mut open = None;
            let mut settled = false;
            for p in &policies {
                match p.document.as_ref().map(|d| d.vpc_verdict()) {
                    Some(Verdict::Open(s)) => {
                        open.get_or_insert((*p, s));
                    }
                    _ => settled = true,
                }
            }
            let Some((policy, statement)) = open.filter(|_| !settled) else {
                continue;
            };
            let mut d = cx.finding(
                statement.span,
                format!("resource policy of private REST API {name} grants access without restricting it to VPC endpoints or VPCs"),
            );
            if statement.span != policy.span {
                d = d.with_label(policy.span, "policy attached here");
            }
            out.push(d.with_address(policy.carrier.clone()).with_help(HELP));
        }
    }
}
