//! Minimal reproductions of engine bugs found by the properties.

use wijkimpact::model::Model;
use wijkimpact::params;
use wijkimpact::runner::{self, RunContext, RunOptions};

use crate::invariants::MODES;
use crate::load;

/// One area, a closed cohort of 100 people at age 10, and a chain whose state
/// `a` everyone leaves in the first year: occupancy of `a` is 100, 0, 0 at the
/// year boundaries.
const EMPTYING_STATE: &str = r#"
[model]
start_year = 2025
horizon = 2
max_age = 20
cycle_correction = "simpson"
[demography.d]
closed = true
[[area]]
name = "A"
demography = "d"
population = [ { ages = "10", count = 100 } ]
[[chain]]
name = "c"
kind = "indicator"
states = ["a", "b"]
initial = [ { ages = "0-20", p = [1.0, 0.0] } ]
[[chain.transitions]]
matrix = [ [0.0, 1.0], [0.0, 1.0] ]
"#;

#[test]
fn simpson_person_years_are_never_negative() {
    let m = load(EMPTYING_STATE);
    let ctx = RunContext::new(&m).expect("plan");
    for mode in MODES {
        let r = runner::run_draw(&ctx, &RunOptions::new(1, 1, mode), 0).expect("draw");
        for t in 0..2 {
            let py = r.arms[0].get(0, t, ctx.measures.person_years[0][0]);
            // Boundaries 100, 0, 0: the old year-by-year quadratic gave year 1 = -100/12; the
            // Simpson weights (1, 4, 1)/3 split as (1/3, 2/3), (2/3, 1/3) give 100/3 and 0.
            assert!(py >= 0.0, "{mode:?}: person_years/c/a in year {t} = {py}");
        }
    }
}

#[test]
fn named_parameter_keeps_its_values_when_another_is_added() {
    let file = |extra: &str| {
        format!(
            r#"
[model]
start_year = 2025
horizon = 1
max_age = 20
[parameters]
{extra}
b = {{ dist = "gamma", mean = 10, sd = 2 }}
[demography.d]
mortality = "none"
[[area]]
name = "A"
demography = "d"
population = [ {{ ages = "0-20", count = 100 }} ]
[[chain]]
name = "c"
kind = "indicator"
states = ["x", "y"]
initial = [ {{ ages = "0-20", p = [0.5, 0.5] }} ]
[[chain.transitions]]
matrix = [ [0.9, 0.1], [0.2, 0.8] ]
[chain.state.y]
social_value = "b"
"#
        )
    };
    let without = load(&file(""));
    let with = load(&file("a = { dist = \"gamma\", mean = 10, sd = 2 }"));
    let slot = |m: &Model| m.params.slot_names().iter().position(|n| n == "b").expect("b");
    let (i, j) = (slot(&without), slot(&with));
    for draw in 0..5 {
        let x = params::sample_draw(&without.params, 7, draw)[i];
        let y = params::sample_draw(&with.params, 7, draw)[j];
        assert_eq!(x.to_bits(), y.to_bits(), "draw {draw}: b = {x} without `a`, {y} with `a`");
    }
}
