//! The hot paths allocate nothing: a counting global allocator watches 100 000 dispatches of
//! recurring tasks (with ties and priorities) after a warm-up, and a network's forward pass and
//! training epochs. Counts are per thread, so the test harness's own work (printing another
//! test's result) is not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use tempora_engine::scheduler::{Priority, Scheduler, Task, TaskContext};
use tempora_engine::time::{TimePoint, TimeSpan};

struct Counting;
thread_local! {
    // `const`-initialised: reading it never allocates, so the allocator may use it.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

fn count_one() {
    // During thread teardown the slot may be gone; those allocations are not the test's.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
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
    let before = allocations();
    let warm = ran;
    let mut limit = 1_000;
    while ran - warm < 100_000 {
        limit += 100;
        s.run_until(&mut ran, TimePoint(limit));
    }
    let allocations = allocations() - before;
    assert_eq!(
        allocations,
        0,
        "{allocations} allocations in {} dispatches",
        ran - warm
    );
}

#[test]
fn forward_pass_and_training_do_not_allocate() {
    use rand::SeedableRng;
    use tempora_engine::fann::{
        Activation, Algorithm, Examples, Guard, GuardKind, NetSpec, PackedNet, Trainer,
    };
    let spec = NetSpec {
        layers: vec![8, 16, 4],
        hidden: Activation::Sigmoid,
        output: Activation::Sigmoid,
        steepness: 1.0,
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let mut net = PackedNet::from_network(&spec.build(0.5, &mut rng).unwrap()).unwrap();
    let x = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8];
    let t = [0.0, 1.0, 0.0, 1.0];
    let data = Examples::new(&[(&x[..], &t[..])], 8, 4).unwrap();
    let mut trainer = Trainer::new(Algorithm::Rprop, &net).unwrap();
    let mut guard = Guard::new(GuardKind::Clip { max: 2.0 }, &net);
    let mut sum = 0.0;
    let before = allocations();
    for _ in 0..10_000 {
        sum += net.forward(&x).unwrap()[0];
    }
    for _ in 0..100 {
        trainer.train_epoch(&mut net, &data, &mut guard);
    }
    let allocations = allocations() - before;
    assert!(sum > 0.0);
    assert_eq!(allocations, 0);
}
