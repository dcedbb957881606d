//! `wijkimpact claim APPLICATION.toml`: how likely is the return an applicant
//! to the investeringsfonds claims?

use super::progress::Progress;
use super::BadInput;
use anyhow::Context;
use std::path::PathBuf;
use wijkimpact::claim::check::{self, CheckOptions};
use wijkimpact::claim::result::ClaimReport;
use wijkimpact::claim::{page, validate};
use wijkimpact::model::Mode;

/// Files a claim check writes.
pub const FILES: [&str; 4] = ["claim.json", "claim.html", "claim.md", "scenario.toml"];

#[derive(Debug, Clone)]
pub struct ClaimConfig {
    pub file: PathBuf,
    /// How the application's city description and its includes are read.
    pub load: wijkimpact::scenario::LoadOptions,
    pub draws: u64,
    pub seed: u64,
    pub threads: usize,
    pub mode: Option<Mode>,
    pub solve_draws: u64,
    pub out: PathBuf,
    /// Language of the committee page.
    pub lang: page::Lang,
    pub force: bool,
    pub command_line: Vec<String>,
}

pub fn claim(cfg: &ClaimConfig) -> anyhow::Result<()> {
    let app = validate::load_with(&cfg.file, cfg.load)
        .map_err(|e| BadInput(format!("{} has errors:\n{e}", cfg.file.display())))?;
    let mut dir = super::run::create_dir(&cfg.out, cfg.force)?;
    let opts = CheckOptions {
        draws: cfg.draws,
        seed: cfg.seed,
        mode: cfg.mode,
        threads: cfg.threads,
        solve_draws: cfg.solve_draws,
    };
    let bar = Progress::new(cfg.draws, "draws");
    let report = check::check(&app, &opts, cfg.command_line.clone(), &mut |done| bar.update(done));
    bar.finish();
    let report = report.context("the check failed")?;
    let json = serde_json::to_string_pretty(&report).context("cannot write claim.json")? + "\n";
    dir.write_file(FILES[0], json.as_bytes())?;
    let html = page::html(&report, cfg.lang).context("cannot draw the committee page")?;
    dir.write_file(FILES[1], html.as_bytes())?;
    dir.write_file(FILES[2], page::markdown(&report, cfg.lang).as_bytes())?;
    dir.write_file(FILES[3], app.generated_for(&cfg.out).as_bytes())?;
    dir.finish()?;
    print_table(&report);
    note!("results written to {}: {}", cfg.out.display(), FILES.join(", "));
    let name = cfg.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "claim".into());
    note!(
        "next: open {}/claim.html for the committee; for the full business case: `wijkimpact run {} --out {} --report`",
        cfg.out.display(),
        super::run::shell_word(&cfg.out.join(FILES[3])),
        super::run::shell_word(&std::path::Path::new("runs").join(name))
    );
    Ok(())
}

/// The verdicts on the terminal.
fn print_table(r: &ClaimReport) {
    say!(
        "{}: {} draws, {} mode; P = share of draws in which the claim is reached",
        r.application.name,
        r.run.draws,
        r.run.mode
    );
    for c in &r.claims {
        let verdict = c.verdict.as_str();
        say!(
            "  {:<48} claim {:>12.2}  P {:.2} (±{:.2})  P10–P90 {:.2} – {:.2}  {verdict}{}",
            c.label,
            c.claimed,
            c.p_reached,
            c.mcse,
            c.p10,
            c.p90,
            if c.flags.is_empty() { String::new() } else { format!("  [{}]", c.flags.join(", ")) }
        );
    }
    let b = &r.break_even;
    if b.found {
        let rr: Vec<String> = b.effects.iter().map(|e| format!("{} rr {:.3}", e.name, e.rr)).collect();
        say!(
            "  break-even for {}: effect multiplier λ = {:.3} (±{}) → {}",
            r.application.funder,
            b.multiplier,
            b.tolerance,
            rr.join(", ")
        );
    } else {
        say!("  break-even for {}: not reached ({})", r.application.funder, b.note.as_deref().unwrap_or(""));
    }
}
