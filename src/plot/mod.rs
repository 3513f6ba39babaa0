//! Plots drawn with plotters on the main thread (plotters' text needs `window`, which a worker
//! lacks), on a canvas or into an SVG document ([`Surface`]); every axis says its unit.

mod bars;
mod heatmap;
mod image;
mod line;
mod log_bars;
mod polar;
mod raster;
mod surface;

pub use bars::Histogram;
pub use heatmap::{Column, Heatmap};
pub use image::{Block, Image};
pub use line::LinePlot;
pub use log_bars::LogHistogram;
pub use polar::PolarPlot;
pub use raster::{RasterPlot, RowMap};
pub use surface::{fit_to_device_pixels, Drawing, Frame, Surface, SvgDocument};

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

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
