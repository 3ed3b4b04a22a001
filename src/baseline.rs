//! Baselines: record today's findings by stable fingerprints, then report only new ones.
//!
//! A fingerprint is the rule, the path, the resource address and a hash of the offending
//! text with whitespace collapsed: unrelated edits that move lines do not change it.

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub address: Option<String>,
    pub fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// How a baseline applied to a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Findings that were in the baseline (not reported as new).
    pub baselined: usize,
    /// Baseline entries no longer found (fixed since).
    pub fixed: usize,
}

/// FNV-1a: stable across platforms and releases (unlike `DefaultHasher`).
pub(crate) fn fnv1a(data: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub fn entry(d: &Diagnostic, sources: &SourceMap) -> Entry {
    let file = sources.get(d.primary.file);
    let text: String = sources
        .text(d.primary)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Entry {
        rule: d.rule.clone(),
        path: file.name.clone(),
        address: d.address.clone(),
        fingerprint: format!(
            "{:016x}",
            fnv1a(&format!(
                "{}\0{}\0{}\0{}",
                d.rule,
                file.name,
                d.address.as_deref().unwrap_or(""),
                text
            ))
        ),
    }
}

pub fn write(path: &Path, diagnostics: &[Diagnostic], sources: &SourceMap) -> std::io::Result<()> {
    let b = Baseline {
        version: 1,
        findings: diagnostics.iter().map(|d| entry(d, sources)).collect(),
    };
    let mut s = serde_json::to_string_pretty(&b).map_err(std::io::Error::other)?;
    s.push('\n');
    std::fs::write(path, s)
}

pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("not an iacguard baseline: {e}"))
}

/// Splits findings into new ones and baselined ones.
pub fn apply(
    baseline: &Baseline,
    diagnostics: Vec<Diagnostic>,
    sources: &SourceMap,
) -> (Vec<Diagnostic>, Vec<Diagnostic>, Stats) {
    let mut remaining: HashMap<&Entry, usize> = HashMap::new();
    for e in &baseline.findings {
        *remaining.entry(e).or_insert(0) += 1;
    }
    let mut new = Vec::new();
    let mut old = Vec::new();
    for d in diagnostics {
        let e = entry(&d, sources);
        match remaining.get_mut(&e) {
            Some(n) if *n > 0 => {
                *n -= 1;
                old.push(d);
            }
            _ => new.push(d),
        }
    }
    let stats = Stats {
        baselined: old.len(),
        fixed: remaining.values().sum(),
    };
    (new, old, stats)
}
