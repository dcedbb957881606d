//! The validated model: every name resolved to an index, every age band expanded
//! to per-age lookup tables, every uncertain number turned into a [`Value`] that
//! points into the per-draw parameter vector.
//!
//! A [`Model`] is built by [`crate::scenario`] from one or more TOML files and is
//! immutable afterwards. The simulation core ([`crate::sim`]) reads it but never
//! looks at the files again, so a `Model` can also be built directly in code
//! (tests and benches do).

use crate::dist::Distribution;

/// A number in the model: a literal, or a slot in the per-draw parameter vector.
///
/// Named parameters and anonymous inline distributions are both slots; a named
/// parameter used in several places is one slot, so it is sampled once per draw
/// and every use moves together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A literal number from the scenario file, the same in every draw.
    Fixed(f64),
    /// Index into the per-draw parameter vector (see [`ParamTable`]).
    Slot(usize),
}

impl Value {
    /// The value in a draw, given that draw's sampled parameter vector.
    #[inline]
    pub fn get(self, draw: &[f64]) -> f64 {
        match self {
            Value::Fixed(x) => x,
            Value::Slot(i) => draw[i],
        }
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Fixed(x)
    }
}

/// One uncertain parameter: a distribution occupying `len` consecutive slots
/// (1 for scalar distributions, k for a Dirichlet over k categories).
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name written in the file, or the field path for an inline distribution
    /// (e.g. `chain.loneliness.transitions[0].matrix[1][2]`).
    pub name: String,
    /// Distribution the parameter is sampled from in every draw.
    pub dist: Distribution,
    /// First slot of the parameter in the per-draw vector.
    pub offset: usize,
    /// The `note` given with the distribution (`note = "…"`), if any.
    pub note: Option<String>,
    /// True for named parameters (`[parameters]`), false for inline distributions.
    pub named: bool,
    /// For a named parameter, the source comment of the scenario file: the
    /// `#` lines directly above its key plus a trailing comment on the key's
    /// line, without the `#`, joined by spaces (see
    /// `scenario::source_comment`). `None` for inline distributions and
    /// parameters without comments.
    pub comment: Option<String>,
    /// For a named parameter, the field paths that use it (in the order the
    /// validator resolved them, without repeats); empty for inline
    /// distributions, whose name is their only use.
    pub used_by: Vec<String>,
}

impl Parameter {
    /// The slots that vary independently: all of them, but for a dirichlet
    /// the first k − 1 (the last is one minus their sum). The inputs of a
    /// regression on the parameter (the EVPPI), where a dependent column
    /// would only be collinear.
    pub fn free_slots(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.len().saturating_sub(1).max(1)
    }
    /// Number of slots the parameter occupies (its distribution's dimension).
    pub fn len(&self) -> usize {
        self.dist.dim()
    }
    /// True when the parameter occupies no slots (never for a validated model; pairs with `len`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// All uncertain parameters of a model, laid out in one flat vector per draw.
#[derive(Debug, Clone, Default)]
pub struct ParamTable {
    /// Parameters in slot order; their `offset`s increase.
    pub params: Vec<Parameter>,
    /// Total number of slots (sum of `len()`, plus one per derived parameter).
    pub slots: usize,
    /// Derived parameters (afgeleide parameters, `"c_soc + 12000"`): one slot
    /// each, between the sampled slots, computed from the other slots of the
    /// draw in this order (inputs before what they feed); see [`ParamTable::derive`].
    pub derived: Vec<Derived>,
}

/// A parameter computed from others by an expression ([`crate::expr`]),
/// once per draw after sampling: it moves with its inputs in every draw,
/// so their uncertainty propagates into it. It uses no random numbers.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The `[parameters]` name, or the field path of the value it was written in.
    pub name: String,
    /// Its slot in the per-draw vector.
    pub slot: usize,
    /// The expression as written.
    pub source: String,
    /// Reserved variables bound for this slot (e.g. `years_in_state` = 2),
    /// in the order given; empty for most.
    pub bindings: Vec<(String, f64)>,
    /// The expression with every name resolved to a slot or a number.
    pub expr: crate::expr::CompiledExpr,
    /// True for a `[parameters]` entry, false for an expression written in place.
    pub named: bool,
    /// The `note` given with it (`{ expr = "…", note = "…" }`), if any.
    pub note: Option<String>,
    /// Source comment of a `[parameters]` entry (as [`Parameter::comment`]).
    pub comment: Option<String>,
    /// Field paths that use it (as [`Parameter::used_by`]).
    pub used_by: Vec<String>,
    /// What the fields using it allow: checked in every draw ([`ParamTable::check_derived`]).
    pub limits: Vec<DerivedLimit>,
}

/// The range a field allows a derived value in, e.g. [0, 1] for a probability.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedLimit {
    /// The field path that uses the derived value.
    pub field: String,
    /// Least value allowed.
    pub low: f64,
    /// Greatest value allowed.
    pub high: f64,
    /// What the field allows, for the message ("a probability between 0 and 1").
    pub what: String,
}

/// A derived parameter took a value its field does not allow in a draw (a
/// probability above 1, a negative relative risk, NaN): the run stops rather
/// than clamping it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "derived parameter `{name}` = \"{expr}\"{bound} is {value} in draw {draw}, but {field} needs {what}; check the expression and the distributions of its inputs"
)]
pub struct DerivedOutOfRange {
    /// The derived parameter.
    pub name: String,
    /// Its expression.
    pub expr: String,
    /// `" (with years_in_state = 2)"` when reserved variables are bound, else empty.
    pub bound: String,
    /// The draw (0 for the cases of the sensitivity analysis).
    pub draw: u64,
    /// The value it took.
    pub value: f64,
    /// The field that uses it.
    pub field: String,
    /// What the field allows, e.g. "a probability between 0 and 1".
    pub what: String,
}

impl ParamTable {
    /// Register a parameter and return the first slot it occupies.
    pub fn push(&mut self, name: String, dist: Distribution, note: Option<String>, named: bool) -> usize {
        let offset = self.slots;
        self.slots += dist.dim();
        self.params.push(Parameter { name, dist, offset, note, named, comment: None, used_by: vec![] });
        offset
    }

    /// The parameter occupying `slot`, with the component index within it.
    pub fn param_of_slot(&self, slot: usize) -> Option<(&Parameter, usize)> {
        let i = self.params.partition_point(|p| p.offset + p.len() <= slot);
        self.params.get(i).filter(|p| p.offset <= slot).map(|p| (p, slot - p.offset))
    }

    /// Slot names in slot order (a Dirichlet of k categories gives
    /// `name[0]..name[k-1]`; a derived parameter its name).
    pub fn slot_names(&self) -> Vec<String> {
        let mut out = vec![String::new(); self.slots];
        for p in &self.params {
            if p.len() == 1 {
                out[p.offset] = p.name.clone();
            } else {
                for k in 0..p.len() {
                    out[p.offset + k] = format!("{}[{}]", p.name, k);
                }
            }
        }
        for d in &self.derived {
            out[d.slot] = format!("{}{}", d.name, bound_suffix(&d.bindings));
        }
        out
    }

    /// Register a derived parameter (its `slot` is set here) and return its slot.
    /// It must come after the derived parameters it reads (see [`ParamTable::derived`]).
    pub fn push_derived(&mut self, mut d: Derived) -> usize {
        d.slot = self.slots;
        self.slots += 1;
        self.derived.push(d);
        self.slots - 1
    }

    /// The derived parameter occupying `slot`, if any.
    pub fn derived_of_slot(&self, slot: usize) -> Option<&Derived> {
        self.derived.iter().find(|d| d.slot == slot)
    }

    /// Compute every derived slot of `draw` from its other slots, in order.
    /// Call after setting the sampled slots (or after moving one, as the
    /// sensitivity analysis does); computing twice gives the same vector.
    pub fn derive(&self, draw: &mut [f64]) {
        for d in &self.derived {
            draw[d.slot] = d.expr.eval(draw);
        }
    }

    /// The first derived value of `draw` outside what a field using it
    /// allows (NaN and infinity never are), in derivation order.
    pub fn check_derived(&self, draw_no: u64, draw: &[f64]) -> Result<(), Box<DerivedOutOfRange>> {
        for d in &self.derived {
            let x = draw[d.slot];
            let failed = d.limits.iter().find(|l| !(x >= l.low && x <= l.high && x.is_finite()));
            // Not used where a range applies, NaN or infinity is still never a valid input.
            let (field, what) = match failed {
                Some(l) => (l.field.clone(), l.what.clone()),
                None if !x.is_finite() => {
                    (d.used_by.first().cloned().unwrap_or_else(|| d.name.clone()), "a finite number".to_string())
                }
                None => continue,
            };
            return Err(Box::new(DerivedOutOfRange {
                name: d.name.clone(),
                expr: d.source.clone(),
                bound: bound_text(&d.bindings),
                draw: draw_no,
                value: x,
                field,
                what,
            }));
        }
        Ok(())
    }
}

/// `"[cycle=3,age=40]"` for bound reserved variables, else empty: what
/// tells one slot of an expression from another in a column name.
pub(crate) fn bound_suffix(bindings: &[(String, f64)]) -> String {
    if bindings.is_empty() {
        return String::new();
    }
    let b: Vec<String> = bindings.iter().map(|(n, x)| format!("{n}={x}")).collect();
    format!("[{}]", b.join(","))
}

/// `" (with years_in_state = 2)"` for bound reserved variables, else empty.
pub(crate) fn bound_text(bindings: &[(String, f64)]) -> String {
    if bindings.is_empty() {
        return String::new();
    }
    let b: Vec<String> = bindings.iter().map(|(n, x)| format!("{n} = {x}")).collect();
    format!(" (with {})", b.join(", "))
}

/// Within-cycle correction for person-years counted in annual cycles: the
/// weights w_0..w_H given to the counts at the year boundaries (see
/// [`crate::sim::cycles`] and docs/scenario-format.md §5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CycleCorrection {
    /// Count at the start of each year, `"start"` (or `"none"`): w = (1, …, 1, 0).
    #[default]
    None,
    /// Average of start and end of the year (trapezoid / half-cycle / life-table
    /// method): w = (½, 1, …, 1, ½).
    HalfCycle,
    /// Composite Simpson's 1/3 rule over pairs of years, w = (1, 4, 2, …, 4, 1)/3;
    /// with an odd horizon H ≥ 3 the last three years use Simpson's 3/8 rule.
    Simpson,
    /// Count at the end of each year, `"end"`: w = (0, 1, …, 1).
    End,
    /// Count every boundary 0..=H once, `"all-boundaries"` (DARTH's "none"): w = (1, …, 1).
    AllBoundaries,
    /// The weights of `[model] cycle_weights` ([`Settings::cycle_weights`]).
    Custom,
}

/// When a year's amounts are discounted (`[model] discount_timing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiscountTiming {
    /// A year's corrected amounts all at the year's start factor (1+r)^−t.
    #[default]
    CycleStart,
    /// Each boundary count at its own time: PV = Σ_k w_k N_k (1+r)^−k
    /// (Elbasha & Chhatwal 2016; the DARTH tutorials).
    Boundary,
}

/// How a relative risk modifies a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RrConvention {
    /// Multiply the competing hazards (rates) of the exits; always yields a valid row.
    #[default]
    Rate,
    /// Multiply the transition probability; the probability of staying absorbs the rest.
    /// A row whose exits then sum above 1 is rescaled to sum to 1 and counted as a warning.
    Probability,
    /// Multiply the exit's own one-cycle hazard, −ln(1 − p), ignoring the other exits:
    /// p' = 1 − (1 − p)^rr, staying absorbs the rest (as with `Probability`). How a
    /// published model writes a hazard ratio on one transition (`1 − exp(−hr · r)`).
    Hazard,
}

/// Simulation mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Expected values: fractional people, no person-level chance.
    #[default]
    Cohort,
    /// Whole people, each with person-level chance.
    Stochastic,
}

impl Mode {
    /// Name as written in the scenario file and in the output (`cohort` / `stochastic`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Cohort => "cohort",
            Mode::Stochastic => "stochastic",
        }
    }
}

/// Global settings (`[model]`).
#[derive(Debug, Clone)]
pub struct Settings {
    /// First simulated calendar year (year index 0).
    pub start_year: i32,
    /// Number of simulated cycles (years when the cycle is a year): 1..=100
    /// years, at most 5200 cycles (see [`Settings::cycle_length`]).
    pub horizon: usize,
    /// Discount rate for costs and financial benefits (Dutch MKBA default 2.25 %).
    pub discount_costs: f64,
    /// Discount rate for health outcomes, life-years and social value.
    pub discount_effects: f64,
    /// If false (default) the first simulated year has discount factor 1.
    pub first_year_discounted: bool,
    /// How person-years within an annual cycle are counted.
    pub cycle_correction: CycleCorrection,
    /// Cohort (expected values) or stochastic (whole people) simulation.
    pub mode: Mode,
    /// Default convention for relative risks that do not name one.
    pub rr_convention: RrConvention,
    /// Highest age tracked; people at this age stay in it (open-ended age group).
    pub max_age: usize,
    /// What the business case counts after the last simulated year.
    pub after_horizon: AfterHorizon,
    /// Length of one model cycle in years (`[model] cycle_length`): 1 (the
    /// default, a year), 1/12 (a month), 7/365.25 (a week) or any number in (0, 1].
    pub cycle_length: f64,
    /// Custom boundary weights w_0..w_H (H + 1 of them) under
    /// [`CycleCorrection::Custom`]; empty otherwise.
    pub cycle_weights: Vec<f64>,
    /// When a year's amounts are discounted.
    pub discount_timing: DiscountTiming,
}

/// What the business case counts after the horizon (`[model] after_horizon`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum AfterHorizon {
    /// Nothing: flows stop with the last simulated year (the default).
    #[default]
    Cut,
    /// The last simulated year's avoided costs and welfare flow go on for at
    /// most [`AfterHorizon::MAX_YEARS`] further years, shrinking by `drop_off`
    /// (a share in (0, 1]) each year, discounted.
    Decay {
        /// Share of the flow lost per year after the horizon (uitdoving).
        drop_off: Value,
    },
}

impl AfterHorizon {
    /// Most years a flow is extended past the horizon under `Decay`.
    pub const MAX_YEARS: usize = 50;

    /// Name as written in the scenario file (`cut` / `decay`).
    pub fn as_str(self) -> &'static str {
        match self {
            AfterHorizon::Cut => "cut",
            AfterHorizon::Decay { .. } => "decay",
        }
    }
}

impl Settings {
    /// Number of tracked ages (0..=`max_age`), the length of per-age tables.
    pub fn n_ages(&self) -> usize {
        self.max_age + 1
    }

    /// Discount factor for cycle index `t` (0 = the first cycle): (1 + rate)^−(t·L)
    /// with L the cycle length in years, or (1 + rate)^−((t+1)·L) when the first
    /// cycle is discounted. With yearly cycles t is the year index.
    pub fn discount_factor(&self, rate: f64, t: usize) -> f64 {
        let e = (t as f64 + if self.first_year_discounted { 1.0 } else { 0.0 }) * self.cycle_length;
        (1.0 + rate).powf(-e)
    }

    /// Time in years from the start to the start of cycle `t` (t·L): the one
    /// place that says when a cycle happens.
    pub fn cycle_time(&self, t: usize) -> f64 {
        t as f64 * self.cycle_length
    }

    /// Index (0 = `start_year`) of the calendar year cycle `t` lies in:
    /// ⌊t·L + 1e-9⌋ (the tolerance keeps the 12th month of a year in it).
    pub fn year_index(&self, t: usize) -> usize {
        if self.cycle_length == 1.0 {
            t
        } else {
            (self.cycle_time(t) + 1e-9).floor() as usize
        }
    }

    /// Calendar year of cycle `t`: `start_year` + [`Settings::year_index`].
    pub fn calendar_year(&self, t: usize) -> i32 {
        self.start_year + self.year_index(t) as i32
    }

    /// Number of calendar years the cycles touch (= `horizon` for yearly
    /// cycles): the rows of the yearly outputs.
    pub fn n_years(&self) -> usize {
        if self.horizon == 0 {
            0
        } else {
            self.year_index(self.horizon - 1) + 1
        }
    }

    /// The last simulated calendar year.
    pub fn last_year(&self) -> i32 {
        self.start_year + self.n_years() as i32 - 1
    }

    /// True when a year completes within or at the end of cycle `t` (the next
    /// cycle lies in a later calendar year; for months every 12th cycle):
    /// everyone then gets one year older at the end of cycle `t`. Always true
    /// for yearly cycles.
    #[inline]
    pub fn ages_after(&self, t: usize) -> bool {
        self.cycle_length == 1.0 || self.year_index(t + 1) > self.year_index(t)
    }

    /// Number of cycles in a year, rounded (12 for months, 52 for weeks, 1 for years).
    pub fn cycles_per_year(&self) -> usize {
        ((1.0 / self.cycle_length).round() as usize).max(1)
    }
}

/// A funder (financier) paired with an optional taakveld: one column of the
/// "wie betaalt, wie baat" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Index into [`Model::funders`].
    pub funder: usize,
    /// Index into [`Model::taakvelden`]; `None` for funders without budget lines.
    pub taakveld: Option<usize>,
}

/// Municipal budget line (taakveld, BBV).
#[derive(Debug, Clone)]
pub struct Taakveld {
    /// BBV code, e.g. `6.71`; used in account labels.
    pub code: String,
    /// Descriptive name of the budget line, for reports.
    pub name: String,
}

/// One cost line: an amount charged to an account.
#[derive(Debug, Clone)]
pub struct CostItem {
    /// Index into [`Model::accounts`].
    pub account: usize,
    /// Euros (per person-year, per transition, per participant-year or per year,
    /// depending on where the item sits).
    pub amount: Value,
}

/// Number of sexes tracked: 1 (not distinguished) or 2 (0 = male, 1 = female).
pub type SexCount = usize;

/// Births in an area.
#[derive(Debug, Clone)]
pub enum Births {
    /// No births: the area only ages and shrinks (besides migration).
    None,
    /// Births per person per year (crude birth rate / 1).
    Crude(Value),
    /// Births per woman per year by age of mother (`len == n_ages`). With one
    /// sex tracked, half of each age group is taken as women.
    Fertility(Vec<Value>),
}

/// Demography of one area.
#[derive(Debug, Clone)]
pub struct Demography {
    /// Probability of dying within the year, `[sex][age]`; `None` = no background mortality.
    pub mortality: Option<Vec<Vec<Value>>>,
    /// Birth model of the area.
    pub births: Births,
    /// Share of newborns that are male (used only when two sexes are tracked).
    pub male_birth_share: f64,
}

/// An area (stadsdeel, wijk or the participants of one initiative).
#[derive(Debug, Clone)]
pub struct Area {
    /// Area name as written in the scenario file and the output.
    pub name: String,
    /// Start population `[sex][age]`.
    pub population: Vec<Vec<f64>>,
    /// Mortality and births.
    pub demography: Demography,
    /// Net migration, persons per year `[sex][age]`; negative = net departure.
    /// `None` for a closed population.
    pub net_migration: Option<Vec<Vec<Value>>>,
}

/// A row of probabilities over a chain's states.
#[derive(Debug, Clone)]
pub enum Row {
    /// Explicit entries; at most one `Rest` entry, which takes 1 − the others.
    Entries(Vec<RowEntry>),
    /// A Dirichlet parameter from `offset`: over all `len` states of the chain
    /// (`states` empty, `len` slots), or over the chain states listed in `states`
    /// (`states.len()` slots; every other state is 0).
    Dirichlet {
        /// First slot of the Dirichlet parameter.
        offset: usize,
        /// The chain's number of states (the length of the realised row).
        len: usize,
        /// The chain state of each category, in slot order (`states = [..]` on the
        /// dirichlet); empty when category k is state k.
        states: Vec<usize>,
    },
    /// A row over a chain's states as written, spread over the engine's
    /// states of a chain with tunnel states (tunneltoestanden): written state
    /// `i` goes to column `cols[i]`, every other column is 0.
    Spread {
        /// The row as written.
        row: Box<Row>,
        /// Engine column of each written state.
        cols: Vec<usize>,
        /// Number of engine states.
        len: usize,
        /// The written state a row whose sampled entries are all 0 falls back to.
        fallback: usize,
    },
}

/// One entry of an explicit [`Row`].
#[derive(Debug, Clone, Copy)]
pub enum RowEntry {
    /// A probability.
    Value(Value),
    /// The remainder: 1 − the sum of the other entries of the row.
    Rest,
}

/// Kind of chain: the mechanics are the same, the reporting differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainKind {
    /// An indicator from the monitors (loneliness, resilience…).
    Indicator,
    /// A care trajectory (zorgtraject): starts from the rest state are counted
    /// as trajectory starts, and avoided starts are reported.
    Care,
}

/// A transition matrix: one row per from-state.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// `rows[s]` is the distribution of next year's state for a person in state `s`.
    pub rows: Vec<Row>,
}

/// A one-off cost charged on each transition from `from` to `to` (an intake, a placement).
#[derive(Debug, Clone)]
pub struct TransitionCost {
    /// From-state index.
    pub from: usize,
    /// To-state index.
    pub to: usize,
    /// Cost lines charged per transition.
    pub items: Vec<CostItem>,
    /// Outcome units per transition, `[outcome]` (a one-off QALY loss); empty = none.
    pub outcomes: Vec<Value>,
}

/// Sentinel in lookup tables: no matrix / row applies (outside the chain's ages).
pub const NONE: u32 = u32::MAX;

/// A state chain: each person in the chain's age range is in exactly one state.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Chain name as written in the scenario file and the output.
    pub name: String,
    /// Indicator or care trajectory; decides how starts are reported.
    pub kind: ChainKind,
    /// State names, in index order.
    pub states: Vec<String>,
    /// The state that means "no problem / no care"; starts are counted out of it.
    pub rest_state: usize,
    /// `death[s]` is true when state `s` means the person has died.
    pub death: Vec<bool>,
    /// Inclusive age range the chain applies to.
    pub age_lo: usize,
    /// Last age of the inclusive age range.
    pub age_hi: usize,
    /// Initial and entry distributions (one `Row` each).
    pub initial_rows: Vec<Row>,
    /// `initial_for[area * n_ages + age]` → index into `initial_rows` (NONE outside the age range).
    pub initial_for: Vec<u32>,
    /// Distinct transition matrices; ages and areas share them via `matrix_for`.
    pub matrices: Vec<Matrix>,
    /// `matrix_for[((period * n_areas + area) * lookup_sexes + sex) * n_ages + age]` → index
    /// into `matrices` (NONE outside the age range); see [`Chain::cell`]. With one period
    /// and `lookup_sexes == 1` this is `matrix_for[area * n_ages + age]`.
    pub matrix_for: Vec<u32>,
    /// Yearly costs per person in each state.
    pub state_costs: Vec<Vec<CostItem>>,
    /// Outcome weight per person-year, `[state][outcome]`.
    pub outcome_weights: Vec<Vec<Value>>,
    /// Monetised social value per person-year, per state (euros).
    pub social_value: Vec<Value>,
    /// One-off costs charged on transitions between states.
    pub transition_costs: Vec<TransitionCost>,
    /// `period_of[t]`: the period of model cycle `t` (cycles in which the same
    /// `[[chain.transitions]]` entries with `cycles` / `years` apply share one);
    /// empty when no entry has a time band (one period).
    pub period_of: Vec<u32>,
    /// Sexes `matrix_for` distinguishes: 1, or the model's sexes when the chain
    /// takes background mortality by state (`mortality_hr`), whose rows depend on sex.
    pub lookup_sexes: usize,
    /// Hazard ratio of background mortality per state (`[chain.state.S]
    /// mortality_hr`, default 1); empty when the chain does not take background
    /// mortality (then the demography step applies it as usual).
    pub mortality_hr: Vec<Value>,
    /// `stay_to[s]`: the state a person in `s` is in next year when the row
    /// says they stay: `s` itself, or for a tunnel state's year k < N its
    /// year k + 1. Relative risks leave the rest of a row there.
    pub stay_to: Vec<usize>,
}

impl Chain {
    /// Number of states of the chain.
    pub fn n_states(&self) -> usize {
        self.states.len()
    }
    /// True when the chain applies at `age` (within `age_lo..=age_hi`).
    pub fn in_range(&self, age: usize) -> bool {
        age >= self.age_lo && age <= self.age_hi
    }
    /// True when the chain has at least one death state, so it removes people.
    pub fn has_death(&self) -> bool {
        self.death.iter().any(|&d| d)
    }
    /// Number of periods of the chain's transitions (1 without time bands).
    pub fn n_periods(&self) -> usize {
        self.period_of.iter().max().map_or(1, |&p| p as usize + 1)
    }
    /// The period of model cycle `t` (0 without time bands).
    #[inline]
    pub fn period(&self, t: usize) -> usize {
        self.period_of.get(t).map_or(0, |&p| p as usize)
    }
    /// True when the chain takes background mortality by state (`mortality_hr`).
    pub fn state_mortality(&self) -> bool {
        !self.mortality_hr.is_empty()
    }
    /// Index into `matrix_for` of (cycle `t`, area, sex, age), for a model of
    /// `n_areas` areas and `n_ages` ages: the one place that lays the table out.
    #[inline]
    pub fn cell(&self, t: usize, area: usize, sex: usize, age: usize, n_areas: usize, n_ages: usize) -> usize {
        let sex = if self.lookup_sexes > 1 { sex } else { 0 };
        ((self.period(t) * n_areas + area) * self.lookup_sexes + sex) * n_ages + age
    }
}

/// A set of states of one chain, as a bit mask (chains have at most 64 states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StateSet(pub u64);

impl StateSet {
    /// The set holding only state `s`.
    pub fn single(s: usize) -> Self {
        StateSet(1u64 << s)
    }
    /// The set of all states `0..n` (all 64 when `n >= 64`).
    pub fn all(n: usize) -> Self {
        if n >= 64 {
            StateSet(u64::MAX)
        } else {
            StateSet((1u64 << n) - 1)
        }
    }
    /// True when state `s` is in the set.
    #[inline]
    pub fn contains(self, s: usize) -> bool {
        self.0 >> s & 1 == 1
    }
    /// Add state `s` to the set.
    pub fn insert(&mut self, s: usize) {
        self.0 |= 1u64 << s;
    }
}

/// A risk or protective factor (risicofactor / beschermende factor): transitions
/// `from → to` in `chain` are multiplied by `rr` while the person is in one of
/// `when_states` of `when_chain`.
#[derive(Debug, Clone)]
pub struct RiskFactor {
    /// Index of the chain whose transitions are modified.
    pub chain: usize,
    /// From-states of the modified transitions.
    pub from: StateSet,
    /// To-states of the modified transitions.
    pub to: StateSet,
    /// Index of the chain whose state activates the factor.
    pub when_chain: usize,
    /// States of `when_chain` in which the factor applies.
    pub when_states: StateSet,
    /// Relative risk applied to the transitions.
    pub rr: Value,
    /// Whether `rr` multiplies rates or probabilities.
    pub convention: RrConvention,
    /// First age the factor applies to.
    pub age_lo: usize,
    /// Last age the factor applies to (inclusive).
    pub age_hi: usize,
}

/// How many people an intervention reaches per year.
#[derive(Debug, Clone, Copy)]
pub enum Reach {
    /// A share of the target group (0..=1) participates each year.
    Share(Value),
    /// A number of participants per year, capped at the size of the target group.
    Participants(Value),
}

/// What an intervention does to participants.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Multiply transitions `from → to` in `chain` by `rr`.
    RelativeRisk {
        /// Index of the chain whose transitions are modified.
        chain: usize,
        /// From-states of the modified transitions.
        from: StateSet,
        /// To-states of the modified transitions.
        to: StateSet,
        /// Relative risk for participants.
        rr: Value,
        /// Whether `rr` multiplies rates or probabilities.
        convention: RrConvention,
    },
    /// In the year of participation, move a share of participants in `from` to `to`
    /// before that year's transitions.
    Shift {
        /// Index of the chain whose states are shifted.
        chain: usize,
        /// State participants are moved out of.
        from: usize,
        /// State participants are moved into.
        to: usize,
        /// Share of participants in `from` that are moved (0..=1).
        share: Value,
    },
}

impl Effect {
    /// Index of the chain the effect acts on.
    pub fn chain(&self) -> usize {
        match self {
            Effect::RelativeRisk { chain, .. } | Effect::Shift { chain, .. } => *chain,
        }
    }
}

/// A collective intervention in the sociale basis.
#[derive(Debug, Clone)]
pub struct Intervention {
    /// Intervention name as written in the scenario file and the output.
    pub name: String,
    /// `areas[a]` is true when area `a` is targeted.
    pub areas: Vec<bool>,
    /// First age of the target group.
    pub age_lo: usize,
    /// Last age of the target group (inclusive).
    pub age_hi: usize,
    /// Target states: a person is in the target group when, for every listed chain,
    /// they are in one of the listed states (and the chain applies at their age).
    pub target: Vec<(usize, StateSet)>,
    /// How many people participate per year.
    pub reach: Reach,
    /// Multiplier on reach in the first years (index 0 = start year); the last
    /// value holds afterwards. Empty = 1.
    pub ramp_up: Vec<Value>,
    /// Calendar years, inclusive.
    pub start_year: i32,
    /// Last calendar year the intervention runs (inclusive).
    pub end_year: i32,
    /// Years the effect lasts after the year of participation.
    pub persistence_years: usize,
    /// Yearly drop-off of the effect after participation (0..=1).
    pub drop_off: Value,
    /// What participation does to the participants' chains.
    pub effects: Vec<Effect>,
    /// Costs per year while the intervention runs.
    pub fixed_costs: Vec<CostItem>,
    /// Costs per participant per year of participation.
    pub participant_costs: Vec<CostItem>,
    /// Effects named but not valued in money (PM-posten), in file order.
    pub pm: Vec<String>,
    /// Changes to the yearly costs and outcomes of being in a state, for
    /// everyone in it (a `[[intervention.effect]]` with `state`/`states`).
    pub state_effects: Vec<StateEffect>,
    /// `persistence_years` in model cycles: years / cycle length, rounded to
    /// the nearest whole cycle (= `persistence_years` for yearly cycles).
    pub persistence_cycles: usize,
}

/// An intervention's change to what a year in some states of a chain costs and
/// yields: per person-year in one of `states` (with the cycle correction), in
/// the intervention's areas and calendar years, times its reach share ×
/// ramp-up. Needs `Reach::Share` and the intervention's ages to cover the chain's.
#[derive(Debug, Clone)]
pub struct StateEffect {
    /// Index of the chain.
    pub chain: usize,
    /// The states whose person-years count.
    pub states: StateSet,
    /// Outcome units per person-year, `[outcome]` (e.g. +0.2 QALY).
    pub outcomes: Vec<Value>,
    /// Costs per person-year: intervention costs of the scenario.
    pub costs: Vec<CostItem>,
}

impl Intervention {
    /// Number of exposure states: not exposed, participating, 1..=persistence cycles after.
    pub fn n_exposure_states(&self) -> usize {
        2 + self.persistence_cycles
    }
    /// True when the intervention runs in calendar year `year`.
    pub fn active_in(&self, year: i32) -> bool {
        year >= self.start_year && year <= self.end_year
    }
}

/// SROI corrections applied to a scenario's benefits.
#[derive(Debug, Clone, Copy)]
pub struct Sroi {
    /// Share of the benefit that would have happened anyway (0..=1).
    pub deadweight: Value,
    /// Share of the benefit due to others than this scenario (0..=1).
    pub attribution: Value,
    /// Share of the benefit that merely moves elsewhere (0..=1).
    pub displacement: Value,
}

impl Default for Sroi {
    fn default() -> Self {
        Sroi { deadweight: Value::Fixed(0.0), attribution: Value::Fixed(0.0), displacement: Value::Fixed(0.0) }
    }
}

impl Sroi {
    /// (1 − deadweight)(1 − attribution)(1 − displacement) in the draw with
    /// parameter vector `params`: what the benefits and welfare are multiplied by.
    pub fn factor(&self, params: &[f64]) -> f64 {
        (1.0 - self.deadweight.get(params))
            * (1.0 - self.attribution.get(params))
            * (1.0 - self.displacement.get(params))
    }
}

/// A named set of interventions, compared with the nulalternatief.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Scenario name as written in the scenario file and the output.
    pub name: String,
    /// Free-text description for reports.
    pub description: String,
    /// Indices into [`Model::interventions`] that the scenario runs.
    pub interventions: Vec<usize>,
    /// SROI corrections applied to its benefits.
    pub sroi: Sroi,
    /// The scenario's own PM-posten (effects named but not valued in money);
    /// see [`Model::scenario_pm`] for the full list.
    pub pm: Vec<String>,
}

/// The whole validated model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Global settings (`[model]`).
    pub settings: Settings,
    /// All uncertain parameters and their slots.
    pub params: ParamTable,
    /// Funder (financier) names, e.g. `gemeente`, `zorgverzekeraar`.
    pub funders: Vec<String>,
    /// Municipal budget lines (taakvelden).
    pub taakvelden: Vec<Taakveld>,
    /// Funder/taakveld pairs that costs are charged to.
    pub accounts: Vec<Account>,
    /// Outcome measures (e.g. `qaly`, `wellby`).
    pub outcomes: Vec<String>,
    /// Outcome per alive person-year before state weights, per outcome.
    pub base_outcome: Vec<Value>,
    /// 1 or 2.
    pub sexes: SexCount,
    /// Areas simulated, each with its own population.
    pub areas: Vec<Area>,
    /// State chains (indicators and care trajectories).
    pub chains: Vec<Chain>,
    /// Risk and protective factors linking chains.
    pub risk_factors: Vec<RiskFactor>,
    /// All interventions; scenarios refer to them by index.
    pub interventions: Vec<Intervention>,
    /// Scenarios compared with the nulalternatief.
    pub scenarios: Vec<Scenario>,
    /// Indices into [`Model::interventions`] of what happens anyway
    /// (`[nulalternatief] interventions`): they run in the nulalternatief and
    /// in every scenario, so their effects and costs cancel in the business case.
    pub baseline_interventions: Vec<usize>,
    /// `[nulalternatief] description`; empty when absent.
    pub baseline_description: String,
    /// `valuation[outcome]`: euros per outcome unit (`[valuation]`), the
    /// maatschappelijk level; `None` for an outcome counted in units only (a PM-post).
    pub valuation: Vec<Option<Value>>,
    /// `shadow_priced[funder]`: true for a funder whose costs are time or goods
    /// at a shadow price (mantelzorgers), counted at the maatschappelijk level only.
    pub shadow_priced: Vec<bool>,
    /// What the validator warns about (the model is valid, but a choice needs an argument).
    pub warnings: Vec<crate::scenario::ValidationWarning>,
    /// The decision analysis: effect measure, willingness to pay, parameter groups.
    pub decision: Decision,
}

/// An effect measure of the decision analysis, per arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectMeasure {
    /// A declared outcome (`model.outcomes[i]`), discounted: QALYs, WELLBYs.
    Outcome(usize),
    /// Life-years, discounted.
    LifeYears,
    /// Care trajectory starts (zorgtrajecten) avoided against the
    /// nulalternatief, undiscounted (0 for the nulalternatief).
    AvoidedStarts,
}

/// The decision analysis settings (`[decision]`, `[[parameter_group]]`), validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// The effect of the acceptability curves and the value of information.
    pub effect: Option<EffectMeasure>,
    /// Willingness to pay per unit of `effect`, euros.
    pub wtp: f64,
    /// The willingness-to-pay grid of the curves, ascending.
    pub wtp_grid: Vec<f64>,
    /// Declared parameter groups.
    pub groups: Vec<ParamGroup>,
}

/// A named group of parameters (`[[parameter_group]]`) whose uncertainty one
/// study would resolve together.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamGroup {
    /// The group's name.
    pub name: String,
    /// The parameters as named.
    pub parameters: Vec<String>,
    /// Their slots in the per-draw vector (a dirichlet's first k − 1 components).
    pub slots: Vec<usize>,
    /// `note`, if any.
    pub note: Option<String>,
}

impl Model {
    /// The labels of the area slots of every result: the areas in file
    /// order, then the city total `totaal`.
    pub fn area_slot_labels(&self) -> Vec<String> {
        self.areas.iter().map(|a| a.name.clone()).chain([crate::business::TOTAL_AREA.to_string()]).collect()
    }

    /// Label of an account, e.g. `gemeente/6.71`.
    pub fn account_label(&self, a: usize) -> String {
        let acc = &self.accounts[a];
        match acc.taakveld {
            Some(t) => format!("{}/{}", self.funders[acc.funder], self.taakvelden[t].code),
            None => self.funders[acc.funder].clone(),
        }
    }

    /// True when account `a` belongs to a shadow-priced funder: its flows are
    /// welfare (maatschappelijk), not cash (financieel).
    pub fn is_shadow_account(&self, a: usize) -> bool {
        self.shadow_priced.get(self.accounts[a].funder).copied().unwrap_or(false)
    }

    /// Outcomes without a `[valuation]`: counted in units only, never in
    /// money. These are PM-posten (named, not valued) in the business case.
    pub fn unvalued_outcomes(&self) -> Vec<&str> {
        self.outcomes
            .iter()
            .enumerate()
            .filter(|(o, _)| self.valuation.get(*o).is_none_or(|v| v.is_none()))
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// Name of the baseline arm.
    pub const BASELINE: &'static str = "nulalternatief";

    /// The interventions simulated in scenario `s`'s arm: the nulalternatief's
    /// ([`Model::baseline_interventions`]) first, then the scenario's own, each once.
    pub fn arm_interventions(&self, s: usize) -> Vec<usize> {
        let mut out = self.baseline_interventions.clone();
        for &i in &self.scenarios[s].interventions {
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    /// The PM-posten of scenario `s` (effects named but not valued in money):
    /// its own, then those of its own interventions, in order, each once.
    /// The one place that gathers them: outcomes counted in units without a
    /// value in euros ([`Model::unvalued_outcomes`]) come last, by name, since
    /// they too are effects that the maatschappelijk level does not value.
    pub fn scenario_pm(&self, s: usize) -> Vec<String> {
        let sc = &self.scenarios[s];
        let named = sc.pm.iter().chain(sc.interventions.iter().flat_map(|&i| &self.interventions[i].pm));
        let mut out: Vec<String> = Vec::new();
        for p in named.cloned().chain(self.unvalued_outcomes().into_iter().map(String::from)) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}
