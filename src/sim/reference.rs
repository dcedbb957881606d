//! The reference cohort engine: the straightforward arm-by-arm version of
//! `cohort` (zeroed scratch buffers, every block of every arm
//! simulated, every row tested for emptiness). Runs do not use it; tests hold
//! the fast engine to it bit for bit, so keep it simple rather than fast.
//!
//! Expected (fractional) numbers of people, with each [`Block`]'s joint
//! distribution over its chains and exposures.
//!
//! Layout: per block, per group (area × sex), a matrix `[joint state][age]`
//! with age fastest. Within a run of ages where every row, risk factor and
//! target is the same ([`super::Plan::age_runs`]), one transition row updates
//! the whole run with a contiguous multiply-add, and ageing is a shift of
//! each row by one column.

use super::accum::{self, Acc, AccLayout};
use super::joint::{self, DeathStates};
use super::plan::{Block, Dim};
use super::{Kernel, Warnings};

/// `out[i] += a * x[i]`, written so the compiler vectorises it.
#[inline]
fn axpy(out: &mut [f64], x: &[f64], a: f64) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o += a * v;
    }
}

/// What stays the same over the years of one arm.
struct Arm<'k, 'a> {
    k: &'k Kernel<'a>,
    runs: &'k [(usize, usize)],
    lay: &'k AccLayout,
    n_ages: usize,
    sexes: usize,
    n_groups: usize,
    /// Joint states in which someone has died, per block.
    death: Vec<DeathStates>,
    /// The context of every chain row: `contexts[block][pos][run][base]`.
    contexts: Vec<Vec<Vec<Vec<usize>>>>,
}

/// What changes over the years of one arm.
struct State {
    /// Entry distributions per block and (area, age), computed on first use.
    entry: Vec<Vec<Option<Vec<f64>>>>,
    /// The population `[group][age]`.
    pop: Vec<f64>,
    /// Per block, `[group][joint state][age]`.
    mass: Vec<Vec<f64>>,
    /// The other buffer of each step (the size of the largest block).
    scratch: Vec<f64>,
    /// Mass in death states per age.
    col: Vec<f64>,
    acc: Acc,
}

/// A block in one group (area × sex).
struct GroupBlock<'b> {
    bi: usize,
    b: &'b Block,
    a: usize,
    sex: usize,
    /// The model cycle.
    t: usize,
}

/// Simulate one arm over the horizon; returns the raw counts.
pub fn simulate_arm(k: &Kernel<'_>, runs: &[(usize, usize)], lay: &AccLayout, w: &mut Warnings) -> Acc {
    let model = k.model;
    let arm = Arm::new(k, runs, lay);
    let mut st = arm.start();
    for t in 0..model.settings.horizon {
        arm.snapshot(&mut st, t, true);
        let f = arm.participation(&st, t);
        for gi in 0..arm.n_groups {
            for bi in 0..k.arm.blocks.len() {
                arm.block_steps(&mut st, &f, t, gi, bi);
            }
            arm.deaths(&mut st, t, gi);
            arm.migration(&mut st, t, gi);
        }
        arm.snapshot(&mut st, t, false);
        w.work_units += (arm.n_groups * arm.n_ages) as u64;
        arm.births_and_ageing(&mut st, t);
    }
    st.acc
}

impl<'k, 'a> Arm<'k, 'a> {
    fn new(k: &'k Kernel<'a>, runs: &'k [(usize, usize)], lay: &'k AccLayout) -> Self {
        let model = k.model;
        let blocks = &k.arm.blocks;
        Arm {
            k,
            runs,
            lay,
            n_ages: model.settings.n_ages(),
            sexes: model.sexes,
            n_groups: model.areas.len() * model.sexes,
            death: blocks.iter().map(|b| DeathStates::new(model, b)).collect(),
            contexts: blocks.iter().map(|b| joint::row_contexts(k, b, runs)).collect(),
        }
    }

    /// Joint distribution of someone entering block `bi` at (area, age).
    fn entry<'s>(&self, st: &'s mut State, bi: usize, area: usize, age: usize) -> &'s [f64] {
        st.entry[bi][area * self.n_ages + age]
            .get_or_insert_with(|| joint::entry_distribution(self.k, &self.k.arm.blocks[bi], area, age))
    }

    /// The start population: each chain's initial distribution, independently.
    fn start(&self) -> State {
        let (k, n_ages, sexes) = (self.k, self.n_ages, self.sexes);
        let model = k.model;
        let n_areas = model.areas.len();
        let blocks = &k.arm.blocks;
        let max_size = blocks.iter().map(|b| b.size).max().unwrap_or(1);
        let mut st = State {
            entry: blocks.iter().map(|_| vec![None; n_areas * n_ages]).collect(),
            pop: vec![0.0; self.n_groups * n_ages],
            mass: blocks.iter().map(|b| vec![0.0; self.n_groups * b.size * n_ages]).collect(),
            scratch: vec![0.0; max_size * n_ages],
            col: vec![0.0; n_ages],
            acc: Acc::new(n_areas, model.settings.horizon, self.lay),
        };
        for a in 0..n_areas {
            for sex in 0..sexes {
                let gi = a * sexes + sex;
                for age in 0..n_ages {
                    let n = model.areas[a].population[sex][age];
                    st.pop[gi * n_ages + age] = n;
                    if n == 0.0 {
                        continue;
                    }
                    for (bi, b) in blocks.iter().enumerate() {
                        let size = b.size;
                        let e = self.entry(&mut st, bi, a, age).to_vec();
                        let m = &mut st.mass[bi][gi * size * n_ages..(gi + 1) * size * n_ages];
                        for x in 0..size {
                            m[x * n_ages + age] = n * e[x];
                        }
                    }
                }
            }
        }
        st
    }

    /// 1. Participation shares from the target groups at the start of the year.
    fn participation(&self, st: &State, t: usize) -> Vec<f64> {
        let (k, n_ages) = (self.k, self.n_ages);
        let arm = k.arm;
        let year = k.model.settings.calendar_year(t);
        let mut f = vec![0.0; arm.interventions.len()];
        for (e, fe) in f.iter_mut().enumerate() {
            let bi = arm.home[arm.exposure_dim(e)];
            let b = &arm.blocks[bi];
            let mut target = 0.0;
            for gi in 0..self.n_groups {
                let a = gi / self.sexes;
                let m = &st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                for &(lo, hi) in self.runs {
                    for x in 0..b.size {
                        if k.in_target(e, a, lo, &|ch| b.state(x, b.pos_of[ch])) {
                            target += m[x * n_ages + lo..x * n_ages + hi].iter().sum::<f64>();
                        }
                    }
                }
            }
            *fe = k.participation(e, year, target);
        }
        f
    }

    /// Steps 1 and 2 in block `bi` of group `gi`: exposures, then chain
    /// transitions (children before parents). Each step reads `m` and writes
    /// `nw`, then the two swap roles; after an odd number of steps the result
    /// is copied back once.
    fn block_steps(&self, st: &mut State, f: &[f64], t: usize, gi: usize, bi: usize) {
        let (arm, n_ages) = (self.k.arm, self.n_ages);
        let b = &arm.blocks[bi];
        let g = GroupBlock { bi, b, a: gi / self.sexes, sex: gi % self.sexes, t };
        let q = st.acc.at(g.a, t);
        let mut m: &mut [f64] = &mut st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
        let mut nw: &mut [f64] = &mut st.scratch[..b.size * n_ages];
        let mut steps = 0;
        for &pe in &b.exposures {
            self.exposure_step(&g, pe, f, m, nw);
            std::mem::swap(&mut m, &mut nw);
            steps += 1;
            if arm.home[b.dims[pe]] == bi {
                let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
                let iv = arm.interventions[e];
                for x in (0..b.size).filter(|&x| b.state(x, pe) == 1) {
                    q[self.lay.participants + iv] += m[x * n_ages..(x + 1) * n_ages].iter().sum::<f64>();
                }
            }
        }
        for &pc in &b.chain_order {
            self.chain_step(&g, pc, m, nw, q);
            std::mem::swap(&mut m, &mut nw);
            steps += 1;
        }
        if steps % 2 == 1 {
            nw.copy_from_slice(m);
        }
    }

    /// Exposure at block position `pe`: join this year, or move one year further from participation.
    fn exposure_step(&self, g: &GroupBlock<'_>, pe: usize, f: &[f64], m: &[f64], nw: &mut [f64]) {
        let (k, n_ages, b) = (self.k, self.n_ages, g.b);
        let Dim::Exposure(e) = k.arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
        let stride = b.strides[pe];
        nw.fill(0.0);
        for &(lo, hi) in self.runs {
            for &base in &b.bases[pe] {
                let fx =
                    if f[e] > 0.0 && k.in_target(e, g.a, lo, &|ch| b.state(base, b.pos_of[ch])) { f[e] } else { 0.0 };
                for ex in 0..b.sizes[pe] {
                    let src = (base + ex * stride) * n_ages;
                    let join = (base + stride) * n_ages;
                    let stay = (base + k.progress(e, ex) * stride) * n_ages;
                    let from = &m[src + lo..src + hi];
                    if from.iter().all(|&v| v == 0.0) {
                        continue;
                    }
                    if fx > 0.0 {
                        axpy(&mut nw[join + lo..join + hi], from, fx);
                    }
                    axpy(&mut nw[stay + lo..stay + hi], from, 1.0 - fx);
                }
            }
        }
    }

    /// Transition of the chain at block position `pc`, counting the flows of a home chain.
    fn chain_step(&self, g: &GroupBlock<'_>, pc: usize, m: &[f64], nw: &mut [f64], q: &mut [f64]) {
        let (k, n_ages, b) = (self.k, self.n_ages, g.b);
        let Dim::Chain(c) = k.arm.dims[b.dims[pc]] else { unreachable!("chain position") };
        let ch = &k.model.chains[c];
        let home = k.arm.home[b.dims[pc]] == g.bi;
        let stride = b.strides[pc];
        nw.fill(0.0);
        for (ri, &(lo, hi)) in self.runs.iter().enumerate() {
            if !ch.in_range(lo) {
                for x in 0..b.size {
                    nw[x * n_ages + lo..x * n_ages + hi].copy_from_slice(&m[x * n_ages + lo..x * n_ages + hi]);
                }
                continue;
            }
            let mi = k.matrix(c, g.t, g.a, g.sex, lo);
            let ctxs = &self.contexts[g.bi][pc][ri];
            for (bn, &base) in b.bases[pc].iter().enumerate() {
                for from in 0..b.sizes[pc] {
                    let src_off = (base + from * stride) * n_ages;
                    let src = &m[src_off + lo..src_off + hi];
                    // Many joint states are empty at these ages (a chain
                    // outside its range holds everyone in state 0).
                    if src.iter().all(|&v| v == 0.0) {
                        continue;
                    }
                    let r = k.cached_row(c, mi, ctxs[bn], from);
                    for (to, &p) in r.iter().enumerate() {
                        if p != 0.0 {
                            let dst = (base + to * stride) * n_ages;
                            axpy(&mut nw[dst + lo..dst + hi], src, p);
                        }
                    }
                    if home {
                        joint::count_flows(ch, self.lay, c, from, src.iter().sum(), r, q);
                    }
                }
            }
        }
    }

    /// 3. Deaths: death states (counted in the death block), then background mortality.
    fn deaths(&self, st: &mut State, t: usize, gi: usize) {
        let (k, n_ages) = (self.k, self.n_ages);
        let (a, sex) = (gi / self.sexes, gi % self.sexes);
        let blocks = &k.arm.blocks;
        let q = st.acc.at(a, t);
        let p = &mut st.pop[gi * n_ages..(gi + 1) * n_ages];
        if let Some(rb) = k.arm.death_block {
            let b = &blocks[rb];
            let m = &st.mass[rb][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
            self.death[rb].count(k.model, self.lay, b, m, q, &mut st.col);
            for (pa, &d) in p.iter_mut().zip(&st.col) {
                q[accum::DEATHS] += d;
                *pa = (*pa - d).max(0.0);
            }
            for (bi, b) in blocks.iter().enumerate() {
                let m = &mut st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                for x in (0..b.size).filter(|&x| self.death[bi].dead[x]) {
                    m[x * n_ages..(x + 1) * n_ages].fill(0.0);
                }
            }
        }
        let qd = &k.vals.areas[a].q[sex];
        if qd.iter().any(|&x| x > 0.0) {
            for (age, pa) in p.iter_mut().enumerate() {
                q[accum::DEATHS] += qd[age] * *pa;
                *pa *= 1.0 - qd[age];
            }
            for (bi, b) in blocks.iter().enumerate() {
                let m = &mut st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                for x in 0..b.size {
                    for (v, &qa) in m[x * n_ages..(x + 1) * n_ages].iter_mut().zip(qd) {
                        *v *= 1.0 - qa;
                    }
                }
            }
        }
    }

    /// 4. Net migration.
    fn migration(&self, st: &mut State, t: usize, gi: usize) {
        let (k, n_ages) = (self.k, self.n_ages);
        let (a, sex) = (gi / self.sexes, gi % self.sexes);
        let blocks = &k.arm.blocks;
        let nm = &k.vals.areas[a].migration[sex];
        for age in 0..n_ages {
            let (v, pa) = (nm[age], st.pop[gi * n_ages + age]);
            if v < 0.0 && pa > 0.0 {
                let frac = (-v / pa).min(1.0);
                st.acc.at(a, t)[accum::DEPARTURES] += frac * pa;
                st.pop[gi * n_ages + age] = pa * (1.0 - frac);
                for (bi, b) in blocks.iter().enumerate() {
                    let m = &mut st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                    for x in 0..b.size {
                        m[x * n_ages + age] *= 1.0 - frac;
                    }
                }
            } else if v > 0.0 {
                st.acc.at(a, t)[accum::ARRIVALS] += v;
                st.pop[gi * n_ages + age] += v;
                for (bi, b) in blocks.iter().enumerate() {
                    let size = b.size;
                    let e = self.entry(st, bi, a, age).to_vec();
                    let m = &mut st.mass[bi][gi * size * n_ages..(gi + 1) * size * n_ages];
                    for (x, &ex) in e.iter().enumerate() {
                        m[x * n_ages + age] += v * ex;
                    }
                }
            }
        }
    }

    /// 5. Births (from the end-of-cycle population) and ageing. In a cycle
    ///    that does not complete a year nobody ages and newborns join age 0.
    fn births_and_ageing(&self, st: &mut State, t: usize) {
        let (k, n_ages) = (self.k, self.n_ages);
        let max = k.model.settings.max_age;
        let ages = k.model.settings.ages_after(t);
        let births = joint::births(k.model, k.vals, &st.pop, &mut st.acc, t);
        for (gi, &newborn) in births.iter().enumerate() {
            let a = gi / self.sexes;
            if !ages {
                st.pop[gi * n_ages] += newborn;
                for (bi, b) in k.arm.blocks.iter().enumerate() {
                    if newborn > 0.0 {
                        let e0 = self.entry(st, bi, a, 0).to_vec();
                        let m = &mut st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                        for (x, &e) in e0.iter().enumerate() {
                            m[x * n_ages] += newborn * e;
                        }
                    }
                }
                continue;
            }
            joint::age_row(&mut st.pop[gi * n_ages..(gi + 1) * n_ages], max, newborn);
            for (bi, b) in k.arm.blocks.iter().enumerate() {
                let size = b.size;
                let e0 = if newborn > 0.0 { Some(self.entry(st, bi, a, 0).to_vec()) } else { None };
                let m = &mut st.mass[bi][gi * size * n_ages..(gi + 1) * size * n_ages];
                // Those about to enter or leave a chain's ages are reset before the shift.
                joint::reset_chain_edges(k, b, m, a);
                for x in 0..size {
                    let nb = e0.as_ref().map_or(0.0, |e| newborn * e[x]);
                    joint::age_row(&mut m[x * n_ages..(x + 1) * n_ages], max, nb);
                }
            }
        }
    }

    /// Record population and chain occupancy at the start or end of year `t`.
    fn snapshot(&self, st: &mut State, t: usize, start: bool) {
        let (model, arm, n_ages) = (self.k.model, self.k.arm, self.n_ages);
        let lay = self.lay;
        let mut sums = vec![];
        for gi in 0..self.n_groups {
            let a = gi / self.sexes;
            let q = st.acc.at(a, t);
            q[if start { accum::POP_START } else { accum::POP_END }] +=
                st.pop[gi * n_ages..(gi + 1) * n_ages].iter().sum::<f64>();
            for (bi, b) in arm.blocks.iter().enumerate() {
                let m = &st.mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                // One pass over the block per distinct age range of the chains read from it.
                let mut range = (usize::MAX, 0);
                for (c, ch) in model.chains.iter().enumerate() {
                    if arm.home[c] != bi {
                        continue;
                    }
                    if range != (ch.age_lo, ch.age_hi) {
                        range = (ch.age_lo, ch.age_hi);
                        sums.clear();
                        sums.extend(
                            (0..b.size).map(|x| m[x * n_ages + range.0..x * n_ages + range.1 + 1].iter().sum::<f64>()),
                        );
                    }
                    let p = b.pos_of[c];
                    let off = if start { lay.occ_start[c] } else { lay.occ_end[c] };
                    for (x, &v) in sums.iter().enumerate() {
                        q[off + b.state(x, p)] += v;
                    }
                }
            }
        }
    }
}
