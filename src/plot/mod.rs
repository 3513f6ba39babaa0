//! Canvas plots drawn with plotters-canvas on the main thread (plotters' text needs `window`,
//! which a worker lacks). Canvases are sized in device pixels so they stay sharp on HiDPI
//! screens; every axis says its unit.

mod bars;
mod heatmap;
mod line;
mod log_bars;
mod polar;
mod raster;

pub use bars::draw_histogram;
pub use heatmap::draw_heatmap;
pub use line::{draw_line, LinePlot};
pub use log_bars::draw_log_histogram;
pub use polar::draw_polar;
pub use raster::{draw_raster, RowMap};

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The colours of a plot, following the page's light or dark scheme (as the CSS does).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    /// Canvas background (the panel colour).
    pub background: RGBColor,
    /// Text, axes and tick labels.
    pub text: RGBColor,
    /// Light grid lines.
    pub grid: RGBColor,
    /// Major grid lines.
    pub grid_bold: RGBColor,
    /// The data series.
    pub data: RGBColor,
    /// A second series, markers, output spikes.
    pub accent: RGBColor,
    /// Targets (e.g. the phase-bias target).
    pub target: RGBColor,
}

/// On a light page.
pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(27, 31, 36),
    grid: RGBColor(235, 235, 240),
    grid_bold: RGBColor(205, 208, 214),
    data: RGBColor(37, 99, 235),
    accent: RGBColor(220, 38, 38),
    target: RGBColor(21, 128, 61),
};

/// On a dark page.
pub const DARK: Palette = Palette {
    background: RGBColor(29, 33, 39),
    text: RGBColor(230, 233, 238),
    grid: RGBColor(44, 49, 58),
    grid_bold: RGBColor(70, 77, 89),
    data: RGBColor(96, 165, 250),
    accent: RGBColor(248, 113, 113),
    target: RGBColor(74, 222, 128),
};

impl Palette {
    /// The palette for the page's current colour scheme (`prefers-color-scheme`).
    pub fn current() -> Palette {
        let dark = web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches());
        if dark {
            DARK
        } else {
            LIGHT
        }
    }

    /// Text of `size` device pixels in this palette's text colour.
    pub fn font(&self, size: u32) -> TextStyle<'static> {
        ("sans-serif", size).into_font().color(&self.text)
    }
}

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

/// A drawing area on `canvas`, cleared to the palette's background, a function from CSS pixels
/// to device pixels, and the palette.
fn prepare(canvas: &HtmlCanvasElement) -> Result<(Area, impl Fn(f64) -> u32, Palette), String> {
    let ratio = fit_to_device_pixels(canvas);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "the canvas has no 2d context".to_string())?;
    let root = backend.into_drawing_area();
    let palette = Palette::current();
    root.fill(&palette.background).map_err(plot_error)?;
    Ok((
        root,
        move |css: f64| (css * ratio).round().max(1.0) as u32,
        palette,
    ))
}

/// The canvas's 2d context.
fn context_2d(canvas: &HtmlCanvasElement) -> Result<web_sys::CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| wasm_bindgen::JsCast::dyn_into(c).ok())
        .ok_or_else(|| "no 2d context".to_string())
}

/// Puts an RGBA `image` of `(w, h)` pixels on `canvas` with its top left at `at` (canvas
/// pixels): a plot of many marks as one image, not one path per mark.
fn put_area_image(
    canvas: &HtmlCanvasElement,
    image: &[u8],
    at: (i32, i32),
    (w, h): (usize, usize),
) -> Result<(), String> {
    let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(image),
        w as u32,
        h as u32,
    )
    .map_err(|e| format!("plot image: {e:?}"))?;
    context_2d(canvas)?
        .put_image_data(&data, f64::from(at.0), f64::from(at.1))
        .map_err(|e| format!("plot image: {e:?}"))
}

/// Draws a chart's axes and grid in the house style: labelled axes, light grid, `x_labels` ticks.
fn draw_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_label: &str,
    y_label: &str,
    palette: &Palette,
    font_size: u32,
    x_labels: usize,
) -> Result<(), String> {
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(palette.font(font_size))
        .axis_desc_style(palette.font(font_size))
        .axis_style(palette.text)
        .bold_line_style(palette.grid_bold)
        .light_line_style(palette.grid)
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
