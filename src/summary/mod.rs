//! Streaming summaries of a run: means, Monte Carlo standard errors and
//! quantiles, fed one draw at a time in draw order.
//!
//! Two kinds of results need different bookkeeping:
//!
//! - **Business-case metrics** (NPV, B/C ratio, …) are one number per draw per
//!   (scenario, area, metric). There are few of them, and users want exact
//!   quantiles and `P(NPV > 0)`, so every value is kept ([`Exact`]): memory is
//!   O(draws × metrics). The **per-arm totals** ([`crate::arms`]: each arm's
//!   own costs, outcomes and life-years over the horizon, per area slot) are
//!   kept the same way, computed from the draw's ledgers: O(draws × arms ×
//!   area slots × per-arm metrics), never × years.
//! - **Yearly series** (every ledger measure per arm, area and year, plus the
//!   difference scenario − nulalternatief) are far more numerous; storing every
//!   draw would not fit in memory on long runs, so each series keeps a
//!   [`Welford`] accumulator and one [`P2Quantile`](crate::stats::P2Quantile) sketch per requested
//!   quantile: memory is O(series), independent of the number of draws.
//!
//! Draws arrive in draw order whatever the number of threads (see
//! [`crate::runner`]), so order-dependent estimators such as P² give identical
//! results on any thread count.
//!
//! The yearly series dominate the cost (W-city: 174,150 series × 6
//! accumulators per draw), so they are summarised lazily and in bulk:
//!
//! - A series starts *constant* (or, for a scenario's level and for the city
//!   total of a one-area model, as a *follower* of the series it usually
//!   equals bit for bit) and costs one comparison per draw until a value
//!   breaks the pattern; only then are its accumulators built, by replaying
//!   the values seen so far. The final state is exactly that of pushing every
//!   value (`NaN` is missing either way), so outputs are unchanged; 41 % of
//!   the W-city series never vary and a further quarter follow the
//!   nulalternatief.
//! - [`DrawSink::push_chunk`] takes a whole chunk of draws: each (year,
//!   measure) column of series gets all of them while its accumulators are in
//!   cache, and fixed ranges of columns run in parallel on the run's pool.
//!   Per series the values still come in draw order, so the chunk size and
//!   the thread count cannot change a bit of the result.
//!
//! Missing values (`NaN`, e.g. a B/C ratio without costs) are skipped and
//! counted as missing; they never poison a mean.
//!
//! This module does no I/O.

use crate::arms::ArmLayout;
use crate::business::{self, MetricLayout};
use crate::ledger::{MeasureLabel, MeasureLayout};
use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
use crate::sim::Warnings;
use crate::stats::{normalise_quantiles, Exact, Welford};
use columns::{Column, ColumnShape, ValueLayout, COLUMNS_PER_TASK};
use compare::Comparer;

mod columns;
pub mod compare;

pub use compare::{Comparisons, Difference, RankEntry, Ranking};

pub use crate::stats::Histogram;

pub(crate) use crate::business::TOTAL_AREA;

/// The default quantiles reported (P5, P25, median, P75, P95: the P25–P75
/// band is the inner band of the report's fan charts).
pub const DEFAULT_QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Metrics whose [`Stat`] also carries a [`Histogram`] of the draws.
pub(crate) const HISTOGRAM_METRICS: [&str; 2] = ["npv", "npv_societal"];

/// Bins of those histograms.
pub(crate) const HISTOGRAM_BINS: usize = 30;

/// Metrics for which `P(x > 0)` is reported: net present values and net flows,
/// where "positive" means "the case pays off".
pub(crate) fn is_npv_like(metric: &str) -> bool {
    metric.starts_with("npv") || metric.starts_with("pv_net/") || metric == "net_undiscounted"
}

// ---------------------------------------------------------------------------
// Summariser
// ---------------------------------------------------------------------------

/// Summary statistics of one quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct Stat {
    /// Non-missing draws.
    pub n: u64,
    /// Draws where the quantity was undefined.
    pub missing: u64,
    /// Mean over the non-missing draws; `NaN` when there are none.
    pub mean: f64,
    /// Sample standard deviation over the draws.
    pub sd: f64,
    /// Monte Carlo standard error of the mean.
    pub mcse: f64,
    /// One value per [`Summary::quantiles`].
    pub quantiles: Vec<f64>,
    /// `P(x > 0)`, for NPV-like metrics only.
    pub p_positive: Option<f64>,
    /// Histogram of the draws, for `HISTOGRAM_METRICS` (`npv`, `npv_societal`) only (and only when
    /// some draw has a finite value).
    pub histogram: Option<Histogram>,
}

/// Level of an arm or its difference from the nulalternatief (the
/// `contrast` column of `yearly.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contrast {
    /// The arm itself (`level`).
    Level,
    /// The arm minus the nulalternatief (`difference`).
    Difference,
}

impl Contrast {
    /// The name in `yearly.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Contrast::Level => "level",
            Contrast::Difference => "difference",
        }
    }
}

/// A [`DrawSink`] that summarises a run.
///
/// Layout of the yearly series: contrast index `c` in `0..=S` is the level of
/// arm `c` (0 = nulalternatief, `1 + s` = scenario `s`); `c = 1 + S + s` is the
/// difference scenario `s` − nulalternatief. Then area slot (areas, then the
/// city total), year, yearly measure (ledger measures, then prevalences).
#[derive(Debug, Clone)]
pub struct Summariser {
    quantiles: Vec<f64>,
    scenarios: Vec<String>,
    areas: Vec<String>,
    metric_names: Vec<String>,
    ymeasure_names: Vec<String>,
    ymeasure_labels: Vec<MeasureLabel>,
    start_year: i32,
    n_years: usize,
    n_measures: usize,
    /// `(active measure, person-years measure)` of each prevalence, in order.
    prevalence: Vec<(usize, usize)>,
    metric_w: Vec<Welford>,
    metric_x: Vec<Exact>,
    /// The yearly series, one [`Column`] per (year, yearly measure), year-major.
    columns: Vec<Column>,
    /// Leaders and processing order of the series within every column.
    shape: ColumnShape,
    draws: u64,
    warnings: Warnings,
    icer_defs: Vec<(String, usize)>,
    pv_net_cost: usize,
    /// Scenarios compared with each other at the city total.
    comparer: Comparer,
    /// The per-arm metrics ([`crate::arms`]).
    arm_layout: ArmLayout,
    /// Per-arm totals `[arm][area slot][arm metric]` (arm 0 the
    /// nulalternatief): kept like the business-case metrics, one value per
    /// draw, for exact quantiles.
    arm_w: Vec<Welford>,
    arm_x: Vec<Exact>,
    /// The per-draw values of the decision analysis ([`crate::decision::analysis`]).
    decision: crate::decision::analysis::DecisionDraws,
    /// One draw's per-arm totals `[arm][area slot][arm metric]`, reused.
    draw_arms: Vec<f64>,
}

impl Summariser {
    /// A summariser for the model of `ctx`. `quantiles` must already be
    /// normalised (see [`normalise_quantiles`]); invalid entries are an error.
    pub fn new(ctx: &RunContext<'_>, quantiles: &[f64]) -> Result<Self, String> {
        let quantiles = normalise_quantiles(quantiles)?;
        let model = ctx.model;
        let n_scen = model.scenarios.len();
        let n_slots = ctx.n_area_slots();
        let n_years = model.settings.n_years();
        let ml: &MeasureLayout = &ctx.measures;
        let mut ymeasure_labels = ml.labels.clone();
        let mut prevalence = vec![];
        for (c, ch) in model.chains.iter().enumerate() {
            for (s, st) in ch.states.iter().enumerate() {
                ymeasure_labels.push(MeasureLabel::new("prevalence").chain(&ch.name).state(st));
                prevalence.push((ml.chain_active[c], ml.person_years[c][s]));
            }
        }
        let ymeasure_names: Vec<String> = ymeasure_labels.iter().map(MeasureLabel::name).collect();
        let areas = model.area_slot_labels();
        let shape = ColumnShape::new(n_scen, n_slots);
        let columns = vec![Column::new(&shape); n_years * ymeasure_names.len()];
        let ml_metrics: &MetricLayout = &ctx.metrics;
        let n_metric_cells = n_scen * n_slots * ml_metrics.len();
        let mut icer_defs = vec![
            ("cost_per_avoided_start".to_string(), business::AVOIDED_STARTS),
            ("cost_per_life_year_gained".to_string(), business::LIFE_YEARS_GAINED_PV),
        ];
        for (o, name) in model.outcomes.iter().enumerate() {
            icer_defs.push((format!("cost_per_{name}_gained"), ml_metrics.outcome_gained_pv[o]));
        }
        let arm_layout = ArmLayout::new(model);
        let n_arm_cells = (1 + n_scen) * n_slots * arm_layout.len();
        Ok(Summariser {
            quantiles,
            scenarios: model.scenarios.iter().map(|s| s.name.clone()).collect(),
            areas,
            metric_names: ml_metrics.names.clone(),
            ymeasure_names,
            ymeasure_labels,
            start_year: model.settings.start_year,
            n_years,
            n_measures: ml.len(),
            prevalence,
            metric_w: vec![Welford::new(); n_metric_cells],
            metric_x: vec![Exact::new(); n_metric_cells],
            columns,
            shape,
            draws: 0,
            warnings: Warnings::default(),
            icer_defs,
            pv_net_cost: business::PV_NET_COST,
            comparer: Comparer::new(n_scen, n_slots, ml_metrics),
            arm_layout,
            arm_w: vec![Welford::new(); n_arm_cells],
            arm_x: vec![Exact::new(); n_arm_cells],
            decision: crate::decision::analysis::DecisionDraws::new(model, n_slots),
            draw_arms: vec![0.0; n_arm_cells],
        })
    }

    /// The quantile levels estimated, sorted.
    pub fn quantiles(&self) -> &[f64] {
        &self.quantiles
    }

    fn n_slots(&self) -> usize {
        self.areas.len()
    }

    fn n_ym(&self) -> usize {
        self.ymeasure_names.len()
    }

    /// Finish the run: compute every statistic.
    pub fn finish(self) -> Summary {
        let n_metrics = self.metric_names.len();
        let metrics: Vec<Stat> = self
            .metric_w
            .iter()
            .zip(&self.metric_x)
            .enumerate()
            .map(|(i, (w, x))| Stat {
                n: w.count(),
                missing: w.missing(),
                mean: w.mean(),
                sd: w.sd(),
                mcse: w.mcse(),
                quantiles: x.quantiles(&self.quantiles),
                p_positive: is_npv_like(&self.metric_names[i % n_metrics.max(1)]).then(|| x.p_positive()),
                histogram: if HISTOGRAM_METRICS.contains(&self.metric_names[i % n_metrics.max(1)].as_str()) {
                    x.histogram(HISTOGRAM_BINS)
                } else {
                    None
                },
            })
            .collect();
        let n_slots = self.n_slots();
        let mut icers = Vec::with_capacity(self.scenarios.len() * n_slots);
        for s in 0..self.scenarios.len() {
            for a in 0..n_slots {
                let base = (s * n_slots + a) * n_metrics;
                let num = self.metric_w[base + self.pv_net_cost].mean();
                icers.push(
                    self.icer_defs
                        .iter()
                        .map(|(name, m)| {
                            let den = self.metric_w[base + m].mean();
                            let v = if den == 0.0 || !den.is_finite() { f64::NAN } else { num / den };
                            (name.clone(), v)
                        })
                        .collect(),
                );
            }
        }
        let arm_totals = self
            .arm_w
            .iter()
            .zip(&self.arm_x)
            .map(|(w, x)| Stat {
                n: w.count(),
                missing: w.missing(),
                mean: w.mean(),
                sd: w.sd(),
                mcse: w.mcse(),
                quantiles: x.quantiles(&self.quantiles),
                p_positive: None,
                histogram: None,
            })
            .collect();
        let mut arm_names = vec![crate::model::Model::BASELINE.to_string()];
        arm_names.extend(self.scenarios.iter().cloned());
        let decision = self.decision.finish();
        let (yearly_w, yearly_est) = self.yearly_finals();
        let total = n_slots - 1;
        let comparisons =
            self.comparer.finish(&self.quantiles, |s, m| self.metric_w[(s * n_slots + total) * n_metrics + m].mean());
        Summary {
            comparisons,
            quantiles: self.quantiles,
            draws: self.draws,
            warnings: self.warnings,
            scenarios: self.scenarios,
            areas: self.areas,
            metric_names: self.metric_names,
            metrics,
            icers,
            ymeasure_names: self.ymeasure_names,
            ymeasure_labels: self.ymeasure_labels,
            start_year: self.start_year,
            n_years: self.n_years,
            yearly_w,
            yearly_est,
            arm_names,
            arm_metric_names: self.arm_layout.names,
            arm_totals,
            decision,
        }
    }

    /// The final Welford state and quantile estimates of every yearly series,
    /// in [`Summary`]'s series order (contrast, slot, year, measure).
    fn yearly_finals(&self) -> (Vec<Welford>, Vec<f64>) {
        let (n_slots, ny, nym, k) = (self.n_slots(), self.n_years, self.n_ym(), self.quantiles.len());
        let n_series = self.shape.n_contrasts * n_slots * ny * nym;
        let mut ws = vec![Welford::new(); n_series];
        let mut est = vec![f64::NAN; n_series * k];
        for (col, column) in self.columns.iter().enumerate() {
            let (t, ym) = (col / nym, col % nym);
            for li in 0..column.states.len() {
                let i = (li * ny + t) * nym + ym;
                ws[i] = column.finals(&self.shape, li, self.draws, &self.quantiles, &mut est[i * k..(i + 1) * k]);
            }
        }
        (ws, est)
    }

    /// Check one draw against the model's layout.
    fn check(&self, r: &DrawResult) -> Result<(), SinkError> {
        let n_scen = self.scenarios.len();
        let n_areas = self.n_slots() - 1;
        let (ny, nm) = (self.n_years, self.n_measures);
        if r.metrics.len() != self.metric_w.len() || r.arms.len() != 1 + n_scen {
            return Err(SinkError(format!(
                "draw {}: {} arms and {} metrics, expected {} and {}",
                r.draw,
                r.arms.len(),
                r.metrics.len(),
                1 + n_scen,
                self.metric_w.len()
            )));
        }
        for l in &r.arms {
            if l.n_areas != n_areas || l.n_years != ny || l.n_measures != nm || l.data.len() != n_areas * ny * nm {
                return Err(SinkError(format!("draw {}: ledger shape does not match the model", r.draw)));
            }
        }
        Ok(())
    }

    /// Summarise checked draws (in draw order): metrics draw by draw, then
    /// the yearly series column by column, columns in parallel.
    fn push_checked(&mut self, ctx: &RunContext<'_>, results: &[DrawResult]) {
        use rayon::prelude::*;
        let mut arm_vals = vec![0.0; self.arm_layout.len()];
        for r in results {
            self.warnings.add(&r.warnings);
            for (i, &x) in r.metrics.iter().enumerate() {
                self.metric_w[i].push(x);
                self.metric_x[i].push(x);
            }
            self.comparer.push(&r.metrics);
            self.push_arms(ctx, r, &mut arm_vals);
        }
        let lay = ValueLayout {
            n_scen: self.scenarios.len(),
            n_slots: self.n_slots(),
            nm: self.n_measures,
            nym: self.n_ym(),
            prevalence: &self.prevalence,
        };
        let (shape, quantiles, first) = (&self.shape, &self.quantiles[..], self.draws);
        // Fixed ranges of columns: each range is independent, so the split
        // (and the number of threads) cannot change any result.
        self.columns.par_chunks_mut(COLUMNS_PER_TASK).enumerate().for_each(|(task, cols)| {
            let mut vals = vec![0.0; shape.len()];
            for (j, column) in cols.iter_mut().enumerate() {
                let col = task * COLUMNS_PER_TASK + j;
                let (t, ym) = (col / lay.nym, col % lay.nym);
                for (d, r) in results.iter().enumerate() {
                    lay.values(r, t, ym, &mut vals);
                    column.push(shape, &vals, first + d as u64, quantiles);
                }
            }
        });
        self.draws += results.len() as u64;
    }
}

impl Summariser {
    /// The per-arm totals of one draw: every arm, every area slot (the city
    /// total from the ledger's total over areas, as the business case takes it).
    fn push_arms(&mut self, ctx: &RunContext<'_>, r: &DrawResult, vals: &mut [f64]) {
        let (n_slots, k) = (self.n_slots(), self.arm_layout.len());
        for (arm, ledger) in r.arms.iter().enumerate() {
            for slot in 0..n_slots {
                let table = ledger.area_table(slot);
                crate::arms::totals(ctx.model, &ctx.measures, &self.arm_layout, table.view(), vals);
                let base = (arm * n_slots + slot) * k;
                for (j, &x) in vals.iter().enumerate() {
                    self.arm_w[base + j].push(x);
                    self.arm_x[base + j].push(x);
                }
                self.draw_arms[base..base + k].copy_from_slice(vals);
            }
        }
        self.decision.push(&self.arm_layout, &self.draw_arms, &r.metrics, self.metric_names.len(), &r.params);
    }
}

impl DrawSink for Summariser {
    fn push(&mut self, ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        self.push_chunk(ctx, std::slice::from_ref(r))
    }

    /// Summarise a chunk of draws: each column of series gets every draw of
    /// the chunk while its accumulators are in cache, columns in parallel on
    /// the run's pool. Per series the values still arrive in draw order, so
    /// the result is the same for any chunk size and thread count.
    fn push_chunk(&mut self, ctx: &RunContext<'_>, results: &[DrawResult]) -> Result<(), SinkError> {
        debug_assert_eq!(ctx.n_area_slots(), self.n_slots());
        // Draws before a malformed one are still summarised, as pushing one by one would.
        let bad = results.iter().position(|r| self.check(r).is_err()).unwrap_or(results.len());
        self.push_checked(ctx, &results[..bad]);
        match results.get(bad) {
            Some(r) => self.check(r),
            None => Ok(()),
        }
    }
}

/// The statistics of a finished run, ready for the writers.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Sorted quantile levels (the median is always among them).
    pub quantiles: Vec<f64>,
    /// Draws summarised.
    pub draws: u64,
    /// Probability repairs summed over draws.
    pub warnings: Warnings,
    /// Scenario names, in model order.
    pub scenarios: Vec<String>,
    /// Area labels by slot; the last is `TOTAL_AREA` (`totaal`).
    pub areas: Vec<String>,
    /// Business-case metric names, in metric-layout order.
    pub metric_names: Vec<String>,
    /// `[scenario][area slot][metric]`.
    pub metrics: Vec<Stat>,
    /// `[scenario][area slot]` → (name, ratio of means; `NaN` when the denominator mean is 0).
    pub icers: Vec<Vec<(String, f64)>>,
    /// Scenarios compared with each other at the city total (empty with one scenario).
    pub comparisons: Comparisons,
    /// Yearly measure names: ledger measures, then `prevalence/{chain}/{state}`.
    pub ymeasure_names: Vec<String>,
    /// The same measures split into their parts (the columns of the tidy yearly tables).
    pub ymeasure_labels: Vec<MeasureLabel>,
    /// First simulated calendar year.
    pub start_year: i32,
    /// Number of simulated years.
    pub n_years: usize,
    yearly_w: Vec<Welford>,
    /// `quantiles.len()` estimates per series.
    yearly_est: Vec<f64>,
    /// The arms of the per-arm results: `nulalternatief`, then the scenarios.
    pub arm_names: Vec<String>,
    /// Per-arm metric names ([`crate::arms::ArmLayout`]).
    pub arm_metric_names: Vec<String>,
    /// Per-arm totals `[arm][area slot][arm metric]` (see [`Summary::arm`]).
    pub arm_totals: Vec<Stat>,
    /// The decision analysis ([`crate::decision::analysis`]); `None` without a decision effect.
    pub decision: Option<crate::decision::analysis::DecisionSummary>,
}

/// Identifies one yearly series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct YearlyKey<'a> {
    /// The arm's name (`nulalternatief` or a scenario).
    pub scenario: &'a str,
    /// Level or difference from the nulalternatief.
    pub contrast: Contrast,
    /// Area (wijk) name or `totaal`.
    pub area: &'a str,
    /// Calendar year.
    pub year: i32,
    /// Yearly measure name.
    pub measure: &'a str,
    /// The measure's name in parts.
    pub label: &'a MeasureLabel,
}

impl Summary {
    /// The statistics of metric `metric` of scenario `scenario` in area slot `slot`.
    pub fn metric(&self, scenario: usize, slot: usize, metric: usize) -> &Stat {
        &self.metrics[(scenario * self.areas.len() + slot) * self.metric_names.len() + metric]
    }

    /// The cost-effectiveness ratios of scenario `scenario` in area slot `slot`.
    pub(crate) fn icers(&self, scenario: usize, slot: usize) -> &[(String, f64)] {
        &self.icers[scenario * self.areas.len() + slot]
    }

    /// Index of a metric by name.
    pub fn metric_index(&self, name: &str) -> Option<usize> {
        self.metric_names.iter().position(|n| n == name)
    }

    /// The statistics of per-arm metric `metric` of arm `arm` (0 = the
    /// nulalternatief, `1 + s` scenario `s`) in area slot `slot`.
    pub fn arm(&self, arm: usize, slot: usize, metric: usize) -> &Stat {
        &self.arm_totals[(arm * self.areas.len() + slot) * self.arm_metric_names.len() + metric]
    }

    /// Index of a per-arm metric by name.
    pub fn arm_metric_index(&self, name: &str) -> Option<usize> {
        self.arm_metric_names.iter().position(|n| n == name)
    }

    fn yearly_index(&self, contrast: usize, slot: usize, year: usize, ym: usize) -> usize {
        ((contrast * self.areas.len() + slot) * self.n_years + year) * self.ymeasure_names.len() + ym
    }

    fn yearly_stat_at(&self, i: usize) -> Stat {
        let w = &self.yearly_w[i];
        let k = self.quantiles.len();
        Stat {
            n: w.count(),
            missing: w.missing(),
            mean: w.mean(),
            sd: w.sd(),
            mcse: w.mcse(),
            quantiles: self.yearly_est[i * k..(i + 1) * k].to_vec(),
            p_positive: None,
            histogram: None,
        }
    }

    /// Statistics of a yearly series. `scenario` is `None` for the
    /// nulalternatief (whose only contrast is [`Contrast::Level`]).
    pub fn yearly(&self, scenario: Option<usize>, contrast: Contrast, slot: usize, year: usize, ym: usize) -> Stat {
        let n_scen = self.scenarios.len();
        let c = match (scenario, contrast) {
            (None, _) => 0,
            (Some(s), Contrast::Level) => 1 + s,
            (Some(s), Contrast::Difference) => 1 + n_scen + s,
        };
        self.yearly_stat_at(self.yearly_index(c, slot, year, ym))
    }

    /// Every yearly series in output order: the nulalternatief's levels, then
    /// for each scenario its levels and its differences; within each, area
    /// slot, measure, year (so each series' years are consecutive).
    pub(crate) fn yearly_series(&self) -> impl Iterator<Item = (YearlyKey<'_>, Stat)> + '_ {
        let n_scen = self.scenarios.len();
        let arms = std::iter::once((0usize, crate::model::Model::BASELINE, Contrast::Level)).chain(
            (0..n_scen).flat_map(move |s| {
                [
                    (1 + s, self.scenarios[s].as_str(), Contrast::Level),
                    (1 + n_scen + s, self.scenarios[s].as_str(), Contrast::Difference),
                ]
            }),
        );
        arms.flat_map(move |(c, name, contrast)| {
            (0..self.areas.len()).flat_map(move |slot| {
                (0..self.ymeasure_names.len()).flat_map(move |m| {
                    (0..self.n_years).map(move |t| {
                        let key = YearlyKey {
                            scenario: name,
                            contrast,
                            area: &self.areas[slot],
                            year: self.start_year + t as i32,
                            measure: &self.ymeasure_names[m],
                            label: &self.ymeasure_labels[m],
                        };
                        (key, self.yearly_stat_at(self.yearly_index(c, slot, t, m)))
                    })
                })
            })
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::columns::{materialise, push_full};
    use super::*;
    use crate::stats::P2Quantile;

    /// A model with one area, one two-state care chain, one outcome and one scenario,
    /// over two years: just enough structure for the summariser's layouts.
    pub(crate) fn tiny_model() -> crate::model::Model {
        use crate::model::*;
        Model {
            settings: Settings {
                start_year: 2025,
                horizon: 2,
                discount_costs: 0.0,
                discount_effects: 0.0,
                first_year_discounted: false,
                cycle_correction: CycleCorrection::None,
                mode: Mode::Cohort,
                rr_convention: RrConvention::Rate,
                max_age: 1,
                after_horizon: AfterHorizon::Cut,
                cycle_length: 1.0,
                cycle_weights: vec![],
                discount_timing: DiscountTiming::CycleStart,
            },
            params: ParamTable::default(),
            funders: vec!["gemeente".into()],
            taakvelden: vec![],
            accounts: vec![Account { funder: 0, taakveld: None }],
            outcomes: vec!["qaly".into()],
            base_outcome: vec![Value::Fixed(1.0)],
            sexes: 1,
            areas: ["Noord", "Zuid"]
                .iter()
                .map(|n| Area {
                    name: n.to_string(),
                    population: vec![vec![10.0, 10.0]],
                    demography: Demography { mortality: None, births: Births::None, male_birth_share: 0.5 },
                    net_migration: None,
                })
                .collect(),
            chains: vec![Chain {
                name: "ggz".into(),
                kind: ChainKind::Care,
                states: vec!["none".into(), "care".into()],
                rest_state: 0,
                death: vec![false, false],
                age_lo: 0,
                age_hi: 1,
                initial_rows: vec![Row::Entries(vec![RowEntry::Rest, RowEntry::Value(Value::Fixed(0.1))])],
                initial_for: vec![0; 4],
                matrices: vec![Matrix {
                    rows: vec![
                        Row::Entries(vec![RowEntry::Rest, RowEntry::Value(Value::Fixed(0.1))]),
                        Row::Entries(vec![RowEntry::Value(Value::Fixed(0.5)), RowEntry::Rest]),
                    ],
                }],
                matrix_for: vec![0; 4],
                state_costs: vec![vec![], vec![]],
                outcome_weights: vec![vec![Value::Fixed(1.0)], vec![Value::Fixed(0.8)]],
                social_value: vec![Value::Fixed(0.0), Value::Fixed(0.0)],
                transition_costs: vec![],
                period_of: vec![],
                lookup_sexes: 1,
                mortality_hr: vec![],
                stay_to: vec![0, 1],
            }],
            risk_factors: vec![],
            interventions: vec![],
            scenarios: vec![Scenario {
                name: "plus".into(),
                description: String::new(),
                interventions: vec![],
                sroi: Sroi::default(),
                pm: vec![],
            }],
            baseline_interventions: vec![],
            baseline_description: String::new(),
            valuation: vec![None],
            shadow_priced: vec![false],
            warnings: vec![],
            decision: Default::default(),
        }
    }

    #[test]
    fn summariser_levels_differences_prevalence_and_icers() {
        use crate::ledger::Ledger;
        use crate::runner::{DrawResult, RunContext};
        let model = tiny_model();
        let ctx = RunContext::new(&model).unwrap();
        let mut sum = Summariser::new(&ctx, &[0.05, 0.95]).unwrap();
        let ml = &ctx.measures;
        let (active, care) = (ml.chain_active[0], ml.person_years[0][1]);
        let n_metrics = ctx.metrics.len();
        for d in 0..4u64 {
            let x = d as f64;
            let mut base = Ledger::new(2, 2, ml.len());
            let mut scen = base.clone();
            for a in 0..2 {
                for t in 0..2 {
                    base.add(a, t, active, 20.0);
                    base.add(a, t, care, 4.0 + x);
                    scen.add(a, t, active, 20.0);
                    scen.add(a, t, care, 2.0 + x);
                }
            }
            // Zuid has nobody in the chain in year 1 of the scenario arm: prevalence 0, not NaN.
            *scen.row_mut(1, 1).get_mut(active).unwrap() = 0.0;
            *scen.row_mut(1, 1).get_mut(care).unwrap() = 0.0;
            let mut metrics = vec![0.0; 3 * n_metrics];
            for slot in 0..3 {
                let m = &mut metrics[slot * n_metrics..(slot + 1) * n_metrics];
                m[business::NPV] = x - 1.0; // -1, 0, 1, 2
                m[business::BCR] = if d == 0 { f64::NAN } else { x };
                m[business::PV_NET_COST] = 100.0;
                m[business::AVOIDED_STARTS] = 4.0;
                m[business::LIFE_YEARS_GAINED_PV] = 0.0;
                m[ctx.metrics.outcome_gained_pv[0]] = 2.0 * x; // mean 3
            }
            let r =
                DrawResult { draw: d, params: vec![], arms: vec![base, scen], metrics, warnings: Default::default() };
            sum.push(&ctx, &r).unwrap();
        }
        let s = sum.finish();
        assert_eq!(s.draws, 4);
        assert_eq!(s.quantiles, vec![0.05, 0.5, 0.95]);
        assert_eq!(s.areas, vec!["Noord", "Zuid", "totaal"]);
        let npv = s.metric(0, 2, business::NPV);
        assert_eq!(npv.mean, 0.5);
        assert_eq!(npv.quantiles[1], 0.5);
        assert_eq!(npv.p_positive, Some(0.5));
        let h = npv.histogram.as_ref().expect("npv has a histogram");
        assert_eq!((h.edges[0], h.edges[30], h.counts.iter().sum::<u64>()), (-1.0, 2.0, 4));
        assert!(s.metric(0, 2, business::BCR).histogram.is_none());
        let bcr = s.metric(0, 0, business::BCR);
        assert_eq!((bcr.n, bcr.missing, bcr.mean, bcr.p_positive), (3, 1, 2.0, None));
        let icers = s.icers(0, 2);
        assert_eq!(icers[0], ("cost_per_avoided_start".to_string(), 25.0));
        assert_eq!(icers[1].0, "cost_per_life_year_gained");
        assert!(icers[1].1.is_nan());
        assert_eq!(icers[2], ("cost_per_qaly_gained".to_string(), 100.0 / 3.0));

        let ym = |name: &str| s.ymeasure_names.iter().position(|n| n == name).unwrap();
        let py = ym("person_years/ggz/care");
        let prev = ym("prevalence/ggz/care");
        // Baseline Noord: 4 + d, mean 5.5; scenario − baseline = −2.
        assert_eq!(s.yearly(None, Contrast::Level, 0, 0, py).mean, 5.5);
        assert_eq!(s.yearly(Some(0), Contrast::Difference, 0, 0, py).mean, -2.0);
        assert_eq!(s.yearly(Some(0), Contrast::Difference, 0, 0, py).sd, 0.0);
        // City total is a sum over areas; prevalence of the total is a ratio of totals.
        assert_eq!(s.yearly(None, Contrast::Level, 2, 0, py).mean, 11.0);
        assert_eq!(s.yearly(None, Contrast::Level, 2, 0, prev).mean, 11.0 / 40.0);
        assert_eq!(s.yearly(Some(0), Contrast::Level, 1, 1, prev).mean, 0.0);
        // Year 1 scenario total: Noord only (2 + d) over 20 active.
        assert_eq!(s.yearly(Some(0), Contrast::Level, 2, 1, prev).mean, 3.5 / 20.0);
        let rows: Vec<_> = s.yearly_series().collect();
        assert_eq!(rows.len(), 3 * 3 * 2 * s.ymeasure_names.len());
        assert_eq!(rows[0].0.scenario, "nulalternatief");
        assert_eq!(rows[0].0.year, 2025);
        assert_eq!(rows.last().unwrap().0.contrast, Contrast::Difference);
        assert_eq!(rows.last().unwrap().0.area, "totaal");
    }

    /// Bits of a Welford state and quantile estimates, comparable with `==` even when `NaN`.
    fn bits(w: &Welford, est: &[f64]) -> Vec<u64> {
        let mut v = w.state_bits().to_vec();
        v.extend(est.iter().map(|e| e.to_bits()));
        v
    }

    /// The statistics of pushing every value into fresh accumulators.
    fn direct(xs: &[f64], qs: &[f64]) -> Vec<u64> {
        let mut w = Welford::new();
        let mut q: Vec<P2Quantile> = qs.iter().map(|&p| P2Quantile::new(p)).collect();
        for &x in xs {
            push_full(&mut w, &mut q, x);
        }
        bits(&w, &q.iter().map(P2Quantile::estimate).collect::<Vec<_>>())
    }

    /// Series that are constant, follow their leader, break away (early,
    /// after five values, late), carry `NaN`, `-0.0` and infinities: every
    /// lazy state ends exactly where pushing every value would.
    #[test]
    fn lazy_series_equal_pushing_every_value() {
        let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
        // One scenario, two slots (a single area and the total): six series,
        // followers at depth one and two.
        let shape = ColumnShape::new(1, 2);
        assert_eq!(shape.leader, vec![None, Some(0), Some(0), Some(2), None, Some(4)]);
        let n_draws = 40;
        const NAN: f64 = f64::NAN;
        type Pattern = Box<dyn Fn(usize) -> [f64; 6]>;
        let patterns: Vec<Pattern> = vec![
            // Everything constant, a NaN now and then.
            Box::new(|d| if d % 7 == 3 { [NAN; 6] } else { [2.5, 2.5, 2.5, 2.5, 0.0, 0.0] }),
            // Followers break away at different draws; the leader changes at draw 9.
            Box::new(|d| {
                let b = if d < 9 { 1.0 } else { d as f64 * 0.37 % 3.0 };
                [b, if d < 3 { b } else { b + 1.0 }, if d < 20 { b } else { -b }, b, (d as f64).sin(), -0.0]
            }),
            // -0.0 then 0.0, infinities, a late break of a long constant.
            Box::new(|d| {
                let z = if d < 10 { -0.0 } else { 0.0 };
                let inf = if d % 11 == 5 { f64::INFINITY } else { 1e300 };
                [z, z, inf, inf, if d == 35 { 7.0 } else { 3.0 }, if d < 38 { -1.0 } else { NAN }]
            }),
            // Follower equal to the leader in value but not in the sign of zero.
            Box::new(|d| if d % 2 == 0 { [0.0, -0.0, 0.0, 0.0, 1.0, 1.0] } else { [1.0; 6] }),
        ];
        for (pi, pat) in patterns.iter().enumerate() {
            for n in [0, 1, 3, 5, 6, 17, n_draws] {
                let mut col = Column::new(&shape);
                for d in 0..n {
                    col.push(&shape, &pat(d), d as u64, &qs);
                }
                for li in 0..6 {
                    let mut est = vec![0.0; qs.len()];
                    let w = col.finals(&shape, li, n as u64, &qs, &mut est);
                    let xs: Vec<f64> = (0..n).map(|d| pat(d)[li]).collect();
                    assert_eq!(bits(&w, &est), direct(&xs, &qs), "pattern {pi}, {n} draws, series {li}");
                }
            }
        }
    }

    /// The O(1) state of a constant series is the replayed one, bit for bit,
    /// wherever the shortcut claims it.
    #[test]
    fn constant_shortcut_is_the_replay() {
        let qs = [0.05, 0.5, 0.95];
        for c in [0.0, -0.0, 1.0, -3.25, 1e300, -1e-310, 5e-324, f64::INFINITY, f64::NEG_INFINITY, 123456.789] {
            for n in [0u64, 1, 2, 4, 5, 6, 7, 50, 1000] {
                let (w, q) = materialise(c, n, 3, &qs);
                let est: Vec<f64> = q.iter().map(P2Quantile::estimate).collect();
                if let Some(fast) = Welford::constant(c, n, 3) {
                    let fast_est = vec![if n == 0 { f64::NAN } else { c }; qs.len()];
                    assert_eq!(bits(&fast, &fast_est), bits(&w, &est), "c = {c:e}, n = {n}");
                }
                let xs: Vec<f64> = (0..n).map(|_| c).chain([f64::NAN; 3]).collect();
                assert_eq!(bits(&w, &est), direct(&xs, &qs), "replay of c = {c:e}, n = {n}");
            }
        }
    }

    /// Deterministic varied draws for the tiny model: some measures vary,
    /// some are constant, the scenario arm equals the nulalternatief in some
    /// measures and years, metrics are sometimes missing.
    fn tiny_draws(ctx: &RunContext<'_>, n: u64) -> Vec<DrawResult> {
        use crate::ledger::Ledger;
        let ml = &ctx.measures;
        (0..n)
            .map(|d| {
                let x = ((d * 7919) % 101) as f64 / 7.0;
                let mut base = Ledger::new(2, 2, ml.len());
                for a in 0..2 {
                    for t in 0..2 {
                        for m in 0..ml.len() {
                            let v = match m % 4 {
                                0 => 5.0,
                                1 => x + (a + t) as f64,
                                2 => (x * m as f64).sin(),
                                _ => 0.0,
                            };
                            base.add(a, t, m, v);
                        }
                    }
                }
                let mut scen = base.clone();
                for m in 0..ml.len() {
                    if m % 3 == 1 && d > 4 {
                        scen.add(1, 1, m, 0.5 * x);
                    }
                }
                let metrics = (0..3 * ctx.metrics.len())
                    .map(|i| if (i as u64 + d).is_multiple_of(13) { f64::NAN } else { x * i as f64 })
                    .collect();
                DrawResult { draw: d, params: vec![], arms: vec![base, scen], metrics, warnings: Default::default() }
            })
            .collect()
    }

    /// Everything a finished summary reports, as bits.
    fn summary_bits(s: &Summary) -> Vec<u64> {
        let stat = |st: &Stat| {
            let mut v = vec![st.n, st.missing, st.mean.to_bits(), st.sd.to_bits(), st.mcse.to_bits()];
            v.extend(st.quantiles.iter().map(|q| q.to_bits()));
            v
        };
        let mut v: Vec<u64> = s.metrics.iter().flat_map(stat).collect();
        v.extend(s.yearly_series().flat_map(|(_, st)| stat(&st)));
        v.extend(s.arm_totals.iter().flat_map(stat));
        v
    }

    /// One draw at a time, one chunk, uneven chunks and one or two threads
    /// give the same summary, bit for bit.
    #[test]
    fn chunks_and_threads_do_not_change_the_summary() {
        let model = tiny_model();
        let ctx = RunContext::new(&model).unwrap();
        let draws = tiny_draws(&ctx, 30);
        let run = |threads: usize, chunks: &[usize]| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut s = Summariser::new(&ctx, &DEFAULT_QUANTILES).unwrap();
            let mut rest = &draws[..];
            let mut i = 0;
            while !rest.is_empty() {
                let k = chunks[i % chunks.len()].min(rest.len());
                pool.install(|| s.push_chunk(&ctx, &rest[..k])).unwrap();
                rest = &rest[k..];
                i += 1;
            }
            summary_bits(&s.finish())
        };
        let one_by_one = {
            let mut s = Summariser::new(&ctx, &DEFAULT_QUANTILES).unwrap();
            for r in &draws {
                s.push(&ctx, r).unwrap();
            }
            summary_bits(&s.finish())
        };
        assert_eq!(run(1, &[30]), one_by_one);
        assert_eq!(run(2, &[30]), one_by_one);
        assert_eq!(run(2, &[1, 7, 3]), one_by_one);
        assert_eq!(run(1, &[16]), one_by_one);
    }

    /// Against the straightforward summary: every series value pushed into
    /// its own accumulators (levels, totals, prevalences and differences
    /// computed as rows, as the summariser did before it became lazy).
    #[test]
    fn lazy_summary_equals_eager_pushing() {
        let model = tiny_model();
        let ctx = RunContext::new(&model).unwrap();
        let draws = tiny_draws(&ctx, 25);
        let mut s = Summariser::new(&ctx, &DEFAULT_QUANTILES).unwrap();
        s.push_chunk(&ctx, &draws).unwrap();
        let (n_slots, ny, nym, nm) = (s.n_slots(), s.n_years, s.n_ym(), s.n_measures);
        let prevalence = s.prevalence.clone();
        let sum = s.finish();
        let qs = &sum.quantiles;
        let block = n_slots * ny * nym;
        let mut values: Vec<Vec<f64>> = vec![vec![]; 3 * block];
        for r in &draws {
            let mut rows = vec![0.0; 2 * block];
            for (arm, l) in r.arms.iter().enumerate() {
                for slot in 0..n_slots {
                    for t in 0..ny {
                        let o = ((arm * n_slots + slot) * ny + t) * nym;
                        let row = &mut rows[o..o + nym];
                        for a in 0..n_slots - 1 {
                            if slot == a || slot == n_slots - 1 {
                                for (d, x) in row[..nm].iter_mut().zip(l.row(a, t)) {
                                    *d += x;
                                }
                            }
                        }
                        for (k, &(active, py)) in prevalence.iter().enumerate() {
                            row[nm + k] = if row[active] == 0.0 { 0.0 } else { row[py] / row[active] };
                        }
                    }
                }
            }
            for j in 0..block {
                values[j].push(rows[j]);
                values[block + j].push(rows[block + j]);
                values[2 * block + j].push(rows[block + j] - rows[j]);
            }
        }
        for (i, xs) in values.iter().enumerate() {
            let st = sum.yearly_stat_at(i);
            let mut w = Welford::new();
            let mut q: Vec<P2Quantile> = qs.iter().map(|&p| P2Quantile::new(p)).collect();
            xs.iter().for_each(|&x| push_full(&mut w, &mut q, x));
            let want: Vec<u64> = [w.mean(), w.sd(), w.mcse()]
                .into_iter()
                .chain(q.iter().map(P2Quantile::estimate))
                .map(f64::to_bits)
                .collect();
            let got: Vec<u64> = [st.mean, st.sd, st.mcse].into_iter().chain(st.quantiles).map(f64::to_bits).collect();
            assert_eq!((st.n, got), (w.count(), want), "series {i}");
        }
    }
}
