//! Lexer and parser for ARM template language expressions (`"[...]"`).
//!
//! Grammar (whitespace allowed between tokens):
//! ```text
//! expr    := primary ( '.' ident | '[' expr ']' )*
//! primary := 'text' | integer | ident [ '.' ident ] '(' [ expr { ',' expr } ] ')'
//! ```
//! Bare `true`, `false` and `null` are accepted as zero-argument calls.

use std::fmt;
use std::ops::Range;

/// Maximum height of an expression tree; deeper input is a [`SyntaxError`].
pub const MAX_DEPTH: usize = 200;

/// A parsed expression node with its byte span in the source string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Range<u32>,
}

/// The kinds of expression nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// `'text'`, with `''` unescaped to `'`.
    Str(String),
    /// Integer literal, possibly negative.
    Int(i64),
    /// Function call; `name` is stored as written (may be `ns.fn`).
    Call {
        name: String,
        name_span: Range<u32>,
        args: Vec<Expr>,
    },
    /// Property access `target.name`.
    Member { target: Box<Expr>, name: String },
    /// Element access `target[index]`.
    Index { target: Box<Expr>, index: Box<Expr> },
}

impl Expr {
    /// This node and every node below it, without recursion (expressions
    /// can be thousands of levels deep).
    pub fn nodes(&self) -> impl Iterator<Item = &Expr> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let e = stack.pop()?;
            match &e.kind {
                ExprKind::Call { args, .. } => stack.extend(args.iter()),
                ExprKind::Member { target, .. } => stack.push(target),
                ExprKind::Index { target, index } => {
                    stack.push(target);
                    stack.push(index);
                }
                ExprKind::Str(_) | ExprKind::Int(_) => {}
            }
            Some(e)
        })
    }
}

/// A parse failure at byte `offset` of the input string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: u32,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for SyntaxError {}

/// Parses a whole expression string, including the outer `[` and `]`.
pub fn parse(s: &str) -> Result<Expr, SyntaxError> {
    if u32::try_from(s.len()).is_err() {
        return Err(error(0, "expression is too long".into()));
    }
    if !s.starts_with('[') {
        return Err(error(0, "expression must start with '['".into()));
    }
    let mut p = Parser {
        lex: Lexer { src: s, pos: 1 },
        peeked: None,
    };
    let first = p.peek()?;
    if matches!(first.tok, Tok::RBracket | Tok::Eof) {
        return Err(error(first.start, "empty expression".into()));
    }
    let (expr, _) = p.expr(0)?;
    let close = p.next()?;
    match close.tok {
        Tok::RBracket => {}
        Tok::Eof => return Err(error(close.start, "expected ']'".into())),
        other => {
            let msg = format!("unexpected {} after the expression", describe(&other));
            return Err(error(close.start, msg));
        }
    }
    let end = p.next()?;
    match end.tok {
        Tok::Eof => Ok(expr),
        _ => Err(error(end.start, "unexpected characters after the closing ']'".into())),
    }
}

fn error(offset: usize, message: String) -> SyntaxError {
    SyntaxError {
        offset: to_u32(offset),
        message,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn span(start: usize, end: usize) -> Range<u32> {
    to_u32(start)..to_u32(end)
}

fn nesting_error(offset: usize) -> SyntaxError {
    let msg = format!("expression nested more than {MAX_DEPTH} levels");
    error(offset, msg)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok<'a> {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    /// Borrowed from the source unless it has `''` escapes.
    Str(std::borrow::Cow<'a, str>),
    Int(i64),
    Ident(&'a str),
    Eof,
}

#[derive(Clone, Debug)]
struct Token<'a> {
    tok: Tok<'a>,
    start: usize,
    end: usize,
}

fn describe(t: &Tok<'_>) -> String {
    match t {
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::LBracket => "'['".into(),
        Tok::RBracket => "']'".into(),
        Tok::Comma => "','".into(),
        Tok::Dot => "'.'".into(),
        Tok::Str(_) => "string literal".into(),
        Tok::Int(_) => "integer literal".into(),
        Tok::Ident(name) => format!("'{name}'"),
        Tok::Eof => "end of input".into(),
    }
}

/// Character-level tokenizer over the source, starting after the outer `[`.
#[derive(Clone)]
struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
    }

    fn next(&mut self) -> Result<Token<'a>, SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        let Some(c) = self.rest().chars().next() else {
            return Ok(self.token(Tok::Eof, start, start));
        };
        let single = match c {
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            '.' => Some(Tok::Dot),
            _ => None,
        };
        if let Some(tok) = single {
            return Ok(self.token(tok, start, start + 1));
        }
        if c == '\'' {
            return self.string(start);
        }
        let starts_number =
            c.is_ascii_digit() || (c == '-' && self.rest().chars().nth(1).is_some_and(|d| d.is_ascii_digit()));
        if starts_number {
            return self.integer(start);
        }
        if is_ident_start(c) {
            let len = self
                .rest()
                .find(|ch: char| !is_ident_char(ch))
                .unwrap_or(self.rest().len());
            let name = self.rest().get(..len).unwrap_or("");
            return Ok(self.token(Tok::Ident(name), start, start + len));
        }
        Err(error(start, format!("unexpected character '{c}'")))
    }

    fn token(&mut self, tok: Tok<'a>, start: usize, end: usize) -> Token<'a> {
        self.pos = end;
        Token { tok, start, end }
    }

    fn string(&mut self, start: usize) -> Result<Token<'a>, SyntaxError> {
        let src: &'a str = self.src;
        let mut text = std::borrow::Cow::Borrowed("");
        let mut i = start + 1;
        loop {
            let rest = src.get(i..).unwrap_or("");
            let Some(q) = rest.find('\'') else {
                return Err(error(start, "unterminated string literal".into()));
            };
            let part = rest.get(..q).unwrap_or("");
            i += q + 1;
            let escaped = src.get(i..).is_some_and(|r| r.starts_with('\''));
            match &mut text {
                // The first part, without an escape after it: the literal itself.
                std::borrow::Cow::Borrowed(t) if t.is_empty() && !escaped => text = std::borrow::Cow::Borrowed(part),
                t => t.to_mut().push_str(part),
            }
            if escaped {
                text.to_mut().push('\'');
                i += 1;
            } else {
                return Ok(self.token(Tok::Str(text), start, i));
            }
        }
    }

    fn integer(&mut self, start: usize) -> Result<Token<'a>, SyntaxError> {
        let rest = self.rest();
        let sign = usize::from(rest.starts_with('-'));
        let digits = rest
            .get(sign..)
            .unwrap_or("")
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - sign);
        let end = start + sign + digits;
        let text = self.src.get(start..end).unwrap_or("");
        match text.parse::<i64>() {
            Ok(n) => Ok(self.token(Tok::Int(n), start, end)),
            Err(_) => Err(error(start, "integer literal out of range".into())),
        }
    }
}

/// Recursive-descent parser with one token of lookahead.
struct Parser<'a> {
    lex: Lexer<'a>,
    peeked: Option<Token<'a>>,
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> Result<Token<'a>, SyntaxError> {
        if let Some(t) = &self.peeked {
            return Ok(t.clone());
        }
        let t = self.lex.next()?;
        self.peeked = Some(t.clone());
        Ok(t)
    }

    fn next(&mut self) -> Result<Token<'a>, SyntaxError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex.next(),
        }
    }

    /// Parses an expression at nesting `level`; returns it with its tree height.
    fn expr(&mut self, level: usize) -> Result<(Expr, usize), SyntaxError> {
        if level >= MAX_DEPTH {
            return Err(nesting_error(self.peek()?.start));
        }
        crate::stack::guard(|| self.expr_unguarded(level))
    }

    fn expr_unguarded(&mut self, level: usize) -> Result<(Expr, usize), SyntaxError> {
        let (mut expr, mut height) = self.primary(level)?;
        loop {
            let t = self.peek()?;
            let start = expr.span.start;
            match t.tok {
                Tok::Dot => {
                    self.next()?;
                    let name_tok = self.next()?;
                    let Tok::Ident(name) = name_tok.tok else {
                        let msg = "expected property name after '.'".into();
                        return Err(error(name_tok.start, msg));
                    };
                    expr = Expr {
                        span: start..to_u32(name_tok.end),
                        kind: ExprKind::Member {
                            target: Box::new(expr),
                            name: name.to_string(),
                        },
                    };
                }
                Tok::LBracket => {
                    self.next()?;
                    let (index, h) = self.expr(level + 1)?;
                    height = height.max(h);
                    let close = self.next()?;
                    if close.tok != Tok::RBracket {
                        return Err(error(close.start, "expected ']'".into()));
                    }
                    expr = Expr {
                        span: start..to_u32(close.end),
                        kind: ExprKind::Index {
                            target: Box::new(expr),
                            index: Box::new(index),
                        },
                    };
                }
                _ => return Ok((expr, height)),
            }
            height += 1;
            if level + height > MAX_DEPTH {
                return Err(nesting_error(t.start));
            }
        }
    }

    fn primary(&mut self, level: usize) -> Result<(Expr, usize), SyntaxError> {
        let t = self.next()?;
        match t.tok {
            Tok::Str(s) => Ok((leaf(ExprKind::Str(s.into_owned()), t.start, t.end), 1)),
            Tok::Int(n) => Ok((leaf(ExprKind::Int(n), t.start, t.end), 1)),
            Tok::Ident(name) => self.call(name, t.start, t.end, level),
            other => {
                let msg = format!("expected an expression, found {}", describe(&other));
                Err(error(t.start, msg))
            }
        }
    }

    /// Parses a call after its first identifier (`name` at `start..end`).
    fn call(
        &mut self,
        first: &'a str,
        start: usize,
        mut end: usize,
        level: usize,
    ) -> Result<(Expr, usize), SyntaxError> {
        let mut name = first.to_string();
        if self.namespaced_call_follows() {
            self.next()?; // '.'
            let second = self.next()?;
            if let Tok::Ident(member) = second.tok {
                name = format!("{first}.{member}");
            }
            end = second.end;
        }
        let name_span = span(start, end);
        if self.peek()?.tok != Tok::LParen {
            let bare = ["true", "false", "null"];
            if bare.iter().any(|b| b.eq_ignore_ascii_case(&name)) {
                let kind = ExprKind::Call {
                    name,
                    name_span: name_span.clone(),
                    args: Vec::new(),
                };
                return Ok((Expr { kind, span: name_span }, 1));
            }
            let msg = format!("expected '(' after function name '{name}'");
            return Err(error(self.peek()?.start, msg));
        }
        self.next()?; // '('
        let mut args = Vec::new();
        let mut height = 0;
        let close_end = if self.peek()?.tok == Tok::RParen {
            self.next()?.end
        } else {
            loop {
                let (arg, h) = self.expr(level + 1)?;
                height = height.max(h);
                args.push(arg);
                let t = self.next()?;
                match t.tok {
                    Tok::Comma => {}
                    Tok::RParen => break t.end,
                    _ => {
                        let msg = format!("expected ')' after arguments of '{name}'");
                        return Err(error(t.start, msg));
                    }
                }
            }
        };
        let kind = ExprKind::Call { name, name_span, args };
        Ok((
            Expr {
                kind,
                span: span(start, close_end),
            },
            height + 1,
        ))
    }

    /// True when the next tokens are `. ident (`, i.e. a `ns.fn(...)` call.
    fn namespaced_call_follows(&self) -> bool {
        if self.peeked.is_some() {
            return false;
        }
        let mut look = self.lex.clone();
        let mut tok = || look.next().map(|t| t.tok).unwrap_or(Tok::Eof);
        tok() == Tok::Dot && matches!(tok(), Tok::Ident(_)) && tok() == Tok::LParen
    }
}

fn leaf(kind: ExprKind, start: usize, end: usize) -> Expr {
    Expr {
        kind,
        span: span(start, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Expr {
        match parse(s) {
            Ok(e) => e,
            Err(err) => panic!("{s}: {err}"),
        }
    }

    fn err(s: &str) -> SyntaxError {
        match parse(s) {
            Ok(e) => panic!("{s}: parsed as {e:?}"),
            Err(err) => err,
        }
    }

    fn call_parts(e: &Expr) -> (&str, &Range<u32>, &[Expr]) {
        match &e.kind {
            ExprKind::Call { name, name_span, args } => (name.as_str(), name_span, args.as_slice()),
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn string_literal_with_escaped_quote() {
        let e = ok("['it''s']");
        assert_eq!(e.kind, ExprKind::Str("it's".into()));
        assert_eq!(e.span, 1..8);
        for (source, text) in [
            ("['''s']", "'s"),
            ("['s''']", "s'"),
            ("['']", ""),
            ("['''''']", "''"),
            ("['a''b''c']", "a'b'c"),
        ] {
            assert_eq!(ok(source).kind, ExprKind::Str(text.into()), "{source}");
        }
    }

    #[test]
    fn integers_including_negative() {
        assert_eq!(ok("[42]").kind, ExprKind::Int(42));
        let e = ok("[ -1 ]");
        assert_eq!(e.kind, ExprKind::Int(-1));
        assert_eq!(e.span, 2..4);
        assert_eq!(ok("[-9223372036854775808]").kind, ExprKind::Int(i64::MIN));
    }

    #[test]
    fn call_with_args_and_spans() {
        let s = "[concat('a', parameters('p'))]";
        let e = ok(s);
        let (name, name_span, args) = call_parts(&e);
        assert_eq!(name, "concat");
        assert_eq!(name_span, &(1..7));
        assert_eq!(e.span, 1..29);
        assert_eq!(args.len(), 2);
        assert_eq!(args[0].span, 8..11);
        let (inner, inner_span, inner_args) = call_parts(&args[1]);
        assert_eq!(inner, "parameters");
        assert_eq!(inner_span, &(13..23));
        assert_eq!(inner_args[0].span, 24..27);
        assert_eq!(&s[24..27], "'p'");
    }

    #[test]
    fn empty_argument_list() {
        let e = ok("[utcNow()]");
        let (name, _, args) = call_parts(&e);
        assert_eq!(name, "utcNow");
        assert!(args.is_empty());
        assert_eq!(e.span, 1..9);
    }

    #[test]
    fn name_is_stored_as_written() {
        let e = ok("[ToLower('A')]");
        assert_eq!(call_parts(&e).0, "ToLower");
    }

    #[test]
    fn namespaced_user_function() {
        let e = ok("[contoso.uniqueName('x')]");
        let (name, name_span, args) = call_parts(&e);
        assert_eq!(name, "contoso.uniqueName");
        assert_eq!(name_span, &(1..19));
        assert_eq!(args.len(), 1);
    }

    #[test]
    fn member_and_index_chains() {
        let s = "[parameters('o').items[0].name]";
        let e = ok(s);
        assert_eq!(e.span, 1..30);
        let ExprKind::Member { target, name } = &e.kind else {
            panic!("{e:?}")
        };
        assert_eq!(name, "name");
        let ExprKind::Index { target, index } = &target.kind else {
            panic!("{target:?}")
        };
        assert_eq!(index.kind, ExprKind::Int(0));
        assert_eq!(index.span, 23..24);
        let ExprKind::Member { target, name } = &target.kind else {
            panic!("{target:?}")
        };
        assert_eq!(name, "items");
        assert_eq!(target.span, 1..16);
    }

    #[test]
    fn member_on_call_result() {
        let e = ok("[subscription().subscriptionId]");
        let ExprKind::Member { target, name } = &e.kind else {
            panic!("{e:?}")
        };
        assert_eq!(name, "subscriptionId");
        assert_eq!(call_parts(target).0, "subscription");
    }

    #[test]
    fn string_index() {
        let e = ok("[variables('v')['key-with-dash']]");
        let ExprKind::Index { index, .. } = &e.kind else {
            panic!("{e:?}")
        };
        assert_eq!(index.kind, ExprKind::Str("key-with-dash".into()));
    }

    #[test]
    fn whitespace_between_tokens() {
        let e = ok("[ concat ( 'a' , 'b' ) . length ]");
        assert!(matches!(e.kind, ExprKind::Member { .. }));
    }

    #[test]
    fn bare_true_false_null_are_calls() {
        for (s, n) in [("[true]", "true"), ("[False]", "False"), ("[null]", "null")] {
            let e = ok(s);
            let (name, _, args) = call_parts(&e);
            assert_eq!(name, n);
            assert!(args.is_empty());
        }
        let e = ok("[if(true, 1, 2)]");
        assert_eq!(call_parts(&e).2.len(), 3);
    }

    #[test]
    fn bracket_inside_string() {
        assert_eq!(ok("['a]']").kind, ExprKind::Str("a]".into()));
    }

    #[test]
    fn error_unterminated_string() {
        let e = err("[concat('abc)]");
        assert_eq!(e.message, "unterminated string literal");
        assert_eq!(e.offset, 8);
    }

    #[test]
    fn error_missing_close_paren() {
        let e = err("[concat('a' 'b')]");
        assert_eq!(e.message, "expected ')' after arguments of 'concat'");
        assert_eq!(e.offset, 12);
        let e = err("[concat('a'");
        assert_eq!(e.message, "expected ')' after arguments of 'concat'");
        assert_eq!(e.offset, 11);
    }

    #[test]
    fn error_unexpected_character() {
        let e = err("[concat(#)]");
        assert_eq!(e.message, "unexpected character '#'");
        assert_eq!(e.offset, 8);
        let e = err("[ -x ]");
        assert_eq!(e.message, "unexpected character '-'");
        assert_eq!(e.offset, 2);
    }

    #[test]
    fn error_expected_close_bracket() {
        let e = err("[parameters('a')[0]");
        assert_eq!(e.message, "expected ']'");
        assert_eq!(e.offset, 19);
        let e = err("[parameters('a')[0 1]]");
        assert_eq!(e.message, "expected ']'");
        assert_eq!(e.offset, 19);
        let e = err("[concat('a')");
        assert_eq!(e.message, "expected ']'");
        assert_eq!(e.offset, 12);
    }

    #[test]
    fn error_trailing_garbage() {
        let e = err("[concat('a') 'b']");
        assert_eq!(e.message, "unexpected string literal after the expression");
        assert_eq!(e.offset, 13);
        let e = err("[concat('a')]x");
        assert_eq!(e.message, "unexpected characters after the closing ']'");
        assert_eq!(e.offset, 13);
    }

    #[test]
    fn error_empty_expression() {
        let e = err("[]");
        assert_eq!(e.message, "empty expression");
        assert_eq!(e.offset, 1);
        assert_eq!(err("[   ]").offset, 4);
    }

    #[test]
    fn error_misc() {
        assert_eq!(err("concat()").message, "expression must start with '['");
        let e = err("[concat('a',)]");
        assert_eq!(e.message, "expected an expression, found ')'");
        assert_eq!(e.offset, 12);
        let e = err("[parameters('a').]");
        assert_eq!(e.message, "expected property name after '.'");
        assert_eq!(e.offset, 17);
        let e = err("[foo]");
        assert_eq!(e.message, "expected '(' after function name 'foo'");
        assert_eq!(e.offset, 4);
        let e = err("[99999999999999999999]");
        assert_eq!(e.message, "integer literal out of range");
        assert_eq!(e.offset, 1);
    }

    #[test]
    fn nesting_at_limit_is_accepted() {
        // Height 200: 199 nested calls around one literal.
        let n = MAX_DEPTH - 1;
        let s = format!("[{}'x'{}]", "f(".repeat(n), ")".repeat(n));
        assert!(parse(&s).is_ok());
        let s = format!("[{}'x'{}]", "f(".repeat(n + 1), ")".repeat(n + 1));
        assert!(parse(&s).is_err());
        let s = format!("[f(){}]", "[0]".repeat(n));
        assert!(parse(&s).is_ok());
        let s = format!("[f(){}]", "[0]".repeat(n + 1));
        assert!(parse(&s).is_err());
    }

    #[test]
    fn deep_call_nesting_is_bounded() {
        let n = 10_000;
        let s = format!("[{}'x'{}]", "concat(".repeat(n), ")".repeat(n));
        let e = err(&s);
        assert_eq!(e.message, "expression nested more than 200 levels");
        assert_eq!(e.offset as usize, 1 + 7 * MAX_DEPTH);
    }

    #[test]
    fn deep_index_chain_is_bounded() {
        let s = format!("[parameters('a'){}]", "[0]".repeat(10_000));
        let e = err(&s);
        assert_eq!(e.message, "expression nested more than 200 levels");
    }

    #[test]
    fn deep_mixed_nesting_is_bounded() {
        let s = format!("[{}", "f(0)[".repeat(10_000));
        assert_eq!(err(&s).message, "expression nested more than 200 levels");
        let s = format!("[{}", "[".repeat(10_000));
        assert!(parse(&s).is_err());
    }
}
