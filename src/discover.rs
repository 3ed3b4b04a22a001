//! Finds the files to analyse: walks the given paths in parallel (honouring `.gitignore`,
//! skipping `.terraform/` and `.git/`) and classifies each file by name.

use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Terraform,
    TerraformJson,
    Tfvars,
    TfvarsJson,
    /// A YAML file that may be a CloudFormation template (decided after parsing).
    Yaml,
    /// A JSON file that may be a CloudFormation template.
    Json,
}

#[derive(Debug, Clone)]
pub struct Discovered {
    pub path: PathBuf,
    /// Path relative to the scan root, `/`-separated.
    pub name: String,
    pub kind: FileKind,
}

/// A path given on the command line that cannot be read at all.
#[derive(Debug, Clone)]
pub struct BadPath {
    pub path: PathBuf,
    pub error: String,
}

/// Test files of `terraform test` and `tofu test`: not configuration.
const TEST_FILES: [&str; 4] = [
    ".tftest.hcl",
    ".tofutest.hcl",
    ".tftest.json",
    ".tofutest.json",
];

/// What a file is, by its name: `.tf` and `.tofu` (OpenTofu) files are Terraform
/// configuration, `.tf.json` and `.tofu.json` its JSON form; test files are skipped.
pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if TEST_FILES.iter().any(|t| lower.ends_with(t)) {
        return None;
    }
    Some(if lower.ends_with(".tf") || lower.ends_with(".tofu") {
        FileKind::Terraform
    } else if lower.ends_with(".tf.json") || lower.ends_with(".tofu.json") {
        FileKind::TerraformJson
    } else if lower.ends_with(".tfvars") {
        FileKind::Tfvars
    } else if lower.ends_with(".tfvars.json") {
        FileKind::TfvarsJson
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".template") {
        FileKind::Yaml
    } else if lower.ends_with(".json") {
        FileKind::Json
    } else {
        return None;
    })
}

/// `(directory, stem, JSON?)` of a file name that ends in `ext` or `ext.json` (ASCII case
/// ignored): `("envs/prod", "main", false)` for `envs/prod/main.tf` and `.tf`.
fn stem_of<'a>(name: &'a str, ext: &str) -> Option<(&'a str, &'a str, bool)> {
    let (dir, file) = name.rsplit_once('/').unwrap_or(("", name));
    let lower = file.to_ascii_lowercase();
    let json = format!("{ext}.json");
    // The suffixes are ASCII: their lengths cut the name on character boundaries.
    if lower.ends_with(&json) {
        Some((dir, &file[..file.len() - json.len()], true))
    } else if lower.ends_with(ext) {
        Some((dir, &file[..file.len() - ext.len()], false))
    } else {
        None
    }
}

/// Drops the Terraform files that OpenTofu ignores: where `x.tofu` and `x.tf` stand in one
/// directory it reads `x.tofu` only (and `x.tofu.json` rather than `x.tf.json`).
pub fn drop_overridden(files: &mut Vec<Discovered>) {
    let tofu: std::collections::HashSet<(String, String, bool)> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson))
        .filter_map(|f| stem_of(&f.name, ".tofu"))
        .map(|(d, s, j)| (d.to_string(), s.to_string(), j))
        .collect();
    if tofu.is_empty() {
        return;
    }
    files.retain(|f| {
        !matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson)
            || stem_of(&f.name, ".tf")
                .is_none_or(|(d, s, j)| !tofu.contains(&(d.to_string(), s.to_string(), j)))
    });
}

/// The display name of a path relative to the root.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let s = match path.strip_prefix(root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        // Outside the root: relative to it through `..` when the two share a directory
        // below the filesystem's root (a module above the current directory), else the
        // path as given (absolute), with `/` separators.
        Err(_) => match above(root, path) {
            Some(rel) => rel,
            None => path.to_string_lossy().replace('\\', "/"),
        },
    };
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s
    }
}

/// `path` relative to `root` through `..` (`../../modules/kms/main.tf`), when both are
/// absolute and share a directory other than the filesystem's root.
fn above(root: &Path, path: &Path) -> Option<String> {
    use std::path::Component;
    if !root.is_absolute() || !path.is_absolute() {
        return None;
    }
    let r: Vec<Component<'_>> = root.components().collect();
    let p: Vec<Component<'_>> = path.components().collect();
    let common = r.iter().zip(&p).take_while(|(a, b)| a == b).count();
    // Sharing only `/` (or a drive) is not sharing a directory.
    if common <= 1 {
        return None;
    }
    let ups = std::iter::repeat_n("..".to_string(), r.len() - common);
    let rest = p[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    Some(ups.chain(rest).collect::<Vec<_>>().join("/"))
}

/// The repository a directory lies in: the nearest directory at or above it holding
/// `.git`. Local modules called from the scanned tree are read up to there.
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    let mut d = Some(dir);
    let mut steps = 0;
    while let Some(x) = d {
        if x.join(".git").exists() {
            return Some(x.to_path_buf());
        }
        steps += 1;
        if steps > 64 {
            return None;
        }
        d = x.parent();
    }
    None
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// IaC candidates, sorted by name.
    pub files: Vec<Discovered>,
    /// Paths given on the command line that cannot be read at all.
    pub bad_roots: Vec<BadPath>,
    /// Entries inside the tree that could not be read (permissions, broken links).
    pub unreadable: Vec<BadPath>,
    /// Names of the files given explicitly on the command line.
    pub explicit: Vec<String>,
}

/// The Terraform files of one module directory (not its subdirectories), without those
/// that OpenTofu ignores for their `.tofu` twin.
pub fn module_files(root: &Path, dir: &Path, exclude: &globset::GlobSet) -> Vec<Discovered> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let path = e.path();
        if !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = relative_name(root, &path);
        match classify(&path) {
            Some(
                kind @ (FileKind::Terraform
                | FileKind::TerraformJson
                | FileKind::Tfvars
                | FileKind::TfvarsJson),
            ) if !exclude.is_match(&name) => out.push(Discovered { path, name, kind }),
            _ => {}
        }
    }
    drop_overridden(&mut out);
    out
}

/// Walks `paths`; names are relative to `root`. Files named explicitly are taken even when
/// ignored.
pub fn discover(
    root: &Path,
    paths: &[PathBuf],
    threads: usize,
    exclude: &globset::GlobSet,
    with_modules: bool,
) -> Walk {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let mut bad = Vec::new();
    let mut explicit = Vec::new();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                bad.push(BadPath {
                    path: p.clone(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        if !meta.is_dir() {
            // An explicit file: the pre-commit case. A FIFO or device named here is
            // reported when it is read, not opened. `.template` or `.json` files are
            // still checked for CloudFormation content later.
            let name = relative_name(root, p);
            explicit.push(name.clone());
            // A Terraform file is understood with its module: the other files of its
            // directory (the pre-commit case passes only the changed ones).
            if with_modules
                && matches!(
                    classify(p),
                    Some(
                        FileKind::Terraform
                            | FileKind::TerraformJson
                            | FileKind::Tfvars
                            | FileKind::TfvarsJson
                    )
                )
            {
                if let Some(dir) = p.parent() {
                    found
                        .lock()
                        .expect("no panics while holding the lock")
                        .extend(module_files(root, dir, exclude));
                }
            }
            if let Some(kind) = classify(p).filter(|_| !exclude.is_match(&name)) {
                found
                    .lock()
                    .expect("no panics while holding the lock")
                    .push(Discovered {
                        path: p.clone(),
                        name,
                        kind,
                    });
            }
            continue;
        }
        let walker = WalkBuilder::new(p)
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .threads(threads.max(1))
            .filter_entry(|e| {
                let n = e.file_name();
                !(e.file_type().is_some_and(|t| t.is_dir()) && (n == ".git" || n == ".terraform"))
            })
            .build_parallel();
        walker.run(|| {
            let found = &found;
            let errors = &errors;
            Box::new(move |entry| {
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        let path = match &err {
                            ignore::Error::WithPath { path, .. } => path.clone(),
                            _ => PathBuf::new(),
                        };
                        errors
                            .lock()
                            .expect("no panics while holding the lock")
                            .push(BadPath {
                                path,
                                error: err.to_string(),
                            });
                        return WalkState::Continue;
                    }
                };
                {
                    // Regular files, and FIFOs, sockets and devices with an IaC name,
                    // which are reported without being opened; links are not followed.
                    if e.file_type()
                        .is_some_and(|t| !t.is_dir() && !t.is_symlink())
                    {
                        if let Some(kind) = classify(e.path()) {
                            let path = e.path().to_path_buf();
                            let name = relative_name(root, &path);
                            if exclude.is_match(&name) {
                                return WalkState::Continue;
                            }
                            found
                                .lock()
                                .expect("no panics while holding the lock")
                                .push(Discovered { path, name, kind });
                        }
                    }
                }
                WalkState::Continue
            })
        });
    }
    let mut files = found
        .into_inner()
        .expect("no panics while holding the lock");
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.dedup_by(|a, b| a.name == b.name);
    drop_overridden(&mut files);
    let mut unreadable = errors
        .into_inner()
        .expect("no panics while holding the lock");
    unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    explicit.sort();
    Walk {
        files,
        bad_roots: bad,
        unreadable,
        explicit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tofu_files_are_terraform_and_test_files_are_skipped() {
        let kind = |n: &str| classify(Path::new(n));
        assert_eq!(kind("main.tofu"), Some(FileKind::Terraform));
        assert_eq!(kind("main.TOFU"), Some(FileKind::Terraform));
        assert_eq!(kind("main.tofu.json"), Some(FileKind::TerraformJson));
        assert_eq!(kind("main.tf"), Some(FileKind::Terraform));
        assert_eq!(kind("main.tf.json"), Some(FileKind::TerraformJson));
        for test in [
            "main.tftest.hcl",
            "main.tofutest.hcl",
            "main.tftest.json",
            "main.tofutest.json",
            "tests/A.TFTEST.JSON",
        ] {
            assert_eq!(kind(test), None, "{test}");
        }
        assert_eq!(kind("settings.json"), Some(FileKind::Json));
    }

    #[test]
    fn a_tofu_file_overrides_its_tf_twin_in_the_same_directory() {
        let file = |name: &str| Discovered {
            path: PathBuf::from(name),
            name: name.to_string(),
            kind: classify(Path::new(name)).expect("a Terraform name"),
        };
        let mut files: Vec<Discovered> = [
            "a/main.tf",
            "a/main.tofu",
            "a/vars.tf",
            "a/keys.tf.json",
            "a/keys.tofu.json",
            "a/cross.tf.json",
            "a/cross.tofu",
            "a/terraform.tfvars",
            "b/main.tf",
            "a/sub/vars.tofu",
            "Main.tf",
            "main.tofu",
        ]
        .into_iter()
        .map(file)
        .collect();
        drop_overridden(&mut files);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "a/main.tofu",
                "a/vars.tf",
                "a/keys.tofu.json",
                // Only the same form overrides: `x.tofu` leaves `x.tf.json` in place.
                "a/cross.tf.json",
                "a/cross.tofu",
                "a/terraform.tfvars",
                // Twins are of one directory, and names are compared as written.
                "b/main.tf",
                "a/sub/vars.tofu",
                "Main.tf",
                "main.tofu",
            ]
        );
    }
}

#[cfg(test)]
mod relative_names {
    use super::relative_name;
    use std::path::Path;

    #[test]
    fn names_above_the_root_go_through_dot_dot_and_unrelated_paths_stay_absolute() {
        let root = Path::new("/repo/examples/complete");
        assert_eq!(
            relative_name(root, Path::new("/repo/examples/complete/main.tf")),
            "main.tf"
        );
        assert_eq!(
            relative_name(root, Path::new("/repo/modules/backup/main.tf")),
            "../../modules/backup/main.tf"
        );
        // Sharing only the filesystem's root: the path as given.
        assert_eq!(relative_name(root, Path::new("/etc/x.tf")), "/etc/x.tf");
    }
}
/// The display root for a set of paths: the current directory.
pub fn default_root() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Makes a command-line path absolute against `root` (names stay relative to it).
pub fn absolutize(root: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        let joined = root.join(p);
        // Drop `.` components so that names read `dir/file.tf`, not `./dir/file.tf`.
        joined
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    }
}

/// Joins a relative path onto a module directory name lexically, keeping an absolute
/// directory absolute. `None` when `..` climbs above the start of the name.
pub fn join_dir(dir: &str, rel: &str) -> Option<String> {
    let absolute = dir.starts_with('/');
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => return None,
            ".." => parts.push(".."),
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Some(if absolute {
        format!("/{joined}")
    } else {
        joined
    })
}
