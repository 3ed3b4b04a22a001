//! `check --fix`: applies the fixes of a scan in passes, as ruff does. Each pass scans
//! (with the files fixed so far as overlays), applies the fixes that do not overlap in
//! each file, and checks that every fixed file still parses; fixes that overlap one
//! applied in the same pass wait for the next pass, which sees the new text. The passes
//! stop when nothing is left to apply, or after [`MAX_PASSES`].

use super::{apply_edits, overlap, Edit, Fix, Safety, Syntax};
use crate::source::FileId;
use crate::{Report, ScanOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Passes before giving up on fixes that keep appearing.
pub const MAX_PASSES: usize = 10;

#[derive(Debug, Clone, Copy, Default)]
pub struct FixRequest {
    /// Apply the unsafe fixes too.
    pub unsafe_fixes: bool,
}

/// A file the fixes changed.
#[derive(Debug, Clone)]
pub struct FixedFile {
    pub path: PathBuf,
    /// Relative to the scan root, as reports name it.
    pub name: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug)]
pub struct FixOutcome {
    /// The scan of the fixed texts: what is left.
    pub report: Report,
    /// Findings fixed, over every pass (the instances of one block, fixed by one edit,
    /// count each).
    pub applied: usize,
    pub files: Vec<FixedFile>,
    /// Fixes not applied, and why (a file changed on disk, a result that would not parse).
    pub notes: Vec<String>,
}

/// Scans, fixes and scans again until no fix is left; nothing is written (see
/// [`write`]). The files are read as on disk, never through the report's texts (which
/// have secrets blanked).
pub fn fix_tree(options: &ScanOptions, request: FixRequest) -> FixOutcome {
    let mut options = options.clone();
    let mut files: BTreeMap<PathBuf, FixedFile> = BTreeMap::new();
    let mut applied = 0;
    let mut notes = Vec::new();
    let mut report = crate::scan(&options);
    for _ in 0..MAX_PASSES {
        let wanted = |f: &&Fix| f.safety == Safety::Safe || request.unsafe_fixes;
        let mut chosen: Vec<&Fix> = Vec::new();
        // Findings whose fix is the same edits as a chosen one (the instances of one
        // block): fixed with it.
        let mut copies: std::collections::HashMap<&[Edit], usize> = Default::default();
        for f in report
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_deref())
            .filter(wanted)
        {
            if let Some(n) = copies.get_mut(f.edits.as_slice()) {
                *n += 1;
                continue;
            }
            let free = f
                .edits
                .iter()
                .all(|e| chosen.iter().flat_map(|c| &c.edits).all(|c| !overlap(c, e)));
            if free {
                chosen.push(f);
                copies.insert(&f.edits, 0);
            }
        }
        let findings_of = |fixes: &[&Fix]| -> usize {
            fixes
                .iter()
                .map(|f| 1 + copies.get(f.edits.as_slice()).copied().unwrap_or(0))
                .sum()
        };
        if chosen.is_empty() {
            break;
        }
        let mut by_file: BTreeMap<FileId, Vec<&Fix>> = BTreeMap::new();
        for f in &chosen {
            // A fix is kept whole: all its files or none.
            if let Some(first) = f.files().first() {
                by_file.entry(*first).or_default().push(f);
            }
        }
        let mut progress = 0;
        let mut texts: BTreeMap<FileId, String> = BTreeMap::new();
        for (file, fixes) in by_file {
            // All at once first: one parse of the fixed file when every fix fits.
            if let Ok(out) = try_apply(&report, &files, &fixes) {
                progress += findings_of(&fixes);
                texts.extend(out);
                continue;
            }
            let mut kept: Vec<&Fix> = Vec::new();
            for fix in fixes {
                let mut trial = kept.clone();
                trial.push(fix);
                match try_apply(&report, &files, &trial) {
                    Ok(out) => {
                        kept = trial;
                        texts.extend(out);
                    }
                    Err(why) => {
                        let src = report.sources.get(file);
                        notes.push(format!(
                            "{}: fix not applied ({}): {why}",
                            src.name, fix.description
                        ));
                    }
                }
            }
            progress += findings_of(&kept);
        }
        if progress == 0 {
            break;
        }
        applied += progress;
        for (id, after) in texts {
            let src = report.sources.get(id);
            let entry = files.entry(src.path.clone()).or_insert_with(|| FixedFile {
                path: src.path.clone(),
                name: src.name.clone(),
                before: current_text(&report, &BTreeMap::new(), id).unwrap_or_default(),
                after: String::new(),
            });
            entry.after = after;
        }
        options.overlays = overlays(&options.overlays, &files);
        report = crate::scan(&options);
    }
    files.retain(|_, f| f.before != f.after);
    FixOutcome {
        report,
        applied,
        files: files.into_values().collect(),
        notes,
    }
}

/// Writes the fixed files.
pub fn write(outcome: &FixOutcome) -> std::io::Result<()> {
    for f in &outcome.files {
        std::fs::write(&f.path, &f.after)?;
    }
    Ok(())
}

fn overlays(
    base: &[(PathBuf, String)],
    files: &BTreeMap<PathBuf, FixedFile>,
) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = base
        .iter()
        .filter(|(p, _)| !files.contains_key(p))
        .cloned()
        .collect();
    out.extend(files.values().map(|f| (f.path.clone(), f.after.clone())));
    out
}

/// The text of a file as the scan analysed it: the fixed text of an earlier pass, or the
/// file on disk when it is still what was analysed.
fn current_text(
    report: &Report,
    files: &BTreeMap<PathBuf, FixedFile>,
    id: FileId,
) -> Result<String, String> {
    let src = report.sources.get(id);
    if let Some(f) = files.get(&src.path) {
        return Ok(f.after.clone());
    }
    let bytes = std::fs::read(&src.path).map_err(|e| format!("cannot read it: {e}"))?;
    let text = crate::source::decode(bytes);
    if src.holds(&text) {
        Ok(text)
    } else {
        Err("the file changed since it was analysed".into())
    }
}

/// The fixed texts of the files `fixes` change, each checked to parse.
fn try_apply(
    report: &Report,
    files: &BTreeMap<PathBuf, FixedFile>,
    fixes: &[&Fix],
) -> Result<BTreeMap<FileId, String>, String> {
    let mut by_file: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    for e in fixes.iter().flat_map(|f| &f.edits) {
        by_file.entry(e.span.file).or_default().push(e);
    }
    let mut out = BTreeMap::new();
    for (id, mut edits) in by_file {
        edits.sort();
        let text = current_text(report, files, id)?;
        let fixed = apply_edits(&text, &edits).ok_or("its edits do not fit the file")?;
        let name = &report.sources.get(id).name;
        if let Some(syntax) = Syntax::of(name) {
            syntax
                .check(&fixed)
                .map_err(|e| format!("the file would not parse: {e}"))?;
        }
        out.insert(id, fixed);
    }
    Ok(out)
}
