//! One block's simulation year by year (the hot kernel): participation,
//! exposure and chain steps, deaths and migration, births and ageing.
//!
//! Every step is `#[inline(always)]`: `simulate_block` is compiled once per
//! instruction set (AVX-512, AVX2, portable), and only code inlined into it is
//! compiled for that instruction set.

use super::occupied::Occupied;
use super::population::{PopRecord, Population};
use super::rowsum::row_sums;
use super::setup::{BlockSetup, Entries};
use super::step::{run_steps, shift_up, StepSpan};
use super::BlockOut;
use crate::sim::accum::Acc;
use crate::sim::joint;
use crate::sim::plan::Dim;
use ndarray::Axis;

/// Scratch buffers reused every year.
struct Buffers {
    /// Row sums, one per joint state.
    sums: Vec<f64>,
    /// For chain steps of more states than the fixed-size kernels cover.
    scratch: Vec<f64>,
    /// Mass in death states per age.
    col: Vec<f64>,
    /// Share surviving background mortality per age.
    survive: Vec<f64>,
    /// Ages with arrivals (and nobody leaving).
    arrival_ages: Vec<usize>,
}

/// What changes over the years of one block's simulation.
pub(super) struct BlockState {
    acc: Acc,
    /// `[group][joint state][age]`, groups of areas not simulated left at zero.
    mass: Vec<f64>,
    /// Participation share per year of the exposures whose home this block is.
    shares: Vec<(usize, Vec<f64>)>,
    /// The population record this block builds when it keeps the population.
    own_rec: PopRecord,
    population: Option<Population>,
    entries: Entries,
    /// Entry distributions `[joint state][age]` per area, for arrivals.
    entry_cols: Vec<Option<Vec<f64>>>,
    buf: Buffers,
    /// Multiply-adds of the chain steps.
    madds: u64,
    /// Participation shares per year by exposure index in the arm.
    f_hist: Vec<Vec<f64>>,
    /// `live_now[xi * max_ne + j]`: whether state `j` of exposure `xi` can hold anybody this year.
    live_now: Vec<bool>,
    /// Per run, the joint states that can hold anybody this year.
    live_x: Vec<Vec<bool>>,
}

/// The numbers of one year that every group uses.
struct YearCoef {
    /// Per exposure of the block: nobody joins and nobody is exposed yet, so
    /// its step is the identity.
    quiet: Vec<bool>,
    /// Per exposure of the block, its step as a linear map `[from][to]`: with
    /// joining (in the target group) and without.
    coef: Vec<[Vec<f64>; 2]>,
}

/// One group (area × sex) in one year.
#[derive(Clone, Copy)]
struct Cell {
    t: usize,
    gi: usize,
    a: usize,
    sex: usize,
    /// The group's occupied ages this year.
    occ: Occupied,
}

impl BlockState {
    /// The start population (each chain's initial distribution,
    /// independently) and empty records.
    pub(super) fn new(s: &BlockSetup<'_>) -> Self {
        let (d, k, b) = (s.d, s.k, s.b);
        let model = d.model;
        let horizon = model.settings.horizon;
        let (n_ages, size) = (s.n_ages, s.size);
        let mut entries = Entries::new(s.n_areas, n_ages);
        let mut mass = vec![0.0; s.n_groups * size * n_ages];
        for &gi in &s.groups {
            let (a, sex) = (gi / s.sexes, gi % s.sexes);
            for age in 0..n_ages {
                let n = model.areas[a].population[sex][age];
                if n == 0.0 {
                    continue;
                }
                let e = entries.get(k, b, a, age);
                let m = &mut mass[gi * size * n_ages..(gi + 1) * size * n_ages];
                for x in 0..size {
                    m[x * n_ages + age] = n * e[x];
                }
            }
        }
        let shares = b
            .exposures
            .iter()
            .filter(|&&pe| s.is_home(pe))
            .map(|&pe| (k.arm.interventions[s.exposure(pe)], Vec::with_capacity(horizon)))
            .collect();
        BlockState {
            acc: Acc::new(s.n_areas, horizon, d.lay),
            mass,
            shares,
            own_rec: PopRecord { keep: Vec::new(), births: Vec::new() },
            population: s.owner.then(|| Population::new(model)),
            entries,
            entry_cols: vec![None; s.n_areas],
            buf: Buffers {
                sums: vec![0.0; size],
                scratch: Vec::new(),
                col: vec![0.0; n_ages],
                survive: vec![0.0; n_ages],
                arrival_ages: Vec::with_capacity(n_ages),
            },
            madds: 0,
            f_hist: vec![Vec::with_capacity(horizon); k.arm.interventions.len()],
            live_now: vec![true; b.exposures.len() * s.max_ne],
            live_x: s.possible.clone(),
        }
    }

    /// Simulate every year, then take the areas not simulated from the neutral block.
    #[inline(always)]
    pub(super) fn run(mut self, s: &BlockSetup<'_>) -> BlockOut {
        for t in 0..s.d.model.settings.horizon {
            self.year(s, t);
        }
        for (a, src) in s.borrowed.iter().enumerate() {
            if let Some(o) = src {
                self.acc.view_mut().index_axis_mut(Axis(0), a).assign(&o.acc.view().index_axis(Axis(0), a));
            }
        }
        let pop = s.owner.then_some(self.own_rec);
        BlockOut { acc: self.acc, shares: self.shares, pop, madds: self.madds }
    }

    /// One year of the cycle (see [`crate::sim`]).
    #[inline(always)]
    fn year(&mut self, s: &BlockSetup<'_>, t: usize) {
        if let Some(p) = &self.population {
            p.start(s.d, t, &mut self.acc);
        }
        self.snapshot(s, t, true);
        let y = self.year_coefficients(s, t);
        for &gi in &s.groups {
            let occ = s.d.occupied[t * s.n_groups + gi];
            let cell = Cell { t, gi, a: gi / s.sexes, sex: gi % s.sexes, occ };
            // 1. Exposures, 2. chain transitions, 3. deaths, 4. migration.
            self.exposure_step(s, &y, cell);
            self.chain_step(s, cell);
            self.death_states(s, cell);
            if let Some(p) = self.population.as_mut() {
                let dead = s.deaths.then_some(&self.buf.col[..]);
                p.deaths_and_migration(s.d, t, gi, dead, &mut self.acc, &mut self.own_rec);
            }
            self.survival_and_migration(s, cell);
        }
        if let Some(p) = &self.population {
            p.end(s.d, t, &mut self.acc);
        }
        self.snapshot(s, t, false);
        // 5. Births and ageing.
        self.births_and_ageing(s, t);
    }

    /// The participation shares of the year, which exposure states can hold
    /// anybody, and the exposure steps.
    #[inline(always)]
    fn year_coefficients(&mut self, s: &BlockSetup<'_>, t: usize) -> YearCoef {
        let (k, b) = (s.k, s.b);
        let f = self.participation(s, t);
        let quiet = self.liveness(s, t, &f);
        // Exposure steps as linear maps `[from][to]`: with joining (in the
        // target group) and without.
        let coef = b
            .exposures
            .iter()
            .map(|&pe| {
                let e = s.exposure(pe);
                let ne = b.sizes[pe];
                let coef = |fx: f64| {
                    let mut c = vec![0.0; ne * ne];
                    for ex in 0..ne {
                        if fx > 0.0 {
                            c[ex * ne + 1] = fx;
                        }
                        // Joining is state 1, and no state progresses into 1, so
                        // no entry holds two terms.
                        c[ex * ne + k.progress(e, ex)] = 1.0 - fx;
                    }
                    c
                };
                [coef(f[e]), coef(0.0)]
            })
            .collect();
        YearCoef { quiet, coef }
    }

    /// Participation shares from the target groups at the start of the year
    /// (recorded for exposures whose home this block is, read for the others).
    #[inline(always)]
    fn participation(&mut self, s: &BlockSetup<'_>, t: usize) -> Vec<f64> {
        let (k, b) = (s.k, s.b);
        let year = s.d.model.settings.calendar_year(t);
        let mut f = vec![0.0; k.arm.interventions.len()];
        for (xi, &pe) in b.exposures.iter().enumerate() {
            let e = s.exposure(pe);
            f[e] = match s.f_from[e] {
                Some(v) => v[t],
                None => {
                    // Outside its years the share is 0 whatever the target group.
                    let iv = k.arm.interventions[e];
                    let active = s.d.model.interventions[iv].active_in(year);
                    let target = if active { self.target_group(s, xi) } else { 0.0 };
                    let fe = k.participation(e, year, target);
                    self.shares.iter_mut().find(|(i, _)| *i == iv).expect("home exposure").1.push(fe);
                    fe
                }
            };
        }
        f
    }

    /// The number of people in the target group of the block's exposure `xi`.
    #[inline(always)]
    fn target_group(&self, s: &BlockSetup<'_>, xi: usize) -> f64 {
        let (n_ages, size, runs) = (s.n_ages, s.size, s.runs);
        let mut target = 0.0;
        for gi in 0..s.n_groups {
            if !s.simulate[gi / s.sexes] {
                continue; // not reached by the intervention: nobody in its target group
            }
            let a = gi / s.sexes;
            let m = &self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            for (ri, &(lo, hi)) in runs.iter().enumerate() {
                let tx = &s.target_x[(xi * runs.len() + ri) * s.n_areas + a];
                for x in (0..size).filter(|&x| tx[x]) {
                    target += m[x * n_ages + lo..x * n_ages + hi].iter().sum::<f64>();
                }
            }
        }
        target
    }

    /// Which exposure states can hold anybody: state j ≥ 1 only if someone
    /// joined j − 1 years ago (the share was positive then). Before this
    /// year's exposure step the states are last year's. Returns per exposure
    /// of the block whether its step is the identity.
    #[inline(always)]
    fn liveness(&mut self, s: &BlockSetup<'_>, t: usize, f: &[f64]) -> Vec<bool> {
        let b = s.b;
        let max_ne = s.max_ne;
        let mut quiet = vec![false; b.exposures.len()];
        for (xi, &pe) in b.exposures.iter().enumerate() {
            let e = s.exposure(pe);
            self.f_hist[e].push(f[e]);
            let h = &self.f_hist[e];
            let live = |after: usize, j: usize| j == 0 || (after + 1 >= j && h[after + 1 - j] > 0.0);
            for j in 0..b.sizes[pe] {
                self.live_now[xi * max_ne + j] = live(t, j);
            }
            // Nobody joins and nobody is exposed yet: the step is the identity.
            let joins = f[e] > 0.0;
            quiet[xi] = !joins && (1..b.sizes[pe]).all(|j| t == 0 || !live(t - 1, j));
        }
        let live_now = &self.live_now;
        for (ri, pr) in s.possible.iter().enumerate() {
            for x in 0..s.size {
                self.live_x[ri][x] =
                    pr[x] && b.exposures.iter().enumerate().all(|(xi, &pe)| live_now[xi * max_ne + b.state(x, pe)]);
            }
        }
        quiet
    }

    /// Step 1: exposures: join this year, or move one year further from participation.
    #[inline(always)]
    fn exposure_step(&mut self, s: &BlockSetup<'_>, y: &YearCoef, cell: Cell) {
        let (b, runs, n_ages, size) = (s.b, s.runs, s.n_ages, s.size);
        let Cell { t, gi, a, occ, .. } = cell;
        let q = self.acc.at(a, t);
        let m = &mut self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
        for (xi, &pe) in b.exposures.iter().enumerate() {
            let (join, rest) = (&y.coef[xi][0], &y.coef[xi][1]);
            let bases = &b.bases[pe];
            for (ri, &(lo0, hi0)) in runs.iter().enumerate() {
                if y.quiet[xi] {
                    break;
                }
                let (lo, hi) = occ.clip(lo0, hi0);
                if lo >= hi {
                    continue;
                }
                let target = &s.target_x[(xi * runs.len() + ri) * s.n_areas + a];
                let span = StepSpan {
                    bases,
                    possible: &s.possible[ri],
                    n: b.sizes[pe],
                    n_ages,
                    stride: b.strides[pe] * n_ages,
                    lo,
                    len: hi - lo,
                };
                run_steps(m, &span, &mut self.buf.scratch, |bn| {
                    if target[bases[bn]] {
                        join.as_slice()
                    } else {
                        rest.as_slice()
                    }
                });
            }
            if s.is_home(pe) {
                let iv = s.k.arm.interventions[s.exposure(pe)];
                let (lo, hi) = occ.clip(0, n_ages);
                for x in (0..size).filter(|&x| b.state(x, pe) == 1) {
                    q[s.d.lay.participants + iv] += m[x * n_ages + lo..x * n_ages + hi].iter().sum::<f64>();
                }
            }
        }
    }

    /// Step 2: chain transitions, children before parents; flows of home chains are
    /// counted from the start-of-step mass.
    #[inline(always)]
    fn chain_step(&mut self, s: &BlockSetup<'_>, cell: Cell) {
        let (b, runs, n_ages, size) = (s.b, s.runs, s.n_ages, s.size);
        let Cell { t, gi, a, sex, occ } = cell;
        let model = s.d.model;
        let lay = s.d.lay;
        let q = self.acc.at(a, t);
        let m = &mut self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
        let sums = &mut self.buf.sums;
        for (ci, &pc) in b.chain_order.iter().enumerate() {
            let Dim::Chain(c) = s.k.arm.dims[b.dims[pc]] else { unreachable!("chain position") };
            let ch = &model.chains[c];
            let home = s.is_home(pc);
            let stride = b.strides[pc];
            let n = b.sizes[pc];
            for (ri, &(lo0, hi0)) in runs.iter().enumerate() {
                if !ch.in_range(lo0) {
                    continue; // outside the chain's ages nothing moves
                }
                let (lo, hi) = occ.clip(lo0, hi0);
                if lo >= hi {
                    continue;
                }
                let table = s.table(ci, c, ri, a, sex, t);
                let live = &self.live_x[ri];
                if home {
                    row_sums(m, n_ages, size, lo, hi, sums);
                    for (bn, &base) in b.bases[pc].iter().enumerate() {
                        if !live[base] {
                            continue;
                        }
                        let p = &table[bn * n * n..(bn + 1) * n * n];
                        for from in 0..n {
                            let total = sums[base + from * stride];
                            if total == 0.0 {
                                continue;
                            }
                            joint::count_flows(ch, lay, c, from, total, &p[from * n..(from + 1) * n], q);
                        }
                    }
                }
                let span = StepSpan {
                    bases: &b.bases[pc],
                    possible: live,
                    n,
                    n_ages,
                    stride: stride * n_ages,
                    lo,
                    len: hi - lo,
                };
                self.madds += run_steps(m, &span, &mut self.buf.scratch, |bn| &table[bn * n * n..(bn + 1) * n * n]);
            }
        }
    }

    /// Step 3: death states: counted by the block that keeps the population (into
    /// `buf.col` per age), emptied in every block.
    #[inline(always)]
    fn death_states(&mut self, s: &BlockSetup<'_>, cell: Cell) {
        if !s.deaths {
            return;
        }
        let (n_ages, size) = (s.n_ages, s.size);
        let Cell { t, gi, a, .. } = cell;
        let m = &mut self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
        if s.owner {
            s.death.count(s.d.model, s.d.lay, s.b, m, self.acc.at(a, t), &mut self.buf.col);
        }
        for x in (0..size).filter(|&x| s.death.dead[x]) {
            m[x * n_ages..(x + 1) * n_ages].fill(0.0);
        }
    }

    /// Steps 3–4: background mortality, then net migration: one pass of shares kept
    /// over every age, then arrivals at the few ages that have them.
    #[inline(always)]
    fn survival_and_migration(&mut self, s: &BlockSetup<'_>, cell: Cell) {
        let (n_ages, size) = (s.n_ages, s.size);
        let Cell { t, gi, a, sex, occ } = cell;
        let vals = s.k.vals;
        let m = &mut self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
        let qd = &vals.areas[a].q[sex];
        let mortality = qd.iter().any(|&x| x > 0.0);
        let rec = s.follow.unwrap_or(&self.own_rec);
        let keep = &rec.keep[(t * s.n_groups + gi) * n_ages..(t * s.n_groups + gi + 1) * n_ages];
        let nm = &vals.areas[a].migration[sex];
        let (lo, hi) = occ.clip(0, n_ages);
        let Buffers { survive, arrival_ages, .. } = &mut self.buf;
        arrival_ages.clear();
        for age in lo..hi {
            survive[age] = if mortality { 1.0 - qd[age] } else { 1.0 };
            if keep[age] == 1.0 && nm[age] > 0.0 {
                arrival_ages.push(age);
            }
        }
        // Shares kept: survival, then (where people leave) emigration, each
        // a multiplication of its own, in that order.
        for x in 0..size {
            let row = &mut m[x * n_ages + lo..x * n_ages + hi];
            if mortality {
                for ((v, &sv), &kp) in row.iter_mut().zip(&survive[lo..hi]).zip(&keep[lo..hi]) {
                    *v = *v * sv * kp;
                }
            } else {
                for (v, &kp) in row.iter_mut().zip(&keep[lo..hi]) {
                    *v *= kp;
                }
            }
        }
        // Arrivals (where nobody leaves), with the entry distribution.
        if !arrival_ages.is_empty() {
            let entries = &mut self.entries;
            let ent = self.entry_cols[a].get_or_insert_with(|| {
                let mut t = vec![0.0; size * n_ages];
                for age in 0..n_ages {
                    for (x, &v) in entries.get(s.k, s.b, a, age).iter().enumerate() {
                        t[x * n_ages + age] = v;
                    }
                }
                t
            });
            for x in 0..size {
                for &age in arrival_ages.iter() {
                    m[x * n_ages + age] += nm[age] * ent[x * n_ages + age];
                }
            }
        }
    }

    /// Step 5: births (from the end-of-year population) and ageing; those about to
    /// enter or leave a chain's ages are reset before the shift. In a cycle
    /// that does not complete a year nobody ages and newborns join age 0.
    #[inline(always)]
    fn births_and_ageing(&mut self, s: &BlockSetup<'_>, t: usize) {
        let (n_ages, size) = (s.n_ages, s.size);
        let ages = s.d.model.settings.ages_after(t);
        if let Some(p) = self.population.as_mut() {
            p.births_and_ageing(s.d, t, &mut self.acc, &mut self.own_rec);
        }
        let rec = s.follow.unwrap_or(&self.own_rec);
        for &gi in &s.groups {
            let a = gi / s.sexes;
            let births = rec.births[t * s.n_groups + gi];
            let occ = s.d.occupied[t * s.n_groups + gi]; // before ageing
            let e0 = if births > 0.0 { Some(self.entries.get(s.k, s.b, a, 0).to_vec()) } else { None };
            let m = &mut self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            if !ages {
                if let Some(e) = &e0 {
                    for x in 0..size {
                        m[x * n_ages] += births * e[x];
                    }
                }
                continue;
            }
            joint::reset_chain_edges(s.k, s.b, m, a);
            for x in 0..size {
                let newborn = e0.as_ref().map_or(0.0, |e| births * e[x]);
                shift_up(&mut m[x * n_ages..(x + 1) * n_ages], s.max, occ, newborn);
            }
        }
    }

    /// Record chain occupancy of the block's home chains at the start or end of year `t`.
    #[inline(always)]
    fn snapshot(&mut self, s: &BlockSetup<'_>, t: usize, start: bool) {
        let (b, n_ages, size) = (s.b, s.n_ages, s.size);
        let model = s.d.model;
        let lay = s.d.lay;
        for &gi in &s.groups {
            let a = gi / s.sexes;
            let occ = s.d.occupied[t * s.n_groups + gi];
            let q = self.acc.at(a, t);
            let m = &self.mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            // One pass over the block per distinct age range of the chains read from it.
            let mut range = (usize::MAX, 0);
            for &c in &s.home_chains {
                let ch = &model.chains[c];
                if range != (ch.age_lo, ch.age_hi) {
                    range = (ch.age_lo, ch.age_hi);
                    let (lo, hi) = occ.clip(range.0, range.1 + 1);
                    row_sums(m, n_ages, size, lo, hi, &mut self.buf.sums);
                }
                let p = b.pos_of[c];
                let off = if start { lay.occ_start[c] } else { lay.occ_end[c] };
                for (x, &v) in self.buf.sums.iter().enumerate() {
                    q[off + b.state(x, p)] += v;
                }
            }
        }
    }
}
