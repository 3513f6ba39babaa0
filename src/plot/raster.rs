//! The spike raster of one window: groups of rows (populations, or the inputs and the output of
//! a neuron) stacked bottom to top, each in its own colour; binned counts as cells, exact spike
//! times as ticks.

use super::{draw_mesh, plot_error, prepare};
use plotters::prelude::*;
use tempora_protocol::panel::{Raster, RasterSpikes};
use web_sys::HtmlCanvasElement;

/// Rows of space between two groups.
const GROUP_GAP: f64 = 1.0;

/// Draws `raster` under `title`.
pub fn draw_raster(canvas: &HtmlCanvasElement, title: &str, raster: &Raster) -> Result<(), String> {
    let (root, px, pal) = prepare(canvas)?;
    let (t0, t1) = (
        raster.start_s,
        raster.end_s.max(raster.start_s + f64::EPSILON),
    );
    let rows: f64 = raster.groups.iter().map(|g| g.rows as f64).sum::<f64>()
        + GROUP_GAP * raster.groups.len().saturating_sub(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .caption(title, pal.font(px(14.0)))
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(t0..t1, 0.0..rows.max(1.0))
        .map_err(plot_error)?;
    draw_mesh(&mut chart, "logical time (s)", "neuron", &pal, px(12.0), 6)?;
    let colours = [pal.data, pal.accent, pal.target, pal.text];
    let tick = (t1 - t0) / 400.0;
    let mut base = 0.0;
    for (g, group) in raster.groups.iter().enumerate() {
        let colour = colours[g % colours.len()];
        let series = chart.draw_series(cells(group, base, t0, t1, tick, colour));
        series
            .map_err(plot_error)?
            .label(match group.rows {
                1 => format!("{} (1 row)", group.name),
                rows => format!("{} ({rows} rows)", group.name),
            })
            .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 12, y + 4)], colour.filled()));
        base += group.rows as f64 + GROUP_GAP;
    }
    if raster.groups.len() > 1 {
        chart
            .configure_series_labels()
            .label_font(pal.font(px(12.0)))
            .background_style(pal.background.mix(0.85))
            .border_style(pal.grid)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(plot_error)?;
    }
    root.present().map_err(plot_error)
}

/// The rectangles of one group whose first row sits at `base`.
fn cells(
    group: &tempora_protocol::panel::RasterGroup,
    base: f64,
    t0: f64,
    t1: f64,
    tick: f64,
    colour: RGBColor,
) -> Vec<Rectangle<(f64, f64)>> {
    match &group.spikes {
        RasterSpikes::Binned { bins, counts } => {
            let bins = (*bins).max(1) as usize;
            let bin_s = (t1 - t0) / bins as f64;
            counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, _)| {
                    let (row, bin) = ((i / bins) as f64, (i % bins) as f64);
                    let x = t0 + bin * bin_s;
                    let y = base + row;
                    Rectangle::new([(x, y + 0.15), (x + bin_s, y + 0.85)], colour.filled())
                })
                .collect()
        }
        RasterSpikes::Times { spikes } => spikes
            .iter()
            .map(|&(t, row)| {
                let y = base + row as f64;
                Rectangle::new([(t, y + 0.05), (t + tick, y + 0.95)], colour.filled())
            })
            .collect(),
    }
}
