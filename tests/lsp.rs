//! `iacguard lsp` speaks the Language Server Protocol on standard input and output: the
//! real binary, driven by a client that frames JSON-RPC with `Content-Length`.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a busy machine; a hang still fails the test.
const TIMEOUT: Duration = Duration::from_secs(30);

const KEY_WITHOUT_ROTATION: &str = "resource \"aws_kms_key\" \"k\" {}\n";
const KEY_WITH_ROTATION: &str = r#"resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "k" {
  name          = "alias/k"
  target_key_id = aws_kms_key.k.key_id
}
"#;

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        #[allow(deprecated)]
        let bin = assert_cmd::cargo::cargo_bin("iacguard");
        let mut child = Command::new(bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start iacguard lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "iacguard");
        assert_eq!(
            init["result"]["capabilities"]["textDocumentSync"]["change"],
            1
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message that satisfies `wanted`, skipping the others.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no expected message within {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    /// Shuts the server down and returns its exit status.
    fn shutdown(mut self) -> std::process::ExitStatus {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit after `exit`");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn with_code<'a>(params: &'a Value, code: &str) -> &'a Value {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {params}"))
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": { "line": start.0, "character": start.1 },
        "end": { "line": end.0, "character": end.1 },
    })
}

#[test]
fn open_terraform_file_publishes_kms002_with_its_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("main.tf");
    std::fs::write(&path, KEY_WITHOUT_ROTATION).expect("write");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    let params = client.diagnostics(&uri(&path));
    let d = with_code(&params, "KMS002");
    assert_eq!(d["range"], range((0, 0), (0, 26)));
    assert_eq!(d["source"], "iacguard");
    assert_eq!(d["severity"], 1);
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/iacguard/iacguard/blob/main/rules/KMS002.md"
    );
    assert_eq!(params["version"], 1);
    assert!(client.shutdown().success());
}

#[test]
fn fixed_buffer_clears_kms002_before_it_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("main.tf");
    std::fs::write(&path, KEY_WITHOUT_ROTATION).expect("write");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    assert!(codes(&client.diagnostics(&uri(&path))).contains(&"KMS002".into()));
    client.change(&uri(&path), 2, KEY_WITH_ROTATION);
    let params = client.diagnostics(&uri(&path));
    assert_eq!(params["version"], 2);
    assert!(codes(&params).is_empty(), "{params}");
    assert!(client.shutdown().success());
}

#[test]
fn rapid_changes_are_analysed_once_at_the_latest_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("main.tf");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    client.diagnostics(&uri(&path));
    for version in 2..=6 {
        let text = if version == 6 {
            KEY_WITH_ROTATION
        } else {
            KEY_WITHOUT_ROTATION
        };
        client.change(&uri(&path), version, text);
    }
    let params = client.diagnostics(&uri(&path));
    assert_eq!(params["version"], 6);
    assert!(codes(&params).is_empty(), "{params}");
    assert!(client.shutdown().success());
}

#[test]
fn unsaved_terraform_file_sees_the_rest_of_its_module_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("alias.tf"),
        "resource \"aws_kms_alias\" \"k\" {\n  name          = \"alias/k\"\n  target_key_id = aws_kms_key.k.key_id\n}\n",
    )
    .expect("write");
    // Not on disk: a new buffer.
    let path = dir.path().join("key.tf");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    let params = client.diagnostics(&uri(&path));
    // The alias in the other file counts: only the rotation is missing.
    assert_eq!(codes(&params), vec!["KMS002".to_string()]);
    assert!(client.shutdown().success());
}

#[test]
fn configuration_file_of_the_directory_is_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The profile comes from the configuration too: under `strict`, every key without an
    // alias is reported (KMS005), also one that only needs its rotation turned on.
    std::fs::write(
        dir.path().join(".iacguard.toml"),
        "ignore = [\"KMS002\"]\nprofile = \"strict\"\n",
    )
    .expect("write");
    let path = dir.path().join("main.tf");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    let params = client.diagnostics(&uri(&path));
    assert!(!codes(&params).contains(&"KMS002".into()), "{params}");
    assert!(codes(&params).contains(&"KMS005".into()), "{params}");
    assert!(client.shutdown().success());
}

#[test]
fn cloudformation_ranges_count_utf16_units_before_the_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stack.yaml");
    let text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: {Description: \"😀é\", EnableKeyRotation: false}\n";
    let mut client = Client::start();
    client.open(&uri(&path), "yaml", text);
    let params = client.diagnostics(&uri(&path));
    // 4 spaces + `Properties: {` 13 + `Description: ` 13 + `"😀é"` 5 units + `, ` 2 +
    // `EnableKeyRotation: ` 19 = 56.
    assert_eq!(
        with_code(&params, "KMS002")["range"],
        range((3, 56), (3, 61))
    );
    assert!(client.shutdown().success());
}

#[test]
fn code_action_inserts_an_ignore_comment_above_the_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stack.yaml");
    let text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n";
    let mut client = Client::start();
    client.open(&uri(&path), "yaml", text);
    let params = client.diagnostics(&uri(&path));
    let d = with_code(&params, "KMS002").clone();
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(&path) },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    let actions = response["result"].as_array().expect("actions");
    assert_eq!(
        actions.len(),
        2,
        "the fix and the ignore comment: {response}"
    );
    let ignore = action(&response, "Ignore KMS002 here");
    assert_eq!(ignore["kind"], "quickfix");
    let edits = &ignore["edit"]["changes"][uri(&path)];
    assert_eq!(
        edits,
        &json!([{
            "range": range((4, 0), (4, 0)),
            "newText": "      # iacguard:ignore KMS002 -- <reason>\n",
        }])
    );
    assert!(client.shutdown().success());
}

#[test]
fn json_templates_get_the_fix_but_no_ignore_comment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stack.json");
    let text = r#"{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": false}}}}"#;
    let mut client = Client::start();
    client.open(&uri(&path), "json", text);
    let params = client.diagnostics(&uri(&path));
    let d = with_code(&params, "KMS002").clone();
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(&path) },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    let actions = response["result"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{response}");
    assert!(actions[0]["title"]
        .as_str()
        .unwrap_or("")
        .starts_with("Fix: set `EnableKeyRotation` to true"));
    assert!(client.shutdown().success());
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("main.tf");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    assert!(!codes(&client.diagnostics(&uri(&path))).is_empty());
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri(&path) } }),
    );
    assert!(codes(&client.diagnostics(&uri(&path))).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn bad_input_is_answered_without_ending_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("main.tf");
    let mut client = Client::start();
    // Parameters of the wrong shape, an unknown request, a file that does not parse.
    client.notify("textDocument/didOpen", json!({ "textDocument": 42 }));
    let unknown = client.request("textDocument/hover", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    client.open(&uri(&path), "terraform", "resource \"aws_kms_key\" {{{\n");
    assert!(codes(&client.diagnostics(&uri(&path))).contains(&"parse-error".into()));
    assert!(client.shutdown().success());
}

#[test]
fn applied_quick_fix_silences_the_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("main.tf");
    let text = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n";
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", text);
    let params = client.diagnostics(&uri(&path));
    let d = with_code(&params, "KMS002").clone();
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(&path) },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    let edit = &action(&response, "Ignore KMS002 here")["edit"]["changes"][uri(&path)][0];
    let line = edit["range"]["start"]["line"].as_u64().expect("line") as usize;
    let mut lines: Vec<&str> = text.lines().collect();
    let comment = edit["newText"].as_str().expect("text").trim_end();
    lines.insert(line, comment);
    client.change(&uri(&path), 2, &(lines.join("\n") + "\n"));
    let params = client.diagnostics(&uri(&path));
    let codes = codes(&params);
    assert!(!codes.contains(&"KMS002".into()), "{params}");
    assert!(!codes.contains(&"unused-suppression".into()), "{params}");
    assert!(client.shutdown().success());
}

/// The code action whose title starts with `title`.
fn action<'a>(response: &'a Value, title: &str) -> &'a Value {
    response["result"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["title"].as_str().is_some_and(|t| t.starts_with(title)))
        })
        .unwrap_or_else(|| panic!("no action `{title}` in {response}"))
}

/// `text` with one LSP edit applied (a single-line range; `character` in UTF-16 units).
fn apply_lsp_edit(text: &str, edit: &Value) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().expect("line") as usize;
        let col = pos["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let line_text = &text[start..];
        let mut bytes = 0;
        for c in line_text.chars() {
            if units >= col {
                break;
            }
            units += c.len_utf16();
            bytes += c.len_utf8();
        }
        start + bytes
    };
    let (s, e) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..s],
        edit["newText"].as_str().expect("text"),
        &text[e..]
    )
}

#[test]
fn quick_fix_offers_the_rule_fix_in_utf16_ranges_and_applied_clears_the_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stack.yaml");
    // Two characters outside the BMP before the value: 4 UTF-16 units, 8 bytes.
    let text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: {Description: \"🔑🔑\", EnableKeyRotation: false}\n";
    let mut client = Client::start();
    client.open(&uri(&path), "yaml", text);
    let params = client.diagnostics(&uri(&path));
    let d = with_code(&params, "KMS002").clone();
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(&path) },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    let fix = action(&response, "Fix: set `EnableKeyRotation` to true");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let edits = fix["edit"]["changes"][uri(&path)]
        .as_array()
        .expect("edits");
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["range"], range((3, 57), (3, 62)));
    assert_eq!(edits[0]["newText"], "true");
    client.change(&uri(&path), 2, &apply_lsp_edit(text, &edits[0]));
    let params = client.diagnostics(&uri(&path));
    assert!(!codes(&params).contains(&"KMS002".into()), "{params}");
    assert!(client.shutdown().success());
}

#[test]
fn invalid_configuration_is_shown_in_its_file_and_the_defaults_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join(".iacguard.toml");
    std::fs::write(&config, "ignore = [\"KMS002\"]\nunknown-key = 1\n").expect("write");
    let path = dir.path().join("main.tf");
    let mut client = Client::start();
    client.open(&uri(&path), "terraform", KEY_WITHOUT_ROTATION);
    let shown = client.diagnostics(&uri(&config));
    assert_eq!(codes(&shown), vec!["config".to_string()]);
    assert_eq!(shown["diagnostics"][0]["range"]["start"]["line"], 1);
    let params = client.diagnostics(&uri(&path));
    assert!(codes(&params).contains(&"KMS002".into()), "{params}");
    assert!(client.shutdown().success());
}

/// A copy of the plan fixture `keys` (its source and its plan) in a new directory.
fn plan_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plans/keys");
    for f in ["main.tf", "variables.tf", "tfplan.json"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).expect("copy");
    }
    dir
}

/// (rule, 0-based line, severity) of each diagnostic published.
fn published(params: &Value) -> Vec<(String, u64, u64)> {
    let mut v: Vec<(String, u64, u64)> = params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or_default(),
                d["severity"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

/// (rule, 0-based line, LSP severity) of the findings `iacguard check --format json`
/// places in the file `name`, running in `dir` with `args`.
fn checked(dir: &Path, args: &[&str], name: &str) -> Vec<(String, u64, u64)> {
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("iacguard");
    let out = Command::new(bin)
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("run iacguard");
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let mut v: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == name)
        .map(|f| {
            let severity = match f["severity"].as_str() {
                Some("error") => 1,
                Some("warning") => 2,
                _ => 3,
            };
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["start"]["line"].as_u64().unwrap_or_default() - 1,
                severity,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_plan_opened_in_the_editor_gets_its_findings_placed_in_it() {
    let dir = plan_project();
    let plan = dir.path().join("tfplan.json");
    let text = std::fs::read_to_string(&plan).expect("read");
    let mut client = Client::start();
    client.open(&uri(&plan), "json", &text);
    let params = client.diagnostics(&uri(&plan));
    let got = published(&params);
    // What the plan says on its own, placed in it.
    let alone = tempfile::tempdir().expect("tempdir");
    std::fs::copy(&plan, alone.path().join("tfplan.json")).expect("copy");
    let want = checked(alone.path(), &["tfplan.json"], "tfplan.json");
    assert_eq!(got, want, "{params}");
    assert!(got.iter().any(|d| d.0 == "KMS002"), "{params}");
    assert!(got.iter().any(|d| d.0 == "not-evaluated"), "{params}");
    // At `"enable_key_rotation": false` in the change's `after`.
    let kms002 = with_code(&params, "KMS002");
    let line = kms002["range"]["start"]["line"].as_u64().expect("line") as usize;
    assert_eq!(
        text.lines().nth(line).map(str::trim),
        Some("\"enable_key_rotation\": false,"),
        "{kms002}"
    );
    // The plan's secrets are not in what is published.
    assert!(!params
        .to_string()
        .contains("c2VjcmV0LWtleS1tYXRlcmlhbC1kby1ub3QtcHJpbnQ="));
    assert!(client.shutdown().success());
}

#[test]
fn a_terraform_file_beside_a_plan_gets_what_check_gives_for_it() {
    let dir = plan_project();
    let main = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut client = Client::start();
    client.open(&uri(&main), "terraform", &text);
    let params = client.diagnostics(&uri(&main));
    let got = published(&params);
    let want = checked(dir.path(), &["."], "main.tf");
    assert_eq!(got, want, "{params}");
    // The plan's values won: the key material is known (an error), where the source alone
    // cannot know it (a warning).
    assert!(got.iter().any(|d| d.0 == "KMS009" && d.2 == 1), "{params}");
    // With the plan open too, each keeps its own.
    let plan = dir.path().join("tfplan.json");
    let plan_text = std::fs::read_to_string(&plan).expect("read");
    client.open(&uri(&plan), "json", &plan_text);
    let in_plan = client.diagnostics(&uri(&plan));
    assert!(codes(&in_plan).contains(&"KMS002".to_string()), "{in_plan}");
    client.change(&uri(&main), 2, &text);
    assert_eq!(published(&client.diagnostics(&uri(&main))), want);
    assert!(client.shutdown().success());
}
