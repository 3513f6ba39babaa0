//! The divergence watchdog: watches a network's state step by step and raises an alarm on
//! NaN/Inf, on a norm past a bound, or on a sustained oscillation; the preset then acts as
//! configured (pause, roll back to the last good snapshot, or reset) and reports it.

use serde::{Deserialize, Serialize};

/// What the watchdog saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alarm {
    /// A state value is NaN or infinite.
    NonFinite,
    /// The state's Euclidean norm went past the bound.
    NormBound,
    /// The first state value alternated direction at (almost) every step with a large swing.
    Oscillation,
    /// A window used its whole budget of evaluations; the rest of the window is skipped.
    IterationLimit,
}

impl Alarm {
    /// Its name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Alarm::NonFinite => "non_finite",
            Alarm::NormBound => "norm_bound",
            Alarm::Oscillation => "oscillation",
            Alarm::IterationLimit => "iteration_limit",
        }
    }
}

/// What is done about an alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Restore the last good snapshot and stop stepping the network until the run is reset.
    Pause,
    /// Restore the last good snapshot (state and weights) and go on.
    Rollback,
    /// Return state and weights to their initial values and go on.
    Reset,
    /// Skip the window's remaining evaluations (the response to [`Alarm::IterationLimit`];
    /// not selectable).
    SkipWindow,
}

impl Action {
    /// Names for parameter choices, in the order of [`Action::from_choice`].
    pub const NAMES: &'static [&'static str] = &["pause", "rollback", "reset"];

    /// Its name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Action::Pause => "pause",
            Action::Rollback => "rollback",
            Action::Reset => "reset",
            Action::SkipWindow => "skip_window",
        }
    }

    /// The action for choice `index`.
    pub fn from_choice(index: usize) -> Option<Action> {
        [Action::Pause, Action::Rollback, Action::Reset]
            .get(index)
            .copied()
    }
}

/// When the watchdog raises an alarm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WatchdogConfig {
    /// The state norm that counts as divergence.
    pub norm_bound: f64,
    /// Steps over which an oscillation must be sustained (>= 3; 0 turns the check off, for
    /// networks whose output follows a changing input).
    pub oscillation_steps: usize,
    /// The peak-to-peak swing an oscillation must exceed.
    pub oscillation_amplitude: f64,
    /// What to do.
    pub action: Action,
}

/// The watchdog's memory of the recent state.
#[derive(Debug, Clone, PartialEq)]
pub struct Watchdog {
    config: WatchdogConfig,
    /// The last `oscillation_steps` values of the first state component (a ring).
    recent: Vec<f64>,
    next: usize,
    filled: usize,
}

impl Watchdog {
    /// A watchdog with `config` (`oscillation_steps` of 1 or 2 is raised to 3).
    pub fn new(mut config: WatchdogConfig) -> Watchdog {
        if config.oscillation_steps > 0 {
            config.oscillation_steps = config.oscillation_steps.max(3);
        }
        Watchdog {
            recent: vec![0.0; config.oscillation_steps],
            config,
            next: 0,
            filled: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &WatchdogConfig {
        &self.config
    }

    /// Checks the state after a step; returns the alarm and the value that raised it.
    pub fn check(&mut self, state: &[f64]) -> Option<(Alarm, f64)> {
        if let Some(&bad) = state.iter().find(|v| !v.is_finite()) {
            return Some((Alarm::NonFinite, bad));
        }
        let norm = libm::sqrt(state.iter().map(|v| v * v).sum());
        if norm > self.config.norm_bound {
            return Some((Alarm::NormBound, norm));
        }
        if self.recent.is_empty() {
            return None;
        }
        let first = state.first().copied().unwrap_or(0.0);
        self.recent[self.next] = first;
        self.next = (self.next + 1) % self.recent.len();
        self.filled = (self.filled + 1).min(self.recent.len());
        if self.filled == self.recent.len() {
            let swing = self.oscillation_swing();
            if swing > self.config.oscillation_amplitude {
                return Some((Alarm::Oscillation, swing));
            }
        }
        None
    }

    /// The peak-to-peak swing of the ring if its direction flipped at every step (else 0).
    fn oscillation_swing(&self) -> f64 {
        let n = self.recent.len();
        let at = |i: usize| self.recent[(self.next + i) % n];
        let mut lo = at(0);
        let mut hi = lo;
        for i in 1..n {
            lo = lo.min(at(i));
            hi = hi.max(at(i));
            if i >= 2 && (at(i) - at(i - 1)) * (at(i - 1) - at(i - 2)) >= 0.0 {
                return 0.0;
            }
        }
        hi - lo
    }

    /// Forgets the recent state (after the state was restored or reset).
    pub fn forget(&mut self) {
        self.filled = 0;
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dog() -> Watchdog {
        Watchdog::new(WatchdogConfig {
            norm_bound: 100.0,
            oscillation_steps: 8,
            oscillation_amplitude: 1.0,
            action: Action::Rollback,
        })
    }

    #[test]
    fn non_finite_and_norm_alarms() {
        let mut d = dog();
        assert_eq!(d.check(&[1.0, 2.0]), None);
        assert_eq!(d.check(&[1.0, f64::NAN]).unwrap().0, Alarm::NonFinite);
        assert_eq!(
            d.check(&[f64::NEG_INFINITY]).unwrap(),
            (Alarm::NonFinite, f64::NEG_INFINITY)
        );
        assert_eq!(d.check(&[60.0, 80.0]), None, "norm exactly 100 is allowed");
        assert_eq!(d.check(&[60.0, 80.1]).unwrap().0, Alarm::NormBound);
    }

    #[test]
    fn a_sustained_large_alternation_is_an_oscillation_and_a_damped_one_is_not() {
        let mut d = dog();
        let alarms: Vec<_> = (0..8)
            .map(|i| d.check(&[if i % 2 == 0 { 1.0 } else { -1.0 }]))
            .collect();
        assert!(alarms[..7].iter().all(Option::is_none));
        assert_eq!(alarms[7], Some((Alarm::Oscillation, 2.0)));

        let mut small = dog();
        for i in 0..20 {
            assert_eq!(small.check(&[if i % 2 == 0 { 0.3 } else { -0.3 }]), None);
        }
        // A big swing that stops alternating once is no oscillation.
        let mut once = dog();
        for v in [1.0, -1.0, 1.0, -1.0, 1.0, 2.0, -1.0, 1.0] {
            assert_eq!(once.check(&[v]), None);
        }
    }

    #[test]
    fn names_match_the_json_form() {
        for alarm in [
            Alarm::NonFinite,
            Alarm::NormBound,
            Alarm::Oscillation,
            Alarm::IterationLimit,
        ] {
            assert_eq!(serde_json::to_value(alarm).unwrap(), alarm.name());
        }
        for (i, name) in Action::NAMES.iter().enumerate() {
            let action = Action::from_choice(i).unwrap();
            assert_eq!(action.name(), *name);
            assert_eq!(serde_json::to_value(action).unwrap(), *name);
        }
    }

    #[test]
    fn action_choices_resolve() {
        assert_eq!(Action::from_choice(1), Some(Action::Rollback));
        assert_eq!(Action::from_choice(3), None);
        assert_eq!(Action::NAMES.len(), 3);
    }
}
