//! What the audit keeps of each group's model: the resources each rule applies to (its
//! `subject` in `rules/<ID>.md`), with the fields left unknown and what makes a rule not
//! applicable to one of them.

use crate::model::apigateway::EndpointType;
use crate::model::kms::{KeyOrigin, Resolution};
use crate::model::{Model, ResourceMeta, Val};
use crate::source::Span;

/// One resource of a subject, as the audit needs it once the model is dropped.
#[derive(Debug, Clone)]
pub struct Subject {
    /// `kms-key`, `kms-consumer`, ... (the `subject` of rule documents).
    pub kind: &'static str,
    pub address: String,
    pub rtype: String,
    pub header: Span,
    /// The Terraform root module (or template) it is deployed from.
    pub root: String,
    /// The `Environment`/`env` tag, when statically known.
    pub environment_tag: Option<String>,
    /// Fields a rule may read that are not statically known: (model field, attribute as
    /// written, span).
    pub unknown: Vec<(&'static str, &'static str, Span)>,
    /// Rules that do not apply to this resource, and why.
    pub not_applicable: Vec<(&'static str, String)>,
}

/// Every subject kind, for the rule documents' meta-test.
pub const KINDS: &[&str] = &[
    "kms-key",
    "kms-consumer",
    "backup-vault",
    "vault-lock",
    "backup-eligible",
    "taggable",
    "rest-api",
    "http-api",
    "api-stage",
    "cloudfront-distribution",
];

fn subject(kind: &'static str, meta: &ResourceMeta) -> Subject {
    let environment_tag = ["Environment", "environment", "Env", "env"]
        .iter()
        .find_map(|t| meta.tags.get(t).and_then(|v| v.to_plain_string()));
    Subject {
        kind,
        address: meta.address.clone(),
        rtype: meta.rtype.clone(),
        header: meta.header,
        root: crate::model::root_of(&meta.ref_name).to_string(),
        environment_tag,
        unknown: Vec::new(),
        not_applicable: Vec::new(),
    }
}

impl Subject {
    fn unknown<T>(mut self, field: &'static str, v: &Val<T>) -> Subject {
        // Set but not statically known; an attribute left out has its default.
        if v.known().is_none() && v.is_explicit() {
            self.unknown.push((field, v.attr, v.span));
        }
        self
    }

    fn not_applicable(mut self, rules: &[&'static str], why: Option<String>) -> Subject {
        if let Some(why) = why {
            for r in rules {
                self.not_applicable.push((r, why.clone()));
            }
        }
        self
    }
}

/// The subjects of one linked model.
pub fn of(model: &Model) -> Vec<Subject> {
    let mut out = Vec::new();
    for k in &model.kms_keys {
        let unsupported = k.rotation_unsupported().map(|u| u.reason);
        let imported = match k.origin.known() {
            Some(KeyOrigin::External) | None => None,
            Some(_) => Some("the key's material is not imported (origin is not EXTERNAL)".into()),
        };
        let replica = k
            .is_replica()
            .then(|| "a multi-Region replica: its rotation is its primary key's".to_string());
        out.push(
            subject("kms-key", &k.meta)
                .unknown("origin", &k.origin)
                .unknown("spec", &k.spec)
                .unknown("usage", &k.usage)
                .unknown("rotation_enabled", &k.rotation_enabled)
                .unknown("rotation_period_days", &k.rotation_period_days)
                .unknown("deletion_window_days", &k.deletion_window_days)
                .unknown("enabled", &k.enabled)
                .unknown("valid_to", &k.valid_to)
                .not_applicable(
                    &["KMS002", "KMS004"],
                    replica.clone().or_else(|| {
                        unsupported
                            .as_ref()
                            .map(|r| format!("KMS cannot rotate {r} automatically"))
                    }),
                )
                .not_applicable(&["KMS012"], replica)
                .not_applicable(&["KMS003", "KMS009"], imported),
        );
    }
    for c in &model.kms_consumers {
        let per_request = (c.resolution == Resolution::PerRequest).then(|| {
            format!(
                "{} resolves its key per request, nothing is stored at creation",
                c.service
            )
        });
        let mut s = subject("kms-consumer", &c.meta).not_applicable(&["KMS007"], per_request);
        if c.key.is_maybe() {
            s.unknown.push(("key", c.attribute, c.value.span));
        }
        out.push(s);
    }
    for v in &model.backup_vaults {
        out.push(
            subject("backup-vault", &v.meta)
                .unknown("key", &v.key)
                .unknown("force_destroy", &v.force_destroy),
        );
    }
    for l in &model.vault_locks {
        out.push(
            subject("vault-lock", &l.meta)
                .unknown("min_retention_days", &l.min_retention_days)
                .unknown("max_retention_days", &l.max_retention_days)
                .unknown("changeable_for_days", &l.changeable_for_days),
        );
    }
    for t in &model.taggables {
        out.push(subject("taggable", &t.meta));
        if t.backup_eligible {
            out.push(subject("backup-eligible", &t.meta));
        }
    }
    for a in &model.rest_apis {
        let types = a.endpoint_types.known();
        let private = types.map(|t| t.contains(&EndpointType::Private));
        out.push(
            subject("rest-api", &a.meta)
                .unknown("endpoint_types", &a.endpoint_types)
                .unknown("execute_api_disabled", &a.execute_api_disabled)
                .not_applicable(
                    &["APIGW001"],
                    (private == Some(true)).then(|| "a private API".to_string()),
                )
                .not_applicable(
                    &["APIGW004"],
                    (private == Some(false)).then(|| "not a private API".to_string()),
                ),
        );
    }
    for a in &model.http_apis {
        out.push(
            subject("http-api", &a.meta)
                .unknown("protocol", &a.protocol)
                .unknown("execute_api_disabled", &a.execute_api_disabled),
        );
    }
    for s in &model.api_stages {
        out.push(subject("api-stage", &s.meta));
    }
    for d in &model.cloudfront_distributions {
        out.push(subject("cloudfront-distribution", &d.meta));
    }
    out
}
