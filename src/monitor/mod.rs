//! Impact monitoring: observed figures against the simulated bands, and the
//! business case updated with what has been observed.
//!
//! [`observed`] reads the observations. For each draw of a run of the running
//! scenario, [`MonitorSink`] keeps the simulated value of every observation,
//! the parameter values and the business case. [`analyse`] then
//!
//! 1. places every observation in its simulated distribution (percentile,
//!    inside or outside the P5–P95 band) and gives a verdict per measure and
//!    area;
//! 2. updates the uncertain parameters by **importance re-weighting** of the
//!    prior draws: weight ∝ Π likelihood(observation | draw), with the
//!    sampling error in the likelihood (binomial for survey shares, normal with
//!    the given standard error, Poisson for counts). The effective sample size
//!    ESS = (Σw)² / Σw² says how many prior draws the posterior rests on; below
//!    [`MIN_ESS`] the update is refused rather than reported;
//! 3. reports the posterior business case beside the prior one and the
//!    parameters whose mean moved most (in prior standard deviations).

pub mod observed;

use serde::{Deserialize, Serialize};

use crate::ledger::Ledger;
use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
pub use crate::stats::weighted::{ess, normalise, weighted_mean, weighted_quantile};
use observed::{Observation, Quantity, Sampling};

/// Below this effective sample size the posterior is not reported.
pub const MIN_ESS: f64 = 100.0;

/// The simulated value of an observation in one arm's ledger.
pub fn simulated(o: &Observation, arm: &Ledger) -> f64 {
    match o.quantity {
        Quantity::Measure(m) => arm.get_or_total(o.area_slot, o.t, m),
        Quantity::Prevalence { person_years, active } => {
            let a = arm.get_or_total(o.area_slot, o.t, active);
            if a > 0.0 {
                arm.get_or_total(o.area_slot, o.t, person_years) / a
            } else {
                f64::NAN
            }
        }
    }
}

/// ln Γ(x + 1) for x ≥ 0 (Stirling series with a shift; relative error < 1e-10).
fn ln_factorial(x: f64) -> f64 {
    let mut x = x + 1.0;
    let mut acc = 0.0;
    while x < 8.0 {
        acc -= x.ln();
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    acc + (x - 0.5) * x.ln() - x
        + 0.5 * (2.0 * std::f64::consts::PI).ln()
        + inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0))
}

/// Log-likelihood of observing `value` when the model says `sim`.
pub(crate) fn log_likelihood(sampling: Sampling, value: f64, sim: f64) -> f64 {
    if !sim.is_finite() {
        return f64::NEG_INFINITY;
    }
    match sampling {
        Sampling::Binomial { n } => {
            let k = value * n;
            let p = sim.clamp(1e-12, 1.0 - 1e-12);
            ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k) + k * p.ln() + (n - k) * (1.0 - p).ln()
        }
        Sampling::Normal { se } => {
            let z = (value - sim) / se;
            -0.5 * z * z - se.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
        }
        Sampling::Poisson => {
            let lambda = sim.max(1e-12);
            value * lambda.ln() - lambda - ln_factorial(value)
        }
    }
}

/// What the monitor keeps of every draw.
#[derive(Debug, Clone)]
pub struct DrawRecord {
    /// Simulated value of each observation in the running scenario.
    pub sims: Vec<f64>,
    /// The draw's parameter values, in the order of the model's parameter list.
    pub params: Vec<f64>,
    /// The business-case metrics of the running scenario, city total.
    pub metrics: Vec<f64>,
}

/// Collects [`DrawRecord`]s in draw order.
pub struct MonitorSink<'a> {
    /// The observations whose simulated values are kept.
    pub observations: &'a [Observation],
    /// Arm index of the running scenario (1 + scenario index).
    pub arm: usize,
    /// First metric of the running scenario's city total.
    pub metrics_at: usize,
    /// One record per draw, in draw order.
    pub records: Vec<DrawRecord>,
}

impl DrawSink for MonitorSink<'_> {
    fn push(&mut self, ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        let arm = &r.arms[self.arm];
        self.records.push(DrawRecord {
            sims: self.observations.iter().map(|o| simulated(o, arm)).collect(),
            params: r.params.clone(),
            metrics: r.metrics[self.metrics_at..self.metrics_at + ctx.metrics.len()].to_vec(),
        });
        Ok(())
    }
}

/// Missing numbers (NaN) are written as JSON `null`; read them back as NaN.
fn nan_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

fn nan_pair_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(f64, f64), D::Error> {
    let (a, b) = <(Option<f64>, Option<f64>)>::deserialize(d)?;
    Ok((a.unwrap_or(f64::NAN), b.unwrap_or(f64::NAN)))
}

/// Where an observation falls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationCheck {
    /// Line of the observation in the observed figures, 1-based (JSON `line`).
    pub line: u64,
    /// Calendar year observed (JSON `year`).
    pub year: i32,
    /// Area (wijk) name or `totaal` (JSON `area`).
    pub area: String,
    /// Measure observed (JSON `measure`).
    pub measure: String,
    /// Observed value, in the measure's unit (JSON `value`).
    #[serde(deserialize_with = "nan_if_null")]
    pub value: f64,
    /// Share of draws below the observation (with half the ties), in [0, 1].
    #[serde(deserialize_with = "nan_if_null")]
    pub percentile: f64,
    /// 5th percentile of the simulated value over the prior draws (JSON `p5`).
    #[serde(deserialize_with = "nan_if_null")]
    pub p5: f64,
    /// Median of the simulated value (JSON `p50`).
    #[serde(deserialize_with = "nan_if_null")]
    pub p50: f64,
    /// 95th percentile of the simulated value (JSON `p95`).
    #[serde(deserialize_with = "nan_if_null")]
    pub p95: f64,
    /// Whether the observation lies within the P5–P95 band (JSON `inside_band`).
    pub inside_band: bool,
    /// Posterior median of the simulated value (when the update is reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior_p50: Option<f64>,
}

/// On track per measure and area: how many of its observations are inside the band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackVerdict {
    /// Area (wijk) name or `totaal` (JSON `area`).
    pub area: String,
    /// Measure (JSON `measure`).
    pub measure: String,
    /// Number of observations of this measure and area (JSON `observations`).
    pub observations: usize,
    /// How many of them fall inside the P5–P95 band (JSON `inside`).
    pub inside: usize,
    /// `op koers` (all inside the P5–P95 band), `let op` (some outside), `uit koers` (most outside).
    pub verdict: String,
}

/// A business-case figure before and after the update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorPosterior {
    /// Business-case metric, e.g. `npv` (JSON `metric`), amounts in euro.
    pub metric: String,
    /// Mean over the prior draws (JSON `prior_mean`).
    #[serde(deserialize_with = "nan_if_null")]
    pub prior_mean: f64,
    /// Prior 5th percentile (JSON `prior_p5`).
    #[serde(deserialize_with = "nan_if_null")]
    pub prior_p5: f64,
    /// Prior 95th percentile (JSON `prior_p95`).
    #[serde(deserialize_with = "nan_if_null")]
    pub prior_p95: f64,
    /// Importance-weighted posterior mean (JSON `posterior_mean`).
    #[serde(deserialize_with = "nan_if_null")]
    pub posterior_mean: f64,
    /// Posterior 5th percentile (JSON `posterior_p5`).
    #[serde(deserialize_with = "nan_if_null")]
    pub posterior_p5: f64,
    /// Posterior 95th percentile (JSON `posterior_p95`).
    #[serde(deserialize_with = "nan_if_null")]
    pub posterior_p95: f64,
}

/// How far a parameter's mean moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterShift {
    /// Parameter name (JSON `parameter`).
    pub parameter: String,
    /// Prior mean, in the parameter's unit (JSON `prior_mean`).
    #[serde(deserialize_with = "nan_if_null")]
    pub prior_mean: f64,
    /// Posterior mean (JSON `posterior_mean`).
    #[serde(deserialize_with = "nan_if_null")]
    pub posterior_mean: f64,
    /// (posterior mean − prior mean) / prior sd.
    #[serde(deserialize_with = "nan_if_null")]
    pub shift_sd: f64,
    /// Prior 5th percentile (JSON `prior_p5`).
    #[serde(deserialize_with = "nan_if_null")]
    pub prior_p5: f64,
    /// Prior 95th percentile (JSON `prior_p95`).
    #[serde(deserialize_with = "nan_if_null")]
    pub prior_p95: f64,
    /// Posterior 5th percentile (JSON `posterior_p5`).
    #[serde(deserialize_with = "nan_if_null")]
    pub posterior_p5: f64,
    /// Posterior 95th percentile (JSON `posterior_p95`).
    #[serde(deserialize_with = "nan_if_null")]
    pub posterior_p95: f64,
}

/// Everything `wijkimpact monitor` found: `monitor.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorReport {
    /// The running scenario monitored (JSON `scenario`).
    pub scenario: String,
    /// Prior draws simulated (JSON `draws`).
    pub draws: usize,
    /// Every observation placed in its simulated band, in file order (JSON `observations`).
    pub observations: Vec<ObservationCheck>,
    /// On-track verdict per measure and area (JSON `verdicts`).
    pub verdicts: Vec<TrackVerdict>,
    /// Effective sample size of the importance weights.
    #[serde(deserialize_with = "nan_if_null")]
    pub ess: f64,
    /// The effective sample size required to report the update, [`MIN_ESS`] (JSON `min_ess`).
    #[serde(deserialize_with = "nan_if_null")]
    pub min_ess: f64,
    /// True when the posterior is reported (ESS ≥ `min_ess`).
    pub updated: bool,
    /// Why the update is not reported, or what limits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// City-total business-case metrics before and after the update (JSON `business_case`).
    pub business_case: Vec<PriorPosterior>,
    /// Prior and posterior P(NPV > 0).
    #[serde(deserialize_with = "nan_pair_if_null")]
    pub p_npv_positive: (f64, f64),
    /// Parameters by how far their mean moved in prior standard deviations, largest first (JSON `parameters`).
    pub parameters: Vec<ParameterShift>,
}

/// Analyse the records of a run against the observations.
pub fn analyse(
    ctx: &RunContext<'_>,
    scenario: &str,
    observations: &[Observation],
    records: &[DrawRecord],
    min_ess: f64,
) -> MonitorReport {
    let n = records.len();
    let uniform = vec![1.0 / n.max(1) as f64; n];
    let mut checks = place(observations, records, &uniform);
    let verdicts = verdicts(&checks);
    let weights = Weights::of(observations, records, &checks, min_ess);
    let updated = weights.updated;
    let w = weights.w.as_deref().unwrap_or(&uniform);
    if updated {
        for (k, c) in checks.iter_mut().enumerate() {
            let xs: Vec<f64> = records.iter().map(|r| r.sims[k]).collect();
            c.posterior_p50 = Some(weighted_quantile(&xs, w, 0.5));
        }
    }
    let npv_i = ctx.metrics.names.iter().position(|x| x == "npv").unwrap_or(0);
    let positive = |ws: &[f64]| -> f64 {
        // Clamped: rounding in the sums must not print as -0.00.
        (records.iter().zip(ws).filter(|(r, _)| r.metrics[npv_i] > 0.0).map(|(_, w)| w).sum::<f64>()
            / ws.iter().sum::<f64>().max(f64::MIN_POSITIVE))
        .clamp(0.0, 1.0)
            + 0.0 // −0.0 + 0.0 = +0.0
    };
    MonitorReport {
        scenario: scenario.to_string(),
        draws: n,
        observations: checks,
        verdicts,
        ess: weights.ess,
        min_ess,
        updated,
        message: weights.message,
        business_case: business_case(ctx, records, &uniform, updated.then_some(w)),
        p_npv_positive: (positive(&uniform), if updated { positive(w) } else { f64::NAN }),
        parameters: if updated { parameter_shifts(ctx, records, &uniform, w) } else { vec![] },
    }
}

/// Every observation placed in its simulated distribution (`uniform`: the
/// prior weights).
fn place(observations: &[Observation], records: &[DrawRecord], uniform: &[f64]) -> Vec<ObservationCheck> {
    let n = records.len();
    let mut checks = vec![];
    for (k, o) in observations.iter().enumerate() {
        let xs: Vec<f64> = records.iter().map(|r| r.sims[k]).collect();
        let below = xs.iter().filter(|&&x| x < o.value).count() as f64;
        let ties = xs.iter().filter(|&&x| x == o.value).count() as f64;
        checks.push(ObservationCheck {
            line: o.line,
            year: o.year,
            area: o.area.clone(),
            measure: o.measure.clone(),
            value: o.value,
            percentile: (below + 0.5 * ties) / n.max(1) as f64,
            p5: weighted_quantile(&xs, uniform, 0.05),
            p50: weighted_quantile(&xs, uniform, 0.5),
            p95: weighted_quantile(&xs, uniform, 0.95),
            inside_band: false,
            posterior_p50: None,
        });
        let c = checks.last_mut().expect("pushed");
        c.inside_band = o.value >= c.p5 && o.value <= c.p95;
    }
    checks
}

/// The verdict per (area, measure), in order of first observation.
fn verdicts(checks: &[ObservationCheck]) -> Vec<TrackVerdict> {
    let mut verdicts: Vec<TrackVerdict> = vec![];
    for c in checks {
        match verdicts.iter_mut().find(|v| v.area == c.area && v.measure == c.measure) {
            Some(v) => {
                v.observations += 1;
                v.inside += usize::from(c.inside_band);
            }
            None => verdicts.push(TrackVerdict {
                area: c.area.clone(),
                measure: c.measure.clone(),
                observations: 1,
                inside: usize::from(c.inside_band),
                verdict: String::new(),
            }),
        }
    }
    for v in &mut verdicts {
        v.verdict = if v.inside == v.observations {
            "op koers"
        } else if 2 * v.inside >= v.observations {
            "let op"
        } else {
            "uit koers"
        }
        .into();
    }
    verdicts
}

/// The importance weights of the draws and whether they are trusted.
struct Weights {
    /// Normalised weights; `None` when no draw can produce the observations.
    w: Option<Vec<f64>>,
    ess: f64,
    /// True when the posterior is reported (ESS ≥ `min_ess`).
    updated: bool,
    /// Why the update is not reported.
    message: Option<String>,
}

impl Weights {
    fn of(observations: &[Observation], records: &[DrawRecord], checks: &[ObservationCheck], min_ess: f64) -> Self {
        let n = records.len();
        let logw: Vec<f64> = records
            .iter()
            .map(|r| observations.iter().zip(&r.sims).map(|(o, &s)| log_likelihood(o.sampling, o.value, s)).sum())
            .collect();
        let Some(w) = normalise(&logw) else {
            // Name the observations no draw can produce.
            let outside: Vec<String> = observations
                .iter()
                .enumerate()
                .filter(|(k, o)| records.iter().all(|r| !log_likelihood(o.sampling, o.value, r.sims[*k]).is_finite()))
                .map(|(_, o)| format!("line {} ({} {} {} = {})", o.line, o.year, o.area, o.measure, o.value))
                .collect();
            let msg = format!(
                "no draw can produce the observations{}: the model rules them out (a share of 0 or 1, or a \
                 count where the model has none). Check the data, or the model's assumptions for these measures; \
                 no posterior is reported.",
                if outside.is_empty() { String::new() } else { format!(" {}", outside.join(", ")) }
            );
            return Weights { w: None, ess: 0.0, updated: false, message: Some(msg) };
        };
        let e = ess(&w);
        if e < min_ess {
            let worst = checks
                .iter()
                .filter(|c| !c.inside_band)
                .map(|c| format!("line {} ({} {} {})", c.line, c.year, c.area, c.measure))
                .collect::<Vec<_>>();
            let msg = format!(
                "the observations leave an effective sample size of {e:.1} of {n} draws (minimum {min_ess}): \
                 too few draws resemble what was observed to trust a posterior. Run with more draws \
                 (about {:.0} for an ESS of {min_ess}){}",
                (min_ess / e.max(1e-9) * n as f64).min(1e9),
                if worst.is_empty() {
                    String::new()
                } else {
                    format!("; observations outside the P5–P95 band: {}", worst.join(", "))
                }
            );
            return Weights { w: Some(w), ess: e, updated: false, message: Some(msg) };
        }
        Weights { w: Some(w), ess: e, updated: e >= min_ess, message: None }
    }
}

/// The business case of the running scenario, city total, prior and (with
/// `posterior` weights) posterior.
fn business_case(
    ctx: &RunContext<'_>,
    records: &[DrawRecord],
    uniform: &[f64],
    posterior: Option<&[f64]>,
) -> Vec<PriorPosterior> {
    let metric_names = ["npv", "bcr", "pv_benefits", "pv_intervention_costs", "npv_societal"];
    let pos = |name: &str| ctx.metrics.names.iter().position(|x| x == name);
    let mut wanted: Vec<(String, usize)> =
        metric_names.iter().filter_map(|n| pos(n).map(|i| (n.to_string(), i))).collect();
    for (a, &i) in ctx.metrics.pv_net_by_account.iter().enumerate() {
        wanted.push((format!("pv_net/{}", ctx.model.account_label(a)), i));
    }
    let post = |xs: &[f64], f: &dyn Fn(&[f64], &[f64]) -> f64| posterior.map_or(f64::NAN, |w| f(xs, w));
    wanted
        .into_iter()
        .map(|(name, i)| {
            let xs: Vec<f64> = records.iter().map(|r| r.metrics[i]).collect();
            PriorPosterior {
                metric: name,
                prior_mean: weighted_mean(&xs, uniform),
                prior_p5: weighted_quantile(&xs, uniform, 0.05),
                prior_p95: weighted_quantile(&xs, uniform, 0.95),
                posterior_mean: post(&xs, &|xs, w| weighted_mean(xs, w)),
                posterior_p5: post(&xs, &|xs, w| weighted_quantile(xs, w, 0.05)),
                posterior_p95: post(&xs, &|xs, w| weighted_quantile(xs, w, 0.95)),
            }
        })
        .collect()
}

/// The uncertain parameters whose mean moved, most moved first.
fn parameter_shifts(ctx: &RunContext<'_>, records: &[DrawRecord], uniform: &[f64], w: &[f64]) -> Vec<ParameterShift> {
    let n = records.len();
    let mut parameters = vec![];
    for (s, name) in ctx.model.params.slot_names().iter().enumerate() {
        let xs: Vec<f64> = records.iter().map(|r| r.params[s]).collect();
        let m0 = weighted_mean(&xs, uniform);
        let sd0 = (xs.iter().map(|x| (x - m0).powi(2)).sum::<f64>() / (n.max(2) - 1) as f64).sqrt();
        if sd0 <= 0.0 {
            continue;
        }
        let m1 = weighted_mean(&xs, w);
        parameters.push(ParameterShift {
            parameter: name.clone(),
            prior_mean: m0,
            posterior_mean: m1,
            shift_sd: (m1 - m0) / sd0,
            prior_p5: weighted_quantile(&xs, uniform, 0.05),
            prior_p95: weighted_quantile(&xs, uniform, 0.95),
            posterior_p5: weighted_quantile(&xs, w, 0.05),
            posterior_p95: weighted_quantile(&xs, w, 0.95),
        });
    }
    parameters.sort_by(|a, b| b.shift_sd.abs().total_cmp(&a.shift_sd.abs()));
    parameters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_factorial_matches_exact_values() {
        for (x, exact) in [(0.0, 0.0), (1.0, 0.0), (5.0, 120f64.ln()), (10.0, 3_628_800f64.ln())] {
            assert!((ln_factorial(x) - exact).abs() < 1e-9, "{x}");
        }
    }

    #[test]
    fn likelihoods_peak_at_the_observation() {
        let b = |p| log_likelihood(Sampling::Binomial { n: 100.0 }, 0.3, p);
        assert!(b(0.3) > b(0.25) && b(0.3) > b(0.35));
        // Binomial: the probabilities of 0..=n sum to 1.
        let total: f64 =
            (0..=20).map(|k| log_likelihood(Sampling::Binomial { n: 20.0 }, k as f64 / 20.0, 0.37).exp()).sum();
        assert!((total - 1.0).abs() < 1e-9);
        let p = |l| log_likelihood(Sampling::Poisson, 12.0, l);
        assert!(p(12.0) > p(10.0) && p(12.0) > p(14.0));
        let g = |m| log_likelihood(Sampling::Normal { se: 2.0 }, 5.0, m);
        assert!((g(5.0) - g(7.0) - 0.5).abs() < 1e-12);
    }
}
