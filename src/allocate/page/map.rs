//! Section 2, "Waar gaat het geld heen": the stadsdelen of Nijmegen in a grid
//! placed roughly as on the map (north on top, Noord across the Waal), each with the
//! money of the recommended portfolio, its options and its equity weight.
//! Areas that are not stadsdelen of Nijmegen follow in a plain row.

use super::Page;
use crate::allocate::result::OptionResult;
use crate::render::html::{html, para, Markup};
use crate::render::text::fill;

/// Grid place of each stadsdeel: (row, first column, columns spanned). Row 2 is the Waal.
const PLACES: [(&str, u8, u8, u8); 9] = [
    ("Noord", 1, 2, 2),
    ("Nieuw-West", 3, 1, 1),
    ("Oud-West", 3, 2, 1),
    ("Centrum", 3, 3, 1),
    ("Oost", 3, 4, 1),
    ("Lindenholt", 4, 1, 1),
    ("Midden", 4, 2, 1),
    ("Zuid", 4, 3, 2),
    ("Dukenburg", 5, 1, 2),
];

/// The grid place of `area`, if it is a stadsdeel of Nijmegen.
fn place(area: &str) -> Option<(u8, u8, u8)> {
    PLACES.iter().find(|p| p.0.eq_ignore_ascii_case(area.trim())).map(|p| (p.1, p.2, p.3))
}

/// The calendar years in which `cost` is positive, as `2026–2034`.
fn year_span(years: &[i32], cost: &[f64]) -> Option<String> {
    let with: Vec<i32> = years.iter().zip(cost).filter(|(_, c)| **c > 0.0).map(|(y, _)| *y).collect();
    match (with.first(), with.last()) {
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
        _ => None,
    }
}

/// The section.
pub(super) fn map(p: &Page) -> Markup {
    let (r, t, l) = (p.r, p.t, p.l);
    let pf = &r.recommended;
    let chosen = p.options_of(pf);
    let peaks: Vec<f64> = r.areas.iter().map(|a| p.peak_in(&chosen, Some(a))).collect();
    let max_peak = peaks.iter().copied().fold(0.0, f64::max);
    let span =
        year_span(&r.years, &pf.cost_per_year).map_or_else(|| "alle jaren".to_string(), |s| format!("de jaren {s}"));
    let mut intro = fill(t.map_intro, &[("years", &span)]);
    if let Some(e) = &r.equity {
        intro = format!("{intro} {}", fill(t.map_equity, &[("indicator", &e.indicator)]));
    }
    let cell = |a: usize, style: String| -> Markup {
        let name = &r.areas[a];
        let here: Vec<&OptionResult> = chosen.iter().copied().filter(|o| &o.area == name).collect();
        let peak = peaks[a];
        let share = if max_peak > 0.0 { peak / max_peak } else { 0.0 };
        let shade = format!("background: rgba(0, 114, 178, {:.3});", 0.04 + 0.32 * share);
        let total = pf.spend_by_area.get(a).copied().unwrap_or(0.0);
        let weight = (r.options.iter().find(|o| &o.area == name).map(|o| o.weight))
            .or_else(|| r.equity.as_ref().and_then(|e| e.relative_need.get(a).map(|x| x.powf(e.eta))));
        html! {
            div.area style={ (style) (shade) } {
                h3 { (name) }
                @if peak > 0.0 || total > 0.0 {
                    span.money { (fill(t.per_year, &[("eur", &p.eur(peak))])) }
                    span.bar aria-hidden="true" { span style={ "width:" (format!("{:.1}", share * 100.0)) "%" } {} }
                    span.muted { (fill(t.total, &[("eur", &p.eur(total))])) }
                } @else {
                    span.nomoney { (t.no_money) }
                }
                @if !here.is_empty() {
                    ul { @for o in &here { li { (p.option_title(o)) } } }
                }
                @if let Some(e) = &r.equity {
                    div.equity { (fill(t.need_weight, &[
                        ("need", &l.num_trimmed(e.need.get(a).copied().unwrap_or(f64::NAN), 2)),
                        ("weight", &l.num(weight.unwrap_or(f64::NAN), 2)),
                    ])) }
                }
            }
            "\n"
        }
    };
    let on_map: Vec<(usize, (u8, u8, u8))> =
        (0..r.areas.len()).filter_map(|a| Some((a, place(&r.areas[a])?))).collect();
    let others: Vec<usize> = (0..r.areas.len()).filter(|&a| place(&r.areas[a]).is_none()).collect();
    let has_noord = on_map.iter().any(|(_, (row, _, _))| *row == 1);
    html! {
        (para(&intro))
        @if !on_map.is_empty() {
            div.map {
                "\n"
                div.compass style="grid-row: 1; grid-column: 4;" { (t.north) } "\n"
                @if has_noord { div.river style="grid-row: 2;" { (t.river) } "\n" }
                @for (a, (row, col, span)) in &on_map {
                    (cell(*a, format!("grid-row: {row}; grid-column: {col} / span {span}; ")))
                }
            }
            "\n"
        }
        @if !others.is_empty() {
            @if !on_map.is_empty() { h3 { (t.map_other) } "\n" }
            div.other-areas { "\n" @for a in &others { (cell(*a, String::new())) } }
            "\n"
        }
    }
}
