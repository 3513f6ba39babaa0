//! What the scheduler runs: the [`Task`] trait and the context a task sees while it runs.

use super::{Priority, SchedulerError, TaskHandle};
use crate::time::{TimePoint, TimeSpan};
use rand_chacha::ChaCha8Rng;

/// A unit of scheduled work over a shared world `W` (the model state that tasks read and write).
///
/// In the spirit of the plan's `SchedulableTask`: the scheduler owns *when* (the due time is the
/// key in its queue), the task owns *what*.
pub trait Task<W> {
    /// A short, static name of the task's kind (for metrics and logs), e.g. `"tick"` or `"stdp"`.
    fn kind(&self) -> &'static str;

    /// Does the work due at `ctx.now()`. May schedule or cancel other work through `ctx`.
    fn run(&mut self, world: &mut W, ctx: &mut TaskContext<'_, W>);
}

/// Any `FnMut(&mut W, &mut TaskContext<W>)` is a task of kind `"fn"`; handy in tests.
impl<W, F> Task<W> for F
where
    F: FnMut(&mut W, &mut TaskContext<'_, W>),
{
    fn kind(&self) -> &'static str {
        "fn"
    }

    fn run(&mut self, world: &mut W, ctx: &mut TaskContext<'_, W>) {
        self(world, ctx)
    }
}

/// What a running task may change in the scheduler (the scheduler's core is one). A trait so
/// that what a task is and what runs it need not know each other's insides.
pub(super) trait Queue<W> {
    /// The run's RNG.
    fn rng(&mut self) -> &mut ChaCha8Rng;
    /// Queues `task` at `due` (not before `now`), every `period` if given.
    fn insert(
        &mut self,
        now: TimePoint,
        due: TimePoint,
        priority: Priority,
        period: Option<TimeSpan>,
        task: Box<dyn Task<W>>,
    ) -> Result<TaskHandle, SchedulerError>;
    /// Cancels a pending task.
    fn cancel(&mut self, handle: TaskHandle) -> Result<(), SchedulerError>;
}

/// What a running task may see and do: the logical time, the run's seeded RNG, and the queue.
pub struct TaskContext<'a, W> {
    pub(super) now: TimePoint,
    pub(super) me: TaskHandle,
    pub(super) core: &'a mut dyn Queue<W>,
}

impl<W> TaskContext<'_, W> {
    /// The logical time this task was due at (and now runs at).
    pub fn now(&self) -> TimePoint {
        self.now
    }

    /// The handle of the running task (e.g. to cancel itself).
    pub fn handle(&self) -> TaskHandle {
        self.me
    }

    /// The run's RNG. It is seeded once per run and drawn from in logical order, so draws are
    /// reproducible across platforms.
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        self.core.rng()
    }

    /// Schedules a one-off task at `due` (not before now).
    pub fn schedule_at(
        &mut self,
        due: TimePoint,
        priority: Priority,
        task: Box<dyn Task<W>>,
    ) -> Result<TaskHandle, SchedulerError> {
        self.core.insert(self.now, due, priority, None, task)
    }

    /// Schedules a task every `period`, first at `first`.
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

    /// Cancels a pending task (the running one included: it will not run again).
    pub fn cancel(&mut self, handle: TaskHandle) -> Result<(), SchedulerError> {
        self.core.cancel(handle)
    }
}
