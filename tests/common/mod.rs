//! Helpers shared by the integration tests: run lhlint in-process.

#![allow(dead_code)]

use std::ffi::OsString;

/// The result of one run.
pub struct Run {
    pub status: lhlint::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `lhlint ARGS…` in-process from the package root.
pub fn lhlint(args: &[&str]) -> Run {
    let mut argv: Vec<OsString> = vec!["lhlint".into()];
    argv.extend(args.iter().map(OsString::from));
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let status = lhlint::run(argv, &mut stdout, &mut stderr);
    Run {
        status,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// The ids of every rule, from `lhlint rules --format json`.
pub fn rule_ids() -> Vec<String> {
    let run = lhlint(&["rules", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("rules --format json is JSON");
    list.as_array()
        .expect("an array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect()
}

/// Runs `git ARGS…` in `dir` with a fixed identity; panics when git fails.
pub fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=lhlint tests",
            "-c",
            "user.email=tests@lhlint.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs (the history tests need git)");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies the files of `from` (recursively) into `to`.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("readable fixture directory") {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary git repository whose HEAD holds the files of `previous` and
/// whose working tree holds those of `current` (history tests, `--against HEAD`).
pub fn history_repo(previous: &std::path::Path, current: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    git(dir.path(), &["init", "-q"]);
    copy_tree(previous, dir.path());
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "previous"]);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".git" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            std::fs::remove_dir_all(entry.path()).unwrap();
        } else {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    copy_tree(current, dir.path());
    dir
}
