//! Expressions and derived parameters (issue 16, item 3): errors that point
//! at the character inside the string, and runs whose numbers are checked
//! against hand calculations.

mod common;

use wijkimpact::business;
use wijkimpact::ledger::MeasureLayout;
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run_draw, RunContext, RunOptions};
use wijkimpact::scenario::ScenarioError;
use wijkimpact::sim::SimError;

/// A closed cohort of `n` people aged 40 in one chain a → b (b absorbing),
/// the move a → b with probability `p` (a value as written: a number, a
/// name or an expression), `params` as the `[parameters]` table's body,
/// `extra` appended.
fn cohort(n: f64, p: &str, params: &str, extra: &str) -> String {
    format!(
        r#"[model]
start_year = 2025
horizon = 6
max_age = 100
funders = ["gemeente"]
[taakvelden]
"6.1" = "Samenkracht"
[parameters]
{params}
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = {n} }} ]
[[chain]]
name = "x"
kind = "care"
ages = "0-100"
states = ["a", "b"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", {p}], [0, "rest"] ]
{extra}
"#
    )
}

fn errors(text: &str) -> Vec<ScenarioError> {
    common::load_errors("expr.toml", text)
}

/// The text has exactly one error, at `line`:`column`, on `field`, whose reason contains `reason`.
fn assert_single(text: &str, line: usize, column: usize, field: &str, reason: &str) -> ScenarioError {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = errs.into_iter().next().unwrap();
    assert_eq!((e.line, e.column, e.field.as_str()), (line, column, field), "{e}");
    assert!(e.reason.contains(reason), "reason {:?} lacks {reason:?}", e.reason);
    assert!(e.to_string().starts_with(&format!("expr.toml:{line}:{column}: {field}: ")), "{e}");
    e
}

const GAMMA_R: &str = "r = { dist = \"gamma\", shape = 4.0, scale = 0.05 }";

// Line numbers below: `[parameters]` is line 8, so its first entry is line 9;
// the matrix is line 22 + (lines of params).

#[test]
fn unknown_name_is_placed_at_its_character() {
    // Line 10: `p = "1 - exp(-rr)"`: the string starts at column 5, `rr` at 5 + 1 + 9 = 15.
    let params = format!("{GAMMA_R}\np = \"1 - exp(-rr)\"");
    assert_single(
        &cohort(100.0, "\"p\"", &params, ""),
        10,
        15,
        "parameters.p",
        "in the expression \"1 - exp(-rr)\": unknown parameter `rr`: a name in an expression must be defined in [parameters] (defined: p, r); did you mean `r`?",
    );
}

#[test]
fn unknown_name_in_a_value_position_and_after_a_multibyte_character() {
    // Line 23 (matrix): the columns count characters, not bytes.
    let text = cohort(100.0, "\"r·0 + rq\"", GAMMA_R, "");
    let errs = errors(&text);
    // `·` is not an operator: the first error is the character itself.
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let line = text.lines().nth(errs[0].line - 1).unwrap();
    assert_eq!(errs[0].line, 23);
    assert_eq!(line, "matrix = [ [\"rest\", \"r·0 + rq\"], [0, \"rest\"] ]");
    // The string starts at column 21, `·` is its 2nd character: 21 + 1 + 1.
    assert_eq!(errs[0].column, 23);
    assert_eq!(errs[0].field, "chain.x.transitions[0].matrix[0][1]");
    assert_eq!(errs[0].reason, "in the expression \"r·0 + rq\": unexpected character `·`");

    let text = cohort(100.0, "\"é + rq\"", "\"é\" = { dist = \"beta\", mean = 0.1, sd = 0.01 }", "");
    // `rq` is the 5th character (offset 4): column 21 + 1 + 4.
    let e = assert_single(&text, 23, 26, "chain.x.transitions[0].matrix[0][1]", "unknown parameter `rq`");
    assert!(e.reason.contains("(defined: é)"), "{e}");
}

#[test]
fn syntax_errors_name_the_character() {
    let params = format!("{GAMMA_R}\np = \"1 - expp(-r)\"\nq = \"(r + 1\"\ns = \"r +* 2\"");
    let errs = errors(&cohort(100.0, "\"p\"", &params, ""));
    let got: Vec<(usize, usize, &str)> = errs.iter().map(|e| (e.line, e.column, e.reason.as_str())).collect();
    assert_eq!(got.len(), 3, "{errs:#?}");
    assert_eq!((got[0].0, got[0].1), (10, 10));
    assert!(got[0].2.starts_with("in the expression \"1 - expp(-r)\": unknown function `expp`; functions: exp, ln"));
    // The end of `(r + 1`: offset 6, column 5 + 1 + 6.
    assert_eq!(
        got[1],
        (11, 12, "in the expression \"(r + 1\": unexpected end: expected `)` to close the `(` at character 1")
    );
    assert_eq!(got[2], (12, 9, "in the expression \"r +* 2\": unexpected `*`: a number, name or `(` is missing"));
}

#[test]
fn a_cycle_of_derived_parameters_is_named() {
    let params = "a = \"b + 1\"\nb = \"c * 2\"\nc = { expr = \"a / 3\", note = \"circular\" }\nd = \"d\"";
    let errs = errors(&cohort(100.0, "0.1", params, ""));
    let reasons: Vec<String> = errs.iter().map(|e| format!("{}:{}: {}", e.line, e.column, e.reason)).collect();
    assert_eq!(
        reasons,
        vec![
            // Found when `c` reads `a` again: at the `a` inside c's string (line 11, column 15).
            "11:15: in the expression \"a / 3\": derived parameters depend on each other in a cycle: a → b → c → a; none of them can be computed".to_string(),
            "12:6: in the expression \"d\": derived parameters depend on each other in a cycle: d → d; none of them can be computed".to_string(),
        ]
    );
}

#[test]
fn reserved_names_and_misuse() {
    // A parameter may not be named like a context variable.
    assert_single(
        &cohort(100.0, "0.1", "age = { dist = \"beta\", mean = 0.1, sd = 0.01 }", ""),
        9,
        1,
        "parameters.age",
        "`age` is a reserved variable (age, cycle, year, years_in_state)",
    );
    // A context variable has no value where the model does not bind it
    // (a matrix binds cycle, year and age; years_in_state only tunnel rows).
    assert_single(
        &cohort(100.0, "\"0.01 * years_in_state\"", GAMMA_R, ""),
        23,
        29,
        "chain.x.transitions[0].matrix[0][1]",
        "`years_in_state` is a reserved variable (age, cycle, year, years_in_state), but it has no value here",
    );
    // A dirichlet is a row, not a number.
    assert_single(
        &cohort(100.0, "\"d * 0.5\"", "d = { dist = \"dirichlet\", alpha = [1, 2] }", ""),
        23,
        22,
        "chain.x.transitions[0].matrix[0][1]",
        "parameter `d` is a dirichlet",
    );
    // `dist` and `expr` together.
    assert_single(
        &cohort(100.0, "\"p\"", "p = { dist = \"beta\", expr = \"0.1\" }", ""),
        9,
        14,
        "parameters.p",
        "give either `dist` (a distribution) or `expr`",
    );
    // A table without either.
    assert_single(
        &cohort(100.0, "\"p\"", "p = { mean = 0.1, sd = 0.01 }", ""),
        9,
        1,
        "parameters.p",
        "missing required key `dist`",
    );
}

#[test]
fn domains_are_checked_where_they_can_be() {
    // A constant expression is a number: checked now, at the string.
    assert_single(
        &cohort(100.0, "\"3 / 2\"", GAMMA_R, ""),
        23,
        21,
        "chain.x.transitions[0].matrix[0][1]",
        "1.5 is not allowed here: a probability must lie between 0 and 1",
    );
    // At the means of its inputs (r = 0.2) the expression is 1.2.
    assert_single(
        &cohort(100.0, "\"p\"", &format!("{GAMMA_R}\np = \"r * 6\""), ""),
        24,
        21,
        "chain.x.transitions[0].matrix[0][1]",
        "parameter `p` = \"r * 6\" is 1.2000000000000002 at the means of its inputs, but chain.x.transitions[0].matrix[0][1] needs a probability between 0 and 1",
    );
}

#[test]
fn a_derived_value_out_of_its_domain_in_a_draw_stops_the_run() {
    // p = 2r with r ~ gamma(shape 4, scale 0.05): mean 0.4 (valid), but
    // P(2r > 1) = P(r > 0.5) > 0, so some draw has p > 1.
    let m = common::model_from_str("expr.toml", &cohort(100.0, "\"p\"", &format!("{GAMMA_R}\np = \"2 * r\""), ""));
    let ctx = RunContext::new(&m).unwrap();
    let opts = RunOptions::new(3, 1, Mode::Cohort);
    let names = m.params.slot_names();
    let (r_slot, p_slot) = (names.iter().position(|n| n == "r").unwrap(), names.iter().position(|n| n == "p").unwrap());
    let bad = (0..2000u64)
        .find(|&d| wijkimpact::params::sample_draw(&m.params, 3, d)[r_slot] > 0.5)
        .expect("a draw with r > 0.5");
    let e = run_draw(&ctx, &opts, bad).expect_err("p > 1");
    let SimError::Derived(d) = &e else { panic!("{e}") };
    let x = wijkimpact::params::sample_draw(&m.params, 3, bad)[p_slot];
    assert!(x > 1.0);
    assert_eq!((d.name.as_str(), d.draw, d.value), ("p", bad, x));
    assert_eq!(
        e.to_string(),
        format!("derived parameter `p` = \"2 * r\" is {x} in draw {bad}, but chain.x.transitions[0].matrix[0][1] needs a probability between 0 and 1; check the expression and the distributions of its inputs")
    );
}

#[test]
fn rate_to_probability_propagates_uncertainty_known_answer() {
    // p = 1 − exp(−r), r ~ gamma(k, θ); b absorbing. The share still in a at
    // the start of year t is (1 − p)^t = exp(−r t), whose expectation is the
    // gamma's Laplace transform (1 + θ t)^(−k). Person-years in b (counted at
    // the start of the year): N (1 − (1 + θ t)^(−k)).
    let (n, k, theta) = (1000.0, 4.0, 0.05);
    let params = format!("r = {{ dist = \"gamma\", shape = {k}, scale = {theta} }}\np = \"1 - exp(-r)\"");
    let m = common::model_from_str("expr.toml", &cohort(n, "\"p\"", &params, ""));
    let ctx = RunContext::new(&m).unwrap();
    let ml = MeasureLayout::new(&m);
    let names = m.params.slot_names();
    let (r_slot, p_slot) = (names.iter().position(|x| x == "r").unwrap(), names.iter().position(|x| x == "p").unwrap());
    let draws = 4000u64;
    let t = 4;
    let opts = RunOptions::new(11, draws, Mode::Cohort);
    let mut xs = Vec::with_capacity(draws as usize);
    for d in 0..draws {
        let res = run_draw(&ctx, &opts, d).unwrap();
        // The derived slot is the expression of this draw's own r.
        assert_eq!(res.params[p_slot], 1.0 - (-res.params[r_slot]).exp());
        xs.push(res.arms[0].get(0, t, ml.person_years[0][1]));
    }
    let mean = xs.iter().sum::<f64>() / draws as f64;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64).sqrt();
    let mcse = sd / (draws as f64).sqrt();
    let expected = n * (1.0 - (1.0 + theta * t as f64).powf(-k));
    assert!((mean - expected).abs() < 4.0 * mcse, "mean {mean} vs {expected} (mcse {mcse})");
    // Plugging in the mean rate instead gives a different number, further
    // than the tolerance: the test can tell propagated uncertainty from a
    // base case.
    let plug_in = n * (1.0 - (-(k * theta) * t as f64).exp());
    assert!((plug_in - expected).abs() > 8.0 * mcse, "{plug_in} vs {expected} (mcse {mcse})");
}

/// An intervention of `share` of the cohort with a per-participant cost.
fn with_treatment(cost: &str) -> String {
    let extra = format!(
        r#"[chain.state.b]
costs = [ {{ amount = "c_soc * 2", funder = "gemeente", taakveld = "6.1" }} ]
[[intervention]]
name = "behandeling"
reach = {{ share = 0.5 }}
start_year = 2025
end_year = 2030
[intervention.costs]
per_participant = [ {{ amount = {cost}, funder = "gemeente", taakveld = "6.1" }} ]
[[scenario]]
name = "s"
interventions = ["behandeling"]
"#
    );
    let params = "c_soc = { dist = \"gamma\", mean = 3000, sd = 900 }\nc_trt = { expr = \"c_soc + 12000\", note = \"list price plus usual care\" }";
    cohort(100.0, "0.1", params, &extra)
}

#[test]
fn a_derived_cost_moves_with_its_input_in_every_draw() {
    let m = common::model_from_str("expr.toml", &with_treatment("\"c_trt\""));
    let names = m.params.slot_names();
    let slot = |n: &str| names.iter().position(|x| x == n).unwrap_or_else(|| panic!("{n} in {names:?}"));
    let (soc, trt, twice) = (slot("c_soc"), slot("c_trt"), slot("chain.x.state.b.costs[0].amount"));
    for d in 0..200 {
        let p = wijkimpact::params::sample_draw(&m.params, 5, d);
        assert_eq!(p[trt], p[soc] + 12000.0, "draw {d}");
        assert_eq!(p[twice], p[soc] * 2.0, "draw {d}");
    }
    let means = wijkimpact::params::means(&m.params);
    assert!((means[soc] - 3000.0).abs() < 1e-9 && means[trt] == means[soc] + 12000.0, "{means:?}");
    let d = m.params.derived.iter().find(|d| d.name == "c_trt").unwrap();
    assert_eq!(d.used_by, vec!["intervention.behandeling.costs.per_participant[0].amount".to_string()]);
    assert_eq!(d.note.as_deref(), Some("list price plus usual care"));
}

#[test]
fn sensitivity_moves_the_input_not_the_derived_parameter() {
    use wijkimpact::sensitivity;
    let m = common::model_from_str("expr.toml", &with_treatment("\"c_trt\""));
    let ctx = RunContext::new(&m).unwrap();
    let bounds = sensitivity::param_bounds(&m.params);
    let s = sensitivity::analyse(&ctx, &bounds, 1).unwrap();
    let names: Vec<&str> = s.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["c_soc"]);
    let total = s.areas.len() - 1;
    let e = &s.entries[0];
    // The NPV is −(c_soc + 12000) × PV(participants) + terms without c_soc in
    // the scenario's difference (the state cost c_soc·2 is the same in both
    // arms: nobody's state changes). So the swing is −Δc_soc × PV(participants),
    // with PV(participants) from the base case.
    let base = s.base(0, total).npv;
    let pv_participants = -base / (e.value_mean + 12000.0);
    let swing = s.high(0, 0, total).npv - s.low(0, 0, total).npv;
    let expected = -(e.value_high - e.value_low) * pv_participants;
    assert!(swing < 0.0);
    assert!((swing - expected).abs() < 1e-6 * expected.abs(), "{swing} vs {expected}");
    // The same run with the supplement fixed in place gives the same base case.
    let fixed = common::model_from_str("expr.toml", &with_treatment("15000"));
    let r = run_draw(&RunContext::new(&fixed).unwrap(), &RunOptions::new(1, 1, Mode::Cohort), 0).unwrap();
    let ctx_f = RunContext::new(&fixed).unwrap();
    let npv_fixed = r.metrics[ctx_f.metric_index(0, total, business::NPV)];
    assert!((npv_fixed - base).abs() < 1e-6 * base.abs(), "{npv_fixed} vs {base}");
}

#[test]
fn the_same_expression_is_one_slot_and_constants_are_numbers() {
    let extra = r#"[chain.state.b]
costs = [ { amount = "c * 2", funder = "gemeente", taakveld = "6.1" }, { amount = "c * 2", funder = "gemeente", taakveld = "6.1" }, { amount = "1000 / 4", funder = "gemeente", taakveld = "6.1" } ]
"#;
    let m: Model = common::model_from_str(
        "expr.toml",
        &cohort(100.0, "0.1", "c = { dist = \"gamma\", mean = 100, sd = 10 }\nk = 7", extra),
    );
    let anon: Vec<&str> = m.params.derived.iter().filter(|d| !d.named).map(|d| d.source.as_str()).collect();
    assert_eq!(anon, vec!["c * 2"]);
    let costs = &m.chains[0].state_costs[1];
    assert_eq!(costs[0].amount, costs[1].amount);
    assert_eq!(costs[2].amount, wijkimpact::model::Value::Fixed(250.0));
    // A number in [parameters] is a named constant.
    let k = m.params.derived.iter().find(|d| d.name == "k").unwrap();
    assert_eq!((k.source.as_str(), k.expr.constant()), ("7", Some(7.0)));
}

/// Counts at the start of years 0..=5 in state a of a cohort of `n`, leaving
/// a with probability `p(t)` in year t.
fn still_in_a(n: f64, p: impl Fn(usize) -> f64) -> Vec<f64> {
    let mut out = vec![n];
    for t in 0..5 {
        out.push(out[t] * (1.0 - p(t)));
    }
    out
}

/// Counts in state a at the start of years 0..=5 of draw `d` (cohort mode).
fn counts_in_a(m: &Model, d: u64) -> (Vec<f64>, Vec<f64>) {
    let ctx = RunContext::new(m).unwrap();
    let ml = MeasureLayout::new(m);
    let res = run_draw(&ctx, &RunOptions::new(3, 1, Mode::Cohort), d).unwrap();
    ((0..6).map(|t| res.arms[0].get(0, t, ml.person_years[0][0])).collect(), res.params)
}

fn assert_counts(got: &[f64], want: &[f64]) {
    for (t, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() < 1e-9 * w.abs().max(1.0), "year {t}: {g} vs {w}");
    }
}

#[test]
fn a_matrix_row_in_cycle_year_or_age_is_read_for_each() {
    let n = 1000.0;
    // cycle t = 0, 1, …: 0.1 (t + 1).
    let by_cycle = common::model_from_str("expr.toml", &cohort(n, "\"0.1 * (cycle + 1)\"", "", ""));
    assert_counts(&counts_in_a(&by_cycle, 0).0, &still_in_a(n, |t| 0.1 * (t + 1) as f64));
    // The calendar year is start_year (2025) + t: the same numbers.
    let by_year = common::model_from_str("expr.toml", &cohort(n, "\"0.1 * (year - 2024)\"", "", ""));
    assert_counts(&counts_in_a(&by_year, 0).0, &still_in_a(n, |t| 0.1 * (t + 1) as f64));
    // The cohort is 40 at the start and a year older every year.
    let by_age = common::model_from_str("expr.toml", &cohort(n, "\"0.001 * age\"", "", ""));
    assert_counts(&counts_in_a(&by_age, 0).0, &still_in_a(n, |t| 0.001 * (40 + t) as f64));
    // Both: one matrix per (cycle, age) the cohort meets.
    let both = common::model_from_str("expr.toml", &cohort(n, "\"0.001 * age + 0.01 * cycle\"", "", ""));
    assert_counts(&counts_in_a(&both, 0).0, &still_in_a(n, |t| 0.001 * (40 + t) as f64 + 0.01 * t as f64));
}

#[test]
fn a_parameter_in_cycle_gets_one_slot_per_cycle_from_the_same_draw() {
    // h ~ gamma; p_t = 1 − exp(−h (t + 1)): the share still in a at the start
    // of year t is exp(−h (1 + 2 + … + t)) = exp(−h t (t + 1) / 2), with the
    // draw's own h.
    let params = "h = { dist = \"gamma\", shape = 4.0, scale = 0.05 }\np_t = \"1 - exp(-h * (cycle + 1))\"";
    let m = common::model_from_str("expr.toml", &cohort(1000.0, "\"p_t\"", params, ""));
    let names = m.params.slot_names();
    let h = names.iter().position(|x| x == "h").unwrap();
    assert!(names.contains(&"p_t[cycle=0]".to_string()) && names.contains(&"p_t[cycle=5]".to_string()), "{names:?}");
    for d in 0..5 {
        let (got, params) = counts_in_a(&m, d);
        let want: Vec<f64> = (0..6).map(|t| 1000.0 * (-params[h] * (t * (t + 1)) as f64 / 2.0).exp()).collect();
        assert_counts(&got, &want);
    }
    let d = m.params.derived.iter().find(|d| d.name == "p_t").unwrap();
    assert_eq!(d.used_by, vec!["chain.x.transitions[0].matrix[0][1]".to_string()]);
}

#[test]
fn a_time_band_overrides_a_matrix_in_cycle() {
    let extra = "[[chain.transitions]]\ncycles = \"2-3\"\nmatrix = [ [1, 0], [0, 1] ]";
    let m = common::model_from_str("expr.toml", &cohort(1000.0, "\"0.1 * (cycle + 1)\"", "", extra));
    let p = |t: usize| if (2..=3).contains(&t) { 0.0 } else { 0.1 * (t + 1) as f64 };
    assert_counts(&counts_in_a(&m, 0).0, &still_in_a(1000.0, p));
}

#[test]
fn reserved_variables_where_they_have_no_value() {
    // A [parameters] expression in `cycle` used where no cycle is bound.
    let params = "p_t = \"0.01 * (cycle + 1)\"";
    let extra = "[chain.state.b]\ncosts = [ { amount = \"p_t\", funder = \"gemeente\", taakveld = \"6.1\" } ]";
    let e = assert_single(
        &cohort(100.0, "\"p_t\"", params, extra),
        25,
        22,
        "chain.x.state.b.costs[0].amount",
        "parameter `p_t` = \"0.01 * (cycle + 1)\" uses `cycle`, which has no value here",
    );
    assert!(e.reason.contains("transition matrix rows bind cycle, year and age"), "{e}");
    // A matrix that is no probability in one cycle is reported once, naming it.
    let e = assert_single(&cohort(100.0, "\"0.3 * cycle\"", "", ""), 23, 21, "chain.x.transitions[0].matrix[0][1]", "");
    assert!(e.reason.ends_with("(with cycle = 4)"), "{e}");
}
