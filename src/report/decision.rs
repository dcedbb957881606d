//! The decision analysis files the report reads besides `summary.json`'s
//! `decision` section: the acceptability and EVPI curves of
//! `acceptability.csv`, and the Sobol indices of a separate
//! `wijkimpact sobol` run (`sobol.json`, given with `report --sobol DIR`),
//! which must be of the same scenario files as the run.

use super::data::{csv_error, read_json};
use super::ReportError;
use crate::output::schema::{InputFile, ManifestFile, ACCEPTABILITY_CSV};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

/// `sobol.json` in the output directory of `wijkimpact sobol`.
pub const SOBOL_JSON: &str = "sobol.json";

/// The `format_version` of `sobol.json` this report reads.
const SOBOL_FORMAT_VERSION: u32 = 1;

/// One row of `acceptability.csv`: an arm at one willingness to pay in one area.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct AcceptabilityRow {
    /// Area (wijk) or `totaal` (CSV `area`).
    pub area: String,
    /// Willingness to pay per unit of the decision effect, euros (CSV `wtp`).
    pub wtp: f64,
    /// Arm: the nulalternatief or a scenario (CSV `arm`).
    pub arm: String,
    /// Share of the draws in which the arm has the highest net benefit (CSV `p_best`).
    pub p_best: Option<f64>,
    /// Expected loss of choosing the arm, euros for the area's population (CSV `expected_loss`).
    pub expected_loss: Option<f64>,
    /// Whether the arm has the highest expected net benefit here: the acceptability frontier (CSV `optimal`).
    pub optimal: bool,
    /// EVPI at this willingness to pay, euros for the area's population (CSV `evpi`).
    pub evpi: Option<f64>,
}

/// Read `acceptability.csv` of the run in `dir`; `None` when the run has none.
pub(super) fn read_acceptability(dir: &Path) -> Result<Option<Vec<AcceptabilityRow>>, ReportError> {
    let path = dir.join(ACCEPTABILITY_CSV);
    if !path.exists() {
        return Ok(None);
    }
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| csv_error(&path, e))?;
    let mut out = vec![];
    for row in rdr.deserialize() {
        out.push(row.map_err(|e| csv_error(&path, e))?);
    }
    Ok(Some(out))
}

/// `sobol.json`: the Sobol indices of every scenario's NPV per area (see `wijkimpact sobol --help`).
#[derive(Debug, Clone, Deserialize)]
pub struct SobolFile {
    /// Format version (JSON `format_version`).
    pub format_version: u32,
    /// N, the base samples of the Saltelli design (JSON `base_samples`).
    pub base_samples: usize,
    /// Model runs, N × (factors + 2) (JSON `runs`).
    pub runs: usize,
    /// Master seed (JSON `seed`).
    pub seed: u64,
    /// The factors: parameter groups and the other parameters together (JSON `factors`).
    pub factors: Vec<SobolFactor>,
    /// The scenario files read, in load order (JSON `inputs`).
    pub inputs: Vec<InputFile>,
    /// The output analysed, `npv` (JSON `metric`).
    pub metric: String,
    /// Bootstrap resamples of the intervals (JSON `bootstrap`).
    pub bootstrap: usize,
    /// What the intervals are (JSON `interval`).
    pub interval: String,
    /// Per scenario, per area and `totaal`: the indices (JSON `scenarios`).
    pub scenarios: IndexMap<String, IndexMap<String, SobolArea>>,
}

/// One factor of a Sobol run.
#[derive(Debug, Clone, Deserialize)]
pub struct SobolFactor {
    /// Group name, or `overige parameters` (JSON `name`).
    pub name: String,
    /// The parameters it moves (JSON `parameters`).
    pub parameters: Vec<String>,
}

/// The indices of one scenario's NPV in one area.
#[derive(Debug, Clone, Deserialize)]
pub struct SobolArea {
    /// Variance of the NPV over the design (JSON `variance`).
    pub variance: Option<f64>,
    /// Why there are no indices (the NPV does not vary) (JSON `note`).
    #[serde(default)]
    pub note: Option<String>,
    /// One entry per factor (JSON `factors`; empty with a `note`).
    pub factors: Vec<SobolIndex>,
}

/// The first-order and total index of one factor, with their intervals.
#[derive(Debug, Clone, Deserialize)]
pub struct SobolIndex {
    /// Factor name (JSON `factor`).
    pub factor: String,
    /// First-order index S_i (JSON `first`).
    pub first: Option<f64>,
    /// Its interval (JSON `first_interval`).
    pub first_interval: [Option<f64>; 2],
    /// Total index ST_i (JSON `total`).
    pub total: Option<f64>,
    /// Its interval (JSON `total_interval`).
    pub total_interval: [Option<f64>; 2],
}

/// Read `sobol.json` from `dir` and check that it is of the same input files
/// (by SHA-256, in load order) as the run whose manifest is `manifest`.
pub(super) fn load_sobol(dir: &Path, manifest: &ManifestFile) -> Result<SobolFile, ReportError> {
    let path = dir.join(SOBOL_JSON);
    if !dir.is_dir() {
        return Err(ReportError::Format {
            path: dir.to_path_buf(),
            reason: "not a directory: --sobol expects the output directory of `wijkimpact sobol`".into(),
        });
    }
    if !path.exists() {
        return Err(ReportError::Format {
            path,
            reason: "missing: --sobol expects the output directory of a whole (or merged) `wijkimpact sobol` run"
                .into(),
        });
    }
    let file: SobolFile = read_json(&path)?;
    let bad = |reason: String| ReportError::Format { path: path.clone(), reason };
    if file.format_version != SOBOL_FORMAT_VERSION {
        return Err(bad(format!(
            "format_version {} is not the {SOBOL_FORMAT_VERSION} this wijkimpact reads; re-run `wijkimpact sobol`",
            file.format_version
        )));
    }
    if file.metric != "npv" {
        return Err(bad(format!("metric: `{}` is not the NPV this report shows", file.metric)));
    }
    let hashes = |inputs: &[InputFile]| inputs.iter().map(|i| i.sha256.clone()).collect::<Vec<_>>();
    if hashes(&file.inputs) != hashes(&manifest.inputs) {
        let list = |inputs: &[InputFile]| {
            inputs.iter().map(|i| format!("{} ({})", i.path, &i.sha256[..i.sha256.len().min(12)])).collect::<Vec<_>>()
        };
        return Err(bad(format!(
            "the Sobol results are of another scenario file: its inputs [{}] differ from the run's [{}] \
             (manifest.json, by SHA-256); run `wijkimpact sobol` on the run's scenario file",
            list(&file.inputs).join(", "),
            list(&manifest.inputs).join(", "),
        )));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptability_rows_read_with_empty_cells_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_acceptability(dir.path()).unwrap(), None);
        let path = dir.path().join(ACCEPTABILITY_CSV);
        std::fs::write(
            &path,
            "area,wtp,arm,p_best,expected_loss,optimal,evpi\n\
             totaal,0,nulalternatief,0.75,12.5,true,12.5\n\
             totaal,0,wor,,,false,12.5\n",
        )
        .unwrap();
        let rows = read_acceptability(dir.path()).unwrap().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].p_best, rows[0].optimal, rows[0].evpi), (Some(0.75), true, Some(12.5)));
        assert_eq!((rows[1].p_best, rows[1].expected_loss, rows[1].optimal), (None, None, false));
        std::fs::write(&path, "area,wtp,arm,p_best,expected_loss,optimal,evpi\ntotaal,x,a,0,0,true,0\n").unwrap();
        match read_acceptability(dir.path()) {
            Err(ReportError::Parse { path: p, line, .. }) => assert_eq!((p, line), (path, 2)),
            other => panic!("{other:?}"),
        }
    }
}
