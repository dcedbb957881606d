//! A run directory whose files appear only when the run is complete.
//!
//! Every file is written under a temporary name in the same directory
//! (`.draws.csv.tmp`) and renamed to its final name by [`RunDir::finish`].
//! A rename within one directory is atomic, so an interrupted run never leaves
//! a half-written file that looks complete, and with `force` the results of an
//! earlier run stay in place until the new ones are all written. The files are
//! renamed in the order they were created, and `manifest.json` should be
//! created last: its presence marks a complete run.
//!
//! While a [`RunDir`] lives it holds an exclusive lock on a hidden lock file in
//! the directory ([`LOCK_NAME`]), so a second run into the same directory is
//! refused ([`OutputError::InUse`]) instead of mixing its files with the
//! first's. Holding the lock also proves that any other temporary file in the
//! directory is a leftover of a run that was killed (which could not clean up
//! after itself): those are removed when the directory is opened. Where the
//! file system cannot lock, leftovers are left alone; they are hidden and never
//! read as results, since every reader opens only final names.

use super::OutputError;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output directory being written.
#[derive(Debug)]
pub struct RunDir {
    dir: PathBuf,
    /// Final names of the files created so far, in creation order.
    pending: Vec<String>,
    finished: bool,
    /// The locked [`LOCK_NAME`] file; `None` where the file system cannot lock.
    lock: Option<File>,
    /// Temporary files of killed runs removed when the directory was opened.
    removed: usize,
}

/// The hidden lock file a run holds while it writes into a directory (a
/// temporary name, so it never makes the directory look occupied).
pub const LOCK_NAME: &str = ".wijkimpact.lock.tmp";

/// True for the names of our temporary files (`.NAME.tmp`): never results,
/// and when no run is writing, leftovers of an interrupted one.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

impl RunDir {
    /// Create (or reuse) `dir`. A directory that already holds anything but
    /// leftover temporary files is refused unless `force` is set, so results
    /// are never overwritten by accident.
    pub fn create(dir: &Path, force: bool) -> Result<Self, OutputError> {
        let io = |e| OutputError::io(dir, e);
        if dir.exists() {
            if !dir.is_dir() {
                return Err(OutputError::NotADirectory(dir.to_path_buf()));
            }
            if !force {
                let occupied = fs::read_dir(dir).map_err(io)?.any(|e| match e {
                    Ok(e) => !is_temp_name(&e.file_name().to_string_lossy()),
                    Err(_) => true,
                });
                if occupied {
                    return Err(OutputError::NotEmpty(dir.to_path_buf()));
                }
            }
        } else {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let lock = lock(dir)?;
        let removed = if lock.is_some() { remove_leftovers(dir) } else { 0 };
        Ok(RunDir { dir: dir.to_path_buf(), pending: vec![], finished: false, lock, removed })
    }

    /// How many temporary files left by an interrupted run were removed when
    /// the directory was opened.
    pub fn leftovers_removed(&self) -> usize {
        self.removed
    }

    /// The run directory's path.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Where `name` is written until [`RunDir::finish`].
    pub(crate) fn temp_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.tmp"))
    }

    /// Open `name` for writing (under its temporary name). The caller must
    /// flush the writer before [`RunDir::finish`]; [`finish_writer`] does that.
    pub(crate) fn create_file(&mut self, name: &str) -> Result<BufWriter<File>, OutputError> {
        if name.contains('/') || name.contains('\\') || name.starts_with('.') || self.pending.iter().any(|n| n == name)
        {
            return Err(OutputError::BadName(name.to_string()));
        }
        let tmp = self.temp_path(name);
        let f = File::create(&tmp).map_err(|e| OutputError::io(&tmp, e))?;
        self.pending.push(name.to_string());
        Ok(BufWriter::with_capacity(1 << 16, f))
    }

    /// Write a whole file at once.
    pub fn write_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut w = self.create_file(name)?;
        w.write_all(bytes).map_err(|e| OutputError::io(&self.temp_path(name), e))?;
        finish_writer(w, &self.temp_path(name))
    }

    /// Rename every temporary file to its final name, in creation order.
    /// Returns the final paths.
    pub fn finish(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let mut out = vec![];
        for name in &self.pending {
            let (tmp, fin) = (self.temp_path(name), self.dir.join(name));
            fs::rename(&tmp, &fin).map_err(|e| OutputError::io(&fin, e))?;
            out.push(fin);
        }
        self.finished = true;
        Ok(out)
    }
}

impl Drop for RunDir {
    /// A run that failed or was abandoned removes its temporary files (best
    /// effort: a killed process leaves them, and the next run into the
    /// directory removes them). The lock file goes in every case.
    fn drop(&mut self) {
        if !self.finished {
            for name in &self.pending {
                let _ = fs::remove_file(self.temp_path(name));
            }
        }
        if self.lock.take().is_some() {
            let _ = fs::remove_file(self.dir.join(LOCK_NAME));
        }
    }
}

/// Take the exclusive lock of `dir`. `Ok(None)` where the file system cannot
/// lock; [`OutputError::InUse`] while another process holds it.
fn lock(dir: &Path) -> Result<Option<File>, OutputError> {
    let path = dir.join(LOCK_NAME);
    // A holder that finishes removes the file: if it did so between our open
    // and our lock, we hold a lock on a removed file, so open it again.
    for _ in 0..3 {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| OutputError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(OutputError::InUse(dir.to_path_buf())),
            Err(TryLockError::Error(_)) => return Ok(None),
        }
        if same_file(&file, &path) {
            return Ok(Some(file));
        }
    }
    Ok(None)
}

/// True when `path` still names the open file `f`.
#[cfg(unix)]
fn same_file(f: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// True when `path` still names the open file `f`.
#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.is_file()
}

/// Remove the temporary files of killed runs from `dir` (only files with our
/// temporary names, never the lock file); returns how many went.
fn remove_leftovers(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_file = e.file_type().is_ok_and(|t| t.is_file());
        if is_file && is_temp_name(&name) && name != LOCK_NAME && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Flush a writer from [`RunDir::create_file`] and sync it to disk, so the
/// rename in `finish` publishes complete contents.
pub(crate) fn finish_writer(w: BufWriter<File>, path: &Path) -> Result<(), OutputError> {
    let f = w.into_inner().map_err(|e| OutputError::io(path, e.into_error()))?;
    f.sync_all().map_err(|e| OutputError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn files_appear_only_at_finish() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("out");
        let mut rd = RunDir::create(&dir, false).unwrap();
        rd.write_file("a.json", b"{}").unwrap();
        assert_eq!(names(&dir), vec![".a.json.tmp", LOCK_NAME]);
        rd.finish().unwrap();
        assert_eq!(names(&dir), vec!["a.json"]);
    }

    #[test]
    fn non_empty_dir_needs_force_and_old_files_survive_until_finish() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        fs::write(dir.join("a.json"), "old").unwrap();
        assert!(matches!(RunDir::create(dir, false), Err(OutputError::NotEmpty(_))));
        let mut rd = RunDir::create(dir, true).unwrap();
        rd.write_file("a.json", b"new").unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), "old");
        rd.finish().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), "new");
    }

    #[test]
    fn abandoned_run_leaves_nothing_and_leftover_temp_files_do_not_block() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        {
            let mut rd = RunDir::create(dir, false).unwrap();
            rd.write_file("a.json", b"{}").unwrap();
        }
        assert!(names(dir).is_empty());
        fs::write(dir.join(".b.csv.tmp"), "partial").unwrap();
        assert!(RunDir::create(dir, false).is_ok());
    }

    /// A killed run leaves its temporary files (and its lock file, unlocked);
    /// the next run into the directory removes them, keeps other files, and
    /// leaves only its own results.
    #[test]
    fn leftover_temp_files_of_a_killed_run_are_removed_by_the_next_run() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        fs::write(dir.join(".draws.csv.tmp"), "draw,scenario\n0,a").unwrap();
        fs::write(dir.join(".manifest.json.tmp"), "{").unwrap();
        fs::write(dir.join(LOCK_NAME), "").unwrap();
        fs::create_dir(dir.join(".not-ours.tmp")).unwrap();
        let mut rd = RunDir::create(dir, false).unwrap();
        assert_eq!(rd.leftovers_removed(), 2);
        rd.write_file("a.json", b"{}").unwrap();
        rd.finish().unwrap();
        assert_eq!(names(dir), vec![".not-ours.tmp", "a.json"]);
    }

    /// Two runs into one directory at once would mix their files: the second
    /// is refused while the first holds the directory, and may go once it is done.
    #[test]
    fn a_second_run_into_a_directory_being_written_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let mut first = RunDir::create(t.path(), false).unwrap();
        first.write_file("a.json", b"{}").unwrap();
        assert!(matches!(RunDir::create(t.path(), true), Err(OutputError::InUse(_))));
        assert!(t.path().join(".a.json.tmp").exists(), "the refused run must not touch the first run's files");
        first.finish().unwrap();
        assert!(RunDir::create(t.path(), true).is_ok());
    }

    #[test]
    fn rejects_path_like_names() {
        let t = tempfile::tempdir().unwrap();
        let mut rd = RunDir::create(t.path(), false).unwrap();
        assert!(rd.create_file("../x").is_err());
        assert!(rd.create_file(".hidden").is_err());
        rd.create_file("x").unwrap();
        assert!(rd.create_file("x").is_err());
    }
}
