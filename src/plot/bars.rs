//! A histogram as bars (synaptic weights, ISIs, rates).

use super::{draw_mesh, plot_error, prepare};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

/// Draws `counts` in equal bins over `span`, the counts being `count_label`.
pub fn draw_histogram(
    canvas: &HtmlCanvasElement,
    title: &str,
    x_label: &str,
    count_label: &str,
    counts: &[u32],
    span: [f64; 2],
) -> Result<(), String> {
    let [x_min, x_max] = span;
    let (root, px, pal) = prepare(canvas)?;
    let bins = counts.len().max(1);
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .caption(title, pal.font(px(14.0)))
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(x_min..x_max, 0.0..top)
        .map_err(plot_error)?;
    draw_mesh(&mut chart, x_label, count_label, &pal, px(12.0), 6)?;
    let width = (x_max - x_min) / bins as f64;
    chart
        .draw_series(counts.iter().enumerate().map(|(i, &c)| {
            let x = x_min + i as f64 * width;
            Rectangle::new([(x, 0.0), (x + width * 0.9, c as f64)], pal.data.filled())
        }))
        .map_err(plot_error)?;
    root.present().map_err(plot_error)
}
