//! KMS011 kms-rotation-not-monitored: customer keys, but no AWS Config rule that checks
//! their rotation (`CMK_BACKING_KEY_ROTATION_ENABLED`). The rule may be deployed from
//! another root module or template than the keys: it reports once every group is
//! gathered.

use crate::diagnostic::Diagnostic;
use crate::model::ResourceMeta;
use crate::rules::{Context, Rule, TreeContext, TreeFacts};

pub struct RotationNotMonitored;

/// The managed AWS Config rule that reports keys without rotation.
pub const ROTATION_RULE: &str = "CMK_BACKING_KEY_ROTATION_ENABLED";

/// The customer keys of the tree, and whether a Config rule may monitor them.
#[derive(Debug, Default)]
pub struct KeyCount {
    pub count: usize,
    /// The first key, by location.
    pub first: Option<Box<ResourceMeta>>,
    pub monitored: bool,
}

impl KeyCount {
    pub fn merge(&mut self, other: KeyCount) {
        self.count += other.count;
        self.monitored |= other.monitored;
        if let Some(m) = other.first {
            let earlier = self
                .first
                .as_ref()
                .is_none_or(|f| (m.header, &m.address) < (f.header, &f.address));
            if earlier {
                self.first = Some(m);
            }
        }
    }
}

impl Rule for RotationNotMonitored {
    fn id(&self) -> &'static str {
        "KMS011"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}

    fn gather(&self, cx: &Context<'_>, facts: &mut TreeFacts) {
        let model = cx.model;
        facts.keys.merge(KeyCount {
            count: model.kms_keys.len(),
            first: model.kms_keys.first().map(|k| Box::new(k.meta.clone())),
            // An identifier not known statically may be this rule.
            monitored: model.config_rules.iter().any(|r| {
                r.identifier.known().map(String::as_str) == Some(ROTATION_RULE)
                    || r.identifier.known().is_none()
            }),
        });
    }

    fn check_tree(&self, cx: &TreeContext<'_>, out: &mut Vec<Diagnostic>) {
        let keys = &cx.facts.keys;
        if keys.monitored {
            return;
        }
        let Some(first) = &keys.first else {
            return;
        };
        let d = cx.finding(first.header,
                match keys.count {
                    1 => format!("a customer KMS key is defined but no AWS Config rule `{ROTATION_RULE}` monitors its rotation"),
                    n => format!("{n} customer KMS keys are defined but no AWS Config rule `{ROTATION_RULE}` monitors their rotation"),
                },
            )
            .with_address(first.address.clone())
            .with_help("add an aws_config_config_rule (or AWS::Config::ConfigRule) with source identifier CMK_BACKING_KEY_ROTATION_ENABLED, or deploy it organization-wide");
        out.push(cx.explain(d, first));
    }
}
