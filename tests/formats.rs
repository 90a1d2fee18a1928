//! Every output format over one two-file fixture (`fixtures/formats`: a
//! template and its parameters file with several findings, one of whose values
//! holds `%`, CR, LF, `::`, `,`, `:`, `;` and `]`), as snapshots; then what
//! CI systems rely on: the escaping of workflow and logging commands, SARIF's
//! shape and fingerprints, well-formed JUnit XML, and `--output`.

mod common;

use std::collections::BTreeMap;

use common::lhlint;
use lhlint::ExitStatus;
use serde_json::Value;

const FIXTURE: &str = "fixtures/formats";
const FORMATS: [&str; 7] = ["human", "concise", "json", "sarif", "github", "azure", "junit"];

/// The rules the fixture breaks, selected so that SARIF's rule list stays
/// stable as rules are added.
const RULES: &str = "LH020,LH031,LH042,LH049";

fn render(format: &str, path: &str) -> String {
    let run = lhlint(&["check", "--color", "never", "--select", RULES, "--format", format, path]);
    assert_eq!(run.status, ExitStatus::Failure, "{format}: {}", run.stderr);
    assert_eq!(run.stderr, "", "{format}");
    run.stdout
}

/// The JSON report: the diagnostics every other format is compared with.
fn diagnostics(path: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&render("json", path)).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn every_format_snapshot() {
    let version = regex::escape(env!("CARGO_PKG_VERSION"));
    let pattern = format!(r#""(version|semanticVersion)": "{version}""#);
    for format in FORMATS {
        let out = render(format, FIXTURE);
        let filters = vec![(pattern.as_str(), r#""$1": "[VERSION]""#)];
        insta::with_settings!({snapshot_suffix => format, omit_expression => true, prepend_module_to_snapshot => false, filters => filters}, {
            insta::assert_snapshot!("format", out);
        });
    }
}

#[test]
fn every_format_honours_output() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let file = dir.path().join(format!("report.{format}"));
        let run = lhlint(&[
            "check",
            "--color",
            "never",
            "--select",
            RULES,
            "--format",
            format,
            "--output",
            file.to_str().unwrap(),
            FIXTURE,
        ]);
        assert_eq!(run.status, ExitStatus::Failure, "{format}");
        assert_eq!(run.stdout, "", "{format}: --output still printed");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            render(format, FIXTURE),
            "{format}"
        );
    }
}

/// Splits a GitHub workflow command the way the runner does
/// (`ActionCommand.TryParseV2`) and decodes it like `@actions/core` encodes.
fn parse_github(line: &str) -> (String, BTreeMap<String, String>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let end = rest.find("::").expect("command ends with ::");
    let (info, data) = (&rest[..end], &rest[end + 2..]);
    let (command, props) = info.split_once(' ').expect("command and properties");
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            let v = v
                .replace("%0D", "\r")
                .replace("%0A", "\n")
                .replace("%3A", ":")
                .replace("%2C", ",")
                .replace("%25", "%");
            (k.to_string(), v)
        })
        .collect();
    let data = data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    (command.to_string(), props, data)
}

#[test]
fn github_commands_round_trip_and_cannot_inject() {
    let out = render("github", FIXTURE);
    let expected = diagnostics(FIXTURE);
    assert!(
        expected.iter().any(|d| ["%", "\r", "\n", "::", ",", ":"]
            .iter()
            .all(|s| d["message"].as_str().unwrap().contains(s))),
        "the fixture must put every special character in a message"
    );
    assert!(!out.contains('\r'), "a raw CR would end the line for the runner");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one command per diagnostic, nothing else");
    for (line, d) in lines.iter().zip(&expected) {
        let (command, props, data) = parse_github(line);
        let severity = d["severity"].as_str().unwrap();
        let want = if severity == "info" { "notice" } else { severity };
        assert_eq!(command, want);
        assert_eq!(props["file"], d["file"].as_str().unwrap());
        assert_eq!(props["line"], d["range"]["start"]["line"].to_string());
        assert_eq!(props["endLine"], d["range"]["end"]["line"].to_string());
        assert_eq!(props["col"], d["range"]["start"]["column"].to_string());
        assert_eq!(props["endColumn"], d["range"]["end"]["column"].to_string());
        assert_eq!(props["title"], format!("lhlint {}", d["rule"].as_str().unwrap()));
        assert_eq!(
            data,
            d["message"].as_str().unwrap(),
            "the runner decodes the message exactly"
        );
    }
}

#[test]
fn azure_commands_round_trip_and_cannot_inject() {
    let out = render("azure", FIXTURE);
    let expected = diagnostics(FIXTURE);
    assert!(!out.contains('\r'));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len());
    for (line, d) in lines.iter().zip(&expected) {
        // The agent reads the properties up to the first `]`, split at `;`.
        let rest = line.strip_prefix("##vso[task.logissue ").expect("a logissue command");
        let (props, message) = rest.split_once(']').unwrap();
        let unescape = |s: &str| {
            s.replace("%0D", "\r")
                .replace("%0A", "\n")
                .replace("%5D", "]")
                .replace("%3B", ";")
                .replace("%AZP25", "%")
        };
        let props: BTreeMap<&str, String> = props
            .split(';')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k, unescape(v))
            })
            .collect();
        assert_eq!(props["type"], d["severity"].as_str().unwrap());
        assert_eq!(props["sourcepath"], d["file"].as_str().unwrap());
        assert_eq!(props["linenumber"], d["range"]["start"]["line"].to_string());
        assert_eq!(props["columnnumber"], d["range"]["start"]["column"].to_string());
        assert_eq!(props["code"], d["rule"].as_str().unwrap());
        assert_eq!(unescape(message), d["message"].as_str().unwrap());
    }
}

fn sarif(path: &str) -> Value {
    serde_json::from_str(&render("sarif", path)).unwrap()
}

#[test]
fn sarif_has_what_github_code_scanning_reads() {
    let log = sarif(FIXTURE);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "rule ids are unique and sorted");
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty(), "{id}");
        assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty(), "{id}");
        assert!(
            r["help"]["markdown"].as_str().unwrap().contains("## What it does"),
            "{id}"
        );
        let uri = r["helpUri"].as_str().unwrap();
        assert!(
            uri.starts_with(&format!("https://github.com/lhlint/lhlint/blob/main/rules/{id}-")) && uri.ends_with(".md"),
            "{uri}"
        );
        let doc = uri.rsplit_once("/main/").unwrap().1;
        assert!(std::path::Path::new(doc).is_file(), "{doc} exists");
        assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let expected = diagnostics(FIXTURE);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), expected.len());
    for (res, d) in results.iter().zip(&expected) {
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(res["ruleId"], d["rule"]);
        assert_eq!(rules[index]["id"], d["rule"]);
        assert_eq!(res["message"]["text"], d["message"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["artifactLocation"]["uri"], d["file"]);
        let region = &loc["region"];
        assert_eq!(region["startLine"], d["range"]["start"]["line"]);
        assert_eq!(region["startColumn"], d["range"]["start"]["column"]);
        assert_eq!(region["endLine"], d["range"]["end"]["line"]);
        assert_eq!(region["endColumn"], d["range"]["end"]["column"]);
        let related = res["relatedLocations"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        assert_eq!(related.len(), d["related"].as_array().unwrap().len());
        for (i, (r, want)) in related.iter().zip(d["related"].as_array().unwrap()).enumerate() {
            assert_eq!(r["id"], i + 1);
            assert_eq!(r["message"]["text"], want["message"]);
            assert_eq!(r["physicalLocation"]["artifactLocation"]["uri"], want["file"]);
        }
        let fp = res["partialFingerprints"]["lhlint/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 40);
    }
    assert!(results.iter().any(|r| r["level"] == "warning"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert!(run["invocations"][0].get("toolExecutionNotifications").is_none());
}

#[test]
fn sarif_reports_unparsable_inputs_as_notifications() {
    let path = "fixtures/rules/LH000/fail";
    let log = sarif(path);
    let run = &log["runs"][0];
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let lh000: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "LH000").collect();
    assert_eq!(notes.len(), lh000.len());
    assert_eq!(notes.len(), 4);
    for (n, r) in notes.iter().zip(lh000) {
        assert_eq!(n["level"], "error");
        assert_eq!(n["message"], r["message"]);
        assert_eq!(n["locations"], r["locations"]);
        assert_eq!(n["associatedRule"]["id"], "LH000");
        assert_eq!(
            run["tool"]["driver"]["rules"][n["associatedRule"]["index"].as_u64().unwrap() as usize]["id"],
            "LH000"
        );
    }
}

#[test]
fn sarif_fingerprints_survive_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["onboarding.json", "onboarding.parameters.json"] {
        std::fs::copy(format!("{FIXTURE}/{name}"), dir.path().join(name)).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    let collect = |log: &Value| -> Vec<(String, u64)> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["lhlint/v1"].as_str().unwrap().to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = collect(&sarif(path));
    let params = dir.path().join("onboarding.parameters.json");
    let text = std::fs::read_to_string(&params).unwrap();
    let shifted = text.replacen("{\n", "{\n\n\n  // moved down by three lines\n", 1);
    // Reformat one flagged value too: whitespace inside it does not count.
    let shifted = shifted.replacen(
        "\"roleDefinitionId\": \"8e3af657",
        "\"roleDefinitionId\":    \"8e3af657",
        1,
    );
    std::fs::write(&params, shifted).unwrap();
    let after = collect(&sarif(path));
    assert_eq!(before.len(), after.len());
    let fps = |v: &[(String, u64)]| {
        v.iter()
            .map(|(f, _)| f.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(fps(&before), fps(&after));
    assert_eq!(fps(&before).len(), before.len(), "fingerprints are distinct");
    assert!(before.iter().zip(&after).all(|(b, a)| a.1 == b.1 + 3));
}

#[test]
fn junit_is_well_formed_with_one_case_per_file() {
    let out = render("junit", FIXTURE);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(
        cases.iter().map(|c| c.attribute("name").unwrap()).collect::<Vec<_>>(),
        [
            "fixtures/formats/onboarding.json",
            "fixtures/formats/onboarding.parameters.json"
        ]
    );
    let failure = cases[1].children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("LH020"));
    let text = failure.text().unwrap();
    for d in diagnostics(FIXTURE).iter().filter(|d| d["severity"] == "error") {
        let line = format!(
            "{}:{}:{}: error: ",
            d["file"].as_str().unwrap(),
            d["range"]["start"]["line"],
            d["range"]["start"]["column"]
        );
        assert!(text.contains(&line), "{line} in {text}");
    }
    let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("errors"), Some("0"));
}

#[test]
fn junit_escapes_characters_xml_forbids() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["onboarding.json", "onboarding.parameters.json"] {
        std::fs::copy(format!("{FIXTURE}/{name}"), dir.path().join(name)).unwrap();
    }
    let params = dir.path().join("onboarding.parameters.json");
    let text = std::fs::read_to_string(&params).unwrap();
    let evil = r#""value": "a\u0000b\u0001c\u001b[31md\u000be\ufffef<g>&\"h\"""#;
    let start = text.find(r#""value": "contoso"#).unwrap();
    let end = start + text[start..].find('\n').unwrap();
    std::fs::write(&params, format!("{}{evil}{}", &text[..start], &text[end..])).unwrap();
    let out = render("junit", dir.path().to_str().unwrap());
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    let message = failure.attribute("message").unwrap();
    assert!(
        message.contains(r#"a\u{0}b\u{1}c\u{1b}[31md\u{b}e\u{fffe}f<g>&"h""#),
        "{message}"
    );
    // Errors: an unparsable file is an <error>, not a failure.
    let out = render("junit", "fixtures/rules/LH000/fail");
    let doc = roxmltree::Document::parse(&out).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("error")).count(), 4);
}

#[test]
fn junit_lists_findings_below_fail_on_as_output() {
    let run = lhlint(&["check", "--format", "junit", "--fail-on", "never", FIXTURE]);
    assert_eq!(run.status, ExitStatus::Success);
    let doc = roxmltree::Document::parse(&run.stdout).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("failure")).count(), 0);
    let out = doc.descendants().find(|n| n.has_tag_name("system-out")).unwrap();
    assert!(out.text().unwrap().contains("[LH042]"));
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_lhlint()"),
        ("zsh", "#compdef lhlint"),
        ("fish", "complete -c lhlint"),
    ] {
        let run = lhlint(&["completions", shell]);
        assert_eq!(run.status, ExitStatus::Success, "{shell}");
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..200.min(run.stdout.len())]
        );
        assert!(run.stdout.contains("sarif"), "{shell}: formats are completed");
    }
}
