//! Monitoring (between what drives the result and the assumptions, only when
//! the run has a `monitor.json`): observed figures against the simulation, the
//! on-track verdicts and the business case before and after the observations.

use super::{Report, SeriesRef};
use crate::monitor::{MonitorReport, ObservationCheck};
use crate::render::charts::{self, FanChart, Frame, ObservedPoint};
use crate::render::format::sig_decimals;
use crate::render::html::{figure, header_refs, heading, html, mono, muted, para, table, text, Html, Markup};
use crate::render::text::{fill, Lang};
use crate::report::data::{Contrast, ObservedRow};
use crate::report::ReportError;

/// Parameters shown in the table of shifts.
const TOP_SHIFTS: usize = 10;
/// The 97.5th percentile of the standard normal: half-width of a 95 % interval in standard errors.
const Z95: f64 = 1.96;

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) -> Result<(), ReportError> {
    let Some(m) = &r.data.monitor else { return Ok(()) };
    h.push(para(&fill(r.t.mon_intro, &[("scenario", &m.scenario)])));
    status(r, h, m);
    verdicts(r, h, m);
    series(r, h, m)?;
    business_case(r, h, m);
    if m.updated {
        parameters(r, h, m);
    }
    Ok(())
}

/// How many observations fit, the effective sample size, and whether there is a posterior.
fn status(r: &Report<'_>, h: &mut Html, m: &MonitorReport) {
    let (t, l) = (r.t, r.lang);
    let inside = m.observations.iter().filter(|o| o.inside_band).count();
    let inside = fill(t.mon_inside, &[("inside", &inside.to_string()), ("total", &m.observations.len().to_string())]);
    let ess = fill(
        t.mon_ess,
        &[
            ("ess", &l.num(m.ess, if m.ess < 10.0 { 1 } else { 0 })),
            ("draws", &l.num(m.draws as f64, 0)),
            ("min", &l.num(m.min_ess, 0)),
        ],
    );
    let updated = if m.updated { t.mon_updated } else { t.mon_not_updated };
    h.push(html! {
        div.monitor-status {
            "\n" (para(&inside))
            p { strong { (ess) " " (updated) } } "\n"
            @if let Some(msg) = &m.message { (muted(&fill(t.mon_message, &[("message", msg)]))) }
        }
        "\n"
    });
}

/// On track per area and indicator.
fn verdicts(r: &Report<'_>, h: &mut Html, m: &MonitorReport) {
    let t = r.t;
    h.push(heading(3, t.mon_track_title));
    h.push(para(t.mon_track_intro));
    let rows: Vec<Vec<Markup>> = (m.verdicts.iter())
        .map(|v| {
            vec![
                text(r.area_label(&v.area)),
                mono(&v.measure),
                text(&format!("{} / {}", v.inside, v.observations)),
                verdict_badge(r, &v.verdict),
            ]
        })
        .collect();
    h.push(table("", &[t.col_area, t.col_measure, &format!("#{}", t.col_inside), t.col_verdict], &rows));
}

/// One chart per observed (area, indicator), in the order of the verdicts.
fn series(r: &Report<'_>, h: &mut Html, m: &MonitorReport) -> Result<(), ReportError> {
    let t = r.t;
    h.push(heading(3, t.mon_series_title));
    h.push(para(&fill(t.mon_series_intro, &[("scenario", &m.scenario)])));
    if r.data.observed.is_none() {
        h.push(muted(t.mon_no_sampling));
    }
    let mut groups: Vec<(&str, &str)> = m.verdicts.iter().map(|v| (v.area.as_str(), v.measure.as_str())).collect();
    for o in &m.observations {
        if !groups.contains(&(o.area.as_str(), o.measure.as_str())) {
            groups.push((o.area.as_str(), o.measure.as_str()));
        }
    }
    for (area, measure) in groups {
        let mut obs: Vec<&ObservationCheck> =
            m.observations.iter().filter(|o| o.area == area && o.measure == measure).collect();
        obs.sort_by_key(|o| (o.year, o.line));
        let key = SeriesRef { scenario: &m.scenario, contrast: Contrast::Level, area, measure };
        observed_series(r, h, key, &obs, m.updated)?;
    }
    Ok(())
}

/// The business case, before and (when reported) after the observations.
fn business_case(r: &Report<'_>, h: &mut Html, m: &MonitorReport) {
    let (t, l) = (r.t, r.lang);
    h.push(heading(3, t.mon_bc_title));
    let intro = if m.updated { t.mon_bc_intro } else { t.mon_bc_intro_prior };
    h.push(para(&fill(intro, &[("scenario", &m.scenario)])));
    let rows: Vec<Vec<Markup>> = (m.business_case.iter())
        .map(|b| {
            let mut shown = vec![b.prior_mean, b.prior_p5, b.prior_p95];
            if m.updated {
                shown.extend([b.posterior_mean, b.posterior_p5, b.posterior_p95]);
            }
            let value = business_case_format(l, &b.metric, &shown);
            let cell =
                |mean: f64, p5: f64, p95: f64| text(&format!("{} ({} – {})", value(mean), value(p5), value(p95)));
            let mut row = vec![text(&metric_label(r, &b.metric)), cell(b.prior_mean, b.prior_p5, b.prior_p95)];
            if m.updated {
                row.push(cell(b.posterior_mean, b.posterior_p5, b.posterior_p95));
            }
            row
        })
        .collect();
    let mut header = vec![t.col_metric.to_string(), format!("#{}", t.col_prior)];
    if m.updated {
        header.push(format!("#{}", t.col_posterior));
    }
    h.push(table("", &header_refs(&header), &rows));
    let (prior, posterior) = m.p_npv_positive;
    let sentence = if m.updated {
        fill(t.mon_p_positive, &[("prior", &l.pct(prior, 0)), ("posterior", &l.pct(posterior, 0))])
    } else {
        fill(t.mon_p_positive_prior, &[("prior", &l.pct(prior, 0))])
    };
    h.push(para(&sentence));
}

/// The parameters the observations moved most (only with a posterior).
fn parameters(r: &Report<'_>, h: &mut Html, m: &MonitorReport) {
    let (t, l) = (r.t, r.lang);
    h.push(heading(3, t.mon_params_title));
    h.push(para(t.mon_params_intro));
    let mut shifts: Vec<_> = m.parameters.iter().filter(|p| p.shift_sd.is_finite()).collect();
    shifts.sort_by(|a, b| b.shift_sd.abs().total_cmp(&a.shift_sd.abs()));
    shifts.truncate(TOP_SHIFTS);
    if shifts.is_empty() {
        h.push(muted(t.mon_params_none));
        return;
    }
    let rows: Vec<Vec<Markup>> = shifts
        .iter()
        .map(|p| {
            // One number of decimals per row, from the prior mean (or the largest needed when it is zero).
            let all = [p.prior_mean, p.prior_p5, p.prior_p95, p.posterior_mean, p.posterior_p5, p.posterior_p95];
            let d = if p.prior_mean != 0.0 && p.prior_mean.is_finite() {
                sig_decimals(p.prior_mean)
            } else {
                all.iter().filter(|x| x.is_finite()).map(|&x| sig_decimals(x)).max().unwrap_or(0)
            };
            let band = |mean: f64, p5: f64, p95: f64| {
                text(&format!("{} ({} – {})", l.num(mean, d), l.num(p5, d), l.num(p95, d)))
            };
            vec![
                mono(&p.parameter),
                band(p.prior_mean, p.prior_p5, p.prior_p95),
                band(p.posterior_mean, p.posterior_p5, p.posterior_p95),
                text(&format!("{}{}", if p.shift_sd > 0.0 { "+" } else { "" }, l.num(p.shift_sd, 2))),
            ]
        })
        .collect();
    let header = [
        t.col_parameter,
        &format!("#{}", t.col_prior_param),
        &format!("#{}", t.col_posterior_param),
        &format!("#{}", t.col_shift),
    ];
    h.push(table("", &header, &rows));
}

/// The verdict as a badge: colour, symbol and word, so that it reads without colour.
fn verdict_badge(r: &Report<'_>, verdict: &str) -> Markup {
    let t = r.t;
    let (class, symbol, word) = match verdict {
        "op koers" => ("ok", "✓", t.verdict_on_track),
        "let op" => ("watch", "!", t.verdict_watch),
        "uit koers" => ("off", "✗", t.verdict_off_track),
        other => ("watch", "?", other),
    };
    html! { span class={ "verdict verdict-" (class) } { span aria-hidden="true" { (symbol) } " " (word) } }
}

/// A business-case metric of `monitor.json` in words.
fn metric_label(r: &Report<'_>, metric: &str) -> String {
    let t = r.t;
    match metric {
        "npv" => t.metric_npv.into(),
        "bcr" => t.metric_bcr.into(),
        "pv_benefits" => t.metric_pv_benefits.into(),
        "pv_intervention_costs" => t.metric_pv_costs.into(),
        "npv_societal" => t.metric_npv_social.into(),
        m => match m.strip_prefix("pv_net/") {
            Some(acc) => fill(t.metric_pv_net, &[("account", &r.account_label(acc))]),
            None => m.into(),
        },
    }
}

/// An observed or simulated value of `measure` as people read it:
/// percentages for prevalences, euros for cash flows, plain numbers otherwise.
fn measure_value(l: Lang, measure: &str, x: f64) -> String {
    match MeasureKind::of(measure) {
        MeasureKind::Prevalence => l.pct(x, 1),
        MeasureKind::Money => l.eur(x),
        MeasureKind::Other => l.num_trimmed(x, sig_decimals(x)),
    }
}

/// The observed row behind an observation check (same line, year, area and measure).
fn observed_row<'a>(r: &Report<'a>, o: &ObservationCheck) -> Option<&'a ObservedRow> {
    (r.data.observed.as_ref()?.iter())
        .find(|row| row.line == o.line && row.year == o.year && row.area == o.area && row.measure == o.measure)
}

/// The fan of the running scenario in one area with its observations, and the table beside it.
fn observed_series(
    r: &Report<'_>,
    h: &mut Html,
    key: SeriesRef<'_>,
    obs: &[&ObservationCheck],
    updated: bool,
) -> Result<(), ReportError> {
    let (t, l) = (r.t, r.lang);
    let (scenario, area, measure) = (key.scenario, key.area, key.measure);
    let kind = MeasureKind::of(measure);
    h.push(heading(4, &format!("{} – {measure}", r.area_label(area))));
    let intervals: Vec<Option<(f64, f64)>> =
        obs.iter().map(|o| observed_row(r, o).and_then(|row| sampling_interval(o.value, row, kind))).collect();
    let tab = observed_table(l, t, measure, obs, &intervals, updated);
    let Some(fan) = r.fan(key, scenario, charts::SCENARIO) else {
        h.push(muted(t.mon_no_series));
        h.push(tab);
        return Ok(());
    };
    let points: Vec<ObservedPoint> = (obs.iter().zip(&intervals))
        .map(|(o, iv)| ObservedPoint { year: o.year, value: o.value, lo: iv.map(|x| x.0), hi: iv.map(|x| x.1) })
        .collect();
    let (scale, y_label) = match kind {
        MeasureKind::Prevalence => (100.0, t.axis_prevalence),
        MeasureKind::Money => (1e-3, t.axis_cashflow),
        MeasureKind::Other => (1.0, measure),
    };
    let caption =
        fill(t.mon_chart_caption, &[("area", r.area_label(area)), ("measure", measure), ("scenario", scenario)]);
    let frame = Frame { width: 760, height: 340, caption: None, x_label: t.axis_year, y_label, aria: &caption };
    let (years, fans) = (r.years(), [fan]);
    let svg = FanChart { years: &years, fans: &fans, points: &points, scale, zero: false }.draw(&frame, l)?;
    h.push(figure("fan-monitor", &svg, &caption, Some(&tab), t.table_alt));
    Ok(())
}

/// The observations of one series: value with its sampling interval, percentile, band, inside.
fn observed_table(
    l: Lang,
    t: &crate::render::text::Texts,
    measure: &str,
    obs: &[&ObservationCheck],
    intervals: &[Option<(f64, f64)>],
    updated: bool,
) -> Markup {
    let value = |x: f64| measure_value(l, measure, x);
    let mut rows = vec![];
    for (o, iv) in obs.iter().zip(intervals) {
        let shown = match iv {
            Some((a, b)) => format!("{} ({} – {})", value(o.value), value(*a), value(*b)),
            None => value(o.value),
        };
        let mut row = vec![
            text(&o.year.to_string()),
            text(&shown),
            text(&format!("P{:.0}", (o.percentile * 100.0).clamp(0.0, 100.0))),
            text(&format!("{} – {}", value(o.p5), value(o.p95))),
            text(if o.inside_band { t.yes } else { t.no }),
        ];
        if updated {
            row.push(text(&o.posterior_p50.map_or("–".into(), value)));
        }
        rows.push(row);
    }
    let mut header = vec![
        t.col_year.to_string(),
        format!("#{}", t.col_observed),
        format!("#{}", t.col_percentile),
        format!("#{}", t.col_band),
        t.col_inside_band.to_string(),
    ];
    if updated {
        header.push(format!("#{}", t.col_posterior_median));
    }
    table("", &header_refs(&header), &rows)
}

/// How the business-case figures of one row are written: euros in the
/// report's short form (`€ 0,39 mln`), or whole euros when the short form would
/// make different numbers of the row look the same; the benefit/cost ratio
/// with two decimals, or three when two hide a difference.
fn business_case_format(l: Lang, metric: &str, values: &[f64]) -> impl Fn(f64) -> String {
    let ratio = metric == "bcr";
    let short = move |x: f64| if ratio { l.num(x, 2) } else { l.eur_short(x) };
    let tolerance = if ratio { 5e-4 } else { 0.5 };
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let hidden = finite.iter().any(|&a| finite.iter().any(|&b| (a - b).abs() >= tolerance && short(a) == short(b)));
    move |x: f64| match (hidden, ratio) {
        (false, _) => short(x),
        (true, true) => l.num(x, 3),
        (true, false) => l.eur(x),
    }
}

/// How a yearly measure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MeasureKind {
    /// A share of the people in a chain's ages (`prevalence/…`).
    Prevalence,
    /// Euros (`care_cost/…`, `intervention_cost/…`).
    Money,
    /// Counts, person-years and the rest.
    Other,
}

impl MeasureKind {
    fn of(measure: &str) -> Self {
        if measure.starts_with("prevalence/") {
            MeasureKind::Prevalence
        } else if measure.starts_with("care_cost/") || measure.starts_with("intervention_cost/") {
            MeasureKind::Money
        } else {
            MeasureKind::Other
        }
    }
}

/// The 95 % sampling interval of an observed `value`, as the monitor models
/// its sampling error: binomial with the survey's `n`, normal with the given
/// `se`, Poisson for a count with neither. `None` when the error is unknown
/// (a prevalence without `n` or `se`) or zero.
fn sampling_interval(value: f64, row: &ObservedRow, kind: MeasureKind) -> Option<(f64, f64)> {
    let (lo, hi) = match (row.n, row.se) {
        (Some(n), _) if n > 0.0 => {
            let se = (value * (1.0 - value) / n).max(0.0).sqrt();
            ((value - Z95 * se).max(0.0), (value + Z95 * se).min(1.0))
        }
        (_, Some(se)) if se > 0.0 => (value - Z95 * se, value + Z95 * se),
        (None, None) if kind != MeasureKind::Prevalence && value >= 0.0 => {
            let se = value.sqrt();
            ((value - Z95 * se).max(0.0), value + Z95 * se)
        }
        _ => return None,
    };
    (lo.is_finite() && hi.is_finite() && hi > lo).then_some((lo, hi))
}

#[cfg(test)]
mod tests;
