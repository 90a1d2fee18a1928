//! Every output format over the diagnostics of a fuzzed file: no raw control
//! characters or escape sequences reach a terminal, and JSON stays JSON.
//! The property lives in `lhlint::fuzzing::report_formats`, so that
//! `tests/fuzz_regressions.rs` replays the seeds and every finding in CI.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lhlint::fuzzing::report_formats(data));
