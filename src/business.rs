//! The business case (maatschappelijke businesscase) of one draw: each scenario
//! against the nulalternatief, per area and for the city total.
//!
//! # Three levels
//!
//! Dutch social cost-benefit practice (CPB/PBL, *Algemene leidraad voor
//! maatschappelijke kosten-batenanalyse*, 2013; SEO Economisch Onderzoek,
//! *Werkwijzer voor kosten-batenanalyse in het sociale domein*, with Marc Pomp, 2016) reports a
//! business case at three levels, and so do these metrics:
//!
//! - **financieel** (cash): `pv_benefits` (avoided care costs), the scenario's
//!   `pv_intervention_costs`, `npv` and `bcr`, per funder and taakveld in
//!   `pv_benefits/…`, `pv_intervention_costs/…` and `pv_net/…`. Accounts of a
//!   *shadow-priced* funder (`[model] shadow_priced`, e.g. mantelzorgers,
//!   whose "costs" are hours valued at a replacement-cost price) are left out
//!   of the financial totals; their per-account metrics stay.
//! - **maatschappelijk** (cash plus welfare valued in money): `pv_welfare` =
//!   outcomes valued at `[valuation]` prices (`pv_welfare_outcomes`, per
//!   outcome `pv_value/…`) + the monetised `pv_social_value` + avoided
//!   shadow-priced costs (`pv_shadow_benefits`);
//!   `npv_societal` = `npv` + `pv_welfare` − `pv_shadow_costs` and
//!   `bcr_societal` = (`pv_benefits` + `pv_welfare`) / (`pv_intervention_costs`
//!   + `pv_shadow_costs`).
//! - **PM-posten** (named, not valued): the `pm` lists of the scenario and its
//!   interventions, and outcomes without a valuation, counted in units only
//!   (`{outcome}_gained`); see
//!   [`Model::scenario_pm`](crate::model::Model::scenario_pm).
//!
//! Sign conventions: *benefits* are avoided care costs (nulalternatief minus
//! scenario), so a scenario that prevents care has positive benefits;
//! *intervention costs* are the scenario's own spending. Money (cash and
//! shadow-priced) is discounted at the costs rate, outcomes and social value
//! at the effects rate. SROI corrections (deadweight, attribution,
//! displacement) multiply benefits and welfare by (1 − dw)(1 − attr)(1 − disp);
//! `pv_benefits_gross` keeps the uncorrected cash figure.
//!
//! # Discount timing
//!
//! Under `[model] discount_timing = "cycle-start"` (the default) a year's
//! amounts are discounted at the year's factor DF(t). Under `"boundary"` the
//! ledger carries each year's discounted amounts itself (every person-year
//! count and event at the boundary where the cycle convention counts it, see
//! [`crate::sim::cycles`]), and every present value here (per account, cash,
//! welfare, outcomes, life-years, the after-horizon tails, break-even) sums
//! those instead.
//!
//! # After the horizon
//!
//! Under `[model] after_horizon = "decay"` the last simulated year's avoided
//! costs (per account) and welfare flow go on for at most 50 years, shrinking
//! by the drop-off d a year: PV = B_T · DF(T) · Σ_{k=1..50} q^k with
//! q = (1 − d)/(1 + r) ([`tail_factor`]); under `discount_timing =
//! "boundary"` B_T · DF(T) is the last year's discounted flow. Every present value of a benefit or
//! welfare flow then includes its tail (cash in `pv_after_horizon`, welfare in
//! `pv_welfare_after_horizon`); intervention costs are not extended, and
//! undiscounted sums and unit counts stay within the horizon. Under the
//! default `"cut"` both tails are 0, and `flow_at_horizon` (the last year's
//! undiscounted cash and welfare flow) says what a cut leaves out per year.
//! With cycles shorter than a year (`[model] cycle_length`) B_T is the sum of
//! the last 1/L cycles (a year's flow) and DF(T) the discount factor of the
//! first of them.
//!
//! Missing values (a benefit/cost ratio without costs, a break-even year that is
//! never reached) are `f64::NAN` here and are written as empty cells / `null`.

use crate::ledger::{Ledger, MeasureLayout, LIFE_YEARS, SOCIAL_VALUE};
use crate::model::{AfterHorizon, ChainKind, Model, Settings};
use ndarray::ArrayView2;

/// Area label of the city total (the last area slot of every comparison).
pub const TOTAL_AREA: &str = "totaal";

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
    /// `pv_value[outcome]` → metric index (`pv_value/{outcome}`): the outcome
    /// gained valued in euros, discounted at the effects rate; `None` for an
    /// outcome without a valuation (a PM-post).
    pub pv_value: Vec<Option<usize>>,
    /// `avoided_starts_by_chain[chain]` → metric index: trajectory starts avoided.
    pub avoided_starts_by_chain: Vec<usize>,
    /// `avoided_person_years[chain][state]`.
    pub avoided_person_years: Vec<Vec<usize>>,
}

/// Present value of cash benefits (avoided care costs of funders that are not
/// shadow-priced) after SROI corrections, with the after-horizon tail under decay.
pub const PV_BENEFITS: usize = 0;
/// [`PV_BENEFITS`] before SROI corrections.
pub const PV_BENEFITS_GROSS: usize = 1;
/// Present value of the scenario's intervention costs in cash (shadow-priced funders left out).
pub const PV_INTERVENTION_COSTS: usize = 2;
/// Net present value, financieel: PV(benefits) − PV(intervention costs).
pub const NPV: usize = 3;
/// Benefit/cost ratio, financieel: PV(benefits) / PV(intervention costs); NaN without costs.
pub const BCR: usize = 4;
/// Present value of monetised social value gained (effects rate).
pub const PV_SOCIAL_VALUE: usize = 5;
/// Net present value, maatschappelijk: NPV + PV(welfare) − PV(shadow-priced intervention costs).
pub const NPV_SOCIETAL: usize = 6;
/// Benefit/cost ratio, maatschappelijk: (PV(benefits) + PV(welfare)) /
/// (PV(intervention costs) + PV(shadow-priced intervention costs)); NaN when that is ≤ 0.
pub const BCR_SOCIETAL: usize = 7;
/// Calendar year from which the cumulative discounted net cash benefit stays ≥ 0 through the horizon; NaN if never.
pub const BREAK_EVEN_YEAR: usize = 8;
/// Cash benefits summed over the horizon without discounting.
pub const BENEFITS_UNDISCOUNTED: usize = 9;
/// Cash intervention costs summed over the horizon without discounting.
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
/// Present value of welfare (maatschappelijk): valued outcomes + social value + avoided shadow-priced costs.
pub const PV_WELFARE: usize = 18;
/// Present value of the outcomes gained, valued at their `[valuation]` prices (effects rate).
pub const PV_WELFARE_OUTCOMES: usize = 19;
/// Present value of avoided costs of shadow-priced funders (costs rate).
pub const PV_SHADOW_BENEFITS: usize = 20;
/// Present value of intervention costs charged to shadow-priced funders (costs rate).
pub const PV_SHADOW_COSTS: usize = 21;
/// Present value of the cash benefits after the horizon (0 under `cut`); part of [`PV_BENEFITS`].
pub const PV_AFTER_HORIZON: usize = 22;
/// Present value of the welfare after the horizon (0 under `cut`); part of [`PV_WELFARE`].
pub const PV_WELFARE_AFTER_HORIZON: usize = 23;
/// The last simulated year's undiscounted cash benefits plus welfare flow: what a cut leaves out per year.
pub const FLOW_AT_HORIZON: usize = 24;

const FIXED: [&str; 25] = [
    "pv_benefits",
    "pv_benefits_gross",
    "pv_intervention_costs",
    "npv",
    "bcr",
    "pv_social_value",
    "npv_societal",
    "bcr_societal",
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
    "pv_welfare",
    "pv_welfare_outcomes",
    "pv_shadow_benefits",
    "pv_shadow_costs",
    "pv_after_horizon",
    "pv_welfare_after_horizon",
    "flow_at_horizon",
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
        let pv_value = (0..model.outcomes.len())
            .map(|o| {
                let valued = model.valuation.get(o).is_some_and(Option::is_some);
                valued.then(|| push(format!("pv_value/{}", model.outcomes[o]), &mut names))
            })
            .collect();
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
            pv_value,
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
    /// The draw's parameter vector (for the valuations and the after-horizon drop-off).
    pub params: &'a [f64],
}

/// The ledger measures the business case values: the yearly amounts, or
/// (under `discount_timing = "boundary"`) their discounted values.
#[derive(Debug, Clone, Copy)]
struct Flows<'a> {
    care_cost: &'a [usize],
    intervention_cost: &'a [usize],
    outcome: &'a [usize],
    social_value: usize,
    life_years: usize,
}

impl<'a> Flows<'a> {
    /// The undiscounted yearly amounts.
    fn plain(m: &'a MeasureLayout) -> Self {
        Flows {
            care_cost: &m.care_cost,
            intervention_cost: &m.intervention_cost,
            outcome: &m.outcome,
            social_value: SOCIAL_VALUE,
            life_years: LIFE_YEARS,
        }
    }

    /// The discounted amounts, when the ledger has them.
    fn discounted(m: &'a MeasureLayout) -> Option<Self> {
        m.discounted.as_ref().map(|d| Flows {
            care_cost: &d.care_cost,
            intervention_cost: &d.intervention_cost,
            outcome: &d.outcome,
            social_value: d.social_value,
            life_years: d.life_years,
        })
    }
}

/// The flows of one year, scenario against nulalternatief, after SROI
/// corrections: undiscounted, or discounted when built from discounted measures.
struct YearFlows {
    /// Avoided care costs per account.
    benefit: Vec<f64>,
    /// Intervention costs per account.
    cost: Vec<f64>,
    /// Outcome units gained per outcome.
    outcome: Vec<f64>,
    /// The outcome gained in euros per outcome (0 without a valuation).
    value: Vec<f64>,
    /// Social value gained, euros.
    social: f64,
    /// Life-years gained (no SROI correction).
    life: f64,
}

impl YearFlows {
    /// The flows of year `t`; `prices[o]` is the outcome's value per unit in this draw.
    fn new(measures: Flows<'_>, tables: Tables<'_>, t: usize, f: f64, prices: &[f64]) -> Self {
        let (base, scen) = tables;
        let diff = |m: usize| scen[[t, m]] - base[[t, m]];
        let benefit = measures.care_cost.iter().map(|&m| -diff(m) * f).collect();
        let cost = measures.intervention_cost.iter().map(|&m| diff(m)).collect();
        let outcome: Vec<f64> = measures.outcome.iter().map(|&m| diff(m) * f).collect();
        let value = outcome.iter().zip(prices).map(|(u, p)| u * p).collect();
        YearFlows {
            benefit,
            cost,
            outcome,
            value,
            social: diff(measures.social_value) * f,
            life: diff(measures.life_years),
        }
    }

    /// Cash benefits, cash costs and shadow-priced benefits, summed over accounts.
    fn sums(&self, model: &Model) -> (f64, f64, f64) {
        let (mut cash_b, mut cash_c, mut shadow_b) = (0.0, 0.0, 0.0);
        for a in 0..model.accounts.len() {
            if model.is_shadow_account(a) {
                shadow_b += self.benefit[a];
            } else {
                cash_b += self.benefit[a];
                cash_c += self.cost[a];
            }
        }
        (cash_b, cash_c, shadow_b)
    }

    /// Welfare valued in money at the effects rate: valued outcomes plus social value.
    fn effects_welfare(&self) -> f64 {
        self.value.iter().sum::<f64>() + self.social
    }

    /// Cash benefits plus shadow-priced benefits plus welfare: the flow a cut leaves out.
    fn flow(&self, model: &Model) -> f64 {
        let (mut cash_b, mut shadow_b) = (0.0, 0.0);
        for (a, &b) in self.benefit.iter().enumerate() {
            if model.is_shadow_account(a) {
                shadow_b += b;
            } else {
                cash_b += b;
            }
        }
        cash_b + shadow_b + self.effects_welfare()
    }

    /// Add another cycle's flows (to sum the cycles of a year).
    fn add(&mut self, o: &YearFlows) {
        let sum = |x: &mut Vec<f64>, y: &Vec<f64>| x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
        sum(&mut self.benefit, &o.benefit);
        sum(&mut self.cost, &o.cost);
        sum(&mut self.outcome, &o.outcome);
        sum(&mut self.value, &o.value);
        self.social += o.social;
    }

    /// Multiply every flow by `k`.
    fn scale(&mut self, k: f64) {
        for x in self.benefit.iter_mut().chain(&mut self.cost).chain(&mut self.outcome).chain(&mut self.value) {
            *x *= k;
        }
        self.social *= k;
    }
}

/// The nulalternatief's and the scenario's `[year][measure]` tables.
type Tables<'a> = (ArrayView2<'a, f64>, ArrayView2<'a, f64>);

/// Compute the metrics of comparison `cmp` into `out` (`out.len() == layout.len()`).
pub fn compute(model: &Model, measures: &MeasureLayout, layout: &MetricLayout, cmp: &Comparison<'_>, out: &mut [f64]) {
    let f = cmp.sroi_factor;
    // `[year][measure]` of the area (or of the city total).
    let (base, scen) = (cmp.base.area_table(cmp.area), cmp.scen.area_table(cmp.area));
    let tables = (base.view(), scen.view());
    out.fill(0.0);
    let s = &model.settings;
    let years = s.horizon;
    let prices: Vec<f64> = model.valuation.iter().map(|v| v.map_or(0.0, |v| v.get(cmp.params))).collect();
    let mut cum = vec![0.0; years];
    let mut running = 0.0;
    // The last year's flows (the last 1/L cycles, summed): what flows on after
    // the horizon; undiscounted, and under `discount_timing = "boundary"` also
    // as present values.
    let tail_from = s.horizon.saturating_sub(s.cycles_per_year());
    let (mut last, mut last_pv): (Option<YearFlows>, Option<YearFlows>) = (None, None);
    let (plain, discounted) = (Flows::plain(measures), Flows::discounted(measures));
    for t in 0..years {
        let y = YearFlows::new(plain, tables, t, f, &prices);
        // The year's present values: under `discount_timing = "boundary"` the
        // ledger's discounted measures (each amount at its own boundary, so a
        // factor 1 here), else the year's amounts at its start factor.
        let pd = discounted.map(|d| YearFlows::new(d, tables, t, f, &prices));
        let (dc, de) = match pd {
            Some(_) => (1.0, 1.0),
            None => (s.discount_factor(s.discount_costs, t), s.discount_factor(s.discount_effects, t)),
        };
        let p = pd.as_ref().unwrap_or(&y);
        for a in 0..model.accounts.len() {
            let (b, c) = (p.benefit[a], p.cost[a]);
            out[layout.pv_benefits_by_account[a]] += b * dc;
            out[layout.pv_costs_by_account[a]] += c * dc;
            out[layout.pv_net_by_account[a]] += (b - c) * dc;
            if model.is_shadow_account(a) {
                out[PV_SHADOW_BENEFITS] += b * dc;
                out[PV_SHADOW_COSTS] += c * dc;
            }
        }
        let (cash_b, cash_c, _) = y.sums(model);
        let (pv_cash_b, pv_cash_c, _) = p.sums(model);
        out[PV_BENEFITS] += pv_cash_b * dc;
        out[PV_BENEFITS_GROSS] += if f > 0.0 { pv_cash_b / f * dc } else { 0.0 };
        out[PV_INTERVENTION_COSTS] += pv_cash_c * dc;
        out[BENEFITS_UNDISCOUNTED] += cash_b;
        out[INTERVENTION_COSTS_UNDISCOUNTED] += cash_c;
        out[PV_SOCIAL_VALUE] += p.social * de;
        out[SOCIAL_VALUE_UNDISCOUNTED] += y.social;
        for o in 0..model.outcomes.len() {
            out[layout.outcome_gained[o]] += y.outcome[o];
            out[layout.outcome_gained_pv[o]] += p.outcome[o] * de;
            if let Some(i) = layout.pv_value[o] {
                out[i] += p.value[o] * de;
            }
            out[PV_WELFARE_OUTCOMES] += p.value[o] * de;
        }
        counts(model, measures, layout, tables, t, (y.life, p.life * de), out);
        // Only the scenario's own interventions: the nulalternatief's run in both arms.
        for i in (0..model.interventions.len()).filter(|i| cmp.own.contains(i)) {
            out[PARTICIPANTS] += tables.1[[t, measures.participants[i]]];
        }
        running += (pv_cash_b - pv_cash_c) * dc;
        cum[t] = running;
        if t >= tail_from {
            match &mut last {
                None => last = Some(y),
                Some(sum) => sum.add(&y),
            }
            if let Some(d) = pd {
                match &mut last_pv {
                    None => last_pv = Some(d),
                    Some(sum) => sum.add(&d),
                }
            }
        }
    }
    // A horizon shorter than a year: its flows scaled up to a year.
    let window = s.horizon - tail_from;
    if window < s.cycles_per_year() {
        let k = s.cycles_per_year() as f64 / window as f64;
        last.iter_mut().chain(last_pv.iter_mut()).for_each(|y| y.scale(k));
    }
    if let Some(y) = &last {
        out[FLOW_AT_HORIZON] = y.flow(model);
    }
    if let (AfterHorizon::Decay { drop_off }, Some(y)) = (s.after_horizon, &last) {
        let (basis, k) = match &last_pv {
            Some(d) => (d, (1.0, 1.0)),
            None => {
                (y, (s.discount_factor(s.discount_costs, tail_from), s.discount_factor(s.discount_effects, tail_from)))
            }
        };
        after_horizon(model, layout, basis, k, drop_off.get(cmp.params), f, out);
    }
    out[NET_UNDISCOUNTED] = out[BENEFITS_UNDISCOUNTED] - out[INTERVENTION_COSTS_UNDISCOUNTED];
    out[NPV] = out[PV_BENEFITS] - out[PV_INTERVENTION_COSTS];
    out[PV_WELFARE] = out[PV_WELFARE_OUTCOMES] + out[PV_SOCIAL_VALUE] + out[PV_SHADOW_BENEFITS];
    out[NPV_SOCIETAL] = out[NPV] + out[PV_WELFARE] - out[PV_SHADOW_COSTS];
    out[PV_NET_COST] = -out[NPV];
    let costs = out[PV_INTERVENTION_COSTS];
    out[BCR] = if costs > 0.0 { out[PV_BENEFITS] / costs } else { f64::NAN };
    let societal_costs = costs + out[PV_SHADOW_COSTS];
    out[BCR_SOCIETAL] =
        if societal_costs > 0.0 { (out[PV_BENEFITS] + out[PV_WELFARE]) / societal_costs } else { f64::NAN };
    out[BREAK_EVEN_YEAR] = break_even(&cum).map_or(f64::NAN, |t| s.calendar_year(t) as f64);
}

/// The unit counts of year `t`: life-years gained (undiscounted and
/// discounted), care starts and person-years avoided.
fn counts(
    model: &Model,
    measures: &MeasureLayout,
    layout: &MetricLayout,
    (base, scen): Tables<'_>,
    t: usize,
    (ly, ly_pv): (f64, f64),
    out: &mut [f64],
) {
    out[LIFE_YEARS_GAINED] += ly;
    out[LIFE_YEARS_GAINED_PV] += ly_pv;
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
}

/// Σ_{k=1..50} q^k with q = (1 − `drop_off`)/(1 + `rate`): the present value,
/// in units of the last simulated year's discounted flow, of that flow going
/// on for at most [`AfterHorizon::MAX_YEARS`] years and shrinking by
/// `drop_off` a year (the closed form of the finite geometric series).
pub fn tail_factor(drop_off: f64, rate: f64) -> f64 {
    let q = (1.0 - drop_off) / (1.0 + rate);
    let n = AfterHorizon::MAX_YEARS as i32;
    if (1.0 - q).abs() < 1e-12 {
        n as f64
    } else {
        q * (1.0 - q.powi(n)) / (1.0 - q)
    }
}

/// Add the after-horizon tails of the last year's flows `y` to the present
/// values (per account, cash, welfare) and report them apart. `(dc, de)`
/// turn `y` into present values: the last year's discount factors, or 1 when
/// `y` holds discounted amounts already (`discount_timing = "boundary"`).
fn after_horizon(
    model: &Model,
    layout: &MetricLayout,
    y: &YearFlows,
    (dc, de): (f64, f64),
    drop_off: f64,
    f: f64,
    out: &mut [f64],
) {
    let s = &model.settings;
    let kc = dc * tail_factor(drop_off, s.discount_costs);
    let ke = de * tail_factor(drop_off, s.discount_effects);
    let (mut cash, mut shadow) = (0.0, 0.0);
    for (a, b) in y.benefit.iter().enumerate() {
        let tail = b * kc;
        out[layout.pv_benefits_by_account[a]] += tail;
        out[layout.pv_net_by_account[a]] += tail;
        if model.is_shadow_account(a) {
            shadow += tail;
        } else {
            cash += tail;
        }
    }
    for (o, v) in y.value.iter().enumerate() {
        if let Some(i) = layout.pv_value[o] {
            out[i] += v * ke;
        }
    }
    let outcomes = y.value.iter().sum::<f64>() * ke;
    out[PV_BENEFITS] += cash;
    out[PV_BENEFITS_GROSS] += if f > 0.0 { cash / f } else { 0.0 };
    out[PV_AFTER_HORIZON] = cash;
    out[PV_SHADOW_BENEFITS] += shadow;
    out[PV_WELFARE_OUTCOMES] += outcomes;
    out[PV_SOCIAL_VALUE] += y.social * ke;
    out[PV_WELFARE_AFTER_HORIZON] = outcomes + y.social * ke + shadow;
}

/// Present value at `rate` of ledger measure `m` over the horizon, from one
/// arm's `[year][measure]` table (an area's, or the city total's), discounted
/// as in [`compute`]: under `discount_timing = "boundary"` the sum of the
/// measure's discounted counterpart (each amount at its own boundary), else
/// Σ_t x_t · DF(t). The per-arm results ([`crate::arms`]) discount every
/// measure through this one function, so a change to how the business case
/// discounts belongs here too.
pub fn measure_pv(s: &Settings, measures: &MeasureLayout, table: ArrayView2<'_, f64>, m: usize, rate: f64) -> f64 {
    match measures.discounted_of(m) {
        Some(k) => (0..s.horizon).map(|t| table[[t, k]]).sum(),
        None => (0..s.horizon).map(|t| table[[t, m]] * s.discount_factor(rate, t)).sum(),
    }
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
    fn tail_factor_is_the_sum_of_fifty_shrinking_discounted_years() {
        for (d, r) in [(0.2, 0.0225), (1.0, 0.03), (0.05, 0.0), (0.3, -0.1)] {
            let q: f64 = (1.0 - d) / (1.0 + r);
            let summed: f64 = (1..=50).map(|k| q.powi(k)).sum();
            assert!((tail_factor(d, r) - summed).abs() <= 1e-12 * summed.abs().max(1.0), "{d} {r}");
        }
        // q = 1 (a negative rate that offsets the drop-off): fifty undiminished years.
        assert_eq!(tail_factor(0.1, -0.1), 50.0);
    }

    #[test]
    fn break_even_is_first_year_from_which_cumulative_net_stays_non_negative() {
        assert_eq!(break_even(&[-5.0, -2.0, 1.0, 3.0]), Some(2));
        assert_eq!(break_even(&[-5.0, 1.0, -1.0, 3.0]), Some(3));
        assert_eq!(break_even(&[1.0, 2.0]), Some(0));
        assert_eq!(break_even(&[-1.0, -0.5]), None);
        assert_eq!(break_even(&[]), None);
    }
}
