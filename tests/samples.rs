//! The official Lighthouse samples and the example tree, as real input.

mod common;

use common::lhlint;

#[test]
fn official_samples_parse_and_report_the_placeholder_tenant() {
    let run = lhlint(&["check", "--format", "json", "fixtures/lighthouse-samples"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 64);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert!(diags.iter().all(|d| d["rule"] != "LH000"), "no sample fails to parse");
    let tenant = diags
        .iter()
        .find(|d| {
            d["file"] == "fixtures/lighthouse-samples/templates/delegated-resource-management/subscription/subscription.parameters.json"
                && d["range"]["start"]["line"] == 12
        })
        .expect("the placeholder tenant is reported");
    assert_eq!(tenant["rule"], "LH028");
    assert_eq!(tenant["range"]["start"]["column"], 22);
    assert!(
        tenant["message"]
            .as_str()
            .unwrap()
            .contains("<insert managing tenant id>")
    );
    // Log Analytics Contributor gained a DataAction in June 2025; the samples still
    // let User Access Administrator assign it.
    let data_action = diags
        .iter()
        .find(|d| {
            d["rule"] == "LH045"
                && d["file"]
                    == "fixtures/lighthouse-samples/templates/delegated-resource-management/subscription/subscription.parameters.json"
        })
        .expect("Log Analytics Contributor in delegatedRoleDefinitionIds is reported");
    assert_eq!(data_action["severity"], "error");
    assert_eq!(data_action["range"]["start"]["line"], 33);
    assert!(
        data_action["message"]
            .as_str()
            .unwrap()
            .contains("92aaf0da-9dab-42b6-94a3-d43ce8d16293 (Log Analytics Contributor)")
    );
    // User Access Administrator is not a restricted-action role here.
    assert!(diags.iter().all(|d| d["rule"] != "LH044"), "no LH044 in the samples");
    // The only errors are the placeholders and the role that gained DataActions.
    let errors: std::collections::BTreeSet<&str> = diags
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["LH028", "LH045"].into_iter().collect(), "{errors:?}");
    // The management-group policy sample's inner template has a malformed $schema (no /schemas/).
    assert!(diags.iter().any(|d| {
        d["rule"] == "LH014"
            && d["file"]
                == "fixtures/lighthouse-samples/templates/policy-delegate-management-groups/deployLighthouseIfNotExistManagementGroup.json"
            && d["range"]["start"]["line"] == 123
    }));
    // The marketplace sample grants Contributor permanently, twice.
    let broad = diags
        .iter()
        .filter(|d| {
            d["rule"] == "LH047"
                && d["file"]
                    .as_str()
                    .unwrap()
                    .ends_with("marketplaceDelegatedResourceManagement.parameters.json")
        })
        .count();
    assert_eq!(broad, 2);
    // The marketplace sample has no Delete Role authorization.
    assert!(diags.iter().any(|d| {
        d["rule"] == "LH049"
            && d["file"]
                .as_str()
                .unwrap()
                .ends_with("marketplaceDelegatedResourceManagement.parameters.json")
    }));
}

#[test]
fn example_tree_shows_real_findings() {
    let run = lhlint(&["check", "--format", "concise", "examples/contoso-msp"]);
    assert_eq!(run.status, lhlint::ExitStatus::Failure);
    for expected in [
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:39:41: error: authorization grants 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner)",
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:44:47: warning: authorization for principal",
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:9:7: warning: the publisher holds only legacy credentials",
        // User Access Administrator without delegatedRoleDefinitionIds: reported at the item, plus the info.
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:47:17: error: User Access Administrator is granted without `delegatedRoleDefinitionIds` [LH050]",
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:51:41: info: 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9 (User Access Administrator) here only lets",
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:56:13: info: eligible authorizations need a Microsoft Entra ID Governance licence",
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:65:54: error: maximumActivationDuration `PT12H` is longer than PT8H [LH064]",
        // The private plan has only eligible authorizations: no permanent Reader for its principals.
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:216:28: warning: eligible principal f6eca5f9-9f23-4aa7-87a4-da791e955cf1 has no permanent authorization with Reader access [LH069]",
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:237:28: warning: eligible principal 896e8da7-fd61-4658-b0ed-be70cf3badd6 has no permanent authorization with Reader access [LH069]",
        "examples/contoso-msp/onboarding/resource-group/rg.parameters.json:41:13: info: eligible authorizations need a Microsoft Entra ID Governance licence",
        // The consequences of the private plan's eligible-only authorizations (MS014).
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:214:9: warning: no permanent authorization includes Reader access [LH048]",
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:214:9: warning: no authorization grants the Managed Services Registration assignment Delete Role [LH049]",
        // Resource-group onboarding notes.
        "examples/contoso-msp/onboarding/resource-group/rg.parameters.json:17:22: info: resource group `rg-northwind-webshop-prod` must already exist",
        "examples/contoso-msp/onboarding/resource-group/rg.json:84:37: info: this registration assignment delegates a resource group",
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:48:9: error: the plan has 21 authorizations, more than the 20 Partner Center allows [MS013]",
        "examples/contoso-msp/offers/contoso-managed-azure.offer.json:214:9: error: the plan has no active authorization [MS014]",
        // Cross-file: pairs the subscription onboarding grants and no plan of the offer does.
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:39:41: warning: the template grants 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner) to ada55190-fe7d-477d-92c3-3820b360f560, which no plan of offer `Contoso Managed Azure` grants [MS031]",
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:45:41: warning: the template grants cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e (Support Request Contributor) to e47b77fa-d502-4ca8-b798-22199951c6e7, which no plan of offer `Contoso Managed Azure` grants [MS031]",
        "examples/contoso-msp/onboarding/subscription/subscription.parameters.json:51:41: warning: the template grants 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9 (User Access Administrator) to 330c057f-14e6-4d13-b994-300be0bb065e, which no plan of offer `Contoso Managed Azure` grants [MS031]",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(expected)),
            "missing {expected}\n{}",
            run.stdout
        );
    }
    // The subscription example grants User Access Administrator, which is not a restricted-action role here.
    assert!(!run.stdout.contains("[LH044]"), "{}", run.stdout);
    // The eligible Tier 2 group also holds a permanent Reader; its MFA is Azure; its approver is another group.
    for rule in ["LH061", "LH063", "LH068"] {
        assert!(!run.stdout.contains(&format!("[{rule}]")), "{rule}:\n{}", run.stdout);
    }
    assert_eq!(run.stdout.matches("[LH069]").count(), 2, "{}", run.stdout);
    assert!(
        !run.stdout
            .lines()
            .any(|l| l.contains("resource-group/rg") && !l.contains(": info: ")),
        "the resource-group example has no errors or warnings:\n{}",
        run.stdout
    );
    // Exactly the three planted pairs; the managing tenant is the same everywhere.
    assert_eq!(run.stdout.matches("[MS031]").count(), 3, "{}", run.stdout);
    assert!(!run.stdout.contains("[MS030]"), "{}", run.stdout);
}
