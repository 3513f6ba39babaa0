//! Steady-state dispatch allocates nothing: a counting global allocator watches 100 000
//! dispatches of recurring tasks (with ties and priorities) after a warm-up.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use tempora_engine::scheduler::{Priority, Scheduler, Task, TaskContext};
use tempora_engine::time::{TimePoint, TimeSpan};

struct Counting;
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

struct Count;
impl Task<u64> for Count {
    fn kind(&self) -> &'static str {
        "count"
    }
    fn run(&mut self, n: &mut u64, _: &mut TaskContext<'_, u64>) {
        *n += 1;
    }
}

#[test]
fn steady_state_dispatch_does_not_allocate() {
    let mut s = Scheduler::new(1);
    for i in 0..1_000u64 {
        let period = TimeSpan(10 + i % 7);
        s.schedule_every(
            TimePoint(i % 13),
            period,
            Priority((i % 3) as u8),
            Box::new(Count),
        )
        .unwrap();
    }
    let mut ran = 0u64;
    s.run_until(&mut ran, TimePoint(1_000)); // warm-up
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let warm = ran;
    let mut limit = 1_000;
    while ran - warm < 100_000 {
        limit += 100;
        s.run_until(&mut ran, TimePoint(limit));
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert_eq!(
        allocations,
        0,
        "{allocations} allocations in {} dispatches",
        ran - warm
    );
}
