//! The scenario text of a generated `Spec`, section by section, as the validator
//! reads it (`scenario::load_str`).

use std::fmt::Write as _;

use super::gen::{AreaSpec, ChainSpec, InterventionSpec, RowSpec, Spec};

/// A float as TOML text.
fn f(x: f64) -> String {
    // `{:?}` round-trips and always writes a float TOML accepts (0.0, 1e-7, 12.5).
    format!("{x:?}")
}

/// An age fraction in [0, 1] as a whole age up to `max_age`.
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

/// Render a transition matrix; the death state's row keeps everyone (1 on the diagonal).
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

/// The name of state `s` of chain `c`.
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
pub fn render(spec: &Spec, extra_param: bool) -> String {
    let mut t = String::new();
    render_model(&mut t, spec, extra_param);
    render_demography(&mut t, spec);
    render_areas(&mut t, spec);
    for (c, ch) in spec.chains.iter().enumerate() {
        render_chain(&mut t, spec, c, ch, extra_param);
    }
    render_risk_factors(&mut t, spec);
    if let Some(iv) = &spec.intervention {
        render_intervention(&mut t, spec, iv);
    }
    t
}

/// `[model]`, `[taakvelden]` and the named `[parameters]`.
fn render_model(t: &mut String, spec: &Spec, extra_param: bool) {
    let max = spec.max_age;
    // The other conventions and the discount timing follow from fields the
    // strategy already draws (so its stream, and every other case, stay as they were).
    let cycle = match (spec.cycle, max.is_multiple_of(2)) {
        (0, true) => "none",
        (0, false) => "end",
        (1, true) => "half-cycle",
        (1, false) => "all-boundaries",
        _ => "simpson",
    };
    let timing = if (spec.horizon + max).is_multiple_of(3) { "boundary" } else { "cycle-start" };
    let conv = if spec.rr_probability { "probability" } else { "rate" };
    writeln!(
        t,
        "[model]\nstart_year = 2025\nhorizon = {}\nmax_age = {max}\ncycle_correction = \"{cycle}\"\ndiscount_timing = \"{timing}\"\nrr_convention = \"{conv}\"\n\
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
}

/// One `[demography.dA]` table per area.
fn render_demography(t: &mut String, spec: &Spec) {
    let max = spec.max_age;
    for (a, ar) in spec.areas.iter().enumerate() {
        let closed = is_closed(ar);
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
}

/// An area without births and migration may be a closed cohort.
fn is_closed(ar: &AreaSpec) -> bool {
    ar.closed && ar.birth_rate.is_none() && ar.migration.is_none()
}

/// The `[[area]]` tables: population bands and net migration.
fn render_areas(t: &mut String, spec: &Spec) {
    let max = spec.max_age;
    for (a, ar) in spec.areas.iter().enumerate() {
        let closed = is_closed(ar);
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
}

/// Chain `c`: states, initial distribution, transition matrices, costs and outcomes.
fn render_chain(t: &mut String, spec: &Spec, c: usize, ch: &ChainSpec, extra_param: bool) {
    let max = spec.max_age;
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
    writeln!(t, "initial = [ {{ ages = \"{lo}-{hi}\", p = {} }} ]", render_row(&ch.initial, n, death, true)).unwrap();
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

/// Risk factors: only from a lower-numbered chain to a higher-numbered one (no cycles).
fn render_risk_factors(t: &mut String, spec: &Spec) {
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
}

/// The intervention, its effects and costs, and the scenario that runs it.
fn render_intervention(t: &mut String, spec: &Spec, iv: &InterventionSpec) {
    let max = spec.max_age;
    let nc = spec.chains.len();
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
    render_effects(t, spec, iv);
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

/// The intervention's effects: a relative risk, a shift, or (if neither applies) a fixed rr 0.5.
fn render_effects(t: &mut String, spec: &Spec, iv: &InterventionSpec) {
    let nc = spec.chains.len();
    let mut effects = 0;
    if let Some((c, to, rr, named, conv)) = iv.rr {
        let c = c % nc;
        let to = to % spec.chains[c].n;
        let rr = if named { "\"rr_named\"".to_string() } else { f(rr) };
        writeln!(t, "\n[[intervention.effect]]\nchain = \"c{c}\"\nto = \"{}\"\nrr = {rr}", state_name(c, to)).unwrap();
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
}
