//! Untrusted input (issue 14): the defects a tester found by feeding broken
//! scenario files and applications, one regression test per class. Every test
//! runs the `wijkimpact` binary or the library on files it writes itself and
//! checks the exit code, the error's file:line:column and field, and that no
//! result that looks complete is left behind.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{tmpdir, wijkimpact};
use wijkimpact::model::{Mode, Value};
use wijkimpact::runner::{self, RunContext, RunError, RunOptions};
use wijkimpact::scenario::{self, ErrorKind, LoadOptions};
use wijkimpact::sim::SimError;
use wijkimpact::summary::Summariser;

/// `wijkimpact ARGS…`, expected to fail with exit code 2; its stderr.
fn fails(args: &[&str]) -> String {
    let out = wijkimpact().args(args).assert().code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// A path as an argument.
fn arg(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// Line of the first occurrence of `needle` in `text`, 1-based.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap_or_else(|| panic!("{needle} not in text"))].matches('\n').count() + 1
}

/// Copy the example and its include to `dir`, `edit(name, text)` applied to each.
fn example_in(dir: &Path, edit: impl Fn(&str, String) -> String) -> PathBuf {
    for f in ["example-full.toml", "example-shared.toml"] {
        let text = fs::read_to_string(common::scenario(f)).unwrap();
        fs::write(dir.join(f), edit(f, text)).unwrap();
    }
    dir.join("example-full.toml")
}

/// Names in a run directory, hidden ones included.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match fs::read_dir(dir) {
        Ok(d) => d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => vec![],
    };
    v.sort();
    v
}

const MAIN: &str = r#"include = ["shared.toml"]

[model]
start_year = 2025
horizn = 10
max_age = 20

[[area]]
name = "A"
demography = "d"
population = [ { ages = "0-20", count = -100 } ]

[[area]]
name = "B"
demography = "d"
population = [ { ages = "0-20", count = "many" } ]

[[chain]]
name = "c"
kind = "indicator"
states = ["good", "bad"]
initial = [ { ages = "0-20", p = [0.8, 0.2] } ]

[[chain.transitions]]
matrix = [ [0.9, "p_unknown"], [0.3, 0.7] ]
"#;

const SHARED: &str = r#"[demography.d]
mortality = "none"
colour = "red"
"#;

/// Class 1: a misspelt key no longer hides the file's other errors. One
/// report holds the unknown key, the value of the wrong type, the negative
/// population, the unknown parameter name and the included file's unknown
/// key, sorted by file and position.
#[test]
fn unknown_key_and_negative_population_reported_together() {
    let dir = tmpdir();
    let main = dir.path().join("main.toml");
    fs::write(&main, MAIN).unwrap();
    fs::write(dir.path().join("shared.toml"), SHARED).unwrap();
    let stderr = fails(&["check", arg(&main)]);
    let shared = dir.path().join("shared.toml");
    let expected = [
        (&main, line_of(MAIN, "horizn"), "model.horizn: unknown key `horizn`"),
        (&main, line_of(MAIN, "-100"), "area.A.population[0].count: a population count must be a number >= 0"),
        (&main, line_of(MAIN, "\"many\""), "invalid type: string \"many\", expected a number"),
        (&main, line_of(MAIN, "p_unknown"), "matrix[0][1]: unknown parameter `p_unknown`"),
        (&shared, line_of(SHARED, "colour"), "colour: unknown key `colour`"),
    ];
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("error:")).collect();
    assert_eq!(lines.len(), expected.len(), "{stderr}");
    for (line, (file, n, what)) in lines.iter().zip(expected) {
        assert!(line.starts_with(&format!("{}:{n}:", file.display())), "expected {}:{n}: {line}", file.display());
        assert!(line.contains(what), "expected {what:?} in {line}");
    }
    // The library gives the same, each error with its kind.
    let errs = scenario::load(&main).unwrap_err();
    let kinds: Vec<ErrorKind> = errs.iter().map(|e| e.kind).collect();
    use ErrorKind::{Semantic, Syntax};
    assert_eq!(kinds, [Syntax, Semantic, Syntax, Semantic, Syntax], "{errs}");

    // A placeholder's own consequences are not reported: a wrong-typed state
    // name and a missing required key give one error each, and the file's
    // other error still comes.
    let text = MAIN.replace("states = [\"good\", \"bad\"]", "states = [\"good\", 7]").replace(
        "demography = \"d\"\npopulation = [ { ages = \"0-20\", count = \"many\" } ]",
        "population = [ { ages = \"0-20\", count = 5 } ]",
    );
    fs::write(&main, &text).unwrap();
    let errs = scenario::load(&main).unwrap_err();
    let reasons: Vec<String> = errs.iter().map(|e| format!("{}:{}: {}", e.line, e.field, e.reason)).collect();
    assert_eq!(errs.len(), 6, "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.contains("unknown parameter `p_unknown`")), "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.contains("missing required key `demography`")), "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.contains("integer `7`, expected a string")), "{reasons:#?}");
}

/// Only a TOML syntax error still stops a file (documented): nothing after
/// it can be read as a document.
#[test]
fn syntax_error_still_stops_the_file() {
    let dir = tmpdir();
    let main = dir.path().join("main.toml");
    fs::write(&main, MAIN.replace("max_age = 20", "max_age = = 20")).unwrap();
    let errs = scenario::load(&main).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs}");
    assert_eq!((errs.0[0].kind, errs.0[0].line), (ErrorKind::Syntax, line_of(MAIN, "max_age")));
}

/// Class 1 for applications: key, type and rule errors of an application
/// come in one report, placed at the application's line and field.
#[test]
fn application_key_type_and_rule_errors_reported_together() {
    let dir = tmpdir();
    let text = fs::read_to_string(common::fixture("fonds/jeugd.toml")).unwrap();
    let city = common::scenario("nijmegen-chains.toml");
    let text = text
        .replacen("../../../scenarios/nijmegen-chains.toml", arg(&city), 1)
        .replacen("funder = \"gemeente\"\n", "funder = \"gemeentee\"\nbudget = 3\n", 1)
        .replacen("years = 3", "years = \"three\"", 1);
    let app = dir.path().join("app.toml");
    fs::write(&app, &text).unwrap();
    let stderr = fails(&["claim", arg(&app), "--out", arg(&dir.path().join("out"))]);
    let p = app.display();
    for (needle, field) in [
        ("gemeentee", "application.funder: unknown funder `gemeentee`"),
        ("budget", "application.budget: unknown key `budget`"),
        ("\"three\"", "initiative.years: invalid type: string \"three\", expected a whole number"),
    ] {
        let prefix = format!("{p}:{}:", line_of(&text, needle));
        assert!(
            stderr.lines().any(|l| l.starts_with(&prefix) && l.contains(field)),
            "no {prefix} {field} in\n{stderr}"
        );
    }
    assert!(names(&dir.path().join("out")).is_empty());
}

/// Class 3a: huge but finite numbers are input errors naming file, line and
/// field, for money, people and distributions that reach that far.
#[test]
fn overflowing_amount_and_count_are_errors_naming_file_line_field() {
    let dir = tmpdir();
    let main = example_in(dir.path(), |f, t| {
        if f == "example-shared.toml" {
            t.replace("amount = 2400", "amount = 1e308")
        } else {
            t.replace("{ ages = \"70-80\", count = 40 }", "{ ages = \"70-80\", count = 1e308 }").replace(
                "ggz_cost = { dist = \"gamma\", mean = 4200, sd = 900 }",
                "ggz_cost = { dist = \"gamma\", mean = 4200, sd = 1e12 }",
            )
        }
    });
    let out = dir.path().join("out");
    let stderr = fails(&["run", arg(&main), "--draws", "5", "--out", arg(&out)]);
    let full = fs::read_to_string(&main).unwrap();
    let shared_text = fs::read_to_string(dir.path().join("example-shared.toml")).unwrap();
    let expect = [
        format!("{}:{}:", dir.path().join("example-shared.toml").display(), line_of(&shared_text, "1e308")),
        format!("{}:{}:", main.display(), line_of(&full, "count = 1e308")),
        // A named parameter is checked where it is used as money.
        format!("{}:{}:", main.display(), line_of(&full, "amount = \"ggz_cost\"")),
    ];
    for (prefix, what) in expect.iter().zip([
        "chain.schulden.state.traject.costs[0].amount: 1e308 is too large: an amount of money must lie between -1e12 and 1e12",
        "area.Deelnemers.population[0].count: a population count must be at most 1e9 people",
        "parameter `ggz_cost` (gamma) can reach",
    ]) {
        assert!(stderr.lines().any(|l| l.starts_with(prefix.as_str()) && l.contains(what)), "no {prefix} {what} in\n{stderr}");
    }
    assert!(names(&out).is_empty(), "{:?}", names(&out));
}

/// Class 3b: a result too large to summarise (here a benefit/cost ratio over
/// costs of 1e-300 euros) stops the run with exit code 2 before any result
/// file is in place, naming the draw, metric, scenario and area.
#[test]
fn result_too_large_to_summarise_fails_the_run_without_results() {
    let dir = tmpdir();
    let main = example_in(dir.path(), |_, t| {
        // The nulalternatief's buurthuis pays on the same account in both arms; without
        // it, the scenario's 1e-300 is not lost in (25000 + 1e-300) − 25000.
        t.replace("amount = 40000, funder", "amount = 1e-300, funder")
            .replace("amount = 350, funder", "amount = 0, funder")
            .replace("amount = 25000, funder", "amount = 0, funder")
    });
    let out = dir.path().join("out");
    let stderr = fails(&["run", arg(&main), "--draws", "8", "--out", arg(&out)]);
    assert!(stderr.contains("draw 0: bcr of scenario `wor` in Noord is "), "{stderr}");
    assert!(stderr.contains("too large to summarise"), "{stderr}");
    assert!(names(&out).is_empty(), "no result file, temporary or final: {:?}", names(&out));
    // With --force over an earlier complete run, that run's files stay as they were.
    let good = dir.path().join("good");
    fs::create_dir(&good).unwrap();
    let good_main = example_in(&good, |_, t| t);
    let kept = dir.path().join("kept");
    wijkimpact()
        .args(["run", arg(&good_main), "--draws", "4", "--no-sensitivity", "--out", arg(&kept)])
        .assert()
        .success();
    let before = fs::read(kept.join("summary.json")).unwrap();
    fails(&["run", arg(&main), "--draws", "4", "--force", "--out", arg(&kept)]);
    assert_eq!(fs::read(kept.join("summary.json")).unwrap(), before);
    assert!(names(&kept).iter().all(|n| !n.starts_with('.')), "{:?}", names(&kept));
}

/// Class 3b in the library: a result that is not a finite number is a typed
/// error naming the metric, area and scenario, and counts as bad input.
#[test]
fn infinite_result_is_a_typed_error_naming_metric_area_and_scenario() {
    let mut model = common::load_model(&common::scenario("example-full.toml"));
    let schulden = model.chains.iter().position(|c| c.name == "schulden").unwrap();
    // Past validation (which refuses it): a debt trajectory costing 1.8e308 a year.
    model.chains[schulden].state_costs[1][0].amount = Value::Fixed(f64::MAX);
    let ctx = RunContext::new(&model).unwrap();
    let mut sink = Summariser::new(&ctx, &[0.5]).unwrap();
    let err = runner::run(&ctx, &RunOptions::new(1, 4, Mode::Cohort), &mut sink, &mut |_| {}).unwrap_err();
    assert!(err.is_bad_input(), "{err}");
    let RunError::Sim(SimError::NonFinite(e)) = err else { panic!("not a non-finite result: {err}") };
    assert_eq!((e.draw, e.scenario.as_str(), e.area.as_str()), (0, "wor", "Noord"), "{e}");
    assert_eq!(e.metric, "pv_benefits", "{e}");
    assert!(!e.value.is_finite());
    assert!(e.to_string().contains("pv_benefits of scenario `wor` in Noord is not a number"), "{e}");
}

/// Class 4: a file that is not UTF-8 is reported by line and column (not by
/// byte offset), the main file and an include alike.
#[test]
fn non_utf8_file_is_reported_by_line_and_column() {
    let dir = tmpdir();
    let bad = dir.path().join("latin1.toml");
    // "# caf\xe9" on line 2: 5 characters before the bad byte, so column 6.
    fs::write(&bad, b"[model]\n# caf\xe9\nstart_year = 2025\n").unwrap();
    let stderr = fails(&["check", arg(&bad)]);
    assert!(stderr.starts_with(&format!("{}:2:6: the file is not UTF-8 text", bad.display())), "{stderr}");
    let main = dir.path().join("main.toml");
    fs::write(&main, "include = [\"latin1.toml\"]\n").unwrap();
    let errs = scenario::load(&main).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs}");
    assert_eq!((errs.0[0].file.as_path(), errs.0[0].line, errs.0[0].column), (bad.as_path(), 2, 6), "{errs}");
}

/// Class 5: an include that leaves the file's folder is refused at the
/// include line, without reading the other file; `--allow-any-include`
/// lifts it.
#[test]
fn include_outside_the_folder_is_refused_without_reading_it() {
    let dir = tmpdir();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(dir.path().join("secret.toml"), "TOPSECRET-CONTENT = 1\n").unwrap();
    let text = "# an applicant's file\ninclude = [\"/etc/passwd\", \"../../../../../../../../etc/hostname\", \"../secret.toml\"]\n";
    let main = sub.join("main.toml");
    fs::write(&main, text).unwrap();
    let stderr = fails(&["check", arg(&main)]);
    assert!(!stderr.contains("TOPSECRET"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    for (i, rel) in ["/etc/passwd", "../../../../../../../../etc/hostname", "../secret.toml"].iter().enumerate() {
        let col = text.lines().nth(1).unwrap().find(&format!("\"{rel}\"")).unwrap() + 1;
        let prefix = format!("{}:2:{col}: include[{i}]: include `{rel}` points outside the folder", main.display());
        assert!(lines[i].starts_with(&prefix), "expected {prefix}\n got {}", lines[i]);
    }
    // Allowed: the other file is read (and is no scenario file).
    fs::write(&main, "include = [\"../secret.toml\"]\n").unwrap();
    let out = wijkimpact().args(["check", arg(&main), "--allow-any-include"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("secret.toml:1:1: TOPSECRET-CONTENT: unknown key"), "{stderr}");
    let any = LoadOptions { allow_any_include: true };
    assert!(scenario::load_with(&main, any).unwrap_err().iter().any(|e| e.file.ends_with("secret.toml")));

    // A symlink in the folder that leads out of it is outside too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.toml"), sub.join("link.toml")).unwrap();
        fs::write(&main, "include = [\"link.toml\"]\n").unwrap();
        let errs = scenario::load(&main).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs}");
        assert_eq!((errs.0[0].field.as_str(), errs.0[0].kind), ("include[0]", ErrorKind::Io), "{errs}");
        assert!(errs.0[0].reason.contains("points outside"), "{errs}");
    }

    // An application's city is held to the same rule.
    let app_text = fs::read_to_string(common::fixture("fonds/jeugd.toml")).unwrap();
    let app = sub.join("app.toml");
    fs::write(&app, app_text.replacen("../../../scenarios/nijmegen-chains.toml", "../secret.toml", 1)).unwrap();
    let stderr = fails(&["claim", arg(&app), "--out", arg(&dir.path().join("claim"))]);
    let line = line_of(&app_text, "city = ");
    assert!(
        stderr.contains(&format!(
            "{}:{line}:8: application.city: city description `../secret.toml` points outside",
            app.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("TOPSECRET"), "{stderr}");
}

/// Class 5: what the bundled files do keeps working. The fund's applications
/// name `stad-gewaardeerd.toml`, which includes `../nijmegen-chains.toml` (inside the library), the claim's generated
/// scenario includes the city by a path relative to its own folder, outside
/// it but inside the library, and `WIJKIMPACT_LIBRARY` adds a library folder.
#[test]
fn bundled_applications_and_their_generated_scenarios_still_load() {
    let dir = tmpdir();
    let out = dir.path().join("claims/peutergym");
    wijkimpact()
        .args(["claim", "scenarios/fonds/peutergym-realistisch.toml", "--draws", "20", "--solve-draws", "5"])
        .args(["--out", arg(&out)])
        .assert()
        .success();
    let generated = out.join("scenario.toml");
    let text = fs::read_to_string(&generated).unwrap();
    assert!(text.contains("stad-gewaardeerd.toml\"]"), "{text}");
    wijkimpact().args(["check", arg(&generated)]).assert().success();

    let lib = dir.path().join("lib");
    fs::create_dir(&lib).unwrap();
    fs::copy(common::scenario("example-shared.toml"), lib.join("shared.toml")).unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let main = example_in(&sub, |f, t| {
        if f == "example-full.toml" {
            t.replace("include = [\"example-shared.toml\"]", "include = [\"../lib/shared.toml\"]")
        } else {
            t
        }
    });
    let stderr = fails(&["check", arg(&main)]);
    assert!(stderr.contains("include[0]: include `../lib/shared.toml` points outside"), "{stderr}");
    wijkimpact().args(["check", arg(&main)]).env("WIJKIMPACT_LIBRARY", &lib).assert().success();
}
