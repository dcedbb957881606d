//! The decision analysis of a run ([`crate::decision::analysis`]) as files:
//! `summary.json`'s `decision` section and three tidy tables, written
//! whenever the model has a decision effect (every model with an outcome or
//! life-years, so nearly always):
//!
//! - `incremental.csv`: `area,effect,arm,cost,effect_value,status,compared_with,d_cost,d_effect,icer`,
//!   per area slot and effect measure the arms in order of expected cost;
//! - `acceptability.csv`: `area,wtp,arm,p_best,expected_loss,optimal,evpi`, per area
//!   slot, willingness to pay (the `[decision]` grid) and arm: the
//!   acceptability curve (`p_best`, the share of draws in which the arm has
//!   the highest net benefit), the expected loss of choosing it, whether it
//!   is on the acceptability frontier (highest expected net benefit), and
//!   the EVPI at that willingness to pay (the frontier arm's expected loss);
//! - `evppi.csv`: `area,name,kind,parameters,evppi,se,per_person,evpi,warning`, per
//!   area slot the declared parameter groups, and at the city total also
//!   every uncertain parameter alone (`kind` = `parameter`); `parameters` is
//!   `;`-separated.
//!
//! ```text
//! "decision": { "effect": "qaly", "wtp": 56666.7, "draws": 1000, "warning": null,
//!   "areas": { "<area>" | "totaal": {
//!     "population": …, "optimal": "<arm>", "p_optimal": …,
//!     "nmb": { "<arm>": … }, "evpi": …, "evpi_per_person": …,
//!     "incremental": { "<effect>": [ { "arm", "cost", "effect", "status", "compared_with",
//!                                      "d_cost", "d_effect", "icer" }, … ] },
//!     "evppi": [ { "name", "kind", "parameters", "evppi", "se", "per_person", "warning" }, … ] } } }
//! ```
//!
//! Money is euros for the area's whole population over the horizon
//! (discounted), effects in their own units; a missing number is `null` or
//! an empty cell.

use super::csv::{close, csv_err, open};
use super::finite;
use super::rundir::RunDir;
use super::schema::decision::{AreaDecisionFile, DecisionFile, EvppiFile, IncrementalFile};
use super::schema::{ACCEPTABILITY_CSV, EVPPI_CSV, INCREMENTAL_CSV};
use super::{push_num, OutputError};
use crate::decision::analysis::{per_person, AreaDecision, DecisionSummary};

/// The `decision` section of `summary.json`; `areas` the area slot labels.
pub fn decision_file(d: &DecisionSummary, areas: &[String]) -> DecisionFile {
    let area = |a: &AreaDecision| {
        let optimal = a.nmb.iter().enumerate().fold(0, |best, (i, &x)| if x > a.nmb[best] { i } else { best });
        let incremental = d
            .effects
            .iter()
            .zip(&a.incremental)
            .map(|(e, rows)| {
                let rows = rows.iter().map(|r| IncrementalFile {
                    arm: d.arms[r.arm].clone(),
                    cost: finite(r.cost),
                    effect: finite(r.effect),
                    status: r.status.as_str().to_string(),
                    compared_with: r.compared_with.map(|c| d.arms[c].clone()),
                    d_cost: r.d_cost.and_then(finite),
                    d_effect: r.d_effect.and_then(finite),
                    icer: r.icer.and_then(finite),
                });
                (e.clone(), rows.collect())
            })
            .collect();
        AreaDecisionFile {
            population: a.population,
            optimal: d.arms[optimal].clone(),
            p_optimal: a.p_best.get(optimal).copied().and_then(finite),
            nmb: d.arms.iter().zip(&a.nmb).map(|(n, &x)| (n.clone(), finite(x))).collect(),
            evpi: finite(a.evpi),
            evpi_per_person: finite(per_person(a.evpi, a.population)),
            incremental,
            evppi: a
                .evppi
                .iter()
                .map(|e| EvppiFile {
                    name: e.name.clone(),
                    kind: kind(e.group).to_string(),
                    parameters: e.parameters.clone(),
                    evppi: finite(e.value),
                    se: finite(e.se),
                    per_person: finite(e.per_person),
                    warning: e.warning.clone(),
                })
                .collect(),
        }
    };
    DecisionFile {
        effect: d.effect.clone(),
        wtp: d.wtp,
        draws: d.draws,
        warning: d.warning.clone(),
        areas: areas.iter().zip(&d.areas).map(|(n, a)| (n.clone(), area(a))).collect(),
    }
}

fn kind(group: bool) -> &'static str {
    if group {
        "group"
    } else {
        "parameter"
    }
}

fn num(x: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, x);
    s
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, num)
}

/// Write `incremental.csv`, `acceptability.csv` and `evppi.csv`; the names written.
pub fn write_decision_csvs(
    dir: &mut RunDir,
    d: &DecisionSummary,
    areas: &[String],
) -> Result<Vec<&'static str>, OutputError> {
    let header =
        ["area", "effect", "arm", "cost", "effect_value", "status", "compared_with", "d_cost", "d_effect", "icer"];
    let (mut w, path) = open(dir, INCREMENTAL_CSV, &header)?;
    for (area, a) in areas.iter().zip(&d.areas) {
        for (e, rows) in d.effects.iter().zip(&a.incremental) {
            for r in rows {
                let rec = [
                    area.clone(),
                    e.clone(),
                    d.arms[r.arm].clone(),
                    num(r.cost),
                    num(r.effect),
                    r.status.as_str().to_string(),
                    r.compared_with.map_or_else(String::new, |c| d.arms[c].clone()),
                    opt(r.d_cost),
                    opt(r.d_effect),
                    opt(r.icer),
                ];
                w.write_record(&rec).map_err(|e| csv_err(&path, e))?;
            }
        }
    }
    close(w, &path)?;
    let header = ["area", "wtp", "arm", "p_best", "expected_loss", "optimal", "evpi"];
    let (mut w, path) = open(dir, ACCEPTABILITY_CSV, &header)?;
    for (area, a) in areas.iter().zip(&d.areas) {
        let c = &a.curves;
        for (k, &wtp) in c.wtp.iter().enumerate() {
            for (arm, name) in d.arms.iter().enumerate() {
                let rec = [
                    area.clone(),
                    num(wtp),
                    name.clone(),
                    num(c.ceac[[k, arm]]),
                    num(c.expected_loss[[k, arm]]),
                    (c.frontier[k] == arm).to_string(),
                    num(c.evpi[k]),
                ];
                w.write_record(&rec).map_err(|e| csv_err(&path, e))?;
            }
        }
    }
    close(w, &path)?;
    let header = ["area", "name", "kind", "parameters", "evppi", "se", "per_person", "evpi", "warning"];
    let (mut w, path) = open(dir, EVPPI_CSV, &header)?;
    for (area, a) in areas.iter().zip(&d.areas) {
        for e in &a.evppi {
            let rec = [
                area.clone(),
                e.name.clone(),
                kind(e.group).to_string(),
                e.parameters.join(";"),
                num(e.value),
                num(e.se),
                num(e.per_person),
                num(a.evpi),
                e.warning.clone().unwrap_or_default(),
            ];
            w.write_record(&rec).map_err(|e| csv_err(&path, e))?;
        }
    }
    close(w, &path)?;
    Ok(vec![INCREMENTAL_CSV, ACCEPTABILITY_CSV, EVPPI_CSV])
}
