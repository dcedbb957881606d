//! `wijkimpact run FILE --out DIR`: simulate, summarise, write the run directory.

use super::progress::Progress;
use super::{limits, BadInput, RunConfig};
use anyhow::Context;
use std::path::Path;
use std::time::{Instant, SystemTime};
use wijkimpact::model::Mode;
use wijkimpact::output::schema::{ManifestFile, ShardFile};
use wijkimpact::output::shard::{ShardHeader, ShardWriter, SHARD_PARQUET};
use wijkimpact::output::{self, draws::DrawsWriter, manifest, FanOut, OutputError, OutputFormat, RunDir};
use wijkimpact::runner::{self, RunContext, RunOptions, RunStats};
use wijkimpact::sensitivity::{self, Bounds, Sensitivity};
use wijkimpact::summary::{Summariser, Summary};

pub fn run(cfg: &RunConfig) -> anyhow::Result<()> {
    let clock = RunClock::start(cfg.command_line.clone());
    let loaded = wijkimpact::scenario::load_with(&cfg.file, cfg.load)
        .map_err(|e| BadInput(format!("{} has errors:\n{e}", cfg.file.display())))?;
    let model = &loaded.model;
    // Warnings are printed under --quiet too: they are about the input.
    for w in &model.warnings {
        eprintln!("{w}");
    }
    if model.scenarios.is_empty() {
        return Err(BadInput(format!(
            "{}: no [[scenario]] defined: a run compares scenarios with the nulalternatief, so add at least one",
            cfg.file.display()
        ))
        .into());
    }
    let mode = cfg.mode.unwrap_or(model.settings.mode);
    let ctx = RunContext::new(model).map_err(|e| BadInput(format!("{}: {e}", cfg.file.display())))?;
    let mut opts = RunOptions::new(cfg.seed, cfg.draws, mode);
    opts.threads = cfg.threads;
    if let Some((i, n)) = cfg.shard {
        opts.shard_index = i;
        opts.shard_count = n;
    }
    // Monitoring: the observations and the scenario that is running.
    let watch = match &cfg.monitor {
        Some(m) => Some(super::monitor::prepare(m, model, &ctx)?),
        None => None,
    };
    // Everything about the input is checked, and the run is small enough (or
    // --yes), before the output directory is touched.
    let estimate = limits::Estimate::of(&ctx, cfg.draws, cfg.shard, cfg.format);
    limits::check_size(&estimate, &limits::Room::for_output(&cfg.out), cfg.yes, &ctx, &opts)?;
    let mut dir = create_dir(&cfg.out, cfg.force)?;

    let bar = Progress::new(opts.draw_numbers().count() as u64, "draws");
    let mut progress = |done: u64| bar.update(done);
    let info = Provenance {
        inputs: input_files(&loaded),
        seed: cfg.seed,
        draws: cfg.draws,
        mode,
        quantiles: cfg.quantiles.clone(),
    };

    if cfg.shard.is_some() {
        // A shard keeps every draw's full result for `merge`.
        let header = ShardHeader::new(&ctx, &opts, &manifest::combined_hash(&info.inputs));
        let mut writer = ShardWriter::create(&mut dir, &header)?;
        let stats = runner::run(&ctx, &opts, &mut writer, &mut progress);
        bar.finish();
        let stats = stats.context("the run failed")?;
        writer.finish()?;
        let files = [SHARD_PARQUET, output::MANIFEST_JSON];
        let (run, timing) = info.manifest(&stats, &opts, &clock, (cfg.format, &files));
        manifest::write_manifest(&mut dir, &run, &timing)?;
        dir.finish()?;
        note!(
            "shard {}/{}: {} draws written to {} ({})",
            opts.shard_index,
            opts.shard_count,
            stats.draws,
            cfg.out.display(),
            files.join(", ")
        );
        note!(
            "next: once all {} shards are done, `wijkimpact merge SHARD_DIR… --out DIR` from this directory",
            opts.shard_count
        );
        return Ok(());
    }

    let mut sinks = RunSinks::create(&mut dir, &ctx, &cfg.quantiles, cfg.format)?;
    let mut monitor_sink = watch.as_ref().map(|w| w.sink(&ctx));
    let stats = {
        let mut all: Vec<&mut dyn runner::DrawSink> = vec![&mut sinks.summariser, &mut sinks.draws];
        if let Some(m) = monitor_sink.as_mut() {
            all.push(m);
        }
        let mut fan = FanOut::new(all);
        runner::run(&ctx, &opts, &mut fan, &mut progress)
    };
    bar.finish();
    let stats = stats.context("the run failed")?;
    let mut extra = vec![];
    let monitored = match (&watch, monitor_sink) {
        (Some(w), Some(sink)) => {
            let report = w.analyse(&ctx, &sink.records);
            super::monitor::write(&mut dir, &report, &w.observed_bytes)?;
            extra.extend(super::monitor::FILES);
            Some(report)
        }
        _ => None,
    };
    let run = CompletedRun { ctx: &ctx, info: &info, stats: &stats, opts: &opts, clock: &clock };
    let plan = Analysis { threads: cfg.threads, sensitivity: cfg.sensitivity, announce: bar.allowed() };
    let files = run.finish(dir, sinks, plan, &extra)?;
    if let Some(m) = &monitored {
        super::monitor::print(m);
    }
    written(&cfg.out, &files);
    if cfg.report {
        // The run directory is complete and ours: a report left by an earlier run is replaced.
        let lang = wijkimpact::report::Lang::Nl;
        super::report::report(&cfg.out, lang, &super::report::target(&cfg.out, None, lang), true, None)?;
    } else {
        note!("next: `wijkimpact report {}` writes the advisor's HTML report", shell_word(&cfg.out));
    }
    Ok(())
}

/// Tell the user (on stderr) which files a complete run wrote into `dir`.
pub fn written(dir: &Path, files: &[String]) {
    note!("results written to {}: {}", dir.display(), files.join(", "));
}

/// `path` as one word for a command the user may copy (quoted when it must be).
pub fn shell_word(path: &Path) -> String {
    wijkimpact::render::format::shell_word(&path.display().to_string())
}

/// When and how a run was started, for the manifest.
pub struct RunClock {
    /// The command line as given.
    pub command_line: Vec<String>,
    pub started_at: SystemTime,
    pub clock: Instant,
}

impl RunClock {
    /// Start the clock now.
    pub fn start(command_line: Vec<String>) -> Self {
        RunClock { command_line, started_at: SystemTime::now(), clock: Instant::now() }
    }
}

/// The sinks of a complete run (single or merged): the summary and the
/// per-draw tables, and the format of the tables written at the end.
pub struct RunSinks {
    pub summariser: Summariser,
    pub draws: DrawsWriter,
    pub format: OutputFormat,
}

impl RunSinks {
    /// Start the per-draw tables in `dir` in `format`; `quantiles` as
    /// [`Summariser::new`] takes them.
    pub fn create(
        dir: &mut RunDir,
        ctx: &RunContext<'_>,
        quantiles: &[f64],
        format: OutputFormat,
    ) -> anyhow::Result<Self> {
        let summariser = Summariser::new(ctx, quantiles).map_err(BadInput)?;
        Ok(RunSinks { summariser, draws: DrawsWriter::create(dir, ctx, format)?, format })
    }
}

/// How the analyses after the draws run (see [`Analyses::compute`]).
#[derive(Debug, Clone, Copy)]
pub struct Analysis {
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Compute `sensitivity.csv`.
    pub sensitivity: bool,
    /// Say on stderr that the sensitivity analysis is running, with a
    /// progress bar once it takes a while (not under `--quiet`).
    pub announce: bool,
}

/// A run whose draws are done (single or merged): what the results and the
/// manifest are written from.
pub struct CompletedRun<'a> {
    pub ctx: &'a RunContext<'a>,
    pub info: &'a Provenance,
    pub stats: &'a RunStats,
    pub opts: &'a RunOptions,
    pub clock: &'a RunClock,
}

impl CompletedRun<'_> {
    /// Run the analyses after the draws, write every result into `dir`
    /// (`extra_files` already written there, e.g. the monitor's) and print
    /// the short summary. Returns the names of the files written.
    pub fn finish(
        &self,
        dir: RunDir,
        sinks: RunSinks,
        plan: Analysis,
        extra_files: &[&str],
    ) -> anyhow::Result<Vec<String>> {
        let analyses = Analyses::compute(self.ctx, &plan)?;
        let (summary, files) = self.write_results(dir, sinks, &analyses, extra_files)?;
        report(&summary, self.stats, self.info.mode.as_str());
        Ok(files)
    }

    /// Finish a complete run: the yearly table, summary.json, summary.csv,
    /// comparisons.csv, arms.csv, sensitivity.csv (when computed), assumptions.json and the manifest,
    /// then rename everything into place. Returns the summary and the names of
    /// the files written.
    pub fn write_results(
        &self,
        mut dir: RunDir,
        sinks: RunSinks,
        analyses: &Analyses,
        extra_files: &[&str],
    ) -> anyhow::Result<(Summary, Vec<String>)> {
        let (model, info) = (self.ctx.model, self.info);
        let format = sinks.format;
        sinks.draws.finish()?;
        let summary = sinks.summariser.finish();
        output::yearly::write_yearly(&mut dir, &summary, format)?;
        output::json::write_summary(&mut dir, &summary, model, info.seed, info.mode.as_str())?;
        output::csv::write_summary_csv(&mut dir, &summary)?;
        output::comparisons::write_comparisons_csv(&mut dir, &summary)?;
        output::arms::write_arms_csv(&mut dir, &summary)?;
        let mut files = vec![
            format.draws_file(),
            format.parameters_file(),
            format.yearly_file(),
            output::SUMMARY_JSON,
            output::SUMMARY_CSV,
            output::COMPARISONS_CSV,
            output::ARMS_CSV,
        ];
        if let Some(d) = &summary.decision {
            files.extend(output::decision::write_decision_csvs(&mut dir, d, &summary.areas)?);
            note!(
                "decision analysis of {} arms ({} EVPPI estimates from {} draws) in {:.1} s",
                d.arms.len(),
                d.evppi_estimates,
                d.draws,
                d.seconds
            );
        }
        if let Some(sens) = &analyses.sensitivity {
            output::csv::write_sensitivity(&mut dir, sens)?;
            files.push(output::SENSITIVITY_CSV);
        }
        output::assumptions::write_assumptions(&mut dir, model, info.mode, &analyses.bounds)?;
        files.push(output::ASSUMPTIONS_JSON);
        files.extend(extra_files);
        files.push(output::MANIFEST_JSON);
        let (run, timing) = info.manifest(self.stats, self.opts, self.clock, (format, &files));
        manifest::write_manifest(&mut dir, &run, &timing)?;
        dir.finish()?;
        Ok((summary, files.iter().map(|f| f.to_string()).collect()))
    }
}

/// The input files of a loaded scenario, for the manifest.
pub fn input_files(loaded: &wijkimpact::scenario::Loaded) -> Vec<manifest::InputFile> {
    loaded
        .files
        .iter()
        .map(|f| manifest::InputFile { path: f.path.display().to_string(), sha256: f.sha256.clone() })
        .collect()
}

/// What identifies a run's numbers (the manifest fields `merge` checks).
pub struct Provenance {
    pub inputs: Vec<manifest::InputFile>,
    pub seed: u64,
    pub draws: u64,
    pub mode: Mode,
    pub quantiles: Vec<f64>,
}

impl Provenance {
    fn manifest(
        &self,
        stats: &RunStats,
        opts: &RunOptions,
        clock: &RunClock,
        (format, files): (OutputFormat, &[&str]),
    ) -> (ManifestFile, manifest::RunTiming) {
        let run = ManifestFile {
            inputs: self.inputs.clone(),
            seed: self.seed,
            draws: self.draws,
            draws_completed: stats.draws,
            mode: self.mode.as_str().to_string(),
            threads: stats.threads,
            shard: ShardFile { index: opts.shard_index, count: opts.shard_count },
            quantiles: self.quantiles.clone(),
            command_line: clock.command_line.clone(),
            work_units: stats.work_units,
            warnings: (&stats.warnings).into(),
            format,
            files: files.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let timing = manifest::RunTiming {
            started_at: clock.started_at,
            wall_time_seconds: clock.clock.elapsed().as_secs_f64(),
        };
        (run, timing)
    }
}

/// What a complete run computes from the model besides the draws: the
/// parameters' percentiles (for `assumptions.json` and the sensitivity
/// analysis) and, unless skipped, the one-way sensitivity analysis.
pub struct Analyses {
    pub bounds: Vec<Bounds>,
    pub sensitivity: Option<Sensitivity>,
}

impl Analyses {
    /// `plan.announce`: say on stderr that the sensitivity analysis is
    /// running and show its progress (on a terminal, where it may take a
    /// while after the draws' progress bar is done).
    pub fn compute(ctx: &RunContext<'_>, plan: &Analysis) -> anyhow::Result<Self> {
        let Analysis { threads, sensitivity: with_sensitivity, announce } = *plan;
        let announce = announce && !super::quiet();
        let pool =
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start the thread pool")?;
        let bounds = pool.install(|| sensitivity::param_bounds(&ctx.model.params));
        let sensitivity = if with_sensitivity {
            let n = sensitivity::entries(&ctx.model.params, &bounds).len();
            if announce {
                eprintln!("one-way sensitivity analysis: {n} parameters at P5 and P95 (--no-sensitivity skips it)");
            }
            let bar = Progress::new(2 * n as u64, "sensitivity runs");
            let result = sensitivity::analyse_with_progress(ctx, &bounds, threads, &|done| bar.update(done));
            bar.finish();
            Some(result.context("the sensitivity analysis failed")?)
        } else {
            None
        };
        Ok(Analyses { bounds, sensitivity })
    }
}

/// Print the short human summary and any warnings.
pub fn report(summary: &Summary, stats: &RunStats, mode: &str) {
    print_summary(summary, mode);
    if stats.warnings.rescaled_rows + stats.warnings.negative_rest > 0 {
        eprintln!(
            "warning: probabilities were repaired in some draws ({} rows rescaled, {} negative rest entries); see manifest.json",
            stats.warnings.rescaled_rows, stats.warnings.negative_rest
        );
    }
}

/// Create the output directory; a non-empty one (without `--force`) is bad input.
pub fn create_dir(out: &std::path::Path, force: bool) -> anyhow::Result<RunDir> {
    RunDir::create(out, force)
        .map_err(|e| match e {
            OutputError::NotEmpty(_) | OutputError::NotADirectory(_) | OutputError::InUse(_) => {
                anyhow::Error::new(BadInput(e.to_string()))
            }
            e => anyhow::Error::new(e).context("cannot create the output directory"),
        })
        .inspect(|dir| {
            let n = dir.leftovers_removed();
            if n > 0 {
                note!("removed {n} temporary file(s) an interrupted run left in {}", out.display());
            }
        })
}

/// Euros with thousands separators, whole euros; "n/a" when missing.
fn eur(x: f64) -> String {
    wijkimpact::render::format::terminal_eur(x)
}

fn num(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        "n/a".into()
    }
}

/// A few lines per scenario for the city total; the files hold the rest.
fn print_summary(s: &Summary, mode: &str) {
    let total = s.areas.len() - 1;
    let (Some(npv), Some(bcr)) = (s.metric_index("npv"), s.metric_index("bcr")) else {
        return;
    };
    let lo = s.quantiles.first().copied().unwrap_or(0.5);
    let hi = s.quantiles.last().copied().unwrap_or(0.5);
    let (lo_l, hi_l) =
        (wijkimpact::stats::quantile_label(lo).to_uppercase(), wijkimpact::stats::quantile_label(hi).to_uppercase());
    say!("{} draws, {mode} mode; city total ({}) against the nulalternatief:", s.draws, s.areas[total]);
    for (i, name) in s.scenarios.iter().enumerate() {
        let n = s.metric(i, total, npv);
        let b = s.metric(i, total, bcr);
        say!("  {name}");
        say!(
            "    NPV        mean {} (±{} MCSE), {lo_l}–{hi_l} {} to {}",
            eur(n.mean),
            eur(n.mcse),
            eur(n.quantiles.first().copied().unwrap_or(f64::NAN)),
            eur(n.quantiles.last().copied().unwrap_or(f64::NAN)),
        );
        say!("    P(NPV > 0) {}", num(n.p_positive.unwrap_or(f64::NAN), 3));
        let missing = if b.missing > 0 { format!(" ({} draws without costs)", b.missing) } else { String::new() };
        say!("    B/C ratio  mean {}{missing}", num(b.mean, 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euro_formatting() {
        assert_eq!(eur(1234567.4), "€1,234,567");
        assert_eq!(eur(-999.6), "-€1,000");
        assert_eq!(eur(-0.2), "€0");
        assert_eq!(eur(12.0), "€12");
        assert_eq!(eur(f64::NAN), "n/a");
    }
}
