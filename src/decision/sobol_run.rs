//! Sobol indices of a model (variance-based sensitivity analysis): the
//! factors (the declared parameter groups, and every other uncertain
//! parameter together as one more factor), the model runs of the Saltelli
//! design ([`super::sobol::Design`]) and the indices of the net present
//! value of every scenario in every area slot.
//!
//! Row `r` of the design takes its parameters from two independent draws of
//! every parameter, A_j = draw 2j and B_j = draw 2j + 1 of the run seed (the
//! same streams a run uses, so a parameter's samples do not depend on the
//! others); a mixed row takes the factor's parameters from B_j and the rest
//! from A_j. Derived parameters follow their inputs in every row. The model
//! runs in cohort mode (no person-level chance: that would add variance no
//! parameter explains). Rows run in parallel and are collected in row order,
//! so the output does not depend on the thread count, and a shard (a range
//! of whole design blocks) gives exactly its rows of the whole design.
//!
//! Nothing here does I/O.

use rayon::prelude::*;

use super::sobol::{Design, Indices, Row};
use crate::business::NPV;
use crate::model::{Mode, Model};
use crate::params;
use crate::runner::{self, RunContext, RunError};

/// The name of the factor holding every uncertain parameter not in a group.
pub const OTHER_FACTOR: &str = "overige parameters";

/// One factor of the analysis: parameters switched together.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// The group's name (or [`OTHER_FACTOR`]).
    pub name: String,
    /// The parameters it holds.
    pub parameters: Vec<String>,
    /// Every slot of those parameters (all components of a dirichlet).
    pub slots: Vec<usize>,
}

/// The factors of `model`: its parameter groups in order (which may not
/// share a parameter: a Sobol factor is switched as a whole), then, when
/// any uncertain parameter is in no group, [`OTHER_FACTOR`] with all of
/// them. The reason when two groups overlap or there is nothing to vary.
pub fn factors(model: &Model) -> Result<Vec<Factor>, String> {
    let table = &model.params;
    let slots_of = |name: &str| -> Vec<usize> {
        match table.params.iter().find(|p| p.name == name) {
            Some(p) => (p.offset..p.offset + p.len()).collect(),
            // A named derived parameter is computed from its inputs in every
            // row, so switching it alone has no effect: it contributes no slot.
            None => vec![],
        }
    };
    let mut out: Vec<Factor> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; table.slots];
    for g in &model.decision.groups {
        let mut slots = Vec::new();
        for p in &g.parameters {
            for s in slots_of(p) {
                if let Some(o) = owner[s] {
                    return Err(format!(
                        "parameter `{p}` is in parameter groups `{}` and `{}`; for Sobol indices every parameter may be in one group only (a factor is switched as a whole)",
                        out[o].name, g.name
                    ));
                }
                owner[s] = Some(out.len());
                slots.push(s);
            }
        }
        out.push(Factor { name: g.name.clone(), parameters: g.parameters.clone(), slots });
    }
    let mut rest = Factor { name: OTHER_FACTOR.into(), parameters: vec![], slots: vec![] };
    for p in &table.params {
        if (p.offset..p.offset + p.len()).all(|s| owner[s].is_none()) {
            rest.parameters.push(p.name.clone());
            rest.slots.extend(p.offset..p.offset + p.len());
        }
    }
    if !rest.slots.is_empty() {
        out.push(rest);
    }
    if out.iter().all(|f| f.slots.is_empty()) {
        return Err("the model has no uncertain parameters: Sobol indices need at least one distribution".into());
    }
    Ok(out)
}

/// The parameter vector of design row `r` (before derived parameters are computed).
pub fn row_params(model: &Model, design: &Design, factors: &[Factor], seed: u64, r: usize) -> Vec<f64> {
    let draw = |k: usize| params::sample_draw(&model.params, seed, k as u64);
    match design.row(r) {
        Row::A { j } => draw(2 * j),
        Row::B { j } => draw(2 * j + 1),
        Row::Mixed { j, group } => {
            let mut a = draw(2 * j);
            let b = draw(2 * j + 1);
            for &s in &factors[group].slots {
                a[s] = b[s];
            }
            a
        }
    }
}

/// The net present value of every scenario in every area slot for the
/// design rows `rows`: `[row - rows.start][scenario][area slot]`, on
/// `threads` worker threads (0 = all cores); `progress` gets the rows done.
pub fn run_rows(
    ctx: &RunContext<'_>,
    design: &Design,
    factors: &[Factor],
    seed: u64,
    rows: std::ops::Range<usize>,
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<f64>, RunError> {
    let model = ctx.model;
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| RunError::Threads(e.to_string()))?;
    let (n_scen, n_slots) = (model.scenarios.len(), ctx.n_area_slots());
    let mut out = Vec::with_capacity(rows.len() * n_scen * n_slots);
    let chunk = (pool.current_num_threads() * 8).max(8);
    let all: Vec<usize> = rows.collect();
    let mut done = 0u64;
    for block in all.chunks(chunk) {
        let results: Vec<Result<Vec<f64>, crate::sim::SimError>> = pool.install(|| {
            block
                .par_iter()
                .map(|&r| {
                    let p = row_params(model, design, factors, seed, r);
                    let d = runner::evaluate(ctx, Mode::Cohort, seed, r as u64, p)?;
                    let mut y = Vec::with_capacity(n_scen * n_slots);
                    for s in 0..n_scen {
                        for a in 0..n_slots {
                            y.push(d.metrics[ctx.metric_index(s, a, NPV)]);
                        }
                    }
                    Ok(y)
                })
                .collect()
        });
        for r in results {
            out.extend(r?);
        }
        done += block.len() as u64;
        progress(done);
    }
    Ok(out)
}

/// The Sobol indices of the NPV of scenario `s` in area slot `a` from the
/// outputs of every design row (`y` from [`run_rows`] over the whole design).
pub fn indices_of(
    y: &[f64],
    design: &Design,
    n_scen: usize,
    n_slots: usize,
    (s, a): (usize, usize),
    bootstrap: usize,
    seed: u64,
) -> Result<Indices, super::sobol::SobolError> {
    let col: Vec<f64> = (0..design.runs()).map(|r| y[(r * n_scen + s) * n_slots + a]).collect();
    super::sobol::indices(&col, design, bootstrap, seed)
}
