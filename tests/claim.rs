//! The investeringsfonds claim check against things it did not produce: the
//! probability of a claim at the median from an independent run, monotonicity
//! in the claim, the break-even effect fed back as the effect, and errors on
//! invalid applications that name file, line and field.

mod common;

use common::{tmpdir, wijkimpact};
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use wijkimpact::claim::check::{self, CheckOptions, LAMBDA_TOL};
use wijkimpact::claim::result::ClaimReport;
use wijkimpact::claim::validate;
use wijkimpact::model::Mode;

fn fixture(name: &str) -> PathBuf {
    common::fixture(&format!("fonds/{name}"))
}

fn run(path: &Path, draws: u64, seed: u64, solve_draws: u64) -> ClaimReport {
    let app = validate::load(path).unwrap_or_else(|e| panic!("{e}"));
    let opts = CheckOptions { draws, seed, mode: Some(Mode::Cohort), threads: 0, solve_draws };
    check::check(&app, &opts, vec![], &mut |_| {}).unwrap()
}

/// A copy of the fixture with `edit` applied, in `dir`, its city path made absolute.
fn variant(dir: &Path, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = fs::read_to_string(fixture("jeugd.toml")).unwrap();
    let city = common::scenario("nijmegen-chains.toml");
    let text = text.replacen("../../../scenarios/nijmegen-chains.toml", city.to_str().unwrap(), 1);
    let path = dir.join(name);
    fs::write(&path, edit(&text)).unwrap();
    path
}

/// Claims at the median of one run are reached in about half of the draws of
/// an independent run (other seed), within 4 Monte Carlo standard errors; and
/// the probability falls as the claim rises.
#[test]
fn claim_at_the_median_is_reached_in_half_the_draws_and_higher_claims_less_often() {
    let first = run(&fixture("jeugd.toml"), 400, 1, 20);
    let median = first.claims[0].p50;
    assert!(median > 0.0, "the fixture must save something: {median}");
    let dir = tmpdir();
    let path = variant(dir.path(), "median.toml", |t| {
        t.replacen("pv = 10000", &format!("pv = {median}"), 1)
            .replacen("pv = 20000", &format!("pv = {}", median * 1.5), 1)
            .replacen("pv = 40000", &format!("pv = {}", median * 2.0), 1)
            .replacen("pv = 80000", &format!("pv = {}", median * 4.0), 1)
    });
    let n = 1000;
    let second = run(&path, n, 2, 20);
    let p = second.claims[0].p_reached;
    let mcse = (0.25 / n as f64).sqrt();
    assert!((p - 0.5).abs() <= 4.0 * mcse, "P(reached) at the median = {p}, expected 0.5 ± {}", 4.0 * mcse);
    assert!((second.claims[0].mcse - (p * (1.0 - p) / n as f64).sqrt()).abs() < 1e-12);
    let ps: Vec<f64> = second.claims[..4].iter().map(|c| c.p_reached).collect();
    for w in ps.windows(2) {
        assert!(w[1] < w[0], "P(reached) must fall as the claim rises: {ps:?}");
    }
}

/// The break-even effect, written back into the application as a point value,
/// gives a funder NPV of about zero on the same draws: within what the solver's
/// tolerance on λ allows (the NPV's slope in λ times the tolerance).
#[test]
fn break_even_effect_fed_back_gives_zero_funder_npv() {
    let solve_draws = 60;
    let first = run(&fixture("jeugd.toml"), solve_draws, 5, solve_draws);
    let be = &first.break_even;
    assert!(be.found, "{be:?}");
    let rr = be.effects[0].rr;
    let dir = tmpdir();
    let path = variant(dir.path(), "break-even.toml", |t| {
        t.replacen("rr = { dist = \"lognormal\", ratio = 0.8, ci95 = [0.6, 1.0] }", &format!("rr = {rr}"), 1)
    });
    let fed = run(&path, solve_draws, 5, solve_draws);
    // No effect at all: NPV(λ = 0) = −(the funder's costs); slope ≈ that over λ*.
    let none = variant(dir.path(), "no-effect.toml", |t| {
        t.replacen("rr = { dist = \"lognormal\", ratio = 0.8, ci95 = [0.6, 1.0] }", "rr = 1.0", 1)
    });
    let at_zero = run(&none, solve_draws, 5, solve_draws).funder_npv.mean;
    assert!(at_zero < 0.0);
    let slope = at_zero.abs() / be.multiplier;
    let tol = 2.0 * slope * LAMBDA_TOL + 1e-6 * at_zero.abs();
    assert!(
        fed.funder_npv.mean.abs() <= tol,
        "funder NPV at the break-even rr {rr} = {} (tolerance {tol})",
        fed.funder_npv.mean
    );
}

#[test]
fn claim_command_writes_the_committee_page_and_json() {
    let dir = tmpdir();
    let out = dir.path().join("out");
    wijkimpact()
        .args(["claim", fixture("jeugd.toml").to_str().unwrap(), "--draws", "60", "--solve-draws", "20", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("break-even for gemeente"));
    for f in ["claim.json", "claim.html", "claim.md", "scenario.toml"] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let report: ClaimReport = serde_json::from_str(&fs::read_to_string(out.join("claim.json")).unwrap()).unwrap();
    assert_eq!(report.claims.len(), 5);
    // 300 people: a small group, so stochastic mode by default.
    assert_eq!(report.run.mode, "stochastic");
    for c in &report.claims {
        assert!((0.0..=1.0).contains(&c.p_reached));
        assert!(c.p10 <= c.p50 && c.p50 <= c.p90);
    }
    let html = fs::read_to_string(out.join("claim.html")).unwrap();
    assert!(html.contains("<html lang=\"nl\"") && !html.contains("<script"));
    // The generated scenario is a scenario file like any other.
    wijkimpact().args(["check"]).arg(out.join("scenario.toml")).assert().success();
}

/// Each broken application is refused with exit code 2 and an error naming the
/// application file, the line and the field.
#[test]
fn invalid_applications_name_file_line_and_field() {
    let dir = tmpdir();
    let cases: [(&str, &str, &str, &str); 5] = [
        // Regression: a misspelt profile silently gave the city-wide rates.
        ("unknown-profile.toml", "profile = \"Lindenholt\"", "profile = \"Lindenhlt\"", "application.profile"),
        (
            "unknown-taakveld.toml",
            "taakveld = \"6.72\"\npv = 10000",
            "taakveld = \"9.99\"\npv = 10000",
            "claim[0].taakveld",
        ),
        (
            "negative-reach.toml",
            "participants_per_year = 100",
            "participants_per_year = -5",
            "initiative.participants_per_year",
        ),
        ("missing-evidence.toml", "source = \"test fixture\"\n", "", "effect[0].source"),
        ("bad-distribution.toml", "ratio = 0.8, ci95 = [0.6, 1.0]", "ratio = 0.8, ci95 = [0.9, 1.0]", "effect[0].rr"),
    ];
    for (name, from, to, field) in cases {
        let path = variant(dir.path(), name, |t| {
            assert!(t.contains(from), "{from}");
            t.replacen(from, to, 1)
        });
        let text = fs::read_to_string(&path).unwrap();
        let expected_line = match text.find(to.lines().next().unwrap_or(to)) {
            Some(at) if !to.is_empty() => Some(text[..at].lines().count().max(1)),
            _ => None,
        };
        let assert = wijkimpact()
            .args(["claim", path.to_str().unwrap(), "--out"])
            .arg(dir.path().join(format!("{name}.out")))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        let prefix = format!("{}:", path.display());
        let line =
            stderr.lines().find(|l| l.contains(field)).unwrap_or_else(|| panic!("{name}: no {field} in\n{stderr}"));
        assert!(line.contains(&prefix), "{name}: error does not name the file: {line}");
        if let Some(n) = expected_line {
            let n = if text[..text.find(to).unwrap()].ends_with('\n') { n + 1 } else { n };
            assert!(line.contains(&format!("{prefix}{n}:")), "{name}: expected line {n}: {line}");
        }
        assert!(!dir.path().join(format!("{name}.out")).join("claim.json").exists());
    }
}
