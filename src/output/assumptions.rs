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
//!              "cycle_correction": "none" | "end" | "half-cycle" | "simpson" | "all-boundaries" | "custom",
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
//!                                       "share": <value> }
//!                                   | { "chain": "…", "kind": "state", "states": [..],
//!                                       "outcomes": { "qaly": <value> }, "costs": [ … ] } ],
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

use super::schema::assumptions::{
    AccountFile, AreaAssumptions, AssumptionsDoc, CostFile, EffectFile, InterventionFile, ModelSettings, ParameterFile,
    ScenarioAssumptions, SensitivityMethod, Shape, SroiFile, TargetFile, ValueFile,
};
use super::{finite, OutputError, RunDir, ASSUMPTIONS_JSON};
use crate::model::{
    CostItem, CycleCorrection, DiscountTiming, Effect, Intervention, Mode, Model, Reach, RrConvention, StateEffect,
    StateSet, Value,
};
use crate::sensitivity::{self, Bounds};

pub use super::schema::assumptions::ASSUMPTIONS_FORMAT_VERSION;

/// How `sensitivity.csv` is made, in words.
const SENSITIVITY_METHOD: &str = "one-way: each parameter in turn at its P5 and P95 (empirical percentiles of 20,000 samples from a fixed stream), every other parameter at its mean; a dirichlet component moves with the rest of its row rescaled to sum to 1; expected values (cohort mode)";

impl Shape {
    fn of(v: &[f64]) -> Shape {
        if v.len() == 1 {
            Shape::One(finite(v[0]))
        } else {
            Shape::Many(v.iter().map(|&x| finite(x)).collect())
        }
    }
}

fn value(model: &Model, v: Value) -> ValueFile {
    match v {
        Value::Fixed(x) => ValueFile::Fixed(finite(x)),
        Value::Slot(i) => match model.params.param_of_slot(i) {
            Some((p, j)) => {
                let parameter = if p.len() == 1 { p.name.clone() } else { format!("{}[{j}]", p.name) };
                ValueFile::Parameter { parameter, mean: finite(p.dist.means()[j]) }
            }
            None => match model.params.derived_of_slot(i) {
                // A derived parameter: its name and its base-case value.
                Some(d) => ValueFile::Parameter {
                    parameter: format!("{}{}", d.name, crate::model::bound_suffix(&d.bindings)),
                    mean: finite(crate::params::means(&model.params)[i]),
                },
                None => ValueFile::Parameter { parameter: format!("slot {i}"), mean: None },
            },
        },
    }
}

fn states(names: &[String], set: StateSet) -> Vec<String> {
    names.iter().enumerate().filter(|&(s, _)| set.contains(s)).map(|(_, n)| n.clone()).collect()
}

fn convention(c: RrConvention) -> &'static str {
    match c {
        RrConvention::Rate => "rate",
        RrConvention::Probability => "probability",
        RrConvention::Hazard => "hazard",
    }
}

fn costs(model: &Model, items: &[CostItem]) -> Vec<CostFile> {
    items.iter().map(|c| CostFile { account: model.account_label(c.account), amount: value(model, c.amount) }).collect()
}

fn settings(model: &Model, mode: Mode) -> ModelSettings {
    let st = &model.settings;
    ModelSettings {
        start_year: st.start_year,
        horizon: st.horizon,
        discount_rate_costs: st.discount_costs,
        discount_rate_effects: st.discount_effects,
        first_year_discounted: st.first_year_discounted,
        cycle_correction: match st.cycle_correction {
            CycleCorrection::None => "none",
            CycleCorrection::HalfCycle => "half-cycle",
            CycleCorrection::Simpson => "simpson",
            CycleCorrection::End => "end",
            CycleCorrection::AllBoundaries => "all-boundaries",
            CycleCorrection::Custom => "custom",
        }
        .into(),
        rr_convention: convention(st.rr_convention).into(),
        mode: mode.as_str().into(),
        max_age: st.max_age,
        cycle_length: (st.cycle_length != 1.0).then_some(st.cycle_length),
        discount_timing: (st.discount_timing == DiscountTiming::Boundary).then(|| "boundary".into()),
        cycle_weights: (st.cycle_correction == CycleCorrection::Custom).then(|| st.cycle_weights.clone()),
    }
}

fn account(model: &Model, a: usize) -> AccountFile {
    let acc = &model.accounts[a];
    let tv = acc.taakveld.map(|t| &model.taakvelden[t]);
    AccountFile {
        name: model.account_label(a),
        funder: model.funders[acc.funder].clone(),
        taakveld: tv.map(|t| t.code.clone()),
        taakveld_name: tv.map(|t| t.name.clone()),
    }
}

fn effect(model: &Model, e: &Effect) -> EffectFile {
    let chain_states = |c: usize| &model.chains[c].states;
    match *e {
        Effect::RelativeRisk { chain, from, to, rr, convention: c } => EffectFile::RelativeRisk {
            chain: model.chains[chain].name.clone(),
            from: states(chain_states(chain), from),
            to: states(chain_states(chain), to),
            rr: value(model, rr),
            convention: convention(c).into(),
        },
        Effect::Shift { chain, from, to, share } => EffectFile::Shift {
            chain: model.chains[chain].name.clone(),
            from: chain_states(chain)[from].clone(),
            to: chain_states(chain)[to].clone(),
            share: value(model, share),
        },
    }
}

fn state_effect(model: &Model, e: &StateEffect) -> EffectFile {
    let outcomes = model
        .outcomes
        .iter()
        .zip(&e.outcomes)
        .filter(|(_, v)| **v != Value::Fixed(0.0))
        .map(|(name, &v)| (name.clone(), value(model, v)))
        .collect();
    EffectFile::State {
        chain: model.chains[e.chain].name.clone(),
        states: states(&model.chains[e.chain].states, e.states),
        outcomes,
        costs: costs(model, &e.costs),
    }
}

fn intervention(model: &Model, iv: &Intervention) -> InterventionFile {
    let reach = match iv.reach {
        Reach::Share(v) => ("share".to_string(), value(model, v)),
        Reach::Participants(v) => ("participants".to_string(), value(model, v)),
    };
    InterventionFile {
        name: iv.name.clone(),
        areas: model.areas.iter().zip(&iv.areas).filter(|(_, &on)| on).map(|(a, _)| a.name.clone()).collect(),
        ages: [iv.age_lo, iv.age_hi],
        start_year: iv.start_year,
        end_year: iv.end_year,
        target: iv
            .target
            .iter()
            .map(|&(c, set)| TargetFile {
                chain: model.chains[c].name.clone(),
                states: states(&model.chains[c].states, set),
            })
            .collect(),
        reach: [reach].into_iter().collect(),
        ramp_up: iv.ramp_up.iter().map(|&v| value(model, v)).collect(),
        persistence_years: iv.persistence_years,
        drop_off: value(model, iv.drop_off),
        effects: iv
            .effects
            .iter()
            .map(|e| effect(model, e))
            .chain(iv.state_effects.iter().map(|e| state_effect(model, e)))
            .collect(),
        fixed_costs: costs(model, &iv.fixed_costs),
        participant_costs: costs(model, &iv.participant_costs),
    }
}

/// The contents of `assumptions.json`. `mode` is the run's simulation mode;
/// `bounds` comes from [`sensitivity::param_bounds`] (one per parameter, in
/// table order).
pub(crate) fn assumptions_file(model: &Model, mode: Mode, bounds: &[Bounds]) -> Result<AssumptionsDoc, OutputError> {
    if bounds.len() != model.params.params.len() {
        return Err(OutputError::Other(format!(
            "{} parameter bounds for {} parameters",
            bounds.len(),
            model.params.params.len()
        )));
    }
    let parameter = |(p, b): (&crate::model::Parameter, &Bounds)| ParameterFile {
        name: p.name.clone(),
        named: p.named,
        distribution: p.dist.to_string(),
        mean: Shape::of(&b.mean),
        p5: Shape::of(&b.low),
        p95: Shape::of(&b.high),
        note: p.note.clone(),
        comment: p.comment.clone(),
        used_by: p.used_by.clone(),
        expr: None,
    };
    let base_case = crate::params::means(&model.params);
    let derived = |d: &crate::model::Derived| ParameterFile {
        name: d.name.clone(),
        named: d.named,
        distribution: "expression".into(),
        mean: Shape::One(finite(base_case[d.slot])),
        p5: Shape::One(None),
        p95: Shape::One(None),
        note: d.note.clone(),
        comment: d.comment.clone(),
        used_by: d.used_by.clone(),
        expr: Some(format!("{}{}", d.source, crate::model::bound_text(&d.bindings))),
    };
    let scenario = |sc: &crate::model::Scenario| ScenarioAssumptions {
        name: sc.name.clone(),
        description: sc.description.clone(),
        sroi: SroiFile {
            deadweight: value(model, sc.sroi.deadweight),
            attribution: value(model, sc.sroi.attribution),
            displacement: value(model, sc.sroi.displacement),
        },
        interventions: sc.interventions.iter().map(|&i| intervention(model, &model.interventions[i])).collect(),
    };
    Ok(AssumptionsDoc {
        format_version: ASSUMPTIONS_FORMAT_VERSION,
        model: settings(model, mode),
        sensitivity: Some(SensitivityMethod {
            low: sensitivity::LOW_P,
            high: sensitivity::HIGH_P,
            samples: sensitivity::QUANTILE_SAMPLES,
            mode: Mode::Cohort.as_str().into(),
            method: SENSITIVITY_METHOD.into(),
        }),
        accounts: (0..model.accounts.len()).map(|a| account(model, a)).collect(),
        areas: model
            .areas
            .iter()
            .map(|a| AreaAssumptions { name: a.name.clone(), population: a.population.iter().flatten().sum() })
            .collect(),
        parameters: model
            .params
            .params
            .iter()
            .zip(bounds)
            .map(parameter)
            .chain(model.params.derived.iter().map(derived))
            .collect(),
        scenarios: model.scenarios.iter().map(scenario).collect(),
    })
}

/// The JSON text of `assumptions.json` (pretty-printed, newline-terminated).
pub(crate) fn assumptions_json(model: &Model, mode: Mode, bounds: &[Bounds]) -> Result<String, OutputError> {
    super::json::pretty(&assumptions_file(model, mode, bounds)?)
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
                    assert!(e["kind"] == "relative_risk" || e["kind"] == "shift" || e["kind"] == "state");
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
        let j = |v: ValueFile| serde_json::to_string(&v).unwrap();
        assert_eq!(j(value(&model, Value::Fixed(0.25))), r#"{"fixed":0.25}"#);
        assert_eq!(j(value(&model, Value::Slot(0))), r#"{"parameter":"cost","mean":100.0}"#);
        assert_eq!(j(value(&model, Value::Slot(3))), r#"{"parameter":"row[1]","mean":0.3}"#);
    }

    #[test]
    fn a_state_effect_is_listed_with_its_states_outcomes_and_costs() {
        // The THR model: NP1 adds 185 per person-year in PrimaryTHR.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/published/thr-briggs/model.toml");
        let model = crate::scenario::load(&path).unwrap().model;
        let bounds = sensitivity::param_bounds(&model.params);
        let v: serde_json::Value =
            serde_json::from_str(&assumptions_json(&model, Mode::Cohort, &bounds).unwrap()).unwrap();
        let effects = v["scenarios"][0]["interventions"][0]["effects"].as_array().unwrap();
        let state = effects.iter().find(|e| e["kind"] == "state").expect("the state effect");
        assert_eq!(state["chain"], "thr");
        assert_eq!(state["states"], serde_json::json!(["PrimaryTHR"]));
        // "c_np1 - c_standard": an expression of two named constants.
        assert_eq!(state["costs"][0]["amount"]["mean"], 185.0, "{state}");
        assert!(state["outcomes"].as_object().unwrap().is_empty());
        assert!(effects.iter().any(|e| e["kind"] == "relative_risk" && e["convention"] == "hazard"));
    }
}
