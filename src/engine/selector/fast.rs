//! A direct parser for the common selectors, without jsonpath-rust's PEG parser.
//!
//! Parsing a path with jsonpath-rust (pest) costs tens of microseconds, and
//! the built-in rules hold a few hundred: a fifth of lhlint's start-up. This
//! parser reads the plain forms the rules use and produces the same steps as
//! lowering jsonpath-rust's result. Anything unusual (escapes or quotes in
//! strings, whitespace outside filters, non-ASCII names, unions, slices,
//! functions, order comparisons, absolute paths in filters, exponents) makes
//! it decline with `None`; the caller then parses with jsonpath-rust, which
//! also words the errors.

use super::{Lit, PathSeg, Pred, Step};

/// Deepest nesting of parentheses accepted before declining.
const MAX_DEPTH: usize = 32;

/// The steps of `path`, or `None` when this parser declines it.
pub fn parse(path: &str) -> Option<Vec<Step>> {
    let mut p = Parser {
        s: path.as_bytes(),
        i: 0,
    };
    p.eat(b'$').then_some(())?;
    let mut steps = Vec::new();
    while p.i < p.s.len() {
        // Blanks may separate segments (not end the path).
        p.spaces();
        if p.eat_str("..") {
            let inner = match p.peek()? {
                b'[' => p.bracket()?,
                b'*' => {
                    p.i += 1;
                    Step::Wildcard
                }
                _ => Step::Name(p.shorthand()?),
            };
            steps.push(Step::Descendant(Box::new(inner)));
        } else if p.eat(b'.') {
            if p.eat(b'*') {
                steps.push(Step::Wildcard);
            } else {
                steps.push(Step::Name(p.shorthand()?));
            }
        } else if p.peek()? == b'[' {
            steps.push(p.bracket()?);
        } else {
            return None;
        }
    }
    Some(steps)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

enum Operand {
    Path(Vec<PathSeg>),
    Lit(Lit),
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.i += usize::from(hit);
        hit
    }

    fn eat_str(&mut self, text: &str) -> bool {
        let hit = self.s[self.i..].starts_with(text.as_bytes());
        if hit {
            self.i += text.len();
        }
        hit
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// A member name shorthand: ASCII letters, `_` and digits, not starting with a digit.
    fn shorthand(&mut self) -> Option<String> {
        let start = self.i;
        match self.peek()? {
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => self.i += 1,
            _ => return None,
        }
        while let Some(b'A'..=b'Z' | b'a'..=b'z' | b'_' | b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        // A non-ASCII name character follows: jsonpath-rust reads those.
        if self.peek().is_some_and(|b| b >= 0x80) {
            return None;
        }
        std::str::from_utf8(&self.s[start..self.i]).ok().map(str::to_string)
    }

    /// `[…]` with one selector: a quoted name, `*`, an index or a filter.
    fn bracket(&mut self) -> Option<Step> {
        self.eat(b'[').then_some(())?;
        let step = match self.peek()? {
            b'\'' | b'"' => Step::Name(self.string()?),
            b'*' => {
                self.i += 1;
                Step::Wildcard
            }
            b'?' => {
                self.i += 1;
                self.spaces();
                let pred = self.or(0)?;
                self.spaces();
                Step::Filter(pred)
            }
            _ => Step::Index(self.index()?),
        };
        self.eat(b']').then_some(step)
    }

    /// A quoted string with no escape, quote or control character inside.
    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek()? {
                b if b == quote => break,
                b'\\' | b'\'' | b'"' | 0x00..=0x1f | 0x7f => return None,
                _ => self.i += 1,
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?.to_string();
        self.i += 1;
        Some(text)
    }

    /// `0` or a non-zero integer, optionally negative, of at most 15 digits.
    fn index(&mut self) -> Option<i64> {
        let negative = self.eat(b'-');
        let digits = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[digits..self.i]).ok()?;
        let valid = match text.as_bytes() {
            [b'0'] => !negative,
            [b'1'..=b'9', ..] => text.len() <= 15,
            _ => false,
        };
        let n: i64 = text.parse().ok().filter(|_| valid)?;
        Some(if negative { -n } else { n })
    }

    /// `a || b || …`
    fn or(&mut self, depth: usize) -> Option<Pred> {
        self.joined("||", depth, Self::and, Pred::Or)
    }

    /// `a && b && …`
    fn and(&mut self, depth: usize) -> Option<Pred> {
        self.joined("&&", depth, Self::atom, Pred::And)
    }

    /// Items read by `item`, separated by `op`; one item is itself, more are `join`ed.
    fn joined(
        &mut self,
        op: &str,
        depth: usize,
        item: fn(&mut Self, usize) -> Option<Pred>,
        join: fn(Vec<Pred>) -> Pred,
    ) -> Option<Pred> {
        let mut items = vec![item(self, depth)?];
        loop {
            let before = self.i;
            self.spaces();
            if !self.eat_str(op) {
                self.i = before;
                break;
            }
            self.spaces();
            items.push(item(self, depth)?);
        }
        Some(if items.len() == 1 { items.pop()? } else { join(items) })
    }

    /// `(…)`, `!(…)`, `@path`, `!@path`, or `@path` compared with a literal.
    fn atom(&mut self, depth: usize) -> Option<Pred> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let not = self.eat(b'!');
        if not {
            self.spaces();
        }
        if self.eat(b'(') {
            self.spaces();
            let inner = self.or(depth + 1)?;
            self.spaces();
            self.eat(b')').then_some(())?;
            return Some(negate(inner, not));
        }
        let left = self.operand()?;
        let before = self.i;
        self.spaces();
        let equal = if self.eat_str("==") {
            true
        } else if self.eat_str("!=") {
            false
        } else {
            // An existence test; order comparisons decline.
            if matches!(self.peek(), Some(b'<' | b'>' | b'=')) {
                return None;
            }
            self.i = before;
            return match left {
                Operand::Path(path) => Some(negate(Pred::Exists(path), not)),
                Operand::Lit(_) => None,
            };
        };
        if not {
            return None;
        }
        self.spaces();
        match (left, self.operand()?) {
            (Operand::Path(path), Operand::Lit(value)) | (Operand::Lit(value), Operand::Path(path)) => {
                Some(Pred::Compare { path, equal, value })
            }
            _ => None,
        }
    }

    fn operand(&mut self) -> Option<Operand> {
        match self.peek()? {
            b'@' => {
                self.i += 1;
                Some(Operand::Path(self.relative()?))
            }
            b'\'' | b'"' => Some(Operand::Lit(Lit::Str(self.string()?))),
            b't' if self.eat_str("true") => Some(Operand::Lit(Lit::Bool(true))),
            b'f' if self.eat_str("false") => Some(Operand::Lit(Lit::Bool(false))),
            b'n' if self.eat_str("null") => Some(Operand::Lit(Lit::Null)),
            b'-' | b'0'..=b'9' => Some(Operand::Lit(Lit::Num(self.number()?))),
            _ => None,
        }
    }

    /// The names and indexes after `@` (`.a`, `['a']`, `[0]`).
    fn relative(&mut self) -> Option<Vec<PathSeg>> {
        let mut path = Vec::new();
        loop {
            if self.s[self.i..].starts_with(b"..") {
                return None;
            }
            if self.eat(b'.') {
                path.push(PathSeg::Name(self.shorthand()?));
            } else if self.eat(b'[') {
                match self.peek()? {
                    b'\'' | b'"' => path.push(PathSeg::Name(self.string()?)),
                    _ => path.push(PathSeg::Index(self.index()?)),
                }
                self.eat(b']').then_some(())?;
            } else {
                return Some(path);
            }
        }
    }

    /// A number without exponent; integers of at most 15 digits.
    fn number(&mut self) -> Option<f64> {
        let start = self.i;
        self.eat(b'-');
        let int = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        let digits = &self.s[int..self.i];
        if digits.is_empty() || digits.len() > 15 || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        if self.eat(b'.') {
            let frac = self.i;
            while let Some(b'0'..=b'9') = self.peek() {
                self.i += 1;
            }
            (self.i > frac).then_some(())?;
        }
        if matches!(self.peek(), Some(b'e' | b'E' | b'.')) {
            return None;
        }
        std::str::from_utf8(&self.s[start..self.i]).ok()?.parse().ok()
    }
}

fn negate(pred: Pred, not: bool) -> Pred {
    if not { Pred::Not(Box::new(pred)) } else { pred }
}
