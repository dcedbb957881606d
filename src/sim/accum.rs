//! Raw counts of one arm (both modes fill the same accumulator), turned into a
//! [`Ledger`] with the cycle correction, costs, outcomes and social value.

use super::realise::Realised;
use crate::ledger::{self, Ledger, MeasureLayout};
use crate::model::{CycleCorrection, Model};
use ndarray::{s, ArrayView3, ArrayViewMut3};

/// Positions of raw quantities per (area, year).
#[derive(Debug, Clone)]
pub struct AccLayout {
    /// Number of raw quantities per (area, year).
    pub n: usize,
    /// `occ_start[chain] + state`: occupancy at the start of the year.
    pub occ_start: Vec<usize>,
    /// `occ_end[chain] + state`: occupancy at the end of the year.
    pub occ_end: Vec<usize>,
    /// `entries[chain] + state`: transitions into the state from another state.
    pub entries: Vec<usize>,
    /// `starts[chain]`: transitions out of the chain's rest state.
    pub starts: Vec<usize>,
    /// `chain_deaths[chain]`: deaths through the chain's death states.
    pub chain_deaths: Vec<usize>,
    /// `tc[chain] + k` for the chain's k-th transition cost.
    pub tc: Vec<usize>,
    /// `participants + k` for the model's k-th intervention.
    pub participants: usize,
}

/// Position of the population at the start of the year.
pub const POP_START: usize = 0;
/// Position of the population at the end of the year.
pub const POP_END: usize = 1;
/// Position of births.
pub const BIRTHS: usize = 2;
/// Position of deaths (background mortality and death states).
pub const DEATHS: usize = 3;
/// Position of people moving in.
pub const ARRIVALS: usize = 4;
/// Position of people moving out.
pub const DEPARTURES: usize = 5;

impl AccLayout {
    /// The layout of `model`: the fixed quantities first, then per chain and intervention.
    pub fn new(model: &Model) -> Self {
        let mut n = 6;
        let mut take = |k: usize| {
            let o = n;
            n += k;
            o
        };
        let occ_start = model.chains.iter().map(|c| take(c.n_states())).collect();
        let occ_end = model.chains.iter().map(|c| take(c.n_states())).collect();
        let entries = model.chains.iter().map(|c| take(c.n_states())).collect();
        let starts = model.chains.iter().map(|_| take(1)).collect();
        let chain_deaths = model.chains.iter().map(|_| take(1)).collect();
        let tc = model.chains.iter().map(|c| take(c.transition_costs.len())).collect();
        let participants = take(model.interventions.len());
        AccLayout { n, occ_start, occ_end, entries, starts, chain_deaths, tc, participants }
    }
}

/// Raw counts `[area][year][quantity]`.
#[derive(Debug, Clone)]
pub struct Acc {
    /// Number of areas (first axis).
    pub n_areas: usize,
    /// Number of simulated years (second axis).
    pub n_years: usize,
    /// Number of quantities (third axis), [`AccLayout::n`].
    pub n: usize,
    /// Counts in row-major `[area][year][quantity]` order.
    pub data: Vec<f64>,
}

impl Acc {
    /// All-zero counts for `n_areas` areas over `n_years` years.
    pub fn new(n_areas: usize, n_years: usize, layout: &AccLayout) -> Self {
        Acc { n_areas, n_years, n: layout.n, data: vec![0.0; n_areas * n_years * layout.n] }
    }

    /// The quantities of one area and year. A plain slice rather than an
    /// ndarray view: the kernels take it once per group and index it in their
    /// inner loops, where a view's shape checks would cost time.
    #[inline]
    pub fn at(&mut self, area: usize, year: usize) -> &mut [f64] {
        let i = (area * self.n_years + year) * self.n;
        &mut self.data[i..i + self.n]
    }

    /// The counts as a table `[area][year][quantity]` (a view of `data`).
    pub fn view(&self) -> ArrayView3<'_, f64> {
        ArrayView3::from_shape((self.n_areas, self.n_years, self.n), &self.data).expect("accumulator shape")
    }

    /// The counts as a writable table `[area][year][quantity]`.
    pub fn view_mut(&mut self) -> ArrayViewMut3<'_, f64> {
        ArrayViewMut3::from_shape((self.n_areas, self.n_years, self.n), &mut self.data).expect("accumulator shape")
    }
}

/// Person-years of year `t` from start/end-of-year values with the chosen correction.
/// `start(t)` is the value at the start of year t, `end(t)` at its end.
pub fn person_years(
    corr: CycleCorrection,
    years: usize,
    t: usize,
    start: &dyn Fn(usize) -> f64,
    end: &dyn Fn(usize) -> f64,
) -> f64 {
    match corr {
        CycleCorrection::None => start(t),
        CycleCorrection::HalfCycle => 0.5 * (start(t) + end(t)),
        CycleCorrection::Simpson => {
            // Boundaries o_k = start of year k (k < H), o_H = end of the last year.
            let o = |k: usize| if k < years { start(k) } else { end(years - 1) };
            if years == 1 {
                return 0.5 * (o(0) + o(1));
            }
            // The pair of years (t0, t0 + 1) integrated by Simpson's rule; an odd
            // last year shares the quadratic through the last three boundaries.
            let t0 = if t % 2 == 1 || t + 2 > years { t - 1 } else { t };
            let first = (5.0 * o(t0) + 8.0 * o(t0 + 1) - o(t0 + 2)) / 12.0;
            let second = (-o(t0) + 8.0 * o(t0 + 1) + 5.0 * o(t0 + 2)) / 12.0;
            if first < 0.0 || second < 0.0 {
                // The quadratic dips below zero (a state emptying within a
                // year): counts cannot be negative, so use the trapezoid here.
                0.5 * (start(t) + end(t))
            } else if t == t0 {
                first
            } else {
                second
            }
        }
    }
}

/// Turn raw counts into a ledger.
pub fn finalize(
    model: &Model,
    vals: &Realised,
    arm_interventions: &[usize],
    acc: &Acc,
    lay: &AccLayout,
    ml: &MeasureLayout,
) -> Ledger {
    let years = model.settings.horizon;
    let corr = model.settings.cycle_correction;
    let len = model.settings.cycle_length;
    let n_areas = model.areas.len();
    let n_acc = model.accounts.len();
    let n_out = model.outcomes.len();
    let mut led = Ledger::new(n_areas, years, ml.len());
    let counts = acc.view();
    for a in 0..n_areas {
        for t in 0..years {
            let g = |q: usize| counts[[a, t, q]];
            // Person-years of the cycle: its corrected count times the cycle length in years.
            let py = |qs: usize, qe: usize| {
                person_years(corr, years, t, &|k| counts[[a, k, qs]], &|k| counts[[a, k, qe]]) * len
            };
            let life = py(POP_START, POP_END);
            let row = led.row_mut(a, t);
            row[ledger::POP_START] = g(POP_START);
            row[ledger::POP_END] = g(POP_END);
            row[ledger::LIFE_YEARS] = life;
            row[ledger::BIRTHS] = g(BIRTHS);
            row[ledger::DEATHS] = g(DEATHS);
            row[ledger::ARRIVALS] = g(ARRIVALS);
            row[ledger::DEPARTURES] = g(DEPARTURES);
            for (o, &b) in vals.base_outcome.iter().enumerate() {
                row[ml.outcome[o]] += b * life;
            }
            for (c, ch) in model.chains.iter().enumerate() {
                let cv = &vals.chains[c];
                let mut active = 0.0;
                for s in 0..ch.n_states() {
                    let p = py(lay.occ_start[c] + s, lay.occ_end[c] + s);
                    active += p;
                    row[ml.person_years[c][s]] = p;
                    row[ml.entries[c][s]] = g(lay.entries[c] + s);
                    for k in 0..n_acc {
                        row[ml.care_cost[k]] += p * cv.state_cost[s * n_acc + k];
                    }
                    for o in 0..n_out {
                        row[ml.outcome[o]] += p * cv.outcome_weight[s * n_out + o];
                    }
                    row[ledger::SOCIAL_VALUE] += p * cv.social_value[s];
                }
                row[ml.chain_active[c]] = active;
                row[ml.starts[c]] = g(lay.starts[c]);
                row[ml.chain_deaths[c]] = g(lay.chain_deaths[c]);
                for (k, (_, _, cost)) in cv.transition_cost.iter().enumerate() {
                    let f = g(lay.tc[c] + k);
                    for (acct, &x) in cost.iter().enumerate() {
                        row[ml.care_cost[acct]] += f * x;
                    }
                }
            }
        }
    }
    // Interventions: participants and their costs; fixed costs shared over areas
    // in proportion to participants (evenly over target areas when nobody takes part).
    for &iv in arm_interventions {
        let spec = &model.interventions[iv];
        let v = &vals.interventions[iv];
        for t in 0..years {
            let year = model.settings.calendar_year(t);
            let parts = counts.slice(s![.., t, lay.participants + iv]).to_vec();
            let total: f64 = parts.iter().sum();
            let n_target = spec.areas.iter().filter(|&&x| x).count().max(1) as f64;
            for a in 0..n_areas {
                let row = led.row_mut(a, t);
                row[ml.participants[iv]] = parts[a];
                for k in 0..n_acc {
                    row[ml.intervention_cost[k]] += parts[a] * v.participant_cost[k];
                }
                if spec.active_in(year) {
                    let share = if total > 0.0 {
                        parts[a] / total
                    } else if spec.areas[a] {
                        1.0 / n_target
                    } else {
                        0.0
                    };
                    for k in 0..n_acc {
                        row[ml.intervention_cost[k]] += share * v.fixed_cost[k];
                    }
                }
            }
        }
    }
    add_state_and_move_effects(model, vals, arm_interventions, acc, lay, ml, &mut led);
    led
}

/// Add to a ledger what [`finalize`] counts from its person-years and moves
/// rather than from the engines: the one-off outcomes of moves
/// (`[[chain.transition_cost]] outcomes`, per move counted in `lay.tc`) and
/// the state effects of the arm's interventions. A state effect adds its
/// outcomes and costs (intervention costs) per person-year in its states —
/// the ledger's person-years, so with the model's cycle correction — in the
/// intervention's areas and calendar years, times its reach share × ramp-up
/// (the share of the target group taking part that year, as the engines use it).
fn add_state_and_move_effects(
    model: &Model,
    vals: &Realised,
    arm_interventions: &[usize],
    acc: &Acc,
    lay: &AccLayout,
    ml: &MeasureLayout,
    led: &mut Ledger,
) {
    let years = model.settings.horizon;
    let counts = acc.view();
    for (c, cv) in vals.chains.iter().enumerate() {
        for (k, per_move) in cv.transition_outcome.iter().enumerate() {
            for (o, &x) in per_move.iter().enumerate() {
                if x == 0.0 {
                    continue;
                }
                for a in 0..model.areas.len() {
                    for t in 0..years {
                        led.add(a, t, ml.outcome[o], counts[[a, t, lay.tc[c] + k]] * x);
                    }
                }
            }
        }
    }
    for &iv in arm_interventions {
        let spec = &model.interventions[iv];
        let v = &vals.interventions[iv];
        if spec.state_effects.is_empty() || !v.reach_is_share {
            continue;
        }
        for t in 0..years {
            let year = model.settings.start_year + t as i32;
            if !spec.active_in(year) {
                continue;
            }
            let share = (v.reach * v.ramp_at((year - spec.start_year) as usize)).clamp(0.0, 1.0);
            for (se, (outcomes, costs)) in spec.state_effects.iter().zip(&v.state_effects) {
                for a in (0..model.areas.len()).filter(|&a| spec.areas[a]) {
                    let py: f64 = (0..model.chains[se.chain].n_states())
                        .filter(|&s| se.states.contains(s))
                        .map(|s| led.get(a, t, ml.person_years[se.chain][s]))
                        .sum();
                    let x = share * py;
                    for (o, &u) in outcomes.iter().enumerate() {
                        led.add(a, t, ml.outcome[o], x * u);
                    }
                    for (k, &e) in costs.iter().enumerate() {
                        led.add(a, t, ml.intervention_cost[k], x * e);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simpson_never_gives_negative_person_years() {
        // Regression: occupancy 100, 0, 0 made the second year -100/12.
        let o = [100.0, 0.0, 0.0];
        for t in 0..2 {
            let got = person_years(CycleCorrection::Simpson, 2, t, &|k| o[k], &|k| o[k + 1]);
            assert!(got >= 0.0);
            assert_eq!(got, 0.5 * (o[t] + o[t + 1]));
        }
    }

    #[test]
    fn simpson_is_exact_for_quadratics_and_half_cycle_for_lines() {
        // Occupancy o(x) = 3 + 2x - 0.5x² on boundaries 0..=4 (a smooth path).
        let f = |x: f64| 3.0 + 2.0 * x - 0.5 * x * x;
        let integral = |a: f64, b: f64| {
            let big_f = |x: f64| 3.0 * x + x * x - x * x * x / 6.0;
            big_f(b) - big_f(a)
        };
        for years in [1usize, 2, 3, 4] {
            for t in 0..years {
                let got = person_years(CycleCorrection::Simpson, years, t, &|k| f(k as f64), &|k| f(k as f64 + 1.0));
                if years >= 2 {
                    assert!((got - integral(t as f64, t as f64 + 1.0)).abs() < 1e-12, "years {years} t {t}");
                }
            }
        }
        let lin = |x: f64| 10.0 - 3.0 * x;
        let got = person_years(CycleCorrection::HalfCycle, 3, 1, &|k| lin(k as f64), &|k| lin(k as f64 + 1.0));
        assert!((got - (lin(1.0) + lin(2.0)) / 2.0).abs() < 1e-12);
    }
}
