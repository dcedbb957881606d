//! Probability distributions for uncertain parameters (second-order uncertainty).
//!
//! Distributions are immutable values, validated when built and sampled with an
//! explicit `&mut R`. They are parameterised the way analysts write them: a
//! mean and sd, low/mode/high, alpha/beta or counts, or a ratio with its 95 %
//! confidence interval. Impossible parameters are a [`DistError`], never a
//! silently wrong sample.
//!
//! ```
//! use wijkimpact::dist::Distribution;
//! let effect = Distribution::beta_mean_sd(0.2, 0.05).unwrap();
//! assert!((effect.mean() - 0.2).abs() < 1e-12);
//! assert!(Distribution::beta_mean_sd(0.5, 0.6).is_err()); // sd too large for the mean
//! ```

use rand::Rng;
use rand_distr::Distribution as _;

/// Why a distribution's parameters are impossible.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{dist}: {reason}")]
pub struct DistError {
    /// Distribution family, as written in the scenario file (`normal`, `beta`, …).
    pub dist: &'static str,
    /// What is wrong with the parameters, in words for the analyst.
    pub reason: String,
}

fn err<T>(dist: &'static str, reason: impl Into<String>) -> Result<T, DistError> {
    Err(DistError { dist, reason: reason.into() })
}

fn finite(dist: &'static str, name: &str, x: f64) -> Result<(), DistError> {
    if x.is_finite() {
        Ok(())
    } else {
        err(dist, format!("{name} must be a finite number, got {x}"))
    }
}

/// z-value of the 97.5th percentile of the standard normal.
pub const Z975: f64 = 1.959_963_984_540_054;

/// A validated distribution. Scalar distributions occupy one slot; a Dirichlet
/// over k categories occupies k.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Normal distribution; may produce negative values.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (≥ 0).
        sd: f64,
    },
    /// `ln X ~ Normal(mu, sigma)`.
    LogNormal {
        /// Mean of `ln X`.
        mu: f64,
        /// Standard deviation of `ln X` (≥ 0).
        sigma: f64,
    },
    /// Beta distribution on (0, 1), for probabilities and shares.
    Beta {
        /// First shape parameter (> 0).
        alpha: f64,
        /// Second shape parameter (> 0).
        beta: f64,
    },
    /// Gamma distribution on (0, ∞), for costs and counts.
    Gamma {
        /// Shape parameter (> 0).
        shape: f64,
        /// Scale parameter (> 0).
        scale: f64,
    },
    /// Uniform distribution on [low, high].
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound (≥ `low`).
        high: f64,
    },
    /// Triangular distribution on [low, high] with its peak at `mode`.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Most likely value, within [low, high].
        mode: f64,
        /// Upper bound.
        high: f64,
    },
    /// Beta-PERT on [low, high] with the given mode and shape `lambda` (4 by default).
    Pert {
        /// Lower bound.
        low: f64,
        /// Most likely value, within [low, high].
        mode: f64,
        /// Upper bound (> `low`).
        high: f64,
        /// Shape: weight of the mode (> 0).
        lambda: f64,
    },
    /// Dirichlet over k categories, for a row of transition probabilities summing to 1.
    /// A category with concentration 0 is a *structural zero* (an impossible move):
    /// it is exactly 0 in every draw, and the others follow the Dirichlet of the
    /// positive concentrations.
    Dirichlet {
        /// Concentration per category (each ≥ 0, at least one > 0); its length is k.
        alpha: Vec<f64>,
    },
}

impl Distribution {
    /// Normal from its mean and sd (sd ≥ 0).
    pub fn normal(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("normal", "mean", mean)?;
        finite("normal", "sd", sd)?;
        if sd < 0.0 {
            return err("normal", format!("sd must be >= 0, got {sd}"));
        }
        Ok(Distribution::Normal { mean, sd })
    }

    /// Lognormal with the given mean and sd of the variable itself (not of its log).
    pub fn lognormal_mean_sd(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("lognormal", "mean", mean)?;
        finite("lognormal", "sd", sd)?;
        if mean <= 0.0 {
            return err("lognormal", format!("mean must be > 0, got {mean}"));
        }
        if sd < 0.0 {
            return err("lognormal", format!("sd must be >= 0, got {sd}"));
        }
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        Ok(Distribution::LogNormal { mu: mean.ln() - sigma2 / 2.0, sigma: sigma2.sqrt() })
    }

    /// Lognormal given the mean and sd of `ln X`.
    pub fn lognormal_log(meanlog: f64, sdlog: f64) -> Result<Self, DistError> {
        finite("lognormal", "meanlog", meanlog)?;
        finite("lognormal", "sdlog", sdlog)?;
        if sdlog < 0.0 {
            return err("lognormal", format!("sdlog must be >= 0, got {sdlog}"));
        }
        Ok(Distribution::LogNormal { mu: meanlog, sigma: sdlog })
    }

    /// A ratio (relative risk, odds ratio) from its point estimate and 95 %
    /// confidence interval, as published: `ln(ratio)` is the median of the log and
    /// the CI width on the log scale gives the sd. The estimate must lie inside
    /// the interval; an asymmetric interval (on the log scale) uses its mean half-width.
    pub fn lognormal_ratio_ci(ratio: f64, lo: f64, hi: f64) -> Result<Self, DistError> {
        for (n, x) in [("ratio", ratio), ("ci95 low", lo), ("ci95 high", hi)] {
            finite("lognormal", n, x)?;
            if x <= 0.0 {
                return err("lognormal", format!("{n} must be > 0, got {x}"));
            }
        }
        if !(lo <= ratio && ratio <= hi) {
            return err("lognormal", format!("ratio {ratio} must lie inside its ci95 [{lo}, {hi}]"));
        }
        let sigma = (hi.ln() - lo.ln()) / (2.0 * Z975);
        Ok(Distribution::LogNormal { mu: ratio.ln(), sigma })
    }

    /// Beta from its shape parameters (both > 0).
    pub fn beta(alpha: f64, beta: f64) -> Result<Self, DistError> {
        finite("beta", "alpha", alpha)?;
        finite("beta", "beta", beta)?;
        if alpha <= 0.0 || beta <= 0.0 {
            return err("beta", format!("alpha and beta must be > 0, got alpha = {alpha}, beta = {beta}"));
        }
        Ok(Distribution::Beta { alpha, beta })
    }

    /// Beta from a mean in (0, 1) and an sd; the sd must be below `sqrt(mean (1 − mean))`.
    pub fn beta_mean_sd(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("beta", "mean", mean)?;
        finite("beta", "sd", sd)?;
        if !(mean > 0.0 && mean < 1.0) {
            return err("beta", format!("mean must lie strictly between 0 and 1, got {mean}"));
        }
        let max_var = mean * (1.0 - mean);
        if sd.is_nan() || sd <= 0.0 || sd * sd >= max_var {
            return err(
                "beta",
                format!(
                    "sd must be > 0 and below sqrt(mean (1 - mean)) = {:.6} for mean {mean}, got {sd}",
                    max_var.sqrt()
                ),
            );
        }
        let k = max_var / (sd * sd) - 1.0;
        Distribution::beta(mean * k, (1.0 - mean) * k)
    }

    /// Beta from observed counts: `events` out of `trials` (alpha = events, beta = trials − events).
    pub fn beta_counts(events: f64, trials: f64) -> Result<Self, DistError> {
        finite("beta", "events", events)?;
        finite("beta", "trials", trials)?;
        if !(events > 0.0 && events < trials) {
            return err("beta", format!("need 0 < events < trials, got events = {events}, trials = {trials}"));
        }
        Distribution::beta(events, trials - events)
    }

    /// Gamma from shape and scale (both > 0).
    pub fn gamma(shape: f64, scale: f64) -> Result<Self, DistError> {
        finite("gamma", "shape", shape)?;
        finite("gamma", "scale", scale)?;
        if shape <= 0.0 || scale <= 0.0 {
            return err("gamma", format!("shape and scale must be > 0, got shape = {shape}, scale = {scale}"));
        }
        Ok(Distribution::Gamma { shape, scale })
    }

    /// Gamma from its mean and sd (both > 0), by the method of moments.
    pub fn gamma_mean_sd(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("gamma", "mean", mean)?;
        finite("gamma", "sd", sd)?;
        if mean <= 0.0 || sd <= 0.0 {
            return err("gamma", format!("mean and sd must be > 0, got mean = {mean}, sd = {sd}"));
        }
        Distribution::gamma((mean / sd).powi(2), sd * sd / mean)
    }

    /// Uniform on [low, high].
    pub fn uniform(low: f64, high: f64) -> Result<Self, DistError> {
        finite("uniform", "low", low)?;
        finite("uniform", "high", high)?;
        if low > high {
            return err("uniform", format!("low ({low}) must not exceed high ({high})"));
        }
        Ok(Distribution::Uniform { low, high })
    }

    /// Triangular on [low, high] with the given mode.
    pub fn triangular(low: f64, mode: f64, high: f64) -> Result<Self, DistError> {
        Self::check_lmh("triangular", low, mode, high)?;
        Ok(Distribution::Triangular { low, mode, high })
    }

    /// Beta-PERT on [low, high] with the given mode and shape `lambda` (conventionally 4).
    pub fn pert(low: f64, mode: f64, high: f64, lambda: f64) -> Result<Self, DistError> {
        Self::check_lmh("pert", low, mode, high)?;
        finite("pert", "lambda", lambda)?;
        if lambda <= 0.0 {
            return err("pert", format!("lambda must be > 0, got {lambda}"));
        }
        if low == high {
            return err("pert", format!("low and high must differ, both are {low}"));
        }
        Ok(Distribution::Pert { low, mode, high, lambda })
    }

    fn check_lmh(dist: &'static str, low: f64, mode: f64, high: f64) -> Result<(), DistError> {
        finite(dist, "low", low)?;
        finite(dist, "mode", mode)?;
        finite(dist, "high", high)?;
        if !(low <= mode && mode <= high) {
            return err(dist, format!("need low <= mode <= high, got {low}, {mode}, {high}"));
        }
        if low == high && dist == "triangular" {
            return err(dist, format!("low and high must differ, both are {low}"));
        }
        Ok(())
    }

    /// Dirichlet with concentration parameters (at least 2 categories, each ≥ 0,
    /// at least one > 0). Observed counts can be passed directly: they are the
    /// usual posterior with a flat prior minus one, and analysts write them as
    /// alphas. A 0 is a structural zero: a move that cannot happen (published
    /// count tables have them), exactly 0 in every draw. With a single positive
    /// entry the row is that category with probability 1 in every draw (a
    /// degenerate but valid row, like a normal with sd 0).
    pub fn dirichlet(alpha: Vec<f64>) -> Result<Self, DistError> {
        if alpha.len() < 2 {
            return err("dirichlet", format!("needs at least 2 categories, got {}", alpha.len()));
        }
        for (k, &a) in alpha.iter().enumerate() {
            finite("dirichlet", "alpha", a)?;
            if a < 0.0 {
                return err("dirichlet", format!("alpha[{k}] must be >= 0 (0 = a move that never happens), got {a}"));
            }
        }
        if alpha.iter().all(|&a| a == 0.0) {
            return err("dirichlet", "at least one alpha must be > 0 (all are 0: no category can ever occur)");
        }
        Ok(Distribution::Dirichlet { alpha })
    }

    /// Number of slots: 1, or k for a Dirichlet.
    pub fn dim(&self) -> usize {
        match self {
            Distribution::Dirichlet { alpha } => alpha.len(),
            _ => 1,
        }
    }

    /// Short name as written in scenario files.
    pub fn kind(&self) -> &'static str {
        match self {
            Distribution::Normal { .. } => "normal",
            Distribution::LogNormal { .. } => "lognormal",
            Distribution::Beta { .. } => "beta",
            Distribution::Gamma { .. } => "gamma",
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Pert { .. } => "pert",
            Distribution::Dirichlet { .. } => "dirichlet",
        }
    }

    /// Smallest and largest value a sample can take (per component for a Dirichlet).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Distribution::Normal { mean, sd } => {
                if sd == 0.0 {
                    (mean, mean)
                } else {
                    (f64::NEG_INFINITY, f64::INFINITY)
                }
            }
            Distribution::LogNormal { .. } | Distribution::Gamma { .. } => (0.0, f64::INFINITY),
            Distribution::Beta { .. } | Distribution::Dirichlet { .. } => (0.0, 1.0),
            Distribution::Uniform { low, high }
            | Distribution::Triangular { low, high, .. }
            | Distribution::Pert { low, high, .. } => (low, high),
        }
    }

    /// Mean (of the first component for a Dirichlet; see [`Self::means`]).
    pub fn mean(&self) -> f64 {
        self.means()[0]
    }

    /// Mean of every component.
    pub fn means(&self) -> Vec<f64> {
        match self {
            Distribution::Normal { mean, .. } => vec![*mean],
            Distribution::LogNormal { mu, sigma } => vec![(mu + sigma * sigma / 2.0).exp()],
            Distribution::Beta { alpha, beta } => vec![alpha / (alpha + beta)],
            Distribution::Gamma { shape, scale } => vec![shape * scale],
            Distribution::Uniform { low, high } => vec![(low + high) / 2.0],
            Distribution::Triangular { low, mode, high } => vec![(low + mode + high) / 3.0],
            Distribution::Pert { low, mode, high, lambda } => vec![(low + lambda * mode + high) / (lambda + 2.0)],
            Distribution::Dirichlet { alpha } => {
                let s: f64 = alpha.iter().sum();
                alpha.iter().map(|a| a / s).collect()
            }
        }
    }

    /// Draw one sample into `out` (`out.len() == self.dim()`).
    pub fn sample_into<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        debug_assert_eq!(out.len(), self.dim());
        match self {
            Distribution::Dirichlet { alpha } => {
                let mut s = 0.0;
                for (o, &a) in out.iter_mut().zip(alpha) {
                    // A structural zero draws nothing from the stream, so the
                    // positive categories get exactly the values a Dirichlet over
                    // them alone would get (and all-positive rows are unchanged).
                    *o = if a > 0.0 { gamma_sample(rng, a, 1.0) } else { 0.0 };
                    s += *o;
                }
                if s > 0.0 {
                    for o in out.iter_mut() {
                        *o /= s;
                    }
                } else {
                    // All gammas underflowed (tiny alphas): fall back to the mean.
                    let t: f64 = alpha.iter().sum();
                    for (o, &a) in out.iter_mut().zip(alpha) {
                        *o = a / t;
                    }
                }
            }
            _ => out[0] = self.sample(rng),
        }
    }

    /// Draw one scalar sample (the first component for a Dirichlet).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Distribution::Normal { mean, sd } => {
                if sd == 0.0 {
                    mean
                } else {
                    rand_distr::Normal::new(mean, sd).expect("validated").sample(rng)
                }
            }
            Distribution::LogNormal { mu, sigma } => {
                if sigma == 0.0 {
                    mu.exp()
                } else {
                    rand_distr::LogNormal::new(mu, sigma).expect("validated").sample(rng)
                }
            }
            Distribution::Beta { alpha, beta } => beta_sample(rng, alpha, beta),
            Distribution::Gamma { shape, scale } => gamma_sample(rng, shape, scale),
            Distribution::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Distribution::Triangular { low, mode, high } => {
                let u: f64 = rng.random();
                let fc = (mode - low) / (high - low);
                if u < fc {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                }
            }
            Distribution::Pert { low, mode, high, lambda } => {
                let a = 1.0 + lambda * (mode - low) / (high - low);
                let b = 1.0 + lambda * (high - mode) / (high - low);
                low + (high - low) * beta_sample(rng, a, b)
            }
            Distribution::Dirichlet { ref alpha } => {
                let mut out = vec![0.0; alpha.len()];
                self.sample_into(rng, &mut out);
                out[0]
            }
        }
    }
}

/// A number for people: at most six significant digits, no exponent, no
/// trailing zeros (`4300`, `0.05`, `1.875`, `-0.01`).
pub fn short_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == 0.0 {
        return "0".into();
    }
    let decimals = (5 - x.abs().log10().floor() as i32).clamp(0, 15) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A short description in the terms analysts use, for reports:
/// `gamma(mean 4300, sd 900)`, `beta(mean 0.2, sd 0.05)`,
/// `lognormal(median 1.5, 95% CI 1.2-1.875)`, `pert(low 0, mode 0.2, high 1)`,
/// `dirichlet(alpha 90, 8, 2)`. Moments are computed from the validated
/// parameters, so a beta given as events/trials is shown by its mean and sd.
impl std::fmt::Display for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = short_number;
        match *self {
            Distribution::Normal { mean, sd } => write!(f, "normal(mean {}, sd {})", n(mean), n(sd)),
            Distribution::LogNormal { mu, sigma } => write!(
                f,
                "lognormal(median {}, 95% CI {}-{})",
                n(mu.exp()),
                n((mu - Z975 * sigma).exp()),
                n((mu + Z975 * sigma).exp())
            ),
            Distribution::Beta { alpha, beta } => {
                let s = alpha + beta;
                let mean = alpha / s;
                let sd = (alpha * beta / (s * s * (s + 1.0))).sqrt();
                write!(f, "beta(mean {}, sd {})", n(mean), n(sd))
            }
            Distribution::Gamma { shape, scale } => {
                write!(f, "gamma(mean {}, sd {})", n(shape * scale), n(shape.sqrt() * scale))
            }
            Distribution::Uniform { low, high } => write!(f, "uniform(low {}, high {})", n(low), n(high)),
            Distribution::Triangular { low, mode, high } => {
                write!(f, "triangular(low {}, mode {}, high {})", n(low), n(mode), n(high))
            }
            Distribution::Pert { low, mode, high, lambda } => {
                write!(f, "pert(low {}, mode {}, high {}", n(low), n(mode), n(high))?;
                if lambda != 4.0 {
                    write!(f, ", lambda {}", n(lambda))?;
                }
                f.write_str(")")
            }
            Distribution::Dirichlet { ref alpha } => {
                let a: Vec<String> = alpha.iter().map(|&x| n(x)).collect();
                write!(f, "dirichlet(alpha {})", a.join(", "))
            }
        }
    }
}

fn gamma_sample<R: Rng + ?Sized>(rng: &mut R, shape: f64, scale: f64) -> f64 {
    rand_distr::Gamma::new(shape, scale).expect("validated").sample(rng)
}

fn beta_sample<R: Rng + ?Sized>(rng: &mut R, alpha: f64, beta: f64) -> f64 {
    // Sampled through two gammas: stable across rand_distr's Beta algorithm changes
    // and exact for any alpha, beta > 0.
    let x = gamma_sample(rng, alpha, 1.0);
    let y = gamma_sample(rng, beta, 1.0);
    if x + y > 0.0 {
        x / (x + y)
    } else {
        alpha / (alpha + beta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Purpose};

    fn moments(d: &Distribution, n: usize) -> (f64, f64) {
        let mut rng = stream(11, 0, Purpose::Test, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt())
    }

    /// Mean within 4 standard errors of the closed-form mean, sd within 5 %.
    fn check_moments(d: &Distribution, mean: f64, sd: f64) {
        let n = 200_000;
        let (m, s) = moments(d, n);
        let se = sd / (n as f64).sqrt();
        assert!((m - mean).abs() < 4.0 * se + 1e-12, "{d:?}: mean {m} vs {mean} (se {se})");
        assert!((s - sd).abs() < 0.05 * sd + 1e-12, "{d:?}: sd {s} vs {sd}");
    }

    #[test]
    fn mean_sd_parameterisations_reproduce_their_moments() {
        check_moments(&Distribution::normal(3.0, 2.0).unwrap(), 3.0, 2.0);
        check_moments(&Distribution::lognormal_mean_sd(1.5, 0.4).unwrap(), 1.5, 0.4);
        check_moments(&Distribution::beta_mean_sd(0.2, 0.05).unwrap(), 0.2, 0.05);
        check_moments(&Distribution::gamma_mean_sd(1200.0, 300.0).unwrap(), 1200.0, 300.0);
        // Uniform: sd = (b - a) / sqrt(12).
        check_moments(&Distribution::uniform(2.0, 8.0).unwrap(), 5.0, 6.0 / 12f64.sqrt());
        // Triangular: var = (a²+b²+c²-ab-ac-bc)/18.
        let (a, c, b) = (1.0f64, 2.0f64, 6.0f64);
        let var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        check_moments(&Distribution::triangular(a, c, b).unwrap(), 3.0, var.sqrt());
        // PERT (lambda 4): mean (a + 4m + b)/6, var = (mean-a)(b-mean)/7.
        let mean = (a + 4.0 * c + b) / 6.0;
        check_moments(&Distribution::pert(a, c, b, 4.0).unwrap(), mean, ((mean - a) * (b - mean) / 7.0).sqrt());
    }

    #[test]
    fn ratio_ci_gives_lognormal_with_matching_quantiles() {
        let d = Distribution::lognormal_ratio_ci(1.5, 1.2, 1.875).unwrap();
        let Distribution::LogNormal { mu, sigma } = d else { panic!() };
        assert!((mu - 1.5f64.ln()).abs() < 1e-12);
        assert!(((mu - Z975 * sigma).exp() - 1.2).abs() < 1e-9);
        assert!(((mu + Z975 * sigma).exp() - 1.875).abs() < 1e-9);
    }

    #[test]
    fn dirichlet_rows_sum_to_one_and_have_the_right_means() {
        let d = Distribution::dirichlet(vec![90.0, 8.0, 2.0]).unwrap();
        let mut rng = stream(5, 0, Purpose::Test, 0);
        let mut acc = [0.0; 3];
        let n = 50_000;
        for _ in 0..n {
            let mut x = [0.0; 3];
            d.sample_into(&mut rng, &mut x);
            assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            for k in 0..3 {
                acc[k] += x[k];
            }
        }
        // Var of component k: a_k (A - a_k) / (A² (A + 1)).
        for (k, &a) in [90.0f64, 8.0, 2.0].iter().enumerate() {
            let var = a * (100.0 - a) / (100.0 * 100.0 * 101.0);
            let se = (var / n as f64).sqrt();
            assert!((acc[k] / n as f64 - a / 100.0).abs() < 4.0 * se);
        }
    }

    #[test]
    fn impossible_parameters_are_errors() {
        assert!(Distribution::beta_mean_sd(0.5, 0.5).is_err());
        assert!(Distribution::beta_mean_sd(1.2, 0.1).is_err());
        assert!(Distribution::uniform(2.0, 1.0).is_err());
        assert!(Distribution::triangular(0.0, 3.0, 2.0).is_err());
        assert!(Distribution::pert(1.0, 1.0, 1.0, 4.0).is_err());
        assert!(Distribution::gamma_mean_sd(-1.0, 1.0).is_err());
        assert!(Distribution::lognormal_ratio_ci(2.0, 1.2, 1.9).is_err());
        assert!(Distribution::dirichlet(vec![0.0, 0.0]).is_err());
        assert!(Distribution::dirichlet(vec![1.0, -0.5]).is_err());
        assert!(Distribution::dirichlet(vec![1.0]).is_err());
        assert!(Distribution::normal(f64::NAN, 1.0).is_err());
        assert!(Distribution::beta_counts(5.0, 5.0).is_err());
    }

    #[test]
    fn display_uses_the_analysts_terms() {
        let show = |d: Result<Distribution, DistError>| d.unwrap().to_string();
        assert_eq!(show(Distribution::gamma_mean_sd(4300.0, 900.0)), "gamma(mean 4300, sd 900)");
        assert_eq!(show(Distribution::beta_mean_sd(0.2, 0.05)), "beta(mean 0.2, sd 0.05)");
        assert_eq!(show(Distribution::normal(-0.01, 0.004)), "normal(mean -0.01, sd 0.004)");
        assert_eq!(show(Distribution::lognormal_ratio_ci(1.5, 1.2, 1.875)), "lognormal(median 1.5, 95% CI 1.2-1.875)");
        assert_eq!(show(Distribution::uniform(2.0, 8.0)), "uniform(low 2, high 8)");
        assert_eq!(show(Distribution::triangular(-0.02, -0.01, 0.0)), "triangular(low -0.02, mode -0.01, high 0)");
        assert_eq!(show(Distribution::pert(0.0, 0.2, 1.0, 4.0)), "pert(low 0, mode 0.2, high 1)");
        assert_eq!(show(Distribution::pert(0.0, 0.2, 1.0, 3.0)), "pert(low 0, mode 0.2, high 1, lambda 3)");
        assert_eq!(show(Distribution::dirichlet(vec![90.0, 8.0, 2.5])), "dirichlet(alpha 90, 8, 2.5)");
        assert_eq!(short_number(55000.0), "55000");
        assert_eq!(short_number(1234567.0), "1234567");
        assert_eq!(short_number(0.000123456789), "0.000123457");
        assert_eq!(short_number(-0.0), "0");
    }

    /// Pins the first samples of each distribution for a fixed stream, so that a
    /// change in the PRNG, the seeding or a sampling algorithm (which would change
    /// every published figure) is caught.
    #[test]
    fn value_stability() {
        let mut rng = stream(2024, 3, Purpose::Parameters, 0);
        let dists = [
            Distribution::normal(0.0, 1.0).unwrap(),
            Distribution::lognormal_ratio_ci(1.5, 1.2, 1.9).unwrap(),
            Distribution::beta(2.0, 5.0).unwrap(),
            Distribution::gamma(2.0, 3.0).unwrap(),
            Distribution::uniform(0.0, 1.0).unwrap(),
            Distribution::triangular(0.0, 0.2, 1.0).unwrap(),
            Distribution::pert(0.0, 0.2, 1.0, 4.0).unwrap(),
        ];
        let got: Vec<f64> = dists.iter().map(|d| d.sample(&mut rng)).collect();
        let expected = PINNED;
        for (g, e) in got.iter().zip(expected.iter()) {
            assert!((g - e).abs() < 1e-12, "got {got:?}");
        }
    }

    /// Pins a Dirichlet with all-positive alphas (values taken from the code
    /// before structural zeros existed, so they show it is unchanged bit for bit)
    /// and the same Dirichlet with structural zeros in between: the zeros are
    /// exactly 0 and the other categories take the very same values.
    #[test]
    fn value_stability_of_dirichlets_with_and_without_structural_zeros() {
        let first = [0.5969280905849279, 0.3896848274323284, 0.013387081982743618];
        let second = [0.5649855845537729, 0.4267982871148757, 0.008216128331351363];
        let mut rng = stream(2024, 3, Purpose::Parameters, 0);
        let d = Distribution::dirichlet(vec![731.0, 512.0, 15.0]).unwrap();
        let mut x = [0.0; 3];
        d.sample_into(&mut rng, &mut x);
        assert_eq!(x, first);
        d.sample_into(&mut rng, &mut x);
        assert_eq!(x, second);
        let mut rng = stream(2024, 3, Purpose::Parameters, 0);
        let z = Distribution::dirichlet(vec![0.0, 731.0, 512.0, 0.0, 15.0]).unwrap();
        let mut y = [9.0; 5];
        z.sample_into(&mut rng, &mut y);
        assert_eq!(y, [0.0, first[0], first[1], 0.0, first[2]]);
        z.sample_into(&mut rng, &mut y);
        assert_eq!(y, [0.0, second[0], second[1], 0.0, second[2]]);
        let mut rng = stream(2024, 3, Purpose::Parameters, 0);
        let d = Distribution::dirichlet(vec![2.0, 0.5, 1.0]).unwrap();
        d.sample_into(&mut rng, &mut x);
        assert_eq!(x, [0.9625922500232332, 0.0011041443634536652, 0.036303605613313014]);
    }

    #[test]
    fn structural_zeros_keep_the_means_and_moments_of_the_positive_categories() {
        // counts [0, 60, 30, 10]: categories 1..3 ~ Dirichlet(60, 30, 10), A = 100.
        let d = Distribution::dirichlet(vec![0.0, 60.0, 30.0, 10.0]).unwrap();
        assert_eq!(d.means(), vec![0.0, 0.6, 0.3, 0.1]);
        assert_eq!(d.support(), (0.0, 1.0));
        let mut rng = stream(6, 0, Purpose::Test, 0);
        let n = 40_000;
        let (mut sum, mut sq) = ([0.0; 4], [0.0; 4]);
        for _ in 0..n {
            let mut x = [0.0; 4];
            d.sample_into(&mut rng, &mut x);
            assert_eq!(x[0], 0.0);
            assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            for k in 0..4 {
                sum[k] += x[k];
                sq[k] += x[k] * x[k];
            }
        }
        for (k, &a) in [0.0f64, 60.0, 30.0, 10.0].iter().enumerate() {
            let var = a * (100.0 - a) / (100.0 * 100.0 * 101.0);
            let m = sum[k] / n as f64;
            let v = sq[k] / n as f64 - m * m;
            assert!((m - a / 100.0).abs() <= 4.0 * (var / n as f64).sqrt(), "component {k}: mean {m}");
            assert!((v - var).abs() <= 0.05 * var, "component {k}: var {v} vs {var}");
        }
        // One positive entry: that category with probability 1 in every draw.
        let one = Distribution::dirichlet(vec![0.0, 0.0, 7.0]).unwrap();
        let mut x = [0.5; 3];
        one.sample_into(&mut rng, &mut x);
        assert_eq!(x, [0.0, 0.0, 1.0]);
        assert_eq!(one.means(), vec![0.0, 0.0, 1.0]);
        assert_eq!(
            Distribution::dirichlet(vec![0.0, 0.0]).unwrap_err().reason,
            "at least one alpha must be > 0 (all are 0: no category can ever occur)"
        );
        assert_eq!(
            Distribution::dirichlet(vec![3.0, -1.0]).unwrap_err().reason,
            "alpha[1] must be >= 0 (0 = a move that never happens), got -1"
        );
    }

    const PINNED: [f64; 7] = [
        0.8186181338603332,
        1.3915936959649942,
        0.11221313925972169,
        2.8459118199877667,
        0.7774151499756595,
        0.41719727823726427,
        0.08388937649755783,
    ];
}
