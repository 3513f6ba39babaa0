//! Wall clocks behind one trait. The engine never reads a clock by itself: the runner is handed
//! one, so tests inject a [`ManualClock`] and the browser worker injects `performance.now()`.

use std::cell::Cell;

/// A monotonic wall clock in nanoseconds since an arbitrary origin.
pub trait Clock {
    /// Nanoseconds since this clock's origin. Never decreases for a correct clock; callers must
    /// still tolerate a clock that jumps (see the runner's re-anchoring).
    fn now_ns(&self) -> u64;
}

/// A clock that moves only when told: for tests and for replaying.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: Cell<u64>,
}

impl ManualClock {
    /// A manual clock at `ns`.
    pub fn at(ns: u64) -> Self {
        ManualClock { now: Cell::new(ns) }
    }

    /// Sets the time, forwards or (to test jumps) backwards.
    pub fn set(&self, ns: u64) {
        self.now.set(ns)
    }

    /// Moves the time forward by `ns`.
    pub fn advance(&self, ns: u64) {
        self.now.set(self.now.get().saturating_add(ns))
    }
}

impl Clock for ManualClock {
    fn now_ns(&self) -> u64 {
        self.now.get()
    }
}

/// The native monotonic clock (`std::time::Instant`), which panics on wasm32 and so exists only natively.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy)]
pub struct MonotonicClock {
    origin: std::time::Instant,
}

#[cfg(not(target_arch = "wasm32"))]
impl MonotonicClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        MonotonicClock {
            origin: std::time::Instant::now(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for MonotonicClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for MonotonicClock {
    fn now_ns(&self) -> u64 {
        self.origin.elapsed().as_nanos() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::at(5);
        assert_eq!(c.now_ns(), 5);
        c.advance(10);
        assert_eq!(c.now_ns(), 15);
        c.set(3);
        assert_eq!(c.now_ns(), 3);
    }

    #[test]
    fn monotonic_clock_counts_nanoseconds_from_its_start() {
        let c = MonotonicClock::new();
        let a = c.now_ns();
        // Read right after construction: well under a second, whatever the machine's load.
        assert!(a < 1_000_000_000, "starts near 0 ns: {a}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let b = c.now_ns();
        // A sleep of 20 ms is at least 20 ms: in ns, not us or ms.
        assert!(b - a >= 20_000_000, "{a} -> {b}");
        let mut last = b;
        for _ in 0..1000 {
            let now = c.now_ns();
            assert!(now >= last, "went back from {last} to {now}");
            last = now;
        }
    }
}
