//! A line plot over time (traces, membrane potential, rates, network outputs against targets),
//! with further series (each in its own colour, with a legend), a band and event markers.

use super::{plot_error, tick_label, Drawing, Frame};
use plotters::prelude::*;

/// What to draw (`..Default::default()` for the optional parts).
#[derive(Default)]
pub struct LinePlot<'a> {
    /// Caption.
    pub title: &'a str,
    /// X axis label with unit.
    pub x_label: &'a str,
    /// Y axis label with unit.
    pub y_label: &'a str,
    /// Points in drawing order.
    pub points: &'a [(f64, f64)],
    /// X range; from the data if `None`.
    pub x_range: Option<(f64, f64)>,
    /// Y range; from the data (padded) if `None`.
    pub y_range: Option<(f64, f64)>,
    /// A horizontal reference line (threshold, target), if any.
    pub reference: Option<f64>,
    /// Further series `(legend label, points)` in the accent, then the target colour; the
    /// first series is then labelled `series_label` in a legend.
    pub others: &'a [(&'a str, &'a [(f64, f64)])],
    /// Legend label of the first series (used when there are others or a band).
    pub series_label: &'a str,
    /// X positions of events, drawn as vertical accent lines.
    pub markers: &'a [f64],
    /// A shaded band `(x, low, high)` behind the series (a confidence interval), labelled
    /// `band_label` in the legend.
    pub band: &'a [(f64, f64, f64)],
    /// Legend label of the band.
    pub band_label: &'a str,
    /// Where consecutive points lie further apart in x than this, the line (and band) breaks
    /// instead of bridging the gap (windows the page did not receive).
    pub max_gap: Option<f64>,
}

/// `items` in runs without an x gap over `max_gap` between neighbours.
fn runs<T>(items: &[T], x: impl Fn(&T) -> f64, max_gap: Option<f64>) -> Vec<&[T]> {
    let Some(gap) = max_gap else {
        return vec![items];
    };
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..items.len() {
        if x(&items[i]) - x(&items[i - 1]) > gap {
            out.push(&items[start..i]);
            start = i;
        }
    }
    out.push(&items[start..]);
    out
}

fn data_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

impl Drawing for LinePlot<'_> {
    type Output = ();

    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<(), String> {
        let plot = self;
        let (px, pal) = (|css| frame.px(css), frame.palette);
        let (x0, x1) = plot
            .x_range
            .or_else(|| {
                data_range(
                    all_points(plot)
                        .map(|p| p.0)
                        .chain(plot.markers.iter().copied()),
                )
            })
            .unwrap_or((0.0, 1.0));
        let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
        let (y0, y1) = plot.y_range.unwrap_or_else(|| {
            let (lo, hi) = data_range(
                all_points(plot)
                    .map(|p| p.1)
                    .chain(plot.reference)
                    .chain(plot.band.iter().flat_map(|b| [b.1, b.2])),
            )
            .unwrap_or((-1.0, 1.0));
            let pad = ((hi - lo) * 0.1)
                .max(hi.abs().max(lo.abs()) * 0.01)
                .max(1e-12);
            (lo - pad, hi + pad)
        });
        let mut chart = frame.chart(plot.title, 60.0, x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(plot.x_label)
            .y_desc(plot.y_label)
            .label_style(pal.font(px(12.0)))
            .axis_desc_style(pal.font(px(12.0)))
            .axis_style(pal.text)
            .bold_line_style(pal.grid_bold)
            .light_line_style(pal.grid)
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| tick_label(*v, x1 - x0))
            .y_label_formatter(&|v| tick_label(*v, y1 - y0))
            .draw()
            .map_err(plot_error)?;
        if let Some(r) = plot.reference {
            chart
                .draw_series(LineSeries::new(
                    [(x0, r), (x1, r)],
                    ShapeStyle::from(&pal.accent.mix(0.6)).stroke_width(px(1.0)),
                ))
                .map_err(plot_error)?;
        }
        for &x in plot.markers.iter().filter(|x| (x0..=x1).contains(*x)) {
            chart
                .draw_series(LineSeries::new(
                    [(x, y0), (x, y1)],
                    ShapeStyle::from(&pal.accent.mix(0.5)).stroke_width(px(1.0)),
                ))
                .map_err(plot_error)?;
        }
        if !plot.band.is_empty() {
            // Upper edge forwards, lower edge back: one polygon per run.
            let fill = pal.data.mix(0.2).filled();
            let polygons = runs(plot.band, |b| b.0, plot.max_gap)
                .into_iter()
                .map(|run| {
                    let outline: Vec<(f64, f64)> = run
                        .iter()
                        .map(|&(x, _, high)| (x, high))
                        .chain(run.iter().rev().map(|&(x, low, _)| (x, low)))
                        .collect();
                    Polygon::new(outline, fill)
                });
            chart
                .draw_series(polygons)
                .map_err(plot_error)?
                .label(plot.band_label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 16, y + 4)], fill));
        }
        let data_style = ShapeStyle::from(&pal.data).stroke_width(px(1.5));
        // Few points (e.g. the first windows): dots as well, so a single point shows.
        let dot = if plot.points.len() < FEW_POINTS {
            px(2.5)
        } else {
            0
        };
        let first = chart
            .draw_series(
                runs(plot.points, |p| p.0, plot.max_gap)
                    .into_iter()
                    .flat_map(|run| {
                        LineSeries::new(run.iter().copied(), data_style).point_size(dot)
                    }),
            )
            .map_err(plot_error)?;
        let legend = !plot.others.is_empty() || !plot.band.is_empty();
        if legend {
            first
                .label(plot.series_label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], data_style));
        }
        let colours = [pal.accent, pal.target, pal.text];
        for (i, (label, points)) in plot.others.iter().enumerate() {
            let style = ShapeStyle::from(&colours[i % colours.len()]).stroke_width(px(1.5));
            chart
                .draw_series(
                    runs(points, |p| p.0, plot.max_gap)
                        .into_iter()
                        .flat_map(|run| {
                            LineSeries::new(run.iter().copied(), style).point_size(dot)
                        }),
                )
                .map_err(plot_error)?
                .label(*label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
        }
        if legend {
            frame.legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        }
        Ok(())
    }
}

/// Below this many points, series are drawn with dots too.
const FEW_POINTS: usize = 30;

/// The points of every series.
fn all_points<'a>(plot: &'a LinePlot<'a>) -> impl Iterator<Item = &'a (f64, f64)> {
    plot.points
        .iter()
        .chain(plot.others.iter().flat_map(|(_, p)| p.iter()))
}
