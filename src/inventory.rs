//! The key rotation inventory (`iacguard keys`): every customer key with its origin,
//! rotation state, aliases, environment and consumers, and a suggested rotation order.

use crate::model::kms::{KeyOrigin, Resolution};
use crate::model::{KeyConsumer, KeyRef, KmsKey};
use crate::settings::{Date, Settings};
use crate::Report;
use serde::Serialize;

/// The version of the inventory JSON (`docs/audit.schema.json`, `keys`).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Inventory {
    pub schema_version: u32,
    /// The date rotation ages and due dates are computed for (`--today`).
    pub today: String,
    pub keys: Vec<KeyEntry>,
    /// Environments in the order to rotate them (dev first, prod last).
    pub rotation_order: Vec<String>,
    /// At-creation consumers that must be re-encrypted when their key is replaced.
    pub reencrypt: Vec<ConsumerEntry>,
    /// The AWS Config rules that monitor key rotation (`CMK_BACKING_KEY_ROTATION_ENABLED`),
    /// by address and location; empty when rotation is not monitored in the tree.
    pub rotation_monitoring: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct KeyEntry {
    pub address: String,
    /// The Terraform root module (configuration directory) the key is deployed from.
    pub configuration: Option<String>,
    pub location: String,
    pub origin: &'static str,
    pub spec: Option<String>,
    pub usage: Option<String>,
    /// `automatic (365 days)`, `on-demand only`, `none`, `unknown`; for a multi-Region
    /// replica, its primary's.
    pub rotation: String,
    /// The primary key of a multi-Region replica: its address when the tree defines it,
    /// else its ARN as written (`unknown` when not statically known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_of: Option<String>,
    pub rotation_date: Option<String>,
    pub rotation_age_days: Option<i64>,
    /// Whether the key is enabled (`unknown` when not statically known).
    pub enabled: &'static str,
    /// Expiry of imported key material (`valid_to`, `ValidTo`), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    /// For imported material: `current`, `due` (within 30 days of the policy's maximum
    /// age or of `valid_to`), `overdue` (older than the policy allows, or expired), or
    /// `untracked` (no rotation date, no `valid_to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_status: Option<&'static str>,
    pub aliases: Vec<String>,
    pub environment: Option<String>,
    pub consumers: Vec<ConsumerEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsumerEntry {
    pub resource: String,
    pub location: String,
    pub service: &'static str,
    pub attribute: &'static str,
    /// `alias` or `id`.
    pub by: &'static str,
    pub resolution: Resolution,
    pub key: Option<String>,
}

const ENV_ORDER: &[(&str, u8)] = &[
    ("dev", 0),
    ("development", 0),
    ("sandbox", 0),
    ("test", 1),
    ("int", 1),
    ("integration", 1),
    ("qa", 1),
    ("uat", 1),
    ("staging", 1),
    ("stage", 1),
    ("preprod", 2),
    ("prod", 3),
    ("production", 3),
];

fn env_rank(env: &str) -> u8 {
    ENV_ORDER
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(env))
        .map(|(_, r)| *r)
        .unwrap_or(2)
}

fn location(report: &Report, span: crate::source::Span) -> String {
    let f = report.sources.get(span.file);
    format!("{}:{}", f.name, f.position(span.start as usize).line)
}

/// The environment of a key: its `Environment`/`env` tag, else the calling root
/// module's path (`envs/prod`), else its own file's.
fn environment(report: &Report, key: &KmsKey) -> Option<String> {
    for t in ["Environment", "environment", "Env", "env"] {
        if let Some(v) = key.meta.tags.get(t).and_then(|v| v.to_plain_string()) {
            return Some(v);
        }
    }
    environment_of_path(crate::model::root_of(&key.meta.ref_name), true)
        .or_else(|| environment_of_path(&report.sources.get(key.meta.header.file).name, false))
}

/// The environment a path names: the segment after `envs/`, `environments/` or `env/`,
/// else a well-known environment directory name. `dir`: the path is a directory (its last
/// segment counts), not a file.
pub fn environment_of_path(path: &str, dir: bool) -> Option<String> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let dirs = if dir {
        parts.len()
    } else {
        parts.len().saturating_sub(1)
    };
    let parts = &parts[..dirs];
    for (i, p) in parts.iter().enumerate() {
        if matches!(*p, "envs" | "environments" | "env") {
            if let Some(next) = parts.get(i + 1) {
                return Some(next.to_string());
            }
        }
    }
    parts
        .iter()
        .rev()
        .find(|p| ENV_ORDER.iter().any(|(n, _)| n.eq_ignore_ascii_case(p)))
        .map(|p| p.to_string())
}

/// `YYYY-MM-DD` of a date.
pub fn date_string(d: Date) -> String {
    // Howard Hinnant's civil_from_days.
    let z = d.0 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{day:02}")
}

fn consumer_entry(report: &Report, c: &KeyConsumer) -> ConsumerEntry {
    ConsumerEntry {
        resource: c.meta.address.clone(),
        location: location(report, c.value.span),
        service: c.service,
        attribute: c.attribute,
        by: if c.reference.is_alias() {
            "alias"
        } else {
            "id"
        },
        resolution: c.resolution,
        key: c.key().map(|k| crate::model::display_name(k).to_string()),
    }
}

/// A key's own rotation state.
fn rotation_of(key: &KmsKey) -> String {
    match (key.origin.known(), key.rotation_enabled.known()) {
        (Some(KeyOrigin::External), _) => "on-demand only".to_string(),
        // Enabled where KMS rejects it (KMS012): the key does not rotate.
        (_, Some(true)) if key.rotation_unsupported().is_some() => {
            "none (automatic rotation is not supported for this key)".to_string()
        }
        (_, Some(true)) => format!(
            "automatic ({} days)",
            key.rotation_period_days
                .known()
                .map(|d| crate::value::format_number(*d))
                .unwrap_or_else(|| "365".into())
        ),
        (_, Some(false)) => "none".to_string(),
        _ => "unknown".to_string(),
    }
}

pub fn build(report: &Report, settings: &Settings) -> Inventory {
    let model = &report.keys;
    let kms003 = crate::rules::params_of::<
        crate::rules::kms::imported_key_rotation_untracked::Params,
    >("KMS003", settings);
    let tag = kms003.as_ref().map(|p| p.tag.clone()).unwrap_or_default();
    let max_age_days = kms003.as_ref().map_or(365.0, |p| p.max_age_days);
    let mut keys = Vec::new();
    for key in &model.kms_keys {
        let origin = match key.origin.known() {
            Some(KeyOrigin::AwsKms) => "AWS_KMS",
            Some(KeyOrigin::External) => "EXTERNAL",
            Some(KeyOrigin::CustomStore) => "custom key store",
            None => "unknown",
        };
        let primary = key.primary_key().and_then(|p| model.key(p));
        let rotation = match (key.is_replica(), primary) {
            // External replicas rotate their own material, on demand.
            (true, _) if key.origin.known() == Some(&KeyOrigin::External) => rotation_of(key),
            (true, Some(p)) => format!("as its primary: {}", rotation_of(p)),
            (true, None) => "as its primary".to_string(),
            (false, _) => rotation_of(key),
        };
        let replica_of = key.primary.as_ref().map(|v| match primary {
            Some(p) => p.meta.address.clone(),
            None => v.to_plain_string().unwrap_or_else(|| "unknown".into()),
        });
        let rotation_date = key.meta.tags.get(&tag).and_then(|v| v.to_plain_string());
        let rotation_age_days = rotation_date
            .as_deref()
            .and_then(Date::parse)
            .map(|d| settings.today.0 - d.0);
        let valid_to = key.valid_to.known().cloned();
        let rotation_status = (key.origin.known() == Some(&KeyOrigin::External)).then(|| {
            let max_age = max_age_days as i64;
            let today = settings.today.0;
            let expiry = valid_to
                .as_deref()
                .and_then(Date::parse)
                .map(|d| d.0 - today);
            let age = rotation_age_days;
            match (age, expiry) {
                (None, None) => "untracked",
                (a, e) if a.is_some_and(|a| a > max_age) || e.is_some_and(|e| e < 0) => "overdue",
                (a, e) if a.is_some_and(|a| a > max_age - 30) || e.is_some_and(|e| e <= 30) => {
                    "due"
                }
                _ => "current",
            }
        });
        let consumers: Vec<ConsumerEntry> = model
            .kms_consumers
            .iter()
            .filter(|c| c.uses(key))
            .map(|c| consumer_entry(report, c))
            .collect();
        keys.push(KeyEntry {
            address: key.meta.address.clone(),
            // Terraform root modules are separate configurations; a template is its file.
            configuration: (key.meta.framework == crate::resource::Framework::Terraform)
                .then_some(key.meta.ref_name.as_str())
                .and_then(|r| r.split_once("//"))
                .map(|(root, _)| {
                    if root.is_empty() {
                        ".".to_string()
                    } else {
                        root.to_string()
                    }
                }),
            location: location(report, key.meta.header),
            origin,
            spec: key.spec.known().cloned(),
            usage: key.usage.known().cloned(),
            rotation,
            replica_of,
            rotation_date,
            rotation_age_days,
            enabled: match key.enabled.known() {
                Some(true) => "enabled",
                Some(false) => "disabled",
                None => "unknown",
            },
            valid_to,
            rotation_status,
            aliases: model
                .aliases_of_key(key)
                .map(|a| {
                    a.name
                        .known()
                        .cloned()
                        .unwrap_or_else(|| a.meta.address.clone())
                })
                .collect(),
            environment: environment(report, key),
            consumers,
        });
    }
    keys.sort_by(|a, b| {
        let rank = |k: &KeyEntry| k.environment.as_deref().map(env_rank).unwrap_or(2);
        (
            rank(a),
            &a.environment,
            &a.configuration,
            &a.address,
            &a.location,
        )
            .cmp(&(
                rank(b),
                &b.environment,
                &b.configuration,
                &b.address,
                &b.location,
            ))
    });
    let mut envs: Vec<String> = keys.iter().filter_map(|k| k.environment.clone()).collect();
    envs.sort_by(|a, b| (env_rank(a), a).cmp(&(env_rank(b), b)));
    envs.dedup();
    let reencrypt = model
        .kms_consumers
        .iter()
        .filter(|c| {
            c.resolution == Resolution::AtCreation
                && !matches!(c.reference, KeyRef::Unknown | KeyRef::AwsManagedAlias(_))
        })
        .map(|c| consumer_entry(report, c))
        .collect();
    let rotation_monitoring = model
        .config_rules
        .iter()
        .filter(|r| {
            r.identifier.known().map(String::as_str)
                == Some(crate::rules::kms::rotation_not_monitored::ROTATION_RULE)
        })
        .map(|r| format!("{} ({})", r.meta.address, location(report, r.meta.header)))
        .collect();
    Inventory {
        schema_version: SCHEMA_VERSION,
        today: date_string(settings.today),
        keys,
        rotation_order: envs,
        reencrypt,
        rotation_monitoring,
    }
}

pub fn render_text(inv: &Inventory) -> String {
    let mut s = String::new();
    if inv.keys.is_empty() {
        s.push_str("no customer KMS keys found\n");
        return s;
    }
    for k in &inv.keys {
        match &k.configuration {
            Some(c) => s.push_str(&format!("{}  [{}]  ({})\n", k.address, c, k.location)),
            None => s.push_str(&format!("{}  ({})\n", k.address, k.location)),
        }
        s.push_str(&format!(
            "  origin: {}   spec: {}   usage: {}\n",
            k.origin,
            k.spec.as_deref().unwrap_or("unknown"),
            k.usage.as_deref().unwrap_or("unknown")
        ));
        if let Some(p) = &k.replica_of {
            s.push_str(&format!("  multi-Region replica of: {p}\n"));
        }
        s.push_str(&format!("  rotation: {}", k.rotation));
        if let Some(d) = &k.rotation_date {
            s.push_str(&format!("   last rotated: {d}"));
            if let Some(age) = k.rotation_age_days {
                s.push_str(&format!(" ({age} days ago)"));
            }
        }
        s.push('\n');
        if k.valid_to.is_some() || k.rotation_status.is_some() {
            s.push_str(&format!(
                "  material valid to: {}   rotation status: {}\n",
                k.valid_to.as_deref().unwrap_or("not set"),
                k.rotation_status.unwrap_or("n/a")
            ));
        }
        s.push_str(&format!(
            "  {}   environment: {}   aliases: {}\n",
            k.enabled,
            k.environment.as_deref().unwrap_or("unknown"),
            if k.aliases.is_empty() {
                "none".to_string()
            } else {
                k.aliases.join(", ")
            }
        ));
        if k.consumers.is_empty() {
            s.push_str("  consumers: none in the scanned tree\n");
        } else {
            s.push_str("  consumers:\n");
            for c in &k.consumers {
                s.push_str(&format!(
                    "    {:<60} {:<32} by {:<5} {}\n",
                    c.resource,
                    c.attribute,
                    c.by,
                    match c.resolution {
                        Resolution::PerRequest => "resolved per request",
                        Resolution::AtCreation =>
                            "stored at creation: re-encrypt on key replacement",
                    }
                ));
            }
        }
        s.push('\n');
    }
    if inv.rotation_monitoring.is_empty() {
        s.push_str("rotation monitoring: no AWS Config rule CMK_BACKING_KEY_ROTATION_ENABLED in the scanned tree\n");
    } else {
        s.push_str(&format!(
            "rotation monitoring: {}\n",
            inv.rotation_monitoring.join(", ")
        ));
    }
    if !inv.rotation_order.is_empty() {
        s.push_str(&format!(
            "rotation order: {}\n",
            inv.rotation_order.join(" -> ")
        ));
    }
    if !inv.reencrypt.is_empty() {
        s.push_str("re-encrypt when the key is replaced:\n");
        for c in &inv.reencrypt {
            s.push_str(&format!(
                "  {} {} ({})\n",
                c.resource, c.attribute, c.location
            ));
        }
    }
    s
}

fn node_id(prefix: &str, name: &str) -> String {
    let mut id = String::from(prefix);
    for ch in name.chars() {
        id.push(if ch.is_ascii_alphanumeric() { ch } else { '_' });
    }
    id
}

/// Text inside a quoted Mermaid label: quotes, `#`, `<`, `>`, `&` and line breaks as
/// Mermaid's entity codes, so that no label ends early or reads as markup.
pub fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a quoted Graphviz label: backslashes and quotes escaped, line breaks as
/// spaces.
pub fn dot_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid flowchart: aliases → keys ← consumers.
pub fn render_mermaid(inv: &Inventory) -> String {
    let mut s = String::from("flowchart LR\n");
    for k in &inv.keys {
        let kid = node_id(
            "k_",
            &format!("{}_{}", k.configuration.as_deref().unwrap_or(""), k.address),
        );
        let label = mermaid_text(&format!("{} ({})", k.address, k.rotation));
        s.push_str(&format!("  {kid}[\"{label}\"]\n"));
        for a in &k.aliases {
            let aid = node_id("a_", &format!("{kid}_{a}"));
            s.push_str(&format!("  {aid}([\"{}\"]) --> {kid}\n", mermaid_text(a)));
        }
        for c in &k.consumers {
            let cid = node_id(
                "c_",
                &format!("{}_{}_{}", c.location, c.resource, c.attribute),
            );
            let arrow = if c.resolution == Resolution::AtCreation {
                "-.->"
            } else {
                "-->"
            };
            s.push_str(&format!(
                "  {cid}[\"{}\"] {arrow}|\"by {}\"| {kid}\n",
                mermaid_text(&format!("{}: {}", c.resource, c.attribute)),
                c.by
            ));
        }
    }
    s
}

/// A Graphviz digraph: aliases → keys ← consumers.
pub fn render_dot(inv: &Inventory) -> String {
    let mut s = String::from("digraph keys {\n  rankdir=LR;\n");
    for k in &inv.keys {
        let kid = node_id(
            "k_",
            &format!("{}_{}", k.configuration.as_deref().unwrap_or(""), k.address),
        );
        s.push_str(&format!(
            "  {kid} [shape=box, label=\"{}\\n{}\"];\n",
            dot_text(&k.address),
            dot_text(&k.rotation)
        ));
        for a in &k.aliases {
            let aid = node_id("a_", &format!("{kid}_{a}"));
            s.push_str(&format!(
                "  {aid} [shape=ellipse, label=\"{}\"];\n  {aid} -> {kid};\n",
                dot_text(a)
            ));
        }
        for c in &k.consumers {
            let cid = node_id(
                "c_",
                &format!("{}_{}_{}", c.location, c.resource, c.attribute),
            );
            let style = if c.resolution == Resolution::AtCreation {
                "dashed"
            } else {
                "solid"
            };
            s.push_str(&format!(
                "  {cid} [shape=note, label=\"{}\\n{}\"];\n  {cid} -> {kid} [style={style}, label=\"by {}\"];\n",
                dot_text(&c.resource),
                dot_text(c.attribute),
                c.by
            ));
        }
    }
    s.push_str("}\n");
    s
}
