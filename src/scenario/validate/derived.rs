//! Derived parameters (afgeleide parameters): expressions of named
//! parameters ([`crate::expr`]), in `[parameters]` (`p = "1 - exp(-r)"`,
//! `c = { expr = "c_soc + 12000", note = "…" }`, or a plain number) or
//! written in place of any number (`rr = "hr ^ 2"`).
//!
//! Each becomes one slot of the per-draw vector, computed after sampling from
//! the draw's own samples ([`crate::model::ParamTable::derive`]). What a
//! field allows cannot be checked on an expression before it is evaluated:
//! it is checked in every draw (the run stops with the parameter, draw and
//! value), and here already at the means of the inputs (the base case).
//!
//! Errors point at the character inside the string: the string's column,
//! plus 1 for the quote, plus the character offset the parser reports.

use std::collections::HashMap;
use std::convert::Infallible;
use std::ops::Range;

use super::names::{hint, list_or_none, sorted};
use super::values::Domain;
use super::V;
use crate::expr::{self, Expr, NameRef, Operand};
use crate::model::{Derived, Value};
use crate::scenario::file::{DistSpec, SString, ValueSpec};
use crate::scenario::source_comment;

/// Where reserved variables get their values, for messages.
const WHERE_BOUND: &str = "transition matrix rows bind cycle, year and age; rows of tunnel years (`years_in_state` entries) bind years_in_state; see the scenario format, section 2.4";

/// A `[parameters]` expression that uses reserved variables, itself or
/// through another such parameter (`p_rev = "1 - exp(-r * cycle)"`): it
/// has no single value, so each place that binds the variables it needs
/// gets one slot per binding ([`V::template_slot`]).
#[derive(Clone)]
pub(super) struct Template {
    f: usize,
    span: Range<usize>,
    field: String,
    expr: Expr,
    note: Option<String>,
    comment: Option<String>,
    /// The reserved variables it needs, in [`expr::RESERVED`] order.
    reserved: Vec<&'static str>,
}

/// A `[parameters]` entry that is not a distribution, waiting until every
/// distribution has its slot.
pub(super) struct Pending<'a> {
    pub(super) f: usize,
    pub(super) name: &'a SString,
    pub(super) value: &'a ValueSpec,
    pub(super) field: String,
}

/// A pending entry, parsed.
struct Parsed<'a> {
    p: Pending<'a>,
    expr: Expr,
    /// Span of the expression's string (or of the name when unknown).
    span: Range<usize>,
    note: Option<String>,
}

impl V<'_> {
    /// A string where a number is expected: the name of a `[parameters]`
    /// entry, or else an expression written in place.
    pub(super) fn name_or_expr(&mut self, f: usize, span: Range<usize>, s: &str, field: &str, dom: Domain) -> Value {
        if self.templates.contains_key(s) {
            return match self.template_slot(s) {
                Ok(i) => self.use_derived(f, span, Some(i), field, dom),
                Err(reason) => {
                    self.err(f, span, field, reason);
                    Value::Fixed(0.0)
                }
            };
        }
        if self.is_parameter_name(s) {
            return self.named_value(f, span, s, field, dom);
        }
        self.derived_with(f, span, s, field, dom, None)
    }

    /// Run `read` with the reserved variables in `bound` bound (e.g.
    /// `[("cycle", 3.0), ("age", 40.0)]`): the values it reads that use them
    /// get a slot for this binding. Sections that bind variables (matrix
    /// rows per cycle and age, tunnel rows per year) read a value once per binding.
    pub(super) fn with_bound<T>(&mut self, bound: &[(&'static str, f64)], read: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.bound, bound.to_vec());
        let out = read(self);
        self.bound = outer;
        out
    }

    /// The reserved variables expression `e` needs: the ones it names and
    /// those of the templates it reads, in [`expr::RESERVED`] order.
    fn reserved_of(&self, e: &Expr) -> Vec<&'static str> {
        let names = e.names();
        let via_template =
            |r: &str| names.iter().any(|n| self.templates.get(*n).is_some_and(|t| t.reserved.contains(&r)));
        expr::RESERVED.iter().copied().filter(|r| names.contains(r) || via_template(r)).collect()
    }

    /// The reserved variables value `v` needs (see [`Self::reserved_of`]):
    /// empty for a literal, a distribution, `"rest"` or a string that does
    /// not parse (its error is reported when it is read).
    pub(super) fn reserved_of_value(&self, v: &ValueSpec) -> Vec<&'static str> {
        let src = match v {
            ValueSpec::Name(n) if n != "rest" => n.as_str(),
            ValueSpec::Dist(d) => match &d.expr {
                Some(e) => e.get_ref().as_str(),
                None => return vec![],
            },
            _ => return vec![],
        };
        Expr::parse(src).map(|e| self.reserved_of(&e)).unwrap_or_default()
    }

    /// The bound values of the reserved variables in `needed`, in the order bound.
    fn bindings_for(&self, needed: &[&str]) -> Vec<(&'static str, f64)> {
        self.bound.iter().copied().filter(|(n, _)| needed.contains(n)).collect()
    }

    /// The derived slot (index in `params.derived`) of template `name` for
    /// the variables bound now, made on first use; the reason when one it
    /// needs is not bound here.
    fn template_slot(&mut self, name: &str) -> Result<usize, String> {
        let t = self.templates[name].clone();
        let missing: Vec<&str> =
            t.reserved.iter().copied().filter(|r| !self.bound.iter().any(|(b, _)| b == r)).collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            let (has, them) = if missing.len() == 1 { ("has", "it") } else { ("have", "them") };
            return Err(format!(
                "parameter `{name}` = \"{}\" uses {}, which {has} no value here; it can be used only where the model binds {them} ({WHERE_BOUND})",
                t.expr.source(),
                list.join(" and ")
            ));
        }
        let bindings = self.bindings_for(&t.reserved);
        let key = (format!("\u{0}{name}"), bindings.iter().map(|(n, x)| (n.to_string(), x.to_bits())).collect());
        if let Some(&i) = self.derived_cache.get(&key) {
            return Ok(i);
        }
        let vars: HashMap<&str, f64> = bindings.iter().copied().collect();
        let src = t.expr.source().to_string();
        let compiled = t
            .expr
            .bind(&vars)
            .compile(|r| -> Result<Operand, Infallible> { Ok(self.resolve(t.f, &t.span, &src, r, &t.field)) })
            .unwrap_or_else(|e| match e {});
        self.params.push_derived(Derived {
            name: name.to_string(),
            slot: 0,
            source: src,
            bindings: bindings.iter().map(|(n, x)| (n.to_string(), *x)).collect(),
            expr: compiled,
            named: true,
            note: t.note,
            comment: t.comment,
            used_by: vec![],
            limits: vec![],
        });
        let i = self.params.derived.len() - 1;
        self.derived_cache.insert(key, i);
        Ok(i)
    }

    /// True when `s` in a value position means a parameter, not an expression.
    fn is_parameter_name(&self, s: &str) -> bool {
        self.templates.contains_key(s)
            || self.named.contains_key(s)
            || self.derived_named.contains_key(s)
            || (expr::is_name(s) && !expr::is_reserved(s))
    }

    /// `{ expr = "…", note = "…" }` where a number is expected.
    pub(super) fn expr_table(&mut self, f: usize, span: Range<usize>, d: &DistSpec, field: &str, dom: Domain) -> Value {
        let e = d.expr.as_ref().expect("an expr table");
        if !self.only_expr_keys(f, span, d, field) {
            return Value::Fixed(0.0);
        }
        let note = d.note.as_ref().map(|n| n.get_ref().clone());
        self.derived_with(f, e.span(), e.get_ref(), field, dom, note)
    }

    /// An `expr` table has `expr` and perhaps `note`, nothing else.
    fn only_expr_keys(&mut self, f: usize, span: Range<usize>, d: &DistSpec, field: &str) -> bool {
        if !d.dist_missing() {
            let reason = "give either `dist` (a distribution) or `expr` (an expression of other parameters), not both";
            self.err(f, d.dist.span(), field, reason);
            return false;
        }
        let given = d.parameter_keys();
        if given.is_empty() {
            return true;
        }
        self.err(
            f,
            span,
            field,
            format!("an `expr` table takes only `expr` and `note`; got also {}", given.join(", ")),
        );
        false
    }

    /// The place of character `offset` of expression `src`, written as the
    /// TOML string at `span` of file `f`: the string's start + the quote +
    /// the offset. A string with escapes (its text differs from `src`) is
    /// placed at its start.
    fn expr_pos(&self, f: usize, span: &Range<usize>, src: &str, offset: usize) -> Range<usize> {
        let text = &self.files[f].text;
        let raw = text.get(span.start..).unwrap_or("");
        let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else if raw.starts_with('"') || raw.starts_with('\'') {
            1
        } else {
            return span.clone();
        };
        // A multi-line string drops a newline right after its opening quotes.
        let skip = if quote == 3 && raw[3..].starts_with('\n') { 1 } else { 0 };
        let inner = &raw[quote + skip..];
        if !inner.starts_with(src) || !inner[src.len()..].starts_with(&raw[..1]) {
            return span.clone();
        }
        let byte = src.char_indices().nth(offset).map_or(src.len(), |(b, _)| b);
        let at = span.start + quote + skip + byte;
        at..at + 1
    }

    /// Report `reason` about expression `src` at its character `offset`.
    fn expr_err(&mut self, f: usize, span: &Range<usize>, src: &str, offset: usize, field: &str, reason: &str) {
        let at = self.expr_pos(f, span, src, offset);
        self.err(f, at, field, format!("in the expression \"{src}\": {reason}"));
    }

    /// An expression written in place for `field` (its string at `span` of
    /// file `f`), with the reserved variables it needs taken from those
    /// bound now ([`Self::with_bound`]; see [`expr::RESERVED`]). A number
    /// when it reads no parameters (checked against `dom` now); else the
    /// slot of a derived parameter named `field`, checked against `dom` in
    /// every draw. The same expression text with the same bindings is one
    /// slot wherever it is written. Errors are reported; the placeholder
    /// `Fixed(0)` then.
    pub(super) fn derived_with(
        &mut self,
        f: usize,
        span: Range<usize>,
        src: &str,
        field: &str,
        dom: Domain,
        note: Option<String>,
    ) -> Value {
        let parsed = match Expr::parse(src) {
            Ok(e) => e,
            Err(e) => {
                self.expr_err(f, &span, src, e.offset, field, &e.reason);
                return Value::Fixed(0.0);
            }
        };
        let bindings = self.bindings_for(&self.reserved_of(&parsed));
        let vars: HashMap<&str, f64> = bindings.iter().copied().collect();
        let bound = parsed.bind(&vars);
        let errors_before = self.errors.len();
        let compiled = bound
            .compile(|r| -> Result<Operand, Infallible> { Ok(self.resolve(f, &span, src, r, field)) })
            .unwrap_or_else(|e| match e {});
        if self.errors.len() > errors_before {
            return Value::Fixed(0.0);
        }
        if let Some(x) = compiled.constant() {
            // Reads no parameter: a number like any literal.
            return self.value(f, &toml::Spanned::new(span, ValueSpec::Number(x)), field, dom);
        }
        let key = (src.to_string(), bindings.iter().map(|(n, x)| (n.to_string(), x.to_bits())).collect());
        let index = match self.derived_cache.get(&key) {
            Some(&i) => i,
            None => {
                self.params.push_derived(Derived {
                    name: field.to_string(),
                    slot: 0,
                    source: src.to_string(),
                    bindings: bindings.iter().map(|(n, x)| (n.to_string(), *x)).collect(),
                    expr: compiled,
                    named: false,
                    note,
                    comment: None,
                    used_by: vec![],
                    limits: vec![],
                });
                let i = self.params.derived.len() - 1;
                self.derived_cache.insert(key, i);
                self.remember(field.to_string(), f, span.clone());
                i
            }
        };
        self.use_derived(f, span, Some(index), field, dom)
    }

    /// Record that `field` (at `span` of file `f`) uses derived parameter
    /// `index` as a number of domain `dom`; its slot.
    pub(super) fn use_derived(
        &mut self,
        f: usize,
        span: Range<usize>,
        index: Option<usize>,
        field: &str,
        dom: Domain,
    ) -> Value {
        let Some(i) = index else { return Value::Fixed(0.0) };
        let limit = dom.derived_limit(field);
        let d = &mut self.params.derived[i];
        if d.named && !d.used_by.iter().any(|u| u == field) {
            d.used_by.push(field.to_string());
        }
        if !d.limits.contains(&limit) {
            d.limits.push(limit);
        }
        let slot = d.slot;
        self.derived_uses.push((i, f, span, field.to_string()));
        Value::Slot(slot)
    }

    /// What name `r` of expression `src` (at `span` of file `f`, used in
    /// `field`) reads: a named distribution's or derived parameter's slot.
    /// An unknown name, a dirichlet or a reserved variable without a value
    /// here is reported (with a placeholder).
    fn resolve(&mut self, f: usize, span: &Range<usize>, src: &str, r: &NameRef, field: &str) -> Operand {
        let n = r.name.as_str();
        if self.templates.contains_key(n) {
            if self.checking_template {
                return Operand::Fixed(0.0);
            }
            return match self.template_slot(n) {
                Ok(i) => {
                    let d = &mut self.params.derived[i];
                    if !d.used_by.iter().any(|u| u == field) {
                        d.used_by.push(field.to_string());
                    }
                    Operand::Slot(d.slot)
                }
                Err(reason) => {
                    self.expr_err(f, span, src, r.offset, field, &reason);
                    Operand::Fixed(0.0)
                }
            };
        }
        if let Some(d) = self.derived_named.get(n).copied() {
            let Some(i) = d else { return Operand::Fixed(0.0) };
            let d = &mut self.params.derived[i];
            if !d.used_by.iter().any(|u| u == field) {
                d.used_by.push(field.to_string());
            }
            return Operand::Slot(d.slot);
        }
        match self.named.get(n).cloned() {
            Some(None) => Operand::Fixed(0.0),
            Some(Some(p)) if p.dist.dim() > 1 => {
                let reason = format!("parameter `{n}` is a dirichlet (a whole row of probabilities); an expression can only use single numbers");
                self.expr_err(f, span, src, r.offset, field, &reason);
                Operand::Fixed(0.0)
            }
            Some(Some(p)) => {
                self.used(p.index, field);
                Operand::Slot(p.offset)
            }
            // A template is checked at its definition, before anything binds it.
            None if expr::is_reserved(n) && self.checking_template => Operand::Fixed(0.0),
            None if expr::is_reserved(n) => {
                let reason = format!(
                    "`{n}` is a reserved variable ({}), but it has no value here; it can be used only where the model binds it ({WHERE_BOUND})",
                    expr::RESERVED.join(", ")
                );
                self.expr_err(f, span, src, r.offset, field, &reason);
                Operand::Fixed(0.0)
            }
            None => {
                let known = sorted(self.named.keys().chain(self.derived_named.keys()));
                let reason = format!(
                    "unknown parameter `{n}`: a name in an expression must be defined in [parameters] (defined: {}){}",
                    list_or_none(&known),
                    hint(n, &known)
                );
                self.expr_err(f, span, src, r.offset, field, &reason);
                Operand::Fixed(0.0)
            }
        }
    }

    /// The derived `[parameters]` entries, after every distribution has its
    /// slot: parsed, put in dependency order (a cycle is an error naming
    /// it), then compiled, each one slot.
    pub(super) fn named_derived(&mut self, pending: Vec<Pending<'_>>) {
        let mut parsed: Vec<Parsed> = vec![];
        for p in pending {
            let name = p.name.get_ref().clone();
            let (src, span, note) = match p.value {
                ValueSpec::Name(s) => (s.clone(), self.string_after_key(p.f, p.name), None),
                ValueSpec::Number(x) if x.is_finite() => (format!("{x}"), p.name.span(), None),
                ValueSpec::Number(x) => {
                    self.err(p.f, p.name.span(), &p.field, format!("{x} is not a finite number"));
                    self.derived_named.insert(name, None);
                    continue;
                }
                ValueSpec::Dist(d) => {
                    let e = d.expr.as_ref().expect("a distribution table is not pending");
                    if !self.only_expr_keys(p.f, p.name.span(), d, &p.field) {
                        self.derived_named.insert(name, None);
                        continue;
                    }
                    (e.get_ref().clone(), e.span(), d.note.as_ref().map(|n| n.get_ref().clone()))
                }
            };
            match Expr::parse(&src) {
                Ok(expr) => {
                    // Known now (valid or not), so that uses before its slot
                    // exists are recognised as derived parameters.
                    self.derived_named.insert(name, None);
                    parsed.push(Parsed { p, expr, span, note });
                }
                Err(e) => {
                    self.expr_err(p.f, &span, &src, e.offset, &p.field, &e.reason);
                    self.derived_named.insert(name, None);
                }
            }
        }
        let order = self.dependency_order(&parsed);
        for i in order {
            let Parsed { p, expr, span, note } = &parsed[i];
            let src = expr.source().to_string();
            let errors_before = self.errors.len();
            let reserved = self.reserved_of(expr);
            // A template is compiled here only to report unknown names; its
            // slots are made where its variables are bound.
            self.checking_template = !reserved.is_empty();
            let compiled = expr
                .compile(|r| -> Result<Operand, Infallible> { Ok(self.resolve(p.f, span, &src, r, &p.field)) })
                .unwrap_or_else(|e| match e {});
            self.checking_template = false;
            if self.errors.len() > errors_before {
                continue;
            }
            if !reserved.is_empty() {
                let name = p.name.get_ref().clone();
                self.derived_named.remove(&name);
                let template = Template {
                    f: p.f,
                    span: span.clone(),
                    field: p.field.clone(),
                    expr: expr.clone(),
                    note: note.clone(),
                    comment: source_comment(&self.files[p.f].text, p.name.span().start),
                    reserved,
                };
                self.templates.insert(name, template);
                continue;
            }
            self.params.push_derived(Derived {
                name: p.name.get_ref().clone(),
                slot: 0,
                source: src.clone(),
                bindings: vec![],
                expr: compiled,
                named: true,
                note: note.clone(),
                comment: source_comment(&self.files[p.f].text, p.name.span().start),
                used_by: vec![],
                limits: vec![],
            });
            let index = self.params.derived.len() - 1;
            self.derived_named.insert(p.name.get_ref().clone(), Some(index));
        }
    }

    /// Indices of `parsed` with every entry after the entries it reads; a
    /// cycle is reported once, naming it, and its entries left out.
    fn dependency_order(&mut self, parsed: &[Parsed]) -> Vec<usize> {
        let index: HashMap<&str, usize> =
            parsed.iter().enumerate().map(|(i, x)| (x.p.name.get_ref().as_str(), i)).collect();
        let deps: Vec<Vec<(usize, usize)>> = parsed
            .iter()
            .map(|x| x.expr.refs().iter().filter_map(|r| index.get(r.name.as_str()).map(|&j| (j, r.offset))).collect())
            .collect();
        // 0 = not visited, 1 = on the path, 2 = done, 3 = in or after a cycle.
        let mut state = vec![0u8; parsed.len()];
        let mut order = vec![];
        for start in 0..parsed.len() {
            if state[start] != 0 {
                continue;
            }
            // Iterative depth-first search: (node, next dependency to visit).
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut k)) = path.last_mut() {
                if let Some(&(dep, offset)) = deps[node].get(*k) {
                    *k += 1;
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            path.push((dep, 0));
                        }
                        1 => {
                            let from = path.iter().position(|&(n, _)| n == dep).expect("on the path");
                            let names: Vec<&str> =
                                path[from..].iter().map(|&(n, _)| parsed[n].p.name.get_ref().as_str()).collect();
                            let cycle = format!("{} → {}", names.join(" → "), names[0]);
                            let x = &parsed[node];
                            let reason = format!(
                                "derived parameters depend on each other in a cycle: {cycle}; none of them can be computed"
                            );
                            self.expr_err(x.p.f, &x.span, x.expr.source(), offset, &x.p.field, &reason);
                            for &(n, _) in &path[from..] {
                                state[n] = 3;
                            }
                        }
                        _ => {}
                    }
                } else {
                    path.pop();
                    let failed = state[node] == 3 || deps[node].iter().any(|&(d, _)| state[d] == 3);
                    state[node] = if failed { 3 } else { 2 };
                    if !failed {
                        order.push(node);
                    }
                }
            }
        }
        order
    }

    /// The span of the string value written after key `name` (`name = "…"`)
    /// in file `f`; the key's span when it cannot be found (a dotted key, a
    /// generated file).
    fn string_after_key(&self, f: usize, name: &SString) -> Range<usize> {
        let text = &self.files[f].text;
        let span = name.span();
        let rest = text.get(span.end..).unwrap_or("");
        // The key may be quoted: its span may stop before the closing quote.
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        let after = rest.trim_start_matches([' ', '\t']);
        let Some(value) = after.strip_prefix('=') else { return span };
        let value = value.trim_start_matches([' ', '\t']);
        let start = text.len() - value.len();
        if value.starts_with(['"', '\'']) {
            start..start + 1
        } else {
            span
        }
    }

    /// Every derived value at the means of its inputs (the base case of the
    /// sensitivity analysis) against the fields that use it: a value out of
    /// range there would stop every run, so it is reported now, at the use.
    pub(super) fn check_derived_at_means(&mut self) {
        if self.params.derived.is_empty() || !self.errors.is_empty() {
            return;
        }
        let means = crate::params::means(&self.params);
        let uses = std::mem::take(&mut self.derived_uses);
        for (i, f, span, field) in &uses {
            let d = &self.params.derived[*i];
            let x = means[d.slot];
            let Some(l) = d.limits.iter().find(|l| &l.field == field) else { continue };
            if x.is_finite() && x >= l.low && x <= l.high {
                continue;
            }
            let what = if d.named { format!("parameter `{}`", d.name) } else { "this expression".to_string() };
            let reason = format!(
                "{what} = \"{}\"{} is {x} at the means of its inputs, but {field} needs {}",
                d.source,
                crate::model::bound_text(&d.bindings),
                l.what
            );
            self.err(*f, span.clone(), field, reason);
        }
        self.derived_uses = uses;
    }
}
