//! Assembling the report: one self-contained HTML document (inline CSS and
//! SVG, no scripts, no external resources), sections in the order an advisor
//! reads them.

use super::charts::{self, Fan, Frame, ObservedPoint, Stack, TornadoBar};
use super::data::{Contrast, ObservedRow, RunData, SensitivityRow, StatFile};
use super::text::{fill, Lang, Texts};
use super::ReportError;
use crate::monitor::ObservationCheck;
use crate::summary::TOTAL_AREA;

/// Name of the nulalternatief in the yearly file.
const BASELINE: &str = crate::model::Model::BASELINE;
/// Indicators shown per scenario in the fan-chart section.
const TOP_INDICATORS: usize = 3;
/// Parameters shown in each tornado chart.
const TOP_PARAMETERS: usize = 10;
/// Parameters shown in the monitoring section's table of shifts.
const TOP_SHIFTS: usize = 10;
/// The 97.5th percentile of the standard normal: half-width of a 95 % interval in standard errors.
const Z95: f64 = 1.96;

/// Escape text for HTML element content and attribute values: `& < > "`, the
/// characters maud escapes (a single quote needs no escaping in text or in a
/// double-quoted attribute).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
:root { --ink: #1d1d1b; --muted: #5b5b5b; --line: #d6d6d6; --band: #f4f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif;
       color: var(--ink); margin: 0; line-height: 1.5; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 1.9rem; margin: 0.2em 0; }
h2 { font-size: 1.45rem; margin-top: 2.2em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.15rem; margin-top: 1.6em; }
h4 { font-size: 1rem; margin: 1.2em 0 0.4em; }
p.meta, .muted { color: var(--muted); }
nav ol { columns: 2; padding-left: 1.2em; }
div.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--band); }
table.summary td:first-child { white-space: nowrap; font-weight: 600; }
table.parameters td:nth-child(5) { min-width: 22em; }
table.parameters td:nth-child(2) { min-width: 9em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.n { white-space: normal; }
.sentences p { margin: 0.3em 0; }
.scenario-summary { border-left: 4px solid var(--accent); padding: 2px 14px; margin: 12px 0; background: #fafbfc; }
figure.chart { margin: 12px 0 18px; }
figure.chart figcaption { font-size: 0.9rem; color: var(--muted); }
svg.chart-svg { max-width: 100%; height: auto; display: block; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px; }
.multiples figure.chart { margin: 0; }
details { margin: 4px 0 12px; }
details summary { cursor: pointer; color: var(--accent); }
code, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.85rem; word-break: break-all; }
.monitor-status { border-left: 4px solid var(--accent); padding: 2px 14px; margin: 12px 0; background: #fafbfc; }
.verdict { display: inline-block; padding: 0 8px; border: 1px solid; border-radius: 10px; font-weight: 600;
           white-space: nowrap; }
.verdict-ok { background: #e2f3ec; border-color: #009E73; color: #00563F; }
.verdict-watch { background: #fdf1d2; border-color: #E69F00; color: #5C4000; }
.verdict-off { background: #fbe3d6; border-color: #D55E00; color: #7A2F00; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { details { display: block; } nav { display: none; } h2 { break-before: page; } }
";

/// Render the whole report.
pub fn render(data: &RunData, lang: Lang) -> Result<String, ReportError> {
    let t = lang.texts();
    let r = Report { data, lang, t };
    let mut h = String::with_capacity(1 << 20);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        lang.code(),
        esc(&format!("{} – {}", t.title, r.input_name()))
    ));
    r.header(&mut h);
    let mut sections: Vec<(&str, &str)> = vec![
        ("samenvatting", t.s_summary),
        ("indicatoren", t.s_indicators),
        ("npv", t.s_npv),
        ("financiers", t.s_funders),
        ("gevoeligheid", t.s_drivers),
    ];
    // Monitoring comes with the results, before the reference sections.
    if data.monitor.is_some() {
        sections.push(("monitoring", t.s_monitoring));
    }
    sections.extend([("aannames", t.s_assumptions), ("reproduceren", t.s_reproduce)]);
    h.push_str(&format!("<nav aria-label=\"{}\"><ol>", esc(t.contents)));
    for (id, title) in &sections {
        h.push_str(&format!("<li><a href=\"#{id}\">{}</a></li>", esc(title)));
    }
    h.push_str("</ol></nav>\n");
    for (i, (id, title)) in sections.iter().enumerate() {
        h.push_str(&format!("<section id=\"{id}\">\n<h2>{}. {}</h2>\n", i + 1, esc(title)));
        match *id {
            "samenvatting" => r.summary(&mut h),
            "indicatoren" => r.indicators(&mut h)?,
            "npv" => r.npv_distribution(&mut h)?,
            "financiers" => r.funders(&mut h)?,
            "gevoeligheid" => r.drivers(&mut h)?,
            "monitoring" => r.monitoring(&mut h)?,
            "aannames" => r.assumptions(&mut h),
            _ => r.reproduce(&mut h),
        }
        h.push_str("</section>\n");
    }
    h.push_str(&format!(
        "<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        esc(&fill(t.footer, &[("version", &data.summary.engine.version)]))
    ));
    Ok(h)
}

struct Report<'a> {
    data: &'a RunData,
    lang: Lang,
    t: &'static Texts,
}

/// A figure: the SVG, a caption, and the same numbers as a table.
pub(crate) fn figure(h: &mut String, kind: &str, svg: &str, caption: &str, table: &str, alt_title: &str) {
    h.push_str(&format!("<figure class=\"chart\" data-chart=\"{kind}\">\n{svg}\n"));
    if !caption.is_empty() {
        h.push_str(&format!("<figcaption>{}</figcaption>\n", esc(caption)));
    }
    if !table.is_empty() {
        h.push_str(&format!("<details><summary>{}</summary>\n{table}</details>\n", esc(alt_title)));
    }
    h.push_str("</figure>\n");
}

/// An HTML table from a header and rows of already-escaped cells; cells whose
/// header starts with `#` are right-aligned numbers (the `#` is dropped).
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_with_class("", header, rows)
}

/// [`table`] with a CSS class on the table.
pub(crate) fn table_with_class(class: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
    let mut s = format!("<div class=\"table-wrap\"><table{class}>\n<thead><tr>");
    let numeric: Vec<bool> = header.iter().map(|c| c.starts_with('#')).collect();
    for (c, &n) in header.iter().zip(&numeric) {
        let c = c.trim_start_matches('#');
        s.push_str(&format!("<th{}>{}</th>", if n { " class=\"n\"" } else { "" }, esc(c)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let n = numeric.get(i).copied().unwrap_or(false);
            s.push_str(&format!("<td{}>{cell}</td>", if n { " class=\"n\"" } else { "" }));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table></div>\n");
    s
}

impl Report<'_> {
    fn years(&self) -> Vec<i32> {
        let run = &self.data.summary.run;
        (0..run.horizon as i32).map(|t| run.start_year + t).collect()
    }

    fn end_year(&self) -> i32 {
        let run = &self.data.summary.run;
        run.start_year + run.horizon as i32 - 1
    }

    /// The scenario file the run read first, as given on the command line.
    fn input_name(&self) -> String {
        self.data.manifest["inputs"][0]["path"].as_str().unwrap_or("scenario").to_string()
    }

    fn stat(&self, scenario: &str, area: &str, metric: &str) -> Option<&StatFile> {
        self.data.summary.scenarios.get(scenario)?.areas.get(area)?.metrics.get(metric)
    }

    fn total(&self, scenario: &str, metric: &str) -> f64 {
        self.stat(scenario, TOTAL_AREA, metric).map_or(f64::NAN, StatFile::mean)
    }

    fn area_label<'b>(&self, area: &'b str) -> &'b str {
        if area == TOTAL_AREA {
            self.t.city_total
        } else {
            area
        }
    }

    fn interval(&self, st: &StatFile) -> String {
        let l = self.lang;
        if st.q("p5") == st.q("p95") {
            return String::new();
        }
        format!("{} – {}", l.eur_short(st.q("p5")), l.eur_short(st.q("p95")))
    }

    fn header(&self, h: &mut String) {
        let (t, s) = (self.t, &self.data.summary);
        h.push_str(&format!("<header>\n<h1>{}</h1>\n", esc(t.title)));
        let sub = fill(
            t.subtitle,
            &[
                ("file", &self.input_name()),
                ("scenarios", &s.scenarios.len().to_string()),
                ("start", &s.run.start_year.to_string()),
                ("end", &self.end_year().to_string()),
            ],
        );
        let gen = fill(
            t.generated,
            &[
                ("draws", &self.lang.num(s.run.draws as f64, 0)),
                ("mode", &s.run.mode),
                ("seed", &s.run.seed.to_string()),
                ("version", &s.engine.version),
            ],
        );
        h.push_str(&format!("<p><strong>{}</strong></p>\n<p class=\"meta\">{}</p>\n</header>\n", esc(&sub), esc(&gen)));
    }

    // ---------------------------------------------------------------- 1 ----
    fn summary(&self, h: &mut String) {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.summary_intro)));
        // Social value gets its columns only when some scenario has any.
        let social = self.data.summary.scenarios.keys().any(|n| self.total(n, "pv_social_value").abs() > 0.5);
        let mut rows = vec![];
        for name in self.data.summary.scenarios.keys() {
            let Some(npv) = self.stat(name, TOTAL_AREA, "npv") else { continue };
            let bcr = self.total(name, "bcr");
            let mut row = vec![
                esc(name),
                l.eur_short(npv.mean()),
                self.interval(npv),
                l.pct(npv.p_positive.unwrap_or(f64::NAN), 0),
                l.num(bcr, 2),
                esc(&self.break_even_cell(name)),
            ];
            if social {
                row.push(l.eur_short(self.total(name, "pv_social_value")));
                row.push(l.eur_short(self.total(name, "npv_incl_social")));
            }
            rows.push(row);
        }
        let mut header = vec![
            t.col_scenario.to_string(),
            format!("#{}", t.col_npv_mean),
            format!("#{}", t.col_interval),
            format!("#{}", t.col_p_positive),
            format!("#{}", t.col_bcr),
            format!("#{}", t.col_break_even),
        ];
        if social {
            header.push(format!("#{}", t.col_social));
            header.push(format!("#{}", t.col_npv_social));
        }
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        h.push_str(&table_with_class("summary", &header, &rows));
        for (name, sc) in &self.data.summary.scenarios {
            h.push_str(&format!("<div class=\"scenario-summary\">\n<h3>{}</h3>\n", esc(name)));
            if !sc.description.is_empty() {
                h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(&sc.description)));
            }
            h.push_str("<div class=\"sentences\">\n");
            for s in self.sentences(name) {
                h.push_str(&format!("<p>{}</p>\n", esc(&s)));
            }
            h.push_str("</div>\n");
            self.per_area(h, name);
            h.push_str("</div>\n");
        }
    }

    fn break_even_cell(&self, scenario: &str) -> String {
        let Some(be) = self.stat(scenario, TOTAL_AREA, "break_even_year") else { return "–".into() };
        let total = be.n + be.missing;
        if be.n == 0 || total == 0 {
            return self.t.not_within_horizon.into();
        }
        format!("{:.0} ({})", be.q("p50"), self.lang.pct(be.n as f64 / total as f64, 0))
    }

    /// Plain sentences for one scenario: NPV, chance of a positive case,
    /// benefit/cost, break-even, social value.
    fn sentences(&self, name: &str) -> Vec<String> {
        let (t, l) = (self.t, self.lang);
        let mut out = vec![];
        if let Some(npv) = self.stat(name, TOTAL_AREA, "npv") {
            out.push(fill(
                t.sent_npv,
                &[
                    ("mean", &l.eur_short(npv.mean())),
                    ("p5", &l.eur_short(npv.q("p5"))),
                    ("p95", &l.eur_short(npv.q("p95"))),
                ],
            ));
            if let Some(p) = npv.p_positive {
                out.push(fill(t.sent_positive, &[("k", &format!("{:.0}", p * 100.0))]));
            }
        }
        match self.stat(name, TOTAL_AREA, "bcr") {
            Some(b) if b.n > 0 && b.mean().is_finite() => out.push(fill(t.sent_bcr, &[("bcr", &l.num(b.mean(), 2))])),
            _ => out.push(t.sent_no_bcr.into()),
        }
        if let Some(be) = self.stat(name, TOTAL_AREA, "break_even_year") {
            let total = (be.n + be.missing).max(1);
            if be.n == 0 {
                out.push(fill(t.sent_no_break_even, &[("end", &(self.end_year() + 1).to_string())]));
            } else {
                out.push(fill(
                    t.sent_break_even,
                    &[
                        ("k", &format!("{:.0}", be.n as f64 * 100.0 / total as f64)),
                        ("year", &format!("{:.0}", be.q("p50"))),
                    ],
                ));
            }
        }
        if let Some(sv) = self.stat(name, TOTAL_AREA, "pv_social_value") {
            if sv.mean().abs() > 0.5 {
                out.push(fill(
                    t.sent_social,
                    &[
                        ("sv", &l.eur_short(sv.mean())),
                        ("p5", &l.eur_short(sv.q("p5"))),
                        ("p95", &l.eur_short(sv.q("p95"))),
                        ("npv", &l.eur_short(self.total(name, "npv_incl_social"))),
                    ],
                ));
            }
        }
        out
    }

    fn per_area(&self, h: &mut String, name: &str) {
        let (t, l) = (self.t, self.lang);
        let Some(sc) = self.data.summary.scenarios.get(name) else { return };
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
                esc(area),
                l.eur_short(npv.mean()),
                self.interval(npv),
                l.pct(npv.p_positive.unwrap_or(f64::NAN), 0),
                l.num(bcr, 2),
            ]);
        }
        if rows.len() < 2 {
            return;
        }
        h.push_str(&format!(
            "<details><summary>{}</summary>\n<p class=\"muted\">{}</p>\n{}</details>\n",
            esc(t.per_area_title),
            esc(t.per_area_intro),
            table(
                &[
                    t.col_area,
                    &format!("#{}", t.col_npv_mean),
                    &format!("#{}", t.col_interval),
                    &format!("#{}", t.col_p_positive),
                    &format!("#{}", t.col_bcr),
                ],
                &rows
            )
        ));
    }

    // ---------------------------------------------------------------- 2 ----
    /// The chain states a scenario changes most: largest positive mean avoided
    /// person-years in the city total.
    fn top_indicators(&self, scenario: &str) -> Vec<(String, String, f64)> {
        let Some(a) = self.data.summary.scenarios.get(scenario).and_then(|s| s.areas.get(TOTAL_AREA)) else {
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
        v.truncate(TOP_INDICATORS);
        v
    }

    fn fan(
        &self,
        scenario: &str,
        contrast: Contrast,
        area: &str,
        measure: &str,
        label: &str,
        colour: plotters::style::RGBColor,
    ) -> Option<Fan> {
        let s = self.data.series(scenario, contrast, area, measure)?;
        let get = |k: &str| s.stat(k).map(<[f64]>::to_vec);
        Some(Fan {
            label: label.to_string(),
            colour,
            p5: get("p5")?,
            p25: get("p25"),
            p50: get("p50").or_else(|| get("mean"))?,
            p75: get("p75"),
            p95: get("p95")?,
        })
    }

    fn indicators(&self, h: &mut String) -> Result<(), ReportError> {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.indicators_intro)));
        let years = self.years();
        for (name, sc) in &self.data.summary.scenarios {
            h.push_str(&format!("<h3>{}</h3>\n", esc(name)));
            let top = self.top_indicators(name);
            if top.is_empty() {
                h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.indicator_none)));
                continue;
            }
            for (chain, state, _) in top {
                let measure = format!("prevalence/{chain}/{state}");
                let title = fill(t.indicator_title, &[("chain", &chain), ("state", &state)]);
                h.push_str(&format!("<h4>{}</h4>\n", esc(&title)));
                let base = self.fan(BASELINE, Contrast::Level, TOTAL_AREA, &measure, t.baseline, charts::BASELINE);
                let scen = self.fan(name, Contrast::Level, TOTAL_AREA, &measure, name, charts::SCENARIO);
                let diff = self.fan(name, Contrast::Difference, TOTAL_AREA, &measure, name, charts::SCENARIO);
                let (Some(base), Some(scen)) = (base, scen) else { continue };
                let level_caption = format!("{} – {}: {}", self.area_label(TOTAL_AREA), title, t.indicator_level);
                let level_svg = charts::fan_chart(
                    &Frame {
                        width: 540,
                        height: 320,
                        caption: Some(t.indicator_level),
                        x_label: t.axis_year,
                        y_label: t.axis_prevalence,
                        aria: &level_caption,
                    },
                    &years,
                    &[base, scen],
                    &[],
                    100.0,
                    false,
                    l,
                )?;
                let mut rows = vec![];
                let bs = self.data.series(BASELINE, Contrast::Level, TOTAL_AREA, &measure);
                let ss = self.data.series(name, Contrast::Level, TOTAL_AREA, &measure);
                let ds = self.data.series(name, Contrast::Difference, TOTAL_AREA, &measure);
                let pick = |s: Option<&super::data::Series>, k: &str, i: usize| {
                    s.and_then(|s| s.stat(k)).and_then(|v| v.get(i).copied()).unwrap_or(f64::NAN)
                };
                for (i, y) in years.iter().enumerate() {
                    rows.push(vec![
                        y.to_string(),
                        format!(
                            "{} ({} – {})",
                            l.pct(pick(bs, "p50", i), 2),
                            l.pct(pick(bs, "p5", i), 2),
                            l.pct(pick(bs, "p95", i), 2)
                        ),
                        format!(
                            "{} ({} – {})",
                            l.pct(pick(ss, "p50", i), 2),
                            l.pct(pick(ss, "p5", i), 2),
                            l.pct(pick(ss, "p95", i), 2)
                        ),
                        format!("{} {}", l.num(pick(ds, "mean", i) * 100.0, 3), "pp"),
                    ]);
                }
                let tab = table(
                    &[
                        t.col_year,
                        &format!("#{} ({} {})", t.baseline, t.band_median, t.band_90),
                        &format!("#{} ({} {})", name, t.band_median, t.band_90),
                        &format!("#{}", t.col_difference),
                    ],
                    &rows,
                );
                h.push_str("<div class=\"pair\">\n");
                figure(h, "fan", &level_svg, &level_caption, &tab, t.table_alt);
                if let Some(diff) = diff {
                    let diff_caption = format!("{} – {}: {}", self.area_label(TOTAL_AREA), title, t.indicator_diff);
                    let svg = charts::fan_chart(
                        &Frame {
                            width: 540,
                            height: 320,
                            caption: Some(t.indicator_diff),
                            x_label: t.axis_year,
                            y_label: t.axis_prevalence_diff,
                            aria: &diff_caption,
                        },
                        &years,
                        &[diff],
                        &[],
                        100.0,
                        true,
                        l,
                    )?;
                    figure(h, "fan-difference", &svg, &diff_caption, "", t.table_alt);
                }
                h.push_str("</div>\n");
                // Small multiples: the areas where the scenario changes this indicator.
                let areas: Vec<&String> = sc
                    .areas
                    .keys()
                    .filter(|a| *a != TOTAL_AREA)
                    .filter(|a| {
                        self.data
                            .series(name, Contrast::Difference, a, &measure)
                            .and_then(|s| s.stat("mean"))
                            .is_some_and(|v| v.iter().any(|x| x.abs() > 1e-6))
                    })
                    .collect();
                if areas.is_empty() {
                    continue;
                }
                h.push_str(&format!(
                    "<h4>{} – {}</h4>\n<div class=\"multiples\">\n",
                    esc(&title),
                    esc(t.per_area_multiples)
                ));
                let last = years.len() - 1;
                let mut rows = vec![];
                for area in areas {
                    let base = self.fan(BASELINE, Contrast::Level, area, &measure, t.baseline, charts::BASELINE);
                    let scen = self.fan(name, Contrast::Level, area, &measure, name, charts::SCENARIO);
                    let (Some(base), Some(scen)) = (base, scen) else { continue };
                    let aria = format!("{area} – {title}");
                    let svg = charts::fan_chart(
                        &Frame {
                            width: 300,
                            height: 210,
                            caption: Some(area),
                            x_label: t.axis_year,
                            y_label: "%",
                            aria: &aria,
                        },
                        &years,
                        &[base, scen],
                        &[],
                        100.0,
                        false,
                        l,
                    )?;
                    figure(h, "fan-area", &svg, "", "", t.table_alt);
                    let bs = self.data.series(BASELINE, Contrast::Level, area, &measure);
                    let ss = self.data.series(name, Contrast::Level, area, &measure);
                    let ds = self.data.series(name, Contrast::Difference, area, &measure);
                    rows.push(vec![
                        esc(area),
                        l.pct(pick(bs, "p50", last), 2),
                        l.pct(pick(ss, "p50", last), 2),
                        format!("{} pp", l.num(pick(ds, "mean", last) * 100.0, 3)),
                    ]);
                }
                h.push_str("</div>\n");
                h.push_str(&format!(
                    "<details><summary>{} ({})</summary>\n{}</details>\n",
                    esc(t.table_alt),
                    years[last],
                    table(
                        &[
                            t.col_area,
                            &format!("#{} ({})", t.baseline, t.band_median),
                            &format!("#{} ({})", name, t.band_median),
                            &format!("#{}", t.col_difference),
                        ],
                        &rows
                    )
                ));
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- 3 ----
    fn npv_distribution(&self, h: &mut String) -> Result<(), ReportError> {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.npv_intro)));
        for name in self.data.summary.scenarios.keys() {
            h.push_str(&format!("<h3>{}</h3>\n", esc(name)));
            let Some(npv) = self.stat(name, TOTAL_AREA, "npv") else { continue };
            let Some(hist) =
                npv.histogram.as_ref().filter(|h| h.edges.len() == h.counts.len() + 1 && !h.counts.is_empty())
            else {
                h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.npv_no_histogram)));
                continue;
            };
            let caption = format!(
                "{}: {} {}; {} {}",
                name,
                t.col_npv_mean,
                l.eur_short(npv.mean()),
                t.col_p_positive,
                l.pct(npv.p_positive.unwrap_or(f64::NAN), 0)
            );
            let svg = charts::histogram(
                &Frame {
                    width: 760,
                    height: 320,
                    caption: None,
                    x_label: t.axis_npv,
                    y_label: t.axis_draws,
                    aria: &caption,
                },
                &hist.edges,
                &hist.counts,
                1e6,
                (t.legend_loss, t.legend_gain),
                l,
            )?;
            let rows: Vec<Vec<String>> = hist
                .edges
                .windows(2)
                .zip(&hist.counts)
                .filter(|(_, &c)| c > 0)
                .map(|(w, &c)| vec![format!("{} – {}", l.eur_short(w[0]), l.eur_short(w[1])), c.to_string()])
                .collect();
            let tab = table(&[t.col_bin, &format!("#{}", t.col_count)], &rows);
            figure(h, "histogram", &svg, &caption, &tab, t.table_alt);
        }
        Ok(())
    }

    // ---------------------------------------------------------------- 4 ----
    /// Account names (`gemeente/6.72`) with their label for people.
    fn accounts(&self, scenario: &str) -> Vec<(String, String)> {
        let Some(a) = self.data.summary.scenarios.get(scenario).and_then(|s| s.areas.get(TOTAL_AREA)) else {
            return vec![];
        };
        a.metrics
            .keys()
            .filter_map(|k| k.strip_prefix("pv_net/"))
            .map(|acc| (acc.to_string(), self.account_label(acc)))
            .collect()
    }

    /// `gemeente/6.72 Maatwerkdienstverlening 18+`: the account with its taakveld's name when known.
    fn account_label(&self, acc: &str) -> String {
        self.data
            .assumptions
            .as_ref()
            .and_then(|x| x.accounts.iter().find(|a| a.name == acc))
            .and_then(|a| a.taakveld_name.as_ref().map(|n| format!("{acc} {n}")))
            .unwrap_or_else(|| acc.to_string())
    }

    fn funders(&self, h: &mut String) -> Result<(), ReportError> {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.funders_intro)));
        let years = self.years();
        for name in self.data.summary.scenarios.keys() {
            h.push_str(&format!("<h3>{}</h3>\n", esc(name)));
            // The SROI factor that turns gross avoided costs into benefits: the
            // ratio of the means makes the chart add up to the table's mean.
            let gross = self.total(name, "pv_benefits_gross");
            let net = self.total(name, "pv_benefits");
            let f = if gross.abs() > 1e-9 && net.is_finite() { net / gross } else { 1.0 };
            let mut stacks = vec![];
            let mut rows: Vec<Vec<String>> = years.iter().map(|y| vec![y.to_string()]).collect();
            let mut header = vec![t.col_year.to_string()];
            let accounts = self.accounts(name);
            for (k, (acc, label)) in accounts.iter().enumerate() {
                let get = |m: &str| {
                    self.data
                        .series(name, Contrast::Difference, TOTAL_AREA, &format!("{m}/{acc}"))
                        .and_then(|s| s.stat("mean"))
                        .map(|v| v.iter().map(|x| if x.is_finite() { *x } else { 0.0 }).collect::<Vec<f64>>())
                        .unwrap_or_else(|| vec![0.0; years.len()])
                };
                let benefit: Vec<f64> = get("care_cost").iter().map(|d| -d * f).collect();
                let cost: Vec<f64> = get("intervention_cost").iter().map(|d| -d).collect();
                if benefit.iter().chain(&cost).all(|x| x.abs() < 0.5) {
                    continue;
                }
                let colour = charts::PALETTE[k % charts::PALETTE.len()];
                stacks.push(Stack { label: label.clone(), colour, values: benefit.clone() });
                stacks.push(Stack { label: String::new(), colour, values: cost.clone() });
                header.push(format!("#{acc}"));
                for (i, row) in rows.iter_mut().enumerate() {
                    row.push(l.eur(benefit[i] + cost[i]));
                }
            }
            if stacks.is_empty() {
                h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.funders_none)));
                continue;
            }
            let caption = format!("{name}: {}", t.axis_cashflow);
            let svg = charts::stacked_bars(
                &Frame {
                    width: 980,
                    height: 400,
                    caption: None,
                    x_label: t.axis_year,
                    y_label: t.axis_cashflow,
                    aria: &caption,
                },
                &years,
                &stacks,
                1e3,
                l,
            )?;
            let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
            let tab = table(&hdr, &rows);
            let sroi =
                if (f - 1.0).abs() > 1e-9 { fill(t.funders_sroi, &[("f", &l.num(f, 2))]) } else { String::new() };
            figure(h, "stacked-bars", &svg, &format!("{caption}. {sroi}"), &tab, t.table_alt);
            // Present value per account, with intervals.
            let mut rows = vec![];
            let cell = |m: &str| match self.stat(name, TOTAL_AREA, m) {
                Some(s) => format!("{}<br><span class=\"muted\">{}</span>", l.eur_short(s.mean()), self.interval(s)),
                None => "–".into(),
            };
            for (acc, label) in &accounts {
                let netm = self.total(name, &format!("pv_net/{acc}"));
                if netm.abs() < 0.5 && self.total(name, &format!("pv_intervention_costs/{acc}")).abs() < 0.5 {
                    continue;
                }
                rows.push(vec![
                    esc(label),
                    cell(&format!("pv_benefits/{acc}")),
                    cell(&format!("pv_intervention_costs/{acc}")),
                    cell(&format!("pv_net/{acc}")),
                ]);
            }
            rows.push(vec![
                format!("<strong>{}</strong>", esc(t.city_total)),
                cell("pv_benefits"),
                cell("pv_intervention_costs"),
                cell("npv"),
            ]);
            h.push_str(&table(
                &[
                    t.col_account,
                    &format!("#{}", t.col_pv_benefits),
                    &format!("#{}", t.col_pv_costs),
                    &format!("#{}", t.col_pv_net),
                ],
                &rows,
            ));
        }
        Ok(())
    }

    // ---------------------------------------------------------------- 5 ----
    fn drivers(&self, h: &mut String) -> Result<(), ReportError> {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.drivers_intro)));
        let Some(rows) = &self.data.sensitivity else {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.drivers_missing)));
            return Ok(());
        };
        for name in self.data.summary.scenarios.keys() {
            h.push_str(&format!("<h3>{}</h3>\n", esc(name)));
            let mut mine: Vec<&SensitivityRow> =
                rows.iter().filter(|r| r.scenario == *name && r.area == TOTAL_AREA).collect();
            let swing = |r: &SensitivityRow| (r.npv_high.unwrap_or(f64::NAN) - r.npv_low.unwrap_or(f64::NAN)).abs();
            mine.retain(|r| swing(r) > 0.5);
            mine.sort_by(|a, b| swing(b).total_cmp(&swing(a)).then_with(|| a.parameter.cmp(&b.parameter)));
            mine.truncate(TOP_PARAMETERS);
            if mine.is_empty() {
                h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.drivers_none)));
                continue;
            }
            let base = mine[0].npv_base.unwrap_or(f64::NAN);
            let bars: Vec<TornadoBar> = mine
                .iter()
                .map(|r| TornadoBar {
                    label: r.parameter.clone(),
                    at_low: r.npv_low.unwrap_or(f64::NAN),
                    at_high: r.npv_high.unwrap_or(f64::NAN),
                })
                .collect();
            let caption = format!("{name}: {} {}", t.axis_tornado, l.eur_short(base));
            let svg = charts::tornado(
                &Frame {
                    width: 980,
                    height: 90 + 34 * bars.len() as u32,
                    caption: None,
                    x_label: t.axis_tornado,
                    y_label: "",
                    aria: &caption,
                },
                &bars,
                base,
                1e6,
                (t.legend_low, t.legend_high),
                l,
            )?;
            let num = |x: Option<f64>| x.map_or("–".into(), |v| l.num(v, sig_decimals(v)));
            let trs: Vec<Vec<String>> = mine
                .iter()
                .map(|r| {
                    vec![
                        format!("<span class=\"mono\">{}</span>", esc(&r.parameter)),
                        num(r.value_low),
                        num(r.value_high),
                        l.eur_short(r.npv_low.unwrap_or(f64::NAN)),
                        l.eur_short(r.npv_high.unwrap_or(f64::NAN)),
                        l.eur_short(swing(r)),
                    ]
                })
                .collect();
            let tab = table(
                &[
                    t.col_parameter,
                    &format!("#{}", t.col_value_low),
                    &format!("#{}", t.col_value_high),
                    &format!("#{}", t.col_npv_low),
                    &format!("#{}", t.col_npv_high),
                    &format!("#{}", t.col_swing),
                ],
                &trs,
            );
            figure(h, "tornado", &svg, &caption, &tab, t.table_alt);
        }
        Ok(())
    }

    // ------------------------------------------------------- monitoring ----
    /// Observed figures against the simulation, the on-track verdicts and the
    /// business case before and after the observations (`monitor.json`).
    fn monitoring(&self, h: &mut String) -> Result<(), ReportError> {
        let (t, l) = (self.t, self.lang);
        let Some(m) = &self.data.monitor else { return Ok(()) };
        h.push_str(&format!("<p>{}</p>\n", esc(&fill(t.mon_intro, &[("scenario", &m.scenario)]))));

        // Status: how many observations fit, the effective sample size, and whether there is a posterior.
        let inside = m.observations.iter().filter(|o| o.inside_band).count();
        let ess = fill(
            t.mon_ess,
            &[
                ("ess", &l.num(m.ess, if m.ess < 10.0 { 1 } else { 0 })),
                ("draws", &l.num(m.draws as f64, 0)),
                ("min", &l.num(m.min_ess, 0)),
            ],
        );
        h.push_str(&format!(
            "<div class=\"monitor-status\">\n<p>{}</p>\n<p><strong>{} {}</strong></p>\n",
            esc(&fill(t.mon_inside, &[("inside", &inside.to_string()), ("total", &m.observations.len().to_string())])),
            esc(&ess),
            esc(if m.updated { t.mon_updated } else { t.mon_not_updated })
        ));
        if let Some(msg) = &m.message {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(&fill(t.mon_message, &[("message", msg)]))));
        }
        h.push_str("</div>\n");

        // On track per area and indicator.
        h.push_str(&format!("<h3>{}</h3>\n<p>{}</p>\n", esc(t.mon_track_title), esc(t.mon_track_intro)));
        let rows: Vec<Vec<String>> = m
            .verdicts
            .iter()
            .map(|v| {
                vec![
                    esc(self.area_label(&v.area)),
                    format!("<span class=\"mono\">{}</span>", esc(&v.measure)),
                    format!("{} / {}", v.inside, v.observations),
                    self.verdict_badge(&v.verdict),
                ]
            })
            .collect();
        h.push_str(&table(&[t.col_area, t.col_measure, &format!("#{}", t.col_inside), t.col_verdict], &rows));

        // One chart per observed (area, indicator), in the order of the verdicts.
        h.push_str(&format!(
            "<h3>{}</h3>\n<p>{}</p>\n",
            esc(t.mon_series_title),
            esc(&fill(t.mon_series_intro, &[("scenario", &m.scenario)]))
        ));
        if self.data.observed.is_none() {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.mon_no_sampling)));
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
            self.observed_series(h, &m.scenario, area, measure, &obs, m.updated)?;
        }

        // The business case, before and (when reported) after the observations.
        h.push_str(&format!("<h3>{}</h3>\n", esc(t.mon_bc_title)));
        let intro = if m.updated { t.mon_bc_intro } else { t.mon_bc_intro_prior };
        h.push_str(&format!("<p>{}</p>\n", esc(&fill(intro, &[("scenario", &m.scenario)]))));
        let rows: Vec<Vec<String>> = m
            .business_case
            .iter()
            .map(|b| {
                let mut shown = vec![b.prior_mean, b.prior_p5, b.prior_p95];
                if m.updated {
                    shown.extend([b.posterior_mean, b.posterior_p5, b.posterior_p95]);
                }
                let value = business_case_format(l, &b.metric, &shown);
                let cell = |mean: f64, p5: f64, p95: f64| format!("{} ({} – {})", value(mean), value(p5), value(p95));
                let mut row =
                    vec![esc(&self.metric_label(&b.metric)), esc(&cell(b.prior_mean, b.prior_p5, b.prior_p95))];
                if m.updated {
                    row.push(esc(&cell(b.posterior_mean, b.posterior_p5, b.posterior_p95)));
                }
                row
            })
            .collect();
        let mut header = vec![t.col_metric.to_string(), format!("#{}", t.col_prior)];
        if m.updated {
            header.push(format!("#{}", t.col_posterior));
        }
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        h.push_str(&table(&header, &rows));
        let (prior, posterior) = m.p_npv_positive;
        let sentence = if m.updated {
            fill(t.mon_p_positive, &[("prior", &l.pct(prior, 0)), ("posterior", &l.pct(posterior, 0))])
        } else {
            fill(t.mon_p_positive_prior, &[("prior", &l.pct(prior, 0))])
        };
        h.push_str(&format!("<p>{}</p>\n", esc(&sentence)));

        // The parameters the observations moved most (only with a posterior).
        if !m.updated {
            return Ok(());
        }
        h.push_str(&format!("<h3>{}</h3>\n<p>{}</p>\n", esc(t.mon_params_title), esc(t.mon_params_intro)));
        let mut shifts: Vec<_> = m.parameters.iter().filter(|p| p.shift_sd.is_finite()).collect();
        shifts.sort_by(|a, b| b.shift_sd.abs().total_cmp(&a.shift_sd.abs()));
        shifts.truncate(TOP_SHIFTS);
        if shifts.is_empty() {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.mon_params_none)));
            return Ok(());
        }
        let rows: Vec<Vec<String>> = shifts
            .iter()
            .map(|p| {
                // One number of decimals per row, from the prior mean (or the largest needed when it is zero).
                let all = [p.prior_mean, p.prior_p5, p.prior_p95, p.posterior_mean, p.posterior_p5, p.posterior_p95];
                let d = if p.prior_mean != 0.0 && p.prior_mean.is_finite() {
                    sig_decimals(p.prior_mean)
                } else {
                    all.iter().filter(|x| x.is_finite()).map(|&x| sig_decimals(x)).max().unwrap_or(0)
                };
                let num = |x: f64| l.num(x, d);
                vec![
                    format!("<span class=\"mono\">{}</span>", esc(&p.parameter)),
                    esc(&format!("{} ({} – {})", num(p.prior_mean), num(p.prior_p5), num(p.prior_p95))),
                    esc(&format!("{} ({} – {})", num(p.posterior_mean), num(p.posterior_p5), num(p.posterior_p95))),
                    format!("{}{}", if p.shift_sd > 0.0 { "+" } else { "" }, l.num(p.shift_sd, 2)),
                ]
            })
            .collect();
        h.push_str(&table(
            &[
                t.col_parameter,
                &format!("#{}", t.col_prior_param),
                &format!("#{}", t.col_posterior_param),
                &format!("#{}", t.col_shift),
            ],
            &rows,
        ));
        Ok(())
    }

    /// The verdict as a badge: colour, symbol and word, so that it reads without colour.
    fn verdict_badge(&self, verdict: &str) -> String {
        let t = self.t;
        let (class, symbol, word) = match verdict {
            "op koers" => ("ok", "✓", t.verdict_on_track),
            "let op" => ("watch", "!", t.verdict_watch),
            "uit koers" => ("off", "✗", t.verdict_off_track),
            other => ("watch", "?", other),
        };
        format!(
            "<span class=\"verdict verdict-{class}\"><span aria-hidden=\"true\">{symbol}</span> {}</span>",
            esc(word)
        )
    }

    /// A business-case metric of `monitor.json` in words.
    fn metric_label(&self, metric: &str) -> String {
        let t = self.t;
        match metric {
            "npv" => t.metric_npv.into(),
            "bcr" => t.metric_bcr.into(),
            "pv_benefits" => t.metric_pv_benefits.into(),
            "pv_intervention_costs" => t.metric_pv_costs.into(),
            "npv_incl_social" => t.metric_npv_social.into(),
            m => match m.strip_prefix("pv_net/") {
                Some(acc) => fill(t.metric_pv_net, &[("account", &self.account_label(acc))]),
                None => m.into(),
            },
        }
    }

    /// An observed or simulated value of `measure` as people read it:
    /// percentages for prevalences, euros for cash flows, plain numbers otherwise.
    fn measure_value(&self, measure: &str, x: f64) -> String {
        let l = self.lang;
        match MeasureKind::of(measure) {
            MeasureKind::Prevalence => l.pct(x, 1),
            MeasureKind::Money => l.eur(x),
            MeasureKind::Other => trim_zeros(l.num(x, sig_decimals(x)), l),
        }
    }

    /// The observed row behind an observation check (same line, year, area and measure).
    fn observed_row(&self, o: &ObservationCheck) -> Option<&ObservedRow> {
        self.data
            .observed
            .as_ref()?
            .iter()
            .find(|r| r.line == o.line && r.year == o.year && r.area == o.area && r.measure == o.measure)
    }

    /// The fan of the running scenario in one area with its observations, and the table beside it.
    fn observed_series(
        &self,
        h: &mut String,
        scenario: &str,
        area: &str,
        measure: &str,
        obs: &[&ObservationCheck],
        updated: bool,
    ) -> Result<(), ReportError> {
        let (t, l) = (self.t, self.lang);
        let kind = MeasureKind::of(measure);
        let title = format!("{} – {measure}", self.area_label(area));
        h.push_str(&format!("<h4>{}</h4>\n", esc(&title)));
        let intervals: Vec<Option<(f64, f64)>> =
            obs.iter().map(|o| self.observed_row(o).and_then(|r| sampling_interval(o.value, r, kind))).collect();
        let mut rows = vec![];
        for (o, iv) in obs.iter().zip(&intervals) {
            let shown = match iv {
                Some((a, b)) => format!(
                    "{} ({} – {})",
                    self.measure_value(measure, o.value),
                    self.measure_value(measure, *a),
                    self.measure_value(measure, *b)
                ),
                None => self.measure_value(measure, o.value),
            };
            let mut row = vec![
                o.year.to_string(),
                esc(&shown),
                format!("P{:.0}", (o.percentile * 100.0).clamp(0.0, 100.0)),
                esc(&format!("{} – {}", self.measure_value(measure, o.p5), self.measure_value(measure, o.p95))),
                esc(if o.inside_band { t.yes } else { t.no }),
            ];
            if updated {
                row.push(esc(&o.posterior_p50.map_or("–".into(), |x| self.measure_value(measure, x))));
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
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let tab = table(&header, &rows);
        let Some(fan) = self.fan(scenario, Contrast::Level, area, measure, scenario, charts::SCENARIO) else {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n{tab}", esc(t.mon_no_series)));
            return Ok(());
        };
        let points: Vec<ObservedPoint> = obs
            .iter()
            .zip(&intervals)
            .map(|(o, iv)| ObservedPoint { year: o.year, value: o.value, lo: iv.map(|x| x.0), hi: iv.map(|x| x.1) })
            .collect();
        let (scale, y_label) = match kind {
            MeasureKind::Prevalence => (100.0, t.axis_prevalence),
            MeasureKind::Money => (1e-3, t.axis_cashflow),
            MeasureKind::Other => (1.0, measure),
        };
        let caption =
            fill(t.mon_chart_caption, &[("area", self.area_label(area)), ("measure", measure), ("scenario", scenario)]);
        let svg = charts::fan_chart(
            &Frame { width: 760, height: 340, caption: None, x_label: t.axis_year, y_label, aria: &caption },
            &self.years(),
            &[fan],
            &points,
            scale,
            false,
            l,
        )?;
        figure(h, "fan-monitor", &svg, &caption, &tab, t.table_alt);
        Ok(())
    }

    // ---------------------------------------------------------------- 6 ----
    fn assumptions(&self, h: &mut String) {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.assumptions_intro)));
        let Some(a) = &self.data.assumptions else {
            h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(t.assumptions_missing)));
            return;
        };
        if !a.model.is_empty() {
            h.push_str(&format!("<h3>{}</h3>\n", esc(t.model_settings)));
            let rows: Vec<Vec<String>> =
                a.model.iter().map(|(k, v)| vec![format!("<code>{}</code>", esc(k)), esc(&json_text(v, l))]).collect();
            h.push_str(&table(&[t.col_field, t.col_value], &rows));
        }
        if !a.scenarios.is_empty() {
            h.push_str(&format!("<h3>{}</h3>\n<p>{}</p>\n", esc(t.sroi_title), esc(t.sroi_intro)));
            let rows: Vec<Vec<String>> = a
                .scenarios
                .iter()
                .map(|s| {
                    let v = |k: &str| esc(&s.sroi.get(k).map_or("0".into(), |v| sroi_text(v, l)));
                    vec![esc(&s.name), v("deadweight"), v("attribution"), v("displacement")]
                })
                .collect();
            h.push_str(&table(
                &[
                    t.col_scenario,
                    &format!("#{}", t.col_deadweight),
                    &format!("#{}", t.col_attribution),
                    &format!("#{}", t.col_displacement),
                ],
                &rows,
            ));
        }
        h.push_str(&format!("<h3>{}</h3>\n", esc(t.params_title)));
        let rows: Vec<Vec<String>> = a
            .parameters
            .iter()
            .map(|p| {
                let mut source = vec![];
                if let Some(n) = &p.note {
                    source.push(esc(n));
                }
                if let Some(c) = &p.comment {
                    if p.note.as_deref() != Some(c.as_str()) {
                        source.push(format!("<span class=\"muted\">{}</span>", esc(c)));
                    }
                }
                if !p.named {
                    source.push(format!("<span class=\"muted\">{}</span>", esc(t.inline_param)));
                }
                vec![
                    format!("<span class=\"mono\">{}</span>", esc(&p.name)),
                    esc(&p.distribution),
                    esc(&json_text(&p.mean, l)),
                    format!("{} – {}", esc(&json_text(&p.p5, l)), esc(&json_text(&p.p95, l))),
                    source.join("<br>"),
                ]
            })
            .collect();
        // Not numeric-aligned: a Dirichlet's mean and P5–P95 are lists that must wrap.
        h.push_str(&table_with_class(
            "parameters",
            &[t.col_parameter, t.col_distribution, t.col_mean, t.col_p5_p95, t.col_source],
            &rows,
        ));
    }

    // ---------------------------------------------------------------- 7 ----
    fn reproduce(&self, h: &mut String) {
        let (t, l) = (self.t, self.lang);
        h.push_str(&format!("<p>{}</p>\n", esc(t.reproduce_intro)));
        let m = &self.data.manifest;
        let mut rows = vec![];
        let cmd = m["command_line"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str()).map(shell_word).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        rows.push(vec!["command_line".into(), format!("<code>{}</code>", esc(&cmd))]);
        for k in [
            "engine",
            "prng",
            "scenario_hash",
            "seed",
            "draws",
            "mode",
            "quantiles",
            "threads",
            "started_at",
            "wall_time_seconds",
            "peak_memory_bytes",
        ] {
            if let Some(v) = m.get(k) {
                let text = match k {
                    "engine" => format!("{} {}", v["name"].as_str().unwrap_or(""), v["version"].as_str().unwrap_or("")),
                    _ => json_text(v, Lang::En),
                };
                rows.push(vec![k.into(), format!("<span class=\"mono\">{}</span>", esc(&text))]);
            }
        }
        h.push_str(&table(&[t.col_field, t.col_value], &rows));
        if let Some(inputs) = m["inputs"].as_array() {
            let rows: Vec<Vec<String>> = inputs
                .iter()
                .map(|i| {
                    vec![
                        format!("<code>{}</code>", esc(i["path"].as_str().unwrap_or(""))),
                        format!("<code>{}</code>", esc(i["sha256"].as_str().unwrap_or(""))),
                    ]
                })
                .collect();
            h.push_str(&table(&[t.col_file, "SHA-256"], &rows));
        }
        h.push_str(&format!("<h3>{}</h3>\n<p>{}</p>\n", esc(t.mcse_title), esc(t.mcse_intro)));
        let rows: Vec<Vec<String>> = self
            .data
            .summary
            .scenarios
            .keys()
            .map(|name| {
                let npv = self.stat(name, TOTAL_AREA, "npv");
                let bcr = self.stat(name, TOTAL_AREA, "bcr");
                let p_mcse = npv
                    .and_then(|s| s.p_positive.map(|p| (p * (1.0 - p) / (s.n.max(1) as f64)).sqrt()))
                    .unwrap_or(f64::NAN);
                vec![
                    esc(name),
                    npv.map_or("–".into(), |s| l.eur(s.mcse.unwrap_or(f64::NAN))),
                    l.num(p_mcse, 3),
                    bcr.map_or("–".into(), |s| l.num(s.mcse.unwrap_or(f64::NAN), 3)),
                ]
            })
            .collect();
        h.push_str(&table(
            &[
                t.col_scenario,
                &format!("#{}", t.col_mcse_npv),
                &format!("#{}", t.col_mcse_p),
                &format!("#{}", t.col_mcse_bcr),
            ],
            &rows,
        ));
    }
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

/// Decimals that show a parameter value sensibly (costs in whole euros,
/// probabilities and ratios with three decimals).
fn sig_decimals(v: f64) -> usize {
    let a = v.abs();
    if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 1.0 {
        2
    } else if a >= 0.1 {
        3
    } else {
        // Small rates (e.g. 0.0225) keep three significant digits.
        (2 - a.log10().floor() as i64).clamp(3, 8) as usize
    }
}

/// Drop trailing zeros of the decimal part: `0,500` → `0,5`, `4.300` (Dutch
/// thousands) stays.
fn trim_zeros(s: String, l: Lang) -> String {
    let point = if l == Lang::Nl { ',' } else { '.' };
    if !s.contains(point) {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches(point).to_string()
}

/// A JSON value as short text for a table cell.
fn json_text(v: &serde_json::Value, l: Lang) -> String {
    match v {
        serde_json::Value::Null => "–".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            // Years, counts and seeds: no thousands separator.
            (Some(i), _) => i.to_string(),
            (None, Some(x)) => trim_zeros(l.num(x, sig_decimals(x)), l),
            _ => n.to_string(),
        },
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => {
            format!("[{}]", a.iter().map(|x| json_text(x, l)).collect::<Vec<_>>().join("; "))
        }
        serde_json::Value::Object(o) => {
            o.iter().map(|(k, v)| format!("{k}: {}", json_text(v, l))).collect::<Vec<_>>().join(", ")
        }
    }
}

/// An SROI correction: a fixed share, or a parameter with its mean.
fn sroi_text(v: &serde_json::Value, l: Lang) -> String {
    if let Some(x) = v.get("fixed").and_then(|x| x.as_f64()) {
        return l.pct(x, 0);
    }
    if let (Some(p), Some(m)) = (v.get("parameter").and_then(|x| x.as_str()), v.get("mean").and_then(|x| x.as_f64())) {
        return format!("{} ({p})", l.pct(m, 0));
    }
    json_text(v, l)
}

/// Quote a command-line word for a POSIX shell when needed.
pub(crate) fn shell_word(w: &str) -> String {
    if !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=,:@%+".contains(c)) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_parameters_print_like_people_write_them() {
        let l = Lang::Nl;
        assert_eq!(json_text(&serde_json::json!(2025), l), "2025");
        assert_eq!(json_text(&serde_json::json!(0.0225), l), "0,0225");
        assert_eq!(json_text(&serde_json::json!(4300.0), l), "4.300");
        assert_eq!(json_text(&serde_json::json!([0.5, 0.25]), l), "[0,5; 0,25]");
        assert_eq!(json_text(&serde_json::json!(0.05), l), "0,05");
        assert_eq!(json_text(&serde_json::json!(1234.6), Lang::En), "1,235");
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;'");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("scenarios/nijmegen.toml"), "scenarios/nijmegen.toml");
        assert_eq!(shell_word("runs/my run"), "'runs/my run'");
    }

    #[test]
    fn tables_right_align_numeric_columns() {
        let t = table(&["a", "#b"], &[vec!["x".into(), "1".into()]]);
        assert!(t.contains("<th class=\"n\">b</th>"));
        assert!(t.contains("<td class=\"n\">1</td>"));
        assert!(t.contains("<td>x</td>"));
    }
}

#[cfg(test)]
mod monitoring_tests {
    use super::*;
    use crate::monitor::MonitorReport;
    use crate::report::data::{SeriesKey, SummaryFile};
    use serde_json::json;

    const MEASURE: &str = "prevalence/loneliness/severe";

    /// A monitor report on `wor` with two observations of a prevalence in
    /// Noord (one inside, one above the band) and one count in the city total.
    fn monitor(updated: bool) -> MonitorReport {
        let obs = |line: u64, year: i32, area: &str, measure: &str, value: f64, pct: f64, inside: bool| {
            json!({"line": line, "year": year, "area": area, "measure": measure, "value": value, "percentile": pct,
                   "p5": 0.08, "p50": 0.1, "p95": 0.12, "inside_band": inside, "posterior_p50": 0.105})
        };
        let parameters: Vec<serde_json::Value> = (0..12)
            .map(|i| {
                json!({"parameter": format!("par{i}"), "prior_mean": 0.5, "posterior_mean": 0.5 + 0.01 * i as f64,
                       "shift_sd": if i % 2 == 0 { 0.1 * i as f64 } else { -0.1 * i as f64 },
                       "prior_p5": 0.25, "prior_p95": 0.75, "posterior_p5": 0.3, "posterior_p95": 0.8})
            })
            .collect();
        serde_json::from_value(json!({
            "scenario": "wor",
            "draws": 400,
            "observations": [
                obs(2, 2026, "Noord", MEASURE, 0.11, 0.7, true),
                obs(3, 2027, "Noord", MEASURE, 0.15, 1.0, false),
                obs(4, 2026, "totaal", "starts/loneliness", 950.0, 0.4, true),
            ],
            "verdicts": [
                {"area": "Noord", "measure": MEASURE, "observations": 2, "inside": 1, "verdict": "let op"},
                {"area": "totaal", "measure": "starts/loneliness", "observations": 1, "inside": 1, "verdict": "op koers"},
            ],
            "ess": if updated { 187.4 } else { 12.3 },
            "min_ess": 100.0,
            "updated": updated,
            "message": if updated { serde_json::Value::Null } else { json!("too few draws <resemble> the data") },
            "business_case": [
                {"metric": "npv", "prior_mean": -2.4e6, "prior_p5": -3.1e6, "prior_p95": -1.7e6,
                 "posterior_mean": -1.9e6, "posterior_p5": -2.5e6, "posterior_p95": -1.2e6},
                {"metric": "bcr", "prior_mean": 0.41, "prior_p5": 0.3, "prior_p95": 0.52,
                 "posterior_mean": 0.5, "posterior_p5": 0.4, "posterior_p95": 0.61},
                {"metric": "pv_net/gemeente/6.71", "prior_mean": 1.2e5, "prior_p5": 0.9e5, "prior_p95": 1.5e5,
                 "posterior_mean": 1.3e5, "posterior_p5": 1.0e5, "posterior_p95": 1.6e5},
            ],
            "p_npv_positive": [0.12, if updated { 0.31 } else { 0.0 }],
            "parameters": if updated { json!(parameters) } else { json!([]) },
        }))
        .expect("a monitor report")
    }

    fn run_data(monitor: Option<MonitorReport>, observed: Option<Vec<ObservedRow>>) -> RunData {
        let summary: SummaryFile = serde_json::from_value(json!({
            "format_version": crate::output::json::FORMAT_VERSION,
            "engine": {"name": "wijkimpact", "version": "0.0.0"},
            "run": {"seed": 1, "draws": 400, "mode": "cohort", "start_year": 2025, "horizon": 4,
                    "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95]},
            "scenarios": {"wor": {"areas": {"totaal": {"metrics": {}}}}},
        }))
        .unwrap();
        let mut series = super::super::data::Series::default();
        for (k, v) in [("p5", 0.08), ("p25", 0.09), ("p50", 0.1), ("p75", 0.11), ("p95", 0.12)] {
            series.stats.insert(k.to_string(), vec![v; 4]);
        }
        let key = SeriesKey {
            scenario: "wor".into(),
            contrast: Contrast::Level,
            area: "Noord".into(),
            measure: MEASURE.into(),
        };
        RunData {
            dir: std::path::PathBuf::new(),
            summary,
            manifest: json!({}),
            yearly: [(key, series)].into_iter().collect(),
            sensitivity: None,
            assumptions: None,
            monitor,
            observed,
        }
    }

    fn observed_rows() -> Vec<ObservedRow> {
        let row = |line, year, area: &str, measure: &str, value, n| ObservedRow {
            line,
            year,
            area: area.into(),
            measure: measure.into(),
            value,
            n,
            se: None,
        };
        vec![
            row(2, 2026, "Noord", MEASURE, 0.11, Some(600.0)),
            row(3, 2027, "Noord", MEASURE, 0.15, Some(400.0)),
            row(4, 2026, "totaal", "starts/loneliness", 950.0, None),
        ]
    }

    fn section(data: &RunData, lang: Lang) -> String {
        let r = Report { data, lang, t: lang.texts() };
        let mut h = String::new();
        r.monitoring(&mut h).unwrap();
        h
    }

    #[test]
    fn sampling_intervals_follow_the_monitors_likelihoods() {
        let row = |value, n, se| ObservedRow {
            line: 2,
            year: 2026,
            area: "Noord".into(),
            measure: MEASURE.into(),
            value,
            n,
            se,
        };
        // Binomial: 0.2 ± 1.96 √(0.2 · 0.8 / 400) = 0.2 ± 0.0392.
        let (lo, hi) = sampling_interval(0.2, &row(0.2, Some(400.0), None), MeasureKind::Prevalence).unwrap();
        assert!((lo - 0.1608).abs() < 1e-12 && (hi - 0.2392).abs() < 1e-12, "{lo} {hi}");
        // Clipped to [0, 1]; a share of 0 has no binomial spread.
        let (lo, _) = sampling_interval(0.01, &row(0.01, Some(20.0), None), MeasureKind::Prevalence).unwrap();
        assert_eq!(lo, 0.0);
        assert_eq!(sampling_interval(0.0, &row(0.0, Some(20.0), None), MeasureKind::Prevalence), None);
        // Normal with the given standard error.
        assert_eq!(sampling_interval(100.0, &row(100.0, None, Some(10.0)), MeasureKind::Money), Some((80.4, 119.6)));
        // Poisson for a count: 100 ± 1.96 · 10.
        assert_eq!(sampling_interval(100.0, &row(100.0, None, None), MeasureKind::Other), Some((80.4, 119.6)));
        // A prevalence without n or se: unknown.
        assert_eq!(sampling_interval(0.2, &row(0.2, None, None), MeasureKind::Prevalence), None);
    }

    #[test]
    fn the_section_sits_between_drivers_and_assumptions_and_only_with_a_monitor() {
        for lang in [Lang::Nl, Lang::En] {
            let t = lang.texts();
            let html = render(&run_data(Some(monitor(true)), Some(observed_rows())), lang).unwrap();
            let heads: Vec<&str> = html.match_indices("<h2>").map(|(i, _)| &html[i + 4..i + 4 + 3]).collect();
            assert_eq!(heads, ["1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "7. ", "8. "]);
            let at = |s: &str| html.find(&format!(". {}</h2>", esc(s))).unwrap_or_else(|| panic!("{s}"));
            assert!(at(t.s_drivers) < at(t.s_monitoring) && at(t.s_monitoring) < at(t.s_assumptions));
            assert!(html.ends_with(&html[html.rfind("<footer>").unwrap()..]));
            assert!(at(t.s_reproduce) > at(t.s_assumptions), "Reproduceren stays last");
            assert!(html.contains("<li><a href=\"#monitoring\">Monitoring</a></li>"));
            assert!(html.contains("<section id=\"monitoring\">\n<h2>6. Monitoring</h2>"));
            let without = render(&run_data(None, None), lang).unwrap();
            assert_eq!(without.matches("<h2>").count(), 7);
            assert!(!without.contains("monitoring"));
        }
    }

    #[test]
    fn an_update_shows_verdicts_points_the_posterior_and_the_parameters_that_moved() {
        let data = run_data(Some(monitor(true)), Some(observed_rows()));
        let h = section(&data, Lang::Nl);
        // Status in words.
        assert!(h.contains("2 van de 3 waarnemingen liggen binnen het 90 %-interval"), "{h}");
        assert!(h.contains("als 187 van de 400 trekkingen") && h.contains(NL_UPDATED));
        // Verdicts with a symbol and a word, not colour alone.
        assert!(h.contains("<span class=\"verdict verdict-watch\"><span aria-hidden=\"true\">!</span> let op</span>"));
        assert!(h.contains("<td class=\"n\">1 / 2</td>"));
        assert!(h.contains("verdict-ok") && h.contains("> op koers</span>"));
        // One chart for the prevalence in Noord (two dots and the legend swatch); the
        // count in the city total has no yearly series in this run: a table only.
        assert_eq!(h.matches("data-chart=\"fan-monitor\"").count(), 1);
        assert_eq!(h.matches("<circle").count(), 3);
        assert!(h.contains(Lang::Nl.texts().mon_no_series));
        // Percentages for the prevalence with its binomial interval; plain numbers and Poisson for the count.
        assert!(h.contains("<td class=\"n\">11,0\u{a0}% (8,5\u{a0}% – 13,5\u{a0}%)</td>"), "{h}");
        assert!(h.contains("<td class=\"n\">950 (890 – 1.010)</td>"), "{h}");
        assert!(h.contains("<td class=\"n\">P70</td>") && h.contains("<td>nee</td>"));
        assert!(h.contains(">Mediaan na bijwerken</th>"));
        // Prior and posterior business case; the account with its name.
        assert!(h.contains("−€\u{a0}2,40\u{a0}mln (−€\u{a0}3,10\u{a0}mln – −€\u{a0}1,70\u{a0}mln)"));
        assert!(h.contains("−€\u{a0}1,90\u{a0}mln (−€\u{a0}2,50\u{a0}mln – −€\u{a0}1,20\u{a0}mln)"));
        assert!(h.contains("<td>Netto (CW): gemeente/6.71</td>"));
        assert!(h.contains("12\u{a0}% vóór de waarnemingen, 31\u{a0}% erna"));
        // Ten parameters, largest |shift| first, with a sign.
        let rows: Vec<&str> =
            h.match_indices("<span class=\"mono\">par").map(|(i, _)| h[i + 19..].split('<').next().unwrap()).collect();
        assert_eq!(rows.len(), TOP_SHIFTS);
        assert_eq!(rows[..3], ["par11", "par10", "par9"]);
        assert!(h.contains("<td class=\"n\">−1,10</td>") && h.contains("<td class=\"n\">+1,00</td>"));
        assert!(h.contains("<td class=\"n\">0,500 (0,250 – 0,750)</td>"));
    }

    const NL_UPDATED: &str = "Dat is genoeg: hieronder staat de businesscase vóór en na de waarnemingen.";

    #[test]
    fn without_an_update_only_the_prior_and_the_message() {
        let data = run_data(Some(monitor(false)), Some(observed_rows()));
        for lang in [Lang::Nl, Lang::En] {
            let t = lang.texts();
            let h = section(&data, lang);
            assert!(h.contains(&esc(t.mon_not_updated)) && !h.contains(&esc(t.mon_updated)));
            assert!(h.contains("too few draws &lt;resemble&gt; the data"), "the message, escaped");
            assert!(h.contains(&esc(t.col_prior)) && !h.contains(&esc(t.col_posterior)));
            assert!(!h.contains(&esc(t.col_posterior_median)));
            assert!(!h.contains(&esc(t.mon_params_title)), "no parameter shifts without a posterior");
            let prior_only = fill(t.mon_p_positive_prior, &[("prior", &lang.pct(0.12, 0))]);
            assert!(h.contains(&esc(&prior_only)), "{h}");
            // The verdicts and observations do not depend on the update.
            assert_eq!(h.matches("data-chart=\"fan-monitor\"").count(), 1);
        }
        let en = section(&data, Lang::En);
        assert!(en.contains("as 12 of its 400 draws") && en.contains("> watch</span>"));
    }

    #[test]
    fn without_observed_csv_the_dots_have_no_bars_and_the_reader_is_told() {
        let data = run_data(Some(monitor(true)), None);
        let h = section(&data, Lang::En);
        assert!(h.contains(&esc(Lang::En.texts().mon_no_sampling)));
        assert_eq!(h.matches("<circle").count(), 3, "the dots are still drawn");
        assert!(h.contains("<td class=\"n\">11.0% </td>") || h.contains("<td class=\"n\">11.0%</td>"), "{h}");
    }
}
