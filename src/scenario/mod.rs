//! Scenario files: TOML in, validated [`Model`] out.
//!
//! Loading has two phases, so that a policy advisor sees every mistake of a
//! file at once:
//!
//! 1. [`mod@file`]: each file is read into a [`ScenarioFile`] that mirrors the TOML
//!    one to one (serde, `deny_unknown_fields`, positions kept with
//!    [`toml::Spanned`]). An unknown key, a wrong type or a missing key is
//!    recorded and the file read on past it (the private `recover` module);
//!    only a TOML syntax error stops a file. Includes are followed depth
//!    first, and must stay inside the folder of the file that names them or
//!    the bundled scenario library unless [`LoadOptions::allow_any_include`]
//!    is set (the private `confine` module).
//! 2. validation (the private `validate` module): the files (main file first, then its includes, depth first)
//!    are merged and resolved into a [`Model`]: names become indices, age bands
//!    become per-age lookup tables, every uncertain number becomes a parameter
//!    slot. All semantic errors are collected, each with file, line, column and
//!    field path.
//!
//! The errors of both phases come in one report, sorted by file and position.
//! The semantic contract (fields, defaults, domains, coverage rules) is
//! `spec-notes.md`; `scenarios/example-full.toml` uses every feature.

mod confine;
pub(crate) mod error;
pub mod file;
pub(crate) mod recover;
mod tree;
mod validate;

use std::path::{Path, PathBuf};

use crate::model::Model;
pub use confine::{LoadOptions, LIBRARY_ENV};
pub use error::{ErrorKind, ScenarioError, ScenarioErrors, ValidationWarning};
pub use file::ScenarioFile;
use tree::Tree;
pub(crate) use tree::{read, Parsed};

/// Largest amount of money a scenario may name, in euros (a thousand
/// billion, far above any municipal figure): a cost, a social value. A
/// larger one is an error, as is a distribution reaching beyond it.
pub const MAX_AMOUNT: f64 = 1e12;

/// Largest number of people a scenario may name: a population band,
/// participants per year, net migration per year.
pub const MAX_PEOPLE: f64 = 1e9;

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
    /// The main file first, then its includes in the order they were
    /// merged, then the data files they name (life tables): every input
    /// the run's numbers depend on, as the manifest lists them.
    pub files: Vec<SourceFile>,
}

/// Read, merge and validate a scenario file and its includes, with includes
/// confined to the including file's folder and the scenario library.
pub fn load(path: &Path) -> Result<Loaded, ScenarioErrors> {
    load_with(path, LoadOptions::default())
}

/// [`load`] with explicit options.
pub fn load_with(path: &Path, opts: LoadOptions) -> Result<Loaded, ScenarioErrors> {
    let text = read(path).map_err(ScenarioErrors::from)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut tree = Tree::new(key.clone(), opts);
    tree.visit(path.to_path_buf(), key, base, text);
    tree.finish()
}

/// Validate scenario text that is not (necessarily) a file; `name` is used as
/// the file name in errors. Includes are resolved relative to the current
/// directory (and confined to it and the scenario library). Meant for tests
/// and tools.
pub fn load_str(name: &str, text: &str) -> Result<Model, ScenarioErrors> {
    let path = PathBuf::from(name);
    let mut tree = Tree::new(path.clone(), LoadOptions::default());
    tree.visit(path.clone(), path, PathBuf::new(), text.to_owned());
    tree.finish().map(|l| l.model)
}

/// Validate scenario text built by a tool rather than written by hand, as if
/// it were the file `path` (errors name it), with includes resolved relative
/// to `base`. Only a unit test of the claim check (which writes such text)
/// uses it, so it is compiled for the tests only.
#[cfg(test)]
pub(crate) fn load_text(path: &Path, base: &Path, text: String) -> Result<Loaded, ScenarioErrors> {
    let mut tree = Tree::new(path.to_path_buf(), LoadOptions::default());
    tree.visit(path.to_path_buf(), path.to_path_buf(), base.to_path_buf(), text);
    tree.finish()
}

/// Validate a scenario built as data by a tool rather than written as text
/// (`wijkimpact claim` builds one from an application), as if it were the
/// file `path`, with includes resolved relative to `base`. `text` is what the
/// file's spans point into: errors are placed in it.
pub(crate) fn load_built(
    path: &Path,
    base: &Path,
    text: String,
    file: ScenarioFile,
    opts: LoadOptions,
) -> Result<Loaded, ScenarioErrors> {
    let mut tree = Tree::new(path.to_path_buf(), opts);
    tree.visit_parsed(path.to_path_buf(), base.to_path_buf(), Parsed::clean(path.to_path_buf(), text, file));
    tree.finish()
}

/// Whether `rel`, named by a file in the folder `base`, may be read under
/// `opts` (see [`load_with`]); the reason to give when not. For references
/// other than includes, e.g. an application's city description.
pub(crate) fn check_reference(base: &Path, rel: &str, what: &str, opts: LoadOptions) -> Result<(), String> {
    match confine::resolve(base, rel, opts) {
        Err(confine::Refused::Outside) => Err(confine::outside_reason(what, rel)),
        _ => Ok(()),
    }
}

/// Lowercase hex SHA-256 (kept here for the scenario API; see [`crate::hash`]).
pub use crate::hash::sha256_hex;

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

/// A file of one of the other hand-written formats (an application, a
/// portfolio) read as `T`, every key and type error collected: the file as
/// written, the value read from its repaired text (the spans point into
/// `text`; `edits` maps them back) and the errors found so far.
pub(crate) struct Recovering<T> {
    pub written: String,
    pub value: T,
    pub text: String,
    pub edits: recover::Edits,
    pub key_errors: Vec<ScenarioError>,
}

/// Read `path` as `T` (see [`Recovering`]); `Err` with every error when
/// nothing could be read.
pub(crate) fn read_recovering<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Recovering<T>, ScenarioErrors> {
    let written = read(path).map_err(ScenarioErrors::from)?;
    let rec = recover::parse::<T>(&written).map_err(|e| ScenarioErrors(vec![syntax_error(path, &written, &e)]))?;
    let mut key_errors: Vec<ScenarioError> =
        rec.errors.iter().map(|e| toml_error(path, &written, e.offset, &e.message)).collect();
    let Some(value) = rec.value else {
        key_errors.sort_by_key(|e| (e.line, e.column));
        return Err(ScenarioErrors(key_errors));
    };
    Ok(Recovering { written, value, text: rec.text, edits: rec.edits, key_errors })
}

/// Turn toml's error into ours. toml does not expose the key path of a type
/// error once it has the document text, so the field is recovered from the
/// text around the error position: the enclosing `[table]` header plus the key.
pub(crate) fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> ScenarioError {
    toml_error(path, text, e.span().map_or(0, |s| s.start), e.message())
}

/// A key or type error with toml's `message` at byte `offset` of `text`, in
/// the words of the people who edit scenarios.
pub(crate) fn toml_error(path: &Path, text: &str, offset: usize, message: &str) -> ScenarioError {
    let field = field_at(text, offset);
    let mut reason = message.trim().to_string();
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
    ScenarioError::at(path, text, offset..offset, field, reason).with_kind(ErrorKind::Syntax)
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
