//! Cost-effectiveness acceptability curves (CEAC), the acceptability frontier
//! (CEAF) and expected loss curves (ELC) over a grid of willingness to pay
//! (betalingsbereidheid), from the costs and effects of every arm in every
//! draw.
//!
//! At willingness to pay λ the net monetary benefit of arm `d` in draw `j` is
//! `NB_jd = λ·effect_jd − cost_jd`. Per λ:
//!
//! - the CEAC of arm `d` is the share of draws in which `d` has the highest
//!   NB (Van Hout, Al, Gordon and Rutten, "Costs, effects and C/E-ratios
//!   alongside a clinical trial", *Health Economics* 3(5):309–319, 1994,
//!   doi 10.1002/hec.4730030505);
//! - the frontier arm is the one with the highest *expected* NB, the optimal
//!   choice under current information, and the CEAF is its CEAC (Fenwick,
//!   Claxton and Sculpher, "Representing uncertainty: the role of
//!   cost-effectiveness acceptability curves", *Health Economics*
//!   10(8):779–787, 2001, doi 10.1002/hec.635);
//! - the expected loss of arm `d` is the mean over draws of
//!   `max_k NB_jk − NB_jd`, the net benefit forgone by choosing `d`; its
//!   minimum over arms, reached at the frontier arm, is the EVPI (Alarid-Escudero,
//!   Enns, Kuntz, Michaud and Jalal, "“Time Traveling Is Just Too Dangerous” but
//!   Some Methods Are Worth Revisiting: The Advantages of Expected Loss Curves
//!   Over Cost-Effectiveness Acceptability Curves and Frontier", *Value in
//!   Health* 22(5):611–618, 2019, doi 10.1016/j.jval.2019.02.008).

use ndarray::{Array2, ArrayView2};

/// The curves over a grid of willingness to pay; see the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct Curves {
    /// The willingness-to-pay grid (per unit of effect), as given.
    pub wtp: Vec<f64>,
    /// `[wtp, arm]`: share of draws in which the arm has the highest net
    /// benefit (a tie in a draw goes to the lowest arm index), so every row
    /// sums to 1.
    pub ceac: Array2<f64>,
    /// Per wtp: the arm with the highest expected net benefit (ties to the
    /// lowest index). Computed as the arm with the lowest expected loss,
    /// which is the same arm, so that `evpi` is exactly its expected loss.
    pub frontier: Vec<usize>,
    /// Per wtp: the CEAC of the frontier arm (the acceptability frontier).
    pub frontier_probability: Vec<f64>,
    /// `[wtp, arm]`: mean over draws of `max_k NB_k − NB_arm`, never negative.
    pub expected_loss: Array2<f64>,
    /// Per wtp: the expected value of perfect information,
    /// `mean_j max_d NB_jd − max_d mean_j NB_jd`, the smallest expected loss.
    pub evpi: Vec<f64>,
}

/// Bad input to [`curves`] or [`wtp_grid`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AcceptabilityError {
    /// Costs and effects are not tables of the same draws and arms.
    #[error("costs are {cost_draws} draws × {cost_arms} arms but effects are {effect_draws} × {effect_arms}")]
    ShapeMismatch {
        /// Rows of the costs.
        cost_draws: usize,
        /// Columns of the costs.
        cost_arms: usize,
        /// Rows of the effects.
        effect_draws: usize,
        /// Columns of the effects.
        effect_arms: usize,
    },
    /// No draws or no arms: nothing to compare.
    #[error("acceptability curves need at least one draw and one arm, got {draws} draws and {arms} arms")]
    Empty {
        /// Number of draws.
        draws: usize,
        /// Number of arms.
        arms: usize,
    },
    /// A cost or effect is infinite or NaN.
    #[error("the {what} of arm {arm} in draw {draw} is {value}, not a finite number")]
    NonFinite {
        /// `"cost"` or `"effect"`.
        what: &'static str,
        /// Draw (row).
        draw: usize,
        /// Arm (column).
        arm: usize,
        /// The offending value.
        value: f64,
    },
    /// A willingness to pay is infinite or NaN.
    #[error("willingness to pay number {index} is {value}, not a finite number")]
    NonFiniteWtp {
        /// Position in the grid.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A grid needs two or more points.
    #[error("a willingness-to-pay grid needs at least 2 steps, got {0}")]
    TooFewSteps(usize),
    /// The grid bounds are not finite or not in order.
    #[error("a willingness-to-pay grid needs finite bounds with lo < hi, got lo {lo} and hi {hi}")]
    BadBounds {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
}

/// `steps` evenly spaced values from `lo` to `hi` inclusive: `lo + (hi − lo)·i/(steps − 1)`,
/// with the last value exactly `hi`.
pub fn wtp_grid(lo: f64, hi: f64, steps: usize) -> Result<Vec<f64>, AcceptabilityError> {
    if steps < 2 {
        return Err(AcceptabilityError::TooFewSteps(steps));
    }
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(AcceptabilityError::BadBounds { lo, hi });
    }
    let last = (steps - 1) as f64;
    Ok((0..steps).map(|i| if i == steps - 1 { hi } else { lo + (hi - lo) * (i as f64 / last) }).collect())
}

/// The curves for per-draw `costs` and `effects` (both `[draws, arms]`) over
/// the willingness-to-pay grid `wtp`.
pub fn curves(costs: ArrayView2<f64>, effects: ArrayView2<f64>, wtp: &[f64]) -> Result<Curves, AcceptabilityError> {
    let (n, arms) = costs.dim();
    if effects.dim() != (n, arms) {
        return Err(AcceptabilityError::ShapeMismatch {
            cost_draws: n,
            cost_arms: arms,
            effect_draws: effects.nrows(),
            effect_arms: effects.ncols(),
        });
    }
    if n == 0 || arms == 0 {
        return Err(AcceptabilityError::Empty { draws: n, arms });
    }
    for ((draw, arm), &value) in costs.indexed_iter() {
        if !value.is_finite() {
            return Err(AcceptabilityError::NonFinite { what: "cost", draw, arm, value });
        }
    }
    for ((draw, arm), &value) in effects.indexed_iter() {
        if !value.is_finite() {
            return Err(AcceptabilityError::NonFinite { what: "effect", draw, arm, value });
        }
    }
    if let Some((index, &value)) = wtp.iter().enumerate().find(|(_, w)| !w.is_finite()) {
        return Err(AcceptabilityError::NonFiniteWtp { index, value });
    }

    let w = wtp.len();
    let mut ceac = Array2::<f64>::zeros((w, arms));
    let mut expected_loss = Array2::<f64>::zeros((w, arms));
    let mut frontier = Vec::with_capacity(w);
    let mut frontier_probability = Vec::with_capacity(w);
    let mut evpi = Vec::with_capacity(w);
    let mut nb = vec![0.0; arms];
    let mut wins = vec![0u64; arms];
    let mut loss = vec![0.0; arms];
    for (i, &lambda) in wtp.iter().enumerate() {
        wins.iter_mut().for_each(|x| *x = 0);
        loss.iter_mut().for_each(|x| *x = 0.0);
        for (c, e) in costs.rows().into_iter().zip(effects.rows()) {
            let mut best = 0;
            for d in 0..arms {
                nb[d] = lambda * e[d] - c[d];
                if nb[d] > nb[best] {
                    best = d;
                }
            }
            wins[best] += 1;
            // Summing the per-draw losses (each ≥ 0) rather than subtracting
            // two means keeps the expected loss exactly non-negative.
            for d in 0..arms {
                loss[d] += nb[best] - nb[d];
            }
        }
        let mut best = 0;
        for d in 0..arms {
            ceac[[i, d]] = wins[d] as f64 / n as f64;
            expected_loss[[i, d]] = loss[d] / n as f64;
            if expected_loss[[i, d]] < expected_loss[[i, best]] {
                best = d;
            }
        }
        frontier.push(best);
        frontier_probability.push(ceac[[i, best]]);
        evpi.push(expected_loss[[i, best]]);
    }
    Ok(Curves { wtp: wtp.to_vec(), ceac, frontier, frontier_probability, expected_loss, evpi })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::voi::fill_standard_normal;
    use crate::decision::voi::tests::{normal_cdf, normal_pdf};
    use crate::rng::{self, Purpose};
    use ndarray::array;

    /// Two arms, four draws; arm 0 costs nothing and yields nothing, arm 1
    /// has (cost, effect) (10, 1), (10, 2), (30, 1), (20, 0).
    /// λ = 0: NB1 = −10, −10, −30, −20: arm 0 wins all; loss of arm 1 =
    /// (10+10+30+20)/4 = 17.5; EVPI 0.
    /// λ = 15: NB1 = 5, 20, −15, −20: arm 1 wins 2 of 4; mean NB1 = −10/4 = −2.5,
    /// so arm 0 is optimal; loss of arm 0 = (5+20)/4 = 6.25 = EVPI; loss of
    /// arm 1 = (15+20)/4 = 8.75.
    /// λ = 40: NB1 = 30, 70, 10, −20: mean 22.5, arm 1 optimal; ceac 3/4;
    /// loss of arm 1 = 20/4 = 5 = EVPI; loss of arm 0 = 110/4 = 27.5.
    #[test]
    fn two_arms_by_hand() {
        let costs = array![[0.0, 10.0], [0.0, 10.0], [0.0, 30.0], [0.0, 20.0]];
        let effects = array![[0.0, 1.0], [0.0, 2.0], [0.0, 1.0], [0.0, 0.0]];
        let c = curves(costs.view(), effects.view(), &[0.0, 15.0, 40.0]).unwrap();
        assert_eq!(c.ceac, array![[1.0, 0.0], [0.5, 0.5], [0.25, 0.75]]);
        assert_eq!(c.frontier, [0, 0, 1]);
        assert_eq!(c.frontier_probability, [1.0, 0.5, 0.75]);
        assert_eq!(c.expected_loss, array![[0.0, 17.5], [6.25, 8.75], [27.5, 5.0]]);
        assert_eq!(c.evpi, [0.0, 6.25, 5.0]);
        assert_eq!(c.wtp, [0.0, 15.0, 40.0]);
    }

    /// A tie in a draw goes to the lowest arm; a tie in expectation too.
    #[test]
    fn ties_go_to_the_lowest_arm() {
        let costs = array![[1.0, 1.0, 0.0], [1.0, 1.0, 2.0]];
        let effects = array![[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]];
        let c = curves(costs.view(), effects.view(), &[1.0]).unwrap();
        // Draw 0: arm 2 (NB 0) wins; draw 1: arms 0 and 1 tie at −1, arm 0 wins.
        assert_eq!(c.ceac, array![[0.5, 0.0, 0.5]]);
        // Mean NB: −1, −1, −1: all tie, arm 0 is the frontier.
        assert_eq!(c.frontier, [0]);
        assert_eq!(c.expected_loss, array![[0.5, 0.5, 0.5]]);
    }

    fn random_table(seed: u64, n: usize, arms: usize) -> (Array2<f64>, Array2<f64>) {
        let mut r = rng::stream(seed, 0, Purpose::Test, 0);
        let costs = Array2::from_shape_fn((n, arms), |(_, d)| 1000.0 * d as f64 + 500.0 * rng::uniform(&mut r));
        let effects = Array2::from_shape_fn((n, arms), |(_, d)| 0.05 * d as f64 + 0.1 * rng::uniform(&mut r));
        (costs, effects)
    }

    #[test]
    fn invariants() {
        let (costs, effects) = random_table(11, 500, 4);
        let grid = wtp_grid(0.0, 100_000.0, 21).unwrap();
        let c = curves(costs.view(), effects.view(), &grid).unwrap();
        for i in 0..grid.len() {
            let row_sum: f64 = c.ceac.row(i).sum();
            assert!((row_sum - 1.0).abs() < 1e-12, "ceac row {i} sums to {row_sum}");
            assert!(c.expected_loss.row(i).iter().all(|&l| l >= 0.0));
            let min = c.expected_loss.row(i).iter().copied().fold(f64::INFINITY, f64::min);
            assert_eq!(c.evpi[i], min);
            assert!(c.evpi[i] >= 0.0);
            assert_eq!(c.frontier_probability[i], c.ceac[[i, c.frontier[i]]]);
            // The frontier arm has the highest mean NB, and EVPI is
            // mean max − max mean (up to rounding).
            let lambda = grid[i];
            let nb = &effects * lambda - &costs;
            let means: Vec<f64> = (0..4).map(|d| nb.column(d).mean().unwrap()).collect();
            let max_mean = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(means[c.frontier[i]] >= max_mean - 1e-9 * max_mean.abs().max(1.0));
            let mean_max =
                nb.rows().into_iter().map(|r| r.iter().copied().fold(f64::NEG_INFINITY, f64::max)).sum::<f64>() / 500.0;
            assert!((c.evpi[i] - (mean_max - max_mean)).abs() < 1e-9 * mean_max.abs().max(1.0));
        }
        // λ = 0: the cheapest arm (0) wins every draw (costs ordered by arm).
        assert_eq!(c.ceac.row(0).to_vec(), [1.0, 0.0, 0.0, 0.0]);
    }

    /// Two arms with independent normal increments ΔC ~ N(mc, sc²) and
    /// ΔE ~ N(me, se²): at λ the incremental NB is normal with mean
    /// μ = λ·me − mc and sd σ = √(λ²se² + sc²), so CEAC(arm 1) = Φ(μ/σ) and
    /// EVPI = σ·φ(μ/σ) − |μ|·Φ(−|μ|/σ) (the unit normal loss integral;
    /// Raiffa and Schlaifer, *Applied Statistical Decision Theory*, Harvard
    /// University, 1961). Checked within 4 Monte Carlo standard errors.
    #[test]
    fn normal_increments_closed_form() {
        let n = 100_000;
        let (mc, sc, me, se) = (2_000.0, 1_000.0, 0.1, 0.05);
        let mut r = rng::stream(5, 0, Purpose::Test, 1);
        let mut z = vec![0.0; 2 * n];
        fill_standard_normal(&mut r, &mut z);
        let mut costs = Array2::<f64>::zeros((n, 2));
        let mut effects = Array2::<f64>::zeros((n, 2));
        for j in 0..n {
            costs[[j, 1]] = mc + sc * z[2 * j];
            effects[[j, 1]] = me + se * z[2 * j + 1];
        }
        let grid = [0.0, 10_000.0, 20_000.0, 30_000.0, 60_000.0];
        let c = curves(costs.view(), effects.view(), &grid).unwrap();
        for (i, &lambda) in grid.iter().enumerate() {
            let mu = lambda * me - mc;
            let sigma = (lambda * lambda * se * se + sc * sc).sqrt();
            let p = normal_cdf(mu / sigma);
            let p_se = (p * (1.0 - p) / n as f64).sqrt();
            assert!((c.ceac[[i, 1]] - p).abs() <= 4.0 * p_se, "λ {lambda}: ceac {} vs {p}", c.ceac[[i, 1]]);
            let evpi = sigma * normal_pdf(mu / sigma) - mu.abs() * normal_cdf(-mu.abs() / sigma);
            // MCSE of the expected loss of the chosen arm: sd of its per-draw loss / √n.
            let d = c.frontier[i];
            let losses: Vec<f64> = (0..n)
                .map(|j| {
                    let nb = [0.0, lambda * effects[[j, 1]] - costs[[j, 1]]];
                    nb[0].max(nb[1]) - nb[d]
                })
                .collect();
            let m = losses.iter().sum::<f64>() / n as f64;
            let sd = (losses.iter().map(|l| (l - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            let mcse = sd / (n as f64).sqrt();
            assert!((c.evpi[i] - evpi).abs() <= 4.0 * mcse, "λ {lambda}: evpi {} vs {evpi} (mcse {mcse})", c.evpi[i]);
        }
    }

    #[test]
    fn grid() {
        assert_eq!(wtp_grid(0.0, 100.0, 5).unwrap(), [0.0, 25.0, 50.0, 75.0, 100.0]);
        let g = wtp_grid(0.0, 0.3, 4).unwrap();
        assert_eq!(g.len(), 4);
        assert_eq!(g[3], 0.3);
        assert_eq!(
            wtp_grid(0.0, 1.0, 1).unwrap_err().to_string(),
            "a willingness-to-pay grid needs at least 2 steps, got 1"
        );
        assert_eq!(
            wtp_grid(5.0, 5.0, 3).unwrap_err().to_string(),
            "a willingness-to-pay grid needs finite bounds with lo < hi, got lo 5 and hi 5"
        );
        assert!(wtp_grid(0.0, f64::NAN, 3).is_err());
    }

    #[test]
    fn bad_input_is_an_error() {
        let ok = array![[1.0, 2.0]];
        let e = curves(ok.view(), array![[1.0, 2.0], [1.0, 2.0]].view(), &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "costs are 1 draws × 2 arms but effects are 2 × 2");
        let e = curves(array![[1.0, f64::NAN]].view(), ok.view(), &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "the cost of arm 1 in draw 0 is NaN, not a finite number");
        let e = curves(ok.view(), array![[f64::INFINITY, 1.0]].view(), &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "the effect of arm 0 in draw 0 is inf, not a finite number");
        let e = curves(ok.view(), ok.view(), &[1.0, f64::NAN]).unwrap_err();
        assert_eq!(e.to_string(), "willingness to pay number 1 is NaN, not a finite number");
        let empty = Array2::<f64>::zeros((0, 2));
        let e = curves(empty.view(), empty.view(), &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "acceptability curves need at least one draw and one arm, got 0 draws and 2 arms");
    }
}
