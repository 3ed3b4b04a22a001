//! SARIF output: deserialises into `serde-sarif`'s types and carries what GitHub code
//! scanning needs.

mod common;

#[test]
fn sarif_matches_the_schema_types_and_carries_the_required_fields() {
    let report = common::scan_path(&common::root().join("testdata/KMS002/fail"), 2);
    let text = iacguard::report::sarif::render(&report);
    let typed: serde_sarif::sarif::Sarif = serde_json::from_str(&text).expect("valid SARIF types");
    assert_eq!(typed.runs.len(), 1);

    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "iacguard");
    assert!(driver["informationUri"].is_string());
    let rule = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "KMS002")
        .expect("KMS002 descriptor");
    for key in [
        "name",
        "shortDescription",
        "fullDescription",
        "help",
        "helpUri",
        "defaultConfiguration",
    ] {
        assert!(!rule[key].is_null(), "rule lacks {key}");
    }
    assert!(rule["help"]["markdown"].is_string() && rule["help"]["text"].is_string());
    assert!(rule["properties"]["security-severity"].is_string());
    assert!(rule["properties"]["tags"]
        .as_array()
        .expect("tags")
        .contains(&serde_json::json!("security")));

    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let rules = driver["rules"].as_array().expect("rules");
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let loc = &r["locations"][0];
        let art = &loc["physicalLocation"]["artifactLocation"];
        assert_eq!(art["uriBaseId"], "%SRCROOT%");
        assert!(art["uri"]
            .as_str()
            .expect("uri")
            .starts_with("testdata/KMS002/fail/"));
        let region = &loc["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().expect("line") >= 1);
        assert!(region["startColumn"].as_u64().expect("col") >= 1);
        // Findings of rules name their resource (analysis codes such as duplicate-key
        // may not).
        if r["ruleId"] == "KMS002" {
            assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
        }
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    let names: Vec<&str> = results
        .iter()
        .filter(|r| r["ruleId"] == "KMS002")
        .map(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .expect("fqn")
        })
        .collect();
    assert!(names.contains(&"module.data_key.aws_kms_key.this"));
    assert!(names.contains(&"aws_kms_key.counted[1]"));
    assert!(names.contains(&"ThroughParameter"));
}

#[test]
fn sarif_columns_count_utf16_units() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("k.yaml");
    std::fs::write(
        &file,
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties: {Description: \"😀é\", EnableKeyRotation: false}\n",
    )
    .expect("write");
    let report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![file],
        root: dir.path().to_path_buf(),
        ..Default::default()
    });
    let v: serde_json::Value =
        serde_json::from_str(&iacguard::report::sarif::render(&report)).expect("json");
    let result = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "KMS002")
        .expect("a KMS002 result");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // 😀 is 4 bytes but 2 UTF-16 units, é 2 bytes but 1 unit.
    let line = "    Properties: {Description: \"😀é\", EnableKeyRotation: ";
    let utf16 = line.encode_utf16().count() + 1;
    assert_eq!(region["startColumn"].as_u64(), Some(utf16 as u64));
    assert_ne!(utf16, line.len() + 1);
}

#[test]
fn fingerprints_are_stable_across_runs() {
    let a =
        iacguard::report::sarif::render(&common::scan_path(&common::root().join("testdata"), 1));
    let b =
        iacguard::report::sarif::render(&common::scan_path(&common::root().join("testdata"), 2));
    assert_eq!(a, b);
}
