//! End-to-end tests of the `wijkimpact` binary on the real Nijmegen model and
//! on every broken fixture: `check` and `run` exit codes, the files of a run
//! directory, the areas and scenarios of `summary.json`, and the input hashes
//! in the manifest.

mod common;

use common::{bad_fixtures, json, scenario, scenario_names, tmpdir, wijkimpact, RUN_FILES as FILES};
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

const STADSDELEN: [&str; 9] =
    ["Centrum", "Oost", "Oud-West", "Nieuw-West", "Midden", "Zuid", "Dukenburg", "Lindenholt", "Noord"];

fn sha256(path: &Path) -> String {
    let digest = Sha256::digest(fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn check_accepts_nijmegen_and_the_example() {
    wijkimpact()
        .args(["check"])
        .arg(scenario("nijmegen.toml"))
        .arg(scenario("example-full.toml"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok: "))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn run_nijmegen_writes_every_file_area_scenario_and_input_hash() {
    let t = tmpdir();
    let out = t.path().join("run");
    common::run(&scenario("nijmegen.toml"), &["--draws", "4", "--seed", "7"], &out).code(0);
    for f in FILES {
        let p = out.join(f);
        assert!(p.is_file(), "{f} missing");
        assert!(fs::metadata(&p).unwrap().len() > 0, "{f} is empty");
    }

    // summary.json: every scenario of the file, each with the nine stadsdelen and the total.
    let s = json(&out.join("summary.json"));
    assert_eq!(s["run"]["draws"], 4);
    assert_eq!(s["run"]["seed"], 7);
    let scenarios = s["scenarios"].as_object().expect("scenarios is an object");
    let names = scenario_names(&scenario("nijmegen.toml"));
    assert!(names.len() >= 2, "nijmegen.toml has several scenarios: {names:?}");
    let mut got: Vec<&String> = scenarios.keys().collect();
    got.sort();
    let mut want: Vec<&String> = names.iter().collect();
    want.sort();
    assert_eq!(got, want, "summary.json scenarios vs [[scenario]] names");
    for name in &names {
        let areas = scenarios[name]["areas"].as_object().unwrap_or_else(|| panic!("{name}: no areas"));
        for a in STADSDELEN.iter().chain(["totaal"].iter()) {
            let area = areas.get(*a).unwrap_or_else(|| panic!("{name}: area {a} missing; has {:?}", areas.keys()));
            let npv = &area["metrics"]["npv"];
            assert_eq!(npv["n"], 4, "{name}/{a}: npv over 4 draws");
            assert!(npv["mean"].as_f64().is_some_and(f64::is_finite), "{name}/{a}: npv mean {}", npv["mean"]);
        }
        assert_eq!(areas.len(), STADSDELEN.len() + 1, "{name}: unexpected areas {:?}", areas.keys());
    }

    // manifest.json: the SHA-256 of both input files.
    let m = json(&out.join("manifest.json"));
    let inputs = m["inputs"].as_array().expect("inputs");
    for file in ["nijmegen.toml", "nijmegen-city.toml"] {
        let want = sha256(&scenario(file));
        let entry = inputs
            .iter()
            .find(|i| Path::new(i["path"].as_str().unwrap()).file_name().unwrap() == file)
            .unwrap_or_else(|| panic!("{file} not among the manifest inputs: {inputs:?}"));
        assert_eq!(entry["sha256"].as_str().unwrap(), want, "{file}");
    }
    assert_eq!(m["draws_completed"], 4);

    // draws.parquet: one row per draw × scenario × area slot × metric, all for draws 0..4.
    let draws = common::tables::parquet(&out.join("draws.parquet"));
    assert_eq!(draws.header, ["draw", "scenario", "area", "metric", "value"]);
    let seen_draws: std::collections::BTreeSet<i64> = draws.rows.iter().map(|r| r[0].int()).collect();
    assert_eq!(seen_draws.into_iter().collect::<Vec<_>>(), vec![0, 1, 2, 3]);
    let cells: std::collections::BTreeSet<(&str, &str)> =
        draws.rows.iter().map(|r| (r[1].text(), r[2].text())).collect();
    assert_eq!(cells.len(), names.len() * (STADSDELEN.len() + 1), "every scenario × area slot");

    // sensitivity.csv: every scenario × area slot × uncertain parameter (Dirichlet rows
    // by component), numbers everywhere, the base NPV constant within a (scenario, area).
    let sens = fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(sens.as_bytes());
    let mut per_cell: std::collections::BTreeMap<(String, String), (usize, String)> = Default::default();
    let mut params = std::collections::BTreeSet::new();
    for r in rows.records() {
        let r = r.unwrap();
        assert_eq!(r.len(), 12);
        for i in 3..12 {
            assert!(r[i].parse::<f64>().is_ok_and(f64::is_finite), "{r:?}");
        }
        params.insert(r[2].to_string());
        let e = per_cell.entry((r[0].to_string(), r[1].to_string())).or_insert((0, r[6].to_string()));
        e.0 += 1;
        assert_eq!(e.1, &r[6], "npv_base varies within {}/{}", &r[0], &r[1]);
    }
    assert_eq!(per_cell.len(), names.len() * (STADSDELEN.len() + 1));
    assert!(per_cell.values().all(|(n, _)| *n == params.len()));
    assert!(params.iter().any(|p| p.ends_with("[0]")), "Dirichlet rows give one entry per component");

    // assumptions.json: the source comments of the parameters in nijmegen-chains.toml.
    let a = json(&out.join("assumptions.json"));
    let param = |name: &str| {
        a["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let wmo = param("wmo_maatwerk_cost");
    assert_eq!(wmo["distribution"], "gamma(mean 4300, sd 900)");
    let comment = wmo["comment"].as_str().unwrap();
    assert!(comment.starts_with("Wmo maatwerk: derived from [CBS-84580NED]"), "{comment}");
    assert!(comment.ends_with("so the sd is wide)."), "{comment}");
    assert!(!wmo["used_by"].as_array().unwrap().is_empty());
    // A section rule (`# --- welfare per state ... ---`) is not part of the comment.
    let wellby = param("wellby_moderate_lonely")["comment"].as_str().unwrap().to_string();
    assert!(wellby.starts_with("One welfare unit per state") && !wellby.contains("---"), "{wellby}");
}

#[test]
fn check_rejects_every_bad_fixture_with_a_position_and_exit_2() {
    for f in bad_fixtures() {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        let out = wijkimpact().arg("check").arg(&f).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: exit code; stderr:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: the checker panicked:\n{stderr}");
        assert!(stderr.contains(&name), "{name}: stderr does not name the file:\n{stderr}");
        // Some line of stderr gives a `FILE:LINE:` position in this file. An include
        // cycle is reported at the include that closes it, which lies in the
        // other file of the cycle (the cycle itself lists both files).
        let at = |file: &str| {
            stderr.lines().any(|l| {
                l.find(&format!("{file}:")).is_some_and(|i| {
                    let rest = &l[i + file.len() + 1..];
                    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    !digits.is_empty() && rest[digits.len()..].starts_with(':')
                })
            })
        };
        let positioned = if name.starts_with("cycle_") { at("cycle_a.toml") || at("cycle_b.toml") } else { at(&name) };
        assert!(positioned, "{name}: no `{name}:LINE:` in stderr:\n{stderr}");
    }
}

#[test]
fn run_rejects_every_bad_fixture_with_exit_2_and_writes_nothing() {
    let t = tmpdir();
    for f in bad_fixtures() {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        let out_dir = t.path().join(&name);
        let out = wijkimpact().arg("run").arg(&f).args(["--draws", "2", "--out"]).arg(&out_dir).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: exit code; stderr:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: run panicked:\n{stderr}");
        assert!(stderr.contains(&name), "{name}: stderr does not name the file:\n{stderr}");
        assert!(
            !out_dir.exists() || fs::read_dir(&out_dir).unwrap().next().is_none(),
            "{name}: run wrote files despite the errors"
        );
    }
}

#[test]
fn run_in_stochastic_mode_works_on_the_example() {
    let t = tmpdir();
    let out = t.path().join("run");
    common::run(&scenario("example-full.toml"), &["--mode", "stochastic", "--draws", "2", "--seed", "3"], &out)
        .code(0)
        .stderr(predicate::str::contains("panicked").not());
    for f in FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["mode"], "stochastic");
    assert_eq!(m["draws_completed"], 2);
    let s = json(&out.join("summary.json"));
    assert_eq!(s["run"]["mode"], "stochastic");
    let areas = s["scenarios"]["wor"]["areas"].as_object().expect("scenario wor");
    for a in ["Noord", "Deelnemers", "totaal"] {
        assert!(areas.contains_key(a), "area {a} missing: {:?}", areas.keys());
    }
}
