//! One-way sensitivity analysis: the data of a tornado diagram.
//!
//! **Why.** The Monte Carlo draws say how uncertain a business case is, not
//! which assumptions make it so. A one-way analysis moves one uncertain
//! parameter at a time to the ends of its plausible range while every other
//! parameter stays at its mean, and records how far the NPV moves: the
//! parameters with the widest swings are the ones worth better data.
//!
//! **How.**
//!
//! 1. *Bounds.* For every uncertain parameter (named in `[parameters]` or an
//!    inline distribution) the bounds are its 5th and 95th percentile
//!    (`LOW_P`, `HIGH_P`). `dist.rs` has no inverse CDFs, so the
//!    percentiles are **empirical**: type-7 quantiles of `QUANTILE_SAMPLES`
//!    (20,000) samples from a stream of their own ([`Purpose::Sensitivity`],
//!    seed 0, draw 0, keyed by the parameter's name like the run's parameter
//!    streams). They are therefore deterministic, the same in every run of
//!    the same model whatever its seed, and within sampling error of the exact
//!    percentiles: the standard error of a sample P5 is
//!    `sqrt(0.05 × 0.95 / 20,000) / f(x₀.₀₅)`, 0.015 sd for a normal.
//!    A parameter whose P5 equals its P95 (a degenerate distribution, e.g. a
//!    normal with sd 0) cannot move and is left out.
//! 2. *Dirichlet rows.* A Dirichlet over k categories gives k entries
//!    `name[j]`: component j moves to the P5 (P95) of its marginal
//!    distribution and the other components are rescaled in proportion to
//!    their means so that the row still sums to 1.
//! 3. *Simulation.* The base case sets every slot to its mean
//!    ([`params::means`]); each entry is then simulated twice, at its low and
//!    at its high value, every other slot at its mean. Every case is
//!    simulated in **cohort mode** (expected values, no person-level chance)
//!    whatever the run's mode: a stochastic run would add person-level noise
//!    to every swing, and the expected value is what the tornado is about. The
//!    cases go through `runner::evaluate_reusing`, the same code as every
//!    draw of a run; an arm whose simulated numbers a parameter does not touch
//!    (a cost, an outcome weight, an SROI correction, another scenario's
//!    intervention) reuses the base case's counts, which gives the same
//!    result faster.
//! 4. *Result.* For every scenario and area slot (the areas, then the city
//!    total): the base NPV and, per entry, the NPV at the low and at the high
//!    value; the same for `npv_societal`.
//!
//! The cases run in parallel (rayon, in a pool of the requested size) and are
//! collected in parameter order, so the result is identical on any number of
//! threads. This module does no I/O; `output::sensitivity` writes
//! `sensitivity.csv`.

use crate::business;
use crate::model::{Mode, ParamTable, Parameter};
use crate::params;
use crate::rng::{stream, Purpose};
use crate::runner::{self, RunContext, RunError};
use crate::stats::type7;
use rayon::prelude::*;

/// Lower bound of an entry: the 5th percentile.
pub(crate) const LOW_P: f64 = 0.05;
/// Upper bound of an entry: the 95th percentile.
pub(crate) const HIGH_P: f64 = 0.95;
/// Samples drawn per parameter for its empirical percentiles.
pub(crate) const QUANTILE_SAMPLES: usize = 20_000;

/// Mean, P5 and P95 of every component of one parameter (one component for
/// scalar distributions, k for a Dirichlet).
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// Mean of each component.
    pub mean: Vec<f64>,
    /// Low empirical percentile (P5) of each component.
    pub low: Vec<f64>,
    /// High empirical percentile (P95) of each component.
    pub high: Vec<f64>,
}

impl Bounds {
    /// The empirical P5 and P95 of `p` (see the module docs), and its exact means.
    pub fn of(p: &Parameter) -> Bounds {
        let k = p.len();
        let mut rng = stream(0, 0, Purpose::Sensitivity, params::name_key(&p.name));
        let mut samples = vec![Vec::with_capacity(QUANTILE_SAMPLES); k];
        let mut x = vec![0.0; k];
        for _ in 0..QUANTILE_SAMPLES {
            p.dist.sample_into(&mut rng, &mut x);
            for (s, &v) in samples.iter_mut().zip(&x) {
                s.push(v);
            }
        }
        let (mut low, mut high) = (Vec::with_capacity(k), Vec::with_capacity(k));
        for s in &mut samples {
            s.sort_by(f64::total_cmp);
            low.push(type7(s, LOW_P));
            high.push(type7(s, HIGH_P));
        }
        Bounds { mean: p.dist.means(), low, high }
    }
}

/// The bounds of every parameter of `table`, in table order (computed in
/// parallel in the current rayon pool; the result does not depend on it).
pub fn param_bounds(table: &ParamTable) -> Vec<Bounds> {
    table.params.par_iter().map(Bounds::of).collect()
}

/// One parameter (or one component of a Dirichlet) moved on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The parameter's name, with `[j]` for component j of a Dirichlet (as in
    /// `parameters.csv`).
    pub name: String,
    /// Index of the parameter in `ParamTable::params`.
    pub param: usize,
    /// Component of a Dirichlet; `None` for a scalar parameter.
    pub component: Option<usize>,
    /// The parameter's mean (column `value_mean` of `sensitivity.csv`).
    pub value_mean: f64,
    /// Its low value, P5 (column `value_low`).
    pub value_low: f64,
    /// Its high value, P95 (column `value_high`).
    pub value_high: f64,
}

/// The one-way entries of `table` in parameter order, degenerate ones
/// (P5 == P95) left out. `bounds` comes from [`param_bounds`].
pub fn entries(table: &ParamTable, bounds: &[Bounds]) -> Vec<Entry> {
    let mut out = vec![];
    for (i, (p, b)) in table.params.iter().zip(bounds).enumerate() {
        for j in 0..p.len() {
            if b.low[j] == b.high[j] {
                continue;
            }
            let (name, component) =
                if p.len() == 1 { (p.name.clone(), None) } else { (format!("{}[{j}]", p.name), Some(j)) };
            out.push(Entry {
                name,
                param: i,
                component,
                value_mean: b.mean[j],
                value_low: b.low[j],
                value_high: b.high[j],
            });
        }
    }
    out
}

/// The parameter vector of `entry` at `value`: every slot at its mean
/// (`means`, from [`params::means`]) except the entry's. For a Dirichlet
/// component, the row's other components are rescaled in proportion to their
/// means so that the row sums to 1.
pub(crate) fn entry_params(table: &ParamTable, means: &[f64], entry: &Entry, value: f64) -> Vec<f64> {
    let mut v = means.to_vec();
    let p = &table.params[entry.param];
    match entry.component {
        None => v[p.offset] = value,
        Some(j) => {
            let row = &mut v[p.offset..p.offset + p.len()];
            let rest = 1.0 - row[j];
            let scale = if rest > 0.0 { (1.0 - value) / rest } else { 0.0 };
            for (i, x) in row.iter_mut().enumerate() {
                *x = if i == j { value } else { *x * scale };
            }
        }
    }
    v
}

/// NPV and NPV including social value of one case, scenario and area slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Npv {
    /// Net present value (netto contante waarde) of cash flows, euro.
    pub npv: f64,
    /// Net present value including the monetised social effects, euro.
    pub npv_societal: f64,
}

/// The result of a one-way sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Scenario names, in model order.
    pub scenarios: Vec<String>,
    /// Area slot labels: the areas, then `TOTAL_AREA` (`totaal`).
    pub areas: Vec<String>,
    /// One entry per parameter component varied.
    pub entries: Vec<Entry>,
    /// `[scenario][slot]`.
    base: Vec<Npv>,
    /// `[entry][scenario][slot]`.
    low: Vec<Npv>,
    high: Vec<Npv>,
}

impl Sensitivity {
    fn cell(&self, s: usize, a: usize) -> usize {
        s * self.areas.len() + a
    }

    /// The base case (every parameter at its mean) of scenario `s`, area slot `a`.
    pub fn base(&self, s: usize, a: usize) -> Npv {
        self.base[self.cell(s, a)]
    }

    /// Entry `e` at its low value (P5).
    pub fn low(&self, e: usize, s: usize, a: usize) -> Npv {
        self.low[e * self.base.len() + self.cell(s, a)]
    }

    /// Entry `e` at its high value (P95).
    pub fn high(&self, e: usize, s: usize, a: usize) -> Npv {
        self.high[e * self.base.len() + self.cell(s, a)]
    }
}

/// NPVs of every (scenario, slot) of one case's metrics.
fn npvs(ctx: &RunContext<'_>, metrics: &[f64]) -> Vec<Npv> {
    let mut out = Vec::with_capacity(ctx.model.scenarios.len() * ctx.n_area_slots());
    for s in 0..ctx.model.scenarios.len() {
        for a in 0..ctx.n_area_slots() {
            out.push(Npv {
                npv: metrics[ctx.metric_index(s, a, business::NPV)],
                npv_societal: metrics[ctx.metric_index(s, a, business::NPV_SOCIETAL)],
            });
        }
    }
    out
}

/// Run the one-way analysis of `ctx`'s model (see the module docs) on
/// `threads` worker threads (0 = all cores). `bounds` comes from
/// [`param_bounds`]. Costs two cohort simulations per entry (fewer where
/// arms are reused), plus the base case.
pub fn analyse(ctx: &RunContext<'_>, bounds: &[Bounds], threads: usize) -> Result<Sensitivity, RunError> {
    analyse_with_progress(ctx, bounds, threads, &|_| {})
}

/// [`analyse`], calling `progress` (from any worker thread) with the number
/// of one-way cases done so far, out of `2 ×` [`entries`]`.len()`.
pub fn analyse_with_progress(
    ctx: &RunContext<'_>,
    bounds: &[Bounds],
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sensitivity, RunError> {
    let table = &ctx.model.params;
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| RunError::Threads(e.to_string()))?;
    let means = params::means(table);
    let entries = entries(table, bounds);
    let (base, counts) = runner::evaluate_reusing(ctx, Mode::Cohort, 0, 0, means.clone(), None)?;
    let cases: Vec<(usize, f64)> =
        entries.iter().enumerate().flat_map(|(e, en)| [(e, en.value_low), (e, en.value_high)]).collect();
    let done = std::sync::atomic::AtomicU64::new(0);
    let results: Vec<Vec<Npv>> = pool.install(|| {
        cases
            .par_iter()
            .map(|&(e, value)| {
                let p = entry_params(table, &means, &entries[e], value);
                let r = runner::evaluate_reusing(ctx, Mode::Cohort, 0, 0, p, Some(&counts));
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                r.map(|(r, _)| npvs(ctx, &r.metrics))
            })
            .collect::<Result<_, _>>()
    })?;
    let (mut low, mut high) = (vec![], vec![]);
    for (i, r) in results.into_iter().enumerate() {
        if i % 2 == 0 {
            low.extend(r);
        } else {
            high.extend(r);
        }
    }
    let areas = ctx.model.area_slot_labels();
    Ok(Sensitivity {
        scenarios: ctx.model.scenarios.iter().map(|s| s.name.clone()).collect(),
        areas,
        entries,
        base: npvs(ctx, &base.metrics),
        low,
        high,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dist::Distribution;
    use crate::model::*;

    /// The summary tests' two-area model, with discounting, an intervention
    /// of 5 participants a year in Noord whose cost per participant is
    /// parameter `cost`, an unused normal(0, 1) `idle`, an unused Dirichlet
    /// `row`, a degenerate normal (sd 0) `fixed` and `elsewhere`, used only in
    /// a transition matrix that no area uses.
    pub(crate) fn model() -> Model {
        let mut m = crate::summary::tests::tiny_model();
        m.settings.discount_costs = 0.03;
        m.settings.horizon = 3;
        let mut t = ParamTable::default();
        let cost = t.push("cost".into(), Distribution::gamma_mean_sd(100.0, 20.0).unwrap(), None, true);
        t.push("idle".into(), Distribution::normal(0.0, 1.0).unwrap(), None, true);
        t.push("row".into(), Distribution::dirichlet(vec![6.0, 3.0, 1.0]).unwrap(), None, true);
        t.push("fixed".into(), Distribution::normal(2.0, 0.0).unwrap(), None, true);
        let elsewhere = t.push("elsewhere".into(), Distribution::beta_mean_sd(0.2, 0.05).unwrap(), None, true);
        m.params = t;
        // A transition matrix for areas this model does not have: no area's
        // `matrix_for` points at it.
        m.chains[0].matrices.push(Matrix {
            rows: vec![
                Row::Entries(vec![RowEntry::Rest, RowEntry::Value(Value::Slot(elsewhere))]),
                Row::Entries(vec![RowEntry::Value(Value::Fixed(0.5)), RowEntry::Rest]),
            ],
        });
        m.interventions = vec![Intervention {
            name: "koffie".into(),
            areas: vec![true, false],
            age_lo: 0,
            age_hi: 1,
            target: vec![],
            reach: Reach::Participants(Value::Fixed(5.0)),
            ramp_up: vec![],
            start_year: 2025,
            end_year: 2027,
            persistence_years: 0,
            drop_off: Value::Fixed(0.0),
            effects: vec![],
            fixed_costs: vec![],
            participant_costs: vec![CostItem { account: 0, amount: Value::Slot(cost) }],
            pm: vec![],
            state_effects: vec![],
            persistence_cycles: 0,
        }];
        m.scenarios[0].interventions = vec![0];
        m
    }

    #[test]
    fn entries_skip_degenerate_parameters_and_split_dirichlets() {
        let m = model();
        let b = param_bounds(&m.params);
        let names: Vec<String> = entries(&m.params, &b).into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["cost", "idle", "row[0]", "row[1]", "row[2]", "elsewhere"]);
        assert_eq!(b[3], Bounds { mean: vec![2.0], low: vec![2.0], high: vec![2.0] });
    }

    /// Standard normal: P5 = −1.64485, P95 = 1.64485. The sample quantile of
    /// n = 20,000 has sd sqrt(p (1 − p) / n) / φ(1.64485) = 0.00154 / 0.10314
    /// = 0.0149; the stream is fixed, so 4 sd (0.06) is a deterministic check
    /// that the method is right, not a flaky one.
    #[test]
    fn empirical_percentiles_of_a_normal_are_within_sampling_error() {
        let m = model();
        let b = Bounds::of(&m.params.params[1]);
        let sd = (LOW_P * (1.0 - LOW_P) / QUANTILE_SAMPLES as f64).sqrt() / 0.103_136;
        assert!((b.low[0] + 1.644_854).abs() < 4.0 * sd, "P5 {}", b.low[0]);
        assert!((b.high[0] - 1.644_854).abs() < 4.0 * sd, "P95 {}", b.high[0]);
        assert_eq!(b.mean, vec![0.0]);
        // Deterministic: the same every time, whatever the run's seed.
        assert_eq!(Bounds::of(&m.params.params[1]), b);
    }

    /// counts [0, 6, 3, 1]: component 0 is a structural zero (mean, P5 and
    /// P95 all exactly 0, so it is never an entry); component 1 is Beta(6, 4),
    /// whose P5 = 0.344941 and P95 = 0.831250 (from its CDF, the binomial sum
    /// Σ_{j=6..9} C(9, j) x^j (1 − x)^(9−j)), with sample-quantile sd 0.0022
    /// and 0.0016 at n = 20,000; moving it keeps the zero at 0.
    #[test]
    fn a_structural_zero_of_a_dirichlet_never_moves() {
        let mut t = ParamTable::default();
        t.push("row".into(), Distribution::dirichlet(vec![0.0, 6.0, 3.0, 1.0]).unwrap(), None, true);
        let b = param_bounds(&t);
        assert_eq!(b[0].mean, vec![0.0, 0.6, 0.3, 0.1]);
        assert_eq!((b[0].low[0], b[0].high[0]), (0.0, 0.0));
        assert!((b[0].low[1] - 0.344_941).abs() < 4.0 * 0.0023, "P5 {}", b[0].low[1]);
        assert!((b[0].high[1] - 0.831_250).abs() < 4.0 * 0.0017, "P95 {}", b[0].high[1]);
        let es = entries(&t, &b);
        let names: Vec<&str> = es.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["row[1]", "row[2]", "row[3]"]);
        let v = entry_params(&t, &params::means(&t), &es[0], es[0].value_low);
        assert_eq!(v[0], 0.0);
        assert_eq!(v[1], es[0].value_low);
        assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((v[2] / v[3] - 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_dirichlet_component_moves_and_the_others_are_rescaled() {
        let m = model();
        let b = param_bounds(&m.params);
        let means = params::means(&m.params);
        let es = entries(&m.params, &b);
        let e = es.iter().find(|e| e.name == "row[1]").unwrap();
        let v = entry_params(&m.params, &means, e, e.value_high);
        let row = &v[m.params.params[2].offset..m.params.params[2].offset + 3];
        assert_eq!(row[1], e.value_high);
        assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // The others keep their ratio 6 : 1.
        assert!((row[0] / row[2] - 6.0).abs() < 1e-9);
        // Every other slot stays at its mean.
        assert_eq!(v[0], means[0]);
        assert_eq!(v[1], means[1]);
    }

    #[test]
    fn an_unused_parameter_moves_nothing_and_a_unit_cost_moves_npv_linearly() {
        let m = model();
        let ctx = RunContext::new(&m).unwrap();
        let b = param_bounds(&m.params);
        let s = analyse(&ctx, &b, 1).unwrap();
        assert_eq!(s.areas, ["Noord", "Zuid", "totaal"]);
        for name in ["idle", "elsewhere"] {
            let e = s.entries.iter().position(|e| e.name == name).unwrap();
            for a in 0..3 {
                assert_eq!(s.low(e, 0, a), s.base(0, a), "{name}");
                assert_eq!(s.high(e, 0, a), s.base(0, a), "{name}");
            }
        }
        // Neither is simulated again: every arm reuses the base case's counts.
        let means = params::means(&m.params);
        let (_, counts) = runner::evaluate_reusing(&ctx, Mode::Cohort, 0, 0, means.clone(), None).unwrap();
        for e in s.entries.iter().filter(|e| e.name == "idle" || e.name == "elsewhere" || e.name == "cost") {
            let p = entry_params(&m.params, &means, e, e.value_high);
            let (r, _) = runner::evaluate_reusing(&ctx, Mode::Cohort, 0, 0, p, Some(&counts)).unwrap();
            assert_eq!(r.warnings.work_units, 0, "{}", e.name);
        }
        // 5 participants a year, discounted at 3 % from the first year on: PV of
        // participant-years = 5 (1 + 1/1.03 + 1/1.03²), all in Noord.
        let pv_participants = 5.0 * (1.0 + 1.0 / 1.03 + 1.0 / 1.03f64.powi(2));
        let e = &s.entries[0];
        assert_eq!(e.name, "cost");
        for (a, pv) in [(0, pv_participants), (1, 0.0), (2, pv_participants)] {
            let base = s.base(0, a).npv;
            assert!((base + e.value_mean * pv).abs() <= 1e-6 * (e.value_mean * pv).max(1.0), "base {base}");
            for (got, value) in [(s.high(0, 0, a).npv, e.value_high), (s.low(0, 0, a).npv, e.value_low)] {
                let want = -(value - e.value_mean) * pv;
                assert!(
                    ((got - base) - want).abs() <= 1e-6 * want.abs().max(1e-9),
                    "slot {a}: {got} - {base} vs {want}"
                );
            }
            // No social value in this model.
            assert_eq!(s.high(0, 0, a).npv_societal, s.high(0, 0, a).npv);
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let m = model();
        let ctx = RunContext::new(&m).unwrap();
        let b = param_bounds(&m.params);
        assert_eq!(analyse(&ctx, &b, 1).unwrap(), analyse(&ctx, &b, 2).unwrap());
    }

    /// Reusing the base case's counts gives exactly what a full simulation
    /// gives, for every kind of parameter of the full example (rows, risk
    /// factors, effects, costs, weights, SROI).
    #[test]
    fn reused_arms_give_the_same_numbers_as_a_full_simulation() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example-full.toml");
        let loaded = crate::scenario::load(&path).unwrap();
        let ctx = RunContext::new(&loaded.model).unwrap();
        let table = &loaded.model.params;
        let b = param_bounds(table);
        let means = params::means(table);
        let (_, counts) = runner::evaluate_reusing(&ctx, Mode::Cohort, 0, 0, means.clone(), None).unwrap();
        let es = entries(table, &b);
        assert!(es.len() > 10);
        let mut skipped = 0;
        for e in &es {
            let p = entry_params(table, &means, e, e.value_high);
            let full = runner::evaluate(&ctx, Mode::Cohort, 0, 0, p.clone()).unwrap();
            let (reused, _) = runner::evaluate_reusing(&ctx, Mode::Cohort, 0, 0, p, Some(&counts)).unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&full.metrics), bits(&reused.metrics), "{}", e.name);
            // Reused arms do no work.
            if reused.warnings.work_units < full.warnings.work_units {
                skipped += 1;
            }
        }
        // Costs, weights and SROI fields (at least) reuse arms.
        assert!(skipped >= 3, "only {skipped} of {} entries reused an arm", es.len());
    }
}
