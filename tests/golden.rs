//! The JSON report of every rule over `testdata/` (and over the shared corpus, when it is
//! present) is compared byte for byte with the one recorded: a change to the structure
//! of the analyzer must not change what it reports. A change that should change the report
//! records it again with `IACGUARD_BLESS=1 cargo test --test golden` (review the diff of
//! `tests/golden/` before committing it).

mod common;

use std::path::Path;

/// The report, as the command line writes it, with every rule on and a fixed date.
fn report(dir: &Path) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_iacguard"))
        .current_dir(dir)
        .args([
            "check",
            "--no-config",
            "--profile",
            "strict",
            "--today",
            "2026-12-01",
            "--format",
            "json",
            ".",
        ])
        .output()
        .expect("run iacguard");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "iacguard failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn bless() -> bool {
    std::env::var_os("IACGUARD_BLESS").is_some()
}

/// FNV-1a, 64 bits: a digest stable across platforms and Rust versions.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The first line where two reports differ, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    for (k, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  recorded: {e}\n  now:      {a}", k + 1);
        }
    }
    format!(
        "one report is a prefix of the other ({} and {} lines)",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn testdata_report_is_unchanged() {
    let root = common::root();
    let actual = report(&root.join("testdata"));
    let golden = root.join("tests/golden/testdata.json");
    if bless() {
        std::fs::write(&golden, &actual).expect("write the golden report");
        return;
    }
    let expected = std::fs::read(&golden).expect("tests/golden/testdata.json");
    if expected != actual {
        let dump = root.join("target/golden-testdata.json");
        let _ = std::fs::write(&dump, &actual);
        panic!(
            "the report over testdata/ changed ({} written); first difference at {}",
            dump.display(),
            first_difference(
                &String::from_utf8_lossy(&expected),
                &String::from_utf8_lossy(&actual)
            )
        );
    }
}

/// The report over the corpus, which the repository does not hold, is recorded as its
/// size and digest.
#[test]
fn corpus_report_is_unchanged() {
    let Some(corpus) = common::corpus() else {
        common::skip("corpus_report_is_unchanged", "no ../shared/corpus");
        return;
    };
    let root = common::root();
    let actual = report(&corpus);
    let line = format!("{} {:016x}\n", actual.len(), digest(&actual));
    let golden = root.join("tests/golden/corpus.digest");
    if bless() {
        std::fs::write(&golden, &line).expect("write the corpus digest");
        return;
    }
    let expected = std::fs::read_to_string(&golden).expect("tests/golden/corpus.digest");
    if expected != line {
        let dump = root.join("target/golden-corpus.json");
        let _ = std::fs::write(&dump, &actual);
        panic!(
            "the report over the corpus changed: recorded {}, now {} ({} written)",
            expected.trim(),
            line.trim(),
            dump.display()
        );
    }
}

#[test]
fn digest_is_fnv1a() {
    assert_eq!(digest(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(digest(b"a"), 0xaf63_dc4c_8601_ec8c);
}
