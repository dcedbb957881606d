//! `comparisons.csv`: the scenarios compared with each other at the city total,
//! one tidy table, always written (like `summary.csv`, whatever `--format`):
//!
//! `comparison,scenario_a,scenario_b,area,metric,statistic,value`
//!
//! - `comparison = ranking`: one row per ranked metric (`npv`, then metric 6,
//!   the NPV with social value) × scenario (best mean first) × statistic
//!   `n`, `mean`, `p_best`, `mean_rank`; `scenario_b` is empty.
//! - `comparison = difference`: one row per pair (A before B in file order) ×
//!   compared metric × statistic `n`, `missing`, `mean`, `sd`, `mcse`, one per
//!   quantile (`p5`, …), `p_positive` (= P(A − B > 0)), of the per-draw
//!   difference A − B.
//!
//! The same numbers as `summary.json`'s `ranking` and `differences`, as
//! shortest round-trip text; a missing value is an empty cell. With one
//! scenario the file holds only its header.

use super::csv::{close, csv_err, open};
use super::rundir::RunDir;
use super::schema::{COMPARISONS_CSV, COMPARISONS_HEADER};
use super::{push_num, OutputError};
use crate::stats::quantile_label;
use crate::summary::{Summary, TOTAL_AREA};

/// Write `comparisons.csv` (see the module docs).
pub fn write_comparisons_csv(dir: &mut RunDir, summary: &Summary) -> Result<(), OutputError> {
    let (mut w, path) = open(dir, COMPARISONS_CSV, &COMPARISONS_HEADER)?;
    let labels: Vec<String> = summary.quantiles.iter().map(|&p| quantile_label(p)).collect();
    let mut write = |key: [&str; 5], stat: &str, x: f64| {
        let mut v = String::new();
        push_num(&mut v, x);
        let mut row: Vec<&str> = key.to_vec();
        row.extend([stat, v.as_str()]);
        w.write_record(&row).map_err(|e| csv_err(&path, e))
    };
    let cmp = &summary.comparisons;
    for r in &cmp.ranking {
        let metric = summary.metric_names[r.metric].as_str();
        for e in &r.entries {
            let key = ["ranking", summary.scenarios[e.scenario].as_str(), "", TOTAL_AREA, metric];
            for (stat, x) in [("n", r.n as f64), ("mean", e.mean), ("p_best", e.p_best), ("mean_rank", e.mean_rank)] {
                write(key, stat, x)?;
            }
        }
    }
    for d in &cmp.differences {
        let (a, b) = (summary.scenarios[d.a].as_str(), summary.scenarios[d.b].as_str());
        for (m, st) in &d.stats {
            let key = ["difference", a, b, TOTAL_AREA, summary.metric_names[*m].as_str()];
            let fixed = [
                ("n", st.n as f64),
                ("missing", st.missing as f64),
                ("mean", st.mean),
                ("sd", st.sd),
                ("mcse", st.mcse),
            ];
            for (stat, x) in fixed {
                write(key, stat, x)?;
            }
            for (label, &q) in labels.iter().zip(&st.quantiles) {
                write(key, label, q)?;
            }
            write(key, "p_positive", st.p_positive.unwrap_or(f64::NAN))?;
        }
    }
    close(w, &path)
}
