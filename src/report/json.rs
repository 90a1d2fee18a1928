//! One JSON document with a summary and every diagnostic.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::{Report, is_unsafe_char, range};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::Sources;

/// The version of the JSON report's shape.
pub const VERSION: u32 = 1;

/// Writes the report: `{"diagnostics":[` with one finding per line, then the
/// summary and the version (keys in alphabetical order). Findings are rendered
/// in parallel, a window at a time, and written in order; no document tree is built.
pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    /// Findings rendered per parallel window (bounds the memory of the output).
    const WINDOW: usize = 16 * 1024;
    out.write_all(b"{\"diagnostics\":[")?;
    for (w, window) in report.diagnostics.chunks(WINDOW).enumerate() {
        let rendered: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(256)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::with_capacity(chunk.len() * 1536);
                for (i, d) in chunk.iter().enumerate() {
                    if w + c + i > 0 {
                        buf.push(b',');
                    }
                    buf.push(b'\n');
                    write_diagnostic(&mut buf, d, sources);
                }
                Ok(buf)
            })
            .collect();
        for buf in rendered {
            out.write_all(&buf?)?;
        }
    }
    out.write_all(b"\n],\"summary\":")?;
    let summary = Summary {
        baseline_unmatched: report.baseline.map(|b| b.unmatched),
        baselined: report.baseline.map(|b| b.matched),
        errors: report.count(Severity::Error),
        files: report.files,
        infos: report.count(Severity::Info),
        suppressed: report.suppressed,
        warnings: report.count(Severity::Warning),
    };
    write_compact(&mut *out, &summary)?;
    writeln!(out, ",\"version\":{VERSION}}}")
}

/// Compact JSON, escaping unsafe characters like [`write_safe_json`].
fn write_compact<W: Write + ?Sized>(out: &mut W, value: &impl Serialize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, SafeFormatter(CompactFormatter));
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// Writes one finding as compact JSON, keys in alphabetical order: the
/// layout `DiagnosticJson` gives through serde (a test holds them equal),
/// written directly because the report is most of a large run's output.
fn write_diagnostic(buf: &mut Vec<u8>, d: &Diagnostic, sources: &Sources) {
    buf.extend_from_slice(b"{\"file\":");
    write_str(buf, &sources.get(d.primary.span.file).name);
    if let Some(help) = &d.help {
        buf.extend_from_slice(b",\"help\":");
        write_str(buf, help);
    }
    if !d.primary.message.is_empty() {
        buf.extend_from_slice(b",\"label\":");
        write_str(buf, &d.primary.message);
    }
    buf.extend_from_slice(b",\"message\":");
    write_str(buf, &d.message);
    if let Some(note) = &d.note {
        buf.extend_from_slice(b",\"note\":");
        write_str(buf, note);
    }
    if let Some(pointer) = &d.pointer {
        buf.extend_from_slice(b",\"pointer\":");
        write_str(buf, pointer);
    }
    buf.extend_from_slice(b",\"range\":");
    write_range(buf, sources, &d.primary);
    buf.extend_from_slice(b",\"related\":[");
    for (i, l) in d.related.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(b"{\"file\":");
        write_str(buf, &sources.get(l.span.file).name);
        buf.extend_from_slice(b",\"message\":");
        write_str(buf, &l.message);
        buf.extend_from_slice(b",\"range\":");
        write_range(buf, sources, l);
        buf.push(b'}');
    }
    buf.extend_from_slice(b"],\"rule\":");
    write_str(buf, &d.rule);
    buf.extend_from_slice(b",\"severity\":\"");
    buf.extend_from_slice(d.severity.as_str().as_bytes());
    buf.push(b'"');
    if let Some(reason) = &d.suppressed {
        buf.extend_from_slice(b",\"suppressed\":{\"reason\":");
        write_str(buf, reason);
        buf.push(b'}');
    }
    buf.push(b'}');
}

/// `{"end":{"column":…,"line":…},"start":{…}}` of a label.
fn write_range(buf: &mut Vec<u8>, sources: &Sources, label: &Label) {
    let (s, e) = range(sources, label.span);
    buf.extend_from_slice(b"{\"end\":{\"column\":");
    write_u32(buf, e.column);
    buf.extend_from_slice(b",\"line\":");
    write_u32(buf, e.line);
    buf.extend_from_slice(b"},\"start\":{\"column\":");
    write_u32(buf, s.column);
    buf.extend_from_slice(b",\"line\":");
    write_u32(buf, s.line);
    buf.extend_from_slice(b"}}");
}

fn write_u32(buf: &mut Vec<u8>, n: u32) {
    buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A JSON string as serde_json writes it through [`SafeFormatter`]: `"` and
/// `\\` escaped, control characters below U+0020 as serde_json's short or
/// `\u00xx` escapes, and every other [`is_unsafe_char`] as `\uXXXX` units.
fn write_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    // The usual case: printable ASCII without quotes or backslashes.
    if is_printable_ascii(bytes) && memchr::memchr2(b'"', b'\\', bytes).is_none() {
        buf.extend_from_slice(bytes);
    } else {
        for c in s.chars() {
            match c {
                '"' => buf.extend_from_slice(b"\\\""),
                '\\' => buf.extend_from_slice(b"\\\\"),
                '\u{8}' => buf.extend_from_slice(b"\\b"),
                '\u{c}' => buf.extend_from_slice(b"\\f"),
                '\n' => buf.extend_from_slice(b"\\n"),
                '\r' => buf.extend_from_slice(b"\\r"),
                '\t' => buf.extend_from_slice(b"\\t"),
                c if is_unsafe_char(c) => {
                    let mut units = [0u16; 2];
                    for &unit in c.encode_utf16(&mut units).iter() {
                        buf.extend_from_slice(b"\\u");
                        for shift in [12, 8, 4, 0] {
                            buf.push(crate::hex::DIGITS[(unit >> shift) as usize & 0xf]);
                        }
                    }
                }
                c => {
                    let mut utf8 = [0u8; 4];
                    buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
    }
    buf.push(b'"');
}

// The document's types; fields in alphabetical order, as the keys are printed.

#[derive(Serialize)]
struct Summary {
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_unmatched: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<usize>,
    errors: usize,
    files: usize,
    infos: usize,
    suppressed: usize,
    warnings: usize,
}

/// The finding's layout through serde: the reference `write_diagnostic` is tested against.
#[cfg(test)]
mod serde_layout {
    use serde::Serialize;

    use crate::diagnostic::{Diagnostic, Label, Severity};
    use crate::report::range;
    use crate::source::Sources;

    #[derive(Serialize)]
    pub struct DiagnosticJson<'a> {
        file: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<&'a str>,
        #[serde(skip_serializing_if = "str::is_empty")]
        label: &'a str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pointer: Option<&'a str>,
        range: Range,
        related: Vec<RelatedJson<'a>>,
        rule: &'a str,
        severity: Severity,
        #[serde(skip_serializing_if = "Option::is_none")]
        suppressed: Option<Suppressed<'a>>,
    }

    impl<'a> DiagnosticJson<'a> {
        pub fn new(d: &'a Diagnostic, sources: &'a Sources) -> Self {
            DiagnosticJson {
                file: &sources.get(d.primary.span.file).name,
                help: d.help.as_deref(),
                label: &d.primary.message,
                message: &d.message,
                note: d.note.as_deref(),
                pointer: d.pointer.as_deref(),
                range: Range::of(sources, &d.primary),
                related: d
                    .related
                    .iter()
                    .map(|l| RelatedJson {
                        file: &sources.get(l.span.file).name,
                        message: &l.message,
                        range: Range::of(sources, l),
                    })
                    .collect(),
                rule: &d.rule,
                severity: d.severity,
                suppressed: d.suppressed.as_deref().map(|reason| Suppressed { reason }),
            }
        }
    }

    #[derive(Serialize)]
    struct RelatedJson<'a> {
        file: &'a str,
        message: &'a str,
        range: Range,
    }

    #[derive(Serialize)]
    struct Suppressed<'a> {
        reason: &'a str,
    }

    #[derive(Serialize)]
    struct Range {
        end: Point,
        start: Point,
    }

    #[derive(Serialize)]
    struct Point {
        column: u32,
        line: u32,
    }

    impl Range {
        fn of(sources: &Sources, label: &Label) -> Range {
            let (s, e) = range(sources, label.span);
            Range {
                end: Point {
                    column: e.column,
                    line: e.line,
                },
                start: Point {
                    column: s.column,
                    line: s.line,
                },
            }
        }
    }
}

/// Writes `value` as pretty JSON in which every character that
/// [`is_unsafe_char`] flags is a `\uXXXX` escape, so the document is plain
/// printable text whatever the inputs held (serde_json escapes only U+0000–U+001F).
pub fn write_safe_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, SafeFormatter(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// Whether every byte is printable ASCII (0x20 to 0x7E); checked 16 bytes
/// at a time without branching, which the compiler vectorizes.
fn is_printable_ascii(bytes: &[u8]) -> bool {
    let printable = |b: u8| b.wrapping_sub(0x20) < 0x5f;
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if !chunk.iter().fold(true, |all, &b| all & printable(b)) {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| printable(b))
}

/// A serde_json formatter that escapes unsafe characters in strings.
struct SafeFormatter<F>(F);

impl<F: Formatter> Formatter for SafeFormatter<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        // Printable ASCII, the usual case, is safe as it is.
        if is_printable_ascii(fragment.as_bytes()) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe_char(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::{is_printable_ascii, write_compact, write_diagnostic, write_safe_json};
    use crate::diagnostic::{Diagnostic, Label, Severity};
    use crate::source::{SourceFile, Sources, Span};

    /// Texts with every kind of character the writer treats apart.
    const TEXTS: &[&str] = &[
        "",
        "plain text",
        "quote \" and backslash \\ and / slash",
        "controls \u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1b}\u{1f} end",
        "del \u{7f} c1 \u{85}\u{9b}",
        "bidi \u{202e}\u{2066} separators \u{2028}\u{2029} zero width \u{200b}\u{feff}",
        "tags \u{e0041} and astral \u{1f600}",
        "accents é サポート窓口",
    ];

    #[test]
    fn direct_writer_matches_the_serde_layout() {
        let files = TEXTS
            .iter()
            .enumerate()
            .map(|(i, t)| SourceFile::new(format!("dir/{t}{i}.json"), format!("{{\n  \"a\": \"{t}\"\n}}\n")))
            .collect();
        let sources = Sources { files };
        let mut checked = 0;
        for (i, text) in TEXTS.iter().enumerate() {
            for variant in 0..4 {
                let other = (i + 1) % TEXTS.len();
                let span = Span::new(i, 4, 9);
                let mut d = Diagnostic::new(
                    format!("LH0{i}{text}"),
                    [Severity::Error, Severity::Warning, Severity::Info][variant % 3],
                    format!("message {text}"),
                    Label::new(span, if variant == 1 { String::new() } else { text.to_string() }),
                );
                if variant != 2 {
                    d.note = Some(format!("note {text}").into());
                    d.help = Some(format!("help {text}").into());
                    d.pointer = Some(format!("/a/{text}"));
                }
                if variant >= 2 {
                    d.related.push(Label::new(Span::new(other, 0, 1), TEXTS[other]));
                    d.related.push(Label::new(Span::new(i, 2, 30), *text));
                }
                if variant == 3 {
                    d.suppressed = Some(text.to_string());
                }
                let mut direct = Vec::new();
                write_diagnostic(&mut direct, &d, &sources);
                let mut reference = Vec::new();
                write_compact(&mut reference, &super::serde_layout::DiagnosticJson::new(&d, &sources)).unwrap();
                assert_eq!(String::from_utf8_lossy(&direct), String::from_utf8_lossy(&reference));
                checked += 1;
            }
        }
        assert_eq!(checked, TEXTS.len() * 4);
    }

    #[test]
    fn escapes_unsafe_characters() {
        let mut out = Vec::new();
        let value = serde_json::json!({"m": "a\u{1b}[31m\u{9b}\u{202e}\u{85}\n\u{0}é"});
        write_safe_json(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""a\u001b[31m\u009b\u202e\u0085\n\u0000é""#), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn printable_ascii_is_0x20_to_0x7e() {
        for b in 0..=255u8 {
            let mut text = vec![b'a'; 40];
            text[b as usize % 40] = b;
            assert_eq!(is_printable_ascii(&text), (0x20..0x7f).contains(&b), "{b:#x}");
        }
        assert!(is_printable_ascii(b""));
    }
}
