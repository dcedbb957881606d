//! Relative risks applied to a transition row, in the two conventions of the
//! literature (see [`crate::model::RrConvention`]), and a relative risk on
//! staying in a state (complement adjusted, the same in both conventions).

use super::Warnings;

/// Apply multipliers to the exits of row `base` (from-state `from`) into `out`.
/// `from` is the column of staying: the from-state itself, or for a tunnel
/// state the next year's state ([`crate::model::Chain::stay_to`]).
///
/// `m_prob[j]` multiplies the probability of `from → j` (staying absorbs the
/// rest; exits summing above 1 are rescaled to 1 and counted in
/// `w.rescaled_rows`); then `m_rate[j]` multiplies the competing hazard of
/// `from → j`. Last, `m_prob[from] · m_rate[from]` is a relative risk on
/// staying ([`scale_staying`]). Multipliers of 1 leave the row bit-for-bit
/// unchanged.
pub fn apply(base: &[f64], from: usize, m_prob: &[f64], m_rate: &[f64], out: &mut [f64], w: &mut Warnings) {
    apply_exits(base, from, m_prob, m_rate, out, w);
    let stay = m_prob[from] * m_rate[from];
    if stay != 1.0 {
        scale_staying(out, from, stay, w);
    }
}

/// Fold the `"hazard"` convention into the probability multipliers: an exit
/// `from → j` whose own one-cycle hazard −ln(1 − p_j) is multiplied by
/// `m_haz[j]` has probability p'_j = 1 − (1 − p_j)^m, which is p_j times
/// p'_j / p_j. The other exits do not compete (unlike the `"rate"`
/// convention), so a hazard ratio on one transition of a published model
/// (`p' = 1 − exp(−hr · r)`) is reproduced whatever else the row holds;
/// staying then absorbs the difference as in the probability convention.
/// On staying (`j == from`) the multiplier is a relative risk on staying.
pub fn hazard_to_probability(base: &[f64], from: usize, m_haz: &[f64], m_prob: &mut [f64]) {
    for (j, (&p, &m)) in base.iter().zip(m_haz).enumerate() {
        if m == 1.0 {
            continue;
        }
        if j == from {
            m_prob[j] *= m;
        } else if p > 0.0 {
            // 1 − (1 − p)^m without cancellation for small p.
            let q = -(m * (-p).ln_1p()).exp_m1();
            m_prob[j] *= if p >= 1.0 { 1.0 } else { q / p };
        }
    }
}

/// A relative risk `rr` on staying in `from` (row `out`, changed in place):
/// p'_ss = rr · p_ss and every exit scaled by (1 − p'_ss) / (1 − p_ss), so the
/// row still sums to 1 and the exits keep their proportions (complement
/// adjusted). If rr · p_ss > 1, staying is capped at 1 (no exits) and the row
/// is counted in `w.rescaled_rows`. A row without exits (p_ss = 1) stays as it is.
pub fn scale_staying(out: &mut [f64], from: usize, rr: f64, w: &mut Warnings) {
    let exits: f64 = out.iter().enumerate().filter(|&(j, _)| j != from).map(|(_, &x)| x).sum();
    if exits <= 0.0 {
        return;
    }
    let mut stay = rr * out[from];
    if stay > 1.0 {
        stay = 1.0;
        w.rescaled_rows += 1;
    }
    let scale = (1.0 - stay) / exits;
    for (j, x) in out.iter_mut().enumerate() {
        if j != from {
            *x *= scale;
        }
    }
    out[from] = stay;
}

/// The exit multipliers of [`apply`].
fn apply_exits(base: &[f64], from: usize, m_prob: &[f64], m_rate: &[f64], out: &mut [f64], w: &mut Warnings) {
    let n = base.len();
    out.copy_from_slice(base);
    if m_prob.iter().enumerate().any(|(j, &m)| j != from && m != 1.0) {
        let mut exits = 0.0;
        for j in 0..n {
            if j != from {
                out[j] *= m_prob[j];
                exits += out[j];
            }
        }
        if exits > 1.0 + 1e-12 {
            w.rescaled_rows += 1;
            for j in 0..n {
                if j != from {
                    out[j] /= exits;
                }
            }
            out[from] = 0.0;
        } else {
            out[from] = (1.0 - exits).max(0.0);
        }
    }
    if m_rate.iter().enumerate().any(|(j, &m)| j != from && m != 1.0) {
        let p_exit: f64 = (0..n).filter(|&j| j != from).map(|j| out[j]).sum();
        if p_exit <= 0.0 {
            return;
        }
        if p_exit >= 1.0 - 1e-15 {
            // Certain exit: the hazard is infinite; the multipliers re-weight the destinations.
            let s: f64 = (0..n).filter(|&j| j != from).map(|j| out[j] * m_rate[j]).sum();
            if s > 0.0 {
                for j in 0..n {
                    if j != from {
                        out[j] = out[j] * m_rate[j] / s;
                    }
                }
                out[from] = 0.0;
            }
            return;
        }
        let h_total = -(1.0 - p_exit).ln();
        let mut h_new = 0.0;
        for j in 0..n {
            if j != from {
                out[j] = h_total * out[j] / p_exit * m_rate[j];
                h_new += out[j];
            }
        }
        let p_new = -(-h_new).exp_m1();
        for j in 0..n {
            if j != from {
                out[j] = if h_new > 0.0 { p_new * out[j] / h_new } else { 0.0 };
            }
        }
        out[from] = 1.0 - p_new;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_multipliers_leave_row_unchanged() {
        let base = [0.7, 0.2, 0.1];
        let mut out = [0.0; 3];
        let mut w = Warnings::default();
        apply(&base, 0, &[1.0; 3], &[1.0; 3], &mut out, &mut w);
        assert_eq!(out, base);
    }

    #[test]
    fn probability_convention_multiplies_and_staying_absorbs() {
        let mut out = [0.0; 3];
        let mut w = Warnings::default();
        apply(&[0.7, 0.2, 0.1], 0, &[1.0, 2.0, 1.0], &[1.0; 3], &mut out, &mut w);
        assert!((out[1] - 0.4).abs() < 1e-15 && (out[0] - 0.5).abs() < 1e-15);
        assert_eq!(w.rescaled_rows, 0);
        // Exits 0.6*2 + 0.3 = 1.5 > 1: rescaled to 0.8 / 0.2 and counted.
        apply(&[0.1, 0.6, 0.3], 0, &[1.0, 2.0, 1.0], &[1.0; 3], &mut out, &mut w);
        assert!((out[1] - 0.8).abs() < 1e-12 && (out[2] - 0.2).abs() < 1e-12 && out[0] == 0.0);
        assert_eq!(w.rescaled_rows, 1);
    }

    #[test]
    fn hazard_convention_multiplies_each_exits_own_hazard() {
        // Row 0.9 / 0.06 / 0.04; hazard ratio 0.6 on exit 1 only: p' = 1 - 0.94^0.6,
        // exit 2 untouched (no competing adjustment), staying absorbs.
        let base = [0.9, 0.06, 0.04];
        let mut m_prob = [1.0; 3];
        hazard_to_probability(&base, 0, &[1.0, 0.6, 1.0], &mut m_prob);
        let mut out = [0.0; 3];
        let mut w = Warnings::default();
        apply(&base, 0, &m_prob, &[1.0; 3], &mut out, &mut w);
        let want = 1.0 - 0.94f64.powf(0.6);
        assert!((out[1] - want).abs() < 1e-15, "{} vs {want}", out[1]);
        assert_eq!(out[2], 0.04);
        assert!((out[0] - (1.0 - want - 0.04)).abs() < 1e-15);
    }

    #[test]
    fn rate_convention_matches_the_closed_form_of_a_single_exit() {
        // One exit with probability p: hazard -ln(1-p); times rr: 1 - (1-p)^rr.
        let (p, rr) = (0.3f64, 1.7f64);
        let mut out = [0.0; 2];
        let mut w = Warnings::default();
        apply(&[1.0 - p, p], 0, &[1.0; 2], &[1.0, rr], &mut out, &mut w);
        assert!((out[1] - (1.0 - (1.0 - p).powf(rr))).abs() < 1e-14);
        assert!((out[0] + out[1] - 1.0).abs() < 1e-14);
    }

    #[test]
    fn a_relative_risk_on_staying_is_complement_adjusted() {
        // Row 0.7 stay, 0.2, 0.1; rr 1.2 on staying: 0.84, and the exits share
        // the remaining 0.16 as 2 : 1 → 0.106667, 0.053333 (scale 0.16 / 0.3).
        let mut out = [0.0; 3];
        let mut w = Warnings::default();
        for (m_prob, m_rate) in [([1.2, 1.0, 1.0], [1.0; 3]), ([1.0; 3], [1.2, 1.0, 1.0])] {
            apply(&[0.7, 0.2, 0.1], 0, &m_prob, &m_rate, &mut out, &mut w);
            assert!((out[0] - 0.84).abs() < 1e-15, "{out:?}");
            assert!((out[1] - 0.2 * 0.16 / 0.3).abs() < 1e-15 && (out[2] - 0.1 * 0.16 / 0.3).abs() < 1e-15);
        }
        assert_eq!(w.rescaled_rows, 0);
        // rr 0.5 on staying in state 1 of [0.1, 0.6, 0.3]: 0.3, exits 0.1 and 0.3 scaled by 0.7 / 0.4.
        apply(&[0.1, 0.6, 0.3], 1, &[1.0, 0.5, 1.0], &[1.0; 3], &mut out, &mut w);
        assert!((out[1] - 0.3).abs() < 1e-15 && (out[0] - 0.175).abs() < 1e-15 && (out[2] - 0.525).abs() < 1e-15);
        // rr 2 on staying 0.7: 1.4 > 1, capped at 1 (no exits) and counted.
        apply(&[0.7, 0.2, 0.1], 0, &[2.0, 1.0, 1.0], &[1.0; 3], &mut out, &mut w);
        assert_eq!(out, [1.0, 0.0, 0.0]);
        assert_eq!(w.rescaled_rows, 1);
        // No exits (p_ss = 1): the row stays, whatever the rr.
        apply(&[0.0, 1.0, 0.0], 1, &[1.0, 0.3, 1.0], &[1.0; 3], &mut out, &mut w);
        assert_eq!(out, [0.0, 1.0, 0.0]);
        // Exits first, then staying: rr 2 on exit 1 (probability) gives 0.5, 0.4, 0.1;
        // then rr 1.5 on staying gives 0.75 and exits 0.4, 0.1 scaled by 0.25 / 0.5.
        apply(&[0.7, 0.2, 0.1], 0, &[1.5, 2.0, 1.0], &[1.0; 3], &mut out, &mut w);
        assert!((out[0] - 0.75).abs() < 1e-15 && (out[1] - 0.2).abs() < 1e-15 && (out[2] - 0.05).abs() < 1e-15);
        assert_eq!(w.rescaled_rows, 1);
    }

    #[test]
    fn rate_convention_keeps_rows_valid_for_huge_risks() {
        let mut out = [0.0; 3];
        let mut w = Warnings::default();
        apply(&[0.1, 0.6, 0.3], 0, &[1.0; 3], &[1.0, 50.0, 1.0], &mut out, &mut w);
        assert!(out.iter().all(|&x| (0.0..=1.0).contains(&x)));
        assert!((out.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(w.rescaled_rows, 0);
    }
}
