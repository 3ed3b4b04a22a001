//! KMS011 kms-rotation-not-monitored: customer keys, but no AWS Config rule that checks
//! their rotation (`CMK_BACKING_KEY_ROTATION_ENABLED`). The rule may be deployed from
//! another root module or template than the keys: it reports once every group is
//! gathered.

use crate::diagnostic::Diagnostic;
use crate::model::ResourceMeta;
use crate::rules::{Context, NoParams, Rule, Summary, TreeContext, TreeFacts};

pub struct RotationNotMonitored;

/// The managed AWS Config rule that reports keys without rotation.
pub const ROTATION_RULE: &str = "CMK_BACKING_KEY_ROTATION_ENABLED";

/// The customer keys of the tree, and whether a Config rule may monitor them.
#[derive(Debug, Default)]
pub struct KeyCount {
    /// Keys the managed rule evaluates (not those with imported material).
    pub count: usize,
    /// Keys the managed rule does not evaluate (imported material, custom key stores,
    /// asymmetric and HMAC keys).
    pub imported: usize,
    /// The first key, by location.
    pub first: Option<Box<ResourceMeta>>,
    pub monitored: bool,
}

impl Summary for KeyCount {
    fn merge(&mut self, other: KeyCount) {
        self.count += other.count;
        self.imported += other.imported;
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

    fn reported(&self) -> Vec<&ResourceMeta> {
        self.first.iter().map(|m| &**m).collect()
    }

    fn size(&self) -> usize {
        self.count + self.imported
    }
}

impl Rule for RotationNotMonitored {
    type Params = NoParams;

    fn gather(&self, cx: &Context<'_>, facts: &mut TreeFacts) {
        let model = cx.model;
        // The managed rule evaluates keys KMS rotates automatically: not imported
        // material, custom key stores, asymmetric or HMAC keys.
        let imported = |k: &&crate::model::KmsKey| k.rotation_needs_new_key() == Some(true);
        let evaluated = || model.kms_keys.iter().filter(|k| !imported(k));
        let summary: &mut KeyCount = cx.summary(facts);
        summary.merge(KeyCount {
            count: evaluated().count(),
            imported: model.kms_keys.iter().filter(imported).count(),
            first: evaluated().next().map(|k| Box::new(k.meta.clone())),
            // An identifier not known statically may be this rule.
            monitored: model.config_rules.iter().any(|r| {
                r.identifier.known().map(String::as_str) == Some(ROTATION_RULE)
                    || r.identifier.known().is_none()
            }),
        });
    }

    fn check_tree(&self, cx: &TreeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(keys) = cx.summary::<KeyCount>() else {
            return;
        };
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
            .with_help(match keys.imported {
                0 => "add an aws_config_config_rule (or AWS::Config::ConfigRule) with source identifier CMK_BACKING_KEY_ROTATION_ENABLED, or deploy it organization-wide".to_string(),
                n => format!("add an aws_config_config_rule (or AWS::Config::ConfigRule) with source identifier CMK_BACKING_KEY_ROTATION_ENABLED, or deploy it organization-wide; it does not evaluate the {n} key(s) of the tree that KMS cannot rotate automatically (imported material, custom key store, asymmetric or HMAC): track imported ones with the rotation-date tag (KMS003) and an EventBridge rule on ImportKeyMaterial"),
            });
        out.push(cx.explain(d, first));
    }
}
