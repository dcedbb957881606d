//! Validation of whole scenario texts: what each section builds, and the
//! errors a broken section gives.

use crate::model::*;
use crate::scenario::{load_str, ScenarioErrors};

/// A small valid model: ages 0-10, two areas, one chain on ages 2-8.
const BASE: &str = r#"
[model]
start_year = 2025
max_age = 10
funders = ["gemeente", "zvw"]
outcomes = ["qaly"]

[taakvelden]
"6.1" = "Samenkracht"
"6.71" = "Maatwerk"

[parameters]
p = { dist = "beta", mean = 0.2, sd = 0.05 }

[demography.d]
mortality = [ { ages = "0-5", q = 0.01 }, { ages = "6-10", q = 0.02 } ]
crude_birth_rate = 0.01

[[area]]
name = "A"
demography = "d"
population = [ { ages = "0-4", count = 50 }, { ages = "7", count = 3 } ]
net_migration = [ { ages = "0-4", count = 30 }, { ages = "5-9", count = { dist = "normal", mean = -10, sd = 5 } } ]

[[area]]
name = "B"
demography = "d"
population = [ { ages = "0-10", count = 11 } ]

[[chain]]
name = "c"
kind = "care"
ages = "2-8"
states = ["none", "care"]
initial = [ { ages = "2-4", p = [0.9, "rest"] }, { ages = "5-8", p = ["p", "rest"] } ]
initial_by_area = { B = [ { ages = "2-8", p = [1, 0] } ] }

[[chain.transitions]]
matrix = [ ["rest", "p"], [0.5, "rest"] ]

[[chain.transitions]]
ages = "6-8"
areas = ["B"]
matrix = [ ["rest", 0.3], [0.4, "rest"] ]

[chain.state.care]
costs = [ { amount = 100, funder = "zvw" }, { amount = 50, funder = "gemeente", taakveld = "6.71" } ]
outcomes = { qaly = -0.1 }

[[chain.transition_cost]]
from = "none"
to = "care"
costs = [ { amount = 300, funder = "gemeente", taakveld = "6.71" } ]

[[intervention]]
name = "i"
reach = { share = 0.1 }
costs = { fixed = [ { amount = 1000, funder = "gemeente", taakveld = "6.1" } ] }

[[intervention.effect]]
chain = "c"
to = "care"
rr = 0.8

[[scenario]]
name = "s"
interventions = ["i"]
"#;

fn load(text: &str) -> Result<Model, ScenarioErrors> {
    load_str("test.toml", text)
}

fn errors(text: &str) -> Vec<String> {
    match load(text) {
        Ok(_) => vec![],
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

fn assert_error(text: &str, needle: &str) {
    let errs = errors(text);
    assert!(errs.iter().any(|e| e.contains(needle)), "no error containing {needle:?} in {errs:#?}");
}

#[test]
fn base_loads() {
    load(BASE).unwrap_or_else(|e| panic!("{e}"));
}

/// A wijk with `profile = "B"` takes B's area-specific rows and B's
/// interventions; a declared profile without areas is no error.
#[test]
fn areas_take_the_rows_and_targets_of_their_profile() {
    let text = BASE.replace("funders = [", "profiles = [\"Elders\"]\nfunders = [")
        + "\n[[area]]\nname = \"wijk\"\nprofile = \"B\"\ndemography = \"d\"\npopulation = [ { ages = \"0-10\", count = 5 } ]\n"
        + "\n[[intervention]]\nname = \"j\"\nareas = [\"B\", \"Elders\"]\nreach = { share = 0.1 }\n[[intervention.effect]]\nchain = \"c\"\nto = \"care\"\nrr = 0.9\n";
    let m = load(&text).unwrap_or_else(|e| panic!("{e}"));
    let n_ages = m.settings.n_ages();
    let c = &m.chains[0];
    for age in 2..=8 {
        assert_eq!(c.matrix_for[2 * n_ages + age], c.matrix_for[n_ages + age], "age {age}");
        assert_eq!(c.initial_for[2 * n_ages + age], c.initial_for[n_ages + age], "age {age}");
    }
    assert_ne!(c.matrix_for[7], c.matrix_for[n_ages + 7], "area A keeps the general rows");
    let j = m.interventions.iter().find(|i| i.name == "j").unwrap();
    assert_eq!(j.areas, vec![false, true, true]);
    let bad = text.replace("areas = [\"B\", \"Elders\"]", "areas = [\"Nergens\"]");
    let e = load(&bad).unwrap_err().to_string();
    assert!(e.contains("unknown area `Nergens`"), "{e}");
}

#[test]
fn population_is_spread_evenly_over_band_ages() {
    let m = load(BASE).unwrap();
    assert_eq!(m.sexes, 1);
    let a = &m.areas[0].population[0];
    assert_eq!(a.len(), 11);
    for (age, n) in a.iter().enumerate() {
        let expect = match age {
            0..=4 => 10.0,
            7 => 3.0,
            _ => 0.0,
        };
        assert_eq!(*n, expect, "age {age}");
    }
    assert!(m.areas[1].population[0].iter().all(|&n| n == 1.0));
}

#[test]
fn migration_band_totals_are_spread_and_uncertain_totals_scaled() {
    let m = load(BASE).unwrap();
    let mig = m.areas[0].net_migration.as_ref().unwrap();
    // 30 people a year over 5 ages: 6 per age; ages 10 unlisted: 0.
    assert!(mig[0][0..=4].iter().all(|v| matches!(v, Value::Fixed(x) if *x == 6.0)));
    assert!(matches!(mig[0][10], Value::Fixed(x) if x == 0.0));
    // normal(-10, 5) over 5 ages: one slot holding normal(-2, 1), shared by the band.
    let Value::Slot(s) = mig[0][5] else { panic!("{:?}", mig[0][5]) };
    assert!((5..=9).all(|a| mig[0][a] == Value::Slot(s)));
    let p = m.params.params.iter().find(|p| p.offset == s).unwrap();
    assert_eq!(p.dist, crate::dist::Distribution::Normal { mean: -2.0, sd: 1.0 });
}

#[test]
fn chain_lookups_are_expanded_per_area_and_age() {
    let m = load(BASE).unwrap();
    let c = &m.chains[0];
    let n_ages = 11;
    assert_eq!(c.initial_for.len(), 2 * n_ages);
    assert_eq!(c.matrix_for.len(), 2 * n_ages);
    // Area A: initial rows 0 (ages 2-4) and 1 (5-8); NONE outside 2-8.
    let init_a: Vec<u32> = (0..n_ages).map(|a| c.initial_for[a]).collect();
    assert_eq!(init_a, [NONE, NONE, 0, 0, 0, 1, 1, 1, 1, NONE, NONE]);
    // Area B: its own row (index 2) over the whole chain range.
    let init_b: Vec<u32> = (0..n_ages).map(|a| c.initial_for[n_ages + a]).collect();
    assert_eq!(init_b, [NONE, NONE, 2, 2, 2, 2, 2, 2, 2, NONE, NONE]);
    // Matrices: the general one everywhere, B's own on 6-8.
    let mat_a: Vec<u32> = (0..n_ages).map(|a| c.matrix_for[a]).collect();
    assert_eq!(mat_a, [NONE, NONE, 0, 0, 0, 0, 0, 0, 0, NONE, NONE]);
    let mat_b: Vec<u32> = (0..n_ages).map(|a| c.matrix_for[n_ages + a]).collect();
    assert_eq!(mat_b, [NONE, NONE, 0, 0, 0, 0, 1, 1, 1, NONE, NONE]);
}

/// Named parameters carry their source comment and the fields that use
/// them; inline distributions carry neither.
#[test]
fn named_parameters_keep_their_source_comment_and_uses() {
    let text = BASE.replace("[parameters]\np = ", "[parameters]\n# Chance of care: CBS 2023\n# (derived).\np = ");
    let text = text.replace("sd = 0.05 }\n", "sd = 0.05 } # assumption\n");
    let m = load(&text).unwrap();
    let p = m.params.params.iter().find(|p| p.name == "p").unwrap();
    assert_eq!(p.comment.as_deref(), Some("Chance of care: CBS 2023 (derived). assumption"));
    assert_eq!(p.used_by, ["chain.c.initial[1].p[0]", "chain.c.transitions[0].matrix[0][1]"]);
    let inline = m.params.params.iter().find(|p| !p.named).unwrap();
    assert_eq!((inline.comment.as_deref(), inline.used_by.len()), (None, 0));
    assert!(load(BASE).unwrap().params.params.iter().all(|p| p.comment.is_none()));
}

#[test]
fn rest_entries_and_named_parameters_resolve() {
    let m = load(BASE).unwrap();
    let c = &m.chains[0];
    let Row::Entries(e) = &c.initial_rows[0] else { panic!() };
    assert!(matches!(e[0], RowEntry::Value(Value::Fixed(x)) if x == 0.9));
    assert!(matches!(e[1], RowEntry::Rest));
    // The named parameter `p` is one slot, used in the initial row and the matrix.
    let p_slot = m.params.params.iter().find(|p| p.name == "p").unwrap().offset;
    let Row::Entries(e) = &c.initial_rows[1] else { panic!() };
    assert!(matches!(e[0], RowEntry::Value(Value::Slot(s)) if s == p_slot));
    let Row::Entries(e) = &c.matrices[0].rows[0] else { panic!() };
    assert!(matches!(e[1], RowEntry::Value(Value::Slot(s)) if s == p_slot));
    assert_eq!(m.params.params.iter().filter(|p| p.named).count(), 1);
}

#[test]
fn accounts_are_distinct_pairs_in_order_of_first_appearance() {
    let m = load(BASE).unwrap();
    // zvw (state cost), gemeente/6.71 (state cost, again in the transition
    // cost), gemeente/6.1 (intervention).
    assert_eq!(
        m.accounts,
        vec![
            Account { funder: 1, taakveld: None },
            Account { funder: 0, taakveld: Some(1) },
            Account { funder: 0, taakveld: Some(0) }
        ]
    );
    assert_eq!(m.account_label(1), "gemeente/6.71");
    let c = &m.chains[0];
    assert_eq!(c.state_costs[1].len(), 2);
    assert_eq!(c.transition_costs[0].items[0].account, 1);
    assert_eq!(m.interventions[0].fixed_costs[0].account, 2);
}

#[test]
fn two_sexes_when_any_entry_splits_by_sex() {
    let text = BASE.replace(r#"{ ages = "0-10", count = 11 }"#, r#"{ ages = "0-10", male = 11, female = 22 }"#);
    let m = load(&text).unwrap();
    assert_eq!(m.sexes, 2);
    // A `count` is split 50/50 over the two sexes; male/female are used as given.
    assert_eq!(m.areas[0].population[0][0], 5.0);
    assert_eq!(m.areas[0].population[1][0], 5.0);
    assert_eq!(m.areas[1].population[0][3], 1.0);
    assert_eq!(m.areas[1].population[1][3], 2.0);
    // Migration: 30 over 5 ages and 2 sexes = 3 per cell.
    assert!(matches!(m.areas[0].net_migration.as_ref().unwrap()[1][2], Value::Fixed(x) if x == 3.0));
    // q applies to both sexes.
    let mort = m.areas[0].demography.mortality.as_ref().unwrap();
    assert_eq!(mort.len(), 2);
    assert!(matches!(mort[1][7], Value::Fixed(x) if x == 0.02));

    let text = BASE.replace(r#"{ ages = "0-5", q = 0.01 }"#, r#"{ ages = "0-5", male = 0.01, female = 0.009 }"#);
    assert_eq!(load(&text).unwrap().sexes, 2);
}

#[test]
fn defaults_apply() {
    let m = load(BASE).unwrap();
    assert_eq!(m.settings.horizon, 15);
    assert_eq!(m.settings.discount_costs, 0.0225);
    assert_eq!(m.areas[0].demography.male_birth_share, 0.512);
    let i = &m.interventions[0];
    assert_eq!((i.start_year, i.end_year), (2025, 2039));
    assert_eq!(i.areas, vec![true, true]);
    // `from` defaults to every state not in `to`.
    let Effect::RelativeRisk { from, to, .. } = i.effects[0] else { panic!() };
    assert_eq!((from, to), (StateSet(0b01), StateSet(0b10)));
}

#[test]
fn literal_rows_must_sum_to_one() {
    assert_error(&BASE.replace("[0.5, \"rest\"]", "[0.5, 0.55]"), "row sums to 1.05, must sum to 1 (put \"rest\"");
    let three = "[[chain]]\nname = \"three\"\nkind = \"indicator\"\nstates = [\"a\", \"b\", \"c\"]\n\
                 initial = [ { ages = \"0-10\", p = [0.7, 0.6, \"rest\"] } ]\n\
                 [[chain.transitions]]\nmatrix = [ [1, 0, 0], [0, 1, 0], [0, 0, 1] ]\n";
    assert_error(&format!("{BASE}\n{three}"), "the fixed entries of this row sum to 1.3, leaving nothing for \"rest\"");
    assert_error(
        &BASE.replace("[0.5, \"rest\"]", "[1.2, \"rest\"]"),
        "1.2 is not allowed here: a probability must lie between 0 and 1",
    );
    assert_error(&BASE.replace("[0.5, \"rest\"]", "[\"rest\", \"rest\"]"), "only one entry of a row may be \"rest\"");
    assert_error(&BASE.replace("[0.5, \"rest\"]", "[0.5]"), "row has 1 entries, but the chain has 2 states");
    assert_error(&BASE.replace("[0.5, \"rest\"]", "[\"p\", 0.5]"), "cannot sum to 1 in every draw");
}

#[test]
fn coverage_gaps_are_listed() {
    let text = BASE.replace(r#"{ ages = "5-8", p = ["p", "rest"] }"#, r#"{ ages = "7-8", p = ["p", "rest"] }"#);
    assert_error(&text, "chain.c.initial: ages 5-6 are not covered");
    let text = BASE.replace(r#"{ ages = "6-10", q = 0.02 }"#, r#"{ ages = "6-9", q = 0.02 }"#);
    assert_error(&text, "ages 10 are not covered");
    let text = BASE.replace("[[chain.transitions]]\nmatrix", "[[chain.transitions]]\nages = \"2-5\"\nmatrix");
    assert_error(&text, "ages 6-8 are not covered; transitions without `areas`");
}

#[test]
fn overlaps_are_errors() {
    let text = BASE.replace(r#"{ ages = "5-8", p = ["p", "rest"] }"#, r#"{ ages = "4-8", p = ["p", "rest"] }"#);
    assert_error(&text, "ages 4-8 overlap ages 2-4 of entry 0");
    let text = BASE.replace("ages = \"6-8\"\nareas = [\"B\"]", "ages = \"6-8\"");
    assert_error(&text, "transitions[1] and transitions[0] both give the matrix");
}

#[test]
fn every_error_of_a_file_is_reported() {
    let text = BASE
        .replace(r#"{ ages = "7", count = 3 }"#, r#"{ ages = "7", count = -3 }"#)
        .replace("to = \"care\"\nrr = 0.8", "to = \"kare\"\nrr = 0.8")
        .replace("[0.5, \"rest\"]", "[0.5, 0.4]");
    let errs = errors(&text);
    assert_eq!(errs.len(), 3, "{errs:#?}");
}

#[test]
fn domains_are_checked_against_the_support() {
    let text = BASE.replace("rr = 0.8", "rr = { dist = \"normal\", mean = 0.8, sd = 0.1 }");
    assert_error(
        &text,
        "a normal can take any value: it can fall below 0, but a relative risk must be >= 0; use a lognormal",
    );
    let text =
        BASE.replace("reach = { share = 0.1 }", "reach = { share = { dist = \"uniform\", low = 0.5, high = 1.5 } }");
    assert_error(&text, "a uniform can take values from 0.5 to 1.5");
    let text = BASE.replace("reach = { share = 0.1 }", "reach = { share = 1.1 }");
    assert_error(&text, "1.1 is not allowed here: a probability must lie between 0 and 1");
}

#[test]
fn death_rows_must_be_identity() {
    let text =
        BASE.replace("states = [\"none\", \"care\"]", "states = [\"none\", \"care\"]\ndeath_states = [\"care\"]");
    assert_error(&text, "`care` is a death state, so its row must be the identity row");
    let ok = text.replace("[0.5, \"rest\"]", "[0, 1]").replace("[0.4, \"rest\"]", "[0.0, \"rest\"]");
    load(&ok).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn distribution_key_sets_are_explained() {
    let text = BASE.replace("mean = 0.2, sd = 0.05", "mean = 0.2, alpha = 3");
    assert_error(
        &text,
        "a beta takes exactly one of these key sets: {mean, sd} | {alpha, beta} | {events, trials}; got {mean, alpha}",
    );
    let text = BASE.replace("dist = \"beta\"", "dist = \"betta\"");
    assert_error(&text, "unknown distribution \"betta\"");
}

#[test]
fn scalar_and_row_parameters_are_not_interchangeable() {
    let text = BASE
        .replace("p = { dist", "d = { dist = \"dirichlet\", alpha = [1, 2] }\np = { dist")
        .replace("rr = 0.8", "rr = \"d\"");
    assert_error(&text, "parameter `d` is a dirichlet");
    let text = BASE.replace("[0.5, \"rest\"]", "\"p\"");
    assert_error(&text, "parameter `p` is a single number (beta), but a whole row is needed here");
}

#[test]
fn dotted_keys_and_implicit_tables_are_accepted() {
    let text = BASE
        .replace(
            "[model]\nstart_year = 2025\nmax_age = 10\nfunders",
            "model.start_year = 2025\nmodel.max_age = 10\nmodel.funders",
        )
        .replace("\noutcomes = [\"qaly\"]", "\nmodel.outcomes = [\"qaly\"]")
        .replace("reach = { share = 0.1 }", "reach.share = 0.1")
        .replace("[chain.state.care]\ncosts", "[chain.state]\ncare.costs")
        .replace("outcomes = { qaly = -0.1 }", "care.outcomes = { qaly = -0.1 }")
        .replace("p = { dist = \"beta\", mean = 0.2, sd = 0.05 }", "p.dist = \"beta\"\np.mean = 0.2\np.sd = 0.05");
    let m = load(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.settings.start_year, 2025);
    assert_eq!(m.chains[0].state_costs[1].len(), 2);
    // Errors in a table without a span still point at one of its values.
    let bad = text.replace("reach.share = 0.1", "reach.share = 0.1\nreach.participants = 5");
    assert_error(&bad, "test.toml:58:15: intervention.i.reach: reach needs exactly one of");
}

#[test]
fn typos_get_a_suggestion() {
    assert_error(
        &BASE.replace("to = \"care\"\nrr", "to = \"care_\"\nrr"),
        "unknown state `care_` in chain `c`; its states are: none, care; did you mean `care`?",
    );
    assert_error(&BASE.replace("funder = \"zvw\"", "funder = \"ZVW\""), "did you mean `zvw`?");
}

#[test]
fn engine_errors_are_reported_at_the_item() {
    // Risk factors in a cycle (c depends on d, d on c): only the engine's
    // check sees it; it still gets a file position.
    let extra = "\n[[chain]]\nname = \"d\"\nkind = \"indicator\"\nstates = [\"x\", \"y\"]\n\
                 initial = [ { ages = \"0-10\", p = [0.5, 0.5] } ]\n[[chain.transitions]]\nmatrix = [ [0.5, 0.5], [0.5, 0.5] ]\n\
                 [[risk_factor]]\nchain = \"c\"\nto = \"care\"\nwhen = \"d.y\"\nrr = 2\n\
                 [[risk_factor]]\nchain = \"d\"\nto = \"y\"\nwhen = \"c.care\"\nrr = 2\n";
    let text = format!("{BASE}{extra}");
    let errs = load(&text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs}");
    let e = &errs.0[0];
    assert!(e.reason.contains("cycle"), "{e}");
    let first_rf = text[..text.find("[[risk_factor]]").unwrap()].lines().count() + 1;
    assert_eq!(e.line, first_rf, "{e}");
}

#[test]
fn overflowing_distributions_are_errors() {
    let text = BASE.replace("rr = 0.8", "rr = { dist = \"lognormal\", mean = 1, sd = 1e300 }");
    assert_error(&text, "too extreme");
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "",
        "[model]",
        "[model]\nstart_year = 2025\nmax_age = 0",
        "[model]\nstart_year = 2025\n[[chain]]\nname = \"c\"\nkind = \"care\"\nstates = []\n[[chain.transitions]]\nmatrix = []",
        "[model]\nstart_year = 2025\nmax_age = 5\n[[area]]\nname = \"a\"\ndemography = \"x\"\npopulation = [{ ages = \"3-99999999999999999999\", count = 1 }]",
        "[model]\nstart_year = 2025\n[[area]]\nname = \"a\"\ndemography = \"x\"\npopulation = [{ ages = \"-\", count = nan }]",
    ] {
        let _ = load(t);
    }
    assert_error(&BASE.replace("count = 50", "count = inf"), "population count must be a number >= 0, got inf");
}

/// `[valuation]` takes a number, a named parameter or an inline distribution
/// per declared outcome; `shadow_priced` marks funders; `after_horizon`
/// resolves its drop-off; an include's valuation yields to the main file's.
#[test]
fn valuation_shadow_prices_and_after_horizon_reach_the_model() {
    let text = BASE.replace("outcomes = [\"qaly\"]", "outcomes = [\"qaly\", \"wellby\", \"lln\"]\nshadow_priced = [\"zvw\"]\nafter_horizon = \"decay\"\nafter_horizon_drop_off = \"p\"")
        + "\n[valuation]\nqaly = \"p\"\nwellby = { dist = \"pert\", low = 11000, mode = 15000, high = 18000 }\n";
    let m = load(&text).unwrap_or_else(|e| panic!("{e}"));
    let p_slot = m.params.params.iter().find(|x| x.name == "p").unwrap().offset;
    assert_eq!(m.valuation[0], Some(Value::Slot(p_slot)));
    assert!(matches!(m.valuation[1], Some(Value::Slot(s)) if s != p_slot));
    assert_eq!(m.valuation[2], None);
    assert_eq!(m.unvalued_outcomes(), vec!["lln"]);
    assert_eq!(m.shadow_priced, vec![false, true]);
    assert!(m.accounts.iter().enumerate().all(|(a, acc)| m.is_shadow_account(a) == (acc.funder == 1)));
    assert_eq!(m.settings.after_horizon, AfterHorizon::Decay { drop_off: Value::Slot(p_slot) });
    assert!(m.warnings.is_empty());
    let cut = load(BASE).unwrap();
    assert_eq!((cut.settings.after_horizon, cut.valuation.clone()), (AfterHorizon::Cut, vec![None]));
}

#[test]
fn deadweight_warns_but_attribution_and_a_literal_zero_do_not() {
    let with = |sroi: &str| {
        let text = BASE.replace("interventions = [\"i\"]", &format!("interventions = [\"i\"]\nsroi = {sroi}"));
        load(&text).unwrap_or_else(|e| panic!("{e}")).warnings
    };
    let w = with("{ deadweight = \"p\" }");
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].field.as_str(), w[0].file.to_str()), ("scenario.s.sroi.deadweight", Some("test.toml")));
    assert!(w[0].to_string().starts_with("warning: test.toml:"), "{}", w[0]);
    assert!(with("{ deadweight = 0.0, attribution = 0.3, displacement = 0.1 }").is_empty());
}

#[test]
fn a_negative_price_is_an_error_in_the_money_domain() {
    let text = BASE.to_string() + "\n[valuation]\nqaly = { dist = \"normal\", mean = 50000, sd = 10000 }\n";
    assert_error(&text, "valuation.qaly: ");
}
