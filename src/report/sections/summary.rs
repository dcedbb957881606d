//! Section 1, Samenvatting: per scenario the business case at its levels
//! (financieel and maatschappelijk) in one table row and in plain sentences,
//! which streams carry it and where it lands against the published band, its
//! PM-posten, and the NPV per area behind a fold.

use super::{levels, Report};
use crate::render::html::{details, header_refs, html, muted, para, table, text, Html, Markup};
use crate::render::text::{fill, Lang};
use crate::report::data::{ScenarioFile, StatFile};
use crate::summary::TOTAL_AREA;

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) {
    let (t, l) = (r.t, r.lang);
    h.push(para(t.summary_intro));
    let baseline = &r.data.summary.nulalternatief;
    if !baseline.interventions.is_empty() {
        h.push(para(&fill(t.baseline_holds, &[("interventions", &baseline.interventions.join(", "))])));
        if !baseline.description.is_empty() {
            h.push(muted(&baseline.description));
        }
    }
    // Both levels side by side: financieel (cash) and maatschappelijk (cash plus welfare in euros).
    let mut rows = vec![];
    for name in r.data.summary.scenarios.keys() {
        let Some(npv) = r.stat(name, TOTAL_AREA, "npv") else { continue };
        let mut row = vec![text(name)];
        row.extend(level_cells(r, npv, r.total(name, "bcr")));
        match r.stat(name, TOTAL_AREA, "npv_societal") {
            Some(soc) => row.extend(level_cells(r, soc, r.total(name, "bcr_societal"))),
            None => row.extend((0..3).map(|_| text("–"))),
        }
        row.push(text(&break_even_cell(r, name)));
        rows.push(row);
    }
    let mut header = vec![t.col_scenario.to_string()];
    let numeric = [
        t.col_npv_fin,
        t.col_bcr_fin,
        t.col_p_positive,
        t.col_npv_soc,
        t.col_bcr_soc,
        t.col_p_positive_soc,
        t.col_break_even,
    ];
    header.extend(numeric.iter().map(|c| format!("#{c}")));
    h.push(table("summary levels", &header_refs(&header), &rows));
    let values = r.data.assumptions.as_ref().map_or(vec![], |a| levels::unit_values(&a.parameters, l));
    h.push(para(&levels::levels_explained(t, &values)));
    for (name, sc) in &r.data.summary.scenarios {
        let sentences = sentences(r, name);
        let per_area = per_area(r, name);
        h.push(html! {
            div.scenario-summary {
                "\n" h3 { (name) } "\n"
                @if !sc.description.is_empty() { (muted(&sc.description)) }
                div.sentences { "\n" @for s in &sentences { (para(s)) } } "\n"
                (level_sentences(r, sc))
                @if !sc.pm.is_empty() {
                    h4 { (t.pm_title) } "\n"
                    ul.pm { @for p in &sc.pm { li { (p) } } } "\n"
                }
                @if let Some(p) = &per_area { (p) }
            }
            "\n"
        });
    }
}

fn break_even_cell(r: &Report<'_>, scenario: &str) -> String {
    let Some(be) = r.stat(scenario, TOTAL_AREA, "break_even_year") else { return "–".into() };
    let total = be.n + be.missing;
    if be.n == 0 || total == 0 {
        return r.t.not_within_horizon.into();
    }
    format!("{:.0} ({})", be.q("p50"), r.lang.pct(be.n as f64 / total as f64, 0))
}

/// Plain sentences for one scenario: NPV, chance of a positive case,
/// benefit/cost, break-even, social value.
fn sentences(r: &Report<'_>, name: &str) -> Vec<String> {
    let (t, l) = (r.t, r.lang);
    let mut out = vec![];
    if let Some(npv) = r.stat(name, TOTAL_AREA, "npv") {
        let (mean, p5, p95) = (l.eur_short(npv.mean()), l.eur_short(npv.q("p5")), l.eur_short(npv.q("p95")));
        out.push(fill(t.sent_npv, &[("mean", &mean), ("p5", &p5), ("p95", &p95)]));
        if let Some(p) = npv.p_positive {
            out.push(fill(t.sent_positive, &[("k", &format!("{:.0}", p * 100.0))]));
        }
    }
    match r.stat(name, TOTAL_AREA, "bcr") {
        Some(b) if b.n > 0 && b.mean().is_finite() => out.push(fill(t.sent_bcr, &[("bcr", &l.num(b.mean(), 2))])),
        _ => out.push(t.sent_no_bcr.into()),
    }
    if let Some(be) = r.stat(name, TOTAL_AREA, "break_even_year") {
        let total = (be.n + be.missing).max(1);
        if be.n == 0 {
            out.push(fill(t.sent_no_break_even, &[("end", &(r.end_year() + 1).to_string())]));
        } else {
            let k = format!("{:.0}", be.n as f64 * 100.0 / total as f64);
            out.push(fill(t.sent_break_even, &[("k", &k), ("year", &format!("{:.0}", be.q("p50")))]));
        }
    }
    let welfare = r.total(name, "pv_welfare").abs() > 0.5 || r.total(name, "pv_shadow_costs").abs() > 0.5;
    match r.stat(name, TOTAL_AREA, "npv_societal") {
        Some(soc) if welfare => {
            let (mean, p5, p95) = (l.eur_short(soc.mean()), l.eur_short(soc.q("p5")), l.eur_short(soc.q("p95")));
            out.push(fill(t.sent_npv_social, &[("mean", &mean), ("p5", &p5), ("p95", &p95)]));
            if let Some(p) = soc.p_positive {
                out.push(fill(t.sent_positive_social, &[("k", &format!("{:.0}", p * 100.0))]));
            }
            let bcr = r.total(name, "bcr_societal");
            if bcr.is_finite() {
                out.push(fill(t.sent_bcr_social, &[("bcr", &l.num(bcr, 2))]));
            }
        }
        Some(_) => out.push(t.sent_no_welfare.into()),
        None => {}
    }
    out
}

/// Mean NPV with its interval under it, benefit/cost ratio and chance of a positive NPV of one level.
fn level_cells(r: &Report<'_>, npv: &StatFile, bcr: f64) -> [Markup; 3] {
    let l = r.lang;
    let interval = r.interval(npv);
    [
        html! { (l.eur_short(npv.mean())) @if !interval.is_empty() { br; small { (interval) } } },
        text(&l.num(bcr, 2)),
        text(&l.pct(npv.p_positive.unwrap_or(f64::NAN), 0)),
    ]
}

/// A source of `docs/sources.md` by its key, in the words of the source (marked
/// as English on a Dutch page), not linked: the report loads and links nothing.
fn citation(key: &str, lang: Lang) -> Markup {
    let Some(s) = crate::sources::get(key) else { return html! { (key) } };
    let lang = (lang == Lang::Nl).then_some("en");
    html! { span lang=[lang] title=(s.key) { (s.short_citation()) } }
}

/// Which streams carry the maatschappelijke baten, where its B/C lands against
/// the published band (with the reasons below it) and what flows at the horizon.
fn level_sentences(r: &Report<'_>, sc: &ScenarioFile) -> Markup {
    let Some(total) = sc.areas.get(TOTAL_AREA) else { return html! {} };
    let lv = levels::Levels::new(&total.metrics, &sc.pm);
    let streams = lv.streams_sentence(r.lang, &|a| r.account_label(a));
    let band = lv.band_sentences(r.lang);
    let horizon = lv.horizon_sentence(r.lang, r.end_year());
    html! {
        div.levels {
            "\n"
            @if let Some(s) = &streams { (para(s)) }
            @if let Some((s, reasons)) = &band {
                p.band {
                    (s) " ("
                    @for (i, key) in levels::BAND_SOURCES.iter().enumerate() {
                        @if i > 0 { "; " }
                        (citation(key, r.lang))
                    }
                    ")."
                    @for reason in reasons { " " (reason) }
                }
                "\n"
            }
            @if let Some(s) = &horizon { (para(s)) }
        }
        "\n"
    }
}

/// The NPV per area the scenario touches, behind a fold; none with fewer than two such areas.
fn per_area(r: &Report<'_>, name: &str) -> Option<Markup> {
    let (t, l) = (r.t, r.lang);
    let sc = r.data.summary.scenarios.get(name)?;
    let mut rows = vec![];
    for (area, a) in &sc.areas {
        if area == TOTAL_AREA {
            continue;
        }
        let Some(npv) = a.metrics.get("npv") else { continue };
        let touched = npv.mean().abs() > 0.5 || npv.sd.unwrap_or(0.0) > 0.5;
        if !touched {
            continue;
        }
        let bcr = a.metrics.get("bcr").map_or(f64::NAN, StatFile::mean);
        rows.push(vec![
            text(area),
            text(&l.eur_short(npv.mean())),
            text(&r.interval(npv)),
            text(&l.pct(npv.p_positive.unwrap_or(f64::NAN), 0)),
            text(&l.num(bcr, 2)),
        ]);
    }
    if rows.len() < 2 {
        return None;
    }
    let mut header = vec![t.col_area.to_string()];
    header.extend([t.col_npv_mean, t.col_interval, t.col_p_positive, t.col_bcr].iter().map(|c| format!("#{c}")));
    let body = html! { (muted(t.per_area_intro)) (table("", &header_refs(&header), &rows)) };
    Some(details(t.per_area_title, &body))
}
