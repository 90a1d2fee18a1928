//! The command line: exit codes, formats, listing, errors, determinism.

mod common;

use assert_cmd::Command;
use common::lhlint;
use lhlint::ExitStatus;

#[test]
fn exit_status_follows_fail_on() {
    let fail = lhlint(&["check", "fixtures/rules/LH042/fail"]);
    assert_eq!(fail.status, ExitStatus::Failure);
    let warn_only = lhlint(&["check", "--select", "LH049", "fixtures/rules/LH049/fail"]);
    assert_eq!(warn_only.status, ExitStatus::Success, "warnings do not fail by default");
    let strict = lhlint(&[
        "check",
        "--select",
        "LH049",
        "--fail-on",
        "warning",
        "fixtures/rules/LH049/fail",
    ]);
    assert_eq!(strict.status, ExitStatus::Failure);
    let never = lhlint(&["check", "--fail-on", "never", "fixtures/rules/LH042/fail"]);
    assert_eq!(never.status, ExitStatus::Success);
    let clean = lhlint(&["check", "--select", "LH042", "fixtures/rules/LH042/pass"]);
    assert_eq!(clean.status, ExitStatus::Success);
    assert!(
        clean.stdout.contains("No problems found in 2 files."),
        "{}",
        clean.stdout
    );
}

#[test]
fn missing_path_is_a_usage_error() {
    let run = lhlint(&["check", "no/such/dir"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(
        run.stderr.contains("no/such/dir: no such file or directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_selection_is_a_usage_error() {
    let run = lhlint(&["check", "--select", "XX9", "fixtures/rules/LH042/pass"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(run.stderr.contains("`XX9` matches no rule"), "{}", run.stderr);
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(lhlint(&["check", "--format", "xml"]).status, ExitStatus::Error);
    assert_eq!(lhlint(&["frobnicate"]).status, ExitStatus::Error);
}

#[test]
fn select_and_ignore_by_prefix() {
    let all = lhlint(&["check", "--format", "concise", "fixtures/rules/LH028/fail"]);
    assert!(all.stdout.contains("[LH028]"));
    let ignored = lhlint(&[
        "check",
        "--format",
        "concise",
        "--ignore",
        "LH02",
        "fixtures/rules/LH028/fail",
    ]);
    assert!(!ignored.stdout.contains("[LH028]"), "{}", ignored.stdout);
}

#[test]
fn json_report_shape() {
    let run = lhlint(&[
        "check",
        "--format",
        "json",
        "--select",
        "LH042",
        "fixtures/rules/LH042/fail",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["files"], 3);
    assert_eq!(doc["summary"]["errors"], 3);
    let first = &doc["diagnostics"][0];
    assert_eq!(first["rule"], "LH042");
    assert_eq!(first["file"], "fixtures/rules/LH042/fail/plan.offer.json");
    assert_eq!(first["pointer"], "/plans/0/manifest/authorizations/1/roleDefinitionId");
    let second = &doc["diagnostics"][1];
    assert_eq!(second["file"], "fixtures/rules/LH042/fail/subscription.parameters.json");
    assert_eq!(second["range"]["start"], serde_json::json!({"line": 29, "column": 31}));
    assert_eq!(second["pointer"], "/parameters/authorizations/value/2/roleDefinitionId");
    assert_eq!(
        second["related"][0]["file"],
        "fixtures/rules/LH042/fail/subscription.json"
    );
    assert_eq!(
        second["related"][0]["range"]["start"],
        serde_json::json!({"line": 24, "column": 27})
    );
}

#[test]
fn rules_listing_and_docs() {
    let list = lhlint(&["rules"]);
    assert!(
        list.stdout
            .lines()
            .any(|l| l.starts_with("LH049  warning  missing-registration-delete-role"))
    );
    let doc = lhlint(&["rule", "lh049"]);
    assert!(doc.stdout.starts_with("# LH049 (missing-registration-delete-role)"));
    let unknown = lhlint(&["rule", "LH999"]);
    assert_eq!(unknown.status, ExitStatus::Error);
    assert!(unknown.stderr.contains("unknown rule `LH999`"));
}

#[test]
fn broken_user_rule_points_into_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ACME001.jsonc"),
        "{\n  \"id\": \"ACME001\", \"name\": \"acme\", \"severity\": \"error\", \"summary\": \"s\",\n  \"given\": [\"$.a[0:2]\"],\n  \"then\": {\"function\": \"defined\"},\n  \"message\": \"m\"\n}\n",
    )
    .unwrap();
    let run = lhlint(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        "fixtures/rules/LH042/pass",
    ]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(
        run.stderr
            .contains("selector `$.a[0:2]`: slices ([a:b]) are not supported"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("ACME001.jsonc:3:13"), "{}", run.stderr);
}

#[test]
fn user_rules_run_like_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ACME001.jsonc"),
        r##"{ "id": "ACME001", "name": "contributor-granted", "severity": "warning", "summary": "Contributor",
             "given": ["#AuthorizationItems"],
             "then": {"field": "roleDefinitionId", "function": "excluded", "options": {"values": ["b24988ac-6180-42a0-ab88-20f7382dd24c"]}},
             "message": "{{role}} is granted" }"##,
    )
    .unwrap();
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "ACME",
        "--rules",
        dir.path().to_str().unwrap(),
        "fixtures/rules/LH042/pass",
    ]);
    assert_eq!(
        run.stdout,
        "fixtures/rules/LH042/pass/subscription.parameters.json:29:31: warning: b24988ac-6180-42a0-ab88-20f7382dd24c (Contributor) is granted [ACME001]\n"
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let runs: Vec<String> = ["1", "2", "8"]
        .iter()
        .map(|j| lhlint(&["check", "--format", "json", "-j", j, "fixtures"]).stdout)
        .collect();
    assert!(runs[0].contains("\"diagnostics\""));
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn binary_runs_and_names_a_parameters_file_alone() {
    // pre-commit passes only the changed parameters file: its template is found.
    let out = Command::cargo_bin("lhlint")
        .unwrap()
        .args([
            "check",
            "--format",
            "concise",
            "--select",
            "LH049",
            "fixtures/rules/LH049/fail/subscription.parameters.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fixtures/rules/LH049/fail/subscription.parameters.json:15:7: warning: no authorization grants the Managed Services Registration assignment Delete Role [LH049]\n"
    );
}

#[test]
fn unusable_role_catalog_is_a_usage_error() {
    let run = lhlint(&["check", "--roles", "no/such/roles.json", "fixtures/rules/LH042/pass"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(
        run.stderr
            .contains("cannot use role catalog no/such/roles.json: no such file or directory"),
        "{}",
        run.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("roles.json");
    std::fs::write(&bad, r#"[{"roleName": "Reader", "permissions": []}]"#).unwrap();
    let run = lhlint(&["check", "--roles", bad.to_str().unwrap(), "fixtures/rules/LH042/pass"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(
        run.stderr.contains("entry 0: no role definition GUID"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_function_options_point_into_the_rule_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ACME002.jsonc"),
        "{\n  \"id\": \"ACME002\", \"name\": \"acme\", \"severity\": \"error\", \"summary\": \"s\",\n  \"given\": [\"#AuthorizationItems.roleDefinitionId\"],\n  \"then\": {\"function\": \"role\", \"options\": {\"reject\": [\"owner\"]}},\n  \"message\": \"m\"\n}\n",
    )
    .unwrap();
    let run = lhlint(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        "fixtures/rules/LH042/pass",
    ]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(run.stderr.contains("unknown role property `owner`"), "{}", run.stderr);
    assert!(run.stderr.contains("ACME002.jsonc:4:55"), "{}", run.stderr);
}

#[test]
fn relative_selectors_and_durations_are_checked_at_load() {
    let cases = [
        (
            r##"{"function": "duration", "options": {"max": "8 hours"}}"##,
            "#EligibleAuthorizationItems",
            "invalid duration: it does not start with P",
        ),
        (
            r##"{"function": "join", "options": {"items": "#Definitions", "in": "@", "on": ["principalId"]}}"##,
            "#EligibleAuthorizationItems",
            "is not relative: paths here start with `@`",
        ),
        (
            r##"{"function": "defined"}"##,
            "#DefinitionEligibleItems",
            "`#DefinitionEligibleItems` is relative",
        ),
        (
            r##"{"field": "#Definitions", "function": "defined"}"##,
            "#EligibleAuthorizationItems",
            "alias `#Definitions` is not relative",
        ),
    ];
    for (then, given, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ACME003.jsonc"),
            format!(
                r#"{{"id": "ACME003", "name": "acme", "severity": "error", "summary": "s", "given": ["{given}"], "then": {then}, "message": "m"}}"#
            ),
        )
        .unwrap();
        let run = lhlint(&[
            "check",
            "--rules",
            dir.path().to_str().unwrap(),
            "fixtures/rules/LH042/pass",
        ]);
        assert_eq!(run.status, ExitStatus::Error, "{then}");
        assert!(run.stderr.contains(expected), "{then}: {}", run.stderr);
    }
}
