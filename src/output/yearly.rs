//! The tidy yearly table (`yearly.csv`): one row per arm × contrast × area ×
//! measure × year, the statistics as columns.
//!
//! Columns ([`yearly_header`]):
//!
//! - `scenario`, `contrast`, `area`, `year`: the arm (`nulalternatief` or a
//!   scenario), `level` (the arm itself; the nulalternatief has only this) or
//!   `difference` (scenario − nulalternatief, per draw, then summarised), the
//!   area (wijk) or `totaal`, the calendar year;
//! - `measure`, `chain`, `state`, `funder`, `taakveld`, `outcome`,
//!   `intervention`: what is counted and of what
//!   ([`crate::ledger::MeasureLabel`]); a part that does not apply is
//!   empty, so `prevalence` of chain `eenzaamheid`, state `ernstig` is found
//!   without splitting strings;
//! - `mean`, `sd`, `mcse`, then one column per quantile of the run (`p5`,
//!   `p25`, `p50`, `p75`, `p95` by default; P² estimates): empty when no
//!   draw had a value (a prevalence in a chain nobody is of age for).
//!
//! Rows come in arm order (nulalternatief, then per scenario its levels and
//! its differences), then area slot, measure (model order), year, so each
//! series' years are consecutive and the file is identical on any thread
//! count.

use super::csv::{close, csv_err, open};
use super::schema::{yearly_header, YEARLY_KEY_COLUMNS};
use super::{push_num, OutputError, RunDir, YEARLY_CSV};
use crate::ledger::MeasureLabel;
use crate::stats::quantile_label;
use crate::summary::{Stat, Summary};

/// Write `yearly.csv` from a finished summary.
pub fn write_yearly(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    write_csv(dir, summary)
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
    let (mut w, path) = open(dir, YEARLY_CSV, &header)?;
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
