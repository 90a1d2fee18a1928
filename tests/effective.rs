//! The effective deployment: values followed through expressions, copy loops
//! and nested deployments, reported where they were written.

mod common;

use common::lhlint;
use serde_json::{Value, json};

fn diagnostics(path: &str, select: &str) -> Vec<Value> {
    let run = lhlint(&["check", "--format", "json", "--select", select, path]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

fn related(d: &Value) -> Vec<(String, u64, String)> {
    d["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["range"]["start"]["line"].as_u64().unwrap(),
                r["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn defect_in_a_copy_loop_is_reported_at_its_origin_with_the_instance() {
    let d = diagnostics("fixtures/effective/copy-loop", "LH042");
    assert_eq!(d.len(), 1, "only the premium tier grants Owner: {d:?}");
    assert_eq!(d[0]["file"], "fixtures/effective/copy-loop/tiers.parameters.json");
    assert_eq!(d[0]["range"]["start"], json!({"line": 19, "column": 126}));
    assert_eq!(
        d[0]["pointer"],
        "/parameters/tiers/value/1/authorizations/0/roleDefinitionId"
    );
    assert_eq!(
        related(&d[0]),
        vec![
            (
                "fixtures/effective/copy-loop/tiers.json".to_string(),
                19,
                "value used here: [parameters('tiers')[copyIndex()].authorizations]".to_string()
            ),
            (
                "fixtures/effective/copy-loop/tiers.json".to_string(),
                15,
                "in instance 1 of copy loop `tierCopy`".to_string()
            ),
        ]
    );
}

#[test]
fn defect_inside_a_nested_deployment_is_reported_at_its_origin() {
    let d = diagnostics("fixtures/effective/nested", "LH042");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["file"], "fixtures/effective/nested/nested.parameters.json");
    assert_eq!(d[0]["range"]["start"], json!({"line": 9, "column": 119}));
    let chain = related(&d[0]);
    assert_eq!(chain.len(), 2, "{chain:?}");
    assert_eq!(chain[0].1, 40, "the inner template's use of its parameter");
    assert_eq!(chain[1].1, 23, "the outer value passed to the nested deployment");
}

#[test]
fn nested_and_copy_templates_have_no_other_findings() {
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--ignore",
        "LH042,LH026,LH036",
        "fixtures/effective/nested",
        "fixtures/effective/copy-loop",
    ]);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_template_with_several_parameters_files_is_linted_once_per_file() {
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "LH010,LH042",
        "fixtures/effective/environments",
    ]);
    assert_eq!(
        run.stdout,
        "fixtures/effective/environments/app.json:37:15: error: resource name `contoso-prod-definition` is not a GUID (with `fixtures/effective/environments/app.parameters.prod.json`) [LH010]\n\
         fixtures/effective/environments/app.parameters.prod.json:32:31: error: authorization grants 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner), which Azure Lighthouse does not support [LH042]\n"
    );
}

#[test]
fn explicit_parameters_file_pairs_with_the_template() {
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--ignore",
        "LH036",
        "fixtures/effective/environments/app.json",
        "--parameters",
        "fixtures/effective/environments/app.parameters.dev.json",
    ]);
    assert_eq!(run.stdout, "");
    assert_eq!(run.status, lhlint::ExitStatus::Success);
    let missing = lhlint(&[
        "check",
        "fixtures/effective/environments/app.json",
        "--parameters",
        "nope.json",
    ]);
    assert_eq!(missing.status, lhlint::ExitStatus::Error);
}

#[test]
fn guid_and_expressions_are_evaluated_like_arm() {
    // The definition name `[guid(parameters('mspOfferName'))]` evaluates to a GUID: no LH010.
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "LH010",
        "fixtures/rules/LH010/pass",
    ]);
    assert_eq!(run.stdout, "");
    assert_eq!(lhlint::arm::guid(&["asdf"]), "228d27cc-6fdb-5934-b7ac-1efccebade04");
}
