//! Command-line arguments (clap derive). Everything that can be checked
//! without reading a file is checked here, so a typo is a usage error (exit 2)
//! before any work starts.

use super::limits;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

// Every example in the help texts runs as written from the repository root
// (the test `every_help_example_runs` runs them all with few draws). Keep each
// line under 80 characters so a terminal never wraps a command; continue a
// long one with ` \`.
const AFTER_HELP: &str = "\
Examples:
  wijkimpact check scenarios/nijmegen.toml scenarios/example-full.toml
  wijkimpact run scenarios/nijmegen.toml --draws 1000 --seed 7 \\
      --out runs/first --report
  wijkimpact report runs/first --lang en
  wijkimpact run scenarios/noord-ouders.toml --draws 500 --mode stochastic \\
      --threads 2 --quantiles 0.025,0.5,0.975 --out runs/noord --force

Install from the checkout with `cargo install --path .`; `wijkimpact man` and
`wijkimpact completions SHELL` then give manual pages and shell completion.

Limits: at most 10,000,000 draws and 4 threads per core; a run that would write
more than 10 GB, more than the free disk space or keep more than the available
memory stops before it starts, with its estimate, unless --yes.

Exit codes: 0 success, 2 bad input or usage (scenario errors, non-empty output
directory, a run too big to start), 1 any other failure.";

const RUN_AFTER_HELP: &str = "\
Writes into DIR: summary.json, summary.csv, yearly, draws and parameters (.parquet, or
.csv with --format csv; columns in docs/outputs.md), sensitivity.csv
(one-way sensitivity: NPV with each parameter at its P5 and P95, the others at their
means; not with --no-sensitivity), assumptions.json (settings, accounts, parameters with
distributions and source comments, scenarios and interventions) and manifest.json.
A shard run (--shard) writes draws.shard.parquet and manifest.json only; merge
writes the rest. Files are written under temporary names and renamed when the run
completes, so an interrupted run never leaves a file that looks complete; the next
run into the directory removes what a killed run left.

Before anything is written, the run estimates its files and memory: beyond 10 GB,
the free disk space or the available memory it stops (exit 2) with the estimate,
the time it would take and how many draws fit, unless --yes.

Examples:
  wijkimpact run scenarios/example-full.toml --out runs/example
  wijkimpact run scenarios/example-full.toml --draws 20000 --seed 7 \\
      --out runs/example-big --force
  wijkimpact run scenarios/nijmegen.toml --draws 1000 --seed 7 \\
      --out runs/first --report";

/// Monte Carlo engine for the maatschappelijke businesscase of interventions in the sociale basis.
#[derive(Debug, Parser)]
#[command(name = "wijkimpact", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Print nothing but warnings and errors: no progress bars, summaries or messages.
    #[arg(short, long, global = true, display_order = 900)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario files without running them; lists every error with file:line:col.
    #[command(after_help = "Example:\n  wijkimpact check scenarios/nijmegen.toml scenarios/noord-ouders.toml")]
    Check {
        /// Scenario files (TOML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Simulate every scenario against the nulalternatief and summarise the draws.
    #[command(after_help = RUN_AFTER_HELP)]
    Run(RunArgs),
    /// Combine the shard directories of a split run into the outputs of one run.
    #[command(after_help = MERGE_AFTER_HELP)]
    Merge {
        /// Shard directories written by `run --shard I/N`, all N of them, in any order.
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
        /// Output directory (created if missing; must be empty unless --force).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace the results in a non-empty output directory.
        #[arg(long)]
        force: bool,
        /// Worker threads for the sensitivity analysis (0 = all cores, at most 4 per core); never
        /// changes a number.
        #[arg(long, default_value_t = 0, value_parser = limits::parse_threads)]
        threads: usize,
        /// Skip the one-way sensitivity analysis: no sensitivity.csv (the report then has no tornado diagram).
        #[arg(long)]
        no_sensitivity: bool,
        #[command(flatten)]
        load: LoadArgs,
        /// Format of the per-draw and yearly tables [default: the format the shards were run with].
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
    },
    /// Check an investeringsfonds application: how likely is each claimed return?
    #[command(
        after_help = CLAIM_AFTER_HELP,
        mut_arg("draws", |a| a.default_value("2000").help("Monte Carlo draws for the probabilities (1 to 10,000,000)")),
        mut_arg("seed", |a| a.help("Seed; same application, seed and draws give the same verdicts on any thread count")),
    )]
    Claim {
        /// Application file (TOML; see docs/application-format.md).
        #[arg(value_name = "APPLICATION")]
        file: PathBuf,
        #[command(flatten)]
        sim: SimArgs,
        /// Simulation mode for the probabilities [default: stochastic for target groups up to
        /// 1,000 people, cohort above].
        #[arg(long, value_enum)]
        mode: Option<ModeArg>,
        /// Draws per evaluation when solving for effect sizes (cohort mode).
        #[arg(long, default_value_t = 200, value_parser = limits::parse_draws)]
        solve_draws: u64,
        /// Output directory (created if missing; must be empty unless --force) [default:
        /// claims/APPLICATION, after the application's file name].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Language of the committee page (claim.html, claim.md).
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
        /// Replace the results in a non-empty output directory.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Choose the options that do most within a budget: the fund's portfolio.
    #[command(
        after_help = ALLOCATE_AFTER_HELP,
        mut_arg("draws", |a| a.default_value("2000").help("Monte Carlo draws every option is evaluated on (1 to 10,000,000)")),
        mut_arg("seed", |a| a.help("Seed; same portfolio, seed and draws give the same choice on any thread count")),
    )]
    Allocate {
        /// Portfolio file (TOML; see docs/allocation.md).
        #[arg(value_name = "PORTFOLIO")]
        file: PathBuf,
        #[command(flatten)]
        sim: SimArgs,
        /// Simulation mode of the model file's options [default: the model file's model.mode];
        /// applications run as the claim check runs them.
        #[arg(long, value_enum)]
        mode: Option<ModeArg>,
        /// Output directory (created if missing; must be empty unless --force) [default:
        /// allocations/PORTFOLIO, after the portfolio's file name].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace the results in a non-empty output directory.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Check observed figures against a running scenario and update its business case.
    #[command(
        after_help = MONITOR_AFTER_HELP,
        mut_arg("draws", |a| a.default_value("4000").help("Number of prior draws (1 to 10,000,000)")),
        mut_arg("seed", |a| a.help("Seed; same input, seed and draws give the same numbers on any thread count")),
    )]
    Monitor {
        /// Scenario file (TOML) of the running scenario.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Observed figures: CSV with year,area,measure,value,n,se (see docs/monitoring.md).
        #[arg(long, value_name = "CSV")]
        observed: PathBuf,
        /// The scenario that is running [default: the file's only scenario].
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        #[command(flatten)]
        sim: SimArgs,
        /// Simulation mode [default: the file's model.mode].
        #[arg(long, value_enum)]
        mode: Option<ModeArg>,
        /// Below this effective sample size the posterior is not reported.
        #[arg(long, default_value_t = 100.0)]
        min_ess: f64,
        /// Output directory (created if missing; must be empty unless --force).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace the results in a non-empty output directory.
        #[arg(long)]
        force: bool,
        /// Also write the Dutch HTML report with its monitoring section.
        #[arg(long)]
        report: bool,
        /// Start even when the run is estimated to need more than 10 GB of files, the free disk
        /// space or the available memory.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        load: LoadArgs,
        #[arg(long, value_enum, default_value_t = FormatArg::Parquet, help = FORMAT_HELP)]
        format: FormatArg,
    },
    /// Write the advisor's HTML report (Dutch by default) of a finished run.
    #[command(after_help = REPORT_AFTER_HELP)]
    Report {
        /// Output directory of `wijkimpact run` (or `merge`).
        #[arg(value_name = "RUN_DIR")]
        run_dir: PathBuf,
        /// Language of the report.
        #[arg(long, value_enum, default_value_t = LangArg::Nl)]
        lang: LangArg,
        /// Report file [default: RUN_DIR/report.html, or RUN_DIR/report.en.html with --lang en].
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace an existing report file.
        #[arg(long)]
        force: bool,
        /// Output directory of `wijkimpact sobol` for the same scenario: adds its Sobol indices.
        #[arg(long, value_name = "SOBOL_DIR")]
        sobol: Option<PathBuf>,
    },
    /// Sobol indices of every scenario's NPV (variance-based sensitivity) on their own sample design.
    #[command(after_help = SOBOL_AFTER_HELP)]
    Sobol {
        /// Scenario file (TOML); its [[parameter_group]]s are the factors.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Base samples N of the Saltelli design: N × (factors + 2) model runs.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
        base_samples: u64,
        /// Seed; same seed, input and base samples give the same numbers on any thread count.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Worker threads (0 = all cores; at most 4 per core).
        #[arg(long, default_value_t = 0, value_parser = limits::parse_threads)]
        threads: usize,
        /// Bootstrap resamples of the confidence intervals.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..=100_000))]
        bootstrap: u64,
        /// Output directory (created if missing; must be empty unless --force).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace the results in a non-empty output directory.
        #[arg(long)]
        force: bool,
        /// Run only shard I of N (a contiguous part of the design), e.g. 0/4; combine with --merge.
        #[arg(long, value_name = "I/N", value_parser = parse_shard, conflicts_with = "merge")]
        shard: Option<(u64, u64)>,
        /// Combine these shard directories (all N) into the indices, instead of running.
        #[arg(long, value_name = "SHARD_DIR", num_args = 1..)]
        merge: Vec<PathBuf>,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages: wijkimpact(1) to standard output, or every page into DIR.
    #[command(after_help = MAN_AFTER_HELP)]
    Man {
        /// Directory for wijkimpact.1 and one page per command (wijkimpact-run.1, …); created if
        /// missing, existing pages replaced.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

const COMPLETIONS_AFTER_HELP: &str = "\
Put the script where your shell looks for completions, e.g. for bash
~/.local/share/bash-completion/completions/wijkimpact, for zsh a file _wijkimpact
in a directory on $fpath, for fish ~/.config/fish/completions/wijkimpact.fish.

Examples:
  wijkimpact completions bash > wijkimpact.bash
  wijkimpact completions zsh > _wijkimpact
  wijkimpact completions fish > wijkimpact.fish";

const MAN_AFTER_HELP: &str = "\
Read a page with `man -l wijkimpact.1`, or write them all into a directory on
your MANPATH (e.g. --out ~/.local/share/man/man1) and use `man wijkimpact-run`.

Examples:
  wijkimpact man > wijkimpact.1
  wijkimpact man --out man/man1";

const REPORT_AFTER_HELP: &str = "\
One self-contained HTML file (inline SVG charts, no scripts, no network needed to view
it): summary with plain sentences, indicators over time (fan charts per area), the NPV
distribution, wie betaalt wie baat per funder and taakveld, a tornado diagram of the
one-way sensitivity, every assumption with its source, and how to reproduce the run.
It reads only summary.json, the yearly table, sensitivity.csv, assumptions.json and
manifest.json, so it takes about a second however many draws the run had.

Examples:
  wijkimpact run scenarios/nijmegen.toml --draws 1000 --out runs/first
  wijkimpact report runs/first
  wijkimpact report runs/first --lang en --out nijmegen-en.html";

const MONITOR_AFTER_HELP: &str = "\
Runs the scenario like `run` (same files in DIR) and adds monitor.json: for every
observation its percentile in the simulated distribution of the running scenario and
whether it lies inside the P5–P95 band, an on-track verdict per measure and area, and the
business case updated by importance re-weighting of the draws (likelihood with the
sampling error: binomial for survey shares with n, normal with se, Poisson for counts),
with the effective sample size; below --min-ess no posterior is reported.

Example (scenarios/monitoring/README.md explains it):
  wijkimpact monitor scenarios/noord-ouders.toml --scenario noord-ouders \\
      --observed scenarios/monitoring/noord-ouders-2026-2028.csv \\
      --draws 2000 --seed 7 --out runs/monitor-noord --report";

const ALLOCATE_AFTER_HELP: &str = "\
Every option (an intervention of the model file in one stadsdeel at one scale, or a fund
application) is simulated on the same draws; options in one stadsdeel that reach the same
people are simulated together. The portfolio is chosen over those draws: an integer
program for the expected maatschappelijk NPV, Dinkelbach's method for welfare per euro, a
local search with an upper bound for P(NPV > 0) and the mean of the worst draws.

Writes into DIR: allocation.json (every number), allocation.html (the Dutch report page:
recommended portfolio, efficient frontier, map of the stadsdelen, equity weights, the
fund round), options.csv, frontier.csv, equity.csv, areas.csv, round.csv and, per
application, the claim check (claim-NAME.json, claim-NAME.html).

Examples:
  wijkimpact allocate scenarios/allocatie/fonds-stad.toml --draws 2000 --seed 7
  wijkimpact allocate scenarios/allocatie/fondsronde.toml --draws 2000 --seed 7

";

const CLAIM_AFTER_HELP: &str = "\
Writes into DIR: claim.json (every claimed figure: P(reached) with its Monte Carlo
standard error, P10/median/P90, verdict, the effect needed to make it 50 % likely; the
funder's NPV and the break-even effect; the business case at the financieel and the
maatschappelijk level with its PM-posten), claim.html and claim.md (one page for the fund
committee, Dutch; English with --lang en) and scenario.toml (the scenario built from the
application; run it with `wijkimpact run` for the full business case).

Verdicts: realistisch when the claim is reached in at least 50 % of draws, optimistisch
from 10 %, onrealistisch below (set [verdict] realistic/optimistic in the application).
A claimed bcr (financieel) is flagged above 2.2, the top of the published social-domain
range, which includes welfare; a bcr_societal above 2.2, and marked for review above 3.

Examples:
  wijkimpact claim scenarios/fonds/peutergym-realistisch.toml
  wijkimpact claim scenarios/fonds/buurtgezinnen-optimistisch.toml \\
      --draws 5000 --seed 3 --out claims/bg
  wijkimpact claim scenarios/fonds/peutergym-realistisch.toml \\
      --lang en --out claims/peutergym-en";

/// Language of the report as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Nederlands.
    Nl,
    /// English.
    En,
}

const MERGE_AFTER_HELP: &str = "\
The merged files are identical to those of a single run with the same scenario, seed,
draws and mode (apart from timing fields in manifest.json). Shards must come from the
same scenario files (same SHA-256), seed, draws, mode and quantiles, and cover 0..N-1
exactly once. Run it from the directory the shards were run in (scenario paths in the
shard manifests are relative to it). The merge reloads the scenario and computes
sensitivity.csv (unless --no-sensitivity) and assumptions.json itself.

Example (4 shards):
  for i in 0 1 2 3; do wijkimpact run scenarios/nijmegen.toml --draws 10000 \\
      --seed 7 --shard $i/4 --out shards/$i; done
  wijkimpact merge shards/0 shards/1 shards/2 shards/3 --out runs/nijmegen";

const SOBOL_AFTER_HELP: &str = "\
The factors are the scenario's [[parameter_group]]s (a parameter may be in one group
only), plus every other uncertain parameter together (\"overige parameters\"). The
Saltelli design has N x (factors + 2) model runs, in cohort mode; sobol.json and
sobol.csv give each factor's first-order and total index of every scenario's NPV per
area, with 95 % bootstrap intervals.

Examples:
  wijkimpact run scenarios/nijmegen.toml --draws 1000 --seed 7 \\
      --out runs/nijmegen
  wijkimpact sobol scenarios/nijmegen.toml --base-samples 2000 --seed 7 \\
      --out runs/sobol
  wijkimpact report runs/nijmegen --sobol runs/sobol

Example (4 shards, e.g. a Slurm array; merge when all are done):
  for i in 0 1 2 3; do wijkimpact sobol scenarios/nijmegen.toml \\
      --base-samples 2000 --seed 7 --shard $i/4 --out sobol-shards/$i; done
  wijkimpact sobol scenarios/nijmegen.toml --base-samples 2000 --seed 7 \\
      --merge sobol-shards/0 sobol-shards/1 sobol-shards/2 sobol-shards/3 \\
      --out runs/sobol-merged";

/// The flags of every command that simulates: draws, seed and threads. The
/// help texts and defaults are those of `run`; `claim` and `monitor` set
/// their own with `mut_arg`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SimArgs {
    /// Number of Monte Carlo draws (1 to 10,000,000).
    #[arg(long, default_value_t = 1000, value_parser = limits::parse_draws)]
    pub draws: u64,
    /// Seed of the run; same seed, input and draws give the same numbers on any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (0 = all cores; at most 4 per core).
    #[arg(long, default_value_t = 0, value_parser = limits::parse_threads)]
    pub threads: usize,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Simulation mode [default: the file's model.mode].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Output directory (created if missing; must be empty unless --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the results in a non-empty output directory (at the end of the run).
    #[arg(long)]
    pub force: bool,
    /// Quantiles to report, comma-separated, each strictly between 0 and 1 (the median is always added).
    #[arg(long, value_name = "Q,Q,…", default_value = DEFAULT_QUANTILES, value_parser = parse_quantiles)]
    pub quantiles: Quantiles,
    /// Run only shard I of N (draws d with d mod N = I) and write a shard directory for `merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Skip the one-way sensitivity analysis (two cohort simulations per uncertain parameter
    /// after the draws): no sensitivity.csv, so the report has no tornado diagram.
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Also write the Dutch HTML report (DIR/report.html) when the run is done.
    #[arg(long, conflicts_with = "shard")]
    pub report: bool,
    /// Start even when the run is estimated to need more than 10 GB of files, the free disk
    /// space or the available memory.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    #[arg(long, value_enum, default_value_t = FormatArg::Parquet, help = FORMAT_HELP)]
    pub format: FormatArg,
}

/// How scenario files are read, for every command that reads them.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LoadArgs {
    /// Let includes (and an application's city) point outside the folder of the file that
    /// names them and the bundled scenarios/ library (WIJKIMPACT_LIBRARY names another);
    /// only for files you trust.
    #[arg(long)]
    pub allow_any_include: bool,
}

impl LoadArgs {
    /// The loader's options.
    pub fn options(self) -> wijkimpact::scenario::LoadOptions {
        wijkimpact::scenario::LoadOptions { allow_any_include: self.allow_any_include }
    }
}

const FORMAT_HELP: &str = "Format of the per-draw and yearly tables: draws, parameters and yearly \
    as .parquet (typed, compressed; docs/outputs.md) or .csv";

/// Format of the per-draw and yearly tables as written on the command line
/// (the variants have no doc comments, so `--help` lists them on one line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    // Tidy CSV.
    Csv,
    // Parquet.
    Parquet,
}

/// The default of `--quantiles`: `summary::DEFAULT_QUANTILES` (tested).
const DEFAULT_QUANTILES: &str = "0.05,0.25,0.5,0.75,0.95";

/// Parse `I/N` with 0 <= I < N.
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s.split_once('/').ok_or_else(|| format!("{s:?}: write the shard as I/N, e.g. 0/4"))?;
    let i: u64 = i.trim().parse().map_err(|_| format!("{i:?} is not a shard number"))?;
    let n: u64 = n.trim().parse().map_err(|_| format!("{n:?} is not a shard count"))?;
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: need 0 <= I < N"));
    }
    Ok((i, n))
}

/// Simulation mode as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Expected values (fractional people).
    Cohort,
    /// Whole people with person-level chance.
    Stochastic,
}

/// A checked, sorted list of quantile levels (median included).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantiles(pub Vec<f64>);

/// Parse `0.05,0.5,0.95`.
pub fn parse_quantiles(s: &str) -> Result<Quantiles, String> {
    let mut qs = vec![];
    for part in s.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let q: f64 = part.parse().map_err(|_| format!("{part:?} is not a number"))?;
        qs.push(q);
    }
    if qs.is_empty() {
        return Err("give at least one quantile, e.g. 0.05,0.5,0.95".into());
    }
    wijkimpact::stats::normalise_quantiles(&qs).map(Quantiles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn shards_are_checked() {
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert!(parse_shard("4/4").is_err());
        assert!(parse_shard("1/0").is_err());
        assert!(parse_shard("x/2").is_err());
        assert!(parse_shard("3").is_err());
    }

    #[test]
    fn quantiles_are_checked() {
        assert_eq!(parse_quantiles("0.95, 0.05").unwrap().0, vec![0.05, 0.5, 0.95]);
        assert!(parse_quantiles("0").is_err());
        assert!(parse_quantiles("1.5").is_err());
        assert!(parse_quantiles("x").is_err());
        assert!(parse_quantiles("").is_err());
    }

    #[test]
    fn default_quantiles_are_the_library_default() {
        assert_eq!(parse_quantiles(DEFAULT_QUANTILES).unwrap().0, wijkimpact::summary::DEFAULT_QUANTILES.to_vec());
        let Command::Run(a) = Cli::try_parse_from(["wijkimpact", "run", "f.toml", "--out", "o"]).unwrap().command
        else {
            panic!("not a run")
        };
        assert_eq!(a.quantiles.0, vec![0.05, 0.25, 0.5, 0.75, 0.95]);
    }

    /// `claim` and `monitor` keep their own defaults over the shared flags.
    #[test]
    fn each_command_has_its_default_draws() {
        let sim = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Run(a) => a.sim,
            Command::Claim { sim, .. } | Command::Monitor { sim, .. } => sim,
            _ => panic!("no simulation flags"),
        };
        assert_eq!(sim(&["wijkimpact", "run", "f.toml", "--out", "o"]).draws, 1000);
        assert_eq!(sim(&["wijkimpact", "claim", "a.toml"]).draws, 2000);
        let monitor = sim(&["wijkimpact", "monitor", "f.toml", "--observed", "o.csv", "--out", "o", "--seed", "5"]);
        assert_eq!((monitor.draws, monitor.seed, monitor.threads), (4000, 5, 0));
        assert!(Cli::try_parse_from(["wijkimpact", "claim", "a.toml", "--draws", "0"]).is_err());
    }

    /// `--format` defaults to the library's default format and takes `csv`.
    #[test]
    fn format_defaults_to_the_library_default() {
        let run = |extra: &[&str]| {
            let mut args = vec!["wijkimpact", "run", "f.toml", "--out", "o"];
            args.extend_from_slice(extra);
            match Cli::try_parse_from(args).unwrap().command {
                Command::Run(a) => super::super::format_of(a.format),
                _ => panic!("not a run"),
            }
        };
        assert_eq!(run(&[]), wijkimpact::output::OutputFormat::default());
        assert_eq!(run(&["--format", "csv"]), wijkimpact::output::OutputFormat::Csv);
        assert!(Cli::try_parse_from(["wijkimpact", "run", "f.toml", "--out", "o", "--format", "xlsx"]).is_err());
    }

    #[test]
    fn draws_must_be_positive() {
        assert!(Cli::try_parse_from(["wijkimpact", "run", "f.toml", "--out", "o", "--draws", "0"]).is_err());
        assert!(Cli::try_parse_from(["wijkimpact", "run", "f.toml", "--out", "o"]).is_ok());
    }
}
