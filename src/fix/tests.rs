//! Unit tests of locating and applying changes.

use super::*;
use crate::source::Span;

fn resolve_one(name: &str, text: &str, change: impl Fn(&str) -> Change) -> Option<String> {
    let mut sources = SourceMap::default();
    sources.add(crate::source::SourceFile::new(
        name.into(),
        name.into(),
        text.into(),
    ));
    let fix = Fix::safe("test", change(text));
    let edits = locate::resolve_fix(&fix, &sources).ok()?;
    let refs: Vec<&Edit> = edits.iter().collect();
    apply_edits(text, &refs)
}

fn span_of(text: &str, needle: &str) -> Span {
    let at = text.find(needle).expect("needle in text");
    Span::new(0, at, at + needle.len())
}

fn add(header: &str, path: &[&str], name: &str, value: Literal) -> impl Fn(&str) -> Change {
    let header = header.to_string();
    let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
    let name = name.to_string();
    move |text: &str| Change::AddAttribute {
        header: span_of(text, &header),
        path: path.clone(),
        name: name.clone(),
        value: value.clone(),
    }
}

#[test]
fn a_new_hcl_attribute_joins_the_alignment_of_the_attributes_above() {
    let text = "resource \"aws_kms_key\" \"k\" {\n  description = \"x\" # kept\n  key_usage   = \"ENCRYPT_DECRYPT\"\n\n  tags = {}\n}\n";
    let out = resolve_one(
        "main.tf",
        text,
        add(
            "resource \"aws_kms_key\" \"k\"",
            &[],
            "multi",
            Literal::Bool(true),
        ),
    );
    assert_eq!(
        out.as_deref(),
        Some("resource \"aws_kms_key\" \"k\" {\n  description = \"x\" # kept\n  key_usage   = \"ENCRYPT_DECRYPT\"\n\n  tags = {}\n  multi = true\n}\n")
    );
}

#[test]
fn an_empty_one_line_hcl_block_opens_to_hold_the_attribute() {
    let text = "resource \"aws_kms_key\" \"k\" {}\n";
    let out = resolve_one(
        "main.tf",
        text,
        add(
            "resource \"aws_kms_key\" \"k\"",
            &[],
            "enable_key_rotation",
            Literal::Bool(true),
        ),
    );
    assert_eq!(
        out.as_deref(),
        Some("resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n")
    );
}

#[test]
fn crlf_line_ends_are_kept() {
    let text = "resource \"aws_kms_key\" \"k\" {\r\n  description = \"x\"\r\n}\r\n";
    let out = resolve_one(
        "main.tf",
        text,
        add(
            "resource \"aws_kms_key\" \"k\"",
            &[],
            "enable_key_rotation",
            Literal::Bool(true),
        ),
    );
    assert_eq!(
        out.as_deref(),
        Some("resource \"aws_kms_key\" \"k\" {\r\n  description = \"x\"\r\n  enable_key_rotation = true\r\n}\r\n")
    );
}

#[test]
fn a_yaml_resource_without_properties_gets_them_at_its_indentation() {
    let text = "Resources:\n    Key:\n        Type: AWS::KMS::Key\n    Other:\n        Type: AWS::SNS::Topic\n";
    let out = resolve_one(
        "t.yaml",
        text,
        add("Key", &[], "EnableKeyRotation", Literal::Bool(true)),
    );
    assert_eq!(
        out.as_deref(),
        Some("Resources:\n    Key:\n        Type: AWS::KMS::Key\n        Properties:\n            EnableKeyRotation: true\n    Other:\n        Type: AWS::SNS::Topic\n")
    );
}

#[test]
fn a_yaml_flow_mapping_stays_a_flow_mapping() {
    let text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: {Description: !Sub '${AWS::StackName} key'}\n";
    let out = resolve_one(
        "t.yaml",
        text,
        add("Key", &[], "EnableKeyRotation", Literal::Bool(true)),
    );
    assert_eq!(
        out.as_deref(),
        Some("Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: {Description: !Sub '${AWS::StackName} key', EnableKeyRotation: true}\n")
    );
}

#[test]
fn a_json_member_takes_the_indentation_of_its_siblings() {
    let text =
        "{\n\t\"Resources\": {\n\t\t\"Key\": {\n\t\t\t\"Type\": \"AWS::KMS::Key\"\n\t\t}\n\t}\n}\n";
    let out = resolve_one(
        "t.json",
        text,
        add("\"Key\"", &[], "EnableKeyRotation", Literal::Bool(true)),
    );
    assert_eq!(
        out.as_deref(),
        Some("{\n\t\"Resources\": {\n\t\t\"Key\": {\n\t\t\t\"Type\": \"AWS::KMS::Key\",\n\t\t\t\"Properties\": {\n\t\t\t\t\"EnableKeyRotation\": true\n\t\t\t}\n\t\t}\n\t}\n}\n")
    );
}

#[test]
fn a_quoted_scalar_keeps_its_quotes() {
    let text = "Parameters:\n  Rotate:\n    Default: 'false'\n";
    let out = resolve_one("t.yaml", text, |t| Change::SetLiteral {
        span: span_of(t, "'false'"),
        value: Literal::Bool(true),
    });
    assert_eq!(
        out.as_deref(),
        Some("Parameters:\n  Rotate:\n    Default: 'true'\n")
    );
}

#[test]
fn an_expression_is_not_replaced_as_a_literal() {
    let text = "resource \"a\" \"b\" {\n  x = var.on ? true : false\n}\n";
    let out = resolve_one("main.tf", text, |t| Change::SetLiteral {
        span: span_of(t, "var.on ? true : false"),
        value: Literal::Bool(true),
    });
    assert_eq!(out, None);
}

#[test]
fn a_list_item_goes_with_its_separator() {
    for (text, item, want) in [
        ("x = [\"Host\", \"Origin\"]\n", "host", "x = [\"Origin\"]\n"),
        ("x = [\"Origin\", \"host\"]\n", "host", "x = [\"Origin\"]\n"),
        (
            "x = [\n  \"Origin\",\n  \"Host\",\n]\n",
            "host",
            "x = [\n  \"Origin\",\n]\n",
        ),
    ] {
        let out = resolve_one("main.tf", text, |t| Change::RemoveListItem {
            list: Span::new(0, t.find('[').unwrap(), t.rfind(']').unwrap() + 1),
            item: item.into(),
        });
        assert_eq!(out.as_deref(), Some(want), "{text}");
    }
}

#[test]
fn a_yaml_block_sequence_item_goes_with_its_line() {
    let text = "Headers:\n  - Host # the viewer's\n  - Origin\n";
    let out = resolve_one("t.yaml", text, |t| Change::RemoveListItem {
        list: Span::new(0, t.find('-').unwrap(), t.len()),
        item: "host".into(),
    });
    assert_eq!(out.as_deref(), Some("Headers:\n  - Origin\n"));
}

#[test]
fn a_fix_that_would_not_parse_is_refused() {
    let mut sources = SourceMap::default();
    let text = "x = [\"a\"]\n";
    sources.add(crate::source::SourceFile::new(
        "m.tf".into(),
        "m.tf".into(),
        text.into(),
    ));
    let fix = Fix::safe(
        "break it",
        Change::Replace {
            span: span_of(text, "\"a\""),
            value: Literal::Reference("(".into()),
        },
    );
    assert!(matches!(
        locate::resolve_fix(&fix, &sources),
        Err(locate::Unresolved::WouldNotParse(_))
    ));
}

#[test]
fn insertions_at_one_place_overlap_and_disjoint_edits_do_not() {
    let e = |s: usize, t: usize| Edit {
        span: Span::new(0, s, t),
        replacement: "x".into(),
    };
    assert!(overlap(&e(4, 4), &e(4, 4)));
    assert!(overlap(&e(2, 6), &e(4, 5)));
    assert!(!overlap(&e(2, 3), &e(5, 6)));
}
