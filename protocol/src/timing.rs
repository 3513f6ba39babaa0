//! The scheduler's timing figures as the UI receives them: measured against the wall clock, so
//! they differ between runs by nature and are kept apart from a window's deterministic content.

use serde::{Deserialize, Serialize};

/// Summary statistics of one distribution, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Stats {
    /// Number of samples.
    pub count: u64,
    /// Smallest, ns.
    pub min: u64,
    /// Mean, ns.
    pub mean: f64,
    /// Median, ns.
    pub p50: u64,
    /// 99th percentile, ns.
    pub p99: u64,
    /// Largest, ns.
    pub max: u64,
}

/// One task kind's figures in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindReport {
    /// The task kind.
    pub kind: String,
    /// Lateness, ns.
    pub lateness: Stats,
    /// Duration, ns.
    pub duration: Stats,
}

/// Scheduler timing over the slices that produced one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimingReport {
    /// Per task kind, sorted by kind.
    pub kinds: Vec<KindReport>,
    /// Lateness of all tasks, ns.
    pub lateness: Stats,
    /// Log2 lateness buckets: `(upper bound ns, count)`.
    pub lateness_buckets: Vec<(u64, u64)>,
    /// Tasks dispatched per wall second over the measured period.
    pub tasks_per_s: f64,
    /// Busy wall time over elapsed wall time (0..1).
    pub slice_load: f64,
    /// Times the runner caught up a backlog within the bound.
    pub catch_up_events: u64,
    /// Times the runner dropped a backlog and re-anchored.
    pub reanchor_events: u64,
    /// Wall time skipped by re-anchoring, ns.
    pub skipped_wall_ns: u64,
    /// Times the wall clock went backwards (the runner re-anchored each time).
    pub clock_jumps_back: u64,
    /// Lateness of every task since the run started (or the pacing changed), ns: the figure a
    /// benchmark reads from the last window.
    pub run_lateness: Stats,
}
