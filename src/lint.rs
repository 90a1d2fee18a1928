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
    /// Parameters files to deploy every template with (`--parameters`).
    pub parameters: Vec<PathBuf>,
}

/// Lints `input.paths`; the error is a named path that does not exist.
pub fn check(input: &CheckInput<'_>) -> Result<(Workspace, Report), String> {
    let paths = discover(&input.paths).map_err(|e| e.message)?;
    let (mut ws, mut diagnostics) = Workspace::load(paths, &input.paths);
    let mut extra = crate::pairing::companions(&ws);
    if !input.parameters.is_empty() {
        extra.retain(|p| crate::pairing::template_name_for(p).is_none());
        for p in &input.parameters {
            if !p.is_file() {
                return Err(format!(
                    "{}: no such parameters file",
                    crate::workspace::display_path(p)
                ));
            }
            if ws.find(p).is_none() && !extra.contains(p) {
                extra.push(p.clone());
            }
        }
    }
    let mut named = input.paths.clone();
    named.extend(input.parameters.iter().cloned());
    diagnostics.extend(ws.extend(extra, &named));
    let explicit: Vec<_> = input.parameters.iter().filter_map(|p| ws.find(p)).collect();
    let report = lint_workspace(input, &ws, &explicit, diagnostics);
    Ok((ws, report))
}

/// Lints in-memory files (`(path, content)`) as if read from disk, without
/// touching the file system: no discovery, no companions. The entry point for
/// embedding and fuzzing.
pub fn check_text(input: &CheckInput<'_>, files: Vec<(PathBuf, Vec<u8>)>) -> (Workspace, Report) {
    let (ws, diagnostics) = Workspace::from_memory(files);
    let report = lint_workspace(input, &ws, &[], diagnostics);
    (ws, report)
}

/// Pairs and lints the loaded workspace; `diagnostics` are those of loading.
fn lint_workspace(
    input: &CheckInput<'_>,
    ws: &Workspace,
    explicit: &[crate::source::FileId],
    mut diagnostics: Vec<Diagnostic>,
) -> Report {
    let units = crate::pairing::units(ws, explicit);
    let cx = Context {
        roles: input.roles,
        principals: input.principals,
    };
    let per_unit: Vec<Vec<Diagnostic>> = units
        .par_iter()
        .map(|unit| {
            std::panic::catch_unwind(AssertUnwindSafe(|| engine::lint_unit(input.rules, &cx, ws, unit))).unwrap_or_else(
                |_| {
                    vec![Diagnostic::new(
                        "LH000",
                        Severity::Error,
                        "internal error: lhlint crashed while linting this file; please report it with the file",
                        Label::new(Span::new(unit.root, 0, 0), ""),
                    )]
                },
            )
        })
        .collect();
    diagnostics.extend(per_unit.into_iter().flatten());
    diagnostics.retain(|d| d.rule == "LH000" || input.rules.is_active(&d.rule));
    sort_and_dedup(ws, &mut diagnostics);
    Report {
        diagnostics,
        files: ws.len(),
        suppressed: 0,
    }
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
