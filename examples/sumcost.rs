//! Temporary: per-draw summarising cost for a scenario (not committed).
use std::path::Path;
use std::time::Instant;
use wijkimpact::model::Mode;
use wijkimpact::runner::{run_draw, DrawSink, RunContext, RunOptions};
use wijkimpact::summary::{Summariser, DEFAULT_QUANTILES};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file = &args[1];
    let n_sim: u64 = args[2].parse().unwrap();
    let reps: usize = args[3].parse().unwrap();
    let threads: usize = args[4].parse().unwrap();
    let model = wijkimpact::scenario::load(Path::new(file)).unwrap().model;
    let ctx = RunContext::new(&model).unwrap();
    let opts = RunOptions::new(7, n_sim, Mode::Cohort);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let draws: Vec<_> = pool.install(|| {
        use rayon::prelude::*;
        (0..n_sim).into_par_iter().map(|d| run_draw(&ctx, &opts, d).unwrap()).collect()
    });
    let mut s = Summariser::new(&ctx, &DEFAULT_QUANTILES).unwrap();
    let chunk = (threads * 8).max(8);
    // warm-up pass: materialises every series that varies
    pool.install(|| s.push_chunk(&ctx, &draws)).unwrap();
    let t = Instant::now();
    let mut pushed = 0;
    for _ in 0..reps {
        for c in draws.chunks(chunk) {
            pool.install(|| s.push_chunk(&ctx, c)).unwrap();
            pushed += c.len();
        }
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "{pushed} draws pushed in {el:.3} s: {:.3} ms per draw (wall, {threads} threads)",
        el * 1e3 / pushed as f64
    );
    let t = Instant::now();
    let sum = s.finish();
    println!("finish {:.3} s ({} draws)", t.elapsed().as_secs_f64(), sum.draws);
}
