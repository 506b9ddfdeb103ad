//! The `entigraph` binary: parse flags, run, map the outcome to an exit code.
//!
//! Exit codes: 0 all good; 1 nothing usable, or a usage error; 2 finished, but some inputs
//! were skipped because they could not be read.

mod ask;
mod cli;
mod run;
mod write;

use clap::Parser;
use mimalloc::MiMalloc;
use std::process::ExitCode;

/// The program allocates many small, short-lived buffers per document; mimalloc serves them
/// faster than the system allocator.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, `mi_option_e`); the binding has no name
/// for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory freed after a document is reused for the next one; by default mimalloc returns
    // it to the system after 10 ms, and the kernel must zero it again when it is touched,
    // which took about a tenth of a run's time on a corpus of short articles. A run's memory is
    // bounded by its distinct names and links, so keeping what it freed costs no peak memory.
    // SAFETY: sets a plain integer option; no allocation has been handed out on its terms yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    // A reader that stops early (`entigraph top --graph g.json | head`) ends the program
    // quietly, as it ends `cat` or `grep`, instead of failing its next write. Every output
    // file is staged and renamed into place, and what goes to a pipe is written last, so no
    // file is left half-written.
    // SAFETY: restores the default action of one signal before any thread is started.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = cli::Cli::parse();
    match run::run(cli) {
        Ok(run::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(run::Outcome::Skipped) => ExitCode::from(2),
        Err(err) => {
            eprintln!("entigraph: error: {err:#}");
            ExitCode::from(1)
        }
    }
}
