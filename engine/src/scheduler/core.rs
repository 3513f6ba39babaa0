//! The queue and the task slots behind [`super::Scheduler`].
//!
//! Ground rules:
//! - The heap holds small `Copy` entries keyed by `(due, priority, sequence)`; tasks live in a slot
//!   table and never move while pending. Dispatch pops an entry, runs the slot's task in place
//!   and, for a recurring task, pushes the same entry back with `due + period`: no allocation.
//! - `sequence` is assigned once, when a task is first scheduled; a recurring task keeps it, so
//!   tasks due at the same ns with the same priority always run in the order they were created.
//! - Cancellation is lazy: the slot's generation is bumped and its stale heap entry is skipped
//!   when it reaches the top.

use super::task::{Queue, Task};
use super::{Priority, SchedulerError, TaskHandle, MAX_PERIOD};
use crate::time::{TimePoint, TimeSpan};
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending occurrence of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) due: TimePoint,
    pub(crate) priority: Priority,
    pub(crate) sequence: u64,
    pub(crate) slot: u32,
    pub(crate) generation: u32,
}

impl Entry {
    fn key(&self) -> (TimePoint, Priority, u64) {
        (self.due, self.priority, self.sequence)
    }
}

impl Ord for Entry {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the smallest key first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub(crate) struct Slot<W> {
    pub(crate) generation: u32,
    /// `None` while the task runs (it is lent to the dispatcher) or when the slot is free.
    pub(crate) task: Option<Box<dyn Task<W>>>,
    pub(crate) period: Option<TimeSpan>,
    /// False once cancelled or finished; the slot returns to the free list when not running.
    pub(crate) live: bool,
}

pub(crate) struct Core<W> {
    pub(crate) heap: BinaryHeap<Entry>,
    pub(crate) slots: Vec<Slot<W>>,
    pub(crate) free: Vec<u32>,
    pub(crate) next_sequence: u64,
    pub(crate) rng: ChaCha8Rng,
}

impl<W> Core<W> {
    pub(crate) fn new(rng: ChaCha8Rng) -> Self {
        Core {
            heap: BinaryHeap::with_capacity(64),
            slots: Vec::with_capacity(64),
            free: Vec::new(),
            next_sequence: 0,
            rng,
        }
    }

    /// Retires a slot whose task finished (one-off) or was cancelled while running.
    pub(crate) fn retire(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        if slot.live {
            slot.live = false;
            slot.generation = slot.generation.wrapping_add(1);
        }
        slot.task = None;
        self.free.push(index);
    }

    /// True if the entry still refers to the live task it was made for.
    pub(crate) fn is_current(&self, entry: &Entry) -> bool {
        let slot = &self.slots[entry.slot as usize];
        slot.live && slot.generation == entry.generation
    }

    /// Drops stale entries from the top, then returns the next live one without removing it.
    pub(crate) fn peek_live(&mut self) -> Option<Entry> {
        while let Some(top) = self.heap.peek().copied() {
            if self.is_current(&top) {
                return Some(top);
            }
            self.heap.pop();
        }
        None
    }
}

/// What tasks and the scheduler change in the queue: the one place that validates and inserts
/// or cancels.
impl<W> Queue<W> for Core<W> {
    fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    /// Validates and inserts a task; `now` is the scheduler's current logical time.
    fn insert(
        &mut self,
        now: TimePoint,
        due: TimePoint,
        priority: Priority,
        period: Option<TimeSpan>,
        task: Box<dyn Task<W>>,
    ) -> Result<TaskHandle, SchedulerError> {
        if due < now {
            return Err(SchedulerError::DueInPast { due, now });
        }
        if let Some(period) = period {
            if period == TimeSpan::ZERO {
                return Err(SchedulerError::ZeroPeriod);
            }
            if period > MAX_PERIOD {
                return Err(SchedulerError::PeriodTooLong { period });
            }
        }
        let slot = match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.task = Some(task);
                slot.period = period;
                slot.live = true;
                index
            }
            None => {
                let index =
                    u32::try_from(self.slots.len()).map_err(|_| SchedulerError::TooManyTasks)?;
                self.slots.push(Slot {
                    generation: 0,
                    task: Some(task),
                    period,
                    live: true,
                });
                index
            }
        };
        let generation = self.slots[slot as usize].generation;
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.heap.push(Entry {
            due,
            priority,
            sequence,
            slot,
            generation,
        });
        Ok(TaskHandle { slot, generation })
    }

    /// Cancels a pending task (a running one is freed by the dispatcher when it returns).
    fn cancel(&mut self, handle: TaskHandle) -> Result<(), SchedulerError> {
        let slot = self
            .slots
            .get_mut(handle.slot as usize)
            .filter(|s| s.live && s.generation == handle.generation)
            .ok_or(SchedulerError::UnknownHandle(handle))?;
        slot.live = false;
        slot.generation = slot.generation.wrapping_add(1);
        // A running task is lent out (task == None); the dispatcher frees its slot when it returns.
        if slot.task.take().is_some() {
            self.free.push(handle.slot);
        }
        Ok(())
    }
}
