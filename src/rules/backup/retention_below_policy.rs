//! BKP003 backup-retention-below-policy: a vault lock minimum or a plan retention below the
//! policy, and plan retentions their vault's lock rejects. See `rules/BKP003.md`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::backup::{BackupPlan, PlanRule, VaultLock};
use crate::model::{Link, Val};
use crate::rules::{Context, Rule};
use crate::value::format_number;
use serde::Deserialize;

pub struct RetentionBelowPolicy;

/// The parameters of `rules/BKP003.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub min_days: f64,
}

impl Rule for RetentionBelowPolicy {
    type Params = Params;

    fn check(&self, cx: &Context<'_, Params>, out: &mut Vec<Diagnostic>) {
        // The policy floor applies where the policy is declared (strict profile, or
        // configured); what the vault lock rejects is a fact everywhere.
        let min_days = if cx.policy() {
            cx.params.min_days
        } else {
            f64::NEG_INFINITY
        };
        for lock in &cx.model.vault_locks {
            check_lock(cx, lock, min_days, out);
        }
        for plan in &cx.model.backup_plans {
            for rule in plan.rules.iter().flatten() {
                check_rule(cx, plan, rule, min_days, out);
            }
        }
    }
}

fn check_lock(
    cx: &Context<'_, Params>,
    lock: &VaultLock,
    min_days: f64,
    out: &mut Vec<Diagnostic>,
) {
    let name = &lock.meta.address;
    let lock_name = lock.describe();
    let attr = lock.min_retention_days.attr;
    let min = &lock.min_retention_days;
    let mut d = if !min.is_explicit() {
        cx.finding(
            lock.span,
            format!(
                "{lock_name} does not set `{attr}`, so recovery points can be deleted at any time"
            ),
        )
    } else {
        match min.known() {
            Some(&n) if n < min_days => cx.finding(
                min.span,
                format!(
                    "{lock_name} sets `{attr}` to {} days, below the policy minimum of {} days",
                    format_number(n),
                    format_number(min_days)
                ),
            ),
            _ => return,
        }
    };
    d = d.with_origin(min.from);
    let help = if min_days.is_finite() {
        format!("set `{attr}` to at least {} days", format_number(min_days))
    } else {
        format!("set `{attr}` to the retention your recovery points must survive")
    };
    out.push(d.with_address(name.clone()).with_help(help));
}

/// The locks on every vault a rule targets, when all of them are known.
fn target_locks<'a>(cx: &Context<'a, Params>, rule: &PlanRule) -> Vec<&'a VaultLock> {
    let mut locks = Vec::new();
    for vault in cx.model.vaults_of_rule(rule).linked().into_iter().flatten() {
        match cx.model.locks_on(vault) {
            Link::Maybe => return Vec::new(),
            Link::Linked(on) => locks.extend(on),
            Link::None => {}
        }
    }
    locks
}

/// The loosest bound over the locks (`pick`: the smallest minimum, the largest maximum);
/// `None` when a lock leaves it unset or unknown. When a target matches several vaults
/// (instances of one `for_each`), only a retention every lock rejects is reported.
fn common_bound<'a>(
    locks: &[&'a VaultLock],
    bound: impl Fn(&'a VaultLock) -> &'a Val<f64>,
    pick: fn(f64, f64) -> f64,
) -> Option<(f64, &'a VaultLock)> {
    let mut best: Option<(f64, &VaultLock)> = None;
    for &l in locks {
        let n = *bound(l).known()?;
        best = match best {
            Some((b, bl)) if pick(b, n) == b => Some((b, bl)),
            _ => Some((n, l)),
        };
    }
    best
}

fn check_rule(
    cx: &Context<'_, Params>,
    plan: &BackupPlan,
    rule: &PlanRule,
    min_days: f64,
    out: &mut Vec<Diagnostic>,
) {
    let plan_name = &plan.meta.address;
    let rule_name = rule
        .name
        .known()
        .map(|n| format!(" rule `{n}`"))
        .unwrap_or_default();
    let delete_after = &rule.delete_after;
    let locks = target_locks(cx, rule);
    let vault_of = |lock: &VaultLock| match cx.model.locked_vault(lock) {
        Some(vault) => vault.meta.address.clone(),
        None => lock.meta.address.clone(),
    };
    let lock_label = |d: Diagnostic, lock: &VaultLock, v: &Val<f64>, what: &str| {
        d.with_label(
            v.span,
            format!("{what} of the vault lock on {}", vault_of(lock)),
        )
    };
    let mut d = match delete_after.known() {
        Some(&days) => {
            let below = common_bound(&locks, |l| &l.min_retention_days, f64::min)
                .filter(|(min, _)| days < *min);
            let above = common_bound(&locks, |l| &l.max_retention_days, f64::max)
                .filter(|(max, _)| days > *max);
            if let Some((min, lock)) = below {
                let mut d = cx.finding(
                    delete_after.span,
                    format!(
                        "backup plan {plan_name}{rule_name} deletes recovery points after {} days, below the vault lock minimum of {} days: backup jobs fail",
                        format_number(days),
                        format_number(min)
                    ),
                );
                d.severity = Severity::Error;
                lock_label(d, lock, &lock.min_retention_days, "minimum retention")
            } else if let Some((max, lock)) = above {
                let mut d = cx.finding(
                    delete_after.span,
                    format!(
                        "backup plan {plan_name}{rule_name} deletes recovery points after {} days, above the vault lock maximum of {} days: backup jobs fail",
                        format_number(days),
                        format_number(max)
                    ),
                );
                d.severity = Severity::Error;
                lock_label(d, lock, &lock.max_retention_days, "maximum retention")
            } else if days < min_days {
                cx.finding(
                    delete_after.span,
                    format!(
                        "backup plan {plan_name}{rule_name} deletes recovery points after {} days, below the policy minimum of {} days",
                        format_number(days),
                        format_number(min_days)
                    ),
                )
            } else {
                return;
            }
        }
        // Kept until deleted by hand: a vault lock with a maximum rejects the job.
        None if !delete_after.is_explicit() => {
            match common_bound(&locks, |l| &l.max_retention_days, f64::max) {
                Some((max, lock)) => {
                    // The rule's name, when it has one, rather than the whole block.
                    let span = if rule.name.is_explicit() {
                        rule.name.span
                    } else {
                        rule.span
                    };
                    let mut d = cx.finding(
                        span,
                        format!(
                            "backup plan {plan_name}{rule_name} keeps recovery points indefinitely, but the vault lock allows at most {} days: backup jobs fail",
                            format_number(max)
                        ),
                    );
                    d.severity = Severity::Error;
                    lock_label(d, lock, &lock.max_retention_days, "maximum retention")
                }
                None => return,
            }
        }
        None => return,
    };
    d = d.with_origin(delete_after.from);
    let help = if min_days.is_finite() {
        "set the rule's lifecycle `delete_after` / `DeleteAfterDays` within the policy minimum and the target vault lock's minimum and maximum retention"
    } else {
        "set the rule's lifecycle `delete_after` / `DeleteAfterDays` within the target vault lock's minimum and maximum retention"
    };
    out.push(d.with_address(plan_name.clone()).with_help(help));
}
