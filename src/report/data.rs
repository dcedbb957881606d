//! Reading a run directory back: `summary.json`, `manifest.json`, the yearly
//! table (`yearly.parquet` or `yearly.csv`, as the manifest's `format` says) and, when
//! the run wrote them, `sensitivity.csv`, `assumptions.json` and the
//! monitor's `monitor.json` with its copy of the observed figures
//! (`observed.csv`).
//!
//! Only what the report draws is kept: the yearly table of a city-wide run is
//! large (every measure, area and year), so rows are filtered on the measure
//! before any number is parsed.

use super::ReportError;
use crate::monitor::MonitorReport;
use crate::output::schema::{ManifestFile, FORMAT_VERSION, MANIFEST_JSON, SUMMARY_JSON};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The decision analysis files besides `summary.json`.
pub use super::decision::{AcceptabilityRow, SobolArea, SobolFactor, SobolFile, SobolIndex};
/// The files read, as their writers write them (see [`crate::output::schema`]).
pub use crate::output::schema::{
    AccountFile, AreaFile, AssumptionsFile, EngineFile, ObservedRow, ParameterFile, RunFile, ScenarioAssumptions,
    ScenarioFile, SensitivityRow, StatFile, SummaryFile, ASSUMPTIONS_JSON, MONITOR_JSON, OBSERVED_CSV, SENSITIVITY_CSV,
};
/// Equal-width bins over the kept draws of a metric.
pub use crate::stats::Histogram;

/// Level of an arm, or its difference with the nulalternatief in the same draw.
pub use crate::summary::Contrast;

/// Key of one yearly series.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeriesKey {
    /// Scenario name (CSV `scenario` of `yearly.csv`).
    pub scenario: String,
    /// Arm or difference the series describes (CSV `contrast`).
    pub contrast: Contrast,
    /// Area (wijk) name or `totaal` (CSV `area`).
    pub area: String,
    /// Yearly measure's full name, its label parts joined with `/`
    /// (`prevalence/eenzaamheid/ernstig`; see [`crate::ledger::MeasureLabel::name`]).
    pub measure: String,
}

/// A yearly series: for each statistic (`mean`, `p5`, `p50`, …) one value per
/// year from the start year (NaN where absent).
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Values per year, by statistic column (`mean`, `sd`, `mcse`, `p5`, …).
    pub stats: HashMap<String, Vec<f64>>,
}

impl Series {
    /// The values of one statistic, if the run has it.
    pub fn stat(&self, label: &str) -> Option<&[f64]> {
        self.stats.get(label).map(Vec::as_slice)
    }
}

/// Everything the report reads from a run directory.
#[derive(Debug)]
pub struct RunData {
    /// The run directory read.
    pub dir: PathBuf,
    /// `summary.json`: the business-case summaries.
    pub summary: SummaryFile,
    /// `manifest.json`: how the run was made (command line, inputs, seed, timing).
    pub manifest: ManifestFile,
    /// The yearly table, one series per scenario, contrast, area and measure.
    pub yearly: HashMap<SeriesKey, Series>,
    /// `None` when the run did not write `sensitivity.csv` (`--no-sensitivity`).
    pub sensitivity: Option<Vec<SensitivityRow>>,
    /// `None` for runs made before `assumptions.json` existed.
    pub assumptions: Option<AssumptionsFile>,
    /// `monitor.json`, when the run was made by `wijkimpact monitor`.
    pub monitor: Option<MonitorReport>,
    /// The monitor's copy of the observed figures (`observed.csv`), for their
    /// sampling error; `None` when the run directory has no such file.
    pub observed: Option<Vec<ObservedRow>>,
    /// `acceptability.csv` (acceptability and EVPI curves); `None` when the run has none.
    pub acceptability: Option<Vec<AcceptabilityRow>>,
    /// `sobol.json` of `wijkimpact sobol`, given with `report --sobol DIR`
    /// (see [`super::render_with`]); `None` otherwise.
    pub sobol: Option<SobolFile>,
}

impl RunData {
    /// Read the run directory `dir`.
    pub fn load(dir: &Path) -> Result<RunData, ReportError> {
        if !dir.is_dir() {
            return Err(ReportError::NotARunDir(dir.to_path_buf()));
        }
        let summary: SummaryFile = read_json(&dir.join(SUMMARY_JSON))?;
        if summary.format_version != FORMAT_VERSION {
            return Err(ReportError::Format {
                path: dir.join(SUMMARY_JSON),
                reason: format!(
                    "format_version {} is not the {FORMAT_VERSION} this wijkimpact reads; re-run the scenario",
                    summary.format_version,
                ),
            });
        }
        let manifest: ManifestFile = read_json(&dir.join(MANIFEST_JSON))?;
        // The monitor first: the yearly reader must keep every observed measure.
        let mon_path = dir.join(MONITOR_JSON);
        let monitor: Option<MonitorReport> = if mon_path.exists() { Some(read_json(&mon_path)?) } else { None };
        let obs_path = dir.join(OBSERVED_CSV);
        let observed = if monitor.is_some() && obs_path.exists() { Some(read_observed(&obs_path)?) } else { None };
        let extra: HashSet<String> = monitor.iter().flat_map(|m| &m.observations).map(|o| o.measure.clone()).collect();
        let yearly = super::yearly::read_yearly(dir, manifest.format, &summary.run, &extra)?;
        let sens_path = dir.join(SENSITIVITY_CSV);
        let sensitivity = if sens_path.exists() { Some(read_sensitivity(&sens_path)?) } else { None };
        let ass_path = dir.join(ASSUMPTIONS_JSON);
        let assumptions = if ass_path.exists() { Some(read_json(&ass_path)?) } else { None };
        let acceptability = if summary.decision.is_some() { super::decision::read_acceptability(dir)? } else { None };
        Ok(RunData {
            dir: dir.to_path_buf(),
            summary,
            manifest,
            yearly,
            sensitivity,
            assumptions,
            monitor,
            observed,
            acceptability,
            sobol: None,
        })
    }

    /// A yearly series, if the run has it.
    pub(crate) fn series(&self, scenario: &str, contrast: Contrast, area: &str, measure: &str) -> Option<&Series> {
        self.yearly.get(&SeriesKey {
            scenario: scenario.to_string(),
            contrast,
            area: area.to_string(),
            measure: measure.to_string(),
        })
    }
}

/// Parse a JSON file; an error names the file, line, column and field path
/// (`run.draws`) of the first thing that does not fit.
pub(super) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ReportError> {
    let bytes = std::fs::read(path).map_err(|e| ReportError::io(path, e))?;
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.inner();
        let msg = inner.to_string();
        // serde_json appends " at line L column C"; the position goes in front instead.
        let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]).to_string();
        ReportError::Parse {
            path: path.to_path_buf(),
            line: inner.line() as u64,
            reason: format!("{}: {field}: {msg}", inner.column()),
        }
    })
}

pub(super) fn csv_error(path: &Path, e: csv::Error) -> ReportError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    ReportError::Parse { path: path.to_path_buf(), line, reason: e.to_string() }
}

/// Read the observed figures, each row with its line (counted as the monitor
/// counts them, so rows match [`crate::monitor::ObservationCheck::line`]).
fn read_observed(path: &Path) -> Result<Vec<ObservedRow>, ReportError> {
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(path).map_err(|e| csv_error(path, e))?;
    let header = rdr.headers().map_err(|e| csv_error(path, e))?.clone();
    let mut out = vec![];
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        let mut row: ObservedRow = rec.deserialize(Some(&header)).map_err(|e| csv_error(path, e))?;
        row.line = rec.position().map_or(0, |p| p.line());
        out.push(row);
    }
    Ok(out)
}

fn read_sensitivity(path: &Path) -> Result<Vec<SensitivityRow>, ReportError> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| csv_error(path, e))?;
    let mut out = vec![];
    for row in rdr.deserialize() {
        out.push(row.map_err(|e| csv_error(path, e))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_rows_carry_the_line_the_monitor_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(OBSERVED_CSV);
        std::fs::write(
            &path,
            "year,area,measure,value,n,se\n\
             2026, Noord ,prevalence/loneliness/severe,0.14,620,\n\
             2027,totaal,care_cost/gemeente/6.72,5400000,,350000\n\
             2027,totaal,starts/jeugdhulp,95,,\n",
        )
        .unwrap();
        let rows = read_observed(&path).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!((rows[0].area.as_str(), rows[0].n, rows[0].se), ("Noord", Some(620.0), None));
        assert_eq!((rows[1].n, rows[1].se), (None, Some(350000.0)));
        assert_eq!((rows[2].n, rows[2].se), (None, None));
        std::fs::write(&path, "year,area,measure,value,n,se\n2026,Noord,x,many,,\n").unwrap();
        match read_observed(&path) {
            Err(ReportError::Parse { path: p, line, .. }) => assert_eq!((p, line), (path.clone(), 2)),
            other => panic!("{other:?}"),
        }
    }
}
