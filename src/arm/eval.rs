//! Evaluation of parsed expressions against a caller-supplied [`Context`].
//!
//! Values that come straight from the caller's JSON stay [`Value::Node`]
//! handles through `.prop` and `[i]` access, so the caller keeps their source
//! location. Anything that depends on the deployment, or is not implemented,
//! evaluates to [`Value::Unknown`], which propagates without errors.

use std::fmt;
use std::ops::Range;

use super::functions;
use super::syntax::{Expr, ExprKind};

/// The result of evaluating an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<H> {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Value<H>>),
    /// Properties in source order; names are matched case-insensitively.
    Object(Vec<(String, Value<H>)>),
    /// A JSON node owned by the caller.
    Node(H),
    /// Not computable without deployment context (or not implemented).
    Unknown,
}

/// Supplies parameters, variables and JSON nodes to the evaluator.
pub trait Context {
    type Handle: Copy;
    /// Value of parameter `name`; None when the template does not declare it.
    fn parameter(&mut self, name: &str) -> Option<Value<Self::Handle>>;
    /// Value of variable `name`; None when undeclared.
    fn variable(&mut self, name: &str) -> Option<Value<Self::Handle>>;
    /// Current copy index (optionally of a named loop); None outside a loop.
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64>;
    /// Child of an object node by name (ARM property names are case-insensitive), or None.
    fn member(&mut self, h: Self::Handle, name: &str) -> Option<Value<Self::Handle>>;
    /// Element of an array node, or None.
    fn element(&mut self, h: Self::Handle, index: usize) -> Option<Value<Self::Handle>>;
    /// Converts a node into an owned value (the caller bounds depth/size; may return Unknown).
    fn materialize(&mut self, h: Self::Handle) -> Value<Self::Handle>;
}

/// A definite evaluation error at `span` (byte range in the expression string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub span: Range<u32>,
    pub kind: EvalErrorKind,
}

/// What went wrong during evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalErrorKind {
    UndeclaredParameter(String),
    UndeclaredVariable(String),
    WrongArgumentCount {
        function: String,
        expected: String,
        got: usize,
    },
    TypeMismatch(String),
    IndexOutOfRange(String),
    NoSuchMember(String),
}

impl fmt::Display for EvalErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UndeclaredParameter(n) => write!(f, "parameter '{n}' is not declared"),
            Self::UndeclaredVariable(n) => write!(f, "variable '{n}' is not declared"),
            Self::WrongArgumentCount {
                function,
                expected,
                got,
            } => write!(f, "function '{function}' expects {expected} argument(s) but got {got}"),
            Self::TypeMismatch(m) | Self::IndexOutOfRange(m) => f.write_str(m),
            Self::NoSuchMember(n) => write!(f, "property '{n}' does not exist"),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {}..{})", self.kind, self.span.start, self.span.end)
    }
}

impl std::error::Error for EvalError {}

/// Evaluates `e`; definite errors are appended to `errors`.
pub fn eval<C: Context>(e: &Expr, ctx: &mut C, errors: &mut Vec<EvalError>) -> Value<C::Handle> {
    Evaluator { ctx, errors }.expr(e, 0)
}

/// Deepest value structure the evaluator walks; deeper parts become Unknown.
pub(super) const MAX_VALUE_DEPTH: usize = 128;
/// Deepest expression tree evaluated (parsed trees are at most 200 high).
const MAX_EXPR_DEPTH: usize = 256;

/// Evaluation state shared with the builtin functions.
pub(super) struct Evaluator<'a, C: Context> {
    pub(super) ctx: &'a mut C,
    pub(super) errors: &'a mut Vec<EvalError>,
}

impl<C: Context> Evaluator<'_, C> {
    pub(super) fn expr(&mut self, e: &Expr, depth: usize) -> Value<C::Handle> {
        if depth > MAX_EXPR_DEPTH {
            return Value::Unknown;
        }
        crate::stack::guard(|| self.expr_unguarded(e, depth))
    }

    fn expr_unguarded(&mut self, e: &Expr, depth: usize) -> Value<C::Handle> {
        match &e.kind {
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::Int(n) => Value::Int(*n),
            ExprKind::Call { name, args, .. } => functions::call(self, e, name, args, depth),
            ExprKind::Member { target, name } => {
                let t = self.expr(target, depth + 1);
                self.member(t, name, &e.span)
            }
            ExprKind::Index { target, index } => {
                let t = self.expr(target, depth + 1);
                let i = self.expr(index, depth + 1);
                let i = self.resolve(i);
                self.index(t, i, &e.span)
            }
        }
    }

    pub(super) fn report(&mut self, span: &Range<u32>, kind: EvalErrorKind) {
        self.errors.push(EvalError {
            span: span.clone(),
            kind,
        });
    }

    /// Replaces every node handle inside `v` by its materialized contents.
    pub(super) fn resolve(&mut self, v: Value<C::Handle>) -> Value<C::Handle> {
        self.resolve_at(v, 0)
    }

    fn resolve_at(&mut self, v: Value<C::Handle>, depth: usize) -> Value<C::Handle> {
        if depth > MAX_VALUE_DEPTH {
            return Value::Unknown;
        }
        match v {
            Value::Node(h) => {
                let owned = self.ctx.materialize(h);
                if matches!(owned, Value::Node(_)) {
                    return Value::Unknown;
                }
                self.resolve_at(owned, depth + 1)
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|x| self.resolve_at(x, depth + 1)).collect()),
            Value::Object(props) => Value::Object(
                props
                    .into_iter()
                    .map(|(k, x)| (k, self.resolve_at(x, depth + 1)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// `target.name`; node handles stay handles.
    fn member(&mut self, target: Value<C::Handle>, name: &str, span: &Range<u32>) -> Value<C::Handle> {
        match target {
            Value::Unknown => Value::Unknown,
            Value::Node(h) => match self.ctx.member(h, name) {
                Some(v) => v,
                None => self.fail(span, EvalErrorKind::NoSuchMember(name.to_string())),
            },
            Value::Object(props) => match find_property(props, name) {
                Some(v) => v,
                None => self.fail(span, EvalErrorKind::NoSuchMember(name.to_string())),
            },
            other => {
                let msg = format!("cannot access property '{name}' of {}", type_name(&other));
                self.fail(span, EvalErrorKind::TypeMismatch(msg))
            }
        }
    }

    /// `target[index]`; `index` is already resolved.
    fn index(&mut self, target: Value<C::Handle>, index: Value<C::Handle>, span: &Range<u32>) -> Value<C::Handle> {
        match (target, index) {
            (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
            (t @ (Value::Node(_) | Value::Object(_)), Value::Str(name)) => self.member(t, &name, span),
            (Value::Node(h), Value::Int(i)) => {
                let found = usize::try_from(i).ok().and_then(|i| self.ctx.element(h, i));
                match found {
                    Some(v) => v,
                    None => self.fail(span, out_of_range(i)),
                }
            }
            (Value::Array(items), Value::Int(i)) => {
                match usize::try_from(i).ok().and_then(|i| items.into_iter().nth(i)) {
                    Some(v) => v,
                    None => self.fail(span, out_of_range(i)),
                }
            }
            (t, i) => {
                let msg = format!("cannot index {} with {}", type_name(&t), type_name(&i));
                self.fail(span, EvalErrorKind::TypeMismatch(msg))
            }
        }
    }

    fn fail(&mut self, span: &Range<u32>, kind: EvalErrorKind) -> Value<C::Handle> {
        self.report(span, kind);
        Value::Unknown
    }
}

fn out_of_range(i: i64) -> EvalErrorKind {
    EvalErrorKind::IndexOutOfRange(format!("index {i} is out of range"))
}

/// Case-insensitive property lookup (ARM property names ignore case).
pub(super) fn find_property<H>(props: Vec<(String, Value<H>)>, name: &str) -> Option<Value<H>> {
    props.into_iter().find(|(k, _)| eq_ignore_case(k, name)).map(|(_, v)| v)
}

/// Ordinal case-insensitive string comparison.
pub(super) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

/// Human-readable type name used in messages.
pub(super) fn type_name<H>(v: &Value<H>) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Int(_) => "an int",
        Value::Str(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Node(_) => "a JSON node",
        Value::Unknown => "an unknown value",
    }
}
