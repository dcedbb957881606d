//! The committee page as one self-contained Dutch HTML document (`claim.html`).

use super::{plain, verdict_symbol, verdict_word, Cell, ChartText, Page, Table, L, T};
use crate::claim::result::{ClaimOutcome, ClaimReport};
use crate::render::charts::{self, Bins, ChartError, Frame};
use crate::render::css;
use crate::render::html::{
    document, figure, header_refs, heading, html, muted, para, section, table, text, with_sub, Html, Markup,
};

/// The committee page as one self-contained Dutch HTML document.
pub fn html(r: &ClaimReport) -> Result<String, ChartError> {
    let p = Page::new(r);
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
    body.push(section("oordeel", T.s_verdict, html! { (html_table(&p.verdicts)) p.note { (p.verdict_note) } "\n" }));
    body.push(section(
        "toelichting",
        T.s_explain,
        html! { div.sentences { "\n" @for s in &p.sentences { (para(s)) } } "\n" },
    ));
    let mut charts = Html::default();
    for (c, t) in r.claims.iter().zip(&p.charts) {
        let chart = claim_chart(c, t)?;
        charts.push(html! { div.claim-chart { "\n" (heading(3, &t.title)) (chart) } "\n" });
    }
    body.push(section(
        "verdeling",
        T.s_charts,
        html! { (para(&p.charts_intro)) div.charts { "\n" (Markup::from(charts)) } "\n" },
    ));
    body.push(section("aannames", T.s_assumptions, assumptions(&p)));
    body.push(section(
        "reproduceren",
        T.s_reproduce,
        html! {
            (para(&p.reproduce_intro))
            (html_table(&p.reproduce))
            @if !p.inputs.rows.is_empty() { (html_table(&p.inputs)) }
        },
    ));
    Ok(document("nl", &p.title, css::CLAIM, body.into(), &p.footer))
}

/// The effects, costs, SROI corrections and method.
fn assumptions(p: &Page) -> Markup {
    html! {
        (heading(3, T.h_effects)) (html_table(&p.effects))
        (heading(3, T.h_costs)) (html_table(&p.costs))
        (heading(3, T.h_sroi))
        @if p.sroi.is_empty() {
            (para(T.sroi_none))
        } @else {
            ul { "\n" @for s in &p.sroi { li { (s) } "\n" } } "\n"
        }
        (heading(3, T.h_method))
        @for s in &p.method { (para(s)) }
    }
}

fn html_cell(c: &Cell) -> Markup {
    match c {
        Cell::Text(s) | Cell::Num(s) | Cell::Label(s, None) => text(s),
        Cell::Code(s) => crate::render::html::code(s),
        Cell::Source(s) => crate::render::html::cited(s),
        Cell::Label(s, Some(sub)) => with_sub(s, sub),
        Cell::Lines(l) => html! { @for (i, s) in l.iter().enumerate() { @if i > 0 { br; } (s) } },
        Cell::Verdict(v) => {
            let w = verdict_word(*v);
            html! { span class={ "badge " (w) } { span aria-hidden="true" { (verdict_symbol(*v)) } "\u{a0}" (w) } }
        }
    }
}

fn html_table(t: &Table) -> Markup {
    let rows: Vec<Vec<Markup>> = t.rows.iter().map(|r| r.iter().map(html_cell).collect()).collect();
    table(t.class, &header_refs(&t.header), &rows)
}

/// One claim's histogram with the claim line, its caption and its table.
fn claim_chart(c: &ClaimOutcome, t: &ChartText) -> Result<Markup, ChartError> {
    let hist = &c.histogram;
    if hist.counts.is_empty() || hist.edges.len() != hist.counts.len() + 1 || !c.claimed.is_finite() {
        return Ok(muted(T.no_histogram));
    }
    let frame =
        Frame { width: 440, height: 260, caption: None, x_label: &t.x_label, y_label: T.axis_draws, aria: &t.aria };
    let bins = Bins { edges: &hist.edges, counts: &hist.counts, unit: t.unit };
    let svg = charts::claim_histogram(&frame, bins, c.claimed, (T.legend_below, T.legend_reached, T.legend_claim), L)?;
    let rows: Vec<Vec<Markup>> = (hist.edges.windows(2).zip(&hist.counts))
        .map(|(w, &n)| {
            vec![text(&format!("{} – {}", plain(&c.unit, w[0]), plain(&c.unit, w[1]))), text(&n.to_string())]
        })
        .collect();
    let tab = table("", &[T.col_bin, &format!("#{}", T.col_count)], &rows);
    Ok(figure("claim", &svg, &t.summary, Some(&tab), T.table_alt))
}
