//! Operations on a [`Block`]'s joint distribution `[joint state][age]` that
//! the fast cohort engine ([`super::cohort`]) and the reference engine
//! ([`super::reference`]) share: one copy, so the two cannot drift apart in the
//! parts where their arithmetic is meant to be the same.

use super::accum::{self, Acc, AccLayout};
use super::plan::{Block, Dim};
use super::realise::{BirthVals, Realised};
use super::Kernel;
use crate::model::{Chain, Model};

/// Joint distribution of someone entering block `b` at (area, age): each
/// chain's initial row (independently), exposures "not exposed".
pub(crate) fn entry_distribution(k: &Kernel<'_>, b: &Block, area: usize, age: usize) -> Vec<f64> {
    let n_ages = k.model.settings.n_ages();
    let mut out = vec![0.0; b.size];
    out[0] = 1.0;
    let mut filled = 1;
    for (p, &d) in b.dims.iter().enumerate() {
        if let Dim::Chain(c) = k.arm.dims[d] {
            let ch = &k.model.chains[c];
            if ch.in_range(age) {
                let row = &k.vals.chains[c].initial[ch.initial_for[area * n_ages + age] as usize];
                for s in (0..b.sizes[p]).rev() {
                    for x in 0..filled {
                        out[s * b.strides[p] + x] = out[x] * row[s];
                    }
                }
            }
        }
        filled *= b.sizes[p];
    }
    out
}

/// Replace chain member `pos` in one age column by `row` (independently of the
/// other members), or collapse it into state 0 when `row` is None.
fn reset_column(b: &Block, pos: usize, m: &mut [f64], n_ages: usize, age: usize, row: Option<&[f64]>) {
    let stride = b.strides[pos];
    for &base in &b.bases[pos] {
        let total: f64 = (0..b.sizes[pos]).map(|s| m[(base + s * stride) * n_ages + age]).sum();
        for s in 0..b.sizes[pos] {
            m[(base + s * stride) * n_ages + age] = match row {
                Some(r) => total * r[s],
                None if s == 0 => total,
                None => 0.0,
            };
        }
    }
}

/// Before ageing, reset the age columns of those about to enter a chain's ages
/// (they take its initial row) or leave them (they collapse into state 0), in
/// block `b`'s matrix `m` of one group in `area`.
pub(crate) fn reset_chain_edges(k: &Kernel<'_>, b: &Block, m: &mut [f64], area: usize) {
    let model = k.model;
    let n_ages = model.settings.n_ages();
    let max = model.settings.max_age;
    for (pos, &dd) in b.dims.iter().enumerate() {
        if let Dim::Chain(c) = k.arm.dims[dd] {
            let ch = &model.chains[c];
            if ch.age_lo >= 1 {
                let row = &k.vals.chains[c].initial[ch.initial_for[area * n_ages + ch.age_lo] as usize];
                reset_column(b, pos, m, n_ages, ch.age_lo - 1, Some(row));
            }
            if ch.age_hi < max {
                reset_column(b, pos, m, n_ages, ch.age_hi, None);
            }
        }
    }
}

/// The context of every chain row (which risk factors and exposures apply)
/// depends only on the joint state and the age run: `[pos][run][base index]`
/// for block `b` (empty for exposure positions).
pub(crate) fn row_contexts(k: &Kernel<'_>, b: &Block, runs: &[(usize, usize)]) -> Vec<Vec<Vec<usize>>> {
    let arm = k.arm;
    (0..b.dims.len())
        .map(|p| match arm.dims[b.dims[p]] {
            Dim::Chain(c) => runs
                .iter()
                .map(|&(lo, _)| {
                    b.bases[p]
                        .iter()
                        .map(|&base| {
                            let st = |dd: usize| b.state(base, b.pos_of[dd]);
                            k.context(c, lo, &st, &|e| st(arm.exposure_dim(e)))
                        })
                        .collect()
                })
                .collect(),
            Dim::Exposure(_) => vec![],
        })
        .collect()
}

/// The joint states of a block in which someone has died, and the chains with
/// death states, for counting deaths per chain.
pub(crate) struct DeathStates {
    /// Chains with at least one death state.
    chains: Vec<usize>,
    /// Per joint state: whether some chain is in a death state.
    pub(crate) dead: Vec<bool>,
}

impl DeathStates {
    pub(crate) fn new(model: &Model, b: &Block) -> Self {
        let chains: Vec<usize> = (0..model.chains.len()).filter(|&c| model.chains[c].has_death()).collect();
        let dead =
            (0..b.size).map(|x| chains.iter().any(|&dc| model.chains[dc].death[b.state(x, b.pos_of[dc])])).collect();
        DeathStates { chains, dead }
    }

    /// Count the mass in death states of one group's matrix `m` into the deaths
    /// of each chain (`q`, one area and year), and add it per age into `col`
    /// (zeroed first).
    #[inline(always)]
    pub(crate) fn count(&self, model: &Model, lay: &AccLayout, b: &Block, m: &[f64], q: &mut [f64], col: &mut [f64]) {
        let n_ages = col.len();
        col.fill(0.0);
        for x in (0..b.size).filter(|&x| self.dead[x]) {
            let v = &m[x * n_ages..(x + 1) * n_ages];
            let sum: f64 = v.iter().sum();
            for &dc in &self.chains {
                if model.chains[dc].death[b.state(x, b.pos_of[dc])] {
                    q[lay.chain_deaths[dc]] += sum;
                }
            }
            for (c, &vv) in col.iter_mut().zip(v) {
                *c += vv;
            }
        }
    }
}

/// Count the flows of a home chain `c` out of state `from`, given the mass
/// `total` there and its transition row `r`: entries into other states, trajectory
/// starts (out of the rest state), and transition costs; into `q` (one area and year).
#[inline(always)]
pub(crate) fn count_flows(ch: &Chain, lay: &AccLayout, c: usize, from: usize, total: f64, r: &[f64], q: &mut [f64]) {
    for (to, &pt) in r.iter().enumerate() {
        if pt != 0.0 && to != from {
            let flow = total * pt;
            q[lay.entries[c] + to] += flow;
            if from == ch.rest_state {
                q[lay.starts[c]] += flow;
            }
        }
    }
    for (kk, tc) in ch.transition_costs.iter().enumerate() {
        if tc.from == from {
            q[lay.tc[c] + kk] += total * r[tc.to];
        }
    }
}

/// Births of year `t` from the end-of-year population `pop` (`[group][age]`),
/// counted per area in `acc`; returns them per group (area × sex).
pub(crate) fn births(model: &Model, vals: &Realised, pop: &[f64], acc: &mut Acc, t: usize) -> Vec<f64> {
    let n_ages = model.settings.n_ages();
    let sexes = model.sexes;
    let mut out = Vec::with_capacity(model.areas.len() * sexes);
    for a in 0..model.areas.len() {
        let total = match &vals.areas[a].births {
            BirthVals::None => 0.0,
            BirthVals::Crude(r) => r * pop[a * sexes * n_ages..(a + 1) * sexes * n_ages].iter().sum::<f64>(),
            BirthVals::Fertility(fr) => {
                let (women, share) = if sexes == 2 { ((a * 2 + 1) * n_ages, 1.0) } else { (a * n_ages, 0.5) };
                (0..n_ages).map(|age| fr[age] * share * pop[women + age]).sum()
            }
        };
        acc.at(a, t)[accum::BIRTHS] += total;
        if sexes == 2 {
            let male = model.areas[a].demography.male_birth_share;
            out.push(total * male);
            out.push(total * (1.0 - male));
        } else {
            out.push(total);
        }
    }
    out
}

/// Age a whole row by one year: the last age is open-ended; `newborn` enters age 0.
#[inline(always)]
pub(crate) fn age_row(v: &mut [f64], max: usize, newborn: f64) {
    v[max] += v[max - 1];
    v.copy_within(0..max - 1, 1);
    v[0] = newborn;
}
