//! Azure Pipelines logging commands, one per diagnostic:
//! `##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=RULE]MESSAGE`.
//!
//! Escaping follows azure-pipelines-task-lib (`taskcommand.ts`): properties
//! escape `%` (as `%AZP25`), CR, LF, `]` and `;`; the message escapes `%`, CR
//! and LF. Azure knows only errors and warnings, so an info is a warning whose
//! message starts with `info: `.

use std::io::{self, Write};

use super::{Report, escape_with, range};
use crate::diagnostic::Severity;
use crate::source::Sources;

pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    for d in report.reported() {
        let (start, _) = range(sources, d.primary.span);
        let (kind, prefix) = match d.severity {
            Severity::Error => ("error", ""),
            Severity::Warning => ("warning", ""),
            Severity::Info => ("warning", "info: "),
        };
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{prefix}{}",
            escape_property(&sources.get(d.primary.span.file).name),
            start.line,
            start.column,
            escape_property(&d.rule),
            escape_data(&d.message)
        )?;
    }
    Ok(())
}

/// The message after `]`: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// A property value: also `]` and `;`.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    escape_with(s, |c| match c {
        '%' => Some("%AZP25"),
        '\r' => Some("%0D"),
        '\n' => Some("%0A"),
        ']' if property => Some("%5D"),
        ';' if property => Some("%3B"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_like_the_task_lib() {
        assert_eq!(escape_data("50% a\r\nb;c]d"), "50%AZP25 a%0D%0Ab;c]d");
    }

    #[test]
    fn property_escapes_like_the_task_lib() {
        assert_eq!(escape_property("a%b\rc\nd]e;f"), "a%AZP25b%0Dc%0Ad%5De%3Bf");
    }

    #[test]
    fn terminal_controls_become_visible() {
        assert_eq!(escape_data("\x07x\u{2028}"), "\\u{7}x\\u{2028}");
    }
}
