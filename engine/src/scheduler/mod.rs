//! The deterministic scheduler: tasks on a logical nanosecond time line.
//!
//! Ground rules:
//! - Logical time never decreases. A task runs at exactly its due time, as seen by `ctx.now()`,
//!   however late the host wakes up: pacing against a wall clock is the runner's business, not ours.
//! - Ties break on `(due, priority, sequence)`: lower priority values first, then creation order.
//!   The order therefore depends only on what was scheduled, never on the platform or its timers.
//! - Same seed and same schedule give the same event log: the only randomness is the run's
//!   ChaCha8 RNG, drawn in dispatch order.
//! - Steady-state dispatch does not allocate (see `core`).

mod core;
mod task;

pub use task::{Task, TaskContext};

use crate::time::{TimePoint, TimeSpan};
use core::Core;
use serde::{Deserialize, Serialize};
use std::fmt;
use task::Queue;
use thiserror::Error;

/// The longest period a recurring task may have: one day of logical time. Longer periods are
/// almost certainly a unit mistake (seconds given as nanoseconds).
pub const MAX_PERIOD: TimeSpan = TimeSpan(86_400 * crate::time::NANOS_PER_SEC);

/// Order among tasks due at the same nanosecond: lower runs first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Priority(pub u8);

impl Priority {
    /// Inputs (spike sources, stream samples) arrive first.
    pub const INPUT: Priority = Priority(10);
    /// Then models integrate them.
    pub const MODEL: Priority = Priority(50);
    /// Then plasticity reads the state the model left.
    pub const PLASTICITY: Priority = Priority(100);
    /// Window boundaries run last, so a window sees everything due at its closing instant.
    pub const WINDOW: Priority = Priority(250);
}

/// Names a scheduled task; stale once the task finished or was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskHandle {
    slot: u32,
    generation: u32,
}

impl fmt::Display for TaskHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task #{}.{}", self.slot, self.generation)
    }
}

/// Errors of scheduling. Each leaves the scheduler as it was.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchedulerError {
    /// A task was scheduled before the current logical time.
    #[error("cannot schedule at {due}: logical time is already {now}")]
    DueInPast {
        /// The requested due time.
        due: TimePoint,
        /// The scheduler's time.
        now: TimePoint,
    },
    /// A recurring task with a zero period would run forever at one instant.
    #[error("a recurring task needs a period > 0 ns")]
    ZeroPeriod,
    /// A period beyond [`MAX_PERIOD`].
    #[error("period {period} is longer than the limit of 1 day")]
    PeriodTooLong {
        /// The rejected period.
        period: TimeSpan,
    },
    /// The handle names no pending task (it finished, was cancelled, or never existed).
    #[error("{0} is not pending (finished, cancelled or unknown)")]
    UnknownHandle(TaskHandle),
    /// More than `u32::MAX` task slots.
    #[error("too many tasks")]
    TooManyTasks,
}

/// What one dispatch ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dispatched {
    /// The logical time it ran at (its due time).
    pub due: TimePoint,
    /// Its kind, from [`Task::kind`].
    pub kind: &'static str,
    /// Its handle.
    pub handle: TaskHandle,
}

/// A deterministic scheduler of tasks over a world `W`.
pub struct Scheduler<W> {
    now: TimePoint,
    core: Core<W>,
}

impl<W> Scheduler<W> {
    /// An empty scheduler at time zero whose RNG is seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Scheduler {
            now: TimePoint::ZERO,
            core: Core::new(crate::rng::rng(seed, crate::rng::Stream::Scheduler)),
        }
    }

    /// The current logical time: the due time of the last task run.
    pub fn now(&self) -> TimePoint {
        self.now
    }

    /// Number of pending tasks (live ones only).
    pub fn pending(&self) -> usize {
        self.core.slots.iter().filter(|s| s.live).count()
    }

    /// Schedules a one-off task at `due`.
    pub fn schedule_at(
        &mut self,
        due: TimePoint,
        priority: Priority,
        task: Box<dyn Task<W>>,
    ) -> Result<TaskHandle, SchedulerError> {
        self.core.insert(self.now, due, priority, None, task)
    }

    /// Schedules a recurring task every `period`, first at `first`.
    pub fn schedule_every(
        &mut self,
        first: TimePoint,
        period: TimeSpan,
        priority: Priority,
        task: Box<dyn Task<W>>,
    ) -> Result<TaskHandle, SchedulerError> {
        self.core
            .insert(self.now, first, priority, Some(period), task)
    }

    /// Cancels a pending task.
    pub fn cancel(&mut self, handle: TaskHandle) -> Result<(), SchedulerError> {
        self.core.cancel(handle)
    }

    /// The due time of the next pending task.
    pub fn next_due(&mut self) -> Option<TimePoint> {
        self.core.peek_live().map(|e| e.due)
    }

    /// Runs the next task if it is due at or before `limit`.
    pub fn run_next(&mut self, world: &mut W, limit: TimePoint) -> Option<Dispatched> {
        let entry = self.core.peek_live().filter(|e| e.due <= limit)?;
        debug_assert!(
            entry.due >= self.now,
            "logical time went backwards: {entry:?} after {}",
            self.now
        );
        self.now = entry.due;
        let slot_index = entry.slot;

        // A recurring task is re-keyed in place before it runs (one sift-down instead of a pop
        // and a push). Work it schedules while running is ordered against the new key, as if
        // the next occurrence had been scheduled first; if it cancels itself, the re-keyed
        // entry goes stale and is skipped.
        let next_due = self.core.slots[slot_index as usize]
            .period
            .and_then(|period| entry.due.checked_add(period).ok());
        match next_due {
            Some(next) => {
                if let Some(mut top) = self.core.heap.peek_mut() {
                    top.due = next;
                }
            }
            // A one-off, or a recurring task whose next occurrence would fall off the end of time.
            None => {
                self.core.heap.pop();
            }
        }

        let mut task = self.core.slots[slot_index as usize]
            .task
            .take()
            .expect("a current entry's slot holds its task");
        let kind = task.kind();
        let handle = TaskHandle {
            slot: slot_index,
            generation: entry.generation,
        };
        let mut ctx = TaskContext {
            now: self.now,
            me: handle,
            core: &mut self.core,
        };
        task.run(world, &mut ctx);

        if next_due.is_some() && self.core.is_current(&entry) {
            self.core.slots[slot_index as usize].task = Some(task);
        } else {
            self.core.retire(slot_index);
        }
        Some(Dispatched {
            due: entry.due,
            kind,
            handle,
        })
    }

    /// Runs every task due at or before `limit`, in order; returns how many ran.
    pub fn run_until(&mut self, world: &mut W, limit: TimePoint) -> u64 {
        let mut count = 0;
        while self.run_next(world, limit).is_some() {
            count += 1;
        }
        count
    }
}

#[cfg(test)]
mod tests;
