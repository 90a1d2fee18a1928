use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // Not locked for the whole run: a worker thread that writes to stderr
    // (the panic hook does, before `catch_unwind` recovers) would wait forever.
    let mut stderr = std::io::stderr();
    let phase = lhlint::timing::Phase::start("whole run");
    // Parsed once: for the thread count, then for the run (which reports an error).
    let parsed = lhlint::cli::Cli::try_parse_from(std::env::args_os());
    // This thread is one of rayon's workers: work it starts runs here too, its
    // heap grows with padding (a new thread's arena grows a page at a time),
    // and one thread fewer is started. A few named files get no other thread
    // (unless RAYON_NUM_THREADS says otherwise).
    let mut pool = rayon::ThreadPoolBuilder::new().use_current_thread();
    if std::env::var_os("RAYON_NUM_THREADS").is_none()
        && parsed.as_ref().is_ok_and(lhlint::cli::Cli::one_thread_suffices)
    {
        pool = pool.num_threads(1);
    }
    let _ = pool.build_global();
    let status = lhlint::run_parsed(parsed, &mut stdout, &mut stderr);
    phase.done();
    status.into()
}
