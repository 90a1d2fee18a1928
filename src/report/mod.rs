//! Output formats. Each renderer is a small module over the same [`Report`].

mod azure;
mod concise;
mod excerpt;
mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Position, Sources};

pub use human::render_diagnostics as render_human;
pub use json::write_safe_json;

/// Output formats of `lhlint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with labels, notes and help.
    Human,
    /// One line per diagnostic: `path:line:column: severity: message [RULE]`.
    Concise,
    /// One JSON document (see the README for its shape).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the changed files).
    Github,
    /// Azure Pipelines logging commands (`##vso[task.logissue …]`).
    Azure,
    /// JUnit XML: one test case per input file.
    Junit,
}

/// Everything a run found, sorted and ready to print.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Input files considered (linted or failed).
    pub files: usize,
    /// Findings hidden by suppressions.
    pub suppressed: usize,
    /// How the `--baseline` matched, when one was given.
    pub baseline: Option<crate::baseline::Stats>,
    /// The rules that ran (and LH000), sorted by id, for formats that describe them.
    pub rules: Vec<RuleInfo>,
    /// Lowest severity that fails the run (`--fail-on`); `None` for never.
    pub fail_on: Option<Severity>,
    /// Remarks about the run itself (printed on stderr), e.g. skipped history checks.
    pub notes: Vec<String>,
}

/// What the renderers know about a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Full documentation (Markdown).
    pub docs: Option<std::borrow::Cow<'static, str>>,
    /// For built-in rules: the documentation's path in the repository (`rules/LH042-….md`).
    pub doc_path: Option<String>,
}

impl From<&crate::rules::Rule> for RuleInfo {
    fn from(r: &crate::rules::Rule) -> Self {
        let doc_path = r
            .builtin
            .then(|| r.origin.strip_suffix(".jsonc").map(|stem| format!("{stem}.md")))
            .flatten();
        RuleInfo {
            id: r.id.clone(),
            name: r.name.clone(),
            severity: r.severity,
            summary: r.summary.clone(),
            docs: r.docs.clone(),
            doc_path,
        }
    }
}

impl Report {
    /// Reported (not suppressed) findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.reported().filter(|d| d.severity == severity).count()
    }

    /// The findings that count: those not suppressed (suppressed ones are
    /// listed only with `--show-suppressed`).
    pub fn reported(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.suppressed.is_none())
    }

    /// Whether `d` is at or above `--fail-on` (suppressed findings never are).
    pub fn fails(&self, d: &Diagnostic) -> bool {
        d.suppressed.is_none() && self.fail_on.is_some_and(|t| d.severity >= t)
    }
}

/// ` (suppressed: reason)` for a suppressed finding, empty otherwise.
pub fn suppressed_marker(d: &Diagnostic) -> String {
    match d.suppressed.as_deref() {
        None => String::new(),
        Some("") => " (suppressed)".into(),
        Some(reason) => format!(" (suppressed: {reason})"),
    }
}

/// Writes `report` in `format`; `color` applies to the human format only.
pub fn write(report: &Report, sources: &Sources, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, sources, color, out),
        Format::Concise => concise::write(report, sources, out),
        Format::Json => json::write(report, sources, out),
        Format::Sarif => sarif::write(report, sources, out),
        Format::Github => github::write(report, sources, out),
        Format::Azure => azure::write(report, sources, out),
        Format::Junit => junit::write(report, sources, out),
    }
}

/// Start and end positions of a span.
pub fn range(sources: &Sources, span: crate::source::Span) -> (Position, Position) {
    let file = sources.get(span.file);
    (file.position(span.start), file.position(span.end))
}

/// Makes text from inputs safe to print: control characters, bidirectional
/// overrides and line separators become visible `\u{…}` escapes.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(escape_with(s, |_| None))
}

/// Rewrites `s` character by character: `replace` gives the text of the
/// characters a format escapes its own way; any other [`is_unsafe_char`]
/// becomes a visible `\u{…}` escape. Shared by every format's escaping.
pub fn escape_with(s: &str, replace: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match replace(c) {
            Some(r) => out.push_str(r),
            None if is_unsafe_char(c) => push_visible_escape(&mut out, c),
            None => out.push(c),
        }
    }
    out
}

/// Appends `\u{…}` for `c`.
fn push_visible_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Like [`sanitize`], but keeps line breaks and tabs: for multi-line text
/// such as rule documentation.
pub fn sanitize_text(s: &str) -> String {
    s.split('\n')
        .map(|line| {
            line.split('\t')
                .map(|part| sanitize(part.strip_suffix('\r').unwrap_or(part)).into_owned())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Characters that could move the cursor, start a new line, reorder text
/// (bidi controls), or hide it (zero-width and invisible format characters,
/// Unicode tag characters that smuggle invisible ASCII).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{200B}'..='\u{200F}'
                | '\u{061C}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{180E}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn sanitizes_escapes() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\x1b[31mb\nc\u{202e}"), "a\\u{1b}[31mb\\u{a}c\\u{202e}");
        // Invisible text: zero-width space, BOM, tag characters.
        assert_eq!(
            sanitize("a\u{200b}\u{feff}\u{e0041}b"),
            "a\\u{200b}\\u{feff}\\u{e0041}b"
        );
    }

    #[test]
    fn sanitizes_text_keeping_lines() {
        assert_eq!(
            super::sanitize_text("# a\x1b[2J\r\n\tb\u{9b}\rc\n"),
            "# a\\u{1b}[2J\n\tb\\u{9b}\\u{d}c\n"
        );
    }
}
