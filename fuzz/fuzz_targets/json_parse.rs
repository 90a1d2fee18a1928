//! The JSONC parser on arbitrary bytes, then every accessor on what it parsed.
//! The property lives in `lhlint::fuzzing::json_parse`, so that
//! `tests/fuzz_regressions.rs` replays the seeds and every finding in CI.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lhlint::fuzzing::json_parse(data));
