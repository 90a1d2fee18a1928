//! One `lhlint.toml`: its format (unknown keys rejected) and its validation, with spans.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::pattern::{Pattern, normalize};
use crate::cli::FailOn;
use crate::diagnostic::Severity;

/// The file as written. Paths are relative to the file's directory.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    /// JSON Schema URL for editors; not used by lhlint.
    #[serde(rename = "$schema", default)]
    #[allow(dead_code)]
    schema: Option<String>,
    #[serde(default)]
    pub lint: RawLint,
    /// Principal inventory files (run-wide).
    #[serde(default)]
    pub principals: Vec<Spanned<String>>,
    /// Extra role catalogs (run-wide).
    #[serde(default)]
    pub roles: Vec<Spanned<String>>,
    /// Extra rule directories (run-wide).
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    /// The customers' tenant GUIDs.
    #[serde(default)]
    pub customer_tenants: Vec<Spanned<String>>,
    /// Template → its parameters files.
    #[serde(default)]
    pub pairing: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// The `[lint]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLint {
    #[serde(default)]
    pub select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default)]
    pub per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// A problem in a config file, at a byte range of it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
}

impl Problem {
    fn at<T>(value: &Spanned<T>, message: String, label: &str) -> Problem {
        Problem {
            span: value.span(),
            message,
            label: label.to_string(),
        }
    }
}

/// A loaded, validated config file.
#[derive(Debug)]
pub struct Config {
    /// The path as the user would write it, for messages.
    pub name: String,
    /// The directory its relative paths start from (absolute, normalized).
    pub dir: PathBuf,
    pub text: String,
    pub raw: RawConfig,
    pub exclude: Vec<Pattern>,
    pub per_file_ignores: Vec<(Pattern, Vec<String>)>,
    /// Explicit pairing: (template, parameters files), absolute and normalized.
    pub pairing: Vec<(PathBuf, Vec<PathBuf>)>,
}

impl Config {
    /// Parses and validates `text`, the contents of the config file at `path`.
    pub fn parse(name: String, path: &Path, text: String) -> Result<Config, Vec<Problem>> {
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            vec![Problem {
                span: e.span().unwrap_or(0..0),
                message: format!("invalid configuration: {}", e.message().trim_end()),
                label: String::new(),
            }]
        })?;
        let dir = normalize(path).parent().map(Path::to_path_buf).unwrap_or_default();
        let mut problems = Vec::new();
        let pattern = |p: &Spanned<String>, problems: &mut Vec<Problem>| match Pattern::new(p.get_ref()) {
            Ok(pat) => Some(pat),
            Err(why) => {
                problems.push(Problem::at(
                    p,
                    format!("invalid glob `{}`: {why}", p.get_ref()),
                    "invalid glob",
                ));
                None
            }
        };
        let exclude = raw
            .lint
            .exclude
            .iter()
            .filter_map(|p| pattern(p, &mut problems))
            .collect();
        let per_file_ignores = raw
            .lint
            .per_file_ignores
            .iter()
            .filter_map(|(p, ids)| {
                pattern(p, &mut problems).map(|pat| (pat, ids.iter().map(|i| i.get_ref().clone()).collect()))
            })
            .collect();
        for tenant in &raw.customer_tenants {
            if !crate::engine::checks::is_guid(tenant.get_ref()) {
                problems.push(Problem::at(
                    tenant,
                    format!("customer tenant `{}` is not a GUID", tenant.get_ref()),
                    "expected a tenant id such as 00000000-0000-0000-0000-000000000000",
                ));
            }
        }
        let exists = |p: &Spanned<String>, what: &str, dir_ok: bool, problems: &mut Vec<Problem>| {
            let full = dir.join(p.get_ref());
            let ok = if dir_ok { full.is_dir() } else { full.is_file() };
            if !ok {
                problems.push(Problem::at(
                    p,
                    format!("{what} `{}` does not exist", p.get_ref()),
                    "paths are relative to the directory of this file",
                ));
            }
            normalize(&full)
        };
        for p in &raw.principals {
            exists(p, "principal inventory", false, &mut problems);
        }
        for p in &raw.roles {
            exists(p, "role catalog", false, &mut problems);
        }
        for p in &raw.rules {
            exists(p, "rule directory", true, &mut problems);
        }
        let mut pairing = Vec::new();
        for (template, params) in &raw.pairing {
            let t = exists(template, "template", false, &mut problems);
            let ps = params
                .iter()
                .map(|p| exists(p, "parameters file", false, &mut problems))
                .collect();
            pairing.push((t, ps));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Config {
            name,
            dir,
            text,
            raw,
            exclude,
            per_file_ignores,
            pairing,
        })
    }

    /// Reports rule selections that match no rule (`known` says whether an
    /// entry, an id or a prefix, matches at least one rule).
    pub fn check_rule_ids(&self, known: &dyn Fn(&str) -> bool) -> Vec<Problem> {
        let lint = &self.raw.lint;
        let mut problems = Vec::new();
        let lists = lint
            .select
            .iter()
            .flatten()
            .chain(&lint.extend_select)
            .chain(&lint.ignore)
            .chain(lint.per_file_ignores.values().flatten())
            .chain(lint.severity.keys());
        for entry in lists {
            if !known(entry.get_ref()) {
                problems.push(Problem::at(
                    entry,
                    format!("`{}` matches no rule", entry.get_ref()),
                    "unknown rule id or prefix; `lhlint rules` lists them",
                ));
            }
        }
        problems
    }

    /// Resolves a path written in this file.
    pub fn path(&self, relative: &str) -> PathBuf {
        normalize(&self.dir.join(relative))
    }

    /// Whether `path` (absolute, normalized) is excluded by this config.
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude.iter().any(|p| p.matches(&self.dir, path, false))
    }

    /// The rule ids or prefixes that `per-file-ignores` turns off for `path`.
    pub fn ignored_for(&self, path: &Path) -> impl Iterator<Item = &str> {
        self.per_file_ignores
            .iter()
            .filter(move |(p, _)| p.matches(&self.dir, path, true))
            .flat_map(|(_, ids)| ids.iter().map(String::as_str))
    }

    /// A list setting as plain strings.
    pub fn strings(list: &[Spanned<String>]) -> Vec<String> {
        list.iter().map(|s| s.get_ref().clone()).collect()
    }
}
