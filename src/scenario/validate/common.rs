//! What every section needs: recording an error at a place in a file, "file:line"
//! positions for errors that name two places, collecting one section's items
//! across the merged files, and the uniqueness checks on names and lists.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::V;
use crate::scenario::file::{OrderedMap, SList, SString, ScenarioFile};

/// Where an item was defined, for "defined twice" errors and for placing the
/// engine's structural errors.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub(super) file: usize,
    pub(super) span: Range<usize>,
}

/// A reference to an item of one of the files: (file index, item).
pub(super) type Item<'a, T> = (usize, &'a Spanned<T>);

/// An entry of a named table (`[parameters]`, `[demography.X]`, …) of one of
/// the files: (file index, name, value).
pub(super) type Entry<'a, T> = (usize, &'a SString, &'a T);

impl<'a> V<'a> {
    /// Record an error at `span` of file `f`.
    /// An error inside a placeholder of a repaired file is dropped: it is a
    /// consequence of the key or type error already reported there.
    pub(super) fn err(&mut self, f: usize, span: Range<usize>, field: impl Into<String>, reason: impl Into<String>) {
        if let Some(e) = self.files[f].error(span, field, reason) {
            self.errors.push(e);
        }
    }

    /// "file:line" of a place, for errors naming two places.
    pub(super) fn pos(&self, f: usize, span: &Range<usize>) -> String {
        let file = &self.files[f];
        let (l, c) = file.line_col(span.start);
        format!("{}:{l}:{c}", file.path.display())
    }

    /// Remember where the item with field path `field` is, for the engine's errors.
    pub(super) fn remember(&mut self, field: String, f: usize, span: Range<usize>) {
        self.places.push((field, Place { file: f, span }));
    }

    /// The item whose field path is the longest prefix of `field`; else the
    /// first item inside `field` (the engine may name just `risk_factor`);
    /// else the start of the main file.
    pub(super) fn place_of(&self, field: &str) -> Place {
        self.places
            .iter()
            .filter(|(p, _)| field.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .or_else(|| self.places.iter().find(|(p, _)| p.starts_with(field)))
            .map(|(_, pl)| pl.clone())
            .unwrap_or(Place { file: 0, span: 0..0 })
    }

    /// All items of one array-of-tables across files, in merge order.
    pub(super) fn all<T>(&self, get: impl Fn(&'a ScenarioFile) -> &'a Vec<Spanned<T>>) -> Vec<Item<'a, T>> {
        let mut out = Vec::new();
        for (f, p) in self.files.iter().enumerate() {
            for it in get(&p.file) {
                out.push((f, it));
            }
        }
        out
    }

    /// All entries of one named table across files, in merge order.
    pub(super) fn entries<T>(&self, get: impl Fn(&'a ScenarioFile) -> Option<&'a OrderedMap<T>>) -> Vec<Entry<'a, T>> {
        let mut out = Vec::new();
        for (f, p) in self.files.iter().enumerate() {
            if let Some(t) = get(&p.file) {
                for (name, value) in &t.0 {
                    out.push((f, name, value));
                }
            }
        }
        out
    }

    /// [`Self::unique_names`] of a named table's entries.
    pub(super) fn unique_entries<T>(&mut self, kind: &str, items: &[Entry<'a, T>]) -> HashMap<String, usize> {
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, n, _)| (*f, *n)).collect();
        self.unique_names(kind, &names)
    }

    /// [`Self::unique_names`] of array-of-tables items, by their `name` key.
    pub(super) fn unique_items<T>(
        &mut self,
        kind: &str,
        items: &[Item<'a, T>],
        name: impl Fn(&'a T) -> &'a SString,
    ) -> HashMap<String, usize> {
        let names: Vec<(usize, &SString)> = items.iter().map(|(f, it)| (*f, name(it.get_ref()))).collect();
        self.unique_names(kind, &names)
    }

    /// Map names to indices; a name defined twice is an error naming both places.
    pub(super) fn unique_names(&mut self, kind: &str, items: &[(usize, &SString)]) -> HashMap<String, usize> {
        let mut map: HashMap<String, usize> = HashMap::new();
        let mut first: HashMap<String, (usize, Range<usize>)> = HashMap::new();
        for (i, (f, name)) in items.iter().enumerate() {
            let n = name.get_ref().clone();
            if n.trim().is_empty() {
                self.err(*f, name.span(), format!("{kind}.name"), format!("a {kind} needs a non-empty name"));
            }
            if let Some((ff, fs)) = first.get(&n) {
                let at = self.pos(*ff, fs);
                let prefix = match kind {
                    "taakveld" => "taakvelden",
                    "parameter" => "parameters",
                    k => k,
                };
                self.err(
                    *f,
                    name.span(),
                    format!("{prefix}.{n}"),
                    format!("{kind} `{n}` is defined twice (first at {at}); names must be unique"),
                );
            } else {
                first.insert(n.clone(), (*f, name.span()));
                map.insert(n, i);
            }
        }
        map
    }

    /// The names of a list (funders, outcomes, profiles, states), each once and
    /// none empty.
    pub(super) fn unique_list(&mut self, f: usize, l: &SList, field: &str, what: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, s) in l.get_ref().iter().enumerate() {
            if out.contains(s.get_ref()) {
                self.err(f, s.span(), format!("{field}[{i}]"), format!("{what} \"{}\" is listed twice", s.get_ref()));
            } else if s.get_ref().trim().is_empty() {
                self.err(f, s.span(), format!("{field}[{i}]"), format!("a {what} name must not be empty"));
            } else {
                out.push(s.get_ref().clone());
            }
        }
        out
    }
}

/// A number for a message: float noise (0.1 + 0.2) rounded away, so messages
/// show what the user wrote.
pub(super) fn num(x: f64) -> String {
    let r = (x * 1e9).round() / 1e9;
    format!("{r}")
}
