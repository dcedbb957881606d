//! Cohort mode: expected (fractional) numbers of people per cell
//! (area × sex × age), with each [`Block`]'s joint distribution over its chains
//! and exposures.

use super::accum::{self, Acc, AccLayout};
use super::plan::{Block, Dim};
use super::realise::BirthVals;
use super::{Kernel, Warnings};

/// Mass of every block in every cell.
struct State {
    /// People per cell, `[cell]` with cell = (area * sexes + sex) * n_ages + age.
    pop: Vec<f64>,
    /// `mass[block][cell * size + joint]`.
    mass: Vec<Vec<f64>>,
}

struct Ctx<'k, 'a> {
    k: &'k Kernel<'a>,
    n_ages: usize,
    sexes: usize,
}

impl Ctx<'_, '_> {
    fn cell(&self, area: usize, sex: usize, age: usize) -> usize {
        (area * self.sexes + sex) * self.n_ages + age
    }

    fn blocks(&self) -> &[Block] {
        &self.k.arm.blocks
    }

    /// Joint distribution of someone entering at (area, age): each chain's
    /// initial row (independently), exposures "not exposed".
    fn entry(&self, b: &Block, area: usize, age: usize, out: &mut [f64]) {
        out.fill(0.0);
        out[0] = 1.0;
        let mut filled = 1;
        for (p, &d) in b.dims.iter().enumerate() {
            let row: Option<&[f64]> = match self.k.arm.dims[d] {
                Dim::Chain(c) => {
                    let ch = &self.k.model.chains[c];
                    if ch.in_range(age) {
                        let i = ch.initial_for[area * self.n_ages + age] as usize;
                        Some(&self.k.vals.chains[c].initial[i])
                    } else {
                        None
                    }
                }
                Dim::Exposure(_) => None,
            };
            let stride = b.strides[p];
            // Members fill the joint index first-fastest: extend from `filled` entries.
            if let Some(row) = row {
                for s in (0..b.sizes[p]).rev() {
                    for x in 0..filled {
                        out[s * stride + x] = out[x] * row[s];
                    }
                }
            }
            filled *= b.sizes[p];
        }
    }
}

/// Replace chain member `pos` of a block's joint vector by `row`
/// (independently of the other members), or collapse it into state 0 when `row` is None.
fn reset_member(b: &Block, pos: usize, m: &mut [f64], row: Option<&[f64]>) {
    let stride = b.strides[pos];
    let n = b.sizes[pos];
    for base in 0..b.size {
        if b.state(base, pos) != 0 {
            continue;
        }
        let total: f64 = (0..n).map(|s| m[base + s * stride]).sum();
        for s in 0..n {
            m[base + s * stride] = match row {
                Some(r) => total * r[s],
                None => {
                    if s == 0 {
                        total
                    } else {
                        0.0
                    }
                }
            };
        }
    }
}

/// Simulate one arm over the horizon; returns the raw counts.
pub fn simulate_arm(k: &Kernel<'_>, lay: &AccLayout, w: &mut Warnings) -> Acc {
    let model = k.model;
    let s = &model.settings;
    let n_ages = s.n_ages();
    let sexes = model.sexes;
    let n_areas = model.areas.len();
    let n_cells = n_areas * sexes * n_ages;
    let ctx = Ctx { k, n_ages, sexes };
    let blocks = ctx.blocks();
    let arm = k.arm;
    let mut acc = Acc::new(n_areas, s.horizon, lay);

    // Start population: each chain's initial distribution, independently.
    let mut st = State { pop: vec![0.0; n_cells], mass: blocks.iter().map(|b| vec![0.0; n_cells * b.size]).collect() };
    for (a, area) in model.areas.iter().enumerate() {
        for sex in 0..sexes {
            for age in 0..n_ages {
                let c = ctx.cell(a, sex, age);
                let n = area.population[sex][age];
                st.pop[c] = n;
                for (bi, b) in blocks.iter().enumerate() {
                    let m = &mut st.mass[bi][c * b.size..(c + 1) * b.size];
                    ctx.entry(b, a, age, m);
                    m.iter_mut().for_each(|x| *x *= n);
                }
            }
        }
    }

    let max_size = blocks.iter().map(|b| b.size).max().unwrap_or(1);
    let mut scratch = vec![0.0; max_size];
    let n_expo = arm.interventions.len();
    let n_chains = model.chains.len();
    let death_chains: Vec<usize> = (0..n_chains).filter(|&c| model.chains[c].has_death()).collect();

    for t in 0..s.horizon {
        let year = s.start_year + t as i32;
        snapshot(&ctx, &st, &mut acc, lay, t, true);

        // 1. Participation shares from the target groups at the start of the year.
        let mut f = vec![0.0; n_expo];
        for (e, fe) in f.iter_mut().enumerate() {
            let d = arm.exposure_dim(e);
            let b = &blocks[arm.home[d]];
            let bi = arm.home[d];
            let mut target = 0.0;
            for a in 0..n_areas {
                for sex in 0..sexes {
                    for age in 0..n_ages {
                        let c = ctx.cell(a, sex, age);
                        let m = &st.mass[bi][c * b.size..(c + 1) * b.size];
                        for (x, &mx) in m.iter().enumerate() {
                            if mx != 0.0 && k.in_target(e, a, age, &|ch| b.state(x, b.pos_of[ch])) {
                                target += mx;
                            }
                        }
                    }
                }
            }
            *fe = k.participation(e, year, target);
        }

        for a in 0..n_areas {
            for sex in 0..sexes {
                for age in 0..n_ages {
                    let c = ctx.cell(a, sex, age);
                    for (bi, b) in blocks.iter().enumerate() {
                        let m = &mut st.mass[bi][c * b.size..(c + 1) * b.size];
                        // 1. Exposures.
                        for &pe in &b.exposures {
                            let e = match arm.dims[b.dims[pe]] {
                                Dim::Exposure(e) => e,
                                Dim::Chain(_) => unreachable!("exposure positions hold exposures"),
                            };
                            let stride = b.strides[pe];
                            let n = b.sizes[pe];
                            let nw = &mut scratch[..b.size];
                            nw.fill(0.0);
                            for &base in &b.bases[pe] {
                                let fx = if f[e] > 0.0 && k.in_target(e, a, age, &|ch| b.state(base, b.pos_of[ch])) {
                                    f[e]
                                } else {
                                    0.0
                                };
                                for ex in 0..n {
                                    let mx = m[base + ex * stride];
                                    if mx == 0.0 {
                                        continue;
                                    }
                                    nw[base + stride] += mx * fx;
                                    nw[base + k.progress(e, ex) * stride] += mx * (1.0 - fx);
                                }
                            }
                            m.copy_from_slice(nw);
                            if arm.home[b.dims[pe]] == bi {
                                let iv = arm.interventions[e];
                                let parts: f64 = (0..b.size).filter(|&x| b.state(x, pe) == 1).map(|x| m[x]).sum();
                                acc.at(a, t)[lay.participants + iv] += parts;
                            }
                        }
                        // 2. Chain transitions, children before parents.
                        for &pc in &b.chain_order {
                            let ch_i = match arm.dims[b.dims[pc]] {
                                Dim::Chain(ch) => ch,
                                Dim::Exposure(_) => unreachable!("chain positions hold chains"),
                            };
                            let ch = &model.chains[ch_i];
                            if !ch.in_range(age) {
                                continue;
                            }
                            let home = arm.home[b.dims[pc]] == bi;
                            let stride = b.strides[pc];
                            let n = b.sizes[pc];
                            let mi = k.matrix(ch_i, a, age);
                            let nw = &mut scratch[..b.size];
                            nw.fill(0.0);
                            let q = acc.at(a, t);
                            for &base in &b.bases[pc] {
                                let st_of = |d: usize| b.state_table[base * b.dims.len() + b.pos_of[d]] as usize;
                                let ctx = k.context(ch_i, age, &st_of, &|e| st_of(arm.exposure_dim(e)));
                                for from in 0..n {
                                    let mx = m[base + from * stride];
                                    if mx == 0.0 {
                                        continue;
                                    }
                                    let r = k.cached_row(ch_i, mi, ctx, from);
                                    for (to, &p) in r.iter().enumerate() {
                                        nw[base + to * stride] += mx * p;
                                    }
                                    if home {
                                        for (to, &p) in r.iter().enumerate() {
                                            if to == from || p == 0.0 {
                                                continue;
                                            }
                                            let flow = mx * p;
                                            q[lay.entries[ch_i] + to] += flow;
                                            if from == ch.rest_state {
                                                q[lay.starts[ch_i]] += flow;
                                            }
                                        }
                                        for (kk, tc) in ch.transition_costs.iter().enumerate() {
                                            if tc.from == from {
                                                q[lay.tc[ch_i] + kk] += mx * r[tc.to];
                                            }
                                        }
                                    }
                                }
                            }
                            m.copy_from_slice(nw);
                        }
                    }

                    // 3. Deaths: death states, then background mortality.
                    if let Some(rb) = arm.death_block {
                        let r = &blocks[rb];
                        let mr = &st.mass[rb][c * r.size..(c + 1) * r.size];
                        let dead_at =
                            |x: usize| death_chains.iter().any(|&dc| model.chains[dc].death[r.state(x, r.pos_of[dc])]);
                        let q = acc.at(a, t);
                        let mut dead_total = 0.0;
                        for x in 0..r.size {
                            if mr[x] == 0.0 {
                                continue;
                            }
                            let mut dead = false;
                            for &dc in &death_chains {
                                if model.chains[dc].death[r.state(x, r.pos_of[dc])] {
                                    q[lay.chain_deaths[dc]] += mr[x];
                                    dead = true;
                                }
                            }
                            if dead {
                                dead_total += mr[x];
                            }
                        }
                        q[accum::DEATHS] += dead_total;
                        // Survival fractions for blocks that lack some death chain.
                        let mut surv: Vec<Option<Vec<f64>>> = vec![None; blocks.len()];
                        for (bi, b) in blocks.iter().enumerate() {
                            if b.has_all_deaths {
                                continue;
                            }
                            let mut tot = vec![0.0; b.size];
                            let mut dead = vec![0.0; b.size];
                            for x in 0..r.size {
                                let y = b.from_death_block[x];
                                tot[y] += mr[x];
                                if dead_at(x) {
                                    dead[y] += mr[x];
                                }
                            }
                            surv[bi] = Some(
                                tot.iter()
                                    .zip(&dead)
                                    .map(|(&tt, &d)| if tt > 0.0 { (1.0 - d / tt).max(0.0) } else { 1.0 })
                                    .collect(),
                            );
                        }
                        for (bi, b) in blocks.iter().enumerate() {
                            let m = &mut st.mass[bi][c * b.size..(c + 1) * b.size];
                            match &surv[bi] {
                                Some(sv) => m.iter_mut().zip(sv).for_each(|(x, s)| *x *= s),
                                None => {
                                    for (x, mx) in m.iter_mut().enumerate() {
                                        if death_chains
                                            .iter()
                                            .any(|&dc| model.chains[dc].death[b.state(x, b.pos_of[dc])])
                                        {
                                            *mx = 0.0;
                                        }
                                    }
                                }
                            }
                        }
                        st.pop[c] = (st.pop[c] - dead_total).max(0.0);
                    }
                    let qd = k.vals.areas[a].q[sex][age];
                    if qd > 0.0 {
                        acc.at(a, t)[accum::DEATHS] += qd * st.pop[c];
                        st.pop[c] *= 1.0 - qd;
                        for (bi, b) in blocks.iter().enumerate() {
                            st.mass[bi][c * b.size..(c + 1) * b.size].iter_mut().for_each(|x| *x *= 1.0 - qd);
                        }
                    }

                    // 4. Net migration.
                    let nm = k.vals.areas[a].migration[sex][age];
                    if nm < 0.0 && st.pop[c] > 0.0 {
                        let frac = (-nm / st.pop[c]).min(1.0);
                        acc.at(a, t)[accum::DEPARTURES] += frac * st.pop[c];
                        st.pop[c] *= 1.0 - frac;
                        for (bi, b) in blocks.iter().enumerate() {
                            st.mass[bi][c * b.size..(c + 1) * b.size].iter_mut().for_each(|x| *x *= 1.0 - frac);
                        }
                    } else if nm > 0.0 {
                        acc.at(a, t)[accum::ARRIVALS] += nm;
                        st.pop[c] += nm;
                        for (bi, b) in blocks.iter().enumerate() {
                            let e = &mut scratch[..b.size];
                            ctx.entry(b, a, age, e);
                            let m = &mut st.mass[bi][c * b.size..(c + 1) * b.size];
                            m.iter_mut().zip(e.iter()).for_each(|(x, &y)| *x += nm * y);
                        }
                    }
                }
            }
        }
        snapshot(&ctx, &st, &mut acc, lay, t, false);
        w.work_units += (n_cells * blocks.len().max(1)) as u64;

        // 5. Births (from the end-of-year population) and ageing.
        let mut births = vec![vec![0.0; sexes]; n_areas];
        for a in 0..n_areas {
            let total = match &k.vals.areas[a].births {
                BirthVals::None => 0.0,
                BirthVals::Crude(r) => {
                    r * (0..sexes)
                        .flat_map(|sx| (0..n_ages).map(move |ag| (sx, ag)))
                        .map(|(sx, ag)| st.pop[ctx.cell(a, sx, ag)])
                        .sum::<f64>()
                }
                BirthVals::Fertility(fr) => (0..n_ages)
                    .map(|ag| {
                        let women =
                            if sexes == 2 { st.pop[ctx.cell(a, 1, ag)] } else { 0.5 * st.pop[ctx.cell(a, 0, ag)] };
                        fr[ag] * women
                    })
                    .sum(),
            };
            acc.at(a, t)[accum::BIRTHS] += total;
            if sexes == 2 {
                let male = model.areas[a].demography.male_birth_share;
                births[a] = vec![total * male, total * (1.0 - male)];
            } else {
                births[a] = vec![total];
            }
        }
        age_one_year(&ctx, &mut st, &births, &mut scratch);
    }
    acc
}

/// Record population and chain occupancy at the start or end of year `t`.
fn snapshot(ctx: &Ctx<'_, '_>, st: &State, acc: &mut Acc, lay: &AccLayout, t: usize, start: bool) {
    let k = ctx.k;
    let model = k.model;
    let arm = k.arm;
    let blocks = ctx.blocks();
    for a in 0..model.areas.len() {
        for sex in 0..ctx.sexes {
            for age in 0..ctx.n_ages {
                let c = ctx.cell(a, sex, age);
                let q = acc.at(a, t);
                q[if start { accum::POP_START } else { accum::POP_END }] += st.pop[c];
                for (ci, ch) in model.chains.iter().enumerate() {
                    if !ch.in_range(age) {
                        continue;
                    }
                    let bi = arm.home[ci];
                    let b = &blocks[bi];
                    let p = b.pos_of[ci];
                    let m = &st.mass[bi][c * b.size..(c + 1) * b.size];
                    let off = if start { lay.occ_start[ci] } else { lay.occ_end[ci] };
                    for (x, &mx) in m.iter().enumerate() {
                        q[off + b.state(x, p)] += mx;
                    }
                }
            }
        }
    }
}

/// Move every cell up one year of age (the last age is open-ended), applying
/// chain range entries and exits, and put the newborns in age 0.
fn age_one_year(ctx: &Ctx<'_, '_>, st: &mut State, births: &[Vec<f64>], scratch: &mut [f64]) {
    let k = ctx.k;
    let model = k.model;
    let arm = k.arm;
    let blocks = ctx.blocks();
    let n_ages = ctx.n_ages;
    let max = n_ages - 1;
    let mut pop = vec![0.0; st.pop.len()];
    let mut mass: Vec<Vec<f64>> = st.mass.iter().map(|m| vec![0.0; m.len()]).collect();
    for a in 0..model.areas.len() {
        for sex in 0..ctx.sexes {
            for age in 0..n_ages {
                let src = ctx.cell(a, sex, age);
                let to_age = (age + 1).min(max);
                let dst = ctx.cell(a, sex, to_age);
                pop[dst] += st.pop[src];
                for (bi, b) in blocks.iter().enumerate() {
                    let m = &mut st.mass[bi][src * b.size..(src + 1) * b.size];
                    if to_age != age {
                        for (p, &d) in b.dims.iter().enumerate() {
                            if let Dim::Chain(ci) = arm.dims[d] {
                                let ch = &model.chains[ci];
                                if age < ch.age_lo && ch.age_lo <= to_age {
                                    let i = ch.initial_for[a * n_ages + to_age] as usize;
                                    reset_member(b, p, m, Some(&k.vals.chains[ci].initial[i]));
                                } else if age <= ch.age_hi && ch.age_hi < to_age {
                                    reset_member(b, p, m, None);
                                }
                            }
                        }
                    }
                    let out = &mut mass[bi][dst * b.size..(dst + 1) * b.size];
                    out.iter_mut().zip(m.iter()).for_each(|(o, &x)| *o += x);
                }
            }
            let c0 = ctx.cell(a, sex, 0);
            let nb = births[a][sex];
            pop[c0] += nb;
            if nb > 0.0 {
                for (bi, b) in blocks.iter().enumerate() {
                    let e = &mut scratch[..b.size];
                    ctx.entry(b, a, 0, e);
                    let out = &mut mass[bi][c0 * b.size..(c0 + 1) * b.size];
                    out.iter_mut().zip(e.iter()).for_each(|(o, &x)| *o += nb * x);
                }
            }
        }
    }
    st.pop = pop;
    st.mass = mass;
}
