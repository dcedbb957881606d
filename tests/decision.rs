//! The decision analysis end to end (issue 17): `[decision]` and
//! `[[parameter_group]]` with their errors, the decision outputs of a run
//! against the per-arm totals they are built from, and `wijkimpact sobol`
//! (shards and merge give the whole run's numbers; threads change nothing).
//! The estimators themselves are tested against closed forms beside their
//! code (src/decision/*.rs) and in tests/sobol_math.rs.

mod common;

use common::{json, tmpdir, wijkimpact};
use std::path::Path;
use wijkimpact::model::EffectMeasure;
use wijkimpact::scenario::ScenarioError;

/// A closed cohort of 1,000 people aged 40 in one care chain (geen → zorg,
/// zorg costing 1,000 a year and −0.1 QALY), two scenarios lowering the
/// inflow with an uncertain relative risk at an uncertain cost; `decision`
/// is appended.
fn model(decision: &str) -> String {
    format!(
        r#"[model]
start_year = 2025
horizon = 5
max_age = 100
funders = ["gemeente"]
outcomes = ["qaly"]
[taakvelden]
"6.1" = "Samenkracht"
[parameters]
p_in = {{ dist = "beta", mean = 0.2, sd = 0.04 }}
rr_a = {{ dist = "lognormal", ratio = 0.7, ci95 = [0.5, 0.98] }}
rr_b = {{ dist = "lognormal", ratio = 0.8, ci95 = [0.6, 1.07] }}
c_a = {{ dist = "gamma", mean = 300, sd = 60 }}
c_b = {{ dist = "gamma", mean = 150, sd = 30 }}
[valuation]
qaly = 20000
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "zorg"
kind = "care"
states = ["geen", "zorg"]
initial = [ {{ ages = "0-100", p = [1, 0] }} ]
[[chain.transitions]]
matrix = [ ["rest", "p_in"], [0.3, "rest"] ]
[chain.state.zorg]
costs = [ {{ amount = 1000, funder = "gemeente", taakveld = "6.1" }} ]
outcomes = {{ qaly = -0.1 }}
[[intervention]]
name = "a"
reach = {{ share = 1.0 }}
start_year = 2025
end_year = 2029
effect = [ {{ chain = "zorg", from = "geen", to = "zorg", rr = "rr_a" }} ]
[intervention.costs]
per_participant = [ {{ amount = "c_a", funder = "gemeente", taakveld = "6.1" }} ]
[[intervention]]
name = "b"
reach = {{ share = 1.0 }}
start_year = 2025
end_year = 2029
effect = [ {{ chain = "zorg", from = "geen", to = "zorg", rr = "rr_b" }} ]
[intervention.costs]
per_participant = [ {{ amount = "c_b", funder = "gemeente", taakveld = "6.1" }} ]
[[scenario]]
name = "A"
interventions = ["a"]
[[scenario]]
name = "B"
interventions = ["b"]
{decision}
"#
    )
}

fn errors(text: &str) -> Vec<ScenarioError> {
    common::load_errors("d.toml", text)
}

/// Exactly one error, on `field`, at `line`, whose reason contains `reason`.
fn assert_one(text: &str, line: usize, field: &str, reason: &str) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!((errs[0].line, errs[0].field.as_str()), (line, field), "{}", errs[0]);
    assert!(errs[0].reason.contains(reason), "{}", errs[0]);
}

#[test]
fn defaults_take_the_qaly_at_its_price() {
    let m = common::model_from_str("d.toml", &model(""));
    assert_eq!(m.decision.effect, Some(EffectMeasure::Outcome(0)));
    assert_eq!(m.decision.wtp, 20000.0);
    assert_eq!(m.decision.wtp_grid.len(), 41);
    assert_eq!((m.decision.wtp_grid[0], m.decision.wtp_grid[40]), (0.0, 40000.0));
    let m = common::model_from_str(
        "d.toml",
        &model("[decision]\neffect = \"avoided_starts\"\nwtp = 500\nwtp_range = [0, 1000]\nwtp_steps = 3"),
    );
    assert_eq!(m.decision.effect, Some(EffectMeasure::AvoidedStarts));
    assert_eq!(m.decision.wtp_grid, vec![0.0, 500.0, 1000.0]);
}

#[test]
fn bad_decision_keys_are_errors_at_their_place() {
    // The appended table starts on line 55.
    assert_one(&model("[decision]\neffect = \"qalys\""), 56, "decision.effect", "unknown effect `qalys`");
    assert_one(&model("[decision]\nwtp = -1"), 56, "decision.wtp", "finite number ≥ 0");
    assert_one(&model("[decision]\nwtp_range = [10, 5]"), 56, "decision.wtp_range", "0 ≤ low < high");
    assert_one(&model("[decision]\nwtp_steps = 1"), 56, "decision.wtp_steps", "2 to 1001");
    let group = "[[parameter_group]]\nname = \"effect\"\nparameters = [\"rr_a\", \"rr_c\"]";
    assert_one(&model(group), 57, "parameter_group[0].parameters[1]", "unknown parameter `rr_c`");
    let twice = "[[parameter_group]]\nname = \"g\"\nparameters = [\"rr_a\"]\n[[parameter_group]]\nname = \"g\"\nparameters = [\"rr_b\"]";
    let errs = errors(&model(twice));
    assert!(errs.iter().any(|e| e.reason.contains("`g`")), "{errs:#?}");
    let empty = "[[parameter_group]]\nname = \"g\"\nparameters = []";
    assert_one(&model(empty), 57, "parameter_group[0].parameters", "at least one parameter");
}

fn run_model(text: &str, args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tmpdir();
    let file = dir.path().join("d.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let mut a = vec!["run", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet", "--no-sensitivity"];
    a.extend_from_slice(args);
    wijkimpact().args(&a).assert().success();
    (dir, out)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn the_decision_section_agrees_with_the_per_arm_totals() {
    let groups = "[[parameter_group]]\nname = \"effecten\"\nparameters = [\"rr_a\", \"rr_b\"]";
    let (_d, out) = run_model(&model(groups), &["--draws", "300", "--seed", "3"]);
    let s = json(&out.join("summary.json"));
    let d = &s["decision"];
    assert_eq!(d["effect"], "qaly");
    assert_eq!(d["wtp"], 20000.0);
    let total = &d["areas"]["totaal"];
    assert_eq!(total["population"], 1000.0);
    // Every arm of the incremental table carries its per-arm mean costs and QALYs.
    for row in total["incremental"]["qaly"].as_array().unwrap() {
        let arm = row["arm"].as_str().unwrap();
        let costs = s["arms"][arm]["areas"]["totaal"]["costs_pv"]["mean"].as_f64().unwrap();
        let qaly = s["arms"][arm]["areas"]["totaal"]["outcome_pv/qaly"]["mean"].as_f64().unwrap();
        assert!((row["cost"].as_f64().unwrap() - costs).abs() <= 1e-9 * costs.abs(), "{row}");
        assert!((row["effect"].as_f64().unwrap() - qaly).abs() <= 1e-9 * qaly.abs().max(1.0), "{row}");
        // NMB = λ·E − C on the means.
        let nmb = total["nmb"][arm].as_f64().unwrap();
        assert!((nmb - (20000.0 * qaly - costs)).abs() <= 1e-6 * nmb.abs().max(1.0), "{arm}: {nmb}");
    }
    // EVPI is never negative and the optimal arm has the largest NMB.
    let evpi = total["evpi"].as_f64().unwrap();
    assert!(evpi >= 0.0);
    let p = total["p_optimal"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p), "{p}");
    // No EVPPI exceeds the EVPI by more than its own error.
    for e in total["evppi"].as_array().unwrap() {
        let (v, se) = (e["evppi"].as_f64().unwrap(), e["se"].as_f64().unwrap());
        assert!(v <= evpi + 3.0 * se + 0.01 * evpi, "{e}");
    }
    let optimal = total["optimal"].as_str().unwrap();
    let best = total["nmb"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).fold(f64::MIN, f64::max);
    assert_eq!(total["nmb"][optimal].as_f64().unwrap(), best);
    // The declared group and, at the city total, each parameter alone.
    let names: Vec<&str> = total["evppi"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["effecten", "p_in", "rr_a", "rr_b", "c_a", "c_b"]);
    // 300 draws: the analysis says its value of information is unreliable.
    assert!(d["warning"].as_str().unwrap().contains("300 draws"), "{}", d["warning"]);
    // The curves: one row per area slot × WTP point × arm, shares in [0, 1] summing to 1.
    let curves = read(&out.join("acceptability.csv"));
    let rows: Vec<Vec<&str>> = curves.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * 41 * 3);
    for point in rows.chunks(3) {
        let sum: f64 = point.iter().map(|r| r[3].parse::<f64>().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-12, "{point:?}");
        assert_eq!(point.iter().filter(|r| r[5] == "true").count(), 1, "{point:?}");
    }
}

#[test]
fn decision_outputs_do_not_depend_on_the_thread_count() {
    let text = model("[[parameter_group]]\nname = \"kosten\"\nparameters = [\"c_a\", \"c_b\"]");
    let (_a, one) = run_model(&text, &["--draws", "200", "--seed", "5", "--threads", "1"]);
    let (_b, two) = run_model(&text, &["--draws", "200", "--seed", "5", "--threads", "3"]);
    for f in ["incremental.csv", "acceptability.csv", "evppi.csv"] {
        assert_eq!(read(&one.join(f)), read(&two.join(f)), "{f}");
    }
}

/// `strs` as `&str`s.
fn args(strs: &[String]) -> Vec<&str> {
    strs.iter().map(String::as_str).collect()
}

fn sobol(file: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut a = vec!["sobol", file.to_str().unwrap(), "--quiet"];
    a.extend_from_slice(args);
    wijkimpact().args(&a).assert()
}

#[test]
fn sobol_shards_merge_to_the_whole_run_on_any_thread_count() {
    let dir = tmpdir();
    let file = dir.path().join("d.toml");
    let groups = "[[parameter_group]]\nname = \"effect\"\nparameters = [\"rr_a\", \"rr_b\"]\n[[parameter_group]]\nname = \"kosten\"\nparameters = [\"c_a\", \"c_b\"]";
    std::fs::write(&file, model(groups)).unwrap();
    let p = |n: &str| dir.path().join(n);
    let base = ["--base-samples", "40", "--seed", "9", "--bootstrap", "50"];
    let with = |extra: &[&str]| -> Vec<String> { base.iter().chain(extra).map(|s| s.to_string()).collect() };
    let whole = with(&["--threads", "1", "--out", p("whole").to_str().unwrap()]);
    sobol(&file, &args(&whole)).success();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let v = with(&["--threads", "2", "--shard", &shard, "--out", p(&format!("s{i}")).to_str().unwrap()]);
        sobol(&file, &args(&v)).success();
    }
    let (s0, s1, s2) = (p("s0"), p("s1"), p("s2"));
    let merged = with(&[
        "--merge",
        s0.to_str().unwrap(),
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        p("merged").to_str().unwrap(),
    ]);
    sobol(&file, &args(&merged)).success();
    assert_eq!(read(&p("whole/sobol.csv")), read(&p("merged/sobol.csv")));
    let doc = json(&p("whole/sobol.json"));
    let factors: Vec<&str> = doc["factors"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    // p_in is in no group: the remainder is a factor of its own.
    assert_eq!(factors, vec!["effect", "kosten", "overige parameters"]);
    assert_eq!(doc["runs"], 40 * 5);
    // Total indices are never below 0; the factors of scenario A at the city total are there.
    let a = &doc["scenarios"]["A"]["totaal"]["factors"];
    assert_eq!(a.as_array().unwrap().len(), 3);
    assert!(a.as_array().unwrap().iter().all(|f| f["total"].as_f64().unwrap() >= 0.0));
    // A missing shard is an error naming how many rows are missing.
    let partial =
        with(&["--merge", s0.to_str().unwrap(), s1.to_str().unwrap(), "--out", p("partial").to_str().unwrap()]);
    sobol(&file, &args(&partial)).code(2).stderr(predicates::str::contains("design rows"));
}

#[test]
fn sobol_refuses_overlapping_groups() {
    let dir = tmpdir();
    let file = dir.path().join("d.toml");
    let groups = "[[parameter_group]]\nname = \"x\"\nparameters = [\"rr_a\", \"rr_b\"]\n[[parameter_group]]\nname = \"y\"\nparameters = [\"rr_b\"]";
    std::fs::write(&file, model(groups)).unwrap();
    let out = dir.path().join("o");
    sobol(&file, &["--base-samples", "4", "--out", out.to_str().unwrap()])
        .code(2)
        .stderr(predicates::str::contains("parameter `rr_b` is in parameter groups `x` and `y`"));
}
