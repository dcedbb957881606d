//! Value of information (waarde van informatie) from the net benefits of a
//! probabilistic run: the expected value of perfect information (EVPI) and of
//! partial perfect information about a group of inputs (EVPPI), with the
//! standard error of the EVPPI estimate.
//!
//! # EVPPI by regression
//!
//! The EVPPI of inputs θ is `E_θ[max_d E(NB_d | θ)] − max_d E(NB_d)`. Following
//! Strong, Oakley and Brennan, "Estimating multiparameter partial expected
//! value of perfect information from a probabilistic sensitivity analysis
//! sample: a nonparametric regression approach", *Medical Decision Making*
//! 34(3):311–326, 2014 (doi 10.1177/0272989X13505910), the conditional
//! expectations are estimated from the probabilistic draws themselves by
//! regressing the incremental net benefit of every arm `d ≥ 1` against arm 0,
//! `NB_d − NB_0`, on the inputs of the group; with fitted values `g_jd` (and
//! `g_j0 = 0`), `EVPPI = mean_j max_d g_jd − max_d mean_j g_jd`.
//!
//! Where Strong et al. fit a penalised generalised additive model (R package
//! mgcv), this module fits an unpenalised regression spline, which needs no
//! smoothing-parameter search and no linear-algebra library:
//!
//! - every input that varies gets a linear term and the nonlinear terms of a
//!   restricted (natural) cubic spline in Harrell's truncated-power form, with
//!   knots at Harrell's quantiles (Harrell, *Regression Modeling Strategies*,
//!   2nd ed., Springer, 2015, section 2.4.5 and table 2.3,
//!   doi 10.1007/978-3-319-19425-7); 5 knots from 1000 draws, 4 from 300, 3
//!   below (configurable, 3 to 7);
//! - a group of 2 to 6 inputs also gets the pairwise products of the
//!   (standardised) linear terms, a light version of mgcv's tensor smooth
//!   `te()`; larger groups are additive;
//! - inputs that never vary are dropped (they carry no information);
//! - the least-squares fit is an orthogonal projection computed by classical
//!   Gram–Schmidt with reorthogonalisation ("twice is enough"; Björck,
//!   *Numerical Methods for Least Squares Problems*, SIAM, 1996,
//!   doi 10.1137/1.9781611971484); a basis column that is numerically a
//!   combination of earlier ones is dropped, so collinear terms cannot make
//!   the fit unstable.
//!
//! # Standard error
//!
//! As in section "Estimating the standard error" of Strong et al. (2014), the
//! coefficients are sampled from their sampling distribution,
//! `β* ~ N(β̂, σ̂²(XᵀX)⁻¹)`, `S` times per arm, the EVPPI is recomputed from
//! the fitted values `Xβ*`, and the standard deviation of those `S` values is
//! the standard error (of the estimate for these draws, due to the regression
//! only). With `X = QR` (orthonormal `Q`), `Xβ* = Xβ̂ + σ̂·Q·z` with
//! `z ~ N(0, I)`, which is what is computed. The normal deviates come from
//! [`crate::rng`] streams keyed by the seed, the sample and the arm, so the
//! result is bit-identical on any machine and thread count.

use crate::rng::{self, Prng, Purpose};
use ndarray::{Array2, ArrayView1, ArrayView2};

/// Fewest draws for which an EVPPI is estimated at all.
pub const MIN_DRAWS: usize = 50;

/// Fewer draws than this give an EVPPI with a warning.
pub const RELIABLE_DRAWS: usize = 1000;

/// Largest group with pairwise interaction terms; larger groups are additive.
pub const MAX_INTERACTION_GROUP: usize = 6;

/// A basis column whose part orthogonal to the earlier columns is smaller
/// than this fraction of its norm is dropped as collinear.
const COLLINEAR: f64 = 1e-9;

/// Share of the EVPI by which an estimate may exceed it (beyond two standard
/// errors) without a warning: the spline's approximation error.
pub const EVPI_TOLERANCE: f64 = 0.01;

/// Standard-error samples processed together (one matrix product per arm).
const SE_CHUNK: usize = 50;

/// Options of [`evppi`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvppiOptions {
    /// Knots per input spline (3 to 7); `None`: 5 from 1000 draws, 4 from
    /// 300, else 3.
    pub knots: Option<usize>,
    /// Samples of the coefficients for the standard error (at least 2).
    pub se_samples: usize,
    /// Seed of the normal deviates of the standard error.
    pub seed: u64,
}

impl Default for EvppiOptions {
    /// Automatic knots, 500 standard-error samples (as Strong et al. 2014), seed 1.
    fn default() -> Self {
        EvppiOptions { knots: None, se_samples: 500, seed: 1 }
    }
}

/// An EVPPI estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Evppi {
    /// The estimate, as estimated (not clamped to the EVPI; see `warning`).
    pub value: f64,
    /// Its standard error due to the regression (Strong et al. 2014).
    pub se: f64,
    /// The EVPI of the same draws, an upper bound of the true EVPPI.
    pub evpi: f64,
    /// Per arm `d = 1..D−1`: share of the variance of `NB_d − NB_0` that the
    /// group explains (1 when that difference is constant).
    pub r_squared: Vec<f64>,
    /// Why the estimate may be unreliable and what to do, in English; `None`
    /// when there is no reason for doubt.
    pub warning: Option<String>,
}

/// Bad input to [`evpi`] or [`evppi`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VoiError {
    /// Net benefits and inputs are not of the same draws.
    #[error("the net benefits have {nb_draws} draws but the inputs {input_draws}: give one input row per draw")]
    DrawsMismatch {
        /// Rows of the net benefits.
        nb_draws: usize,
        /// Rows of the inputs.
        input_draws: usize,
    },
    /// No arms (net-benefit columns).
    #[error("value of information needs at least one arm, got none")]
    NoArms,
    /// No draws for the EVPI.
    #[error("value of information needs at least one draw, got none")]
    NoDraws,
    /// An empty group of inputs.
    #[error("an EVPPI needs at least one input column, got none")]
    NoInputs,
    /// Too few draws for a regression.
    #[error("an EVPPI needs at least {min} draws, got {draws}: run more draws (at least {reliable})", min = MIN_DRAWS, reliable = RELIABLE_DRAWS)]
    TooFewDraws {
        /// Number of draws.
        draws: usize,
    },
    /// The regression would have too many terms for the draws.
    #[error(
        "the regression for this group has {columns} terms but {draws} draws allow at most {max} (one per 5 draws): run more draws (at least {needed}) or estimate a smaller group"
    )]
    TooManyColumns {
        /// Basis columns.
        columns: usize,
        /// Number of draws.
        draws: usize,
        /// Most columns allowed (draws / 5).
        max: usize,
        /// Draws needed for this many columns.
        needed: usize,
    },
    /// A net benefit or input is infinite or NaN.
    #[error("the {what} in draw {draw}, column {column} is {value}, not a finite number")]
    NonFinite {
        /// `"net benefit"` or `"input"`.
        what: &'static str,
        /// Draw (row).
        draw: usize,
        /// Column.
        column: usize,
        /// The offending value.
        value: f64,
    },
    /// An unsupported number of knots.
    #[error("knots must be 3 to 7 (Harrell's quantile positions), got {0}")]
    BadKnots(usize),
    /// Too few standard-error samples.
    #[error("the standard error needs at least 2 samples, got {0}")]
    TooFewSeSamples(usize),
}

/// The EVPI of net benefits `nb` (`[draws, arms]`):
/// `mean_j max_d nb_jd − max_d mean_j nb_jd`.
///
/// Computed as the smallest over arms of the mean loss `max_d nb_jd − nb_jk`,
/// which is the same number but never negative through rounding.
pub fn evpi(nb: ArrayView2<f64>) -> Result<f64, VoiError> {
    if nb.ncols() == 0 {
        return Err(VoiError::NoArms);
    }
    if nb.nrows() == 0 {
        return Err(VoiError::NoDraws);
    }
    check_finite(nb, "net benefit")?;
    Ok(min_mean_loss(nb.nrows(), nb.ncols(), |j, d| nb[[j, d]]))
}

/// `min_k mean_j (max_d v(j, d) − v(j, k))`.
fn min_mean_loss(n: usize, arms: usize, v: impl Fn(usize, usize) -> f64) -> f64 {
    let mut loss = vec![0.0; arms];
    for j in 0..n {
        let best = (0..arms).map(|d| v(j, d)).fold(f64::NEG_INFINITY, f64::max);
        for (d, l) in loss.iter_mut().enumerate() {
            *l += best - v(j, d);
        }
    }
    loss.iter().copied().fold(f64::INFINITY, f64::min) / n as f64
}

fn check_finite(a: ArrayView2<f64>, what: &'static str) -> Result<(), VoiError> {
    match a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((draw, column), &value)) => Err(VoiError::NonFinite { what, draw, column, value }),
        None => Ok(()),
    }
}

/// Harrell's default knot quantiles for 3 to 7 knots (*Regression Modeling
/// Strategies*, table 2.3).
fn knot_quantiles(k: usize) -> &'static [f64] {
    match k {
        3 => &[0.10, 0.5, 0.90],
        4 => &[0.05, 0.35, 0.65, 0.95],
        5 => &[0.05, 0.275, 0.5, 0.725, 0.95],
        6 => &[0.05, 0.23, 0.41, 0.59, 0.77, 0.95],
        _ => &[0.025, 0.1833, 0.3417, 0.5, 0.6583, 0.8167, 0.975],
    }
}

/// Knots per input for `n` draws when not set.
fn default_knots(n: usize) -> usize {
    if n >= RELIABLE_DRAWS {
        5
    } else if n >= 300 {
        4
    } else {
        3
    }
}

/// Quantile `p` of sorted values by linear interpolation (Hyndman and Fan's
/// type 7, R's default).
fn quantile_sorted(s: &[f64], p: f64) -> f64 {
    let h = (s.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(s.len() - 1);
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}

/// The distinct knots of `x` at Harrell's quantiles for `k` knots.
fn knots_of(x: &[f64], k: usize) -> Vec<f64> {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let mut t: Vec<f64> = knot_quantiles(k).iter().map(|&p| quantile_sorted(&s, p)).collect();
    t.dedup();
    t
}

/// The `K − 2` nonlinear terms of a restricted cubic spline with knots `t` at
/// `x` (Harrell 2015, equation 2.25, divided by `(t_K − t_1)²` as his
/// `rcspline.eval(norm = 2)`): cubic between the knots, linear beyond the
/// outer ones.
fn rcs_terms(x: f64, t: &[f64], out: &mut [f64]) {
    let k = t.len();
    let cube = |u: f64| if u > 0.0 { u * u * u } else { 0.0 };
    let (tk, tk1) = (t[k - 1], t[k - 2]);
    let norm = (tk - t[0]) * (tk - t[0]);
    for (j, o) in out.iter_mut().enumerate().take(k - 2) {
        *o = (cube(x - t[j]) - cube(x - tk1) * (tk - t[j]) / (tk - tk1) + cube(x - tk) * (tk1 - t[j]) / (tk - tk1))
            / norm;
    }
}

/// The regression basis (columns) of a group of inputs, intercept first.
fn basis(inputs: ArrayView2<f64>, knots: usize) -> Vec<Vec<f64>> {
    let n = inputs.nrows();
    let mut cols = vec![vec![1.0; n]];
    // Standardised inputs that vary.
    let mut z: Vec<Vec<f64>> = Vec::new();
    for c in inputs.columns() {
        let (lo, hi) = c.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        if lo == hi {
            continue;
        }
        let mean = c.sum() / n as f64;
        let sd = (c.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64).sqrt();
        let scale = if sd > 0.0 { sd } else { hi - lo };
        z.push(c.iter().map(|v| (v - mean) / scale).collect());
    }
    for zi in &z {
        cols.push(zi.clone());
        let t = knots_of(zi, knots);
        if t.len() >= 3 {
            let m = t.len() - 2;
            let mut terms = vec![Vec::with_capacity(n); m];
            let mut buf = vec![0.0; m];
            for &v in zi {
                rcs_terms(v, &t, &mut buf);
                for (col, &b) in terms.iter_mut().zip(&buf) {
                    col.push(b);
                }
            }
            cols.extend(terms);
        }
    }
    if (2..=MAX_INTERACTION_GROUP).contains(&z.len()) {
        for a in 0..z.len() {
            for b in a + 1..z.len() {
                cols.push(z[a].iter().zip(&z[b]).map(|(x, y)| x * y).collect());
            }
        }
    }
    cols
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// An orthonormal basis (`[n, r]`) of the span of `cols`, by classical
/// Gram–Schmidt with one reorthogonalisation, dropping columns that are
/// numerically in the span of the earlier ones.
fn orthonormal(cols: Vec<Vec<f64>>) -> Array2<f64> {
    let n = cols.first().map_or(0, Vec::len);
    let mut q: Vec<Vec<f64>> = Vec::with_capacity(cols.len());
    for mut x in cols {
        let norm0 = dot(&x, &x).sqrt();
        if norm0 == 0.0 {
            continue;
        }
        for _ in 0..2 {
            let c: Vec<f64> = q.iter().map(|qk| dot(qk, &x)).collect();
            for (qk, ck) in q.iter().zip(&c) {
                for (xi, qi) in x.iter_mut().zip(qk) {
                    *xi -= ck * qi;
                }
            }
        }
        let norm = dot(&x, &x).sqrt();
        if norm <= COLLINEAR * norm0 {
            continue;
        }
        x.iter_mut().for_each(|v| *v /= norm);
        q.push(x);
    }
    let r = q.len();
    Array2::from_shape_fn((n, r), |(j, k)| q[k][j])
}

/// `n` standard normal deviates from `rng`, by the Box–Muller transform
/// (Box and Muller, "A note on the generation of random normal deviates",
/// *Annals of Mathematical Statistics* 29(2):610–611, 1958,
/// doi 10.1214/aoms/1177706645): plain arithmetic on [`rng::uniform`], so
/// the numbers do not change with a dependency's sampling algorithm.
pub(crate) fn fill_standard_normal(rng: &mut Prng, out: &mut [f64]) {
    for pair in out.chunks_mut(2) {
        let u1 = 1.0 - rng::uniform(rng); // in (0, 1], so ln is finite
        let u2 = rng::uniform(rng);
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        pair[0] = r * c;
        if let Some(p) = pair.get_mut(1) {
            *p = r * s;
        }
    }
}

/// The EVPPI of the group of inputs `inputs` (`[draws, k]`, one column per
/// input) for net benefits `nb` (`[draws, arms]`); see the module
/// documentation for the method.
pub fn evppi(nb: ArrayView2<f64>, inputs: ArrayView2<f64>, opts: &EvppiOptions) -> Result<Evppi, VoiError> {
    let (n, arms) = nb.dim();
    if inputs.nrows() != n {
        return Err(VoiError::DrawsMismatch { nb_draws: n, input_draws: inputs.nrows() });
    }
    if arms == 0 {
        return Err(VoiError::NoArms);
    }
    if inputs.ncols() == 0 {
        return Err(VoiError::NoInputs);
    }
    if n < MIN_DRAWS {
        return Err(VoiError::TooFewDraws { draws: n });
    }
    if let Some(k) = opts.knots {
        if !(3..=7).contains(&k) {
            return Err(VoiError::BadKnots(k));
        }
    }
    if opts.se_samples < 2 {
        return Err(VoiError::TooFewSeSamples(opts.se_samples));
    }
    check_finite(nb, "net benefit")?;
    check_finite(inputs, "input")?;

    let cols = basis(inputs, opts.knots.unwrap_or_else(|| default_knots(n)));
    let max = n / 5;
    if cols.len() > max {
        return Err(VoiError::TooManyColumns { columns: cols.len(), draws: n, max, needed: 5 * cols.len() });
    }
    let q = orthonormal(cols);
    let r = q.ncols();
    let evpi = min_mean_loss(n, arms, |j, d| nb[[j, d]]);

    // Fit every incremental net benefit: fitted = Q Qᵀ y.
    let mut fitted: Vec<Vec<f64>> = Vec::with_capacity(arms - 1);
    let mut sigma = Vec::with_capacity(arms - 1);
    let mut r_squared = Vec::with_capacity(arms - 1);
    for d in 1..arms {
        let y: Vec<f64> = (0..n).map(|j| nb[[j, d]] - nb[[j, 0]]).collect();
        let coef: Vec<f64> = q.columns().into_iter().map(|qk| dot_view(qk, &y)).collect();
        let f: Vec<f64> = q.rows().into_iter().map(|row| dot_view(row, &coef)).collect();
        let rss: f64 = y.iter().zip(&f).map(|(a, b)| (a - b) * (a - b)).sum();
        let mean = y.iter().sum::<f64>() / n as f64;
        let tss: f64 = y.iter().map(|a| (a - mean) * (a - mean)).sum();
        // Clamped: rounding can put the ratio a hair outside [0, 1].
        r_squared.push(if tss > 0.0 { (1.0 - rss / tss).clamp(0.0, 1.0) } else { 1.0 });
        // n > 5·r by the column check, so the degrees of freedom are positive.
        sigma.push((rss / (n - r) as f64).sqrt());
        fitted.push(f);
    }
    let value = min_mean_loss(n, arms, |j, d| if d == 0 { 0.0 } else { fitted[d - 1][j] });
    let se = if arms > 1 { standard_error(&q, &fitted, &sigma, opts) } else { 0.0 };
    let warning = warning(n, value, se, evpi);
    Ok(Evppi { value, se, evpi, r_squared, warning })
}

fn dot_view(a: ArrayView1<f64>, b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The standard deviation of the EVPPI over `opts.se_samples` draws of the
/// fitted values `fitted_d + σ_d·Q·z` (see the module documentation).
fn standard_error(q: &Array2<f64>, fitted: &[Vec<f64>], sigma: &[f64], opts: &EvppiOptions) -> f64 {
    let (n, r) = q.dim();
    let inc = fitted.len();
    let mut estimates = Vec::with_capacity(opts.se_samples);
    let mut start = 0;
    while start < opts.se_samples {
        let m = SE_CHUNK.min(opts.se_samples - start);
        // Per arm, the n × m perturbations Q·Z.
        let g: Vec<Array2<f64>> = (0..inc)
            .map(|d| {
                let mut z = Array2::<f64>::zeros((r, m));
                let mut buf = vec![0.0; r];
                for s in 0..m {
                    let mut rng = rng::stream(opts.seed, (start + s) as u64, Purpose::EvppiStandardError, d as u64 + 1);
                    fill_standard_normal(&mut rng, &mut buf);
                    z.column_mut(s).iter_mut().zip(&buf).for_each(|(zi, &b)| *zi = b);
                }
                q.dot(&z)
            })
            .collect();
        let mut sum_max = vec![0.0; m];
        let mut sum = vec![vec![0.0; m]; inc];
        for j in 0..n {
            let rows: Vec<ArrayView1<f64>> = g.iter().map(|gd| gd.row(j)).collect();
            for s in 0..m {
                let mut best = 0.0f64;
                for d in 0..inc {
                    let v = fitted[d][j] + sigma[d] * rows[d][s];
                    sum[d][s] += v;
                    best = best.max(v);
                }
                sum_max[s] += best;
            }
        }
        for s in 0..m {
            let max_mean = (0..inc).map(|d| sum[d][s]).fold(0.0f64, f64::max);
            estimates.push((sum_max[s] - max_mean) / n as f64);
        }
        start += m;
    }
    let k = estimates.len() as f64;
    let mean = estimates.iter().sum::<f64>() / k;
    (estimates.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / (k - 1.0)).sqrt()
}

/// `x` with four significant digits, for messages.
fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (3 - x.abs().log10().floor() as i64).max(0) as usize;
    format!("{x:.decimals$}")
}

/// Draws rounded up to a whole thousand.
fn thousands(x: f64) -> usize {
    ((x / 1000.0).ceil().max(1.0) * 1000.0) as usize
}

/// The reasons to doubt an estimate from `n` draws, if any.
fn warning(n: usize, value: f64, se: f64, evpi: f64) -> Option<String> {
    let mut w = Vec::new();
    if n < RELIABLE_DRAWS {
        w.push(format!(
            "The EVPPI is estimated from only {n} draws, too few for a reliable regression: run more draws (at least {RELIABLE_DRAWS})."
        ));
    }
    if value > 0.0 && se > value / 2.0 {
        // The standard error falls about as 1/√draws.
        let needed = thousands(n as f64 * (2.0 * se / value).powi(2)).max(2 * n);
        w.push(format!(
            "Its standard error ({}) is more than half the estimate ({}), so the value is uncertain (it may be close to 0): run more draws (at least {needed}).",
            sig(se),
            sig(value)
        ));
    }
    // The standard error covers the noise of the fit, not the spline's
    // approximation error, which can put a nearly exact fit a hair above the
    // EVPI; 1% of the EVPI is allowed for that.
    if value > evpi + 2.0 * se + EVPI_TOLERANCE * evpi {
        w.push(format!(
            "The estimate ({}) exceeds the EVPI ({}) by more than two standard errors, so the regression fits noise: run more draws (at least {}) or estimate a smaller group of inputs.",
            sig(value),
            sig(evpi),
            thousands(2.0 * n as f64)
        ));
    }
    (!w.is_empty()).then(|| w.join(" "))
}

/// The EVPPI of several groups of inputs for the same net benefits, in
/// parallel (rayon, current pool); the results are in the order of `groups`
/// and do not depend on the number of threads.
pub fn evppi_groups(
    nb: ArrayView2<f64>,
    groups: &[ArrayView2<f64>],
    opts: &EvppiOptions,
) -> Vec<Result<Evppi, VoiError>> {
    use rayon::prelude::*;
    groups.par_iter().map(|g| evppi(nb, *g, opts)).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ndarray::{s, Array1};

    /// Standard normal density.
    pub(crate) fn normal_pdf(x: f64) -> f64 {
        (-0.5 * x * x).exp() / (std::f64::consts::TAU).sqrt()
    }

    /// Standard normal distribution function, from the complementary error
    /// function of Press et al., *Numerical Recipes* (3rd ed., 2007, §6.2,
    /// `erfcc`; relative error below 1.2e-7, far below the test tolerances).
    pub(crate) fn normal_cdf(x: f64) -> f64 {
        let z = (x / std::f64::consts::SQRT_2).abs();
        let t = 1.0 / (1.0 + 0.5 * z);
        let ans = t
            * (-z * z - 1.26551223
                + t * (1.00002368
                    + t * (0.37409196
                        + t * (0.09678418
                            + t * (-0.18628806
                                + t * (0.27886807
                                    + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
                .exp();
        let erfc = if x >= 0.0 { ans } else { 2.0 - ans };
        // Φ(x) = erfc(−x/√2)/2; `ans` is erfc(|x|/√2).
        if x >= 0.0 {
            1.0 - 0.5 * erfc
        } else {
            0.5 * (2.0 - erfc)
        }
    }

    /// The EVPI of two options whose incremental net benefit is N(μ, σ²):
    /// `σ·φ(μ/σ) − |μ|·Φ(−|μ|/σ)` (unit normal loss integral; Raiffa and
    /// Schlaifer, *Applied Statistical Decision Theory*, 1961).
    fn normal_evpi(mu: f64, sigma: f64) -> f64 {
        sigma * normal_pdf(mu / sigma) - mu.abs() * normal_cdf(-mu.abs() / sigma)
    }

    fn normals(seed: u64, n: usize) -> Vec<f64> {
        let mut r = rng::stream(seed, 0, Purpose::Test, 0);
        let mut z = vec![0.0; n];
        fill_standard_normal(&mut r, &mut z);
        z
    }

    fn uniforms(seed: u64, n: usize) -> Vec<f64> {
        let mut r = rng::stream(seed, 0, Purpose::Test, 1);
        (0..n).map(|_| rng::uniform(&mut r)).collect()
    }

    /// Mean and its Monte Carlo standard error.
    fn mean_mcse(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
        (m, (var / n).sqrt())
    }

    fn column(x: &[f64]) -> Array2<f64> {
        Array1::from(x.to_vec()).insert_axis(ndarray::Axis(1))
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        // Φ(1.959963985) = 0.975, Φ(−1) = 0.158655254, Φ(0) = 0.5.
        assert!((normal_cdf(1.959963985) - 0.975).abs() < 1e-7);
        assert!((normal_cdf(-1.0) - 0.158655254).abs() < 1e-7);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    }

    #[test]
    fn box_muller_deviates_have_mean_0_and_variance_1() {
        let z = normals(3, 200_000);
        let (m, mcse) = mean_mcse(&z);
        assert!(m.abs() < 4.0 * mcse);
        let sq: Vec<f64> = z.iter().map(|v| v * v).collect();
        let (v, v_mcse) = mean_mcse(&sq);
        assert!((v - 1.0).abs() < 4.0 * v_mcse);
        // P(Z < −1.96) = 0.025 within 4 binomial standard errors.
        let p = z.iter().filter(|&&v| v < -1.959963985).count() as f64 / z.len() as f64;
        assert!((p - 0.025).abs() < 4.0 * (0.025 * 0.975 / z.len() as f64).sqrt());
    }

    /// EVPI of X ~ N(μ, σ²) against 0 within 4 Monte Carlo standard errors of
    /// the mean loss of the arm chosen on the sample.
    #[test]
    fn evpi_of_a_normal_increment() {
        let n = 100_000;
        let z = normals(1, n);
        for (mu, sigma) in [(500.0, 1000.0), (-1500.0, 1000.0), (100.0, 2000.0)] {
            let nb = Array2::from_shape_fn((n, 2), |(j, d)| 3000.0 + if d == 1 { mu + sigma * z[j] } else { 0.0 });
            let got = evpi(nb.view()).unwrap();
            let x: Vec<f64> = (0..n).map(|j| nb[[j, 1]] - nb[[j, 0]]).collect();
            let chose_1 = x.iter().sum::<f64>() > 0.0;
            let loss: Vec<f64> = x.iter().map(|&v| if chose_1 { (-v).max(0.0) } else { v.max(0.0) }).collect();
            let (m, mcse) = mean_mcse(&loss);
            assert!((got - m).abs() < 1e-9 * m.max(1.0), "evpi {got} is the mean loss {m}");
            let want = normal_evpi(mu, sigma);
            assert!((got - want).abs() < 4.0 * mcse, "μ {mu} σ {sigma}: {got} vs {want} (mcse {mcse})");
        }
    }

    #[test]
    fn evpi_is_mean_max_minus_max_mean_by_hand() {
        // Draws (0, 10, 4), (0, −10, 8): mean max = (10 + 8)/2 = 9; means 0, 0, 6 → 9 − 6 = 3.
        let nb = ndarray::array![[0.0, 10.0, 4.0], [0.0, -10.0, 8.0]];
        assert_eq!(evpi(nb.view()).unwrap(), 3.0);
        assert_eq!(evpi(ndarray::array![[1.0], [2.0]].view()).unwrap(), 0.0);
    }

    /// One uniform input is the only uncertainty and the net benefit is
    /// smooth in it, so E(NB | θ) = NB and the EVPPI equals the EVPI up to the
    /// spline's approximation error.
    #[test]
    fn evppi_of_the_only_uncertain_input_is_the_evpi() {
        let n = 5_000;
        let theta = uniforms(2, n);
        let nb = Array2::from_shape_fn((n, 2), |(j, d)| {
            let t = theta[j];
            let nb0 = 5_000.0 + 200.0 * t;
            nb0 + if d == 1 { 1000.0 * (t - 0.5) + 300.0 * t * t } else { 0.0 }
        });
        let e = evppi(nb.view(), column(&theta).view(), &EvppiOptions::default()).unwrap();
        assert!(e.evpi > 100.0, "a non-trivial decision: EVPI {}", e.evpi);
        let tol = 2.0 * e.se + 0.01 * e.evpi;
        assert!((e.value - e.evpi).abs() <= tol, "EVPPI {} vs EVPI {} (se {})", e.value, e.evpi, e.se);
        assert!(e.r_squared[0] > 0.9999, "R² {}", e.r_squared[0]);
        assert_eq!(e.warning, None);
    }

    /// An input that does not affect the net benefit has EVPPI 0; the
    /// estimate (biased up by fitting noise) is within 3 standard errors of 0
    /// or below 1% of the EVPI.
    #[test]
    fn evppi_of_an_irrelevant_input_is_zero() {
        let n = 5_000;
        let z = normals(4, n);
        let other = uniforms(5, n);
        // Mean increments near 0, so that the fitted noise crosses zero and
        // the estimate is not trivially 0.
        let nb = Array2::from_shape_fn((n, 3), |(j, d)| [0.0, 5.0 + 1000.0 * z[j], -3.0 + 500.0 * z[j]][d]);
        let e = evppi(nb.view(), column(&other).view(), &EvppiOptions::default()).unwrap();
        assert!(e.value > 0.0, "noise is fitted: the estimate is positive");
        assert!(e.value <= 3.0 * e.se || e.value < 0.01 * e.evpi, "EVPPI {} (se {}, EVPI {})", e.value, e.se, e.evpi);
        assert!(e.se > 0.0);
        assert!(e.r_squared.iter().all(|&r2| r2 < 0.01), "{:?}", e.r_squared);
    }

    /// `NB_1 − NB_0 = a·x1 + b·x2 + c` with independent standard normal
    /// inputs: `E(NB_1 − NB_0 | x1) = a·x1 + c`, normal with mean c and sd |a|,
    /// so `EVPPI(x1) = |a|·φ(c/|a|) − |c|·Φ(−|c|/|a|)`. Tolerance: 4 × the
    /// combined Monte Carlo error of the sample (from the true conditional
    /// mean) and the regression's standard error.
    #[test]
    fn evppi_linear_closed_form() {
        let n = 20_000;
        let x1 = normals(6, n);
        let x2 = normals(7, n);
        let (a, b, c) = (800.0, 1200.0, 300.0);
        let nb = Array2::from_shape_fn((n, 2), |(j, d)| if d == 1 { a * x1[j] + b * x2[j] + c } else { 0.0 });
        for (x, coef) in [(&x1, a), (&x2, b)] {
            let e = evppi(nb.view(), column(x).view(), &EvppiOptions::default()).unwrap();
            let want = normal_evpi(c, coef);
            // The estimator with the true conditional mean g = coef·x + c: its
            // sampling error is that of mean(max(g, 0)) − mean(g) (c > 0 chooses arm 1).
            let loss: Vec<f64> = x.iter().map(|&v| (-(coef * v + c)).max(0.0)).collect();
            let (_, mcse) = mean_mcse(&loss);
            let tol = 4.0 * (mcse * mcse + e.se * e.se).sqrt();
            assert!((e.value - want).abs() <= tol, "coef {coef}: {} vs {want} (tol {tol})", e.value);
        }
        // Both inputs together explain everything: EVPPI = EVPI of the draws.
        let both = ndarray::stack![ndarray::Axis(1), Array1::from(x1.clone()), Array1::from(x2.clone())];
        let e = evppi(nb.view(), both.view(), &EvppiOptions::default()).unwrap();
        assert!((e.value - e.evpi).abs() <= 2.0 * e.se + 1e-9 * e.evpi, "{} vs {}", e.value, e.evpi);
        assert!(e.r_squared[0] > 1.0 - 1e-12);
    }

    /// Three arms driven by three inputs: every group's EVPPI is at most the
    /// EVPI (+ 3 SE), a group's at least that of its part (− 3 SE), and all
    /// inputs together give the EVPI.
    #[test]
    fn three_arms() {
        let n = 10_000;
        let x: Vec<Vec<f64>> = (0..3).map(|i| uniforms(10 + i, n)).collect();
        let nb = Array2::from_shape_fn((n, 3), |(j, d)| {
            let (u, v, w) = (x[0][j], x[1][j], x[2][j]);
            match d {
                0 => 1000.0 * u,
                1 => 1100.0 * u + 400.0 * (v - 0.5) + 100.0 * (w - 0.5),
                _ => 900.0 * u + 600.0 * (w - 0.5).powi(2) - 30.0 + 150.0 * (v - 0.5) * (w - 0.5),
            }
        });
        let inputs = ndarray::stack![
            ndarray::Axis(1),
            Array1::from(x[0].clone()),
            Array1::from(x[1].clone()),
            Array1::from(x[2].clone())
        ];
        let opts = EvppiOptions::default();
        let one = evppi(nb.view(), inputs.slice(s![.., 1..2]), &opts).unwrap();
        let two = evppi(nb.view(), inputs.slice(s![.., 1..3]), &opts).unwrap();
        let all = evppi(nb.view(), inputs.view(), &opts).unwrap();
        // 3 SE for the noise, plus [`EVPI_TOLERANCE`] for the approximation
        // error of a nearly exact fit (the `all` group).
        for e in [&one, &two, &all] {
            let bound = e.evpi + 3.0 * e.se + EVPI_TOLERANCE * e.evpi;
            assert!(e.value <= bound, "{} > {} + 3·{}", e.value, e.evpi, e.se);
            assert_eq!(e.r_squared.len(), 2);
        }
        assert!(two.value >= one.value - 3.0 * two.se);
        // The products of linear terms capture (v − ½)(w − ½) exactly; the
        // spline approximates the square: the fit is nearly exact.
        assert!((all.value - all.evpi).abs() <= 2.0 * all.se + 0.01 * all.evpi, "{} vs {}", all.value, all.evpi);
    }

    /// The standard error is that of the estimate due to the regression
    /// noise: with the inputs fixed and fresh noise in the net benefit,
    /// replicated estimates spread by about the reported SE. With R = 300
    /// replicates the SD over replicates has a relative standard error of
    /// about 1/√(2(R − 1)) ≈ 4%; the ratio must lie within 5 of those of 1
    /// (4 for the replicates' SD, 1 for the variation of the mean reported SE
    /// and the delta-method nature of the posterior sampling).
    #[test]
    fn standard_error_matches_the_spread_over_replicates() {
        let n = 1_000;
        let reps = 300;
        let theta = uniforms(70, n);
        let mut estimates = Vec::with_capacity(reps);
        let mut ses = Vec::with_capacity(reps);
        let opts = EvppiOptions { se_samples: 200, ..EvppiOptions::default() };
        for rep in 0..reps {
            let noise = normals(1_000 + rep as u64, n);
            let nb = Array2::from_shape_fn((n, 2), |(j, d)| {
                if d == 1 {
                    400.0 * (theta[j] - 0.45) + 30.0 * (6.0 * theta[j]).sin() + 300.0 * noise[j]
                } else {
                    0.0
                }
            });
            let e = evppi(nb.view(), column(&theta).view(), &opts).unwrap();
            estimates.push(e.value);
            ses.push(e.se);
        }
        let (m, _) = mean_mcse(&estimates);
        let sd = (estimates.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (reps - 1) as f64).sqrt();
        let (mean_se, _) = mean_mcse(&ses);
        let ratio = mean_se / sd;
        let rel = 1.0 / (2.0 * (reps - 1) as f64).sqrt();
        assert!((ratio - 1.0).abs() < 5.0 * rel, "mean SE {mean_se} vs SD over replicates {sd}");
    }

    #[test]
    fn same_seed_same_bits_and_groups_in_order() {
        let n = 2_000;
        let u = uniforms(20, n);
        let v = normals(21, n);
        let nb = Array2::from_shape_fn((n, 3), |(j, d)| [0.0, 300.0 * (u[j] - 0.4) + 50.0 * v[j], 100.0 * v[j]][d]);
        let inputs = ndarray::stack![ndarray::Axis(1), Array1::from(u.clone()), Array1::from(v.clone())];
        let opts = EvppiOptions { seed: 42, ..EvppiOptions::default() };
        let a = evppi(nb.view(), inputs.view(), &opts).unwrap();
        let b = evppi(nb.view(), inputs.view(), &opts).unwrap();
        assert_eq!(a.value.to_bits(), b.value.to_bits());
        assert_eq!(a.se.to_bits(), b.se.to_bits());
        let c = evppi(nb.view(), inputs.view(), &EvppiOptions { seed: 43, ..opts }).unwrap();
        assert_eq!(a.value.to_bits(), c.value.to_bits(), "the estimate does not depend on the seed");
        assert_ne!(a.se.to_bits(), c.se.to_bits(), "the standard error does");

        let groups = [inputs.slice(s![.., 0..1]), inputs.slice(s![.., 1..2]), inputs.view()];
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let par = pool.install(|| evppi_groups(nb.view(), &groups, &opts));
        for (g, r) in groups.iter().zip(&par) {
            let one = evppi(nb.view(), *g, &opts).unwrap();
            assert_eq!(r.as_ref().unwrap(), &one);
        }
    }

    /// Harrell's basis by hand: knots 0, 1, 2, 3, 4 (norm (4 − 0)² = 16). At
    /// x = 2.5, term 1 (t = 0): 2.5³ − 0 + 0 = 15.625; term 2: 1.5³ = 3.375;
    /// term 3: 0.5³ = 0.125; divided by 16. Beyond the last knot the terms are
    /// linear (equal second differences of zero).
    #[test]
    fn restricted_cubic_spline_terms() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0];
        let mut out = [0.0; 3];
        rcs_terms(2.5, &t, &mut out);
        assert_eq!(out, [15.625 / 16.0, 3.375 / 16.0, 0.125 / 16.0]);
        // x = 3.5: term 1 = 3.5³ − 0.5³·(4 − 0)/(4 − 3) = 42.875 − 0.5 = 42.375.
        rcs_terms(3.5, &t, &mut out);
        assert_eq!(out[0], 42.375 / 16.0);
        let at = |x: f64| {
            let mut o = [0.0; 3];
            rcs_terms(x, &t, &mut o);
            o
        };
        let (a, b, c) = (at(5.0), at(6.0), at(7.0));
        for k in 0..3 {
            assert!((a[k] - 2.0 * b[k] + c[k]).abs() < 1e-12, "term {k} not linear beyond the last knot");
            assert_eq!(at(-1.0)[k], 0.0, "zero below the first knot");
        }
    }

    #[test]
    fn knots_at_harrell_quantiles() {
        // 0..=100: type-7 quantiles are 100·p.
        let x: Vec<f64> = (0..=100).map(f64::from).collect();
        let close = |got: Vec<f64>, want: &[f64]| {
            assert_eq!(got.len(), want.len());
            assert!(got.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12), "{got:?} vs {want:?}");
        };
        close(knots_of(&x, 5), &[5.0, 27.5, 50.0, 72.5, 95.0]);
        close(knots_of(&x, 3), &[10.0, 50.0, 90.0]);
        close(knots_of(&x, 7), &[2.5, 18.33, 34.17, 50.0, 65.83, 81.67, 97.5]);
        // A two-valued input: the median interpolates to 0.5, and the one
        // spline term is 0.75·x on {0, 1}, collinear with x, so dropped.
        let two: Vec<f64> = (0..100).map(|i| f64::from(i % 2)).collect();
        assert_eq!(knots_of(&two, 5), [0.0, 0.5, 1.0]);
        let cols = basis(column(&two).view(), 5);
        assert_eq!((cols.len(), orthonormal(cols).ncols()), (3, 2));
        assert_eq!((default_knots(999), default_knots(1000), default_knots(299)), (4, 5, 3));
    }

    /// Basis sizes: a single input with 5 knots has 1 + 1 + 3 columns; a
    /// constant input adds nothing; two inputs add one product; seven inputs
    /// none.
    #[test]
    fn basis_columns() {
        let n = 1_000;
        let u = Array1::from(uniforms(30, n));
        let k = Array1::from_elem(n, 2.5);
        assert_eq!(basis(ndarray::stack![ndarray::Axis(1), u.view()].view(), 5).len(), 5);
        assert_eq!(basis(ndarray::stack![ndarray::Axis(1), u.view(), k.view()].view(), 5).len(), 5);
        let w = Array1::from(uniforms(31, n));
        assert_eq!(basis(ndarray::stack![ndarray::Axis(1), u.view(), w.view()].view(), 5).len(), 1 + 2 * 4 + 1);
        let seven = Array2::from_shape_fn((n, 7), |(j, c)| uniforms(40 + c as u64, n)[j]);
        assert_eq!(basis(seven.view(), 3).len(), 1 + 7 * 2);
    }

    /// A group of constant inputs carries no information: EVPPI exactly 0.
    /// The same input twice is collinear and dropped: same estimate as once.
    #[test]
    fn constant_and_duplicated_inputs() {
        let n = 1_000;
        let u = uniforms(50, n);
        let nb = Array2::from_shape_fn((n, 2), |(j, d)| if d == 1 { 100.0 * (u[j] - 0.3) } else { 0.0 });
        let konst = Array2::from_elem((n, 2), 7.0);
        let e = evppi(nb.view(), konst.view(), &EvppiOptions::default()).unwrap();
        assert_eq!((e.value, e.r_squared[0]), (0.0, 0.0));
        let once = evppi(nb.view(), column(&u).view(), &EvppiOptions::default()).unwrap();
        let twice_in = ndarray::stack![ndarray::Axis(1), Array1::from(u.clone()), Array1::from(u.clone())];
        let twice = evppi(nb.view(), twice_in.view(), &EvppiOptions::default()).unwrap();
        assert!((once.value - twice.value).abs() < 1e-9 * once.value, "{} vs {}", once.value, twice.value);
        // Linear in u: EVPPI = EVPI = E[max(0, −100(u − 0.3))] = 100·0.3²/2 = 4.5 in expectation.
        assert!((once.value - once.evpi).abs() < 1e-9 * once.evpi);
    }

    /// One arm: no decision, so EVPI and EVPPI are 0 with no regression.
    #[test]
    fn a_single_arm_has_no_value_of_information() {
        let u = uniforms(80, 100);
        let nb = column(&u);
        let e = evppi(nb.view(), nb.view(), &EvppiOptions::default()).unwrap();
        assert_eq!((e.value, e.se, e.evpi, e.r_squared.len()), (0.0, 0.0, 0.0, 0));
    }

    #[test]
    fn warnings() {
        assert_eq!(warning(5_000, 10.0, 1.0, 20.0), None);
        let w = warning(200, 10.0, 1.0, 20.0).unwrap();
        assert_eq!(
            w,
            "The EVPPI is estimated from only 200 draws, too few for a reliable regression: run more draws (at least 1000)."
        );
        // se 8 > 10/2: (2·8/10)² · 5000 = 12800 → 13000 draws.
        let w = warning(5_000, 10.0, 8.0, 50.0).unwrap();
        assert_eq!(w, "Its standard error (8.000) is more than half the estimate (10.00), so the value is uncertain (it may be close to 0): run more draws (at least 13000).");
        // 30 > 20 + 2·1.
        let w = warning(5_000, 30.0, 1.0, 20.0).unwrap();
        assert_eq!(
            w,
            "The estimate (30.00) exceeds the EVPI (20.00) by more than two standard errors, so the regression fits noise: run more draws (at least 10000) or estimate a smaller group of inputs."
        );
        // 22.1 > 20 + 2·1 + 1% of 20 = 22.2? No: no warning; 22.3 is one.
        assert_eq!(warning(5_000, 22.1, 1.0, 20.0), None);
        assert!(warning(5_000, 22.3, 1.0, 20.0).is_some());
        // Few draws in a real estimate.
        let n = 200;
        let u = uniforms(60, n);
        let nb = Array2::from_shape_fn((n, 2), |(j, d)| if d == 1 { u[j] - 0.5 } else { 0.0 });
        let e = evppi(nb.view(), column(&u).view(), &EvppiOptions::default()).unwrap();
        assert!(e.warning.unwrap().contains("run more draws (at least 1000)"));
    }

    #[test]
    fn bad_input_is_an_error() {
        let opts = EvppiOptions::default();
        let nb = Array2::<f64>::zeros((100, 2));
        let x = Array2::<f64>::zeros((99, 1));
        assert_eq!(
            evppi(nb.view(), x.view(), &opts).unwrap_err().to_string(),
            "the net benefits have 100 draws but the inputs 99: give one input row per draw"
        );
        let few = Array2::<f64>::zeros((49, 2));
        assert_eq!(
            evppi(few.view(), few.view(), &opts).unwrap_err().to_string(),
            "an EVPPI needs at least 50 draws, got 49: run more draws (at least 1000)"
        );
        // 60 draws allow 12 columns; four inputs with 3 knots need 1 + 4·2 + 6 = 15.
        let x = Array2::from_shape_fn((60, 4), |(j, c)| ((j * (c + 3)) % 17) as f64);
        assert_eq!(
            evppi(Array2::<f64>::zeros((60, 2)).view(), x.view(), &opts).unwrap_err().to_string(),
            "the regression for this group has 15 terms but 60 draws allow at most 12 (one per 5 draws): run more draws (at least 75) or estimate a smaller group"
        );
        let mut bad = nb.clone();
        bad[[3, 1]] = f64::NAN;
        let x = Array2::<f64>::zeros((100, 1));
        assert_eq!(
            evppi(bad.view(), x.view(), &opts).unwrap_err().to_string(),
            "the net benefit in draw 3, column 1 is NaN, not a finite number"
        );
        let mut badx = x.clone();
        badx[[7, 0]] = f64::NEG_INFINITY;
        assert_eq!(
            evppi(nb.view(), badx.view(), &opts).unwrap_err().to_string(),
            "the input in draw 7, column 0 is -inf, not a finite number"
        );
        assert_eq!(
            evppi(nb.view(), x.view(), &EvppiOptions { knots: Some(8), ..opts }).unwrap_err().to_string(),
            "knots must be 3 to 7 (Harrell's quantile positions), got 8"
        );
        assert_eq!(
            evppi(nb.view(), x.view(), &EvppiOptions { se_samples: 1, ..opts }).unwrap_err().to_string(),
            "the standard error needs at least 2 samples, got 1"
        );
        assert_eq!(
            evppi(nb.view(), Array2::<f64>::zeros((100, 0)).view(), &opts).unwrap_err().to_string(),
            "an EVPPI needs at least one input column, got none"
        );
        assert_eq!(evpi(Array2::<f64>::zeros((3, 0)).view()).unwrap_err(), VoiError::NoArms);
        assert_eq!(evpi(Array2::<f64>::zeros((0, 2)).view()).unwrap_err(), VoiError::NoDraws);
    }
}
