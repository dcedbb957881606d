//! Probability rows (an initial distribution's `p`, a transition matrix row):
//! a list with one entry per state that sums to 1 (one entry may be `"rest"`),
//! or a dirichlet, inline or named, over all the chain's states or over the
//! ones its `states = [..]` names. Also the identity row a death state needs.

use toml::Spanned;

use std::ops::Range;

use super::common::num;
use super::names::hint;
use super::values::Domain;
use super::V;
use crate::dist::Distribution;
use crate::model::{Row, RowEntry, Value};
use crate::scenario::file::{DistSpec, RowSpec, SList, ValueSpec};

/// Tolerance for a row of literal probabilities to count as summing to 1.
const ROW_TOL: f64 = 1e-9;

impl<'a> V<'a> {
    /// Resolve a probability row over `n` states (`names` for messages).
    pub(super) fn row(&mut self, f: usize, r: &Spanned<RowSpec>, field: &str, names: &[String]) -> Row {
        let n = names.len();
        let span = r.span();
        match r.get_ref() {
            RowSpec::Name(name) => match self.named.get(name).cloned() {
                None => {
                    let reason = if name == "rest" {
                        "a row cannot be just \"rest\"; write a list with one entry per state, e.g. [0.9, \"rest\"]"
                            .to_string()
                    } else {
                        format!("unknown parameter `{name}`: a row given by name must be a dirichlet parameter defined in [parameters]")
                    };
                    self.err(f, span, field, reason);
                    Row::Entries(vec![])
                }
                Some(None) => Row::Entries(vec![]),
                Some(Some(p)) => {
                    let what = format!("parameter `{name}`");
                    let states = match self.named_dist_states(name) {
                        None => None,
                        Some((pf, list)) => match self.named_states(f, span.clone(), field, names, name, pf, list) {
                            Some(s) => Some(s),
                            None => return Row::Entries(vec![]),
                        },
                    };
                    if self.row_dist_fits(f, r, field, names, &p.dist, &what, states.is_some()) {
                        self.used(p.index, field);
                        Row::Dirichlet { offset: p.offset, len: n, states: states.unwrap_or_default() }
                    } else {
                        Row::Entries(vec![])
                    }
                }
            },
            RowSpec::Dist(d) => {
                let Some(dist) = self.dist(f, d, span.clone(), field) else { return Row::Entries(vec![]) };
                let states = match &d.states {
                    None => None,
                    Some(list) => match self.inline_states(f, field, names, list) {
                        Some(s) => Some(s),
                        None => return Row::Entries(vec![]),
                    },
                };
                let what = format!("this {}", dist.kind());
                if !self.row_dist_fits(f, r, field, names, &dist, &what, states.is_some()) {
                    return Row::Entries(vec![]);
                }
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                let offset = self.params.push(field.to_string(), dist, note, false);
                Row::Dirichlet { offset, len: n, states: states.unwrap_or_default() }
            }
            RowSpec::Entries(entries) => self.entries_row(f, r, entries, field, names),
        }
    }

    /// A distribution for a whole row must be a dirichlet over the chain's
    /// states (or, with `states`, over the states it names).
    #[allow(clippy::too_many_arguments)]
    fn row_dist_fits(
        &mut self,
        f: usize,
        r: &Spanned<RowSpec>,
        field: &str,
        names: &[String],
        dist: &Distribution,
        what: &str,
        has_states: bool,
    ) -> bool {
        let n = names.len();
        if dist.dim() == 1 {
            self.err(
                f,
                r.span(),
                field,
                format!("{what} is a single number ({}), but a whole row is needed here: write a list with one entry per state, or use a dirichlet", dist.kind()),
            );
            return false;
        }
        if dist.dim() != n && !has_states {
            self.err(
                f,
                r.span(),
                field,
                format!(
                    "{what} is a dirichlet over {} categories, but the chain has {n} states ({}); give one alpha or count per state (0 for a move that never happens), or name the states of its categories with `states = [..]` (the others get 0)",
                    dist.dim(),
                    names.join(", ")
                ),
            );
            return false;
        }
        true
    }

    /// Check `states = [..]` of a distribution table where it is built (any
    /// use): only on a dirichlet, each state once, one per category. The
    /// states themselves are resolved where the dirichlet is used as a row.
    pub(super) fn dist_states_fit(&mut self, f: usize, d: &DistSpec, dist: &Distribution, field: &str) -> bool {
        let Some(list) = &d.states else { return true };
        let sf = format!("{field}.states");
        if dist.dim() == 1 {
            let reason = format!(
                "`states` is only for a dirichlet used as a row (the chain states its categories are); a {} is a single number",
                dist.kind()
            );
            self.err(f, list.span(), sf, reason);
            return false;
        }
        let mut ok = true;
        let mut seen: Vec<&str> = Vec::new();
        for (i, s) in list.get_ref().iter().enumerate() {
            if seen.contains(&s.get_ref().as_str()) {
                self.err(f, s.span(), format!("{sf}[{i}]"), format!("state `{}` is listed twice", s.get_ref()));
                ok = false;
            }
            seen.push(s.get_ref());
        }
        if list.get_ref().len() != dist.dim() {
            let reason = format!(
                "`states` names {} states, but the dirichlet has {} categories: give one alpha or count per named state, in the same order",
                list.get_ref().len(),
                dist.dim()
            );
            self.err(f, list.span(), sf, reason);
            ok = false;
        }
        ok
    }

    /// The chain state of each category of an inline dirichlet's `states`;
    /// `None` (reported at the name) when one is not a state of the chain.
    fn inline_states(&mut self, f: usize, field: &str, names: &[String], list: &SList) -> Option<Vec<usize>> {
        let mut out = Vec::with_capacity(list.get_ref().len());
        let mut ok = true;
        for (i, s) in list.get_ref().iter().enumerate() {
            match names.iter().position(|x| x == s.get_ref()) {
                Some(k) => out.push(k),
                None => {
                    let reason = format!(
                        "unknown state `{}`; the chain's states are: {}{}",
                        s.get_ref(),
                        names.join(", "),
                        hint(s.get_ref(), names)
                    );
                    self.err(f, s.span(), format!("{field}.states[{i}]"), reason);
                    ok = false;
                }
            }
        }
        ok.then(|| identity_as_empty(out, names.len()))
    }

    /// The `states` of the named parameter `name` (the first definition, the
    /// one that counts), with the file it is in.
    fn named_dist_states(&self, name: &str) -> Option<(usize, &'a SList)> {
        let files = self.files;
        files.iter().enumerate().find_map(|(pf, p)| {
            let (_, d) = p.file.parameters.as_ref()?.0.iter().find(|(k, _)| k.get_ref() == name)?;
            Some((pf, d.states.as_ref()?))
        })
    }

    /// The chain state of each category of named dirichlet `name`, used as
    /// the row `field` at `span`; `None` (reported at the use, naming where the
    /// `states` are) when one is not a state of this chain.
    #[allow(clippy::too_many_arguments)]
    fn named_states(
        &mut self,
        f: usize,
        span: Range<usize>,
        field: &str,
        names: &[String],
        name: &str,
        pf: usize,
        list: &SList,
    ) -> Option<Vec<usize>> {
        let mut out = Vec::with_capacity(list.get_ref().len());
        for s in list.get_ref() {
            match names.iter().position(|x| x == s.get_ref()) {
                Some(k) => out.push(k),
                None => {
                    let listed: Vec<&str> = list.get_ref().iter().map(|x| x.get_ref().as_str()).collect();
                    let at = self.pos(pf, &list.span());
                    let reason = format!(
                        "parameter `{name}` is a dirichlet over the states {} (its `states`, at {at}), but this chain has no state `{}`; the chain's states are: {}",
                        listed.join(", "),
                        s.get_ref(),
                        names.join(", ")
                    );
                    self.err(f, span, field, reason);
                    return None;
                }
            }
        }
        Some(identity_as_empty(out, names.len()))
    }

    /// A row written as a list of entries: one per state, at most one `"rest"`,
    /// summing to 1 in every draw.
    fn entries_row(
        &mut self,
        f: usize,
        r: &Spanned<RowSpec>,
        entries: &[Spanned<ValueSpec>],
        field: &str,
        names: &[String],
    ) -> Row {
        let n = names.len();
        let span = r.span();
        if entries.len() != n {
            self.err(
                f,
                span,
                field,
                format!(
                    "row has {} entries, but the chain has {n} states ({}); give one entry per state",
                    entries.len(),
                    names.join(", ")
                ),
            );
            return Row::Entries(vec![]);
        }
        let mut out = Vec::with_capacity(n);
        let errors_before = self.errors.len();
        let mut rests = 0;
        let mut literal_sum = 0.0;
        let mut all_literal = true;
        for (k, e) in entries.iter().enumerate() {
            if matches!(e.get_ref(), ValueSpec::Name(s) if s == "rest") {
                rests += 1;
                if rests == 2 {
                    self.err(
                        f,
                        e.span(),
                        format!("{field}[{k}]"),
                        "only one entry of a row may be \"rest\" (it takes 1 minus the others)",
                    );
                }
                out.push(RowEntry::Rest);
                continue;
            }
            let v = self.value(f, e, &format!("{field}[{k}]"), Domain::Probability);
            match (e.get_ref(), v) {
                // A literal, or an expression of no parameters ("1/3").
                (_, Value::Fixed(x)) => literal_sum += x,
                _ => all_literal = false,
            }
            out.push(RowEntry::Value(v));
        }
        if self.errors.len() > errors_before {
            // An entry is already wrong; a sum error would only repeat it.
        } else if rests == 0 && all_literal && (literal_sum - 1.0).abs() > ROW_TOL {
            self.err(
                f,
                span,
                field,
                format!(
                    "row sums to {}, must sum to 1 (put \"rest\" in one entry to take the remainder)",
                    num(literal_sum)
                ),
            );
        } else if rests == 0 && !all_literal {
            self.err(
                f,
                span,
                field,
                "a row with uncertain entries cannot sum to 1 in every draw: put \"rest\" in one entry to take the remainder (or use a dirichlet for the whole row)",
            );
        } else if rests == 1 && literal_sum > 1.0 + ROW_TOL {
            self.err(
                f,
                span,
                field,
                format!(
                    "the fixed entries of this row sum to {}, leaving nothing for \"rest\"; they must sum to at most 1",
                    num(literal_sum)
                ),
            );
        }
        Row::Entries(out)
    }

    /// A death state's row must keep the dead dead: 1 on the diagonal, 0 elsewhere.
    pub(super) fn check_death_row(&mut self, f: usize, r: &Spanned<RowSpec>, field: &str, s: usize, state: &str) {
        let ok = match r.get_ref() {
            RowSpec::Entries(e) => {
                e.len() > s
                    && e.iter().enumerate().all(|(k, v)| match v.get_ref() {
                        ValueSpec::Number(x) => *x == if k == s { 1.0 } else { 0.0 },
                        ValueSpec::Name(n) => k == s && n == "rest",
                        ValueSpec::Dist(_) => false,
                    })
            }
            _ => false,
        };
        if !ok {
            self.err(
                f,
                r.span(),
                field,
                format!("`{state}` is a death state, so its row must be the identity row (1 for `{state}`, 0 for every other state): the dead stay dead"),
            );
        }
    }
}

/// Category k is state `states[k]` of a chain of `n` states; the identity
/// (every state, in order) is kept as the empty list, the plain form of
/// [`Row::Dirichlet`].
fn identity_as_empty(states: Vec<usize>, n: usize) -> Vec<usize> {
    if states.len() == n && states.iter().enumerate().all(|(k, &s)| k == s) {
        vec![]
    } else {
        states
    }
}
