//! The properties the fuzz targets (`fuzz/`) check, as library functions so
//! that `tests/fuzz_regressions.rs` replays the seed corpus and every input a
//! fuzzer ever found on the same code. Each function panics when a property
//! does not hold; none may panic for any other reason.

use std::path::PathBuf;

use crate::arm::toy::{ToyNode, ToyNodes};
use crate::arm::{self, Context, Value};
use crate::catalog::Principals;
use crate::json::{self, Kind};
use crate::lint::{CheckInput, check_text};
use crate::report::{Format, Report};
use crate::rules::RuleSet;
use crate::workspace::Workspace;

/// The JSONC parser on arbitrary bytes, then every accessor on what it parsed.
pub fn json_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = json::parse(text) else { return };
    assert!(!doc.is_empty(), "a parsed document has a root");
    // With duplicate names a pointer is ambiguous (it resolves to the last one).
    let unique_names = json::duplicate_keys(&doc, text).is_empty();
    for id in 0..doc.len() as u32 {
        let node = doc.node(id);
        assert!(node.start <= node.end && node.end as usize <= text.len());
        let _ = doc.raw(text, id);
        let _ = doc.key(text, id);
        if node.kind == Kind::String {
            let _ = doc.str(text, id).expect("string nodes decode");
        }
        if node.kind == Kind::Number {
            assert!(doc.raw(text, id).parse::<f64>().is_ok(), "numbers are numbers");
        }
        let parent = node.parent;
        if parent != json::NONE && id < 64 {
            let position = doc.children(parent).position(|c| c == id);
            assert_eq!(position, Some(doc.index_in_parent(id)), "index of node {id}");
        }
        if id < 64 && node.kind == Kind::Object {
            // Lookups (indexed for large objects) agree with a scan: the last
            // member whose name matches ignoring ASCII case.
            for child in doc.children(id) {
                let key = doc.key(text, child).expect("members have names");
                let scan = doc.children(id).filter(|&c| doc.key_eq(text, c, &key)).last();
                assert_eq!(doc.get(text, id, &key), scan, "member {key:?} of node {id}");
            }
        }
        if id < 64 && node.kind == Kind::Array {
            for (i, child) in doc.children(id).enumerate() {
                assert_eq!(doc.element(id, i), Some(child), "element {i} of node {id}");
            }
        }
        let pointer = doc.pointer(text, id);
        if id < 64 && unique_names {
            // The pointer of a node leads back to it.
            assert_eq!(doc.at_pointer(text, &pointer), Some(id), "pointer {pointer:?}");
        }
    }
    // Valid JSON without comments is valid for serde_json too.
    // serde_json rejects lone surrogates (`\ud800`) in any of several ways,
    // which lhlint reads as U+FFFD as .NET does: texts with `\uD…` escapes are
    // left out of the comparison.
    let surrogates = text.to_ascii_lowercase().contains("\\ud");
    if !text.contains("//") && !text.contains("/*") && !surrogates {
        let sj = serde_json::from_str::<serde_json::Value>(text);
        if let Err(e) = sj {
            // serde_json bounds recursion at 128 levels and numbers to f64.
            let e = e.to_string();
            assert!(
                e.contains("recursion limit") || e.contains("out of range"),
                "serde_json rejects: {e}"
            );
        }
    }
}

/// The ARM expression parser and evaluator on an arbitrary expression, against
/// a small context with parameters, variables, objects, arrays and copy loops.
pub fn arm_expr(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = arm::classify(text);
    let source = if text.starts_with('[') {
        text.to_string()
    } else {
        format!("[{text}]")
    };
    let Ok(expr) = arm::parse(&source) else { return };
    let mut ctx = Ctx::new();
    let mut errors = Vec::new();
    let _ = arm::eval(&expr, &mut ctx, &mut errors);
    for e in &errors {
        assert!(e.span.start <= e.span.end, "error span {e:?}");
        let _ = e.to_string();
    }
}

/// The whole check of one file (or of a template and its parameters file):
/// no crash, and every label inside its file on char boundaries.
pub fn check_file(data: &[u8]) {
    let Some((ws, report, _)) = lint(data) else { return };
    for d in &report.diagnostics {
        assert!(!d.message.is_empty(), "empty message: {d:?}");
        assert!(
            d.rule != "LH000" || !d.message.starts_with("internal error"),
            "crashed: {d:?}"
        );
        for label in std::iter::once(&d.primary).chain(&d.related) {
            let text = &ws.sources.get(label.span.file).text;
            assert!(label.span.start <= label.span.end, "{d:?}");
            assert!(label.span.end as usize <= text.len(), "span past the end: {d:?}");
            assert!(text.is_char_boundary(label.span.start as usize), "{d:?}");
            assert!(text.is_char_boundary(label.span.end as usize), "{d:?}");
        }
    }
}

/// Every output format over the diagnostics of a fuzzed file: no raw control
/// characters or escape sequences reach a terminal, and JSON stays JSON.
pub fn report_formats(data: &[u8]) {
    let Some((ws, report, count)) = lint(data) else { return };
    for format in [Format::Human, Format::Concise] {
        let mut out = Vec::new();
        crate::report::write(&report, &ws.sources, format, false, &mut out).expect("rendered");
        let text = String::from_utf8(out).expect("output is UTF-8");
        if let Some(c) = text.chars().find(|&c| c != '\n' && crate::report::is_unsafe_char(c)) {
            panic!("{format:?} output holds U+{:04X}:\n{text}", c as u32);
        }
    }
    let mut out = Vec::new();
    crate::report::write(&report, &ws.sources, Format::Human, true, &mut out).expect("rendered");
    let text = String::from_utf8(out).expect("output is UTF-8");
    for (i, _) in text.match_indices('\x1b') {
        // Only the colour sequences lhlint writes itself: ESC [ digits/; m.
        let rest = &text[i + 1..];
        let sgr = rest.strip_prefix('[').and_then(|r| r.find('m').map(|m| &r[..m]));
        assert!(
            sgr.is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit() || b == b';')),
            "{text}"
        );
    }
    let mut out = Vec::new();
    crate::report::write(&report, &ws.sources, Format::Json, false, &mut out).expect("rendered");
    let text = String::from_utf8(out).expect("output is UTF-8");
    assert!(
        !text.chars().any(|c| c != '\n' && crate::report::is_unsafe_char(c)),
        "{text}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("the JSON report parses");
    assert_eq!(parsed["summary"]["files"], count);
    assert_eq!(
        parsed["diagnostics"].as_array().map(Vec::len),
        Some(report.diagnostics.len())
    );
}

/// Lints the fuzz input: the first byte picks the file name, so templates,
/// parameters files and offers are all reached; content with a `\n--8<--\n`
/// line is a template and its parameters file.
fn lint(data: &[u8]) -> Option<(Workspace, Report, usize)> {
    let (&pick, content) = data.split_first()?;
    let principals = Principals::default();
    let resolver = crate::config::Resolver::new(crate::config::Mode::Isolated);
    let overrides = crate::config::Overrides::default();
    let input = CheckInput::new(Vec::new(), &principals, &resolver, &overrides);
    let files = split(pick, content);
    let count = files.len();
    let (ws, report) = RULES
        .with(|rules| check_text(&input, &mut rules.borrow_mut(), files))
        .unwrap_or_else(|_| panic!("an isolated check has no config to fail on"));
    assert_eq!(report.files, count);
    Some((ws, report, count))
}

thread_local! {
    /// The built-in rules, loaded once per thread (a check adjusts their active set).
    static RULES: std::cell::RefCell<RuleSet> =
        std::cell::RefCell::new(crate::rules::load(&[], &[], &[]).unwrap_or_else(|_| panic!("built-in rules load")));
}

const NAMES: [&str; 4] = [
    "t/main.json",
    "t/main.parameters.json",
    "t/x.offer.json",
    "t/other.jsonc",
];

/// One file named by `pick`, or a template and its parameters file.
fn split(pick: u8, content: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    const CUT: &[u8] = b"\n--8<--\n";
    match content.windows(CUT.len()).position(|w| w == CUT) {
        Some(i) => vec![
            (PathBuf::from(NAMES[0]), content[..i].to_vec()),
            (PathBuf::from(NAMES[1]), content[i + CUT.len()..].to_vec()),
        ],
        None => vec![(PathBuf::from(NAMES[pick as usize % NAMES.len()]), content.to_vec())],
    }
}

type V = Value<usize>;

struct Ctx {
    nodes: ToyNodes,
}

impl Ctx {
    fn new() -> Self {
        // Copies stop at depth 20: node 4 refers to itself.
        let mut nodes = ToyNodes::with_max_depth(20);
        let s = nodes.push(ToyNode::Leaf(Value::Str("contoso".into())));
        let n = nodes.push(ToyNode::Leaf(Value::Int(3)));
        let arr = nodes.push(ToyNode::Arr(vec![s, n]));
        let obj = nodes.push(ToyNode::Obj(vec![("name".into(), s), ("items".into(), arr)]));
        // A node that refers to itself: the evaluator must not loop.
        let own = nodes.nodes.len();
        nodes.push(ToyNode::Arr(vec![obj, own]));
        Ctx { nodes }
    }
}

impl Context for Ctx {
    type Handle = usize;

    fn parameter(&mut self, name: &str) -> Option<V> {
        match name.to_ascii_lowercase().as_str() {
            "s" => Some(Value::Node(0)),
            "n" => Some(Value::Node(1)),
            "a" => Some(Value::Node(2)),
            "o" => Some(Value::Node(3)),
            "loop" => Some(Value::Node(4)),
            "u" => Some(Value::Unknown),
            _ => None,
        }
    }

    fn variable(&mut self, name: &str) -> Option<V> {
        match name.to_ascii_lowercase().as_str() {
            "big" => Some(Value::Str("x".repeat(1000))),
            "list" => Some(Value::Array((0..50).map(Value::Int).collect())),
            "o" => Some(Value::Node(3)),
            _ => None,
        }
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        match loop_name {
            None => Some(2),
            Some(n) if n.eq_ignore_ascii_case("outer") => Some(7),
            Some(_) => None,
        }
    }

    fn member(&mut self, h: usize, name: &str) -> Option<V> {
        self.nodes.member(h, name)
    }

    fn element(&mut self, h: usize, index: usize) -> Option<V> {
        self.nodes.element(h, index)
    }

    fn materialize(&mut self, h: usize) -> V {
        self.nodes.owned(h)
    }
}
