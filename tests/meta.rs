//! Keeps the registry, rule documents, fixtures, README and message style in step.

mod common;

use std::fs;

const HEADINGS: [&str; 7] = [
    "What it does",
    "Why is this bad?",
    "Profiles",
    "Example",
    "How to fix",
    "Fix",
    "References",
];

/// The `Fix` section of every rule document starts by saying whether `--fix` repairs the
/// finding, and how: `Safe`, `Unsafe` or `None` (`tests/fixes.rs` checks the fixes
/// the fixtures get against it).
#[test]
fn every_fix_section_says_whether_the_fix_is_safe() {
    for m in iacguard::rules::all() {
        let fix = m.section("Fix").unwrap_or_default();
        let first = fix.trim_start();
        assert!(
            ["Safe", "Unsafe", "None"]
                .iter()
                .any(|w| first.starts_with(w)),
            "rules/{}.md: the Fix section must start with Safe, Unsafe or None: {first:.40}",
            m.id
        );
    }
}

#[test]
fn every_rule_has_a_document_with_the_required_headings() {
    for m in iacguard::rules::all() {
        let path = common::root().join("rules").join(format!("{}.md", m.id));
        assert!(path.exists(), "{} has no rules/{}.md", m.id, m.id);
        for h in HEADINGS {
            assert!(
                m.section(h).is_some_and(|s| !s.is_empty()),
                "rules/{}.md lacks `## {h}`",
                m.id
            );
        }
        assert!(m
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        assert!(m
            .security_severity
            .parse::<f64>()
            .is_ok_and(|s| (0.0..=10.0).contains(&s)));
    }
}

#[test]
fn every_rule_document_is_registered() {
    let ids: Vec<String> = iacguard::rules::all()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    for e in fs::read_dir(common::root().join("rules")).expect("rules dir") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.trim_end_matches(".md");
        assert!(
            ids.iter().any(|i| i == id),
            "rules/{name} is not in the registry"
        );
    }
}

#[test]
fn every_registry_line_names_its_document_by_the_documents_id() {
    let metas = iacguard::rules::all();
    assert_eq!(metas.len(), iacguard::rules::REGISTRY.len());
    for (entry, meta) in iacguard::rules::REGISTRY.iter().zip(metas) {
        assert_eq!(
            entry.id, meta.id,
            "the registry's {} embeds a document whose front matter says {}",
            entry.id, meta.id
        );
    }
    let mut ids: Vec<&str> = iacguard::rules::REGISTRY.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), metas.len(), "a rule is registered twice");
}

#[test]
fn every_rule_reads_its_parameters_from_its_document() {
    let errors = iacguard::rules::document_params_errors();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn every_rule_has_fail_and_pass_fixtures_for_each_framework() {
    for m in iacguard::rules::all() {
        // The profile fixtures of a policy rule (its premise present and absent) too.
        let recommended = common::root()
            .join("testdata")
            .join(&m.id)
            .join("recommended");
        let kinds: &[&str] = if recommended.is_dir() {
            &["fail", "pass", "recommended/fail", "recommended/pass"]
        } else {
            &["fail", "pass"]
        };
        for &kind in kinds {
            let dir = common::root().join("testdata").join(&m.id).join(kind);
            let names: Vec<String> = fs::read_dir(&dir)
                .unwrap_or_else(|_| panic!("{} lacks testdata/{}/{kind}", m.id, m.id))
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            if m.frameworks.iter().any(|f| f == "terraform") {
                assert!(
                    names.iter().any(|n| n.ends_with(".tf") || !n.contains('.')),
                    "{} {kind}: no Terraform fixture",
                    m.id
                );
            }
            if m.frameworks.iter().any(|f| f == "cloudformation") {
                assert!(
                    names.iter().any(|n| n.ends_with(".yaml")),
                    "{} {kind}: no CloudFormation YAML fixture",
                    m.id
                );
                assert!(
                    kind.starts_with("recommended") || names.iter().any(|n| n.ends_with(".json")),
                    "{} {kind}: no CloudFormation JSON fixture",
                    m.id
                );
            }
        }
    }
}

#[test]
fn profile_parameters_are_parameters_of_the_rule() {
    for m in iacguard::rules::all() {
        for key in m.strict.keys() {
            assert!(
                m.params.contains_key(key),
                "rules/{}.md: `strict` sets `{key}`, which `params` does not declare",
                m.id
            );
        }
        if m.kind != iacguard::rules::RuleKind::Fact {
            let profiles = m.section("Profiles").unwrap_or_default();
            assert!(
                profiles.contains("policy"),
                "rules/{}.md: a {} rule whose Profiles section does not say what its policy is",
                m.id,
                m.kind.as_str()
            );
        }
    }
}

#[test]
fn messages_start_lower_case_without_a_trailing_period() {
    let report = common::scan_path(&common::root().join("testdata"), 2);
    assert!(!report.diagnostics.is_empty());
    for d in &report.diagnostics {
        let first = d.message.chars().next().expect("non-empty message");
        // Acronyms (KMS, S3, REST) and AWS product names may lead; nothing else.
        const PRODUCTS: &[&str] = &[
            "Secrets",
            "Performance",
            "Lambda",
            "CloudWatch",
            "CloudTrail",
            "CloudFront",
            "Kinesis",
            "Redshift",
            "OpenSearch",
            "ElastiCache",
            "Backup",
            "DynamoDB",
        ];
        let leading_word = d.message.split_whitespace().next().unwrap_or("");
        assert!(
            first.is_lowercase()
                || first == '`'
                || leading_word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                || PRODUCTS.contains(&leading_word),
            "message starts upper-case: {}",
            d.message
        );
        assert!(
            !d.message.ends_with('.'),
            "message ends with a period: {}",
            d.message
        );
    }
}

#[test]
fn readme_rule_table_lists_every_rule() {
    let readme = fs::read_to_string(common::root().join("README.md")).expect("README");
    for m in iacguard::rules::all() {
        let row = format!("| {} | {} | {} |", m.id, m.name, m.severity.as_str());
        assert!(readme.contains(&row), "README rule table lacks `{row}`");
        let row = format!("| {} | {} |", m.id, m.kind.as_str());
        assert!(readme.contains(&row), "README profile table lacks `{row}`");
    }
}

/// `1.88` as `(1, 88, 0)`.
fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v.trim().split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

fn rust_version_of(manifest: &str) -> Option<String> {
    let t: toml::Table = toml::from_str(manifest).ok()?;
    t.get("package")?
        .get("rust-version")?
        .as_str()
        .map(str::to_string)
}

/// The Rust version the README's Install section states is `Cargo.toml`'s `rust-version`,
/// and no locked dependency whose sources are at hand (cargo's registry cache) declares a
/// higher one.
#[test]
fn rust_version_covers_the_locked_dependencies_and_the_readme_says_it() {
    let root = common::root();
    let ours = rust_version_of(&fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml"))
        .expect("Cargo.toml declares rust-version");
    let readme = fs::read_to_string(root.join("README.md")).expect("README");
    assert!(readme.contains("cargo install --locked --path .\n"));
    assert!(
        readme.contains(&format!("It needs Rust {ours} or later")),
        "README.md must say `It needs Rust {ours} or later`"
    );
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")));
    let registries: Vec<std::path::PathBuf> = home
        .and_then(|h| fs::read_dir(h.join("registry/src")).ok())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    let lock: toml::Table =
        toml::from_str(&fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock"))
            .expect("Cargo.lock is TOML");
    let mut checked = 0;
    for p in lock["package"].as_array().expect("packages") {
        let (Some(name), Some(v)) = (p["name"].as_str(), p["version"].as_str()) else {
            continue;
        };
        if p.get("source").is_none() {
            continue;
        }
        let Some(manifest) = registries
            .iter()
            .find_map(|r| fs::read_to_string(r.join(format!("{name}-{v}/Cargo.toml"))).ok())
        else {
            continue;
        };
        checked += 1;
        if let Some(theirs) = rust_version_of(&manifest) {
            assert!(
                version(&theirs) <= version(&ours),
                "{name} {v} declares rust-version {theirs}, above Cargo.toml's {ours}"
            );
        }
    }
    if checked == 0 {
        common::skip(
            "rust_version_covers_the_locked_dependencies_and_the_readme_says_it",
            "no dependency sources in cargo's registry cache",
        );
    }
}

/// The snippets a rule's code uses (`cx.snippet("name", ...)`, always with the name
/// written out), by rule id, from the registry's paths.
fn snippets_used() -> Vec<(String, std::path::PathBuf, Vec<String>)> {
    let src = common::root().join("src/rules");
    let registry = fs::read_to_string(src.join("mod.rs")).expect("src/rules/mod.rs");
    let mut out = Vec::new();
    for line in registry.lines() {
        let Some((id, path)) = line.trim().split_once(" => ") else {
            continue;
        };
        if !id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            continue;
        }
        let mut segments: Vec<&str> = path.trim_end_matches(',').split("::").collect();
        segments.pop();
        let file = src.join(format!("{}.rs", segments.join("/")));
        let code = fs::read_to_string(&file).expect("a rule's file");
        let mut names = Vec::new();
        for (i, w) in code.match_indices(".snippet(") {
            let rest = code[i + w.len()..].trim_start();
            let name = rest
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(n, _)| n.to_string());
            let name = name.unwrap_or_else(|| {
                panic!(
                    "{}: a snippet's name must be written out: {:.40}",
                    file.display(),
                    rest
                )
            });
            names.push(name);
        }
        out.push((id.to_string(), file, names));
    }
    out
}

#[test]
fn every_snippet_a_rule_uses_is_in_its_document_for_every_dialect() {
    let used = snippets_used();
    assert_eq!(used.len(), iacguard::rules::all().len());
    let mut any = false;
    for (id, file, names) in used {
        let m = iacguard::rules::find(&id).expect("a registered rule");
        for name in &names {
            any = true;
            let dialects = m.snippets.get(name).unwrap_or_else(|| {
                panic!(
                    "{} uses snippet `{name}`, which rules/{id}.md lacks",
                    file.display()
                )
            });
            for f in &m.frameworks {
                assert!(
                    dialects.get(f).is_some_and(|t| !t.is_empty()),
                    "rules/{id}.md: snippet `{name}` has no text for {f}"
                );
            }
        }
        for (name, dialects) in &m.snippets {
            assert!(
                names.contains(name),
                "rules/{id}.md: snippet `{name}` is not used by {}",
                file.display()
            );
            for d in dialects.keys() {
                assert!(
                    m.frameworks.contains(d),
                    "rules/{id}.md: snippet `{name}` is written for {d}, not one of the rule's frameworks"
                );
            }
        }
    }
    assert!(any, "no rule uses a snippet: the check sees none");
}
