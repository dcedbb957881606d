//! Assembling the report: one self-contained HTML document (inline CSS and
//! SVG, no scripts, no external resources), sections in the order an advisor
//! reads them.

use super::charts::{self, Fan, Frame, Stack, TornadoBar};
use super::data::{Contrast, RunData, SensitivityRow, StatFile};
use super::text::{fill, Lang, Texts};
use super::ReportError;
use crate::summary::TOTAL_AREA;

/// Name of the nulalternatief in the yearly file.
const BASELINE: &str = crate::model::Model::BASELINE;
/// Indicators shown per scenario in the fan-chart section.
const TOP_INDICATORS: usize = 3;
/// Parameters shown in each tornado chart.
const TOP_PARAMETERS: usize = 10;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
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
    let sections: [(&str, &str); 7] = [
        ("samenvatting", t.s_summary),
        ("indicatoren", t.s_indicators),
        ("npv", t.s_npv),
        ("financiers", t.s_funders),
        ("gevoeligheid", t.s_drivers),
        ("aannames", t.s_assumptions),
        ("reproduceren", t.s_reproduce),
    ];
    h.push_str(&format!("<nav aria-label=\"{}\"><ol>", esc(t.contents)));
    for (id, title) in sections {
        h.push_str(&format!("<li><a href=\"#{id}\">{}</a></li>", esc(title)));
    }
    h.push_str("</ol></nav>\n");
    for (i, (id, title)) in sections.iter().enumerate() {
        h.push_str(&format!("<section id=\"{id}\">\n<h2>{}. {}</h2>\n", i + 1, esc(title)));
        match i {
            0 => r.summary(&mut h),
            1 => r.indicators(&mut h)?,
            2 => r.npv_distribution(&mut h)?,
            3 => r.funders(&mut h)?,
            4 => r.drivers(&mut h)?,
            5 => r.assumptions(&mut h),
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
            .map(|acc| {
                let label = self
                    .data
                    .assumptions
                    .as_ref()
                    .and_then(|x| x.accounts.iter().find(|a| a.name == acc))
                    .and_then(|a| a.taakveld_name.as_ref().map(|n| format!("{acc} {n}")))
                    .unwrap_or_else(|| acc.to_string());
                (acc.to_string(), label)
            })
            .collect()
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
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
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
