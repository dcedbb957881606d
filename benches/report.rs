//! Criterion bench of report generation: read a run directory and render the
//! Dutch HTML report. The report reads only the summaries a run wrote (never
//! the per-draw files), so its time depends on areas × measures × years, not on
//! the number of draws; the bench uses a whole-city run (nine stadsdelen, four
//! scenarios: the largest bundled report). Goal: < 2 s for a 10,000-draw run.
//! Run with `cargo bench --bench report`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use wijkimpact::report::{self, Lang};

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let run = dir.path().join("run");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/nijmegen.toml");
    // Few draws: the run's summaries have the same size for any draw count.
    let status = Command::new(env!("CARGO_BIN_EXE_wijkimpact"))
        .args(["run", scenario.to_str().unwrap(), "--draws", "4", "--seed", "7", "--out"])
        .arg(&run)
        .env("CI", "1")
        .status()
        .expect("run wijkimpact");
    assert!(status.success(), "the run for the bench failed");

    let mut g = c.benchmark_group("report");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("load/nijmegen", |b| b.iter(|| report::RunData::load(&run).expect("load")));
    let data = report::RunData::load(&run).expect("load");
    g.bench_function("render_html/nijmegen", |b| b.iter(|| report::html::render(&data, Lang::Nl).expect("render")));
    g.bench_function("render/nijmegen", |b| b.iter(|| report::render(&run, Lang::Nl).expect("render")));
    g.finish();
}

criterion_group!(report_benches, benches);
criterion_main!(report_benches);
