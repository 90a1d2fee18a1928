//! Hostile inputs: lhlint runs in CI on pull requests from strangers. Each
//! input below gets a clear diagnostic with a location (or a clear error,
//! exit 2, for a bad rule file), in bounded time and memory, and every other
//! file is still linted: `summary.files` always counts every input considered.
//!
//! Big inputs are generated in a temporary directory at test time. There are
//! no timing assertions: the inputs are big enough that a quadratic or
//! exponential bug would blow up a normal test run.

mod common;

use std::path::{Path, PathBuf};

use common::{CONTRIBUTOR, OWNER, check_json, diagnostics_of, lhlint, named_template};
use lhlint::ExitStatus;
use serde_json::Value;

/// A temporary tree with one good template (`good.json`, one LH042 finding).
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "good.json",
        named_template(OWNER, "Contoso admins").as_bytes(),
    );
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, bytes).expect("write");
    path
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// Lints `dir` and checks the invariants every hostile run keeps: a JSON
/// report, `good.json` still linted, and `files` inputs considered.
fn check_tree(dir: &Path, files: usize) -> Value {
    let (status, report) = check_json(&[s(dir)]);
    assert_eq!(status, ExitStatus::Failure, "{report:#}");
    assert_eq!(report["summary"]["files"], files, "{report:#}");
    let good = diagnostics_of(&report, "/good.json");
    assert!(
        good.iter().any(|d| d["rule"] == "LH042"),
        "good.json is still linted: {report:#}"
    );
    report
}

/// The one LH000 of `file`: its message, line and column.
fn lh000(report: &Value, file: &str) -> (String, u64, u64) {
    let found = diagnostics_of(report, file);
    assert_eq!(found.len(), 1, "one diagnostic for {file}: {report:#}");
    let d = found[0];
    assert_eq!(d["rule"], "LH000", "{d:#}");
    assert_eq!(d["severity"], "error");
    let start = &d["range"]["start"];
    (
        d["message"].as_str().expect("message").to_string(),
        start["line"].as_u64().expect("line"),
        start["column"].as_u64().expect("column"),
    )
}

#[test]
fn baseline_template_has_exactly_the_owner_finding() {
    let dir = tree();
    let report = check_tree(dir.path(), 1);
    let rules: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["rule"])
        .collect();
    assert_eq!(rules, ["LH042"], "{report:#}");
    write(dir.path(), "good.json", named_template(CONTRIBUTOR, "x").as_bytes());
    let (status, report) = check_json(&[s(dir.path())]);
    assert_eq!(status, ExitStatus::Success, "{report:#}");
}

#[test]
fn truncated_json_is_reported_where_it_stops() {
    let dir = tree();
    let text = named_template(OWNER, "Contoso admins");
    let cuts = [1, 17, text.len() / 2, text.len() - 1];
    for cut in cuts {
        write(dir.path(), &format!("cut{cut}.json"), &text.as_bytes()[..cut]);
    }
    let report = check_tree(dir.path(), 1 + cuts.len());
    for cut in cuts {
        let (message, line, column) = lh000(&report, &format!("/cut{cut}.json"));
        assert!(message.starts_with("invalid JSON: "), "{message}");
        let prefix = &text[..cut];
        // Parsing stops at the end of the text or at the start of the open string.
        assert!(line as usize <= prefix.split('\n').count(), "cut {cut}: line {line}");
        assert!(column >= 1);
    }
}

#[test]
fn empty_and_comment_only_files() {
    let dir = tree();
    write(dir.path(), "empty.json", b"");
    write(
        dir.path(),
        "blank.json",
        b"  \n// nothing but a comment\n/* and another */\n",
    );
    let report = check_tree(dir.path(), 3);
    for file in ["/empty.json", "/blank.json"] {
        let (message, line, column) = lh000(&report, file);
        assert!(message.contains("the file is empty"), "{message}");
        assert_eq!((line, column), (1, 1));
    }
}

#[test]
fn invalid_utf8_and_binary_files() {
    let dir = tree();
    write(dir.path(), "latin1.json", b"{\n  \"name\": \"caf\xe9\"\n}\n");
    let mut blob: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    blob.extend_from_slice(&[0xff; 64]);
    write(dir.path(), "blob.json", &blob);
    write(dir.path(), "nul.json", b"\x00\x01\x02{}");
    let report = check_tree(dir.path(), 4);
    let (message, line, column) = lh000(&report, "/latin1.json");
    assert!(message.contains("not valid UTF-8"), "{message}");
    assert_eq!((line, column), (2, 15));
    let (message, ..) = lh000(&report, "/blob.json");
    assert!(message.contains("not valid UTF-8"), "{message}");
    let (message, line, column) = lh000(&report, "/nul.json");
    assert!(message.contains("control character U+0000"), "{message}");
    assert_eq!((line, column), (1, 1));
}

#[test]
fn a_file_named_dot_json_is_hidden_when_walked_and_reported_when_named() {
    let dir = tree();
    let dot = write(dir.path(), ".json", b"\x7fELF\x02\x01\x01\x00binary");
    // Hidden files are skipped by the walk, as .gitignore rules skip them.
    check_tree(dir.path(), 1);
    let (_, report) = check_json(&[s(&dot)]);
    assert_eq!(report["summary"]["files"], 1);
    let (message, line, column) = lh000(&report, "/.json");
    assert!(message.contains("U+007F"), "{message}");
    assert_eq!((line, column), (1, 1));
}

#[test]
fn byte_order_marks() {
    let dir = tempfile::tempdir().unwrap();
    let text = named_template(OWNER, "Contoso admins");
    write(dir.path(), "plain.json", text.as_bytes());
    write(dir.path(), "bom.json", format!("\u{feff}{text}").as_bytes());
    write(
        dir.path(),
        "two-boms.json",
        format!("\u{feff}\u{feff}{text}").as_bytes(),
    );
    let (_, report) = check_json(&[s(dir.path())]);
    assert_eq!(report["summary"]["files"], 3);
    let plain = diagnostics_of(&report, "/plain.json");
    let bom = diagnostics_of(&report, "/bom.json");
    assert_eq!(plain.len(), 1);
    assert_eq!(bom.len(), 1, "{report:#}");
    assert_eq!(plain[0]["range"], bom[0]["range"], "a BOM does not shift columns");
    let (message, line, column) = lh000(&report, "/two-boms.json");
    assert!(message.contains("U+FEFF") || message.contains("found"), "{message}");
    assert_eq!((line, column), (1, 1));
}

#[test]
fn comments_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let text = named_template(OWNER, "Contoso admins");
    let commented: String = text
        .lines()
        .map(|l| format!("/* ¡ */ {l} /* * / */ // {l}\n// /* not closed here\n"))
        .collect();
    write(
        dir.path(),
        "good.json",
        format!("// head\n{commented}/* tail */").as_bytes(),
    );
    let report = check_tree(dir.path(), 1);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1, "{report:#}");
    // An unterminated block comment is reported where it opens.
    write(dir.path(), "open.json", b"{\"a\": 1 /* never closed\n}");
    let report = check_tree(dir.path(), 2);
    let (message, line, column) = lh000(&report, "/open.json");
    assert!(message.contains("unterminated block comment"), "{message}");
    assert_eq!((line, column), (1, 9));
}

#[test]
fn duplicate_keys_warn_and_the_last_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let text = named_template(CONTRIBUTOR, "Contoso admins").replacen(
        &format!("\"roleDefinitionId\": \"{CONTRIBUTOR}\""),
        &format!("\"roleDefinitionId\": \"{CONTRIBUTOR}\", \"roleDefinitionId\": \"{OWNER}\""),
        1,
    );
    write(dir.path(), "good.json", text.as_bytes());
    let report = check_tree(dir.path(), 1);
    let rules: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].clone())
        .collect();
    // The duplicate name is flagged, and the value that takes effect (Owner) is linted.
    assert_eq!(rules, ["LH903", "LH042"], "{report:#}");
}

#[test]
fn nesting_20000_deep() {
    let dir = tree();
    let depth = 20_000;
    write(
        dir.path(),
        "arrays.json",
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)).as_bytes(),
    );
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    write(dir.path(), "objects.json", objects.as_bytes());
    // Unclosed, and mixed on many lines.
    write(dir.path(), "open.json", "[{\"a\":\n".repeat(depth).as_bytes());
    let report = check_tree(dir.path(), 4);
    let limit = lhlint::json::MAX_DEPTH as u64;
    let (message, line, column) = lh000(&report, "/arrays.json");
    assert!(message.contains("nesting is deeper than"), "{message}");
    assert_eq!((line, column), (1, limit + 1));
    let (_, line, column) = lh000(&report, "/objects.json");
    assert_eq!((line, column), (1, 5 * limit + 1));
    let (_, line, column) = lh000(&report, "/open.json");
    assert_eq!((line, column), (limit / 2 + 1, 1));
}

#[test]
fn nesting_just_under_the_limit_is_linted() {
    // As deep as the parser accepts, inside a resource that every descendant
    // selector walks: the walk, the evaluator and the renderers must not
    // overflow the stack (the test thread's stack is small).
    let dir = tree();
    let depth = lhlint::json::MAX_DEPTH - 8;
    let deep = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let text = named_template(OWNER, "x").replacen(
        "\"apiVersion\": \"2022-10-01\",",
        &format!("\"apiVersion\": \"2022-10-01\", \"tags\": {deep},"),
        1,
    );
    write(dir.path(), "deep.json", text.as_bytes());
    let deep_expression = format!("[parameters('mspOfferName'){}]", ".a".repeat(depth));
    let text = named_template(OWNER, "x").replacen("[guid(parameters('mspOfferName'))]", &deep_expression, 1);
    write(dir.path(), "deep-expression.json", text.as_bytes());
    let report = check_tree(dir.path(), 3);
    assert!(
        diagnostics_of(&report, "/deep.json")
            .iter()
            .any(|d| d["rule"] == "LH042")
    );
    for format in ["human", "concise"] {
        let run = lhlint(&["check", "--format", format, s(dir.path())]);
        assert_eq!(run.status, ExitStatus::Failure, "{}", run.stderr);
    }
}

#[test]
fn a_50_mb_template() {
    let dir = tree();
    // 50 MB of variables (an array of 520,000 strings), one real finding, and
    // 20,000 findings on a single line.
    let filler: Vec<String> = (0..520_000).map(|i| format!("{i:0>96}")).collect();
    let filler = serde_json::to_string(&filler).unwrap();
    let text = named_template(OWNER, "x").replacen(
        "\"variables\": {",
        &format!("\"variables\": {{\"filler\": {filler},"),
        1,
    );
    assert!(text.len() > 50_000_000);
    write(dir.path(), "big.json", text.as_bytes());
    let authorizations: Vec<Value> = (0..20_000)
        .map(|i| serde_json::json!({"principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11", "principalIdDisplayName": format!("team {i}"), "roleDefinitionId": OWNER}))
        .collect();
    let mut one_line: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    one_line["resources"][0]["properties"]["authorizations"]
        .as_array_mut()
        .unwrap()
        .extend(authorizations);
    write(dir.path(), "one-line.json", one_line.to_string().as_bytes());
    let report = check_tree(dir.path(), 3);
    assert_eq!(diagnostics_of(&report, "/big.json").len(), 1, "{:#}", report["summary"]);
    let on_one_line = diagnostics_of(&report, "/one-line.json");
    assert_eq!(on_one_line.len(), 20_001);
    let last = on_one_line.last().unwrap();
    assert_eq!(last["range"]["start"]["line"], 1);
    assert!(last["range"]["start"]["column"].as_u64().unwrap() > 2_000_000);
    // Each finding shows a window of its line, not the 2 MB line.
    let run = lhlint(&["check", "--select", "LH042", s(&dir.path().join("one-line.json"))]);
    assert!(run.stdout.len() < 20_001 * 1500, "{} bytes", run.stdout.len());
    assert!(run.stdout.lines().all(|l| l.len() < 1000));
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "LH042",
        s(&dir.path().join("one-line.json")),
    ]);
    assert_eq!(run.stdout.lines().count(), 20_001);
}

#[test]
fn files_above_the_size_limit_are_not_read() {
    let dir = tree();
    // A sparse file: as big as the limit allows plus one, without the disk space.
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(lhlint::workspace::MAX_FILE_BYTES + 1).unwrap();
    let report = check_tree(dir.path(), 2);
    let (message, line, column) = lh000(&report, "/huge.json");
    assert!(message.contains("more than lhlint reads"), "{message}");
    assert_eq!((line, column), (1, 1));
}

#[test]
fn a_single_10_mb_string() {
    let dir = tree();
    let name = format!("\u{1b}[31m{}\u{202e}", "n".repeat(10 << 20));
    write(dir.path(), "long.json", named_template(OWNER, &name).as_bytes());
    let report = check_tree(dir.path(), 2);
    assert_eq!(diagnostics_of(&report, "/long.json").len(), 1);
    let run = lhlint(&["check", s(dir.path())]);
    assert!(run.stdout.len() < 20_000, "{} bytes", run.stdout.len());
    assert!(!run.stdout.contains('\u{1b}'));
    // As a principal id, the value reaches a message, shortened.
    write(
        dir.path(),
        "long.json",
        named_template(OWNER, "x")
            .replacen("00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11", &name, 1)
            .as_bytes(),
    );
    let run = lhlint(&["check", "--format", "concise", s(dir.path())]);
    assert!(run.stdout.len() < 20_000, "{} bytes", run.stdout.len());
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'));
}

/// Whether this process can read files whatever their permissions (root in CI).
fn permissions_are_ignored(path: &Path) -> bool {
    std::fs::read(path).is_ok()
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree();
    let file = write(dir.path(), "secret.json", named_template(OWNER, "x").as_bytes());
    write(dir.path(), "locked/inner.json", named_template(OWNER, "x").as_bytes());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let as_root = permissions_are_ignored(&file);
    let (_, report) = check_json(&[s(dir.path())]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(report["summary"]["files"], 3, "{report:#}");
    assert!(
        diagnostics_of(&report, "/good.json")
            .iter()
            .any(|d| d["rule"] == "LH042")
    );
    if as_root {
        // Permissions do not stop root: the files are linted like any other.
        assert_eq!(diagnostics_of(&report, "/secret.json")[0]["rule"], "LH042");
        assert_eq!(diagnostics_of(&report, "/locked/inner.json")[0]["rule"], "LH042");
    } else {
        let (message, line, column) = lh000(&report, "/secret.json");
        assert_eq!(message, "cannot read the file: permission denied");
        assert_eq!((line, column), (1, 1));
        let (message, ..) = lh000(&report, "/locked");
        assert_eq!(message, "cannot read the directory: permission denied");
    }
}

#[cfg(unix)]
#[test]
fn broken_and_looping_symbolic_links() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    let d = dir.path();
    symlink(d.join("nowhere.json"), d.join("dangling.json")).unwrap();
    symlink(d.join("ping.json"), d.join("pong.json")).unwrap();
    symlink(d.join("pong.json"), d.join("ping.json")).unwrap();
    symlink(d.join("self.json"), d.join("self.json")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    symlink("..", d.join("sub/up")).unwrap();
    symlink(".", d.join("sub/here")).unwrap();
    symlink(".", d.join("sub/here.json")).unwrap();
    let report = check_tree(d, 5);
    let (message, line, column) = lh000(&report, "/dangling.json");
    assert_eq!(message, "broken symbolic link: its target does not exist");
    assert_eq!((line, column), (1, 1));
    for file in ["/ping.json", "/pong.json", "/self.json"] {
        let (message, ..) = lh000(&report, file);
        assert!(message.starts_with("cannot follow the symbolic link: "), "{message}");
        assert!(!message.contains("os error"), "{message}");
    }
    // Links to directories are not followed (so loops cannot trap the walk),
    // and a link to a directory is not an input even when named `*.json`.
    assert!(diagnostics_of(&report, "/sub/here.json").is_empty());
    // Named explicitly, the looping links give the same diagnostics.
    let (_, report) = check_json(&[s(&d.join("ping.json")), s(&d.join("good.json"))]);
    assert_eq!(report["summary"]["files"], 2);
    lh000(&report, "/ping.json");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_tree_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "token.txt", b"GITHUB_TOKEN=ghp_supersecret\n");
    let dir = tree();
    let d = dir.path();
    symlink(&secret, d.join("leak.json")).unwrap();
    symlink("/proc/self/environ", d.join("environ.json")).unwrap();
    symlink("/dev/zero", d.join("zero.json")).unwrap();
    // Inside the tree a link is fine.
    symlink(d.join("good.json"), d.join("alias.json")).unwrap();
    let report = check_tree(d, 5);
    for file in ["/leak.json", "/environ.json", "/zero.json"] {
        let (message, line, column) = lh000(&report, file);
        assert!(message.starts_with("symbolic link to a file outside"), "{message}");
        assert_eq!((line, column), (1, 1));
    }
    assert_eq!(diagnostics_of(&report, "/alias.json")[0]["rule"], "LH042");
    for format in ["human", "concise", "json"] {
        let run = lhlint(&["check", "--format", format, s(d)]);
        assert!(!run.stdout.contains("supersecret"), "{}", run.stdout);
    }
    // A parameters file paired by name with a template is held to the same rule.
    let t = write(d, "pair/main.json", named_template(OWNER, "x").as_bytes());
    symlink(&secret, d.join("pair/main.parameters.json")).unwrap();
    let (_, report) = check_json(&[s(&t)]);
    assert_eq!(report["summary"]["files"], 2, "{report:#}");
    let (message, ..) = lh000(&report, "/main.parameters.json");
    assert!(message.starts_with("symbolic link to a file outside"), "{message}");
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_not_read() {
    let dir = tree();
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system: nothing to test
    }
    let report = check_tree(dir.path(), 2);
    let (message, ..) = lh000(&report, "/pipe.json");
    assert!(message.starts_with("not a regular file"), "{message}");
    // Named on the command line, a device is not read either (it would never end).
    let (_, report) = check_json(&["/dev/zero", s(&fifo)]);
    assert_eq!(report["summary"]["files"], 2);
    let (message, ..) = lh000(&report, "/dev/zero");
    assert!(message.starts_with("not a regular file"), "{message}");
}

#[test]
fn a_directory_named_like_a_json_file() {
    let dir = tree();
    write(dir.path(), "x.json/inner.json", named_template(OWNER, "x").as_bytes());
    let report = check_tree(dir.path(), 2);
    assert_eq!(diagnostics_of(&report, "/x.json/inner.json")[0]["rule"], "LH042");
    // Named explicitly, it is walked like any directory.
    let (_, report) = check_json(&[s(&dir.path().join("x.json"))]);
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn expressions_nested_10000_deep() {
    let dir = tree();
    let depth = 10_000;
    let calls = format!("[{}'a'{}]", "concat(".repeat(depth), ")".repeat(depth));
    write(
        dir.path(),
        "calls.json",
        named_template(OWNER, "x")
            .replacen("[guid(parameters('mspOfferName'))]", &calls, 1)
            .as_bytes(),
    );
    let members = format!("[parameters('mspOfferName'){}]", ".a".repeat(depth));
    write(
        dir.path(),
        "members.json",
        named_template(OWNER, "x")
            .replacen("[guid(parameters('mspOfferName'))]", &members, 1)
            .as_bytes(),
    );
    let indexes = format!("[parameters('mspOfferName'){}]", "[0]".repeat(depth));
    write(
        dir.path(),
        "indexes.json",
        named_template(OWNER, "x")
            .replacen("[guid(parameters('mspOfferName'))]", &indexes, 1)
            .as_bytes(),
    );
    let brackets = format!("[{}1{}]", "createArray(".repeat(depth), ")".repeat(depth));
    write(
        dir.path(),
        "arrays.json",
        named_template(OWNER, "x")
            .replacen("[guid(parameters('mspOfferName'))]", &brackets, 1)
            .as_bytes(),
    );
    let report = check_tree(dir.path(), 5);
    for file in ["/calls.json", "/members.json", "/indexes.json", "/arrays.json"] {
        let found = diagnostics_of(&report, file);
        let lh019: Vec<_> = found.iter().filter(|d| d["rule"] == "LH019").collect();
        assert_eq!(lh019.len(), 1, "{file}: {found:#?}");
        assert!(
            lh019[0]["message"].as_str().unwrap().contains("nested more than"),
            "{:#}",
            lh019[0]
        );
        assert!(lh019[0]["range"]["start"]["line"].as_u64().unwrap() > 1);
        // The rest of the template is still linted.
        assert!(found.iter().any(|d| d["rule"] == "LH042"), "{file}");
    }
}

/// A rule directory with one user rule file.
fn rule_dir(rule: &Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "X001-user.jsonc",
        serde_json::to_string_pretty(rule).unwrap().as_bytes(),
    );
    dir
}

fn user_rule(given: &str, then: Value) -> Value {
    serde_json::json!({
        "id": "X001", "name": "user-rule", "severity": "error",
        "summary": "a user rule", "applies-to": ["template"],
        "given": [given], "then": then, "message": "matched `{{value}}`"
    })
}

#[test]
fn catastrophic_regex_in_a_user_rule_runs_in_linear_time() {
    // `(a+)+$` backtracks exponentially in most engines; the regex crate is
    // linear. 200,000 `a`s then `!` would never finish with backtracking.
    let rules = rule_dir(&user_rule(
        "$.resources[*].properties.authorizations[*]",
        serde_json::json!({"field": "principalIdDisplayName", "function": "pattern", "options": {"not-match": "(a+)+$"}}),
    ));
    let dir = tree();
    let hostile = format!("{}!", "a".repeat(200_000));
    write(
        dir.path(),
        "evil.json",
        named_template(CONTRIBUTOR, &hostile).as_bytes(),
    );
    write(
        dir.path(),
        "match.json",
        named_template(CONTRIBUTOR, &"a".repeat(200_000)).as_bytes(),
    );
    let (status, report) = check_json(&["--rules", s(rules.path()), s(dir.path())]);
    assert_eq!(status, ExitStatus::Failure);
    assert_eq!(report["summary"]["files"], 3);
    assert!(diagnostics_of(&report, "/evil.json").is_empty(), "{report:#}");
    let matched = diagnostics_of(&report, "/match.json");
    assert_eq!(matched.len(), 1);
    assert_eq!(matched[0]["rule"], "X001");
}

#[test]
fn oversized_regexes_are_rule_errors() {
    for pattern in [
        "a{1000}{1000}",
        &format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000)),
    ] {
        let rules = rule_dir(&user_rule(
            "$.resources[*]",
            serde_json::json!({"field": "name", "function": "pattern", "options": {"match": pattern}}),
        ));
        let run = lhlint(&["check", "--rules", s(rules.path()), "fixtures/rules/LH042/pass"]);
        assert_eq!(run.status, ExitStatus::Error, "{}", run.stderr);
        assert!(run.stderr.contains("X001-user.jsonc"), "{}", run.stderr);
        assert!(run.stderr.contains("could not load the rules"), "{}", run.stderr);
    }
}

#[test]
fn pathological_json_paths() {
    let dir = tree();
    // A deep document for descendant chains to explore.
    let deep = format!("{}1{}", "{\"a\":".repeat(400), "}".repeat(400));
    let text = named_template(OWNER, "x").replacen(
        "\"apiVersion\": \"2022-10-01\",",
        &format!("\"apiVersion\": \"2022-10-01\", \"a\": {deep},"),
        1,
    );
    write(dir.path(), "deep.json", text.as_bytes());
    let chain = format!("${}", "..a".repeat(64));
    let wide_filter = format!(
        "$.resources[?{}]",
        (0..2000)
            .map(|i| format!("@.name == 'n{i}'"))
            .collect::<Vec<_>>()
            .join(" || ")
    );
    let wildcards = format!("${}", "..*".repeat(32));
    for given in [chain.as_str(), wide_filter.as_str(), wildcards.as_str()] {
        let rules = rule_dir(&user_rule(given, serde_json::json!({"function": "undefined"})));
        let (status, report) = check_json(&["--rules", s(rules.path()), s(dir.path())]);
        assert_eq!(status, ExitStatus::Failure, "{given:.80}");
        assert_eq!(report["summary"]["files"], 2);
    }
    // A path of 100,000 steps is just long.
    let long = format!("${}", "['a']".repeat(100_000));
    let rules = rule_dir(&user_rule(&long, serde_json::json!({"function": "undefined"})));
    let (status, report) = check_json(&["--rules", s(rules.path()), s(dir.path())]);
    assert_eq!(status, ExitStatus::Failure);
    assert_eq!(report["summary"]["files"], 2);
    // Nesting that would overflow a recursive parser is a rule error.
    for given in [
        format!("$[?{}@.a{}]", "(".repeat(10_000), ")".repeat(10_000)),
        format!("$[?{}@.a]", "!".repeat(10_000)),
    ] {
        let rules = rule_dir(&user_rule(&given, serde_json::json!({"function": "undefined"})));
        let run = lhlint(&["check", "--rules", s(rules.path()), s(dir.path())]);
        assert_eq!(run.status, ExitStatus::Error, "{given:.80}: {}", run.stderr);
        assert!(run.stderr.contains("X001-user.jsonc"), "{}", run.stderr);
        assert!(
            run.stderr.len() < 2000,
            "the error quotes the selector shortened: {}",
            run.stderr.len()
        );
    }
}

#[test]
fn twenty_thousand_findings_in_one_array() {
    // Each finding's JSON pointer names its index in the array: finding it
    // must not walk the siblings (quadratic: 2·10⁸ steps here). Twenty
    // thousand, not more: the debug build renders about 300 findings a
    // second, and CI runs it.
    let dir = tempfile::tempdir().unwrap();
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    let item = serde_json::json!({"principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11", "principalIdDisplayName": "x", "roleDefinitionId": OWNER});
    let authorizations = value["resources"][0]["properties"]["authorizations"]
        .as_array_mut()
        .unwrap();
    authorizations.extend(std::iter::repeat_n(item, 20_000));
    write(
        dir.path(),
        "many.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let run = lhlint(&["check", "--format", "concise", s(dir.path())]);
    assert_eq!(run.status, ExitStatus::Failure);
    assert_eq!(run.stdout.lines().filter(|l| l.ends_with("[LH042]")).count(), 20_001);
}

#[test]
fn deep_expressions_that_refer_to_each_other() {
    // 60 variables, each a 190-deep expression around a reference to the
    // next: evaluation nests 60 × 190 calls unless the depth is bounded as a
    // whole (the lint threads have ordinary 2 MiB stacks).
    let dir = tree();
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    let depth = 190;
    for i in 0..60 {
        let inner = if i == 59 {
            "'end'".to_string()
        } else {
            format!("variables('v{}')", i + 1)
        };
        let expression = format!("[{}{inner}{}]", "concat(".repeat(depth), ")".repeat(depth));
        value["variables"][format!("v{i}")] = Value::String(expression);
    }
    value["resources"][0]["properties"]["authorizations"][0]["principalId"] = Value::String("[variables('v0')]".into());
    value["resources"][0]["properties"]["authorizations"][1]["principalIdDisplayName"] =
        Value::String("[toLower(variables('v0'))]".into());
    write(
        dir.path(),
        "chain.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let report = check_tree(dir.path(), 2);
    assert!(
        diagnostics_of(&report, "/chain.json")
            .iter()
            .any(|d| d["rule"] == "LH042"),
        "{report:#}"
    );
    // The same with every thread count (their stacks differ).
    for j in ["1", "2"] {
        let run = lhlint(&["check", "-j", j, "--format", "concise", s(dir.path())]);
        assert!(run.stdout.contains("[LH042]"), "{}", run.stderr);
    }
}

#[test]
fn nested_copy_loops_do_not_multiply() {
    // Four nested deployments, each a copy loop of 800 (ARM's limit per
    // loop): 800⁴ instances if every nesting level multiplied the walk.
    let dir = tree();
    let mut inner = serde_json::json!({
        "type": "Microsoft.ManagedServices/registrationDefinitions",
        "apiVersion": "2022-10-01",
        "name": "[guid(string(copyIndex()))]",
        "copy": {"name": "leaf", "count": 800},
        "properties": {
            "registrationDefinitionName": "[string(copyIndex())]",
            "managedByTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "authorizations": [{"principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11", "principalIdDisplayName": "x", "roleDefinitionId": OWNER}]
        }
    });
    for level in 0..4 {
        inner = serde_json::json!({
            "type": "Microsoft.Resources/deployments",
            "apiVersion": "2022-09-01",
            "name": format!("[concat('level{level}-', copyIndex())]"),
            "copy": {"name": format!("level{level}"), "count": 800},
            "properties": {
                "mode": "Incremental",
                "expressionEvaluationOptions": {"scope": "inner"},
                "template": {
                    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    "contentVersion": "1.0.0.0",
                    "resources": [inner]
                }
            }
        });
    }
    let mut value: Value = serde_json::from_str(&named_template(CONTRIBUTOR, "x")).unwrap();
    value["resources"].as_array_mut().unwrap().push(inner);
    write(
        dir.path(),
        "loops.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let report = check_tree(dir.path(), 2);
    let loops = diagnostics_of(&report, "/loops.json");
    assert!(loops.iter().any(|d| d["rule"] == "LH042"), "{loops:#?}");
}

#[test]
fn nested_copy_variables_do_not_multiply() {
    // Each of four `copy` variables has 800 items that are the next one: a
    // value of 800⁴ items if each level were computed in full.
    let dir = tree();
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    let copies: Vec<Value> = (0..4)
        .map(|i| {
            let input = if i == 3 {
                "[copyIndex('v3')]".to_string()
            } else {
                format!("[variables('v{}')]", i + 1)
            };
            serde_json::json!({"name": format!("v{i}"), "count": 800, "input": input})
        })
        .collect();
    value["variables"]["copy"] = Value::Array(copies);
    value["resources"][0]["properties"]["authorizations"][1]["principalIdDisplayName"] =
        Value::String("[string(variables('v0'))]".into());
    value["resources"][0]["properties"]["authorizations"][1]["principalId"] =
        Value::String("[string(length(variables('v0')))]".into());
    write(
        dir.path(),
        "vars.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let report = check_tree(dir.path(), 2);
    assert!(
        diagnostics_of(&report, "/vars.json")
            .iter()
            .any(|d| d["rule"] == "LH042"),
        "{report:#}"
    );
}

#[test]
fn copy_variables_are_linted_where_their_input_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut value: Value = serde_json::from_str(&named_template(CONTRIBUTOR, "x")).unwrap();
    value["variables"]["copy"] = serde_json::json!([{
        "name": "auths",
        "count": 2,
        "input": {
            "principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11",
            "principalIdDisplayName": "[concat('team ', copyIndex('auths'))]",
            "roleDefinitionId": OWNER
        }
    }]);
    value["resources"][0]["properties"]["authorizations"] = Value::String("[concat(variables('auths'), createArray(json('{\"principalId\": \"00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11\", \"roleDefinitionId\": \"91c1777a-f3dc-4fae-b103-61d183457e46\"}')))]".into());
    write(
        dir.path(),
        "auths.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let run = lhlint(&["check", "--format", "concise", s(dir.path())]);
    // Both instances grant Owner; the finding points at the input as written.
    assert_eq!(
        run.stdout.lines().filter(|l| l.ends_with("[LH042]")).count(),
        1,
        "{}",
        run.stdout
    );
}

#[test]
fn many_members_looked_up_many_times() {
    // 40,000 parameters, each used by name, and 40,000 uses of elements of a
    // 40,000-element array: looking a member up must not scan its siblings.
    let dir = tree();
    let n = 40_000;
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    let params = value["parameters"].as_object_mut().unwrap();
    for i in 0..n {
        params.insert(
            format!("p{i}"),
            serde_json::json!({"type": "string", "defaultValue": format!("v{i}")}),
        );
    }
    let list: Vec<Value> = (0..n).map(|i| Value::String(format!("e{i}"))).collect();
    params.insert(
        "list".into(),
        serde_json::json!({"type": "array", "defaultValue": list}),
    );
    let uses: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            (
                format!("u{i}"),
                Value::String(format!("[concat(parameters('p{i}'), parameters('list')[{i}])]")),
            )
        })
        .collect();
    value["resources"][0]["tags"] = Value::Object(uses);
    value["resources"][0]["properties"]["authorizations"][1]["principalIdDisplayName"] =
        Value::String(format!("[parameters('p{}')]", n - 1));
    write(
        dir.path(),
        "wide.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let report = check_tree(dir.path(), 2);
    let wide = diagnostics_of(&report, "/wide.json");
    assert_eq!(wide.len(), 1, "{wide:#?}");
    assert_eq!(wide[0]["rule"], "LH042");
}

#[test]
fn thousands_of_parameters_files_paired_by_declarations() {
    // 1,500 templates and 1,500 parameters files in one folder, none named
    // after its template: each pairs with the one template that declares its
    // parameters, without comparing every file with every other file's text.
    let dir = tempfile::tempdir().unwrap();
    let n = 1_500;
    for i in 0..n {
        let t = serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {format!("p{i}"): {"type": "int"}, "shared": {"type": "string", "defaultValue": "x"}},
            "resources": []
        });
        write(dir.path(), &format!("t{i:04}.json"), t.to_string().as_bytes());
        let p = serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {format!("p{i}"): {"value": "v"}, "shared": {"value": "y"}}
        });
        write(dir.path(), &format!("values-{i:04}.json"), p.to_string().as_bytes());
    }
    // Each parameters file gives a string to its template's int parameter.
    let (status, report) = check_json(&["--select", "LH016", s(dir.path())]);
    assert_eq!(status, ExitStatus::Failure);
    assert_eq!(report["summary"]["files"], 2 * n);
    let mut found: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    found.dedup();
    assert_eq!(found.len(), n, "one finding per parameters file");
    assert!(found.iter().all(|f| f.contains("/values-")), "{found:?}");
}

#[test]
fn the_report_never_overwrites_an_input() {
    let dir = tree();
    let good = dir.path().join("good.json");
    let before = std::fs::read(&good).unwrap();
    let run = lhlint(&["check", "--format", "json", "--output", s(&good), s(dir.path())]);
    assert_eq!(run.status, ExitStatus::Error);
    assert!(run.stderr.contains("is one of the linted files"), "{}", run.stderr);
    assert_eq!(std::fs::read(&good).unwrap(), before, "the input is intact");
    // Nor through a hard link (another name for the same file).
    let alias = dir.path().join("alias.out");
    std::fs::hard_link(&good, &alias).unwrap();
    let run = lhlint(&["check", "--format", "json", "--output", s(&alias), s(dir.path())]);
    assert_eq!(run.status, ExitStatus::Error, "{}", run.stderr);
    assert_eq!(std::fs::read(&good).unwrap(), before, "the input is intact");
    // A new file beside the inputs is fine.
    let report = dir.path().join("report.txt");
    let run = lhlint(&["check", "--output", s(&report), s(&good)]);
    assert_eq!(run.status, ExitStatus::Failure, "{}", run.stderr);
    assert!(std::fs::read_to_string(&report).unwrap().contains("LH042"));
}

#[test]
fn user_rule_text_is_input_too() {
    let mut rule = user_rule("$.resources[*]", serde_json::json!({"function": "undefined"}));
    rule["summary"] = Value::String("evil \u{1b}[2J\u{9b}\u{202e} summary".into());
    rule["message"] = Value::String("\u{1b}]0;title\u{7}found\r\n::error::forged".into());
    let rules = rule_dir(&rule);
    for format in ["human", "json"] {
        let run = lhlint(&["rules", "--format", format, "--rules", s(rules.path())]);
        assert_eq!(run.status, ExitStatus::Success, "{}", run.stderr);
        assert!(run.stdout.contains("evil "), "{}", run.stdout);
        assert!(
            !run.stdout
                .chars()
                .any(|c| c != '\n' && lhlint::report::is_unsafe_char(c)),
            "{format}"
        );
    }
    let dir = tree();
    for format in ["human", "concise", "json"] {
        let run = lhlint(&["check", "--format", format, "--rules", s(rules.path()), s(dir.path())]);
        assert!(run.stdout.contains("found"), "{}", run.stdout);
        assert!(
            !run.stdout
                .chars()
                .any(|c| c != '\n' && lhlint::report::is_unsafe_char(c)),
            "{format}"
        );
    }
}

#[test]
fn a_long_expression_is_quoted_short() {
    // The authorizations come through a 1 MB expression: the label that shows
    // where they were used quotes the expression shortened, in every finding.
    let dir = tempfile::tempdir().unwrap();
    let long = format!("[if(true(), parameters('auths'), '{}')]", "x".repeat(1 << 20));
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    let auths: Vec<Value> = (0..20)
        .map(|i| serde_json::json!({"principalId": "00e7bc4f-2b7c-4b2e-9d0a-2a4b6f9f7a11", "principalIdDisplayName": format!("t{i}"), "roleDefinitionId": OWNER}))
        .collect();
    value["parameters"]["auths"] = serde_json::json!({"type": "array", "defaultValue": auths});
    value["resources"][0]["properties"]["authorizations"] = Value::String(long);
    write(
        dir.path(),
        "long.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    for format in ["human", "concise", "json"] {
        let run = lhlint(&["check", "--format", format, s(dir.path())]);
        assert_eq!(run.status, ExitStatus::Failure);
        assert!(run.stdout.matches("LH042").count() >= 20, "{format}");
        assert!(
            run.stdout.contains("value used here") || format == "concise",
            "{format}"
        );
        assert!(run.stdout.len() < 200_000, "{format}: {} bytes", run.stdout.len());
    }
}

#[test]
fn many_references_to_a_big_value() {
    // 20,000 places use a 5,000-element parameter: following each reference
    // into the value is 10⁸ steps unless the walk is bounded as a whole.
    let dir = tree();
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    let big: Vec<Value> = (0..5_000)
        .map(|i| serde_json::json!({"name": format!("n{i}")}))
        .collect();
    value["parameters"]["big"] = serde_json::json!({"type": "array", "defaultValue": big});
    let uses: Vec<Value> = (0..20_000)
        .map(|_| Value::String("[parameters('big')]".into()))
        .collect();
    value["resources"][0]["properties"]["uses"] = Value::Array(uses);
    // And a copy loop of 800 around a resource that uses it.
    let looped = serde_json::json!({
        "type": "Microsoft.Resources/tags", "apiVersion": "2022-09-01", "name": "[string(copyIndex())]",
        "copy": {"name": "many", "count": 800},
        "properties": {"tags": "[parameters('big')]"}
    });
    value["resources"].as_array_mut().unwrap().push(looped);
    write(
        dir.path(),
        "refs.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let report = check_tree(dir.path(), 2);
    assert!(
        diagnostics_of(&report, "/refs.json")
            .iter()
            .any(|d| d["rule"] == "LH042"),
        "{report:#}"
    );
}

#[test]
fn uniqueness_over_a_hundred_thousand_elements() {
    // A user rule that wants principal ids unique, over 100,000 distinct
    // authorizations and one repeat: by key, not pairwise (5·10⁹ comparisons).
    let rules = rule_dir(&user_rule(
        "$.resources[*].properties",
        serde_json::json!({"field": "authorizations", "function": "unique", "options": {"by": ["principalId"]}}),
    ));
    let dir = tempfile::tempdir().unwrap();
    let mut value: Value = serde_json::from_str(&named_template(CONTRIBUTOR, "x")).unwrap();
    let authorizations = value["resources"][0]["properties"]["authorizations"]
        .as_array_mut()
        .unwrap();
    authorizations.clear();
    authorizations.extend((0..100_000u32).map(|i| {
        serde_json::json!({"principalId": format!("00000000-0000-0000-0000-{i:012}"), "principalIdDisplayName": "x", "roleDefinitionId": CONTRIBUTOR})
    }));
    authorizations.push(serde_json::json!({"principalId": "00000000-0000-0000-0000-000000000007", "principalIdDisplayName": "x", "roleDefinitionId": CONTRIBUTOR}));
    write(
        dir.path(),
        "unique.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let run = lhlint(&[
        "check",
        "--format",
        "concise",
        "--select",
        "X001",
        "--rules",
        s(rules.path()),
        s(dir.path()),
    ]);
    assert_eq!(run.status, ExitStatus::Failure, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

#[test]
fn a_hundred_thousand_values_against_a_hundred_thousand_allowed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let mut value: Value = serde_json::from_str(&named_template(CONTRIBUTOR, "x")).unwrap();
    let allowed: Vec<Value> = (0..n).map(|i| Value::String(format!("v{i}"))).collect();
    let mut given: Vec<Value> = allowed.iter().rev().cloned().collect();
    given.push(Value::String("not allowed".into()));
    value["parameters"]["regions"] =
        serde_json::json!({"type": "array", "allowedValues": allowed, "defaultValue": given});
    write(
        dir.path(),
        "allowed.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let run = lhlint(&["check", "--format", "concise", "--select", "LH016", s(dir.path())]);
    assert_eq!(run.status, ExitStatus::Failure, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("\"not allowed\" is not one of the allowedValues"),
        "{}",
        run.stdout
    );
}

#[test]
fn self_referencing_variables() {
    // A copy variable whose input is itself, and two variables that refer to
    // each other: unknown, not an endless or exponential evaluation.
    let dir = tree();
    let mut value: Value = serde_json::from_str(&named_template(OWNER, "x")).unwrap();
    value["variables"]["copy"] = serde_json::json!([
        {"name": "self", "count": 800, "input": "[variables('self')]"},
        {"name": "a", "count": 800, "input": "[variables('b')]"},
        {"name": "b", "count": 800, "input": "[concat(variables('a'), variables('a'))]"}
    ]);
    value["variables"]["x"] = Value::String("[variables('y')]".into());
    value["variables"]["y"] = Value::String("[concat(variables('x'), variables('x'))]".into());
    let auth = &mut value["resources"][0]["properties"]["authorizations"][1];
    auth["principalIdDisplayName"] =
        Value::String("[string(concat(variables('self'), variables('a'), variables('x')))]".into());
    write(
        dir.path(),
        "cycles.json",
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    let report = check_tree(dir.path(), 2);
    assert!(
        diagnostics_of(&report, "/cycles.json")
            .iter()
            .any(|d| d["rule"] == "LH042"),
        "{report:#}"
    );
}

#[test]
fn fifty_thousand_undeclared_references_in_one_escaped_string() {
    // Each LH015 maps its place in the decoded expression back to the raw
    // text; with escapes in a 1 MB string, that must not rescan the string.
    let dir = tree();
    let args = vec!["parameters('n\\u006fpe')"; 50_000].join(", ");
    let raw = format!("\"[concat({args})]\"");
    let text = named_template(OWNER, "x").replacen("\"[guid(parameters('mspOfferName'))]\"", &raw, 1);
    write(dir.path(), "refs.json", text.as_bytes());
    let (_, report) = check_json(&["--select", "LH015", s(dir.path())]);
    let found: Vec<_> = diagnostics_of(&report, "/refs.json")
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().contains("`nope`"))
        .collect();
    assert_eq!(found.len(), 50_000);
    // The last one points at its own `'n\u006fpe'` in the raw text.
    let line = text.lines().find(|l| l.contains("[concat(")).unwrap();
    let column = found.last().unwrap()["range"]["start"]["column"].as_u64().unwrap() as usize;
    assert_eq!(&line[column - 1..column + 10], "'n\\u006fpe'", "column {column}");
}
