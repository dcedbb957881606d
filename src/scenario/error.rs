//! Errors in scenario files, written for the people who edit them by hand.
//!
//! Every error names the file, the 1-based line and column of the offending key
//! or value, the field path (`chain.ggz.transitions[0].matrix[2]`) and the
//! reason, including what would have been allowed. Validation collects all
//! errors of a file before reporting, so one `check` shows every problem.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What kind of problem an error is; lets callers (the CLI, tests) tell a
/// missing file from a typo in the TOML from a model that makes no sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file could not be read (missing, unreadable, not UTF-8, or an
    /// include outside the folders it may come from).
    Io,
    /// TOML syntax, a wrong type, an unknown or a missing key: reported by
    /// the TOML reader. A syntax error stops that file; after the others the
    /// file is read on, so its remaining errors are reported too.
    Syntax,
    /// A rule of the scenario format is broken (sums, domains, names, ages…).
    Semantic,
}

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The file the problem is in, as it was reached (see `SourceFile::path`).
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the file as a whole (it cannot be read).
    pub line: usize,
    /// 1-based, in characters (not bytes), as editors count; 0 with `line == 0`.
    pub column: usize,
    /// Field path, e.g. `chain.loneliness.transitions[0].matrix[2]`; may be empty.
    pub field: String,
    /// What is wrong, and what would have been allowed.
    pub reason: String,
    /// Read error, TOML error or broken rule.
    pub kind: ErrorKind,
}

impl ScenarioError {
    /// An error at byte offset `span.start` of `text` (the file's contents).
    pub(crate) fn at(
        file: &Path,
        text: &str,
        span: Range<usize>,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(text, span.start);
        ScenarioError {
            file: file.to_path_buf(),
            line,
            column,
            field: field.into(),
            reason: reason.into(),
            kind: ErrorKind::Semantic,
        }
    }

    /// A file that cannot be read at all.
    pub(crate) fn io(file: &Path, reason: impl Into<String>) -> Self {
        ScenarioError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            field: String::new(),
            reason: reason.into(),
            kind: ErrorKind::Io,
        }
    }

    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for ScenarioError {}

/// All problems found; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl ScenarioErrors {
    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are none (never, for an error that was returned).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The problems in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, ScenarioError> {
        self.0.iter()
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

impl From<ScenarioError> for ScenarioErrors {
    fn from(e: ScenarioError) -> Self {
        ScenarioErrors(vec![e])
    }
}

impl IntoIterator for ScenarioErrors {
    type Item = ScenarioError;
    type IntoIter = std::vec::IntoIter<ScenarioError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Something in a valid scenario that needs an argument (a deadweight on top
/// of a simulated nulalternatief): reported by `check` and `run` on stderr,
/// never a reason to stop. Placed like a [`ScenarioError`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationWarning {
    /// The file the value is in, as it was reached.
    pub file: PathBuf,
    /// 1-based line of the value.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Field path, e.g. `scenario.wijkaanpak.sroi.deadweight`.
    pub field: String,
    /// What to consider, in the words of the people who edit scenarios.
    pub message: String,
}

impl From<ScenarioError> for ValidationWarning {
    fn from(e: ScenarioError) -> Self {
        ValidationWarning { file: e.file, line: e.line, column: e.column, field: e.field, message: e.reason }
    }
}

impl fmt::Display for ValidationWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}:{}:{}: {}: {}", self.file.display(), self.line, self.column, self.field, self.message)
    }
}

/// 1-based line and column (in characters) of byte offset `offset` in `text`.
/// Offsets past the end or inside a multi-byte character are clamped, never a panic.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let t = "ab\nc\u{e9}d\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 1), (1, 2));
        assert_eq!(line_col(t, 3), (2, 1));
        // 'd' comes after the two-byte é: byte 6, character column 3.
        assert_eq!(line_col(t, 6), (2, 3));
        // Inside é and past the end: clamped, no panic.
        assert_eq!(line_col(t, 5), (2, 2));
        assert_eq!(line_col(t, 100), (3, 1));
    }

    #[test]
    fn display_lists_every_error_on_its_own_line() {
        let a = ScenarioError::at(Path::new("a.toml"), "x = 1\ny = 2", 6..7, "y", "bad");
        let b = ScenarioError::io(Path::new("b.toml"), "file not found");
        let all = ScenarioErrors(vec![a, b]);
        assert_eq!(all.to_string(), "a.toml:2:1: y: bad\nb.toml: file not found");
    }
}
