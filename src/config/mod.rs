//! `lhlint.toml`: finding it, reading it with spans, and the settings it yields.
//!
//! Settings that decide which rules run (`select`, `ignore`, `extend-select`,
//! `per-file-ignores`, `severity`) apply per file, from the file's nearest
//! config; run-wide settings (`principals`, `roles`, `rules`, `fail-on`) come
//! from the config of the current directory or `--config`. Command-line
//! options win over the file.

pub mod file;
pub mod pattern;
pub mod resolve;
pub mod settings;

pub use file::{Config, Problem};
pub use resolve::{Mode, Resolver};
pub use settings::{Overrides, Settings};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, Sources, Span};

/// The name of the config file.
pub const FILE_NAME: &str = "lhlint.toml";

/// Problems in config files, as diagnostics over their sources (exit status 2).
#[derive(Debug, Default)]
pub struct ConfigErrors {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

impl ConfigErrors {
    /// Adds the problems of the config file `name` with contents `text`.
    pub fn add(&mut self, name: &str, text: &str, problems: Vec<Problem>) {
        let file = self.sources.files.len();
        self.sources
            .files
            .push(SourceFile::new(name.to_string(), text.to_string()));
        for p in problems {
            let end = p.span.end.min(text.len()) as u32;
            let start = (p.span.start as u32).min(end);
            self.diagnostics.push(Diagnostic::new(
                "",
                Severity::Error,
                p.message,
                Label::new(Span::new(file, start, end), p.label),
            ));
        }
    }

    /// Adds a problem that has no place in a file.
    pub fn message(&mut self, message: String) {
        let file = self.sources.files.len();
        self.sources
            .files
            .push(SourceFile::new("<command line>".into(), String::new()));
        self.diagnostics.push(Diagnostic::new(
            "",
            Severity::Error,
            message,
            Label::new(Span::new(file, 0, 0), ""),
        ));
    }
}
