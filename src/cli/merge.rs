//! `wijkimpact merge SHARD_DIR… --out DIR`: replay the draws of every shard,
//! in draw order, through the sinks of a single run.

use super::run::{create_dir, Analysis, CompletedRun, Provenance, RunClock, RunSinks};
use super::{BadInput, MergeConfig};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use wijkimpact::model::Mode;
use wijkimpact::output::schema::ManifestFile;
use wijkimpact::output::shard::{ShardReader, ShardShape, SHARD_PARQUET};
use wijkimpact::output::{manifest, FanOut, MANIFEST_JSON};
use wijkimpact::runner::{DrawSink, RunContext, RunOptions, RunStats};

/// A shard directory and what its manifest says about it.
struct ShardInfo {
    dir: PathBuf,
    manifest: ManifestFile,
}

fn bad(msg: String) -> anyhow::Error {
    anyhow::Error::new(BadInput(msg))
}

fn read_shard(dir: &Path) -> anyhow::Result<ShardInfo> {
    let path = dir.join(MANIFEST_JSON);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| bad(format!("{}: {e} (not a complete shard directory?)", path.display())))?;
    let manifest: ManifestFile = serde_json::from_str(&text).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    if manifest.shard.count <= 1 {
        return Err(bad(format!("{}: not a shard (run it with --shard I/N)", dir.display())));
    }
    Ok(ShardInfo { dir: dir.to_path_buf(), manifest })
}

/// Check that the shards belong together and cover every draw exactly once;
/// returns them ordered by shard index.
fn consistent(mut shards: Vec<ShardInfo>) -> anyhow::Result<Vec<ShardInfo>> {
    shards.sort_by_key(|s| s.manifest.shard.index);
    let first = &shards[0];
    for s in &shards[1..] {
        let mismatch = |what: &str, a: String, b: String| {
            bad(format!("{} and {} come from different runs: {what} {a} vs {b}", first.dir.display(), s.dir.display()))
        };
        if s.manifest.scenario_hash != first.manifest.scenario_hash {
            return Err(mismatch(
                "scenario hash",
                first.manifest.scenario_hash.clone(),
                s.manifest.scenario_hash.clone(),
            ));
        }
        if s.manifest.seed != first.manifest.seed {
            return Err(mismatch("seed", first.manifest.seed.to_string(), s.manifest.seed.to_string()));
        }
        if s.manifest.draws != first.manifest.draws {
            return Err(mismatch("draws", first.manifest.draws.to_string(), s.manifest.draws.to_string()));
        }
        if s.manifest.mode != first.manifest.mode {
            return Err(mismatch("mode", first.manifest.mode.clone(), s.manifest.mode.clone()));
        }
        if s.manifest.shard.count != first.manifest.shard.count {
            return Err(mismatch(
                "shard count",
                first.manifest.shard.count.to_string(),
                s.manifest.shard.count.to_string(),
            ));
        }
        if s.manifest.quantiles != first.manifest.quantiles {
            return Err(mismatch(
                "quantiles",
                format!("{:?}", first.manifest.quantiles),
                format!("{:?}", s.manifest.quantiles),
            ));
        }
    }
    for w in shards.windows(2) {
        if w[0].manifest.shard.index == w[1].manifest.shard.index {
            return Err(bad(format!(
                "{} and {} are both shard {}/{}: each shard must be given once",
                w[0].dir.display(),
                w[1].dir.display(),
                w[0].manifest.shard.index,
                w[0].manifest.shard.count
            )));
        }
    }
    let n = first.manifest.shard.count;
    let missing: Vec<String> =
        (0..n).filter(|i| !shards.iter().any(|s| s.manifest.shard.index == *i)).map(|i| format!("{i}/{n}")).collect();
    if !missing.is_empty() {
        return Err(bad(format!("missing shards: {} (all {n} shards are needed)", missing.join(", "))));
    }
    Ok(shards)
}

pub fn merge(cfg: &MergeConfig) -> anyhow::Result<()> {
    let clock = RunClock::start(cfg.command_line.clone());
    let shards = consistent(cfg.shards.iter().map(|d| read_shard(d)).collect::<anyhow::Result<Vec<_>>>()?)?;
    let (first_dir, first) = (&shards[0].dir, &shards[0].manifest);
    let main_file =
        first.inputs.first().ok_or_else(|| bad(format!("{}: manifest lists no input files", first_dir.display())))?;
    let loaded = wijkimpact::scenario::load_with(Path::new(&main_file.path), cfg.load)
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
    // Every shard file is checked (footer, header, shapes) before any output is written.
    let shape = ShardShape::of(&ctx);
    let mut readers = shards
        .iter()
        .map(|s| ShardReader::open(&s.dir, &shape, &s.manifest).map_err(|e| bad(e.to_string())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut dir = create_dir(&cfg.out, cfg.force)?;
    let mut sinks = RunSinks::create(&mut dir, &ctx, &first.quantiles, cfg.format.unwrap_or(first.format))?;
    let threads = shards.iter().map(|s| s.manifest.threads).max().unwrap_or(1);
    let mut stats = RunStats { threads, ..Default::default() };
    {
        let mut fan = FanOut::new(vec![&mut sinks.summariser, &mut sinks.draws]);
        replay(&shards, &mut readers, &ctx, &mut fan, &mut stats)?;
    }
    let info = Provenance { inputs, seed: first.seed, draws: first.draws, mode, quantiles: first.quantiles.clone() };
    let opts = RunOptions::new(first.seed, first.draws, mode);
    let announce = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let run = CompletedRun { ctx: &ctx, info: &info, stats: &stats, opts: &opts, clock: &clock };
    let files =
        run.finish(dir, sinks, Analysis { threads: cfg.threads, sensitivity: cfg.sensitivity, announce }, &[])?;
    super::run::written(&cfg.out, &files);
    note!(
        "{} shards merged; next: `wijkimpact report {}` writes the advisor's HTML report",
        shards.len(),
        super::run::shell_word(&cfg.out)
    );
    Ok(())
}

/// Push every draw of the shards (ordered by index) into `sink`, in draw
/// order, checking that each shard holds exactly its draws.
fn replay(
    shards: &[ShardInfo],
    readers: &mut [ShardReader],
    ctx: &RunContext<'_>,
    sink: &mut dyn DrawSink,
    stats: &mut RunStats,
) -> anyhow::Result<()> {
    let (n, draws) = (shards[0].manifest.shard.count, shards[0].manifest.draws);
    let file = |shard: usize| shards[shard].dir.join(SHARD_PARQUET).display().to_string();
    for d in 0..draws {
        let shard = (d % n) as usize;
        let r = readers[shard].next_draw().map_err(|e| bad(e.to_string()))?.ok_or_else(|| {
            bad(format!("shard {shard}/{n}: {}: ends before draw {d}: the shard's run did not finish", file(shard)))
        })?;
        if r.draw != d {
            return Err(bad(format!(
                "shard {shard}/{n}: {}: holds draw {} where draw {d} was expected",
                file(shard),
                r.draw
            )));
        }
        stats.record(&r);
        sink.push(ctx, &r).context("writing merged results")?;
    }
    for (shard, r) in readers.iter_mut().enumerate() {
        if r.next_draw().map_err(|e| bad(e.to_string()))?.is_some() {
            return Err(bad(format!("shard {shard}/{n}: {}: holds more draws than its manifest says", file(shard))));
        }
    }
    Ok(())
}
