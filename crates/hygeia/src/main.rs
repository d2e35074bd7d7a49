//! `hygeia`: one binary that serves the web UI, the JSON API and the background worker, and
//! administers, backs up and verifies a deployment from the command line.

mod cli;
mod commands;
mod config;
mod logging;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the C library's allocator: in a profile of sustained asset ingest,
/// glibc's malloc and free took about a fifth of the samples, and the ingest benchmark ran
/// 15–25% faster with mimalloc (BENCHMARKS.md). It is built without transparent huge pages
/// (`no_thp`): the kernel zeroing the fresh 2 MiB pages mimalloc asked for was 9% of a
/// sustained import's samples (2.7% without), and a single import of 5,000 assets took
/// 238–285 ms with them against 141–147 ms without.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let config = match config::Config::load(&cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hygeia: {e}");
            return ExitCode::from(2);
        }
    };
    logging::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hygeia: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hygeia: {e}");
            ExitCode::FAILURE
        }
    }
}
