//! Scenario files: TOML in, validated [`Model`] out.
//!
//! Loading has two phases, so that a policy advisor sees every mistake of a
//! file at once:
//!
//! 1. [`mod@file`]: each file is read into a [`ScenarioFile`] that mirrors the TOML
//!    one to one (serde, `deny_unknown_fields`, positions kept with
//!    [`toml::Spanned`]). A syntax error, a wrong type or an unknown key stops
//!    that file: what follows it cannot be trusted.
//! 2. validation (the private `validate` module): the files (main file first, then its includes, depth first)
//!    are merged and resolved into a [`Model`]: names become indices, age bands
//!    become per-age lookup tables, every uncertain number becomes a parameter
//!    slot. All semantic errors are collected, each with file, line, column and
//!    field path.
//!
//! The semantic contract (fields, defaults, domains, coverage rules) is
//! `spec-notes.md`; `scenarios/example-full.toml` uses every feature.

pub(crate) mod error;
pub mod file;
mod validate;

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::model::Model;
pub use error::{ErrorKind, ScenarioError, ScenarioErrors};
pub use file::ScenarioFile;

/// A file that went into a model, for the run manifest (which must let anyone
/// reproduce a figure: the hash pins the exact input).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The main file's path as given; an include's is the including file's
    /// directory joined with the `include` entry.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The file's contents, as validated.
    pub text: String,
}

/// A loaded scenario: the model and the files it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated model, ready to simulate.
    pub model: Model,
    /// The main file first, then its includes in the order they were merged.
    pub files: Vec<SourceFile>,
}

/// Read, merge and validate a scenario file and its includes.
pub fn load(path: &Path) -> Result<Loaded, ScenarioErrors> {
    let text = read(path).map_err(ScenarioErrors::from)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    loaded(parse_tree(path.to_path_buf(), key, base, text)?)
}

/// Validate parsed files into a model, keeping the files for the manifest.
fn loaded(parsed: Vec<Parsed>) -> Result<Loaded, ScenarioErrors> {
    let model = validate::validate(&parsed)?;
    let files = parsed
        .into_iter()
        .map(|p| SourceFile { sha256: sha256_hex(p.text.as_bytes()), path: p.path, text: p.text })
        .collect();
    Ok(Loaded { model, files })
}

/// Validate scenario text that is not (necessarily) a file; `name` is used as
/// the file name in errors. Includes are resolved relative to the current
/// directory. Meant for tests and tools.
pub fn load_str(name: &str, text: &str) -> Result<Model, ScenarioErrors> {
    let path = PathBuf::from(name);
    let parsed = parse_tree(path.clone(), path, PathBuf::new(), text.to_owned())?;
    validate::validate(&parsed)
}

/// Validate scenario text built by a tool rather than written by hand, as if
/// it were the file `path` (errors name it), with includes resolved relative
/// to `base`. Only a unit test of the claim check (which writes such text)
/// uses it, so it is compiled for the tests only.
#[cfg(test)]
pub(crate) fn load_text(path: &Path, base: &Path, text: String) -> Result<Loaded, ScenarioErrors> {
    loaded(parse_tree(path.to_path_buf(), path.to_path_buf(), base.to_path_buf(), text)?)
}

/// Validate a scenario built as data by a tool rather than written as text
/// (`wijkimpact claim` builds one from an application), as if it were the
/// file `path`, with includes resolved relative to `base`. `text` is what the
/// file's spans point into: errors are placed in it.
pub(crate) fn load_built(path: &Path, base: &Path, text: String, file: ScenarioFile) -> Result<Loaded, ScenarioErrors> {
    let mut st = Tree::new(path.to_path_buf());
    st.visit_file(path.to_path_buf(), path.to_path_buf(), base.to_path_buf(), text, file);
    loaded(st.finish()?)
}

/// Lowercase hex SHA-256 (kept here for the scenario API; see [`crate::hash`]).
pub use crate::hash::sha256_hex;

/// One parsed file with its text (needed to turn byte spans into lines).
#[derive(Debug)]
pub(crate) struct Parsed {
    pub path: PathBuf,
    pub text: String,
    pub file: ScenarioFile,
}

fn read(path: &Path) -> Result<String, ScenarioError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            ScenarioError::io(path, format!("file is not valid UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ScenarioError::io(path, "file not found")),
        Err(e) => Err(ScenarioError::io(path, format!("cannot read file: {e}"))),
    }
}

/// Parse the main file and, depth first, everything it includes. A file
/// reached twice without a cycle (two files include the same shared data) is
/// merged once: including shared data from several places is normal and must
/// not turn into "defined twice" errors.
fn parse_tree(path: PathBuf, key: PathBuf, base: PathBuf, text: String) -> Result<Vec<Parsed>, ScenarioErrors> {
    let mut st = Tree::new(key.clone());
    st.visit(path, key, base, text);
    st.finish()
}

struct Tree {
    out: Vec<Parsed>,
    errors: Vec<ScenarioError>,
    /// Canonical paths already merged.
    seen: HashSet<PathBuf>,
    /// (canonical path, display path) of the include chain being followed.
    stack: Vec<(PathBuf, PathBuf)>,
}

impl Tree {
    /// A tree whose main file has the canonical path `key`.
    fn new(key: PathBuf) -> Self {
        Tree { out: Vec::new(), errors: Vec::new(), seen: HashSet::from([key]), stack: Vec::new() }
    }

    fn finish(self) -> Result<Vec<Parsed>, ScenarioErrors> {
        if self.errors.is_empty() {
            Ok(self.out)
        } else {
            Err(ScenarioErrors(self.errors))
        }
    }

    fn visit(&mut self, path: PathBuf, key: PathBuf, base: PathBuf, text: String) {
        match ScenarioFile::parse(&text) {
            Ok(file) => self.visit_file(path, key, base, text, file),
            Err(e) => self.errors.push(syntax_error(&path, &text, &e)),
        }
    }

    /// A parsed file, then what it includes.
    fn visit_file(&mut self, path: PathBuf, key: PathBuf, base: PathBuf, text: String, file: ScenarioFile) {
        let includes: Vec<(String, Range<usize>)> =
            file.include.iter().map(|s| (s.get_ref().clone(), s.span())).collect();
        let me = self.out.len();
        self.out.push(Parsed { path: path.clone(), text, file });
        self.stack.push((key, path.clone()));
        for (rel, span) in includes {
            let inc_path = base.join(&rel);
            let at = |reason: String| ScenarioError::at(&path, &self.out[me].text, span.clone(), "include", reason);
            let inc_key = match std::fs::canonicalize(&inc_path) {
                Ok(k) => k,
                Err(_) => {
                    let e = at(format!(
                        "included file {} not found (paths are relative to the including file)",
                        inc_path.display()
                    ));
                    self.errors.push(e.with_kind(ErrorKind::Io));
                    continue;
                }
            };
            if let Some(pos) = self.stack.iter().position(|(k, _)| *k == inc_key) {
                let mut chain: Vec<String> = self.stack[pos..].iter().map(|(_, p)| p.display().to_string()).collect();
                chain.push(inc_path.display().to_string());
                let e = at(format!(
                    "include cycle: {}; a file may not include itself, directly or through others",
                    chain.join(" -> ")
                ));
                self.errors.push(e);
                continue;
            }
            if !self.seen.insert(inc_key.clone()) {
                continue;
            }
            match read(&inc_path) {
                Ok(t) => {
                    let inc_base = inc_path.parent().map(Path::to_path_buf).unwrap_or_default();
                    self.visit(inc_path, inc_key, inc_base, t);
                }
                Err(e) => {
                    let e = at(format!("cannot read included file {}: {}", inc_path.display(), e.reason));
                    self.errors.push(e.with_kind(ErrorKind::Io));
                }
            }
        }
        self.stack.pop();
    }
}

/// The source comment of the key starting at byte `key_start` of `text`: the
/// contiguous `#` lines directly above the key's line (stopping at a blank
/// line, a non-comment line or a section rule such as `# --- costs ---`,
/// which heads a group of keys rather than describing this one), then a
/// trailing `# …` comment on the key's own line. Each line loses its `#`
/// marks and surrounding spaces; the pieces are joined by single spaces.
/// `None` when there is no comment.
///
/// Scenario files document most parameters this way (the `note` field is
/// optional), so the report's assumptions table shows these comments.
pub(crate) fn source_comment(text: &str, key_start: usize) -> Option<String> {
    let key_start = key_start.min(text.len());
    if !text.is_char_boundary(key_start) {
        return None;
    }
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[key_start..].find('\n').map_or(text.len(), |i| key_start + i);
    let mut above = Vec::new();
    for line in text[..line_start].lines().rev() {
        let l = line.trim();
        let Some(c) = l.strip_prefix('#') else { break };
        let c = c.trim_start_matches('#').trim();
        if c.starts_with("---") || c.starts_with("===") {
            break;
        }
        above.push(c);
    }
    above.reverse();
    let mut parts: Vec<&str> = above.into_iter().filter(|c| !c.is_empty()).collect();
    if let Some(i) = trailing_comment_start(&text[key_start..line_end]) {
        let c = text[key_start + i..line_end].trim_start_matches('#').trim();
        if !c.is_empty() {
            parts.push(c);
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Byte offset of a `#` that starts a comment in one line of TOML (outside
/// basic `"…"` and literal `'…'` strings), if any. A line that opens a
/// multi-line string without closing it has no trailing comment.
fn trailing_comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => return Some(i),
            q @ (b'"' | b'\'') => {
                let triple = b.len() >= i + 3 && b[i + 1] == q && b[i + 2] == q;
                let close: &[u8] = if triple { &b[i..i + 3] } else { &b[i..i + 1] };
                let mut j = i + close.len();
                loop {
                    if j + close.len() > b.len() {
                        return None;
                    }
                    if q == b'"' && b[j] == b'\\' {
                        j += 2;
                        continue;
                    }
                    if &b[j..j + close.len()] == close {
                        break;
                    }
                    j += 1;
                }
                i = j + close.len();
            }
            _ => i += 1,
        }
    }
    None
}

/// Turn toml's error into ours. toml does not expose the key path of a type
/// error once it has the document text, so the field is recovered from the
/// text around the error position: the enclosing `[table]` header plus the key.
pub(crate) fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> ScenarioError {
    let span = e.span().unwrap_or(0..0);
    let field = field_at(text, span.start);
    let mut reason = e.message().trim().to_string();
    if let Some(rest) = reason.strip_prefix("unknown field") {
        reason = format!("unknown key{rest}");
    }
    if let Some(rest) = reason.strip_prefix("missing field") {
        reason = format!("missing required key{rest}");
    }
    // Rust type names mean nothing to the people editing scenarios.
    for (rust, plain) in [
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected a list [...]"),
        ("expected struct DistSpec", "expected a distribution table like { dist = \"beta\", mean = 0.2, sd = 0.05 }"),
    ] {
        reason = reason.replace(rust, plain);
    }
    if let Some(i) = reason.find("expected struct ") {
        reason.replace_range(i.., "expected a table { ... }");
    }
    ScenarioError::at(path, text, span, field, reason).with_kind(ErrorKind::Syntax)
}

/// Best-effort field path at byte `offset`: the last table header before it
/// and the key on its line (`model.horizon`, `chain.transitions.matrix`).
fn field_at(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut header = String::new();
    for line in before[..line_start].lines().rev() {
        let l = line.trim();
        if l.starts_with('[') {
            header = l.trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string();
            break;
        }
    }
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    if line.trim_start().starts_with('[') {
        // The error is about a whole table (a missing key): its own header names it.
        return line.trim().trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string();
    }
    let col = offset - line_start;
    // The key is the identifier right at the error (unknown key) or the last
    // `key =` before it on the same line.
    let ident = |s: &str| s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '"' || c == '.');
    let at_err: String = line[col..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
    let key = if !at_err.is_empty() && line[col + at_err.len()..].trim_start().starts_with('=') {
        Some(at_err)
    } else {
        line[..col].rfind('=').and_then(|eq| {
            let k = line[..eq].trim_end();
            let start = k.rfind(|c: char| c == '{' || c == ',' || c.is_whitespace()).map_or(0, |i| i + 1);
            let k = k[start..].trim();
            (!k.is_empty() && ident(k)).then(|| k.trim_matches('"').to_string())
        })
    };
    match (header.is_empty(), key) {
        (true, Some(k)) => k,
        (false, Some(k)) => format!("{header}.{k}"),
        (_, None) => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_at_finds_header_and_key() {
        let t = "[model]\nhorizon = \"ten\"\n[[chain]]\nx = { a = 1, bb = true }\n";
        let off = t.find("\"ten\"").unwrap();
        assert_eq!(field_at(t, off), "model.horizon");
        let off = t.find("true").unwrap();
        assert_eq!(field_at(t, off), "chain.bb");
        let off = t.find("x =").unwrap();
        assert_eq!(field_at(t, off), "chain.x");
        assert_eq!(field_at(t, 10_000), "chain");
        assert_eq!(field_at(t, t.find("[[chain]]").unwrap()), "chain");
    }

    #[test]
    fn source_comments_are_the_lines_above_and_the_trailing_comment() {
        let t = "[parameters]\n\
                 # --- costs ------\n\
                 # Wmo maatwerk: CBS 84580NED\n\
                 #   per client-year (derived).\n\
                 wmo = { dist = \"gamma\", mean = 4300, sd = 900, note = \"a # in a string\" } # trailing\n\
                 bare = 3\n\
                 \n\
                 # after a blank line\n\
                 quoted = { dist = \"normal\", mean = 0, sd = 1 }  #  only ' this\n\
                 #\n\
                 # spaced\n\
                 z = 1 # \n";
        let at = |k: &str| source_comment(t, t.find(&format!("\n{k} ")).unwrap() + 1);
        assert_eq!(at("wmo").as_deref(), Some("Wmo maatwerk: CBS 84580NED per client-year (derived). trailing"));
        assert_eq!(at("bare"), None);
        assert_eq!(at("quoted").as_deref(), Some("after a blank line only ' this"));
        assert_eq!(at("z").as_deref(), Some("spaced"));
        assert_eq!(trailing_comment_start("a = \"x\\\"#\" # c"), Some(11));
        assert_eq!(trailing_comment_start("a = \"\"\"open # not a comment"), None);
        assert_eq!(trailing_comment_start("a = 'lit#eral' #c"), Some(15));
        assert_eq!(source_comment(t, 10_000), None);
    }
}
