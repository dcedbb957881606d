//! The committee page as one self-contained HTML document (`claim.html`).

use super::{plain, verdict_symbol, verdict_word, Cell, ChartText, Lang, Page, Table, W};
use crate::claim::result::{ClaimOutcome, ClaimReport};
use crate::render::charts::{self, Bins, ChartError, Frame};
use crate::render::css;
use crate::render::html::{
    document, figure, header_refs, heading, html, muted, para, section, table, text, with_sub, Html, Markup,
};

/// The committee page as one self-contained HTML document in `lang`.
pub fn html(r: &ClaimReport, lang: Lang) -> Result<String, ChartError> {
    let p = Page::new(r, lang);
    let w = p.w;
    let mut body = Html::with_capacity(64 << 10);
    body.push(html! {
        header {
            "\n" h1 { (p.title) } "\n"
            p.applicant { (p.applicant) } "\n"
            @if !p.description.is_empty() { (para(&p.description)) }
            p.meta { (p.meta) } "\n"
        }
        "\n"
    });
    body.push(section(
        "oordeel",
        w.t.s_verdict,
        html! { (html_table(w, &p.verdicts)) p.note { (p.verdict_note) } "\n" },
    ));
    body.push(section(
        "toelichting",
        w.t.s_explain,
        html! { div.sentences { "\n" @for s in &p.sentences { (para(s)) } } "\n" },
    ));
    if let Some(levels) = &p.levels {
        body.push(section("niveaus", w.t.s_levels, levels_section(&p, levels)));
    }
    let mut charts = Html::default();
    for (c, t) in r.claims.iter().zip(&p.charts) {
        let chart = claim_chart(w, c, t)?;
        charts.push(html! { div.claim-chart { "\n" (heading(3, &t.title)) (chart) } "\n" });
    }
    body.push(section(
        "verdeling",
        w.t.s_charts,
        html! { (para(&p.charts_intro)) div.charts { "\n" (Markup::from(charts)) } "\n" },
    ));
    body.push(section("aannames", w.t.s_assumptions, assumptions(&p)));
    body.push(section(
        "reproduceren",
        w.t.s_reproduce,
        html! {
            (para(&p.reproduce_intro))
            (html_table(w, &p.reproduce))
            @if !p.inputs.rows.is_empty() { (html_table(w, &p.inputs)) }
        },
    ));
    Ok(document(w.l.code(), &p.title, css::CLAIM, body.into(), &p.footer))
}

/// The business case at both levels, what tells them apart, and the PM-posten.
fn levels_section(p: &Page, levels: &Table) -> Markup {
    let w = p.w;
    html! {
        (para(&p.levels_intro))
        (html_table(w, levels))
        (para(w.t.levels_explain))
        (heading(3, w.t.h_pm))
        @if p.pm.is_empty() {
            (para(w.t.pm_none))
        } @else {
            ul.pm { "\n" @for s in &p.pm { li { (s) } "\n" } } "\n"
        }
    }
}

/// The effects, costs, SROI corrections and method.
fn assumptions(p: &Page) -> Markup {
    let w = p.w;
    html! {
        (heading(3, w.t.h_effects)) (html_table(w, &p.effects))
        (heading(3, w.t.h_costs)) (html_table(w, &p.costs))
        (heading(3, w.t.h_sroi))
        @if p.sroi.is_empty() {
            (para(w.t.sroi_none))
        } @else {
            ul { "\n" @for s in &p.sroi { li { (s) } "\n" } } "\n"
        }
        (heading(3, w.t.h_method))
        @for s in &p.method { (para(s)) }
    }
}

fn html_cell(w: W, c: &Cell) -> Markup {
    match c {
        Cell::Text(s) | Cell::Num(s) | Cell::Label(s, None) => text(s),
        Cell::Code(s) => crate::render::html::code(s),
        Cell::Source(s) => crate::render::html::cited(s),
        Cell::Label(s, Some(sub)) => with_sub(s, sub),
        Cell::Lines(l) => html! { @for (i, s) in l.iter().enumerate() { @if i > 0 { br; } (s) } },
        Cell::Verdict(v) => {
            // The CSS class is the Dutch word, in every language.
            let (word, class) = (verdict_word(w, *v), v.as_str());
            html! { span class={ "badge " (class) } { span aria-hidden="true" { (verdict_symbol(*v)) } "\u{a0}" (word) } }
        }
    }
}

fn html_table(w: W, t: &Table) -> Markup {
    let rows: Vec<Vec<Markup>> = t.rows.iter().map(|r| r.iter().map(|c| html_cell(w, c)).collect()).collect();
    table(t.class, &header_refs(&t.header), &rows)
}

/// One claim's histogram with the claim line, its caption and its table.
fn claim_chart(w: W, c: &ClaimOutcome, t: &ChartText) -> Result<Markup, ChartError> {
    let hist = &c.histogram;
    if hist.counts.is_empty() || hist.edges.len() != hist.counts.len() + 1 || !c.claimed.is_finite() {
        return Ok(muted(w.t.no_histogram));
    }
    let frame =
        Frame { width: 440, height: 260, caption: None, x_label: &t.x_label, y_label: w.t.axis_draws, aria: &t.aria };
    let bins = Bins { edges: &hist.edges, counts: &hist.counts, unit: t.unit };
    let svg = charts::claim_histogram(
        &frame,
        bins,
        c.claimed,
        (w.t.legend_below, w.t.legend_reached, w.t.legend_claim),
        w.l,
    )?;
    let rows: Vec<Vec<Markup>> = (hist.edges.windows(2).zip(&hist.counts))
        .map(|(e, &n)| {
            vec![text(&format!("{} – {}", plain(w, &c.unit, e[0]), plain(w, &c.unit, e[1]))), text(&n.to_string())]
        })
        .collect();
    let tab = table("", &[w.t.col_bin, &format!("#{}", w.t.col_count)], &rows);
    Ok(figure("claim", &svg, &t.summary, Some(&tab), w.t.table_alt))
}
