//! Reading a scenario file and, depth first, everything it includes; then
//! validating the merged files. Every problem of every file is collected and
//! reported together, sorted by file (in the order reached) and position.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::confine::{self, LoadOptions, Refused};
use super::error::{line_col, ErrorKind, ScenarioError, ScenarioErrors};
use super::file::{SString, ScenarioFile};
use super::recover::{self, Edits};
use super::{sha256_hex, syntax_error, toml_error, validate, Loaded, SourceFile};
use crate::model::Model;

/// One file read (main file or include), with the text its spans point into.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The file's path as reached (see [`SourceFile::path`]).
    pub path: PathBuf,
    /// The text the spans of `file` point into: the file as written, or its
    /// repaired copy when it has key or type errors.
    pub text: String,
    /// The file as read.
    pub file: ScenarioFile,
    /// The file as written and how `text` differs from it, when it was repaired.
    pub repaired: Option<(String, Edits)>,
}

impl Parsed {
    /// A file read without errors (or built as data): `text` is as written.
    pub(crate) fn clean(path: PathBuf, text: String, file: ScenarioFile) -> Self {
        Parsed { path, text, file, repaired: None }
    }

    /// The file as written.
    pub(crate) fn written(&self) -> &str {
        self.repaired.as_ref().map_or(&self.text, |(w, _)| w)
    }

    /// The problem `reason` with `field` at `span` of `text`, placed in the
    /// file as written; `None` when it is about a placeholder put in by the
    /// repair (a consequence of a key or type error already reported).
    pub(crate) fn error(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> Option<ScenarioError> {
        let field = field.into();
        let at = match &self.repaired {
            None => span.start,
            Some((_, edits)) if edits.about_placeholder(&span, &field) => return None,
            Some((_, edits)) => edits.original(span.start),
        };
        Some(ScenarioError::at(&self.path, self.written(), at..at, field, reason))
    }

    /// 1-based line and column in the file as written of `offset` in `text`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let at = match &self.repaired {
            None => offset,
            Some((_, edits)) => edits.original(offset),
        };
        line_col(self.written(), at)
    }
}

/// A file's bytes as text; a file that is not UTF-8 is reported at the first
/// byte that is not, by line and column like every other error.
pub(crate) fn read(path: &Path) -> Result<String, ScenarioError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
            let (line, column) = line_col(prefix, valid);
            ScenarioError {
                line,
                column,
                ..ScenarioError::io(
                    path,
                    "the file is not UTF-8 text (the first byte that is not is here); save it with UTF-8 encoding",
                )
            }
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ScenarioError::io(path, "file not found")),
        Err(e) => Err(ScenarioError::io(path, format!("cannot read file: {e}"))),
    }
}

/// The main file and everything it includes, as far as read.
pub(crate) struct Tree {
    out: Vec<Parsed>,
    errors: Vec<ScenarioError>,
    /// Every file reached was read and every include followed, so the merged
    /// files can be validated (otherwise validation would only report what
    /// the missing parts define).
    complete: bool,
    /// Display paths in the order reached: errors are sorted by it.
    order: Vec<PathBuf>,
    /// Canonical paths already merged.
    seen: HashSet<PathBuf>,
    /// (canonical path, display path) of the include chain being followed.
    stack: Vec<(PathBuf, PathBuf)>,
    opts: LoadOptions,
}

impl Tree {
    /// A tree whose main file has the canonical path `key`.
    pub(crate) fn new(key: PathBuf, opts: LoadOptions) -> Self {
        Tree {
            out: Vec::new(),
            errors: Vec::new(),
            complete: true,
            order: Vec::new(),
            seen: HashSet::from([key]),
            stack: Vec::new(),
            opts,
        }
    }

    /// Validate the merged files into a model, or report every error found,
    /// sorted by file and position.
    pub(crate) fn finish(mut self) -> Result<Loaded, ScenarioErrors> {
        let mut model: Option<Model> = None;
        let mut data_files = Vec::new();
        if self.complete {
            match validate::validate(&self.out, self.opts) {
                Ok((m, data)) => {
                    model = Some(m);
                    data_files = data;
                }
                Err(e) => self.errors.extend(e),
            }
        }
        match model {
            Some(model) if self.errors.is_empty() => {
                let files = self
                    .out
                    .into_iter()
                    .map(|p| SourceFile { sha256: sha256_hex(p.text.as_bytes()), path: p.path, text: p.text })
                    .chain(data_files)
                    .collect();
                Ok(Loaded { model, files })
            }
            _ => {
                let rank = |f: &Path| self.order.iter().position(|p| p == f).unwrap_or(self.order.len());
                self.errors.sort_by_key(|e| (rank(&e.file), e.line, e.column));
                Err(ScenarioErrors(self.errors))
            }
        }
    }

    /// Read `written` (the file at `path`, canonical `key`) past its key and
    /// type errors, then what it includes.
    pub(crate) fn visit(&mut self, path: PathBuf, key: PathBuf, base: PathBuf, written: String) {
        self.order.push(path.clone());
        let rec = match recover::parse::<ScenarioFile>(&written) {
            Ok(rec) => rec,
            Err(e) => {
                self.errors.push(syntax_error(&path, &written, &e));
                self.complete = false;
                return;
            }
        };
        for e in &rec.errors {
            self.errors.push(toml_error(&path, &written, e.offset, &e.message));
        }
        let file = match rec.value {
            Some(file) => file,
            None => {
                // Beyond repair: follow its includes still, to report their errors too.
                self.complete = false;
                ScenarioFile { include: includes_of(&rec.text), ..ScenarioFile::default() }
            }
        };
        let repaired = (!rec.edits.is_empty()).then_some((written, rec.edits));
        let parsed = match repaired {
            Some(r) => Parsed { path, text: rec.text, file, repaired: Some(r) },
            None => Parsed::clean(path, rec.text, file),
        };
        self.visit_parsed(key, base, parsed);
    }

    /// A file already read (`key` its canonical path, `base` the folder its
    /// includes are relative to), then what it includes.
    pub(crate) fn visit_parsed(&mut self, key: PathBuf, base: PathBuf, parsed: Parsed) {
        if self.order.last() != Some(&parsed.path) {
            self.order.push(parsed.path.clone());
        }
        let includes: Vec<(String, Range<usize>)> =
            parsed.file.include.iter().map(|s| (s.get_ref().clone(), s.span())).collect();
        let me = self.out.len();
        let path = parsed.path.clone();
        self.out.push(parsed);
        self.stack.push((key, path));
        for (i, (rel, span)) in includes.into_iter().enumerate() {
            if let Some((inc_path, inc_key)) = self.include(me, &base, i, &rel, span.clone()) {
                match read(&inc_path) {
                    Ok(t) => {
                        let inc_base = inc_path.parent().map(Path::to_path_buf).unwrap_or_default();
                        self.visit(inc_path, inc_key, inc_base, t);
                    }
                    // Not UTF-8: placed in the included file itself.
                    Err(e) if e.line > 0 => {
                        self.errors.push(e);
                        self.complete = false;
                    }
                    Err(e) => {
                        let reason = format!("cannot read included file {}: {}", inc_path.display(), e.reason);
                        self.include_error(me, i, span, reason);
                    }
                }
            }
        }
        self.stack.pop();
    }

    /// Where include `i` (`rel`, at `span` of file `me`) leads, if it is to
    /// be read now: allowed, found, no cycle, not merged before.
    fn include(
        &mut self,
        me: usize,
        base: &Path,
        i: usize,
        rel: &str,
        span: Range<usize>,
    ) -> Option<(PathBuf, PathBuf)> {
        let inc_path = base.join(rel);
        let inc_key = match confine::resolve(base, rel, self.opts) {
            Ok(k) => k,
            Err(Refused::NotFound) => {
                let reason = format!(
                    "included file {} not found (paths are relative to the including file)",
                    inc_path.display()
                );
                self.include_error(me, i, span, reason);
                return None;
            }
            Err(Refused::Outside) => {
                self.include_error(me, i, span, confine::outside_reason("include", rel));
                return None;
            }
        };
        if let Some(pos) = self.stack.iter().position(|(k, _)| *k == inc_key) {
            let mut chain: Vec<String> = self.stack[pos..].iter().map(|(_, p)| p.display().to_string()).collect();
            chain.push(inc_path.display().to_string());
            let reason = format!(
                "include cycle: {}; a file may not include itself, directly or through others",
                chain.join(" -> ")
            );
            if let Some(e) = self.out[me].error(span, format!("include[{i}]"), reason) {
                self.errors.push(e);
            }
            self.complete = false;
            return None;
        }
        if !self.seen.insert(inc_key.clone()) {
            return None;
        }
        Some((inc_path, inc_key))
    }

    /// Include `i` of file `me` cannot be followed: an error at it.
    fn include_error(&mut self, me: usize, i: usize, span: Range<usize>, reason: String) {
        if let Some(e) = self.out[me].error(span, format!("include[{i}]"), reason) {
            self.errors.push(e.with_kind(ErrorKind::Io));
        }
        self.complete = false;
    }
}

/// The `include` list of a text that could not be read as a scenario file
/// (empty if even that cannot be read).
fn includes_of(text: &str) -> Vec<SString> {
    #[derive(serde::Deserialize)]
    struct Includes {
        #[serde(default)]
        include: Vec<SString>,
    }
    toml::from_str::<Includes>(text).map(|i| i.include).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_is_placed_by_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.toml");
        // Line 3; the two bytes of "é" are one column, so the bad byte is in column 3.
        std::fs::write(&p, b"a = 1\nb = 2\n\xc3\xa9b\xff = 3\n").unwrap();
        let e = read(&p).unwrap_err();
        assert_eq!((e.line, e.column, e.kind), (3, 3, ErrorKind::Io), "{e}");
        assert!(e.to_string().starts_with(&format!("{}:3:3: ", p.display())), "{e}");
    }
}
