//! What the rules that look across groups keep of each group.
//!
//! A scan analyses the tree group by group (Terraform module directories that call one
//! another, one CloudFormation template) and drops each group's model once its rules have
//! run. References link only within a root module or template, so almost every rule sees
//! all it needs in one group. Some questions span the tree: which key an alias name of
//! another root module or template means (KMS010), whether any AWS Config rule monitors
//! rotation (KMS011), and whether any backup selection selects a tagged resource (BKP006).
//! For those, each group leaves [`TreeFacts`]: what every group leaves whichever rules
//! run (alias names, aliases of keys of other templates), and for each rule that spans
//! groups its own [`Summary`] of the group, merged across groups. A summary is not the
//! group's model: its size follows what the rule may report (disabled keys, tagged
//! resources no selection of their group selects), not the resources of the tree.

use crate::model::kms::AliasNames;
use crate::model::{Model, ResourceMeta};
use crate::resource::InstanceNote;
use crate::source::FileId;
use std::any::{Any, TypeId};
use std::collections::BTreeMap;

/// What a rule that spans groups keeps of one group ([`super::Context::summary`]), and
/// reads once every group is in ([`super::TreeContext::summary`]).
pub trait Summary: Any + Send + Sync + Default + std::fmt::Debug {
    /// Adds what another group left.
    fn merge(&mut self, other: Self);
    /// The resources the rule may report on: their notes (module call sites) are kept.
    fn reported(&self) -> Vec<&ResourceMeta> {
        Vec::new()
    }
    /// How many entries it holds (`IACGUARD_TIMINGS=1`).
    fn size(&self) -> usize;
}

/// A [`Summary`] of a type known only to its rule.
trait AnySummary: Any + Send + Sync + std::fmt::Debug {
    fn merge_any(&mut self, other: Box<dyn AnySummary>);
    fn reported_any(&self) -> Vec<&ResourceMeta>;
    fn size_any(&self) -> usize;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<S: Summary> AnySummary for S {
    fn merge_any(&mut self, other: Box<dyn AnySummary>) {
        // Summaries are keyed by their type: `other` is an `S`.
        if let Ok(other) = other.into_any().downcast::<S>() {
            self.merge(*other);
        }
    }
    fn reported_any(&self) -> Vec<&ResourceMeta> {
        self.reported()
    }
    fn size_any(&self) -> usize {
        self.size()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// The summaries of the rules that span groups, by rule id and summary type.
#[derive(Debug, Default)]
pub struct Summaries(BTreeMap<(&'static str, TypeId), Box<dyn AnySummary>>);

impl Summaries {
    /// The rule's summary, created empty on first use.
    pub fn get_mut<S: Summary>(&mut self, rule: &'static str) -> &mut S {
        let entry = self
            .0
            .entry((rule, TypeId::of::<S>()))
            .or_insert_with(|| Box::new(S::default()));
        match entry.as_any_mut().downcast_mut::<S>() {
            Some(s) => s,
            None => unreachable!("summaries are keyed by their type"),
        }
    }

    /// The rule's summary, if any group left one.
    pub fn get<S: Summary>(&self, rule: &'static str) -> Option<&S> {
        self.0
            .get(&(rule, TypeId::of::<S>()))
            .and_then(|s| s.as_any().downcast_ref::<S>())
    }

    fn merge(&mut self, other: Summaries) {
        for (key, s) in other.0 {
            match self.0.entry(key) {
                std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().merge_any(s),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(s);
                }
            }
        }
    }

    fn reported(&self) -> impl Iterator<Item = &ResourceMeta> {
        self.0.values().flat_map(|s| s.reported_any())
    }

    /// Each rule's summary size, in rule order (`IACGUARD_TIMINGS=1`).
    pub fn sizes(&self) -> Vec<(&'static str, usize)> {
        self.0
            .iter()
            .map(|((r, _), s)| (*r, s.size_any()))
            .collect()
    }
}

/// An alias of a key another template defines.
#[derive(Debug)]
pub struct ForeignAlias {
    pub key: String,
    pub address: String,
    pub header: crate::source::Span,
}

/// What the groups of a scan leave for the rules that span them.
#[derive(Debug, Default)]
pub struct TreeFacts {
    /// Alias names and the keys they target.
    pub alias_names: AliasNames,
    /// Aliases that target a key of another template (imported): KMS005 and KMS010.
    pub foreign_aliases: Vec<ForeignAlias>,
    /// Each rule's own summary.
    pub summaries: Summaries,
    /// The notes of the resources the summaries may report on (module call sites, may be
    /// absent).
    pub notes: Vec<InstanceNote>,
    /// Premises of policy rules that some group shows (`backup-tag`: the tree uses the
    /// backup tag).
    pub premises: std::collections::BTreeSet<&'static str>,
    /// Findings waiting for a premise their own group does not show.
    pub deferred: Vec<crate::diagnostic::Diagnostic>,
}

impl TreeFacts {
    /// What every group leaves, whichever rules run: alias names, with the keys they
    /// target when disabled (KMS010) or, with `all_keys`, always (the key inventory
    /// resolves consumers with them).
    pub fn gather_model(&mut self, model: &Model, all_keys: bool) {
        let own: std::collections::HashMap<&str, bool> = model
            .kms_keys
            .iter()
            .map(|k| (k.meta.ref_name.as_str(), k.enabled.known() == Some(&false)))
            .collect();
        // A key of another template: whether it is disabled is known there.
        let worth = |k: &str| all_keys || own.get(k).copied().unwrap_or(true);
        self.alias_names.add(model, worth);
        for a in &model.kms_aliases {
            if let Some(k) = a.target_key().filter(|k| !own.contains_key(k)) {
                self.foreign_aliases.push(ForeignAlias {
                    key: k.to_string(),
                    address: a.meta.address.clone(),
                    header: a.meta.header,
                });
            }
        }
    }

    pub fn merge(&mut self, other: TreeFacts) {
        let TreeFacts {
            alias_names,
            foreign_aliases,
            summaries,
            notes,
            premises,
            deferred,
        } = other;
        self.premises.extend(premises);
        self.deferred.extend(deferred);
        self.alias_names.merge(alias_names);
        self.foreign_aliases.extend(foreign_aliases);
        self.summaries.merge(summaries);
        self.notes.extend(notes);
    }

    /// The resources the facts may report on, by address and file: their notes are kept.
    pub fn reported(&self) -> std::collections::HashSet<(&str, FileId)> {
        self.summaries
            .reported()
            .map(|m| (m.address.as_str(), m.header.file))
            .collect()
    }

    /// Keeps the notes of the resources the facts may report on.
    pub fn keep_notes(&mut self, notes: &[InstanceNote]) {
        let kept: Vec<InstanceNote> = {
            let wanted = self.reported();
            notes
                .iter()
                .filter(|n| wanted.contains(&(n.address.as_str(), n.header.file)))
                .cloned()
                .collect()
        };
        self.notes.extend(kept);
    }
}
