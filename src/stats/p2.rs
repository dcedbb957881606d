//! The P² streaming quantile sketch: one quantile in O(1) memory.

use super::exact::type7;

/// Streaming quantile estimate by the P² algorithm (Jain & Chlamtac 1985):
/// five markers whose heights follow the quantile with piecewise-parabolic
/// adjustment, in O(1) memory. Exact (type 7) while at most five values have
/// been seen.
///
/// The desired marker positions are recomputed from the count rather than
/// accumulated, so they carry no rounding drift on long runs.
///
/// P² assumes the values arrive in random order, as Monte Carlo draws do; on
/// sorted input its tail estimates are poor (a known limitation of the method).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct P2Quantile {
    p: f64,
    /// Values seen (excluding NaN).
    count: u64,
    /// Marker heights; while `count <= 5`, the sorted values seen so far.
    q: [f64; 5],
    /// Actual marker positions (1-based).
    pos: [f64; 5],
}

impl P2Quantile {
    /// An estimator of quantile `p` (0 < p < 1; clamped into [0, 1]).
    pub fn new(p: f64) -> Self {
        P2Quantile { p: p.clamp(0.0, 1.0), count: 0, q: [0.0; 5], pos: [1.0, 2.0, 3.0, 4.0, 5.0] }
    }

    /// The probability estimated, after clamping.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Number of values seen.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Desired position of marker `i` after `count` values.
    #[inline]
    fn desired(&self, i: usize) -> f64 {
        let dp = [0.0, self.p / 2.0, self.p, (1.0 + self.p) / 2.0, 1.0][i];
        1.0 + (self.count - 1) as f64 * dp
    }

    /// Add a value; `NaN` is ignored.
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        if self.count < 5 {
            // Insertion into the sorted initial buffer.
            let n = self.count as usize;
            let mut i = n;
            while i > 0 && self.q[i - 1] > x {
                self.q[i] = self.q[i - 1];
                i -= 1;
            }
            self.q[i] = x;
            self.count += 1;
            return;
        }
        self.count += 1;
        let q = &mut self.q;
        let pos = &mut self.pos;
        // Cell k such that q[k] <= x < q[k+1]; extend the extremes.
        let k = if x < q[0] {
            q[0] = x;
            0
        } else if x >= q[4] {
            q[4] = x;
            3
        } else {
            let mut k = 0;
            while k < 3 && x >= q[k + 1] {
                k += 1;
            }
            k
        };
        for p in pos.iter_mut().skip(k + 1) {
            *p += 1.0;
        }
        for i in 1..4 {
            let d = self.desired(i) - self.pos[i];
            let (q, pos) = (&mut self.q, &mut self.pos);
            if (d >= 1.0 && pos[i + 1] - pos[i] > 1.0) || (d <= -1.0 && pos[i - 1] - pos[i] < -1.0) {
                let s = d.signum();
                let qp = q[i]
                    + s / (pos[i + 1] - pos[i - 1])
                        * ((pos[i] - pos[i - 1] + s) * (q[i + 1] - q[i]) / (pos[i + 1] - pos[i])
                            + (pos[i + 1] - pos[i] - s) * (q[i] - q[i - 1]) / (pos[i] - pos[i - 1]));
                q[i] = if q[i - 1] < qp && qp < q[i + 1] {
                    qp
                } else {
                    let j = if s > 0.0 { i + 1 } else { i - 1 };
                    q[i] + s * (q[j] - q[i]) / (pos[j] - pos[i])
                };
                pos[i] += s;
            }
        }
    }

    /// The current estimate (`NaN` before any value).
    pub fn estimate(&self) -> f64 {
        match self.count {
            0 => f64::NAN,
            n if n <= 5 => type7(&self.q[..n as usize], self.p),
            _ => self.q[2],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Exact;
    use rand::SeedableRng;
    use rand_distr::Distribution as _;

    #[test]
    fn p2_is_exact_up_to_five_values() {
        let mut q = P2Quantile::new(0.05);
        let mut m = P2Quantile::new(0.5);
        for x in [5.0, 3.0, 1.0, 4.0, 2.0] {
            q.push(x);
            m.push(x);
        }
        assert!((q.estimate() - 1.2).abs() < 1e-12);
        assert_eq!(m.estimate(), 3.0);
        assert!(P2Quantile::new(0.5).estimate().is_nan());
    }

    #[test]
    fn p2_tracks_normal_quantiles() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(42);
        let normal = rand_distr::Normal::new(10.0, 2.0).unwrap();
        let xs: Vec<f64> = (0..10_000).map(|_| normal.sample(&mut rng)).collect();
        let mut exact = Exact::new();
        for &x in &xs {
            exact.push(x);
        }
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let mut q = P2Quantile::new(p);
            for &x in &xs {
                q.push(x);
            }
            let want = exact.quantile(p);
            // Sampling sd of a quantile estimate is ~sqrt(p(1-p)/n)/f(x) ≈ 0.02..0.04 here;
            // P² adds a little; 0.1 (0.05 sd units of the data) is a generous bound.
            assert!((q.estimate() - want).abs() < 0.1, "p={p}: P² {} vs exact {want}", q.estimate());
        }
    }

    /// A skewed distribution against its closed-form quantiles, within four
    /// sampling standard deviations of a sample quantile,
    /// sd = sqrt(p(1 − p)/n) / f(x_p) = sqrt(p / ((1 − p) n)) for Exp(1).
    #[test]
    fn p2_tracks_exponential_quantiles() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let exp = rand_distr::Exp::new(1.0).unwrap();
        let n = 10_000;
        let xs: Vec<f64> = (0..n).map(|_| exp.sample(&mut rng)).collect();
        for p in [0.05f64, 0.5, 0.95] {
            let want = -(1.0 - p).ln();
            let sd = (p / ((1.0 - p) * n as f64)).sqrt();
            let mut q = P2Quantile::new(p);
            xs.iter().for_each(|&x| q.push(x));
            assert!((q.estimate() - want).abs() < 4.0 * sd, "p={p}: {} vs {want} (sd {sd})", q.estimate());
        }
    }
}
