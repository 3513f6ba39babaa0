//! Dispatch cost per task of Tempora's scheduler, side by side with a naive
//! `BinaryHeap<Box<dyn FnMut>>` and the `nanosecond-scheduler` crate 0.1.1, on empty tasks with
//! 1 k and 100 k pending. Run: `cargo bench -p tempora-engine --bench dispatch`.
//!
//! Each figure is per dispatched task (criterion's throughput in elements). nanosecond-scheduler
//! has no recurring tasks; its "recurring" row re-queues clones of prebuilt tasks each round (its
//! own recipe), so it includes the scheduling cost, and it reads a real clock on every tick.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Duration;
use tempora_engine::scheduler::{Priority, Scheduler, Task, TaskContext};
use tempora_engine::time::{TimePoint, TimeSpan};

// 16 pending is what a preset has (a few model tasks and the window task); 1 k and 100 k are
// the stress sizes.
const SIZES: [usize; 3] = [16, 1_000, 100_000];

struct Empty;
impl Task<u64> for Empty {
    fn kind(&self) -> &'static str {
        "empty"
    }
    fn run(&mut self, n: &mut u64, _: &mut TaskContext<'_, u64>) {
        *n += 1;
    }
}

/// `n` recurring tasks with periods spread over [n, 2n) ns, so every dispatch reorders the heap.
fn tempora_recurring(n: usize) -> Scheduler<u64> {
    let mut s = Scheduler::new(1);
    for i in 0..n as u64 {
        s.schedule_every(
            TimePoint(i),
            TimeSpan(n as u64 + i),
            Priority::MODEL,
            Box::new(Empty),
        )
        .unwrap();
    }
    s
}

fn tempora_one_off(n: usize) -> Scheduler<u64> {
    let mut s = Scheduler::new(1);
    for i in 0..n as u64 {
        s.schedule_at(
            TimePoint(i * 7 % n as u64),
            Priority::MODEL,
            Box::new(Empty),
        )
        .unwrap();
    }
    s
}

/// The naive baseline: boxed closures in a binary heap keyed by (due, sequence).
struct NaiveEntry {
    due: u64,
    seq: u64,
    period: u64,
    run: Box<dyn FnMut(&mut u64)>,
}
impl PartialEq for NaiveEntry {
    fn eq(&self, o: &Self) -> bool {
        (self.due, self.seq) == (o.due, o.seq)
    }
}
impl Eq for NaiveEntry {}
impl PartialOrd for NaiveEntry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for NaiveEntry {
    fn cmp(&self, o: &Self) -> Ordering {
        (o.due, o.seq).cmp(&(self.due, self.seq))
    }
}

fn naive(n: usize, recurring: bool) -> BinaryHeap<NaiveEntry> {
    (0..n as u64)
        .map(|i| NaiveEntry {
            due: if recurring { i } else { i * 7 % n as u64 },
            seq: i,
            period: if recurring { n as u64 + i } else { 0 },
            run: Box::new(|c: &mut u64| *c += 1),
        })
        .collect()
}

fn naive_dispatch(heap: &mut BinaryHeap<NaiveEntry>, count: &mut u64) {
    let mut e = heap.pop().unwrap();
    (e.run)(count);
    if e.period > 0 {
        e.due += e.period;
        heap.push(e);
    }
}

fn recurring(c: &mut Criterion) {
    let mut group = c.benchmark_group("dispatch/recurring");
    group.throughput(Throughput::Elements(1));
    for n in SIZES {
        let mut s = tempora_recurring(n);
        let mut count = 0u64;
        group.bench_with_input(BenchmarkId::new("tempora", n), &n, |b, _| {
            b.iter(|| s.run_next(&mut count, TimePoint(u64::MAX)))
        });
        let mut heap = naive(n, true);
        group.bench_with_input(
            BenchmarkId::new("naive-binaryheap-box-dyn", n),
            &n,
            |b, _| b.iter(|| naive_dispatch(&mut heap, &mut count)),
        );
        black_box(count);
    }
    group.finish();

    // nanosecond-scheduler: re-queue n prebuilt clones, then one tick runs all n.
    let mut group = c.benchmark_group("dispatch/recurring");
    for n in SIZES {
        group.throughput(Throughput::Elements(n as u64));
        let scheduler = nanosecond_scheduler::Scheduler::new(nanosecond_scheduler::Config {
            max_tasks_per_tick: n,
            ..Default::default()
        });
        let proto: Vec<_> = (0..n)
            .map(|_| nanosecond_scheduler::Task::new(|| {}, Duration::ZERO))
            .collect();
        group.bench_with_input(BenchmarkId::new("nanosecond-scheduler", n), &n, |b, _| {
            b.iter(|| {
                for t in &proto {
                    scheduler.schedule(t.clone());
                }
                scheduler.tick();
            })
        });
    }
    group.finish();
}

fn one_off(c: &mut Criterion) {
    let mut group = c.benchmark_group("dispatch/one-off");
    for n in SIZES {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("tempora", n), &n, |b, &n| {
            b.iter_batched_ref(
                || (tempora_one_off(n), 0u64),
                |(s, count)| s.run_until(count, TimePoint(u64::MAX)),
                BatchSize::LargeInput,
            )
        });
        group.bench_with_input(
            BenchmarkId::new("naive-binaryheap-box-dyn", n),
            &n,
            |b, &n| {
                b.iter_batched_ref(
                    || (naive(n, false), 0u64),
                    |(heap, count)| {
                        while !heap.is_empty() {
                            naive_dispatch(heap, count)
                        }
                    },
                    BatchSize::LargeInput,
                )
            },
        );
        let scheduler = nanosecond_scheduler::Scheduler::new(nanosecond_scheduler::Config {
            max_tasks_per_tick: n,
            ..Default::default()
        });
        group.bench_with_input(BenchmarkId::new("nanosecond-scheduler", n), &n, |b, &n| {
            b.iter_batched(
                || {
                    for _ in 0..n {
                        scheduler.schedule(nanosecond_scheduler::Task::new(|| {}, Duration::ZERO));
                    }
                },
                |()| scheduler.tick(),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = recurring, one_off
}
criterion_main!(benches);
