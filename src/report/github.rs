//! GitHub Actions workflow commands, one per diagnostic:
//! `::error file=PATH,line=L,endLine=L2,col=C,endColumn=C2,title=lhlint RULE::MESSAGE`.
//!
//! Escaping follows `@actions/core` (`escapeData`, `escapeProperty`), so the
//! runner decodes every value back and no value can end the command or start
//! another line. Other characters that could fool a terminal are made visible.

use std::io::{self, Write};

use super::{Report, escape_with, range};
use crate::diagnostic::Severity;
use crate::source::Sources;

pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    for d in report.reported() {
        let (start, end) = range(sources, d.primary.span);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let file = &sources.get(d.primary.span.file).name;
        write!(
            out,
            "::{command} file={},line={},endLine={}",
            escape_property(file),
            start.line,
            end.line
        )?;
        // GitHub draws columns only within one line (ruff does the same).
        if start.line == end.line {
            write!(out, ",col={},endColumn={}", start.column, end.column)?;
        }
        let title = format!("lhlint {}", d.rule);
        writeln!(out, ",title={}::{}", escape_property(&title), escape_data(&d.message))?;
    }
    Ok(())
}

/// `escapeData`: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// `escapeProperty`: `escapeData` plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    escape_with(s, |c| match c {
        '%' => Some("%25"),
        '\r' => Some("%0D"),
        '\n' => Some("%0A"),
        ':' if property => Some("%3A"),
        ',' if property => Some("%2C"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_like_actions_core() {
        assert_eq!(escape_data("100% a\r\nb::c,d:e"), "100%25 a%0D%0Ab::c,d:e");
    }

    #[test]
    fn property_escapes_like_actions_core() {
        assert_eq!(escape_property("a%b\rc\nd:e,f"), "a%25b%0Dc%0Ad%3Ae%2Cf");
        assert_eq!(escape_property("::error::x"), "%3A%3Aerror%3A%3Ax");
    }

    #[test]
    fn multi_line_spans_have_no_columns() {
        use crate::diagnostic::{Diagnostic, Label};
        use crate::source::{SourceFile, Span};
        let text = "{\n  \"a\": [\n 1\n]\n}\n";
        let sources = Sources {
            files: vec![SourceFile::new("a,b:c.json".into(), text.into())],
        };
        let label = Label::new(Span::new(0, 2, 15), "");
        let report = Report {
            diagnostics: vec![Diagnostic::new("LH001", Severity::Info, "m", label)],
            ..Default::default()
        };
        let mut out = Vec::new();
        write(&report, &sources, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::notice file=a%2Cb%3Ac.json,line=2,endLine=4,title=lhlint LH001::m\n"
        );
    }

    #[test]
    fn terminal_controls_become_visible() {
        assert_eq!(escape_data("a\x1b[31mb\u{202e}"), "a\\u{1b}[31mb\\u{202e}");
    }
}
