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
//! Memory: five numbers per candidate and draw, plus the yearly costs
//! summed over draws (their mean is what the budget constrains).

use super::validate::{Portfolio, Source};
use crate::business;
use crate::claim::check::CheckOptions;
use crate::model::Mode;
use crate::runner::{self, DrawResult, DrawSink, RunContext, RunError, RunOptions, RunStats, SinkError};

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

/// Collects [`Series`] of some scenarios of a run.
struct Collect {
    scenarios: Vec<usize>,
    series: Vec<Series>,
    /// Calendar year of the model's year 0, and the position of model funder f in the output funders.
    year0: usize,
    funder_pos: Vec<usize>,
    draws: usize,
}

impl DrawSink for Collect {
    fn push(&mut self, ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        let model = ctx.model;
        let total = ctx.n_area_slots() - 1;
        let n_years = model.settings.n_years();
        for (k, &s) in self.scenarios.iter().enumerate() {
            let m = &r.metrics[ctx.metric_index(s, total, 0)..][..ctx.metrics.len()];
            let out = &mut self.series[k];
            out.values.extend([
                m[business::NPV_SOCIETAL],
                m[business::PV_BENEFITS] + m[business::PV_WELFARE],
                m[business::PV_INTERVENTION_COSTS] + m[business::PV_SHADOW_COSTS],
                m[business::NPV],
                m[business::AVOIDED_STARTS],
            ]);
            for y in 0..n_years {
                for (a, acc) in model.accounts.iter().enumerate() {
                    if model.is_shadow_account(a) {
                        continue;
                    }
                    let meas = ctx.measures.intervention_cost[a];
                    let c = r.arms[1 + s].total(y, meas) - r.arms[0].total(y, meas);
                    out.yearly[self.year0 + y] += c;
                    out.yearly_by_funder[self.funder_pos[acc.funder]][self.year0 + y] += c;
                }
            }
        }
        self.draws += 1;
        Ok(())
    }
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
        scenarios.extend(p.pairs.iter().map(|q| q.scenario));
        let mode = opts.mode.unwrap_or(model.settings.mode);
        let (series, st) = run_model(model, mode, &scenarios, opts, &years, &funders)?;
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
        let copts = CheckOptions { draws: opts.draws, seed: opts.seed, mode: None, threads: opts.threads, solve_draws: 0 };
        let mode = crate::claim::check::mode_for(app, &copts);
        let model = app.model();
        let s = app.scenario_index();
        let (mut series, st) = run_model(model, mode, &[s], opts, &years, &funders)?;
        stats.add(&st);
        candidates[i] = series.remove(0);
        done += 1;
        progress(done, n_runs);
    }
    Ok(Evaluation { draws: opts.draws as usize, years, funders, candidates, pairs, stats })
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

fn run_model(
    model: &crate::model::Model,
    mode: Mode,
    scenarios: &[usize],
    opts: &EvalOptions,
    years: &[i32],
    funders: &[String],
) -> Result<(Vec<Series>, RunStats), RunError> {
    let ctx = RunContext::new(model).map_err(RunError::Sim)?;
    let mut ropts = RunOptions::new(opts.seed, opts.draws, mode);
    ropts.threads = opts.threads;
    let empty = Series {
        values: Vec::with_capacity(opts.draws as usize * K),
        yearly: vec![0.0; years.len()],
        yearly_by_funder: vec![vec![0.0; years.len()]; funders.len()],
    };
    let mut sink = Collect {
        scenarios: scenarios.to_vec(),
        series: vec![empty; scenarios.len()],
        year0: (model.settings.start_year - years[0]) as usize,
        funder_pos: model.funders.iter().map(|f| funders.iter().position(|x| x == f).expect("every funder listed")).collect(),
        draws: 0,
    };
    let stats = runner::run(&ctx, &ropts, &mut sink, &mut |_| {})?;
    let n = sink.draws.max(1) as f64;
    for s in &mut sink.series {
        s.yearly.iter_mut().for_each(|x| *x /= n);
        s.yearly_by_funder.iter_mut().flatten().for_each(|x| *x /= n);
    }
    Ok((sink.series, stats))
}
