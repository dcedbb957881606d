//! Scenarios compared with each other at the city total: a ranking per ranked
//! metric (mean, chance of being the best, mean rank) and, for every pair of
//! scenarios, the statistics of the per-draw difference A − B.
//!
//! Every scenario is simulated in a draw with the same parameters and common
//! random numbers, so A − B is computed draw by draw from the business-case
//! metrics the run already summarises (the `metrics` of each
//! [`DrawResult`](crate::runner::DrawResult)), not from the two
//! distributions. The accumulators are those of the business-case metrics:
//! a [`Welford`] for mean, sd and MCSE and an [`Exact`] for quantiles and
//! `P(A − B > 0)`, so memory grows with draws × pairs × compared metrics,
//! never with years. The ranking keeps counters only.

use super::Stat;
use crate::business::{self, MetricLayout};
use crate::stats::{Exact, Welford};

/// Metrics scenarios are ranked on: the financieel NPV and the
/// maatschappelijk NPV (cash plus welfare valued in money).
pub const RANKED_METRICS: [usize; 2] = [business::NPV, business::NPV_SOCIETAL];

/// The metrics whose differences A − B are summarised: the two ranked ones,
/// the present values of benefits and intervention costs, then the net
/// present value of every account (funder/taakveld, `pv_net/…`).
pub fn difference_metrics(layout: &MetricLayout) -> Vec<usize> {
    let fixed = [business::NPV, business::NPV_SOCIETAL, business::PV_BENEFITS, business::PV_INTERVENTION_COSTS];
    fixed.into_iter().chain(layout.pv_net_by_account.iter().copied()).collect()
}

/// One scenario's place in a [`Ranking`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankEntry {
    /// Index of the scenario in model order.
    pub scenario: usize,
    /// Mean of the metric over the draws (as in the scenario's own summary).
    pub mean: f64,
    /// Share of the draws in which the scenario has the highest value (ties split equally).
    pub p_best: f64,
    /// Mean rank over the draws, 1 = best (ties get the mean of their ranks).
    pub mean_rank: f64,
}

/// The scenarios ranked on one metric at the city total, best mean first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Metric index (into the metric layout).
    pub metric: usize,
    /// Draws in which every scenario had a value (the others are not ranked).
    pub n: u64,
    /// One entry per scenario, ordered by mean, highest first (file order among equal means).
    pub entries: Vec<RankEntry>,
}

/// The statistics of A − B for one pair of scenarios at the city total.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Index of scenario A (the earlier in file order).
    pub a: usize,
    /// Index of scenario B.
    pub b: usize,
    /// `(metric index, statistics of A − B)`, in [`difference_metrics`] order;
    /// `p_positive` is `P(A − B > 0)`.
    pub stats: Vec<(usize, Stat)>,
}

/// The comparisons of a run: empty with fewer than two scenarios.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparisons {
    /// One ranking per [`RANKED_METRICS`] entry.
    pub ranking: Vec<Ranking>,
    /// Every pair (A before B in file order).
    pub differences: Vec<Difference>,
}

/// Streaming accumulators of the comparisons, fed one draw at a time.
#[derive(Debug, Clone)]
pub(crate) struct Comparer {
    n_scen: usize,
    /// Offset of the city total's first metric in a scenario's block of metrics, and that block's length.
    total_offset: usize,
    per_scenario: usize,
    diff_metrics: Vec<usize>,
    /// `[ranked metric]`: draws ranked.
    rank_n: Vec<u64>,
    /// `[ranked metric][scenario]`: summed shares of being the best, summed ranks.
    best: Vec<f64>,
    rank_sum: Vec<f64>,
    /// `[pair][difference metric]`.
    diff_w: Vec<Welford>,
    diff_x: Vec<Exact>,
    /// Scratch: the values of one ranked metric in one draw.
    vals: Vec<f64>,
}

/// The pairs (a, b), a < b, in order.
fn pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).flat_map(move |a| (a + 1..n).map(move |b| (a, b)))
}

impl Comparer {
    /// Accumulators for `n_scen` scenarios with `n_slots` area slots (the
    /// city total last) of `layout`'s metrics each.
    pub(crate) fn new(n_scen: usize, n_slots: usize, layout: &MetricLayout) -> Self {
        let n_metrics = layout.len();
        let diff_metrics = if n_scen < 2 { vec![] } else { difference_metrics(layout) };
        let n_pairs = n_scen * n_scen.saturating_sub(1) / 2;
        let cells = n_pairs * diff_metrics.len();
        let ranked = if n_scen < 2 { 0 } else { RANKED_METRICS.len() };
        Comparer {
            n_scen,
            total_offset: (n_slots - 1) * n_metrics,
            per_scenario: n_slots * n_metrics,
            diff_metrics,
            rank_n: vec![0; ranked],
            best: vec![0.0; ranked * n_scen],
            rank_sum: vec![0.0; ranked * n_scen],
            diff_w: vec![Welford::new(); cells],
            diff_x: vec![Exact::new(); cells],
            vals: vec![0.0; n_scen],
        }
    }

    /// The city-total value of `metric` of scenario `s` in a draw's metrics.
    fn value(&self, metrics: &[f64], s: usize, metric: usize) -> f64 {
        metrics[s * self.per_scenario + self.total_offset + metric]
    }

    /// Add one draw's business-case metrics (`[scenario][area slot][metric]`).
    pub(crate) fn push(&mut self, metrics: &[f64]) {
        if self.n_scen < 2 {
            return;
        }
        let nd = self.diff_metrics.len();
        for (p, (a, b)) in pairs(self.n_scen).enumerate() {
            for (k, &m) in self.diff_metrics.iter().enumerate() {
                let d = self.value(metrics, a, m) - self.value(metrics, b, m);
                self.diff_w[p * nd + k].push(d);
                self.diff_x[p * nd + k].push(d);
            }
        }
        for (r, &m) in RANKED_METRICS.iter().enumerate() {
            for s in 0..self.n_scen {
                self.vals[s] = self.value(metrics, s, m);
            }
            if self.vals.iter().any(|x| x.is_nan()) {
                continue;
            }
            self.rank_n[r] += 1;
            let top = self.vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let n_top = self.vals.iter().filter(|&&x| x == top).count() as f64;
            for s in 0..self.n_scen {
                let x = self.vals[s];
                let above = self.vals.iter().filter(|&&y| y > x).count() as f64;
                let level = self.vals.iter().filter(|&&y| y == x).count() as f64;
                // Tied scenarios share their ranks: the mean of above+1 ..= above+level.
                self.rank_sum[r * self.n_scen + s] += above + (level + 1.0) / 2.0;
                if x == top {
                    self.best[r * self.n_scen + s] += 1.0 / n_top;
                }
            }
        }
    }

    /// The comparisons; `mean_of(s, metric)` is scenario `s`'s city-total mean
    /// of a ranked metric (from its own summary, so both agree to the bit).
    pub(crate) fn finish(&self, quantiles: &[f64], mean_of: impl Fn(usize, usize) -> f64) -> Comparisons {
        if self.n_scen < 2 {
            return Comparisons::default();
        }
        let ranking = RANKED_METRICS
            .iter()
            .enumerate()
            .map(|(r, &metric)| {
                let n = self.rank_n[r];
                let share = |sum: f64| if n == 0 { f64::NAN } else { sum / n as f64 };
                let mut entries: Vec<RankEntry> = (0..self.n_scen)
                    .map(|s| RankEntry {
                        scenario: s,
                        mean: mean_of(s, metric),
                        p_best: share(self.best[r * self.n_scen + s]),
                        mean_rank: share(self.rank_sum[r * self.n_scen + s]),
                    })
                    .collect();
                // Stable: equal (or missing) means keep file order.
                entries.sort_by(|x, y| y.mean.partial_cmp(&x.mean).unwrap_or(std::cmp::Ordering::Equal));
                Ranking { metric, n, entries }
            })
            .collect();
        let nd = self.diff_metrics.len();
        let differences = pairs(self.n_scen)
            .enumerate()
            .map(|(p, (a, b))| {
                let stats = self
                    .diff_metrics
                    .iter()
                    .enumerate()
                    .map(|(k, &m)| {
                        let (w, x) = (&self.diff_w[p * nd + k], &self.diff_x[p * nd + k]);
                        let st = Stat {
                            n: w.count(),
                            missing: w.missing(),
                            mean: w.mean(),
                            sd: w.sd(),
                            mcse: w.mcse(),
                            quantiles: x.quantiles(quantiles),
                            p_positive: Some(x.p_positive()),
                            histogram: None,
                        };
                        (m, st)
                    })
                    .collect();
                Difference { a, b, stats }
            })
            .collect();
        Comparisons { ranking, differences }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layout-free comparer: 3 scenarios, one slot, metrics up to NPV_SOCIETAL.
    fn comparer() -> Comparer {
        Comparer {
            n_scen: 3,
            total_offset: 0,
            per_scenario: 8,
            diff_metrics: vec![business::NPV],
            rank_n: vec![0; 2],
            best: vec![0.0; 6],
            rank_sum: vec![0.0; 6],
            diff_w: vec![Welford::new(); 3],
            diff_x: vec![Exact::new(); 3],
            vals: vec![0.0; 3],
        }
    }

    fn draw(npv: [f64; 3]) -> Vec<f64> {
        let mut m = vec![0.0; 24];
        for s in 0..3 {
            m[s * 8 + business::NPV] = npv[s];
            m[s * 8 + business::NPV_SOCIETAL] = npv[s];
        }
        m
    }

    #[test]
    fn ties_split_the_best_share_and_the_ranks() {
        let mut c = comparer();
        c.push(&draw([5.0, 5.0, 1.0]));
        c.push(&draw([1.0, 2.0, 3.0]));
        let out = c.finish(&[0.5], |s, _| [3.0, 3.5, 2.0][s]);
        let npv = &out.ranking[0];
        assert_eq!(npv.n, 2);
        let by = |s: usize| npv.entries.iter().find(|e| e.scenario == s).unwrap().clone();
        // Draw 1: scenarios 0 and 1 tie for best (½ each, rank 1.5), 2 is third.
        // Draw 2: 2 best, 1 second, 0 third.
        assert_eq!((by(0).p_best, by(0).mean_rank), (0.25, (1.5 + 3.0) / 2.0));
        assert_eq!((by(1).p_best, by(1).mean_rank), (0.25, (1.5 + 2.0) / 2.0));
        assert_eq!((by(2).p_best, by(2).mean_rank), (0.5, (3.0 + 1.0) / 2.0));
        let order: Vec<usize> = npv.entries.iter().map(|e| e.scenario).collect();
        assert_eq!(order, [1, 0, 2], "ordered by mean, highest first");
        // Pairs in file order: (0,1), (0,2), (1,2); A − B per draw.
        let pairs: Vec<(usize, usize)> = out.differences.iter().map(|d| (d.a, d.b)).collect();
        assert_eq!(pairs, [(0, 1), (0, 2), (1, 2)]);
        let d02 = &out.differences[1].stats[0].1;
        assert_eq!(d02.mean, (4.0 + -2.0) / 2.0);
        assert_eq!(d02.p_positive, Some(0.5));
    }

    #[test]
    fn one_scenario_has_no_comparisons() {
        let layout_free = Comparer { n_scen: 1, ..comparer() };
        assert_eq!(layout_free.finish(&[0.5], |_, _| 0.0), Comparisons::default());
    }
}
