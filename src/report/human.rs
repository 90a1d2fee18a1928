//! rustc-style output through codespan-reporting.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity};
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config};

use super::excerpt::Excerpts;
use super::{Report, sanitize, suppressed_marker};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;

pub fn write(report: &Report, sources: &Sources, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
    render_diagnostics(&report.diagnostics, sources, &mut buffer)?;
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let files = plural(report.files, "file");
    let problems = report.reported().count();
    if problems == 0 {
        writeln!(buffer, "No problems found in {files}.")?;
    } else {
        writeln!(
            buffer,
            "Found {} in {files}: {}, {}, {}.",
            plural(problems, "problem"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(infos, "info")
        )?;
    }
    if report.suppressed > 0 {
        writeln!(buffer, "{} suppressed.", plural(report.suppressed, "finding"))?;
    }
    if let Some(b) = report.baseline {
        writeln!(buffer, "{} in the baseline not shown.", plural(b.matched, "finding"))?;
        if b.unmatched > 0 {
            let verb = if b.unmatched == 1 { "occurs" } else { "occur" };
            writeln!(
                buffer,
                "{} of the baseline no longer {verb}; write a new baseline to prune it.",
                plural(b.unmatched, "finding")
            )?;
        }
    }
    out.write_all(buffer.as_slice())
}

/// Renders diagnostics as codespan snippets into `writer`; each shows only
/// excerpts of its lines (see [`super::excerpt`]).
pub fn render_diagnostics(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    writer: &mut dyn WriteColor,
) -> io::Result<()> {
    let config = Config::default();
    for d in diagnostics {
        let (excerpts, mapped) = Excerpts::build(sources, d);
        let cs = to_codespan(&mapped);
        term::emit_to_write_style(writer, &config, &excerpts, &cs).map_err(io::Error::other)?;
    }
    Ok(())
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let mut labels =
        vec![CsLabel::primary(d.primary.span.file, d.primary.span.range()).with_message(sanitize(&d.primary.message))];
    labels.extend(
        d.related
            .iter()
            .map(|l| CsLabel::secondary(l.span.file, l.span.range()).with_message(sanitize(&l.message))),
    );
    let mut notes = Vec::new();
    if let Some(n) = &d.note {
        notes.push(format!("note: {}", sanitize(n)));
    }
    if let Some(h) = &d.help {
        notes.push(format!("help: {}", sanitize(h)));
    }
    let mut cs = CsDiagnostic::new(severity)
        .with_message(format!("{}{}", sanitize(&d.message), sanitize(&suppressed_marker(d))))
        .with_labels(labels)
        .with_notes(notes);
    if !d.rule.is_empty() {
        cs = cs.with_code(d.rule.clone());
    }
    cs
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
