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

/// Writes `files` (path, contents) under a new temporary directory.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// Writes one file below `root`, creating its directories.
pub fn write(root: &std::path::Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("a parent")).expect("create directories");
    std::fs::write(full, text).expect("write file");
}

/// Runs the `lhlint` binary in `dir`.
pub fn lhlint_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::cargo_bin("lhlint")
        .expect("the lhlint binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("lhlint runs");
    let status = match out.status.code() {
        Some(0) => lhlint::ExitStatus::Success,
        Some(1) => lhlint::ExitStatus::Failure,
        _ => lhlint::ExitStatus::Error,
    };
    Run {
        status,
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The lines of concise output that report one of `rules`.
pub fn lines_of(stdout: &str, rules: &[&str]) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| rules.iter().any(|r| l.contains(&format!("[{r}]"))))
        .map(str::to_string)
        .collect()
}

/// A subscription-scope onboarding template whose one inline authorization
/// grants `role`, with no Registration assignment Delete Role (LH049).
pub fn template(role: &str) -> String {
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {{
      "type": "Microsoft.ManagedServices/registrationDefinitions",
      "apiVersion": "2022-10-01",
      "name": "0b4a1c52-3f3e-4c8e-9d7a-1f2e3d4c5b6a",
      "properties": {{
        "managedByTenantId": "2f8c5d8e-1b6a-4c1e-9a57-3c9e0f3b7a21",
        "authorizations": [
          {{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "principalIdDisplayName": "Contoso Ops", "roleDefinitionId": "{role}" }}
        ]
      }}
    }}
  ]
}}
"#
    )
}

/// The Owner role id.
pub const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
/// The Reader role id.
pub const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/// `lhlint check --format json ARGS…`: the exit status and the parsed report
/// (which must be valid JSON whatever the inputs held).
pub fn check_json(args: &[&str]) -> (lhlint::ExitStatus, serde_json::Value) {
    // The rules these inputs exercise (and user rules, `X…`): advisory rules
    // would otherwise add findings that the hostile-input tests do not count.
    let select = if args.contains(&"--rules") {
        "LH000,LH019,LH042,LH903,X"
    } else {
        "LH000,LH019,LH042,LH903"
    };
    let mut all = vec!["check", "--format", "json", "--select", select];
    all.extend_from_slice(args);
    let run = lhlint(&all);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "--format json is not JSON ({e}):\n{}\nstderr: {}",
            run.stdout, run.stderr
        )
    });
    (run.status, report)
}

/// The diagnostics of a JSON report whose file ends with `suffix`.
pub fn diagnostics_of<'a>(report: &'a serde_json::Value, suffix: &str) -> Vec<&'a serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(suffix)))
        .collect()
}

/// A subscription-scoped onboarding template, written on one line per
/// property, whose one authorization grants `role` to `principal_name`.
pub fn named_template(role: &str, principal_name: &str) -> String {
    let value = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "mspOfferName": {"type": "string", "defaultValue": "Contoso managed services"}
        },
        "variables": {
            "definitionName": "[guid(parameters('mspOfferName'))]"
        },
        "resources": [{
            "type": "Microsoft.ManagedServices/registrationDefinitions",
            "apiVersion": "2022-10-01",
            "name": "[variables('definitionName')]",
            "properties": {
                "registrationDefinitionName": "[parameters('mspOfferName')]",
                "managedByTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "authorizations": [
                    {
                        "principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11",
                        "principalIdDisplayName": principal_name,
                        "roleDefinitionId": role
                    },
                    {
                        "principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11",
                        "principalIdDisplayName": "Contoso admins",
                        "roleDefinitionId": "91c1777a-f3dc-4fae-b103-61d183457e46"
                    }
                ]
            }
        }]
    });
    serde_json::to_string_pretty(&value).expect("serializable")
}

/// Contributor (LH047 warns about it as broad).
pub const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
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
