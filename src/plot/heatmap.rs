//! A heatmap strip: one column per window, one cell per histogram bin, shaded by the bin's share
//! of its column relative to the largest share shown (synaptic weight distributions over time).

use super::{draw_mesh, Drawing, Frame, Image};
use plotters::prelude::*;

/// One column: the window's end time (s) and its histogram counts.
pub type Column<'a> = (f64, &'a [u32]);

/// `columns` (in time order, equal bins over `span`) under `title`.
pub struct Heatmap<'a> {
    /// Caption.
    pub title: &'a str,
    /// Y axis label with unit (what the bins are of).
    pub y_label: &'a str,
    /// The columns, oldest first.
    pub columns: &'a [Column<'a>],
    /// The bins' range `[low, high]`.
    pub span: [f64; 2],
}

impl Drawing for Heatmap<'_> {
    type Output = ();

    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<(), String> {
        let [y_min, y_max] = self.span;
        let (px, pal, columns) = (|css| frame.px(css), frame.palette, self.columns);
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
        let mut chart = frame.chart(self.title, 56.0, (t0 - width)..t1, y_min..y_max)?;
        draw_mesh(
            &mut chart,
            "window end (s)",
            self.y_label,
            &pal,
            px(12.0),
            6,
        )?;
        let shade = |share: f64| {
            let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * share).round() as u8;
            [
                mix(pal.background.0, pal.data.0),
                mix(pal.background.1, pal.data.1),
                mix(pal.background.2, pal.data.2),
                255,
            ]
        };
        let share = |c: u32, counts: &[u32]| {
            c as f64 / counts.iter().map(|&c| c as f64).sum::<f64>().max(1.0)
        };
        // Full colour for the largest share shown, so the strip uses the whole ramp.
        let top = columns
            .iter()
            .flat_map(|(_, counts)| counts.iter().map(|&c| share(c, counts)))
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE);
        // Thousands of cells: painted into one image rather than a rectangle each, which would
        // cost a canvas call per cell on every frame.
        let mut image = Image::over_plotting_area(&chart);
        let (w, h) = image.size;
        image.fill(0..w, 0..h, shade(0.0));
        let mut previous = t0 - width;
        for &(t, counts) in columns {
            let bin = (y_max - y_min) / counts.len().max(1) as f64;
            // From the previous column's end, so skipped windows leave no gaps.
            let start = std::mem::replace(&mut previous, t);
            for (i, &c) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
                // A square root keeps small shares visible next to the bounds' peaks.
                let colour = shade((share(c, counts) / top).sqrt());
                let (xa, ya) =
                    image.local(chart.backend_coord(&(start, y_min + (i + 1) as f64 * bin)));
                let (xb, yb) = image.local(chart.backend_coord(&(t, y_min + i as f64 * bin)));
                image.fill(xa..xb, ya..yb, colour);
            }
        }
        frame.put_image(&image)?;
        Ok(())
    }
}
