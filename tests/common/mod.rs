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

/// `lhlint check --format json ARGS…`: the exit status and the parsed report
/// (which must be valid JSON whatever the inputs held).
pub fn check_json(args: &[&str]) -> (lhlint::ExitStatus, serde_json::Value) {
    let mut all = vec!["check", "--format", "json"];
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
pub fn template(role: &str, principal_name: &str) -> String {
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

/// The Owner role, which LH042 reports.
pub const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
/// Contributor, which no rule reports.
pub const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
