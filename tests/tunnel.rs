//! Tunnel states (`[chain.state.S] tunnel = N`, `years_in_state` rows):
//! occupancy of every year of the tunnel against a hand calculation, costs on
//! the state and on moves, relative risks and conditions on a tunnel state,
//! the two cohort engines bit for bit, and the errors of bad input.

mod common;

use wijkimpact::ledger::MeasureLayout;
use wijkimpact::model::{Mode, Model};
use wijkimpact::params;
use wijkimpact::runner::{run_draw, DrawResult, RunContext, RunOptions};
use wijkimpact::scenario;

/// A closed cohort of 1,000 people aged 40 in chain `ziekte` (H → S1 → S2):
/// half of those in H fall ill each year; S1 (tunnel = 3) progresses to S2
/// with 0.1, 0.2, 0.3 in years 1, 2, 3+. S1 costs the gemeente 1000 a
/// year; a move H → S1 costs the zvw 100, a move S1 → S2 the wlz 10.
/// `initial` is the chain's initial row; `extra` is appended.
fn disease(initial: &str, extra: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = 5
max_age = 100
funders = ["gemeente", "zvw", "wlz"]

[demography.gesloten]
closed = true

[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = 1000 }} ]

[[chain]]
name = "ziekte"
kind = "care"
states = ["H", "S1", "S2"]
initial = [ {{ ages = "0-100", p = {initial} }} ]

[[chain.transitions]]
matrix = [ [0.5, 0.5, 0], [0, 0.9, 0.1], [0, 0, 1] ]

[[chain.transitions]]
years_in_state = "2"
rows = {{ S1 = [0, 0.8, 0.2] }}

[[chain.transitions]]
years_in_state = "3"
rows = {{ S1 = [0, 0.7, 0.3] }}

[chain.state.S1]
tunnel = 3
costs = [ {{ amount = 1000, funder = "gemeente" }} ]

[[chain.transition_cost]]
from = "H"
to = "S1"
costs = [ {{ amount = 100, funder = "zvw" }} ]

[[chain.transition_cost]]
from = "S1"
to = "S2"
costs = [ {{ amount = 10, funder = "wlz" }} ]
{extra}
"#
    )
}

fn model(text: &str) -> Model {
    common::model_from_str("test.toml", text)
}

fn run(m: &Model, mode: Mode, draw: u64) -> DrawResult {
    let ctx = RunContext::new(m).expect("plan");
    run_draw(&ctx, &RunOptions::new(1, 1, mode), draw).expect("draw")
}

/// The measure named `name` (e.g. `person_years/ziekte/S1@2`) of `arm` in year `t`.
fn measure(m: &Model, r: &DrawResult, arm: usize, t: usize, name: &str) -> f64 {
    let ml = MeasureLayout::new(m);
    let i = ml.names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no measure {name}: {:?}", ml.names));
    r.arms[arm].get(0, t, i)
}

/// The yearly care cost of `funder` (its only account) in `arm`, year `t`.
fn cost(m: &Model, r: &DrawResult, arm: usize, t: usize, funder: &str) -> f64 {
    let ml = MeasureLayout::new(m);
    let a = (0..m.accounts.len()).find(|&a| m.account_label(a) == funder).expect("account");
    r.arms[arm].get(0, t, ml.care_cost[a])
}

const STATES: [&str; 5] = ["H", "S1", "S1@2", "S1@3", "S2"];

/// Counts at the start of years 0..=4 by hand (H, S1, S1@2, S1@3, S2):
/// year t+1: H = 0.5 H; S1 = 0.5 H; S1@2 = 0.9 S1; S1@3 = 0.8 S1@2 + 0.7 S1@3;
/// S2 = S2 + 0.1 S1 + 0.2 S1@2 + 0.3 S1@3.
const BY_HAND: [[f64; 5]; 5] = [
    [1000.0, 0.0, 0.0, 0.0, 0.0],
    [500.0, 500.0, 0.0, 0.0, 0.0],
    // 0.9 · 500 = 450 move on; 0.1 · 500 = 50 progress.
    [250.0, 250.0, 450.0, 0.0, 50.0],
    // S1@3 = 0.8 · 450 = 360; S2 = 50 + 25 + 90 = 165.
    [125.0, 125.0, 225.0, 360.0, 165.0],
    // S1@3 = 0.8 · 225 + 0.7 · 360 = 180 + 252; S2 = 165 + 12.5 + 45 + 108.
    [62.5, 62.5, 112.5, 432.0, 330.5],
];

#[test]
fn occupancy_of_every_tunnel_year_matches_the_hand_calculation() {
    let m = model(&disease("[1, 0, 0]", ""));
    assert_eq!(m.chains[0].states, STATES);
    let r = run(&m, Mode::Cohort, 0);
    for (t, want) in BY_HAND.iter().enumerate() {
        for (s, w) in STATES.iter().zip(want) {
            let got = measure(&m, &r, 0, t, &format!("person_years/ziekte/{s}"));
            assert!((got - w).abs() < 1e-9, "year {t} {s}: {got} vs {w}");
        }
    }
    // Moving on a year is counted as entering the next year; entering S1 only from H.
    assert!((measure(&m, &r, 0, 1, "entries/ziekte/S1") - 250.0).abs() < 1e-9);
    assert!((measure(&m, &r, 0, 1, "entries/ziekte/S1@2") - 450.0).abs() < 1e-9);
    // Trajectory starts are the moves out of H only.
    assert!((measure(&m, &r, 0, 2, "starts/ziekte") - 125.0).abs() < 1e-9);
}

#[test]
fn state_cost_applies_in_every_year_of_the_tunnel() {
    let m = model(&disease("[1, 0, 0]", ""));
    let r = run(&m, Mode::Cohort, 0);
    for (t, h) in BY_HAND.iter().enumerate() {
        let want = 1000.0 * (h[1] + h[2] + h[3]);
        let got = cost(&m, &r, 0, t, "gemeente");
        assert!((got - want).abs() < 1e-6, "year {t}: {got} vs {want}");
    }
}

#[test]
fn transition_costs_count_each_entry_once_and_exits_from_every_year() {
    let m = model(&disease("[1, 0, 0]", ""));
    let r = run(&m, Mode::Cohort, 0);
    for (t, h) in BY_HAND.iter().enumerate() {
        // Into S1: the 0.5 · H who fall ill in year t (moving on a year is not an entry).
        let into = 100.0 * 0.5 * h[0];
        // Out of S1 into S2 from each year of the tunnel.
        let out = 10.0 * (0.1 * h[1] + 0.2 * h[2] + 0.3 * h[3]);
        let (gz, gw) = (cost(&m, &r, 0, t, "zvw"), cost(&m, &r, 0, t, "wlz"));
        assert!((gz - into).abs() < 1e-9, "year {t}: zvw {gz} vs {into}");
        assert!((gw - out).abs() < 1e-9, "year {t}: wlz {gw} vs {out}");
    }
}

/// An intervention for everyone in S1 (every year) halving S1 → S2.
const HALVE: &str = r#"
[[intervention]]
name = "remissie"
target = ["ziekte.S1"]
reach = { share = 1 }
start_year = 2025
end_year = 2035

[[intervention.effect]]
chain = "ziekte"
from = "S1"
to = "S2"
rr = 0.5
convention = "probability"

[[scenario]]
name = "met"
interventions = ["remissie"]
"#;

#[test]
fn a_relative_risk_on_the_exits_leaves_the_rest_moving_on_a_year() {
    let m = model(&disease("[0, 1, 0]", HALVE));
    let r = run(&m, Mode::Cohort, 0);
    // By hand, all 1000 start in year 1 of S1; exits 0.05, 0.1, 0.15 under rr = 0.5.
    // t=1: S1@2 = 950, S2 = 50. t=2: S1@3 = 0.9 · 950 = 855, S2 = 50 + 95 = 145.
    // t=3: S1@3 = 0.85 · 855 = 726.75, S2 = 145 + 128.25 = 273.25.
    let want: [(usize, &str, f64); 6] = [
        (1, "S1@2", 950.0),
        (1, "S2", 50.0),
        (2, "S1@3", 855.0),
        (2, "S2", 145.0),
        (3, "S1@3", 726.75),
        (3, "S2", 273.25),
    ];
    for (t, s, w) in want {
        let got = measure(&m, &r, 1, t, &format!("person_years/ziekte/{s}"));
        assert!((got - w).abs() < 1e-9, "scenario, year {t} {s}: {got} vs {w}");
        // Nobody stays behind in a year of the tunnel.
        assert_eq!(measure(&m, &r, 1, t, "person_years/ziekte/S1"), 0.0);
    }
    // The nulalternatief: 0.1, 0.2 → S1@3 at t=2 is 0.9 · 0.8 · 1000.
    assert!((measure(&m, &r, 0, 2, "person_years/ziekte/S1@3") - 720.0).abs() < 1e-9);
    // Participants: everyone in any year of S1.
    assert!((measure(&m, &r, 1, 2, "participants/remissie") - 855.0).abs() < 1e-9);
}

#[test]
fn a_risk_factor_conditioned_on_a_tunnel_state_applies_in_every_year() {
    let extra = r#"
[[chain]]
name = "werk"
kind = "indicator"
states = ["ja", "nee"]
initial = [ { ages = "0-100", p = [1, 0] } ]

[[chain.transitions]]
matrix = [ [0.9, 0.1], [0, 1] ]

[[risk_factor]]
chain = "werk"
to = "nee"
when = "ziekte.S1"
rr = 2
convention = "probability"
"#;
    let m = model(&disease("[0, 1, 0]", extra));
    let r = run(&m, Mode::Cohort, 0);
    // t=1: everyone was in S1 (year 1): ja = 1000 · 0.8. In year 1 ziekte is
    // 900 in S1@2 and 100 in S2, independently of werk (both moved from the
    // same start): ja = 800 · (0.9 · 0.8 + 0.1 · 0.9) = 648.
    let ja = |t| measure(&m, &r, 0, t, "person_years/werk/ja");
    assert!((ja(1) - 800.0).abs() < 1e-9, "{}", ja(1));
    assert!((ja(2) - 648.0).abs() < 1e-9, "{}", ja(2));
}

#[test]
fn a_shift_out_of_a_tunnel_leaves_every_year_and_enters_the_first() {
    let extra = r#"
[[intervention]]
name = "herstel"
target = ["ziekte.S1"]
reach = { share = 1 }
start_year = 2027
end_year = 2027

[[intervention.effect]]
chain = "ziekte"
shift = { from = "S1", to = "H", share = 0.5 }

[[scenario]]
name = "met"
interventions = ["herstel"]
"#;
    let m = model(&disease("[1, 0, 0]", extra));
    let r = run(&m, Mode::Cohort, 0);
    // Year 2 (2027) starts with H 250, S1 250, S1@2 450, S2 50 (by hand above).
    // Half of every year of S1 moves to H first (H 250 + 125 + 225 = 600, S1
    // 125, S1@2 225), then the year's transitions: H = S1 = 0.5 · 600,
    // S1@2 = 0.9 · 125, S1@3 = 0.8 · 225, S2 = 50 + 0.1 · 125 + 0.2 · 225.
    let want = [("H", 300.0), ("S1", 300.0), ("S1@2", 112.5), ("S1@3", 180.0), ("S2", 107.5)];
    for (s, w) in want {
        let got = measure(&m, &r, 1, 3, &format!("person_years/ziekte/{s}"));
        assert!((got - w).abs() < 1e-9, "{s}: {got} vs {w}");
    }
}

#[test]
fn cohort_engine_matches_the_reference_engine_bit_for_bit() {
    // Sampled rows (a dirichlet in a tunnel year), a risk factor on a tunnel
    // state, an intervention on the tunnel's exits (rate convention) and a
    // shift out of it, in two areas.
    let extra = r#"
[parameters]
p_prog = { dist = "beta", mean = 0.2, sd = 0.05 }

[[area]]
name = "tweede"
demography = "gesloten"
population = [ { ages = "30-50", count = 300 } ]

[[chain.transitions]]
years_in_state = "2-3"
areas = ["tweede"]
rows = { S1 = { dist = "dirichlet", counts = [5, 60, 35] } }

[[chain]]
name = "werk"
kind = "indicator"
states = ["ja", "nee"]
initial = [ { ages = "0-100", p = [0.8, 0.2] } ]

[[chain.transitions]]
matrix = [ ["rest", "p_prog"], [0.3, "rest"] ]

[[risk_factor]]
chain = "werk"
to = "nee"
when = "ziekte.S1"
rr = { dist = "lognormal", mean = 1.5, sd = 0.3 }

[[intervention]]
name = "herstel"
target = ["ziekte.S1"]
reach = { share = 0.4 }
start_year = 2026
end_year = 2028
persistence = { years = 1, drop_off = 0.5 }

[[intervention.effect]]
chain = "ziekte"
from = "S1"
to = "S2"
rr = 0.7
convention = "rate"

[[intervention.effect]]
chain = "ziekte"
shift = { from = "S1", to = "H", share = 0.2 }

[[scenario]]
name = "met"
interventions = ["herstel"]
"#;
    let m = model(&disease("[0.6, 0.3, 0.1]", extra));
    let plan = wijkimpact::sim::Plan::new(&m).expect("plan");
    for d in 0..4 {
        let p = params::sample_draw(&m.params, 7, d);
        let want = wijkimpact::sim::cohort_counts(&m, &plan, &p, true, false);
        for reuse in [true, false] {
            let got = wijkimpact::sim::cohort_counts(&m, &plan, &p, false, reuse);
            for (arm, (g, w)) in got.iter().zip(&want).enumerate() {
                let same = g.data.iter().zip(&w.data).all(|(x, y)| x.to_bits() == y.to_bits());
                assert!(same, "draw {d}, arm {arm}, reuse {reuse}");
            }
        }
    }
}

#[test]
fn stochastic_mode_agrees_with_the_hand_calculation_on_average() {
    let m = model(&disease("[1, 0, 0]", ""));
    let draws = 200;
    let mean = |s: &str| {
        (0..draws)
            .map(|d| measure(&m, &run(&m, Mode::Stochastic, d), 0, 3, &format!("person_years/ziekte/{s}")))
            .sum::<f64>()
            / draws as f64
    };
    // 1000 people: the count of S1@3 (p = 0.36) has sd ≈ 15 per draw, ≈ 1.1 over 200 draws.
    let got = mean("S1@3");
    assert!((got - 360.0).abs() < 6.0, "{got}");
    let got = mean("S2");
    assert!((got - 165.0).abs() < 6.0, "{got}");
}

/// The one error of `text`, as displayed.
fn error(text: &str) -> String {
    common::single_load_error("test.toml", text).to_string()
}

/// 1-based line and column of the first `needle` in `text` (after `after`).
fn at(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let start = text.find(after).expect("anchor");
    let off = start + text[start..].find(needle).expect("needle");
    let line = text[..off].matches('\n').count() + 1;
    let col = off - text[..off].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[test]
fn a_death_state_cannot_be_a_tunnel() {
    let text = disease("[1, 0, 0]", "")
        .replace("kind = \"care\"", "kind = \"care\"\ndeath_states = [\"S2\"]")
        .replace("[0, 0, 1] ]", "[0, 0, 1] ]\n\n[chain.state.S2]\ntunnel = 2");
    let (l, c) = at(&text, "[chain.state.S2]", "2\n");
    assert_eq!((l, c), (27, 10));
    assert_eq!(
        error(&text),
        format!("test.toml:{l}:{c}: chain.ziekte.state.S2.tunnel: `S2` is a death state and cannot be a tunnel state: nobody stays in it")
    );
}

#[test]
fn the_rest_state_cannot_be_a_tunnel() {
    let text = disease("[1, 0, 0]", "[chain.state.H]\ntunnel = 2\n");
    let e = error(&text);
    assert!(e.contains("chain.ziekte.state.H.tunnel: `H` is the chain's rest state"), "{e}");
}

#[test]
fn years_in_state_beyond_the_tunnel_is_an_error() {
    let text = disease("[1, 0, 0]", "").replace("years_in_state = \"3\"", "years_in_state = \"3-4\"");
    let (l, c) = at(&text, "", "\"3-4\"");
    assert_eq!((l, c), (30, 18));
    assert_eq!(
        error(&text),
        format!("test.toml:{l}:{c}: chain.ziekte.transitions[2].years_in_state: years 3-4 lie beyond tunnel state `S1` (tunnel = 3: years 1 to 3, the last meaning 3 or more)")
    );
}

#[test]
fn rows_for_a_state_that_is_not_a_tunnel_is_an_error() {
    let text = disease("[1, 0, 0]", "").replace("rows = { S1 = [0, 0.7, 0.3] }", "rows = { S2 = [0, 0.7, 0.3] }");
    let (l, c) = at(&text, "", "S2 = [0, 0.7");
    assert_eq!((l, c), (31, 10));
    assert_eq!(
        error(&text),
        format!("test.toml:{l}:{c}: chain.ziekte.transitions[2].rows.S2: `S2` is not a tunnel state; rows by years in the state are for tunnel states (give it `tunnel = N` under [chain.state.S2])")
    );
}

#[test]
fn matrix_and_rows_together_are_an_error() {
    let text = disease("[1, 0, 0]", "")
        .replace("years_in_state = \"2\"\n", "years_in_state = \"2\"\nmatrix = [ [1, 0, 0], [0, 1, 0], [0, 0, 1] ]\n");
    let (l, c) = at(&text, "years_in_state = \"2\"", "[ [1, 0, 0]");
    assert_eq!((l, c), (27, 10));
    assert_eq!(
        error(&text),
        format!("test.toml:{l}:{c}: chain.ziekte.transitions[1].matrix: `matrix` and `rows` exclude each other: an entry gives either a whole matrix, or (with years_in_state) the rows of tunnel states")
    );
}

#[test]
fn rows_without_years_in_state_and_the_reverse_are_errors() {
    let text = disease("[1, 0, 0]", "").replace("years_in_state = \"2\"\n", "");
    let e = error(&text);
    assert!(e.contains("chain.ziekte.transitions[1].rows: `rows` gives tunnel states their rows"), "{e}");
    let text = disease("[1, 0, 0]", "").replace("rows = { S1 = [0, 0.8, 0.2] }\n", "");
    let e = error(&text);
    assert!(e.contains("chain.ziekte.transitions[1].rows: years_in_state needs `rows`"), "{e}");
    // An entry without either still needs its matrix.
    let text = disease("[1, 0, 0]", "")
        .replace("matrix = [ [0.5, 0.5, 0], [0, 0.9, 0.1], [0, 0, 1] ]\n", "ages = \"0-100\"\n");
    let e = error(&text);
    assert!(e.starts_with("test.toml:22:1: chain.ziekte.transitions[0].matrix: missing required key `matrix`"), "{e}");
}

#[test]
fn too_many_states_with_the_tunnel_years_name_the_tunnel() {
    // 1 + 62 + 1 = 64 states is the limit.
    let m = model(&disease("[1, 0, 0]", "").replace("tunnel = 3", "tunnel = 62"));
    assert_eq!(m.chains[0].n_states(), 64);
    assert_eq!(m.chains[0].states[62], "S1@62");
    let e = error(&disease("[1, 0, 0]", "").replace("tunnel = 3", "tunnel = 63"));
    assert!(
        e.contains("chain.ziekte.state.S1.tunnel: with the years of its tunnel states (S1 = 63) chain `ziekte` has 65 states; a chain may have at most 64"),
        "{e}"
    );
    let e = scenario::load_str("test.toml", &disease("[1, 0, 0]", "").replace("tunnel = 3", "tunnel = 1")).unwrap_err();
    assert!(e.to_string().contains("chain.ziekte.state.S1.tunnel: `tunnel` is the number of years tracked in the state (the last meaning that many or more), a whole number from 2 to 63, got 1"), "{e}");
}

#[test]
fn two_rows_for_the_same_year_are_an_error() {
    let text = disease("[1, 0, 0]", "").replace("years_in_state = \"3\"", "years_in_state = \"2-3\"");
    let e = error(&text);
    assert!(
        e.contains("chain.ziekte.transitions[2].years_in_state: transitions[2] and transitions[1] both give the row of `S1` in year 2"),
        "{e}"
    );
    // One with `areas` overrides one without.
    let text =
        disease("[1, 0, 0]", "").replace("years_in_state = \"3\"", "years_in_state = \"2-3\"\nareas = [\"cohort\"]");
    let m = model(&text);
    let r = run(&m, Mode::Cohort, 0);
    // Years 2 and 3+ both progress with 0.3 in the cohort's area: S1@3 at t=3 = 0.7 · 450.
    assert!((measure(&m, &r, 0, 3, "person_years/ziekte/S1@3") - 315.0).abs() < 1e-9);
}

#[test]
fn a_tunnel_row_in_years_in_state_gives_each_year_its_row() {
    // One entry for years 2-3 whose exit is 0.1 · years_in_state: the same
    // rows (0.2, 0.3) as the two written entries, so the same counts.
    let written = "[[chain.transitions]]\nyears_in_state = \"2\"\nrows = { S1 = [0, 0.8, 0.2] }\n\n[[chain.transitions]]\nyears_in_state = \"3\"\nrows = { S1 = [0, 0.7, 0.3] }\n";
    let text = disease("[1, 0, 0]", "");
    assert!(text.contains(written));
    let by_year =
        "[[chain.transitions]]\nyears_in_state = \"2-3\"\nrows = { S1 = [0, \"rest\", \"0.1 * years_in_state\"] }\n";
    let m = model(&text.replace(written, by_year));
    let r = run(&m, Mode::Cohort, 0);
    for (t, want) in BY_HAND.iter().enumerate() {
        for (s, w) in STATES.iter().zip(want) {
            let got = measure(&m, &r, 0, t, &format!("person_years/ziekte/{s}"));
            assert!((got - w).abs() < 1e-9, "year {t} {s}: {got} vs {w}");
        }
    }
    // A year whose row is out of range is reported once, naming the year.
    let bad = by_year.replace("0.1 * years_in_state", "0.4 * years_in_state");
    let errs = match scenario::load_str("test.toml", &text.replace(written, &bad)) {
        Ok(_) => panic!("0.4 · 3 = 1.2 is not a probability"),
        Err(e) => e.0,
    };
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].reason.ends_with("(with years_in_state = 3)"), "{}", errs[0]);
}
