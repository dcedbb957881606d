//! The invariants every generated scenario must keep, each returning a description
//! of the first violation, and the comparisons of whole draws.

use wijkimpact::business;
use wijkimpact::ledger::{self, MeasureLayout};
use wijkimpact::model::{Mode, Model};
use wijkimpact::params;
use wijkimpact::runner::{self, DrawResult, DrawSink, RunContext, RunOptions, SinkError};

/// Both simulation modes, in the order the properties run them.
pub const MODES: [Mode; 2] = [Mode::Cohort, Mode::Stochastic];

/// Equal in stochastic mode (whole people), equal up to rounding in cohort mode.
fn close(a: f64, b: f64, mode: Mode) -> bool {
    match mode {
        Mode::Stochastic => a == b,
        Mode::Cohort => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
    }
}

/// Conservation of people in every arm, area and year; returns a description of the first violation.
pub fn check_conservation(m: &Model, r: &DrawResult, mode: Mode) -> Result<(), String> {
    let years = m.settings.horizon;
    for (arm, l) in r.arms.iter().enumerate() {
        for a in 0..l.n_areas {
            for t in 0..years {
                let g = |k| l.get(a, t, k);
                let lhs = g(ledger::POP_END) + g(ledger::DEATHS) + g(ledger::DEPARTURES);
                let rhs = g(ledger::POP_START) + g(ledger::ARRIVALS);
                if !close(lhs, rhs, mode) {
                    return Err(format!(
                        "{mode:?} arm {arm} area {a} year {t}: end {} + deaths {} + departures {} = {lhs} != start {} + arrivals {} = {rhs}",
                        g(ledger::POP_END),
                        g(ledger::DEATHS),
                        g(ledger::DEPARTURES),
                        g(ledger::POP_START),
                        g(ledger::ARRIVALS)
                    ));
                }
                for k in [
                    ledger::POP_START,
                    ledger::POP_END,
                    ledger::DEATHS,
                    ledger::DEPARTURES,
                    ledger::ARRIVALS,
                    ledger::BIRTHS,
                ] {
                    if g(k) < 0.0 {
                        return Err(format!("{mode:?} arm {arm} area {a} year {t}: measure {k} is negative: {}", g(k)));
                    }
                }
                if t + 1 < years {
                    let next = l.get(a, t + 1, ledger::POP_START);
                    let carried = g(ledger::POP_END) + g(ledger::BIRTHS);
                    if !close(next, carried, mode) {
                        return Err(format!(
                            "{mode:?} arm {arm} area {a}: start of year {} = {next} != end {} + births {} of year {t}",
                            t + 1,
                            g(ledger::POP_END),
                            g(ledger::BIRTHS)
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Person-years per state are >= 0 (up to rounding) and add up to `active/CHAIN`.
pub fn check_person_years(m: &Model, ml: &MeasureLayout, r: &DrawResult, mode: Mode) -> Result<(), String> {
    for (arm, l) in r.arms.iter().enumerate() {
        for a in 0..l.n_areas {
            for t in 0..m.settings.horizon {
                for (c, ch) in m.chains.iter().enumerate() {
                    let active = l.get(a, t, ml.chain_active[c]);
                    let mut sum = 0.0;
                    for s in 0..ch.n_states() {
                        let py = l.get(a, t, ml.person_years[c][s]);
                        if py < -1e-9 * active.abs().max(1.0) {
                            return Err(format!(
                                "{mode:?} arm {arm} area {a} year {t}: {} = {py} < 0",
                                ml.names[ml.person_years[c][s]]
                            ));
                        }
                        sum += py;
                    }
                    if (sum - active).abs() > 1e-9 * active.abs().max(1.0) {
                        return Err(format!(
                            "{mode:?} arm {arm} area {a} year {t}: chain {c}: states sum to {sum}, active {active}"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// No NaN or infinity in any ledger, nor in the metrics other than the ones
/// business.rs documents as "missing" (NaN only, never infinite).
pub fn check_finite(ctx: &RunContext<'_>, r: &DrawResult, mode: Mode) -> Result<(), String> {
    for (arm, l) in r.arms.iter().enumerate() {
        if let Some(i) = l.data.iter().position(|x| !x.is_finite()) {
            let measure = i % l.n_measures;
            return Err(format!("{mode:?} arm {arm}: ledger {} = {}", ctx.measures.names[measure], l.data[i]));
        }
    }
    let nm = ctx.metrics.len();
    for (i, &x) in r.metrics.iter().enumerate() {
        let k = i % nm;
        let may_be_missing = [business::BCR, business::BCR_SOCIETAL, business::BREAK_EVEN_YEAR].contains(&k);
        if !(x.is_finite() || may_be_missing && x.is_nan()) {
            return Err(format!("{mode:?}: metric {} = {x}", ctx.metrics.names[k]));
        }
    }
    if let Some(i) = r.params.iter().position(|x| !x.is_finite()) {
        return Err(format!("{mode:?}: parameter slot {i} = {}", r.params[i]));
    }
    Ok(())
}

/// A sink that keeps every draw of a run.
#[derive(Default)]
pub struct Collect(Vec<DrawResult>);

impl DrawSink for Collect {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        self.0.push(r.clone());
        Ok(())
    }
}

/// The bit patterns of a slice of numbers (so that NaN compares equal to itself).
fn bits(x: &[f64]) -> Vec<u64> {
    x.iter().map(|v| v.to_bits()).collect()
}

/// The same draw, parameters, ledgers, metrics and warnings, bit for bit.
pub fn same_result(a: &DrawResult, b: &DrawResult) -> Result<(), String> {
    if a.draw != b.draw {
        return Err(format!("draw numbers {} vs {}", a.draw, b.draw));
    }
    if bits(&a.params) != bits(&b.params) {
        return Err(format!("draw {}: parameters differ", a.draw));
    }
    if a.arms.len() != b.arms.len() {
        return Err(format!("draw {}: arm counts differ", a.draw));
    }
    for (k, (x, y)) in a.arms.iter().zip(&b.arms).enumerate() {
        if bits(&x.data) != bits(&y.data) {
            let i = x.data.iter().zip(&y.data).position(|(p, q)| p.to_bits() != q.to_bits()).unwrap_or(0);
            return Err(format!("draw {}: arm {k} ledger differs at {i}: {} vs {}", a.draw, x.data[i], y.data[i]));
        }
    }
    if bits(&a.metrics) != bits(&b.metrics) {
        return Err(format!("draw {}: metrics differ", a.draw));
    }
    if a.warnings != b.warnings {
        return Err(format!("draw {}: warnings differ: {:?} vs {:?}", a.draw, a.warnings, b.warnings));
    }
    Ok(())
}

/// Every draw of a run, in draw order.
pub fn run_all(ctx: &RunContext<'_>, opts: &RunOptions) -> Vec<DrawResult> {
    let mut sink = Collect::default();
    let stats = runner::run(ctx, opts, &mut sink, &mut |_| {}).expect("run");
    assert_eq!(stats.draws as usize, sink.0.len());
    sink.0
}

/// Compare the raw counts of the fast engine (with and without reuse) with
/// the reference engine, bit for bit.
pub fn same_counts_as_reference(m: &Model, seed: u64, draws: u64) -> Result<(), String> {
    let plan = wijkimpact::sim::Plan::new(m).map_err(|e| e.to_string())?;
    for d in 0..draws {
        let p = params::sample_draw(&m.params, seed, d);
        let want = wijkimpact::sim::cohort_counts(m, &plan, &p, true, false);
        for reuse in [true, false] {
            let got = wijkimpact::sim::cohort_counts(m, &plan, &p, false, reuse);
            for (arm, (g, w)) in got.iter().zip(&want).enumerate() {
                if let Some(i) = g.data.iter().zip(&w.data).position(|(x, y)| x.to_bits() != y.to_bits()) {
                    return Err(format!(
                        "draw {d}, arm {arm}, reuse {reuse}: count {i} is {} (reference {})",
                        g.data[i], w.data[i]
                    ));
                }
            }
        }
    }
    Ok(())
}
