//! `wijkimpact allocate PORTFOLIO.toml`: which options does the budget buy
//! that do most, under uncertainty?

use super::progress::Progress;
use super::BadInput;
use anyhow::Context;
use std::path::PathBuf;
use wijkimpact::allocate::analyse::{self, RoundChecks};
use wijkimpact::allocate::evaluate::{self, EvalOptions};
use wijkimpact::allocate::result::{AllocationReport, AllocationRun};
use wijkimpact::allocate::{page, tables, validate};
use wijkimpact::claim;
use wijkimpact::model::Mode;

#[derive(Debug, Clone)]
pub struct AllocateConfig {
    pub file: PathBuf,
    pub load: wijkimpact::scenario::LoadOptions,
    pub draws: u64,
    pub seed: u64,
    pub threads: usize,
    pub mode: Option<Mode>,
    pub out: PathBuf,
    pub force: bool,
    pub command_line: Vec<String>,
}

pub fn allocate(cfg: &AllocateConfig) -> anyhow::Result<()> {
    let p = validate::load(&cfg.file, cfg.load)
        .map_err(|e| BadInput(format!("{} has errors:\n{e}", cfg.file.display())))?;
    let mut dir = super::run::create_dir(&cfg.out, cfg.force)?;
    let opts = EvalOptions { draws: cfg.draws, seed: cfg.seed, threads: cfg.threads, mode: cfg.mode };
    let runs = u64::from(p.city.is_some()) + p.applications.len() as u64;
    let bar = Progress::new(runs, "simulations");
    let ev = evaluate::evaluate(&p, &opts, &mut |done, _| bar.update(done));
    bar.finish();
    let ev = ev.context("the simulation failed")?;
    // The claim check of every application, beside the round.
    let mut reports = vec![];
    let mut dirs = vec![];
    let mut files: Vec<String> = vec![];
    for app in &p.applications {
        let copts = claim::check::CheckOptions {
            draws: cfg.draws,
            seed: cfg.seed,
            mode: None,
            threads: cfg.threads,
            solve_draws: 200.min(cfg.draws),
        };
        let r = claim::check::check(app, &copts, cfg.command_line.clone(), &mut |_| {})
            .with_context(|| format!("the claim check of {} failed", app.path().display()))?;
        let stem =
            app.path().file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "aanvraag".into());
        let name = format!("claim-{stem}");
        dir.write_file(&format!("{name}.json"), (serde_json::to_string_pretty(&r)? + "\n").as_bytes())?;
        let html = claim::page::html(&r, claim::page::Lang::Nl).context("cannot draw a claim page")?;
        dir.write_file(&format!("{name}.html"), html.as_bytes())?;
        files.extend([format!("{name}.json"), format!("{name}.html")]);
        dirs.push(format!("{name}.html"));
        reports.push(r);
    }
    let run = AllocationRun {
        draws: cfg.draws,
        seed: cfg.seed,
        engine_version: env!("CARGO_PKG_VERSION").to_string(),
        prng: wijkimpact::rng::PRNG_NAME.to_string(),
        command_line: cfg.command_line.clone(),
        inputs: p.inputs(),
        work_units: ev.stats.work_units,
    };
    let checks = (!reports.is_empty()).then(|| RoundChecks { reports: &reports, dirs });
    let mut report = analyse::analyse(&p, &ev, run, checks).context("the optimisation failed")?;
    if !report.recommended.interactions_exact {
        // Three or more chosen options meet in one joint block: simulate the
        // whole portfolio too, so its value is the engine's, not only pairwise.
        let chosen: Vec<bool> = report.options.iter().map(|o| o.chosen).collect();
        let npv = evaluate::simulate_portfolio(&p, &chosen, &opts).context("the simulation failed")?;
        report.recommended.simulated_npv_societal = npv.map(|v| wijkimpact::allocate::result::Spread::of(&v));
    }
    let mut written = vec!["allocation.json".to_string(), "allocation.html".to_string()];
    dir.write_file("allocation.json", (serde_json::to_string_pretty(&report)? + "\n").as_bytes())?;
    let html = page::html(&report).context("cannot draw the allocation page")?;
    dir.write_file("allocation.html", html.as_bytes())?;
    for (name, text) in [
        ("options.csv", Some(tables::options(&report))),
        ("frontier.csv", Some(tables::frontier(&report))),
        ("equity.csv", (!report.equity_sweep.is_empty()).then(|| tables::equity(&report))),
        ("areas.csv", Some(tables::areas(&report))),
        ("round.csv", tables::round(&report)),
    ] {
        if let Some(t) = text {
            dir.write_file(name, t.as_bytes())?;
            written.push(name.to_string());
        }
    }
    written.extend(files);
    dir.finish()?;
    print_summary(&report);
    note!("results written to {}: {}", cfg.out.display(), written.join(", "));
    note!("next: open {}/allocation.html", cfg.out.display());
    Ok(())
}

fn eur(x: f64) -> String {
    wijkimpact::render::format::terminal_eur(x)
}

/// The recommended portfolio on the terminal.
fn print_summary(r: &AllocationReport) {
    let rec = &r.recommended;
    say!(
        "{}: {} options, budget {} a year, objective {}; {} draws",
        r.name,
        r.options.len(),
        eur(r.budget),
        r.objective,
        r.run.draws
    );
    say!(
        "recommended ({} options, dearest year {}): maatschappelijk NPV {} (P5–P95 {} – {}), P(NPV > 0) {:.2}",
        rec.options.len(),
        eur(rec.peak_cost_per_year),
        eur(rec.npv_societal.mean),
        eur(rec.npv_societal.p5),
        eur(rec.npv_societal.p95),
        rec.npv_societal.p_positive
    );
    for o in r.options.iter().filter(|o| o.chosen) {
        say!(
            "  {:<40} {:>12} a year  NPV {:>12}  in best portfolio {:.2}",
            o.name,
            eur(o.peak_cost_per_year),
            eur(o.npv_societal.mean),
            o.p_in_best
        );
    }
    if let Some(round) = &r.round {
        say!(
            "fund round: {} of {} applications funded",
            round.applications.iter().filter(|a| a.funded).count(),
            round.applications.len()
        );
        for a in &round.applications {
            say!("  {:<40} {:<8} claim check: {}", a.name, if a.funded { "funded" } else { "-" }, a.verdict);
        }
    }
}
