//! `[model] cycle_length`: cycles other than a year (months), against values
//! computed by hand here: person-time and discounting per cycle, rates
//! converted per cycle agreeing with yearly cycles at whole years, ageing only
//! when a year completes, demography converted per cycle, the fast cohort
//! engine equal to the reference engine bit for bit, and errors for bad values.

mod common;

use wijkimpact::business;
use wijkimpact::ledger::{self, MeasureLayout};
use wijkimpact::model::{Mode, Model};
use wijkimpact::params;
use wijkimpact::runner::{run_draw, DrawResult, RunContext, RunOptions};
use wijkimpact::sim::{simulate_draw, Plan};

fn model(text: &str) -> Model {
    common::model_from_str("test.toml", text)
}

fn run(m: &Model, mode: Mode) -> DrawResult {
    let ctx = RunContext::new(m).expect("plan");
    run_draw(&ctx, &RunOptions::new(1, 1, mode), 0).expect("draw")
}

/// The per-cycle ledgers of the nulalternatief and the scenarios (before they
/// are summed into calendar years).
fn cycle_ledgers(m: &Model) -> Vec<wijkimpact::ledger::Ledger> {
    let plan = Plan::new(m).expect("plan");
    let p = params::sample_draw(&m.params, 1, 0);
    simulate_draw(m, &plan, Mode::Cohort, 1, 0, &p, &MeasureLayout::new(m)).expect("simulate").0
}

fn metric(m: &Model, r: &DrawResult, which: usize) -> f64 {
    let ctx = RunContext::new(m).unwrap();
    r.metrics[ctx.metric_index(0, ctx.n_area_slots() - 1, which)]
}

/// A closed cohort of `n` people aged 40 in a chain alive → dead with death
/// probability `p` per cycle; `model_extra` goes into `[model]`, `extra` at the end.
fn cohort(n: f64, p: f64, horizon: usize, model_extra: &str, extra: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
funders = ["gemeente"]
outcomes = ["qaly"]
discount_rate_effects = 0.03
discount_rate_costs = 0.04
{model_extra}
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = {n} }} ]
[[chain]]
name = "leven"
kind = "indicator"
states = ["alive", "dead"]
death_states = ["dead"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", {p}], [0, 1] ]
[chain.state.alive]
outcomes = {{ qaly = 0.8 }}
{extra}
"#
    )
}

/// Everyone takes part every cycle, and taking part prevents death (rr 0);
/// €120 per participant-year and €1,200 a year fixed.
const NOBODY_DIES: &str = r#"
[[intervention]]
name = "zorg"
reach = { share = 1.0 }
[[intervention.effect]]
chain = "leven"
from = "alive"
to = "dead"
rr = 0.0
[intervention.costs]
per_participant = [ { amount = 120, funder = "gemeente" } ]
fixed = [ { amount = 1200, funder = "gemeente" } ]
[[scenario]]
name = "s"
interventions = ["zorg"]
"#;

#[test]
fn monthly_closed_cohort_life_years_and_discounting_match_the_closed_form() {
    let (n, p, h) = (1000.0, 0.02, 24);
    let m = model(&cohort(n, p, h, "cycle_length = \"month\"", NOBODY_DIES));
    assert_eq!(m.settings.cycle_length, 1.0 / 12.0);
    let r = run(&m, Mode::Cohort);
    let s = 1.0 - p;
    // Alive at the start of month t: n s^t; life-years of the month n s^t / 12.
    // Calendar year y sums months 12y .. 12y + 11: n/12 · s^(12y) (1 − s^12) / p.
    assert_eq!(r.arms[0].n_years, 2, "two calendar years of monthly rows");
    for y in 0..2 {
        let want = n / 12.0 * s.powi(12 * y) * (1.0 - s.powi(12)) / p;
        let got = r.arms[0].get(0, y as usize, ledger::LIFE_YEARS);
        assert!((got - want).abs() < 1e-9, "year {y}: life-years {got} vs {want}");
        let ml = MeasureLayout::new(&m);
        let qaly = r.arms[0].get(0, y as usize, ml.outcome[0]);
        assert!((qaly - 0.8 * want).abs() < 1e-9, "year {y}: QALYs {qaly} vs {}", 0.8 * want);
        // The stocks at the year's edges: n s^(12y) at its start, n s^(12y+12) at its end.
        let start = r.arms[0].get(0, y as usize, ledger::POP_START);
        let end = r.arms[0].get(0, y as usize, ledger::POP_END);
        assert!((start - n * s.powi(12 * y)).abs() < 1e-9 && (end - n * s.powi(12 * y + 12)).abs() < 1e-9);
        // Everyone alive takes part every month: 12 participant-months of n each in the scenario.
        let parts = r.arms[1].get(0, y as usize, ml.participants[0]);
        assert!((parts - 12.0 * n).abs() < 1e-9, "participant-cycles {parts}");
    }
    // The scenario keeps everyone alive: gained life-years n/12 Σ_t (1 − s^t),
    // discounted at v^t with v = 1.03^(−1/12) (the yearly rate, per month).
    let v = 1.03f64.powf(-1.0 / 12.0);
    let geo = |x: f64| (1.0 - x.powi(h as i32)) / (1.0 - x);
    let gained = n / 12.0 * (h as f64 - geo(s));
    let gained_pv = n / 12.0 * (geo(v) - geo(s * v));
    let got = metric(&m, &r, business::LIFE_YEARS_GAINED);
    assert!((got - gained).abs() < 1e-8, "life-years gained {got} vs {gained}");
    let got = metric(&m, &r, business::LIFE_YEARS_GAINED_PV);
    assert!((got - gained_pv).abs() < 1e-8, "discounted life-years gained {got} vs {gained_pv}");
    // €120 per participant-year is €10 per participant-month (n every month);
    // €1,200 a year fixed is €100 a month: 24 months.
    let costs = metric(&m, &r, business::INTERVENTION_COSTS_UNDISCOUNTED);
    assert!((costs - 24.0 * (10.0 * n + 100.0)).abs() < 1e-6, "intervention costs {costs}");
    let w = 1.04f64.powf(-1.0 / 12.0);
    let pv = metric(&m, &r, business::PV_INTERVENTION_COSTS);
    let want = (10.0 * n + 100.0) * geo(w);
    assert!((pv - want).abs() < 1e-6, "discounted intervention costs {pv} vs {want}");
}

#[test]
fn first_cycle_discounted_shifts_by_one_month() {
    let (n, p, h) = (500.0, 0.01, 18);
    let text = cohort(n, p, h, "cycle_length = \"month\"\nfirst_year_discounted = true", NOBODY_DIES);
    let m = model(&text);
    let r = run(&m, Mode::Cohort);
    let (s, v) = (1.0 - p, 1.03f64.powf(-1.0 / 12.0));
    // Σ_t n/12 (1 − s^t) v^(t+1)
    let want: f64 = (0..h).map(|t| n / 12.0 * (1.0 - s.powi(t as i32)) * v.powi(t as i32 + 1)).sum();
    let got = metric(&m, &r, business::LIFE_YEARS_GAINED_PV);
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    // 18 months: the last calendar year holds the 6 months simulated.
    assert_eq!(r.arms[0].n_years, 2);
    let want = n / 12.0 * s.powi(12) * (1.0 - s.powi(6)) / p;
    assert!((r.arms[0].get(0, 1, ledger::LIFE_YEARS) - want).abs() < 1e-9);
}

#[test]
fn a_constant_rate_gives_the_same_survival_at_whole_years_in_yearly_and_monthly_cycles() {
    let (n, rate) = (1000.0, 0.1f64);
    let yearly = model(&cohort(n, 1.0 - (-rate).exp(), 3, "", ""));
    let monthly = model(&cohort(n, 1.0 - (-rate / 12.0).exp(), 36, "cycle_length = \"month\"", ""));
    let (ry, rm) = (run(&yearly, Mode::Cohort), run(&monthly, Mode::Cohort));
    assert_eq!((ry.arms[0].n_years, rm.arms[0].n_years), (3, 3));
    for y in 0..3 {
        for q in [ledger::POP_START, ledger::POP_END, ledger::DEATHS] {
            let (a, b) = (ry.arms[0].get(0, y, q), rm.arms[0].get(0, y, q));
            assert!((a - b).abs() < 1e-9, "year {y}, quantity {q}: yearly {a} vs monthly {b}");
        }
        // And both equal n e^(−r(y+1)) at the end of year y.
        let want = n * (-rate * (y as f64 + 1.0)).exp();
        assert!((rm.arms[0].get(0, y, ledger::POP_END) - want).abs() < 1e-9);
    }
    // Background mortality: a one-year q becomes 1 − (1 − q)^(1/12) a month.
    let with_q = |t: &str| {
        t.replace(
            "[demography.gesloten]\nclosed = true",
            "[demography.gesloten]\nclosed = true\nmortality = [ { ages = \"0-100\", q = 0.05 } ]",
        )
    };
    let yearly = model(&with_q(&cohort(n, 0.0, 3, "", "")));
    let monthly = model(&with_q(&cohort(n, 0.0, 36, "cycle_length = \"month\"", "")));
    let (ry, rm) = (run(&yearly, Mode::Cohort), run(&monthly, Mode::Cohort));
    for y in 0..3 {
        let want = n * 0.95f64.powi(y as i32 + 1);
        let (a, b) = (ry.arms[0].get(0, y, ledger::POP_END), rm.arms[0].get(0, y, ledger::POP_END));
        assert!((a - want).abs() < 1e-9 && (b - want).abs() < 1e-9, "year {y}: {a}, {b} vs {want}");
    }
}

/// A cohort aged 40 and a chain that starts at 41: nobody is in its ages
/// until the end of the 12th month.
fn ageing_model(horizon: usize) -> Model {
    model(&cohort(
        100.0,
        0.0,
        horizon,
        "cycle_length = \"month\"",
        r#"
[[chain]]
name = "ouder"
kind = "indicator"
ages = "41-100"
states = ["a", "b"]
initial = [ { ages = "41-100", p = [0.25, 0.75] } ]
[[chain.transitions]]
matrix = [ [1, 0], [0, 1] ]
"#,
    ))
}

#[test]
fn ageing_happens_only_when_a_year_completes() {
    let m = ageing_model(30);
    let ml = MeasureLayout::new(&m);
    let led = &cycle_ledgers(&m)[0];
    assert_eq!(led.n_years, 30, "the simulation's ledger has a row per cycle");
    for t in 0..30 {
        // Person-years in the chain's ages: none before month 12, then 100/12 a month.
        let want = if t < 12 { 0.0 } else { 100.0 / 12.0 };
        let got = led.get(0, t, ml.chain_active[1]);
        assert!((got - want).abs() < 1e-12, "month {t}: {got} vs {want}");
        let b = led.get(0, t, ml.person_years[1][1]);
        assert!((b - 0.75 * want).abs() < 1e-12, "month {t}: state b {b}");
    }
    // The stochastic engine ages whole people at the same moment.
    let r = run(&m, Mode::Stochastic);
    assert_eq!(r.arms[0].n_years, 3);
    let active: Vec<f64> = (0..3).map(|y| r.arms[0].get(0, y, ml.chain_active[1])).collect();
    assert_eq!(active[0], 0.0, "{active:?}");
    assert!((active[1] - 100.0).abs() < 1e-9, "{active:?}");
    assert!((active[2] - 50.0).abs() < 1e-9, "{active:?}");
}

/// An open population: births, migration and background mortality.
fn open_model(cycle: &str, horizon: usize) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
cycle_length = {cycle}
cycle_correction = "half-cycle"
[demography.stad]
mortality = [ {{ ages = "0-59", q = 0.001 }}, {{ ages = "60-100", q = 0.02 }} ]
crude_birth_rate = 0.012
[[area]]
name = "wijk"
demography = "stad"
population = [ {{ ages = "0-100", count = 10100 }} ]
net_migration = [ {{ ages = "20-29", count = 120 }}, {{ ages = "70-79", count = -24 }} ]
[[chain]]
name = "eenzaam"
kind = "indicator"
ages = "18-100"
states = ["nee", "ja"]
initial = [ {{ ages = "18-100", p = [0.8, 0.2] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.01], [0.03, "rest"] ]
[[chain]]
name = "zorg"
kind = "care"
ages = "65-100"
states = ["geen", "thuis", "dood"]
death_states = ["dood"]
initial = [ {{ ages = "65-100", p = [0.9, 0.1, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.004, 0.001], [0.002, "rest", 0.005], [0, 0, 1] ]
[[risk_factor]]
chain = "zorg"
from = "geen"
to = "thuis"
rr = 1.8
when = "eenzaam.ja"
[[intervention]]
name = "ontmoeten"
target = ["eenzaam.ja"]
reach = {{ share = 0.05 }}
ramp_up = [0.5, 1.0]
persistence = {{ years = 1, drop_off = 0.4 }}
[[intervention.effect]]
chain = "eenzaam"
from = "ja"
to = "nee"
rr = 1.5
[[scenario]]
name = "s"
interventions = ["ontmoeten"]
"#
    )
}

#[test]
fn births_and_migration_per_year_become_per_cycle() {
    // Closed to deaths (q 0) and ageing-free within the first year: the
    // population grows by 1 + 0.012/12 a month from births, plus 10 arrivals
    // and minus 2 departures a month.
    let text = open_model("\"month\"", 12)
        .replace(
            "mortality = [ { ages = \"0-59\", q = 0.001 }, { ages = \"60-100\", q = 0.02 } ]",
            "mortality = \"none\"",
        )
        .replace("death_states = [\"dood\"]\n", "")
        .replace(
            "[ [\"rest\", 0.004, 0.001], [0.002, \"rest\", 0.005], [0, 0, 1] ]",
            "[ [\"rest\", 0.004, 0.0], [0.002, \"rest\", 0.0], [0, 0, 1] ]",
        );
    let m = model(&text);
    let led = &cycle_ledgers(&m)[0];
    let mut pop = 10100.0;
    for t in 0..12 {
        assert!((led.get(0, t, ledger::POP_START) - pop).abs() < 1e-8, "month {t}");
        assert!((led.get(0, t, ledger::ARRIVALS) - 10.0).abs() < 1e-12, "month {t}");
        assert!((led.get(0, t, ledger::DEPARTURES) - 2.0).abs() < 1e-12, "month {t}");
        pop += 8.0;
        let births = 0.012 / 12.0 * pop;
        assert!((led.get(0, t, ledger::BIRTHS) - births).abs() < 1e-8, "month {t}");
        pop += births;
    }
}

#[test]
fn fast_cohort_engine_equals_the_reference_with_monthly_and_other_cycles() {
    for (cycle, horizon) in [("\"month\"", 30), ("0.5", 7), ("0.3", 9)] {
        let m = model(&open_model(cycle, horizon));
        let plan = Plan::new(&m).unwrap();
        let p = params::sample_draw(&m.params, 3, 0);
        let want = wijkimpact::sim::cohort_counts(&m, &plan, &p, true, false);
        for reuse in [true, false] {
            let got = wijkimpact::sim::cohort_counts(&m, &plan, &p, false, reuse);
            for (arm, (g, w)) in got.iter().zip(&want).enumerate() {
                let bad = g.data.iter().zip(&w.data).position(|(x, y)| x.to_bits() != y.to_bits());
                assert!(bad.is_none(), "cycle {cycle}, arm {arm}, reuse {reuse}: count {bad:?} differs");
            }
        }
    }
}

#[test]
fn monthly_stochastic_agrees_with_cohort_in_expectation() {
    let m = model(&cohort(400.0, 0.03, 24, "cycle_length = \"month\"", ""));
    let draws = 400;
    let ctx = RunContext::new(&m).unwrap();
    let end: Vec<f64> = (0..draws)
        .map(|d| {
            run_draw(&ctx, &RunOptions::new(5, 1, Mode::Stochastic), d).unwrap().arms[0].get(0, 1, ledger::POP_END)
        })
        .collect();
    let mean = end.iter().sum::<f64>() / draws as f64;
    let pb = 0.97f64.powi(24);
    let mcse = (400.0 * pb * (1.0 - pb) / draws as f64).sqrt();
    assert!((mean - 400.0 * pb).abs() < 4.0 * mcse, "{mean} vs {}", 400.0 * pb);
}

#[test]
fn yearly_cycle_length_changes_nothing() {
    let text = open_model("\"year\"", 6);
    let with = run(&model(&text), Mode::Cohort);
    let without = run(&model(&text.replace("cycle_length = \"year\"\n", "")), Mode::Cohort);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&with.metrics), bits(&without.metrics));
    assert_eq!(bits(&with.arms[1].data), bits(&without.arms[1].data));
    let one = run(&model(&text.replace("\"year\"", "1.0")), Mode::Cohort);
    assert_eq!(bits(&one.metrics), bits(&without.metrics));
}

#[test]
fn persistence_and_drop_off_are_converted_to_cycles() {
    let m = model(&open_model("\"month\"", 24));
    assert_eq!(m.interventions[0].persistence_cycles, 12);
    assert_eq!(m.interventions[0].persistence_years, 1);
    // Drop-off 0.4 a year is 1 − 0.6^(1/12) a month, so 12 months after
    // participation the strength is 0.6.
    let mut w = wijkimpact::sim::Warnings::default();
    let vals = wijkimpact::sim::realise::realise(&m, &params::sample_draw(&m.params, 1, 0), &mut w);
    let s12 = vals.interventions[0].strength(12);
    assert!((s12 - 0.6).abs() < 1e-12, "{s12}");
}

#[test]
fn after_horizon_flow_is_a_year_of_monthly_flows() {
    // Care costs €1,200 a year in state b; the scenario keeps everyone in a.
    let text = |cycle: &str, h: usize, p: f64| {
        format!(
            r#"
[model]
start_year = 2025
horizon = {h}
cycle_length = {cycle}
after_horizon = "decay"
after_horizon_drop_off = 0.5
discount_rate_costs = 0.0
[demography.gesloten]
closed = true
[[area]]
name = "c"
demography = "gesloten"
population = [ {{ ages = "40", count = 100 }} ]
[[chain]]
name = "x"
kind = "care"
states = ["a", "b"]
initial = [ {{ ages = "0-100", p = [0.0, 1.0] }} ]
[[chain.transitions]]
matrix = [ [1, 0], [{p}, "rest"] ]
[chain.state.b]
costs = [ {{ amount = 1200, funder = "gemeente" }} ]
[[intervention]]
name = "i"
reach = {{ share = 1.0 }}
[[intervention.effect]]
chain = "x"
shift = {{ from = "b", to = "a", share = 1.0 }}
[[intervention]]
name = "start"
reach = {{ share = 0.0 }}
start_year = 2025
end_year = 2025
[intervention.costs]
fixed = [ {{ amount = 145000, funder = "gemeente" }} ]
[[scenario]]
name = "s"
interventions = ["i", "start"]
"#
        )
    };
    // Nobody leaves b in the nulalternatief: €120,000 a year avoided, €10,000 a month.
    let m = model(&text("\"month\"", 24, 0.0));
    let r = run(&m, Mode::Cohort);
    let flow = metric(&m, &r, business::FLOW_AT_HORIZON);
    assert!((flow - 120_000.0).abs() < 1e-6, "flow at horizon {flow}");
    // Tail (costs rate 0): B · Σ_{k=1..50} 0.5^k.
    let tail = 120_000.0 * (1.0 - 0.5f64.powi(50));
    let got = metric(&m, &r, business::PV_AFTER_HORIZON);
    assert!((got - tail).abs() < 1e-6, "after horizon {got} vs {tail}");
    // Break-even: €145,000 spent over 2025 (€12,083 a month), €10,000 a month
    // avoided from the second month on: the cumulative net is −35,000 at the
    // end of 2025, −5,000 after March 2026 and +5,000 after April 2026.
    assert_eq!(metric(&m, &r, business::BREAK_EVEN_YEAR), 2026.0);
    // Half-year cycles: −72,500, −85,000, −25,000, +35,000: from the second
    // half of 2026, the calendar year of that cycle.
    let m = model(&text("0.5", 4, 0.0));
    let r = run(&m, Mode::Cohort);
    assert_eq!(metric(&m, &r, business::BREAK_EVEN_YEAR), 2026.0);
    assert!((metric(&m, &r, business::FLOW_AT_HORIZON) - 120_000.0).abs() < 1e-6);
}

/// The single error of `text`: (line, column, field, reason).
fn error(text: &str) -> (usize, usize, String, String) {
    let e = common::single_load_error("test.toml", text);
    (e.line, e.column, e.field, e.reason)
}

#[test]
fn bad_cycle_lengths_are_errors_at_their_place() {
    for (value, says) in [
        ("2", "longer than a year"),
        ("0", "must be positive"),
        ("-0.5", "must be positive"),
        ("\"fortnight\"", "unknown cycle_length \"fortnight\""),
        ("{ dist = \"uniform\", low = 0.1, high = 0.2 }", "fixed, not uncertain"),
    ] {
        let text = cohort(10.0, 0.1, 12, &format!("cycle_length = {value}"), "");
        let (line, col, field, reason) = error(&text);
        let want_line = text.lines().position(|l| l.starts_with("cycle_length")).unwrap() + 1;
        assert_eq!((line, col, field.as_str()), (want_line, 16, "model.cycle_length"), "{value}: {reason}");
        assert!(reason.contains(says) && reason.contains("\"month\""), "{value}: {reason}");
    }
}

#[test]
fn horizon_is_bounded_by_a_hundred_years_of_cycles() {
    let ok = model(&cohort(10.0, 0.1, 1200, "cycle_length = \"month\"", ""));
    assert_eq!((ok.settings.horizon, ok.settings.n_years()), (1200, 100));
    let text = cohort(10.0, 0.1, 1201, "cycle_length = \"month\"", "");
    let (line, col, field, reason) = error(&text);
    assert_eq!((line, col, field.as_str()), (4, 11, "model.horizon"));
    assert!(reason.contains("between 1 and 1200"), "{reason}");
    let (_, _, field, reason) = error(&cohort(10.0, 0.1, 5201, "cycle_length = 0.001", ""));
    assert_eq!(field, "model.horizon");
    assert!(reason.contains("between 1 and 5200"), "{reason}");
}

#[test]
fn persistence_beyond_the_tracked_cycles_is_an_error() {
    let text = cohort(
        10.0,
        0.1,
        12,
        "cycle_length = \"week\"",
        "[[intervention]]\nname = \"i\"\nreach = { share = 0.1 }\npersistence = { years = 5 }\n",
    );
    let (line, col, field, reason) = error(&text);
    let want_line = text.lines().position(|l| l.starts_with("persistence")).unwrap() + 1;
    assert_eq!((line, col, field.as_str()), (want_line, 25, "intervention.i.persistence.years"));
    assert!(reason.contains("261 model cycles") && reason.contains("at most 250"), "{reason}");
}
