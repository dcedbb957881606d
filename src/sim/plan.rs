//! The structure of a simulation, derived once per model: which chains and
//! intervention exposures must be tracked jointly.
//!
//! In cohort mode a person's states in different chains are correlated as soon
//! as one chain's transitions depend on another's state (a risk factor), an
//! intervention selects on one chain and acts on another, or a death state
//! removes people. Tracking the full joint distribution of all chains would
//! grow as the product of all state counts, so each chain is tracked jointly
//! with its *ancestors* only (the chains and exposures it depends on,
//! directly or indirectly): a [`Block`]. Every chain's marginal, and every
//! cost or count derived from it, is then exact. Blocks with the same members
//! are shared.
//!
//! Death states: all death chains are made mutual ancestors (one group `R`),
//! and a parent of every dimension outside `R`. Then every closure either holds
//! all death chains or lies inside the closure of `R`. Only maximal closures
//! are simulated (a closure inside another is one of its marginals), so every
//! simulated block holds every death chain and removes its deaths directly.

use super::SimError;
use crate::model::Model;
use std::collections::BTreeSet;

/// A dimension of the joint state: a chain, or an intervention's exposure
/// (not exposed / participating / k years after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// Index into [`Model::chains`].
    Chain(usize),
    /// Index into [`ArmPlan::interventions`].
    Exposure(usize),
}

/// A set of dimensions tracked jointly.
#[derive(Debug, Clone)]
pub struct Block {
    /// Dimension ids (into [`ArmPlan::dims`]), ascending.
    pub dims: Vec<usize>,
    /// `sizes[pos]`: number of states of member `pos`.
    pub sizes: Vec<usize>,
    /// Stride of each member in the joint index (first member fastest).
    pub strides: Vec<usize>,
    /// Number of joint states: the product of `sizes`.
    pub size: usize,
    /// Positions (into `dims`) of chain members, in update order: a chain is
    /// updated before the chains it depends on, so it sees their old states.
    pub chain_order: Vec<usize>,
    /// Positions of exposure members.
    pub exposures: Vec<usize>,
    /// `pos_of[dim]`: position of a dimension in this block, `usize::MAX` if absent.
    pub pos_of: Vec<usize>,
    /// `state_table[x * dims.len() + pos]`: state of member `pos` in joint index `x`
    /// (a lookup instead of a division in the inner loops).
    pub state_table: Vec<u8>,
    /// `bases[pos]`: the joint indices in which member `pos` is in state 0.
    pub bases: Vec<Vec<usize>>,
    /// What the block's simulation depends on, interned over every arm of the
    /// plan ([`Plan::n_block_keys`]): blocks of different arms with the same key
    /// compute the same numbers in a draw, so cohort mode simulates them once.
    pub key: usize,
    /// Per area: the key of a block without exposures that computes the same
    /// numbers in that area (none of this block's interventions reach the
    /// area), or `None`.
    pub neutral: Vec<Option<usize>>,
}

impl Block {
    /// Position of a dimension in this block.
    pub fn pos(&self, dim: usize) -> Option<usize> {
        self.dims.iter().position(|&d| d == dim)
    }

    /// State of member at position `pos` in joint index `x`.
    #[inline]
    pub fn state(&self, x: usize, pos: usize) -> usize {
        self.state_table[x * self.dims.len() + pos] as usize
    }
}

/// The joint structure of one arm (the nulalternatief or a scenario).
#[derive(Debug, Clone)]
pub struct ArmPlan {
    /// Model indices of the interventions active in this arm.
    pub interventions: Vec<usize>,
    /// The dimensions of the arm: its chains first, then one exposure per intervention.
    pub dims: Vec<Dim>,
    /// Blocks tracked jointly; every dimension is in at least one.
    pub blocks: Vec<Block>,
    /// `home[dim]`: the block in which a dimension's marginal and flows are read.
    pub home: Vec<usize>,
    /// The block holding all death chains, if any chain has a death state.
    pub death_block: Option<usize>,
}

impl ArmPlan {
    /// Number of chain dimensions (they come before the exposures).
    pub fn n_chains(&self) -> usize {
        self.dims.iter().filter(|d| matches!(d, Dim::Chain(_))).count()
    }

    /// The dimension id of exposure `k` (index into `interventions`).
    pub fn exposure_dim(&self, k: usize) -> usize {
        self.n_chains() + k
    }
}

/// Structure of every arm: index 0 the nulalternatief (with
/// [`Model::baseline_interventions`]), `1 + s` scenario `s` (with
/// [`Model::arm_interventions`]).
#[derive(Debug, Clone)]
pub struct Plan {
    /// `arms[0]` is the nulalternatief, `arms[1 + s]` scenario `s`.
    pub arms: Vec<ArmPlan>,
    /// Chains in an order where every risk-factor parent comes first.
    pub chain_topo: Vec<usize>,
    /// Runs of ages `[start, end)` within which every transition row, risk
    /// factor, chain range and intervention target is the same in every area,
    /// so cohort mode can update a whole run of ages with one row.
    pub age_runs: Vec<(usize, usize)>,
    /// Number of distinct block keys (see [`Block::key`]).
    pub n_block_keys: usize,
}

/// Ages where anything that shapes a transition changes.
fn age_runs(model: &Model) -> Vec<(usize, usize)> {
    let n_ages = model.settings.n_ages();
    let mut cut = vec![false; n_ages + 1];
    cut[0] = true;
    cut[n_ages] = true;
    let mut mark = |lo: usize, hi: usize| {
        cut[lo.min(n_ages)] = true;
        cut[(hi + 1).min(n_ages)] = true;
    };
    for ch in &model.chains {
        mark(ch.age_lo, ch.age_hi);
        // Every layer of the lookup: each (period, area, sex).
        for layer in ch.matrix_for.chunks(n_ages) {
            for age in 1..n_ages {
                if layer[age] != layer[age - 1] {
                    mark(age, age);
                }
            }
        }
        if ch.state_mortality() {
            // Its rows fold in the life table, which changes with every age.
            for age in ch.age_lo..=ch.age_hi.min(n_ages - 1) {
                mark(age, age);
            }
        }
    }
    for rf in &model.risk_factors {
        mark(rf.age_lo, rf.age_hi);
    }
    for iv in &model.interventions {
        mark(iv.age_lo, iv.age_hi);
    }
    let starts: Vec<usize> = (0..=n_ages).filter(|&a| cut[a]).collect();
    starts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Chains ordered so that every risk factor's condition chain precedes the
/// chain it acts on; a cycle is an error naming the chains in it.
fn chain_topo(model: &Model) -> Result<Vec<usize>, SimError> {
    let c = model.chains.len();
    let mut parents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); c];
    for rf in &model.risk_factors {
        parents[rf.chain].insert(rf.when_chain);
    }
    let mut done = vec![false; c];
    let mut order = vec![];
    while order.len() < c {
        let next = (0..c).find(|&i| !done[i] && parents[i].iter().all(|&p| done[p]));
        match next {
            Some(i) => {
                done[i] = true;
                order.push(i);
            }
            None => {
                let rest: Vec<&str> = (0..c).filter(|&i| !done[i]).map(|i| model.chains[i].name.as_str()).collect();
                return Err(SimError::Model(format!(
                    "risk factors form a cycle among chains {}: a chain's transitions cannot depend on a chain that depends on it",
                    rest.join(", ")
                )));
            }
        }
    }
    Ok(order)
}

impl Plan {
    /// Build the plan of `model`; fails when risk factors form a cycle.
    pub fn new(model: &Model) -> Result<Self, SimError> {
        let topo = chain_topo(model)?;
        // The nulalternatief runs what happens anyway; every scenario runs that too,
        // first and in the same order, so the shared interventions' blocks get
        // the same keys in every arm (and are simulated once in cohort mode).
        let mut arms = vec![ArmPlan::new(model, &model.baseline_interventions, &topo)];
        for s in 0..model.scenarios.len() {
            arms.push(ArmPlan::new(model, &model.arm_interventions(s), &topo));
        }
        let n_block_keys = assign_block_keys(model, &mut arms);
        Ok(Plan { arms, chain_topo: topo, age_runs: age_runs(model), n_block_keys })
    }
}

/// Give every block of every arm its [`Block::key`] and [`Block::neutral`]
/// keys; returns the number of distinct keys.
///
/// A block's numbers depend on its members (chains, and exposures to named
/// interventions, in their order), on which of them it is the home of (it
/// counts their flows), on the participation shares of exposures whose home
/// is another block (that block's key), and, when the model has death states,
/// on the population kept by block 0 (its key). Encoding exactly these makes
/// equal keys imply equal numbers; in an area that none of a block's
/// interventions reach, its exposures stay empty and it computes what the same
/// block without exposures computes there.
fn assign_block_keys(model: &Model, arms: &mut [ArmPlan]) -> usize {
    use std::collections::HashMap;
    let deaths = model.chains.iter().any(|c| c.has_death());
    let mut interned: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut intern = |enc: Vec<usize>| {
        let n = interned.len();
        *interned.entry(enc).or_insert(n)
    };
    const CHAIN: usize = usize::MAX;
    const EXPOSURE: usize = usize::MAX - 1;
    const OWNER: usize = usize::MAX - 2;
    const FOLLOWS: usize = usize::MAX - 3;
    for arm in arms.iter_mut() {
        let n_areas = model.areas.len();
        let mut keys: Vec<usize> = vec![];
        let mut neutrals: Vec<Vec<Option<usize>>> = vec![];
        for bi in 0..arm.blocks.len() {
            let b = &arm.blocks[bi];
            let mut enc = vec![];
            let mut chains_only = vec![];
            for &d in &b.dims {
                let home = usize::from(arm.home[d] == bi);
                match arm.dims[d] {
                    Dim::Chain(c) => {
                        enc.extend([CHAIN, c, home]);
                        chains_only.extend([CHAIN, c, home]);
                    }
                    Dim::Exposure(k) => {
                        let from = if home == 1 { usize::MAX } else { keys[arm.home[d]] };
                        enc.extend([EXPOSURE, arm.interventions[k], home, from]);
                    }
                }
            }
            if deaths {
                if bi == 0 {
                    enc.push(OWNER);
                    chains_only.push(OWNER);
                } else {
                    enc.extend([FOLLOWS, keys[0]]);
                }
            }
            keys.push(intern(enc));
            let neutral = (0..n_areas)
                .map(|a| {
                    let reached = b.exposures.iter().any(|&p| {
                        let Dim::Exposure(k) = arm.dims[b.dims[p]] else { unreachable!("exposure position") };
                        model.interventions[arm.interventions[k]].areas[a]
                    });
                    if reached {
                        return None;
                    }
                    let mut enc = chains_only.clone();
                    if deaths && bi > 0 {
                        enc.extend([FOLLOWS, neutrals[0][a]?]);
                    }
                    Some(intern(enc))
                })
                .collect();
            neutrals.push(neutral);
        }
        for (b, (key, neutral)) in arm.blocks.iter_mut().zip(keys.into_iter().zip(neutrals)) {
            b.key = key;
            b.neutral = neutral;
        }
    }
    interned.len()
}

impl ArmPlan {
    fn new(model: &Model, interventions: &[usize], topo: &[usize]) -> Self {
        let c = model.chains.len();
        let mut dims: Vec<Dim> = (0..c).map(Dim::Chain).collect();
        dims.extend((0..interventions.len()).map(Dim::Exposure));
        let n = dims.len();
        let size_of = |d: usize| match dims[d] {
            Dim::Chain(ch) => model.chains[ch].n_states(),
            Dim::Exposure(k) => model.interventions[interventions[k]].n_exposure_states(),
        };
        let mut parents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for rf in &model.risk_factors {
            parents[rf.chain].insert(rf.when_chain);
        }
        for (k, &iv) in interventions.iter().enumerate() {
            let e = c + k;
            for &(ch, _) in &model.interventions[iv].target {
                parents[e].insert(ch);
            }
            for eff in &model.interventions[iv].effects {
                parents[eff.chain()].insert(e);
            }
        }
        let deaths: Vec<usize> = (0..c).filter(|&i| model.chains[i].has_death()).collect();
        for &a in &deaths {
            for &b in &deaths {
                if a != b {
                    parents[b].insert(a);
                }
            }
        }
        let closure = |parents: &Vec<BTreeSet<usize>>, d: usize| -> BTreeSet<usize> {
            let mut seen = BTreeSet::from([d]);
            let mut stack = vec![d];
            while let Some(x) = stack.pop() {
                for &p in &parents[x] {
                    if seen.insert(p) {
                        stack.push(p);
                    }
                }
            }
            seen
        };
        let mut death_set = BTreeSet::new();
        for &d in &deaths {
            death_set.extend(closure(&parents, d));
        }
        if !deaths.is_empty() {
            for y in 0..n {
                if !death_set.contains(&y) {
                    parents[y].extend(deaths.iter().copied());
                }
            }
        }
        // Each dimension's closure; only maximal closures are simulated (a
        // closure inside another is a marginal of it, so it is exact there too).
        let closures: Vec<Vec<usize>> = (0..n).map(|d| closure(&parents, d).into_iter().collect()).collect();
        let is_subset = |a: &[usize], b: &[usize]| a.iter().all(|x| b.contains(x));
        let mut kept: Vec<Vec<usize>> = vec![];
        for cl in &closures {
            let inside_other = closures.iter().any(|o| o.len() > cl.len() && is_subset(cl, o));
            if !inside_other && !kept.contains(cl) {
                kept.push(cl.clone());
            }
        }
        let blocks: Vec<Block> = kept
            .into_iter()
            .map(|members| {
                let sizes: Vec<usize> = members.iter().map(|&m| size_of(m)).collect();
                let mut strides = vec![1; sizes.len()];
                for i in 1..sizes.len() {
                    strides[i] = strides[i - 1] * sizes[i - 1];
                }
                let size: usize = sizes.iter().product();
                // Update order: reverse topological order of the chains.
                let chain_order = topo.iter().rev().filter_map(|&ch| members.iter().position(|&m| m == ch)).collect();
                let exposures = (0..members.len()).filter(|&p| members[p] >= c).collect();
                let mut pos_of = vec![usize::MAX; n];
                for (p, &m) in members.iter().enumerate() {
                    pos_of[m] = p;
                }
                let nd = members.len();
                let mut state_table = vec![0u8; size * nd];
                for x in 0..size {
                    for p in 0..nd {
                        state_table[x * nd + p] = (x / strides[p] % sizes[p]) as u8;
                    }
                }
                let bases = (0..nd)
                    .map(|p| (0..size).filter(|&x| (x / strides[p]).is_multiple_of(sizes[p])).collect())
                    .collect();
                Block {
                    state_table,
                    bases,
                    pos_of,
                    dims: members,
                    sizes,
                    strides,
                    size,
                    chain_order,
                    exposures,
                    key: 0,
                    neutral: vec![],
                }
            })
            .collect();
        // Every kept block holds every death chain (see the module docs), so
        // deaths are removed in each block directly.
        debug_assert!(blocks.iter().all(|b| deaths.iter().all(|d| b.dims.contains(d))));
        let home: Vec<usize> = (0..n)
            .map(|d| blocks.iter().position(|b| b.dims.contains(&d)).expect("every dimension is in a block"))
            .collect();
        let death_block = deaths.first().map(|&d| home[d]);
        ArmPlan { interventions: interventions.to_vec(), dims, blocks, home, death_block }
    }
}
