//! The spike raster of one window: input rows (binned counts) below, output spikes on top.

use super::{draw_mesh, plot_error, prepare};
use plotters::prelude::*;
use tempora_protocol::window::Raster;
use web_sys::HtmlCanvasElement;

/// Draws `raster` (inputs, rows 0..rows) and `outputs` (`(t in s, neuron)`) above them.
pub fn draw_raster(
    canvas: &HtmlCanvasElement,
    raster: &Raster,
    outputs: &[(f64, u32)],
    output_rows: u32,
) -> Result<(), String> {
    let (root, px, pal) = prepare(canvas)?;
    let t0 = raster.start_s;
    let t1 = t0 + raster.bin_s * raster.bins.max(1) as f64;
    let gap = 1.0;
    let rows = raster.rows as f64 + gap + output_rows as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .caption(
            format!(
                "Spike raster: first {} inputs (blue), outputs (red)",
                raster.rows
            ),
            pal.font(px(14.0)),
        )
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(t0..t1, 0.0..rows)
        .map_err(plot_error)?;
    draw_mesh(&mut chart, "logical time (s)", "neuron", &pal, px(12.0), 6)?;
    let bins = raster.bins as usize;
    chart
        .draw_series(
            raster
                .counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, _)| {
                    let (row, bin) = ((i / bins) as f64, (i % bins) as f64);
                    let x = t0 + bin * raster.bin_s;
                    Rectangle::new(
                        [(x, row + 0.15), (x + raster.bin_s, row + 0.85)],
                        pal.data.filled(),
                    )
                }),
        )
        .map_err(plot_error)?;
    let base = raster.rows as f64 + gap;
    let tick = (t1 - t0) / 400.0;
    chart
        .draw_series(outputs.iter().map(|&(t, n)| {
            let y = base + n as f64;
            Rectangle::new([(t, y + 0.05), (t + tick, y + 0.95)], pal.accent.filled())
        }))
        .map_err(plot_error)?;
    root.present().map_err(plot_error)
}
