//! JUnit XML: one test case per input file. A file with a diagnostic at or
//! above `--fail-on` fails (an unparsable file, LH000, is an `<error>`); the
//! other diagnostics go to `<system-out>`. Each listed diagnostic is a concise
//! line (`path:line:column: severity: message [RULE]`, text from the inputs
//! passed through [`sanitize`]) with its related places, note and help.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Report, escape_with, range, sanitize};
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> =
        sources.files.iter().map(|f| (f.name.as_str(), Vec::new())).collect();
    for d in report.reported() {
        by_file
            .entry(sources.get(d.primary.span.file).name.as_str())
            .or_default()
            .push(d);
    }
    let failed = |ds: &[&Diagnostic]| ds.iter().any(|d| report.fails(d));
    let is_error = |ds: &[&Diagnostic]| ds.iter().any(|d| report.fails(d) && d.rule == "LH000");
    let errors = by_file.values().filter(|ds| is_error(ds)).count();
    let failures = by_file.values().filter(|ds| failed(ds) && !is_error(ds)).count();
    let counts = format!(r#"tests="{}" failures="{failures}" errors="{errors}""#, by_file.len());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="lhlint" {counts}>"#)?;
    writeln!(out, r#"  <testsuite name="lhlint" {counts} skipped="0">"#)?;
    for (file, ds) in &by_file {
        let name = attr(file);
        write!(out, r#"    <testcase name="{name}" classname="lhlint" file="{name}""#)?;
        if ds.is_empty() {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        let (failing, other): (Vec<&Diagnostic>, Vec<&Diagnostic>) = ds.iter().partition(|d| report.fails(d));
        if let Some(first) = failing.first() {
            let element = if is_error(ds) { "error" } else { "failure" };
            let mut message = sanitize(&first.message).into_owned();
            if failing.len() > 1 {
                message.push_str(&format!(" (and {} more)", failing.len() - 1));
            }
            write!(
                out,
                r#"      <{element} message="{}" type="{}">"#,
                attr(&message),
                attr(&first.rule)
            )?;
            write!(out, "{}", text(&details(sources, &failing)))?;
            writeln!(out, "</{element}>")?;
        }
        if !other.is_empty() {
            writeln!(
                out,
                "      <system-out>{}</system-out>",
                text(&details(sources, &other))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// Each diagnostic as a concise line, then its related places, note and help.
fn details(sources: &Sources, ds: &[&Diagnostic]) -> String {
    let mut s = String::new();
    for d in ds {
        let (start, _) = range(sources, d.primary.span);
        let file = &sources.get(d.primary.span.file).name;
        s.push_str(&format!(
            "{}:{}:{}: {}: {} [{}]\n",
            sanitize(file),
            start.line,
            start.column,
            d.severity,
            sanitize(&d.message),
            d.rule
        ));
        for l in &d.related {
            let (p, _) = range(sources, l.span);
            let f = &sources.get(l.span.file).name;
            s.push_str(&format!(
                "  {}:{}:{}: {}\n",
                sanitize(f),
                p.line,
                p.column,
                sanitize(&l.message)
            ));
        }
        if let Some(n) = &d.note {
            s.push_str(&format!("  note: {}\n", sanitize(n)));
        }
        if let Some(h) = &d.help {
            s.push_str(&format!("  help: {}\n", sanitize(h)));
        }
    }
    s
}

/// Escapes element text. Characters XML 1.0 forbids (and other terminal
/// controls) become visible `\u{…}` escapes; CR is kept as a reference.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an attribute value; whitespace is kept through references, since
/// attribute normalization would turn it into spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    escape_with(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' if attribute => Some("&quot;"),
        '\'' if attribute => Some("&apos;"),
        '\n' if attribute => Some("&#10;"),
        '\t' if attribute => Some("&#9;"),
        '\n' => Some("\n"),
        '\t' => Some("\t"),
        '\r' => Some("&#13;"),
        // Not characters in XML 1.0.
        '\u{FFFE}' => Some("\\u{fffe}"),
        '\u{FFFF}' => Some("\\u{ffff}"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(text("a<b>&c\"d'"), "a&lt;b&gt;&amp;c\"d'");
        assert_eq!(attr("a\"b'c\nd\te\rf"), "a&quot;b&apos;c&#10;d&#9;e&#13;f");
        assert_eq!(
            text("x\u{0}y\u{1b}z\u{b}\u{fffe}\r\n"),
            "x\\u{0}y\\u{1b}z\\u{b}\\u{fffe}&#13;\n"
        );
    }
}
