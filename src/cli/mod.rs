//! The `wijkimpact` command line: arguments ([`args`]) become a typed
//! [`Config`], which a command ([`check`], [`run`]) carries out.
//!
//! Exit codes: 0 success; 2 bad input or usage (clap's usage errors, scenario
//! errors, an output directory that is not empty); 1 anything else (I/O
//! failures while writing, a failing thread pool). Bad input is marked with
//! [`BadInput`] so `main` can tell the two apart without parsing messages.
//!
//! Output: results on standard output, progress bars and informational
//! messages (what was written, what to do next) on standard error. With
//! `--quiet` ([`set_quiet`]) both are silenced and only warnings and errors
//! are printed; use [`say!`] and [`note!`] for anything `--quiet` silences.

use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: print nothing but warnings and errors (set once, in `main`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True under `--quiet`.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `println!` unless `--quiet`: results for the terminal.
macro_rules! say {
    ($($t:tt)*) => {
        if !$crate::cli::quiet() {
            println!($($t)*);
        }
    };
}

/// `eprintln!` unless `--quiet`: what was written, what to do next.
macro_rules! note {
    ($($t:tt)*) => {
        if !$crate::cli::quiet() {
            eprintln!($($t)*);
        }
    };
}

pub mod allocate;
pub mod args;
pub mod check;
pub mod claim;
pub mod generate;
pub mod limits;
pub mod merge;
pub mod monitor;
pub mod progress;
pub mod report;
pub mod run;
pub mod sobol;

use std::path::PathBuf;
use wijkimpact::model::Mode;
use wijkimpact::output::OutputFormat;
use wijkimpact::scenario::LoadOptions;

/// An error caused by what the user gave us (exit code 2).
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// The exit code for an error returned by a command.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    let bad_run = |c: &(dyn std::error::Error + 'static)| {
        c.downcast_ref::<wijkimpact::runner::RunError>().is_some_and(|r| r.is_bad_input())
    };
    if e.chain().any(|c| c.is::<BadInput>() || bad_run(c)) {
        2
    } else {
        1
    }
}

/// What to do, with every argument checked and typed.
#[derive(Debug, Clone)]
pub enum Config {
    Check { files: Vec<PathBuf>, load: LoadOptions },
    Run(RunConfig),
    Merge(MergeConfig),
    Report { run_dir: PathBuf, lang: wijkimpact::report::Lang, out: PathBuf, force: bool, sobol: Option<PathBuf> },
    Sobol(sobol::SobolConfig),
    Claim(claim::ClaimConfig),
    Allocate(allocate::AllocateConfig),
    Completions { shell: clap_complete::Shell },
    Man { out: Option<PathBuf> },
}

#[derive(Debug, Clone)]
pub struct MergeConfig {
    pub shards: Vec<PathBuf>,
    pub out: PathBuf,
    pub force: bool,
    /// Worker threads for the sensitivity analysis (0 = all cores).
    pub threads: usize,
    /// Compute `sensitivity.csv`.
    pub sensitivity: bool,
    /// How the shards' scenario file and its includes are read again.
    pub load: LoadOptions,
    /// `None`: the format the shards were run with.
    pub format: Option<OutputFormat>,
    pub command_line: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RunConfig {
    pub file: PathBuf,
    /// How the scenario file and its includes are read.
    pub load: LoadOptions,
    pub draws: u64,
    pub seed: u64,
    pub threads: usize,
    /// `None`: the mode the scenario file asks for.
    pub mode: Option<Mode>,
    pub out: PathBuf,
    pub force: bool,
    /// Sorted, in (0, 1), median included.
    pub quantiles: Vec<f64>,
    /// `(index, count)` when running one shard of a split run.
    pub shard: Option<(u64, u64)>,
    /// Compute `sensitivity.csv` (not for shards).
    pub sensitivity: bool,
    /// Write `report.html` into the run directory when done.
    pub report: bool,
    /// `--yes`: start even when the run is estimated to be too big.
    pub yes: bool,
    /// Format of the per-draw and yearly tables.
    pub format: OutputFormat,
    /// `wijkimpact monitor`: observations to check and update with.
    pub monitor: Option<monitor::MonitorConfig>,
    /// The command line as given, for the manifest.
    pub command_line: Vec<String>,
}

/// `DIR/STEM` for an input file `STEM.toml`: where `claim` and `allocate` write by default.
fn under_stem(dir: &str, file: &std::path::Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    PathBuf::from(dir).join(stem)
}

fn format_of(f: args::FormatArg) -> OutputFormat {
    match f {
        args::FormatArg::Csv => OutputFormat::Csv,
        args::FormatArg::Parquet => OutputFormat::Parquet,
    }
}

fn mode_of(m: args::ModeArg) -> Mode {
    match m {
        args::ModeArg::Cohort => Mode::Cohort,
        args::ModeArg::Stochastic => Mode::Stochastic,
    }
}

fn lang_of(l: args::LangArg) -> wijkimpact::report::Lang {
    match l {
        args::LangArg::Nl => wijkimpact::report::Lang::Nl,
        args::LangArg::En => wijkimpact::report::Lang::En,
    }
}

impl Config {
    pub fn from_args(cli: args::Cli, command_line: Vec<String>) -> Config {
        match cli.command {
            args::Command::Check { files, load } => Config::Check { files, load: load.options() },
            args::Command::Run(a) => Config::Run(RunConfig {
                file: a.file,
                load: a.load.options(),
                draws: a.sim.draws,
                seed: a.sim.seed,
                threads: a.sim.threads,
                mode: a.mode.map(mode_of),
                out: a.out,
                force: a.force,
                quantiles: a.quantiles.0,
                shard: a.shard,
                sensitivity: !a.no_sensitivity,
                report: a.report,
                yes: a.yes,
                format: format_of(a.format),
                monitor: None,
                command_line,
            }),
            args::Command::Merge { shards, out, force, threads, no_sensitivity, load, format } => {
                Config::Merge(MergeConfig {
                    shards,
                    out,
                    force,
                    threads,
                    sensitivity: !no_sensitivity,
                    load: load.options(),
                    format: format.map(format_of),
                    command_line,
                })
            }
            args::Command::Claim {
                file,
                sim: args::SimArgs { draws, seed, threads },
                mode,
                solve_draws,
                out,
                lang,
                force,
                load,
            } => {
                let out = out.unwrap_or_else(|| under_stem("claims", &file));
                Config::Claim(claim::ClaimConfig {
                    file,
                    load: load.options(),
                    draws,
                    seed,
                    threads,
                    mode: mode.map(mode_of),
                    solve_draws,
                    out,
                    lang: lang_of(lang),
                    force,
                    command_line,
                })
            }
            args::Command::Allocate { file, sim: args::SimArgs { draws, seed, threads }, mode, out, force, load } => {
                let out = out.unwrap_or_else(|| under_stem("allocations", &file));
                Config::Allocate(allocate::AllocateConfig {
                    file,
                    load: load.options(),
                    draws,
                    seed,
                    threads,
                    mode: mode.map(mode_of),
                    out,
                    force,
                    command_line,
                })
            }
            args::Command::Monitor {
                file,
                observed,
                scenario,
                sim: args::SimArgs { draws, seed, threads },
                mode,
                min_ess,
                out,
                force,
                report,
                yes,
                load,
                format,
            } => Config::Run(RunConfig {
                file,
                load: load.options(),
                draws,
                seed,
                threads,
                mode: mode.map(mode_of),
                out,
                force,
                quantiles: wijkimpact::summary::DEFAULT_QUANTILES.to_vec(),
                shard: None,
                sensitivity: false,
                report,
                yes,
                format: format_of(format),
                monitor: Some(monitor::MonitorConfig { observed, scenario, min_ess }),
                command_line,
            }),
            args::Command::Report { run_dir, lang, out, force, sobol } => {
                let lang = lang_of(lang);
                let out = report::target(&run_dir, out.as_deref(), lang);
                Config::Report { run_dir, lang, out, force, sobol }
            }
            args::Command::Sobol { file, base_samples, seed, threads, bootstrap, out, force, shard, merge, load } => {
                Config::Sobol(sobol::SobolConfig {
                    file,
                    load: load.options(),
                    base_samples: base_samples as usize,
                    seed,
                    threads,
                    bootstrap: bootstrap as usize,
                    out,
                    force,
                    shard,
                    merge,
                    command_line,
                })
            }
            args::Command::Completions { shell } => Config::Completions { shell },
            args::Command::Man { out } => Config::Man { out },
        }
    }

    pub fn execute(self) -> anyhow::Result<()> {
        match self {
            Config::Check { files, load } => check::check(&files, load),
            Config::Run(cfg) => run::run(&cfg),
            Config::Merge(cfg) => merge::merge(&cfg),
            Config::Report { run_dir, lang, out, force, sobol } => {
                report::report(&run_dir, lang, &out, force, sobol.as_deref())
            }
            Config::Sobol(cfg) => sobol::sobol(&cfg),
            Config::Claim(cfg) => claim::claim(&cfg),
            Config::Allocate(cfg) => allocate::allocate(&cfg),
            Config::Completions { shell } => generate::completions(shell),
            Config::Man { out } => generate::man(out.as_deref()),
        }
    }
}
