//! Reading files from the linted tree, which may come from a stranger's pull
//! request: bounded in size, regular files only, and symbolic links followed
//! only when they stay inside the tree that was asked for.
//!
//! A link such as `leak.json -> /proc/self/environ` or `-> ~/.ssh/id_rsa` would
//! otherwise be read, fail to parse, and have its first line printed in the
//! `LH000` snippet, in a public CI log. A link to `/dev/zero` or a named pipe
//! would never end.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::workspace::{MAX_FILE_BYTES, display_path, io_reason};

/// Reads `path` whole. When `confine` is set and `path` is a symbolic link,
/// the link must resolve to a file inside the directory `confine`.
pub fn read_bounded(path: &Path, confine: Option<&Path>) -> Result<Vec<u8>, String> {
    let link = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    if link.file_type().is_file()
        && link.len() <= MAX_FILE_BYTES
        && let Some(file) = open_regular(path)
    {
        // The common case: a regular file, opened without following links
        // and confirmed regular on the open handle (one path lookup less).
        return read_to_limit(file, link.len());
    }
    if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "broken symbolic link: its target does not exist".to_string(),
            _ => format!("cannot follow the symbolic link: {}", io_reason(&e)),
        })?;
        if let Some(root) = confine {
            let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            if !target.starts_with(&real_root) {
                return Err(format!(
                    "symbolic link to a file outside `{}`: lhlint does not follow it",
                    display_path(root)
                ));
            }
        }
    }
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    if meta.is_dir() {
        return Err(match std::fs::read_dir(path) {
            Ok(_) => "this is a directory, not a file".into(),
            Err(e) => format!("cannot read the directory: {}", io_reason(&e)),
        });
    }
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or socket): lhlint does not read it".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    // The size can change between the check and the read (and some files
    // report none): read at most one byte past the limit.
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    read_to_limit(file, meta.len())
}

/// Reads an open file whose size was `len`. The size can change between the
/// check and the read (and some files report none): reads at most one byte
/// past the limit.
fn read_to_limit(file: std::fs::File, len: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(len.min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {}", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_big(len: u64) -> String {
    format!("the file is {len} bytes, more than lhlint reads ({MAX_FILE_BYTES} bytes)")
}

/// Opens `path` if it is a regular file and not a symbolic link (checked on
/// the open handle, so a file swapped after `lstat` is not read); `None`
/// sends the caller down the careful path, which explains refusals.
#[cfg(unix)]
fn open_regular(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    file.metadata().ok().filter(|m| m.is_file()).map(|_| file)
}

#[cfg(not(unix))]
fn open_regular(_path: &Path) -> Option<std::fs::File> {
    None
}

/// The paths named on the command line, for deciding where a file found by
/// discovery or pairing must stay (see [`Confinement::root`]).
pub struct Confinement<'a> {
    files: std::collections::HashSet<&'a Path>,
    dirs: Vec<&'a Path>,
}

impl<'a> Confinement<'a> {
    pub fn new(named: &'a [PathBuf]) -> Self {
        let (dirs, files): (Vec<&Path>, Vec<&Path>) = named.iter().map(PathBuf::as_path).partition(|p| p.is_dir());
        Confinement {
            files: files.into_iter().collect(),
            dirs,
        }
    }

    /// The directory `path` must stay inside: the longest named directory
    /// that holds it, else its own folder. Files named on the command line are
    /// the user's choice: `None`.
    pub fn root(&self, path: &Path) -> Option<PathBuf> {
        if self.files.contains(path) {
            return None;
        }
        self.dirs
            .iter()
            .filter(|n| path.starts_with(n))
            .max_by_key(|n| n.as_os_str().len())
            .map(|n| n.to_path_buf())
            .or_else(|| path.parent().map(Path::to_path_buf))
    }
}
