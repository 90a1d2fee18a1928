//! Every rule against its fixtures: `fixtures/rules/<ID>/fail` must produce
//! exactly the diagnostics in `expected.txt` (id, file, line, column, message),
//! `pass` must produce none, and the rendered human output is a snapshot.

mod common;

use std::path::Path;

use common::{lhlint, rule_ids};

/// Extra arguments for a rule's runs, from `fixtures/rules/<ID>/args`.
fn extra_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

fn run_rule(id: &str, case: &str, format: &str) -> common::Run {
    let dir = Path::new("fixtures/rules").join(id);
    let target = dir.join(case);
    let extra = extra_args(&dir);
    let mut args = vec!["check", "--format", format, "--select", id, target.to_str().unwrap()];
    args.extend(extra.iter().map(String::as_str));
    lhlint(&args)
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_with_expectations() {
    for id in rule_ids() {
        let dir = Path::new("fixtures/rules").join(&id);
        assert!(dir.join("fail").is_dir(), "{id}: missing fixtures/rules/{id}/fail");
        assert!(dir.join("pass").is_dir(), "{id}: missing fixtures/rules/{id}/pass");
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
        assert!(
            expected.lines().any(|l| l.ends_with(&format!("[{id}]"))),
            "{id}: expected.txt lists no {id} diagnostic"
        );
    }
}

#[test]
fn fail_fixtures_produce_exactly_the_expected_diagnostics() {
    for id in rule_ids() {
        let expected_path = Path::new("fixtures/rules").join(&id).join("expected.txt");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let run = run_rule(&id, "fail", "concise");
        assert_eq!(
            run.stdout,
            expected,
            "{id}: diagnostics differ from {}",
            expected_path.display()
        );
        assert!(
            run.stdout.lines().all(|l| l.ends_with(&format!("[{id}]"))),
            "{id}: other rules reported"
        );
    }
}

#[test]
fn pass_fixtures_produce_nothing() {
    for id in rule_ids() {
        let run = run_rule(&id, "pass", "concise");
        assert_eq!(run.stdout, "", "{id}: pass fixtures produced diagnostics");
        assert_eq!(run.status, lhlint::ExitStatus::Success, "{id}");
    }
}

#[test]
fn rendered_fail_diagnostics() {
    for id in rule_ids() {
        let run = run_rule(&id, "fail", "human");
        insta::with_settings!({snapshot_suffix => id.clone(), omit_expression => true, prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!("rule", run.stdout);
        });
    }
}

#[test]
fn every_rule_is_documented() {
    for id in rule_ids() {
        let run = lhlint(&["rule", &id]);
        assert_eq!(run.status, lhlint::ExitStatus::Success, "{id}");
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            assert!(run.stdout.contains(heading), "{id}: docs lack `{heading}`");
        }
    }
}
