//! Decision analysis of a probabilistic run (beslisanalyse): which arm to
//! choose, how sure that choice is, and what uncertainty is worth resolving.
//!
//! Everything here works on numbers the run already has, draw by draw, and
//! knows nothing of scenarios, files or the command line:
//!
//! - [`incremental`]: the incremental analysis of all arms (ranking, strong
//!   and extended dominance, ICERs, net monetary benefit);
//! - [`acceptability`]: cost-effectiveness acceptability curves, the
//!   acceptability frontier and expected loss over willingness to pay;
//! - [`voi`]: the expected value of perfect information (EVPI) and of partial
//!   perfect information (EVPPI) for a parameter or a group, with its
//!   standard error (regression on the draws after Strong, Oakley and
//!   Brennan 2014, with restricted cubic splines instead of mgcv; several
//!   groups in parallel with [`voi::evppi_groups`]);
//! - [`analysis`]: the above for a run, per area, from the draws it keeps;
//! - [`sobol`]: variance-based sensitivity (Sobol first-order and total
//!   indices) on its own sample design, and [`sobol_run`] the model runs of
//!   that design and their factors.

pub mod acceptability;
pub mod analysis;
pub mod incremental;
pub mod sobol;
pub mod sobol_run;
pub mod voi;
