//! The bounded history of window summaries the dashboard draws from.
//!
//! Memory stays bounded however long a run goes: the oldest windows are dropped beyond
//! [`MAX_WINDOWS`], and counted.

use std::collections::VecDeque;
use tempora_protocol::panel::Plot;
use tempora_protocol::{TimingReport, WindowSummary};

/// `(t in s, value)` points in time order.
pub type Series = Vec<(f64, f64)>;

/// Windows kept for plotting and export.
pub const MAX_WINDOWS: usize = 400;
/// Windows that keep a large raster (only the newest is drawn): older ones drop its marks, so
/// a network of thousands of neurons holds tens of MB, not hundreds.
pub const LARGE_RASTERS_KEPT: usize = 20;
/// A raster of more numbers than this (spike times or counts) is large.
pub const LARGE_RASTER: usize = 20_000;

/// Empties the marks of `window`'s large rasters (their groups, names and rows stay).
fn drop_large_rasters(window: &mut WindowSummary) {
    use tempora_protocol::panel::RasterSpikes;
    for panel in &mut window.data.panels {
        if let Plot::Raster(raster) = &mut panel.plot {
            if raster.numbers() > LARGE_RASTER {
                for group in &mut raster.groups {
                    group.spikes = RasterSpikes::Times { spikes: Vec::new() };
                }
            }
        }
    }
}

/// Recent window summaries, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    windows: VecDeque<WindowSummary>,
    dropped: u64,
    skipped: u64,
}

impl History {
    /// Adds a window, dropping the oldest beyond the bound.
    pub fn push(&mut self, window: WindowSummary) {
        if let Some(last) = self.windows.back() {
            self.skipped += window.index.saturating_sub(last.index + 1);
        }
        self.windows.push_back(window);
        if let Some(old) = self
            .windows
            .len()
            .checked_sub(LARGE_RASTERS_KEPT + 1)
            .and_then(|i| self.windows.get_mut(i))
        {
            drop_large_rasters(old);
        }
        while self.windows.len() > MAX_WINDOWS {
            self.windows.pop_front();
            self.dropped += 1;
        }
    }

    /// Forgets everything (a new run).
    pub fn clear(&mut self) {
        self.windows.clear();
        self.dropped = 0;
        self.skipped = 0;
    }

    /// Windows held, oldest first.
    pub fn windows(&self) -> impl Iterator<Item = &WindowSummary> + Clone {
        self.windows.iter()
    }

    /// The newest window.
    pub fn latest(&self) -> Option<&WindowSummary> {
        self.windows.back()
    }

    /// Number of windows held.
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    /// True when no window is held.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// Windows the worker did not send (it sends at most one per slice, and no more than its
    /// window credit ahead of the UI's acknowledgements), counted from gaps in the indices.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Windows dropped to keep the bound.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// One value per window of line `line` of per-window panel `id`, against the window's end
    /// time (s); windows without that panel or value give no point.
    pub fn per_window(&self, id: &str, line: usize) -> Series {
        self.windows
            .iter()
            .filter_map(|w| {
                let value = w.data.per_window(id)?.lines.get(line)?.value?;
                Some((w.end_ns as f64 * 1e-9, value))
            })
            .collect()
    }

    /// Line `line` of trace panel `id`: the samples of the last `span_s` seconds, each once
    /// even where windows overlap, `(t in s, value)` in time order.
    pub fn trace(&self, id: &str, line: usize, span_s: f64) -> Series {
        self.recent_samples(0, span_s, |w| {
            let points = &w.data.trace(id)?.lines.get(line)?.points;
            Some(points.iter().map(|p| (p[0], p[1])))
        })
    }

    /// The last `count` samples of line 0 of trace panel `id` (each once), and the other
    /// lines over the same stretch of time.
    pub fn newest_trace(&self, id: &str, lines: usize, count: usize) -> Vec<Series> {
        // Only the newest windows that hold `count` samples are read (overlaps may repeat a
        // few; the cut below keeps exactly `count`).
        let mut held = 0;
        let first = self
            .windows
            .iter()
            .rposition(|w| {
                held += w
                    .data
                    .trace(id)
                    .and_then(|t| t.lines.first())
                    .map_or(0, |l| l.points.len());
                held >= count
            })
            .unwrap_or(0);
        let mut all: Vec<Series> = (0..lines)
            .map(|line| {
                self.recent_samples(first, f64::INFINITY, |w| {
                    let points = &w.data.trace(id)?.lines.get(line)?.points;
                    Some(points.iter().map(|p| (p[0], p[1])))
                })
            })
            .collect();
        let Some(head) = all.first_mut() else {
            return all;
        };
        let start = head.len().saturating_sub(count);
        let first_t = head.get(start).map_or(f64::NEG_INFINITY, |p| p.0);
        for series in &mut all {
            series.retain(|p| p.0 >= first_t);
        }
        all
    }

    /// The interval band of trace panel `id` over the last `span_s` seconds, `(t, low, high)`.
    pub fn band(&self, id: &str, span_s: f64) -> Vec<(f64, f64, f64)> {
        let mut out: Vec<(f64, f64, f64)> = Vec::new();
        for band in self
            .windows
            .iter()
            .filter_map(|w| w.data.trace(id)?.band.as_ref())
        {
            let last_t = out.last().map_or(f64::NEG_INFINITY, |p| p.0);
            out.extend(
                band.points
                    .iter()
                    .filter(|p| p[0] > last_t)
                    .map(|p| (p[0], p[1], p[2])),
            );
        }
        let end = out.last().map_or(0.0, |p| p.0);
        let start = out.partition_point(|p| p.0 < end - span_s);
        out.split_off(start)
    }

    /// The columns of heatmap strip `id`: each window's end time (s) and its counts.
    pub fn heatmap_columns(&self, id: &str) -> Vec<(f64, &[u32])> {
        self.windows
            .iter()
            .filter_map(|w| {
                let strip = match &w.data.panel(id)?.plot {
                    Plot::HeatmapStrip(h) => h,
                    _ => return None,
                };
                Some((w.end_ns as f64 * 1e-9, &strip.counts[..]))
            })
            .collect()
    }

    /// Times (s) of the event markers in the windows held, each once (overlapping windows
    /// may repeat an event).
    pub fn event_times(&self) -> Vec<f64> {
        let mut times: Vec<f64> = Vec::new();
        for w in &self.windows {
            let last = times.last().copied().unwrap_or(f64::NEG_INFINITY);
            times.extend(w.data.events.iter().map(|e| e.t_s).filter(|t| *t > last));
        }
        times
    }

    /// One timing figure per window (of any kind), against the window's end time (s).
    pub fn timing_series(&self, value: impl Fn(&TimingReport) -> f64) -> Vec<(f64, f64)> {
        self.windows
            .iter()
            .filter_map(|w| {
                w.timing
                    .as_ref()
                    .map(|t| (w.end_ns as f64 * 1e-9, value(t)))
            })
            .collect()
    }

    /// Concatenates the `(t, value)` samples that `samples` finds in each window from index
    /// `first` on, skipping those an earlier overlapping window already gave, and keeps the last
    /// `span_s` seconds. Reads the windows in place (no copy per window).
    fn recent_samples<'a, I: Iterator<Item = (f64, f64)>>(
        &'a self,
        first: usize,
        span_s: f64,
        samples: impl Fn(&'a WindowSummary) -> Option<I>,
    ) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        for points in self.windows.iter().skip(first).filter_map(samples) {
            let last_t = out.last().map_or(f64::NEG_INFINITY, |p| p.0);
            out.extend(points.filter(|p| p.0 > last_t));
        }
        let end = out.last().map_or(0.0, |p| p.0);
        let start = out.partition_point(|p| p.0 < end - span_s);
        out.split_off(start)
    }
}
