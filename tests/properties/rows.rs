//! Every probability row the engine builds is a probability vector
//! (`sim::rows::apply`, `sim::realise::row`).

use proptest::prelude::*;

use wijkimpact::model::{Row, RowEntry, Value};
use wijkimpact::sim::{realise, rows, Warnings};

use crate::config;

/// A valid probability row of `n` entries (with exact zeros and ones sometimes).
fn prob_row(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![3 => 0.0f64..1.0, 1 => Just(0.0), 1 => Just(1.0), 1 => 0.0f64..1e-9], n).prop_map(
        |w| {
            let s: f64 = w.iter().sum();
            if s > 0.0 {
                w.iter().map(|x| x / s).collect()
            } else {
                let mut v = vec![0.0; w.len()];
                v[0] = 1.0;
                v
            }
        },
    )
}

fn multipliers(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![3 => Just(1.0), 2 => 0.0f64..3.0, 1 => Just(0.0), 1 => 3.0f64..1e3, 1 => Just(1e12)],
        n,
    )
}

fn assert_probability_row(out: &[f64], what: &str) -> Result<(), TestCaseError> {
    for (j, &x) in out.iter().enumerate() {
        prop_assert!((0.0..=1.0).contains(&x), "{what}: entry {j} = {x} outside [0, 1]: {out:?}");
    }
    let s: f64 = out.iter().sum();
    prop_assert!((s - 1.0).abs() <= 1e-12, "{what}: sums to {s} (off by {:e}): {out:?}", s - 1.0);
    Ok(())
}

proptest! {
    #![proptest_config(config(2000))]

    /// `rows::apply` turns any probability row into a probability row, for any
    /// multipliers >= 0 in either convention (or both at once), the one on the
    /// from-state being a relative risk on staying, and leaves the row
    /// bit-for-bit unchanged when every multiplier on an exit is 1 and the one
    /// on staying is too.
    #[test]
    fn rows_apply_keeps_rows_valid(
        (base, from, m_prob, m_rate, which) in (2usize..=6).prop_flat_map(|n| (prob_row(n), 0..n, multipliers(n), multipliers(n), 0u8..3))
    ) {
        let n = base.len();
        let ones = vec![1.0; n];
        let (mp, mr) = match which {
            0 => (&m_prob, &ones),
            1 => (&ones, &m_rate),
            _ => (&m_prob, &m_rate),
        };
        let mut out = vec![f64::NAN; n];
        let mut w = Warnings::default();
        rows::apply(&base, from, mp, mr, &mut out, &mut w);
        assert_probability_row(&out, &format!("apply(base {base:?}, from {from}, m_prob {mp:?}, m_rate {mr:?})"))?;
        let identity = |m: &Vec<f64>| m.iter().enumerate().all(|(j, &x)| j == from || x == 1.0);
        if identity(mp) && identity(mr) && mp[from] * mr[from] == 1.0 {
            prop_assert_eq!(&out, &base);
        }
        // Multiplying every exit by 0 under either convention leaves only staying.
        if mp.iter().chain(mr.iter()).enumerate().all(|(j, &x)| j % n == from || x == 0.0) && which != 2 {
            let p_exit: f64 = (0..n).filter(|&j| j != from).map(|j| base[j]).sum();
            if p_exit < 1.0 - 1e-12 {
                prop_assert!((out[from] - 1.0).abs() < 1e-12, "rr 0 on every exit: {out:?}");
            }
        }
    }

    /// `realise::row` gives a probability row for literal and sampled entries,
    /// with or without "rest", including entries that sum above 1 (repaired and counted).
    #[test]
    fn realised_rows_are_probability_rows(
        (vals, slots, rest) in (2usize..=6).prop_flat_map(|n| (
            prop::collection::vec(prop_oneof![3 => 0.0f64..0.6, 1 => Just(0.0), 1 => 0.0f64..=1.0], n),
            prop::collection::vec(any::<bool>(), n),
            prop::option::of(0..n),
        ))
    ) {
        let n = vals.len();
        // Sampled entries read from the parameter vector `p`, literal ones are fixed.
        let p: Vec<f64> = vals.clone();
        let entries: Vec<RowEntry> = (0..n)
            .map(|j| {
                if Some(j) == rest {
                    RowEntry::Rest
                } else if slots[j] {
                    RowEntry::Value(Value::Slot(j))
                } else {
                    RowEntry::Value(Value::Fixed(vals[j]))
                }
            })
            .collect();
        let s: f64 = (0..n).filter(|&j| Some(j) != rest).map(|j| vals[j]).sum();
        // A row without "rest" whose entries are all 0 falls back to state 0.
        let mut w = Warnings::default();
        let out = realise::row(&Row::Entries(entries), &p, 0, &mut w);
        prop_assert_eq!(out.len(), n);
        assert_probability_row(&out, &format!("row(vals {vals:?}, rest {rest:?})"))?;
        let repaired = if rest.is_some() { s > 1.0 } else { (s - 1.0).abs() > 1e-9 };
        prop_assert_eq!(w.negative_rest, u64::from(repaired), "vals {:?} rest {:?}", vals, rest);
    }
}
