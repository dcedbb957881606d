//! The third form of `[[intervention.effect]]`: a state effect,
//! `{ chain, state (or states), outcomes, costs }`, which changes what a year
//! in those states costs and yields for everyone in them in the
//! intervention's areas and years, times its reach share × ramp-up. The
//! engine counts it from the person-years per state, which are summed over
//! ages and say nothing about who takes part, so it needs a reach share, ages
//! covering the chain's and a target that contains the states (if any).

use toml::Spanned;

use super::ages::band_str;
use super::names::names_of;
use super::V;
use crate::model::{Reach, StateEffect, StateSet};
use crate::scenario::file::{EffectSpec, InterventionSpec};

/// Whether an effect table is written as a state effect (has one of its keys).
pub(super) fn is_state_effect(e: &EffectSpec) -> bool {
    e.state.is_some() || e.states.is_some() || e.outcomes.is_some() || e.costs.is_some()
}

/// What a state effect is checked against: its intervention's reach, ages
/// and target, and the intervention's table (for positions).
pub(super) struct Of<'x> {
    pub(super) reach: &'x Reach,
    pub(super) ages: (usize, usize),
    pub(super) target: &'x [(usize, StateSet)],
    pub(super) iv: &'x InterventionSpec,
}

impl V<'_> {
    /// One state effect at field `ef`; `None` when it is wrong (reported).
    pub(super) fn state_effect(
        &mut self,
        f: usize,
        eff: &Spanned<EffectSpec>,
        ef: &str,
        at: &Of<'_>,
    ) -> Option<StateEffect> {
        let es = eff.get_ref();
        if es.from.is_some() || es.to.is_some() || es.rr.is_some() || es.convention.is_some() || es.shift.is_some() {
            self.err(
                f,
                eff.span(),
                ef,
                "an effect is exactly one of: a relative risk { chain, from, to, rr }, a shift { chain, shift = { from, to, share } }, or a state effect { chain, state (or states), outcomes and/or costs }; this one mixes them",
            );
            return None;
        }
        let chain = self.chain_ref(f, &es.chain, format!("{ef}.chain"))?;
        let mut states = StateSet::default();
        let mut ok = true;
        match (&es.state, &es.states) {
            (Some(s), None) => match self.state_named(f, s, chain, &format!("{ef}.state")) {
                Some(k) => states.insert(k),
                None => ok = false,
            },
            (None, Some(list)) => {
                if list.get_ref().is_empty() {
                    self.err(f, list.span(), format!("{ef}.states"), "`states` needs at least one state");
                    ok = false;
                }
                for (i, s) in list.get_ref().iter().enumerate() {
                    match self.state_named(f, s, chain, &format!("{ef}.states[{i}]")) {
                        Some(k) => states.insert(k),
                        None => ok = false,
                    }
                }
            }
            _ => {
                self.err(
                    f,
                    eff.span(),
                    ef,
                    "a state effect needs exactly one of `state = \"S\"` or `states = [\"S\", ...]`",
                );
                ok = false;
            }
        }
        let outcomes = match &es.outcomes {
            Some(o) => self.one_off_outcomes(f, o, &format!("{ef}.outcomes")),
            None => vec![],
        };
        let costs = match &es.costs {
            Some(c) => self.cost_items(f, c, &format!("{ef}.costs")),
            None => vec![],
        };
        if es.outcomes.is_none() && es.costs.is_none() {
            self.err(
                f,
                eff.span(),
                ef,
                "a state effect needs `outcomes` (units per person-year in the state, e.g. { qaly = 0.2 }), `costs` (euros per person-year) or both",
            );
            ok = false;
        }
        ok &= self.state_effect_fits(f, eff, ef, at, chain, states);
        ok.then_some(StateEffect { chain, states, outcomes, costs })
    }

    /// The intervention around a state effect must let it be counted from the
    /// person-years per state: a reach share, ages covering the chain's, and
    /// a target (if any) only on this chain, containing the effect's states.
    fn state_effect_fits(
        &mut self,
        f: usize,
        eff: &Spanned<EffectSpec>,
        ef: &str,
        at: &Of<'_>,
        chain: usize,
        states: StateSet,
    ) -> bool {
        let es = eff.get_ref();
        let mut ok = true;
        if let (Reach::Participants(_), Some(p)) = (at.reach, &at.iv.reach.participants) {
            self.err(
                f,
                p.span(),
                format!("{ef}.reach"),
                "a state effect counts a share of everyone in the state each year, so the intervention needs `reach = { share = … }`; with a number of participants that share is not known in advance",
            );
            ok = false;
        }
        let (lo, hi) = self.chain_ages[chain];
        if at.ages.0 > lo || at.ages.1 < hi {
            let span = at.iv.ages.as_ref().map_or(es.chain.span(), |a| a.span());
            let reason = format!(
                "a state effect counts everyone in the state at the ages of chain `{}` ({}), but the intervention's ages are {}: restricting it to part of the chain's ages is not supported; give the intervention ages that cover the chain's, or split the chain by age",
                self.chain_names[chain],
                band_str((lo, hi)),
                band_str(at.ages)
            );
            self.err(f, span, format!("{ef}.ages"), reason);
            ok = false;
        }
        for &(c, set) in at.target {
            let outside = states.0 & !set.0 != 0;
            if c != chain || outside {
                let span = at
                    .iv
                    .target
                    .as_ref()
                    .map_or(eff.span(), |t| names_of(t).into_iter().next().map_or(t.span(), |(sp, _)| sp));
                let reason = if c != chain {
                    format!(
                        "the intervention's target names chain `{}`, but a state effect counts everyone in the states of chain `{}` times the reach share: who of them is in the target is not known; drop the target or target only states of `{}` that include the effect's",
                        self.chain_names[c], self.chain_names[chain], self.chain_names[chain]
                    )
                } else {
                    "the intervention's target leaves out a state of this state effect: its people never take part; target those states too (or drop the target)".to_string()
                };
                self.err(f, span, format!("{ef}.target"), reason);
                ok = false;
                break;
            }
        }
        ok
    }
}
