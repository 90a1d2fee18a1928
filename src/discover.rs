//! Finding the files to lint: named files as given, directories walked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Decides whether the walk skips a file or directory (config `exclude`).
pub type Exclude = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// A named path that does not exist or cannot be read (exit status 2).
#[derive(Debug)]
pub struct DiscoverError {
    pub message: String,
}

/// Expands `paths` into a sorted, de-duplicated list of files.
///
/// Named files are always included, whatever their extension. Directories are
/// walked recursively for `*.json` and `*.jsonc`, honouring `.gitignore`,
/// `.ignore` and hidden-file rules; symbolic links to files are included (a
/// broken one, or one that leaves the tree, is reported when it is read, see
/// [`crate::read`]), links to directories are not followed, so link loops
/// cannot trap the walk. Entries the walk cannot read, and entries that are
/// not regular files, are included so that reading them reports the problem.
/// Entries below a named directory for which `exclude` says yes are skipped
/// (a directory with everything in it); named paths are never excluded.
pub fn discover(paths: &[PathBuf], exclude: Option<Exclude>) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::symlink_metadata(path).map_err(|e| DiscoverError {
            message: format!(
                "{}: {}",
                crate::workspace::display_path(path),
                crate::workspace::io_reason(&e)
            ),
        })?;
        if meta.is_dir() || (meta.file_type().is_symlink() && path.is_dir()) {
            walk(path, exclude.clone(), &mut out);
        } else {
            out.push(path.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, exclude: Option<Exclude>, out: &mut Vec<PathBuf>) {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .follow_links(false)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b));
    if let Some(exclude) = exclude {
        builder.filter_entry(move |entry| {
            let relevant = entry.file_type().is_some_and(|t| t.is_dir()) || is_json_name(entry.path());
            entry.depth() == 0 || !relevant || !exclude(entry.path())
        });
    }
    let walker = builder.build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.depth() == 0 || !is_json_name(path) {
                    continue;
                }
                let Some(file_type) = entry.file_type() else { continue };
                // Files, links to files (a broken link is reported when read) and
                // other entries such as pipes (reported as not regular files); a
                // directory named `x.json`, or a link to one, is not an input.
                let directory = file_type.is_dir() || (file_type.is_symlink() && path.is_dir());
                if !directory {
                    out.push(path.to_path_buf());
                }
            }
            Err(err) => {
                // An unreadable directory or entry: keep its path so it is reported.
                if let Some(path) = error_path(&err).filter(|p| is_json_name(p) || p.is_dir()) {
                    out.push(path);
                }
            }
        }
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn is_json_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"))
}
