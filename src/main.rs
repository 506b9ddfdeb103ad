//! The `entigraph` binary: parse flags, run, map the outcome to an exit code.
//!
//! Exit codes: 0 all good; 1 nothing usable, or a usage error; 2 finished, but some inputs
//! were skipped because they could not be read.

mod ask;
mod cli;
mod run;

use clap::Parser;
use mimalloc::MiMalloc;
use std::process::ExitCode;

/// The program allocates many small, short-lived buffers per document; mimalloc serves them
/// faster than the system allocator.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() -> ExitCode {
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
