//! Every output format over the diagnostics of a fuzzed file: no raw control
//! characters or escape sequences reach a terminal, and JSON stays JSON.
//! The first byte picks the file name, so templates, parameters files and
//! offers are all reached; content with a `\n--8<--\n` line is a template
//! and its parameters file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use lhlint::catalog::{Principals, Roles};
use lhlint::lint::{CheckInput, check_text};
use lhlint::report::Format;
use lhlint::rules::RuleSet;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| lhlint::rules::load(&[], &[], &[]).unwrap_or_else(|_| panic!("built-in rules load")))
}

const NAMES: [&str; 4] = ["t/main.json", "t/main.parameters.json", "t/x.offer.json", "t/other.jsonc"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else { return };
    let principals = Principals::default();
    let input = CheckInput {
        paths: Vec::new(),
        rules: rules(),
        roles: Roles::builtin(),
        principals: &principals,
        parameters: Vec::new(),
    };
    let files = split(pick, content);
    let count = files.len();
    let (ws, report) = check_text(&input, files);
    assert_eq!(report.files, count);
    for format in [Format::Human, Format::Concise] {
        let mut out = Vec::new();
        lhlint::report::write(&report, &ws.sources, format, false, &mut out).expect("rendered");
        let text = String::from_utf8(out).expect("output is UTF-8");
        if let Some(c) = text.chars().find(|&c| c != '\n' && lhlint::report::is_unsafe_char(c)) {
            panic!("{format:?} output holds U+{:04X}:\n{text}", c as u32);
        }
    }
    let mut out = Vec::new();
    lhlint::report::write(&report, &ws.sources, Format::Human, true, &mut out).expect("rendered");
    let text = String::from_utf8(out).expect("output is UTF-8");
    for (i, _) in text.match_indices('\x1b') {
        // Only the colour sequences lhlint writes itself: ESC [ digits/; m.
        let rest = &text[i + 1..];
        let sgr = rest.strip_prefix('[').and_then(|r| r.find('m').map(|m| &r[..m]));
        assert!(sgr.is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit() || b == b';')), "{text}");
    }
    let mut out = Vec::new();
    lhlint::report::write(&report, &ws.sources, Format::Json, false, &mut out).expect("rendered");
    let text = String::from_utf8(out).expect("output is UTF-8");
    assert!(!text.chars().any(|c| c != '\n' && lhlint::report::is_unsafe_char(c)), "{text}");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("the JSON report parses");
    assert_eq!(parsed["summary"]["files"], count);
    assert_eq!(parsed["diagnostics"].as_array().map(Vec::len), Some(report.diagnostics.len()));
});

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
