//! Assembling the report: one self-contained HTML document (inline CSS and
//! SVG, no scripts, no external resources), the sections (the private
//! `sections` module) in the order an advisor reads them.

use super::data::RunData;
use super::sections::{self, Report};
use super::ReportError;
use crate::render::css;
use crate::render::html::{document, html, section, Html, Markup};
use crate::render::text::{fill, Lang};

/// A section of the report: its anchor, its title and how it is drawn.
type Section = (&'static str, &'static str, fn(&Report<'_>, &mut Html) -> Result<(), ReportError>);

/// Render the whole report.
pub fn render(data: &RunData, lang: Lang) -> Result<String, ReportError> {
    let r = Report::new(data, lang);
    let t = r.t;
    let mut list: Vec<Section> = vec![("samenvatting", t.s_summary, |r, h| {
        sections::summary::render(r, h);
        Ok(())
    })];
    if sections::compare::applies(&r) {
        list.push(("vergelijking", t.s_compare, |r, h| {
            sections::compare::render(r, h);
            Ok(())
        }));
    }
    list.extend::<[Section; 4]>([
        ("indicatoren", t.s_indicators, sections::indicators::render),
        ("npv", t.s_npv, sections::npv::render),
        ("financiers", t.s_funders, sections::funders::render),
        ("gevoeligheid", t.s_drivers, sections::drivers::render),
    ]);
    if sections::decision::applies(&r) {
        let title = crate::render::text::decision_texts(lang).s_decision;
        list.push(("keuze", title, sections::decision::render));
    }
    // Monitoring comes with the results, before the reference sections.
    if data.monitor.is_some() {
        list.push(("monitoring", t.s_monitoring, sections::monitoring::render));
    }
    list.push(("aannames", t.s_assumptions, |r, h| {
        sections::assumptions::render(r, h);
        Ok(())
    }));
    list.push(("reproduceren", t.s_reproduce, |r, h| {
        sections::reproduce::render(r, h);
        Ok(())
    }));
    let mut body = Html::with_capacity(1 << 20);
    body.push(header(&r));
    body.push(html! {
        nav aria-label=(t.contents) { ol { @for (id, title, _) in &list { li { a href={ "#" (id) } { (title) } } } } } "\n"
    });
    for (i, (id, title, draw)) in list.iter().enumerate() {
        let mut h = Html::default();
        draw(&r, &mut h)?;
        body.push(section(id, &format!("{}. {}", i + 1, title), h.into()));
    }
    let title = format!("{} – {}", t.title, r.input_name());
    let footer = fill(t.footer, &[("version", &data.summary.engine.version)]);
    Ok(document(lang.code(), &title, css::REPORT, body.into(), &footer))
}

/// The title, what the run compared and how it was made.
fn header(r: &Report<'_>) -> Markup {
    let (t, s) = (r.t, &r.data.summary);
    let sub = fill(
        t.subtitle,
        &[
            ("file", &r.input_name()),
            ("scenarios", &s.scenarios.len().to_string()),
            ("start", &s.run.start_year.to_string()),
            ("end", &r.end_year().to_string()),
        ],
    );
    let gen = fill(
        t.generated,
        &[
            ("draws", &r.lang.num(s.run.draws as f64, 0)),
            ("mode", &s.run.mode),
            ("seed", &s.run.seed.to_string()),
            ("version", &s.engine.version),
        ],
    );
    let areas = fill(t.areas_line, &[("areas", &r.areas().join(", "))]);
    html! {
        header {
            "\n" h1 { (t.title) } "\n" p { strong { (sub) } } "\n" p.meta { (areas) } "\n" p.meta { (gen) } "\n"
        }
        "\n"
    }
}
