use std::process::ExitCode;

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // Not locked for the whole run: a worker thread that writes to stderr
    // (the panic hook does, before `catch_unwind` recovers) would wait forever.
    let mut stderr = std::io::stderr();
    let phase = lhlint::timing::Phase::start("whole run");
    // This thread is one of rayon's workers: work it starts runs here too, its
    // heap grows with padding (a new thread's arena grows a page at a time),
    // and one thread fewer is started.
    let _ = rayon::ThreadPoolBuilder::new().use_current_thread().build_global();
    let status = lhlint::run(std::env::args_os().collect(), &mut stdout, &mut stderr);
    phase.done();
    status.into()
}
