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
                let mut buf = Vec::with_capacity(chunk.len() * 512);
                for (i, d) in chunk.iter().enumerate() {
                    if w + c + i > 0 {
                        buf.push(b',');
                    }
                    buf.push(b'\n');
                    write_compact(&mut buf, &DiagnosticJson::new(d, sources))?;
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

#[derive(Serialize)]
struct DiagnosticJson<'a> {
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
    fn new(d: &'a Diagnostic, sources: &'a Sources) -> Self {
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
    use super::{is_printable_ascii, write_safe_json};

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
