//! Phase timings for profiling: with `LHLINT_TIMINGS=1` in the environment,
//! each phase of `lhlint check` prints its wall time to stderr.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LHLINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// A running phase; prints its duration when `done` is called.
pub struct Phase {
    name: &'static str,
    start: Instant,
}

impl Phase {
    /// Starts timing `name`.
    pub fn start(name: &'static str) -> Self {
        Phase {
            name,
            start: Instant::now(),
        }
    }

    /// Prints the phase's wall time (when timings are on) and starts `next`.
    pub fn next(self, next: &'static str) -> Self {
        self.done();
        Phase::start(next)
    }

    /// Prints the phase's wall time when timings are on.
    pub fn done(self) {
        if enabled() {
            eprintln!(
                "lhlint: timing: {:<14} {:>8.1} ms",
                self.name,
                self.start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}
