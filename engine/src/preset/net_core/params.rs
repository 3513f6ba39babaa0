//! The parameters every network preset shares (guard, watchdog, budget, trainer) and what
//! they build.

use super::super::{choice_spec, spec};
use crate::fann::{Action, Algorithm, GuardKind, WatchdogConfig};
use crate::params::{ParamSpec, ParamValues, Unit};

/// Parameters every network preset has: guard, watchdog and budget.
pub(in crate::preset) const GUARD_AND_WATCHDOG_PARAMS: [ParamSpec; 5] = [
    choice_spec(
        "guard",
        0,
        GuardKind::NAMES,
        "Lipschitz guard applied after every weight update: none, clip (each weight to +-bound) or spectral (each layer's spectral norm to <= bound).",
    ),
    spec(
        "guard_bound",
        Unit::Dimensionless,
        0.95,
        1e-3,
        1e3,
        "The guard's bound: largest |weight| for clip, largest layer spectral norm for spectral.",
    ),
    choice_spec(
        "watchdog_action",
        0,
        Action::NAMES,
        "On NaN/Inf, a state norm past norm_bound or a sustained oscillation: pause (keep the last good state), rollback to it and go on, or reset to the start.",
    ),
    spec(
        "norm_bound",
        Unit::Dimensionless,
        1e6,
        1e-3,
        1e300,
        "State norm the watchdog treats as divergence.",
    ),
    spec(
        "max_evaluations",
        Unit::Count,
        1e6,
        1.0,
        1e9,
        "Most network evaluations between two window closes (a hop); the rest are skipped and reported.",
    ),
];

/// The `trainer` parameter of the training presets (see [`algorithm`]).
pub(in crate::preset) const TRAINER_PARAM: ParamSpec = choice_spec(
    "trainer",
    0,
    Algorithm::NAMES,
    "rprop: iRPROP- (batch, C FANN's constants); backprop: online gradient steps of learning_rate.",
);

/// Guard, watchdog and budget from the shared parameters.
pub(super) fn guard_and_watchdog(
    values: &ParamValues,
    oscillation_steps: usize,
) -> (GuardKind, WatchdogConfig, u64) {
    let guard = GuardKind::from_choice(values["guard"] as usize, values["guard_bound"])
        .expect("range-checked choice");
    let action = Action::from_choice(values["watchdog_action"] as usize).expect("range-checked");
    let config = WatchdogConfig {
        norm_bound: values["norm_bound"],
        oscillation_steps,
        oscillation_amplitude: values["norm_bound"].min(1.0),
        action,
    };
    (guard, config, values["max_evaluations"] as u64)
}

/// The trainer the `trainer` and `learning_rate` parameters choose.
pub(in crate::preset) fn algorithm(values: &ParamValues) -> Algorithm {
    if values["trainer"] == 0.0 {
        Algorithm::Rprop
    } else {
        Algorithm::Backprop {
            rate: values["learning_rate"],
        }
    }
}
