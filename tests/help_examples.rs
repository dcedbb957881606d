//! Every example in `wijkimpact --help` and in each command's `--help` runs as
//! written: the examples are read from the help text itself (rendered 80
//! columns wide, so a command a terminal would wrap shows up broken), lines
//! ending in ` \` joined, and each block is run by `sh` in a fresh directory
//! that sees the bundled `scenarios/` — with every `--draws N` set to 4 (and
//! `--draws 4` added to `run`, `claim` and `monitor` without one; every
//! `--base-samples N` of `sobol` set to 4 too), so the
//! whole set takes a minute, not hours.

mod common;

use std::process::Command;

use common::{output_text, root, tmpdir, wijkimpact};

/// Draws every example runs with.
const FEW_DRAWS: &str = "4";

/// `wijkimpact ARGS --help` at 80 columns.
fn help(args: &[&str]) -> String {
    let out = wijkimpact().args(args).arg("--help").env("COLUMNS", "80").output().unwrap();
    assert!(out.status.success(), "wijkimpact {args:?} --help failed");
    output_text(&out).0
}

/// The commands listed under `Commands:` in the top-level help, but `help`.
fn commands(top: &str) -> Vec<String> {
    top.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A description wrapped onto the next line is indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The commands of every `Example…:` block of a help text, continuation lines joined.
fn examples(help: &str) -> Vec<String> {
    let mut out = vec![];
    let mut in_block = false;
    let mut pending: Option<String> = None;
    for line in help.lines() {
        if line.starts_with("Example") && line.ends_with(':') {
            in_block = true;
            continue;
        }
        if !in_block {
            continue;
        }
        if !line.starts_with("  ") {
            assert!(pending.is_none(), "an example ends in `\\` before a blank line:\n{help}");
            in_block = false;
            continue;
        }
        let text = line.trim();
        let joined = match pending.take() {
            Some(p) => format!("{p} {text}"),
            None => text.to_string(),
        };
        match joined.strip_suffix('\\') {
            Some(head) => pending = Some(head.trim_end().to_string()),
            None => out.push(joined),
        }
    }
    assert!(pending.is_none(), "the last example ends in `\\`:\n{help}");
    out
}

/// `command` with few draws: every `--draws N` becomes `--draws 4`, and a
/// simulating command without `--draws` gets it.
fn with_few_draws(command: &str) -> String {
    let mut words: Vec<String> = command.split(' ').map(str::to_string).collect();
    let mut has_draws = false;
    for i in 0..words.len() {
        if words[i] == "--draws" && i + 1 < words.len() {
            words[i + 1] = FEW_DRAWS.into();
            has_draws = true;
        }
        // A Sobol design of N base samples runs N × (factors + 2) models.
        if words[i] == "--base-samples" && i + 1 < words.len() {
            words[i + 1] = FEW_DRAWS.into();
        }
    }
    let simulates =
        ["wijkimpact run ", "wijkimpact claim ", "wijkimpact monitor "].iter().any(|p| command.starts_with(p));
    if simulates && !has_draws {
        words.extend(["--draws".into(), FEW_DRAWS.into()]);
    }
    words.join(" ")
}

/// Run the examples of one help text in order in a fresh directory; returns the failures.
fn run_examples(name: &str, commands: &[String]) -> Vec<String> {
    let dir = tmpdir();
    for shared in ["scenarios", "docs", "tests"] {
        std::os::unix::fs::symlink(root().join(shared), dir.path().join(shared)).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("wijkimpact");
    let bin_dir = bin.parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut failures = vec![];
    for example in commands {
        let small = with_few_draws(example);
        let out = Command::new("sh")
            .arg("-c")
            .arg(&small)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("CI", "1")
            .output()
            .unwrap();
        if !out.status.success() {
            let (stdout, stderr) = output_text(&out);
            failures.push(format!(
                "`{name} --help` example failed ({:?}):\n  {example}\n  ran as: {small}\n--- stdout\n{stdout}--- stderr\n{stderr}",
                out.status.code()
            ));
        }
    }
    failures
}

#[test]
fn examples_are_read_with_their_continuation_lines() {
    let help =
        "Usage: x\n\nExamples:\n  wijkimpact run a.toml \\\n      --out b\n  wijkimpact report b\n\nExit codes: 0\n";
    assert_eq!(examples(help), vec!["wijkimpact run a.toml --out b", "wijkimpact report b"]);
    assert_eq!(with_few_draws("wijkimpact run a --draws 5000 --out b"), "wijkimpact run a --draws 4 --out b");
    assert_eq!(with_few_draws("wijkimpact claim a.toml"), "wijkimpact claim a.toml --draws 4");
    assert_eq!(with_few_draws("wijkimpact report b"), "wijkimpact report b");
}

/// Regression: `monitor --help` named a file that does not exist and lacked a
/// `\`, the `claim` example broke at a line wrap, and the top-level example ran
/// a file without scenarios. Every command has examples, and they all run.
#[test]
fn every_help_example_runs() {
    let top = help(&[]);
    let commands = commands(&top);
    assert!(commands.len() >= 8, "commands found in --help: {commands:?}");
    let mut blocks = vec![("wijkimpact".to_string(), examples(&top))];
    for c in &commands {
        blocks.push((format!("wijkimpact {c}"), examples(&help(&[c]))));
    }
    for (name, block) in &blocks {
        assert!(!block.is_empty(), "`{name} --help` has no examples");
        for e in block {
            assert!(e.starts_with("wijkimpact ") || e.starts_with("for "), "`{name} --help`: not a command: {e}");
        }
    }
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = blocks.iter().map(|(name, block)| s.spawn(move || run_examples(name, block))).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The README's commands after its first block use the installed binary.
#[test]
fn readme_tells_how_to_install_the_binary() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("cargo install --path ."), "README lacks the install step");
    let first_block = readme.split("```sh").nth(1).unwrap().split("```").next().unwrap();
    assert!(first_block.contains("cargo run --release -- run scenarios/nijmegen.toml"), "{first_block}");
    assert!(first_block.contains("cargo test --release"), "{first_block}");
}
