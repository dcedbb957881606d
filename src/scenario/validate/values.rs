//! Numbers wherever a section takes one: a literal, a named `[parameters]`
//! entry or an inline distribution, checked against what the number means
//! ([`Domain`]). Also builds distributions from their tables (exactly one key
//! set per family) and rejects ones whose derived parameters overflow.

use std::ops::Range;

use toml::Spanned;

use super::common::num;
use super::names::{hint, list_or_none, sorted};
use super::V;
use crate::dist::{DistError, Distribution};
use crate::model::Value;
use crate::scenario::file::{DistSpec, NumOrList, ValueSpec};

/// What a number means, which fixes the values it may take. Checked against a
/// literal, or against a distribution's `support()`: a parameter that can be
/// sampled outside its domain would make the engine clamp silently. Each
/// domain also has a plausible magnitude ([`Domain::limit`]), far beyond any
/// real municipal figure: a finite but huge number (`1e308`) would overflow
/// the results into infinities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Domain {
    /// [0, 1]: matrix and initial entries, q, shares, drop-off, SROI fields.
    Probability,
    /// [0, 1e6]: a multiplier on a transition.
    RelativeRisk,
    /// [0, 10]: births per person or per woman per year.
    Rate,
    /// [0, 1e9]: a number of people (participants).
    Count,
    /// [0, 1e6]: a multiplier on reach.
    Multiplier,
    /// [−1e12, 1e12] euros: costs and social value.
    Money,
    /// [−1e9, 1e9]: a net number of people per year (net migration).
    NetCount,
    /// [−1e6, 1e6]: outcome units per person-year (QALY, WELLBY weights).
    Outcome,
    /// [0, 1e12] euros: a price (euros per QALY or WELLBY in `[valuation]`).
    Price,
}

pub(super) use crate::scenario::{MAX_AMOUNT, MAX_PEOPLE};

impl Domain {
    /// The sign constraint a distribution's whole support must respect.
    fn bounds(self) -> (f64, f64) {
        match self {
            Domain::Probability => (0.0, 1.0),
            Domain::Money | Domain::NetCount | Domain::Outcome => (f64::NEG_INFINITY, f64::INFINITY),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// The largest magnitude a value may plausibly take.
    pub(super) fn limit(self) -> f64 {
        match self {
            Domain::Probability => 1.0,
            Domain::RelativeRisk | Domain::Multiplier | Domain::Outcome => 1e6,
            Domain::Rate => 10.0,
            Domain::Count | Domain::NetCount => MAX_PEOPLE,
            Domain::Money | Domain::Price => MAX_AMOUNT,
        }
    }

    /// What a derived value used in `field` must lie in, checked in every draw.
    pub(super) fn derived_limit(self, field: &str) -> crate::model::DerivedLimit {
        let (lo, hi) = self.bounds();
        let (low, high) = (lo.max(-self.limit()), hi.min(self.limit()));
        let what = match self {
            Domain::Probability => "a probability",
            Domain::RelativeRisk => "a relative risk",
            Domain::Rate => "a birth rate",
            Domain::Count => "a number of people",
            Domain::Multiplier => "a multiplier",
            Domain::Money => "an amount in euros",
            Domain::Price => "a price in euros",
            Domain::NetCount => "a net number of people",
            Domain::Outcome => "an outcome weight",
        };
        let what = format!("{what} between {} and {}", big_or_num(low), big_or_num(high));
        crate::model::DerivedLimit { field: field.to_string(), low, high, what }
    }

    /// The rule of [`Domain::limit`], in words.
    fn limit_rule(self) -> &'static str {
        match self {
            Domain::Probability => "a probability lies between 0 and 1",
            Domain::RelativeRisk => "a relative risk must be at most 1e6",
            Domain::Rate => "a birth rate must be at most 10 per person per year",
            Domain::Count => "a number of people must be at most 1e9",
            Domain::Multiplier => "a multiplier must be at most 1e6",
            Domain::Money => "an amount of money must lie between -1e12 and 1e12 euros (a thousand billion)",
            Domain::Price => "a price must be at most 1e12 euros (a thousand billion)",
            Domain::NetCount => "a net number of people must lie between -1e9 and 1e9 per year",
            Domain::Outcome => "an outcome weight must lie between -1e6 and 1e6 per person-year",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Domain::Probability => "a probability",
            Domain::RelativeRisk => "a relative risk",
            Domain::Rate => "a rate",
            Domain::Count => "a number of people",
            Domain::Multiplier => "a multiplier",
            Domain::Price => "a price in euros",
            Domain::Money | Domain::NetCount | Domain::Outcome => "a number",
        }
    }

    fn allowed(self) -> &'static str {
        match self {
            Domain::Probability => "must lie between 0 and 1",
            Domain::Money | Domain::NetCount | Domain::Outcome => "must be a finite number",
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
            Domain::Price => "use a gamma, lognormal or a pert with low >= 0 for a price",
            Domain::Money | Domain::NetCount | Domain::Outcome => "",
        }
    }
}

/// A large number for a message: `2.5e12`, or "more than 1e308" for infinity.
fn big(x: f64) -> String {
    if x.is_finite() {
        format!("{x:e}")
    } else {
        "more than 1e308".to_string()
    }
}

/// `0`, `1`, `-1e12`: small numbers as written, large ones in `e` notation.
fn big_or_num(x: f64) -> String {
    if x.abs() >= 1e6 {
        format!("{x:e}")
    } else {
        num(x)
    }
}

/// The largest magnitude a distribution plausibly reaches: its bounds, or
/// six standard deviations out (in log space for a lognormal), which about
/// one draw in a billion exceeds.
fn reach(d: &Distribution) -> f64 {
    match *d {
        Distribution::Normal { mean, sd } => mean.abs() + 6.0 * sd,
        Distribution::LogNormal { mu, sigma } => (mu + 6.0 * sigma).exp(),
        Distribution::Gamma { shape, scale } => shape * scale + 6.0 * shape.sqrt() * scale,
        Distribution::Uniform { low, high }
        | Distribution::Triangular { low, high, .. }
        | Distribution::Pert { low, high, .. } => low.abs().max(high.abs()),
        Distribution::Beta { .. } | Distribution::Dirichlet { .. } => 1.0,
    }
}

/// A `[parameters]` entry after validation.
#[derive(Debug, Clone)]
pub(super) struct NamedParam {
    pub(super) offset: usize,
    /// Index in the parameter table.
    pub(super) index: usize,
    pub(super) dist: Distribution,
}

impl V<'_> {
    /// Record that `field` uses named parameter `index`.
    pub(super) fn used(&mut self, index: usize, field: &str) {
        let u = &mut self.params.params[index].used_by;
        if !u.iter().any(|x| x == field) {
            u.push(field.to_string());
        }
    }

    /// Check a literal or a distribution's support against a domain, and
    /// `reach` (the literal's magnitude, or the distribution's [`reach`])
    /// against the domain's plausible magnitude.
    #[allow(clippy::too_many_arguments)]
    fn check_domain(
        &mut self,
        f: usize,
        span: Range<usize>,
        field: &str,
        dom: Domain,
        support: (f64, f64),
        what: &str,
        reach: f64,
    ) -> bool {
        let (dlo, dhi) = dom.bounds();
        let (lo, hi) = support;
        if lo >= dlo && hi <= dhi {
            // NaN-safe: a reach that is not a number is beyond any limit.
            if dom == Domain::Probability || reach <= dom.limit() {
                return true;
            }
            let reason = if what.is_empty() {
                format!("{} is too large: {}; a larger number would overflow the results", big(reach), dom.limit_rule())
            } else {
                format!(
                    "{what} can reach {} (its bounds, or six standard deviations out): {}; a larger number would overflow the results",
                    big(reach),
                    dom.limit_rule()
                )
            };
            self.err(f, span, field, reason);
            return false;
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
    pub(super) fn value(&mut self, f: usize, v: &Spanned<ValueSpec>, field: &str, dom: Domain) -> Value {
        let span = v.span();
        match v.get_ref() {
            ValueSpec::Number(x) => {
                if !x.is_finite() {
                    self.err(f, span, field, format!("{x} is not a finite number"));
                    return Value::Fixed(0.0);
                }
                if self.check_domain(f, span, field, dom, (*x, *x), "", x.abs()) {
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
            ValueSpec::Name(n) => self.name_or_expr(f, span, n, field, dom),
            ValueSpec::Dist(d) if d.expr.is_some() => self.expr_table(f, span, d, field, dom),
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
                self.check_domain(f, span, field, dom, dist.support(), &what, reach(&dist));
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                Value::Slot(self.params.push(field.to_string(), dist, note, false))
            }
        }
    }

    /// A scalar Value given by the name of a `[parameters]` entry.
    pub(super) fn named_value(&mut self, f: usize, span: Range<usize>, n: &str, field: &str, dom: Domain) -> Value {
        if let Some(d) = self.derived_named.get(n).copied() {
            return self.use_derived(f, span, d, field, dom);
        }
        match self.named.get(n).cloned() {
            None => {
                let known = sorted(self.named.keys().chain(self.derived_named.keys()));
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
                self.check_domain(f, span, field, dom, p.dist.support(), &what, reach(&p.dist));
                self.used(p.index, field);
                Value::Slot(p.offset)
            }
        }
    }

    /// [`Self::value`] of an optional key, `default` when it is absent.
    pub(super) fn opt_value(
        &mut self,
        f: usize,
        v: Option<&Spanned<ValueSpec>>,
        field: &str,
        dom: Domain,
        default: f64,
    ) -> Value {
        match v {
            Some(v) => self.value(f, v, field, dom),
            None => Value::Fixed(default),
        }
    }

    /// Build a distribution from its table: exactly one key set of the named
    /// family, then the validated constructor (its message is the reason).
    pub(super) fn dist(&mut self, f: usize, d: &DistSpec, span: Range<usize>, field: &str) -> Option<Distribution> {
        if let Some(e) = &d.expr {
            let reason = "an expression (`expr`) is not allowed here: a distribution is needed";
            self.err(f, e.span(), format!("{field}.expr"), reason);
            return None;
        }
        if d.dist_missing() {
            self.err(f, span, field, "missing required key `dist` (normal, lognormal, beta, gamma, uniform, triangular, pert or dirichlet), or `expr` for an expression of other parameters");
            return None;
        }
        let first_key = self.key_set(f, d, span.clone(), field)?;
        let kind = d.dist.get_ref().as_str();
        match self.construct(f, d, span.clone(), field, first_key)? {
            Ok(dist) if !finite_params(&dist) => {
                self.err(f, span, field, format!("these {kind} parameters are too extreme to compute with (a derived parameter overflows); check the numbers"));
                None
            }
            Ok(dist) if !self.dist_states_fit(f, d, &dist, field) => None,
            Ok(dist) => Some(dist),
            Err(e) => {
                self.err(f, span, field, e.to_string());
                None
            }
        }
    }

    /// The first key of the one key set of its family that a distribution
    /// table gives; `None` (reported) for an unknown family or any other keys.
    fn key_set(&mut self, f: usize, d: &DistSpec, span: Range<usize>, field: &str) -> Option<&'static str> {
        let present = d.parameter_keys();
        let kind = d.dist.get_ref().as_str();
        let sets: &[&[&'static str]] = match kind {
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
        if let Some(set) = sets.iter().find(|s| matches(s)) {
            return Some(set[0]);
        }
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
        None
    }

    /// Call the constructor for the key set starting with `first_key`. `None`
    /// when a key has the wrong shape (reported here); the constructor's own
    /// verdict otherwise.
    fn construct(
        &mut self,
        f: usize,
        d: &DistSpec,
        span: Range<usize>,
        field: &str,
        first_key: &str,
    ) -> Option<Result<Distribution, DistError>> {
        let g = |x: &Option<Spanned<f64>>| x.as_ref().map_or(f64::NAN, |s| *s.get_ref());
        let alpha = d.alpha.as_ref().map(|a| a.get_ref());
        let wrong_alpha = |v: &mut Self, reason: &str| {
            let sp = d.alpha.as_ref().map_or(span.clone(), |a| a.span());
            v.err(f, sp, format!("{field}.alpha"), reason);
            None
        };
        Some(match (d.dist.get_ref().as_str(), first_key) {
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
            ("beta", "alpha") => match alpha {
                Some(NumOrList::Num(a)) => Distribution::beta(*a, g(&d.beta)),
                _ => return wrong_alpha(self, "for a beta, alpha must be a single number (a list is for a dirichlet)"),
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
            (_, "alpha") => match alpha {
                Some(NumOrList::List(a)) => Distribution::dirichlet(a.clone()),
                _ => return wrong_alpha(self, "for a dirichlet, alpha must be a list with one number per state"),
            },
            _ => Distribution::dirichlet(d.counts.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default()),
        })
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
pub(super) fn scale(d: &Distribution, k: f64) -> Option<Distribution> {
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
