//! The `decision` section of `summary.json` (see [`crate::output::decision`]).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// `summary.json` `decision`: the decision analysis of the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionFile {
    /// The effect of the acceptability curves and the value of information (JSON `effect`).
    pub effect: String,
    /// Willingness to pay per unit of `effect`, euros (JSON `wtp`).
    pub wtp: f64,
    /// Draws analysed (JSON `draws`).
    pub draws: usize,
    /// Why the value of information may be unreliable (JSON `warning`).
    pub warning: Option<String>,
    /// Per area, then `totaal` (JSON `areas`).
    pub areas: IndexMap<String, AreaDecisionFile>,
}

/// One area's decision analysis.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AreaDecisionFile {
    /// People at the start: the divisor of the per-person values (JSON `population`).
    pub population: f64,
    /// The arm with the highest expected net benefit at `wtp` (JSON `optimal`).
    pub optimal: String,
    /// The share of draws in which it has the highest net benefit (JSON `p_optimal`).
    pub p_optimal: Option<f64>,
    /// Expected net monetary benefit per arm at `wtp`, euros (JSON `nmb`).
    pub nmb: IndexMap<String, Option<f64>>,
    /// EVPI for the population over the horizon at `wtp`, euros (JSON `evpi`).
    pub evpi: Option<f64>,
    /// EVPI per person (JSON `evpi_per_person`).
    pub evpi_per_person: Option<f64>,
    /// The incremental analysis per effect measure (JSON `incremental`).
    pub incremental: IndexMap<String, Vec<IncrementalFile>>,
    /// EVPPI per parameter group (and per parameter at the city total) (JSON `evppi`).
    pub evppi: Vec<EvppiFile>,
}

/// One arm of an incremental analysis, in order of cost.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IncrementalFile {
    /// Arm name.
    pub arm: String,
    /// Expected discounted cash costs, euros.
    pub cost: Option<f64>,
    /// Expected effect.
    pub effect: Option<f64>,
    /// `frontier`, `strongly_dominated` or `extendedly_dominated`.
    pub status: String,
    /// The arm the increments are against.
    pub compared_with: Option<String>,
    /// Incremental costs, euros.
    pub d_cost: Option<f64>,
    /// Incremental effect.
    pub d_effect: Option<f64>,
    /// Incremental cost-effectiveness ratio, euros per unit of effect.
    pub icer: Option<f64>,
}

/// The partial value of information of a group or a parameter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvppiFile {
    /// Group or parameter name.
    pub name: String,
    /// `group` or `parameter`.
    pub kind: String,
    /// The parameters it resolves.
    pub parameters: Vec<String>,
    /// EVPPI for the population over the horizon, euros.
    pub evppi: Option<f64>,
    /// Its standard error.
    pub se: Option<f64>,
    /// Per person.
    pub per_person: Option<f64>,
    /// Why the estimate may be unreliable.
    pub warning: Option<String>,
}
