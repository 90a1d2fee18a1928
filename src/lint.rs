//! `lhlint check`: discover, read and parse once, pair, lint units in parallel, collect.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::{Principals, Roles};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::discover::discover;
use crate::engine::{self, checks::Context};
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::Span;
use crate::workspace::Workspace;

/// What to lint and with which reference data.
pub struct CheckInput<'a> {
    pub paths: Vec<PathBuf>,
    pub rules: &'a RuleSet,
    pub roles: &'a Roles,
    pub principals: &'a Principals,
    /// Compare offer manifests with their versions at this git revision.
    pub against: Option<String>,
}

/// Lints `input.paths`; the error is a named path that does not exist.
pub fn check(input: &CheckInput<'_>) -> Result<(Workspace, Report), String> {
    let paths = discover(&input.paths).map_err(|e| e.message)?;
    let (mut ws, mut diagnostics) = Workspace::load(paths);
    let extra = crate::pairing::companions(&ws);
    diagnostics.extend(ws.extend(extra));
    let units = crate::pairing::units(&ws);
    let files = ws.len();
    let mut notes = Vec::new();
    let previous = match &input.against {
        Some(revision) => {
            let ids = input.rules.history_rule_ids();
            if ids.is_empty() {
                Vec::new()
            } else {
                let (previous, n) = crate::history::load(&mut ws, &units, revision, &ids.join(", "));
                notes = n;
                previous
            }
        }
        None => Vec::new(),
    };
    let cx = Context {
        roles: input.roles,
        principals: input.principals,
    };
    let per_unit: Vec<Vec<Diagnostic>> = units
        .par_iter()
        .map(|unit| {
            std::panic::catch_unwind(AssertUnwindSafe(|| engine::lint_unit(input.rules, &cx, &ws, unit)))
                .unwrap_or_else(|_| {
                    vec![Diagnostic::new(
                        "LH000",
                        Severity::Error,
                        "internal error: lhlint crashed while linting this file; please report it with the file",
                        Label::new(Span::new(unit.root, 0, 0), ""),
                    )]
                })
        })
        .collect();
    diagnostics.extend(per_unit.into_iter().flatten());
    let across = std::panic::catch_unwind(AssertUnwindSafe(|| {
        crate::engine::crossfile::run(input.rules, &cx, &ws, &units, &previous)
    }));
    match across {
        Ok(found) => diagnostics.extend(found),
        Err(_) => notes.push("internal error: lhlint crashed in the cross-file checks; please report it".into()),
    }
    diagnostics.retain(|d| d.rule == "LH000" || input.rules.is_active(&d.rule));
    sort_and_dedup(&ws, &mut diagnostics);
    let report = Report {
        diagnostics,
        files,
        suppressed: 0,
        notes,
    };
    Ok((ws, report))
}

/// Orders diagnostics by file path, position and rule, and drops exact repeats
/// (a template linted once per parameters file repeats its own findings).
fn sort_and_dedup(ws: &Workspace, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        let name = |d: &Diagnostic| ws.sources.get(d.primary.span.file).name.as_str();
        (name(a), a.primary.span.start, a.primary.span.end, &a.rule, &a.message).cmp(&(
            name(b),
            b.primary.span.start,
            b.primary.span.end,
            &b.rule,
            &b.message,
        ))
    });
    diagnostics.dedup_by(|later, first| {
        later.rule == first.rule && later.primary.span == first.primary.span && later.message == first.message
    });
}
