//! Time bands of `[[chain.transitions]]` (`cycles = "0-4"` or
//! `years = "2025-2029"`): an entry with a band applies only in those model
//! cycles. Cycles in which the same banded entries apply form one *period*;
//! the chain's lookup table holds one layer per period.
//!
//! Specificity, from least to most specific: no `areas` and no band (the
//! general entries, which must cover the chain's ages in every cycle), a band
//! without `areas`, `areas` without a band, `areas` with a band. The most
//! specific entry that covers an (area, age, cycle) gives its matrix; two
//! entries of the same specificity covering the same cell are an error.

use std::ops::Range;

use super::ages::{band_str, parse_band, Band};
use super::V;
use crate::model::NONE;
use crate::scenario::file::TransitionSpec;

/// A transitions entry with a time band, while the chain is read.
pub(super) struct Timed {
    /// Index of the entry (and of its matrix).
    pub entry: usize,
    /// Ages it applies to.
    pub ages: Band,
    /// The areas it is specific to; `None` for every area.
    pub areas: Option<Vec<usize>>,
    /// Model cycles it applies in (within `0..horizon`).
    pub cycles: Band,
    /// Where to report a clash.
    pub span: Range<usize>,
}

impl V<'_> {
    /// The model cycles of an entry's `cycles` or `years` key: `None` without
    /// a band, `Some(None)` for an invalid one (reported).
    pub(super) fn time_band(&mut self, f: usize, ts: &TransitionSpec, tf: &str) -> Option<Option<Band>> {
        let last = self.horizon.saturating_sub(1) as i64;
        let (s, key, offset) = match (&ts.cycles, &ts.years) {
            (None, None) => return None,
            (Some(c), Some(_)) => {
                self.err(
                    f,
                    c.span(),
                    format!("{tf}.cycles"),
                    "give either cycles (model cycles, 0 = the start year) or years (calendar years), not both",
                );
                return Some(None);
            }
            (Some(c), None) => (c, "cycles", 0i64),
            (None, Some(y)) => (y, "years", self.start_year as i64),
        };
        let field = format!("{tf}.{key}");
        let text = s.get_ref();
        let Some((lo, hi)) = parse_band(text).filter(|(lo, hi)| lo <= hi) else {
            let example = if key == "cycles" {
                "\"0-4\" (inclusive) or a single cycle like \"3\""
            } else {
                "\"2025-2029\" (inclusive) or a single year like \"2027\""
            };
            self.err(f, s.span(), field, format!("{key} \"{text}\" is not a valid band: write {example}"));
            return Some(None);
        };
        // The cycles in the band: for `years`, those whose calendar year lies in it.
        let in_band: Vec<usize> = (0..self.horizon)
            .filter(|&t| {
                let x = if key == "cycles" {
                    t as i64
                } else {
                    self.year_of_cycle.get(t).map_or(t, |&y| y) as i64 + offset
                };
                lo <= x && x <= hi
            })
            .collect();
        let (Some(&first), Some(&end)) = (in_band.first(), in_band.last()) else {
            let within = if key == "cycles" {
                format!("cycles 0-{last} (the horizon)")
            } else {
                let years = self.year_of_cycle.last().map_or(last, |&y| y as i64);
                format!("years {}-{}", self.start_year, self.start_year as i64 + years)
            };
            self.err(
                f,
                s.span(),
                field,
                format!("{key} {text} lie outside the simulated {within}; the entry would never apply"),
            );
            return Some(None);
        };
        // A band reaching past the horizon applies in the cycles it shares with it.
        Some(Some((first, end)))
    }

    /// Report banded entries of the same specificity that cover the same
    /// (area, age, cycle), then build the chain's periods: returns
    /// (`period_of`, `matrix_for` with one layer of `n_areas * n_ages` per period)
    /// from `base` (the layer of the entries without a band) and `area_owner`
    /// (per (area, age), the area-specific entry without a band, if any).
    pub(super) fn time_periods(
        &mut self,
        f: usize,
        tf: &str,
        timed: &[Timed],
        base: &[u32],
        area_owner: &[Option<usize>],
    ) -> (Vec<u32>, Vec<u32>) {
        if timed.is_empty() {
            return (Vec::new(), base.to_vec());
        }
        let (h, n_areas, n_ages) = (self.horizon, self.n_areas, self.max_age + 1);
        // Owners per (age, cycle) of entries without areas, per (area, age, cycle) with.
        let mut general: Vec<Option<usize>> = vec![None; n_ages * h];
        let mut specific: Vec<Option<usize>> = vec![None; n_areas * n_ages * h];
        for (i, e) in timed.iter().enumerate() {
            let mut clash: Vec<usize> = Vec::new();
            for cyc in e.cycles.0..=e.cycles.1 {
                for age in e.ages.0..=e.ages.1 {
                    let cells: Vec<usize> = match &e.areas {
                        None => vec![age * h + cyc],
                        Some(list) => list.iter().map(|a| (a * n_ages + age) * h + cyc).collect(),
                    };
                    let owners = if e.areas.is_none() { &mut general } else { &mut specific };
                    for k in cells {
                        if let Some(o) = owners[k] {
                            if o != i && !clash.contains(&o) {
                                clash.push(o);
                            }
                        }
                        owners[k] = Some(i);
                    }
                }
            }
            for o in clash {
                let what = if e.areas.is_none() { "in all areas" } else { "in the same area" };
                self.err(
                    f,
                    e.span.clone(),
                    format!("{tf}[{}]", e.entry),
                    format!(
                        "transitions[{}] and transitions[{}] both give the matrix for some of ages {} in cycles {} {what}; each age and cycle may have one such matrix (time bands must not overlap at the same ages)",
                        e.entry,
                        timed[o].entry,
                        band_str(e.ages),
                        band_str(e.cycles)
                    ),
                );
            }
        }
        // Cycles in which the same banded entries apply share a period.
        let mut signatures: Vec<Vec<usize>> = Vec::new();
        let mut period_of = Vec::with_capacity(h);
        for cyc in 0..h {
            let sig: Vec<usize> =
                (0..timed.len()).filter(|&i| timed[i].cycles.0 <= cyc && cyc <= timed[i].cycles.1).collect();
            let p = match signatures.iter().position(|s| *s == sig) {
                Some(p) => p,
                None => {
                    signatures.push(sig);
                    signatures.len() - 1
                }
            };
            period_of.push(p as u32);
        }
        let layer = n_areas * n_ages;
        let mut matrix_for = vec![NONE; signatures.len() * layer];
        for p in 0..signatures.len() {
            let cyc = period_of.iter().position(|&q| q as usize == p).expect("every period has a cycle");
            let out = &mut matrix_for[p * layer..(p + 1) * layer];
            out.copy_from_slice(base);
            for a in 0..n_areas {
                for age in 0..n_ages {
                    let k = a * n_ages + age;
                    if base[k] == NONE {
                        continue;
                    }
                    // Areas and a band, else areas without a band (already in `base`), else a band.
                    let chosen = match (specific[k * h + cyc], area_owner[k]) {
                        (Some(i), _) => Some(i),
                        (None, None) => general[age * h + cyc],
                        (None, Some(_)) => None,
                    };
                    if let Some(i) = chosen {
                        // Every transitions entry pushed exactly one matrix, so entry t is matrix t.
                        out[k] = timed[i].entry as u32;
                    }
                }
            }
        }
        (period_of, matrix_for)
    }
}
