//! Peak memory benchmark: runs the release binary (`check --format json`) on generated
//! trees of growing size, and on trees of the same size whose largest module grows, and
//! reports the peak resident set size of each run (from `/usr/bin/time`).
//!
//! `cargo bench --bench memory`. `IACGUARD_BENCH_SIZES=500,2000,8000` sets the numbers of
//! modules of the growing trees; `IACGUARD_BENCH_BIN=path` measures another build of the
//! binary (a baseline) on the same trees.

mod common;

use std::path::Path;
use std::process::Command;

/// (peak RSS in MiB, wall seconds) of one run of the analyzer on `dir`.
fn measure(dir: &Path) -> Option<(f64, f64)> {
    let bin = std::env::var_os("IACGUARD_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_iacguard").into());
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M %e"])
        .arg(bin)
        .args(["check", "--format", "json", "--no-config", "--threads", "2"])
        .arg(dir)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut last = stderr.lines().last()?.split_whitespace();
    let kb: f64 = last.next()?.parse().ok()?;
    let secs: f64 = last.next()?.parse().ok()?;
    Some((kb / 1024.0, secs))
}

fn size(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files += 1;
                bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    (files, bytes)
}

/// A root module calling one local module of `resources` KMS keys and buckets.
fn large_module(dir: &Path, resources: usize) {
    let m = dir.join("large/modules/big");
    std::fs::create_dir_all(&m).expect("mkdir");
    let mut text = String::from("variable \"env\" {\n  default = \"dev\"\n}\n\n");
    for i in 0..resources {
        text.push_str(&format!(
            "resource \"aws_kms_key\" \"k{i}\" {{\n  description         = \"key {i} ${{var.env}}\"\n  enable_key_rotation = {}\n  tags = {{\n    Service  = \"s{i}\"\n    ToBackup = \"true\"\n  }}\n}}\n\nresource \"aws_s3_bucket\" \"b{i}\" {{\n  bucket = \"b{i}-${{var.env}}\"\n}}\n\n",
            i % 2 == 0
        ));
    }
    std::fs::write(m.join("main.tf"), text).expect("write");
    std::fs::write(
        dir.join("large/main.tf"),
        "module \"big\" {\n  source = \"./modules/big\"\n}\n",
    )
    .expect("write");
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --benches`: building it is the test.
        return;
    }
    let sizes: Vec<usize> = std::env::var("IACGUARD_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![500, 2000, 8000]);
    println!("growing tree (independent modules and templates):");
    for n in &sizes {
        let d = tempfile::tempdir().expect("tempdir");
        common::generate(d.path(), *n);
        let (files, bytes) = size(d.path());
        if let Some((mib, secs)) = measure(d.path()) {
            println!(
                "  modules={n:>6} files={files:>7} MB={:>7.1}  peak RSS {mib:>7.1} MiB  {secs:.2} s",
                bytes as f64 / 1e6
            );
        }
    }
    println!("same tree (500 modules), growing largest module:");
    for resources in [1_000, 4_000, 16_000] {
        let d = tempfile::tempdir().expect("tempdir");
        common::generate(d.path(), 500);
        large_module(d.path(), resources);
        let big = std::fs::metadata(d.path().join("large/modules/big/main.tf"))
            .map(|m| m.len())
            .unwrap_or(0);
        if let Some((mib, secs)) = measure(d.path()) {
            println!(
                "  largest module {:>6.1} MB ({resources} keys and buckets)  peak RSS {mib:>7.1} MiB  {secs:.2} s",
                big as f64 / 1e6
            );
        }
    }
}
