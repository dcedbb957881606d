//! `wijkimpact sobol FILE --base-samples N --out DIR`: Sobol indices of every
//! scenario's NPV, on their own sample design (see
//! [`wijkimpact::decision::sobol_run`]).
//!
//! A whole run writes `sobol.json` (settings, inputs, and per scenario and
//! area the first-order and total index of every factor with their
//! bootstrap intervals) and `sobol.csv` (the same as a table). With
//! `--shard I/N` it runs a contiguous part of the design and writes
//! `sobol-runs.csv` (the NPVs of its rows) and `sobol-shard.json`; `--merge`
//! combines all N shard directories into the files of a whole run.

use super::progress::Progress;
use super::BadInput;
use anyhow::Context;
use serde_json::{json, Value};
use std::path::PathBuf;
use wijkimpact::decision::sobol::Design;
use wijkimpact::decision::sobol_run::{self, Factor};
use wijkimpact::output::OutputError;
use wijkimpact::runner::RunContext;

/// `sobol.json`.
pub const SOBOL_JSON: &str = "sobol.json";
/// `sobol.csv`.
pub const SOBOL_CSV: &str = "sobol.csv";
/// A shard's model outputs.
pub const SOBOL_RUNS_CSV: &str = "sobol-runs.csv";
/// A shard's settings.
pub const SOBOL_SHARD_JSON: &str = "sobol-shard.json";

/// Everything `sobol` needs, checked.
#[derive(Debug, Clone)]
pub struct SobolConfig {
    pub file: PathBuf,
    pub load: wijkimpact::scenario::LoadOptions,
    pub base_samples: usize,
    pub seed: u64,
    pub threads: usize,
    pub bootstrap: usize,
    pub out: PathBuf,
    pub force: bool,
    pub shard: Option<(u64, u64)>,
    pub merge: Vec<PathBuf>,
    pub command_line: Vec<String>,
}

pub fn sobol(cfg: &SobolConfig) -> anyhow::Result<()> {
    let start = std::time::Instant::now();
    let loaded = wijkimpact::scenario::load_with(&cfg.file, cfg.load)
        .map_err(|e| BadInput(format!("{} has errors:\n{e}", cfg.file.display())))?;
    let model = &loaded.model;
    if model.scenarios.is_empty() {
        return Err(BadInput(format!(
            "{}: no [[scenario]] defined: Sobol indices are of a scenario's NPV",
            cfg.file.display()
        ))
        .into());
    }
    let factors = sobol_run::factors(model).map_err(|e| BadInput(format!("{}: {e}", cfg.file.display())))?;
    let design = Design { n: cfg.base_samples, groups: factors.len() };
    let ctx = RunContext::new(model).map_err(|e| BadInput(format!("{}: {e}", cfg.file.display())))?;
    let inputs: Vec<Value> =
        loaded.files.iter().map(|f| json!({ "path": f.path.display().to_string(), "sha256": f.sha256 })).collect();
    let settings = json!({
        "base_samples": design.n,
        "runs": design.runs(),
        "seed": cfg.seed,
        "factors": factors.iter().map(|f| json!({ "name": f.name, "parameters": f.parameters })).collect::<Vec<_>>(),
        "inputs": inputs,
        "prng": wijkimpact::rng::PRNG_NAME,
    });
    let mut dir = super::run::create_dir(&cfg.out, cfg.force)?;
    let y = if !cfg.merge.is_empty() {
        read_shards(&cfg.merge, &design, &settings, &ctx)?
    } else {
        let rows = match cfg.shard {
            Some((i, n)) => design.rows_of_shard(i as usize, n as usize),
            None => 0..design.runs(),
        };
        let bar = Progress::new(rows.len() as u64, "model runs");
        let mut progress = |done: u64| bar.update(done);
        let y = sobol_run::run_rows(&ctx, &design, &factors, cfg.seed, rows.clone(), cfg.threads, &mut progress)?;
        bar.finish();
        if let Some((i, n)) = cfg.shard {
            let mut header = settings.clone();
            header["shard"] = json!([i, n]);
            header["rows"] = json!([rows.start, rows.end]);
            dir.write_file(SOBOL_RUNS_CSV, runs_csv(&ctx, rows.start, &y).as_bytes())?;
            dir.write_file(SOBOL_SHARD_JSON, pretty(&header)?.as_bytes())?;
            dir.finish()?;
            note!(
                "shard {i}/{n}: rows {}..{} of {} written to {} ({:.1} s)",
                rows.start,
                rows.end,
                design.runs(),
                cfg.out.display(),
                start.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        y
    };
    let (doc, csv) = results(&ctx, &design, &factors, &y, cfg, settings)?;
    dir.write_file(SOBOL_JSON, pretty(&doc)?.as_bytes())?;
    dir.write_file(SOBOL_CSV, csv.as_bytes())?;
    dir.finish()?;
    note!(
        "Sobol indices of {} factors from {} model runs written to {} ({:.1} s)",
        factors.len(),
        design.runs(),
        cfg.out.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn pretty(v: &Value) -> Result<String, OutputError> {
    serde_json::to_string_pretty(v).map(|s| s + "\n").map_err(|e| OutputError::Other(e.to_string()))
}

/// The column names of the outputs: `SCENARIO|AREA` per scenario and area slot.
fn output_columns(ctx: &RunContext<'_>) -> Vec<String> {
    let model = ctx.model;
    let areas = model.area_slot_labels();
    model.scenarios.iter().flat_map(|s| areas.iter().map(move |a| format!("{}|{a}", s.name))).collect()
}

/// `sobol-runs.csv`: `row`, then the NPV of every scenario and area slot.
fn runs_csv(ctx: &RunContext<'_>, first: usize, y: &[f64]) -> String {
    let cols = output_columns(ctx);
    let mut out = format!("row,{}\n", cols.join(","));
    for (i, r) in y.chunks(cols.len().max(1)).enumerate() {
        out.push_str(&(first + i).to_string());
        for x in r {
            out.push(',');
            out.push_str(&format!("{x:?}"));
        }
        out.push('\n');
    }
    out
}

/// The outputs of every design row from the shard directories `dirs`,
/// which must have been run with the same input, seed and design and
/// together hold every row once.
fn read_shards(dirs: &[PathBuf], design: &Design, settings: &Value, ctx: &RunContext<'_>) -> anyhow::Result<Vec<f64>> {
    let cols = output_columns(ctx);
    let width = cols.len();
    let mut y = vec![f64::NAN; design.runs() * width];
    let mut seen = vec![false; design.runs()];
    for d in dirs {
        let read = |name: &str| -> anyhow::Result<String> {
            std::fs::read_to_string(d.join(name)).with_context(|| format!("cannot read {}", d.join(name).display()))
        };
        let header: Value = serde_json::from_str(&read(SOBOL_SHARD_JSON)?)
            .map_err(|e| BadInput(format!("{}: not a Sobol shard: {e}", d.join(SOBOL_SHARD_JSON).display())))?;
        for key in ["base_samples", "seed", "factors", "inputs"] {
            if header[key] != settings[key] {
                return Err(BadInput(format!(
                    "{}: `{key}` differs from this merge's scenario and options ({} vs {}); merge shards of one Sobol run with the same file, --seed and --base-samples",
                    d.display(),
                    header[key],
                    settings[key]
                ))
                .into());
            }
        }
        let text = read(SOBOL_RUNS_CSV)?;
        let path = d.join(SOBOL_RUNS_CSV);
        for (ln, line) in text.lines().enumerate().skip(1) {
            let bad = |why: &str| BadInput(format!("{}:{}: {why}", path.display(), ln + 1));
            let mut cells = line.split(',');
            let r: usize = cells.next().and_then(|c| c.parse().ok()).ok_or_else(|| bad("no row number"))?;
            if r >= design.runs() || seen[r] {
                return Err(bad(&format!("row {r} is outside the design or given twice")).into());
            }
            seen[r] = true;
            for (k, c) in cells.enumerate() {
                let x: f64 = c.parse().map_err(|_| bad(&format!("`{c}` is not a number")))?;
                if k >= width {
                    return Err(bad("more columns than the scenario has outputs").into());
                }
                y[r * width + k] = x;
            }
        }
    }
    if let Some(r) = seen.iter().position(|s| !s) {
        let missing = seen.iter().filter(|s| !**s).count();
        return Err(BadInput(format!(
            "the shards miss {missing} of {} design rows (the first is row {r}); merge all N shard directories",
            design.runs()
        ))
        .into());
    }
    Ok(y)
}

/// `sobol.json` and `sobol.csv` from the outputs of every row.
fn results(
    ctx: &RunContext<'_>,
    design: &Design,
    factors: &[Factor],
    y: &[f64],
    cfg: &SobolConfig,
    mut doc: Value,
) -> anyhow::Result<(Value, String)> {
    let model = ctx.model;
    let n_slots = ctx.n_area_slots();
    let areas = model.area_slot_labels();
    let mut csv =
        String::from("scenario,area,factor,first,first_low,first_high,total,total_low,total_high,variance,note\n");
    let mut by_scenario = serde_json::Map::new();
    for (s, sc) in model.scenarios.iter().enumerate() {
        let mut by_area = serde_json::Map::new();
        for (a, area) in areas.iter().enumerate() {
            let cell = match sobol_run::indices_of(
                y,
                design,
                model.scenarios.len(),
                n_slots,
                (s, a),
                cfg.bootstrap,
                cfg.seed,
            ) {
                Ok(ix) => {
                    let rows: Vec<Value> = factors
                        .iter()
                        .enumerate()
                        .map(|(k, f)| {
                            json!({
                                "factor": f.name,
                                "first": ix.first[k], "first_interval": [ix.first_interval[k].0, ix.first_interval[k].1],
                                "total": ix.total[k], "total_interval": [ix.total_interval[k].0, ix.total_interval[k].1],
                            })
                        })
                        .collect();
                    for (k, f) in factors.iter().enumerate() {
                        csv.push_str(&format!(
                            "{},{},{},{:?},{:?},{:?},{:?},{:?},{:?},{:?},\n",
                            sc.name,
                            area,
                            f.name,
                            ix.first[k],
                            ix.first_interval[k].0,
                            ix.first_interval[k].1,
                            ix.total[k],
                            ix.total_interval[k].0,
                            ix.total_interval[k].1,
                            ix.variance
                        ));
                    }
                    json!({ "variance": ix.variance, "factors": rows })
                }
                // An area the scenario does not reach has the same NPV in every row.
                Err(e) => {
                    csv.push_str(&format!("{},{},,,,,,,,0,{}\n", sc.name, area, e.to_string().replace(',', ";")));
                    json!({ "variance": 0.0, "note": e.to_string(), "factors": [] })
                }
            };
            by_area.insert(area.clone(), cell);
        }
        by_scenario.insert(sc.name.clone(), Value::Object(by_area));
    }
    doc["format_version"] = json!(1);
    doc["metric"] = json!("npv");
    doc["bootstrap"] = json!(cfg.bootstrap);
    doc["interval"] = json!("95 % percentile bootstrap over base samples");
    doc["command_line"] = json!(cfg.command_line);
    doc["scenarios"] = Value::Object(by_scenario);
    Ok((doc, csv))
}
