//! Cycles shorter than a year (`[model] cycle_length`) summed into calendar
//! years for the yearly outputs.
//!
//! The business case values the per-cycle ledger (each cycle discounted at
//! its own time); `yearly.csv`, the monitor and the draws files read one row
//! per calendar year: flows (person-years, life-years, costs, outcomes,
//! births, deaths, entries, starts, participants) are summed over the cycles
//! of the year, the population at the start of the year is that of its first
//! cycle and at the end that of its last cycle.

use crate::ledger::{Ledger, MeasureLayout, POP_END, POP_START};
use crate::model::Settings;

/// The per-cycle ledger `led` as one row per calendar year
/// ([`Settings::n_years`]); `led` itself when the cycle is a year.
pub fn calendar_years(settings: &Settings, ml: &MeasureLayout, led: Ledger) -> Ledger {
    if settings.cycle_length == 1.0 {
        return led;
    }
    let ny = settings.n_years();
    let mut out = Ledger::new(led.n_areas, ny, led.n_measures);
    let mut first = vec![true; ny];
    for t in 0..led.n_years {
        let y = settings.year_index(t);
        for a in 0..led.n_areas {
            let (src, dst) = (led.row(a, t), out.row_mut(a, y));
            for m in 0..ml.len() {
                dst[m] = match m {
                    POP_START if !first[y] => dst[m],
                    POP_START | POP_END => src[m],
                    _ => dst[m] + src[m],
                };
            }
        }
        first[y] = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_sum_into_years_with_stocks_at_the_year_edges() {
        let mut model = crate::summary::tests::tiny_model();
        model.settings.cycle_length = 1.0 / 12.0;
        model.settings.horizon = 18;
        let ml = MeasureLayout::new(&model);
        let mut led = Ledger::new(1, 18, ml.len());
        for t in 0..18 {
            let row = led.row_mut(0, t);
            row[POP_START] = 100.0 - t as f64;
            row[POP_END] = 99.0 - t as f64;
            row[crate::ledger::LIFE_YEARS] = 1.0;
        }
        let out = calendar_years(&model.settings, &ml, led);
        assert_eq!(out.n_years, 2);
        assert_eq!((out.get(0, 0, POP_START), out.get(0, 0, POP_END)), (100.0, 88.0));
        assert_eq!((out.get(0, 1, POP_START), out.get(0, 1, POP_END)), (88.0, 82.0));
        assert_eq!((out.get(0, 0, crate::ledger::LIFE_YEARS), out.get(0, 1, crate::ledger::LIFE_YEARS)), (12.0, 6.0));
    }
}
