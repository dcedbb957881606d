//! Cohort mode: expected (fractional) numbers of people, with each
//! [`Block`](super::plan::Block)'s joint distribution over its chains and exposures.
//!
//! Layout: per block, per group (area × sex), a matrix `[joint state][age]`
//! with age fastest. Within a run of ages where every row, risk factor and
//! target is the same ([`super::Plan::age_runs`]), one transition row updates
//! the whole run, and ageing is a shift of each row by one column.
//!
//! How the work is kept small, without changing a single bit of the result:
//!
//! - **Blocks are simulated one at a time**, over every year. Blocks interact
//!   only through the population (deaths and migration, kept by the first
//!   block when the model has death states, else by a demography pass shared
//!   by every arm) and through participation shares (computed in an exposure's
//!   home block); both are recorded per year and read by the other blocks.
//! - **Reuse**: a block whose [`Block::key`](super::plan::Block::key) was already simulated in this
//!   draw (by another arm) is not simulated again, and in an area that none of
//!   its interventions reach it takes the numbers of the same block without
//!   exposures ([`Block::neutral`](super::plan::Block::neutral)).
//! - **In place**: a chain step reads the `n` states of a joint index into
//!   registers, a few ages at a time, and writes the `n` new states back; no
//!   scratch matrix is zeroed or copied.
//! - **Structural zeros are skipped**: joint states in which a chain outside
//!   its age range is not in state 0, and ages outside the occupied range of a
//!   group (a closed cohort holds a single age each year).
//!
//! Every sum is formed in the same order as in the straightforward engine
//! ([`super::reference`]), and terms that are skipped are exactly zero, so the
//! result is bit-for-bit the same (a test compares the two on every bundled
//! scenario and on generated models).

mod occupied;
mod population;
mod rowsum;
mod setup;
mod step;
mod year;

pub use population::PopRecord;

use super::accum::{Acc, AccLayout};
use super::plan::{Dim, Plan};
use super::realise::Realised;
use super::{Kernel, Warnings};
use crate::model::Model;
use occupied::{occupied, Occupied};
use population::Population;
use setup::BlockSetup;
use year::BlockState;

/// What one block computed in one draw.
#[derive(Debug, Clone)]
pub struct BlockOut {
    /// The raw counts this block is responsible for (the flows and occupancy
    /// of its home chains, participants of its home exposures, and the
    /// population counts when it keeps the population); zero elsewhere.
    pub acc: Acc,
    /// Participation share per year of each exposure whose home it is, by
    /// model intervention index.
    pub shares: Vec<(usize, Vec<f64>)>,
    /// The population record when this block keeps the population.
    pub pop: Option<PopRecord>,
    /// Multiply-adds of its chain steps (`n × n` per joint index and age):
    /// the useful work, for throughput figures.
    pub madds: u64,
}

/// Inputs shared by the blocks of one draw.
pub struct DrawShared<'a> {
    /// The validated model.
    pub model: &'a Model,
    /// The arms and blocks of the model.
    pub plan: &'a Plan,
    /// The draw's realised numbers.
    pub vals: &'a Realised,
    /// Positions of the raw counts.
    pub lay: &'a AccLayout,
    /// Whether blocks are reused across arms and areas (on by default; the
    /// result is the same either way, which a test checks).
    pub reuse: bool,
    occupied: Vec<Occupied>,
    /// Per group: whether any age has net migration.
    migration: Vec<bool>,
    /// Population counts and record of the demography pass (models without
    /// death states: the population is the same in every arm).
    demography: Option<(Acc, PopRecord)>,
}

impl<'a> DrawShared<'a> {
    /// Shared inputs of one draw; runs the demography pass once when no chain has death states.
    pub fn new(model: &'a Model, plan: &'a Plan, vals: &'a Realised, lay: &'a AccLayout) -> Self {
        let occupied = occupied(model, vals);
        let migration = (0..model.areas.len() * model.sexes)
            .map(|gi| vals.areas[gi / model.sexes].migration[gi % model.sexes].iter().any(|&v| v != 0.0))
            .collect();
        let mut d = DrawShared { model, plan, vals, lay, reuse: true, occupied, migration, demography: None };
        if !model.chains.iter().any(|c| c.has_death()) {
            let mut acc = Acc::new(model.areas.len(), model.settings.horizon, lay);
            let mut rec = PopRecord { keep: vec![], births: vec![] };
            let mut pop = Population::new(model);
            for t in 0..model.settings.horizon {
                pop.year(&d, t, None, &mut acc, &mut rec);
            }
            d.demography = Some((acc, rec));
        }
        d
    }
}

/// Simulate the arms of `plan` marked in `which` (index 0 the
/// nulalternatief), reusing blocks within the draw; returns one accumulator
/// per marked arm.
///
/// `cache` holds one slot per block key ([`Plan::n_block_keys`]): blocks found
/// there are not simulated again (a variant of the draw passes the blocks of
/// the draw whose inputs it did not change, see [`unchanged_blocks`]); it
/// returns holding every block of the draw.
pub fn simulate_arms(
    d: &DrawShared<'_>,
    kernels: &[Option<Kernel<'_>>],
    cache: &mut [Option<BlockOut>],
    w: &mut Warnings,
) -> Vec<Option<Acc>> {
    let model = d.model;
    let s = &model.settings;
    let mut out = Vec::with_capacity(kernels.len());
    for k in kernels {
        let Some(k) = k else {
            out.push(None);
            continue;
        };
        let mut acc = match &d.demography {
            Some((a, _)) => a.clone(),
            None => Acc::new(model.areas.len(), s.horizon, d.lay),
        };
        if !d.reuse {
            cache.iter_mut().for_each(|c| *c = None);
        }
        for (bi, b) in k.arm.blocks.iter().enumerate() {
            if cache[b.key].is_none() {
                let o = simulate_block(d, k, bi, cache);
                w.work_units += o.madds;
                cache[b.key] = Some(o);
            }
            let o = cache[b.key].as_ref().expect("just simulated");
            let mut sum = acc.view_mut();
            sum += &o.acc.view();
        }
        out.push(Some(acc));
    }
    out
}

/// The blocks of `cache` (simulated with the numbers `a`) whose inputs are
/// bit for bit the same in `b`: the rows and risk factors of their chains, the
/// demography, the numbers of their interventions, and the blocks they read
/// participation shares or the population from. The others are emptied.
pub fn unchanged_blocks(
    model: &Model,
    plan: &Plan,
    a: &Realised,
    b: &Realised,
    cache: &[Option<BlockOut>],
) -> Vec<Option<BlockOut>> {
    let deaths = model.chains.iter().any(|c| c.has_death());
    let demography = super::same_demography(a, b);
    let mut same: Vec<Option<bool>> = vec![None; plan.n_block_keys];
    for arm in &plan.arms {
        for (bi, blk) in arm.blocks.iter().enumerate() {
            if same[blk.key].is_some() {
                continue;
            }
            let mut ok = demography && (!deaths || bi == 0 || same[arm.blocks[0].key] == Some(true));
            for &dim in &blk.dims {
                ok = ok
                    && match arm.dims[dim] {
                        Dim::Chain(c) => {
                            super::same_chain(model, a, b, c)
                                && model
                                    .risk_factors
                                    .iter()
                                    .enumerate()
                                    .filter(|(_, rf)| rf.chain == c)
                                    .all(|(r, _)| a.risk_rr[r].to_bits() == b.risk_rr[r].to_bits())
                        }
                        Dim::Exposure(e) => {
                            let home = arm.home[dim];
                            super::same_intervention(a, b, arm.interventions[e])
                                && (home == bi || same[arm.blocks[home].key] == Some(true))
                        }
                    };
            }
            same[blk.key] = Some(ok);
        }
    }
    cache.iter().zip(&same).map(|(c, s)| if *s == Some(true) { c.clone() } else { None }).collect()
}

/// Simulate block `bi` of the arm of `k` over the horizon, taking areas its
/// interventions do not reach from `cache` where the neutral block is there.
fn simulate_block(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports the features enabled on the callee.
            return unsafe { simulate_block_avx512(d, k, bi, cache) };
        }
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { simulate_block_avx2(d, k, bi, cache) };
        }
    }
    simulate_block_impl(d, k, bi, cache)
}

// The same code compiled for wider vector units, chosen at run time so the
// binary stays portable. Rust never fuses a multiply and an add on its own,
// so every instruction set gives the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn simulate_block_avx512(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    simulate_block_impl(d, k, bi, cache)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn simulate_block_avx2(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    simulate_block_impl(d, k, bi, cache)
}

/// The block's setup, then its years (see [`year`]): inlined into each
/// instruction-set instance above.
#[inline(always)]
fn simulate_block_impl(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    let setup = BlockSetup::new(d, k, bi, cache);
    BlockState::new(&setup).run(&setup)
}
