//! `assumptions.json` (see [`crate::output::assumptions`] for the layout).
//!
//! The report prints the model settings, the SROI corrections and the
//! parameters' mean and percentiles as they are, key by key, whatever they
//! hold; so [`AssumptionsFile`] and its parts are generic over those pieces.
//! The writer fills them with typed values ([`ModelSettings`], [`Shape`],
//! [`SroiFile`], [`InterventionFile`]); a reader takes the defaults, open JSON
//! values, which also read files with fields this version does not know.
//! Every named field is defined once, here, for both.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Format version of `assumptions.json`.
pub const ASSUMPTIONS_FORMAT_VERSION: u32 = 1;

/// `assumptions.json`. `Settings` is the model settings, `Number` a
/// parameter's mean or percentile, `Scenario` a scenario's assumptions.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct AssumptionsFile<Settings = IndexMap<String, Value>, Number = Value, Scenario = ScenarioAssumptions> {
    #[serde(default)]
    pub format_version: u32,
    #[serde(default)]
    pub model: Settings,
    #[serde(default)]
    pub sensitivity: Option<SensitivityMethod>,
    #[serde(default)]
    pub accounts: Vec<AccountFile>,
    #[serde(default)]
    pub areas: Vec<AreaAssumptions>,
    #[serde(default)]
    pub parameters: Vec<ParameterFile<Number>>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// The settings of the model, with the mode of this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSettings {
    pub start_year: i32,
    pub horizon: usize,
    pub discount_rate_costs: f64,
    pub discount_rate_effects: f64,
    pub first_year_discounted: bool,
    /// `none`, `half-cycle` or `simpson`.
    pub cycle_correction: String,
    /// `rate` or `probability`.
    pub rr_convention: String,
    /// `cohort` or `stochastic`: the mode of this run.
    pub mode: String,
    pub max_age: usize,
}

/// How `sensitivity.csv` is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityMethod {
    pub low: f64,
    pub high: f64,
    pub samples: usize,
    pub mode: String,
    pub method: String,
}

/// A funder's account (`funder/taakveld`), as named in `pv_net/<name>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountFile {
    pub name: String,
    pub funder: String,
    #[serde(default)]
    pub taakveld: Option<String>,
    #[serde(default)]
    pub taakveld_name: Option<String>,
}

/// An area and its starting population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaAssumptions {
    pub name: String,
    pub population: f64,
}

/// An uncertain parameter: its distribution, mean and percentiles (one number
/// each, or one per Dirichlet component: see [`Shape`]), source and users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterFile<Number = Value> {
    pub name: String,
    #[serde(default)]
    pub named: bool,
    #[serde(default)]
    pub distribution: String,
    #[serde(default)]
    pub mean: Number,
    #[serde(default)]
    pub p5: Number,
    #[serde(default)]
    pub p95: Number,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    /// The fields that use a named parameter (empty for inline ones).
    #[serde(default)]
    pub used_by: Vec<String>,
}

/// A number, or one per Dirichlet component (`null` where not finite).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shape {
    One(Option<f64>),
    Many(Vec<Option<f64>>),
}

/// A scenario: its SROI corrections and interventions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScenarioAssumptions<Sroi = IndexMap<String, Value>, Intervention = Value> {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sroi: Sroi,
    #[serde(default)]
    pub interventions: Vec<Intervention>,
}

/// A model value: fixed, or a parameter (with its mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueFile {
    Fixed(Option<f64>),
    #[serde(untagged)]
    Parameter {
        parameter: String,
        mean: Option<f64>,
    },
}

/// The SROI corrections of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SroiFile {
    pub deadweight: ValueFile,
    pub attribution: ValueFile,
    pub displacement: ValueFile,
}

/// The states of a chain an intervention targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetFile {
    pub chain: String,
    pub states: Vec<String>,
}

/// A cost booked on an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostFile {
    pub account: String,
    pub amount: ValueFile,
}

/// An intervention's effect on a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EffectFile {
    RelativeRisk { chain: String, from: Vec<String>, to: Vec<String>, rr: ValueFile, convention: String },
    Shift { chain: String, from: String, to: String, share: ValueFile },
}

/// An intervention of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterventionFile {
    pub name: String,
    pub areas: Vec<String>,
    pub ages: [usize; 2],
    pub start_year: i32,
    pub end_year: i32,
    pub target: Vec<TargetFile>,
    /// One entry: `share` or `participants`.
    pub reach: IndexMap<String, ValueFile>,
    pub ramp_up: Vec<ValueFile>,
    pub persistence_years: usize,
    pub drop_off: ValueFile,
    pub effects: Vec<EffectFile>,
    pub fixed_costs: Vec<CostFile>,
    pub participant_costs: Vec<CostFile>,
}

/// `assumptions.json` as the writer fills it.
pub type AssumptionsDoc = AssumptionsFile<ModelSettings, Shape, ScenarioAssumptions<SroiFile, InterventionFile>>;
