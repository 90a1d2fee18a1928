//! Builtin ARM template functions (names are case-insensitive).
//!
//! Functions that depend on the deployment (`subscription()`,
//! `reference()`, `list*()`, ...), user-defined `ns.fn()` calls and unknown
//! names evaluate to `Unknown`. An `Unknown` argument makes the result
//! `Unknown` unless the function can decide without it (`if` with a known
//! condition, `and(false, ?)`, `coalesce('a', ?)`, `createArray(?)`, ...).
//! Errors are only reported when ARM would certainly fail.

use std::ops::Range;

use super::eval::{Context, EvalError, EvalErrorKind, Evaluator, MAX_VALUE_DEPTH, Value, eq_ignore_case, type_name};
use super::syntax::Expr;
use super::{hash, json};

/// Longest string the evaluator builds; longer results become Unknown.
const MAX_STRING: usize = 1 << 20;

/// An evaluated argument with the span of its expression.
struct Arg<H> {
    v: Value<H>,
    span: Range<u32>,
}

type Out<H> = Result<Value<H>, EvalError>;

fn mismatch<H>(span: &Range<u32>, msg: String) -> Out<H> {
    Err(EvalError {
        span: span.clone(),
        kind: EvalErrorKind::TypeMismatch(msg),
    })
}

/// Evaluates the call `call` (`name(args...)`).
pub(super) fn call<C: Context>(
    ev: &mut Evaluator<'_, C>,
    call: &Expr,
    name: &str,
    args: &[Expr],
    depth: usize,
) -> Value<C::Handle> {
    let lname = name.to_ascii_lowercase();
    if let Some(expected) = arity_error(&lname, args.len()) {
        let got = args.len();
        for a in args {
            ev.expr(a, depth + 1);
        }
        let kind = EvalErrorKind::WrongArgumentCount {
            function: name.to_string(),
            expected,
            got,
        };
        ev.report(&call.span, kind);
        return Value::Unknown;
    }
    match (lname.as_str(), args) {
        ("if", [cond, yes, no]) => return if_fn(ev, cond, yes, no, depth),
        ("and", _) => return logic(ev, name, args, false, depth),
        ("or", _) => return logic(ev, name, args, true, depth),
        _ => {}
    }
    let raw: Vec<Arg<C::Handle>> = args
        .iter()
        .map(|a| Arg {
            v: ev.expr(a, depth + 1),
            span: a.span.clone(),
        })
        .collect();
    let result = match lname.as_str() {
        "parameters" => lookup(ev, raw, true),
        "variables" => lookup(ev, raw, false),
        "coalesce" => Ok(coalesce(ev, raw)),
        "first" => first_last(ev, raw, true),
        "last" => first_last(ev, raw, false),
        "createarray" => Ok(Value::Array(raw.into_iter().map(|a| a.v).collect())),
        "createobject" => create_object(ev, raw),
        _ => {
            let args = raw
                .into_iter()
                .map(|a| Arg {
                    v: ev.resolve(a.v),
                    span: a.span,
                })
                .collect();
            match lname.as_str() {
                "copyindex" => copy_index(ev.ctx, args),
                _ => pure(&lname, name, args, &call.span),
            }
        }
    };
    result.unwrap_or_else(|e| {
        ev.errors.push(e);
        Value::Unknown
    })
}

/// Expected argument count text when `n` is wrong for an implemented function.
fn arity_error(name: &str, n: usize) -> Option<String> {
    let (min, max) = match name {
        "true" | "false" | "null" => (0, Some(0)),
        "parameters" | "variables" | "tolower" | "toupper" | "not" | "length" | "empty" | "json" | "string" | "int"
        | "bool" | "first" | "last" => (1, Some(1)),
        "equals" | "contains" => (2, Some(2)),
        "if" => (3, Some(3)),
        "copyindex" => (0, Some(2)),
        "concat" | "format" | "guid" | "uniquestring" | "coalesce" => (1, None),
        "and" | "or" | "union" | "resourceid" | "subscriptionresourceid" | "tenantresourceid" => (2, None),
        "extensionresourceid" => (3, None),
        "createobject" if !n.is_multiple_of(2) => return Some("an even number of".into()),
        _ => return None,
    };
    let ok = n >= min && max.is_none_or(|m| n <= m);
    if ok {
        return None;
    }
    Some(match max {
        Some(m) if m == min => format!("{min}"),
        Some(m) => format!("{min} to {m}"),
        None => format!("at least {min}"),
    })
}

/// `if(cond, a, b)`: errors in the branch ARM does not evaluate are dropped.
fn if_fn<C: Context>(ev: &mut Evaluator<'_, C>, cond: &Expr, yes: &Expr, no: &Expr, depth: usize) -> Value<C::Handle> {
    let c = ev.expr(cond, depth + 1);
    let c = ev.resolve(c);
    // Visit a branch ARM would not evaluate, discarding its errors.
    let quiet = |ev: &mut Evaluator<'_, C>, e: &Expr| {
        let mark = ev.errors.len();
        ev.expr(e, depth + 1);
        ev.errors.truncate(mark);
    };
    match c {
        Value::Bool(b) => {
            let (taken, skipped) = if b { (yes, no) } else { (no, yes) };
            let v = ev.expr(taken, depth + 1);
            quiet(ev, skipped);
            v
        }
        other => {
            if !matches!(other, Value::Unknown) {
                let msg = format!("if() condition must be a bool, got {}", type_name(&other));
                ev.report(&cond.span, EvalErrorKind::TypeMismatch(msg));
            }
            quiet(ev, yes);
            quiet(ev, no);
            Value::Unknown
        }
    }
}

/// `parameters(name)` / `variables(name)`.
fn lookup<C: Context>(ev: &mut Evaluator<'_, C>, raw: Vec<Arg<C::Handle>>, param: bool) -> Out<C::Handle> {
    let Some(arg) = raw.into_iter().next() else {
        return Ok(Value::Unknown);
    };
    let what = if param { "parameters" } else { "variables" };
    match ev.resolve(arg.v) {
        Value::Str(name) => {
            let found = if param {
                ev.ctx.parameter(&name)
            } else {
                ev.ctx.variable(&name)
            };
            found.ok_or(EvalError {
                span: arg.span,
                kind: if param {
                    EvalErrorKind::UndeclaredParameter(name)
                } else {
                    EvalErrorKind::UndeclaredVariable(name)
                },
            })
        }
        Value::Unknown => Ok(Value::Unknown),
        other => mismatch(
            &arg.span,
            format!("{what}() expects a string name, got {}", type_name(&other)),
        ),
    }
}

/// `coalesce(...)`: first non-null argument, handles kept.
fn coalesce<C: Context>(ev: &mut Evaluator<'_, C>, raw: Vec<Arg<C::Handle>>) -> Value<C::Handle> {
    for arg in raw {
        match arg.v {
            Value::Null => {}
            Value::Unknown => return Value::Unknown,
            Value::Node(h) => match ev.ctx.materialize(h) {
                Value::Null => {}
                Value::Unknown | Value::Node(_) => return Value::Unknown,
                _ => return Value::Node(h),
            },
            other => return other,
        }
    }
    Value::Null
}

/// `first(x)` / `last(x)`; an element of an array node stays a handle.
fn first_last<C: Context>(ev: &mut Evaluator<'_, C>, raw: Vec<Arg<C::Handle>>, first: bool) -> Out<C::Handle> {
    let Some(arg) = raw.into_iter().next() else {
        return Ok(Value::Unknown);
    };
    let owned = match arg.v {
        Value::Node(h) => match ev.ctx.materialize(h) {
            Value::Array(items) if !items.is_empty() => {
                let i = if first { 0 } else { items.len() - 1 };
                let picked = ev.ctx.element(h, i);
                let fallback = if first {
                    items.into_iter().next()
                } else {
                    items.into_iter().next_back()
                };
                return Ok(picked.or(fallback).unwrap_or(Value::Unknown));
            }
            other => other,
        },
        other => other,
    };
    match owned {
        Value::Array(items) => {
            let picked = if first {
                items.into_iter().next()
            } else {
                items.into_iter().next_back()
            };
            Ok(picked.unwrap_or(Value::Null))
        }
        Value::Str(s) => {
            let c = if first { s.chars().next() } else { s.chars().next_back() };
            Ok(Value::Str(c.map(String::from).unwrap_or_default()))
        }
        Value::Null => Ok(Value::Null),
        Value::Unknown | Value::Node(_) => Ok(Value::Unknown),
        other => {
            let f = if first { "first" } else { "last" };
            mismatch(
                &arg.span,
                format!("{f}() expects an array or string, got {}", type_name(&other)),
            )
        }
    }
}

/// `createObject(k1, v1, ...)`; values may stay handles.
fn create_object<C: Context>(ev: &mut Evaluator<'_, C>, raw: Vec<Arg<C::Handle>>) -> Out<C::Handle> {
    let mut props: Vec<(String, Value<C::Handle>)> = Vec::new();
    let mut unknown = false;
    let mut it = raw.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        match ev.resolve(k.v) {
            Value::Str(key) => {
                unknown |= props.iter().any(|(p, _)| eq_ignore_case(p, &key));
                props.push((key, v.v));
            }
            Value::Unknown => unknown = true,
            other => {
                let msg = format!("createObject() keys must be strings, got {}", type_name(&other));
                return mismatch(&k.span, msg);
            }
        }
    }
    Ok(if unknown { Value::Unknown } else { Value::Object(props) })
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex(loop)`, `copyIndex(loop, offset)`.
fn copy_index<C: Context>(ctx: &mut C, args: Vec<Arg<C::Handle>>) -> Out<C::Handle> {
    let mut loop_name: Option<String> = None;
    let mut offset = 0i64;
    let count = args.len();
    for (i, arg) in args.into_iter().enumerate() {
        match arg.v {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Str(s) if i == 0 => loop_name = Some(s),
            Value::Int(n) if i + 1 == count => offset = n,
            other => {
                let msg = format!("copyIndex() got an unexpected {} argument", type_name(&other));
                return mismatch(&arg.span, msg);
            }
        }
    }
    let index = ctx.copy_index(loop_name.as_deref());
    Ok(index
        .and_then(|i| i.checked_add(offset))
        .map_or(Value::Unknown, Value::Int))
}

/// Functions that only need fully resolved argument values.
fn pure<H: Clone>(lname: &str, name: &str, args: Vec<Arg<H>>, call: &Range<u32>) -> Out<H> {
    match lname {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        "null" => Ok(Value::Null),
        "concat" => concat(args),
        "format" => format(args),
        "guid" => hashed(args, name, |p| hash::guid(p)),
        "uniquestring" => hashed(args, name, |p| hash::unique_string(p)),
        "tolower" => change_case(args, name, true),
        "toupper" => change_case(args, name, false),
        "equals" => Ok(equals(args)),
        "not" => not(args),
        "length" => length(args),
        "empty" => empty(args),
        "contains" => contains(args),
        "json" => json_fn(args),
        "string" => string(args),
        "int" => int(args),
        "bool" => bool_fn(args),
        "union" => union(args),
        "resourceid" => resource_id(args, name, call, Scope::ResourceGroup),
        "subscriptionresourceid" => resource_id(args, name, call, Scope::Subscription),
        "tenantresourceid" => resource_id(args, name, call, Scope::Tenant),
        "extensionresourceid" => extension_resource_id(args, name, call),
        _ => Ok(Value::Unknown),
    }
}

fn any_unknown<H>(args: &[Arg<H>]) -> bool {
    args.iter().any(|a| matches!(a.v, Value::Unknown))
}

/// The single argument of a one-argument function.
fn single<H>(args: Vec<Arg<H>>) -> Arg<H> {
    args.into_iter().next().unwrap_or(Arg {
        v: Value::Unknown,
        span: 0..0,
    })
}

fn bounded<H>(s: String) -> Value<H> {
    if s.len() > MAX_STRING {
        Value::Unknown
    } else {
        Value::Str(s)
    }
}

fn concat<H>(args: Vec<Arg<H>>) -> Out<H> {
    if any_unknown(&args) {
        return Ok(Value::Unknown);
    }
    if args.iter().all(|a| matches!(a.v, Value::Array(_))) {
        let mut out = Vec::new();
        for a in args {
            if let Value::Array(items) = a.v {
                out.extend(items);
            }
        }
        return Ok(Value::Array(out));
    }
    let mut s = String::new();
    for a in args {
        match a.v {
            Value::Str(x) => s.push_str(&x),
            Value::Int(n) => s.push_str(&n.to_string()),
            Value::Null => {}
            Value::Bool(_) => return Ok(Value::Unknown), // spelling of bools not verified
            other => {
                let msg = format!("concat() expects all strings or all arrays, got {}", type_name(&other));
                return mismatch(&a.span, msg);
            }
        }
        if s.len() > MAX_STRING {
            return Ok(Value::Unknown);
        }
    }
    Ok(Value::Str(s))
}

/// One piece of a parsed .NET composite format string.
enum Piece {
    Text(String),
    Arg(usize),
}

/// Parses `{n}` items and `{{`/`}}` escapes; None if alignment/format specs are used.
fn parse_format(f: &str) -> Result<Option<Vec<Piece>>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '}' => return Err("unexpected '}' (use '}}' for a literal brace)".into()),
            '{' => {
                let mut index: Option<usize> = None;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    chars.next();
                    let d = d as usize;
                    index = Some(index.unwrap_or(0).saturating_mul(10).saturating_add(d));
                }
                let Some(index) = index else {
                    return Err("'{' must be followed by an argument index".into());
                };
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                match chars.next() {
                    Some('}') => {}
                    Some(',' | ':') => return Ok(None),
                    _ => return Err(format!("format item {{{index}}} is not closed")),
                }
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                pieces.push(Piece::Arg(index));
            }
            c => text.push(c),
        }
    }
    pieces.push(Piece::Text(text));
    Ok(Some(pieces))
}

/// `format(fmt, args...)` with .NET composite formatting.
fn format<H>(args: Vec<Arg<H>>) -> Out<H> {
    let mut it = args.into_iter();
    let Some(fmt) = it.next() else {
        return Ok(Value::Unknown);
    };
    let rest: Vec<Arg<H>> = it.collect();
    let f = match fmt.v {
        Value::Str(f) => f,
        Value::Unknown => return Ok(Value::Unknown),
        other => {
            return mismatch(
                &fmt.span,
                format!("format() expects a format string, got {}", type_name(&other)),
            );
        }
    };
    let pieces = match parse_format(&f) {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(Value::Unknown),
        Err(msg) => return mismatch(&fmt.span, format!("invalid format string: {msg}")),
    };
    for p in &pieces {
        if let Piece::Arg(i) = p
            && *i >= rest.len()
        {
            let msg = format!("format item {{{i}}} has no matching argument");
            return Err(EvalError {
                span: fmt.span.clone(),
                kind: EvalErrorKind::IndexOutOfRange(msg),
            });
        }
    }
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&t),
            Piece::Arg(i) => match rest.get(i).map(|a| &a.v) {
                Some(Value::Str(s)) => out.push_str(s),
                Some(Value::Int(n)) => out.push_str(&n.to_string()),
                Some(Value::Bool(b)) => out.push_str(if *b { "True" } else { "False" }),
                Some(Value::Null) => {}
                _ => return Ok(Value::Unknown),
            },
        }
        if out.len() > MAX_STRING {
            return Ok(Value::Unknown);
        }
    }
    Ok(Value::Str(out))
}

/// `guid(...)` / `uniqueString(...)`: all arguments must be strings.
fn hashed<H>(args: Vec<Arg<H>>, name: &str, f: impl Fn(&[&str]) -> String) -> Out<H> {
    let mut parts = Vec::with_capacity(args.len());
    for a in &args {
        match &a.v {
            Value::Str(s) => parts.push(s.as_str()),
            Value::Unknown | Value::Null => return Ok(Value::Unknown),
            other => {
                return mismatch(
                    &a.span,
                    format!("{name}() expects string arguments, got {}", type_name(other)),
                );
            }
        }
    }
    Ok(Value::Str(f(&parts)))
}

fn change_case<H>(args: Vec<Arg<H>>, name: &str, lower: bool) -> Out<H> {
    let a = single(args);
    match a.v {
        Value::Str(s) if lower => Ok(Value::Str(s.chars().flat_map(char::to_lowercase).collect())),
        Value::Str(s) => Ok(Value::Str(s.chars().flat_map(char::to_uppercase).collect())),
        Value::Null => Ok(Value::Str(String::new())),
        Value::Unknown => Ok(Value::Unknown),
        other => mismatch(&a.span, format!("{name}() expects a string, got {}", type_name(&other))),
    }
}

/// Deep equality; None when Unknown parts prevent a definite answer.
fn deep_eq<H>(a: &Value<H>, b: &Value<H>, depth: usize) -> Option<bool> {
    if depth > MAX_VALUE_DEPTH {
        return None;
    }
    match (a, b) {
        (Value::Unknown | Value::Node(_), _) | (_, Value::Unknown | Value::Node(_)) => None,
        (Value::Null, Value::Null) => Some(true),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Int(x), Value::Int(y)) => Some(x == y),
        (Value::Str(x), Value::Str(y)) => Some(x == y),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_eq(x.iter().zip(y.iter()).map(|(p, q)| deep_eq(p, q, depth + 1)))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_eq(x.iter().map(|(k, v)| match y.iter().find(|(k2, _)| k2 == k) {
                Some((_, w)) => deep_eq(v, w, depth + 1),
                None => Some(false),
            }))
        }
        _ => Some(false),
    }
}

/// Combines element comparisons: any false wins, then any unknown.
fn all_eq(results: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for r in results {
        match r {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

fn equals<H>(args: Vec<Arg<H>>) -> Value<H> {
    match args.as_slice() {
        [a, b] => deep_eq(&a.v, &b.v, 0).map_or(Value::Unknown, Value::Bool),
        _ => Value::Unknown,
    }
}

fn not<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    match a.v {
        Value::Bool(b) => Ok(Value::Bool(!b)),
        Value::Unknown => Ok(Value::Unknown),
        other => mismatch(&a.span, format!("not() expects a bool, got {}", type_name(&other))),
    }
}

/// `and` (`wins` = false) / `or` (`wins` = true), left to right.
///
/// ARM may short-circuit, so once an argument is deciding or unknown, the
/// later arguments are still visited but their errors are not reported.
fn logic<C: Context>(
    ev: &mut Evaluator<'_, C>,
    name: &str,
    args: &[Expr],
    wins: bool,
    depth: usize,
) -> Value<C::Handle> {
    let (mut certain, mut decided, mut unknown, mut failed) = (true, false, false, false);
    for a in args {
        let mark = ev.errors.len();
        let v = ev.expr(a, depth + 1);
        let v = ev.resolve(v);
        if !certain {
            ev.errors.truncate(mark);
        }
        match v {
            Value::Bool(b) if b == wins => decided = true,
            Value::Bool(_) => {}
            Value::Unknown => unknown = true,
            other => {
                if certain {
                    let msg = format!("{name}() expects bools, got {}", type_name(&other));
                    ev.report(&a.span, EvalErrorKind::TypeMismatch(msg));
                }
                failed = true;
            }
        }
        certain = !(decided || unknown || failed);
    }
    if failed {
        Value::Unknown
    } else if decided {
        Value::Bool(wins)
    } else if unknown {
        Value::Unknown
    } else {
        Value::Bool(!wins)
    }
}

fn length<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    let n = match &a.v {
        Value::Str(s) => s.encode_utf16().count(), // .NET counts UTF-16 units
        Value::Array(items) => items.len(),
        Value::Object(props) => props.len(),
        Value::Null | Value::Unknown | Value::Node(_) => return Ok(Value::Unknown),
        other => {
            return mismatch(
                &a.span,
                format!("length() expects a string, array or object, got {}", type_name(other)),
            );
        }
    };
    Ok(i64::try_from(n).map_or(Value::Unknown, Value::Int))
}

fn empty<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    Ok(Value::Bool(match &a.v {
        Value::Null => true,
        Value::Str(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(props) => props.is_empty(),
        Value::Unknown | Value::Node(_) => return Ok(Value::Unknown),
        other => {
            return mismatch(
                &a.span,
                format!("empty() expects a string, array or object, got {}", type_name(other)),
            );
        }
    }))
}

/// `contains`: case-sensitive for strings, case-insensitive for object keys.
fn contains<H>(args: Vec<Arg<H>>) -> Out<H> {
    let Ok([container, item]) = <[Arg<H>; 2]>::try_from(args) else {
        return Ok(Value::Unknown);
    };
    Ok(match (&container.v, &item.v) {
        (Value::Object(props), Value::Str(key)) => Value::Bool(props.iter().any(|(k, _)| eq_ignore_case(k, key))),
        (Value::Array(items), x) => {
            let mut unknown = false;
            for it in items {
                match deep_eq(it, x, 0) {
                    Some(true) => return Ok(Value::Bool(true)),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            if unknown { Value::Unknown } else { Value::Bool(false) }
        }
        (Value::Str(s), Value::Str(x)) => Value::Bool(s.contains(x.as_str())),
        (Value::Int(_) | Value::Bool(_), _) => {
            let msg = format!(
                "contains() expects an array, object or string, got {}",
                type_name(&container.v)
            );
            return mismatch(&container.span, msg);
        }
        _ => Value::Unknown,
    })
}

fn json_fn<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    match a.v {
        Value::Str(s) => Ok(json::parse(&s).unwrap_or(Value::Unknown)),
        Value::Unknown | Value::Null => Ok(Value::Unknown),
        other => mismatch(&a.span, format!("json() expects a string, got {}", type_name(&other))),
    }
}

fn string<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    Ok(match a.v {
        Value::Str(s) => Value::Str(s),
        Value::Int(n) => Value::Str(n.to_string()),
        Value::Bool(b) => Value::Str(if b { "True" } else { "False" }.into()),
        v @ (Value::Array(_) | Value::Object(_)) => {
            let mut out = String::new();
            if json::write(&v, &mut out, 0) {
                bounded(out)
            } else {
                Value::Unknown
            }
        }
        Value::Null | Value::Node(_) | Value::Unknown => Value::Unknown,
    })
}

fn int<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    match a.v {
        Value::Int(n) => Ok(Value::Int(n)),
        Value::Str(s) => match s.trim_matches(is_dotnet_ws).parse::<i64>() {
            Ok(n) => Ok(Value::Int(n)),
            Err(_) => mismatch(&a.span, format!("int() cannot convert '{s}' to an integer")),
        },
        Value::Null | Value::Node(_) | Value::Unknown => Ok(Value::Unknown),
        other => mismatch(
            &a.span,
            format!("int() expects a string or int, got {}", type_name(&other)),
        ),
    }
}

/// Whitespace allowed around numbers by .NET `NumberStyles.Integer`.
fn is_dotnet_ws(c: char) -> bool {
    matches!(c, '\u{9}'..='\u{d}' | ' ')
}

fn bool_fn<H>(args: Vec<Arg<H>>) -> Out<H> {
    let a = single(args);
    match a.v {
        Value::Bool(b) => Ok(Value::Bool(b)),
        Value::Int(n) => Ok(Value::Bool(n != 0)),
        Value::Str(s) => match s.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            t if t.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => mismatch(&a.span, format!("bool() cannot convert '{s}' to a bool")),
        },
        Value::Null | Value::Node(_) | Value::Unknown => Ok(Value::Unknown),
        other => mismatch(
            &a.span,
            format!("bool() expects a string, int or bool, got {}", type_name(&other)),
        ),
    }
}

/// `union`: arrays de-duplicated in order; objects merged deeply, later wins.
fn union<H: Clone>(args: Vec<Arg<H>>) -> Out<H> {
    if args.iter().any(|a| matches!(a.v, Value::Unknown | Value::Null)) {
        return Ok(Value::Unknown);
    }
    let first_is_array = matches!(args.first().map(|a| &a.v), Some(Value::Array(_)));
    let mut items: Vec<Value<H>> = Vec::new();
    let mut props: Vec<(String, Value<H>)> = Vec::new();
    for a in args {
        match (a.v, first_is_array) {
            (Value::Array(xs), true) => {
                for x in xs {
                    match all_eq(items.iter().map(|y| deep_eq(y, &x, 0).map(|e| !e))) {
                        Some(true) => items.push(x),
                        Some(false) => {}
                        None => return Ok(Value::Unknown),
                    }
                }
            }
            (Value::Object(ps), false) => merge(&mut props, ps, 0),
            (other, _) => {
                let want = if first_is_array { "arrays" } else { "objects" };
                return mismatch(
                    &a.span,
                    format!("union() expects all {want}, got {}", type_name(&other)),
                );
            }
        }
    }
    Ok(if first_is_array {
        Value::Array(items)
    } else {
        Value::Object(props)
    })
}

/// Merges `patch` into `into`: nested objects merge, anything else replaces.
fn merge<H>(into: &mut Vec<(String, Value<H>)>, patch: Vec<(String, Value<H>)>, depth: usize) {
    for (k, v) in patch {
        let Some((_, existing)) = into.iter_mut().find(|(k2, _)| eq_ignore_case(k2, &k)) else {
            into.push((k, v));
            continue;
        };
        match (existing, v) {
            (Value::Object(old), Value::Object(new)) if depth < MAX_VALUE_DEPTH => merge(old, new, depth + 1),
            (e @ Value::Unknown, Value::Object(_)) | (e, Value::Unknown) => *e = Value::Unknown,
            (e, v) => *e = v,
        }
    }
}

enum Scope {
    ResourceGroup,
    Subscription,
    Tenant,
}

/// All arguments as strings; Ok(None) if any is Unknown.
fn strings<H>(args: &[Arg<H>], name: &str) -> Result<Option<Vec<String>>, EvalError> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        match &a.v {
            Value::Str(s) => out.push(s.clone()),
            Value::Unknown | Value::Null => return Ok(None),
            other => {
                let msg = format!("{name}() expects string arguments, got {}", type_name(other));
                return Err(EvalError {
                    span: a.span.clone(),
                    kind: EvalErrorKind::TypeMismatch(msg),
                });
            }
        }
    }
    Ok(Some(out))
}

/// `/providers/{ns}/{type1}/{name1}/...`, or None when unsure; Err on a name-count mismatch.
fn provider_path(ty: &str, names: &[String]) -> Result<Option<String>, usize> {
    let segs: Vec<&str> = ty.trim_matches('/').split('/').collect();
    if segs.len() < 2 || segs.iter().any(|s| s.is_empty()) || names.iter().any(|n| n.contains('/')) {
        return Ok(None);
    }
    if names.len() != segs.len() - 1 {
        return Err(segs.len() - 1);
    }
    let mut path = String::from("/providers/");
    path.push_str(segs.first().copied().unwrap_or_default());
    for (t, n) in segs.iter().skip(1).zip(names) {
        path.push('/');
        path.push_str(t);
        path.push('/');
        path.push_str(n);
    }
    Ok(Some(path))
}

fn count_error<H>(name: &str, call: &Range<u32>, expected: usize, got: usize) -> Out<H> {
    Err(EvalError {
        span: call.clone(),
        kind: EvalErrorKind::WrongArgumentCount {
            function: name.to_string(),
            expected: expected.to_string(),
            got,
        },
    })
}

/// `resourceId`, `subscriptionResourceId`, `tenantResourceId`.
fn resource_id<H>(args: Vec<Arg<H>>, name: &str, call: &Range<u32>, scope: Scope) -> Out<H> {
    let Some(parts) = strings(&args, name)? else {
        return Ok(Value::Unknown);
    };
    // The resource type is the first argument containing '/'.
    let Some(tp) = parts.iter().position(|p| p.contains('/')) else {
        return Ok(Value::Unknown);
    };
    let (prefix, rest) = parts.split_at(tp);
    let Some((ty, names)) = rest.split_first() else {
        return Ok(Value::Unknown);
    };
    let path = match provider_path(ty, names) {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(Value::Unknown),
        Err(n) => return count_error(name, call, tp + 1 + n, parts.len()),
    };
    let id = match (scope, prefix) {
        (Scope::ResourceGroup, [sub, rg]) => {
            format!("/subscriptions/{sub}/resourceGroups/{rg}{path}")
        }
        (Scope::Subscription, [sub]) => format!("/subscriptions/{sub}{path}"),
        (Scope::Tenant, []) => path,
        _ => return Ok(Value::Unknown), // needs subscription()/resourceGroup()
    };
    Ok(bounded(id))
}

/// `extensionResourceId(baseId, type, names...)`.
fn extension_resource_id<H>(args: Vec<Arg<H>>, name: &str, call: &Range<u32>) -> Out<H> {
    let Some(parts) = strings(&args, name)? else {
        return Ok(Value::Unknown);
    };
    let [base, ty, names @ ..] = parts.as_slice() else {
        return Ok(Value::Unknown);
    };
    if base.ends_with('/') {
        return Ok(Value::Unknown);
    }
    match provider_path(ty, names) {
        Ok(Some(path)) => Ok(bounded(format!("{base}{path}"))),
        Ok(None) => Ok(Value::Unknown),
        Err(n) => count_error(name, call, 2 + n, parts.len()),
    }
}
