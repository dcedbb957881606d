//! The charts of the report's decision section: curves over the
//! willingness to pay (acceptability, EVPI) with a marked stretch per
//! curve and a vertical line at the analysis' willingness to pay, and
//! horizontal bars with interval whiskers (EVPPI per parameter group, Sobol
//! indices per factor) with an optional reference line.

use super::{axes, builder, err, legend_box, padded, svg_chart, swatch, tick_decimals, ChartError, Frame, FONT};
use crate::render::text::Lang;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One curve over x: its points, and which of them are marked (drawn
/// thicker with a dot: for an acceptability curve, where the arm is on the
/// acceptability frontier).
pub(crate) struct Curve {
    pub(crate) label: String,
    pub(crate) colour: RGBColor,
    /// (x, y) in data units, x increasing.
    pub(crate) points: Vec<(f64, f64)>,
    /// One flag per point (empty: none marked).
    pub(crate) marked: Vec<bool>,
}

/// Curves over a common x axis: x divided by `x_unit`, y multiplied by
/// `y_scale`; `y_range` fixes the y axis (e.g. 0–100 %) instead of fitting
/// it; `marker` draws a dashed vertical line at x with a legend label.
#[derive(Clone, Copy)]
pub(crate) struct CurveChart<'a> {
    pub(crate) curves: &'a [Curve],
    pub(crate) x_unit: f64,
    pub(crate) y_scale: f64,
    pub(crate) y_range: Option<(f64, f64)>,
    pub(crate) marker: Option<(f64, &'a str)>,
}

impl CurveChart<'_> {
    /// The chart as SVG.
    pub(crate) fn draw(&self, frame: &Frame<'_>, lang: Lang) -> Result<String, ChartError> {
        let e = err("curve");
        let c = *self;
        let pts = |cv: &Curve| -> Vec<(f64, f64)> {
            cv.points
                .iter()
                .map(|&(x, y)| (x / c.x_unit, y * c.y_scale))
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect()
        };
        let all: Vec<(f64, f64)> = c.curves.iter().flat_map(pts).collect();
        let fold = |f: fn(f64, f64) -> f64, init: f64, get: fn(&(f64, f64)) -> f64| all.iter().map(get).fold(init, f);
        let (x0, x1) = (fold(f64::min, f64::INFINITY, |p| p.0), fold(f64::max, f64::NEG_INFINITY, |p| p.0));
        let (x0, x1) = if x0.is_finite() && x1 > x0 { (x0, x1) } else { (0.0, 1.0) };
        let (y0, y1) = match c.y_range {
            Some((lo, hi)) => {
                let pad = (hi - lo) * 0.03;
                (lo - pad, hi + pad)
            }
            None => padded(fold(f64::min, f64::INFINITY, |p| p.1), fold(f64::max, f64::NEG_INFINITY, |p| p.1), true),
        };
        // Head room for the legend above the curves.
        let y1 = if c.curves.len() > 1 { y1 + (y1 - y0) * 0.3 } else { y1 };
        svg_chart(frame, "curve", |root| {
            let mut chart = builder(root, frame, 10, (40, 64), 16).build_cartesian_2d(x0..x1, y0..y1).map_err(&e)?;
            let (dx, dy) = (tick_decimals(x1 - x0), tick_decimals(y1 - y0));
            let mut mesh = chart.configure_mesh();
            axes(&mut mesh, frame, (10, 6), 12);
            mesh.x_label_formatter(&|x| lang.num(*x, dx))
                .y_label_formatter(&|y| lang.num(*y, dy))
                .draw()
                .map_err(&e)?;
            for cv in c.curves {
                let col = cv.colour;
                let line = pts(cv);
                chart
                    .draw_series(LineSeries::new(line.clone(), col.stroke_width(2)))
                    .map_err(&e)?
                    .label(cv.label.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], col.stroke_width(3)));
                let marked: Vec<(f64, f64)> = cv
                    .points
                    .iter()
                    .zip(&cv.marked)
                    .filter(|(_, m)| **m)
                    .map(|(&(x, y), _)| (x / c.x_unit, y * c.y_scale))
                    .filter(|p| p.0.is_finite() && p.1.is_finite())
                    .collect();
                // Thick segments between neighbouring marked points, and a dot on each.
                let flags: Vec<bool> =
                    cv.marked.iter().copied().chain(std::iter::repeat(false)).take(line.len()).collect();
                let segments = line
                    .windows(2)
                    .zip(flags.windows(2))
                    .filter(|(_, f)| f[0] && f[1])
                    .map(|(w, _)| PathElement::new(vec![w[0], w[1]], col.stroke_width(6)));
                chart.draw_series(segments).map_err(&e)?;
                chart.draw_series(marked.into_iter().map(|p| Circle::new(p, 4, col.filled()))).map_err(&e)?;
            }
            if let Some((x, label)) = c.marker {
                let x = x / c.x_unit;
                if x.is_finite() {
                    chart
                        .draw_series(DashedLineSeries::new(vec![(x, y0), (x, y1)], 6, 4, BLACK.stroke_width(2)))
                        .map_err(&e)?
                        .label(label)
                        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
                }
            }
            legend_box(&mut chart, SeriesLabelPosition::UpperRight, 0.9, 12).map_err(&e)?;
            Ok(())
        })
    }
}

/// One row of an interval bar chart: a label and, per series, a value with
/// its interval (lower, upper), if known.
pub(crate) struct IntervalBar {
    pub(crate) label: String,
    pub(crate) values: Vec<(f64, Option<(f64, f64)>)>,
}

/// Horizontal bars from zero, one row per [`IntervalBar`] (the first on
/// top), one bar per series in a row, each with a whisker over its
/// interval; values divided by `unit`. `reference` draws a dashed vertical
/// line (e.g. the EVPI, the upper bound of every EVPPI) with a legend label.
#[derive(Clone, Copy)]
pub(crate) struct IntervalBars<'a> {
    pub(crate) rows: &'a [IntervalBar],
    pub(crate) series: &'a [(&'a str, RGBColor)],
    pub(crate) unit: f64,
    pub(crate) reference: Option<(f64, &'a str)>,
}

impl IntervalBars<'_> {
    /// The chart as SVG.
    pub(crate) fn draw(&self, frame: &Frame<'_>, lang: Lang) -> Result<String, ChartError> {
        let e = err("interval bar");
        let c = *self;
        let n = c.rows.len().max(1);
        let m = c.series.len().max(1);
        let mut lo = 0.0f64;
        let mut hi = 0.0f64;
        let values = c.rows.iter().flat_map(|r| &r.values).flat_map(|(v, i)| {
            let (a, b) = i.unwrap_or((f64::NAN, f64::NAN));
            [*v, a, b]
        });
        for v in values.chain(c.reference.map(|r| r.0)) {
            let v = v / c.unit;
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        let (lo, hi) = padded(lo, hi, true);
        let labels: Vec<String> = c.rows.iter().map(|r| super::shorten(&r.label, 40)).collect();
        svg_chart(frame, "interval bar", |root| {
            let mut chart =
                builder(root, frame, 10, (40, 270), 16).build_cartesian_2d(lo..hi, 0f64..n as f64).map_err(&e)?;
            let decimals = tick_decimals(hi - lo);
            let mut mesh = chart.configure_mesh();
            axes(&mut mesh, frame, (8, 0), 12);
            mesh.disable_y_mesh().disable_y_axis().x_label_formatter(&|x| lang.num(*x, decimals)).draw().map_err(&e)?;
            // Row i spans [n − 1 − i, n − i]; series k takes its share of the middle 76 %.
            let band = |row: usize, k: usize| {
                let base = (n - 1 - row) as f64 + 0.12;
                let h = 0.76 / m as f64;
                (base + h * k as f64, base + h * (k as f64 + 1.0))
            };
            for (k, (label, colour)) in c.series.iter().enumerate() {
                let colour = *colour;
                let bars: Vec<Rectangle<(f64, f64)>> = c
                    .rows
                    .iter()
                    .enumerate()
                    .filter_map(|(row, r)| {
                        let v = r.values.get(k)?.0 / c.unit;
                        let (b0, b1) = band(row, m - 1 - k);
                        v.is_finite()
                            .then(|| Rectangle::new([(0f64.min(v), b0), (0f64.max(v), b1)], colour.mix(0.85).filled()))
                    })
                    .collect();
                chart.draw_series(bars).map_err(&e)?.label(*label).legend(swatch(colour));
                let whisker = BLACK.stroke_width(1);
                for (row, r) in c.rows.iter().enumerate() {
                    let Some((_, Some((a, b)))) = r.values.get(k) else { continue };
                    let (a, b) = (a / c.unit, b / c.unit);
                    if !(a.is_finite() && b.is_finite()) {
                        continue;
                    }
                    let (b0, b1) = band(row, m - 1 - k);
                    let y = (b0 + b1) / 2.0;
                    let cap = |x: f64| EmptyElement::at((x, y)) + PathElement::new(vec![(0, -4), (0, 4)], whisker);
                    chart.draw_series(std::iter::once(PathElement::new(vec![(a, y), (b, y)], whisker))).map_err(&e)?;
                    chart.draw_series([cap(a), cap(b)]).map_err(&e)?;
                }
            }
            chart.draw_series(LineSeries::new(vec![(0.0, 0.0), (0.0, n as f64)], BLACK.stroke_width(1))).map_err(&e)?;
            if let Some((x, label)) = c.reference {
                let x = x / c.unit;
                if x.is_finite() {
                    chart
                        .draw_series(DashedLineSeries::new(vec![(x, 0.0), (x, n as f64)], 6, 4, BLACK.stroke_width(2)))
                        .map_err(&e)?
                        .label(label)
                        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
                }
            }
            // Row labels left of the plotting area, right-aligned.
            let style = TextStyle::from((FONT, 12).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
            for (row, label) in labels.iter().enumerate() {
                let at = chart.backend_coord(&(lo, (n - 1 - row) as f64 + 0.5));
                root.draw(&Text::new(label.clone(), (at.0 - 6, at.1), style.clone())).map_err(&e)?;
            }
            legend_box(&mut chart, SeriesLabelPosition::LowerRight, 0.9, 12).map_err(&e)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::PALETTE;
    use super::*;

    fn frame() -> Frame<'static> {
        Frame { width: 600, height: 300, caption: None, x_label: "x", y_label: "y", aria: "a" }
    }

    #[test]
    fn curves_mark_their_frontier_and_the_willingness_to_pay() {
        let curves = [
            Curve {
                label: "A".into(),
                colour: PALETTE[0],
                points: vec![(0.0, 1.0), (1e4, 0.6), (2e4, 0.3)],
                marked: vec![true, true, false],
            },
            Curve {
                label: "B".into(),
                colour: PALETTE[1],
                points: vec![(0.0, 0.0), (1e4, 0.4), (2e4, 0.7)],
                marked: vec![false, false, true],
            },
        ];
        let chart = CurveChart {
            curves: &curves,
            x_unit: 1e3,
            y_scale: 100.0,
            y_range: Some((0.0, 100.0)),
            marker: Some((15e3, "λ")),
        };
        let svg = chart.draw(&frame(), Lang::Nl).unwrap();
        // Three marked points (two of A, one of B) each get a dot; no legend dots.
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        // One thick segment: A's first two points.
        assert_eq!(svg.matches("stroke-width=\"6\"").count(), 1, "{svg}");
        assert!(svg.contains("\nλ\n</text>"), "the marker's legend entry");
        assert!(svg.contains("\n20\n</text>") && !svg.contains("\n20000\n</text>"), "x in thousands: {svg}");
    }

    #[test]
    fn interval_bars_put_the_first_row_on_top_with_whiskers() {
        let rows = [
            IntervalBar { label: "biggest".into(), values: vec![(3e6, Some((2e6, 4e6)))] },
            IntervalBar { label: "smaller".into(), values: vec![(1e6, None)] },
            IntervalBar { label: "unknown".into(), values: vec![(f64::NAN, None)] },
        ];
        let series = [("EVPPI", PALETTE[0])];
        let chart = IntervalBars { rows: &rows, series: &series, unit: 1e6, reference: Some((5e6, "EVPI")) };
        let svg = chart.draw(&frame(), Lang::En).unwrap();
        let y = |label: &str| -> f64 {
            let at = svg.find(&format!("\n{label}\n")).unwrap();
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
        };
        assert!(y("biggest") < y("smaller") && y("smaller") < y("unknown"), "rows top down");
        let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", PALETTE[0].0, PALETTE[0].1, PALETTE[0].2);
        assert_eq!(svg.matches(&fill).count(), 3, "two bars and a legend swatch: {svg}");
        // The reference line reaches 5 (€ mln) on the axis.
        assert!(svg.contains("\n5\n</text>") || svg.contains("\n5.0\n</text>"), "{svg}");
        assert!(svg.contains("\nEVPI\n</text>"));
    }
}
