//! The files that plug lhlint into editors and CI: the problem matcher, the
//! rule-file schema, the pre-commit hook and the GitHub Action.

mod common;

use common::lhlint;
use serde_json::Value;

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Concise lines and JSON diagnostics for everything under `fixtures/`.
fn concise_and_json() -> (String, Vec<Value>) {
    let args = ["--principals", "fixtures/rules/LH031/principals.json", "fixtures"];
    let concise = lhlint(&[&["check", "--format", "concise"][..], &args].concat()).stdout;
    let json: Value =
        serde_json::from_str(&lhlint(&[&["check", "--format", "json"][..], &args].concat()).stdout).unwrap();
    (concise, json["diagnostics"].as_array().unwrap().clone())
}

#[test]
fn problem_matcher_captures_every_concise_line() {
    let matcher = read_json(".github/lhlint-problem-matcher.json");
    let config = &matcher["problemMatcher"][0];
    assert_eq!(config["owner"], "lhlint");
    let pattern = &config["pattern"][0];
    let re = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group = |name: &str| pattern[name].as_u64().unwrap() as usize;
    let (concise, diagnostics) = concise_and_json();
    let lines: Vec<&str> = concise.lines().collect();
    assert_eq!(lines.len(), diagnostics.len());
    assert!(lines.len() > 20, "the fixtures give many lines ({})", lines.len());
    let severities: std::collections::BTreeSet<&str> =
        diagnostics.iter().map(|d| d["severity"].as_str().unwrap()).collect();
    assert!(severities.contains("error") && severities.contains("warning"));
    for (line, d) in lines.iter().zip(&diagnostics) {
        let caps = re.captures(line).unwrap_or_else(|| panic!("no match: {line}"));
        assert_eq!(&caps[group("file")], d["file"].as_str().unwrap(), "{line}");
        assert_eq!(&caps[group("line")], d["range"]["start"]["line"].to_string(), "{line}");
        assert_eq!(
            &caps[group("column")],
            d["range"]["start"]["column"].to_string(),
            "{line}"
        );
        assert_eq!(&caps[group("severity")], d["severity"].as_str().unwrap(), "{line}");
        assert_eq!(
            &caps[group("message")],
            lhlint::report::sanitize(d["message"].as_str().unwrap()),
            "{line}"
        );
        assert_eq!(&caps[group("code")], d["rule"].as_str().unwrap(), "{line}");
    }
}

#[test]
fn readme_shows_the_shipped_problem_matcher_pattern() {
    let matcher = read_json(".github/lhlint-problem-matcher.json");
    let regexp = serde_json::to_string(&matcher["problemMatcher"][0]["pattern"][0]["regexp"]).unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(
        readme.contains(&format!("\"regexp\": {regexp}")),
        "README's VS Code task differs"
    );
}

#[test]
fn problem_matcher_keeps_tricky_paths_and_messages() {
    let matcher = read_json(".github/lhlint-problem-matcher.json");
    let pattern = &matcher["problemMatcher"][0]["pattern"][0];
    let re = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let line = "dir: x/a b.json:3:14: warning: value `a:1:2: error: b [X]` is odd [ACME_1]";
    let caps = re.captures(line).unwrap();
    assert_eq!(&caps[1], "dir: x/a b.json");
    assert_eq!(&caps[5], "value `a:1:2: error: b [X]` is odd");
    assert_eq!(&caps[6], "ACME_1");
    assert!(re.captures("a.json:3:14: fatal: m [LH001]").is_none());
}

fn rule_schema() -> jsonschema::Validator {
    let schema = read_json("schemas/rule.schema.json");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

fn schema_errors(validator: &jsonschema::Validator, rule: &Value) -> Vec<String> {
    validator
        .iter_errors(rule)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn rule_schema_accepts_every_shipped_rule_file() {
    let validator = rule_schema();
    let mut count = 0;
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".jsonc") || name == "aliases.jsonc" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let value = lhlint::json::parse_value(&text).unwrap();
        let errors = schema_errors(&validator, &value);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        count += 1;
    }
    assert!(count >= 9, "found {count} rule files");
}

#[test]
fn rule_schema_rejects_broken_rules() {
    let validator = rule_schema();
    let base = serde_json::json!({
        "id": "ACME001", "name": "acme", "severity": "error", "summary": "s", "message": "m",
        "given": ["$.a"], "then": {"function": "defined"}
    });
    assert!(schema_errors(&validator, &base).is_empty());
    let broken = [
        ("/severity", serde_json::json!("fatal")),
        ("/name", serde_json::json!("Not Kebab")),
        ("/then", serde_json::json!({"function": "frobnicate"})),
        ("/then", serde_json::json!({"function": "pattern", "options": {}})),
        (
            "/then",
            serde_json::json!({"function": "length", "options": {"min": -1}}),
        ),
        (
            "/then",
            serde_json::json!({"function": "type", "options": {"is": ["text"]}}),
        ),
        ("/then", serde_json::json!({"function": "defined", "options": {"x": 1}})),
        ("/then", serde_json::json!({"function": "defined", "colour": "red"})),
        (
            "/then",
            serde_json::json!({"function": "some", "options": {"check": {"function": "nope"}}}),
        ),
        (
            "/then",
            serde_json::json!({"function": "principal-kind", "options": {"not": ["robot"]}}),
        ),
        (
            "/when",
            serde_json::json!([{"function": "excluded", "options": {"values": [1], "case": true}}]),
        ),
        (
            "/then",
            serde_json::json!({"function": "excluded", "options": {"values-from": "customers"}}),
        ),
        (
            "/then",
            serde_json::json!({"function": "excluded", "options": {"values": ["a"], "values-from": "customer-tenants"}}),
        ),
        ("/extra", serde_json::json!(1)),
    ];
    for (pointer, value) in broken {
        let mut rule = base.clone();
        rule[pointer.trim_start_matches('/')] = value.clone();
        assert!(
            !schema_errors(&validator, &rule).is_empty(),
            "accepted {pointer} = {value}"
        );
    }
    let mut missing = base.clone();
    missing.as_object_mut().unwrap().remove("summary");
    assert!(!schema_errors(&validator, &missing).is_empty());
}

/// The functions the loader knows, from its own error message.
fn loader_functions() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ACME001.jsonc"),
        r#"{"id": "ACME001", "name": "acme", "severity": "error", "summary": "s", "message": "m",
            "given": ["$.a"], "then": {"function": "no-such-function"}}"#,
    )
    .unwrap();
    let run = lhlint(&["rules", "--rules", dir.path().to_str().unwrap()]);
    let list = run
        .stderr
        .split("expected one of: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no function list in {}", run.stderr));
    list.lines()
        .next()
        .unwrap()
        .split(", ")
        .map(|s| s.trim().to_string())
        .collect()
}

#[test]
fn rule_schema_knows_exactly_the_loaders_functions() {
    let schema = read_json("schemas/rule.schema.json");
    let mut in_schema: Vec<String> = schema["$defs"]["check"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["properties"]["function"]["const"].as_str().unwrap().to_string())
        .collect();
    let mut loader = loader_functions();
    in_schema.sort();
    loader.sort();
    assert_eq!(
        in_schema, loader,
        "add a branch to $defs/check/oneOf in schemas/rule.schema.json for each new function"
    );
}

#[test]
fn pre_commit_hook_definition() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    for line in [
        "- id: lhlint",
        "  entry: lhlint check",
        "  language: rust",
        "  files: \\.jsonc?$",
        "  pass_filenames: true",
    ] {
        assert!(text.lines().any(|l| l == line), "missing `{line}`");
    }
    let files = regex::Regex::new(r"\.jsonc?$").unwrap();
    assert!(files.is_match("a/b.parameters.json") && files.is_match("rules/x.jsonc"));
    assert!(!files.is_match("a.json.bak"));
}

#[test]
fn action_runs_github_annotations_and_sarif() {
    let text = std::fs::read_to_string("action.yml").unwrap();
    for needle in [
        "using: composite",
        r#"cargo install --locked --path "$GITHUB_ACTION_PATH""#,
        "--format github",
        "--format sarif",
        "sarif-file:",
        "fail-on:",
        "paths:",
        "args:",
    ] {
        assert!(text.contains(needle), "action.yml lacks `{needle}`");
    }
}
