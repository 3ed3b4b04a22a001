//! APIGW002 apigw-stage-without-waf: a stage of an edge-optimized or regional REST API with
//! no WAF web ACL association. See `rules/APIGW002.md`.

use crate::diagnostic::Diagnostic;
use crate::model::apigateway::EndpointType;
use crate::model::Link;
use crate::rules::{Context, NoParams, Rule};

pub struct StageWithoutWaf;

impl Rule for StageWithoutWaf {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let model = cx.model;
        for stage in &model.api_stages {
            let Some(api) = stage.rest_api.linked().map(|&i| &model.rest_apis[i]) else {
                continue;
            };
            if !matches!(
                api.endpoint_type(),
                Some(EndpointType::Edge | EndpointType::Regional)
            ) {
                continue;
            }
            if stage.waf != Link::None {
                continue;
            }
            let what = if stage.meta.address == api.meta.address {
                match stage.name.known() {
                    Some(n) => format!("stage `{n}`"),
                    None => "the stage".to_string(),
                }
            } else {
                format!("stage {}", stage.meta.address)
            };
            let mut d = cx.finding(
                stage.meta.header,
                format!(
                    "{what} of REST API {} has no WAF web ACL association",
                    api.meta.address
                ),
            );
            if api.meta.header != stage.meta.header {
                d = d.with_label(api.meta.header, "REST API defined here");
            }
            out.push(
                d.with_address(stage.meta.address.clone()).with_help(
                    "associate a regional WAF web ACL with the stage (`aws_wafv2_web_acl_association` with `resource_arn` set to the stage ARN; CloudFormation `AWS::WAFv2::WebACLAssociation`)",
                ),
            );
        }
    }
}
