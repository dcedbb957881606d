//! The `[[scenario]]` tables: name (unique, not the baseline's), the
//! interventions it runs (at least one, each known and listed once, none of
//! the nulalternatief's), its SROI corrections (deadweight, attribution,
//! displacement: probabilities) and its PM-posten; and the `[nulalternatief]`
//! table: the interventions that happen anyway (each known and listed once).
//! A deadweight other than a literal 0 is a warning: the simulated
//! nulalternatief already holds what would have happened anyway.

use std::collections::HashMap;

use toml::Spanned;

use super::names::{hint, list_or_none, sorted};
use super::values::Domain;
use super::V;
use crate::model::{Model, Scenario, Sroi, Value};
use crate::scenario::file::{NulalternatiefSpec, SList, ScenarioSpec, ValueSpec};

/// Why a deadweight on top of a simulated nulalternatief needs an argument.
const DEADWEIGHT_WARNING: &str = "the nulalternatief is simulated, so deadweight counts what would have happened anyway a second time; set it only when argued (e.g. a trend the nulalternatief does not model)";

/// True for a value written as the number 0.
fn is_literal_zero(v: &ValueSpec) -> bool {
    matches!(v, ValueSpec::Number(x) if *x == 0.0)
}

impl V<'_> {
    /// `[nulalternatief]`, from the first file in merge order that has it (the
    /// main file overrides its includes): its description and its interventions
    /// by index, each known and listed once.
    pub(super) fn nulalternatief(&mut self, interventions: &HashMap<String, usize>) -> (String, Vec<usize>) {
        let Some((f, spec)) =
            self.files.iter().enumerate().find_map(|(f, p)| p.file.nulalternatief.as_ref().map(|n| (f, n)))
        else {
            return (String::new(), vec![]);
        };
        let NulalternatiefSpec { description, interventions: list } = spec;
        let known = sorted(interventions.keys());
        let out = match list {
            Some(l) => self.intervention_list(f, l, interventions, &known, "nulalternatief.interventions", &[]),
            None => vec![],
        };
        (description.clone().unwrap_or_default(), out)
    }

    /// Every `[[scenario]]`, in merge order. `baseline`: the nulalternatief's
    /// interventions, which a scenario must not list again.
    pub(super) fn scenarios(&mut self, interventions: &HashMap<String, usize>, baseline: &[usize]) -> Vec<Scenario> {
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
            let list = self.scenario_interventions(f, s, interventions, &known, &field, baseline);
            let pm = self.pm(f, s.pm.as_ref(), &field);
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
                pm,
            });
        }
        out
    }

    /// `pm` of a scenario or an intervention: names, each once, none empty.
    pub(super) fn pm(&mut self, f: usize, pm: Option<&SList>, field: &str) -> Vec<String> {
        pm.map(|l| self.unique_list(f, l, &format!("{field}.pm"), "PM item")).unwrap_or_default()
    }

    /// The scenario's interventions by index: at least one, each known, none
    /// twice, none of the nulalternatief's.
    fn scenario_interventions(
        &mut self,
        f: usize,
        s: &ScenarioSpec,
        interventions: &HashMap<String, usize>,
        known: &[String],
        field: &str,
        baseline: &[usize],
    ) -> Vec<usize> {
        if s.interventions.get_ref().is_empty() {
            self.err(
                f,
                s.interventions.span(),
                format!("{field}.interventions"),
                "a scenario needs at least one intervention (the baseline without interventions is the nulalternatief)",
            );
        }
        self.intervention_list(f, &s.interventions, interventions, known, &format!("{field}.interventions"), baseline)
    }

    /// A list of intervention names by index: each known and listed once,
    /// none of `excluded` (the nulalternatief's, for a scenario).
    fn intervention_list(
        &mut self,
        f: usize,
        names: &SList,
        interventions: &HashMap<String, usize>,
        known: &[String],
        field: &str,
        excluded: &[usize],
    ) -> Vec<usize> {
        let mut list = Vec::new();
        for (i, iv) in names.get_ref().iter().enumerate() {
            let iff = format!("{field}[{i}]");
            match interventions.get(iv.get_ref()) {
                Some(&k) if list.contains(&k) => {
                    self.err(f, iv.span(), iff, format!("intervention `{}` is listed twice", iv.get_ref()))
                }
                Some(&k) if excluded.contains(&k) => self.err(
                    f,
                    iv.span(),
                    iff,
                    format!(
                        "intervention `{}` is in the nulalternatief ([nulalternatief] interventions), which every \
                         scenario already includes; remove it from this scenario",
                        iv.get_ref()
                    ),
                ),
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
