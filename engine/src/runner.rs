//! Pacing: runs a simulation's due work against a wall clock, in slices.
//!
//! Ground rules:
//! - Pacing never changes *what* runs or at which logical time; it only decides *when* (in wall
//!   time) the scheduler is asked for the next task. However late or batched the host wakes us,
//!   the released work runs in logical order with its logical timestamps.
//! - In real-time mode a task due at logical `t` has the ideal wall time
//!   `anchor_wall + (t - anchor_logical) / speed`. Lateness = actual - ideal.
//! - Falling behind is explicit: a lag up to `catch_up_bound_ns` is caught up by running the
//!   backlog as fast as possible (counted as a catch-up event); a larger lag drops the backlog's
//!   wall-time schedule and re-anchors at the current task (counted, with the wall time skipped).
//! - A slice stops when its wall budget is spent, so a worker stays responsive to commands.

use crate::clock::Clock;
use crate::metrics::{Distribution, KindMetrics, KindReport, Stats};
use crate::protocol::WindowSummary;
use crate::simulation::Simulation;
use crate::time::TimePoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How logical time is paced against the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Pacing {
    /// Logical time advances `speed` times as fast as wall time (1.0 = real time).
    RealTime {
        /// Logical seconds per wall second, > 0.
        speed: f64,
    },
    /// No waiting: run as fast as the host allows.
    AsFastAsPossible,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing::RealTime { speed: 1.0 }
    }
}

impl Pacing {
    /// Checks the speed factor (finite, 1e-6 ..= 1e9).
    pub fn validate(self) -> Result<Self, String> {
        match self {
            Pacing::RealTime { speed } if !(1e-6..=1e9).contains(&speed) || speed.is_nan() => Err(
                format!("speed {speed} is out of range [1e-6, 1e9] (logical s per wall s)"),
            ),
            ok => Ok(ok),
        }
    }
}

/// Lag (ns) below which a task counts as on time for catch-up accounting.
const ON_TIME_TOLERANCE_NS: u64 = 1_000_000;
/// How many tasks run between clock reads when no pacing is needed.
const CLOCK_READ_STRIDE: u32 = 64;

/// Why a slice ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceEnd {
    /// The wall budget is spent; call again soon (after yielding to the host).
    BudgetSpent,
    /// The next task's ideal wall time is in the future: wait until this wall time (ns), then call again.
    WaitUntil(u64),
    /// A window closed and the slice was asked to stop after one (single-step mode).
    WindowClosed,
    /// Nothing is due before the stop time, or nothing is scheduled at all.
    Finished,
}

/// Limits of one slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SliceLimits {
    /// Wall time the slice may take, ns.
    pub budget_ns: u64,
    /// Do not run tasks due after this logical time.
    pub stop_at: Option<TimePoint>,
    /// Return as soon as a window closes.
    pub stop_after_window: bool,
}

#[derive(Debug, Clone, Copy)]
struct Anchor {
    wall_ns: u64,
    logical: TimePoint,
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
}

/// Drives a [`Simulation`] against a [`Clock`] with a [`Pacing`].
#[derive(Debug)]
pub struct Runner {
    pacing: Pacing,
    catch_up_bound_ns: u64,
    anchor: Option<Anchor>,
    behind: bool,
    // Metrics since the last window closed.
    kinds: BTreeMap<&'static str, KindMetrics>,
    all_lateness: Distribution,
    tasks: u64,
    busy_ns: u64,
    since_wall_ns: Option<u64>,
    catch_up_events: u64,
    reanchor_events: u64,
    skipped_wall_ns: u64,
}

impl Runner {
    /// A runner with the given pacing; lags up to `catch_up_bound_ns` are caught up, longer ones re-anchor.
    pub fn new(pacing: Pacing, catch_up_bound_ns: u64) -> Self {
        Runner {
            pacing,
            catch_up_bound_ns,
            anchor: None,
            behind: false,
            kinds: BTreeMap::new(),
            all_lateness: Distribution::default(),
            tasks: 0,
            busy_ns: 0,
            since_wall_ns: None,
            catch_up_events: 0,
            reanchor_events: 0,
            skipped_wall_ns: 0,
        }
    }

    /// The pacing in force.
    pub fn pacing(&self) -> Pacing {
        self.pacing
    }

    /// Changes the pacing; the next slice re-anchors so the change does not count as lag.
    pub fn set_pacing(&mut self, pacing: Pacing) {
        self.pacing = pacing;
        self.anchor = None;
    }

    /// Forgets the anchor (call after a pause, so the paused time is not counted as lag).
    pub fn pause(&mut self) {
        self.anchor = None;
    }

    /// The ideal wall time of logical time `t` under the current anchor (real-time mode only).
    fn ideal_wall_ns(&self, t: TimePoint) -> Option<u64> {
        let (Pacing::RealTime { speed }, Some(anchor)) = (self.pacing, self.anchor) else {
            return None;
        };
        let logical_ns = t.0.saturating_sub(anchor.logical.0) as f64;
        Some(anchor.wall_ns.saturating_add((logical_ns / speed) as u64))
    }

    /// Runs due work until a limit is hit; closed windows are appended to `out` with timing attached.
    pub fn run_slice(
        &mut self,
        sim: &mut dyn Simulation,
        clock: &dyn Clock,
        limits: SliceLimits,
        out: &mut Vec<WindowSummary>,
    ) -> SliceEnd {
        let slice_start = clock.now_ns();
        self.since_wall_ns.get_or_insert(slice_start);
        let mut wall = slice_start;
        let mut busy_from = slice_start;
        let mut since_read = 0u32;
        let end = loop {
            let Some(due) = sim.next_due() else {
                break SliceEnd::Finished;
            };
            if limits.stop_at.is_some_and(|stop| due > stop) {
                break SliceEnd::Finished;
            }
            self.anchor.get_or_insert(Anchor {
                wall_ns: wall,
                logical: due,
            });
            let pacing_needed = matches!(self.pacing, Pacing::RealTime { .. });
            if pacing_needed || since_read >= CLOCK_READ_STRIDE {
                wall = clock.now_ns();
                since_read = 0;
            }
            if wall.saturating_sub(slice_start) >= limits.budget_ns {
                break SliceEnd::BudgetSpent;
            }
            let lateness = match self.ideal_wall_ns(due) {
                Some(ideal) if ideal > wall => break SliceEnd::WaitUntil(ideal),
                Some(ideal) => wall - ideal,
                None => 0,
            };
            if pacing_needed {
                self.account_lag(lateness, wall, due);
            }
            let before = if pacing_needed { wall } else { 0 };
            let Some(done) = sim.run_next(due) else {
                break SliceEnd::Finished;
            };
            since_read += 1;
            self.tasks += 1;
            let metrics = self.kinds.entry(done.kind).or_default();
            if pacing_needed {
                wall = clock.now_ns();
                metrics.duration.record(wall.saturating_sub(before));
                metrics.lateness.record(lateness);
                self.all_lateness.record(lateness);
            }
            if let Some(summary) = sim.take_window() {
                let now = clock.now_ns();
                self.busy_ns += now.saturating_sub(busy_from);
                busy_from = now;
                out.push(WindowSummary {
                    timing: Some(self.report(now)),
                    ..summary
                });
                self.reset_metrics(now);
                if limits.stop_after_window {
                    break SliceEnd::WindowClosed;
                }
            }
        };
        self.busy_ns += clock.now_ns().saturating_sub(busy_from);
        end
    }

    /// Applies the backlog policy for a task that is `lateness` ns behind its ideal wall time.
    fn account_lag(&mut self, lateness: u64, wall: u64, due: TimePoint) {
        if lateness > self.catch_up_bound_ns {
            self.reanchor_events += 1;
            self.skipped_wall_ns += lateness;
            self.anchor = Some(Anchor {
                wall_ns: wall,
                logical: due,
            });
            self.behind = false;
        } else if lateness > ON_TIME_TOLERANCE_NS {
            if !self.behind {
                self.catch_up_events += 1;
                self.behind = true;
            }
        } else {
            self.behind = false;
        }
    }

    fn report(&self, now: u64) -> TimingReport {
        let elapsed = now.saturating_sub(self.since_wall_ns.unwrap_or(now)).max(1);
        TimingReport {
            kinds: self
                .kinds
                .iter()
                .map(|(kind, m)| KindReport {
                    kind: kind.to_string(),
                    lateness: m.lateness.stats(),
                    duration: m.duration.stats(),
                })
                .collect(),
            lateness: self.all_lateness.stats(),
            lateness_buckets: self.all_lateness.log2_buckets(),
            tasks_per_s: self.tasks as f64 * 1e9 / elapsed as f64,
            slice_load: (self.busy_ns as f64 / elapsed as f64).min(1.0),
            catch_up_events: self.catch_up_events,
            reanchor_events: self.reanchor_events,
            skipped_wall_ns: self.skipped_wall_ns,
        }
    }

    fn reset_metrics(&mut self, now: u64) {
        for m in self.kinds.values_mut() {
            m.lateness.clear();
            m.duration.clear();
        }
        self.all_lateness.clear();
        self.tasks = 0;
        self.busy_ns = 0;
        self.since_wall_ns = Some(now);
    }
}
