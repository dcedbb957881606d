//! The `[[chain]]` tables: name (unique), kind, states (2 to 64, unique), ages,
//! rest and death states; the initial distribution (general, and per area in
//! `initial_by_area`), which must cover the chain's ages; the transition
//! matrices (`[[chain.transitions]]`: general ones cover the chain's ages
//! exactly once, area-specific ones override without clashing; a death
//! state's row is the identity); and per state its yearly costs, outcome
//! weights and social value, and the costs of transitions between states.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::ages::{band_str, Band};
use super::values::Domain;
use super::V;
use crate::model::{Chain, ChainKind, CostItem, Matrix, Row, TransitionCost, Value, NONE};
use crate::scenario::file::{ChainSpec, InitialEntry, TransitionSpec};

/// The chain being read: what every step needs to place its errors and size its tables.
struct ChainAt {
    /// Index among all chains.
    c: usize,
    /// The file it is in.
    f: usize,
    /// `chain.NAME`, the start of every field path.
    field: String,
    states: Vec<String>,
    ages: Band,
}

/// The initial rows of a chain while they are read, and which row applies
/// to each (area, age) cell.
struct Initial {
    rows: Vec<Row>,
    row_for: Vec<u32>,
}

/// What each state of a chain carries (`[chain.state.X]`), by state.
struct StateValues {
    costs: Vec<Vec<CostItem>>,
    outcome_weights: Vec<Vec<Value>>,
    social_value: Vec<Value>,
    /// `mortality_hr` per state, where given.
    mortality_hr: Vec<Option<(Value, Range<usize>)>>,
}

/// The transitions of a chain while they are read: the matrices, which one
/// applies to each (area, age) cell, and which entry set each age (to report
/// entries that clash).
struct Lookup {
    n_ages: usize,
    n_areas: usize,
    matrices: Vec<Matrix>,
    matrix_for: Vec<u32>,
    /// Per age: the entry without `areas` that gives its matrix.
    general_owner: Vec<Option<usize>>,
    /// Per (area, age): the area-specific entry that gives its matrix.
    area_owner: Vec<Option<usize>>,
    /// The bands of the entries without `areas` (None where invalid).
    general_bands: Vec<Option<Band>>,
    has_general: bool,
    /// Entries with a time band (`cycles` / `years`).
    timed: Vec<super::timebands::Timed>,
    /// The period of each model cycle (empty without time bands).
    period_of: Vec<u32>,
    /// Entries whose rows use `cycle`, `year` or `age`.
    varying: Vec<VarEntry>,
}

/// The variables a transition matrix may use: its rows are read once per
/// model cycle (`cycle`, `year`) and age (`age`) they apply to.
const MATRIX_VARS: [&str; 3] = ["age", "cycle", "year"];

/// A `matrix` entry whose rows use variables of [`MATRIX_VARS`].
struct VarEntry {
    /// Index of the entry (and of the matrix read at `first`).
    entry: usize,
    /// The variables it uses.
    uses: Vec<&'static str>,
    /// (cycle, age) of the binding its own matrix was read at.
    first: (usize, usize),
}

impl Lookup {
    fn new(n_areas: usize, n_ages: usize) -> Self {
        Lookup {
            n_ages,
            n_areas,
            matrices: Vec::new(),
            matrix_for: vec![NONE; n_areas * n_ages],
            general_owner: vec![None; n_ages],
            area_owner: vec![None; n_areas * n_ages],
            general_bands: Vec::new(),
            has_general: false,
            timed: Vec::new(),
            period_of: Vec::new(),
            varying: Vec::new(),
        }
    }

    /// Entry `t` (matrix `m`, no `areas`) gives the matrix for `lo..=hi` in
    /// every area; returns the earlier general entries that gave some of those ages.
    fn set_general(&mut self, t: usize, (lo, hi): Band, m: u32) -> Vec<usize> {
        self.has_general = true;
        self.general_bands.push(Some((lo, hi)));
        let mut clash: Vec<usize> = Vec::new();
        for age in lo..=hi {
            if let Some(o) = self.general_owner[age] {
                if !clash.contains(&o) {
                    clash.push(o);
                }
            }
            self.general_owner[age] = Some(t);
            for a in 0..self.n_areas {
                self.matrix_for[a * self.n_ages + age] = m;
            }
        }
        clash
    }

    /// Entry `t` gives the matrix for `lo..=hi` in `areas`; returns the other
    /// area-specific entries that gave some of those cells.
    fn claim_areas(&mut self, t: usize, (lo, hi): Band, areas: &[usize]) -> Vec<usize> {
        let mut clash: Vec<usize> = Vec::new();
        for a in areas {
            for age in lo..=hi {
                let k = a * self.n_ages + age;
                if let Some(o) = self.area_owner[k] {
                    if o != t && !clash.contains(&o) {
                        clash.push(o);
                    }
                }
                self.area_owner[k] = Some(t);
            }
        }
        clash
    }

    /// Area-specific entries override the general ones (after all general
    /// entries, whatever the order in the file).
    fn apply_area_overrides(&mut self, transitions: &[Spanned<TransitionSpec>], (age_lo, age_hi): Band) {
        for (t, tr) in transitions.iter().enumerate() {
            if tr.get_ref().areas.is_none() || tr.get_ref().cycles.is_some() || tr.get_ref().years.is_some() {
                continue;
            }
            for a in 0..self.n_areas {
                for age in age_lo..=age_hi {
                    if self.area_owner[a * self.n_ages + age] == Some(t) {
                        // Every transitions entry pushed exactly one matrix, so entry t is matrix t.
                        self.matrix_for[a * self.n_ages + age] = t as u32;
                    }
                }
            }
        }
    }
}

impl V<'_> {
    /// Every `[[chain]]`, in merge order.
    pub(super) fn chains(&mut self) -> Vec<Chain> {
        let items = self.all(|f| &f.chain);
        self.chain_index = self.unique_items("chain", &items, |c| &c.name);
        // States and ages first, so chains can refer to each other in any order.
        for (f, c) in &items {
            let spec = c.get_ref();
            let field = format!("chain.{}", spec.name.get_ref());
            let states = self.unique_list(*f, &spec.states, &format!("{field}.states"), "state");
            let n = spec.states.get_ref().len();
            if !(2..=64).contains(&n) {
                self.err(
                    *f,
                    spec.states.span(),
                    format!("{field}.states"),
                    format!("a chain needs 2 to 64 states, got {n}"),
                );
            }
            let all_ages = (0, self.max_age);
            let ages = self.band_or_all(
                *f,
                spec.ages.as_ref(),
                &format!("{field}.ages"),
                all_ages,
                "the model's ages (max_age)",
            );
            self.chain_states.push(states);
            self.chain_names.push(spec.name.get_ref().clone());
            self.chain_ages.push(ages);
        }
        let mut out = Vec::with_capacity(items.len());
        for (c, (f, spec)) in items.iter().enumerate() {
            out.push(self.chain(c, *f, spec));
        }
        let ages = self.chain_ages.clone();
        self.one_mortality_chain_per_age(&items, &ages);
        out
    }

    fn chain(&mut self, c: usize, f: usize, ch: &Spanned<ChainSpec>) -> Chain {
        let spec = ch.get_ref();
        let name = spec.name.get_ref().clone();
        let field = format!("chain.{name}");
        self.remember(field.clone(), f, ch.span());
        let at = ChainAt { c, f, field, states: self.chain_states[c].clone(), ages: self.chain_ages[c] };
        let kind = match spec.kind.get_ref().as_str() {
            "indicator" => ChainKind::Indicator,
            "care" => ChainKind::Care,
            o => {
                self.err(
                    f,
                    spec.kind.span(),
                    format!("{}.kind", at.field),
                    format!("unknown kind \"{o}\"; use \"indicator\" or \"care\""),
                );
                ChainKind::Indicator
            }
        };
        let rest_state = match &spec.rest_state {
            None => 0,
            Some(r) => self.state_named(f, r, c, &format!("{}.rest_state", at.field)).unwrap_or(0),
        };
        let mut death = vec![false; at.states.len()];
        if let Some(ds) = &spec.death_states {
            for (i, d) in ds.get_ref().iter().enumerate() {
                if let Some(s) = self.state_named(f, d, c, &format!("{}.death_states[{i}]", at.field)) {
                    death[s] = true;
                }
            }
        }
        let initial = self.initial(&at, spec);
        let lookup = self.transitions(&at, ch, &death);
        let values = self.state_values(&at, spec);
        let transition_costs = self.transition_costs(&at, spec);
        let mortality_hr = self.state_mortality(f, &at.field, &at.states, &values.mortality_hr, &death);
        let lookup_sexes = if mortality_hr.is_empty() { 1 } else { self.sexes };
        let matrix_for = by_sex(&lookup.matrix_for, self.max_age + 1, lookup_sexes);
        let stay_to = (0..at.states.len()).collect();
        Chain {
            name,
            kind,
            states: at.states,
            rest_state,
            death,
            age_lo: at.ages.0,
            age_hi: at.ages.1,
            initial_rows: initial.rows,
            initial_for: initial.row_for,
            matrices: lookup.matrices,
            matrix_for,
            state_costs: values.costs,
            outcome_weights: values.outcome_weights,
            social_value: values.social_value,
            transition_costs,
            period_of: lookup.period_of,
            lookup_sexes,
            mortality_hr,
            stay_to,
        }
    }

    /// Initial rows: the general list, then per-area overrides, each covering the chain's ages.
    fn initial(&mut self, at: &ChainAt, spec: &ChainSpec) -> Initial {
        let mut init = Initial { rows: Vec::new(), row_for: vec![NONE; self.n_areas * (self.max_age + 1)] };
        match &spec.initial {
            Some(list) => self.initial_list(at, list, &format!("{}.initial", at.field), None, &mut init),
            None => self.err(
                at.f,
                spec.name.span(),
                format!("{}.initial", at.field),
                format!("chain `{}` has no initial distribution: add initial = [{{ ages = \"{}\", p = [...] }}] (one probability per state)", spec.name.get_ref(), band_str(at.ages)),
            ),
        }
        if let Some(by_area) = &spec.initial_by_area {
            for (area, list) in &by_area.0 {
                let lf = format!("{}.initial_by_area.{}", at.field, area.get_ref());
                // Checked even when the name is a profile without areas in this run.
                let areas = self.areas_of(at.f, area, &lf);
                self.initial_list(at, list, &lf, Some(&areas), &mut init);
            }
        }
        init
    }

    /// One list of initial rows; `areas`: the areas an `initial_by_area` list
    /// applies to (None: all). Rows are read once, so a distribution in them
    /// is one parameter.
    fn initial_list(
        &mut self,
        at: &ChainAt,
        list: &Spanned<Vec<Spanned<InitialEntry>>>,
        lf: &str,
        areas: Option<&[usize]>,
        init: &mut Initial,
    ) {
        let f = at.f;
        let parsed = self.entry_bands(f, list.get_ref(), |e| &e.ages, lf, at.ages, "the chain's ages");
        self.check_cover(
            f,
            list.span(),
            lf,
            &parsed,
            at.ages,
            &format!("the initial distribution must cover every age of the chain ({})", band_str(at.ages)),
        );
        let n_ages = self.max_age + 1;
        for (i, (e, b)) in list.get_ref().iter().zip(&parsed).enumerate() {
            let row = self.row(f, &e.get_ref().p, &format!("{lf}[{i}].p"), &at.states);
            let idx = init.rows.len() as u32;
            init.rows.push(row);
            if let Some((lo, hi)) = b {
                for a in 0..self.n_areas {
                    if areas.is_some_and(|x| !x.contains(&a)) {
                        continue;
                    }
                    init.row_for[a * n_ages + *lo..=a * n_ages + *hi].fill(idx);
                }
            }
        }
    }

    /// Transitions: general entries must cover the chain's ages once; area
    /// entries override for their areas; equal specificity may not overlap.
    fn transitions(&mut self, at: &ChainAt, ch: &Spanned<ChainSpec>, death: &[bool]) -> Lookup {
        let spec = ch.get_ref();
        let f = at.f;
        let mut lk = Lookup::new(self.n_areas, self.max_age + 1);
        for (t, tr) in spec.transitions.iter().enumerate() {
            let ts = tr.get_ref();
            let tf = format!("{}.transitions[{t}]", at.field);
            if ts.years_in_state.is_some() || ts.rows.is_some() {
                // Rows of tunnel states by years in the state: read in `tunnel`.
                // The placeholder keeps entry t at matrix t.
                lk.matrices.push(Matrix { rows: Vec::new() });
                continue;
            }
            let band = match &ts.ages {
                None => Some(at.ages),
                Some(a) => self.band(f, a, &format!("{tf}.ages"), at.ages, "the chain's ages"),
            };
            let ages_span = ts.ages.as_ref().map_or(tr.span(), |a| a.span());
            let when = self.time_band(f, ts, &tf);
            let uses = self.matrix_reserved(tr);
            let first_cycle = match &when {
                Some(Some((lo, _))) => *lo,
                _ => 0,
            };
            let first_age = band.map_or(at.ages.0, |b| b.0);
            let matrix = if uses.is_empty() {
                self.matrix(at, tr, &tf, death)
            } else {
                let b = VarEntry { entry: t, uses, first: (first_cycle, first_age) };
                let errors_before = self.errors.len();
                let m = self
                    .with_bound(&self.bindings_at(&b.uses, first_cycle, first_age), |v| v.matrix(at, tr, &tf, death));
                if self.errors.len() == errors_before {
                    lk.varying.push(b);
                }
                m
            };
            let m = lk.matrices.len() as u32;
            lk.matrices.push(matrix);
            let Some(band) = band else {
                if ts.areas.is_none() && when.is_none() {
                    lk.general_bands.push(None);
                    lk.has_general = true;
                }
                continue;
            };
            if let Some(when) = when {
                let Some(cycles) = when else { continue };
                let areas = ts.areas.as_ref().map(|list| {
                    let mut targets = Vec::new();
                    for (i, s) in list.get_ref().iter().enumerate() {
                        targets.extend(self.areas_of(f, s, &format!("{tf}.areas[{i}]")));
                    }
                    targets
                });
                let span = ts.cycles.as_ref().or(ts.years.as_ref()).map_or(tr.span(), |c| c.span());
                lk.timed.push(super::timebands::Timed { entry: t, ages: band, areas, cycles, span });
                continue;
            }
            match &ts.areas {
                None => {
                    for o in lk.set_general(t, band, m) {
                        self.err(
                            f,
                            ages_span.clone(),
                            format!("{tf}.ages"),
                            format!("transitions[{t}] and transitions[{o}] both give the matrix for some of ages {} in all areas; each age needs exactly one general matrix (use `areas` for area-specific ones)", band_str(band)),
                        );
                    }
                }
                Some(list) => {
                    let mut targets = Vec::new();
                    for (i, s) in list.get_ref().iter().enumerate() {
                        targets.extend(self.areas_of(f, s, &format!("{tf}.areas[{i}]")));
                    }
                    for o in lk.claim_areas(t, band, &targets) {
                        self.err(
                            f,
                            ages_span.clone(),
                            format!("{tf}.ages"),
                            format!("transitions[{t}] and transitions[{o}] both give the matrix for the same area and ages; each area and age may have one area-specific matrix"),
                        );
                    }
                }
            }
        }
        self.check_general_transitions(at, ch, &lk);
        lk.apply_area_overrides(&spec.transitions, at.ages);
        let timed = std::mem::take(&mut lk.timed);
        let tf = format!("{}.transitions", at.field);
        let (period_of, matrix_for) = self.time_periods(f, &tf, &timed, &lk.matrix_for, &lk.area_owner);
        lk.period_of = period_of;
        lk.matrix_for = matrix_for;
        self.instantiate(at, ch, death, &mut lk);
        lk
    }

    /// The reserved variables the rows of a `matrix` entry use (through
    /// expressions or `[parameters]` templates); only `cycle`, `year` and
    /// `age` are bound in a matrix, so another is reported where it is read.
    fn matrix_reserved(&self, tr: &Spanned<TransitionSpec>) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for row in tr.get_ref().matrix.iter().flat_map(|m| m.get_ref()) {
            if let crate::scenario::file::RowSpec::Entries(entries) = row.get_ref() {
                for e in entries {
                    for r in self.reserved_of_value(e.get_ref()) {
                        if MATRIX_VARS.contains(&r) && !out.contains(&r) {
                            out.push(r);
                        }
                    }
                }
            }
        }
        out
    }

    /// The values of the variables in `uses` in model cycle `cycle` at `age`.
    fn bindings_at(&self, uses: &[&'static str], cycle: usize, age: usize) -> Vec<(&'static str, f64)> {
        let year = self.start_year as f64 + self.year_of_cycle.get(cycle).copied().unwrap_or(cycle) as f64;
        uses.iter()
            .map(|&u| match u {
                "cycle" => (u, cycle as f64),
                "year" => (u, year),
                _ => (u, age as f64),
            })
            .collect()
    }

    /// Give every (period, area, age) cell whose entry varies by cycle, year
    /// or age ([`VarEntry`]) the entry's matrix for that binding: a cycle in
    /// which such an entry applies becomes a period of its own, and each
    /// distinct binding one matrix (read once, its values one slot each).
    /// An entry whose matrix is invalid for some binding (a probability
    /// above 1 in cycle 12) is reported once, naming the binding.
    fn instantiate(&mut self, at: &ChainAt, ch: &Spanned<ChainSpec>, death: &[bool], lk: &mut Lookup) {
        let varying = std::mem::take(&mut lk.varying);
        if varying.is_empty() {
            return;
        }
        let var_of = |m: u32| varying.iter().find(|b| b.entry as u32 == m);
        let by_cycle = |b: &VarEntry| b.uses.iter().any(|u| *u == "cycle" || *u == "year");
        let (h, n_ages) = (self.horizon, self.max_age + 1);
        let layer = self.n_areas * n_ages;
        let n_periods = lk.matrix_for.len() / layer;
        let old_period_of: Vec<usize> = match lk.period_of.is_empty() {
            true => vec![0; h],
            false => lk.period_of.iter().map(|&p| p as usize).collect(),
        };
        // Periods whose layer holds an entry that varies by cycle split into one per cycle.
        let splits: Vec<bool> = (0..n_periods)
            .map(|p| lk.matrix_for[p * layer..(p + 1) * layer].iter().any(|&m| var_of(m).is_some_and(by_cycle)))
            .collect();
        let mut periods: Vec<(usize, Option<usize>)> = Vec::new();
        let mut period_of = Vec::with_capacity(h);
        for (k, &p) in old_period_of.iter().enumerate() {
            let sig = (p, splits[p].then_some(k));
            let q = periods.iter().position(|x| *x == sig).unwrap_or_else(|| {
                periods.push(sig);
                periods.len() - 1
            });
            period_of.push(q as u32);
        }
        let mut made: HashMap<(u32, Option<usize>, Option<usize>), u32> = HashMap::new();
        let mut failed: Vec<u32> = Vec::new();
        let mut matrix_for = vec![NONE; periods.len() * layer];
        for (q, &(p, k)) in periods.iter().enumerate() {
            for cell in 0..layer {
                let m = lk.matrix_for[p * layer + cell];
                let Some(b) = var_of(m).filter(|_| !failed.contains(&m)) else {
                    matrix_for[q * layer + cell] = m;
                    continue;
                };
                let age = cell % n_ages;
                let cycle = if by_cycle(b) { k.expect("a period of its own") } else { b.first.0 };
                let age_key = b.uses.contains(&"age").then_some(age);
                let key = (m, by_cycle(b).then_some(cycle), age_key);
                let first = (m, by_cycle(b).then_some(b.first.0), b.uses.contains(&"age").then_some(b.first.1));
                let index = if key == first {
                    m
                } else if let Some(&i) = made.get(&key) {
                    i
                } else {
                    let tr = &ch.get_ref().transitions[b.entry];
                    let tf = format!("{}.transitions[{}]", at.field, b.entry);
                    let bound = self.bindings_at(&b.uses, cycle, age);
                    let errors_before = self.errors.len();
                    let matrix = self.with_bound(&bound, |v| v.matrix(at, tr, &tf, death));
                    if self.errors.len() > errors_before {
                        let with: Vec<String> = bound.iter().map(|(n, x)| format!("{n} = {x}")).collect();
                        for e in &mut self.errors[errors_before..] {
                            e.reason.push_str(&format!(" (with {})", with.join(", ")));
                        }
                        failed.push(m);
                        m
                    } else {
                        lk.matrices.push(matrix);
                        let i = (lk.matrices.len() - 1) as u32;
                        made.insert(key, i);
                        i
                    }
                };
                matrix_for[q * layer + cell] = index;
            }
        }
        if periods.len() > 1 || !lk.period_of.is_empty() {
            lk.period_of = period_of;
        }
        lk.matrix_for = matrix_for;
    }

    /// Transitions without `areas` exist and together cover the chain's ages.
    fn check_general_transitions(&mut self, at: &ChainAt, ch: &Spanned<ChainSpec>, lk: &Lookup) {
        let spec = ch.get_ref();
        if !lk.has_general {
            self.err(
                at.f,
                spec.name.span(),
                format!("{}.transitions", at.field),
                format!("chain `{}` has no transitions without `areas`: add [[chain.transitions]] with a matrix for ages {}", spec.name.get_ref(), band_str(at.ages)),
            );
        } else {
            let span: Range<usize> = spec.transitions.first().map_or(ch.span(), |t| t.span());
            self.check_cover(
                at.f,
                span,
                &format!("{}.transitions", at.field),
                &lk.general_bands,
                at.ages,
                "transitions without `areas` must together cover the chain's ages (area-specific ones only override)",
            );
        }
    }

    /// One transition matrix: a row per from-state; a death state's row is the identity.
    fn matrix(&mut self, at: &ChainAt, tr: &Spanned<TransitionSpec>, tf: &str, death: &[bool]) -> Matrix {
        let n = at.states.len();
        let Some(matrix) = &tr.get_ref().matrix else {
            self.err(at.f, tr.span(), format!("{tf}.matrix"), "missing required key `matrix` (one row per state)");
            return Matrix { rows: Vec::new() };
        };
        let rows = matrix.get_ref();
        if rows.len() != n {
            self.err(
                at.f,
                matrix.span(),
                format!("{tf}.matrix"),
                format!(
                    "matrix has {} rows, but the chain has {n} states ({}); give one row per from-state",
                    rows.len(),
                    at.states.join(", ")
                ),
            );
        }
        let mut m_rows = Vec::with_capacity(n);
        for (r, row) in rows.iter().enumerate().take(n) {
            let rf = format!("{tf}.matrix[{r}]");
            m_rows.push(self.row(at.f, row, &rf, &at.states));
            if death[r] {
                self.check_death_row(at.f, row, &rf, r, &at.states[r]);
            }
        }
        Matrix { rows: m_rows }
    }

    /// Per state (`[chain.state.X]`): yearly costs, outcome weights and social value.
    fn state_values(&mut self, at: &ChainAt, spec: &ChainSpec) -> StateValues {
        let n = at.states.len();
        let mut out = StateValues {
            costs: vec![Vec::new(); n],
            outcome_weights: vec![vec![Value::Fixed(0.0); self.outcomes.len()]; n],
            social_value: vec![Value::Fixed(0.0); n],
            mortality_hr: vec![None; n],
        };
        let Some(st) = &spec.state else { return out };
        for (sname, ss) in &st.0 {
            let sf = format!("{}.state.{}", at.field, sname.get_ref());
            let Some(s) = self.state_named(at.f, sname, at.c, &sf) else { continue };
            if let Some(costs) = &ss.costs {
                out.costs[s] = self.cost_items(at.f, costs, &format!("{sf}.costs"));
            }
            if let Some(o) = &ss.outcomes {
                let unknown = |name: &str, known: &str| {
                    format!("`{name}` is not an outcome of the model; declare it in model.outcomes (declared: {known})")
                };
                for (k, v) in self.outcome_values(at.f, o, &format!("{sf}.outcomes"), Domain::Outcome, unknown) {
                    out.outcome_weights[s][k] = v;
                }
            }
            if let Some(v) = &ss.social_value {
                out.social_value[s] = self.value(at.f, v, &format!("{sf}.social_value"), Domain::Money);
            }
            if let Some(v) = &ss.mortality_hr {
                let hr = self.value(at.f, v, &format!("{sf}.mortality_hr"), Domain::RelativeRisk);
                out.mortality_hr[s] = Some((hr, v.span()));
            }
        }
        out
    }

    /// `[[chain.transition_cost]]`: one-off costs and outcomes of moving
    /// between two different states (`costs`, `outcomes` or both).
    fn transition_costs(&mut self, at: &ChainAt, spec: &ChainSpec) -> Vec<TransitionCost> {
        let f = at.f;
        let mut out = Vec::new();
        for (i, tc) in spec.transition_cost.iter().enumerate() {
            let tf = format!("{}.transition_cost[{i}]", at.field);
            let t = tc.get_ref();
            let from = self.state_named(f, &t.from, at.c, &format!("{tf}.from"));
            let to = self.state_named(f, &t.to, at.c, &format!("{tf}.to"));
            let items = match &t.costs {
                Some(c) => self.cost_items(f, c, &format!("{tf}.costs")),
                None => vec![],
            };
            let outcomes = match &t.outcomes {
                Some(o) => self.one_off_outcomes(f, o, &format!("{tf}.outcomes")),
                None => vec![],
            };
            if t.costs.is_none() && t.outcomes.is_none() {
                self.err(
                    f,
                    tc.span(),
                    tf.clone(),
                    "a transition cost needs `costs` (euros per move), `outcomes` (units per move, e.g. { qaly = -0.01 }) or both",
                );
            }
            if let (Some(from), Some(to)) = (from, to) {
                if from == to {
                    self.err(f, t.to.span(), format!("{tf}.to"), "a transition cost needs two different states (staying in a state is not a transition; use the state's yearly costs)");
                } else {
                    out.push(TransitionCost { from, to, items, outcomes });
                }
            }
        }
        out
    }

    /// Outcome units per event or per person-year, `[outcome]` for every
    /// model outcome (0 where not named); a name not in `model.outcomes` is an error.
    pub(super) fn one_off_outcomes(
        &mut self,
        f: usize,
        o: &crate::scenario::file::OrderedMap<Spanned<crate::scenario::file::ValueSpec>>,
        field: &str,
    ) -> Vec<Value> {
        let unknown = |name: &str, known: &str| {
            format!("`{name}` is not an outcome of the model; declare it in model.outcomes (declared: {known})")
        };
        let mut out = vec![Value::Fixed(0.0); self.outcomes.len()];
        for (k, v) in self.outcome_values(f, o, field, Domain::Outcome, unknown) {
            out[k] = v;
        }
        out
    }
}

/// `matrix_for` (one row of `n_ages` per period and area) with each row
/// repeated for each of `sexes` sexes: the layout [`crate::model::Chain::cell`] reads.
fn by_sex(matrix_for: &[u32], n_ages: usize, sexes: usize) -> Vec<u32> {
    if sexes == 1 {
        return matrix_for.to_vec();
    }
    matrix_for.chunks(n_ages).flat_map(|row| std::iter::repeat_n(row, sexes).flatten().copied()).collect()
}
