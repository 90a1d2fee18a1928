//! Output safety: control characters and escape sequences from inputs never
//! reach a terminal or a CI log raw, whatever the format; JSON stays JSON.
//!
//! `fixtures/hostile/` holds values chosen to drive a terminal (ESC sequences,
//! OSC 8 links, `\r`, `\n`, bidi overrides, NUL, C1 CSI, line separators),
//! both as JSON escapes that reach messages and raw in the text that snippets
//! show. Every format of `--format` is checked, so formats added later are
//! covered by the same fixture: add a parse-back check to [`parse_back`] when
//! a format has a grammar of its own.

mod common;

use std::path::Path;

use clap::ValueEnum;
use common::lhlint;
use lhlint::report::{Format, is_unsafe_char};

const HOSTILE: &str = "fixtures/hostile";

/// The name of a format on the command line.
fn name(format: Format) -> String {
    format.to_possible_value().expect("a value").get_name().to_string()
}

/// Runs `lhlint check --format FORMAT --color COLOR PATHS…` and returns stdout.
fn render(format: Format, color: &str, paths: &[&str]) -> String {
    let format = name(format);
    // The rules whose messages carry the hostile values.
    let mut args = vec![
        "check",
        "--format",
        &format,
        "--color",
        color,
        "--select",
        "LH000,LH015,LH030,LH031,LH042",
    ];
    args.extend_from_slice(paths);
    let run = lhlint(&args);
    assert_eq!(run.status, lhlint::ExitStatus::Failure, "{}", run.stderr);
    run.stdout
}

/// No character of `text` could move the cursor, rewrite a line, hide or
/// reorder text, or start a line of its own (except the format's own `\n`).
fn assert_terminal_safe(format: Format, text: &str) {
    for (i, c) in text.char_indices() {
        if c != '\n' && is_unsafe_char(c) {
            let start = lhlint::source::floor_char_boundary(text, i.saturating_sub(60));
            panic!(
                "{}: raw U+{:04X} at byte {i}, after {:?}",
                name(format),
                c as u32,
                &text[start..i]
            );
        }
    }
}

/// With colours, the only escape sequences are lhlint's own SGR colours.
fn assert_only_sgr(text: &str) {
    for (i, _) in text.match_indices('\u{1b}') {
        let rest = &text[i + 1..];
        let sgr = rest.strip_prefix('[').and_then(|r| r.find('m').map(|m| &r[..m]));
        assert!(
            sgr.is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit() || b == b';')),
            "foreign escape sequence: {:?}",
            &rest[..rest.len().min(40)]
        );
    }
}

/// Formats with a grammar parse back; returns the report's messages and file
/// names so that callers can check what survived.
fn parse_back(format: Format, text: &str) -> Option<Vec<(String, String)>> {
    match format {
        Format::Json => {
            let report: serde_json::Value = serde_json::from_str(text).expect("--format json parses");
            Some(
                report["diagnostics"]
                    .as_array()
                    .expect("diagnostics")
                    .iter()
                    .map(|d| {
                        let s = |k: &str| d[k].as_str().expect("string").to_string();
                        (s("file"), s("message"))
                    })
                    .collect(),
            )
        }
        _ => None,
    }
}

#[test]
fn hostile_values_never_reach_the_terminal_raw() {
    for format in Format::value_variants().iter().copied() {
        let text = render(format, "never", &[HOSTILE]);
        assert_terminal_safe(format, &text);
        if let Some(diagnostics) = parse_back(format, &text) {
            // Escaped, not lost: the JSON strings hold the values as written.
            assert!(
                diagnostics
                    .iter()
                    .any(|(_, m)| m.contains("\r\n::error file=x::\u{1b}[31mforged")),
                "{diagnostics:#?}"
            );
            assert_eq!(diagnostics.len(), 6, "{diagnostics:#?}");
        }
        let colored = render(format, "always", &[HOSTILE]);
        assert_only_sgr(&colored);
        let plain: String = strip_sgr(&colored);
        assert_terminal_safe(format, &plain);
    }
}

#[test]
fn human_and_concise_show_escapes_visibly() {
    let concise = render(Format::Concise, "never", &[HOSTILE]);
    assert!(
        concise.contains("principalId `\\u{d}\\u{a}::error file=x::\\u{1b}[31mforged"),
        "{concise}"
    );
    assert!(
        concise.contains("`jane\\u{1b}[8m\\u{202e}\\u{0}\\u{9b}@contoso.com`"),
        "{concise}"
    );
    // A forged workflow command cannot start a line of its own.
    assert!(!concise.lines().any(|l| l.starts_with("::")), "{concise}");
    let human = render(Format::Human, "never", &[HOSTILE]);
    // Raw characters in the source text are shown as `?`, byte for byte.
    assert!(
        human.contains("? \"principalIdDisplayName\": \"raw?????2J@contoso.com\""),
        "{human}"
    );
    assert!(human.contains("\"a\": ?[31m?]0;pwned? 1"), "{human}");
}

/// Removes lhlint's own colour sequences.
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        rest = after.find('m').map_or("", |m| &after[m + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(unix)]
#[test]
fn hostile_file_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = std::fs::read(Path::new(HOSTILE).join("template.json")).expect("fixture");
    let names = [
        "esc\u{1b}[31mred\u{1b}[0m.json",
        "new\nline: error: forged [LH042].json",
        "carriage\rreturn.json",
        "bidi\u{202e}nosj.json",
        "c1\u{9b}2J.json",
        "osc\u{1b}]0;title\u{7}.json",
        "nul-free\u{2028}separator.json",
    ];
    for n in names {
        std::fs::write(dir.path().join(n), &template).expect("write");
    }
    let root = dir.path().to_str().expect("UTF-8");
    for format in Format::value_variants().iter().copied() {
        let text = render(format, "never", &[root]);
        assert_terminal_safe(format, &text);
        if let Some(diagnostics) = parse_back(format, &text) {
            for n in names {
                let path = format!("{root}/{n}");
                assert!(diagnostics.iter().any(|(f, _)| *f == path), "{path:?} round-trips");
            }
        }
        let colored = render(format, "always", &[root]);
        assert_only_sgr(&colored);
    }
    // Nothing forged starts a line in the line-oriented format.
    let concise = render(Format::Concise, "never", &[root]);
    assert_eq!(concise.lines().count(), 5 * names.len(), "{concise}");
    assert!(concise.lines().all(|l| l.starts_with(root)), "{concise}");
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let template = std::fs::read(Path::new(HOSTILE).join("template.json")).expect("fixture");
    let file_name = std::ffi::OsStr::from_bytes(b"latin1-\xe9\x1b[31m.json");
    std::fs::write(dir.path().join(file_name), &template).expect("write");
    let root = dir.path().to_str().expect("UTF-8");
    for format in Format::value_variants().iter().copied() {
        let text = render(format, "never", &[root]);
        assert_terminal_safe(format, &text);
        // SARIF names files by URI, percent-encoded.
        assert!(
            text.contains("latin1-\u{fffd}") || text.contains("latin1-%EF%BF%BD"),
            "{}: {text}",
            name(format)
        );
        parse_back(format, &text);
    }
}
