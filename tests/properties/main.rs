//! Property tests: random but valid scenarios (generated as TOML text and loaded
//! through `scenario::load_str`, so the whole validator is in the loop) must
//! keep the engine's invariants in both modes:
//!
//! - people are conserved every year, area and arm;
//! - person-years per state are non-negative and add up to the chain's
//!   `active/...` measure; no NaN or infinity outside the metrics that
//!   `business.rs` documents as possibly missing;
//! - every probability row the engine builds is a probability vector
//!   (`sim::rows::apply`, `sim::realise::row`);
//! - results do not depend on the number of threads, and a draw computed
//!   alone equals the same draw inside a run;
//! - adding a parameter does not change the values the others take.
//!
//! Case counts are kept small: the whole file runs in seconds in release.
//!
//! The generator is in `gen`, the scenario text it becomes in `render`, the invariants
//! in `invariants`; the probability rows are checked on their own in `rows`.

#[path = "../common/mod.rs"]
mod common;
mod coverage;
mod gen;
mod invariants;
mod regressions;
mod render;
mod rows;

use proptest::prelude::*;

use wijkimpact::model::Model;
use wijkimpact::params;
use wijkimpact::runner::{self, RunContext, RunOptions};

use gen::spec;
use invariants::{
    check_conservation, check_finite, check_person_years, run_all, same_counts_as_reference, same_result, MODES,
};
use render::render;

/// A generated scenario's model; panics with the errors and the text.
fn load(text: &str) -> Model {
    common::model_from_str("generated.toml", text)
}

/// `cases` cases, without failure persistence: integration tests have no src/ of
/// their own to put a file next to.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, max_shrink_iters: 200, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(48))]

    /// Generated scenarios load, and every draw conserves people, keeps
    /// person-years consistent and produces finite numbers, in both modes.
    #[test]
    fn generated_scenarios_keep_the_invariants(spec in spec(), seed in 0u64..1000) {
        let text = render(&spec, false);
        let m = load(&text);
        let ctx = RunContext::new(&m).expect("plan");
        for mode in MODES {
            let opts = RunOptions::new(seed, 2, mode);
            for d in 0..2 {
                let r = runner::run_draw(&ctx, &opts, d).expect("draw");
                let res = check_conservation(&m, &r, mode)
                    .and_then(|_| check_person_years(&m, &ctx.measures, &r, mode))
                    .and_then(|_| check_finite(&ctx, &r, mode));
                prop_assert!(res.is_ok(), "{}\n--- scenario ---\n{}", res.unwrap_err(), text);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// threads = 1 and threads = 2 give bit-identical draws in draw order;
    /// `run_draw(d)` alone equals the d-th draw of the run; a shard holds
    /// exactly the same draws.
    #[test]
    fn results_do_not_depend_on_threads_or_on_other_draws(spec in spec(), seed in 0u64..1000) {
        let text = render(&spec, false);
        let m = load(&text);
        let ctx = RunContext::new(&m).expect("plan");
        for mode in MODES {
            let draws = 5;
            let mut opts = RunOptions::new(seed, draws, mode);
            opts.threads = 1;
            let one = run_all(&ctx, &opts);
            opts.threads = 2;
            let two = run_all(&ctx, &opts);
            prop_assert_eq!(one.len(), draws as usize);
            prop_assert_eq!(two.len(), draws as usize);
            for (d, (a, b)) in one.iter().zip(&two).enumerate() {
                prop_assert_eq!(a.draw, d as u64);
                let res = same_result(a, b);
                prop_assert!(res.is_ok(), "{mode:?} threads 1 vs 2: {}\n{}", res.unwrap_err(), text);
            }
            for d in [0u64, 3, 4] {
                let alone = runner::run_draw(&ctx, &opts, d).expect("draw");
                let res = same_result(&alone, &one[d as usize]);
                prop_assert!(res.is_ok(), "{mode:?} run_draw({d}) vs run: {}\n{}", res.unwrap_err(), text);
            }
            let mut shard = opts.clone();
            shard.shard_index = 1;
            shard.shard_count = 2;
            let odd = run_all(&ctx, &shard);
            prop_assert_eq!(odd.iter().map(|r| r.draw).collect::<Vec<_>>(), vec![1, 3]);
            for r in &odd {
                let res = same_result(r, &one[r.draw as usize]);
                prop_assert!(res.is_ok(), "{mode:?} shard: {}\n{}", res.unwrap_err(), text);
            }
        }
    }

    /// Adding a named parameter to a file does not change the values the other
    /// parameters take in a draw (params.rs: "adding a parameter to a file does
    /// not change the values the other parameters take").
    #[test]
    fn adding_a_parameter_does_not_change_the_others(spec in spec(), seed in 0u64..1000, draw in 0u64..50) {
        let without = load(&render(&spec, false));
        let with = load(&render(&spec, true));
        let names_without = without.params.slot_names();
        let names_with = with.params.slot_names();
        let p_without = params::sample_draw(&without.params, seed, draw);
        let p_with = params::sample_draw(&with.params, seed, draw);
        for (i, name) in names_without.iter().enumerate() {
            let j = names_with.iter().position(|n| n == name);
            prop_assert!(j.is_some(), "parameter {name} disappeared");
            let j = j.unwrap();
            prop_assert_eq!(
                p_without[i].to_bits(),
                p_with[j].to_bits(),
                "parameter {} takes {} without the extra parameter and {} with it",
                name,
                p_without[i],
                p_with[j]
            );
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Blocks simulated one at a time, reused across arms and areas, in place
    /// and skipping structural zeros give the reference engine's counts bit
    /// for bit, with reuse on and off.
    #[test]
    fn fast_cohort_engine_equals_the_reference(spec in spec(), seed in 0u64..1000) {
        let text = render(&spec, false);
        let m = load(&text);
        let res = same_counts_as_reference(&m, seed, 2);
        prop_assert!(res.is_ok(), "{}\n--- scenario ---\n{}", res.unwrap_err(), text);
    }
}

/// The same on every bundled scenario that runs on its own.
#[test]
fn fast_cohort_engine_equals_the_reference_on_bundled_scenarios() {
    let mut checked = 0;
    for path in common::scenario_files() {
        let Ok(loaded) = wijkimpact::scenario::load(&path) else { continue };
        if loaded.model.scenarios.is_empty() {
            continue;
        }
        let res = same_counts_as_reference(&loaded.model, 5, 1);
        assert!(res.is_ok(), "{}: {}", path.display(), res.unwrap_err());
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} bundled scenarios checked");
}
