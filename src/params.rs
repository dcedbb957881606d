//! Sampling the uncertain parameters of one draw (second-order uncertainty).

use crate::model::ParamTable;
use crate::rng::{stream, Purpose};

/// Sample every parameter slot of `table` for `draw`. The stream depends only
/// on (seed, draw), so a draw is the same whether it runs alone, in a shard or
/// among thousands, on any thread.
pub fn sample_draw(table: &ParamTable, seed: u64, draw: u64) -> Vec<f64> {
    let mut out = vec![0.0; table.slots];
    for (i, p) in table.params.iter().enumerate() {
        // One stream per parameter: adding a parameter to a file does not
        // change the values the other parameters take.
        let mut rng = stream(seed, draw, Purpose::Parameters, i as u64);
        p.dist.sample_into(&mut rng, &mut out[p.offset..p.offset + p.len()]);
    }
    out
}

/// The mean of every slot (for deterministic "base case" runs and sensitivity analysis).
pub fn means(table: &ParamTable) -> Vec<f64> {
    let mut out = vec![0.0; table.slots];
    for p in &table.params {
        out[p.offset..p.offset + p.len()].copy_from_slice(&p.dist.means());
    }
    out
}
