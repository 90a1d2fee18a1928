//! The parsed document: a flat arena of nodes, each with its byte span.
//!
//! Nodes are stored in document order (parents before children). Navigation
//! goes through `first_child` / `next_sibling` links, so no node allocates.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Index of a node inside its [`Document`].
pub type NodeId = u32;

/// Marks an absent link (no child, no sibling, no key).
pub const NONE: u32 = u32::MAX;

/// The JSON type of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number,
    String,
    Array,
    Object,
}

/// One JSON value with its place in the source text.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub kind: Kind,
    /// Byte range of the value (strings include their quotes).
    pub start: u32,
    pub end: u32,
    /// Byte range of the member name (with quotes) when the parent is an object.
    pub key_start: u32,
    pub key_end: u32,
    pub parent: NodeId,
    pub first_child: NodeId,
    pub next_sibling: NodeId,
    /// Number of children (members or elements).
    pub len: u32,
    /// Position among its parent's children (0 for the root).
    pub index: u32,
    /// The string value contains backslash escapes.
    pub escaped: bool,
    /// The member name contains backslash escapes.
    pub key_escaped: bool,
}

/// A parsed JSON(C) document over its source text.
#[derive(Debug, Default)]
pub struct Document {
    pub(crate) nodes: Vec<Node>,
    /// Byte ranges of the comments (`//…` without the line end, `/*…*/`), in
    /// source order; empty (and unallocated) when the file has none.
    pub(crate) comments: Vec<(u32, u32)>,
    /// Members of large objects by ASCII-lowercased name, built on first use.
    members: OnceLock<HashMap<NodeId, foldhash::HashMap<Box<str>, NodeId>>>,
    /// Elements of large arrays, built on first use.
    elements: OnceLock<HashMap<NodeId, Vec<NodeId>>>,
}

/// Containers with more children than this are looked up through tables
/// ([`Document::get`], [`Document::element`]): a template that declares 40,000
/// parameters and uses each of them must not scan them all each time.
const INDEXED: u32 = 32;

impl Document {
    /// The root node (documents that parsed always have one).
    pub const ROOT: NodeId = 0;

    pub(crate) fn new(nodes: Vec<Node>) -> Self {
        Document {
            nodes,
            comments: Vec::new(),
            members: OnceLock::new(),
            elements: OnceLock::new(),
        }
    }

    /// The large containers of `kind` with each child.
    fn large(&self, kind: Kind) -> impl Iterator<Item = (NodeId, Children<'_>)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.kind == kind && n.len > INDEXED)
            .map(|(id, _)| (id as NodeId, self.children(id as NodeId)))
    }

    fn members(&self, text: &str) -> &HashMap<NodeId, foldhash::HashMap<Box<str>, NodeId>> {
        self.members.get_or_init(|| {
            self.large(Kind::Object)
                .map(|(id, children)| {
                    // With duplicate names the last one wins, as in ARM.
                    let names = children
                        .filter_map(|c| Some((self.key(text, c)?.to_ascii_lowercase().into_boxed_str(), c)))
                        .collect();
                    (id, names)
                })
                .collect()
        })
    }

    fn elements(&self) -> &HashMap<NodeId, Vec<NodeId>> {
        self.elements
            .get_or_init(|| self.large(Kind::Array).map(|(id, c)| (id, c.collect())).collect())
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Byte ranges of the comments, in source order.
    pub fn comments(&self) -> &[(u32, u32)] {
        &self.comments
    }

    /// The deepest node whose value or member name contains byte `offset`.
    pub fn node_at(&self, offset: u32) -> Option<NodeId> {
        if self.is_empty() {
            return None;
        }
        let inside = |n: &Node| {
            (n.start <= offset && offset < n.end)
                || (n.key_start != NONE && n.key_start <= offset && offset < n.key_end)
        };
        if !inside(self.node(Self::ROOT)) {
            return None;
        }
        let mut cur = Self::ROOT;
        'down: loop {
            for child in self.children(cur) {
                if inside(self.node(child)) {
                    cur = child;
                    continue 'down;
                }
            }
            return Some(cur);
        }
    }

    /// Iterates over the children of `id` in source order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            doc: self,
            next: self.node(id).first_child,
        }
    }

    /// The member of object `id` named `name` (ASCII case-insensitive, as ARM
    /// compares property names). With duplicate names the last one wins, as in ARM.
    pub fn get(&self, text: &str, id: NodeId, name: &str) -> Option<NodeId> {
        let node = self.node(id);
        if node.kind != Kind::Object {
            return None;
        }
        if node.len > INDEXED {
            let members = self.members(text).get(&id)?;
            return members.get(name.to_ascii_lowercase().as_str()).copied();
        }
        let mut found = None;
        let mut next = node.first_child;
        while next != NONE {
            let child = &self.nodes[next as usize];
            if self.node_key_eq(text, next, child, name) {
                found = Some(next);
            }
            next = child.next_sibling;
        }
        found
    }

    /// Element `index` of array `id`.
    pub fn element(&self, id: NodeId, index: usize) -> Option<NodeId> {
        let node = self.node(id);
        if node.kind != Kind::Array {
            return None;
        }
        if node.len > INDEXED {
            return self.elements().get(&id)?.get(index).copied();
        }
        self.children(id).nth(index)
    }

    /// Whether the member name of `id` equals `name`, ignoring ASCII case.
    pub fn key_eq(&self, text: &str, id: NodeId, name: &str) -> bool {
        self.node_key_eq(text, id, self.node(id), name)
    }

    /// [`Document::key_eq`] for node `n` (number `id`), already at hand.
    #[inline]
    fn node_key_eq(&self, text: &str, id: NodeId, n: &Node, name: &str) -> bool {
        if n.key_start == NONE {
            return false;
        }
        if n.key_escaped {
            return self.key(text, id).is_some_and(|key| key.eq_ignore_ascii_case(name));
        }
        // Unescaped: the raw name (two bytes longer, with its quotes), compared
        // as bytes, lengths first: most members are told apart by length alone.
        let (start, end) = (n.key_start as usize, n.key_end as usize);
        end - start == name.len() + 2 && text.as_bytes()[start + 1..end - 1].eq_ignore_ascii_case(name.as_bytes())
    }

    /// The decoded member name of `id`, if its parent is an object.
    pub fn key<'t>(&self, text: &'t str, id: NodeId) -> Option<Cow<'t, str>> {
        let n = self.node(id);
        if n.key_start == NONE {
            return None;
        }
        let raw = &text[n.key_start as usize + 1..n.key_end as usize - 1];
        Some(if n.key_escaped {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        })
    }

    /// The decoded value of string node `id`.
    pub fn str<'t>(&self, text: &'t str, id: NodeId) -> Option<Cow<'t, str>> {
        let n = self.node(id);
        if n.kind != Kind::String {
            return None;
        }
        let raw = &text[n.start as usize + 1..n.end as usize - 1];
        Some(if n.escaped {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        })
    }

    /// The source text of a node's value, as written.
    pub fn raw<'t>(&self, text: &'t str, id: NodeId) -> &'t str {
        let n = self.node(id);
        &text[n.start as usize..n.end as usize]
    }

    /// The index of `id` among its parent's children (constant time: a
    /// pointer into a 100,000-element array must not walk its siblings).
    pub fn index_in_parent(&self, id: NodeId) -> usize {
        self.node(id).index as usize
    }

    /// `id`, its parent, and so on up to the root.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors((id != NONE).then_some(id), |&n| {
            let parent = self.node(n).parent;
            (parent != NONE).then_some(parent)
        })
    }

    /// The RFC 6901 JSON pointer of `id`.
    pub fn pointer(&self, text: &str, id: NodeId) -> String {
        // Every finding has one: written into one string, with no string per step.
        let path: smallvec::SmallVec<[NodeId; 16]> = self.ancestors(id).filter(|&n| n != Self::ROOT).collect();
        let mut out = String::with_capacity(path.len() * 12);
        for &node in path.iter().rev() {
            out.push('/');
            match self.key(text, node) {
                Some(key) if !key.contains(['~', '/']) => out.push_str(&key),
                Some(key) => {
                    for c in key.chars() {
                        match c {
                            '~' => out.push_str("~0"),
                            '/' => out.push_str("~1"),
                            c => out.push(c),
                        }
                    }
                }
                None => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "{}", self.index_in_parent(node));
                }
            }
        }
        out
    }

    /// Finds the node at RFC 6901 `pointer`; `None` when a step is missing.
    pub fn at_pointer(&self, text: &str, pointer: &str) -> Option<NodeId> {
        if self.is_empty() {
            return None;
        }
        let mut cur = Self::ROOT;
        if pointer.is_empty() {
            return Some(cur);
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let part = raw.replace("~1", "/").replace("~0", "~");
            cur = match self.node(cur).kind {
                Kind::Object => self
                    .children(cur)
                    .filter(|&c| self.key(text, c).as_deref() == Some(part.as_str()))
                    .last()?,
                Kind::Array => self.element(cur, part.parse().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// Iterator over a node's children.
pub struct Children<'d> {
    doc: &'d Document,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.doc.node(id).next_sibling;
        Some(id)
    }
}

/// Decodes the JSON escapes of a string body the parser has already validated.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hi = hex4(&mut chars);
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let rest = chars.as_str();
                    if let Some(after) = rest.strip_prefix("\\u") {
                        let mut look = after.chars();
                        let lo = hex4(&mut look);
                        if (0xDC00..0xE000).contains(&lo) {
                            chars = look;
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            0xFFFD
                        }
                    } else {
                        0xFFFD
                    }
                } else {
                    hi
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn hex4(chars: &mut std::str::Chars<'_>) -> u32 {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next().and_then(|c| c.to_digit(16)).unwrap_or(0);
    }
    v
}

#[cfg(test)]
mod tests {
    use crate::json::parse;

    #[test]
    fn pointers_escape_names_and_find_their_node_again() {
        let text = r#"{"a/b": {"c~d": [1, {"\u00e9": true, "": [null, 2]}]}, "plain": 0}"#;
        let doc = parse(text).expect("valid");
        let mut pointers = Vec::new();
        for id in 0..doc.nodes.len() as super::NodeId {
            let pointer = doc.pointer(text, id);
            assert_eq!(doc.at_pointer(text, &pointer), Some(id), "{pointer}");
            pointers.push(pointer);
        }
        for expected in ["", "/a~1b/c~0d/1/é", "/a~1b/c~0d/1//1", "/plain"] {
            assert!(pointers.iter().any(|p| p == expected), "{expected} in {pointers:?}");
        }
    }

    #[test]
    fn large_containers_are_looked_up_like_small_ones() {
        let members: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!(
            "{{{}, \"K7\": \"last\", \"a\\u0062\": [{}]}}",
            members.join(","),
            (0..100).map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        );
        let doc = parse(&text).unwrap();
        let root = super::Document::ROOT;
        let k7 = doc.get(&text, root, "k7").unwrap();
        assert_eq!(doc.str(&text, k7).as_deref(), Some("last"), "the last duplicate wins");
        assert_eq!(doc.raw(&text, doc.get(&text, root, "K99").unwrap()), "99");
        assert_eq!(doc.get(&text, root, "k100"), None);
        let list = doc.get(&text, root, "AB").unwrap();
        assert_eq!(doc.raw(&text, doc.element(list, 42).unwrap()), "42");
        assert_eq!(doc.element(list, 100), None);
        assert_eq!(doc.index_in_parent(doc.element(list, 42).unwrap()), 42);
    }

    #[test]
    fn small_objects_match_names_ignoring_ascii_case_only() {
        let text = r#"{"Type": 1, "na\u006De": 2, "\u00e9t\u00e9": 3, "été": 4, "type": 5, "ty": 6}"#;
        let doc = parse(text).unwrap();
        let root = super::Document::ROOT;
        let raw = |name: &str| doc.get(text, root, name).map(|id| doc.raw(text, id));
        assert_eq!(raw("TYPE"), Some("5"), "the last duplicate wins");
        assert_eq!(raw("NAME"), Some("2"), "escaped names are decoded");
        assert_eq!(raw("été"), Some("4"));
        assert_eq!(raw("ÉTÉ"), None, "non-ASCII letters keep their case");
        assert_eq!(raw("t"), None);
        assert_eq!(raw("typ"), None);
    }
}
