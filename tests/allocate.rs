//! `wijkimpact allocate`: the portfolio chosen over common draws, checked
//! against brute force on the engine's own draws, budgets, monotonicity,
//! equity weights, thread counts and bad input.

mod common;

use std::fs;
use std::path::Path;

use common::{json, tmpdir, wijkimpact};
use wijkimpact::allocate::evaluate::{self, EvalOptions};
use wijkimpact::allocate::{analyse, solve, validate};

/// Two stadsdelen with different need; chains `zorg` and `schuld` are independent.
/// Interventions `a` and `b` act on `zorg` (the same people: they interact), `c` on `schuld`.
const MODEL: &str = r#"[model]
start_year = 2025
horizon = 6
max_age = 100
funders = ["gemeente", "zorgverzekeraar"]
outcomes = ["qaly"]
[taakvelden]
"6.1" = "Samenkracht"
[parameters]
p_in = { dist = "beta", mean = 0.2, sd = 0.04 }
rr_a = { dist = "lognormal", ratio = 0.7, ci95 = [0.45, 1.05] }
rr_b = { dist = "lognormal", ratio = 0.8, ci95 = [0.6, 1.07] }
rr_c = { dist = "lognormal", ratio = 0.75, ci95 = [0.5, 1.1] }
c_a = { dist = "gamma", mean = 300, sd = 60 }
[valuation]
qaly = 20000
[demography.gesloten]
closed = true
[[area]]
name = "Oost"
demography = "gesloten"
population = [ { ages = "40", count = 2000 } ]
[[area]]
name = "West"
demography = "gesloten"
population = [ { ages = "40", count = 1500 } ]
[[chain]]
name = "zorg"
kind = "care"
states = ["geen", "zorg"]
initial = [ { ages = "0-100", p = [1, 0] } ]
[[chain.transitions]]
matrix = [ ["rest", "p_in"], [0.3, "rest"] ]
[chain.state.zorg]
costs = [ { amount = 1000, funder = "gemeente", taakveld = "6.1" } ]
outcomes = { qaly = -0.1 }
[[chain]]
name = "schuld"
kind = "care"
states = ["nee", "ja"]
initial = [ { ages = "0-100", p = [0.9, 0.1] } ]
[[chain.transitions]]
matrix = [ ["rest", 0.05], [0.3, "rest"] ]
[chain.state.ja]
costs = [ { amount = 800, funder = "zorgverzekeraar" } ]
outcomes = { qaly = -0.05 }
[[intervention]]
name = "a"
target = ["zorg.geen"]
reach = { participants = 200 }
start_year = 2025
end_year = 2029
effect = [ { chain = "zorg", from = "geen", to = "zorg", rr = "rr_a" } ]
[intervention.costs]
fixed = [ { amount = 5000, funder = "gemeente", taakveld = "6.1" } ]
per_participant = [ { amount = "c_a", funder = "gemeente", taakveld = "6.1" } ]
[[intervention]]
name = "b"
target = ["zorg.geen"]
reach = { participants = 300 }
start_year = 2025
end_year = 2029
effect = [ { chain = "zorg", from = "geen", to = "zorg", rr = "rr_b" } ]
[intervention.costs]
per_participant = [ { amount = 150, funder = "gemeente", taakveld = "6.1" } ]
[[intervention]]
name = "d"
target = ["zorg.zorg"]
reach = { participants = 100 }
start_year = 2025
end_year = 2029
effect = [ { chain = "zorg", from = "zorg", to = "geen", rr = 1.3 } ]
[intervention.costs]
per_participant = [ { amount = 100, funder = "gemeente", taakveld = "6.1" } ]
[[intervention]]
name = "c"
target = ["schuld.ja"]
reach = { participants = 100 }
start_year = 2026
end_year = 2030
effect = [ { chain = "schuld", from = "ja", to = "nee", rr = "rr_c" } ]
[intervention.costs]
per_participant = [ { amount = 400, funder = "zorgverzekeraar" } ]
"#;

/// A portfolio over [`MODEL`] (written next to it as `model.toml`).
fn portfolio(budget: f64, extra: &str) -> String {
    format!(
        r#"[portfolio]
name = "test"
model = "model.toml"
{extra}
[budget]
per_year = {budget}
frontier = [0, 20000, 40000, 60000, 80000, 120000, 200000]

[[option]]
intervention = "a"
scales = [100, 200]

[[option]]
intervention = "b"

[[option]]
intervention = "c"
"#
    )
}

const EQUITY: &str = r#"[equity]
indicator = "need"
source = "test"
need = { Oost = 1, West = 3 }
weights = [0, 1, 2]
weight = 2
"#;

fn write(dir: &Path, portfolio: &str) -> std::path::PathBuf {
    fs::write(dir.join("model.toml"), MODEL).unwrap();
    let p = dir.join("p.toml");
    fs::write(&p, portfolio).unwrap();
    p
}

fn allocate(file: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    wijkimpact()
        .arg("allocate")
        .arg(file)
        .args(["--draws", "60", "--seed", "3", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    json(&out.join("allocation.json"))
}

/// The options: a in two scales (one group) and b and c, in both areas = 8; a and b
/// reach the same people in each area (interacting pairs), c shares no block with them.
#[test]
fn options_pairs_and_additive_pairs_are_built_per_area() {
    let dir = tmpdir();
    let p = validate::load(&write(dir.path(), &portfolio(1e6, "")), Default::default()).unwrap();
    assert_eq!(p.candidates.len(), 8);
    // Pairs a(100)+b, a(200)+b per area are simulated; a+c and b+c add exactly.
    assert_eq!(p.pairs.len(), 4);
    assert_eq!(p.additive_pairs, 6);
    for q in &p.pairs {
        assert_eq!(p.candidates[q.i].area, p.candidates[q.j].area);
        assert_ne!(p.candidates[q.i].group, p.candidates[q.j].group);
    }
}

/// With uncertain values, the SAA choice equals brute force over all subsets on the same
/// (engine-simulated) draws, at several budgets and equity weights, for every objective.
#[test]
fn saa_choice_equals_brute_force_on_the_engines_draws() {
    let dir = tmpdir();
    let p = validate::load(&write(dir.path(), &portfolio(1e6, EQUITY)), Default::default()).unwrap();
    let ev =
        evaluate::evaluate(&p, &EvalOptions { draws: 80, seed: 11, threads: 0, mode: None }, &mut |_, _| {}).unwrap();
    for budget in [15000.0, 40000.0, 90000.0] {
        for eta in [0.0, 2.0] {
            let prob = analyse::problem_at(&p, &ev, eta, budget);
            for obj in [solve::Objective::Mean, solve::Objective::WelfarePerEuro] {
                let s = solve::solve(&prob, &obj).unwrap();
                let b = solve::brute_force(&prob, &obj);
                assert!(
                    (s.objective - b.objective).abs() <= 1e-9 * b.objective.abs().max(1.0),
                    "budget {budget}, eta {eta}, {obj:?}: solver {} vs brute force {}",
                    s.objective,
                    b.objective
                );
                assert!(solve::feasible(&prob, &s.chosen));
            }
            for obj in [solve::Objective::ProbabilityPositive, solve::Objective::LowerTail { share: 0.1 }] {
                let s = solve::solve(&prob, &obj).unwrap();
                let b = solve::brute_force(&prob, &obj);
                assert!(s.objective <= b.objective + 1e-9 * b.objective.abs().max(1.0));
                if let Some(bound) = s.bound {
                    assert!(
                        b.objective <= bound + 1e-9 * bound.abs().max(1.0),
                        "{obj:?}: bound {bound} below {}",
                        b.objective
                    );
                }
            }
        }
    }
}

/// Every portfolio keeps every year's mean cost within its budget, a larger budget is
/// never worse, and η = 0 gives the unweighted optimum.
#[test]
fn budgets_hold_more_budget_is_never_worse_and_eta_zero_is_unweighted() {
    let dir = tmpdir();
    let out = dir.path().join("o");
    let r = allocate(&write(dir.path(), &portfolio(60000.0, EQUITY)), &out, &[]);
    let within = |p: &serde_json::Value, budget: f64| {
        for c in p["cost_per_year"].as_array().unwrap() {
            assert!(c.as_f64().unwrap() <= budget * (1.0 + 1e-9) + 1e-9, "{c} over {budget}");
        }
    };
    within(&r["recommended"], 60000.0);
    let mut last = f64::NEG_INFINITY;
    for f in r["frontier"].as_array().unwrap() {
        let b = f["budget"].as_f64().unwrap();
        within(&f["portfolio"], b);
        let o = f["portfolio"]["objective"].as_f64().unwrap();
        assert!(o >= last - 1e-9 * o.abs().max(1.0), "objective fell from {last} to {o} at budget {b}");
        last = o;
    }
    // η = 0 in the sweep equals the portfolio of the same file without [equity].
    let out2 = dir.path().join("o2");
    let plain = allocate(&write(dir.path(), &portfolio(60000.0, "")), &out2, &[]);
    let eta0 = r["equity_sweep"].as_array().unwrap().iter().find(|e| e["eta"] == 0.0).unwrap();
    assert_eq!(eta0["portfolio"]["options"], plain["recommended"]["options"]);
    let (a, b) =
        (eta0["portfolio"]["objective"].as_f64().unwrap(), plain["recommended"]["objective"].as_f64().unwrap());
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0));
    // The weights: West has 3/mean need; with η = 2 its options weigh (3/mean)^2.
    let mean: f64 = (2000.0 * 1.0 + 1500.0 * 3.0) / 3500.0;
    let west = r["options"].as_array().unwrap().iter().find(|o| o["area"] == "West").unwrap();
    assert!((west["weight"].as_f64().unwrap() - (3.0 / mean).powi(2)).abs() < 1e-12);
    for f in ["options.csv", "frontier.csv", "equity.csv", "areas.csv", "allocation.html"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}

/// The same numbers on one thread and on four.
#[test]
fn the_same_choice_on_any_thread_count() {
    let dir = tmpdir();
    let file = write(dir.path(), &portfolio(60000.0, EQUITY));
    let mut one = allocate(&file, &dir.path().join("t1"), &["--threads", "1"]);
    let mut four = allocate(&file, &dir.path().join("t4"), &["--threads", "4"]);
    for r in [&mut one, &mut four] {
        r["run"]["command_line"] = serde_json::Value::Null;
    }
    assert_eq!(one, four);
}

/// Bad portfolios: a clear error with file, line, column and field, exit code 2, nothing written.
#[test]
fn bad_portfolios_name_file_line_and_field() {
    let cases: [(&str, &str, &str); 6] = [
        ("intervention = \"a\"", "intervention = \"zz\"", "option[0].intervention: unknown intervention \"zz\""),
        (
            "intervention = \"c\"",
            "intervention = \"c\"\nareas = [\"Noord\"]",
            "option[2].areas[0]: unknown area \"Noord\"",
        ),
        ("per_year = 1000", "per_year = -5", "budget.per_year: -5 is not allowed here"),
        ("name = \"test\"", "name = \"test\"\nobjective = \"max\"", "portfolio.objective: unknown objective \"max\""),
        ("scales = [100, 200]", "scales = [100, 0]", "option[0].scales[1]: 0 is not allowed here"),
        ("name = \"test\"", "name = \"test\"\nbogus = 1", "unknown key `bogus`"),
    ];
    for (from, to, want) in cases {
        let dir = tmpdir();
        let text = portfolio(1000.0, "").replacen(from, to, 1);
        let file = write(dir.path(), &text);
        let out = dir.path().join("o");
        let a = wijkimpact().arg("allocate").arg(&file).args(["--draws", "4", "--out"]).arg(&out).assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("p.toml:") && err.contains(want), "{want}: {err}");
        assert!(!out.join("allocation.json").exists());
    }
    // Missing need of an area.
    let dir = tmpdir();
    let file =
        write(dir.path(), &portfolio(1000.0, &EQUITY.replace("need = { Oost = 1, West = 3 }", "need = { Oost = 1 }")));
    let a = wijkimpact()
        .arg("allocate")
        .arg(&file)
        .args(["--draws", "4", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("equity.need") && err.contains("missing: West"), "{err}");
}

/// Singles plus simulated pairs are exact while no joint block holds three chosen
/// options; with a, b and d (all on `zorg`) in one area they are not, and the whole
/// portfolio is then simulated at once, on the same draws.
#[test]
fn three_options_in_one_block_are_flagged_and_simulated_whole() {
    let dir = tmpdir();
    let text = portfolio(1e6, "").replace(
        "[[option]]\nintervention = \"c\"",
        "[[option]]\nintervention = \"d\"\n\n[[option]]\nintervention = \"c\"",
    );
    let p = validate::load(&write(dir.path(), &text), Default::default()).unwrap();
    let pick =
        |names: &[&str]| -> Vec<bool> { p.candidates.iter().map(|c| names.contains(&c.name.as_str())).collect() };
    assert!(p.pairwise_exact(&pick(&["a Oost 100", "b Oost"])));
    assert!(p.pairwise_exact(&pick(&["a Oost 100", "b West", "d Oost", "c Oost"])));
    assert!(!p.pairwise_exact(&pick(&["a Oost 100", "b Oost", "d Oost"])));
    // The whole portfolio simulated equals singles + pairs when exact (here: a pair).
    let opts = EvalOptions { draws: 30, seed: 5, threads: 0, mode: None };
    let ev = evaluate::evaluate(&p, &opts, &mut |_, _| {}).unwrap();
    let chosen = pick(&["a Oost 100", "b Oost", "c West"]);
    let whole = evaluate::simulate_portfolio(&p, &chosen, &opts).unwrap().unwrap();
    let idx = |n: &str| p.candidates.iter().position(|c| c.name == n).unwrap();
    let pair = p.pairs.iter().position(|q| q.i == idx("a Oost 100") && q.j == idx("b Oost")).unwrap();
    for (d, w) in whole.iter().enumerate() {
        let singles = ev.candidates[idx("a Oost 100")].get(d, evaluate::NPV)
            + ev.candidates[idx("b Oost")].get(d, evaluate::NPV)
            + ev.candidates[idx("c West")].get(d, evaluate::NPV);
        let interaction = ev.pairs[pair].get(d, evaluate::NPV)
            - ev.candidates[idx("a Oost 100")].get(d, evaluate::NPV)
            - ev.candidates[idx("b Oost")].get(d, evaluate::NPV);
        let sum = singles + interaction;
        assert!((w - sum).abs() <= 1e-6 * sum.abs().max(1.0), "draw {d}: whole {w} vs singles + pair {sum}");
    }
}
