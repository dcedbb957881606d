//! `wijkimpact run FILE --out DIR`: simulate, summarise, write the run directory.

use super::{BadInput, RunConfig};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant, SystemTime};
use wijkimpact::output::{self, csv::DrawsCsv, manifest, FanOut, OutputError, RunDir};
use wijkimpact::runner::{self, RunContext, RunOptions};
use wijkimpact::summary::{Summariser, Summary};

/// How long a run must take before a progress bar appears; short runs (and
/// tests) stay quiet.
const PROGRESS_AFTER: Duration = Duration::from_millis(1500);

pub fn run(cfg: &RunConfig) -> anyhow::Result<()> {
    let started_at = SystemTime::now();
    let clock = Instant::now();
    let loaded = wijkimpact::scenario::load(&cfg.file)
        .map_err(|e| BadInput(format!("{} has errors:\n{e}", cfg.file.display())))?;
    let model = &loaded.model;
    if model.scenarios.is_empty() {
        return Err(BadInput(format!(
            "{}: no [[scenario]] defined: a run compares scenarios with the nulalternatief, so add at least one",
            cfg.file.display()
        ))
        .into());
    }
    let mode = cfg.mode.unwrap_or(model.settings.mode);
    let ctx = RunContext::new(model).map_err(|e| BadInput(format!("{}: {e}", cfg.file.display())))?;
    let mut dir = RunDir::create(&cfg.out, cfg.force).map_err(|e| match e {
        OutputError::NotEmpty(_) | OutputError::NotADirectory(_) => anyhow::Error::new(BadInput(e.to_string())),
        e => anyhow::Error::new(e).context("cannot create the output directory"),
    })?;

    let mut opts = RunOptions::new(cfg.seed, cfg.draws, mode);
    opts.threads = cfg.threads;
    let mut summariser = Summariser::new(&ctx, &cfg.quantiles).map_err(BadInput)?;
    let mut draws_csv = DrawsCsv::create(&mut dir, &ctx)?;
    let bar = Progress::new(opts.draw_numbers().count() as u64);
    let stats = {
        let mut fan = FanOut::new(vec![&mut summariser, &mut draws_csv]);
        let mut progress = |done: u64| bar.update(done);
        runner::run(&ctx, &opts, &mut fan, &mut progress)
    };
    bar.finish();
    let stats = stats.context("the run failed")?;
    draws_csv.finish()?;
    let summary = summariser.finish();
    output::csv::write_yearly(&mut dir, &summary)?;
    output::json::write_summary(&mut dir, &summary, model, cfg.seed, mode.as_str())?;
    let info = manifest::ManifestInfo {
        inputs: loaded
            .files
            .iter()
            .map(|f| manifest::InputFile { path: f.path.display().to_string(), sha256: f.sha256.clone() })
            .collect(),
        seed: cfg.seed,
        draws: cfg.draws,
        draws_completed: stats.draws,
        mode: mode.as_str().to_string(),
        threads: stats.threads,
        shard_index: opts.shard_index,
        shard_count: opts.shard_count,
        quantiles: summary.quantiles.clone(),
        command_line: cfg.command_line.clone(),
        started_at,
        wall_time_seconds: clock.elapsed().as_secs_f64(),
        work_units: stats.work_units,
        warnings: stats.warnings.clone(),
        files: [
            output::DRAWS_CSV,
            output::PARAMETERS_CSV,
            output::YEARLY_CSV,
            output::SUMMARY_JSON,
            output::MANIFEST_JSON,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    };
    manifest::write_manifest(&mut dir, &info)?;
    dir.finish()?;

    print_summary(&summary, mode.as_str());
    if stats.warnings.rescaled_rows + stats.warnings.negative_rest > 0 {
        eprintln!(
            "warning: probabilities were repaired in some draws ({} rows rescaled, {} negative rest entries); see manifest.json",
            stats.warnings.rescaled_rows, stats.warnings.negative_rest
        );
    }
    println!("results written to {}", cfg.out.display());
    Ok(())
}

/// A progress bar on stderr that appears only on a terminal, outside CI, and
/// once the run has taken longer than [`PROGRESS_AFTER`].
struct Progress {
    bar: ProgressBar,
    allowed: bool,
    start: Instant,
    shown: std::cell::Cell<bool>,
}

impl Progress {
    fn new(total: u64) -> Self {
        let allowed = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} draws  {per_sec}  eta {eta}") {
            bar.set_style(style);
        }
        Progress { bar, allowed, start: Instant::now(), shown: std::cell::Cell::new(false) }
    }

    fn update(&self, done: u64) {
        self.bar.set_position(done);
        if self.allowed && !self.shown.get() && self.start.elapsed() >= PROGRESS_AFTER {
            self.shown.set(true);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Euros with thousands separators, whole euros; "n/a" when missing.
fn eur(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}€{grouped}", if neg && grouped != "0" { "-" } else { "" })
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
    let (lo_l, hi_l) = (
        wijkimpact::summary::quantile_label(lo).to_uppercase(),
        wijkimpact::summary::quantile_label(hi).to_uppercase(),
    );
    println!("{} draws, {mode} mode; city total ({}) against the nulalternatief:", s.draws, s.areas[total]);
    for (i, name) in s.scenarios.iter().enumerate() {
        let n = s.metric(i, total, npv);
        let b = s.metric(i, total, bcr);
        println!("  {name}");
        println!(
            "    NPV        mean {} (±{} MCSE), {lo_l}–{hi_l} {} to {}",
            eur(n.mean),
            eur(n.mcse),
            eur(n.quantiles.first().copied().unwrap_or(f64::NAN)),
            eur(n.quantiles.last().copied().unwrap_or(f64::NAN)),
        );
        println!("    P(NPV > 0) {}", num(n.p_positive.unwrap_or(f64::NAN), 3));
        let missing = if b.missing > 0 { format!(" ({} draws without costs)", b.missing) } else { String::new() };
        println!("    B/C ratio  mean {}{missing}", num(b.mean, 2));
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
