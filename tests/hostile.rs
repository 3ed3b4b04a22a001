//! Hostile input: every case gets a diagnostic with a span (or a clear notice), the scan
//! stays bounded in time and memory, and every other file of the scan is still analysed
//! (each case puts a key without rotation, `good.tf`, beside the hostile file).
//!
//! Large inputs are generated here in temporary directories; see also `bad_input.rs`.

use iacguard::{scan, Report, ScanOptions};
use std::path::Path;
use std::time::{Duration, Instant};

const GOOD: &str = "resource \"aws_kms_key\" \"k\" {}\n";
/// Generous: debug builds on a busy machine.
const BOUND: Duration = Duration::from_secs(10);

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, content).expect("write");
}

/// Scans `dir` (with `good.tf` written into it) and checks the bound and the good file.
fn scan_with(dir: &Path, max_file_size: u64) -> Report {
    write(dir, "good.tf", GOOD);
    let start = Instant::now();
    let r = scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        root: dir.to_path_buf(),
        threads: 2,
        max_file_size,
        ..ScanOptions::default()
    });
    let took = start.elapsed();
    assert!(took < BOUND, "scan took {took:?}");
    assert_eq!(
        hits(&r)
            .iter()
            .filter(|h| h.0 == "good.tf" && h.1 == "KMS002")
            .count(),
        1,
        "the file beside the hostile one is still analysed: {:?}",
        hits(&r)
    );
    r
}

fn scan_dir(dir: &Path) -> Report {
    scan_with(dir, iacguard::DEFAULT_MAX_FILE_SIZE)
}

/// `(file, rule, line, column)` of every diagnostic.
fn hits(r: &Report) -> Vec<(String, String, usize, usize)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let f = r.sources.get(d.primary.file);
            let p = f.position(d.primary.start as usize);
            (f.name.clone(), d.rule.clone(), p.line, p.column)
        })
        .collect()
}

/// The messages of `rule` in `file`.
fn messages(r: &Report, file: &str, rule: &str) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.rule == rule && r.sources.get(d.primary.file).name == file)
        .map(|d| d.message.clone())
        .collect()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

const DEEP: usize = 100_000;

#[test]
fn yaml_alias_bomb_and_merge_keys() {
    let d = tempdir();
    let mut bomb =
        String::from("AWSTemplateFormatVersion: '2010-09-09'\na: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='z' {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    bomb.push_str("Resources: {}\n");
    write(d.path(), "bomb.yaml", bomb);
    write(
        d.path(),
        "merge.yaml",
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      <<: {EnableKeyRotation: true}\n",
    );
    let r = scan_dir(d.path());
    // One per alias, none expanded.
    assert_eq!(messages(&r, "bomb.yaml", "parse-error").len(), 25 * 9);
    let merge = hits(&r)
        .into_iter()
        .filter(|h| h.0 == "merge.yaml" && h.1 == "parse-error")
        .collect::<Vec<_>>();
    assert_eq!(merge.len(), 1, "{merge:?}");
    assert_eq!((merge[0].2, merge[0].3), (5, 7));
    assert!(messages(&r, "merge.yaml", "parse-error")[0].contains("merge key"));
}

#[test]
fn nesting_100000_deep_in_every_syntax() {
    let d = tempdir();
    let open = |s: &str| s.repeat(DEEP);
    write(
        d.path(),
        "brackets.tf",
        format!("locals {{\n  x = {}1{}\n}}\n", open("["), open("]")),
    );
    write(
        d.path(),
        "blocks.tf",
        format!("{}{}", open("a {\n"), open("}\n")),
    );
    write(
        d.path(),
        "parens.tf",
        format!("locals {{\n  x = {}1{}\n}}\n", open("("), open(")")),
    );
    // Inside a string, where the bracket count does not look.
    write(
        d.path(),
        "template.tf",
        format!(
            "locals {{\n  x = \"${{{}1{}}}\"\n}}\n",
            open("("),
            open(")")
        ),
    );
    write(
        d.path(),
        "templates.tf",
        format!("locals {{\n  x = {}1{}\n}}\n", open("\"${"), open("}\"")),
    );
    write(
        d.path(),
        "unary.tf",
        format!("locals {{\n  x = {}true\n}}\n", open("!")),
    );
    write(
        d.path(),
        "cond.tf",
        format!("locals {{\n  x = {}2\n}}\n", open("true ? 1 : ")),
    );
    write(
        d.path(),
        "deep.tf.json",
        format!("{{\"locals\": {{\"x\": {}{}}}}}", open("["), open("]")),
    );
    write(
        d.path(),
        "template.tf.json",
        format!(
            "{{\"locals\": {{\"x\": \"${{{}1{}}}\"}}}}",
            open("("),
            open(")")
        ),
    );
    write(
        d.path(),
        "deep.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
            open("{\"a\": "),
            open("}")
        ),
    );
    write(
        d.path(),
        "flow.yaml",
        format!(
            "AWSTemplateFormatVersion: x\nResources: {}{}\n",
            open("{a: "),
            open("}")
        ),
    );
    // Block style without brackets: nested sequences on one line.
    write(
        d.path(),
        "block.yaml",
        format!("# AWSTemplateFormatVersion\n{}x\n", open("- ")),
    );
    let r = scan_dir(d.path());
    for f in [
        "brackets.tf",
        "blocks.tf",
        "parens.tf",
        "template.tf",
        "templates.tf",
        "unary.tf",
        "cond.tf",
        "deep.tf.json",
        "template.tf.json",
        "deep.json",
        "flow.yaml",
        "block.yaml",
    ] {
        assert!(
            !messages(&r, f, "parse-error").is_empty(),
            "{f}: {:?}",
            hits(&r)
        );
    }
}

#[test]
fn nested_expressions_reaching_the_evaluator() {
    let d = tempdir();
    // Deep enough to be refused by the parser...
    write(
        d.path(),
        "calls199.tf",
        format!(
            "locals {{\n  x = {}1{}\n}}\n",
            "max(".repeat(199),
            ")".repeat(199)
        ),
    );
    // ...and just under the parser's own limit, so that evaluation sees it.
    let n = 60;
    write(
        d.path(),
        "calls.tf",
        format!(
            "resource \"aws_kms_key\" \"calls\" {{\n  enable_key_rotation = {}true{}\n}}\n",
            "tobool(".repeat(n),
            ")".repeat(n)
        ),
    );
    write(
        d.path(),
        "parens.tf",
        format!(
            "resource \"aws_kms_key\" \"parens\" {{\n  enable_key_rotation = {}true{}\n}}\n",
            "(".repeat(n),
            ")".repeat(n)
        ),
    );
    write(
        d.path(),
        "mixed.tf",
        format!(
            "locals {{\n  x = {}1{}\n}}\nresource \"aws_kms_key\" \"mixed\" {{\n  enable_key_rotation = local.x == 1\n}}\n",
            "[[(max(".repeat(n / 4),
            "))]][0][0]".repeat(n / 4)
        ),
    );
    let r = scan_dir(d.path());
    assert_eq!(messages(&r, "calls199.tf", "parse-error").len(), 1);
    for f in ["calls.tf", "parens.tf", "mixed.tf"] {
        assert!(messages(&r, f, "parse-error").is_empty(), "{:?}", hits(&r));
        assert!(messages(&r, f, "KMS002").is_empty(), "{f}: {:?}", hits(&r));
    }
}

/// `hcl-edit` backtracks at every bracket opened as an operand of an operator when the text
/// then fails to parse: 24 levels took seconds, 50 would take hours (found by the fuzzer).
#[test]
fn brackets_nested_as_operands_are_refused_before_the_parser_backtracks() {
    let d = tempdir();
    let attack = |open: &str, op: &str, n: usize| {
        format!("v = t/{open}\n{}", format!("a{op}b{op}{open}\n").repeat(n))
    };
    write(d.path(), "braces.tf", attack("{", "%", 50));
    write(d.path(), "parens.tf", attack("(", "+", 50));
    write(d.path(), "logic.tfvars", attack("{", "&&", 50));
    // Inside a template's `${ }`: strings are no hiding place.
    write(
        d.path(),
        "template.tf",
        format!("v = \"${{{}\"\n", "a*b*(".repeat(50)),
    );
    // Real arithmetic and comparisons nest far less; they are parsed.
    write(
        d.path(),
        "real.tf",
        "locals {\n  n = (a + (b * (c - 1))) / 2\n  same = var.x == {} || var.y != []\n  m = { for k, v in var.m : k => { a = v } }\n  h = <<EOT\n(((\nEOT\n}\n",
    );
    let r = scan_dir(d.path());
    for f in ["braces.tf", "parens.tf", "logic.tfvars", "template.tf"] {
        let m = messages(&r, f, "parse-error");
        assert!(
            m.len() == 1 && m[0].contains("as operands of operators"),
            "{f}: {m:?}"
        );
    }
    assert!(messages(&r, "real.tf", "parse-error").is_empty());
}

/// Evaluation bounds: none of these may overflow, loop, exhaust the stack or memory.
#[test]
fn evaluation_of_hostile_expressions_is_bounded() {
    let d = tempdir();
    write(
        d.path(),
        "substr.tf",
        "locals {\n  s = substr(\"abc\", 1, 1e20)\n}\n",
    );
    write(
        d.path(),
        "range.tf",
        "locals {\n  r = length(range(10000000000000000, 10000000000000004))\n  n = range(0, 1, 0 / 0)\n}\n",
    );
    let chain: String = (0..5_000)
        .map(|i| format!("  l{i} = local.l{}\n", i + 1))
        .collect();
    write(
        d.path(),
        "chain/main.tf",
        format!("locals {{\n{chain}  l5000 = 1\n}}\nresource \"aws_kms_key\" \"k\" {{\n  description = local.l0\n}}\n"),
    );
    let doubling: String = (0..40)
        .map(|i| {
            format!(
                "  l{i} = \"${{local.l{n}}}${{local.l{n}}}\"\n  t{i} = [local.t{n}, local.t{n}]\n",
                n = i + 1
            )
        })
        .collect();
    write(
        d.path(),
        "doubling/main.tf",
        format!("locals {{\n{doubling}  l40 = \"x\"\n  t40 = [1]\n}}\nresource \"aws_kms_key\" \"k\" {{\n  description = local.l0\n  tags = {{ t = local.t0 }}\n}}\n"),
    );
    write(
        d.path(),
        "for.tf",
        "locals {\n  x = [for a in range(10000) : [for b in range(10000) : b]]\n}\n",
    );
    let r = scan_dir(d.path());
    assert!(
        messages(&r, "chain/main.tf", "evaluation-note")
            .iter()
            .any(|m| m.contains("chain of locals")),
        "{:?}",
        hits(&r)
    );
    assert!(
        messages(&r, "doubling/main.tf", "evaluation-note")
            .iter()
            .any(|m| m.contains("grow too large")),
        "{:?}",
        hits(&r)
    );
}

#[test]
fn huge_objects_and_maps_stay_linear() {
    let d = tempdir();
    let n = 100_000;
    let entries: String = (0..n).map(|i| format!("    k{i} = 1\n")).collect();
    // `hcl-edit` inserts object keys with a linear search: refused, not hours.
    write(
        d.path(),
        "object.tf",
        format!("locals {{\n  x = {{\n{entries}  }}\n}}\n"),
    );
    // Block attributes are fine.
    write(d.path(), "locals.tf", format!("locals {{\n{entries}}}\n"));
    let yaml: String = (0..n).map(|i| format!("      k{i}: 1\n")).collect();
    write(
        d.path(),
        "t.yaml",
        format!("Resources:\n  Y:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n{yaml}"),
    );
    let json: Vec<String> = (0..n).map(|i| format!("\"k{i}\": 1")).collect();
    write(
        d.path(),
        "t.json",
        format!(
            "{{\"Resources\": {{\"J\": {{\"Type\": \"AWS::KMS::Key\", \"Properties\": {{\"EnableKeyRotation\": true, {}}}}}}}}}",
            json.join(", ")
        ),
    );
    write(
        d.path(),
        "big.tf.json",
        format!("{{\"locals\": {{{}}}}}", json.join(", ")),
    );
    let r = scan_dir(d.path());
    let object = messages(&r, "object.tf", "parse-error");
    assert!(object[0].contains("100000 entries"), "{object:?}");
    for f in ["locals.tf", "t.yaml", "t.json", "big.tf.json"] {
        assert!(messages(&r, f, "parse-error").is_empty(), "{f}");
    }
    assert!(messages(&r, "t.yaml", "KMS002").is_empty());
}

#[test]
fn files_over_the_size_limit() {
    let d = tempdir();
    // The default limit, with a real file just over it.
    let mut big = String::from("resource \"aws_kms_key\" \"big\" {}\n");
    while big.len() <= 6 * 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding\n");
    }
    write(d.path(), "big.tf", &big);
    let r = scan_dir(d.path());
    assert_eq!(
        hits(&r)
            .into_iter()
            .filter(|h| h.0 == "big.tf")
            .collect::<Vec<_>>(),
        vec![("big.tf".into(), "file-skipped".into(), 1, 1)]
    );
    assert!(messages(&r, "big.tf", "file-skipped")[0].contains("byte limit"));
    // A small limit set by the caller.
    std::fs::remove_file(d.path().join("big.tf")).expect("rm");
    write(d.path(), "t.yaml", "Resources:\n".repeat(10));
    let r = scan_with(d.path(), 100);
    assert_eq!(messages(&r, "t.yaml", "file-skipped").len(), 1);
}

#[test]
fn binary_and_utf16_files() {
    let d = tempdir();
    let binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    write(d.path(), "binary.tf", &binary);
    write(d.path(), "zeros.tf", vec![0u8; 4096]);
    let text = "resource \"aws_kms_key\" \"u\" {}\n";
    let mut le = vec![0xff, 0xfe];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(d.path(), "le.tf", le);
    let mut be = vec![0xfe, 0xff];
    let yaml = "Resources:\n  K:\n    Type: AWS::KMS::Key\n";
    be.extend(yaml.encode_utf16().flat_map(u16::to_be_bytes));
    write(d.path(), "be.yaml", be);
    // UTF-16 YAML that is not a template is not ours either.
    let mut other = vec![0xff, 0xfe];
    other.extend("on: push\n".encode_utf16().flat_map(u16::to_le_bytes));
    write(d.path(), "workflow.yml", other);
    let r = scan_dir(d.path());
    assert!(messages(&r, "binary.tf", "parse-error")[0].contains("UTF-8"));
    // NUL bytes are valid UTF-8: the HCL parser refuses them.
    assert_eq!(messages(&r, "zeros.tf", "parse-error").len(), 1);
    for f in ["le.tf", "be.yaml"] {
        let m = messages(&r, f, "parse-error");
        assert!(m.len() == 1 && m[0].contains("UTF-16"), "{f}: {m:?}");
    }
    assert!(messages(&r, "workflow.yml", "parse-error").is_empty());
    // The text is shown decoded.
    let le = r
        .sources
        .files()
        .iter()
        .find(|f| f.name == "le.tf")
        .expect("le.tf");
    assert!(le.text().contains("aws_kms_key"));
}

#[test]
fn crlf_line_endings_keep_exact_spans() {
    let d = tempdir();
    write(
        d.path(),
        "crlf.tf",
        "# c\r\n\r\nresource \"aws_kms_key\" \"c\" {\r\n  enable_key_rotation = false\r\n}\r\n",
    );
    write(
        d.path(),
        "crlf.yaml",
        "Resources:\r\n  K:\r\n    Type: AWS::KMS::Key\r\n    Properties:\r\n      EnableKeyRotation: false\r\n",
    );
    write(
        d.path(),
        "crlf.json",
        "{\r\n  \"Resources\": {\r\n    \"J\": {\r\n      \"Type\": \"AWS::KMS::Key\",\r\n      \"Properties\": {\"EnableKeyRotation\": false}\r\n    }\r\n  }\r\n}\r\n",
    );
    let r = scan_dir(d.path());
    let at = |f: &str| -> Vec<(usize, usize)> {
        hits(&r)
            .into_iter()
            .filter(|h| h.0 == f && h.1 == "KMS002")
            .map(|h| (h.2, h.3))
            .collect()
    };
    assert_eq!(at("crlf.tf"), vec![(4, 25)]);
    assert_eq!(at("crlf.yaml"), vec![(5, 26)]);
    assert_eq!(at("crlf.json"), vec![(5, 43)]);
    // The snippet of a CRLF file renders without stray carriage returns in the spans.
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002" && r.sources.get(d.primary.file).name == "crlf.tf")
        .expect("finding");
    assert_eq!(
        &r.sources.get(d.primary.file).text()[d.primary.start as usize..d.primary.end as usize],
        "false"
    );
}

#[test]
fn files_truncated_mid_token() {
    let d = tempdir();
    let cases = [
        ("string.tf", "resource \"aws_kms_key\" \"t\" {\n  description = \"abc"),
        ("heredoc.tf", "resource \"aws_kms_key\" \"t\" {\n  policy = <<EOT\n{\"a\":"),
        ("ident.tf", "resource \"aws_kms_key\" \"t\" {\n  enable_key_rot"),
        ("label.tf", "resource \"aws_km"),
        ("template.tf", "locals {\n  x = \"${var.a"),
        ("t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::KMS::Key\n    Properties: {Description: \"ab"),
        ("flow.yaml", "AWSTemplateFormatVersion: x\nResources: {A: [1, 2"),
        ("t.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": {\"Ty"),
        ("t.tf.json", "{\"resource\": {\"aws_kms_key\": {\"j\": {\"enable_key_rotation\": tr"),
        ("x.tfvars", "a = \"unterminated"),
    ];
    for (name, text) in cases {
        write(d.path(), name, text);
    }
    let r = scan_dir(d.path());
    for (name, text) in cases {
        let spans: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.rule == "parse-error" && r.sources.get(d.primary.file).name == name)
            .map(|d| d.primary)
            .collect();
        assert_eq!(spans.len(), 1, "{name}: {:?}", hits(&r));
        assert!(spans[0].end as usize <= text.len(), "{name}: {spans:?}");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_and_loops_are_not_followed() {
    let outside = tempdir();
    write(
        outside.path(),
        "o.tf",
        "resource \"aws_kms_key\" \"outside\" {}\n",
    );
    let d = tempdir();
    std::os::unix::fs::symlink(outside.path(), d.path().join("dirlink")).expect("symlink");
    std::os::unix::fs::symlink(outside.path().join("o.tf"), d.path().join("filelink.tf"))
        .expect("symlink");
    std::os::unix::fs::symlink(d.path(), d.path().join("loop")).expect("symlink");
    std::os::unix::fs::symlink(d.path().join("nowhere.tf"), d.path().join("dangling.tf"))
        .expect("symlink");
    let r = scan_dir(d.path());
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.address.as_deref() == Some("aws_kms_key.outside")),
        "{:?}",
        hits(&r)
    );
    assert_eq!(r.files_analyzed, 1, "{:?}", hits(&r));
}

#[cfg(unix)]
#[test]
fn fifos_and_unreadable_paths_do_not_block_the_scan() {
    let d = tempdir();
    for name in ["x.tf", "t.yaml", "v.tfvars"] {
        let ok = std::process::Command::new("mkfifo")
            .arg(d.path().join(name))
            .status()
            .expect("mkfifo")
            .success();
        assert!(ok);
    }
    // A directory with a file's name.
    std::fs::create_dir(d.path().join("dir.tf")).expect("mkdir");
    write(&d.path().join("dir.tf"), "inner.tf", GOOD);
    // Permissions do not stop root: whoever runs this, the scan goes on and either reads
    // the directory or reports it.
    use std::os::unix::fs::PermissionsExt;
    let locked = d.path().join("locked");
    write(&locked, "l.tf", GOOD);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let r = scan_dir(d.path());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    for name in ["x.tf", "t.yaml", "v.tfvars"] {
        let m = messages(&r, name, "file-skipped");
        assert!(
            m.len() == 1 && m[0].contains("not a regular file"),
            "{name}: {:?}",
            hits(&r)
        );
    }
    assert_eq!(messages(&r, "dir.tf/inner.tf", "KMS002").len(), 1);
    let locked_read = messages(&r, "locked/l.tf", "KMS002").len() == 1;
    let locked_reported = r
        .diagnostics
        .iter()
        .any(|d| d.rule == "file-skipped" && r.sources.get(d.primary.file).name.contains("locked"));
    assert!(locked_read || locked_reported, "{:?}", hits(&r));

    // A FIFO named on the command line is reported too, not opened.
    let start = Instant::now();
    let r = scan(&ScanOptions {
        paths: vec![d.path().join("x.tf")],
        root: d.path().to_path_buf(),
        ..ScanOptions::default()
    });
    assert!(start.elapsed() < BOUND);
    assert_eq!(hits(&r), vec![("x.tf".into(), "file-skipped".into(), 1, 1)]);
}

#[test]
fn modules_calling_themselves_or_escaping_the_root() {
    let d = tempdir();
    write(
        d.path(),
        "self/main.tf",
        format!("module \"me\" {{\n  source = \"./\"\n}}\n{GOOD}"),
    );
    write(
        d.path(),
        "up/main.tf",
        "module \"up\" {\n  source = \"../../../..\"\n}\n",
    );
    let r = scan_dir(d.path());
    let cycle = messages(&r, "self/main.tf", "evaluation-note");
    assert!(cycle.len() == 1 && cycle[0].contains("cycle"), "{cycle:?}");
    // Reported once, not once per turn of the cycle.
    assert_eq!(messages(&r, "self/main.tf", "KMS002").len(), 1);
    let up = messages(&r, "up/main.tf", "evaluation-note");
    assert!(
        up.len() == 1 && up[0].contains("not in the scanned tree"),
        "{up:?}"
    );
}

#[test]
fn ten_thousand_resources_in_one_file() {
    let d = tempdir();
    let n = 10_000;
    let tf: String = (0..n)
        .map(|i| {
            format!("resource \"aws_kms_key\" \"r{i}\" {{\n  customer_master_key_spec = \"RSA_2048\"\n}}\n")
        })
        .collect();
    write(d.path(), "many.tf", tf);
    let r = scan_dir(d.path());
    // Asymmetric keys: no automatic rotation (no KMS002), a new key to rotate (KMS005).
    assert!(messages(&r, "many.tf", "KMS002").is_empty());
    assert_eq!(messages(&r, "many.tf", "KMS005").len(), n);
}

#[test]
fn tfvars_with_megabyte_strings() {
    let d = tempdir();
    let mb = "x".repeat(1 << 20);
    write(
        d.path(),
        "main.tf",
        "variable \"d\" {}\nvariable \"rot\" {}\nresource \"aws_kms_key\" \"v\" {\n  description = \"${var.d}${var.d}\"\n  enable_key_rotation = var.rot\n}\n",
    );
    write(
        d.path(),
        "terraform.tfvars",
        format!("d = \"{mb}\"\nrot = true\nunused = \"${{{mb}}}\"\n"),
    );
    let r = scan_dir(d.path());
    assert!(
        messages(&r, "main.tf", "KMS002").is_empty(),
        "{:?}",
        hits(&r)
    );
}

#[test]
fn template_with_ten_thousand_sub_references() {
    let d = tempdir();
    let n = 10_000;
    let refs = "${P}-${AWS::Region}-${K.Arn}".repeat(n);
    let mut yaml = format!(
        "Parameters:\n  P:\n    Type: String\n    Default: p\nResources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      Description: !Sub \"{refs}\"\n"
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  A{i}:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: !Sub \"alias/a${{P}}{i}\"\n      TargetKeyId: !Ref K\n"
        ));
    }
    write(d.path(), "t.yaml", yaml);
    let r = scan_dir(d.path());
    assert!(
        messages(&r, "t.yaml", "KMS002").is_empty(),
        "{:?}",
        hits(&r)
    );
    assert!(messages(&r, "t.yaml", "parse-error").is_empty());
}

#[test]
fn policy_json_in_a_heredoc_inside_jsonencode() {
    let d = tempdir();
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_api_gateway_rest_api" "h" {
  name   = "h"
  policy = jsonencode(jsondecode(<<EOT
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}]
}
EOT
  ))
}

resource "aws_api_gateway_rest_api" "s" {
  name   = "s"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [jsondecode(<<-EOT
      {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "execute-api:*", "Resource": "*"}
      EOT
    )]
  })
}
"#,
    );
    let r = scan_dir(d.path());
    let found: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "APIGW003")
        .filter_map(|d| d.address.clone())
        .collect();
    assert!(
        found.contains(&"aws_api_gateway_rest_api.h".to_string())
            && found.contains(&"aws_api_gateway_rest_api.s".to_string()),
        "{:?}",
        hits(&r)
    );
}

#[test]
fn module_sources_outside_the_root_are_reported_not_read() {
    let top = tempdir();
    write(
        top.path(),
        "outside/main.tf",
        "resource \"aws_kms_key\" \"outside\" {}\n",
    );
    write(
        top.path(),
        "root/main.tf",
        "module \"o\" {\n  source = \"../outside\"\n}\nmodule \"reg\" {\n  source = \"acme/kms/aws\"\n}\n",
    );
    // A manifest pointing out of the root module's `.terraform/` is not followed either.
    write(
        top.path(),
        "root/.terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"reg","Source":"acme/kms/aws","Dir":"../outside"}]}"#,
    );
    let root = top.path().join("root");
    let r = scan_dir(&root);
    assert!(
        r.sources
            .files()
            .iter()
            .all(|f| !f.name.contains("outside") && f.path.starts_with(&root)),
        "{:?}",
        r.sources
            .files()
            .iter()
            .map(|f| &f.path)
            .collect::<Vec<_>>()
    );
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("outside") && d.rule.starts_with("KMS")));
    let notes = messages(&r, "main.tf", "evaluation-note");
    assert_eq!(notes.len(), 2, "{notes:?}");
}
