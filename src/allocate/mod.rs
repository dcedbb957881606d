//! Budget allocation (`wijkimpact allocate`): which mix of options does most
//! within a budget, under uncertainty, and how sure is that choice?
//!
//! The pieces, in the order a run goes through them:
//!
//! - [`file`](mod@file): the portfolio file as written ([`file::PortfolioFile`], a
//!   one-to-one mirror of the TOML with positions);
//! - [`validate`]: its meaning checked and the options built
//!   ([`validate::Portfolio`]): every `[[option]]` becomes one
//!   [`validate::Candidate`] per area and scale, a copy of the intervention
//!   running in that area only, each in a scenario of one model; pairs of
//!   options in one area that share a joint block get a scenario of their own
//!   ([`validate::PairRun`]), so their interaction is simulated;
//! - [`evaluate`]: every candidate and pair simulated on the same draws
//!   (common random numbers), each valued in its own area
//!   ([`evaluate::Evaluation`]: five numbers per candidate and draw, and the
//!   mean costs per year and funder);
//! - [`solve`]: the portfolio chosen over those draws (sample average
//!   approximation): integer programs, Dinkelbach's method, a local search
//!   with a bound, and the best portfolio of every single draw;
//! - [`analyse`]: the recommended portfolio, the efficient frontier, the
//!   equity sweep, P(in best portfolio) and the fund round
//!   ([`result::AllocationReport`], written as `allocation.json`);
//! - [`tables`] and [`page`]: the tidy CSV tables and the Dutch report page.
//!
//! Nothing here writes files; the command line does (`src/cli/allocate.rs`).

pub mod analyse;
pub mod evaluate;
pub mod file;
pub mod page;
pub mod result;
pub mod solve;
pub mod tables;
pub mod validate;
