//! `wijkimpact merge SHARD_DIR… --out DIR`: replay the draws of every shard,
//! in draw order, through the sinks of a single run.

use super::run::{create_dir, report, write_results, Analyses, Provenance};
use super::{BadInput, MergeConfig};
use anyhow::Context;
use serde_json::Value;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};
use wijkimpact::model::Mode;
use wijkimpact::output::csv::DrawsCsv;
use wijkimpact::output::shard::ShardReader;
use wijkimpact::output::{manifest, FanOut, MANIFEST_JSON};
use wijkimpact::runner::{DrawSink, RunContext, RunOptions, RunStats};
use wijkimpact::summary::Summariser;

/// What a shard's manifest says about it.
struct ShardInfo {
    dir: PathBuf,
    index: u64,
    count: u64,
    scenario_hash: String,
    seed: u64,
    draws: u64,
    mode: String,
    quantiles: Vec<f64>,
    inputs: Vec<manifest::InputFile>,
    threads: u64,
}

fn bad(msg: String) -> anyhow::Error {
    anyhow::Error::new(BadInput(msg))
}

fn read_shard(dir: &Path) -> anyhow::Result<ShardInfo> {
    let path = dir.join(MANIFEST_JSON);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| bad(format!("{}: {e} (not a complete shard directory?)", path.display())))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    let field = |name: &str| v.get(name).ok_or_else(|| bad(format!("{}: field `{name}` is missing", path.display())));
    let num = |name: &str| -> anyhow::Result<u64> {
        field(name)?.as_u64().ok_or_else(|| bad(format!("{}: field `{name}` is not a whole number", path.display())))
    };
    let shard = field("shard")?;
    let (index, count) = match (shard.get("index").and_then(Value::as_u64), shard.get("count").and_then(Value::as_u64))
    {
        (Some(i), Some(n)) if n > 1 => (i, n),
        _ => return Err(bad(format!("{}: not a shard (run it with --shard I/N)", dir.display()))),
    };
    let inputs = field("inputs")?
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| {
                    Some(manifest::InputFile {
                        path: f.get("path")?.as_str()?.to_string(),
                        sha256: f.get("sha256")?.as_str()?.to_string(),
                    })
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok(ShardInfo {
        dir: dir.to_path_buf(),
        index,
        count,
        scenario_hash: field("scenario_hash")?.as_str().unwrap_or_default().to_string(),
        seed: num("seed")?,
        draws: num("draws")?,
        mode: field("mode")?.as_str().unwrap_or_default().to_string(),
        quantiles: field("quantiles")?
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default(),
        inputs,
        threads: num("threads")?,
    })
}

/// Check that the shards belong together and cover every draw exactly once;
/// returns them ordered by shard index.
fn consistent(mut shards: Vec<ShardInfo>) -> anyhow::Result<Vec<ShardInfo>> {
    shards.sort_by_key(|s| s.index);
    let first = &shards[0];
    for s in &shards[1..] {
        let mismatch = |what: &str, a: String, b: String| {
            bad(format!("{} and {} come from different runs: {what} {a} vs {b}", first.dir.display(), s.dir.display()))
        };
        if s.scenario_hash != first.scenario_hash {
            return Err(mismatch("scenario hash", first.scenario_hash.clone(), s.scenario_hash.clone()));
        }
        if s.seed != first.seed {
            return Err(mismatch("seed", first.seed.to_string(), s.seed.to_string()));
        }
        if s.draws != first.draws {
            return Err(mismatch("draws", first.draws.to_string(), s.draws.to_string()));
        }
        if s.mode != first.mode {
            return Err(mismatch("mode", first.mode.clone(), s.mode.clone()));
        }
        if s.count != first.count {
            return Err(mismatch("shard count", first.count.to_string(), s.count.to_string()));
        }
        if s.quantiles != first.quantiles {
            return Err(mismatch("quantiles", format!("{:?}", first.quantiles), format!("{:?}", s.quantiles)));
        }
    }
    for w in shards.windows(2) {
        if w[0].index == w[1].index {
            return Err(bad(format!(
                "{} and {} are both shard {}/{}: each shard must be given once",
                w[0].dir.display(),
                w[1].dir.display(),
                w[0].index,
                w[0].count
            )));
        }
    }
    let n = first.count;
    let missing: Vec<String> =
        (0..n).filter(|i| !shards.iter().any(|s| s.index == *i)).map(|i| format!("{i}/{n}")).collect();
    if !missing.is_empty() {
        return Err(bad(format!("missing shards: {} (all {n} shards are needed)", missing.join(", "))));
    }
    Ok(shards)
}

pub fn merge(cfg: &MergeConfig) -> anyhow::Result<()> {
    let (dirs, out, force, command_line) = (&cfg.shards, &cfg.out, cfg.force, cfg.command_line.clone());
    let started_at = SystemTime::now();
    let clock = Instant::now();
    let shards = consistent(dirs.iter().map(|d| read_shard(d)).collect::<anyhow::Result<Vec<_>>>()?)?;
    let first = &shards[0];
    let main_file =
        first.inputs.first().ok_or_else(|| bad(format!("{}: manifest lists no input files", first.dir.display())))?;
    let loaded = wijkimpact::scenario::load(Path::new(&main_file.path))
        .map_err(|e| bad(format!("cannot reload the shards' scenario {}:\n{e}", main_file.path)))?;
    let inputs = super::run::input_files(&loaded);
    if manifest::combined_hash(&inputs) != first.scenario_hash {
        return Err(bad(format!(
            "{} has changed since the shards were run (SHA-256 differs): merge needs the same scenario files",
            main_file.path
        )));
    }
    let model = &loaded.model;
    let mode = match first.mode.as_str() {
        "stochastic" => Mode::Stochastic,
        _ => Mode::Cohort,
    };
    let ctx = RunContext::new(model).map_err(|e| bad(format!("{}: {e}", main_file.path)))?;
    let mut readers = shards.iter().map(|s| ShardReader::open(&s.dir, &ctx)).collect::<Result<Vec<_>, _>>()?;
    let dir = create_dir(out, force)?;
    let mut dir = dir;
    let mut summariser = Summariser::new(&ctx, &first.quantiles).map_err(BadInput)?;
    let mut draws_csv = DrawsCsv::create(&mut dir, &ctx)?;
    let n = first.count;
    let mut stats =
        RunStats { threads: shards.iter().map(|s| s.threads as usize).max().unwrap_or(1), ..Default::default() };
    {
        let mut fan = FanOut::new(vec![&mut summariser, &mut draws_csv]);
        for d in 0..first.draws {
            let reader = &mut readers[(d % n) as usize];
            let r = reader.next_draw()?.ok_or_else(|| {
                bad(format!(
                    "{}: ends before draw {d}: the shard run did not finish",
                    shards[(d % n) as usize].dir.display()
                ))
            })?;
            if r.draw != d {
                return Err(bad(format!(
                    "{}: holds draw {} where draw {d} was expected",
                    shards[(d % n) as usize].dir.display(),
                    r.draw
                )));
            }
            stats.record(&r);
            fan.push(&ctx, &r).context("writing merged results")?;
        }
    }
    for (s, r) in shards.iter().zip(readers.iter_mut()) {
        if r.next_draw()?.is_some() {
            return Err(bad(format!("{}: holds more draws than its manifest says", s.dir.display())));
        }
    }
    let info = Provenance { inputs, seed: first.seed, draws: first.draws, mode, quantiles: first.quantiles.clone() };
    let opts = RunOptions::new(first.seed, first.draws, mode);
    let announce = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let analyses = Analyses::compute(&ctx, cfg.threads, cfg.sensitivity, announce)?;
    let summary = write_results(
        dir,
        model,
        &info,
        draws_csv,
        summariser,
        &analyses,
        &stats,
        &opts,
        command_line,
        started_at,
        clock,
        &[],
    )?;
    report(&summary, &stats, mode.as_str());
    println!("{} shards merged into {}", shards.len(), out.display());
    Ok(())
}
