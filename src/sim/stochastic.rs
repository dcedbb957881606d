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
    /// Stable person id: keys the person's random numbers, so arms share chance (common random numbers).
    pub id: Vec<u64>,
    /// Area index of each person.
    pub area: Vec<u32>,
    /// Sex of each person (0 = male, 1 = female; 0 when sexes are not distinguished).
    pub sex: Vec<u8>,
    /// Age in years of each person.
    pub age: Vec<u16>,
    /// `states[person * n_chains + chain]`.
    pub states: Vec<u8>,
    /// Id the next born or arriving person gets.
    pub next_id: u64,
}

impl People {
    /// Number of people alive in the arm.
    pub fn len(&self) -> usize {
        self.id.len()
    }
    /// True when nobody is left.
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
    /// `base[cell]`, for the chain's cell of (cycle, area, sex, age) (see
    /// [`crate::model::Chain::cell`]): where the rows of the person's matrix
    /// start in [`Tabs::thr`] (the kernel's row layout); unused outside the age range.
    base: Vec<u32>,
    /// Sexes the chain's cells distinguish, and `lookup_sexes - 1` (a mask on the sex).
    lsx: usize,
    smask: usize,
    /// Cells per period, and the period of each model cycle (empty: one period).
    layer: usize,
    period_of: Vec<u32>,
    /// `period(t) * layer` for the year being simulated.
    period_off: usize,
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
            let len = k.n_row_sets(c) * k.n_ctx[c] * n * n;
            for r in (off..off + len).step_by(n.max(1)) {
                let (row, t) = (&k.rows[r..r + n], &mut thr[r..r + n]);
                let (cum, fb) = row_thresholds(row, t);
                monotone &= cum;
                fallback[r] = fb as u8;
            }
            let base: Vec<u32> = ch
                .matrix_for
                .iter()
                .enumerate()
                .map(|(i, &m)| {
                    if m == crate::model::NONE {
                        return 0;
                    }
                    let m = k.row_set_of_cell(c, i);
                    u32::try_from(off + m * k.n_ctx[c] * n * n).expect("kernel fits u32 indices")
                })
                .collect();
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
                lsx: ch.lookup_sexes,
                smask: ch.lookup_sexes - 1,
                layer: n_areas * ch.lookup_sexes * n_ages,
                period_of: ch.period_of.clone(),
                period_off: 0,
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
                let p = spec.persistence_cycles;
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
        pick_thresholds(&self.thr[i..i + n], self.fallback[i] as usize, self.monotone, m)
    }
}

/// [`pick`] from a row's thresholds (see [`row_thresholds`]) for the uniform
/// `m · 2⁻⁵³`: the first state whose threshold lies above `m`, else `fallback`.
/// With non-decreasing thresholds that is the number of thresholds at or
/// below `m`, counted without branches.
#[inline]
fn pick_thresholds(t: &[u64], fallback: usize, monotone: bool, m: u64) -> usize {
    if monotone {
        let j = t.iter().map(|&x| usize::from(m >= x)).sum::<usize>();
        if j < t.len() {
            j
        } else {
            fallback
        }
    } else {
        t.iter().position(|&x| m < x).unwrap_or(fallback)
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

/// What every arm of a draw reads alike: background mortality and net
/// migration per cell, births, and the ages at which people enter or leave a chain.
struct Shared<'v> {
    /// `below(q)` of background mortality per cell (0 when q ≤ 0).
    q_thr: Vec<u64>,
    /// Net migration per cell.
    mig: Vec<f64>,
    /// Some cell loses people.
    departures: bool,
    /// `ageing[age]`: some chain is entered or left when ageing from `age`.
    ageing: Vec<bool>,
    fert: Vec<Option<&'v [f64]>>,
    any_fert: bool,
}

impl<'v> Shared<'v> {
    fn new(model: &Model, vals: &'v Realised) -> Self {
        let n_ages = model.settings.n_ages();
        let max = model.settings.max_age;
        let sexes = model.sexes;
        let n_cells = model.areas.len() * sexes * n_ages;
        let mut q_thr = vec![0u64; n_cells];
        let mut mig = vec![0.0f64; n_cells];
        for (a, av) in vals.areas.iter().enumerate() {
            for sex in 0..sexes {
                for age in 0..n_ages {
                    let c = (a * sexes + sex) * n_ages + age;
                    let qd = av.q[sex][age];
                    q_thr[c] = if qd > 0.0 { below(qd) } else { 0 };
                    mig[c] = av.migration[sex][age];
                }
            }
        }
        let departures = mig.iter().any(|&nm| nm < 0.0);
        let ageing = (0..n_ages)
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
        Shared { q_thr, mig, departures, ageing, fert, any_fert }
    }
}

/// One arm in simulation: its people, their exposures and this year's counts.
struct ArmSim<'k, 'a> {
    k: &'k Kernel<'a>,
    lay: &'k AccLayout,
    tabs: Tabs,
    p: People,
    /// `expo[person * n_exposures + exposure]`.
    expo: Vec<u8>,
    acc: Acc,
    /// This year's counts, `cnt[area * lay.n + quantity]`.
    cnt: Vec<u32>,
    alive: Vec<bool>,
    /// People alive after this year's deaths, per cell.
    counts: Vec<u32>,
    dep_thr: Vec<u64>,
    /// Expected and drawn births per area.
    lam: Vec<f64>,
    births: Vec<u64>,
    f: Vec<f64>,
    f_thr: Vec<u64>,
    active: Vec<bool>,
    targets: Vec<u64>,
    old: Vec<u8>,
    work: u64,
}

/// The sizes the yearly steps index with.
#[derive(Clone, Copy)]
struct Sizes {
    n_ages: usize,
    sexes: usize,
    /// Chains.
    nc: usize,
    /// Exposures of the arm.
    ne: usize,
    /// Quantities per (area, year) of the accumulator.
    ln: usize,
}

impl<'k, 'a> ArmSim<'k, 'a> {
    fn sizes(&self) -> Sizes {
        let model = self.k.model;
        Sizes {
            n_ages: model.settings.n_ages(),
            sexes: model.sexes,
            nc: model.chains.len(),
            ne: self.f.len(),
            ln: self.lay.n,
        }
    }

    fn new(k: &'k Kernel<'a>, lay: &'k AccLayout, init: &People) -> Self {
        let model = k.model;
        let n_areas = model.areas.len();
        let n_cells = n_areas * model.sexes * model.settings.n_ages();
        let ne = k.arm.interventions.len();
        ArmSim {
            k,
            lay,
            tabs: Tabs::new(k, lay),
            p: init.clone(),
            expo: vec![0u8; init.len() * ne],
            acc: Acc::new(n_areas, model.settings.horizon, lay),
            cnt: vec![0u32; n_areas * lay.n],
            alive: vec![],
            counts: vec![0u32; n_cells],
            dep_thr: vec![0u64; n_cells],
            lam: vec![0.0; n_areas],
            births: vec![0; n_areas],
            f: vec![0.0; ne],
            f_thr: vec![0; ne],
            active: vec![false; ne],
            targets: vec![0; ne],
            old: vec![0; model.chains.len()],
            work: 0,
        }
    }

    /// Step 1, participation: the share of each exposure's target group that
    /// joins this year (the target group counted only for an active intervention).
    #[inline(never)]
    fn participation(&mut self, year: i32) {
        let k = self.k;
        let nc = k.model.chains.len();
        let p = &self.p;
        for (e, a) in self.active.iter_mut().enumerate() {
            *a = k.model.interventions[k.arm.interventions[e]].active_in(year);
        }
        if self.active.iter().any(|&a| a) {
            self.targets.fill(0);
            for i in 0..p.len() {
                let st = &p.states[i * nc..(i + 1) * nc];
                let (a, age) = (p.area[i] as usize, p.age[i] as usize);
                for (e, tg) in self.tabs.targets.iter().enumerate() {
                    if self.active[e] && tg.hit(a, age, st) {
                        self.targets[e] += 1;
                    }
                }
            }
        }
        for e in 0..self.f.len() {
            self.f[e] = if self.active[e] { k.participation(e, year, self.targets[e] as f64) } else { 0.0 };
            self.f_thr[e] = below(self.f[e]);
        }
    }

    /// Steps 2 and 3: start-of-year occupancy, exposures, transitions and deaths.
    #[inline(never)]
    fn transitions(&mut self, ukey: u64, t: usize, sh: &Shared<'_>) {
        let Sizes { n_ages, sexes, nc, ne, ln } = self.sizes();
        for ct in &mut self.tabs.chains {
            ct.period_off = ct.period_of.get(t).map_or(0, |&p| p as usize) * ct.layer;
        }
        let tabs = &self.tabs;
        let p = &mut self.p;
        let old = &mut self.old;
        let (f, f_thr) = (&self.f, &self.f_thr);
        self.alive.clear();
        self.alive.resize(p.len(), true);
        self.counts.fill(0);
        let mut work = 0;
        for i in 0..p.len() {
            let (a, age, sex) = (p.area[i] as usize, p.age[i] as usize, p.sex[i] as usize);
            let iw = id_word(p.id[i]);
            let st = &mut p.states[i * nc..(i + 1) * nc];
            old.copy_from_slice(st);
            let q = &mut self.cnt[a * ln..(a + 1) * ln];
            q[accum::POP_START] += 1;
            for (ct, &o) in tabs.chains.iter().zip(old.iter()) {
                if age >= ct.lo && age <= ct.hi {
                    q[ct.occ_start + o as usize] += 1;
                }
            }
            let ex = &mut self.expo[i * ne..(i + 1) * ne];
            for (e, tg) in tabs.targets.iter().enumerate() {
                let joins =
                    f[e] > 0.0 && tg.hit(a, age, old) && hash_bits_word(ukey, iw.wrapping_add(tg.slot)) < f_thr[e];
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
                    let cell = ct.period_off + (a * ct.lsx + (sex & ct.smask)) * n_ages + age;
                    let r = ct.base[cell] as usize + (ctx * n + from) * n;
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
            let cl = (a * sexes + sex) * n_ages + age;
            if !dead {
                let th = sh.q_thr[cl];
                dead = th != 0 && hash_bits_word(ukey, iw.wrapping_add(slot_word(SLOT_DEATH))) < th;
            }
            if dead {
                q[accum::DEATHS] += 1;
                self.alive[i] = false;
            } else {
                self.counts[cl] += 1;
            }
        }
        self.work += work;
    }

    /// Step 4, net migration: departures with equal chance within a cell (and
    /// the dead dropped, keeping the order of the others), then arrivals.
    #[inline(never)]
    fn migration(&mut self, ukey: u64, t: usize, sh: &Shared<'_>) {
        let model = self.k.model;
        let Sizes { n_ages, sexes, nc, ne, ln } = self.sizes();
        let cell = |a: usize, sex: usize, age: usize| (a * sexes + sex) * n_ages + age;
        if sh.departures {
            for (c, th) in self.dep_thr.iter_mut().enumerate() {
                let nm = sh.mig[c];
                *th = if nm < 0.0 { below((-nm / f64::from(self.counts[c])).min(1.0)) } else { 0 };
            }
        }
        let p = &mut self.p;
        let expo = &mut self.expo;
        let mut j = 0;
        for i in 0..p.len() {
            if !self.alive[i] {
                continue;
            }
            if sh.departures {
                let a = p.area[i] as usize;
                let th = self.dep_thr[cell(a, p.sex[i] as usize, p.age[i] as usize)];
                if th != 0 && hash_bits_word(ukey, id_word(p.id[i]).wrapping_add(slot_word(SLOT_MIGRATION))) < th {
                    self.cnt[a * ln + accum::DEPARTURES] += 1;
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
        let vals = self.k.vals;
        for a in 0..model.areas.len() {
            for sex in 0..sexes {
                for age in 0..n_ages {
                    let nm = sh.mig[cell(a, sex, age)];
                    if nm > 0.0 {
                        let c = cell(a, sex, age) as u64;
                        let n =
                            nm.floor() as u64 + u64::from(hash_uniform(ukey, u64::MAX - c, SLOT_ARRIVALS) < nm.fract());
                        for _ in 0..n {
                            push_person(model, vals, p, ukey, a, sex, age);
                            expo.extend(std::iter::repeat_n(0u8, ne));
                        }
                        self.acc.at(a, t)[accum::ARRIVALS] += n as f64;
                    }
                }
            }
        }
    }

    /// End-of-year occupancy and the expected births (summed over mothers in
    /// the order of the people, as always), then step 5: ageing and births.
    #[inline(never)]
    fn end_of_year(&mut self, ukey: u64, t: usize, seed: u64, draw: u64, sh: &Shared<'_>) {
        let model = self.k.model;
        let vals = self.k.vals;
        let n_ages = model.settings.n_ages();
        let max = model.settings.max_age;
        let sexes = model.sexes;
        let n_areas = model.areas.len();
        let nc = model.chains.len();
        let ne = self.f.len();
        let ln = self.lay.n;
        let p = &mut self.p;
        let ages = model.settings.ages_after(t);
        self.lam.fill(-0.0);
        for i in 0..p.len() {
            let (a, age) = (p.area[i] as usize, p.age[i] as usize);
            let st = &mut p.states[i * nc..(i + 1) * nc];
            let q = &mut self.cnt[a * ln..(a + 1) * ln];
            q[accum::POP_END] += 1;
            for (ct, &o) in self.tabs.chains.iter().zip(st.iter()) {
                if age >= ct.lo && age <= ct.hi {
                    q[ct.occ_end + o as usize] += 1;
                }
            }
            if sh.any_fert {
                if let Some(fr) = sh.fert[a] {
                    let w = if sexes == 2 { f64::from(p.sex[i] == 1) } else { 0.5 };
                    self.lam[a] += fr[age] * w;
                }
            }
            // Ageing (the births below come from the ages before it), only
            // at the end of a cycle that completes a year.
            let to_age = (age + 1).min(max);
            if !ages || to_age == age {
                continue;
            }
            p.age[i] = to_age as u16;
            if sh.ageing[age] {
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
        for a in 0..n_areas {
            let lambda: f64 = match &vals.areas[a].births {
                BirthVals::None => 0.0,
                BirthVals::Crude(r) => r * f64::from(self.cnt[a * ln + accum::POP_END]),
                BirthVals::Fertility(_) => self.lam[a],
            };
            let mut nb = 0u64;
            if lambda > 0.0 {
                let mut rng = stream(seed, draw, Purpose::Year, ((t as u64) << 32) | (a as u64 + 1));
                if let Ok(pois) = rand_distr::Poisson::new(lambda) {
                    nb = pois.sample(&mut rng) as u64;
                }
            }
            self.acc.at(a, t)[accum::BIRTHS] += nb as f64;
            self.births[a] = nb;
        }
        for a in 0..n_areas {
            for j in 0..self.births[a] {
                let sex = if sexes == 2 {
                    let u = hash_uniform(ukey, ((a as u64) << 40) | j, SLOT_SEX);
                    usize::from(u >= model.areas[a].demography.male_birth_share)
                } else {
                    0
                };
                push_person(model, vals, p, ukey ^ SLOT_BIRTHS, a, sex, 0);
                self.expo.extend(std::iter::repeat_n(0u8, ne));
            }
        }
        for a in 0..n_areas {
            for (x, &c) in self.acc.at(a, t).iter_mut().zip(&self.cnt[a * ln..(a + 1) * ln]) {
                *x += f64::from(c);
            }
        }
        self.cnt.fill(0);
    }
}

/// Simulate one arm over the horizon from the shared start population.
pub fn simulate_arm(k: &Kernel<'_>, lay: &AccLayout, init: &People, seed: u64, draw: u64, w: &mut Warnings) -> Acc {
    let model = k.model;
    let s = &model.settings;
    let sh = Shared::new(model, k.vals);
    let mut arm = ArmSim::new(k, lay, init);
    for t in 0..s.horizon {
        let year = s.calendar_year(t);
        let ukey = key(seed, draw, Purpose::Year, t as u64);
        arm.participation(year);
        arm.transitions(ukey, t, &sh);
        arm.migration(ukey, t, &sh);
        arm.end_of_year(ukey, t, seed, draw, &sh);
    }
    w.work_units += arm.work;
    arm.acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{uniform, Prng};
    use rand::RngCore;

    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;

    /// Rows as the kernel makes them, and the awkward ones: sums rounding
    /// below or above 1, zeros before and after the mass, a single state.
    fn rows(r: &mut Prng) -> Vec<Vec<f64>> {
        let mut out = vec![vec![1.0], vec![0.0, 1.0], vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 0.0], vec![0.1; 10]];
        out.push(vec![0.7, 0.2, 0.1]); // sums to 0.9999999999999999
        for _ in 0..3000 {
            let n = 1 + (r.next_u64() % 7) as usize;
            let mut row: Vec<f64> =
                (0..n).map(|_| if r.next_u64().is_multiple_of(4) { 0.0 } else { uniform(r).powi(3) }).collect();
            let sum: f64 = row.iter().sum();
            let scale = match r.next_u64() % 4 {
                0 => 1.0,
                1 => 1.0 - 1e-15,
                2 => 1.0 + 1e-15,
                _ => 0.3 + uniform(r),
            };
            if sum > 0.0 {
                row.iter_mut().for_each(|p| *p *= scale / sum);
            }
            out.push(row);
        }
        out
    }

    #[test]
    fn threshold_pick_equals_the_running_sum_pick() {
        let mut r = crate::rng::stream(1, 2, crate::rng::Purpose::Test, 3);
        let mut below_one = 0;
        for row in rows(&mut r) {
            let mut t = vec![0u64; row.len()];
            let (monotone, fb) = row_thresholds(&row, &mut t);
            assert!(monotone, "{row:?}");
            below_one += usize::from(row.iter().sum::<f64>() < 1.0);
            // Uniforms at, just under and just over every threshold, the ends
            // of [0, 1), and random ones.
            let mut ms: Vec<u64> = vec![0, 1, (1 << 53) - 1];
            for &x in &t {
                ms.extend([x.saturating_sub(1), x, x + 1]);
            }
            ms.extend((0..40).map(|_| r.next_u64() >> 11));
            for m in ms.into_iter().filter(|&m| m < 1 << 53) {
                let want = pick(&row, m as f64 * SCALE);
                assert_eq!(pick_thresholds(&t, fb, true, m), want, "row {row:?} m {m}");
                assert_eq!(pick_thresholds(&t, fb, false, m), want, "row {row:?} m {m}");
            }
        }
        assert!(below_one > 100);
    }

    #[test]
    fn scanning_pick_handles_rows_that_are_not_monotone() {
        // A negative entry (never made by the kernel) makes the running sum fall.
        let row = [0.5, -0.25, 0.75];
        let mut t = [0u64; 3];
        let (monotone, fb) = row_thresholds(&row, &mut t);
        assert!(!monotone);
        for k in 0..=1000u64 {
            let m = ((1u64 << 53) - 1) / 1000 * k;
            assert_eq!(pick_thresholds(&t, fb, false, m), pick(&row, m as f64 * SCALE));
        }
    }
}
