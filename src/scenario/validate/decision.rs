//! `[decision]` and `[[parameter_group]]`: the effect measure and the
//! willingness to pay of the decision analysis (acceptability curves, value
//! of information), and the named groups of parameters whose partial value of
//! information (EVPPI) and Sobol indices are reported.
//!
//! Each `[decision]` key is taken from the first file in merge order that sets
//! it; groups are collected from every file. Read after every parameter has
//! its slot, so a group may name any of them.

use super::names::{hint, list_or_none};
use super::V;
use crate::model::{Decision, EffectMeasure, ParamGroup, Value};
use crate::scenario::file::DecisionSpec;

/// The effect names that are not outcomes.
const LIFE_YEARS: &str = "life_years";
const AVOIDED_STARTS: &str = "avoided_starts";

/// Points on the curves when `wtp_steps` is not given.
const DEFAULT_STEPS: usize = 41;

/// The willingness-to-pay range when neither it nor a willingness to pay is given.
const DEFAULT_HIGH: f64 = 100_000.0;

impl<'a> V<'a> {
    /// The first `[decision]` key `get` gives, with its file.
    fn decision_key<T>(&self, get: impl Fn(&'a DecisionSpec) -> Option<&'a T>) -> Option<(usize, &'a T)> {
        self.files.iter().enumerate().find_map(|(f, p)| p.file.decision.as_ref().and_then(&get).map(|x| (f, x)))
    }

    /// `[decision]` and the groups; `valuation` prices the outcomes (the
    /// default willingness to pay is the mean price of the effect).
    pub(super) fn decision(&mut self, valuation: &[Option<Value>]) -> Decision {
        let effect = self.decision_effect();
        let price = match effect {
            Some(EffectMeasure::Outcome(o)) => valuation.get(o).copied().flatten(),
            _ => None,
        };
        let wtp = match self.decision_key(|d| d.wtp.as_ref()) {
            Some((f, w)) => {
                let x = *w.get_ref();
                if !(x.is_finite() && x >= 0.0) {
                    self.err(
                        f,
                        w.span(),
                        "decision.wtp",
                        format!(
                            "willingness to pay must be a finite number ≥ 0 (euros per unit of the effect), got {x}"
                        ),
                    );
                }
                x
            }
            None => match price {
                Some(Value::Fixed(x)) => x,
                Some(Value::Slot(i)) => crate::params::means(&self.params)[i],
                None => 0.0,
            },
        };
        let wtp_grid = self.wtp_grid(wtp);
        let groups = self.parameter_groups();
        Decision { effect, wtp, wtp_grid, groups }
    }

    /// `decision.effect`, or the default: `qaly` if declared, else `wellby`,
    /// else the first outcome, else life-years.
    fn decision_effect(&mut self) -> Option<EffectMeasure> {
        let Some((f, e)) = self.decision_key(|d| d.effect.as_ref()) else {
            let pick = ["qaly", "wellby"].iter().find_map(|n| self.outcomes.iter().position(|o| o == n));
            return Some(match pick.or((!self.outcomes.is_empty()).then_some(0)) {
                Some(o) => EffectMeasure::Outcome(o),
                None => EffectMeasure::LifeYears,
            });
        };
        let name = e.get_ref().as_str();
        if let Some(o) = self.outcomes.iter().position(|x| x == name) {
            return Some(EffectMeasure::Outcome(o));
        }
        match name {
            LIFE_YEARS => Some(EffectMeasure::LifeYears),
            AVOIDED_STARTS => Some(EffectMeasure::AvoidedStarts),
            _ => {
                let mut known = self.outcomes.clone();
                known.extend([LIFE_YEARS.to_string(), AVOIDED_STARTS.to_string()]);
                let reason = format!(
                    "unknown effect `{name}`: use an outcome of model.outcomes, \"{LIFE_YEARS}\" or \"{AVOIDED_STARTS}\" (possible: {}){}",
                    list_or_none(&known),
                    hint(name, &known)
                );
                self.err(f, e.span(), "decision.effect", reason);
                None
            }
        }
    }

    /// `decision.wtp_range` and `decision.wtp_steps` as the grid of the
    /// curves; by default 0 to twice the willingness to pay (100,000 without one).
    fn wtp_grid(&mut self, wtp: f64) -> Vec<f64> {
        let (lo, hi) = match self.decision_key(|d| d.wtp_range.as_ref()) {
            Some((f, r)) => match r.get_ref().as_slice() {
                &[lo, hi] if lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo < hi => (lo, hi),
                other => {
                    let reason = format!(
                        "wtp_range must be [low, high] with 0 ≤ low < high (euros per unit of the effect), got {other:?}"
                    );
                    self.err(f, r.span(), "decision.wtp_range", reason);
                    (0.0, 1.0)
                }
            },
            None if wtp > 0.0 => (0.0, 2.0 * wtp),
            None => (0.0, DEFAULT_HIGH),
        };
        let steps = match self.decision_key(|d| d.wtp_steps.as_ref()) {
            Some((f, s)) => {
                let n = *s.get_ref();
                if !(2..=1001).contains(&n) {
                    self.err(f, s.span(), "decision.wtp_steps", format!("wtp_steps must be 2 to 1001 points, got {n}"));
                    2
                } else {
                    n as usize
                }
            }
            None => DEFAULT_STEPS,
        };
        // lo < hi and steps ≥ 2 hold here, so the grid cannot fail.
        crate::decision::acceptability::wtp_grid(lo, hi, steps).unwrap_or_else(|_| vec![lo, hi])
    }

    /// Every `[[parameter_group]]`: a unique name and at least one parameter,
    /// each a `[parameters]` entry (or an inline distribution's field path)
    /// with one value per draw.
    fn parameter_groups(&mut self) -> Vec<ParamGroup> {
        let items = self.all(|f| &f.parameter_group);
        self.unique_items("parameter group", &items, |g| &g.name);
        let mut out = Vec::with_capacity(items.len());
        for (i, (f, g)) in items.iter().enumerate() {
            let spec = g.get_ref();
            let field = format!("parameter_group[{i}]");
            let names = spec.parameters.get_ref();
            if names.is_empty() {
                self.err(
                    *f,
                    spec.parameters.span(),
                    format!("{field}.parameters"),
                    "a parameter group needs at least one parameter",
                );
                continue;
            }
            let mut slots = Vec::new();
            let mut ok = true;
            for (k, n) in names.iter().enumerate() {
                match self.group_slots(n.get_ref()) {
                    Ok(s) => slots.extend(s),
                    Err(reason) => {
                        self.err(*f, n.span(), format!("{field}.parameters[{k}]"), reason);
                        ok = false;
                    }
                }
            }
            if ok {
                out.push(ParamGroup {
                    name: spec.name.get_ref().clone(),
                    parameters: names.iter().map(|n| n.get_ref().clone()).collect(),
                    slots,
                    note: spec.note.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        out
    }

    /// The slots of parameter `name` in a group: a distribution's (a
    /// dirichlet's first k − 1, the last follows from them) or a derived
    /// parameter's; the reason when it is none of those.
    fn group_slots(&self, name: &str) -> Result<Vec<usize>, String> {
        if let Some(p) = self.params.params.iter().find(|p| p.name == name) {
            return Ok(p.free_slots().collect());
        }
        if let Some(d) = self.params.derived.iter().find(|d| d.named && d.name == name && d.bindings.is_empty()) {
            return Ok(vec![d.slot]);
        }
        if self.templates.contains_key(name) {
            return Err(format!("parameter `{name}` uses a reserved variable, so it has one value per cycle or age, not one per draw; name the parameters it is computed from"));
        }
        let mut known: Vec<String> = self.params.params.iter().filter(|p| p.named).map(|p| p.name.clone()).collect();
        known.extend(self.params.derived.iter().filter(|d| d.named && d.bindings.is_empty()).map(|d| d.name.clone()));
        known.sort();
        Err(format!(
            "unknown parameter `{name}`: a group lists [parameters] entries (or the field path of an inline distribution) (defined: {}){}",
            list_or_none(&known),
            hint(name, &known)
        ))
    }
}
