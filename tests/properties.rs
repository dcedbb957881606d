//! Property tests: random but valid scenarios (generated as TOML text and loaded
//! through `scenario::load_str`, so the whole validator is in the loop) must
//! keep the engine's invariants in both modes:
//!
//! - people are conserved every year, area and arm;
//! - person-years per state are non-negative and add up to the chain's
//!   `active/...` measure; no NaN or infinity outside the metrics that
//!   `business.rs` documents as possibly missing;
//! - every probability row the engine builds is a probability vector
//!   (`sim::rows::apply`, `sim::realise::row`);
//! - results do not depend on the number of threads, and a draw computed
//!   alone equals the same draw inside a run;
//! - adding a parameter does not change the values the others take.
//!
//! Case counts are kept small: the whole file runs in seconds in release.

use proptest::prelude::*;
use std::fmt::Write as _;

use wijkimpact::business;
use wijkimpact::ledger::{self, MeasureLayout};
use wijkimpact::model::{CycleCorrection, Mode, Model, Row, RowEntry, Value};
use wijkimpact::params;
use wijkimpact::runner::{self, DrawResult, DrawSink, RunContext, RunOptions, SinkError};
use wijkimpact::scenario::load_str;
use wijkimpact::sim::{realise, rows, Warnings};

// ---------------------------------------------------------------------------
// Scenario generator
// ---------------------------------------------------------------------------

/// One probability row before rendering: weights for the non-rest entries,
/// the total mass they take, where "rest" goes, and which entries are uncertain.
#[derive(Debug, Clone)]
struct RowSpec {
    weights: Vec<f64>,
    mass: f64,
    rest: usize,
    beta: Vec<bool>,
}

fn row_spec(n: usize) -> impl Strategy<Value = RowSpec> {
    (
        prop::collection::vec(0.0f64..1.0, n),
        prop_oneof![Just(0.0), 0.0f64..0.999, Just(0.999)],
        0..n,
        prop::collection::vec(prop::bool::weighted(0.2), n),
    )
        .prop_map(|(weights, mass, rest, beta)| RowSpec { weights, mass, rest, beta })
}

#[derive(Debug, Clone)]
struct ChainSpec {
    n: usize,
    care: bool,
    ages: (usize, usize),
    /// The last state is a death state.
    death: bool,
    matrix: Vec<RowSpec>,
    /// An area-specific matrix for the second area (if there is one).
    area_matrix: Option<Vec<RowSpec>>,
    initial: RowSpec,
    costs: Vec<f64>,
    outcome: Vec<f64>,
    transition_cost: Option<(usize, usize, f64)>,
}

/// Age fractions are drawn in [0, 1] and scaled to `max_age` when rendering.
fn chain_spec() -> impl Strategy<Value = ChainSpec> {
    (2usize..=4, any::<bool>(), 0.0f64..1.0, 0.0f64..1.0, prop::bool::weighted(0.4)).prop_flat_map(
        |(n, care, a, b, death)| {
            (
                prop::collection::vec(row_spec(n), n),
                prop::option::weighted(0.3, prop::collection::vec(row_spec(n), n)),
                row_spec(n),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..5000.0], n),
                prop::collection::vec(-0.1f64..0.0, n),
                prop::option::weighted(0.5, (0..n, 0..n, 0.0f64..800.0)),
            )
                .prop_map(move |(matrix, area_matrix, initial, costs, outcome, tc)| {
                    let lo = a.min(b);
                    let hi = a.max(b);
                    ChainSpec {
                        n,
                        care,
                        ages: ((lo * 1000.0) as usize, (hi * 1000.0) as usize),
                        death,
                        matrix,
                        area_matrix,
                        initial,
                        costs,
                        outcome,
                        transition_cost: tc.filter(|&(f, t, _)| f != t),
                    }
                })
        },
    )
}

#[derive(Debug, Clone)]
struct AreaSpec {
    /// Cut points (fractions of max_age) of up to three population bands.
    cuts: (f64, f64),
    counts: [Option<(u32, u32)>; 3],
    mortality: Option<f64>,
    birth_rate: Option<f64>,
    /// (band start fraction, band end fraction, count, uncertain)
    migration: Option<(f64, f64, f64, bool)>,
    closed: bool,
}

fn area_spec() -> impl Strategy<Value = AreaSpec> {
    (
        (0.0f64..1.0, 0.0f64..1.0),
        [
            prop::option::weighted(0.8, (0u32..300, 0u32..300)),
            prop::option::weighted(0.8, (0u32..300, 0u32..300)),
            prop::option::weighted(0.8, (0u32..300, 0u32..300)),
        ],
        prop::option::weighted(0.7, prop_oneof![Just(0.0), 0.0f64..0.2, Just(1.0)]),
        prop::option::weighted(0.5, 0.0f64..0.08),
        prop::option::weighted(0.6, (0.0f64..1.0, 0.0f64..1.0, -120.0f64..80.0, any::<bool>())),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(cuts, counts, mortality, birth_rate, migration, closed)| AreaSpec {
            cuts,
            counts,
            mortality,
            birth_rate,
            migration,
            closed,
        })
}

#[derive(Debug, Clone)]
struct RiskSpec {
    /// Index pair (when chain, affected chain) before reduction modulo the chain count.
    pair: (usize, usize),
    when_state: usize,
    to_state: usize,
    rr: f64,
    convention: Option<bool>,
}

fn risk_spec() -> impl Strategy<Value = RiskSpec> {
    ((0usize..3, 0usize..3), 0usize..4, 0usize..4, prop_oneof![0.0f64..1.0, 1.0f64..8.0], any::<Option<bool>>())
        .prop_map(|(pair, when_state, to_state, rr, convention)| RiskSpec {
            pair,
            when_state,
            to_state,
            rr,
            convention,
        })
}

#[derive(Debug, Clone)]
struct InterventionSpec {
    areas_only_first: bool,
    ages: Option<(f64, f64)>,
    target: Option<(usize, usize)>,
    share: f64,
    participants: Option<f64>,
    ramp: Vec<f64>,
    start: usize,
    len: usize,
    persistence: usize,
    drop_off: f64,
    /// (chain, to state, rr, named lognormal parameter, convention)
    rr: Option<(usize, usize, f64, bool, Option<bool>)>,
    /// (chain, from, to, share)
    shift: Option<(usize, usize, usize, f64)>,
    fixed_cost: f64,
    participant_cost: f64,
    sroi: Option<(f64, f64, f64)>,
}

fn intervention_spec() -> impl Strategy<Value = InterventionSpec> {
    (
        (any::<bool>(), prop::option::weighted(0.4, (0.0f64..1.0, 0.0f64..1.0)), any::<Option<(usize, usize)>>()),
        (0.0f64..=1.0, prop::option::weighted(0.25, 0.0f64..400.0), prop::collection::vec(0.0f64..1.5, 0..3)),
        (0usize..6, 0usize..5, 0usize..=2, 0.0f64..=1.0),
        (
            prop::option::weighted(0.8, (0usize..3, 0usize..4, 0.0f64..3.0, any::<bool>(), any::<Option<bool>>())),
            prop::option::weighted(0.5, (0usize..3, 0usize..4, 0usize..4, 0.0f64..=1.0)),
        ),
        (0.0f64..50000.0, 0.0f64..500.0, prop::option::weighted(0.4, (0.0f64..0.5, 0.0f64..0.5, 0.0f64..0.5))),
    )
        .prop_map(
            |(
                (areas_only_first, ages, target),
                (share, participants, ramp),
                (start, len, persistence, drop_off),
                (rr, shift),
                (fixed_cost, participant_cost, sroi),
            )| InterventionSpec {
                areas_only_first,
                ages,
                target: target.map(|(c, s)| (c % 3, s % 4)),
                share,
                participants,
                ramp,
                start,
                len,
                persistence,
                drop_off,
                rr,
                shift,
                fixed_cost,
                participant_cost,
                sroi,
            },
        )
}

#[derive(Debug, Clone)]
struct Spec {
    horizon: usize,
    max_age: usize,
    cycle: usize,
    rr_probability: bool,
    two_sexes: bool,
    areas: Vec<AreaSpec>,
    chains: Vec<ChainSpec>,
    risks: Vec<RiskSpec>,
    intervention: Option<InterventionSpec>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (2usize..=6, 20usize..=40, 0usize..3, any::<bool>(), prop::bool::weighted(0.3)),
        prop::collection::vec(area_spec(), 1..=2),
        prop::collection::vec(chain_spec(), 1..=3),
        prop::collection::vec(risk_spec(), 0..=2),
        prop::option::weighted(0.75, intervention_spec()),
    )
        .prop_map(|((horizon, max_age, cycle, rr_probability, two_sexes), areas, chains, risks, intervention)| {
            Spec { horizon, max_age, cycle, rr_probability, two_sexes, areas, chains, risks, intervention }
        })
}

fn f(x: f64) -> String {
    // `{:?}` round-trips and always writes a float TOML accepts (0.0, 1e-7, 12.5).
    format!("{x:?}")
}

fn age(frac: f64, max_age: usize) -> usize {
    ((frac * max_age as f64).floor() as usize).min(max_age)
}

/// Render a row of a chain with `n` states. `death`: the index of the death
/// state, whose entry is forced to 0 in initial rows (`no_death`).
fn render_row(r: &RowSpec, n: usize, death: Option<usize>, no_death: bool) -> String {
    let mut rest = r.rest;
    if no_death && Some(rest) == death {
        rest = 0;
    }
    let total: f64 = (0..n).filter(|&j| j != rest && !(no_death && Some(j) == death)).map(|j| r.weights[j]).sum();
    let mut parts = vec![];
    for j in 0..n {
        if j == rest {
            parts.push("\"rest\"".to_string());
        } else if no_death && Some(j) == death {
            parts.push("0.0".to_string());
        } else {
            let v = if total > 0.0 { r.weights[j] / total * r.mass } else { 0.0 };
            // Round down so the literal entries never sum above `mass` < 1.
            let v = (v * 1e6).floor() / 1e6;
            if r.beta[j] && v > 0.001 && v < 0.9 {
                let sd = 0.2 * (v * (1.0 - v)).sqrt();
                parts.push(format!("{{ dist = \"beta\", mean = {}, sd = {} }}", f(v), f(sd)));
            } else {
                parts.push(f(v));
            }
        }
    }
    format!("[{}]", parts.join(", "))
}

fn render_matrix(m: &[RowSpec], n: usize, death: Option<usize>) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            if Some(i) == death {
                let v: Vec<&str> = (0..n).map(|j| if j == i { "1.0" } else { "0.0" }).collect();
                format!("[{}]", v.join(", "))
            } else {
                render_row(&m[i], n, death, false)
            }
        })
        .collect();
    format!("[\n  {},\n]", rows.join(",\n  "))
}

fn state_name(c: usize, s: usize) -> String {
    format!("c{c}s{s}")
}

/// A state of chain `c` that is not its death state.
fn live_state(spec: &ChainSpec, s: usize) -> usize {
    let n_live = if spec.death { spec.n - 1 } else { spec.n };
    s % n_live
}

/// The scenario text of `spec`; `extra_param` adds an unused-by-anyone-else
/// named parameter (used only as a social value of zero weight elsewhere).
fn render(spec: &Spec, extra_param: bool) -> String {
    let max = spec.max_age;
    let mut t = String::new();
    let cycle = ["none", "half-cycle", "simpson"][spec.cycle];
    let conv = if spec.rr_probability { "probability" } else { "rate" };
    writeln!(
        t,
        "[model]\nstart_year = 2025\nhorizon = {}\nmax_age = {max}\ncycle_correction = \"{cycle}\"\nrr_convention = \"{conv}\"\n\
         funders = [\"gemeente\", \"zorgverzekeraar\"]\noutcomes = [\"qaly\"]\nbase_outcome = {{ qaly = 0.85 }}\n",
        spec.horizon
    )
    .unwrap();
    t.push_str("[taakvelden]\n\"6.1\" = \"Samenkracht\"\n\n[parameters]\n");
    if extra_param {
        t.push_str("aaa_extra = { dist = \"gamma\", mean = 10, sd = 2 }\n");
    }
    t.push_str("rr_named = { dist = \"lognormal\", ratio = 0.7, ci95 = [0.5, 0.95] }\n");
    t.push_str("unit_cost = { dist = \"gamma\", mean = 1000, sd = 200 }\n\n");

    // Demography and areas.
    for (a, ar) in spec.areas.iter().enumerate() {
        let closed = ar.closed && ar.birth_rate.is_none() && ar.migration.is_none();
        writeln!(t, "[demography.d{a}]").unwrap();
        if closed {
            t.push_str("closed = true\n");
        }
        match ar.mortality {
            Some(q) => writeln!(t, "mortality = [ {{ ages = \"0-{max}\", q = {} }} ]", f(q)).unwrap(),
            None => t.push_str("mortality = \"none\"\n"),
        }
        if let Some(b) = ar.birth_rate.filter(|_| !closed) {
            writeln!(t, "crude_birth_rate = {}", f(b)).unwrap();
        }
        t.push('\n');
    }
    for (a, ar) in spec.areas.iter().enumerate() {
        let closed = ar.closed && ar.birth_rate.is_none() && ar.migration.is_none();
        writeln!(t, "[[area]]\nname = \"A{a}\"\ndemography = \"d{a}\"").unwrap();
        let c1 = age(ar.cuts.0.min(ar.cuts.1), max);
        let c2 = age(ar.cuts.0.max(ar.cuts.1), max);
        // Bands [0, c1], [c1+1, c2], [c2+1, max], skipping empty ones.
        let bands = [(0, c1), (c1 + 1, c2), (c2 + 1, max)];
        let mut pop = vec![];
        for (k, &(lo, hi)) in bands.iter().enumerate() {
            if lo > hi {
                continue;
            }
            if let Some((m, w)) = ar.counts[k] {
                if spec.two_sexes {
                    pop.push(format!("{{ ages = \"{lo}-{hi}\", male = {m}, female = {w} }}"));
                } else {
                    pop.push(format!("{{ ages = \"{lo}-{hi}\", count = {m} }}"));
                }
            }
        }
        writeln!(t, "population = [ {} ]", pop.join(", ")).unwrap();
        if let (Some((x, y, count, uncertain)), false) = (ar.migration, closed) {
            let lo = age(x.min(y), max);
            let hi = age(x.max(y), max);
            let v =
                if uncertain { format!("{{ dist = \"normal\", mean = {}, sd = 10.0 }}", f(count)) } else { f(count) };
            writeln!(t, "net_migration = [ {{ ages = \"{lo}-{hi}\", count = {v} }} ]").unwrap();
        }
        t.push('\n');
    }

    // Chains.
    for (c, ch) in spec.chains.iter().enumerate() {
        let n = ch.n;
        let lo = (ch.ages.0 * max / 1000).min(max);
        let hi = (ch.ages.1 * max / 1000).min(max);
        let death = ch.death.then_some(n - 1);
        let states: Vec<String> = (0..n).map(|s| format!("\"{}\"", state_name(c, s))).collect();
        writeln!(
            t,
            "[[chain]]\nname = \"c{c}\"\nkind = \"{}\"\nages = \"{lo}-{hi}\"\nstates = [{}]",
            if ch.care { "care" } else { "indicator" },
            states.join(", ")
        )
        .unwrap();
        if let Some(d) = death {
            writeln!(t, "death_states = [\"{}\"]", state_name(c, d)).unwrap();
        }
        writeln!(t, "initial = [ {{ ages = \"{lo}-{hi}\", p = {} }} ]", render_row(&ch.initial, n, death, true))
            .unwrap();
        writeln!(t, "\n[[chain.transitions]]\nmatrix = {}", render_matrix(&ch.matrix, n, death)).unwrap();
        if let (Some(m), true) = (&ch.area_matrix, spec.areas.len() > 1) {
            writeln!(t, "\n[[chain.transitions]]\nareas = [\"A1\"]\nmatrix = {}", render_matrix(m, n, death)).unwrap();
        }
        for s in 0..n {
            if Some(s) == death {
                continue;
            }
            writeln!(t, "\n[chain.state.{}]", state_name(c, s)).unwrap();
            let amount = if s == 1 && c == 0 { "\"unit_cost\"".to_string() } else { f(ch.costs[s]) };
            let funder = if s % 2 == 0 { "gemeente\", taakveld = \"6.1" } else { "zorgverzekeraar" };
            writeln!(t, "costs = [ {{ amount = {amount}, funder = \"{funder}\" }} ]").unwrap();
            writeln!(t, "outcomes = {{ qaly = {} }}", f(ch.outcome[s])).unwrap();
            if extra_param && s == 0 && c == 0 {
                // Uses the extra parameter with weight in euros of wellbeing only.
                t.push_str("social_value = \"aaa_extra\"\n");
            } else {
                writeln!(t, "social_value = {}", f(-ch.costs[s] / 10.0)).unwrap();
            }
        }
        if let Some((from, to, cost)) = ch.transition_cost {
            let from = live_state(ch, from);
            let to = to % n;
            if from != to {
                writeln!(
                    t,
                    "\n[[chain.transition_cost]]\nfrom = \"{}\"\nto = \"{}\"\ncosts = [ {{ amount = {}, funder = \"gemeente\" }} ]",
                    state_name(c, from),
                    state_name(c, to),
                    f(cost)
                )
                .unwrap();
            }
        }
        t.push('\n');
    }

    // Risk factors: only from a lower-numbered chain to a higher-numbered one (no cycles).
    let nc = spec.chains.len();
    let mut used = vec![];
    for r in &spec.risks {
        let (a, b) = (r.pair.0 % nc, r.pair.1 % nc);
        if a == b || used.contains(&(a.min(b), a.max(b))) {
            continue;
        }
        used.push((a.min(b), a.max(b)));
        let (when, on) = (a.min(b), a.max(b));
        let ws = live_state(&spec.chains[when], r.when_state);
        let ts = r.to_state % spec.chains[on].n;
        writeln!(
            t,
            "[[risk_factor]]\nchain = \"c{on}\"\nto = \"{}\"\nwhen = \"c{when}.{}\"\nrr = {}",
            state_name(on, ts),
            state_name(when, ws),
            f(r.rr)
        )
        .unwrap();
        if let Some(p) = r.convention {
            writeln!(t, "convention = \"{}\"", if p { "probability" } else { "rate" }).unwrap();
        }
        t.push('\n');
    }

    // Intervention and scenario.
    if let Some(iv) = &spec.intervention {
        t.push_str("[[intervention]]\nname = \"iv\"\n");
        if iv.areas_only_first {
            t.push_str("areas = [\"A0\"]\n");
        }
        if let Some((x, y)) = iv.ages {
            writeln!(t, "ages = \"{}-{}\"", age(x.min(y), max), age(x.max(y), max)).unwrap();
        }
        if let Some((c, s)) = iv.target {
            let c = c % nc;
            writeln!(t, "target = [\"c{c}.{}\"]", state_name(c, live_state(&spec.chains[c], s))).unwrap();
        }
        match iv.participants {
            Some(p) => writeln!(t, "reach = {{ participants = {} }}", f(p)).unwrap(),
            None => writeln!(t, "reach = {{ share = {} }}", f(iv.share)).unwrap(),
        }
        if !iv.ramp.is_empty() {
            let r: Vec<String> = iv.ramp.iter().map(|&x| f(x)).collect();
            writeln!(t, "ramp_up = [{}]", r.join(", ")).unwrap();
        }
        let start = 2025 + iv.start.min(spec.horizon - 1);
        writeln!(t, "start_year = {start}\nend_year = {}", start + iv.len).unwrap();
        writeln!(t, "persistence = {{ years = {}, drop_off = {} }}", iv.persistence, f(iv.drop_off)).unwrap();
        let mut effects = 0;
        if let Some((c, to, rr, named, conv)) = iv.rr {
            let c = c % nc;
            let to = to % spec.chains[c].n;
            let rr = if named { "\"rr_named\"".to_string() } else { f(rr) };
            writeln!(t, "\n[[intervention.effect]]\nchain = \"c{c}\"\nto = \"{}\"\nrr = {rr}", state_name(c, to))
                .unwrap();
            if let Some(p) = conv {
                writeln!(t, "convention = \"{}\"", if p { "probability" } else { "rate" }).unwrap();
            }
            effects += 1;
        }
        if let Some((c, from, to, share)) = iv.shift {
            let c = c % nc;
            let from = live_state(&spec.chains[c], from);
            let to = live_state(&spec.chains[c], to);
            if from != to {
                writeln!(
                    t,
                    "\n[[intervention.effect]]\nchain = \"c{c}\"\nshift = {{ from = \"{}\", to = \"{}\", share = {} }}",
                    state_name(c, from),
                    state_name(c, to),
                    f(share)
                )
                .unwrap();
                effects += 1;
            }
        }
        if effects == 0 {
            // Every intervention in a generated scenario does something.
            writeln!(t, "\n[[intervention.effect]]\nchain = \"c0\"\nto = \"{}\"\nrr = 0.5", state_name(0, 0)).unwrap();
        }
        writeln!(
            t,
            "\n[intervention.costs]\nfixed = [ {{ amount = {}, funder = \"gemeente\", taakveld = \"6.1\" }} ]\n\
             per_participant = [ {{ amount = {}, funder = \"gemeente\" }} ]\n",
            f(iv.fixed_cost),
            f(iv.participant_cost)
        )
        .unwrap();
        t.push_str("[[scenario]]\nname = \"sc\"\ninterventions = [\"iv\"]\n");
        if let Some((d, a, x)) = iv.sroi {
            writeln!(t, "sroi = {{ deadweight = {}, attribution = {}, displacement = {} }}", f(d), f(a), f(x)).unwrap();
        }
    }
    t
}

fn load(text: &str) -> Model {
    match load_str("generated.toml", text) {
        Ok(m) => m,
        Err(e) => panic!("generated scenario does not load:\n{e}\n--- scenario ---\n{text}"),
    }
}

// ---------------------------------------------------------------------------
// Invariant checks
// ---------------------------------------------------------------------------

const MODES: [Mode; 2] = [Mode::Cohort, Mode::Stochastic];

fn close(a: f64, b: f64, mode: Mode) -> bool {
    match mode {
        Mode::Stochastic => a == b,
        Mode::Cohort => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
    }
}

/// Conservation of people in every arm, area and year; returns a description of the first violation.
fn check_conservation(m: &Model, r: &DrawResult, mode: Mode) -> Result<(), String> {
    let years = m.settings.horizon;
    for (arm, l) in r.arms.iter().enumerate() {
        for a in 0..l.n_areas {
            for t in 0..years {
                let g = |k| l.get(a, t, k);
                let lhs = g(ledger::POP_END) + g(ledger::DEATHS) + g(ledger::DEPARTURES);
                let rhs = g(ledger::POP_START) + g(ledger::ARRIVALS);
                if !close(lhs, rhs, mode) {
                    return Err(format!(
                        "{mode:?} arm {arm} area {a} year {t}: end {} + deaths {} + departures {} = {lhs} != start {} + arrivals {} = {rhs}",
                        g(ledger::POP_END),
                        g(ledger::DEATHS),
                        g(ledger::DEPARTURES),
                        g(ledger::POP_START),
                        g(ledger::ARRIVALS)
                    ));
                }
                for k in [
                    ledger::POP_START,
                    ledger::POP_END,
                    ledger::DEATHS,
                    ledger::DEPARTURES,
                    ledger::ARRIVALS,
                    ledger::BIRTHS,
                ] {
                    if g(k) < 0.0 {
                        return Err(format!("{mode:?} arm {arm} area {a} year {t}: measure {k} is negative: {}", g(k)));
                    }
                }
                if t + 1 < years {
                    let next = l.get(a, t + 1, ledger::POP_START);
                    let carried = g(ledger::POP_END) + g(ledger::BIRTHS);
                    if !close(next, carried, mode) {
                        return Err(format!(
                            "{mode:?} arm {arm} area {a}: start of year {} = {next} != end {} + births {} of year {t}",
                            t + 1,
                            g(ledger::POP_END),
                            g(ledger::BIRTHS)
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Person-years per state are >= 0 (up to rounding) and add up to `active/CHAIN`.
fn check_person_years(m: &Model, ml: &MeasureLayout, r: &DrawResult, mode: Mode) -> Result<(), String> {
    for (arm, l) in r.arms.iter().enumerate() {
        for a in 0..l.n_areas {
            for t in 0..m.settings.horizon {
                for (c, ch) in m.chains.iter().enumerate() {
                    let active = l.get(a, t, ml.chain_active[c]);
                    let mut sum = 0.0;
                    for s in 0..ch.n_states() {
                        let py = l.get(a, t, ml.person_years[c][s]);
                        if py < -1e-9 * active.abs().max(1.0) {
                            return Err(format!(
                                "{mode:?} arm {arm} area {a} year {t}: {} = {py} < 0",
                                ml.names[ml.person_years[c][s]]
                            ));
                        }
                        sum += py;
                    }
                    if (sum - active).abs() > 1e-9 * active.abs().max(1.0) {
                        return Err(format!(
                            "{mode:?} arm {arm} area {a} year {t}: chain {c}: states sum to {sum}, active {active}"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// No NaN or infinity in any ledger, nor in the metrics other than the ones
/// business.rs documents as "missing" (NaN only, never infinite).
fn check_finite(ctx: &RunContext<'_>, r: &DrawResult, mode: Mode) -> Result<(), String> {
    for (arm, l) in r.arms.iter().enumerate() {
        if let Some(i) = l.data.iter().position(|x| !x.is_finite()) {
            let measure = i % l.n_measures;
            return Err(format!("{mode:?} arm {arm}: ledger {} = {}", ctx.measures.names[measure], l.data[i]));
        }
    }
    let nm = ctx.metrics.len();
    for (i, &x) in r.metrics.iter().enumerate() {
        let k = i % nm;
        let may_be_missing = [business::BCR, business::BCR_INCL_SOCIAL, business::BREAK_EVEN_YEAR].contains(&k);
        if !(x.is_finite() || may_be_missing && x.is_nan()) {
            return Err(format!("{mode:?}: metric {} = {x}", ctx.metrics.names[k]));
        }
    }
    if let Some(i) = r.params.iter().position(|x| !x.is_finite()) {
        return Err(format!("{mode:?}: parameter slot {i} = {}", r.params[i]));
    }
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    // No failure persistence: integration tests have no src/ of their own to put a file next to.
    ProptestConfig { cases, max_shrink_iters: 200, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(48))]

    /// Generated scenarios load, and every draw conserves people, keeps
    /// person-years consistent and produces finite numbers, in both modes.
    #[test]
    fn generated_scenarios_keep_the_invariants(spec in spec(), seed in 0u64..1000) {
        let text = render(&spec, false);
        let m = load(&text);
        let ctx = RunContext::new(&m).expect("plan");
        for mode in MODES {
            let opts = RunOptions::new(seed, 2, mode);
            for d in 0..2 {
                let r = runner::run_draw(&ctx, &opts, d).expect("draw");
                let res = check_conservation(&m, &r, mode)
                    .and_then(|_| check_person_years(&m, &ctx.measures, &r, mode))
                    .and_then(|_| check_finite(&ctx, &r, mode));
                prop_assert!(res.is_ok(), "{}\n--- scenario ---\n{}", res.unwrap_err(), text);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Probability rows
// ---------------------------------------------------------------------------

/// A valid probability row of `n` entries (with exact zeros and ones sometimes).
fn prob_row(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![3 => 0.0f64..1.0, 1 => Just(0.0), 1 => Just(1.0), 1 => 0.0f64..1e-9], n).prop_map(
        |w| {
            let s: f64 = w.iter().sum();
            if s > 0.0 {
                w.iter().map(|x| x / s).collect()
            } else {
                let mut v = vec![0.0; w.len()];
                v[0] = 1.0;
                v
            }
        },
    )
}

fn multipliers(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![3 => Just(1.0), 2 => 0.0f64..3.0, 1 => Just(0.0), 1 => 3.0f64..1e3, 1 => Just(1e12)],
        n,
    )
}

fn assert_probability_row(out: &[f64], what: &str) -> Result<(), TestCaseError> {
    for (j, &x) in out.iter().enumerate() {
        prop_assert!((0.0..=1.0).contains(&x), "{what}: entry {j} = {x} outside [0, 1]: {out:?}");
    }
    let s: f64 = out.iter().sum();
    prop_assert!((s - 1.0).abs() <= 1e-12, "{what}: sums to {s} (off by {:e}): {out:?}", s - 1.0);
    Ok(())
}

proptest! {
    #![proptest_config(config(2000))]

    /// `rows::apply` turns any probability row into a probability row, for any
    /// multipliers >= 0 in either convention (or both at once), and leaves the
    /// row bit-for-bit unchanged when every multiplier on an exit is 1.
    #[test]
    fn rows_apply_keeps_rows_valid(
        (base, from, m_prob, m_rate, which) in (2usize..=6).prop_flat_map(|n| (prob_row(n), 0..n, multipliers(n), multipliers(n), 0u8..3))
    ) {
        let n = base.len();
        let ones = vec![1.0; n];
        let (mp, mr) = match which {
            0 => (&m_prob, &ones),
            1 => (&ones, &m_rate),
            _ => (&m_prob, &m_rate),
        };
        let mut out = vec![f64::NAN; n];
        let mut w = Warnings::default();
        rows::apply(&base, from, mp, mr, &mut out, &mut w);
        assert_probability_row(&out, &format!("apply(base {base:?}, from {from}, m_prob {mp:?}, m_rate {mr:?})"))?;
        let identity = |m: &Vec<f64>| m.iter().enumerate().all(|(j, &x)| j == from || x == 1.0);
        if identity(mp) && identity(mr) {
            prop_assert_eq!(&out, &base);
        }
        // Multiplying every exit by 0 under either convention leaves only staying.
        if mp.iter().chain(mr.iter()).enumerate().all(|(j, &x)| j % n == from || x == 0.0) && which != 2 {
            let p_exit: f64 = (0..n).filter(|&j| j != from).map(|j| base[j]).sum();
            if p_exit < 1.0 - 1e-12 {
                prop_assert!((out[from] - 1.0).abs() < 1e-12, "rr 0 on every exit: {out:?}");
            }
        }
    }

    /// `realise::row` gives a probability row for literal and sampled entries,
    /// with or without "rest", including entries that sum above 1 (repaired and counted).
    #[test]
    fn realised_rows_are_probability_rows(
        (vals, slots, rest) in (2usize..=6).prop_flat_map(|n| (
            prop::collection::vec(prop_oneof![3 => 0.0f64..0.6, 1 => Just(0.0), 1 => 0.0f64..=1.0], n),
            prop::collection::vec(any::<bool>(), n),
            prop::option::of(0..n),
        ))
    ) {
        let n = vals.len();
        // Sampled entries read from the parameter vector `p`, literal ones are fixed.
        let p: Vec<f64> = vals.clone();
        let entries: Vec<RowEntry> = (0..n)
            .map(|j| {
                if Some(j) == rest {
                    RowEntry::Rest
                } else if slots[j] {
                    RowEntry::Value(Value::Slot(j))
                } else {
                    RowEntry::Value(Value::Fixed(vals[j]))
                }
            })
            .collect();
        let s: f64 = (0..n).filter(|&j| Some(j) != rest).map(|j| vals[j]).sum();
        // A row without "rest" whose entries are all 0 falls back to state 0.
        let mut w = Warnings::default();
        let out = realise::row(&Row::Entries(entries), &p, 0, &mut w);
        prop_assert_eq!(out.len(), n);
        assert_probability_row(&out, &format!("row(vals {vals:?}, rest {rest:?})"))?;
        let repaired = if rest.is_some() { s > 1.0 } else { (s - 1.0).abs() > 1e-9 };
        prop_assert_eq!(w.negative_rest, u64::from(repaired), "vals {:?} rest {:?}", vals, rest);
    }
}

// ---------------------------------------------------------------------------
// Threads, draws and parameters
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Collect(Vec<DrawResult>);

impl DrawSink for Collect {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        self.0.push(r.clone());
        Ok(())
    }
}

fn bits(x: &[f64]) -> Vec<u64> {
    x.iter().map(|v| v.to_bits()).collect()
}

fn same_result(a: &DrawResult, b: &DrawResult) -> Result<(), String> {
    if a.draw != b.draw {
        return Err(format!("draw numbers {} vs {}", a.draw, b.draw));
    }
    if bits(&a.params) != bits(&b.params) {
        return Err(format!("draw {}: parameters differ", a.draw));
    }
    if a.arms.len() != b.arms.len() {
        return Err(format!("draw {}: arm counts differ", a.draw));
    }
    for (k, (x, y)) in a.arms.iter().zip(&b.arms).enumerate() {
        if bits(&x.data) != bits(&y.data) {
            let i = x.data.iter().zip(&y.data).position(|(p, q)| p.to_bits() != q.to_bits()).unwrap_or(0);
            return Err(format!("draw {}: arm {k} ledger differs at {i}: {} vs {}", a.draw, x.data[i], y.data[i]));
        }
    }
    if bits(&a.metrics) != bits(&b.metrics) {
        return Err(format!("draw {}: metrics differ", a.draw));
    }
    if a.warnings != b.warnings {
        return Err(format!("draw {}: warnings differ: {:?} vs {:?}", a.draw, a.warnings, b.warnings));
    }
    Ok(())
}

fn run_all(ctx: &RunContext<'_>, opts: &RunOptions) -> Vec<DrawResult> {
    let mut sink = Collect::default();
    let stats = runner::run(ctx, opts, &mut sink, &mut |_| {}).expect("run");
    assert_eq!(stats.draws as usize, sink.0.len());
    sink.0
}

proptest! {
    #![proptest_config(config(24))]

    /// threads = 1 and threads = 2 give bit-identical draws in draw order;
    /// `run_draw(d)` alone equals the d-th draw of the run; a shard holds
    /// exactly the same draws.
    #[test]
    fn results_do_not_depend_on_threads_or_on_other_draws(spec in spec(), seed in 0u64..1000) {
        let text = render(&spec, false);
        let m = load(&text);
        let ctx = RunContext::new(&m).expect("plan");
        for mode in MODES {
            let draws = 5;
            let mut opts = RunOptions::new(seed, draws, mode);
            opts.threads = 1;
            let one = run_all(&ctx, &opts);
            opts.threads = 2;
            let two = run_all(&ctx, &opts);
            prop_assert_eq!(one.len(), draws as usize);
            prop_assert_eq!(two.len(), draws as usize);
            for (d, (a, b)) in one.iter().zip(&two).enumerate() {
                prop_assert_eq!(a.draw, d as u64);
                let res = same_result(a, b);
                prop_assert!(res.is_ok(), "{mode:?} threads 1 vs 2: {}\n{}", res.unwrap_err(), text);
            }
            for d in [0u64, 3, 4] {
                let alone = runner::run_draw(&ctx, &opts, d).expect("draw");
                let res = same_result(&alone, &one[d as usize]);
                prop_assert!(res.is_ok(), "{mode:?} run_draw({d}) vs run: {}\n{}", res.unwrap_err(), text);
            }
            let mut shard = opts.clone();
            shard.shard_index = 1;
            shard.shard_count = 2;
            let odd = run_all(&ctx, &shard);
            prop_assert_eq!(odd.iter().map(|r| r.draw).collect::<Vec<_>>(), vec![1, 3]);
            for r in &odd {
                let res = same_result(r, &one[r.draw as usize]);
                prop_assert!(res.is_ok(), "{mode:?} shard: {}\n{}", res.unwrap_err(), text);
            }
        }
    }

    /// Adding a named parameter to a file does not change the values the other
    /// parameters take in a draw (params.rs: "adding a parameter to a file does
    /// not change the values the other parameters take").
    #[test]
    fn adding_a_parameter_does_not_change_the_others(spec in spec(), seed in 0u64..1000, draw in 0u64..50) {
        let without = load(&render(&spec, false));
        let with = load(&render(&spec, true));
        let names_without = without.params.slot_names();
        let names_with = with.params.slot_names();
        let p_without = params::sample_draw(&without.params, seed, draw);
        let p_with = params::sample_draw(&with.params, seed, draw);
        for (i, name) in names_without.iter().enumerate() {
            let j = names_with.iter().position(|n| n == name);
            prop_assert!(j.is_some(), "parameter {name} disappeared");
            let j = j.unwrap();
            prop_assert_eq!(
                p_without[i].to_bits(),
                p_with[j].to_bits(),
                "parameter {} takes {} without the extra parameter and {} with it",
                name,
                p_without[i],
                p_with[j]
            );
        }
    }
}

#[test]
fn the_generator_produces_every_feature() {
    // A fixed, rich spec as a smoke test of the renderer itself.
    let row = |n: usize, rest: usize| RowSpec { weights: vec![0.5; n], mass: 0.3, rest, beta: vec![true; n] };
    let chain = |n: usize, death: bool| ChainSpec {
        n,
        care: true,
        ages: (100, 900),
        death,
        matrix: (0..n).map(|i| row(n, i)).collect(),
        area_matrix: Some((0..n).map(|i| row(n, i)).collect()),
        initial: row(n, 0),
        costs: vec![100.0; n],
        outcome: vec![-0.01; n],
        transition_cost: Some((0, 1, 50.0)),
    };
    let area = AreaSpec {
        cuts: (0.3, 0.6),
        counts: [Some((10, 12)), None, Some((5, 5))],
        mortality: Some(0.01),
        birth_rate: Some(0.01),
        migration: Some((0.2, 0.5, -15.0, true)),
        closed: false,
    };
    let spec = Spec {
        horizon: 4,
        max_age: 30,
        cycle: 1,
        rr_probability: false,
        two_sexes: true,
        areas: vec![area.clone(), AreaSpec { migration: Some((0.0, 1.0, 20.0, false)), ..area }],
        chains: vec![chain(3, true), chain(2, false), chain(4, true)],
        risks: vec![RiskSpec { pair: (0, 2), when_state: 1, to_state: 3, rr: 2.0, convention: Some(true) }],
        intervention: Some(InterventionSpec {
            areas_only_first: false,
            ages: None,
            target: Some((0, 1)),
            share: 0.3,
            participants: None,
            ramp: vec![0.5, 1.0],
            start: 1,
            len: 2,
            persistence: 2,
            drop_off: 0.3,
            rr: Some((2, 0, 0.6, true, None)),
            shift: Some((1, 1, 0, 0.2)),
            fixed_cost: 1000.0,
            participant_cost: 50.0,
            sroi: Some((0.1, 0.2, 0.0)),
        }),
    };
    let text = render(&spec, false);
    let m = load(&text);
    assert_eq!(m.areas.len(), 2);
    assert_eq!(m.chains.len(), 3);
    assert_eq!(m.risk_factors.len(), 1);
    assert_eq!(m.interventions.len(), 1);
    assert_eq!(m.interventions[0].effects.len(), 2);
    assert_eq!(m.scenarios.len(), 1);
    assert_eq!(m.sexes, 2);
    let ctx = RunContext::new(&m).expect("plan");
    for mode in MODES {
        let r = runner::run_draw(&ctx, &RunOptions::new(3, 1, mode), 0).expect("draw");
        check_conservation(&m, &r, mode).unwrap();
        check_person_years(&m, &ctx.measures, &r, mode).unwrap();
        check_finite(&ctx, &r, mode).unwrap();
        // The scenario arm differs from the nulalternatief: the intervention ran.
        let parts = r.arms[1].total(2, ctx.measures.participants[0]);
        assert!(parts > 0.0, "{mode:?}: nobody took part in year 2");
    }
}

// ---------------------------------------------------------------------------
// Minimal reproductions of engine bugs found by the properties above
// ---------------------------------------------------------------------------

/// One area, a closed cohort of 100 people at age 10, and a chain whose state
/// `a` everyone leaves in the first year: occupancy of `a` is 100, 0, 0 at the
/// year boundaries.
const EMPTYING_STATE: &str = r#"
[model]
start_year = 2025
horizon = 2
max_age = 20
cycle_correction = "simpson"
[demography.d]
closed = true
[[area]]
name = "A"
demography = "d"
population = [ { ages = "10", count = 100 } ]
[[chain]]
name = "c"
kind = "indicator"
states = ["a", "b"]
initial = [ { ages = "0-20", p = [1.0, 0.0] } ]
[[chain.transitions]]
matrix = [ [0.0, 1.0], [0.0, 1.0] ]
"#;

#[test]
fn simpson_person_years_are_never_negative() {
    let m = load(EMPTYING_STATE);
    let ctx = RunContext::new(&m).expect("plan");
    for mode in MODES {
        let r = runner::run_draw(&ctx, &RunOptions::new(1, 1, mode), 0).expect("draw");
        for t in 0..2 {
            let py = r.arms[0].get(0, t, ctx.measures.person_years[0][0]);
            // Boundaries 100, 0, 0: year 0 = 500/12, year 1 = -100/12 under the documented formulas.
            assert!(py >= 0.0, "{mode:?}: person_years/c/a in year {t} = {py}");
        }
    }
}

#[test]
fn named_parameter_keeps_its_values_when_another_is_added() {
    let file = |extra: &str| {
        format!(
            r#"
[model]
start_year = 2025
horizon = 1
max_age = 20
[parameters]
{extra}
b = {{ dist = "gamma", mean = 10, sd = 2 }}
[demography.d]
mortality = "none"
[[area]]
name = "A"
demography = "d"
population = [ {{ ages = "0-20", count = 100 }} ]
[[chain]]
name = "c"
kind = "indicator"
states = ["x", "y"]
initial = [ {{ ages = "0-20", p = [0.5, 0.5] }} ]
[[chain.transitions]]
matrix = [ [0.9, 0.1], [0.2, 0.8] ]
[chain.state.y]
social_value = "b"
"#
        )
    };
    let without = load(&file(""));
    let with = load(&file("a = { dist = \"gamma\", mean = 10, sd = 2 }"));
    let slot = |m: &Model| m.params.slot_names().iter().position(|n| n == "b").expect("b");
    let (i, j) = (slot(&without), slot(&with));
    for draw in 0..5 {
        let x = params::sample_draw(&without.params, 7, draw)[i];
        let y = params::sample_draw(&with.params, 7, draw)[j];
        assert_eq!(x.to_bits(), y.to_bits(), "draw {draw}: b = {x} without `a`, {y} with `a`");
    }
}

/// The generator is not degenerate: over a fixed sample of scenarios every
/// feature the properties are meant to exercise actually happens.
#[test]
fn the_generator_covers_every_feature() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let names = [
        "deaths",
        "births",
        "arrivals",
        "departures",
        "participants",
        "risk factor",
        "chain deaths",
        "two sexes",
        "rescaled rows",
        "negative rest",
        "two areas",
        "three chains",
        "simpson",
    ];
    let mut seen = [0usize; 13];
    for _ in 0..150 {
        let spec = spec().new_tree(&mut runner).unwrap().current();
        let m = load(&render(&spec, false));
        let ctx = RunContext::new(&m).expect("plan");
        let r = runner::run_draw(&ctx, &RunOptions::new(1, 1, Mode::Cohort), 0).expect("draw");
        let any = |k: usize| r.arms.iter().any(|l| (0..m.settings.horizon).any(|t| l.total(t, k) > 0.0));
        let parts = ctx.measures.participants.first().is_some_and(|&k| any(k));
        let chain_deaths = ctx.measures.chain_deaths.iter().any(|&k| any(k));
        let flags = [
            any(ledger::DEATHS),
            any(ledger::BIRTHS),
            any(ledger::ARRIVALS),
            any(ledger::DEPARTURES),
            parts,
            !m.risk_factors.is_empty(),
            chain_deaths,
            m.sexes == 2,
            r.warnings.rescaled_rows > 0,
            r.warnings.negative_rest > 0,
            m.areas.len() == 2,
            m.chains.len() == 3,
            m.settings.cycle_correction == CycleCorrection::Simpson,
        ];
        for (s, f) in seen.iter_mut().zip(flags) {
            *s += usize::from(f);
        }
    }
    eprintln!("feature coverage over 150 scenarios: {:?}", names.iter().zip(seen).collect::<Vec<_>>());
    for (n, s) in names.iter().zip(seen) {
        assert!(
            s >= 3,
            "only {s} of 150 generated scenarios have {n}: {:?}",
            names.iter().zip(seen).collect::<Vec<_>>()
        );
    }
}

// ---------------------------------------------------------------------------
// The fast cohort engine against the straightforward one
// ---------------------------------------------------------------------------

/// Compare the raw counts of the fast engine (with and without reuse) with
/// the reference engine, bit for bit.
fn same_counts_as_reference(m: &Model, seed: u64, draws: u64) -> Result<(), String> {
    let plan = wijkimpact::sim::Plan::new(m).map_err(|e| e.to_string())?;
    for d in 0..draws {
        let p = params::sample_draw(&m.params, seed, d);
        let want = wijkimpact::sim::cohort_counts(m, &plan, &p, true, false);
        for reuse in [true, false] {
            let got = wijkimpact::sim::cohort_counts(m, &plan, &p, false, reuse);
            for (arm, (g, w)) in got.iter().zip(&want).enumerate() {
                if let Some(i) = g.data.iter().zip(&w.data).position(|(x, y)| x.to_bits() != y.to_bits()) {
                    return Err(format!(
                        "draw {d}, arm {arm}, reuse {reuse}: count {i} is {} (reference {})",
                        g.data[i], w.data[i]
                    ));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// Blocks simulated one at a time, reused across arms and areas, in place
    /// and skipping structural zeros give the reference engine's counts bit
    /// for bit, with reuse on and off.
    #[test]
    fn fast_cohort_engine_equals_the_reference(spec in spec(), seed in 0u64..1000) {
        let text = render(&spec, false);
        let m = load(&text);
        let res = same_counts_as_reference(&m, seed, 2);
        prop_assert!(res.is_ok(), "{}\n--- scenario ---\n{}", res.unwrap_err(), text);
    }
}

/// The same on every bundled scenario that runs on its own.
#[test]
fn fast_cohort_engine_equals_the_reference_on_bundled_scenarios() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let Ok(loaded) = wijkimpact::scenario::load(&path) else { continue };
        if loaded.model.scenarios.is_empty() {
            continue;
        }
        let res = same_counts_as_reference(&loaded.model, 5, 1);
        assert!(res.is_ok(), "{}: {}", path.display(), res.unwrap_err());
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} bundled scenarios checked");
}
