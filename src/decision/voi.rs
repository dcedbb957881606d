//! See [`crate::decision`]. (Placeholder until the value of information lands.)
use ndarray::ArrayView2;

/// Placeholder.
pub fn evpi(_nb: ArrayView2<f64>) -> f64 {
    0.0
}

/// Options.
#[derive(Debug, Clone, Default)]
pub struct EvppiOptions {
    /// Knots.
    pub knots: Option<usize>,
    /// SE samples.
    pub se_samples: usize,
    /// Seed.
    pub seed: u64,
}

/// Result.
#[derive(Debug, Clone)]
pub struct Evppi {
    /// Value.
    pub value: f64,
    /// SE.
    pub se: f64,
    /// EVPI.
    pub evpi: f64,
    /// R².
    pub r_squared: Vec<f64>,
    /// Warning.
    pub warning: Option<String>,
}

/// Error.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VoiError {
    /// Placeholder.
    #[error("not implemented")]
    Missing,
}

/// Placeholder.
pub fn evppi_groups(
    _nb: ArrayView2<f64>,
    groups: &[ArrayView2<f64>],
    _o: &EvppiOptions,
) -> Vec<Result<Evppi, VoiError>> {
    groups.iter().map(|_| Err(VoiError::Missing)).collect()
}
