//! Loading an application: read it, check it against the city description it
//! names, and turn it into an ordinary scenario model, in four steps:
//!
//! 1. read: the application file as written ([`super::file`]);
//! 2. check: the application format's own rules against the city model
//!    (the private `rules` module);
//! 3. build: the application as a scenario, the same typed data the scenario
//!    parser produces, each value remembering which part of the application
//!    it came from (the private `build` and `origins` modules);
//! 4. validate: the normal scenario validation on the built scenario, its
//!    errors reported at the application's file, line and field.
//!
//! The built scenario, written as TOML (the private `text` module), is `scenario.toml`
//! of the check's output.

use std::path::{Path, PathBuf};

use super::file::ApplicationFile;
use super::origins::Positions;
use super::result::{ClaimKind, Thresholds};
use super::rules::{self, Checked, Errs};
use super::{build, text};
use crate::model::{Model, Value};
use crate::scenario::file::{OneOrMany, ScenarioFile};
use crate::scenario::{self, LoadOptions, Loaded, ScenarioError, ScenarioErrors, SourceFile};

/// Name of the scenario that holds the initiative.
pub(crate) const SCENARIO: &str = "aanvraag";
/// Name of the cohort area of the target group.
pub(crate) const AREA: &str = "deelnemers";

/// What a claimed figure is measured on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// Avoided costs on an account, undiscounted mean over years `first..=last` (indices).
    SavingsPerYear { account: usize, first: usize, last: usize },
    /// Avoided costs on an account, present value over the horizon.
    SavingsPv { account: usize },
    /// Avoided costs on every account, present value over the horizon.
    TotalPv,
    /// Benefit/cost ratio (financieel).
    Bcr,
    /// Present value of the welfare valued in money (`pv_welfare`).
    SocialPv,
    /// Benefit/cost ratio at the maatschappelijk level (`bcr_societal`).
    BcrSocietal,
    /// Avoided care-trajectory starts of a chain over the horizon.
    AvoidedStarts { chain: usize },
}

/// One claimed figure, validated.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    pub(crate) label: String,
    pub(crate) kind: ClaimKind,
    pub(crate) target: Target,
    pub(crate) claimed: f64,
}

/// One assumed effect: the parameter slot of its relative risk.
#[derive(Debug, Clone)]
pub(crate) struct Effect {
    pub(crate) name: String,
    pub(crate) transition: String,
    pub(crate) ages: String,
    /// The model's intervention that carries this effect (its first effect).
    pub(crate) intervention: usize,
    /// The rr as loaded: a parameter slot (a distribution) or a fixed number.
    pub(crate) rr: Value,
    /// Mean of the evidence: λ scales the effect as `mean^λ`.
    pub(crate) mean: f64,
    pub(crate) source: String,
    pub(crate) persistence_years: u32,
    pub(crate) drop_off: String,
}

/// A checked application, ready to simulate: what [`load`] returns and
/// [`check`](super::check::check) takes. Its contents are the crate's own; the
/// binary writes the built scenario with [`Application::generated_for`].
#[derive(Debug)]
pub struct Application {
    pub(crate) path: PathBuf,
    pub(crate) loaded: Loaded,
    /// SHA-256 of the application file.
    pub(crate) sha256: String,
    /// The scenario built from the application as TOML (the city included
    /// relative to the application). Public as the text a caller can show or
    /// hash without writing a file ([`Application::generated_for`] writes it
    /// for another directory); the crate itself reads it only in tests.
    pub generated: String,
    /// The built scenario as TOML without its include, and the city file it
    /// includes (canonical).
    body: String,
    city: PathBuf,
    pub(crate) name: String,
    pub(crate) applicant: String,
    pub(crate) description: String,
    pub(crate) profile: String,
    pub(crate) start_year: i32,
    pub(crate) years: u32,
    pub(crate) participants_per_year: f64,
    pub(crate) target_group: Vec<(String, f64)>,
    pub(crate) funder: usize,
    pub(crate) effects: Vec<Effect>,
    pub(crate) costs: Vec<(String, String, String)>,
    pub(crate) sroi: Vec<String>,
    pub(crate) claims: Vec<Claim>,
    pub(crate) thresholds: Thresholds,
}

impl Application {
    /// The scenario model built from the application.
    pub(crate) fn model(&self) -> &Model {
        &self.loaded.model
    }
    /// The built scenario as a file in `dir`: the same scenario with the city
    /// included relative to `dir` (falling back to the absolute path).
    pub fn generated_for(&self, dir: &Path) -> String {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let rel = relative(&dir, &self.city).unwrap_or_else(|| self.city.clone());
        text::with_include(&self.path, &rel, &self.body)
    }

    /// Every input the check's numbers depend on, with its SHA-256: the
    /// application itself, then the generated scenario and what it includes.
    pub fn inputs(&self) -> Vec<(String, String)> {
        std::iter::once((self.path.display().to_string(), self.sha256.clone()))
            .chain(self.loaded.files.iter().map(|f| (f.path.display().to_string(), f.sha256.clone())))
            .collect()
    }

    /// The application file as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The scenario of the built model that runs the initiative.
    pub(crate) fn scenario_index(&self) -> usize {
        self.model().scenarios.iter().position(|s| s.name == SCENARIO).unwrap_or(0)
    }

    /// The funders of the city model the application runs on.
    pub(crate) fn funders(&self) -> Vec<String> {
        self.model().funders.clone()
    }

    /// People in the target group.
    pub(crate) fn group_size(&self) -> f64 {
        self.target_group.iter().map(|g| g.1).sum()
    }
}

/// Read, check and build an application, its city description confined to
/// the application's folder and the scenario library (see [`load_with`]).
pub fn load(path: &Path) -> Result<Application, ScenarioErrors> {
    load_with(path, LoadOptions::default())
}

/// Read, check and build an application. Every key, type and rule error of
/// the application comes in one report; the `city` it names (and what that
/// includes) must lie in the application's folder or the scenario library
/// unless `opts` allows any path.
pub fn load_with(path: &Path, opts: LoadOptions) -> Result<Application, ScenarioErrors> {
    let scenario::Recovering { written, value: file, text, edits, key_errors } =
        scenario::read_recovering::<ApplicationFile>(path)?;
    let mut errs = Errs { path, text: &text, list: key_errors, repaired: Some((&written, &edits)) };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let city_rel = file.application.city.get_ref();
    let city_path = base.join(city_rel);
    if let Err(reason) = scenario::check_reference(&base, city_rel, "city description", opts) {
        errs.at(file.application.city.span(), "application.city", reason);
        return Err(errs.sorted(vec![]));
    }
    // The city alone, to check names against before anything is built.
    let city = match scenario::load_with(&city_path, opts) {
        Ok(c) => c,
        Err(e) if e.iter().all(|x| x.kind == scenario::ErrorKind::Io && x.file == city_path) => {
            errs.at(
                file.application.city.span(),
                "application.city",
                format!("city description {} not found (the path is relative to the application)", city_path.display()),
            );
            return Err(errs.sorted(vec![]));
        }
        Err(e) => return Err(errs.sorted(e.0)),
    };
    let checked = rules::check(&file, &city.model, &mut errs);
    if !errs.list.is_empty() {
        return Err(errs.sorted(vec![]));
    }
    let (mut built, positions) = build::build(&text, &file, &checked);
    let body = text::body(&mut built).map_err(|e| ScenarioErrors(vec![ScenarioError::io(path, e.to_string())]))?;
    let generated = text::with_include(path, Path::new(file.application.city.get_ref()), &body);
    let loaded = validate(path, &base, built, &positions, &generated, opts)?;
    let effects = effects(&file, &text, &checked, &loaded.model);
    Ok(Application {
        path: path.to_path_buf(),
        sha256: scenario::sha256_hex(text.as_bytes()),
        generated,
        body,
        city: std::fs::canonicalize(&city_path).unwrap_or(city_path.clone()),
        name: file.application.name.get_ref().clone(),
        applicant: file.application.applicant.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default(),
        description: file.application.description.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default(),
        profile: file.application.profile.get_ref().clone(),
        start_year: checked.start_year as i32,
        years: checked.years as u32,
        participants_per_year: checked.participants,
        target_group: checked.group,
        funder: checked.funder,
        effects,
        costs: costs(&file, &text),
        sroi: sroi(&file, &text),
        claims: checked.claims,
        thresholds: checked.thresholds,
        loaded,
    })
}

/// Step four: the normal scenario validation on the built scenario, as the
/// file `<application>#generated`, its errors placed in the application.
fn validate(
    path: &Path,
    base: &Path,
    built: ScenarioFile,
    positions: &Positions,
    generated: &str,
    opts: LoadOptions,
) -> Result<Loaded, ScenarioErrors> {
    let built_path = PathBuf::from(format!("{}#generated", path.display()));
    let mut loaded = scenario::load_built(&built_path, base, positions.text().to_string(), built, opts)
        .map_err(|e| sort_application_first(positions.place_all(e, &built_path, path), path))?;
    // The manifest records the scenario as written out, not the text its positions point into.
    loaded.files[0] = SourceFile {
        path: built_path,
        sha256: scenario::sha256_hex(generated.as_bytes()),
        text: generated.to_string(),
    };
    Ok(loaded)
}

/// `errors` with the application's own first, by position (the city's keep
/// their order after them).
pub(crate) fn sort_application_first(mut errors: ScenarioErrors, app: &Path) -> ScenarioErrors {
    errors.0.sort_by_key(|e| if e.file == app { (0, e.line, e.column) } else { (1, 0, 0) });
    errors
}

/// The assumed effects, each with the model's intervention that carries it,
/// its relative risk as loaded and the mean of its evidence.
fn effects(file: &ApplicationFile, text: &str, checked: &Checked, model: &Model) -> Vec<Effect> {
    let all_ages = build::group_ages(&checked.group);
    let means = crate::params::means(&model.params);
    let list = |o: &OneOrMany| o.0.iter().map(|s| s.get_ref().as_str()).collect::<Vec<_>>().join(", ");
    let mut out = vec![];
    for (i, e) in file.effect.iter().enumerate() {
        let es = e.get_ref();
        let (persistence_years, drop_off) = match &es.persistence {
            Some(p) => {
                let y = p.years.as_ref().map(|y| *y.get_ref()).unwrap_or(0);
                let drop = p.drop_off.as_ref().map(|d| text[d.span()].to_string());
                (y, drop.unwrap_or_else(|| "0".to_string()))
            }
            None => (0, "0".to_string()),
        };
        let name = format!("effect-{i}");
        let k = model.interventions.iter().position(|x| x.name == name).expect("built intervention");
        let (rr, mean) = match model.interventions[k].effects.first() {
            Some(crate::model::Effect::RelativeRisk { rr, .. }) => (*rr, rr.get(&means)),
            _ => (Value::Fixed(f64::NAN), f64::NAN),
        };
        out.push(Effect {
            name: es.name.as_ref().map(|n| n.get_ref().clone()).unwrap_or_else(|| format!("effect {}", i + 1)),
            transition: format!(
                "{}: {} → {}",
                es.chain.get_ref(),
                es.from.as_ref().map(|f| list(f.get_ref())).unwrap_or_else(|| "*".into()),
                list(es.to.get_ref())
            ),
            ages: es.ages.as_ref().map(|a| a.get_ref().clone()).unwrap_or_else(|| all_ages.clone()),
            intervention: k,
            rr,
            mean,
            source: es.source.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default(),
            persistence_years: persistence_years.max(0) as u32,
            drop_off,
        });
    }
    out
}

/// The cost lines as the applicant wrote them: `(account, basis, amount)`.
fn costs(file: &ApplicationFile, text: &str) -> Vec<(String, String, String)> {
    file.initiative
        .costs
        .iter()
        .map(|c| {
            let cs = c.get_ref();
            let acc = match &cs.taakveld {
                Some(t) => format!("{}/{}", cs.funder.get_ref(), t.get_ref()),
                None => cs.funder.get_ref().clone(),
            };
            let (v, basis) = build::cost_amount(cs);
            (acc, basis.to_string(), text[v.span()].to_string())
        })
        .collect()
}

/// The SROI corrections as the applicant wrote them (`deadweight: 0.2`).
fn sroi(file: &ApplicationFile, text: &str) -> Vec<String> {
    build::sroi_values(file).into_iter().map(|(k, v)| format!("{k}: {}", &text[v.span()])).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The written `scenario.toml`, loaded with the normal scenario loader,
    /// is the model the check simulates.
    #[test]
    fn written_scenario_loads_into_the_simulated_model() {
        let dir = tempfile::tempdir().unwrap();
        for app in [
            "tests/fixtures/fonds/jeugd.toml",
            "scenarios/fonds/peutergym-realistisch.toml",
            "scenarios/fonds/buurtgezinnen-optimistisch.toml",
            "scenarios/fonds/huiskamer-onrealistisch.toml",
            "scenarios/fonds/vroegsignalering-optimistisch.toml",
            "scenarios/fonds/taal-realistisch.toml",
        ] {
            let a = load(Path::new(app)).unwrap_or_else(|e| panic!("{e}"));
            let written = dir.path().join("scenario.toml");
            std::fs::write(&written, a.generated_for(dir.path())).unwrap();
            let again = scenario::load(&written).unwrap_or_else(|e| panic!("{app}: {e}"));
            // Warnings name the file they were found in, which differs; the model does not.
            let model =
                |m: &crate::model::Model| format!("{:?}", crate::model::Model { warnings: vec![], ..m.clone() });
            assert_eq!(model(&again.model), model(a.model()), "{app}");
            // The text with the include as seen from the application is the same scenario.
            let base = Path::new(app).parent().unwrap();
            let same = scenario::load_text(Path::new("generated.toml"), base, a.generated.clone()).unwrap();
            assert_eq!(model(&same.model), model(a.model()), "{app}");
        }
    }
}
