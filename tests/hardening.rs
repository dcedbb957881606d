//! The command line under abuse and after accidents: draw and thread counts
//! with no sane bound, runs too big for the disk or memory, runs killed
//! half-way and directories written by two runs at once; what a run tells the
//! user when it is done, `--quiet`, progress on a terminal, shell completion,
//! manual pages and the licence file.

mod common;

use common::{output_text, root, tmpdir, wijkimpact, RUN_FILES};
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EXAMPLE: &str = "scenarios/example-full.toml";
const CITY: &str = "scenarios/nijmegen.toml";
const COMMANDS: [&str; 8] = ["check", "run", "merge", "claim", "monitor", "report", "completions", "man"];

/// The names in `dir`, sorted (hidden ones included).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Start a long W-city run into `out` and return it once it has started
/// writing its temporary files (so killing it leaves what a killed run leaves).
fn start_long_run(out: &Path) -> Child {
    let bin = assert_cmd::cargo::cargo_bin("wijkimpact");
    let mut child = Command::new(bin)
        .args(["run", CITY, "--draws", "5000", "--no-sensitivity", "--threads", "1", "--out"])
        .arg(out)
        .current_dir(root())
        .env("CI", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let clock = Instant::now();
    while ![".draws.parquet.tmp", ".draws.csv.tmp"].iter().any(|f| out.join(f).exists()) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the long run ended early: {status}");
        }
        assert!(clock.elapsed() < Duration::from_secs(60), "the long run wrote no temporary file in 60 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

// ---- A: bounds on draws and threads, runs too big to start --------------------------------

/// Regression: `--draws 1000000000000` was accepted and ran until killed.
#[test]
fn draws_beyond_ten_million_are_refused_before_anything_is_written() {
    let t = tmpdir();
    let out = t.path().join("out");
    let huge = "1000000000000";
    let runs: [Vec<&str>; 3] = [
        vec!["run", EXAMPLE, "--draws", huge],
        vec!["claim", "scenarios/fonds/peutergym-realistisch.toml", "--draws", huge],
        vec!["monitor", "scenarios/noord-ouders.toml", "--observed", "x.csv", "--draws", huge],
    ];
    for args in runs {
        wijkimpact()
            .args(&args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("at most 10,000,000 draws"));
        assert!(!out.exists(), "{args:?} created {}", out.display());
    }
    wijkimpact()
        .args(["claim", "scenarios/fonds/peutergym-realistisch.toml", "--solve-draws", huge, "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
}

/// Regression: `--threads 100000000` hung building the thread pool and left
/// `.tmp` files behind.
#[test]
fn absurd_thread_counts_are_refused_at_once_before_anything_is_written() {
    let t = tmpdir();
    let out = t.path().join("out");
    let clock = Instant::now();
    for command in [
        vec!["run", EXAMPLE, "--draws", "2"],
        vec!["claim", "scenarios/fonds/peutergym-realistisch.toml"],
        vec!["merge", "shards/0"],
    ] {
        wijkimpact()
            .args(&command)
            .args(["--threads", "100000000", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("threads here").and(predicate::str::contains("0 uses every core")));
        assert!(!out.exists(), "{command:?} created {}", out.display());
    }
    assert!(clock.elapsed() < Duration::from_secs(20), "refusing took {:?}", clock.elapsed());
}

/// A run within the draw limit but far beyond 10 GB of files stops before it
/// creates its directory, with the estimate, the time and the draws that fit.
#[test]
fn a_run_too_big_to_write_is_refused_with_its_estimate_before_anything_is_written() {
    let t = tmpdir();
    let out = t.path().join("big");
    // As CSV (about 0.2 MB a draw); Parquet would fit in 10 GB.
    let err =
        wijkimpact().args(["run", CITY, "--draws", "100000", "--format", "csv", "--out"]).arg(&out).assert().code(2);
    let stderr = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
    for needle in
        ["too big to start without --yes", "100,000 draws", "draws.csv", "GB", "one draw took", "at most about"]
    {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
    assert!(!out.exists(), "the refused run created its directory");

    // At the draw limit the arguments are fine and the estimate refuses, also for one shard
    // (its shard file keeps every draw's full result).
    for extra in [&[][..], &["--shard", "0/2"]] {
        wijkimpact()
            .args(["run", EXAMPLE, "--draws", "10000000"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("too big to start"));
        assert!(!out.exists());
    }
}

// ---- B: leftovers of killed runs -------------------------------------------------------

/// Regression: a killed run leaves `.tmp` files. They are never read as
/// results (`report` and `merge` refuse the directory, saying why), and the
/// next run into the directory removes them and writes complete results,
/// identical to those of a run into a clean directory.
#[test]
fn leftovers_of_a_killed_run_are_never_results_and_the_next_run_removes_them() {
    let t = tmpdir();
    let out = t.path().join("run");
    let mut child = start_long_run(&out);
    child.kill().unwrap();
    child.wait().unwrap();
    let left = names(&out);
    assert!(!left.is_empty() && left.iter().all(|n| n.starts_with('.') && n.ends_with(".tmp")), "{left:?}");

    wijkimpact()
        .arg("report")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("interrupted run").and(predicate::str::contains("no results")));
    assert!(!out.join("report.html").exists());
    wijkimpact()
        .args(["merge"])
        .arg(&out)
        .arg("--out")
        .arg(t.path().join("merged"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("manifest.json"));

    // The next run needs no --force: the directory holds no results.
    common::run(Path::new(EXAMPLE), &["--draws", "8", "--seed", "3"], &out)
        .success()
        .stderr(predicate::str::contains("temporary file(s) an interrupted run left"));
    let mut expected: Vec<String> = RUN_FILES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names(&out), expected, "leftovers or missing files after the rerun");

    let clean = t.path().join("clean");
    common::run(Path::new(EXAMPLE), &["--draws", "8", "--seed", "3"], &clean).success();
    for f in ["draws.parquet", "parameters.parquet", "yearly.parquet", "summary.json", "summary.csv", "sensitivity.csv"]
    {
        assert!(fs::read(out.join(f)).unwrap() == fs::read(clean.join(f)).unwrap(), "{f} differs from a clean run");
    }
    wijkimpact().arg("report").arg(&out).assert().success();
}

/// Two runs into one directory at once would mix their files: the second is
/// refused (even with --force) while the first is writing, and the first's
/// temporary files are left alone.
#[test]
fn a_second_run_into_a_directory_being_written_is_refused() {
    let t = tmpdir();
    let out = t.path().join("run");
    let mut first = start_long_run(&out);
    let second = common::run(Path::new(EXAMPLE), &["--draws", "4", "--force"], &out);
    first.kill().unwrap();
    first.wait().unwrap();
    second.code(2).stderr(predicate::str::contains("another wijkimpact process is writing"));
    assert!(out.join(".draws.parquet.tmp").exists(), "the refused run removed the first run's files");
}

// ---- D: what was written, what next ----------------------------------------------------

#[test]
fn commands_say_on_stderr_what_they_wrote_and_what_to_do_next() {
    let t = tmpdir();
    let out = t.path().join("run");
    let ok = common::run(Path::new(EXAMPLE), &["--draws", "8"], &out).success();
    let (stdout, stderr) = output_text(ok.get_output());
    assert!(stdout.contains("NPV") && !stdout.contains("written"), "{stdout}");
    assert!(stderr.contains(&format!("results written to {}", out.display())), "{stderr}");
    for f in RUN_FILES {
        assert!(stderr.contains(f), "{f} not named in:\n{stderr}");
    }
    assert!(stderr.contains(&format!("next: `wijkimpact report {}`", out.display())), "{stderr}");

    let claim = t.path().join("claim");
    wijkimpact()
        .args(["claim", "scenarios/fonds/peutergym-realistisch.toml", "--draws", "20", "--solve-draws", "10", "--out"])
        .arg(&claim)
        .assert()
        .success()
        .stderr(predicate::str::contains("claim.html").and(predicate::str::contains("wijkimpact run")));

    let shards: Vec<PathBuf> = (0..2).map(|i| t.path().join(format!("shard{i}"))).collect();
    for (i, d) in shards.iter().enumerate() {
        common::run(Path::new(EXAMPLE), &["--draws", "6", "--shard", &format!("{i}/2")], d)
            .success()
            .stderr(predicate::str::contains("wijkimpact merge"));
    }
    wijkimpact()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(t.path().join("merged"))
        .assert()
        .success()
        .stderr(predicate::str::contains("results written to").and(predicate::str::contains("wijkimpact report")));
}

// ---- E: --quiet and progress --------------------------------------------------------------

/// Only input warnings (`warning: FILE:LINE:COL: …`, e.g. a deadweight on top
/// of the simulated nulalternatief) may remain on stderr under `--quiet`.
fn only_warnings(stderr: &str) -> bool {
    stderr.lines().all(|l| l.starts_with("warning: ") && l.contains(".toml:"))
}

#[test]
fn quiet_prints_nothing_but_warnings_and_errors() {
    let t = tmpdir();
    let out = t.path().join("run");
    for (i, args) in
        [vec!["--quiet", "run", EXAMPLE, "--draws", "8"], vec!["run", EXAMPLE, "--draws", "8", "-q"]].iter().enumerate()
    {
        let dir = out.join(i.to_string());
        wijkimpact()
            .args(args)
            .arg("--out")
            .arg(&dir)
            .assert()
            .success()
            .stdout("")
            .stderr(predicate::function(only_warnings));
        assert!(dir.join("manifest.json").is_file());
    }
    wijkimpact().args(["-q", "report"]).arg(out.join("0")).assert().success().stdout("").stderr("");
    wijkimpact()
        .args(["-q", "check", EXAMPLE])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("deadweight").and(predicate::function(only_warnings)));
    wijkimpact()
        .args(["--quiet", "check", "tests/fixtures/bad/row_sum.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("row_sum.toml:"));
}

/// `wijkimpact ARGS` on a pseudo-terminal (through `script`), outside CI: what the user sees.
fn on_a_terminal(args: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("wijkimpact");
    let out = Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .current_dir(root())
        .env_remove("CI")
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{args}: {}", output_text(&out).1);
    Some(output_text(&out).0)
}

/// The sensitivity analysis after the draws (seconds for W-city) shows a
/// progress bar on a terminal like the draws do; `--quiet` shows none.
#[test]
fn the_sensitivity_analysis_shows_progress_on_a_terminal_but_not_when_quiet() {
    let t = tmpdir();
    let run = |extra: &str, name: &str| {
        on_a_terminal(&format!("run {CITY} --draws 2 --threads 1 --out {} {extra}", t.path().join(name).display()))
    };
    let Some(screen) = run("", "loud") else { return };
    assert!(screen.contains("one-way sensitivity analysis"), "{screen}");
    assert!(screen.contains("sensitivity runs"), "no progress bar for the sensitivity analysis:\n{screen}");
    let quiet = run("--quiet", "quiet").unwrap();
    assert!(only_warnings(quiet.trim()), "--quiet printed:\n{quiet}");
}

// ---- F: completions and manual pages ----------------------------------------------------

#[test]
fn bash_completion_names_every_command() {
    let out = wijkimpact().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = output_text(&out).0;
    assert!(script.contains("complete -F _wijkimpact"), "{script}");
    for c in COMMANDS {
        assert!(script.contains(&format!("wijkimpact__subcmd__{c}")), "bash completion lacks {c}");
    }
    assert!(script.contains("--draws") && script.contains("--quiet"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = wijkimpact().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && output_text(&out).0.contains("monitor"), "{shell}");
    }
    wijkimpact().args(["completions", "tcsh"]).assert().code(2);
}

/// The first request of a page after the roff string definitions.
fn title_line(page: &str) -> &str {
    page.lines().find(|l| !l.starts_with(".ie") && !l.starts_with(".el")).unwrap_or("")
}

#[test]
fn man_pages_are_roff_with_a_title_and_name_every_command() {
    let out = wijkimpact().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = output_text(&out).0;
    assert!(title_line(&page).starts_with(".TH wijkimpact 1"), "{}", title_line(&page));
    for c in COMMANDS {
        assert!(page.contains(&format!("wijkimpact\\-{c}(1)")), "wijkimpact.1 lacks {c}");
    }
    assert!(page.contains("\\-\\-quiet"));

    let t = tmpdir();
    let dir = t.path().join("man1");
    wijkimpact().args(["man", "--out"]).arg(&dir).assert().success().stderr(predicate::str::contains("wijkimpact.1"));
    for c in COMMANDS {
        let sub = fs::read_to_string(dir.join(format!("wijkimpact-{c}.1"))).unwrap();
        assert!(title_line(&sub).starts_with(&format!(".TH wijkimpact-{c} 1")), "{c}: {}", title_line(&sub));
    }
    assert!(fs::read_to_string(dir.join("wijkimpact-run.1")).unwrap().contains("\\-\\-draws"));
    assert_eq!(fs::read_to_string(dir.join("wijkimpact.1")).unwrap(), page);
}

// ---- H: the licence ---------------------------------------------------------------------

/// Cargo.toml names EUPL-1.2; LICENSE holds its full English text, up to the
/// end of the Appendix of compatible licences.
#[test]
fn licence_file_is_the_complete_eupl_named_in_cargo_toml() {
    let cargo = fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(cargo.contains("license = \"EUPL-1.2\""));
    let text = fs::read_to_string(root().join("LICENSE")).unwrap();
    assert!(text.trim_start().starts_with("EUROPEAN UNION PUBLIC LICENCE v. 1.2"));
    for heading in ["1. Definitions", "5. Obligations of the Licensee", "15. Applicable Law", "Appendix"] {
        assert!(text.contains(heading), "LICENSE lacks {heading}");
    }
    assert!(text.contains("Québec Free and Open-Source Licence"));
    assert!(text.trim_end().ends_with("require the production of a new\nEUPL version."));
}
