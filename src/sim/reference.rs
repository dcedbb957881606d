//! The reference cohort engine: the straightforward arm-by-arm version of
//! [`super::cohort`] (zeroed scratch buffers, every block of every arm
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
use super::plan::{Block, Dim};
use super::realise::BirthVals;
use super::{Kernel, Warnings};

/// `out[i] += a * x[i]`, written so the compiler vectorises it.
#[inline]
fn axpy(out: &mut [f64], x: &[f64], a: f64) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o += a * v;
    }
}

struct Grid<'k, 'a> {
    k: &'k Kernel<'a>,
    n_ages: usize,
    sexes: usize,
    /// Entry distributions per (area, age), computed on first use.
    entry: Vec<Vec<Option<Vec<f64>>>>,
}

impl Grid<'_, '_> {
    /// Joint distribution of someone entering block `bi` at (area, age): each
    /// chain's initial row (independently), exposures "not exposed".
    fn entry(&mut self, bi: usize, area: usize, age: usize) -> &[f64] {
        let k = self.k;
        let n_ages = self.n_ages;
        let slot = &mut self.entry[bi][area * n_ages + age];
        slot.get_or_insert_with(|| {
            let b = &k.arm.blocks[bi];
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
        })
    }
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

/// Simulate one arm over the horizon; returns the raw counts.
pub fn simulate_arm(k: &Kernel<'_>, runs: &[(usize, usize)], lay: &AccLayout, w: &mut Warnings) -> Acc {
    let model = k.model;
    let s = &model.settings;
    let n_ages = s.n_ages();
    let max = s.max_age;
    let sexes = model.sexes;
    let n_areas = model.areas.len();
    let n_groups = n_areas * sexes;
    let arm = k.arm;
    let blocks = &arm.blocks;
    let mut g = Grid { k, n_ages, sexes, entry: blocks.iter().map(|_| vec![None; n_areas * n_ages]).collect() };
    let mut acc = Acc::new(n_areas, s.horizon, lay);

    // Start population: each chain's initial distribution, independently.
    let mut pop = vec![0.0; n_groups * n_ages];
    let mut mass: Vec<Vec<f64>> = blocks.iter().map(|b| vec![0.0; n_groups * b.size * n_ages]).collect();
    for a in 0..n_areas {
        for sex in 0..sexes {
            let gi = a * sexes + sex;
            for age in 0..n_ages {
                let n = model.areas[a].population[sex][age];
                pop[gi * n_ages + age] = n;
                if n == 0.0 {
                    continue;
                }
                for bi in 0..blocks.len() {
                    let size = blocks[bi].size;
                    let e = g.entry(bi, a, age).to_vec();
                    let m = &mut mass[bi][gi * size * n_ages..(gi + 1) * size * n_ages];
                    for x in 0..size {
                        m[x * n_ages + age] = n * e[x];
                    }
                }
            }
        }
    }

    let max_size = blocks.iter().map(|b| b.size).max().unwrap_or(1);
    let mut scratch = vec![0.0; max_size * n_ages];
    let n_expo = arm.interventions.len();
    let death_chains: Vec<usize> = (0..model.chains.len()).filter(|&c| model.chains[c].has_death()).collect();
    // Joint states in which someone has died, per block.
    let dead: Vec<Vec<bool>> = blocks
        .iter()
        .map(|b| {
            (0..b.size)
                .map(|x| death_chains.iter().any(|&dc| model.chains[dc].death[b.state(x, b.pos_of[dc])]))
                .collect()
        })
        .collect();
    let mut col = vec![0.0; n_ages];
    // The context of every chain row (which risk factors and exposures apply)
    // depends only on the joint state and the age run: `contexts[block][pos][run][base]`.
    let contexts: Vec<Vec<Vec<Vec<usize>>>> = blocks
        .iter()
        .map(|b| {
            (0..b.dims.len())
                .map(|p| match arm.dims[b.dims[p]] {
                    Dim::Chain(c) => runs
                        .iter()
                        .map(|&(lo, _)| {
                            b.bases[p]
                                .iter()
                                .map(|&base| {
                                    let st = |d: usize| b.state(base, b.pos_of[d]);
                                    k.context(c, lo, &st, &|e| st(arm.exposure_dim(e)))
                                })
                                .collect()
                        })
                        .collect(),
                    Dim::Exposure(_) => vec![],
                })
                .collect()
        })
        .collect();

    for t in 0..s.horizon {
        let year = s.start_year + t as i32;
        snapshot(&g, &pop, &mass, &mut acc, lay, t, true);

        // 1. Participation shares from the target groups at the start of the year.
        let mut f = vec![0.0; n_expo];
        for (e, fe) in f.iter_mut().enumerate() {
            let bi = arm.home[arm.exposure_dim(e)];
            let b = &blocks[bi];
            let mut target = 0.0;
            for gi in 0..n_groups {
                let a = gi / sexes;
                let m = &mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                for &(lo, hi) in runs {
                    for x in 0..b.size {
                        if k.in_target(e, a, lo, &|ch| b.state(x, b.pos_of[ch])) {
                            target += m[x * n_ages + lo..x * n_ages + hi].iter().sum::<f64>();
                        }
                    }
                }
            }
            *fe = k.participation(e, year, target);
        }

        for gi in 0..n_groups {
            let (a, sex) = (gi / sexes, gi % sexes);
            let q = acc.at(a, t);
            for (bi, b) in blocks.iter().enumerate() {
                // Each step reads `m` and writes `nw`, then the two swap roles;
                // after an odd number of steps the result is copied back once.
                let mut m: &mut [f64] = &mut mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                let mut nw: &mut [f64] = &mut scratch[..b.size * n_ages];
                let mut steps = 0;
                // 1. Exposures: join this year, or move one year further from participation.
                for &pe in &b.exposures {
                    let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
                    let stride = b.strides[pe];
                    nw.fill(0.0);
                    for &(lo, hi) in runs {
                        for &base in &b.bases[pe] {
                            let fx = if f[e] > 0.0 && k.in_target(e, a, lo, &|ch| b.state(base, b.pos_of[ch])) {
                                f[e]
                            } else {
                                0.0
                            };
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
                    std::mem::swap(&mut m, &mut nw);
                    steps += 1;
                    if arm.home[b.dims[pe]] == bi {
                        let iv = arm.interventions[e];
                        for x in (0..b.size).filter(|&x| b.state(x, pe) == 1) {
                            q[lay.participants + iv] += m[x * n_ages..(x + 1) * n_ages].iter().sum::<f64>();
                        }
                    }
                }
                // 2. Chain transitions, children before parents.
                for &pc in &b.chain_order {
                    let Dim::Chain(c) = arm.dims[b.dims[pc]] else { unreachable!("chain position") };
                    let ch = &model.chains[c];
                    let home = arm.home[b.dims[pc]] == bi;
                    let stride = b.strides[pc];
                    let n = b.sizes[pc];
                    nw.fill(0.0);
                    for (ri, &(lo, hi)) in runs.iter().enumerate() {
                        if !ch.in_range(lo) {
                            for x in 0..b.size {
                                nw[x * n_ages + lo..x * n_ages + hi]
                                    .copy_from_slice(&m[x * n_ages + lo..x * n_ages + hi]);
                            }
                            continue;
                        }
                        let mi = k.matrix(c, a, lo);
                        let ctxs = &contexts[bi][pc][ri];
                        for (bn, &base) in b.bases[pc].iter().enumerate() {
                            let ctx = ctxs[bn];
                            for from in 0..n {
                                let src_off = (base + from * stride) * n_ages;
                                let src = &m[src_off + lo..src_off + hi];
                                // Many joint states are empty at these ages (a chain
                                // outside its range holds everyone in state 0).
                                if src.iter().all(|&v| v == 0.0) {
                                    continue;
                                }
                                let total: f64 = if home { src.iter().sum() } else { 0.0 };
                                let r = k.cached_row(c, mi, ctx, from);
                                for (to, &p) in r.iter().enumerate() {
                                    if p == 0.0 {
                                        continue;
                                    }
                                    let dst = (base + to * stride) * n_ages;
                                    axpy(&mut nw[dst + lo..dst + hi], src, p);
                                    if home && to != from {
                                        let flow = total * p;
                                        q[lay.entries[c] + to] += flow;
                                        if from == ch.rest_state {
                                            q[lay.starts[c]] += flow;
                                        }
                                    }
                                }
                                if home {
                                    for (kk, tc) in ch.transition_costs.iter().enumerate() {
                                        if tc.from == from {
                                            q[lay.tc[c] + kk] += total * r[tc.to];
                                        }
                                    }
                                }
                            }
                        }
                    }
                    std::mem::swap(&mut m, &mut nw);
                    steps += 1;
                }
                if steps % 2 == 1 {
                    nw.copy_from_slice(m);
                }
            }

            // 3. Deaths: death states (counted in the death block), then background mortality.
            let p = &mut pop[gi * n_ages..(gi + 1) * n_ages];
            if let Some(rb) = arm.death_block {
                let b = &blocks[rb];
                let m = &mass[rb][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                col.fill(0.0);
                for x in (0..b.size).filter(|&x| dead[rb][x]) {
                    let v = &m[x * n_ages..(x + 1) * n_ages];
                    let sum: f64 = v.iter().sum();
                    for &dc in &death_chains {
                        if model.chains[dc].death[b.state(x, b.pos_of[dc])] {
                            q[lay.chain_deaths[dc]] += sum;
                        }
                    }
                    axpy(&mut col, v, 1.0);
                }
                for (pa, &d) in p.iter_mut().zip(&col) {
                    q[accum::DEATHS] += d;
                    *pa = (*pa - d).max(0.0);
                }
                for (bi, b) in blocks.iter().enumerate() {
                    let m = &mut mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                    for x in (0..b.size).filter(|&x| dead[bi][x]) {
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
                    let m = &mut mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                    for x in 0..b.size {
                        for (v, &qa) in m[x * n_ages..(x + 1) * n_ages].iter_mut().zip(qd) {
                            *v *= 1.0 - qa;
                        }
                    }
                }
            }

            // 4. Net migration.
            let nm = &k.vals.areas[a].migration[sex];
            for age in 0..n_ages {
                let (v, pa) = (nm[age], p[age]);
                if v < 0.0 && pa > 0.0 {
                    let frac = (-v / pa).min(1.0);
                    q[accum::DEPARTURES] += frac * pa;
                    p[age] = pa * (1.0 - frac);
                    for (bi, b) in blocks.iter().enumerate() {
                        let m = &mut mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
                        for x in 0..b.size {
                            m[x * n_ages + age] *= 1.0 - frac;
                        }
                    }
                } else if v > 0.0 {
                    q[accum::ARRIVALS] += v;
                    p[age] += v;
                    for bi in 0..blocks.len() {
                        let size = blocks[bi].size;
                        let e = g.entry(bi, a, age);
                        let m = &mut mass[bi][gi * size * n_ages..(gi + 1) * size * n_ages];
                        for (x, &ex) in e.iter().enumerate() {
                            m[x * n_ages + age] += v * ex;
                        }
                    }
                }
            }
        }
        snapshot(&g, &pop, &mass, &mut acc, lay, t, false);
        w.work_units += (n_groups * n_ages) as u64;

        // 5. Births (from the end-of-year population) and ageing.
        let mut births = vec![0.0; n_groups];
        for a in 0..n_areas {
            let total = match &k.vals.areas[a].births {
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
                births[a * 2] = total * male;
                births[a * 2 + 1] = total * (1.0 - male);
            } else {
                births[a] = total;
            }
        }
        for gi in 0..n_groups {
            let a = gi / sexes;
            let p = &mut pop[gi * n_ages..(gi + 1) * n_ages];
            shift_up(p, max, births[gi]);
            for bi in 0..blocks.len() {
                let b = &blocks[bi];
                let size = b.size;
                let e0 = if births[gi] > 0.0 { Some(g.entry(bi, a, 0).to_vec()) } else { None };
                let m = &mut mass[bi][gi * size * n_ages..(gi + 1) * size * n_ages];
                // Those about to enter or leave a chain's ages are reset before the shift.
                for (pos, &d) in b.dims.iter().enumerate() {
                    if let Dim::Chain(c) = arm.dims[d] {
                        let ch = &model.chains[c];
                        if ch.age_lo >= 1 {
                            let row = &k.vals.chains[c].initial[ch.initial_for[a * n_ages + ch.age_lo] as usize];
                            reset_column(b, pos, m, n_ages, ch.age_lo - 1, Some(row));
                        }
                        if ch.age_hi < max {
                            reset_column(b, pos, m, n_ages, ch.age_hi, None);
                        }
                    }
                }
                for x in 0..size {
                    let newborn = e0.as_ref().map_or(0.0, |e| births[gi] * e[x]);
                    shift_up(&mut m[x * n_ages..(x + 1) * n_ages], max, newborn);
                }
            }
        }
    }
    acc
}

/// Age a row by one year: the last age is open-ended; `newborn` enters age 0.
fn shift_up(v: &mut [f64], max: usize, newborn: f64) {
    v[max] += v[max - 1];
    v.copy_within(0..max - 1, 1);
    v[0] = newborn;
}

/// Record population and chain occupancy at the start or end of year `t`.
fn snapshot(g: &Grid<'_, '_>, pop: &[f64], mass: &[Vec<f64>], acc: &mut Acc, lay: &AccLayout, t: usize, start: bool) {
    let k = g.k;
    let model = k.model;
    let arm = k.arm;
    let n_ages = g.n_ages;
    let mut sums = vec![];
    for gi in 0..model.areas.len() * g.sexes {
        let a = gi / g.sexes;
        let q = acc.at(a, t);
        q[if start { accum::POP_START } else { accum::POP_END }] +=
            pop[gi * n_ages..(gi + 1) * n_ages].iter().sum::<f64>();
        for (bi, b) in arm.blocks.iter().enumerate() {
            let m = &mass[bi][gi * b.size * n_ages..(gi + 1) * b.size * n_ages];
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
