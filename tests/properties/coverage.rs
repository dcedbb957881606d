//! The generator itself: a fixed, rich spec renders and runs, and random specs
//! exercise every feature the properties are meant to cover.

use proptest::strategy::Strategy;
use wijkimpact::ledger;
use wijkimpact::model::{CycleCorrection, Mode};
use wijkimpact::runner::{self, RunContext, RunOptions};

use crate::gen::{spec, AreaSpec, ChainSpec, InterventionSpec, RiskSpec, RowSpec, Spec};
use crate::invariants::{check_conservation, check_finite, check_person_years, MODES};
use crate::load;
use crate::render::render;

#[test]
fn the_generator_produces_every_feature() {
    // A fixed, rich spec as a smoke test of the renderer itself.
    let row = |n: usize, rest: usize| RowSpec { weights: vec![0.5; n], mass: 0.3, rest, beta: vec![true; n] };
    let chain = |n: usize, death: bool| ChainSpec {
        n,
        care: true,
        ages: (100, 900),
        death,
        matrix: (0..n).map(|i| row(n, i)).collect(),
        area_matrix: Some((0..n).map(|i| row(n, i)).collect()),
        initial: row(n, 0),
        costs: vec![100.0; n],
        outcome: vec![-0.01; n],
        transition_cost: Some((0, 1, 50.0)),
    };
    let area = AreaSpec {
        cuts: (0.3, 0.6),
        counts: [Some((10, 12)), None, Some((5, 5))],
        mortality: Some(0.01),
        birth_rate: Some(0.01),
        migration: Some((0.2, 0.5, -15.0, true)),
        closed: false,
    };
    let spec = Spec {
        horizon: 4,
        max_age: 30,
        cycle: 1,
        rr_probability: false,
        two_sexes: true,
        areas: vec![area.clone(), AreaSpec { migration: Some((0.0, 1.0, 20.0, false)), ..area }],
        chains: vec![chain(3, true), chain(2, false), chain(4, true)],
        risks: vec![RiskSpec { pair: (0, 2), when_state: 1, to_state: 3, rr: 2.0, convention: Some(true) }],
        intervention: Some(InterventionSpec {
            areas_only_first: false,
            ages: None,
            target: Some((0, 1)),
            share: 0.3,
            participants: None,
            ramp: vec![0.5, 1.0],
            start: 1,
            len: 2,
            persistence: 2,
            drop_off: 0.3,
            rr: Some((2, 0, 0.6, true, None)),
            shift: Some((1, 1, 0, 0.2)),
            fixed_cost: 1000.0,
            participant_cost: 50.0,
            sroi: Some((0.1, 0.2, 0.0)),
        }),
    };
    let text = render(&spec, false);
    let m = load(&text);
    assert_eq!(m.areas.len(), 2);
    assert_eq!(m.chains.len(), 3);
    assert_eq!(m.risk_factors.len(), 1);
    assert_eq!(m.interventions.len(), 1);
    assert_eq!(m.interventions[0].effects.len(), 2);
    assert_eq!(m.scenarios.len(), 1);
    assert_eq!(m.sexes, 2);
    let ctx = RunContext::new(&m).expect("plan");
    for mode in MODES {
        let r = runner::run_draw(&ctx, &RunOptions::new(3, 1, mode), 0).expect("draw");
        check_conservation(&m, &r, mode).unwrap();
        check_person_years(&m, &ctx.measures, &r, mode).unwrap();
        check_finite(&ctx, &r, mode).unwrap();
        // The scenario arm differs from the nulalternatief: the intervention ran.
        let parts = r.arms[1].total(2, ctx.measures.participants[0]);
        assert!(parts > 0.0, "{mode:?}: nobody took part in year 2");
    }
}

/// The generator is not degenerate: over a fixed sample of scenarios every
/// feature the properties are meant to exercise actually happens.
#[test]
fn the_generator_covers_every_feature() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let names = [
        "deaths",
        "births",
        "arrivals",
        "departures",
        "participants",
        "risk factor",
        "chain deaths",
        "two sexes",
        "rescaled rows",
        "negative rest",
        "two areas",
        "three chains",
        "simpson",
    ];
    let mut seen = [0usize; 13];
    for _ in 0..150 {
        let spec = spec().new_tree(&mut runner).unwrap().current();
        let m = load(&render(&spec, false));
        let ctx = RunContext::new(&m).expect("plan");
        let r = runner::run_draw(&ctx, &RunOptions::new(1, 1, Mode::Cohort), 0).expect("draw");
        let any = |k: usize| r.arms.iter().any(|l| (0..m.settings.horizon).any(|t| l.total(t, k) > 0.0));
        let parts = ctx.measures.participants.first().is_some_and(|&k| any(k));
        let chain_deaths = ctx.measures.chain_deaths.iter().any(|&k| any(k));
        let flags = [
            any(ledger::DEATHS),
            any(ledger::BIRTHS),
            any(ledger::ARRIVALS),
            any(ledger::DEPARTURES),
            parts,
            !m.risk_factors.is_empty(),
            chain_deaths,
            m.sexes == 2,
            r.warnings.rescaled_rows > 0,
            r.warnings.negative_rest > 0,
            m.areas.len() == 2,
            m.chains.len() == 3,
            m.settings.cycle_correction == CycleCorrection::Simpson,
        ];
        for (s, f) in seen.iter_mut().zip(flags) {
            *s += usize::from(f);
        }
    }
    eprintln!("feature coverage over 150 scenarios: {:?}", names.iter().zip(seen).collect::<Vec<_>>());
    for (n, s) in names.iter().zip(seen) {
        assert!(
            s >= 3,
            "only {s} of 150 generated scenarios have {n}: {:?}",
            names.iter().zip(seen).collect::<Vec<_>>()
        );
    }
}
