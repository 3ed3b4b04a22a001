//! The fuzz targets of `fuzz/` on a stable toolchain: each front end and evaluator runs on
//! a bounded number of inputs, mutations of the test data (a fixed-seed generator, so a
//! failure reproduces) and arbitrary strings (proptest). The targets' logic is repeated
//! here; keep the two in step.

mod common;

use iacguard::cloudformation::{self, CfnOptions};
use iacguard::syntax;
use iacguard::terraform::{self, Manifests, TfFile, TfOptions};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// A span inside the text, on character boundaries (output slices the text there).
fn check_span(s: iacguard::source::Span, text: &str) {
    let (a, b) = (s.start as usize, s.end as usize);
    assert!(
        a <= b && b <= text.len(),
        "{s:?} outside {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(a) && text.is_char_boundary(b),
        "{s:?} splits a character"
    );
}

fn check_spans(errors: &[syntax::SyntaxError], text: &str) {
    for e in errors {
        check_span(e.span, text);
    }
}

fn check_tree(root: Option<&syntax::tree::Node>, text: &str) {
    for s in root.into_iter().flat_map(|r| r.spans()) {
        check_span(s, text);
    }
}

fn hcl(text: &str) {
    check_spans(&syntax::hcl::parse(text, 0).errors, text);
    common::scanner_agrees_with_parser(text);
}

fn yaml(text: &str) {
    let p = syntax::yaml::parse(text, 0);
    check_spans(&p.errors, text);
    check_tree(p.root.as_ref(), text);
}

fn json(text: &str) {
    let p = syntax::json::parse(text, 0);
    check_spans(&p.errors, text);
    check_tree(p.root.as_ref(), text);
    if let Some(root) = p.root {
        let _ = syntax::hcl::from_json(&root, 0);
    }
}

fn terraform_eval(text: &str) {
    let Some(body) = syntax::hcl::parse(text, 0).body else {
        return;
    };
    let files = [TfFile {
        dir: String::new(),
        name: "main.tf".into(),
        body,
        is_tfvars: false,
    }];
    let _ = terraform::evaluate(&files, &TfOptions::default(), &[], &Manifests::new());
}

fn cloudformation_eval(text: &str) {
    let Some(root) = syntax::yaml::parse(text, 0).root else {
        return;
    };
    let options = CfnOptions::default();
    let ex = cloudformation::exports(&root, &options);
    let _ = cloudformation::evaluate(&root, &options, &ex);
}

type Target = fn(&str);

const TARGETS: [(&str, &[&str], Target); 5] = [
    ("hcl", &["tf", "tofu", "tfvars"], hcl),
    ("yaml", &["yaml", "yml", "template"], yaml),
    ("json", &["json"], json),
    ("terraform_eval", &["tf", "tofu"], terraform_eval),
    ("cloudformation_eval", &["yaml", "yml"], cloudformation_eval),
];

/// Runs a target on the 8 MiB stack a fuzzer's main thread has.
fn run(target: Target, text: String) {
    let input = text.clone();
    let r = std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || target(&text))
        .expect("spawn")
        .join();
    if r.is_err() {
        let dump = std::env::temp_dir().join("iacguard-fuzz-crash.txt");
        let _ = std::fs::write(&dump, &input);
        panic!("crash; input written to {}", dump.display());
    }
}

fn seeds(exts: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if has_ext(&p, exts) {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push(t);
                }
            }
        }
    }
    out.sort();
    out
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.contains(&e))
}

/// xorshift64*: small, fixed seed, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that reach the interesting paths of the three syntaxes.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "<<EOT\n",
    "\nEOT\n",
    "!Ref ",
    "!Sub ",
    "&a ",
    "*a",
    "<<: ",
    "- ",
    ": ",
    "\n  ",
    ",",
    "=",
    "?",
    "...",
    "\\",
    "\u{feff}",
    "é",
    "\r\n",
    "#",
    "//",
    "/*",
    "0x",
    "1e999",
    "-",
    "null",
    "true",
    "var.",
    "local.",
    "module.",
    "each.",
    "count.index",
    "for x in y : ",
    "Fn::",
    "AWS::",
    "\t",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(at..at, t.bytes());
            }
            1 if !b.is_empty() => {
                let end = (at + rng.below(16)).min(b.len());
                b.drain(at.min(end)..end);
            }
            2 => b.truncate(at),
            3 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            4 => {
                let start = rng.below(b.len() + 1);
                let end = (start + rng.below(64)).min(b.len());
                let slice = b[start..end].to_vec();
                b.splice(at..at, slice);
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())].repeat(1 + rng.below(300));
                b.splice(at..at, t.bytes());
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Mutations per target; `IACGUARD_FUZZ_ITERATIONS` runs more.
fn iterations() -> usize {
    std::env::var("IACGUARD_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

#[test]
fn mutated_test_data_never_crashes_a_front_end_or_evaluator() {
    for (name, exts, target) in TARGETS {
        let seeds = seeds(exts);
        assert!(!seeds.is_empty(), "{name}: no seeds");
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
        for seed in &seeds {
            run(target, seed.clone());
        }
        for _ in 0..iterations() {
            let seed = &seeds[rng.below(seeds.len())];
            run(target, mutate(&mut rng, seed));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_crash(text in "(?s).{0,400}", which in 0usize..5) {
        run(TARGETS[which].2, text);
    }

    #[test]
    fn structural_soup_never_crashes(parts in proptest::collection::vec(0..TOKENS.len(), 0..200), which in 0usize..5) {
        let text: String = parts.iter().map(|i| TOKENS[*i]).collect();
        run(TARGETS[which].2, text);
    }
}

/// Found by the mutation loop: the HCL parser's error offset fell inside a multi-byte
/// character at the end of the text, and slicing there panicked.
/// Found by libFuzzer (`hcl`, a timeout): 50 brackets nested as operands made the parser
/// backtrack for seconds; now refused before parsing.
#[test]
fn regression_hcl_operand_nesting_timeout() {
    let text = include_str!("regressions/hcl-operand-nesting-timeout.tf");
    let start = std::time::Instant::now();
    for target in [hcl, terraform_eval] {
        run(target, text.to_string());
    }
    let took = start.elapsed();
    assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
    assert!(syntax::hcl::parse(text, 0).errors[0]
        .message
        .contains("as operands of operators"));
}

/// Found by libFuzzer (`yaml`): the error of a block scalar ended one byte into a
/// three-byte character; the same held for JSON.
#[test]
fn regression_yaml_and_json_errors_inside_a_character() {
    run(yaml, ">7\r\u{0b86}".to_string());
    run(json, "{\"a\": \u{0b86}}".to_string());
}

#[test]
fn regression_hcl_error_inside_a_character() {
    let text =
        "resource \"{ws_kms_key\" \"this\" {\n  # expece_key_rota\u{feff}\u{feff}\u{feff}\u{fffd}";
    for target in [hcl, terraform_eval] {
        run(target, text.to_string());
    }
    let crash = "variable \"enable_key_rotation\" {\n  type    = bool\n  default = true\n}\n\nresource \"{ws_kms_key\" \"thi\u{fffd}\" {\n  # expect: KMS002\n  enablUdefault = true\n}\n\nresource \"{ws_kms_key\" \"this\" {\n  # expece_key_rota\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{feff}\u{fffd}";
    run(hcl, crash.to_string());
}
