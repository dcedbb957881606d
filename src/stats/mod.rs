//! General statistics of a stream of numbers, apart from what a run
//! summarises ([`crate::summary`] builds on these):
//!
//! - [`moments`]: mean, standard deviation and Monte Carlo standard error in
//!   one pass ([`Welford`]);
//! - [`p2`]: one quantile in O(1) memory ([`P2Quantile`]);
//! - [`exact`]: type-7 quantiles, `P(x > 0)` and histograms of kept values
//!   ([`Exact`], [`Histogram`]);
//! - [`quantiles`]: quantile levels as users give them and files name them;
//! - [`weighted`]: weighted draws (importance sampling).
//!
//! `NaN` is a missing value throughout: counted, never added. No I/O.

pub mod exact;
pub mod moments;
pub mod p2;
pub mod quantiles;
pub mod weighted;

pub(crate) use exact::type7;
pub use exact::{Exact, Histogram};
pub use moments::Welford;
pub use p2::P2Quantile;
pub use quantiles::{normalise_quantiles, quantile_label};
