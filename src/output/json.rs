//! `summary.json`: the machine-readable summary of a run.
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "engine": { "name": "wijkimpact", "version": "0.1.0" },
//!   "run": { "seed": 1, "draws": 1000, "mode": "cohort",
//!            "start_year": 2025, "horizon": 10, "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95] },
//!   "warnings": { "rescaled_rows": 0, "negative_rest": 0 },
//!   "nulalternatief": { "description": "…", "interventions": ["<intervention>", …] },
//!   "scenarios": {
//!     "<scenario>": {
//!       "description": "…",
//!       "pm": ["<effect named but not valued in money>", …],
//!       "areas": {
//!         "<area>" | "totaal": {
//!           "metrics": {
//!             "<metric>": { "n": 1000, "missing": 0, "mean": …, "sd": …, "mcse": …,
//!                           "quantiles": { "p5": …, "p25": …, "p50": …, "p75": …, "p95": … },
//!                           "p_positive": …,  // NPV-like metrics only
//!                           "histogram": {    // npv and npv_societal only
//!                             "edges": [31 numbers], "counts": [30 whole numbers] }
//!             }, …
//!           },
//!           "icers": { "cost_per_avoided_start": …, "cost_per_life_year_gained": …,
//!                      "cost_per_<outcome>_gained": … }
//!         }, …
//!       }
//!     }, …
//!   },
//!   "ranking": {                 // empty with one scenario
//!     "npv" | "npv_societal": { "area": "totaal", "n": 1000,
//!       "scenarios": [ { "scenario": "…", "mean": …, "p_best": …, "mean_rank": … }, … ] }
//!   },
//!   "differences": [             // every pair, A before B in file order; empty with one scenario
//!     { "a": "…", "b": "…", "area": "totaal",
//!       "metrics": { "npv" | "npv_societal" | "pv_benefits" | "pv_intervention_costs"
//!                    | "pv_net/<account>": { <as a metric>, "p_positive": P(A − B > 0) } } }, …
//!   ],
//!   "arms": {                    // every arm's own totals over the horizon (see crate::arms)
//!     "nulalternatief" | "<scenario>": {
//!       "areas": {
//!         "<area>" | "totaal": {
//!           "costs" | "costs_pv" | "care_costs" | … | "outcome/<outcome>" | "costs_pv/<account>" | …:
//!             { "n": …, "missing": 0, "mean": …, "sd": …, "mcse": …, "quantiles": { "p5": …, … } }
//!         }, …
//!       }
//!     }, …
//!   }
//! }
//! ```
//!
//! Objects keep model order (scenarios, areas then `totaal`, metrics). Missing
//! numbers are `null`. A histogram has 30 equal-width bins from the smallest
//! to the largest draw (one bin, two equal edges, when every draw has the
//! same value; `null` when no draw has a value); bin `i` counts the draws in
//! `[edges[i], edges[i+1])`, the last bin closed; the counts sum to `n`. ICERs are ratios of means, mean(pv_net_cost) /
//! mean(denominator), `null` when the denominator's mean is 0. Nothing in this
//! file depends on the thread count or the clock, so two runs with the same
//! input, seed and draws give byte-identical files.

use super::schema::{
    AreaFile, ArmFile, DifferenceFile, EngineFile, NulalternatiefFile, RankFile, RankingFile, RunFile, ScenarioFile,
    StatFile, SummaryFile,
};
use super::{finite, OutputError, RunDir, SUMMARY_JSON};
use crate::model::Model;
use crate::stats::{quantile_label, Histogram};
use crate::summary::{Stat, Summary, HISTOGRAM_METRICS, TOTAL_AREA};

pub use super::schema::FORMAT_VERSION;

/// `with_histogram`: the metric is one of [`HISTOGRAM_METRICS`], so its
/// `histogram` key is written (`null` without values).
fn stat_file(st: &Stat, labels: &[String], with_histogram: bool) -> StatFile {
    let no_bins = || Histogram { edges: vec![], counts: vec![] };
    StatFile {
        n: st.n,
        missing: st.missing,
        mean: finite(st.mean),
        sd: finite(st.sd),
        mcse: finite(st.mcse),
        quantiles: labels.iter().cloned().zip(st.quantiles.iter().map(|&q| finite(q))).collect(),
        // serde_json writes a NaN share as `null`.
        p_positive: st.p_positive,
        histogram: with_histogram.then(|| st.histogram.clone().unwrap_or_else(no_bins)),
    }
}

/// The contents of `summary.json`.
pub(crate) fn summary_file(summary: &Summary, model: &Model, seed: u64, mode: &str) -> SummaryFile {
    let labels: Vec<String> = summary.quantiles.iter().map(|&p| quantile_label(p)).collect();
    let area = |s: usize, a: usize| {
        let metrics = summary.metric_names.iter().enumerate().map(|(m, mn)| {
            let with_histogram = HISTOGRAM_METRICS.contains(&mn.as_str());
            (mn.clone(), stat_file(summary.metric(s, a, m), &labels, with_histogram))
        });
        let icers = summary.icers(s, a).iter().map(|(n, v)| (n.clone(), finite(*v)));
        AreaFile { metrics: metrics.collect(), icers: icers.collect() }
    };
    let scenarios = summary.scenarios.iter().enumerate().map(|(s, name)| {
        let areas = summary.areas.iter().enumerate().map(|(a, name)| (name.clone(), area(s, a))).collect();
        let description = model.scenarios.get(s).map(|sc| sc.description.clone()).unwrap_or_default();
        let pm = if s < model.scenarios.len() { model.scenario_pm(s) } else { vec![] };
        (name.clone(), ScenarioFile { description, pm, areas })
    });
    let cmp = &summary.comparisons;
    let ranking = cmp.ranking.iter().map(|r| {
        let scenarios = r.entries.iter().map(|e| RankFile {
            scenario: summary.scenarios[e.scenario].clone(),
            mean: finite(e.mean),
            p_best: finite(e.p_best),
            mean_rank: finite(e.mean_rank),
        });
        let file = RankingFile { area: TOTAL_AREA.to_string(), n: r.n, scenarios: scenarios.collect() };
        (summary.metric_names[r.metric].clone(), file)
    });
    let differences = cmp.differences.iter().map(|d| DifferenceFile {
        a: summary.scenarios[d.a].clone(),
        b: summary.scenarios[d.b].clone(),
        area: TOTAL_AREA.to_string(),
        metrics: d
            .stats
            .iter()
            .map(|(m, st)| (summary.metric_names[*m].clone(), stat_file(st, &labels, false)))
            .collect(),
    });
    let arms = summary.arm_names.iter().enumerate().map(|(arm, name)| {
        let areas = summary.areas.iter().enumerate().map(|(a, area)| {
            let stats = summary.arm_metric_names.iter().enumerate();
            (
                area.clone(),
                stats.map(|(m, mn)| (mn.clone(), stat_file(summary.arm(arm, a, m), &labels, false))).collect(),
            )
        });
        (name.clone(), ArmFile { areas: areas.collect() })
    });
    let nulalternatief = NulalternatiefFile {
        description: model.baseline_description.clone(),
        interventions: model.baseline_interventions.iter().map(|&i| model.interventions[i].name.clone()).collect(),
    };
    SummaryFile {
        format_version: FORMAT_VERSION,
        engine: EngineFile::current(),
        run: RunFile {
            seed,
            draws: summary.draws,
            mode: mode.to_string(),
            start_year: summary.start_year,
            horizon: summary.n_years,
            quantiles: summary.quantiles.clone(),
        },
        warnings: (&summary.warnings).into(),
        nulalternatief,
        scenarios: scenarios.collect(),
        ranking: ranking.collect(),
        differences: differences.collect(),
        arms: arms.collect(),
        decision: summary.decision.as_ref().map(|d| super::decision::decision_file(d, &summary.areas)),
    }
}

/// Pretty-printed, newline-terminated JSON text of a file of the run directory.
pub(crate) fn pretty<T: serde::Serialize>(doc: &T) -> Result<String, OutputError> {
    let mut s = serde_json::to_string_pretty(doc).map_err(|e| OutputError::Other(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// The JSON text of `summary.json` (pretty-printed, newline-terminated).
pub(crate) fn summary_json(summary: &Summary, model: &Model, seed: u64, mode: &str) -> Result<String, OutputError> {
    pretty(&summary_file(summary, model, seed, mode))
}

/// Write `summary.json` into the run directory.
pub fn write_summary(
    dir: &mut RunDir,
    summary: &Summary,
    model: &Model,
    seed: u64,
    mode: &str,
) -> Result<(), OutputError> {
    let text = summary_json(summary, model, seed, mode)?;
    dir.write_file(SUMMARY_JSON, text.as_bytes())
}
