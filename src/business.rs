//! The business case (maatschappelijke businesscase) of one draw: each scenario
//! against the nulalternatief, per area and for the city total.
//!
//! Sign conventions: *benefits* are avoided care costs (nulalternatief minus
//! scenario), so a scenario that prevents care has positive benefits;
//! *intervention costs* are the scenario's own spending. NPV = PV(benefits) −
//! PV(intervention costs). Social value and outcomes are reported apart from
//! money (discounted at the effects rate), with `npv_incl_social` adding the
//! monetised social value. SROI corrections (deadweight, attribution,
//! displacement) multiply the benefits, social value and outcome gains by
//! (1 − dw)(1 − attr)(1 − disp); `pv_benefits_gross` keeps the uncorrected figure.
//!
//! Missing values (a benefit/cost ratio without costs, a break-even year that is
//! never reached) are `f64::NAN` here and are written as empty cells / `null`.

use crate::ledger::{Ledger, MeasureLayout, LIFE_YEARS, SOCIAL_VALUE};
use crate::model::{ChainKind, Model};

/// Area label of the city total (the last area slot of every comparison).
pub(crate) const TOTAL_AREA: &str = "totaal";

/// Names and positions of the per-draw business-case metrics.
#[derive(Debug, Clone)]
pub struct MetricLayout {
    /// Machine-readable metric names, e.g. `npv`, `pv_benefits/gemeente/6.71`; index = metric position.
    pub names: Vec<String>,
    /// `pv_benefits_by_account[account]` → metric index: present value of avoided care costs.
    pub pv_benefits_by_account: Vec<usize>,
    /// `pv_costs_by_account[account]` → metric index: present value of intervention costs.
    pub pv_costs_by_account: Vec<usize>,
    /// `pv_net_by_account[account]` → metric index: benefits minus costs, the "wie betaalt, wie baat" column.
    pub pv_net_by_account: Vec<usize>,
    /// `outcome_gained[outcome]` → metric index: undiscounted outcome units gained.
    pub outcome_gained: Vec<usize>,
    /// `outcome_gained_pv[outcome]` → metric index: outcome units gained, discounted at the effects rate.
    pub outcome_gained_pv: Vec<usize>,
    /// `avoided_starts_by_chain[chain]` → metric index: trajectory starts avoided.
    pub avoided_starts_by_chain: Vec<usize>,
    /// `avoided_person_years[chain][state]`.
    pub avoided_person_years: Vec<Vec<usize>>,
}

/// Present value of benefits (avoided care costs) after SROI corrections.
pub const PV_BENEFITS: usize = 0;
/// Present value of benefits before SROI corrections.
pub const PV_BENEFITS_GROSS: usize = 1;
/// Present value of the scenario's intervention costs.
pub const PV_INTERVENTION_COSTS: usize = 2;
/// Net present value: PV(benefits) − PV(intervention costs).
pub const NPV: usize = 3;
/// Benefit/cost ratio: PV(benefits) / PV(intervention costs); NaN without costs.
pub const BCR: usize = 4;
/// Present value of monetised social value gained (effects rate).
pub const PV_SOCIAL_VALUE: usize = 5;
/// NPV plus the present value of social value.
pub const NPV_INCL_SOCIAL: usize = 6;
/// Benefit/cost ratio with social value added to the benefits.
pub const BCR_INCL_SOCIAL: usize = 7;
/// Calendar year from which the cumulative discounted net benefit stays ≥ 0 through the horizon; NaN if never.
pub const BREAK_EVEN_YEAR: usize = 8;
/// Benefits summed over the horizon without discounting.
pub const BENEFITS_UNDISCOUNTED: usize = 9;
/// Intervention costs summed over the horizon without discounting.
pub const INTERVENTION_COSTS_UNDISCOUNTED: usize = 10;
/// Undiscounted benefits minus undiscounted intervention costs.
pub const NET_UNDISCOUNTED: usize = 11;
/// Social value summed over the horizon without discounting.
pub const SOCIAL_VALUE_UNDISCOUNTED: usize = 12;
/// Life-years gained (scenario minus nulalternatief), undiscounted.
pub const LIFE_YEARS_GAINED: usize = 13;
/// Life-years gained, discounted at the effects rate.
pub const LIFE_YEARS_GAINED_PV: usize = 14;
/// Care trajectory starts avoided, summed over care chains.
pub const AVOIDED_STARTS: usize = 15;
/// Participants of the scenario's own interventions, summed over interventions and years.
pub const PARTICIPANTS: usize = 16;
/// PV(intervention costs) − PV(benefits): the numerator of every incremental cost-effectiveness ratio.
pub const PV_NET_COST: usize = 17;

const FIXED: [&str; 18] = [
    "pv_benefits",
    "pv_benefits_gross",
    "pv_intervention_costs",
    "npv",
    "bcr",
    "pv_social_value",
    "npv_incl_social",
    "bcr_incl_social",
    "break_even_year",
    "benefits_undiscounted",
    "intervention_costs_undiscounted",
    "net_undiscounted",
    "social_value_undiscounted",
    "life_years_gained",
    "life_years_gained_pv",
    "avoided_starts",
    "participants",
    "pv_net_cost",
];

impl MetricLayout {
    /// The layout of `model`: the fixed metrics first, then per account, outcome and chain.
    pub fn new(model: &Model) -> Self {
        let mut names: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
        let push = |n: String, names: &mut Vec<String>| {
            names.push(n);
            names.len() - 1
        };
        let labels: Vec<String> = (0..model.accounts.len()).map(|a| model.account_label(a)).collect();
        let pv_benefits_by_account = labels.iter().map(|l| push(format!("pv_benefits/{l}"), &mut names)).collect();
        let pv_costs_by_account =
            labels.iter().map(|l| push(format!("pv_intervention_costs/{l}"), &mut names)).collect();
        let pv_net_by_account = labels.iter().map(|l| push(format!("pv_net/{l}"), &mut names)).collect();
        let outcome_gained = model.outcomes.iter().map(|o| push(format!("{o}_gained"), &mut names)).collect();
        let outcome_gained_pv = model.outcomes.iter().map(|o| push(format!("{o}_gained_pv"), &mut names)).collect();
        let avoided_starts_by_chain =
            model.chains.iter().map(|c| push(format!("avoided_starts/{}", c.name), &mut names)).collect();
        let avoided_person_years = model
            .chains
            .iter()
            .map(|c| {
                c.states.iter().map(|s| push(format!("avoided_person_years/{}/{}", c.name, s), &mut names)).collect()
            })
            .collect();
        MetricLayout {
            names,
            pv_benefits_by_account,
            pv_costs_by_account,
            pv_net_by_account,
            outcome_gained,
            outcome_gained_pv,
            avoided_starts_by_chain,
            avoided_person_years,
        }
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

/// One comparison of the business case: a scenario's ledger against the
/// nulalternatief's in one area of one draw.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    /// The nulalternatief.
    pub base: &'a Ledger,
    /// The scenario.
    pub scen: &'a Ledger,
    /// The area, `n_areas` for the city total.
    pub area: usize,
    /// (1 − deadweight)(1 − attribution)(1 − displacement) in this draw.
    pub sroi_factor: f64,
    /// The scenario's own interventions (not the nulalternatief's, which run
    /// in both arms): only their participants count in `participants`.
    pub own: &'a [usize],
}

/// Compute the metrics of comparison `cmp` into `out` (`out.len() == layout.len()`).
pub fn compute(model: &Model, measures: &MeasureLayout, layout: &MetricLayout, cmp: &Comparison<'_>, out: &mut [f64]) {
    let sroi_factor = cmp.sroi_factor;
    // `[year][measure]` of the area (or of the city total).
    let (base, scen) = (cmp.base.area_table(cmp.area), cmp.scen.area_table(cmp.area));
    out.fill(0.0);
    let s = &model.settings;
    let years = s.horizon;
    let mut cum = vec![0.0; years];
    let mut running = 0.0;
    for t in 0..years {
        let dc = s.discount_factor(s.discount_costs, t);
        let de = s.discount_factor(s.discount_effects, t);
        let mut benefit_t = 0.0;
        let mut cost_t = 0.0;
        for a in 0..model.accounts.len() {
            let b = (base[[t, measures.care_cost[a]]] - scen[[t, measures.care_cost[a]]]) * sroi_factor;
            let c = scen[[t, measures.intervention_cost[a]]] - base[[t, measures.intervention_cost[a]]];
            out[layout.pv_benefits_by_account[a]] += b * dc;
            out[layout.pv_costs_by_account[a]] += c * dc;
            out[layout.pv_net_by_account[a]] += (b - c) * dc;
            benefit_t += b;
            cost_t += c;
        }
        out[PV_BENEFITS] += benefit_t * dc;
        out[PV_BENEFITS_GROSS] += if sroi_factor > 0.0 { benefit_t / sroi_factor * dc } else { 0.0 };
        out[PV_INTERVENTION_COSTS] += cost_t * dc;
        out[BENEFITS_UNDISCOUNTED] += benefit_t;
        out[INTERVENTION_COSTS_UNDISCOUNTED] += cost_t;
        let sv = (scen[[t, SOCIAL_VALUE]] - base[[t, SOCIAL_VALUE]]) * sroi_factor;
        out[PV_SOCIAL_VALUE] += sv * de;
        out[SOCIAL_VALUE_UNDISCOUNTED] += sv;
        let ly = scen[[t, LIFE_YEARS]] - base[[t, LIFE_YEARS]];
        out[LIFE_YEARS_GAINED] += ly;
        out[LIFE_YEARS_GAINED_PV] += ly * de;
        for o in 0..model.outcomes.len() {
            let m = measures.outcome[o];
            let d = (scen[[t, m]] - base[[t, m]]) * sroi_factor;
            out[layout.outcome_gained[o]] += d;
            out[layout.outcome_gained_pv[o]] += d * de;
        }
        for (c, ch) in model.chains.iter().enumerate() {
            let m = measures.starts[c];
            let d = base[[t, m]] - scen[[t, m]];
            out[layout.avoided_starts_by_chain[c]] += d;
            if ch.kind == ChainKind::Care {
                out[AVOIDED_STARTS] += d;
            }
            for st in 0..ch.n_states() {
                let m = measures.person_years[c][st];
                out[layout.avoided_person_years[c][st]] += base[[t, m]] - scen[[t, m]];
            }
        }
        for i in (0..model.interventions.len()).filter(|i| cmp.own.contains(i)) {
            out[PARTICIPANTS] += scen[[t, measures.participants[i]]];
        }
        running += (benefit_t - cost_t) * dc;
        cum[t] = running;
    }
    out[NET_UNDISCOUNTED] = out[BENEFITS_UNDISCOUNTED] - out[INTERVENTION_COSTS_UNDISCOUNTED];
    out[NPV] = out[PV_BENEFITS] - out[PV_INTERVENTION_COSTS];
    out[NPV_INCL_SOCIAL] = out[NPV] + out[PV_SOCIAL_VALUE];
    out[PV_NET_COST] = -out[NPV];
    let costs = out[PV_INTERVENTION_COSTS];
    out[BCR] = if costs > 0.0 { out[PV_BENEFITS] / costs } else { f64::NAN };
    out[BCR_INCL_SOCIAL] = if costs > 0.0 { (out[PV_BENEFITS] + out[PV_SOCIAL_VALUE]) / costs } else { f64::NAN };
    out[BREAK_EVEN_YEAR] = break_even(&cum).map_or(f64::NAN, |t| (s.start_year + t as i32) as f64);
}

/// First year index from which the cumulative discounted net flow stays >= 0
/// through the horizon, provided something was spent before or in it.
pub fn break_even(cum: &[f64]) -> Option<usize> {
    let n = cum.len();
    if n == 0 || cum[n - 1] < 0.0 {
        return None;
    }
    let mut t = n;
    while t > 0 && cum[t - 1] >= 0.0 {
        t -= 1;
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_is_first_year_from_which_cumulative_net_stays_non_negative() {
        assert_eq!(break_even(&[-5.0, -2.0, 1.0, 3.0]), Some(2));
        assert_eq!(break_even(&[-5.0, 1.0, -1.0, 3.0]), Some(3));
        assert_eq!(break_even(&[1.0, 2.0]), Some(0));
        assert_eq!(break_even(&[-1.0, -0.5]), None);
        assert_eq!(break_even(&[]), None);
    }
}
