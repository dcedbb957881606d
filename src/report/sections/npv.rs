//! Section 3, Distribution of the NPV: a histogram per scenario, losses and gains apart.

use super::Report;
use crate::render::charts::{self, Frame};
use crate::render::html::{figure, heading, muted, para, table, text, Html, Markup};
use crate::report::ReportError;
use crate::summary::TOTAL_AREA;

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) -> Result<(), ReportError> {
    let (t, l) = (r.t, r.lang);
    h.push(para(&crate::render::text::fill(t.npv_intro, &[("total", &r.total_label())])));
    for name in r.data.summary.scenarios.keys() {
        h.push(heading(3, name));
        let Some(npv) = r.stat(name, TOTAL_AREA, "npv") else { continue };
        let Some(hist) = npv.histogram.as_ref().filter(|h| h.edges.len() == h.counts.len() + 1 && !h.counts.is_empty())
        else {
            h.push(muted(t.npv_no_histogram));
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
        let frame = Frame {
            width: 760,
            height: 320,
            caption: None,
            x_label: t.axis_npv,
            y_label: t.axis_draws,
            aria: &caption,
        };
        let bins = charts::Bins { edges: &hist.edges, counts: &hist.counts, unit: 1e6 };
        let svg = charts::histogram(&frame, bins, (t.legend_loss, t.legend_gain), l)?;
        let rows: Vec<Vec<Markup>> = (hist.edges.windows(2).zip(&hist.counts))
            .filter(|(_, &c)| c > 0)
            .map(|(w, &c)| vec![text(&format!("{} – {}", l.eur_short(w[0]), l.eur_short(w[1]))), text(&c.to_string())])
            .collect();
        let tab = table("", &[t.col_bin, &format!("#{}", t.col_count)], &rows);
        h.push(figure("histogram", &svg, &caption, Some(&tab), t.table_alt));
    }
    Ok(())
}
