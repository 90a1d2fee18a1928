//! One JSON document with a summary and every diagnostic.

use std::io::{self, Write};

use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::{Value, json};

use super::{Report, is_unsafe_char, range};
use crate::diagnostic::{Label, Severity};
use crate::source::Sources;

/// The version of the JSON report's shape.
pub const VERSION: u32 = 1;

pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut v = json!({
                "rule": d.rule,
                "severity": d.severity,
                "message": d.message,
                "file": sources.get(d.primary.span.file).name,
                "range": range_json(sources, &d.primary),
            });
            let obj = v.as_object_mut().expect("object");
            if !d.primary.message.is_empty() {
                obj.insert("label".into(), json!(d.primary.message));
            }
            if let Some(p) = &d.pointer {
                obj.insert("pointer".into(), json!(p));
            }
            obj.insert(
                "related".into(),
                Value::Array(
                    d.related
                        .iter()
                        .map(|l| {
                            json!({
                                "file": sources.get(l.span.file).name,
                                "range": range_json(sources, l),
                                "message": l.message,
                            })
                        })
                        .collect(),
                ),
            );
            if let Some(n) = &d.note {
                obj.insert("note".into(), json!(n));
            }
            if let Some(h) = &d.help {
                obj.insert("help".into(), json!(h));
            }
            if let Some(reason) = &d.suppressed {
                obj.insert("suppressed".into(), json!({ "reason": reason }));
            }
            v
        })
        .collect();
    let mut summary = json!({
        "files": report.files,
        "errors": report.count(Severity::Error),
        "warnings": report.count(Severity::Warning),
        "infos": report.count(Severity::Info),
        "suppressed": report.suppressed,
    });
    if let (Some(b), Some(obj)) = (report.baseline, summary.as_object_mut()) {
        obj.insert("baselined".into(), json!(b.matched));
        obj.insert("baseline_unmatched".into(), json!(b.unmatched));
    }
    let doc = json!({
        "version": VERSION,
        "summary": summary,
        "diagnostics": diagnostics,
    });
    write_safe_json(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes `value` as pretty JSON in which every character that
/// [`is_unsafe_char`] flags is a `\uXXXX` escape, so the document is plain
/// printable text whatever the inputs held (serde_json escapes only U+0000–U+001F).
pub fn write_safe_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, SafeFormatter(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// serde_json's pretty formatter, escaping unsafe characters in strings.
struct SafeFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for SafeFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
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

fn range_json(sources: &Sources, label: &Label) -> Value {
    let (s, e) = range(sources, label.span);
    json!({"start": {"line": s.line, "column": s.column}, "end": {"line": e.line, "column": e.column}})
}

#[cfg(test)]
mod tests {
    use super::write_safe_json;

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
}
