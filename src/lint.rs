//! `lhlint check`: discover, read and parse once, pair, lint units in parallel,
//! then apply each file's settings and the inline suppressions.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalog::{Principals, Roles};
use crate::config::{Config, ConfigErrors, Overrides, Resolver, Settings};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::discover::discover;
use crate::engine::{self, checks::Context};
use crate::pairing::Explicit;
use crate::report::{Report, RuleInfo};
use crate::rules::RuleSet;
use crate::source::{FileId, Span};
use crate::suppress::{Suppressions, date::Date};
use crate::workspace::{FileKind, Workspace};

/// What to lint, with which reference data and settings.
pub struct CheckInput<'a> {
    pub paths: Vec<PathBuf>,
    pub roles: &'a Roles,
    pub principals: &'a Principals,
    /// Finds each file's `lhlint.toml`.
    pub resolver: &'a Resolver,
    /// Rule selection from the command line.
    pub overrides: &'a Overrides,
    /// `--customer-tenant`, which wins over the config files.
    pub customer_tenants: Option<Vec<String>>,
    /// Keep suppressed findings in the report (marked).
    pub show_suppressed: bool,
    /// The date expiring suppressions are compared with.
    pub today: Date,
    /// Parameters files to deploy every template with (`--parameters`).
    pub parameters: Vec<PathBuf>,
    /// Compare offer manifests with their versions at this git revision.
    pub against: Option<String>,
}

impl<'a> CheckInput<'a> {
    /// A check of `paths` with the built-in roles and the given inventory,
    /// configs and rule selection; no customer tenants, parameters files or
    /// history, suppressed findings left out, today's date.
    pub fn new(
        paths: Vec<PathBuf>,
        principals: &'a Principals,
        resolver: &'a Resolver,
        overrides: &'a Overrides,
    ) -> Self {
        CheckInput {
            paths,
            roles: Roles::builtin(),
            principals,
            resolver,
            overrides,
            customer_tenants: None,
            show_suppressed: false,
            today: Date::today(),
            parameters: Vec::new(),
            against: None,
        }
    }
}

/// Why a check could not be done.
#[derive(Debug)]
pub enum CheckError {
    /// A named path that does not exist.
    Path(String),
    /// Invalid config files.
    Config(ConfigErrors),
}

/// Lints `input.paths` with `rules` (whose active set is adjusted to the files' configs).
pub fn check(input: &CheckInput<'_>, rules: &mut RuleSet) -> Result<(Workspace, Report), CheckError> {
    let phase = crate::timing::Phase::start("discover");
    let resolver = input.resolver.clone();
    let exclude: crate::discover::Exclude = Arc::new(move |path| resolver.excluded(path));
    let paths = discover(&input.paths, Some(exclude)).map_err(|e| CheckError::Path(e.message))?;
    let phase = phase.next("read+parse");
    let (mut ws, mut diagnostics) = Workspace::load(paths, &input.paths);
    let phase = phase.next("companions");
    for i in &ws.inputs {
        input.resolver.for_path(&i.path);
    }
    let mut explicit = explicit_pairs(input.resolver);
    let named: Vec<PathBuf> = input.paths.iter().filter(|p| !p.is_dir()).cloned().collect();
    let mut extra = crate::pairing::companions(&ws, &explicit, &|p| input.resolver.relative(p), &named);
    if !input.parameters.is_empty() {
        extra.retain(|p| crate::pairing::template_name_for(p).is_none());
        for p in &input.parameters {
            if !p.is_file() {
                return Err(CheckError::Path(format!(
                    "{}: no such parameters file",
                    crate::workspace::display_path(p)
                )));
            }
            if ws.find(p).is_none() && !extra.contains(p) {
                extra.push(p.clone());
            }
        }
    }
    let mut named_files = input.paths.clone();
    named_files.extend(input.parameters.iter().cloned());
    diagnostics.extend(ws.extend(extra, &named_files));
    if !input.parameters.is_empty() {
        let params: Vec<PathBuf> = input
            .parameters
            .iter()
            .map(|p| crate::config::pattern::normalize(p))
            .collect();
        let templates: Vec<PathBuf> = ws
            .inputs
            .iter()
            .filter(|i| i.kind == FileKind::Template)
            .map(|i| crate::config::pattern::normalize(&i.path))
            .collect();
        for t in templates {
            explicit.add(t, &params);
        }
    }
    phase.done();
    let report = lint_workspace(input, rules, &mut ws, &explicit, diagnostics)?;
    Ok((ws, report))
}

/// Lints in-memory files (`(path, content)`) as if read from disk, without
/// touching the file system for them: no discovery, no companions. The entry
/// point for embedding and fuzzing.
pub fn check_text(
    input: &CheckInput<'_>,
    rules: &mut RuleSet,
    files: Vec<(PathBuf, Vec<u8>)>,
) -> Result<(Workspace, Report), CheckError> {
    let (mut ws, diagnostics) = Workspace::from_memory(files);
    let report = lint_workspace(input, rules, &mut ws, &Explicit::default(), diagnostics)?;
    Ok((ws, report))
}

/// Applies the configs, pairs and lints the loaded workspace, then the
/// suppressions; `diagnostics` are those of loading.
fn lint_workspace(
    input: &CheckInput<'_>,
    rules: &mut RuleSet,
    ws_mut: &mut Workspace,
    explicit: &Explicit,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Report, CheckError> {
    let phase = crate::timing::Phase::start("settings+pair");
    let ws: &Workspace = ws_mut;
    let configs: Vec<Option<Arc<Config>>> = ws.inputs.iter().map(|i| input.resolver.for_path(&i.path)).collect();
    if let Some(errors) = input.resolver.take_errors() {
        return Err(CheckError::Config(errors));
    }
    let settings = file_settings(input, rules, ws, &configs);
    let units = crate::pairing::units(ws, explicit);
    let run_tenants = input
        .resolver
        .run_config()
        .map(|c| Config::strings(&c.raw.customer_tenants))
        .unwrap_or_default();
    let phase = phase.next("history");
    // History (`--against`) adds the offers' earlier versions as virtual files.
    let files = ws.len();
    let mut notes = Vec::new();
    let previous = match &input.against {
        Some(revision) => {
            let ids = rules.history_rule_ids();
            if ids.is_empty() {
                Vec::new()
            } else {
                let (previous, n) = crate::history::load(ws_mut, &units, revision, &ids.join(", "));
                notes = n;
                previous
            }
        }
        None => Vec::new(),
    };
    let ws: &Workspace = ws_mut;
    let rules: &RuleSet = rules;
    let phase = phase.next("lint units");
    let plan = crate::engine::crossfile::Plan::new(rules);
    let per_unit: Vec<engine::Linted> = units
        .par_iter()
        .enumerate()
        .map(|(u, unit)| {
            let tenants = customer_tenants(
                input.customer_tenants.as_deref(),
                configs[unit.root].as_deref(),
                &run_tenants,
            );
            let cx = Context {
                roles: input.roles,
                principals: input.principals,
                customer_tenants: &tenants,
            };
            let plan = plan.as_ref().map(|p| (p, u));
            std::panic::catch_unwind(AssertUnwindSafe(|| engine::lint_unit(rules, &cx, ws, unit, plan))).unwrap_or_else(
                |_| engine::Linted {
                    diagnostics: vec![Diagnostic::new(
                        "LH000",
                        Severity::Error,
                        "internal error: lhlint crashed while linting this file; please report it with the file",
                        Label::new(Span::new(unit.root, 0, 0), ""),
                    )],
                    records: Default::default(),
                },
            )
        })
        .collect();
    let mut records = Vec::with_capacity(per_unit.len());
    for linted in per_unit {
        diagnostics.extend(linted.diagnostics);
        records.push(linted.records);
    }
    let cx = Context {
        roles: input.roles,
        principals: input.principals,
        customer_tenants: &run_tenants,
    };
    let phase = phase.next("cross-file");
    let across = std::panic::catch_unwind(AssertUnwindSafe(|| match &plan {
        Some(plan) => plan.run(&cx, ws, &units, &previous, records),
        None => Vec::new(),
    }));
    match across {
        Ok(found) => diagnostics.extend(found),
        Err(_) => notes.push("internal error: lhlint crashed in the cross-file checks; please report it".into()),
    }
    let active = |file: FileId, rule: &str| match rules.index_of(rule) {
        Some(i) => rule == "LH000" || settings.get(file).is_none_or(|s| s.active[i]),
        None => true,
    };
    let phase = phase.next("sort+suppress");
    diagnostics.retain(|d| active(d.primary.span.file, &d.rule));
    sort_and_dedup(ws, &mut diagnostics);

    let mut suppressions = Suppressions::collect(ws, input.today);
    let (mut diagnostics, suppressed) = suppressions.apply(&ws.sources, diagnostics);
    // Unused suppressions are judged where rules run: in linted files, for active rules.
    let judged = |file: FileId, rule: &str| {
        matches!(
            ws.kind(file),
            FileKind::Template | FileKind::Parameters | FileKind::Offer
        ) && active(file, rule)
    };
    let meta = suppressions.diagnostics(rules, &judged);
    diagnostics.extend(meta.into_iter().filter(|d| active(d.primary.span.file, &d.rule)));
    let suppressed_count = suppressed.len();
    if input.show_suppressed {
        diagnostics.extend(suppressed);
    }
    for d in &mut diagnostics {
        if let Some(s) = rules
            .index_of(&d.rule)
            .and_then(|i| settings.get(d.primary.span.file).and_then(|s| s.severity[i]))
        {
            d.severity = s;
        }
    }
    sort_and_dedup(ws, &mut diagnostics);
    let mut rule_infos: Vec<RuleInfo> = rules
        .rules
        .iter()
        .zip(&rules.active)
        .filter(|(r, active)| **active || r.id == "LH000")
        .map(|(r, _)| RuleInfo::from(r))
        .collect();
    rule_infos.sort_by(|a, b| a.id.cmp(&b.id));
    phase.done();
    let report = Report {
        diagnostics,
        files,
        suppressed: suppressed_count,
        baseline: None,
        rules: rule_infos,
        fail_on: Some(Severity::Error),
        notes,
    };
    Ok(report)
}

/// The customer tenants for a unit: `--customer-tenant`, else those of the
/// root file's nearest config, else those of the run's config.
fn customer_tenants(cli: Option<&[String]>, nearest: Option<&Config>, run: &[String]) -> Vec<String> {
    match (cli, nearest) {
        (Some(cli), _) => cli.to_vec(),
        (None, Some(c)) if !c.raw.customer_tenants.is_empty() => Config::strings(&c.raw.customer_tenants),
        _ => run.to_vec(),
    }
}

/// The `[pairing]` entries of every config read.
fn explicit_pairs(resolver: &Resolver) -> Explicit {
    let mut explicit = Explicit::default();
    for config in resolver.configs() {
        for (template, params) in &config.pairing {
            explicit.add(template.clone(), params);
        }
    }
    explicit
}

/// Each file's settings; activates in `rules` every rule that runs for some file.
fn file_settings(
    input: &CheckInput<'_>,
    rules: &mut RuleSet,
    ws: &Workspace,
    configs: &[Option<Arc<Config>>],
) -> Vec<Arc<Settings>> {
    let ids = rules.ids();
    let mut by_config: HashMap<*const Config, Arc<Settings>> = HashMap::new();
    let base = Arc::new(Settings::new(&ids, None, input.overrides));
    let mut union = vec![false; ids.len()];
    let mut out = Vec::with_capacity(ws.len());
    let mut distinct: Vec<Arc<Settings>> = Vec::new();
    for (file, config) in configs.iter().enumerate() {
        let settings = match config {
            None => base.clone(),
            Some(c) => by_config
                .entry(Arc::as_ptr(c))
                .or_insert_with(|| Arc::new(Settings::new(&ids, Some(c), input.overrides)))
                .clone(),
        };
        if !distinct.iter().any(|d| Arc::ptr_eq(d, &settings)) {
            distinct.push(settings.clone());
        }
        let settings = match config {
            Some(c) => match settings.for_file(&ids, c, &input.resolver.normalize(&ws.inputs[file].path)) {
                Some(own) => Arc::new(own),
                None => settings,
            },
            None => settings,
        };
        out.push(settings);
    }
    if distinct.is_empty() {
        distinct.push(base);
    }
    for settings in &distinct {
        for (u, a) in union.iter_mut().zip(&settings.active) {
            *u |= *a;
        }
    }
    rules.activate(union);
    out
}

/// Orders diagnostics by file path, position and rule, and drops exact repeats
/// (a template linted once per parameters file repeats its own findings).
fn sort_and_dedup(ws: &Workspace, diagnostics: &mut Vec<Diagnostic>) {
    // Files by the rank of their name, computed once, rather than comparing
    // names at every step of sorting (a large run has 200,000 findings).
    let mut by_name: Vec<FileId> = (0..ws.sources.files.len()).collect();
    by_name.sort_by(|&a, &b| ws.sources.get(a).name.cmp(&ws.sources.get(b).name));
    let mut rank = vec![0usize; by_name.len()];
    for (r, &file) in by_name.iter().enumerate() {
        rank[file] = r;
    }
    let rank_of = |d: &Diagnostic| rank.get(d.primary.span.file).copied().unwrap_or(usize::MAX);
    diagnostics.sort_by(|a, b| {
        // Of two repeats, the one with more context (related places) comes first and stays.
        (
            rank_of(a),
            a.primary.span.start,
            a.primary.span.end,
            &a.rule,
            &a.message,
            std::cmp::Reverse(a.related.len()),
        )
            .cmp(&(
                rank_of(b),
                b.primary.span.start,
                b.primary.span.end,
                &b.rule,
                &b.message,
                std::cmp::Reverse(b.related.len()),
            ))
    });
    diagnostics.dedup_by(|later, first| {
        later.rule == first.rule && later.primary.span == first.primary.span && later.message == first.message
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_tenants_precedence() {
        let t = |s: &str| s.to_string();
        let config =
            |text: &str| Config::parse("lhlint.toml".into(), std::path::Path::new("lhlint.toml"), text.into()).unwrap();
        let nearest = config("customer-tenants = [\"11111111-1111-1111-1111-111111111111\"]\n");
        let silent = config("");
        let run = vec![t("22222222-2222-2222-2222-222222222222")];
        let cli = vec![t("33333333-3333-3333-3333-333333333333")];
        assert_eq!(customer_tenants(Some(&cli), Some(&nearest), &run), cli);
        assert_eq!(
            customer_tenants(None, Some(&nearest), &run),
            [t("11111111-1111-1111-1111-111111111111")]
        );
        assert_eq!(customer_tenants(None, Some(&silent), &run), run);
        assert_eq!(customer_tenants(None, None, &run), run);
    }
}
