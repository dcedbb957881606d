//! Section "Welke keuze, hoe zeker, wat onderzoeken" (which choice, how sure,
//! what to research): the decision analysis of `summary.json` `decision` and
//! `acceptability.csv` for the city total, with per-area detail, and the
//! Sobol indices when the report was made with `--sobol`:
//!
//! 1. the incremental analysis of all arms (decision effect in full, the
//!    other effect measures compact), the net monetary benefit at the
//!    willingness to pay, and which arm is optimal and how often it is best;
//! 2. the acceptability curves with the acceptability frontier marked;
//! 3. the EVPI curve, the expected loss of each arm, and per area the optimal
//!    arm and EVPI;
//! 4. the EVPPI per parameter group (and the top single parameters);
//! 5. the Sobol indices of each scenario's NPV, or how to add them.
//!
//! Every chart has a table with the same numbers.

use super::{Report, BASELINE};
use crate::decision::analysis::MIN_RELIABLE_DRAWS;
use crate::output::schema::decision::{AreaDecisionFile, DecisionFile, EvppiFile, IncrementalFile};
use crate::render::charts::{self, Curve, CurveChart, Frame, IntervalBar, IntervalBars, PALETTE};
use crate::render::format::sig_decimals;
use crate::render::html::{
    esc, figure, heading, html, mono, muted, para, table, text, with_sub, Html, Markup, PreEscaped,
};
use crate::render::text::{decision_texts, fill, DecisionTexts, Lang};
use crate::report::data::{AcceptabilityRow, SobolArea, SobolFile};
use crate::report::ReportError;
use crate::summary::TOTAL_AREA;

/// Rows of a curve's table: about this many grid points (plus the one nearest the willingness to pay).
const TABLE_POINTS: usize = 10;
/// Single parameters listed by their EVPPI.
const TOP_SINGLES: usize = 10;
/// Parameters of a Sobol factor named in its table row before the rest are counted.
const FACTOR_PARAMETERS: usize = 8;
/// z of a two-sided 95 % normal interval, for the EVPPI whiskers.
const Z95: f64 = 1.959964;
/// Width of the section's charts, as the other sections' full-width charts.
const WIDTH: u32 = 980;

/// The section applies when the run has a decision analysis.
pub(in crate::report) fn applies(r: &Report<'_>) -> bool {
    r.data.summary.decision.is_some()
}

/// What the subsections share: the report, the analysis, its words and the city total.
struct Ctx<'a> {
    r: &'a Report<'a>,
    d: &'a DecisionFile,
    dt: &'static DecisionTexts,
    total: &'a AreaDecisionFile,
    /// The decision effect's name in words (plural) and its unit (singular).
    effect: (String, String),
    /// The city total's rows of `acceptability.csv`.
    curves: Vec<&'a AcceptabilityRow>,
}

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) -> Result<(), ReportError> {
    let Some(d) = &r.data.summary.decision else { return Ok(()) };
    let dt = decision_texts(r.lang);
    let Some(total) = d.areas.get(TOTAL_AREA).or_else(|| d.areas.values().last()) else {
        return Ok(());
    };
    let curves = r.data.acceptability.iter().flatten().filter(|a| a.area == TOTAL_AREA).collect();
    let c = Ctx { r, d, dt, total, effect: effect_words(dt, &d.effect), curves };
    h.push(para(&fill(dt.intro, &[("effect", &c.effect.0), ("area", &r.total_label())])));
    if let Some(w) = &d.warning {
        h.push(html! { div.decision-warning role="note" { strong { (dt.warning_title) ": " } (c.warning(w)) } "\n" });
    }
    c.incremental(h);
    c.acceptability(h)?;
    c.evpi(h)?;
    c.evppi(h)?;
    c.sobol(h)?;
    Ok(())
}

/// An effect measure in words: its plural name and the unit of "per …".
fn effect_words(dt: &DecisionTexts, name: &str) -> (String, String) {
    let (plural, unit) = match name {
        "qaly" => dt.effect_qaly,
        "wellby" => dt.effect_wellby,
        "life_years" => dt.effect_life_years,
        "avoided_starts" => dt.effect_avoided,
        other => (other, other),
    };
    (plural.to_string(), unit.to_string())
}

/// `template` with each `{key}` of `codes` as a `<code>` element (commands people copy).
fn with_code(template: &str, codes: &[(&str, &str)]) -> Markup {
    let mut out = String::new();
    let mut rest = template;
    loop {
        let next = codes
            .iter()
            .filter_map(|(k, v)| rest.find(&format!("{{{k}}}")).map(|i| (i, k.len() + 2, *v)))
            .min_by_key(|x| x.0);
        let Some((i, len, code)) = next else { break };
        out.push_str(&esc(&rest[..i]));
        out.push_str(&format!("<code>{}</code>", esc(code)));
        rest = &rest[i + len..];
    }
    out.push_str(&esc(rest));
    PreEscaped(out)
}

/// A message of the analysis quoted as it is: it is English, so marked as such.
fn quoted(msg: &str) -> Markup {
    html! { span lang="en" { (msg) } }
}

/// Euros per person: with cents below € 100 (EVPI per inhabitant is often a few euros).
fn eur_small(l: Lang, x: f64) -> String {
    if !x.is_finite() || x.abs() >= 100.0 {
        return l.eur(x);
    }
    let sign = if x < 0.0 && l.num(x.abs(), 2) != l.num(0.0, 2) { "−" } else { "" };
    match l {
        Lang::Nl => format!("{sign}€\u{a0}{}", l.num(x.abs(), 2)),
        Lang::En => format!("{sign}€{}", l.num(x.abs(), 2)),
    }
}

/// A number in its own unit (effects), with decimals that suit its size.
fn amount(l: Lang, x: Option<f64>) -> String {
    x.map_or("–".into(), |v| l.num(v, sig_decimals(v)))
}

/// The indices of `n` grid points shown in a curve's table: about
/// [`TABLE_POINTS`] evenly spaced, the last, and `near` (the point nearest the
/// willingness to pay).
fn table_points(n: usize, near: Option<usize>) -> Vec<usize> {
    if n == 0 {
        return vec![];
    }
    let step = n.div_ceil(TABLE_POINTS).max(1);
    let mut out: Vec<usize> = (0..n).filter(|i| i % step == 0).chain([n - 1]).chain(near).collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Ctx<'_> {
    fn l(&self) -> Lang {
        self.r.lang
    }

    /// An arm for people: the nulalternatief in the page's words, a scenario by its name.
    fn arm(&self, name: &str) -> String {
        if name == BASELINE {
            self.r.t.baseline.to_string()
        } else {
            name.to_string()
        }
    }

    /// The arms in the analysis' order (the nulalternatief first).
    fn arms(&self) -> Vec<&str> {
        self.total.nmb.keys().map(String::as_str).collect()
    }

    /// The colour of arm `name`: grey for the nulalternatief, the palette for the scenarios in order.
    fn colour(&self, name: &str) -> plotters::style::RGBColor {
        if name == BASELINE {
            return charts::BASELINE;
        }
        let i = self.arms().iter().filter(|a| **a != BASELINE).position(|a| *a == name).unwrap_or(0);
        PALETTE[i % PALETTE.len()]
    }

    /// The divisor and axis unit of money amounts up to `max`.
    fn money(&self, max: f64) -> (f64, &'static str) {
        match max.abs() {
            m if m >= 1e6 => (1e6, self.dt.unit_mln),
            m if m >= 1e3 => (1e3, self.dt.unit_k),
            _ => (1.0, self.dt.unit_eur),
        }
    }

    /// The run's warning in the page's words when it is one the report knows.
    fn warning(&self, w: &str) -> Markup {
        let dt = self.dt;
        let n: String = w.chars().take_while(char::is_ascii_digit).collect();
        if !n.is_empty() && w[n.len()..].starts_with(" draws:") {
            let n = n.parse::<f64>().map_or(n.clone(), |x| self.l().num(x, 0));
            let t = fill(dt.warn_draws, &[("n", &n), ("min", &self.l().num(MIN_RELIABLE_DRAWS as f64, 0))]);
            return with_code(&t, &[("cmd", "--draws 5000")]);
        }
        if w.starts_with("stochastic mode") {
            return text(dt.warn_stochastic);
        }
        html! { (dt.engine_note) " " (quoted(w)) }
    }

    /// The share of draws in which `arm` is best in `area` at the willingness
    /// to pay: `p_optimal` when the grid holds it, else the acceptability
    /// curve at the nearest grid point (returned with it).
    fn p_best(&self, area: &str, arm: &str, p_optimal: Option<f64>) -> Option<(f64, Option<f64>)> {
        if let Some(p) = p_optimal {
            return Some((p, None));
        }
        let rows = self.r.data.acceptability.iter().flatten().filter(|a| a.area == area && a.arm == arm);
        let near = rows.min_by(|a, b| (a.wtp - self.d.wtp).abs().total_cmp(&(b.wtp - self.d.wtp).abs()))?;
        Some((near.p_best?, Some(near.wtp)))
    }

    /// 1. The incremental analysis, the net benefit per arm and the optimal arm.
    fn incremental(&self, h: &mut Html) {
        let (dt, l) = (self.dt, self.l());
        h.push(heading(3, dt.inc_title));
        h.push(para(dt.inc_intro));
        let unit = &self.effect.1;
        let wtp = l.eur(self.d.wtp);
        if let Some(rows) = self.total.incremental.get(&self.d.effect) {
            h.push(heading(4, &fill(dt.inc_effect, &[("effect", &self.effect.0)])));
            let header = [
                dt.col_arm.to_string(),
                format!("#{}", dt.col_cost),
                format!("#{}", fill(dt.col_effect, &[("unit", unit)])),
                dt.col_status.to_string(),
                dt.col_compared.to_string(),
                format!("#{}", dt.col_d_cost),
                format!("#{}", dt.col_d_effect),
                format!("#{}", fill(dt.col_icer, &[("unit", unit)])),
                format!("#{}", fill(dt.col_nmb, &[("wtp", &wtp), ("unit", unit)])),
            ];
            let cells: Vec<Vec<Markup>> = rows
                .iter()
                .map(|x| {
                    let nmb = self.total.nmb.get(&x.arm).copied().flatten();
                    vec![
                        text(&self.arm(&x.arm)),
                        text(&l.eur_short(x.cost.unwrap_or(f64::NAN))),
                        text(&amount(l, x.effect)),
                        text(&self.status(x)),
                        text(&x.compared_with.as_deref().map_or("–".into(), |c| self.arm(c))),
                        text(&l.eur_short(x.d_cost.unwrap_or(f64::NAN))),
                        text(&amount(l, x.d_effect)),
                        text(&l.eur(x.icer.unwrap_or(f64::NAN))),
                        text(&l.eur_short(nmb.unwrap_or(f64::NAN))),
                    ]
                })
                .collect();
            h.push(table("decision", &header.iter().map(String::as_str).collect::<Vec<_>>(), &cells));
        }
        let optimal = &self.total.optimal;
        let nmb = self.total.nmb.get(optimal).copied().flatten().unwrap_or(f64::NAN);
        let mut sentences = vec![fill(
            dt.sent_optimal,
            &[("wtp", &wtp), ("unit", unit), ("arm", &self.arm(optimal)), ("nmb", &l.eur_short(nmb))],
        )];
        match self.p_best(TOTAL_AREA, optimal, self.total.p_optimal) {
            Some((p, None)) => sentences
                .push(fill(dt.sent_p_best, &[("k", &format!("{:.0}", p * 100.0)), ("arm", &self.arm(optimal))])),
            Some((p, Some(grid))) => sentences.push(fill(
                dt.sent_p_best_near,
                &[
                    ("k", &format!("{:.0}", p * 100.0)),
                    ("arm", &self.arm(optimal)),
                    ("grid", &l.eur(grid)),
                    ("unit", unit),
                ],
            )),
            None => {}
        }
        h.push(html! { div.sentences { @for s in &sentences { p { strong { (s) } } } } "\n" });
        let others: Vec<(&String, &Vec<IncrementalFile>)> =
            self.total.incremental.iter().filter(|(e, _)| **e != self.d.effect).collect();
        if others.is_empty() {
            return;
        }
        h.push(heading(4, dt.inc_other_title));
        h.push(para(dt.inc_other_intro));
        for (e, rows) in others {
            let (plural, unit) = effect_words(dt, e);
            let header = [
                dt.col_arm.to_string(),
                format!("#{}", dt.col_cost),
                format!("#{}", fill(dt.col_effect, &[("unit", &plural)])),
                dt.col_status.to_string(),
                format!("#{}", fill(dt.col_icer, &[("unit", &unit)])),
            ];
            let cells: Vec<Vec<Markup>> = rows
                .iter()
                .map(|x| {
                    vec![
                        text(&self.arm(&x.arm)),
                        text(&l.eur_short(x.cost.unwrap_or(f64::NAN))),
                        text(&amount(l, x.effect)),
                        text(&self.status(x)),
                        text(&l.eur(x.icer.unwrap_or(f64::NAN))),
                    ]
                })
                .collect();
            h.push(table("decision-compact", &header.iter().map(String::as_str).collect::<Vec<_>>(), &cells));
        }
    }

    /// A dominance status in words.
    fn status(&self, x: &IncrementalFile) -> String {
        match x.status.as_str() {
            "frontier" => self.dt.status_frontier.into(),
            "strongly_dominated" => self.dt.status_strong.into(),
            "extendedly_dominated" => self.dt.status_extended.into(),
            other => other.into(),
        }
    }

    /// The grid of the city total's curves, in file order.
    fn grid(&self) -> Vec<f64> {
        let mut out: Vec<f64> = vec![];
        for row in &self.curves {
            if !out.contains(&row.wtp) {
                out.push(row.wtp);
            }
        }
        out
    }

    /// The grid point nearest the willingness to pay.
    fn nearest(&self, grid: &[f64]) -> Option<usize> {
        let w = self.d.wtp;
        (0..grid.len()).min_by(|&a, &b| (grid[a] - w).abs().total_cmp(&(grid[b] - w).abs()))
    }

    /// The city total's row of `arm` at grid point `wtp`.
    fn row(&self, wtp: f64, arm: &str) -> Option<&AcceptabilityRow> {
        self.curves.iter().copied().find(|a| a.wtp == wtp && a.arm == arm)
    }

    /// A willingness-to-pay cell, marked when it is the point nearest the analysis' willingness to pay.
    fn wtp_cell(&self, w: f64, near: bool) -> Markup {
        if near {
            with_sub(&self.l().eur(w), self.dt.near_wtp)
        } else {
            text(&self.l().eur(w))
        }
    }

    /// 2. The acceptability curves and their table.
    fn acceptability(&self, h: &mut Html) -> Result<(), ReportError> {
        let (dt, l, t) = (self.dt, self.l(), self.r.t);
        h.push(heading(3, dt.ceac_title));
        h.push(para(dt.ceac_intro));
        let grid = self.grid();
        if grid.is_empty() {
            h.push(muted(dt.curves_missing));
            return Ok(());
        }
        let arms = self.arms();
        let curves: Vec<Curve> = arms
            .iter()
            .map(|arm| {
                let rows: Vec<Option<&AcceptabilityRow>> = grid.iter().map(|&w| self.row(w, arm)).collect();
                Curve {
                    label: self.arm(arm),
                    colour: self.colour(arm),
                    points: grid
                        .iter()
                        .zip(&rows)
                        .map(|(&w, r)| (w, r.and_then(|r| r.p_best).unwrap_or(f64::NAN)))
                        .collect(),
                    marked: rows.iter().map(|r| r.is_some_and(|r| r.optimal)).collect(),
                }
            })
            .collect();
        let unit = &self.effect.1;
        let caption = fill(dt.ceac_caption, &[("area", &self.r.total_label())]);
        let x_label = fill(dt.axis_wtp, &[("unit", unit)]);
        let frame = Frame {
            width: WIDTH,
            height: 440,
            caption: None,
            x_label: &x_label,
            y_label: dt.axis_p_best,
            aria: &caption,
        };
        let chart = CurveChart {
            curves: &curves,
            x_unit: 1e3,
            y_scale: 100.0,
            y_range: Some((0.0, 100.0)),
            marker: Some((self.d.wtp, dt.legend_wtp)),
        };
        let svg = chart.draw(&frame, l)?;
        let near = self.nearest(&grid);
        let mut header = vec![format!("#{}", fill(dt.col_wtp, &[("unit", unit)]))];
        header.extend(arms.iter().map(|a| format!("#{}", self.arm(a))));
        header.push(dt.col_frontier.to_string());
        let rows: Vec<Vec<Markup>> = table_points(grid.len(), near)
            .into_iter()
            .map(|i| {
                let w = grid[i];
                let mut row = vec![self.wtp_cell(w, Some(i) == near)];
                row.extend(
                    arms.iter().map(|a| text(&l.share(self.row(w, a).and_then(|r| r.p_best).unwrap_or(f64::NAN)))),
                );
                let best =
                    self.curves.iter().find(|r| r.wtp == w && r.optimal).map_or("–".into(), |r| self.arm(&r.arm));
                row.push(text(&best));
                row
            })
            .collect();
        let tab = table("", &header.iter().map(String::as_str).collect::<Vec<_>>(), &rows);
        h.push(figure("ceac", &svg, &caption, Some(&tab), t.table_alt));
        Ok(())
    }

    /// 3. The EVPI: at the willingness to pay, over the grid with each arm's expected loss, and per area.
    fn evpi(&self, h: &mut Html) -> Result<(), ReportError> {
        let (dt, l, t) = (self.dt, self.l(), self.r.t);
        h.push(heading(3, dt.evpi_title));
        h.push(para(&fill(dt.evpi_intro, &[("population", &l.num(self.total.population, 0))])));
        let unit = &self.effect.1;
        let evpi = self.total.evpi.unwrap_or(f64::NAN);
        let pp = self.total.evpi_per_person.unwrap_or(f64::NAN);
        h.push(html! { div.sentences { p { strong { (fill(dt.sent_evpi, &[
            ("wtp", &l.eur(self.d.wtp)), ("unit", unit), ("evpi", &l.eur_short(evpi)), ("pp", &eur_small(l, pp)),
        ])) } } } "\n" });
        let grid = self.grid();
        if !grid.is_empty() {
            let arms = self.arms();
            let evpi_at = |w: f64| self.curves.iter().find(|r| r.wtp == w).and_then(|r| r.evpi).unwrap_or(f64::NAN);
            let points: Vec<(f64, f64)> = grid.iter().map(|&w| (w, evpi_at(w))).collect();
            let max = points.iter().map(|p| p.1).filter(|v| v.is_finite()).fold(0.0, f64::max);
            let (div, money) = self.money(max);
            let curve = Curve {
                label: dt.legend_evpi.to_string(),
                colour: PALETTE[0],
                points: points.iter().map(|&(w, v)| (w, v / div)).collect(),
                marked: vec![],
            };
            let caption = fill(dt.evpi_caption, &[("area", &self.r.total_label())]);
            let x_label = fill(dt.axis_wtp, &[("unit", unit)]);
            let y_label = fill(dt.axis_evpi, &[("money", money)]);
            let frame = Frame {
                width: WIDTH,
                height: 380,
                caption: None,
                x_label: &x_label,
                y_label: &y_label,
                aria: &caption,
            };
            let curves = [curve];
            let chart = CurveChart {
                curves: &curves,
                x_unit: 1e3,
                y_scale: 1.0,
                // The EVPI is never negative: the axis starts at zero.
                y_range: Some((0.0, if max > 0.0 { max / div } else { 1.0 })),
                marker: Some((self.d.wtp, dt.legend_wtp)),
            };
            let svg = chart.draw(&frame, l)?;
            let near = self.nearest(&grid);
            let mut header = vec![
                format!("#{}", fill(dt.col_wtp, &[("unit", unit)])),
                format!("#{}", dt.col_evpi),
                format!("#{}", dt.col_evpi_pp),
            ];
            header.extend(arms.iter().map(|a| format!("#{}", fill(dt.col_loss, &[("arm", &self.arm(a))]))));
            let per_person = |x: f64| if self.total.population > 0.0 { x / self.total.population } else { f64::NAN };
            let rows: Vec<Vec<Markup>> =
                table_points(grid.len(), near)
                    .into_iter()
                    .map(|i| {
                        let w = grid[i];
                        let mut row = vec![
                            self.wtp_cell(w, Some(i) == near),
                            text(&l.eur_short(evpi_at(w))),
                            text(&eur_small(l, per_person(evpi_at(w)))),
                        ];
                        row.extend(arms.iter().map(|a| {
                            text(&l.eur_short(self.row(w, a).and_then(|r| r.expected_loss).unwrap_or(f64::NAN)))
                        }));
                        row
                    })
                    .collect();
            let tab = table("", &header.iter().map(String::as_str).collect::<Vec<_>>(), &rows);
            h.push(figure("evpi", &svg, &caption, Some(&tab), t.table_alt));
            h.push(para(dt.loss_note));
        }
        // Per area: the optimal arm, how often it is best, and the EVPI.
        h.push(heading(4, dt.per_area_title));
        h.push(para(dt.per_area_intro));
        let header = [
            t.col_area.to_string(),
            format!("#{}", dt.col_population),
            dt.col_optimal.to_string(),
            format!("#{}", dt.col_p_optimal),
            format!("#{}", dt.col_evpi),
            format!("#{}", dt.col_evpi_pp),
        ];
        let rows: Vec<Vec<Markup>> = self
            .d
            .areas
            .iter()
            .map(|(name, a)| {
                let p = self.p_best(name, &a.optimal, a.p_optimal).map_or(f64::NAN, |p| p.0);
                vec![
                    text(&self.r.area_label(name)),
                    text(&l.num(a.population, 0)),
                    text(&self.arm(&a.optimal)),
                    text(&l.share(p)),
                    text(&l.eur_short(a.evpi.unwrap_or(f64::NAN))),
                    text(&eur_small(l, a.evpi_per_person.unwrap_or(f64::NAN))),
                ]
            })
            .collect();
        h.push(table("", &header.iter().map(String::as_str).collect::<Vec<_>>(), &rows));
        Ok(())
    }

    /// The EVPPI columns of one row: estimate, standard error, per person and note.
    fn evppi_cells(&self, e: &EvppiFile) -> Vec<Markup> {
        let l = self.l();
        vec![
            text(&l.eur_short(e.evppi.unwrap_or(f64::NAN))),
            text(&l.eur_short(e.se.unwrap_or(f64::NAN))),
            text(&eur_small(l, e.per_person.unwrap_or(f64::NAN))),
            e.warning.as_deref().map_or(text(""), quoted),
        ]
    }

    /// 4. The EVPPI per parameter group (chart and table) and the top single parameters.
    fn evppi(&self, h: &mut Html) -> Result<(), ReportError> {
        let (dt, l, t) = (self.dt, self.l(), self.r.t);
        h.push(heading(3, dt.evppi_title));
        h.push(para(&fill(dt.evppi_intro, &[("area", &self.r.total_label())])));
        let by_value = |a: &&EvppiFile, b: &&EvppiFile| {
            let v = |e: &EvppiFile| e.evppi.filter(|x| x.is_finite()).unwrap_or(f64::NEG_INFINITY);
            v(b).total_cmp(&v(a)).then_with(|| a.name.cmp(&b.name))
        };
        let mut groups: Vec<&EvppiFile> = self.total.evppi.iter().filter(|e| e.kind == "group").collect();
        groups.sort_by(by_value);
        if groups.is_empty() {
            h.push(muted_markup(with_code(dt.evppi_no_groups, &[("key", "[[parameter_group]]")])));
        } else {
            let header = [
                dt.col_group.to_string(),
                dt.col_parameters.to_string(),
                format!("#{}", dt.col_evppi),
                format!("#{}", dt.col_se),
                format!("#{}", dt.col_per_person),
                dt.col_note.to_string(),
            ];
            let rows: Vec<Vec<Markup>> = groups
                .iter()
                .map(|e| {
                    let mut row = vec![mono(&e.name), mono(&e.parameters.join(", "))];
                    row.extend(self.evppi_cells(e));
                    row
                })
                .collect();
            let tab = table("evppi", &header.iter().map(String::as_str).collect::<Vec<_>>(), &rows);
            let estimated = groups.iter().any(|e| e.evppi.is_some_and(f64::is_finite));
            if estimated {
                let evpi = self.total.evpi.unwrap_or(f64::NAN);
                let bars: Vec<IntervalBar> = groups
                    .iter()
                    .map(|e| {
                        let v = e.evppi.unwrap_or(f64::NAN);
                        let interval = e.se.filter(|s| s.is_finite()).map(|s| (v - Z95 * s, v + Z95 * s));
                        IntervalBar { label: e.name.clone(), values: vec![(v, interval)] }
                    })
                    .collect();
                let max = bars
                    .iter()
                    .flat_map(|b| b.values.iter().map(|(v, i)| i.map_or(*v, |i| i.1)))
                    .chain([evpi])
                    .filter(|v| v.is_finite())
                    .fold(0.0, f64::max);
                let (unit, money) = self.money(max);
                let caption = fill(dt.evppi_caption, &[("area", &self.r.total_label())]);
                let x_label = fill(dt.axis_evppi, &[("money", money)]);
                let height = 90 + 30 * bars.len() as u32;
                let frame =
                    Frame { width: WIDTH, height, caption: None, x_label: &x_label, y_label: "", aria: &caption };
                let series = [(dt.legend_evppi, PALETTE[0])];
                let reference = evpi.is_finite().then_some((evpi, dt.legend_evpi));
                let svg = IntervalBars { rows: &bars, series: &series, unit, reference }.draw(&frame, l)?;
                h.push(figure("evppi", &svg, &caption, Some(&tab), t.table_alt));
            } else {
                h.push(muted(dt.evppi_none));
                h.push(tab);
            }
        }
        let mut singles: Vec<&EvppiFile> =
            self.total.evppi.iter().filter(|e| e.kind == "parameter" && e.evppi.is_some_and(f64::is_finite)).collect();
        singles.sort_by(by_value);
        singles.truncate(TOP_SINGLES);
        if !singles.is_empty() {
            h.push(heading(4, dt.singles_title));
            h.push(para(dt.singles_intro));
            let header = [
                dt.col_parameter.to_string(),
                format!("#{}", dt.col_evppi),
                format!("#{}", dt.col_se),
                format!("#{}", dt.col_per_person),
                dt.col_note.to_string(),
            ];
            let rows: Vec<Vec<Markup>> = singles
                .iter()
                .map(|e| {
                    let mut row = vec![mono(&e.name)];
                    row.extend(self.evppi_cells(e));
                    row
                })
                .collect();
            h.push(table("evppi", &header.iter().map(String::as_str).collect::<Vec<_>>(), &rows));
        }
        Ok(())
    }

    /// 5. The Sobol indices per scenario at the city total, or how to add them.
    fn sobol(&self, h: &mut Html) -> Result<(), ReportError> {
        let (dt, r) = (self.dt, self.r);
        h.push(heading(3, dt.sobol_title));
        h.push(para(dt.sobol_intro));
        let Some(s) = &r.data.sobol else {
            let run = r.data.dir.file_name().map_or("RUN".into(), |n| n.to_string_lossy().to_string());
            let sobol = format!("wijkimpact sobol {} --base-samples 2000 --out sobol", r.input_name());
            let report = format!("wijkimpact report {run} --sobol sobol");
            h.push(html! { p { (with_code(dt.sobol_missing, &[("sobol", &sobol), ("report", &report)])) } "\n" });
            return Ok(());
        };
        let l = self.l();
        h.push(muted(&fill(
            dt.sobol_settings,
            &[
                ("runs", &l.num(s.runs as f64, 0)),
                ("n", &l.num(s.base_samples as f64, 0)),
                ("seed", &s.seed.to_string()),
                ("bootstrap", &l.num(s.bootstrap as f64, 0)),
            ],
        )));
        for (scenario, areas) in &s.scenarios {
            h.push(heading(4, scenario));
            match areas.get(TOTAL_AREA) {
                Some(a) if a.note.is_none() && !a.factors.is_empty() => self.sobol_chart(h, s, scenario, a)?,
                Some(a) => match &a.note {
                    Some(n) if !n.contains("does not vary") => {
                        h.push(html! { p.muted { (dt.engine_note) " " (quoted(n)) } "\n" })
                    }
                    _ => h.push(muted(dt.sobol_constant)),
                },
                None => h.push(muted(dt.sobol_constant)),
            }
        }
        Ok(())
    }

    /// One scenario's Sobol indices: a chart of both indices per factor, largest total first, and its table.
    fn sobol_chart(&self, h: &mut Html, s: &SobolFile, scenario: &str, a: &SobolArea) -> Result<(), ReportError> {
        let (dt, l, t) = (self.dt, self.l(), self.r.t);
        let mut rows: Vec<_> = a.factors.iter().collect();
        let key = |x: Option<f64>| x.filter(|v| v.is_finite()).unwrap_or(f64::NEG_INFINITY);
        rows.sort_by(|x, y| key(y.total).total_cmp(&key(x.total)).then_with(|| x.factor.cmp(&y.factor)));
        let interval = |i: [Option<f64>; 2]| match i {
            [Some(a), Some(b)] => Some((a, b)),
            _ => None,
        };
        let bars: Vec<IntervalBar> = rows
            .iter()
            .map(|x| IntervalBar {
                label: x.factor.clone(),
                values: vec![
                    (x.first.unwrap_or(f64::NAN), interval(x.first_interval)),
                    (x.total.unwrap_or(f64::NAN), interval(x.total_interval)),
                ],
            })
            .collect();
        let caption = fill(dt.sobol_caption, &[("scenario", scenario), ("area", &self.r.total_label())]);
        let height = 90 + 40 * bars.len() as u32;
        let frame = Frame { width: WIDTH, height, caption: None, x_label: dt.axis_sobol, y_label: "", aria: &caption };
        let series = [(dt.legend_first, PALETTE[4]), (dt.legend_total, PALETTE[0])];
        let svg = IntervalBars { rows: &bars, series: &series, unit: 1.0, reference: None }.draw(&frame, l)?;
        let index = |v: Option<f64>, i: [Option<f64>; 2]| {
            let n = |x: Option<f64>| l.num(x.unwrap_or(f64::NAN), 2);
            format!("{} ({} – {})", n(v), n(i[0]), n(i[1]))
        };
        let parameters = |name: &str| {
            let ps = s.factors.iter().find(|f| f.name == name).map_or(&[][..], |f| &f.parameters[..]);
            let mut shown = ps.iter().take(FACTOR_PARAMETERS).cloned().collect::<Vec<_>>().join(", ");
            if ps.len() > FACTOR_PARAMETERS {
                shown.push_str(&format!(", … (+{})", ps.len() - FACTOR_PARAMETERS));
            }
            shown
        };
        let header = [
            dt.col_factor.to_string(),
            dt.col_parameters.to_string(),
            format!("#{}", dt.col_first),
            format!("#{}", dt.col_total),
        ];
        let cells: Vec<Vec<Markup>> = rows
            .iter()
            .map(|x| {
                vec![
                    mono(&x.factor),
                    mono(&parameters(&x.factor)),
                    text(&index(x.first, x.first_interval)),
                    text(&index(x.total, x.total_interval)),
                ]
            })
            .collect();
        let tab = table("evppi", &header.iter().map(String::as_str).collect::<Vec<_>>(), &cells);
        h.push(figure("sobol", &svg, &caption, Some(&tab), t.table_alt));
        Ok(())
    }
}

/// A muted paragraph of markup.
fn muted_markup(m: Markup) -> Markup {
    html! { p.muted { (m) } "\n" }
}

#[cfg(test)]
mod tests;
