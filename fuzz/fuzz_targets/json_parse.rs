//! The JSONC parser on arbitrary text, then every accessor on what it parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lhlint::json::{self, Kind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = json::parse(text) else { return };
    assert!(!doc.is_empty(), "a parsed document has a root");
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
        let pointer = doc.pointer(text, id);
        if id < 64 {
            // The pointer of a node leads back to it (or to a later duplicate key).
            assert!(doc.at_pointer(text, &pointer).is_some(), "pointer {pointer:?}");
        }
    }
    let _ = json::duplicate_keys(&doc, text);
    // Valid JSON without comments is valid for serde_json too.
    if !text.contains("//") && !text.contains("/*") {
        let sj = serde_json::from_str::<serde_json::Value>(text);
        if let Err(e) = sj {
            // serde_json bounds recursion at 128 levels and rejects lone surrogates
            // (`\ud800`), which lhlint reads as U+FFFD as .NET does; the rest must agree.
            let e = e.to_string();
            assert!(
                e.contains("recursion limit") || e.contains("surrogate") || e.contains("out of range"),
                "serde_json rejects: {e}"
            );
        }
    }
});
