//! Inline suppressions: every comment form, the metadata form, expiry, and
//! the diagnostics about suppressions (LH900, LH901, LH902), with positions.

mod common;

use common::{OWNER, lhlint_in, tree};
use lhlint::ExitStatus;

const SELECT: &str = "LH042,LH031,LH900,LH901,LH902";

fn auth(n: u32) -> String {
    format!(r#"{{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4{n}", "roleDefinitionId": "{OWNER}" }}"#)
}

/// A parameters file (no template) with one Owner authorization per line, each suppressed another way.
fn forms() -> String {
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "authorizations": {{
      "value": [
        // lhlint-ignore LH042 -- the line below
        {a1},
        {a2}, // lhlint-ignore LH042 -- this line
        /* lhlint-ignore LH031, lh042 until=2999-12-31 -- a block comment naming two rules */

        {a3},
        {{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c44", "roleDefinitionId": "{OWNER}",
          "metadata": {{ "lhlint-ignore": {{ "LH042": "metadata on the authorization" }} }} }},
        {a5}, // lhlint-ignore LH042 until=2020-01-01 -- expired
        {a6}
      ]
    }}
  }}
}}
"#,
        a1 = auth(1),
        a2 = auth(2),
        a3 = auth(3),
        a5 = auth(5),
        a6 = auth(6),
    )
}

/// A template whose registration definition carries metadata suppressing
/// LH042 for the values it uses from its parameters file.
const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "authorizations": { "type": "array" } },
  "resources": [
    {
      "type": "Microsoft.ManagedServices/registrationDefinitions",
      "apiVersion": "2022-10-01",
      "name": "0b4a1c52-3f3e-4c8e-9d7a-1f2e3d4c5b6a",
      "metadata": { "lhlint-ignore": { "LH042": "lab tenant, approved in CHG-7" } },
      "properties": {
        "managedByTenantId": "2f8c5d8e-1b6a-4c1e-9a57-3c9e0f3b7a21",
        "authorizations": "[parameters('authorizations')]"
      }
    }
  ]
}
"#;

fn params(body: &str) -> String {
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  {body}
}}
"#
    )
}

fn workspace() -> tempfile::TempDir {
    let two = format!(
        r#""parameters": {{ "authorizations": {{ "value": [
    {},
    {}
  ] }} }}"#,
        auth(7),
        auth(8)
    );
    let file_level = format!("// lhlint-ignore-file LH042 -- a whole file\n  {two}");
    tree(&[
        ("forms.parameters.json", &forms()),
        ("whole.parameters.json", &params(&file_level)),
        ("paired/onboard.json", TEMPLATE),
        ("paired/onboard.parameters.json", &params(&two)),
    ])
}

#[test]
fn every_form_suppresses_with_its_reason() {
    let dir = workspace();
    let run = lhlint_in(
        dir.path(),
        &["check", "--format", "concise", "--select", SELECT, "--show-suppressed"],
    );
    let owner = format!("error: authorization grants {OWNER} (Owner), which Azure Lighthouse does not support [LH042]");
    let expected = [
        format!("forms.parameters.json:8:86: {owner} (suppressed: the line below)"),
        format!("forms.parameters.json:9:86: {owner} (suppressed: this line)"),
        "forms.parameters.json:10:26: warning: unused suppression of LH031 [LH900]".to_string(),
        format!("forms.parameters.json:12:86: {owner} (suppressed: a block comment naming two rules)"),
        format!("forms.parameters.json:13:86: {owner} (suppressed: metadata on the authorization)"),
        format!("forms.parameters.json:15:86: {owner}"),
        "forms.parameters.json:15:151: warning: suppression of LH042 expired on 2020-01-01 [LH902]".to_string(),
        format!("forms.parameters.json:16:86: {owner}"),
        format!("paired/onboard.parameters.json:5:82: {owner} (suppressed: lab tenant, approved in CHG-7)"),
        format!("paired/onboard.parameters.json:6:82: {owner} (suppressed: lab tenant, approved in CHG-7)"),
        format!("whole.parameters.json:6:82: {owner} (suppressed: a whole file)"),
        format!("whole.parameters.json:7:82: {owner} (suppressed: a whole file)"),
    ];
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected, "{}", run.stdout);
    assert_eq!(run.status, ExitStatus::Failure, "two findings are not suppressed");

    // Without --show-suppressed only what is not suppressed is listed.
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", SELECT]);
    let shown: Vec<&str> = run.stdout.lines().collect();
    let unsuppressed: Vec<&String> = expected.iter().filter(|l| !l.contains("(suppressed")).collect();
    assert_eq!(shown, unsuppressed);
}

#[test]
fn summary_counts_suppressed_findings() {
    let dir = workspace();
    let run = lhlint_in(dir.path(), &["check", "--format", "json", "--select", SELECT]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["summary"]["suppressed"], 8);
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(report["summary"]["warnings"], 2);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d.get("suppressed").is_none())
    );

    let shown = lhlint_in(
        dir.path(),
        &["check", "--format", "json", "--select", SELECT, "--show-suppressed"],
    );
    let report: serde_json::Value = serde_json::from_str(&shown.stdout).expect("JSON");
    assert_eq!(report["summary"]["errors"], 2, "suppressed findings do not count");
    let first = &report["diagnostics"][0];
    assert_eq!(first["suppressed"]["reason"], "the line below", "{first}");

    let human = lhlint_in(dir.path(), &["check", "--select", SELECT, "--show-suppressed"]);
    assert!(
        human
            .stdout
            .contains("error[LH042]: authorization grants 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner), which Azure Lighthouse does not support (suppressed: a whole file)"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .ends_with("Found 4 problems in 4 files: 2 errors, 2 warnings, 0 infos.\n8 findings suppressed.\n"),
        "{}",
        human.stdout
    );
}

#[test]
fn unused_suppressions_are_judged_only_for_rules_that_run() {
    let dir = workspace();
    // LH031 does not run: its suppression on line 10 cannot be judged.
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", "LH042,LH900"]);
    assert!(!run.stdout.contains("[LH900]"), "{}", run.stdout);
    // LH042 does not run either: nothing is unused, nothing is suppressed.
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", "LH900"]);
    assert_eq!(run.stdout, "");
    // Per-file settings decide too.
    std::fs::write(
        dir.path().join("lhlint.toml"),
        "[lint.per-file-ignores]\n\"forms.parameters.json\" = [\"LH900\"]\n",
    )
    .unwrap();
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", SELECT]);
    assert!(!run.stdout.contains("[LH900]"), "{}", run.stdout);
}

#[test]
fn unknown_ids_and_malformed_suppressions() {
    let body = format!(
        r#""parameters": {{ "authorizations": {{ "value": [
    {}, // lhlint-ignore LH9999 -- typo
    {}, // lhlint-ignore -- no rule
    {}, // lhlint-ignore LH042 until=tomorrow -- not a date
    {} /* lhlint-ignore: LH042 */
  ] }} }}"#,
        auth(1),
        auth(2),
        auth(3),
        auth(4)
    );
    let dir = tree(&[("p.parameters.json", &params(&body))]);
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", SELECT]);
    let meta: Vec<&str> = run.stdout.lines().filter(|l| !l.ends_with("[LH042]")).collect();
    assert_eq!(
        meta,
        [
            "p.parameters.json:5:141: warning: suppression names unknown rule `LH9999` [LH900]",
            "p.parameters.json:6:124: warning: invalid suppression: it names no rule (write the rule ids after `lhlint-ignore`) [LH900]",
            "p.parameters.json:7:147: warning: invalid suppression: `until=tomorrow` is not a date (until=YYYY-MM-DD) [LH900]",
            "p.parameters.json:8:123: warning: suppression of LH042 gives no reason [LH901]",
        ]
    );
    // Only the last one applies (without a reason, it still suppresses).
    assert_eq!(run.stdout.lines().filter(|l| l.ends_with("[LH042]")).count(), 3);
}

#[test]
fn metadata_entries_with_until_and_invalid_shapes() {
    let body = format!(
        r#""parameters": {{ "authorizations": {{ "value": [
    {{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c41", "roleDefinitionId": "{OWNER}",
      "metadata": {{ "lhlint-ignore": {{ "LH042": {{ "reason": "pilot", "until": "2999-01-01" }} }} }} }},
    {{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c42", "roleDefinitionId": "{OWNER}",
      "metadata": {{ "lhlint-ignore": {{ "LH042": {{ "reason": "pilot", "when": "later" }} }} }} }},
    {{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c43", "roleDefinitionId": "{OWNER}",
      "metadata": {{ "lhlint-ignore": ["LH042"] }} }}
  ] }} }}"#
    );
    let dir = tree(&[("p.parameters.json", &params(&body))]);
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", SELECT]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let owner = format!("error: authorization grants {OWNER} (Owner), which Azure Lighthouse does not support [LH042]");
    assert_eq!(
        lines,
        [
            format!("p.parameters.json:7:82: {owner}"),
            "p.parameters.json:8:70: warning: invalid suppression: expected only `reason` and `until` here [LH900]"
                .to_string(),
            format!("p.parameters.json:9:82: {owner}"),
            "p.parameters.json:10:38: warning: invalid suppression: `lhlint-ignore` must be an object of rule id → reason [LH900]"
                .to_string(),
        ]
    );
}

#[test]
fn files_that_are_not_linted_are_not_judged() {
    let dir = tree(&[(
        "settings.json",
        "{\n  // lhlint-ignore LH042 -- not an onboarding file\n  \"a\": 1 // lhlint-ignore LH0000 -- typo\n}\n",
    )]);
    let run = lhlint_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        run.stdout,
        "settings.json:3:27: warning: suppression names unknown rule `LH0000` [LH900]\n"
    );
}
