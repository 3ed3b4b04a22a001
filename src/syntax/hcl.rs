//! Terraform's HCL into a compact spanned tree, from `hcl-edit`.
//!
//! The `hcl-edit` tree is about fifty times the source; it is converted here, inside the
//! parse task, and dropped. `.tf.json` files are read into the same tree (see
//! [`from_json`]) so that evaluation sees one syntax.

use super::tree::{Node, NodeKind};
use super::{
    bracket_depth, object_cost, operand_depth, SyntaxError, MAX_DEPTH, MAX_OBJECT_COST,
    MAX_OPERAND_DEPTH,
};
use crate::source::{FileId, Span};
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span as _;

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub name_span: Span,
    pub expr: Expr,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    /// `resource "aws_kms_key" "a"`: the block type and its labels.
    pub header: Span,
    pub span: Span,
    pub body: Body,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Template(Vec<TemplatePart>),
    Tuple(Vec<Expr>),
    Object(Vec<(Expr, Expr)>),
    Var(String),
    Traversal(Box<Expr>, Vec<Step>),
    Call(String, Vec<Expr>, bool),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
    /// Something the evaluator does not model (template directives); unknown.
    Opaque,
}

#[derive(Debug, Clone)]
pub enum Step {
    Attr(String),
    Index(Expr),
    /// `[*]` and `.*`: the remaining steps apply to every element.
    Splat,
}

#[derive(Debug, Clone)]
pub enum TemplatePart {
    Lit(String),
    Interp(Expr),
    /// `%{if}` / `%{for}`: not evaluated.
    Directive,
}

#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

pub struct Parsed {
    pub body: Option<Body>,
    pub errors: Vec<SyntaxError>,
}

pub fn parse(text: &str, file: FileId) -> Parsed {
    let (depth, at) = bracket_depth(text);
    if depth > MAX_DEPTH {
        return Parsed {
            body: None,
            errors: super::refusal(
                file,
                text,
                at,
                format!("nesting deeper than {MAX_DEPTH} levels; the file is not analysed"),
            ),
        };
    }
    let (depth, at) = operand_depth(text);
    if depth > MAX_OPERAND_DEPTH {
        return Parsed {
            body: None,
            errors: super::refusal(file, text, at, format!(
                    "brackets nested {depth} deep as operands of operators (`a + (b + (...`), over {MAX_OPERAND_DEPTH}: such text takes the parser exponential time; the file is not analysed"
                )),
        };
    }
    if let Some((entries, at)) = object_cost(text, MAX_OBJECT_COST) {
        return Parsed {
            body: None,
            errors: super::refusal(file, text, at, format!(
                    "object of about {entries} entries: objects this large take quadratic time to parse; the file is not analysed"
                )),
        };
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => {
            let conv = Converter { file, fixed: None };
            Parsed {
                body: Some(conv.body(&body)),
                errors: Vec::new(),
            }
        }
        Err(e) => {
            // The parser may point inside a multi-byte character: back to its start.
            let mut off = e.location().offset().min(text.len());
            while !text.is_char_boundary(off) {
                off -= 1;
            }
            let end = text[off..]
                .char_indices()
                .nth(1)
                .map(|(i, _)| off + i)
                .unwrap_or(text.len());
            Parsed {
                body: None,
                errors: vec![SyntaxError {
                    span: Span::new(file, off, end),
                    message: format!("invalid HCL: {}", e.message()),
                }],
            }
        }
    }
}

struct Converter {
    file: FileId,
    /// Every span set to this one (templates parsed out of JSON strings, whose inner
    /// offsets do not match the file after unescaping).
    fixed: Option<Span>,
}

impl Converter {
    fn span(&self, r: Option<std::ops::Range<usize>>, fallback: Span) -> Span {
        if let Some(f) = self.fixed {
            return f;
        }
        match r {
            Some(r) => Span::new(self.file, r.start, r.end),
            None => fallback,
        }
    }

    fn body(&self, body: &hcl_edit::structure::Body) -> Body {
        let mut out = Body::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let name_span = self.span(a.key.span(), Span::default());
                    out.attrs.push(Attr {
                        name: a.key.as_str().to_string(),
                        name_span,
                        expr: self.expr(&a.value, name_span),
                    });
                }
                Structure::Block(b) => {
                    let start = self.span(b.ident.span(), Span::default());
                    let header = b
                        .labels
                        .last()
                        .map(|l| {
                            let r = match l {
                                BlockLabel::Ident(i) => i.span(),
                                BlockLabel::String(s) => s.span(),
                            };
                            start.to(self.span(r, start))
                        })
                        .unwrap_or(start);
                    out.blocks.push(Block {
                        kind: b.ident.as_str().to_string(),
                        labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                        header,
                        span: self.span(b.span(), header),
                        body: self.body(&b.body),
                    });
                }
            }
        }
        out
    }

    fn expr(&self, e: &Expression, fallback: Span) -> Expr {
        let span = self.span(e.span(), fallback);
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => ExprKind::Number(f),
                None => ExprKind::Opaque,
            },
            Expression::String(s) => ExprKind::Str(s.value().to_string()),
            Expression::Array(a) => ExprKind::Tuple(a.iter().map(|x| self.expr(x, span)).collect()),
            Expression::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => Expr {
                                span: self.span(i.span(), span),
                                kind: ExprKind::Str(i.as_str().to_string()),
                            },
                            ObjectKey::Expression(x) => self.expr(x, span),
                        };
                        (key, self.expr(v.expr(), span))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => self.template(t, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, span),
            Expression::Parenthesis(p) => return self.expr(p.inner(), span),
            Expression::Variable(v) => ExprKind::Var(v.as_str().to_string()),
            Expression::Conditional(c) => ExprKind::Cond(
                Box::new(self.expr(&c.cond_expr, span)),
                Box::new(self.expr(&c.true_expr, span)),
                Box::new(self.expr(&c.false_expr, span)),
            ),
            Expression::FuncCall(f) => {
                let mut name = String::new();
                for ns in &f.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(f.name.name.as_str());
                ExprKind::Call(
                    name,
                    f.args.iter().map(|a| self.expr(a, span)).collect(),
                    f.args.expand_final(),
                )
            }
            Expression::Traversal(t) => {
                let steps = t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::GetAttr(i) => Step::Attr(i.as_str().to_string()),
                        TraversalOperator::Index(x) => Step::Index(self.expr(x, span)),
                        TraversalOperator::LegacyIndex(i) => Step::Index(Expr {
                            span,
                            kind: ExprKind::Number(*i.value() as f64),
                        }),
                        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                            Step::Splat
                        }
                    })
                    .collect();
                ExprKind::Traversal(Box::new(self.expr(&t.expr, span)), steps)
            }
            Expression::UnaryOp(u) => {
                let op = match u.operator.value() {
                    UnaryOperator::Neg => UnaryOp::Neg,
                    UnaryOperator::Not => UnaryOp::Not,
                };
                ExprKind::Unary(op, Box::new(self.expr(&u.expr, span)))
            }
            Expression::BinaryOp(b) => {
                use BinaryOperator as B;
                let op = match b.operator.value() {
                    B::Eq => BinaryOp::Eq,
                    B::NotEq => BinaryOp::NotEq,
                    B::Less => BinaryOp::Lt,
                    B::LessEq => BinaryOp::LtEq,
                    B::Greater => BinaryOp::Gt,
                    B::GreaterEq => BinaryOp::GtEq,
                    B::And => BinaryOp::And,
                    B::Or => BinaryOp::Or,
                    B::Plus => BinaryOp::Add,
                    B::Minus => BinaryOp::Sub,
                    B::Mul => BinaryOp::Mul,
                    B::Div => BinaryOp::Div,
                    B::Mod => BinaryOp::Mod,
                };
                ExprKind::Binary(
                    op,
                    Box::new(self.expr(&b.lhs_expr, span)),
                    Box::new(self.expr(&b.rhs_expr, span)),
                )
            }
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_string()),
                value_var: f.intro.value_var.as_str().to_string(),
                collection: self.expr(&f.intro.collection_expr, span),
                key: f.key_expr.as_ref().map(|k| self.expr(k, span)),
                value: self.expr(&f.value_expr, span),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr, span)),
                grouping: f.grouping,
            })),
        };
        Expr { span, kind }
    }

    fn template(&self, t: &Template, span: Span) -> ExprKind {
        let mut parts = Vec::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => parts.push(TemplatePart::Lit(l.value().to_string())),
                Element::Interpolation(i) => {
                    parts.push(TemplatePart::Interp(self.expr(&i.expr, span)))
                }
                Element::Directive(_) => parts.push(TemplatePart::Directive),
            }
        }
        ExprKind::Template(parts)
    }
}

/// Reads a `.tf.json` document into the HCL tree: top-level keys are block types, nested
/// objects follow Terraform's JSON syntax (labels as object keys), and strings are
/// templates.
pub fn from_json(root: &Node, file: FileId) -> (Body, Vec<SyntaxError>) {
    let mut errors = Vec::new();
    let mut body = Body::default();
    for entry in root.entries() {
        let labels_expected = match entry.key.as_str() {
            "resource" | "data" => 2,
            "module" | "variable" | "output" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        json_blocks(
            &entry.key,
            entry.key_span,
            &entry.value,
            labels_expected,
            Vec::new(),
            file,
            &mut body,
            &mut errors,
        );
    }
    (body, errors)
}

#[allow(clippy::too_many_arguments)]
fn json_blocks(
    kind: &str,
    header: Span,
    node: &Node,
    labels_left: usize,
    labels: Vec<String>,
    file: FileId,
    out: &mut Body,
    errors: &mut Vec<SyntaxError>,
) {
    if labels_left == 0 {
        // A block may be given as an array of bodies (repeated blocks).
        let bodies: Vec<&Node> = match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        for b in bodies {
            out.blocks.push(Block {
                kind: kind.to_string(),
                labels: labels.clone(),
                header,
                span: b.span,
                body: json_body(b, file, errors),
            });
        }
        return;
    }
    for entry in node.entries() {
        let mut l = labels.clone();
        l.push(entry.key.clone());
        json_blocks(
            kind,
            header.to(entry.key_span),
            &entry.value,
            labels_left - 1,
            l,
            file,
            out,
            errors,
        );
    }
}

/// Nested blocks (`server_side_encryption`, `lifecycle`) cannot be told from object
/// attributes without the provider schema: objects become attributes, which evaluation
/// and the adapters read the same way as blocks.
fn json_body(node: &Node, file: FileId, errors: &mut Vec<SyntaxError>) -> Body {
    let mut body = Body::default();
    for e in node.entries() {
        if e.key == "//" {
            continue;
        }
        body.attrs.push(Attr {
            name: e.key.clone(),
            name_span: e.key_span,
            expr: json_expr(&e.value, file, errors),
        });
    }
    body
}

fn json_expr(node: &Node, file: FileId, errors: &mut Vec<SyntaxError>) -> Expr {
    let span = node.span;
    let kind = match &node.kind {
        NodeKind::Null | NodeKind::Invalid => ExprKind::Null,
        NodeKind::Bool(b) => ExprKind::Bool(*b),
        NodeKind::Number(n) => n.parse().map(ExprKind::Number).unwrap_or(ExprKind::Opaque),
        NodeKind::Str(s) => {
            if s.contains("${") || s.contains("%{") {
                // A file holds many strings: each gets a small share of the budget.
                if let Some((entries, _)) = object_cost(s, MAX_OBJECT_COST / 100) {
                    errors.push(SyntaxError {
                        span,
                        message: format!(
                            "template with an object of about {entries} entries: not evaluated"
                        ),
                    });
                    return Expr {
                        span,
                        kind: ExprKind::Opaque,
                    };
                }
                match hcl_edit::parser::parse_template(s) {
                    Ok(t) => {
                        // Spans inside the template are relative to the decoded string:
                        // report the whole string instead.
                        let conv = Converter {
                            file,
                            fixed: Some(span),
                        };
                        conv.template(&t, span)
                    }
                    Err(e) => {
                        errors.push(SyntaxError {
                            span,
                            message: format!("invalid template in string: {}", e.message()),
                        });
                        ExprKind::Opaque
                    }
                }
            } else {
                ExprKind::Str(s.clone())
            }
        }
        NodeKind::Seq(items) => {
            ExprKind::Tuple(items.iter().map(|i| json_expr(i, file, errors)).collect())
        }
        NodeKind::Map(entries) => ExprKind::Object(
            entries
                .iter()
                .map(|e| {
                    (
                        Expr {
                            span: e.key_span,
                            kind: ExprKind::Str(e.key.clone()),
                        },
                        json_expr(&e.value, file, errors),
                    )
                })
                .collect(),
        ),
    };
    Expr { span, kind }
}
