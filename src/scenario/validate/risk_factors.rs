//! The `[[risk_factor]]` tables: a relative risk on some transitions of one
//! chain (`chain`, `from`, `to`) while people are in given states of another
//! chain (`when`, all in one chain), with its value, convention and ages
//! (within the chain's). Also the `from`/`to` state sets that relative-risk
//! effects of interventions share.

use toml::Spanned;

use super::names::names_of;
use super::values::Domain;
use super::V;
use crate::model::{RiskFactor, StateSet};
use crate::scenario::file::{OneOrMany, RiskFactorSpec};

impl V<'_> {
    /// Every `[[risk_factor]]`, in merge order.
    pub(super) fn risk_factors(&mut self) -> Vec<RiskFactor> {
        let items = self.all(|f| &f.risk_factor);
        let mut out = Vec::new();
        for (i, (f, r)) in items.into_iter().enumerate() {
            let field = format!("risk_factor[{i}]");
            self.remember(field.clone(), f, r.span());
            let rs = r.get_ref();
            let Some(chain) = self.chain_ref(f, &rs.chain, format!("{field}.chain")) else { continue };
            let (from, to) = self.rr_states(f, rs.from.as_ref(), &rs.to, chain, &field);
            let (when_chain, when_states) = self.when(f, rs, chain, &field);
            let rr = self.value(f, &rs.rr, &format!("{field}.rr"), Domain::RelativeRisk);
            let convention = match &rs.convention {
                None => None,
                Some(c) => self.convention(f, c, &format!("{field}.convention")),
            };
            let range = format!("the ages of chain `{}`", self.chain_names[chain]);
            let (age_lo, age_hi) =
                self.band_or_all(f, rs.ages.as_ref(), &format!("{field}.ages"), self.chain_ages[chain], &range);
            if rs.when.get_ref().0.is_empty() {
                self.err(
                    f,
                    rs.when.span(),
                    format!("{field}.when"),
                    "`when` needs at least one \"chain.state\", e.g. \"loneliness.severe\"",
                );
            }
            let Some(when_chain) = when_chain else { continue };
            out.push(RiskFactor {
                chain,
                from,
                to,
                when_chain,
                when_states,
                rr,
                convention: convention.unwrap_or_else(|| self.default_convention()),
                age_lo,
                age_hi,
            });
        }
        out
    }

    /// `when`: "chain.state" names, all of one chain other than the risk
    /// factor's own. The chain (None when no name resolved) and its states.
    fn when(&mut self, f: usize, rs: &RiskFactorSpec, chain: usize, field: &str) -> (Option<usize>, StateSet) {
        let mut when_chain = None;
        let mut when_states = StateSet::default();
        for (k, (span, s)) in names_of(&rs.when).into_iter().enumerate() {
            let wf = format!("{field}.when");
            let Some((c, st)) = self.chain_state(f, span.clone(), s, &wf) else { continue };
            if c == chain {
                self.err(f, span, wf, format!("a risk factor's `when` must be a state of another chain than `{}` (within one chain, use the transition matrix)", self.chain_names[c]));
                continue;
            }
            match when_chain {
                None => when_chain = Some(c),
                Some(w) if w != c => {
                    self.err(
                        f,
                        span,
                        wf,
                        format!("all `when` states must be of one chain; entry {k} is in `{}`, the first in `{}` (use two risk factors)", self.chain_names[c], self.chain_names[w]),
                    );
                    continue;
                }
                _ => {}
            }
            when_states.insert(st);
        }
        (when_chain, when_states)
    }

    /// A set of states of `chain` named in a `from`/`to` field.
    fn state_set(&mut self, f: usize, o: &Spanned<OneOrMany>, chain: usize, field: &str) -> StateSet {
        let mut set = StateSet::default();
        for (i, (span, name)) in names_of(o).into_iter().enumerate() {
            let ff = if o.get_ref().0.len() > 1 { format!("{field}[{i}]") } else { field.to_string() };
            if let Some(s) = self.state_of(f, span, name, chain, &ff) {
                set.insert(s);
            }
        }
        set
    }

    /// `from`/`to` of a relative risk: `from` defaults to every state not in `to`;
    /// they share no state (a relative risk on moves), or are the same states
    /// (a relative risk on staying in each, see [`crate::sim::rows::apply`]).
    pub(super) fn rr_states(
        &mut self,
        f: usize,
        from: Option<&Spanned<OneOrMany>>,
        to: &Spanned<OneOrMany>,
        chain: usize,
        field: &str,
    ) -> (StateSet, StateSet) {
        let n = self.chain_states[chain].len();
        let to_set = self.state_set(f, to, chain, &format!("{field}.to"));
        if to.get_ref().0.is_empty() {
            self.err(f, to.span(), format!("{field}.to"), "`to` needs at least one state");
        }
        let from_set = match from {
            Some(fr) => {
                let s = self.state_set(f, fr, chain, &format!("{field}.from"));
                // The same set on both sides is a relative risk on staying.
                if s.0 & to_set.0 != 0 && s != to_set {
                    let both: Vec<&str> = (0..n)
                        .filter(|&k| s.contains(k) && to_set.contains(k))
                        .map(|k| self.chain_states[chain][k].as_str())
                        .collect();
                    let both = both.join(", ");
                    self.err(
                        f,
                        fr.span(),
                        format!("{field}.from"),
                        format!("`from` and `to` share {both} but are not the same states: a relative risk is either on moves (`from` and `to` without a state in common) or on staying (`from` = `to`, the same states, each meaning \"stay in it\"); split it into two"),
                    );
                }
                s
            }
            None => StateSet(StateSet::all(n).0 & !to_set.0),
        };
        (from_set, to_set)
    }
}
