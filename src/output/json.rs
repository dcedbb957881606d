//! `summary.json`: the machine-readable summary of a run.
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "engine": { "name": "wijkimpact", "version": "0.1.0" },
//!   "run": { "seed": 1, "draws": 1000, "mode": "cohort",
//!            "start_year": 2025, "horizon": 10, "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95] },
//!   "warnings": { "rescaled_rows": 0, "negative_rest": 0 },
//!   "scenarios": {
//!     "<scenario>": {
//!       "description": "…",
//!       "areas": {
//!         "<area>" | "totaal": {
//!           "metrics": {
//!             "<metric>": { "n": 1000, "missing": 0, "mean": …, "sd": …, "mcse": …,
//!                           "quantiles": { "p5": …, "p25": …, "p50": …, "p75": …, "p95": … },
//!                           "p_positive": …,  // NPV-like metrics only
//!                           "histogram": {    // npv and npv_incl_social only
//!                             "edges": [31 numbers], "counts": [30 whole numbers] }
//!             }, …
//!           },
//!           "icers": { "cost_per_avoided_start": …, "cost_per_life_year_gained": …,
//!                      "cost_per_<outcome>_gained": … }
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

use super::{finite, OutputError, RunDir, SUMMARY_JSON};
use crate::model::Model;
use crate::sim::Warnings;
use crate::stats::{quantile_label, Histogram};
use crate::summary::{Stat, Summary};
use serde::ser::SerializeMap;
use serde::Serialize;

/// Format version of `summary.json` and `manifest.json`; bumped on breaking changes.
pub const FORMAT_VERSION: u32 = 1;

/// A JSON object that keeps insertion order (serde_json's map sorts keys).
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
pub struct EngineInfo {
    pub name: &'static str,
    pub version: &'static str,
}

impl EngineInfo {
    pub fn current() -> Self {
        EngineInfo { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") }
    }
}

#[derive(Serialize)]
pub struct WarningsJson {
    pub rescaled_rows: u64,
    pub negative_rest: u64,
}

impl From<&Warnings> for WarningsJson {
    fn from(w: &Warnings) -> Self {
        WarningsJson { rescaled_rows: w.rescaled_rows, negative_rest: w.negative_rest }
    }
}

/// The run settings that determine the numbers (no thread count, no timing).
#[derive(Serialize)]
struct RunJson<'a> {
    seed: u64,
    draws: u64,
    mode: &'a str,
    start_year: i32,
    horizon: usize,
    quantiles: &'a [f64],
}

#[derive(Serialize)]
struct StatJson {
    n: u64,
    missing: u64,
    mean: Option<f64>,
    sd: Option<f64>,
    mcse: Option<f64>,
    quantiles: Ordered<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p_positive: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    histogram: Option<Option<HistogramJson>>,
}

#[derive(Serialize)]
struct HistogramJson {
    edges: Vec<Option<f64>>,
    counts: Vec<u64>,
}

impl From<&Histogram> for HistogramJson {
    fn from(h: &Histogram) -> Self {
        HistogramJson { edges: h.edges.iter().map(|&x| finite(x)).collect(), counts: h.counts.clone() }
    }
}

/// `with_histogram`: the metric is one of `summary::HISTOGRAM_METRICS`, so its
/// `histogram` key is written (`null` without values).
fn stat_json(st: &Stat, labels: &[String], with_histogram: bool) -> StatJson {
    StatJson {
        n: st.n,
        missing: st.missing,
        mean: finite(st.mean),
        sd: finite(st.sd),
        mcse: finite(st.mcse),
        quantiles: Ordered(labels.iter().cloned().zip(st.quantiles.iter().map(|&q| finite(q))).collect()),
        p_positive: st.p_positive.map(finite),
        histogram: with_histogram.then(|| st.histogram.as_ref().map(HistogramJson::from)),
    }
}

#[derive(Serialize)]
struct AreaJson {
    metrics: Ordered<StatJson>,
    icers: Ordered<Option<f64>>,
}

#[derive(Serialize)]
struct ScenarioJson {
    description: String,
    areas: Ordered<AreaJson>,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    format_version: u32,
    engine: EngineInfo,
    run: RunJson<'a>,
    warnings: WarningsJson,
    scenarios: Ordered<ScenarioJson>,
}

/// The JSON text of `summary.json` (pretty-printed, newline-terminated).
pub fn summary_json(summary: &Summary, model: &Model, seed: u64, mode: &str) -> Result<String, OutputError> {
    let labels: Vec<String> = summary.quantiles.iter().map(|&p| quantile_label(p)).collect();
    let scenarios = summary
        .scenarios
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let areas = summary
                .areas
                .iter()
                .enumerate()
                .map(|(a, area)| {
                    let metrics = summary
                        .metric_names
                        .iter()
                        .enumerate()
                        .map(|(m, mn)| {
                            let with_histogram = crate::summary::HISTOGRAM_METRICS.contains(&mn.as_str());
                            (mn.clone(), stat_json(summary.metric(s, a, m), &labels, with_histogram))
                        })
                        .collect();
                    let icers = summary.icers(s, a).iter().map(|(n, v)| (n.clone(), finite(*v))).collect();
                    (area.clone(), AreaJson { metrics: Ordered(metrics), icers: Ordered(icers) })
                })
                .collect();
            let description = model.scenarios.get(s).map(|sc| sc.description.clone()).unwrap_or_default();
            (name.clone(), ScenarioJson { description, areas: Ordered(areas) })
        })
        .collect();
    let doc = SummaryJson {
        format_version: FORMAT_VERSION,
        engine: EngineInfo::current(),
        run: RunJson {
            seed,
            draws: summary.draws,
            mode,
            start_year: summary.start_year,
            horizon: summary.n_years,
            quantiles: &summary.quantiles,
        },
        warnings: (&summary.warnings).into(),
        scenarios: Ordered(scenarios),
    };
    let mut s = serde_json::to_string_pretty(&doc).map_err(|e| OutputError::Other(e.to_string()))?;
    s.push('\n');
    Ok(s)
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
