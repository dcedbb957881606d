//! Reading a file past its key and type errors, so that one `check` shows
//! every mistake of a file instead of only the first one serde meets.
//!
//! serde stops at the first unknown key, wrong type or missing key. After
//! each such error the text is repaired in a copy and read again:
//!
//! - an **unknown key** is blanked together with its value (and its comma in
//!   an inline table), or with its whole table for a `[header]`;
//! - a **wrong-typed value** is replaced by the first placeholder of the
//!   right type (`0`, a unique name `"~N"`, `false`, `[]`, `{}`) that gets
//!   serde past it;
//! - a **missing required key** is added with such a placeholder.
//!
//! Blanking keeps every byte offset and newline, so positions in the repaired
//! text are positions in the original. Only a longer placeholder or an added
//! key shifts what follows; [`Edits`] maps those positions back. Placeholders
//! are *holes*: an error the validator finds inside one, or on a list or
//! table that holds one, is a consequence of the placeholder, not of the
//! file, and is dropped.
//!
//! A file that is not valid TOML syntax stops at the syntax error: without a
//! document there is nothing to repair.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml_edit::{ImDocument, Item, Table, Value};

/// Most key and type errors reported for one file; beyond that the rest of
/// the file is not read (a file this broken is probably not a scenario).
const MAX_ERRORS: usize = 100;

/// Placeholders tried for a value of the wrong type or a missing key, in
/// order; `~` stands for a name unique in the file (`"~3"`), so that a
/// placeholder state or area name is not a duplicate or an empty name.
const PLACEHOLDERS: [&str; 5] = ["0", "\"~\"", "false", "[]", "{}"];

/// One key or type error, at a byte offset of the original text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KeyError {
    /// Byte offset in the original text.
    pub offset: usize,
    /// serde's (toml's) message.
    pub message: String,
}

/// The repairs made to a text, to map positions in the repaired text back
/// to the original and to recognise placeholders.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Edits {
    /// `(start, removed, inserted)` byte lengths, in the order applied, each
    /// in the coordinates of the text as it was then.
    steps: Vec<(usize, usize, usize)>,
    /// Placeholders, in the coordinates of the repaired text.
    holes: Vec<Range<usize>>,
    /// Keys added for missing ones: (the table they were added to, key), in
    /// the coordinates of the repaired text.
    added: Vec<(Range<usize>, String)>,
}

impl Edits {
    /// Whether the text was changed at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The offset in the original text of `offset` in the repaired one. A
    /// position inside an added key maps to where it was added.
    pub(crate) fn original(&self, offset: usize) -> usize {
        let mut o = offset;
        for &(at, removed, inserted) in self.steps.iter().rev() {
            o = if o < at {
                o
            } else if o >= at + inserted {
                o - inserted + removed
            } else {
                at + (o - at).min(removed)
            };
        }
        o
    }

    /// Whether an error at `span` of the repaired text is about a
    /// placeholder: it starts in one, or spans a whole one (a list or table
    /// holding a placeholder, such as a row whose sum it changes).
    pub(crate) fn touches_hole(&self, span: &Range<usize>) -> bool {
        self.holes.iter().any(|h| h.contains(&span.start) || (span.start <= h.start && h.end <= span.end))
    }

    /// Whether an error at `span` about `field` is a consequence of a
    /// placeholder: it [touches one](Self::touches_hole), or it is about a key
    /// added for a missing one (`reach = {}` added to an intervention makes
    /// "reach needs share or participants", reported at the intervention).
    pub(crate) fn about_placeholder(&self, span: &Range<usize>, field: &str) -> bool {
        self.touches_hole(span)
            || self.added.iter().any(|(table, key)| {
                let names =
                    |sep: &str| field.contains(&format!(".{key}{sep}")) || field.starts_with(&format!("{key}{sep}"));
                table.contains(&span.start)
                    && (field == key || field.ends_with(&format!(".{key}")) || names(".") || names("["))
            })
    }

    /// Replace `range` of `text` by `with` (blanking what `with` does not
    /// cover, newlines kept); `hole`: `with` is a placeholder.
    fn apply(&mut self, text: &mut String, range: Range<usize>, with: &str, hole: bool) {
        let removed = range.len();
        let replacement = if with.len() <= removed {
            let mut bytes: Vec<u8> = text.as_bytes()[range.clone()]
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' })
                .collect();
            bytes[..with.len()].copy_from_slice(with.as_bytes());
            String::from_utf8(bytes).expect("ASCII and newlines only")
        } else {
            with.to_string()
        };
        let (at, inserted) = (range.start, replacement.len());
        text.replace_range(range, &replacement);
        let delta = inserted as isize - removed as isize;
        for h in self.holes.iter_mut().chain(self.added.iter_mut().map(|(t, _)| t)) {
            if h.start >= at + removed {
                h.start = (h.start as isize + delta) as usize;
                h.end = (h.end as isize + delta) as usize;
            } else if h.end > at {
                h.end = (h.end as isize + delta).max(h.start as isize) as usize;
            }
        }
        if hole {
            self.holes.push(at..at + with.len().max(1));
        }
        self.steps.push((at, removed, inserted));
    }
}

/// A file read as far as its key and type errors allow.
#[derive(Debug)]
pub(crate) struct Recovered<T> {
    /// The file, from the repaired text; `None` when it could not be repaired.
    pub value: Option<T>,
    /// The repaired text: the spans in `value` point into it. The original
    /// text when there were no errors.
    pub text: String,
    /// How `text` differs from the original.
    pub edits: Edits,
    /// Every key and type error, in the order found.
    pub errors: Vec<KeyError>,
}

/// Read `text` as `T`, collecting every key and type error; `Err` with the
/// syntax error when the text is not TOML at all.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<Recovered<T>, toml::de::Error> {
    let mut err = match toml::from_str::<T>(text) {
        Ok(value) => {
            return Ok(Recovered {
                value: Some(value),
                text: text.to_string(),
                edits: Edits::default(),
                errors: vec![],
            })
        }
        Err(e) => e,
    };
    toml::from_str::<toml::Table>(text)?;
    let mut rec = Recovered { value: None, text: text.to_string(), edits: Edits::default(), errors: vec![] };
    loop {
        let span = err.span().unwrap_or(0..0);
        let offset = rec.edits.original(span.start);
        if rec.errors.len() == MAX_ERRORS {
            let message = format!("more than {MAX_ERRORS} key and type errors: the rest of this file is not read");
            rec.errors.push(KeyError { offset, message });
            return Ok(rec);
        }
        rec.errors.push(KeyError { offset, message: err.message().trim().to_string() });
        match repair::<T>(&rec.text, &err, span.clone(), rec.errors.len()) {
            Some((repairs, next)) => {
                let mut grown = 0;
                for (range, with, hole) in repairs {
                    grown += with.len().saturating_sub(range.len());
                    rec.edits.apply(&mut rec.text, range, &with, hole);
                }
                if let Some(key) = missing_key(err.message()) {
                    rec.edits.added.push((span.start..span.end + grown, key.to_string()));
                }
                match next {
                    Ok(value) => {
                        rec.value = Some(value);
                        return Ok(rec);
                    }
                    Err(e) => err = e,
                }
            }
            None => return Ok(rec),
        }
    }
}

/// One change: replace a range by a text; the bool says it is a placeholder.
type Repair = (Range<usize>, String, bool);

/// The repairs that get past error `err` (at `span`) of `text`, with the
/// result of reading the repaired text; `None` when nothing works.
fn repair<T: DeserializeOwned>(
    text: &str,
    err: &toml::de::Error,
    span: Range<usize>,
    n: usize,
) -> Option<(Vec<Repair>, Result<T, toml::de::Error>)> {
    let msg = err.message();
    let placeholders: Vec<String> = PLACEHOLDERS.iter().map(|p| p.replace('~', &format!("~{n}"))).collect();
    let candidates: Vec<(Vec<Repair>, Range<usize>)> = if msg.starts_with("unknown field") {
        let regions = key_extent(text, span.start)?;
        vec![(regions.into_iter().map(|r| (r, String::new(), false)).collect(), 0..0)]
    } else if let Some(key) = missing_key(msg) {
        placeholders.iter().filter_map(|p| insertion(text, span.start, key, p)).collect()
    } else {
        if span.is_empty() {
            return None;
        }
        // Last resort: the key's table removed whole (a `[header]` table where
        // a value belongs); for a value this leaves `key =` and is refused.
        let blank = (vec![(span.clone(), String::new(), true)], span.start..span.start + 1);
        placeholders
            .iter()
            .map(|p| (vec![(span.clone(), p.clone(), true)], span.start..span.start + p.len()))
            .chain(std::iter::once(blank))
            .collect()
    };
    for (repairs, region) in candidates {
        let mut trial = text.to_string();
        let mut edits = Edits::default();
        for (range, with, hole) in &repairs {
            edits.apply(&mut trial, range.clone(), with, *hole);
        }
        let next = toml::from_str::<T>(&trial);
        if let Err(e) = &next {
            if toml::from_str::<toml::Table>(&trial).is_err() {
                continue;
            }
            let at = e.span().map_or(0, |s| s.start);
            let same_missing = missing_key(e.message()).is_some() && missing_key(e.message()) == missing_key(msg);
            if region.contains(&at) || (same_missing && at == span.start) || (e.message() == msg && at == span.start) {
                continue;
            }
        }
        return Some((repairs, next));
    }
    None
}

/// The key named by serde's "missing field `key`" message.
fn missing_key(msg: &str) -> Option<&str> {
    msg.strip_prefix("missing field `")?.split('`').next()
}

/// Add `key = placeholder` to the table starting at `at`: right after the
/// `{` of an inline table, or on a new line after a `[header]`. Returns the
/// repair and the added text's range.
fn insertion(text: &str, at: usize, key: &str, placeholder: &str) -> Option<(Vec<Repair>, Range<usize>)> {
    let rest = text.get(at..)?;
    let (pos, add) = if let Some(inner) = rest.strip_prefix('{') {
        let empty = inner.trim_start().starts_with('}');
        (at + 1, if empty { format!(" {key} = {placeholder} ") } else { format!(" {key} = {placeholder},") })
    } else if rest.starts_with('[') {
        let end = rest.find('\n').map_or(text.len(), |i| at + i);
        (end, format!("\n{key} = {placeholder}"))
    } else {
        return None;
    };
    let region = pos..pos + add.len();
    Some((vec![(pos..pos, add, true)], region))
}

/// The ranges to blank to remove the key starting at byte `at` with its
/// value (for a table: the table with its sub-tables). `None` if no key
/// starts there.
fn key_extent(text: &str, at: usize) -> Option<Vec<Range<usize>>> {
    let doc = ImDocument::parse(text).ok()?;
    in_table(doc.as_table(), text, at)
}

fn in_table(t: &Table, text: &str, at: usize) -> Option<Vec<Range<usize>>> {
    for (k, item) in t.iter() {
        if t.key(k).and_then(|k| k.span()).is_some_and(|s| s.start == at) {
            return Some(regions(item, text, at));
        }
        let found = match item {
            Item::Table(t) => in_table(t, text, at),
            Item::ArrayOfTables(a) => a.iter().find_map(|t| in_table(t, text, at)),
            Item::Value(v) => in_value(v, text, at),
            Item::None => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn in_value(v: &Value, text: &str, at: usize) -> Option<Vec<Range<usize>>> {
    match v {
        Value::InlineTable(t) => {
            for (k, val) in t.iter() {
                if t.key(k).and_then(|k| k.span()).is_some_and(|s| s.start == at) {
                    return inline_pair(text, at, val.span()?.end).map(|r| vec![r]);
                }
                if let Some(found) = in_value(val, text, at) {
                    return Some(found);
                }
            }
            None
        }
        Value::Array(a) => a.iter().find_map(|x| in_value(x, text, at)),
        _ => None,
    }
}

/// What to blank to remove `item` of a standard (non-inline) table, its key
/// starting at `key_at`: a `key = value` line (with any dotted prefix), or a
/// table with its header and sub-tables.
fn regions(item: &Item, text: &str, key_at: usize) -> Vec<Range<usize>> {
    match item {
        Item::Value(v) => {
            let line_start = text[..key_at].rfind('\n').map_or(0, |i| i + 1);
            v.span().map(|s| line_start..s.end).into_iter().collect()
        }
        Item::Table(t) => table_regions(t, text),
        Item::ArrayOfTables(a) => a.iter().flat_map(|t| table_regions(t, text)).collect(),
        Item::None => vec![],
    }
}

fn table_regions(t: &Table, text: &str) -> Vec<Range<usize>> {
    let mut out = vec![];
    let own = !t.is_implicit() && !t.is_dotted();
    if own {
        out.extend(t.span());
    }
    for (k, child) in t.iter() {
        let nested = match child {
            Item::Table(c) => !own || !c.is_dotted(),
            Item::ArrayOfTables(_) => true,
            Item::Value(_) => !own,
            Item::None => false,
        };
        if nested {
            let at = t.key(k).and_then(|k| k.span()).map_or(0, |s| s.start);
            out.extend(regions(child, text, at));
        }
    }
    out
}

/// The range of `key = value` in an inline table, with the comma that
/// separates it from its neighbours; `key_at` is where the (last part of
/// the) key starts, `value_end` where the value ends.
fn inline_pair(text: &str, key_at: usize, value_end: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let key_char = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'\t' | b'.' | b'"' | b'\'' | b'_' | b'-');
    let mut start = key_at;
    while start > 0 && key_char(b[start - 1]) {
        start -= 1;
    }
    let mut after = value_end;
    while after < b.len() && matches!(b[after], b' ' | b'\t') {
        after += 1;
    }
    match (start.checked_sub(1).map(|i| b[i]), b.get(after)) {
        (Some(b'{' | b','), Some(b',')) => Some(start..after + 1),
        (Some(b','), _) => Some(start - 1..value_end),
        (Some(b'{'), _) => Some(start..value_end),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use toml::Spanned;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        n: Option<Spanned<i64>>,
        name: Option<String>,
        #[serde(default)]
        item: Vec<Spanned<ItemSpec>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ItemSpec {
        name: Spanned<String>,
        list: Option<Vec<Entry>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        a: f64,
        b: Option<bool>,
    }

    fn errors(text: &str) -> (Vec<(usize, String)>, Recovered<Doc>) {
        let r = parse::<Doc>(text).unwrap();
        let e = r.errors.iter().map(|e| (e.offset, e.message.clone())).collect();
        (e, r)
    }

    #[test]
    fn every_key_and_type_error_is_found_and_offsets_stay() {
        let text = "n = \"x\"\nbogus = [1,\n 2]\nname = \"a\"\n[[item]]\nname = 333333\nlist = [{ a = 1, zz = 2 }, { a = true, b = false }]\n[[item]]\nname = \"b\"\n[item.extra]\nq = 1\n";
        let (errs, r) = errors(text);
        let at = |s: &str| text.find(s).unwrap();
        let got: Vec<usize> = errs.iter().map(|e| e.0).collect();
        assert_eq!(got, vec![at("\"x\""), at("bogus"), at("333333\n"), at("zz"), at("true"), at("extra")], "{errs:?}");
        let doc = r.value.expect("repaired");
        assert_eq!(doc.item.len(), 2);
        assert_eq!(r.text.len(), text.len(), "blanks and short placeholders keep offsets");
        assert_eq!(r.text.lines().count(), text.lines().count());
        assert_eq!(&r.text[doc.item[1].get_ref().name.span()], "\"b\"");
        // Placeholders are holes; the rest is not.
        assert!(r.edits.touches_hole(&(at("333333\n")..at("333333\n"))));
        assert!(r.edits.touches_hole(&(at("[[item]]")..at("list"))), "the table holding it");
        assert!(!r.edits.touches_hole(&(at("\"a\"")..at("\"a\"") + 3)));
    }

    #[test]
    fn a_missing_key_is_added_and_later_positions_map_back() {
        let text = "[[item]]\nlist = [{ b = true }]\n[[item]]\nnam = \"x\"\nlist = [{ a = \"y\" }]\n";
        let (errs, r) = errors(text);
        let msgs: Vec<&str> = errs.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(msgs.len(), 5, "{errs:?}");
        // In the order serde meets them: a list entry before its table's own keys.
        assert!(msgs[0].starts_with("missing field `a`"), "{msgs:?}");
        assert!(msgs[1].starts_with("missing field `name`"), "{msgs:?}");
        assert!(msgs[2].starts_with("unknown field `nam`"), "{msgs:?}");
        assert!(msgs[3].starts_with("invalid type"), "{msgs:?}");
        assert!(msgs[4].starts_with("missing field `name`"), "{msgs:?}");
        let offsets: Vec<usize> = errs.iter().map(|e| e.0).collect();
        let second = text.rfind("[[item]]").unwrap();
        assert_eq!(
            offsets,
            vec![text.find("{ b").unwrap(), 0, text.find("nam ").unwrap(), text.find("\"y\"").unwrap(), second]
        );
        // Errors about an added key are its consequences; others in its table are not.
        assert!(r.edits.about_placeholder(&(1..1), "item[0].name"));
        assert!(!r.edits.about_placeholder(&(1..1), "item[0].list"));
        assert!(!r.edits.about_placeholder(&(1..1), "item[0].named"));
        let doc = r.value.unwrap();
        // A span after the additions maps back to the original position.
        let last = doc.item[1].get_ref().list.as_ref().unwrap();
        assert_eq!(last.len(), 1);
        let y_now = r.text.rfind("[{ a").unwrap();
        assert_eq!(r.edits.original(y_now), text.rfind("[{ a").unwrap());
    }

    #[test]
    fn syntax_errors_stop() {
        assert!(parse::<Doc>("n = = 1\nbogus = 2\n").is_err());
    }

    #[test]
    fn inline_pairs_take_their_comma() {
        let t = "x = { a = 1, bogus = 2, c = 3 }";
        assert_eq!(&t[inline_pair(t, t.find("bogus").unwrap(), t.find(", c").unwrap()).unwrap()], " bogus = 2,");
        let t = "x = { a = 1, bogus = 2 }";
        assert_eq!(&t[inline_pair(t, t.find("bogus").unwrap(), t.find(" }").unwrap()).unwrap()], ", bogus = 2");
        let t = "x = {bogus = 2}";
        assert_eq!(&t[inline_pair(t, t.find("bogus").unwrap(), t.find('}').unwrap()).unwrap()], "bogus = 2");
    }
}
