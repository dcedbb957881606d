//! Tunnel states (tunneltoestanden): a state tracked by the years since a
//! person entered it. `[chain.state.S] tunnel = N` makes S into N engine
//! states `S`, `S@2`, …, `S@N` (year 1, 2, …, N or more); entering S goes to
//! `S`, staying moves one year on (N stays N), and exits leave from every year
//! alike. `[[chain.transitions]] years_in_state = "2-3"` with `rows = { S = Row }`
//! gives a tunnel state another row in those years (by default every year
//! uses the state's row of the matrix).
//!
//! Two steps, so that the other sections need not know about tunnels:
//! [`V::tunnels`] checks the keys right after the chains are read (the rows
//! are read over the states as written), and [`expand`] rewrites the finished
//! model: every chain with a tunnel gets its engine states, and every state
//! set that names a tunnel state (risk factors, effects, targets) names all
//! of its years. Written rows keep their own columns and are spread over the
//! engine's states by [`Row::Spread`], so a chain without tunnels is left
//! exactly as it was.

use std::collections::HashMap;
use std::ops::Range;

use super::ages::band_str;
use super::V;
use crate::model::{Chain, Effect, Matrix, Model, Row, StateSet, TransitionCost, NONE};
use crate::scenario::file::{ChainSpec, RowSpec, SString, TransitionSpec};
use crate::sim::plan::{Dim, Plan};

/// A chain has at most this many engine states (a [`StateSet`] is 64 bits).
const MAX_STATES: usize = 64;

/// A tunnel chain simulated jointly with others in a block of more joint
/// states than this gets a warning (cohort-mode time grows with the product).
const JOINT_WARN: usize = 256;

/// The checked tunnel states of one chain: what [`expand`] needs.
#[derive(Debug)]
pub(super) struct ChainTunnels {
    /// Years tracked per state as written (1 = not a tunnel state).
    len: Vec<usize>,
    /// Offset of each tunnel state's years in a cell's override slice
    /// (meaningless for other states).
    pos_off: Vec<usize>,
    /// Number of tunnel years over all tunnel states of the chain.
    n_pos: usize,
    /// Rows given by `years_in_state` entries, over the states as written.
    rows: Vec<Row>,
    /// `ov[(area * n_ages + age) * n_pos + pos_off[s] + k - 1]`: the row of
    /// tunnel state `s` in year `k` at (area, age), an index into `rows`, or
    /// NONE for the row of the matrix that applies there.
    ov: Vec<u32>,
    /// Where the first `tunnel` key is (file, span, field), for warnings.
    key: (usize, Range<usize>, String),
}

/// A `years_in_state` entry while it is read.
struct YearsEntry {
    t: usize,
    years: (usize, usize),
    ages: (usize, usize),
    /// None: every area.
    areas: Option<Vec<usize>>,
    /// (written state, the one year it is for when its row uses
    /// `years_in_state`, index into `rows`).
    rows: Vec<(usize, Option<usize>, u32)>,
    span: Range<usize>,
}

/// Parse "2-3" or "2" as years in a state (1-based, lo ≤ hi).
fn parse_years(s: &str) -> Option<(usize, usize)> {
    let num = |t: &str| -> Option<usize> {
        let t = t.trim();
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (lo, hi) = match s.trim().split_once('-') {
        Some((a, b)) => (num(a)?, num(b)?),
        None => {
            let a = num(s)?;
            (a, a)
        }
    };
    (lo >= 1 && lo <= hi).then_some((lo, hi))
}

/// The engine state name of year `k` (1-based) of state `name`.
pub(crate) fn year_name(name: &str, k: usize) -> String {
    if k == 1 {
        name.to_string()
    } else {
        format!("{name}@{k}")
    }
}

impl V<'_> {
    /// Check every chain's `tunnel` keys and `years_in_state` entries
    /// (`chains` as read, in the same order); None for a chain without
    /// tunnel states or with errors in them.
    pub(super) fn tunnels(&mut self, chains: &[Chain]) -> Vec<Option<ChainTunnels>> {
        let items = self.all(|f| &f.chain);
        let mut out = Vec::with_capacity(items.len());
        for (c, (f, spec)) in items.iter().enumerate() {
            out.push(chains.get(c).and_then(|ch| self.chain_tunnels(c, *f, spec.get_ref(), ch)));
        }
        out
    }

    fn chain_tunnels(&mut self, c: usize, f: usize, spec: &ChainSpec, ch: &Chain) -> Option<ChainTunnels> {
        let field = format!("chain.{}", spec.name.get_ref());
        let states = self.chain_states[c].clone();
        let n = states.len();
        let mut len = vec![1usize; n];
        let mut keys: Vec<(usize, Range<usize>, String)> = Vec::new();
        let mut ok = true;
        if let Some(st) = &spec.state {
            for (sname, ss) in &st.0 {
                let Some(tn) = &ss.tunnel else { continue };
                let kf = format!("{field}.state.{}.tunnel", sname.get_ref());
                // An unknown state is reported with its other keys.
                let Some(s) = states.iter().position(|x| x == sname.get_ref()) else {
                    ok = false;
                    continue;
                };
                let v = *tn.get_ref();
                let reason = if !(2..MAX_STATES as i64).contains(&v) {
                    Some(format!("`tunnel` is the number of years tracked in the state (the last meaning that many or more), a whole number from 2 to {}, got {v}", MAX_STATES - 1))
                } else if ch.death.get(s).copied().unwrap_or(false) {
                    Some(format!(
                        "`{}` is a death state and cannot be a tunnel state: nobody stays in it",
                        sname.get_ref()
                    ))
                } else if ch.rest_state == s {
                    Some(format!("`{}` is the chain's rest state (the first state unless rest_state names another) and cannot be a tunnel state: moving on a year would count as a trajectory start; make another state the rest state", sname.get_ref()))
                } else {
                    None
                };
                if let Some(r) = reason {
                    self.err(f, tn.span(), kf, r);
                    ok = false;
                    continue;
                }
                len[s] = v as usize;
                for k in 2..=len[s] {
                    let name = year_name(&states[s], k);
                    if states.contains(&name) {
                        self.err(f, tn.span(), kf.clone(), format!("the chain already has a state `{name}`, the name of year {k} of tunnel state `{}`; rename that state", states[s]));
                        ok = false;
                    }
                }
                keys.push((s, tn.span(), kf));
            }
        }
        let total: usize = len.iter().sum();
        if total > MAX_STATES {
            let list: Vec<String> = keys.iter().map(|(s, _, _)| format!("{} = {}", states[*s], len[*s])).collect();
            let (_, span, kf) = keys[0].clone();
            self.err(
                f,
                span,
                kf,
                format!("with the years of its tunnel states ({}) chain `{}` has {total} states; a chain may have at most {MAX_STATES}", list.join(", "), spec.name.get_ref()),
            );
            ok = false;
        }
        let mut pos_off = vec![0usize; n];
        let mut n_pos = 0;
        for s in 0..n {
            if len[s] > 1 {
                pos_off[s] = n_pos;
                n_pos += len[s];
            }
        }
        let mut rows = Vec::new();
        let mut entries = Vec::new();
        for (t, tr) in spec.transitions.iter().enumerate() {
            let ts = tr.get_ref();
            if ts.years_in_state.is_some() || ts.rows.is_some() {
                let tf = format!("{field}.transitions[{t}]");
                match self.years_entry(c, f, t, ts, &tf, &len, &mut rows) {
                    Some(e) => entries.push(e),
                    None => ok = false,
                }
            }
        }
        if !ok || keys.is_empty() {
            return None;
        }
        let ov = self.overrides(&entries, &states, &len, &pos_off, n_pos, &field, f)?;
        let (_, span, kf) = keys[0].clone();
        Some(ChainTunnels { len, pos_off, n_pos, rows, ov, key: (f, span, kf) })
    }

    /// One `[[chain.transitions]]` entry with `years_in_state` or `rows`;
    /// None when it has errors (all reported).
    #[allow(clippy::too_many_arguments)]
    fn years_entry(
        &mut self,
        c: usize,
        f: usize,
        t: usize,
        ts: &TransitionSpec,
        tf: &str,
        len: &[usize],
        rows: &mut Vec<Row>,
    ) -> Option<YearsEntry> {
        let (y, rmap) = match (&ts.years_in_state, &ts.rows, &ts.matrix) {
            (_, Some(_), Some(m)) => {
                self.err(f, m.span(), format!("{tf}.matrix"), "`matrix` and `rows` exclude each other: an entry gives either a whole matrix, or (with years_in_state) the rows of tunnel states");
                return None;
            }
            (None, Some(r), None) => {
                self.err(f, r.span(), format!("{tf}.rows"), "`rows` gives tunnel states their rows in some years since entering them: add years_in_state = \"2-3\" (or give a whole `matrix` instead)");
                return None;
            }
            (Some(y), None, Some(m)) => {
                self.err(f, m.span(), format!("{tf}.matrix"), format!("an entry with years_in_state gives the rows of tunnel states in `rows` (rows = {{ STATE = [...] }}), not a `matrix`; years_in_state = \"{}\" is at {}", y.get_ref(), self.pos(f, &y.span())));
                return None;
            }
            (Some(y), None, None) => {
                self.err(
                    f,
                    y.span(),
                    format!("{tf}.rows"),
                    "years_in_state needs `rows`: a table of tunnel state → row, e.g. rows = { S1 = [0.8, 0.2] }",
                );
                return None;
            }
            (Some(y), Some(r), None) => (y, r),
            (None, None, _) => return None,
        };
        let mut ok = true;
        let years = self.years_band(f, y, &format!("{tf}.years_in_state"));
        let chain_ages = self.chain_ages[c];
        let ages = match &ts.ages {
            None => Some(chain_ages),
            Some(a) => self.band(f, a, &format!("{tf}.ages"), chain_ages, "the chain's ages"),
        };
        let areas = ts.areas.as_ref().map(|list| {
            let mut targets = Vec::new();
            for (i, s) in list.get_ref().iter().enumerate() {
                targets.extend(self.areas_of(f, s, &format!("{tf}.areas[{i}]")));
            }
            targets
        });
        let states = self.chain_states[c].clone();
        let mut out_rows = Vec::new();
        if rmap.get_ref().0.is_empty() {
            self.err(f, rmap.span(), format!("{tf}.rows"), "`rows` is empty: give at least one tunnel state's row");
            ok = false;
        }
        for (key, r) in &rmap.get_ref().0 {
            let rf = format!("{tf}.rows.{}", key.get_ref());
            let Some(s) = self.state_named(f, key, c, &rf) else {
                ok = false;
                continue;
            };
            if len[s] < 2 {
                self.err(f, key.span(), rf, format!("`{}` is not a tunnel state; rows by years in the state are for tunnel states (give it `tunnel = N` under [chain.state.{}])", key.get_ref(), key.get_ref()));
                ok = false;
                continue;
            }
            if let Some((lo, hi)) = years {
                if hi > len[s] {
                    self.err(
                        f,
                        y.span(),
                        format!("{tf}.years_in_state"),
                        format!("years {} lie beyond tunnel state `{}` (tunnel = {}: years 1 to {}, the last meaning {} or more)", band_str((lo, hi)), key.get_ref(), len[s], len[s], len[s]),
                    );
                    ok = false;
                }
            }
            let by_year = match r.get_ref() {
                RowSpec::Entries(e) => {
                    e.iter().any(|v| self.reserved_of_value(v.get_ref()).contains(&"years_in_state"))
                }
                _ => false,
            };
            match years.filter(|_| by_year) {
                // A row that uses years_in_state is read once per year of the band.
                Some((lo, hi)) => {
                    for k in lo..=hi.min(len[s]) {
                        let errors_before = self.errors.len();
                        let row = self.with_bound(&[("years_in_state", k as f64)], |v| v.row(f, r, &rf, &states));
                        rows.push(row);
                        out_rows.push((s, Some(k), (rows.len() - 1) as u32));
                        if self.errors.len() > errors_before {
                            for e in &mut self.errors[errors_before..] {
                                e.reason.push_str(&format!(" (with years_in_state = {k})"));
                            }
                            break;
                        }
                    }
                }
                None => {
                    let row = self.row(f, r, &rf, &states);
                    rows.push(row);
                    out_rows.push((s, None, (rows.len() - 1) as u32));
                }
            }
        }
        let (Some(years), Some(ages), true) = (years, ages, ok) else { return None };
        Some(YearsEntry { t, years, ages, areas, rows: out_rows, span: y.span() })
    }

    /// A `years_in_state` band: "2-3" or "2", years from 1.
    fn years_band(&mut self, f: usize, s: &SString, field: &str) -> Option<(usize, usize)> {
        let b = parse_years(s.get_ref());
        if b.is_none() {
            self.err(f, s.span(), field, format!("years_in_state \"{}\" is not valid: write \"lo-hi\" (inclusive, e.g. \"2-3\") or a single year like \"2\"; year 1 is the first year in the state", s.get_ref()));
        }
        b
    }

    /// Which row each tunnel year takes in each (area, age): entries with
    /// `areas` before those without; two of the same kind may not give the
    /// same year and age (and area). None after a clash (reported).
    #[allow(clippy::too_many_arguments)]
    fn overrides(
        &mut self,
        entries: &[YearsEntry],
        states: &[String],
        len: &[usize],
        pos_off: &[usize],
        n_pos: usize,
        field: &str,
        f: usize,
    ) -> Option<Vec<u32>> {
        let n_ages = self.max_age + 1;
        let n_areas = self.n_areas;
        let mut ov = vec![NONE; n_areas * n_ages * n_pos];
        // Per (area, age, year): the entry that gave it, general ones first.
        let mut owner: Vec<Option<usize>> = vec![None; n_areas * n_ages * n_pos];
        let mut ok = true;
        for specific in [false, true] {
            for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.areas.is_some() == specific) {
                let mut clash: Vec<(usize, usize, usize)> = Vec::new();
                let all: Vec<usize> = (0..n_areas).collect();
                let areas = e.areas.as_deref().unwrap_or(&all);
                for &(s, year, r) in &e.rows {
                    let (lo, hi) = year.map_or((e.years.0, e.years.1.min(len[s])), |k| (k, k));
                    for k in lo..=hi {
                        let p = pos_off[s] + k - 1;
                        for &a in areas {
                            for age in e.ages.0..=e.ages.1 {
                                let cell = (a * n_ages + age) * n_pos + p;
                                if let Some(o) = owner[cell] {
                                    if o != i
                                        && entries[o].areas.is_some() == specific
                                        && !clash.iter().any(|&(oo, ss, _)| oo == o && ss == s)
                                    {
                                        clash.push((o, s, k));
                                    }
                                }
                                owner[cell] = Some(i);
                                ov[cell] = r;
                            }
                        }
                    }
                }
                for (o, s, k) in clash {
                    let kind = if specific { "for the same area" } else { "without `areas`" };
                    self.err(
                        f,
                        e.span.clone(),
                        format!("{field}.transitions[{}].years_in_state", e.t),
                        format!("transitions[{}] and transitions[{}] both give the row of `{}` in year {k} (and maybe more) {kind} at some of ages {}; each tunnel year and age may have one such row", e.t, entries[o].t, states[s], band_str(e.ages)),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(ov)
    }

    /// Warn where a tunnel chain is simulated jointly with other chains in a
    /// block of many joint states (run after [`expand`]).
    pub(super) fn tunnel_joint_warnings(&mut self, model: &Model, tunnels: &[Option<ChainTunnels>]) {
        if tunnels.iter().all(Option::is_none) {
            return;
        }
        let Ok(plan) = Plan::new(model) else { return };
        let mut worst: Vec<usize> = vec![0; tunnels.len()];
        for arm in &plan.arms {
            for b in &arm.blocks {
                let chains: Vec<usize> = b
                    .dims
                    .iter()
                    .filter_map(|&d| match arm.dims[d] {
                        Dim::Chain(c) => Some(c),
                        Dim::Exposure(_) => None,
                    })
                    .collect();
                if chains.len() < 2 {
                    continue;
                }
                let product: usize = chains.iter().map(|&c| model.chains[c].n_states()).product();
                for &c in &chains {
                    if tunnels[c].is_some() {
                        worst[c] = worst[c].max(product);
                    }
                }
            }
        }
        for (c, t) in tunnels.iter().enumerate() {
            let Some(t) = t else { continue };
            if worst[c] > JOINT_WARN {
                let (f, span, kf) = t.key.clone();
                let msg = format!(
                    "chain `{}` counts {} states with the years of its tunnel states and is simulated jointly with other chains (risk factors or interventions link them) in {} joint states; cohort-mode time grows with that product (keep it below ~{JOINT_WARN}: fewer tunnel years, or fewer linked chains)",
                    model.chains[c].name,
                    model.chains[c].n_states(),
                    worst[c]
                );
                self.warn(f, span, kf, &msg);
            }
        }
    }
}

/// Rewrite `model` with the engine states of every chain's tunnel states
/// (`tunnels` from [`V::tunnels`], by chain), and every state set that
/// names a tunnel state with all of its years.
pub(super) fn expand(model: &mut Model, tunnels: &[Option<ChainTunnels>]) {
    let n_ages = model.settings.n_ages();
    let n_areas = model.areas.len();
    // Per chain with tunnels: the engine states of each written state.
    let mut maps: Vec<Option<Vec<Range<usize>>>> = vec![None; model.chains.len()];
    for (c, t) in tunnels.iter().enumerate() {
        let Some(t) = t else { continue };
        maps[c] = Some(expand_chain(&mut model.chains[c], t, n_areas, n_ages));
    }
    let set = |m: &[Range<usize>], s: StateSet| {
        let mut out = StateSet::default();
        for (w, r) in m.iter().enumerate() {
            if s.contains(w) {
                r.clone().for_each(|e| out.insert(e));
            }
        }
        out
    };
    for rf in &mut model.risk_factors {
        if let Some(m) = &maps[rf.chain] {
            rf.from = set(m, rf.from);
            rf.to = set(m, rf.to);
        }
        if let Some(m) = &maps[rf.when_chain] {
            rf.when_states = set(m, rf.when_states);
        }
    }
    for iv in &mut model.interventions {
        for (c, s) in &mut iv.target {
            if let Some(m) = &maps[*c] {
                *s = set(m, *s);
            }
        }
        let mut effects = Vec::with_capacity(iv.effects.len());
        for e in iv.effects.drain(..) {
            let Some(m) = &maps[e.chain()] else {
                effects.push(e);
                continue;
            };
            match e {
                Effect::RelativeRisk { chain, from, to, rr, convention } => {
                    effects.push(Effect::RelativeRisk { chain, from: set(m, from), to: set(m, to), rr, convention });
                }
                // Out of every year of a tunnel state (one shift each), into its first year.
                Effect::Shift { chain, from, to, share } => {
                    for x in m[from].clone() {
                        effects.push(Effect::Shift { chain, from: x, to: m[to].start, share });
                    }
                }
            }
        }
        iv.effects = effects;
    }
}

/// Give one chain its engine states; returns the engine states of each written state.
fn expand_chain(ch: &mut Chain, t: &ChainTunnels, n_areas: usize, n_ages: usize) -> Vec<Range<usize>> {
    let n = ch.states.len();
    let mut first = Vec::with_capacity(n);
    let mut total = 0;
    for &l in &t.len {
        first.push(total);
        total += l;
    }
    let ranges: Vec<Range<usize>> = (0..n).map(|s| first[s]..first[s] + t.len[s]).collect();
    let per_year = |s: usize| 0..t.len[s];
    let mut states = Vec::with_capacity(total);
    let mut stay_to = Vec::with_capacity(total);
    for s in 0..n {
        for k in per_year(s) {
            states.push(year_name(&ch.states[s], k + 1));
            stay_to.push(first[s] + (k + 1).min(t.len[s] - 1));
        }
    }
    // What a state carries, the same in each of its years.
    let written: Vec<usize> = (0..n).flat_map(|s| per_year(s).map(move |_| s)).collect();
    ch.death = per_state(&ch.death, &written);
    ch.social_value = per_state(&ch.social_value, &written);
    ch.state_costs = per_state(&ch.state_costs, &written);
    ch.outcome_weights = per_state(&ch.outcome_weights, &written);
    if !ch.mortality_hr.is_empty() {
        ch.mortality_hr = per_state(&ch.mortality_hr, &written);
    }
    ch.rest_state = first[ch.rest_state];
    ch.initial_rows = ch
        .initial_rows
        .iter()
        .map(|r| Row::Spread { row: Box::new(r.clone()), cols: first.clone(), len: total, fallback: 0 })
        .collect();
    let mut index: HashMap<(u32, &[u32]), u32> = HashMap::new();
    let mut matrices = Vec::new();
    let mut matrix_for = vec![NONE; ch.matrix_for.len()];
    // `matrix_for` is indexed ((period · areas + area) · sexes + sex) · ages + age;
    // the year rows `ov` depend on (area, age) only.
    for cell in 0..ch.matrix_for.len() {
        let m = ch.matrix_for[cell];
        if m == NONE {
            continue;
        }
        let area = cell / n_ages / ch.lookup_sexes.max(1) % n_areas;
        let at = area * n_ages + cell % n_ages;
        let ov = &t.ov[at * t.n_pos..(at + 1) * t.n_pos];
        matrix_for[cell] = *index.entry((m, ov)).or_insert_with(|| {
            matrices.push(expand_matrix(&ch.matrices[m as usize], ov, t, &first, total));
            (matrices.len() - 1) as u32
        });
    }
    ch.matrices = matrices;
    ch.matrix_for = matrix_for;
    // From every year of a tunnel state; into the first year (only entries arrive there).
    ch.transition_costs = ch
        .transition_costs
        .iter()
        .flat_map(|tc| ranges[tc.from].clone().map(|from| TransitionCost { from, to: first[tc.to], ..tc.clone() }))
        .collect();
    ch.states = states;
    ch.stay_to = stay_to;
    ranges
}

/// `v` (by written state) for each engine state (`written[e]` its written state).
fn per_state<T: Clone>(v: &[T], written: &[usize]) -> Vec<T> {
    written.iter().map(|&s| v[s].clone()).collect()
}

/// The engine matrix of written matrix `base` with the year rows `ov` of one cell.
fn expand_matrix(base: &Matrix, ov: &[u32], t: &ChainTunnels, first: &[usize], total: usize) -> Matrix {
    let mut rows = Vec::with_capacity(total);
    for (s, &l) in t.len.iter().enumerate() {
        for k in 0..l {
            let src = match (l > 1).then(|| ov[t.pos_off[s] + k]) {
                Some(r) if r != NONE => &t.rows[r as usize],
                _ => &base.rows[s],
            };
            let mut cols = first.to_vec();
            // Staying moves one year on; the last year holds.
            cols[s] = first[s] + (k + 1).min(l - 1);
            rows.push(Row::Spread { row: Box::new(src.clone()), cols, len: total, fallback: s });
        }
    }
    Matrix { rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;
    use crate::sim::realise::realise;
    use crate::sim::Warnings;

    /// Chain `z` (H, S1 with tunnel 3, S2 a death state), chain `w` linked to
    /// it by a risk factor both ways round, an intervention with a shift.
    const TEXT: &str = r#"
[model]
start_year = 2025
max_age = 10
funders = ["gemeente"]

[demography.d]
closed = true

[[area]]
name = "A"
demography = "d"
population = [ { ages = "0-10", count = 11 } ]

[[chain]]
name = "z"
kind = "care"
states = ["H", "S1", "S2"]
death_states = ["S2"]
initial = [ { ages = "0-10", p = [0.7, 0.2, 0.1] } ]

[[chain.transitions]]
matrix = [ [0.5, 0.5, 0], [0, 0.9, 0.1], [0, 0, 1] ]

[[chain.transitions]]
years_in_state = "2-3"
ages = "5-10"
rows = { S1 = [0.1, 0.6, 0.3] }

[chain.state.S1]
tunnel = 3
social_value = 7

[[chain.transition_cost]]
from = "S1"
to = "H"
costs = [ { amount = 1, funder = "gemeente" } ]

[[chain.transition_cost]]
from = "H"
to = "S1"
costs = [ { amount = 2, funder = "gemeente" } ]

[[chain]]
name = "w"
kind = "indicator"
states = ["ja", "nee"]
initial = [ { ages = "0-10", p = [1, 0] } ]

[[chain.transitions]]
matrix = [ [0.9, 0.1], [0.2, 0.8] ]

[[risk_factor]]
chain = "w"
to = "nee"
when = "z.S1"
rr = 2

[[intervention]]
name = "i"
target = ["z.S1"]
reach = { share = 0.5 }
start_year = 2025
end_year = 2026

[[intervention.effect]]
chain = "z"
from = "S1"
to = "S2"
rr = 0.5

[[intervention.effect]]
chain = "z"
shift = { from = "S1", to = "H", share = 0.3 }
"#;

    fn set(s: StateSet) -> Vec<usize> {
        (0..64).filter(|&i| s.contains(i)).collect()
    }

    #[test]
    fn a_tunnel_state_becomes_one_engine_state_per_year() {
        let m = load_str("test.toml", TEXT).unwrap_or_else(|e| panic!("{e}"));
        let z = &m.chains[0];
        assert_eq!(z.states, ["H", "S1", "S1@2", "S1@3", "S2"]);
        assert_eq!(z.stay_to, [0, 2, 3, 3, 4]);
        assert_eq!(z.death, [false, false, false, false, true]);
        assert_eq!(z.rest_state, 0);
        let sv: Vec<f64> = z.social_value.iter().map(|v| v.get(&[])).collect();
        assert_eq!(sv, [0.0, 7.0, 7.0, 7.0, 0.0]);
        // From every year of S1; into its first year only.
        let tc: Vec<(usize, usize)> = z.transition_costs.iter().map(|t| (t.from, t.to)).collect();
        assert_eq!(tc, [(1, 0), (2, 0), (3, 0), (0, 1)]);
        let rf = &m.risk_factors[0];
        assert_eq!(set(rf.when_states), [1, 2, 3]);
        assert_eq!(set(rf.to), [1]);
        let iv = &m.interventions[0];
        assert_eq!(set(iv.target[0].1), [1, 2, 3]);
        let Effect::RelativeRisk { from, to, .. } = &iv.effects[0] else { panic!() };
        assert_eq!((set(*from), set(*to)), (vec![1, 2, 3], vec![4]));
        let shifts: Vec<(usize, usize)> = iv.effects[1..]
            .iter()
            .map(|e| match e {
                Effect::Shift { from, to, .. } => (*from, *to),
                Effect::RelativeRisk { .. } => panic!(),
            })
            .collect();
        assert_eq!(shifts, [(1, 0), (2, 0), (3, 0)]);
        // The chain without tunnel states is left as it was.
        assert!(matches!(m.chains[1].matrices[0].rows[0], Row::Entries(_)));
        assert_eq!(m.chains[1].stay_to, [0, 1]);
    }

    #[test]
    fn each_year_takes_its_row_and_staying_moves_on() {
        let m = load_str("test.toml", TEXT).unwrap_or_else(|e| panic!("{e}"));
        let z = &m.chains[0];
        let v = realise(&m, &[], &mut Warnings::default());
        let n_ages = m.settings.n_ages();
        let row = |age: usize, from: usize| {
            let mi = z.matrix_for[age] as usize;
            v.chains[0].matrices[mi][from * 5..(from + 1) * 5].to_vec()
        };
        // Ages 0-4: every year the matrix's row of S1.
        assert_eq!(row(4, 0), [0.5, 0.5, 0.0, 0.0, 0.0]);
        assert_eq!(row(4, 1), [0.0, 0.0, 0.9, 0.0, 0.1]);
        assert_eq!(row(4, 2), [0.0, 0.0, 0.0, 0.9, 0.1]);
        assert_eq!(row(4, 3), [0.0, 0.0, 0.0, 0.9, 0.1]);
        // Ages 5-10: years 2 and 3+ take the `rows` entry.
        assert_eq!(row(7, 1), [0.0, 0.0, 0.9, 0.0, 0.1]);
        assert_eq!(row(7, 2), [0.1, 0.0, 0.0, 0.6, 0.3]);
        assert_eq!(row(7, 3), [0.1, 0.0, 0.0, 0.6, 0.3]);
        assert_eq!(row(7, 4), [0.0, 0.0, 0.0, 0.0, 1.0]);
        // Two distinct engine matrices, shared by the ages alike.
        assert_eq!(z.matrices.len(), 2);
        assert_eq!(z.matrix_for[..n_ages].iter().filter(|&&i| i == z.matrix_for[0]).count(), 5);
        // Everyone entering S1 is in its first year.
        assert_eq!(v.chains[0].initial[0], [0.7, 0.2, 0.0, 0.0, 0.1]);
    }

    #[test]
    fn a_large_joint_block_with_a_tunnel_chain_is_warned_about() {
        let big: Vec<String> = (0..20).map(|i| format!("\"s{i}\"")).collect();
        let text = TEXT
            .replace("tunnel = 3", "tunnel = 20")
            .replace("[\"ja\", \"nee\"]", &format!("[\"ja\", \"nee\", {}]", big.join(", ")));
        let text = text
            .replace("p = [1, 0] }", "p = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }")
            .replace("matrix = [ [0.9, 0.1], [0.2, 0.8] ]", &{
                let rows: Vec<String> = (0..22)
                    .map(|i| {
                        let r: Vec<&str> = (0..22).map(|j| if i == j { "1" } else { "0" }).collect();
                        format!("[{}]", r.join(", "))
                    })
                    .collect();
                format!("matrix = [ {} ]", rows.join(", "))
            });
        let m = load_str("test.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        let w = m.warnings[0].to_string();
        assert!(w.contains("chain.z.state.S1.tunnel: chain `z` counts 22 states"), "{w}");
        assert!(w.contains("in 484 joint states"), "{w}");
    }

    #[test]
    fn years_bands_parse_from_one() {
        assert_eq!(parse_years("2-3"), Some((2, 3)));
        assert_eq!(parse_years(" 4 "), Some((4, 4)));
        assert_eq!(parse_years("0-2"), None);
        assert_eq!(parse_years("3-2"), None);
        assert_eq!(parse_years("2-"), None);
        assert_eq!(parse_years("x"), None);
    }

    #[test]
    fn year_names_keep_the_first_year_as_written() {
        assert_eq!(year_name("S1", 1), "S1");
        assert_eq!(year_name("S1", 3), "S1@3");
    }
}
