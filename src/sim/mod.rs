//! The simulation core: one draw of every arm, year by year.

use crate::ledger::{Ledger, MeasureLayout};
use crate::model::{Mode, Model};

/// Counted warnings of a draw (probabilities that had to be repaired), plus work done.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Warnings {
    /// Transition rows whose exits summed above 1 under the probability convention
    /// (rescaled to sum to 1).
    pub rescaled_rows: u64,
    /// Rows with a "rest" entry that came out negative in a draw (renormalised).
    pub negative_rest: u64,
    pub work_units: u64,
}

impl Warnings {
    pub fn add(&mut self, o: &Warnings) {
        self.rescaled_rows += o.rescaled_rows;
        self.negative_rest += o.negative_rest;
        self.work_units += o.work_units;
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum SimError {
    #[error("{0}")]
    Model(String),
}

/// Precomputed structure of a model for simulation.
#[derive(Debug, Clone)]
pub struct Plan {}

impl Plan {
    pub fn new(_model: &Model) -> Result<Self, SimError> {
        Ok(Plan {})
    }
}

/// Structural problems the engine cannot simulate (e.g. a cycle of risk factors),
/// as (field path, reason), for the validator to report.
pub fn check_model(model: &Model) -> Vec<(String, String)> {
    match Plan::new(model) {
        Ok(_) => vec![],
        Err(e) => vec![("risk_factor".into(), e.to_string())],
    }
}

/// Simulate the nulalternatief and every scenario for one draw.
pub fn simulate_draw(
    model: &Model,
    _plan: &Plan,
    _mode: Mode,
    _seed: u64,
    _draw: u64,
    _params: &[f64],
    measures: &MeasureLayout,
) -> Result<(Vec<Ledger>, Warnings), SimError> {
    let arms = (0..=model.scenarios.len())
        .map(|_| Ledger::new(model.areas.len(), model.settings.horizon, measures.len()))
        .collect();
    Ok((arms, Warnings::default()))
}
