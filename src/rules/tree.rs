//! What the rules that look across groups keep of each group.
//!
//! A scan analyses the tree group by group (Terraform module directories that call one
//! another, one CloudFormation template) and drops each group's model once its rules have
//! run. References link only within a root module or template, so almost every rule sees
//! all it needs in one group. Three questions span the tree: which key an alias name of
//! another root module or template means (KMS010), whether any AWS Config rule monitors
//! rotation (KMS011), and whether any backup selection selects a tagged resource (BKP006).
//! For those, each group leaves [`TreeFacts`]: a summary, not its model, whose size
//! follows what the rules may report (disabled keys, tagged resources no selection of
//! their group selects), not the resources of the tree.

use crate::model::kms::AliasNames;
use crate::model::Model;
use crate::resource::InstanceNote;
use crate::rules::backup::tag_not_selected::Unselected;
use crate::rules::kms::disabled_key_in_use::{DisabledKey, NamedConsumer};
use crate::rules::kms::rotation_not_monitored::KeyCount;
use crate::source::FileId;

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
    /// KMS010: consumers naming an alias that their own root module or template does not
    /// define.
    pub named_consumers: Vec<NamedConsumer>,
    /// KMS010: disabled keys with the consumers and aliases of their group.
    pub disabled_keys: Vec<DisabledKey>,
    /// KMS011: customer keys and rotation monitoring.
    pub keys: KeyCount,
    /// Aliases that target a key of another template (imported): KMS005 and KMS010.
    pub foreign_aliases: Vec<ForeignAlias>,
    /// KMS005: exported keys that no alias of their own template targets.
    pub unaliased: Vec<crate::model::ResourceMeta>,
    /// BKP006: every backup selection.
    pub selections: Vec<crate::model::BackupSelection>,
    /// BKP006: resources tagged for backup that no selection of their group selects.
    pub unselected: Vec<Unselected>,
    /// The notes of the resources above (module call sites, may be absent).
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
            if let Some(k) = a
                .target_key
                .as_ref()
                .filter(|k| !own.contains_key(k.as_str()))
            {
                self.foreign_aliases.push(ForeignAlias {
                    key: k.clone(),
                    address: a.meta.address.clone(),
                    header: a.meta.header,
                });
            }
        }
    }

    pub fn merge(&mut self, other: TreeFacts) {
        let TreeFacts {
            alias_names,
            named_consumers,
            disabled_keys,
            keys,
            foreign_aliases,
            unaliased,
            selections,
            unselected,
            notes,
            premises,
            deferred,
        } = other;
        self.premises.extend(premises);
        self.deferred.extend(deferred);
        self.alias_names.merge(alias_names);
        self.named_consumers.extend(named_consumers);
        self.disabled_keys.extend(disabled_keys);
        self.foreign_aliases.extend(foreign_aliases);
        self.unaliased.extend(unaliased);
        self.keys.merge(keys);
        self.selections.extend(selections);
        self.unselected.extend(unselected);
        self.notes.extend(notes);
    }

    /// The resources the facts may report on, by address and file: their notes are kept.
    pub fn reported(&self) -> std::collections::HashSet<(&str, FileId)> {
        let keys = self.disabled_keys.iter().map(|k| &k.meta);
        let first = self.keys.first.iter().map(|m| &**m);
        let unselected = self.unselected.iter().map(|u| &u.resource.meta);
        keys.chain(first)
            .chain(unselected)
            .chain(&self.unaliased)
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
