//! A finding's fix as data: the changes a rule asks for, located by the model's spans,
//! and the byte-range edits they become once resolved (see [`crate::fix`], which locates,
//! checks, applies and renders them).

use crate::source::{FileId, Span};

/// Whether a fix keeps the configuration's meaning apart from the finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    /// The configuration means the same, except for what the finding reports.
    Safe,
    /// Changes behaviour in a way to review: applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// A value as a fix writes it, rendered in the syntax of the file it goes to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Literal {
    Bool(bool),
    /// A number as written (`365`).
    Number(String),
    Str(String),
    /// A reference to another resource: a Terraform expression (`aws_kms_alias.a.arn`) or a
    /// CloudFormation logical id (`!Ref Alias`, `{"Ref": "Alias"}`).
    Reference(String),
    /// A CloudFormation `Fn::GetAtt` of a logical id and an attribute.
    GetAtt(String, String),
    /// A CloudFormation `Fn::Sub` of a template string.
    Sub(String),
}

/// One change a fix asks for, located by the spans the model keeps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// The value written at `span`, which must be a literal (a boolean, a number, a
    /// string without interpolation), becomes `value`.
    SetLiteral { span: Span, value: Literal },
    /// Whatever is written at `span` (a reference, an expression) becomes `value`.
    Replace { span: Span, value: Literal },
    /// `name = value` added to the attributes of the resource whose header is `header`
    /// (a Terraform block's body, a template resource's `Properties`), inside their nested
    /// blocks or maps `path`, created when absent.
    AddAttribute {
        header: Span,
        path: Vec<String>,
        name: String,
        value: Literal,
    },
    /// The element at `span` removed from the list that holds it.
    RemoveElement { span: Span },
    /// The element of the list at `list` that is the string `item` (any case) removed.
    RemoveListItem { list: Span, item: String },
    /// The tag `key` with the string `value` added to the tags of the resource whose
    /// header is `header`, held in its attribute `attr` (`tags`, `Tags`,
    /// `FileSystemTags`): an entry of the map or list written there (where the
    /// configuration already sets the tag, its value wins), else the attribute with that
    /// one tag.
    AddTag {
        header: Span,
        attr: String,
        key: String,
        value: String,
    },
}

/// A byte-range replacement in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// What a finding's fix does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    /// What the fix does, in the imperative (`set enable_key_rotation to true`).
    pub description: String,
    pub changes: Vec<Change>,
    /// The changes as byte-range replacements, sorted, once [`resolve`]d; a fix that
    /// cannot be resolved is dropped, never left with no edit.
    pub edits: Vec<Edit>,
    /// The Terraform root module whose evaluation proposed the fix, and how many root
    /// modules reach the files it edits (see [`agree_across_roots`]).
    pub roots: Option<(String, usize)>,
}

impl Fix {
    pub fn new(safety: Safety, description: impl Into<String>, changes: Vec<Change>) -> Fix {
        Fix {
            safety,
            description: description.into(),
            changes,
            edits: Vec::new(),
            roots: None,
        }
    }

    pub fn safe(description: impl Into<String>, change: Change) -> Fix {
        Fix::new(Safety::Safe, description, vec![change])
    }

    pub fn unsafe_(description: impl Into<String>, change: Change) -> Fix {
        Fix::new(Safety::Unsafe, description, vec![change])
    }

    /// The files the fix changes.
    pub fn files(&self) -> Vec<FileId> {
        let mut files: Vec<FileId> = self.changes.iter().map(Change::file).collect();
        files.sort_unstable();
        files.dedup();
        files
    }
}

impl Change {
    pub fn file(&self) -> FileId {
        match self {
            Change::SetLiteral { span, .. }
            | Change::Replace { span, .. }
            | Change::RemoveElement { span }
            | Change::RemoveListItem { list: span, .. } => span.file,
            Change::AddAttribute { header, .. } | Change::AddTag { header, .. } => header.file,
        }
    }
}
