//! Every bundled scenario file works: each `scenarios/*.toml` that stands alone passes
//! `check`, and each file with `[[scenario]]` tables runs in both modes (cohort with 2
//! draws; stochastic with 2 draws for files whose own mode is stochastic, small groups,
//! else 1 draw, because a stochastic whole-city draw takes seconds), exits 0 and writes
//! no NaN or infinite number. The one-way sensitivity analysis (`sensitivity.csv`, two
//! cohort simulations per uncertain parameter: tens of seconds for a whole-city file) runs
//! only in the cohort runs of the small files in `WITH_SENSITIVITY`; the other runs pass
//! `--no-sensitivity` (`cli_nijmegen.rs` covers it on the whole city, and it is the same in
//! stochastic runs, being computed in cohort mode).
//!
//! New files are picked up automatically. Files that are fragments (included by others,
//! not meant to be checked on their own) are listed in `FRAGMENTS` with the reason; the
//! test fails if a listed fragment is no longer included anywhere, so the list cannot
//! silently go stale.

mod common;

use common::{file_name as name, output_text, scenario_files, tmpdir, toml_of, wijkimpact};
use std::fs;
use std::path::Path;

/// Files that do not stand alone, and why.
const FRAGMENTS: [(&str, &str); 2] = [
    (
        "nijmegen-chains.toml",
        "model, chains and risk factors without areas; its area-specific rows name the areas of nijmegen-city.toml / nijmegen-wijken.toml",
    ),
    ("example-shared.toml", "the shared half of example-full.toml: no [model] start_year, no [taakvelden]"),
];

/// Files whose cohort run also computes the sensitivity analysis (small models).
const WITH_SENSITIVITY: [&str; 2] = ["example-full.toml", "dukenburg-peutergym.toml"];

fn is_fragment(path: &Path) -> bool {
    FRAGMENTS.iter().any(|(f, _)| *f == name(path))
}

fn has_scenarios(v: &toml::Value) -> bool {
    v.get("scenario").and_then(|s| s.as_array()).is_some_and(|a| !a.is_empty())
}

/// The file's own `[model] mode`, if it sets one (an include may set it too; the bundled
/// stochastic scenario sets it in its own file).
fn own_mode(v: &toml::Value) -> Option<String> {
    v.get("model")?.get("mode")?.as_str().map(str::to_string)
}

#[test]
fn every_fragment_is_still_included_somewhere() {
    let files = scenario_files();
    for (fragment, why) in FRAGMENTS {
        let included = files.iter().any(|p| {
            toml_of(p)
                .get("include")
                .and_then(|i| i.as_array())
                .is_some_and(|a| a.iter().any(|s| s.as_str() == Some(fragment)))
        });
        assert!(included, "{fragment} is listed as a fragment ({why}) but no scenario file includes it");
    }
}

#[test]
fn every_standalone_file_passes_check() {
    for path in scenario_files().into_iter().filter(|p| !is_fragment(p)) {
        let out = wijkimpact().arg("check").arg(&path).output().unwrap();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "check {} failed:\n{stdout}{stderr}", path.display());
    }
}

/// A field that is a number must be finite; NaN/inf spelled any way is an error.
fn assert_finite_field(file: &Path, field: &str) {
    let t = field.trim();
    let lower = t.to_ascii_lowercase();
    assert!(
        !matches!(lower.as_str(), "nan" | "-nan" | "inf" | "-inf" | "+inf" | "infinity" | "-infinity"),
        "{}: non-finite value {t:?}",
        file.display()
    );
    if let Ok(x) = t.parse::<f64>() {
        assert!(x.is_finite(), "{}: non-finite value {t:?}", file.display());
    }
}

fn assert_no_nan(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "parquet") {
            // Numbers are Float64 with nulls for missing values, never NaN or infinite.
            for row in common::tables::parquet(&p).rows {
                for cell in row {
                    if let common::tables::Cell::Num(Some(x)) = cell {
                        assert!(x.is_finite(), "{}: non-finite value {x}", p.display());
                    }
                }
            }
            continue;
        }
        let text = fs::read_to_string(&p).unwrap();
        match p.extension().and_then(|e| e.to_str()) {
            Some("csv") => {
                let mut r = csv::Reader::from_reader(text.as_bytes());
                for rec in r.records() {
                    for field in rec.unwrap().iter() {
                        assert_finite_field(&p, field);
                    }
                }
            }
            Some("json") => {
                assert!(!text.contains("NaN") && !text.contains("Infinity"), "{}: non-finite number", p.display());
                // serde_json refuses NaN, so a parse also proves every number is finite.
                let _: serde_json::Value = serde_json::from_str(&text).unwrap();
            }
            _ => {}
        }
    }
}

fn run(path: &Path, mode: &str, draws: u32) {
    let t = tmpdir();
    let out = t.path().join("run");
    let sensitivity = mode == "cohort" && WITH_SENSITIVITY.contains(&name(path).as_str());
    let res = wijkimpact()
        .arg("run")
        .arg(path)
        .args(["--draws", &draws.to_string(), "--seed", "7", "--mode", mode, "--out"])
        .arg(&out)
        .args(if sensitivity { None } else { Some("--no-sensitivity") })
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "run {} --mode {mode} failed:\n{}",
        path.display(),
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(out.join("summary.json").exists(), "{}: no summary.json", path.display());
    assert_eq!(out.join("sensitivity.csv").exists(), sensitivity, "{}: sensitivity.csv", path.display());
    assert_no_nan(&out);
}

#[test]
fn every_scenario_file_runs_in_both_modes_without_nan() {
    let mut ran = 0;
    for path in scenario_files().into_iter().filter(|p| !is_fragment(p)) {
        let v = toml_of(&path);
        if !has_scenarios(&v) {
            continue;
        }
        run(&path, "cohort", 2);
        let small = own_mode(&v).as_deref() == Some("stochastic");
        run(&path, "stochastic", if small { 2 } else { 1 });
        ran += 1;
    }
    assert!(ran >= 7, "expected at least 7 scenario files with scenarios, ran {ran}");
}
