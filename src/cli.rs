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
    Check(Box<CheckArgs>),
    /// List every rule.
    Rules(RulesArgs),
    /// Print the documentation of one rule.
    Rule {
        /// A rule id, such as LH049.
        id: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a shell completion script: `lhlint completions bash > ~/.local/share/bash-completion/completions/lhlint`.
    Completions {
        /// The shell (bash, zsh, fish, elvish or powershell).
        shell: clap_complete::Shell,
    },
}

impl Cli {
    /// Whether one thread suffices for the run `args` asks for: `check` of a
    /// few files named on the command line (what a pre-commit hook runs), where
    /// starting and waking a second thread costs more than it saves, as in
    /// ripgrep for one file. Anything else gets every core.
    pub fn one_thread_suffices(&self) -> bool {
        /// At most this many named files.
        const FEW: usize = 4;
        match &self.command {
            Command::Check(check) => {
                check.paths.len() <= FEW
                    && check
                        .paths
                        .iter()
                        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
            }
            _ => false,
        }
    }
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

    /// Lowest severity that makes the exit status 1 [default: error, or `fail-on` of lhlint.toml].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Run only these rules: comma-separated ids or prefixes (LH04, MS); replaces `select` of lhlint.toml.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Option<Vec<String>>,

    /// Also run these rules: comma-separated ids or prefixes.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub extend_select: Vec<String>,

    /// Skip these rules: comma-separated ids or prefixes.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Principal inventory: `[{"id": …, "type": "user"|"group"|"servicePrincipal"}]`
    /// or the output of `az ad user list`, `az ad group list`, `az ad sp list`; repeatable.
    #[arg(long, value_name = "FILE")]
    pub principals: Vec<PathBuf>,

    /// Deploy every template of the run with this parameters file (instead of
    /// pairing by name); repeatable: each template is linted once per file.
    #[arg(long, value_name = "FILE")]
    pub parameters: Vec<PathBuf>,
    /// Extra role definitions (custom roles, or a newer catalog): lhlint's
    /// `data/builtin-roles.json` format or `az role definition list` output; repeatable.
    #[arg(long, value_name = "FILE")]
    pub roles: Vec<PathBuf>,

    /// The tenant id of a customer (comma-separated or repeatable); replaces `customer-tenants` of lhlint.toml.
    #[arg(long, value_delimiter = ',', value_name = "GUID")]
    pub customer_tenant: Option<Vec<String>>,

    /// Also list the findings that inline suppressions hide, marked as suppressed.
    #[arg(long)]
    pub show_suppressed: bool,

    /// Report only the findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file (the exit status is then 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// When to use colours in the human format (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Compare each offer manifest with its version at git revision REV
    /// (`git show REV:path`): plan visibility, manifest versions, plan ids, tenants.
    #[arg(long, value_name = "REV", value_parser = parse_revision)]
    pub against: Option<String>,

    /// Number of threads (default: one per core; one when only a few files are named).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,
}

/// Options of `lhlint rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `human` for a table, `json` for machines.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Where the config and the extra rules come from; shared by `check`, `rules`
/// and `rule`, so that all three see the same rules.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this config file for every file, instead of the nearest lhlint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every lhlint.toml.
    #[arg(long)]
    pub isolated: bool,

    /// Load extra rule files (*.jsonc) from DIR, instead of `rules` of lhlint.toml; repeatable.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
            Command::Check(c) => *c,
            other => panic!("not check: {other:?}"),
        }
    }

    #[test]
    fn a_few_named_files_run_on_one_thread() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let file = format!("{dir}/Cargo.toml");
        let suffices = |args: &[&str]| {
            Cli::try_parse_from(std::iter::once("lhlint").chain(args.iter().copied()))
                .expect("valid arguments")
                .one_thread_suffices()
        };
        assert!(suffices(&["check", &file, "--format", "json"]));
        assert!(suffices(&["check", &file, &file, &file, &file]));
        assert!(
            !suffices(&["check", &file, &file, &file, &file, &file]),
            "more than a few"
        );
        assert!(!suffices(&["check", dir]), "a directory is walked");
        assert!(!suffices(&["check"]), "the current directory");
        assert!(!suffices(&["check", &file, dir]));
        assert!(!suffices(&["check", "no/such/file.json"]));
        assert!(!suffices(&["rules"]));
    }

    #[test]
    fn check_defaults() {
        let c = parse(&["check"]);
        assert_eq!(c.paths, vec![PathBuf::from(".")]);
        assert_eq!(c.format, Format::Human);
        assert_eq!(c.fail_on, None);
        assert_eq!(c.select, None);
        assert!(!c.config.isolated);
    }

    #[test]
    fn select_is_comma_separated_and_repeatable() {
        let c = parse(&["check", "--select", "LH04,MS001", "--select", "LH031", "x.json"]);
        assert_eq!(c.select.unwrap(), vec!["LH04", "MS001", "LH031"]);
        assert_eq!(c.paths, vec![PathBuf::from("x.json")]);
    }

    #[test]
    fn config_and_isolated_conflict() {
        for command in ["check", "rules"] {
            assert!(Cli::try_parse_from(["lhlint", command, "--config", "a.toml", "--isolated"]).is_err());
        }
    }

    #[test]
    fn completions_take_a_shell() {
        let cli = Cli::try_parse_from(["lhlint", "completions", "zsh"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Completions {
                shell: clap_complete::Shell::Zsh
            }
        ));
        assert!(Cli::try_parse_from(["lhlint", "completions", "cmd"]).is_err());
    }

    #[test]
    fn rejects_unknown_format() {
        assert!(Cli::try_parse_from(["lhlint", "check", "--format", "xml"]).is_err());
    }
}
