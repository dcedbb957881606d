//! `wijkimpact report RUN_DIR [--lang nl|en] [--out FILE]`: the advisor's HTML
//! report of a finished run.

use super::BadInput;
use std::path::{Path, PathBuf};
use std::time::Instant;
use wijkimpact::report::{self, Lang, ReportError};

/// Where the report goes: `--out`, or `report.html` (`report.en.html`) in the run directory.
pub fn target(run_dir: &Path, out: Option<&Path>, lang: Lang) -> PathBuf {
    out.map(Path::to_path_buf).unwrap_or_else(|| run_dir.join(report::default_file_name(lang)))
}

/// Render the report of `run_dir` and write it to `out`, refusing to replace
/// an existing file unless `force`. The file appears complete or not at all.
pub fn report(run_dir: &Path, lang: Lang, out: &Path, force: bool, sobol: Option<&Path>) -> anyhow::Result<()> {
    let clock = Instant::now();
    if out.exists() && !force {
        return Err(BadInput(format!("{} already exists; use --force to replace it", out.display())).into());
    }
    if out.is_dir() {
        return Err(BadInput(format!("{} is a directory; give a file name with --out", out.display())).into());
    }
    if let Some(leftovers) = only_leftovers(run_dir) {
        return Err(BadInput(format!(
            "{}: holds only the temporary files of an interrupted run ({}), no results; run it again \
             (the next run into this directory removes them)",
            run_dir.display(),
            leftovers.join(", ")
        ))
        .into());
    }
    let html = report::render_with(run_dir, lang, sobol).map_err(|e| match e {
        e if e.is_bad_input() => anyhow::Error::new(BadInput(e.to_string())),
        ReportError::Io { .. } => anyhow::Error::new(e).context("cannot read the run directory"),
        e => anyhow::Error::new(e),
    })?;
    write_atomic(out, html.as_bytes())?;
    note!("report written to {} ({:.2} s); open it in a web browser", out.display(), clock.elapsed().as_secs_f64());
    Ok(())
}

/// The names in `run_dir` when it holds nothing but temporary files of an
/// interrupted run (and at least one); `None` otherwise.
fn only_leftovers(run_dir: &Path) -> Option<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(run_dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    (!names.is_empty() && names.iter().all(|n| wijkimpact::output::rundir::is_temp_name(n))).then_some(names)
}

/// Write under a temporary name beside `out`, then rename over it.
fn write_atomic(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report.html".into());
    let tmp = out.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("cannot move {} to {}", tmp.display(), out.display()))?;
    Ok(())
}
