//! The files of a run directory as types, shared by the code that writes them
//! ([`crate::output`], `wijkimpact monitor`) and the code that reads them back
//! (`merge`, [`crate::report`], the monitor's report section): a field renamed
//! on one side fails to compile on the other instead of breaking a report at
//! run time.
//!
//! - `summary.json`: [`SummaryFile`] (see [`crate::output::json`]);
//! - `manifest.json`: [`ManifestFile`] (see [`crate::output::manifest`]);
//! - `assumptions.json`: [`AssumptionsFile`] (see [`assumptions`]);
//! - `monitor.json`: [`crate::monitor::MonitorReport`];
//! - a shard's `draws.shard.parquet`: columns and header in [`crate::output::shard`];
//! - the CSV files: their headers, and the rows readers deserialise
//!   ([`SensitivityRow`], [`ObservedRow`]). The writers format numbers
//!   themselves (`crate::output::push_num`), so CSV rows are not serialised
//!   through these types; the headers are the contract.
//!
//! Number text in the JSON files is serde_json's (shortest round-trip, `null`
//! for a missing or non-finite number); objects keep the order written, which
//! is why maps are [`IndexMap`]s.

pub mod assumptions;
pub mod decision;

pub use assumptions::{AccountFile, AssumptionsFile, ParameterFile, ScenarioAssumptions};

use crate::sim::Warnings;
use crate::stats::Histogram;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Per-draw business-case metrics (`draw,scenario,area,metric,value`), `--format csv`.
pub const DRAWS_CSV: &str = "draws.csv";
/// Per-draw parameter values (`draw,parameter,value`), `--format csv`.
pub const PARAMETERS_CSV: &str = "parameters.csv";
/// Summaries of every yearly measure ([`yearly_header`]), `--format csv`.
pub const YEARLY_CSV: &str = "yearly.csv";
/// [`DRAWS_CSV`] as Parquet (`--format parquet`).
pub const DRAWS_PARQUET: &str = "draws.parquet";
/// [`PARAMETERS_CSV`] as Parquet.
pub const PARAMETERS_PARQUET: &str = "parameters.parquet";
/// [`YEARLY_CSV`] as Parquet.
pub const YEARLY_PARQUET: &str = "yearly.parquet";
/// The machine-readable summary ([`SummaryFile`]).
pub const SUMMARY_JSON: &str = "summary.json";
/// The business-case metrics of `summary.json` as one flat table ([`summary_header`]).
pub const SUMMARY_CSV: &str = "summary.csv";
/// The scenarios compared with each other ([`COMPARISONS_HEADER`]).
pub const COMPARISONS_CSV: &str = "comparisons.csv";
/// Header of `comparisons.csv` (see [`crate::output::comparisons`]).
pub const COMPARISONS_HEADER: [&str; 7] =
    ["comparison", "scenario_a", "scenario_b", "area", "metric", "statistic", "value"];
/// What reproduces the run ([`ManifestFile`]); written last.
pub const MANIFEST_JSON: &str = "manifest.json";
/// The one-way sensitivity analysis ([`SENSITIVITY_HEADER`]).
pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
/// The model's assumptions for the report ([`AssumptionsFile`]).
pub const ASSUMPTIONS_JSON: &str = "assumptions.json";
/// The monitor's findings ([`crate::monitor::MonitorReport`]).
pub const MONITOR_JSON: &str = "monitor.json";
/// The monitor's copy of the observed figures ([`OBSERVED_HEADER`]).
pub const OBSERVED_CSV: &str = "observed.csv";
/// Every draw's full result in a shard directory, as Parquet (see [`crate::output::shard`]).
pub const SHARD_PARQUET: &str = "draws.shard.parquet";

/// Format version of `summary.json` and `manifest.json`; bumped on breaking changes.
pub const FORMAT_VERSION: u32 = 1;

/// Header of `draws.csv`.
pub const DRAWS_HEADER: [&str; 5] = ["draw", "scenario", "area", "metric", "value"];
/// Header of `parameters.csv`.
pub const PARAMETERS_HEADER: [&str; 3] = ["draw", "parameter", "value"];
/// The columns of `yearly.csv` / `yearly.parquet` before the measure's label
/// parts ([`crate::ledger::MeasureLabel::COLUMNS`]).
pub const YEARLY_KEY_COLUMNS: [&str; 4] = ["scenario", "contrast", "area", "year"];
/// The statistics of every summary table that come before the quantiles.
pub const STAT_COLUMNS: [&str; 3] = ["mean", "sd", "mcse"];

/// Header of `yearly.csv` (and the columns of `yearly.parquet`) for a run with
/// quantile labels `quantiles` (`p5`, `p50`, …): [`YEARLY_KEY_COLUMNS`], the
/// label parts, [`STAT_COLUMNS`], then one column per quantile.
pub fn yearly_header(quantiles: &[String]) -> Vec<String> {
    let labels = crate::ledger::MeasureLabel::COLUMNS;
    let fixed = YEARLY_KEY_COLUMNS.iter().chain(&labels).chain(&STAT_COLUMNS);
    fixed.map(|c| c.to_string()).chain(quantiles.iter().cloned()).collect()
}

/// Per-arm totals, one row per arm × area slot × per-arm metric ([`arms_header`]).
pub const ARMS_CSV: &str = "arms.csv";

/// The incremental analysis of all arms per area and effect measure ([`crate::output::decision`]).
pub const INCREMENTAL_CSV: &str = "incremental.csv";

/// Acceptability curves, expected loss and EVPI per area, willingness to pay and arm.
pub const ACCEPTABILITY_CSV: &str = "acceptability.csv";

/// EVPPI per area and parameter group (and per parameter at the city total).
pub const EVPPI_CSV: &str = "evppi.csv";

/// The columns of `arms.csv` before the statistics.
pub const ARMS_KEY_COLUMNS: [&str; 3] = ["arm", "area", "metric"];

/// Header of `arms.csv` for a run with quantile labels `quantiles`:
/// [`ARMS_KEY_COLUMNS`], `n`, `missing`, [`STAT_COLUMNS`], then the quantiles.
pub fn arms_header(quantiles: &[String]) -> Vec<String> {
    let fixed = ARMS_KEY_COLUMNS.iter().chain(&["n", "missing"]).chain(&STAT_COLUMNS);
    fixed.map(|c| c.to_string()).chain(quantiles.iter().cloned()).collect()
}

/// The columns of `summary.csv` before the statistics.
pub const SUMMARY_KEY_COLUMNS: [&str; 3] = ["scenario", "area", "metric"];

/// Header of `summary.csv` for a run with quantile labels `quantiles`:
/// [`SUMMARY_KEY_COLUMNS`], `n`, `missing`, [`STAT_COLUMNS`], the quantiles,
/// then `p_positive`.
pub fn summary_header(quantiles: &[String]) -> Vec<String> {
    let fixed = SUMMARY_KEY_COLUMNS.iter().chain(&["n", "missing"]).chain(&STAT_COLUMNS);
    fixed.map(|c| c.to_string()).chain(quantiles.iter().cloned()).chain(["p_positive".to_string()]).collect()
}

/// How the per-draw and yearly tables are written (`--format`); the
/// summaries (`summary.json`, `summary.csv`), `sensitivity.csv` and the JSON
/// files are the same in both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Tidy CSV: `draws.csv`, `parameters.csv`, `yearly.csv`.
    Csv,
    /// Parquet with typed columns, dictionary-encoded names and zstd
    /// compression: `draws.parquet`, `parameters.parquet`, `yearly.parquet`
    /// (see [`crate::output::parquet`]). The default: a fraction of the
    /// CSV's size and faster to load (measured in the README).
    #[default]
    Parquet,
}

impl OutputFormat {
    /// The name on the command line and in `manifest.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Parquet => "parquet",
        }
    }

    /// The per-draw metrics file.
    pub fn draws_file(self) -> &'static str {
        match self {
            OutputFormat::Csv => DRAWS_CSV,
            OutputFormat::Parquet => DRAWS_PARQUET,
        }
    }

    /// The per-draw parameters file.
    pub fn parameters_file(self) -> &'static str {
        match self {
            OutputFormat::Csv => PARAMETERS_CSV,
            OutputFormat::Parquet => PARAMETERS_PARQUET,
        }
    }

    /// The yearly summaries file.
    pub fn yearly_file(self) -> &'static str {
        match self {
            OutputFormat::Csv => YEARLY_CSV,
            OutputFormat::Parquet => YEARLY_PARQUET,
        }
    }

    /// The format of a manifest without a `format` field: runs before
    /// Parquet existed wrote CSV.
    fn before_parquet() -> Self {
        OutputFormat::Csv
    }
}
/// Header of `sensitivity.csv`: the fields of [`SensitivityRow`], in order.
pub const SENSITIVITY_HEADER: [&str; 12] = [
    "scenario",
    "area",
    "parameter",
    "value_mean",
    "value_low",
    "value_high",
    "npv_base",
    "npv_low",
    "npv_high",
    "npv_societal_base",
    "npv_societal_low",
    "npv_societal_high",
];
/// Header of the observed figures (the monitor's input and `observed.csv`):
/// the fields of [`ObservedRow`], in order.
pub const OBSERVED_HEADER: [&str; 6] = ["year", "area", "measure", "value", "n", "se"];

// ---------------------------------------------------------------------------
// summary.json and manifest.json
// ---------------------------------------------------------------------------

/// The engine that wrote a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EngineFile {
    /// Crate name (JSON `name`), `wijkimpact`.
    pub name: String,
    /// Crate version (JSON `version`), e.g. `0.1.0`; results may differ between versions.
    pub version: String,
}

impl EngineFile {
    /// This engine.
    pub fn current() -> Self {
        EngineFile { name: env!("CARGO_PKG_NAME").into(), version: env!("CARGO_PKG_VERSION").into() }
    }
}

/// How often probabilities had to be repaired in the draws (see [`Warnings`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WarningsFile {
    /// Transition-matrix rows whose probabilities summed above 1 and were rescaled (JSON `rescaled_rows`, a count over all draws).
    pub rescaled_rows: u64,
    /// Rows whose remaining ("stay") probability came out negative and was set to 0 (JSON `negative_rest`, a count over all draws).
    pub negative_rest: u64,
}

impl From<&Warnings> for WarningsFile {
    fn from(w: &Warnings) -> Self {
        WarningsFile { rescaled_rows: w.rescaled_rows, negative_rest: w.negative_rest }
    }
}

/// `summary.json` (see [`crate::output::json`] for the layout).
#[derive(Debug, Serialize, Deserialize)]
pub struct SummaryFile {
    /// Format version of the file (JSON `format_version`, [`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The engine that wrote the file (JSON `engine`).
    pub engine: EngineFile,
    /// The run settings (JSON `run`).
    pub run: RunFile,
    /// Absent in files of older versions.
    #[serde(default)]
    pub warnings: WarningsFile,
    /// What the nulalternatief holds (JSON `nulalternatief`); absent in files of older versions.
    #[serde(default)]
    pub nulalternatief: NulalternatiefFile,
    /// Results per scenario, by scenario name, in model order (JSON `scenarios`).
    pub scenarios: IndexMap<String, ScenarioFile>,
    /// Scenarios ranked at the city total, by ranked metric name (`npv` and
    /// metric 6, the NPV with social value), in that order (JSON `ranking`);
    /// empty with one scenario.
    #[serde(default)]
    pub ranking: IndexMap<String, RankingFile>,
    /// Every pair of scenarios, A before B in file order: A − B per draw at the
    /// city total, summarised (JSON `differences`); empty with one scenario.
    #[serde(default)]
    pub differences: Vec<DifferenceFile>,
    /// Per-arm totals over the horizon by arm name, `nulalternatief` first,
    /// then the scenarios in model order (JSON `arms`; see
    /// [`crate::arms`]); absent in files of older versions.
    #[serde(default)]
    pub arms: IndexMap<String, ArmFile>,
    /// The decision analysis (JSON `decision`; see [`crate::output::decision`]);
    /// absent in files of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<decision::DecisionFile>,
}

/// One arm's own totals over the horizon (not compared with another arm).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ArmFile {
    /// Per area (wijk) and `totaal`, in model order: summaries by per-arm
    /// metric name (`costs_pv`, `outcome/qaly`, `costs/gemeente/6.71`, …; JSON `areas`).
    pub areas: IndexMap<String, IndexMap<String, StatFile>>,
}

/// The nulalternatief: what happens anyway, in every arm.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct NulalternatiefFile {
    /// `[nulalternatief] description` (JSON `description`; empty when absent).
    #[serde(default)]
    pub description: String,
    /// Names of the interventions that run in the nulalternatief and in every
    /// scenario (JSON `interventions`; empty when the file has none).
    #[serde(default)]
    pub interventions: Vec<String>,
}

/// The scenarios ranked on one metric.
#[derive(Debug, Serialize, Deserialize)]
pub struct RankingFile {
    /// The area slot ranked on (JSON `area`), always `totaal`.
    pub area: String,
    /// Draws in which every scenario had a value (JSON `n`).
    pub n: u64,
    /// One entry per scenario, highest mean first (JSON `scenarios`).
    pub scenarios: Vec<RankFile>,
}

/// One scenario's place in a ranking.
#[derive(Debug, Serialize, Deserialize)]
pub struct RankFile {
    /// Scenario name (JSON `scenario`).
    pub scenario: String,
    /// Mean of the metric in euro (JSON `mean`), as in the scenario's summary.
    pub mean: Option<f64>,
    /// Share of the draws in which it has the highest value, ties split equally (JSON `p_best`).
    pub p_best: Option<f64>,
    /// Mean rank over the draws, 1 = best (JSON `mean_rank`).
    pub mean_rank: Option<f64>,
}

/// A − B for one pair of scenarios.
#[derive(Debug, Serialize, Deserialize)]
pub struct DifferenceFile {
    /// Scenario A, the earlier in file order (JSON `a`).
    pub a: String,
    /// Scenario B (JSON `b`).
    pub b: String,
    /// The area slot (JSON `area`), always `totaal`.
    pub area: String,
    /// Statistics of A − B by metric name, in euro (JSON `metrics`); `p_positive` is `P(A − B > 0)`.
    pub metrics: IndexMap<String, StatFile>,
}

/// The run settings that determine the numbers (no thread count, no timing).
#[derive(Debug, Serialize, Deserialize)]
pub struct RunFile {
    /// Master seed of the random streams (JSON `seed`).
    pub seed: u64,
    /// Number of Monte Carlo draws requested (JSON `draws`).
    pub draws: u64,
    /// Simulation mode, `cohort` or `stochastic` (JSON `mode`).
    pub mode: String,
    /// First simulated calendar year (JSON `start_year`).
    pub start_year: i32,
    /// Number of simulated years (JSON `horizon`).
    pub horizon: usize,
    /// Quantile probabilities summarised, as fractions in (0, 1) (JSON `quantiles`).
    pub quantiles: Vec<f64>,
}

/// One scenario's results, per area and `totaal`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScenarioFile {
    /// The scenario's description from the input file (JSON `description`; empty when absent).
    #[serde(default)]
    pub description: String,
    /// PM-posten: effects named but not valued in money, the scenario's own
    /// then its interventions', each once (JSON `pm`).
    #[serde(default)]
    pub pm: Vec<String>,
    /// Results per area (wijk) and for `totaal`, in model order (JSON `areas`).
    pub areas: IndexMap<String, AreaFile>,
}

/// One area's metrics and cost-effectiveness ratios.
#[derive(Debug, Serialize, Deserialize)]
pub struct AreaFile {
    /// Summaries by metric name (`npv`, `pv_net/<account>`, …), amounts in euro (JSON `metrics`).
    pub metrics: IndexMap<String, StatFile>,
    /// Incremental cost-effectiveness ratios by name, euro per unit of effect; `null` when undefined (JSON `icers`).
    #[serde(default)]
    pub icers: IndexMap<String, Option<f64>>,
}

/// One summarised metric. Missing numbers are `None` (JSON `null`).
#[derive(Debug, Serialize, Deserialize)]
pub struct StatFile {
    /// Draws with a value (JSON `n`).
    pub n: u64,
    /// Draws without a value (JSON `missing`), e.g. a break-even year never reached.
    #[serde(default)]
    pub missing: u64,
    /// Mean over the draws (JSON `mean`), in the metric's unit.
    pub mean: Option<f64>,
    /// Standard deviation over the draws (JSON `sd`), in the metric's unit.
    pub sd: Option<f64>,
    /// Monte Carlo standard error of the mean (JSON `mcse`), in the metric's unit.
    pub mcse: Option<f64>,
    /// By label (`p5`, `p50`, …), in the run's quantile order.
    #[serde(default)]
    pub quantiles: IndexMap<String, Option<f64>>,
    /// `P(x > 0)`, for NPV-like metrics only: absent for the others, `null`
    /// when no draw had a value (written from `Some(NaN)`, which serde_json
    /// writes as `null`; read back as `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_positive: Option<f64>,
    /// For the histogram metrics only: absent for the others; `null` when no
    /// draw had a finite value, written from an empty histogram (no bins)
    /// and read back as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "empty_histogram_as_null")]
    pub histogram: Option<Histogram>,
}

impl StatFile {
    /// The quantile with label `label` (`"p5"`), NaN when absent.
    pub fn q(&self, label: &str) -> f64 {
        self.quantiles.get(label).copied().flatten().unwrap_or(f64::NAN)
    }

    /// The mean, NaN when missing.
    pub fn mean(&self) -> f64 {
        self.mean.unwrap_or(f64::NAN)
    }
}

fn empty_histogram_as_null<S: serde::Serializer>(h: &Option<Histogram>, s: S) -> Result<S::Ok, S::Error> {
    match h {
        Some(h) if !h.counts.is_empty() => h.serialize(s),
        _ => s.serialize_none(),
    }
}

/// One input file and the SHA-256 of its contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputFile {
    /// Path of the file as given on the command line (JSON `path`).
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex (JSON `sha256`).
    pub sha256: String,
}

/// Which part of a split run a directory holds (`0` of `1` for a whole run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFile {
    /// Zero-based index of this shard (JSON `index`).
    pub index: u64,
    /// Number of shards the run was split into (JSON `count`).
    pub count: u64,
}

/// `manifest.json` (see [`crate::output::manifest`] for the layout).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Format version of the file (JSON `format_version`, [`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The engine that wrote the file (JSON `engine`).
    pub engine: EngineFile,
    /// Name of the pseudo-random generator (JSON `prng`); results depend on it.
    pub prng: String,
    /// SHA-256 over the input files' digests, one per line in load order (JSON `scenario_hash`): identifies the inputs by content.
    pub scenario_hash: String,
    /// The input files read, in load order (JSON `inputs`).
    pub inputs: Vec<InputFile>,
    /// Master seed (JSON `seed`).
    pub seed: u64,
    /// Number of draws requested (JSON `draws`).
    pub draws: u64,
    /// Number of draws actually finished (JSON `draws_completed`); lower than `draws` for an interrupted run.
    pub draws_completed: u64,
    /// Simulation mode, `cohort` or `stochastic` (JSON `mode`).
    pub mode: String,
    /// Worker threads used (JSON `threads`); does not affect the numbers.
    pub threads: usize,
    /// Which part of a split run this directory holds (JSON `shard`).
    pub shard: ShardFile,
    /// Quantile probabilities summarised (JSON `quantiles`).
    pub quantiles: Vec<f64>,
    /// The command line of the run, program name first (JSON `command_line`).
    pub command_line: Vec<String>,
    /// Start time, RFC 3339 in UTC (JSON `started_at`).
    pub started_at: String,
    /// Elapsed wall-clock time in seconds (JSON `wall_time_seconds`).
    pub wall_time_seconds: Option<f64>,
    /// Completed draws per wall-clock second (JSON `draws_per_second`).
    pub draws_per_second: Option<f64>,
    /// Simulation work done, summed over draws (JSON `work_units`): in cohort mode multiply-adds of the chain steps, in stochastic mode person-chain-steps; a size measure independent of the machine.
    pub work_units: u64,
    /// Work units per wall-clock second (JSON `work_units_per_second`).
    pub work_units_per_second: Option<f64>,
    /// `None` where the platform does not say.
    pub peak_memory_bytes: Option<u64>,
    /// Probability repairs over all draws (JSON `warnings`).
    pub warnings: WarningsFile,
    /// How the per-draw and yearly tables were written (JSON `format`,
    /// `csv` or `parquet`; `csv` in manifests from before the field existed).
    #[serde(default = "OutputFormat::before_parquet")]
    pub format: OutputFormat,
    /// The files of the run directory, as written (the manifest last).
    pub files: Vec<String>,
}

// ---------------------------------------------------------------------------
// CSV rows
// ---------------------------------------------------------------------------

/// One row of `sensitivity.csv` (one-way sensitivity, parameters at P5/P95).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SensitivityRow {
    /// Scenario name (CSV `scenario`).
    pub scenario: String,
    /// Area (wijk) name or `totaal` (CSV `area`).
    pub area: String,
    /// Parameter varied (CSV `parameter`).
    pub parameter: String,
    /// The parameter's mean (CSV `value_mean`), in the parameter's unit.
    pub value_mean: Option<f64>,
    /// The parameter at the low percentile, P5 by default (CSV `value_low`).
    pub value_low: Option<f64>,
    /// The parameter at the high percentile, P95 by default (CSV `value_high`).
    pub value_high: Option<f64>,
    /// Mean NPV (netto contante waarde) in euro with every parameter sampled (CSV `npv_base`).
    pub npv_base: Option<f64>,
    /// Mean NPV in euro with the parameter at its low value (CSV `npv_low`).
    pub npv_low: Option<f64>,
    /// Mean NPV in euro with the parameter at its high value (CSV `npv_high`).
    pub npv_high: Option<f64>,
    /// Mean maatschappelijk NPV (`npv_societal`: cash plus welfare valued in money), in euro, base case
    /// (CSV `npv_societal_base`, `npv_incl_social_base` before the rename; empty in older files).
    #[serde(default, alias = "npv_incl_social_base")]
    pub npv_societal_base: Option<f64>,
    /// As `npv_societal_base`, parameter at its low value (CSV `npv_societal_low`).
    #[serde(default, alias = "npv_incl_social_low")]
    pub npv_societal_low: Option<f64>,
    /// As `npv_societal_base`, parameter at its high value (CSV `npv_societal_high`).
    #[serde(default, alias = "npv_incl_social_high")]
    pub npv_societal_high: Option<f64>,
}

/// One row of the observed figures (`year,area,measure,value,n,se`), with the
/// line it is on: the same line as [`crate::monitor::ObservationCheck::line`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ObservedRow {
    /// Line number in the input file (1-based, header is line 1); not a CSV column.
    #[serde(skip)]
    pub line: u64,
    /// Calendar year observed (CSV `year`).
    pub year: i32,
    /// Area (wijk) name (CSV `area`).
    pub area: String,
    /// Yearly measure observed (CSV `measure`): the yearly table's label
    /// columns joined with `/`, e.g. `prevalence/eenzaamheid/ernstig`.
    pub measure: String,
    /// Observed value, in the measure's unit (CSV `value`).
    pub value: f64,
    /// Survey sample size (a prevalence: binomial sampling error).
    pub n: Option<f64>,
    /// Standard error (normal sampling error).
    pub se: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A histogram key with no bins is written as `null`, and `null` and an
    /// absent key both read back as no histogram.
    #[test]
    fn stat_histogram_and_p_positive_round_trip() {
        let stat = |p_positive, histogram| StatFile {
            n: 0,
            missing: 2,
            mean: None,
            sd: None,
            mcse: None,
            quantiles: IndexMap::new(),
            p_positive,
            histogram,
        };
        let empty = Histogram { edges: vec![], counts: vec![] };
        let text = serde_json::to_string(&stat(Some(f64::NAN), Some(empty))).unwrap();
        assert_eq!(
            text,
            r#"{"n":0,"missing":2,"mean":null,"sd":null,"mcse":null,"quantiles":{},"p_positive":null,"histogram":null}"#
        );
        let back: StatFile = serde_json::from_str(&text).unwrap();
        assert_eq!((back.p_positive, back.histogram), (None, None));
        let text = serde_json::to_string(&stat(None, None)).unwrap();
        assert!(!text.contains("p_positive") && !text.contains("histogram"));
        let h = Histogram { edges: vec![1.0, 2.0], counts: vec![3] };
        let text = serde_json::to_string(&stat(Some(0.5), Some(h.clone()))).unwrap();
        assert!(text.ends_with(r#""p_positive":0.5,"histogram":{"edges":[1.0,2.0],"counts":[3]}}"#), "{text}");
        assert_eq!(serde_json::from_str::<StatFile>(&text).unwrap().histogram, Some(h));
    }

    /// A manifest from before `format` existed reads as a CSV run; the field
    /// is written in lowercase.
    #[test]
    fn manifest_format_defaults_to_csv_for_older_files() {
        let mut v = serde_json::to_value(ManifestFile::default()).unwrap();
        assert_eq!(v["format"], "parquet");
        v.as_object_mut().unwrap().remove("format");
        let old: ManifestFile = serde_json::from_value(v).unwrap();
        assert_eq!(old.format, OutputFormat::Csv);
        assert_eq!(yearly_header(&["p50".into()])[..5], ["scenario", "contrast", "area", "year", "measure"]);
        assert_eq!(summary_header(&["p50".into()]).last().map(String::as_str), Some("p_positive"));
    }

    #[test]
    fn csv_headers_are_the_row_fields() {
        let text = format!("{}\nwor,Noord,x,1,0.5,2,10,5,20,,,\n", SENSITIVITY_HEADER.join(","));
        let mut rdr = ::csv::Reader::from_reader(text.as_bytes());
        let row: SensitivityRow = rdr.deserialize().next().unwrap().unwrap();
        assert_eq!((row.npv_high, row.npv_societal_high), (Some(20.0), None));
        let text = format!("{}\n2026,Noord,m,0.5,100,\n", OBSERVED_HEADER.join(","));
        let mut rdr = ::csv::Reader::from_reader(text.as_bytes());
        let row: ObservedRow = rdr.deserialize().next().unwrap().unwrap();
        assert_eq!((row.year, row.n, row.se), (2026, Some(100.0), None));
    }
}
