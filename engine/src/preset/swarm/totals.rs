//! The swarm's running totals since the start of a run: windows decided, escalated and
//! labelled right (by the governed system, the swarm alone and the always-escalate baseline),
//! and the compute each spent.

/// Counts since the start of the run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Totals {
    /// Windows decided.
    pub windows: u64,
    /// Windows escalated.
    pub escalations: u64,
    /// Windows at a regime shift: with a shift after their start, or starting within one hop
    /// after one (the windows a governor should escalate).
    pub windows_at_shifts: u64,
    /// Of those, the escalated.
    pub escalations_at_shifts: u64,
    /// Windows labelled right by swarm + backstop (the governed system).
    pub right_governed: u64,
    /// Windows the swarm alone labelled right.
    pub right_swarm: u64,
    /// Windows the backstop alone labelled right (always-escalate baseline).
    pub right_backstop: u64,
    /// Member evaluations.
    pub evaluations: u64,
    /// Multiply-adds of the swarm.
    pub swarm_macs: u64,
    /// Multiply-adds of the backstop on escalated windows.
    pub escalated_macs: u64,
    /// Multiply-adds of the backstop on every window (the baseline's cost).
    pub baseline_macs: u64,
}

impl Totals {
    /// Fraction of the baseline's compute that swarm + escalations did not need.
    pub fn compute_saved(&self) -> f64 {
        1.0 - (self.swarm_macs + self.escalated_macs) as f64 / self.baseline_macs.max(1) as f64
    }

    /// `count / windows`.
    pub fn rate(&self, count: u64) -> f64 {
        count as f64 / self.windows.max(1) as f64
    }

    /// Escalation rates of the windows at regime shifts and of the others.
    pub fn escalation_rates_at_shifts_and_elsewhere(&self) -> (f64, f64) {
        let at = self.escalations_at_shifts as f64 / self.windows_at_shifts.max(1) as f64;
        let elsewhere = (self.escalations - self.escalations_at_shifts) as f64
            / (self.windows - self.windows_at_shifts).max(1) as f64;
        (at, elsewhere)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_savings_follow_the_counts() {
        let empty = Totals::default();
        assert_eq!(empty.rate(0), 0.0);
        assert_eq!(empty.compute_saved(), 1.0);
        let t = Totals {
            windows: 8,
            escalations: 2,
            swarm_macs: 100,
            escalated_macs: 150,
            baseline_macs: 1000,
            ..Totals::default()
        };
        assert_eq!(t.rate(t.escalations), 0.25);
        assert_eq!(t.compute_saved(), 0.75);
        let at_shifts = Totals {
            windows_at_shifts: 2,
            escalations_at_shifts: 1,
            ..t
        };
        assert_eq!(
            at_shifts.escalation_rates_at_shifts_and_elsewhere(),
            (0.5, 1.0 / 6.0)
        );
    }
}
