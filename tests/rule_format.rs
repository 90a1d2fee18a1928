//! The rule-file format's reuse and cross-file parts, as a user writes them
//! with `--rules DIR`: `rule`, `workspace` relations, and their load errors.

mod common;

use common::lhlint;
use lhlint::ExitStatus;

/// Writes `files` (name, text) into a new directory for `--rules`.
fn rules_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn check_with(dir: &tempfile::TempDir, select: &str, path: &str) -> common::Run {
    lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        select,
        "--rules",
        dir.path().to_str().unwrap(),
        path,
    ])
}

#[test]
fn a_workspace_rule_written_by_a_user() {
    // Templates whose mspOfferName names no offer of the tree.
    let dir = rules_dir(&[(
        "ACME010.jsonc",
        r##"{ "id": "ACME010", "name": "template-without-offer", "severity": "warning", "summary": "s",
              "workspace": [ {
                "subjects": { "applies-to": ["template", "parameters"], "given": ["#OfferName"], "fields": { "name": "@" } },
                "others": { "applies-to": ["offer"], "given": ["#OfferName"], "fields": { "name": "@" } },
                "expect": [ { "quantifier": "some", "pair": { "equal": ["name"] }, "at": "name", "related": "name",
                              "related-label": "an offer of the tree" } ] } ],
              "message": "no offer is named `{{value}}`" }"##,
    )]);
    let run = check_with(&dir, "ACME010", "examples/contoso-msp");
    assert_eq!(
        run.stdout,
        "examples/contoso-msp/onboarding/resource-group/rg.parameters.json:8:22: warning: no offer is named `Contoso Managed Azure - App Platform` [ACME010]\n"
    );
}

#[test]
fn a_user_rule_reuses_a_builtin_rules_checks() {
    let dir = rules_dir(&[(
        "ACME011.jsonc",
        r##"{ "id": "ACME011", "name": "placeholder-display-name", "severity": "error", "summary": "s",
              "given": ["#AuthorizationItems.principalIdDisplayName"],
              "then": { "function": "rule", "options": { "id": "LH028" } },
              "message": "display name `{{value}}` is a placeholder" }"##,
    )]);
    let fixture = tempfile::tempdir().unwrap();
    std::fs::write(
        fixture.path().join("a.parameters.json"),
        r#"{ "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#",
             "parameters": { "authorizations": { "value": [
               { "principalId": "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b", "principalIdDisplayName": "<group name>",
                 "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7" } ] } } }"#,
    )
    .unwrap();
    let run = check_with(&dir, "ACME011", fixture.path().to_str().unwrap());
    assert!(
        run.stdout
            .ends_with("a.parameters.json:3:99: error: display name `<group name>` is a placeholder [ACME011]\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn join_over_its_own_items_looks_for_another_node() {
    // Each authorization needs another one of the same principal. An item is
    // one of the candidates, and never its own counterpart.
    let dir = rules_dir(&[(
        "ACME012.jsonc",
        r##"{ "id": "ACME012", "name": "lone-principal", "severity": "warning", "summary": "s",
              "given": ["#Definitions"],
              "then": { "function": "join", "options": { "items": "#DefinitionAuthorizationItems",
                        "in": "#DefinitionAuthorizationItems", "on": ["principalId"], "case-insensitive": true } },
              "message": "{{value}} has one authorization only" }"##,
    )]);
    let fixture = tempfile::tempdir().unwrap();
    let item = |principal: &str| {
        format!(r#"{{ "principalId": "{principal}", "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7" }}"#)
    };
    let (p, q, r) = (
        "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
        "6f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
        "7f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
    );
    let items = [item(p), item(q), item(&p.to_uppercase()), item(r), item(q), item(q)];
    std::fs::write(
        fixture.path().join("a.parameters.json"),
        format!(
            "{{ \"$schema\": \"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#\",\n\
               \"parameters\": {{ \"authorizations\": {{ \"value\": [\n{}\n] }} }} }}",
            items.join(",\n")
        ),
    )
    .unwrap();
    let run = check_with(&dir, "ACME012", fixture.path().to_str().unwrap());
    let found: Vec<&str> = run.stdout.lines().map(|l| l.rsplit_once(".json:").unwrap().1).collect();
    assert_eq!(
        found,
        [format!("6:18: warning: {r} has one authorization only [ACME012]")],
        "{}",
        run.stdout
    );
}

/// Loads `text` as rule ACME001 and returns stderr (the load must fail).
fn load_error(text: &str) -> String {
    let dir = rules_dir(&[("ACME001.jsonc", text)]);
    let run = check_with(&dir, "ACME001", "fixtures/rules/LH042/pass");
    assert_eq!(run.status, ExitStatus::Error, "{}", run.stderr);
    run.stderr
}

#[test]
fn rule_reuse_errors_point_into_the_rule_file() {
    let stderr = load_error(
        "{ \"id\": \"ACME001\", \"name\": \"a\", \"severity\": \"error\", \"summary\": \"s\", \"given\": [\"$\"],\n  \"then\": { \"function\": \"rule\", \"options\": { \"id\": \"LH999\" } }, \"message\": \"m\" }",
    );
    assert!(stderr.contains("unknown rule `LH999`"), "{stderr}");
    assert!(stderr.contains("ACME001.jsonc:2:52"), "{stderr}");
    let stderr = load_error(
        "{ \"id\": \"ACME001\", \"name\": \"a\", \"severity\": \"error\", \"summary\": \"s\", \"given\": [\"$\"],\n  \"then\": { \"function\": \"rule\", \"options\": { \"id\": \"ACME001\" } }, \"message\": \"m\" }",
    );
    assert!(stderr.contains("rule `ACME001` refers to itself"), "{stderr}");
}

#[test]
fn relation_errors_point_into_the_rule_file() {
    let stderr = load_error(
        r#"{ "id": "ACME001", "name": "a", "severity": "error", "summary": "s", "message": "m",
  "workspace": [ { "subjects": { "given": ["$"], "fields": { "a": "x" } }, "join": ["b"],
                   "expect": [ { "quantifier": "some", "pair": { "equal": ["c"] }, "at": "d" } ] } ] }"#,
    );
    assert!(
        stderr.contains("join field `b` is not a field of both sources"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pair field `c` is not a field of both sources"),
        "{stderr}"
    );
    assert!(stderr.contains("`at` field `d` is not a subject field"), "{stderr}");
    let stderr = load_error(
        r#"{ "id": "ACME001", "name": "a", "severity": "error", "summary": "s", "message": "m",
  "workspace": [ { "subjects": { "given": ["$"], "fields": { "a": "x" } }, "pairing": "previous-version",
                   "expect": [ { "quantifier": "sometimes", "at": "a" } ] } ] }"#,
    );
    assert!(stderr.contains("unknown variant `sometimes`"), "{stderr}");
    let stderr = load_error(
        r#"{ "id": "ACME001", "name": "a", "severity": "error", "summary": "s", "message": "m",
  "workspace": [ { "subjects": { "given": ["$"], "fields": { "a": "x" } }, "pairing": "previous-version",
                   "expect": [ { "quantifier": "some", "at": "a" } ] } ] }"#,
    );
    assert!(stderr.contains("`previous-version` pairing needs `others`"), "{stderr}");
}

#[test]
fn values_from_errors_point_into_the_rule_file() {
    let stderr = load_error(
        "{ \"id\": \"ACME001\", \"name\": \"a\", \"severity\": \"error\", \"summary\": \"s\", \"given\": [\"$\"],\n  \"then\": { \"function\": \"excluded\", \"options\": { \"values-from\": \"customers\" } }, \"message\": \"m\" }",
    );
    assert!(stderr.contains("unknown context list `customers`"), "{stderr}");
    assert!(stderr.contains("expected one of: customer-tenants"), "{stderr}");
    assert!(stderr.contains("ACME001.jsonc:2:65"), "{stderr}");
    for options in [
        "{ \"values\": [\"a\"], \"values-from\": \"customer-tenants\" }",
        "{ \"case-insensitive\": true }",
    ] {
        let stderr = load_error(&format!(
            "{{ \"id\": \"ACME001\", \"name\": \"a\", \"severity\": \"error\", \"summary\": \"s\", \"given\": [\"$\"],\n  \"then\": {{ \"function\": \"enumeration\", \"options\": {options} }}, \"message\": \"m\" }}"
        ));
        assert!(
            stderr.contains("`enumeration` needs either `values` or `values-from`"),
            "{stderr}"
        );
    }
}

#[test]
fn invalid_options_and_fields_are_worded_by_serde_and_placed_by_the_span_parser() {
    // Options are read from the rule file's text: the message is serde's,
    // without serde_json's own "at line L column C", and the label is at the value.
    let stderr = load_error(
        "{ \"id\": \"ACME001\", \"name\": \"a\", \"severity\": \"error\", \"summary\": \"s\", \"given\": [\"$\"],\n  \"then\": { \"function\": \"pattern\",\n            \"options\": { \"match\": 5 } }, \"message\": \"m\" }",
    );
    assert!(
        stderr.contains("invalid options: invalid type: integer `5`, expected a string\n"),
        "{stderr}"
    );
    assert!(stderr.contains("ACME001.jsonc:3:26"), "{stderr}");
    assert!(stderr.contains("could not load the rules (1 problem)\n"), "{stderr}");
    // An unknown member of the rule file itself, after a comment.
    let stderr = load_error(
        "// ACME001\n{ \"id\": \"ACME001\", \"name\": \"a\", \"severity\": \"error\", \"summary\": \"s\", \"given\": [\"$\"],\n  \"bogus\": true, \"then\": { \"function\": \"defined\" }, \"message\": \"m\" }",
    );
    assert!(
        stderr.contains("invalid rule file: unknown field `bogus`, expected one of"),
        "{stderr}"
    );
    assert!(!stderr.contains(" at line "), "{stderr}");
    assert!(stderr.contains("ACME001.jsonc:3:3"), "{stderr}");
}
