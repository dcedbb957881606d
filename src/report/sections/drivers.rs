//! Section 5, What drives the result: a tornado of the one-way sensitivity per scenario.

use super::Report;
use crate::render::charts::{self, Frame, TornadoBar};
use crate::render::format::sig_decimals;
use crate::render::html::{figure, heading, mono, muted, para, table, text, Html, Markup};
use crate::report::data::SensitivityRow;
use crate::report::ReportError;
use crate::summary::TOTAL_AREA;

/// Parameters shown in each tornado chart.
const TOP_PARAMETERS: usize = 10;

fn swing(r: &SensitivityRow) -> f64 {
    (r.npv_high.unwrap_or(f64::NAN) - r.npv_low.unwrap_or(f64::NAN)).abs()
}

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) -> Result<(), ReportError> {
    let t = r.t;
    h.push(para(t.drivers_intro));
    let Some(rows) = &r.data.sensitivity else {
        h.push(muted(t.drivers_missing));
        return Ok(());
    };
    for name in r.data.summary.scenarios.keys() {
        h.push(heading(3, name));
        let mut mine: Vec<&SensitivityRow> =
            rows.iter().filter(|r| r.scenario == *name && r.area == TOTAL_AREA).collect();
        mine.retain(|r| swing(r) > 0.5);
        mine.sort_by(|a, b| swing(b).total_cmp(&swing(a)).then_with(|| a.parameter.cmp(&b.parameter)));
        mine.truncate(TOP_PARAMETERS);
        if mine.is_empty() {
            h.push(muted(t.drivers_none));
            continue;
        }
        tornado(r, h, name, &mine)?;
    }
    Ok(())
}

/// The tornado of one scenario's parameters, largest swing first, with its table.
fn tornado(r: &Report<'_>, h: &mut Html, name: &str, mine: &[&SensitivityRow]) -> Result<(), ReportError> {
    let (t, l) = (r.t, r.lang);
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
    let height = 90 + 34 * bars.len() as u32;
    let frame = Frame { width: 980, height, caption: None, x_label: t.axis_tornado, y_label: "", aria: &caption };
    let svg = charts::tornado(&frame, &bars, base, 1e6, (t.legend_low, t.legend_high), l)?;
    let num = |x: Option<f64>| x.map_or("–".into(), |v| l.num(v, sig_decimals(v)));
    let rows: Vec<Vec<Markup>> = mine
        .iter()
        .map(|r| {
            vec![
                mono(&r.parameter),
                text(&num(r.value_low)),
                text(&num(r.value_high)),
                text(&l.eur_short(r.npv_low.unwrap_or(f64::NAN))),
                text(&l.eur_short(r.npv_high.unwrap_or(f64::NAN))),
                text(&l.eur_short(swing(r))),
            ]
        })
        .collect();
    let numeric =
        [t.col_value_low, t.col_value_high, t.col_npv_low, t.col_npv_high, t.col_swing].map(|c| format!("#{c}"));
    let mut header = vec![t.col_parameter];
    header.extend(numeric.iter().map(String::as_str));
    let tab = table("", &header, &rows);
    h.push(figure("tornado", &svg, &caption, Some(&tab), t.table_alt));
    Ok(())
}
