//! End-to-end tests of `wijkimpact report` and `run --report`: the sections an
//! advisor reads, both languages, a self-contained file, and bad input.
//! (`tests/report_browser.rs` renders the result in headless Chromium.)

mod common;

use common::{scenario, tmpdir, wijkimpact};
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A run of the bundled example with its Dutch report.
fn example_run(dir: &Path) -> PathBuf {
    let out = dir.join("run");
    common::run(&scenario("example-full.toml"), &["--draws", "60", "--seed", "3", "--report"], &out)
        .success()
        .stderr(predicate::str::contains("report written to"));
    out
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn run_with_report_writes_every_section_in_dutch() {
    let t = tmpdir();
    let run = example_run(t.path());
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    for section in [
        "Samenvatting",
        "Indicatoren en zorggebruik door de tijd",
        "Verdeling van de netto contante waarde (financieel rendement)",
        "Wie betaalt, wie baat (financieel)",
        "Wat bepaalt de uitkomst",
        "Welke keuze, hoe zeker, wat onderzoeken",
        "Aannames",
        "Reproduceren",
    ] {
        assert!(html.contains(&format!(". {section}</h2>")), "section {section} missing");
    }
    // The plain sentence of the summary, with the share of positive draws.
    assert!(html.contains(" van de 100 trekkingen is het financiële rendement voor de financiers samen positief."));
    // A plain run has no monitoring section (seven sections and the decision analysis).
    assert_eq!(count(&html, "<h2>"), 8);
    assert!(!html.contains("id=\"monitoring\"") && !html.contains("Monitoring"));
    // Every chart kind is there, each with an SVG.
    for kind in ["fan", "fan-difference", "histogram", "stacked-bars", "tornado"] {
        assert!(html.contains(&format!("data-chart=\"{kind}\"")), "no {kind} chart");
    }
    assert_eq!(count(&html, "<figure class=\"chart\""), count(&html, "<svg role=\"img\""));
    // Every chart but the small multiples has its table alternative.
    let figures = count(&html, "<figure class=\"chart\"") - count(&html, "data-chart=\"fan-area\"");
    assert!(count(&html, "<summary>Tabel bij deze grafiek") >= figures - count(&html, "data-chart=\"fan-difference\""));
}

#[test]
fn report_is_self_contained() {
    let t = tmpdir();
    let run = example_run(t.path());
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    for forbidden in ["<script", "src=", "href=\"http", "url(", "@import", "<link"] {
        assert!(!html.contains(forbidden), "the report must not load anything: found {forbidden:?}");
    }
}

#[test]
fn english_report_uses_english_text_and_number_format() {
    let t = tmpdir();
    let run = example_run(t.path());
    wijkimpact().args(["report", run.to_str().unwrap(), "--lang", "en"]).assert().success();
    let html = fs::read_to_string(run.join("report.en.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("1. Summary</h2>"));
    assert!(html.contains(" out of 100 draws the financial return to the funders together is positive."));
    assert!(!html.contains("trekkingen"), "Dutch text leaked into the English report");
    // Dutch puts a (non-breaking) space after the euro sign, English does not.
    let nl = fs::read_to_string(run.join("report.html")).unwrap();
    assert!(nl.contains("€\u{a0}") && !html.contains("€\u{a0}") && html.contains("€"));
}

#[test]
fn report_refuses_to_overwrite_without_force() {
    let t = tmpdir();
    let run = example_run(t.path());
    let before = fs::read(run.join("report.html")).unwrap();
    wijkimpact()
        .args(["report", run.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists").and(predicate::str::contains("--force")));
    assert_eq!(fs::read(run.join("report.html")).unwrap(), before);
    let other = t.path().join("elders.html");
    wijkimpact().args(["report", run.to_str().unwrap(), "--out", other.to_str().unwrap()]).assert().success();
    wijkimpact().args(["report", run.to_str().unwrap(), "--force"]).assert().success();
}

#[test]
fn report_of_a_missing_or_broken_run_names_the_file_and_exits_2() {
    let t = tmpdir();
    wijkimpact()
        .args(["report", t.path().join("nothing").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a run directory"));
    let run = example_run(t.path());
    let summary = run.join("summary.json");
    let text = fs::read_to_string(&summary).unwrap();
    fs::write(&summary, text.replacen("\"draws\":", "\"draws\": \"many\", \"x\":", 1)).unwrap();
    wijkimpact()
        .args(["report", run.to_str().unwrap(), "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("summary.json:").and(predicate::str::contains("draws")));
    fs::write(&summary, text).unwrap();
    fs::remove_file(run.join("yearly.parquet")).unwrap();
    wijkimpact()
        .args(["report", run.to_str().unwrap(), "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yearly.parquet").and(predicate::str::contains("missing")));
}

/// A monitor report as `wijkimpact monitor` writes it, made by hand for the
/// example run: two survey observations of severe loneliness in Noord and one
/// count of starts (a measure the report does not otherwise read).
fn monitor_json(updated: bool) -> String {
    let obs = |line: u64, year: i32, measure: &str, value: f64, pct: f64, band: (f64, f64, f64), inside: bool| {
        serde_json::json!({"line": line, "year": year, "area": "Noord", "measure": measure, "value": value,
            "percentile": pct, "p5": band.0, "p50": band.1, "p95": band.2, "inside_band": inside,
            "posterior_p50": band.1})
    };
    let report: wijkimpact::monitor::MonitorReport = serde_json::from_value(serde_json::json!({
        "scenario": "wor",
        "draws": 60,
        "observations": [
            obs(2, 2026, "prevalence/loneliness/severe", 0.108, 0.37, (0.100, 0.110, 0.115), true),
            obs(3, 2028, "prevalence/loneliness/severe", 0.125, 0.99, (0.092, 0.106, 0.115), false),
            obs(4, 2027, "starts/loneliness", 1081.0, 0.86, (1055.0, 1070.0, 1092.0), true),
        ],
        "verdicts": [
            {"area": "Noord", "measure": "prevalence/loneliness/severe", "observations": 2, "inside": 1,
             "verdict": "let op"},
            {"area": "Noord", "measure": "starts/loneliness", "observations": 1, "inside": 1, "verdict": "op koers"},
        ],
        "ess": if updated { 41.5 } else { 3.2 },
        "min_ess": 20.0,
        "updated": updated,
        "message": if updated { serde_json::Value::Null } else { serde_json::json!("too few draws resemble the observations") },
        "business_case": [
            {"metric": "npv", "prior_mean": -387791.0, "prior_p5": -390786.0, "prior_p95": -383623.0,
             "posterior_mean": -388200.0, "posterior_p5": -390800.0, "posterior_p95": -385100.0},
            {"metric": "pv_net/gemeente/6.71", "prior_mean": 358.0, "prior_p5": 116.0, "prior_p95": 709.0,
             "posterior_mean": 304.0, "posterior_p5": 100.0, "posterior_p95": 591.0},
        ],
        "p_npv_positive": [0.0, 0.0],
        "parameters": [
            {"parameter": "p_recover", "prior_mean": 0.302, "posterior_mean": 0.313, "shift_sd": 0.2,
             "prior_p5": 0.22, "prior_p95": 0.394, "posterior_p5": 0.223, "posterior_p95": 0.404},
        ],
    }))
    .expect("the hand-made report fits wijkimpact::monitor::MonitorReport");
    serde_json::to_string_pretty(&report).unwrap()
}

const OBSERVED: &str = "year,area,measure,value,n,se\n\
    2026,Noord,prevalence/loneliness/severe,0.108,900,\n\
    2028,Noord,prevalence/loneliness/severe,0.125,850,\n\
    2027,Noord,starts/loneliness,1081,,\n";

/// The part of a report between two `<section` tags, from the one with `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\">")).unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start + 1..].find("<section").map_or(html.len(), |e| start + 1 + e);
    &html[start..end]
}

#[test]
fn monitored_run_gets_a_monitoring_section_in_both_languages() {
    let t = tmpdir();
    let run = example_run(t.path());
    // The measures observed exist in the run's yearly table (starts/… is not one the report reads by itself).
    let yearly = common::tables::parquet(&run.join("yearly.parquet"));
    for (year, measure, chain, state) in
        [(2026, "prevalence", "loneliness", "severe"), (2027, "starts", "loneliness", "")]
    {
        let found = yearly.rows.iter().any(|r| {
            let names = [&r[0], &r[1], &r[2], &r[4], &r[5], &r[6]].map(|c| c.text());
            names == ["wor", "level", "Noord", measure, chain, state] && r[3].int() == year
        });
        assert!(found, "{year} {measure}/{chain}/{state} not in yearly.parquet");
    }
    fs::write(run.join("monitor.json"), monitor_json(true)).unwrap();
    fs::write(run.join("observed.csv"), OBSERVED).unwrap();
    wijkimpact().args(["report", run.to_str().unwrap(), "--force"]).assert().success();
    wijkimpact().args(["report", run.to_str().unwrap(), "--lang", "en"]).assert().success();
    for (file, heading, verdicts, reproduce) in [
        ("report.html", "7. Monitoring</h2>", ["> let op</span>", "> op koers</span>"], "9. Reproduceren</h2>"),
        ("report.en.html", "7. Monitoring</h2>", ["> watch</span>", "> on track</span>"], "9. Reproduce this</h2>"),
    ] {
        let html = fs::read_to_string(run.join(file)).unwrap();
        assert!(html.contains(heading), "{file}: no monitoring heading");
        assert!(html.contains("<li><a href=\"#monitoring\">Monitoring</a></li>"), "{file}: not in the contents");
        assert_eq!(count(&html, "<h2>"), 9);
        assert!(html.rfind("<h2>").unwrap() == html.find(reproduce).unwrap() - 4, "{file}: reproduce is last");
        let mon = section(&html, "monitoring");
        for v in verdicts {
            assert!(mon.contains(v), "{file}: verdict {v}");
        }
        // One chart per observed (area, measure), both with their table; three
        // dots plus a legend swatch per chart, and the sampling interval of each.
        assert_eq!(count(mon, "data-chart=\"fan-monitor\""), 2, "{file}");
        assert_eq!(count(mon, "<circle"), 3 + 2, "{file}");
        assert_eq!(count(mon, "<details>"), 2);
        let interval =
            if file == "report.html" { "12,5\u{a0}% (10,3\u{a0}% – 14,7\u{a0}%)" } else { "12.5% (10.3% – 14.7%)" };
        assert!(mon.contains(interval), "{file}: binomial interval of the 2028 survey");
        let count_interval = if file == "report.html" { "1.081 (1.017 – 1.145)" } else { "1,081 (1,017 – 1,145)" };
        assert!(mon.contains(count_interval), "{file}: Poisson interval of the count");
        assert!(mon.contains("p_recover") && mon.contains("+0"), "{file}: the parameter that moved");
    }
    let nl = fs::read_to_string(run.join("report.html")).unwrap();
    let en = fs::read_to_string(run.join("report.en.html")).unwrap();
    assert!(section(&nl, "monitoring").contains("als 42 van de 60 trekkingen"));
    assert!(section(&en, "monitoring").contains("as 42 of its 60 draws"));
    assert!(!en.contains("waarneming"), "Dutch text leaked into the English report");

    // Without a posterior: the prior only, and the monitor's message.
    fs::write(run.join("monitor.json"), monitor_json(false)).unwrap();
    wijkimpact().args(["report", run.to_str().unwrap(), "--force", "--lang", "en"]).assert().success();
    let en = fs::read_to_string(run.join("report.en.html")).unwrap();
    let mon = section(&en, "monitoring");
    assert!(mon.contains("there is no updated business case") && mon.contains("too few draws resemble"));
    assert!(!mon.contains("After the observations") && !mon.contains("p_recover"));

    // A broken monitor.json is named with the field that does not fit.
    let text = monitor_json(true).replacen("\"updated\": true", "\"updated\": \"yes\"", 1);
    fs::write(run.join("monitor.json"), text).unwrap();
    wijkimpact()
        .args(["report", run.to_str().unwrap(), "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("monitor.json:").and(predicate::str::contains("updated")));
}

#[test]
fn several_scenarios_get_the_comparison_section_and_pm_items_in_both_languages() {
    let t = tmpdir();
    let out = t.path().join("lindenholt");
    common::run(&scenario("lindenholt.toml"), &["--draws", "30", "--seed", "3", "--no-sensitivity", "--report"], &out)
        .success();
    wijkimpact().args(["report", out.to_str().unwrap(), "--lang", "en"]).assert().success();
    let nl = fs::read_to_string(out.join("report.html")).unwrap();
    let en = fs::read_to_string(out.join("report.en.html")).unwrap();
    for (html, title, ranking, col) in [
        (&nl, "2. Scenario&#39;s vergeleken</h2>", "Rangorde op NPV", "Kans A &gt; B"),
        (&en, "2. Scenarios compared</h2>", "Ranking on NPV", "P(A &gt; B)"),
    ] {
        assert!(html.contains(title) || html.contains(&title.replace("&#39;", "'")), "no comparison section");
        let part = section(html, "vergelijking");
        assert!(part.contains(ranking), "{part}");
        assert!(part.contains(col), "{part}");
        assert!(part.contains("lindenholt-drie-themas − lindenholt-taal"), "one table per pair");
        assert_eq!(count(part, "<table"), 3, "two rankings and one pair");
    }
    // The bundled example has one scenario (no comparison) and PM-posten.
    let one = example_run(t.path());
    let html = fs::read_to_string(one.join("report.html")).unwrap();
    assert!(!html.contains("id=\"vergelijking\""));
    assert!(html.contains("PM-posten (niet in geld uitgedrukt)</h4>"));
    assert!(html.contains("<li>meer vertrouwen in de buurt</li>"));
    assert!(html.contains("Het nulalternatief bevat wat hoe dan ook gebeurt: buurthuis."));
}

/// The samenvatting of `html` as text without tags, entities decoded, spaces collapsed.
fn summary_text(html: &str) -> String {
    common::visible_text(section(html, "samenvatting"))
}

/// Set the mean of `metric` in the total of scenario `wor` of the run's summary.json.
fn set_total_mean(run: &Path, metric: &str, mean: f64) {
    let path = run.join("summary.json");
    let mut json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    json["scenarios"]["wor"]["areas"]["totaal"]["metrics"][metric]["mean"] = serde_json::json!(mean);
    fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
}

/// Both languages' summaries after re-rendering the (edited) run.
fn both_summaries(run: &Path) -> (String, String) {
    wijkimpact().args(["report", run.to_str().unwrap(), "--force"]).assert().success();
    wijkimpact().args(["report", run.to_str().unwrap(), "--force", "--lang", "en"]).assert().success();
    let nl = fs::read_to_string(run.join("report.html")).unwrap();
    let en = fs::read_to_string(run.join("report.en.html")).unwrap();
    (summary_text(&nl), summary_text(&en))
}

#[test]
fn summary_shows_both_benefit_cost_ratios_and_the_pm_list_in_both_languages() {
    let t = tmpdir();
    let run = example_run(t.path());
    let (nl, en) = both_summaries(&run);
    for (text, words) in [
        (
            &nl,
            ["Financiële B/C", "Maatschappelijke B/C", "Kans maatsch. NPV > 0", "PM-posten (niet in geld uitgedrukt)"],
        ),
        (&en, ["Financial B/C", "Societal B/C", "P(societal NPV > 0)", "PM items (not valued in money)"]),
    ] {
        for w in words {
            assert!(text.contains(w), "{w} missing: {text}");
        }
        assert!(text.contains("meer vertrouwen in de buurt"), "PM list missing: {text}");
        // The run's own QALY value (a pert with mode 50,000) is named under the table.
        assert!(text.contains("QALY €"), "{text}");
    }
    assert!(nl.contains(" van de 100 trekkingen is het maatschappelijk rendement positief."), "{nl}");
    assert!(en.contains("the societal return is positive."), "{en}");
}

#[test]
fn streams_sentence_names_the_largest_stream_of_a_constructed_case() {
    let t = tmpdir();
    let run = example_run(t.path());
    // The zorgverzekeraar's avoided costs made far larger than the valued QALYs.
    set_total_mean(&run, "pv_benefits/zorgverzekeraar", 2_000_000.0);
    let (nl, en) = both_summaries(&run);
    assert!(nl.contains("De maatschappelijke baten komen vooral van: zorgverzekeraar "), "{nl}");
    assert!(en.contains("The societal benefits come mainly from: zorgverzekeraar "), "{en}");
    // Unedited, the QALYs carry the example's maatschappelijke baten.
    fs::create_dir_all(t.path().join("plain")).unwrap();
    let run2 = example_run(&t.path().join("plain"));
    let (nl, _) = both_summaries(&run2);
    assert!(nl.contains("De maatschappelijke baten komen vooral van: gezondheid (QALY's) "), "{nl}");
}

#[test]
fn band_sentence_says_below_within_or_above_for_constructed_ratios() {
    let t = tmpdir();
    let run = example_run(t.path());
    for (bcr, nl_word, en_word) in [(1.0, "onder", "below"), (1.5, "binnen", "within"), (2.5, "boven", "above")] {
        set_total_mean(&run, "bcr_societal", bcr);
        let (nl, en) = both_summaries(&run);
        assert!(nl.contains(&format!("ligt {nl_word} de band van 1,3–2,2")), "{bcr}: {nl}");
        assert!(en.contains(&format!("is {en_word} the band of 1.3–2.2")), "{bcr}: {en}");
        // The band is cited by its sources; below it the PM-posten are named as a reason.
        assert!(nl.contains("Meta-analyse businesscases sociaal werk") && nl.contains("Schuldhulpverlening loont!"));
        assert_eq!(nl.contains("PM-posten zijn niet in geld uitgedrukt"), nl_word == "onder", "{bcr}: {nl}");
    }
}

/// `report --sobol DIR` adds the Sobol indices of `wijkimpact sobol` to the
/// decision section, and refuses those of another scenario file (exit 2).
#[test]
fn sobol_indices_join_the_decision_section_only_for_the_same_scenario_file() {
    let t = tmpdir();
    let run = example_run(t.path());
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    let keuze = section(&html, "keuze");
    assert!(keuze.contains("Dit rapport heeft geen Sobol-indices.") && !keuze.contains("data-chart=\"sobol\""));
    let sobol = t.path().join("sobol");
    wijkimpact()
        .arg("sobol")
        .arg(scenario("example-full.toml"))
        .args(["--base-samples", "4", "--seed", "3", "--out", sobol.to_str().unwrap()])
        .assert()
        .success();
    let run_s = run.to_str().unwrap();
    wijkimpact().args(["report", run_s, "--force", "--sobol", sobol.to_str().unwrap()]).assert().success();
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    let keuze = section(&html, "keuze");
    assert!(keuze.contains("data-chart=\"sobol\"") && !keuze.contains("Dit rapport heeft geen Sobol-indices."));
    assert!(keuze.contains("Uit 12 modelruns: 4 basissteekproeven, seed 3"));
    // Sobol indices of another scenario file.
    let other = t.path().join("other");
    wijkimpact()
        .arg("sobol")
        .arg(scenario("lindenholt.toml"))
        .args(["--base-samples", "2", "--seed", "3", "--out", other.to_str().unwrap()])
        .assert()
        .success();
    wijkimpact()
        .args(["report", run_s, "--force", "--sobol", other.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sobol.json").and(predicate::str::contains("another scenario file")));
    // A directory that is not a Sobol run.
    wijkimpact()
        .args(["report", run_s, "--force", "--sobol", run_s])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sobol.json").and(predicate::str::contains("missing")));
}
