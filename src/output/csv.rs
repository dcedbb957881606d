//! Tidy CSV files (one observation per row, readable as is by R and pandas).
//!
//! - `draws.csv` — `draw,scenario,area,metric,value`: every business-case
//!   metric of every draw, streamed while the run goes (so memory does not grow
//!   with draws).
//! - `parameters.csv` — `draw,parameter,value`: the value every parameter slot
//!   took in every draw, streamed likewise; joins `draws.csv` on `draw` for
//!   sensitivity analysis.
//! - `yearly.csv` — `scenario,contrast,area,year,measure,statistic,value`:
//!   summaries of every yearly measure, written at the end. `contrast` is
//!   `level` (the arm itself; the nulalternatief has only this) or
//!   `difference` (scenario − nulalternatief, per draw, then summarised).
//!   `statistic` is `mean`, `sd`, `mcse`, then one `pN` per quantile
//!   (`p5`, `p50`, `p95` by default; P² estimates).
//!
//! - `sensitivity.csv` — `scenario,area,parameter,value_mean,value_low,value_high,
//!   npv_base,npv_low,npv_high,npv_incl_social_base,npv_incl_social_low,
//!   npv_incl_social_high`: the one-way sensitivity analysis
//!   ([`crate::sensitivity`]), one row per scenario × area slot (areas, then
//!   `totaal`) × entry (parameter order; `name[j]` for component j of a
//!   Dirichlet). `value_low`/`value_high` are the parameter's P5/P95,
//!   `npv_low`/`npv_high` the NPV with the parameter there and every other
//!   parameter at its mean, `npv_base` the NPV with every parameter at its
//!   mean (cohort mode). A model without uncertain parameters gives just the
//!   header.
//!
//! Rows come in draw order / model order, so files are byte-identical on any
//! thread count. Missing values are empty cells, never `NaN`.

use super::rundir::{finish_writer, RunDir};
use super::{push_num, OutputError, DRAWS_CSV, PARAMETERS_CSV, SENSITIVITY_CSV, YEARLY_CSV};
use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
use crate::sensitivity::Sensitivity;
use crate::summary::{quantile_label, Summary, TOTAL_AREA};
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

type Writer = ::csv::Writer<BufWriter<File>>;

fn csv_err(path: &std::path::Path, e: ::csv::Error) -> OutputError {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => OutputError::io(path, e),
        k => OutputError::Other(format!("{}: {:?}", path.display(), k)),
    }
}

fn open(dir: &mut RunDir, name: &str, header: &[&str]) -> Result<(Writer, PathBuf), OutputError> {
    let path = dir.temp_path(name);
    let w = dir.create_file(name)?;
    let mut w = ::csv::WriterBuilder::new().from_writer(w);
    w.write_record(header).map_err(|e| csv_err(&path, e))?;
    Ok((w, path))
}

fn close(w: Writer, path: &std::path::Path) -> Result<(), OutputError> {
    let inner = w.into_inner().map_err(|e| OutputError::io(path, std::io::Error::other(e.to_string())))?;
    finish_writer(inner, path)
}

/// Streams `draws.csv` and `parameters.csv` as draws arrive.
pub struct DrawsCsv {
    draws: Writer,
    draws_path: PathBuf,
    params: Writer,
    params_path: PathBuf,
    scenarios: Vec<String>,
    areas: Vec<String>,
    metrics: Vec<String>,
    param_names: Vec<String>,
    num: String,
}

impl DrawsCsv {
    pub fn create(dir: &mut RunDir, ctx: &RunContext<'_>) -> Result<Self, OutputError> {
        let (draws, draws_path) = open(dir, DRAWS_CSV, &["draw", "scenario", "area", "metric", "value"])?;
        let (params, params_path) = open(dir, PARAMETERS_CSV, &["draw", "parameter", "value"])?;
        let mut areas: Vec<String> = ctx.model.areas.iter().map(|a| a.name.clone()).collect();
        areas.push(TOTAL_AREA.to_string());
        Ok(DrawsCsv {
            draws,
            draws_path,
            params,
            params_path,
            scenarios: ctx.model.scenarios.iter().map(|s| s.name.clone()).collect(),
            areas,
            metrics: ctx.metrics.names.clone(),
            param_names: ctx.model.params.slot_names(),
            num: String::new(),
        })
    }

    /// Flush both files (they become visible at [`RunDir::finish`]).
    pub fn finish(self) -> Result<(), OutputError> {
        close(self.draws, &self.draws_path)?;
        close(self.params, &self.params_path)
    }
}

impl DrawSink for DrawsCsv {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        let (n_a, n_m) = (self.areas.len(), self.metrics.len());
        if r.metrics.len() != self.scenarios.len() * n_a * n_m || r.params.len() != self.param_names.len() {
            return Err(SinkError(format!("draw {}: result does not match the model's layout", r.draw)));
        }
        let draw = r.draw.to_string();
        for (s, scen) in self.scenarios.iter().enumerate() {
            for (a, area) in self.areas.iter().enumerate() {
                for (m, metric) in self.metrics.iter().enumerate() {
                    self.num.clear();
                    push_num(&mut self.num, r.metrics[(s * n_a + a) * n_m + m]);
                    self.draws
                        .write_record([draw.as_str(), scen, area, metric, &self.num])
                        .map_err(|e| SinkError::from(csv_err(&self.draws_path, e)))?;
                }
            }
        }
        for (name, &x) in self.param_names.iter().zip(&r.params) {
            self.num.clear();
            push_num(&mut self.num, x);
            self.params
                .write_record([draw.as_str(), name, &self.num])
                .map_err(|e| SinkError::from(csv_err(&self.params_path, e)))?;
        }
        Ok(())
    }
}

/// Write `yearly.csv` from a finished summary.
pub fn write_yearly(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    let (mut w, path) =
        open(dir, YEARLY_CSV, &["scenario", "contrast", "area", "year", "measure", "statistic", "value"])?;
    let labels: Vec<String> = summary.quantiles.iter().map(|&p| quantile_label(p)).collect();
    let mut num = String::new();
    for (key, st) in summary.yearly_series() {
        let year = key.year.to_string();
        let stats = [("mean", st.mean), ("sd", st.sd), ("mcse", st.mcse)]
            .into_iter()
            .chain(labels.iter().map(|l| l.as_str()).zip(st.quantiles.iter().copied()));
        for (name, x) in stats {
            num.clear();
            push_num(&mut num, x);
            w.write_record([key.scenario, key.contrast.as_str(), key.area, &year, key.measure, name, &num])
                .map_err(|e| csv_err(&path, e))?;
        }
    }
    close(w, &path)
}

/// The header of `sensitivity.csv`.
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
    "npv_incl_social_base",
    "npv_incl_social_low",
    "npv_incl_social_high",
];

/// Write `sensitivity.csv` (see the module docs).
pub fn write_sensitivity(dir: &mut RunDir, sens: &Sensitivity) -> Result<(), OutputError> {
    let (mut w, path) = open(dir, SENSITIVITY_CSV, &SENSITIVITY_HEADER)?;
    let mut cells: Vec<String> = vec![String::new(); 9];
    for (s, scen) in sens.scenarios.iter().enumerate() {
        for (a, area) in sens.areas.iter().enumerate() {
            let base = sens.base(s, a);
            for (e, entry) in sens.entries.iter().enumerate() {
                let (lo, hi) = (sens.low(e, s, a), sens.high(e, s, a));
                let nums = [
                    entry.value_mean,
                    entry.value_low,
                    entry.value_high,
                    base.npv,
                    lo.npv,
                    hi.npv,
                    base.npv_incl_social,
                    lo.npv_incl_social,
                    hi.npv_incl_social,
                ];
                for (c, x) in cells.iter_mut().zip(nums) {
                    c.clear();
                    push_num(c, x);
                }
                w.write_record([scen.as_str(), area, &entry.name].into_iter().chain(cells.iter().map(String::as_str)))
                    .map_err(|e| csv_err(&path, e))?;
            }
        }
    }
    close(w, &path)
}
