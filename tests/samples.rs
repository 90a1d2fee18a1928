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
    assert!(
        !run.stdout.contains("resource-group/rg"),
        "the resource-group example is clean:\n{}",
        run.stdout
    );
    // Exactly the three planted pairs; the managing tenant is the same everywhere.
    assert_eq!(run.stdout.matches("[MS031]").count(), 3, "{}", run.stdout);
    assert!(!run.stdout.contains("[MS030]"), "{}", run.stdout);
}
