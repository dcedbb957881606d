//! Step three of loading an application: build its scenario, as the same
//! typed data ([`ScenarioFile`]) the scenario parser produces.
//!
//! The scenario includes the city file and adds the target group as a closed
//! cohort area with the rates of its stadsdeel (`profile`) and its
//! demography's mortality, one cost-carrying intervention over the whole
//! target group, one intervention per assumed effect (same reach, years and
//! persistence), and one scenario `aanvraag`. Evidence, costs and SROI values
//! given as distributions become named parameters (`claim_rr_0`, …), so the
//! scenario validator checks them and the parameters' random streams (keyed by
//! name) do not depend on anything else; numbers and parameter names are used
//! in place. Every value carries a span from [`Positions`], which remembers
//! the part of the application it came from.

use std::ops::Range;

use toml::Spanned;

use super::file::{ApplicationFile, CostSpec as AppCost, EffectSpec as AppEffect};
use super::origins::Positions;
use super::rules::Checked;
use super::validate::{AREA, SCENARIO};
use crate::scenario::file::{
    AreaSpec, CostSpec, EffectSpec, InterventionCostsSpec, InterventionSpec, ModelSpec, OrderedMap, PersistenceSpec,
    PopulationEntry, ReachSpec, SString, ScenarioFile, ScenarioSpec, SroiSpec, ValueSpec,
};

/// Name of the intervention that carries the initiative's reach and costs.
const INITIATIVE: &str = "initiatief";

/// The scenario of a checked application, with the positions of its values.
pub(crate) fn build<'a>(text: &'a str, file: &ApplicationFile, checked: &Checked) -> (ScenarioFile, Positions<'a>) {
    let ini = &file.initiative;
    let share = if checked.size > 0.0 { (checked.participants / checked.size).min(1.0) } else { 0.0 };
    let mut b = Builder {
        pos: Positions::new(text, file.application.name.span(), "application"),
        file,
        checked,
        share,
        all_ages: group_ages(&checked.group),
        end_year: checked.start_year + checked.years - 1,
        ispan: ini.start_year.span(),
    };
    let city = &file.application.city;
    let include = vec![b.pos.generated(city.get_ref().clone(), city.span(), "application.city")];
    let model = ModelSpec {
        start_year: Some(b.pos.generated(checked.start_year, b.ispan.clone(), "initiative.start_year")),
        ..ModelSpec::default()
    };
    let parameters = b.parameters();
    let area = vec![b.area()];
    let mut intervention = vec![b.initiative()];
    for (i, e) in file.effect.iter().enumerate() {
        intervention.push(b.effect(i, e));
    }
    let scenario = vec![b.scenario(intervention.iter().map(|x| x.get_ref().name.get_ref().clone()).collect())];
    let built = ScenarioFile {
        include,
        model: Some(model),
        taakvelden: None,
        parameters: Some(parameters),
        demography: None,
        area,
        chain: vec![],
        risk_factor: vec![],
        intervention,
        scenario,
        nulalternatief: None,
        valuation: None,
        decision: None,
        parameter_group: vec![],
    };
    (built, b.pos)
}

/// The name of the parameter a value given as a distribution becomes, if it is one.
fn param_name(value: &Spanned<ValueSpec>, name: String) -> Option<String> {
    matches!(value.get_ref(), ValueSpec::Dist(_)).then_some(name)
}

/// The amount of a cost line (`per_year` or `per_participant`) and which it is.
pub(crate) fn cost_amount(cs: &AppCost) -> (&Spanned<ValueSpec>, &'static str) {
    match (&cs.per_year, &cs.per_participant) {
        (Some(v), _) => (v, "per_year"),
        (_, Some(v)) => (v, "per_participant"),
        _ => unreachable!("checked: a cost has one amount"),
    }
}

/// The SROI corrections given, in the scenario format's order.
pub(crate) fn sroi_values(file: &ApplicationFile) -> Vec<(&'static str, &Spanned<ValueSpec>)> {
    let Some(s) = &file.initiative.sroi else { return vec![] };
    [("deadweight", &s.deadweight), ("attribution", &s.attribution), ("displacement", &s.displacement)]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect()
}

struct Builder<'a, 'b> {
    pos: Positions<'a>,
    file: &'b ApplicationFile,
    checked: &'b Checked,
    /// Share of the target group reached per year.
    share: f64,
    /// The age band covering the whole target group.
    all_ages: String,
    end_year: i64,
    /// The initiative's `start_year`, where its generated settings are placed.
    ispan: Range<usize>,
}

impl Builder<'_, '_> {
    /// A generated string.
    fn string(&mut self, s: &str, app: Range<usize>, field: &str) -> SString {
        self.pos.generated(s.to_string(), app, field)
    }

    /// `[parameters]`: every value given as a distribution, under its own name.
    fn parameters(&mut self) -> OrderedMap<ValueSpec> {
        let f: &ApplicationFile = self.file;
        let mut given = vec![];
        for (i, e) in f.effect.iter().enumerate() {
            given.push((format!("claim_rr_{i}"), e.get_ref().rr.as_ref().expect("checked"), format!("effect[{i}].rr")));
        }
        for (i, c) in f.initiative.costs.iter().enumerate() {
            let (v, key) = cost_amount(c.get_ref());
            given.push((format!("claim_cost_{i}"), v, format!("initiative.costs[{i}].{key}")));
        }
        for (k, v) in sroi_values(f) {
            given.push((format!("claim_sroi_{k}"), v, format!("initiative.sroi.{k}")));
        }
        let mut out = vec![];
        for (name, value, field) in given {
            if let ValueSpec::Dist(d) = value.get_ref() {
                let key = self.pos.generated(name, value.span(), &field);
                self.pos.copied_at(value.span(), &field);
                out.push((key, ValueSpec::Dist(d.clone())));
            }
        }
        OrderedMap(out)
    }

    /// The target group as a closed cohort with its stadsdeel's rates.
    fn area(&mut self) -> Spanned<AreaSpec> {
        let file: &ApplicationFile = self.file;
        let app = &file.application;
        let tg = &file.initiative.target_group;
        let (tspan, tfield) = (tg.span(), "initiative.target_group");
        let dem = app.demography.as_ref();
        let dem_name = dem.map(|d| d.get_ref().clone()).unwrap_or_else(|| "nijmegen".into());
        let dem_span = dem.map(|d| d.span()).unwrap_or(app.profile.span());
        let mut population = vec![];
        for (i, e) in tg.get_ref().iter().enumerate() {
            let es = e.get_ref();
            let field = format!("initiative.target_group[{i}].ages");
            let entry = PopulationEntry {
                ages: self.pos.copied(&es.ages, &field),
                count: Some(self.pos.generated(*es.count.get_ref(), es.ages.span(), &field)),
                male: None,
                female: None,
            };
            population.push(self.pos.generated(entry, es.ages.span(), &field));
        }
        let spec = AreaSpec {
            name: self.string(AREA, tspan.clone(), tfield),
            profile: Some(self.pos.copied(&app.profile, "application.profile")),
            demography: self.pos.generated(dem_name, dem_span, "application.demography"),
            closed: Some(self.pos.generated(true, tspan.clone(), tfield)),
            population: self.pos.generated(population, tspan.clone(), tfield),
            net_migration: None,
        };
        self.pos.generated(spec, tspan, tfield)
    }

    /// An intervention over the cohort area with the initiative's reach and
    /// years, generated from the application's `app` span and `field`.
    fn intervention(&mut self, name: &str, app: Range<usize>, field: &str, ages: SString) -> InterventionSpec {
        let area = self.string(AREA, app.clone(), field);
        let share = ValueSpec::Number(self.share);
        InterventionSpec {
            name: self.string(name, app.clone(), field),
            areas: Some(self.pos.generated(vec![area], app.clone(), field)),
            ages: Some(ages),
            target: None,
            reach: ReachSpec {
                share: Some(self.pos.generated(share, app, "initiative.participants_per_year")),
                participants: None,
            },
            ramp_up: None,
            start_year: Some(self.pos.generated(self.checked.start_year, self.ispan.clone(), "initiative.start_year")),
            end_year: Some(self.pos.generated(self.end_year, self.file.initiative.years.span(), "initiative.years")),
            persistence: None,
            effect: vec![],
            costs: None,
            pm: None,
        }
    }

    /// The initiative itself: reach and costs over the whole target group.
    fn initiative(&mut self) -> Spanned<InterventionSpec> {
        let ispan = self.ispan.clone();
        let tg = self.file.initiative.target_group.span();
        let ages = self.string(&self.all_ages.clone(), tg, "initiative.target_group");
        let mut spec = self.intervention(INITIATIVE, ispan.clone(), "initiative", ages);
        spec.costs = Some(InterventionCostsSpec { fixed: self.costs(true), per_participant: self.costs(false) });
        self.pos.generated(spec, ispan, "initiative")
    }

    /// The cost lines per year (`fixed`) or per participant.
    fn costs(&mut self, fixed: bool) -> Option<Spanned<Vec<Spanned<CostSpec>>>> {
        let file: &ApplicationFile = self.file;
        let mut lines = vec![];
        for (i, c) in file.initiative.costs.iter().enumerate() {
            let cs = c.get_ref();
            if fixed != cs.per_year.is_some() {
                continue;
            }
            let field = format!("initiative.costs[{i}]");
            let (v, _) = cost_amount(cs);
            // A distribution is the parameter of that name; a number or a
            // parameter name is copied in place.
            let (amount, app) = match param_name(v, format!("claim_cost_{i}")) {
                Some(name) => (self.pos.generated(ValueSpec::Name(name), c.span(), &field), c.span()),
                None => (self.pos.copied(v, &field), v.span()),
            };
            let line = CostSpec {
                amount,
                funder: self.string(cs.funder.get_ref(), app.clone(), &field),
                taakveld: cs.taakveld.as_ref().map(|t| self.string(t.get_ref(), app.clone(), &field)),
            };
            lines.push(self.pos.generated(line, app, &field));
        }
        (!lines.is_empty()).then(|| self.pos.generated(lines, self.ispan.clone(), "initiative.costs"))
    }

    /// One assumed effect: an intervention with the initiative's reach and
    /// years whose only effect is the relative risk.
    fn effect(&mut self, i: usize, e: &Spanned<AppEffect>) -> Spanned<InterventionSpec> {
        let es = e.get_ref();
        let field = format!("effect[{i}]");
        let ages = match &es.ages {
            Some(a) => self.pos.copied(a, &format!("{field}.ages")),
            None => self.string(&self.all_ages.clone(), e.span(), &field),
        };
        let mut spec = self.intervention(&format!("effect-{i}"), e.span(), &field, ages);
        spec.persistence = es.persistence.as_ref().map(|p| {
            let years = p.years.as_ref().map(|y| *y.get_ref()).unwrap_or(0);
            let pfield = format!("{field}.persistence");
            let app = p.drop_off.as_ref().map_or(e.span(), |d| d.span());
            PersistenceSpec {
                years: Some(self.pos.generated(years, app, &pfield)),
                drop_off: p.drop_off.as_ref().map(|d| self.pos.copied(d, &pfield)),
            }
        });
        let rr = es.rr.as_ref().expect("checked");
        let rfield = format!("{field}.rr");
        let rr = match param_name(rr, format!("claim_rr_{i}")) {
            Some(name) => self.pos.generated(ValueSpec::Name(name), e.span(), &rfield),
            None => self.pos.copied(rr, &rfield),
        };
        let effect = EffectSpec {
            chain: self.pos.copied(&es.chain, &format!("{field}.chain")),
            from: es.from.as_ref().map(|f| self.pos.copied(f, &format!("{field}.from"))),
            to: Some(self.pos.copied(&es.to, &format!("{field}.to"))),
            rr: Some(rr),
            convention: None,
            shift: None,
            state: None,
            states: None,
            outcomes: None,
            costs: None,
        };
        spec.effect = vec![self.pos.generated(effect, e.span(), &field)];
        self.pos.generated(spec, e.span(), &field)
    }

    /// The scenario `aanvraag`: every intervention, with the SROI corrections.
    fn scenario(&mut self, names: Vec<String>) -> Spanned<ScenarioSpec> {
        let file: &ApplicationFile = self.file;
        let app = file.application.name.span();
        let list: Vec<SString> = names.iter().map(|n| self.string(n, app.clone(), "effect")).collect();
        let sroi = file.initiative.sroi.as_ref().map(|_| {
            let mut s = SroiSpec { deadweight: None, attribution: None, displacement: None };
            for (k, v) in sroi_values(file) {
                let value = match param_name(v, format!("claim_sroi_{k}")) {
                    Some(name) => ValueSpec::Name(name),
                    None => v.get_ref().clone(),
                };
                let value = Some(self.pos.generated(value, self.ispan.clone(), "initiative.sroi"));
                match k {
                    "deadweight" => s.deadweight = value,
                    "attribution" => s.attribution = value,
                    _ => s.displacement = value,
                }
            }
            s
        });
        let spec = ScenarioSpec {
            name: self.string(SCENARIO, app.clone(), "application"),
            description: Some(file.application.name.get_ref().clone()),
            interventions: self.pos.generated(list, app.clone(), "effect"),
            sroi,
            pm: file.initiative.pm.as_ref().map(|pm| self.pos.copied(pm, "initiative.pm")),
        };
        self.pos.generated(spec, app, "application")
    }
}

/// The smallest age band covering every band of the target group (`"2-40"`).
pub(crate) fn group_ages(group: &[(String, f64)]) -> String {
    let mut lo = usize::MAX;
    let mut hi = 0;
    for (band, _) in group {
        let (a, b) = band.split_once('-').unwrap_or((band, band));
        if let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    if lo == usize::MAX {
        "0-100".into()
    } else {
        format!("{lo}-{hi}")
    }
}
