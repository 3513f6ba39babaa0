//! Where a plot is drawn: a canvas on the page (sized in device pixels so it stays sharp on
//! HiDPI screens), or an SVG document for export (vector axes, lines and text). Each plot is a
//! [`Drawing`], written once against plotters' backend trait and drawn on either.

use super::image::Image;
use super::{plot_error, Palette};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// A plot, drawn the same way on every surface.
pub trait Drawing {
    /// What drawing it tells the caller (e.g. where a raster's rows went).
    type Output;

    /// Draws on `frame`, which is cleared to the palette's background (the surface presents
    /// it afterwards).
    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<Self::Output, String>;
}

/// A surface to draw on.
pub enum Surface<'a> {
    /// A canvas on the page: its backing store is sized to its CSS box times
    /// `devicePixelRatio` first.
    Canvas(&'a HtmlCanvasElement),
    /// An SVG document (a plot saved as SVG).
    Svg(&'a mut SvgDocument),
}

/// A standalone SVG document of a plot: axes, lines and text as vectors, a raster's or heatmap's
/// marks as rectangles (one per run of equal pixels, so a dense raster stays a few thousand).
#[derive(Debug, Clone, PartialEq)]
pub struct SvgDocument {
    /// Width and height, CSS pixels (the canvas's box, so the SVG looks as the plot on screen).
    pub size: (u32, u32),
    /// The document; empty until something was drawn.
    pub text: String,
}

impl SvgDocument {
    /// An empty document of `size` CSS pixels.
    pub fn new(size: (u32, u32)) -> SvgDocument {
        SvgDocument {
            size: (size.0.max(1), size.1.max(1)),
            text: String::new(),
        }
    }
}

impl Surface<'_> {
    /// Draws `drawing` on this surface, in the page's colour scheme.
    pub fn draw<D: Drawing>(self, drawing: &D) -> Result<D::Output, String> {
        let palette = Palette::current();
        match self {
            Surface::Canvas(canvas) => {
                let ratio = fit_to_device_pixels(canvas);
                let backend = CanvasBackend::with_canvas_object(canvas.clone())
                    .ok_or_else(|| "the canvas has no 2d context".to_string())?;
                let frame = Frame::new(backend.into_drawing_area(), ratio, palette, Some(canvas))?;
                let output = drawing.draw(&frame)?;
                frame.root.present().map_err(plot_error)?;
                Ok(output)
            }
            Surface::Svg(document) => {
                document.text.clear();
                let size = document.size;
                let backend = SVGBackend::with_string(&mut document.text, size);
                let frame = Frame::new(backend.into_drawing_area(), 1.0, palette, None)?;
                let output = drawing.draw(&frame)?;
                // Presenting closes the document.
                frame.root.present().map_err(plot_error)?;
                Ok(output)
            }
        }
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

/// What a drawing draws on: the whole surface as a plotters area, its scale and colours.
pub struct Frame<'c, DB: DrawingBackend> {
    /// The whole surface, cleared to the palette's background.
    pub root: DrawingArea<DB, Shift>,
    /// Surface pixels per CSS pixel.
    ratio: f64,
    /// The colours.
    pub palette: Palette,
    /// The canvas, when drawing on one (images then go straight onto it).
    canvas: Option<&'c HtmlCanvasElement>,
}

impl<'c, DB: DrawingBackend> Frame<'c, DB> {
    fn new(
        root: DrawingArea<DB, Shift>,
        ratio: f64,
        palette: Palette,
        canvas: Option<&'c HtmlCanvasElement>,
    ) -> Result<Self, String> {
        root.fill(&palette.background).map_err(plot_error)?;
        Ok(Frame {
            root,
            ratio,
            palette,
            canvas,
        })
    }

    /// `css` CSS pixels in surface pixels (at least one).
    pub fn px(&self, css: f64) -> u32 {
        (css * self.ratio).round().max(1.0) as u32
    }

    /// Surface pixels per CSS pixel.
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// A chart over `x` and `y` in the house layout, under `title`, with `y_labels` CSS pixels
    /// for the y axis' tick labels and description.
    pub fn chart(
        &self,
        title: &str,
        y_labels: f64,
        x: std::ops::Range<f64>,
        y: std::ops::Range<f64>,
    ) -> Result<ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
        ChartBuilder::on(&self.root)
            .margin(self.px(8.0))
            .caption(title, self.palette.font(self.px(14.0)))
            .x_label_area_size(self.px(36.0))
            .y_label_area_size(self.px(y_labels))
            .build_cartesian_2d(x, y)
            .map_err(plot_error)
    }

    /// Draws `chart`'s legend (its series' labels) at `position`, on a veil of the background.
    pub fn legend<'a>(
        &self,
        chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        position: SeriesLabelPosition,
    ) -> Result<(), String>
    where
        DB: 'a,
    {
        let palette = self.palette;
        chart
            .configure_series_labels()
            .label_font(palette.font(self.px(12.0)))
            .background_style(palette.background.mix(0.85))
            .border_style(palette.grid)
            .position(position)
            .draw()
            .map_err(plot_error)
    }

    /// Composes `image` over what is drawn (its transparent pixels leave it showing): on a
    /// canvas as one image, in SVG as a rectangle per run of equal pixels.
    pub fn put_image(&self, image: &Image) -> Result<(), String> {
        if let Some(canvas) = self.canvas {
            return image.compose_onto(canvas);
        }
        let (x, y) = image.at;
        for rect in image.blocks() {
            let [r, g, b, a] = rect.rgba;
            let colour = RGBColor(r, g, b).mix(f64::from(a) / 255.0).filled();
            let corners = [
                (x + rect.x.start as i32, y + rect.y.start as i32),
                (x + rect.x.end as i32, y + rect.y.end as i32),
            ];
            self.root
                .draw(&Rectangle::new(corners, colour))
                .map_err(plot_error)?;
        }
        Ok(())
    }
}
