//! The scenario file as written: a one-to-one mirror of the TOML.
//!
//! Phase one of loading (phase two is the crate's validator, which turns the
//! files into a [`Model`](crate::model::Model)). These types only
//! check what serde can check (types, unknown keys, required keys); every
//! semantic rule lives in the validator, which can then report all problems of
//! a file at once instead of stopping at the first. Everything an error may have
//! to point at is wrapped in [`Spanned`], so errors carry line and column.
//!
//! Values that may take several shapes (a number, a parameter name or a
//! distribution table) have hand-written `Deserialize` impls instead of
//! `#[serde(untagged)]`: untagged enums buffer their input, which loses the
//! spans inside and turns every mistake into "data did not match any variant";
//! a visitor keeps both the positions and serde's precise messages (unknown
//! key, wrong type).
//!
//! Tables that may be written with dotted keys (`reach.share = 0.1`) or as
//! implicit tables are *not* wrapped in `Spanned`: toml has no span for them,
//! and `Spanned` would then fail with a message about its own internals.
//! Errors about such a table point at its key or at one of its values instead.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A string with its position.
pub type SString = Spanned<String>;
/// A list of strings with positions, the list itself positioned too.
pub type SList = Spanned<Vec<SString>>;

/// One scenario file (the main file or an include).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Files merged into this one, relative to this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<SString>,
    /// `[model]`: years, discounting, mode, funders, outcomes.
    pub model: Option<ModelSpec>,
    /// `[taakvelden]`: budget-line code (BBV/Iv3 taakveld, e.g. `"6.71"`) → description, in file order.
    pub taakvelden: Option<OrderedMap<SString>>,
    /// `[parameters]`: named uncertain numbers, in file order (the order fixes their slots):
    /// a distribution table, or an expression of other parameters (a string, or
    /// `{ expr = "…", note = "…" }`), or a number.
    pub parameters: Option<OrderedMap<ValueSpec>>,
    /// `[demography.NAME]`: mortality and births, by name.
    pub demography: Option<OrderedMap<DemographySpec>>,
    /// `[[area]]`: the areas (stadsdelen, wijken) with their population.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub area: Vec<Spanned<AreaSpec>>,
    /// `[[chain]]`: state chains (indicators and care trajectories, zorgtrajecten).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<Spanned<ChainSpec>>,
    /// `[[risk_factor]]`: relative risks one chain's state puts on another chain's transitions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risk_factor: Vec<Spanned<RiskFactorSpec>>,
    /// `[[intervention]]`: what is done, for whom, with which effect and cost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervention: Vec<Spanned<InterventionSpec>>,
    /// `[[scenario]]`: packages of interventions compared with the nulalternatief.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenario: Vec<Spanned<ScenarioSpec>>,
    /// `[nulalternatief]`: what happens anyway (e.g. a planned renovation),
    /// simulated in the nulalternatief and in every scenario.
    pub nulalternatief: Option<NulalternatiefSpec>,
    /// `[valuation]`: euros per unit of a declared outcome (`qaly = 50000`), the
    /// maatschappelijk level of the business case; in file order.
    pub valuation: Option<OrderedMap<Spanned<ValueSpec>>>,
    /// `[decision]`: the effect measure and willingness to pay of the
    /// decision analysis (acceptability, value of information).
    pub decision: Option<DecisionSpec>,
    /// `[[parameter_group]]`: named groups of parameters, for the value of
    /// information (EVPPI) and the Sobol indices of a group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameter_group: Vec<Spanned<ParamGroupSpec>>,
}

/// `[decision]`: every field optional; each is taken from the first file in
/// merge order that sets it (the main file overrides what it includes).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionSpec {
    /// `effect`: the effect measure of the acceptability curves and the value
    /// of information: an outcome of `model.outcomes`, `"life_years"` or `"avoided_starts"`.
    pub effect: Option<SString>,
    /// `wtp`: willingness to pay, euros per unit of `effect`.
    pub wtp: Option<Spanned<f64>>,
    /// `wtp_range`: `[low, high]` of the acceptability and EVPI curves.
    pub wtp_range: Option<Spanned<Vec<f64>>>,
    /// `wtp_steps`: points on those curves (2 to 1001).
    pub wtp_steps: Option<Spanned<i64>>,
}

/// `[[parameter_group]]`: parameters whose uncertainty would be resolved
/// together (one study measures them all).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParamGroupSpec {
    /// `name`: unique among the groups.
    pub name: SString,
    /// `parameters`: names of `[parameters]` entries (or field paths of inline distributions).
    pub parameters: SList,
    /// `note`: what study would resolve it.
    pub note: Option<SString>,
}

impl ScenarioFile {
    /// Parse one file's text. Syntax, type and unknown-key errors come back as
    /// toml's error, whose `span()` gives the position: the first one only
    /// (the loader reads on past key and type errors; see [`crate::scenario`]).
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// `[model]`: every field optional here, because fields merge across includes
/// (the including file wins); defaults and required fields are applied after merging.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// `start_year`: calendar year of the first simulated year (t = 0).
    pub start_year: Option<Spanned<i64>>,
    /// `horizon`: number of simulated years (default 15).
    pub horizon: Option<Spanned<i64>>,
    /// `discount_rate_costs`: real discount rate per year for money (default 0.0225).
    pub discount_rate_costs: Option<Spanned<f64>>,
    /// `discount_rate_effects`: real discount rate per year for outcomes, life-years and social value.
    pub discount_rate_effects: Option<Spanned<f64>>,
    /// `first_year_discounted`: whether the start year already gets one year's discount.
    pub first_year_discounted: Option<Spanned<bool>>,
    /// `cycle_correction`: `"start"` (alias `"none"`), `"end"`, `"half-cycle"` (alias `"life-table"`),
    /// `"simpson"` or `"all-boundaries"`: how person-years within a year are counted.
    pub cycle_correction: Option<SString>,
    /// `mode`: `"cohort"` (expected values) or `"stochastic"` (whole people).
    pub mode: Option<SString>,
    /// `rr_convention`: default way a relative risk changes a row, `"rate"`, `"probability"` or `"hazard"`.
    pub rr_convention: Option<SString>,
    /// `max_age`: highest age tracked, open-ended (default 100).
    pub max_age: Option<Spanned<i64>>,
    /// `funders`: who pays (financiers), e.g. `gemeente`, `zorgverzekeraar` (default `["gemeente"]`).
    pub funders: Option<SList>,
    /// `outcomes`: outcome measures counted per person-year, e.g. `qaly`, `wellby`.
    pub outcomes: Option<SList>,
    /// `base_outcome`: outcome per person-year alive before state weights, per outcome.
    pub base_outcome: Option<OrderedMap<Spanned<ValueSpec>>>,
    /// Area profiles that chains and interventions may name although no area
    /// of this run has that name (e.g. the stadsdelen, in a file of wijken).
    pub profiles: Option<SList>,
    /// `shadow_priced`: funders whose costs are time or goods at a shadow
    /// price (mantelzorgers), counted at the maatschappelijk level only.
    pub shadow_priced: Option<SList>,
    /// `after_horizon`: `"cut"` (default) or `"decay"`: what the business case
    /// counts after the last simulated year.
    pub after_horizon: Option<SString>,
    /// `after_horizon_drop_off`: share of the last year's flow lost per year
    /// after the horizon, in (0, 1]; required with `after_horizon = "decay"`.
    pub after_horizon_drop_off: Option<Spanned<ValueSpec>>,
    /// `cycle_length`: `"year"` (default), `"month"`, `"week"` or a number of
    /// years in (0, 1]: the length of one model cycle.
    pub cycle_length: Option<Spanned<ValueSpec>>,
    /// `cycle_weights`: custom weights w_0..w_H on the horizon + 1 year
    /// boundaries, instead of a named `cycle_correction`.
    pub cycle_weights: Option<Spanned<Vec<Spanned<f64>>>>,
    /// `discount_timing`: `"cycle-start"` (default: a year's amounts at its
    /// start factor) or `"boundary"` (each count at its own boundary).
    pub discount_timing: Option<SString>,
}

/// A TOML table read in file order, with the position of each key. Used where
/// order matters (taakvelden, parameters) or keys are user-chosen names.
#[derive(Debug)]
pub struct OrderedMap<V>(pub Vec<(SString, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<SString>()? {
                    let v = map.next_value::<V>()?;
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// Tables read in file order are written in that order (parameters keep
/// their order, and with it their slots).
impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k.get_ref(), v)?;
        }
        map.end()
    }
}

/// A number anywhere in a scenario: a literal, the name of a `[parameters]`
/// entry, or an inline distribution. Inside probability rows the name `"rest"`
/// is special (the remainder); the validator decides where names are allowed.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ValueSpec {
    /// A literal number.
    Number(f64),
    /// The name of a `[parameters]` entry (or `"rest"` in a row), or an
    /// expression of them (`"1 - exp(-r)"`, see [`crate::expr`]).
    Name(String),
    /// An inline distribution table (or `{ expr = "…", note = "…" }`).
    Dist(Box<DistSpec>),
}

impl<'de> Deserialize<'de> for ValueSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = ValueSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number, a parameter name or expression in quotes, or a distribution table like { dist = \"beta\", mean = 0.2, sd = 0.05 }",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValueSpec, E> {
                Ok(ValueSpec::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueSpec, E> {
                Ok(ValueSpec::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValueSpec, E> {
                Ok(ValueSpec::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ValueSpec, E> {
                Ok(ValueSpec::Name(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ValueSpec, A::Error> {
                DistSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(|d| ValueSpec::Dist(Box::new(d)))
            }
        }
        d.deserialize_any(Vis)
    }
}

/// An inline distribution table (or a `[parameters]` entry). All keys of all
/// parameterisations are accepted here; the validator checks that exactly one
/// parameter set of the named `dist` is given and lists the sets otherwise.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DistSpec {
    /// `dist`: the distribution family (`normal`, `lognormal`, `beta`, `gamma`, `uniform`, `triangular`, `pert`, `dirichlet`).
    /// Required unless `expr` is given (the validator says so); empty at `0..0` when absent.
    #[serde(default = "no_dist", skip_serializing_if = "is_no_dist")]
    pub dist: SString,
    /// `mean`: mean of the value itself (normal, lognormal, beta, gamma).
    pub mean: Option<Spanned<f64>>,
    /// `sd`: standard deviation of the value itself.
    pub sd: Option<Spanned<f64>>,
    /// `meanlog`: mean of ln X (lognormal).
    pub meanlog: Option<Spanned<f64>>,
    /// `sdlog`: standard deviation of ln X (lognormal).
    pub sdlog: Option<Spanned<f64>>,
    /// `ratio`: a published ratio (relative risk, odds ratio), with `ci95` (lognormal).
    pub ratio: Option<Spanned<f64>>,
    /// `ci95`: the ratio's 95 % confidence interval `[lo, hi]`.
    pub ci95: Option<Spanned<Vec<f64>>>,
    /// A number for beta, a list for dirichlet.
    pub alpha: Option<Spanned<NumOrList>>,
    /// `beta`: the β shape of a beta distribution.
    pub beta: Option<Spanned<f64>>,
    /// `events`: observed events out of `trials` (beta: α = events, β = trials − events).
    pub events: Option<Spanned<f64>>,
    /// `trials`: observations behind `events`.
    pub trials: Option<Spanned<f64>>,
    /// `shape`: gamma shape.
    pub shape: Option<Spanned<f64>>,
    /// `scale`: gamma scale (mean = shape × scale).
    pub scale: Option<Spanned<f64>>,
    /// `low`: lower bound (uniform, triangular, pert).
    pub low: Option<Spanned<f64>>,
    /// `high`: upper bound (uniform, triangular, pert).
    pub high: Option<Spanned<f64>>,
    /// `mode`: most likely value (triangular, pert).
    pub mode: Option<Spanned<f64>>,
    /// `lambda`: weight of the mode in a pert distribution (default 4).
    pub lambda: Option<Spanned<f64>>,
    /// `counts`: observed transition counts, used as Dirichlet α.
    pub counts: Option<Spanned<Vec<f64>>>,
    /// Where the numbers come from; kept in `Parameter::note`.
    pub note: Option<SString>,
    /// `states`: for a dirichlet used as a row, the chain states its categories
    /// are, in order; every other state of the chain gets exactly 0.
    pub states: Option<SList>,
    /// `expr`: an expression of other parameters instead of a distribution
    /// (`{ expr = "c_soc + 12000", note = "…" }`); see [`crate::expr`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expr: Option<SString>,
}

/// The `dist` of a table that gives none (an `expr` table, or a mistake).
fn no_dist() -> SString {
    Spanned::new(0..0, String::new())
}

fn is_no_dist(d: &SString) -> bool {
    d.get_ref().is_empty() && d.span() == (0..0)
}

impl DistSpec {
    /// The distribution parameters the table gives (`mean`, `sd`, …,
    /// `counts`), in the order of the format's key sets.
    pub fn parameter_keys(&self) -> Vec<&'static str> {
        [
            ("mean", self.mean.is_some()),
            ("sd", self.sd.is_some()),
            ("meanlog", self.meanlog.is_some()),
            ("sdlog", self.sdlog.is_some()),
            ("ratio", self.ratio.is_some()),
            ("ci95", self.ci95.is_some()),
            ("alpha", self.alpha.is_some()),
            ("beta", self.beta.is_some()),
            ("events", self.events.is_some()),
            ("trials", self.trials.is_some()),
            ("shape", self.shape.is_some()),
            ("scale", self.scale.is_some()),
            ("low", self.low.is_some()),
            ("mode", self.mode.is_some()),
            ("high", self.high.is_some()),
            ("lambda", self.lambda.is_some()),
            ("counts", self.counts.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.then_some(k))
        .collect()
    }

    /// True when the table names no `dist` (see [`DistSpec::dist`]).
    pub fn dist_missing(&self) -> bool {
        is_no_dist(&self.dist)
    }
}

/// `alpha` is a number (beta) or a list (dirichlet).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum NumOrList {
    /// One number (beta's α).
    Num(f64),
    /// A list (dirichlet's α per state).
    List(Vec<f64>),
}

impl<'de> Deserialize<'de> for NumOrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = NumOrList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number (beta) or a list of numbers (dirichlet)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumOrList, E> {
                Ok(NumOrList::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumOrList, E> {
                Ok(NumOrList::Num(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumOrList, E> {
                Ok(NumOrList::Num(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NumOrList, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<f64>()? {
                    out.push(x);
                }
                Ok(NumOrList::List(out))
            }
        }
        d.deserialize_any(Vis)
    }
}

/// A row of probabilities over a chain's states: a list of entries (values and
/// at most one `"rest"`), the name of a Dirichlet parameter, or an inline
/// Dirichlet table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RowSpec {
    /// One value per state; at most one may be `"rest"`.
    Entries(Vec<Spanned<ValueSpec>>),
    /// The name of a Dirichlet `[parameters]` entry.
    Name(String),
    /// An inline Dirichlet table.
    Dist(Box<DistSpec>),
}

impl<'de> Deserialize<'de> for RowSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = RowSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a row: a list with one probability per state (one entry may be \"rest\"), the name of a dirichlet parameter, or { dist = \"dirichlet\", ... }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RowSpec, E> {
                Ok(RowSpec::Name(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RowSpec, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<Spanned<ValueSpec>>()? {
                    out.push(x);
                }
                Ok(RowSpec::Entries(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RowSpec, A::Error> {
                DistSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(|d| RowSpec::Dist(Box::new(d)))
            }
        }
        d.deserialize_any(Vis)
    }
}

/// A string or a list of strings (`to = "none"` or `to = ["a", "b"]`); the
/// first form is shorthand for a one-element list.
#[derive(Debug, Clone, Serialize)]
pub struct OneOrMany(pub Vec<SString>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A lone string arrives without its own span (the outer `Spanned` has
        // it); the validator substitutes the outer span for it.
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name in quotes or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![Spanned::new(0..0, v.to_owned())]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<SString>()? {
                    out.push(x);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(Vis)
    }
}

/// `mortality = "none"` or a list of age bands.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum MortalitySpec {
    /// A word; only `"none"` is valid (no mortality).
    Word(String),
    /// Death probabilities per age band, covering every age.
    Bands(Vec<Spanned<MortalityEntry>>),
    /// `{ file = "lifetable.csv" }`: a life table read from a CSV file.
    File(MortalityFile),
}

/// `mortality = { file = "lifetable.csv" }`: a life table in a CSV file
/// (columns `age,q`, `age,male,female`, `age,rate` or `age,male_rate,female_rate`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MortalityFile {
    /// `file`: the CSV file, relative to the scenario file naming it.
    pub file: SString,
}

impl<'de> Deserialize<'de> for MortalitySpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = MortalitySpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"none\", a list like [{ ages = \"0-100\", q = 0.01 }] or { file = \"lifetable.csv\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MortalitySpec, E> {
                Ok(MortalitySpec::Word(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MortalitySpec, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<Spanned<MortalityEntry>>()? {
                    out.push(x);
                }
                Ok(MortalitySpec::Bands(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MortalitySpec, A::Error> {
                MortalityFile::deserialize(de::value::MapAccessDeserializer::new(map)).map(MortalitySpec::File)
            }
        }
        d.deserialize_any(Vis)
    }
}

/// One age band of `mortality`: `{ ages, q }` or `{ ages, male, female }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MortalityEntry {
    /// `ages`: the age band, e.g. `"0-17"`.
    pub ages: SString,
    /// `q`: probability of dying within the year at these ages, both sexes.
    pub q: Option<Spanned<ValueSpec>>,
    /// `male`: that probability for men.
    pub male: Option<Spanned<ValueSpec>>,
    /// `female`: that probability for women.
    pub female: Option<Spanned<ValueSpec>>,
}

/// `[demography.NAME]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DemographySpec {
    /// `closed`: a closed cohort (no births, no migration).
    pub closed: Option<Spanned<bool>>,
    /// `mortality`: `"none"` or death probabilities per age band.
    pub mortality: Option<Spanned<MortalitySpec>>,
    /// `crude_birth_rate`: births per person per year (all ages, both sexes).
    pub crude_birth_rate: Option<Spanned<ValueSpec>>,
    /// `fertility`: births per woman per year by the mother's age.
    pub fertility: Option<Spanned<Vec<Spanned<FertilityEntry>>>>,
    /// `male_birth_share`: share of newborns that are boys (default 0.512).
    pub male_birth_share: Option<Spanned<f64>>,
}

/// One age band of `fertility`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FertilityEntry {
    /// `ages`: the mothers' age band.
    pub ages: SString,
    /// `rate`: births per woman per year at these ages.
    pub rate: Spanned<ValueSpec>,
}

/// `[[area]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    /// `name`: the area's unique name (stadsdeel, wijk, or a group of participants).
    pub name: SString,
    /// Take the area-specific rows and targets written for another name (a
    /// wijk using its stadsdeel's rates); default: the area's own name.
    pub profile: Option<SString>,
    /// `demography`: the `[demography.NAME]` the area follows.
    pub demography: SString,
    /// A closed cohort in any demography: its mortality, but no births and no
    /// migration (the participants of one initiative).
    pub closed: Option<Spanned<bool>>,
    /// `population`: people per age band at the start of `start_year`.
    pub population: Spanned<Vec<Spanned<PopulationEntry>>>,
    /// `net_migration`: net persons per year per age band (negative = departures).
    pub net_migration: Option<Spanned<Vec<Spanned<MigrationEntry>>>>,
}

/// Population of an age band: `count`, or `male` and `female` (literal numbers).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationEntry {
    /// `ages`: the age band.
    pub ages: SString,
    /// `count`: people in the band, both sexes.
    pub count: Option<Spanned<f64>>,
    /// `male`: men in the band.
    pub male: Option<Spanned<f64>>,
    /// `female`: women in the band.
    pub female: Option<Spanned<f64>>,
}

/// One age band of `net_migration`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationEntry {
    /// `ages`: the age band.
    pub ages: SString,
    /// `count`: net persons per year in the band, spread over its ages and sexes.
    pub count: Spanned<ValueSpec>,
}

/// `[[chain]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    /// `name`: unique name, used in `"chain.state"` references.
    pub name: SString,
    /// `kind`: `"indicator"` or `"care"` (moves out of the rest state count as trajectory starts).
    pub kind: SString,
    /// `ages`: the band of ages the chain applies to (default all).
    pub ages: Option<SString>,
    /// `states`: the chain's states, 2 to 64 unique names.
    pub states: SList,
    /// `rest_state`: the "no problem / no care" state (default the first).
    pub rest_state: Option<SString>,
    /// `death_states`: states whose entry means dying.
    pub death_states: Option<SList>,
    /// `initial`: distribution over states at the start and for entrants, per age band.
    pub initial: Option<Spanned<Vec<Spanned<InitialEntry>>>>,
    /// `initial_by_area`: `initial` overridden per area (or profile).
    pub initial_by_area: Option<OrderedMap<Spanned<Vec<Spanned<InitialEntry>>>>>,
    /// `[[chain.transitions]]`: yearly transition matrices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<Spanned<TransitionSpec>>,
    /// `[chain.state.NAME]`: costs, outcome weights and social value per state.
    pub state: Option<OrderedMap<StateSpec>>,
    /// `[[chain.transition_cost]]`: one-off costs of a move between states.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transition_cost: Vec<Spanned<TransitionCostSpec>>,
}

/// One age band of `initial`: `{ ages, p = Row }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InitialEntry {
    /// `ages`: the age band.
    pub ages: SString,
    /// `p`: the distribution over the chain's states at these ages.
    pub p: Spanned<RowSpec>,
}

/// `[[chain.transitions]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionSpec {
    /// `ages`: ages this matrix applies to (default the chain's ages).
    pub ages: Option<SString>,
    /// `areas`: areas (or profiles) this matrix is specific to (default all).
    pub areas: Option<SList>,
    /// `cycles`: model cycles (0 = the start year) this matrix applies in, e.g. `"0-4"`.
    pub cycles: Option<SString>,
    /// `years`: calendar years this matrix applies in, e.g. `"2025-2029"`.
    pub years: Option<SString>,
    /// `matrix`: one row per state: probabilities of moving to each state in a
    /// year (required unless the entry gives tunnel `rows`).
    pub matrix: Option<Spanned<Vec<Spanned<RowSpec>>>>,
    /// `years_in_state`: the band of tunnel positions (years since entering
    /// the state, 1-based) whose rows `rows` replaces.
    pub years_in_state: Option<SString>,
    /// `rows`: tunnel state → its row in the positions of `years_in_state`.
    pub rows: Option<Spanned<OrderedMap<Spanned<RowSpec>>>>,
}

/// `[chain.state.NAME]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateSpec {
    /// `costs`: euros per person-year in the state, per funder and taakveld.
    pub costs: Option<Spanned<Vec<Spanned<CostSpec>>>>,
    /// `outcomes`: outcome units per person-year (e.g. −0.04 QALY), added to `base_outcome`.
    pub outcomes: Option<OrderedMap<Spanned<ValueSpec>>>,
    /// `social_value`: euros per person-year of monetised wellbeing, kept apart from cash.
    pub social_value: Option<Spanned<ValueSpec>>,
    /// `mortality_hr`: hazard ratio of background mortality in this state.
    pub mortality_hr: Option<Spanned<ValueSpec>>,
    /// `tunnel`: track the state by years since entering it, 1 to N (N = N or
    /// more); a tunnel state (tunneltoestand) becomes N engine states.
    pub tunnel: Option<Spanned<i64>>,
}

/// `[[chain.transition_cost]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionCostSpec {
    /// `from`: the state moved out of.
    pub from: SString,
    /// `to`: the state moved into.
    pub to: SString,
    /// `costs`: euros charged once per move (an intake, a placement).
    pub costs: Option<Spanned<Vec<Spanned<CostSpec>>>>,
    /// `outcomes`: outcome units once per move (e.g. −0.01 QALY); `costs`, `outcomes` or both.
    pub outcomes: Option<OrderedMap<Spanned<ValueSpec>>>,
}

/// One cost line: `{ amount, funder, taakveld }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// `amount`: euros (per person-year, per move or per participant, by context).
    pub amount: Spanned<ValueSpec>,
    /// `funder`: who pays; one of `model.funders`.
    pub funder: SString,
    /// `taakveld`: the budget line, declared in `[taakvelden]` (optional).
    pub taakveld: Option<SString>,
}

/// `[[risk_factor]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFactorSpec {
    /// `chain`: the affected chain.
    pub chain: SString,
    /// `to`: destination states whose transitions are multiplied.
    pub to: Spanned<OneOrMany>,
    /// `from`: origin states (default every state not in `to`).
    pub from: Option<Spanned<OneOrMany>>,
    /// `when`: the condition, `"chain.state"` or a list of them (OR).
    pub when: Spanned<OneOrMany>,
    /// `rr`: the relative risk (< 1 is protective).
    pub rr: Spanned<ValueSpec>,
    /// `convention`: `"rate"`, `"probability"` or `"hazard"` (default `model.rr_convention`).
    pub convention: Option<SString>,
    /// `ages`: ages it applies at (default the affected chain's ages).
    pub ages: Option<SString>,
}

/// `[[intervention]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionSpec {
    /// `name`: unique name, used in `[[scenario]] interventions`.
    pub name: SString,
    /// `areas`: where it runs (default all areas).
    pub areas: Option<SList>,
    /// `ages`: who can take part (default all ages).
    pub ages: Option<SString>,
    /// `target`: `"chain.state"` conditions of the target group (default everyone).
    pub target: Option<Spanned<OneOrMany>>,
    /// `reach`: share of the target group or number of participants per year.
    pub reach: ReachSpec,
    /// `ramp_up`: reach multipliers for the first years; the last one holds afterwards.
    pub ramp_up: Option<Spanned<Vec<Spanned<ValueSpec>>>>,
    /// `start_year`: first calendar year it runs.
    pub start_year: Option<Spanned<i64>>,
    /// `end_year`: last calendar year it runs (inclusive).
    pub end_year: Option<Spanned<i64>>,
    /// `persistence`: how long the effect lasts after participation.
    pub persistence: Option<PersistenceSpec>,
    /// `[[intervention.effect]]`: what participation does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effect: Vec<Spanned<EffectSpec>>,
    /// `[intervention.costs]`: fixed and per-participant costs.
    pub costs: Option<InterventionCostsSpec>,
    /// `pm`: effects named but not valued in money (PM-posten).
    pub pm: Option<SList>,
}

/// `reach = { share = … }` or `reach = { participants = … }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReachSpec {
    /// `share`: share of the target group reached per year, in [0, 1].
    pub share: Option<Spanned<ValueSpec>>,
    /// `participants`: participants per year over all the intervention's areas.
    pub participants: Option<Spanned<ValueSpec>>,
}

/// `persistence = { years, drop_off }`: the effect after participation.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersistenceSpec {
    /// `years`: years the effect lasts after participation (default 0).
    pub years: Option<Spanned<i64>>,
    /// `drop_off`: share of the effect lost per year after participation, in [0, 1].
    pub drop_off: Option<Spanned<ValueSpec>>,
}

/// `[[intervention.effect]]`: a relative risk (`from`, `to`, `rr`) or a `shift`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EffectSpec {
    /// `chain`: the chain the effect acts on.
    pub chain: SString,
    /// `from`: origin states (default every state not in `to`).
    pub from: Option<Spanned<OneOrMany>>,
    /// `to`: destination states whose transitions are multiplied by `rr`.
    pub to: Option<Spanned<OneOrMany>>,
    /// `rr`: the relative risk for participants.
    pub rr: Option<Spanned<ValueSpec>>,
    /// `convention`: `"rate"`, `"probability"` or `"hazard"` (default `model.rr_convention`).
    pub convention: Option<SString>,
    /// `shift`: a one-time move of participants between states instead of a relative risk.
    pub shift: Option<ShiftSpec>,
    /// `state`: a state effect: the state whose yearly `outcomes`/`costs` change.
    pub state: Option<SString>,
    /// `states`: a state effect on several states (instead of `state`).
    pub states: Option<SList>,
    /// `outcomes`: outcome units per person-year in the state(s), added (state effect).
    pub outcomes: Option<OrderedMap<Spanned<ValueSpec>>>,
    /// `costs`: euros per person-year in the state(s): intervention costs (state effect).
    pub costs: Option<Spanned<Vec<Spanned<CostSpec>>>>,
}

/// `shift = { from, to, share }`: at the start of the participation year,
/// `share` of participants in `from` move to `to`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    /// `from`: the state participants leave.
    pub from: SString,
    /// `to`: the state they move to.
    pub to: SString,
    /// `share`: share of participants in `from` who move, in [0, 1].
    pub share: Spanned<ValueSpec>,
}

/// `[intervention.costs]`: what an intervention costs while it runs.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionCostsSpec {
    /// `fixed`: euros per year the intervention is active.
    pub fixed: Option<Spanned<Vec<Spanned<CostSpec>>>>,
    /// `per_participant`: euros per participant-year.
    pub per_participant: Option<Spanned<Vec<Spanned<CostSpec>>>>,
}

/// `[[scenario]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// `name`: unique name (not `"nulalternatief"`, reserved for the baseline).
    pub name: SString,
    /// `description`: shown in reports.
    pub description: Option<String>,
    /// `interventions`: the package, by intervention name.
    pub interventions: SList,
    /// `sroi`: SROI corrections on avoided costs.
    pub sroi: Option<SroiSpec>,
    /// `pm`: effects named but not valued in money (PM-posten), besides those of its interventions.
    pub pm: Option<SList>,
}

/// `[nulalternatief]`: the baseline's own interventions, which happen anyway
/// and so run in the nulalternatief and in every scenario alike.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NulalternatiefSpec {
    /// `description`: what the nulalternatief holds, shown in reports.
    pub description: Option<String>,
    /// `interventions`: interventions that run anyway, by name.
    pub interventions: Option<SList>,
}

/// `sroi = { deadweight, attribution, displacement }`: shares of the effect
/// not credited to the scenario (all default 0).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SroiSpec {
    /// `deadweight`: share that would have happened anyway, in [0, 1].
    pub deadweight: Option<Spanned<ValueSpec>>,
    /// `attribution`: share due to others, in [0, 1].
    pub attribution: Option<Spanned<ValueSpec>>,
    /// `displacement`: share lost elsewhere (verdringing), in [0, 1].
    pub displacement: Option<Spanned<ValueSpec>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_shape_and_position() {
        #[derive(Deserialize)]
        struct T {
            a: Spanned<ValueSpec>,
            b: Spanned<ValueSpec>,
            c: Spanned<ValueSpec>,
            r: Spanned<RowSpec>,
        }
        let text = "a = 3\nb = \"p\"\nc = { dist = \"beta\", mean = 0.2, sd = 0.1 }\nr = [0.5, \"rest\"]\n";
        let t: T = toml::from_str(text).unwrap();
        assert!(matches!(t.a.get_ref(), ValueSpec::Number(x) if *x == 3.0));
        assert!(matches!(t.b.get_ref(), ValueSpec::Name(n) if n == "p"));
        let ValueSpec::Dist(d) = t.c.get_ref() else { panic!() };
        assert_eq!(d.dist.get_ref(), "beta");
        // Spans survive inside the hand-written visitors.
        assert_eq!(&text[d.mean.as_ref().unwrap().span()], "0.2");
        let RowSpec::Entries(e) = t.r.get_ref() else { panic!() };
        assert_eq!(&text[e[1].span()], "\"rest\"");
        assert_eq!(&text[t.a.span()], "3");
    }

    #[test]
    fn unknown_key_in_an_inline_distribution_is_named() {
        #[derive(Debug, Deserialize)]
        struct T {
            #[allow(dead_code)]
            c: Spanned<ValueSpec>,
        }
        let text = "c = { dist = \"beta\", mean = 0.2, sdd = 0.1 }\n";
        let e = toml::from_str::<T>(text).unwrap_err();
        assert!(e.message().contains("sdd"), "{}", e.message());
        assert_eq!(&text[e.span().unwrap()], "sdd");
    }
}
