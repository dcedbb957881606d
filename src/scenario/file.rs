//! The scenario file as written: a one-to-one mirror of the TOML.
//!
//! Phase one of loading (phase two is [`super::validate`]). These types only
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
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Files merged into this one, relative to this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<SString>,
    pub model: Option<ModelSpec>,
    pub taakvelden: Option<OrderedMap<SString>>,
    pub parameters: Option<OrderedMap<DistSpec>>,
    pub demography: Option<OrderedMap<DemographySpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub area: Vec<Spanned<AreaSpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<Spanned<ChainSpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risk_factor: Vec<Spanned<RiskFactorSpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervention: Vec<Spanned<InterventionSpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenario: Vec<Spanned<ScenarioSpec>>,
}

impl ScenarioFile {
    /// Parse one file's text. Syntax, type and unknown-key errors come back as
    /// toml's error, whose `span()` gives the position.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// `[model]`: every field optional here, because fields merge across includes
/// (the including file wins); defaults and required fields are applied after merging.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub start_year: Option<Spanned<i64>>,
    pub horizon: Option<Spanned<i64>>,
    pub discount_rate_costs: Option<Spanned<f64>>,
    pub discount_rate_effects: Option<Spanned<f64>>,
    pub first_year_discounted: Option<Spanned<bool>>,
    pub cycle_correction: Option<SString>,
    pub mode: Option<SString>,
    pub rr_convention: Option<SString>,
    pub max_age: Option<Spanned<i64>>,
    pub funders: Option<SList>,
    pub outcomes: Option<SList>,
    pub base_outcome: Option<OrderedMap<Spanned<ValueSpec>>>,
    /// Area profiles that chains and interventions may name although no area
    /// of this run has that name (e.g. the stadsdelen, in a file of wijken).
    pub profiles: Option<SList>,
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
    Number(f64),
    Name(String),
    Dist(Box<DistSpec>),
}

impl<'de> Deserialize<'de> for ValueSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = ValueSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number, a parameter name in quotes, or a distribution table like { dist = \"beta\", mean = 0.2, sd = 0.05 }",
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
    pub dist: SString,
    pub mean: Option<Spanned<f64>>,
    pub sd: Option<Spanned<f64>>,
    pub meanlog: Option<Spanned<f64>>,
    pub sdlog: Option<Spanned<f64>>,
    pub ratio: Option<Spanned<f64>>,
    pub ci95: Option<Spanned<Vec<f64>>>,
    /// A number for beta, a list for dirichlet.
    pub alpha: Option<Spanned<NumOrList>>,
    pub beta: Option<Spanned<f64>>,
    pub events: Option<Spanned<f64>>,
    pub trials: Option<Spanned<f64>>,
    pub shape: Option<Spanned<f64>>,
    pub scale: Option<Spanned<f64>>,
    pub low: Option<Spanned<f64>>,
    pub high: Option<Spanned<f64>>,
    pub mode: Option<Spanned<f64>>,
    pub lambda: Option<Spanned<f64>>,
    pub counts: Option<Spanned<Vec<f64>>>,
    /// Where the numbers come from; kept in `Parameter::note`.
    pub note: Option<SString>,
}

/// `alpha` is a number (beta) or a list (dirichlet).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum NumOrList {
    Num(f64),
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
    Entries(Vec<Spanned<ValueSpec>>),
    Name(String),
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
    Word(String),
    Bands(Vec<Spanned<MortalityEntry>>),
}

impl<'de> Deserialize<'de> for MortalitySpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = MortalitySpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"none\" or a list like [{ ages = \"0-100\", q = 0.01 }]")
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
        }
        d.deserialize_any(Vis)
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MortalityEntry {
    pub ages: SString,
    pub q: Option<Spanned<ValueSpec>>,
    pub male: Option<Spanned<ValueSpec>>,
    pub female: Option<Spanned<ValueSpec>>,
}

/// `[demography.NAME]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DemographySpec {
    pub closed: Option<Spanned<bool>>,
    pub mortality: Option<Spanned<MortalitySpec>>,
    pub crude_birth_rate: Option<Spanned<ValueSpec>>,
    pub fertility: Option<Spanned<Vec<Spanned<FertilityEntry>>>>,
    pub male_birth_share: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FertilityEntry {
    pub ages: SString,
    pub rate: Spanned<ValueSpec>,
}

/// `[[area]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    pub name: SString,
    /// Take the area-specific rows and targets written for another name (a
    /// wijk using its stadsdeel's rates); default: the area's own name.
    pub profile: Option<SString>,
    pub demography: SString,
    /// A closed cohort in any demography: its mortality, but no births and no
    /// migration (the participants of one initiative).
    pub closed: Option<Spanned<bool>>,
    pub population: Spanned<Vec<Spanned<PopulationEntry>>>,
    pub net_migration: Option<Spanned<Vec<Spanned<MigrationEntry>>>>,
}

/// Population of an age band: `count`, or `male` and `female` (literal numbers).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationEntry {
    pub ages: SString,
    pub count: Option<Spanned<f64>>,
    pub male: Option<Spanned<f64>>,
    pub female: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationEntry {
    pub ages: SString,
    pub count: Spanned<ValueSpec>,
}

/// `[[chain]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    pub name: SString,
    pub kind: SString,
    pub ages: Option<SString>,
    pub states: SList,
    pub rest_state: Option<SString>,
    pub death_states: Option<SList>,
    pub initial: Option<Spanned<Vec<Spanned<InitialEntry>>>>,
    pub initial_by_area: Option<OrderedMap<Spanned<Vec<Spanned<InitialEntry>>>>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<Spanned<TransitionSpec>>,
    pub state: Option<OrderedMap<StateSpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transition_cost: Vec<Spanned<TransitionCostSpec>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InitialEntry {
    pub ages: SString,
    pub p: Spanned<RowSpec>,
}

/// `[[chain.transitions]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionSpec {
    pub ages: Option<SString>,
    pub areas: Option<SList>,
    pub matrix: Spanned<Vec<Spanned<RowSpec>>>,
}

/// `[chain.state.NAME]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateSpec {
    pub costs: Option<Spanned<Vec<Spanned<CostSpec>>>>,
    pub outcomes: Option<OrderedMap<Spanned<ValueSpec>>>,
    pub social_value: Option<Spanned<ValueSpec>>,
}

/// `[[chain.transition_cost]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionCostSpec {
    pub from: SString,
    pub to: SString,
    pub costs: Spanned<Vec<Spanned<CostSpec>>>,
}

/// One cost line: `{ amount, funder, taakveld }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    pub amount: Spanned<ValueSpec>,
    pub funder: SString,
    pub taakveld: Option<SString>,
}

/// `[[risk_factor]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFactorSpec {
    pub chain: SString,
    pub to: Spanned<OneOrMany>,
    pub from: Option<Spanned<OneOrMany>>,
    pub when: Spanned<OneOrMany>,
    pub rr: Spanned<ValueSpec>,
    pub convention: Option<SString>,
    pub ages: Option<SString>,
}

/// `[[intervention]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionSpec {
    pub name: SString,
    pub areas: Option<SList>,
    pub ages: Option<SString>,
    pub target: Option<Spanned<OneOrMany>>,
    pub reach: ReachSpec,
    pub ramp_up: Option<Spanned<Vec<Spanned<ValueSpec>>>>,
    pub start_year: Option<Spanned<i64>>,
    pub end_year: Option<Spanned<i64>>,
    pub persistence: Option<PersistenceSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effect: Vec<Spanned<EffectSpec>>,
    pub costs: Option<InterventionCostsSpec>,
}

/// `reach = { share = … }` or `reach = { participants = … }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReachSpec {
    pub share: Option<Spanned<ValueSpec>>,
    pub participants: Option<Spanned<ValueSpec>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersistenceSpec {
    pub years: Option<Spanned<i64>>,
    pub drop_off: Option<Spanned<ValueSpec>>,
}

/// `[[intervention.effect]]`: a relative risk (`from`, `to`, `rr`) or a `shift`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EffectSpec {
    pub chain: SString,
    pub from: Option<Spanned<OneOrMany>>,
    pub to: Option<Spanned<OneOrMany>>,
    pub rr: Option<Spanned<ValueSpec>>,
    pub convention: Option<SString>,
    pub shift: Option<ShiftSpec>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    pub from: SString,
    pub to: SString,
    pub share: Spanned<ValueSpec>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionCostsSpec {
    pub fixed: Option<Spanned<Vec<Spanned<CostSpec>>>>,
    pub per_participant: Option<Spanned<Vec<Spanned<CostSpec>>>>,
}

/// `[[scenario]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    pub name: SString,
    pub description: Option<String>,
    pub interventions: SList,
    pub sroi: Option<SroiSpec>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SroiSpec {
    pub deadweight: Option<Spanned<ValueSpec>>,
    pub attribution: Option<Spanned<ValueSpec>>,
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
