//! Criterion benches for the hot paths: parameter sampling for one draw, one
//! draw of a small model and of the whole city in each mode, summarising one
//! draw, and a whole (short) run. Run with `cargo bench --bench engine`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::path::Path;
use wijkimpact::model::{Mode, Model};
use wijkimpact::runner::{run, run_draw, DrawResult, DrawSink, RunContext, RunOptions, SinkError};
use wijkimpact::sim::{self, Plan, Warnings};
use wijkimpact::summary::Summariser;
use wijkimpact::{params, scenario};

fn load(name: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name);
    match scenario::load(&path) {
        Ok(l) => l.model,
        Err(e) => panic!("{name} does not load:\n{e}"),
    }
}

struct Discard;
impl DrawSink for Discard {
    fn push(&mut self, _: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        std::hint::black_box(r);
        Ok(())
    }
}

/// The cohort simulation of one draw (every arm, raw counts only), with its
/// useful multiply-adds as the throughput, so a regression shows as a lower
/// rate even on a noisy machine.
fn cohort_kernel(c: &mut Criterion, label: &str, model: &Model) {
    let plan = Plan::new(model).expect("plan");
    let p = params::sample_draw(&model.params, 7, 3);
    let simulate = || {
        let mut w = Warnings::default();
        let spec = sim::DrawSpec { model, plan: &plan, mode: Mode::Cohort, seed: 7, draw: 3, params: &p };
        let counts = sim::simulate_counts(&spec, None, &mut w);
        (counts, w.work_units)
    };
    let madds = simulate().1;
    let mut g = c.benchmark_group(format!("cohort kernel/{label}"));
    g.throughput(Throughput::Elements(madds));
    g.bench_function("multiply-adds", |b| b.iter(simulate));
    g.finish();
}

fn benches(c: &mut Criterion) {
    let city = load("nijmegen.toml");
    let small = load("example-full.toml");

    // The kernel on three shapes: one stadsdeel for one year, the whole city
    // (W-city: nine stadsdelen, 15 years, five arms), the closed cohort.
    let mut one = city.clone();
    one.areas.truncate(1);
    one.settings.horizon = 1;
    cohort_kernel(c, "one area, one year", &one);
    cohort_kernel(c, "W-city draw", &city);
    cohort_kernel(c, "closed cohort draw", &load("bench/closed-cohort.toml"));

    c.bench_function("params/sample_draw/nijmegen", |b| {
        let mut d = 0;
        b.iter(|| {
            d += 1;
            params::sample_draw(&city.params, 7, d)
        })
    });

    for (name, model) in [("example-full", &small), ("nijmegen", &city)] {
        let ctx = RunContext::new(model).expect("plan");
        for mode in [Mode::Cohort, Mode::Stochastic] {
            let opts = RunOptions::new(7, 1, mode);
            let mut g = c.benchmark_group(format!("draw/{}/{name}", mode.as_str()));
            if name == "nijmegen" {
                g.sample_size(10);
            }
            g.bench_function("all arms, whole horizon", |b| b.iter(|| run_draw(&ctx, &opts, 3).expect("draw")));
            g.finish();
        }
    }

    {
        let ctx = RunContext::new(&city).expect("plan");
        let r = run_draw(&ctx, &RunOptions::new(7, 1, Mode::Cohort), 0).expect("draw");
        c.bench_function("summarise/one draw/nijmegen", |b| {
            b.iter_batched(
                || Summariser::new(&ctx, &[0.05, 0.5, 0.95]).expect("quantiles"),
                |mut s| {
                    s.push(&ctx, &r).expect("push");
                    s
                },
                BatchSize::LargeInput,
            )
        });
    }

    {
        let ctx = RunContext::new(&small).expect("plan");
        let mut g = c.benchmark_group("run/cohort/example-full");
        g.sample_size(10);
        g.bench_function("200 draws", |b| {
            b.iter(|| {
                let opts = RunOptions::new(7, 200, Mode::Cohort);
                run(&ctx, &opts, &mut Discard, &mut |_| {}).expect("run")
            })
        });
        g.finish();
    }
}

criterion_group!(engine, benches);
criterion_main!(engine);
