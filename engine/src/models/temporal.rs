//! The plan's `TemporalNetwork`: anything stepped through time with state carried between steps.
//! Spiking neurons implement it here; ruv-FANN networks implement it too, so the scheduler,
//! windows and dashboard treat them alike.

use crate::time::TimeSpan;

/// A network whose state evolves step by step.
pub trait TemporalNetwork {
    /// Returns the state to its initial value (as after construction).
    fn reset_state(&mut self);
    /// Advances by `dt` under `input` and returns the outputs after the step.
    /// What `input` and the outputs mean is documented by each implementation.
    fn step(&mut self, input: &[f64], dt: TimeSpan) -> &[f64];
}
