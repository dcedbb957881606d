//! Incremental cost-effectiveness analysis of all arms (incrementele analyse):
//! rank the arms by cost, remove the strongly and the extendedly dominated
//! ones, and give every arm on the efficiency frontier its incremental cost,
//! effect and ICER against the previous frontier arm.
//!
//! This is the textbook procedure of Drummond, Sculpher, Claxton, Stoddart and
//! Torrance, *Methods for the Economic Evaluation of Health Care Programmes*,
//! 4th ed., Oxford University Press, 2015 (chapter 4), as implemented in the
//! `calculate_icers` function of the R package dampack (DARTH workgroup,
//! <https://github.com/DARTH-git/dampack>); extended dominance as in Cantor,
//! "Cost-effectiveness analysis, extended dominance, and ethics: a
//! quantitative assessment", *Medical Decision Making* 14(3):259–265, 1994
//! (doi 10.1177/0272989X9401400308).
//!
//! The input is one cost and one effect per arm (typically the means over
//! draws); everything else follows from them, so the result does not depend
//! on the order in which the arms are given except through the documented
//! tie-breaks.

/// Where an arm ends up in the incremental analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// On the efficiency frontier (doelmatigheidsgrens): a rational choice at
    /// some willingness to pay.
    Frontier,
    /// Another arm costs no more and yields no less (at least one strictly),
    /// so this arm is never the best choice (sterk gedomineerd).
    StronglyDominated,
    /// A mix of two frontier arms would give more effect at the same cost
    /// (uitgebreid gedomineerd): its ICER against the previous frontier arm
    /// exceeds that of the next arm.
    ExtendedlyDominated,
}

impl Status {
    /// The status as a stable lower-case identifier for output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Frontier => "frontier",
            Status::StronglyDominated => "strongly_dominated",
            Status::ExtendedlyDominated => "extendedly_dominated",
        }
    }
}

/// One arm's line of the incremental table.
///
/// Differences are always *this arm minus the reference arm*
/// ([`IncrementalRow::compared_with`]):
///
/// - a frontier arm is compared with the previous (cheaper) frontier arm and
///   has an ICER; the cheapest frontier arm has no reference and no
///   differences;
/// - a strongly dominated arm is compared with the arm that dominates it
///   (the first dominating arm in the table order, which is never itself
///   strongly dominated); its differences show by how much it costs more
///   and/or yields less, and it has no ICER;
/// - an extendedly dominated arm is compared with the next (dearer) frontier
///   arm, the arm a decision maker would move to instead; no ICER either.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncrementalRow {
    /// Index of the arm in the input slices.
    pub arm: usize,
    /// The arm's cost.
    pub cost: f64,
    /// The arm's effect.
    pub effect: f64,
    /// Frontier or dominated.
    pub status: Status,
    /// The reference arm of the differences (see the type's documentation).
    pub compared_with: Option<usize>,
    /// Cost of this arm minus that of the reference arm.
    pub d_cost: Option<f64>,
    /// Effect of this arm minus that of the reference arm.
    pub d_effect: Option<f64>,
    /// Incremental cost-effectiveness ratio `d_cost / d_effect` (frontier
    /// arms other than the cheapest only).
    pub icer: Option<f64>,
}

/// Bad input to [`incremental`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IncrementalError {
    /// The two slices do not describe the same arms.
    #[error("{costs} costs but {effects} effects: give one cost and one effect per arm")]
    LengthMismatch {
        /// Number of costs.
        costs: usize,
        /// Number of effects.
        effects: usize,
    },
    /// A cost or effect is infinite or NaN, so no ranking is meaningful.
    #[error("the {what} of arm {arm} is {value}, not a finite number")]
    NonFinite {
        /// Index of the arm.
        arm: usize,
        /// `"cost"` or `"effect"`.
        what: &'static str,
        /// The offending value.
        value: f64,
    },
}

/// Net monetary benefit (netto monetaire opbrengst) `wtp · effect − cost`,
/// with `wtp` the willingness to pay per unit of effect.
#[inline]
pub fn net_monetary_benefit(cost: f64, effect: f64, wtp: f64) -> f64 {
    wtp * effect - cost
}

/// The incremental analysis of arms with the given costs and effects.
///
/// Rows are in the order of the table: cost ascending, ties by higher effect
/// first, then by lower arm index. Steps:
///
/// 1. *Strong dominance*: arm `i` is dominated when some arm `j` has
///    `cost_j ≤ cost_i` and `effect_j ≥ effect_i` with at least one strict;
///    of arms with exactly equal cost and effect the lowest index is kept and
///    the others are strongly dominated (by it).
/// 2. *Extended dominance*: of the remaining arms (cost and effect now both
///    strictly increasing), repeatedly remove the first arm whose ICER against
///    the previous remaining arm is strictly greater than the ICER of the next
///    remaining arm against it, until the ICERs are non-decreasing. Equal ICERs
///    (collinear arms) stay on the frontier, as in dampack.
/// 3. Frontier arms get their differences and ICER against the previous
///    frontier arm.
///
/// An empty input gives an empty table.
pub fn incremental(costs: &[f64], effects: &[f64]) -> Result<Vec<IncrementalRow>, IncrementalError> {
    if costs.len() != effects.len() {
        return Err(IncrementalError::LengthMismatch { costs: costs.len(), effects: effects.len() });
    }
    for (arm, (&c, &e)) in costs.iter().zip(effects).enumerate() {
        if !c.is_finite() {
            return Err(IncrementalError::NonFinite { arm, what: "cost", value: c });
        }
        if !e.is_finite() {
            return Err(IncrementalError::NonFinite { arm, what: "effect", value: e });
        }
    }
    let n = costs.len();
    let mut order: Vec<usize> = (0..n).collect();
    // `x + 0.0` turns `-0.0` into `0.0`, so the sort sees the same ties as
    // the `<=`/`>=` of the dominance test below.
    let key = |x: f64| x + 0.0;
    order.sort_by(|&a, &b| {
        key(costs[a]).total_cmp(&key(costs[b])).then(key(effects[b]).total_cmp(&key(effects[a]))).then(a.cmp(&b))
    });

    // j dominates i: no dearer, no less effective, and either strictly better
    // somewhere or an exact copy with a lower index. Every dominator of i
    // comes before i in `order`, and the first one is never itself dominated
    // (anything dominating it would dominate i and come earlier).
    let dominates = |j: usize, i: usize| {
        costs[j] <= costs[i] && effects[j] >= effects[i] && (costs[j] < costs[i] || effects[j] > effects[i] || j < i)
    };
    let mut strong_by: Vec<Option<usize>> = vec![None; n];
    for (pos, &i) in order.iter().enumerate() {
        strong_by[i] = order[..pos].iter().copied().find(|&j| dominates(j, i));
    }

    // Extended dominance on the undominated arms, cheapest first.
    let mut frontier: Vec<usize> = order.iter().copied().filter(|&i| strong_by[i].is_none()).collect();
    let icer = |a: usize, b: usize| (costs[b] - costs[a]) / (effects[b] - effects[a]);
    let mut extended = vec![false; n];
    loop {
        let hit = (1..frontier.len().saturating_sub(1))
            .find(|&k| icer(frontier[k - 1], frontier[k]) > icer(frontier[k], frontier[k + 1]));
        match hit {
            Some(k) => {
                extended[frontier[k]] = true;
                frontier.remove(k);
            }
            None => break,
        }
    }

    let rows = order
        .iter()
        .map(|&i| {
            let (status, reference) = if let Some(j) = strong_by[i] {
                (Status::StronglyDominated, Some(j))
            } else if extended[i] {
                // The next frontier arm: the first one dearer than this arm
                // (it exists: the dearest undominated arm is never removed).
                (Status::ExtendedlyDominated, frontier.iter().copied().find(|&f| costs[f] > costs[i]))
            } else {
                let k = frontier.iter().position(|&f| f == i).expect("a non-dominated arm is on the frontier");
                (Status::Frontier, k.checked_sub(1).map(|p| frontier[p]))
            };
            let d_cost = reference.map(|j| costs[i] - costs[j]);
            let d_effect = reference.map(|j| effects[i] - effects[j]);
            let icer = match (status, d_cost, d_effect) {
                (Status::Frontier, Some(dc), Some(de)) => Some(dc / de),
                _ => None,
            };
            IncrementalRow {
                arm: i,
                cost: costs[i],
                effect: effects[i],
                status,
                compared_with: reference,
                d_cost,
                d_effect,
                icer,
            }
        })
        .collect();
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rows: &[IncrementalRow], arm: usize) -> IncrementalRow {
        *rows.iter().find(|r| r.arm == arm).unwrap()
    }

    /// Five arms, given out of order: A (0, 0), B (100, 1), C (300, 1.5),
    /// D (400, 3), E (500, 2.5). E is strongly dominated by D (dearer, less
    /// effective). Of the rest, the ICERs are B|A = 100/1 = 100,
    /// C|B = 200/0.5 = 400, D|C = 100/1.5 = 66.7: C's exceeds D's, so C is
    /// extendedly dominated, and D is compared with B: 300/2 = 150.
    #[test]
    fn five_arms_with_strong_and_extended_dominance() {
        // Input order: D, A, E, C, B (arm indices 0..5).
        let costs = [400.0, 0.0, 500.0, 300.0, 100.0];
        let effects = [3.0, 0.0, 2.5, 1.5, 1.0];
        let rows = incremental(&costs, &effects).unwrap();
        let arms: Vec<usize> = rows.iter().map(|r| r.arm).collect();
        assert_eq!(arms, [1, 4, 3, 0, 2], "sorted by cost");

        let a = row(&rows, 1);
        assert_eq!(
            (a.status, a.compared_with, a.d_cost, a.d_effect, a.icer),
            (Status::Frontier, None, None, None, None)
        );
        let b = row(&rows, 4);
        assert_eq!((b.status, b.compared_with), (Status::Frontier, Some(1)));
        assert_eq!((b.d_cost, b.d_effect, b.icer), (Some(100.0), Some(1.0), Some(100.0)));
        let c = row(&rows, 3);
        assert_eq!((c.status, c.compared_with, c.icer), (Status::ExtendedlyDominated, Some(0), None));
        assert_eq!((c.d_cost, c.d_effect), (Some(300.0 - 400.0), Some(1.5 - 3.0)));
        let d = row(&rows, 0);
        assert_eq!((d.status, d.compared_with), (Status::Frontier, Some(4)));
        assert_eq!((d.d_cost, d.d_effect, d.icer), (Some(300.0), Some(2.0), Some(150.0)));
        let e = row(&rows, 2);
        assert_eq!((e.status, e.compared_with, e.icer), (Status::StronglyDominated, Some(0), None));
        assert_eq!((e.d_cost, e.d_effect), (Some(100.0), Some(-0.5)));

        assert_eq!(
            rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
            ["frontier", "frontier", "extendedly_dominated", "frontier", "strongly_dominated"]
        );
    }

    /// A removal can expose another: A (0, 0), B (12, 1), C (25, 2), D (30, 3).
    /// ICERs 12, 13, 5: C goes; then B|A = 12 > D|B = 18/2 = 9: B goes; the
    /// frontier is A, D with ICER 30/3 = 10.
    #[test]
    fn extended_dominance_is_iterated() {
        let rows = incremental(&[0.0, 12.0, 25.0, 30.0], &[0.0, 1.0, 2.0, 3.0]).unwrap();
        let status: Vec<Status> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            status,
            [Status::Frontier, Status::ExtendedlyDominated, Status::ExtendedlyDominated, Status::Frontier]
        );
        assert_eq!(rows[3].icer, Some(10.0));
        assert_eq!(rows[3].compared_with, Some(0));
        // Both dominated arms are compared with the next frontier arm, D.
        assert_eq!((rows[1].compared_with, rows[1].d_cost, rows[1].d_effect), (Some(3), Some(-18.0), Some(-2.0)));
        assert_eq!(rows[2].compared_with, Some(3));
    }

    /// Collinear arms (equal ICERs) all stay on the frontier.
    #[test]
    fn equal_icers_are_not_extended_dominance() {
        let rows = incremental(&[0.0, 10.0, 30.0], &[0.0, 1.0, 3.0]).unwrap();
        assert!(rows.iter().all(|r| r.status == Status::Frontier));
        assert_eq!(rows[1].icer, Some(10.0));
        assert_eq!(rows[2].icer, Some(10.0));
    }

    /// Ties: equal cost puts the more effective arm first and dominates the
    /// other; an exact copy is dominated by the lower index; equal effect at
    /// higher cost is dominated.
    #[test]
    fn ties() {
        // arm 0 (10, 1), arm 1 (10, 2), arm 2 (10, 2) copy of 1, arm 3 (20, 2), arm 4 (0, 0)
        let rows = incremental(&[10.0, 10.0, 10.0, 20.0, 0.0], &[1.0, 2.0, 2.0, 2.0, 0.0]).unwrap();
        let arms: Vec<usize> = rows.iter().map(|r| r.arm).collect();
        assert_eq!(arms, [4, 1, 2, 0, 3]);
        assert_eq!(row(&rows, 1).status, Status::Frontier);
        assert_eq!(row(&rows, 1).icer, Some(10.0 / 2.0));
        for (arm, by) in [(2, 1), (0, 1), (3, 1)] {
            let r = row(&rows, arm);
            assert_eq!((r.status, r.compared_with, r.icer), (Status::StronglyDominated, Some(by), None), "arm {arm}");
        }
        assert_eq!(row(&rows, 2).d_cost, Some(0.0));
        assert_eq!(row(&rows, 3).d_cost, Some(10.0));
    }

    /// Negative zero ties with zero: arm 1 (−0, 1) is a copy of arm 0 (0, 1).
    #[test]
    fn negative_zero_ties_with_zero() {
        let rows = incremental(&[0.0, -0.0], &[1.0, 1.0]).unwrap();
        assert_eq!((rows[0].arm, rows[0].status), (0, Status::Frontier));
        assert_eq!((rows[1].arm, rows[1].status, rows[1].compared_with), (1, Status::StronglyDominated, Some(0)));
    }

    #[test]
    fn a_single_arm_is_the_frontier() {
        let rows = incremental(&[5.0], &[1.0]).unwrap();
        assert_eq!(
            rows,
            [IncrementalRow {
                arm: 0,
                cost: 5.0,
                effect: 1.0,
                status: Status::Frontier,
                compared_with: None,
                d_cost: None,
                d_effect: None,
                icer: None
            }]
        );
        assert!(incremental(&[], &[]).unwrap().is_empty());
    }

    /// All arms equal: the first is the frontier, the others copies of it.
    #[test]
    fn all_equal() {
        let rows = incremental(&[7.0; 4], &[2.0; 4]).unwrap();
        assert_eq!(rows.iter().map(|r| r.arm).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(rows[0].status, Status::Frontier);
        for r in &rows[1..] {
            assert_eq!(
                (r.status, r.compared_with, r.d_cost, r.d_effect),
                (Status::StronglyDominated, Some(0), Some(0.0), Some(0.0))
            );
        }
    }

    /// A cheaper, more effective arm dominates everything (no ICER at all).
    #[test]
    fn a_dominant_arm() {
        let rows = incremental(&[100.0, 50.0], &[1.0, 2.0]).unwrap();
        assert_eq!(rows[0].arm, 1);
        assert_eq!(rows[0].status, Status::Frontier);
        assert_eq!(
            (rows[1].status, rows[1].d_cost, rows[1].d_effect),
            (Status::StronglyDominated, Some(50.0), Some(-1.0))
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let e = incremental(&[1.0, 2.0], &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "2 costs but 1 effects: give one cost and one effect per arm");
        let e = incremental(&[1.0, f64::NAN], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.to_string(), "the cost of arm 1 is NaN, not a finite number");
        let e = incremental(&[1.0, 2.0], &[f64::INFINITY, 2.0]).unwrap_err();
        assert_eq!(e.to_string(), "the effect of arm 0 is inf, not a finite number");
    }

    #[test]
    fn net_monetary_benefit_is_wtp_times_effect_minus_cost() {
        assert_eq!(net_monetary_benefit(1_000.0, 0.1, 20_000.0), 1_000.0);
        assert_eq!(net_monetary_benefit(3_000.0, 0.1, 20_000.0), -1_000.0);
    }
}
