//! Raw counts of one arm (both modes fill the same accumulator), turned into a
//! [`Ledger`] with the cycle correction, costs, outcomes and social value.

use super::cycles::{CycleWeights, Lens};
use super::realise::Realised;
use crate::ledger::{self, Ledger, MeasureLayout};
use crate::model::Model;
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

/// Turn raw counts into a ledger: person-years with the cycle convention's
/// split of each year (§5.6), and, under `discount_timing = "boundary"`, the
/// discounted value of every money and outcome measure (§5.7), computed by the
/// same pass with the discount factors folded into the weights ([`Lens`]), so
/// every amount is discounted at the boundary where the convention counts it.
pub fn finalize(
    model: &Model,
    vals: &Realised,
    arm_interventions: &[usize],
    acc: &Acc,
    lay: &AccLayout,
    ml: &MeasureLayout,
) -> Ledger {
    finalize_areas(model, vals, arm_interventions, acc, lay, ml, None)
}

/// [`finalize`] for the areas `only[a]` alone (all with `None`); the rows of
/// the other areas stay zero. Each area's rows are computed from its own
/// counts, so the selected rows are bit for bit those of [`finalize`]: the
/// budget allocation reads one area per option and saves valuing the rest.
pub fn finalize_areas(
    model: &Model,
    vals: &Realised,
    arm_interventions: &[usize],
    acc: &Acc,
    lay: &AccLayout,
    ml: &MeasureLayout,
    only: Option<&[bool]>,
) -> Ledger {
    let w = CycleWeights::of(&model.settings);
    let pass = |lens: &Lens| value(model, vals, arm_interventions, (acc, only), lay, ml, lens);
    let mut led = pass(&Lens::counts(&w));
    if let Some(d) = &ml.discounted {
        let s = &model.settings;
        let money = pass(&Lens::discounted(&w, s, s.discount_costs));
        let effects =
            (s.discount_effects != s.discount_costs).then(|| pass(&Lens::discounted(&w, s, s.discount_effects)));
        let effects = effects.as_ref().unwrap_or(&money);
        // (source ledger, undiscounted measure, its discounted measure)
        let mut copies: Vec<(&Ledger, usize, usize)> = vec![];
        copies.extend(ml.care_cost.iter().zip(&d.care_cost).map(|(&m, &k)| (&money, m, k)));
        copies.extend(ml.intervention_cost.iter().zip(&d.intervention_cost).map(|(&m, &k)| (&money, m, k)));
        copies.extend(ml.outcome.iter().zip(&d.outcome).map(|(&m, &k)| (effects, m, k)));
        copies.push((effects, ledger::SOCIAL_VALUE, d.social_value));
        copies.push((effects, ledger::LIFE_YEARS, d.life_years));
        for a in (0..led.n_areas).filter(|&a| only.is_none_or(|o| o[a])) {
            for t in 0..led.n_years {
                for &(src, m, k) in &copies {
                    let x = src.get(a, t, m);
                    led.row_mut(a, t)[k] = x;
                }
            }
        }
    }
    led
}

/// One valuation of the raw counts: a year's person-years are
/// `lens.start[t]`·(start count) + `lens.end[t]`·(end count), and every event
/// of the year (transitions, participants, fixed costs) counts
/// `lens.event[t]` times. Everything added to the ledger here must go through
/// `py` or `ev`, so the discounted passes see it at its boundary.
fn value(
    model: &Model,
    vals: &Realised,
    arm_interventions: &[usize],
    (acc, only): (&Acc, Option<&[bool]>),
    lay: &AccLayout,
    ml: &MeasureLayout,
    lens: &Lens,
) -> Ledger {
    let years = model.settings.horizon;
    // Person-time is counts times the cycle length in years (1 for yearly cycles).
    let len = model.settings.cycle_length;
    let n_areas = model.areas.len();
    let n_acc = model.accounts.len();
    let n_out = model.outcomes.len();
    let mut led = Ledger::new(n_areas, years, ml.len());
    let counts = acc.view();
    for a in (0..n_areas).filter(|&a| only.is_none_or(|o| o[a])) {
        for t in 0..years {
            let g = |q: usize| counts[[a, t, q]];
            // Person-years of the cycle: its weighted counts times the cycle length in years.
            let py = |qs: usize, qe: usize| (lens.start[t] * g(qs) + lens.end[t] * g(qe)) * len;
            let ev = lens.event[t];
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
                    let f = g(lay.tc[c] + k) * ev;
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
                let ev = lens.event[t];
                for k in 0..n_acc {
                    row[ml.intervention_cost[k]] += parts[a] * ev * v.participant_cost[k];
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
                        row[ml.intervention_cost[k]] += share * ev * v.fixed_cost[k];
                    }
                }
            }
        }
    }
    add_state_and_move_effects(model, vals, arm_interventions, acc, (lay, ml), lens, &mut led);
    led
}

/// Add to a ledger what [`finalize`] counts from its person-years and moves
/// rather than from the engines: the one-off outcomes of moves
/// (`[[chain.transition_cost]] outcomes`, per move counted in `lay.tc`) and
/// the state effects of the arm's interventions. A state effect adds its
/// outcomes and costs (intervention costs) per person-year in its states —
/// the ledger's person-years, so with the model's cycle convention and, in a
/// discounted pass, discounted at their boundaries — in the
/// intervention's areas and calendar years, times its reach share × ramp-up
/// (the share of the target group taking part that year, as the engines use it).
fn add_state_and_move_effects(
    model: &Model,
    vals: &Realised,
    arm_interventions: &[usize],
    acc: &Acc,
    (lay, ml): (&AccLayout, &MeasureLayout),
    lens: &Lens,
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
                        led.add(a, t, ml.outcome[o], counts[[a, t, lay.tc[c] + k]] * lens.event[t] * x);
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
            let year = model.settings.calendar_year(t);
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
