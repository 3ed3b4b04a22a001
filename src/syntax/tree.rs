//! The data tree shared by YAML and JSON documents: scalars, sequences and mappings with
//! byte spans. CloudFormation short-form tags (`!Ref x`) are normalised to their long form
//! (`{"Ref": x}`) so that both syntaxes read alike.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// A number, kept as written (`0123` account ids stay intact).
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// Something iacguard refuses to interpret (a YAML alias); evaluates to unknown.
    Invalid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Every span of the tree, nodes and keys (iterative: no depth limit).
    pub fn spans(&self) -> Vec<Span> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            out.push(n.span);
            match &n.kind {
                NodeKind::Seq(items) => stack.extend(items),
                NodeKind::Map(entries) => {
                    for e in entries {
                        out.push(e.key_span);
                        stack.push(&e.value);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Applies `f` to every span of the tree, nodes and keys.
    pub fn map_spans(&mut self, mut f: impl FnMut(&mut Span)) {
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            f(&mut n.span);
            match &mut n.kind {
                NodeKind::Seq(items) => stack.extend(items.iter_mut()),
                NodeKind::Map(entries) => {
                    for e in entries {
                        f(&mut e.key_span);
                        stack.push(&mut e.value);
                    }
                }
                _ => {}
            }
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The path of keys and indices from the root to the innermost node that holds `span`
/// (`Resources.Key.Properties.EnableKeyRotation`).
pub fn path_to(root: &Node, span: crate::source::Span) -> Option<String> {
    let contains = |n: &Node| n.span.start <= span.start && span.end <= n.span.end;
    if !contains(root) {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let mut node = root;
    loop {
        let next = match &node.kind {
            NodeKind::Map(entries) => entries.iter().find_map(|e| {
                if e.key_span == span {
                    parts.push(e.key.clone());
                    None
                } else if contains(&e.value) {
                    Some((e.key.clone(), &e.value))
                } else {
                    None
                }
            }),
            NodeKind::Seq(items) => items
                .iter()
                .enumerate()
                .find(|(_, n)| contains(n))
                .map(|(i, n)| (i.to_string(), n)),
            _ => None,
        };
        match next {
            Some((k, n)) if n.span != node.span => {
                parts.push(k);
                node = n;
            }
            _ => break,
        }
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

/// The CloudFormation intrinsic for a short-form YAML tag (`!GetAtt` → `Fn::GetAtt`).
pub fn intrinsic_for_tag(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "GetAtt" => "Fn::GetAtt",
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "If" => "Fn::If",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        "ForEach" => "Fn::ForEach",
        // Service Catalog and Config rule functions.
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        _ => return None,
    })
}

/// Whether a parsed document is a CloudFormation template: it has
/// `AWSTemplateFormatVersion`, or a top-level `Resources` map whose entries have a `Type`.
pub fn is_cloudformation(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    match root.get("Resources") {
        Some(res) => {
            let entries = res.entries();
            // A `Fn::ForEach` loop of a transformed template has no `Type` of its own.
            let looped =
                |e: &Entry| e.key.starts_with("Fn::ForEach::") && root.get("Transform").is_some();
            !entries.is_empty()
                && entries
                    .iter()
                    .all(|e| looped(e) || e.value.get("Type").and_then(Node::as_str).is_some())
        }
        None => false,
    }
}
