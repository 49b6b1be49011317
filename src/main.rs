//! `cchc` binary: argument parsing only; the library does the work.

/// mimalloc: the pipeline allocates many small strings per document, from
/// several worker threads at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Die quietly on a closed pipe (`cchc inspect … | head`) like other Unix tools.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(cchc::cli::main());
}
