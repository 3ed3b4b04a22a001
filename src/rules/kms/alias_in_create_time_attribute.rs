//! KMS007 kms-alias-in-create-time-attribute: Terraform only; an alias in an attribute
//! that the service resolves at creation: perpetual replacement or diff, no rotation gain.

use crate::diagnostic::Diagnostic;
use crate::model::kms::Resolution;
use crate::resource::Framework;
use crate::rules::{Context, NoParams, Rule};

pub struct AliasInCreateTimeAttribute;

impl Rule for AliasInCreateTimeAttribute {
    type Params = NoParams;

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for c in &cx.model.kms_consumers {
            if c.meta.framework != Framework::Terraform
                || c.resolution != Resolution::AtCreation
                || !c.reference.is_alias()
            {
                continue;
            }
            let effect = match c.meta.rtype.as_str() {
                "aws_db_instance"
                | "aws_rds_cluster"
                | "aws_elasticache_replication_group"
                | "aws_redshift_cluster" => "Terraform plans a replacement on every run",
                "aws_dynamodb_table" => "Terraform shows a diff on every apply",
                _ => "the service stores the key ARN, so repointing the alias changes nothing",
            };
            let mut d = cx
                .finding(
                    c.value.span,
                    format!(
                        "{} of {} takes an alias in `{}`, which is resolved once at creation: {effect}",
                        c.service, c.meta.address, c.attribute
                    ),
                )
                .with_address(c.meta.address.clone())
                .with_help("reference the key ARN behind the alias: data.aws_kms_alias.<name>.target_key_arn");
            if let Some(from) = c.value.from {
                d = d.with_label(from, "alias set here");
            }
            out.push(d);
        }
    }
}
