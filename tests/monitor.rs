//! The monitor's Bayesian update checked against a known truth, on a toy model
//! (tests/fixtures/monitor/toy.toml) whose one uncertain inflow probability
//! `p_in ~ beta(mean 0.10, sd 0.03)` drives the prevalence of care.
//!
//! - Recovery: observations drawn from a run with `p_in` fixed at 0.16 move the
//!   posterior mean of `p_in` from the prior mean towards 0.16.
//! - Calibration: with the truth drawn from the prior (held-out draws of the
//!   same run), the 90 % posterior interval covers it in about 90 % of
//!   repetitions. With R repetitions the coverage has standard error
//!   √(0.9·0.1/R); the test allows 3 of them plus the importance-sampling error.
//! - Observations far outside every draw give a clear message, not NaN.

mod common;

use common::{tmpdir, wijkimpact};
use predicates::prelude::*;
use rand::SeedableRng;
use rand_distr::{Binomial, Distribution};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::path::{Path, PathBuf};
use wijkimpact::model::{Mode, Model};
use wijkimpact::monitor::observed::{self, Observation, Sampling};
use wijkimpact::monitor::{self, DrawRecord, MonitorSink};
use wijkimpact::runner::{self, RunContext, RunOptions};

fn toy_path() -> PathBuf {
    common::fixture("monitor/toy.toml")
}

fn toy() -> Model {
    common::load_model(&toy_path())
}

const N_SURVEY: f64 = 300.0;
const YEARS: [i32; 3] = [2026, 2027, 2028];

/// Survey observations of the care prevalence in the three years (values filled later).
fn template(model: &Model, ctx: &RunContext<'_>) -> Vec<Observation> {
    let mut csv = String::from("year,area,measure,value,n,se\n");
    for y in YEARS {
        csv.push_str(&format!("{y},Wijk,prevalence/zorg/zorg,0.1,{N_SURVEY},\n"));
    }
    observed::parse(Path::new("template.csv"), csv.as_bytes(), model, &ctx.measures).unwrap()
}

fn simulate(ctx: &RunContext<'_>, obs: &[Observation], draws: u64) -> Vec<DrawRecord> {
    let opts = RunOptions::new(11, draws, Mode::Cohort);
    let mut sink = MonitorSink {
        observations: obs,
        arm: 1,
        metrics_at: ctx.metric_index(0, ctx.n_area_slots() - 1, 0),
        records: vec![],
    };
    runner::run(ctx, &opts, &mut sink, &mut |_| {}).unwrap();
    sink.records
}

/// Binomial survey results for true prevalences `prev`.
fn survey(template: &[Observation], prev: &[f64], seed: u64) -> Vec<Observation> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    template
        .iter()
        .zip(prev)
        .map(|(o, &p)| {
            let k = Binomial::new(N_SURVEY as u64, p).unwrap().sample(&mut rng) as f64;
            Observation { value: k / N_SURVEY, ..o.clone() }
        })
        .collect()
}

fn p_in_slot(model: &Model) -> usize {
    model.params.params.iter().find(|p| p.name == "p_in").unwrap().offset
}

#[test]
fn posterior_moves_towards_a_known_truth() {
    let model = toy();
    let ctx = RunContext::new(&model).unwrap();
    let obs = template(&model, &ctx);
    let records = simulate(&ctx, &obs, 4000);
    // The truth: p_in = 0.16, every other parameter at its mean.
    let slot = p_in_slot(&model);
    let mut truth = wijkimpact::params::means(&model.params);
    let truth_p = 0.16;
    truth[slot] = truth_p;
    let r = runner::evaluate(&ctx, Mode::Cohort, 11, 0, truth).unwrap();
    let prev: Vec<f64> = obs.iter().map(|o| monitor::simulated(o, &r.arms[1])).collect();
    let data = survey(&obs, &prev, 1);
    let report = monitor::analyse(&ctx, "preventie", &data, &records, 100.0);
    assert!(report.updated, "{:?}", report.message);
    let p = report.parameters.iter().find(|p| p.parameter == "p_in").expect("p_in moved");
    assert!((p.prior_mean - 0.10).abs() < 0.005, "prior mean {}", p.prior_mean);
    assert!(
        (p.posterior_mean - truth_p).abs() < (p.prior_mean - truth_p).abs() / 2.0,
        "posterior mean {} should move at least halfway from {} towards {truth_p}",
        p.posterior_mean,
        p.prior_mean
    );
    assert!(p.posterior_p5 <= truth_p && truth_p <= p.posterior_p95, "{p:?}");
    // p_in is what the observations inform, so it moved most.
    assert_eq!(report.parameters[0].parameter, "p_in");
}

#[test]
fn ninety_percent_posterior_intervals_cover_the_truth_about_ninety_percent_of_the_time() {
    let model = toy();
    let ctx = RunContext::new(&model).unwrap();
    let obs = template(&model, &ctx);
    let prior_draws = 6000;
    let reps = 300;
    let records = simulate(&ctx, &obs, prior_draws + reps as u64);
    let (prior, truths) = records.split_at(prior_draws as usize);
    let slot = p_in_slot(&model);
    let mut covered = 0;
    let mut min_ess = f64::INFINITY;
    for (r, t) in truths.iter().enumerate() {
        let data = survey(&obs, &t.sims, 1000 + r as u64);
        let report = monitor::analyse(&ctx, "preventie", &data, prior, 0.0);
        min_ess = min_ess.min(report.ess);
        let p = report.parameters.iter().find(|p| p.parameter == "p_in").unwrap();
        let truth = t.params[slot];
        if p.posterior_p5 <= truth && truth <= p.posterior_p95 {
            covered += 1;
        }
    }
    let coverage = covered as f64 / reps as f64;
    let se = (0.9 * 0.1 / reps as f64).sqrt();
    eprintln!(
        "coverage of the 90 % interval: {coverage:.3} over {reps} repetitions (se {se:.3}); smallest ESS {min_ess:.0}"
    );
    assert!(min_ess > 30.0, "the test needs enough effective draws: {min_ess}");
    // 3 standard errors of the coverage plus 0.02 for the weighted quantiles' own error.
    assert!((coverage - 0.9).abs() <= 3.0 * se + 0.02, "coverage {coverage}, expected 0.90 ± {:.3}", 3.0 * se + 0.02);
}

#[test]
fn observations_outside_every_draw_give_a_message_not_nan() {
    let model = toy();
    let ctx = RunContext::new(&model).unwrap();
    let obs = template(&model, &ctx);
    let records = simulate(&ctx, &obs, 300);
    let data: Vec<Observation> = obs.iter().map(|o| Observation { value: 0.95, ..o.clone() }).collect();
    let report = monitor::analyse(&ctx, "preventie", &data, &records, 100.0);
    assert!(!report.updated);
    let msg = report.message.as_deref().unwrap_or("");
    assert!(msg.contains("effective sample size") && msg.contains("more draws"), "{msg}");
    assert!(report.observations.iter().all(|o| !o.inside_band && o.percentile == 1.0));
    assert!(report.ess.is_finite() && report.ess >= 1.0);
    assert!(report.verdicts.iter().all(|v| v.verdict == "uit koers"));
    // Prior figures are still there; nothing pretends to be a posterior.
    assert!(report.business_case.iter().all(|b| b.prior_mean.is_finite() && b.posterior_mean.is_nan()));
    assert!(report.parameters.is_empty());
    // A count where the model can have none (no person has the measure): the likelihood is
    // −∞ in every draw, and the message names the observation.
    let none = vec![Observation { sampling: Sampling::Normal { se: 0.01 }, value: 0.3, ..obs[0].clone() }];
    let mut nan_records = records.clone();
    for r in &mut nan_records {
        r.sims[0] = f64::NAN;
    }
    let report = monitor::analyse(&ctx, "preventie", &none, &nan_records, 100.0);
    assert!(!report.updated && report.ess == 0.0);
    assert!(report.message.as_deref().unwrap_or("").contains("line 2"), "{:?}", report.message);
}

#[test]
fn monitor_command_writes_monitor_json_and_reports_bad_rows() {
    let dir = tmpdir();
    let good = dir.path().join("observed.csv");
    std::fs::write(
        &good,
        "year,area,measure,value,n,se\n2026,Wijk,prevalence/zorg/zorg,0.17,300,\n2027,Wijk,starts/zorg,260,,30\n",
    )
    .unwrap();
    let out = dir.path().join("run");
    wijkimpact()
        .args([
            "monitor",
            toy_path().to_str().unwrap(),
            "--observed",
            good.to_str().unwrap(),
            "--draws",
            "400",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("effective sample size"));
    let report: monitor::MonitorReport =
        serde_json::from_str(&std::fs::read_to_string(out.join("monitor.json")).unwrap()).unwrap();
    assert_eq!(report.observations.len(), 2);
    assert!(report.ess > 0.0 && report.ess <= 400.0);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("monitor.json") && manifest.contains("observed.csv"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "year,area,measure,value,n,se\n2026,Wijk,prevalence/zorg/zorg,0.17,300,\n2027,Elders,starts/zorg,260,,\n2028,Wijk,prevalence/zorg/ziek,0.2,300,\n2099,Wijk,starts/zorg,-3,,\n",
    )
    .unwrap();
    wijkimpact()
        .args(["monitor", toy_path().to_str().unwrap(), "--observed", bad.to_str().unwrap(), "--out"])
        .arg(dir.path().join("bad-run"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.csv:3: column area: unknown area `Elders`")
                .and(predicate::str::contains("bad.csv:4: column measure: chain `zorg` has no state `ziek`"))
                .and(predicate::str::contains("bad.csv:5: column year"))
                .and(predicate::str::contains("bad.csv:5: column value")),
        );
    assert!(!dir.path().join("bad-run").join("summary.json").exists());
}
