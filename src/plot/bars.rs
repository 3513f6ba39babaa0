//! A histogram as bars (synaptic weights, ISIs, rates).

use super::{draw_mesh, plot_error, Drawing, Frame};
use plotters::prelude::*;

/// `counts` in equal bins over `span`, the counts being `count_label`.
pub struct Histogram<'a> {
    /// Caption.
    pub title: &'a str,
    /// X axis label with unit.
    pub x_label: &'a str,
    /// What is counted (the y axis label).
    pub count_label: &'a str,
    /// One count per bin.
    pub counts: &'a [u32],
    /// The bins' range `[low, high]`.
    pub span: [f64; 2],
}

impl Drawing for Histogram<'_> {
    type Output = ();

    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<(), String> {
        let [x_min, x_max] = self.span;
        let (px, pal) = (|css| frame.px(css), frame.palette);
        let bins = self.counts.len().max(1);
        let top = self.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
        let mut chart = frame.chart(self.title, 48.0, x_min..x_max, 0.0..top)?;
        draw_mesh(
            &mut chart,
            self.x_label,
            self.count_label,
            &pal,
            px(12.0),
            6,
        )?;
        let width = (x_max - x_min) / bins as f64;
        chart
            .draw_series(self.counts.iter().enumerate().map(|(i, &c)| {
                let x = x_min + i as f64 * width;
                Rectangle::new([(x, 0.0), (x + width * 0.9, c as f64)], pal.data.filled())
            }))
            .map_err(plot_error)?;
        Ok(())
    }
}
