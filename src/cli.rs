//! Command-line arguments. Each flag's doc comment is its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

/// A policy linter for Azure Lighthouse onboarding templates and Managed Service offers.
#[derive(Debug, Parser)]
#[command(name = "lhlint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint templates, parameters files and offer manifests.
    Check(CheckArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print the documentation of one rule.
    Rule {
        /// A rule id, such as LH049.
        id: String,
    },
}

/// Options of `lhlint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to lint. Directories are walked recursively,
    /// honouring .gitignore; named files are always linted.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Run only these rules: comma-separated ids or prefixes (LH04, MS).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,

    /// Skip these rules: comma-separated ids or prefixes.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,

    /// Load extra rule files (*.jsonc) from DIR; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Principal inventory: `[{"id": …, "type": "user"|"group"|"servicePrincipal"}]`
    /// or the output of `az ad user list`, `az ad group list`, `az ad sp list`; repeatable.
    #[arg(long, value_name = "FILE")]
    pub principals: Vec<PathBuf>,

    /// When to use colours in the human format (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Compare each offer manifest with its version at git revision REV
    /// (`git show REV:path`): plan visibility, manifest versions, plan ids, tenants.
    #[arg(long, value_name = "REV", value_parser = parse_revision)]
    pub against: Option<String>,

    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,
}

/// Options of `lhlint rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `human` for a table, `json` for machines.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// Also list the rules found in DIR; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// A git revision; not empty and not an option.
fn parse_revision(s: &str) -> Result<String, String> {
    if s.is_empty() || s.starts_with('-') || s.chars().any(|c| c.is_control()) {
        Err("expected a git revision such as HEAD~1 or origin/main".into())
    } else {
        Ok(s.to_string())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// Lowest severity that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> CheckArgs {
        match Cli::try_parse_from(std::iter::once("lhlint").chain(args.iter().copied()))
            .unwrap()
            .command
        {
            Command::Check(c) => c,
            other => panic!("not check: {other:?}"),
        }
    }

    #[test]
    fn check_defaults() {
        let c = parse(&["check"]);
        assert_eq!(c.paths, vec![PathBuf::from(".")]);
        assert_eq!(c.format, Format::Human);
        assert_eq!(c.fail_on, FailOn::Error);
    }

    #[test]
    fn select_is_comma_separated_and_repeatable() {
        let c = parse(&["check", "--select", "LH04,MS001", "--select", "LH031", "x.json"]);
        assert_eq!(c.select, vec!["LH04", "MS001", "LH031"]);
        assert_eq!(c.paths, vec![PathBuf::from("x.json")]);
    }

    #[test]
    fn rejects_unknown_format() {
        assert!(Cli::try_parse_from(["lhlint", "check", "--format", "xml"]).is_err());
    }
}
