//! Statistics of weighted draws (importance sampling): normalised weights,
//! effective sample size, weighted mean and quantiles.

/// Effective sample size of (unnormalised, non-negative) weights: (Σw)² / Σw².
pub fn ess(w: &[f64]) -> f64 {
    let s: f64 = w.iter().sum();
    let s2: f64 = w.iter().map(|x| x * x).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// Normalised weights from log-weights (max subtracted first, so no underflow
/// to an all-zero vector). `None` when no draw has a finite log-weight.
pub fn normalise(logw: &[f64]) -> Option<Vec<f64>> {
    let max = logw.iter().copied().filter(|x| x.is_finite()).fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return None;
    }
    let w: Vec<f64> = logw.iter().map(|&l| if l.is_finite() { (l - max).exp() } else { 0.0 }).collect();
    let s: f64 = w.iter().sum();
    Some(w.into_iter().map(|x| x / s).collect())
}

/// Weighted quantile (the smallest x whose cumulative weight reaches p) of
/// values with normalised weights; NaN values are skipped.
pub fn weighted_quantile(xs: &[f64], w: &[f64], p: f64) -> f64 {
    let mut v: Vec<(f64, f64)> = xs.iter().zip(w).filter(|(x, _)| x.is_finite()).map(|(&x, &w)| (x, w)).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|e| e.1).sum();
    let mut acc = 0.0;
    for &(x, wi) in &v {
        acc += wi;
        if acc >= p * total - 1e-15 {
            return x;
        }
    }
    v.last().map_or(f64::NAN, |e| e.0)
}

/// Weighted mean of the finite values.
pub fn weighted_mean(xs: &[f64], w: &[f64]) -> f64 {
    let (mut s, mut sw) = (0.0, 0.0);
    for (&x, &wi) in xs.iter().zip(w) {
        if x.is_finite() {
            s += x * wi;
            sw += wi;
        }
    }
    if sw > 0.0 {
        s / sw
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed: weights 1, 1, 2 → (4)² / (1 + 1 + 4) = 16/6.
    #[test]
    fn ess_of_a_hand_computed_case() {
        assert!((ess(&[1.0, 1.0, 2.0]) - 16.0 / 6.0).abs() < 1e-12);
        assert_eq!(ess(&[0.25; 4]), 4.0);
        assert_eq!(ess(&[1.0, 0.0, 0.0]), 1.0);
        assert_eq!(ess(&[0.0, 0.0]), 0.0);
    }

    #[test]
    fn weights_survive_tiny_likelihoods_and_say_when_nothing_fits() {
        let w = normalise(&[-2000.0, -2001.0, f64::NEG_INFINITY]).unwrap();
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12 && w[2] == 0.0 && w[0] > w[1]);
        assert!(normalise(&[f64::NEG_INFINITY, f64::NEG_INFINITY]).is_none());
    }

    #[test]
    fn weighted_quantiles_of_a_known_sample() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        let w = [0.1, 0.1, 0.1, 0.7];
        assert_eq!(weighted_quantile(&xs, &w, 0.5), 4.0);
        assert_eq!(weighted_quantile(&xs, &w, 0.2), 2.0);
        assert!((weighted_mean(&xs, &w) - 3.4).abs() < 1e-12);
    }
}
