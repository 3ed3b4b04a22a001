//! KMS010 kms-disabled-key-in-use: a key that is disabled is still referenced by consumers
//! or aliases; their encrypt and decrypt calls fail.
//!
//! Consumers may name the key by an alias that another root module or template defines,
//! or import it from another template, so the rule reports once every group is gathered:
//! each group leaves its disabled keys (with their consumers and aliases there) and its
//! consumers of keys or alias names defined elsewhere.

use crate::diagnostic::Diagnostic;
use crate::model::{display_name, kms, root_of, ResourceMeta};
use crate::rules::{Context, NoParams, Rule, Summary, TreeContext, TreeFacts};
use crate::source::Span;
use std::collections::HashMap;

pub struct DisabledKeyInUse;

/// A consumer of a key: its place in the model's order, its address and the value that
/// names the key.
#[derive(Debug, Clone)]
pub struct User {
    order: (Span, String, Span),
    address: String,
    span: Span,
}

impl User {
    fn of(c: &crate::model::KeyConsumer) -> User {
        User {
            order: (c.meta.header, c.meta.address.clone(), c.value.span),
            address: c.meta.address.clone(),
            span: c.value.span,
        }
    }
}

/// A disabled key with the consumers and aliases of its group.
#[derive(Debug)]
pub struct DisabledKey {
    pub meta: ResourceMeta,
    enabled: Span,
    consumers: Vec<User>,
    /// Address and header of each alias that targets it.
    aliases: Vec<(String, Span)>,
}

/// A consumer of a key defined elsewhere: one that names an alias its own root module or
/// template does not define, or uses a key another template exports.
#[derive(Debug)]
pub struct NamedConsumer {
    target: Elsewhere,
    user: User,
}

#[derive(Debug)]
enum Elsewhere {
    AliasName(String),
    Key(String),
}

/// What each group leaves: its disabled keys, and its consumers of keys or alias names
/// defined elsewhere.
#[derive(Debug, Default)]
pub struct KeysInUse {
    disabled_keys: Vec<DisabledKey>,
    named_consumers: Vec<NamedConsumer>,
}

impl Summary for KeysInUse {
    fn merge(&mut self, other: KeysInUse) {
        self.disabled_keys.extend(other.disabled_keys);
        self.named_consumers.extend(other.named_consumers);
    }

    fn reported(&self) -> Vec<&ResourceMeta> {
        self.disabled_keys.iter().map(|k| &k.meta).collect()
    }

    fn size(&self) -> usize {
        self.disabled_keys.len() + self.named_consumers.len()
    }
}

impl Rule for DisabledKeyInUse {
    type Params = NoParams;

    fn gather(&self, cx: &Context<'_>, facts: &mut TreeFacts) {
        let model = cx.model;
        let summary: &mut KeysInUse = cx.summary(facts);
        for key in model.kms_keys.iter() {
            if key.enabled.known() != Some(&false) {
                continue;
            }
            summary.disabled_keys.push(DisabledKey {
                meta: key.meta.clone(),
                enabled: key.enabled.span,
                consumers: model
                    .kms_consumers
                    .iter()
                    .filter(|c| c.uses(key))
                    .map(User::of)
                    .collect(),
                aliases: model
                    .aliases_of_key(key)
                    .map(|a| (a.meta.address.clone(), a.meta.header))
                    .collect(),
            });
        }
        for c in &model.kms_consumers {
            let target = match (kms::foreign_name(c), c.key()) {
                (Some(name), _) => Elsewhere::AliasName(name.to_string()),
                (None, Some(k)) if root_of(k) != root_of(&c.meta.ref_name) => {
                    Elsewhere::Key(k.to_string())
                }
                _ => continue,
            };
            summary.named_consumers.push(NamedConsumer {
                target,
                user: User::of(c),
            });
        }
    }

    fn check_tree(&self, cx: &TreeContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = cx.facts;
        let Some(summary) = cx.summary::<KeysInUse>() else {
            return;
        };
        if summary.disabled_keys.is_empty() {
            return;
        }
        let mut foreign: HashMap<&str, Vec<&User>> = HashMap::new();
        for n in &summary.named_consumers {
            let key = match &n.target {
                Elsewhere::AliasName(name) => facts.alias_names.get(name).map(|(_, k)| k),
                Elsewhere::Key(k) => Some(k.as_str()),
            };
            if let Some(key) = key {
                foreign.entry(key).or_default().push(&n.user);
            }
        }
        let mut keys: Vec<&DisabledKey> = summary.disabled_keys.iter().collect();
        keys.sort_by(|a, b| {
            (a.meta.header, &a.meta.address).cmp(&(b.meta.header, &b.meta.address))
        });
        let mut foreign_aliases: HashMap<&str, Vec<(&str, Span)>> = HashMap::new();
        for a in &facts.foreign_aliases {
            foreign_aliases
                .entry(a.key.as_str())
                .or_default()
                .push((a.address.as_str(), a.header));
        }
        for key in keys {
            let name = &key.meta.ref_name;
            let mut consumers: Vec<&User> = key.consumers.iter().collect();
            consumers.extend(foreign.get(name.as_str()).into_iter().flatten());
            consumers.sort_by(|a, b| a.order.cmp(&b.order));
            let mut aliases: Vec<(&str, Span)> =
                key.aliases.iter().map(|(a, h)| (a.as_str(), *h)).collect();
            aliases.extend(foreign_aliases.get(name.as_str()).into_iter().flatten());
            aliases.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
            if consumers.is_empty() && aliases.is_empty() {
                continue;
            }
            let mut users: Vec<&str> = consumers.iter().map(|c| c.address.as_str()).collect();
            users.extend(aliases.iter().map(|(a, _)| *a));
            let mut d = cx
                .finding(
                    key.enabled,
                    format!(
                        "KMS key {} is disabled but still used by {}: their encrypt and decrypt calls fail",
                        display_name(name),
                        users.join(", ")
                    ),
                )
                .with_address(key.meta.address.clone())
                .with_help("move every consumer (and repoint every alias) to the new key before disabling the old one, or enable the key again");
            for c in consumers {
                d = d.with_label(c.span, format!("{} uses the disabled key", c.address));
            }
            for (address, header) in aliases {
                d = d.with_label(
                    header,
                    format!("alias {address} points at the disabled key"),
                );
            }
            out.push(cx.explain(d, &key.meta));
        }
    }
}
