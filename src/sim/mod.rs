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
//! `cohort` tracks expected (fractional) numbers with the joint structure of
//! [`plan`], one block at a time, reusing blocks that two arms (or a variant of
//! the draw, in the sensitivity analysis) compute alike; `reference` keeps
//! the straightforward arm-by-arm engine that tests hold it to, bit for bit.
//! [`stochastic`] tracks whole people with person-level chance from
//! counter-based random numbers keyed by (seed, draw, year, person, purpose),
//! so every arm of a draw sees the same chance for the same person (common
//! random numbers).

pub mod accum;
pub mod calendar;
pub(crate) mod cohort;
pub mod cycles;
mod joint;
pub mod plan;
pub mod realise;
#[doc(hidden)]
pub mod reference;
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
    /// Useful work: cohort, multiply-adds of the chain steps actually
    /// simulated (blocks taken from another arm count once); stochastic,
    /// person-chain-years.
    pub work_units: u64,
}

impl Warnings {
    /// Add the counts of `o` (e.g. another arm's or another draw's) to these.
    pub fn add(&mut self, o: &Warnings) {
        self.rescaled_rows += o.rescaled_rows;
        self.negative_rest += o.negative_rest;
        self.work_units += o.work_units;
    }
}

/// Why a draw cannot be simulated.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SimError {
    /// The model has a structure the engine cannot simulate, e.g. a cycle of risk factors.
    #[error("{0}")]
    Model(String),
    /// A result of the draw is not a finite number: some input is too large
    /// to compute with (see [`NonFiniteResult`]).
    #[error(transparent)]
    NonFinite(Box<NonFiniteResult>),
    /// A derived parameter took a value outside its field's domain in a draw.
    #[error(transparent)]
    Derived(Box<crate::model::DerivedOutOfRange>),
}

/// Structural problems the engine cannot simulate (e.g. a cycle of risk
/// factors), as (field path, reason), for the validator to report.
pub(crate) fn check_model(model: &Model) -> Vec<(String, String)> {
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
    /// The model the rows come from.
    pub model: &'a Model,
    /// The arm (scenario or nulalternatief) whose interventions apply.
    pub arm: &'a ArmPlan,
    /// The draw's realised numbers.
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

/// Which transition row: chain `c`, matrix `m`, context `ctx`, from-state `from`.
#[derive(Clone, Copy)]
struct RowKey {
    c: usize,
    m: usize,
    ctx: usize,
    from: usize,
}

impl<'a> Kernel<'a> {
    /// Precompute every transition row of `arm` in this draw; repaired rows are counted in `w`.
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
            for m in 0..kernel.n_row_sets(c) {
                if kernel.base_matrix(c, m).is_none() {
                    // A cell outside the chain's ages: never read.
                    rows.resize(rows.len() + kernel.n_ctx[c] * n * n, 0.0);
                    continue;
                }
                for ctx in 0..kernel.n_ctx[c] {
                    for from in 0..n {
                        kernel.compute_row(RowKey { c, m, ctx, from }, true, &mut out[..n], w);
                        rows.extend_from_slice(&out[..n]);
                    }
                }
            }
        }
        kernel.rows = rows;
        kernel
    }

    /// The rows of chain `c` for model cycle `t` at (area, sex, age), as an
    /// index for [`Kernel::cached_row`]: the one lookup every engine uses.
    #[inline]
    pub fn matrix(&self, c: usize, t: usize, area: usize, sex: usize, age: usize) -> usize {
        let model = self.model;
        self.row_set_of_cell(c, model.chains[c].cell(t, area, sex, age, model.areas.len(), model.settings.n_ages()))
    }

    /// The row set of cell `i` of chain `c`'s `matrix_for`: its matrix, or for
    /// a chain with state mortality (whose rows depend on area, sex and age
    /// through the life table) the cell itself.
    #[inline]
    pub fn row_set_of_cell(&self, c: usize, i: usize) -> usize {
        let ch = &self.model.chains[c];
        if ch.state_mortality() {
            i
        } else {
            ch.matrix_for[i] as usize
        }
    }

    /// Number of row sets of chain `c` (see [`Kernel::row_set_of_cell`]).
    pub fn n_row_sets(&self, c: usize) -> usize {
        let ch = &self.model.chains[c];
        if ch.state_mortality() {
            ch.matrix_for.len()
        } else {
            ch.matrices.len()
        }
    }

    /// The matrix behind row set `m` of chain `c`; `None` for a cell outside its ages.
    fn base_matrix(&self, c: usize, m: usize) -> Option<usize> {
        let ch = &self.model.chains[c];
        if !ch.state_mortality() {
            return Some(m);
        }
        let x = ch.matrix_for[m];
        (x != crate::model::NONE).then_some(x as usize)
    }

    /// The probability of dying of background mortality within the year for
    /// someone in state `from` of chain `c` (which has state mortality) in
    /// row set (cell) `m`: q_s = 1 − (1 − q)^HR_s, with q the life table of
    /// the cell's area, sex and age.
    fn state_q(&self, c: usize, m: usize, from: usize) -> f64 {
        let model = self.model;
        let ch = &model.chains[c];
        let n_ages = model.settings.n_ages();
        let (age, rest) = (m % n_ages, m / n_ages);
        let sex = (rest % ch.lookup_sexes).min(model.sexes - 1);
        let area = rest / ch.lookup_sexes % model.areas.len();
        let q = self.vals.areas[area].life_q[sex][age];
        let hr = self.vals.chains[c].mortality_hr[from];
        1.0 - (1.0 - q).powf(hr)
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

    /// The transition row of chain `c` from `from` in model cycle `t` for a
    /// person at (area, sex, age) whose other chains are in `chain_state(ch)`
    /// (start-of-year states) and whose exposures are `expo(k)` (this year's).
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &self,
        c: usize,
        t: usize,
        area: usize,
        sex: usize,
        age: usize,
        from: usize,
        chain_state: &dyn Fn(usize) -> usize,
        expo: &dyn Fn(usize) -> usize,
    ) -> &[f64] {
        let ctx = self.context(c, age, chain_state, expo);
        self.cached_row(c, self.matrix(c, t, area, sex, age), ctx, from)
    }

    /// The row `key` with its risk factors and intervention effects applied
    /// (with `with_shift`, also the shift of participants to another from-state).
    fn compute_row(&self, key: RowKey, with_shift: bool, out: &mut [f64], w: &mut Warnings) {
        let RowKey { c, m, ctx, from } = key;
        let n = self.model.chains[c].n_states();
        let bm = self.base_matrix(c, m).expect("rows are computed inside the chain's ages");
        let base = &self.vals.chains[c].matrices[bm][from * n..(from + 1) * n];
        let mut m_prob = [1.0f64; 64];
        let mut m_rate = [1.0f64; 64];
        let mut m_haz = [1.0f64; 64];
        let mut any = false;
        // The column "staying" moves to: `from` itself, or a tunnel state's next year.
        let stay_col = self.model.chains[c].stay_to[from];
        let model = self.model;
        for (i, &r) in self.rf_by_chain[c].iter().enumerate() {
            let rf = &model.risk_factors[r];
            if ctx >> i & 1 == 0 || !rf.from.contains(from) {
                continue;
            }
            let rr = self.vals.risk_rr[r];
            let mm = match rf.convention {
                RrConvention::Rate => &mut m_rate,
                RrConvention::Probability => &mut m_prob,
                RrConvention::Hazard => &mut m_haz,
            };
            // `from` = `to`: a relative risk on staying, on the diagonal only.
            let stay = rf.from == rf.to;
            for (j, mj) in mm.iter_mut().enumerate().take(n) {
                if if stay { j == stay_col } else { rf.to.contains(j) } {
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
                    let mm = match convention {
                        RrConvention::Rate => &mut m_rate,
                        RrConvention::Probability => &mut m_prob,
                        RrConvention::Hazard => &mut m_haz,
                    };
                    let stay = fs == to;
                    for (j, mj) in mm.iter_mut().enumerate().take(n) {
                        if if stay { j == stay_col } else { to.contains(j) } {
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
            // A tunnel state's stay goes to its next year (`stay_col`).
            rows::hazard_to_probability(base, stay_col, &m_haz[..n], &mut m_prob[..n]);
            rows::apply(base, stay_col, &m_prob[..n], &m_rate[..n], out, w);
        } else {
            out.copy_from_slice(base);
        }
        let ch = &model.chains[c];
        if ch.state_mortality() && !ch.death[from] {
            // Background mortality by start-of-year state, folded in after the
            // relative risks (which act among survivors).
            let qs = self.state_q(c, m, from);
            let d = ch.death.iter().position(|&x| x).expect("a chain with mortality_hr has a death state");
            for (j, o) in out.iter_mut().enumerate() {
                *o = if j == d { qs + (1.0 - qs) * *o } else { (1.0 - qs) * *o };
            }
        }
        if let Some((to, s)) = shift {
            // Participants shifted at the start of their year transition from `to`.
            let mut other = [0.0f64; 64];
            self.compute_row(RowKey { from: to, ..key }, false, &mut other[..n], w);
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
        let p = self.model.interventions[self.arm.interventions[k]].persistence_cycles;
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
    let counts = simulate_counts(&DrawSpec { model, plan, mode, seed, draw, params }, None, &mut w);
    Ok((ledgers(model, plan, &counts, measures), w))
}

/// One draw to simulate: the model and its plan, the mode, and the draw's
/// seed, index and parameter vector (what [`simulate_counts`] needs besides
/// what it may reuse).
#[derive(Debug, Clone, Copy)]
pub struct DrawSpec<'a> {
    /// The validated model.
    pub model: &'a Model,
    /// The arms and blocks to simulate, built once per model.
    pub plan: &'a Plan,
    /// Cohort or stochastic.
    pub mode: Mode,
    /// Run seed; with `draw` it keys every random stream.
    pub seed: u64,
    /// Index of the draw.
    pub draw: u64,
    /// The draw's sampled parameter vector (see [`crate::params::sample_draw`]).
    pub params: &'a [f64],
}

/// The raw counts of every arm of one draw, with the realised numbers they
/// came from: what `ledgers` values, and what [`simulate_counts`] can reuse
/// for a variant of the same draw (the one-way sensitivity analysis runs one
/// variant per parameter and bound).
#[derive(Debug, Clone)]
pub struct DrawCounts {
    mode: Mode,
    seed: u64,
    draw: u64,
    /// Every number of the draw (rows, rates, costs, weights).
    pub(crate) vals: Realised,
    /// One accumulator per arm of the plan.
    pub(crate) accs: Vec<accum::Acc>,
    /// Cohort mode: what each block (by [`plan::Block::key`]) computed, for
    /// variants of the draw to reuse.
    pub(crate) blocks: Vec<Option<cohort::BlockOut>>,
}

/// Simulate the raw counts of every arm. With `reuse`, an arm whose
/// simulation reads exactly the same numbers as in `reuse` (bit for bit: the
/// transition and initial rows some area uses, mortality, births, migration,
/// risk-factor relative risks and the reach, ramp-up, drop-off and effects of
/// the arm's own interventions) and that was simulated in the same mode, seed and draw
/// takes its counts from `reuse` instead of being simulated again. The result
/// is identical either way, because an arm's counts are a function of those
/// numbers alone; costs, outcome weights and social value are applied later,
/// by `ledgers`. Warnings of reused arms are not counted again.
pub fn simulate_counts(spec: &DrawSpec<'_>, reuse: Option<&DrawCounts>, w: &mut Warnings) -> DrawCounts {
    let &DrawSpec { model, plan, mode, seed, draw, params } = spec;
    let vals = realise::realise(model, params, w);
    let lay = accum::AccLayout::new(model);
    let reuse = reuse.filter(|r| r.mode == mode && r.seed == seed && r.draw == draw && r.accs.len() == plan.arms.len());
    let reused: Vec<Option<&accum::Acc>> = plan
        .arms
        .iter()
        .enumerate()
        .map(|(i, arm)| reuse.filter(|r| same_dynamics(model, &r.vals, &vals, &arm.interventions)).map(|r| &r.accs[i]))
        .collect();
    let kernels: Vec<Option<Kernel<'_>>> =
        plan.arms.iter().zip(&reused).map(|(arm, r)| r.is_none().then(|| Kernel::new(model, arm, &vals, w))).collect();
    let mut blocks = match (mode, reuse) {
        (Mode::Cohort, Some(r)) => cohort::unchanged_blocks(model, plan, &r.vals, &vals, &r.blocks),
        _ => vec![None; plan.n_block_keys],
    };
    let simulated: Vec<Option<accum::Acc>> = match mode {
        Mode::Cohort => {
            cohort::simulate_arms(&cohort::DrawShared::new(model, plan, &vals, &lay), &kernels, &mut blocks, w)
        }
        Mode::Stochastic => {
            let mut init = None;
            kernels
                .iter()
                .map(|k| {
                    k.as_ref().map(|k| {
                        let init = init.get_or_insert_with(|| stochastic::initial_population(model, &vals, seed, draw));
                        stochastic::simulate_arm(k, &lay, init, seed, draw, w)
                    })
                })
                .collect()
        }
    };
    let accs = simulated
        .into_iter()
        .zip(reused)
        .map(|(s, r)| s.or_else(|| r.cloned()).expect("simulated or reused"))
        .collect();
    drop(kernels);
    if mode == Mode::Stochastic {
        blocks.clear();
    }
    DrawCounts { mode, seed, draw, vals, accs, blocks }
}

/// The cohort counts of every arm of a draw, from the engine used by runs
/// (`reuse` as in `cohort::DrawShared::reuse`) or, with `reference`, from
/// the straightforward engine kept in [`reference`]: tests hold the two
/// together bit for bit.
#[doc(hidden)]
pub fn cohort_counts(model: &Model, plan: &Plan, params: &[f64], reference: bool, reuse: bool) -> Vec<accum::Acc> {
    let mut w = Warnings::default();
    let vals = realise::realise(model, params, &mut w);
    let lay = accum::AccLayout::new(model);
    let kernels: Vec<Option<Kernel<'_>>> =
        plan.arms.iter().map(|arm| Some(Kernel::new(model, arm, &vals, &mut w))).collect();
    if reference {
        return kernels.iter().flatten().map(|k| reference::simulate_arm(k, &plan.age_runs, &lay, &mut w)).collect();
    }
    let mut shared = cohort::DrawShared::new(model, plan, &vals, &lay);
    shared.reuse = reuse;
    let mut blocks = vec![None; plan.n_block_keys];
    cohort::simulate_arms(&shared, &kernels, &mut blocks, &mut w).into_iter().flatten().collect()
}

/// Value the raw counts: one ledger per arm (costs per account, outcomes,
/// social value, participants and intervention costs).
pub(crate) fn ledgers(model: &Model, plan: &Plan, counts: &DrawCounts, measures: &MeasureLayout) -> Vec<Ledger> {
    let lay = accum::AccLayout::new(model);
    plan.arms
        .iter()
        .zip(&counts.accs)
        .map(|(arm, acc)| accum::finalize(model, &counts.vals, &arm.interventions, acc, &lay, measures))
        .collect()
}

/// Bitwise equality of two slices of numbers (so `-0.0 != 0.0` and a NaN
/// equals itself: "the simulation reads the same bits").
fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Whether an arm with `interventions` reads the same numbers from `a` and
/// `b` while it is simulated (see [`simulate_counts`]). A transition or
/// initial row that no area uses (a row for areas this model does not have,
/// such as a stadsdeel's own rows in a file of other wijken) is never read.
fn same_dynamics(model: &Model, a: &Realised, b: &Realised, interventions: &[usize]) -> bool {
    (0..model.chains.len()).all(|c| same_chain(model, a, b, c))
        && same_demography(a, b)
        && same_bits(&a.risk_rr, &b.risk_rr)
        && interventions.iter().all(|&i| same_intervention(a, b, i))
}

/// Whether chain `c` has the same transition and initial rows in `a` and `b`
/// wherever some area uses them.
fn same_chain(model: &Model, a: &Realised, b: &Realised, c: usize) -> bool {
    let used = |lookup: &[u32], m: usize| lookup.iter().any(|&i| i as usize == m);
    let rows_same = |x: &[Vec<f64>], y: &[Vec<f64>], lookup: &[u32]| {
        x.len() == y.len() && x.iter().zip(y).enumerate().all(|(m, (r, s))| same_bits(r, s) || !used(lookup, m))
    };
    let ch = &model.chains[c];
    match (a.chains.get(c), b.chains.get(c)) {
        (Some(x), Some(y)) => {
            rows_same(&x.matrices, &y.matrices, &ch.matrix_for)
                && rows_same(&x.initial, &y.initial, &ch.initial_for)
                && same_bits(&x.mortality_hr, &y.mortality_hr)
        }
        _ => false,
    }
}

/// Whether every area has the same mortality, migration and births in `a` and `b`.
fn same_demography(a: &Realised, b: &Realised) -> bool {
    use realise::BirthVals;
    a.areas.len() == b.areas.len()
        && a.areas.iter().zip(&b.areas).all(|(x, y)| {
            let rows = |u: &Vec<Vec<f64>>, v: &Vec<Vec<f64>>| {
                u.len() == v.len() && u.iter().zip(v).all(|(r, s)| same_bits(r, s))
            };
            let births = match (&x.births, &y.births) {
                (BirthVals::None, BirthVals::None) => true,
                (BirthVals::Crude(r), BirthVals::Crude(s)) => r.to_bits() == s.to_bits(),
                (BirthVals::Fertility(r), BirthVals::Fertility(s)) => same_bits(r, s),
                _ => false,
            };
            rows(&x.q, &y.q) && rows(&x.life_q, &y.life_q) && rows(&x.migration, &y.migration) && births
        })
}

/// Whether intervention `i` has the same reach, ramp-up, drop-off and effects
/// in `a` and `b` (its costs are applied later and do not matter here).
fn same_intervention(a: &Realised, b: &Realised, i: usize) -> bool {
    match (a.interventions.get(i), b.interventions.get(i)) {
        (Some(x), Some(y)) => {
            x.reach.to_bits() == y.reach.to_bits()
                && x.reach_is_share == y.reach_is_share
                && same_bits(&x.ramp, &y.ramp)
                && x.drop_off.to_bits() == y.drop_off.to_bits()
                && same_bits(&x.effect, &y.effect)
        }
        _ => false,
    }
}

/// A business-case result of one draw that is not a finite number (or too
/// large to summarise): some number in the scenario, or a value a distribution
/// drew, is too large to compute with. The run stops rather than write blank
/// results. Missing by definition (a B/C ratio without costs, a break-even
/// year never reached) is not this.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct NonFiniteResult {
    /// The draw it happened in.
    pub draw: u64,
    /// The scenario compared with the nulalternatief.
    pub scenario: String,
    /// The area, or the city total (`totaal`).
    pub area: String,
    /// The metric, e.g. `npv`, `pv_benefits/gemeente/6.71`.
    pub metric: String,
    /// The value it took (`NaN`, infinite, or beyond [`crate::runner::RESULT_LIMIT`]).
    pub value: f64,
    /// Parameters (by field path or `[parameters]` name) that took a value
    /// beyond 1e12 in magnitude in this draw, with that value: the likely cause.
    pub suspects: Vec<(String, f64)>,
}

impl NonFiniteResult {
    fn describe(&self) -> String {
        let what = if self.value.is_nan() {
            "not a number".to_string()
        } else if self.value.is_infinite() {
            "infinite".to_string()
        } else {
            format!("{:e}, too large to summarise", self.value)
        };
        let ratio = self.metric.starts_with("bcr");
        let cause = if ratio && self.suspects.is_empty() {
            "the intervention costs are so close to zero that the ratio cannot be computed; check the cost amounts"
                .to_string()
        } else if self.suspects.is_empty() {
            "a number in the scenario is too large to compute with; check the largest costs, populations, rates and the widest distributions".to_string()
        } else {
            let list: Vec<String> = self.suspects.iter().map(|(n, v)| format!("`{n}` = {v:e}")).collect();
            format!("in this draw these parameters took values too large to compute with: {}", list.join(", "))
        };
        format!(
            "draw {}: {} of scenario `{}` in {} is {what}: {cause}",
            self.draw, self.metric, self.scenario, self.area
        )
    }
}
