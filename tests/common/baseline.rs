//! The Nijmegen nulalternatief with every parameter at its mean, and the shares that
//! `tests/calibration.rs` checks and `examples/baseline_table.rs` prints. Shared by
//! both (the example includes this file by path), so it uses only the library.

use std::path::Path;

use wijkimpact::ledger::{Ledger, MeasureLayout, LIFE_YEARS};
use wijkimpact::model::{Mode, Model};
use wijkimpact::params;
use wijkimpact::sim::{simulate_draw, Plan};

/// The city model: `scenarios/nijmegen.toml` includes nijmegen-city.toml and nijmegen-chains.toml.
pub const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/nijmegen.toml");

/// The Nijmegen model; panics with the loader's errors.
pub fn load() -> Model {
    match wijkimpact::scenario::load(Path::new(SCENARIO)) {
        Ok(l) => l.model,
        Err(e) => panic!("{SCENARIO} does not load:\n{e}"),
    }
}

/// The nulalternatief's ledger with every parameter at its mean.
pub fn baseline(m: &Model) -> (Ledger, MeasureLayout) {
    let plan = Plan::new(m).expect("plan");
    let ml = MeasureLayout::new(m);
    let p = params::means(&m.params);
    let (mut ledgers, _w) = simulate_draw(m, &plan, Mode::Cohort, 7, 0, &p, &ml).expect("simulate");
    (ledgers.swap_remove(0), ml)
}

/// The index of the chain called `name`.
pub fn chain(m: &Model, name: &str) -> usize {
    m.chains.iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no chain {name}"))
}

/// The index of state `name` of chain `c`.
pub fn state(m: &Model, c: usize, name: &str) -> usize {
    m.chains[c].states.iter().position(|s| s == name).unwrap_or_else(|| panic!("no state {name}"))
}

/// The index of the area (stadsdeel) called `name`.
pub fn area(m: &Model, name: &str) -> usize {
    m.areas.iter().position(|a| a.name == name).unwrap_or_else(|| panic!("no area {name}"))
}

/// A measure in one year; `area = None` is the city total.
pub fn get(l: &Ledger, area: Option<usize>, year: usize, measure: usize) -> f64 {
    match area {
        Some(a) => l.get(a, year, measure),
        None => l.total(year, measure),
    }
}

/// Share of the chain's active person-years spent in `states`.
pub fn share(
    m: &Model,
    l: &Ledger,
    ml: &MeasureLayout,
    area: Option<usize>,
    year: usize,
    ch: &str,
    states: &[&str],
) -> f64 {
    let c = chain(m, ch);
    let num: f64 = states.iter().map(|s| get(l, area, year, ml.person_years[c][state(m, c, s)])).sum();
    num / get(l, area, year, ml.chain_active[c])
}

/// Share outside the rest state ("prevalence").
pub fn prevalence(m: &Model, l: &Ledger, ml: &MeasureLayout, area: Option<usize>, year: usize, c: usize) -> f64 {
    let ch = &m.chains[c];
    let rest = get(l, area, year, ml.person_years[c][ch.rest_state]);
    1.0 - rest / get(l, area, year, ml.chain_active[c])
}

/// Wmo maatwerk clients per 1,000 inhabitants (all ages), as CBS 86182NED counts them.
pub fn wmo_per_1000(m: &Model, l: &Ledger, ml: &MeasureLayout, area: Option<usize>, year: usize) -> f64 {
    let c = chain(m, "wmo");
    1000.0 * get(l, area, year, ml.person_years[c][state(m, c, "maatwerk")]) / get(l, area, year, LIFE_YEARS)
}
