//! Where an include may point: scenario files and investeringsfonds
//! applications come from outside applicants and are processed on the city's
//! machines, so by default a file may only pull in files from its own folder
//! (and below) or from the bundled scenario library. A path that leaves both
//! (`/etc/passwd`, `../../../etc/hostname`, a symlink to elsewhere) is refused
//! before the other file is read, so its contents never show up in an error.
//!
//! The library is the repository's `scenarios/` folder as it was when the
//! binary was built, plus the folder named by the environment variable
//! [`LIBRARY_ENV`] (for an installed binary whose source tree has moved).
//! [`LoadOptions::allow_any_include`] (the command line's
//! `--allow-any-include`) lifts the restriction.

use std::path::{Component, Path, PathBuf};

/// Environment variable naming an extra folder that counts as the scenario
/// library (includes and application `city` references may point into it).
pub const LIBRARY_ENV: &str = "WIJKIMPACT_LIBRARY";

/// How scenario files are loaded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Let an include (or an application's `city`) point anywhere, not only
    /// inside the folder of the file that names it or the scenario library.
    pub allow_any_include: bool,
}

/// Why a referenced file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Nothing readable at the path.
    NotFound,
    /// The path resolves outside the allowed folders.
    Outside,
}

/// The canonical path of `rel` (as written in the file) relative to `base`
/// (the folder of the file that names it; empty for the current directory),
/// if it may be read under `opts`.
///
/// The lexical check comes first, before the file system is asked anything,
/// so a path outside is refused the same way whether or not it exists; the
/// canonical path (symlinks resolved) is then checked again.
pub(crate) fn resolve(base: &Path, rel: &str, opts: LoadOptions) -> Result<PathBuf, Refused> {
    let joined = base.join(rel);
    if opts.allow_any_include {
        return std::fs::canonicalize(&joined).map_err(|_| Refused::NotFound);
    }
    let folder = if base.as_os_str().is_empty() { Path::new(".") } else { base };
    let folder = std::fs::canonicalize(folder).map_err(|_| Refused::NotFound)?;
    let mut roots = vec![folder.clone()];
    roots.extend(library_roots());
    let inside = |p: &Path| roots.iter().any(|r| p.starts_with(r));
    if !inside(&lexical(&folder.join(rel))) {
        return Err(Refused::Outside);
    }
    let canonical = std::fs::canonicalize(&joined).map_err(|_| Refused::NotFound)?;
    if inside(&canonical) {
        Ok(canonical)
    } else {
        Err(Refused::Outside)
    }
}

/// The reason given when [`resolve`] refuses `rel` as outside; `what` names
/// the reference (`include`, `city description`). Names only what the file
/// itself says, never where it leads.
pub(crate) fn outside_reason(what: &str, rel: &str) -> String {
    format!(
        "{what} `{rel}` points outside the folder of this file and outside the scenario library; \
         a file may only use files in its own folder (or below it) or in the bundled scenarios/ \
         library (or the folder named by {LIBRARY_ENV}); run with --allow-any-include to lift this"
    )
}

/// The scenario library folders that exist: the repository's `scenarios/`
/// at build time and [`LIBRARY_ENV`], canonical.
pub(crate) fn library_roots() -> Vec<PathBuf> {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let extra = std::env::var_os(LIBRARY_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    std::iter::once(built).chain(extra).filter_map(|p| std::fs::canonicalize(p).ok()).collect()
}

/// `path` with `.` and `..` removed without asking the file system (`..` at
/// the root stays at the root, as the file system would have it).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_removes_dots_and_stops_at_the_root() {
        assert_eq!(lexical(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(lexical(Path::new("/a/../../../etc/hostname")), PathBuf::from("/etc/hostname"));
    }

    #[test]
    fn includes_stay_in_the_folder_or_the_library() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("a.toml"), "").unwrap();
        std::fs::write(dir.path().join("b.toml"), "").unwrap();
        let confined = LoadOptions::default();
        assert!(resolve(dir.path(), "sub/a.toml", confined).is_ok());
        assert!(resolve(dir.path(), "sub/../b.toml", confined).is_ok());
        assert_eq!(resolve(&sub, "../b.toml", confined), Err(Refused::Outside));
        assert_eq!(resolve(&sub, "/etc/passwd", confined), Err(Refused::Outside));
        // Outside and missing: the same answer as outside and present.
        assert_eq!(resolve(&sub, "../../no/such.toml", confined), Err(Refused::Outside));
        assert_eq!(resolve(&sub, "missing.toml", confined), Err(Refused::NotFound));
        let any = LoadOptions { allow_any_include: true };
        assert!(resolve(&sub, "../b.toml", any).is_ok());
        // The bundled library is allowed from anywhere.
        let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/nijmegen-city.toml");
        assert!(resolve(&sub, lib.to_str().unwrap(), confined).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_folder_is_outside() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("inner");
        std::fs::create_dir(&inner).unwrap();
        std::fs::write(dir.path().join("secret.toml"), "").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.toml"), inner.join("link.toml")).unwrap();
        assert_eq!(resolve(&inner, "link.toml", LoadOptions::default()), Err(Refused::Outside));
    }
}
