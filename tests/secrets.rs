//! Key material found by KMS009 never reaches any output.

use assert_cmd::Command;

const SECRETS: [&str; 5] = [
    "Ym9ndXMga2V5IG1hdGVyaWFsIGZvciB0ZXN0cyAxMjM=",
    "Wblj06fduthWggmsT0cLVoIMOkeLbc2kVfMud77i/JY=",
    "c2VjcmV0IG1hdGVyaWFsIGZyb20gdGZ2YXJzIDEyMzQ=",
    "cmVwbGljYSBrZXkgbWF0ZXJpYWwgZm9yIHRlc3RzIDEyMzQ=",
    "cmVwbGljYSBtYXRlcmlhbCB3cml0dGVuIG91dCAxMjM0NTY=",
];

#[test]
fn key_material_is_redacted_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["text", "json", "sarif"] {
        let out = Command::cargo_bin("iacguard")
            .expect("binary")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", "--format", format, "testdata/KMS009/fail"])
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("KMS009"), "{format}: no finding");
        for s in SECRETS {
            assert!(!text.contains(s), "{format} output leaks key material");
        }
    }
    let baseline = dir.path().join("b.json");
    Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "testdata/KMS009/fail", "--write-baseline"])
        .arg(&baseline)
        .assert()
        .success();
    let text = std::fs::read_to_string(baseline).expect("baseline");
    for s in SECRETS {
        assert!(!text.contains(s), "baseline leaks key material");
    }
}
