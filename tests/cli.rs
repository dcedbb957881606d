//! End-to-end tests of the `wijkimpact` binary: `check`, `run`, the files of a
//! run directory, reproducibility across thread counts and exit codes.

mod common;

use common::{json, scenario, tmpdir, wijkimpact, RUN_FILES as FILES};
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

const EXAMPLE: &str = "scenarios/example-full.toml";

fn example() -> PathBuf {
    scenario("example-full.toml")
}

fn run_example(out: &Path, threads: u32) -> assert_cmd::assert::Assert {
    common::run(&example(), &["--draws", "20", "--seed", "7", "--threads", &threads.to_string()], out)
}

#[test]
fn check_accepts_the_example() {
    wijkimpact()
        .args(["check", example().to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: ").and(predicate::str::contains("areas,")));
}

#[test]
fn check_reports_errors_with_file_and_line_and_exits_2() {
    let t = tmpdir();
    let bad = t.path().join("broken.toml");
    fs::write(&bad, "[model]\nstart_year = 2025\nhorizon = \"ten\"\n").unwrap();
    wijkimpact()
        .args(["check", bad.to_str().unwrap(), example().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.toml:3:"))
        // The good file is still checked.
        .stdout(predicate::str::contains("ok: "));
}

#[test]
fn check_of_a_missing_file_exits_2() {
    wijkimpact().args(["check", "does/not/exist.toml"]).assert().code(2).stderr(predicate::str::contains("exist.toml"));
}

#[test]
fn usage_errors_exit_2() {
    wijkimpact().args(["run", EXAMPLE, "--out", "x", "--draws", "0"]).assert().code(2);
    wijkimpact().args(["run", EXAMPLE, "--out", "x", "--quantiles", "0.5,1.2"]).assert().code(2);
    wijkimpact().args(["run", EXAMPLE]).assert().code(2);
    wijkimpact().args(["--help"]).assert().success().stdout(predicate::str::contains("Examples:"));
}

#[test]
fn run_with_errors_in_the_scenario_exits_2_and_writes_nothing() {
    let t = tmpdir();
    let bad = t.path().join("broken.toml");
    fs::write(&bad, "[model]\nhorizon = \"ten\"\n").unwrap();
    let out = t.path().join("out");
    wijkimpact()
        .args(["run", bad.to_str().unwrap(), "--draws", "2", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.toml:2:"));
    assert!(!out.exists() || fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn run_writes_all_files_and_a_complete_manifest() {
    let t = tmpdir();
    let out = t.path().join("run");
    run_example(&out, 1)
        .success()
        .stdout(predicate::str::contains("NPV"))
        .stderr(predicate::str::contains("results written to"));
    for f in FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    // No temporary files left behind.
    for e in fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(FILES.contains(&name.as_str()), "unexpected file {name}");
    }
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["seed"], 7);
    assert_eq!(m["draws"], 20);
    assert_eq!(m["draws_completed"], 20);
    assert_eq!(m["mode"], "cohort");
    assert_eq!(m["threads"], 1);
    assert_eq!(m["engine"]["name"], "wijkimpact");
    assert_eq!(m["engine"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(m["prng"].as_str().unwrap().contains("xoshiro"));
    let inputs = m["inputs"].as_array().unwrap();
    assert!(inputs.len() >= 2, "the example includes a shared file");
    for i in inputs {
        let h = i["sha256"].as_str().unwrap();
        assert_eq!(h.len(), 64);
        let bytes = fs::read(i["path"].as_str().unwrap()).unwrap();
        assert_eq!(h, wijkimpact::output::manifest::sha256_hex(&bytes));
    }
    assert_eq!(m["scenario_hash"].as_str().unwrap().len(), 64);
    assert!(m["started_at"].as_str().unwrap().ends_with('Z'));

    let s = json(&out.join("summary.json"));
    let scenarios = s["scenarios"].as_object().unwrap();
    assert!(!scenarios.is_empty());
    for (_, sc) in scenarios {
        let total = &sc["areas"]["totaal"]["metrics"]["npv"];
        assert_eq!(total["n"], 20);
        for q in ["p5", "p25", "p50", "p75", "p95"] {
            assert!(total["quantiles"][q].is_number(), "{q}");
        }
        assert!(total.get("p_positive").is_some());
        for metric in ["npv", "npv_societal"] {
            let h = &sc["areas"]["totaal"]["metrics"][metric]["histogram"];
            assert_eq!(h["edges"].as_array().unwrap().len(), 31, "{metric}");
            let counts: u64 = h["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum();
            assert_eq!(counts, 20, "{metric}");
        }
        assert!(sc["areas"]["totaal"]["metrics"]["bcr"].get("histogram").is_none());
    }
    let files: Vec<&str> = m["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(
        files,
        [
            "draws.parquet",
            "parameters.parquet",
            "yearly.parquet",
            "summary.json",
            "summary.csv",
            "comparisons.csv",
            "arms.csv",
            "incremental.csv",
            "acceptability.csv",
            "evppi.csv",
            "sensitivity.csv",
            "assumptions.json",
            "manifest.json"
        ]
    );
    assert_eq!(m["format"], "parquet");

    // sensitivity.csv: one row per scenario × area slot × entry, the base NPV the
    // same in every row of a (scenario, area).
    let sens = fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut lines = sens.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,area,parameter,value_mean,value_low,value_high,npv_base,npv_low,npv_high,npv_societal_base,npv_societal_low,npv_societal_high")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let n_areas = s["scenarios"].as_object().unwrap().values().next().unwrap()["areas"].as_object().unwrap().len();
    assert_eq!(rows.len() % (scenarios.len() * n_areas), 0);
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.len(), 12);
        let num = |i: usize| r[i].parse::<f64>().unwrap();
        assert!(num(4) < num(5), "{r:?}: P5 below P95");
        assert!(scenarios.contains_key(r[0]), "{r:?}");
    }
    assert!(rows.iter().any(|r| r[1] == "totaal"));

    let a = json(&out.join("assumptions.json"));
    assert_eq!(a["format_version"], 1);
    assert_eq!(a["model"]["mode"], "cohort");
    assert!(!a["parameters"].as_array().unwrap().is_empty());

    // The tables are Parquet (magic bytes at both ends); tests/outputs.rs reads them.
    for f in ["draws.parquet", "parameters.parquet", "yearly.parquet"] {
        let bytes = fs::read(out.join(f)).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "{f} is not Parquet");
    }
    let summary_csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary_csv.starts_with("scenario,area,metric,n,missing,mean,sd,mcse,p5,p25,p50,p75,p95,p_positive\n"));
    assert!(summary_csv.contains(",totaal,npv,20,0,"));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let t = tmpdir();
    let (a, b) = (t.path().join("a"), t.path().join("b"));
    run_example(&a, 1).success();
    run_example(&b, 2).success();
    for f in [
        "draws.parquet",
        "yearly.parquet",
        "parameters.parquet",
        "summary.json",
        "summary.csv",
        "arms.csv",
        "sensitivity.csv",
        "assumptions.json",
    ] {
        assert!(fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(), "{f} differs between 1 and 2 threads");
    }
    let (ma, mb) = (json(&a.join("manifest.json")), json(&b.join("manifest.json")));
    assert_eq!(ma["scenario_hash"], mb["scenario_hash"]);
    assert_eq!(mb["threads"], 2);
}

/// The sensitivity analysis is the model's expected value, so neither the run's
/// mode nor its seed or draws change it; `--no-sensitivity` leaves it out.
#[test]
fn sensitivity_is_computed_in_cohort_mode_whatever_the_run() {
    let t = tmpdir();
    let (a, b, c) = (t.path().join("a"), t.path().join("b"), t.path().join("c"));
    run_example(&a, 2).success();
    common::run(&example(), &["--draws", "3", "--seed", "99", "--mode", "stochastic"], &b).success();
    assert!(fs::read(a.join("sensitivity.csv")).unwrap() == fs::read(b.join("sensitivity.csv")).unwrap());
    assert_eq!(json(&b.join("assumptions.json"))["model"]["mode"], "stochastic");
    common::run(&example(), &["--draws", "3", "--no-sensitivity"], &c)
        .success()
        .stdout(predicate::str::contains("sensitivity").not());
    assert!(!c.join("sensitivity.csv").exists());
    assert!(c.join("assumptions.json").exists());
    let files = json(&c.join("manifest.json"))["files"].clone();
    assert!(!files.as_array().unwrap().iter().any(|f| f == "sensitivity.csv"), "{files}");
}

#[test]
fn a_non_empty_output_directory_is_refused_without_force() {
    let t = tmpdir();
    let out = t.path().join("run");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("summary.json"), "old results").unwrap();
    run_example(&out, 1).code(2).stderr(predicate::str::contains("--force"));
    assert_eq!(fs::read_to_string(out.join("summary.json")).unwrap(), "old results");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);

    common::run(&example(), &["--draws", "5", "--force"], &out).success();
    assert!(json(&out.join("summary.json"))["scenarios"].is_object());
}

#[test]
fn no_output_contains_nan_or_infinity() {
    let t = tmpdir();
    let out = t.path().join("run");
    common::run(&example(), &["--draws", "20", "--mode", "stochastic"], &out).success();
    for f in FILES {
        if f.ends_with(".parquet") {
            // Missing numbers are nulls, never NaN or infinite floats.
            for row in common::tables::parquet(&out.join(f)).rows {
                assert!(!row.iter().any(|c| matches!(c, common::tables::Cell::Num(Some(x)) if !x.is_finite())), "{f}");
            }
            continue;
        }
        let text = fs::read_to_string(out.join(f)).unwrap();
        for bad in ["NaN", "nan,", ",nan", "inf,", ",inf", "Infinity", "-inf"] {
            assert!(!text.contains(bad), "{f} contains {bad:?}");
        }
        if f.ends_with(".json") {
            // Strict JSON: serde_json rejects NaN/Infinity literals.
            let _: serde_json::Value = serde_json::from_str(&text).unwrap();
        }
    }
}

#[test]
fn a_model_without_scenarios_is_refused() {
    let t = tmpdir();
    // The example without its [[scenario]] tables.
    let text = fs::read_to_string(example()).unwrap();
    let cut = text.find("[[scenario]]").expect("the example defines scenarios");
    let shared = scenario("example-shared.toml");
    fs::copy(shared, t.path().join("example-shared.toml")).unwrap();
    let f = t.path().join("noscen.toml");
    fs::write(&f, &text[..cut]).unwrap();
    // Only meaningful if the trimmed file is otherwise valid.
    let ok = wijkimpact().args(["check", f.to_str().unwrap()]).output().unwrap().status.success();
    if !ok {
        eprintln!("skipping: the example without scenarios does not validate");
        return;
    }
    wijkimpact()
        .args(["run", f.to_str().unwrap(), "--draws", "2", "--out"])
        .arg(t.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scenario"));
}
