//! # wijkimpact
//!
//! A Monte Carlo engine for the *maatschappelijke businesscase* (social
//! cost-benefit analysis) of collective interventions in the *sociale basis*.
//!
//! The principal types and how they connect:
//!
//! - [`scenario`] reads TOML files into a [`scenario::ScenarioFile`] that mirrors
//!   them one to one, then validates and resolves it into a [`model::Model`]:
//!   areas with their population and demography, state [`model::Chain`]s
//!   (indicators and care trajectories), risk factors, [`model::Intervention`]s
//!   and [`model::Scenario`]s. Errors name file, line, column and field.
//! - [`params`] samples every uncertain number of a `Model` once per draw from
//!   [`dist::Distribution`]s, using streams from [`rng`] keyed by (seed, draw,
//!   purpose), never by thread.
//! - [`sim`] simulates one draw: the nulalternatief and every scenario, year by
//!   year, in cohort (expected values) or stochastic (whole people) mode, with
//!   common random numbers, filling a [`ledger::Ledger`] per arm.
//! - [`business`] turns the ledgers of one draw into business-case metrics per
//!   scenario and area: avoided care, cash flows per funder and taakveld,
//!   present values, NPV, benefit/cost ratio, break-even year.
//! - [`arms`] totals each arm's own costs, outcomes and life-years over the
//!   horizon (per area and city-wide, discounted and not) for the per-arm results.
//! - [`runner`] owns the loop over draws (parallel with rayon, results handed to
//!   a [`runner::DrawSink`] in draw order, so memory does not grow with draws);
//!   [`summary`] turns the stream into means, standard errors and quantiles
//!   (with the general estimators of [`stats`]).
//! - [`output`] writes run directories (JSON, tidy CSV, manifest) atomically;
//!   [`sensitivity`] adds the one-way sensitivity analysis.
//! - [`report`] reads a run directory back ([`report::RunData`]) and renders the
//!   advisor's self-contained HTML report in Dutch or English.
//! - [`claim`] checks an investeringsfonds application: it is validated into a
//!   scenario model, simulated, and each claimed figure gets a probability, a
//!   verdict and the effect size it needs ([`claim::result::ClaimReport`]).
//! - [`allocate`] chooses the portfolio of options (an intervention in one
//!   area at one scale, or a fund application) that does most within a
//!   budget: every option is simulated on the same draws, options that reach
//!   the same people are simulated together, and an integer program picks
//!   the portfolio over the draws ([`allocate::result::AllocationReport`]).
//! - [`monitor`] compares observed figures with a running scenario's simulated
//!   bands and updates its business case by importance re-weighting
//!   ([`monitor::MonitorReport`]).
//!
//! The simulation core (`params`, `sim`, `business`, `runner`, `summary`) does
//! no file or terminal I/O.
//!
//! ## Example: load a scenario, run draws, read the summary
//!
//! ```
//! use std::path::Path;
//! use wijkimpact::model::Mode;
//! use wijkimpact::runner::{self, RunContext, RunOptions};
//! use wijkimpact::summary::Summariser;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Phase one and two of loading: TOML → ScenarioFile → validated Model.
//! let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example-full.toml");
//! let model = wijkimpact::scenario::load(&path)?.model;
//!
//! // 200 draws in cohort mode; same seed and draws give the same numbers on any
//! // thread count.
//! let ctx = RunContext::new(&model)?;
//! let opts = RunOptions::new(7, 200, Mode::Cohort);
//! let mut summariser = Summariser::new(&ctx, &[0.05, 0.5, 0.95])?;
//! runner::run(&ctx, &opts, &mut summariser, &mut |_done| {})?;
//! let summary = summariser.finish();
//!
//! // The NPV of the first scenario against the nulalternatief, whole area.
//! let npv = summary.metric_index("npv").expect("every run has an NPV");
//! let total = summary.areas.len() - 1; // the last slot is the total ("totaal")
//! let stat = summary.metric(0, total, npv);
//! println!("NPV mean € {:.0} (MCSE € {:.0}), P(NPV > 0) = {:?}", stat.mean, stat.mcse, stat.p_positive);
//! assert_eq!(stat.n + stat.missing, 200);
//! # Ok(())
//! # }
//! ```

// Numeric kernels index several parallel arrays with one loop variable;
// iterator zips would hide which dimension is which.
#![allow(clippy::needless_range_loop)]
// Every public item is documented; CI builds the docs with warnings as errors.
#![warn(missing_docs)]

pub mod allocate;
pub mod arms;
pub mod business;
pub mod claim;
pub mod decision;
pub mod dist;
pub mod expr;
pub mod hash;
pub mod ledger;
pub mod model;
pub mod monitor;
pub mod output;
pub mod params;
pub mod render;
pub mod report;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod sensitivity;
pub mod sim;
pub mod sources;
pub mod stats;
pub mod summary;
