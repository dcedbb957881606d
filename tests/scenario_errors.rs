//! Bad scenario files give errors that name the file, the line, the field and
//! why; the complete example loads. One small broken file per error class lives
//! in `tests/fixtures/bad/`, each commented with what is wrong.

mod common;

use std::path::{Path, PathBuf};

use common::tmpdir;
use wijkimpact::scenario::{self, ErrorKind, ScenarioError, ScenarioErrors};

fn fixture(name: &str) -> PathBuf {
    common::fixture(&format!("bad/{name}"))
}

fn load_err(name: &str) -> ScenarioErrors {
    match scenario::load(&fixture(name)) {
        Ok(_) => panic!("{name} loaded without errors"),
        Err(e) => e,
    }
}

/// The file has exactly one error, at `line`, on `field`, whose reason contains `reason`.
fn assert_single(name: &str, line: usize, field: &str, reason: &str) -> ScenarioError {
    let errs = load_err(name);
    assert_eq!(errs.len(), 1, "{name}: expected one error, got:\n{errs}");
    let e = errs.0.into_iter().next().unwrap();
    assert_eq!(e.file, fixture(name), "{e}");
    assert_eq!(e.line, line, "{e}");
    assert!(e.column >= 1, "{e}");
    assert_eq!(e.field, field, "{e}");
    assert!(e.reason.contains(reason), "{name}: reason {:?} lacks {reason:?}", e.reason);
    // The one-line form carries all of it.
    let shown = e.to_string();
    assert!(shown.starts_with(&format!("{}:{line}:", fixture(name).display())), "{shown}");
    e
}

#[test]
fn row_not_summing_to_one() {
    let e = assert_single(
        "row_sum.toml",
        21,
        "chain.c.transitions[0].matrix[1]",
        "row sums to 1.05, must sum to 1 (put \"rest\" in one entry to take the remainder)",
    );
    assert_eq!(e.column, 24);
    assert_eq!(e.kind, ErrorKind::Semantic);
}

#[test]
fn negative_population_count() {
    assert_single("negative_population.toml", 12, "area.A.population[0].count", "must be a number >= 0, got -100");
}

#[test]
fn unknown_state_name() {
    assert_single(
        "unknown_state.toml",
        34,
        "risk_factor[0].to",
        "unknown state `sevre` in chain `c`; its states are: good, bad",
    );
}

#[test]
fn unknown_area_name() {
    assert_single("unknown_area.toml", 24, "chain.c.transitions[1].areas[0]", "unknown area `Zuid`; areas: A");
}

#[test]
fn impossible_distribution_parameters() {
    assert_single(
        "beta_sd.toml",
        21,
        "chain.c.transitions[0].matrix[1][0]",
        "beta: sd must be > 0 and below sqrt(mean (1 - mean))",
    );
}

#[test]
fn empty_age_range() {
    assert_single("empty_age_range.toml", 17, "chain.c.ages", "empty age range 30-20");
}

#[test]
fn include_cycle_names_the_chain_of_files() {
    let errs = load_err("cycle_a.toml");
    assert_eq!(errs.len(), 1, "{errs}");
    let e = &errs.0[0];
    // Reported where the loop closes: the include in cycle_b.toml.
    assert!(e.file.ends_with("cycle_b.toml"), "{e}");
    assert_eq!((e.line, e.field.as_str()), (3, "include[0]"), "{e}");
    assert!(e.reason.contains("include cycle:"), "{e}");
    let a = e.reason.find("cycle_a.toml").unwrap();
    let b = e.reason.find("cycle_b.toml").unwrap();
    let a2 = e.reason.rfind("cycle_a.toml").unwrap();
    assert!(a < b && b < a2, "{e}");
}

#[test]
fn wrong_type_string_where_number() {
    let e =
        assert_single("wrong_type.toml", 4, "model.horizon", "invalid type: string \"ten\", expected a whole number");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.column, 11);
}

#[test]
fn duplicate_names_name_both_places() {
    let e = assert_single("duplicate_name.toml", 15, "area.A", "area `A` is defined twice (first at ");
    assert!(e.reason.contains("duplicate_name.toml:10:"), "{e}");
}

#[test]
fn unknown_key_is_named() {
    let e = assert_single("unknown_key.toml", 4, "model.horizn", "unknown key `horizn`");
    assert!(e.reason.contains("horizon"), "the allowed keys are listed: {e}");
    assert_eq!(e.column, 1);
}

#[test]
fn normal_distribution_for_a_probability() {
    assert_single(
        "normal_probability.toml",
        21,
        "chain.c.transitions[0].matrix[1][0]",
        "a normal can take any value: it can fall outside [0, 1], but a probability must lie between 0 and 1; use a beta",
    );
}

#[test]
fn three_independent_errors_are_all_reported() {
    let errs = load_err("three_errors.toml");
    let mut got: Vec<(usize, String)> = errs.iter().map(|e| (e.line, e.field.clone())).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (13, "area.A.population[0].count".to_string()),
            (19, "chain.c.initial[0].ages".to_string()),
            (26, "chain.c.transition_cost[0].to".to_string()),
        ],
        "{errs}"
    );
    // Display: one error per line.
    assert_eq!(errs.to_string().lines().count(), 3);
}

#[test]
fn missing_file_is_named() {
    let errs = scenario::load(Path::new("no/such/scenario.toml")).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs.0[0].kind, ErrorKind::Io);
    assert_eq!(errs.to_string(), "no/such/scenario.toml: file not found");
}

/// Copy the example (and its include) to a temporary directory, so it can be
/// loaded through a real include and, where needed, patched.
fn example_copy(patch: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tmpdir();
    for f in ["example-full.toml", "example-shared.toml"] {
        let text = std::fs::read_to_string(common::scenario(f)).unwrap();
        let text = if f == "example-full.toml" { patch(text) } else { text };
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    dir
}

#[test]
fn example_full_loads() {
    common::load_model(&common::scenario("example-full.toml"));
}

#[test]
fn example_full_has_the_expected_counts() {
    let dir = example_copy(|t| t);
    let loaded = scenario::load(&dir.path().join("example-full.toml")).unwrap_or_else(|e| panic!("{e}"));
    let m = &loaded.model;
    assert_eq!(m.areas.len(), 2);
    assert_eq!(m.chains.len(), 3, "loneliness, ggz and the included schulden");
    assert_eq!(m.chains[2].name, "schulden");
    assert_eq!(m.scenarios.len(), 1);
    assert_eq!(m.interventions.len(), 2, "welzijn-op-recept and the nulalternatief's buurthuis");
    assert_eq!(m.baseline_interventions, [1]);
    assert_eq!(m.scenario_pm(0).len(), 2, "the scenario's two, the intervention's once");
    assert_eq!(m.sexes, 2);
    assert_eq!(m.funders, ["gemeente", "zorgverzekeraar", "rijk"]);
    assert_eq!(m.taakvelden.len(), 3);
    // zorgverzekeraar, gemeente/6.71, gemeente/6.1 in order of first appearance.
    let labels: Vec<String> = (0..m.accounts.len()).map(|a| m.account_label(a)).collect();
    assert_eq!(labels, ["zorgverzekeraar", "gemeente/6.71", "gemeente/6.1"]);
    // 5 named parameters; the dirichlet takes 4 slots.
    assert_eq!(m.params.params.iter().filter(|p| p.named).count(), 5);
    assert!(m.params.params.iter().any(|p| p.name == "chain.loneliness.transitions[0].matrix[2][0]" && !p.named));
    assert_eq!(m.settings.horizon, 10);
    assert_eq!(m.risk_factors.len(), 1);
    // The closed cohort has no migration and no background mortality.
    assert!(m.areas[1].net_migration.is_none());
    assert!(m.areas[1].demography.mortality.is_none());
    // Files: main first, then the include, with their hashes.
    assert_eq!(loaded.files.len(), 2);
    assert!(loaded.files[0].path.ends_with("example-full.toml"));
    assert!(loaded.files[1].path.ends_with("example-shared.toml"));
    assert_eq!(loaded.files[1].sha256, scenario::sha256_hex(loaded.files[1].text.as_bytes()));
    assert_eq!(loaded.files[0].sha256.len(), 64);
}

#[test]
fn including_file_overrides_model_fields_and_names_may_not_repeat() {
    // The main file's horizon wins over the include's.
    let dir = example_copy(|t| t.replace("horizon = 10", "horizon = 12"));
    std::fs::write(
        dir.path().join("example-shared.toml"),
        std::fs::read_to_string(dir.path().join("example-shared.toml")).unwrap()
            + "\n[model]\nhorizon = 30\nstart_year = 1999\n",
    )
    .unwrap();
    let m = scenario::load(&dir.path().join("example-full.toml")).unwrap_or_else(|e| panic!("{e}")).model;
    assert_eq!(m.settings.horizon, 12);
    assert_eq!(m.settings.start_year, 2025);

    // A chain defined in both files is an error naming both places.
    let dir = example_copy(|t| t.replace("name = \"loneliness\"", "name = \"schulden\""));
    let errs = scenario::load(&dir.path().join("example-full.toml")).unwrap_err();
    let dup: Vec<&ScenarioError> = errs.iter().filter(|e| e.reason.contains("defined twice")).collect();
    assert_eq!(dup.len(), 1, "{errs}");
    assert!(dup[0].file.ends_with("example-shared.toml"), "{}", dup[0]);
    assert!(dup[0].reason.contains("example-full.toml:"), "{}", dup[0]);
}

#[test]
fn missing_include_is_named_at_the_include() {
    let dir = example_copy(|t| t.replace("example-shared.toml\"", "nope.toml\""));
    let errs = scenario::load(&dir.path().join("example-full.toml")).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs}");
    let e = &errs.0[0];
    assert!(e.file.ends_with("example-full.toml"));
    assert_eq!(e.field, "include[0]");
    assert!(e.reason.contains("nope.toml") && e.reason.contains("not found"), "{e}");
}

/// No edit of the example may make the loader panic: drop each line in turn,
/// and replace each number with values that break domains and arithmetic.
#[test]
fn mutated_example_never_panics() {
    let dir = example_copy(|t| t);
    let path = dir.path().join("example-full.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut variants: Vec<String> = Vec::new();
    for i in 0..lines.len() {
        let mut l = lines.clone();
        l.remove(i);
        variants.push(l.join("\n"));
    }
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        for bad in ["-1", "0", "1e308", "nan", "\"x\"", "70000000000", "[]"] {
            let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            // Replace the first number on the line.
            let Some(start) = line.find(|c: char| c.is_ascii_digit()) else { continue };
            let end = line[start..].find(|c: char| !(c.is_ascii_digit() || c == '.')).map_or(line.len(), |e| start + e);
            l[i] = format!("{}{bad}{}", &line[..start], &line[end..]);
            variants.push(l.join("\n"));
        }
    }
    let mut failed = 0;
    for v in &variants {
        std::fs::write(&path, v).unwrap();
        let r = std::panic::catch_unwind(|| scenario::load(&path));
        match r {
            Err(_) => panic!("loader panicked on:\n{v}"),
            Ok(Err(_)) => failed += 1,
            Ok(Ok(l)) => {
                // Valid input never yields NaN or inf in the model.
                let m = &l.model;
                assert!(m.areas.iter().flat_map(|a| a.population.iter().flatten()).all(|x| x.is_finite()), "{v}");
                assert!(m.params.params.iter().flat_map(|p| p.dist.means()).all(|x| x.is_finite()), "{v}");
                let fixed = |v: &wijkimpact::model::Value| match v {
                    wijkimpact::model::Value::Fixed(x) => x.is_finite(),
                    _ => true,
                };
                for a in &m.areas {
                    assert!(a.net_migration.iter().flatten().flatten().all(fixed), "{v}");
                    assert!(a.demography.mortality.iter().flatten().flatten().all(fixed), "{v}");
                }
            }
        }
    }
    assert!(failed > variants.len() / 4, "most mutations should be errors ({failed} of {})", variants.len());
}
