//! One JSON document with a summary and every diagnostic.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, range};
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
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn range_json(sources: &Sources, label: &Label) -> Value {
    let (s, e) = range(sources, label.span);
    json!({"start": {"line": s.line, "column": s.column}, "end": {"line": e.line, "column": e.column}})
}
