//! The ARM expression parser and evaluator on an arbitrary expression, against
//! a small context with parameters, variables, objects, arrays and copy loops.
//! The property lives in `lhlint::fuzzing::arm_expr`, so that
//! `tests/fuzz_regressions.rs` replays the seeds and every finding in CI.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lhlint::fuzzing::arm_expr(data));
