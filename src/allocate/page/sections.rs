//! The answer, the equity weighting, interactions and the fund round.

use super::{marked_table, Page};
use crate::allocate::result::{OptionResult, PortfolioResult};
use crate::render::html::{html, muted, para, table, text, Markup, PreEscaped};
use crate::render::text::fill;

/// The answer sentence of a portfolio (`lead`: recommended or funded).
fn answer_sentence(p: &Page, pf: &PortfolioResult, lead: &str, applications: bool) -> String {
    let t = p.t;
    let budget = p.eur(p.r.budget);
    if pf.options.is_empty() {
        return fill(t.answer_none, &[("lead", lead), ("budget", &budget)]);
    }
    let s = &pf.npv_societal;
    fill(
        t.answer,
        &[
            ("lead", lead),
            ("options", &p.count(pf.options.len(), applications)),
            ("peak", &p.eur(pf.peak_cost_per_year)),
            ("budget", &budget),
            ("mean", &p.sim(s.mean)),
            ("p5", &p.sim(s.p5)),
            ("p95", &p.sim(s.p95)),
            ("p", &p.share(s.p_positive)),
        ],
    )
}

/// What is maximised, its value and, for a heuristic, its bound.
fn objective_sentences(p: &Page, pf: &PortfolioResult) -> Vec<String> {
    let (r, t) = (p.r, p.t);
    let weighting = match &r.equity {
        Some(e) if e.eta != 0.0 => fill(t.weighting, &[("eta", &p.l.num_trimmed(e.eta, 2))]),
        _ => String::new(),
    };
    let euros = matches!(r.objective.as_str(), "npv" | "lower_tail");
    let mut value = p.objective_value(pf.objective);
    if euros && !weighting.is_empty() {
        value = format!("{value} {}", t.weighted);
    }
    let mut out =
        vec![fill(t.objective, &[("objective", &p.objective_words()), ("weighting", &weighting), ("value", &value)])];
    if let Some(bound) = pf.bound {
        let gap = (bound - pf.objective).max(0.0);
        let gap = if r.objective == "p_positive" {
            format!("{} procentpunt", p.l.num(gap * 100.0, 0))
        } else {
            p.objective_value(gap)
        };
        out.push(fill(
            t.bound,
            &[("method", &p.method_name(&pf.method)), ("bound", &p.objective_value(bound)), ("gap", &gap)],
        ));
    }
    if let Some(sim) = &pf.simulated_npv_societal {
        out.push(fill(
            t.simulated_whole,
            &[("npv", &p.sim(sim.mean)), ("p5", &p.sim(sim.p5)), ("p95", &p.sim(sim.p95))],
        ));
    }
    if !pf.options.is_empty() {
        out.push(fill(
            t.pv_line,
            &[("costs", &p.sim(pf.costs_pv)), ("benefits", &p.sim(pf.benefits_pv)), ("npv", &p.sim(pf.npv.mean))],
        ));
    }
    out
}

/// The chosen options as a list: what, where, what it costs in its dearest year.
fn chosen_list(p: &Page, options: &[&OptionResult]) -> Markup {
    let t = p.t;
    html! {
        ul.chosen {
            "\n"
            @for o in options {
                li { (fill(t.chosen_line, &[
                    ("option", &p.option_title(o)), ("area", &o.area), ("peak", &p.eur(o.peak_cost_per_year)),
                ])) }
                "\n"
            }
        }
        "\n"
    }
}

/// 1. The answer: recommended portfolio, objective, caps.
pub(super) fn answer(p: &Page) -> Markup {
    let (r, t) = (p.r, p.t);
    let pf = &r.recommended;
    let cap_list = |caps: &[(String, f64)]| -> String {
        (caps.iter())
            .map(|(who, eur)| fill(t.cap, &[("who", who), ("eur", &p.eur(*eur))]))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let options = p.options_of(pf);
    html! {
        div.answer {
            "\n" p { strong { (answer_sentence(p, pf, t.lead_recommended, false)) } } "\n"
            @for s in objective_sentences(p, pf) { (para(&s)) }
        }
        "\n"
        @if !options.is_empty() {
            h3 { (t.chosen_title) } "\n"
            (chosen_list(p, &options))
        }
        @if !r.area_caps.is_empty() { (muted(&fill(t.caps_area, &[("list", &cap_list(&r.area_caps))]))) }
        @if !r.funder_caps.is_empty() { (muted(&fill(t.caps_funder, &[("list", &cap_list(&r.funder_caps))]))) }
    }
}

/// 5. The equity weighting: need per area and the choice at each η.
pub(super) fn equity(p: &Page) -> Markup {
    let (r, t, l) = (p.r, p.t, p.l);
    let Some(e) = &r.equity else { return html! {} };
    let etas: Vec<String> = r.equity_sweep.iter().map(|s| l.num_trimmed(s.eta, 2)).collect();
    let mut header = vec![t.col_area.to_string(), format!("#{}", t.col_need), format!("#{}", t.col_relative)];
    header.extend(etas.iter().map(|eta| format!("#{}", fill(t.col_weight_at, &[("eta", eta)]))));
    let need_rows: Vec<(bool, Vec<Markup>)> = (r.areas.iter().enumerate())
        .map(|(a, name)| {
            let rel = e.relative_need.get(a).copied().unwrap_or(f64::NAN);
            let mut row = vec![
                text(name),
                text(&l.num_trimmed(e.need.get(a).copied().unwrap_or(f64::NAN), 2)),
                text(&l.num(rel, 2)),
            ];
            row.extend(
                r.equity_sweep.iter().map(|s| text(&l.num(s.area_weights.get(a).copied().unwrap_or(f64::NAN), 2))),
            );
            (rel > 1.0, row)
        })
        .collect();
    let high: Vec<usize> = (0..r.areas.len()).filter(|&a| e.relative_need.get(a).is_some_and(|&x| x > 1.0)).collect();
    let high_names: Vec<&str> = high.iter().map(|&a| r.areas[a].as_str()).collect();
    // Changes are against η = 0 when the sweep has it, else against its first η.
    let base = r.equity_sweep.iter().find(|s| s.eta == 0.0).or(r.equity_sweep.first());
    let base_eta = base.map_or_else(|| "0".to_string(), |b| l.num_trimmed(b.eta, 2));
    let sweep_header = [
        t.col_eta.to_string(),
        format!("#{}", t.col_options),
        format!("#{}", t.col_npv_unweighted),
        fill(t.col_added, &[("eta", &base_eta)]),
        fill(t.col_removed, &[("eta", &base_eta)]),
        t.col_high_need.into(),
    ];
    // One option per line, each kept whole, marked + (in) or − (out).
    let lines = |names: Vec<&str>, sign: &str| -> Markup {
        if names.is_empty() {
            return text(t.none);
        }
        html! { @for (i, n) in names.iter().enumerate() { @if i > 0 { br; } span.nw { (sign) "\u{a0}" (n) } } }
    };
    let sweep_rows: Vec<(bool, Vec<Markup>)> = (r.equity_sweep.iter())
        .map(|s| {
            let pf = &s.portfolio;
            let is_rec = s.eta == e.eta;
            let eta = l.num_trimmed(s.eta, 2);
            let eta = if is_rec { format!("{eta} {}", t.recommended_eta) } else { eta };
            let base_opts: &[String] = base.map_or(&[], |b| &b.portfolio.options);
            let added: Vec<&str> = pf.options.iter().filter(|o| !base_opts.contains(o)).map(String::as_str).collect();
            let removed: Vec<&str> = base_opts.iter().filter(|o| !pf.options.contains(o)).map(String::as_str).collect();
            let options = p.options_of(pf);
            let spend = html! {
                @for (i, &a) in high.iter().enumerate() {
                    @if i > 0 { br; }
                    span.nw { (r.areas[a]) ": " (p.eur(p.peak_in(&options, Some(&r.areas[a])))) }
                }
            };
            let cells = vec![
                text(&eta),
                text(&pf.options.len().to_string()),
                p.spread_cell(&pf.npv_societal, t.p5_p95, false),
                lines(added, "+"),
                lines(removed, "−"),
                spend,
            ];
            (is_rec, cells)
        })
        .collect();
    let high_list = if high_names.is_empty() { t.none.to_string() } else { high_names.join(", ") };
    html! {
        (para(&fill(t.equity_intro, &[("eta", &l.num_trimmed(e.eta, 2))])))
        (para(&fill(t.equity_source, &[("indicator", &e.indicator), ("source", &e.source)])))
        h3 { (t.need_title) } "\n"
        (marked_table("", &header, &need_rows))
        @if !r.equity_sweep.is_empty() {
            h3 { (t.sweep_title) } "\n"
            (para(&fill(t.sweep_intro, &[("high", &high_list)])))
            (marked_table("sweep", &sweep_header, &sweep_rows))
        }
    }
}

/// 6. Pairs simulated together and pairs that add exactly.
pub(super) fn interactions(p: &Page) -> Markup {
    let (r, t) = (p.r, p.t);
    let chosen = |n: &str| p.by_name.get(n).is_some_and(|o| o.chosen);
    let mut pairs: Vec<&(String, String, f64)> = r.interactions.iter().collect();
    pairs.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
    let rows: Vec<Vec<Markup>> = (pairs.iter())
        .map(|(a, b, d)| {
            let area = p.by_name.get(a.as_str()).map_or("", |o| o.area.as_str());
            vec![
                text(a),
                text(b),
                text(area),
                text(&p.sim(*d)),
                text(if chosen(a) && chosen(b) { t.yes } else { t.no }),
            ]
        })
        .collect();
    html! {
        @if r.interactions.is_empty() {
            (para(t.interactions_none))
        } @else {
            (para(t.interactions_intro))
            (table("", &[t.col_option_a, t.col_option_b, t.col_area, &format!("#{}", t.col_interaction), t.col_both_chosen], &rows))
        }
        @if r.additive_pairs > 0 { (para(&fill(t.additive, &[("n", &r.additive_pairs.to_string())]))) }
    }
}

/// The claim check's verdict as the report's badge: a word and a symbol, so
/// not by colour alone.
fn verdict_badge(v: &str) -> Markup {
    let (class, symbol) = match v {
        "realistisch" => ("verdict verdict-ok", "✓"),
        "optimistisch" => ("verdict verdict-watch", "!"),
        "onrealistisch" => ("verdict verdict-off", "✗"),
        _ => ("verdict", ""),
    };
    html! { span class=(class) { span aria-hidden="true" { (symbol) } (PreEscaped("&nbsp;")) (v) } }
}

/// A claimed value in its unit.
fn claimed(p: &Page, unit: &str, x: f64) -> String {
    match unit {
        "eur" => p.eur(x),
        "eur_per_year" => p.t.per_year.replace("{eur}", &p.eur(x)),
        "ratio" => p.l.num(x, 2),
        "count" => p.l.num_trimmed(x, 1),
        other => format!("{} {other}", p.l.num_trimmed(x, 2)),
    }
}

/// 7. The fund round: every application and the funded set.
pub(super) fn round(p: &Page) -> Markup {
    let (r, t) = (p.r, p.t);
    let Some(round) = &r.round else { return html! {} };
    // Funded comes second, so the answer stays in view when the claims make the table wide.
    let header = [
        t.col_application.to_string(),
        t.col_funded.into(),
        t.col_applicant.into(),
        t.col_area.into(),
        format!("#{}", t.col_cost),
        format!("#{}", t.col_npv),
        format!("#{}", t.col_p_positive),
        t.col_claims.into(),
    ];
    let rows: Vec<(bool, Vec<Markup>)> = (round.applications.iter())
        .map(|a| {
            let o = p.by_name.get(a.option.as_str());
            let num = |f: &dyn Fn(&OptionResult) -> String| text(&o.map_or_else(|| t.none.to_string(), |o| f(o)));
            let claims = html! {
                @if !a.verdict.is_empty() { (verdict_badge(&a.verdict)) }
                @for c in &a.claims {
                    br;
                    span.muted { (fill(t.claim_line, &[
                        ("label", &c.label), ("claimed", &claimed(p, &c.unit, c.claimed)), ("p", &p.share(c.p_reached)),
                    ])) }
                }
            };
            let name = html! {
                (a.name)
                @if !a.claim_dir.is_empty() { br; a href=(a.claim_dir) { (t.link) } }
            };
            let cells = vec![
                name,
                text(if a.funded { t.yes } else { t.no }),
                text(&a.applicant),
                text(&a.area),
                num(&|o| p.eur(o.peak_cost_per_year)),
                o.map_or_else(|| text(t.none), |o| p.spread_cell(&o.npv_societal, t.p10_p90, true)),
                num(&|o| p.share(o.npv_societal.p_positive)),
                claims,
            ];
            (a.funded, cells)
        })
        .collect();
    let funded = p.options_of(&round.funded);
    html! {
        (para(&fill(t.asked, &[("asked", &p.eur(round.asked_peak_per_year)), ("budget", &p.eur(r.budget))])))
        (para(t.round_intro))
        (marked_table("round", &header, &rows))
        h3 { (t.funded_title) } "\n"
        div.answer {
            "\n" p { strong { (answer_sentence(p, &round.funded, t.lead_funded, true)) } } "\n"
            @for s in objective_sentences(p, &round.funded) { (para(&s)) }
        }
        "\n"
        @if !funded.is_empty() { (chosen_list(p, &funded)) }
    }
}
