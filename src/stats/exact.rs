//! Exact quantiles (type 7) of kept values, `P(x > 0)` and histograms.

use serde::{Deserialize, Serialize};

/// Type-7 quantile (R's default, linear interpolation between order
/// statistics) of sorted, non-empty data.
pub(crate) fn type7(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// All values of a metric, for exact quantiles and `P(x > 0)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exact {
    values: Vec<f64>,
    missing: u64,
}

impl Exact {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a value; `NaN` is counted as missing and not stored.
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            self.missing += 1;
        } else {
            self.values.push(x);
        }
    }

    /// Number of values kept (missing ones excluded).
    pub fn count(&self) -> usize {
        self.values.len()
    }

    /// Number of `NaN`s pushed.
    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// Type-7 quantiles (R's default) for each `p`; `NaN` when there are no values.
    pub fn quantiles(&self, ps: &[f64]) -> Vec<f64> {
        let mut v = self.values.clone();
        v.sort_by(f64::total_cmp);
        ps.iter().map(|&p| type7(&v, p)).collect()
    }

    /// The type-7 quantile `p`; `NaN` when there are no values.
    pub fn quantile(&self, p: f64) -> f64 {
        self.quantiles(&[p])[0]
    }

    /// A histogram of the kept values with `bins` equal-width bins from the
    /// smallest to the largest finite value (one bin when they are equal).
    /// Bin `i` holds `edges[i] <= x < edges[i + 1]`, the last bin also its
    /// upper edge. Infinite values (which a well-formed model never produces)
    /// are counted in the first or last bin, so the counts always sum to
    /// [`Exact::count`]. `None` without finite values.
    pub fn histogram(&self, bins: usize) -> Option<Histogram> {
        let finite = self.values.iter().copied().filter(|x| x.is_finite());
        let (lo, hi) = finite.fold(None, |acc: Option<(f64, f64)>, x| match acc {
            None => Some((x, x)),
            Some((a, b)) => Some((a.min(x), b.max(x))),
        })?;
        let bins = if lo == hi { 1 } else { bins.max(1) };
        let width = hi - lo;
        let mut edges: Vec<f64> = (0..=bins).map(|i| lo + width * (i as f64 / bins as f64)).collect();
        edges[bins] = hi;
        let mut counts = vec![0u64; bins];
        for &x in &self.values {
            let i = if x.is_nan() || x <= lo || width == 0.0 {
                0
            } else if x >= hi {
                bins - 1
            } else {
                (((x - lo) / width * bins as f64) as usize).min(bins - 1)
            };
            counts[i] += 1;
        }
        Some(Histogram { edges, counts })
    }

    /// Share of non-missing values that are strictly positive (`NaN` when none).
    pub fn p_positive(&self) -> f64 {
        if self.values.is_empty() {
            f64::NAN
        } else {
            self.values.iter().filter(|&&x| x > 0.0).count() as f64 / self.values.len() as f64
        }
    }
}

/// A histogram: `counts[i]` values in `[edges[i], edges[i + 1])` (the last bin
/// closed), `edges.len() == counts.len() + 1`. Serialisable because
/// `summary.json` carries it as is (see [`crate::output::schema::StatFile`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Bin edges, ascending, in the metric's unit (JSON `edges` in `summary.json`).
    pub edges: Vec<f64>,
    /// Values per bin (JSON `counts`).
    pub counts: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::Distribution as _;

    #[test]
    fn exact_quantiles_of_one_to_five() {
        let mut e = Exact::new();
        for x in [5.0, 3.0, 1.0, 4.0, 2.0] {
            e.push(x);
        }
        // Type 7: h = (n − 1) p = 4p.
        assert_eq!(e.quantiles(&[0.0, 0.05, 0.25, 0.5, 0.95, 1.0]), vec![1.0, 1.2, 2.0, 3.0, 4.8, 5.0]);
        assert_eq!(e.p_positive(), 1.0);
        e.push(f64::NAN);
        e.push(-1.0);
        assert_eq!(e.missing(), 1);
        assert!((e.p_positive() - 5.0 / 6.0).abs() < 1e-15);
        assert!(Exact::new().quantile(0.5).is_nan());
    }

    #[test]
    fn histogram_of_a_known_sample() {
        let mut e = Exact::new();
        for x in [0.0, 1.0, 2.0, 2.5, 3.0, f64::NAN, 10.0] {
            e.push(x);
        }
        let h = e.histogram(5).unwrap();
        assert_eq!(h.edges, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(h.counts, vec![2, 3, 0, 0, 1]);
        // Equal values: one bin; no values: no histogram.
        let mut c = Exact::new();
        c.push(4.0);
        c.push(4.0);
        assert_eq!(c.histogram(30), Some(Histogram { edges: vec![4.0, 4.0], counts: vec![2] }));
        assert_eq!(Exact::new().histogram(30), None);
    }

    #[test]
    fn histogram_counts_sum_to_n_and_edges_increase() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let normal = rand_distr::Normal::new(-5e5, 2e5).unwrap();
        let mut e = Exact::new();
        for _ in 0..1000 {
            e.push(normal.sample(&mut rng));
        }
        e.push(f64::NAN);
        e.push(f64::INFINITY);
        let h = e.histogram(30).unwrap();
        assert_eq!((h.edges.len(), h.counts.len()), (31, 30));
        assert_eq!(h.counts.iter().sum::<u64>(), e.count() as u64);
        assert_eq!(e.count(), 1001);
        assert!(h.edges.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(h.edges[0], e.quantile(0.0));
        assert!(h.edges[30].is_finite());
    }
}
