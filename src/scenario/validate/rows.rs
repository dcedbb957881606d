//! Probability rows (an initial distribution's `p`, a transition matrix row):
//! a list with one entry per state that sums to 1 (one entry may be `"rest"`),
//! or a dirichlet, inline or named. Also the identity row a death state needs.

use toml::Spanned;

use super::common::num;
use super::values::Domain;
use super::V;
use crate::dist::Distribution;
use crate::model::{Row, RowEntry, Value};
use crate::scenario::file::{RowSpec, ValueSpec};

/// Tolerance for a row of literal probabilities to count as summing to 1.
const ROW_TOL: f64 = 1e-9;

impl V<'_> {
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
                    if self.row_dist_fits(f, r, field, names, &p.dist, &format!("parameter `{name}`")) {
                        self.used(p.index, field);
                        Row::Dirichlet { offset: p.offset, len: n }
                    } else {
                        Row::Entries(vec![])
                    }
                }
            },
            RowSpec::Dist(d) => {
                let Some(dist) = self.dist(f, d, span.clone(), field) else { return Row::Entries(vec![]) };
                if !self.row_dist_fits(f, r, field, names, &dist, &format!("this {}", dist.kind())) {
                    return Row::Entries(vec![]);
                }
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                let offset = self.params.push(field.to_string(), dist, note, false);
                Row::Dirichlet { offset, len: n }
            }
            RowSpec::Entries(entries) => self.entries_row(f, r, entries, field, names),
        }
    }

    /// A distribution for a whole row must be a dirichlet over the chain's states.
    fn row_dist_fits(
        &mut self,
        f: usize,
        r: &Spanned<RowSpec>,
        field: &str,
        names: &[String],
        dist: &Distribution,
        what: &str,
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
        if dist.dim() != n {
            self.err(
                f,
                r.span(),
                field,
                format!(
                    "{what} is a dirichlet over {} categories, but the chain has {n} states ({})",
                    dist.dim(),
                    names.join(", ")
                ),
            );
            return false;
        }
        true
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
