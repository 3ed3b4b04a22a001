//! `iacguard lsp`: a Language Server over standard input and output that publishes the
//! findings of the documents an editor has open, evaluated with their unsaved text in the
//! context of their module (Terraform) or template (CloudFormation), and offers a quick
//! fix that adds an `iacguard:ignore` comment.

use crate::config::ConfigError;
use crate::diagnostic::{codes, Severity};
use crate::discover::{self, FileKind};
use crate::options::{self, Overrides};
use crate::source::{SourceFile, Span};
use crate::{rules, Report};
use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How long the client must be quiet before changed documents are analysed: a burst of
/// keystrokes yields one analysis.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// The longest a change waits for the client to be quiet.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// A failure of the connection itself (the client went away mid-message, sent something
/// that is not JSON-RPC, or asked to exit without shutting down).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LspError(String);

impl From<lsp_server::ProtocolError> for LspError {
    fn from(e: lsp_server::ProtocolError) -> Self {
        LspError(e.to_string())
    }
}

impl From<std::io::Error> for LspError {
    fn from(e: std::io::Error) -> Self {
        LspError(e.to_string())
    }
}

/// Serves the client on standard input and output until it shuts the server down.
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(connection);
    // The writer thread ends once the connection (its sender) is dropped, inside `serve`.
    let joined = io_threads.join();
    served?;
    joined?;
    Ok(())
}

/// Initializes the connection and answers the client until `shutdown` and `exit`.
pub fn serve(connection: Connection) -> Result<(), LspError> {
    let (id, _params) = connection.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "iacguard", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    Server {
        connection,
        documents: BTreeMap::new(),
        pending: BTreeSet::new(),
        config_errors: BTreeSet::new(),
    }
    .main_loop()
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// An open document: the editor's text, which wins over the file on disk.
struct Document {
    uri: lsp::Uri,
    path: PathBuf,
    version: Option<i32>,
    text: String,
}

/// What one analysis covers: a Terraform module is a directory, a CloudFormation template
/// is one file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    Module(PathBuf),
    Template(PathBuf),
}

impl Scope {
    fn of(path: &Path) -> Option<Scope> {
        match discover::classify(path)? {
            FileKind::Terraform
            | FileKind::TerraformJson
            | FileKind::Tfvars
            | FileKind::TfvarsJson => Some(Scope::Module(path.parent()?.to_path_buf())),
            FileKind::Yaml | FileKind::Json => Some(Scope::Template(path.to_path_buf())),
        }
    }

    fn dir(&self) -> Option<&Path> {
        match self {
            Scope::Module(dir) => Some(dir),
            Scope::Template(path) => path.parent(),
        }
    }
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

struct Server {
    connection: Connection,
    /// By URI.
    documents: BTreeMap<String, Document>,
    /// URIs of the documents changed since they were last analysed.
    pending: BTreeSet<String>,
    /// Configuration files whose error is shown in the editor.
    config_errors: BTreeSet<PathBuf>,
}

impl Server {
    fn main_loop(mut self) -> Result<(), LspError> {
        loop {
            let Ok(msg) = self.connection.receiver.recv() else {
                return Ok(());
            };
            if self.handle(msg)? == Flow::Stop {
                return Ok(());
            }
            if self.pending.is_empty() {
                continue;
            }
            let started = Instant::now();
            loop {
                let wait = DEBOUNCE.min(MAX_DELAY.saturating_sub(started.elapsed()));
                if wait.is_zero() {
                    break;
                }
                match self.connection.receiver.recv_timeout(wait) {
                    Ok(msg) => {
                        if self.handle(msg)? == Flow::Stop {
                            return Ok(());
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            self.analyse_pending();
        }
    }

    fn handle(&mut self, msg: Message) -> Result<Flow, LspError> {
        match msg {
            Message::Request(req) => {
                if self.connection.handle_shutdown(&req)? {
                    return Ok(Flow::Stop);
                }
                self.handle_request(req);
                Ok(Flow::Continue)
            }
            Message::Notification(n) if n.method == "exit" => {
                Err(LspError("exit without shutdown".into()))
            }
            Message::Notification(n) => {
                self.handle_notification(n);
                Ok(Flow::Continue)
            }
            Message::Response(_) => Ok(Flow::Continue),
        }
    }

    fn handle_request(&mut self, req: Request) {
        let response = match req.method.as_str() {
            "textDocument/codeAction" => {
                match serde_json::from_value::<lsp::CodeActionParams>(req.params) {
                    Ok(params) => Response::new_ok(req.id, self.code_actions(&params)),
                    Err(e) => invalid_params(req.id, e),
                }
            }
            _ => Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("iacguard does not handle {}", req.method),
            ),
        };
        self.send(response.into());
    }

    fn handle_notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let handled = match method.as_str() {
            "textDocument/didOpen" => serde_json::from_value(n.params).map(|p| self.did_open(p)),
            "textDocument/didChange" => {
                serde_json::from_value(n.params).map(|p| self.did_change(p))
            }
            "textDocument/didSave" => serde_json::from_value(n.params).map(|p| self.did_save(p)),
            "textDocument/didClose" => serde_json::from_value(n.params).map(|p| self.did_close(p)),
            _ => Ok(()),
        };
        if let Err(e) = handled {
            self.log(format!("ignored {method}: invalid parameters: {e}"));
        }
    }

    fn did_open(&mut self, p: lsp::DidOpenTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(path) = uri_to_path(uri.as_str()) else {
            return;
        };
        let key = uri.as_str().to_string();
        self.documents.insert(
            key.clone(),
            Document {
                uri,
                path,
                version: Some(p.text_document.version),
                text: p.text_document.text,
            },
        );
        self.pending.insert(key);
    }

    fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.documents.get_mut(&key) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                Some(range) => apply_edit(&mut doc.text, range, &change.text),
                None => doc.text = change.text,
            }
        }
        doc.version = Some(p.text_document.version);
        self.pending.insert(key);
    }

    fn did_save(&mut self, p: lsp::DidSaveTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let is_config = uri_to_path(&key)
            .is_some_and(|path| path.file_name() == Some(crate::config::FILE_NAME.as_ref()));
        if is_config {
            // Every open document may be analysed differently now.
            self.pending.extend(self.documents.keys().cloned());
            return;
        }
        let Some(doc) = self.documents.get_mut(&key) else {
            return;
        };
        if let Some(text) = p.text {
            doc.text = text;
        }
        self.pending.insert(key);
    }

    fn did_close(&mut self, p: lsp::DidCloseTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        self.pending.remove(&key);
        if self.documents.remove(&key).is_some() {
            self.publish(p.text_document.uri, Vec::new(), None);
        }
        // The module's other open documents now see the file on disk again.
        if let Some(Scope::Module(dir)) = uri_to_path(&key).and_then(|p| Scope::of(&p)) {
            let siblings: Vec<String> = self
                .documents
                .iter()
                .filter(|(_, d)| Scope::of(&d.path) == Some(Scope::Module(dir.clone())))
                .map(|(k, _)| k.clone())
                .collect();
            self.pending.extend(siblings);
        }
    }

    /// Analyses every changed document; one scan serves all the open documents of a
    /// Terraform module.
    fn analyse_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let mut scopes: Vec<Scope> = Vec::new();
        for key in &pending {
            let Some(doc) = self.documents.get(key) else {
                continue;
            };
            match Scope::of(&doc.path) {
                Some(scope) if !scopes.contains(&scope) => scopes.push(scope),
                Some(_) => {}
                // Not a file iacguard reads: say so with an empty list.
                None => self.publish(doc.uri.clone(), Vec::new(), doc.version),
            }
        }
        for scope in scopes {
            self.analyse(&scope);
        }
    }

    fn analyse(&mut self, scope: &Scope) {
        let targets: Vec<(lsp::Uri, PathBuf, Option<i32>)> = self
            .documents
            .values()
            .filter(|d| Scope::of(&d.path).as_ref() == Some(scope))
            .map(|d| (d.uri.clone(), d.path.clone(), d.version))
            .collect();
        let Some(dir) = scope.dir().map(Path::to_path_buf) else {
            return;
        };
        let (cfg, cfg_dir) = match options::find_config(&dir) {
            Ok(found) => {
                if let Some(d) = &config_file_in(&found.1) {
                    self.clear_config_error(d);
                }
                found
            }
            Err(e) => {
                self.show_config_error(&e);
                Default::default()
            }
        };
        // Open documents are named explicitly so that a git-ignored or unsaved file is
        // analysed too.
        let paths = match scope {
            Scope::Module(dir) => std::iter::once(dir.clone())
                .chain(targets.iter().map(|(_, p, _)| p.clone()))
                .collect(),
            Scope::Template(path) => vec![path.clone()],
        };
        let root = cfg_dir.clone().unwrap_or_else(|| dir.clone());
        let mut scan_options =
            options::scan_options(&cfg, cfg_dir.as_deref(), root, paths, &Overrides::default());
        scan_options.overlays = self
            .documents
            .values()
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect();
        // A plan in the editor is analysed on its own: its findings are placed in it, at
        // the values they judge (beside its source they would be placed there).
        if let Scope::Template(path) = scope {
            scan_options.isolate_files = self
                .documents
                .values()
                .any(|d| &d.path == path && crate::plan::looks_like_plan(&d.text));
        }
        let scanned =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::scan(&scan_options)));
        let report = match scanned {
            Ok(report) => report,
            Err(_) => {
                self.log(format!(
                    "the analysis of {} failed; please report this as a bug",
                    dir.display()
                ));
                return;
            }
        };
        for (uri, path, version) in targets {
            let diagnostics = self.diagnostics_for(&report, &path);
            self.publish(uri, diagnostics, version);
        }
    }

    /// The findings located in the file at `path`, as LSP diagnostics.
    fn diagnostics_for(&self, report: &Report, path: &Path) -> Vec<lsp::Diagnostic> {
        report
            .diagnostics
            .iter()
            .filter(|d| report.sources.get(d.primary.file).path == path)
            .map(|d| {
                let file = report.sources.get(d.primary.file);
                let related: Vec<lsp::DiagnosticRelatedInformation> = d
                    .labels
                    .iter()
                    .filter_map(|l| {
                        let label_file = report.sources.files().get(l.span.file as usize)?;
                        Some(lsp::DiagnosticRelatedInformation {
                            location: lsp::Location {
                                uri: self.uri_of(&label_file.path)?,
                                range: range(label_file, l.span),
                            },
                            message: l.message.clone(),
                        })
                    })
                    .collect();
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                lsp::Diagnostic {
                    range: range(file, d.primary),
                    severity: Some(severity(d.rule.as_str(), d.severity)),
                    code: Some(lsp::NumberOrString::String(d.rule.clone())),
                    code_description: rules::find(&d.rule)
                        .and_then(|m| lsp::Uri::from_str(&m.help_uri()).ok())
                        .map(|href| lsp::CodeDescription { href }),
                    source: Some("iacguard".into()),
                    message,
                    related_information: (!related.is_empty()).then_some(related),
                    tags: (d.rule == codes::UNUSED_SUPPRESSION)
                        .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
                    data: d.fix.as_deref().and_then(|f| self.fix_data(report, f)),
                }
            })
            .collect()
    }

    /// A finding's fix as the diagnostic's `data`, which the client hands back with a
    /// code action request: its title and edits, in UTF-16 ranges.
    fn fix_data(&self, report: &Report, fix: &crate::fix::Fix) -> Option<serde_json::Value> {
        let mut edits = Vec::new();
        for e in &fix.edits {
            let file = report.sources.files().get(e.span.file as usize)?;
            edits.push(serde_json::json!({
                "uri": self.uri_of(&file.path)?.as_str(),
                "range": range(file, e.span),
                "newText": e.replacement,
            }));
        }
        let title = match fix.safety {
            crate::fix::Safety::Safe => format!("Fix: {}", fix.description),
            crate::fix::Safety::Unsafe => format!("Fix (unsafe, review it): {}", fix.description),
        };
        (!edits.is_empty()).then(|| {
            serde_json::json!({ "fix": { "title": title, "safe": fix.safety == crate::fix::Safety::Safe, "edits": edits } })
        })
    }

    /// The URI of a file: the client's own for an open document.
    fn uri_of(&self, path: &Path) -> Option<lsp::Uri> {
        match self.documents.values().find(|d| d.path == path) {
            Some(d) => Some(d.uri.clone()),
            None => lsp::Uri::from_str(&path_to_uri(path)).ok(),
        }
    }

    /// One `iacguard:ignore` quick fix per rule finding in the request, on the line above
    /// the finding, indented like it. JSON has no comments: nothing is offered there.
    // `WorkspaceEdit::changes` is keyed by `Uri`, whose parser caches data in a `Cell`
    // that does not take part in hashing.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&self, params: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let Some(doc) = self.documents.get(params.text_document.uri.as_str()) else {
            return Vec::new();
        };
        let comments = matches!(
            discover::classify(&doc.path),
            Some(FileKind::Terraform | FileKind::Tfvars | FileKind::Yaml)
        );
        if let Some(only) = &params.context.only {
            if !only.iter().any(|k| {
                lsp::CodeActionKind::QUICKFIX
                    .as_str()
                    .starts_with(k.as_str())
            }) {
                return Vec::new();
            }
        }
        let mut offered: Vec<(u32, String)> = Vec::new();
        let mut actions = Vec::new();
        for d in &params.context.diagnostics {
            let Some(lsp::NumberOrString::String(rule)) = &d.code else {
                continue;
            };
            if d.source.as_deref() != Some("iacguard") || rules::find(rule).is_none() {
                continue;
            }
            if let Some(action) = fix_action(d) {
                actions.push(action);
            }
            let line = d.range.start.line;
            if !comments || offered.contains(&(line, rule.clone())) {
                continue;
            }
            offered.push((line, rule.clone()));
            let Some(edit) = ignore_comment_edit(&doc.text, line, rule) else {
                continue;
            };
            let mut changes = HashMap::new();
            changes.insert(doc.uri.clone(), vec![edit]);
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Ignore {rule} here (iacguard:ignore comment)"),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                }),
                ..Default::default()
            }));
        }
        actions
    }

    fn show_config_error(&mut self, e: &ConfigError) {
        let file = SourceFile::new(String::new(), e.path.clone(), e.text.clone());
        let span = Span::new(0, e.span.start, e.span.end);
        let diagnostic = lsp::Diagnostic {
            range: range(&file, span),
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            code: Some(lsp::NumberOrString::String("config".into())),
            source: Some("iacguard".into()),
            message: e.message.clone(),
            ..Default::default()
        };
        let path = absolute(&e.path);
        if let Some(uri) = self.uri_of(&path) {
            self.publish(uri, vec![diagnostic], None);
            self.config_errors.insert(path);
        }
    }

    fn clear_config_error(&mut self, path: &Path) {
        if self.config_errors.remove(path) {
            if let Some(uri) = self.uri_of(path) {
                self.publish(uri, Vec::new(), None);
            }
        }
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn log(&self, message: String) {
        let params = lsp::LogMessageParams {
            typ: lsp::MessageType::WARNING,
            message,
        };
        self.send(Notification::new("window/logMessage".into(), params).into());
    }

    fn send(&self, msg: Message) {
        // A client that has gone away ends the main loop on the next receive.
        let _ = self.connection.sender.send(msg);
    }
}

/// The configuration file of a configuration directory.
fn config_file_in(dir: &Option<PathBuf>) -> Option<PathBuf> {
    dir.as_ref()
        .map(|d| absolute(&d.join(crate::config::FILE_NAME)))
}

fn absolute(path: &Path) -> PathBuf {
    crate::absolutize(&crate::default_root(), path)
}

fn invalid_params(id: RequestId, e: serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("invalid parameters: {e}"),
    )
}

fn severity(rule: &str, severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        // What the evaluator could not follow is a hint, not a finding.
        Severity::Note if rule == codes::EVAL_NOTE => lsp::DiagnosticSeverity::HINT,
        Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// A span as an LSP range: 0-based lines and UTF-16 columns.
fn range(file: &SourceFile, span: Span) -> lsp::Range {
    let at = |offset: u32| {
        let p = file.position(offset as usize);
        lsp::Position {
            line: (p.line - 1) as u32,
            character: (p.column_utf16 - 1) as u32,
        }
    };
    lsp::Range {
        start: at(span.start),
        end: at(span.end),
    }
}

/// The edit inserting `# iacguard:ignore <rule> -- <reason>` above a 0-based line, with
/// that line's indentation.
/// The code action of a diagnostic's fix, from the `data` the client hands back.
#[allow(clippy::mutable_key_type)]
fn fix_action(d: &lsp::Diagnostic) -> Option<lsp::CodeActionOrCommand> {
    let fix = d.data.as_ref()?.get("fix")?;
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for e in fix.get("edits")?.as_array()? {
        let uri = lsp::Uri::from_str(e.get("uri")?.as_str()?).ok()?;
        let range: lsp::Range = serde_json::from_value(e.get("range")?.clone()).ok()?;
        let new_text = e.get("newText")?.as_str()?.to_string();
        changes
            .entry(uri)
            .or_default()
            .push(lsp::TextEdit { range, new_text });
    }
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: fix.get("title")?.as_str()?.to_string(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        is_preferred: Some(fix.get("safe")?.as_bool()?),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        ..Default::default()
    }))
}

fn ignore_comment_edit(text: &str, line: u32, rule: &str) -> Option<lsp::TextEdit> {
    let content = text.split('\n').nth(line as usize)?;
    let indent: String = content
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let at = lsp::Position { line, character: 0 };
    Some(lsp::TextEdit {
        range: lsp::Range { start: at, end: at },
        new_text: format!("{indent}# iacguard:ignore {rule} -- <reason>\n"),
    })
}

/// The byte offset of an LSP position (UTF-16 column) in `text`, clamped to the text and
/// to the end of the line.
fn offset_of(text: &str, position: lsp::Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_end
}

/// Applies an incremental change (for clients that send them despite full sync).
fn apply_edit(text: &mut String, range: lsp::Range, new_text: &str) {
    let start = offset_of(text, range.start);
    let end = offset_of(text, range.end).max(start);
    text.replace_range(start..end, new_text);
}

/// The path of a `file:` URI; `None` for other schemes and remote hosts.
fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path_start = rest.find('/')?;
    let host = &rest[..path_start];
    if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = &rest[path_start..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/dir` is `C:/dir`.
        let b = decoded.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A `file:` URI for an absolute path.
fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> lsp::Position {
        lsp::Position { line, character }
    }

    #[test]
    fn file_uris_round_trip_with_escaped_characters() {
        let path = Path::new("/tmp/my dir/é.tf");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///tmp/my%20dir/%C3%A9.tf");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }

    #[test]
    fn uris_of_other_schemes_or_hosts_have_no_path() {
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file://server/share/a.tf"), None);
        assert_eq!(uri_to_path("file:///a/%zz.tf"), None);
        assert_eq!(
            uri_to_path("file://localhost/a/b.tf").as_deref(),
            Some(Path::new("/a/b.tf"))
        );
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\n😀é = 1\n";
        assert_eq!(offset_of(text, pos(1, 0)), 2);
        // 😀 is two units and four bytes, é one unit and two bytes.
        assert_eq!(offset_of(text, pos(1, 2)), 6);
        assert_eq!(offset_of(text, pos(1, 3)), 8);
        assert_eq!(offset_of(text, pos(1, 99)), text.len() - 1);
        assert_eq!(offset_of(text, pos(9, 0)), text.len());
    }

    #[test]
    fn incremental_changes_apply_to_the_text() {
        let mut text = String::from("x = \"é\"\ny = 1\n");
        apply_edit(
            &mut text,
            lsp::Range {
                start: pos(1, 4),
                end: pos(1, 5),
            },
            "2",
        );
        assert_eq!(text, "x = \"é\"\ny = 2\n");
    }

    #[test]
    fn ignore_comment_keeps_the_line_indentation() {
        let text = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n";
        let edit = ignore_comment_edit(text, 1, "KMS002").expect("edit");
        assert_eq!(edit.range.start, pos(1, 0));
        assert_eq!(edit.range.end, pos(1, 0));
        assert_eq!(edit.new_text, "  # iacguard:ignore KMS002 -- <reason>\n");
    }

    #[test]
    fn spans_become_zero_based_utf16_ranges() {
        let file = SourceFile::new("t".into(), "t".into(), "a: {d: \"😀é\", e: f}\n".into());
        let start = file.text().find("f}").expect("f");
        let r = range(&file, Span::new(0, start, start + 1));
        // `a: {d: "` 8, 😀 2, é 1, `", e: ` 6
        assert_eq!(r.start, pos(0, 17));
        assert_eq!(r.end, pos(0, 18));
    }

    #[test]
    fn evaluation_notes_are_hints() {
        assert_eq!(
            severity(codes::EVAL_NOTE, Severity::Note),
            lsp::DiagnosticSeverity::HINT
        );
        assert_eq!(
            severity("KMS002", Severity::Warning),
            lsp::DiagnosticSeverity::WARNING
        );
    }
}
