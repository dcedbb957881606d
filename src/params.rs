//! Sampling the uncertain parameters of one draw (second-order uncertainty).

use crate::model::ParamTable;
use crate::rng::{stream, Purpose};

/// Sample every parameter slot of `table` for `draw`. The stream depends only
/// on (seed, draw), so a draw is the same whether it runs alone, in a shard or
/// among thousands, on any thread. Derived parameters are computed last from
/// the draw's samples ([`ParamTable::derive`]); they use no random numbers.
pub fn sample_draw(table: &ParamTable, seed: u64, draw: u64) -> Vec<f64> {
    let mut out = vec![0.0; table.slots];
    for p in &table.params {
        // One stream per parameter, keyed by its name (or field path): adding,
        // removing or reordering parameters in a file does not change the
        // values the other parameters take.
        let mut rng = stream(seed, draw, Purpose::Parameters, name_key(&p.name));
        p.dist.sample_into(&mut rng, &mut out[p.offset..p.offset + p.len()]);
    }
    table.derive(&mut out);
    out
}

/// FNV-1a hash of a parameter name: a stable stream index across releases.
pub(crate) fn name_key(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// The mean of every slot (for deterministic "base case" runs and sensitivity
/// analysis). A derived parameter takes its expression's value at the means
/// of its inputs (the base case), not its own mean over the draws.
pub fn means(table: &ParamTable) -> Vec<f64> {
    let mut out = vec![0.0; table.slots];
    for p in &table.params {
        out[p.offset..p.offset + p.len()].copy_from_slice(&p.dist.means());
    }
    table.derive(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the name hash: changing it would change every published figure.
    #[test]
    fn value_stability_of_the_name_key() {
        assert_eq!(name_key(""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(name_key("a"), 0xAF63_DC4C_8601_EC8C);
    }
}
