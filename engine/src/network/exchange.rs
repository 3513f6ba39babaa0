//! What the threads of a split network share: each shard's spikes of a step, and the barrier
//! that ends a step's integration.
//!
//! A step is two phases per shard: integrate its neurons (writing its spikes), then deliver
//! every shard's spikes to its own targets. One barrier between them is enough because the
//! spike lists alternate by step parity: a shard that has moved on to integrate step s + 1
//! writes the other parity's lists while slower shards still read step s's, and it cannot
//! reach step s + 2 before every shard has passed the barrier of s + 1.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Each shard's spike lists by step parity and population (global neuron indices).
///
/// The locks are never contended (the barrier orders every access); they make the ordering
/// checked rather than assumed, for about 20 ns per list and step.
#[derive(Debug)]
pub struct Exchange {
    shards: usize,
    pops: usize,
    lists: Vec<Padded>,
}

/// A list on cache lines of its own: locking one never takes another's line from a core.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Padded(RwLock<Vec<u32>>);

impl Exchange {
    /// Lists for `shards` shards of a network of `pops` populations.
    pub fn new(shards: usize, pops: usize) -> Self {
        Exchange {
            shards,
            pops,
            lists: (0..shards * 2 * pops).map(|_| Padded::default()).collect(),
        }
    }

    /// The number of shards.
    pub fn shards(&self) -> usize {
        self.shards
    }

    fn index(&self, shard: usize, step: u64, pop: usize) -> usize {
        (shard * 2 + (step % 2) as usize) * self.pops + pop
    }

    /// Shard `shard`'s spikes of population `pop` at `step`, to write.
    pub fn write(&self, shard: usize, step: u64, pop: usize) -> RwLockWriteGuard<'_, Vec<u32>> {
        self.lists[self.index(shard, step, pop)]
            .0
            .write()
            .expect("a shard's thread panicked")
    }

    /// Shard `shard`'s spikes of population `pop` at `step`.
    pub fn read(&self, shard: usize, step: u64, pop: usize) -> RwLockReadGuard<'_, Vec<u32>> {
        self.lists[self.index(shard, step, pop)]
            .0
            .read()
            .expect("a shard's thread panicked")
    }
}

impl Clone for Exchange {
    fn clone(&self) -> Self {
        Exchange {
            shards: self.shards,
            pops: self.pops,
            lists: self
                .lists
                .iter()
                .map(|l| Padded(RwLock::new(l.0.read().expect("not poisoned").clone())))
                .collect(),
        }
    }
}

/// A barrier for threads that meet every few microseconds: it spins, then yields.
///
/// Written out because `std::sync::Barrier` parks its threads (a futex wake costs tens of
/// microseconds, longer than a step of `cuba`). A thread that panics breaks it, and the
/// others panic rather than wait forever.
#[derive(Debug)]
pub struct SpinBarrier {
    threads: usize,
    arrived: AtomicUsize,
    generation: AtomicUsize,
    broken: AtomicBool,
}

/// Spins before each yield: about a microsecond.
const SPINS: u32 = 1 << 10;

impl SpinBarrier {
    /// A barrier for `threads` threads.
    pub fn new(threads: usize) -> Self {
        SpinBarrier {
            threads,
            arrived: AtomicUsize::new(0),
            generation: AtomicUsize::new(0),
            broken: AtomicBool::new(false),
        }
    }

    /// Waits until all threads have called it.
    pub fn wait(&self) {
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.threads {
            self.arrived.store(0, Ordering::Relaxed);
            self.generation.fetch_add(1, Ordering::Release);
            return;
        }
        let mut spins = 0;
        while self.generation.load(Ordering::Acquire) == generation {
            assert!(
                !self.broken.load(Ordering::Relaxed),
                "another shard's thread panicked"
            );
            if spins < SPINS {
                std::hint::spin_loop();
                spins += 1;
            } else {
                std::thread::yield_now();
            }
        }
    }

    /// Breaks the barrier when dropped during a panic (hold one in each thread).
    pub fn guard(&self) -> BreakOnPanic<'_> {
        BreakOnPanic(self)
    }
}

/// See [`SpinBarrier::guard`].
pub struct BreakOnPanic<'a>(&'a SpinBarrier);

impl Drop for BreakOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.broken.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_thread_passes_before_all_arrive() {
        // Each round every thread adds 1, waits, and reads the sum: all see 3 per round.
        let barrier = SpinBarrier::new(3);
        let sum = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    for round in 1..=200 {
                        sum.fetch_add(1, Ordering::SeqCst);
                        barrier.wait();
                        assert_eq!(sum.load(Ordering::SeqCst), 3 * round);
                        barrier.wait();
                    }
                });
            }
        });
    }

    #[test]
    fn a_panicking_thread_breaks_the_barrier() {
        let barrier = SpinBarrier::new(2);
        let result = std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                let _guard = barrier.guard();
                barrier.wait();
            });
            let _ = scope
                .spawn(|| {
                    let _guard = barrier.guard();
                    panic!("a shard fails");
                })
                .join();
            waiter.join()
        });
        assert!(result.is_err(), "the waiting thread gave up");
    }

    #[test]
    fn lists_alternate_by_parity() {
        let ex = Exchange::new(2, 3);
        ex.write(1, 4, 2).push(7);
        assert_eq!(*ex.read(1, 6, 2), vec![7]);
        assert!(ex.read(1, 5, 2).is_empty());
        assert!(ex.read(0, 4, 2).is_empty());
    }
}
