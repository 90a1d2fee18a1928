//! ARM template language expressions: classification of JSON strings,
//! parsing (`syntax`), evaluation (`eval`, `functions`) and ARM's hash
//! algorithms (`hash`). Siblings are referenced via `super::`, so this folder
//! can be dropped into another crate with `crate::stack` (deep recursion).

use std::borrow::Cow;

mod eval;
mod functions;
mod hash;
mod json;
mod syntax;
#[cfg(test)]
mod tests;
pub(crate) mod toy;

pub use eval::{Context, EvalError, EvalErrorKind, Value, eval};
pub use hash::{guid, unique_string};
pub use syntax::{Expr, ExprKind, MAX_DEPTH, SyntaxError, parse};

/// How ARM interprets a JSON string value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StringKind<'a> {
    /// Plain text (with a leading `[[` escape already reduced to `[`).
    Literal(Cow<'a, str>),
    /// A language expression; the whole string including the brackets.
    Expression(&'a str),
}

/// Whether a JSON string token (raw, with its quotes) may hold an expression,
/// judged from its first character without decoding escapes: only a string
/// that starts with `[` (or an escape that could be one) can.
pub fn may_be_expression(raw_token: &str) -> bool {
    matches!(raw_token.as_bytes().get(1), Some(b'[' | b'\\'))
}

/// Classifies `s`: `[...]` is an expression, `[[...]` an escaped literal.
pub fn classify(s: &str) -> StringKind<'_> {
    if s.starts_with('[') && s.ends_with(']') {
        match s.strip_prefix('[') {
            Some(rest) if rest.starts_with('[') => StringKind::Literal(Cow::Borrowed(rest)),
            _ => StringKind::Expression(s),
        }
    } else {
        StringKind::Literal(Cow::Borrowed(s))
    }
}
