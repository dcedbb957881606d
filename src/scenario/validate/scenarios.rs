//! The `[[scenario]]` tables: name (unique, not the baseline's), the
//! interventions it runs (at least one, each known and listed once) and its
//! SROI corrections (deadweight, attribution, displacement: probabilities).
//! A deadweight other than a literal 0 is a warning: the simulated
//! nulalternatief already holds what would have happened anyway.

use std::collections::HashMap;

use toml::Spanned;

use super::names::{hint, list_or_none, sorted};
use super::values::Domain;
use super::V;
use crate::model::{Model, Scenario, Sroi, Value};
use crate::scenario::file::{ScenarioSpec, ValueSpec};

/// Why a deadweight on top of a simulated nulalternatief needs an argument.
const DEADWEIGHT_WARNING: &str = "the nulalternatief is simulated, so deadweight counts what would have happened anyway a second time; set it only when argued (e.g. a trend the nulalternatief does not model)";

/// True for a value written as the number 0.
fn is_literal_zero(v: &ValueSpec) -> bool {
    matches!(v, ValueSpec::Number(x) if *x == 0.0)
}

impl V<'_> {
    /// Every `[[scenario]]`, in merge order.
    pub(super) fn scenarios(&mut self, interventions: &HashMap<String, usize>) -> Vec<Scenario> {
        let items = self.all(|f| &f.scenario);
        self.unique_items("scenario", &items, |s| &s.name);
        let known = sorted(interventions.keys());
        let mut out = Vec::new();
        for (f, sc) in items {
            let s = sc.get_ref();
            let name = s.name.get_ref().clone();
            let field = format!("scenario.{name}");
            self.remember(field.clone(), f, sc.span());
            if name.eq_ignore_ascii_case(Model::BASELINE) {
                self.err(f, s.name.span(), format!("{field}.name"), "\"nulalternatief\" is the name of the baseline every scenario is compared with; choose another name");
            }
            let list = self.scenario_interventions(f, s, interventions, &known, &field);
            let sroi = match &s.sroi {
                None => Sroi::default(),
                Some(rs) => {
                    if let Some(d) = rs.deadweight.as_ref().filter(|d| !is_literal_zero(d.get_ref())) {
                        self.warn(f, d.span(), format!("{field}.sroi.deadweight"), DEADWEIGHT_WARNING);
                    }
                    let mut share = |key: &str, v: &Option<Spanned<ValueSpec>>| -> Value {
                        let sf = format!("{field}.sroi.{key}");
                        self.opt_value(f, v.as_ref(), &sf, Domain::Probability, 0.0)
                    };
                    Sroi {
                        deadweight: share("deadweight", &rs.deadweight),
                        attribution: share("attribution", &rs.attribution),
                        displacement: share("displacement", &rs.displacement),
                    }
                }
            };
            out.push(Scenario {
                name,
                description: s.description.clone().unwrap_or_default(),
                interventions: list,
                sroi,
            });
        }
        out
    }

    /// The scenario's interventions by index: at least one, each known, none twice.
    fn scenario_interventions(
        &mut self,
        f: usize,
        s: &ScenarioSpec,
        interventions: &HashMap<String, usize>,
        known: &[String],
        field: &str,
    ) -> Vec<usize> {
        let mut list = Vec::new();
        if s.interventions.get_ref().is_empty() {
            self.err(
                f,
                s.interventions.span(),
                format!("{field}.interventions"),
                "a scenario needs at least one intervention (the baseline without interventions is the nulalternatief)",
            );
        }
        for (i, iv) in s.interventions.get_ref().iter().enumerate() {
            let iff = format!("{field}.interventions[{i}]");
            match interventions.get(iv.get_ref()) {
                Some(&k) if list.contains(&k) => {
                    self.err(f, iv.span(), iff, format!("intervention `{}` is listed twice", iv.get_ref()))
                }
                Some(&k) => list.push(k),
                None => self.err(
                    f,
                    iv.span(),
                    iff,
                    format!(
                        "unknown intervention `{}`; interventions: {}{}",
                        iv.get_ref(),
                        list_or_none(known),
                        hint(iv.get_ref(), known)
                    ),
                ),
            }
        }
        list
    }
}
