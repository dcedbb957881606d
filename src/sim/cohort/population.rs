//! The population of one arm (area × sex × age): kept by the block that
//! holds the death states, or by a demography pass shared by every arm, and
//! recorded for the blocks that follow it.

use super::DrawShared;
use crate::model::Model;
use crate::sim::accum::{self, Acc};
use crate::sim::joint;

/// What the blocks that do not keep the population need from the one that
/// does, per year and group (area × sex).
#[derive(Debug, Clone)]
pub struct PopRecord {
    /// `keep[(t * groups + g) * n_ages + age]`: the share that stays after
    /// emigration (1 where nobody leaves).
    pub(super) keep: Vec<f64>,
    /// `births[t * groups + g]`.
    pub(super) births: Vec<f64>,
}

/// The population of one arm (area × sex × age), kept by block 0 or by the
/// demography pass.
pub(super) struct Population {
    pop: Vec<f64>,
}

impl Population {
    pub(super) fn new(model: &Model) -> Self {
        let n_ages = model.settings.n_ages();
        let mut pop = Vec::with_capacity(model.areas.len() * model.sexes * n_ages);
        for a in &model.areas {
            for sex in 0..model.sexes {
                pop.extend_from_slice(&a.population[sex]);
            }
        }
        Population { pop }
    }

    pub(super) fn start(&self, d: &DrawShared<'_>, t: usize, acc: &mut Acc) {
        let n_ages = d.model.settings.n_ages();
        for gi in 0..self.pop.len() / n_ages {
            let occ = d.occupied[t * (self.pop.len() / n_ages) + gi];
            let (lo, hi) = occ.clip(0, n_ages);
            acc.at(gi / d.model.sexes, t)[accum::POP_START] +=
                self.pop[gi * n_ages + lo..gi * n_ages + hi].iter().sum::<f64>();
        }
    }

    /// Deaths (given the dead mass per age of death states, already counted in
    /// `acc`), background mortality and migration of group `gi` in year `t`;
    /// records the share kept after emigration.
    pub(super) fn deaths_and_migration(
        &mut self,
        d: &DrawShared<'_>,
        t: usize,
        gi: usize,
        dead: Option<&[f64]>,
        acc: &mut Acc,
        rec: &mut PopRecord,
    ) {
        let model = d.model;
        let n_ages = model.settings.n_ages();
        let n_groups = model.areas.len() * model.sexes;
        let (a, sex) = (gi / model.sexes, gi % model.sexes);
        let q = acc.at(a, t);
        let p = &mut self.pop[gi * n_ages..(gi + 1) * n_ages];
        // Outside the occupied ages nobody lives or dies: the terms skipped there are zero.
        let (lo, hi) = d.occupied[t * n_groups + gi].clip(0, n_ages);
        if let Some(col) = dead {
            for (pa, &dd) in p[lo..hi].iter_mut().zip(&col[lo..hi]) {
                q[accum::DEATHS] += dd;
                *pa = (*pa - dd).max(0.0);
            }
        }
        let qd = &d.vals.areas[a].q[sex];
        if qd.iter().any(|&x| x > 0.0) {
            for (pa, &qa) in p[lo..hi].iter_mut().zip(&qd[lo..hi]) {
                q[accum::DEATHS] += qa * *pa;
                *pa *= 1.0 - qa;
            }
        }
        let nm = &d.vals.areas[a].migration[sex];
        let first = rec.keep.len();
        rec.keep.resize(first + n_ages, 1.0);
        if d.migration[gi] {
            for age in 0..n_ages {
                let (v, pa) = (nm[age], p[age]);
                if v < 0.0 && pa > 0.0 {
                    let frac = (-v / pa).min(1.0);
                    q[accum::DEPARTURES] += frac * pa;
                    p[age] = pa * (1.0 - frac);
                    rec.keep[first + age] = 1.0 - frac;
                } else if v > 0.0 {
                    q[accum::ARRIVALS] += v;
                    p[age] += v;
                }
            }
        }
    }

    pub(super) fn end(&self, d: &DrawShared<'_>, t: usize, acc: &mut Acc) {
        let n_ages = d.model.settings.n_ages();
        for gi in 0..self.pop.len() / n_ages {
            acc.at(gi / d.model.sexes, t)[accum::POP_END] +=
                self.pop[gi * n_ages..(gi + 1) * n_ages].iter().sum::<f64>();
        }
    }

    /// Births from the end-of-cycle population, recorded per group, then
    /// ageing (only when the cycle completes a year).
    pub(super) fn births_and_ageing(&mut self, d: &DrawShared<'_>, t: usize, acc: &mut Acc, rec: &mut PopRecord) {
        let model = d.model;
        let n_ages = model.settings.n_ages();
        let births = joint::births(model, d.vals, &self.pop, acc, t);
        rec.births.extend_from_slice(&births);
        let max = model.settings.max_age;
        let ages = model.settings.ages_after(t);
        for (gi, &newborn) in births.iter().enumerate() {
            if ages {
                joint::age_row(&mut self.pop[gi * n_ages..(gi + 1) * n_ages], max, newborn);
            } else {
                // A cycle within a year: nobody ages, newborns join age 0.
                self.pop[gi * n_ages] += newborn;
            }
        }
    }

    /// A whole year of the demography pass (no death states).
    pub(super) fn year(
        &mut self,
        d: &DrawShared<'_>,
        t: usize,
        dead: Option<&[f64]>,
        acc: &mut Acc,
        rec: &mut PopRecord,
    ) {
        self.start(d, t, acc);
        for gi in 0..self.pop.len() / d.model.settings.n_ages() {
            self.deaths_and_migration(d, t, gi, dead, acc, rec);
        }
        self.end(d, t, acc);
        self.births_and_ageing(d, t, acc, rec);
    }
}
