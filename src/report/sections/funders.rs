//! Section 4, Wie betaalt, wie baat: yearly cash flows per funder and taakveld as
//! stacked bars, and their present values with intervals.

use super::Report;
use crate::render::charts::{self, Frame, Stack};
use crate::render::html::{figure, header_refs, heading, html, muted, para, table, text, with_sub, Html, Markup};
use crate::render::text::fill;
use crate::report::data::Contrast;
use crate::report::ReportError;
use crate::summary::TOTAL_AREA;

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) -> Result<(), ReportError> {
    let t = r.t;
    h.push(para(t.funders_intro));
    for name in r.data.summary.scenarios.keys() {
        h.push(heading(3, name));
        let accounts = accounts(r, name);
        if !cash_flows(r, h, name, &accounts)? {
            h.push(muted(t.funders_none));
            continue;
        }
        present_values(r, h, name, &accounts);
    }
    Ok(())
}

/// Account names (`gemeente/6.72`) with their label for people.
fn accounts(r: &Report<'_>, scenario: &str) -> Vec<(String, String)> {
    let Some(a) = r.data.summary.scenarios.get(scenario).and_then(|s| s.areas.get(TOTAL_AREA)) else {
        return vec![];
    };
    a.metrics
        .keys()
        .filter_map(|k| k.strip_prefix("pv_net/"))
        .map(|acc| (acc.to_string(), r.account_label(acc)))
        .collect()
}

/// The stacked bars of yearly benefits and costs per account, with their
/// table; false when the scenario has no cash flows.
fn cash_flows(r: &Report<'_>, h: &mut Html, name: &str, accounts: &[(String, String)]) -> Result<bool, ReportError> {
    let (t, l) = (r.t, r.lang);
    let years = r.years();
    // The SROI factor that turns gross avoided costs into benefits: the
    // ratio of the means makes the chart add up to the table's mean.
    let gross = r.total(name, "pv_benefits_gross");
    let net = r.total(name, "pv_benefits");
    let f = if gross.abs() > 1e-9 && net.is_finite() { net / gross } else { 1.0 };
    let mut stacks = vec![];
    let mut rows: Vec<Vec<Markup>> = years.iter().map(|y| vec![text(&y.to_string())]).collect();
    let mut header = vec![t.col_year.to_string()];
    for (k, (acc, label)) in accounts.iter().enumerate() {
        let get = |m: &str| {
            (r.data.series(name, Contrast::Difference, TOTAL_AREA, &format!("{m}/{acc}")))
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
        header.push(format!("#{label}"));
        for (i, row) in rows.iter_mut().enumerate() {
            row.push(text(&l.eur(benefit[i] + cost[i])));
        }
        stacks.push(Stack { label: label.clone(), colour, values: benefit });
        stacks.push(Stack { label: String::new(), colour, values: cost });
    }
    if stacks.is_empty() {
        return Ok(false);
    }
    let caption = format!("{name}: {}", t.axis_cashflow);
    let frame = Frame {
        width: 980,
        height: 400,
        caption: None,
        x_label: t.axis_year,
        y_label: t.axis_cashflow,
        aria: &caption,
    };
    let svg = charts::stacked_bars(&frame, &years, &stacks, 1e3, l)?;
    let tab = table("", &header_refs(&header), &rows);
    let sroi = if (f - 1.0).abs() > 1e-9 { fill(t.funders_sroi, &[("f", &l.num(f, 2))]) } else { String::new() };
    h.push(figure("stacked-bars", &svg, &format!("{caption}. {sroi}"), Some(&tab), t.table_alt));
    Ok(true)
}

/// Present value per account, with intervals, and the city total.
fn present_values(r: &Report<'_>, h: &mut Html, name: &str, accounts: &[(String, String)]) {
    let t = r.t;
    let cell = |m: &str| match r.stat(name, TOTAL_AREA, m) {
        Some(s) => with_sub(&r.lang.eur_short(s.mean()), &r.interval(s)),
        None => text("–"),
    };
    let mut rows = vec![];
    for (acc, label) in accounts {
        let netm = r.total(name, &format!("pv_net/{acc}"));
        if netm.abs() < 0.5 && r.total(name, &format!("pv_intervention_costs/{acc}")).abs() < 0.5 {
            continue;
        }
        rows.push(vec![
            text(label),
            cell(&format!("pv_benefits/{acc}")),
            cell(&format!("pv_intervention_costs/{acc}")),
            cell(&format!("pv_net/{acc}")),
        ]);
    }
    rows.push(vec![
        html! { strong { (r.total_label()) } },
        cell("pv_benefits"),
        cell("pv_intervention_costs"),
        cell("npv"),
    ]);
    let header = [
        t.col_account,
        &format!("#{}", t.col_pv_benefits),
        &format!("#{}", t.col_pv_costs),
        &format!("#{}", t.col_pv_net),
    ];
    h.push(table("", &header, &rows));
}
