//! `assumptions.json`: what a reader of the results needs to know about the
//! model, for the report's "Assumptions" section — settings, accounts, every
//! uncertain parameter with its distribution, percentiles, note and source
//! comment, and every scenario with its SROI corrections and interventions.
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "model": { "start_year": 2025, "horizon": 15, "discount_rate_costs": 0.0225,
//!              "discount_rate_effects": 0.015, "first_year_discounted": false,
//!              "cycle_correction": "none" | "half-cycle" | "simpson",
//!              "rr_convention": "rate" | "probability",
//!              "mode": "cohort" | "stochastic",   // the mode of this run
//!              "max_age": 100 },
//!   "sensitivity": { "low": 0.05, "high": 0.95, "samples": 20000, "mode": "cohort",
//!                    "method": "…" },              // how sensitivity.csv is made
//!   "accounts": [ { "name": "gemeente/6.72", "funder": "gemeente",
//!                   "taakveld": "6.72" | null, "taakveld_name": "…" | null }, … ],
//!   "areas": [ { "name": "Noord", "population": 12345.0 }, … ],
//!   "parameters": [ { "name": "wmo_maatwerk_cost", "named": true,
//!                     "distribution": "gamma(mean 4300, sd 900)",
//!                     "mean": 4300.0, "p5": …, "p95": …,   // arrays for a dirichlet
//!                     "note": "…" | null, "comment": "…" | null,
//!                     "used_by": ["chain.wmo.state.maatwerk.costs[0].amount", …] }, … ],
//!   "scenarios": [ { "name": "…", "description": "…",
//!                    "sroi": { "deadweight": <value>, "attribution": <value>, "displacement": <value> },
//!                    "interventions": [ { "name": "…", "areas": ["Noord"], "ages": [0, 17],
//!                        "start_year": 2025, "end_year": 2034,
//!                        "target": [ { "chain": "jeugdhulp", "states": ["geen"] } ],
//!                        "reach": { "share": <value> } | { "participants": <value> },
//!                        "ramp_up": [<value>, …], "persistence_years": 2, "drop_off": <value>,
//!                        "effects": [ { "chain": "…", "kind": "relative_risk", "from": [..], "to": [..],
//!                                       "rr": <value>, "convention": "rate" }
//!                                   | { "chain": "…", "kind": "shift", "from": "…", "to": "…",
//!                                       "share": <value> } ],
//!                        "fixed_costs": [ { "account": "gemeente/6.1", "amount": <value> } ],
//!                        "participant_costs": [ … ] } ] }, … ]
//! }
//! ```
//!
//! A `<value>` is `{ "fixed": x }` or `{ "parameter": "name", "mean": m }`.
//! Account names are those of the per-account metrics (`pv_net/<name>`) in
//! `summary.json`; `mean`/`p5`/`p95` are those `sensitivity.csv` uses (P5
//! and P95 empirical, see [`crate::sensitivity`]); `comment` is the source
//! comment of a named parameter (see `Parameter::comment`), `used_by` the
//! fields that use it (empty for inline distributions, whose name is the
//! field). Nothing here depends on the seed, the draws or the thread count.

use super::json::Ordered;
use super::{finite, OutputError, RunDir, ASSUMPTIONS_JSON};
use crate::model::{CostItem, CycleCorrection, Effect, Mode, Model, Reach, RrConvention, StateSet, Value};
use crate::sensitivity::{self, Bounds};
use serde::Serialize;

/// Format version of `assumptions.json`.
pub const ASSUMPTIONS_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    format_version: u32,
    model: ModelJson,
    sensitivity: SensitivityJson,
    accounts: Vec<AccountJson>,
    areas: Vec<AreaJson>,
    parameters: Vec<ParamJson<'a>>,
    scenarios: Vec<ScenarioJson<'a>>,
}

#[derive(Serialize)]
struct ModelJson {
    start_year: i32,
    horizon: usize,
    discount_rate_costs: f64,
    discount_rate_effects: f64,
    first_year_discounted: bool,
    cycle_correction: &'static str,
    rr_convention: &'static str,
    mode: &'static str,
    max_age: usize,
}

#[derive(Serialize)]
struct SensitivityJson {
    low: f64,
    high: f64,
    samples: usize,
    mode: &'static str,
    method: &'static str,
}

#[derive(Serialize)]
struct AccountJson {
    name: String,
    funder: String,
    taakveld: Option<String>,
    taakveld_name: Option<String>,
}

#[derive(Serialize)]
struct AreaJson {
    name: String,
    population: f64,
}

/// A number, or one per Dirichlet component.
#[derive(Serialize)]
#[serde(untagged)]
enum Shape {
    One(Option<f64>),
    Many(Vec<Option<f64>>),
}

impl Shape {
    fn of(v: &[f64]) -> Shape {
        if v.len() == 1 {
            Shape::One(finite(v[0]))
        } else {
            Shape::Many(v.iter().map(|&x| finite(x)).collect())
        }
    }
}

#[derive(Serialize)]
struct ParamJson<'a> {
    name: &'a str,
    named: bool,
    distribution: String,
    mean: Shape,
    p5: Shape,
    p95: Shape,
    note: Option<&'a str>,
    comment: Option<&'a str>,
    used_by: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum ValueJson {
    Fixed(Option<f64>),
    #[serde(untagged)]
    Parameter {
        parameter: String,
        mean: Option<f64>,
    },
}

#[derive(Serialize)]
struct SroiJson {
    deadweight: ValueJson,
    attribution: ValueJson,
    displacement: ValueJson,
}

#[derive(Serialize)]
struct TargetJson<'a> {
    chain: &'a str,
    states: Vec<&'a str>,
}

#[derive(Serialize)]
struct CostJson {
    account: String,
    amount: ValueJson,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum EffectJson<'a> {
    RelativeRisk { chain: &'a str, from: Vec<&'a str>, to: Vec<&'a str>, rr: ValueJson, convention: &'static str },
    Shift { chain: &'a str, from: &'a str, to: &'a str, share: ValueJson },
}

#[derive(Serialize)]
struct InterventionJson<'a> {
    name: &'a str,
    areas: Vec<&'a str>,
    ages: [usize; 2],
    start_year: i32,
    end_year: i32,
    target: Vec<TargetJson<'a>>,
    reach: Ordered<ValueJson>,
    ramp_up: Vec<ValueJson>,
    persistence_years: usize,
    drop_off: ValueJson,
    effects: Vec<EffectJson<'a>>,
    fixed_costs: Vec<CostJson>,
    participant_costs: Vec<CostJson>,
}

#[derive(Serialize)]
struct ScenarioJson<'a> {
    name: &'a str,
    description: &'a str,
    sroi: SroiJson,
    interventions: Vec<InterventionJson<'a>>,
}

fn value(model: &Model, v: Value) -> ValueJson {
    match v {
        Value::Fixed(x) => ValueJson::Fixed(finite(x)),
        Value::Slot(i) => match model.params.param_of_slot(i) {
            Some((p, j)) => {
                let parameter = if p.len() == 1 { p.name.clone() } else { format!("{}[{j}]", p.name) };
                ValueJson::Parameter { parameter, mean: finite(p.dist.means()[j]) }
            }
            None => ValueJson::Parameter { parameter: format!("slot {i}"), mean: None },
        },
    }
}

fn states(names: &[String], set: StateSet) -> Vec<&str> {
    names.iter().enumerate().filter(|&(s, _)| set.contains(s)).map(|(_, n)| n.as_str()).collect()
}

fn convention(c: RrConvention) -> &'static str {
    match c {
        RrConvention::Rate => "rate",
        RrConvention::Probability => "probability",
    }
}

fn costs(model: &Model, items: &[CostItem]) -> Vec<CostJson> {
    items.iter().map(|c| CostJson { account: model.account_label(c.account), amount: value(model, c.amount) }).collect()
}

/// The JSON text of `assumptions.json` (pretty-printed, newline-terminated).
/// `mode` is the run's simulation mode; `bounds` comes from
/// [`sensitivity::param_bounds`] (one per parameter, in table order).
pub fn assumptions_json(model: &Model, mode: Mode, bounds: &[Bounds]) -> Result<String, OutputError> {
    if bounds.len() != model.params.params.len() {
        return Err(OutputError::Other(format!(
            "{} parameter bounds for {} parameters",
            bounds.len(),
            model.params.params.len()
        )));
    }
    let st = &model.settings;
    let chain_name = |c: usize| model.chains[c].name.as_str();
    let chain_states = |c: usize| &model.chains[c].states;
    let doc = Doc {
        format_version: ASSUMPTIONS_FORMAT_VERSION,
        model: ModelJson {
            start_year: st.start_year,
            horizon: st.horizon,
            discount_rate_costs: st.discount_costs,
            discount_rate_effects: st.discount_effects,
            first_year_discounted: st.first_year_discounted,
            cycle_correction: match st.cycle_correction {
                CycleCorrection::None => "none",
                CycleCorrection::HalfCycle => "half-cycle",
                CycleCorrection::Simpson => "simpson",
            },
            rr_convention: convention(st.rr_convention),
            mode: mode.as_str(),
            max_age: st.max_age,
        },
        sensitivity: SensitivityJson {
            low: sensitivity::LOW_P,
            high: sensitivity::HIGH_P,
            samples: sensitivity::QUANTILE_SAMPLES,
            mode: Mode::Cohort.as_str(),
            method: "one-way: each parameter in turn at its P5 and P95 (empirical percentiles of 20,000 samples from a fixed stream), every other parameter at its mean; a dirichlet component moves with the rest of its row rescaled to sum to 1; expected values (cohort mode)",
        },
        accounts: (0..model.accounts.len())
            .map(|a| {
                let acc = &model.accounts[a];
                let tv = acc.taakveld.map(|t| &model.taakvelden[t]);
                AccountJson {
                    name: model.account_label(a),
                    funder: model.funders[acc.funder].clone(),
                    taakveld: tv.map(|t| t.code.clone()),
                    taakveld_name: tv.map(|t| t.name.clone()),
                }
            })
            .collect(),
        areas: model
            .areas
            .iter()
            .map(|a| AreaJson { name: a.name.clone(), population: a.population.iter().flatten().sum() })
            .collect(),
        parameters: model
            .params
            .params
            .iter()
            .zip(bounds)
            .map(|(p, b)| ParamJson {
                name: &p.name,
                named: p.named,
                distribution: p.dist.to_string(),
                mean: Shape::of(&b.mean),
                p5: Shape::of(&b.low),
                p95: Shape::of(&b.high),
                note: p.note.as_deref(),
                comment: p.comment.as_deref(),
                used_by: &p.used_by,
            })
            .collect(),
        scenarios: model
            .scenarios
            .iter()
            .map(|sc| ScenarioJson {
                name: &sc.name,
                description: &sc.description,
                sroi: SroiJson {
                    deadweight: value(model, sc.sroi.deadweight),
                    attribution: value(model, sc.sroi.attribution),
                    displacement: value(model, sc.sroi.displacement),
                },
                interventions: sc
                    .interventions
                    .iter()
                    .map(|&i| {
                        let iv = &model.interventions[i];
                        let reach = match iv.reach {
                            Reach::Share(v) => ("share".to_string(), value(model, v)),
                            Reach::Participants(v) => ("participants".to_string(), value(model, v)),
                        };
                        InterventionJson {
                            name: &iv.name,
                            areas: model
                                .areas
                                .iter()
                                .zip(&iv.areas)
                                .filter(|(_, &on)| on)
                                .map(|(a, _)| a.name.as_str())
                                .collect(),
                            ages: [iv.age_lo, iv.age_hi],
                            start_year: iv.start_year,
                            end_year: iv.end_year,
                            target: iv
                                .target
                                .iter()
                                .map(|&(c, set)| TargetJson { chain: chain_name(c), states: states(chain_states(c), set) })
                                .collect(),
                            reach: Ordered(vec![reach]),
                            ramp_up: iv.ramp_up.iter().map(|&v| value(model, v)).collect(),
                            persistence_years: iv.persistence_years,
                            drop_off: value(model, iv.drop_off),
                            effects: iv
                                .effects
                                .iter()
                                .map(|e| match *e {
                                    Effect::RelativeRisk { chain, from, to, rr, convention: c } => {
                                        EffectJson::RelativeRisk {
                                            chain: chain_name(chain),
                                            from: states(chain_states(chain), from),
                                            to: states(chain_states(chain), to),
                                            rr: value(model, rr),
                                            convention: convention(c),
                                        }
                                    }
                                    Effect::Shift { chain, from, to, share } => EffectJson::Shift {
                                        chain: chain_name(chain),
                                        from: &chain_states(chain)[from],
                                        to: &chain_states(chain)[to],
                                        share: value(model, share),
                                    },
                                })
                                .collect(),
                            fixed_costs: costs(model, &iv.fixed_costs),
                            participant_costs: costs(model, &iv.participant_costs),
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).map_err(|e| OutputError::Other(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Write `assumptions.json` into the run directory.
pub fn write_assumptions(dir: &mut RunDir, model: &Model, mode: Mode, bounds: &[Bounds]) -> Result<(), OutputError> {
    let text = assumptions_json(model, mode, bounds)?;
    dir.write_file(ASSUMPTIONS_JSON, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_described_completely() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example-full.toml");
        let model = crate::scenario::load(&path).unwrap().model;
        let bounds = sensitivity::param_bounds(&model.params);
        let text = assumptions_json(&model, Mode::Stochastic, &bounds).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format_version"], 1);
        assert_eq!(v["model"]["mode"], "stochastic");
        assert_eq!(v["model"]["horizon"], model.settings.horizon);
        let accounts = v["accounts"].as_array().unwrap();
        assert_eq!(accounts.len(), model.accounts.len());
        for (a, acc) in accounts.iter().enumerate() {
            assert_eq!(acc["name"], model.account_label(a));
            assert_eq!(acc["taakveld"].is_null(), acc["taakveld_name"].is_null());
        }
        let params = v["parameters"].as_array().unwrap();
        assert_eq!(params.len(), model.params.params.len());
        for (p, m) in params.iter().zip(&model.params.params) {
            assert_eq!(p["name"], m.name.as_str());
            assert_eq!(p["distribution"], m.dist.to_string());
            if m.len() > 1 {
                assert_eq!(p["mean"].as_array().unwrap().len(), m.len());
                assert_eq!(p["p95"].as_array().unwrap().len(), m.len());
            } else {
                assert!(p["p5"].as_f64().unwrap() <= p["p95"].as_f64().unwrap());
            }
            if !m.named {
                assert!(p["used_by"].as_array().unwrap().is_empty());
            }
        }
        assert!(params.iter().any(|p| p["named"] == true && !p["used_by"].as_array().unwrap().is_empty()));
        let scenarios = v["scenarios"].as_array().unwrap();
        assert_eq!(scenarios.len(), model.scenarios.len());
        for (s, m) in scenarios.iter().zip(&model.scenarios) {
            assert_eq!(s["name"], m.name.as_str());
            assert_eq!(s["interventions"].as_array().unwrap().len(), m.interventions.len());
            for k in ["deadweight", "attribution", "displacement"] {
                let x = &s["sroi"][k];
                assert!(x.get("fixed").is_some() || (x["parameter"].is_string() && x.get("mean").is_some()), "{x}");
            }
            for iv in s["interventions"].as_array().unwrap() {
                let reach = iv["reach"].as_object().unwrap();
                assert_eq!(reach.len(), 1);
                assert!(reach.contains_key("share") || reach.contains_key("participants"));
                for e in iv["effects"].as_array().unwrap() {
                    assert!(e["kind"] == "relative_risk" || e["kind"] == "shift");
                }
            }
        }
        // Deterministic: the same text every time.
        assert_eq!(assumptions_json(&model, Mode::Stochastic, &bounds).unwrap(), text);
        assert!(assumptions_json(&model, Mode::Cohort, &bounds[1..]).is_err());
    }

    #[test]
    fn values_are_fixed_or_a_parameter_with_its_mean() {
        let model = crate::sensitivity::tests::model();
        let j = |v: ValueJson| serde_json::to_string(&v).unwrap();
        assert_eq!(j(value(&model, Value::Fixed(0.25))), r#"{"fixed":0.25}"#);
        assert_eq!(j(value(&model, Value::Slot(0))), r#"{"parameter":"cost","mean":100.0}"#);
        assert_eq!(j(value(&model, Value::Slot(3))), r#"{"parameter":"row[1]","mean":0.3}"#);
    }
}
