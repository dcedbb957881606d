//! The Dutch report page of an allocation (`allocation.html`), for the policy
//! advisor and the fund committee: one self-contained HTML document (inline
//! CSS and SVG, no scripts) in the style of the advisor's report.
//!
//! Order: the answer first (what to fund, at what cost, with what value and
//! certainty), then where the money goes (a map-like grid of the stadsdelen),
//! the efficient frontier, how certain each option is, the equity weighting
//! (with equity weights), interactions between options, the fund round (with
//! applications) and how the run was made. Every word is in
//! `render::text::allocation`; all user text is escaped by `maud`.

mod map;
mod sections;
#[cfg(test)]
mod tests;

use super::result::{AllocationReport, OptionResult, PortfolioResult, Spread};
use crate::render::charts::allocation::{FrontierChart, FrontierPoint};
use crate::render::charts::Frame;
use crate::render::css;
use crate::render::format::{round_sig, shell_word};
use crate::render::html::{document, figure, html, marked_table, muted, para, section, table, text, Html, Markup};
use crate::render::text::allocation::{AllocationTexts, ALLOCATION_NL};
use crate::render::text::{fill, Lang};
use std::collections::HashMap;

/// Why the page could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the allocation page: {0}")]
pub struct PageError(pub String);

impl From<crate::render::ChartError> for PageError {
    fn from(e: crate::render::ChartError) -> Self {
        PageError(e.to_string())
    }
}

/// The page's own styles, after the report's: the map grid, the probability
/// bars and the marked rows.
const CSS: &str = "
.map { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; margin: 12px 0; }
.map .area, .other-areas .area { border: 1px solid #9bb7cc; border-radius: 6px; padding: 8px 10px; font-size: 0.9rem;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.area h3 { font-size: 1.05rem; margin: 0 0 2px; }
.area .money { font-weight: 600; }
.area .nomoney { color: var(--muted); font-style: italic; }
.area ul { margin: 4px 0 2px; padding-left: 1.1em; }
.area .equity { color: var(--muted); font-size: 0.85rem; }
.river { grid-column: 1 / span 4; text-align: center; color: #2f5f80; font-style: italic; font-size: 0.85rem;
  border-top: 3px double #7fa9c6; border-bottom: 3px double #7fa9c6; padding: 1px 0; }
.compass { color: var(--muted); font-size: 0.85rem; align-self: start; justify-self: end; }
.other-areas { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px; }
.bar { display: block; height: 8px; background: #fff; border: 1px solid #9bb7cc; margin: 3px 0; }
.bar > span { display: block; height: 100%; background: var(--accent); }
.pbar { display: inline-block; width: 56px; height: 9px; border: 1px solid #9bb7cc; background: #fff;
  vertical-align: middle; margin-left: 6px; }
.pbar > span { display: block; height: 100%; background: var(--accent); }
.answer { border-left: 4px solid var(--accent); padding: 4px 14px; margin: 12px 0; background: #fafbfc;
  font-size: 1.05rem; }
.answer p { margin: 0.35em 0; }
tr.marked td { font-weight: 600; background: #eef5fa; }
table.options td:first-child { min-width: 13em; }
table.sweep { font-size: 0.85rem; }
table.run td:first-child { white-space: nowrap; }
table.round td:first-child { min-width: 10em; }
table.round td:nth-child(8) { min-width: 13em; font-size: 0.9em; }
table.round td.n span.muted, table.sweep td.n span.muted { white-space: normal; display: inline-block; min-width: 9em; }
.nw { white-space: nowrap; }
ul.chosen { columns: 2; }
@media (max-width: 700px) { .map { grid-template-columns: 1fr 1fr; } ul.chosen { columns: 1; } }
";

/// The page.
pub fn html(r: &AllocationReport) -> Result<String, PageError> {
    let p = Page::new(r);
    let t = p.t;
    let mut list: Vec<(&str, &str, Markup)> = vec![
        ("antwoord", t.s_answer, sections::answer(&p)),
        ("kaart", t.s_map, map::map(&p)),
        ("grens", t.s_frontier, frontier(&p)?),
        ("zekerheid", t.s_certainty, certainty(&p)),
    ];
    if r.equity.is_some() {
        list.push(("gelijkheid", t.s_equity, sections::equity(&p)));
    }
    list.push(("samenloop", t.s_interactions, sections::interactions(&p)));
    if r.round.is_some() {
        list.push(("fondsronde", t.s_round, sections::round(&p)));
    }
    list.push(("verantwoording", t.s_method, method(&p)));
    let mut body = Html::with_capacity(256 << 10);
    let generated = fill(
        t.generated,
        &[
            ("draws", &p.l.num(r.run.draws as f64, 0)),
            ("seed", &r.run.seed.to_string()),
            ("version", &r.run.engine_version),
        ],
    );
    body.push(html! {
        header {
            "\n" h1 { (r.name) } "\n"
            p { strong { (t.subtitle) } } "\n"
            @if !r.description.is_empty() { (para(&r.description)) }
            p.meta { (generated) } "\n"
        }
        "\n"
        nav aria-label=(t.contents) { ol { @for (id, title, _) in &list { li { a href={ "#" (id) } { (title) } } } } } "\n"
    });
    for (i, (id, title, m)) in list.into_iter().enumerate() {
        body.push(section(id, &format!("{}. {}", i + 1, title), m));
    }
    let css = format!("{}{}", css::REPORT, CSS);
    Ok(document("nl", &r.name, &css, body.into(), &fill(t.footer, &[("version", &r.run.engine_version)])))
}

/// The report with its words, its language and the options by name.
struct Page<'a> {
    r: &'a AllocationReport,
    t: &'static AllocationTexts,
    l: Lang,
    by_name: HashMap<&'a str, &'a OptionResult>,
}

impl<'a> Page<'a> {
    fn new(r: &'a AllocationReport) -> Self {
        Page { r, t: &ALLOCATION_NL, l: Lang::Nl, by_name: r.options.iter().map(|o| (o.name.as_str(), o)).collect() }
    }

    /// Whole euros, for costs and budgets: `€ 1.234.567`.
    fn eur(&self, x: f64) -> String {
        self.l.eur(x)
    }

    /// A simulated value in euros, to three significant digits (the draws do
    /// not know it to the euro).
    fn sim(&self, x: f64) -> String {
        self.l.eur(round_sig(x, 3))
    }

    /// A share as a whole percentage, never a misleading 0 % or 100 %.
    fn share(&self, p: f64) -> String {
        self.l.share(p)
    }

    /// The options of a portfolio, in its order (unknown names skipped).
    fn options_of(&self, pf: &'a PortfolioResult) -> Vec<&'a OptionResult> {
        pf.options.iter().filter_map(|n| self.by_name.get(n.as_str()).copied()).collect()
    }

    /// An option as a reader names it: its intervention or application and, if
    /// set, its participants per year.
    fn option_title(&self, o: &OptionResult) -> String {
        match o.scale {
            Some(s) => format!("{}, {}", o.label, fill(self.t.scale, &[("n", &self.l.num_trimmed(s, 1))])),
            None => o.label.clone(),
        }
    }

    /// "1 optie", "8 opties" (or applications: "1 aanvraag", "3 aanvragen").
    fn count(&self, n: usize, applications: bool) -> String {
        let t = self.t;
        let (zero, one, many) = if applications {
            (t.applications_0, t.applications_1, t.applications_n)
        } else {
            (t.options_0, t.options_1, t.options_n)
        };
        match n {
            0 => zero.into(),
            1 => one.into(),
            _ => fill(many, &[("n", &n.to_string())]),
        }
    }

    /// The dearest year's mean cost of `options` in `area` (all areas when `None`).
    fn peak_in(&self, options: &[&OptionResult], area: Option<&str>) -> f64 {
        let years = self.r.years.len();
        (0..years)
            .map(|y| {
                (options.iter())
                    .filter(|o| area.is_none_or(|a| o.area == a))
                    .map(|o| o.cost_per_year.get(y).copied().unwrap_or(0.0))
                    .sum::<f64>()
            })
            .fold(0.0, f64::max)
    }

    /// The objective's value in its own unit.
    fn objective_value(&self, x: f64) -> String {
        match self.r.objective.as_str() {
            "welfare_per_euro" => fill(self.t.per_euro, &[("x", &format!("€\u{a0}{}", self.l.num(x, 2)))]),
            "p_positive" => self.l.pct(x, 0),
            _ => self.sim(x),
        }
    }

    /// The objective in words.
    fn objective_words(&self) -> String {
        let t = self.t;
        match self.r.objective.as_str() {
            "welfare_per_euro" => t.obj_welfare_per_euro.into(),
            "p_positive" => t.obj_p_positive.into(),
            "lower_tail" => fill(t.obj_lower_tail, &[("tail", &self.l.pct(self.r.tail.unwrap_or(f64::NAN), 0))]),
            _ => t.obj_npv.into(),
        }
    }

    /// True when equity weights other than 1 apply to the recommended portfolio.
    fn weighted(&self) -> bool {
        self.r.equity.as_ref().is_some_and(|e| e.eta != 0.0)
    }

    /// The solution method in words.
    fn method_name(&self, m: &str) -> String {
        let t = self.t;
        match m {
            "integer_program" => t.m_integer_program.into(),
            "dinkelbach" => t.m_dinkelbach.into(),
            "local_search" => t.m_local_search.into(),
            "enumeration" => t.m_enumeration.into(),
            other => other.into(),
        }
    }

    /// A mean with its interval on a muted second line.
    fn spread_cell(&self, s: &Spread, template: &str, p10: bool) -> Markup {
        let (lo, hi) = if p10 { (s.p10, s.p90) } else { (s.p5, s.p95) };
        // Each bound stays on one line when the interval wraps.
        let (lo, hi) = (self.sim(lo), self.sim(hi));
        let sub = fill(template, &[("lo", "\u{1}"), ("hi", "\u{2}")]);
        html! {
            (self.sim(s.mean)) br;
            span.muted {
                @for piece in sub.split_inclusive(['\u{1}', '\u{2}']) {
                    @match piece.char_indices().last() {
                        Some((i, '\u{1}')) => { (piece[..i]) span.nw { (lo) } }
                        Some((i, '\u{2}')) => { (piece[..i]) span.nw { (hi) } }
                        _ => (piece),
                    }
                }
            }
        }
    }

    /// A share with a small bar of its length (readable without the bar).
    fn share_bar(&self, p: f64) -> Markup {
        let w = (p.clamp(0.0, 1.0) * 100.0).round();
        html! { (self.share(p)) span.pbar aria-hidden="true" { span style={ "width:" (w) "%" } {} } }
    }
}

/// 3. The efficient frontier: chart and table.
fn frontier(p: &Page) -> Result<Markup, PageError> {
    let (r, t, l) = (p.r, p.t, p.l);
    if r.frontier.is_empty() {
        return Ok(muted(t.frontier_none));
    }
    // The objective gets its own line when it is in euros and differs from the plain NPV.
    let objective_line = match r.objective.as_str() {
        "npv" => p.weighted(),
        "lower_tail" => true,
        _ => false,
    };
    let points: Vec<FrontierPoint> = (r.frontier.iter())
        .map(|f| FrontierPoint {
            budget: f.budget,
            mean: f.portfolio.npv_societal.mean,
            p5: f.portfolio.npv_societal.p5,
            p95: f.portfolio.npv_societal.p95,
            objective: objective_line.then_some(f.portfolio.objective),
        })
        .collect();
    let legend_objective = if r.objective == "lower_tail" {
        fill(t.legend_tail, &[("tail", &l.pct(r.tail.unwrap_or(f64::NAN), 0))])
    } else {
        t.legend_objective.into()
    };
    let frame = Frame {
        width: 820,
        height: 380,
        caption: None,
        x_label: t.axis_budget,
        y_label: t.axis_value,
        aria: t.frontier_aria,
    };
    let chart = FrontierChart {
        points: &points,
        unit: 1e6,
        budget: Some((r.budget, t.legend_budget)),
        legend: (t.legend_mean, t.legend_band, &legend_objective),
    };
    let svg = chart.draw(&frame, l)?;
    // The objective's own column only when it is not simply the expected NCW.
    let show_objective = r.objective != "npv" || p.weighted();
    let mut header = vec![
        format!("#{}", t.col_budget),
        format!("#{}", t.col_options),
        format!("#{}", t.col_peak),
        format!("#{}", t.col_npv),
        format!("#{}", t.col_p_positive),
    ];
    if show_objective {
        header.push(format!("#{}", t.col_objective));
    }
    header.push(String::new());
    let rows: Vec<(bool, Vec<Markup>)> = (r.frontier.iter())
        .map(|f| {
            let pf = &f.portfolio;
            let here = (f.budget - r.budget).abs() <= 1e-9 * r.budget.abs().max(1.0);
            let mut cells = vec![
                text(&p.eur(f.budget)),
                text(&pf.options.len().to_string()),
                text(&p.eur(pf.peak_cost_per_year)),
                p.spread_cell(&pf.npv_societal, t.p5_p95, false),
                text(&p.share(pf.npv_societal.p_positive)),
            ];
            if show_objective {
                cells.push(text(&p.objective_value(pf.objective)));
            }
            cells.push(text(if here { t.this_budget } else { "" }));
            (here, cells)
        })
        .collect();
    let tab = marked_table("", &header, &rows);
    let mut intro = fill(t.frontier_intro, &[("budget", &p.eur(r.budget))]);
    if objective_line {
        let objective = if p.weighted() && r.objective == "npv" {
            format!("{} {}", p.objective_words(), t.weighted)
        } else {
            p.objective_words()
        };
        intro = format!("{intro} {}", fill(t.frontier_objective, &[("objective", &objective)]));
    }
    Ok(html! {
        (para(&intro))
        (figure("frontier", &svg, "", None, t.table_alt))
        (tab)
    })
}

/// 4. Every option, the most often best on top.
fn certainty(p: &Page) -> Markup {
    let (r, t) = (p.r, p.t);
    let mut options: Vec<&OptionResult> = r.options.iter().collect();
    options.sort_by(|a, b| {
        (b.p_in_best.total_cmp(&a.p_in_best))
            .then(b.chosen.cmp(&a.chosen))
            .then(b.npv_societal.mean.total_cmp(&a.npv_societal.mean))
    });
    let header = [
        t.col_option.to_string(),
        t.col_area.into(),
        format!("#{}", t.col_cost),
        format!("#{}", t.col_npv_alone),
        format!("#{}", t.col_p_positive),
        format!("#{}", t.col_in_best),
        t.col_chosen.into(),
    ];
    let rows: Vec<(bool, Vec<Markup>)> = (options.iter())
        .map(|o| {
            let cells = vec![
                text(&o.name),
                text(&o.area),
                text(&p.eur(o.peak_cost_per_year)),
                p.spread_cell(&o.npv_societal, t.p10_p90, true),
                text(&p.share(o.npv_societal.p_positive)),
                p.share_bar(o.p_in_best),
                text(if o.chosen { t.yes } else { t.no }),
            ];
            (o.chosen, cells)
        })
        .collect();
    html! {
        (para(&fill(t.certainty_intro, &[("draws", &p.l.num(r.run.draws as f64, 0))])))
        (marked_table("options", &header, &rows))
    }
}

/// 8. How the run was made.
fn method(p: &Page) -> Markup {
    let (r, t) = (p.r, p.t);
    let run = &r.run;
    let command: Vec<String> = run.command_line.iter().map(|w| shell_word(w)).collect();
    let mut methods: Vec<String> = vec![p.method_name(&r.recommended.method)];
    for m in (r.frontier.iter().map(|f| &f.portfolio.method)).chain(r.equity_sweep.iter().map(|e| &e.portfolio.method))
    {
        let m = p.method_name(m);
        if !methods.contains(&m) {
            methods.push(m);
        }
    }
    let rows = vec![
        vec![text(t.row_draws), text(&p.l.num(run.draws as f64, 0))],
        vec![text(t.row_seed), text(&run.seed.to_string())],
        vec![text(t.row_prng), text(&run.prng)],
        vec![text(t.row_version), text(&run.engine_version)],
        vec![text(t.row_method), text(&methods.join("; "))],
        vec![text(t.row_work), text(&p.l.num(run.work_units as f64, 0))],
        vec![text(t.row_command), crate::render::html::code(&command.join(" "))],
    ];
    let inputs: Vec<Vec<Markup>> = (run.inputs.iter())
        .map(|(f, h)| {
            let short: String = h.chars().take(12).collect();
            let short = if h.chars().count() > 12 { format!("{short}…") } else { short };
            vec![crate::render::html::code(f), html! { code title=(h) { (short) } }]
        })
        .collect();
    html! {
        (para(t.method_intro))
        (table("run", &[t.col_setting, t.col_value], &rows))
        @if !inputs.is_empty() { (table("", &[t.col_file, "SHA-256"], &inputs)) }
        (para(t.method_note))
    }
}
