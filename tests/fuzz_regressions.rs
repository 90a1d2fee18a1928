//! Replays the fuzzers' seed corpus (`fuzz/seeds/<target>/`) and every input a
//! fuzzer found (`fuzz/regressions/<target>/`) through the properties the fuzz
//! targets check (`lhlint::fuzzing`). Fuzzing itself does not run in CI.

use std::path::Path;

fn replay(target: &str, property: fn(&[u8])) {
    let mut count = 0;
    for dir in ["fuzz/seeds", "fuzz/regressions"] {
        let Ok(entries) = std::fs::read_dir(Path::new(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).expect("readable");
            let outcome = std::panic::catch_unwind(|| property(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "no inputs for {target}");
}

#[test]
fn json_parse() {
    replay("json_parse", lhlint::fuzzing::json_parse);
}

#[test]
fn arm_expr() {
    replay("arm_expr", lhlint::fuzzing::arm_expr);
}

#[test]
fn check_file() {
    replay("check_file", lhlint::fuzzing::check_file);
}

#[test]
fn report_formats() {
    replay("report_formats", lhlint::fuzzing::report_formats);
}
