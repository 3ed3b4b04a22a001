//! AWS Backup: vaults, vault locks, plans and selections, and the links between them.
//!
//! The adapters fill the collections; [`link`] then links each lock and plan rule to the
//! vaults it names and each selection to its plan, by reference or by known vault name,
//! and each vault to the locks on it: links the rules read through the model's accessors
//! ([`Model::locks_on`], [`Model::locked_vault`], [`Model::vaults_of_rule`], ...).

use super::{Link, Model, ResourceMeta, TaggableResource, Val};
use crate::source::{FileId, Span};
use crate::value::{Kind, Part, Value};
use std::collections::HashMap;

/// Where references and names resolve: one Terraform root module (with the modules it
/// calls), or one CloudFormation template (logical ids are local to it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The root module's directory.
    Terraform(String),
    Template(FileId),
}

/// How a lock, a plan rule or a selection names its vault or plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A reference to a resource, by its reference name (`aws_backup_vault.v`, a logical id).
    Resource(String),
    /// A literal vault name (or the name part of a vault ARN).
    Name(String),
}

impl Target {
    /// `None` when the target is not statically known.
    pub fn of(v: &Value) -> Option<Target> {
        match &v.kind {
            Kind::Ref(r) => Some(Target::Resource(r.resource.clone())),
            Kind::Str(s) => Some(Target::Name(vault_name_of(s).to_string())),
            Kind::Template(parts) => {
                // `"${aws_backup_vault.v.name}"` with nothing else around it.
                match parts.as_slice() {
                    [Part::Ref(r)] => Some(Target::Resource(r.resource.clone())),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// `arn:aws:backup:eu-west-1:123456789012:backup-vault:name` → `name`; a name stays as is.
fn vault_name_of(s: &str) -> &str {
    match s.split_once(":backup-vault:") {
        Some((prefix, name)) if prefix.starts_with("arn:") => name,
        _ => s,
    }
}

/// The key a vault encrypts recovery points with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultKey {
    /// No key given: the AWS managed key `aws/backup`.
    ServiceDefault,
    /// The AWS managed key named explicitly (`alias/aws/backup`).
    AwsManaged,
    /// Any other key: assumed customer managed.
    Customer,
}

impl VaultKey {
    pub fn of(v: &Value) -> Option<VaultKey> {
        match &v.kind {
            Kind::Unknown => None,
            Kind::Str(s) if s.is_empty() => Some(VaultKey::ServiceDefault),
            Kind::Str(s) if s == "alias/aws/backup" || s.ends_with(":alias/aws/backup") => {
                Some(VaultKey::AwsManaged)
            }
            _ => Some(VaultKey::Customer),
        }
    }
}

#[derive(Debug, Clone)]
pub struct BackupVault {
    pub meta: ResourceMeta,
    pub scope: Scope,
    pub name: Val<String>,
    pub key: Val<VaultKey>,
    /// `force_destroy` (Terraform): the vault may be destroyed with its recovery points.
    pub force_destroy: Val<bool>,
    /// The locks on this vault (indexes into [`Model::vault_locks`]), linked when the
    /// model is finished: `Linked` with every lock known to lock it, `Maybe` when a lock
    /// in scope may lock it without being known to (its target or its presence is not
    /// statically known, so the locks on the vault are not), `None` when no lock does.
    pub locks: Link<Vec<usize>>,
    /// The locks that would lock this vault but are not created (indexes into
    /// [`Model::switched_off_locks`]), linked when the model is finished.
    pub switched_off_locks: Link<Vec<usize>>,
}

#[derive(Debug, Clone)]
pub struct VaultLock {
    /// The lock resource (Terraform), or the vault that embeds it (CloudFormation).
    pub meta: ResourceMeta,
    pub scope: Scope,
    /// The lock itself: the Terraform resource header, the CFN `LockConfiguration` value.
    pub span: Span,
    /// The vault, as named; `None` when not statically known.
    pub target: Option<Target>,
    /// The vaults it names (indexes into [`Model::backup_vaults`]: several for the
    /// instances of a `for_each` it does not pair with), linked when the model is finished
    /// (`Maybe`: its target is not statically known; `None`: it names no vault of the
    /// configuration).
    pub vaults: Link<Vec<usize>>,
    pub min_retention_days: Val<f64>,
    pub max_retention_days: Val<f64>,
    /// Absent: governance mode; set: compliance mode once the grace period has passed.
    pub changeable_for_days: Val<f64>,
    /// A lock that is not created: the `count`/`for_each` that switches it off, and where
    /// its value is set (see [`Model::switched_off_locks`]).
    pub switch: Option<(Span, Option<Span>)>,
}

impl VaultLock {
    /// How messages name the lock: a lock resource, or the lock inside a vault.
    pub fn describe(&self) -> String {
        if self.span == self.meta.header {
            format!("vault lock {}", self.meta.address)
        } else {
            format!("vault lock of {}", self.meta.address)
        }
    }
}

#[derive(Debug, Clone)]
pub struct BackupPlan {
    pub meta: ResourceMeta,
    pub scope: Scope,
    /// `None` when the rules are not statically known (a `dynamic` block).
    pub rules: Option<Vec<PlanRule>>,
}

#[derive(Debug, Clone)]
pub struct PlanRule {
    /// The rule block.
    pub span: Span,
    pub name: Val<String>,
    /// The target vault, as named; `None` when not statically known.
    pub target: Option<Target>,
    pub target_span: Span,
    /// The vaults it names (indexes into [`Model::backup_vaults`]), linked when the model
    /// is finished (`Maybe`: its target is not statically known; `None`: it names no vault
    /// of the configuration).
    pub vaults: Link<Vec<usize>>,
    /// Days until recovery points are deleted; no value: kept until deleted by hand.
    pub delete_after: Val<f64>,
    pub cold_storage_after: Val<f64>,
}

#[derive(Debug, Clone)]
pub struct BackupSelection {
    pub meta: ResourceMeta,
    pub scope: Scope,
    /// The plan, as referenced; `None` when not statically known.
    pub plan: Option<Target>,
    /// The plans it names (indexes into [`Model::backup_plans`] of its group's model),
    /// linked when the model is finished (`Maybe`: its plan is not statically known;
    /// `None`: it names no plan of the configuration, or a plan id written out).
    pub plans: Link<Vec<usize>>,
    /// Tag matches, OR'ed with each other and with `resources`; `None` when unknown.
    pub tags: Option<Vec<SelectionTag>>,
    /// Conditions, AND'ed; `None` when unknown.
    pub conditions: Option<Vec<SelectionCondition>>,
    /// Resources named (ARNs, references, `"*"`); `None` when unknown.
    pub resources: Option<Vec<Value>>,
    pub not_resources: Option<Vec<Value>>,
}

/// `selection_tag` / `ListOfTags` entry: the key is a plain tag key.
#[derive(Debug, Clone)]
pub struct SelectionTag {
    pub span: Span,
    /// `STRINGEQUALS`.
    pub op: Val<String>,
    pub key: Val<String>,
    pub value: Val<String>,
}

impl SelectionTag {
    /// Whether it compares for equality (`STRINGEQUALS`, the only type AWS Backup takes);
    /// `None` when the type is not known.
    pub fn is_equals(&self) -> Option<bool> {
        Some(self.op.known()?.eq_ignore_ascii_case("STRINGEQUALS"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOp {
    StringEquals,
    StringNotEquals,
    StringLike,
    StringNotLike,
}

impl ConditionOp {
    /// From the Terraform block name or the CloudFormation property name.
    pub fn parse(s: &str) -> Option<ConditionOp> {
        match s {
            "string_equals" | "StringEquals" => Some(ConditionOp::StringEquals),
            "string_not_equals" | "StringNotEquals" => Some(ConditionOp::StringNotEquals),
            "string_like" | "StringLike" => Some(ConditionOp::StringLike),
            "string_not_like" | "StringNotLike" => Some(ConditionOp::StringNotLike),
            _ => None,
        }
    }
}

/// `condition` / `Conditions` entry: the key carries the `aws:ResourceTag/` prefix.
#[derive(Debug, Clone)]
pub struct SelectionCondition {
    pub span: Span,
    pub op: ConditionOp,
    pub key: Val<String>,
    pub value: Val<String>,
}

/// The prefix condition keys need to name a tag.
pub const RESOURCE_TAG_PREFIX: &str = "aws:ResourceTag/";

/// Links locks, plan rules and selections to what they name, and vaults to the locks on
/// them. Called once, after sorting.
pub fn link(model: &mut Model) {
    let index = VaultIndex::of(&model.backup_vaults);
    let lock_links: Vec<Link<Vec<usize>>> = model
        .vault_locks
        .iter()
        .map(|l| index.find(&model.backup_vaults, l.target.as_ref(), &l.scope, &l.meta))
        .collect();
    let switched_off_links: Vec<Link<Vec<usize>>> = model
        .switched_off_locks
        .iter()
        .map(|l| index.find(&model.backup_vaults, l.target.as_ref(), &l.scope, &l.meta))
        .collect();
    let rule_links: Vec<Vec<Link<Vec<usize>>>> = model
        .backup_plans
        .iter()
        .map(|p| {
            p.rules
                .iter()
                .flatten()
                .map(|r| index.find(&model.backup_vaults, r.target.as_ref(), &p.scope, &p.meta))
                .collect()
        })
        .collect();

    // The locks on each vault, and the vaults a lock may lock without being known to.
    let n = model.backup_vaults.len();
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut uncertain = vec![false; n];
    for (li, (lock, link)) in model.vault_locks.iter().zip(&lock_links).enumerate() {
        match link {
            // It may name any vault of its module.
            Link::Maybe => {
                let module = module_prefix(&lock.meta.ref_name);
                for &vi in index.of_module(&lock.scope, module) {
                    uncertain[vi] = true;
                }
            }
            Link::Linked(found) => {
                for &vi in found {
                    if lock.meta.maybe_absent {
                        uncertain[vi] = true;
                    } else {
                        on[vi].push(li);
                    }
                }
            }
            Link::None => {}
        }
    }
    let mut switched_off: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (li, link) in switched_off_links.iter().enumerate() {
        for &vi in link.linked().into_iter().flatten() {
            switched_off[vi].push(li);
        }
    }
    drop(index);

    for (lock, link) in model.vault_locks.iter_mut().zip(lock_links) {
        lock.vaults = link;
    }
    for (lock, link) in model.switched_off_locks.iter_mut().zip(switched_off_links) {
        lock.vaults = link;
    }
    for (plan, links) in model.backup_plans.iter_mut().zip(rule_links) {
        for (rule, link) in plan.rules.iter_mut().flatten().zip(links) {
            rule.vaults = link;
        }
    }
    let vaults = model.backup_vaults.iter_mut();
    for ((v, (locks, maybe)), off) in vaults.zip(on.into_iter().zip(uncertain)).zip(switched_off) {
        v.locks = if maybe {
            Link::Maybe
        } else {
            Link::of((!locks.is_empty()).then_some(locks), false)
        };
        v.switched_off_locks = Link::of((!off.is_empty()).then_some(off), false);
    }

    let mut plans: HashMap<(&Scope, &str), Vec<usize>> = HashMap::new();
    for (i, p) in model.backup_plans.iter().enumerate() {
        plans
            .entry((&p.scope, p.meta.ref_name.as_str()))
            .or_default()
            .push(i);
    }
    let plan_links: Vec<Link<Vec<usize>>> = model
        .backup_selections
        .iter()
        .map(|sel| match &sel.plan {
            Some(Target::Resource(r)) => {
                Link::of(plans.get(&(&sel.scope, r.as_str())).cloned(), false)
            }
            // A plan id written out: a plan of another configuration.
            Some(Target::Name(_)) => Link::None,
            None => Link::Maybe,
        })
        .collect();
    drop(plans);
    for (sel, link) in model.backup_selections.iter_mut().zip(plan_links) {
        sel.plans = link;
    }
}

/// The vaults of a model by what they are found by, each list in the model's order.
struct VaultIndex<'a> {
    by_ref: HashMap<(&'a Scope, &'a str), Vec<usize>>,
    by_name: HashMap<(&'a Scope, &'a str), Vec<usize>>,
    by_module: HashMap<(&'a Scope, &'a str), Vec<usize>>,
}

impl<'a> VaultIndex<'a> {
    fn of(vaults: &'a [BackupVault]) -> VaultIndex<'a> {
        let mut index = VaultIndex {
            by_ref: HashMap::new(),
            by_name: HashMap::new(),
            by_module: HashMap::new(),
        };
        for (i, v) in vaults.iter().enumerate() {
            let ref_name = v.meta.ref_name.as_str();
            index
                .by_ref
                .entry((&v.scope, ref_name))
                .or_default()
                .push(i);
            if let Some(name) = v.name.known() {
                index.by_name.entry((&v.scope, name)).or_default().push(i);
            }
            index
                .by_module
                .entry((&v.scope, module_prefix(ref_name)))
                .or_default()
                .push(i);
        }
        index
    }

    /// The vaults of a module.
    fn of_module(&self, scope: &'a Scope, module: &'a str) -> &[usize] {
        self.by_module
            .get(&(scope, module))
            .map_or(&[], Vec::as_slice)
    }

    /// The vaults a target names, seen from a resource in `scope`: `Maybe` when the
    /// target is not statically known.
    fn find(
        &self,
        vaults: &[BackupVault],
        target: Option<&'a Target>,
        scope: &'a Scope,
        from: &ResourceMeta,
    ) -> Link<Vec<usize>> {
        let found = match target {
            None => return Link::Maybe,
            Some(Target::Resource(r)) => self.by_ref.get(&(scope, r.as_str())),
            Some(Target::Name(n)) => self.by_name.get(&(scope, n.as_str())),
        };
        let Some(found) = found else {
            return Link::None;
        };
        if found.len() < 2 {
            return Link::Linked(found.clone());
        }
        // `for_each` pairs: `lock["a"]` names `vault[each.key]`, which is `vault["a"]`.
        let key = from
            .address
            .strip_prefix(from.ref_name.as_str())
            .unwrap_or("");
        let same_key: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&i| {
                let v = &vaults[i].meta;
                !key.is_empty() && v.address.strip_prefix(v.ref_name.as_str()) == Some(key)
            })
            .collect();
        Link::Linked(if same_key.is_empty() {
            found.clone()
        } else {
            same_key
        })
    }
}

/// What the indexes of a link name in their collection.
fn reach<'a, T>(link: &Link<Vec<usize>>, items: &'a [T]) -> Link<Vec<&'a T>> {
    match link {
        Link::None => Link::None,
        Link::Maybe => Link::Maybe,
        Link::Linked(ix) => Link::Linked(ix.iter().filter_map(|&i| items.get(i)).collect()),
    }
}

/// The backup links of a finished model.
impl Model {
    /// The locks on a vault: `Linked` with every lock known to lock it, `Maybe` when a
    /// lock may lock it without being known to, `None` when no lock does.
    pub fn locks_on(&self, vault: &BackupVault) -> Link<Vec<&VaultLock>> {
        reach(&vault.locks, &self.vault_locks)
    }

    /// The first of the locks that would lock a vault but are switched off by their
    /// `count`/`for_each` or condition.
    pub fn switched_off_lock_on(&self, vault: &BackupVault) -> Option<&VaultLock> {
        let first = *vault.switched_off_locks.linked()?.first()?;
        self.switched_off_locks.get(first)
    }

    /// The vaults a lock names (created or switched off).
    pub fn vaults_of_lock(&self, lock: &VaultLock) -> Link<Vec<&BackupVault>> {
        reach(&lock.vaults, &self.backup_vaults)
    }

    /// The vault a lock locks, when it names exactly one.
    pub fn locked_vault(&self, lock: &VaultLock) -> Option<&BackupVault> {
        match lock.vaults.linked()?.as_slice() {
            [vi] => self.backup_vaults.get(*vi),
            _ => None,
        }
    }

    /// The vaults a plan rule sends its recovery points to.
    pub fn vaults_of_rule(&self, rule: &PlanRule) -> Link<Vec<&BackupVault>> {
        reach(&rule.vaults, &self.backup_vaults)
    }

    /// The plans a selection belongs to.
    pub fn plans_of(&self, selection: &BackupSelection) -> Link<Vec<&BackupPlan>> {
        reach(&selection.plans, &self.backup_plans)
    }
}

/// `module.a.` of `module.a.aws_backup_vault.v`; empty for a root resource or a logical id.
fn module_prefix(ref_name: &str) -> &str {
    let mut dots = ref_name.rmatch_indices('.').map(|(i, _)| i);
    match (dots.next(), dots.next()) {
        (Some(_), Some(i)) => &ref_name[..i + 1],
        _ => "",
    }
}

/// Reads a list of strings or references; `None` when the list itself is not known.
pub fn value_list(v: Option<&Value>) -> Option<Vec<Value>> {
    match v.map(|v| &v.kind) {
        None | Some(Kind::Null) => Some(Vec::new()),
        Some(Kind::List(items)) => Some(items.clone()),
        _ => None,
    }
}

impl BackupSelection {
    /// Whether this selection names a resource in `resources` (a reference to it, or
    /// `"*"` with no condition), so that it is backed up whatever its tags. `None` when
    /// not statically known.
    pub fn names(&self, r: &TaggableResource) -> Option<bool> {
        let resources = self.resources.as_ref()?;
        let unconditional = self.conditions.as_ref().is_some_and(|c| c.is_empty());
        let mut unknown = false;
        for v in resources {
            match &v.kind {
                Kind::Str(s) if s == "*" => {
                    if unconditional && self.not_resources.as_ref().is_some_and(|n| n.is_empty()) {
                        return Some(true);
                    }
                }
                Kind::Ref(reference) => {
                    if r.scope == self.scope && reference.resource == r.meta.ref_name {
                        return Some(true);
                    }
                }
                _ => unknown = true,
            }
        }
        (!unknown).then_some(false)
    }

    /// Whether this selection selects a resource: a matching tag or a `resources` entry
    /// (OR'ed; a selection with neither relies on its conditions alone), and every
    /// condition (AND'ed). `None` when not statically known.
    pub fn selects(&self, r: &TaggableResource) -> Option<bool> {
        if let Some(excluded) = &self.not_resources {
            if excluded
                .iter()
                .any(|v| names_resource(v, &self.scope, r) == Some(true))
            {
                return Some(false);
            }
        }
        let tags = self.tags.as_ref()?;
        let resources = self.resources.as_ref()?;
        let conditions = self.conditions.as_ref()?;
        let base = if tags.is_empty() && resources.is_empty() {
            Some(!conditions.is_empty())
        } else {
            any3(
                tags.iter()
                    .map(|t| tag_matches(t, r))
                    .chain(resources.iter().map(|v| names_resource(v, &self.scope, r))),
            )
        };
        and3(base, all3(conditions.iter().map(|c| condition_holds(c, r))))
    }
}

/// Tri-state OR: true if any is true, unknown if any is unknown, else false.
fn any3(it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for x in it {
        match x {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    (!unknown).then_some(false)
}

/// Tri-state AND.
fn all3(it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for x in it {
        match x {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    (!unknown).then_some(true)
}

fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    all3([a, b].into_iter())
}

/// The resource's value for a tag: `Some(None)` when it lacks the tag, `None` when unknown.
fn tag_value(r: &TaggableResource, key: &str) -> Option<Option<String>> {
    let map = r.meta.tags.map.as_ref()?;
    match map.get(key) {
        None => Some(None),
        Some(v) => v.to_plain_string().map(Some),
    }
}

fn tag_matches(t: &SelectionTag, r: &TaggableResource) -> Option<bool> {
    if !t.is_equals()? {
        return None;
    }
    let key = t.key.known()?;
    let want = t.value.known()?;
    Some(tag_value(r, key)?.as_deref() == Some(want.as_str()))
}

fn condition_holds(c: &SelectionCondition, r: &TaggableResource) -> Option<bool> {
    let key = c.key.known()?;
    let Some(tag) = key.strip_prefix(RESOURCE_TAG_PREFIX) else {
        // A key without the prefix names no tag: the condition never holds.
        return Some(false);
    };
    let want = c.value.known()?;
    let have = tag_value(r, tag)?;
    let have = have.as_deref();
    Some(match c.op {
        ConditionOp::StringEquals => have == Some(want.as_str()),
        ConditionOp::StringNotEquals => have != Some(want.as_str()),
        ConditionOp::StringLike => have.is_some_and(|h| glob_match(want, h)),
        ConditionOp::StringNotLike => !have.is_some_and(|h| glob_match(want, h)),
    })
}

/// `*` and `?` wildcards, as in IAM `StringLike`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether a `resources` entry names the resource: `"*"`, a reference to it, or an ARN
/// pattern of its service (not known to match or not: unknown).
fn names_resource(v: &Value, scope: &Scope, r: &TaggableResource) -> Option<bool> {
    match &v.kind {
        Kind::Str(s) if s == "*" => Some(true),
        Kind::Str(s) => {
            let service = s.strip_prefix("arn:")?.split(':').nth(1)?;
            if service.contains('*') || Some(service) == r.meta.arn_service {
                None
            } else {
                Some(false)
            }
        }
        Kind::Ref(reference) => Some(r.scope == *scope && reference.resource == r.meta.ref_name),
        _ => None,
    }
}
