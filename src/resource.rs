//! Evaluated resource instances: the hand-off from the evaluators to the adapters.

use crate::source::Span;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Framework {
    #[serde(rename = "terraform")]
    Terraform,
    #[serde(rename = "cloudformation")]
    CloudFormation,
}

/// One resource instance after evaluation, before adaptation to the AWS model.
#[derive(Debug, Clone)]
pub struct ResourceInstance {
    pub framework: Framework,
    /// `aws_kms_key`, `data.aws_kms_alias`, `AWS::KMS::Key`.
    pub rtype: String,
    /// The instance address: `module.m.aws_kms_key.a[0]`, or a CFN logical id.
    pub address: String,
    /// The address that references name (no instance keys): `module.m.aws_kms_key.a`.
    pub ref_name: String,
    /// `resource "aws_kms_key" "a"` or the logical id key.
    pub header: Span,
    /// Attributes and nested blocks (a map).
    pub body: Value,
    /// Provider `default_tags` that apply to this instance (Terraform).
    pub default_tags: Option<Value>,
    /// Whether the resource may be absent (unknown `count`, unknown CFN condition).
    pub maybe_absent: bool,
    /// The module instance (Terraform: directory and address prefix) or template
    /// (CloudFormation) the resource belongs to; references resolve within it.
    pub scope: String,
    /// Where the instance was instantiated from (module call sites), outermost first.
    pub call_sites: Vec<Span>,
}
