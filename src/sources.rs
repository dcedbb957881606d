//! The project's sources (*bronnen*): the entries of `docs/sources.md`, read at
//! compile time, and the citation keys that scenario files and notes use to
//! cite them (`[CBS-85984NED]`).
//!
//! A page that shows a source note calls [`split_citations`] and renders each
//! [`Piece::Cite`] as the source's [`Source::short_citation`], linked to
//! [`Source::url`] where the entry gives one. A key that is not defined stays
//! as written (`tests/self_contained.rs` keeps the bundled files free of
//! those).

use std::sync::OnceLock;

/// The sources page, compiled into the crate.
const SOURCES_MD: &str = include_str!("../docs/sources.md");

/// One entry of `docs/sources.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The stable key, e.g. `CBS-85984NED`.
    pub key: String,
    /// Who published it (CBS, Gemeente Nijmegen, ...).
    pub publisher: String,
    /// The title as published.
    pub title: String,
    /// The table, chapter or page used.
    pub table: String,
    /// Year of publication (may carry a date or "c.").
    pub year: String,
    /// The `Link:` field: a URL, or how to find a source without one.
    pub link: String,
    /// What the project takes from it.
    pub used_for: String,
    /// Whether figures are derived, secondary or unverified, when the entry says so.
    pub status: Option<String>,
}

impl Source {
    /// Publisher, title and year: the citation a page shows for the key.
    pub fn short_citation(&self) -> String {
        format!("{}, {}, {}", self.publisher, self.title, self.year)
    }

    /// The link, when the entry's `Link:` field starts with a URL.
    pub fn url(&self) -> Option<&str> {
        let first = self.link.split_whitespace().next()?;
        (first.starts_with("https://") || first.starts_with("http://")).then_some(first)
    }
}

/// A malformed `docs/sources.md` (only the tests and tools see this: the
/// bundled page is checked by a unit test).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourcesError {
    /// A `### ` entry heading that is not a well-formed key.
    #[error("docs/sources.md line {line}: entry heading {heading:?} is not a key (e.g. CBS-85984NED)")]
    BadKey {
        /// 1-based line number.
        line: usize,
        /// The heading text.
        heading: String,
    },
    /// The same key defined twice.
    #[error("docs/sources.md line {line}: key {key} is defined twice")]
    Duplicate {
        /// 1-based line number of the second definition.
        line: usize,
        /// The key.
        key: String,
    },
    /// An entry without one of its required fields.
    #[error("docs/sources.md line {line}: entry {key} has no `{field}` field")]
    MissingField {
        /// 1-based line number of the entry heading.
        line: usize,
        /// The key.
        key: String,
        /// The missing field's name.
        field: &'static str,
    },
}

/// Whether `s` is a citation key: two or more parts of upper-case ASCII
/// letters and digits joined by `-`, the first starting with a letter.
pub fn is_key(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts.next().is_some_and(|p| p.starts_with(|c: char| c.is_ascii_uppercase()) && part_ok(p));
    let mut rest = 0;
    for p in parts {
        if !part_ok(p) {
            return false;
        }
        rest += 1;
    }
    first_ok && rest > 0
}

fn part_ok(p: &str) -> bool {
    !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// An entry being read: heading line, fields so far, key.
type Pending = Option<(usize, Vec<(String, String)>, String)>;

/// Parse the text of a sources page: entries are `### KEY` headings followed
/// by `- **Field:** value` lines.
pub fn parse(text: &str) -> Result<Vec<Source>, SourcesError> {
    let mut out: Vec<(usize, Source)> = vec![];
    let mut current: Pending = None;
    let finish = |c: Pending, out: &mut Vec<(usize, Source)>| {
        c.map(|(line, fields, key)| build(line, key, &fields).map(|s| out.push((line, s)))).transpose()
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if let Some(heading) = line.strip_prefix("### ") {
            finish(current.take(), &mut out)?;
            let heading = heading.trim();
            if !is_key(heading) {
                return Err(SourcesError::BadKey { line: i + 1, heading: heading.to_string() });
            }
            if out.iter().any(|(_, s)| s.key == heading) {
                return Err(SourcesError::Duplicate { line: i + 1, key: heading.to_string() });
            }
            current = Some((i + 1, vec![], heading.to_string()));
        } else if line.starts_with("## ") || line.starts_with("# ") {
            finish(current.take(), &mut out)?;
        } else if let (Some((_, fields, _)), Some(rest)) = (current.as_mut(), line.strip_prefix("- **")) {
            if let Some((name, value)) = rest.split_once(":**") {
                fields.push((name.to_string(), value.trim().to_string()));
            }
        }
    }
    finish(current.take(), &mut out)?;
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

fn build(line: usize, key: String, fields: &[(String, String)]) -> Result<Source, SourcesError> {
    let get = |field: &'static str| fields.iter().find(|(n, _)| n == field).map(|(_, v)| v.clone());
    let need = |field: &'static str| {
        get(field).filter(|v| !v.is_empty()).ok_or_else(|| SourcesError::MissingField { line, key: key.clone(), field })
    };
    Ok(Source {
        publisher: need("Publisher")?,
        title: need("Title")?,
        table: need("Table or page")?,
        year: need("Year")?,
        link: need("Link")?,
        used_for: need("Used for")?,
        status: get("Status"),
        key,
    })
}

/// Every source of the bundled `docs/sources.md`, in page order (empty if the
/// page did not parse, which the crate's tests rule out).
pub fn all() -> &'static [Source] {
    static ALL: OnceLock<Vec<Source>> = OnceLock::new();
    ALL.get_or_init(|| parse(SOURCES_MD).unwrap_or_default())
}

/// The bundled source with this key.
pub fn get(key: &str) -> Option<&'static Source> {
    all().iter().find(|s| s.key == key)
}

/// A stretch of a source note: plain text, or a citation of a defined source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as written (including a bracketed key that is not defined).
    Text(&'a str),
    /// `[KEY]` of a source defined in `docs/sources.md`.
    Cite(&'static Source),
}

/// Split a note into text and citations of defined sources, in order.
pub fn split_citations(note: &str) -> Vec<Piece<'_>> {
    let mut out = vec![];
    let mut text_start = 0;
    let mut at = 0;
    while let Some(open) = note[at..].find('[').map(|i| at + i) {
        let Some(close) = note[open..].find(']').map(|i| open + i) else { break };
        match get(&note[open + 1..close]) {
            Some(s) => {
                if open > text_start {
                    out.push(Piece::Text(&note[text_start..open]));
                }
                out.push(Piece::Cite(s));
                text_start = close + 1;
                at = close + 1;
            }
            None => at = open + 1,
        }
    }
    if text_start < note.len() {
        out.push(Piece::Text(&note[text_start..]));
    }
    out
}

/// Every well-formed `[KEY]` in a line of text, with its byte offset (defined
/// or not; `tests/self_contained.rs` checks them against the page).
pub fn cited_keys(line: &str) -> Vec<(usize, &str)> {
    let mut out = vec![];
    let mut at = 0;
    while let Some(open) = line[at..].find('[').map(|i| at + i) {
        let Some(close) = line[open + 1..].find([']', '[']).map(|i| open + 1 + i) else { break };
        let inner = &line[open + 1..close];
        if line.as_bytes()[close] == b']' && is_key(inner) {
            out.push((open, inner));
        }
        at = close;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_of_the_bundled_sources_page_parses() {
        let all = parse(SOURCES_MD).expect("docs/sources.md parses");
        assert!(all.len() >= 40, "only {} entries", all.len());
        // Every `### ` heading is an entry: none was skipped.
        assert_eq!(all.len(), SOURCES_MD.lines().filter(|l| l.starts_with("### ")).count());
        for s in &all {
            assert!(!s.short_citation().is_empty());
            if s.link.contains("http") && !s.link.starts_with("none") && !s.link.starts_with("no ") {
                assert!(s.url().is_some(), "{}: the link should start with its URL", s.key);
            }
        }
        assert_eq!(super::all(), all.as_slice());
        // Keys cited inside the page itself are defined there.
        for line in SOURCES_MD.lines() {
            for (_, k) in cited_keys(line) {
                assert!(get(k).is_some(), "docs/sources.md cites undefined {k}");
            }
        }
    }

    #[test]
    fn keys_are_upper_case_parts_joined_by_hyphens() {
        for k in ["CBS-85984NED", "SEOR-2020", "RIVM-2019-0192", "A-1"] {
            assert!(is_key(k), "{k}");
        }
        for k in ["CBS", "cbs-85984ned", "-A", "A-", "A--B", "1A-B", "model", "P5 - P95", ""] {
            assert!(!is_key(k), "{k}");
        }
    }

    #[test]
    fn a_malformed_entry_is_reported_with_its_line() {
        let text = "# S\n\n### SEOR-2020\n\n- **Publisher:** SEOR\n- **Title:** T\n";
        assert_eq!(
            parse(text),
            Err(SourcesError::MissingField { line: 3, key: "SEOR-2020".into(), field: "Table or page" })
        );
        assert_eq!(parse("### not a key\n"), Err(SourcesError::BadKey { line: 1, heading: "not a key".into() }));
    }

    #[test]
    fn notes_split_into_text_and_defined_citations() {
        // The undefined key is built so that the repository check does not flag it.
        let note = format!("derived: [CBS-84580NED] (EUR 308/inh) / [{}] [x] [CBS-86182NED]", "NOT-DEFINED-1");
        let pieces = split_citations(&note);
        let shown: Vec<String> = (pieces.iter())
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Cite(s) => format!("<{}>", s.key),
            })
            .collect();
        let undefined = format!(" (EUR 308/inh) / [{}] [x] ", "NOT-DEFINED-1");
        assert_eq!(shown, ["derived: ", "<CBS-84580NED>", undefined.as_str(), "<CBS-86182NED>"]);
        assert_eq!(split_citations("assumption"), [Piece::Text("assumption")]);
        let cbs = get("CBS-85984NED").unwrap();
        assert!(cbs.short_citation().starts_with("CBS, Kerncijfers wijken en buurten 2024"));
        assert_eq!(cbs.url(), Some("https://www.cbs.nl/nl-nl/cijfers/detail/85984NED"));
    }

    #[test]
    fn cited_keys_finds_well_formed_keys_only() {
        let line = "# a [[area]] [CBS-85984NED]; [Sources](#s) [[SEOR-2020]] [lower-case] [BAD-]";
        assert_eq!(cited_keys(line), [(13, "CBS-85984NED"), (44, "SEOR-2020")]);
    }
}
