//! `Val<T>`: a model field with its value (or unknown), its span and how it was set.

use crate::source::Span;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Written in the resource.
    Explicit,
    /// Left out: the service default applies; the span is the resource header.
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Val<T> {
    /// `None` when not statically known.
    pub value: Option<T>,
    pub span: Span,
    pub how: How,
    /// The variable default, local or parameter that set the value, when not the
    /// resource itself.
    pub from: Option<Span>,
    /// The attribute or property that holds the value, as the resource's format names it
    /// (`enable_key_rotation`, `EnableKeyRotation`): what a message tells the user to
    /// set. Empty when the value is not one attribute's.
    pub attr: &'static str,
}

impl<T> Val<T> {
    pub fn default(value: Option<T>, header: Span) -> Val<T> {
        Val {
            value,
            span: header,
            how: How::Default,
            from: None,
            attr: "",
        }
    }

    /// A value that is set (at `v`) but not statically known.
    pub fn set_unknown(v: &Value) -> Val<T> {
        Val {
            value: None,
            span: v.span,
            how: How::Explicit,
            from: v.from,
            attr: "",
        }
    }

    /// The same value, held by the attribute `attr`.
    pub fn named(mut self, attr: &'static str) -> Val<T> {
        self.attr = attr;
        self
    }

    pub fn is_explicit(&self) -> bool {
        self.how == How::Explicit
    }

    pub fn known(&self) -> Option<&T> {
        self.value.as_ref()
    }
}

/// Reads an optional attribute: absent or null gives the default at the header span; a
/// present value is converted, unknown when the conversion fails.
pub fn field<T>(
    body: &Value,
    key: &'static str,
    header: Span,
    default: Option<T>,
    conv: impl Fn(&Value) -> Option<T>,
) -> Val<T> {
    if body.as_map().is_none() {
        // The whole body is unknown (an alias, an unresolved intrinsic): so is every field.
        return Val::default(None, header).named(key);
    }
    match body.get(key) {
        Some(v) if !v.is_null() => Val {
            value: conv(v),
            span: v.span,
            how: How::Explicit,
            from: v.from,
            attr: key,
        },
        _ => Val::default(default, header).named(key),
    }
}

pub fn bool_of(v: &Value) -> Option<bool> {
    v.as_bool()
}

pub fn num_of(v: &Value) -> Option<f64> {
    v.as_number()
}

pub fn string_of(v: &Value) -> Option<String> {
    v.to_plain_string()
}
