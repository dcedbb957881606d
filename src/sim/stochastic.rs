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
use crate::rng::{hash_uniform, key, stream, Purpose};
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
    let n_expo = k.arm.interventions.len();
    let mut acc = Acc::new(n_areas, s.horizon, lay);
    let mut p = init.clone();
    let mut expo = vec![0u8; p.len() * n_expo];
    let cell = |a: usize, sex: usize, age: usize| (a * sexes + sex) * n_ages + age;

    for t in 0..s.horizon {
        let year = s.start_year + t as i32;
        let ukey = key(seed, draw, Purpose::Year, t as u64);
        snapshot(model, &p, &mut acc, lay, t, true);

        // 1. Participation.
        let mut f = vec![0.0; n_expo];
        for (e, fe) in f.iter_mut().enumerate() {
            let mut target = 0.0;
            for i in 0..p.len() {
                let st = &p.states[i * nc..(i + 1) * nc];
                if k.in_target(e, p.area[i] as usize, p.age[i] as usize, &|c| st[c] as usize) {
                    target += 1.0;
                }
            }
            *fe = k.participation(e, year, target);
        }

        // 2.–3. Transitions and deaths.
        let mut alive = vec![true; p.len()];
        let mut new_states = vec![0u8; nc];
        for i in 0..p.len() {
            let (a, age, id) = (p.area[i] as usize, p.age[i] as usize, p.id[i]);
            let old = &p.states[i * nc..(i + 1) * nc];
            for e in 0..n_expo {
                let x = expo[i * n_expo + e] as usize;
                let iv = k.arm.interventions[e];
                let joins = f[e] > 0.0
                    && k.in_target(e, a, age, &|c| old[c] as usize)
                    && hash_uniform(ukey, id, SLOT_EXPOSURE + iv as u64) < f[e];
                let nx = if joins { 1 } else { k.progress(e, x) };
                expo[i * n_expo + e] = nx as u8;
                if nx == 1 {
                    acc.at(a, t)[lay.participants + iv] += 1.0;
                }
            }
            let ex = &expo[i * n_expo..(i + 1) * n_expo];
            let q = acc.at(a, t);
            for (c, ch) in model.chains.iter().enumerate() {
                let from = old[c] as usize;
                new_states[c] = old[c];
                if !ch.in_range(age) {
                    continue;
                }
                let r = k.row(c, a, age, from, &|q| old[q] as usize, &|e| ex[e] as usize);
                let to = pick(r, hash_uniform(ukey, id, SLOT_CHAIN + c as u64));
                new_states[c] = to as u8;
                w.work_units += 1;
                if to != from {
                    q[lay.entries[c] + to] += 1.0;
                    if from == ch.rest_state {
                        q[lay.starts[c]] += 1.0;
                    }
                    for (kk, tc) in ch.transition_costs.iter().enumerate() {
                        if tc.from == from && tc.to == to {
                            q[lay.tc[c] + kk] += 1.0;
                        }
                    }
                }
            }
            p.states[i * nc..(i + 1) * nc].copy_from_slice(&new_states);
            let mut dead = false;
            for (c, ch) in model.chains.iter().enumerate() {
                if ch.death[new_states[c] as usize] {
                    q[lay.chain_deaths[c]] += 1.0;
                    dead = true;
                }
            }
            if !dead {
                let qd = vals.areas[a].q[p.sex[i] as usize][age];
                dead = qd > 0.0 && hash_uniform(ukey, id, SLOT_DEATH) < qd;
            }
            if dead {
                q[accum::DEATHS] += 1.0;
                alive[i] = false;
            }
        }

        // 4. Net migration: departures with equal chance within a cell, then arrivals.
        let mut counts = vec![0.0; n_areas * sexes * n_ages];
        for i in (0..p.len()).filter(|&i| alive[i]) {
            counts[cell(p.area[i] as usize, p.sex[i] as usize, p.age[i] as usize)] += 1.0;
        }
        for i in 0..p.len() {
            if !alive[i] {
                continue;
            }
            let (a, sex, age) = (p.area[i] as usize, p.sex[i] as usize, p.age[i] as usize);
            let nm = vals.areas[a].migration[sex][age];
            if nm < 0.0 {
                let prob = (-nm / counts[cell(a, sex, age)]).min(1.0);
                if hash_uniform(ukey, p.id[i], SLOT_MIGRATION) < prob {
                    alive[i] = false;
                    acc.at(a, t)[accum::DEPARTURES] += 1.0;
                }
            }
        }
        compact(&mut p, &mut expo, &alive, nc, n_expo);
        for a in 0..n_areas {
            for sex in 0..sexes {
                for age in 0..n_ages {
                    let nm = vals.areas[a].migration[sex][age];
                    if nm > 0.0 {
                        let c = cell(a, sex, age) as u64;
                        let n =
                            nm.floor() as u64 + u64::from(hash_uniform(ukey, u64::MAX - c, SLOT_ARRIVALS) < nm.fract());
                        for _ in 0..n {
                            push_person(model, vals, &mut p, ukey, a, sex, age);
                            expo.extend(std::iter::repeat_n(0u8, n_expo));
                        }
                        acc.at(a, t)[accum::ARRIVALS] += n as f64;
                    }
                }
            }
        }
        snapshot(model, &p, &mut acc, lay, t, false);

        // 5. Births from the end-of-year population, then ageing.
        let mut births = vec![0u64; n_areas];
        for (a, b) in births.iter_mut().enumerate() {
            let lambda: f64 = match &vals.areas[a].births {
                BirthVals::None => 0.0,
                BirthVals::Crude(r) => r * (0..p.len()).filter(|&i| p.area[i] as usize == a).count() as f64,
                BirthVals::Fertility(fr) => (0..p.len())
                    .filter(|&i| p.area[i] as usize == a)
                    .map(|i| {
                        let w = if sexes == 2 { f64::from(p.sex[i] == 1) } else { 0.5 };
                        fr[p.age[i] as usize] * w
                    })
                    .sum(),
            };
            if lambda > 0.0 {
                let mut rng = stream(seed, draw, Purpose::Year, ((t as u64) << 32) | (a as u64 + 1));
                if let Ok(pois) = rand_distr::Poisson::new(lambda) {
                    *b = pois.sample(&mut rng) as u64;
                }
            }
            acc.at(a, t)[accum::BIRTHS] += *b as f64;
        }
        for i in 0..p.len() {
            let age = p.age[i] as usize;
            let to_age = (age + 1).min(max);
            if to_age == age {
                continue;
            }
            p.age[i] = to_age as u16;
            let a = p.area[i] as usize;
            for (c, ch) in model.chains.iter().enumerate() {
                if age < ch.age_lo && ch.age_lo <= to_age {
                    let r = &vals.chains[c].initial[ch.initial_for[a * n_ages + to_age] as usize];
                    p.states[i * nc + c] = pick(r, hash_uniform(ukey, p.id[i], SLOT_ENTRY + c as u64)) as u8;
                } else if age <= ch.age_hi && ch.age_hi < to_age {
                    p.states[i * nc + c] = 0;
                }
            }
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
                expo.extend(std::iter::repeat_n(0u8, n_expo));
            }
        }
    }
    acc
}

/// Drop people who died or left (ids stay with the people who remain).
fn compact(p: &mut People, expo: &mut Vec<u8>, alive: &[bool], nc: usize, ne: usize) {
    let mut j = 0;
    for i in 0..p.len() {
        if !alive[i] {
            continue;
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
}

/// Record population and chain occupancy at the start or end of year `t`.
fn snapshot(model: &Model, p: &People, acc: &mut Acc, lay: &AccLayout, t: usize, start: bool) {
    let nc = model.chains.len();
    for i in 0..p.len() {
        let a = p.area[i] as usize;
        let age = p.age[i] as usize;
        let q = acc.at(a, t);
        q[if start { accum::POP_START } else { accum::POP_END }] += 1.0;
        for (c, ch) in model.chains.iter().enumerate() {
            if ch.in_range(age) {
                let off = if start { lay.occ_start[c] } else { lay.occ_end[c] };
                q[off + p.states[i * nc + c] as usize] += 1.0;
            }
        }
    }
}
