//! Inputs that must neither hang nor crash lhlint.

mod common;

use std::sync::mpsc;
use std::time::Duration;

/// Runs lhlint on `dir` on another thread; fails when it takes longer than 60 s.
fn check_within_a_minute(dir: &std::path::Path) -> common::Run {
    let (tx, rx) = mpsc::channel();
    let path = dir.to_str().unwrap().to_string();
    std::thread::spawn(move || {
        let _ = tx.send(common::lhlint(&["check", "--format", "concise", &path]));
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("lhlint finishes within a minute")
}

#[test]
fn values_that_reference_themselves_do_not_hang_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("loop.json"),
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "loop": {
      "a": "[variables('loop')]",
      "b": "[variables('loop')]",
      "resources": [ { "type": "Microsoft.ManagedServices/registrationDefinitions",
                       "properties": { "managedByTenantId": "[variables('loop')]", "authorizations": "[variables('loop')]" } } ]
    }
  },
  "resources": [ { "type": "Microsoft.Resources/deployments", "name": "[variables('loop')]",
                   "properties": { "template": "[variables('loop')]" } } ]
}"#,
    )
    .unwrap();
    let run = check_within_a_minute(dir.path());
    assert!(!run.stdout.contains("internal error"), "{}", run.stdout);
}

#[test]
fn malformed_offers_give_diagnostics_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("array.offer.json", "[1, 2]"),
        ("scalars.offer.json", r#"{"offer": 1, "plans": "x"}"#),
        (
            "nulls.offer.json",
            r#"{"offer": {"publisher": null}, "plans": [null, {"manifest": null}]}"#,
        ),
        (
            "deep.offer.json",
            r#"{"offer": {"id": "a", "name": "a", "publisher": {"publisherId": "p", "partnerId": "1"}},
                "plans": [{"id": "a", "name": "a", "visibility": "public",
                  "manifest": {"version": "1.0.0", "tenantId": "3c6e4f0a-5d2b-4c1e-9f7a-8b2d1e0c3a45",
                    "authorizations": [[], {}, {"accessType": {}}, {"justInTimeAccessPolicy": [1]}]}}]}"#,
        ),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let run = check_within_a_minute(dir.path());
    assert_eq!(run.status, lhlint::ExitStatus::Failure);
    assert!(!run.stdout.contains("internal error"), "{}", run.stdout);
    for expected in [
        "scalars.offer.json:1:11: error: `offer` is number, expected an object [MS002]",
        "scalars.offer.json:1:23: error: `plans` is string, expected an array [MS003]",
        "nulls.offer.json:1:42: error: a plan is null, expected an object [MS004]",
        "array.offer.json:1:1: error: the manifest is array, expected an object with `offer` and `plans` [MS003]",
        "deep.offer.json:4:40: error: an authorization is array, expected an object [MS013]",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.ends_with(expected)),
            "missing {expected}\n{}",
            run.stdout
        );
    }
}
