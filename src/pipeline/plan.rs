//! Terraform plans in a scan: numbered after the variable files, and those whose
//! configuration is not in the tree analysed on their own, placed in the plan (a plan of
//! a root module of the tree is analysed with it, in [`super::terraform`]).

use super::analyse::{Adapted, Collected, Unit};
use super::timing::{Clock, Phase};
use super::{ScanOptions, Tree};
use crate::pipeline::plan_input::PlanInput;
use crate::source::FileId;

/// Parses the plans, numbered after the tree and the variable files.
pub(super) fn parse(plans: &mut [PlanInput], tree: &Tree, var_unit: &Unit) {
    let first = tree.files.len() + tree.unreadable.len() + var_unit.files.len();
    for (k, p) in plans.iter_mut().enumerate() {
        p.parse((first + k) as FileId);
    }
}

/// Analyses the plans no root module of the tree took, and hands every plan file to the
/// report (after the variable files, as numbered). Returns each plan with its root.
pub(super) fn analyse(
    plans: Vec<PlanInput>,
    options: &ScanOptions,
    clock: &Clock,
    out: &mut Collected,
    var_unit: &mut Unit,
) -> Vec<(String, Option<String>)> {
    let mut roots = Vec::new();
    for mut p in plans {
        out.diagnostics.append(&mut p.diagnostics);
        out.files_analyzed += 1;
        if let (Some(tree), None) = (&p.tree, &p.root) {
            let placement = crate::plan::Placement {
                root: p.name.clone(),
                source: None,
            };
            let planned = clock.time(Phase::Evaluate, || crate::plan::read(tree, &placement));
            out.diagnostics.extend(planned.diagnostics);
            let adapted = clock.time(Phase::Adapt, || Adapted::new(planned.instances, |_| None));
            out.results.merge(adapted.analyse(options, clock));
        }
        roots.push((p.name.clone(), p.root.clone()));
        let id = p.id;
        let file = p.source_file();
        drop(p);
        var_unit.files.push((id, file));
    }
    roots
}
