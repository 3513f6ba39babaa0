//! Canvas plots drawn with plotters-canvas on the main thread (plotters' text needs `window`,
//! which a worker lacks). Canvases are sized in device pixels so they stay sharp on HiDPI screens.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

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

/// Draws `points` (`(t in s, value)`) as a line over the last `span_s` seconds.
pub fn draw_trace(
    canvas: &HtmlCanvasElement,
    points: &[(f64, f64)],
    span_s: f64,
    title: &str,
    y_label: &str,
) -> Result<(), String> {
    let ratio = fit_to_device_pixels(canvas);
    let px = |css: f64| (css * ratio).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "the canvas has no 2d context".to_string())?;
    let root = backend.into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| format!("plot: {e:?}");
    root.fill(&WHITE).map_err(err)?;

    let t_end = points.last().map_or(span_s, |p| p.0.max(span_s));
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let (lo, hi) = if lo.is_finite() {
        (lo, hi)
    } else {
        (-1.0, 1.0)
    };
    let pad = ((hi - lo) * 0.1).max(0.5);

    let font = ("sans-serif", px(13.0)).into_font();
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .caption(title, ("sans-serif", px(15.0)))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d((t_end - span_s)..t_end, (lo - pad)..(hi + pad))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("logical time (s)")
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font)
        .light_line_style(RGBColor(235, 235, 240))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            points.iter().copied(),
            ShapeStyle::from(&RGBColor(37, 99, 235)).stroke_width(px(1.5)),
        ))
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}
