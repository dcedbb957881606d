//! Print the Nijmegen nulalternatief's 2025 and 2039 shares per chain and state (city)
//! and per stadsdeel, with every parameter at its mean: the table docs/baseline.md
//! quotes. `tests/calibration.rs` checks the same run against the sourced base rates.
//!
//! ```sh
//! cargo run --release --example baseline_table
//! ```

#[allow(dead_code)]
#[path = "../tests/common/baseline.rs"]
mod baseline;

use baseline::{baseline, load, prevalence, share, wmo_per_1000};
use wijkimpact::ledger::LIFE_YEARS;

fn main() {
    let m = load();
    let (l, ml) = baseline(&m);
    let last = l.n_years - 1;
    println!("population (person-years): {:.0} → {:.0}", l.total(0, LIFE_YEARS), l.total(last, LIFE_YEARS));
    println!(
        "wmo maatwerk per 1,000: city {:.1} → {:.1}",
        wmo_per_1000(&m, &l, &ml, None, 0),
        wmo_per_1000(&m, &l, &ml, None, last)
    );
    for (c, ch) in m.chains.iter().enumerate() {
        let cells: Vec<String> = ch
            .states
            .iter()
            .map(|s| {
                let a = share(&m, &l, &ml, None, 0, &ch.name, &[s]);
                let b = share(&m, &l, &ml, None, last, &ch.name, &[s]);
                format!("{s} {:.2} % → {:.2} %", 100.0 * a, 100.0 * b)
            })
            .collect();
        println!(
            "{:<15} active {:>7.0} → {:>7.0}: {}",
            ch.name,
            l.total(0, ml.chain_active[c]),
            l.total(last, ml.chain_active[c]),
            cells.join("; ")
        );
    }
    for (c, ch) in m.chains.iter().enumerate() {
        let cells: Vec<String> = (0..m.areas.len())
            .map(|a| {
                format!(
                    "{} {:.1}→{:.1}",
                    m.areas[a].name,
                    100.0 * prevalence(&m, &l, &ml, Some(a), 0, c),
                    100.0 * prevalence(&m, &l, &ml, Some(a), last, c)
                )
            })
            .collect();
        println!("prevalence % {:<15} {}", ch.name, cells.join(", "));
    }
    let cells: Vec<String> = (0..m.areas.len())
        .map(|a| format!("{} {:.0}", m.areas[a].name, wmo_per_1000(&m, &l, &ml, Some(a), 0)))
        .collect();
    println!("wmo per 1,000 in 2025: {}", cells.join(", "));
    let cells: Vec<String> = (0..m.areas.len())
        .map(|a| {
            let j = share(&m, &l, &ml, Some(a), 0, "jeugdhulp", &["ambulant", "verblijf"]);
            let e = share(&m, &l, &ml, Some(a), 0, "eenzaamheid", &["ernstig"]);
            format!("{} {:.1} / {:.1}", m.areas[a].name, 100.0 * j, 100.0 * e)
        })
        .collect();
    println!("jeugdhulp maatwerk % / strongly lonely % in 2025: {}", cells.join(", "));
}
