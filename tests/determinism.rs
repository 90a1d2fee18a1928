//! Determinism: byte-identical output for 1, 2 and 8 threads, in every format,
//! over a generated tree of a few hundred files with findings of many rules
//! (templates paired with several parameters files, offers, broken files,
//! duplicate keys, hostile values).

mod common;

use std::path::Path;

use clap::ValueEnum;
use common::{CONTRIBUTOR, OWNER, lhlint, named_template};
use lhlint::report::Format;

const GROUPS: usize = 60;

/// Writes a tree of `GROUPS` folders of five files each.
fn generate(root: &Path) {
    let roles = [OWNER, CONTRIBUTOR, "not-a-guid", "91c1777a-f3dc-4fae-b103-61d183457e46"];
    let names = [
        "Contoso admins",
        "jane.doe@contoso.com",
        "ops\u{1b}[31m@contoso.com",
        "x",
    ];
    for g in 0..GROUPS {
        let dir = root.join(format!("customer-{g:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut text = named_template(roles[g % roles.len()], names[(g / 2) % names.len()]);
        if g % 3 == 0 {
            text = text.replacen("\"[variables('definitionName')]\"", "\"[parameters('missing')]\"", 1);
        }
        if g % 5 == 0 {
            text = text.replacen(
                "\"contentVersion\"",
                "\"contentVersion\": \"1.0.0.0\", \"contentVersion\"",
                1,
            );
        }
        std::fs::write(dir.join("main.json"), &text).unwrap();
        for env in ["dev", "prod"] {
            let params = serde_json::json!({
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {
                    "mspOfferName": {"value": format!("Offer {g} {env}")},
                    "undeclared": {"value": g}
                }
            });
            std::fs::write(
                dir.join(format!("main.parameters.{env}.json")),
                serde_json::to_string_pretty(&params).unwrap(),
            )
            .unwrap();
        }
        let broken = &text[..text.len() * (g % 7 + 1) / 8];
        std::fs::write(dir.join("broken.json"), broken).unwrap();
        std::fs::write(dir.join("other.jsonc"), format!("// not linted\n{{\"g\": {g}}}")).unwrap();
    }
}

#[test]
fn output_is_byte_identical_for_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let root = dir.path().to_str().unwrap();
    for format in Format::value_variants() {
        let name = format.to_possible_value().unwrap().get_name().to_string();
        let runs: Vec<String> = ["1", "2", "8"]
            .iter()
            .map(|j| {
                let run = lhlint(&["check", "--format", &name, "--color", "always", "-j", j, root]);
                assert_eq!(run.status, lhlint::ExitStatus::Failure, "{}", run.stderr);
                run.stdout
            })
            .collect();
        assert!(
            runs[0].lines().count() > GROUPS * 5,
            "{name}: {} lines",
            runs[0].lines().count()
        );
        assert!(runs[0] == runs[1], "{name}: -j 1 and -j 2 differ");
        assert!(runs[0] == runs[2], "{name}: -j 1 and -j 8 differ");
    }
    // The tree has findings of many rules, in every kind of file.
    let run = lhlint(&["check", "--format", "json", root]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["files"], GROUPS * 5);
    let mut rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    rules.dedup();
    assert!(rules.len() >= 6, "{rules:?}");
}
