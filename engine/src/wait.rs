//! Native waits until a wall-clock deadline (not on wasm32: the worker has its own, see
//! `worker/src/wait.rs`).
//!
//! `thread::sleep` alone wakes 50-60 us late on this machine kind. [`HybridWait`] sleeps until a
//! calibrated margin before the deadline, then spins on the clock for the rest: p99 lateness in
//! single microseconds at the cost of spinning for the margin.

use crate::clock::{Clock, MonotonicClock};
use std::time::Duration;

/// Waits until a wall-clock deadline of a [`Clock`].
pub trait Wait {
    /// Returns at or after `deadline_ns` on `clock`.
    fn wait_until(&self, clock: &dyn Clock, deadline_ns: u64);
    /// A short name for reports.
    fn name(&self) -> &'static str;
}

/// Plain `thread::sleep` for the whole wait: cheap, and as late as the OS timer makes it.
#[derive(Debug, Clone, Copy, Default)]
pub struct SleepWait;

impl Wait for SleepWait {
    fn wait_until(&self, clock: &dyn Clock, deadline_ns: u64) {
        let now = clock.now_ns();
        if deadline_ns > now {
            std::thread::sleep(Duration::from_nanos(deadline_ns - now));
        }
    }

    fn name(&self) -> &'static str {
        "sleep"
    }
}

/// Sleep until `spin_margin_ns` before the deadline, then spin.
#[derive(Debug, Clone, Copy)]
pub struct HybridWait {
    spin_margin_ns: u64,
}

/// Bounds of the calibrated margin: never spin less than 20 us nor more than 2 ms.
const MIN_MARGIN_NS: u64 = 20_000;
const MAX_MARGIN_NS: u64 = 2_000_000;

impl HybridWait {
    /// A hybrid wait with a fixed spin margin.
    pub fn with_margin(spin_margin_ns: u64) -> Self {
        HybridWait { spin_margin_ns }
    }

    /// Measures how late short sleeps (20-200 us) wake up here, 200 samples (about 30 ms), and
    /// takes twice the worst overshoot as the margin: the overshoot's tail is long (Linux's 50 us
    /// timer slack plus scheduling), and a sleep that ends late costs lateness while extra
    /// spinning only costs CPU.
    pub fn calibrate() -> Self {
        let clock = MonotonicClock::new();
        let worst = (0..200u64)
            .map(|i| {
                let asked = 20_000 + (i % 10) * 20_000;
                let start = clock.now_ns();
                std::thread::sleep(Duration::from_nanos(asked));
                (clock.now_ns() - start).saturating_sub(asked)
            })
            .max()
            .unwrap_or(0);
        Self::with_margin((2 * worst).clamp(MIN_MARGIN_NS, MAX_MARGIN_NS))
    }

    /// The spin margin in use, ns.
    pub fn spin_margin_ns(&self) -> u64 {
        self.spin_margin_ns
    }
}

impl Wait for HybridWait {
    fn wait_until(&self, clock: &dyn Clock, deadline_ns: u64) {
        let now = clock.now_ns();
        if deadline_ns > now + self.spin_margin_ns {
            std::thread::sleep(Duration::from_nanos(
                deadline_ns - now - self.spin_margin_ns,
            ));
        }
        while clock.now_ns() < deadline_ns {
            std::hint::spin_loop();
        }
    }

    fn name(&self) -> &'static str {
        "hybrid"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_never_return_early() {
        let clock = MonotonicClock::new();
        let waits: [&dyn Wait; 2] = [&SleepWait, &HybridWait::with_margin(100_000)];
        for wait in waits {
            for delay in [0, 50_000, 300_000] {
                let deadline = clock.now_ns() + delay;
                wait.wait_until(&clock, deadline);
                assert!(clock.now_ns() >= deadline, "{} returned early", wait.name());
            }
        }
    }

    #[test]
    fn calibration_stays_in_bounds() {
        let m = HybridWait::calibrate().spin_margin_ns();
        assert!((MIN_MARGIN_NS..=MAX_MARGIN_NS).contains(&m), "{m}");
    }
}
