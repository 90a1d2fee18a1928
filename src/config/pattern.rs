//! Glob patterns of a config file (`exclude`, `per-file-ignores`), relative to its directory.
//!
//! As in ruff: a pattern without `/` matches a file or directory name anywhere
//! below the config's directory (`legacy`, `*.test.json`); a pattern with `/`
//! matches the path relative to that directory (`customers/*/old.json`,
//! `archive/**`). `*` does not cross `/`; `**` does.

use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

/// One compiled pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    matcher: GlobMatcher,
    /// Matches names (no `/` in the pattern) rather than relative paths.
    by_name: bool,
}

impl Pattern {
    /// Compiles `text`; the error says why it is not a valid glob.
    pub fn new(text: &str) -> Result<Pattern, String> {
        let trimmed = text.trim_start_matches("./").trim_end_matches('/');
        let trimmed = trimmed.strip_prefix('/').unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Err("an empty pattern matches nothing".into());
        }
        let glob = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| e.kind().to_string())?;
        Ok(Pattern {
            matcher: glob.compile_matcher(),
            by_name: !trimmed.contains('/'),
        })
    }

    /// Whether `path` (absolute, normalized) matches, relative to `base`.
    /// With `ancestors`, a match of any directory above `path` (below `base`) counts too.
    pub fn matches(&self, base: &Path, path: &Path, ancestors: bool) -> bool {
        let rel = path.strip_prefix(base).ok();
        if self.by_name {
            let names: Vec<&std::ffi::OsStr> = match rel {
                Some(rel) => rel.iter().collect(),
                None => path.file_name().into_iter().collect(),
            };
            let take = if ancestors { names.len() } else { names.len().min(1) };
            return names
                .iter()
                .rev()
                .take(take)
                .any(|n| self.matcher.is_match(Path::new(n)));
        }
        let Some(rel) = rel else { return false };
        let mut cur = Some(rel);
        while let Some(p) = cur.filter(|p| !p.as_os_str().is_empty()) {
            if self.matcher.is_match(p) {
                return true;
            }
            if !ancestors {
                return false;
            }
            cur = p.parent();
        }
        false
    }
}

/// `path` made absolute (against the current directory) with `.` and `..` removed lexically.
pub fn normalize(path: &Path) -> PathBuf {
    // The usual case, checked without parsing components (which costs
    // thousands of instructions a path, on every file of a run).
    if is_normal(path) {
        return path.to_path_buf();
    }
    lexical(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` with `.` and `..` components removed lexically.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether `path` is absolute and already normal: `/` and then components
/// that are neither empty, `.` nor `..`, separated by single `/`s.
fn is_normal(path: &Path) -> bool {
    let Some(text) = path.to_str() else { return false };
    let Some(rest) = text.strip_prefix('/') else {
        return false;
    };
    cfg!(unix) && !rest.is_empty() && rest.split('/').all(|part| !matches!(part, "" | "." | ".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str, ancestors: bool) -> bool {
        Pattern::new(pattern)
            .unwrap()
            .matches(Path::new("/r"), Path::new(path), ancestors)
    }

    #[test]
    fn names_and_relative_paths() {
        assert!(m("legacy", "/r/a/legacy", false));
        assert!(m("legacy", "/r/a/legacy/x.json", true));
        assert!(!m("legacy", "/r/a/legacy/x.json", false));
        assert!(m("*.test.json", "/r/a/b.test.json", false));
        assert!(m("customers/*/old.json", "/r/customers/c/old.json", false));
        assert!(!m("customers/*.json", "/r/customers/c/old.json", false));
        assert!(m("customers/**", "/r/customers/c/old.json", false));
        assert!(m("./archive/", "/r/x/archive", false));
        assert!(!m("a/b.json", "/elsewhere/a/b.json", true));
        assert!(Pattern::new("a[").is_err());
        assert!(Pattern::new("").is_err());
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        for path in [
            "/a/b/.c",
            "/a/..b/c.json",
            "/a/b",
            "/a//b",
            "/a/b/",
            "/a/.",
            "/a/..",
            "/",
            "/./a",
        ] {
            let slow = lexical(&std::path::absolute(path).unwrap());
            assert_eq!(normalize(Path::new(path)), slow, "{path}");
        }
    }
}
