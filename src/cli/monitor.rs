//! `wijkimpact monitor SCENARIO.toml --observed FILE.csv`: a run of the
//! scenario, with observed figures checked against the simulated bands and the
//! business case updated with them (see [`wijkimpact::monitor`]).

use super::BadInput;
use std::path::PathBuf;
use wijkimpact::model::Model;
use wijkimpact::monitor::observed::{self, Observation};
use wijkimpact::monitor::{self, MonitorReport, MonitorSink};
use wijkimpact::output::{OutputError, RunDir, MONITOR_JSON, OBSERVED_CSV};
use wijkimpact::runner::RunContext;

/// Files the monitor adds to a run directory.
pub const FILES: [&str; 2] = [MONITOR_JSON, OBSERVED_CSV];

#[derive(Debug, Clone)]
pub struct MonitorConfig {
    pub observed: PathBuf,
    /// The running scenario (default: the only one).
    pub scenario: Option<String>,
    pub min_ess: f64,
}

/// Observations read and checked, and the scenario they are about.
pub struct Watch {
    pub observations: Vec<Observation>,
    pub scenario: usize,
    pub name: String,
    pub min_ess: f64,
    pub observed_bytes: Vec<u8>,
}

/// Read the observed file and pick the running scenario.
pub fn prepare(cfg: &MonitorConfig, model: &Model, ctx: &RunContext<'_>) -> anyhow::Result<Watch> {
    let bytes = std::fs::read(&cfg.observed)
        .map_err(|e| BadInput(format!("{}: cannot read the observed figures: {e}", cfg.observed.display())))?;
    let observations = observed::parse(&cfg.observed, &bytes, model, &ctx.measures)
        .map_err(|e| BadInput(format!("{} has errors:\n{e}", cfg.observed.display())))?;
    let names: Vec<&str> = model.scenarios.iter().map(|s| s.name.as_str()).collect();
    let scenario =
        match &cfg.scenario {
            Some(n) => model.scenarios.iter().position(|s| &s.name == n).ok_or_else(|| {
                BadInput(format!("--scenario {n}: no such scenario; the file has {}", names.join(", ")))
            })?,
            None if model.scenarios.len() == 1 => 0,
            None => {
                return Err(BadInput(format!(
                    "the file has {} scenarios ({}); say which one is running with --scenario NAME",
                    names.len(),
                    names.join(", ")
                ))
                .into())
            }
        };
    Ok(Watch {
        observations,
        scenario,
        name: model.scenarios[scenario].name.clone(),
        min_ess: cfg.min_ess,
        observed_bytes: bytes,
    })
}

impl Watch {
    pub fn sink(&self, ctx: &RunContext<'_>) -> MonitorSink<'_> {
        MonitorSink {
            observations: &self.observations,
            arm: 1 + self.scenario,
            metrics_at: ctx.metric_index(self.scenario, ctx.n_area_slots() - 1, 0),
            records: Vec::new(),
        }
    }

    pub fn analyse(&self, ctx: &RunContext<'_>, records: &[monitor::DrawRecord]) -> MonitorReport {
        monitor::analyse(ctx, &self.name, &self.observations, records, self.min_ess)
    }
}

/// Write `monitor.json` and a copy of the observed figures.
pub fn write(dir: &mut RunDir, report: &MonitorReport, observed: &[u8]) -> Result<(), OutputError> {
    let json = serde_json::to_string_pretty(report).expect("a monitor report serialises") + "\n";
    dir.write_file(MONITOR_JSON, json.as_bytes())?;
    dir.write_file(OBSERVED_CSV, observed)
}

/// A few lines on the terminal.
pub fn print(r: &MonitorReport) {
    let inside = r.observations.iter().filter(|o| o.inside_band).count();
    say!(
        "monitoring {}: {} of {} observations inside the simulated P5–P95 band",
        r.scenario,
        inside,
        r.observations.len()
    );
    for v in &r.verdicts {
        say!("  {:<12} {:<40} {}/{} inside  {}", v.area, v.measure, v.inside, v.observations, v.verdict);
    }
    say!("  effective sample size {:.0} of {} draws", r.ess, r.draws);
    if let Some(m) = &r.message {
        say!("  {m}");
    }
    if r.updated {
        if let Some(npv) = r.business_case.iter().find(|b| b.metric == "npv") {
            say!(
                "  NPV prior mean {:.0} (P5–P95 {:.0} to {:.0}); posterior mean {:.0} ({:.0} to {:.0})",
                npv.prior_mean,
                npv.prior_p5,
                npv.prior_p95,
                npv.posterior_mean,
                npv.posterior_p5,
                npv.posterior_p95
            );
        }
        say!("  P(NPV > 0) prior {:.2}, posterior {:.2}", r.p_npv_positive.0, r.p_npv_positive.1);
        for p in r.parameters.iter().take(3) {
            say!(
                "  moved most: {} {:.4} → {:.4} ({:+.2} prior sd)",
                p.parameter,
                p.prior_mean,
                p.posterior_mean,
                p.shift_sd
            );
        }
    }
}
