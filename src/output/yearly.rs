//! The tidy yearly table (`yearly.csv` or `yearly.parquet`): one row per
//! arm × contrast × area × measure × year, the statistics as columns.
//!
//! Columns ([`yearly_header`]):
//!
//! - `scenario`, `contrast`, `area`, `year`: the arm (`nulalternatief` or a
//!   scenario), `level` (the arm itself; the nulalternatief has only this) or
//!   `difference` (scenario − nulalternatief, per draw, then summarised), the
//!   area (wijk) or `totaal`, the calendar year;
//! - `measure`, `chain`, `state`, `funder`, `taakveld`, `outcome`,
//!   `intervention`: what is counted and of what
//!   ([`crate::ledger::MeasureLabel`]); a part that does not apply is empty
//!   (CSV) or null (Parquet), so `prevalence` of chain `eenzaamheid`, state
//!   `ernstig` is found without splitting strings;
//! - `mean`, `sd`, `mcse`, then one column per quantile of the run (`p5`,
//!   `p25`, `p50`, `p75`, `p95` by default; P² estimates): empty / null when
//!   no draw had a value (a prevalence in a chain nobody is of age for).
//!
//! Rows come in arm order (nulalternatief, then per scenario its levels and
//! its differences), then area slot, measure (model order), year, so each
//! series' years are consecutive and the file is identical on any thread
//! count. In Parquet, `year` is `Int32`, names are dictionary-encoded and the
//! statistics `Float64`.

use super::csv::{close, csv_err, open};
use super::parquet::{i32_values, names_field, values_column, Names, ParquetFile, ROW_GROUP_ROWS};
use super::schema::{yearly_header, OutputFormat, STAT_COLUMNS, YEARLY_KEY_COLUMNS};
use super::{push_num, OutputError, RunDir};
use crate::ledger::MeasureLabel;
use crate::stats::quantile_label;
use crate::summary::{Stat, Summary, YearlyKey};
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// Rows per batch written to `yearly.parquet` (the row groups are
/// [`ROW_GROUP_ROWS`]: one for W-city's 174,150 rows, since a value repeated
/// anywhere in a row group, such as a scenario's level equal to the
/// nulalternatief's where it does not reach, is stored once in its
/// dictionary; 64 Ki-row groups made the file 50 % larger).
const BATCH_ROWS: usize = 1 << 16;

/// Write the yearly table of a finished summary in `format`.
pub fn write_yearly(dir: &mut RunDir, summary: &Summary, format: OutputFormat) -> Result<(), OutputError> {
    match format {
        OutputFormat::Csv => write_csv(dir, summary),
        OutputFormat::Parquet => write_parquet(dir, summary),
    }
}

/// The statistics of a row, in column order after the labels.
fn stat_values(st: &Stat) -> impl Iterator<Item = f64> + '_ {
    [st.mean, st.sd, st.mcse].into_iter().chain(st.quantiles.iter().copied())
}

fn quantile_labels(summary: &Summary) -> Vec<String> {
    summary.quantiles.iter().map(|&p| quantile_label(p)).collect()
}

fn write_csv(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    let header = yearly_header(&quantile_labels(summary));
    let (mut w, path) = open(dir, OutputFormat::Csv.yearly_file(), &header)?;
    let mut cells: Vec<String> = vec![String::new(); header.len()];
    for (key, st) in summary.yearly_series() {
        cells[0] = key.scenario.to_string();
        cells[1] = key.contrast.as_str().to_string();
        cells[2] = key.area.to_string();
        cells[3] = key.year.to_string();
        cells[4] = key.label.measure.to_string();
        for (c, part) in cells[5..].iter_mut().zip(key.label.parts()) {
            *c = part.unwrap_or("").to_string();
        }
        let first_stat = YEARLY_KEY_COLUMNS.len() + MeasureLabel::COLUMNS.len();
        for (c, x) in cells[first_stat..].iter_mut().zip(stat_values(&st)) {
            c.clear();
            push_num(c, x);
        }
        w.write_record(&cells).map_err(|e| csv_err(&path, e))?;
    }
    close(w, &path)
}

/// The columns of one row group of `yearly.parquet`, filled row by row.
struct YearlyColumns {
    text: [Vec<Option<i32>>; 3],
    year: Vec<i32>,
    labels: Vec<Vec<Option<i32>>>,
    stats: Vec<Vec<f64>>,
}

impl YearlyColumns {
    fn new(n_stats: usize) -> Self {
        YearlyColumns {
            text: Default::default(),
            year: vec![],
            labels: vec![vec![]; MeasureLabel::COLUMNS.len()],
            stats: vec![vec![]; n_stats],
        }
    }
}

/// The dictionaries of the name columns of `yearly.parquet`.
struct YearlyNames {
    scenario: Names,
    contrast: Names,
    area: Names,
    /// One per label column, `measure` first.
    labels: Vec<Names>,
}

impl YearlyNames {
    fn new(summary: &Summary) -> Self {
        let arms = std::iter::once(crate::model::Model::BASELINE).chain(summary.scenarios.iter().map(String::as_str));
        let ls = &summary.ymeasure_labels;
        let mut labels = vec![Names::new(ls.iter().map(|l| l.measure))];
        for i in 0..MeasureLabel::COLUMNS.len() - 1 {
            labels.push(Names::new(ls.iter().filter_map(|l| l.parts()[i])));
        }
        YearlyNames {
            scenario: Names::new(arms),
            contrast: Names::new(["level", "difference"]),
            area: Names::new(&summary.areas),
            labels,
        }
    }

    fn push(&self, cols: &mut YearlyColumns, key: &YearlyKey<'_>, st: &Stat) {
        cols.text[0].push(self.scenario.key(key.scenario));
        cols.text[1].push(self.contrast.key(key.contrast.as_str()));
        cols.text[2].push(self.area.key(key.area));
        cols.year.push(key.year);
        let parts = std::iter::once(Some(key.label.measure)).chain(key.label.parts());
        for ((col, dict), part) in cols.labels.iter_mut().zip(&self.labels).zip(parts) {
            col.push(part.and_then(|p| dict.key(p)));
        }
        for (col, x) in cols.stats.iter_mut().zip(stat_values(st)) {
            col.push(x);
        }
    }

    fn columns(&self, cols: YearlyColumns) -> Vec<ArrayRef> {
        let [s, c, a] = cols.text;
        let mut out =
            vec![self.scenario.column(s), self.contrast.column(c), self.area.column(a), i32_values(cols.year)];
        out.extend(cols.labels.into_iter().zip(&self.labels).map(|(keys, dict)| dict.column(keys)));
        out.extend(cols.stats.into_iter().map(values_column));
        out
    }
}

fn yearly_schema(quantiles: &[String]) -> Schema {
    let mut fields: Vec<Field> = YEARLY_KEY_COLUMNS[..3].iter().map(|c| names_field(c, false)).collect();
    fields.push(Field::new(YEARLY_KEY_COLUMNS[3], DataType::Int32, false));
    fields.extend(MeasureLabel::COLUMNS.iter().enumerate().map(|(i, c)| names_field(c, i > 0)));
    let stats = STAT_COLUMNS.iter().map(|c| c.to_string()).chain(quantiles.iter().cloned());
    fields.extend(stats.map(|c| Field::new(c, DataType::Float64, true)));
    debug_assert_eq!(
        fields.iter().map(|f| f.name().clone()).collect::<Vec<_>>(),
        yearly_header(quantiles),
        "the Parquet columns are the CSV header"
    );
    Schema::new(fields)
}

fn write_parquet(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    let quantiles = quantile_labels(summary);
    let n_stats = STAT_COLUMNS.len() + quantiles.len();
    let schema = Arc::new(yearly_schema(&quantiles));
    let mut file = ParquetFile::create(dir, OutputFormat::Parquet.yearly_file(), schema, ROW_GROUP_ROWS)?;
    let names = YearlyNames::new(summary);
    let mut cols = YearlyColumns::new(n_stats);
    for (key, st) in summary.yearly_series() {
        names.push(&mut cols, &key, &st);
        if cols.year.len() == BATCH_ROWS {
            file.write(names.columns(std::mem::replace(&mut cols, YearlyColumns::new(n_stats))))?;
        }
    }
    if !cols.year.is_empty() {
        file.write(names.columns(cols))?;
    }
    file.finish()
}
