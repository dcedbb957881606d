//! Evaluate every candidate on the same draws (common random numbers).
//!
//! The options run in one model, each in its own scenario, so every draw
//! gives each option's business case against the same nulalternatief with
//! the same parameter values; pairs of options that share a joint block run
//! in a scenario of their own, so their interaction is simulated. Each fund
//! application runs on its own model (the claim check's), with the same seed
//! and draw numbers: parameters with the same name (the city's unit costs and
//! valuations) take the same value in every model in a draw, because each
//! parameter's random stream is keyed by its name ([`crate::params`]).
//!
//! An option runs in one area, and areas are separate populations, so its
//! business case is read in its own area: only that area's rows of its arm
//! are valued (the nulalternatief's rows of every area an option runs in).
//!
//! Memory: five numbers per candidate and draw, plus the yearly costs
//! summed over draws (their mean is what the budget constrains).

use rayon::prelude::*;

use super::validate::{Portfolio, Source};
use crate::business;
use crate::claim::check::CheckOptions;
use crate::model::{Mode, Model};
use crate::params;
use crate::runner::{self, RunContext, RunError, RunStats};
use crate::sim::{self, accum, calendar, NonFiniteResult, SimError, Warnings};

/// Maatschappelijk NPV (value).
pub const NPV: usize = 0;
/// Maatschappelijke baten: PV of cash benefits and welfare.
pub const BENEFIT: usize = 1;
/// PV of the investment (cash and shadow-priced intervention costs).
pub const COST: usize = 2;
/// Financieel NPV (cash only).
pub const NPV_CASH: usize = 3;
/// Avoided care-trajectory starts.
pub const AVOIDED: usize = 4;
/// Numbers kept per candidate and draw.
pub const K: usize = 5;

/// One scenario's numbers over the draws.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// `values[d * K + k]`: quantity `k` ([`NPV`] …) in draw `d`.
    pub values: Vec<f64>,
    /// Mean cash intervention costs per calendar year ([`Evaluation::years`]), all funders.
    pub yearly: Vec<f64>,
    /// Mean cash intervention costs per funder ([`Evaluation::funders`]) and calendar year.
    pub yearly_by_funder: Vec<Vec<f64>>,
}

impl Series {
    /// Quantity `k` in draw `d`.
    pub fn get(&self, d: usize, k: usize) -> f64 {
        self.values[d * K + k]
    }
}

/// Every candidate's and pair's numbers over the same draws.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Draws.
    pub draws: usize,
    /// The calendar years of the yearly costs.
    pub years: Vec<i32>,
    /// Funder names of the yearly costs.
    pub funders: Vec<String>,
    /// Per candidate (as `Portfolio::candidates`).
    pub candidates: Vec<Series>,
    /// Per pair (as `Portfolio::pairs`): both options together.
    pub pairs: Vec<Series>,
    /// Simulation work of all runs.
    pub stats: RunStats,
}

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Monte Carlo draws.
    pub draws: u64,
    /// Seed: the same for every model, so named parameters agree per draw.
    pub seed: u64,
    /// Worker threads (0 = all cores); never changes a number.
    pub threads: usize,
    /// The city model's mode (`None`: the model file's own).
    pub mode: Option<Mode>,
}

/// Simulate every candidate and pair of `p`. `progress` gets (runs done, runs in total).
pub fn evaluate(p: &Portfolio, opts: &EvalOptions, progress: &mut dyn FnMut(u64, u64)) -> Result<Evaluation, RunError> {
    let (years, funders) = axes(p);
    let n_runs = u64::from(p.city.is_some()) + p.applications.len() as u64;
    let mut stats = RunStats::default();
    let mut candidates = vec![Series::default(); p.candidates.len()];
    let mut pairs = vec![];
    let mut done = 0;
    if let Some(city) = &p.city {
        let model = &city.model;
        let mut scenarios = vec![];
        let mut slots = vec![];
        for (i, c) in p.candidates.iter().enumerate() {
            if let Source::Intervention { scenario, .. } = c.source {
                scenarios.push(scenario);
                slots.push(i);
            }
        }
        let mode = opts.mode.unwrap_or(model.settings.mode);
        let mut probes: Vec<Probe> = scenarios
            .iter()
            .zip(&slots)
            .map(|(&scenario, &i)| Probe { scenario, area: Some(p.candidates[i].area) })
            .collect();
        probes.extend(p.pairs.iter().map(|q| Probe { scenario: q.scenario, area: Some(p.candidates[q.i].area) }));
        let (series, st) = run_model(model, mode, &probes, opts, &years, &funders)?;
        stats.add(&st);
        let mut series = series.into_iter();
        for &i in &slots {
            candidates[i] = series.next().expect("one series per scenario");
        }
        pairs = series.collect();
        done += 1;
        progress(done, n_runs);
    }
    for (i, c) in p.candidates.iter().enumerate() {
        let Source::Application(k) = c.source else { continue };
        let app = &p.applications[k];
        let copts =
            CheckOptions { draws: opts.draws, seed: opts.seed, mode: None, threads: opts.threads, solve_draws: 0 };
        let mode = crate::claim::check::mode_for(app, &copts);
        let model = app.model();
        let s = app.scenario_index();
        let (mut series, st) = run_model(model, mode, &[Probe { scenario: s, area: None }], opts, &years, &funders)?;
        stats.add(&st);
        candidates[i] = series.remove(0);
        done += 1;
        progress(done, n_runs);
    }
    Ok(Evaluation { draws: opts.draws as usize, years, funders, candidates, pairs, stats })
}

/// The maatschappelijk NPV of the chosen options of the model file simulated
/// all at once, on the same draws (the check of a portfolio whose options
/// meet three or more in one joint block); `None` when none is chosen.
pub fn simulate_portfolio(p: &Portfolio, chosen: &[bool], opts: &EvalOptions) -> Result<Option<Vec<f64>>, RunError> {
    let Some((model, s)) = p.with_portfolio_scenario(chosen) else { return Ok(None) };
    let (years, funders) = axes(p);
    let mode = opts.mode.unwrap_or(model.settings.mode);
    let (series, _) = run_model(&model, mode, &[Probe { scenario: s, area: None }], opts, &years, &funders)?;
    let s = &series[0];
    Ok(Some((0..opts.draws as usize).map(|d| s.get(d, NPV)).collect()))
}

/// The calendar years and funders of every model involved.
fn axes(p: &Portfolio) -> (Vec<i32>, Vec<String>) {
    let mut models = vec![];
    if let Some(c) = &p.city {
        models.push(&c.model);
    }
    models.extend(p.applications.iter().map(|a| a.model()));
    let first = models.iter().map(|m| m.settings.start_year).min().unwrap_or(0);
    let last = models.iter().map(|m| m.settings.last_year()).max().unwrap_or(first - 1);
    let mut funders: Vec<String> = vec![];
    for m in &models {
        for f in &m.funders {
            if !funders.contains(f) {
                funders.push(f.clone());
            }
        }
    }
    ((first..=last).collect(), funders)
}

/// What one option (or pair) needs from a draw: its scenario, and the area
/// whose rows are compared (`None`: the city total, every area valued).
#[derive(Debug, Clone, Copy)]
struct Probe {
    scenario: usize,
    area: Option<usize>,
}

/// One draw's numbers: `K` values per probe, then the cash intervention
/// costs per calendar year (model years) and funder of each probe.
struct DrawValues {
    values: Vec<f64>,
    costs: Vec<f64>,
    warnings: Warnings,
}

/// Simulate `probes` over the draws of `opts` and collect their [`Series`].
///
/// Every arm of the model is simulated in each draw (the engine shares
/// whatever blocks they have in common and takes the areas an option does not
/// reach from the nulalternatief's blocks); only the compared area of each
/// option is valued. Draws run in parallel in chunks and are collected in
/// draw order, so the numbers do not depend on the thread count; the first
/// failing draw in draw order is the error reported.
fn run_model(
    model: &Model,
    mode: Mode,
    probes: &[Probe],
    opts: &EvalOptions,
    years: &[i32],
    funders: &[String],
) -> Result<(Vec<Series>, RunStats), RunError> {
    let ctx = RunContext::new(model).map_err(RunError::Sim)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let n_years = model.settings.n_years();
    let year0 = (model.settings.start_year - years[0]) as usize;
    let funder_pos: Vec<usize> =
        model.funders.iter().map(|f| funders.iter().position(|x| x == f).expect("every funder listed")).collect();
    let mut series = vec![
        Series {
            values: Vec::with_capacity(opts.draws as usize * K),
            yearly: vec![0.0; years.len()],
            yearly_by_funder: vec![vec![0.0; years.len()]; funders.len()],
        };
        probes.len()
    ];
    let mut stats = RunStats { threads: pool.current_num_threads(), ..Default::default() };
    let draws: Vec<u64> = (0..opts.draws).collect();
    for chunk in draws.chunks(stats.threads.max(1) * 8) {
        let results: Vec<Result<DrawValues, SimError>> =
            pool.install(|| chunk.par_iter().map(|&d| one_draw(&ctx, mode, opts.seed, d, probes)).collect());
        for r in results {
            let r = r?;
            stats.draws += 1;
            stats.work_units += r.warnings.work_units;
            stats.warnings.add(&r.warnings);
            let per_probe = n_years * model.funders.len();
            for (k, s) in series.iter_mut().enumerate() {
                s.values.extend_from_slice(&r.values[k * K..(k + 1) * K]);
                let c = &r.costs[k * per_probe..(k + 1) * per_probe];
                for y in 0..n_years {
                    for (f, &pos) in funder_pos.iter().enumerate() {
                        let x = c[y * model.funders.len() + f];
                        s.yearly[year0 + y] += x;
                        s.yearly_by_funder[pos][year0 + y] += x;
                    }
                }
            }
        }
    }
    let n = stats.draws.max(1) as f64;
    for s in &mut series {
        s.yearly.iter_mut().for_each(|x| *x /= n);
        s.yearly_by_funder.iter_mut().flatten().for_each(|x| *x /= n);
    }
    Ok((series, stats))
}

/// Simulate one draw and value what every probe needs.
fn one_draw(ctx: &RunContext<'_>, mode: Mode, seed: u64, draw: u64, probes: &[Probe]) -> Result<DrawValues, SimError> {
    let model = ctx.model;
    let params = params::sample_draw(&model.params, seed, draw);
    model.params.check_derived(draw, &params).map_err(SimError::Derived)?;
    let mut warnings = Warnings::default();
    let counts = sim::simulate_counts(
        &sim::DrawSpec { model, plan: &ctx.plan, mode, seed, draw, params: &params },
        None,
        &mut warnings,
    );
    let lay = accum::AccLayout::new(model);
    let n_areas = model.areas.len();
    let mask = |area: Option<usize>| -> Vec<bool> { (0..n_areas).map(|a| area.is_none_or(|x| x == a)).collect() };
    let mut base_mask = vec![false; n_areas];
    for p in probes {
        for (a, m) in mask(p.area).into_iter().enumerate() {
            base_mask[a] |= m;
        }
    }
    let ledger = |arm: usize, only: &[bool]| {
        let led = accum::finalize_areas(
            model,
            &counts.vals,
            &ctx.plan.arms[arm].interventions,
            &counts.accs[arm],
            &lay,
            &ctx.measures,
            Some(only),
        );
        calendar::calendar_years(&model.settings, &ctx.measures, led)
    };
    let base = ledger(0, &base_mask);
    let n_years = model.settings.n_years();
    let n_f = model.funders.len();
    let mut values = Vec::with_capacity(probes.len() * K);
    let mut costs = vec![0.0; probes.len() * n_years * n_f];
    let mut m = vec![0.0; ctx.metrics.len()];
    for (k, p) in probes.iter().enumerate() {
        let sc = &model.scenarios[p.scenario];
        let scen = ledger(1 + p.scenario, &mask(p.area));
        let area = p.area.unwrap_or(n_areas);
        let cmp = business::Comparison {
            base: &base,
            scen: &scen,
            area,
            sroi_factor: sc.sroi.factor(&params),
            own: &sc.interventions,
            params: &params,
        };
        business::compute(model, &ctx.measures, &ctx.metrics, &cmp, &mut m);
        let v = [
            m[business::NPV_SOCIETAL],
            m[business::PV_BENEFITS] + m[business::PV_WELFARE],
            m[business::PV_INTERVENTION_COSTS] + m[business::PV_SHADOW_COSTS],
            m[business::NPV],
            m[business::AVOIDED_STARTS],
        ];
        if let Some(i) = v.iter().position(|x| !x.is_finite() || x.abs() > runner::RESULT_LIMIT) {
            let names = ["npv_societal", "benefits_societal_pv", "costs_pv", "npv", "avoided_starts"];
            return Err(SimError::NonFinite(Box::new(NonFiniteResult {
                draw,
                scenario: sc.name.clone(),
                area: p.area.map_or_else(|| business::TOTAL_AREA.to_string(), |a| model.areas[a].name.clone()),
                metric: names[i].to_string(),
                value: v[i],
                suspects: vec![],
            })));
        }
        values.extend(v);
        // Cash intervention costs per calendar year and funder, this arm minus the nulalternatief.
        for y in 0..n_years {
            for (a, acc) in model.accounts.iter().enumerate() {
                if model.is_shadow_account(a) {
                    continue;
                }
                let meas = ctx.measures.intervention_cost[a];
                let c = match p.area {
                    Some(x) => scen.get(x, y, meas) - base.get(x, y, meas),
                    None => scen.total(y, meas) - base.total(y, meas),
                };
                costs[(k * n_years + y) * n_f + acc.funder] += c;
            }
        }
    }
    Ok(DrawValues { values, costs, warnings })
}
