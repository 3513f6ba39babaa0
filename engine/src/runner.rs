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
//!   A bound of 0 drops every lag beyond the 1 ms on-time tolerance. Dropping never skips
//!   logical work: every task still runs, at its logical time, just not at its old wall time.
//! - Drift: ideal wall times are computed from the anchor (`anchor + (t - t0) / speed`), never
//!   accumulated, so the window grid cannot drift from the clock; what remains is the window
//!   task's own lateness, reported under the task kind `window`, and re-anchoring corrects it.
//! - A slice stops when its wall budget is spent, so a worker stays responsive to commands.

use crate::clock::Clock;
use crate::metrics::WindowTiming;
use crate::simulation::Simulation;
use crate::time::TimePoint;
use tempora_protocol::Pacing;
use tempora_protocol::WindowSummary;

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
    /// Nothing is due before the stop time, nothing is scheduled at all, or the model halted
    /// itself (see [`crate::simulation::Simulation::halted`]).
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

/// One task's run on the wall clock (feature `profiling`).
#[cfg(feature = "profiling")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSpan {
    /// The task kind.
    pub kind: &'static str,
    /// The logical time it ran at, ns.
    pub due_ns: u64,
    /// Wall clock before and after its run, ns.
    pub start_wall_ns: u64,
    /// See `start_wall_ns`.
    pub end_wall_ns: u64,
}

/// Spans kept between two [`Runner::take_spans`]; more are counted, not kept.
#[cfg(feature = "profiling")]
pub const MAX_SPANS: usize = 4_096;

/// Drives a [`Simulation`] against a [`Clock`] with a [`Pacing`].
#[derive(Debug)]
pub struct Runner {
    pacing: Pacing,
    catch_up_bound_ns: u64,
    anchor: Option<Anchor>,
    behind: bool,
    last_wall_ns: u64,
    /// Timing of the slices since the last window closed.
    timing: WindowTiming,
    #[cfg(feature = "profiling")]
    spans: Vec<TaskSpan>,
    #[cfg(feature = "profiling")]
    spans_dropped: u64,
}

impl Runner {
    /// A runner with the given pacing; lags up to `catch_up_bound_ns` are caught up, longer ones re-anchor.
    pub fn new(pacing: Pacing, catch_up_bound_ns: u64) -> Self {
        Runner {
            pacing,
            catch_up_bound_ns,
            anchor: None,
            behind: false,
            last_wall_ns: 0,
            timing: WindowTiming::default(),
            #[cfg(feature = "profiling")]
            spans: Vec::with_capacity(MAX_SPANS),
            #[cfg(feature = "profiling")]
            spans_dropped: 0,
        }
    }

    #[cfg(feature = "profiling")]
    fn record_span(
        &mut self,
        done: crate::scheduler::Dispatched,
        start_wall_ns: u64,
        end_wall_ns: u64,
    ) {
        if self.spans.len() < MAX_SPANS {
            self.spans.push(TaskSpan {
                kind: done.kind,
                due_ns: done.due.as_nanos(),
                start_wall_ns,
                end_wall_ns,
            });
        } else {
            self.spans_dropped += 1;
        }
    }

    /// The spans recorded since the last call, and how many were dropped past [`MAX_SPANS`].
    #[cfg(feature = "profiling")]
    pub fn take_spans(&mut self) -> (Vec<TaskSpan>, u64) {
        let dropped = std::mem::take(&mut self.spans_dropped);
        (std::mem::take(&mut self.spans), dropped)
    }

    /// The pacing in force.
    pub fn pacing(&self) -> Pacing {
        self.pacing
    }

    /// Changes the pacing; the next slice re-anchors so the change does not count as lag.
    pub fn set_pacing(&mut self, pacing: Pacing) {
        self.pacing = pacing;
        self.anchor = None;
        self.timing.new_pacing();
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
        if slice_start < self.last_wall_ns {
            // The clock went backwards between slices: forget the anchor (counted in read_clock).
            self.timing.clock_jumped_back();
            self.anchor = None;
        }
        self.last_wall_ns = slice_start;
        self.timing.start(slice_start);
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
            // Real-time pacing reads the clock around every task; so does profiling.
            let paced = matches!(self.pacing, Pacing::RealTime { .. });
            let timed = paced || cfg!(feature = "profiling");
            if timed || since_read >= CLOCK_READ_STRIDE {
                wall = self.read_clock(clock, due);
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
            if paced {
                self.account_lag(lateness, wall, due);
            }
            let before = wall;
            let Some(done) = sim.run_next(due) else {
                break SliceEnd::Finished;
            };
            since_read += 1;
            self.timing.dispatched();
            // Per-kind metrics only when there is something to record: as fast as possible,
            // the dispatch loop does no map lookup at all.
            if timed {
                wall = clock.now_ns();
                self.timing.record(
                    done.kind,
                    wall.saturating_sub(before),
                    paced.then_some(lateness),
                );
                #[cfg(feature = "profiling")]
                self.record_span(done, before, wall);
            }
            if let Some(summary) = sim.take_window() {
                let now = clock.now_ns();
                self.timing.busy(now.saturating_sub(busy_from));
                busy_from = now;
                out.push(WindowSummary {
                    timing: Some(self.timing.report(now)),
                    ..summary
                });
                self.timing.window_closed(now);
                if sim.halted().is_some() {
                    break SliceEnd::Finished;
                }
                if limits.stop_after_window {
                    break SliceEnd::WindowClosed;
                }
            }
        };
        self.timing.busy(clock.now_ns().saturating_sub(busy_from));
        end
    }

    /// Runs `sim` paced through logical time `end` on this thread, calling `wait(deadline_ns)`
    /// whenever the next task is not yet due; returns every window closed on the way.
    pub fn run_blocking(
        &mut self,
        sim: &mut dyn Simulation,
        clock: &dyn Clock,
        end: TimePoint,
        mut wait: impl FnMut(u64),
    ) -> Vec<WindowSummary> {
        let limits = SliceLimits {
            budget_ns: u64::MAX,
            stop_at: Some(end),
            stop_after_window: false,
        };
        let mut out = Vec::new();
        loop {
            match self.run_slice(sim, clock, limits, &mut out) {
                SliceEnd::WaitUntil(deadline) => wait(deadline),
                SliceEnd::BudgetSpent | SliceEnd::WindowClosed => {}
                SliceEnd::Finished => return out,
            }
        }
    }

    /// Reads the clock; if it went backwards, re-anchors at `due` so nothing waits for a time
    /// that has already passed (or will not come for hours).
    fn read_clock(&mut self, clock: &dyn Clock, due: TimePoint) -> u64 {
        let wall = clock.now_ns();
        if wall < self.last_wall_ns {
            self.timing.clock_jumped_back();
            self.anchor = Some(Anchor {
                wall_ns: wall,
                logical: due,
            });
        }
        self.last_wall_ns = wall;
        wall
    }

    /// Applies the backlog policy for a task that is `lateness` ns behind its ideal wall time.
    fn account_lag(&mut self, lateness: u64, wall: u64, due: TimePoint) {
        // Below the on-time tolerance nothing is dropped, even with a zero bound.
        if lateness > self.catch_up_bound_ns.max(ON_TIME_TOLERANCE_NS) {
            self.timing.reanchored(lateness);
            self.anchor = Some(Anchor {
                wall_ns: wall,
                logical: due,
            });
            self.behind = false;
        } else if lateness > ON_TIME_TOLERANCE_NS {
            if !self.behind {
                self.timing.caught_up();
                self.behind = true;
            }
        } else {
            self.behind = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::params::ParamValues;
    use crate::preset;

    /// The random-walk preset with 1 ms ticks and 10 ms windows (no overlap).
    fn sim() -> Box<dyn Simulation> {
        let params: ParamValues = [("window", 0.01), ("hop", 0.01)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        preset::find("random-walk")
            .unwrap()
            .build(3, &params)
            .unwrap()
            .0
    }

    fn limits() -> SliceLimits {
        SliceLimits {
            budget_ns: u64::MAX,
            stop_at: None,
            stop_after_window: false,
        }
    }

    fn times(windows: &[WindowSummary]) -> Vec<f64> {
        windows
            .iter()
            .flat_map(|w| w.data.trace("trace-plot").unwrap().lines[0].points.clone())
            .map(|p| p[0])
            .collect()
    }

    /// Whatever the clock does, the logical results equal the unpaced reference run.
    fn assert_same_as_reference(windows: &[WindowSummary], count: usize) {
        let reference =
            crate::simulation::run_to(sim().as_mut(), TimePoint(count as u64 * 10_000_000));
        assert_eq!(windows.len(), count);
        for (w, r) in windows.iter().zip(&reference) {
            assert_eq!(
                (w.index, w.start_ns, w.end_ns, &w.data),
                (r.index, r.start_ns, r.end_ns, &r.data)
            );
        }
        let t = times(windows);
        assert!(t.windows(2).all(|p| p[1] > p[0]));
    }

    #[test]
    fn a_burst_after_a_late_wakeup_runs_in_logical_order_and_is_caught_up() {
        let clock = ManualClock::at(0);
        let mut runner = Runner::new(Pacing::RealTime { speed: 1.0 }, 250_000_000);
        let mut s = sim();
        let mut out = Vec::new();
        assert_eq!(
            runner.run_slice(s.as_mut(), &clock, limits(), &mut out),
            SliceEnd::WaitUntil(1_000_000)
        );
        // The host oversleeps by 25 ms (a clamped or throttled timer): 3 windows' work is due at once.
        clock.set(30_000_000);
        let end = runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        assert_eq!(end, SliceEnd::WaitUntil(31_000_000));
        assert_same_as_reference(&out, 3);
        let timing = out[2].timing.as_ref().unwrap();
        assert_eq!(timing.catch_up_events, 1);
        assert_eq!(timing.reanchor_events, 0);
        // Window 2's tasks (21..30 ms; the one at 20 ms belongs to window 1) ran at wall 30 ms.
        assert_eq!(timing.kinds[0].lateness.count, 10);
        assert!(timing.lateness.max >= 8_990_000, "{timing:?}");
        // Over the run: 31 ticks and 3 window closings; the 1 ms tick ran 29 ms late.
        assert_eq!(timing.run_lateness.count, 34);
        assert!(timing.run_lateness.max >= 28_990_000, "{timing:?}");
    }

    #[test]
    fn a_jump_of_hours_reanchors_instead_of_racing_through_the_backlog() {
        let clock = ManualClock::at(0);
        let mut runner = Runner::new(Pacing::RealTime { speed: 1.0 }, 250_000_000);
        let mut s = sim();
        let mut out = Vec::new();
        runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        clock.set(3 * 3_600_000_000_000);
        let end = runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        // Re-anchored at the 1 ms task: the next one is due 1 ms of wall time later, not 3 h ago.
        assert_eq!(end, SliceEnd::WaitUntil(3 * 3_600_000_000_000 + 1_000_000));
        assert!(out.is_empty());
        clock.advance(20_000_000);
        runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        assert_same_as_reference(&out, 2);
        let timing = out[1].timing.as_ref().unwrap();
        assert_eq!(timing.reanchor_events, 1);
        assert!(timing.skipped_wall_ns >= 3 * 3_600_000_000_000 - 1_000_000);
    }

    #[test]
    fn a_clock_that_jumps_backwards_does_not_stall_the_run() {
        let clock = ManualClock::at(5_000_000_000);
        let mut runner = Runner::new(Pacing::RealTime { speed: 1.0 }, 250_000_000);
        let mut s = sim();
        let mut out = Vec::new();
        runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        clock.advance(5_000_000);
        runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        clock.set(1_000); // back by 5 s
        let end = runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        // The next tick waits about 1 ms from *now*, not until the old anchor's 5 s.
        let SliceEnd::WaitUntil(at) = end else {
            panic!("{end:?}")
        };
        assert!(at <= 1_000 + 1_000_000, "waits until {at}");
        clock.advance(20_000_000);
        runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        assert_same_as_reference(&out, 2);
        assert!(out[1].timing.as_ref().unwrap().clock_jumps_back >= 1);
    }

    #[test]
    fn zero_catch_up_bound_drops_every_backlog() {
        let clock = ManualClock::at(0);
        let mut runner = Runner::new(Pacing::RealTime { speed: 1.0 }, 0);
        let mut s = sim();
        let mut out = Vec::new();
        runner.run_slice(s.as_mut(), &clock, limits(), &mut out);
        clock.set(5_000_000);
        assert_eq!(
            runner.run_slice(s.as_mut(), &clock, limits(), &mut out),
            SliceEnd::WaitUntil(6_000_000)
        );
        clock.set(40_000_000);
        assert_eq!(
            runner.run_slice(s.as_mut(), &clock, limits(), &mut out),
            SliceEnd::WaitUntil(41_000_000)
        );
        // From here on the host is punctual: no more drops until the first window closes.
        while out.is_empty() {
            match runner.run_slice(s.as_mut(), &clock, limits(), &mut out) {
                SliceEnd::WaitUntil(deadline) => clock.set(deadline),
                other => panic!("{other:?}"),
            }
        }
        assert_same_as_reference(&out, 1);
        let t = out[0].timing.as_ref().unwrap();
        assert_eq!(t.reanchor_events, 2);
        assert_eq!(t.catch_up_events, 0);
    }

    #[test]
    fn run_blocking_waits_for_each_deadline_and_stops_at_the_end() {
        let clock = ManualClock::at(0);
        let mut runner = Runner::new(Pacing::RealTime { speed: 2.0 }, 250_000_000);
        let mut s = sim();
        let mut deadlines = Vec::new();
        let out = runner.run_blocking(s.as_mut(), &clock, TimePoint(30_000_000), |d| {
            deadlines.push(d);
            clock.set(d);
        });
        assert_same_as_reference(&out, 3);
        // 1 ms ticks at speed 2: a deadline every 0.5 ms of wall time.
        assert_eq!(&deadlines[..3], &[500_000, 1_000_000, 1_500_000]);
        assert_eq!(out[2].timing.as_ref().unwrap().run_lateness.max, 0);
    }

    #[cfg(feature = "profiling")]
    #[test]
    fn profiling_records_one_span_per_task_in_order() {
        let clock = ManualClock::at(0);
        let mut runner = Runner::new(Pacing::AsFastAsPossible, 0);
        let mut s = sim();
        let mut out = Vec::new();
        let until = SliceLimits {
            stop_at: Some(TimePoint(10_000_000)),
            ..limits()
        };
        runner.run_slice(s.as_mut(), &clock, until, &mut out);
        let (spans, dropped) = runner.take_spans();
        assert_eq!(dropped, 0);
        // 11 ticks (0..=10 ms) and the window closing at 10 ms, in dispatch order.
        assert_eq!(spans.len(), 12);
        assert_eq!(spans.last().unwrap().kind, "window");
        assert!(spans.windows(2).all(|p| p[0].due_ns <= p[1].due_ns));
        assert!(runner.take_spans().0.is_empty());
    }

    #[test]
    fn the_budget_ends_a_slice_and_the_next_one_resumes() {
        let clock = ManualClock::at(0);
        let mut runner = Runner::new(Pacing::AsFastAsPossible, 0);
        let mut s = sim();
        let mut out = Vec::new();
        let tight = SliceLimits {
            budget_ns: 0,
            ..limits()
        };
        assert_eq!(
            runner.run_slice(s.as_mut(), &clock, tight, &mut out),
            SliceEnd::BudgetSpent
        );
        let until = SliceLimits {
            stop_at: Some(TimePoint(50_000_000)),
            ..limits()
        };
        assert_eq!(
            runner.run_slice(s.as_mut(), &clock, until, &mut out),
            SliceEnd::Finished
        );
        assert_same_as_reference(&out, 5);
    }
}
