//! Published decision models run as written (`scenarios/published/`): each
//! file reproduces its source's table to the published rounding in cohort
//! mode, and stochastic mode (whole people) agrees with it within four Monte
//! Carlo standard errors. The figures below are copied from the sources
//! named in each model's README, not produced by the engine.

mod common;

use common::{run, tmpdir};
use serde_json::Value;

/// The models simulate 10,000 people; published figures are per person.
const COHORT: f64 = 10_000.0;

/// (arm, metric) → per-person mean and its Monte Carlo standard error.
fn arm(summary: &Value, arm: &str, metric: &str) -> (f64, f64) {
    let m = &summary["arms"][arm]["areas"]["totaal"][metric];
    let mean = m["mean"].as_f64().unwrap_or_else(|| panic!("arms.{arm}.totaal.{metric} in summary.json"));
    // One draw has no MCSE (null): 0.
    (mean / COHORT, m["mcse"].as_f64().unwrap_or(0.0) / COHORT)
}

fn summary_of(model: &str, mode: &str, draws: &str) -> Value {
    let dir = tmpdir();
    let file = common::root().join("scenarios/published").join(model).join("model.toml");
    let args = ["--mode", mode, "--draws", draws, "--seed", "16", "--no-sensitivity", "--quiet"];
    run(&file, &args, dir.path()).success();
    common::json(&dir.path().join("summary.json"))
}

/// `got` printed with `decimals` decimals is the published figure.
fn assert_rounds_to(what: &str, got: f64, published: f64, decimals: i32) {
    let k = 10f64.powi(decimals);
    assert_eq!((got * k).round(), (published * k).round(), "{what}: {got} does not round to the published {published}");
}

/// Stochastic mean within four standard errors of the published (expected) value.
fn assert_within_mcse(what: &str, (mean, mcse): (f64, f64), published: f64) {
    assert!(mcse > 0.0, "{what}: stochastic draws should differ");
    assert!((mean - published).abs() <= 4.0 * mcse, "{what}: {mean} ± {mcse} (MCSE) vs published {published}");
}

/// Chancellor et al. 1997 HIV model as in Briggs, Claxton & Sculpher (2006),
/// Example 2.5; figures of the book's workbook at 7 decimals (heemod's
/// reproduction test): costs discounted at 6 %, life-years undiscounted.
const HIV: [(&str, f64, f64); 2] =
    [("nulalternatief", 44_663.453_563_7, 7.991_206_6), ("combinatie", 50_601.651_331_2, 8.937_388_9)];

#[test]
fn hiv_chancellor_reproduces_the_published_costs_life_years_and_icer() {
    let s = summary_of("hiv-chancellor", "cohort", "1");
    for (a, cost, ly) in HIV {
        assert_rounds_to(&format!("{a} costs"), arm(&s, a, "costs_pv").0, cost, 7);
        assert_rounds_to(&format!("{a} life-years"), arm(&s, a, "life_years").0, ly, 7);
    }
    let d_cost = arm(&s, "combinatie", "costs_pv").0 - arm(&s, "nulalternatief", "costs_pv").0;
    let d_ly = arm(&s, "combinatie", "life_years").0 - arm(&s, "nulalternatief", "life_years").0;
    // ICER £6,276 per life-year gained (Chancellor et al. 1997, abstract; 6,275.95560 in the workbook).
    assert_rounds_to("ICER", d_cost / d_ly, 6_275.955_60, 2);
}

#[test]
fn hiv_chancellor_stochastic_mode_agrees_within_monte_carlo_error() {
    let s = summary_of("hiv-chancellor", "stochastic", "40");
    for (a, cost, ly) in HIV {
        assert_within_mcse(&format!("{a} costs"), arm(&s, a, "costs_pv"), cost);
        assert_within_mcse(&format!("{a} life-years"), arm(&s, a, "life_years"), ly);
    }
}

/// DARTH's Sick-Sicker model (Alarid-Escudero et al., Medical Decision Making
/// 2023;43(1):3–20, table of expected outcomes): discounted costs ($, to the
/// dollar) and QALYs (3 decimals) per strategy.
const SICK_SICKER: [(&str, f64, f64); 4] = [
    ("nulalternatief", 151_580.0, 20.711),
    ("A", 284_805.0, 21.499),
    ("B", 259_100.0, 22.184),
    ("AB", 378_875.0, 23.137),
];

#[test]
fn sick_sicker_reproduces_the_published_costs_and_qalys() {
    let s = summary_of("sick-sicker", "cohort", "1");
    for (a, cost, qaly) in SICK_SICKER {
        assert_rounds_to(&format!("{a} costs"), arm(&s, a, "costs_pv").0, cost, 0);
        assert_rounds_to(&format!("{a} QALYs"), arm(&s, a, "outcome_pv/qaly").0, qaly, 3);
    }
    // Incremental cost-effectiveness: B vs SoC $72,988/QALY, AB vs B $125,764/QALY (published).
    let icer = |x: &str, y: &str| {
        (arm(&s, x, "costs_pv").0 - arm(&s, y, "costs_pv").0)
            / (arm(&s, x, "outcome_pv/qaly").0 - arm(&s, y, "outcome_pv/qaly").0)
    };
    assert_rounds_to("ICER B vs SoC", icer("B", "nulalternatief"), 72_988.0, 0);
    assert_rounds_to("ICER AB vs B", icer("AB", "B"), 125_764.0, 0);
}

#[test]
fn the_manifest_lists_the_life_table_among_the_inputs() {
    // The numbers depend on the life table as much as on the scenario file:
    // a changed table must change the inputs' hashes.
    let dir = tmpdir();
    let folder = common::root().join("scenarios/published/sick-sicker");
    run(&folder.join("model.toml"), &["--draws", "1", "--no-sensitivity", "--quiet"], dir.path()).success();
    let manifest = common::json(&dir.path().join("manifest.json"));
    let inputs = manifest["inputs"].as_array().unwrap();
    let table = inputs.iter().find(|i| i["path"].as_str().unwrap().ends_with("lifetable.csv")).expect("the life table");
    let bytes = std::fs::read(folder.join("lifetable.csv")).unwrap();
    assert_eq!(table["sha256"].as_str().unwrap(), wijkimpact::output::manifest::sha256_hex(&bytes));
    assert_eq!(inputs.len(), 2, "{inputs:?}");
}

#[test]
fn sick_sicker_stochastic_mode_agrees_within_monte_carlo_error() {
    // The published figures are rounded; the unrounded reference (the
    // tutorial's code) is within 0.5 of them, far below the MCSE here.
    let s = summary_of("sick-sicker", "stochastic", "40");
    for (a, cost, qaly) in SICK_SICKER {
        assert_within_mcse(&format!("{a} costs"), arm(&s, a, "costs_pv"), cost);
        assert_within_mcse(&format!("{a} QALYs"), arm(&s, a, "outcome_pv/qaly"), qaly);
    }
}

/// Total hip replacement, Briggs, Claxton & Sculpher (2006) Exercise 3.5:
/// costs (6 %) and QALYs (1.5 %) per woman aged 60, standard prosthesis and
/// NP1, the book's workbook figures as printed in heemod's reproduction test.
/// The revision probability varies by model cycle (a `[parameters]`
/// expression in `cycle`), NP1 multiplies its hazard.
const THR: [(&str, f64, f64); 2] = [("nulalternatief", 512.434_658, 14.653_189_6), ("np1", 610.311_818, 14.697_709_86)];

#[test]
fn thr_briggs_reproduces_the_published_costs_qalys_and_icer() {
    let s = summary_of("thr-briggs", "cohort", "1");
    for (a, cost, qaly) in THR {
        assert_rounds_to(&format!("{a} costs"), arm(&s, a, "costs_pv").0, cost, 6);
        assert_rounds_to(&format!("{a} QALYs"), arm(&s, a, "outcome_pv/qaly").0, qaly, 7);
    }
    let d_cost = arm(&s, "np1", "costs_pv").0 - arm(&s, "nulalternatief", "costs_pv").0;
    let d_qaly = arm(&s, "np1", "outcome_pv/qaly").0 - arm(&s, "nulalternatief", "outcome_pv/qaly").0;
    // £2,198.49 per QALY gained (2,198.486665 in the workbook).
    assert_rounds_to("ICER", d_cost / d_qaly, 2_198.486_665, 3);
}

#[test]
fn thr_briggs_stochastic_mode_agrees_within_monte_carlo_error() {
    let s = summary_of("thr-briggs", "stochastic", "40");
    for (a, cost, qaly) in THR {
        assert_within_mcse(&format!("{a} costs"), arm(&s, a, "costs_pv"), cost);
        assert_within_mcse(&format!("{a} QALYs"), arm(&s, a, "outcome_pv/qaly"), qaly);
    }
}
