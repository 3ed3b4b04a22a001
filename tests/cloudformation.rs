//! End-to-end CloudFormation scenarios (`testdata/projects/cloudformation/`): parameters,
//! conditions, mappings, `AWS::NoValue`, `Fn::Sub`, exports and imports.

mod common;

use std::collections::BTreeSet;

fn hits(report: &iacguard::Report, rule: &str) -> BTreeSet<(String, usize)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            let f = report.sources.get(d.primary.file);
            (f.name.clone(), f.position(d.primary.start as usize).line)
        })
        .collect()
}

#[test]
fn conditions_mappings_and_no_value_follow_parameter_defaults() {
    let path = common::root().join("testdata/projects/cloudformation/conditions.yaml");
    let report = common::scan_path(&path, 1);
    assert_eq!(hits(&report, "KMS002"), common::markers(&path, "KMS002"));
    // The condition's parameter default is labelled.
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002" && d.address.as_deref() == Some("ByMapping"))
        .expect("ByMapping");
    assert!(!d.labels.is_empty());
}

#[test]
fn a_parameter_override_flips_the_conditions() {
    let out = assert_cmd::Command::cargo_bin("iacguard")
        .expect("binary")
        .current_dir(common::root())
        .args([
            "check",
            "--select",
            "KMS002",
            "--parameter",
            "Environment=prod",
            "--format",
            "json",
            "testdata/projects/cloudformation/conditions.yaml",
        ])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let addresses: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "KMS002")
        .map(|f| f["address"].as_str().unwrap_or(""))
        .collect();
    // In prod: OnlyInProd exists (no rotation set), the conditional keys rotate.
    assert_eq!(addresses, vec!["OnlyInProd", "ByMappingDefault"]);
}

#[test]
fn import_value_links_to_the_export_of_another_template() {
    let dir = common::root().join("testdata/projects/cloudformation");
    let report = common::scan_path(&dir, 2);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS001")
        .expect("KMS001 through Fn::ImportValue");
    assert_eq!(d.address.as_deref(), Some("Queue"));
    assert!(d.message.contains("KMS key SharedKey"), "{}", d.message);
    // A condition on literals in JSON templates is evaluated too.
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.rule == "KMS002" && d.address.as_deref() == Some("Key")));
}

#[test]
fn parameters_files_in_every_format() {
    use iacguard::cloudformation::parse_parameters_file as parse;
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        parse(r#"[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "N", "ParameterValue": 3}]"#).expect("cli json"),
        pairs(&[("Env", "prod"), ("N", "3")])
    );
    assert_eq!(
        parse(r#"{"Parameters": {"Env": "prod"}}"#).expect("object"),
        pairs(&[("Env", "prod")])
    );
    assert_eq!(
        parse("Env=prod\nRotate=true ").expect("pairs"),
        pairs(&[("Env", "prod"), ("Rotate", "true")])
    );
    assert!(parse("Env").is_err());
    assert!(parse("[{\"Key\": 1}]").is_err());
}

#[test]
fn nested_stacks_are_evaluated_with_their_parents_parameters() {
    let dir = common::root().join("testdata/projects/cloudformation/nested");
    let report = common::scan_path(&dir, 2);
    let kms002: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .filter_map(|d| d.address.as_deref())
        .collect();
    // Only the instantiation that passes Rotate=false; the child alone is not reported.
    assert_eq!(kms002, vec!["ProdKeys.Key"]);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002")
        .expect("KMS002");
    assert!(d.labels.iter().any(|l| report
        .sources
        .get(l.span.file)
        .name
        .ends_with("nested/parent.yaml")));
    // The aliases link within each instantiation.
    assert!(report.diagnostics.iter().all(|d| d.rule != "KMS005"));
}

#[test]
fn template_findings_carry_their_logical_path() {
    let path = common::root().join("testdata/KMS002/fail/template.yaml");
    let report = common::scan_path(&path, 1);
    let paths: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .filter_map(|d| d.logical_path.as_deref())
        .collect();
    assert!(paths.contains(&"Resources.LeftOut"), "{paths:?}");
    assert!(
        paths.contains(&"Resources.ExplicitOff.Properties.EnableKeyRotation"),
        "{paths:?}"
    );
}

#[test]
fn conditions_that_cannot_be_followed_are_reported() {
    let d = tempfile::tempdir().expect("tempdir");
    let path = d.path().join("template.yaml");
    std::fs::write(
        &path,
        "Conditions:\n  Loop: !Not [!Condition Loop]\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Condition: Missing\n    Properties:\n      EnableKeyRotation: false\n  Other:\n    Type: AWS::KMS::Key\n    Condition: Loop\n    Properties:\n      EnableKeyRotation: !If [Loop, true, false]\n",
    )
    .expect("write");
    let report = common::scan_path(&path, 1);
    let notes: Vec<(usize, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "evaluation-note")
        .map(|d| {
            let f = report.sources.get(d.primary.file);
            (
                f.position(d.primary.start as usize).line,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (
                2,
                "condition `Loop` depends on itself; it is treated as not known"
            ),
            (
                6,
                "condition `Missing` is not defined under `Conditions`; it is treated as not known"
            ),
        ]
    );
    // Both keys may or may not exist: still analysed, with that said.
    let rotation: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(rotation.len(), 1);
    assert!(
        rotation[0].contains("may not be created"),
        "{}",
        rotation[0]
    );
}

#[test]
fn an_openapi_body_never_sets_the_endpoint_type() {
    let d = tempfile::tempdir().expect("tempdir");
    let path = d.path().join("template.yaml");
    std::fs::write(
        &path,
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: 3.0.1\n        paths: {}\n        x-amazon-apigateway-endpoint-configuration:\n          types: [PRIVATE]\n",
    )
    .expect("write");
    let report = common::scan_path(d.path(), 1);
    // `types` in the body are not the API's: without EndpointConfiguration it is EDGE,
    // and its stage has no WAF association.
    assert_eq!(
        hits(&report, "APIGW002").len(),
        1,
        "{:?}",
        report.diagnostics
    );
    assert!(hits(&report, "APIGW004").is_empty());
}

#[cfg(unix)]
#[test]
fn an_included_symbolic_link_is_not_read() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("real.yaml"),
        "x-amazon-apigateway-policy:\n  Statement:\n    - Effect: Allow\n      Principal: \"*\"\n      Action: execute-api:Invoke\n      Resource: \"*\"\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(d.path().join("real.yaml"), d.path().join("link.yaml"))
        .expect("symlink");
    let template = |location: &str| {
        format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n        Fn::Transform:\n          Name: AWS::Include\n          Parameters:\n            Location: {location}\n")
    };
    std::fs::create_dir(d.path().join("a")).expect("mkdir");
    std::fs::create_dir(d.path().join("b")).expect("mkdir");
    std::fs::write(d.path().join("a/template.yaml"), template("../link.yaml")).expect("write");
    std::fs::write(d.path().join("b/template.yaml"), template("../real.yaml")).expect("write");
    let report = common::scan_path(d.path(), 1);
    let names: BTreeSet<String> = hits(&report, "APIGW003")
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(names.len(), 1, "{:?}", report.diagnostics);
    assert!(
        names.iter().all(|n| n.ends_with("b/template.yaml")),
        "{names:?}"
    );
    let note = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "evaluation-note")
        .expect("a note");
    assert!(note.message.contains("symbolic link"), "{}", note.message);
}

const FOREACH: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: [AWS::LanguageExtensions]
Parameters:
  Services:
    Type: CommaDelimitedList
    Default: Orders,Billing
  Teams:
    Type: CommaDelimitedList
Mappings:
  Rotation:
    Orders:
      Enabled: "true"
Resources:
  Fn::ForEach::Keys:
    - Service
    - !Ref Services
    - Key${Service}:
        Type: AWS::KMS::Key
        Properties:
          EnableKeyRotation: !FindInMap [Rotation, !Ref Service, Enabled, {DefaultValue: "false"}]
      Alias${Service}:
        Type: AWS::KMS::Alias
        Properties:
          AliasName: !Sub "alias/${Service}"
          TargetKeyId: !Ref Key${Service}
  Fn::ForEach::TeamKeys:
    - Team
    - !Ref Teams
    - TeamKey${Team}:
        Type: AWS::KMS::Key
"#;

#[test]
fn foreach_of_the_language_extensions_expands_into_resources() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("template.yaml"), FOREACH).expect("write");
    let report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![d.path().to_path_buf()],
        root: d.path().to_path_buf(),
        threads: 1,
        keep_keys: true,
        settings: iacguard::settings::Settings {
            profile: iacguard::settings::Profile::Strict,
            ..Default::default()
        },
        ..iacguard::ScanOptions::default()
    });
    let mut keys: Vec<&str> = report
        .keys
        .kms_keys
        .iter()
        .map(|k| k.meta.address.as_str())
        .collect();
    keys.sort();
    assert_eq!(keys, ["KeyBilling", "KeyOrders"]);
    // Each alias links to the key of its own element.
    let mut aliases: Vec<(&str, Option<&str>)> = report
        .keys
        .kms_aliases
        .iter()
        .map(|a| (a.meta.address.as_str(), a.target_key()))
        .collect();
    aliases.sort();
    assert_eq!(aliases.len(), 2, "{aliases:?}");
    for (alias, key) in &aliases {
        let service = alias.trim_start_matches("Alias");
        let key = key.unwrap_or_else(|| panic!("{alias} links to no key"));
        assert!(key.ends_with(&format!("Key{service}")), "{alias} -> {key}");
    }
    // The mapping enables rotation for Orders; Billing takes the default value.
    let rotation: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .filter_map(|d| d.address.as_deref())
        .collect();
    assert_eq!(rotation, ["KeyBilling"]);
    // The teams are not known: no key is invented, and a note says so at the collection.
    let note = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "evaluation-note" && d.message.contains("TeamKeys"))
        .expect("a note for the unknown collection");
    assert!(note.message.contains("not analysed"), "{}", note.message);
    let line = report
        .sources
        .get(note.primary.file)
        .position(note.primary.start as usize)
        .line;
    let expected = FOREACH
        .lines()
        .position(|l| l.contains("!Ref Teams"))
        .expect("line")
        + 1;
    assert_eq!(line, expected);
}

#[test]
fn foreach_without_the_transform_is_left_alone() {
    let d = tempfile::tempdir().expect("tempdir");
    let text = FOREACH.replace("Transform: [AWS::LanguageExtensions]\n", "");
    std::fs::write(d.path().join("template.yaml"), text).expect("write");
    let report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![d.path().to_path_buf()],
        root: d.path().to_path_buf(),
        threads: 1,
        keep_keys: true,
        ..iacguard::ScanOptions::default()
    });
    assert!(report.keys.kms_keys.is_empty());
    assert!(!report
        .diagnostics
        .iter()
        .any(|d| d.rule == "evaluation-note" && d.message.contains("TeamKeys")));
}

#[test]
fn foreach_loops_nest_and_are_bounded() {
    let many: Vec<String> = (0..1001).map(|i| format!("k{i}")).collect();
    let text = format!(
        r#"Transform: AWS::LanguageExtensions
Parameters:
  Many:
    Type: CommaDelimitedList
    Default: {}
Resources:
  Fn::ForEach::Services:
    - Service
    - [Orders, Billing]
    - Fn::ForEach::Regions:
        - Region
        - [eu-west-1, us-east-1]
        - Key${{Service}}&{{Region}}:
            Type: AWS::KMS::Key
            Properties:
              Description: !Sub "${{Service}} in ${{Region}}"
  Fn::ForEach::Many:
    - Name
    - !Ref Many
    - Many${{Name}}:
        Type: AWS::KMS::Key
"#,
        many.join(",")
    );
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("template.yaml"), text).expect("write");
    let report = iacguard::scan(&iacguard::ScanOptions {
        paths: vec![d.path().to_path_buf()],
        root: d.path().to_path_buf(),
        threads: 1,
        keep_keys: true,
        ..iacguard::ScanOptions::default()
    });
    let addresses: BTreeSet<&str> = report
        .keys
        .kms_keys
        .iter()
        .map(|k| k.meta.address.as_str())
        .collect();
    for a in [
        "KeyOrderseuwest1",
        "KeyOrdersuseast1",
        "KeyBillingeuwest1",
        "KeyBillinguseast1",
    ] {
        assert!(addresses.contains(a), "{a} in {addresses:?}");
    }
    let many = addresses.iter().filter(|a| a.starts_with("Many")).count();
    assert_eq!(many, 1000);
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.rule == "evaluation-note" && d.message.contains("more than 1000")));
}
