//! `iacguard audit`: one verdict per rule and resource, adding up, and `fail` exactly the
//! findings of `check`; the JSON against its schema; the HTML page, the Mermaid and DOT
//! graphs checked by real consumers when they are installed (`.ci/run` installs them and
//! sets `IACGUARD_REQUIRE_TOOLS=1`, which turns a missing one into a failure).

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const PLATFORM: &str = "testdata/projects/platform";

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

fn audit_json(path: &str, profile: &str) -> Value {
    let (code, out) = run(&[
        "audit",
        "--today",
        "2026-12-01",
        "--profile",
        profile,
        "--format",
        "json",
        path,
    ]);
    assert_eq!(code, Some(0), "{out}");
    serde_json::from_str(&out).expect("json")
}

/// `(rule, address, path, line)` of the rule findings of `check --format json`.
fn check_findings(path: &str, profile: &str) -> BTreeSet<(String, String, String, u64)> {
    let (_, out) = run(&[
        "check",
        "--today",
        "2026-12-01",
        "--profile",
        profile,
        "--format",
        "json",
        path,
    ]);
    let v: Value = serde_json::from_str(&out).expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| iacguard::rules::find(f["rule"].as_str().unwrap_or("")).is_some())
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["address"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Checks that the verdicts add up and that `fail` holds exactly `check`'s findings.
fn assert_adds_up(audit: &Value, findings: &BTreeSet<(String, String, String, u64)>) {
    let verdicts = [
        "pass",
        "fail",
        "undecided",
        "suppressed",
        "baselined",
        "not_applicable",
    ];
    let mut failed = BTreeSet::new();
    let mut total = 0;
    for c in audit["controls"].as_array().expect("controls") {
        let rows = c["resources"].as_array().expect("resources");
        let counts = &c["counts"];
        let sum: u64 = verdicts.iter().map(|v| counts[v].as_u64().unwrap()).sum();
        assert_eq!(sum, counts["total"].as_u64().unwrap(), "{}", c["id"]);
        assert_eq!(sum as usize, rows.len(), "{}", c["id"]);
        for v in verdicts {
            let n = rows.iter().filter(|r| r["verdict"] == v).count();
            assert_eq!(n as u64, counts[v].as_u64().unwrap(), "{} {v}", c["id"]);
        }
        // One verdict per resource and rule.
        let places: BTreeSet<_> = rows
            .iter()
            .map(|r| {
                (
                    r["path"].to_string(),
                    r["line"].to_string(),
                    r["address"].to_string(),
                )
            })
            .collect();
        assert_eq!(places.len(), rows.len(), "{}: a resource twice", c["id"]);
        total += rows.len() as u64;
        for r in rows.iter().filter(|r| r["verdict"] == "fail") {
            for f in r["findings"].as_array().expect("findings") {
                failed.insert((
                    f["rule"].as_str().unwrap().to_string(),
                    f["address"].as_str().unwrap_or("").to_string(),
                    f["path"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                ));
            }
        }
    }
    assert_eq!(audit["summary"]["total"]["total"].as_u64(), Some(total));
    let family_total: u64 = audit["summary"]["families"]
        .as_object()
        .expect("families")
        .values()
        .map(|c| c["total"].as_u64().unwrap())
        .sum();
    assert_eq!(family_total, total);
    assert_eq!(audit["unmatched_findings"], serde_json::json!([]));
    assert_eq!(&failed, findings);
}

#[test]
fn platform_verdicts_add_up_and_fail_is_check_under_both_profiles() {
    for profile in ["recommended", "strict"] {
        let audit = audit_json(PLATFORM, profile);
        let findings = check_findings(PLATFORM, profile);
        assert!(!findings.is_empty() || profile == "recommended");
        assert_adds_up(&audit, &findings);
    }
}

#[test]
fn corpus_verdicts_add_up_and_fail_is_check() {
    let Some(corpus) = common::corpus() else {
        common::skip(
            "corpus_verdicts_add_up_and_fail_is_check",
            "no ../shared/corpus",
        );
        return;
    };
    let corpus = corpus.to_string_lossy().into_owned();
    for profile in ["recommended", "strict"] {
        let audit = audit_json(&corpus, profile);
        assert_adds_up(&audit, &check_findings(&corpus, profile));
    }
}

#[test]
fn undecided_names_the_attribute_and_why() {
    let audit = audit_json(PLATFORM, "strict");
    let bkp004 = audit["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "BKP004")
        .expect("BKP004 runs under strict");
    let vault = &bkp004["resources"][0];
    assert_eq!(vault["address"], "module.backup.aws_backup_vault.this");
    assert_eq!(vault["verdict"], "undecided");
    assert_eq!(
        vault["reason"],
        "`kms_key_arn`: variable `kms_key_arn` has no value"
    );
}

#[test]
fn not_applicable_says_why() {
    let audit = audit_json(PLATFORM, "strict");
    let kms002 = audit["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "KMS002")
        .expect("KMS002");
    for r in kms002["resources"].as_array().unwrap() {
        assert_eq!(r["verdict"], "not_applicable");
        assert_eq!(
            r["reason"],
            "KMS cannot rotate imported key material (origin EXTERNAL) automatically"
        );
        assert_eq!(r["environments"], serde_json::json!(["dev", "prod"]));
    }
}

#[test]
fn suppressed_and_baselined_findings_have_their_verdicts() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "# iacguard:ignore KMS002 -- rotated by the HSM team\nresource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = false\n}\n\nresource \"aws_kms_key\" \"b\" {\n  enable_key_rotation = false\n}\n\nresource \"aws_kms_key\" \"c\" {\n  enable_key_rotation = true\n}\n",
    )
    .unwrap();
    let d = dir.path().to_string_lossy().into_owned();
    let baseline = dir.path().join("baseline.json");
    let (code, _) = run(&[
        "check",
        "--select",
        "KMS002",
        "--write-baseline",
        baseline.to_str().unwrap(),
        &d,
    ]);
    assert_eq!(code, Some(0));
    let (code, out) = run(&[
        "audit",
        "--select",
        "KMS002",
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        &d,
    ]);
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v["controls"][0]["resources"].as_array().unwrap();
    let verdict = |a: &str| {
        let r = rows.iter().find(|r| r["address"] == a).unwrap();
        (
            r["verdict"].as_str().unwrap().to_string(),
            r["reason"].clone(),
        )
    };
    assert_eq!(
        verdict("aws_kms_key.a"),
        ("suppressed".into(), Value::from("rotated by the HSM team"))
    );
    assert_eq!(verdict("aws_kms_key.b").0, "baselined");
    assert_eq!(verdict("aws_kms_key.c").0, "pass");
}

/// Whether external checkers must be there (in CI).
fn required() -> bool {
    std::env::var_os("IACGUARD_REQUIRE_TOOLS").is_some()
}

fn tool_missing(test: &str, what: &str) {
    assert!(
        !required(),
        "{test}: {what} is required (IACGUARD_REQUIRE_TOOLS)"
    );
    common::skip(test, &format!("{what} is not installed"));
}

fn has(cmd: &str, arg: &str) -> bool {
    std::process::Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn audit_json_matches_its_schema() {
    if !has("python3", "--version")
        || !std::process::Command::new("python3")
            .args(["-c", "import jsonschema"])
            .status()
            .is_ok_and(|s| s.success())
    {
        return tool_missing("audit_json_matches_its_schema", "python3 with jsonschema");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (path, profile)) in [
        (PLATFORM, "strict"),
        (PLATFORM, "recommended"),
        ("testdata", "strict"),
    ]
    .iter()
    .enumerate()
    {
        let f = dir.path().join(format!("audit{i}.json"));
        std::fs::write(&f, audit_json(path, profile).to_string()).unwrap();
        files.push(f.to_string_lossy().into_owned());
    }
    let schema = common::root().join("docs/audit.schema.json");
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import json,sys,jsonschema\nschema=json.load(open(sys.argv[1]))\njsonschema.Draft202012Validator.check_schema(schema)\nv=jsonschema.Draft202012Validator(schema)\nbad=0\nfor f in sys.argv[2:]:\n  for e in v.iter_errors(json.load(open(f))):\n    bad+=1; print(f, list(e.absolute_path), e.message[:300])\nsys.exit(1 if bad else 0)",
        )
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The inventory fixtures: every directory under testdata/projects/ with KMS keys.
fn inventory_fixtures() -> Vec<&'static str> {
    vec![
        "testdata/projects/keys",
        "testdata/projects/replica_keys",
        PLATFORM,
        "testdata/projects/keys_for_each",
    ]
}

fn write_graphs(format: &str, ext: &str, dir: &Path) -> Vec<PathBuf> {
    inventory_fixtures()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (code, out) = run(&["keys", "--today", "2026-12-01", "--format", format, f]);
            assert_eq!(code, Some(0));
            let p = dir.join(format!("graph{i}.{ext}"));
            std::fs::write(&p, out).unwrap();
            p
        })
        .collect()
}

#[test]
fn dot_graphs_parse_with_graphviz() {
    if !has("dot", "-V") {
        return tool_missing("dot_graphs_parse_with_graphviz", "Graphviz `dot`");
    }
    let dir = tempfile::tempdir().unwrap();
    for p in write_graphs("dot", "dot", dir.path()) {
        let out = std::process::Command::new("dot")
            .args(["-Tsvg", "-o", "/dev/null"])
            .arg(&p)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn mermaid_graphs_parse_with_mermaid() {
    let modules = std::env::var_os("IACGUARD_MERMAID_DIR").map(PathBuf::from);
    let Some(modules) = modules.filter(|m| m.join("node_modules/mermaid").is_dir()) else {
        return tool_missing(
            "mermaid_graphs_parse_with_mermaid",
            "Mermaid (IACGUARD_MERMAID_DIR with .ci/mermaid installed)",
        );
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_graphs("mermaid", "mmd", dir.path());
    let out = std::process::Command::new("node")
        .arg(modules.join("check.mjs"))
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn html_page_is_self_contained() {
    let (code, html) = run(&[
        "audit",
        "--today",
        "2026-12-01",
        "--profile",
        "strict",
        "--format",
        "html",
        PLATFORM,
    ]);
    assert_eq!(code, Some(0));
    assert!(html.starts_with("<!DOCTYPE html>"));
    for outside in ["http://", "https://", "src=\"", "@import", "url("] {
        let hits: Vec<_> = html
            .match_indices(outside)
            .filter(|(i, _)| !html[..*i].ends_with("xmlns=\""))
            .collect();
        assert!(hits.is_empty(), "the page refers outside itself: {outside}");
    }
    assert!(html.contains("<svg"));
    assert!(html.contains("module.kms.aws_kms_external_key.this[&quot;s3&quot;]"));
}

/// The page in headless Chromium: no console error, the summary equals the JSON's, the
/// filter hides rows, and a screenshot (`IACGUARD_ARTIFACTS`, else the temp directory).
#[test]
fn html_page_in_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| has(c, "--version"))
    else {
        return tool_missing("html_page_in_headless_chromium", "Chromium");
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("audit.html");
    let (code, _) = run(&[
        "audit",
        "--today",
        "2026-12-01",
        "--profile",
        "strict",
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
        PLATFORM,
    ]);
    assert_eq!(code, Some(0));
    let json = audit_json(PLATFORM, "strict");
    let chrome = |extra: &[&str], url: &str| {
        let out = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=3000",
            ])
            .args(extra)
            .arg(url)
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let url = format!("file://{}", page.display());
    let (dom, log) = chrome(&["--dump-dom"], &url);
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console: {console:?}");
    // The summary as the browser built it equals the JSON's.
    let total = &json["summary"]["total"];
    for v in [
        "pass",
        "fail",
        "undecided",
        "suppressed",
        "baselined",
        "not_applicable",
        "total",
    ] {
        let cell = "<tr data-family=\"all\"><th>all</th>";
        let row = dom.split(cell).nth(1).expect("summary row in the DOM");
        let row = &row[..row.find("</tr>").unwrap()];
        let marker = format!("data-count=\"{v}\">");
        let n = row.split(&marker).nth(1).unwrap();
        let n: u64 = n[..n.find('<').unwrap()].parse().unwrap();
        assert_eq!(Some(n), total[v].as_u64(), "{v}");
    }
    // The script ran: it counted the rows shown (all of them, every box checked).
    let rows: u64 = json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["resources"].as_array().unwrap().len() as u64)
        .sum();
    assert!(
        dom.contains(&format!("<span id=\"shown\">{rows}</span>")),
        "rows shown"
    );
    // The filter: with `pass` unchecked (a page that unchecks it on load), no pass row
    // is shown.
    let filtered = dir.path().join("filtered.html");
    let text = std::fs::read_to_string(&page).unwrap().replace(
        "</body>",
        "<script>var b=document.getElementById('f-pass');b.checked=false;b.dispatchEvent(new Event('input'));</script></body>",
    );
    std::fs::write(&filtered, text).unwrap();
    let (dom, _) = chrome(&["--dump-dom"], &format!("file://{}", filtered.display()));
    let passes = json["summary"]["total"]["pass"].as_u64().unwrap();
    assert!(passes > 0);
    assert_eq!(
        dom.matches("<tr data-verdict=\"pass\" class=\"hidden\">")
            .count() as u64,
        passes
    );
    assert!(dom.contains(&format!("<span id=\"shown\">{}</span>", rows - passes)));
    let shots = std::env::var_os("IACGUARD_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("audit-page.png");
    chrome(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
        ],
        &url,
    );
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000),
        "screenshot"
    );
}
