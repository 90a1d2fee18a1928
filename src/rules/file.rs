//! The on-disk rule-file format (deserialized with serde, unknown keys rejected).

use serde::Deserialize;

use crate::diagnostic::Severity;

/// One rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFile {
    /// The rule-file JSON Schema, for editors; not used by lhlint.
    #[serde(rename = "$schema", default)]
    #[allow(dead_code)]
    pub schema: Option<String>,
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Selectors; a rule without them is emitted by the engine itself (LH000).
    #[serde(default)]
    pub given: Vec<String>,
    #[serde(default)]
    pub when: Vec<CheckSpec>,
    #[serde(default)]
    pub then: OneOrMany<CheckSpec>,
    pub message: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
    /// `first` (default): the first failing `then` check makes the finding;
    /// `all`: every failing check does, each place once.
    #[serde(default)]
    pub report: ReportMode,
    /// Comparisons across every linted unit (see `engine::crossfile`).
    #[serde(default)]
    pub workspace: Vec<serde_json::Value>,
}

/// Which failing `then` checks make findings.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReportMode {
    #[default]
    First,
    All,
}

/// `then` may be one check or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }

    pub fn is_one(&self) -> bool {
        matches!(self, OneOrMany::One(_))
    }
}

/// One check: a function applied to the match or to a field below it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSpec {
    #[serde(default)]
    pub field: Option<String>,
    /// Conditions on the match: the check applies only when all pass.
    #[serde(default)]
    pub when: Vec<CheckSpec>,
    pub function: String,
    #[serde(default)]
    pub options: Option<serde_json::Value>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub label: Option<String>,
}

pub use crate::json::to_value;
