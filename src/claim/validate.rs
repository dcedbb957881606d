//! Phase two: check an application against the city description it names and
//! turn it into an ordinary scenario model.
//!
//! The application becomes scenario text: the city file included, the target
//! group as a closed cohort area with the rates of its stadsdeel (`profile`)
//! and its demography's mortality, one cost-carrying intervention over the
//! whole target group, one intervention per assumed effect (same reach, years
//! and persistence), and one scenario `aanvraag`. Evidence, costs and SROI
//! values are copied verbatim from the application into named parameters
//! (`claim_rr_0`, …), so the scenario validator checks them and the
//! parameters' random streams (keyed by name) do not depend on anything else.
//! Every piece of generated text remembers which part of the application it
//! came from, so an error found by the scenario validator is reported at the
//! application's file, line and field, never at text the applicant never saw.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::file::{ApplicationFile, ClaimSpec};
use super::result::{ClaimKind, Thresholds};
use crate::model::{Model, Value};
use crate::scenario::{self, Loaded, ScenarioError, ScenarioErrors};

/// Name of the scenario that holds the initiative.
pub const SCENARIO: &str = "aanvraag";
/// Name of the cohort area of the target group.
pub const AREA: &str = "deelnemers";

/// What a claimed figure is measured on.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Avoided costs on an account, undiscounted mean over years `first..=last` (indices).
    SavingsPerYear {
        account: usize,
        first: usize,
        last: usize,
    },
    SavingsPv {
        account: usize,
    },
    TotalPv,
    Bcr,
    AvoidedStarts {
        chain: usize,
    },
}

/// One claimed figure, validated.
#[derive(Debug, Clone)]
pub struct Claim {
    pub label: String,
    pub kind: ClaimKind,
    pub target: Target,
    pub claimed: f64,
}

/// One assumed effect: the parameter slot of its relative risk.
#[derive(Debug, Clone)]
pub struct Effect {
    pub name: String,
    pub transition: String,
    pub ages: String,
    /// The model's intervention that carries this effect (its first effect).
    pub intervention: usize,
    /// The rr as loaded: a parameter slot (a distribution) or a fixed number.
    pub rr: Value,
    /// Mean of the evidence: λ scales the effect as `mean^λ`.
    pub mean: f64,
    pub source: String,
    pub persistence_years: u32,
    pub drop_off: String,
}

/// A checked application, ready to simulate.
#[derive(Debug)]
pub struct Application {
    pub path: PathBuf,
    pub loaded: Loaded,
    /// SHA-256 of the application file.
    pub sha256: String,
    /// The scenario text built from the application (includes relative to the application).
    pub generated: String,
    /// The include line of `generated`, and the city file it names (canonical).
    include_line: String,
    city: PathBuf,
    pub name: String,
    pub applicant: String,
    pub description: String,
    pub profile: String,
    pub start_year: i32,
    pub years: u32,
    pub participants_per_year: f64,
    pub target_group: Vec<(String, f64)>,
    pub funder: usize,
    pub effects: Vec<Effect>,
    pub costs: Vec<(String, String, String)>,
    pub sroi: Vec<String>,
    pub claims: Vec<Claim>,
    pub thresholds: Thresholds,
}

impl Application {
    pub fn model(&self) -> &Model {
        &self.loaded.model
    }
    /// The generated scenario as a file in `dir`: the same text with the city
    /// include relative to `dir` (falling back to the absolute path).
    pub fn generated_for(&self, dir: &Path) -> String {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let rel = relative(&dir, &self.city).unwrap_or_else(|| self.city.clone());
        let line = format!("include = [{}]", q(&rel.to_string_lossy()));
        self.generated.replacen(&self.include_line, &line, 1)
    }

    /// People in the target group.
    pub fn group_size(&self) -> f64 {
        self.target_group.iter().map(|g| g.1).sum()
    }
}

/// Where a piece of generated text came from.
struct Origin {
    generated: Range<usize>,
    app: Range<usize>,
    field: String,
    /// The generated text is a verbatim copy of the application's text.
    verbatim: bool,
}

/// Scenario text under construction, with origins.
struct Gen<'a> {
    app_text: &'a str,
    text: String,
    origins: Vec<Origin>,
}

impl Gen<'_> {
    /// Plain generated text, attributed to an application span.
    fn line(&mut self, s: &str, app: Range<usize>, field: &str) {
        let start = self.text.len();
        self.text.push_str(s);
        self.text.push('\n');
        self.origins.push(Origin { generated: start..self.text.len(), app, field: field.into(), verbatim: false });
    }
    /// `prefix` + the application's own text of `span` + `suffix`.
    fn copy(&mut self, prefix: &str, span: Range<usize>, suffix: &str, field: &str) {
        let outer = self.text.len();
        self.text.push_str(prefix);
        let start = self.text.len();
        self.text.push_str(&self.app_text[span.clone()]);
        let end = self.text.len();
        self.text.push_str(suffix);
        self.text.push('\n');
        self.origins.push(Origin {
            generated: outer..self.text.len(),
            app: span.clone(),
            field: field.into(),
            verbatim: false,
        });
        self.origins.push(Origin { generated: start..end, app: span, field: field.into(), verbatim: true });
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Errs<'a> {
    path: &'a Path,
    text: &'a str,
    list: Vec<ScenarioError>,
}

impl Errs<'_> {
    fn at(&mut self, span: Range<usize>, field: impl Into<String>, reason: impl Into<String>) {
        self.list.push(ScenarioError::at(self.path, self.text, span, field, reason));
    }
}

/// Read, check and build an application.
pub fn load(path: &Path) -> Result<Application, ScenarioErrors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioErrors(vec![ScenarioError::io(path, format!("cannot read the application: {e}"))]))?;
    let file =
        ApplicationFile::parse(&text).map_err(|e| ScenarioErrors(vec![scenario::syntax_error(path, &text, &e)]))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let city_rel = file.application.city.get_ref();
    let city_path = base.join(city_rel);
    let mut errs = Errs { path, text: &text, list: vec![] };
    // The city alone, to check names against before anything is generated.
    let city = match scenario::load(&city_path) {
        Ok(c) => c,
        Err(e) if e.iter().all(|x| x.kind == scenario::ErrorKind::Io && x.file == city_path) => {
            errs.at(
                file.application.city.span(),
                "application.city",
                format!("city description {} not found (the path is relative to the application)", city_path.display()),
            );
            return Err(ScenarioErrors(errs.list));
        }
        Err(e) => return Err(e),
    };
    let cm = &city.model;
    let ini = &file.initiative;
    let start_year = *ini.start_year.get_ref();
    let years = *ini.years.get_ref();
    // The generated scenario starts in the initiative's first year (the target
    // group is who it is then) and keeps the city model's horizon.
    let first = cm.settings.start_year as i64;
    let last = start_year + cm.settings.horizon as i64 - 1;
    if start_year < first {
        errs.at(
            ini.start_year.span(),
            "initiative.start_year",
            format!("must be {first} or later (the city model's first year)"),
        );
    }
    if years < 1 || start_year + years - 1 > last {
        errs.at(ini.years.span(), "initiative.years", format!("must be at least 1 and end by {last}"));
    }
    let mut group = vec![];
    for (i, g) in ini.target_group.get_ref().iter().enumerate() {
        let c = *g.get_ref().count.get_ref();
        if !c.is_finite() || c < 0.0 {
            errs.at(
                g.get_ref().count.span(),
                format!("initiative.target_group[{i}].count"),
                format!("must be a number of people >= 0, got {c}"),
            );
        }
        group.push((g.get_ref().ages.get_ref().clone(), c));
    }
    let size: f64 = group.iter().map(|g| g.1).sum();
    if group.is_empty() || size <= 0.0 {
        errs.at(ini.target_group.span(), "initiative.target_group", "give at least one age band with people");
    }
    let participants = match &ini.participants_per_year {
        Some(p) => {
            let v = *p.get_ref();
            if !v.is_finite() || v < 0.0 {
                errs.at(
                    p.span(),
                    "initiative.participants_per_year",
                    format!("reach must be >= 0 people per year, got {v}"),
                );
            } else if v > size + 1e-9 {
                errs.at(
                    p.span(),
                    "initiative.participants_per_year",
                    format!("{v} participants per year is more than the target group ({size} people)"),
                );
            }
            v
        }
        None => size,
    };
    // Funders and accounts.
    let funder_of = |name: &Spanned<String>, field: &str, errs: &mut Errs| -> Option<usize> {
        let f = cm.funders.iter().position(|x| x == name.get_ref());
        if f.is_none() {
            errs.at(
                name.span(),
                field,
                format!("unknown funder `{}`; the city model has: {}", name.get_ref(), cm.funders.join(", ")),
            );
        }
        f
    };
    let taakveld_ok = |code: &Spanned<String>, field: &str, errs: &mut Errs| -> bool {
        let ok = cm.taakvelden.iter().any(|t| &t.code == code.get_ref());
        if !ok {
            let codes: Vec<&str> = cm.taakvelden.iter().map(|t| t.code.as_str()).collect();
            errs.at(
                code.span(),
                field,
                format!("unknown taakveld `{}`; the city model has: {}", code.get_ref(), codes.join(", ")),
            );
        }
        ok
    };

    for (i, c) in ini.costs.iter().enumerate() {
        let cs = c.get_ref();
        let field = format!("initiative.costs[{i}]");
        funder_of(&cs.funder, &format!("{field}.funder"), &mut errs);
        if let Some(t) = &cs.taakveld {
            taakveld_ok(t, &format!("{field}.taakveld"), &mut errs);
        }
        match (&cs.per_year, &cs.per_participant) {
            (Some(_), None) | (None, Some(_)) => {}
            _ => errs.at(c.span(), field, "give exactly one of per_year or per_participant"),
        }
    }
    if ini.costs.is_empty() {
        errs.at(
            ini.years.span(),
            "initiative.costs",
            "an application needs its costs: add costs = [{ funder, taakveld, per_year }]",
        );
    }
    let funder = match &file.application.funder {
        Some(f) => funder_of(f, "application.funder", &mut errs).unwrap_or(0),
        None => ini
            .costs
            .first()
            .and_then(|c| cm.funders.iter().position(|x| x == c.get_ref().funder.get_ref()))
            .unwrap_or(0),
    };
    // Effects need evidence.
    if file.effect.is_empty() {
        errs.at(0..0, "effect", "an application needs at least one [[effect]] with its evidence");
    }
    for (i, e) in file.effect.iter().enumerate() {
        let es = e.get_ref();
        let field = format!("effect[{i}]");
        if es.rr.is_none() {
            errs.at(
                e.span(),
                format!("{field}.rr"),
                "missing evidence: give the effect as rr = a distribution or a number",
            );
        }
        match &es.source {
            None => errs.at(
                e.span(),
                format!("{field}.source"),
                "missing evidence: say where the effect size comes from (study, meta-analysis, or \"assumption\")",
            ),
            Some(s) if s.get_ref().trim().is_empty() => {
                errs.at(s.span(), format!("{field}.source"), "missing evidence: the source is empty")
            }
            _ => {}
        }
        if !cm.chains.iter().any(|c| &c.name == es.chain.get_ref()) {
            let names: Vec<&str> = cm.chains.iter().map(|c| c.name.as_str()).collect();
            errs.at(
                es.chain.span(),
                format!("{field}.chain"),
                format!("unknown chain `{}`; the city model has: {}", es.chain.get_ref(), names.join(", ")),
            );
        }
    }
    // Claims.
    let horizon = cm.settings.horizon;
    let mut claims = vec![];
    if file.claim.is_empty() {
        errs.at(0..0, "claim", "an application needs at least one [[claim]] (the return it promises)");
    }
    for (i, c) in file.claim.iter().enumerate() {
        if let Some(claim) = claim(cm, c, i, &file, funder, start_year, years, horizon, &mut errs) {
            claims.push(claim);
        }
    }
    let mut thresholds = Thresholds::default();
    if let Some(v) = &file.verdict {
        if let Some(r) = &v.realistic {
            thresholds.realistic = *r.get_ref();
        }
        if let Some(o) = &v.optimistic {
            thresholds.optimistic = *o.get_ref();
        }
        let ok = |x: f64| x > 0.0 && x < 1.0;
        if !ok(thresholds.realistic) || !ok(thresholds.optimistic) || thresholds.optimistic >= thresholds.realistic {
            let span = v.realistic.as_ref().or(v.optimistic.as_ref()).map(|s| s.span()).unwrap_or(0..0);
            errs.at(span, "verdict", "need 0 < optimistic < realistic < 1 (probabilities that the claim is reached)");
        }
    }
    if !errs.list.is_empty() {
        return Err(ScenarioErrors(errs.list));
    }

    // Generate the scenario.
    let mut g = Gen { app_text: &text, text: String::new(), origins: vec![] };
    let app_span = file.application.name.span();
    g.line(&format!("# generated by wijkimpact claim from {}", path.display()), app_span.clone(), "application");
    let include_line = format!("include = [{}]", q(city_rel));
    g.line(&include_line, file.application.city.span(), "application.city");
    // A distribution becomes a named parameter (sampled once per draw, its
    // stream keyed by the name); a number or the name of a city parameter is
    // written in place.
    let is_table = |span: &Range<usize>| text[span.clone()].trim_start().starts_with('{');
    g.line("[model]", ini.start_year.span(), "initiative.start_year");
    g.line(&format!("start_year = {start_year}"), ini.start_year.span(), "initiative.start_year");
    g.line("[parameters]", app_span.clone(), "application");
    let value_of = |g: &mut Gen, name: String, span: Range<usize>, field: String| -> Option<String> {
        if is_table(&span) {
            g.copy(&format!("{name} = "), span, "", &field);
            Some(q(&name))
        } else {
            None
        }
    };
    let mut rr_text = vec![];
    for (i, e) in file.effect.iter().enumerate() {
        let rr = e.get_ref().rr.as_ref().expect("checked");
        rr_text.push(value_of(&mut g, format!("claim_rr_{i}"), rr.span(), format!("effect[{i}].rr")));
    }
    let mut cost_text = vec![];
    for (i, c) in ini.costs.iter().enumerate() {
        let cs = c.get_ref();
        let v = cs.per_year.as_ref().or(cs.per_participant.as_ref()).expect("checked");
        let key = if cs.per_year.is_some() { "per_year" } else { "per_participant" };
        cost_text.push(value_of(&mut g, format!("claim_cost_{i}"), v.span(), format!("initiative.costs[{i}].{key}")));
    }
    let mut sroi = vec![];
    let mut sroi_text = vec![];
    if let Some(s) = &ini.sroi {
        for (k, v) in
            [("deadweight", &s.deadweight), ("attribution", &s.attribution), ("displacement", &s.displacement)]
        {
            if let Some(v) = v {
                let t = value_of(&mut g, format!("claim_sroi_{k}"), v.span(), format!("initiative.sroi.{k}"));
                sroi_text.push((k, v.span(), t));
                sroi.push(format!("{k}: {}", &text[v.span()]));
            }
        }
    }
    let dem = file.application.demography.as_ref();
    let dem_name = dem.map(|d| d.get_ref().clone()).unwrap_or_else(|| "nijmegen".into());
    let dem_span = dem.map(|d| d.span()).unwrap_or(file.application.profile.span());
    g.line("[[area]]", ini.target_group.span(), "initiative.target_group");
    g.line(&format!("name = {}", q(AREA)), ini.target_group.span(), "initiative.target_group");
    g.copy("profile = ", file.application.profile.span(), "", "application.profile");
    g.line(&format!("demography = {}", q(&dem_name)), dem_span, "application.demography");
    g.line("closed = true", ini.target_group.span(), "initiative.target_group");
    g.line("population = [", ini.target_group.span(), "initiative.target_group");
    for (i, e) in ini.target_group.get_ref().iter().enumerate() {
        let es = e.get_ref();
        g.copy(
            "  { ages = ",
            es.ages.span(),
            &format!(", count = {} }},", es.count.get_ref()),
            &format!("initiative.target_group[{i}].ages"),
        );
    }
    g.line("]", ini.target_group.span(), "initiative.target_group");
    let share = if size > 0.0 { (participants / size).min(1.0) } else { 0.0 };
    let end_year = start_year + years - 1;
    let all_ages = group_ages(&group);
    // The initiative itself: reach and costs over the whole target group.
    let ispan = ini.start_year.span();
    g.line("[[intervention]]", ispan.clone(), "initiative");
    g.line("name = \"initiatief\"", ispan.clone(), "initiative");
    g.line(&format!("areas = [{}]", q(AREA)), ispan.clone(), "initiative");
    g.line(&format!("ages = {}", q(&all_ages)), ini.target_group.span(), "initiative.target_group");
    g.line(&format!("reach = {{ share = {share} }}"), ispan.clone(), "initiative.participants_per_year");
    g.line(&format!("start_year = {start_year}"), ispan.clone(), "initiative.start_year");
    g.line(&format!("end_year = {end_year}"), ini.years.span(), "initiative.years");
    g.line("[intervention.costs]", ispan.clone(), "initiative.costs");
    for key in ["fixed", "per_participant"] {
        let items: Vec<(usize, &Spanned<super::file::CostSpec>)> =
            ini.costs.iter().enumerate().filter(|(_, c)| (key == "fixed") == c.get_ref().per_year.is_some()).collect();
        if items.is_empty() {
            continue;
        }
        g.line(&format!("{key} = ["), ispan.clone(), "initiative.costs");
        for (i, c) in items {
            let cs = c.get_ref();
            let tv = cs.taakveld.as_ref().map(|t| format!(", taakveld = {}", q(t.get_ref()))).unwrap_or_default();
            let suffix = format!(", funder = {}{tv} }},", q(cs.funder.get_ref()));
            let field = format!("initiative.costs[{i}]");
            match &cost_text[i] {
                Some(name) => g.line(&format!("  {{ amount = {name}{suffix}"), c.span(), &field),
                None => {
                    let v = cs.per_year.as_ref().or(cs.per_participant.as_ref()).expect("checked");
                    g.copy("  { amount = ", v.span(), &suffix, &field)
                }
            }
        }
        g.line("]", ispan.clone(), "initiative.costs");
    }
    let mut effects = vec![];
    let mut names = vec!["initiatief".to_string()];
    for (i, e) in file.effect.iter().enumerate() {
        let es = e.get_ref();
        let field = format!("effect[{i}]");
        let name = format!("effect-{i}");
        names.push(name.clone());
        g.line("[[intervention]]", e.span(), &field);
        g.line(&format!("name = {}", q(&name)), e.span(), &field);
        g.line(&format!("areas = [{}]", q(AREA)), e.span(), &field);
        match &es.ages {
            Some(a) => g.copy("ages = ", a.span(), "", &format!("{field}.ages")),
            None => g.line(&format!("ages = {}", q(&all_ages)), e.span(), &field),
        }
        g.line(&format!("reach = {{ share = {share} }}"), e.span(), "initiative.participants_per_year");
        g.line(&format!("start_year = {start_year}"), ispan.clone(), "initiative.start_year");
        g.line(&format!("end_year = {end_year}"), ini.years.span(), "initiative.years");
        let (pyears, drop) = match &es.persistence {
            Some(p) => {
                let y = p.years.as_ref().map(|y| *y.get_ref()).unwrap_or(0);
                match &p.drop_off {
                    Some(d) => {
                        g.copy(
                            &format!("persistence = {{ years = {y}, drop_off = "),
                            d.span(),
                            " }",
                            &format!("{field}.persistence"),
                        );
                        (y, text[d.span()].to_string())
                    }
                    None => {
                        g.line(&format!("persistence = {{ years = {y} }}"), e.span(), &format!("{field}.persistence"));
                        (y, "0".to_string())
                    }
                }
            }
            None => (0, "0".to_string()),
        };
        g.line("[[intervention.effect]]", e.span(), &field);
        g.copy("chain = ", es.chain.span(), "", &format!("{field}.chain"));
        if let Some(f) = &es.from {
            g.copy("from = ", f.span(), "", &format!("{field}.from"));
        }
        g.copy("to = ", es.to.span(), "", &format!("{field}.to"));
        match &rr_text[i] {
            Some(name) => g.line(&format!("rr = {name}"), e.span(), &format!("{field}.rr")),
            None => g.copy("rr = ", es.rr.as_ref().expect("checked").span(), "", &format!("{field}.rr")),
        }
        let list = |o: &crate::scenario::file::OneOrMany| {
            o.0.iter().map(|s| s.get_ref().as_str()).collect::<Vec<_>>().join(", ")
        };
        effects.push(Effect {
            name: es.name.as_ref().map(|n| n.get_ref().clone()).unwrap_or_else(|| format!("effect {}", i + 1)),
            transition: format!(
                "{}: {} → {}",
                es.chain.get_ref(),
                es.from.as_ref().map(|f| list(f.get_ref())).unwrap_or_else(|| "*".into()),
                list(es.to.get_ref())
            ),
            ages: es.ages.as_ref().map(|a| a.get_ref().clone()).unwrap_or_else(|| all_ages.clone()),
            intervention: usize::MAX,
            rr: Value::Fixed(f64::NAN),
            mean: f64::NAN,
            source: es.source.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default(),
            persistence_years: pyears.max(0) as u32,
            drop_off: drop,
        });
    }
    g.line("[[scenario]]", app_span.clone(), "application");
    g.line(&format!("name = {}", q(SCENARIO)), app_span.clone(), "application");
    g.copy("description = ", file.application.name.span(), "", "application.name");
    let list: Vec<String> = names.iter().map(|n| q(n)).collect();
    g.line(&format!("interventions = [{}]", list.join(", ")), app_span.clone(), "effect");
    if let Some(s) = &ini.sroi {
        let _ = s;
        let mut parts = vec![];
        for (k, span, name) in &sroi_text {
            parts.push(match name {
                Some(n) => format!("{k} = {n}"),
                None => format!("{k} = {}", &text[span.clone()]),
            });
        }
        g.line(&format!("sroi = {{ {} }}", parts.join(", ")), ispan.clone(), "initiative.sroi");
    }

    let gen_path = PathBuf::from(format!("{}#generated", path.display()));
    let loaded =
        scenario::load_text(&gen_path, &base, g.text.clone()).map_err(|e| map_errors(e, &gen_path, path, &text, &g))?;
    // Each effect's intervention, its rr and the evidence mean.
    let model = &loaded.model;
    let means = crate::params::means(&model.params);
    for (i, e) in effects.iter_mut().enumerate() {
        let name = format!("effect-{i}");
        let k = model.interventions.iter().position(|x| x.name == name).expect("generated intervention");
        e.intervention = k;
        if let Some(crate::model::Effect::RelativeRisk { rr, .. }) = model.interventions[k].effects.first() {
            e.rr = *rr;
            e.mean = rr.get(&means);
        }
    }
    let costs = ini
        .costs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cs = c.get_ref();
            let acc = match &cs.taakveld {
                Some(t) => format!("{}/{}", cs.funder.get_ref(), t.get_ref()),
                None => cs.funder.get_ref().clone(),
            };
            let (basis, v) = match (&cs.per_year, &cs.per_participant) {
                (Some(v), _) => ("per_year", v),
                (_, Some(v)) => ("per_participant", v),
                _ => unreachable!("checked"),
            };
            let _ = i;
            (acc, basis.to_string(), text[v.span()].to_string())
        })
        .collect();
    Ok(Application {
        path: path.to_path_buf(),
        sha256: scenario::sha256_hex(text.as_bytes()),
        generated: g.text.clone(),
        include_line,
        city: std::fs::canonicalize(&city_path).unwrap_or(city_path.clone()),
        name: file.application.name.get_ref().clone(),
        applicant: file.application.applicant.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default(),
        description: file.application.description.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default(),
        profile: file.application.profile.get_ref().clone(),
        start_year: start_year as i32,
        years: years as u32,
        participants_per_year: participants,
        target_group: group,
        funder,
        effects,
        costs,
        sroi,
        claims,
        thresholds,
        loaded,
    })
}

/// `to` relative to the directory `from` (both absolute), e.g. `../scenarios/x.toml`.
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    if !from.is_absolute() || !to.is_absolute() {
        return None;
    }
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Some(out)
}

/// The smallest age band covering every band of the target group (`"2-40"`).
fn group_ages(group: &[(String, f64)]) -> String {
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

/// Validate one `[[claim]]`.
#[allow(clippy::too_many_arguments)]
fn claim(
    cm: &Model,
    c: &Spanned<ClaimSpec>,
    i: usize,
    file: &ApplicationFile,
    funder: usize,
    start_year: i64,
    years: i64,
    horizon: usize,
    errs: &mut Errs,
) -> Option<Claim> {
    let cs = c.get_ref();
    let field = format!("claim[{i}]");
    let given: Vec<(&str, &Spanned<f64>)> = [
        ("per_year", &cs.per_year),
        ("pv", &cs.pv),
        ("total_pv", &cs.total_pv),
        ("bcr", &cs.bcr),
        ("avoided_starts", &cs.avoided_starts),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    if given.len() != 1 {
        errs.at(
            c.span(),
            field,
            "give exactly one claimed figure: per_year or pv (with taakveld), total_pv, bcr, or avoided_starts (with chain)",
        );
        return None;
    }
    let (key, value) = given[0];
    let claimed = *value.get_ref();
    if !claimed.is_finite() {
        errs.at(value.span(), format!("{field}.{key}"), "must be a number");
        return None;
    }
    let label = cs.label.as_ref().map(|l| l.get_ref().clone());
    let account = |errs: &mut Errs| -> Option<(usize, String)> {
        let fname = match &cs.funder {
            Some(f) => {
                if !cm.funders.iter().any(|x| x == f.get_ref()) {
                    errs.at(
                        f.span(),
                        format!("{field}.funder"),
                        format!("unknown funder `{}`; the city model has: {}", f.get_ref(), cm.funders.join(", ")),
                    );
                    return None;
                }
                f.get_ref().clone()
            }
            None => cm.funders.get(funder).cloned().unwrap_or_default(),
        };
        let Some(tv) = &cs.taakveld else {
            // A funder without taakvelden (the zorgverzekeraar) is an account by itself.
            if let Some(a) = (0..cm.accounts.len()).find(|&a| cm.account_label(a) == fname) {
                return Some((a, fname));
            }
            errs.at(c.span(), format!("{field}.taakveld"), format!("a {key} claim names the taakveld it saves on"));
            return None;
        };
        let wanted = format!("{fname}/{}", tv.get_ref());
        let found = (0..cm.accounts.len()).find(|&a| cm.account_label(a) == wanted);
        if found.is_none() {
            let known: Vec<String> = (0..cm.accounts.len()).map(|a| cm.account_label(a)).collect();
            let why = if cm.taakvelden.iter().any(|t| &t.code == tv.get_ref()) {
                format!("the city model books no care costs of {fname} on taakveld {}", tv.get_ref())
            } else {
                format!("unknown taakveld `{}`", tv.get_ref())
            };
            errs.at(
                tv.span(),
                format!("{field}.taakveld"),
                format!("{why}; accounts with costs: {}", known.join(", ")),
            );
            return None;
        }
        found.map(|a| (a, wanted))
    };
    let _ = file;
    match key {
        "per_year" => {
            let (a, name) = account(errs)?;
            let (y0, y1) = match &cs.years {
                Some(y) => match y.get_ref().as_slice() {
                    [a, b] if a <= b => (*a, *b),
                    _ => {
                        errs.at(y.span(), format!("{field}.years"), "write the years as [first, last]");
                        return None;
                    }
                },
                None => (start_year, start_year + years - 1),
            };
            let first = start_year;
            if y0 < first || y1 > first + horizon as i64 - 1 {
                let span = cs.years.as_ref().map(|y| y.span()).unwrap_or(c.span());
                errs.at(
                    span,
                    format!("{field}.years"),
                    format!("must lie within {first}–{}", first + horizon as i64 - 1),
                );
                return None;
            }
            Some(Claim {
                label: label.unwrap_or_else(|| format!("besparing {name} per jaar ({y0}–{y1})")),
                kind: ClaimKind::SavingsPerYear,
                target: Target::SavingsPerYear {
                    account: a,
                    first: (y0 - first) as usize,
                    last: (y1 - first) as usize,
                },
                claimed,
            })
        }
        "pv" => {
            let (a, name) = account(errs)?;
            Some(Claim {
                label: label.unwrap_or_else(|| format!("besparing {name}, contante waarde")),
                kind: ClaimKind::SavingsPv,
                target: Target::SavingsPv { account: a },
                claimed,
            })
        }
        "total_pv" => Some(Claim {
            label: label.unwrap_or_else(|| "totale besparing, contante waarde".into()),
            kind: ClaimKind::SavingsTotalPv,
            target: Target::TotalPv,
            claimed,
        }),
        "bcr" => {
            if claimed < 0.0 {
                errs.at(value.span(), format!("{field}.bcr"), "a benefit/cost ratio is >= 0");
                return None;
            }
            Some(Claim {
                label: label.unwrap_or_else(|| "baten/kostenverhouding".into()),
                kind: ClaimKind::Bcr,
                target: Target::Bcr,
                claimed,
            })
        }
        _ => {
            let Some(ch) = &cs.chain else {
                errs.at(
                    c.span(),
                    format!("{field}.chain"),
                    "an avoided_starts claim names the chain (care trajectory)",
                );
                return None;
            };
            let Some(k) = cm.chains.iter().position(|x| &x.name == ch.get_ref()) else {
                let names: Vec<&str> = cm.chains.iter().map(|x| x.name.as_str()).collect();
                errs.at(
                    ch.span(),
                    format!("{field}.chain"),
                    format!("unknown chain `{}`; the city model has: {}", ch.get_ref(), names.join(", ")),
                );
                return None;
            };
            if claimed < 0.0 {
                errs.at(value.span(), format!("{field}.avoided_starts"), "a number of avoided starts is >= 0");
                return None;
            }
            Some(Claim {
                label: label.unwrap_or_else(|| format!("vermeden starts {}", ch.get_ref())),
                kind: ClaimKind::AvoidedStarts,
                target: Target::AvoidedStarts { chain: k },
                claimed,
            })
        }
    }
}

/// Report the scenario validator's errors in the generated text at the
/// application's positions.
fn map_errors(e: ScenarioErrors, gen_path: &Path, app_path: &Path, app_text: &str, g: &Gen) -> ScenarioErrors {
    let out = e
        .0
        .into_iter()
        .map(|err| {
            if err.file != gen_path {
                return err;
            }
            let offset = byte_offset(&g.text, err.line, err.column);
            // The innermost origin: a verbatim copy maps position for position.
            let best = g
                .origins
                .iter()
                .filter(|o| o.generated.contains(&offset) || (o.generated.start == offset && o.generated.is_empty()))
                .min_by_key(|o| o.generated.len());
            match best {
                Some(o) => {
                    let at = if o.verbatim { o.app.start + (offset - o.generated.start) } else { o.app.start };
                    let mut mapped = ScenarioError::at(app_path, app_text, at..at, o.field.clone(), err.reason.clone());
                    mapped.kind = err.kind;
                    mapped
                }
                None => {
                    let (line, column) = (0, 0);
                    ScenarioError { file: app_path.to_path_buf(), line, column, ..err }
                }
            }
        })
        .collect();
    ScenarioErrors(out)
}

/// Byte offset of a 1-based line and (character) column in `text`.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
            return start + col;
        }
        start += l.len();
    }
    text.len()
}
