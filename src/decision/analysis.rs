//! The decision analysis of a run: the values it needs are kept draw by draw
//! while the run is summarised ([`DecisionDraws`]), and turned into the
//! incremental analysis, the acceptability curves and the value of
//! information per area slot when the run ends ([`DecisionDraws::finish`]).
//!
//! An arm's cost is its cash costs (care and intervention, funders that are
//! not shadow-priced) discounted at the costs rate, the per-arm `costs_pv`; its
//! effects are the per-arm discounted outcomes (`outcome_pv/NAME`) and
//! life-years (`life_years_pv`), and the care trajectory starts it avoids
//! against the nulalternatief (`avoided_starts` of the business case, 0 for
//! the nulalternatief). Net benefit at willingness to pay λ is λ·E − C with
//! E the model's decision effect ([`crate::model::Decision`]). Costs and
//! effects are totals over an area's population and the horizon, so the
//! value of information is the population's; per person it is divided by
//! the area's population at the start.
//!
//! Memory is O(draws × arms × area slots × effects) plus the draws'
//! parameter vectors (for EVPPI), never × years.

use ndarray::{Array2, ArrayView2};

use super::acceptability::{self, Curves};
use super::incremental::{self, IncrementalRow};
use super::voi::{self, EvppiOptions};
use crate::arms::{ArmLayout, COSTS_PV, LIFE_YEARS_PV};
use crate::business::AVOIDED_STARTS;
use crate::model::{EffectMeasure, Model};

/// Below this many draws a value-of-information estimate gets a warning.
pub const MIN_RELIABLE_DRAWS: usize = 1000;

/// The per-draw values of a run the decision analysis needs.
#[derive(Debug, Clone)]
pub struct DecisionDraws {
    n_arms: usize,
    n_slots: usize,
    /// The effect measures of the incremental tables, in order.
    effects: Vec<EffectMeasure>,
    /// `[draw][arm][slot]`: discounted cash costs.
    costs: Vec<f64>,
    /// `[draw][effect][arm][slot]`.
    values: Vec<f64>,
    /// `[draw][slot of the parameter vector]`.
    params: Vec<f64>,
    n_params: usize,
    draws: usize,
    /// What the analysis needs of the model, taken when the run starts.
    decision: crate::model::Decision,
    effect_names: Vec<String>,
    arms: Vec<String>,
    populations: Vec<f64>,
    singles: Vec<(String, Vec<usize>)>,
    stochastic: bool,
}

/// One row of the value-of-information table: a parameter group, or one
/// parameter alone.
#[derive(Debug, Clone, PartialEq)]
pub struct EvppiRow {
    /// The group's name, or the parameter's.
    pub name: String,
    /// True for a declared group, false for a single parameter.
    pub group: bool,
    /// The parameters it resolves.
    pub parameters: Vec<String>,
    /// EVPPI for the area's population over the horizon, euros.
    pub value: f64,
    /// Its standard error (regression uncertainty).
    pub se: f64,
    /// EVPPI per person (divided by the area's population at the start).
    pub per_person: f64,
    /// Why the estimate may be unreliable, if it may.
    pub warning: Option<String>,
}

/// The decision analysis of one area slot.
#[derive(Debug, Clone)]
pub struct AreaDecision {
    /// People at the start (the per-person divisor).
    pub population: f64,
    /// Per effect measure (in [`DecisionSummary::effects`] order): the incremental analysis of all arms.
    pub incremental: Vec<Vec<IncrementalRow>>,
    /// Expected net monetary benefit of each arm at the willingness to pay.
    pub nmb: Vec<f64>,
    /// The share of draws in which each arm has the highest net benefit at
    /// the willingness to pay (the acceptability curve there).
    pub p_best: Vec<f64>,
    /// Acceptability and expected loss over the willingness-to-pay grid.
    pub curves: Curves,
    /// EVPI at the willingness to pay, for the population over the horizon.
    pub evpi: f64,
    /// EVPPI of the declared groups (and, for the city total, of every uncertain parameter alone).
    pub evppi: Vec<EvppiRow>,
}

/// The decision analysis of a run.
#[derive(Debug, Clone)]
pub struct DecisionSummary {
    /// Name of the decision effect (an outcome, `life_years` or `avoided_starts`).
    pub effect: String,
    /// Willingness to pay per unit of the effect, euros.
    pub wtp: f64,
    /// Names of the effect measures of the incremental tables.
    pub effects: Vec<String>,
    /// Arm names: the nulalternatief, then the scenarios.
    pub arms: Vec<String>,
    /// Per area slot (areas, then the city total).
    pub areas: Vec<AreaDecision>,
    /// Draws analysed.
    pub draws: usize,
    /// A note for the whole analysis (too few draws, stochastic noise).
    pub warning: Option<String>,
    /// Value-of-information estimates made (EVPPI of groups and parameters, all areas).
    pub evppi_estimates: usize,
    /// Wall-clock seconds the analysis took (for the command line's
    /// message; never written into a result file, so results stay
    /// byte-identical between runs).
    pub seconds: f64,
}

/// The name of effect measure `e` of `model`.
fn effect_name(model: &Model, e: EffectMeasure) -> String {
    match e {
        EffectMeasure::Outcome(o) => model.outcomes[o].clone(),
        EffectMeasure::LifeYears => "life_years".into(),
        EffectMeasure::AvoidedStarts => "avoided_starts".into(),
    }
}

impl DecisionDraws {
    /// An empty collector for `model` with `n_slots` area slots.
    pub fn new(model: &Model, n_slots: usize) -> Self {
        let mut effects: Vec<EffectMeasure> = (0..model.outcomes.len()).map(EffectMeasure::Outcome).collect();
        effects.extend([EffectMeasure::LifeYears, EffectMeasure::AvoidedStarts]);
        let mut arms = vec![Model::BASELINE.to_string()];
        arms.extend(model.scenarios.iter().map(|s| s.name.clone()));
        DecisionDraws {
            n_arms: 1 + model.scenarios.len(),
            n_slots,
            effect_names: effects.iter().map(|&e| effect_name(model, e)).collect(),
            effects,
            costs: Vec::new(),
            values: Vec::new(),
            params: Vec::new(),
            n_params: model.params.slots,
            draws: 0,
            decision: model.decision.clone(),
            arms,
            populations: populations(model, n_slots),
            singles: single_parameters(model),
            stochastic: model.settings.mode == crate::model::Mode::Stochastic,
        }
    }

    /// Keep one draw: `arm_totals[(arm * n_slots + slot) * layout.len() + metric]`
    /// (the per-arm metrics), `metrics` (the business case, `[scenario][slot][metric]`
    /// with `n_metrics` per cell) and the draw's parameter vector.
    pub fn push(&mut self, layout: &ArmLayout, arm_totals: &[f64], metrics: &[f64], n_metrics: usize, params: &[f64]) {
        let (na, ns, k) = (self.n_arms, self.n_slots, layout.len());
        for arm in 0..na {
            for slot in 0..ns {
                self.costs.push(arm_totals[(arm * ns + slot) * k + COSTS_PV]);
            }
        }
        for e in &self.effects {
            for arm in 0..na {
                for slot in 0..ns {
                    let x = match *e {
                        EffectMeasure::Outcome(o) => arm_totals[(arm * ns + slot) * k + layout.outcome[o] + 1],
                        EffectMeasure::LifeYears => arm_totals[(arm * ns + slot) * k + LIFE_YEARS_PV],
                        EffectMeasure::AvoidedStarts if arm == 0 => 0.0,
                        EffectMeasure::AvoidedStarts => metrics[((arm - 1) * ns + slot) * n_metrics + AVOIDED_STARTS],
                    };
                    self.values.push(x);
                }
            }
        }
        // Always n_params per draw, so draws stay aligned (a draw without
        // parameters, as some tests make, has only missing inputs).
        self.params.extend(params.iter().copied().chain(std::iter::repeat(f64::NAN)).take(self.n_params));
        self.draws += 1;
    }

    /// `[draw, arm]` costs of area slot `slot`.
    fn costs_of(&self, slot: usize) -> Array2<f64> {
        let (na, ns) = (self.n_arms, self.n_slots);
        Array2::from_shape_fn((self.draws, na), |(d, a)| self.costs[(d * na + a) * ns + slot])
    }

    /// `[draw, arm]` values of effect measure `e` (index into `effects`) in area slot `slot`.
    fn effect_of(&self, e: usize, slot: usize) -> Array2<f64> {
        let (na, ns, ne) = (self.n_arms, self.n_slots, self.effects.len());
        Array2::from_shape_fn((self.draws, na), |(d, a)| self.values[((d * ne + e) * na + a) * ns + slot])
    }

    /// `[draw, input]` values of the parameter slots `slots`.
    fn inputs(&self, slots: &[usize]) -> Array2<f64> {
        Array2::from_shape_fn((self.draws, slots.len()), |(d, j)| self.params[d * self.n_params + slots[j]])
    }

    /// The decision analysis of the kept draws; `None` when the model has no
    /// decision effect or no draws were kept.
    pub fn finish(&self) -> Option<DecisionSummary> {
        let d = &self.decision;
        let effect = d.effect?;
        if self.draws == 0 {
            return None;
        }
        let clock = std::time::Instant::now();
        let primary = self.effects.iter().position(|&e| e == effect)?;
        let areas: Result<Vec<AreaDecision>, String> = (0..self.n_slots).map(|slot| self.area(slot, primary)).collect();
        // The run rejects non-finite results, so this should not happen; if it
        // does, the analysis is left out with the reason rather than half-made.
        let (areas, failed) = match areas {
            Ok(a) => (a, None),
            Err(e) => (vec![], Some(format!("the decision analysis could not be made: {e}"))),
        };
        let warning = if failed.is_some() {
            failed
        } else if self.draws < MIN_RELIABLE_DRAWS {
            Some(format!("{} draws: the value of information estimates are unreliable below {MIN_RELIABLE_DRAWS} draws; run more draws (e.g. --draws 5000)", self.draws))
        } else if self.stochastic {
            Some("stochastic mode: person-level chance adds to the spread of net benefit, so EVPI is overstated; use cohort mode for the value of information".to_string())
        } else {
            None
        };
        Some(DecisionSummary {
            effect: self.effect_names[primary].clone(),
            wtp: d.wtp,
            effects: self.effect_names.clone(),
            arms: self.arms.clone(),
            evppi_estimates: areas.iter().map(|a| a.evppi.len()).sum(),
            areas,
            draws: self.draws,
            warning,
            seconds: clock.elapsed().as_secs_f64(),
        })
    }

    /// The analysis of area slot `slot`, `primary` the decision effect's index.
    fn area(&self, slot: usize, primary: usize) -> Result<AreaDecision, String> {
        let d = &self.decision;
        let costs = self.costs_of(slot);
        let mean_costs = column_means(costs.view());
        let incremental = (0..self.effects.len())
            .map(|e| incremental::incremental(&mean_costs, &column_means(self.effect_of(e, slot).view())))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let eff = self.effect_of(primary, slot);
        let nb = Array2::from_shape_fn(costs.dim(), |(i, a)| d.wtp * eff[[i, a]] - costs[[i, a]]);
        let nmb = column_means(nb.view());
        let curves = acceptability::curves(costs.view(), eff.view(), &d.wtp_grid).map_err(|e| e.to_string())?;
        let evpi = voi::evpi(nb.view()).map_err(|e| e.to_string())?;
        let at_wtp = acceptability::curves(costs.view(), eff.view(), &[d.wtp]).map_err(|e| e.to_string())?;
        let p_best = at_wtp.ceac.row(0).to_vec();
        let population = self.populations[slot];
        // Single parameters for the city total only: per area the groups.
        let city = slot + 1 == self.n_slots;
        let mut rows: Vec<(String, bool, Vec<String>, &[usize])> =
            d.groups.iter().map(|g| (g.name.clone(), true, g.parameters.clone(), &g.slots[..])).collect();
        if city {
            rows.extend(self.singles.iter().map(|(n, s)| (n.clone(), false, vec![n.clone()], &s[..])));
        }
        let inputs: Vec<Array2<f64>> = rows.iter().map(|r| self.inputs(r.3)).collect();
        let views: Vec<ArrayView2<f64>> = inputs.iter().map(|x| x.view()).collect();
        let opts = EvppiOptions { seed: EVPPI_SEED, ..EvppiOptions::default() };
        let results = voi::evppi_groups(nb.view(), &views, &opts);
        let evppi = rows
            .into_iter()
            .zip(results)
            .map(|((name, group, parameters, _), r)| {
                let (value, se, warning) = match r {
                    Ok(e) => (e.value, e.se, e.warning),
                    Err(err) => (f64::NAN, f64::NAN, Some(err.to_string())),
                };
                EvppiRow { name, group, parameters, value, se, per_person: per_person(value, population), warning }
            })
            .collect();
        Ok(AreaDecision { population, incremental, nmb, p_best, curves, evpi, evppi })
    }
}

/// The seed of the EVPPI standard errors' sampling: fixed, so an analysis
/// of the same draws always gives the same numbers.
const EVPPI_SEED: u64 = 17;

/// Per-person value of `x` for `population` people (NaN without people).
pub fn per_person(x: f64, population: f64) -> f64 {
    if population > 0.0 {
        x / population
    } else {
        f64::NAN
    }
}

/// Column means of a `[draw, arm]` table.
fn column_means(t: ArrayView2<f64>) -> Vec<f64> {
    let n = t.nrows().max(1) as f64;
    t.columns().into_iter().map(|c| c.sum() / n).collect()
}

/// People at the start per area slot (the city total last).
fn populations(model: &Model, n_slots: usize) -> Vec<f64> {
    let mut out: Vec<f64> = model.areas.iter().map(|a| a.population.iter().flatten().sum()).collect();
    out.truncate(n_slots.saturating_sub(1));
    let total = out.iter().sum();
    out.push(total);
    out
}

/// Every uncertain distribution parameter with its slots (a dirichlet's
/// first k − 1), by name: the single parameters of the value-of-information table.
pub fn single_parameters(model: &Model) -> Vec<(String, Vec<usize>)> {
    model.params.params.iter().map(|p| (p.name.clone(), p.free_slots().collect())).collect()
}
