//! The JSONC parser: strict JSON plus comments, spans, errors, depth.

use lhlint::json::{Document, Kind, MAX_DEPTH, parse};

fn err(text: &str) -> (u32, String) {
    let e = parse(text).expect_err("should not parse");
    (e.offset, e.message)
}

#[test]
fn comments_are_allowed_everywhere() {
    let doc = parse("// a\n{ /* b */ \"a\" /* c */ : /* d */ [1, /* e */ 2] // f\n}\n/* g */").unwrap();
    let text = "// a\n{ /* b */ \"a\" /* c */ : /* d */ [1, /* e */ 2] // f\n}\n/* g */";
    let a = doc.get(text, Document::ROOT, "a").unwrap();
    assert_eq!(doc.node(a).kind, Kind::Array);
    assert_eq!(doc.node(a).len, 2);
}

#[test]
fn json5_extensions_are_rejected() {
    assert_eq!(err("{\"a\": 1,}"), (7, "trailing comma is not allowed in JSON".into()));
    assert_eq!(err("[1,]").1, "trailing comma is not allowed in JSON");
    assert!(
        err("{'a': 1}")
            .1
            .starts_with("expected a property name in double quotes")
    );
    assert!(err("{a: 1}").1.starts_with("expected a property name in double quotes"));
    assert!(err("[0x10]").1.contains("expected ','"));
    assert!(err("[.5]").1.starts_with("expected a JSON value"));
    assert!(err("[+1]").1.starts_with("expected a JSON value"));
    assert!(err("[NaN]").1.starts_with("expected a JSON value"));
    assert!(err("[01]").1.contains("leading zeros"));
    assert!(err("[\"\\x41\"]").1.contains("invalid escape"));
    assert!(err("[\"a\tb\"]").1.contains("control character"));
    assert!(err("[truex]").1.starts_with("expected a JSON value"));
}

#[test]
fn errors_say_where_parsing_stopped() {
    assert_eq!(err(""), (0, "the file is empty: expected a JSON value".into()));
    assert_eq!(err("  // only a comment\n").0, 0);
    assert_eq!(
        err("{\"a\": [1, 2"),
        (
            11,
            "expected ',' or ']' after an array element, found end of file".into()
        )
    );
    assert_eq!(
        err("{\"a\": \"open"),
        (6, "unterminated string: the closing '\"' is missing".into())
    );
    assert_eq!(err("{} {}").1, "unexpected '{' after the end of the JSON value");
    assert_eq!(err("/* open").1, "unterminated block comment: '*/' is missing");
}

#[test]
fn spans_and_pointers() {
    let text = "{\n  \"a/b\": {\"x~y\": [true, null, \"é\"]}\n}";
    let doc = parse(text).unwrap();
    let ab = doc.get(text, Document::ROOT, "a/b").unwrap();
    let xy = doc.get(text, ab, "X~Y").unwrap(); // ARM names ignore ASCII case
    let e = doc.element(xy, 2).unwrap();
    assert_eq!(doc.raw(text, e), "\"é\"");
    assert_eq!(doc.pointer(text, e), "/a~1b/x~0y/2");
    assert_eq!(doc.at_pointer(text, "/a~1b/x~0y/2"), Some(e));
    let n = doc.node(ab);
    assert_eq!(&text[n.key_start as usize..n.key_end as usize], "\"a/b\"");
}

#[test]
fn escapes_are_decoded() {
    let text = r#"{"k\u00e9y": "a\"b\\c\/d\n\ud83d\ude00"}"#;
    let doc = parse(text).unwrap();
    let v = doc.get(text, Document::ROOT, "kéy").unwrap();
    assert_eq!(doc.str(text, v).unwrap(), "a\"b\\c/d\n😀");
}

#[test]
fn duplicate_keys_are_found() {
    let text = r#"{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}"#;
    let doc = parse(text).unwrap();
    let dups = lhlint::json::duplicate_keys(&doc, text);
    assert_eq!(dups.len(), 2);
    // With duplicates, the last value wins, as in ARM.
    let a = doc.get(text, Document::ROOT, "a").unwrap();
    assert_eq!(doc.raw(text, a), "3");
}

#[test]
fn deep_nesting_is_bounded_without_stack_overflow() {
    let deep = "[".repeat(20_000) + &"]".repeat(20_000);
    let (offset, message) = err(&deep);
    assert_eq!(offset as usize, MAX_DEPTH);
    assert!(message.contains("nesting is deeper than 512 levels"));
    let objects = "{\"a\":".repeat(20_000) + "1" + &"}".repeat(20_000);
    assert!(err(&objects).1.contains("nesting is deeper"));
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&ok).is_ok());
}

#[test]
fn comments_are_recorded_with_their_spans() {
    let text = "// a\r\n{ /* b */ \"a\": [1, // c\n 2] }\n/* d */";
    let doc = parse(text).unwrap();
    let spans: Vec<&str> = doc
        .comments()
        .iter()
        .map(|&(s, e)| &text[s as usize..e as usize])
        .collect();
    assert_eq!(spans, ["// a", "/* b */", "// c", "/* d */"]);
    assert!(parse("{\"a\": 1}").unwrap().comments().is_empty());
}

#[test]
fn node_at_finds_the_deepest_node() {
    let text = "{\"a\": {\"b\": [10, 20]}, \"c\": true}";
    let doc = parse(text).unwrap();
    let at = |offset: usize| doc.node_at(offset as u32).map(|n| doc.pointer(text, n));
    assert_eq!(at(text.find("20").unwrap()).as_deref(), Some("/a/b/1"));
    assert_eq!(at(text.find("\"b\"").unwrap()).as_deref(), Some("/a/b"));
    assert_eq!(at(text.find("true").unwrap()).as_deref(), Some("/c"));
    assert_eq!(at(0).as_deref(), Some(""));
    assert_eq!(at(text.len()), None);
}
