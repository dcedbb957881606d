//! `run --shard I/N` + `merge` give the outputs of a single run, byte for byte
//! (manifest: apart from timing and provenance fields), and mismatched shards
//! are refused with a clear error.

mod common;

use common::{json, tmpdir, wijkimpact, MANIFEST_VOLATILE, RUN_FILES};
use std::path::Path;

const SCENARIO: &str = "scenarios/example-full.toml";

fn run(out: &Path, extra: &[&str]) {
    let mut args = vec!["--draws", "13", "--seed", "11"];
    args.extend_from_slice(extra);
    common::run(Path::new(SCENARIO), &args, out).success();
}

/// The manifest without the fields that describe how the run went, not what it computed.
fn manifest_without_timing(dir: &Path) -> serde_json::Value {
    let mut v = json(&dir.join("manifest.json"));
    for k in MANIFEST_VOLATILE {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn merged_shards_are_identical_to_a_single_run_in_both_modes() {
    for mode in ["cohort", "stochastic"] {
        let tmp = tmpdir();
        let single = tmp.path().join("single");
        run(&single, &["--mode", mode]);
        let mut shard_dirs = vec![];
        for i in 0..4 {
            let d = tmp.path().join(format!("shard{i}"));
            run(&d, &["--mode", mode, "--shard", &format!("{i}/4"), "--threads", "1"]);
            shard_dirs.push(d);
        }
        let merged = tmp.path().join("merged");
        // Shards may be given in any order.
        let mut args = vec!["merge".to_string()];
        args.extend([3, 1, 0, 2].iter().map(|&i| shard_dirs[i].display().to_string()));
        args.extend(["--out".to_string(), merged.display().to_string()]);
        wijkimpact().args(&args).assert().success();
        // Every file of a run but the manifest (compared below without its timing).
        for f in RUN_FILES.into_iter().filter(|f| *f != "manifest.json") {
            let a = std::fs::read(single.join(f)).unwrap();
            let b = std::fs::read(merged.join(f)).unwrap();
            assert!(a == b, "{mode}: {f} differs between the single run and the merged shards");
        }
        assert_eq!(manifest_without_timing(&single), manifest_without_timing(&merged), "{mode}: manifest");
        let files = &manifest_without_timing(&merged)["files"];
        assert!(files.as_array().unwrap().iter().any(|f| f == "sensitivity.csv"), "{mode}: {files}");
        // Shards hold only their draws.
        assert!(!shard_dirs[0].join("sensitivity.csv").exists() && !shard_dirs[0].join("assumptions.json").exists());
    }
}

#[test]
fn merge_without_sensitivity_matches_a_run_without_it() {
    let tmp = tmpdir();
    let single = tmp.path().join("single");
    run(&single, &["--no-sensitivity"]);
    let mut args = vec!["merge".to_string()];
    for i in 0..2 {
        let d = tmp.path().join(format!("shard{i}"));
        run(&d, &["--shard", &format!("{i}/2")]);
        args.push(d.display().to_string());
    }
    let merged = tmp.path().join("merged");
    args.extend([
        "--out".to_string(),
        merged.display().to_string(),
        "--no-sensitivity".into(),
        "--threads".into(),
        "1".into(),
    ]);
    wijkimpact().args(&args).assert().success();
    for dir in [&single, &merged] {
        assert!(!dir.join("sensitivity.csv").exists());
        assert!(dir.join("assumptions.json").exists());
    }
    for f in ["summary.json", "assumptions.json"] {
        assert!(std::fs::read(single.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(), "{f} differs");
    }
    assert_eq!(manifest_without_timing(&single), manifest_without_timing(&merged));
}

#[test]
fn mismatched_missing_or_repeated_shards_are_refused() {
    let tmp = tmpdir();
    let d = |name: &str| tmp.path().join(name);
    run(&d("a0"), &["--shard", "0/2"]);
    run(&d("a1"), &["--shard", "1/2"]);
    let other_seed = d("b1");
    wijkimpact()
        .args([
            "run",
            SCENARIO,
            "--draws",
            "13",
            "--seed",
            "12",
            "--shard",
            "1/2",
            "--out",
            other_seed.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stochastic = d("c1");
    run(&stochastic, &["--shard", "1/2", "--mode", "stochastic"]);
    let cases: [(Vec<std::path::PathBuf>, &str); 4] = [
        (vec![d("a0")], "missing shards: 1/2"),
        (vec![d("a0"), d("a0"), d("a1")], "both shard 0/2"),
        (vec![d("a0"), other_seed.clone()], "seed 11 vs 12"),
        (vec![d("a0"), stochastic.clone()], "mode cohort vs stochastic"),
    ];
    for (dirs, message) in cases {
        let mut args: Vec<String> = vec!["merge".into()];
        args.extend(dirs.iter().map(|p| p.display().to_string()));
        args.extend(["--out".into(), d("out").display().to_string()]);
        let out = wijkimpact().args(&args).assert().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&out);
        assert!(err.contains(message), "expected {message:?} in: {err}");
        assert!(!d("out").join("summary.json").exists());
    }
    // A complete run directory is not a shard.
    run(&d("full"), &[]);
    let out = wijkimpact()
        .args(["merge", d("full").to_str().unwrap(), "--out", d("out2").to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("not a shard"));
}
