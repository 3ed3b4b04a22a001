//! Audit evidence (`iacguard audit`): for every rule the active profile runs and every
//! resource of the rule's subject, one verdict — pass, fail, undecided, suppressed,
//! baselined or not applicable — with totals per rule, family and environment, and the key
//! inventory.
//!
//! Verdicts are derived outside the rules: from the resources of each rule's subject
//! (`subject` in `rules/<ID>.md`, kept by [`subjects::of`] while a group's model is at
//! hand), the rule's findings, the suppressed and baselined findings, the fields the rule
//! reads (`reads`) that are not statically known, and the not-evaluated notes that say why.

pub mod html;
pub mod subjects;

use crate::diagnostic::{codes, Diagnostic};
use crate::inventory::{self, Inventory};
use crate::rules::{RuleKind, RuleMeta};
use crate::settings::Settings;
use crate::source::FileId;
use crate::Report;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
pub use subjects::Subject;

/// The version of the audit JSON (`docs/audit.schema.json`).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    Undecided,
    Suppressed,
    Baselined,
    NotApplicable,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::Undecided,
        Verdict::Suppressed,
        Verdict::Baselined,
        Verdict::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Undecided => "undecided",
            Verdict::Suppressed => "suppressed",
            Verdict::Baselined => "baselined",
            Verdict::NotApplicable => "not_applicable",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub undecided: usize,
    pub suppressed: usize,
    pub baselined: usize,
    pub not_applicable: usize,
    pub total: usize,
}

impl Counts {
    fn add(&mut self, v: Verdict) {
        *match v {
            Verdict::Pass => &mut self.pass,
            Verdict::Fail => &mut self.fail,
            Verdict::Undecided => &mut self.undecided,
            Verdict::Suppressed => &mut self.suppressed,
            Verdict::Baselined => &mut self.baselined,
            Verdict::NotApplicable => &mut self.not_applicable,
        } += 1;
        self.total += 1;
    }

    pub fn get(&self, v: Verdict) -> usize {
        match v {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
            Verdict::Undecided => self.undecided,
            Verdict::Suppressed => self.suppressed,
            Verdict::Baselined => self.baselined,
            Verdict::NotApplicable => self.not_applicable,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Audit {
    pub schema_version: u32,
    pub tool: Tool,
    /// The date date-based rules compared against (`--today`).
    pub today: String,
    pub profile: &'static str,
    pub summary: Summary,
    pub controls: Vec<Control>,
    /// Findings of a rule that no resource of its subject holds (none expected).
    pub unmatched_findings: Vec<FindingEntry>,
    pub keys: Inventory,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub total: Counts,
    /// `kms-rotation`, `api-exposure`, `backup`, `tagging`.
    pub families: BTreeMap<&'static str, Counts>,
    /// By environment, where one is known (a tag, or the root module's `envs/<name>/`).
    pub environments: BTreeMap<String, Counts>,
}

#[derive(Debug, Serialize)]
pub struct Control {
    pub id: String,
    pub name: String,
    pub family: &'static str,
    pub kind: &'static str,
    pub severity: &'static str,
    pub summary: String,
    pub subject: String,
    /// Where the active profile runs the rule, in words.
    pub scope: String,
    pub counts: Counts,
    pub resources: Vec<ResourceVerdict>,
}

#[derive(Debug, Serialize)]
pub struct ResourceVerdict {
    pub address: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub path: String,
    pub line: usize,
    /// The root modules or templates that deploy it.
    pub configurations: Vec<String>,
    pub environments: Vec<String>,
    pub verdict: Verdict,
    /// Why: the attribute left unknown and its cause, why the rule does not apply, the
    /// suppression's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where the suppression or the unknown value is (`path:line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingEntry {
    pub rule: String,
    pub severity: &'static str,
    pub message: String,
    pub address: Option<String>,
    pub path: String,
    pub line: usize,
    /// The lines of the primary span, as written (at most 8).
    pub excerpt: String,
}

/// The family a rule belongs to, for the summary.
pub fn family(meta: &RuleMeta) -> &'static str {
    match meta.category.as_str() {
        "kms" => "kms-rotation",
        "apigateway" | "cloudfront" => "api-exposure",
        "backup" => "backup",
        _ => "tagging",
    }
}

fn finding_entry(report: &Report, d: &Diagnostic) -> FindingEntry {
    let f = report.sources.get(d.primary.file);
    let start = f.position(d.primary.start as usize).line;
    let end = f.position(d.primary.end as usize).line.max(start);
    let excerpt = (start..=end.min(start + 7))
        .filter_map(|l| f.line_range(l.saturating_sub(1)))
        .map(|r| f.text().get(r).unwrap_or("").trim_end_matches(['\n', '\r']))
        .collect::<Vec<_>>()
        .join("\n");
    FindingEntry {
        rule: d.rule.clone(),
        severity: d.severity.as_str(),
        message: d.message.clone(),
        address: d.address.clone(),
        path: f.name.clone(),
        line: start,
        excerpt,
    }
}

/// One resource of a subject across the root modules that deploy it: a module's resource
/// is one place in the code, and the report names it once.
struct Place<'a> {
    first: &'a Subject,
    roots: BTreeSet<String>,
    environments: BTreeSet<String>,
    unknown: Vec<(&'static str, &'static str, crate::source::Span)>,
    not_applicable: Vec<(&'static str, String)>,
}

/// The environment of a resource: its tag, else its root module's or file's
/// `envs/<name>/` (or a well-known environment directory).
fn environment_of(report: &Report, s: &Subject) -> Option<String> {
    if let Some(e) = &s.environment_tag {
        return Some(e.clone());
    }
    inventory::environment_of_path(&s.root, true)
        .or_else(|| inventory::environment_of_path(&report.sources.get(s.header.file).name, false))
}

/// The causes the not-evaluated notes give, by resource address and attribute.
fn unevaluated_causes(report: &Report) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    for d in &report.diagnostics {
        if d.rule != codes::NOT_EVALUATED {
            continue;
        }
        let Some((_, items)) = d.message.split_once(": ") else {
            continue;
        };
        for item in items.split("; ") {
            // "`attr` of address (why)"
            let Some(rest) = item.strip_prefix('`') else {
                continue;
            };
            let Some((attr, rest)) = rest.split_once("` of ") else {
                continue;
            };
            let Some((address, why)) = rest.split_once(" (") else {
                continue;
            };
            let why = why.strip_suffix(')').unwrap_or(why);
            out.insert((address.to_string(), attr.to_string()), why.to_string());
        }
    }
    out
}

/// The audit of a scan made with [`crate::ScanOptions::keep_audit`] (and `keep_keys`).
pub fn build(report: &Report, settings: &Settings) -> Audit {
    let causes = unevaluated_causes(report);
    // Subjects by kind, then by place (address, file, header).
    let mut places: BTreeMap<&str, BTreeMap<(FileId, u32, &str), Place<'_>>> = BTreeMap::new();
    for s in &report.audit {
        let p = places
            .entry(s.kind)
            .or_default()
            .entry((s.header.file, s.header.start, s.address.as_str()))
            .or_insert_with(|| Place {
                first: s,
                roots: BTreeSet::new(),
                environments: BTreeSet::new(),
                unknown: Vec::new(),
                not_applicable: Vec::new(),
            });
        p.roots.insert(if s.root.is_empty() {
            report.sources.get(s.header.file).name.clone()
        } else {
            s.root.clone()
        });
        if let Some(e) = environment_of(report, s) {
            p.environments.insert(e);
        }
        for u in &s.unknown {
            if !p.unknown.iter().any(|x| x.0 == u.0) {
                p.unknown.push(*u);
            }
        }
        // Not applicable only where it is so in every root that deploys it.
        if p.roots.len() == 1 {
            p.not_applicable = s.not_applicable.clone();
        } else {
            p.not_applicable.retain(|n| s.not_applicable.contains(n));
        }
    }
    // Findings by rule and place; suppressed ones apart.
    type ByPlace<'a> = HashMap<(&'a str, FileId, &'a str), Vec<&'a Diagnostic>>;
    let key = |d: &Diagnostic| -> Option<(String, FileId, String)> {
        Some((d.rule.clone(), d.primary.file, d.address.clone()?))
    };
    let mut failed: ByPlace = HashMap::new();
    for d in &report.diagnostics {
        if let Some(a) = &d.address {
            failed
                .entry((d.rule.as_str(), d.primary.file, a.as_str()))
                .or_default()
                .push(d);
        }
    }
    let mut suppressed: HashMap<(&str, FileId, &str), &crate::suppress::Suppressed> =
        HashMap::new();
    for s in &report.suppressed {
        if let Some(a) = &s.diagnostic.address {
            suppressed
                .entry((s.diagnostic.rule.as_str(), s.diagnostic.primary.file, a))
                .or_insert(s);
        }
    }
    let mut matched: BTreeSet<(String, FileId, String)> = BTreeSet::new();
    let mut controls = Vec::new();
    let mut summary = Summary {
        total: Counts::default(),
        families: BTreeMap::new(),
        environments: BTreeMap::new(),
    };
    let location = |span: crate::source::Span| {
        let f = report.sources.get(span.file);
        (f.name.clone(), f.position(span.start as usize).line)
    };
    for meta in crate::rules::all() {
        if !meta.enabled(settings) {
            continue;
        }
        let Some(subject) = meta.subject.as_deref() else {
            continue;
        };
        let family = family(meta);
        // A policy the profile does not enforce here: only where the tree shows its
        // premise, or when configured.
        let policy_off = meta.kind == RuleKind::Policy && !meta.enforces_policy(settings);
        let mut counts = Counts::default();
        let mut rows = Vec::new();
        let empty = BTreeMap::new();
        for ((file, _, address), p) in places.get(subject).unwrap_or(&empty) {
            let k = (meta.id.as_str(), *file, *address);
            let (verdict, reason, at, findings) = if let Some(found) = failed.get(&k) {
                matched.insert((meta.id.clone(), *file, address.to_string()));
                let f = found.iter().map(|d| finding_entry(report, d)).collect();
                (Verdict::Fail, None, None, f)
            } else if let Some(s) = suppressed.get(&k) {
                let (path, line) = location(s.diagnostic.primary);
                let v = if s.in_source {
                    Verdict::Suppressed
                } else {
                    Verdict::Baselined
                };
                let reason = s
                    .justification
                    .clone()
                    .or_else(|| (!s.in_source).then(|| "recorded in the baseline".to_string()));
                let f = vec![finding_entry(report, &s.diagnostic)];
                (v, reason, Some(format!("{path}:{line}")), f)
            } else if let Some((_, why)) = p.not_applicable.iter().find(|(r, _)| *r == meta.id) {
                (Verdict::NotApplicable, Some(why.clone()), None, Vec::new())
            } else if policy_off {
                let why = format!(
                    "policy run by the {} profile {}",
                    settings.profile.as_str(),
                    meta.scope_under(settings.profile)
                );
                (Verdict::NotApplicable, Some(why), None, Vec::new())
            } else if let Some((field, attr, span)) = p
                .unknown
                .iter()
                .find(|(f, _, _)| meta.reads.iter().any(|r| r == f))
            {
                let shown = if attr.is_empty() { *field } else { *attr };
                let why = causes
                    .get(&(address.to_string(), shown.to_string()))
                    .cloned()
                    .unwrap_or_else(|| "not statically known".to_string());
                let (path, line) = location(*span);
                let _ = field;
                (
                    Verdict::Undecided,
                    Some(format!("`{shown}`: {why}")),
                    Some(format!("{path}:{line}")),
                    Vec::new(),
                )
            } else {
                (Verdict::Pass, None, None, Vec::new())
            };
            counts.add(verdict);
            summary.total.add(verdict);
            summary.families.entry(family).or_default().add(verdict);
            for e in &p.environments {
                summary
                    .environments
                    .entry(e.clone())
                    .or_default()
                    .add(verdict);
            }
            let (path, line) = location(p.first.header);
            rows.push(ResourceVerdict {
                address: address.to_string(),
                rtype: p.first.rtype.clone(),
                path,
                line,
                configurations: p.roots.iter().cloned().collect(),
                environments: p.environments.iter().cloned().collect(),
                verdict,
                reason,
                at,
                findings,
            });
        }
        rows.sort_by(|a, b| (&a.path, a.line, &a.address).cmp(&(&b.path, b.line, &b.address)));
        controls.push(Control {
            id: meta.id.clone(),
            name: meta.name.clone(),
            family,
            kind: meta.kind.as_str(),
            severity: settings
                .severity_override(&meta.id)
                .unwrap_or(meta.severity)
                .as_str(),
            summary: meta.summary.clone(),
            subject: subject.to_string(),
            scope: meta.scope_under(settings.profile),
            counts,
            resources: rows,
        });
    }
    let unmatched_findings = report
        .diagnostics
        .iter()
        .filter(|d| crate::rules::find(&d.rule).is_some())
        .filter(|d| key(d).is_none_or(|k| !matched.contains(&k)))
        .map(|d| finding_entry(report, d))
        .collect();
    Audit {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "iacguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        today: inventory::date_string(settings.today),
        profile: settings.profile.as_str(),
        summary,
        controls,
        unmatched_findings,
        keys: inventory::build(report, settings),
    }
}

pub fn render_json(audit: &Audit) -> String {
    let mut s = serde_json::to_string_pretty(audit).unwrap_or_default();
    s.push('\n');
    s
}

fn counts_line(c: &Counts) -> String {
    Verdict::ALL
        .iter()
        .map(|v| format!("{} {}", c.get(*v), v.as_str().replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render_text(audit: &Audit) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "audit for {} (profile {}): {} verdicts: {}",
        audit.today,
        audit.profile,
        audit.summary.total.total,
        counts_line(&audit.summary.total)
    );
    for (f, c) in &audit.summary.families {
        let _ = writeln!(s, "  {f:<14} {}", counts_line(c));
    }
    for (e, c) in &audit.summary.environments {
        let _ = writeln!(s, "  env {e:<10} {}", counts_line(c));
    }
    for c in &audit.controls {
        let _ = writeln!(
            s,
            "\n{} {} [{}]: {}",
            c.id,
            c.name,
            c.subject,
            counts_line(&c.counts)
        );
        for r in &c.resources {
            let _ = write!(
                s,
                "  {:<14} {} ({}:{})",
                r.verdict.as_str(),
                r.address,
                r.path,
                r.line
            );
            if let Some(why) = &r.reason {
                let _ = write!(s, ": {why}");
            }
            if let Some(at) = &r.at {
                let _ = write!(s, " [{at}]");
            }
            s.push('\n');
            for f in &r.findings {
                let _ = writeln!(s, "      {} ({}:{})", f.message, f.path, f.line);
            }
        }
    }
    if !audit.unmatched_findings.is_empty() {
        let _ = writeln!(s, "\nfindings on no resource of their rule's subject:");
        for f in &audit.unmatched_findings {
            let _ = writeln!(s, "  {} {} ({}:{})", f.rule, f.message, f.path, f.line);
        }
    }
    s.push('\n');
    s.push_str(&inventory::render_text(&audit.keys));
    s
}
