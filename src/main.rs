//! `cchc` binary: argument parsing only; the library does the work.
fn main() {
    // Die quietly on a closed pipe (`cchc inspect … | head`) like other Unix tools.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(cchc::cli::main());
}
