//! A finding: rule, severity, message, and labelled places in the sources.

use std::fmt;

use crate::source::Span;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file with a short explanation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One finding, ready to be rendered in any output format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule id (`LH042`).
    pub rule: String,
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where it is wrong.
    pub primary: Label,
    /// Where the value came from or was used.
    pub related: Vec<Label>,
    /// Why it matters.
    pub note: Option<std::sync::Arc<str>>,
    /// How to fix it.
    pub help: Option<std::sync::Arc<str>>,
    /// RFC 6901 pointer of the primary span inside its file, when known.
    pub pointer: Option<String>,
    /// Set when an inline suppression hides the finding: its reason (may be empty).
    pub suppressed: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: impl Into<String>, severity: Severity, message: impl Into<String>, primary: Label) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            message: message.into(),
            primary,
            related: Vec::new(),
            note: None,
            help: None,
            pointer: None,
            suppressed: None,
        }
    }

    pub fn with_related(mut self, label: Label) -> Self {
        self.related.push(label);
        self
    }

    pub fn with_note(mut self, note: impl Into<std::sync::Arc<str>>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<std::sync::Arc<str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_pointer(mut self, pointer: String) -> Self {
        self.pointer = Some(pointer);
        self
    }
}
