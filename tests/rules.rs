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

/// Lints `fixtures/rules/<ID>/<case>`. A rule with `fixtures/rules/<ID>/previous/`
/// is a history rule: the case is linted in a temporary git repository whose
/// HEAD holds `previous/`, with `--against HEAD`, and paths are shown as the fixture's.
fn run_rule(id: &str, case: &str, format: &str) -> common::Run {
    let dir = Path::new("fixtures/rules").join(id);
    let target = dir.join(case);
    let extra = extra_args(&dir);
    let previous = dir.join("previous");
    let repo = previous.is_dir().then(|| common::history_repo(&previous, &target));
    let linted = match &repo {
        Some(r) => r.path().to_str().unwrap().to_string(),
        None => target.to_str().unwrap().to_string(),
    };
    let mut args = vec!["check", "--format", format, "--select", id, linted.as_str()];
    if repo.is_some() {
        args.extend(["--against", "HEAD"]);
    }
    args.extend(extra.iter().map(String::as_str));
    let mut run = lhlint(&args);
    if repo.is_some() {
        run.stdout = run.stdout.replace(&linted, target.to_str().unwrap());
    }
    run
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
