//! The `iacguard` command line: parses arguments, calls the library, maps the result to an
//! exit status (0 clean, 1 findings, 2 usage or I/O error).

use clap::{Args, Parser, Subcommand, ValueEnum};
use iacguard::settings::{Date, Settings};
use iacguard::{report, rules, ScanOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// List the rules: id, name, default severity, frameworks, summary
    Rules,
    /// Print the KMS key rotation inventory: keys, aliases, environments, consumers
    Keys(KeysArgs),
    /// Print a rule's documentation, by id (KMS002) or name (kms-key-rotation-disabled)
    Explain {
        /// Rule id or kebab-case name
        rule: String,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum KeysFormat {
    Text,
    Json,
    Mermaid,
    Dot,
}

#[derive(Args)]
struct KeysArgs {
    /// Files or directories to analyse (default: the current directory)
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = KeysFormat::Text)]
    format: KeysFormat,
    /// The date rotation ages are computed against (YYYY-MM-DD; default: today)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// Set a Terraform root variable (NAME=VALUE)
    #[arg(long = "var", value_parser = parse_kv)]
    vars: Vec<(String, String)>,
    /// Override a CloudFormation parameter (NAME=VALUE)
    #[arg(long = "parameter", value_parser = parse_kv)]
    parameters: Vec<(String, String)>,
}

#[derive(Args, Default)]
struct CheckArgs {
    /// Files or directories to analyse (default: the current directory)
    paths: Vec<PathBuf>,
    /// Output format (text on a terminal by default)
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the report to this file instead of standard output
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The date date-based rules compare against (YYYY-MM-DD; default: today)
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// Do not read a configuration file
    #[arg(long)]
    no_config: bool,
    /// Set a Terraform root variable (NAME=VALUE), after tfvars files
    #[arg(long = "var", value_parser = parse_kv)]
    vars: Vec<(String, String)>,
    /// Override a CloudFormation parameter (NAME=VALUE)
    #[arg(long = "parameter", value_parser = parse_kv)]
    parameters: Vec<(String, String)>,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Largest file analysed, in bytes; larger files are reported and skipped
    #[arg(long, default_value_t = iacguard::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Colour: auto (on a terminal), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum, Default)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Check(CheckArgs::default())) {
        Command::Check(args) => check(args),
        Command::Keys(args) => keys(args),
        Command::Rules => {
            let mut out = String::new();
            out.push_str(&format!(
                "{:<8} {:<48} {:<8} {:<26} {}\n",
                "ID", "NAME", "SEVERITY", "FRAMEWORKS", "SUMMARY"
            ));
            for m in rules::all() {
                let sev = if m.enabled_by_default {
                    m.severity.as_str().to_string()
                } else {
                    format!("{} (off)", m.severity.as_str())
                };
                out.push_str(&format!(
                    "{:<8} {:<48} {:<8} {:<26} {}\n",
                    m.id,
                    m.name,
                    sev,
                    m.frameworks.join(","),
                    m.summary
                ));
            }
            print!("{out}");
            ExitCode::SUCCESS
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(m) => {
                println!("# {} {}\n", m.id, m.name);
                println!(
                    "Default severity: {}. Frameworks: {}.\n",
                    m.severity.as_str(),
                    m.frameworks.join(", ")
                );
                print!("{}", m.body);
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no rule `{rule}` (see `iacguard rules`)");
                ExitCode::from(2)
            }
        },
    }
}

fn scan_paths(paths: &[PathBuf]) -> (PathBuf, Vec<PathBuf>) {
    let root = iacguard::default_root();
    let paths = if paths.is_empty() {
        vec![root.clone()]
    } else {
        paths
            .iter()
            .map(|p| iacguard::absolutize(&root, p))
            .collect()
    };
    (root, paths)
}

fn keys(args: KeysArgs) -> ExitCode {
    let (root, paths) = scan_paths(&args.paths);
    let mut settings = Settings::default();
    if let Some(d) = args.today {
        settings.today = d;
    }
    let options = ScanOptions {
        paths,
        root,
        settings: settings.clone(),
        terraform: iacguard::terraform::TfOptions { vars: args.vars },
        cloudformation: iacguard::cloudformation::CfnOptions {
            parameters: args.parameters,
        },
        ..ScanOptions::default()
    };
    let report = iacguard::scan(&options);
    for b in &report.bad_paths {
        eprintln!("error: cannot read {}: {}", b.path.display(), b.error);
    }
    let inv = iacguard::inventory::build(&report, &settings);
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
    print!("{out}");
    if report.bad_paths.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let (root, paths) = scan_paths(&args.paths);
    let mut settings = Settings::default();
    if let Some(d) = args.today {
        settings.today = d;
    }
    let options = ScanOptions {
        paths,
        root,
        threads: args.threads,
        max_file_size: args.max_file_size,
        settings,
        terraform: iacguard::terraform::TfOptions { vars: args.vars },
        cloudformation: iacguard::cloudformation::CfnOptions {
            parameters: args.parameters,
        },
    };
    let report = iacguard::scan(&options);
    for b in &report.bad_paths {
        eprintln!("error: cannot read {}: {}", b.path.display(), b.error);
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(Format::Text);
    let rendered: Vec<u8> = match format {
        Format::Json => report::json::render(&report).into_bytes(),
        Format::Sarif => report::sarif::render(&report).into_bytes(),
        Format::Text => {
            use codespan_reporting::term::termcolor::{Buffer, ColorChoice as CC, StandardStream};
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
            };
            if args.output.is_none() && color {
                let mut s = StandardStream::stdout(CC::Always);
                if report::text::render(&report, &mut s).is_err() {
                    return ExitCode::from(2);
                }
                Vec::new()
            } else {
                let mut buf = Buffer::no_color();
                if report::text::render(&report, &mut buf).is_err() {
                    return ExitCode::from(2);
                }
                buf.into_inner()
            }
        }
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &rendered),
        None => std::io::stdout().write_all(&rendered),
    };
    if let Err(e) = written {
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if !report.bad_paths.is_empty() {
        ExitCode::from(2)
    } else if report.has_findings() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
