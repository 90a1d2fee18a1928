//! Inline suppressions: JSONC comments and `metadata.lhlint-ignore`, with a
//! reason and an optional expiry date, and the diagnostics about them
//! (LH900 unused or invalid, LH901 without a reason, LH902 expired).

mod comment;
pub mod date;
mod metadata;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::rules::RuleSet;
use crate::source::{FileId, Sources, Span};
use crate::workspace::Workspace;
use date::Date;

/// What a suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings whose primary span starts on this 0-based line.
    Line(u32),
    /// Every finding in the file.
    File,
    /// Findings inside this object (byte range), or whose value was used inside it.
    Node { start: u32, end: u32 },
}

/// One rule id named by a suppression.
#[derive(Clone, Debug)]
pub struct IdRef {
    /// Upper-cased.
    pub id: String,
    pub span: Span,
    pub used: bool,
}

/// One suppression comment or metadata entry.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub file: FileId,
    pub scope: Scope,
    pub ids: Vec<IdRef>,
    pub reason: Option<String>,
    pub until: Option<(Date, Span)>,
    /// The whole comment or entry.
    pub span: Span,
    pub expired: bool,
}

/// A suppression that could not be read; it suppresses nothing.
#[derive(Clone, Debug)]
pub struct Invalid {
    pub span: Span,
    pub message: String,
}

/// Every suppression of a run.
#[derive(Debug, Default)]
pub struct Suppressions {
    list: Vec<Suppression>,
    invalid: Vec<Invalid>,
    by_file: HashMap<FileId, Vec<usize>>,
}

impl Suppressions {
    /// Reads the suppressions of every parsed file; those that ended before `today` are expired.
    pub fn collect(ws: &Workspace, today: Date) -> Suppressions {
        let per_file: Vec<(Vec<Suppression>, Vec<Invalid>)> = (0..ws.len())
            .into_par_iter()
            .filter_map(|file| {
                let doc = ws.doc(file)?;
                let source = ws.sources.get(file);
                // Most files have no suppression: skip them fast.
                memchr::memmem::find(source.text.as_bytes(), b"lhlint-ignore")?;
                let mut list = Vec::new();
                let mut invalid = Vec::new();
                comment::collect(file, doc, source, &mut list, &mut invalid);
                metadata::collect(file, doc, &source.text, &mut list, &mut invalid);
                Some((list, invalid))
            })
            .collect();
        let mut out = Suppressions::default();
        for (list, invalid) in per_file {
            for mut s in list {
                s.expired = s.until.is_some_and(|(d, _)| d < today);
                out.by_file.entry(s.file).or_default().push(out.list.len());
                out.list.push(s);
            }
            out.invalid.extend(invalid);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.invalid.is_empty()
    }

    /// Splits `diagnostics` into those reported and those suppressed (the
    /// latter with [`Diagnostic::suppressed`] set to the reason).
    pub fn apply(&mut self, sources: &Sources, diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        if self.list.is_empty() {
            return (diagnostics, Vec::new());
        }
        let mut kept = Vec::new();
        let mut suppressed = Vec::new();
        for mut d in diagnostics {
            let mut reason: Option<String> = None;
            let mut hit = false;
            let files = std::iter::once(d.primary.span.file).chain(d.related.iter().map(|l| l.span.file));
            let mut seen: Vec<FileId> = Vec::new();
            for file in files {
                if seen.contains(&file) {
                    continue;
                }
                seen.push(file);
                for &i in self.by_file.get(&file).into_iter().flatten() {
                    let s = &mut self.list[i];
                    if s.expired || !covers(s, &d, sources) {
                        continue;
                    }
                    if let Some(id) = s.ids.iter_mut().find(|id| id.id.eq_ignore_ascii_case(&d.rule)) {
                        id.used = true;
                        hit = true;
                        if reason.is_none() {
                            reason = s.reason.clone();
                        }
                    }
                }
            }
            if hit {
                d.suppressed = Some(reason.unwrap_or_default());
                suppressed.push(d);
            } else {
                kept.push(d);
            }
        }
        (kept, suppressed)
    }

    /// The diagnostics about the suppressions themselves. `active` says
    /// whether a rule runs for a file: an unused suppression of a rule that
    /// does not run cannot be judged.
    pub fn diagnostics(&self, rules: &RuleSet, active: &dyn Fn(FileId, &str) -> bool) -> Vec<Diagnostic> {
        let severity = |id: &str| rules.get(id).map(|r| r.severity).unwrap_or(Severity::Warning);
        let mut out = Vec::new();
        let invalid_help = "write `// lhlint-ignore LH042 -- reason` (optionally `until=YYYY-MM-DD` before `--`), \
                            or \"metadata\": {\"lhlint-ignore\": {\"LH042\": \"reason\"}}";
        for bad in &self.invalid {
            out.push(
                Diagnostic::new(
                    "LH900",
                    severity("LH900"),
                    bad.message.clone(),
                    Label::new(bad.span, "this suppression does nothing"),
                )
                .with_help(invalid_help),
            );
        }
        for s in &self.list {
            let names = s.ids.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ");
            if s.reason.is_none() {
                out.push(
                    Diagnostic::new(
                        "LH901",
                        severity("LH901"),
                        format!("suppression of {names} gives no reason"),
                        Label::new(s.span, "no reason given"),
                    )
                    .with_note("a reason tells reviewers why the finding is accepted and when to look at it again")
                    .with_help(
                        "say why after ` -- ` (`// lhlint-ignore LH042 -- approved by security, ticket 123`), \
                         or as the value in `metadata.lhlint-ignore`",
                    ),
                );
            }
            if let (true, Some((date, span))) = (s.expired, s.until) {
                out.push(
                    Diagnostic::new(
                        "LH902",
                        severity("LH902"),
                        format!("suppression of {names} expired on {date}"),
                        Label::new(span, "expired"),
                    )
                    .with_note("an expired suppression no longer applies: its findings are reported again")
                    .with_help("fix the finding, or review it again and move the date"),
                );
            }
            for id in &s.ids {
                if rules.get(&id.id).is_none() {
                    out.push(
                        Diagnostic::new(
                            "LH900",
                            severity("LH900"),
                            format!("suppression names unknown rule `{}`", id.id),
                            Label::new(id.span, "unknown rule id"),
                        )
                        .with_help("check the id; `lhlint rules` lists every rule"),
                    );
                } else if !s.expired && !id.used && active(s.file, &rule_spelling(rules, &id.id)) {
                    let place = match s.scope {
                        Scope::Line(line) => format!("no {} finding on line {}", id.id, line + 1),
                        Scope::File => format!("no {} finding in this file", id.id),
                        Scope::Node { .. } => format!("no {} finding in this object", id.id),
                    };
                    out.push(
                        Diagnostic::new(
                            "LH900",
                            severity("LH900"),
                            format!("unused suppression of {}", id.id),
                            Label::new(id.span, place),
                        )
                        .with_help(format!("remove `{}` from the suppression", id.id)),
                    );
                }
            }
        }
        out
    }
}

/// The id as the rule set spells it.
fn rule_spelling(rules: &RuleSet, id: &str) -> String {
    rules.get(id).map(|r| r.id.clone()).unwrap_or_else(|| id.to_string())
}

/// Whether suppression `s` covers diagnostic `d`.
fn covers(s: &Suppression, d: &Diagnostic, sources: &Sources) -> bool {
    let primary = d.primary.span;
    match s.scope {
        Scope::Line(line) => primary.file == s.file && sources.get(s.file).line_index(primary.start) as u32 == line,
        Scope::File => primary.file == s.file,
        Scope::Node { start, end } => std::iter::once(&d.primary)
            .chain(&d.related)
            .any(|l| l.span.file == s.file && start <= l.span.start && l.span.end <= end),
    }
}
