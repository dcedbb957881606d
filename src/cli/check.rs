//! `wijkimpact check FILE...`: validate scenario files without running them.

use super::BadInput;
use std::path::PathBuf;

/// Load every file; report `ok: …` on stdout or every error on stderr.
/// Warnings (a valid file with a choice that needs an argument) go to stderr,
/// also under `--quiet`, and do not fail the check.
/// All files are checked even when an early one fails, so one call shows
/// everything that needs fixing.
pub fn check(files: &[PathBuf], load: wijkimpact::scenario::LoadOptions) -> anyhow::Result<()> {
    let mut failed = 0;
    for f in files {
        match wijkimpact::scenario::load_with(f, load) {
            Ok(l) => {
                let m = &l.model;
                say!(
                    "ok: {} ({} areas, {} chains, {} scenarios, {} parameters)",
                    f.display(),
                    m.areas.len(),
                    m.chains.len(),
                    m.scenarios.len(),
                    m.params.params.len()
                );
                for w in &m.warnings {
                    eprintln!("{w}");
                }
            }
            Err(errors) => {
                failed += 1;
                eprintln!("{errors}");
            }
        }
    }
    if failed > 0 {
        return Err(BadInput(format!("{failed} of {} file(s) have errors", files.len())).into());
    }
    Ok(())
}
