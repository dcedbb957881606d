//! Per-arm results: each strategy's own totals over the horizon, as published
//! decision-model tables give them (total costs, QALYs and life-years of every
//! strategy, discounted and not), so users can compare the arms themselves
//! (incremental costs, ICERs against any arm, not only the nulalternatief).
//!
//! Per draw, per arm (index 0 the nulalternatief, `1 + s` scenario `s`) and per
//! area slot (every area, then the city total `totaal`), [`totals`] turns the
//! arm's ledger into the [`ArmLayout`]'s metrics. Each comes undiscounted (the
//! sum over the simulated years) and as a present value (`_pv`, discounted
//! through [`business::measure_pv`], money at the costs rate, outcomes and
//! life-years at the effects rate). Nothing here is SROI-corrected and nothing
//! is counted after the horizon: those corrections belong to the comparison of
//! a scenario with the nulalternatief, not to an arm.
//!
//! The summariser ([`crate::summary`]) summarises these values draw by draw,
//! like the business-case metrics (mean, sd, MCSE, exact quantiles), from the
//! ledgers every draw carries, so `merge` of shards, which replays the draws,
//! gives the same results as one run.

use crate::business;
use crate::ledger::{MeasureLayout, LIFE_YEARS};
use crate::model::Model;
use ndarray::ArrayView2;

/// Cash costs (care + intervention) summed over the accounts of funders that
/// are not shadow-priced, undiscounted.
pub const COSTS: usize = 0;
/// [`COSTS`] discounted at the costs rate.
pub const COSTS_PV: usize = 1;
/// Cash care costs (states and transitions), undiscounted.
pub const CARE_COSTS: usize = 2;
/// [`CARE_COSTS`] discounted at the costs rate.
pub const CARE_COSTS_PV: usize = 3;
/// Cash intervention costs (the nulalternatief's interventions in every arm, a scenario's own in its arm), undiscounted.
pub const INTERVENTION_COSTS: usize = 4;
/// [`INTERVENTION_COSTS`] discounted at the costs rate.
pub const INTERVENTION_COSTS_PV: usize = 5;
/// Life-years (person-years alive, with the cycle correction), undiscounted.
pub const LIFE_YEARS_TOTAL: usize = 6;
/// [`LIFE_YEARS_TOTAL`] discounted at the effects rate.
pub const LIFE_YEARS_PV: usize = 7;

const FIXED: [&str; 8] = [
    "costs",
    "costs_pv",
    "care_costs",
    "care_costs_pv",
    "intervention_costs",
    "intervention_costs_pv",
    "life_years",
    "life_years_pv",
];

/// Names and positions of the per-arm metrics of a model: the fixed metrics,
/// then per outcome `outcome/NAME` and `outcome_pv/NAME`, then per account
/// (funder with its taakveld, shadow-priced or not) `costs/ACCOUNT` and
/// `costs_pv/ACCOUNT`. Each undiscounted metric is directly followed by its
/// present value.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmLayout {
    /// Metric names, index = metric position.
    pub names: Vec<String>,
    /// `outcome[o]` → index of `outcome/NAME` (its present value is the next index).
    pub outcome: Vec<usize>,
    /// `account[a]` → index of `costs/ACCOUNT` (its present value is the next index).
    pub account: Vec<usize>,
}

impl ArmLayout {
    /// The layout of `model`.
    pub fn new(model: &Model) -> Self {
        let mut names: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
        let mut pair = |plain: String, pv: String| {
            names.push(plain);
            names.push(pv);
            names.len() - 2
        };
        let outcome = model.outcomes.iter().map(|o| pair(format!("outcome/{o}"), format!("outcome_pv/{o}"))).collect();
        let account = (0..model.accounts.len())
            .map(|a| {
                let l = model.account_label(a);
                pair(format!("costs/{l}"), format!("costs_pv/{l}"))
            })
            .collect();
        ArmLayout { names, outcome, account }
    }

    /// Number of metrics.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no metrics (never: the fixed metrics are always present).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The per-arm metrics of one arm's `[year][measure]` table (one area's, or
/// the city total's) into `out` (`out.len() == layout.len()`).
pub fn totals(
    model: &Model,
    measures: &MeasureLayout,
    layout: &ArmLayout,
    table: ArrayView2<'_, f64>,
    out: &mut [f64],
) {
    let s = &model.settings;
    let sum = |m: usize| (0..s.horizon).map(|t| table[[t, m]]).sum::<f64>();
    let pv = |m: usize, rate: f64| business::measure_pv(s, measures, table, m, rate);
    out.fill(0.0);
    for (a, &i) in layout.account.iter().enumerate() {
        let (care, int) = (measures.care_cost[a], measures.intervention_cost[a]);
        let (c, c_pv) = (sum(care), pv(care, s.discount_costs));
        let (v, v_pv) = (sum(int), pv(int, s.discount_costs));
        out[i] = c + v;
        out[i + 1] = c_pv + v_pv;
        if !model.is_shadow_account(a) {
            out[CARE_COSTS] += c;
            out[CARE_COSTS_PV] += c_pv;
            out[INTERVENTION_COSTS] += v;
            out[INTERVENTION_COSTS_PV] += v_pv;
        }
    }
    out[COSTS] = out[CARE_COSTS] + out[INTERVENTION_COSTS];
    out[COSTS_PV] = out[CARE_COSTS_PV] + out[INTERVENTION_COSTS_PV];
    out[LIFE_YEARS_TOTAL] = sum(LIFE_YEARS);
    out[LIFE_YEARS_PV] = pv(LIFE_YEARS, s.discount_effects);
    for (o, &i) in layout.outcome.iter().enumerate() {
        let m = measures.outcome[o];
        out[i] = sum(m);
        out[i + 1] = pv(m, s.discount_effects);
    }
}
