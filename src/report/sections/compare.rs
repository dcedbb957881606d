//! Scenario's vergeleken: the scenarios ranked on each ranked metric (mean,
//! chance of being the best, mean rank) and, for each pair, A − B per funder
//! and taakveld. Read from `summary.json`'s `ranking` and `differences`;
//! shown only with two or more scenarios.

use super::Report;
use crate::render::html::{header_refs, heading, para, table, text, Html, Markup};
use crate::render::text::fill;

/// Whether the run has anything to compare (two or more scenarios).
pub(in crate::report) fn applies(r: &Report<'_>) -> bool {
    !r.data.summary.ranking.is_empty() || !r.data.summary.differences.is_empty()
}

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) {
    let (t, l) = (r.t, r.lang);
    let s = &r.data.summary;
    h.push(para(t.compare_intro));
    for (metric, ranking) in &s.ranking {
        h.push(heading(3, &fill(t.compare_ranking, &[("metric", &r.metric_label(metric))])));
        let rows: Vec<Vec<Markup>> = ranking
            .scenarios
            .iter()
            .map(|e| {
                let nan = f64::NAN;
                vec![
                    text(&e.scenario),
                    text(&l.eur_short(e.mean.unwrap_or(nan))),
                    text(&l.pct(e.p_best.unwrap_or(nan), 0)),
                    text(&l.num(e.mean_rank.unwrap_or(nan), 2)),
                ]
            })
            .collect();
        let header: Vec<String> = std::iter::once(t.col_scenario.to_string())
            .chain([t.col_mean, t.col_p_best, t.col_mean_rank].iter().map(|c| format!("#{c}")))
            .collect();
        h.push(table("ranking", &header_refs(&header), &rows));
    }
    for d in &s.differences {
        h.push(heading(3, &format!("{} − {}", d.a, d.b)));
        h.push(para(&fill(t.compare_pair_intro, &[("a", &d.a), ("b", &d.b)])));
        let rows: Vec<Vec<Markup>> = d
            .metrics
            .iter()
            .map(|(metric, st)| {
                vec![
                    text(&r.metric_label(metric)),
                    text(&l.eur_short(st.mean())),
                    text(&r.interval(st)),
                    text(&l.pct(st.p_positive.unwrap_or(f64::NAN), 0)),
                ]
            })
            .collect();
        let header: Vec<String> = std::iter::once(t.col_metric.to_string())
            .chain([t.col_mean, t.col_interval, t.col_p_a_gt_b].iter().map(|c| format!("#{c}")))
            .collect();
        h.push(table("difference", &header_refs(&header), &rows));
    }
}
