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
