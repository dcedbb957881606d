//! The engine against results it did not produce: closed-form values,
//! known distributions and invariants, with tolerances from the Monte Carlo
//! standard error.

mod common;

use wijkimpact::business;
use wijkimpact::ledger::{self, MeasureLayout};
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run_draw, RunContext, RunOptions};

fn model(text: &str) -> Model {
    common::model_from_str("test.toml", text)
}

/// A closed cohort of `n` people aged 40 with one two-state chain a ⇄ b.
fn two_state(n: f64, p: f64, q: f64, horizon: usize, extra: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
funders = ["gemeente"]
[taakvelden]
"6.1" = "Samenkracht"
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
matrix = [ ["rest", {p}], [{q}, "rest"] ]
[chain.state.b]
costs = [ {{ amount = 1000, funder = "gemeente", taakveld = "6.1" }} ]
{extra}
"#
    )
}

fn ctx_run(m: &Model, mode: Mode, seed: u64, draw: u64) -> wijkimpact::runner::DrawResult {
    let ctx = RunContext::new(m).expect("plan");
    run_draw(&ctx, &RunOptions::new(seed, 1, mode), draw).expect("draw")
}

fn person_years_b(m: &Model, r: &wijkimpact::runner::DrawResult, arm: usize, t: usize) -> f64 {
    let ml = MeasureLayout::new(m);
    r.arms[arm].get(0, t, ml.person_years[0][1])
}

#[test]
fn two_state_chain_occupancy_matches_closed_form_in_cohort_mode() {
    let (n, p, q) = (1000.0, 0.1, 0.3);
    let m = model(&two_state(n, p, q, 12, ""));
    let r = ctx_run(&m, Mode::Cohort, 1, 0);
    for t in 0..12 {
        // P(b at t | a at 0) = p/(p+q) (1 − (1 − p − q)^t)
        let expected = n * p / (p + q) * (1.0 - (1.0 - p - q).powi(t as i32));
        let got = person_years_b(&m, &r, 0, t);
        assert!((got - expected).abs() < 1e-9 * n, "year {t}: {got} vs {expected}");
    }
}

#[test]
fn stochastic_count_has_binomial_mean_and_variance() {
    let (n, p, q) = (200.0, 0.1, 0.3);
    let m = model(&two_state(n, p, q, 6, ""));
    let t = 5;
    let pb = p / (p + q) * (1.0 - (1.0 - p - q).powi(t as i32));
    let draws = 2000;
    let xs: Vec<f64> = (0..draws).map(|d| person_years_b(&m, &ctx_run(&m, Mode::Stochastic, 9, d), 0, t)).collect();
    let mean = xs.iter().sum::<f64>() / draws as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
    let (mu, sigma2) = (n * pb, n * pb * (1.0 - pb));
    let mcse = (sigma2 / draws as f64).sqrt();
    assert!((mean - mu).abs() < 4.0 * mcse, "mean {mean} vs {mu} (mcse {mcse})");
    // The sample variance has standard error ≈ σ² sqrt(2 / (n − 1)) (near-normal counts).
    let se_var = sigma2 * (2.0 / (draws - 1) as f64).sqrt();
    assert!((var - sigma2).abs() < 4.0 * se_var, "variance {var} vs {sigma2} (se {se_var})");
}

#[test]
fn discounted_annuity_of_fixed_intervention_costs() {
    let f = 50_000.0;
    let h = 10;
    let extra = format!(
        r#"
[[intervention]]
name = "buurthuis"
reach = {{ share = 0.0 }}
start_year = 2025
end_year = 2034
[intervention.costs]
fixed = [ {{ amount = {f}, funder = "gemeente", taakveld = "6.1" }} ]
[[scenario]]
name = "s"
interventions = ["buurthuis"]
"#
    );
    for (first_discounted, shift) in [(false, 0.0), (true, 1.0)] {
        let text = two_state(100.0, 0.1, 0.3, h, &extra)
            .replace("max_age = 100", &format!("max_age = 100\nfirst_year_discounted = {first_discounted}"));
        let m = model(&text);
        let r = ctx_run(&m, Mode::Cohort, 1, 0);
        let ctx = RunContext::new(&m).unwrap();
        let total = ctx.n_area_slots() - 1;
        let pv = r.metrics[ctx.metric_index(0, total, business::PV_INTERVENTION_COSTS)];
        let v = 1.0 / 1.0225f64;
        // Σ_{t<h} f v^(t+shift) = f v^shift (1 − v^h) / (1 − v)
        let expected = f * v.powf(shift) * (1.0 - v.powi(h as i32)) / (1.0 - v);
        assert!((pv - expected).abs() < 1e-6, "pv {pv} vs {expected}");
        assert!((r.metrics[ctx.metric_index(0, total, business::NPV)] + expected).abs() < 1e-6);
    }
}

#[test]
fn population_under_mortality_only_equals_the_survival_product() {
    let text = r#"
[model]
start_year = 2025
horizon = 8
max_age = 100
[demography.sterfte]
closed = true
mortality = [ { ages = "0-59", q = 0.01 }, { ages = "60-69", q = 0.03 }, { ages = "70-100", q = 0.08 } ]
[[area]]
name = "a"
demography = "sterfte"
population = [ { ages = "57", count = 5000 } ]
"#;
    let m = model(text);
    let r = ctx_run(&m, Mode::Cohort, 1, 0);
    let q = |age: usize| {
        if age < 60 {
            0.01
        } else if age < 70 {
            0.03
        } else {
            0.08
        }
    };
    let mut surv = 5000.0;
    for t in 0..8 {
        let got = r.arms[0].get(0, t, ledger::POP_START);
        assert!((got - surv).abs() < 1e-9, "year {t}: {got} vs {surv}");
        surv *= 1.0 - q(57 + t);
    }
}

/// A model with every mechanism at once: two sexes, demography, a risk
/// factor, a death state, an intervention with persistence and a shift.
const RICH: &str = r#"
[model]
start_year = 2025
horizon = 6
max_age = 30
funders = ["gemeente", "zorgverzekeraar"]
outcomes = ["qaly"]
base_outcome = { qaly = 0.9 }
[taakvelden]
"6.1" = "Samenkracht"
"6.71" = "Maatwerk 18+"
[demography.d]
mortality = [ { ages = "0-30", male = 0.01, female = 0.008 } ]
crude_birth_rate = 0.02
[[area]]
name = "noord"
demography = "d"
population = [ { ages = "10-30", male = 300, female = 300 } ]
net_migration = [ { ages = "18-20", count = 3 }, { ages = "25-27", count = -2 } ]
[[area]]
name = "zuid"
demography = "d"
population = [ { ages = "15-25", male = 250, female = 200 } ]
[[chain]]
name = "eenzaam"
kind = "indicator"
ages = "16-30"
states = ["nee", "ja"]
initial = [ { ages = "16-30", p = [0.7, 0.3] } ]
[[chain.transitions]]
matrix = [ ["rest", 0.1], [0.25, "rest"] ]
[chain.state.ja]
outcomes = { qaly = -0.05 }
social_value = -500
[[chain]]
name = "ggz"
kind = "care"
ages = "16-30"
states = ["geen", "zorg", "dood"]
death_states = ["dood"]
initial = [ { ages = "16-30", p = [0.9, 0.1, 0.0] } ]
[[chain.transitions]]
matrix = [ ["rest", 0.08, 0.002], [0.3, "rest", 0.01], [0.0, 0.0, 1.0] ]
[chain.state.zorg]
costs = [ { amount = 4000, funder = "zorgverzekeraar" }, { amount = 500, funder = "gemeente", taakveld = "6.71" } ]
[[chain.transition_cost]]
from = "geen"
to = "zorg"
costs = [ { amount = 300, funder = "gemeente", taakveld = "6.71" } ]
[[risk_factor]]
chain = "ggz"
from = "geen"
to = "zorg"
when = "eenzaam.ja"
rr = 2.0
[[intervention]]
name = "ontmoeting"
areas = ["noord"]
target = ["eenzaam.ja"]
reach = { share = 0.4 }
ramp_up = [0.5, 1.0]
start_year = 2025
end_year = 2028
persistence = { years = 1, drop_off = 0.5 }
[[intervention.effect]]
chain = "eenzaam"
from = "ja"
to = "nee"
rr = 1.8
[[intervention.effect]]
chain = "eenzaam"
shift = { from = "ja", to = "nee", share = 0.1 }
[intervention.costs]
fixed = [ { amount = 2000, funder = "gemeente", taakveld = "6.1" } ]
per_participant = [ { amount = 150, funder = "gemeente", taakveld = "6.1" } ]
[[scenario]]
name = "ontmoeting"
interventions = ["ontmoeting"]
"#;

#[test]
fn cohort_and_stochastic_agree_in_expectation() {
    let m = model(RICH);
    let ctx = RunContext::new(&m).unwrap();
    let ml = &ctx.measures;
    let cohort = ctx_run(&m, Mode::Cohort, 3, 0);
    let draws = 1500;
    let results: Vec<_> = (0..draws).map(|d| ctx_run(&m, Mode::Stochastic, 3, d)).collect();
    let total = ctx.n_area_slots() - 1;
    type Check = (String, Box<dyn Fn(&wijkimpact::runner::DrawResult) -> f64>);
    let mut checks: Vec<Check> = vec![];
    for t in [0usize, 2, 5] {
        for (name, meas) in [
            ("pop_end", ledger::POP_END),
            ("deaths", ledger::DEATHS),
            ("births", ledger::BIRTHS),
            ("arrivals", ledger::ARRIVALS),
            ("departures", ledger::DEPARTURES),
            ("ggz zorg", ml.person_years[1][1]),
            ("ggz starts", ml.starts[1]),
            ("ggz deaths", ml.chain_deaths[1]),
            ("eenzaam ja", ml.person_years[0][1]),
            ("participants", ml.participants[0]),
        ] {
            for arm in [0usize, 1] {
                checks.push((format!("{name} arm {arm} year {t}"), Box::new(move |r| r.arms[arm].total(t, meas))));
            }
        }
    }
    let i_npv = ctx.metric_index(0, total, business::NPV);
    checks.push(("npv".into(), Box::new(move |r| r.metrics[i_npv])));
    let mut failures = vec![];
    for (name, f) in &checks {
        let xs: Vec<f64> = results.iter().map(f).collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64).sqrt();
        let mcse = sd / (draws as f64).sqrt();
        let c = f(&cohort);
        // Within 3 MCSE, but never tighter than rounding the start population allows.
        if (mean - c).abs() > 3.0 * mcse + 1e-9 {
            failures.push(format!("{name}: stochastic mean {mean} vs cohort {c} (mcse {mcse})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn common_random_numbers_shrink_the_sd_of_a_difference() {
    let m = model(RICH);
    let ctx = RunContext::new(&m).unwrap();
    let i = ctx.measures.person_years[0][1];
    let draws = 300;
    let diff = |a: &wijkimpact::runner::DrawResult, b: &wijkimpact::runner::DrawResult| {
        b.arms[1].total(4, i) - a.arms[0].total(4, i)
    };
    let crn: Vec<f64> = (0..draws)
        .map(|d| {
            let r = ctx_run(&m, Mode::Stochastic, 5, d);
            diff(&r, &r)
        })
        .collect();
    let indep: Vec<f64> =
        (0..draws).map(|d| diff(&ctx_run(&m, Mode::Stochastic, 5, d), &ctx_run(&m, Mode::Stochastic, 6, d))).collect();
    let sd = |xs: &[f64]| {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
    };
    let (a, b) = (sd(&crn), sd(&indep));
    assert!(a < 0.5 * b, "sd with CRN {a} should be well below sd with independent streams {b}");
}

#[test]
fn people_are_conserved_in_both_modes() {
    let m = model(RICH);
    for mode in [Mode::Cohort, Mode::Stochastic] {
        for d in 0..5 {
            let r = ctx_run(&m, mode, 8, d);
            for led in &r.arms {
                for a in 0..led.n_areas {
                    for t in 0..led.n_years {
                        let g = |q| led.get(a, t, q);
                        let lhs = g(ledger::POP_END) + g(ledger::DEATHS) + g(ledger::DEPARTURES);
                        let rhs = g(ledger::POP_START) + g(ledger::ARRIVALS);
                        assert!((lhs - rhs).abs() < 1e-9 * rhs.max(1.0), "{mode:?} area {a} year {t}: {lhs} vs {rhs}");
                        if t + 1 < led.n_years {
                            let next = led.get(a, t + 1, ledger::POP_START);
                            assert!((next - g(ledger::POP_END) - g(ledger::BIRTHS)).abs() < 1e-9 * next.max(1.0));
                        }
                    }
                }
            }
        }
    }
}
