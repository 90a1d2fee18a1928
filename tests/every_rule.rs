//! One tree that breaks every shipped LH rule once: `fixtures/every-rule/`.
//!
//! The tree is a managing tenant's repository (Contoso) with several onboarding
//! templates, their parameters files, an offer manifest, a principal inventory
//! and an `lhlint.toml` naming the inventory and a customer's tenant (for LH021,
//! LH032, LH033, LH070). Each finding is listed in `fixtures/every-rule/expected.txt`
//! as `ID path:line:column` (paths relative to the tree); `README.md` there says
//! which file breaks which rule and how.

mod common;

use std::collections::BTreeSet;

use common::{lhlint, rule_ids};

const TREE: &str = "fixtures/every-rule";

/// LH rules that cannot fire in the same tree as the others, with the reason.
/// Each one listed here must then be covered by its own fixture (`tests/rules.rs`).
const CANNOT_COEXIST: &[(&str, &str)] = &[
    // (none: every shipped LH rule fires in the tree)
];

/// `(id, path, line, column)` of each concise line, paths relative to the tree.
fn findings(concise: &str) -> Vec<(String, String, u32, u32)> {
    let prefix = format!("{TREE}/");
    concise
        .lines()
        .map(|line| {
            let (location, rest) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("not a concise line: {line}"));
            let id = rest
                .rsplit_once(" [")
                .and_then(|(_, id)| id.strip_suffix(']'))
                .unwrap_or_else(|| panic!("no rule id: {line}"));
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next().unwrap().parse().expect("a column");
            let line_no = parts.next().unwrap().parse().expect("a line");
            let path = parts.next().unwrap();
            let path = path
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("a path outside the tree: {line}"));
            (id.to_string(), path.to_string(), line_no, column)
        })
        .collect()
}

/// The checked-in expectation: `ID path:line:column` per line (`#` starts a comment).
fn expected() -> Vec<(String, String, u32, u32)> {
    let text = std::fs::read_to_string(format!("{TREE}/expected.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, location) = l.split_once(' ').unwrap_or_else(|| panic!("bad line: {l}"));
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next().unwrap().parse().expect("a column");
            let line_no = parts.next().unwrap().parse().expect("a line");
            let path = parts.next().expect("a path");
            (id.to_string(), path.to_string(), line_no, column)
        })
        .collect()
}

fn run() -> common::Run {
    // `--config` because the inventory (`principals`) is a run-wide setting, read
    // only from the config of the current directory or from `--config`.
    // `--select LH`: the MS rules have their own tree (`tests/offers.rs`); with a
    // single offer in the run, every template would also be compared with it.
    lhlint(&[
        "check",
        "--format",
        "concise",
        "--config",
        &format!("{TREE}/lhlint.toml"),
        "--select",
        "LH",
        TREE,
    ])
}

#[test]
fn the_tree_produces_exactly_the_expected_findings() {
    let run = run();
    assert_eq!(run.stderr, "", "the tree and its config load cleanly");
    assert_eq!(run.status, lhlint::ExitStatus::Failure);
    let found = findings(&run.stdout);
    let expected = expected();
    let missing: Vec<_> = expected.iter().filter(|e| !found.contains(e)).collect();
    let unexpected: Vec<_> = found.iter().filter(|f| !expected.contains(f)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "lost findings: {missing:#?}\nnew findings: {unexpected:#?}\nfull output:\n{}",
        run.stdout
    );
    assert_eq!(
        found, expected,
        "same findings, same order (by file, line, column, rule)"
    );
}

#[test]
fn every_shipped_lh_rule_fires_in_the_tree_exactly_once() {
    let shipped: BTreeSet<String> = rule_ids().into_iter().filter(|id| id.starts_with("LH")).collect();
    assert!(shipped.len() >= 67, "{shipped:?}");
    for (id, reason) in CANNOT_COEXIST {
        assert!(shipped.contains(*id), "{id} is allowed to be absent but is not shipped");
        assert!(!reason.is_empty());
    }
    let required: BTreeSet<String> = shipped
        .iter()
        .filter(|id| !CANNOT_COEXIST.iter().any(|(c, _)| c == id))
        .cloned()
        .collect();
    let found = findings(&run().stdout);
    let ids: BTreeSet<String> = found.iter().map(|(id, ..)| id.clone()).collect();
    assert_eq!(
        ids, required,
        "the ids found in {TREE} must be exactly the shipped LH rules (minus CANNOT_COEXIST)"
    );
    for id in &required {
        let n = found.iter().filter(|(f, ..)| f == id).count();
        assert_eq!(n, 1, "{id} fires {n} times in {TREE}");
    }
}
