//! Relative risks applied to a transition row, in the two conventions of the
//! literature (see [`crate::model::RrConvention`]).

use super::Warnings;

/// Apply multipliers to the exits of row `base` (from-state `from`) into `out`.
/// `from` is the column of staying: the from-state itself, or for a tunnel
/// state the next year's state ([`crate::model::Chain::stay_to`]).
///
/// `m_prob[j]` multiplies the probability of `from → j` (staying absorbs the
/// rest; exits summing above 1 are rescaled to 1 and counted in
/// `w.rescaled_rows`); then `m_rate[j]` multiplies the competing hazard of
/// `from → j`. Multipliers of 1 leave the row bit-for-bit unchanged.
pub fn apply(base: &[f64], from: usize, m_prob: &[f64], m_rate: &[f64], out: &mut [f64], w: &mut Warnings) {
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
    fn rate_convention_keeps_rows_valid_for_huge_risks() {
        let mut out = [0.0; 3];
        let mut w = Warnings::default();
        apply(&[0.1, 0.6, 0.3], 0, &[1.0; 3], &[1.0, 50.0, 1.0], &mut out, &mut w);
        assert!(out.iter().all(|&x| (0.0..=1.0).contains(&x)));
        assert!((out.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(w.rescaled_rows, 0);
    }
}
