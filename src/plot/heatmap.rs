//! A heatmap strip: one column per window, one cell per histogram bin, shaded by the bin's share
//! of its column relative to the largest share shown (synaptic weight distributions over time).

use super::{draw_mesh, plot_error, prepare};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

/// One column: the window's end time (s) and its histogram counts.
pub type Column<'a> = (f64, &'a [u32]);

/// Draws `columns` (in time order, equal bins over `[0, y_max]`).
pub fn draw_heatmap(
    canvas: &HtmlCanvasElement,
    title: &str,
    y_label: &str,
    columns: &[Column<'_>],
    y_max: f64,
) -> Result<(), String> {
    let (root, px, pal) = prepare(canvas)?;
    let (t0, t1) = match (columns.first(), columns.last()) {
        (Some(a), Some(b)) if b.0 > a.0 => (a.0, b.0),
        (Some(a), _) => (a.0 - 1.0, a.0),
        _ => (0.0, 1.0),
    };
    // Each column spans from the previous window's end to its own.
    let width = if columns.len() > 1 {
        (t1 - t0) / (columns.len() - 1) as f64
    } else {
        1.0
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .caption(title, pal.font(px(14.0)))
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d((t0 - width)..t1, 0.0..y_max)
        .map_err(plot_error)?;
    draw_mesh(&mut chart, "window end (s)", y_label, &pal, px(12.0), 6)?;
    let shade = |share: f64| {
        let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * share).round() as u8;
        RGBColor(
            mix(pal.background.0, pal.data.0),
            mix(pal.background.1, pal.data.1),
            mix(pal.background.2, pal.data.2),
        )
    };
    for &(t, counts) in columns {
        let total = counts.iter().map(|&c| c as f64).sum::<f64>().max(1.0);
        let bin = y_max / counts.len().max(1) as f64;
        // Shares are small when spread over many bins: a square root keeps them visible.
        chart
            .draw_series(
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(i, &c)| {
                        let y = i as f64 * bin;
                        Rectangle::new(
                            [(t - width, y), (t, y + bin)],
                            shade((c as f64 / total).sqrt()).filled(),
                        )
                    }),
            )
            .map_err(plot_error)?;
    }
    root.present().map_err(plot_error)
}
