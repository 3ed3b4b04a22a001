//! Adapters for IAM policy documents written as data sources: the Terraform and the CloudFormation reading side by side.

pub(in crate::adapt) mod terraform {
    use crate::adapt::In;
    use crate::model::policy::PolicyDocument;
    use crate::model::{Model, NamedPolicyDocument};

    /// `data.aws_iam_policy_document`.
    pub(in crate::adapt) fn data_iam_policy_document(x: &In<'_>, model: &mut Model) {
        let b = &x.r.body;
        let h = x.r.header;
        model.policy_documents.push(NamedPolicyDocument {
            meta: x.meta(),
            document: PolicyDocument::from_policy_document_body(b, h),
            rendered: "json",
        });
    }

    /// The Terraform resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] =
        &[("data.aws_iam_policy_document", data_iam_policy_document)];
}
