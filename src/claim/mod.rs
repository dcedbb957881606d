//! Investeringsfonds claim check: how likely is the return an applicant claims?
//!
//! An application ([`mod@file`]) describes an initiative (target group, reach,
//! years, costs per funder and taakveld), the effect it assumes with the
//! evidence behind it, and the claimed return. [`validate`] checks it against
//! the city description it names and turns it into an ordinary scenario model
//! (a closed cohort of the target group with the rates of its stadsdeel),
//! building the scenario as typed data whose errors point back into the
//! application;
//! [`check`] simulates it, compares every claimed figure with the simulated
//! distribution and solves for the break-even effect; [`result`] is what comes
//! out (`claim.json`) and [`page`] the one-page committee summary.

mod build;
pub mod check;
pub mod file;
mod origins;
pub mod page;
pub mod result;
pub(crate) mod rules;
mod text;
pub mod validate;
