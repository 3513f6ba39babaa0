//! The parameters every network preset shares (guard, watchdog, budget, trainer) and what
//! they build.

use crate::fann::{Action, Algorithm, GuardKind, WatchdogConfig};
use crate::params::model_params;

model_params! {
    /// Parameters every network preset has: guard, watchdog and budget.
    pub(in crate::preset) struct GuardWatchdog / GuardWatchdogChanges {
        guard: Count = 0.0, [0.0, (GuardKind::NAMES.len() - 1) as f64], "Lipschitz guard applied after every weight update: none, clip (each weight to +-bound) or spectral (each layer's spectral norm to <= bound).", choices GuardKind::NAMES;
        guard_bound: Dimensionless = 0.95, [1e-3, 1e3], "The guard's bound: largest |weight| for clip, largest layer spectral norm for spectral.";
        watchdog_action: Count = 0.0, [0.0, (Action::NAMES.len() - 1) as f64], "On NaN/Inf, a state norm past norm_bound or a sustained oscillation: pause (keep the last good state), rollback to it and go on, or reset to the start.", choices Action::NAMES;
        norm_bound: Dimensionless = 1e6, [1e-3, 1e300], "State norm the watchdog treats as divergence.";
        max_evaluations: Count = 1e6, [1.0, 1e9], "Most network evaluations between two window closes (a hop); the rest are skipped and reported.";
    }
}

/// What the `trainer` choice of the training presets does (see [`algorithm`]).
pub(in crate::preset) const TRAINER_HELP: &str =
    "rprop: iRPROP- (batch, C FANN's constants); backprop: online gradient steps of learning_rate.";

impl GuardWatchdog {
    /// The guard, the watchdog (an oscillation is `oscillation_steps` of alternation) and the
    /// evaluation budget per hop.
    pub(super) fn build(&self, oscillation_steps: usize) -> (GuardKind, WatchdogConfig, u64) {
        let guard = GuardKind::from_choice(self.guard as usize, self.guard_bound)
            .expect("range-checked choice");
        let action = Action::from_choice(self.watchdog_action as usize).expect("range-checked");
        let config = WatchdogConfig {
            norm_bound: self.norm_bound,
            oscillation_steps,
            oscillation_amplitude: self.norm_bound.min(1.0),
            action,
        };
        (guard, config, self.max_evaluations as u64)
    }
}

/// The trainer that the `trainer` choice (0: rprop, 1: backprop) and `learning_rate` choose.
pub(in crate::preset) fn algorithm(trainer: f64, learning_rate: f64) -> Algorithm {
    if trainer == 0.0 {
        Algorithm::Rprop
    } else {
        Algorithm::Backprop {
            rate: learning_rate,
        }
    }
}
