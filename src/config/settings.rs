//! Which rules run, and at which severity, for the files under one config.
//!
//! Selection follows ruff: each level (the config file, then the command
//! line) starts from the previous level's result unless it has its own
//! `select`; `extend-select` adds, `ignore` removes, and within a level the
//! more specific entry wins (`select = ["LH04"]` with `ignore = ["LH0"]`
//! keeps LH04x; an equally specific ignore wins).

use std::path::Path;

use super::Config;
use crate::diagnostic::Severity;
use crate::rules::selector_matches;

/// Rule selection given on the command line.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--select`, when given.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The rules that run and their severities, by rule index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub active: Vec<bool>,
    /// Severity overrides from `[lint.severity]`.
    pub severity: Vec<Option<Severity>>,
}

struct Level<'a> {
    select: Option<&'a [String]>,
    extend_select: &'a [String],
    ignore: &'a [String],
}

impl Settings {
    /// The settings for the files of `config` (or of no config), with `cli` applied.
    pub fn new(ids: &[String], config: Option<&Config>, cli: &Overrides) -> Settings {
        let from_config = config.map(|c| {
            let lint = &c.raw.lint;
            (
                lint.select.as_ref().map(|s| Config::strings(s)),
                Config::strings(&lint.extend_select),
                Config::strings(&lint.ignore),
            )
        });
        let mut levels = Vec::new();
        if let Some((select, extend, ignore)) = &from_config {
            levels.push(Level {
                select: select.as_deref(),
                extend_select: extend,
                ignore,
            });
        }
        levels.push(Level {
            select: cli.select.as_deref(),
            extend_select: &cli.extend_select,
            ignore: &cli.ignore,
        });
        let active = ids
            .iter()
            .map(|id| levels.iter().fold(true, |prev, level| decide(id, level, prev)))
            .collect();
        let severity = ids
            .iter()
            .map(|id| {
                let table = config.map(|c| &c.raw.lint.severity)?;
                table
                    .iter()
                    .filter(|(k, _)| selector_matches(k.get_ref(), id))
                    .max_by_key(|(k, _)| specificity(k.get_ref()))
                    .map(|(_, v)| *v)
            })
            .collect();
        Settings { active, severity }
    }

    /// These settings minus the `per-file-ignores` of `config` that match `path`;
    /// `None` when none match.
    pub fn for_file(&self, ids: &[String], config: &Config, path: &Path) -> Option<Settings> {
        let ignored: Vec<&str> = config.ignored_for(path).collect();
        if ignored.is_empty() {
            return None;
        }
        let mut out = self.clone();
        for (i, id) in ids.iter().enumerate() {
            if ignored.iter().any(|e| selector_matches(e, id)) {
                out.active[i] = false;
            }
        }
        Some(out)
    }
}

fn decide(id: &str, level: &Level<'_>, prev: bool) -> bool {
    let best = |list: &[String]| {
        list.iter()
            .filter(|e| selector_matches(e, id))
            .map(|e| specificity(e))
            .max()
    };
    let selected = best(level.select.unwrap_or(&[])).max(best(level.extend_select));
    let ignored = best(level.ignore);
    match (selected, ignored) {
        (Some(s), Some(i)) => s > i,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => level.select.is_none() && prev,
    }
}

/// How specific a selection entry is: `ALL` least, then by length.
fn specificity(entry: &str) -> usize {
    let entry = entry.trim();
    if entry.eq_ignore_ascii_case("ALL") {
        0
    } else {
        entry.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        ["LH031", "LH042", "LH049", "MS001"].map(String::from).to_vec()
    }

    fn cli(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> Overrides {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Overrides {
            select: select.map(v),
            extend_select: v(extend),
            ignore: v(ignore),
        }
    }

    #[test]
    fn cli_levels_follow_ruff() {
        let s = Settings::new(&ids(), None, &cli(None, &[], &[]));
        assert_eq!(s.active, [true, true, true, true]);
        let s = Settings::new(&ids(), None, &cli(Some(&["LH04"]), &[], &["LH049"]));
        assert_eq!(s.active, [false, true, false, false]);
        let s = Settings::new(&ids(), None, &cli(Some(&["LH049"]), &[], &["LH0"]));
        assert_eq!(s.active, [false, false, true, false], "more specific select wins");
        let s = Settings::new(&ids(), None, &cli(Some(&["MS"]), &["LH031"], &[]));
        assert_eq!(s.active, [true, false, false, true]);
        let s = Settings::new(&ids(), None, &cli(Some(&["ALL"]), &[], &["LH"]));
        assert_eq!(s.active, [false, false, false, true]);
    }
}
