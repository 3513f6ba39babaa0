//! Flow control between a worker and its UI: with a window credit, the worker sends no more
//! than that many windows ahead of the UI's acknowledgements ([`Command::Ack`]), so a page that
//! cannot keep up gets fewer windows (skipped, counted by the UI as not sent) instead of an
//! unbounded message queue. A budget of numbers per wall second bounds what the page decodes:
//! a network of thousands of neurons at full speed closes a hundred large windows a second,
//! more than a page can take in and still draw at 60 frames a second (`tests/e2e/perf.mjs`).
//!
//! [`Command::Ack`]: tempora_protocol::Command::Ack

use std::collections::VecDeque;

/// Windows sent and not yet acknowledged, against a credit.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct WindowCredit {
    /// The most windows in flight; none: no flow control (the CLI, tests).
    credit: Option<usize>,
    /// Indices of the windows sent and not yet acknowledged, oldest first.
    in_flight: VecDeque<u64>,
    /// Numbers (see `WindowContent::numbers`) the page may still take now, and when it was
    /// last refilled (wall ns); none: no budget.
    budget: Option<(f64, u64)>,
}

/// Numbers a second a page is sent at most (about 30 windows of `coba`), and what it may take
/// at once (so a single larger window still goes, after a wait).
pub(super) const NUMBERS_PER_S: f64 = 600_000.0;
const NUMBERS_AT_ONCE: f64 = NUMBERS_PER_S / 2.0;

impl WindowCredit {
    /// At most `credit` windows in flight.
    pub(super) fn new(credit: usize) -> Self {
        WindowCredit {
            credit: Some(credit),
            in_flight: VecDeque::new(),
            budget: Some((NUMBERS_AT_ONCE, 0)),
        }
    }

    /// The UI has taken window `index` and every earlier one.
    pub(super) fn acknowledge(&mut self, index: u64) {
        while self.in_flight.front().is_some_and(|&sent| sent <= index) {
            self.in_flight.pop_front();
        }
    }

    /// Whether the windows `indices`, of `numbers` numbers in all, may be sent at wall time
    /// `now_ns`: when the credit has room and the budget holds them (or is full: a window
    /// larger than a full budget still goes). Admitted windows count as in flight.
    pub(super) fn admit(&mut self, indices: &[u64], numbers: usize, now_ns: u64) -> bool {
        let Some(credit) = self.credit else {
            return true;
        };
        if self.in_flight.len() >= credit {
            return false;
        }
        if let Some((left, at)) = &mut self.budget {
            let refill = now_ns.saturating_sub(*at) as f64 * 1e-9 * NUMBERS_PER_S;
            *left = (*left + refill).min(NUMBERS_AT_ONCE);
            *at = now_ns;
            let cost = numbers as f64;
            if cost > *left && *left < NUMBERS_AT_ONCE {
                return false;
            }
            *left -= cost;
        }
        self.in_flight.extend(indices);
        true
    }

    /// A new run: nothing of the old one is in flight any more.
    pub(super) fn forget(&mut self) {
        self.in_flight.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credit_stops_sending_until_acks_free_it() {
        let mut flow = WindowCredit::new(2);
        assert!(flow.admit(&[0], 10, 0));
        assert!(flow.admit(&[1], 10, 0));
        assert!(!flow.admit(&[2], 10, 0), "two in flight");
        flow.acknowledge(0);
        assert!(flow.admit(&[3], 10, 0));
        assert!(!flow.admit(&[4], 10, 0));
        // An ack covers every earlier window.
        flow.acknowledge(3);
        assert!(flow.admit(&[5], 10, 0) && flow.admit(&[6], 10, 0) && !flow.admit(&[7], 10, 0));
        flow.forget();
        assert!(flow.admit(&[0], 10, 0));
    }

    #[test]
    fn the_budget_holds_large_windows_to_its_rate() {
        let mut flow = WindowCredit::new(usize::MAX);
        let window = 20_000;
        // Over one wall second, one window a millisecond is offered: the budget sends its
        // start-up share and then its rate.
        let sent = (0..1000u64)
            .filter(|&ms| flow.admit(&[ms], window, ms * 1_000_000))
            .count();
        let expected = (NUMBERS_AT_ONCE + NUMBERS_PER_S) / window as f64;
        assert!(
            (sent as f64 - expected).abs() <= 1.0,
            "{sent} vs {expected}"
        );
        // Small windows all go; a window larger than the whole budget still goes once it is full.
        let mut flow = WindowCredit::new(usize::MAX);
        assert!((0..1000u64).all(|i| flow.admit(&[i], 100, i * 1_000_000)));
        let huge = 2 * NUMBERS_AT_ONCE as usize;
        let mut flow = WindowCredit::new(usize::MAX);
        assert!(flow.admit(&[0], huge, 0));
        assert!(!flow.admit(&[1], huge, 1_000_000));
        assert!(flow.admit(&[2], huge, 1_000_000_000));
    }

    #[test]
    fn without_a_credit_everything_goes() {
        let mut flow = WindowCredit::default();
        assert!((0..1000).all(|i| flow.admit(&[i], 1_000_000, 0)));
    }
}
