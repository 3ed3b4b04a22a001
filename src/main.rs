//! The `iacguard` command line: parses arguments, calls the library, maps the result to an
//! exit status (0 clean, 1 findings, 2 usage or I/O error).

use clap::{Args, Parser, Subcommand, ValueEnum};
use iacguard::config::{self, ConfigFile};
use iacguard::diagnostic::Severity;
use iacguard::options::{self, Overrides};
use iacguard::settings::{Date, Profile};
use iacguard::{report, rules, ScanOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// The analysis allocates many small values; mimalloc is markedly faster at that than the
// system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "iacguard",
    version,
    about = "Offline static analyzer for Terraform and CloudFormation: KMS rotation, API exposure and backup policy"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse Terraform and CloudFormation files (the default command)
    Check(CheckArgs),
    /// Audit evidence: one verdict per rule and resource (pass, fail, undecided,
    /// suppressed, baselined, not applicable), totals, and the key inventory
    Audit(AuditArgs),
    /// Print the KMS key rotation inventory: keys, aliases, environments, consumers
    Keys(KeysArgs),
    /// List the rules: id, name, default severity, frameworks, whether enabled, summary
    Rules(ConfigArgs),
    /// Print a rule's documentation, by id (KMS002) or name (kms-key-rotation-disabled)
    Explain {
        /// Rule id or kebab-case name
        rule: String,
    },
    /// Run a Language Server over standard input and output, for editors
    Lsp,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML
    Junit,
    /// GitLab code quality JSON
    Gitlab,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum KeysFormat {
    Text,
    Json,
    Mermaid,
    Dot,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum AuditFormat {
    Text,
    Json,
    Html,
}

#[derive(Args)]
struct AuditArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    format: AuditFormat,
    /// Write the audit to this file instead of standard output
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Findings recorded in this baseline file are `baselined`
    #[arg(long)]
    baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, Default)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Args, Default, Clone)]
struct ConfigArgs {
    /// Read this configuration file instead of looking for .iacguard.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// Do not read a configuration file
    #[arg(long)]
    no_config: bool,
    /// Rules to run (ids, names or prefixes such as KMS); replaces the configured set
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Rules not to run
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Rule profile: recommended (AWS facts everywhere, policies where the tree shows
    /// them) or strict (the regulated policy everywhere); replaces the configured one
    #[arg(long, value_parser = parse_profile)]
    profile: Option<Profile>,
}

#[derive(Args, Default, Clone)]
struct InputArgs {
    /// Files or directories to analyse (default: the current directory)
    paths: Vec<PathBuf>,
    #[command(flatten)]
    config: ConfigArgs,
    /// The date date-based rules compare against (YYYY-MM-DD; default: today)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// Set a Terraform root variable (NAME=VALUE), after tfvars files
    #[arg(long = "var", value_parser = parse_kv)]
    vars: Vec<(String, String)>,
    /// Read Terraform root variables from this file, after the automatic tfvars files
    #[arg(long = "var-file")]
    var_files: Vec<PathBuf>,
    /// Override a CloudFormation parameter (NAME=VALUE)
    #[arg(long = "parameter", value_parser = parse_kv)]
    parameters: Vec<(String, String)>,
    /// CloudFormation parameter overrides from a file: the `aws cloudformation`
    /// `[{"ParameterKey": ..., "ParameterValue": ...}]` JSON, or `Key=Value` pairs
    #[arg(long = "parameters-file")]
    parameters_files: Vec<PathBuf>,
    /// Do not analyse paths matching this glob (relative to the current directory)
    #[arg(long)]
    exclude: Vec<String>,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Largest file analysed, in bytes; larger files are reported and skipped
    #[arg(long, default_value_t = iacguard::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// A Terraform plan (`terraform show -json tfplan`): analysed as the root module it
    /// plans, its findings placed in that module's files when they are scanned
    #[arg(long = "plan")]
    plans: Vec<PathBuf>,
}

#[derive(Args)]
struct KeysArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = KeysFormat::Text)]
    format: KeysFormat,
}

#[derive(Args, Default)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format (text by default)
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the report to this file instead of standard output
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The lowest severity that makes the exit status 1 (default: note)
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Report only findings that are not in this baseline file
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file
    #[arg(long)]
    write_baseline: Option<PathBuf>,
    /// Colour: auto (on a terminal), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Apply the safe fixes, then report what is left
    #[arg(long)]
    fix: bool,
    /// With --fix: print the fixes as a unified diff and change nothing
    #[arg(long, requires = "fix")]
    diff: bool,
    /// With --fix: also apply the unsafe fixes (they change behaviour: review them)
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::parse(s).ok_or_else(|| format!("`{s}` is not a profile (recommended, strict)"))
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not a severity (error, warning, note)"))
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `iacguard` alone is `iacguard check .`, with the flags' defaults.
    let command =
        cli.command
            .unwrap_or_else(|| match Cli::parse_from(["iacguard", "check"]).command {
                Some(c) => c,
                None => Command::Check(CheckArgs::default()),
            });
    let result = match command {
        Command::Check(args) => check(args),
        Command::Keys(args) => keys(args),
        Command::Audit(args) => audit(args),
        Command::Rules(args) => list_rules(args),
        Command::Explain { rule } => explain(&rule),
        Command::Lsp => lsp(),
    };
    result.unwrap_or_else(|message| {
        eprint!("{message}");
        if !message.ends_with('\n') {
            eprintln!();
        }
        ExitCode::from(2)
    })
}

/// Reads the configuration file the arguments point at, if any, with its directory.
fn load_config(
    args: &ConfigArgs,
    start: &std::path::Path,
) -> Result<(ConfigFile, Option<PathBuf>), String> {
    if args.no_config {
        return Ok((ConfigFile::default(), None));
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => config::find(start),
    };
    match path {
        Some(p) => {
            let cfg = config::load(&p).map_err(|e| e.render())?;
            let dir = p.parent().map(PathBuf::from);
            Ok((cfg, dir))
        }
        None => Ok((ConfigFile::default(), None)),
    }
}

/// The command-line flags that only select rules, as overrides of the configuration.
fn rule_overrides(args: &ConfigArgs, today: Option<Date>) -> Overrides {
    Overrides {
        profile: args.profile,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        today,
        ..Overrides::default()
    }
}

fn scan_options(input: &InputArgs) -> Result<(ScanOptions, ConfigFile), String> {
    let root = iacguard::default_root();
    let paths = if input.paths.is_empty() {
        vec![root.clone()]
    } else {
        input
            .paths
            .iter()
            .map(|p| iacguard::absolutize(&root, p))
            .collect()
    };
    // The configuration is looked for from the first path scanned, upwards.
    let config_start = match paths.first() {
        Some(p) if p.is_dir() => p.clone(),
        Some(p) => p
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| root.clone()),
        None => root.clone(),
    };
    let (cfg, cfg_dir) = load_config(&input.config, &config_start)?;
    check_rule_selectors(&input.config)?;
    for g in &input.exclude {
        globset::Glob::new(g).map_err(|e| format!("error: invalid --exclude glob `{g}`: {e}"))?;
    }
    let mut parameters = Vec::new();
    for f in &input.parameters_files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| format!("error: cannot read {}: {e}", f.display()))?;
        parameters.extend(
            iacguard::cloudformation::parse_parameters_file(&text)
                .map_err(|e| format!("error: {}: {e}", f.display()))?,
        );
    }
    parameters.extend(input.parameters.iter().cloned());
    let overrides = Overrides {
        vars: input.vars.clone(),
        var_files: input
            .var_files
            .iter()
            .map(|p| iacguard::absolutize(&root, p))
            .collect(),
        parameters,
        exclude: input.exclude.clone(),
        ..rule_overrides(&input.config, input.today)
    };
    let mut options = options::scan_options(&cfg, cfg_dir.as_deref(), root, paths, &overrides);
    options.threads = input.threads;
    options.max_file_size = input.max_file_size;
    options.plans = input
        .plans
        .iter()
        .map(|p| iacguard::absolutize(&options.root, p))
        .collect();
    Ok((options, cfg))
}

/// `--select` and `--ignore` name rules, as in `.iacguard.toml`: an unknown one is a
/// usage error.
fn check_rule_selectors(args: &ConfigArgs) -> Result<(), String> {
    for key in args.select.iter().chain(&args.ignore) {
        if !config::key_matches_any_rule(key) {
            return Err(format!(
                "error: unknown rule `{key}` in --select/--ignore (see `iacguard rules`)"
            ));
        }
    }
    Ok(())
}

fn list_rules(args: ConfigArgs) -> Result<ExitCode, String> {
    let (cfg, _) = load_config(&args, &iacguard::default_root())?;
    check_rule_selectors(&args)?;
    let settings = options::settings(&cfg, &rule_overrides(&args, None));
    let mut out = format!(
        "Profile: {} (`--profile` or `profile` in .iacguard.toml; see `iacguard explain <ID>`)\n\n",
        settings.profile.as_str()
    );
    out.push_str(&format!(
        "{:<9} {:<46} {:<8} {:<8} {:<16} {:<26} {}\n",
        "ID", "NAME", "SEVERITY", "ENABLED", "KIND", "FRAMEWORKS", "SUMMARY"
    ));
    let mut scopes = String::new();
    for m in rules::all() {
        let sev = settings.severity_override(&m.id).unwrap_or(m.severity);
        let enabled = m.enabled(&settings);
        out.push_str(&format!(
            "{:<9} {:<46} {:<8} {:<8} {:<16} {:<26} {}\n",
            m.id,
            m.name,
            sev.as_str(),
            if enabled { "yes" } else { "no" },
            m.kind.as_str(),
            m.frameworks.join(","),
            m.summary
        ));
        let why = if !enabled {
            if m.enabled_by_default {
                "not run: switched off by the configuration".to_string()
            } else {
                "not run: off by default (name it in `select` to run it)".to_string()
            }
        } else if m.enforces_policy(&settings) && settings.profile.as_str() != "strict" {
            format!("{} (configured)", m.scope_under(Profile::Strict))
        } else {
            m.scope_under(settings.profile)
        };
        scopes.push_str(&format!("{:<9} {why}\n", m.id));
    }
    out.push_str(&format!(
        "\nWhere each rule runs under the {} profile:\n",
        settings.profile.as_str()
    ));
    out.push_str(&scopes);
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a closed pipe (`iacguard explain X | head`) ends the
/// output quietly instead of panicking.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn lsp() -> Result<ExitCode, String> {
    iacguard::lsp::run_stdio().map_err(|e| format!("error: language server: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn explain(rule: &str) -> Result<ExitCode, String> {
    let m = rules::find(rule)
        .ok_or_else(|| format!("error: no rule `{rule}` (see `iacguard rules`)"))?;
    emit(&m.explain());
    Ok(ExitCode::SUCCESS)
}

fn keys(args: KeysArgs) -> Result<ExitCode, String> {
    let (mut options, _) = scan_options(&args.input)?;
    options.keep_keys = true;
    let report = scan_for_report(&options, &args.input)?;
    let inv = iacguard::inventory::build(&report, &options.settings);
    let out = match args.format {
        KeysFormat::Text => iacguard::inventory::render_text(&inv),
        KeysFormat::Json => {
            let mut s = serde_json::to_string_pretty(&inv).unwrap_or_default();
            s.push('\n');
            s
        }
        KeysFormat::Mermaid => iacguard::inventory::render_mermaid(&inv),
        KeysFormat::Dot => iacguard::inventory::render_dot(&inv),
    };
    emit(&out);
    Ok(if report.bad_paths.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn audit(args: AuditArgs) -> Result<ExitCode, String> {
    let (mut options, _) = scan_options(&args.input)?;
    options.keep_keys = true;
    options.keep_audit = true;
    options.baseline = args
        .baseline
        .as_ref()
        .map(|p| iacguard::absolutize(&options.root, p));
    let report = scan_for_report(&options, &args.input)?;
    let audit = iacguard::audit::build(&report, &options.settings);
    let out = match args.format {
        AuditFormat::Text => iacguard::audit::render_text(&audit),
        AuditFormat::Json => iacguard::audit::render_json(&audit),
        AuditFormat::Html => iacguard::audit::html::render(&audit),
    };
    match &args.output {
        Some(path) => std::fs::write(path, out.as_bytes())
            .map_err(|e| format!("error: cannot write the audit: {e}"))?,
        None => emit(&out),
    }
    Ok(if report.bad_paths.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// A scan for a report other than the findings (`keys`, `audit`): a usage error stops
/// it; unreadable and empty paths are said on standard error.
fn scan_for_report(options: &ScanOptions, input: &InputArgs) -> Result<iacguard::Report, String> {
    let report = iacguard::scan(options);
    if let Some(e) = &report.usage_error {
        return Err(e.clone());
    }
    for b in &report.bad_paths {
        eprintln!("error: cannot read {}: {}", b.path.display(), b.error);
    }
    note_empty_paths(&report, input, options);
    Ok(report)
}

/// Says which scanned directories hold nothing to analyse, as they were named on the
/// command line (`.` when none was).
fn note_empty_paths(report: &iacguard::Report, input: &InputArgs, options: &ScanOptions) {
    for p in &report.empty_paths {
        let named = options
            .paths
            .iter()
            .position(|q| q == p)
            .and_then(|i| input.paths.get(i))
            .map_or_else(|| PathBuf::from("."), PathBuf::clone);
        eprintln!(
            "note: no Terraform or CloudFormation file found under {}",
            named.display()
        );
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    let (mut options, _) = scan_options(&args.input)?;
    if let Some(f) = args.fail_on {
        options.settings.fail_on = f;
    }
    options.baseline = args
        .baseline
        .as_ref()
        .map(|p| iacguard::absolutize(&options.root, p));
    let report = if args.fix {
        let request = iacguard::fix::FixRequest {
            unsafe_fixes: args.unsafe_fixes,
        };
        let outcome = iacguard::fix::fix_tree(&options, request);
        if let Some(e) = &outcome.report.usage_error {
            return Err(e.clone());
        }
        for note in &outcome.notes {
            eprintln!("note: {note}");
        }
        if args.diff {
            let mut out = String::new();
            for f in &outcome.files {
                out.push_str(&iacguard::fix::diff::unified(&f.name, &f.before, &f.after));
            }
            emit(&out);
            let n = outcome.applied;
            eprintln!(
                "{n} fix{} would be applied in {} file{}",
                if n == 1 { "" } else { "es" },
                outcome.files.len(),
                if outcome.files.len() == 1 { "" } else { "s" }
            );
            return Ok(if n == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        iacguard::fix::apply::write(&outcome)
            .map_err(|e| format!("error: cannot write a fixed file: {e}"))?;
        let n = outcome.applied;
        eprintln!(
            "fixed {n} finding{} in {} file{}",
            if n == 1 { "" } else { "s" },
            outcome.files.len(),
            if outcome.files.len() == 1 { "" } else { "s" }
        );
        outcome.report
    } else {
        iacguard::scan(&options)
    };
    if let Some(e) = &report.usage_error {
        return Err(e.clone());
    }
    if let Some(path) = &args.write_baseline {
        iacguard::baseline::write(path, &report.diagnostics, &report.sources)
            .map_err(|e| format!("error: cannot write the baseline {}: {e}", path.display()))?;
        eprintln!(
            "wrote {} findings to the baseline {}",
            report.diagnostics.len(),
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for b in &report.bad_paths {
        eprintln!("error: cannot read {}: {}", b.path.display(), b.error);
    }
    note_empty_paths(&report, &args.input, &options);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let rendered: Vec<u8> = match args.format.unwrap_or(Format::Text) {
        Format::Json => report::json::render(&report).into_bytes(),
        Format::Sarif => report::sarif::render(&report).into_bytes(),
        Format::Github => report::github::render(&report).into_bytes(),
        Format::Junit => report::junit::render(&report).into_bytes(),
        Format::Gitlab => report::gitlab::render(&report).into_bytes(),
        Format::Text => {
            use codespan_reporting::term::termcolor::{Buffer, ColorChoice as CC, StandardStream};
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
            };
            if args.output.is_none() && color {
                let mut s = StandardStream::stdout(CC::Always);
                report::text::render(&report, &mut s).map_err(|e| format!("error: {e}"))?;
                Vec::new()
            } else {
                let mut buf = Buffer::no_color();
                report::text::render(&report, &mut buf).map_err(|e| format!("error: {e}"))?;
                buf.into_inner()
            }
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &rendered),
        None => std::io::stdout().write_all(&rendered),
    }
    .map_err(|e| format!("error: cannot write the report: {e}"))?;
    Ok(if !report.bad_paths.is_empty() {
        ExitCode::from(2)
    } else if report.fails(options.settings.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
