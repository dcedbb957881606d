//! The tidy tables of an allocation (one row per observation, long format),
//! as CSV text: `options.csv`, `frontier.csv`, `equity.csv`, `areas.csv` and,
//! with applications, `round.csv`.

use super::result::{AllocationReport, PortfolioResult};

/// A CSV table built in memory (the tables are small).
fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(vec![]);
    // Writing into a Vec cannot fail.
    w.write_record(header).expect("in memory");
    for r in rows {
        w.write_record(&r).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 fields")
}

/// A number as every CSV of the project writes it ([`crate::output::push_num`]; empty when not finite).
fn num(x: f64) -> String {
    let mut s = String::new();
    crate::output::push_num(&mut s, x);
    s
}

/// `options.csv`: every option alone.
pub fn options(r: &AllocationReport) -> String {
    let rows = r
        .options
        .iter()
        .map(|o| {
            vec![
                o.name.clone(),
                o.label.clone(),
                o.kind.clone(),
                o.area.clone(),
                o.scale.map(num).unwrap_or_default(),
                num(o.peak_cost_per_year),
                num(o.costs_pv),
                num(o.benefits_pv),
                num(o.npv_societal.mean),
                num(o.npv_societal.mcse),
                num(o.npv_societal.p10),
                num(o.npv_societal.p90),
                num(o.npv_societal.p_positive),
                num(o.npv.mean),
                num(o.avoided_starts),
                num(o.weight),
                num(o.p_in_best),
                o.chosen.to_string(),
            ]
        })
        .collect();
    table(
        &[
            "option",
            "label",
            "kind",
            "area",
            "scale",
            "peak_cost_per_year",
            "costs_pv",
            "benefits_pv",
            "npv_societal_mean",
            "npv_societal_mcse",
            "npv_societal_p10",
            "npv_societal_p90",
            "p_npv_societal_positive",
            "npv_mean",
            "avoided_starts",
            "equity_weight",
            "p_in_best",
            "chosen",
        ],
        rows,
    )
}

fn portfolio_cells(p: &PortfolioResult) -> Vec<String> {
    vec![
        num(p.objective),
        p.bound.map(num).unwrap_or_default(),
        p.method.clone(),
        num(p.peak_cost_per_year),
        num(p.costs_pv),
        num(p.npv_societal.mean),
        num(p.npv_societal.p5),
        num(p.npv_societal.p95),
        num(p.npv_societal.p_positive),
        p.options.len().to_string(),
        p.options.join("; "),
    ]
}

const PORTFOLIO_COLUMNS: [&str; 11] = [
    "objective",
    "bound",
    "method",
    "peak_cost_per_year",
    "costs_pv",
    "npv_societal_mean",
    "npv_societal_p5",
    "npv_societal_p95",
    "p_npv_societal_positive",
    "n_options",
    "options",
];

/// `frontier.csv`: budget against the best objective.
pub fn frontier(r: &AllocationReport) -> String {
    let mut header = vec!["budget"];
    header.extend(PORTFOLIO_COLUMNS);
    let rows = r
        .frontier
        .iter()
        .map(|f| std::iter::once(num(f.budget)).chain(portfolio_cells(&f.portfolio)).collect())
        .collect();
    table(&header, rows)
}

/// `equity.csv`: the best portfolio per equity weight η.
pub fn equity(r: &AllocationReport) -> String {
    let mut header = vec!["eta"];
    header.extend(PORTFOLIO_COLUMNS);
    let rows = r
        .equity_sweep
        .iter()
        .map(|e| std::iter::once(num(e.eta)).chain(portfolio_cells(&e.portfolio)).collect())
        .collect();
    table(&header, rows)
}

/// `areas.csv`: per area, its need and weight and what the recommended
/// portfolio (and the one at every η) spends there over the years.
pub fn areas(r: &AllocationReport) -> String {
    let mut rows = vec![];
    for (a, name) in r.areas.iter().enumerate() {
        let need = r.equity.as_ref().map(|e| num(e.need[a])).unwrap_or_default();
        let rel = r.equity.as_ref().map(|e| num(e.relative_need[a])).unwrap_or_default();
        let chosen: Vec<&str> =
            r.options.iter().filter(|o| o.chosen && &o.area == name).map(|o| o.name.as_str()).collect();
        rows.push(vec![
            name.clone(),
            "recommended".into(),
            need.clone(),
            rel.clone(),
            num(r.recommended.spend_by_area[a]),
            chosen.join("; "),
        ]);
        for e in &r.equity_sweep {
            let names: Vec<&str> = e
                .portfolio
                .options
                .iter()
                .filter(|o| r.options.iter().any(|x| &x.name == *o && &x.area == name))
                .map(String::as_str)
                .collect();
            rows.push(vec![
                name.clone(),
                format!("eta={}", e.eta),
                need.clone(),
                rel.clone(),
                num(e.portfolio.spend_by_area[a]),
                names.join("; "),
            ]);
        }
    }
    table(&["area", "portfolio", "need", "relative_need", "spend_total", "options"], rows)
}

/// `round.csv`: per application, funded or not, and each claim's verdict.
pub fn round(r: &AllocationReport) -> Option<String> {
    let round = r.round.as_ref()?;
    let mut rows = vec![];
    for a in &round.applications {
        let o = r.options.iter().find(|o| o.name == a.option);
        for c in &a.claims {
            rows.push(vec![
                a.name.clone(),
                a.applicant.clone(),
                a.area.clone(),
                a.funded.to_string(),
                o.map(|o| num(o.peak_cost_per_year)).unwrap_or_default(),
                o.map(|o| num(o.npv_societal.mean)).unwrap_or_default(),
                o.map(|o| num(o.npv_societal.p_positive)).unwrap_or_default(),
                c.label.clone(),
                num(c.claimed),
                c.unit.clone(),
                num(c.p_reached),
                c.verdict.clone(),
            ]);
        }
    }
    Some(table(
        &[
            "application",
            "applicant",
            "area",
            "funded",
            "peak_cost_per_year",
            "npv_societal_mean",
            "p_npv_societal_positive",
            "claim",
            "claimed",
            "unit",
            "p_reached",
            "verdict",
        ],
        rows,
    ))
}
