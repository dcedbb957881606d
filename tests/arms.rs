//! Per-arm results (`summary.json` `arms`, `arms.csv`): each arm's own totals
//! against a hand calculation, the differences of arms against the business
//! case's difference metrics, and `merge` of shards against one run.

mod common;

use std::fs;
use std::path::Path;

use common::{json, tmpdir, wijkimpact};
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{self, RunContext, RunOptions};
use wijkimpact::summary::{Summariser, Summary};

fn model(text: &str) -> Model {
    common::model_from_str("arms.toml", text)
}

/// Summarise `draws` draws of `m` (seed 3).
fn summarise(m: &Model, mode: Mode, draws: u64) -> Summary {
    let ctx = RunContext::new(m).expect("plan");
    let mut sum = Summariser::new(&ctx, &[0.05, 0.5, 0.95]).unwrap();
    runner::run(&ctx, &RunOptions::new(3, draws, mode), &mut sum, &mut |_| {}).expect("run");
    sum.finish()
}

/// A closed cohort of 1000 people aged 40 dying with probability 0.1 a year,
/// in a care chain a ⇄ b (a → b 0.1, b → a 0.3). State b costs the gemeente
/// 1000 and informal carers (shadow-priced) 300 a person-year and takes 0.2
/// QALY off the base 0.8. Scenario `s` adds a buurthuis costing the
/// gemeente 50,000 a year and changes nothing else.
fn cohort(horizon: usize, settings: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
funders = ["gemeente", "mantelzorgers"]
shadow_priced = ["mantelzorgers"]
outcomes = ["qaly"]
base_outcome = {{ qaly = 0.8 }}
discount_rate_costs = 0.03
discount_rate_effects = 0.015
{settings}
[taakvelden]
"6.1" = "Samenkracht"
[demography.gesloten]
closed = true
mortality = [ {{ ages = "0-100", q = 0.1 }} ]
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "x"
kind = "care"
ages = "0-100"
states = ["a", "b"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.1], [0.3, "rest"] ]
[chain.state.b]
costs = [ {{ amount = 1000, funder = "gemeente", taakveld = "6.1" }}, {{ amount = 300, funder = "mantelzorgers" }} ]
outcomes = {{ qaly = -0.2 }}
[[intervention]]
name = "buurthuis"
reach = {{ share = 0.0 }}
start_year = 2025
end_year = 2060
[intervention.costs]
fixed = [ {{ amount = 50000, funder = "gemeente", taakveld = "6.1" }} ]
[[scenario]]
name = "s"
interventions = ["buurthuis"]
"#
    )
}

/// The per-arm totals of the cohort, by hand: alive at the start of year t
/// N_t = 1000 · 0.9^t; in b (people move among survivors whatever their
/// state, so the share is the chain's own) B_t = N_t · π_t with
/// π_t = p/(p + q) · (1 − (1 − p − q)^t); person-years in year t are the
/// start count, or the mean of start and end with the half-cycle correction.
/// Returns (metric name, nulalternatief, scenario).
fn by_hand(horizon: usize, half_cycle: bool, first_year_discounted: bool) -> Vec<(&'static str, f64, f64)> {
    let (p, q) = (0.1, 0.3);
    let alive = |t: usize| 1000.0 * 0.9f64.powi(t as i32);
    let in_b = |t: usize| alive(t) * p / (p + q) * (1.0 - (1.0f64 - p - q).powi(t as i32));
    let years = |f: &dyn Fn(usize) -> f64, t: usize| if half_cycle { 0.5 * (f(t) + f(t + 1)) } else { f(t) };
    let shift = if first_year_discounted { 1 } else { 0 };
    let df = |r: f64, t: usize| (1.0 + r).powi(-((t + shift) as i32));
    let (rc, re) = (0.03, 0.015);
    let mut sums = [0.0f64; 12];
    for t in 0..horizon {
        let (ly, b) = (years(&alive, t), years(&in_b, t));
        let (care, carers, qaly, fixed) = (1000.0 * b, 300.0 * b, 0.8 * ly - 0.2 * b, 50_000.0);
        let flows = [care, carers, fixed, ly, qaly];
        let rates = [rc, rc, rc, re, re];
        for (k, (x, r)) in flows.iter().zip(rates).enumerate() {
            sums[2 * k] += x;
            sums[2 * k + 1] += x * df(r, t);
        }
    }
    let [care, care_pv, carers, carers_pv, fixed, fixed_pv, ly, ly_pv, qaly, qaly_pv, ..] = sums;
    vec![
        ("costs", care, care + fixed),
        ("costs_pv", care_pv, care_pv + fixed_pv),
        ("care_costs", care, care),
        ("care_costs_pv", care_pv, care_pv),
        ("intervention_costs", 0.0, fixed),
        ("intervention_costs_pv", 0.0, fixed_pv),
        ("life_years", ly, ly),
        ("life_years_pv", ly_pv, ly_pv),
        ("outcome/qaly", qaly, qaly),
        ("outcome_pv/qaly", qaly_pv, qaly_pv),
        ("costs/gemeente/6.1", care, care + fixed),
        ("costs_pv/gemeente/6.1", care_pv, care_pv + fixed_pv),
        ("costs/mantelzorgers", carers, carers),
        ("costs_pv/mantelzorgers", carers_pv, carers_pv),
    ]
}

#[test]
fn closed_cohort_arm_totals_match_the_hand_calculation() {
    for (half_cycle, first) in [(false, false), (true, false), (false, true), (true, true)] {
        let corr = if half_cycle { "half-cycle" } else { "none" };
        let settings = format!("cycle_correction = \"{corr}\"\nfirst_year_discounted = {first}");
        let horizon = 7;
        let s = summarise(&model(&cohort(horizon, &settings)), Mode::Cohort, 3);
        assert_eq!(s.arm_names, ["nulalternatief", "s"]);
        assert_eq!(s.areas, ["cohort", "totaal"]);
        let want = by_hand(horizon, half_cycle, first);
        // Every metric is checked, in layout order.
        assert_eq!(s.arm_metric_names, want.iter().map(|w| w.0).collect::<Vec<_>>());
        for (m, &(name, base, scen)) in want.iter().enumerate() {
            for (arm, x) in [(0, base), (1, scen)] {
                for slot in 0..2 {
                    let st = s.arm(arm, slot, m);
                    let ctx = format!("{corr}, first discounted {first}: {name} of arm {arm}, slot {slot}");
                    assert!((st.mean - x).abs() <= 1e-9 * x.abs().max(1.0), "{ctx}: {} vs {x}", st.mean);
                    // No uncertainty: every draw gives the same total.
                    assert_eq!((st.n, st.missing), (3, 0), "{ctx}");
                    assert!(st.sd.abs() <= 1e-9 * x.abs().max(1.0) && st.mcse <= st.sd, "{ctx}: sd {}", st.sd);
                    for qv in &st.quantiles {
                        assert!((qv - x).abs() <= 1e-9 * x.abs().max(1.0), "{ctx}: quantile {qv} vs {x}");
                    }
                }
            }
        }
    }
}

/// The nulalternatief's numbers checked once by plain arithmetic on a
/// two-year horizon, so the hand calculation above is not its own yardstick.
#[test]
fn two_year_totals_by_plain_arithmetic() {
    let s = summarise(&model(&cohort(2, "")), Mode::Cohort, 1);
    let get = |arm: usize, name: &str| s.arm(arm, 1, s.arm_metric_index(name).unwrap()).mean;
    // Year 0: 1000 alive, none in b. Year 1: 900 alive, 10 % of them moved to b: 90.
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    assert!(close(get(0, "life_years"), 1900.0));
    assert!(close(get(0, "life_years_pv"), 1000.0 + 900.0 / 1.015));
    assert!(close(get(0, "care_costs"), 90_000.0));
    assert!(close(get(0, "costs_pv"), 90_000.0 / 1.03));
    assert!(close(get(0, "costs_pv/mantelzorgers"), 27_000.0 / 1.03));
    assert!(close(get(0, "outcome/qaly"), 0.8 * 1900.0 - 0.2 * 90.0));
    assert!(close(get(0, "outcome_pv/qaly"), 800.0 + (0.8 * 900.0 - 18.0) / 1.015));
    assert!(close(get(1, "costs"), 90_000.0 + 100_000.0));
    assert!(close(get(1, "intervention_costs_pv"), 50_000.0 + 50_000.0 / 1.03));
}

/// Two areas, two funders (one shadow-priced), an outcome, a death state, a
/// risk factor, uncertain parameters and two scenarios whose effects change
/// care, outcomes and life-years.
fn rich(settings: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = 6
max_age = 40
funders = ["gemeente", "zorgverzekeraar", "mantelzorgers"]
shadow_priced = ["mantelzorgers"]
outcomes = ["qaly"]
base_outcome = {{ qaly = 0.9 }}
discount_rate_costs = 0.04
discount_rate_effects = 0.015
{settings}
[taakvelden]
"6.1" = "Samenkracht"
"6.71" = "Maatwerk 18+"
[parameters]
p_zorg = {{ dist = "beta", alpha = 8, beta = 92 }}
c_zorg = {{ dist = "gamma", mean = 4000, sd = 800 }}
rr_ontmoeting = {{ dist = "lognormal", mean = 1.8, sd = 0.3 }}
[demography.d]
mortality = [ {{ ages = "0-40", male = 0.01, female = 0.008 }} ]
crude_birth_rate = 0.02
[[area]]
name = "noord"
demography = "d"
population = [ {{ ages = "10-30", male = 300, female = 300 }} ]
[[area]]
name = "zuid"
demography = "d"
population = [ {{ ages = "15-25", male = 250, female = 200 }} ]
[[chain]]
name = "eenzaam"
kind = "indicator"
ages = "16-40"
states = ["nee", "ja"]
initial = [ {{ ages = "16-40", p = [0.7, 0.3] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.1], [0.25, "rest"] ]
[chain.state.ja]
outcomes = {{ qaly = -0.05 }}
costs = [ {{ amount = 200, funder = "mantelzorgers" }} ]
[[chain]]
name = "ggz"
kind = "care"
ages = "16-40"
states = ["geen", "zorg", "dood"]
death_states = ["dood"]
initial = [ {{ ages = "16-40", p = [0.9, 0.1, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", "p_zorg", 0.002], [0.3, "rest", 0.01], [0.0, 0.0, 1.0] ]
[chain.state.zorg]
costs = [ {{ amount = "c_zorg", funder = "zorgverzekeraar" }}, {{ amount = 500, funder = "gemeente", taakveld = "6.71" }} ]
[[chain.transition_cost]]
from = "geen"
to = "zorg"
costs = [ {{ amount = 300, funder = "gemeente", taakveld = "6.71" }} ]
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
reach = {{ share = 0.4 }}
ramp_up = [0.5, 1.0]
start_year = 2025
end_year = 2028
[[intervention.effect]]
chain = "eenzaam"
from = "ja"
to = "nee"
rr = "rr_ontmoeting"
[intervention.costs]
fixed = [ {{ amount = 2000, funder = "gemeente", taakveld = "6.1" }} ]
per_participant = [ {{ amount = 150, funder = "gemeente", taakveld = "6.1" }}, {{ amount = 20, funder = "mantelzorgers" }} ]
[[intervention]]
name = "preventie"
target = ["ggz.geen"]
reach = {{ share = 0.2 }}
start_year = 2026
end_year = 2030
[[intervention.effect]]
chain = "ggz"
from = "geen"
to = "zorg"
rr = 0.7
[intervention.costs]
per_participant = [ {{ amount = 90, funder = "zorgverzekeraar" }} ]
[[scenario]]
name = "ontmoeting"
interventions = ["ontmoeting"]
[[scenario]]
name = "beide"
interventions = ["ontmoeting", "preventie"]
"#
    )
}

/// When an identity between arms and the business case holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Holds {
    Always,
    WithoutSroi,
    UnderCut,
    UnderCutWithoutSroi,
}

/// For every scenario and area slot: (arm metric, business metric, sign,
/// when) such that mean(arm metric of the scenario) − mean(arm metric of the
/// nulalternatief) = sign · mean(business metric) (the table of
/// docs/outputs.md).
fn relations(s: &Summary) -> Vec<(String, String, f64, Holds)> {
    use Holds::*;
    let mut v: Vec<(String, String, f64, Holds)> = [
        ("intervention_costs", "intervention_costs_undiscounted", 1.0, Always),
        ("intervention_costs_pv", "pv_intervention_costs", 1.0, Always),
        ("life_years", "life_years_gained", 1.0, Always),
        ("life_years_pv", "life_years_gained_pv", 1.0, Always),
        ("care_costs", "benefits_undiscounted", -1.0, WithoutSroi),
        ("costs", "net_undiscounted", -1.0, WithoutSroi),
        ("outcome/qaly", "qaly_gained", 1.0, WithoutSroi),
        ("outcome_pv/qaly", "qaly_gained_pv", 1.0, WithoutSroi),
        ("care_costs_pv", "pv_benefits_gross", -1.0, UnderCut),
        ("care_costs_pv", "pv_benefits", -1.0, UnderCutWithoutSroi),
        ("costs_pv", "pv_net_cost", 1.0, UnderCutWithoutSroi),
    ]
    .iter()
    .map(|(a, b, k, h)| (a.to_string(), b.to_string(), *k, *h))
    .collect();
    for acc in ["gemeente/6.1", "gemeente/6.71", "zorgverzekeraar", "mantelzorgers"] {
        v.push((format!("costs_pv/{acc}"), format!("pv_net/{acc}"), -1.0, UnderCutWithoutSroi));
    }
    // Every relation names metrics that exist.
    for (a, b, _, _) in &v {
        assert!(s.arm_metric_index(a).is_some() && s.metric_index(b).is_some(), "{a} / {b}");
    }
    v
}

/// SROI corrections on both scenarios.
const SROI: &str = "sroi = { deadweight = 0.1, attribution = { dist = \"uniform\", low = 0.1, high = 0.3 } }";

#[test]
fn scenario_arm_minus_nulalternatief_equals_the_difference_metrics() {
    let decay = "after_horizon = \"decay\"\nafter_horizon_drop_off = 0.3";
    // (settings, SROI corrections, mode, draws)
    let cases = [
        ("", false, Mode::Cohort, 12),
        ("cycle_correction = \"half-cycle\"", false, Mode::Cohort, 12),
        ("cycle_correction = \"simpson\"\nfirst_year_discounted = true", false, Mode::Cohort, 12),
        ("cycle_correction = \"half-cycle\"", false, Mode::Stochastic, 6),
        ("", true, Mode::Cohort, 12),
        (decay, false, Mode::Cohort, 12),
        (decay, true, Mode::Cohort, 12),
    ];
    for (settings, sroi, mode, draws) in cases {
        let mut text = rich(settings);
        if sroi {
            text = text
                .replace("interventions = [\"ontmoeting\"]\n", &format!("interventions = [\"ontmoeting\"]\n{SROI}\n"));
            text = text.replace(
                "interventions = [\"ontmoeting\", \"preventie\"]\n",
                &format!("interventions = [\"ontmoeting\", \"preventie\"]\n{SROI}\n"),
            );
            assert_eq!(text.matches("sroi =").count(), 2);
        }
        let cut = !settings.contains("decay");
        let s = summarise(&model(&text), mode, draws);
        let (mut moved, mut checked) = (0, 0);
        for (a, b, sign, holds) in relations(&s) {
            let applies = match holds {
                Holds::Always => true,
                Holds::WithoutSroi => !sroi,
                Holds::UnderCut => cut,
                Holds::UnderCutWithoutSroi => cut && !sroi,
            };
            let (ia, ib) = (s.arm_metric_index(&a).unwrap(), s.metric_index(&b).unwrap());
            for sc in 0..2 {
                for slot in 0..s.areas.len() {
                    let arm = s.arm(1 + sc, slot, ia).mean - s.arm(0, slot, ia).mean;
                    let diff = sign * s.metric(sc, slot, ib).mean;
                    let scale = s.arm(0, slot, ia).mean.abs().max(1.0);
                    let ctx =
                        format!("{settings:?} sroi {sroi} {mode:?}: {a} vs {b}, scenario {sc}, {}", s.areas[slot]);
                    let equal = (arm - diff).abs() <= 1e-9 * scale;
                    if applies {
                        assert!(equal, "{ctx}: {arm} vs {diff}");
                        checked += 1;
                        moved += usize::from(diff.abs() > 1e-6 * scale);
                    } else if diff.abs() > 1e-6 * scale && !a.starts_with("costs_pv/") {
                        // Where it is documented not to hold, it does not (the corrections are
                        // real; an account without care costs has no benefits to correct).
                        assert!(!equal, "{ctx}: equal although documented not to be");
                    }
                }
            }
        }
        // The scenarios change most of these (the test is not 0 = 0).
        assert!(moved * 4 > checked * 3, "{settings:?} sroi {sroi}: only {moved} of {checked} differences are not 0");
        // The city total is the sum of the areas.
        for m in 0..s.arm_metric_names.len() {
            for arm in 0..3 {
                let sum: f64 = (0..2).map(|a| s.arm(arm, a, m).mean).sum();
                let total = s.arm(arm, 2, m).mean;
                assert!(
                    (sum - total).abs() <= 1e-9 * total.abs().max(1.0),
                    "{}: {sum} vs {total}",
                    s.arm_metric_names[m]
                );
            }
        }
    }
}

/// The `arms` section of a run directory's `summary.json`.
fn arms_json(dir: &Path) -> serde_json::Value {
    json(&dir.join("summary.json"))["arms"].clone()
}

#[test]
fn merged_shards_give_the_arms_of_one_run_and_the_csv_matches_the_json() {
    let t = tmpdir();
    let file = t.path().join("rich.toml");
    fs::write(&file, rich("")).unwrap();
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["--draws", "9", "--seed", "5", "--no-sensitivity"];
        args.extend_from_slice(extra);
        common::run(&file, &args, out).success();
    };
    let single = t.path().join("single");
    run(&single, &[]);
    let mut merge = vec!["merge".to_string()];
    for i in 0..2 {
        let d = t.path().join(format!("shard{i}"));
        run(&d, &["--shard", &format!("{i}/2"), "--threads", "1"]);
        merge.push(d.display().to_string());
    }
    let merged = t.path().join("merged");
    merge.extend(["--out".into(), merged.display().to_string(), "--no-sensitivity".into()]);
    wijkimpact().args(&merge).assert().success();
    assert_eq!(arms_json(&single), arms_json(&merged));
    let csv = fs::read(single.join("arms.csv")).unwrap();
    assert!(csv == fs::read(merged.join("arms.csv")).unwrap(), "arms.csv differs after merge");
    let files = json(&single.join("manifest.json"))["files"].clone();
    assert!(files.as_array().unwrap().iter().any(|f| f == "arms.csv"), "{files}");

    // arms.csv: one row per arm × area slot × metric, the numbers of summary.json.
    let arms = arms_json(&single);
    let text = String::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("arm,area,metric,n,missing,mean,sd,mcse,p5,p25,p50,p75,p95"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // Model order: the nulalternatief, then the scenarios in file order; areas, then totaal.
    let mut order: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    order.dedup();
    let want: Vec<(&str, &str)> = ["nulalternatief", "ontmoeting", "beide"]
        .into_iter()
        .flat_map(|a| ["noord", "zuid", "totaal"].map(|area| (a, area)))
        .collect();
    assert_eq!(order, want);
    assert_eq!(arms.as_object().unwrap().len(), 3);
    let n_metrics = arms["nulalternatief"]["areas"]["totaal"].as_object().unwrap().len();
    // 8 fixed, 2 for the outcome, 2 for each of 4 accounts.
    assert_eq!(n_metrics, 8 + 2 + 2 * 4);
    assert_eq!(rows.len(), 3 * 3 * n_metrics);
    assert_eq!(rows[0][..3], ["nulalternatief", "noord", "costs"]);
    for row in &rows {
        let st = &arms[row[0]]["areas"][row[1]][row[2]];
        assert_eq!(row[3], "9", "{row:?}");
        assert_eq!(row[4], "0", "{row:?}");
        let cell = |k: usize| row[k].parse::<f64>().unwrap();
        // serde_json parses decimal text to within an ulp or so (Rust's own parse is exact).
        let same = |x: f64, j: &serde_json::Value| (x - j.as_f64().unwrap()).abs() <= 1e-15 * x.abs();
        assert!(same(cell(5), &st["mean"]), "{row:?} {st}");
        assert!(same(cell(7), &st["mcse"]), "{row:?} {st}");
        assert!(same(cell(10), &st["quantiles"]["p50"]), "{row:?} {st}");
        // MCSE = sd / √n.
        assert!((cell(7) - cell(6) / 3.0).abs() <= 1e-12 * cell(6).abs().max(1.0), "{row:?}");
    }
    let qaly = &arms["beide"]["areas"]["totaal"]["outcome_pv/qaly"];
    assert!(qaly["sd"].as_f64().unwrap() > 0.0, "uncertain parameters make the totals vary: {qaly}");
}
