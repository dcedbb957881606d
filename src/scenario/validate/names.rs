//! Resolving names one section gives to another (states, chains, areas and
//! profiles), and the pieces of the "unknown name" messages: the list of what
//! is defined and a "did you mean" suggestion for a likely typo.

use std::ops::Range;

use toml::Spanned;

use super::V;
use crate::scenario::file::{OneOrMany, SString};

/// The names in a `OneOrMany`, each with a span (a lone string gets the outer span).
pub(super) fn names_of(o: &Spanned<OneOrMany>) -> Vec<(Range<usize>, &str)> {
    o.get_ref()
        .0
        .iter()
        .map(|s| {
            let sp = if s.span() == (0..0) { o.span() } else { s.span() };
            (sp, s.get_ref().as_str())
        })
        .collect()
}

/// Names in alphabetical order, for the "defined: …" part of a message.
pub(super) fn sorted<'k>(names: impl Iterator<Item = &'k String>) -> Vec<String> {
    let mut v: Vec<String> = names.cloned().collect();
    v.sort();
    v
}

/// The names defined, for a message; long lists are cut short.
pub(super) fn list_or_none(v: &[String]) -> String {
    const MAX: usize = 12;
    if v.is_empty() {
        "(none declared)".to_string()
    } else if v.len() > MAX {
        format!("{} … and {} more", v[..MAX].join(", "), v.len() - MAX)
    } else {
        v.join(", ")
    }
}

/// "; did you mean `x`?" when a candidate is a likely typo of `name`, else "".
pub(super) fn hint(name: &str, candidates: &[String]) -> String {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    let lower = name.to_lowercase();
    let limit = if name.chars().count() >= 5 { 2 } else { 1 };
    candidates
        .iter()
        .map(|c| (if c.to_lowercase() == lower { 0 } else { distance(&lower, &c.to_lowercase()) }, c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

impl V<'_> {
    /// The chain a risk factor or effect names in `chain = "…"`.
    pub(super) fn chain_ref(&mut self, f: usize, s: &SString, field: String) -> Option<usize> {
        let found = self.chain_index.get(s.get_ref()).copied();
        if found.is_none() {
            self.err(
                f,
                s.span(),
                field,
                format!(
                    "unknown chain `{}`; chains: {}{}",
                    s.get_ref(),
                    list_or_none(&self.chain_names),
                    hint(s.get_ref(), &self.chain_names)
                ),
            );
        }
        found
    }

    /// A state of `chain` by name.
    pub(super) fn state_of(
        &mut self,
        f: usize,
        span: Range<usize>,
        name: &str,
        chain: usize,
        field: &str,
    ) -> Option<usize> {
        let states = &self.chain_states[chain];
        match states.iter().position(|s| s == name) {
            // A chain with more than 64 states is already an error; its extra
            // states cannot go into a StateSet.
            Some(s) if s < 64 => Some(s),
            Some(_) => None,
            None => {
                let reason = format!(
                    "unknown state `{name}` in chain `{}`; its states are: {}{}",
                    self.chain_names[chain],
                    states.join(", "),
                    hint(name, states)
                );
                self.err(f, span, field, reason);
                None
            }
        }
    }

    /// A state named by its own string key, such as `rest_state` or a shift's `from`.
    pub(super) fn state_named(&mut self, f: usize, s: &SString, chain: usize, field: &str) -> Option<usize> {
        self.state_of(f, s.span(), s.get_ref(), chain, field)
    }

    /// "chain.state" → (chain, state).
    pub(super) fn chain_state(&mut self, f: usize, span: Range<usize>, s: &str, field: &str) -> Option<(usize, usize)> {
        // Longest chain name that prefixes "name." (chain names may contain dots).
        let c = self
            .chain_names
            .iter()
            .enumerate()
            .filter(|(_, n)| s.len() > n.len() + 1 && s.starts_with(n.as_str()) && s.as_bytes()[n.len()] == b'.')
            .max_by_key(|(_, n)| n.len())
            .map(|(i, _)| i);
        let Some(c) = c else {
            let reason = if s.contains('.') {
                format!("unknown chain in \"{s}\"; chains: {}", list_or_none(&self.chain_names))
            } else {
                format!("\"{s}\" must be written as \"chain.state\", e.g. \"loneliness.severe\"")
            };
            self.err(f, span, field, reason);
            return None;
        };
        let state = &s[self.chain_names[c].len() + 1..];
        self.state_of(f, span, state, c, field).map(|st| (c, st))
    }

    /// The areas a name in a chain or intervention stands for: the area of
    /// that name and every area whose `profile` it is (none for a declared
    /// profile without areas in this run).
    pub(super) fn areas_of(&mut self, f: usize, s: &SString, field: &str) -> Vec<usize> {
        match self.area_refs.get(s.get_ref()) {
            Some(a) => a.clone(),
            None => {
                let areas = sorted(self.areas.keys());
                let profiles = sorted(self.area_refs.keys().filter(|k| !self.areas.contains_key(*k)));
                let also = if profiles.is_empty() {
                    String::new()
                } else {
                    format!("; profiles: {}", list_or_none(&profiles))
                };
                let known: Vec<String> = areas.iter().chain(&profiles).cloned().collect();
                self.err(
                    f,
                    s.span(),
                    field,
                    format!(
                        "unknown area `{}`; areas: {}{also}{}",
                        s.get_ref(),
                        list_or_none(&areas),
                        hint(s.get_ref(), &known)
                    ),
                );
                vec![]
            }
        }
    }
}
