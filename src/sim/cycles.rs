//! Cycle conventions: how the counts at the year boundaries become
//! person-years, and when each amount is discounted (docs/scenario-format.md
//! §5.6–5.7).
//!
//! Every convention is a vector of **boundary weights** w_0..w_H on the counts
//! N_0..N_H at the H + 1 year boundaries (N_t at the start of year t, N_{t+1}
//! at its end): person-years over the horizon are Σ_k w_k N_k. This form is
//! linear, so the person-years of a group of states are always the sum of the
//! states' person-years (the Simpson rule it replaces fell back to half-cycle
//! state by state where its quadratic dipped below zero, so states no longer
//! added up to the population: issue 16, item 9).
//!
//! The yearly ledger needs each year's share. Year t holds
//! α_t·S_t + β_t·E_t, with S_t its start count and E_t its end count (in a
//! closed cohort E_t = S_{t+1} = N_{t+1}; in an open population births and
//! people ageing into a chain are counted from the next start on). The split
//! of w into (α, β) is [`split`]: every year takes at its start what the year
//! before left of that boundary's weight, and at its end as much as it needs
//! to reach 1, so start, end, half-cycle and Simpson years each weigh 1. An
//! event of year t (a transition, a participation, a year's fixed costs)
//! follows the same split of the year for its timing: the share
//! α_t/(α_t + β_t) at boundary t and β_t/(α_t + β_t) at boundary t + 1.
//!
//! Sources: Elbasha E.H., Chhatwal J. (2016), "Theoretical foundations and
//! practical applications of within-cycle correction methods", *Medical
//! Decision Making* 36(1):115–131; Alarid-Escudero F. et al. (2023), "An
//! Introductory Tutorial on Cohort State-Transition Models in R Using a
//! Cost-Effectiveness Analysis Example", *Medical Decision Making* 43(1):3–20.

use crate::model::{CycleCorrection, Settings};

/// The boundary weights of a convention and their split over the years.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleWeights {
    /// w_k for the boundaries k = 0..=H.
    pub boundary: Vec<f64>,
    /// α_t: the weight of year t's start count in year t's person-years.
    pub start: Vec<f64>,
    /// β_t: the weight of year t's end count in year t's person-years.
    pub end: Vec<f64>,
}

impl CycleWeights {
    /// The weights of the model's settings.
    pub fn of(s: &Settings) -> Self {
        Self::from_boundary(boundary_weights(s.cycle_correction, &s.cycle_weights, s.horizon))
    }

    /// The weights `w` (H + 1 of them, H ≥ 1) split over the years.
    pub fn from_boundary(w: Vec<f64>) -> Self {
        let (start, end) = split(&w);
        CycleWeights { boundary: w, start, end }
    }

    /// Number of years H.
    pub fn years(&self) -> usize {
        self.start.len()
    }

    /// The share of an event of year `t` timed at the year's end (boundary
    /// t + 1): β_t / (α_t + β_t), or ½ for a year that counts no person-years.
    pub fn event_end_share(&self, t: usize) -> f64 {
        let total = self.start[t] + self.end[t];
        if total > 0.0 {
            self.end[t] / total
        } else {
            0.5
        }
    }
}

/// The boundary weights w_0..w_H of `corr` over `horizon` years (`custom`
/// for [`CycleCorrection::Custom`], which validation has checked to hold
/// H + 1 non-negative numbers).
pub fn boundary_weights(corr: CycleCorrection, custom: &[f64], horizon: usize) -> Vec<f64> {
    let h = horizon;
    let mut w = vec![1.0; h + 1];
    match corr {
        CycleCorrection::None => w[h] = 0.0,
        CycleCorrection::End => w[0] = 0.0,
        CycleCorrection::AllBoundaries => {}
        CycleCorrection::HalfCycle => {
            w[0] = 0.5;
            w[h] = 0.5;
        }
        CycleCorrection::Simpson => return simpson(h),
        CycleCorrection::Custom => return custom.to_vec(),
    }
    w
}

/// Simpson weights over `h` intervals: the 1/3 rule (1, 4, 1)/3 on pairs;
/// when `h` is odd (≥ 3) the last three intervals take the 3/8 rule
/// (1, 3, 3, 1)·3/8, as Elbasha & Chhatwal (2016) propose; one interval is
/// the trapezoid (½, ½). Both rules integrate cubics exactly.
fn simpson(h: usize) -> Vec<f64> {
    let mut w = vec![0.0; h + 1];
    if h == 1 {
        return vec![0.5, 0.5];
    }
    let pairs_end = if h.is_multiple_of(2) { h } else { h - 3 };
    for k in (0..pairs_end).step_by(2) {
        w[k] += 1.0 / 3.0;
        w[k + 1] += 4.0 / 3.0;
        w[k + 2] += 1.0 / 3.0;
    }
    if !h.is_multiple_of(2) {
        let k = h - 3;
        for (i, x) in [3.0 / 8.0, 9.0 / 8.0, 9.0 / 8.0, 3.0 / 8.0].into_iter().enumerate() {
            w[k + i] += x;
        }
    }
    w
}

/// Split boundary weights `w` (H + 1, H ≥ 1) into per-year start and end
/// weights (α, β) with β_{k−1} + α_k = w_k: α_0 = w_0; year t takes at its end
/// β_t = min(max(1 − α_t, 0), w_{t+1}) (the last year all of w_H), and the next
/// year starts with the rest, α_{t+1} = w_{t+1} − β_t. With non-negative
/// weights every α and β is non-negative; for start, end, half-cycle and
/// Simpson every year's α_t + β_t is 1.
pub fn split(w: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let h = w.len() - 1;
    let (mut alpha, mut beta) = (vec![0.0; h], vec![0.0; h]);
    alpha[0] = w[0];
    for t in 0..h {
        beta[t] = if t + 1 == h { w[h] } else { (1.0 - alpha[t]).max(0.0).min(w[t + 1]) };
        if t + 1 < h {
            alpha[t + 1] = w[t + 1] - beta[t];
        }
    }
    (alpha, beta)
}

/// What [`super::accum::finalize`] multiplies the counts of year t by: a
/// year's person-years are `start[t]`·S_t + `end[t]`·E_t and an event counts
/// `event[t]` times. Undiscounted ([`Lens::counts`]) this is (α_t, β_t, 1);
/// discounted at the boundaries ([`Lens::discounted`]) each part carries the
/// discount factor of its boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct Lens {
    /// Weight of the start-of-year count.
    pub start: Vec<f64>,
    /// Weight of the end-of-year count.
    pub end: Vec<f64>,
    /// Weight of an event of the year.
    pub event: Vec<f64>,
}

impl Lens {
    /// Undiscounted: person-years α_t S_t + β_t E_t, events counted once.
    pub fn counts(w: &CycleWeights) -> Self {
        Lens { start: w.start.clone(), end: w.end.clone(), event: vec![1.0; w.years()] }
    }

    /// Discounted at rate `rate` per boundary (`discount_timing = "boundary"`):
    /// α_t d(t) S_t + β_t d(t+1) E_t, an event (1 − b_t) d(t) + b_t d(t+1) with
    /// b_t = [`CycleWeights::event_end_share`], where d(k) =
    /// [`Settings::discount_factor`] (so (1+r)^−(k+1) with `first_year_discounted`).
    pub fn discounted(w: &CycleWeights, s: &Settings, rate: f64) -> Self {
        let d = |k: usize| s.discount_factor(rate, k);
        let years = 0..w.years();
        Lens {
            start: years.clone().map(|t| w.start[t] * d(t)).collect(),
            end: years.clone().map(|t| w.end[t] * d(t + 1)).collect(),
            event: years
                .map(|t| {
                    let b = w.event_end_share(t);
                    (1.0 - b) * d(t) + b * d(t + 1)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn named_conventions_have_their_published_boundary_weights() {
        let w = |c, h| boundary_weights(c, &[], h);
        assert_eq!(w(CycleCorrection::None, 3), [1.0, 1.0, 1.0, 0.0]);
        assert_eq!(w(CycleCorrection::End, 3), [0.0, 1.0, 1.0, 1.0]);
        assert_eq!(w(CycleCorrection::HalfCycle, 3), [0.5, 1.0, 1.0, 0.5]);
        assert_eq!(w(CycleCorrection::AllBoundaries, 3), [1.0; 4]);
        assert_eq!(w(CycleCorrection::HalfCycle, 1), [0.5, 0.5]);
        assert_eq!(w(CycleCorrection::Custom, 0), Vec::<f64>::new());
        assert_eq!(boundary_weights(CycleCorrection::Custom, &[0.2, 0.8], 1), [0.2, 0.8]);
        // Simpson 1/3 on an even number of years: (1, 4, 2, 4, 1)/3.
        let third = |v: &[f64]| v.iter().map(|x| x / 3.0).collect::<Vec<_>>();
        assert!(close(&w(CycleCorrection::Simpson, 4), &third(&[1.0, 4.0, 2.0, 4.0, 1.0])));
        assert!(close(&w(CycleCorrection::Simpson, 2), &third(&[1.0, 4.0, 1.0])));
        // Odd: 3/8 on the last three intervals, 1/3 on the pairs before.
        assert!(close(&w(CycleCorrection::Simpson, 3), &[0.375, 1.125, 1.125, 0.375]));
        let five = [1.0 / 3.0, 4.0 / 3.0, 1.0 / 3.0 + 0.375, 1.125, 1.125, 0.375];
        assert!(close(&w(CycleCorrection::Simpson, 5), &five));
        assert_eq!(w(CycleCorrection::Simpson, 1), [0.5, 0.5]);
    }

    #[test]
    fn simpson_weights_integrate_cubics_exactly_for_every_horizon_from_two() {
        // ∫_0^H (2 − x + 0.3x² − 0.02x³) dx against Σ_k w_k f(k).
        let f = |x: f64| 2.0 - x + 0.3 * x * x - 0.02 * x * x * x;
        let big_f = |x: f64| 2.0 * x - x * x / 2.0 + 0.1 * x.powi(3) - 0.005 * x.powi(4);
        for h in 2..=12 {
            let w = boundary_weights(CycleCorrection::Simpson, &[], h);
            let sum: f64 = w.iter().enumerate().map(|(k, wk)| wk * f(k as f64)).sum();
            assert!((sum - big_f(h as f64)).abs() < 1e-10, "H = {h}: {sum} vs {}", big_f(h as f64));
        }
    }

    #[test]
    fn split_rebuilds_the_boundary_weights_without_negative_parts() {
        let conventions = [
            CycleCorrection::None,
            CycleCorrection::End,
            CycleCorrection::HalfCycle,
            CycleCorrection::Simpson,
            CycleCorrection::AllBoundaries,
        ];
        for c in conventions {
            for h in 1..=9 {
                let w = CycleWeights::from_boundary(boundary_weights(c, &[], h));
                for k in 0..=h {
                    let from_years = if k > 0 { w.end[k - 1] } else { 0.0 } + if k < h { w.start[k] } else { 0.0 };
                    assert!((from_years - w.boundary[k]).abs() < 1e-12, "{c:?} H {h} k {k}");
                }
                assert!(w.start.iter().chain(&w.end).all(|&x| x >= 0.0), "{c:?} H {h}: {w:?}");
                if c != CycleCorrection::AllBoundaries {
                    // Every year of a rule that integrates constants weighs 1.
                    assert!((0..h).all(|t| (w.start[t] + w.end[t] - 1.0).abs() < 1e-12), "{c:?} H {h}: {w:?}");
                }
            }
        }
        // The named splits: start and end keep whole years, Simpson pairs 1/3 + 2/3, 2/3 + 1/3.
        let w = CycleWeights::from_boundary(boundary_weights(CycleCorrection::None, &[], 3));
        assert_eq!((w.start, w.end), (vec![1.0; 3], vec![0.0; 3]));
        let w = CycleWeights::from_boundary(boundary_weights(CycleCorrection::End, &[], 3));
        assert_eq!((w.start, w.end), (vec![0.0; 3], vec![1.0; 3]));
        let w = CycleWeights::from_boundary(boundary_weights(CycleCorrection::Simpson, &[], 4));
        assert!(close(&w.start, &[1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0]));
        assert!(close(&w.end, &[2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0]));
        // The 3/8 years: 3/8 + 5/8, 1/2 + 1/2, 5/8 + 3/8.
        let w = CycleWeights::from_boundary(boundary_weights(CycleCorrection::Simpson, &[], 3));
        assert!(close(&w.start, &[0.375, 0.5, 0.625]));
        assert!(close(&w.end, &[0.625, 0.5, 0.375]));
        // All boundaries: every year its start, the last year also the final boundary.
        let w = CycleWeights::from_boundary(boundary_weights(CycleCorrection::AllBoundaries, &[], 3));
        assert_eq!((w.start, w.end), (vec![1.0; 3], vec![0.0, 0.0, 1.0]));
        // Custom weights too small to fill a year: the year takes what there is.
        let w = CycleWeights::from_boundary(vec![0.0, 0.2, 3.0]);
        assert!(close(&w.start, &[0.0, 0.0]) && close(&w.end, &[0.2, 3.0]), "{w:?}");
    }

    #[test]
    fn events_are_timed_by_the_split_of_their_year() {
        let w = |c| CycleWeights::from_boundary(boundary_weights(c, &[], 4));
        assert_eq!(w(CycleCorrection::None).event_end_share(2), 0.0);
        assert_eq!(w(CycleCorrection::End).event_end_share(2), 1.0);
        assert_eq!(w(CycleCorrection::HalfCycle).event_end_share(0), 0.5);
        assert!((w(CycleCorrection::Simpson).event_end_share(0) - 2.0 / 3.0).abs() < 1e-12);
        assert!((w(CycleCorrection::Simpson).event_end_share(1) - 1.0 / 3.0).abs() < 1e-12);
        // A year without person-years: its events halfway.
        assert_eq!(CycleWeights::from_boundary(vec![1.0, 0.0, 0.0, 1.0]).event_end_share(1), 0.5);
    }

    #[test]
    fn discounted_lens_puts_each_boundary_at_its_own_factor() {
        let mut s = crate::summary::tests::tiny_model().settings;
        s.horizon = 2;
        s.cycle_correction = CycleCorrection::HalfCycle;
        let w = CycleWeights::of(&s);
        let v: f64 = 1.0 / 1.03;
        for (first, e) in [(false, 0), (true, 1)] {
            s.first_year_discounted = first;
            let l = Lens::discounted(&w, &s, 0.03);
            let d = |k: i32| v.powi(k + e);
            assert!(close(&l.start, &[0.5 * d(0), 0.5 * d(1)]), "{l:?}");
            assert!(close(&l.end, &[0.5 * d(1), 0.5 * d(2)]), "{l:?}");
            assert!(close(&l.event, &[0.5 * (d(0) + d(1)), 0.5 * (d(1) + d(2))]), "{l:?}");
        }
        assert_eq!(Lens::counts(&w), Lens { start: vec![0.5; 2], end: vec![0.5; 2], event: vec![1.0; 2] });
    }
}
