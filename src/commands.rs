//! The subcommands: argument handling, running, printing, exit status.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};

use clap::{CommandFactory, Parser};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::baseline::Baseline;
use crate::catalog::{Principals, Roles};
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, ConfigArgs, FailOn, ListFormat, RulesArgs};
use crate::config::{Config, ConfigErrors, Mode, Overrides, Resolver};
use crate::diagnostic::Severity;
use crate::lint::{CheckError, CheckInput, check};
use crate::report;
use crate::rules::{self, LoadError, RuleSet};
use crate::suppress::date::Date;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Success,
    /// At least one diagnostic at or above `--fail-on`.
    Failure,
    /// The run could not be done as asked (arguments, rule files, paths).
    Error,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(s: ExitStatus) -> Self {
        std::process::ExitCode::from(match s {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        })
    }
}

/// Runs lhlint with `args` (including the program name).
pub fn run(args: Vec<OsString>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    run_parsed(Cli::try_parse_from(args), stdout, stderr)
}

/// Runs lhlint with arguments already parsed (or the error of parsing them,
/// which it reports as [`run`] would).
pub fn run_parsed(parsed: Result<Cli, clap::Error>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Success
            };
            let text = if e.use_stderr() {
                e.render().to_string()
            } else {
                e.to_string()
            };
            let _ = if e.use_stderr() {
                stderr.write_all(text.as_bytes())
            } else {
                stdout.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(args) => run_check(*args, stdout, stderr),
        Command::Rules(args) => run_rules(args, stdout, stderr),
        Command::Rule { id, config } => run_rule(&id, &config, stdout, stderr),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "lhlint", stdout);
            Ok(ExitStatus::Success)
        }
    };
    match result {
        Ok(status) => status,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(e) => {
            let _ = writeln!(stderr, "lhlint: error: {e}");
            ExitStatus::Error
        }
    }
}

fn run_check(args: CheckArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<ExitStatus> {
    let phase = crate::timing::Phase::start("setup");
    let (resolver, run_config) = match resolve_config(&args.config) {
        Ok(resolved) => resolved,
        Err(errors) => return config_errors(&errors, stderr),
    };
    let from_config = |list: ConfigList| config_paths(&resolver, run_config.as_deref(), list);
    let rule_dirs = rule_dirs(&args.config, &resolver, run_config.as_deref());
    let cli_select = args.select.clone().unwrap_or_default();
    let named: Vec<String> = cli_select.iter().chain(&args.extend_select).cloned().collect();
    let phase = phase.next("load rules");
    // The built-in patterns get ready on the other core as the loader meets
    // them (with one thread, each when first used). The rules load on this
    // thread: its heap grows by `brk` with glibc's padding, where a pool
    // thread's arena grows a page at a time (250 `mprotect` calls).
    let loaded = if rayon::current_num_threads() > 1 {
        rules::load_warming_patterns(&rule_dirs, &named, &args.ignore)
    } else {
        rules::load(&rule_dirs, &named, &args.ignore)
    };
    let Some(mut rules) = report_load(loaded, &named, &args.ignore, stderr)? else {
        return Ok(ExitStatus::Error);
    };
    let phase = phase.next("other inputs");
    resolver.set_known_rules(rules.ids());
    if let Some(errors) = resolver.take_errors() {
        return config_errors(&errors, stderr);
    }
    let principal_files = if args.principals.is_empty() {
        from_config(|c| &c.raw.principals)
    } else {
        args.principals.clone()
    };
    let mut principals = Principals::default();
    for path in &principal_files {
        let loaded = crate::read::read_bounded(path, None)
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "the file is not valid UTF-8".to_string()))
            .and_then(|text| principals.add_json(&text));
        if let Err(reason) = loaded {
            return usage_error(stderr, "principal inventory", path, &reason);
        }
    }
    let role_files = if args.roles.is_empty() {
        from_config(|c| &c.raw.roles)
    } else {
        args.roles.clone()
    };
    let mut extra_roles = None;
    for path in &role_files {
        let roles = extra_roles.get_or_insert_with(|| Roles::builtin().clone());
        let loaded = read_text(path).and_then(|text| roles.add_json(&text));
        if let Err(reason) = loaded {
            return usage_error(stderr, "role catalog", path, &reason);
        }
    }
    if let Some(bad) = args
        .customer_tenant
        .iter()
        .flatten()
        .find(|t| !crate::engine::checks::is_guid(t))
    {
        writeln!(
            stderr,
            "lhlint: error: --customer-tenant `{}` is not a GUID",
            report::sanitize(bad)
        )?;
        return Ok(ExitStatus::Error);
    }
    let baseline = match &args.baseline {
        Some(path) => match Baseline::read(path) {
            Ok(b) => Some(b),
            Err(reason) => return usage_error(stderr, "baseline", path, &reason),
        },
        None => None,
    };
    let overrides = Overrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    let input = CheckInput {
        paths: args.paths.clone(),
        roles: extra_roles.as_ref().unwrap_or_else(|| Roles::builtin()),
        principals: &principals,
        resolver: &resolver,
        overrides: &overrides,
        customer_tenants: args.customer_tenant.clone(),
        show_suppressed: args.show_suppressed,
        today: Date::today(),
        parameters: args.parameters.clone(),
        against: args.against.clone(),
    };
    phase.done();
    let result = match args.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.get())
            .stack_size(16 << 20)
            .build()
        {
            Ok(pool) => pool.install(|| check(&input, &mut rules)),
            Err(e) => return Err(io::Error::other(e)),
        },
        None => check(&input, &mut rules),
    };
    let (ws, mut report) = match result {
        Ok(r) => r,
        Err(CheckError::Config(errors)) => return config_errors(&errors, stderr),
        Err(CheckError::Path(message)) => {
            writeln!(stderr, "lhlint: error: {}", report::sanitize(&message))?;
            writeln!(
                stderr,
                "  = help: check the path; `lhlint check` takes files and directories"
            )?;
            return Ok(ExitStatus::Error);
        }
    };
    if let Some(path) = &args.write_baseline {
        let written = Baseline::of(&ws, &report.diagnostics, &base_dir(&resolver, path));
        if let Err(e) = written.write(path) {
            return usage_error(stderr, "baseline", path, &crate::workspace::io_reason(&e));
        }
    }
    if let (Some(b), Some(path)) = (&baseline, &args.baseline) {
        report.baseline = Some(b.filter(&ws, &mut report.diagnostics, &base_dir(&resolver, path)));
    }
    let fail_on = args
        .fail_on
        .or_else(|| run_config.as_ref().and_then(|c| c.raw.lint.fail_on))
        .unwrap_or(FailOn::Error);
    report.fail_on = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    for note in &report.notes {
        writeln!(stderr, "lhlint: note: {}", report::sanitize(note))?;
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && io::stdout().is_terminal()
        }
    };
    match &args.output {
        Some(path) if is_input(&ws, path) => {
            writeln!(
                stderr,
                "lhlint: error: --output {} is one of the linted files; lhlint does not overwrite its inputs",
                report::sanitize(&crate::workspace::display_path(path))
            )?;
            return Ok(ExitStatus::Error);
        }
        Some(path) => {
            let phase = crate::timing::Phase::start("report");
            let written = std::fs::File::create(path).and_then(|file| {
                let mut out = io::BufWriter::with_capacity(1 << 16, file);
                report::write(&report, &ws.sources, args.format, false, &mut out)?;
                out.flush()
            });
            phase.done();
            if let Err(e) = written {
                writeln!(
                    stderr,
                    "lhlint: error: cannot write {}: {}",
                    report::sanitize(&crate::workspace::display_path(path)),
                    crate::workspace::io_reason(&e)
                )?;
                return Ok(ExitStatus::Error);
            }
        }
        None => {
            let mut out = io::BufWriter::new(stdout);
            report::write(&report, &ws.sources, args.format, color, &mut out)?;
            out.flush()?;
        }
    }
    if let Some(path) = &args.write_baseline {
        let count = report.reported().count();
        writeln!(
            stderr,
            "lhlint: wrote {} with {count} finding{}",
            crate::workspace::display_path(path),
            if count == 1 { "" } else { "s" }
        )?;
        return Ok(ExitStatus::Success);
    }
    let failed = report.reported().any(|d| report.fails(d));
    // Freeing every source, document and finding one by one takes a tenth of
    // a large run: a thread does it while the process ends (in-process callers
    // such as the tests get the memory back).
    std::thread::spawn(move || drop((ws, report, rules)));
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The resolver `args` ask for and the run's config (the one that applies
/// to the working directory), or the errors of reading it.
fn resolve_config(args: &ConfigArgs) -> Result<(Resolver, Option<Arc<Config>>), ConfigErrors> {
    let mode = match (&args.config, args.isolated) {
        (_, true) => Mode::Isolated,
        (Some(file), false) => Mode::Explicit(file.clone()),
        (None, false) => Mode::Nearest,
    };
    let resolver = Resolver::new(mode);
    let run_config = resolver.run_config();
    match resolver.take_errors() {
        Some(errors) => Err(errors),
        None => Ok((resolver, run_config)),
    }
}

/// A list of paths in lhlint.toml.
type ConfigList = fn(&Config) -> &[toml::Spanned<String>];

/// The paths of `list` in the run's config, relative to the working directory.
fn config_paths(resolver: &Resolver, run_config: Option<&Config>, list: ConfigList) -> Vec<PathBuf> {
    run_config
        .map(|c| {
            list(c)
                .iter()
                .map(|p| resolver.relative(&c.path(p.get_ref())))
                .collect()
        })
        .unwrap_or_default()
}

/// The extra rule directories: `--rules`, else `rules` of the run's config.
fn rule_dirs(args: &ConfigArgs, resolver: &Resolver, run_config: Option<&Config>) -> Vec<PathBuf> {
    if args.rule_dirs.is_empty() {
        config_paths(resolver, run_config, |c| &c.raw.rules)
    } else {
        args.rule_dirs.clone()
    }
}

/// Loads the rules `check` would run with `args` (built-in and extra), or
/// prints why they could not be loaded.
fn load_configured_rules(args: &ConfigArgs, stderr: &mut dyn Write) -> io::Result<Option<RuleSet>> {
    let (resolver, run_config) = match resolve_config(args) {
        Ok(resolved) => resolved,
        Err(errors) => {
            config_errors(&errors, stderr)?;
            return Ok(None);
        }
    };
    let dirs = rule_dirs(args, &resolver, run_config.as_deref());
    report_load(rules::load(&dirs, &[], &[]), &[], &[], stderr)
}

/// The directory a baseline file's paths are relative to.
fn base_dir(resolver: &Resolver, path: &Path) -> PathBuf {
    let abs = resolver.normalize(path);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| crate::workspace::io_reason(&e))
}

/// Reports an unusable input file named by an option or the config (exit status 2).
fn usage_error(stderr: &mut dyn Write, what: &str, path: &Path, reason: &str) -> io::Result<ExitStatus> {
    writeln!(
        stderr,
        "lhlint: error: cannot use {what} {}: {}",
        crate::workspace::display_path(path),
        report::sanitize(reason)
    )?;
    Ok(ExitStatus::Error)
}

/// Prints spanned config errors (exit status 2).
fn config_errors(errors: &ConfigErrors, stderr: &mut dyn Write) -> io::Result<ExitStatus> {
    let mut buffer = codespan_reporting::term::termcolor::Buffer::no_color();
    report::render_human(&errors.diagnostics, &errors.sources, &mut buffer)?;
    stderr.write_all(buffer.as_slice())?;
    writeln!(
        stderr,
        "lhlint: error: invalid configuration ({} problem{})",
        errors.diagnostics.len(),
        if errors.diagnostics.len() == 1 { "" } else { "s" }
    )?;
    Ok(ExitStatus::Error)
}

/// Whether `path` names an existing file that the run read (through any
/// link, hard or symbolic): one `stat` per input, none when `path` is new.
#[cfg(unix)]
fn is_input(ws: &crate::workspace::Workspace, path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(target) = std::fs::metadata(path) else {
        return false;
    };
    ws.inputs
        .iter()
        .any(|i| std::fs::metadata(&i.path).is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino()))
}

/// Whether `path` names an existing file that the run read (through any link).
#[cfg(not(unix))]
fn is_input(ws: &crate::workspace::Workspace, path: &std::path::Path) -> bool {
    let Ok(target) = std::fs::canonicalize(path) else {
        return false;
    };
    ws.inputs
        .iter()
        .any(|i| std::fs::canonicalize(&i.path).is_ok_and(|p| p == target))
}

/// The loaded rules, or `None` after saying on `stderr` why they could not be
/// loaded or which `select`/`ignore` entry matches no rule.
fn report_load(
    loaded: Result<RuleSet, LoadError>,
    select: &[String],
    ignore: &[String],
    stderr: &mut dyn Write,
) -> io::Result<Option<RuleSet>> {
    match loaded {
        Ok(r) => {
            for entry in select.iter().chain(ignore) {
                if !r.rules.iter().any(|rule| rules::selector_matches(entry, &rule.id)) {
                    writeln!(
                        stderr,
                        "lhlint: error: `{}` matches no rule; `lhlint rules` lists them",
                        report::sanitize(entry)
                    )?;
                    return Ok(None);
                }
            }
            Ok(Some(r))
        }
        Err(LoadError { sources, diagnostics }) => {
            let mut buffer = codespan_reporting::term::termcolor::Buffer::no_color();
            report::render_human(&diagnostics, &sources, &mut buffer)?;
            stderr.write_all(buffer.as_slice())?;
            let count = diagnostics.len();
            writeln!(
                stderr,
                "lhlint: error: could not load the rules ({count} problem{})",
                if count == 1 { "" } else { "s" }
            )?;
            Ok(None)
        }
    }
}

fn run_rules(args: RulesArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<ExitStatus> {
    let Some(set) = load_configured_rules(&args.config, stderr)? else {
        return Ok(ExitStatus::Error);
    };
    let mut rules: Vec<_> = set.rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "name": r.name,
                        "severity": r.max_severity(),
                        "summary": r.summary,
                        "appliesTo": r.applies_to.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            report::write_safe_json(&mut *stdout, &list)?;
            writeln!(stdout)?;
        }
        ListFormat::Human => {
            let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in rules {
                // User rules come from the repository: their text is input.
                writeln!(
                    stdout,
                    "{}  {:<7}  {:<width$}  {}",
                    r.id,
                    r.max_severity().as_str(),
                    r.name,
                    report::sanitize(&r.summary)
                )?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn run_rule(id: &str, config: &ConfigArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> io::Result<ExitStatus> {
    let Some(set) = load_configured_rules(config, stderr)? else {
        return Ok(ExitStatus::Error);
    };
    let Some(rule) = set.get(id) else {
        writeln!(
            stderr,
            "lhlint: error: unknown rule `{}`; `lhlint rules` lists them",
            report::sanitize(id)
        )?;
        return Ok(ExitStatus::Error);
    };
    writeln!(stdout, "# {} ({})", rule.id, rule.name)?;
    writeln!(stdout)?;
    writeln!(
        stdout,
        "Severity: {}. Applies to: {}.",
        rule.max_severity(),
        kinds(rule)
    )?;
    writeln!(stdout)?;
    writeln!(stdout, "{}", report::sanitize(&rule.summary))?;
    if let Some(docs) = &rule.docs {
        writeln!(stdout)?;
        write!(stdout, "{}", report::sanitize_text(docs.trim_end()))?;
        writeln!(stdout)?;
    }
    Ok(ExitStatus::Success)
}

fn kinds(rule: &crate::rules::Rule) -> String {
    if rule.given.is_empty() && rule.workspace.is_empty() {
        return "every input file".into();
    }
    rule.applies_to
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
