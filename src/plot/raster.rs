//! The spike raster of one window: groups of rows (populations, or the inputs and the output of
//! a neuron) stacked bottom to top, each in its own colour; binned counts as cells, exact spike
//! times as ticks. The marks are drawn as one image (thousands of neurons, tens of thousands of
//! spikes per window): rows share a pixel where there are more rows than pixels.

use super::{draw_mesh, plot_error, Drawing, Frame, Image};
use plotters::prelude::*;
use tempora_protocol::panel::{Raster, RasterGroup, RasterPick, RasterSpikes};

/// Rows of space between two groups.
const GROUP_GAP: f64 = 1.0;

/// Where a raster's rows were drawn: which neuron a click on the canvas picks.
#[derive(Debug, Clone, PartialEq)]
pub struct RowMap {
    /// The plotting area's top and bottom, device pixels.
    top: f64,
    bottom: f64,
    /// Rows drawn, gaps included.
    rows: f64,
    /// Device pixels per CSS pixel.
    ratio: f64,
    /// Each group's first row, rows and population.
    groups: Vec<(f64, u32, Option<RasterPick>)>,
}

impl RowMap {
    /// The population and neuron under a click `y_css` CSS pixels below the canvas's top.
    pub fn pick(&self, y_css: f64) -> Option<(String, u32)> {
        let y = y_css * self.ratio;
        if !(self.top..self.bottom).contains(&y) {
            return None;
        }
        let value = self.rows * (self.bottom - y) / (self.bottom - self.top).max(1.0);
        self.groups.iter().find_map(|(base, rows, pick)| {
            let row = value - base;
            let pick = pick.as_ref()?;
            (0.0..f64::from(*rows)).contains(&row).then(|| {
                (
                    pick.population.clone(),
                    pick.neuron_of_row(row as u32, *rows),
                )
            })
        })
    }
}

/// `raster` under `title`; drawing it tells where its rows went.
pub struct RasterPlot<'a> {
    /// Caption.
    pub title: &'a str,
    /// The groups of rows and their spikes.
    pub raster: &'a Raster,
}

impl Drawing for RasterPlot<'_> {
    type Output = RowMap;

    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>) -> Result<RowMap, String> {
        let (px, pal, raster) = (|css| frame.px(css), frame.palette, self.raster);
        let (t0, t1) = (
            raster.start_s,
            raster.end_s.max(raster.start_s + f64::EPSILON),
        );
        let rows: f64 = raster.groups.iter().map(|g| g.rows as f64).sum::<f64>()
            + GROUP_GAP * raster.groups.len().saturating_sub(1) as f64;
        let rows = rows.max(1.0);
        let mut chart = frame.chart(self.title, 48.0, t0..t1, 0.0..rows)?;
        draw_mesh(
            &mut chart,
            "logical time (s)",
            "neuron (row)",
            &pal,
            px(12.0),
            6,
        )?;
        let colours = [pal.data, pal.accent, pal.target, pal.text];
        // The marks, as one image over the plotting area (transparent where there is no
        // spike, so the grid shows through).
        let mut image = Image::over_plotting_area(&chart);
        let (_, y_px) = chart.plotting_area().get_pixel_range();
        let mut map = RowMap {
            top: f64::from(y_px.start),
            bottom: f64::from(y_px.end),
            rows,
            ratio: frame.ratio(),
            groups: Vec::new(),
        };
        let mut base = 0.0;
        for (g, group) in raster.groups.iter().enumerate() {
            map.groups.push((base, group.rows, group.pick.clone()));
            let c = colours[g % colours.len()];
            for (ta, tb, row) in marks(group, t0, t1) {
                let (xa, yb) = image.local(chart.backend_coord(&(ta, base + row as f64)));
                let (xb, ya) = image.local(chart.backend_coord(&(tb, base + row as f64 + 1.0)));
                // Rows taller than a few pixels keep a pixel between them.
                let ya = if yb > ya + 3 { ya + 1 } else { ya };
                image.fill(xa..xb, ya..yb, [c.0, c.1, c.2, 255]);
            }
            base += group.rows as f64 + GROUP_GAP;
        }
        frame.put_image(&image)?;
        // Legend entries (the marks themselves are in the image).
        for (g, group) in raster.groups.iter().enumerate() {
            let colour = colours[g % colours.len()];
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(plot_error)?
                .label(match group.rows {
                    1 => format!("{} (1 row)", group.name),
                    _ => group.name.clone(),
                })
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 4), (x + 12, y + 4)], colour.filled())
                });
        }
        if raster.groups.len() > 1 {
            frame.legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        Ok(map)
    }
}

/// The marks of a group: `(from s, to s, row)`, a bin's span for counts, a tick for times.
fn marks(group: &RasterGroup, t0: f64, t1: f64) -> Vec<(f64, f64, u32)> {
    match &group.spikes {
        RasterSpikes::Binned { bins, counts } => {
            let bins = (*bins).max(1) as usize;
            let bin_s = (t1 - t0) / bins as f64;
            counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, _)| {
                    let x = t0 + (i % bins) as f64 * bin_s;
                    (x, x + bin_s, (i / bins) as u32)
                })
                .collect()
        }
        RasterSpikes::Times { spikes } => {
            let tick = (t1 - t0) / 600.0;
            spikes.iter().map(|&(t, row)| (t, t + tick, row)).collect()
        }
    }
}
