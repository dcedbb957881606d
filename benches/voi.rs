//! Criterion bench of the EVPPI: 20 parameter groups of 1 to 4 inputs from
//! 10,000 draws of 5 arms of synthetic net benefits, through
//! `voi::evppi_groups` (groups in parallel in the current rayon pool), and
//! one group of 4 inputs alone; then W-city's own 20 groups on 10,000 draws
//! of its parameters. The target is all 20 groups within 10 s on 2 cores.
//! Run with `cargo bench --bench voi`.

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::{s, Array2};
use std::time::Duration;
use wijkimpact::decision::voi::{self, EvppiOptions};
use wijkimpact::rng::{self, Purpose};

const DRAWS: usize = 10_000;
const ARMS: usize = 5;
const INPUTS: usize = 30;

/// Uniform inputs and net benefits that depend on them smoothly and
/// differently per arm, plus noise from inputs outside every group.
fn synthetic() -> (Array2<f64>, Array2<f64>) {
    let mut r = rng::stream(2014, 0, Purpose::Test, 0);
    let x = Array2::from_shape_fn((DRAWS, INPUTS), |_| rng::uniform(&mut r));
    let nb = Array2::from_shape_fn((DRAWS, ARMS), |(j, d)| {
        let row = x.row(j);
        let a = d as f64;
        (0..INPUTS)
            .map(|i| {
                let w = 1.0 + ((i * 7 + d * 3) % 11) as f64;
                w * 100.0 * (row[i] - 0.5) * (1.0 + 0.3 * a) + 40.0 * a * (row[i] * row[i] - 1.0 / 3.0)
            })
            .sum::<f64>()
            + 50.0 * a
    });
    (nb, x)
}

fn benches(c: &mut Criterion) {
    let (nb, x) = synthetic();
    // Groups of 1, 2, 3, 4, 1, 2, … inputs over consecutive input columns.
    let mut groups = Vec::new();
    let mut start = 0;
    for g in 0..20 {
        let size = 1 + g % 4;
        if start + size > INPUTS {
            start = 0;
        }
        groups.push(x.slice(s![.., start..start + size]));
        start += size;
    }
    let opts = EvppiOptions::default();
    let mut g = c.benchmark_group("evppi");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.bench_function("20 groups of 1-4 inputs, 10000 draws, 5 arms", |b| {
        b.iter(|| {
            let out = voi::evppi_groups(nb.view(), &groups, &opts);
            assert!(out.iter().all(Result::is_ok));
            out
        })
    });
    g.bench_function("1 group of 4 inputs, 10000 draws, 5 arms", |b| {
        b.iter(|| voi::evppi(nb.view(), groups[3], &opts).unwrap())
    });
    // W-city's own 20 groups (scenarios/nijmegen.toml, 1 to 20 inputs each,
    // dirichlet rows included) on 10,000 draws of its parameters. The cost of
    // a regression depends on the draws and the group's basis, not on the net
    // benefits' values, so these are synthetic: smooth in the group inputs.
    let (wnb, winputs) = wcity();
    let views: Vec<_> = winputs.iter().map(|x| x.view()).collect();
    g.bench_function("W-city's 20 groups, 10000 draws, 5 arms", |b| {
        b.iter(|| {
            let out = voi::evppi_groups(wnb.view(), &views, &opts);
            assert!(out.iter().all(Result::is_ok));
            out
        })
    });
    g.finish();
}

/// 10,000 draws of W-city's parameters: the inputs of each of its parameter
/// groups, and net benefits of 5 arms smooth in all of them.
fn wcity() -> (Array2<f64>, Vec<Array2<f64>>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/nijmegen.toml");
    let model = wijkimpact::scenario::load(&path).expect("scenarios/nijmegen.toml").model;
    let draws: Vec<Vec<f64>> =
        (0..DRAWS as u64).map(|d| wijkimpact::params::sample_draw(&model.params, 7, d)).collect();
    let groups = &model.decision.groups;
    assert_eq!(groups.len(), 20, "W-city declares 20 parameter groups");
    let inputs: Vec<Array2<f64>> =
        groups.iter().map(|g| Array2::from_shape_fn((DRAWS, g.slots.len()), |(j, k)| draws[j][g.slots[k]])).collect();
    // Standardised inputs, so every group moves the net benefit.
    let z: Vec<Array2<f64>> = inputs
        .iter()
        .map(|x| {
            let mut x = x.clone();
            for mut col in x.columns_mut() {
                let m = col.mean().unwrap_or(0.0);
                let sd = col.std(0.0).max(1e-12);
                col.mapv_inplace(|v| (v - m) / sd);
            }
            x
        })
        .collect();
    let nb = Array2::from_shape_fn((DRAWS, ARMS), |(j, d)| {
        z.iter()
            .enumerate()
            .map(|(g, x)| x.row(j).iter().map(|v| (1.0 + ((g + d) % 5) as f64) * (v + 0.1 * v * v)).sum::<f64>())
            .sum::<f64>()
            * 1000.0
            * d as f64
    });
    (nb, inputs)
}

criterion_group!(voi_bench, benches);
criterion_main!(voi_bench);
