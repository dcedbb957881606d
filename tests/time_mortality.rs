//! Transitions by model cycle and calendar year (`cycles` / `years` on
//! `[[chain.transitions]]`) and mortality by state (a life table file and
//! `mortality_hr`): known answers computed by hand, the cohort engine against
//! the reference engine bit for bit, the stochastic engine within its
//! standard error, and the errors for bad input.

mod common;

use std::path::{Path, PathBuf};

use wijkimpact::model::{Mode, Model};
use wijkimpact::params;
use wijkimpact::scenario;
use wijkimpact::sim::accum::{self, Acc, AccLayout};
use wijkimpact::sim::{cohort_counts, Plan};

/// The counts of draw 0 of every arm: the cohort engine, after checking it
/// against the reference engine bit for bit (with and without reuse).
fn counts(m: &Model) -> Vec<Acc> {
    let plan = Plan::new(m).expect("plan");
    let p = params::sample_draw(&m.params, 7, 0);
    let want = cohort_counts(m, &plan, &p, true, false);
    for reuse in [true, false] {
        let got = cohort_counts(m, &plan, &p, false, reuse);
        for (g, w) in got.iter().zip(&want) {
            let same = g.data.iter().zip(&w.data).all(|(x, y)| x.to_bits() == y.to_bits());
            assert!(same, "cohort engine (reuse {reuse}) differs from the reference engine");
        }
    }
    want
}

/// Quantity `i` of area `a` in year `t`.
fn at(acc: &Acc, a: usize, t: usize, i: usize) -> f64 {
    acc.data[(a * acc.n_years + t) * acc.n + i]
}

/// A closed cohort of 1000 people aged 40 in a chain a ⇄ b, with `entries`
/// (more `[[chain.transitions]]`) after the general matrix a→b 0.1, b→a 0.3.
fn two_state(horizon: usize, entries: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
[demography.gesloten]
closed = true
[[area]]
name = "cohort"
demography = "gesloten"
population = [ {{ ages = "40", count = 1000 }} ]
[[chain]]
name = "x"
kind = "indicator"
states = ["a", "b"]
initial = [ {{ ages = "0-100", p = [1.0, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.1], [0.3, "rest"] ]
{entries}
"#
    )
}

/// People in b at the end of each year when the matrix (p = a→b, q = b→a)
/// of cycle t is `pq(t)`: b' = b (1 − q) + (N − b) p, by hand.
fn b_by_hand(n: f64, years: usize, pq: impl Fn(usize) -> (f64, f64)) -> Vec<f64> {
    let mut b = 0.0;
    (0..years)
        .map(|t| {
            let (p, q) = pq(t);
            b = b * (1.0 - q) + (n - b) * p;
            b
        })
        .collect()
}

#[test]
fn matrix_changes_at_cycle_three() {
    let later = "[[chain.transitions]]\ncycles = \"3-4\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let m = common::model_from_str("cycles.toml", &two_state(5, later));
    let lay = AccLayout::new(&m);
    let acc = &counts(&m)[0];
    let want = b_by_hand(1000.0, 5, |t| if t >= 3 { (0.4, 0.2) } else { (0.1, 0.3) });
    // By hand: 100, 160, 196, 196·0.8 + 804·0.4 = 478.4, 478.4·0.8 + 521.6·0.4 = 591.36.
    assert!((want[4] - 591.36).abs() < 1e-9, "{want:?}");
    for (t, w) in want.iter().enumerate() {
        let got = at(acc, 0, t, lay.occ_end[0] + 1);
        assert!((got - w).abs() < 1e-9, "year {t}: {got} vs {w}");
    }
}

#[test]
fn calendar_years_are_cycles_shifted_by_the_start_year() {
    let by_cycle = "[[chain.transitions]]\ncycles = \"2-3\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let by_year = "[[chain.transitions]]\nyears = \"2027-2028\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let a = counts(&common::model_from_str("c.toml", &two_state(6, by_cycle)));
    let b = counts(&common::model_from_str("y.toml", &two_state(6, by_year)));
    assert!(a[0].data.iter().zip(&b[0].data).all(|(x, y)| x.to_bits() == y.to_bits()));
    // And the band really applies only in cycles 2 and 3.
    let m = common::model_from_str("c.toml", &two_state(6, by_cycle));
    let lay = AccLayout::new(&m);
    let want = b_by_hand(1000.0, 6, |t| if (2..=3).contains(&t) { (0.4, 0.2) } else { (0.1, 0.3) });
    for (t, w) in want.iter().enumerate() {
        assert!((at(&a[0], 0, t, lay.occ_end[0] + 1) - w).abs() < 1e-9, "year {t}");
    }
}

#[test]
fn years_past_the_horizon_apply_where_they_overlap_and_area_entries_beat_time_bands() {
    // Two areas: "west" has its own matrix (areas without a band), which beats
    // the time band without areas; an entry with areas and a band beats both.
    let text = two_state(
        4,
        r#"[[chain.transitions]]
years = "2026-2040"
matrix = [ ["rest", 0.4], [0.2, "rest"] ]
[[chain.transitions]]
areas = ["west"]
matrix = [ ["rest", 0.2], [0.1, "rest"] ]
[[chain.transitions]]
areas = ["west"]
cycles = "3"
matrix = [ ["rest", 0.5], [0.5, "rest"] ]
"#,
    )
    .replace(
        "[[chain]]",
        "[[area]]\nname = \"west\"\ndemography = \"gesloten\"\npopulation = [ { ages = \"40\", count = 1000 } ]\n[[chain]]",
    );
    let m = common::model_from_str("areas.toml", &text);
    let lay = AccLayout::new(&m);
    let acc = &counts(&m)[0];
    let cohort = b_by_hand(1000.0, 4, |t| if t >= 1 { (0.4, 0.2) } else { (0.1, 0.3) });
    let west = b_by_hand(1000.0, 4, |t| if t == 3 { (0.5, 0.5) } else { (0.2, 0.1) });
    for t in 0..4 {
        assert!((at(acc, 0, t, lay.occ_end[0] + 1) - cohort[t]).abs() < 1e-9, "cohort year {t}");
        assert!((at(acc, 1, t, lay.occ_end[0] + 1) - west[t]).abs() < 1e-9, "west year {t}");
    }
}

/// A folder with `lifetable.csv` (`table`) and `model.toml` (`text`); returns the toml path.
fn files(dir: &Path, table: &str, text: &str) -> PathBuf {
    std::fs::write(dir.join("lifetable.csv"), table).unwrap();
    let p = dir.join("model.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// Life table by sex: q 0.001/0.0008 below 60, 0.01/0.008 at 60, 0.02/0.015 from 61.
const TABLE: &str = "# test table\nage,male,female\n0-59,0.001,0.0008\n60,0.01,0.008\n61+,0.02,0.015\n";

/// 1000 men and 1000 women aged 60 (700/300 healthy/sick) and 100 of each
/// aged 10 (outside the chain's ages 18-100); sick people die at 3 times the
/// background hazard and also of the disease (0.02).
fn sick_model(horizon: usize, extra: &str) -> String {
    format!(
        r#"
[model]
start_year = 2025
horizon = {horizon}
max_age = 100
[demography.nl]
closed = true
mortality = {{ file = "lifetable.csv" }}
[[area]]
name = "stad"
demography = "nl"
population = [ {{ ages = "10", male = 100, female = 100 }}, {{ ages = "60", male = 1000, female = 1000 }} ]
[[chain]]
name = "ziekte"
kind = "care"
ages = "18-100"
states = ["gezond", "ziek", "dood"]
death_states = ["dood"]
initial = [ {{ ages = "18-100", p = [0.7, 0.3, 0.0] }} ]
[[chain.transitions]]
matrix = [ ["rest", 0.1, 0.0], [0.05, "rest", 0.02], [0.0, 0.0, 1.0] ]
[chain.state.ziek]
mortality_hr = 3
{extra}
"#
    )
}

#[test]
fn deaths_in_the_first_year_by_state_sex_and_age() {
    let dir = common::tmpdir();
    let m = common::load_model(&files(dir.path(), TABLE, &sick_model(2, "")));
    assert_eq!(m.sexes, 2);
    let lay = AccLayout::new(&m);
    let acc = &counts(&m)[0];
    // By hand, per sex with q at 60: healthy die with q (HR 1), sick with
    // q_s = 1 − (1 − q)^3, or else of the disease: q_s + (1 − q_s)·0.02.
    let mut chain_deaths = 0.0;
    for q in [0.01f64, 0.008] {
        let qs = 1.0 - (1.0 - q).powi(3);
        chain_deaths += 700.0 * q + 300.0 * (qs + (1.0 - qs) * 0.02);
    }
    // The children (age 10, outside the chain) die of background mortality only.
    let background = 100.0 * 0.001 + 100.0 * 0.0008;
    let got_chain = at(acc, 0, 0, lay.chain_deaths[0]);
    assert!((got_chain - chain_deaths).abs() < 1e-9, "chain deaths {got_chain} vs {chain_deaths}");
    let got = at(acc, 0, 0, accum::DEATHS);
    assert!((got - (chain_deaths + background)).abs() < 1e-9, "deaths {got} vs {}", chain_deaths + background);
    // Nobody dies twice: the population at the end of the year is what is left.
    let end = at(acc, 0, 0, accum::POP_END);
    assert!((end - (2200.0 - chain_deaths - background)).abs() < 1e-9, "end population {end}");
    // Survivors among the sick (men): 300 (1 − q_s)(1 − 0.02 − 0.05) stay sick, plus 700 (1 − q) 0.1.
    let (q, qs) = (0.01f64, 1.0 - 0.99f64.powi(3));
    let sick_men = 300.0 * (1.0 - qs) * 0.93 + 700.0 * (1.0 - q) * 0.1;
    let (qw, qsw) = (0.008f64, 1.0 - 0.992f64.powi(3));
    let sick_women = 300.0 * (1.0 - qsw) * 0.93 + 700.0 * (1.0 - qw) * 0.1;
    let got_sick = at(acc, 0, 0, lay.occ_end[0] + 1);
    assert!((got_sick - sick_men - sick_women).abs() < 1e-9, "sick {got_sick} vs {}", sick_men + sick_women);
}

#[test]
fn hazards_in_the_life_table_become_probabilities() {
    let dir = common::tmpdir();
    let table = "age,rate\n0-100,0.05\n";
    let text = sick_model(1, "")
        .replace("male = 100, female = 100", "count = 0")
        .replace("male = 1000, female = 1000", "count = 1000");
    let m = common::load_model(&files(dir.path(), table, &text));
    assert_eq!(m.sexes, 1);
    let acc = &counts(&m)[0];
    let q = 1.0 - (-0.05f64).exp();
    let qs = 1.0 - (1.0 - q).powi(3);
    let want = 700.0 * q + 300.0 * (qs + (1.0 - qs) * 0.02);
    let got = at(acc, 0, 0, accum::DEATHS);
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
}

#[test]
fn relative_risks_act_among_survivors_before_the_fold() {
    // A risk factor doubling gezond → ziek acts on p, then the fold: the flow
    // into ziek is (1 − q)·0.2 of the healthy.
    let dir = common::tmpdir();
    let extra = r#"
[[chain]]
name = "eenzaam"
kind = "indicator"
ages = "0-100"
states = ["nee", "ja"]
initial = [ { ages = "0-100", p = [0.0, 1.0] } ]
[[chain.transitions]]
matrix = [ [1.0, 0.0], [0.0, 1.0] ]
[[risk_factor]]
chain = "ziekte"
from = "gezond"
to = "ziek"
when = "eenzaam.ja"
rr = 2
convention = "probability"
"#;
    let m = common::load_model(&files(dir.path(), TABLE, &sick_model(1, extra)));
    let lay = AccLayout::new(&m);
    let acc = &counts(&m)[0];
    let entries = at(acc, 0, 0, lay.entries[0] + 1);
    let want = 700.0 * (1.0 - 0.01) * 0.2 + 700.0 * (1.0 - 0.008) * 0.2;
    assert!((entries - want).abs() < 1e-9, "entries into ziek {entries} vs {want}");
}

#[test]
fn stochastic_deaths_agree_within_their_standard_error() {
    let dir = common::tmpdir();
    let m = common::load_model(&files(dir.path(), TABLE, &sick_model(1, "")));
    let ctx = wijkimpact::runner::RunContext::new(&m).unwrap();
    let opts = wijkimpact::runner::RunOptions::new(3, 1, Mode::Stochastic);
    let ml = wijkimpact::ledger::MeasureLayout::new(&m);
    let draws = 400;
    let xs: Vec<f64> = (0..draws)
        .map(|d| {
            let r = wijkimpact::runner::run_draw(&ctx, &opts, d).unwrap();
            r.arms[0].get(0, 0, ml.chain_deaths[0])
        })
        .collect();
    let mean = xs.iter().sum::<f64>() / draws as f64;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64).sqrt();
    // Cohort value of the same measure.
    let cohort = wijkimpact::runner::run_draw(&ctx, &wijkimpact::runner::RunOptions::new(3, 1, Mode::Cohort), 0)
        .unwrap()
        .arms[0]
        .get(0, 0, ml.chain_deaths[0]);
    let mcse = sd / (draws as f64).sqrt();
    assert!(sd > 0.0);
    assert!((mean - cohort).abs() < 4.0 * mcse, "stochastic {mean} vs cohort {cohort} (mcse {mcse})");
}

/// The errors of loading `text` (with `table` as lifetable.csv), one per line.
fn errors(table: &str, text: &str) -> String {
    let dir = common::tmpdir();
    let p = files(dir.path(), table, text);
    match scenario::load(&p) {
        Ok(_) => panic!("loads, but should not"),
        Err(e) => e.to_string().replace(&dir.path().display().to_string(), "DIR"),
    }
}

#[test]
fn life_table_errors_name_file_line_and_column() {
    let text = sick_model(1, "");
    let missing = errors("age,male,female\n0-59,0.001,0.0008\n61-100,0.02,0.015\n", &text);
    assert!(missing.contains("DIR/lifetable.csv:1:1: demography.nl.mortality.file: ages 60 are missing"), "{missing}");
    let word = errors("age,male,female\n0-59,0.001,0.0008\n60, abc,0.008\n61+,0.02,0.015\n", &text);
    assert!(
        word.contains("DIR/lifetable.csv:3:5: demography.nl.mortality.file: `abc` (male) is not a number"),
        "{word}"
    );
    let big = errors("age,male,female\n0-59,0.001,0.0008\n60,0.01,1.5\n61+,0.02,0.015\n", &text);
    assert!(
        big.contains("lifetable.csv:3:9: demography.nl.mortality.file: `1.5` (female) is not a probability"),
        "{big}"
    );
    let twice = errors("age,q\n0-60,0.001\n60+,0.01\n", &text);
    assert!(
        twice.contains(
            "lifetable.csv:3:1: demography.nl.mortality.file: ages 60-100 are given twice (age 60 also on line 2)"
        ),
        "{twice}"
    );
    let header = errors("leeftijd,q\n0+,0.001\n", &text);
    assert!(
        header.contains(
            "lifetable.csv:1:1: demography.nl.mortality.file: header `leeftijd,q` is not a life table header"
        ),
        "{header}"
    );
    let absent = {
        let dir = common::tmpdir();
        let p = dir.path().join("model.toml");
        std::fs::write(&p, &text).unwrap();
        scenario::load(&p).unwrap_err().to_string()
    };
    assert!(
        absent.contains("model.toml:8:") && absent.contains("life table") && absent.contains("not found"),
        "{absent}"
    );
    let outside = errors(TABLE, &text.replace("\"lifetable.csv\"", "\"../../../etc/passwd\""));
    assert!(outside.contains("points outside the folder of this file"), "{outside}");
}

#[test]
fn overlapping_time_bands_are_an_error() {
    let entries = "[[chain.transitions]]\ncycles = \"0-3\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n[[chain.transitions]]\ncycles = \"2-4\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let e = scenario::load_str("t.toml", &two_state(5, entries)).unwrap_err().to_string();
    assert!(
        e.contains("t.toml:23:10: chain.x.transitions[2]: transitions[2] and transitions[1] both give the matrix for some of ages 0-100 in cycles 2-4 in all areas"),
        "{e}"
    );
    let both = "[[chain.transitions]]\ncycles = \"0-3\"\nyears = \"2025-2027\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let e = scenario::load_str("t.toml", &two_state(5, both)).unwrap_err().to_string();
    assert!(e.contains("chain.x.transitions[1].cycles: give either cycles"), "{e}");
    let outside = "[[chain.transitions]]\nyears = \"2040-2045\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let e = scenario::load_str("t.toml", &two_state(5, outside)).unwrap_err().to_string();
    assert!(
        e.contains("chain.x.transitions[1].years: years 2040-2045 lie outside the simulated years 2025-2029"),
        "{e}"
    );
    let bad = "[[chain.transitions]]\ncycles = \"3-1\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let e = scenario::load_str("t.toml", &two_state(5, bad)).unwrap_err().to_string();
    assert!(e.contains("chain.x.transitions[1].cycles: cycles \"3-1\" is not a valid band"), "{e}");
}

#[test]
fn state_mortality_errors() {
    // Two chains with mortality_hr at the same ages.
    let second = r#"
[[chain]]
name = "tweede"
kind = "care"
ages = "50-70"
states = ["goed", "slecht", "overleden"]
death_states = ["overleden"]
initial = [ { ages = "50-70", p = [1.0, 0.0, 0.0] } ]
[[chain.transitions]]
matrix = [ ["rest", 0.1, 0.0], [0.0, "rest", 0.0], [0.0, 0.0, 1.0] ]
[chain.state.slecht]
mortality_hr = 2
"#;
    let e = errors(TABLE, &sick_model(1, second));
    assert!(
        e.contains("chain.tweede.state.slecht.mortality_hr: chain `ziekte` (ages 18-100) and chain `tweede` (ages 50-70) both take background mortality by state at ages 50-70"),
        "{e}"
    );
    // No death state.
    let text = sick_model(1, "").replace("death_states = [\"dood\"]\n", "");
    let e = errors(TABLE, &text);
    assert!(e.contains("chain.ziekte.state: mortality_hr makes people die of background mortality through this chain, so it needs exactly one death state"), "{e}");
    // On the death state itself.
    let e = errors(TABLE, &sick_model(1, "[chain.state.dood]\nmortality_hr = 2\n"));
    assert!(e.contains("chain.ziekte.state.dood.mortality_hr: a death state has no mortality of its own"), "{e}");
}

#[test]
fn models_without_time_bands_or_state_mortality_keep_one_layer() {
    let m = common::model_from_str("plain.toml", &two_state(3, ""));
    let ch = &m.chains[0];
    assert_eq!((ch.n_periods(), ch.lookup_sexes, ch.matrix_for.len()), (1, 1, m.settings.n_ages()));
    assert!(ch.period_of.is_empty() && ch.mortality_hr.is_empty());
}

#[test]
fn calendar_years_with_monthly_cycles_cover_their_twelve_months() {
    let later = "[[chain.transitions]]\nyears = \"2026\"\nmatrix = [ [\"rest\", 0.4], [0.2, \"rest\"] ]\n";
    let text = two_state(30, later).replace("max_age = 100", "max_age = 100\ncycle_length = \"month\"");
    let m = common::model_from_str("months.toml", &text);
    let ch = &m.chains[0];
    // Cycles 12..=23 lie in 2026: the second period; the others the first.
    let want: Vec<usize> = (0..30).map(|t| usize::from((12..24).contains(&t))).collect();
    let got: Vec<usize> = (0..30).map(|t| ch.period(t)).collect();
    assert_eq!(got, want);
    assert_ne!(ch.matrix_for[m.settings.n_ages() + 40], ch.matrix_for[40]);
    counts(&m);
}
