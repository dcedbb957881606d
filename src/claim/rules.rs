//! Step two of loading an application: the rules of the application format
//! itself, checked against the city model it names (years within the
//! horizon, a target group with people, known funders, taakvelden and
//! chains, evidence for every effect, one figure per claim). What the
//! scenario format already checks (distributions, age bands, state names) is
//! left to the scenario validator in step four ([`super::validate`]).

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::file::{ApplicationFile, ClaimSpec, InitiativeSpec};
use super::result::{ClaimKind, Thresholds};
use super::validate::{Claim, Target};
use crate::model::Model;
use crate::scenario::recover::Edits;
use crate::scenario::{ScenarioError, ScenarioErrors};

/// Errors found in the application, each placed in its text.
pub(crate) struct Errs<'a> {
    pub path: &'a Path,
    /// The text the application's spans point into.
    pub text: &'a str,
    pub list: Vec<ScenarioError>,
    /// The application as written and how `text` differs from it, when it
    /// had key or type errors (see `scenario::recover`).
    pub repaired: Option<(&'a str, &'a Edits)>,
}

impl Errs<'_> {
    /// An error at `span` of `text`, placed in the application as written;
    /// dropped when about a placeholder of the repair (already reported).
    pub fn at(&mut self, span: Range<usize>, field: impl Into<String>, reason: impl Into<String>) {
        let field = field.into();
        let e = match self.repaired {
            Some((_, edits)) if edits.about_placeholder(&span, &field) => return,
            Some((written, edits)) => {
                let at = edits.original(span.start);
                ScenarioError::at(self.path, written, at..at, field, reason)
            }
            None => ScenarioError::at(self.path, self.text, span, field, reason),
        };
        self.list.push(e);
    }

    /// Every error found, the application's by position, then `more` (the
    /// city's, already in order).
    pub fn sorted(mut self, more: Vec<ScenarioError>) -> ScenarioErrors {
        self.list.sort_by_key(|e| (e.line, e.column));
        self.list.extend(more);
        ScenarioErrors(self.list)
    }
}

/// What the rules establish about an application: its numbers, read and
/// checked, and its claims resolved against the city model.
#[derive(Debug)]
pub(crate) struct Checked {
    pub start_year: i64,
    pub years: i64,
    /// `(ages, count)` of each band of the target group.
    pub group: Vec<(String, f64)>,
    /// People in the target group.
    pub size: f64,
    pub participants: f64,
    /// The funder whose NPV the break-even effect is solved for.
    pub funder: usize,
    pub claims: Vec<Claim>,
    pub thresholds: Thresholds,
}

/// Check the application against the city model `cm`; every problem found
/// goes to `errs` (the numbers returned are then not to be used).
pub(crate) fn check(file: &ApplicationFile, cm: &Model, errs: &mut Errs) -> Checked {
    let ini = &file.initiative;
    let (start_year, years) = (*ini.start_year.get_ref(), *ini.years.get_ref());
    years_rule(ini, cm, errs);
    let (group, size, participants) = target_group(ini, errs);
    costs(ini, cm, errs);
    let funder = match &file.application.funder {
        Some(f) => funder_of(cm, f, "application.funder", errs).unwrap_or(0),
        None => ini
            .costs
            .first()
            .and_then(|c| cm.funders.iter().position(|x| x == c.get_ref().funder.get_ref()))
            .unwrap_or(0),
    };
    effects(file, cm, errs);
    if file.claim.is_empty() {
        errs.at(0..0, "claim", "an application needs at least one [[claim]] (the return it promises)");
    }
    let ctx = ClaimContext { cm, funder, start_year, years };
    let claims = file.claim.iter().enumerate().filter_map(|(i, c)| claim(&ctx, c, i, errs)).collect();
    let thresholds = thresholds(file, errs);
    Checked { start_year, years, group, size, participants, funder, claims, thresholds }
}

/// The initiative starts in or after the city model's first year (the
/// target group is who it is then) and ends within the model's horizon.
fn years_rule(ini: &InitiativeSpec, cm: &Model, errs: &mut Errs) {
    let (start_year, years) = (*ini.start_year.get_ref(), *ini.years.get_ref());
    let first = cm.settings.start_year as i64;
    let last = start_year + cm.settings.n_years() as i64 - 1;
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
}

/// The target group's bands, its size and the participants per year.
fn target_group(ini: &InitiativeSpec, errs: &mut Errs) -> (Vec<(String, f64)>, f64, f64) {
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
    (group, size, participants)
}

/// The funder named `name`, or an error listing the city model's funders.
fn funder_of(cm: &Model, name: &Spanned<String>, field: &str, errs: &mut Errs) -> Option<usize> {
    let f = cm.funders.iter().position(|x| x == name.get_ref());
    if f.is_none() {
        errs.at(
            name.span(),
            field,
            format!("unknown funder `{}`; the city model has: {}", name.get_ref(), cm.funders.join(", ")),
        );
    }
    f
}

/// Every cost line names a known funder and taakveld and exactly one amount.
fn costs(ini: &InitiativeSpec, cm: &Model, errs: &mut Errs) {
    for (i, c) in ini.costs.iter().enumerate() {
        let cs = c.get_ref();
        let field = format!("initiative.costs[{i}]");
        funder_of(cm, &cs.funder, &format!("{field}.funder"), errs);
        if let Some(code) = &cs.taakveld {
            if !cm.taakvelden.iter().any(|t| &t.code == code.get_ref()) {
                let codes: Vec<&str> = cm.taakvelden.iter().map(|t| t.code.as_str()).collect();
                errs.at(
                    code.span(),
                    format!("{field}.taakveld"),
                    format!("unknown taakveld `{}`; the city model has: {}", code.get_ref(), codes.join(", ")),
                );
            }
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
}

/// Every effect has its evidence (an effect size and where it comes from)
/// and acts on a chain of the city model.
fn effects(file: &ApplicationFile, cm: &Model, errs: &mut Errs) {
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
}

/// `[verdict]`: the thresholds on P(reached), defaults where not given.
fn thresholds(file: &ApplicationFile, errs: &mut Errs) -> Thresholds {
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
    thresholds
}

/// What a claim is resolved against.
struct ClaimContext<'a> {
    /// The city model.
    cm: &'a Model,
    /// The application's funder (savings claims without a funder are its).
    funder: usize,
    start_year: i64,
    years: i64,
}

/// One `[[claim]]` with the field path of its errors.
struct ClaimAt<'a> {
    spec: &'a Spanned<ClaimSpec>,
    field: String,
}

impl ClaimAt<'_> {
    fn cs(&self) -> &ClaimSpec {
        self.spec.get_ref()
    }
}

/// Validate one `[[claim]]`.
fn claim(ctx: &ClaimContext, c: &Spanned<ClaimSpec>, i: usize, errs: &mut Errs) -> Option<Claim> {
    let at = ClaimAt { spec: c, field: format!("claim[{i}]") };
    let cs = at.cs();
    let field = &at.field;
    let given: Vec<(&str, &Spanned<f64>)> = [
        ("per_year", &cs.per_year),
        ("pv", &cs.pv),
        ("total_pv", &cs.total_pv),
        ("bcr", &cs.bcr),
        ("social_pv", &cs.social_pv),
        ("bcr_societal", &cs.bcr_societal),
        ("avoided_starts", &cs.avoided_starts),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    if given.len() != 1 {
        errs.at(
            c.span(),
            field,
            "give exactly one claimed figure: per_year or pv (with taakveld), total_pv, bcr, social_pv, bcr_societal, \
             or avoided_starts (with chain)",
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
    let claim = |label: String, kind, target| Some(Claim { label, kind, target, claimed });
    match key {
        "per_year" => per_year_claim(ctx, &at, label, claimed, errs),
        "pv" => {
            let (a, name) = account(ctx, &at, key, errs)?;
            let label = label.unwrap_or_else(|| format!("besparing {name}, contante waarde"));
            claim(label, ClaimKind::SavingsPv, Target::SavingsPv { account: a })
        }
        "total_pv" => {
            let label = label.unwrap_or_else(|| "totale besparing, contante waarde".into());
            claim(label, ClaimKind::SavingsTotalPv, Target::TotalPv)
        }
        "bcr" => {
            if claimed < 0.0 {
                errs.at(value.span(), format!("{field}.bcr"), "a benefit/cost ratio is >= 0");
                return None;
            }
            claim(label.unwrap_or_else(|| "baten/kostenverhouding".into()), ClaimKind::Bcr, Target::Bcr)
        }
        "social_pv" | "bcr_societal" => {
            if !values_welfare(ctx.cm) {
                errs.at(
                    value.span(),
                    format!("{field}.{key}"),
                    format!(
                        "the city model values no welfare: its files have no [valuation] (euros per QALY or \
                         WELLBY), so a {key} claim has nothing to be checked against; claim avoided costs \
                         (pv, total_pv, bcr) or name the welfare in [initiative] pm"
                    ),
                );
                return None;
            }
            if key == "social_pv" {
                let label = label.unwrap_or_else(|| "maatschappelijke waarde, contante waarde".into());
                return claim(label, ClaimKind::SocialPv, Target::SocialPv);
            }
            if claimed < 0.0 {
                errs.at(value.span(), format!("{field}.bcr_societal"), "a benefit/cost ratio is >= 0");
                return None;
            }
            let label = label.unwrap_or_else(|| "maatschappelijke baten/kostenverhouding".into());
            claim(label, ClaimKind::BcrSocietal, Target::BcrSocietal)
        }
        _ => avoided_starts_claim(ctx, &at, label, value, errs),
    }
}

/// True when the city model values at least one outcome (QALY, WELLBY) in
/// money through `[valuation]`: only then is there welfare to claim.
fn values_welfare(cm: &Model) -> bool {
    cm.valuation.iter().any(Option::is_some)
}

/// A `per_year` claim: avoided costs on an account, averaged over its years.
fn per_year_claim(
    ctx: &ClaimContext,
    at: &ClaimAt,
    label: Option<String>,
    claimed: f64,
    errs: &mut Errs,
) -> Option<Claim> {
    let (cs, field) = (at.cs(), &at.field);
    let (a, name) = account(ctx, at, "per_year", errs)?;
    let (y0, y1) = match &cs.years {
        Some(y) => match y.get_ref().as_slice() {
            [a, b] if a <= b => (*a, *b),
            _ => {
                errs.at(y.span(), format!("{field}.years"), "write the years as [first, last]");
                return None;
            }
        },
        None => (ctx.start_year, ctx.start_year + ctx.years - 1),
    };
    let first = ctx.start_year;
    let horizon = ctx.cm.settings.n_years() as i64;
    if y0 < first || y1 > first + horizon - 1 {
        let span = cs.years.as_ref().map(|y| y.span()).unwrap_or(at.spec.span());
        errs.at(span, format!("{field}.years"), format!("must lie within {first}–{}", first + horizon - 1));
        return None;
    }
    Some(Claim {
        label: label.unwrap_or_else(|| format!("besparing {name} per jaar ({y0}–{y1})")),
        kind: ClaimKind::SavingsPerYear,
        target: Target::SavingsPerYear { account: a, first: (y0 - first) as usize, last: (y1 - first) as usize },
        claimed,
    })
}

/// An `avoided_starts` claim: avoided starts of a chain (care trajectory).
fn avoided_starts_claim(
    ctx: &ClaimContext,
    at: &ClaimAt,
    label: Option<String>,
    value: &Spanned<f64>,
    errs: &mut Errs,
) -> Option<Claim> {
    let (cs, field, cm) = (at.cs(), &at.field, ctx.cm);
    let Some(ch) = &cs.chain else {
        errs.at(at.spec.span(), format!("{field}.chain"), "an avoided_starts claim names the chain (care trajectory)");
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
    let claimed = *value.get_ref();
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

/// The account a savings claim (`key`) is measured on, and its label
/// (`gemeente/6.72`, or a funder without taakvelden such as the zorgverzekeraar).
fn account(ctx: &ClaimContext, at: &ClaimAt, key: &str, errs: &mut Errs) -> Option<(usize, String)> {
    let (cs, field, cm) = (at.cs(), &at.field, ctx.cm);
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
        None => cm.funders.get(ctx.funder).cloned().unwrap_or_default(),
    };
    let Some(tv) = &cs.taakveld else {
        // A funder without taakvelden (the zorgverzekeraar) is an account by itself.
        if let Some(a) = (0..cm.accounts.len()).find(|&a| cm.account_label(a) == fname) {
            return Some((a, fname));
        }
        errs.at(at.spec.span(), format!("{field}.taakveld"), format!("a {key} claim names the taakveld it saves on"));
        return None;
    };
    let wanted = format!("{fname}/{}", tv.get_ref());
    if let Some(a) = (0..cm.accounts.len()).find(|&a| cm.account_label(a) == wanted) {
        return Some((a, wanted));
    }
    let known: Vec<String> = (0..cm.accounts.len()).map(|a| cm.account_label(a)).collect();
    let why = if cm.taakvelden.iter().any(|t| &t.code == tv.get_ref()) {
        format!("the city model books no care costs of {fname} on taakveld {}", tv.get_ref())
    } else {
        format!("unknown taakveld `{}`", tv.get_ref())
    };
    errs.at(tv.span(), format!("{field}.taakveld"), format!("{why}; accounts with costs: {}", known.join(", ")));
    None
}
