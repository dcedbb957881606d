//! The business case at its three levels — financieel (cash), maatschappelijk
//! (cash plus welfare valued in money) and PM-posten (unvalued outcomes) —
//! against sums written out by hand for a tiny closed cohort, plus the
//! identities of a bundled scenario's draws, the errors of the new keys and
//! the deadweight warning.

mod common;

use common::tables;
use common::{tmpdir, wijkimpact};
use predicates::str::contains;
use std::collections::HashMap;
use std::fs;
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run_draw, RunContext, RunOptions};

/// People in the cohort.
const N: f64 = 1000.0;
/// Yearly probability of moving from `a` to the absorbing state `b` in the nulalternatief.
const P: f64 = 0.1;
/// Years simulated.
const H: usize = 6;
/// Discount rates of money and of effects (different, so a mix-up shows).
const RC: f64 = 0.03;
const RE: f64 = 0.015;
/// Care cost per person-year in `b`: cash (gemeente) and informal care at a shadow price.
const CASH: f64 = 1000.0;
const SHADOW: f64 = 400.0;
/// QALY and WELLBY weight of a person-year in `b`, and their prices.
const QALY_B: f64 = -0.3;
const WELLBY_B: f64 = -0.5;
const EURO_PER_QALY: f64 = 50_000.0;
const EURO_PER_WELLBY: f64 = 15_000.0;
/// Intervention costs: fixed per year in cash, per participant in volunteer hours.
const FIXED: f64 = 2000.0;
const VOLUNTEER: f64 = 10.0;

/// A closed cohort of `N` people aged 40, all in `a`; in the nulalternatief a
/// share `P` a year moves to the absorbing `b`; the intervention reaches
/// everyone every year and stops that move (rr = 0), so the scenario keeps
/// everyone in `a`. `model_extra` goes into `[model]`, `sroi` into the scenario.
fn cohort(model_extra: &str, sroi: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {H}
max_age = 100
discount_rate_costs = {RC}
discount_rate_effects = {RE}
funders = ["gemeente", "mantelzorgers"]
outcomes = ["qaly", "wellby", "zelfredzaamheid"]
base_outcome = {{ qaly = 1.0 }}
shadow_priced = ["mantelzorgers"]
{model_extra}
[taakvelden]
"6.1" = "Samenkracht"
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = {N} }} ]
[[chain]]
name = "x"
kind = "care"
states = ["a", "b"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", {P}], [0.0, 1.0] ]
[chain.state.b]
costs = [ {{ amount = {CASH}, funder = "gemeente", taakveld = "6.1" }}, {{ amount = {SHADOW}, funder = "mantelzorgers" }} ]
outcomes = {{ qaly = {QALY_B}, wellby = {WELLBY_B}, zelfredzaamheid = -1 }}
social_value = -200
[[intervention]]
name = "stop"
reach = {{ share = 1.0 }}
start_year = 2025
end_year = 2040
[[intervention.effect]]
chain = "x"
from = "a"
to = "b"
rr = 0.0
[intervention.costs]
fixed = [ {{ amount = {FIXED}, funder = "gemeente", taakveld = "6.1" }} ]
per_participant = [ {{ amount = {VOLUNTEER}, funder = "mantelzorgers" }} ]
[[scenario]]
name = "s"
interventions = ["stop"]
{sroi}
[valuation]
qaly = {EURO_PER_QALY}
wellby = {EURO_PER_WELLBY}
"#
    )
}

/// The city-total metrics of the one scenario, by name, in cohort mode.
fn metrics(text: &str) -> HashMap<String, f64> {
    let m: Model = common::model_from_str("cohort.toml", text);
    let ctx = RunContext::new(&m).expect("plan");
    let r = run_draw(&ctx, &RunOptions::new(1, 1, Mode::Cohort), 0).expect("draw");
    let total = ctx.n_area_slots() - 1;
    ctx.metrics.names.iter().enumerate().map(|(k, n)| (n.clone(), r.metrics[ctx.metric_index(0, total, k)])).collect()
}

/// Person-years in `b` avoided in year t (everyone stays in `a` in the scenario).
fn avoided_b(t: usize) -> f64 {
    N * (1.0 - (1.0 - P).powi(t as i32))
}

fn df(rate: f64, t: usize) -> f64 {
    (1.0 + rate).powi(-(t as i32))
}

/// Σ_t flow(t) · DF(rate, t) over the horizon.
fn pv(rate: f64, flow: impl Fn(usize) -> f64) -> f64 {
    (0..H).map(|t| flow(t) * df(rate, t)).sum()
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: engine {got}, by hand {want}");
}

#[test]
fn valued_qalys_and_wellbys_equal_price_times_discounted_units_by_hand() {
    let m = metrics(&cohort("", ""));
    // Each avoided person-year in b gains −weight units.
    let qaly = pv(RE, |t| -QALY_B * avoided_b(t));
    let wellby = pv(RE, |t| -WELLBY_B * avoided_b(t));
    close(m["qaly_gained_pv"], qaly, "qaly_gained_pv");
    close(m["pv_value/qaly"], EURO_PER_QALY * qaly, "pv_value/qaly");
    close(m["pv_value/wellby"], EURO_PER_WELLBY * wellby, "pv_value/wellby");
    close(m["pv_welfare_outcomes"], EURO_PER_QALY * qaly + EURO_PER_WELLBY * wellby, "pv_welfare_outcomes");
    // An outcome without a valuation is a PM-post: units only, no euro metric.
    assert!(m["zelfredzaamheid_gained"] > 0.0);
    assert!(!m.contains_key("pv_value/zelfredzaamheid"));
    let model = common::model_from_str("cohort.toml", &cohort("", ""));
    assert_eq!(model.unvalued_outcomes(), vec!["zelfredzaamheid"]);
}

#[test]
fn shadow_priced_avoided_costs_count_in_welfare_not_in_npv_or_bcr() {
    let m = metrics(&cohort("", ""));
    let cash = pv(RC, |t| CASH * avoided_b(t));
    let shadow = pv(RC, |t| SHADOW * avoided_b(t));
    let fixed = pv(RC, |_| FIXED);
    let volunteer = pv(RC, |_| VOLUNTEER * N);
    let social = pv(RE, |t| 200.0 * avoided_b(t));
    let outcomes = pv(RE, |t| (-QALY_B * EURO_PER_QALY - WELLBY_B * EURO_PER_WELLBY) * avoided_b(t));
    close(m["pv_benefits"], cash, "pv_benefits (cash only)");
    close(m["pv_intervention_costs"], fixed, "pv_intervention_costs (cash only)");
    close(m["npv"], cash - fixed, "npv");
    close(m["bcr"], cash / fixed, "bcr");
    close(m["pv_shadow_benefits"], shadow, "pv_shadow_benefits");
    close(m["pv_shadow_costs"], volunteer, "pv_shadow_costs");
    close(m["pv_social_value"], social, "pv_social_value");
    close(m["pv_welfare"], outcomes + social + shadow, "pv_welfare");
    close(m["npv_societal"], cash - fixed + outcomes + social + shadow - volunteer, "npv_societal");
    close(m["bcr_societal"], (cash + outcomes + social + shadow) / (fixed + volunteer), "bcr_societal");
    // Per-account metrics stay for the shadow-priced funder.
    close(m["pv_benefits/mantelzorgers"], shadow, "pv_benefits/mantelzorgers");
    close(m["pv_intervention_costs/mantelzorgers"], volunteer, "pv_intervention_costs/mantelzorgers");
    close(m["pv_net/mantelzorgers"], shadow - volunteer, "pv_net/mantelzorgers");
    close(m["pv_benefits/gemeente/6.1"], cash, "pv_benefits/gemeente/6.1");
    // Undiscounted sums are cash too.
    close(m["benefits_undiscounted"], (0..H).map(|t| CASH * avoided_b(t)).sum(), "benefits_undiscounted");
}

#[test]
fn attribution_multiplies_benefits_and_welfare_by_one_minus_attribution_exactly() {
    let plain = metrics(&cohort("", ""));
    let a = 0.25;
    let attributed = metrics(&cohort("", &format!("sroi = {{ attribution = {a} }}")));
    for k in [
        "pv_benefits",
        "pv_welfare",
        "pv_welfare_outcomes",
        "pv_value/qaly",
        "pv_value/wellby",
        "pv_social_value",
        "pv_shadow_benefits",
        "pv_benefits/mantelzorgers",
        "qaly_gained_pv",
        "flow_at_horizon",
    ] {
        close(attributed[k], (1.0 - a) * plain[k], k);
    }
    for k in ["pv_intervention_costs", "pv_shadow_costs", "pv_benefits_gross"] {
        close(attributed[k], plain[k], k);
    }
}

/// Σ_{k=1..50} ((1 − d)/(1 + r))^k, summed term by term.
fn tail_by_hand(d: f64, r: f64) -> f64 {
    (1..=50).map(|k| ((1.0 - d) / (1.0 + r)).powi(k)).sum()
}

#[test]
fn after_horizon_tail_equals_the_hand_summed_series_and_is_zero_under_cut() {
    let d = 0.3;
    let cut = metrics(&cohort("", ""));
    let decay = metrics(&cohort(&format!("after_horizon = \"decay\"\nafter_horizon_drop_off = {d}"), ""));
    let t = H - 1;
    let (cash_t, shadow_t) = (CASH * avoided_b(t), SHADOW * avoided_b(t));
    let welfare_effects_t = (-QALY_B * EURO_PER_QALY - WELLBY_B * EURO_PER_WELLBY + 200.0) * avoided_b(t);
    let cash_tail = cash_t * df(RC, t) * tail_by_hand(d, RC);
    let welfare_tail = welfare_effects_t * df(RE, t) * tail_by_hand(d, RE) + shadow_t * df(RC, t) * tail_by_hand(d, RC);
    close(decay["pv_after_horizon"], cash_tail, "pv_after_horizon");
    close(decay["pv_welfare_after_horizon"], welfare_tail, "pv_welfare_after_horizon");
    close(decay["pv_benefits"], cut["pv_benefits"] + cash_tail, "pv_benefits with the tail");
    close(decay["npv"], cut["npv"] + cash_tail, "npv with the tail");
    close(decay["npv_societal"], cut["npv_societal"] + cash_tail + welfare_tail, "npv_societal with the tail");
    close(decay["pv_intervention_costs"], cut["pv_intervention_costs"], "costs are not extended");
    close(decay["benefits_undiscounted"], cut["benefits_undiscounted"], "undiscounted sums stay in the horizon");
    assert_eq!((cut["pv_after_horizon"], cut["pv_welfare_after_horizon"]), (0.0, 0.0));
    // What a cut leaves out per year: the last year's cash and welfare flow, undiscounted.
    close(cut["flow_at_horizon"], cash_t + shadow_t + welfare_effects_t, "flow_at_horizon");
    close(decay["flow_at_horizon"], cut["flow_at_horizon"], "flow_at_horizon under decay");
}

/// `wijkimpact check` of `text` written to a file: (exit code, stderr).
fn check(text: &str) -> (i32, String) {
    let dir = tmpdir();
    let path = dir.path().join("s.toml");
    fs::write(&path, text).unwrap();
    let out = wijkimpact().arg("check").arg(&path).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn unknown_valuation_key_is_an_error_naming_place_field_and_declared_outcomes() {
    let text = cohort("", "").replace("wellby = 15000", "welby = 15000");
    let (code, err) = check(&text);
    assert_eq!(code, 2, "{err}");
    let line = text.lines().position(|l| l.starts_with("welby")).unwrap() + 1;
    assert!(err.contains(&format!("s.toml:{line}:1: valuation.welby:")), "{err}");
    assert!(err.contains("qaly, wellby, zelfredzaamheid"), "{err}");
}

#[test]
fn unknown_shadow_priced_funder_is_an_error_with_its_position() {
    let text = cohort("", "").replace("shadow_priced = [\"mantelzorgers\"]", "shadow_priced = [\"mantelzorg\"]");
    let (code, err) = check(&text);
    assert_eq!(code, 2, "{err}");
    let line = text.lines().position(|l| l.starts_with("shadow_priced")).unwrap() + 1;
    assert!(err.contains(&format!("s.toml:{line}:18: model.shadow_priced[0]: unknown funder `mantelzorg`")), "{err}");
    assert!(err.contains("gemeente, mantelzorgers"), "{err}");
}

#[test]
fn decay_without_drop_off_and_drop_off_without_decay_are_errors() {
    let (code, err) = check(&cohort("after_horizon = \"decay\"", ""));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("model.after_horizon: after_horizon = \"decay\" needs after_horizon_drop_off"), "{err}");
    let (code, err) = check(&cohort("after_horizon_drop_off = 0.2", ""));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("model.after_horizon_drop_off: after_horizon_drop_off is only used with"), "{err}");
    let (code, err) = check(&cohort("after_horizon = \"decay\"\nafter_horizon_drop_off = 0", ""));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("must lie in (0, 1]"), "{err}");
    let (code, err) = check(&cohort("after_horizon = \"fade\"", ""));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown after_horizon \"fade\""), "{err}");
    let (code, err) = check(&cohort("", "").replace("wellby = 15000", "wellby = -1"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("valuation.wellby"), "{err}");
}

#[test]
fn deadweight_above_zero_is_a_warning_naming_file_and_line_and_check_still_passes() {
    let text = cohort("", "sroi = { deadweight = 0.1 }");
    let line = text.lines().position(|l| l.starts_with("sroi")).unwrap() + 1;
    let (code, err) = check(&text);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: ") && err.contains(&format!("s.toml:{line}:")), "{err}");
    assert!(err.contains("scenario.s.sroi.deadweight") && err.contains("deadweight counts what would have happened"));
    // A literal 0 is the default and says nothing; attribution never warns.
    let (code, err) = check(&cohort("", "sroi = { deadweight = 0, attribution = 0.2 }"));
    assert_eq!((code, err.as_str()), (0, ""));
    // --quiet silences messages, not warnings.
    let dir = tmpdir();
    let path = dir.path().join("s.toml");
    fs::write(&path, &text).unwrap();
    wijkimpact().args(["--quiet", "check"]).arg(&path).assert().success().stderr(contains("deadweight"));
}

#[test]
fn npv_societal_is_npv_plus_welfare_minus_shadow_costs_in_every_draw_of_a_bundled_run() {
    let out = tmpdir();
    let scenario = common::scenario("example-full.toml");
    common::run(&scenario, &["--draws", "20", "--seed", "3", "--no-sensitivity"], out.path()).success();
    let t = tables::parquet(&out.path().join("draws.parquet"));
    let (d, s, a, m, v) = (t.col("draw"), t.col("scenario"), t.col("area"), t.col("metric"), t.col("value"));
    let mut cells: HashMap<(i64, String, String), HashMap<String, f64>> = HashMap::new();
    for r in &t.rows {
        let key = (r[d].int(), r[s].text().to_string(), r[a].text().to_string());
        cells.entry(key).or_default().insert(r[m].text().to_string(), r[v].num());
    }
    assert_eq!(cells.len(), 20 * 3, "20 draws × (2 areas + totaal)");
    for (key, x) in &cells {
        let rhs = x["npv"] + x["pv_welfare"] - x["pv_shadow_costs"];
        let scale = x["npv"].abs().max(x["pv_welfare"].abs()).max(1.0);
        assert!((x["npv_societal"] - rhs).abs() <= 1e-9 * scale, "{key:?}: {} vs {rhs}", x["npv_societal"]);
        let parts = x["pv_welfare_outcomes"] + x["pv_social_value"] + x["pv_shadow_benefits"];
        assert!((x["pv_welfare"] - parts).abs() <= 1e-9 * scale, "{key:?}");
        assert!((x["pv_welfare_outcomes"] - x["pv_value/qaly"]).abs() <= 1e-9 * scale, "{key:?}");
    }
    // The valuation is a distribution: the welfare differs between draws.
    let welfare: Vec<f64> = cells.iter().filter(|(k, _)| k.2 == "totaal").map(|(_, x)| x["pv_welfare"]).collect();
    assert!(welfare.iter().any(|w| (w - welfare[0]).abs() > 1e-6), "{welfare:?}");
}
