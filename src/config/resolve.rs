//! Which config file applies where: the nearest `lhlint.toml` above each
//! file (as ruff finds its config), one file for everything (`--config`), or
//! none (`--isolated`). Configs are read once, when first needed, and every
//! problem in them is kept for one report at the end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::file::{Config, Problem};
use super::pattern::normalize;
use super::{ConfigErrors, FILE_NAME};

/// How configs are found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The nearest `lhlint.toml` above each file.
    Nearest,
    /// This file for every file.
    Explicit(PathBuf),
    /// No config file at all.
    Isolated,
}

/// Finds, loads and caches config files; cheap to clone and shareable across threads.
#[derive(Clone)]
pub struct Resolver {
    inner: Arc<Inner>,
}

struct Inner {
    mode: Mode,
    cwd: PathBuf,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    configs: Vec<Arc<Config>>,
    /// Directory → index of its nearest config.
    by_dir: HashMap<PathBuf, Option<usize>>,
    explicit: Option<usize>,
    errors: ConfigErrors,
    /// Rule ids, once the rules are loaded: configs are then checked against them.
    known: Option<Vec<String>>,
}

impl Resolver {
    pub fn new(mode: Mode) -> Resolver {
        let cwd = normalize(Path::new("."));
        let resolver = Resolver {
            inner: Arc::new(Inner {
                mode: mode.clone(),
                cwd,
                state: Mutex::new(State::default()),
            }),
        };
        if let Mode::Explicit(path) = &mode {
            let mut state = resolver.state();
            let index = resolver.load(&mut state, path);
            state.explicit = index;
        }
        resolver
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `path` made absolute and normalized.
    pub fn normalize(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&self.inner.cwd.join(path))
        }
    }

    /// The config of the run: `--config`, or the nearest one above the current directory.
    pub fn run_config(&self) -> Option<Arc<Config>> {
        let cwd = self.inner.cwd.clone();
        self.for_dir(&cwd)
    }

    /// The config that applies to the file (or directory entry) at `path`.
    pub fn for_path(&self, path: &Path) -> Option<Arc<Config>> {
        let abs = self.normalize(path);
        match abs.parent() {
            Some(dir) => self.for_dir(dir),
            None => self.for_dir(&abs),
        }
    }

    /// The config for files in directory `dir` (absolute, normalized).
    pub fn for_dir(&self, dir: &Path) -> Option<Arc<Config>> {
        let mut state = self.state();
        let index = match &self.inner.mode {
            Mode::Isolated => None,
            Mode::Explicit(_) => state.explicit,
            Mode::Nearest => self.nearest(&mut state, dir),
        };
        index.map(|i| state.configs[i].clone())
    }

    fn nearest(&self, state: &mut State, dir: &Path) -> Option<usize> {
        let mut walked = Vec::new();
        let mut found = None;
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if let Some(&cached) = state.by_dir.get(d) {
                found = cached;
                break;
            }
            walked.push(d.to_path_buf());
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                found = self.load(state, &candidate);
                break;
            }
            cur = d.parent();
        }
        for d in walked {
            state.by_dir.insert(d, found);
        }
        found
    }

    /// Reads and validates one config file; problems are recorded.
    fn load(&self, state: &mut State, path: &Path) -> Option<usize> {
        let name = self.display(path);
        let text = match std::fs::read(path) {
            Ok(bytes) => {
                let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                match String::from_utf8(bytes.to_vec()) {
                    Ok(t) => t,
                    Err(_) => {
                        state
                            .errors
                            .message(format!("cannot read config file {name}: it is not UTF-8"));
                        return None;
                    }
                }
            }
            Err(e) => {
                state.errors.message(format!(
                    "cannot read config file {name}: {}",
                    crate::workspace::io_reason(&e)
                ));
                return None;
            }
        };
        match Config::parse(name.clone(), path, text.clone()) {
            Ok(config) => {
                if let Some(known) = &state.known {
                    let problems = config.check_rule_ids(&|entry| matches_any(known, entry));
                    if !problems.is_empty() {
                        state.errors.add(&name, &text, problems);
                        return None;
                    }
                }
                state.configs.push(Arc::new(config));
                Some(state.configs.len() - 1)
            }
            Err(problems) => {
                state.errors.add(&name, &text, problems);
                None
            }
        }
    }

    /// Sets the rule ids that selections must match, and checks the configs read so far.
    pub fn set_known_rules(&self, ids: Vec<String>) {
        let mut state = self.state();
        let mut problems: Vec<(String, String, Vec<Problem>)> = Vec::new();
        for config in &state.configs {
            let p = config.check_rule_ids(&|entry| matches_any(&ids, entry));
            if !p.is_empty() {
                problems.push((config.name.clone(), config.text.clone(), p));
            }
        }
        for (name, text, p) in problems {
            state.errors.add(&name, &text, p);
        }
        state.known = Some(ids);
    }

    /// The problems found so far, if any (and forgets them).
    pub fn take_errors(&self) -> Option<ConfigErrors> {
        let mut state = self.state();
        if state.errors.diagnostics.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut state.errors))
        }
    }

    /// Every config read so far.
    pub fn configs(&self) -> Vec<Arc<Config>> {
        self.state().configs.clone()
    }

    /// A path for messages: relative to the current directory when below it.
    pub fn display(&self, path: &Path) -> String {
        let abs = self.normalize(path);
        match abs.strip_prefix(&self.inner.cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => crate::workspace::display_path(rel),
            _ => crate::workspace::display_path(&abs),
        }
    }

    /// A path to open: relative to the current directory when below it.
    pub fn relative(&self, abs: &Path) -> PathBuf {
        match abs.strip_prefix(&self.inner.cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
            _ => abs.to_path_buf(),
        }
    }

    /// Whether walking directories should skip `path` (an `exclude` of its config matches).
    pub fn excluded(&self, path: &Path) -> bool {
        let abs = self.normalize(path);
        let config = match abs.parent() {
            Some(dir) => self.for_dir(dir),
            None => None,
        };
        config.is_some_and(|c| c.excludes(&abs))
    }
}

fn matches_any(ids: &[String], entry: &str) -> bool {
    ids.iter().any(|id| crate::rules::selector_matches(entry, id))
}
