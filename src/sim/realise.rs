//! Turn a model plus one draw's parameter vector into plain numbers: every
//! row a probability vector, every cost a dense per-account array.

use super::Warnings;
use crate::model::{Births, CostItem, Model, Reach, Row, RowEntry};

/// One realised row: normalised probabilities.
pub type RowVals = Vec<f64>;

/// Concrete numbers of one chain in one draw.
#[derive(Debug, Clone)]
pub struct ChainVals {
    /// `matrices[m][from * n + to]`.
    pub matrices: Vec<Vec<f64>>,
    /// Initial and entry distributions, one per [`crate::model::Chain::initial_rows`] entry.
    pub initial: Vec<RowVals>,
    /// Yearly cost per person `[state * n_accounts + account]`.
    pub state_cost: Vec<f64>,
    /// `[state * n_outcomes + outcome]`.
    pub outcome_weight: Vec<f64>,
    /// Monetised social value per person-year, per state (euros).
    pub social_value: Vec<f64>,
    /// Per transition cost entry: (from, to, cost per account).
    pub transition_cost: Vec<(usize, usize, Vec<f64>)>,
    /// Per transition cost entry: outcome units per move, `[outcome]` (empty = none).
    pub transition_outcome: Vec<Vec<f64>>,
    /// Hazard ratio of background mortality per state; empty when the chain
    /// does not take background mortality ([`crate::model::Chain::mortality_hr`]).
    pub mortality_hr: Vec<f64>,
}

/// Concrete numbers of one intervention in one draw.
#[derive(Debug, Clone)]
pub struct InterventionVals {
    /// Participation share of the target group, or participants per cycle (see `reach_is_share`).
    pub reach: f64,
    /// True when `reach` is a share, false when it is a number of participants.
    pub reach_is_share: bool,
    /// Reach multiplier per year since the start year; empty = 1.
    pub ramp: Vec<f64>,
    /// Drop-off per cycle of the effect after participation (0..=1).
    pub drop_off: f64,
    /// Per effect: the relative risk, or the shift share.
    pub effect: Vec<f64>,
    /// Fixed costs per cycle while running, per account.
    pub fixed_cost: Vec<f64>,
    /// Costs per participant per cycle (per participant-year × cycle length), per account.
    pub participant_cost: Vec<f64>,
    /// Per state effect ([`crate::model::StateEffect`]): (outcome units
    /// `[outcome]`, costs per account), each per person-year in its states.
    pub state_effects: Vec<(Vec<f64>, Vec<f64>)>,
}

impl InterventionVals {
    /// Reach multiplier in year index `k` since the start year.
    pub fn ramp_at(&self, k: usize) -> f64 {
        if self.ramp.is_empty() {
            1.0
        } else {
            self.ramp[k.min(self.ramp.len() - 1)]
        }
    }

    /// Effect strength `years_after` cycles after the participation cycle (0 = that cycle).
    pub fn strength(&self, years_after: usize) -> f64 {
        (1.0 - self.drop_off).powi(years_after as i32)
    }
}

impl InterventionVals {
    /// Yearly numbers as numbers per cycle of `len` years: participants per
    /// year, fixed costs per year and costs per participant-year times `len`;
    /// the yearly drop-off d becomes 1 − (1 − d)^len per cycle (so k cycles
    /// after participation the strength is (1 − d)^(k·len)). A reach share
    /// is a share per cycle and stays as it is.
    fn per_cycle(&mut self, len: f64) {
        if !self.reach_is_share {
            self.reach *= len;
        }
        self.drop_off = 1.0 - (1.0 - self.drop_off).powf(len);
        self.fixed_cost.iter_mut().for_each(|x| *x *= len);
        self.participant_cost.iter_mut().for_each(|x| *x *= len);
    }
}

impl AreaVals {
    /// Yearly demography as demography per cycle of `len` years: a one-year
    /// probability of dying q becomes 1 − (1 − q)^len (a constant hazard
    /// within the year), births per person or per woman and net migration
    /// per year are times `len`.
    fn per_cycle(&mut self, len: f64) {
        for x in self.q.iter_mut().chain(self.life_q.iter_mut()).flatten() {
            *x = 1.0 - (1.0 - *x).powf(len);
        }
        match &mut self.births {
            BirthVals::None => {}
            BirthVals::Crude(r) => *r *= len,
            BirthVals::Fertility(f) => f.iter_mut().for_each(|x| *x *= len),
        }
        for x in self.migration.iter_mut().flatten() {
            *x *= len;
        }
    }
}

/// Births of one area in one draw.
#[derive(Debug, Clone)]
pub enum BirthVals {
    /// No births.
    None,
    /// Births per person per cycle.
    Crude(f64),
    /// Per age of mother.
    Fertility(Vec<f64>),
}

/// Concrete numbers of one area in one draw.
#[derive(Debug, Clone)]
pub struct AreaVals {
    /// `[sex][age]`: background mortality the demography step applies; zeros
    /// when there is none, and at the ages of a chain that takes background
    /// mortality by state (see `life_q`); the probability of dying within one cycle.
    pub q: Vec<Vec<f64>>,
    /// Birth rates of the area.
    pub births: BirthVals,
    /// `[sex][age]`, zeros for a closed population; persons per cycle.
    pub migration: Vec<Vec<f64>>,
    /// `[sex][age]`: the demography's mortality at every age (`q` before the
    /// ages of chains with `mortality_hr` were taken out): what those chains fold
    /// into their rows.
    pub life_q: Vec<Vec<f64>>,
}

/// Everything the simulation needs for one draw, as numbers.
#[derive(Debug, Clone)]
pub struct Realised {
    /// Per chain, in model order.
    pub chains: Vec<ChainVals>,
    /// Per area, in model order.
    pub areas: Vec<AreaVals>,
    /// Relative risk of each risk factor, in model order.
    pub risk_rr: Vec<f64>,
    /// Per intervention, in model order.
    pub interventions: Vec<InterventionVals>,
    /// Outcome per alive person-year before state weights, per outcome.
    pub base_outcome: Vec<f64>,
}

fn costs(items: &[CostItem], n_acc: usize, p: &[f64], out: &mut [f64]) {
    debug_assert_eq!(out.len(), n_acc);
    for it in items {
        out[it.account] += it.amount.get(p);
    }
}

/// Realise a row: evaluate entries, fill a "rest" entry, repair what a draw
/// broke (counted in `w.negative_rest`): a negative rest becomes 0 and the row
/// is renormalised, as is a row of sampled entries that does not sum to 1. A
/// row whose sampled entries are all 0 puts everything in `fallback` (the
/// from-state of a transition row: nobody moves; state 0 of an initial row).
pub fn row(r: &Row, p: &[f64], fallback: usize, w: &mut Warnings) -> RowVals {
    match r {
        Row::Dirichlet { offset, len, states } if states.is_empty() => p[*offset..offset + len].to_vec(),
        Row::Dirichlet { offset, len, states } => {
            let mut v = vec![0.0; *len];
            for (k, &s) in states.iter().enumerate() {
                v[s] = p[offset + k];
            }
            v
        }
        Row::Spread { row: inner, cols, len, fallback } => {
            let v = row(inner, p, *fallback, w);
            let mut out = vec![0.0; *len];
            for (&c, x) in cols.iter().zip(v) {
                out[c] = x;
            }
            out
        }
        Row::Entries(es) => {
            let mut v: Vec<f64> = es
                .iter()
                .map(|e| match e {
                    RowEntry::Value(x) => x.get(p).max(0.0),
                    RowEntry::Rest => 0.0,
                })
                .collect();
            let s: f64 = v.iter().sum();
            if let Some(k) = es.iter().position(|e| matches!(e, RowEntry::Rest)) {
                if s <= 1.0 {
                    v[k] = 1.0 - s;
                    return v;
                }
            }
            if (s - 1.0).abs() > 1e-9 {
                w.negative_rest += 1;
                if s > 0.0 {
                    v.iter_mut().for_each(|x| *x /= s);
                } else {
                    let k = fallback.min(v.len() - 1);
                    v[k] = 1.0;
                }
            }
            v
        }
    }
}

/// Realise every number of `model` for the parameter vector `p`.
pub fn realise(model: &Model, p: &[f64], w: &mut Warnings) -> Realised {
    let n_acc = model.accounts.len();
    let n_out = model.outcomes.len();
    let chains = model
        .chains
        .iter()
        .map(|ch| {
            let n = ch.n_states();
            let matrices = ch
                .matrices
                .iter()
                .map(|m| {
                    let mut flat = Vec::with_capacity(n * n);
                    for (from, r) in m.rows.iter().enumerate() {
                        flat.extend(row(r, p, from, w));
                    }
                    flat
                })
                .collect();
            let initial = ch.initial_rows.iter().map(|r| row(r, p, 0, w)).collect();
            let mut state_cost = vec![0.0; n * n_acc];
            let mut outcome_weight = vec![0.0; n * n_out];
            for s in 0..n {
                costs(&ch.state_costs[s], n_acc, p, &mut state_cost[s * n_acc..(s + 1) * n_acc]);
                for o in 0..n_out {
                    outcome_weight[s * n_out + o] =
                        ch.outcome_weights.get(s).and_then(|v| v.get(o)).map_or(0.0, |v| v.get(p));
                }
            }
            let social_value = (0..n).map(|s| ch.social_value.get(s).map_or(0.0, |v| v.get(p))).collect();
            let transition_cost = ch
                .transition_costs
                .iter()
                .map(|tc| {
                    let mut c = vec![0.0; n_acc];
                    costs(&tc.items, n_acc, p, &mut c);
                    (tc.from, tc.to, c)
                })
                .collect();
            let transition_outcome =
                ch.transition_costs.iter().map(|tc| tc.outcomes.iter().map(|v| v.get(p)).collect()).collect();
            let mortality_hr = ch.mortality_hr.iter().map(|v| v.get(p).max(0.0)).collect();
            ChainVals {
                matrices,
                initial,
                state_cost,
                outcome_weight,
                social_value,
                transition_cost,
                transition_outcome,
                mortality_hr,
            }
        })
        .collect();
    let n_ages = model.settings.n_ages();
    // Ages at which a chain takes background mortality by state: the demography step skips them.
    let by_state: Vec<bool> =
        (0..n_ages).map(|age| model.chains.iter().any(|c| c.state_mortality() && c.in_range(age))).collect();
    // Yearly numbers become numbers per cycle (nothing changes for yearly cycles).
    let len = model.settings.cycle_length;
    let areas = model
        .areas
        .iter()
        .map(|a| {
            let d = &a.demography;
            let q = match &d.mortality {
                Some(m) => m.iter().map(|v| v.iter().map(|x| x.get(p).clamp(0.0, 1.0)).collect()).collect(),
                None => vec![vec![0.0; n_ages]; model.sexes],
            };
            let births = match &d.births {
                Births::None => BirthVals::None,
                Births::Crude(v) => BirthVals::Crude(v.get(p).max(0.0)),
                Births::Fertility(f) => BirthVals::Fertility(f.iter().map(|v| v.get(p).max(0.0)).collect()),
            };
            let migration = match &a.net_migration {
                Some(m) => m.iter().map(|v| v.iter().map(|x| x.get(p)).collect()).collect(),
                None => vec![vec![0.0; n_ages]; model.sexes],
            };
            let life_q: Vec<Vec<f64>> = q;
            let mut q = life_q.clone();
            if by_state.iter().any(|&b| b) {
                for row in &mut q {
                    for (x, &b) in row.iter_mut().zip(&by_state) {
                        if b {
                            *x = 0.0;
                        }
                    }
                }
            }
            let mut av = AreaVals { q, births, migration, life_q };
            if len != 1.0 {
                av.per_cycle(len);
            }
            av
        })
        .collect();
    let risk_rr = model.risk_factors.iter().map(|r| r.rr.get(p).max(0.0)).collect();
    let interventions = model
        .interventions
        .iter()
        .map(|iv| {
            let (reach, reach_is_share) = match iv.reach {
                Reach::Share(v) => (v.get(p).clamp(0.0, 1.0), true),
                Reach::Participants(v) => (v.get(p).max(0.0), false),
            };
            let mut fixed_cost = vec![0.0; n_acc];
            costs(&iv.fixed_costs, n_acc, p, &mut fixed_cost);
            let mut participant_cost = vec![0.0; n_acc];
            costs(&iv.participant_costs, n_acc, p, &mut participant_cost);
            let mut v = InterventionVals {
                reach,
                reach_is_share,
                ramp: iv.ramp_up.iter().map(|v| v.get(p).max(0.0)).collect(),
                drop_off: iv.drop_off.get(p).clamp(0.0, 1.0),
                effect: iv
                    .effects
                    .iter()
                    .map(|e| match e {
                        crate::model::Effect::RelativeRisk { rr, .. } => rr.get(p).max(0.0),
                        crate::model::Effect::Shift { share, .. } => share.get(p).clamp(0.0, 1.0),
                    })
                    .collect(),
                fixed_cost,
                participant_cost,
                state_effects: iv
                    .state_effects
                    .iter()
                    .map(|se| {
                        let mut c = vec![0.0; n_acc];
                        costs(&se.costs, n_acc, p, &mut c);
                        (se.outcomes.iter().map(|v| v.get(p)).collect(), c)
                    })
                    .collect(),
            };
            if len != 1.0 {
                v.per_cycle(len);
            }
            v
        })
        .collect();
    let base_outcome = model.base_outcome.iter().map(|v| v.get(p)).collect();
    Realised { chains, areas, risk_rr, interventions, base_outcome }
}
