//! Portfolio optimisation over Monte Carlo draws (sample average approximation).
//!
//! # What is optimised
//!
//! Every option (an intervention in one stadsdeel at one scale, or a fund application) is
//! simulated by the engine on the same Monte Carlo draws (common random numbers). Draw `d`
//! gives option `i` the (equity-weighted) maatschappelijk NPV `v[d, i]`; pairs of options in
//! the same area whose effects interact get an interaction term `δ[d, k]` (the joint value
//! minus the two single values). A portfolio `x ∈ {0,1}ⁿ` has, in draw `d`, the value
//!
//! ```text
//! Z_d(x) = Σ_i x_i v[d,i] + Σ_k x_{i(k)} x_{j(k)} δ[d,k]
//! ```
//!
//! **Sample average approximation** (SAA; Kleywegt, Shapiro & Homem-de-Mello, "The sample
//! average approximation method for stochastic discrete optimization", SIAM Journal on
//! Optimization 12(2), 2002, <https://doi.org/10.1137/S1052623499363220>) replaces the
//! expectation, probability or tail mean of `Z(x)` by the same statistic over the draws and
//! optimises that deterministic problem. The portfolio must respect linear resource constraints
//! (budget per year, per area per year, per funder per year: `Σ_i a_i x_i + Σ_k p_k y_k ≤ L`,
//! limits `L ≥ 0` so that choosing nothing is always feasible) and at most one option of each
//! group (the scales of one intervention in one area).
//!
//! # Objectives and methods
//!
//! * [`Objective::Mean`], `max (1/D) Σ_d Z_d(x)`: the pair products are linearised with
//!   `y_k ∈ [0,1]`, `y_k ≤ x_i`, `y_k ≤ x_j`, `y_k ≥ x_i + x_j − 1` (so `y_k = x_i x_j` for binary
//!   `x`), which makes the problem a 0–1 integer program, solved exactly with `good_lp` and its
//!   pure-Rust `microlp` branch and bound ([`Method::IntegerProgram`]). The mean is evaluated as
//!   `Σ_i x_i v̄_i + Σ_k x_i x_j δ̄_k` with per-option means `v̄_i` (equal to the mean of `Z_d`
//!   up to rounding), so that the integer program and [`objective_of`] agree bit for bit.
//! * [`Objective::WelfarePerEuro`], `max B(x)/C(x)` with `B` the mean PV of (weighted)
//!   benefits and `C` the expected PV of investment costs, both including the interaction
//!   deltas: a 0–1 fractional program, solved exactly by **Dinkelbach's method** (W. Dinkelbach,
//!   "On nonlinear fractional programming", Management Science 13(7), 1967,
//!   <https://doi.org/10.1287/mnsc.13.7.492>): with `λ_t = B(x_t)/C(x_t)` solve the integer
//!   program `F(λ_t) = max B(x) − λ_t C(x)` over non-empty feasible portfolios; `F(λ) = 0`
//!   exactly at the optimal ratio and `λ` increases strictly otherwise, so the sequence ends
//!   after finitely many steps ([`Method::Dinkelbach`] reports how many). The empty portfolio
//!   has no ratio and is not allowed, unless no non-empty portfolio is feasible (then the
//!   solution is empty with objective 0). Requires `C(x) > 0` for every non-empty portfolio,
//!   which is checked through the sufficient condition `cost_i + Σ_{k∋i} min(cost_k, 0)/2 > 0`.
//! * [`Objective::ProbabilityPositive`], the share of draws with `Z_d > 0`, is not linear:
//!   heuristic [`Method::LocalSearch`] from three starts (the empty portfolio, the Mean optimum
//!   and the portfolio that is best in the most draws) with best-improvement add, drop and swap
//!   moves that keep feasibility. Bound: the share of draws in which the best feasible
//!   portfolio of that draw alone ([`best_per_draw`], exact) has `Z_d > 0`. Valid because for
//!   every feasible `x` and draw `d`, `Z_d(x) ≤ max_x' Z_d(x') =: M_d`, so `1[Z_d(x) > 0] ≤
//!   1[M_d > 0]` draw by draw, and averaging keeps the inequality.
//! * [`Objective::LowerTail`], the mean of the worst `k = ⌈share·D⌉` draws (CVaR; R. T.
//!   Rockafellar & S. Uryasev, "Optimization of conditional value-at-risk", Journal of Risk
//!   2(3), 2000, <https://doi.org/10.21314/JOR.2000.038>), is linear after the
//!   Rockafellar–Uryasev reformulation `max t − (1/k) Σ_d u_d`, `u_d ≥ t − Z_d`, `u_d ≥ 0`
//!   (at the optimum `t` is the k-th smallest `Z_d` and `u_d = (t − Z_d)⁺`), with the same
//!   linearised pairs, constraints and groups: a mixed integer program solved exactly by
//!   microlp ([`Method::IntegerProgram`]). Measured on the real size (2,000 draws, 30 options,
//!   27 interactions, 15 budgets): 0.16–0.36 s, and its LP relaxation is tight to within 2–5 %
//!   (test `lower_tail_mip_timing`), so no heuristic is needed. The answer is then passed
//!   through the local search below, which can only move to a strictly higher-ranked
//!   portfolio (canonical tie-breaking).
//!
//! # Exact per-draw optimum and tie-breaking
//!
//! [`best_per_draw`] maximises `Z_d` in each draw with a branch and bound specialised to this
//! multiple-choice knapsack with several constraints and pair terms (see `BranchAndBound`); the
//! same routine makes the integer-program answers canonical. Ties are broken the same way
//! everywhere ([`brute_force`] included): higher objective; for probability positive and the
//! lower tail then the higher mean; then fewer options; then, at the lowest index where two portfolios
//! differ, the one that contains that option. Objectives are compared as exact `f64` values,
//! so "ties" are exact ties (duplicated options, options of value 0); near ties that differ
//! in the last bits may be resolved differently by an integer program and by enumeration.
//!
//! Everything is deterministic: the same [`Problem`] gives the same [`Solution`] bit for bit on
//! any thread count (draws are processed in parallel but results are collected in order, and
//! neither microlp nor the branch and bound uses time limits or randomness).

use good_lp::{microlp, variable, Expression, ProblemVariables, Solution as _, SolverModel, Variable, WithTimeLimit};
use rayon::prelude::*;
use thiserror::Error;

/// One option pair whose joint value is not the sum of the two:
/// `value[d] = V_ij[d] − V_i[d] − V_j[d]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    /// First option of the pair (index into the options).
    pub i: usize,
    /// Second option of the pair (`i != j`).
    pub j: usize,
    /// Per draw delta of the (equity-weighted) maatschappelijk NPV.
    pub value: Vec<f64>,
    /// Delta of the expected PV of investment costs, for [`Objective::WelfarePerEuro`].
    pub cost: f64,
    /// Per draw delta of the PV of (weighted) benefits, for [`Objective::WelfarePerEuro`].
    pub benefit: Vec<f64>,
}

/// A linear resource constraint `Σ_i coef[i] x_i + Σ_k pair_coef[k] x_i(k) x_j(k) ≤ limit`:
/// budget per year, per area per year, per funder per year.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// Name used in error messages (for instance `budget 2027`).
    pub name: String,
    /// One coefficient per option (any sign: a fund application may bring money in).
    pub coef: Vec<f64>,
    /// Right-hand side; must be `≥ 0` so that choosing nothing is feasible.
    pub limit: f64,
    /// One coefficient per interaction (the change in resource use when both options of the
    /// pair are chosen), or empty for none.
    pub pair_coef: Vec<f64>,
}

impl Constraint {
    /// A constraint without pair terms.
    pub fn new(name: impl Into<String>, coef: Vec<f64>, limit: f64) -> Self {
        Constraint { name: name.into(), coef, limit, pair_coef: Vec::new() }
    }
}

/// The sample average approximation of one allocation decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Number of options.
    pub n: usize,
    /// Number of Monte Carlo draws.
    pub draws: usize,
    /// `draws × n`, row-major: `value[d * n + i]` = option `i`'s (equity-weighted)
    /// maatschappelijk NPV in draw `d`.
    pub value: Vec<f64>,
    /// `draws × n`: PV of (weighted) benefits incl. welfare, for the ratio objective.
    pub benefit: Vec<f64>,
    /// `n`: expected PV of each option's investment costs (`> 0`), the ratio denominator.
    pub cost: Vec<f64>,
    /// Pair terms.
    pub interactions: Vec<Interaction>,
    /// Resource constraints.
    pub constraints: Vec<Constraint>,
    /// At most one option of each group (the scales of one intervention in one area).
    pub groups: Vec<Vec<usize>>,
}

/// What "best" means for a portfolio whose value is uncertain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Objective {
    /// Expected maatschappelijk NPV (mean over draws).
    Mean,
    /// Mean benefits per euro of expected investment cost (baten per euro).
    WelfarePerEuro,
    /// Share of draws in which the portfolio's NPV is positive.
    ProbabilityPositive,
    /// Mean of the worst `share` of draws (CVaR), e.g. `share = 0.1`.
    LowerTail {
        /// Share of the draws in the tail, in `(0, 1]`; the tail holds `⌈share·draws⌉` draws.
        share: f64,
    },
}

/// How the solution was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Exact 0–1 (mean) or mixed (lower tail) integer program solved by microlp, made canonical
    /// among ties by the branch and bound (mean) or the local search (lower tail).
    IntegerProgram,
    /// Exact, Dinkelbach's method: `iterations` integer programs were solved.
    Dinkelbach {
        /// Number of integer programs solved.
        iterations: u32,
    },
    /// Heuristic local search (add/drop/swap); [`Solution::bound`] bounds the optimum.
    LocalSearch,
    /// Enumeration of all feasible portfolios ([`brute_force`]).
    Enumeration,
}

/// A chosen portfolio.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// `chosen[i]`: option `i` is in the portfolio.
    pub chosen: Vec<bool>,
    /// The objective of the portfolio, as [`objective_of`] computes it.
    pub objective: f64,
    /// An upper bound on the optimum when the method is a heuristic; `None` for exact methods.
    pub bound: Option<f64>,
    /// How the portfolio was found.
    pub method: Method,
}

/// Why a problem could not be solved.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum SolveError {
    /// No Monte Carlo draws.
    #[error("the allocation problem has no draws: the sample average needs at least one draw")]
    NoDraws,
    /// An array has the wrong length.
    #[error("{what} has {found} entries, expected {expected}")]
    Shape {
        /// Which array.
        what: String,
        /// Length required by `n`, `draws` or the number of interactions.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// A NaN or infinite number.
    #[error("{what} is {value}, not a finite number")]
    NotFinite {
        /// Which number.
        what: String,
        /// The number.
        value: f64,
    },
    /// An option's expected investment cost is not positive.
    #[error("cost of option {option} is {cost}; the expected PV of investment costs must be > 0")]
    NonPositiveCost {
        /// The option.
        option: usize,
        /// Its cost.
        cost: f64,
    },
    /// A constraint's limit is negative, so even choosing nothing would be infeasible.
    #[error("constraint `{name}` has limit {limit} < 0: not even the empty portfolio fits")]
    NegativeLimit {
        /// Constraint name.
        name: String,
        /// Its limit.
        limit: f64,
    },
    /// An interaction or group names an option that does not exist, or a pair is odd.
    #[error("{what}")]
    BadIndex {
        /// Description naming the interaction or group and the index.
        what: String,
    },
    /// The share of a lower-tail objective is outside `(0, 1]`.
    #[error("lower-tail share {share} must be in (0, 1]")]
    BadShare {
        /// The share.
        share: f64,
    },
    /// Interaction cost savings could make a portfolio's cost non-positive, so the ratio
    /// objective is undefined.
    #[error(
        "option {option}: cost {cost} plus half its negative interaction cost deltas is {net} <= 0, \
         so a portfolio could have no positive cost and welfare per euro is undefined"
    )]
    RatioCost {
        /// The option.
        option: usize,
        /// Its cost.
        cost: f64,
        /// Cost plus half its negative interaction cost deltas.
        net: f64,
    },
    /// The integer-programming backend failed.
    #[error("integer program solver (microlp) failed: {0}")]
    Backend(String),
}

/// Check shapes, finiteness, costs, limits and indices.
pub fn validate(p: &Problem) -> Result<(), SolveError> {
    if p.draws == 0 {
        return Err(SolveError::NoDraws);
    }
    let n = p.n;
    let k = p.interactions.len();
    let len = |what: &str, expected: usize, found: usize| {
        if expected == found {
            Ok(())
        } else {
            Err(SolveError::Shape { what: what.to_string(), expected, found })
        }
    };
    let finite = |what: &dyn Fn() -> String, value: f64| {
        if value.is_finite() {
            Ok(())
        } else {
            Err(SolveError::NotFinite { what: what(), value })
        }
    };
    let cells = n.checked_mul(p.draws).ok_or_else(|| SolveError::Shape {
        what: "value (draws × options)".into(),
        expected: usize::MAX,
        found: p.value.len(),
    })?;
    len("value (draws × options)", cells, p.value.len())?;
    len("benefit (draws × options)", cells, p.benefit.len())?;
    len("cost (options)", n, p.cost.len())?;
    for (idx, &v) in p.value.iter().enumerate() {
        finite(&|| format!("value of option {} in draw {}", idx % n, idx / n), v)?;
    }
    for (idx, &v) in p.benefit.iter().enumerate() {
        finite(&|| format!("benefit of option {} in draw {}", idx % n, idx / n), v)?;
    }
    for (i, &c) in p.cost.iter().enumerate() {
        finite(&|| format!("cost of option {i}"), c)?;
        if c <= 0.0 {
            return Err(SolveError::NonPositiveCost { option: i, cost: c });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (q, it) in p.interactions.iter().enumerate() {
        if it.i >= n || it.j >= n {
            return Err(SolveError::BadIndex {
                what: format!("interaction {q} names option ({}, {}) but there are {n} options", it.i, it.j),
            });
        }
        if it.i == it.j {
            return Err(SolveError::BadIndex { what: format!("interaction {q} pairs option {} with itself", it.i) });
        }
        if !seen.insert((it.i.min(it.j), it.i.max(it.j))) {
            return Err(SolveError::BadIndex {
                what: format!("interaction {q} repeats the pair ({}, {})", it.i, it.j),
            });
        }
        len(&format!("value of interaction {q} (draws)"), p.draws, it.value.len())?;
        len(&format!("benefit of interaction {q} (draws)"), p.draws, it.benefit.len())?;
        for (d, &v) in it.value.iter().enumerate() {
            finite(&|| format!("value of interaction {q} in draw {d}"), v)?;
        }
        for (d, &v) in it.benefit.iter().enumerate() {
            finite(&|| format!("benefit of interaction {q} in draw {d}"), v)?;
        }
        finite(&|| format!("cost of interaction {q}"), it.cost)?;
    }
    for c in &p.constraints {
        len(&format!("coefficients of constraint `{}` (options)", c.name), n, c.coef.len())?;
        if !c.pair_coef.is_empty() {
            len(&format!("pair coefficients of constraint `{}` (interactions)", c.name), k, c.pair_coef.len())?;
        }
        for (i, &a) in c.coef.iter().enumerate() {
            finite(&|| format!("coefficient of option {i} in constraint `{}`", c.name), a)?;
        }
        for (q, &a) in c.pair_coef.iter().enumerate() {
            finite(&|| format!("pair coefficient of interaction {q} in constraint `{}`", c.name), a)?;
        }
        finite(&|| format!("limit of constraint `{}`", c.name), c.limit)?;
        if c.limit < 0.0 {
            return Err(SolveError::NegativeLimit { name: c.name.clone(), limit: c.limit });
        }
    }
    for (g, members) in p.groups.iter().enumerate() {
        for &i in members {
            if i >= n {
                return Err(SolveError::BadIndex {
                    what: format!("group {g} names option {i} but there are {n} options"),
                });
            }
        }
    }
    Ok(())
}

fn validate_objective(p: &Problem, obj: &Objective) -> Result<(), SolveError> {
    match *obj {
        Objective::LowerTail { share } if !(share > 0.0 && share <= 1.0) => {
            return Err(SolveError::BadShare { share });
        }
        Objective::WelfarePerEuro => {
            for i in 0..p.n {
                let mut net = p.cost[i];
                for it in &p.interactions {
                    if (it.i == i || it.j == i) && it.cost < 0.0 {
                        net += it.cost / 2.0;
                    }
                }
                if net <= 0.0 {
                    return Err(SolveError::RatioCost { option: i, cost: p.cost[i], net });
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `Σ_i x_i c_i + Σ_k x_i(k) x_j(k) e_k`, summed in index order then interaction order: the one
/// canonical evaluation used by every routine, so that equal portfolios get equal bits.
fn linear_value(p: &Problem, c: &[f64], e: &[f64], chosen: &[bool]) -> f64 {
    let mut z = 0.0;
    for i in 0..p.n {
        if chosen[i] {
            z += c[i];
        }
    }
    for (k, it) in p.interactions.iter().enumerate() {
        if chosen[it.i] && chosen[it.j] {
            z += e[k];
        }
    }
    z
}

/// `Z_d = Σ_i x_i value[d,i] + Σ_{interactions with both chosen} value[d]`, for every draw.
///
/// Expects a problem that [`validate`] accepts (panics on mismatched lengths).
pub fn draw_values(p: &Problem, chosen: &[bool]) -> Vec<f64> {
    let mut e = vec![0.0; p.interactions.len()];
    (0..p.draws)
        .map(|d| {
            for (k, it) in p.interactions.iter().enumerate() {
                e[k] = it.value[d];
            }
            linear_value(p, &p.value[d * p.n..(d + 1) * p.n], &e, chosen)
        })
        .collect()
}

/// Per-option and per-interaction means over the draws (summed in draw order).
struct Means {
    value: Vec<f64>,
    value_pair: Vec<f64>,
    benefit: Vec<f64>,
    benefit_pair: Vec<f64>,
    cost_pair: Vec<f64>,
}

impl Means {
    fn new(p: &Problem) -> Self {
        let dn = p.draws as f64;
        let col = |m: &[f64], i: usize| (0..p.draws).map(|d| m[d * p.n + i]).sum::<f64>() / dn;
        Means {
            value: (0..p.n).map(|i| col(&p.value, i)).collect(),
            value_pair: p.interactions.iter().map(|it| it.value.iter().sum::<f64>() / dn).collect(),
            benefit: (0..p.n).map(|i| col(&p.benefit, i)).collect(),
            benefit_pair: p.interactions.iter().map(|it| it.benefit.iter().sum::<f64>() / dn).collect(),
            cost_pair: p.interactions.iter().map(|it| it.cost).collect(),
        }
    }
}

fn tail_count(p: &Problem, share: f64) -> usize {
    ((share * p.draws as f64).ceil() as usize).clamp(1, p.draws)
}

fn tail_mean(z: &mut [f64], k: usize) -> f64 {
    z.sort_unstable_by(f64::total_cmp);
    z[..k].iter().sum::<f64>() / k as f64
}

fn share_positive(z: &[f64]) -> f64 {
    z.iter().filter(|&&v| v > 0.0).count() as f64 / z.len() as f64
}

fn objective_with(p: &Problem, m: &Means, obj: &Objective, chosen: &[bool]) -> f64 {
    match *obj {
        Objective::Mean => linear_value(p, &m.value, &m.value_pair, chosen),
        Objective::WelfarePerEuro => {
            if !chosen.iter().any(|&c| c) {
                return 0.0;
            }
            linear_value(p, &m.benefit, &m.benefit_pair, chosen) / linear_value(p, &p.cost, &m.cost_pair, chosen)
        }
        Objective::ProbabilityPositive => share_positive(&draw_values(p, chosen)),
        Objective::LowerTail { share } => tail_mean(&mut draw_values(p, chosen), tail_count(p, share)),
    }
}

/// The objective of a portfolio (the empty portfolio has welfare per euro 0).
///
/// Mean is `Σ_i x_i v̄_i + Σ_k x_i x_j δ̄_k` with means over the draws (equal to the mean of
/// [`draw_values`] up to rounding). Expects a problem that [`validate`] accepts.
pub fn objective_of(p: &Problem, obj: &Objective, chosen: &[bool]) -> f64 {
    objective_with(p, &Means::new(p), obj, chosen)
}

fn constraint_tol(limit: f64) -> f64 {
    1e-9 * limit.abs().max(1.0)
}

/// Constraints (with tolerance `1e-9 · max(1, |limit|)`) and groups (at most one chosen).
pub fn feasible(p: &Problem, chosen: &[bool]) -> bool {
    let zeros = vec![0.0; p.interactions.len()];
    for c in &p.constraints {
        let pc = if c.pair_coef.is_empty() { &zeros } else { &c.pair_coef };
        if linear_value(p, &c.coef, pc, chosen) > c.limit + constraint_tol(c.limit) {
            return false;
        }
    }
    p.groups.iter().all(|g| g.iter().filter(|&&i| chosen[i]).count() <= 1)
}

/// Ranking key: objective, then (heuristic objectives) the mean, then fewer options, then the
/// portfolio that contains the lowest index at which the two differ.
#[derive(Clone, Debug)]
struct Ranked {
    primary: f64,
    secondary: f64,
    chosen: Vec<bool>,
}

fn better(a_primary: f64, a_secondary: f64, a: &[bool], b: &Ranked) -> bool {
    if a_primary != b.primary {
        return a_primary > b.primary;
    }
    if a_secondary != b.secondary {
        return a_secondary > b.secondary;
    }
    let ca = a.iter().filter(|&&x| x).count();
    let cb = b.chosen.iter().filter(|&&x| x).count();
    if ca != cb {
        return ca < cb;
    }
    match a.iter().zip(&b.chosen).position(|(x, y)| x != y) {
        Some(i) => a[i],
        None => false,
    }
}

fn secondary_of(p: &Problem, m: &Means, obj: &Objective, chosen: &[bool]) -> f64 {
    match obj {
        Objective::ProbabilityPositive | Objective::LowerTail { .. } => objective_with(p, m, &Objective::Mean, chosen),
        _ => 0.0,
    }
}

// ---------------------------------------------------------------------------------------------
// Branch and bound for max Σ c_i x_i + Σ e_k x_i x_j subject to the constraints and groups.
// ---------------------------------------------------------------------------------------------

/// The problem structure shared by every linear objective (per draw, mean, Dinkelbach).
struct Structure {
    n: usize,
    /// For each option: (interaction index, partner).
    pairs_of: Vec<Vec<(usize, usize)>>,
    /// For each option: the options sharing a group with it.
    mates: Vec<Vec<usize>>,
    /// For each option: the group it is counted in for the group bound (its first group).
    group_slot: Vec<Option<usize>>,
    n_groups: usize,
    /// Constraints with dense pair coefficients.
    cons: Vec<(Vec<f64>, Vec<f64>, f64)>,
}

impl Structure {
    fn new(p: &Problem) -> Self {
        let n = p.n;
        let k = p.interactions.len();
        let mut pairs_of = vec![Vec::new(); n];
        for (q, it) in p.interactions.iter().enumerate() {
            pairs_of[it.i].push((q, it.j));
            pairs_of[it.j].push((q, it.i));
        }
        let mut mates = vec![Vec::new(); n];
        let mut group_slot = vec![None; n];
        for (g, members) in p.groups.iter().enumerate() {
            for &i in members {
                if group_slot[i].is_none() {
                    group_slot[i] = Some(g);
                }
                for &j in members {
                    if j != i && !mates[i].contains(&j) {
                        mates[i].push(j);
                    }
                }
            }
        }
        for m in &mut mates {
            m.sort_unstable();
        }
        let cons = p
            .constraints
            .iter()
            .map(|c| {
                let pc = if c.pair_coef.is_empty() { vec![0.0; k] } else { c.pair_coef.clone() };
                (c.coef.clone(), pc, c.limit)
            })
            .collect();
        Structure { n, pairs_of, mates, group_slot, n_groups: p.groups.len(), cons }
    }
}

const FREE: u8 = 0;
const IN: u8 = 1;
const OUT: u8 = 2;

/// Depth-first branch and bound, include-first, with the bound
/// `min(group bound, min over constraints of the fractional knapsack bound)`.
///
/// At a node with chosen set `S` and free set `F`, for a free option `i`
/// `u_i = c_i + Σ_{partner ∈ S} e_k + Σ_{partner ∈ F} max(e_k, 0)/2` and per constraint
/// `w_i = a_i + Σ_{partner ∈ S} p_k + Σ_{partner ∈ F} min(p_k, 0)/2`. Since `x_i x_j ≤ (x_i+x_j)/2`,
/// every completion has value `≤ value(S) + Σ_F u_i x_i` and uses `≥ use(S) + Σ_F w_i x_i` of
/// each constraint, so the fractional knapsack optimum (each constraint separately) and the
/// sum over groups of the best positive `u_i` (at most one per group) bound the subtree.
struct BranchAndBound<'a> {
    p: &'a Problem,
    s: &'a Structure,
    c: &'a [f64],
    e: &'a [f64],
    nonempty: bool,
    order: Vec<usize>,
    state: Vec<u8>,
    chosen: Vec<bool>,
    value: f64,
    usage: Vec<f64>,
    tol: f64,
    best: Option<Ranked>,
    u: Vec<f64>,
    group_best: Vec<f64>,
    items: Vec<(f64, f64)>,
    nodes: u64,
}

impl<'a> BranchAndBound<'a> {
    fn new(p: &'a Problem, s: &'a Structure, c: &'a [f64], e: &'a [f64], nonempty: bool) -> Self {
        let n = s.n;
        let scale = 1.0 + c.iter().map(|v| v.abs()).sum::<f64>() + e.iter().map(|v| v.abs()).sum::<f64>();
        let mut order: Vec<usize> = (0..n).collect();
        let opt = |i: usize| c[i] + s.pairs_of[i].iter().map(|&(k, _)| e[k].max(0.0) / 2.0).sum::<f64>();
        order.sort_by(|&a, &b| opt(b).total_cmp(&opt(a)).then(a.cmp(&b)));
        BranchAndBound {
            p,
            s,
            c,
            e,
            nonempty,
            order,
            state: vec![FREE; n],
            chosen: vec![false; n],
            value: 0.0,
            usage: vec![0.0; s.cons.len()],
            tol: 1e-12 * scale,
            best: None,
            u: vec![0.0; n],
            group_best: vec![0.0; s.n_groups],
            items: Vec::with_capacity(n),
            nodes: 0,
        }
    }

    fn run(mut self, incumbent: Option<&[bool]>) -> (Option<Vec<bool>>, u64) {
        if !self.nonempty {
            self.consider_chosen(&vec![false; self.s.n]);
        }
        if let Some(x) = incumbent {
            self.consider_chosen(x);
        }
        self.node(0);
        (self.best.map(|b| b.chosen), self.nodes)
    }

    /// Compare a complete portfolio canonically with the incumbent.
    fn consider_chosen(&mut self, x: &[bool]) {
        if self.nonempty && !x.iter().any(|&v| v) {
            return;
        }
        if !feasible(self.p, x) {
            return;
        }
        let v = linear_value(self.p, self.c, self.e, x);
        let take = match &self.best {
            None => true,
            Some(b) => better(v, 0.0, x, b),
        };
        if take {
            self.best = Some(Ranked { primary: v, secondary: 0.0, chosen: x.to_vec() });
        }
    }

    fn include(&mut self, i: usize, changed: &mut Vec<usize>) {
        self.state[i] = IN;
        self.chosen[i] = true;
        let mut dv = self.c[i];
        for &(k, j) in &self.s.pairs_of[i] {
            if self.state[j] == IN {
                dv += self.e[k];
            }
        }
        self.value += dv;
        for (q, (a, pc, _)) in self.s.cons.iter().enumerate() {
            let mut du = a[i];
            for &(k, j) in &self.s.pairs_of[i] {
                if self.state[j] == IN {
                    du += pc[k];
                }
            }
            self.usage[q] += du;
        }
        for &j in &self.s.mates[i] {
            if self.state[j] == FREE {
                self.state[j] = OUT;
                changed.push(j);
            }
        }
    }

    /// Upper bound on the value of any completion of the current node; `-inf` if none is
    /// feasible.
    fn bound(&mut self, target: Option<f64>) -> f64 {
        let s = self.s;
        let mut any_free = false;
        for i in 0..s.n {
            if self.state[i] != FREE {
                continue;
            }
            any_free = true;
            let mut u = self.c[i];
            for &(k, j) in &s.pairs_of[i] {
                match self.state[j] {
                    IN => u += self.e[k],
                    FREE => u += self.e[k].max(0.0) / 2.0,
                    _ => {}
                }
            }
            self.u[i] = u;
        }
        // Group bound (also covers the infeasibility of the chosen set when nothing is free).
        let mut ub = self.value;
        if any_free {
            self.group_best.iter_mut().for_each(|g| *g = 0.0);
            for i in 0..s.n {
                if self.state[i] == FREE {
                    let u = self.u[i].max(0.0);
                    match s.group_slot[i] {
                        Some(g) => self.group_best[g] = self.group_best[g].max(u),
                        None => ub += u,
                    }
                }
            }
            ub += self.group_best.iter().sum::<f64>();
        }
        if let Some(t) = target {
            if ub < t {
                return ub;
            }
        }
        for (q, (a, pc, limit)) in s.cons.iter().enumerate() {
            let cap = limit + constraint_tol(*limit) + 1e-12 * limit.abs().max(1.0) - self.usage[q];
            self.items.clear();
            let mut base = 0.0;
            let mut cap2 = cap;
            for i in 0..s.n {
                if self.state[i] != FREE {
                    continue;
                }
                let mut w = a[i];
                for &(k, j) in &s.pairs_of[i] {
                    match self.state[j] {
                        IN => w += pc[k],
                        FREE => w += pc[k].min(0.0) / 2.0,
                        _ => {}
                    }
                }
                let u = self.u[i];
                if w <= 0.0 && u >= 0.0 {
                    base += u;
                    cap2 -= w;
                } else if w >= 0.0 && u <= 0.0 {
                } else if w > 0.0 {
                    self.items.push((u, w));
                } else {
                    // w < 0, u < 0: take it and consider dropping it again (complement).
                    base += u;
                    cap2 -= w;
                    self.items.push((-u, -w));
                }
            }
            if cap2 < 0.0 {
                return f64::NEG_INFINITY;
            }
            self.items.sort_unstable_by(|x, y| (y.0 * x.1).total_cmp(&(x.0 * y.1)));
            let mut val = base;
            for &(u, w) in &self.items {
                if w <= cap2 {
                    val += u;
                    cap2 -= w;
                } else {
                    val += u * cap2 / w;
                    break;
                }
            }
            ub = ub.min(self.value + val);
            if let Some(t) = target {
                if ub < t {
                    return ub;
                }
            }
        }
        ub
    }

    fn node(&mut self, t: usize) {
        self.nodes += 1;
        let target = self.best.as_ref().map(|b| b.primary - self.tol);
        let b = self.bound(target);
        if b == f64::NEG_INFINITY || target.is_some_and(|t| b < t) {
            return;
        }
        let mut t = t;
        while t < self.s.n && self.state[self.order[t]] != FREE {
            t += 1;
        }
        if t == self.s.n {
            return;
        }
        let i = self.order[t];
        // Include i.
        let saved_value = self.value;
        let saved_usage = self.usage.clone();
        let mut changed = Vec::new();
        self.include(i, &mut changed);
        let promising = match &self.best {
            None => true,
            Some(b) => self.value >= b.primary - self.tol,
        };
        if promising {
            let x = self.chosen.clone();
            self.consider_chosen(&x);
        }
        self.node(t + 1);
        self.state[i] = FREE;
        self.chosen[i] = false;
        for &j in &changed {
            self.state[j] = FREE;
        }
        self.value = saved_value;
        self.usage = saved_usage;
        // Exclude i.
        self.state[i] = OUT;
        self.node(t + 1);
        self.state[i] = FREE;
    }
}

// ---------------------------------------------------------------------------------------------
// Integer program (good_lp + microlp) and the exact linear solve.
// ---------------------------------------------------------------------------------------------

/// `max Σ c_i x_i + Σ e_k y_k` with `y_k = x_i x_j` linearised, the constraints, the groups and
/// (if `nonempty`) `Σ x_i ≥ 1`, as a 0–1 program for microlp. `None`: infeasible.
fn ip_linear(p: &Problem, c: &[f64], e: &[f64], nonempty: bool) -> Result<Option<Vec<bool>>, SolveError> {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = (0..p.n).map(|_| vars.add(variable().binary())).collect();
    let y: Vec<Variable> = p.interactions.iter().map(|_| vars.add(variable().clamp(0.0, 1.0))).collect();
    let mut objective = Expression::with_capacity(x.len() + y.len());
    for (i, &xi) in x.iter().enumerate() {
        objective.add_mul(c[i], xi);
    }
    for (k, &yk) in y.iter().enumerate() {
        objective.add_mul(e[k], yk);
    }
    let mut model = vars.maximise(objective).using(microlp);
    for (k, it) in p.interactions.iter().enumerate() {
        model.add_constraint((Expression::from(y[k]) - x[it.i]).leq(0.0));
        model.add_constraint((Expression::from(y[k]) - x[it.j]).leq(0.0));
        model.add_constraint((Expression::from(x[it.i]) + x[it.j] - y[k]).leq(1.0));
    }
    for con in &p.constraints {
        let mut lhs = Expression::with_capacity(p.n + y.len());
        for (i, &xi) in x.iter().enumerate() {
            if con.coef[i] != 0.0 {
                lhs.add_mul(con.coef[i], xi);
            }
        }
        for (k, &a) in con.pair_coef.iter().enumerate() {
            if a != 0.0 {
                lhs.add_mul(a, y[k]);
            }
        }
        model.add_constraint(lhs.leq(con.limit));
    }
    for g in &p.groups {
        let mut lhs = Expression::with_capacity(g.len());
        for &i in g {
            lhs.add_mul(1.0, x[i]);
        }
        model.add_constraint(lhs.leq(1.0));
    }
    if nonempty {
        let mut lhs = Expression::with_capacity(p.n);
        for &xi in &x {
            lhs.add_mul(1.0, xi);
        }
        model.add_constraint(lhs.geq(1.0));
    }
    match model.solve() {
        Ok(sol) => Ok(Some(x.iter().map(|&xi| sol.value(xi) > 0.5).collect())),
        Err(good_lp::ResolutionError::Infeasible) => Ok(None),
        Err(err) => Err(SolveError::Backend(err.to_string())),
    }
}

/// The lower tail (mean of the worst `k` draws) by the Rockafellar–Uryasev program
/// `max t − (1/k) Σ_d u_d`, `u_d ≥ t − Z_d`, `u_d ≥ 0`, with `x` binary (`integer`) or in
/// `[0, 1]` (LP relaxation, a valid upper bound). Returns the optimal value and `x > 0.5`.
/// `seconds`: time limit (tests only; the solve itself has none, for determinism).
fn cvar_program(p: &Problem, k: usize, integer: bool, seconds: Option<f64>) -> Result<(f64, Vec<bool>), SolveError> {
    let k = k as f64;
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> =
        (0..p.n).map(|_| vars.add(if integer { variable().binary() } else { variable().clamp(0.0, 1.0) })).collect();
    let y: Vec<Variable> = p.interactions.iter().map(|_| vars.add(variable().clamp(0.0, 1.0))).collect();
    let t = vars.add(variable());
    let u: Vec<Variable> = (0..p.draws).map(|_| vars.add(variable().min(0.0))).collect();
    let mut objective = Expression::from(t);
    for &ud in &u {
        objective.add_mul(-1.0 / k, ud);
    }
    let mut model = vars.maximise(objective).using(microlp);
    if let Some(seconds) = seconds {
        model = model.with_time_limit(seconds);
    }
    for (q, it) in p.interactions.iter().enumerate() {
        model.add_constraint((Expression::from(y[q]) - x[it.i]).leq(0.0));
        model.add_constraint((Expression::from(y[q]) - x[it.j]).leq(0.0));
        model.add_constraint((Expression::from(x[it.i]) + x[it.j] - y[q]).leq(1.0));
    }
    for con in &p.constraints {
        let mut lhs = Expression::with_capacity(p.n);
        for (i, &xi) in x.iter().enumerate() {
            lhs.add_mul(con.coef[i], xi);
        }
        for (q, &a) in con.pair_coef.iter().enumerate() {
            lhs.add_mul(a, y[q]);
        }
        model.add_constraint(lhs.leq(con.limit));
    }
    for g in &p.groups {
        let mut lhs = Expression::with_capacity(g.len());
        for &i in g {
            lhs.add_mul(1.0, x[i]);
        }
        model.add_constraint(lhs.leq(1.0));
    }
    for d in 0..p.draws {
        // u_d ≥ t − Z_d  ⇔  t − Z_d − u_d ≤ 0
        let mut lhs = Expression::from(t) - u[d];
        for (i, &xi) in x.iter().enumerate() {
            lhs.add_mul(-p.value[d * p.n + i], xi);
        }
        for (q, &yq) in y.iter().enumerate() {
            lhs.add_mul(-p.interactions[q].value[d], yq);
        }
        model.add_constraint(lhs.leq(0.0));
    }
    let sol = model.solve().map_err(|e| SolveError::Backend(e.to_string()))?;
    let z = sol.value(t) - u.iter().map(|&ud| sol.value(ud)).sum::<f64>() / k;
    Ok((z, x.iter().map(|&xi| sol.value(xi) > 0.5).collect()))
}

/// Exact `max Σ c_i x_i + Σ e_k x_i x_j`: the microlp integer program, then the branch and bound
/// seeded with its answer, which returns the canonical optimum among ties (and would repair
/// an answer that microlp's tolerances left slightly infeasible or suboptimal).
fn exact_linear(
    p: &Problem,
    s: &Structure,
    c: &[f64],
    e: &[f64],
    nonempty: bool,
) -> Result<Option<Vec<bool>>, SolveError> {
    if p.n == 0 {
        return Ok(if nonempty { None } else { Some(Vec::new()) });
    }
    let ip = ip_linear(p, c, e, nonempty)?;
    Ok(BranchAndBound::new(p, s, c, e, nonempty).run(ip.as_deref()).0)
}

fn dinkelbach(p: &Problem, s: &Structure, m: &Means) -> Result<Solution, SolveError> {
    let ratio = |x: &[bool]| objective_with(p, m, &Objective::WelfarePerEuro, x);
    // Start from the best feasible single option (any start converges; this one saves steps).
    let mut lambda = 0.0;
    let mut have_start = false;
    for i in 0..p.n {
        let mut x = vec![false; p.n];
        x[i] = true;
        if feasible(p, &x) {
            let r = ratio(&x);
            if !have_start || r > lambda {
                lambda = r;
                have_start = true;
            }
        }
    }
    let mut iterations = 0u32;
    let mut best: Option<Vec<bool>> = None;
    while iterations < 200 {
        iterations += 1;
        let c: Vec<f64> = (0..p.n).map(|i| m.benefit[i] - lambda * p.cost[i]).collect();
        let e: Vec<f64> = (0..p.interactions.len()).map(|k| m.benefit_pair[k] - lambda * m.cost_pair[k]).collect();
        let Some(x) = exact_linear(p, s, &c, &e, true)? else {
            break;
        };
        let r = ratio(&x);
        // F(λ) = C(x)(r − λ) with C(x) > 0: no portfolio beats λ once r ≤ λ.
        let done = r <= lambda;
        if best.is_none() || !done {
            best = Some(x);
        }
        if done {
            break;
        }
        lambda = r;
    }
    let chosen = best.unwrap_or_else(|| vec![false; p.n]);
    Ok(Solution { objective: ratio(&chosen), chosen, bound: None, method: Method::Dinkelbach { iterations } })
}

// ---------------------------------------------------------------------------------------------
// Local search for the two non-linear objectives.
// ---------------------------------------------------------------------------------------------

fn stat_of(obj: &Objective, z: &[f64], scratch: &mut Vec<f64>, k: usize) -> f64 {
    match obj {
        Objective::ProbabilityPositive => share_positive(z),
        _ => {
            scratch.clear();
            scratch.extend_from_slice(z);
            tail_mean(scratch, k)
        }
    }
}

/// Best-improvement hill climbing over add, drop and swap moves that keep feasibility.
/// Neighbours are scored on incrementally updated draw values; a move is taken only if the
/// canonical ranking of the new portfolio beats the current one, so the walk cannot cycle.
fn climb(p: &Problem, s: &Structure, m: &Means, obj: &Objective, mut x: Vec<bool>) -> Ranked {
    let k_tail = match *obj {
        Objective::LowerTail { share } => tail_count(p, share),
        _ => 1,
    };
    let n = p.n;
    let dn = p.draws as f64;
    let rank = |x: &[bool]| Ranked {
        primary: objective_with(p, m, obj, x),
        secondary: secondary_of(p, m, obj, x),
        chosen: x.to_vec(),
    };
    let mut current = rank(&x);
    let mut scratch = Vec::with_capacity(p.draws);
    let mut zdrop = vec![0.0; p.draws];
    let mut zadd = vec![0.0; p.draws];
    // Remove (sign -1) or add (sign +1) option i to draw values z, given the other chosen options.
    let apply = |z: &mut [f64], x: &[bool], i: usize, sign: f64| {
        for (d, zd) in z.iter_mut().enumerate() {
            let mut delta = p.value[d * n + i];
            for &(k, j) in &s.pairs_of[i] {
                if x[j] {
                    delta += p.interactions[k].value[d];
                }
            }
            *zd += sign * delta;
        }
    };
    for _ in 0..(20 * n + 100) {
        let z = draw_values(p, &x);
        let mut best_move: Option<Ranked> = None;
        let drops: Vec<Option<usize>> = std::iter::once(None).chain((0..n).filter(|&i| x[i]).map(Some)).collect();
        for drop in drops {
            let mut base = x.clone();
            zdrop.copy_from_slice(&z);
            if let Some(i) = drop {
                base[i] = false;
                apply(&mut zdrop, &base, i, -1.0);
                if feasible(p, &base) {
                    let primary = stat_of(obj, &zdrop, &mut scratch, k_tail);
                    let secondary = zdrop.iter().sum::<f64>() / dn;
                    if best_move.as_ref().is_none_or(|b| better(primary, secondary, &base, b)) {
                        best_move = Some(Ranked { primary, secondary, chosen: base.clone() });
                    }
                }
            }
            for j in 0..n {
                if base[j] || drop == Some(j) {
                    continue;
                }
                let mut cand = base.clone();
                cand[j] = true;
                if !feasible(p, &cand) {
                    continue;
                }
                zadd.copy_from_slice(&zdrop);
                apply(&mut zadd, &base, j, 1.0);
                let primary = stat_of(obj, &zadd, &mut scratch, k_tail);
                let secondary = zadd.iter().sum::<f64>() / dn;
                if best_move.as_ref().is_none_or(|b| better(primary, secondary, &cand, b)) {
                    best_move = Some(Ranked { primary, secondary, chosen: cand });
                }
            }
        }
        let Some(mv) = best_move else { break };
        let next = rank(&mv.chosen);
        if !better(next.primary, next.secondary, &next.chosen, &current) {
            break;
        }
        x = next.chosen.clone();
        current = next;
    }
    current
}

fn local_search(p: &Problem, s: &Structure, m: &Means, obj: &Objective, starts: &[Vec<bool>]) -> Vec<bool> {
    let mut best: Option<Ranked> = None;
    for start in starts {
        if !feasible(p, start) {
            continue;
        }
        let r = climb(p, s, m, obj, start.clone());
        if best.as_ref().is_none_or(|b| better(r.primary, r.secondary, &r.chosen, b)) {
            best = Some(r);
        }
    }
    best.map(|b| b.chosen).unwrap_or_else(|| vec![false; p.n])
}

// ---------------------------------------------------------------------------------------------
// Public entry points.
// ---------------------------------------------------------------------------------------------

fn per_draw(p: &Problem, s: &Structure) -> Vec<Vec<bool>> {
    (0..p.draws)
        .into_par_iter()
        .map(|d| {
            let c = &p.value[d * p.n..(d + 1) * p.n];
            let e: Vec<f64> = p.interactions.iter().map(|it| it.value[d]).collect();
            BranchAndBound::new(p, s, c, &e, false).run(None).0.unwrap_or_else(|| vec![false; p.n])
        })
        .collect()
}

/// For each draw `d`, the feasible portfolio maximising `Z_d` (ties: fewer options, then the
/// lowest differing index chosen), by the exact branch and bound; for "the probability that an
/// option is in the best portfolio". Draws run in parallel; the result does not depend on the
/// thread count. Expects a problem that [`validate`] accepts.
pub fn best_per_draw(p: &Problem) -> Vec<Vec<bool>> {
    per_draw(p, &Structure::new(p))
}

/// Choose the portfolio that maximises `obj` over the draws (see the module documentation for
/// the method per objective).
pub fn solve(p: &Problem, obj: &Objective) -> Result<Solution, SolveError> {
    validate(p)?;
    validate_objective(p, obj)?;
    let m = Means::new(p);
    let s = Structure::new(p);
    let empty = vec![false; p.n];
    match obj {
        Objective::Mean => {
            let chosen = exact_linear(p, &s, &m.value, &m.value_pair, false)?.unwrap_or(empty);
            Ok(Solution {
                objective: objective_with(p, &m, obj, &chosen),
                chosen,
                bound: None,
                method: Method::IntegerProgram,
            })
        }
        Objective::WelfarePerEuro => dinkelbach(p, &s, &m),
        Objective::LowerTail { share } => {
            // Exact mixed integer program; the climb from its answer only moves to a portfolio
            // that ranks strictly higher, i.e. picks the canonical one among tied neighbours
            // (and would repair an answer that microlp's tolerances left slightly short).
            let (_, x) = cvar_program(p, tail_count(p, *share), true, None)?;
            let start = if feasible(p, &x) { x } else { empty };
            let chosen = climb(p, &s, &m, obj, start).chosen;
            Ok(Solution {
                objective: objective_with(p, &m, obj, &chosen),
                chosen,
                bound: None,
                method: Method::IntegerProgram,
            })
        }
        Objective::ProbabilityPositive => {
            let mean_opt = exact_linear(p, &s, &m.value, &m.value_pair, false)?.unwrap_or_else(|| empty.clone());
            let best = per_draw(p, &s);
            // Draw-wise maxima M_d (canonical values of the per-draw optima).
            let maxima: Vec<f64> = best
                .iter()
                .enumerate()
                .map(|(d, x)| {
                    let e: Vec<f64> = p.interactions.iter().map(|it| it.value[d]).collect();
                    linear_value(p, &p.value[d * p.n..(d + 1) * p.n], &e, x)
                })
                .collect();
            // The portfolio that is best in the most draws (first such in draw order on ties).
            let mut counts: std::collections::BTreeMap<&[bool], (usize, usize)> = Default::default();
            for (d, x) in best.iter().enumerate() {
                counts.entry(x.as_slice()).or_insert((0, d)).0 += 1;
            }
            let mode = counts
                .iter()
                .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
                .map(|(x, _)| x.to_vec())
                .unwrap_or_else(|| empty.clone());
            let chosen = local_search(p, &s, &m, obj, &[empty.clone(), mean_opt.clone(), mode]);
            let objective = objective_with(p, &m, obj, &chosen);
            let bound = share_positive(&maxima);
            // Rounding can put a valid bound a few ulps under the objective of a feasible point.
            Ok(Solution { chosen, objective, bound: Some(bound.max(objective)), method: Method::LocalSearch })
        }
    }
}

/// Enumerate all feasible portfolios (tests only; `n ≤ 20`), with the tie-breaking of
/// [`solve`]: higher objective, then (probability positive, lower tail) higher mean, then fewer
/// options, then the portfolio containing the lowest index at which they differ. For welfare
/// per euro the empty portfolio only wins when nothing else is feasible.
///
/// # Panics
/// If the problem is invalid ([`validate`], or a bad lower-tail share) or `n > 20`.
pub fn brute_force(p: &Problem, obj: &Objective) -> Solution {
    validate(p).expect("brute_force needs a valid problem");
    validate_objective(p, obj).expect("brute_force needs a valid objective");
    assert!(p.n <= 20, "brute_force enumerates 2^n portfolios; n = {} > 20", p.n);
    let m = Means::new(p);
    let mut best: Option<Ranked> = None;
    for mask in 0u32..(1u32 << p.n) {
        let x: Vec<bool> = (0..p.n).map(|i| mask >> i & 1 == 1).collect();
        if (mask == 0 && *obj == Objective::WelfarePerEuro) || !feasible(p, &x) {
            continue;
        }
        let primary = objective_with(p, &m, obj, &x);
        let secondary = secondary_of(p, &m, obj, &x);
        if best.as_ref().is_none_or(|b| better(primary, secondary, &x, b)) {
            best = Some(Ranked { primary, secondary, chosen: x });
        }
    }
    let chosen = best.map(|b| b.chosen).unwrap_or_else(|| vec![false; p.n]);
    Solution { objective: objective_with(p, &m, obj, &chosen), chosen, bound: None, method: Method::Enumeration }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, StandardNormal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn ids(x: &[bool]) -> Vec<usize> {
        (0..x.len()).filter(|&i| x[i]).collect()
    }

    /// A problem with certain values (one draw), costs `cost`, one budget constraint over `cost`.
    fn certain(values: &[f64], cost: &[f64], limit: f64) -> Problem {
        Problem {
            n: values.len(),
            draws: 1,
            value: values.to_vec(),
            benefit: values.iter().zip(cost).map(|(v, c)| v + c).collect(),
            cost: cost.to_vec(),
            interactions: vec![],
            constraints: vec![Constraint::new("budget", cost.to_vec(), limit)],
            groups: vec![],
        }
    }

    fn inter(i: usize, j: usize, value: Vec<f64>) -> Interaction {
        let benefit = value.clone();
        Interaction { i, j, value, cost: 0.0, benefit }
    }

    /// Options in areas of three or four: the first two of an area are two scales of one
    /// intervention (a group); the other pairs of an area interact; costs spread over years.
    fn random_problem(rng: &mut Xoshiro256PlusPlus, n: usize, draws: usize, years: usize, tight: f64) -> Problem {
        let mut sizes = Vec::new();
        let mut i = 0;
        while i < n {
            let size = if rng.random_bool(0.5) { 3 } else { 4 }.min(n - i);
            sizes.push(size);
            i += size;
        }
        problem_with_areas(rng, &sizes, draws, years, tight)
    }

    fn problem_with_areas(
        rng: &mut Xoshiro256PlusPlus,
        sizes: &[usize],
        draws: usize,
        years: usize,
        tight: f64,
    ) -> Problem {
        let n: usize = sizes.iter().sum();
        let mut areas: Vec<Vec<usize>> = Vec::new();
        let mut i = 0;
        for &size in sizes {
            areas.push((i..i + size).collect());
            i += size;
        }
        let cost: Vec<f64> = (0..n).map(|_| rng.random_range(1.0..10.0)).collect();
        let mean: Vec<f64> = cost.iter().map(|c| c * rng.random_range(-0.3..0.6)).collect();
        let sd: Vec<f64> = cost.iter().map(|c| c * rng.random_range(0.1..1.5)).collect();
        let mut value = vec![0.0; draws * n];
        for d in 0..draws {
            let common: f64 = StandardNormal.sample(rng);
            for i in 0..n {
                let own: f64 = StandardNormal.sample(rng);
                value[d * n + i] = mean[i] + sd[i] * (0.6 * common + 0.8 * own);
            }
        }
        let benefit: Vec<f64> = (0..draws * n).map(|c| value[c] + cost[c % n]).collect();
        let mut groups = Vec::new();
        let mut interactions = Vec::new();
        for a in &areas {
            if a.len() >= 2 {
                groups.push(vec![a[0], a[1]]);
            }
            for (x, &i) in a.iter().enumerate() {
                for &j in &a[x + 1..] {
                    if (i, j) == (a[0], a[1]) {
                        continue;
                    }
                    let m = rng.random_range(-0.4..0.15) * cost[i].min(cost[j]);
                    let s = rng.random_range(0.0..0.3) * cost[i].min(cost[j]);
                    let value: Vec<f64> = (0..draws)
                        .map(|_| {
                            let g: f64 = StandardNormal.sample(rng);
                            m + s * g
                        })
                        .collect();
                    let c = rng.random_range(-0.1..0.05) * cost[i].min(cost[j]);
                    let benefit = value.iter().map(|v| v + c).collect();
                    interactions.push(Interaction { i, j, value, cost: c, benefit });
                }
            }
        }
        let k = interactions.len();
        let mut constraints = Vec::new();
        for y in 0..years {
            let coef: Vec<f64> = cost.iter().map(|c| c * rng.random_range(0.0..1.0) / years as f64).collect();
            let limit = tight * coef.iter().sum::<f64>();
            let pair_coef = if rng.random_bool(0.5) {
                interactions.iter().map(|it| it.cost / years as f64).collect()
            } else {
                vec![]
            };
            constraints.push(Constraint { name: format!("budget {y}"), coef, limit, pair_coef });
        }
        assert_eq!(interactions.len(), k);
        Problem { n, draws, value, benefit, cost, interactions, constraints, groups }
    }

    #[test]
    fn hand_knapsack_certain_values() {
        // Budget 9; greedy by value per euro takes 2, 1, 3 (value 15.5); the optimum is
        // {0, 2}: 10 + 6 = 16 with cost 6 + 3 = 9 (the only other fits: {1,2,3} 15.5, {0,3} 12.5).
        let p = certain(&[10.0, 7.0, 6.0, 2.5], &[6.0, 4.0, 3.0, 2.0], 9.0);
        let s = solve(&p, &Objective::Mean).unwrap();
        assert_eq!(ids(&s.chosen), vec![0, 2]);
        assert_eq!(s.objective, 16.0);
        assert_eq!(s.method, Method::IntegerProgram);
        assert_eq!(brute_force(&p, &Objective::Mean).chosen, s.chosen);
        assert_eq!(best_per_draw(&p), vec![s.chosen.clone()]);
    }

    #[test]
    fn certain_values_match_brute_force() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for case in 0..40 {
            let n = 2 + case % 11;
            let tight = rng.random_range(0.2..0.8);
            let p = random_problem(&mut rng, n, 1, 1 + case % 3, tight);
            let s = solve(&p, &Objective::Mean).unwrap();
            let b = brute_force(&p, &Objective::Mean);
            assert_eq!(s.chosen, b.chosen, "case {case}");
            assert_eq!(s.objective, b.objective, "case {case}");
        }
    }

    #[test]
    fn negative_interaction_avoids_the_pair() {
        // A = 10, B = 9, C = 3 each alone; together A and B lose 15. Budget fits all three.
        // {A,C} = 13 beats {A,B,C} = 10 + 9 + 3 − 15 = 7 and {A,B} = 4.
        let mut p = certain(&[10.0, 9.0, 3.0], &[1.0, 1.0, 1.0], 3.0);
        p.interactions = vec![inter(0, 1, vec![-15.0])];
        let s = solve(&p, &Objective::Mean).unwrap();
        assert_eq!((ids(&s.chosen), s.objective), (vec![0, 2], 13.0));
        // The same pair with +5 makes taking all three best: 10 + 9 + 3 + 5 = 27.
        p.interactions = vec![inter(0, 1, vec![5.0])];
        let s = solve(&p, &Objective::Mean).unwrap();
        assert_eq!((ids(&s.chosen), s.objective), (vec![0, 1, 2], 27.0));
        // A pair that costs extra budget when both are chosen (coordination cost 1.5): with a
        // budget of 3.5, {A,B} uses 3.5, {A,B,C} 4.5 (infeasible): best is {A,B} = 24 vs {A,C} 13.
        p.constraints[0].limit = 3.5;
        p.constraints[0].pair_coef = vec![1.5];
        let s = solve(&p, &Objective::Mean).unwrap();
        assert_eq!((ids(&s.chosen), s.objective), (vec![0, 1], 24.0));
        assert_eq!(brute_force(&p, &Objective::Mean).chosen, s.chosen);
    }

    #[test]
    fn ties_prefer_fewer_options_then_lower_index() {
        // Options 0 and 1 identical (5), option 2 worth exactly 0, option 3 identical to 0 but in
        // a group with 0. Budget fits two. Optimum value 10: {0,1}; {0,1,2} ties but is larger.
        let mut p = certain(&[5.0, 5.0, 0.0, 5.0], &[1.0, 1.0, 1.0, 1.0], 2.0);
        p.groups = vec![vec![0, 3]];
        for obj in [Objective::Mean, Objective::ProbabilityPositive, Objective::LowerTail { share: 1.0 }] {
            let s = solve(&p, &obj).unwrap();
            assert_eq!(ids(&s.chosen), vec![0, 1], "{obj:?}");
            assert_eq!(brute_force(&p, &obj).chosen, s.chosen, "{obj:?}");
        }
        // Budget for one: {0}.
        p.constraints[0].limit = 1.0;
        assert_eq!(ids(&solve(&p, &Objective::Mean).unwrap().chosen), vec![0]);
        assert_eq!(ids(&best_per_draw(&p)[0]), vec![0]);
    }

    #[test]
    fn welfare_per_euro_hand_example() {
        // Benefits 10, 9, 4 for costs 5, 3, 1: ratios 2, 3, 4, so {2} alone (4) is best...
        let mut p = certain(&[5.0, 6.0, 3.0], &[5.0, 3.0, 1.0], 100.0);
        let s = solve(&p, &Objective::WelfarePerEuro).unwrap();
        assert_eq!((ids(&s.chosen), s.objective), (vec![2], 4.0));
        assert!(matches!(s.method, Method::Dinkelbach { iterations } if iterations >= 1));
        // ...until 1 and 2 together add 6 of benefit: (9 + 4 + 6) / (3 + 1) = 4.75; adding 0
        // gives (19 + 10) / 9 = 3.22.
        p.interactions = vec![inter(1, 2, vec![6.0])];
        let s = solve(&p, &Objective::WelfarePerEuro).unwrap();
        assert_eq!((ids(&s.chosen), s.objective), (vec![1, 2], 4.75));
        assert_eq!(brute_force(&p, &Objective::WelfarePerEuro).chosen, s.chosen);
        // Nothing fits: empty with objective 0.
        p.constraints[0].limit = 0.5;
        let s = solve(&p, &Objective::WelfarePerEuro).unwrap();
        assert_eq!((ids(&s.chosen), s.objective), (vec![], 0.0));
    }

    fn four_draws(v0: [f64; 4], v1: [f64; 4]) -> Problem {
        let value: Vec<f64> = (0..4).flat_map(|d| [v0[d], v1[d]]).collect();
        Problem {
            n: 2,
            draws: 4,
            benefit: value.iter().map(|v| v + 1.0).collect(),
            value,
            cost: vec![1.0, 1.0],
            interactions: vec![],
            constraints: vec![Constraint::new("budget", vec![1.0, 1.0], 1.0)],
            groups: vec![],
        }
    }

    #[test]
    fn probability_positive_hand_example() {
        // Option 0 positive in 3 of 4 draws (mean −1.75), option 1 in 2 of 4 (mean 0.5); budget
        // for one. Mean picks 1; probability positive picks 0 (0.75). Bound: the best single
        // option per draw is positive in draws 0–2 and nothing is positive in draw 3: 0.75.
        let p = four_draws([1.0, 1.0, 1.0, -10.0], [2.0, 2.0, -1.0, -1.0]);
        assert_eq!(ids(&solve(&p, &Objective::Mean).unwrap().chosen), vec![1]);
        let s = solve(&p, &Objective::ProbabilityPositive).unwrap();
        assert_eq!((ids(&s.chosen), s.objective, s.bound), (vec![0], 0.75, Some(0.75)));
        assert_eq!(s.method, Method::LocalSearch);
    }

    #[test]
    fn lower_tail_hand_example() {
        // Worst half (k = 2 of 4): option 0 → (−1 − 1)/2 = −1, option 1 → (0.5 + 0.5)/2 = 0.5,
        // nothing → 0. Budget for one: option 1, 0.5.
        let p = four_draws([4.0, 4.0, -1.0, -1.0], [1.0, 1.0, 0.5, 0.5]);
        let s = solve(&p, &Objective::LowerTail { share: 0.5 }).unwrap();
        assert_eq!((ids(&s.chosen), s.objective, s.bound), (vec![1], 0.5, None));
        assert_eq!(s.method, Method::IntegerProgram);
        // share 0.3 of 4 draws → ⌈1.2⌉ = 2 draws, the same tail.
        assert_eq!(objective_of(&p, &Objective::LowerTail { share: 0.3 }, &[false, true]), 0.5);
    }

    #[test]
    fn random_problems_match_brute_force_for_every_objective() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2024);
        let objectives = [
            Objective::Mean,
            Objective::WelfarePerEuro,
            Objective::ProbabilityPositive,
            Objective::LowerTail { share: 0.1 },
            Objective::LowerTail { share: 0.3 },
        ];
        let mut heuristic_cases = [0usize; 5];
        let mut heuristic_equal = [0usize; 5];
        for case in 0..50 {
            let n = 3 + case % 10;
            let draws = 1 + (case * 7) % 60;
            let tight = rng.random_range(0.15..0.9);
            let p = random_problem(&mut rng, n, draws, 1 + case % 4, tight);
            for (o, obj) in objectives.iter().enumerate() {
                let s = solve(&p, obj).unwrap();
                let b = brute_force(&p, obj);
                assert!(feasible(&p, &s.chosen), "case {case} {obj:?}");
                assert_eq!(s.objective, objective_of(&p, obj, &s.chosen));
                match s.method {
                    Method::LocalSearch => {
                        let bound = s.bound.unwrap();
                        assert!(s.objective <= b.objective, "case {case} {obj:?}");
                        assert!(b.objective <= bound + 1e-12 * (1.0 + bound.abs()), "case {case} {obj:?}");
                        heuristic_cases[o] += 1;
                        if s.chosen == b.chosen {
                            heuristic_equal[o] += 1;
                        }
                    }
                    _ => {
                        assert_eq!(s.chosen, b.chosen, "case {case} {obj:?}");
                        assert_eq!(s.objective, b.objective, "case {case} {obj:?}");
                    }
                }
            }
        }
        for o in 2..3 {
            eprintln!(
                "{:?}: local search equal to brute force in {} of {} cases",
                objectives[o], heuristic_equal[o], heuristic_cases[o]
            );
            // The starts include the mean optimum and the per-draw mode; on these small cases the
            // climb should almost always reach the optimum.
            assert!(heuristic_equal[o] * 10 >= heuristic_cases[o] * 8, "{:?}", objectives[o]);
        }
    }

    #[test]
    fn best_per_draw_matches_brute_force_per_draw() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
        for case in 0..12 {
            let n = 4 + case;
            let tight = rng.random_range(0.15..0.9);
            let p = random_problem(&mut rng, n, 15, 1 + case % 5, tight);
            let best = best_per_draw(&p);
            for (d, x) in best.iter().enumerate() {
                // The one-draw problem of draw d: its Mean is Z_d with the same bits.
                let mut q = p.clone();
                q.draws = 1;
                q.value = p.value[d * n..(d + 1) * n].to_vec();
                q.benefit = p.benefit[d * n..(d + 1) * n].to_vec();
                for it in &mut q.interactions {
                    it.value = vec![it.value[d]];
                    it.benefit = vec![it.benefit[d]];
                }
                assert_eq!(*x, brute_force(&q, &Objective::Mean).chosen, "case {case} draw {d}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn feasible_and_monotone_in_the_budget(seed in proptest::prelude::any::<u64>(), n in 2usize..14) {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let p = random_problem(&mut rng, n, 20, 3, 0.3);
            let mut bigger = p.clone();
            for c in &mut bigger.constraints {
                c.limit *= 1.5;
            }
            for obj in [Objective::Mean, Objective::WelfarePerEuro, Objective::ProbabilityPositive,
                        Objective::LowerTail { share: 0.2 }] {
                let s = solve(&p, &obj).unwrap();
                proptest::prop_assert!(feasible(&p, &s.chosen));
                for (c, con) in p.constraints.iter().enumerate() {
                    let used: f64 = (0..n).filter(|&i| s.chosen[i]).map(|i| con.coef[i]).sum::<f64>()
                        + p.interactions.iter().enumerate()
                            .filter(|(_, it)| s.chosen[it.i] && s.chosen[it.j])
                            .map(|(k, _)| con.pair_coef.get(k).copied().unwrap_or(0.0)).sum::<f64>();
                    proptest::prop_assert!(used <= con.limit * (1.0 + 1e-9) + 1e-9, "constraint {}", c);
                }
                if s.method != Method::LocalSearch {
                    let t = solve(&bigger, &obj).unwrap();
                    proptest::prop_assert!(t.objective >= s.objective, "{:?}", obj);
                }
            }
        }
    }

    #[test]
    fn same_answer_on_any_thread_count() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let p = random_problem(&mut rng, 14, 300, 4, 0.3);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let per_draw = best_per_draw(&p);
                let sols: Vec<Solution> =
                    [Objective::Mean, Objective::ProbabilityPositive].iter().map(|o| solve(&p, o).unwrap()).collect();
                (per_draw, sols.iter().map(|s| (s.chosen.clone(), s.objective.to_bits())).collect::<Vec<_>>())
            })
        };
        assert_eq!(run(1), run(2));
        assert_eq!(run(1), run(3));
    }

    #[test]
    fn bad_input_is_an_error_naming_the_problem() {
        let good = certain(&[1.0, 2.0], &[1.0, 1.0], 1.0);
        let msg = |p: &Problem, o: Objective| solve(p, &o).unwrap_err().to_string();
        let mut p = good.clone();
        p.value[1] = f64::NAN;
        assert_eq!(msg(&p, Objective::Mean), "value of option 1 in draw 0 is NaN, not a finite number");
        let mut p = good.clone();
        p.cost[0] = -2.0;
        assert_eq!(msg(&p, Objective::Mean), "cost of option 0 is -2; the expected PV of investment costs must be > 0");
        let mut p = good.clone();
        p.constraints[0].limit = -1.0;
        assert_eq!(msg(&p, Objective::Mean), "constraint `budget` has limit -1 < 0: not even the empty portfolio fits");
        let mut p = good.clone();
        p.draws = 0;
        p.value.clear();
        p.benefit.clear();
        assert_eq!(solve(&p, &Objective::Mean).unwrap_err(), SolveError::NoDraws);
        let mut p = good.clone();
        p.value.pop();
        assert_eq!(msg(&p, Objective::Mean), "value (draws × options) has 1 entries, expected 2");
        assert_eq!(msg(&good, Objective::LowerTail { share: 0.0 }), "lower-tail share 0 must be in (0, 1]");
        let mut p = good.clone();
        p.interactions = vec![inter(0, 2, vec![1.0])];
        assert_eq!(msg(&p, Objective::Mean), "interaction 0 names option (0, 2) but there are 2 options");
        let mut p = good.clone();
        p.interactions = vec![inter(0, 1, vec![1.0]), inter(1, 0, vec![1.0])];
        assert_eq!(msg(&p, Objective::Mean), "interaction 1 repeats the pair (1, 0)");
        let mut p = good.clone();
        p.interactions = vec![Interaction { cost: -2.5, ..inter(0, 1, vec![1.0]) }];
        assert!(msg(&p, Objective::WelfarePerEuro).starts_with("option 0: cost 1 plus half"));
        assert!(solve(&p, &Objective::Mean).is_ok());
        let mut p = good.clone();
        p.groups = vec![vec![0, 5]];
        assert_eq!(msg(&p, Objective::Mean), "group 0 names option 5 but there are 2 options");
    }

    /// The size of the real problem: 30 options in 9 areas (6 of three, 3 of four options; the
    /// first two of an area are two scales), 27 interactions, 15 yearly budgets, 2,000 draws.
    fn realistic(seed: u64) -> Problem {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let p = problem_with_areas(&mut rng, &[3, 4, 3, 3, 4, 3, 3, 4, 3], 2000, 15, 0.3);
        assert_eq!((p.n, p.interactions.len(), p.constraints.len(), p.groups.len()), (30, 27, 15, 9));
        p
    }

    fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        eprintln!("{label}: {:.3} s", start.elapsed().as_secs_f64());
        out
    }

    /// `cargo test --release --lib allocate::solve::tests::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "timing on the real problem size; run by hand"]
    fn timing_real_size() {
        for seed in [1, 2, 3] {
            let p = realistic(seed);
            let s = timed(&format!("seed {seed}: solve Mean"), || solve(&p, &Objective::Mean).unwrap());
            eprintln!("  chosen {:?}, objective {:.4}", ids(&s.chosen), s.objective);
            let best = timed(&format!("seed {seed}: best_per_draw (2000 draws)"), || best_per_draw(&p));
            let distinct: std::collections::BTreeSet<_> = best.iter().collect();
            eprintln!("  {} distinct per-draw optima", distinct.len());
            let nodes: u64 = (0..p.draws)
                .map(|d| {
                    let s = Structure::new(&p);
                    let e: Vec<f64> = p.interactions.iter().map(|it| it.value[d]).collect();
                    BranchAndBound::new(&p, &s, &p.value[d * p.n..(d + 1) * p.n], &e, false).run(None).1
                })
                .sum();
            eprintln!("  branch and bound nodes per draw: {:.1}", nodes as f64 / p.draws as f64);
            for obj in [Objective::WelfarePerEuro, Objective::ProbabilityPositive, Objective::LowerTail { share: 0.1 }]
            {
                let s = timed(&format!("seed {seed}: solve {obj:?}"), || solve(&p, &obj).unwrap());
                eprintln!("  objective {:.4}, bound {:?}, method {:?}", s.objective, s.bound, s.method);
            }
        }
    }

    /// The Rockafellar–Uryasev program as a microlp model, relaxed (`integer = false`) or as a
    /// mixed integer program, with a time limit; returns the optimal value.
    fn cvar_model(p: &Problem, share: f64, integer: bool, seconds: f64) -> Result<f64, String> {
        cvar_program(p, tail_count(p, share), integer, Some(seconds)).map(|(z, _)| z).map_err(|e| e.to_string())
    }

    /// The lower-tail objective as a microlp MIP (and its LP relaxation) on the real size.
    #[test]
    #[ignore = "timing on the real problem size; run by hand"]
    fn lower_tail_mip_timing() {
        for seed in [1, 2, 3, 4] {
            let p = realistic(seed);
            let s =
                timed("solve (MIP + climb), worst 10 %", || solve(&p, &Objective::LowerTail { share: 0.1 }).unwrap());
            eprintln!("  objective {:.4}, bound {:?}", s.objective, s.bound);
            let lp = timed("Rockafellar–Uryasev LP relaxation (microlp)", || cvar_model(&p, 0.1, false, 120.0));
            eprintln!("  LP bound {lp:?}");
            let mip = timed("Rockafellar–Uryasev MIP (microlp, 120 s limit)", || cvar_model(&p, 0.1, true, 120.0));
            eprintln!("  MIP {mip:?}");
        }
    }

    #[test]
    fn cvar_model_agrees_with_enumeration_on_a_small_case() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let p = random_problem(&mut rng, 8, 30, 2, 0.4);
        let obj = Objective::LowerTail { share: 0.2 };
        let b = brute_force(&p, &obj);
        let mip = cvar_model(&p, 0.2, true, 60.0).unwrap();
        assert!((mip - b.objective).abs() <= 1e-6 * (1.0 + b.objective.abs()), "{mip} vs {}", b.objective);
        let lp = cvar_model(&p, 0.2, false, 60.0).unwrap();
        assert!(lp >= b.objective - 1e-9);
        assert_eq!(solve(&p, &obj).unwrap().chosen, b.chosen);
    }
}
