//! Section 2, Indicators over time: per scenario the indicators it changes most, as
//! fans of the scenario against the nulalternatief, their difference, and
//! small multiples per area.

use super::{Report, SeriesRef, BASELINE};
use crate::render::charts::{self, Frame};
use crate::render::html::{details, figure, heading, html, para, table, text, Html, Markup};
use crate::render::text::fill;
use crate::report::data::{Contrast, Series};
use crate::report::ReportError;
use crate::summary::TOTAL_AREA;

/// Indicators shown per scenario.
const TOP_INDICATORS: usize = 3;

/// One indicator of one scenario: what every block of it needs.
struct Indicator<'a> {
    scenario: &'a str,
    measure: String,
    title: String,
    years: &'a [i32],
}

impl Indicator<'_> {
    fn key<'b>(&'b self, scenario: &'b str, contrast: Contrast, area: &'b str) -> SeriesRef<'b> {
        SeriesRef { scenario, contrast, area, measure: &self.measure }
    }
}

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) -> Result<(), ReportError> {
    let t = r.t;
    h.push(para(t.indicators_intro));
    let years = r.years();
    for name in r.data.summary.scenarios.keys() {
        h.push(heading(3, name));
        let top = top_indicators(r, name);
        if top.is_empty() {
            h.push(html! { p.muted { (t.indicator_none) } "\n" });
            continue;
        }
        for (chain, state) in top {
            let title = fill(t.indicator_title, &[("chain", &chain), ("state", &state)]);
            h.push(heading(4, &title));
            let ind =
                Indicator { scenario: name, measure: format!("prevalence/{chain}/{state}"), title, years: &years };
            if level_and_difference(r, h, &ind)? {
                per_area(r, h, &ind)?;
            }
        }
    }
    Ok(())
}

/// The chain states a scenario changes most: largest positive mean avoided
/// person-years in the city total.
fn top_indicators(r: &Report<'_>, scenario: &str) -> Vec<(String, String)> {
    let Some(a) = r.data.summary.scenarios.get(scenario).and_then(|s| s.areas.get(TOTAL_AREA)) else {
        return vec![];
    };
    let mut v: Vec<(String, String, f64)> = a
        .metrics
        .iter()
        .filter_map(|(k, st)| {
            let rest = k.strip_prefix("avoided_person_years/")?;
            let (chain, state) = rest.split_once('/')?;
            let m = st.mean();
            (m.is_finite() && m > 0.5).then(|| (chain.to_string(), state.to_string(), m))
        })
        .collect();
    v.sort_by(|a, b| b.2.total_cmp(&a.2));
    v.into_iter().take(TOP_INDICATORS).map(|(c, s, _)| (c, s)).collect()
}

/// Statistic `k` of a series in year `i`; NaN when missing.
fn pick(s: Option<&Series>, k: &str, i: usize) -> f64 {
    s.and_then(|s| s.stat(k)).and_then(|v| v.get(i).copied()).unwrap_or(f64::NAN)
}

/// The city-wide level (scenario against nulalternatief, with its table) and
/// difference charts side by side; false when the run lacks the level series.
fn level_and_difference(r: &Report<'_>, h: &mut Html, ind: &Indicator<'_>) -> Result<bool, ReportError> {
    let (t, l) = (r.t, r.lang);
    let name = ind.scenario;
    let base = r.fan(ind.key(BASELINE, Contrast::Level, TOTAL_AREA), t.baseline, charts::BASELINE);
    let scen = r.fan(ind.key(name, Contrast::Level, TOTAL_AREA), name, charts::SCENARIO);
    let diff = r.fan(ind.key(name, Contrast::Difference, TOTAL_AREA), name, charts::SCENARIO);
    let (Some(base), Some(scen)) = (base, scen) else { return Ok(false) };
    let level_caption = format!("{} – {}: {}", r.total_label(), ind.title, t.indicator_level);
    fn frame<'a>(caption: &'a str, x_label: &'a str, y_label: &'a str, aria: &'a str) -> Frame<'a> {
        Frame { width: 540, height: 320, caption: Some(caption), x_label, y_label, aria }
    }
    let fans = [base, scen];
    let level = charts::FanChart { years: ind.years, fans: &fans, points: &[], scale: 100.0, zero: false };
    let level_svg = level.draw(&frame(t.indicator_level, t.axis_year, t.axis_prevalence, &level_caption), l)?;
    let tab = level_table(r, ind);
    let mut pair = Html::default();
    pair.push(figure("fan", &level_svg, &level_caption, Some(&tab), t.table_alt));
    if let Some(diff) = diff {
        let diff_caption = format!("{} – {}: {}", r.total_label(), ind.title, t.indicator_diff);
        let fans = [diff];
        let chart = charts::FanChart { years: ind.years, fans: &fans, points: &[], scale: 100.0, zero: true };
        let svg = chart.draw(&frame(t.indicator_diff, t.axis_year, t.axis_prevalence_diff, &diff_caption), l)?;
        pair.push(figure("fan-difference", &svg, &diff_caption, None, t.table_alt));
    }
    h.push(html! { div.pair { "\n" (Markup::from(pair)) } "\n" });
    Ok(true)
}

/// The level chart's numbers per year: median and P5–P95 of both arms, and the mean difference.
fn level_table(r: &Report<'_>, ind: &Indicator<'_>) -> Markup {
    let (t, l) = (r.t, r.lang);
    let name = ind.scenario;
    let series = |scenario, contrast| r.data.series(scenario, contrast, TOTAL_AREA, &ind.measure);
    let (bs, ss) = (series(BASELINE, Contrast::Level), series(name, Contrast::Level));
    let ds = series(name, Contrast::Difference);
    let band = |s, i| {
        format!("{} ({} – {})", l.pct(pick(s, "p50", i), 2), l.pct(pick(s, "p5", i), 2), l.pct(pick(s, "p95", i), 2))
    };
    let rows: Vec<Vec<Markup>> = (ind.years.iter().enumerate())
        .map(|(i, y)| {
            vec![
                text(&y.to_string()),
                text(&band(bs, i)),
                text(&band(ss, i)),
                text(&format!("{} {}", l.num(pick(ds, "mean", i) * 100.0, 3), "pp")),
            ]
        })
        .collect();
    let header = [
        t.col_year,
        &format!("#{} ({} {})", t.baseline, t.band_median, t.band_90),
        &format!("#{} ({} {})", name, t.band_median, t.band_90),
        &format!("#{}", t.col_difference),
    ];
    table("", &header, &rows)
}

/// Small multiples: the areas where the scenario changes this indicator, with
/// the last year's figures in a table.
fn per_area(r: &Report<'_>, h: &mut Html, ind: &Indicator<'_>) -> Result<(), ReportError> {
    let (t, l) = (r.t, r.lang);
    let name = ind.scenario;
    let Some(sc) = r.data.summary.scenarios.get(name) else { return Ok(()) };
    let areas: Vec<&String> = (sc.areas.keys())
        .filter(|a| *a != TOTAL_AREA)
        .filter(|a| {
            (r.data.series(name, Contrast::Difference, a, &ind.measure))
                .and_then(|s| s.stat("mean"))
                .is_some_and(|v| v.iter().any(|x| x.abs() > 1e-6))
        })
        .collect();
    if areas.is_empty() {
        return Ok(());
    }
    let last = ind.years.len() - 1;
    let mut charts_html = Html::default();
    let mut rows = vec![];
    for area in areas {
        let base = r.fan(ind.key(BASELINE, Contrast::Level, area), t.baseline, charts::BASELINE);
        let scen = r.fan(ind.key(name, Contrast::Level, area), name, charts::SCENARIO);
        let (Some(base), Some(scen)) = (base, scen) else { continue };
        let aria = format!("{area} – {}", ind.title);
        let frame =
            Frame { width: 300, height: 210, caption: Some(area), x_label: t.axis_year, y_label: "%", aria: &aria };
        let fans = [base, scen];
        let svg = charts::FanChart { years: ind.years, fans: &fans, points: &[], scale: 100.0, zero: false }
            .draw(&frame, l)?;
        charts_html.push(figure("fan-area", &svg, "", None, t.table_alt));
        let series = |scenario, contrast| r.data.series(scenario, contrast, area, &ind.measure);
        rows.push(vec![
            text(area),
            text(&l.pct(pick(series(BASELINE, Contrast::Level), "p50", last), 2)),
            text(&l.pct(pick(series(name, Contrast::Level), "p50", last), 2)),
            text(&format!("{} pp", l.num(pick(series(name, Contrast::Difference), "mean", last) * 100.0, 3))),
        ]);
    }
    let header = [
        t.col_area,
        &format!("#{} ({})", t.baseline, t.band_median),
        &format!("#{} ({})", name, t.band_median),
        &format!("#{}", t.col_difference),
    ];
    h.push(html! {
        h4 { (ind.title) " – " (t.per_area_multiples) } "\n"
        div.multiples { "\n" (Markup::from(charts_html)) } "\n"
    });
    h.push(details(&format!("{} ({})", t.table_alt, ind.years[last]), &table("", &header, &rows)));
    Ok(())
}
