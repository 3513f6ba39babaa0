//! Marks too many for one element each (a raster's spikes, a heatmap's cells), painted into one
//! RGBA image over a chart's plotting area: a canvas takes it in one call; an SVG takes it as a
//! rectangle per run of equal pixels.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use web_sys::HtmlCanvasElement;

/// An RGBA image placed on a surface.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Row-major RGBA bytes, `size.0 * size.1 * 4` of them.
    pub pixels: Vec<u8>,
    /// Width and height, pixels.
    pub size: (usize, usize),
    /// Where its top left goes on the surface, pixels.
    pub at: (i32, i32),
}

/// An axis-aligned block of pixels of one colour, `x` and `y` relative to the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Columns, end excluded.
    pub x: Range<usize>,
    /// Rows, end excluded.
    pub y: Range<usize>,
    /// The colour, RGBA.
    pub rgba: [u8; 4],
}

impl Image {
    /// A transparent image of `size` at `at`.
    pub fn new(size: (usize, usize), at: (i32, i32)) -> Image {
        Image {
            pixels: vec![0; size.0 * size.1 * 4],
            size,
            at,
        }
    }

    /// A transparent image covering `chart`'s plotting area.
    pub fn over_plotting_area<DB: DrawingBackend>(
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> Image {
        let (x, y) = chart.plotting_area().get_pixel_range();
        let size = (
            (x.end - x.start).max(1) as usize,
            (y.end - y.start).max(1) as usize,
        );
        Image::new(size, (x.start, y.start))
    }

    /// A surface pixel as a pixel of this image, clamped to its edges (an end may equal the
    /// size).
    pub fn local(&self, (x, y): (i32, i32)) -> (usize, usize) {
        (
            (x - self.at.0).clamp(0, self.size.0 as i32) as usize,
            (y - self.at.1).clamp(0, self.size.1 as i32) as usize,
        )
    }

    /// Paints columns `x` and rows `y` (each at least one pixel wide, cut at the edges).
    pub fn fill(&mut self, x: Range<usize>, y: Range<usize>, rgba: [u8; 4]) {
        let (w, h) = self.size;
        let x = x.start.min(w)..x.end.max(x.start + 1).min(w);
        for row in y.start.min(h)..y.end.max(y.start + 1).min(h) {
            for k in (row * w + x.start)..(row * w + x.end) {
                self.pixels[k * 4..k * 4 + 4].copy_from_slice(&rgba);
            }
        }
    }

    /// Draws the image onto `canvas` through a scratch canvas (`drawImage` blends, where
    /// `putImageData` would replace what is under the transparent pixels).
    pub fn compose_onto(&self, canvas: &HtmlCanvasElement) -> Result<(), String> {
        let (w, h) = self.size;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let scratch: HtmlCanvasElement = document
            .create_element("canvas")
            .map_err(|e| format!("{e:?}"))
            .and_then(|e| {
                wasm_bindgen::JsCast::dyn_into(e).map_err(|_| "not a canvas".to_string())
            })?;
        scratch.set_width(w as u32);
        scratch.set_height(h as u32);
        let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(&self.pixels),
            w as u32,
            h as u32,
        )
        .map_err(|e| format!("plot image: {e:?}"))?;
        context_2d(&scratch)?
            .put_image_data(&data, 0.0, 0.0)
            .map_err(|e| format!("plot image: {e:?}"))?;
        context_2d(canvas)?
            .draw_image_with_html_canvas_element(
                &scratch,
                f64::from(self.at.0),
                f64::from(self.at.1),
            )
            .map_err(|e| format!("plot image: {e:?}"))
    }
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

impl Image {
    /// The pixels that are not fully transparent, as blocks: runs of one colour along each row,
    /// a run continued by the same run on the rows below it (a raster row several pixels tall
    /// is one block). Every such pixel lies in exactly one block; blocks come in the order of
    /// their first row, then column.
    pub fn blocks(&self) -> Vec<Block> {
        let image = self;
        let (w, h) = image.size;
        let mut blocks: Vec<Block> = Vec::new();
        // The blocks that reached the previous row, by their columns and colour.
        let mut open: HashMap<(usize, usize, [u8; 4]), usize> = HashMap::new();
        for row in 0..h {
            let pixel = |x: usize| -> [u8; 4] {
                let k = (row * w + x) * 4;
                image.pixels[k..k + 4].try_into().expect("four bytes")
            };
            let mut reached = HashMap::new();
            let mut x = 0;
            while x < w {
                let rgba = pixel(x);
                let start = x;
                while x < w && pixel(x) == rgba {
                    x += 1;
                }
                if rgba[3] == 0 {
                    continue;
                }
                let key = (start, x, rgba);
                let index = match open.get(&key) {
                    Some(&index) => {
                        blocks[index].y.end = row + 1;
                        index
                    }
                    None => {
                        blocks.push(Block {
                            x: start..x,
                            y: row..row + 1,
                            rgba,
                        });
                        blocks.len() - 1
                    }
                };
                reached.insert(key, index);
            }
            open = reached;
        }
        blocks
    }
}
