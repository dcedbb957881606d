//! Phase two of reading a portfolio: check its meaning and build the options.
//!
//! Every `[[option]]` becomes one candidate per area and scale: a copy of the
//! named intervention of the model file that runs in that area only, with
//! `participants` set to the scale. All candidates go into one model, each in
//! a scenario of its own, so one run evaluates every candidate on the same
//! draws (common random numbers: the same parameter values, the same
//! nulalternatief). Options of different interventions in the same area
//! whose simulations share a joint block (they reach or act on the same
//! chains, so the same people can be reached twice) also get a scenario
//! running both: the pair's simulated value minus the two single values is
//! their interaction (see [`super`]). Every `[[application]]` is read as the
//! claim check reads it ([`crate::claim::validate`]).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::file::{PortfolioFile, PortfolioSpec};
use crate::claim::rules::Errs;
use crate::claim::validate::Application;
use crate::model::{Model, Reach, Scenario, Sroi, Value};
use crate::scenario::{self, LoadOptions, Loaded, ScenarioError, ScenarioErrors, MAX_AMOUNT, MAX_PEOPLE};
use crate::sim::plan::Plan;

/// What the portfolio is optimised for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Expected maatschappelijk NPV (equity-weighted when weights apply).
    Npv,
    /// Expected maatschappelijke baten per euro of investment.
    WelfarePerEuro,
    /// The probability that the portfolio's maatschappelijk NPV is positive.
    ProbabilityPositive,
    /// The mean maatschappelijk NPV of the worst `share` of draws.
    LowerTail(f64),
}

impl Goal {
    /// The name in the portfolio file and the outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Goal::Npv => "npv",
            Goal::WelfarePerEuro => "welfare_per_euro",
            Goal::ProbabilityPositive => "p_positive",
            Goal::LowerTail(_) => "lower_tail",
        }
    }
}

/// The yearly budget and its optional caps.
#[derive(Debug, Clone)]
pub struct Budget {
    /// All options together, every year (euros).
    pub per_year: f64,
    /// `(area index into Portfolio::areas, cap)`.
    pub areas: Vec<(usize, f64)>,
    /// `(funder name, cap)`.
    pub funders: Vec<(String, f64)>,
    /// Budgets of the efficient frontier, ascending.
    pub frontier: Vec<f64>,
}

/// Equity weights from need: weight of area a = (need_a / mean need)^η,
/// the mean weighted by the model's population (a plain mean without a model
/// file), so η = 0 weighs every area the same and an area of average need
/// keeps weight 1 at every η.
#[derive(Debug, Clone)]
pub struct Equity {
    /// What the need figures are.
    pub indicator: String,
    /// Their published source.
    pub source: String,
    /// Need per area (index as `Portfolio::areas`).
    pub need: Vec<f64>,
    /// Need relative to the population-weighted mean, per area.
    pub relative: Vec<f64>,
    /// The η values of the sweep, ascending, always including 0 and `weight`.
    pub weights: Vec<f64>,
    /// The η of the recommended portfolio.
    pub weight: f64,
}

impl Equity {
    /// The weight of every area at η.
    pub fn area_weights(&self, eta: f64) -> Vec<f64> {
        self.relative.iter().map(|r| if eta == 0.0 { 1.0 } else { r.powf(eta) }).collect()
    }
}

/// Where a candidate comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// An intervention of the model file in one area at one scale.
    Intervention {
        /// The intervention's name in the model file.
        template: String,
        /// Participants per year (`None`: the intervention's own reach).
        scale: Option<f64>,
        /// The scenario of the built model that runs it alone.
        scenario: usize,
    },
    /// A fund application (index into `Portfolio::applications`).
    Application(usize),
}

/// One candidate option.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Unique name, e.g. `ontmoeting Dukenburg 150`.
    pub name: String,
    /// Label of its intervention or application (for tables).
    pub label: String,
    /// Area index (into `Portfolio::areas`).
    pub area: usize,
    /// At most one candidate of a group is chosen (the scales of one intervention in one area).
    pub group: usize,
    /// Where it comes from.
    pub source: Source,
}

/// Two candidates in the same area that the engine simulates together.
#[derive(Debug, Clone)]
pub struct PairRun {
    /// Candidate indices, `i < j`.
    pub i: usize,
    /// Second candidate.
    pub j: usize,
    /// The scenario of the built model that runs both.
    pub scenario: usize,
}

/// A checked portfolio, ready to evaluate.
#[derive(Debug)]
pub struct Portfolio {
    /// The portfolio file.
    pub path: PathBuf,
    /// SHA-256 of the portfolio file.
    pub sha256: String,
    /// Title.
    pub name: String,
    /// One paragraph.
    pub description: String,
    /// The objective.
    pub goal: Goal,
    /// Budget per year.
    pub budget: Budget,
    /// Area names: the model's areas, then application stadsdelen not among them.
    pub areas: Vec<String>,
    /// Equity weights, if asked for.
    pub equity: Option<Equity>,
    /// The model file with every candidate and pair as a scenario (when there are options).
    pub city: Option<Loaded>,
    /// The candidates: the options (in file order, area by area, scale by scale), then the applications.
    pub candidates: Vec<Candidate>,
    /// Pairs of options simulated together.
    pub pairs: Vec<PairRun>,
    /// Pairs of options in the same area that share no joint block: their
    /// simulated values add exactly (the engine computes each block of the
    /// pair as in the single runs).
    pub additive_pairs: usize,
    /// The applications.
    pub applications: Vec<Application>,
}

impl Portfolio {
    /// The model with one more scenario that runs every chosen option of the
    /// model file at once, and that scenario's index (`None` when no option
    /// of the model file is chosen).
    pub fn with_portfolio_scenario(&self, chosen: &[bool]) -> Option<(Model, usize)> {
        let city = self.city.as_ref()?;
        let mut model = city.model.clone();
        let mut interventions = vec![];
        let mut sroi = None;
        for (c, _) in self.candidates.iter().zip(chosen).filter(|(_, &x)| x) {
            if let Source::Intervention { scenario, .. } = c.source {
                let sc = &model.scenarios[scenario];
                interventions.extend(sc.interventions.iter().copied());
                sroi.get_or_insert(sc.sroi);
            }
        }
        if interventions.is_empty() {
            return None;
        }
        model.scenarios.push(Scenario {
            name: "portefeuille".into(),
            description: String::new(),
            interventions,
            sroi: sroi.unwrap_or_default(),
            pm: vec![],
        });
        let s = model.scenarios.len() - 1;
        Some((model, s))
    }

    /// True when the singles plus the simulated pairs give exactly what the
    /// engine computes for the chosen options together: in no area does a
    /// joint block of the portfolio's arm hold the exposures of three or more
    /// of its options (each block's numbers in an area are then those of a
    /// single's, a pair's or the nulalternatief's). Applications always add.
    pub fn pairwise_exact(&self, chosen: &[bool]) -> bool {
        let Some((model, s)) = self.with_portfolio_scenario(chosen) else { return true };
        let Ok(plan) = Plan::new(&model) else { return false };
        let arm = &plan.arms[1 + s];
        // Areas are separate populations: count, per block and area, the
        // exposures of options that run there.
        arm.blocks.iter().all(|b| {
            (0..model.areas.len()).all(|a| {
                let here = b.exposures.iter().filter(|&&pos| match arm.dims[b.dims[pos]] {
                    crate::sim::plan::Dim::Exposure(k) => model.interventions[arm.interventions[k]].areas[a],
                    crate::sim::plan::Dim::Chain(_) => false,
                });
                here.count() <= 2
            })
        })
    }

    /// Every input file with its SHA-256: the portfolio, the model file and
    /// what it includes, the applications.
    pub fn inputs(&self) -> Vec<(String, String)> {
        let mut v = vec![(self.path.display().to_string(), self.sha256.clone())];
        if let Some(c) = &self.city {
            v.extend(c.files.iter().map(|f| (f.path.display().to_string(), f.sha256.clone())));
        }
        for a in &self.applications {
            v.extend(a.inputs());
        }
        v
    }
}

/// Read and check a portfolio; every error in one report.
pub fn load(path: &Path, opts: LoadOptions) -> Result<Portfolio, ScenarioErrors> {
    let scenario::Recovering { written, value: file, text, edits, key_errors } =
        scenario::read_recovering::<PortfolioFile>(path)?;
    let mut errs = Errs { path, text: &text, list: key_errors, repaired: Some((&written, &edits)) };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();

    let goal = goal(&file.portfolio, &mut errs);
    let mut more = vec![];
    let city = match &file.portfolio.model {
        Some(m) => load_model(&base, m, opts, &mut errs, &mut more),
        None => {
            if let Some(o) = file.option.first() {
                errs.at(
                    o.span(),
                    "option",
                    "options name interventions of a model file: set `model` in [portfolio] (a scenario file relative to the portfolio)",
                );
            }
            None
        }
    };
    let mut applications = vec![];
    for (k, a) in file.application.iter().enumerate() {
        let rel = a.get_ref().file.get_ref();
        let field = format!("application[{k}].file");
        if let Err(reason) = scenario::check_reference(&base, rel, "application", opts) {
            errs.at(a.get_ref().file.span(), field, reason);
            continue;
        }
        let p = base.join(rel);
        if !p.is_file() {
            errs.at(
                a.get_ref().file.span(),
                field,
                format!("application {} not found (the path is relative to the portfolio)", p.display()),
            );
            continue;
        }
        match crate::claim::validate::load_with(&p, opts) {
            Ok(app) => applications.push(app),
            Err(e) => more.extend(e.0),
        }
    }
    if file.option.is_empty() && file.application.is_empty() {
        errs.at(
            file.portfolio.name.span(),
            "portfolio",
            "nothing to choose from: add [[option]] entries (with a model file) or [[application]] entries",
        );
    }
    let mut areas: Vec<String> =
        city.as_ref().map(|c| c.model.areas.iter().map(|a| a.name.clone()).collect()).unwrap_or_default();
    for a in &applications {
        if !areas.contains(&a.profile) {
            areas.push(a.profile.clone());
        }
    }
    let budget = budget(&file, &areas, city.as_ref().map(|c| &c.model), &applications, &mut errs);
    let equity = file.equity.as_ref().and_then(|e| equity(e, &areas, city.as_ref().map(|c| &c.model), &mut errs));
    let mut built = None;
    if let Some(loaded) = city {
        built = Some(options(&file, loaded, &mut errs));
    }
    if !errs.list.is_empty() || !more.is_empty() {
        return Err(errs.sorted(more));
    }
    let (mut candidates, pairs, additive_pairs, city) = match built {
        Some(b) => (b.candidates, b.pairs, b.additive, Some(b.loaded)),
        None => (vec![], vec![], 0, None),
    };
    let first_group = candidates.iter().map(|c| c.group + 1).max().unwrap_or(0);
    for (k, a) in applications.iter().enumerate() {
        candidates.push(Candidate {
            name: format!("aanvraag: {}", a.name),
            label: a.name.clone(),
            area: areas.iter().position(|x| *x == a.profile).expect("application areas are listed"),
            group: first_group + k,
            source: Source::Application(k),
        });
    }
    Ok(Portfolio {
        path: path.to_path_buf(),
        sha256: scenario::sha256_hex(written.as_bytes()),
        name: file.portfolio.name.get_ref().clone(),
        description: file.portfolio.description.as_ref().map(|d| d.get_ref().clone()).unwrap_or_default(),
        goal: goal.unwrap_or(Goal::Npv),
        budget,
        areas,
        equity,
        city,
        candidates,
        pairs,
        additive_pairs,
        applications,
    })
}

fn goal(p: &PortfolioSpec, errs: &mut Errs) -> Option<Goal> {
    let tail = match &p.tail {
        Some(t) if !(t.get_ref() > &0.0 && t.get_ref() < &1.0) => {
            errs.at(
                t.span(),
                "portfolio.tail",
                format!(
                    "{} is not allowed here: the share of worst draws must lie strictly between 0 and 1 (e.g. 0.1)",
                    t.get_ref()
                ),
            );
            0.1
        }
        Some(t) => *t.get_ref(),
        None => 0.1,
    };
    let Some(o) = &p.objective else { return Some(Goal::Npv) };
    let g = match o.get_ref().as_str() {
        "npv" => Goal::Npv,
        "welfare_per_euro" => Goal::WelfarePerEuro,
        "p_positive" => Goal::ProbabilityPositive,
        "lower_tail" => Goal::LowerTail(tail),
        other => {
            errs.at(o.span(), "portfolio.objective", format!("unknown objective \"{other}\": use \"npv\" (expected maatschappelijk NPV), \"welfare_per_euro\", \"p_positive\" (P(NPV > 0)) or \"lower_tail\" (mean of the worst `tail` share of draws)"));
            return None;
        }
    };
    if let (Some(t), false) = (&p.tail, matches!(g, Goal::LowerTail(_))) {
        errs.at(t.span(), "portfolio.tail", "`tail` only applies to objective = \"lower_tail\"");
    }
    Some(g)
}

fn load_model(
    base: &Path,
    m: &Spanned<String>,
    opts: LoadOptions,
    errs: &mut Errs,
    more: &mut Vec<ScenarioError>,
) -> Option<Loaded> {
    if let Err(reason) = scenario::check_reference(base, m.get_ref(), "model file", opts) {
        errs.at(m.span(), "portfolio.model", reason);
        return None;
    }
    let p = base.join(m.get_ref());
    match scenario::load_with(&p, opts) {
        Ok(l) => Some(l),
        Err(e) if e.iter().all(|x| x.kind == scenario::ErrorKind::Io && x.file == p) => {
            errs.at(
                m.span(),
                "portfolio.model",
                format!("model file {} not found (the path is relative to the portfolio)", p.display()),
            );
            None
        }
        Err(e) => {
            more.extend(e.0);
            None
        }
    }
}

/// A money amount in `[0, MAX_AMOUNT]`.
fn amount(errs: &mut Errs, v: &Spanned<f64>, field: &str) -> f64 {
    let x = *v.get_ref();
    if !(x.is_finite() && (0.0..=MAX_AMOUNT).contains(&x)) {
        errs.at(
            v.span(),
            field,
            format!("{x} is not allowed here: an amount in euros per year must lie between 0 and {MAX_AMOUNT:e}"),
        );
        return 0.0;
    }
    x
}

fn budget(
    file: &PortfolioFile,
    areas: &[String],
    model: Option<&Model>,
    apps: &[Application],
    errs: &mut Errs,
) -> Budget {
    let b = &file.budget;
    let per_year = amount(errs, &b.per_year, "budget.per_year");
    let mut area_caps = vec![];
    for (k, v) in b.areas.iter().flat_map(|m| m.0.iter()) {
        let field = format!("budget.areas.{}", k.get_ref());
        match areas.iter().position(|a| a == k.get_ref()) {
            Some(i) => area_caps.push((i, amount(errs, v, &field))),
            None => errs.at(
                k.span(),
                field,
                format!("unknown area \"{}\"; the areas are: {}", k.get_ref(), areas.join(", ")),
            ),
        }
    }
    let mut funders: Vec<String> = model.map(|m| m.funders.clone()).unwrap_or_default();
    for a in apps {
        for f in a.funders() {
            if !funders.contains(&f) {
                funders.push(f);
            }
        }
    }
    let mut funder_caps = vec![];
    for (k, v) in b.funders.iter().flat_map(|m| m.0.iter()) {
        let field = format!("budget.funders.{}", k.get_ref());
        if funders.contains(k.get_ref()) {
            funder_caps.push((k.get_ref().clone(), amount(errs, v, &field)));
        } else {
            errs.at(
                k.span(),
                field,
                format!("unknown funder \"{}\"; the funders are: {}", k.get_ref(), funders.join(", ")),
            );
        }
    }
    let frontier = match &b.frontier {
        Some(list) => {
            let mut v: Vec<f64> = list
                .get_ref()
                .iter()
                .enumerate()
                .map(|(i, x)| amount(errs, x, &format!("budget.frontier[{i}]")))
                .collect();
            if v.is_empty() {
                errs.at(
                    list.span(),
                    "budget.frontier",
                    "give at least one budget (or leave `frontier` out for the default)",
                );
            }
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        }
        None => (0..=8).map(|k| per_year * k as f64 / 4.0).collect(),
    };
    Budget { per_year, areas: area_caps, funders: funder_caps, frontier }
}

fn equity(e: &super::file::EquitySpec, areas: &[String], model: Option<&Model>, errs: &mut Errs) -> Option<Equity> {
    let n0 = errs.list.len();
    let mut need = vec![f64::NAN; areas.len()];
    for (k, v) in &e.need.0 {
        let field = format!("equity.need.{}", k.get_ref());
        let x = *v.get_ref();
        match areas.iter().position(|a| a == k.get_ref()) {
            Some(i) if x.is_finite() && x > 0.0 => need[i] = x,
            Some(_) => {
                errs.at(v.span(), field, format!("{x} is not allowed here: a need figure must be a positive number"))
            }
            None => errs.at(
                k.span(),
                field,
                format!("unknown area \"{}\"; the areas are: {}", k.get_ref(), areas.join(", ")),
            ),
        }
    }
    let missing: Vec<&str> = areas.iter().zip(&need).filter(|(_, n)| n.is_nan()).map(|(a, _)| a.as_str()).collect();
    if !missing.is_empty() && errs.list.len() == n0 {
        errs.at(
            e.indicator.span(),
            "equity.need",
            format!("the need figure of every area is required; missing: {}", missing.join(", ")),
        );
    }
    let eta = |errs: &mut Errs, v: &Spanned<f64>, field: &str| {
        let x = *v.get_ref();
        if !(x.is_finite() && (0.0..=10.0).contains(&x)) {
            errs.at(
                v.span(),
                field,
                format!("{x} is not allowed here: an equity weight η lies between 0 (no weighting) and 10"),
            );
        }
        x
    };
    let weight = e.weight.as_ref().map_or(1.0, |w| eta(errs, w, "equity.weight"));
    let mut weights: Vec<f64> = match &e.weights {
        Some(list) => {
            list.get_ref().iter().enumerate().map(|(i, w)| eta(errs, w, &format!("equity.weights[{i}]"))).collect()
        }
        None => vec![0.0, 0.5, 1.0, 2.0],
    };
    if errs.list.len() > n0 {
        return None;
    }
    weights.extend([0.0, weight]);
    weights.sort_by(f64::total_cmp);
    weights.dedup();
    // The mean need: weighted by the model's population over its areas; without a
    // model file (a round of applications only) the plain mean over the areas.
    let mean = match model {
        Some(m) => {
            let pop: Vec<f64> = m.areas.iter().map(|x| x.population.iter().flatten().sum::<f64>()).collect();
            let total: f64 = pop.iter().sum();
            pop.iter().enumerate().map(|(i, p)| need[i] * p).sum::<f64>() / total
        }
        None => need.iter().sum::<f64>() / need.len().max(1) as f64,
    };
    let relative = need.iter().map(|n| n / mean).collect();
    Some(Equity {
        indicator: e.indicator.get_ref().clone(),
        source: e.source.get_ref().clone(),
        need,
        relative,
        weights,
        weight,
    })
}

/// The options of a portfolio, built into its model.
struct Built {
    loaded: Loaded,
    candidates: Vec<Candidate>,
    pairs: Vec<PairRun>,
    additive: usize,
}

fn options(file: &PortfolioFile, mut loaded: Loaded, errs: &mut Errs) -> Built {
    let model = &mut loaded.model;
    let area_names: Vec<String> = model.areas.iter().map(|a| a.name.clone()).collect();
    // An option inherits the SROI corrections of the first scenario of the
    // model file that runs its intervention.
    let sroi_of = |m: &Model, t: usize| -> Sroi {
        m.scenarios.iter().find(|s| s.interventions.contains(&t)).map(|s| s.sroi).unwrap_or_default()
    };
    let mut scenarios: Vec<Scenario> = vec![];
    let mut candidates: Vec<Candidate> = vec![];
    let mut groups: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut seen: BTreeSet<(usize, usize, u64)> = BTreeSet::new();
    for (k, o) in file.option.iter().enumerate() {
        let spec = o.get_ref();
        let name = spec.intervention.get_ref();
        let Some(t) = model.interventions.iter().position(|iv| &iv.name == name) else {
            let known: Vec<&str> = model.interventions.iter().map(|iv| iv.name.as_str()).collect();
            errs.at(
                spec.intervention.span(),
                format!("option[{k}].intervention"),
                format!("unknown intervention \"{name}\"; the model file has: {}", known.join(", ")),
            );
            continue;
        };
        let mut in_areas = vec![];
        match &spec.areas {
            None => in_areas.extend(0..area_names.len()),
            Some(list) => {
                if list.get_ref().is_empty() {
                    errs.at(
                        list.span(),
                        format!("option[{k}].areas"),
                        "give at least one area (or leave `areas` out for every area)",
                    );
                }
                for (i, a) in list.get_ref().iter().enumerate() {
                    let field = format!("option[{k}].areas[{i}]");
                    match area_names.iter().position(|x| x == a.get_ref()) {
                        Some(x) if in_areas.contains(&x) => {
                            errs.at(a.span(), field, format!("area \"{}\" is listed twice", a.get_ref()))
                        }
                        Some(x) => in_areas.push(x),
                        None => errs.at(
                            a.span(),
                            field,
                            format!("unknown area \"{}\"; the areas are: {}", a.get_ref(), area_names.join(", ")),
                        ),
                    }
                }
            }
        }
        let scales: Vec<(Option<f64>, Range<usize>)> = match &spec.scales {
            None => vec![(None, spec.intervention.span())],
            Some(list) => {
                if list.get_ref().is_empty() {
                    errs.at(
                        list.span(),
                        format!("option[{k}].scales"),
                        "give at least one scale (or leave `scales` out for the intervention's own reach)",
                    );
                }
                list.get_ref()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| {
                        let x = *s.get_ref();
                        if x.is_finite() && x > 0.0 && x <= MAX_PEOPLE {
                            Some((Some(x), s.span()))
                        } else {
                            errs.at(s.span(), format!("option[{k}].scales[{i}]"), format!("{x} is not allowed here: a scale is a number of participants per year, above 0 and at most {MAX_PEOPLE:e}"));
                            None
                        }
                    })
                    .collect()
            }
        };
        let template = model.interventions[t].clone();
        let label = spec.label.as_ref().map_or_else(|| name.clone(), |l| l.get_ref().clone());
        let sroi = sroi_of(model, t);
        for &a in &in_areas {
            let next = groups.len();
            let group = *groups.entry((t, a)).or_insert(next);
            for (scale, span) in &scales {
                let key = (t, a, scale.unwrap_or(-1.0).to_bits());
                if seen.contains(&key) {
                    errs.at(
                        span.clone(),
                        format!("option[{k}]"),
                        format!("intervention \"{name}\" in {} at this scale is already an option", area_names[a]),
                    );
                    continue;
                }
                seen.insert(key);
                let mut iv = template.clone();
                let cname = match scale {
                    Some(s) => format!("{label} {} {}", area_names[a], fmt_scale(*s)),
                    None => format!("{label} {}", area_names[a]),
                };
                iv.name = cname.clone();
                iv.areas = (0..area_names.len()).map(|x| x == a).collect();
                if let Some(s) = scale {
                    iv.reach = Reach::Participants(Value::Fixed(*s));
                }
                model.interventions.push(iv);
                scenarios.push(Scenario {
                    name: cname.clone(),
                    description: String::new(),
                    interventions: vec![model.interventions.len() - 1],
                    sroi,
                    pm: vec![],
                });
                candidates.push(Candidate {
                    name: cname,
                    label: label.clone(),
                    area: a,
                    group,
                    source: Source::Intervention {
                        template: name.clone(),
                        scale: *scale,
                        scenario: scenarios.len() - 1,
                    },
                });
            }
        }
    }
    // Every pair of options in one area from different groups, then only
    // those whose joint simulation shares a block.
    let n_single = scenarios.len();
    let mut maybe = vec![];
    for i in 0..candidates.len() {
        for j in i + 1..candidates.len() {
            let (a, b) = (&candidates[i], &candidates[j]);
            if a.area == b.area && a.group != b.group {
                let (si, sj) = (scenarios[i].interventions[0], scenarios[j].interventions[0]);
                scenarios.push(Scenario {
                    name: format!("{} + {}", a.name, b.name),
                    description: String::new(),
                    interventions: vec![si, sj],
                    sroi: scenarios[i].sroi,
                    pm: vec![],
                });
                maybe.push((i, j));
            }
        }
    }
    model.scenarios = scenarios;
    let mut pairs = vec![];
    let mut additive = 0;
    if !maybe.is_empty() && errs.list.is_empty() {
        match Plan::new(model) {
            Ok(plan) => {
                let mut keep = model.scenarios[..n_single].to_vec();
                for (k, &(i, j)) in maybe.iter().enumerate() {
                    let arm = &plan.arms[1 + n_single + k];
                    let shared = arm.blocks.iter().any(|b| b.exposures.len() >= 2);
                    if shared {
                        keep.push(model.scenarios[n_single + k].clone());
                        pairs.push(PairRun { i, j, scenario: keep.len() - 1 });
                    } else {
                        additive += 1;
                    }
                }
                model.scenarios = keep;
            }
            Err(e) => errs.at(file.portfolio.model.as_ref().expect("a model").span(), "portfolio.model", e.to_string()),
        }
    }
    Built { loaded, candidates, pairs, additive }
}

/// A scale as written in names: whole numbers without decimals.
fn fmt_scale(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}
