//! Offer manifests end to end: every MS rule on one offer, and `--against`
//! history on real temporary git repositories.

mod common;

use std::path::Path;

use common::{git, history_repo, lhlint, rule_ids};

/// Lints `repo` with `--against REV` and shows its paths as `shown`.
fn check_against(repo: &Path, rev: &str, shown: &str, extra: &[&str]) -> common::Run {
    let root = repo.to_str().unwrap();
    let mut args = vec!["check", "--format", "concise", "--against", rev];
    args.extend_from_slice(extra);
    args.push(root);
    let mut run = lhlint(&args);
    run.stdout = run.stdout.replace(root, shown);
    run.stderr = run.stderr.replace(root, shown);
    run
}

#[test]
fn an_offer_breaking_every_ms_rule_once() {
    let dir = Path::new("fixtures/offers/every-ms-rule");
    let repo = history_repo(&dir.join("previous"), &dir.join("current"));
    let shown = "fixtures/offers/every-ms-rule/current";
    let run = check_against(repo.path(), "HEAD", shown, &["--select", "MS"]);
    let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    assert_eq!(run.stdout, expected);
    assert_eq!(run.stderr, "", "every file has a version at HEAD but the templates");
    let ms: Vec<String> = rule_ids().into_iter().filter(|id| id.starts_with("MS")).collect();
    assert!(ms.len() >= 23, "{ms:?}");
    for id in &ms {
        assert_eq!(
            run.stdout.matches(&format!("[{id}]")).count(),
            1,
            "{id} must be reported exactly once:\n{}",
            run.stdout
        );
    }
}

/// A repository with one commit holding `offer.offer.json` from `fixtures/rules/MS007/previous`.
fn one_commit_repo() -> tempfile::TempDir {
    let dir = Path::new("fixtures/rules/MS007");
    history_repo(&dir.join("previous"), &dir.join("fail"))
}

#[test]
fn history_compares_with_the_named_revision_in_a_subdirectory() {
    let repo = tempfile::tempdir().unwrap();
    let offers = repo.path().join("offers");
    std::fs::create_dir(&offers).unwrap();
    git(repo.path(), &["init", "-q"]);
    common::copy_tree(Path::new("fixtures/rules/MS007/previous"), &offers);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "public"]);
    common::copy_tree(Path::new("fixtures/rules/MS007/fail"), &offers);
    git(repo.path(), &["commit", "-q", "-a", "-m", "private"]);
    // Against HEAD~1 (the public plan) from the offers folder: MS007.
    let run = check_against(&offers, "HEAD~1", "offers", &["--select", "MS007"]);
    assert_eq!(
        run.stdout,
        "offers/offer.offer.json:36:21: error: plan `standard` was public at HEAD~1 and is private now [MS007]\n"
    );
    assert_eq!(run.status, lhlint::ExitStatus::Failure);
    // Against HEAD (already private): nothing.
    let run = check_against(&offers, "HEAD", "offers", &["--select", "MS007"]);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
}

#[test]
fn history_related_label_points_into_the_revision() {
    let repo = one_commit_repo();
    let root = repo.path().to_str().unwrap();
    let run = lhlint(&[
        "check",
        "--format",
        "json",
        "--select",
        "MS007",
        "--against",
        "HEAD",
        root,
    ]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["rule"], "MS007");
    assert_eq!(d["related"][0]["file"], "HEAD:offer.offer.json");
    assert_eq!(d["related"][0]["range"]["start"]["line"], 36);
    assert_eq!(d["related"][0]["message"], "public at HEAD");
    assert_eq!(doc["summary"]["files"], 1, "the revision's text is not an input file");
}

#[test]
fn a_file_new_since_the_revision_gets_a_note_and_other_checks_run() {
    let repo = one_commit_repo();
    std::fs::copy(
        "fixtures/rules/MS004/fail/ids.offer.json",
        repo.path().join("new.offer.json"),
    )
    .unwrap();
    let run = check_against(repo.path(), "HEAD", "repo", &["--select", "MS004,MS007"]);
    assert!(
        run.stdout
            .contains("repo/offer.offer.json:36:21: error: plan `standard` was public at HEAD"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("repo/new.offer.json:34:13: error: plan id `Gold Tier`"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr,
        "lhlint: note: --against HEAD: repo/new.offer.json did not exist at HEAD; its history checks (MS004, MS007) were skipped\n"
    );
}

#[test]
fn outside_a_repository_history_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new("fixtures/rules/MS007/fail"), dir.path());
    // A file outside any repository (tempdir is not inside this one).
    let run = check_against(dir.path(), "HEAD", "plain", &["--select", "MS007,MS010"]);
    assert!(
        run.stdout.contains("[MS010]"),
        "the per-file checks still run: {}",
        run.stdout
    );
    assert!(!run.stdout.contains("[MS007]"));
    assert_eq!(
        run.stderr,
        "lhlint: note: --against HEAD: plain/offer.offer.json is not inside a git repository; its history checks (MS007) were skipped\n"
    );
}

#[test]
fn an_unknown_revision_is_a_note() {
    let repo = one_commit_repo();
    let run = check_against(repo.path(), "no-such-branch", "repo", &["--select", "MS007"]);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "lhlint: note: --against no-such-branch: repo/offer.offer.json is in a repository that has no revision `no-such-branch`; its history checks (MS007) were skipped\n"
    );
}

#[test]
fn without_history_rules_git_is_not_asked() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new("fixtures/rules/MS007/fail"), dir.path());
    let run = check_against(dir.path(), "HEAD", "plain", &["--select", "MS010"]);
    assert_eq!(run.stderr, "");
}

#[test]
fn without_git_history_is_skipped_with_a_note() {
    let repo = one_commit_repo();
    let out = assert_cmd::Command::cargo_bin("lhlint")
        .unwrap()
        .args([
            "check",
            "--format",
            "concise",
            "--select",
            "MS007,MS010",
            "--against",
            "HEAD",
        ])
        .arg(repo.path())
        .env("PATH", "")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("[MS010]"), "{stdout}");
    assert!(!stdout.contains("[MS007]"), "{stdout}");
    assert!(
        stderr.starts_with("lhlint: note: --against HEAD: git is not available ("),
        "{stderr}"
    );
    assert!(stderr.ends_with("history checks (MS007) were skipped\n"), "{stderr}");
}

#[test]
fn a_revision_that_looks_like_an_option_is_refused() {
    let run = lhlint(&["check", "--against=--output=x", "fixtures/rules/MS007/fail"]);
    assert_eq!(run.status, lhlint::ExitStatus::Error);
    assert!(run.stderr.contains("expected a git revision"), "{}", run.stderr);
}

#[test]
fn a_correct_user_access_administrator_plan_authorization_raises_no_delegated_role_finding() {
    // Offers list the roles in `assignableRoles` where templates use
    // `delegatedRoleDefinitionIds`; LH050-LH052 read either through `#DelegatedRoles`.
    let offer = "fixtures/rules/LH051/pass/uaa.offer.json";
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "LH050,LH051,LH052,LH053",
        offer,
    ]);
    // The authorizations are seen as User Access Administrator (LH053, one per plan) ...
    assert_eq!(common::lines_of(&run.stdout, &["LH053"]).len(), 2, "{}", run.stdout);
    // ... and their assignable roles satisfy LH050-LH052.
    assert_eq!(
        common::lines_of(&run.stdout, &["LH050", "LH051", "LH052"]),
        Vec::<String>::new()
    );
    // The same plan without its assignable roles is LH050's finding.
    let text = std::fs::read_to_string(offer).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let uaa = &mut value["plans"][0]["manifest"]["authorizations"][2];
    assert_eq!(uaa["roleDefinitionId"], "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9");
    uaa.as_object_mut().unwrap().remove("assignableRoles");
    let dir = common::tree(&[("uaa.offer.json", &serde_json::to_string_pretty(&value).unwrap())]);
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "LH050,LH051,LH052",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(common::lines_of(&run.stdout, &["LH050"]).len(), 1, "{}", run.stdout);
}
