//! Criterion bench of the budget allocation on the bundled whole-city
//! portfolio (`scenarios/allocatie/fonds-stad.toml`: 31 options, 18 pairs
//! checked): the evaluation of every option on the same draws (simulation,
//! the part that grows with draws and options) and the optimisation on those
//! draws (recommended portfolio, frontier, equity sweep, best portfolio per
//! draw). The whole-run target is ≤ 60 s for 2,000 draws on 2 cores
//! (README); here 40 draws keep a sample short, and the throughput is
//! reported in draws per second (× 50 = the evaluation's share of a
//! 2,000-draw run). Run with `cargo bench --bench allocate`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use std::time::Duration;
use wijkimpact::allocate::evaluate::{self, EvalOptions};
use wijkimpact::allocate::result::AllocationRun;
use wijkimpact::allocate::{analyse, validate};

const DRAWS: u64 = 40;

fn benches(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/allocatie/fonds-stad.toml");
    let p = validate::load(&file, Default::default()).expect("the bundled portfolio loads");
    let opts = EvalOptions { draws: DRAWS, seed: 7, threads: 0, mode: None };
    let mut g = c.benchmark_group("allocate");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(40));
    g.throughput(Throughput::Elements(DRAWS));
    g.bench_function("evaluate 31 options, 40 draws", |b| {
        b.iter(|| evaluate::evaluate(&p, &opts, &mut |_, _| {}).expect("simulates"))
    });
    let ev = evaluate::evaluate(&p, &EvalOptions { draws: 2000, ..opts.clone() }, &mut |_, _| {}).expect("simulates");
    let run = AllocationRun {
        draws: 2000,
        seed: 7,
        engine_version: String::new(),
        prng: String::new(),
        command_line: vec![],
        inputs: vec![],
        work_units: 0,
    };
    g.throughput(Throughput::Elements(2000));
    g.bench_function("optimise 31 options on 2000 draws", |b| {
        b.iter(|| analyse::analyse(&p, &ev, run.clone(), None).expect("solves"))
    });
    g.finish();
}

criterion_group!(allocate, benches);
criterion_main!(allocate);
