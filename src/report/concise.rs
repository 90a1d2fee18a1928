//! `path:line:column: severity: message [RULE]`, one line per diagnostic.

use std::io::{self, Write};

use super::{Report, range, sanitize, suppressed_marker};
use crate::source::Sources;

pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let (start, _) = range(sources, d.primary.span);
        writeln!(
            out,
            "{}:{}:{}: {}: {} [{}]{}",
            sanitize(&sources.get(d.primary.span.file).name),
            start.line,
            start.column,
            d.severity,
            sanitize(&d.message),
            d.rule,
            sanitize(&suppressed_marker(d))
        )?;
    }
    Ok(())
}
