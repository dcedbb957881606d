//! The `[[intervention]]` tables: name (unique), the areas and ages it runs in,
//! its target states, reach (a share of the target group or a number of
//! participants, exactly one), ramp-up, years (plausible, start before end),
//! persistence of its effect, its effects (a relative risk or a shift of
//! people between states, exactly one form each) and its costs.

use std::collections::HashMap;

use toml::Spanned;

use super::names::names_of;
use super::values::Domain;
use super::V;
use crate::model::{Effect, Intervention, Reach, Settings, StateSet, Value};
use crate::scenario::file::{EffectSpec, InterventionSpec, PersistenceSpec};

/// Most model cycles an effect is tracked after participation (each is an
/// exposure state; the stochastic engine stores them in a byte).
const MAX_PERSISTENCE_CYCLES: usize = 250;

impl V<'_> {
    /// The interventions, and their indices by name for the scenarios.
    pub(super) fn interventions(&mut self, settings: &Settings) -> (Vec<Intervention>, HashMap<String, usize>) {
        let items = self.all(|f| &f.intervention);
        let index = self.unique_items("intervention", &items, |it| &it.name);
        let mut out = Vec::new();
        for (f, it) in items {
            out.push(self.intervention(f, it, settings));
        }
        (out, index)
    }

    fn intervention(&mut self, f: usize, it: &Spanned<InterventionSpec>, settings: &Settings) -> Intervention {
        let s = it.get_ref();
        let name = s.name.get_ref().clone();
        let field = format!("intervention.{name}");
        self.remember(field.clone(), f, it.span());
        let areas = match &s.areas {
            None => vec![true; self.n_areas],
            Some(list) => {
                let mut v = vec![false; self.n_areas];
                for (i, a) in list.get_ref().iter().enumerate() {
                    for k in self.areas_of(f, a, &format!("{field}.areas[{i}]")) {
                        v[k] = true;
                    }
                }
                v
            }
        };
        let all_ages = (0, self.max_age);
        let (age_lo, age_hi) =
            self.band_or_all(f, s.ages.as_ref(), &format!("{field}.ages"), all_ages, "the model's ages (max_age)");
        let target = self.target(f, s, &field);
        let reach = self.reach(f, s, &field);
        let ramp_up = match &s.ramp_up {
            None => vec![],
            Some(r) => r
                .get_ref()
                .iter()
                .enumerate()
                .map(|(i, v)| self.value(f, v, &format!("{field}.ramp_up[{i}]"), Domain::Multiplier))
                .collect(),
        };
        let (start_year, end_year) = self.years(f, it, settings, &field);
        let (persistence_years, drop_off) = match &s.persistence {
            None => (0, Value::Fixed(0.0)),
            Some(p) => self.persistence(f, p, &field),
        };
        let mut effects = Vec::new();
        let mut state_effects = Vec::new();
        for (e, eff) in s.effect.iter().enumerate() {
            let ef = format!("{field}.effect[{e}]");
            if super::state_effects::is_state_effect(eff.get_ref()) {
                let at = super::state_effects::Of { reach: &reach, ages: (age_lo, age_hi), target: &target, iv: s };
                if let Some(x) = self.state_effect(f, eff, &ef, &at) {
                    state_effects.push(x);
                }
            } else if let Some(x) = self.effect(f, eff, &ef) {
                effects.push(x);
            }
        }
        let (mut fixed_costs, mut participant_costs) = (Vec::new(), Vec::new());
        if let Some(c) = &s.costs {
            if let Some(l) = &c.fixed {
                fixed_costs = self.cost_items(f, l, &format!("{field}.costs.fixed"));
            }
            if let Some(l) = &c.per_participant {
                participant_costs = self.cost_items(f, l, &format!("{field}.costs.per_participant"));
            }
        }
        let pm = self.pm(f, s.pm.as_ref(), &field);
        let persistence_cycles = self.persistence_cycles(f, s, persistence_years, settings, &field);
        Intervention {
            persistence_cycles,
            pm,
            name,
            areas,
            age_lo,
            age_hi,
            target,
            reach,
            ramp_up,
            start_year,
            end_year,
            persistence_years,
            drop_off,
            effects,
            fixed_costs,
            participant_costs,
            state_effects,
        }
    }

    /// `target`: "chain.state" names, grouped by chain.
    fn target(&mut self, f: usize, s: &InterventionSpec, field: &str) -> Vec<(usize, StateSet)> {
        let mut target: Vec<(usize, StateSet)> = Vec::new();
        let Some(t) = &s.target else { return target };
        for (span, st) in names_of(t) {
            if let Some((c, state)) = self.chain_state(f, span, st, &format!("{field}.target")) {
                match target.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, set)) => set.insert(state),
                    None => target.push((c, StateSet::single(state))),
                }
            }
        }
        target
    }

    /// `reach`: exactly one of a share of the target group or participants per year.
    fn reach(&mut self, f: usize, s: &InterventionSpec, field: &str) -> Reach {
        let rs = &s.reach;
        match (&rs.share, &rs.participants) {
            (Some(v), None) => Reach::Share(self.value(f, v, &format!("{field}.reach.share"), Domain::Probability)),
            (None, Some(v)) => {
                Reach::Participants(self.value(f, v, &format!("{field}.reach.participants"), Domain::Count))
            }
            _ => {
                let at = rs.share.as_ref().or(rs.participants.as_ref()).map_or(s.name.span(), |v| v.span());
                self.err(
                    f,
                    at,
                    format!("{field}.reach"),
                    "reach needs exactly one of share (of the target group, 0 to 1) or participants (people per year)",
                );
                Reach::Share(Value::Fixed(0.0))
            }
        }
    }

    /// First and last year (inclusive); they default to the whole simulated period.
    fn years(&mut self, f: usize, it: &Spanned<InterventionSpec>, settings: &Settings, field: &str) -> (i32, i32) {
        let s = it.get_ref();
        let first = settings.start_year;
        let last = settings.last_year();
        let year = |v: &mut Self, y: &Option<Spanned<i64>>, key: &str, default: i32| -> i32 {
            match y {
                None => default,
                Some(y) => match i32::try_from(*y.get_ref()) {
                    Ok(x) if (1900..=2300).contains(&x) => x,
                    _ => {
                        v.err(
                            f,
                            y.span(),
                            format!("{field}.{key}"),
                            format!("{key} {} is not a plausible calendar year", y.get_ref()),
                        );
                        default
                    }
                },
            }
        };
        let start_year = year(self, &s.start_year, "start_year", first);
        let end_year = year(self, &s.end_year, "end_year", last);
        if start_year > end_year {
            let span = s.end_year.as_ref().or(s.start_year.as_ref()).map_or(it.span(), |y| y.span());
            self.err(
                f,
                span,
                format!("{field}.end_year"),
                format!("end_year {end_year} is before start_year {start_year} (both inclusive)"),
            );
        }
        (start_year, end_year)
    }

    /// `persistence`: how many years the effect lasts after the intervention, and its yearly drop-off.
    fn persistence(&mut self, f: usize, ps: &PersistenceSpec, field: &str) -> (usize, Value) {
        let years = match &ps.years {
            None => 0,
            Some(y) => match usize::try_from(*y.get_ref()) {
                Ok(v) if v <= 100 => v,
                _ => {
                    self.err(
                        f,
                        y.span(),
                        format!("{field}.persistence.years"),
                        format!("persistence years must be a whole number from 0 to 100, got {}", y.get_ref()),
                    );
                    0
                }
            },
        };
        let field = format!("{field}.persistence.drop_off");
        let drop_off = self.opt_value(f, ps.drop_off.as_ref(), &field, Domain::Probability, 0.0);
        (years, drop_off)
    }

    /// `persistence.years` in model cycles (years / cycle length, rounded);
    /// at most [`MAX_PERSISTENCE_CYCLES`], since every cycle after
    /// participation is an exposure state of its own.
    fn persistence_cycles(
        &mut self,
        f: usize,
        s: &InterventionSpec,
        years: usize,
        settings: &Settings,
        field: &str,
    ) -> usize {
        if settings.cycle_length == 1.0 {
            return years;
        }
        let cycles = (years as f64 / settings.cycle_length).round() as usize;
        if cycles > MAX_PERSISTENCE_CYCLES {
            if let Some(y) = s.persistence.as_ref().and_then(|p| p.years.as_ref()) {
                self.err(
                    f,
                    y.span(),
                    format!("{field}.persistence.years"),
                    format!(
                        "persistence of {years} years is {cycles} model cycles (cycle_length {} years); at most {MAX_PERSISTENCE_CYCLES} cycles after participation are tracked",
                        settings.cycle_length
                    ),
                );
            }
            return 0;
        }
        cycles
    }

    /// One effect: a relative risk `{ chain, from, to, rr }` or a shift
    /// `{ chain, shift = { from, to, share } }`.
    fn effect(&mut self, f: usize, eff: &Spanned<EffectSpec>, ef: &str) -> Option<Effect> {
        let es = eff.get_ref();
        let chain = self.chain_ref(f, &es.chain, format!("{ef}.chain"))?;
        let rr_form = es.from.is_some() || es.to.is_some() || es.rr.is_some() || es.convention.is_some();
        match (&es.shift, rr_form) {
            (Some(s), false) => {
                let from = self.state_named(f, &s.from, chain, &format!("{ef}.shift.from"));
                let to = self.state_named(f, &s.to, chain, &format!("{ef}.shift.to"));
                let share = self.value(f, &s.share, &format!("{ef}.shift.share"), Domain::Probability);
                let (from, to) = (from?, to?);
                if from == to {
                    self.err(f, s.to.span(), format!("{ef}.shift.to"), "a shift needs two different states");
                    return None;
                }
                Some(Effect::Shift { chain, from, to, share })
            }
            (None, true) => {
                let (Some(to), Some(rr)) = (&es.to, &es.rr) else {
                    self.err(
                        f,
                        eff.span(),
                        ef,
                        "a relative-risk effect needs `to` and `rr` (and optionally `from`, `convention`)",
                    );
                    return None;
                };
                let (from, to) = self.rr_states(f, es.from.as_ref(), to, chain, ef);
                let rr = self.value(f, rr, &format!("{ef}.rr"), Domain::RelativeRisk);
                let convention = match &es.convention {
                    None => self.default_convention(),
                    Some(c) => self.convention(f, c, &format!("{ef}.convention")).unwrap_or_default(),
                };
                Some(Effect::RelativeRisk { chain, from, to, rr, convention })
            }
            _ => {
                self.err(
                    f,
                    eff.span(),
                    ef,
                    "an effect is either a relative risk { chain, from, to, rr } or a shift { chain, shift = { from, to, share } }, exactly one of the two",
                );
                None
            }
        }
    }
}
