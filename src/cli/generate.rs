//! `wijkimpact completions SHELL` and `wijkimpact man`: shell completion
//! scripts and manual pages, generated from the same clap definition as
//! `--help`, so they never fall behind the commands.

use super::args::Cli;
use super::BadInput;
use anyhow::Context;
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

/// Write the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "wijkimpact", &mut out);
    std::io::stdout().write_all(&out).context("cannot write the completion script")
}

/// The manual page of `wijkimpact` (section 1) as roff text.
pub fn main_page() -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    // As `generate_to` does: no `help` command, which has no page of its own.
    let cmd = Cli::command().disable_help_subcommand(true);
    clap_mangen::Man::new(cmd).render(&mut out).context("cannot render the manual page")?;
    Ok(out)
}

/// `wijkimpact man`: the main page to standard output, or with `out` every
/// page (`wijkimpact.1` and `wijkimpact-COMMAND.1` for each command) into that
/// directory.
pub fn man(out: Option<&Path>) -> anyhow::Result<()> {
    let Some(dir) = out else {
        return std::io::stdout().write_all(&main_page()?).context("cannot write the manual page");
    };
    if dir.exists() && !dir.is_dir() {
        return Err(BadInput(format!("{}: exists and is not a directory", dir.display())).into());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("wijkimpact") && n.ends_with(".1"))
        .collect();
    pages.sort();
    note!("manual pages written to {}: {}", dir.display(), pages.join(", "));
    note!("read one with `man -l {}`", dir.join("wijkimpact.1").display());
    Ok(())
}
