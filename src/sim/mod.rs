//! The simulation core: one draw of every arm, year by year.
//!
//! Both modes run the same yearly cycle (documented in
//! `docs/scenario-format.md`):
//!
//! 1. intervention participation, decided from states at the start of the year;
//! 2. one transition of every chain, with risk factors and intervention effects;
//! 3. deaths (death states, then background mortality);
//! 4. net migration;
//! 5. births, and ageing by one year (entering or leaving chains' age ranges).
//!
//! [`cohort`] tracks expected (fractional) numbers with the joint structure of
//! [`plan`]; [`stochastic`] tracks whole people with person-level chance from
//! counter-based random numbers keyed by (seed, draw, year, person, purpose),
//! so every arm of a draw sees the same chance for the same person (common
//! random numbers).

pub mod accum;
pub mod cohort;
pub mod plan;
pub mod realise;
pub mod rows;
pub mod stochastic;

pub use plan::Plan;

use crate::ledger::{Ledger, MeasureLayout};
use crate::model::{Effect, Mode, Model, RrConvention};
use plan::ArmPlan;
use realise::Realised;

/// Counted warnings of a draw (probabilities that had to be repaired), plus work done.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Warnings {
    /// Transition rows whose exits summed above 1 under the probability
    /// convention (rescaled to sum to 1).
    pub rescaled_rows: u64,
    /// Rows whose sampled entries summed above 1 (a "rest" entry that would be
    /// negative) or, without a "rest" entry, not to 1: renormalised.
    pub negative_rest: u64,
    /// Cohort: cell-years simulated; stochastic: person-chain-years.
    pub work_units: u64,
}

impl Warnings {
    pub fn add(&mut self, o: &Warnings) {
        self.rescaled_rows += o.rescaled_rows;
        self.negative_rest += o.negative_rest;
        self.work_units += o.work_units;
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum SimError {
    #[error("{0}")]
    Model(String),
}

/// Structural problems the engine cannot simulate (e.g. a cycle of risk
/// factors), as (field path, reason), for the validator to report.
pub fn check_model(model: &Model) -> Vec<(String, String)> {
    match Plan::new(model) {
        Ok(_) => vec![],
        Err(e) => vec![("risk_factor".into(), e.to_string())],
    }
}

/// Transition rows of one arm in one draw, precomputed for every modifier
/// context so the inner loops only look rows up.
///
/// A chain's *context* is which of its risk factors apply (one bit each) and
/// the exposure state of each intervention that acts on it (mixed radix);
/// together with the matrix (area × age band) and the from-state it fixes the
/// row completely.
pub struct Kernel<'a> {
    pub model: &'a Model,
    pub arm: &'a ArmPlan,
    pub vals: &'a Realised,
    /// Risk factors acting on each chain.
    rf_by_chain: Vec<Vec<usize>>,
    /// (exposure index in the arm, effect index) acting on each chain.
    fx_by_chain: Vec<Vec<(usize, usize)>>,
    /// Distinct exposures acting on each chain, with their radix in the context code.
    expo_by_chain: Vec<Vec<(usize, usize)>>,
    /// Number of contexts per chain.
    n_ctx: Vec<usize>,
    /// Offset of each chain's rows in `rows`.
    row_offset: Vec<usize>,
    /// `rows[offset + ((matrix * n_ctx + ctx) * n + from) * n + to]`.
    rows: Vec<f64>,
}

impl<'a> Kernel<'a> {
    pub fn new(model: &'a Model, arm: &'a ArmPlan, vals: &'a Realised, w: &mut Warnings) -> Self {
        let nc = model.chains.len();
        let mut rf_by_chain = vec![vec![]; nc];
        for (r, rf) in model.risk_factors.iter().enumerate() {
            rf_by_chain[rf.chain].push(r);
        }
        let mut fx_by_chain = vec![vec![]; nc];
        let mut expo_by_chain: Vec<Vec<(usize, usize)>> = vec![vec![]; nc];
        let mut n_ctx = vec![0; nc];
        for (k, &iv) in arm.interventions.iter().enumerate() {
            for (e, eff) in model.interventions[iv].effects.iter().enumerate() {
                fx_by_chain[eff.chain()].push((k, e));
            }
        }
        for c in 0..nc {
            let mut radix = 1usize << rf_by_chain[c].len();
            let mut seen: Vec<usize> = fx_by_chain[c].iter().map(|&(k, _)| k).collect();
            seen.dedup();
            for k in seen {
                expo_by_chain[c].push((k, radix));
                radix *= model.interventions[arm.interventions[k]].n_exposure_states();
            }
            n_ctx[c] = radix;
        }
        let mut kernel = Kernel {
            model,
            arm,
            vals,
            rf_by_chain,
            fx_by_chain,
            expo_by_chain,
            n_ctx,
            row_offset: vec![0; nc],
            rows: vec![],
        };
        let mut rows = vec![];
        for c in 0..nc {
            kernel.row_offset[c] = rows.len();
            let n = model.chains[c].n_states();
            let mut out = [0.0f64; 64];
            for m in 0..model.chains[c].matrices.len() {
                for ctx in 0..kernel.n_ctx[c] {
                    for from in 0..n {
                        kernel.compute_row(c, m, ctx, from, true, &mut out[..n], w);
                        rows.extend_from_slice(&out[..n]);
                    }
                }
            }
        }
        kernel.rows = rows;
        kernel
    }

    /// Index of the matrix of chain `c` at (area, age).
    #[inline]
    pub fn matrix(&self, c: usize, area: usize, age: usize) -> usize {
        self.model.chains[c].matrix_for[area * self.model.settings.n_ages() + age] as usize
    }

    /// The context code of chain `c` for a person at `age` whose chains are in
    /// `chain_state(ch)` (start-of-year states) and exposures are `expo(k)`.
    #[inline]
    pub fn context(
        &self,
        c: usize,
        age: usize,
        chain_state: &dyn Fn(usize) -> usize,
        expo: &dyn Fn(usize) -> usize,
    ) -> usize {
        let mut code = 0;
        for (i, &r) in self.rf_by_chain[c].iter().enumerate() {
            let rf = &self.model.risk_factors[r];
            if age >= rf.age_lo
                && age <= rf.age_hi
                && self.model.chains[rf.when_chain].in_range(age)
                && rf.when_states.contains(chain_state(rf.when_chain))
            {
                code |= 1 << i;
            }
        }
        for &(k, radix) in &self.expo_by_chain[c] {
            code += expo(k) * radix;
        }
        code
    }

    /// The precomputed row of chain `c`, matrix `m`, context `ctx`, from-state `from`.
    #[inline]
    pub fn cached_row(&self, c: usize, m: usize, ctx: usize, from: usize) -> &[f64] {
        let n = self.model.chains[c].n_states();
        let i = self.row_offset[c] + ((m * self.n_ctx[c] + ctx) * n + from) * n;
        &self.rows[i..i + n]
    }

    /// The transition row of chain `c` from `from` for a person at (area, age)
    /// whose other chains are in `chain_state(ch)` (start-of-year states) and
    /// whose exposures are `expo(k)` (this year's).
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &self,
        c: usize,
        area: usize,
        age: usize,
        from: usize,
        chain_state: &dyn Fn(usize) -> usize,
        expo: &dyn Fn(usize) -> usize,
    ) -> &[f64] {
        let ctx = self.context(c, age, chain_state, expo);
        self.cached_row(c, self.matrix(c, area, age), ctx, from)
    }

    #[allow(clippy::too_many_arguments)]
    fn compute_row(
        &self,
        c: usize,
        m: usize,
        ctx: usize,
        from: usize,
        with_shift: bool,
        out: &mut [f64],
        w: &mut Warnings,
    ) {
        let n = self.model.chains[c].n_states();
        let base = &self.vals.chains[c].matrices[m][from * n..(from + 1) * n];
        let mut m_prob = [1.0f64; 64];
        let mut m_rate = [1.0f64; 64];
        let mut any = false;
        let model = self.model;
        for (i, &r) in self.rf_by_chain[c].iter().enumerate() {
            let rf = &model.risk_factors[r];
            if ctx >> i & 1 == 0 || !rf.from.contains(from) {
                continue;
            }
            let rr = self.vals.risk_rr[r];
            let mm = if rf.convention == RrConvention::Rate { &mut m_rate } else { &mut m_prob };
            for (j, mj) in mm.iter_mut().enumerate().take(n) {
                if rf.to.contains(j) {
                    *mj *= rr;
                    any = true;
                }
            }
        }
        let expo_state = |k: usize| {
            let &(_, radix) = self.expo_by_chain[c].iter().find(|&&(kk, _)| kk == k).expect("exposure acts on chain");
            let size = model.interventions[self.arm.interventions[k]].n_exposure_states();
            ctx / radix % size
        };
        let mut shift: Option<(usize, f64)> = None;
        for &(k, e) in &self.fx_by_chain[c] {
            let x = expo_state(k);
            if x == 0 {
                continue;
            }
            let iv = self.arm.interventions[k];
            let v = &self.vals.interventions[iv];
            match &model.interventions[iv].effects[e] {
                Effect::RelativeRisk { from: fs, to, convention, .. } => {
                    if !fs.contains(from) {
                        continue;
                    }
                    let rr = v.effect[e].powf(v.strength(x - 1));
                    let mm = if *convention == RrConvention::Rate { &mut m_rate } else { &mut m_prob };
                    for (j, mj) in mm.iter_mut().enumerate().take(n) {
                        if to.contains(j) {
                            *mj *= rr;
                            any = true;
                        }
                    }
                }
                Effect::Shift { from: sf, to, .. } => {
                    if with_shift && x == 1 && *sf == from && v.effect[e] > 0.0 {
                        shift = Some((*to, v.effect[e]));
                    }
                }
            }
        }
        if any {
            rows::apply(base, from, &m_prob[..n], &m_rate[..n], out, w);
        } else {
            out.copy_from_slice(base);
        }
        if let Some((to, s)) = shift {
            // Participants shifted at the start of their year transition from `to`.
            let mut other = [0.0f64; 64];
            self.compute_row(c, m, ctx, to, false, &mut other[..n], w);
            for j in 0..n {
                out[j] = (1.0 - s) * out[j] + s * other[j];
            }
        }
    }

    /// Whether a person is in intervention `k`'s target group.
    pub fn in_target(&self, k: usize, area: usize, age: usize, chain_state: &dyn Fn(usize) -> usize) -> bool {
        let iv = &self.model.interventions[self.arm.interventions[k]];
        if !iv.areas[area] || age < iv.age_lo || age > iv.age_hi {
            return false;
        }
        iv.target.iter().all(|&(ch, set)| self.model.chains[ch].in_range(age) && set.contains(chain_state(ch)))
    }

    /// Share of the target group of exposure `k` that participates in `year`,
    /// given the size of the target group.
    pub fn participation(&self, k: usize, year: i32, target: f64) -> f64 {
        let iv = &self.model.interventions[self.arm.interventions[k]];
        if !iv.active_in(year) || target <= 0.0 {
            return 0.0;
        }
        let v = &self.vals.interventions[self.arm.interventions[k]];
        let ramp = v.ramp_at((year - iv.start_year) as usize);
        if v.reach_is_share {
            (v.reach * ramp).clamp(0.0, 1.0)
        } else {
            (v.reach * ramp / target).clamp(0.0, 1.0)
        }
    }

    /// Next exposure state without participation this year.
    #[inline]
    pub fn progress(&self, k: usize, e: usize) -> usize {
        let p = self.model.interventions[self.arm.interventions[k]].persistence_years;
        if e == 0 || e == p + 1 {
            0
        } else {
            e + 1
        }
    }
}

/// Simulate the nulalternatief and every scenario for one draw with the
/// parameter vector `params`; returns one ledger per arm.
pub fn simulate_draw(
    model: &Model,
    plan: &Plan,
    mode: Mode,
    seed: u64,
    draw: u64,
    params: &[f64],
    measures: &MeasureLayout,
) -> Result<(Vec<Ledger>, Warnings), SimError> {
    let mut w = Warnings::default();
    let vals = realise::realise(model, params, &mut w);
    let lay = accum::AccLayout::new(model);
    let mut arms = Vec::with_capacity(plan.arms.len());
    let init = match mode {
        Mode::Stochastic => Some(stochastic::initial_population(model, &vals, seed, draw)),
        Mode::Cohort => None,
    };
    for arm in &plan.arms {
        let kernel = Kernel::new(model, arm, &vals, &mut w);
        let acc = match mode {
            Mode::Cohort => cohort::simulate_arm(&kernel, &plan.age_runs, &lay, &mut w),
            Mode::Stochastic => {
                stochastic::simulate_arm(&kernel, &lay, init.as_ref().expect("built above"), seed, draw, &mut w)
            }
        };
        arms.push(accum::finalize(model, &vals, &arm.interventions, &acc, &lay, measures));
    }
    Ok((arms, w))
}
