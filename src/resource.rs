//! Evaluated resource instances: the hand-off from the evaluators to the adapters.

use crate::diagnostic::{self, Diagnostic};
use crate::source::{FileId, Span};
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
    /// A Terraform resource that is not created, switched off by its `count` (0) or
    /// `for_each` (empty): the span of that switch, and where its value was set. Only the
    /// types whose absence a rule explains get such a placeholder
    /// ([`crate::adapt::explains_absence`]), adapted into
    /// [`crate::model::Model::switched_off_locks`].
    pub switched_off: Option<(Span, Option<Span>)>,
}

/// What a finding about a resource instance says whatever the rule (see
/// [`explain_instances`]).
#[derive(Debug, Clone)]
pub struct InstanceNote {
    pub address: String,
    pub ref_name: String,
    pub header: Span,
    pub maybe_absent: bool,
    pub call_sites: Vec<Span>,
    /// Call sites are stacks (a template deployed by a stack resource), not modules.
    pub by_stack: bool,
}

impl InstanceNote {
    /// The note of an instance, when it has something to say.
    pub fn of(r: &ResourceInstance) -> Option<InstanceNote> {
        (r.maybe_absent || !r.call_sites.is_empty()).then(|| InstanceNote {
            address: r.address.clone(),
            ref_name: r.ref_name.clone(),
            header: r.header,
            maybe_absent: r.maybe_absent,
            call_sites: r.call_sites.clone(),
            by_stack: r.framework == Framework::CloudFormation,
        })
    }
}

/// Adds what every finding about a resource should say, whatever the rule: where the
/// module holding it was called from, and that it may not be created at all.
pub fn explain_instances(findings: &mut [Diagnostic], instances: &[InstanceNote]) {
    let by_address: std::collections::HashMap<(&str, FileId), &InstanceNote> = instances
        .iter()
        .map(|r| ((r.address.as_str(), r.header.file), r))
        .collect();
    for d in findings {
        if let Some(r) = d
            .address
            .as_deref()
            .and_then(|a| by_address.get(&(a, d.primary.file)))
        {
            explain(d, r);
        }
    }
}

/// Adds what a finding about one resource instance should say (see
/// [`explain_instances`]).
pub fn explain(d: &mut Diagnostic, r: &InstanceNote) {
    if r.maybe_absent {
        d.message.push_str(
            " (the resource may not be created: its count, for_each or condition is not known statically)",
        );
    }
    let sites = &r.call_sites;
    for (i, site) in sites.iter().enumerate() {
        // The outermost and the innermost call say enough.
        if i == 0 || i + 1 == sites.len() {
            let what = match (i + 1 == sites.len(), r.by_stack) {
                (true, false) => "module instantiated here",
                (false, false) => "module chain starts here",
                (true, true) => "template deployed by this stack",
                (false, true) => "stack chain starts here",
            };
            d.labels.push(diagnostic::Label {
                span: *site,
                message: what.to_string(),
            });
        }
    }
}
