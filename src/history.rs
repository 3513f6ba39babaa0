//! The bounded history of window summaries the dashboard draws from.
//!
//! Memory stays bounded however long a run goes: the oldest windows are dropped beyond
//! [`MAX_WINDOWS`], and counted.

use std::collections::VecDeque;
use tempora_protocol::window::{
    NetSample, NetWindow, SpikeWindow, SwarmSample, SwarmWindow, WindowData, WindowSummary,
};
use tempora_protocol::TimingReport;

/// `(t in s, value)` points in time order.
pub type Series = Vec<(f64, f64)>;

/// Windows kept for plotting and export.
pub const MAX_WINDOWS: usize = 400;

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
    pub fn windows(&self) -> impl Iterator<Item = &WindowSummary> {
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

    /// The newest spiking window, if the run is a spiking preset.
    pub fn latest_spiking(&self) -> Option<&SpikeWindow> {
        match &self.latest()?.data {
            WindowData::Spiking(s) => Some(s),
            _ => None,
        }
    }

    /// The newest swarm window, if the run is the swarm preset.
    pub fn latest_swarm(&self) -> Option<&SwarmWindow> {
        match &self.latest()?.data {
            WindowData::Swarm(s) => Some(s),
            _ => None,
        }
    }

    /// One value per swarm window, against the window's end time (s).
    pub fn swarm_series(&self, value: impl Fn(&SwarmWindow) -> Option<f64>) -> Vec<(f64, f64)> {
        self.series(|data| match data {
            WindowData::Swarm(s) => value(s),
            _ => None,
        })
    }

    /// `value` of each swarm sample of the last `span_s` seconds, each sample once.
    pub fn swarm_samples(&self, span_s: f64, value: fn(&SwarmSample) -> f64) -> Series {
        self.recent_samples(0, span_s, |data| match data {
            WindowData::Swarm(s) => Some(s.samples.iter().map(move |p| (p.t_s, value(p)))),
            _ => None,
        })
    }

    /// End times (s) of the escalated swarm windows held.
    pub fn escalation_times(&self) -> Vec<f64> {
        self.swarm_series(|s| s.decision.escalated.as_ref().map(|_| 0.0))
            .into_iter()
            .map(|p| p.0)
            .collect()
    }

    /// The newest network window, if the run is a network preset.
    pub fn latest_network(&self) -> Option<&NetWindow> {
        match &self.latest()?.data {
            WindowData::Network(n) => Some(n),
            _ => None,
        }
    }

    /// One value per window, against the window's end time (s).
    fn series(&self, value: impl Fn(&WindowData) -> Option<f64>) -> Vec<(f64, f64)> {
        self.windows
            .iter()
            .filter_map(|w| value(&w.data).map(|v| (w.end_ns as f64 * 1e-9, v)))
            .collect()
    }

    /// One value per spiking window, against the window's end time (s).
    pub fn spiking_series(&self, value: impl Fn(&SpikeWindow) -> Option<f64>) -> Vec<(f64, f64)> {
        self.series(|data| match data {
            WindowData::Spiking(s) => value(s),
            _ => None,
        })
    }

    /// One value per network window, against the window's end time (s).
    pub fn network_series(&self, value: impl Fn(&NetWindow) -> Option<f64>) -> Vec<(f64, f64)> {
        self.series(|data| match data {
            WindowData::Network(n) => value(n),
            _ => None,
        })
    }

    /// Network output 0 and its target, the last `count` samples, each once even where windows
    /// overlap.
    pub fn network_outputs(&self, count: usize) -> (Series, Series) {
        // Only the newest windows that hold `count` samples are read (overlaps may repeat a
        // few; the cut below keeps exactly `count`).
        let mut held = 0;
        let first = self
            .windows
            .iter()
            .rposition(|w| {
                if let WindowData::Network(n) = &w.data {
                    held += n.samples.len();
                }
                held >= count
            })
            .unwrap_or(0);
        fn network(data: &WindowData) -> Option<std::slice::Iter<'_, NetSample>> {
            match data {
                WindowData::Network(n) => Some(n.samples.iter()),
                _ => None,
            }
        }
        let mut output = self.recent_samples(first, f64::INFINITY, |data| {
            network(data).map(|s| s.map(|s| (s.t_s, s.output)))
        });
        let mut target = self.recent_samples(first, f64::INFINITY, |data| {
            network(data).map(|s| s.filter_map(|s| s.target.map(|t| (s.t_s, t))))
        });
        let start = output.len().saturating_sub(count);
        let first_t = output.get(start).map_or(f64::NEG_INFINITY, |p| p.0);
        output.drain(..start);
        target.retain(|p| p.0 >= first_t);
        (output, target)
    }

    /// Times (s) of the watchdog events in the windows held, each once.
    pub fn watchdog_times(&self) -> Vec<f64> {
        let mut times: Vec<f64> = Vec::new();
        for w in &self.windows {
            if let WindowData::Network(n) = &w.data {
                let last = times.last().copied().unwrap_or(f64::NEG_INFINITY);
                times.extend(
                    n.watchdog
                        .events
                        .iter()
                        .map(|e| e.t_s)
                        .filter(|t| *t > last),
                );
            }
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

    /// The membrane samples of the last `span_s` seconds, each once even where windows overlap.
    pub fn membrane(&self, span_s: f64) -> Vec<(f64, f64)> {
        self.recent_samples(0, span_s, |data| match data {
            WindowData::Spiking(s) => Some(s.membrane.iter().map(|p| (p[0], p[1]))),
            _ => None,
        })
    }

    /// The trace of the last `span_s` seconds of logical time, each sample once even where
    /// windows overlap: `(t in s, value)` in time order.
    pub fn trace(&self, span_s: f64) -> Vec<(f64, f64)> {
        self.recent_samples(0, span_s, |data| match data {
            WindowData::Trace { points, .. } => Some(points.iter().map(|p| (p[0], p[1]))),
            _ => None,
        })
    }

    /// Concatenates the `(t, value)` samples that `samples` finds in each window from index
    /// `first` on, skipping those an earlier overlapping window already gave, and keeps the last
    /// `span_s` seconds. Reads the windows in place (no copy per window).
    fn recent_samples<'a, I: Iterator<Item = (f64, f64)>>(
        &'a self,
        first: usize,
        span_s: f64,
        samples: impl Fn(&'a WindowData) -> Option<I>,
    ) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        for points in self
            .windows
            .iter()
            .skip(first)
            .filter_map(|w| samples(&w.data))
        {
            let last_t = out.last().map_or(f64::NEG_INFINITY, |p| p.0);
            out.extend(points.filter(|p| p.0 > last_t));
        }
        let end = out.last().map_or(0.0, |p| p.0);
        let start = out.partition_point(|p| p.0 < end - span_s);
        out.split_off(start)
    }
}
