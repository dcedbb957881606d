//! Reading the tidy yearly table back (`yearly.parquet` or `yearly.csv`, as
//! the manifest's `format` says): only the series the report draws, the
//! measures of [`wanted_measure`] and those the monitor observed.
//!
//! Both readers fill the same [`Series`] from the same columns
//! ([`crate::output::schema::yearly_header`]); the report is byte-identical
//! whichever format the run wrote, since both hold every number exactly
//! (Parquet as `Float64`, CSV as shortest round-trip text).

use super::data::{Contrast, Series, SeriesKey};
use super::ReportError;
use crate::ledger::MeasureLabel;
use crate::output::parquet::{self, TableError};
use crate::output::schema::{yearly_header, OutputFormat, RunFile, STAT_COLUMNS, YEARLY_KEY_COLUMNS};
use crate::stats::quantile_label;
use arrow_array::Array;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Kinds of yearly measure the report draws: prevalences of chain states and
/// the cash flows per account.
pub(crate) fn wanted_measure(measure: &str) -> bool {
    matches!(measure, "prevalence" | "care_cost" | "intervention_cost")
}

/// Read the wanted series of the yearly table of run directory `dir`;
/// `extra`: full measure names (`starts/jeugdhulp`) to keep as well.
pub(crate) fn read_yearly(
    dir: &Path,
    format: OutputFormat,
    run: &RunFile,
    extra: &HashSet<String>,
) -> Result<HashMap<SeriesKey, Series>, ReportError> {
    let path = dir.join(format.yearly_file());
    if !path.exists() {
        return Err(ReportError::Format {
            path,
            reason: format!("missing: manifest.json says the run wrote its tables as {}", format.as_str()),
        });
    }
    let mut rows = Rows::new(run, extra);
    match format {
        OutputFormat::Csv => read_csv(&path, &mut rows)?,
        OutputFormat::Parquet => read_parquet(&path, &mut rows)
            .map_err(|e| ReportError::Format { path: path.clone(), reason: e.to_string() })?,
    }
    Ok(rows.out)
}

/// The series being collected.
struct Rows<'a> {
    start_year: i32,
    horizon: usize,
    /// Statistic columns, in order: `mean`, `sd`, `mcse`, the quantiles.
    stats: Vec<String>,
    extra: &'a HashSet<String>,
    out: HashMap<SeriesKey, Series>,
}

/// The labels of one row, as read.
struct Row<'a> {
    scenario: &'a str,
    contrast: &'a str,
    area: &'a str,
    year: i32,
    measure: &'a str,
    /// The label parts after `measure`, in [`MeasureLabel::COLUMNS`] order.
    parts: [Option<&'a str>; 6],
}

impl<'a> Rows<'a> {
    fn new(run: &RunFile, extra: &'a HashSet<String>) -> Self {
        let quantiles = run.quantiles.iter().map(|&p| quantile_label(p));
        let stats = STAT_COLUMNS.iter().map(|s| s.to_string()).chain(quantiles).collect();
        Rows { start_year: run.start_year, horizon: run.horizon, stats, extra, out: HashMap::new() }
    }

    /// Keep a row if the report draws its measure: `values` gives the
    /// statistics in [`Rows::stats`] order (NaN where missing).
    fn add(&mut self, row: &Row<'_>, values: impl Iterator<Item = f64>) -> Result<(), (&'static str, &'static str)> {
        let wanted = wanted_measure(row.measure);
        if !wanted && self.extra.is_empty() {
            return Ok(());
        }
        let mut name = row.measure.to_string();
        for p in row.parts.into_iter().flatten() {
            name.push('/');
            name.push_str(p);
        }
        if !wanted && !self.extra.contains(&name) {
            return Ok(());
        }
        let contrast = [Contrast::Level, Contrast::Difference]
            .into_iter()
            .find(|c| c.as_str() == row.contrast)
            .ok_or(("contrast", "expected level or difference"))?;
        let t = row.year - self.start_year;
        if t < 0 || t as usize >= self.horizon {
            return Err(("year", "outside the run's years"));
        }
        let key = SeriesKey { scenario: row.scenario.to_string(), contrast, area: row.area.to_string(), measure: name };
        let series = self.out.entry(key).or_default();
        for (stat, x) in self.stats.iter().zip(values) {
            let v = match series.stats.get_mut(stat) {
                Some(v) => v,
                None => series.stats.entry(stat.clone()).or_insert_with(|| vec![f64::NAN; self.horizon]),
            };
            v[t as usize] = x;
        }
        Ok(())
    }
}

fn csv_error(path: &Path, e: csv::Error) -> ReportError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    ReportError::Parse { path: path.to_path_buf(), line, reason: e.to_string() }
}

fn read_csv(path: &Path, rows: &mut Rows<'_>) -> Result<(), ReportError> {
    let file = std::fs::File::open(path).map_err(|e| ReportError::io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new().buffer_capacity(1 << 20).from_reader(std::io::BufReader::new(file));
    let header = rdr.byte_headers().map_err(|e| csv_error(path, e))?.clone();
    let expected = yearly_header(&rows.stats[STAT_COLUMNS.len()..]);
    if header.len() != expected.len() || header.iter().zip(&expected).any(|(h, e)| h != e.as_bytes()) {
        return Err(ReportError::Format {
            path: path.to_path_buf(),
            reason: format!(
                "line 1: expected the header {} (a file of an older wijkimpact? re-run the scenario)",
                expected.join(",")
            ),
        });
    }
    let n_labels = YEARLY_KEY_COLUMNS.len() + MeasureLabel::COLUMNS.len();
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(|e| csv_error(path, e))? {
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let bad = |field: &str, why: &str| ReportError::Parse {
            path: path.to_path_buf(),
            line,
            reason: format!("column {field}: {why}"),
        };
        if !wanted_measure(&rec[4]) && rows.extra.is_empty() {
            continue;
        }
        let part = |i: usize| Some(&rec[5 + i]).filter(|s| !s.is_empty());
        let row = Row {
            scenario: &rec[0],
            contrast: &rec[1],
            area: &rec[2],
            year: rec[3].parse().map_err(|_| bad("year", "not a year"))?,
            measure: &rec[4],
            parts: [part(0), part(1), part(2), part(3), part(4), part(5)],
        };
        let mut values = vec![];
        for (i, cell) in rec.iter().enumerate().skip(n_labels) {
            values.push(match cell {
                "" => f64::NAN,
                v => v.parse().map_err(|_| bad(&expected[i], "not a number"))?,
            });
        }
        rows.add(&row, values.into_iter()).map_err(|(field, why)| bad(field, why))?;
    }
    Ok(())
}

fn read_parquet(path: &Path, rows: &mut Rows<'_>) -> Result<(), TableError> {
    let bad = |field: &str, why: &str| TableError::BadValue { column: field.to_string(), reason: why.to_string() };
    for batch in parquet::open(path)? {
        let batch = batch?;
        let text = |c: &str| parquet::text_column(&batch, c);
        let (scenario, contrast, area) = (text("scenario")?, text("contrast")?, text("area")?);
        let year = parquet::i32_column(&batch, "year")?;
        let labels = MeasureLabel::COLUMNS.iter().map(|c| text(c)).collect::<Result<Vec<_>, _>>()?;
        let stats = rows.stats.iter().map(|s| parquet::f64_column(&batch, s)).collect::<Result<Vec<_>, _>>()?;
        for i in 0..batch.num_rows() {
            let Some(measure) = labels[0].get(i) else { return Err(bad("measure", "null")) };
            if !wanted_measure(measure) && rows.extra.is_empty() {
                continue;
            }
            let part = |k: usize| labels[1 + k].get(i);
            let row = Row {
                scenario: scenario.get(i).unwrap_or_default(),
                contrast: contrast.get(i).unwrap_or_default(),
                area: area.get(i).unwrap_or_default(),
                year: year.value(i),
                measure,
                parts: [part(0), part(1), part(2), part(3), part(4), part(5)],
            };
            let values = stats.iter().map(|c| if c.is_null(i) { f64::NAN } else { c.value(i) });
            rows.add(&row, values).map_err(|(field, why)| bad(field, why))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_file() -> RunFile {
        RunFile { seed: 1, draws: 2, mode: "cohort".into(), start_year: 2025, horizon: 2, quantiles: vec![0.5] }
    }

    #[test]
    fn the_yearly_reader_keeps_the_wanted_and_the_extra_measures_only() {
        let dir = tempfile::tempdir().unwrap();
        let header = yearly_header(&["p50".to_string()]).join(",");
        std::fs::write(
            dir.path().join("yearly.csv"),
            format!(
                "{header}\n\
                 wor,level,Noord,2025,starts,loneliness,,,,,,1,2,3,12\n\
                 wor,level,Noord,2026,starts,loneliness,,,,,,1,2,3,13\n\
                 wor,level,Noord,2025,deaths,,,,,,,1,2,3,3\n\
                 wor,level,Noord,2025,prevalence,loneliness,severe,,,,,0.1,,,0.1\n"
            ),
        )
        .unwrap();
        let key = |m: &str| SeriesKey {
            scenario: "wor".into(),
            contrast: Contrast::Level,
            area: "Noord".into(),
            measure: m.into(),
        };
        let read = |extra: &HashSet<String>| read_yearly(dir.path(), OutputFormat::Csv, &run_file(), extra);
        let plain = read(&HashSet::new()).unwrap();
        assert_eq!(plain.len(), 1, "only the prevalence is wanted by default");
        let prev = &plain[&key("prevalence/loneliness/severe")];
        assert_eq!(prev.stat("mean").unwrap()[0], 0.1);
        assert!(prev.stat("sd").unwrap()[0].is_nan(), "an empty cell is missing");
        let extra: HashSet<String> = ["starts/loneliness".to_string()].into_iter().collect();
        let with = read(&extra).unwrap();
        assert_eq!(with.len(), 2);
        assert_eq!(with[&key("starts/loneliness")].stat("p50"), Some(&[12.0, 13.0][..]));
        assert!(!with.contains_key(&key("deaths")));
        match read_yearly(dir.path(), OutputFormat::Parquet, &run_file(), &extra) {
            Err(ReportError::Format { path, reason }) => {
                assert!(path.ends_with("yearly.parquet") && reason.contains("missing"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }

    /// A yearly.csv of the layout before the tidy one is refused with the
    /// header it should have, not misread.
    #[test]
    fn the_old_yearly_layout_is_refused_with_the_expected_header() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("yearly.csv"),
            "scenario,contrast,area,year,measure,statistic,value\nwor,level,Noord,2025,deaths,p50,3\n",
        )
        .unwrap();
        let err = read_yearly(dir.path(), OutputFormat::Csv, &run_file(), &HashSet::new()).unwrap_err().to_string();
        assert!(err.contains("expected the header scenario,contrast,area,year,measure,chain,state,"), "{err}");
        assert!(err.contains("re-run"), "{err}");
    }
}
