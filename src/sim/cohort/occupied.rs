//! Ages that can hold anybody, per group and year: outside them every mass
//! is exactly zero, so the kernels skip them.

use crate::model::Model;
use crate::sim::realise::{BirthVals, Realised};

/// Ages that can hold anybody in a group: a function of the model and the
/// draw's demography only, the same in every block.
#[derive(Debug, Clone, Copy)]
pub(super) struct Occupied {
    pub(super) lo: usize,
    /// Inclusive; `lo > hi` means empty.
    pub(super) hi: usize,
}

impl Occupied {
    pub(super) fn clip(self, lo: usize, hi: usize) -> (usize, usize) {
        let l = lo.max(self.lo);
        let h = hi.min(self.hi + 1);
        (l, h.max(l))
    }
}

/// Occupied ages per group and year, derived from the start population,
/// arrivals and births (mass outside them is exactly zero).
pub(super) fn occupied(model: &Model, vals: &Realised) -> Vec<Occupied> {
    let s = &model.settings;
    let n_ages = s.n_ages();
    let sexes = model.sexes;
    let n_groups = model.areas.len() * sexes;
    let mut out = Vec::with_capacity(s.horizon * n_groups);
    let mut cur: Vec<Occupied> = (0..n_groups)
        .map(|gi| {
            let pop = &model.areas[gi / sexes].population[gi % sexes];
            let lo = pop.iter().position(|&n| n != 0.0);
            let hi = pop.iter().rposition(|&n| n != 0.0);
            match (lo, hi) {
                (Some(lo), Some(hi)) => Occupied { lo, hi },
                _ => Occupied { lo: n_ages, hi: 0 },
            }
        })
        .collect();
    for t in 0..s.horizon {
        for (gi, o) in cur.iter_mut().enumerate() {
            let (a, sex) = (gi / sexes, gi % sexes);
            // Arrivals during the year widen the range before ageing.
            let nm = &vals.areas[a].migration[sex];
            if let Some(l) = nm.iter().position(|&v| v > 0.0) {
                let h = nm.iter().rposition(|&v| v > 0.0).unwrap_or(l);
                if o.lo > o.hi {
                    *o = Occupied { lo: l, hi: h };
                } else {
                    *o = Occupied { lo: o.lo.min(l), hi: o.hi.max(h) };
                }
            }
            out.push(*o);
        }
        let ages = s.ages_after(t);
        for (gi, o) in cur.iter_mut().enumerate() {
            let births = !matches!(vals.areas[gi / sexes].births, BirthVals::None);
            if !ages {
                // A cycle within a year: nobody ages, newborns enter age 0.
                if births {
                    *o = if o.lo > o.hi { Occupied { lo: 0, hi: 0 } } else { Occupied { lo: 0, hi: o.hi } };
                }
                continue;
            }
            let max = s.max_age;
            let aged =
                if o.lo > o.hi { None } else { Some(Occupied { lo: (o.lo + 1).min(max), hi: (o.hi + 1).min(max) }) };
            *o = match (aged, births) {
                (Some(x), true) => Occupied { lo: 0, hi: x.hi },
                (Some(x), false) => x,
                (None, true) => Occupied { lo: 0, hi: 0 },
                (None, false) => Occupied { lo: n_ages, hi: 0 },
            };
        }
    }
    out
}
