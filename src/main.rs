use std::process::ExitCode;

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    lhlint::run(std::env::args_os().collect(), &mut stdout, &mut stderr).into()
}
