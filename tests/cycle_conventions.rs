//! Cycle conventions (docs/scenario-format.md §5.6–5.7) against hand
//! calculations: a closed cohort with constant mortality, where the counts at
//! the year boundaries are N_k = 1000·(1 − q)^k, so every convention's
//! person-years and present values are sums written out here from its
//! published weights (Elbasha & Chhatwal 2016; the DARTH tutorial) — never
//! from the engine's own weight functions.

mod common;

use wijkimpact::business;
use wijkimpact::ledger::{self, MeasureLayout};
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run_draw, DrawResult, RunContext, RunOptions};

/// Yearly death probability without and with the intervention (rr 0.5 on the probability).
const Q_BASE: f64 = 0.1;
const Q_SCEN: f64 = 0.05;
/// State cost per person-year alive (zorgverzekeraar), cost per death (gemeente), cost per participant (gemeente).
const STATE_COST: f64 = 100.0;
const DEATH_COST: f64 = 1000.0;
const PARTICIPANT_COST: f64 = 50.0;
const RATE_COSTS: f64 = 0.04;
const RATE_EFFECTS: f64 = 0.015;

/// 1000 people aged 40 in a closed area; chain `leven` alive → dead with
/// probability 0.1 a year; everyone alive takes part in `i` every year, which
/// halves that probability. `model_lines` go into `[model]`.
fn cohort(horizon: usize, model_lines: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
funders = ["gemeente", "zorgverzekeraar"]
outcomes = ["qaly"]
discount_rate_costs = {RATE_COSTS}
discount_rate_effects = {RATE_EFFECTS}
{model_lines}
[demography.d]
closed = true
[[area]]
name = "a"
demography = "d"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "leven"
kind = "indicator"
states = ["alive", "dead"]
death_states = ["dead"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", {Q_BASE}], [0, 1] ]
[chain.state.alive]
costs = [ {{ amount = {STATE_COST}, funder = "zorgverzekeraar" }} ]
outcomes = {{ qaly = 1 }}
[[chain.transition_cost]]
from = "alive"
to = "dead"
costs = [ {{ amount = {DEATH_COST}, funder = "gemeente" }} ]
[[intervention]]
name = "i"
reach = {{ share = 1.0 }}
start_year = 2025
end_year = 2100
[[intervention.effect]]
chain = "leven"
from = "alive"
to = "dead"
rr = 0.5
convention = "probability"
[intervention.costs]
per_participant = [ {{ amount = {PARTICIPANT_COST}, funder = "gemeente" }} ]
[[scenario]]
name = "s"
interventions = ["i"]
"#
    )
}

fn run(m: &Model) -> (RunContext<'_>, DrawResult) {
    let ctx = RunContext::new(m).expect("plan");
    let r = run_draw(&ctx, &RunOptions::new(1, 1, Mode::Cohort), 0).expect("draw");
    (ctx, r)
}

/// A convention as published: boundary weights w_0..w_H and the documented
/// split of each year into start and end weights (α_t, β_t).
struct Convention {
    line: &'static str,
    w: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
}

/// The conventions over five years (Simpson with the 3/8 rule on the last three).
fn conventions_h5() -> Vec<Convention> {
    let c = |line, w: &[f64], alpha: &[f64], beta: &[f64]| Convention {
        line,
        w: w.to_vec(),
        alpha: alpha.to_vec(),
        beta: beta.to_vec(),
    };
    let (t, e) = (1.0 / 3.0, 3.0 / 8.0);
    vec![
        c("", &[1.0, 1.0, 1.0, 1.0, 1.0, 0.0], &[1.0; 5], &[0.0; 5]),
        c("cycle_correction = \"start\"", &[1.0, 1.0, 1.0, 1.0, 1.0, 0.0], &[1.0; 5], &[0.0; 5]),
        c("cycle_correction = \"end\"", &[0.0, 1.0, 1.0, 1.0, 1.0, 1.0], &[0.0; 5], &[1.0; 5]),
        c("cycle_correction = \"half-cycle\"", &[0.5, 1.0, 1.0, 1.0, 1.0, 0.5], &[0.5; 5], &[0.5; 5]),
        c("cycle_correction = \"life-table\"", &[0.5, 1.0, 1.0, 1.0, 1.0, 0.5], &[0.5; 5], &[0.5; 5]),
        c(
            "cycle_correction = \"simpson\"",
            &[t, 4.0 * t, t + e, 3.0 * e, 3.0 * e, e],
            &[t, 2.0 * t, e, 0.5, 5.0 / 8.0],
            &[2.0 * t, t, 5.0 / 8.0, 0.5, e],
        ),
        c("cycle_correction = \"all-boundaries\"", &[1.0; 6], &[1.0; 5], &[0.0, 0.0, 0.0, 0.0, 1.0]),
        c(
            "cycle_weights = [0.25, 1, 0.5, 1.5, 1, 0.75]",
            &[0.25, 1.0, 0.5, 1.5, 1.0, 0.75],
            // α_0 = w_0; β_t = min(max(1 − α_t, 0), w_{t+1}); α_{t+1} = w_{t+1} − β_t; β_4 = w_5.
            &[0.25, 0.25, 0.0, 0.5, 0.5],
            &[0.75, 0.5, 1.0, 0.5, 0.75],
        ),
    ]
}

/// What the business case should report for one convention and timing, by hand.
#[derive(Debug)]
struct Expected {
    ly: f64,
    ly_pv: f64,
    pv_state: f64,
    pv_deaths: f64,
    pv_participants: f64,
    deaths_undiscounted: f64,
    participants_undiscounted: f64,
}

fn expected(c: &Convention, boundary: bool, first_discounted: bool) -> Expected {
    let h = c.alpha.len();
    let shift = if first_discounted { 1 } else { 0 };
    let d = |r: f64, k: usize| (1.0 + r).powi(-((k + shift) as i32));
    let n = |q: f64, k: usize| 1000.0 * (1.0 - q).powi(k as i32);
    // Life-years gained per boundary: ΔN_k.
    let dn = |k: usize| n(Q_SCEN, k) - n(Q_BASE, k);
    // Person-year amounts: boundary timing Σ_k w_k ΔN_k d(k); cycle-start Σ_t d(t)(α_t ΔN_t + β_t ΔN_{t+1}).
    let py_pv = |r: f64| -> f64 {
        if boundary {
            (0..=h).map(|k| c.w[k] * dn(k) * d(r, k)).sum()
        } else {
            (0..h).map(|t| d(r, t) * (c.alpha[t] * dn(t) + c.beta[t] * dn(t + 1))).sum()
        }
    };
    // Events of year t: at d(t) under cycle-start; at a_t d(t) + b_t d(t+1), b_t = β_t/(α_t + β_t), under boundary.
    let event_factor = |r: f64, t: usize| {
        if boundary {
            let b = c.beta[t] / (c.alpha[t] + c.beta[t]);
            (1.0 - b) * d(r, t) + b * d(r, t + 1)
        } else {
            d(r, t)
        }
    };
    // Avoided deaths in year t: 1000(1−q)^t·q in each arm.
    let avoided_deaths = |t: usize| n(Q_BASE, t) * Q_BASE - n(Q_SCEN, t) * Q_SCEN;
    Expected {
        ly: (0..=h).map(|k| c.w[k] * dn(k)).sum(),
        ly_pv: py_pv(RATE_EFFECTS),
        pv_state: -STATE_COST * py_pv(RATE_COSTS),
        pv_deaths: (0..h).map(|t| DEATH_COST * avoided_deaths(t) * event_factor(RATE_COSTS, t)).sum(),
        pv_participants: (0..h).map(|t| PARTICIPANT_COST * n(Q_SCEN, t) * event_factor(RATE_COSTS, t)).sum(),
        deaths_undiscounted: (0..h).map(|t| DEATH_COST * avoided_deaths(t)).sum(),
        participants_undiscounted: (0..h).map(|t| PARTICIPANT_COST * n(Q_SCEN, t)).sum(),
    }
}

fn check(c: &Convention, timing: &str, first_discounted: bool) {
    let h = c.alpha.len();
    let lines = format!("{}\ndiscount_timing = \"{timing}\"\nfirst_year_discounted = {first_discounted}", c.line);
    let m = common::model_from_str("cohort.toml", &cohort(h, &lines));
    let (ctx, r) = run(&m);
    let total = ctx.n_area_slots() - 1;
    let metric = |k: usize| r.metrics[ctx.metric_index(0, total, k)];
    let named = |name: &str| {
        let k = ctx.metrics.names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no metric {name}"));
        metric(k)
    };
    let x = expected(c, timing == "boundary", first_discounted);
    let close = |got: f64, want: f64, what: &str| {
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{} / {timing} / first discounted {first_discounted}: {what} = {got}, by hand {want}",
            c.line
        );
    };
    close(metric(business::LIFE_YEARS_GAINED), x.ly, "life_years_gained");
    close(metric(business::LIFE_YEARS_GAINED_PV), x.ly_pv, "life_years_gained_pv");
    close(named("qaly_gained"), x.ly, "qaly_gained");
    close(named("qaly_gained_pv"), x.ly_pv, "qaly_gained_pv");
    close(named("pv_benefits/zorgverzekeraar"), x.pv_state, "pv_benefits/zorgverzekeraar");
    close(named("pv_benefits/gemeente"), x.pv_deaths, "pv_benefits/gemeente");
    close(named("pv_intervention_costs/gemeente"), x.pv_participants, "pv_intervention_costs/gemeente");
    close(metric(business::PV_BENEFITS), x.pv_state + x.pv_deaths, "pv_benefits");
    close(metric(business::NPV), x.pv_state + x.pv_deaths - x.pv_participants, "npv");
    let undiscounted_state = -STATE_COST * x.ly;
    close(metric(business::BENEFITS_UNDISCOUNTED), undiscounted_state + x.deaths_undiscounted, "benefits_undiscounted");
    close(metric(business::INTERVENTION_COSTS_UNDISCOUNTED), x.participants_undiscounted, "costs undiscounted");
    // The yearly life-years of an arm: α_t N_t + β_t N_{t+1}.
    let ml = MeasureLayout::new(&m);
    for t in 0..h {
        let n = |k: usize| 1000.0 * (1.0 - Q_BASE).powi(k as i32);
        close(r.arms[0].get(0, t, ledger::LIFE_YEARS), c.alpha[t] * n(t) + c.beta[t] * n(t + 1), "yearly life_years");
    }
    // Discounted measures exist in the ledger only under boundary timing.
    assert_eq!(ml.discounted.is_some(), timing == "boundary", "{}", c.line);
}

#[test]
fn each_convention_gives_the_hand_computed_person_years_and_present_values_under_both_timings() {
    for c in conventions_h5() {
        for timing in ["cycle-start", "boundary"] {
            check(&c, timing, false);
        }
        check(&c, "boundary", true);
    }
}

#[test]
fn simpson_over_an_even_horizon_uses_the_one_third_rule_on_pairs() {
    let t = 1.0 / 3.0;
    let c = Convention {
        line: "cycle_correction = \"simpson\"",
        w: vec![t, 4.0 * t, 2.0 * t, 4.0 * t, t],
        alpha: vec![t, 2.0 * t, t, 2.0 * t],
        beta: vec![2.0 * t, t, 2.0 * t, t],
    };
    check(&c, "boundary", false);
    check(&c, "cycle-start", false);
}

/// The worked example of §5.7: counts 1000, 800, 600, 500 and 3 %, the
/// documented figures to two decimals. Survival 0.8, 0.75, 0.8333… gives
/// those counts in a closed cohort with year-specific mortality, one
/// life-year per person-year.
#[test]
fn the_documented_worked_example_holds() {
    let text = |model_lines: &str| {
        format!(
            r#"
[model]
start_year = 2025
horizon = 3
max_age = 100
discount_rate_effects = 0.03
{model_lines}
[demography.d]
closed = true
mortality = [ {{ ages = "0-40", q = 0.2 }}, {{ ages = "41", q = 0.25 }}, {{ ages = "42-100", q = 0.16666666666666666 }} ]
[[area]]
name = "a"
demography = "d"
population = [ {{ ages = "40", count = 1000 }} ]
"#
        )
    };
    let cases = [
        ("start", 2400.0, 2342.26, 2342.26),
        ("end", 1900.0, 1853.82, 1799.83),
        ("half-cycle", 2150.0, 2098.04, 2071.04),
        ("simpson", 2137.5, 2084.82, 2056.63),
        ("all-boundaries", 2900.0, 2813.55, 2799.83),
    ];
    for (conv, py, pv_start, pv_boundary) in cases {
        for (timing, pv) in [("cycle-start", pv_start), ("boundary", pv_boundary)] {
            let m = common::model_from_str(
                "example.toml",
                &text(&format!("cycle_correction = \"{conv}\"\ndiscount_timing = \"{timing}\"")),
            );
            let (ctx, r) = run(&m);
            let l = &r.arms[0];
            let total: f64 = (0..3).map(|t| l.get(0, t, ledger::LIFE_YEARS)).sum();
            assert!((total - py).abs() < 1e-9, "{conv}: {total} vs {py}");
            let discounted: f64 = match &ctx.measures.discounted {
                Some(d) => (0..3).map(|t| l.get(0, t, d.life_years)).sum(),
                None => (0..3).map(|t| l.get(0, t, ledger::LIFE_YEARS) * 1.03f64.powi(-(t as i32))).sum(),
            };
            assert!((discounted - pv).abs() < 0.005, "{conv} {timing}: {discounted} vs {pv}");
        }
    }
}

/// Issue 16, item 9: with `"simpson"` an outcome of 1 in every living state
/// must give exactly the life-years. The old rule fell back to half-cycle
/// state by state where its quadratic dipped below zero (the state `sick`
/// below empties every year), so the states summed to 189.06 life-years
/// gained against 186.83 for the population.
#[test]
fn simpson_living_states_add_up_to_the_life_years() {
    let text = |h: usize| {
        format!(
            r#"
[model]
start_year = 2025
horizon = {h}
max_age = 100
outcomes = ["alive"]
cycle_correction = "simpson"
[demography.d]
closed = true
[[area]]
name = "a"
demography = "d"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "h"
kind = "indicator"
states = ["well", "sick", "chronic", "dead"]
death_states = ["dead"]
initial = [ {{ ages = "0-100", p = [0.5, 0.5, 0.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.05, 0, 0.01], [0, 0, 0.9, 0.1], [0, 0, "rest", 0.05], [0, 0, 0, 1] ]
[chain.state.well]
outcomes = {{ alive = 1 }}
[chain.state.sick]
outcomes = {{ alive = 1 }}
[chain.state.chronic]
outcomes = {{ alive = 1 }}
[[intervention]]
name = "i"
reach = {{ share = 1.0 }}
start_year = 2025
end_year = 2100
[[intervention.effect]]
chain = "h"
from = "well"
to = "sick"
rr = 0.5
[[scenario]]
name = "s"
interventions = ["i"]
"#
        )
    };
    for h in [2usize, 3, 4, 5, 6, 15] {
        let m = common::model_from_str("simpson.toml", &text(h));
        let (ctx, r) = run(&m);
        let total = ctx.n_area_slots() - 1;
        let ly = r.metrics[ctx.metric_index(0, total, business::LIFE_YEARS_GAINED)];
        let alive = r.metrics[ctx.metric_index(0, total, ctx.metrics.outcome_gained[0])];
        assert!((ly - alive).abs() < 1e-9 * ly.abs().max(1.0), "H {h}: life-years {ly}, alive {alive}");
        // The right value is Simpson's rule on the population's boundary counts.
        let w = simpson_by_hand(h);
        for l in &r.arms {
            let n = |k: usize| if k < h { l.get(0, k, ledger::POP_START) } else { l.get(0, h - 1, ledger::POP_END) };
            let by_hand: f64 = (0..=h).map(|k| w[k] * n(k)).sum();
            let got: f64 = (0..h).map(|t| l.get(0, t, ledger::LIFE_YEARS)).sum();
            assert!((got - by_hand).abs() < 1e-9 * by_hand, "H {h}: {got} vs {by_hand}");
            for t in 0..h {
                let states: f64 = (0..3).map(|s| l.get(0, t, ctx.measures.person_years[0][s])).sum();
                let life = l.get(0, t, ledger::LIFE_YEARS);
                assert!((states - life).abs() < 1e-9 * life, "H {h} year {t}: states {states}, life-years {life}");
            }
        }
    }
}

/// Simpson weights as published: (1, 4, 2, …, 4, 1)/3 over an even number of
/// intervals; odd: 1/3 on the first H − 3, (1, 3, 3, 1)·3/8 on the last three.
fn simpson_by_hand(h: usize) -> Vec<f64> {
    let mut w = vec![0.0; h + 1];
    let pairs = if h.is_multiple_of(2) { h } else { h - 3 };
    for k in (0..pairs).step_by(2) {
        w[k] += 1.0 / 3.0;
        w[k + 1] += 4.0 / 3.0;
        w[k + 2] += 1.0 / 3.0;
    }
    if !h.is_multiple_of(2) {
        for (i, x) in [1.0, 3.0, 3.0, 1.0].iter().enumerate() {
            w[h - 3 + i] += x * 3.0 / 8.0;
        }
    }
    w
}

/// The one error of loading `text` as `bad.toml`: (line, column, field, reason).
fn error(text: &str) -> (usize, usize, String, String) {
    let e = common::single_load_error("bad.toml", text);
    (e.line, e.column, e.field, e.reason)
}

#[test]
fn cycle_weights_of_the_wrong_length_name_file_line_and_column() {
    // Horizon 5: six boundaries.
    let (line, col, field, reason) = error(&cohort(5, "cycle_weights = [1, 1, 1, 1, 1]"));
    assert_eq!((line, col, field.as_str()), (10, 17, "model.cycle_weights"));
    assert!(reason.contains("5 weights for a horizon of 5 years") && reason.contains("6"), "{reason}");
}

#[test]
fn a_negative_cycle_weight_is_pointed_at() {
    let (line, col, field, reason) = error(&cohort(5, "cycle_weights = [1, 1, -0.5, 1, 1, 0]"));
    assert_eq!((line, col, field.as_str()), (10, 24, "model.cycle_weights[2]"));
    assert!(reason.contains("weight -0.5 must be a finite number ≥ 0"), "{reason}");
}

#[test]
fn all_zero_cycle_weights_are_an_error() {
    let (line, _, field, reason) = error(&cohort(1, "cycle_weights = [0, 0]"));
    assert_eq!((line, field.as_str()), (10, "model.cycle_weights"));
    assert!(reason.contains("every weight is 0"), "{reason}");
}

#[test]
fn cycle_weights_beside_a_named_correction_are_an_error() {
    let (line, _, field, reason) = error(&cohort(1, "cycle_correction = \"end\"\ncycle_weights = [0, 1]"));
    assert_eq!((line, field.as_str()), (11, "model.cycle_weights"));
    assert!(reason.contains("either cycle_weights or cycle_correction"), "{reason}");
}

#[test]
fn unknown_discount_timing_and_correction_list_the_choices() {
    let (line, col, field, reason) = error(&cohort(1, "discount_timing = \"midyear\""));
    assert_eq!((line, col, field.as_str()), (10, 19, "model.discount_timing"));
    assert!(reason.contains("\"cycle-start\" or \"boundary\""), "{reason}");
    let (line, _, field, reason) = error(&cohort(1, "cycle_correction = \"trapezium\""));
    assert_eq!((line, field.as_str()), (10, "model.cycle_correction"));
    assert!(reason.contains("\"end\"") && reason.contains("\"all-boundaries\""), "{reason}");
}

/// Under boundary timing the after-horizon tail (§7.2) continues the last
/// year's discounted flow: with `"end"` the last year's avoided state costs
/// and deaths are both at boundary H.
#[test]
fn the_tail_after_the_horizon_continues_the_last_years_boundary_discounted_flow() {
    let h = 5;
    let lines = "cycle_correction = \"end\"\ndiscount_timing = \"boundary\"\nafter_horizon = \"decay\"\nafter_horizon_drop_off = 0.2";
    let m = common::model_from_str("tail.toml", &cohort(h, lines));
    let (ctx, r) = run(&m);
    let got = r.metrics[ctx.metric_index(0, ctx.n_area_slots() - 1, business::PV_AFTER_HORIZON)];
    let n = |q: f64, k: usize| 1000.0 * (1.0 - q).powi(k as i32);
    let d_h = 1.04f64.powi(-(h as i32));
    let state = -STATE_COST * (n(Q_SCEN, h) - n(Q_BASE, h)) * d_h;
    let deaths = DEATH_COST * (n(Q_BASE, h - 1) * Q_BASE - n(Q_SCEN, h - 1) * Q_SCEN) * d_h;
    let q: f64 = 0.8 / 1.04;
    let tail: f64 = (1..=50).map(|k| q.powi(k)).sum();
    let want = (state + deaths) * tail;
    assert!((got - want).abs() < 1e-9 * want.abs(), "{got} vs {want}");
}
