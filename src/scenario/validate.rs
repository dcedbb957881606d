//! Phase two of loading: merged [`ScenarioFile`]s → validated [`Model`].
//!
//! The validator never stops at the first problem: each check records an error
//! and carries on with a harmless placeholder (a `Value::Fixed(0.0)`, a skipped
//! entry), so one `check` shows an advisor everything that is wrong with a
//! file. A model is only returned when there are no errors at all, so the
//! placeholders never reach the engine.
//!
//! [`ScenarioFile`]: super::file::ScenarioFile

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::error::{ScenarioError, ScenarioErrors};
use super::file::*;
use super::Parsed;
use crate::dist::Distribution;
use crate::model::*;

/// Tolerance for a row of literal probabilities to count as summing to 1.
const ROW_TOL: f64 = 1e-9;

/// What a number means, which fixes the values it may take. Checked against a
/// literal, or against a distribution's `support()`: a parameter that can be
/// sampled outside its domain would make the engine clamp silently.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Domain {
    /// [0, 1]: matrix and initial entries, q, shares, drop-off, SROI fields.
    Probability,
    /// [0, inf): a multiplier on a transition.
    RelativeRisk,
    /// [0, inf): births per person or per woman per year.
    Rate,
    /// [0, inf): a number of people (participants).
    Count,
    /// [0, inf): a multiplier on reach.
    Multiplier,
    /// Any real: money, outcome weights, net migration.
    Real,
}

impl Domain {
    fn bounds(self) -> (f64, f64) {
        match self {
            Domain::Probability => (0.0, 1.0),
            Domain::Real => (f64::NEG_INFINITY, f64::INFINITY),
            _ => (0.0, f64::INFINITY),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Domain::Probability => "a probability",
            Domain::RelativeRisk => "a relative risk",
            Domain::Rate => "a rate",
            Domain::Count => "a number of people",
            Domain::Multiplier => "a multiplier",
            Domain::Real => "a number",
        }
    }

    fn allowed(self) -> &'static str {
        match self {
            Domain::Probability => "must lie between 0 and 1",
            Domain::Real => "must be a finite number",
            _ => "must be >= 0",
        }
    }

    /// Which distributions fit this domain, for the advice in an error.
    fn advice(self) -> &'static str {
        match self {
            Domain::Probability => {
                "use a beta (mean and sd, or events and trials), or a uniform/triangular/pert within [0, 1]"
            }
            Domain::RelativeRisk => "use a lognormal (e.g. ratio and ci95) or gamma for relative risks",
            Domain::Rate => "use a gamma or lognormal for a rate",
            Domain::Count => "use a gamma, lognormal or a pert with low >= 0 for a number of people",
            Domain::Multiplier => "use a beta, gamma or a pert with low >= 0",
            Domain::Real => "",
        }
    }
}

/// A `[parameters]` entry after validation.
#[derive(Debug, Clone)]
struct NamedParam {
    offset: usize,
    /// Index in the parameter table.
    index: usize,
    dist: Distribution,
}

/// Where an item was defined, for "defined twice" errors and for placing the
/// engine's structural errors.
#[derive(Debug, Clone)]
struct Place {
    file: usize,
    span: Range<usize>,
}

struct V<'a> {
    files: &'a [Parsed],
    errors: Vec<ScenarioError>,
    params: ParamTable,
    /// `None` = the parameter is invalid and already reported; uses stay silent.
    named: HashMap<String, Option<NamedParam>>,
    max_age: usize,
    sexes: usize,
    funders: Vec<String>,
    taakvelden: Vec<Taakveld>,
    accounts: Vec<Account>,
    outcomes: Vec<String>,
    areas: HashMap<String, usize>,
    /// Areas by the name chains and interventions use for them: their own name
    /// and their profile; declared profiles without areas map to no area.
    area_refs: HashMap<String, Vec<usize>>,
    n_areas: usize,
    chain_index: HashMap<String, usize>,
    /// States of every chain (by chain index), for names in risk factors and targets.
    chain_states: Vec<Vec<String>>,
    chain_names: Vec<String>,
    chain_ages: Vec<(usize, usize)>,
    /// Field path → place, for locating errors the engine reports by field path.
    places: Vec<(String, Place)>,
}

/// A reference to an item of one of the files: (file index, item).
type Item<'a, T> = (usize, &'a Spanned<T>);

pub(crate) fn validate(files: &[Parsed]) -> Result<Model, ScenarioErrors> {
    let mut v = V {
        files,
        errors: Vec::new(),
        params: ParamTable::default(),
        named: HashMap::new(),
        max_age: 100,
        sexes: 1,
        funders: Vec::new(),
        taakvelden: Vec::new(),
        accounts: Vec::new(),
        outcomes: Vec::new(),
        areas: HashMap::new(),
        area_refs: HashMap::new(),
        n_areas: 0,
        chain_index: HashMap::new(),
        chain_states: Vec::new(),
        chain_names: Vec::new(),
        chain_ages: Vec::new(),
        places: Vec::new(),
    };
    let settings = v.settings();
    v.taakvelden();
    v.parameters();
    let base_outcome = v.base_outcome();
    v.sexes = v.detect_sexes();
    let demographies = v.demographies();
    let areas = v.areas(&demographies);
    let chains = v.chains();
    let risk_factors = v.risk_factors();
    let (interventions, intervention_index) = v.interventions(&settings);
    let scenarios = v.scenarios(&intervention_index);

    if !v.errors.is_empty() {
        return Err(ScenarioErrors(v.errors));
    }
    let model = Model {
        settings,
        params: v.params.clone(),
        funders: v.funders.clone(),
        taakvelden: v.taakvelden.clone(),
        accounts: v.accounts.clone(),
        outcomes: v.outcomes.clone(),
        base_outcome,
        sexes: v.sexes,
        areas,
        chains,
        risk_factors,
        interventions,
        scenarios,
    };
    // Structural problems only the engine can see (e.g. risk factors that
    // depend on each other in a cycle) are reported like any other error,
    // placed at the item the engine names.
    for (field, reason) in crate::sim::check_model(&model) {
        let place = v.place_of(&field);
        let file = &files[place.file];
        v.errors.push(ScenarioError::at(&file.path, &file.text, place.span, field, reason));
    }
    if v.errors.is_empty() {
        Ok(model)
    } else {
        Err(ScenarioErrors(v.errors))
    }
}

// ---------------------------------------------------------------- helpers

/// Parse an age band "lo-hi" (inclusive) or "a" (no range check).
fn parse_band(s: &str) -> Option<(i64, i64)> {
    let s = s.trim();
    let num = |t: &str| -> Option<i64> {
        let t = t.trim();
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    match s.split_once('-') {
        Some((a, b)) => Some((num(a)?, num(b)?)),
        None => num(s).map(|a| (a, a)),
    }
}

/// "0-17, 65, 70-80": a compact list of ages for messages.
fn age_ranges(ages: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ages.len() {
        let mut j = i;
        while j + 1 < ages.len() && ages[j + 1] == ages[j] + 1 {
            j += 1;
        }
        out.push(if i == j { ages[i].to_string() } else { format!("{}-{}", ages[i], ages[j]) });
        i = j + 1;
    }
    out.join(", ")
}

fn band_str((lo, hi): (usize, usize)) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}-{hi}")
    }
}

fn num(x: f64) -> String {
    // Round away float noise (0.1 + 0.2) so messages show what the user wrote.
    let r = (x * 1e9).round() / 1e9;
    format!("{r}")
}

/// The names in a `OneOrMany`, each with a span (a lone string gets the outer span).
fn names_of(o: &Spanned<OneOrMany>) -> Vec<(Range<usize>, &str)> {
    o.get_ref()
        .0
        .iter()
        .map(|s| {
            let sp = if s.span() == (0..0) { o.span() } else { s.span() };
            (sp, s.get_ref().as_str())
        })
        .collect()
}

fn list_or_none(v: &[String]) -> String {
    const MAX: usize = 12;
    if v.is_empty() {
        "(none declared)".to_string()
    } else if v.len() > MAX {
        format!("{} … and {} more", v[..MAX].join(", "), v.len() - MAX)
    } else {
        v.join(", ")
    }
}

/// "; did you mean `x`?" when a candidate is a likely typo of `name`, else "".
fn hint(name: &str, candidates: &[String]) -> String {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    let lower = name.to_lowercase();
    let limit = if name.chars().count() >= 5 { 2 } else { 1 };
    candidates
        .iter()
        .map(|c| (if c.to_lowercase() == lower { 0 } else { distance(&lower, &c.to_lowercase()) }, c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

impl<'a> V<'a> {
    fn err(&mut self, f: usize, span: Range<usize>, field: impl Into<String>, reason: impl Into<String>) {
        let file = &self.files[f];
        self.errors.push(ScenarioError::at(&file.path, &file.text, span, field, reason));
    }

    /// "file:line" of a place, for errors naming two places.
    fn pos(&self, f: usize, span: &Range<usize>) -> String {
        let file = &self.files[f];
        let (l, c) = super::error::line_col(&file.text, span.start);
        format!("{}:{l}:{c}", file.path.display())
    }

    /// Record that `field` uses named parameter `index`.
    fn used(&mut self, index: usize, field: &str) {
        let u = &mut self.params.params[index].used_by;
        if !u.iter().any(|x| x == field) {
            u.push(field.to_string());
        }
    }

    fn remember(&mut self, field: String, f: usize, span: Range<usize>) {
        self.places.push((field, Place { file: f, span }));
    }

    /// The item whose field path is the longest prefix of `field`; else the
    /// first item inside `field` (the engine may name just `risk_factor`);
    /// else the start of the main file.
    fn place_of(&self, field: &str) -> Place {
        self.places
            .iter()
            .filter(|(p, _)| field.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .or_else(|| self.places.iter().find(|(p, _)| p.starts_with(field)))
            .map(|(_, pl)| pl.clone())
            .unwrap_or(Place { file: 0, span: 0..0 })
    }

    /// All items of one array-of-tables across files, in merge order.
    fn all<T>(&self, get: impl Fn(&'a ScenarioFile) -> &'a Vec<Spanned<T>>) -> Vec<Item<'a, T>> {
        let mut out = Vec::new();
        for (f, p) in self.files.iter().enumerate() {
            for it in get(&p.file) {
                out.push((f, it));
            }
        }
        out
    }

    /// Map names to indices; a name defined twice is an error naming both places.
    fn unique_names(&mut self, kind: &str, items: &[(usize, &SString)]) -> HashMap<String, usize> {
        let mut map: HashMap<String, usize> = HashMap::new();
        let mut first: HashMap<String, (usize, Range<usize>)> = HashMap::new();
        for (i, (f, name)) in items.iter().enumerate() {
            let n = name.get_ref().clone();
            if n.trim().is_empty() {
                self.err(*f, name.span(), format!("{kind}.name"), format!("a {kind} needs a non-empty name"));
            }
            if let Some((ff, fs)) = first.get(&n) {
                let at = self.pos(*ff, fs);
                let prefix = match kind {
                    "taakveld" => "taakvelden",
                    "parameter" => "parameters",
                    k => k,
                };
                self.err(
                    *f,
                    name.span(),
                    format!("{prefix}.{n}"),
                    format!("{kind} `{n}` is defined twice (first at {at}); names must be unique"),
                );
            } else {
                first.insert(n.clone(), (*f, name.span()));
                map.insert(n, i);
            }
        }
        map
    }

    // ------------------------------------------------------------ values

    /// Check a literal or a distribution's support against a domain.
    fn check_domain(
        &mut self,
        f: usize,
        span: Range<usize>,
        field: &str,
        dom: Domain,
        support: (f64, f64),
        what: &str,
    ) -> bool {
        let (dlo, dhi) = dom.bounds();
        let (lo, hi) = support;
        if lo >= dlo && hi <= dhi {
            return true;
        }
        let reason = if lo == hi && what.is_empty() {
            format!("{} is not allowed here: {} {}", num(lo), dom.noun(), dom.allowed())
        } else if lo == hi {
            format!("{what} is always {}, but {} {}", num(lo), dom.noun(), dom.allowed())
        } else {
            let range = if lo == f64::NEG_INFINITY && hi == f64::INFINITY {
                "any value".to_string()
            } else {
                format!("values from {} to {}", num(lo), num(hi))
            };
            let fall = if lo < dlo && dlo == 0.0 && dhi == f64::INFINITY {
                "can fall below 0".to_string()
            } else {
                format!("can fall outside [{}, {}]", num(dlo), num(dhi))
            };
            format!("{what} can take {range}: it {fall}, but {} {}; {}", dom.noun(), dom.allowed(), dom.advice())
        };
        self.err(f, span, field, reason);
        false
    }

    /// Resolve a scalar Value (literal, named parameter or inline distribution).
    fn value(&mut self, f: usize, v: &Spanned<ValueSpec>, field: &str, dom: Domain) -> Value {
        let span = v.span();
        match v.get_ref() {
            ValueSpec::Number(x) => {
                if !x.is_finite() {
                    self.err(f, span, field, format!("{x} is not a finite number"));
                    return Value::Fixed(0.0);
                }
                if self.check_domain(f, span, field, dom, (*x, *x), "") {
                    Value::Fixed(*x)
                } else {
                    Value::Fixed(0.0)
                }
            }
            ValueSpec::Name(n) if n == "rest" => {
                self.err(
                    f,
                    span,
                    field,
                    "\"rest\" is only allowed as one entry of a probability row (matrix or initial row)",
                );
                Value::Fixed(0.0)
            }
            ValueSpec::Name(n) => match self.named.get(n).cloned() {
                None => {
                    let mut known: Vec<&String> = self.named.keys().collect();
                    known.sort();
                    let known: Vec<String> = known.into_iter().cloned().collect();
                    self.err(
                        f,
                        span,
                        field,
                        format!(
                            "unknown parameter `{n}`: a name here must be defined in [parameters] (defined: {}){}",
                            list_or_none(&known),
                            hint(n, &known)
                        ),
                    );
                    Value::Fixed(0.0)
                }
                Some(None) => Value::Fixed(0.0),
                Some(Some(p)) => {
                    if p.dist.dim() > 1 {
                        self.err(
                            f,
                            span,
                            field,
                            format!("parameter `{n}` is a dirichlet (a whole row of probabilities); it can only be used as a whole matrix or initial row, not as a single number"),
                        );
                        return Value::Fixed(0.0);
                    }
                    let what = format!("parameter `{n}` ({})", p.dist.kind());
                    self.check_domain(f, span, field, dom, p.dist.support(), &what);
                    self.used(p.index, field);
                    Value::Slot(p.offset)
                }
            },
            ValueSpec::Dist(d) => {
                let Some(dist) = self.dist(f, d, span.clone(), field) else { return Value::Fixed(0.0) };
                if dist.dim() > 1 {
                    self.err(
                        f,
                        span,
                        field,
                        "a dirichlet is a whole row of probabilities; a single number is needed here",
                    );
                    return Value::Fixed(0.0);
                }
                let what = format!("a {}", dist.kind());
                self.check_domain(f, span, field, dom, dist.support(), &what);
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                Value::Slot(self.params.push(field.to_string(), dist, note, false))
            }
        }
    }

    fn opt_value(&mut self, f: usize, v: Option<&Spanned<ValueSpec>>, field: &str, dom: Domain, default: f64) -> Value {
        match v {
            Some(v) => self.value(f, v, field, dom),
            None => Value::Fixed(default),
        }
    }

    /// Build a distribution from its table: exactly one key set of the named
    /// family, then the validated constructor (its message is the reason).
    fn dist(&mut self, f: usize, d: &DistSpec, span: Range<usize>, field: &str) -> Option<Distribution> {
        let present: Vec<&'static str> = [
            ("mean", d.mean.is_some()),
            ("sd", d.sd.is_some()),
            ("meanlog", d.meanlog.is_some()),
            ("sdlog", d.sdlog.is_some()),
            ("ratio", d.ratio.is_some()),
            ("ci95", d.ci95.is_some()),
            ("alpha", d.alpha.is_some()),
            ("beta", d.beta.is_some()),
            ("events", d.events.is_some()),
            ("trials", d.trials.is_some()),
            ("shape", d.shape.is_some()),
            ("scale", d.scale.is_some()),
            ("low", d.low.is_some()),
            ("mode", d.mode.is_some()),
            ("high", d.high.is_some()),
            ("lambda", d.lambda.is_some()),
            ("counts", d.counts.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.then_some(k))
        .collect();
        let kind = d.dist.get_ref().as_str();
        let sets: &[&[&str]] = match kind {
            "normal" => &[&["mean", "sd"]],
            "lognormal" => &[&["mean", "sd"], &["meanlog", "sdlog"], &["ratio", "ci95"]],
            "beta" => &[&["mean", "sd"], &["alpha", "beta"], &["events", "trials"]],
            "gamma" => &[&["mean", "sd"], &["shape", "scale"]],
            "uniform" => &[&["low", "high"]],
            "triangular" => &[&["low", "mode", "high"]],
            "pert" => &[&["low", "mode", "high"], &["low", "mode", "high", "lambda"]],
            "dirichlet" => &[&["alpha"], &["counts"]],
            _ => {
                self.err(
                    f,
                    d.dist.span(),
                    format!("{field}.dist"),
                    format!("unknown distribution \"{kind}\"; use one of normal, lognormal, beta, gamma, uniform, triangular, pert, dirichlet"),
                );
                return None;
            }
        };
        let matches = |set: &[&str]| set.len() == present.len() && set.iter().all(|k| present.contains(k));
        let Some(set) = sets.iter().find(|s| matches(s)) else {
            let shown: Vec<String> =
                sets.iter().filter(|s| !s.contains(&"lambda")).map(|s| format!("{{{}}}", s.join(", "))).collect();
            let extra = if kind == "pert" { " (optionally with lambda)" } else { "" };
            self.err(
                f,
                span,
                field,
                format!(
                    "a {kind} takes exactly one of these key sets: {}{extra}; got {{{}}}",
                    shown.join(" | "),
                    present.join(", ")
                ),
            );
            return None;
        };
        let g = |x: &Option<Spanned<f64>>| x.as_ref().map_or(f64::NAN, |s| *s.get_ref());
        let result = match (kind, set[0]) {
            ("normal", _) => Distribution::normal(g(&d.mean), g(&d.sd)),
            ("lognormal", "mean") => Distribution::lognormal_mean_sd(g(&d.mean), g(&d.sd)),
            ("lognormal", "meanlog") => Distribution::lognormal_log(g(&d.meanlog), g(&d.sdlog)),
            ("lognormal", _) => {
                let ci = d.ci95.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default();
                if ci.len() != 2 {
                    let sp = d.ci95.as_ref().map_or(span.clone(), |c| c.span());
                    self.err(
                        f,
                        sp,
                        format!("{field}.ci95"),
                        format!("ci95 must be [low, high] (2 numbers), got {} numbers", ci.len()),
                    );
                    return None;
                }
                Distribution::lognormal_ratio_ci(g(&d.ratio), ci[0], ci[1])
            }
            ("beta", "mean") => Distribution::beta_mean_sd(g(&d.mean), g(&d.sd)),
            ("beta", "alpha") => match d.alpha.as_ref().map(|a| a.get_ref()) {
                Some(NumOrList::Num(a)) => Distribution::beta(*a, g(&d.beta)),
                _ => {
                    let sp = d.alpha.as_ref().map_or(span.clone(), |a| a.span());
                    self.err(
                        f,
                        sp,
                        format!("{field}.alpha"),
                        "for a beta, alpha must be a single number (a list is for a dirichlet)",
                    );
                    return None;
                }
            },
            ("beta", _) => Distribution::beta_counts(g(&d.events), g(&d.trials)),
            ("gamma", "mean") => Distribution::gamma_mean_sd(g(&d.mean), g(&d.sd)),
            ("gamma", _) => Distribution::gamma(g(&d.shape), g(&d.scale)),
            ("uniform", _) => Distribution::uniform(g(&d.low), g(&d.high)),
            ("triangular", _) => Distribution::triangular(g(&d.low), g(&d.mode), g(&d.high)),
            ("pert", _) => {
                let lambda = d.lambda.as_ref().map_or(4.0, |l| *l.get_ref());
                Distribution::pert(g(&d.low), g(&d.mode), g(&d.high), lambda)
            }
            (_, "alpha") => match d.alpha.as_ref().map(|a| a.get_ref()) {
                Some(NumOrList::List(a)) => Distribution::dirichlet(a.clone()),
                _ => {
                    let sp = d.alpha.as_ref().map_or(span.clone(), |a| a.span());
                    self.err(
                        f,
                        sp,
                        format!("{field}.alpha"),
                        "for a dirichlet, alpha must be a list with one number per state",
                    );
                    return None;
                }
            },
            _ => Distribution::dirichlet(d.counts.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default()),
        };
        match result {
            Ok(dist) if !finite_params(&dist) => {
                self.err(f, span, field, format!("these {kind} parameters are too extreme to compute with (a derived parameter overflows); check the numbers"));
                None
            }
            Ok(dist) => Some(dist),
            Err(e) => {
                self.err(f, span, field, e.to_string());
                None
            }
        }
    }

    /// Resolve a probability row over `n` states (`names` for messages).
    fn row(&mut self, f: usize, r: &Spanned<RowSpec>, field: &str, names: &[String]) -> Row {
        let n = names.len();
        let span = r.span();
        let dirichlet_dim = |v: &mut Self, dist: &Distribution, what: &str| -> bool {
            if dist.dim() == 1 {
                v.err(
                    f,
                    span.clone(),
                    field,
                    format!("{what} is a single number ({}), but a whole row is needed here: write a list with one entry per state, or use a dirichlet", dist.kind()),
                );
                return false;
            }
            if dist.dim() != n {
                v.err(
                    f,
                    span.clone(),
                    field,
                    format!(
                        "{what} is a dirichlet over {} categories, but the chain has {n} states ({})",
                        dist.dim(),
                        names.join(", ")
                    ),
                );
                return false;
            }
            true
        };
        match r.get_ref() {
            RowSpec::Name(name) => match self.named.get(name).cloned() {
                None => {
                    let reason = if name == "rest" {
                        "a row cannot be just \"rest\"; write a list with one entry per state, e.g. [0.9, \"rest\"]"
                            .to_string()
                    } else {
                        format!("unknown parameter `{name}`: a row given by name must be a dirichlet parameter defined in [parameters]")
                    };
                    self.err(f, span, field, reason);
                    Row::Entries(vec![])
                }
                Some(None) => Row::Entries(vec![]),
                Some(Some(p)) => {
                    if dirichlet_dim(self, &p.dist, &format!("parameter `{name}`")) {
                        self.used(p.index, field);
                        Row::Dirichlet { offset: p.offset, len: n }
                    } else {
                        Row::Entries(vec![])
                    }
                }
            },
            RowSpec::Dist(d) => {
                let Some(dist) = self.dist(f, d, span.clone(), field) else { return Row::Entries(vec![]) };
                if !dirichlet_dim(self, &dist, &format!("this {}", dist.kind())) {
                    return Row::Entries(vec![]);
                }
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                let offset = self.params.push(field.to_string(), dist, note, false);
                Row::Dirichlet { offset, len: n }
            }
            RowSpec::Entries(entries) => {
                if entries.len() != n {
                    self.err(
                        f,
                        span,
                        field,
                        format!(
                            "row has {} entries, but the chain has {n} states ({}); give one entry per state",
                            entries.len(),
                            names.join(", ")
                        ),
                    );
                    return Row::Entries(vec![]);
                }
                let mut out = Vec::with_capacity(n);
                let errors_before = self.errors.len();
                let mut rests = 0;
                let mut literal_sum = 0.0;
                let mut all_literal = true;
                for (k, e) in entries.iter().enumerate() {
                    if matches!(e.get_ref(), ValueSpec::Name(s) if s == "rest") {
                        rests += 1;
                        if rests == 2 {
                            self.err(
                                f,
                                e.span(),
                                format!("{field}[{k}]"),
                                "only one entry of a row may be \"rest\" (it takes 1 minus the others)",
                            );
                        }
                        out.push(RowEntry::Rest);
                        continue;
                    }
                    let v = self.value(f, e, &format!("{field}[{k}]"), Domain::Probability);
                    match (e.get_ref(), v) {
                        (ValueSpec::Number(_), Value::Fixed(x)) => literal_sum += x,
                        _ => all_literal = false,
                    }
                    out.push(RowEntry::Value(v));
                }
                if self.errors.len() > errors_before {
                    // An entry is already wrong; a sum error would only repeat it.
                } else if rests == 0 && all_literal && (literal_sum - 1.0).abs() > ROW_TOL {
                    self.err(
                        f,
                        span,
                        field,
                        format!(
                            "row sums to {}, must sum to 1 (put \"rest\" in one entry to take the remainder)",
                            num(literal_sum)
                        ),
                    );
                } else if rests == 0 && !all_literal {
                    self.err(
                        f,
                        span,
                        field,
                        "a row with uncertain entries cannot sum to 1 in every draw: put \"rest\" in one entry to take the remainder (or use a dirichlet for the whole row)",
                    );
                } else if rests == 1 && literal_sum > 1.0 + ROW_TOL {
                    self.err(
                        f,
                        span,
                        field,
                        format!("the fixed entries of this row sum to {}, leaving nothing for \"rest\"; they must sum to at most 1", num(literal_sum)),
                    );
                }
                Row::Entries(out)
            }
        }
    }

    /// A death state's row must keep the dead dead: 1 on the diagonal, 0 elsewhere.
    fn check_death_row(&mut self, f: usize, r: &Spanned<RowSpec>, field: &str, s: usize, state: &str) {
        let ok = match r.get_ref() {
            RowSpec::Entries(e) => {
                e.len() > s
                    && e.iter().enumerate().all(|(k, v)| match v.get_ref() {
                        ValueSpec::Number(x) => *x == if k == s { 1.0 } else { 0.0 },
                        ValueSpec::Name(n) => k == s && n == "rest",
                        ValueSpec::Dist(_) => false,
                    })
            }
            _ => false,
        };
        if !ok {
            self.err(
                f,
                r.span(),
                field,
                format!("`{state}` is a death state, so its row must be the identity row (1 for `{state}`, 0 for every other state): the dead stay dead"),
            );
        }
    }

    // ------------------------------------------------------------ ages

    /// An age band inside `lo..=hi` (the chain's or model's age range).
    fn band(
        &mut self,
        f: usize,
        s: &SString,
        field: &str,
        within: (usize, usize),
        range_name: &str,
    ) -> Option<(usize, usize)> {
        let text = s.get_ref();
        let Some((lo, hi)) = parse_band(text) else {
            self.err(f, s.span(), field, format!("age band \"{text}\" is not valid: write \"lo-hi\" (inclusive, e.g. \"18-64\") or a single age like \"7\""));
            return None;
        };
        if lo > hi {
            self.err(
                f,
                s.span(),
                field,
                format!("empty age range {lo}-{hi}: the first age must not be above the last"),
            );
            return None;
        }
        let (wlo, whi) = (within.0 as i64, within.1 as i64);
        if lo < wlo || hi > whi {
            self.err(f, s.span(), field, format!("ages {text} lie outside {range_name} {}", band_str(within)));
            return None;
        }
        Some((lo as usize, hi as usize))
    }

    /// Parse a list of bands and report overlaps. Returns the bands (None where invalid).
    fn band_list(
        &mut self,
        f: usize,
        bands: &[(&SString, String)],
        within: (usize, usize),
        range_name: &str,
    ) -> Vec<Option<(usize, usize)>> {
        let mut out: Vec<Option<(usize, usize)>> = Vec::with_capacity(bands.len());
        for (s, field) in bands {
            let b = self.band(f, s, field, within, range_name);
            if let Some((lo, hi)) = b {
                if let Some(j) = out.iter().position(|o| matches!(o, Some((l2, h2)) if lo <= *h2 && *l2 <= hi)) {
                    let other = out[j].map(band_str).unwrap_or_default();
                    self.err(
                        f,
                        s.span(),
                        field.as_str(),
                        format!(
                            "ages {} overlap ages {other} of entry {j}; age bands in one list must not overlap",
                            band_str((lo, hi))
                        ),
                    );
                }
            }
            out.push(b);
        }
        out
    }

    /// Report ages of `within` that no band covers (skipped when a band was invalid,
    /// to avoid a second error for the same mistake).
    fn check_cover(
        &mut self,
        f: usize,
        span: Range<usize>,
        field: &str,
        bands: &[Option<(usize, usize)>],
        within: (usize, usize),
        what: &str,
    ) -> bool {
        if bands.iter().any(Option::is_none) {
            return false;
        }
        let missing: Vec<usize> =
            (within.0..=within.1).filter(|a| !bands.iter().flatten().any(|(l, h)| a >= l && a <= h)).collect();
        if missing.is_empty() {
            return true;
        }
        self.err(f, span, field, format!("ages {} are not covered; {what}", age_ranges(&missing)));
        false
    }

    // ------------------------------------------------------------ [model]

    fn settings(&mut self) -> Settings {
        let files = self.files;
        // Field by field, the first file in merge order that sets a field wins:
        // the main file comes first, so it overrides what it includes.
        fn pick<'x, T>(files: &'x [Parsed], get: impl Fn(&'x ModelSpec) -> Option<&'x T>) -> Option<(usize, &'x T)> {
            files.iter().enumerate().find_map(|(f, p)| p.file.model.as_ref().and_then(&get).map(|x| (f, x)))
        }
        // `[model]` may be implicit or dotted (no span): point at its header when there is one.
        let model_place = files
            .iter()
            .enumerate()
            .find_map(|(f, p)| p.file.model.as_ref().map(|_| (f, p.text.find("[model]").map_or(0..0, |i| i..i + 7))));
        let mut s = Settings {
            start_year: 2025,
            horizon: 15,
            discount_costs: 0.0225,
            discount_effects: 0.0225,
            first_year_discounted: false,
            cycle_correction: CycleCorrection::None,
            mode: Mode::Cohort,
            rr_convention: RrConvention::Rate,
            max_age: 100,
        };
        match pick(files, |m| m.start_year.as_ref()) {
            Some((f, y)) => {
                let v = *y.get_ref();
                if (1900..=2200).contains(&v) {
                    s.start_year = v as i32;
                } else {
                    self.err(f, y.span(), "model.start_year", format!("start_year {v} must lie between 1900 and 2200"));
                }
            }
            None => {
                let (f, span) = model_place.unwrap_or((0, 0..0));
                self.err(f, span, "model.start_year", "start_year is required in [model] (e.g. start_year = 2025)");
            }
        }
        let int =
            |v: &mut Self, name: &str, x: Option<(usize, &Spanned<i64>)>, lo: i64, hi: i64, default: usize| -> usize {
                match x {
                    None => default,
                    Some((f, y)) => {
                        let val = *y.get_ref();
                        if (lo..=hi).contains(&val) {
                            val as usize
                        } else {
                            v.err(
                                f,
                                y.span(),
                                format!("model.{name}"),
                                format!("{name} {val} must lie between {lo} and {hi}"),
                            );
                            default
                        }
                    }
                }
            };
        s.horizon = int(self, "horizon", pick(files, |m| m.horizon.as_ref()), 1, 100, 15);
        s.max_age = int(self, "max_age", pick(files, |m| m.max_age.as_ref()), 1, 120, 100);
        self.max_age = s.max_age;
        let rate = |v: &mut Self, name: &str, x: Option<(usize, &Spanned<f64>)>| -> f64 {
            match x {
                None => 0.0225,
                Some((f, r)) => {
                    let val = *r.get_ref();
                    if val > -0.5 && val < 1.0 {
                        val
                    } else {
                        v.err(
                            f,
                            r.span(),
                            format!("model.{name}"),
                            format!("{name} {val} is not a plausible yearly rate: it must be a fraction above -0.5 and below 1 (2.25 % is 0.0225)"),
                        );
                        0.0225
                    }
                }
            }
        };
        s.discount_costs = rate(self, "discount_rate_costs", pick(files, |m| m.discount_rate_costs.as_ref()));
        s.discount_effects = rate(self, "discount_rate_effects", pick(files, |m| m.discount_rate_effects.as_ref()));
        if let Some((_, b)) = pick(files, |m| m.first_year_discounted.as_ref()) {
            s.first_year_discounted = *b.get_ref();
        }
        if let Some((f, c)) = pick(files, |m| m.cycle_correction.as_ref()) {
            match c.get_ref().as_str() {
                "none" => s.cycle_correction = CycleCorrection::None,
                "half-cycle" => s.cycle_correction = CycleCorrection::HalfCycle,
                "simpson" => s.cycle_correction = CycleCorrection::Simpson,
                o => self.err(
                    f,
                    c.span(),
                    "model.cycle_correction",
                    format!("unknown cycle_correction \"{o}\"; use \"none\", \"half-cycle\" or \"simpson\""),
                ),
            }
        }
        if let Some((f, c)) = pick(files, |m| m.mode.as_ref()) {
            match c.get_ref().as_str() {
                "cohort" => s.mode = Mode::Cohort,
                "stochastic" => s.mode = Mode::Stochastic,
                o => self.err(
                    f,
                    c.span(),
                    "model.mode",
                    format!("unknown mode \"{o}\"; use \"cohort\" or \"stochastic\""),
                ),
            }
        }
        if let Some((f, c)) = pick(files, |m| m.rr_convention.as_ref()) {
            s.rr_convention = self.convention(f, c, "model.rr_convention").unwrap_or_default();
        }
        self.funders = match pick(files, |m| m.funders.as_ref()) {
            None => vec!["gemeente".to_string()],
            Some((f, l)) => self.unique_list(f, l, "model.funders", "funder"),
        };
        self.outcomes = match pick(files, |m| m.outcomes.as_ref()) {
            None => vec![],
            Some((f, l)) => self.unique_list(f, l, "model.outcomes", "outcome"),
        };
        s
    }

    fn convention(&mut self, f: usize, c: &SString, field: &str) -> Option<RrConvention> {
        match c.get_ref().as_str() {
            "rate" => Some(RrConvention::Rate),
            "probability" => Some(RrConvention::Probability),
            o => {
                self.err(
                    f,
                    c.span(),
                    field,
                    format!("unknown convention \"{o}\"; use \"rate\" (multiply hazards) or \"probability\""),
                );
                None
            }
        }
    }

    fn unique_list(&mut self, f: usize, l: &SList, field: &str, what: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, s) in l.get_ref().iter().enumerate() {
            if out.contains(s.get_ref()) {
                self.err(f, s.span(), format!("{field}[{i}]"), format!("{what} \"{}\" is listed twice", s.get_ref()));
            } else if s.get_ref().trim().is_empty() {
                self.err(f, s.span(), format!("{field}[{i}]"), format!("a {what} name must not be empty"));
            } else {
                out.push(s.get_ref().clone());
            }
        }
        out
    }

    fn base_outcome(&mut self) -> Vec<Value> {
        let mut out = vec![Value::Fixed(0.0); self.outcomes.len()];
        let files = self.files;
        let Some((f, m)) = files
            .iter()
            .enumerate()
            .find_map(|(f, p)| p.file.model.as_ref().and_then(|m| m.base_outcome.as_ref()).map(|b| (f, b)))
        else {
            return out;
        };
        for (k, v) in &m.0 {
            let field = format!("model.base_outcome.{}", k.get_ref());
            match self.outcomes.iter().position(|o| o == k.get_ref()) {
                Some(o) => out[o] = self.value(f, v, &field, Domain::Real),
                None => {
                    let known = list_or_none(&self.outcomes);
                    self.err(f, k.span(), field, format!("`{}` is not in model.outcomes ({known})", k.get_ref()));
                }
            }
        }
        out
    }

    fn taakvelden(&mut self) {
        let files = self.files;
        let mut items = Vec::new();
        for (f, p) in files.iter().enumerate() {
            if let Some(t) = &p.file.taakvelden {
                for (code, name) in &t.0 {
                    items.push((f, code, name));
                }
            }
        }
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, c, _)| (*f, *c)).collect();
        let map = self.unique_names("taakveld", &names);
        for (i, (_, code, name)) in items.iter().enumerate() {
            if map.get(code.get_ref()) == Some(&i) {
                self.taakvelden.push(Taakveld { code: code.get_ref().clone(), name: name.get_ref().clone() });
            }
        }
    }

    fn parameters(&mut self) {
        let files = self.files;
        let mut items = Vec::new();
        for (f, p) in files.iter().enumerate() {
            if let Some(t) = &p.file.parameters {
                for (name, d) in &t.0 {
                    items.push((f, name, d));
                }
            }
        }
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, n, _)| (*f, *n)).collect();
        let map = self.unique_names("parameter", &names);
        for (i, (f, name, d)) in items.iter().enumerate() {
            if map.get(name.get_ref()) != Some(&i) {
                continue;
            }
            let field = format!("parameters.{}", name.get_ref());
            self.remember(field.clone(), *f, name.span());
            let entry = self.dist(*f, d, d.dist.span(), &field).map(|dist| {
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                let offset = self.params.push(name.get_ref().clone(), dist.clone(), note, true);
                let index = self.params.params.len() - 1;
                self.params.params[index].comment = super::source_comment(&files[*f].text, name.span().start);
                NamedParam { offset, index, dist }
            });
            self.named.insert(name.get_ref().clone(), entry);
        }
    }

    // ------------------------------------------------------------ demography and areas

    /// Two sexes are tracked when any population or mortality entry splits by sex.
    fn detect_sexes(&self) -> usize {
        for p in self.files {
            for a in &p.file.area {
                if a.get_ref()
                    .population
                    .get_ref()
                    .iter()
                    .any(|e| e.get_ref().male.is_some() || e.get_ref().female.is_some())
                {
                    return 2;
                }
            }
            if let Some(d) = &p.file.demography {
                for (_, d) in &d.0 {
                    if let Some(m) = &d.mortality {
                        if let MortalitySpec::Bands(b) = m.get_ref() {
                            if b.iter().any(|e| e.get_ref().male.is_some() || e.get_ref().female.is_some()) {
                                return 2;
                            }
                        }
                    }
                }
            }
        }
        1
    }

    /// Every `[demography.X]` by name: (demography, closed). `None` when invalid.
    fn demographies(&mut self) -> HashMap<String, Option<(Demography, bool)>> {
        let files = self.files;
        let mut items = Vec::new();
        for (f, p) in files.iter().enumerate() {
            if let Some(t) = &p.file.demography {
                for (name, d) in &t.0 {
                    items.push((f, name, d));
                }
            }
        }
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, n, _)| (*f, *n)).collect();
        let map = self.unique_names("demography", &names);
        let mut out = HashMap::new();
        for (i, (f, name, d)) in items.iter().enumerate() {
            if map.get(name.get_ref()) != Some(&i) {
                continue;
            }
            let n_err = self.errors.len();
            let field = format!("demography.{}", name.get_ref());
            self.remember(field.clone(), *f, name.span());
            let dem = self.demography(*f, d, name.span(), &field);
            let ok = self.errors.len() == n_err;
            out.insert(name.get_ref().clone(), ok.then_some(dem));
        }
        out
    }

    fn demography(&mut self, f: usize, spec: &DemographySpec, at: Range<usize>, field: &str) -> (Demography, bool) {
        let n_ages = self.max_age + 1;
        let sexes = self.sexes;
        let closed = spec.closed.as_ref().is_some_and(|c| *c.get_ref());
        let all_ages = (0, self.max_age);
        let mortality = match &spec.mortality {
            None if closed => None,
            None => {
                self.err(
                    f,
                    at.clone(),
                    field,
                    "no mortality given: add mortality = [{ ages = \"0-100\", q = 0.01 }, ...] (probability of dying within the year), or mortality = \"none\" for no background mortality",
                );
                None
            }
            Some(m) => match m.get_ref() {
                MortalitySpec::Word(w) if w == "none" => None,
                MortalitySpec::Word(w) => {
                    self.err(f, m.span(), format!("{field}.mortality"), format!("mortality must be \"none\" or a list of {{ ages, q }} or {{ ages, male, female }}, got \"{w}\""));
                    None
                }
                MortalitySpec::Bands(list) => {
                    let bands: Vec<(&SString, String)> = list
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (&e.get_ref().ages, format!("{field}.mortality[{i}].ages")))
                        .collect();
                    let parsed = self.band_list(f, &bands, all_ages, "the model's ages");
                    self.check_cover(
                        f,
                        m.span(),
                        &format!("{field}.mortality"),
                        &parsed,
                        all_ages,
                        "mortality must give every age from 0 to max_age (or write mortality = \"none\")",
                    );
                    let mut table = vec![vec![Value::Fixed(0.0); n_ages]; sexes];
                    for (i, (e, b)) in list.iter().zip(&parsed).enumerate() {
                        let ef = format!("{field}.mortality[{i}]");
                        let e_ref = e.get_ref();
                        let vals: Vec<Value> = match (&e_ref.q, &e_ref.male, &e_ref.female) {
                            (Some(q), None, None) => {
                                let v = self.value(f, q, &format!("{ef}.q"), Domain::Probability);
                                vec![v; sexes]
                            }
                            (None, Some(m), Some(w)) => {
                                let vm = self.value(f, m, &format!("{ef}.male"), Domain::Probability);
                                let vw = self.value(f, w, &format!("{ef}.female"), Domain::Probability);
                                vec![vm, vw]
                            }
                            _ => {
                                self.err(f, e.span(), ef, "give either q (both sexes) or both male and female");
                                continue;
                            }
                        };
                        if let Some((lo, hi)) = b {
                            for (row, v) in table.iter_mut().zip(&vals) {
                                row[*lo..=*hi].fill(*v);
                            }
                        }
                    }
                    Some(table)
                }
            },
        };
        let births = match (&spec.crude_birth_rate, &spec.fertility) {
            (Some(c), Some(_)) => {
                self.err(
                    f,
                    c.span(),
                    format!("{field}.crude_birth_rate"),
                    "give either crude_birth_rate or fertility, not both",
                );
                Births::None
            }
            (Some(c), None) if closed => {
                self.err(
                    f,
                    c.span(),
                    format!("{field}.crude_birth_rate"),
                    "a closed demography has no births: remove crude_birth_rate or set closed = false",
                );
                Births::None
            }
            (None, Some(fe)) if closed => {
                self.err(
                    f,
                    fe.span(),
                    format!("{field}.fertility"),
                    "a closed demography has no births: remove fertility or set closed = false",
                );
                Births::None
            }
            (Some(c), None) => Births::Crude(self.value(f, c, &format!("{field}.crude_birth_rate"), Domain::Rate)),
            (None, Some(fe)) => {
                let list = fe.get_ref();
                let bands: Vec<(&SString, String)> = list
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (&e.get_ref().ages, format!("{field}.fertility[{i}].ages")))
                    .collect();
                let parsed = self.band_list(f, &bands, all_ages, "the model's ages");
                let mut rates = vec![Value::Fixed(0.0); n_ages];
                for (i, (e, b)) in list.iter().zip(&parsed).enumerate() {
                    let v = self.value(f, &e.get_ref().rate, &format!("{field}.fertility[{i}].rate"), Domain::Rate);
                    if let Some((lo, hi)) = b {
                        for r in &mut rates[*lo..=*hi] {
                            *r = v;
                        }
                    }
                }
                Births::Fertility(rates)
            }
            (None, None) => Births::None,
        };
        let male_birth_share = match &spec.male_birth_share {
            None => 0.512,
            Some(s) => {
                let x = *s.get_ref();
                if (0.0..=1.0).contains(&x) {
                    x
                } else {
                    self.err(
                        f,
                        s.span(),
                        format!("{field}.male_birth_share"),
                        format!("male_birth_share {x} must lie between 0 and 1 (a share, e.g. 0.512)"),
                    );
                    0.512
                }
            }
        };
        (Demography { mortality, births, male_birth_share }, closed)
    }

    fn areas(&mut self, demographies: &HashMap<String, Option<(Demography, bool)>>) -> Vec<Area> {
        let items = self.all(|f| &f.area);
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, a)| (*f, &a.get_ref().name)).collect();
        self.areas = self.unique_names("area", &names);
        self.n_areas = items.len();
        self.area_refs.clear();
        let files = self.files;
        let declared =
            files.iter().enumerate().find_map(|(f, p)| p.file.model.as_ref()?.profiles.as_ref().map(|l| (f, l)));
        let mut profiles: Vec<String> = vec![];
        if let Some((f, l)) = declared {
            for p in self.unique_list(f, l, "model.profiles", "profile") {
                profiles.push(p.clone());
                self.area_refs.entry(p).or_default();
            }
        }
        for (k, (f, a)) in items.iter().enumerate() {
            let spec = a.get_ref();
            self.area_refs.entry(spec.name.get_ref().clone()).or_default().push(k);
            if let Some(p) = &spec.profile {
                // A profile is a declared one or another area: a typo would silently
                // give the area no area-specific rows at all.
                let known = profiles.contains(p.get_ref()) || names.iter().any(|(_, n)| n.get_ref() == p.get_ref());
                if !known {
                    let mut choices = profiles.clone();
                    choices.extend(names.iter().map(|(_, n)| n.get_ref().clone()));
                    self.err(
                        *f,
                        p.span(),
                        format!("area.{}.profile", spec.name.get_ref()),
                        format!(
                            "unknown profile `{}`; declared profiles and areas: {}{}",
                            p.get_ref(),
                            list_or_none(&choices),
                            hint(p.get_ref(), &choices)
                        ),
                    );
                }
                if p.get_ref() != spec.name.get_ref() {
                    self.area_refs.entry(p.get_ref().clone()).or_default().push(k);
                }
            }
        }
        let n_ages = self.max_age + 1;
        let sexes = self.sexes;
        let all_ages = (0, self.max_age);
        let mut out = Vec::with_capacity(items.len());
        let mut dem_names: Vec<&String> = demographies.keys().collect();
        dem_names.sort();
        let dem_names: Vec<String> = dem_names.into_iter().cloned().collect();
        for (f, a) in items {
            let spec = a.get_ref();
            let name = spec.name.get_ref().clone();
            let field = format!("area.{name}");
            self.remember(field.clone(), f, a.span());
            let (mut demography, mut closed) = match demographies.get(spec.demography.get_ref()) {
                Some(Some((d, c))) => (d.clone(), *c),
                Some(None) => (Demography { mortality: None, births: Births::None, male_birth_share: 0.512 }, false),
                None => {
                    self.err(
                        f,
                        spec.demography.span(),
                        format!("{field}.demography"),
                        format!(
                            "unknown demography `{}`; defined: {} (add a [demography.{}] table){}",
                            spec.demography.get_ref(),
                            list_or_none(&dem_names),
                            spec.demography.get_ref(),
                            hint(spec.demography.get_ref(), &dem_names)
                        ),
                    );
                    (Demography { mortality: None, births: Births::None, male_birth_share: 0.512 }, false)
                }
            };
            // `closed = true` on the area: the demography's mortality, nothing else.
            if spec.closed.as_ref().is_some_and(|c| *c.get_ref()) {
                demography.births = Births::None;
                closed = true;
            }
            // Population: literal counts, spread evenly over the band's ages (and sexes).
            let pop_list = spec.population.get_ref();
            let bands: Vec<(&SString, String)> = pop_list
                .iter()
                .enumerate()
                .map(|(i, e)| (&e.get_ref().ages, format!("{field}.population[{i}].ages")))
                .collect();
            let parsed = self.band_list(f, &bands, all_ages, "the model's ages");
            let mut population = vec![vec![0.0; n_ages]; sexes];
            for (i, (e, b)) in pop_list.iter().zip(&parsed).enumerate() {
                let ef = format!("{field}.population[{i}]");
                let es = e.get_ref();
                let check = |v: &mut Self, x: &Spanned<f64>, key: &str| -> f64 {
                    let val = *x.get_ref();
                    if !val.is_finite() || val < 0.0 {
                        v.err(
                            f,
                            x.span(),
                            format!("{ef}.{key}"),
                            format!("a population count must be a number >= 0, got {val}"),
                        );
                        0.0
                    } else {
                        val
                    }
                };
                let per_sex: Vec<f64> = match (&es.count, &es.male, &es.female) {
                    (Some(c), None, None) => {
                        let c = check(self, c, "count");
                        vec![c / sexes as f64; sexes]
                    }
                    (None, Some(m), Some(w)) => vec![check(self, m, "male"), check(self, w, "female")],
                    _ => {
                        self.err(f, e.span(), ef.clone(), "give either count, or both male and female");
                        continue;
                    }
                };
                if let Some((lo, hi)) = b {
                    let width = (hi - lo + 1) as f64;
                    for (row, n) in population.iter_mut().zip(&per_sex) {
                        row[*lo..=*hi].fill(n / width);
                    }
                }
            }
            let net_migration = match &spec.net_migration {
                Some(m) if closed => {
                    self.err(
                        f,
                        m.span(),
                        format!("{field}.net_migration"),
                        format!("area `{name}` is a closed cohort (closed = true here or in the demography `{}`), which has no migration: remove net_migration or the closure", spec.demography.get_ref()),
                    );
                    None
                }
                None if closed => None,
                None => Some(vec![vec![Value::Fixed(0.0); n_ages]; sexes]),
                Some(m) => Some(self.migration(f, m, &field)),
            };
            out.push(Area { name, population, demography, net_migration });
        }
        out
    }

    /// Net migration, persons per year per band, spread evenly over the band's
    /// ages and sexes. A `Value` cannot be scaled after the fact, so an uncertain
    /// band total becomes one parameter holding the per-cell share (all cells of
    /// the band share its slot, so they move together).
    fn migration(&mut self, f: usize, m: &Spanned<Vec<Spanned<MigrationEntry>>>, field: &str) -> Vec<Vec<Value>> {
        let n_ages = self.max_age + 1;
        let sexes = self.sexes;
        let list = m.get_ref();
        let bands: Vec<(&SString, String)> = list
            .iter()
            .enumerate()
            .map(|(i, e)| (&e.get_ref().ages, format!("{field}.net_migration[{i}].ages")))
            .collect();
        let parsed = self.band_list(f, &bands, (0, self.max_age), "the model's ages");
        let mut table = vec![vec![Value::Fixed(0.0); n_ages]; sexes];
        for (i, (e, b)) in list.iter().zip(&parsed).enumerate() {
            let ef = format!("{field}.net_migration[{i}].count");
            let Some((lo, hi)) = *b else {
                continue;
            };
            let cells = ((hi - lo + 1) * sexes) as f64;
            let c = &e.get_ref().count;
            let v = match c.get_ref() {
                ValueSpec::Dist(d) if cells > 1.0 => match self.dist(f, d, c.span(), &ef) {
                    Some(dist) => match scale(&dist, 1.0 / cells) {
                        Some(scaled) => {
                            let mut note = d.note.as_ref().map(|n| format!("{}; ", n.get_ref())).unwrap_or_default();
                            note.push_str(&format!("per age and sex: the band total divided by {cells}"));
                            Value::Slot(self.params.push(ef.clone(), scaled, Some(note), false))
                        }
                        None => {
                            self.err(f, c.span(), ef.clone(), format!("a {} cannot be spread over the band's ages; a migration count is a number of people: use a normal, gamma, lognormal, uniform, triangular or pert", dist.kind()));
                            Value::Fixed(0.0)
                        }
                    },
                    None => Value::Fixed(0.0),
                },
                ValueSpec::Name(n) if cells > 1.0 && n != "rest" && self.named.contains_key(n) => {
                    self.err(
                        f,
                        c.span(),
                        ef.clone(),
                        format!(
                            "the named parameter `{n}` cannot be spread over {cells} age-sex groups (the model cannot scale a shared parameter); write the distribution inline here, or give a single-age band"
                        ),
                    );
                    Value::Fixed(0.0)
                }
                _ => match self.value(f, c, &ef, Domain::Real) {
                    Value::Fixed(x) => Value::Fixed(x / cells),
                    slot => slot,
                },
            };
            for row in table.iter_mut() {
                for cell in &mut row[lo..=hi] {
                    *cell = v;
                }
            }
        }
        table
    }

    // ------------------------------------------------------------ chains

    fn chains(&mut self) -> Vec<Chain> {
        let items = self.all(|f| &f.chain);
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, c)| (*f, &c.get_ref().name)).collect();
        self.chain_index = self.unique_names("chain", &names);
        // States and ages first, so chains can refer to each other in any order.
        for (f, c) in &items {
            let spec = c.get_ref();
            let field = format!("chain.{}", spec.name.get_ref());
            let states = self.unique_list(*f, &spec.states, &format!("{field}.states"), "state");
            let n = spec.states.get_ref().len();
            if !(2..=64).contains(&n) {
                self.err(
                    *f,
                    spec.states.span(),
                    format!("{field}.states"),
                    format!("a chain needs 2 to 64 states, got {n}"),
                );
            }
            let ages = match &spec.ages {
                None => (0, self.max_age),
                Some(a) => self
                    .band(*f, a, &format!("{field}.ages"), (0, self.max_age), "the model's ages (max_age)")
                    .unwrap_or((0, self.max_age)),
            };
            self.chain_states.push(states);
            self.chain_names.push(spec.name.get_ref().clone());
            self.chain_ages.push(ages);
        }
        let mut out = Vec::with_capacity(items.len());
        for (c, (f, spec)) in items.iter().enumerate() {
            out.push(self.chain(c, *f, spec));
        }
        out
    }

    fn state_of(&mut self, f: usize, span: Range<usize>, name: &str, chain: usize, field: &str) -> Option<usize> {
        let states = &self.chain_states[chain];
        match states.iter().position(|s| s == name) {
            // A chain with more than 64 states is already an error; its extra
            // states cannot go into a StateSet.
            Some(s) if s < 64 => Some(s),
            Some(_) => None,
            None => {
                let reason = format!(
                    "unknown state `{name}` in chain `{}`; its states are: {}{}",
                    self.chain_names[chain],
                    states.join(", "),
                    hint(name, states)
                );
                self.err(f, span, field, reason);
                None
            }
        }
    }

    /// The areas a name in a chain or intervention stands for: the area of
    /// that name and every area whose `profile` it is (none for a declared
    /// profile without areas in this run).
    fn areas_of(&mut self, f: usize, s: &SString, field: &str) -> Vec<usize> {
        match self.area_refs.get(s.get_ref()) {
            Some(a) => a.clone(),
            None => {
                let mut areas: Vec<String> = self.areas.keys().cloned().collect();
                areas.sort();
                let mut profiles: Vec<String> =
                    self.area_refs.keys().filter(|k| !self.areas.contains_key(*k)).cloned().collect();
                profiles.sort();
                let also = if profiles.is_empty() {
                    String::new()
                } else {
                    format!("; profiles: {}", list_or_none(&profiles))
                };
                let known: Vec<String> = areas.iter().chain(&profiles).cloned().collect();
                self.err(
                    f,
                    s.span(),
                    field,
                    format!(
                        "unknown area `{}`; areas: {}{also}{}",
                        s.get_ref(),
                        list_or_none(&areas),
                        hint(s.get_ref(), &known)
                    ),
                );
                vec![]
            }
        }
    }

    fn chain(&mut self, c: usize, f: usize, ch: &Spanned<ChainSpec>) -> Chain {
        let spec = ch.get_ref();
        let name = spec.name.get_ref().clone();
        let field = format!("chain.{name}");
        self.remember(field.clone(), f, ch.span());
        let states = self.chain_states[c].clone();
        let n = states.len();
        let (age_lo, age_hi) = self.chain_ages[c];
        let n_ages = self.max_age + 1;
        let n_areas = self.n_areas;
        let kind = match spec.kind.get_ref().as_str() {
            "indicator" => ChainKind::Indicator,
            "care" => ChainKind::Care,
            o => {
                self.err(
                    f,
                    spec.kind.span(),
                    format!("{field}.kind"),
                    format!("unknown kind \"{o}\"; use \"indicator\" or \"care\""),
                );
                ChainKind::Indicator
            }
        };
        let rest_state = match &spec.rest_state {
            None => 0,
            Some(r) => self.state_of(f, r.span(), r.get_ref(), c, &format!("{field}.rest_state")).unwrap_or(0),
        };
        let mut death = vec![false; n];
        if let Some(ds) = &spec.death_states {
            for (i, d) in ds.get_ref().iter().enumerate() {
                if let Some(s) = self.state_of(f, d.span(), d.get_ref(), c, &format!("{field}.death_states[{i}]")) {
                    death[s] = true;
                }
            }
        }
        let in_chain = "the chain's ages".to_string();

        // Initial rows: general list, then per-area overrides, each covering the chain's ages.
        let mut initial_rows = Vec::new();
        let mut initial_for = vec![NONE; n_areas * n_ages];
        // `areas`: the areas an `initial_by_area` list applies to (None: all).
        // Rows are read once, so a distribution in them is one parameter.
        let mut initial_list = |v: &mut Self,
                                list: &Spanned<Vec<Spanned<InitialEntry>>>,
                                lf: &str,
                                areas: Option<&[usize]>| {
            let bands: Vec<(&SString, String)> = list
                .get_ref()
                .iter()
                .enumerate()
                .map(|(i, e)| (&e.get_ref().ages, format!("{lf}[{i}].ages")))
                .collect();
            let parsed = v.band_list(f, &bands, (age_lo, age_hi), &in_chain);
            v.check_cover(
                f,
                list.span(),
                lf,
                &parsed,
                (age_lo, age_hi),
                &format!("the initial distribution must cover every age of the chain ({})", band_str((age_lo, age_hi))),
            );
            for (i, (e, b)) in list.get_ref().iter().zip(&parsed).enumerate() {
                let row = v.row(f, &e.get_ref().p, &format!("{lf}[{i}].p"), &states);
                let idx = initial_rows.len() as u32;
                initial_rows.push(row);
                if let Some((lo, hi)) = b {
                    for a in 0..n_areas {
                        if areas.is_some_and(|x| !x.contains(&a)) {
                            continue;
                        }
                        for age in *lo..=*hi {
                            initial_for[a * n_ages + age] = idx;
                        }
                    }
                }
            }
        };
        match &spec.initial {
            Some(list) => initial_list(self, list, &format!("{field}.initial"), None),
            None => self.err(
                f,
                spec.name.span(),
                format!("{field}.initial"),
                format!("chain `{name}` has no initial distribution: add initial = [{{ ages = \"{}\", p = [...] }}] (one probability per state)", band_str((age_lo, age_hi))),
            ),
        }
        if let Some(by_area) = &spec.initial_by_area {
            for (area, list) in &by_area.0 {
                let lf = format!("{field}.initial_by_area.{}", area.get_ref());
                // Checked even when the name is a profile without areas in this run.
                let areas = self.areas_of(f, area, &lf);
                initial_list(self, list, &lf, Some(&areas));
            }
        }

        // Transitions: general entries must cover the chain's ages once; area
        // entries override for their areas; equal specificity may not overlap.
        let mut matrices = Vec::new();
        let mut matrix_for = vec![NONE; n_areas * n_ages];
        // owner[(area or None, age)] = entry index that set it.
        let mut general_owner: Vec<Option<usize>> = vec![None; n_ages];
        let mut area_owner: Vec<Option<usize>> = vec![None; n_areas * n_ages];
        let mut general_bands: Vec<Option<(usize, usize)>> = Vec::new();
        let mut has_general = false;
        for (t, tr) in spec.transitions.iter().enumerate() {
            let ts = tr.get_ref();
            let tf = format!("{field}.transitions[{t}]");
            let band = match &ts.ages {
                None => Some((age_lo, age_hi)),
                Some(a) => self.band(f, a, &format!("{tf}.ages"), (age_lo, age_hi), &in_chain),
            };
            let ages_span = ts.ages.as_ref().map_or(tr.span(), |a| a.span());
            // Matrix.
            let rows = ts.matrix.get_ref();
            if rows.len() != n {
                self.err(
                    f,
                    ts.matrix.span(),
                    format!("{tf}.matrix"),
                    format!(
                        "matrix has {} rows, but the chain has {n} states ({}); give one row per from-state",
                        rows.len(),
                        states.join(", ")
                    ),
                );
            }
            let mut m_rows = Vec::with_capacity(n);
            for (r, row) in rows.iter().enumerate().take(n) {
                let rf = format!("{tf}.matrix[{r}]");
                m_rows.push(self.row(f, row, &rf, &states));
                if death[r] {
                    self.check_death_row(f, row, &rf, r, &states[r]);
                }
            }
            let m = matrices.len() as u32;
            matrices.push(Matrix { rows: m_rows });
            let Some((lo, hi)) = band else {
                if ts.areas.is_none() {
                    general_bands.push(None);
                    has_general = true;
                }
                continue;
            };
            match &ts.areas {
                None => {
                    has_general = true;
                    general_bands.push(Some((lo, hi)));
                    let mut clash: Vec<usize> = Vec::new();
                    for age in lo..=hi {
                        if let Some(o) = general_owner[age] {
                            if !clash.contains(&o) {
                                clash.push(o);
                            }
                        }
                        general_owner[age] = Some(t);
                        for a in 0..n_areas {
                            matrix_for[a * n_ages + age] = m;
                        }
                    }
                    for o in clash {
                        self.err(
                            f,
                            ages_span.clone(),
                            format!("{tf}.ages"),
                            format!("transitions[{t}] and transitions[{o}] both give the matrix for some of ages {} in all areas; each age needs exactly one general matrix (use `areas` for area-specific ones)", band_str((lo, hi))),
                        );
                    }
                }
                Some(list) => {
                    let mut clash: Vec<usize> = Vec::new();
                    let mut targets = Vec::new();
                    for (i, s) in list.get_ref().iter().enumerate() {
                        targets.extend(self.areas_of(f, s, &format!("{tf}.areas[{i}]")));
                    }
                    for a in targets {
                        for age in lo..=hi {
                            let k = a * n_ages + age;
                            if let Some(o) = area_owner[k] {
                                if o != t && !clash.contains(&o) {
                                    clash.push(o);
                                }
                            }
                            area_owner[k] = Some(t);
                        }
                    }
                    for o in clash {
                        self.err(
                            f,
                            ages_span.clone(),
                            format!("{tf}.ages"),
                            format!("transitions[{t}] and transitions[{o}] both give the matrix for the same area and ages; each area and age may have one area-specific matrix"),
                        );
                    }
                }
            }
        }
        if !has_general {
            self.err(
                f,
                spec.name.span(),
                format!("{field}.transitions"),
                format!("chain `{name}` has no transitions without `areas`: add [[chain.transitions]] with a matrix for ages {}", band_str((age_lo, age_hi))),
            );
        } else {
            let span = spec.transitions.first().map_or(ch.span(), |t| t.span());
            self.check_cover(
                f,
                span,
                &format!("{field}.transitions"),
                &general_bands,
                (age_lo, age_hi),
                "transitions without `areas` must together cover the chain's ages (area-specific ones only override)",
            );
        }
        // Area-specific overrides (after all general entries, whatever the order in the file).
        for (t, tr) in spec.transitions.iter().enumerate() {
            if tr.get_ref().areas.is_none() {
                continue;
            }
            for a in 0..n_areas {
                for age in age_lo..=age_hi {
                    if area_owner[a * n_ages + age] == Some(t) {
                        // Every transitions entry pushed exactly one matrix, so entry t is matrix t.
                        matrix_for[a * n_ages + age] = t as u32;
                    }
                }
            }
        }

        // Per-state values.
        let n_out = self.outcomes.len();
        let mut state_costs = vec![Vec::new(); n];
        let mut outcome_weights = vec![vec![Value::Fixed(0.0); n_out]; n];
        let mut social_value = vec![Value::Fixed(0.0); n];
        if let Some(st) = &spec.state {
            for (sname, s_spec) in &st.0 {
                let sf = format!("{field}.state.{}", sname.get_ref());
                let Some(s) = self.state_of(f, sname.span(), sname.get_ref(), c, &sf) else { continue };
                let ss = s_spec;
                if let Some(costs) = &ss.costs {
                    state_costs[s] = self.cost_items(f, costs, &format!("{sf}.costs"));
                }
                if let Some(o) = &ss.outcomes {
                    for (oname, v) in &o.0 {
                        let of = format!("{sf}.outcomes.{}", oname.get_ref());
                        match self.outcomes.iter().position(|x| x == oname.get_ref()) {
                            Some(k) => outcome_weights[s][k] = self.value(f, v, &of, Domain::Real),
                            None => {
                                let known = list_or_none(&self.outcomes);
                                self.err(f, oname.span(), of, format!("`{}` is not an outcome of the model; declare it in model.outcomes (declared: {known})", oname.get_ref()));
                            }
                        }
                    }
                }
                if let Some(v) = &ss.social_value {
                    social_value[s] = self.value(f, v, &format!("{sf}.social_value"), Domain::Real);
                }
            }
        }
        let mut transition_costs = Vec::new();
        for (i, tc) in spec.transition_cost.iter().enumerate() {
            let tf = format!("{field}.transition_cost[{i}]");
            let t = tc.get_ref();
            let from = self.state_of(f, t.from.span(), t.from.get_ref(), c, &format!("{tf}.from"));
            let to = self.state_of(f, t.to.span(), t.to.get_ref(), c, &format!("{tf}.to"));
            let items = self.cost_items(f, &t.costs, &format!("{tf}.costs"));
            if let (Some(from), Some(to)) = (from, to) {
                if from == to {
                    self.err(f, t.to.span(), format!("{tf}.to"), "a transition cost needs two different states (staying in a state is not a transition; use the state's yearly costs)");
                } else {
                    transition_costs.push(TransitionCost { from, to, items });
                }
            }
        }
        Chain {
            name,
            kind,
            states,
            rest_state,
            death,
            age_lo,
            age_hi,
            initial_rows,
            initial_for,
            matrices,
            matrix_for,
            state_costs,
            outcome_weights,
            social_value,
            transition_costs,
        }
    }

    fn cost_items(&mut self, f: usize, list: &Spanned<Vec<Spanned<CostSpec>>>, field: &str) -> Vec<CostItem> {
        let mut out = Vec::new();
        for (i, c) in list.get_ref().iter().enumerate() {
            let cf = format!("{field}[{i}]");
            let cs = c.get_ref();
            let amount = self.value(f, &cs.amount, &format!("{cf}.amount"), Domain::Real);
            let funder = match self.funders.iter().position(|x| x == cs.funder.get_ref()) {
                Some(k) => Some(k),
                None => {
                    let known = list_or_none(&self.funders);
                    self.err(
                        f,
                        cs.funder.span(),
                        format!("{cf}.funder"),
                        format!(
                            "unknown funder `{}`; declare it in model.funders (declared: {known}){}",
                            cs.funder.get_ref(),
                            hint(cs.funder.get_ref(), &self.funders)
                        ),
                    );
                    None
                }
            };
            let taakveld = match &cs.taakveld {
                None => Some(None),
                Some(t) => match self.taakvelden.iter().position(|x| x.code == *t.get_ref()) {
                    Some(k) => Some(Some(k)),
                    None => {
                        let known: Vec<String> = self.taakvelden.iter().map(|t| t.code.clone()).collect();
                        self.err(
                            f,
                            t.span(),
                            format!("{cf}.taakveld"),
                            format!(
                                "unknown taakveld \"{}\"; declare it in [taakvelden] (declared: {}){}",
                                t.get_ref(),
                                list_or_none(&known),
                                hint(t.get_ref(), &known)
                            ),
                        );
                        None
                    }
                },
            };
            if let (Some(funder), Some(taakveld)) = (funder, taakveld) {
                let acc = Account { funder, taakveld };
                let account = match self.accounts.iter().position(|a| *a == acc) {
                    Some(k) => k,
                    None => {
                        self.accounts.push(acc);
                        self.accounts.len() - 1
                    }
                };
                out.push(CostItem { account, amount });
            }
        }
        out
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
    /// they may not share a state (a relative risk on staying is not defined).
    fn rr_states(
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
                if s.0 & to_set.0 != 0 {
                    let both: Vec<&str> = (0..n)
                        .filter(|&k| s.contains(k) && to_set.contains(k))
                        .map(|k| self.chain_states[chain][k].as_str())
                        .collect();
                    let both = both.join(", ");
                    self.err(
                        f,
                        fr.span(),
                        format!("{field}.from"),
                        format!("`from` and `to` share {both}: a relative risk on staying in a state is not allowed; put it on the exits"),
                    );
                }
                s
            }
            None => StateSet(StateSet::all(n).0 & !to_set.0),
        };
        (from_set, to_set)
    }

    /// "chain.state" → (chain, state).
    fn chain_state(&mut self, f: usize, span: Range<usize>, s: &str, field: &str) -> Option<(usize, usize)> {
        // Longest chain name that prefixes "name." (chain names may contain dots).
        let c = self
            .chain_names
            .iter()
            .enumerate()
            .filter(|(_, n)| s.len() > n.len() + 1 && s.starts_with(n.as_str()) && s.as_bytes()[n.len()] == b'.')
            .max_by_key(|(_, n)| n.len())
            .map(|(i, _)| i);
        let Some(c) = c else {
            let reason = if s.contains('.') {
                format!("unknown chain in \"{s}\"; chains: {}", list_or_none(&self.chain_names))
            } else {
                format!("\"{s}\" must be written as \"chain.state\", e.g. \"loneliness.severe\"")
            };
            self.err(f, span, field, reason);
            return None;
        };
        let state = &s[self.chain_names[c].len() + 1..];
        self.state_of(f, span, state, c, field).map(|st| (c, st))
    }

    fn risk_factors(&mut self) -> Vec<RiskFactor> {
        let items = self.all(|f| &f.risk_factor);
        let mut out = Vec::new();
        for (i, (f, r)) in items.into_iter().enumerate() {
            let field = format!("risk_factor[{i}]");
            self.remember(field.clone(), f, r.span());
            let rs = r.get_ref();
            let Some(&chain) = self.chain_index.get(rs.chain.get_ref()) else {
                self.err(
                    f,
                    rs.chain.span(),
                    format!("{field}.chain"),
                    format!(
                        "unknown chain `{}`; chains: {}{}",
                        rs.chain.get_ref(),
                        list_or_none(&self.chain_names),
                        hint(rs.chain.get_ref(), &self.chain_names)
                    ),
                );
                continue;
            };
            let (from, to) = self.rr_states(f, rs.from.as_ref(), &rs.to, chain, &field);
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
            let rr = self.value(f, &rs.rr, &format!("{field}.rr"), Domain::RelativeRisk);
            let convention = match &rs.convention {
                None => None,
                Some(c) => self.convention(f, c, &format!("{field}.convention")),
            };
            let (clo, chi) = self.chain_ages[chain];
            let (age_lo, age_hi) = match &rs.ages {
                None => (clo, chi),
                Some(a) => {
                    let range = format!("the ages of chain `{}`", self.chain_names[chain]);
                    self.band(f, a, &format!("{field}.ages"), (clo, chi), &range).unwrap_or((clo, chi))
                }
            };
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
                // Filled with the model default below (settings are known by then).
                convention: convention.unwrap_or_else(|| self.default_convention()),
                age_lo,
                age_hi,
            });
        }
        out
    }

    fn default_convention(&self) -> RrConvention {
        for p in self.files {
            if let Some(m) = &p.file.model {
                if let Some(c) = &m.rr_convention {
                    return match c.get_ref().as_str() {
                        "probability" => RrConvention::Probability,
                        _ => RrConvention::Rate,
                    };
                }
            }
        }
        RrConvention::Rate
    }

    // ------------------------------------------------------------ interventions and scenarios

    fn interventions(&mut self, settings: &Settings) -> (Vec<Intervention>, HashMap<String, usize>) {
        let items = self.all(|f| &f.intervention);
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, it)| (*f, &it.get_ref().name)).collect();
        let index = self.unique_names("intervention", &names);
        let mut out = Vec::new();
        for (f, it) in items {
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
            let (age_lo, age_hi) = match &s.ages {
                None => (0, self.max_age),
                Some(a) => self
                    .band(f, a, &format!("{field}.ages"), (0, self.max_age), "the model's ages (max_age)")
                    .unwrap_or((0, self.max_age)),
            };
            let mut target: Vec<(usize, StateSet)> = Vec::new();
            if let Some(t) = &s.target {
                for (span, st) in names_of(t) {
                    if let Some((c, state)) = self.chain_state(f, span, st, &format!("{field}.target")) {
                        match target.iter_mut().find(|(k, _)| *k == c) {
                            Some((_, set)) => set.insert(state),
                            None => target.push((c, StateSet::single(state))),
                        }
                    }
                }
            }
            let rs = &s.reach;
            let reach = match (&rs.share, &rs.participants) {
                (Some(v), None) => Reach::Share(self.value(f, v, &format!("{field}.reach.share"), Domain::Probability)),
                (None, Some(v)) => {
                    Reach::Participants(self.value(f, v, &format!("{field}.reach.participants"), Domain::Count))
                }
                _ => {
                    let at = rs.share.as_ref().or(rs.participants.as_ref()).map_or(s.name.span(), |v| v.span());
                    self.err(f, at, format!("{field}.reach"), "reach needs exactly one of share (of the target group, 0 to 1) or participants (people per year)");
                    Reach::Share(Value::Fixed(0.0))
                }
            };
            let ramp_up = match &s.ramp_up {
                None => vec![],
                Some(r) => r
                    .get_ref()
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value(f, v, &format!("{field}.ramp_up[{i}]"), Domain::Multiplier))
                    .collect(),
            };
            // Years default to the whole simulated period.
            let first = settings.start_year;
            let last = settings.start_year + settings.horizon as i32 - 1;
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
            let (persistence_years, drop_off) = match &s.persistence {
                None => (0, Value::Fixed(0.0)),
                Some(p) => {
                    let ps = p;
                    let years = match &ps.years {
                        None => 0,
                        Some(y) => match usize::try_from(*y.get_ref()) {
                            Ok(v) if v <= 100 => v,
                            _ => {
                                self.err(
                                    f,
                                    y.span(),
                                    format!("{field}.persistence.years"),
                                    format!(
                                        "persistence years must be a whole number from 0 to 100, got {}",
                                        y.get_ref()
                                    ),
                                );
                                0
                            }
                        },
                    };
                    let d = self.opt_value(
                        f,
                        ps.drop_off.as_ref(),
                        &format!("{field}.persistence.drop_off"),
                        Domain::Probability,
                        0.0,
                    );
                    (years, d)
                }
            };
            let mut effects = Vec::new();
            for (e, eff) in s.effect.iter().enumerate() {
                let ef = format!("{field}.effect[{e}]");
                if let Some(x) = self.effect(f, eff, &ef) {
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
            out.push(Intervention {
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
            });
        }
        (out, index)
    }

    fn effect(&mut self, f: usize, eff: &Spanned<EffectSpec>, ef: &str) -> Option<Effect> {
        let es = eff.get_ref();
        let Some(&chain) = self.chain_index.get(es.chain.get_ref()) else {
            self.err(
                f,
                es.chain.span(),
                format!("{ef}.chain"),
                format!(
                    "unknown chain `{}`; chains: {}{}",
                    es.chain.get_ref(),
                    list_or_none(&self.chain_names),
                    hint(es.chain.get_ref(), &self.chain_names)
                ),
            );
            return None;
        };
        let rr_form = es.from.is_some() || es.to.is_some() || es.rr.is_some() || es.convention.is_some();
        match (&es.shift, rr_form) {
            (Some(sh), false) => {
                let s = sh;
                let from = self.state_of(f, s.from.span(), s.from.get_ref(), chain, &format!("{ef}.shift.from"));
                let to = self.state_of(f, s.to.span(), s.to.get_ref(), chain, &format!("{ef}.shift.to"));
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

    fn scenarios(&mut self, interventions: &HashMap<String, usize>) -> Vec<Scenario> {
        let items = self.all(|f| &f.scenario);
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, s)| (*f, &s.get_ref().name)).collect();
        self.unique_names("scenario", &names);
        let mut known: Vec<&String> = interventions.keys().collect();
        known.sort();
        let known: Vec<String> = known.into_iter().cloned().collect();
        let mut out = Vec::new();
        for (f, sc) in items {
            let s = sc.get_ref();
            let name = s.name.get_ref().clone();
            let field = format!("scenario.{name}");
            self.remember(field.clone(), f, sc.span());
            if name.eq_ignore_ascii_case(Model::BASELINE) {
                self.err(f, s.name.span(), format!("{field}.name"), "\"nulalternatief\" is the name of the baseline every scenario is compared with; choose another name");
            }
            let mut list = Vec::new();
            if s.interventions.get_ref().is_empty() {
                self.err(f, s.interventions.span(), format!("{field}.interventions"), "a scenario needs at least one intervention (the baseline without interventions is the nulalternatief)");
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
                            list_or_none(&known),
                            hint(iv.get_ref(), &known)
                        ),
                    ),
                }
            }
            let sroi = match &s.sroi {
                None => Sroi::default(),
                Some(r) => {
                    let rs = r;
                    Sroi {
                        deadweight: self.opt_value(
                            f,
                            rs.deadweight.as_ref(),
                            &format!("{field}.sroi.deadweight"),
                            Domain::Probability,
                            0.0,
                        ),
                        attribution: self.opt_value(
                            f,
                            rs.attribution.as_ref(),
                            &format!("{field}.sroi.attribution"),
                            Domain::Probability,
                            0.0,
                        ),
                        displacement: self.opt_value(
                            f,
                            rs.displacement.as_ref(),
                            &format!("{field}.sroi.displacement"),
                            Domain::Probability,
                            0.0,
                        ),
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
}

/// Every internal parameter is finite. The constructors check their inputs, but
/// a derived parameter can still overflow (a lognormal with sd 1e308 has an
/// infinite sigma); such a distribution would put inf or NaN into draws.
fn finite_params(d: &Distribution) -> bool {
    let xs: Vec<f64> = match d {
        Distribution::Normal { mean, sd } => vec![*mean, *sd],
        Distribution::LogNormal { mu, sigma } => vec![*mu, *sigma],
        Distribution::Beta { alpha, beta } => vec![*alpha, *beta],
        Distribution::Gamma { shape, scale } => vec![*shape, *scale],
        Distribution::Uniform { low, high } => vec![*low, *high, high - low],
        Distribution::Triangular { low, mode, high } => vec![*low, *mode, *high, high - low],
        Distribution::Pert { low, mode, high, lambda } => vec![*low, *mode, *high, *lambda, high - low],
        Distribution::Dirichlet { alpha } => vec![alpha.iter().sum()],
    };
    xs.iter().all(|x| x.is_finite()) && d.means().iter().all(|m| m.is_finite())
}

/// The distribution of `k·X` for `k > 0`, where the family allows it.
fn scale(d: &Distribution, k: f64) -> Option<Distribution> {
    Some(match *d {
        Distribution::Normal { mean, sd } => Distribution::Normal { mean: mean * k, sd: sd * k },
        Distribution::LogNormal { mu, sigma } => Distribution::LogNormal { mu: mu + k.ln(), sigma },
        Distribution::Gamma { shape, scale } => Distribution::Gamma { shape, scale: scale * k },
        Distribution::Uniform { low, high } => Distribution::Uniform { low: low * k, high: high * k },
        Distribution::Triangular { low, mode, high } => {
            Distribution::Triangular { low: low * k, mode: mode * k, high: high * k }
        }
        Distribution::Pert { low, mode, high, lambda } => {
            Distribution::Pert { low: low * k, mode: mode * k, high: high * k, lambda }
        }
        Distribution::Beta { .. } | Distribution::Dirichlet { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::scenario::{load_str, ScenarioErrors};

    /// A small valid model: ages 0-10, two areas, one chain on ages 2-8.
    const BASE: &str = r#"
[model]
start_year = 2025
max_age = 10
funders = ["gemeente", "zvw"]
outcomes = ["qaly"]

[taakvelden]
"6.1" = "Samenkracht"
"6.71" = "Maatwerk"

[parameters]
p = { dist = "beta", mean = 0.2, sd = 0.05 }

[demography.d]
mortality = [ { ages = "0-5", q = 0.01 }, { ages = "6-10", q = 0.02 } ]
crude_birth_rate = 0.01

[[area]]
name = "A"
demography = "d"
population = [ { ages = "0-4", count = 50 }, { ages = "7", count = 3 } ]
net_migration = [ { ages = "0-4", count = 30 }, { ages = "5-9", count = { dist = "normal", mean = -10, sd = 5 } } ]

[[area]]
name = "B"
demography = "d"
population = [ { ages = "0-10", count = 11 } ]

[[chain]]
name = "c"
kind = "care"
ages = "2-8"
states = ["none", "care"]
initial = [ { ages = "2-4", p = [0.9, "rest"] }, { ages = "5-8", p = ["p", "rest"] } ]
initial_by_area = { B = [ { ages = "2-8", p = [1, 0] } ] }

[[chain.transitions]]
matrix = [ ["rest", "p"], [0.5, "rest"] ]

[[chain.transitions]]
ages = "6-8"
areas = ["B"]
matrix = [ ["rest", 0.3], [0.4, "rest"] ]

[chain.state.care]
costs = [ { amount = 100, funder = "zvw" }, { amount = 50, funder = "gemeente", taakveld = "6.71" } ]
outcomes = { qaly = -0.1 }

[[chain.transition_cost]]
from = "none"
to = "care"
costs = [ { amount = 300, funder = "gemeente", taakveld = "6.71" } ]

[[intervention]]
name = "i"
reach = { share = 0.1 }
costs = { fixed = [ { amount = 1000, funder = "gemeente", taakveld = "6.1" } ] }

[[intervention.effect]]
chain = "c"
to = "care"
rr = 0.8

[[scenario]]
name = "s"
interventions = ["i"]
"#;

    fn load(text: &str) -> Result<Model, ScenarioErrors> {
        load_str("test.toml", text)
    }

    fn errors(text: &str) -> Vec<String> {
        match load(text) {
            Ok(_) => vec![],
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn assert_error(text: &str, needle: &str) {
        let errs = errors(text);
        assert!(errs.iter().any(|e| e.contains(needle)), "no error containing {needle:?} in {errs:#?}");
    }

    #[test]
    fn base_loads() {
        load(BASE).unwrap_or_else(|e| panic!("{e}"));
    }

    /// A wijk with `profile = "B"` takes B's area-specific rows and B's
    /// interventions; a declared profile without areas is no error.
    #[test]
    fn areas_take_the_rows_and_targets_of_their_profile() {
        let text = BASE.replace("funders = [", "profiles = [\"Elders\"]\nfunders = [")
            + "\n[[area]]\nname = \"wijk\"\nprofile = \"B\"\ndemography = \"d\"\npopulation = [ { ages = \"0-10\", count = 5 } ]\n"
            + "\n[[intervention]]\nname = \"j\"\nareas = [\"B\", \"Elders\"]\nreach = { share = 0.1 }\n[[intervention.effect]]\nchain = \"c\"\nto = \"care\"\nrr = 0.9\n";
        let m = load(&text).unwrap_or_else(|e| panic!("{e}"));
        let n_ages = m.settings.n_ages();
        let c = &m.chains[0];
        for age in 2..=8 {
            assert_eq!(c.matrix_for[2 * n_ages + age], c.matrix_for[n_ages + age], "age {age}");
            assert_eq!(c.initial_for[2 * n_ages + age], c.initial_for[n_ages + age], "age {age}");
        }
        assert_ne!(c.matrix_for[7], c.matrix_for[n_ages + 7], "area A keeps the general rows");
        let j = m.interventions.iter().find(|i| i.name == "j").unwrap();
        assert_eq!(j.areas, vec![false, true, true]);
        let bad = text.replace("areas = [\"B\", \"Elders\"]", "areas = [\"Nergens\"]");
        let e = load(&bad).unwrap_err().to_string();
        assert!(e.contains("unknown area `Nergens`"), "{e}");
    }

    #[test]
    fn population_is_spread_evenly_over_band_ages() {
        let m = load(BASE).unwrap();
        assert_eq!(m.sexes, 1);
        let a = &m.areas[0].population[0];
        assert_eq!(a.len(), 11);
        for (age, n) in a.iter().enumerate() {
            let expect = match age {
                0..=4 => 10.0,
                7 => 3.0,
                _ => 0.0,
            };
            assert_eq!(*n, expect, "age {age}");
        }
        assert!(m.areas[1].population[0].iter().all(|&n| n == 1.0));
    }

    #[test]
    fn migration_band_totals_are_spread_and_uncertain_totals_scaled() {
        let m = load(BASE).unwrap();
        let mig = m.areas[0].net_migration.as_ref().unwrap();
        // 30 people a year over 5 ages: 6 per age; ages 10 unlisted: 0.
        assert!(mig[0][0..=4].iter().all(|v| matches!(v, Value::Fixed(x) if *x == 6.0)));
        assert!(matches!(mig[0][10], Value::Fixed(x) if x == 0.0));
        // normal(-10, 5) over 5 ages: one slot holding normal(-2, 1), shared by the band.
        let Value::Slot(s) = mig[0][5] else { panic!("{:?}", mig[0][5]) };
        assert!((5..=9).all(|a| mig[0][a] == Value::Slot(s)));
        let p = m.params.params.iter().find(|p| p.offset == s).unwrap();
        assert_eq!(p.dist, crate::dist::Distribution::Normal { mean: -2.0, sd: 1.0 });
    }

    #[test]
    fn chain_lookups_are_expanded_per_area_and_age() {
        let m = load(BASE).unwrap();
        let c = &m.chains[0];
        let n_ages = 11;
        assert_eq!(c.initial_for.len(), 2 * n_ages);
        assert_eq!(c.matrix_for.len(), 2 * n_ages);
        // Area A: initial rows 0 (ages 2-4) and 1 (5-8); NONE outside 2-8.
        let init_a: Vec<u32> = (0..n_ages).map(|a| c.initial_for[a]).collect();
        assert_eq!(init_a, [NONE, NONE, 0, 0, 0, 1, 1, 1, 1, NONE, NONE]);
        // Area B: its own row (index 2) over the whole chain range.
        let init_b: Vec<u32> = (0..n_ages).map(|a| c.initial_for[n_ages + a]).collect();
        assert_eq!(init_b, [NONE, NONE, 2, 2, 2, 2, 2, 2, 2, NONE, NONE]);
        // Matrices: the general one everywhere, B's own on 6-8.
        let mat_a: Vec<u32> = (0..n_ages).map(|a| c.matrix_for[a]).collect();
        assert_eq!(mat_a, [NONE, NONE, 0, 0, 0, 0, 0, 0, 0, NONE, NONE]);
        let mat_b: Vec<u32> = (0..n_ages).map(|a| c.matrix_for[n_ages + a]).collect();
        assert_eq!(mat_b, [NONE, NONE, 0, 0, 0, 0, 1, 1, 1, NONE, NONE]);
    }

    /// Named parameters carry their source comment and the fields that use
    /// them; inline distributions carry neither.
    #[test]
    fn named_parameters_keep_their_source_comment_and_uses() {
        let text = BASE.replace("[parameters]\np = ", "[parameters]\n# Chance of care: CBS 2023\n# (derived).\np = ");
        let text = text.replace("sd = 0.05 }\n", "sd = 0.05 } # assumption\n");
        let m = load(&text).unwrap();
        let p = m.params.params.iter().find(|p| p.name == "p").unwrap();
        assert_eq!(p.comment.as_deref(), Some("Chance of care: CBS 2023 (derived). assumption"));
        assert_eq!(p.used_by, ["chain.c.initial[1].p[0]", "chain.c.transitions[0].matrix[0][1]"]);
        let inline = m.params.params.iter().find(|p| !p.named).unwrap();
        assert_eq!((inline.comment.as_deref(), inline.used_by.len()), (None, 0));
        assert!(load(BASE).unwrap().params.params.iter().all(|p| p.comment.is_none()));
    }

    #[test]
    fn rest_entries_and_named_parameters_resolve() {
        let m = load(BASE).unwrap();
        let c = &m.chains[0];
        let Row::Entries(e) = &c.initial_rows[0] else { panic!() };
        assert!(matches!(e[0], RowEntry::Value(Value::Fixed(x)) if x == 0.9));
        assert!(matches!(e[1], RowEntry::Rest));
        // The named parameter `p` is one slot, used in the initial row and the matrix.
        let p_slot = m.params.params.iter().find(|p| p.name == "p").unwrap().offset;
        let Row::Entries(e) = &c.initial_rows[1] else { panic!() };
        assert!(matches!(e[0], RowEntry::Value(Value::Slot(s)) if s == p_slot));
        let Row::Entries(e) = &c.matrices[0].rows[0] else { panic!() };
        assert!(matches!(e[1], RowEntry::Value(Value::Slot(s)) if s == p_slot));
        assert_eq!(m.params.params.iter().filter(|p| p.named).count(), 1);
    }

    #[test]
    fn accounts_are_distinct_pairs_in_order_of_first_appearance() {
        let m = load(BASE).unwrap();
        // zvw (state cost), gemeente/6.71 (state cost, again in the transition
        // cost), gemeente/6.1 (intervention).
        assert_eq!(
            m.accounts,
            vec![
                Account { funder: 1, taakveld: None },
                Account { funder: 0, taakveld: Some(1) },
                Account { funder: 0, taakveld: Some(0) }
            ]
        );
        assert_eq!(m.account_label(1), "gemeente/6.71");
        let c = &m.chains[0];
        assert_eq!(c.state_costs[1].len(), 2);
        assert_eq!(c.transition_costs[0].items[0].account, 1);
        assert_eq!(m.interventions[0].fixed_costs[0].account, 2);
    }

    #[test]
    fn two_sexes_when_any_entry_splits_by_sex() {
        let text = BASE.replace(r#"{ ages = "0-10", count = 11 }"#, r#"{ ages = "0-10", male = 11, female = 22 }"#);
        let m = load(&text).unwrap();
        assert_eq!(m.sexes, 2);
        // A `count` is split 50/50 over the two sexes; male/female are used as given.
        assert_eq!(m.areas[0].population[0][0], 5.0);
        assert_eq!(m.areas[0].population[1][0], 5.0);
        assert_eq!(m.areas[1].population[0][3], 1.0);
        assert_eq!(m.areas[1].population[1][3], 2.0);
        // Migration: 30 over 5 ages and 2 sexes = 3 per cell.
        assert!(matches!(m.areas[0].net_migration.as_ref().unwrap()[1][2], Value::Fixed(x) if x == 3.0));
        // q applies to both sexes.
        let mort = m.areas[0].demography.mortality.as_ref().unwrap();
        assert_eq!(mort.len(), 2);
        assert!(matches!(mort[1][7], Value::Fixed(x) if x == 0.02));

        let text = BASE.replace(r#"{ ages = "0-5", q = 0.01 }"#, r#"{ ages = "0-5", male = 0.01, female = 0.009 }"#);
        assert_eq!(load(&text).unwrap().sexes, 2);
    }

    #[test]
    fn defaults_apply() {
        let m = load(BASE).unwrap();
        assert_eq!(m.settings.horizon, 15);
        assert_eq!(m.settings.discount_costs, 0.0225);
        assert_eq!(m.areas[0].demography.male_birth_share, 0.512);
        let i = &m.interventions[0];
        assert_eq!((i.start_year, i.end_year), (2025, 2039));
        assert_eq!(i.areas, vec![true, true]);
        // `from` defaults to every state not in `to`.
        let Effect::RelativeRisk { from, to, .. } = i.effects[0] else { panic!() };
        assert_eq!((from, to), (StateSet(0b01), StateSet(0b10)));
    }

    #[test]
    fn literal_rows_must_sum_to_one() {
        assert_error(&BASE.replace("[0.5, \"rest\"]", "[0.5, 0.55]"), "row sums to 1.05, must sum to 1 (put \"rest\"");
        let three = "[[chain]]\nname = \"three\"\nkind = \"indicator\"\nstates = [\"a\", \"b\", \"c\"]\n\
                     initial = [ { ages = \"0-10\", p = [0.7, 0.6, \"rest\"] } ]\n\
                     [[chain.transitions]]\nmatrix = [ [1, 0, 0], [0, 1, 0], [0, 0, 1] ]\n";
        assert_error(
            &format!("{BASE}\n{three}"),
            "the fixed entries of this row sum to 1.3, leaving nothing for \"rest\"",
        );
        assert_error(
            &BASE.replace("[0.5, \"rest\"]", "[1.2, \"rest\"]"),
            "1.2 is not allowed here: a probability must lie between 0 and 1",
        );
        assert_error(
            &BASE.replace("[0.5, \"rest\"]", "[\"rest\", \"rest\"]"),
            "only one entry of a row may be \"rest\"",
        );
        assert_error(&BASE.replace("[0.5, \"rest\"]", "[0.5]"), "row has 1 entries, but the chain has 2 states");
        assert_error(&BASE.replace("[0.5, \"rest\"]", "[\"p\", 0.5]"), "cannot sum to 1 in every draw");
    }

    #[test]
    fn coverage_gaps_are_listed() {
        let text = BASE.replace(r#"{ ages = "5-8", p = ["p", "rest"] }"#, r#"{ ages = "7-8", p = ["p", "rest"] }"#);
        assert_error(&text, "chain.c.initial: ages 5-6 are not covered");
        let text = BASE.replace(r#"{ ages = "6-10", q = 0.02 }"#, r#"{ ages = "6-9", q = 0.02 }"#);
        assert_error(&text, "ages 10 are not covered");
        let text = BASE.replace("[[chain.transitions]]\nmatrix", "[[chain.transitions]]\nages = \"2-5\"\nmatrix");
        assert_error(&text, "ages 6-8 are not covered; transitions without `areas`");
    }

    #[test]
    fn overlaps_are_errors() {
        let text = BASE.replace(r#"{ ages = "5-8", p = ["p", "rest"] }"#, r#"{ ages = "4-8", p = ["p", "rest"] }"#);
        assert_error(&text, "ages 4-8 overlap ages 2-4 of entry 0");
        let text = BASE.replace("ages = \"6-8\"\nareas = [\"B\"]", "ages = \"6-8\"");
        assert_error(&text, "transitions[1] and transitions[0] both give the matrix");
    }

    #[test]
    fn every_error_of_a_file_is_reported() {
        let text = BASE
            .replace(r#"{ ages = "7", count = 3 }"#, r#"{ ages = "7", count = -3 }"#)
            .replace("to = \"care\"\nrr = 0.8", "to = \"kare\"\nrr = 0.8")
            .replace("[0.5, \"rest\"]", "[0.5, 0.4]");
        let errs = errors(&text);
        assert_eq!(errs.len(), 3, "{errs:#?}");
    }

    #[test]
    fn domains_are_checked_against_the_support() {
        let text = BASE.replace("rr = 0.8", "rr = { dist = \"normal\", mean = 0.8, sd = 0.1 }");
        assert_error(
            &text,
            "a normal can take any value: it can fall below 0, but a relative risk must be >= 0; use a lognormal",
        );
        let text = BASE
            .replace("reach = { share = 0.1 }", "reach = { share = { dist = \"uniform\", low = 0.5, high = 1.5 } }");
        assert_error(&text, "a uniform can take values from 0.5 to 1.5");
        let text = BASE.replace("reach = { share = 0.1 }", "reach = { share = 1.1 }");
        assert_error(&text, "1.1 is not allowed here: a probability must lie between 0 and 1");
    }

    #[test]
    fn death_rows_must_be_identity() {
        let text =
            BASE.replace("states = [\"none\", \"care\"]", "states = [\"none\", \"care\"]\ndeath_states = [\"care\"]");
        assert_error(&text, "`care` is a death state, so its row must be the identity row");
        let ok = text.replace("[0.5, \"rest\"]", "[0, 1]").replace("[0.4, \"rest\"]", "[0.0, \"rest\"]");
        load(&ok).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn distribution_key_sets_are_explained() {
        let text = BASE.replace("mean = 0.2, sd = 0.05", "mean = 0.2, alpha = 3");
        assert_error(&text, "a beta takes exactly one of these key sets: {mean, sd} | {alpha, beta} | {events, trials}; got {mean, alpha}");
        let text = BASE.replace("dist = \"beta\"", "dist = \"betta\"");
        assert_error(&text, "unknown distribution \"betta\"");
    }

    #[test]
    fn scalar_and_row_parameters_are_not_interchangeable() {
        let text = BASE
            .replace("p = { dist", "d = { dist = \"dirichlet\", alpha = [1, 2] }\np = { dist")
            .replace("rr = 0.8", "rr = \"d\"");
        assert_error(&text, "parameter `d` is a dirichlet");
        let text = BASE.replace("[0.5, \"rest\"]", "\"p\"");
        assert_error(&text, "parameter `p` is a single number (beta), but a whole row is needed here");
    }

    #[test]
    fn dotted_keys_and_implicit_tables_are_accepted() {
        let text = BASE
            .replace(
                "[model]\nstart_year = 2025\nmax_age = 10\nfunders",
                "model.start_year = 2025\nmodel.max_age = 10\nmodel.funders",
            )
            .replace("\noutcomes = [\"qaly\"]", "\nmodel.outcomes = [\"qaly\"]")
            .replace("reach = { share = 0.1 }", "reach.share = 0.1")
            .replace("[chain.state.care]\ncosts", "[chain.state]\ncare.costs")
            .replace("outcomes = { qaly = -0.1 }", "care.outcomes = { qaly = -0.1 }")
            .replace("p = { dist = \"beta\", mean = 0.2, sd = 0.05 }", "p.dist = \"beta\"\np.mean = 0.2\np.sd = 0.05");
        let m = load(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.settings.start_year, 2025);
        assert_eq!(m.chains[0].state_costs[1].len(), 2);
        // Errors in a table without a span still point at one of its values.
        let bad = text.replace("reach.share = 0.1", "reach.share = 0.1\nreach.participants = 5");
        assert_error(&bad, "test.toml:58:15: intervention.i.reach: reach needs exactly one of");
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_error(
            &BASE.replace("to = \"care\"\nrr", "to = \"care_\"\nrr"),
            "unknown state `care_` in chain `c`; its states are: none, care; did you mean `care`?",
        );
        assert_error(&BASE.replace("funder = \"zvw\"", "funder = \"ZVW\""), "did you mean `zvw`?");
    }

    #[test]
    fn engine_errors_are_reported_at_the_item() {
        // Risk factors in a cycle (c depends on d, d on c): only the engine's
        // check sees it; it still gets a file position.
        let extra = "\n[[chain]]\nname = \"d\"\nkind = \"indicator\"\nstates = [\"x\", \"y\"]\n\
                     initial = [ { ages = \"0-10\", p = [0.5, 0.5] } ]\n[[chain.transitions]]\nmatrix = [ [0.5, 0.5], [0.5, 0.5] ]\n\
                     [[risk_factor]]\nchain = \"c\"\nto = \"care\"\nwhen = \"d.y\"\nrr = 2\n\
                     [[risk_factor]]\nchain = \"d\"\nto = \"y\"\nwhen = \"c.care\"\nrr = 2\n";
        let text = format!("{BASE}{extra}");
        let errs = load(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs}");
        let e = &errs.0[0];
        assert!(e.reason.contains("cycle"), "{e}");
        let first_rf = text[..text.find("[[risk_factor]]").unwrap()].lines().count() + 1;
        assert_eq!(e.line, first_rf, "{e}");
    }

    #[test]
    fn overflowing_distributions_are_errors() {
        let text = BASE.replace("rr = 0.8", "rr = { dist = \"lognormal\", mean = 1, sd = 1e300 }");
        assert_error(&text, "too extreme");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "",
            "[model]",
            "[model]\nstart_year = 2025\nmax_age = 0",
            "[model]\nstart_year = 2025\n[[chain]]\nname = \"c\"\nkind = \"care\"\nstates = []\n[[chain.transitions]]\nmatrix = []",
            "[model]\nstart_year = 2025\nmax_age = 5\n[[area]]\nname = \"a\"\ndemography = \"x\"\npopulation = [{ ages = \"3-99999999999999999999\", count = 1 }]",
            "[model]\nstart_year = 2025\n[[area]]\nname = \"a\"\ndemography = \"x\"\npopulation = [{ ages = \"-\", count = nan }]",
        ] {
            let _ = load(t);
        }
        assert_error(&BASE.replace("count = 50", "count = inf"), "population count must be a number >= 0, got inf");
    }
}
