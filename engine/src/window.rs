//! Temporal windows: the "moments" a run is cut into, each closed by a sync task that publishes
//! a summary.
//!
//! Window `k` covers the logical interval `[k * hop, k * hop + length)`; overlap = length - hop.
//! Its sync task runs at `k * hop + length` with [`Priority::WINDOW`], after every other task due
//! at that instant, so a window sees all work up to its end. The boundaries are computed from the
//! integer grid (`k * hop`), never accumulated, so the window grid cannot drift from the clock.

use crate::scheduler::{Priority, Scheduler, SchedulerError, Task, TaskContext};
use crate::time::{TimePoint, TimeSpan};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors of window configuration.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WindowError {
    /// A window of zero length has no content.
    #[error("window length must be > 0")]
    ZeroLength,
    /// A zero hop would close infinitely many windows at one instant.
    #[error("window hop must be > 0")]
    ZeroHop,
    /// A hop longer than the window leaves gaps that no window sees.
    #[error("window hop ({hop}) must not exceed the window length ({length})")]
    HopExceedsLength {
        /// The hop.
        hop: TimeSpan,
        /// The length.
        length: TimeSpan,
    },
}

/// Window length and hop, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowConfig {
    length: TimeSpan,
    hop: TimeSpan,
}

impl WindowConfig {
    /// A window grid of `length`, advancing by `hop` (0 < hop <= length).
    pub fn new(length: TimeSpan, hop: TimeSpan) -> Result<Self, WindowError> {
        if length == TimeSpan::ZERO {
            return Err(WindowError::ZeroLength);
        }
        if hop == TimeSpan::ZERO {
            return Err(WindowError::ZeroHop);
        }
        if hop > length {
            return Err(WindowError::HopExceedsLength { hop, length });
        }
        Ok(WindowConfig { length, hop })
    }

    /// The window length.
    pub fn length(&self) -> TimeSpan {
        self.length
    }

    /// The hop between window starts.
    pub fn hop(&self) -> TimeSpan {
        self.hop
    }

    /// The overlap of consecutive windows (length - hop).
    pub fn overlap(&self) -> TimeSpan {
        TimeSpan(self.length.0 - self.hop.0)
    }

    /// Bounds of window `index`, or `None` past the end of time.
    pub fn bounds(&self, index: u64) -> Option<WindowBounds> {
        let start = index.checked_mul(self.hop.0)?;
        let end = start.checked_add(self.length.0)?;
        Some(WindowBounds {
            index,
            start: TimePoint(start),
            end: TimePoint(end),
        })
    }
}

/// One window's place on the time line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowBounds {
    /// 0 for the first window.
    pub index: u64,
    /// Inclusive start.
    pub start: TimePoint,
    /// Exclusive end; the window closes at this instant.
    pub end: TimePoint,
}

impl WindowBounds {
    /// True if `t` lies in `[start, end)`.
    pub fn contains(&self, t: TimePoint) -> bool {
        self.start <= t && t < self.end
    }
}

/// Timestamped events kept for as long as an open window may need them.
#[derive(Debug, Clone)]
pub struct Recent<T> {
    events: std::collections::VecDeque<(TimePoint, T)>,
}

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Recent {
            events: std::collections::VecDeque::new(),
        }
    }
}

impl<T> Recent<T> {
    /// Records an event (events must come in time order).
    pub fn push(&mut self, t: TimePoint, event: T) {
        debug_assert!(self.events.back().is_none_or(|(last, _)| *last <= t));
        self.events.push_back((t, event));
    }

    /// The events inside `bounds`, in time order.
    pub fn within(&self, bounds: WindowBounds) -> impl Iterator<Item = &(TimePoint, T)> {
        self.events.iter().filter(move |(t, _)| bounds.contains(*t))
    }

    /// Forgets what no window after `bounds` can need (events before the next window's start).
    pub fn release(&mut self, bounds: WindowBounds, config: &WindowConfig) {
        let next_start = bounds.start.0.saturating_add(config.hop.0);
        while self.events.front().is_some_and(|(t, _)| t.0 < next_start) {
            self.events.pop_front();
        }
    }
}

/// A world that can close a window: summarise what happened in it and keep the summary.
pub trait WindowSink {
    /// Called by the sync task at `bounds.end`.
    fn close_window(&mut self, bounds: WindowBounds);
}

/// The sync task that closes one window after another.
struct WindowTask {
    config: WindowConfig,
    next_index: u64,
}

impl<W: WindowSink> Task<W> for WindowTask {
    fn kind(&self) -> &'static str {
        "window"
    }

    fn run(&mut self, world: &mut W, ctx: &mut TaskContext<'_, W>) {
        let bounds = self
            .config
            .bounds(self.next_index)
            .expect("the scheduler retires this task before its bounds overflow");
        debug_assert_eq!(bounds.end, ctx.now(), "window closed off its grid");
        world.close_window(bounds);
        self.next_index += 1;
    }
}

/// Schedules the sync task that closes every window of `config` on `scheduler`.
pub fn schedule_windows<W: WindowSink + 'static>(
    scheduler: &mut Scheduler<W>,
    config: WindowConfig,
) -> Result<(), SchedulerError> {
    scheduler.schedule_every(
        TimePoint(config.length.0),
        config.hop,
        Priority::WINDOW,
        Box::new(WindowTask {
            config,
            next_index: 0,
        }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_configs_are_rejected() {
        assert_eq!(
            WindowConfig::new(TimeSpan(0), TimeSpan(1)),
            Err(WindowError::ZeroLength)
        );
        assert_eq!(
            WindowConfig::new(TimeSpan(10), TimeSpan(0)),
            Err(WindowError::ZeroHop)
        );
        assert_eq!(
            WindowConfig::new(TimeSpan(10), TimeSpan(11)),
            Err(WindowError::HopExceedsLength {
                hop: TimeSpan(11),
                length: TimeSpan(10)
            })
        );
    }

    #[derive(Default)]
    struct Closed(Vec<WindowBounds>);
    impl WindowSink for Closed {
        fn close_window(&mut self, bounds: WindowBounds) {
            self.0.push(bounds)
        }
    }

    #[test]
    fn overlapping_windows_close_on_the_integer_grid() {
        let config = WindowConfig::new(TimeSpan(100), TimeSpan(30)).unwrap();
        assert_eq!(config.overlap(), TimeSpan(70));
        let mut s = Scheduler::new(0);
        schedule_windows(&mut s, config).unwrap();
        let mut closed = Closed::default();
        s.run_until(&mut closed, TimePoint(200));
        let ends: Vec<u64> = closed.0.iter().map(|b| b.end.0).collect();
        assert_eq!(ends, vec![100, 130, 160, 190]);
        assert_eq!(closed.0[3].start, TimePoint(90));
        assert!(closed.0[3].contains(TimePoint(90)) && !closed.0[3].contains(TimePoint(190)));
    }
}
