//! Canvas plots drawn with plotters-canvas on the main thread (plotters' text needs `window`,
//! which a worker lacks). Canvases are sized in device pixels so they stay sharp on HiDPI
//! screens; every axis says its unit.

mod bars;
mod line;
mod log_bars;
mod polar;
mod raster;

pub use bars::draw_histogram;
pub use line::{draw_line, LinePlot};
pub use log_bars::draw_log_histogram;
pub use polar::draw_polar;
pub use raster::draw_raster;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Line colour of data.
pub const DATA: RGBColor = RGBColor(37, 99, 235);
/// Colour of a second series or a marker (targets, output spikes).
pub const ACCENT: RGBColor = RGBColor(220, 38, 38);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(235, 235, 240);

/// Sizes the canvas' backing store to its CSS box times `devicePixelRatio`; returns the ratio.
pub fn fit_to_device_pixels(canvas: &HtmlCanvasElement) -> f64 {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let width = (canvas.client_width().max(1) as f64 * ratio).round() as u32;
    let height = (canvas.client_height().max(1) as f64 * ratio).round() as u32;
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    ratio
}

/// The drawing area of one canvas.
type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;

/// A drawing area on `canvas`, cleared, and a function from CSS pixels to device pixels.
fn prepare(canvas: &HtmlCanvasElement) -> Result<(Area, impl Fn(f64) -> u32), String> {
    let ratio = fit_to_device_pixels(canvas);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "the canvas has no 2d context".to_string())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    Ok((root, move |css: f64| (css * ratio).round().max(1.0) as u32))
}

/// Draws a chart's axes and grid in the house style: labelled axes, light grid, `x_labels` ticks.
fn draw_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_label: &str,
    y_label: &str,
    font: &FontDesc<'_>,
    x_labels: usize,
) -> Result<(), String> {
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .light_line_style(GRID)
        .x_labels(x_labels)
        .draw()
        .map_err(plot_error)
}

/// A tick label for `v` on an axis spanning `span`: enough decimals to tell ticks apart, and
/// scientific notation for very large or very small magnitudes.
pub fn tick_label(v: f64, span: f64) -> String {
    let magnitude = v.abs().max(span.abs());
    if magnitude >= 1e5 || (magnitude > 0.0 && magnitude < 1e-3) {
        return format!("{v:.2e}");
    }
    let step = span.abs() / 6.0;
    let decimals = if step > 0.0 {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    } else {
        1
    };
    let text = format!("{v:.decimals$}");
    // "-0.00" reads as a bug.
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

fn plot_error<E: std::fmt::Debug>(e: E) -> String {
    format!("plot: {e:?}")
}
