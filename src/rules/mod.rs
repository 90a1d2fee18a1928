//! Rules as data: the rule-file format, loading, and the compiled rule set.
//!
//! A rule is one JSONC file in `rules/` (embedded in the binary) or in a
//! directory given with `--rules`: `given` selectors, `when` conditions,
//! `then` checks, a message template, and its documentation in a Markdown
//! file of the same name.

mod builtin;
mod compiled;
mod file;
mod load;

pub use file::to_value;
pub use load::{LoadError, RuleSet, compile_builtin, load, load_warming_patterns};

use crate::diagnostic::Severity;
use crate::engine::checks::CheckItem;
use crate::workspace::FileKind;

/// A loaded, compiled rule.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    /// Stable public id (`LH049`).
    pub id: String,
    /// Kebab-case name of the flagged pattern.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// One line for `lhlint rules`.
    pub summary: String,
    /// File kinds the rule runs on.
    pub applies_to: Vec<FileKind>,
    /// The selectors as written.
    pub given: Vec<String>,
    /// Conditions that must all pass for `then` to run.
    pub when: Vec<CheckItem>,
    /// Checks; the first that fails makes the finding.
    pub then: Vec<CheckItem>,
    /// Message template (`{{value}}`, `{{role}}`, `{{field}}`, …).
    pub message: String,
    /// Text of the primary label.
    pub label: Option<String>,
    /// Why it matters.
    pub note: Option<std::sync::Arc<str>>,
    /// How to fix it.
    pub help: Option<std::sync::Arc<str>>,
    /// Full documentation (Markdown); not in the compiled rule set, which
    /// takes it from the embedded files.
    #[serde(skip)]
    pub docs: Option<std::borrow::Cow<'static, str>>,
    /// Where the rule was defined (`rules/LH049-….jsonc` or a user path).
    pub origin: String,
    /// Whether the rule ships with lhlint (its docs are in the repository's `rules/`).
    pub builtin: bool,
    /// Report every failing `then` check (each place once), not only the first.
    pub report_all: bool,
    /// Comparisons across all linted units (`workspace`).
    pub workspace: Vec<crate::engine::crossfile::Relation>,
}

impl Rule {
    /// The highest severity any of its checks can report.
    pub fn max_severity(&self) -> Severity {
        self.then
            .iter()
            .filter_map(|c| c.severity)
            .chain(
                self.workspace
                    .iter()
                    .flat_map(|r| r.expect.iter().filter_map(|e| e.severity)),
            )
            .chain(std::iter::once(self.severity))
            .max()
            .unwrap_or(self.severity)
    }
}

/// Does `id` match a selection entry (an id or a prefix such as `LH04`)?
pub fn selector_matches(entry: &str, id: &str) -> bool {
    let entry = entry.trim();
    !entry.is_empty()
        && (entry.eq_ignore_ascii_case("ALL") || id.to_ascii_uppercase().starts_with(&entry.to_ascii_uppercase()))
}
