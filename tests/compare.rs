//! Scenarios compared with each other (ranking, A − B per draw), PM-posten and
//! interventions in the nulalternatief, checked against the per-draw output
//! read back and against what the model must give by construction.

mod common;

use std::collections::HashMap;

use wijkimpact::business;
use wijkimpact::ledger::MeasureLayout;
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run_draw, DrawResult, RunContext, RunOptions};
use wijkimpact::scenario;

/// A closed cohort with one care chain a → b whose entry rate is uncertain,
/// the interventions `a`, `b` (relative risks, per-participant costs), `noop`
/// (reaches nobody, costs nothing) and `y` (a relative risk and a fixed
/// yearly cost); then `extra` (scenarios, `[nulalternatief]`).
fn model_text(extra: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = 8
funders = ["gemeente"]
[taakvelden]
"6.1" = "Samenkracht"
"6.71" = "Maatwerk 18+"
[parameters]
p = {{ dist = "beta", mean = 0.1, sd = 0.03 }}
rr_a = {{ dist = "lognormal", mean = 0.7, sd = 0.1 }}
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "x"
kind = "care"
states = ["a", "b"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", "p"], [0.2, "rest"] ]
[chain.state.b]
costs = [ {{ amount = 1000, funder = "gemeente", taakveld = "6.71" }} ]

[[intervention]]
name = "a"
reach = {{ share = 0.3 }}
pm = ["schoolresultaten", "overgewicht bij peuters"]
[[intervention.effect]]
chain = "x"
from = "a"
to = "b"
rr = "rr_a"
[intervention.costs]
per_participant = [ {{ amount = 100, funder = "gemeente", taakveld = "6.1" }} ]

[[intervention]]
name = "b"
reach = {{ share = 0.5 }}
pm = ["overgewicht bij peuters", "minder eenzaamheid"]
[[intervention.effect]]
chain = "x"
from = "a"
to = "b"
rr = 0.9
[intervention.costs]
per_participant = [ {{ amount = 50, funder = "gemeente", taakveld = "6.1" }} ]

[[intervention]]
name = "noop"
reach = {{ share = 0.0 }}

[[intervention]]
name = "y"
reach = {{ share = 0.2 }}
[[intervention.effect]]
chain = "x"
from = "a"
to = "b"
rr = 0.8
[intervention.costs]
fixed = [ {{ amount = 5000, funder = "gemeente", taakveld = "6.1" }} ]
{extra}
"#
    )
}

const THREE: &str = r#"
[[scenario]]
name = "alleen-a"
interventions = ["a"]
[[scenario]]
name = "alleen-b"
interventions = ["b"]
pm = ["minder eenzaamheid", "buurtcohesie"]
[[scenario]]
name = "beide"
interventions = ["a", "b"]
"#;

fn draw(m: &Model, mode: Mode, seed: u64, d: u64) -> DrawResult {
    let ctx = RunContext::new(m).expect("plan");
    run_draw(&ctx, &RunOptions::new(seed, 1, mode), d).expect("draw")
}

/// Write the model text to a file in `dir` and run it (CSV tables, no sensitivity).
fn run_cli(dir: &std::path::Path, text: &str, draws: u32) -> std::path::PathBuf {
    let file = dir.join("vergelijk.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("run");
    common::run(&file, &["--draws", &draws.to_string(), "--seed", "11", "--format", "csv", "--no-sensitivity"], &out)
        .success();
    out
}

/// `draws.csv` read back: (scenario, area, metric) → the values in draw order.
fn draws_csv(out: &std::path::Path) -> HashMap<(String, String, String), Vec<f64>> {
    let mut r = csv::Reader::from_path(out.join("draws.csv")).unwrap();
    let mut map: HashMap<_, Vec<f64>> = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let v: f64 = rec[4].parse().unwrap_or(f64::NAN);
        map.entry((rec[1].to_string(), rec[2].to_string(), rec[3].to_string())).or_default().push(v);
    }
    map
}

/// Type-7 quantile of sorted values (R's default), written out here.
fn type7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[test]
fn difference_statistics_equal_those_of_the_per_draw_differences_read_back() {
    let dir = common::tmpdir();
    let out = run_cli(dir.path(), &model_text(THREE), 300);
    let draws = draws_csv(&out);
    let summary = common::json(&out.join("summary.json"));
    let diffs = summary["differences"].as_array().unwrap();
    let table = comparisons_csv(&out);
    let pairs: Vec<(&str, &str)> = diffs.iter().map(|d| (d["a"].as_str().unwrap(), d["b"].as_str().unwrap())).collect();
    assert_eq!(pairs, [("alleen-a", "alleen-b"), ("alleen-a", "beide"), ("alleen-b", "beide")], "file order");
    for d in diffs {
        let (a, b) = (d["a"].as_str().unwrap(), d["b"].as_str().unwrap());
        let keys: Vec<&String> = d["metrics"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "npv",
                "npv_societal",
                "pv_benefits",
                "pv_intervention_costs",
                "pv_net/gemeente/6.1",
                "pv_net/gemeente/6.71"
            ]
        );
        for metric in keys {
            let col = |s: &str| &draws[&(s.to_string(), "totaal".to_string(), metric.clone())];
            let x: Vec<f64> = col(a).iter().zip(col(b)).map(|(u, v)| u - v).collect();
            assert_eq!(x.len(), 300);
            let st = &d["metrics"][metric];
            // The mean, pushed draw by draw (Welford's update), is the same double.
            let mut mean = 0.0;
            for (i, v) in x.iter().enumerate() {
                mean += (v - mean) / (i + 1) as f64;
            }
            // (Read from comparisons.csv: Rust parses its shortest round-trip text
            // back to the same double; serde_json's default parser may be 1 ulp off.)
            assert_eq!(
                table[&(a.to_string(), b.to_string(), metric.clone(), "mean".to_string())],
                mean,
                "{a} − {b} {metric}"
            );
            assert!((st["mean"].as_f64().unwrap() - mean).abs() <= 1e-12 * mean.abs().max(1.0));
            let naive = x.iter().sum::<f64>() / x.len() as f64;
            assert!((mean - naive).abs() <= 1e-9 * naive.abs().max(1.0));
            let mut sorted = x.clone();
            sorted.sort_by(f64::total_cmp);
            for (label, p) in [("p5", 0.05), ("p50", 0.5), ("p95", 0.95)] {
                let (got, want) = (st["quantiles"][label].as_f64().unwrap(), type7(&sorted, p));
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "{a} − {b} {metric} {label}: {got} vs {want}"
                );
            }
            let p_pos = x.iter().filter(|&&v| v > 0.0).count() as f64 / x.len() as f64;
            assert_eq!(st["p_positive"].as_f64().unwrap(), p_pos);
            let sd = (x.iter().map(|v| (v - naive).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt();
            assert!((st["mcse"].as_f64().unwrap() - sd / (x.len() as f64).sqrt()).abs() <= 1e-6 * sd.max(1.0));
        }
    }
}

/// The difference rows of `comparisons.csv`: (a, b, metric, statistic) → value.
fn comparisons_csv(out: &std::path::Path) -> HashMap<(String, String, String, String), f64> {
    let text = std::fs::read_to_string(out.join("comparisons.csv")).unwrap();
    assert!(text.starts_with("comparison,scenario_a,scenario_b,area,metric,statistic,value\n"), "{text}");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap())
        .filter(|rec| &rec[0] == "difference")
        .map(|rec| ((rec[1].into(), rec[2].into(), rec[4].into(), rec[5].into()), rec[6].parse().unwrap_or(f64::NAN)))
        .collect()
}

#[test]
fn p_best_sums_to_one_and_ranks_follow_the_draws() {
    let dir = common::tmpdir();
    let out = run_cli(dir.path(), &model_text(THREE), 200);
    let draws = draws_csv(&out);
    let summary = common::json(&out.join("summary.json"));
    let ranking = summary["ranking"].as_object().unwrap();
    let metrics: Vec<&String> = ranking.keys().collect();
    assert_eq!(metrics, ["npv", "npv_societal"]);
    for (metric, r) in ranking {
        let entries = r["scenarios"].as_array().unwrap();
        assert_eq!(entries.len(), 3);
        let total: f64 = entries.iter().map(|e| e["p_best"].as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-12, "{metric}: P(best) sums to {total}");
        let ranks: f64 = entries.iter().map(|e| e["mean_rank"].as_f64().unwrap()).sum();
        assert!((ranks - 6.0).abs() < 1e-9, "mean ranks of 3 scenarios sum to 1 + 2 + 3");
        let means: Vec<f64> = entries.iter().map(|e| e["mean"].as_f64().unwrap()).collect();
        assert!(means.windows(2).all(|w| w[0] >= w[1]), "ordered by mean: {means:?}");
        // P(best) recounted from draws.csv.
        for e in entries {
            let s = e["scenario"].as_str().unwrap();
            let col = |s: &str| draws[&(s.to_string(), "totaal".to_string(), metric.clone())].clone();
            let others: Vec<Vec<f64>> =
                ["alleen-a", "alleen-b", "beide"].iter().filter(|&&o| o != s).map(|o| col(o)).collect();
            let mine = col(s);
            let best = (0..mine.len()).filter(|&i| others.iter().all(|o| mine[i] > o[i])).count();
            assert_eq!(e["p_best"].as_f64().unwrap(), best as f64 / mine.len() as f64, "{metric} {s}");
            // The mean is the scenario's own summary mean.
            let own = summary["scenarios"][s]["areas"]["totaal"]["metrics"][metric]["mean"].as_f64().unwrap();
            assert_eq!(e["mean"].as_f64().unwrap(), own);
        }
    }
}

#[test]
fn a_scenario_against_itself_differs_by_zero_in_every_draw() {
    let same = r#"
[[scenario]]
name = "eerste"
interventions = ["a", "b"]
[[scenario]]
name = "tweede"
interventions = ["a", "b"]
"#;
    let dir = common::tmpdir();
    let out = run_cli(dir.path(), &model_text(same), 40);
    let summary = common::json(&out.join("summary.json"));
    let d = &summary["differences"][0];
    for (metric, st) in d["metrics"].as_object().unwrap() {
        assert_eq!(st["mean"].as_f64(), Some(0.0), "{metric}");
        assert_eq!(st["sd"].as_f64(), Some(0.0), "{metric}");
        assert_eq!(st["p_positive"].as_f64(), Some(0.0), "{metric}: A − B > 0 never");
        for (_, q) in st["quantiles"].as_object().unwrap() {
            assert_eq!(q.as_f64(), Some(0.0), "{metric}");
        }
    }
    // Ties split P(best) equally; both share ranks 1 and 2.
    for e in summary["ranking"]["npv"]["scenarios"].as_array().unwrap() {
        assert_eq!(e["p_best"].as_f64(), Some(0.5));
        assert_eq!(e["mean_rank"].as_f64(), Some(1.5));
    }
}

#[test]
fn one_scenario_has_no_ranking_and_no_differences() {
    let one = "[[scenario]]\nname = \"enige\"\ninterventions = [\"a\"]\n";
    let dir = common::tmpdir();
    let out = run_cli(dir.path(), &model_text(one), 5);
    let summary = common::json(&out.join("summary.json"));
    assert_eq!(summary["ranking"], serde_json::json!({}));
    assert_eq!(summary["differences"], serde_json::json!([]));
    let text = std::fs::read_to_string(out.join("comparisons.csv")).unwrap();
    assert_eq!(text, "comparison,scenario_a,scenario_b,area,metric,statistic,value\n");
}

#[test]
fn a_baseline_intervention_cancels_in_the_business_case_but_is_paid_in_the_nulalternatief() {
    // Scenario `x` adds nothing that acts to the nulalternatief's `y`.
    let text = model_text(
        r#"
[nulalternatief]
description = "y gaat hoe dan ook door"
interventions = ["y"]
[[scenario]]
name = "x"
interventions = ["noop"]
[[scenario]]
name = "met-a"
interventions = ["a"]
"#,
    );
    let m = common::model_from_str("baseline.toml", &text);
    assert_eq!(m.baseline_interventions, [3]);
    assert_eq!(m.arm_interventions(1), [3, 0], "baseline first, then the scenario's own");
    let ctx = RunContext::new(&m).unwrap();
    let ml = MeasureLayout::new(&m);
    let total = ctx.n_area_slots() - 1;
    for (mode, d) in (0..10).map(|d| (Mode::Cohort, d)).chain((0..10).map(|d| (Mode::Stochastic, d))) {
        let r = draw(&m, mode, 5, d);
        for slot in [0, total] {
            let at = |metric: usize| r.metrics[ctx.metric_index(0, slot, metric)];
            assert_eq!(at(business::NPV), 0.0, "draw {d}: NPV of x");
            assert_eq!(at(business::PV_BENEFITS), 0.0, "draw {d}: benefits of x");
            assert_eq!(at(business::PV_INTERVENTION_COSTS), 0.0, "draw {d}: costs of x");
            assert_eq!(at(business::PARTICIPANTS), 0.0, "x's own intervention reaches nobody");
        }
        // The nulalternatief pays y's fixed cost every year; so does every scenario.
        let acc = m.accounts.iter().position(|a| m.taakvelden[a.taakveld.unwrap()].code == "6.1").unwrap();
        for t in 0..m.settings.horizon {
            assert_eq!(r.arms[0].get(0, t, ml.intervention_cost[acc]), 5000.0, "year {t}");
            assert!(r.arms[0].get(0, t, ml.participants[3]) > 0.0, "y reaches people in the nulalternatief");
        }
        // `met-a` counts only a's participants, not y's.
        let a_parts: f64 = (0..m.settings.horizon).map(|t| r.arms[2].get(0, t, ml.participants[0])).sum();
        assert_eq!(r.metrics[ctx.metric_index(1, 0, business::PARTICIPANTS)], a_parts);
    }
}

#[test]
fn baseline_interventions_change_nothing_for_a_file_without_them() {
    let with = common::model_from_str("a.toml", &model_text(THREE));
    assert!(with.baseline_interventions.is_empty() && with.baseline_description.is_empty());
    for s in 0..3 {
        assert_eq!(with.arm_interventions(s), with.scenarios[s].interventions);
    }
}

#[test]
fn pm_items_merge_the_scenarios_own_with_its_interventions_each_once() {
    let m = common::model_from_str("pm.toml", &model_text(THREE));
    assert_eq!(m.scenario_pm(0), ["schoolresultaten", "overgewicht bij peuters"]);
    assert_eq!(m.scenario_pm(1), ["minder eenzaamheid", "buurtcohesie", "overgewicht bij peuters"]);
    assert_eq!(m.scenario_pm(2), ["schoolresultaten", "overgewicht bij peuters", "minder eenzaamheid"]);
    let dir = common::tmpdir();
    let out = run_cli(dir.path(), &model_text(THREE), 3);
    let summary = common::json(&out.join("summary.json"));
    assert_eq!(
        summary["scenarios"]["alleen-b"]["pm"],
        serde_json::json!(["minder eenzaamheid", "buurtcohesie", "overgewicht bij peuters"])
    );
    assert_eq!(summary["nulalternatief"]["interventions"], serde_json::json!([]));
}

#[test]
fn outcomes_without_a_valuation_are_pm_items_after_the_named_ones() {
    // Two outcomes, only `qaly` valued: `wellby` is counted in units but not in euros.
    let valued = |v: &str| {
        model_text(THREE).replacen(
            "funders = [\"gemeente\"]",
            &format!("funders = [\"gemeente\"]\noutcomes = [\"qaly\", \"wellby\"]\n{v}"),
            1,
        )
    };
    let text = valued("") + "[valuation]\nqaly = 60000\n";
    let m = common::model_from_str("pm.toml", &text);
    assert_eq!(m.scenario_pm(0), ["schoolresultaten", "overgewicht bij peuters", "wellby"]);
    let both = valued("") + "[valuation]\nqaly = 60000\nwellby = 15000\n";
    assert_eq!(
        common::model_from_str("pm.toml", &both).scenario_pm(0),
        ["schoolresultaten", "overgewicht bij peuters"]
    );
}

/// The single error of `extra` added to the model text: (line, column, field, reason).
fn single_error(extra: &str) -> (usize, usize, String, String) {
    let text = model_text(extra);
    let errs = match scenario::load_str("fout.toml", &text) {
        Ok(_) => panic!("loaded without errors"),
        Err(e) => e,
    };
    assert_eq!(errs.len(), 1, "{errs}");
    let e = &errs.0[0];
    (e.line, e.column, e.field.clone(), e.reason.clone())
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn scenario_repeating_a_baseline_intervention_is_reported_at_its_name() {
    let extra =
        "[nulalternatief]\ninterventions = [\"y\"]\n[[scenario]]\nname = \"dubbel\"\ninterventions = [\"a\", \"y\"]\n";
    let (line, column, field, reason) = single_error(extra);
    assert_eq!(line, line_of(&model_text(extra), "interventions = [\"a\", \"y\"]"));
    assert_eq!(column, 23);
    assert_eq!(field, "scenario.dubbel.interventions[1]");
    assert!(reason.contains("`y` is in the nulalternatief"), "{reason}");
}

#[test]
fn unknown_intervention_in_the_nulalternatief_is_reported_with_the_known_ones() {
    let extra =
        "[nulalternatief]\ninterventions = [\"renovatie\"]\n[[scenario]]\nname = \"s\"\ninterventions = [\"a\"]\n";
    let (line, column, field, reason) = single_error(extra);
    assert_eq!(line, line_of(&model_text(extra), "interventions = [\"renovatie\"]"));
    assert_eq!(column, 18);
    assert_eq!(field, "nulalternatief.interventions[0]");
    assert!(reason.contains("unknown intervention `renovatie`"), "{reason}");
    assert!(reason.contains("a, b, noop, y"), "{reason}");
}

#[test]
fn pm_item_listed_twice_is_reported() {
    let extra = "[[scenario]]\nname = \"s\"\ninterventions = [\"a\"]\npm = [\"x\", \"x\"]\n";
    let (_, _, field, reason) = single_error(extra);
    assert_eq!(field, "scenario.s.pm[1]");
    assert!(reason.contains("listed twice"), "{reason}");
}
