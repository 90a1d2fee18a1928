//! `--against REV`: the previous version of each offer manifest, read from git.
//!
//! Each offer is read with `git show REV:path` (run in the file's folder, the
//! path relative to the repository root), parsed, and added to the workspace
//! as a file of kind `Other` named `REV:path`, so that history rules can point
//! into it. When git is missing, the file is outside a repository, the
//! revision is unknown, or the file did not exist at REV, a note says so and
//! only that file's history checks are skipped.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::effective::Unit;
use crate::engine::crossfile::Previous;
use crate::json;
use crate::source::SourceFile;
use crate::workspace::{FileKind, Input, Workspace, display_path};

/// Reads the previous version of every offer unit; returns them and the notes.
pub fn load(ws: &mut Workspace, units: &[Unit], revision: &str, rule_ids: &str) -> (Vec<Previous>, Vec<String>) {
    let mut previous = Vec::new();
    let mut notes = Vec::new();
    for unit in units.iter().filter(|u| u.kind == FileKind::Offer) {
        let path = ws.inputs[unit.root].path.clone();
        let shown = display_path(&path);
        match read(&path, revision) {
            Ok((name, text)) => match json::parse(&text) {
                Ok(doc) => {
                    let file = ws.sources.files.len();
                    ws.sources.files.push(SourceFile::new(name.clone(), text));
                    ws.inputs.push(Input {
                        path: name.into(),
                        kind: FileKind::Other,
                        doc: Some(doc),
                    });
                    previous.push(Previous {
                        unit: Unit {
                            kind: FileKind::Offer,
                            root: file,
                            params: None,
                            one_of_several: false,
                        },
                        current: unit.root,
                        revision: revision.to_string(),
                    });
                }
                Err(e) => notes.push(format!(
                    "--against {revision}: {shown} at {revision} is not valid JSON ({}); its history checks ({rule_ids}) were skipped",
                    e.message
                )),
            },
            Err(Skip::NoGit(reason)) => {
                notes.push(format!(
                    "--against {revision}: git is not available ({reason}); history checks ({rule_ids}) were skipped"
                ));
                break;
            }
            Err(Skip::File(reason)) => notes.push(format!(
                "--against {revision}: {shown} {reason}; its history checks ({rule_ids}) were skipped"
            )),
        }
    }
    (previous, notes)
}

/// Why a file's previous version is not available.
enum Skip {
    /// git cannot be run at all.
    NoGit(String),
    /// This file has no previous version (the reason completes "FILE …").
    File(String),
}

/// The previous version of `path` at `revision`: its display name and text.
fn read(path: &Path, revision: &str) -> Result<(String, String), Skip> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Skip::File("has a name that is not UTF-8".into()))?;
    let prefix = match git(dir, &["rev-parse", "--show-prefix"]) {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(_) => return Err(Skip::File("is not inside a git repository".into())),
        Err(e) => return Err(Skip::NoGit(crate::workspace::io_reason(&e))),
    };
    let commit = format!("{revision}^{{commit}}");
    match git(dir, &["rev-parse", "--verify", "--quiet", &commit]) {
        Ok(out) if out.status.success() => {}
        _ => {
            return Err(Skip::File(format!(
                "is in a repository that has no revision `{revision}`"
            )));
        }
    }
    let spec = format!("{revision}:{prefix}{name}");
    match git(dir, &["cat-file", "-e", &spec]) {
        Ok(out) if out.status.success() => {}
        _ => return Err(Skip::File(format!("did not exist at {revision}"))),
    }
    match git(dir, &["show", &spec]) {
        Ok(out) if out.status.success() => {
            let bytes = out.stdout.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&out.stdout);
            match String::from_utf8(bytes.to_vec()) {
                Ok(text) => Ok((spec, text)),
                Err(_) => Err(Skip::File(format!("is not valid UTF-8 at {revision}"))),
            }
        }
        _ => Err(Skip::File(format!("could not be read at {revision}"))),
    }
}

fn git(dir: &Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
}
