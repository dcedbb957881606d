//! The repository is self-contained: every figure's source can be followed from
//! the repository itself. This walks every file git tracks or would track
//! (`git ls-files --cached --others --exclude-standard`, or the
//! tree without `target/` and `.git/` where git is not available) and fails,
//! naming file and line, on
//! - a citation of a private notes file (the word `FACTS` used as a citation),
//! - a relative path to a `shared` directory beside the checkout,
//! - an absolute path of a developer's machine (under the `work`, `home`,
//!   `Users` or `root` top-level directories, or a Windows user folder),
//! - a citation key (`[CBS-85984NED]`) in `scenarios/`, `docs/` or `src/` that is
//!   not defined in `docs/sources.md`.

use std::path::{Path, PathBuf};
use std::process::Command;

use wijkimpact::sources;

/// One finding: `file:line: reason`.
fn finding(file: &str, line: usize, reason: &str) -> String {
    format!("{file}:{line}: {reason}")
}

/// The forbidden patterns, built from parts so this file does not match itself.
fn forbidden() -> Vec<(String, &'static str)> {
    let facts = ["FAC", "TS"].concat();
    vec![
        (format!("{facts} §"), "cites a private notes file; cite the original source's key from docs/sources.md"),
        (format!("{facts}.md"), "names a private notes file; cite the original source's key from docs/sources.md"),
        (format!("{facts} ("), "cites a private notes file; cite the original source's key from docs/sources.md"),
        (format!("../{}", "shared"), "points outside the repository"),
        (format!("/{}/", "work"), "an absolute path of a developer's machine"),
        (format!("/{}/", "home"), "an absolute path of a developer's machine"),
        (format!("/{}/", "Users"), "an absolute path of a developer's machine"),
        (format!("/{}/", "root"), "an absolute path of a developer's machine"),
        (format!("C:\\{}", "Users"), "an absolute path of a developer's machine"),
    ]
}

/// Every problem in one file's text. `check_keys`: whether `[KEY]` citations
/// must be defined in docs/sources.md (scenario files, docs and src).
fn check_text(file: &str, text: &str, check_keys: bool) -> Vec<String> {
    let patterns = forbidden();
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        for (p, reason) in &patterns {
            if line.contains(p.as_str()) {
                out.push(finding(file, i + 1, &format!("{p:?}: {reason}")));
            }
        }
        if check_keys {
            for (_, key) in sources::cited_keys(line) {
                if sources::get(key).is_none() {
                    out.push(finding(file, i + 1, &format!("[{key}] is not defined in docs/sources.md")));
                }
            }
        }
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's tracked files, relative to the root.
fn tracked_files(root: &Path) -> Vec<String> {
    let git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .output();
    if let Some(out) = git.ok().filter(|o| o.status.success() && !o.stdout.is_empty()) {
        return (String::from_utf8_lossy(&out.stdout).split('\0'))
            .filter(|f| !f.is_empty() && root.join(f).is_file())
            .map(str::to_string)
            .collect();
    }
    let mut files = vec![];
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the repository tree").flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && name != ".git" {
                    dirs.push(path);
                }
            } else if let Ok(rel) = path.strip_prefix(root) {
                files.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn tracked_files_cite_only_defined_sources_and_hold_no_machine_paths() {
    let root = root();
    let files = tracked_files(&root);
    assert!(files.iter().any(|f| f == "docs/sources.md"), "docs/sources.md is not in the file list");
    let mut problems = vec![];
    for file in &files {
        // Binary or non-UTF-8 files hold no prose citations.
        let Ok(text) = std::fs::read_to_string(root.join(file)) else { continue };
        let check_keys = ["scenarios/", "docs/", "src/"].iter().any(|d| file.starts_with(d));
        problems.extend(check_text(file, &text, check_keys));
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn checker_catches_planted_bad_lines() {
    let facts = ["FAC", "TS"].concat();
    let text = format!(
        "ok = 1   # [CBS-85984NED], 1 Jan 2024\n\
         a = 2    # {facts} §3.1 row 4\n\
         # see ../{shared}/notes\n\
         # copied from /{home}/dev/x.csv and C:\\{users}\\me\n\
         b = 3    # [NO-SUCH-SOURCE-1999] and [model] and [Sources](#s)\n\
         c = 4    # assumption (0.5-0.9)\n",
        shared = "shared",
        home = "home",
        users = "Users"
    );
    let found = check_text("scenarios/x.toml", &text, true);
    let lines: Vec<&str> = found.iter().map(|f| f.split(": ").next().unwrap()).collect();
    assert_eq!(
        lines,
        ["scenarios/x.toml:2", "scenarios/x.toml:3", "scenarios/x.toml:4", "scenarios/x.toml:4", "scenarios/x.toml:5"],
        "{found:#?}"
    );
    assert!(found[4].contains("[NO-SUCH-SOURCE-1999] is not defined"), "{}", found[4]);
    // Outside scenarios/, docs/ and src/ keys are not checked; paths still are.
    assert_eq!(check_text("README.md", &text, false).len(), 4);
}
