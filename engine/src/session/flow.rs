//! Flow control between a worker and its UI: with a window credit, the worker sends no more
//! than that many windows ahead of the UI's acknowledgements ([`Command::Ack`]), so a page that
//! cannot keep up gets fewer windows (skipped, counted by the UI as not sent) instead of an
//! unbounded message queue.
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
}

impl WindowCredit {
    /// At most `credit` windows in flight.
    pub(super) fn new(credit: usize) -> Self {
        WindowCredit {
            credit: Some(credit),
            in_flight: VecDeque::new(),
        }
    }

    /// The UI has taken window `index` and every earlier one.
    pub(super) fn acknowledge(&mut self, index: u64) {
        while self.in_flight.front().is_some_and(|&sent| sent <= index) {
            self.in_flight.pop_front();
        }
    }

    /// Keeps of `indices` (the windows about to be sent) what the credit allows, and counts
    /// them as in flight: all when there is room, none when the credit is used up.
    pub(super) fn admit(&mut self, indices: &[u64]) -> bool {
        let Some(credit) = self.credit else {
            return true;
        };
        if self.in_flight.len() >= credit {
            return false;
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
        assert!(flow.admit(&[0]));
        assert!(flow.admit(&[1]));
        assert!(!flow.admit(&[2]), "two in flight");
        flow.acknowledge(0);
        assert!(flow.admit(&[3]));
        assert!(!flow.admit(&[4]));
        // An ack covers every earlier window.
        flow.acknowledge(3);
        assert!(flow.admit(&[5]) && flow.admit(&[6]) && !flow.admit(&[7]));
        flow.forget();
        assert!(flow.admit(&[0]));
    }

    #[test]
    fn without_a_credit_everything_goes() {
        let mut flow = WindowCredit::default();
        assert!((0..1000).all(|i| flow.admit(&[i])));
    }
}
