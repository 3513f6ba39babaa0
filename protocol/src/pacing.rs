//! How logical time is paced against the wall clock: the UI chooses, the worker's runner obeys.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The slowest speed factor accepted (logical s per wall s).
pub const MIN_SPEED: f64 = 1e-6;
/// The fastest speed factor accepted (logical s per wall s).
pub const MAX_SPEED: f64 = 1e9;

/// How logical time is paced against the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Pacing {
    /// Logical time advances `speed` times as fast as wall time (1.0 = real time).
    RealTime {
        /// Logical seconds per wall second, > 0.
        speed: f64,
    },
    /// No waiting: run as fast as the host allows.
    AsFastAsPossible,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing::RealTime { speed: 1.0 }
    }
}

/// A real-time pacing whose speed factor is outside [`MIN_SPEED`, `MAX_SPEED`] or not a number.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[error("speed {speed} is out of range [{MIN_SPEED:e}, {MAX_SPEED:e}] (logical s per wall s)")]
pub struct SpeedOutOfRange {
    /// The speed asked for.
    pub speed: f64,
}

impl Pacing {
    /// Checks the speed factor.
    pub fn validate(self) -> Result<Self, SpeedOutOfRange> {
        match self {
            Pacing::RealTime { speed } if !(MIN_SPEED..=MAX_SPEED).contains(&speed) => {
                Err(SpeedOutOfRange { speed })
            }
            ok => Ok(ok),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_outside_the_range_are_refused_with_the_figure() {
        for speed in [0.0, -1.0, f64::NAN, f64::INFINITY, 2e9, 1e-7] {
            let err = Pacing::RealTime { speed }.validate().unwrap_err();
            assert!(
                err.to_string().starts_with(&format!("speed {speed} ")),
                "{err}"
            );
        }
        for speed in [MIN_SPEED, 1.0, MAX_SPEED] {
            assert_eq!(
                Pacing::RealTime { speed }.validate(),
                Ok(Pacing::RealTime { speed })
            );
        }
        assert_eq!(
            Pacing::AsFastAsPossible.validate(),
            Ok(Pacing::AsFastAsPossible)
        );
        assert_eq!(
            SpeedOutOfRange { speed: 0.0 }.to_string(),
            "speed 0 is out of range [1e-6, 1e9] (logical s per wall s)"
        );
    }
}
