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
    /// Format version (JSON `format_version`, [`ASSUMPTIONS_FORMAT_VERSION`]); 0 when absent.
    #[serde(default)]
    pub format_version: u32,
    /// The model settings (JSON `model`).
    #[serde(default)]
    pub model: Settings,
    /// How `sensitivity.csv` was made (JSON `sensitivity`); absent when it was not.
    #[serde(default)]
    pub sensitivity: Option<SensitivityMethod>,
    /// The funders' accounts, in model order (JSON `accounts`).
    #[serde(default)]
    pub accounts: Vec<AccountFile>,
    /// The areas (wijken), in model order (JSON `areas`).
    #[serde(default)]
    pub areas: Vec<AreaAssumptions>,
    /// Every uncertain parameter, named ones first (JSON `parameters`).
    #[serde(default)]
    pub parameters: Vec<ParameterFile<Number>>,
    /// The scenarios, in model order (JSON `scenarios`).
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// The settings of the model, with the mode of this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSettings {
    /// First simulated calendar year (JSON `start_year`).
    pub start_year: i32,
    /// Number of simulated cycles: years, or with `cycle_length` cycles of that length (JSON `horizon`).
    pub horizon: usize,
    /// Yearly discount rate for money, a fraction (JSON `discount_rate_costs`, 0.0225 = 2.25%).
    pub discount_rate_costs: f64,
    /// Yearly discount rate for health and social effects, a fraction (JSON `discount_rate_effects`).
    pub discount_rate_effects: f64,
    /// Whether the first year is already discounted one period (JSON `first_year_discounted`).
    pub first_year_discounted: bool,
    /// `none` (counting at the start of each year), `end`, `half-cycle`, `simpson`,
    /// `all-boundaries` or `custom` (the weights in `cycle_weights`).
    pub cycle_correction: String,
    /// `rate` or `probability`.
    pub rr_convention: String,
    /// `cohort` or `stochastic`: the mode of this run.
    pub mode: String,
    /// Oldest age simulated, in years (JSON `max_age`).
    pub max_age: usize,
    /// Length of one model cycle in years (JSON `cycle_length`, 1/12 for
    /// months); absent for yearly cycles, when `horizon` counts years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_length: Option<f64>,
    /// `boundary` when each boundary count is discounted at its own time;
    /// absent under the default `cycle-start` (JSON `discount_timing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_timing: Option<String>,
    /// The custom boundary weights w_0..w_H when `cycle_correction` is
    /// `custom`; absent otherwise (JSON `cycle_weights`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_weights: Option<Vec<f64>>,
}

/// How `sensitivity.csv` is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityMethod {
    /// Low percentile a parameter is set to, as a fraction (JSON `low`, 0.05 = P5).
    pub low: f64,
    /// High percentile a parameter is set to, as a fraction (JSON `high`, 0.95 = P95).
    pub high: f64,
    /// Samples drawn to estimate those percentiles (JSON `samples`).
    pub samples: usize,
    /// Simulation mode of the analysis (JSON `mode`, `cohort`).
    pub mode: String,
    /// The method in words, for the report (JSON `method`).
    pub method: String,
}

/// A funder's account (`funder/taakveld`), as named in `pv_net/<name>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountFile {
    /// Account name, `funder` or `funder/taakveld` (JSON `name`).
    pub name: String,
    /// The funder (financier) who pays or gains (JSON `funder`).
    pub funder: String,
    /// Municipal budget line code (taakveld, e.g. `6.71`) (JSON `taakveld`).
    #[serde(default)]
    pub taakveld: Option<String>,
    /// The taakveld's name (JSON `taakveld_name`).
    #[serde(default)]
    pub taakveld_name: Option<String>,
}

/// An area and its starting population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaAssumptions {
    /// Area (wijk) name (JSON `name`).
    pub name: String,
    /// Starting population, persons (JSON `population`).
    pub population: f64,
}

/// An uncertain parameter: its distribution, mean and percentiles (one number
/// each, or one per Dirichlet component: see [`Shape`]), source and users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterFile<Number = Value> {
    /// Parameter name; an inline parameter is named after the field it sits in (JSON `name`).
    pub name: String,
    /// Whether it is a named parameter of the `[parameters]` table, shared by its users (JSON `named`).
    #[serde(default)]
    pub named: bool,
    /// The distribution in words, e.g. `lognormal(…)` (JSON `distribution`).
    #[serde(default)]
    pub distribution: String,
    /// Mean, in the parameter's unit (JSON `mean`).
    #[serde(default)]
    pub mean: Number,
    /// 5th percentile (JSON `p5`).
    #[serde(default)]
    pub p5: Number,
    /// 95th percentile (JSON `p95`).
    #[serde(default)]
    pub p95: Number,
    /// The parameter's `note` from the input (JSON `note`).
    #[serde(default)]
    pub note: Option<String>,
    /// The source comment above a named parameter in the input (JSON `comment`).
    #[serde(default)]
    pub comment: Option<String>,
    /// The fields that use a named parameter (empty for inline ones).
    #[serde(default)]
    pub used_by: Vec<String>,
    /// For a derived parameter, its expression as written, with the reserved
    /// variables it binds (JSON `expr`, absent for sampled parameters). Its
    /// `distribution` is then `expression`, its `mean` the expression at the
    /// means of its inputs (the base case), and `p5`/`p95` are null: it moves
    /// with its inputs in every draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expr: Option<String>,
}

/// A number, or one per Dirichlet component (`null` where not finite).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shape {
    /// One number.
    One(Option<f64>),
    /// One number per Dirichlet component.
    Many(Vec<Option<f64>>),
}

/// A scenario: its SROI corrections and interventions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScenarioAssumptions<Sroi = IndexMap<String, Value>, Intervention = Value> {
    /// Scenario name (JSON `name`).
    pub name: String,
    /// The scenario's description (JSON `description`).
    #[serde(default)]
    pub description: String,
    /// SROI corrections (JSON `sroi`).
    #[serde(default)]
    pub sroi: Sroi,
    /// The scenario's interventions (JSON `interventions`).
    #[serde(default)]
    pub interventions: Vec<Intervention>,
}

/// A model value: fixed, or a parameter (with its mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueFile {
    /// A fixed number (JSON `{"fixed": x}`).
    Fixed(Option<f64>),
    /// An uncertain parameter and its mean (JSON `{"parameter": name, "mean": x}`).
    #[serde(untagged)]
    Parameter {
        /// Parameter name.
        parameter: String,
        /// Its mean.
        mean: Option<f64>,
    },
}

/// The SROI corrections of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SroiFile {
    /// Share of the effect that would have happened anyway (JSON `deadweight`, a fraction).
    pub deadweight: ValueFile,
    /// Share of the effect due to this intervention rather than others (JSON `attribution`, a fraction).
    pub attribution: ValueFile,
    /// Share of the effect that only moves elsewhere (JSON `displacement`, a fraction).
    pub displacement: ValueFile,
}

/// The states of a chain an intervention targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetFile {
    /// Chain name (JSON `chain`).
    pub chain: String,
    /// The states targeted (JSON `states`).
    pub states: Vec<String>,
}

/// A cost booked on an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostFile {
    /// Account name (JSON `account`).
    pub account: String,
    /// Amount in euro: per year for fixed costs, per participant per year for participant costs (JSON `amount`).
    pub amount: ValueFile,
}

/// An intervention's effect on a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EffectFile {
    /// A relative risk on transitions (JSON `kind: "relative_risk"`).
    RelativeRisk {
        /// Chain name.
        chain: String,
        /// Source states.
        from: Vec<String>,
        /// Target states.
        to: Vec<String>,
        /// The relative risk (dimensionless).
        rr: ValueFile,
        /// Whether `rr` multiplies the rate or the probability (`rate`/`probability`).
        convention: String,
    },
    /// A one-off shift of people between states (JSON `kind: "shift"`).
    Shift {
        /// Chain name.
        chain: String,
        /// Source state.
        from: String,
        /// Target state.
        to: String,
        /// Share of `from` moved, a fraction.
        share: ValueFile,
    },
    /// Outcomes and costs per participant-year spent in some states (JSON
    /// `kind: "state"`): a treatment that raises a state's utility or adds a
    /// drug cost while in it.
    State {
        /// Chain name.
        chain: String,
        /// The states whose person-years count.
        states: Vec<String>,
        /// Outcome units per person-year, by outcome (only those not 0).
        outcomes: IndexMap<String, ValueFile>,
        /// Costs per person-year in the states.
        costs: Vec<CostFile>,
    },
}

/// An intervention of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterventionFile {
    /// Intervention name (JSON `name`).
    pub name: String,
    /// Areas (wijken) where it runs (JSON `areas`).
    pub areas: Vec<String>,
    /// Youngest and oldest age reached, inclusive (JSON `ages`).
    pub ages: [usize; 2],
    /// First year it runs (JSON `start_year`).
    pub start_year: i32,
    /// Last year it runs (JSON `end_year`).
    pub end_year: i32,
    /// The states it targets (JSON `target`).
    pub target: Vec<TargetFile>,
    /// One entry: `share` or `participants`.
    pub reach: IndexMap<String, ValueFile>,
    /// Fraction of full reach in the first years (JSON `ramp_up`).
    pub ramp_up: Vec<ValueFile>,
    /// Years the effect lasts after participation (JSON `persistence_years`).
    pub persistence_years: usize,
    /// Yearly fraction of the effect lost after that (JSON `drop_off`).
    pub drop_off: ValueFile,
    /// Its effects (JSON `effects`).
    pub effects: Vec<EffectFile>,
    /// Costs per year (JSON `fixed_costs`).
    pub fixed_costs: Vec<CostFile>,
    /// Costs per participant per year (JSON `participant_costs`).
    pub participant_costs: Vec<CostFile>,
}

/// `assumptions.json` as the writer fills it.
pub type AssumptionsDoc = AssumptionsFile<ModelSettings, Shape, ScenarioAssumptions<SroiFile, InterventionFile>>;
