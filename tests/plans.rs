//! Terraform plan JSON as input: values from the plan, findings placed in the source when
//! it is scanned and in the plan when it is not (`testdata/plans/`, hand-written from
//! Terraform's documented format: 0.1 for Terraform 0.12, 1.2 for current releases).

mod common;

use common::root;
use iacguard::settings::{Date, Profile, Settings};
use iacguard::{report, scan, Report, ScanOptions};
use std::path::{Path, PathBuf};

const SECRET: &str = "c2VjcmV0LWtleS1tYXRlcmlhbC1kby1ub3QtcHJpbnQ=";
const SECRET_DECODED: &str = "secret-key-material-do-not-print";

fn fixture(name: &str) -> PathBuf {
    root().join("testdata/plans").join(name)
}

fn settings(profile: Profile) -> Settings {
    Settings {
        today: Date::parse("2026-12-01").expect("date"),
        profile,
        ..Settings::default()
    }
}

/// Scans `paths` with `plans` given as `--plan`, names relative to `root`.
fn scan_plans(root: &Path, paths: &[PathBuf], plans: &[PathBuf], profile: Profile) -> Report {
    scan(&ScanOptions {
        paths: paths.to_vec(),
        root: root.to_path_buf(),
        threads: 2,
        settings: settings(profile),
        plans: plans.to_vec(),
        ..ScanOptions::default()
    })
}

/// With its source: `--plan tfplan.json dir`.
fn with_source(name: &str, profile: Profile) -> Report {
    let dir = fixture(name);
    scan_plans(
        &dir,
        std::slice::from_ref(&dir),
        &[dir.join("tfplan.json")],
        profile,
    )
}

/// The plan alone, copied where no source is.
fn plan_alone(name: &str, profile: Profile) -> (tempfile::TempDir, Report) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let plan = tmp.path().join("tfplan.json");
    std::fs::copy(fixture(name).join("tfplan.json"), &plan).expect("copy");
    let r = scan_plans(tmp.path(), &[plan], &[], profile);
    (tmp, r)
}

/// (rule, file, line, address) of every diagnostic.
fn hits(r: &Report) -> Vec<(String, String, usize, String)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let f = r.sources.get(d.primary.file);
            (
                d.rule.clone(),
                f.name.clone(),
                f.position(d.primary.start as usize).line,
                d.address.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn find<'a>(
    hits: &'a [(String, String, usize, String)],
    rule: &str,
    address: &str,
) -> Vec<&'a (String, String, usize, String)> {
    hits.iter()
        .filter(|h| h.0 == rule && h.3 == address)
        .collect()
}

#[test]
fn the_same_finding_is_placed_in_the_source_with_it_and_in_the_plan_without_it() {
    let r = with_source("keys", Profile::Recommended);
    let h = hits(&r);
    assert_eq!(
        find(&h, "KMS002", "aws_kms_key.logs"),
        vec![&(
            "KMS002".to_string(),
            "main.tf".to_string(),
            3,
            "aws_kms_key.logs".to_string()
        )],
        "{h:#?}"
    );
    let (_tmp, r) = plan_alone("keys", Profile::Recommended);
    let h = hits(&r);
    let found = find(&h, "KMS002", "aws_kms_key.logs");
    assert_eq!(found.len(), 1, "{h:#?}");
    assert_eq!(found[0].1, "tfplan.json");
    // At `"enable_key_rotation": false` in the resource's `after`.
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "KMS002" && d.address.as_deref() == Some("aws_kms_key.logs"))
        .expect("finding");
    assert_eq!(r.sources.text(d.primary), "false");
}

#[test]
fn both_placements_find_the_same_rules_on_the_same_resources() {
    for name in ["keys", "modules", "legacy"] {
        let key = |r: &Report| {
            let mut v: Vec<(String, String)> = r
                .diagnostics
                .iter()
                .map(|d| (d.rule.clone(), d.address.clone().unwrap_or_default()))
                .collect();
            v.sort();
            v
        };
        let a = with_source(name, Profile::Recommended);
        let (_tmp, b) = plan_alone(name, Profile::Recommended);
        assert_eq!(key(&a), key(&b), "{name}");
        assert!(!a.diagnostics.is_empty(), "{name}");
    }
}

#[test]
fn a_replacement_is_a_creation_and_a_deletion_is_left_out() {
    let h = hits(&with_source("keys", Profile::Recommended));
    // ["delete", "create"]: analysed; the key does not set rotation.
    assert_eq!(
        find(&h, "KMS002", "aws_kms_key.replaced").len(),
        1,
        "{h:#?}"
    );
    // ["delete"] only: not there after apply.
    assert!(h.iter().all(|x| x.3 != "aws_kms_key.retired"), "{h:#?}");
    let h = hits(&with_source("legacy", Profile::Recommended));
    assert!(h.iter().all(|x| x.3 != "aws_kms_key.old"), "{h:#?}");
}

#[test]
fn an_alias_whose_target_is_known_only_after_apply_is_linked_by_the_configuration() {
    // Strict: KMS005 on every key no alias targets. Every target is in `after_unknown`.
    let r = with_source("keys", Profile::Strict);
    let h = hits(&r);
    assert!(h.iter().all(|x| x.0 != "KMS005"), "{h:#?}");
    // And the consumer of an alias, created in the same plan, is judged (KMS007).
    assert_eq!(find(&h, "KMS007", "aws_ebs_volume.db").len(), 1, "{h:#?}");
    let (_tmp, r) = plan_alone("keys", Profile::Strict);
    assert!(hits(&r).iter().all(|x| x.0 != "KMS005"));
}

#[test]
fn a_bucket_encrypted_with_a_key_of_the_plan_is_its_consumer() {
    let options = ScanOptions {
        paths: vec![fixture("keys")],
        root: fixture("keys"),
        threads: 1,
        settings: settings(Profile::Recommended),
        plans: vec![fixture("keys").join("tfplan.json")],
        keep_keys: true,
        ..ScanOptions::default()
    };
    let r = scan(&options);
    let inv = iacguard::inventory::build(&r, &options.settings);
    let text = iacguard::inventory::render_text(&inv);
    let logs = text
        .split("\n\n")
        .find(|b| b.starts_with("aws_kms_key.logs "))
        .expect("the logs key");
    assert!(
        logs.contains("aws_s3_bucket_server_side_encryption_configuration.logs"),
        "{logs}"
    );
}

#[test]
fn an_attribute_known_only_after_apply_is_not_judged_and_is_counted() {
    for r in [
        with_source("keys", Profile::Recommended),
        plan_alone("keys", Profile::Recommended).1,
    ] {
        let notes: Vec<&str> = r
            .diagnostics
            .iter()
            .filter(|d| d.rule == "not-evaluated")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains(
                "`rotation_period_in_days` of aws_kms_key.rotating (known only after apply)"
            ),
            "{notes:?}"
        );
        assert!(hits(&r).iter().all(|h| h.3 != "aws_kms_key.rotating"));
        assert!(
            report::summary(&r).contains("1 security-relevant attribute could not be evaluated")
        );
    }
}

#[test]
fn sensitive_values_are_never_printed() {
    let (_tmp, alone) = plan_alone("keys", Profile::Recommended);
    for r in [with_source("keys", Profile::Recommended), alone] {
        // KMS009 judged the material all the same.
        assert_eq!(
            find(&hits(&r), "KMS009", "aws_kms_external_key.byok").len(),
            1
        );
        let mut text = codespan_reporting::term::termcolor::Buffer::no_color();
        report::text::render(&r, &mut text).expect("render");
        for out in [
            String::from_utf8_lossy(text.as_slice()).into_owned(),
            report::json::render(&r),
            report::sarif::render(&r),
            report::github::render(&r),
            report::junit::render(&r),
            report::gitlab::render(&r),
        ] {
            assert!(
                !out.contains(SECRET) && !out.contains(SECRET_DECODED),
                "{out}"
            );
        }
    }
}

#[test]
fn instances_of_a_child_module_are_placed_in_its_files() {
    let r = with_source("modules", Profile::Recommended);
    let h = hits(&r);
    assert_eq!(
        find(&h, "KMS002", "module.kms.aws_kms_key.this[\"logs\"]"),
        vec![&(
            "KMS002".to_string(),
            "modules/kms/main.tf".to_string(),
            8,
            "module.kms.aws_kms_key.this[\"logs\"]".to_string()
        )],
        "{h:#?}"
    );
    assert!(find(&h, "KMS002", "module.kms.aws_kms_key.this[\"backup\"]").is_empty());
    // A module the tree does not hold (a registry module): placed in the plan.
    let audit = find(&h, "KMS002", "module.audit.aws_kms_key.this");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].1, "tfplan.json");
}

#[test]
fn a_waf_association_to_a_stage_of_the_plan_protects_it() {
    let h = hits(&with_source("modules", Profile::Recommended));
    let apigw002: Vec<&String> = h
        .iter()
        .filter(|x| x.0 == "APIGW002")
        .map(|x| &x.3)
        .collect();
    assert_eq!(apigw002, vec!["aws_api_gateway_stage.dev"], "{h:#?}");
}

#[test]
fn a_vault_lock_in_governance_mode_is_found_on_its_vault() {
    let h = hits(&with_source("modules", Profile::Recommended));
    assert_eq!(
        find(&h, "BKP002", "aws_backup_vault_lock_configuration.main").len(),
        1,
        "{h:#?}"
    );
    // The lock is linked to its vault: BKP001 has nothing to say.
    assert!(h.iter().all(|x| x.0 != "BKP001"), "{h:#?}");
}

#[test]
fn a_format_0_1_plan_is_read() {
    let h = hits(&with_source("legacy", Profile::Recommended));
    assert_eq!(
        find(&h, "KMS002", "aws_kms_key.app"),
        vec![&(
            "KMS002".to_string(),
            "main.tf".to_string(),
            1,
            "aws_kms_key.app".to_string()
        )]
    );
}

#[test]
fn inline_suppressions_of_the_source_apply() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in ["main.tf", "variables.tf", "tfplan.json"] {
        std::fs::copy(fixture("keys").join(f), tmp.path().join(f)).expect("copy");
    }
    let main = std::fs::read_to_string(tmp.path().join("main.tf")).expect("read");
    std::fs::write(
        tmp.path().join("main.tf"),
        main.replacen(
            "  enable_key_rotation = false",
            "  # iacguard:ignore KMS002 -- logs are kept a week\n  enable_key_rotation = false",
            1,
        ),
    )
    .expect("write");
    let r = scan_plans(
        tmp.path(),
        &[tmp.path().to_path_buf()],
        &[tmp.path().join("tfplan.json")],
        Profile::Recommended,
    );
    let h = hits(&r);
    assert!(find(&h, "KMS002", "aws_kms_key.logs").is_empty(), "{h:#?}");
    assert_eq!(r.suppressed.len(), 1);
}

#[test]
fn a_plan_in_its_root_module_directory_is_found_by_the_walk() {
    // No `--plan`: the plan is found beside its configuration, and its values win.
    let dir = fixture("keys");
    let r = scan_plans(&dir, std::slice::from_ref(&dir), &[], Profile::Recommended);
    assert_eq!(
        r.plans,
        vec![("tfplan.json".to_string(), Some(String::new()))]
    );
    let h = hits(&r);
    assert_eq!(find(&h, "KMS002", "aws_kms_key.logs")[0].1, "main.tf");
    assert!(report::summary(&r).contains("values from plans: tfplan.json (root module .)"));
}

#[test]
fn a_file_given_as_a_plan_that_is_not_one_is_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bad = tmp.path().join("plan.json");
    std::fs::write(&bad, "{\"format_version\": \"1.2\", \"planned_values\": [}").expect("write");
    let other = tmp.path().join("x.json");
    std::fs::write(&other, "{\"hello\": 1}").expect("write");
    std::fs::write(
        tmp.path().join("good.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n",
    )
    .expect("write");
    let r = scan_plans(
        tmp.path(),
        &[tmp.path().to_path_buf()],
        std::slice::from_ref(&other),
        Profile::Recommended,
    );
    let h = hits(&r);
    assert!(
        h.iter().any(|x| x.0 == "parse-error" && x.1 == "plan.json"),
        "{h:#?}"
    );
    assert!(
        h.iter().any(|x| x.0 == "parse-error" && x.1 == "x.json"),
        "{h:#?}"
    );
    assert!(
        h.iter().any(|x| x.0 == "KMS002" && x.1 == "good.tf"),
        "{h:#?}"
    );
}

#[test]
fn a_plan_named_alone_brings_the_source_of_its_directory() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_iacguard"))
        .current_dir(fixture("keys"))
        .args([
            "check",
            "--no-config",
            "--today",
            "2026-12-01",
            "tfplan.json",
        ])
        .output()
        .expect("run iacguard");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("┌─ main.tf:3:25"), "{text}");
    assert!(
        text.contains("values from plans: tfplan.json (root module .)"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "{text}");
}

/// A plan is generated: a finding placed in it has no fix (its JSON would take the
/// literal edit).
#[test]
fn a_finding_placed_in_a_plan_has_no_fix() {
    let (_dir, alone) = plan_alone("keys", Profile::Strict);
    let in_plan: Vec<_> = alone
        .diagnostics
        .iter()
        .filter(|d| d.rule == "KMS002")
        .collect();
    assert!(!in_plan.is_empty());
    assert!(in_plan.iter().all(|d| d.fix.is_none()));
}

/// The text report of a scan.
fn text_of(r: &Report) -> String {
    let mut text = codespan_reporting::term::termcolor::Buffer::no_color();
    report::text::render(r, &mut text).expect("render");
    String::from_utf8_lossy(text.as_slice()).into_owned()
}

#[test]
fn the_not_evaluated_note_of_a_plan_is_kept_when_only_the_plan_is_named() {
    // With its source beside it: the note is placed in the source, and labelled at the
    // attribute's `after_unknown` mark in the plan.
    let dir = fixture("keys");
    let r = scan_plans(&dir, &[dir.join("tfplan.json")], &[], Profile::Recommended);
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "not-evaluated")
        .collect();
    assert_eq!(notes.len(), 1, "{:#?}", hits(&r));
    let note = notes[0];
    assert_eq!(r.sources.get(note.primary.file).name, "main.tf");
    let in_plan: Vec<_> = note
        .labels
        .iter()
        .filter(|l| r.sources.get(l.span.file).name == "tfplan.json")
        .collect();
    assert_eq!(in_plan.len(), 1, "{:#?}", note.labels);
    assert_eq!(r.sources.text(in_plan[0].span), "true");
    let line = r
        .sources
        .get(in_plan[0].span.file)
        .position(in_plan[0].span.start as usize)
        .line;
    let plan_text = std::fs::read_to_string(dir.join("tfplan.json")).expect("read");
    assert!(
        plan_text
            .lines()
            .nth(line - 1)
            .is_some_and(|l| l.contains("\"rotation_period_in_days\": true")),
        "line {line}"
    );
    assert!(report::summary(&r).contains("1 security-relevant attribute could not be evaluated"));
    // Without it: placed in the plan.
    let (_tmp, r) = plan_alone("keys", Profile::Recommended);
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "not-evaluated")
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(r.sources.get(notes[0].primary.file).name, "tfplan.json");
    assert_eq!(r.sources.text(notes[0].primary), "true");
}

#[test]
fn references_through_locals_are_followed_in_the_source() {
    let options = |dir: &Path, paths: Vec<PathBuf>, plans: Vec<PathBuf>| ScanOptions {
        paths,
        root: dir.to_path_buf(),
        threads: 1,
        settings: settings(Profile::Strict),
        plans,
        keep_keys: true,
        ..ScanOptions::default()
    };
    let dir = fixture("locals");
    let o = options(&dir, vec![dir.clone()], vec![dir.join("tfplan.json")]);
    let r = scan(&o);
    assert_eq!(
        r.plans,
        vec![("tfplan.json".to_string(), Some(String::new()))]
    );
    let h = hits(&r);
    // alias → key through `local.app_key_id` (known: an existing key) and `local.logs_key`
    // (known only after apply); consumer → key through two locals.
    assert!(h.iter().all(|x| x.0 != "not-evaluated"), "{h:#?}");
    assert!(h.iter().all(|x| x.0 != "KMS005"), "{h:#?}");
    // A local that writes a literal: the plan's value stands, judged as in source.
    assert_eq!(find(&h, "KMS001", "aws_sqs_queue.jobs").len(), 1, "{h:#?}");
    let text = iacguard::inventory::render_text(&iacguard::inventory::build(&r, &o.settings));
    for (key, alias) in [
        ("aws_kms_key.app ", "alias/app"),
        ("aws_kms_key.logs ", "alias/logs"),
    ] {
        let block = text
            .split("\n\n")
            .find(|b| b.starts_with(key))
            .expect("the key");
        assert!(block.contains(&format!("aliases: {alias}")), "{block}");
    }
    assert!(
        text.contains(
            "re-encrypt when the key is replaced:\n  aws_ebs_volume.db kms_key_id (main.tf:26)"
        ),
        "{text}"
    );
    // Without the source: the links are not known, never a finding, and the note names
    // each attribute and the local.
    let tmp = tempfile::tempdir().expect("tempdir");
    let plan = tmp.path().join("tfplan.json");
    std::fs::copy(dir.join("tfplan.json"), &plan).expect("copy");
    let o = options(tmp.path(), vec![plan], vec![]);
    let r = scan(&o);
    let h = hits(&r);
    assert!(h.iter().all(|x| x.0 != "KMS005"), "{h:#?}");
    let note = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "not-evaluated")
        .expect("the note");
    for what in [
        "`target_key_id` of aws_kms_alias.app (through `local.app_key_id`",
        "`kms_key_id` of aws_ebs_volume.db (through `local.app_key_arn`",
        "`target_key_id` of aws_kms_alias.logs (through `local.logs_key`",
    ] {
        assert!(note.message.contains(what), "{}", note.message);
    }
    let text = iacguard::inventory::render_text(&iacguard::inventory::build(&r, &o.settings));
    assert!(
        !text.contains("re-encrypt when the key is replaced:\n  aws_ebs_volume.db"),
        "{text}"
    );
}

#[test]
fn key_material_placed_in_the_source_is_redacted_as_the_source_alone_redacts_it() {
    // Through a variable: the source shows `var.byok_material`, which is no secret; the
    // plan's value is blanked where it is.
    let with = with_source("keys", Profile::Recommended);
    let dir = fixture("keys");
    let line = "key_material_base64 = var.byok_material";
    let text = text_of(&with);
    assert!(text.contains(line), "{text}");
    assert!(!text.contains(SECRET) && !text.contains(SECRET_DECODED));
    for out in [report::json::render(&with), report::sarif::render(&with)] {
        assert!(
            !out.contains(SECRET) && !out.contains(SECRET_DECODED),
            "{out}"
        );
    }
    // A literal in the source: blanked there, as the source alone blanks it.
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in ["main.tf", "variables.tf", "tfplan.json"] {
        std::fs::copy(dir.join(f), tmp.path().join(f)).expect("copy");
    }
    let main = std::fs::read_to_string(tmp.path().join("main.tf")).expect("read");
    std::fs::write(
        tmp.path().join("main.tf"),
        main.replace("var.byok_material", &format!("\"{SECRET}\"")),
    )
    .expect("write");
    let blanked = format!("key_material_base64 = \"{}\"", "*".repeat(SECRET.len()));
    let plan = tmp.path().join("tfplan.json");
    let src_only_dir = tempfile::tempdir().expect("tempdir");
    for f in ["main.tf", "variables.tf"] {
        std::fs::copy(tmp.path().join(f), src_only_dir.path().join(f)).expect("copy");
    }
    let src_only = scan_plans(
        src_only_dir.path(),
        &[src_only_dir.path().to_path_buf()],
        &[],
        Profile::Recommended,
    );
    let with = scan_plans(
        tmp.path(),
        &[tmp.path().to_path_buf()],
        &[plan],
        Profile::Recommended,
    );
    assert_eq!(with.plans.len(), 1);
    for r in [&src_only, &with] {
        assert_eq!(
            find(&hits(r), "KMS009", "aws_kms_external_key.byok").len(),
            1
        );
        let text = text_of(r);
        assert!(text.contains(&blanked), "{text}");
        for out in [text, report::json::render(r), report::sarif::render(r)] {
            assert!(
                !out.contains(SECRET) && !out.contains(SECRET_DECODED),
                "{out}"
            );
        }
    }
}

/// Locals that name each other several times (or themselves, in a source that no longer
/// matches the plan) are followed once each: the work stays linear, the link holds.
#[test]
fn locals_that_name_each_other_many_times_are_followed_once_each() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in ["main.tf", "tfplan.json"] {
        std::fs::copy(fixture("locals").join(f), tmp.path().join(f)).expect("copy");
    }
    // `logs_key` reaches the key through 20 locals, each naming the next three times:
    // 3^20 paths if each were followed again.
    let mut chain = String::from("locals {\n");
    for i in 0..20 {
        let next = format!("local.l{}", i + 1);
        chain.push_str(&format!("  l{i} = [{next}, {next}, {next}]\n"));
    }
    chain.push_str("  l20 = aws_kms_key.logs.arn\n  again = [local.again, local.again]\n}\n");
    let main = tmp.path().join("main.tf");
    let text = std::fs::read_to_string(&main).expect("read").replacen(
        "logs_key    = aws_kms_key.logs.arn",
        "logs_key    = local.l0",
        1,
    );
    std::fs::write(&main, format!("{text}\n{chain}")).expect("write");
    let r = scan_plans(
        tmp.path(),
        &[tmp.path().to_path_buf()],
        &[tmp.path().join("tfplan.json")],
        Profile::Strict,
    );
    let h = hits(&r);
    assert!(h.iter().all(|x| x.0 != "KMS005"), "{h:#?}");
}
