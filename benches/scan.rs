//! Throughput benchmark: generates a tree of Terraform modules and CloudFormation templates
//! of realistic shape, then measures the full pipeline (discover, parse, evaluate, model,
//! rules) and the parse-only floor, at 1 and 2 threads; and, on the tree's `.tf` files,
//! the HCL parser (hcl-edit, converted to iacguard's tree) against the lexer-level scanner
//! that finds module calls: the floor a purpose-built HCL parser could not go below.
//!
//! `cargo bench --bench scan` (release profile). `IACGUARD_BENCH_MODULES=N` sets the size,
//! `IACGUARD_BENCH_DIR=path` benchmarks an existing tree instead, and
//! `IACGUARD_BENCH_GENERATE=path` only writes the generated tree there.

mod common;

use common::generate;
use iacguard::{parse_only, scan, ScanOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: only smoke-test then.
    let benching = std::env::args().any(|a| a == "--bench");
    let modules: usize = std::env::var("IACGUARD_BENCH_MODULES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 2000 } else { 5 });
    if let Some(out) = std::env::var_os("IACGUARD_BENCH_GENERATE") {
        // Only write the tree (for profiling or for the peers' comparison).
        generate(Path::new(&out), modules);
        println!(
            "generated {modules} modules in {}",
            Path::new(&out).display()
        );
        return;
    }
    let tmp;
    let root: PathBuf = match std::env::var_os("IACGUARD_BENCH_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            tmp = tempfile::tempdir().expect("tempdir");
            generate(tmp.path(), modules);
            tmp.path().to_path_buf()
        }
    };
    let runs = if benching { 5 } else { 1 };
    println!("tree: {}", root.display());
    for threads in [1, 2] {
        let options = ScanOptions {
            paths: vec![root.clone()],
            root: root.clone(),
            threads,
            ..ScanOptions::default()
        };
        let (files, bytes) = parse_only(&options);
        let parse = best_of(runs, || {
            parse_only(&options);
        });
        let mut findings = 0;
        let full = best_of(runs, || {
            findings = scan(&options).diagnostics.len();
        });
        let mb = bytes as f64 / 1e6;
        println!(
            "threads={threads} files={files} MB={mb:.2} findings={findings}\n  full pipeline: {:>8.1} ms  {:>9.0} files/s  {:>6.1} MB/s\n  parse only:    {:>8.1} ms  {:>9.0} files/s  {:>6.1} MB/s",
            full.as_secs_f64() * 1e3,
            files as f64 / full.as_secs_f64(),
            mb / full.as_secs_f64(),
            parse.as_secs_f64() * 1e3,
            files as f64 / parse.as_secs_f64(),
            mb / parse.as_secs_f64(),
        );
    }
    hcl_against_scanner(&root, runs);
}

/// Every `.tf` text under `root`.
fn tf_texts(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "tf") {
                if let Ok(t) = std::fs::read_to_string(&path) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// One thread, texts in memory: parsing against lexing.
fn hcl_against_scanner(root: &Path, runs: usize) {
    let texts = tf_texts(root);
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let mut blocks = 0;
    let parse = best_of(runs, || {
        blocks = texts
            .iter()
            .filter_map(|t| iacguard::syntax::hcl::parse(t, 0).body)
            .map(|b| b.blocks.len())
            .sum::<usize>();
    });
    let mut calls = 0;
    let scan = best_of(runs, || {
        calls = texts
            .iter()
            .map(|t| iacguard::terraform::scan::module_sources(t).len())
            .sum::<usize>();
    });
    println!(
        "HCL, {} .tf files, {mb:.2} MB, 1 thread: parse {:.1} ms ({:.1} MB/s, {blocks} blocks), module-call scanner {:.1} ms ({:.1} MB/s, {calls} calls): parsing costs {:.1}x lexing",
        texts.len(),
        parse.as_secs_f64() * 1e3,
        mb / parse.as_secs_f64(),
        scan.as_secs_f64() * 1e3,
        mb / scan.as_secs_f64(),
        parse.as_secs_f64() / scan.as_secs_f64(),
    );
}
