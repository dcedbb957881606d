//! Quantile levels as users give them and as files name them.

/// Check and normalise requested quantiles: each must lie strictly between 0
/// and 1; the median is always added (the human summary and reports rely on
/// it); the result is sorted without duplicates.
pub fn normalise_quantiles(qs: &[f64]) -> Result<Vec<f64>, String> {
    let mut out = Vec::with_capacity(qs.len() + 1);
    for &q in qs {
        if !(q > 0.0 && q < 1.0) {
            return Err(format!("quantile {q} is not strictly between 0 and 1"));
        }
        out.push(q);
    }
    out.push(0.5);
    out.sort_by(f64::total_cmp);
    out.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
    Ok(out)
}

/// Label of a quantile as a statistic name: 0.05 → `p5`, 0.5 → `p50`, 0.025 → `p2.5`.
pub fn quantile_label(p: f64) -> String {
    // Round away binary noise (0.07 * 100 = 7.000000000000001).
    let pct = (p * 100.0 * 1e6).round() / 1e6;
    format!("p{pct}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_options() {
        assert_eq!(normalise_quantiles(&[0.95, 0.05]).unwrap(), vec![0.05, 0.5, 0.95]);
        assert_eq!(normalise_quantiles(&[0.5, 0.5]).unwrap(), vec![0.5]);
        assert!(normalise_quantiles(&[0.0]).is_err());
        assert!(normalise_quantiles(&[1.0]).is_err());
        assert!(normalise_quantiles(&[f64::NAN]).is_err());
        assert_eq!(quantile_label(0.05), "p5");
        assert_eq!(quantile_label(0.5), "p50");
        assert_eq!(quantile_label(0.025), "p2.5");
        assert_eq!(quantile_label(0.07), "p7");
    }
}
