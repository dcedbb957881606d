//! Stochastic mode: whole people, each with person-level chance.
//!
//! Every random number a person uses is a counter-based uniform keyed by
//! (seed, draw, year, person id, slot), so the same person meets the same
//! chance in every arm of a draw (common random numbers), and results do not
//! depend on threads or on the order in which people are stored.

use super::accum::{self, Acc, AccLayout};
use super::realise::{BirthVals, Realised};
use super::{Kernel, Warnings};
use crate::model::Model;
use crate::rng::{below, hash_bits_word, hash_uniform, id_word, key, slot_word, stream, Purpose};
use rand_distr::Distribution as _;

/// Slots (what a uniform is for) within a person-year.
const SLOT_CHAIN: u64 = 0; // + chain
const SLOT_EXPOSURE: u64 = 1_000; // + model intervention index
const SLOT_DEATH: u64 = 2_000;
const SLOT_MIGRATION: u64 = 2_001;
const SLOT_SEX: u64 = 2_002;
const SLOT_ENTRY: u64 = 3_000; // + chain, when entering a chain's age range
const SLOT_ARRIVALS: u64 = 4_000;
const SLOT_BIRTHS: u64 = 4_001;

/// People of one arm, structure of arrays.
#[derive(Debug, Clone)]
pub struct People {
    pub id: Vec<u64>,
    pub area: Vec<u32>,
    pub sex: Vec<u8>,
    pub age: Vec<u16>,
    /// `states[person * n_chains + chain]`.
    pub states: Vec<u8>,
    pub next_id: u64,
}

impl People {
    pub fn len(&self) -> usize {
        self.id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

/// Pick an index from a probability row with a uniform.
#[inline]
fn pick(row: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (j, &p) in row.iter().enumerate() {
        acc += p;
        if u < acc {
            return j;
        }
    }
    // Rounding left u above the sum: take the last state with mass.
    row.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

/// Append a person with each in-range chain's initial state.
#[allow(clippy::too_many_arguments)]
fn push_person(model: &Model, vals: &Realised, p: &mut People, ukey: u64, area: usize, sex: usize, age: usize) {
    let id = p.next_id;
    p.next_id += 1;
    p.id.push(id);
    p.area.push(area as u32);
    p.sex.push(sex as u8);
    p.age.push(age as u16);
    let n_ages = model.settings.n_ages();
    for (c, ch) in model.chains.iter().enumerate() {
        let s = if ch.in_range(age) {
            let row = &vals.chains[c].initial[ch.initial_for[area * n_ages + age] as usize];
            pick(row, hash_uniform(ukey, id, SLOT_ENTRY + c as u64))
        } else {
            0
        };
        p.states.push(s as u8);
    }
}

/// The start population of a draw, shared by every arm: cell counts rounded to
/// whole people (floor, plus one with probability equal to the fraction).
pub fn initial_population(model: &Model, vals: &Realised, seed: u64, draw: u64) -> People {
    let ukey = key(seed, draw, Purpose::Population, 0);
    let mut p = People { id: vec![], area: vec![], sex: vec![], age: vec![], states: vec![], next_id: 0 };
    let n_ages = model.settings.n_ages();
    for (a, area) in model.areas.iter().enumerate() {
        for sex in 0..model.sexes {
            for age in 0..n_ages {
                let x = area.population[sex][age];
                let cell = ((a * model.sexes + sex) * n_ages + age) as u64;
                let n = x.floor() as u64 + u64::from(hash_uniform(ukey, u64::MAX - cell, 0) < x.fract());
                for _ in 0..n {
                    push_person(model, vals, &mut p, ukey, a, sex, age);
                }
            }
        }
    }
    p
}

/// One risk factor of a chain, as the inner loop reads it.
#[derive(Debug, Clone, Copy)]
struct RfTab {
    /// Ages at which the factor applies (its own range within its condition chain's).
    lo: usize,
    hi: usize,
    when_chain: usize,
    when_states: u64,
}

/// One chain of an arm, as the inner loop reads it.
#[derive(Debug, Clone)]
struct ChainTab {
    n: usize,
    lo: usize,
    hi: usize,
    rest: usize,
    death: u64,
    /// `base[area * n_ages + age]`: where the rows of the person's matrix
    /// start in [`Tabs::thr`] (the kernel's row layout); unused outside the age range.
    base: Vec<u32>,
    rfs: Vec<RfTab>,
    /// (exposure, radix) of the context code.
    expo: Vec<(usize, usize)>,
    slot: u64,
    occ_start: usize,
    occ_end: usize,
    entries: usize,
    starts: usize,
    chain_deaths: usize,
    /// (from, to, accumulator position) of each transition cost.
    tc: Vec<(usize, usize, usize)>,
}

/// Target group of one exposure of an arm.
#[derive(Debug, Clone)]
struct TargetTab {
    areas: Vec<bool>,
    lo: usize,
    hi: usize,
    /// (chain, states, chain's age range).
    target: Vec<(usize, u64, usize, usize)>,
    slot: u64,
    participants: usize,
    /// Next exposure state without participation, by exposure state.
    progress: Vec<u8>,
}

impl TargetTab {
    #[inline]
    fn hit(&self, area: usize, age: usize, st: &[u8]) -> bool {
        self.areas[area]
            && age >= self.lo
            && age <= self.hi
            && self.target.iter().all(|&(ch, set, lo, hi)| age >= lo && age <= hi && set >> st[ch] & 1 == 1)
    }
}

/// Everything the yearly loop of one arm reads, precomputed from the kernel.
struct Tabs {
    chains: Vec<ChainTab>,
    targets: Vec<TargetTab>,
    /// Integer thresholds of the kernel's rows: `thr[i] = below(row[0] + … + row[j])`
    /// (the running sum of [`pick`]) for `i` the kernel's index of entry `j`.
    thr: Vec<u64>,
    /// At the first entry of every row: the state [`pick`] takes when the
    /// uniform lies above the row's sum.
    fallback: Vec<u8>,
    /// Every row's thresholds are non-decreasing (always, for rows of
    /// non-negative numbers), so counting the thresholds at or below the
    /// uniform finds the first one above it.
    monotone: bool,
}

impl Tabs {
    fn new(k: &Kernel<'_>, lay: &AccLayout) -> Self {
        let model = k.model;
        let n_ages = model.settings.n_ages();
        let n_areas = model.areas.len();
        let mut thr = vec![0u64; k.rows.len()];
        let mut fallback = vec![0u8; k.rows.len()];
        let mut monotone = true;
        let mut chains = Vec::with_capacity(model.chains.len());
        for (c, ch) in model.chains.iter().enumerate() {
            let n = ch.n_states();
            let off = k.row_offset[c];
            let len = ch.matrices.len() * k.n_ctx[c] * n * n;
            for r in (off..off + len).step_by(n.max(1)) {
                let (row, t) = (&k.rows[r..r + n], &mut thr[r..r + n]);
                let (cum, fb) = row_thresholds(row, t);
                monotone &= cum;
                fallback[r] = fb as u8;
            }
            let mut base = vec![0u32; n_areas * n_ages];
            for a in 0..n_areas {
                for age in ch.age_lo..=ch.age_hi.min(n_ages - 1) {
                    let m = k.matrix(c, a, age);
                    base[a * n_ages + age] =
                        u32::try_from(off + m * k.n_ctx[c] * n * n).expect("kernel fits u32 indices");
                }
            }
            let rfs = k.rf_by_chain[c]
                .iter()
                .map(|&r| {
                    let rf = &model.risk_factors[r];
                    let wc = &model.chains[rf.when_chain];
                    RfTab {
                        lo: rf.age_lo.max(wc.age_lo),
                        hi: rf.age_hi.min(wc.age_hi),
                        when_chain: rf.when_chain,
                        when_states: rf.when_states.0,
                    }
                })
                .collect();
            let death = ch.death.iter().enumerate().fold(0u64, |m, (s, &d)| m | (u64::from(d) << s));
            let tc = ch.transition_costs.iter().enumerate().map(|(kk, tc)| (tc.from, tc.to, lay.tc[c] + kk)).collect();
            chains.push(ChainTab {
                n,
                lo: ch.age_lo,
                hi: ch.age_hi,
                rest: ch.rest_state,
                death,
                base,
                rfs,
                expo: k.expo_by_chain[c].clone(),
                slot: slot_word(SLOT_CHAIN + c as u64),
                occ_start: lay.occ_start[c],
                occ_end: lay.occ_end[c],
                entries: lay.entries[c],
                starts: lay.starts[c],
                chain_deaths: lay.chain_deaths[c],
                tc,
            });
        }
        let targets = k
            .arm
            .interventions
            .iter()
            .map(|&iv| {
                let spec = &model.interventions[iv];
                let p = spec.persistence_years;
                let progress =
                    (0..spec.n_exposure_states()).map(|e| if e == 0 || e == p + 1 { 0 } else { e as u8 + 1 }).collect();
                TargetTab {
                    areas: spec.areas.clone(),
                    lo: spec.age_lo,
                    hi: spec.age_hi,
                    target: spec
                        .target
                        .iter()
                        .map(|&(ch, set)| (ch, set.0, model.chains[ch].age_lo, model.chains[ch].age_hi))
                        .collect(),
                    slot: slot_word(SLOT_EXPOSURE + iv as u64),
                    participants: lay.participants + iv,
                    progress,
                }
            })
            .collect();
        Tabs { chains, targets, thr, fallback, monotone }
    }

    /// [`pick`] of the kernel row starting at `i` (with `n` entries) for the
    /// uniform `m · 2⁻⁵³`.
    #[inline]
    fn pick(&self, i: usize, n: usize, m: u64) -> usize {
        let t = &self.thr[i..i + n];
        if self.monotone {
            let j = t.iter().map(|&x| usize::from(m >= x)).sum::<usize>();
            if j < n {
                j
            } else {
                self.fallback[i] as usize
            }
        } else {
            t.iter().position(|&x| m < x).unwrap_or(self.fallback[i] as usize)
        }
    }
}

/// Fill `thr` with the integer thresholds of the running sums of `row` (as
/// [`pick`] forms them); returns whether they are non-decreasing and the state
/// [`pick`] falls back to.
fn row_thresholds(row: &[f64], thr: &mut [u64]) -> (bool, usize) {
    let mut acc = 0.0;
    let mut monotone = true;
    let mut last = 0;
    for (j, &p) in row.iter().enumerate() {
        acc += p;
        thr[j] = below(acc);
        monotone &= thr[j] >= last;
        last = thr[j];
    }
    (monotone, row.iter().rposition(|&p| p > 0.0).unwrap_or(0))
}

/// Simulate one arm over the horizon from the shared start population.
pub fn simulate_arm(k: &Kernel<'_>, lay: &AccLayout, init: &People, seed: u64, draw: u64, w: &mut Warnings) -> Acc {
    let model = k.model;
    let vals = k.vals;
    let s = &model.settings;
    let n_ages = s.n_ages();
    let max = s.max_age;
    let sexes = model.sexes;
    let n_areas = model.areas.len();
    let nc = model.chains.len();
    let ne = k.arm.interventions.len();
    let ln = lay.n;
    let tabs = Tabs::new(k, lay);
    let mut acc = Acc::new(n_areas, s.horizon, lay);
    let mut p = init.clone();
    let mut expo = vec![0u8; p.len() * ne];
    let cell = |a: usize, sex: usize, age: usize| (a * sexes + sex) * n_ages + age;
    let n_cells = n_areas * sexes * n_ages;
    // Background mortality and net migration per cell.
    let mut q_thr = vec![0u64; n_cells];
    let mut mig = vec![0.0f64; n_cells];
    for a in 0..n_areas {
        for sex in 0..sexes {
            for age in 0..n_ages {
                let qd = vals.areas[a].q[sex][age];
                q_thr[cell(a, sex, age)] = if qd > 0.0 { below(qd) } else { 0 };
                mig[cell(a, sex, age)] = vals.areas[a].migration[sex][age];
            }
        }
    }
    let departures = mig.iter().any(|&nm| nm < 0.0);
    let slot_death = slot_word(SLOT_DEATH);
    let slot_migration = slot_word(SLOT_MIGRATION);
    // Chains entered or left when ageing from each age.
    let ageing: Vec<bool> = (0..n_ages)
        .map(|age| {
            let to_age = (age + 1).min(max);
            to_age != age
                && model
                    .chains
                    .iter()
                    .any(|ch| (age < ch.age_lo && ch.age_lo <= to_age) || (age <= ch.age_hi && ch.age_hi < to_age))
        })
        .collect();
    let fert: Vec<Option<&[f64]>> = vals
        .areas
        .iter()
        .map(|av| match &av.births {
            BirthVals::Fertility(fr) => Some(fr.as_slice()),
            _ => None,
        })
        .collect();
    let any_fert = fert.iter().any(Option::is_some);

    // Reused buffers.
    let mut cnt = vec![0u32; n_areas * ln];
    let mut alive: Vec<bool> = vec![];
    let mut counts = vec![0u32; n_cells];
    let mut dep_thr = vec![0u64; n_cells];
    let mut lam = vec![0.0f64; n_areas];
    let mut f = vec![0.0f64; ne];
    let mut f_thr = vec![0u64; ne];
    let mut active = vec![false; ne];
    let mut targets = vec![0u64; ne];
    let mut old = vec![0u8; nc];
    let mut work = 0u64;

    for t in 0..s.horizon {
        let year = s.start_year + t as i32;
        let ukey = key(seed, draw, Purpose::Year, t as u64);
        cnt.fill(0);

        // 1. Participation (the target group counted only for an active intervention).
        for (e, a) in active.iter_mut().enumerate() {
            let iv = &model.interventions[k.arm.interventions[e]];
            *a = iv.active_in(year);
        }
        if active.iter().any(|&a| a) {
            targets.fill(0);
            for i in 0..p.len() {
                let st = &p.states[i * nc..(i + 1) * nc];
                let (a, age) = (p.area[i] as usize, p.age[i] as usize);
                for (e, tg) in tabs.targets.iter().enumerate() {
                    if active[e] && tg.hit(a, age, st) {
                        targets[e] += 1;
                    }
                }
            }
        }
        for e in 0..ne {
            f[e] = if active[e] { k.participation(e, year, targets[e] as f64) } else { 0.0 };
            f_thr[e] = below(f[e]);
        }

        // 2.–3. Start-of-year occupancy, transitions and deaths.
        alive.clear();
        alive.resize(p.len(), true);
        counts.fill(0);
        for i in 0..p.len() {
            let (a, age, sex) = (p.area[i] as usize, p.age[i] as usize, p.sex[i] as usize);
            let iw = id_word(p.id[i]);
            let st = &mut p.states[i * nc..(i + 1) * nc];
            old.copy_from_slice(st);
            let q = &mut cnt[a * ln..(a + 1) * ln];
            q[accum::POP_START] += 1;
            for (ct, &o) in tabs.chains.iter().zip(old.iter()) {
                if age >= ct.lo && age <= ct.hi {
                    q[ct.occ_start + o as usize] += 1;
                }
            }
            let ex = &mut expo[i * ne..(i + 1) * ne];
            for (e, tg) in tabs.targets.iter().enumerate() {
                let joins =
                    f[e] > 0.0 && tg.hit(a, age, &old) && hash_bits_word(ukey, iw.wrapping_add(tg.slot)) < f_thr[e];
                let nx = if joins { 1 } else { tg.progress[ex[e] as usize] };
                ex[e] = nx;
                if nx == 1 {
                    q[tg.participants] += 1;
                }
            }
            let mut dead = false;
            for (c, ct) in tabs.chains.iter().enumerate() {
                if age >= ct.lo && age <= ct.hi {
                    let from = old[c] as usize;
                    let mut ctx = 0;
                    for (b, rf) in ct.rfs.iter().enumerate() {
                        if age >= rf.lo && age <= rf.hi && rf.when_states >> old[rf.when_chain] & 1 == 1 {
                            ctx |= 1 << b;
                        }
                    }
                    for &(kk, radix) in &ct.expo {
                        ctx += ex[kk] as usize * radix;
                    }
                    let n = ct.n;
                    let r = ct.base[a * n_ages + age] as usize + (ctx * n + from) * n;
                    let to = tabs.pick(r, n, hash_bits_word(ukey, iw.wrapping_add(ct.slot)));
                    st[c] = to as u8;
                    work += 1;
                    if to != from {
                        q[ct.entries + to] += 1;
                        if from == ct.rest {
                            q[ct.starts] += 1;
                        }
                        for &(tf, tt, pos) in &ct.tc {
                            if tf == from && tt == to {
                                q[pos] += 1;
                            }
                        }
                    }
                }
                if ct.death >> st[c] & 1 == 1 {
                    q[ct.chain_deaths] += 1;
                    dead = true;
                }
            }
            let cl = cell(a, sex, age);
            if !dead {
                let th = q_thr[cl];
                dead = th != 0 && hash_bits_word(ukey, iw.wrapping_add(slot_death)) < th;
            }
            if dead {
                q[accum::DEATHS] += 1;
                alive[i] = false;
            } else {
                counts[cl] += 1;
            }
        }

        // 4. Net migration: departures with equal chance within a cell, then arrivals.
        if departures {
            for (c, th) in dep_thr.iter_mut().enumerate() {
                let nm = mig[c];
                *th = if nm < 0.0 { below((-nm / f64::from(counts[c])).min(1.0)) } else { 0 };
            }
        }
        let mut j = 0;
        for i in 0..p.len() {
            if !alive[i] {
                continue;
            }
            if departures {
                let (a, sex, age) = (p.area[i] as usize, p.sex[i] as usize, p.age[i] as usize);
                let th = dep_thr[cell(a, sex, age)];
                if th != 0 && hash_bits_word(ukey, id_word(p.id[i]).wrapping_add(slot_migration)) < th {
                    cnt[a * ln + accum::DEPARTURES] += 1;
                    continue;
                }
            }
            if i != j {
                p.id[j] = p.id[i];
                p.area[j] = p.area[i];
                p.sex[j] = p.sex[i];
                p.age[j] = p.age[i];
                p.states.copy_within(i * nc..(i + 1) * nc, j * nc);
                expo.copy_within(i * ne..(i + 1) * ne, j * ne);
            }
            j += 1;
        }
        p.id.truncate(j);
        p.area.truncate(j);
        p.sex.truncate(j);
        p.age.truncate(j);
        p.states.truncate(j * nc);
        expo.truncate(j * ne);
        for a in 0..n_areas {
            for sex in 0..sexes {
                for age in 0..n_ages {
                    let nm = mig[cell(a, sex, age)];
                    if nm > 0.0 {
                        let c = cell(a, sex, age) as u64;
                        let n =
                            nm.floor() as u64 + u64::from(hash_uniform(ukey, u64::MAX - c, SLOT_ARRIVALS) < nm.fract());
                        for _ in 0..n {
                            push_person(model, vals, &mut p, ukey, a, sex, age);
                            expo.extend(std::iter::repeat_n(0u8, ne));
                        }
                        acc.at(a, t)[accum::ARRIVALS] += n as f64;
                    }
                }
            }
        }

        // End-of-year occupancy and the mothers of the year's births (in the
        // order of the people, as the sum was always formed), then ageing.
        lam.fill(-0.0);
        for i in 0..p.len() {
            let (a, age) = (p.area[i] as usize, p.age[i] as usize);
            let st = &mut p.states[i * nc..(i + 1) * nc];
            let q = &mut cnt[a * ln..(a + 1) * ln];
            q[accum::POP_END] += 1;
            for (ct, &o) in tabs.chains.iter().zip(st.iter()) {
                if age >= ct.lo && age <= ct.hi {
                    q[ct.occ_end + o as usize] += 1;
                }
            }
            if any_fert {
                if let Some(fr) = fert[a] {
                    let w = if sexes == 2 { f64::from(p.sex[i] == 1) } else { 0.5 };
                    lam[a] += fr[age] * w;
                }
            }
            // 5. (ageing, after the births below are drawn from the ages before it)
            let to_age = (age + 1).min(max);
            if to_age == age {
                continue;
            }
            p.age[i] = to_age as u16;
            if ageing[age] {
                for (c, ch) in model.chains.iter().enumerate() {
                    if age < ch.age_lo && ch.age_lo <= to_age {
                        let r = &vals.chains[c].initial[ch.initial_for[a * n_ages + to_age] as usize];
                        st[c] = pick(r, hash_uniform(ukey, p.id[i], SLOT_ENTRY + c as u64)) as u8;
                    } else if age <= ch.age_hi && ch.age_hi < to_age {
                        st[c] = 0;
                    }
                }
            }
        }

        // 5. Births from the end-of-year population.
        let mut births = vec![0u64; n_areas];
        for (a, b) in births.iter_mut().enumerate() {
            let lambda: f64 = match &vals.areas[a].births {
                BirthVals::None => 0.0,
                BirthVals::Crude(r) => r * f64::from(cnt[a * ln + accum::POP_END]),
                BirthVals::Fertility(_) => lam[a],
            };
            if lambda > 0.0 {
                let mut rng = stream(seed, draw, Purpose::Year, ((t as u64) << 32) | (a as u64 + 1));
                if let Ok(pois) = rand_distr::Poisson::new(lambda) {
                    *b = pois.sample(&mut rng) as u64;
                }
            }
            acc.at(a, t)[accum::BIRTHS] += *b as f64;
        }
        for (a, &nb) in births.iter().enumerate() {
            for j in 0..nb {
                let sex = if sexes == 2 {
                    let u = hash_uniform(ukey, ((a as u64) << 40) | j, SLOT_SEX);
                    usize::from(u >= model.areas[a].demography.male_birth_share)
                } else {
                    0
                };
                push_person(model, vals, &mut p, ukey ^ SLOT_BIRTHS, a, sex, 0);
                expo.extend(std::iter::repeat_n(0u8, ne));
            }
        }
        for a in 0..n_areas {
            for (x, &c) in acc.at(a, t).iter_mut().zip(&cnt[a * ln..(a + 1) * ln]) {
                *x += f64::from(c);
            }
        }
    }
    w.work_units += work;
    acc
}
