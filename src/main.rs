//! `wijkimpact`: parse the arguments, build a typed configuration, run the
//! command. See `wijkimpact --help`.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Usage errors exit with 2 inside clap.
    let args = cli::args::Cli::parse();
    cli::set_quiet(args.quiet);
    let config = cli::Config::from_args(args, std::env::args().collect());
    match config.execute() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(cli::exit_code(&e))
        }
    }
}
