//! The whole check of one file (or of a template and its parameters file):
//! no crash, and every label inside its file on char boundaries.
//! The property lives in `lhlint::fuzzing::check_file`, so that
//! `tests/fuzz_regressions.rs` replays the seeds and every finding in CI.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lhlint::fuzzing::check_file(data));
