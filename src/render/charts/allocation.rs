//! The chart of the allocation page: the efficient frontier (budget per year
//! against the best portfolio's expected value, with its 90 % band), with the
//! actual budget as a dashed vertical line.

use super::{axes, builder, err, legend_box, padded, svg_chart, tick_decimals, ChartError, Frame, PALETTE};
use crate::render::text::Lang;
use plotters::prelude::*;

/// One point of the frontier: the budget per year and the best portfolio's
/// value there (all in euros).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrontierPoint {
    pub(crate) budget: f64,
    /// Expected maatschappelijk NPV.
    pub(crate) mean: f64,
    /// Its 5th and 95th percentile over the draws.
    pub(crate) p5: f64,
    pub(crate) p95: f64,
    /// The objective when it is in euros and differs from the mean (equity-weighted), else `None`.
    pub(crate) objective: Option<f64>,
}

/// The frontier over the budget: x and y divided by `unit` (1e6 for € mln);
/// `budget` draws a dashed vertical line with its legend label; `legend` names
/// the mean line, the band and the objective line.
#[derive(Clone, Copy)]
pub(crate) struct FrontierChart<'a> {
    pub(crate) points: &'a [FrontierPoint],
    pub(crate) unit: f64,
    pub(crate) budget: Option<(f64, &'a str)>,
    pub(crate) legend: (&'a str, &'a str, &'a str),
}

impl FrontierChart<'_> {
    /// The chart as SVG; an error when there is no point to draw.
    pub(crate) fn draw(&self, frame: &Frame<'_>, lang: Lang) -> Result<String, ChartError> {
        let e = err("frontier");
        let c = *self;
        let mut pts: Vec<FrontierPoint> = c
            .points
            .iter()
            .filter(|p| [p.budget, p.mean, p.p5, p.p95].iter().all(|v| v.is_finite()))
            .map(|p| FrontierPoint {
                budget: p.budget / c.unit,
                mean: p.mean / c.unit,
                p5: p.p5 / c.unit,
                p95: p.p95 / c.unit,
                objective: p.objective.filter(|v| v.is_finite()).map(|v| v / c.unit),
            })
            .collect();
        if pts.is_empty() {
            return Err(ChartError { chart: "frontier", reason: "no frontier point".into() });
        }
        pts.sort_by(|a, b| a.budget.total_cmp(&b.budget));
        let marker = c.budget.map(|(b, l)| (b / c.unit, l)).filter(|(b, _)| b.is_finite());
        let xs = pts.iter().map(|p| p.budget).chain(marker.map(|m| m.0));
        let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        let (x0, x1) = padded(x0, x1, true);
        let ys = pts.iter().flat_map(|p| [p.p5, p.p95, p.mean].into_iter().chain(p.objective));
        let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
        let (y0, y1) = padded(y0, y1, true);
        // Head room for the legend above the band.
        let y1 = y1 + (y1 - y0) * 0.3;
        let mean_colour = PALETTE[0];
        let objective_colour = PALETTE[1];
        svg_chart(frame, "frontier", |root| {
            let mut chart = builder(root, frame, 10, (44, 64), 16).build_cartesian_2d(x0..x1, y0..y1).map_err(&e)?;
            let (dx, dy) = (tick_decimals(x1 - x0), tick_decimals(y1 - y0));
            let mut mesh = chart.configure_mesh();
            axes(&mut mesh, frame, (8, 6), 12);
            mesh.x_label_formatter(&|x| lang.num(*x, dx))
                .y_label_formatter(&|y| lang.num(*y, dy))
                .draw()
                .map_err(&e)?;
            chart.draw_series(LineSeries::new(vec![(x0, 0.0), (x1, 0.0)], BLACK.stroke_width(1))).map_err(&e)?;
            let mut band: Vec<(f64, f64)> = pts.iter().map(|p| (p.budget, p.p95)).collect();
            band.extend(pts.iter().rev().map(|p| (p.budget, p.p5)));
            chart
                .draw_series(std::iter::once(Polygon::new(band, mean_colour.mix(0.18).filled())))
                .map_err(&e)?
                .label(c.legend.1)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], mean_colour.mix(0.18).filled()));
            let line: Vec<(f64, f64)> = pts.iter().map(|p| (p.budget, p.mean)).collect();
            chart
                .draw_series(LineSeries::new(line.clone(), mean_colour.stroke_width(2)))
                .map_err(&e)?
                .label(c.legend.0)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], mean_colour.stroke_width(3)));
            chart.draw_series(line.into_iter().map(|p| Circle::new(p, 4, mean_colour.filled()))).map_err(&e)?;
            let objective: Vec<(f64, f64)> = pts.iter().filter_map(|p| Some((p.budget, p.objective?))).collect();
            if !objective.is_empty() {
                chart
                    .draw_series(DashedLineSeries::new(objective.clone(), 8, 4, objective_colour.stroke_width(2)))
                    .map_err(&e)?
                    .label(c.legend.2)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 16, y)], objective_colour.stroke_width(2))
                    });
                // Squares, so the two lines differ in shape as well as colour.
                chart
                    .draw_series(
                        objective.into_iter().map(|p| {
                            EmptyElement::at(p) + Rectangle::new([(-4, -4), (4, 4)], objective_colour.filled())
                        }),
                    )
                    .map_err(&e)?;
            }
            if let Some((x, label)) = marker {
                chart
                    .draw_series(DashedLineSeries::new(vec![(x, y0), (x, y1)], 6, 4, BLACK.stroke_width(2)))
                    .map_err(&e)?
                    .label(label)
                    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
            }
            legend_box(&mut chart, SeriesLabelPosition::UpperLeft, 0.9, 12).map_err(&e)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame<'static> {
        Frame { width: 600, height: 300, caption: None, x_label: "x", y_label: "y", aria: "grens" }
    }

    fn point(budget: f64, mean: f64, objective: Option<f64>) -> FrontierPoint {
        FrontierPoint { budget, mean, p5: mean - 1e6, p95: mean + 1e6, objective }
    }

    #[test]
    fn frontier_draws_band_line_points_and_budget() {
        let pts = [point(0.0, 0.0, None), point(5e5, 2e6, None), point(1e6, 3e6, None)];
        let chart = FrontierChart { points: &pts, unit: 1e6, budget: Some((7.5e5, "budget")), legend: ("m", "b", "o") };
        let svg = chart.draw(&frame(), Lang::Nl).unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"grens\""));
        assert_eq!(svg.matches("<polygon").count(), 1, "one band: {svg}");
        assert_eq!(svg.matches("<circle").count(), 3, "a dot per point");
        assert!(svg.contains("\nbudget\n</text>") && !svg.contains("\no\n</text>"), "no objective line");
        // x in € mln with Dutch decimals (ticks 0,0–1,0), y in whole € mln.
        assert!(svg.contains("\n0,2\n</text>") && svg.contains("\n1,0\n</text>"), "{svg}");
        assert!(svg.contains("\n4,0\n</text>") && !svg.contains("\n4000000\n</text>"), "{svg}");
    }

    #[test]
    fn frontier_draws_the_objective_when_given() {
        let pts = [point(0.0, 0.0, Some(0.0)), point(1e6, 1e6, Some(2e6))];
        let chart = FrontierChart { points: &pts, unit: 1e6, budget: None, legend: ("m", "b", "o") };
        let svg = chart.draw(&frame(), Lang::Nl).unwrap();
        assert!(svg.contains("\no\n</text>"));
        let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", PALETTE[1].0, PALETTE[1].1, PALETTE[1].2);
        assert_eq!(svg.matches(&fill).count(), 2, "a square per objective point: {svg}");
    }

    #[test]
    fn frontier_without_points_is_an_error() {
        let pts = [point(f64::NAN, 0.0, None)];
        let chart = FrontierChart { points: &pts, unit: 1.0, budget: None, legend: ("m", "b", "o") };
        assert!(chart.draw(&frame(), Lang::Nl).is_err());
    }
}
