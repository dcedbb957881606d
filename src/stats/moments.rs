//! Streaming mean, standard deviation and Monte Carlo standard error
//! (Welford), in one pass and O(1) memory.

/// Running mean and variance (Welford 1962), numerically stable in one pass.
///
/// `NaN` values are not added; they are counted in [`Welford::missing`], so a
/// metric that is undefined in some draws still has a mean over the others.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    n: u64,
    missing: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a value; `NaN` is counted as missing.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            self.missing += 1;
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// The state after `n` pushes of `c` and `missing` of `NaN`, in O(1):
    /// the first push sets the mean to `c` and every later difference is 0,
    /// so the mean stays `c` and `m2` stays `+0.0`. `None` where that
    /// shortcut is not bit-exact (`c` infinite or `NaN`, or `-0.0`, which
    /// the first push turns into a mean of `+0.0`): replay those.
    pub(crate) fn constant(c: f64, n: u64, missing: u64) -> Option<Self> {
        if n == 0 {
            Some(Welford { missing, ..Welford::default() })
        } else if c.is_finite() && c.to_bits() != (-0.0f64).to_bits() {
            Some(Welford { n, missing, mean: c, m2: 0.0 })
        } else {
            None
        }
    }

    /// Set the count of missing values: a `NaN` changes nothing else, so
    /// where it came in the stream does not matter (the summariser replays
    /// only the non-missing values of a constant series).
    pub(crate) fn set_missing(&mut self, missing: u64) {
        self.missing = missing;
    }

    /// The whole state as bits, comparable with `==` even when `NaN`.
    #[cfg(test)]
    pub(crate) fn state_bits(&self) -> [u64; 4] {
        [self.n, self.missing, self.mean.to_bits(), self.m2.to_bits()]
    }

    /// Number of non-missing values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Number of `NaN` values seen.
    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// Mean of the non-missing values (`NaN` when there are none).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.mean
        }
    }

    /// Sample standard deviation (n − 1 denominator; `NaN` below two values).
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).max(0.0).sqrt()
        }
    }

    /// Monte Carlo standard error of the mean, sd / √n.
    pub fn mcse(&self) -> f64 {
        self.sd() / (self.n as f64).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_two_pass() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 1e9 + 3.0, -17.5];
        let mut w = Welford::new();
        for &x in &xs {
            w.push(x);
        }
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert_eq!(w.count(), 10);
        assert!((w.mean() - mean).abs() <= 1e-9 * mean.abs());
        assert!((w.sd() - var.sqrt()).abs() <= 1e-9 * var.sqrt());
        assert!((w.mcse() - var.sqrt() / n.sqrt()).abs() <= 1e-9 * var.sqrt());
    }

    #[test]
    fn welford_closed_form_and_missing() {
        // 2,4,4,4,5,5,7,9: mean 5, sample variance 32/7.
        let mut w = Welford::new();
        for x in [2.0, 4.0, f64::NAN, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            w.push(x);
        }
        assert_eq!(w.count(), 8);
        assert_eq!(w.missing(), 1);
        assert!((w.mean() - 5.0).abs() < 1e-15);
        assert!((w.sd() - (32.0f64 / 7.0).sqrt()).abs() < 1e-14);
        let e = Welford::new();
        assert!(e.mean().is_nan() && e.sd().is_nan());
    }
}
