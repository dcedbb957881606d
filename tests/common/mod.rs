//! Helpers shared by the integration tests: where the bundled scenarios and the
//! fixtures are, the `wijkimpact` binary as a command, temporary directories,
//! loading a model and running a scenario. Every file in `tests/` is a crate of
//! its own and uses only part of this, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use wijkimpact::model::Model;
use wijkimpact::scenario::{self, ScenarioError};

pub mod baseline;
pub mod tables;

/// The repository root, where `scenarios/` and `tests/` are; the binary runs here.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled scenario file: `scenarios/NAME`.
pub fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// A test fixture: `tests/fixtures/REL` (e.g. `bad/row_sum.toml`).
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The `wijkimpact` binary, run in the repository root (so relative scenario
/// paths work and are quoted as such in the outputs), never drawing a progress bar.
pub fn wijkimpact() -> Command {
    let mut c = Command::cargo_bin("wijkimpact").expect("the wijkimpact binary");
    c.current_dir(root()).env("CI", "1");
    c
}

/// `wijkimpact run SCENARIO ARGS... --out OUT`, asserted later by the caller.
pub fn run(scenario: &Path, args: &[&str], out: &Path) -> Assert {
    wijkimpact().arg("run").arg(scenario).args(args).arg("--out").arg(out).assert()
}

/// A fresh temporary directory, removed when dropped.
pub fn tmpdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// A JSON file of a run directory.
pub fn json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A TOML file as a plain value (for reading a scenario file's own tables).
pub fn toml_of(path: &Path) -> toml::Value {
    toml::from_str(&fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The last component of a path, as text.
pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The model of a scenario file, loaded through the validator; panics with its errors.
pub fn load_model(path: &Path) -> Model {
    match scenario::load(path) {
        Ok(l) => l.model,
        Err(e) => panic!("{} does not load:\n{e}", path.display()),
    }
}

/// A model from scenario text (named `name` in errors); panics with the errors and the text.
pub fn model_from_str(name: &str, text: &str) -> Model {
    match scenario::load_str(name, text) {
        Ok(m) => m,
        Err(e) => panic!("{name} does not load:\n{e}\n--- scenario ---\n{text}"),
    }
}

/// The errors of scenario text loaded as the file `name`; panics, showing
/// the text, when it loads.
pub fn load_errors(name: &str, text: &str) -> Vec<ScenarioError> {
    match scenario::load_str(name, text) {
        Ok(_) => panic!("{name} loaded without errors:\n{text}"),
        Err(e) => e.0,
    }
}

/// The one error of loading `text` as the file `name`, which is displayed
/// as `name:line:column: …`; panics unless there is exactly one.
pub fn single_load_error(name: &str, text: &str) -> ScenarioError {
    let mut errs = load_errors(name, text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = errs.remove(0);
    assert!(e.to_string().starts_with(&format!("{name}:{}:{}:", e.line, e.column)), "{e}");
    e
}

/// The `.toml` files directly in `dir`, sorted.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// Every bundled scenario file, `scenarios/*.toml`, sorted.
pub fn scenario_files() -> Vec<PathBuf> {
    let v = toml_files(&root().join("scenarios"));
    assert!(v.len() >= 8, "expected the bundled scenario files, found {v:?}");
    v
}

/// Every fixture in `tests/fixtures/bad`, sorted. `cycle_b.toml` is the other half
/// of `cycle_a.toml`'s include cycle; checked on its own it is just as broken (it
/// includes a file that includes it), so it is kept.
pub fn bad_fixtures() -> Vec<PathBuf> {
    let v = toml_files(&fixture("bad"));
    assert!(v.len() >= 10, "expected the bad fixtures, found {v:?}");
    v
}

/// The `[[scenario]]` names of a scenario file, read from its TOML (none if it has no such tables).
pub fn scenario_names(path: &Path) -> Vec<String> {
    toml_of(path)
        .get("scenario")
        .and_then(|s| s.as_array())
        .map(|a| a.iter().map(|s| s["name"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// Standard output and standard error of a finished command, as text.
pub fn output_text(out: &std::process::Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The files of a complete run directory (`run` without `--report`, default format).
pub const RUN_FILES: [&str; 13] = [
    "summary.json",
    "summary.csv",
    "comparisons.csv",
    "arms.csv",
    "incremental.csv",
    "acceptability.csv",
    "evppi.csv",
    "yearly.parquet",
    "draws.parquet",
    "parameters.parquet",
    "sensitivity.csv",
    "assumptions.json",
    "manifest.json",
];

/// Manifest fields that describe how a run went (clock, memory, machine, command
/// line), not what it computed: they differ between two runs of the same inputs.
pub const MANIFEST_VOLATILE: [&str; 7] = [
    "started_at",
    "wall_time_seconds",
    "draws_per_second",
    "work_units_per_second",
    "peak_memory_bytes",
    "threads",
    "command_line",
];

/// The text of an HTML fragment as a reader sees it: no tags, the usual
/// entities decoded, spaces collapsed.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = (text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
