//! Tidy CSV files (one observation per row, readable as is by R and pandas).
//!
//! - `draws.csv` — `draw,scenario,area,metric,value`: every business-case
//!   metric of every draw, streamed while the run goes (so memory does not grow
//!   with draws); `--format csv` (see [`super::draws`] for the Parquet twin).
//! - `parameters.csv` — `draw,parameter,value`: the value every parameter slot
//!   took in every draw, streamed likewise; joins `draws.csv` on `draw` for
//!   sensitivity analysis; `--format csv`.
//! - `yearly.csv` — the tidy yearly table, see [`super::yearly`].
//! - `summary.csv` — `scenario,area,metric,n,missing,mean,sd,mcse,` one
//!   column per quantile (`p5`, …), `p_positive`: the metrics of
//!   `summary.json` flat, one row per scenario × area slot × metric, always
//!   written. `p_positive` is empty except for the NPV-like metrics (`npv`,
//!   `npv_societal`, `net_undiscounted`, `pv_net/…`).
//! - `sensitivity.csv` — `scenario,area,parameter,value_mean,value_low,value_high,
//!   npv_base,npv_low,npv_high,npv_societal_base,npv_societal_low,
//!   npv_societal_high`: the one-way sensitivity analysis
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
use super::schema::{summary_header, DRAWS_HEADER, PARAMETERS_HEADER, SENSITIVITY_HEADER};
use super::{push_num, push_num_bytes, OutputError, DRAWS_CSV, PARAMETERS_CSV, SENSITIVITY_CSV, SUMMARY_CSV};
use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
use crate::sensitivity::Sensitivity;
use crate::stats::quantile_label;
use crate::summary::Summary;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

pub(crate) type Writer = ::csv::Writer<BufWriter<File>>;

pub(crate) fn csv_err(path: &std::path::Path, e: ::csv::Error) -> OutputError {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => OutputError::io(path, e),
        k => OutputError::Other(format!("{}: {:?}", path.display(), k)),
    }
}

pub(crate) fn open<S: AsRef<[u8]>>(
    dir: &mut RunDir,
    name: &str,
    header: &[S],
) -> Result<(Writer, PathBuf), OutputError> {
    let path = dir.temp_path(name);
    let w = dir.create_file(name)?;
    let mut w = ::csv::WriterBuilder::new().from_writer(w);
    w.write_record(header).map_err(|e| csv_err(&path, e))?;
    Ok((w, path))
}

pub(crate) fn close(w: Writer, path: &std::path::Path) -> Result<(), OutputError> {
    let inner = w.into_inner().map_err(|e| OutputError::io(path, std::io::Error::other(e.to_string())))?;
    finish_writer(inner, path)
}

/// Streams `draws.csv` and `parameters.csv` as draws arrive.
///
/// The rows are written as bytes, not through the `csv` writer: every text
/// field is quoted (where CSV needs it) once, at creation, as the `csv` crate
/// would, and each row is then the draw number, that fixed text and the
/// number (`push_num_bytes`, the text of `{}`). Tens of megabytes per run
/// go through here, so this keeps writing far from the run's critical path.
pub struct DrawsCsv {
    draws: BufWriter<File>,
    draws_path: PathBuf,
    params: BufWriter<File>,
    params_path: PathBuf,
    n_cells: usize,
    /// `,scenario,area,metric,` of each metric cell, in [`DrawResult::metrics`] order.
    cell_text: Vec<Vec<u8>>,
    /// `,parameter,` of each parameter slot.
    param_text: Vec<Vec<u8>>,
    /// One draw's rows of a file, written with one call.
    line: Vec<u8>,
}

/// `fields` as one CSV record without its terminator, quoted as the `csv`
/// writer quotes (only where needed).
fn record_text(fields: &[&str]) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new().from_writer(vec![]);
    w.write_record(fields).expect("writing to memory");
    let mut v = w.into_inner().expect("writing to memory");
    assert_eq!(v.pop(), Some(b'\n'), "the csv writer ends records with a newline");
    v
}

/// `,f1,f2,…,` for fields written between the draw number and the value.
fn middle_text(fields: &[&str]) -> Vec<u8> {
    // A leading and a trailing non-empty placeholder keep the real fields
    // quoted exactly as inside a longer record.
    let mut all = vec!["0"];
    all.extend_from_slice(fields);
    all.push("0");
    let v = record_text(&all);
    v[1..v.len() - 1].to_vec()
}

fn create_bytes(dir: &mut RunDir, name: &str, header: &[&str]) -> Result<(BufWriter<File>, PathBuf), OutputError> {
    use std::io::Write;
    let path = dir.temp_path(name);
    let mut w = dir.create_file(name)?;
    let mut h = record_text(header);
    h.push(b'\n');
    w.write_all(&h).map_err(|e| OutputError::io(&path, e))?;
    Ok((w, path))
}

impl DrawsCsv {
    /// Start `draws.csv` and `parameters.csv` in `dir`, headers written, for the areas and metrics of `ctx`.
    pub fn create(dir: &mut RunDir, ctx: &RunContext<'_>) -> Result<Self, OutputError> {
        let (draws, draws_path) = create_bytes(dir, DRAWS_CSV, &DRAWS_HEADER)?;
        let (params, params_path) = create_bytes(dir, PARAMETERS_CSV, &PARAMETERS_HEADER)?;
        let areas = ctx.model.area_slot_labels();
        let mut cell_text = vec![];
        for scen in &ctx.model.scenarios {
            for area in &areas {
                for metric in &ctx.metrics.names {
                    cell_text.push(middle_text(&[&scen.name, area, metric]));
                }
            }
        }
        let param_text = ctx.model.params.slot_names().iter().map(|n| middle_text(&[n])).collect();
        Ok(DrawsCsv {
            draws,
            draws_path,
            params,
            params_path,
            n_cells: cell_text.len(),
            cell_text,
            param_text,
            line: vec![],
        })
    }

    /// Flush both files (they become visible at [`RunDir::finish`]).
    pub fn finish(self) -> Result<(), OutputError> {
        finish_writer(self.draws, &self.draws_path)?;
        finish_writer(self.params, &self.params_path)
    }
}

impl DrawSink for DrawsCsv {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        use std::io::Write;
        if r.metrics.len() != self.n_cells || r.params.len() != self.param_text.len() {
            return Err(SinkError(format!("draw {}: result does not match the model's layout", r.draw)));
        }
        let mut itoa = itoa::Buffer::new();
        let draw = itoa.format(r.draw).as_bytes();
        let line = &mut self.line;
        line.clear();
        for (text, &x) in self.cell_text.iter().zip(&r.metrics) {
            line.extend_from_slice(draw);
            line.extend_from_slice(text);
            push_num_bytes(line, x);
            line.push(b'\n');
        }
        self.draws.write_all(line).map_err(|e| SinkError::from(OutputError::io(&self.draws_path, e)))?;
        line.clear();
        for (text, &x) in self.param_text.iter().zip(&r.params) {
            line.extend_from_slice(draw);
            line.extend_from_slice(text);
            push_num_bytes(line, x);
            line.push(b'\n');
        }
        self.params.write_all(line).map_err(|e| SinkError::from(OutputError::io(&self.params_path, e)))?;
        Ok(())
    }
}

/// Write `summary.csv`: the business-case metrics of `summary.json` as one
/// flat table, one row per scenario × area slot (areas, then `totaal`) ×
/// metric, in the order of `summary.json` (see [`summary_header`] and the
/// module docs). The same numbers as `summary.json`, as shortest round-trip
/// text; histograms and ICERs stay in `summary.json`.
pub fn write_summary_csv(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    let labels: Vec<String> = summary.quantiles.iter().map(|&p| quantile_label(p)).collect();
    let (mut w, path) = open(dir, SUMMARY_CSV, &summary_header(&labels))?;
    let mut cells: Vec<String> = vec![];
    for (s, scen) in summary.scenarios.iter().enumerate() {
        for (a, area) in summary.areas.iter().enumerate() {
            for (m, metric) in summary.metric_names.iter().enumerate() {
                let st = summary.metric(s, a, m);
                cells.clear();
                cells.extend([scen.clone(), area.clone(), metric.clone(), st.n.to_string(), st.missing.to_string()]);
                let nums = [st.mean, st.sd, st.mcse].into_iter().chain(st.quantiles.iter().copied());
                for x in nums.map(Some).chain([st.p_positive]) {
                    let mut c = String::new();
                    if let Some(x) = x {
                        push_num(&mut c, x);
                    }
                    cells.push(c);
                }
                w.write_record(&cells).map_err(|e| csv_err(&path, e))?;
            }
        }
    }
    close(w, &path)
}

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
                    base.npv_societal,
                    lo.npv_societal,
                    hi.npv_societal,
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
