//! `lhlint.toml`: discovery (nearest config, `--config`, `--isolated`),
//! precedence (command line over file), every key, and spanned errors.

mod common;

use common::{OWNER, READER, lhlint_in, lines_of, template, tree};
use lhlint::ExitStatus;

/// `one/` inherits the root config, `two/` has its own.
fn nested() -> tempfile::TempDir {
    let owner = template(OWNER);
    tree(&[
        ("lhlint.toml", "[lint]\nignore = [\"LH049\"]\n"),
        ("one/a.json", &owner),
        ("two/lhlint.toml", "[lint]\nselect = [\"LH049\"]\n"),
        ("two/b.json", &owner),
    ])
}

fn rules_seen(stdout: &str) -> Vec<String> {
    lines_of(stdout, &["LH042", "LH049"])
        .iter()
        .map(|l| {
            let file = l.split(':').next().unwrap_or_default();
            let rule = &l[l.rfind('[').unwrap_or(0)..];
            format!("{file} {rule}")
        })
        .collect()
}

#[test]
fn each_file_uses_its_nearest_config() {
    let dir = nested();
    let run = lhlint_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(run.status, ExitStatus::Failure, "{}", run.stderr);
    assert_eq!(rules_seen(&run.stdout), ["one/a.json [LH042]", "two/b.json [LH049]"]);
    // The same from inside a subdirectory, and with paths given explicitly.
    let run = lhlint_in(
        &dir.path().join("two"),
        &["check", "--format", "concise", ".", "../one"],
    );
    assert_eq!(rules_seen(&run.stdout), ["../one/a.json [LH042]", "b.json [LH049]"]);
}

#[test]
fn explicit_config_applies_to_every_file() {
    let dir = nested();
    let run = lhlint_in(
        dir.path(),
        &["check", "--format", "concise", "--config", "two/lhlint.toml"],
    );
    assert_eq!(rules_seen(&run.stdout), ["one/a.json [LH049]", "two/b.json [LH049]"]);
}

#[test]
fn isolated_ignores_every_config() {
    let dir = nested();
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--isolated"]);
    assert_eq!(
        rules_seen(&run.stdout),
        [
            "one/a.json [LH049]",
            "one/a.json [LH042]",
            "two/b.json [LH049]",
            "two/b.json [LH042]"
        ]
    );
    let both = lhlint_in(dir.path(), &["check", "--isolated", "--config", "lhlint.toml"]);
    assert_eq!(both.status, ExitStatus::Error);
}

#[test]
fn command_line_selection_wins_over_the_files() {
    let dir = nested();
    // `--select` replaces each file's selection.
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--select", "LH042"]);
    assert_eq!(rules_seen(&run.stdout), ["one/a.json [LH042]", "two/b.json [LH042]"]);
    // `--ignore` and `--extend-select` adjust it.
    let run = lhlint_in(dir.path(), &["check", "--format", "concise", "--ignore", "LH042"]);
    assert_eq!(rules_seen(&run.stdout), ["two/b.json [LH049]"]);
    let run = lhlint_in(
        dir.path(),
        &["check", "--format", "concise", "--extend-select", "LH049"],
    );
    assert_eq!(
        rules_seen(&run.stdout),
        ["one/a.json [LH049]", "one/a.json [LH042]", "two/b.json [LH049]"]
    );
}

#[test]
fn fail_on_comes_from_the_run_config_and_the_command_line_wins() {
    let reader = template(READER);
    let dir = tree(&[
        ("lhlint.toml", "[lint]\nselect = [\"LH049\"]\nfail-on = \"warning\"\n"),
        ("a.json", &reader),
        // A nested config's run-wide settings do not change the run.
        ("sub/lhlint.toml", "[lint]\nselect = [\"LH049\"]\nfail-on = \"never\"\n"),
        ("sub/b.json", &reader),
    ]);
    let run = lhlint_in(dir.path(), &["check"]);
    assert_eq!(run.status, ExitStatus::Failure, "warnings fail: {}", run.stdout);
    let run = lhlint_in(dir.path(), &["check", "--fail-on", "error"]);
    assert_eq!(run.status, ExitStatus::Success);
    // From `sub/`, its config is the run's config.
    let run = lhlint_in(&dir.path().join("sub"), &["check", "."]);
    assert_eq!(run.status, ExitStatus::Success);
}

#[test]
fn severity_overrides_and_per_file_ignores() {
    let owner = template(OWNER);
    let dir = tree(&[
        (
            "lhlint.toml",
            r#"[lint]
select = ["LH042", "LH049"]

[lint.severity]
LH049 = "error"
LH04 = "info"

[lint.per-file-ignores]
"legacy/*.json" = ["LH042"]
"vendor" = ["LH0"]
"#,
        ),
        ("a.json", &owner),
        ("legacy/b.json", &owner),
        ("vendor/x/c.json", &owner),
    ]);
    let run = lhlint_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        lines_of(&run.stdout, &["LH042", "LH049"]),
        [
            "a.json:11:9: error: no authorization grants the Managed Services Registration assignment Delete Role [LH049]",
            "a.json:12:129: info: authorization grants 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner), which Azure Lighthouse does not support [LH042]",
            "legacy/b.json:11:9: error: no authorization grants the Managed Services Registration assignment Delete Role [LH049]",
        ]
    );
}

#[test]
fn excluded_paths_are_not_discovered_but_named_files_are_linted() {
    let owner = template(OWNER);
    let dir = tree(&[
        (
            "lhlint.toml",
            "[lint]\nselect = [\"LH042\"]\nexclude = [\"archive\", \"customers/*/old.json\"]\n",
        ),
        ("a.json", &owner),
        ("archive/b.json", &owner),
        ("customers/c/old.json", &owner),
        ("customers/c/new.json", &owner),
        // A nested config's exclude applies below it.
        ("teams/lhlint.toml", "[lint]\nexclude = [\"*.draft.json\"]\n"),
        ("teams/t.draft.json", &owner),
        ("teams/t.json", &owner),
    ]);
    let run = lhlint_in(dir.path(), &["check", "--format", "concise"]);
    let files: Vec<String> = lines_of(&run.stdout, &["LH042"])
        .iter()
        .map(|l| l.split(':').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(files, ["a.json", "customers/c/new.json", "teams/t.json"]);
    let named = lhlint_in(dir.path(), &["check", "--format", "concise", "archive/b.json"]);
    assert_eq!(lines_of(&named.stdout, &["LH042"]).len(), 1, "{}", named.stdout);
}

#[test]
fn explicit_pairing_wins_over_the_name_convention() {
    let template_text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "authorizations": { "type": "array" } },
  "resources": [
    {
      "type": "Microsoft.ManagedServices/registrationDefinitions",
      "apiVersion": "2022-10-01",
      "name": "0b4a1c52-3f3e-4c8e-9d7a-1f2e3d4c5b6a",
      "properties": {
        "managedByTenantId": "2f8c5d8e-1b6a-4c1e-9a57-3c9e0f3b7a21",
        "authorizations": "[parameters('authorizations')]"
      }
    }
  ]
}
"#;
    let params = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "authorizations": {{ "value": [ {{ "principalId": "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "roleDefinitionId": "{OWNER}" }} ] }}
  }}
}}
"#
    );
    let dir = tree(&[
        (
            "lhlint.toml",
            "[lint]\nselect = [\"LH042\"]\n\n[pairing]\n\"templates/onboard.json\" = [\"customers/contoso.json\"]\n",
        ),
        ("templates/onboard.json", template_text),
        ("customers/contoso.json", &params),
    ]);
    // Naming only the parameters file brings its template in, and the
    // finding shows where the template uses the value.
    let run = lhlint_in(dir.path(), &["check", "--format", "json", "customers/contoso.json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "LH042");
    assert_eq!(d["file"], "customers/contoso.json");
    assert_eq!(d["related"][0]["file"], "templates/onboard.json", "{d}");
    assert_eq!(report["summary"]["files"], 2);
}

#[test]
fn run_wide_inputs_come_from_the_config() {
    let user = "5d3e7f9a-1b2c-4d3e-8f4a-5b6c7d8e9f0a";
    let text = template(READER).replace("6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", user);
    let rule = r##"{
  "id": "ACME001", "name": "no-contoso-ops", "severity": "warning",
  "summary": "Contoso Ops must not be named", "applies-to": ["template"],
  "given": ["#AuthorizationItems"],
  "then": { "field": "principalIdDisplayName", "function": "pattern", "options": { "not-match": "^Contoso Ops$" } },
  "message": "authorization names {{value}}"
}"##;
    let dir = tree(&[
        (
            "lhlint.toml",
            "principals = [\"data/principals.json\"]\nrules = [\"policies\"]\n\n[lint]\nselect = [\"LH031\", \"ACME\"]\n",
        ),
        (
            "data/principals.json",
            &format!("[{{\"id\": \"{user}\", \"type\": \"user\"}}]"),
        ),
        ("policies/ACME001.jsonc", rule),
        ("a.json", &text),
    ]);
    let run = lhlint_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        lines_of(&run.stdout, &["LH031"]).len(),
        1,
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(lines_of(&run.stdout, &["ACME001"]).len(), 1, "{}", run.stdout);
    // Command-line inputs replace the config's.
    let run = lhlint_in(
        dir.path(),
        &["check", "--format", "concise", "--principals", "/dev/null/none.json"],
    );
    assert_eq!(run.status, ExitStatus::Error);
}

fn invalid(config: &str) -> String {
    let dir = tree(&[("lhlint.toml", config), ("a.json", &template(READER))]);
    let run = lhlint_in(dir.path(), &["check"]);
    assert_eq!(run.status, ExitStatus::Error, "{config}");
    assert!(run.stdout.is_empty());
    run.stderr
}

#[test]
fn invalid_configs_stop_the_run_with_a_spanned_error() {
    let stderr = invalid("[lint]\nselect = [\"LH042\"]\nselcet = [\"LH031\"]\n");
    assert!(stderr.contains("unknown field `selcet`"), "{stderr}");
    assert!(stderr.contains("┌─ lhlint.toml:3:1"), "{stderr}");

    let stderr = invalid("[lint]\nfail-on = \"fatal\"\n");
    assert!(stderr.contains("unknown variant `fatal`"), "{stderr}");
    assert!(stderr.contains("┌─ lhlint.toml:2:11"), "{stderr}");

    let stderr = invalid("[lint]\nignore = [\"LH04\", \"LH9999\"]\n");
    assert!(stderr.contains("error: `LH9999` matches no rule"), "{stderr}");
    assert!(stderr.contains("┌─ lhlint.toml:2:19"), "{stderr}");

    let stderr = invalid("[lint.severity]\nLH042 = \"fatal\"\n");
    assert!(stderr.contains("┌─ lhlint.toml:2:9"), "{stderr}");

    let stderr = invalid("[lint.per-file-ignores]\n\"a.json\" = [\"XX1\"]\n");
    assert!(stderr.contains("`XX1` matches no rule"), "{stderr}");

    let stderr = invalid("customer-tenants = [\"contoso\"]\n");
    assert!(stderr.contains("customer tenant `contoso` is not a GUID"), "{stderr}");
    assert!(stderr.contains("┌─ lhlint.toml:1:21"), "{stderr}");

    let stderr = invalid("[lint]\nexclude = [\"a[\"]\n");
    assert!(stderr.contains("invalid glob `a[`"), "{stderr}");

    let stderr = invalid("[pairing]\n\"t.json\" = [\"p.json\"]\n");
    assert!(stderr.contains("template `t.json` does not exist"), "{stderr}");

    let stderr = invalid("[lint\n");
    assert!(stderr.contains("invalid configuration"), "{stderr}");
    assert!(stderr.contains("lhlint.toml:1:"), "{stderr}");
}

#[test]
fn a_nested_invalid_config_is_found_while_walking() {
    let dir = tree(&[
        ("a.json", &template(READER)),
        ("sub/lhlint.toml", "[lint]\nselect = \"LH042\"\n"),
        ("sub/b.json", &template(READER)),
    ]);
    let run = lhlint_in(dir.path(), &["check"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(run.stderr.contains("┌─ sub/lhlint.toml:2:10"), "{}", run.stderr);
    let missing = lhlint_in(dir.path(), &["check", "--config", "nope.toml"]);
    assert_eq!(missing.status, ExitStatus::Error);
    assert!(
        missing.stderr.contains("cannot read config file nope.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn the_shipped_schema_covers_every_key() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/lhlint.schema.json").expect("schema file"))
            .expect("schema is JSON");
    let top = schema["properties"].as_object().expect("properties");
    for key in ["lint", "principals", "roles", "rules", "customer-tenants", "pairing"] {
        assert!(top.contains_key(key), "{key}");
    }
    let lint = schema["properties"]["lint"]["properties"]
        .as_object()
        .expect("lint properties");
    for key in [
        "select",
        "extend-select",
        "ignore",
        "fail-on",
        "exclude",
        "severity",
        "per-file-ignores",
    ] {
        assert!(lint.contains_key(key), "{key}");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn rules_and_rule_list_the_configs_rules_as_check_runs_them() {
    let rule = r##"{
  "id": "ACME002", "name": "no-readers", "severity": "warning",
  "summary": "Readers are not granted here", "applies-to": ["template"],
  "given": ["#AuthorizationItems"],
  "then": { "field": "roleDefinitionId", "function": "enumeration", "options": { "values": ["x"] } },
  "message": "authorization grants {{value}}"
}"##;
    let dir = tree(&[
        ("lhlint.toml", "rules = [\"policies\"]\n"),
        ("policies/ACME002.jsonc", rule),
        ("policies/ACME002.md", "Why readers are not granted.\n"),
        ("sub/a.json", &template(READER)),
    ]);
    // From the root and from a subdirectory (the nearest config applies).
    for cwd in [dir.path().to_path_buf(), dir.path().join("sub")] {
        let run = lhlint_in(&cwd, &["rules"]);
        assert_eq!(run.status, ExitStatus::Success, "{}", run.stderr);
        assert!(run.stdout.starts_with("ACME002  warning  no-readers"), "{}", run.stdout);
        let run = lhlint_in(&cwd, &["rule", "ACME002"]);
        assert_eq!(run.status, ExitStatus::Success, "{}", run.stderr);
        assert!(run.stdout.starts_with("# ACME002 (no-readers)"), "{}", run.stdout);
        assert!(run.stdout.contains("Why readers are not granted."), "{}", run.stdout);
    }
    // `--isolated` ignores the config, as in `check`.
    let run = lhlint_in(dir.path(), &["rules", "--isolated"]);
    assert!(run.stdout.starts_with("LH000"), "{}", run.stdout);
    let run = lhlint_in(dir.path(), &["rule", "ACME002", "--isolated"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(run.stderr.contains("unknown rule `ACME002`"), "{}", run.stderr);
    // `--rules` names the directory instead, from anywhere.
    let run = lhlint_in(
        &dir.path().join("sub"),
        &["rule", "ACME002", "--isolated", "--rules", "../policies"],
    );
    assert_eq!(run.status, ExitStatus::Success, "{}", run.stderr);
    // A broken config is reported as `check` reports it.
    std::fs::write(dir.path().join("lhlint.toml"), "rules = 3\n").unwrap();
    let run = lhlint_in(dir.path(), &["rules"]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(run.stderr.contains("invalid configuration"), "{}", run.stderr);
}
