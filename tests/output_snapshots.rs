//! Snapshots of what people read: the advisor's report (`report.html`,
//! `report.en.html`) of a small run of the bundled example, the committee page
//! (`claim.md`) of the fund's example applications, and the command line's own
//! messages (`check` errors of every broken fixture, `--help` of every command, usage
//! errors). A change in layout or wording shows up as a diff against the files in
//! `tests/snapshots/`.
//!
//! What differs from one run to the next is masked before comparing: the clock, wall
//! time and memory of the run, the thread count, the path of the binary and of the
//! output directory. Everything else must match byte for byte.
//!
//! A missing or different snapshot fails the test. To accept a deliberate change, run
//! `INSTA_UPDATE=always cargo test --release --test output_snapshots` (or `cargo insta
//! review`), look at the diff and commit the updated `.snap` files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{bad_fixtures, file_name, output_text, wijkimpact};

/// A directory of this test binary's own under `target/`, emptied on first use.
fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("output_snapshots").join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The insta settings of every snapshot here: stored in `tests/snapshots/`, no
/// source expression in the header (it would churn with formatting), and the
/// per-run fields of the manifest as quoted in reports masked.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_omit_expression(true);
    s.set_prepend_module_to_snapshot(false);
    // The report's "Reproduceren" table: `<td>started_at</td><td><span class="mono">…`.
    // (The command line is kept, with the paths masked by `mask_paths`.)
    // The report names the fields for people (`gestart op`, `started at`), so those names are masked too.
    let mut volatile: Vec<&str> = common::MANIFEST_VOLATILE.into_iter().filter(|k| *k != "command_line").collect();
    volatile.extend([
        "gestart op",
        r"rekentijd \(seconden\)",
        r"piekgeheugen \(bytes\)",
        "started at",
        r"run time \(seconds\)",
        r"peak memory \(bytes\)",
    ]);
    let volatile = volatile.join("|");
    s.add_filter(&format!(r"({volatile})(</td><td>(?:<span[^>]*>)?)[^<]*"), "$1$2[masked]");
    s
}

/// `text` with the paths of the binary and of `out` written as `[BIN]` and `[OUT]`.
fn mask_paths(text: &str, out: &Path) -> String {
    let bin = assert_cmd::cargo::cargo_bin("wijkimpact");
    text.replace(&bin.display().to_string(), "[BIN]").replace(&out.display().to_string(), "[OUT]")
}

/// One run of the bundled example (cohort mode, few draws, fixed seed, two threads)
/// with its Dutch and English reports, shared by the report snapshots.
fn example_run() -> &'static Path {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = work_dir("example-full").join("run");
        let args = ["--draws", "24", "--seed", "11", "--mode", "cohort", "--threads", "2", "--report"];
        common::run(Path::new("scenarios/example-full.toml"), &args, &out).success();
        wijkimpact().arg("report").arg(&out).args(["--lang", "en"]).assert().success();
        out
    })
}

/// The report `file` of the example run, as snapshot `name`.
fn assert_report(file: &str, name: &str) {
    let out = example_run();
    let html = fs::read_to_string(out.join(file)).unwrap();
    assert!(html.contains("<svg"), "{file} has no charts");
    settings().bind(|| insta::assert_snapshot!(name, mask_paths(&html, out)));
}

#[test]
fn report_in_dutch() {
    assert_report("report.html", "report_nl");
}

#[test]
fn report_in_english() {
    assert_report("report.en.html", "report_en");
}

/// `claim.md` of a bundled fund application, with few draws.
fn assert_claim(application: &str) {
    let name = application.trim_end_matches(".toml");
    let out = work_dir(name).join("claim");
    wijkimpact()
        .arg("claim")
        .arg(format!("scenarios/fonds/{application}"))
        .args(["--draws", "60", "--solve-draws", "20", "--seed", "3", "--threads", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let md = fs::read_to_string(out.join("claim.md")).unwrap();
    settings().bind(|| insta::assert_snapshot!(format!("claim_{name}"), mask_paths(&md, &out)));
}

#[test]
fn claim_page_of_a_realistic_application() {
    assert_claim("peutergym-realistisch.toml");
}

#[test]
fn claim_page_of_an_unrealistic_application() {
    assert_claim("huiskamer-onrealistisch.toml");
}

/// Exit code, standard output and standard error of `wijkimpact ARGS`, as one text.
fn messages(args: &[&str]) -> String {
    // clap wraps help to the terminal: fix the width it sees.
    let out = wijkimpact().args(args).env("COLUMNS", "100").env("LINES", "50").output().unwrap();
    let (stdout, stderr) = output_text(&out);
    format!("$ wijkimpact {}\nexit: {:?}\n--- stdout\n{stdout}--- stderr\n{stderr}", args.join(" "), out.status.code())
}

#[test]
fn check_messages_of_every_broken_fixture() {
    let mut all = String::new();
    for f in bad_fixtures() {
        all.push_str(&messages(&["check", &format!("tests/fixtures/bad/{}", file_name(&f))]));
        all.push('\n');
    }
    settings().bind(|| insta::assert_snapshot!("check_bad_fixtures", all));
}

#[test]
fn help_of_every_command() {
    let mut all = messages(&["--help"]);
    for command in ["check", "run", "merge", "claim", "monitor", "report", "completions", "man"] {
        all.push('\n');
        all.push_str(&messages(&[command, "--help"]));
    }
    settings().bind(|| insta::assert_snapshot!("help", all));
}

#[test]
fn usage_errors() {
    let cases: [&[&str]; 4] = [
        &["run", "scenarios/example-full.toml"],
        &["run", "scenarios/example-full.toml", "--out", "x", "--draws", "0"],
        &["run", "scenarios/example-full.toml", "--out", "x", "--quantiles", "0.5,1.2"],
        &["frobnicate"],
    ];
    let all: Vec<String> = cases.iter().map(|args| messages(args)).collect();
    settings().bind(|| insta::assert_snapshot!("usage_errors", all.join("\n")));
}
