//! See [`crate::decision`]. (Placeholder until the acceptability curves land.)
use ndarray::{Array2, ArrayView2};

/// Curves.
#[derive(Debug, Clone)]
pub struct Curves {
    /// Grid.
    pub wtp: Vec<f64>,
    /// CEAC.
    pub ceac: Array2<f64>,
    /// Frontier arm.
    pub frontier: Vec<usize>,
    /// Its probability.
    pub frontier_probability: Vec<f64>,
    /// Expected loss.
    pub expected_loss: Array2<f64>,
    /// EVPI.
    pub evpi: Vec<f64>,
}

/// Placeholder.
pub fn curves(costs: ArrayView2<f64>, _effects: ArrayView2<f64>, wtp: &[f64]) -> Curves {
    let (k, a) = (wtp.len(), costs.ncols());
    Curves {
        wtp: wtp.to_vec(),
        ceac: Array2::zeros((k, a)),
        frontier: vec![0; k],
        frontier_probability: vec![0.0; k],
        expected_loss: Array2::zeros((k, a)),
        evpi: vec![0.0; k],
    }
}
