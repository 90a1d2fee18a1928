//! A strict JSON parser that also accepts `//` and `/* */` comments (as ARM does).
//!
//! It is iterative (an explicit stack, never recursion), bounds nesting depth,
//! and records the byte span of every value and member name.

use super::doc::{Document, Kind, NONE, Node, NodeId};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 512;

/// Why and where parsing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset where parsing stopped.
    pub offset: u32,
    pub message: String,
}

struct Frame {
    node: NodeId,
    last_child: NodeId,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    nodes: Vec<Node>,
    stack: Vec<Frame>,
    comments: Vec<(u32, u32)>,
}

/// Bytes of text per node assumed when sizing a document's node array.
const BYTES_PER_NODE_GUESS: usize = 48;

/// Parses `text` (without a BOM) into a [`Document`].
pub fn parse(text: &str) -> Result<Document, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        // Templates average 57 bytes a value (large ones 85): a first guess
        // that seldom grows more than once, trimmed once the tree is built.
        nodes: Vec::with_capacity(text.len() / BYTES_PER_NODE_GUESS + 8),
        stack: Vec::new(),
        comments: Vec::new(),
    };
    p.run()?;
    // Every document of a run is kept until its report is written.
    p.nodes.shrink_to_fit();
    let mut doc = Document::new(p.nodes);
    doc.comments = p.comments;
    Ok(doc)
}

impl Parser<'_> {
    fn run(&mut self) -> Result<(), ParseError> {
        self.skip_trivia()?;
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(0, "the file is empty: expected a JSON value"));
        }
        let mut key = (NONE, NONE, false);
        loop {
            // A value is expected at `pos`.
            self.skip_trivia()?;
            let closed_immediately = self.value(key)?;
            if !closed_immediately {
                // An opened container: its first member or element comes next.
                let frame_node = self.stack.last().map(|f| f.node).unwrap_or(NONE);
                self.skip_trivia()?;
                let kind = self.nodes[frame_node as usize].kind;
                if kind == Kind::Object {
                    if self.peek() == Some(b'}') {
                        self.close(b'}');
                    } else {
                        key = self.member_name()?;
                        continue;
                    }
                } else if self.peek() == Some(b']') {
                    self.close(b']');
                } else {
                    key = (NONE, NONE, false);
                    continue;
                }
            }
            // After a complete value: a separator, a closing bracket, or the end.
            match self.after_value()? {
                Some(next_key) => key = next_key,
                None => return Ok(()),
            }
        }
    }

    /// Parses one value start. Returns `true` when the value is complete,
    /// `false` when a container was opened and pushed on the stack.
    fn value(&mut self, key: (u32, u32, bool)) -> Result<bool, ParseError> {
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.error_here("unexpected end of file: expected a JSON value"));
        };
        let (kind, escaped) = match b {
            b'{' | b'[' => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(
                        self.error_here(&format!("nesting is deeper than {MAX_DEPTH} levels; lhlint stops here"))
                    );
                }
                self.pos += 1;
                let kind = if b == b'{' { Kind::Object } else { Kind::Array };
                let id = self.push_node(kind, start, key, false);
                self.stack.push(Frame {
                    node: id,
                    last_child: NONE,
                });
                return Ok(false);
            }
            b'"' => (Kind::String, self.string()?),
            b't' => (Kind::Bool(true), self.literal("true")?),
            b'f' => (Kind::Bool(false), self.literal("false")?),
            b'n' => (Kind::Null, self.literal("null")?),
            b'-' | b'0'..=b'9' => (Kind::Number, self.number()?),
            _ => return Err(self.error_here(&format!("expected a JSON value, found {}", self.found()))),
        };
        self.push_node(kind, start, key, escaped);
        Ok(true)
    }

    /// After a complete value: returns the next member's key info when another
    /// value follows, or `None` when the document is complete.
    fn after_value(&mut self) -> Result<Option<(u32, u32, bool)>, ParseError> {
        loop {
            self.skip_trivia()?;
            let Some(frame) = self.stack.last() else {
                if self.pos < self.bytes.len() {
                    return Err(
                        self.error_here(&format!("unexpected {} after the end of the JSON value", self.found()))
                    );
                }
                return Ok(None);
            };
            let is_object = self.nodes[frame.node as usize].kind == Kind::Object;
            let close = if is_object { b'}' } else { b']' };
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_trivia()?;
                    if self.peek() == Some(close) {
                        return Err(self.error_at(comma, "trailing comma is not allowed in JSON"));
                    }
                    if is_object {
                        return self.member_name().map(Some);
                    }
                    return Ok(Some((NONE, NONE, false)));
                }
                Some(b) if b == close => self.close(close),
                _ => {
                    let what = if is_object {
                        "expected ',' or '}' after an object member"
                    } else {
                        "expected ',' or ']' after an array element"
                    };
                    return Err(self.error_here(&format!("{what}, found {}", self.found())));
                }
            }
        }
    }

    /// Parses `"name" :` and returns the name's span.
    fn member_name(&mut self) -> Result<(u32, u32, bool), ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.error_here(&format!(
                "expected a property name in double quotes, found {}",
                self.found()
            )));
        }
        let start = self.pos;
        let escaped = self.string()?;
        let end = self.pos;
        self.skip_trivia()?;
        if self.peek() != Some(b':') {
            return Err(self.error_here(&format!("expected ':' after the property name, found {}", self.found())));
        }
        self.pos += 1;
        Ok((start as u32, end as u32, escaped))
    }

    fn close(&mut self, bracket: u8) {
        debug_assert_eq!(self.peek(), Some(bracket));
        self.pos += 1;
        if let Some(frame) = self.stack.pop() {
            self.nodes[frame.node as usize].end = self.pos as u32;
        }
    }

    fn push_node(&mut self, kind: Kind, start: usize, key: (u32, u32, bool), escaped: bool) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let mut index = 0;
        let parent = match self.stack.last_mut() {
            Some(frame) => {
                index = self.nodes[frame.node as usize].len;
                if frame.last_child == NONE {
                    self.nodes[frame.node as usize].first_child = id;
                } else {
                    self.nodes[frame.last_child as usize].next_sibling = id;
                }
                frame.last_child = id;
                self.nodes[frame.node as usize].len += 1;
                frame.node
            }
            None => NONE,
        };
        self.nodes.push(Node {
            kind,
            start: start as u32,
            end: self.pos as u32,
            key_start: key.0,
            key_end: key.1,
            parent,
            first_child: NONE,
            next_sibling: NONE,
            len: 0,
            index,
            escaped,
            key_escaped: key.2,
        });
        id
    }

    /// Scans a string starting at the opening quote; returns whether it has escapes.
    fn string(&mut self) -> Result<bool, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            // Plain text up to the next quote or backslash, in one search.
            let rest = &self.bytes[self.pos..];
            let plain = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
            if let Some(at) = rest[..plain].iter().position(|&b| b < 0x20) {
                self.pos += at;
                return Err(
                    self.error_here("control character in string: write it as an escape such as \\n or \\u0000")
                );
            }
            self.pos += plain;
            let Some(&b) = self.bytes.get(self.pos) else {
                break;
            };
            if b == b'"' {
                self.pos += 1;
                return Ok(escaped);
            }
            // A backslash.
            escaped = true;
            let esc = self.pos;
            match self.bytes.get(self.pos + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 2,
                Some(b'u') => {
                    let digits = self.bytes.get(self.pos + 2..self.pos + 6);
                    if !digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)) {
                        return Err(self.error_at(esc, "invalid \\u escape: expected four hex digits"));
                    }
                    self.pos += 6;
                }
                _ => return Err(self.error_at(esc, "invalid escape sequence in string")),
            }
        }
        Err(self.error_at(open, "unterminated string: the closing '\"' is missing"))
    }

    fn literal(&mut self, word: &str) -> Result<bool, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            if self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(self.error_here(&format!("expected a JSON value, found {}", self.found())));
            }
            Ok(false)
        } else {
            Err(self.error_here(&format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn number(&mut self) -> Result<bool, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.error_at(start, "numbers cannot have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_at(start, "invalid number: expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error_here("invalid number: expected a digit after '.'"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error_here("invalid number: expected a digit in the exponent"));
            }
            self.digits();
        }
        Ok(false)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), ParseError> {
        loop {
            self.pos += whitespace_len(&self.bytes[self.pos..]);
            match self.peek() {
                Some(b'/') => match self.bytes.get(self.pos + 1) {
                    Some(b'/') => {
                        let open = self.pos;
                        let rest = &self.bytes[self.pos..];
                        self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                        let end = if self.bytes[..self.pos].ends_with(b"\r") {
                            self.pos - 1
                        } else {
                            self.pos
                        };
                        self.comments.push((open as u32, end as u32));
                    }
                    Some(b'*') => {
                        let open = self.pos;
                        let rest = &self.text[self.pos + 2..];
                        match rest.find("*/") {
                            Some(i) => {
                                self.pos += 2 + i + 2;
                                self.comments.push((open as u32, self.pos as u32));
                            }
                            None => {
                                return Err(self.error_at(open, "unterminated block comment: '*/' is missing"));
                            }
                        }
                    }
                    _ => return Err(self.error_here("unexpected '/': comments start with // or /*")),
                },
                _ => return Ok(()),
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Describes what stands at the current position, for messages.
    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "end of file".to_string(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("'{}'", c.escape_debug()),
        }
    }

    fn error_here(&self, message: &str) -> ParseError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, offset: usize, message: &str) -> ParseError {
        ParseError {
            offset: offset as u32,
            message: message.to_string(),
        }
    }
}

/// The length of the JSON whitespace at the start of `bytes`. Indentation
/// (runs of spaces, most of a pretty-printed template) goes eight bytes at a time.
fn whitespace_len(bytes: &[u8]) -> usize {
    const SPACES: [u8; 8] = [b' '; 8];
    let mut n = 0;
    loop {
        while bytes.get(n..n + 8) == Some(&SPACES[..]) {
            n += 8;
        }
        match bytes.get(n) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => n += 1,
            _ => return n,
        }
    }
}

/// Pairs `(first, duplicate)` of members that repeat a name within one object.
pub fn duplicate_keys(doc: &Document, text: &str) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    let mut seen: foldhash::HashMap<std::borrow::Cow<'_, str>, NodeId> = foldhash::HashMap::default();
    for (id, node) in doc.nodes.iter().enumerate() {
        if node.kind != Kind::Object || node.len < 2 {
            continue;
        }
        seen.clear();
        for child in doc.children(id as NodeId) {
            if let Some(key) = doc.key(text, child) {
                match seen.get(&key) {
                    Some(&first) => out.push((first, child)),
                    None => {
                        seen.insert(key, child);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::whitespace_len;

    #[test]
    fn whitespace_runs_of_any_length_and_mix() {
        for (text, want) in [
            ("", 0),
            ("x", 0),
            (" x", 1),
            ("        x", 8),
            ("\n                 \"a\"", 18),
            ("\r\n\t \t  \n            ", 20),
            ("       /", 7),
            ("\u{a0}", 0),
        ] {
            assert_eq!(whitespace_len(text.as_bytes()), want, "{text:?}");
        }
    }
}
