//! Tiny JSON reader/writer for `json()` and `string()`.
//!
//! The reader accepts strict JSON with integer numbers only; anything else
//! (floats, Newtonsoft's lenient syntax, nesting deeper than the limit) gives
//! `None`, which callers turn into `Unknown`. The writer mimics Newtonsoft's
//! compact output (`{"a":1}`), escaping only what Newtonsoft escapes by default.

use std::fmt::Write as _;

use super::eval::Value;

const MAX_DEPTH: usize = 64;

/// Parses `text` as JSON; None when unsupported or invalid.
pub(super) fn parse<H>(text: &str) -> Option<Value<H>> {
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        pos: 0,
    };
    let v = r.value(0)?;
    r.ws();
    (r.pos == r.b.len()).then_some(v)
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        let ok = self.b.get(self.pos..).is_some_and(|r| r.starts_with(lit));
        if ok {
            self.pos += lit.len();
        }
        ok
    }

    fn value<H>(&mut self, depth: usize) -> Option<Value<H>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'n' => self.eat(b"null").then_some(Value::Null),
            b't' => self.eat(b"true").then_some(Value::Bool(true)),
            b'f' => self.eat(b"false").then_some(Value::Bool(false)),
            b'"' => self.string().map(Value::Str),
            b'[' => self.array(depth),
            b'{' => self.object(depth),
            _ => self.integer(),
        }
    }

    fn integer<H>(&mut self) -> Option<Value<H>> {
        let start = self.pos;
        self.eat(b"-");
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None; // floats are not representable
        }
        let text = std::str::from_utf8(self.b.get(start..self.pos)?).ok()?;
        let digits = text.trim_start_matches('-');
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        text.parse().ok().map(Value::Int)
    }

    fn array<H>(&mut self, depth: usize) -> Option<Value<H>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b"]") {
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(b"]") {
                return Some(Value::Array(items));
            }
            if !self.eat(b",") {
                return None;
            }
        }
    }

    fn object<H>(&mut self, depth: usize) -> Option<Value<H>> {
        self.pos += 1;
        let mut props = Vec::new();
        self.ws();
        if self.eat(b"}") {
            return Some(Value::Object(props));
        }
        loop {
            self.ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.ws();
            if !self.eat(b":") {
                return None;
            }
            props.push((key, self.value(depth + 1)?));
            self.ws();
            if self.eat(b"}") {
                return Some(Value::Object(props));
            }
            if !self.eat(b",") {
                return None;
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        let mut units: Vec<u16> = Vec::new(); // pending \uXXXX code units
        loop {
            let c = self.peek()?;
            if c == b'\\' && self.b.get(self.pos + 1) == Some(&b'u') {
                self.pos += 2;
                units.push(self.hex4()?);
                continue;
            }
            if !units.is_empty() {
                out.push_str(&String::from_utf16(&units).ok()?);
                units.clear();
            }
            match c {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *self.b.get(self.pos + 1)?;
                    self.pos += 2;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        _ => return None,
                    });
                }
                c if c < 0x20 => return None,
                _ => {
                    let ch = self.s.get(self.pos..)?.chars().next()?;
                    out.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u16> {
        let digits = self.b.get(self.pos..self.pos + 4)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.pos += 4;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    }
}

/// Appends the compact JSON text of `v`; false if it contains Unknown or nodes.
pub(super) fn write<H>(v: &Value<H>, out: &mut String, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Str(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write(item, out, depth + 1) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(props) => {
            out.push('{');
            for (i, (k, item)) in props.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if !write(item, out, depth + 1) {
                    return false;
                }
            }
            out.push('}');
        }
        Value::Node(_) | Value::Unknown => return false,
    }
    true
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    type V = Value<()>;

    #[test]
    fn parses_scalars_and_containers() {
        assert_eq!(parse::<()>("null"), Some(V::Null));
        assert_eq!(parse::<()>(" true "), Some(V::Bool(true)));
        assert_eq!(parse::<()>("-12"), Some(V::Int(-12)));
        assert_eq!(
            parse::<()>(r#"{"a": [1, "x\u00e9\n"], "b": {}}"#),
            Some(V::Object(vec![
                ("a".into(), V::Array(vec![V::Int(1), V::Str("xé\n".into())])),
                ("b".into(), V::Object(vec![])),
            ]))
        );
        assert_eq!(parse::<()>(r#""\ud83d\ude00""#), Some(V::Str("😀".into())));
    }

    #[test]
    fn rejects_unsupported_or_invalid() {
        for bad in ["1.5", "01", "{'a':1}", "[1,]", "tru", "\"abc", "1 2", ""] {
            assert_eq!(parse::<()>(bad), None, "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert_eq!(parse::<()>(&deep), None);
    }

    #[test]
    fn writes_compact_json() {
        let v = V::Object(vec![
            ("a".into(), V::Array(vec![V::Int(1), V::Null, V::Bool(false)])),
            ("b\"".into(), V::Str("x\ny\u{1}".into())),
        ]);
        let mut s = String::new();
        assert!(write(&v, &mut s, 0));
        assert_eq!(s, r#"{"a":[1,null,false],"b\"":"x\ny\u0001"}"#);
        assert!(!write(&V::Array(vec![V::Unknown]), &mut String::new(), 0));
    }
}
