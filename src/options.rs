//! Builds the scan options from a configuration file and the caller's overrides (command
//! line flags, an editor's open buffers), so that every front end reads `.iacguard.toml`
//! the same way.

use crate::config::{self, ConfigError, ConfigFile};
use crate::diagnostic::Severity;
use crate::settings::{Date, Settings};
use crate::{absolutize, discover, rules, ScanOptions};
use std::path::{Path, PathBuf};

/// What the caller sets on top of the configuration file; flags win over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replaces the configured `select` when not empty.
    pub select: Vec<String>,
    /// Added to the configured `ignore`.
    pub ignore: Vec<String>,
    pub today: Option<Date>,
    /// Replaces the configured profile.
    pub profile: Option<crate::settings::Profile>,
    /// Terraform root variables, after the configured ones.
    pub vars: Vec<(String, String)>,
    /// Absolute paths of Terraform variable files, after the configured ones.
    pub var_files: Vec<PathBuf>,
    /// CloudFormation parameter overrides, after the configured ones.
    pub parameters: Vec<(String, String)>,
    /// Globs relative to the scan root, after the configured ones.
    pub exclude: Vec<String>,
}

/// Finds `.iacguard.toml` from `start` upwards and reads it; the default configuration
/// when there is none. Returns the file's directory too (its paths are relative to it).
pub fn find_config(start: &Path) -> Result<(ConfigFile, Option<PathBuf>), ConfigError> {
    match config::find(start) {
        Some(path) => {
            let cfg = config::load(&path)?;
            Ok((cfg, path.parent().map(PathBuf::from)))
        }
        None => Ok((ConfigFile::default(), None)),
    }
}

/// The analysis settings of a configuration file with the overrides applied.
pub fn settings(cfg: &ConfigFile, overrides: &Overrides) -> Settings {
    let mut s = Settings::default();
    if let Some(d) = overrides.today {
        s.today = d;
    }
    if let Some(p) = overrides.profile.or_else(|| {
        cfg.profile
            .as_deref()
            .and_then(crate::settings::Profile::parse)
    }) {
        s.profile = p;
    }
    s.select = if overrides.select.is_empty() {
        cfg.select.clone().unwrap_or_default()
    } else {
        overrides.select.clone()
    };
    s.ignore = cfg
        .ignore
        .iter()
        .chain(&overrides.ignore)
        .cloned()
        .collect();
    for (rule, sev) in &cfg.severity {
        if let (Some(meta), Some(sev)) = (rules::find(rule), Severity::parse(sev)) {
            s.severity.insert(meta.id.clone(), sev);
        }
    }
    for (rule, params) in &cfg.rules {
        if let Some(meta) = rules::find(rule) {
            s.params.insert(meta.id.clone(), params.clone());
        }
    }
    if let Some(f) = cfg.fail_on.as_deref().and_then(Severity::parse) {
        s.fail_on = f;
    }
    s
}

/// The options to scan `paths` (absolute), with names relative to `root`, under the
/// configuration file found in `cfg_dir` (the root when `None`).
pub fn scan_options(
    cfg: &ConfigFile,
    cfg_dir: Option<&Path>,
    root: PathBuf,
    paths: Vec<PathBuf>,
    overrides: &Overrides,
) -> ScanOptions {
    // Paths in the configuration are relative to its directory.
    let cfg_dir = cfg_dir
        .map(|d| absolutize(&root, d))
        .unwrap_or_else(|| root.clone());
    let cfg_prefix = discover::relative_name(&root, &cfg_dir);
    let cfg_prefix = if cfg_dir == root || cfg_prefix.starts_with('/') {
        String::new()
    } else {
        format!("{cfg_prefix}/")
    };
    let mut vars: Vec<(String, String)> = cfg
        .vars
        .iter()
        .map(|(k, v)| {
            let text = match v {
                toml::Value::String(s) => format!("{s:?}"),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect();
    vars.extend(overrides.vars.iter().cloned());
    let mut var_files: Vec<PathBuf> = cfg
        .var_files
        .iter()
        .map(|f| absolutize(&cfg_dir, Path::new(f)))
        .collect();
    var_files.extend(overrides.var_files.iter().cloned());
    let mut parameters: Vec<(String, String)> = cfg.parameters.clone().into_iter().collect();
    parameters.extend(overrides.parameters.iter().cloned());
    ScanOptions {
        paths,
        settings: settings(cfg, overrides),
        terraform: crate::terraform::TfOptions {
            vars,
            var_files,
            root: Some(root.clone()),
        },
        cloudformation: crate::cloudformation::CfnOptions {
            parameters,
            unknown: Vec::new(),
        },
        exclude: cfg
            .exclude
            .iter()
            .map(|g| format!("{cfg_prefix}{g}"))
            .chain(overrides.exclude.iter().cloned())
            .collect(),
        root,
        ..ScanOptions::default()
    }
}
