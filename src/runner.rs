//! The runner owns the loop over Monte Carlo draws.
//!
//! Draws are computed in parallel in chunks (rayon) and handed to a
//! [`DrawSink`] strictly in draw order, so everything a sink computes (running
//! means, quantile sketches, CSV rows) is identical on any number of threads,
//! and memory holds one chunk of draws, not the whole run.
//!
//! Each finished chunk is handed over whole ([`DrawSink::push_chunk`]) while
//! the pool computes the next chunk. A sink may use the same pool inside
//! `push_chunk` (the [`crate::summary::Summariser`] splits its series into
//! ranges and summarises them in parallel), so summarising is not a serial
//! step beside the parallel simulation. Sinks must give the same result
//! whatever the chunk size: the draws of a chunk are in draw order, and
//! `push_chunk` must be equivalent to pushing them one by one.

use crate::business::{self, MetricLayout};
use crate::ledger::{Ledger, MeasureLayout};
use crate::model::{Mode, Model};
use crate::params;
use crate::sim::{self, NonFiniteResult, Plan, SimError, Warnings};
use rayon::prelude::*;

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Master seed: every random stream is keyed by (seed, draw, purpose).
    pub seed: u64,
    /// Total number of draws of the run (draw numbers `0..draws`).
    pub draws: u64,
    /// Cohort (expected values) or stochastic (whole people).
    pub mode: Mode,
    /// Worker threads; 0 = all cores.
    pub threads: usize,
    /// Only draws `d` with `d % shard_count == shard_index` (1 shard = all draws).
    pub shard_index: u64,
    /// Number of shards the run is split into (1 for a whole run).
    pub shard_count: u64,
}

impl RunOptions {
    /// A whole run (one shard) on all cores.
    pub fn new(seed: u64, draws: u64, mode: Mode) -> Self {
        RunOptions { seed, draws, mode, threads: 0, shard_index: 0, shard_count: 1 }
    }

    /// The draw numbers this run computes, in order.
    pub fn draw_numbers(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.draws).filter(move |d| d % self.shard_count == self.shard_index)
    }
}

/// Everything derived from a model once per run.
#[derive(Debug)]
pub struct RunContext<'m> {
    /// The validated model.
    pub model: &'m Model,
    /// The simulation plan derived from it (blocks, arms).
    pub plan: Plan,
    /// Which ledger measure is where.
    pub measures: MeasureLayout,
    /// Which business-case metric is where.
    pub metrics: MetricLayout,
}

impl<'m> RunContext<'m> {
    /// Derive the plan and layouts of `model`; fails when the model cannot be simulated.
    pub fn new(model: &'m Model) -> Result<Self, sim::SimError> {
        Ok(RunContext {
            model,
            plan: Plan::new(model)?,
            measures: MeasureLayout::new(model),
            metrics: MetricLayout::new(model),
        })
    }

    /// Number of area slots in metrics: every area plus the city total (last).
    pub fn n_area_slots(&self) -> usize {
        self.model.areas.len() + 1
    }

    /// Index of a metric value in [`DrawResult::metrics`].
    pub fn metric_index(&self, scenario: usize, area_slot: usize, metric: usize) -> usize {
        (scenario * self.n_area_slots() + area_slot) * self.metrics.len() + metric
    }
}

/// All results of one draw.
#[derive(Debug, Clone)]
pub struct DrawResult {
    /// Draw number.
    pub draw: u64,
    /// The value every parameter slot took (see `ParamTable::slot_names`).
    pub params: Vec<f64>,
    /// One ledger per arm: index 0 is the nulalternatief, `1 + s` scenario `s`.
    pub arms: Vec<Ledger>,
    /// Business-case metrics `[scenario][area slot][metric]` (see [`RunContext::metric_index`]).
    pub metrics: Vec<f64>,
    /// Probability repairs and work done in this draw.
    pub warnings: Warnings,
}

/// Receives draws in draw order (on a worker thread, hence `Send`).
pub trait DrawSink: Send {
    /// Take the next draw; an error stops the run.
    fn push(&mut self, ctx: &RunContext<'_>, result: &DrawResult) -> Result<(), SinkError>;

    /// Push consecutive draws (in draw order) at once. Must be equivalent to
    /// calling [`DrawSink::push`] on each in turn (the default does exactly
    /// that); a sink overrides it when a batch can be handled faster, e.g.
    /// in parallel or with better cache use. Called from inside the run's
    /// thread pool, so rayon parallelism here uses the run's threads.
    fn push_chunk(&mut self, ctx: &RunContext<'_>, results: &[DrawResult]) -> Result<(), SinkError> {
        results.iter().try_for_each(|r| self.push(ctx, r))
    }
}

/// A sink failed (typically an I/O error while streaming rows).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);

/// Largest magnitude a business-case metric may take: beyond it its square,
/// which the standard deviation sums, overflows, so the summary would not be
/// finite. No sensible input comes near it (amounts are at most 1e12 euros).
pub const RESULT_LIMIT: f64 = 1e150;

/// The first metric of one draw that is not a finite number within
/// [`RESULT_LIMIT`], except where missing is a metric's defined value.
fn check_finite(ctx: &RunContext<'_>, draw: u64, params: &[f64], metrics: &[f64]) -> Result<(), SimError> {
    let m = ctx.metrics.len();
    // NaN compares false, so it is bad too.
    let within = |x: f64, limit: f64| x.abs() <= limit;
    let Some(i) = (0..metrics.len()).find(|&i| {
        let x = metrics[i];
        !within(x, RESULT_LIMIT) && {
            let (k, base) = (i % m, i - i % m);
            // Missing by definition: no ratio without costs, no break-even year when never reached.
            let defined_missing = x.is_nan()
                && (k == business::BREAK_EVEN_YEAR
                    || (k == business::BCR && metrics[base + business::PV_INTERVENTION_COSTS] <= 0.0)
                    || (k == business::BCR_SOCIETAL
                        && metrics[base + business::PV_INTERVENTION_COSTS]
                            + metrics[base + business::PV_SHADOW_COSTS]
                            <= 0.0));
            !defined_missing
        }
    }) else {
        return Ok(());
    };
    let (scenario, slot) = (i / m / ctx.n_area_slots(), i / m % ctx.n_area_slots());
    let model = ctx.model;
    let names = model.params.slot_names();
    let suspects = params
        .iter()
        .zip(names)
        .filter(|(v, _)| !within(**v, crate::scenario::MAX_AMOUNT))
        .map(|(v, n)| (n, *v))
        .collect();
    Err(SimError::NonFinite(Box::new(NonFiniteResult {
        draw,
        scenario: model.scenarios[scenario].name.clone(),
        area: model.areas.get(slot).map_or_else(|| crate::business::TOTAL_AREA.to_string(), |a| a.name.clone()),
        metric: ctx.metrics.names[i % m].clone(),
        value: metrics[i],
        suspects,
    })))
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The model could not be simulated.
    #[error(transparent)]
    Sim(#[from] sim::SimError),
    /// A sink (usually an output writer) failed.
    #[error("writing results: {0}")]
    Sink(#[from] SinkError),
    /// The worker thread pool could not be built.
    #[error("cannot start the thread pool: {0}")]
    Threads(String),
}

impl RunError {
    /// The input is at fault (a result that is not a finite number), not
    /// the machine: the command line reports it as bad input.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, RunError::Sim(SimError::NonFinite(_) | SimError::Derived(_)))
    }
}

/// Totals of a finished run.
#[derive(Debug, Clone, Default)]
pub struct RunStats {
    /// Draws completed.
    pub draws: u64,
    /// Probability repairs summed over draws.
    pub warnings: Warnings,
    /// Worker threads used.
    pub threads: usize,
    /// Useful work summed over draws, for throughput figures: cohort,
    /// multiply-adds of the chain steps simulated (blocks reused across arms
    /// count once); stochastic, person-chain-steps.
    pub work_units: u64,
}

impl RunStats {
    /// Add the totals of another run (draws, warnings and work; the thread count is the larger).
    pub fn add(&mut self, o: &RunStats) {
        self.draws += o.draws;
        self.warnings.add(&o.warnings);
        self.work_units += o.work_units;
        self.threads = self.threads.max(o.threads);
    }

    /// Count one finished draw.
    pub fn record(&mut self, r: &DrawResult) {
        self.warnings.add(&r.warnings);
        self.work_units += r.warnings.work_units;
        self.draws += 1;
    }
}

/// Simulate one draw completely (parameters, every arm, business case).
pub fn run_draw(ctx: &RunContext<'_>, opts: &RunOptions, draw: u64) -> Result<DrawResult, sim::SimError> {
    let p = params::sample_draw(&ctx.model.params, opts.seed, draw);
    evaluate(ctx, opts.mode, opts.seed, draw, p)
}

/// Simulate every arm of draw `draw` with the explicit parameter vector
/// `params` (one value per slot, see `ParamTable::slot_names`) and compute its
/// business case. [`run_draw`] is this with the draw's sampled parameters;
/// [`crate::sensitivity`] calls it with the means and one parameter moved.
/// `seed` and `draw` only matter in stochastic mode (person-level chance).
pub fn evaluate(
    ctx: &RunContext<'_>,
    mode: Mode,
    seed: u64,
    draw: u64,
    params: Vec<f64>,
) -> Result<DrawResult, sim::SimError> {
    evaluate_reusing(ctx, mode, seed, draw, params, None).map(|(r, _)| r)
}

/// [`evaluate`], also returning the draw's raw counts; arms whose simulation
/// inputs are the same as in `reuse` are not simulated again (see
/// [`sim::simulate_counts`]: the result is identical).
pub(crate) fn evaluate_reusing(
    ctx: &RunContext<'_>,
    mode: Mode,
    seed: u64,
    draw: u64,
    params: Vec<f64>,
    reuse: Option<&sim::DrawCounts>,
) -> Result<(DrawResult, sim::DrawCounts), sim::SimError> {
    if params.len() != ctx.model.params.slots {
        return Err(sim::SimError::Model(format!(
            "{} parameter values given for {} slots",
            params.len(),
            ctx.model.params.slots
        )));
    }
    // Derived parameters follow their inputs: the sensitivity analysis moves
    // an input alone, and a draw is checked against its fields' domains here.
    let mut params = params;
    ctx.model.params.derive(&mut params);
    ctx.model.params.check_derived(draw, &params).map_err(sim::SimError::Derived)?;
    let mut warnings = sim::Warnings::default();
    let counts = sim::simulate_counts(
        &sim::DrawSpec { model: ctx.model, plan: &ctx.plan, mode, seed, draw, params: &params },
        reuse,
        &mut warnings,
    );
    let arms = sim::ledgers(ctx.model, &ctx.plan, &counts, &ctx.measures);
    let metrics = business_metrics(ctx, &arms, &params);
    // The business case values every cycle; the yearly outputs read calendar years.
    let arms = arms.into_iter().map(|l| sim::calendar::calendar_years(&ctx.model.settings, &ctx.measures, l)).collect();
    check_finite(ctx, draw, &params, &metrics)?;
    Ok((DrawResult { draw, params, arms, metrics, warnings }, counts))
}

/// The business-case metrics `[scenario][area slot][metric]` of one draw from
/// its ledgers (index 0 the nulalternatief) and parameter vector (for the SROI
/// corrections, the valuations and the after-horizon drop-off).
pub(crate) fn business_metrics(ctx: &RunContext<'_>, arms: &[Ledger], params: &[f64]) -> Vec<f64> {
    let model = ctx.model;
    let n_slots = ctx.n_area_slots();
    let m = ctx.metrics.len();
    let mut metrics = vec![0.0; model.scenarios.len() * n_slots * m];
    for (s, sc) in model.scenarios.iter().enumerate() {
        let f = sc.sroi.factor(params);
        for a in 0..n_slots {
            let i = ctx.metric_index(s, a, 0);
            let cmp = business::Comparison {
                base: &arms[0],
                scen: &arms[1 + s],
                area: a,
                sroi_factor: f,
                own: &sc.interventions,
                params,
            };
            business::compute(model, &ctx.measures, &ctx.metrics, &cmp, &mut metrics[i..i + m]);
        }
    }
    metrics
}

/// Run all draws of `opts`, pushing each result into `sink` in draw order.
/// `progress` is called with the number of draws done so far.
pub fn run(
    ctx: &RunContext<'_>,
    opts: &RunOptions,
    sink: &mut dyn DrawSink,
    progress: &mut dyn FnMut(u64),
) -> Result<RunStats, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let threads = pool.current_num_threads();
    let draws: Vec<u64> = opts.draw_numbers().collect();
    let chunk = (threads * 8).max(8);
    let mut stats = RunStats { threads, ..Default::default() };
    // While the pool computes one chunk, the previous chunk is handed to the
    // sink whole (in draw order), so summarising and writing overlap
    // simulation and may themselves run in parallel on the same pool.
    let mut pending: Vec<DrawResult> = vec![];
    let account = |stats: &mut RunStats, done: &[DrawResult], progress: &mut dyn FnMut(u64)| {
        for r in done {
            stats.record(r);
        }
        if !done.is_empty() {
            progress(stats.draws);
        }
    };
    for block in draws.chunks(chunk) {
        let prev = std::mem::take(&mut pending);
        let (results, pushed) = pool.install(|| {
            rayon::join(
                // Every draw's result, then the first error in draw order, so
                // the error reported does not depend on the thread count.
                || {
                    let all: Vec<Result<DrawResult, sim::SimError>> =
                        block.par_iter().map(|&d| run_draw(ctx, opts, d)).collect();
                    all.into_iter().collect::<Result<Vec<_>, _>>()
                },
                || sink.push_chunk(ctx, &prev),
            )
        });
        pushed?;
        account(&mut stats, &prev, progress);
        pending = results?;
    }
    pool.install(|| sink.push_chunk(ctx, &pending))?;
    account(&mut stats, &pending, progress);
    Ok(stats)
}
