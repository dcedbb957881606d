//! The check itself: simulate the application, compare every claimed figure
//! with its simulated distribution, and solve for effect sizes.
//!
//! **Probabilities** come from a normal run (`draws` draws, the application's
//! mode: stochastic by default for small groups, so a group of forty families
//! shows the spread that chance at person level really gives).
//!
//! **Effect sizes** are solved on the effect multiplier λ: every assumed
//! effect's relative risk is set to its evidence mean raised to λ, the same in
//! every draw (λ = 0 no effect, λ = 1 the assumed effect; for rr < 1 a larger
//! λ is a stronger effect, and so for rr > 1). The other uncertain parameters
//! keep their sampled values, draw by draw. The solves run in the check's own
//! mode on the first `solve_draws` draws with common random numbers (the same
//! parameters and, in stochastic mode, the same person-level chance at every
//! λ), so the effect needed for a claim agrees with the probabilities: for a
//! small group whose median saving is zero, the needed effect is the one that
//! makes the median reach the claim. The targets increase with λ (in
//! stochastic mode in steps); a bracketing search (regula falsi) on [0, [`LAMBDA_MAX`]]
//! converges to within [`LAMBDA_TOL`].

use rayon::prelude::*;

use super::result::{
    ApplicationInfo, Band, Bins, CheckRun, ClaimKind, ClaimOutcome, ClaimReport, CostInfo, EffectInfo, Level, Levels,
    Solve, SolvedEffect, Spread, CLAIM_FORMAT_VERSION,
};
use super::validate::{Application, Claim, Target};
use crate::business;
use crate::model::{Effect, Mode, Model, Value};
use crate::params;
use crate::runner::{self, DrawResult, DrawSink, RunContext, RunError, RunOptions, SinkError};
use crate::stats::type7;

/// Upper end of the searched effect multiplier.
pub const LAMBDA_MAX: f64 = 10.0;
/// Absolute tolerance on λ.
pub const LAMBDA_TOL: f64 = 0.005;
/// The published range of benefit/cost ratios in the social domain (SEOR 2020, Regioplan 2011,
/// Gezinshuizen 2015; see docs/sources.md).
pub(crate) const PUBLISHED_BCR: (f64, f64) = (1.3, 2.2);
/// A claimed ratio above this should trigger review: far above the published cases (a rule of
/// thumb, not a published threshold).
pub(crate) const BCR_REVIEW: f64 = 3.0;
/// Groups up to this many people are simulated in stochastic mode by default.
pub const STOCHASTIC_UP_TO: f64 = 1000.0;
/// Bins of each claim's histogram.
pub(crate) const BINS: usize = 30;

/// How to run a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Monte Carlo draws for the probabilities (`--draws`).
    pub draws: u64,
    /// Seed of the random streams (`--seed`): same seed, same numbers.
    pub seed: u64,
    /// `None`: stochastic for groups up to [`STOCHASTIC_UP_TO`] people, cohort above.
    pub mode: Option<Mode>,
    /// Worker threads, 0 for all cores (`--threads`); never changes a number.
    pub threads: usize,
    /// Draws per evaluation in the solves (at most `draws`).
    pub solve_draws: u64,
}

/// The mode a check runs in.
pub(crate) fn mode_for(app: &Application, opts: &CheckOptions) -> Mode {
    opts.mode.unwrap_or(if app.group_size() <= STOCHASTIC_UP_TO { Mode::Stochastic } else { Mode::Cohort })
}

/// Metric positions the check reads.
struct Probe {
    /// The application's scenario (the city file may bring its own).
    scenario: usize,
    base: usize,
    npv: usize,
    bcr: usize,
    pv_benefits: usize,
    pv_welfare: usize,
    npv_societal: usize,
    bcr_societal: usize,
    funder_accounts: Vec<usize>,
}

impl Probe {
    fn new(app: &Application, ctx: &RunContext<'_>) -> Self {
        let model = app.model();
        let scenario = app.scenario_index();
        let total = ctx.n_area_slots() - 1;
        let pos = |n: &str| ctx.metrics.names.iter().position(|x| x == n).expect("a business metric");
        Probe {
            scenario,
            base: ctx.metric_index(scenario, total, 0),
            npv: pos("npv"),
            bcr: pos("bcr"),
            pv_benefits: business::PV_BENEFITS,
            pv_welfare: business::PV_WELFARE,
            npv_societal: business::NPV_SOCIETAL,
            bcr_societal: business::BCR_SOCIETAL,
            funder_accounts: (0..model.accounts.len()).filter(|&a| model.accounts[a].funder == app.funder).collect(),
        }
    }

    /// `[claim values…, funder NPV, NPV, B/C, maatschappelijk NPV, maatschappelijk B/C]` of one draw.
    fn values(&self, app: &Application, ctx: &RunContext<'_>, r: &DrawResult) -> Vec<f64> {
        let m = &r.metrics[self.base..self.base + ctx.metrics.len()];
        let mut out = Vec::with_capacity(app.claims.len() + EXTRA);
        let sc = &app.model().scenarios[self.scenario];
        let f = sc.sroi.factor(&r.params);
        for c in &app.claims {
            out.push(match &c.target {
                Target::SavingsPv { account } => m[ctx.metrics.pv_benefits_by_account[*account]],
                Target::TotalPv => m[self.pv_benefits],
                Target::Bcr => m[self.bcr],
                Target::SocialPv => m[self.pv_welfare],
                Target::BcrSocietal => m[self.bcr_societal],
                Target::AvoidedStarts { chain } => m[ctx.metrics.avoided_starts_by_chain[*chain]],
                Target::SavingsPerYear { account, first, last } => {
                    let measure = ctx.measures.care_cost[*account];
                    let saved: f64 = (*first..=*last)
                        .map(|t| r.arms[0].total(t, measure) - r.arms[1 + self.scenario].total(t, measure))
                        .sum();
                    saved * f / (last - first + 1) as f64
                }
            });
        }
        out.push(self.funder_accounts.iter().map(|&a| m[ctx.metrics.pv_net_by_account[a]]).sum());
        out.push(m[self.npv]);
        out.push(m[self.bcr]);
        out.push(m[self.npv_societal]);
        out.push(m[self.bcr_societal]);
        out
    }
}

/// Values per draw after the claims: funder NPV, NPV, B/C and the maatschappelijk NPV and B/C.
const EXTRA: usize = 5;

/// Collects each draw's values, in draw order.
struct Collect<'a> {
    app: &'a Application,
    probe: &'a Probe,
    rows: Vec<Vec<f64>>,
}

impl DrawSink for Collect<'_> {
    fn push(&mut self, ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        self.rows.push(self.probe.values(self.app, ctx, r));
        Ok(())
    }
}

fn sorted_finite(xs: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = xs.filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Share of `xs` at or above `claim`; a draw without a value (a B/C without
/// costs) does not reach anything.
pub(crate) fn p_reached(xs: &[f64], claim: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.iter().filter(|&&x| x.is_finite() && x >= claim - 1e-9 * claim.abs().max(1.0)).count() as f64 / xs.len() as f64
}

/// Mean and 5–95 % interval of the finite values.
fn band(xs: &[f64]) -> Band {
    let s = sorted_finite(xs.iter().copied());
    Band { mean: s.iter().sum::<f64>() / s.len().max(1) as f64, p5: type7(&s, 0.05), p95: type7(&s, 0.95) }
}

/// One level of the business case from its NPV and B/C per draw.
fn level(npv: &[f64], bcr: &[f64]) -> Level {
    Level { npv: band(npv), bcr: band(bcr), p_npv_positive: spread(npv).p_positive }
}

/// The review flags of a claimed benefit/cost ratio. [`PUBLISHED_BCR`] comes
/// from social-domain MKBA/SROI studies whose benefits include welfare, so it
/// is the yardstick of a *maatschappelijk* ratio (`bcr_societal`): above its
/// top `bcr_above_published_range`, above [`BCR_REVIEW`] also
/// `bcr_far_above_published_range`. A *financieel* ratio (`bcr`: avoided costs
/// only) above the band's top claims more in cash alone than the published
/// studies find with welfare included: `cash_bcr_above_published_range`,
/// which asks for review already there; above [`BCR_REVIEW`] also
/// `bcr_far_above_published_range`.
pub(crate) fn bcr_flags(kind: ClaimKind, claimed: f64) -> Vec<&'static str> {
    let mut flags = vec![];
    let above = claimed > PUBLISHED_BCR.1;
    match kind {
        ClaimKind::BcrSocietal if above => flags.push("bcr_above_published_range"),
        ClaimKind::Bcr if above => flags.push("cash_bcr_above_published_range"),
        _ => {}
    }
    if matches!(kind, ClaimKind::Bcr | ClaimKind::BcrSocietal) && claimed > BCR_REVIEW {
        flags.push("bcr_far_above_published_range");
    }
    flags
}

fn spread(xs: &[f64]) -> Spread {
    let s = sorted_finite(xs.iter().copied());
    let n = s.len().max(1) as f64;
    let mean = s.iter().sum::<f64>() / n;
    let var = s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    Spread {
        mean,
        mcse: (var / n).sqrt(),
        p10: type7(&s, 0.1),
        p50: type7(&s, 0.5),
        p90: type7(&s, 0.9),
        p_positive: s.iter().filter(|&&x| x > 0.0).count() as f64 / n,
    }
}

/// Equal-width bins over the values and the claim (so the claim is on the chart).
pub(crate) fn bins(xs: &[f64], claim: f64, n: usize) -> Bins {
    let s = sorted_finite(xs.iter().copied());
    let lo = s.first().copied().unwrap_or(claim).min(claim);
    let hi = s.last().copied().unwrap_or(claim).max(claim);
    if hi <= lo {
        return Bins { edges: vec![lo, lo], counts: vec![s.len() as u64] };
    }
    let w = (hi - lo) / n as f64;
    let edges: Vec<f64> = (0..=n).map(|i| if i == n { hi } else { lo + w * i as f64 }).collect();
    let mut counts = vec![0u64; n];
    for x in s {
        let i = (((x - lo) / w) as usize).min(n - 1);
        counts[i] += 1;
    }
    Bins { edges, counts }
}

/// The application's model with every effect's relative risk fixed at its
/// evidence mean raised to `lambda`.
pub(crate) fn model_at(app: &Application, lambda: f64) -> Model {
    let mut model = app.model().clone();
    for e in &app.effects {
        if let Some(Effect::RelativeRisk { rr, .. }) = model.interventions[e.intervention].effects.first_mut() {
            *rr = Value::Fixed(e.mean.powf(lambda));
        }
    }
    model
}

/// Values of every solve draw with the effects at multiplier `lambda` (in
/// `mode`). The other parameters take their sampled values, the same in every
/// evaluation (common random numbers); the nulalternatief, which no effect
/// touches, is taken from `base` (the same draws' counts at λ = 1).
fn values_at(
    app: &Application,
    probe: &Probe,
    mode: Mode,
    seed: u64,
    base: &[crate::sim::DrawCounts],
    lambda: f64,
) -> Result<Vec<Vec<f64>>, RunError> {
    let model = model_at(app, lambda);
    let ctx = RunContext::new(&model).map_err(RunError::Sim)?;
    base.par_iter()
        .enumerate()
        .map(|(d, counts)| {
            let d = d as u64;
            let p = params::sample_draw(&model.params, seed, d);
            let (r, _) = runner::evaluate_reusing(&ctx, mode, seed, d, p, Some(counts)).map_err(RunError::Sim)?;
            Ok(probe.values(app, &ctx, &r))
        })
        .collect()
}

/// The counts of the solve draws at the assumed effect (λ = 1), for reuse.
fn base_counts(app: &Application, mode: Mode, seed: u64, draws: u64) -> Result<Vec<crate::sim::DrawCounts>, RunError> {
    let model = model_at(app, 1.0);
    let ctx = RunContext::new(&model).map_err(RunError::Sim)?;
    (0..draws)
        .into_par_iter()
        .map(|d| {
            let p = params::sample_draw(&model.params, seed, d);
            runner::evaluate_reusing(&ctx, mode, seed, d, p, None).map(|(_, c)| c).map_err(RunError::Sim)
        })
        .collect()
}

/// The smallest λ in [0, [`LAMBDA_MAX`]] with `f(λ) >= 0`, for an increasing
/// `f`, to within [`LAMBDA_TOL`], by regula falsi (false position) with the
/// Illinois modification: each step cuts the bracket at the secant's zero
/// (halving the weight of an end that stays put twice), falling back to the
/// midpoint only when the secant point is too close to an end. A bracketing
/// method: it never leaves the interval, converges much faster than bisection
/// on the smooth targets of a cohort model, and still to within the tolerance
/// on the step functions of a stochastic one.
pub(crate) fn regula_falsi(
    mut f: impl FnMut(f64) -> Result<f64, RunError>,
    effects: &dyn Fn(f64) -> Vec<SolvedEffect>,
) -> Result<Solve, RunError> {
    let solve = |found: bool, multiplier: f64, iterations: u32, residual: f64, note: Option<String>| Solve {
        found,
        multiplier,
        effects: effects(multiplier),
        tolerance: LAMBDA_TOL,
        iterations,
        residual,
        note,
    };
    let (mut a, mut b) = (0.0, LAMBDA_MAX);
    let mut fa = f(a)?;
    if fa >= 0.0 {
        return Ok(solve(true, 0.0, 1, fa, Some("reached without any effect".into())));
    }
    let mut fb = f(b)?;
    let mut iterations = 2;
    if fb.is_nan() || fb < 0.0 {
        let note = format!("not reached even with the effect {LAMBDA_MAX} times as strong on the log scale as assumed");
        return Ok(solve(false, b, iterations, fb, Some(note)));
    }
    let mut side = 0;
    while b - a > LAMBDA_TOL && iterations < 60 {
        let mut c = (a * fb - b * fa) / (fb - fa);
        // Keep at least a tenth of the tolerance from either end, so the bracket always shrinks.
        if !c.is_finite() || c <= a + LAMBDA_TOL * 0.1 || c >= b - LAMBDA_TOL * 0.1 {
            c = 0.5 * (a + b);
        }
        let fc = f(c)?;
        iterations += 1;
        if fc >= 0.0 {
            b = c;
            fb = fc;
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
        } else {
            a = c;
            fa = fc;
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        }
        // Regula falsi may creep towards the root from one side only: once the
        // point is within the tolerance of the root, test its neighbour.
        if b - a > LAMBDA_TOL && side == -1 && b - LAMBDA_TOL > a {
            let probe = b - LAMBDA_TOL;
            let fp = f(probe)?;
            iterations += 1;
            if fp < 0.0 {
                a = probe;
                fa = fp;
            } else {
                b = probe;
                fb = fp;
            }
        } else if b - a > LAMBDA_TOL && side == 1 && a + LAMBDA_TOL < b {
            let probe = a + LAMBDA_TOL;
            let fp = f(probe)?;
            iterations += 1;
            if fp >= 0.0 {
                b = probe;
                fb = fp;
            } else {
                a = probe;
                fa = fp;
            }
        }
    }
    Ok(solve(true, b, iterations, fb, None))
}

/// Run the check.
pub fn check(
    app: &Application,
    opts: &CheckOptions,
    command_line: Vec<String>,
    progress: &mut dyn FnMut(u64),
) -> Result<ClaimReport, RunError> {
    let model = app.model();
    let ctx = RunContext::new(model).map_err(RunError::Sim)?;
    let probe = Probe::new(app, &ctx);
    let mode = mode_for(app, opts);
    let mut ropts = RunOptions::new(opts.seed, opts.draws, mode);
    ropts.threads = opts.threads;
    let mut sink = Collect { app, probe: &probe, rows: Vec::with_capacity(opts.draws as usize) };
    runner::run(&ctx, &ropts, &mut sink, progress)?;
    let rows = sink.rows;
    let column = |k: usize| -> Vec<f64> { rows.iter().map(|r| r[k]).collect() };
    let n_claims = app.claims.len();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let solve_draws = opts.solve_draws.clamp(1, opts.draws.max(1));
    let base = pool.install(|| base_counts(app, mode, opts.seed, solve_draws))?;
    let effects_at = |lambda: f64| -> Vec<SolvedEffect> {
        app.effects.iter().map(|e| SolvedEffect { name: e.name.clone(), rr: e.mean.powf(lambda) }).collect()
    };
    let solve = |target: &(dyn Fn(&[Vec<f64>]) -> f64 + Sync)| -> Result<Solve, RunError> {
        pool.install(|| {
            regula_falsi(
                |lambda| values_at(app, &probe, mode, opts.seed, &base, lambda).map(|v| target(&v)),
                &effects_at,
            )
        })
    };
    let mut claims = vec![];
    for (k, c) in app.claims.iter().enumerate() {
        let claimed = c.claimed;
        let needed = solve(&|v: &[Vec<f64>]| {
            let s = sorted_finite(v.iter().map(|r| r[k]));
            type7(&s, 0.5) - claimed
        })?;
        claims.push(outcome(app, c, &column(k), needed));
    }
    let break_even = solve(&|v: &[Vec<f64>]| v.iter().map(|r| r[n_claims]).sum::<f64>() / v.len().max(1) as f64)?;
    Ok(ClaimReport {
        format_version: CLAIM_FORMAT_VERSION,
        application: application_info(app),
        run: CheckRun {
            draws: opts.draws,
            seed: opts.seed,
            mode: mode.as_str().to_string(),
            solve_draws,
            engine_version: env!("CARGO_PKG_VERSION").to_string(),
            prng: crate::rng::PRNG_NAME.to_string(),
            command_line,
            inputs: app.inputs(),
        },
        thresholds: app.thresholds,
        claims,
        funder_npv: spread(&column(n_claims)),
        npv: spread(&column(n_claims + 1)),
        bcr: spread(&column(n_claims + 2)),
        levels: Some(Levels {
            financieel: level(&column(n_claims + 1), &column(n_claims + 2)),
            maatschappelijk: level(&column(n_claims + 3), &column(n_claims + 4)),
            pm: model.scenario_pm(probe.scenario),
            unvalued_outcomes: model.unvalued_outcomes().into_iter().map(str::to_string).collect(),
        }),
        break_even,
        published_bcr_range: PUBLISHED_BCR,
    })
}

/// One claimed figure against its simulated values `xs`, with the effect it needs.
fn outcome(app: &Application, c: &Claim, xs: &[f64], needed: Solve) -> ClaimOutcome {
    let model = app.model();
    let s = sorted_finite(xs.iter().copied());
    let p = p_reached(xs, c.claimed);
    let n = xs.len().max(1) as f64;
    let claimed = c.claimed;
    let mut flags = vec![];
    flags.extend(bcr_flags(c.kind, claimed).into_iter().map(str::to_string));
    let (account, account_name) = match &c.target {
        Target::SavingsPerYear { account, .. } | Target::SavingsPv { account } => {
            let a = &model.accounts[*account];
            (Some(model.account_label(*account)), a.taakveld.map(|t| model.taakvelden[t].name.clone()))
        }
        _ => (None, None),
    };
    ClaimOutcome {
        label: c.label.clone(),
        kind: c.kind,
        account,
        account_name,
        chain: match &c.target {
            Target::AvoidedStarts { chain } => Some(model.chains[*chain].name.clone()),
            _ => None,
        },
        claimed,
        unit: match c.kind {
            ClaimKind::SavingsPerYear => "eur_per_year",
            ClaimKind::SavingsPv | ClaimKind::SavingsTotalPv | ClaimKind::SocialPv => "eur",
            ClaimKind::Bcr | ClaimKind::BcrSocietal => "ratio",
            ClaimKind::AvoidedStarts => "count",
        }
        .to_string(),
        p_reached: p,
        mcse: (p * (1.0 - p) / n).sqrt(),
        mean: s.iter().sum::<f64>() / s.len().max(1) as f64,
        p10: type7(&s, 0.1),
        p50: type7(&s, 0.5),
        p90: type7(&s, 0.9),
        verdict: app.thresholds.verdict(p),
        needed_effect: Some(needed),
        histogram: bins(xs, claimed, BINS),
        flags,
    }
}

/// The application as checked, for the report.
fn application_info(app: &Application) -> ApplicationInfo {
    let model = app.model();
    let means = params::means(&model.params);
    ApplicationInfo {
        name: app.name.clone(),
        applicant: app.applicant.clone(),
        description: app.description.clone(),
        file: app.path.display().to_string(),
        profile: app.profile.clone(),
        start_year: app.start_year,
        years: app.years,
        participants_per_year: app.participants_per_year,
        target_group: app.target_group.iter().map(|(a, c)| format!("{a}: {c}")).collect(),
        funder: model.funders[app.funder].clone(),
        effects: app.effects.iter().map(|e| effect_info(model, e)).collect(),
        costs: app
            .costs
            .iter()
            .enumerate()
            .map(|(i, (acc, basis, amount))| CostInfo {
                account: acc.clone(),
                account_name: (acc.split_once('/'))
                    .and_then(|(_, code)| model.taakvelden.iter().find(|t| t.code == code))
                    .map(|t| t.name.clone()),
                basis: basis.clone(),
                amount: amount.clone(),
                mean: model
                    .params
                    .params
                    .iter()
                    .find(|p| p.name == format!("claim_cost_{i}"))
                    .map_or(f64::NAN, |p| means[p.offset]),
            })
            .collect(),
        sroi: app.sroi.clone(),
    }
}

/// An assumed effect with its evidence as a distribution and its 5–95 % range.
fn effect_info(model: &Model, e: &super::validate::Effect) -> EffectInfo {
    let (dist, p5, p95) = match e.rr {
        Value::Slot(s) => {
            let prm = model.params.params.iter().find(|p| p.offset == s).expect("the effect's parameter");
            let b = crate::sensitivity::Bounds::of(prm);
            (prm.dist.to_string(), b.low[0], b.high[0])
        }
        Value::Fixed(x) => (format!("{x}"), x, x),
    };
    EffectInfo {
        name: e.name.clone(),
        transition: e.transition.clone(),
        ages: e.ages.clone(),
        distribution: dist,
        mean: e.mean,
        p5,
        p95,
        source: e.source.clone(),
        persistence_years: e.persistence_years,
        drop_off: e.drop_off.parse().unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_reach_of_a_known_sample() {
        let s: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(type7(&s, 0.5), 5.0);
        assert!((type7(&s, 0.1) - 1.8).abs() < 1e-12);
        assert_eq!(p_reached(&s, 5.0), 5.0 / 9.0);
        assert_eq!(p_reached(&[f64::NAN, 2.0], 1.0), 0.5, "a draw without a value reaches nothing");
    }

    /// The published band includes welfare: a maatschappelijk B/C is flagged
    /// above its top and reviewed above 3; a cash B/C already asks for review
    /// above the band's top, where a cash-only ratio outdoes full-welfare studies.
    #[test]
    fn bcr_flags_compare_cash_and_societal_ratios_with_the_welfare_band() {
        use ClaimKind::{Bcr, BcrSocietal, SavingsPv};
        assert!(bcr_flags(BcrSocietal, 2.2).is_empty() && bcr_flags(Bcr, 2.2).is_empty());
        assert_eq!(bcr_flags(BcrSocietal, 2.5), ["bcr_above_published_range"]);
        assert_eq!(bcr_flags(Bcr, 2.5), ["cash_bcr_above_published_range"]);
        assert_eq!(bcr_flags(BcrSocietal, 3.5), ["bcr_above_published_range", "bcr_far_above_published_range"]);
        assert_eq!(bcr_flags(Bcr, 3.5), ["cash_bcr_above_published_range", "bcr_far_above_published_range"]);
        assert!(bcr_flags(SavingsPv, 1e6).is_empty(), "only ratios are compared with the band");
    }

    #[test]
    fn bins_include_the_claim_and_count_every_value() {
        let b = bins(&[1.0, 2.0, 3.0], 10.0, 5);
        assert_eq!(b.edges.first(), Some(&1.0));
        assert_eq!(b.edges.last(), Some(&10.0));
        assert_eq!(b.counts.iter().sum::<u64>(), 3);
    }

    #[test]
    fn regula_falsi_finds_the_root_of_an_increasing_function_within_tolerance() {
        let none = |_: f64| vec![];
        let s = regula_falsi(|l| Ok(l - 2.345), &none).unwrap();
        assert!(s.found && (s.multiplier - 2.345).abs() <= LAMBDA_TOL, "{s:?}");
        let never = regula_falsi(|_| Ok(-1.0), &none).unwrap();
        assert!(!never.found);
        let always = regula_falsi(|_| Ok(1.0), &none).unwrap();
        assert!(always.found && always.multiplier == 0.0);
    }
}
