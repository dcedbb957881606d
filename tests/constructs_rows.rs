//! Issue 16, items 1, 5 and 6, end to end against hand calculations:
//! Dirichlet rows with structural zeros and over named states; a relative
//! risk on staying in a state (complement adjusted); an intervention's
//! effect on what a year in a state costs and yields; one-off outcomes of a
//! move. Each construct also has its errors, with file, line, column and
//! reason.

mod common;

use std::path::PathBuf;

use wijkimpact::business;
use wijkimpact::ledger::{self, Ledger, MeasureLayout};
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run_draw, DrawResult, RunContext, RunOptions};
use wijkimpact::scenario::ScenarioError;
use wijkimpact::sim::{cohort_counts, Plan};

const N: f64 = 1000.0;

/// A closed cohort of 1000 people aged 40 in one area, one chain A, B, C
/// (C absorbing) with row A = `row_a`, row B = [0.1, 0.6, 0.3], starting in
/// `initial`; `extra` is appended.
fn chain3(horizon: usize, correction: &str, initial: &str, row_a: &str, extra: &str) -> String {
    format!(
        r#"[model]
start_year = 2025
horizon = {horizon}
max_age = 100
cycle_correction = "{correction}"
funders = ["gemeente"]
outcomes = ["qaly"]
[taakvelden]
"6.1" = "Samenkracht"
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "c"
kind = "indicator"
states = ["A", "B", "C"]
initial = [ {{ ages = "0-100", p = {initial} }} ]
[[chain.transitions]]
matrix = [ {row_a}, [0.1, 0.6, 0.3], [0.0, 0.0, 1.0] ]
{extra}"#
    )
}

fn model(text: &str) -> Model {
    common::model_from_str("test.toml", text)
}

fn run(m: &Model, mode: Mode, draw: u64) -> DrawResult {
    let ctx = RunContext::new(m).expect("plan");
    run_draw(&ctx, &RunOptions::new(7, 1, mode), draw).expect("draw")
}

/// Moves into state `s` of chain 0 in year `t` of arm `arm`.
fn entries(m: &Model, r: &DrawResult, arm: usize, t: usize, s: usize) -> f64 {
    r.arms[arm].get(0, t, MeasureLayout::new(m).entries[0][s])
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: got {got}, want {want}");
}

/// The errors of scenario text loaded as `test.toml`.
fn errors(text: &str) -> Vec<ScenarioError> {
    common::load_errors("test.toml", text)
}

/// 1-based line and column (in characters) of the first `needle` in `text`
/// after the first `after` (so a needle that occurs earlier is skipped).
fn pos(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let start = text.find(after).unwrap_or_else(|| panic!("{after:?} not in the text"));
    let at = start + text[start..].find(needle).unwrap_or_else(|| panic!("{needle:?} not after {after:?}"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

/// The text has exactly one error: at the first `needle` after `after`, on `field`, saying `reason`.
fn assert_one_error(text: &str, after: &str, needle: &str, field: &str, reason: &str) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = &errs[0];
    let (line, column) = pos(text, after, needle);
    assert_eq!(e.file, PathBuf::from("test.toml"), "{e}");
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert_eq!(e.field, field, "{e}");
    assert_eq!(e.reason, reason, "{e}");
    assert!(e.to_string().starts_with(&format!("test.toml:{line}:{column}")), "{e}");
}

// ---------------------------------------------------------------- item 1

/// Row A = Dirichlet counts [60, 0, 40]: nobody ever moves A → B, and the
/// moves A → C are 1000 × the draw's p_AC (the sampled parameter); over 400
/// draws p_AC averages 40/100 within its Monte Carlo standard error
/// (Beta(40, 60): var = 0.4 × 0.6 / 101).
#[test]
fn a_structural_zero_is_a_move_that_never_happens() {
    let m = model(&chain3(1, "none", "[1.0, 0.0, 0.0]", r#"{ dist = "dirichlet", counts = [60, 0, 40] }"#, ""));
    let draws = 400;
    let mut sum = 0.0;
    for d in 0..draws {
        let r = run(&m, Mode::Cohort, d);
        let p = &r.params[m.params.params[0].offset..][..3];
        assert_eq!(p[1], 0.0, "draw {d}");
        assert_eq!(entries(&m, &r, 0, 0, 1), 0.0, "draw {d}");
        close(entries(&m, &r, 0, 0, 2), N * p[2], "moves A → C");
        sum += p[2];
    }
    let mcse = (0.4 * 0.6 / 101.0 / draws as f64).sqrt();
    assert!((sum / draws as f64 - 0.4).abs() < 4.0 * mcse, "mean p_AC {}", sum / draws as f64);
}

/// `states = ["A", "C"], counts = [60, 40]` is the same row as
/// `counts = [60, 0, 40]`: a structural zero takes nothing from the random
/// stream, so with the same field path both draw the very same numbers.
#[test]
fn a_dirichlet_over_named_states_equals_one_with_zeros_for_the_others() {
    let zeros = model(&chain3(1, "none", "[1.0, 0.0, 0.0]", r#"{ dist = "dirichlet", counts = [60, 0, 40] }"#, ""));
    let named = model(&chain3(
        1,
        "none",
        "[1.0, 0.0, 0.0]",
        r#"{ dist = "dirichlet", counts = [60, 40], states = ["A", "C"] }"#,
        "",
    ));
    assert_eq!(named.params.params[0].len(), 2);
    for d in 0..5 {
        let (a, b) = (run(&zeros, Mode::Cohort, d), run(&named, Mode::Cohort, d));
        assert_eq!(a.arms, b.arms, "draw {d}");
        assert_eq!(b.params[1], a.params[2]);
    }
}

/// A named dirichlet with `states` in another order than the chain's, used as
/// an initial row: C gets component 0, B component 1, A exactly 0.
#[test]
fn a_named_dirichlet_over_states_in_any_order() {
    let text = chain3(1, "none", r#""start""#, "[0.7, 0.2, 0.1]", "").replace(
        "[[area]]",
        "[parameters]\nstart = { dist = \"dirichlet\", alpha = [3, 7], states = [\"C\", \"B\"] }\n[[area]]",
    );
    let m = model(&text);
    let ml = MeasureLayout::new(&m);
    for d in 0..5 {
        let r = run(&m, Mode::Cohort, d);
        let (pc, pb) = (r.params[0], r.params[1]);
        close(pc + pb, 1.0, "sum");
        // Start of year 0 (cycle correction none): person-years = start counts.
        assert_eq!(r.arms[0].get(0, 0, ml.person_years[0][0]), 0.0);
        close(r.arms[0].get(0, 0, ml.person_years[0][1]), N * pb, "B");
        close(r.arms[0].get(0, 0, ml.person_years[0][2]), N * pc, "C");
    }
}

#[test]
fn dirichlet_rows_errors() {
    let row = |r: &str| chain3(1, "none", "[1.0, 0.0, 0.0]", r, "");
    let text = row(r#"{ dist = "dirichlet", counts = [60, 40], states = ["A", "Dood"] }"#);
    assert_one_error(
        &text,
        "matrix",
        r#""Dood""#,
        "chain.c.transitions[0].matrix[0].states[1]",
        "unknown state `Dood`; the chain's states are: A, B, C",
    );
    let text = row(r#"{ dist = "dirichlet", counts = [60, 40], states = ["A", "A"] }"#);
    assert_one_error(
        &text,
        "matrix",
        r#""A"]"#,
        "chain.c.transitions[0].matrix[0].states[1]",
        "state `A` is listed twice",
    );
    let text = row(r#"{ dist = "dirichlet", counts = [60, 30, 10], states = ["A", "C"] }"#);
    assert_one_error(
        &text,
        "matrix",
        r#"["A", "C"]"#,
        "chain.c.transitions[0].matrix[0].states",
        "`states` names 2 states, but the dirichlet has 3 categories: give one alpha or count per named state, in the same order",
    );
    let text = row(r#"{ dist = "dirichlet", counts = [60, 40] }"#);
    assert_one_error(
        &text,
        "matrix",
        "{ dist",
        "chain.c.transitions[0].matrix[0]",
        "this dirichlet is a dirichlet over 2 categories, but the chain has 3 states (A, B, C); give one alpha or count per state (0 for a move that never happens), or name the states of its categories with `states = [..]` (the others get 0)",
    );
    let text = row(r#"{ dist = "dirichlet", counts = [0, 0, 0] }"#);
    assert_one_error(
        &text,
        "matrix",
        "{ dist",
        "chain.c.transitions[0].matrix[0]",
        "dirichlet: at least one alpha must be > 0 (all are 0: no category can ever occur)",
    );
    let text = row(r#"{ dist = "dirichlet", counts = [60, -1, 40] }"#);
    assert_one_error(
        &text,
        "matrix",
        "{ dist",
        "chain.c.transitions[0].matrix[0]",
        "dirichlet: alpha[1] must be >= 0 (0 = a move that never happens), got -1",
    );
    // `states` on a scalar distribution.
    let text = row(r#"[{ dist = "beta", mean = 0.7, sd = 0.05, states = ["A"] }, 0.2, "rest"]"#);
    assert_one_error(
        &text,
        "matrix",
        r#"["A"]"#,
        "chain.c.transitions[0].matrix[0][0].states",
        "`states` is only for a dirichlet used as a row (the chain states its categories are); a beta is a single number",
    );
    // A named dirichlet whose states are not the chain's: reported at the use,
    // naming where its `states` are.
    let text = chain3(1, "none", "[1.0, 0.0, 0.0]", r#""rowA""#, "").replace(
        "[[area]]",
        "[parameters]\nrowA = { dist = \"dirichlet\", counts = [60, 40], states = [\"A\", \"D\"] }\n[[area]]",
    );
    let (l, c) = pos(&text, "rowA = ", "[\"A\", \"D\"]");
    assert_one_error(
        &text,
        "matrix",
        r#""rowA""#,
        "chain.c.transitions[0].matrix[0]",
        &format!("parameter `rowA` is a dirichlet over the states A, D (its `states`, at test.toml:{l}:{c}), but this chain has no state `D`; the chain's states are: A, B, C"),
    );
}

// ---------------------------------------------------------------- item 6

/// Everyone starts in A (row 0.7, 0.2, 0.1); participants (reach 1) have
/// rr 1.2 on staying in A: p'_AA = 0.84 and the exits share 0.16 as 2 : 1,
/// 0.2 × 0.16 / 0.3 = 0.106667 and 0.1 × 0.16 / 0.3 = 0.053333. The same in
/// both conventions.
#[test]
fn a_relative_risk_on_staying_is_complement_adjusted() {
    for convention in ["rate", "probability"] {
        let effect = format!(
            r#"[[intervention]]
name = "blijf"
reach = {{ share = 1.0 }}
[[intervention.effect]]
chain = "c"
from = "A"
to = "A"
rr = 1.2
convention = "{convention}"
[[scenario]]
name = "s"
interventions = ["blijf"]
"#
        );
        let m = model(&chain3(1, "none", "[1.0, 0.0, 0.0]", "[0.7, 0.2, 0.1]", &effect));
        let r = run(&m, Mode::Cohort, 0);
        close(entries(&m, &r, 0, 0, 1), 200.0, "baseline A → B");
        close(entries(&m, &r, 1, 0, 1), N * 0.2 * 0.16 / 0.3, "A → B");
        close(entries(&m, &r, 1, 0, 2), N * 0.1 * 0.16 / 0.3, "A → C");
        assert_eq!(r.warnings.rescaled_rows, 0);
    }
}

/// `from = to = ["A", "B"]` through a risk factor (while in w.ja, everyone):
/// rr 1.25 on staying. Start 500 A, 500 B. Row A: 0.875 stay, exits 0.2, 0.1
/// scaled by 0.125 / 0.3; row B (0.1, 0.6, 0.3): 0.75 stay, exits scaled by
/// 0.25 / 0.4, so 0.0625 and 0.1875. Moves into B: 500 × 0.2 × 0.125 / 0.3;
/// into C: 500 × 0.1 × 0.125 / 0.3 + 500 × 0.1875; into A: 500 × 0.0625.
/// The reference engine gives the same counts bit for bit.
#[test]
fn a_risk_factor_on_staying_in_several_states() {
    let extra = r#"[[chain]]
name = "w"
kind = "indicator"
states = ["nee", "ja"]
initial = [ { ages = "0-100", p = [0.0, 1.0] } ]
[[chain.transitions]]
matrix = [ [1.0, 0.0], [0.0, 1.0] ]
[[risk_factor]]
chain = "c"
from = ["A", "B"]
to = ["B", "A"]
when = "w.ja"
rr = 1.25
"#;
    let m = model(&chain3(1, "none", "[0.5, 0.5, 0.0]", "[0.7, 0.2, 0.1]", extra));
    let r = run(&m, Mode::Cohort, 0);
    close(entries(&m, &r, 0, 0, 0), 500.0 * 0.0625, "B → A");
    close(entries(&m, &r, 0, 0, 1), 500.0 * 0.2 * 0.125 / 0.3, "A → B");
    close(entries(&m, &r, 0, 0, 2), 500.0 * 0.1 * 0.125 / 0.3 + 500.0 * 0.1875, "into C");
    let plan = Plan::new(&m).unwrap();
    let params = wijkimpact::params::means(&m.params);
    let (engine, reference) =
        (cohort_counts(&m, &plan, &params, false, false), cohort_counts(&m, &plan, &params, true, false));
    assert_eq!(engine.len(), reference.len());
    for (a, b) in engine.iter().zip(&reference) {
        assert!(a.data.iter().zip(&b.data).all(|(x, y)| x.to_bits() == y.to_bits()));
    }
}

/// rr 2 on staying 0.7 would give 1.4: capped at 1 (nobody leaves A) and
/// counted as a rescaled row; the stochastic engine uses the same rows, so
/// with rr 1.2 its moves A → B average 106.667 (binomial sd 9.76 per draw).
#[test]
fn staying_is_capped_at_one_and_the_stochastic_engine_agrees() {
    let effect = |rr: f64| {
        format!(
            r#"[[intervention]]
name = "blijf"
reach = {{ share = 1.0 }}
[[intervention.effect]]
chain = "c"
from = "A"
to = "A"
rr = {rr}
[[scenario]]
name = "s"
interventions = ["blijf"]
"#
        )
    };
    let m = model(&chain3(1, "none", "[1.0, 0.0, 0.0]", "[0.7, 0.2, 0.1]", &effect(2.0)));
    let r = run(&m, Mode::Cohort, 0);
    assert_eq!(entries(&m, &r, 1, 0, 1) + entries(&m, &r, 1, 0, 2), 0.0);
    assert!(r.warnings.rescaled_rows >= 1);
    let m = model(&chain3(1, "none", "[1.0, 0.0, 0.0]", "[0.7, 0.2, 0.1]", &effect(1.2)));
    let draws = 300;
    let mean = (0..draws).map(|d| entries(&m, &run(&m, Mode::Stochastic, d), 1, 0, 1)).sum::<f64>() / draws as f64;
    let p = 0.2 * 0.16 / 0.3;
    let mcse = (N * p * (1.0 - p) / draws as f64).sqrt();
    assert!((mean - N * p).abs() < 4.0 * mcse, "stochastic mean {mean} vs {}", N * p);
}

#[test]
fn a_partial_overlap_of_from_and_to_is_an_error() {
    let extra = r#"[[intervention]]
name = "x"
reach = { share = 1.0 }
[[intervention.effect]]
chain = "c"
from = ["A", "B"]
to = ["B", "C"]
rr = 1.2
"#;
    let text = chain3(1, "none", "[1.0, 0.0, 0.0]", "[0.7, 0.2, 0.1]", extra);
    assert_one_error(
        &text,
        "[[intervention.effect]]",
        r#"["A", "B"]"#,
        "intervention.x.effect[0].from",
        "`from` and `to` share B but are not the same states: a relative risk is either on moves (`from` and `to` without a state in common) or on staying (`from` = `to`, the same states, each meaning \"stay in it\"); split it into two",
    );
}

// ---------------------------------------------------------------- item 5

/// Start 600 A, 400 B; after one year A = 600 × 0.7 + 400 × 0.1 = 460,
/// B = 600 × 0.2 + 400 × 0.6 = 360, C = 60 + 120 = 180. Half-cycle
/// person-years: B (400 + 360) / 2 = 380, C (0 + 180) / 2 = 90. A state
/// effect on B and C of +0.2 QALY and €500 per person-year, reach share 0.5 ×
/// ramp-up 0.8 = 0.4: 0.4 × 470 = 188 person-years → +37.6 QALY and €94,000
/// of intervention costs in 2025, nothing in 2026 (it has ended).
#[test]
fn a_state_effect_adds_outcomes_and_intervention_costs_per_person_year() {
    let extra = r#"[[intervention]]
name = "thuiszorg"
reach = { share = 0.5 }
ramp_up = [0.8]
start_year = 2025
end_year = 2025
[[intervention.effect]]
chain = "c"
states = ["B", "C"]
outcomes = { qaly = 0.2 }
costs = [ { amount = 500, funder = "gemeente", taakveld = "6.1" } ]
[[scenario]]
name = "s"
interventions = ["thuiszorg"]
"#;
    let m = model(&chain3(2, "half-cycle", "[0.6, 0.4, 0.0]", "[0.7, 0.2, 0.1]", extra));
    let ml = MeasureLayout::new(&m);
    let r = run(&m, Mode::Cohort, 0);
    let (base, scen): (&Ledger, &Ledger) = (&r.arms[0], &r.arms[1]);
    close(scen.get(0, 0, ml.person_years[0][1]), 380.0, "B person-years");
    close(scen.get(0, 0, ml.person_years[0][2]), 90.0, "C person-years");
    let q = ml.outcome[0];
    close(scen.get(0, 0, q) - base.get(0, 0, q), 0.4 * 470.0 * 0.2, "QALY 2025");
    assert_eq!(scen.get(0, 1, q) - base.get(0, 1, q), 0.0);
    let cost = ml.intervention_cost[0];
    close(scen.get(0, 0, cost), 0.4 * 470.0 * 500.0, "intervention cost 2025");
    assert_eq!(scen.get(0, 1, cost), 0.0);
    assert_eq!(base.get(0, 0, cost), 0.0);
    // No effect on who is where, nor on care costs.
    assert_eq!(scen.get(0, 1, ml.person_years[0][1]), base.get(0, 1, ml.person_years[0][1]));
    let ctx = RunContext::new(&m).unwrap();
    let total = ctx.n_area_slots() - 1;
    close(r.metrics[ctx.metric_index(0, total, business::PV_INTERVENTION_COSTS)], 94_000.0, "PV intervention costs");
}

/// A move A → C costs nothing but loses 0.01 QALY once: 600 × 0.1 = 60 moves
/// in year 0 → −0.6 QALY, in both arms; with `costs` too, €250 per move.
#[test]
fn a_transition_outcome_counts_once_per_move() {
    let extra = r#"[[chain.transition_cost]]
from = "A"
to = "C"
outcomes = { qaly = -0.01 }
[[chain.transition_cost]]
from = "B"
to = "C"
outcomes = { qaly = -0.02 }
costs = [ { amount = 250, funder = "gemeente" } ]
"#;
    let m = model(&chain3(1, "none", "[0.6, 0.4, 0.0]", "[0.7, 0.2, 0.1]", extra));
    let ml = MeasureLayout::new(&m);
    let r = run(&m, Mode::Cohort, 0);
    // B → C: 400 × 0.3 = 120 moves.
    close(r.arms[0].get(0, 0, ml.outcome[0]), -0.01 * 60.0 - 0.02 * 120.0, "QALY");
    let care: f64 = ml.care_cost.iter().map(|&k| r.arms[0].get(0, 0, k)).sum();
    close(care, 250.0 * 120.0, "care costs");
    assert_eq!(r.arms[0].get(0, 0, ledger::LIFE_YEARS), N);
}

#[test]
fn state_effect_and_transition_outcome_errors() {
    let iv = |reach: &str, ages: &str, target: &str, effect: &str| {
        chain3(
            1,
            "none",
            "[1.0, 0.0, 0.0]",
            "[0.7, 0.2, 0.1]",
            &format!("[[intervention]]\nname = \"x\"\nreach = {reach}\n{ages}{target}[[intervention.effect]]\nchain = \"c\"\n{effect}\n"),
        )
    };
    let qaly = "state = \"B\"\noutcomes = { qaly = 0.2 }";
    let text = iv("{ participants = 30 }", "", "", qaly);
    assert_one_error(
        &text,
        "reach",
        "30",
        "intervention.x.effect[0].reach",
        "a state effect counts a share of everyone in the state each year, so the intervention needs `reach = { share = … }`; with a number of participants that share is not known in advance",
    );
    let text = iv("{ share = 0.5 }", "ages = \"18-64\"\n", "", qaly);
    assert_one_error(
        &text,
        "ages",
        "\"18-64\"",
        "intervention.x.effect[0].ages",
        "a state effect counts everyone in the state at the ages of chain `c` (0-100), but the intervention's ages are 18-64: restricting it to part of the chain's ages is not supported; give the intervention ages that cover the chain's, or split the chain by age",
    );
    let text = iv("{ share = 0.5 }", "", "target = [\"c.A\"]\n", qaly);
    assert_one_error(
        &text,
        "target",
        "\"c.A\"",
        "intervention.x.effect[0].target",
        "the intervention's target leaves out a state of this state effect: its people never take part; target those states too (or drop the target)",
    );
    let text = iv("{ share = 0.5 }", "", "", "state = \"Dood\"\noutcomes = { qaly = 0.2 }");
    assert_one_error(
        &text,
        "[[intervention.effect]]",
        "\"Dood\"",
        "intervention.x.effect[0].state",
        "unknown state `Dood` in chain `c`; its states are: A, B, C",
    );
    let text = iv("{ share = 0.5 }", "", "", "state = \"B\"");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = &errs[0];
    assert_eq!(e.field, "intervention.x.effect[0]");
    assert_eq!((e.line, e.column), pos(&text, "reach", "[[intervention.effect]]"));
    assert_eq!(
        e.reason,
        "a state effect needs `outcomes` (units per person-year in the state, e.g. { qaly = 0.2 }), `costs` (euros per person-year) or both"
    );
    let text = iv("{ share = 0.5 }", "", "", "state = \"B\"\nrr = 1.2\noutcomes = { qaly = 0.2 }");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = &errs[0];
    assert_eq!(e.field, "intervention.x.effect[0]");
    assert_eq!((e.line, e.column), pos(&text, "reach", "[[intervention.effect]]"));
    assert_eq!(
        e.reason,
        "an effect is exactly one of: a relative risk { chain, from, to, rr }, a shift { chain, shift = { from, to, share } }, or a state effect { chain, state (or states), outcomes and/or costs }; this one mixes them"
    );
    let text = iv("{ share = 0.5 }", "", "", "state = \"B\"\noutcomes = { wellby = 0.2 }");
    assert_one_error(
        &text,
        "[[intervention.effect]]",
        "wellby",
        "intervention.x.effect[0].outcomes.wellby",
        "`wellby` is not an outcome of the model; declare it in model.outcomes (declared: qaly)",
    );
    // A transition cost with neither costs nor outcomes.
    let text = chain3(
        1,
        "none",
        "[1.0, 0.0, 0.0]",
        "[0.7, 0.2, 0.1]",
        "[[chain.transition_cost]]\nfrom = \"A\"\nto = \"C\"\n",
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].field, "chain.c.transition_cost[0]");
    assert_eq!(
        errs[0].reason,
        "a transition cost needs `costs` (euros per move), `outcomes` (units per move, e.g. { qaly = -0.01 }) or both"
    );
    assert_eq!((errs[0].line, errs[0].column), pos(&text, "matrix", "[[chain.transition_cost]]"));
}
