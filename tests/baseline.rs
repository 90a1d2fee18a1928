//! Baselines: written in a stable order, robust to reformatting and key
//! order, counting findings per key, and reporting entries that no longer match.

mod common;

use common::{OWNER, READER, lhlint_in, tree};
use lhlint::ExitStatus;

const SELECT: &str = "LH042,LH049";

fn params(authorizations: &[(&str, &str)]) -> String {
    let items: Vec<String> = authorizations
        .iter()
        .map(|(principal, role)| format!(r#"        {{ "principalId": "{principal}", "roleDefinitionId": "{role}" }}"#))
        .collect();
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "authorizations": {{
      "value": [
{}
      ]
    }}
  }}
}}
"#,
        items.join(",\n")
    )
}

const A: &str = "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c41";
const B: &str = "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c42";

/// The same document re-indented, on other lines, with its keys reordered.
fn reformatted() -> String {
    format!(
        r#"{{"parameters": {{"authorizations": {{"value": [
  {{"roleDefinitionId": "{OWNER}",
   "principalId": "{A}"}},
  {{"roleDefinitionId": "{READER}", "principalId": "{B}"}}]}}}},
 "contentVersion": "1.0.0.0",
 "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#"}}
"#
    )
}

fn check(dir: &std::path::Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["check", "--format", "concise", "--select", SELECT];
    args.extend_from_slice(extra);
    lhlint_in(dir, &args)
}

#[test]
fn baseline_survives_reformatting_and_reports_new_findings() {
    let dir = tree(&[("a.parameters.json", &params(&[(A, OWNER), (B, READER)]))]);
    let before = check(dir.path(), &[]);
    assert_eq!(before.status, ExitStatus::Failure);
    assert_eq!(before.stdout.lines().count(), 2, "LH042 and LH049: {}", before.stdout);

    let written = check(dir.path(), &["--write-baseline", "lhlint-baseline.json"]);
    assert_eq!(written.status, ExitStatus::Success, "writing a baseline succeeds");
    assert!(
        written.stderr.contains("wrote lhlint-baseline.json with 2 findings"),
        "{}",
        written.stderr
    );

    let clean = check(dir.path(), &["--baseline", "lhlint-baseline.json"]);
    assert_eq!(clean.stdout, "");
    assert_eq!(clean.status, ExitStatus::Success);

    std::fs::write(dir.path().join("a.parameters.json"), reformatted()).unwrap();
    let clean = check(dir.path(), &["--baseline", "lhlint-baseline.json"]);
    assert_eq!(clean.stdout, "", "re-indented, keys reordered: still baselined");
    assert_eq!(clean.status, ExitStatus::Success);

    // A new Owner authorization is reported, the old one stays baselined.
    let grown = reformatted().replace(
        &format!(r#"{{"roleDefinitionId": "{READER}", "principalId": "{B}"}}"#),
        &format!(r#"{{"roleDefinitionId": "{OWNER}", "principalId": "{B}"}}"#),
    );
    std::fs::write(dir.path().join("a.parameters.json"), grown).unwrap();
    let run = check(dir.path(), &["--baseline", "lhlint-baseline.json"]);
    assert_eq!(
        run.stdout,
        format!(
            "a.parameters.json:4:24: error: authorization grants {OWNER} (Owner), which Azure Lighthouse does not support [LH042]\n"
        )
    );
    assert_eq!(run.status, ExitStatus::Failure);
}

#[test]
fn entries_are_keyed_by_pointer_and_value_and_counted() {
    let dir = tree(&[("a.parameters.json", &params(&[(A, OWNER)]))]);
    check(dir.path(), &["--write-baseline", "base.json"]);
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap()).unwrap();
    assert_eq!(baseline["version"], 1);
    let lh042 = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "LH042")
        .expect("an LH042 entry")
        .clone();
    assert_eq!(lh042["file"], "a.parameters.json");
    assert_eq!(lh042["pointer"], "/parameters/authorizations/value/0/roleDefinitionId");
    assert_eq!(lh042["count"], 1);
    assert_eq!(lh042["fingerprint"].as_str().unwrap().len(), 16);

    // Same place, another value: a new finding.
    let other = params(&[(A, &OWNER.to_uppercase())]);
    std::fs::write(dir.path().join("a.parameters.json"), other).unwrap();
    let run = check(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(
        run.stdout.lines().filter(|l| l.ends_with("[LH042]")).count(),
        1,
        "{}",
        run.stdout
    );
}

#[test]
fn a_second_finding_with_the_same_key_is_reported() {
    // Each repeated property is an LH903 finding at the same pointer with the same value.
    let repeated = |n: usize| {
        let role = format!(r#""roleDefinitionId": "{READER}""#);
        params(&[(A, READER)]).replace(&role, &vec![role.clone(); n].join(", "))
    };
    let dir = tree(&[("a.parameters.json", &repeated(3))]);
    let args = ["check", "--format", "concise", "--select", "LH903"];
    let run = lhlint_in(dir.path(), &[&args[..], &["--write-baseline", "base.json"]].concat());
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(text.contains("\"count\": 2"), "{text}");

    std::fs::write(dir.path().join("a.parameters.json"), repeated(4)).unwrap();
    let run = lhlint_in(dir.path(), &[&args[..], &["--baseline", "base.json"]].concat());
    assert_eq!(
        run.stdout,
        "a.parameters.json:7:246: warning: duplicate property `roleDefinitionId`: only the last one takes effect [LH903]\n"
    );
}

#[test]
fn unmatched_entries_are_counted_and_the_file_is_stable() {
    let dir = tree(&[
        ("sub/a.parameters.json", &params(&[(A, OWNER), (B, OWNER)])),
        ("sub/b.parameters.json", &params(&[(A, OWNER)])),
    ]);
    check(dir.path(), &["--write-baseline", "ci/base.json", "sub"]);
    let first = std::fs::read_to_string(dir.path().join("ci/base.json")).unwrap();
    check(
        dir.path(),
        &[
            "--write-baseline",
            "ci/base.json",
            "sub/b.parameters.json",
            "sub/a.parameters.json",
        ],
    );
    let second = std::fs::read_to_string(dir.path().join("ci/base.json")).unwrap();
    assert_eq!(first, second, "same findings, same file");
    assert!(first.contains(r#""file": "../sub/a.parameters.json""#), "{first}");
    let files: Vec<&str> = first.lines().filter(|l| l.contains("\"file\"")).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "entries are sorted by file");

    // Fix one Owner: its entry no longer matches.
    std::fs::write(
        dir.path().join("sub/a.parameters.json"),
        params(&[(A, OWNER), (B, READER)]),
    )
    .unwrap();
    let run = lhlint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            SELECT,
            "--baseline",
            "ci/base.json",
            "sub",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["summary"]["baselined"], 4);
    assert_eq!(report["summary"]["baseline_unmatched"], 1);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 0);

    let human = lhlint_in(
        dir.path(),
        &["check", "--select", SELECT, "--baseline", "ci/base.json", "sub"],
    );
    assert!(
        human.stdout.ends_with(
            "No problems found in 2 files.\n4 findings in the baseline not shown.\n1 finding of the baseline no longer occurs; write a new baseline to prune it.\n"
        ),
        "{}",
        human.stdout
    );
}

#[test]
fn an_unreadable_baseline_stops_the_run() {
    let dir = tree(&[
        ("a.parameters.json", &params(&[(A, READER)])),
        ("bad.json", "{\"version\": 7, \"findings\": []}"),
    ]);
    let run = check(dir.path(), &["--baseline", "missing.json"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(
        run.stderr.contains("cannot use baseline missing.json"),
        "{}",
        run.stderr
    );
    let run = check(dir.path(), &["--baseline", "bad.json", "a.parameters.json"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(
        run.stderr.contains("baseline version 7 is not supported"),
        "{}",
        run.stderr
    );
}

#[test]
fn entries_follow_their_authorization_when_indexes_move() {
    const C: &str = "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c43";
    let dir = tree(&[("a.parameters.json", &params(&[(A, OWNER), (B, READER)]))]);
    check(dir.path(), &["--write-baseline", "base.json"]);
    let lh042 = |run: &common::Run| -> Vec<String> {
        run.stdout
            .lines()
            .filter(|l| l.ends_with("[LH042]"))
            .map(|l| l.split(": ").next().unwrap_or_default().to_string())
            .collect()
    };

    // An authorization inserted first moves the Owner one from index 0 to 1: still baselined.
    std::fs::write(
        dir.path().join("a.parameters.json"),
        params(&[(C, READER), (A, OWNER), (B, READER)]),
    )
    .unwrap();
    let run = check(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(run.stdout, "", "moved, not new");
    assert_eq!(run.status, ExitStatus::Success);

    // A new Owner authorization inserted first is the one reported (line 7, index 0),
    // not the baselined one it pushed to index 1.
    std::fs::write(
        dir.path().join("a.parameters.json"),
        params(&[(C, OWNER), (A, OWNER), (B, READER)]),
    )
    .unwrap();
    let run = check(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(lh042(&run), ["a.parameters.json:7:86"], "{}", run.stdout);

    // The baselined authorization edited in place (another principal) is still baselined.
    std::fs::write(dir.path().join("a.parameters.json"), params(&[(C, OWNER), (B, READER)])).unwrap();
    let run = check(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(lh042(&run), Vec::<String>::new(), "{}", run.stdout);

    // Entries without element fingerprints (older baselines) match by place as before.
    let path = dir.path().join("base.json");
    let mut old: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut removed = 0;
    for entry in old["findings"].as_array_mut().unwrap() {
        removed += usize::from(entry.as_object_mut().unwrap().remove("element").is_some());
    }
    assert_eq!(
        removed, 1,
        "the LH042 entry has one, LH049's (on the array) none: {old}"
    );
    std::fs::write(&path, old.to_string()).unwrap();
    std::fs::write(dir.path().join("a.parameters.json"), params(&[(A, OWNER), (B, READER)])).unwrap();
    let run = check(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(run.stdout, "");
}
