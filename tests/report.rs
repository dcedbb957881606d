//! End-to-end tests of `wijkimpact report` and `run --report`: the sections an
//! advisor reads, both languages, a self-contained file, and bad input.
//! (`tests/report_browser.rs` renders the result in headless Chromium.)

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

fn wijkimpact() -> Command {
    let mut c = Command::cargo_bin("wijkimpact").unwrap();
    c.env("CI", "1");
    c
}

/// A run of the bundled example with its Dutch report.
fn example_run(dir: &Path) -> PathBuf {
    let out = dir.join("run");
    wijkimpact()
        .args(["run", scenario("example-full.toml").to_str().unwrap(), "--draws", "60", "--seed", "3", "--report"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("report written to"));
    out
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn run_with_report_writes_every_section_in_dutch() {
    let t = tempfile::tempdir().unwrap();
    let run = example_run(t.path());
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    for section in [
        "Samenvatting",
        "Indicatoren en zorggebruik door de tijd",
        "Verdeling van de netto contante waarde",
        "Wie betaalt, wie baat",
        "Wat bepaalt de uitkomst",
        "Aannames",
        "Reproduceren",
    ] {
        assert!(html.contains(&format!(". {section}</h2>")), "section {section} missing");
    }
    // The plain sentence of the summary, with the share of positive draws.
    assert!(html.contains(" van de 100 trekkingen is de businesscase positief."));
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
    let t = tempfile::tempdir().unwrap();
    let run = example_run(t.path());
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    for forbidden in ["<script", "src=", "href=\"http", "url(", "@import", "<link"] {
        assert!(!html.contains(forbidden), "the report must not load anything: found {forbidden:?}");
    }
}

#[test]
fn english_report_uses_english_text_and_number_format() {
    let t = tempfile::tempdir().unwrap();
    let run = example_run(t.path());
    wijkimpact().args(["report", run.to_str().unwrap(), "--lang", "en"]).assert().success();
    let html = fs::read_to_string(run.join("report.en.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("1. Summary</h2>"));
    assert!(html.contains(" out of 100 draws the business case is positive."));
    assert!(!html.contains("trekkingen"), "Dutch text leaked into the English report");
    // Dutch puts a (non-breaking) space after the euro sign, English does not.
    let nl = fs::read_to_string(run.join("report.html")).unwrap();
    assert!(nl.contains("€\u{a0}") && !html.contains("€\u{a0}") && html.contains("€"));
}

#[test]
fn report_refuses_to_overwrite_without_force() {
    let t = tempfile::tempdir().unwrap();
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
    let t = tempfile::tempdir().unwrap();
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
    fs::remove_file(run.join("yearly.csv")).unwrap();
    wijkimpact()
        .args(["report", run.to_str().unwrap(), "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yearly.csv").and(predicate::str::contains("missing")));
}
