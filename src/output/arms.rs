//! `arms.csv`: the per-arm totals of `summary.json`'s `arms` as one tidy
//! table, always written (like `summary.csv`, whatever `--format`):
//!
//! `arm,area,metric,n,missing,mean,sd,mcse,p5,…`
//!
//! One row per arm (`nulalternatief`, then the scenarios in model order) ×
//! area slot (areas, then `totaal`) × per-arm metric (see [`crate::arms`]), in
//! that order. The same numbers as `summary.json`, as shortest round-trip
//! text; a missing value is an empty cell.

use super::csv::{close, csv_err, open};
use super::rundir::RunDir;
use super::schema::{arms_header, ARMS_CSV};
use super::{push_num, OutputError};
use crate::stats::quantile_label;
use crate::summary::Summary;

/// Write `arms.csv` (see the module docs).
pub fn write_arms_csv(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    let labels: Vec<String> = summary.quantiles.iter().map(|&p| quantile_label(p)).collect();
    let (mut w, path) = open(dir, ARMS_CSV, &arms_header(&labels))?;
    let mut cells: Vec<String> = vec![];
    for (arm, arm_name) in summary.arm_names.iter().enumerate() {
        for (a, area) in summary.areas.iter().enumerate() {
            for (m, metric) in summary.arm_metric_names.iter().enumerate() {
                let st = summary.arm(arm, a, m);
                cells.clear();
                cells.extend([
                    arm_name.clone(),
                    area.clone(),
                    metric.clone(),
                    st.n.to_string(),
                    st.missing.to_string(),
                ]);
                for x in [st.mean, st.sd, st.mcse].into_iter().chain(st.quantiles.iter().copied()) {
                    let mut c = String::new();
                    push_num(&mut c, x);
                    cells.push(c);
                }
                w.write_record(&cells).map_err(|e| csv_err(&path, e))?;
            }
        }
    }
    close(w, &path)
}
