//! The report's charts as inline SVG, drawn with `plotters`' SVG backend (no
//! fonts or scripts needed at view time: text is SVG `<text>` in the reader's
//! sans-serif font).
//!
//! Colours come from the Okabe–Ito palette, which stays distinguishable for the
//! common forms of colour blindness; every chart also has a table alternative
//! in the report, so no number depends on colour alone.

use super::text::Lang;
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(crate) mod allocation;
mod decision;
pub(crate) use decision::{Curve, CurveChart, IntervalBar, IntervalBars};

/// Okabe–Ito: blue, orange, bluish green, vermillion, sky blue, reddish purple,
/// yellow, black; then darker tints for more than eight series.
#[rustfmt::skip]
pub(crate) const PALETTE: [RGBColor; 12] = [
    hex(0x0072B2), hex(0xE69F00), hex(0x009E73), hex(0xD55E00),
    hex(0x56B4E9), hex(0xCC79A7), hex(0xF0E442), hex(0x333333),
    hex(0x004B75), hex(0x996B00), hex(0x006B4E), hex(0x8F3F00),
];

/// A colour written as its web hex code, as palettes are published.
const fn hex(rgb: u32) -> RGBColor {
    RGBColor((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}
/// The nulalternatief is always grey.
pub(crate) const BASELINE: RGBColor = RGBColor(0x80, 0x80, 0x80);
/// The scenario in fan charts.
pub(crate) const SCENARIO: RGBColor = PALETTE[0];
/// Losses / parameter at P5 (vermillion) and gains / parameter at P95 (blue).
pub(crate) const NEGATIVE: RGBColor = PALETTE[3];
pub(crate) const POSITIVE: RGBColor = PALETTE[0];

const FONT: &str = "sans-serif";

/// A chart could not be drawn (plotters' error, as text). Public because the
/// report and the claim page return it when one of their charts fails.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the {chart} chart: {reason}")]
pub struct ChartError {
    /// Which chart failed (e.g. `histogram`, `tornado`), for the message.
    pub chart: &'static str,
    /// plotters' error, formatted with `Debug`.
    pub reason: String,
}

fn err<E: std::fmt::Debug>(chart: &'static str) -> impl Fn(E) -> ChartError {
    move |e| ChartError { chart, reason: format!("{e:?}") }
}

/// A chart of `frame`'s size on a white background, as a finished SVG
/// string: `draw` fills the drawing area (every chart starts and ends the same way).
fn svg_chart(
    frame: &Frame<'_>,
    chart: &'static str,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (frame.width, frame.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err(chart))?;
        draw(&root)?;
        root.present().map_err(err(chart))?;
    }
    Ok(finish_svg(svg, frame.aria))
}

/// Mark the SVG as an image with a text label for screen readers, and let it
/// scale with the page.
fn finish_svg(svg: String, label: &str) -> String {
    let label = super::html::esc(label);
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}\" class=\"chart-svg\" "), 1)
}

/// Pad a value range so that nothing touches the frame, and never collapse to
/// a point.
fn padded(lo: f64, hi: f64, include_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let span = hi - lo;
    let pad = if span > 0.0 { span * 0.06 } else { lo.abs().max(1.0) * 0.1 };
    (lo - pad, hi + pad)
}

/// A chart builder on `root` with `margin`, label areas of `areas` (x, y)
/// pixels and `frame`'s caption, if any, at `caption_size`.
fn builder<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    frame: &Frame<'_>,
    margin: u32,
    areas: (u32, u32),
    caption_size: u32,
) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut b = ChartBuilder::on(root);
    b.margin(margin).x_label_area_size(areas.0).y_label_area_size(areas.1);
    if let Some(c) = frame.caption {
        b.caption(c, (FONT, caption_size));
    }
    b
}

/// The axes every chart shares: no light grid lines, `ticks` (x, y) labels,
/// `frame`'s axis descriptions (the y one only when given) in `font` pixels.
fn axes<X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &mut MeshStyle<'_, '_, X, Y, DB>,
    frame: &Frame<'_>,
    ticks: (usize, usize),
    font: u32,
) {
    mesh.max_light_lines(0)
        .x_labels(ticks.0)
        .y_labels(ticks.1)
        .x_desc(frame.x_label)
        .label_style((FONT, font))
        .axis_desc_style((FONT, font));
    if !frame.y_label.is_empty() {
        mesh.y_desc(frame.y_label);
    }
}

/// The legend box at `position` on a white background of opacity `background`.
fn legend_box<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    background: f64,
    font: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(background))
        .border_style(BLACK.mix(0.3))
        .label_font((FONT, font))
        .draw()
}

/// A square legend swatch in `colour`, for bar series.
fn swatch(colour: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
}

/// The axes of a histogram: values on x with `decimals` decimals, whole
/// counts of draws on y; `style` is (x ticks, font size).
fn count_axes(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    frame: &Frame<'_>,
    style: (usize, u32),
    lang: Lang,
    decimals: usize,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let mut mesh = chart.configure_mesh();
    axes(&mut mesh, frame, (style.0, 5), style.1);
    mesh.x_label_formatter(&|x| lang.num(*x, decimals)).y_label_formatter(&|y| format!("{:.0}", y)).draw()
}

/// One fan: a median line with a P25–P75 and a P5–P95 band per year.
pub(crate) struct Fan {
    pub(crate) label: String,
    pub(crate) colour: RGBColor,
    pub(crate) p5: Vec<f64>,
    pub(crate) p25: Option<Vec<f64>>,
    pub(crate) p50: Vec<f64>,
    pub(crate) p75: Option<Vec<f64>>,
    pub(crate) p95: Vec<f64>,
}

/// An observed figure on a fan chart: a black dot at `value` with a vertical
/// bar over its sampling interval `lo`–`hi` (none when both are `None`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ObservedPoint {
    pub(crate) year: i32,
    pub(crate) value: f64,
    pub(crate) lo: Option<f64>,
    pub(crate) hi: Option<f64>,
}

/// The observed dots and their bars.
pub(crate) const OBSERVED: RGBColor = RGBColor(0, 0, 0);

/// Size and labels of a chart.
pub(crate) struct Frame<'a> {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) caption: Option<&'a str>,
    pub(crate) x_label: &'a str,
    pub(crate) y_label: &'a str,
    /// Accessible name of the SVG.
    pub(crate) aria: &'a str,
}

/// A fan chart over years: `fans` with `points` over them; `scale`
/// multiplies every value (100 for percentages). `zero` draws (and includes)
/// the zero line, for differences. `points` are observed figures, drawn over
/// the fans as black dots with their sampling interval as a vertical bar, with
/// a legend entry of their own.
#[derive(Clone, Copy)]
pub(crate) struct FanChart<'a> {
    pub(crate) years: &'a [i32],
    pub(crate) fans: &'a [Fan],
    pub(crate) points: &'a [ObservedPoint],
    pub(crate) scale: f64,
    pub(crate) zero: bool,
}

impl FanChart<'_> {
    /// The chart as SVG.
    pub(crate) fn draw(&self, frame: &Frame<'_>, lang: Lang) -> Result<String, ChartError> {
        fan_chart(frame, self, lang)
    }
}

fn fan_chart(frame: &Frame<'_>, c: &FanChart<'_>, lang: Lang) -> Result<String, ChartError> {
    let FanChart { years, fans, points, scale, zero } = *c;
    let e = err("fan");
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let point_values = points.iter().flat_map(|p| [Some(p.value), p.lo, p.hi]).flatten();
    for v in fans.iter().flat_map(|f| f.p5.iter().chain(&f.p95).chain(&f.p50).copied()).chain(point_values) {
        if v.is_finite() {
            lo = lo.min(v * scale);
            hi = hi.max(v * scale);
        }
    }
    let (lo, hi) = padded(lo, hi, zero);
    let (x0, x1) = (f64::from(years[0]), f64::from(*years.last().unwrap_or(&years[0])));
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let small = frame.width < 400;
    // Head room for the legend, so that it never hides an observation or its interval.
    let hi = if !small && !points.is_empty() { hi + (hi - lo) * 0.25 } else { hi };
    svg_chart(frame, "fan", |root| {
        let (margin, areas, caption) = if small { (6, (30, 48), 13) } else { (10, (40, 64), 16) };
        let mut chart = builder(root, frame, margin, areas, caption).build_cartesian_2d(x0..x1, lo..hi).map_err(&e)?;
        let decimals = tick_decimals(hi - lo);
        let mut mesh = chart.configure_mesh();
        axes(&mut mesh, frame, if small { (4, 4) } else { (8, 6) }, if small { 10 } else { 12 });
        mesh.x_label_formatter(&|x| format!("{:.0}", x))
            .y_label_formatter(&|y| lang.num(*y, decimals))
            .draw()
            .map_err(&e)?;
        if zero {
            chart.draw_series(LineSeries::new(vec![(x0, 0.0), (x1, 0.0)], BLACK.stroke_width(1))).map_err(&e)?;
        }
        let xs: Vec<f64> = years.iter().map(|&y| f64::from(y)).collect();
        let band = |lower: &[f64], upper: &[f64]| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> = xs.iter().zip(upper).map(|(&x, &v)| (x, v * scale)).collect();
            pts.extend(xs.iter().zip(lower).rev().map(|(&x, &v)| (x, v * scale)));
            pts.retain(|p| p.1.is_finite());
            pts
        };
        for f in fans {
            let c = f.colour;
            chart.draw_series(std::iter::once(Polygon::new(band(&f.p5, &f.p95), c.mix(0.18).filled()))).map_err(&e)?;
            if let (Some(p25), Some(p75)) = (&f.p25, &f.p75) {
                chart.draw_series(std::iter::once(Polygon::new(band(p25, p75), c.mix(0.35).filled()))).map_err(&e)?;
            }
            let line: Vec<(f64, f64)> =
                xs.iter().zip(&f.p50).map(|(&x, &v)| (x, v * scale)).filter(|p| p.1.is_finite()).collect();
            chart
                .draw_series(LineSeries::new(line, c.stroke_width(2)))
                .map_err(&e)?
                .label(f.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(3)));
        }
        let points: Vec<&ObservedPoint> = points.iter().filter(|p| p.value.is_finite()).collect();
        let radius = if small { 3 } else { 4 };
        let cap = if small { 3 } else { 4 };
        for p in &points {
            let (Some(a), Some(b)) = (p.lo, p.hi) else { continue };
            if !(a.is_finite() && b.is_finite() && b > a) {
                continue;
            }
            // A vertical bar over the interval with a short cap (in pixels) at each end.
            let x = f64::from(p.year);
            let bar = OBSERVED.stroke_width(2);
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(x, a * scale), (x, b * scale)], bar)))
                .map_err(&e)?;
            chart
                .draw_series(
                    [a, b]
                        .into_iter()
                        .map(|v| EmptyElement::at((x, v * scale)) + PathElement::new(vec![(-cap, 0), (cap, 0)], bar)),
                )
                .map_err(&e)?;
        }
        if !points.is_empty() {
            chart
                .draw_series(
                    points.iter().map(|p| Circle::new((f64::from(p.year), p.value * scale), radius, OBSERVED.filled())),
                )
                .map_err(&e)?
                .label(lang.texts().observed)
                .legend(move |(x, y)| Circle::new((x + 8, y), radius, OBSERVED.filled()));
        }
        if !small && (fans.len() > 1 || !points.is_empty()) {
            legend_box(&mut chart, SeriesLabelPosition::UpperLeft, 0.85, 12).map_err(&e)?;
        }
        Ok(())
    })
}

/// Decimals for tick labels given the span of the axis.
fn tick_decimals(span: f64) -> usize {
    if span >= 10.0 {
        0
    } else if span >= 1.0 {
        1
    } else if span >= 0.1 {
        2
    } else {
        3
    }
}

/// The bins of a histogram: `edges` (one more than `counts`), values divided
/// by `unit` on the axis (1e6 for € mln).
#[derive(Clone, Copy)]
pub(crate) struct Bins<'a> {
    pub(crate) edges: &'a [f64],
    pub(crate) counts: &'a [u64],
    pub(crate) unit: f64,
}

/// Histogram of a metric (bins in `edges`, counts per bin), values divided by
/// `unit` (1e6 for € mln), with a vertical line at zero. Bins below zero are
/// drawn in [`NEGATIVE`], the rest in [`POSITIVE`].
pub(crate) fn histogram(
    frame: &Frame<'_>,
    bins: Bins<'_>,
    legend: (&str, &str),
    lang: Lang,
) -> Result<String, ChartError> {
    let Bins { edges, counts, unit } = bins;
    let e = err("histogram");
    let xs: Vec<f64> = edges.iter().map(|x| x / unit).collect();
    let (lo, hi) = padded(xs[0], *xs.last().unwrap_or(&xs[0]), true);
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
    svg_chart(frame, "histogram", |root| {
        let mut chart = builder(root, frame, 10, (40, 56), 16).build_cartesian_2d(lo..hi, 0f64..top).map_err(&e)?;
        count_axes(&mut chart, frame, (8, 12), lang, tick_decimals(hi - lo)).map_err(&e)?;
        let bins: Vec<(f64, f64, f64)> =
            xs.windows(2).zip(counts).map(|(w, &c)| (w[0], w[1], c as f64)).filter(|b| b.2 > 0.0).collect();
        let (neg, pos): (Vec<_>, Vec<_>) = bins.into_iter().partition(|b| (b.0 + b.1) / 2.0 < 0.0);
        for (bins, colour, label) in [(neg, NEGATIVE, legend.0), (pos, POSITIVE, legend.1)] {
            if bins.is_empty() {
                continue;
            }
            chart
                .draw_series(
                    bins.into_iter().map(|(a, b, c)| {
                        Rectangle::new([(a, 0.0), (b, c)], ShapeStyle::from(colour.mix(0.85)).filled())
                    }),
                )
                .map_err(&e)?
                .label(label)
                .legend(swatch(colour));
        }
        chart.draw_series(LineSeries::new(vec![(0.0, 0.0), (0.0, top)], BLACK.stroke_width(2))).map_err(&e)?;
        legend_box(&mut chart, SeriesLabelPosition::UpperRight, 0.85, 12).map_err(&e)?;
        Ok(())
    })
}

/// Below the claim (light grey) and at or above it (blue) in
/// [`claim_histogram`]: apart in hue and in lightness, so also in grey print.
pub(crate) const CLAIM_BELOW: RGBColor = RGBColor(0xB4, 0xB4, 0xB4);
pub(crate) const CLAIM_REACHED: RGBColor = PALETTE[0];

/// Histogram of a claimed figure's simulated values (bins in `edges`, counts
/// per bin, values divided by `unit`) with a vertical line at `claimed`
/// labelled `legend.2`. Draws below the claim are drawn in [`CLAIM_BELOW`],
/// those at or above it in [`CLAIM_REACHED`]; a bin that straddles the claim is
/// split at it. The x axis always includes the claim, however far outside the
/// simulated values it lies. `legend` is (below, reached, claim line).
pub(crate) fn claim_histogram(
    frame: &Frame<'_>,
    bins: Bins<'_>,
    claimed: f64,
    legend: (&str, &str, &str),
    lang: Lang,
) -> Result<String, ChartError> {
    let Bins { edges, counts, unit } = bins;
    let e = err("claim histogram");
    if counts.is_empty() || edges.len() != counts.len() + 1 || !claimed.is_finite() {
        return Err(ChartError {
            chart: "claim histogram",
            reason: format!("{} edges for {} counts, claim {claimed}", edges.len(), counts.len()),
        });
    }
    let xs: Vec<f64> = edges.iter().map(|x| x / unit).collect();
    let c = claimed / unit;
    let (lo, hi) = padded(xs[0].min(c), xs[xs.len() - 1].max(c), false);
    // Head room above the tallest bar for the legend and the claim's label.
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.45;
    let mut below = vec![];
    let mut reached = vec![];
    for (w, &n) in xs.windows(2).zip(counts) {
        let (a, b, n) = (w[0], w[1], n as f64);
        if n <= 0.0 {
            continue;
        }
        if b <= c {
            below.push((a, b, n));
        } else if a >= c {
            reached.push((a, b, n));
        } else {
            below.push((a, c, n));
            reached.push((c, b, n));
        }
    }
    // The claim's label goes on the side of the line with more room, the legend on the other.
    let label_left = c > (lo + hi) / 2.0;
    svg_chart(frame, "claim histogram", |root| {
        let mut chart = builder(root, frame, 10, (44, 60), 16).build_cartesian_2d(lo..hi, 0f64..top).map_err(&e)?;
        count_axes(&mut chart, frame, (6, 14), lang, tick_decimals(hi - lo)).map_err(&e)?;
        for (bins, colour, label) in [(below, CLAIM_BELOW, legend.0), (reached, CLAIM_REACHED, legend.1)] {
            if bins.is_empty() {
                continue;
            }
            chart
                .draw_series(bins.into_iter().map(|(a, b, n)| {
                    Rectangle::new([(a, 0.0), (b, n)], ShapeStyle::from(colour).filled().stroke_width(0))
                }))
                .map_err(&e)?
                .label(label)
                .legend(swatch(colour));
        }
        chart
            .draw_series(LineSeries::new(vec![(c, 0.0), (c, top)], BLACK.stroke_width(2)))
            .map_err(&e)?
            .label(legend.2)
            .legend(|(x, y)| PathElement::new(vec![(x + 6, y - 7), (x + 6, y + 7)], BLACK.stroke_width(2)));
        let (h, dx) = if label_left { (HPos::Right, -6) } else { (HPos::Left, 6) };
        let style = TextStyle::from((FONT, 14).into_font().style(FontStyle::Bold)).pos(Pos::new(h, VPos::Top));
        let at = chart.backend_coord(&(c, top));
        root.draw(&Text::new(legend.2.to_string(), (at.0 + dx, at.1 + 4), style)).map_err(&e)?;
        let position = if label_left { SeriesLabelPosition::UpperLeft } else { SeriesLabelPosition::UpperRight };
        legend_box(&mut chart, position, 0.85, 13).map_err(&e)?;
        Ok(())
    })
}

/// One series of a stacked bar chart.
pub(crate) struct Stack {
    pub(crate) label: String,
    pub(crate) colour: RGBColor,
    /// One value per year (positive above, negative below the zero line).
    pub(crate) values: Vec<f64>,
}

/// Stacked bars per year: positive values stack upwards from zero, negative
/// ones downwards, in series order. Values are divided by `unit`.
pub(crate) fn stacked_bars(
    frame: &Frame<'_>,
    years: &[i32],
    stacks: &[Stack],
    unit: f64,
    lang: Lang,
) -> Result<String, ChartError> {
    let e = err("stacked bar");
    let n = years.len();
    let mut up = vec![0.0; n];
    let mut down = vec![0.0; n];
    let mut rects: Vec<Vec<[(f64, f64); 2]>> = vec![vec![]; stacks.len()];
    for (s, st) in stacks.iter().enumerate() {
        for t in 0..n {
            let v = st.values.get(t).copied().unwrap_or(0.0) / unit;
            if !v.is_finite() || v == 0.0 {
                continue;
            }
            let x = f64::from(years[t]);
            let (base, acc) = if v > 0.0 { (up[t], &mut up[t]) } else { (down[t], &mut down[t]) };
            *acc += v;
            rects[s].push([(x - 0.38, base), (x + 0.38, base + v)]);
        }
    }
    let lo = down.iter().copied().fold(0.0, f64::min);
    let hi = up.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = padded(lo, hi, true);
    svg_chart(frame, "stacked bar", |root| {
        let x0 = f64::from(years[0]) - 0.6;
        let x1 = f64::from(years[n - 1]) + 0.6;
        let mut chart = builder(root, frame, 10, (40, 72), 16).build_cartesian_2d(x0..x1, lo..hi).map_err(&e)?;
        let decimals = tick_decimals(hi - lo);
        let mut mesh = chart.configure_mesh();
        axes(&mut mesh, frame, (n.min(16), 6), 12);
        mesh.x_label_formatter(&|x| format!("{:.0}", x))
            .y_label_formatter(&|y| lang.num(*y, decimals))
            .draw()
            .map_err(&e)?;
        for (st, rs) in stacks.iter().zip(rects) {
            let c = st.colour;
            let drawn = chart
                .draw_series(rs.into_iter().map(|r| Rectangle::new(r, ShapeStyle::from(c).filled().stroke_width(0))))
                .map_err(&e)?;
            // A series without a label (e.g. the cost half of an account) has no legend entry.
            if !st.label.is_empty() {
                drawn.label(st.label.as_str()).legend(swatch(c));
            }
        }
        chart.draw_series(LineSeries::new(vec![(x0, 0.0), (x1, 0.0)], BLACK.stroke_width(1))).map_err(&e)?;
        legend_box(&mut chart, SeriesLabelPosition::LowerRight, 0.9, 11).map_err(&e)?;
        Ok(())
    })
}

/// One bar of a tornado chart: the NPV with the parameter at its P5 and P95.
pub(crate) struct TornadoBar {
    pub(crate) label: String,
    pub(crate) at_low: f64,
    pub(crate) at_high: f64,
}

/// Tornado chart: one row per parameter (first row on top), bars from the base
/// NPV to the NPV at P5 ([`NEGATIVE`] colour) and at P95 ([`POSITIVE`]).
pub(crate) fn tornado(
    frame: &Frame<'_>,
    bars: &[TornadoBar],
    base: f64,
    unit: f64,
    legend: (&str, &str),
    lang: Lang,
) -> Result<String, ChartError> {
    let e = err("tornado");
    let n = bars.len().max(1);
    let mut lo = base / unit;
    let mut hi = base / unit;
    for b in bars {
        for v in [b.at_low / unit, b.at_high / unit] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let (lo, hi) = padded(lo, hi, false);
    let labels: Vec<String> = bars.iter().map(|b| shorten(&b.label, 46)).collect();
    svg_chart(frame, "tornado", |root| {
        // Rows are segments 0..n; row 0 (largest swing) is drawn at the top.
        let mut chart = builder(root, frame, 10, (40, 300), 16)
            .build_cartesian_2d(lo..hi, (0..n as i32).into_segmented())
            .map_err(&e)?;
        let decimals = tick_decimals(hi - lo);
        let row_label = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => {
                let row = n as i32 - 1 - *i;
                labels.get(row as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        };
        let mut mesh = chart.configure_mesh();
        axes(&mut mesh, frame, (8, n), 12);
        mesh.disable_y_mesh()
            .x_label_formatter(&|x| lang.num(*x, decimals))
            .y_label_formatter(&row_label)
            .draw()
            .map_err(&e)?;
        let seg = |row: usize, top: bool| {
            let i = n as i32 - 1 - row as i32;
            if top {
                SegmentValue::Exact(i + 1)
            } else {
                SegmentValue::Exact(i)
            }
        };
        let base_u = base / unit;
        for (which, colour, label) in [(false, NEGATIVE, legend.0), (true, POSITIVE, legend.1)] {
            let rects: Vec<_> = bars
                .iter()
                .enumerate()
                .filter_map(|(row, b)| {
                    let v = if which { b.at_high } else { b.at_low } / unit;
                    v.is_finite().then(|| {
                        Rectangle::new(
                            [(base_u.min(v), seg(row, false)), (base_u.max(v), seg(row, true))],
                            ShapeStyle::from(colour.mix(0.85)).filled(),
                        )
                    })
                })
                .collect();
            chart
                .draw_series(rects.into_iter().map(|mut r| {
                    r.set_margin(4, 4, 0, 0);
                    r
                }))
                .map_err(&e)?
                .label(label)
                .legend(swatch(colour));
        }
        chart
            .draw_series(LineSeries::new(
                vec![(base_u, SegmentValue::Exact(0)), (base_u, SegmentValue::Exact(n as i32))],
                BLACK.stroke_width(2),
            ))
            .map_err(&e)?;
        legend_box(&mut chart, SeriesLabelPosition::LowerRight, 0.9, 12).map_err(&e)?;
        Ok(())
    })
}

/// Shorten a long label for an axis (the table next to the chart has it in full).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max - 1).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame<'static> {
        Frame { width: 600, height: 300, caption: Some("t & <c>"), x_label: "x", y_label: "y", aria: "a \"b\"" }
    }

    #[test]
    fn fan_chart_draws_bands_and_escapes_text() {
        let f = Fan {
            label: "scenario".into(),
            colour: SCENARIO,
            p5: vec![0.1, 0.1, 0.1],
            p25: Some(vec![0.15, 0.15, 0.15]),
            p50: vec![0.2, 0.2, 0.2],
            p75: Some(vec![0.25, 0.25, 0.25]),
            p95: vec![0.3, 0.3, 0.3],
        };
        let fans = [f];
        let chart = FanChart { years: &[2025, 2026, 2027], fans: &fans, points: &[], scale: 100.0, zero: false };
        let svg = chart.draw(&frame(), Lang::Nl).unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"a &quot;b&quot;\""));
        assert_eq!(svg.matches("<polygon").count(), 2, "a 90% and a 50% band");
        assert!(svg.contains("t &amp; &lt;c&gt;"));
        assert_eq!(svg.matches("<circle").count(), 0);
    }

    #[test]
    fn fan_chart_draws_observed_points_with_their_intervals() {
        let f = Fan {
            label: "scenario".into(),
            colour: SCENARIO,
            p5: vec![0.1, 0.1, 0.1],
            p25: None,
            p50: vec![0.2, 0.2, 0.2],
            p75: None,
            p95: vec![0.3, 0.3, 0.3],
        };
        let fans = [f];
        let points = [
            ObservedPoint { year: 2025, value: 0.22, lo: Some(0.18), hi: Some(0.26) },
            // Far above the band: the axis stretches to the top of its interval.
            ObservedPoint { year: 2027, value: 0.5, lo: Some(0.45), hi: Some(0.55) },
            // No known sampling error: a dot without a bar.
            ObservedPoint { year: 2026, value: 0.25, lo: None, hi: None },
        ];
        for lang in [Lang::Nl, Lang::En] {
            let chart =
                FanChart { years: &[2025, 2026, 2027], fans: &fans, points: &points, scale: 100.0, zero: false };
            let svg = chart.draw(&frame(), lang).unwrap();
            assert_eq!(svg.matches("<circle").count(), 4, "three dots and a legend swatch: {svg}");
            assert!(svg.contains(&format!("\n{}\n</text>", lang.texts().observed)), "legend entry");
            // An error bar is a vertical line with a cap at each end (three
            // segments), drawn in black, only for the two points with an interval.
            assert_eq!(svg.matches("stroke=\"#000000\" stroke-width=\"2\"").count(), 6, "{svg}");
            let ticks: Vec<f64> =
                svg.split("</text>").filter_map(|t| t.rsplit('>').next()?.trim().parse::<f64>().ok()).collect();
            assert!(ticks.iter().any(|&y| (55.0..2000.0).contains(&y)), "the axis reaches 55 %: {ticks:?}");
        }
    }

    #[test]
    fn histogram_colours_bins_by_sign() {
        let bins = Bins { edges: &[-2e6, -1e6, 0.0, 1e6], counts: &[3, 5, 2], unit: 1e6 };
        let svg = histogram(&frame(), bins, ("neg", "pos"), Lang::En).unwrap();
        let neg = format!("fill=\"#{:02X}{:02X}{:02X}\"", NEGATIVE.0, NEGATIVE.1, NEGATIVE.2);
        let pos = format!("fill=\"#{:02X}{:02X}{:02X}\"", POSITIVE.0, POSITIVE.1, POSITIVE.2);
        // Two negative bins and one positive bin, plus one legend swatch each.
        assert_eq!(svg.matches(&neg).count(), 3, "{svg}");
        assert_eq!(svg.matches(&pos).count(), 2);
    }

    #[test]
    fn claim_histogram_splits_at_the_claim_and_labels_it() {
        let fill = |c: RGBColor| format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
        let legend = ("onder", "gehaald", "claim");
        // Bins 0–1, 1–2, 2–3 (thousands); the claim at 1.5 splits the middle bin.
        let bins = Bins { edges: &[0.0, 1e3, 2e3, 3e3], counts: &[4, 6, 2], unit: 1e3 };
        let svg = claim_histogram(&frame(), bins, 1.5e3, legend, Lang::Nl).unwrap();
        assert_eq!(svg.matches(&fill(CLAIM_BELOW)).count(), 3, "two bars and a legend swatch");
        assert_eq!(svg.matches(&fill(CLAIM_REACHED)).count(), 3);
        assert_eq!(svg.matches("\nclaim\n</text>").count(), 2, "legend and the label at the line");
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"a &quot;b&quot;\""));
        // A claim far beyond every draw: the axis stretches to it, nothing is reached.
        let bins = Bins { edges: &[0.0, 1.0, 2.0], counts: &[5, 5], unit: 1.0 };
        let svg = claim_histogram(&frame(), bins, 40.0, legend, Lang::Nl).unwrap();
        assert_eq!(svg.matches(&fill(CLAIM_REACHED)).count(), 0);
        assert!(svg.contains("\n40\n</text>"), "{svg}");
        let none = Bins { edges: &[0.0], counts: &[], unit: 1.0 };
        assert!(claim_histogram(&frame(), none, 1.0, legend, Lang::Nl).is_err());
    }

    #[test]
    fn stacked_bars_stack_signs_apart() {
        let stacks = vec![
            Stack { label: "a".into(), colour: PALETTE[0], values: vec![2.0, -1.0] },
            Stack { label: "b".into(), colour: PALETTE[1], values: vec![1.0, -3.0] },
        ];
        let svg = stacked_bars(&frame(), &[2025, 2026], &stacks, 1.0, Lang::En).unwrap();
        // 4 bars + 2 legend swatches + background and legend box rectangles.
        assert!(svg.matches("<rect").count() >= 6);
    }

    #[test]
    fn tornado_labels_rows_top_down() {
        let bars = vec![
            TornadoBar { label: "biggest".into(), at_low: -3e6, at_high: 1e6 },
            TornadoBar { label: "smaller".into(), at_low: -1.5e6, at_high: -0.5e6 },
        ];
        let svg = tornado(&frame(), &bars, -1e6, 1e6, ("P5", "P95"), Lang::Nl).unwrap();
        let top = svg.find("biggest").unwrap();
        let below = svg.find("smaller").unwrap();
        let y = |at: usize| -> f64 {
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
            y.parse().unwrap()
        };
        assert!(y(top) < y(below), "the largest swing is on top");
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
