//! `wijkimpact check FILE...`: validate scenario files without running them.

use super::BadInput;
use std::path::PathBuf;

/// Load every file; report `ok: …` on stdout or every error on stderr.
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
