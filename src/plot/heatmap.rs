//! A heatmap strip: one column per window, one cell per histogram bin, shaded by the bin's share
//! of its column relative to the largest share shown (synaptic weight distributions over time).

use super::{draw_mesh, plot_error, prepare, put_area_image};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

/// One column: the window's end time (s) and its histogram counts.
pub type Column<'a> = (f64, &'a [u32]);

/// Draws `columns` (in time order, equal bins over `span`).
pub fn draw_heatmap(
    canvas: &HtmlCanvasElement,
    title: &str,
    y_label: &str,
    columns: &[Column<'_>],
    span: [f64; 2],
) -> Result<(), String> {
    let [y_min, y_max] = span;
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
        .build_cartesian_2d((t0 - width)..t1, y_min..y_max)
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
    let share =
        |c: u32, counts: &[u32]| c as f64 / counts.iter().map(|&c| c as f64).sum::<f64>().max(1.0);
    // Full colour for the largest share shown, so the strip uses the whole ramp.
    let top = columns
        .iter()
        .flat_map(|(_, counts)| counts.iter().map(|&c| share(c, counts)))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    // Thousands of cells: paint them into one image (one canvas call) rather than one
    // rectangle each, which would cost a canvas call per cell on every frame.
    let (x_px, y_px) = chart.plotting_area().get_pixel_range();
    let (w, h) = (
        (x_px.end - x_px.start).max(1) as usize,
        (y_px.end - y_px.start).max(1) as usize,
    );
    let mut image = vec![0u8; w * h * 4];
    for px in image.chunks_exact_mut(4) {
        px.copy_from_slice(&[pal.background.0, pal.background.1, pal.background.2, 255]);
    }
    let to_px = |t: f64, y: f64| {
        let (x, y) = chart.backend_coord(&(t, y));
        (
            (x - x_px.start).clamp(0, w as i32) as usize,
            (y - y_px.start).clamp(0, h as i32) as usize,
        )
    };
    let mut previous = t0 - width;
    for &(t, counts) in columns {
        let bin = (y_max - y_min) / counts.len().max(1) as f64;
        // From the previous column's end, so skipped windows leave no gaps.
        let start = std::mem::replace(&mut previous, t);
        for (i, &c) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
            // A square root keeps small shares visible next to the bounds' peaks.
            let colour = shade((share(c, counts) / top).sqrt());
            let (xa, ya) = to_px(start, y_min + (i + 1) as f64 * bin);
            let (xb, yb) = to_px(t, y_min + i as f64 * bin);
            for row in ya..yb.max(ya + 1).min(h) {
                for col in xa..xb.max(xa + 1).min(w) {
                    let k = (row * w + col) * 4;
                    image[k..k + 3].copy_from_slice(&[colour.0, colour.1, colour.2]);
                }
            }
        }
    }
    put_area_image(canvas, &image, (x_px.start, y_px.start), (w, h))?;
    root.present().map_err(plot_error)
}
