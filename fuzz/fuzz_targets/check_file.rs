//! The whole check of one file: read (as bytes), parse, classify, evaluate, lint.
//! The first byte picks the file name, so templates, parameters files and
//! offers are all reached; content with a `\n--8<--\n` line is a template
//! and its parameters file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use lhlint::catalog::{Principals, Roles};
use lhlint::lint::{CheckInput, check_text};
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
    for d in &report.diagnostics {
        assert!(!d.message.is_empty(), "empty message: {d:?}");
        assert!(d.rule != "LH000" || !d.message.starts_with("internal error"), "crashed: {d:?}");
        for label in std::iter::once(&d.primary).chain(&d.related) {
            let text = &ws.sources.get(label.span.file).text;
            assert!(label.span.start <= label.span.end, "{d:?}");
            assert!(label.span.end as usize <= text.len(), "span past the end: {d:?}");
            assert!(text.is_char_boundary(label.span.start as usize), "{d:?}");
            assert!(text.is_char_boundary(label.span.end as usize), "{d:?}");
        }
    }
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
