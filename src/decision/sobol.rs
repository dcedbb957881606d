//! Variance-based sensitivity analysis (variantiegebaseerde gevoeligheidsanalyse):
//! Sobol first-order and total indices of one model output over `k` inputs or
//! `k` groups of inputs, on the Saltelli sample design.
//!
//! # Design
//!
//! Two independent draws of all inputs, `A_j` and `B_j`, are made for each base
//! sample `j = 0..N-1`. Model run `AB_j^(i)` takes the inputs of group `i` from
//! `B_j` and all others from `A_j`. The runs are ordered block by block exactly
//! as SALib orders them (`SALib.sample.sobol` / `saltelli` with
//! `calc_second_order=False`), so a vector of outputs can be handed to either
//! tool:
//!
//! ```text
//! row  j·(k+2) + 0        A_j
//! row  j·(k+2) + i + 1    AB_j^(i)   (i = 0..k-1)
//! row  j·(k+2) + k + 1    B_j
//! ```
//!
//! [`Design`] says what a row is; the caller builds its inputs (see [`mix`]).
//! A shard ([`Design::rows_of_shard`]) is a run of whole blocks, so each shard
//! holds complete base samples.
//!
//! # Estimators
//!
//! The outputs are first standardised, `y' = (y - mean(y)) / sd(y)` over all
//! `N(k+2)` outputs, as SALib does: the first-order estimator below is not
//! invariant to a shift of the output, and centring removes most of that bias.
//! With `V` the population variance (divisor `2N`) of the `2N` values
//! `f(A_j)`, `f(B_j)`:
//!
//! - first order (Saltelli et al. 2010, eq. (b) of table 2):
//!   `S_i = mean_j f(B_j) · (f(AB_j^(i)) - f(A_j)) / V`;
//! - total (Jansen 1999):
//!   `ST_i = mean_j (f(A_j) - f(AB_j^(i)))² / (2V)`.
//!
//! These are the estimators of `SALib.analyze.sobol.analyze` with
//! `calc_second_order=False`; on the same outputs the point estimates agree
//! to rounding (scripts/peer/sobol_salib.py compares them).
//!
//! # Uncertainty
//!
//! The bootstrap resamples the `N` base samples with replacement (whole blocks,
//! so the pairing of `A_j`, `B_j` and `AB_j` is kept) and recomputes `V`, `S_i`
//! and `ST_i` on each resample. Two intervals are reported:
//!
//! - the percentile interval (the 2.5 % and 97.5 % quantiles of the bootstrap
//!   estimates, linear interpolation between order statistics, Hyndman and Fan
//!   type 7): **this is the interval to show**; it follows the skew of the
//!   bootstrap distribution and needs no normality;
//! - SALib's `S1_conf` / `ST_conf`: the half-width `z · sd` of a normal interval,
//!   `z = 1.959963984540054` ([`Z_95`]) and `sd` the bootstrap standard deviation
//!   (divisor `B - 1`); kept to compare with SALib and as a standard error
//!   (`sd = conf / Z_95`).
//!
//! A resample in which `f(A)` and `f(B)` do not vary (possible only for a nearly
//! constant output and small `N`) gives indices 0, as in SALib.
//!
//! Resample `b` draws its `N` indices from the stream
//! `rng::stream(seed, b, Purpose::SobolBootstrap, 0)`, so the intervals depend
//! only on the seed, never on the number of threads.
//!
//! # Sources
//!
//! - A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola,
//!   "Variance based sensitivity analysis of model output. Design and estimator
//!   for the total sensitivity index", Computer Physics Communications 181(2)
//!   (2010) 259–270, <https://doi.org/10.1016/j.cpc.2009.09.018>.
//! - M. J. W. Jansen, "Analysis of variance designs for model output", Computer
//!   Physics Communications 117 (1999) 35–43,
//!   <https://doi.org/10.1016/S0010-4655(98)00154-4>.
//! - J. Herman, W. Usher, "SALib: An open-source Python library for Sensitivity
//!   Analysis", Journal of Open Source Software 2(9) (2017) 97,
//!   <https://doi.org/10.21105/joss.00097>.

use std::fmt;
use std::ops::Range;

use ndarray::ArrayView2;
use rand::RngCore;
use rayon::prelude::*;
use thiserror::Error;

use crate::rng::{self, Purpose};

/// The default number of bootstrap resamples.
pub const DEFAULT_BOOTSTRAP: usize = 1000;

/// The standard normal quantile at 0.975 (`scipy.stats.norm.ppf(0.975)`): SALib's
/// `S1_conf` is `Z_95` times the bootstrap standard deviation.
pub const Z_95: f64 = 1.959963984540054;

/// Tail probability on each side of the percentile interval (95 % two-sided).
const TAIL: f64 = 0.025;

/// The Saltelli design for `n` base samples and `groups` groups of inputs
/// (`k` in the module docs; a group may be a single input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Design {
    /// Number of base samples `N` (pairs `A_j`, `B_j`).
    pub n: usize,
    /// Number of groups `k` whose indices are estimated.
    pub groups: usize,
}

/// What a design row is: base sample `j`'s `A` or `B` draw, or `A_j` with the
/// inputs of `group` taken from `B_j`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// All inputs from draw `A_j`.
    A {
        /// Base sample (0-based).
        j: usize,
    },
    /// All inputs from draw `B_j`.
    B {
        /// Base sample (0-based).
        j: usize,
    },
    /// `AB_j^(group)`: the inputs of `group` from `B_j`, all others from `A_j`.
    Mixed {
        /// Base sample (0-based).
        j: usize,
        /// Group whose inputs come from `B_j` (0-based, design order).
        group: usize,
    },
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Row::A { j } => write!(f, "draw A of base sample {j}"),
            Row::B { j } => write!(f, "draw B of base sample {j}"),
            Row::Mixed { j, group } => write!(f, "draw A of base sample {j} with group {group} from draw B"),
        }
    }
}

impl Design {
    /// Rows per base sample: `groups + 2`.
    pub fn block_len(&self) -> usize {
        self.groups + 2
    }

    /// Total number of model runs: `n · (groups + 2)`.
    pub fn runs(&self) -> usize {
        self.n * self.block_len()
    }

    /// The rows of base sample `j`: `[A_j, AB_j^(0), …, AB_j^(k-1), B_j]`.
    pub fn block(&self, j: usize) -> Range<usize> {
        j * self.block_len()..(j + 1) * self.block_len()
    }

    /// What row `r` (0-based, in design order) is.
    ///
    /// # Panics
    /// If `r >= self.runs()` (a caller's indexing error, not bad input).
    pub fn row(&self, r: usize) -> Row {
        assert!(r < self.runs(), "design row {r} out of range (the design has {} runs)", self.runs());
        let w = self.block_len();
        let (j, p) = (r / w, r % w);
        if p == 0 {
            Row::A { j }
        } else if p == w - 1 {
            Row::B { j }
        } else {
            Row::Mixed { j, group: p - 1 }
        }
    }

    /// The rows of shard `shard` of `of`: contiguous, whole blocks only, the
    /// shards' block counts differing by at most one; shards `0..of` together
    /// cover `0..runs()` exactly once, in order.
    ///
    /// # Panics
    /// If `of == 0` or `shard >= of`.
    pub fn rows_of_shard(&self, shard: usize, of: usize) -> Range<usize> {
        assert!(of > 0 && shard < of, "shard {shard} of {of} does not exist");
        let first_block = |s: usize| ((self.n as u128 * s as u128) / of as u128) as usize;
        first_block(shard) * self.block_len()..first_block(shard + 1) * self.block_len()
    }
}

/// The inputs of a mixed row: `a` with the slots `group_slots` taken from `b`.
///
/// # Panics
/// If `a` and `b` differ in length or a slot is out of range.
pub fn mix(a: &[f64], b: &[f64], group_slots: &[usize]) -> Vec<f64> {
    assert_eq!(a.len(), b.len(), "draws A and B have different numbers of inputs");
    let mut out = a.to_vec();
    for &s in group_slots {
        out[s] = b[s];
    }
    out
}

/// Sobol indices of one output, per group in design order, with their
/// bootstrap uncertainty (see the module docs for the formulas).
#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    /// `V`: population variance of the `2N` outputs `f(A_j)`, `f(B_j)`, in
    /// output units squared.
    pub variance: f64,
    /// First-order indices `S_i`.
    pub first: Vec<f64>,
    /// Total indices `ST_i`.
    pub total: Vec<f64>,
    /// SALib's `S1_conf`: `Z_95` × bootstrap standard deviation of `S_i`.
    pub first_conf: Vec<f64>,
    /// SALib's `ST_conf`: `Z_95` × bootstrap standard deviation of `ST_i`.
    pub total_conf: Vec<f64>,
    /// 95 % bootstrap percentile interval of `S_i` (the one to show).
    pub first_interval: Vec<(f64, f64)>,
    /// 95 % bootstrap percentile interval of `ST_i` (the one to show).
    pub total_interval: Vec<(f64, f64)>,
}

/// Why the indices cannot be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SobolError {
    /// A design without groups has nothing to attribute variance to.
    #[error("the Sobol design has no groups of inputs; give at least one")]
    NoGroups,
    /// One base sample gives no variance.
    #[error("the Sobol design has {n} base sample(s); at least 2 are needed")]
    TooFewBaseSamples {
        /// Base samples in the design.
        n: usize,
    },
    /// The outputs do not match the design.
    #[error("expected {expected} model outputs ({n} base samples × ({groups} groups + 2)) in design order, got {got}")]
    WrongLength {
        /// `n · (groups + 2)`.
        expected: usize,
        /// Outputs given.
        got: usize,
        /// Base samples in the design.
        n: usize,
        /// Groups in the design.
        groups: usize,
    },
    /// A bootstrap standard deviation needs at least two resamples.
    #[error("the bootstrap needs at least 2 resamples, got {bootstrap}")]
    TooFewResamples {
        /// Resamples asked for.
        bootstrap: usize,
    },
    /// A NaN or infinite output would silently poison every index.
    #[error("the model output of design row {row} ({which}) is {value}; Sobol indices need finite outputs")]
    NonFinite {
        /// Design row (0-based).
        row: usize,
        /// What that row is.
        which: Row,
        /// The output.
        value: f64,
    },
    /// `V = 0`: the indices are 0/0.
    #[error("the output does not vary across the sample; Sobol indices are undefined")]
    ConstantOutput,
}

/// Sobol first-order and total indices of `y` (the outputs of the rows of
/// `design`, in design order), with `bootstrap` resamples keyed by `seed`.
///
/// An output whose `2N` values `f(A_j)`, `f(B_j)` differ by no more than
/// rounding (range ≤ 64 · machine epsilon · largest magnitude) counts as not
/// varying: [`SobolError::ConstantOutput`].
pub fn indices(y: &[f64], design: &Design, bootstrap: usize, seed: u64) -> Result<Indices, SobolError> {
    let (n, k) = (design.n, design.groups);
    if k == 0 {
        return Err(SobolError::NoGroups);
    }
    if n < 2 {
        return Err(SobolError::TooFewBaseSamples { n });
    }
    if y.len() != design.runs() {
        return Err(SobolError::WrongLength { expected: design.runs(), got: y.len(), n, groups: k });
    }
    if bootstrap < 2 {
        return Err(SobolError::TooFewResamples { bootstrap });
    }
    if let Some((row, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(SobolError::NonFinite { row, which: design.row(row), value });
    }
    let w = design.block_len();
    let (lo, hi) = (0..n)
        .flat_map(|j| [y[j * w], y[j * w + w - 1]])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let largest = lo.abs().max(hi.abs());
    if hi - lo <= 64.0 * f64::EPSILON * largest {
        return Err(SobolError::ConstantOutput);
    }

    // Standardise (see the module docs). Dividing first by a power of two near the
    // largest magnitude is exact and keeps sums of squares of huge outputs finite.
    let amax = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let scale = 2f64.powi(amax.log2().floor() as i32);
    let scaled: Vec<f64> = y.iter().map(|v| v / scale).collect();
    let len = scaled.len() as f64;
    let mean = scaled.iter().sum::<f64>() / len;
    let sd = (scaled.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / len).sqrt();
    let z: Vec<f64> = scaled.iter().map(|v| (v - mean) / sd).collect();
    let z = ArrayView2::from_shape((n, w), &z).expect("length checked against the design");

    let all: Vec<usize> = (0..n).collect();
    let point = estimate(z, &all);
    let variance = point.variance * (sd * scale) * (sd * scale);

    let resamples: Vec<Estimate> = (0..bootstrap)
        .into_par_iter()
        .map(|b| {
            let mut r = rng::stream(seed, b as u64, Purpose::SobolBootstrap, 0);
            // Multiply-high maps 64 random bits to 0..n with bias below n / 2⁶⁴.
            let idx: Vec<usize> = (0..n).map(|_| ((r.next_u64() as u128 * n as u128) >> 64) as usize).collect();
            estimate(z, &idx)
        })
        .collect();

    let mut out = Indices {
        variance,
        first: point.first,
        total: point.total,
        first_conf: Vec::with_capacity(k),
        total_conf: Vec::with_capacity(k),
        first_interval: Vec::with_capacity(k),
        total_interval: Vec::with_capacity(k),
    };
    let mut column = vec![0.0; bootstrap];
    for i in 0..k {
        for (c, e) in column.iter_mut().zip(&resamples) {
            *c = e.first[i];
        }
        let (conf, interval) = summarise(&mut column);
        out.first_conf.push(conf);
        out.first_interval.push(interval);
        for (c, e) in column.iter_mut().zip(&resamples) {
            *c = e.total[i];
        }
        let (conf, interval) = summarise(&mut column);
        out.total_conf.push(conf);
        out.total_interval.push(interval);
    }
    Ok(out)
}

/// The estimates on one (re)sample of base samples.
struct Estimate {
    variance: f64,
    first: Vec<f64>,
    total: Vec<f64>,
}

/// `V`, `S_i` and `ST_i` over the base samples `idx` (with repeats) of the
/// standardised outputs `z` (one row per base sample, `k + 2` columns).
fn estimate(z: ArrayView2<f64>, idx: &[usize]) -> Estimate {
    let w = z.ncols();
    let k = w - 2;
    let m = idx.len() as f64;
    let mean = idx.iter().map(|&j| z[[j, 0]] + z[[j, w - 1]]).sum::<f64>() / (2.0 * m);
    let mut ss = 0.0;
    let mut first = vec![0.0; k];
    let mut total = vec![0.0; k];
    for &j in idx {
        let row = z.row(j);
        let row = row.as_slice().expect("standard layout");
        let (a, b) = (row[0], row[w - 1]);
        ss += (a - mean) * (a - mean) + (b - mean) * (b - mean);
        for ((f, t), &ab) in first.iter_mut().zip(total.iter_mut()).zip(&row[1..w - 1]) {
            let d = ab - a;
            *f += b * d;
            *t += d * d;
        }
    }
    let variance = ss / (2.0 * m);
    if variance <= f64::EPSILON {
        // f(A) and f(B) do not vary in this resample: indices 0, as SALib.
        return Estimate { variance, first: vec![0.0; k], total: vec![0.0; k] };
    }
    first.iter_mut().for_each(|f| *f = *f / m / variance);
    total.iter_mut().for_each(|t| *t = *t / m / (2.0 * variance));
    Estimate { variance, first, total }
}

/// SALib's half-width `Z_95 · sd` (divisor `B - 1`) and the 95 % percentile
/// interval of bootstrap estimates; sorts `v`.
fn summarise(v: &mut [f64]) -> (f64, (f64, f64)) {
    let b = v.len() as f64;
    let mean = v.iter().sum::<f64>() / b;
    let sd = (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (b - 1.0)).sqrt();
    v.sort_by(f64::total_cmp);
    (Z_95 * sd, (quantile(v, TAIL), quantile(v, 1.0 - TAIL)))
}

/// Quantile `p` of sorted `v` by linear interpolation between order
/// statistics (Hyndman and Fan type 7, the default of R and NumPy).
fn quantile(v: &[f64], p: f64) -> f64 {
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_between_order_statistics() {
        // numpy.quantile([1, 2, 3, 4, 5], 0.025) = 1 + 0.1 · 1 = 1.1
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((quantile(&v, 0.025) - 1.1).abs() < 1e-15);
        assert!((quantile(&v, 0.975) - 4.9).abs() < 1e-15);
        assert_eq!(quantile(&v, 0.5), 3.0);
    }

    #[test]
    fn summarise_gives_z_times_sample_sd() {
        // sd (divisor 3) of 1, 2, 3, 4 = sqrt(5/3)
        let mut v = [4.0, 1.0, 3.0, 2.0];
        let (conf, (lo, hi)) = summarise(&mut v);
        assert!((conf - Z_95 * (5.0f64 / 3.0).sqrt()).abs() < 1e-14);
        // h = 3 · 0.025 = 0.075 → 1.075; h = 2.925 → 3.925
        assert!((lo - 1.075).abs() < 1e-14 && (hi - 3.925).abs() < 1e-14);
    }
}
