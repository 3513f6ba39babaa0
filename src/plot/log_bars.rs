//! A histogram over log2 buckets (the scheduler's lateness distribution).

use super::{plot_error, Drawing, Frame};
use plotters::prelude::*;

/// A duration in ns as a short label: `1 us`, `512 us`, `4 ms`.
fn short(ns: u64) -> String {
    match ns {
        0..1_000 => format!("{ns} ns"),
        1_000..1_000_000 => format!("{} us", ns / 1_000),
        1_000_000..1_000_000_000 => format!("{} ms", ns / 1_000_000),
        _ => format!("{} s", ns / 1_000_000_000),
    }
}

/// `(upper bound ns, count)` buckets as bars, one per bucket, labelled by upper bound.
pub struct LogHistogram<'a> {
    /// Caption.
    pub title: &'a str,
    /// The buckets in order.
    pub buckets: &'a [(u64, u64)],
}

impl Drawing for LogHistogram<'_> {
    type Output = ();

    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<(), String> {
        let (px, pal) = (|css| frame.px(css), frame.palette);
        let buckets = self.buckets;
        let n = buckets.len().max(1);
        let top = buckets.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64 * 1.1;
        let mut chart = frame.chart(self.title, 56.0, 0.0..n as f64, 0.0..top)?;
        let labels: Vec<String> = buckets.iter().map(|b| short(b.0)).collect();
        chart
            .configure_mesh()
            .x_desc("lateness, up to (log2 buckets)")
            .y_desc("tasks")
            .label_style(pal.font(px(12.0)))
            .axis_desc_style(pal.font(px(12.0)))
            .axis_style(pal.text)
            .bold_line_style(pal.grid_bold)
            .light_line_style(pal.grid)
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                labels.get(i).cloned().unwrap_or_default()
            })
            .draw()
            .map_err(plot_error)?;
        chart
            .draw_series(buckets.iter().enumerate().map(|(i, &(_, c))| {
                Rectangle::new(
                    [(i as f64 + 0.1, 0.0), (i as f64 + 0.9, c as f64)],
                    pal.data.filled(),
                )
            }))
            .map_err(plot_error)?;
        Ok(())
    }
}
