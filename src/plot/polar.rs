//! The polar phase plot: a phase histogram around the circle, the circular mean as an arrow whose
//! length is the vector strength, and the bias target if any.

use super::{plot_error, Drawing, Frame};
use plotters::prelude::*;
use std::f64::consts::TAU;
use tempora_protocol::panel::Polar;

/// `phase` under `title` (0 degrees at the right, counter-clockwise).
pub struct PolarPlot<'a> {
    /// Caption (followed by the mean phase and vector strength).
    pub title: &'a str,
    /// The phase histogram and its statistics.
    pub phase: &'a Polar,
}

impl Drawing for PolarPlot<'_> {
    type Output = ();

    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<(), String> {
        let (px, pal, root) = (|css| frame.px(css), frame.palette, &frame.root);
        let (title, phase) = (self.title, self.phase);
        let title = match phase.mean_deg {
            Some(mean) => format!(
                "{title}: mean {mean:.1} deg, vector strength {:.3}",
                phase.vector_strength
            ),
            None => format!("{title}: no events"),
        };
        // Equal scales on both axes, so the circle stays round whatever the canvas' shape.
        let (w, h) = root.dim_in_pixel();
        let caption = px(30.0) as f64;
        let aspect = w as f64 / (h as f64 - caption).max(1.0);
        let (half_w, half_h) = if aspect >= 1.0 {
            (1.25 * aspect, 1.25)
        } else {
            (1.25, 1.25 / aspect)
        };
        let mut chart = ChartBuilder::on(root)
            .margin(px(4.0))
            .caption(title, pal.font(px(14.0)))
            .build_cartesian_2d(-half_w..half_w, -half_h..half_h)
            .map_err(plot_error)?;
        let polar = |r: f64, a: f64| (r * a.cos(), r * a.sin());
        // Rings at 50 % and 100 % of the fullest bin, spokes every 90 degrees with labels.
        for r in [0.5, 1.0] {
            chart
                .draw_series(LineSeries::new(
                    (0..=72).map(|k| polar(r, k as f64 * TAU / 72.0)),
                    ShapeStyle::from(&pal.grid).stroke_width(px(1.0)),
                ))
                .map_err(plot_error)?;
        }
        for deg in [0, 90, 180, 270] {
            let a = (deg as f64).to_radians();
            chart
                .draw_series(LineSeries::new([(0.0, 0.0), polar(1.0, a)], &pal.grid))
                .map_err(plot_error)?;
            let (x, y) = polar(1.12, a);
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{deg}°"),
                    (x - 0.06, y + 0.03),
                    pal.font(px(11.0)),
                )))
                .map_err(plot_error)?;
        }
        let bins = phase.counts.len().max(1);
        let top = phase.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        let width = TAU / bins as f64;
        chart
            .draw_series(
                phase
                    .counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(i, &c)| {
                        let r = c as f64 / top;
                        let (a0, a1) = (i as f64 * width, (i + 1) as f64 * width);
                        let mut points = vec![(0.0, 0.0)];
                        points.extend((0..=6).map(|k| polar(r, a0 + (a1 - a0) * k as f64 / 6.0)));
                        Polygon::new(points, pal.data.mix(0.7).filled())
                    }),
            )
            .map_err(plot_error)?;
        if let Some(target) = phase.target_deg {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), polar(1.0, target.to_radians())],
                    ShapeStyle::from(&pal.target).stroke_width(px(2.0)),
                ))
                .map_err(plot_error)?;
        }
        if let Some(mean) = phase.mean_deg {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), polar(phase.vector_strength, mean.to_radians())],
                    ShapeStyle::from(&pal.accent).stroke_width(px(3.0)),
                ))
                .map_err(plot_error)?;
        }
        Ok(())
    }
}
