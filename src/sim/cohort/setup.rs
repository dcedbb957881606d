//! What one block's simulation fixes before the first year: which areas it
//! simulates (the others it takes from the neutral block), whose population
//! record and participation shares it follows, which joint states can hold
//! anybody, and the transition coefficients of every chain step.

use super::population::PopRecord;
use super::{BlockOut, DrawShared};
use crate::sim::joint::{self, DeathStates};
use crate::sim::plan::{Block, Dim};
use crate::sim::Kernel;

/// Entry distributions of one block per (area, age), computed on first use.
pub(super) struct Entries {
    n_ages: usize,
    cache: Vec<Option<Vec<f64>>>,
}

impl Entries {
    pub(super) fn new(n_areas: usize, n_ages: usize) -> Self {
        Entries { n_ages, cache: vec![None; n_areas * n_ages] }
    }

    /// Joint distribution of someone entering block `b` at (area, age), see
    /// [`joint::entry_distribution`].
    pub(super) fn get(&mut self, k: &Kernel<'_>, b: &Block, area: usize, age: usize) -> &[f64] {
        self.cache[area * self.n_ages + age].get_or_insert_with(|| joint::entry_distribution(k, b, area, age))
    }
}

/// Everything about the simulation of one block that stays the same over the years.
pub(super) struct BlockSetup<'s> {
    pub d: &'s DrawShared<'s>,
    pub k: &'s Kernel<'s>,
    /// The block's index in its arm.
    pub bi: usize,
    pub b: &'s Block,
    /// The age runs of the plan.
    pub runs: &'s [(usize, usize)],
    pub n_ages: usize,
    pub max: usize,
    pub sexes: usize,
    pub n_areas: usize,
    pub n_groups: usize,
    /// Joint states of the block.
    pub size: usize,
    /// Whether the model has death states.
    pub deaths: bool,
    /// Whether this block keeps the population (the first block, when the
    /// model has death states).
    pub owner: bool,
    /// Per area: the neutral block's numbers, taken instead of simulating.
    pub borrowed: Vec<Option<&'s BlockOut>>,
    /// Per area: whether the block simulates it.
    pub simulate: Vec<bool>,
    /// The groups (area × sex) of the simulated areas.
    pub groups: Vec<usize>,
    /// The population record this block follows (None when it builds its own, as owner).
    pub follow: Option<&'s PopRecord>,
    /// Participation shares per year of exposures whose home is another block,
    /// by exposure index in the arm.
    pub f_from: Vec<Option<&'s [f64]>>,
    pub death: DeathStates,
    /// Per age run, whether joint state x can hold anybody: a chain outside its
    /// ages holds everyone in state 0.
    pub possible: Vec<Vec<bool>>,
    /// Transition coefficients of every chain step, `[base][from][to]` per
    /// (chain position, run, matrix), shared by the areas with the same matrix.
    pub tables: Vec<Vec<f64>>,
    /// `table_of[(((chain index * runs + run) * areas + area) * periods + period) * lookup_sexes + sex]`:
    /// index into `tables` (see [`BlockSetup::table`]).
    pub table_of: Vec<usize>,
    /// Most periods of any chain's transitions (1 without time bands).
    pub periods: usize,
    /// Most sexes any chain's rows distinguish (1 unless a chain has state mortality).
    pub lookup_sexes: usize,
    /// Which joint states are in each exposure's target group:
    /// `target_x[(exposure index * runs + run) * areas + area][x]`.
    pub target_x: Vec<Vec<bool>>,
    /// Home chains in the order the snapshot reads them: grouped by age range
    /// (each chain writes only its own counts, so the order of chains does not
    /// matter), so each range is summed once.
    pub home_chains: Vec<usize>,
    /// The most states of any exposure of the block.
    pub max_ne: usize,
}

impl<'s> BlockSetup<'s> {
    pub(super) fn new(d: &'s DrawShared<'s>, k: &'s Kernel<'s>, bi: usize, cache: &'s [Option<BlockOut>]) -> Self {
        let model = d.model;
        let s = &model.settings;
        let arm = k.arm;
        let b = &arm.blocks[bi];
        let n_areas = model.areas.len();
        let sexes = model.sexes;
        let deaths = model.chains.iter().any(|c| c.has_death());
        let owner = deaths && bi == 0;
        // Areas taken from the neutral block (simulated earlier in this draw). The
        // block that keeps the population simulates every area, so its record is whole.
        let borrowed: Vec<Option<&BlockOut>> = (0..n_areas)
            .map(|a| {
                if owner || !d.reuse {
                    None
                } else {
                    b.neutral[a].filter(|&n| n != b.key).and_then(|n| cache[n].as_ref())
                }
            })
            .collect();
        let simulate: Vec<bool> = borrowed.iter().map(|x| x.is_none()).collect();
        let groups = (0..n_areas * sexes).filter(|&gi| simulate[gi / sexes]).collect();
        let follow = if owner {
            None
        } else if deaths {
            cache[arm.blocks[0].key].as_ref().and_then(|o| o.pop.as_ref())
        } else {
            d.demography.as_ref().map(|(_, r)| r)
        };
        let mut setup = BlockSetup {
            d,
            k,
            bi,
            b,
            runs: &d.plan.age_runs,
            n_ages: s.n_ages(),
            max: s.max_age,
            sexes,
            n_areas,
            n_groups: n_areas * sexes,
            size: b.size,
            deaths,
            owner,
            borrowed,
            simulate,
            groups,
            follow,
            f_from: shares_from(k, bi, cache),
            death: DeathStates::new(model, b),
            possible: vec![],
            tables: vec![],
            table_of: vec![],
            periods: model.chains.iter().map(|c| c.n_periods()).max().unwrap_or(1),
            lookup_sexes: model.chains.iter().map(|c| c.lookup_sexes).max().unwrap_or(1),
            target_x: vec![],
            home_chains: vec![],
            max_ne: b.exposures.iter().map(|&pe| b.sizes[pe]).max().unwrap_or(0),
        };
        setup.possible = setup.possible_states();
        setup.coefficient_tables();
        setup.target_x = setup.target_states();
        setup.home_chains = setup.home_chains();
        setup
    }

    /// Per age run, whether each joint state can hold anybody.
    fn possible_states(&self) -> Vec<Vec<bool>> {
        let (b, arm, model) = (self.b, self.k.arm, self.d.model);
        self.runs
            .iter()
            .map(|&(lo, _)| {
                (0..self.size)
                    .map(|x| {
                        b.dims.iter().enumerate().all(|(p, &dim)| match arm.dims[dim] {
                            Dim::Chain(c) => model.chains[c].in_range(lo) || b.state(x, p) == 0,
                            Dim::Exposure(_) => true,
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// Fill `tables` and `table_of`: one table per (chain position, run,
    /// matrix) that some simulated area uses.
    fn coefficient_tables(&mut self) {
        let (b, k, runs, n_areas) = (self.b, self.k, self.runs, self.n_areas);
        let contexts = joint::row_contexts(k, b, runs);
        let (periods, lsexes) = (self.periods, self.lookup_sexes);
        let horizon = self.d.model.settings.horizon;
        self.table_of = vec![usize::MAX; b.chain_order.len() * runs.len() * n_areas * periods * lsexes];
        for (ci, &pc) in b.chain_order.iter().enumerate() {
            let Dim::Chain(c) = k.arm.dims[b.dims[pc]] else { unreachable!("chain position") };
            let n = b.sizes[pc];
            let ch = &self.d.model.chains[c];
            let firsts: Vec<usize> =
                (0..ch.n_periods()).map(|p| (0..horizon).find(|&t| ch.period(t) == p).unwrap_or(0)).collect();
            for (ri, &(lo0, _)) in runs.iter().enumerate() {
                if !self.d.model.chains[c].in_range(lo0) {
                    continue;
                }
                let mut built: Vec<(usize, usize)> = vec![];
                let ch = &self.d.model.chains[c];
                // Every (area, period, sex) the chain distinguishes, each period by its first cycle.
                let firsts = &firsts;
                let cells = (0..n_areas)
                    .filter(|&a| self.simulate[a])
                    .flat_map(|a| firsts.iter().flat_map(move |&t| (0..ch.lookup_sexes).map(move |sx| (a, t, sx))));
                for (a, t, sx) in cells {
                    let mi = k.matrix(c, t, a, sx, lo0);
                    let ti = match built.iter().find(|&&(m, _)| m == mi) {
                        Some(&(_, ti)) => ti,
                        None => {
                            let mut t = Vec::with_capacity(b.bases[pc].len() * n * n);
                            for &ctx in &contexts[pc][ri] {
                                for from in 0..n {
                                    t.extend_from_slice(k.cached_row(c, mi, ctx, from));
                                }
                            }
                            self.tables.push(t);
                            built.push((mi, self.tables.len() - 1));
                            self.tables.len() - 1
                        }
                    };
                    self.table_of[(((ci * runs.len() + ri) * n_areas + a) * periods + ch.period(t)) * lsexes + sx] = ti;
                }
            }
        }
    }

    /// The coefficient table of chain position `ci` (index into `chain_order`,
    /// chain `c`) in run `ri` for (area, sex) in model cycle `t`.
    #[inline(always)]
    pub(super) fn table(&self, ci: usize, c: usize, ri: usize, a: usize, sex: usize, t: usize) -> &[f64] {
        let ch = &self.d.model.chains[c];
        let sx = if ch.lookup_sexes > 1 { sex } else { 0 };
        let i =
            (((ci * self.runs.len() + ri) * self.n_areas + a) * self.periods + ch.period(t)) * self.lookup_sexes + sx;
        &self.tables[self.table_of[i]]
    }

    /// Which joint states are in each exposure's target group, per (exposure
    /// index, run, area).
    fn target_states(&self) -> Vec<Vec<bool>> {
        let (b, k, runs, n_areas, size) = (self.b, self.k, self.runs, self.n_areas, self.size);
        (0..b.exposures.len())
            .flat_map(|xi| {
                let Dim::Exposure(e) = k.arm.dims[b.dims[b.exposures[xi]]] else { unreachable!("exposure position") };
                runs.iter().flat_map(move |&(lo0, _)| {
                    (0..n_areas).map(move |a| {
                        (0..size).map(|x| k.in_target(e, a, lo0, &|ch| b.state(x, b.pos_of[ch]))).collect()
                    })
                })
            })
            .collect()
    }

    /// The chains whose counts this block keeps, sorted by age range.
    fn home_chains(&self) -> Vec<usize> {
        let model = self.d.model;
        let mut home: Vec<usize> = (0..model.chains.len()).filter(|&c| self.k.arm.home[c] == self.bi).collect();
        home.sort_by_key(|&c| (model.chains[c].age_lo, model.chains[c].age_hi, c));
        home
    }

    /// The exposure of block position `pe`, as an index into the arm's interventions.
    #[inline(always)]
    pub(super) fn exposure(&self, pe: usize) -> usize {
        let Dim::Exposure(e) = self.k.arm.dims[self.b.dims[pe]] else { unreachable!("exposure position") };
        e
    }

    /// Whether this block is the home of the dimension at block position `p`.
    #[inline(always)]
    pub(super) fn is_home(&self, p: usize) -> bool {
        self.k.arm.home[self.b.dims[p]] == self.bi
    }
}

/// Participation shares of exposures whose home is another block, recorded
/// there, by exposure index in the arm.
fn shares_from<'s>(k: &Kernel<'_>, bi: usize, cache: &'s [Option<BlockOut>]) -> Vec<Option<&'s [f64]>> {
    let arm = k.arm;
    let b = &arm.blocks[bi];
    let mut f_from: Vec<Option<&[f64]>> = vec![None; arm.interventions.len()];
    for &pe in &b.exposures {
        let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
        let home = arm.home[b.dims[pe]];
        if home != bi {
            let iv = arm.interventions[e];
            let o = cache[arm.blocks[home].key].as_ref().expect("an exposure's home block is simulated first");
            let (_, v) = o.shares.iter().find(|(i, _)| *i == iv).expect("the home block records the exposure's shares");
            f_from[e] = Some(v.as_slice());
        }
    }
    f_from
}
