//! Section 6, Assumptions: the model settings, what the nulalternatief holds, the
//! SROI corrections per scenario and every uncertain parameter with its
//! distribution and source.

use super::{json_text, Report};
use crate::render::html::{cited, code, heading, html, mono, muted, para, table, text, Html, Markup};
use crate::render::text::{fill, Lang};
use crate::render::words;

/// A source note as the page's language shows it: on a Dutch page an
/// assumption is "aanname" and a citation stays as written, marked as not Dutch.
pub(in crate::report) fn source_cell(note: &str, l: Lang) -> Option<Markup> {
    match words::source_note(note, l) {
        (Some(word), _) => Some(text(&word)),
        (None, Some(c)) if l == Lang::Nl => Some(html! { span lang="en" { (cited(&c)) } }),
        (None, Some(c)) => Some(cited(&c)),
        (None, None) => None,
    }
}

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) {
    let (t, l) = (r.t, r.lang);
    h.push(para(t.assumptions_intro));
    let Some(a) = &r.data.assumptions else {
        h.push(muted(t.assumptions_missing));
        return;
    };
    if !a.model.is_empty() {
        h.push(heading(3, t.model_settings));
        let rows: Vec<Vec<Markup>> = (a.model.iter())
            .map(|(k, v)| vec![words::setting(k, l).map_or_else(|| code(k), text), text(&json_text(v, l))])
            .collect();
        h.push(table("", &[t.col_field, t.col_value], &rows));
    }
    let baseline = &r.data.summary.nulalternatief;
    if !baseline.interventions.is_empty() {
        h.push(heading(3, &capitalised(t.baseline)));
        h.push(para(&fill(t.baseline_holds, &[("interventions", &baseline.interventions.join(", "))])));
        if !baseline.description.is_empty() {
            h.push(muted(&baseline.description));
        }
    }
    if !a.scenarios.is_empty() {
        h.push(heading(3, t.sroi_title));
        h.push(para(t.sroi_intro));
        let rows: Vec<Vec<Markup>> = (a.scenarios.iter())
            .map(|s| {
                let v = |k: &str| text(&s.sroi.get(k).map_or("0".into(), |v| sroi_text(v, l)));
                vec![text(&s.name), v("deadweight"), v("attribution"), v("displacement")]
            })
            .collect();
        let header = [
            t.col_scenario,
            &format!("#{}", t.col_deadweight),
            &format!("#{}", t.col_attribution),
            &format!("#{}", t.col_displacement),
        ];
        h.push(table("", &header, &rows));
    }
    h.push(heading(3, t.params_title));
    let rows: Vec<Vec<Markup>> = (a.parameters.iter())
        .map(|p| {
            // The comment above the parameter in the file is free text in the
            // scenario author's language (English in the bundled library): the
            // English page shows it, the Dutch page keeps to the source citation.
            let comment = p.comment.as_ref().filter(|c| p.note.as_deref() != Some(c.as_str()) && l == Lang::En);
            let mut source = vec![];
            match (&p.note, &p.comment) {
                (Some(n), _) => source.extend(source_cell(n, l)),
                // Without a note, a Dutch page still says when the comment calls it an assumption.
                (None, Some(c)) if l == Lang::Nl => {
                    source.extend(words::source_note(c, l).0.map(|w| text(&w)));
                }
                _ => {}
            }
            if let Some(c) = comment {
                source.push(html! { span.muted { (cited(c)) } });
            }
            if !p.named {
                source.push(html! { span.muted { (t.inline_param) } });
            }
            vec![
                mono(&p.name),
                // A derived parameter shows its expression instead of a distribution.
                text(&p.expr.as_ref().map_or_else(|| words::distribution(&p.distribution, l), |e| format!("= {e}"))),
                text(&json_text(&p.mean, l)),
                text(&format!("{} – {}", json_text(&p.p5, l), json_text(&p.p95, l))),
                html! { @for (i, s) in source.iter().enumerate() { @if i > 0 { br; } (s) } },
            ]
        })
        .collect();
    // Not numeric-aligned: a Dirichlet's mean and P5–P95 are lists that must wrap.
    let header = [t.col_parameter, t.col_distribution, t.col_mean, t.col_p5_p95, t.col_source];
    h.push(table("parameters", &header, &rows));
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

/// `text` with its first letter in upper case (a heading from a word used mid-sentence).
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}
