//! A network stepped through time with its first outputs fed back as its first inputs: the
//! plan's `TemporalNetwork` for ruv-FANN nets. With no feedback it is a feedforward net whose
//! state is its last output.

use super::packed::PackedNet;
use super::spec::NetError;
use crate::models::temporal::TemporalNetwork;
use crate::time::TimeSpan;

/// `y_t = f([y_{t-1}[..feedback], u_t])`, with `u_t` the external input of step `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct Recurrent {
    net: PackedNet,
    feedback: usize,
    /// The state: the last outputs.
    state: Vec<f64>,
    initial_state: Vec<f64>,
    input: Vec<f64>,
}

impl Recurrent {
    /// Wraps `net`, feeding back its first `feedback` outputs; the state starts at `initial`.
    pub fn new(net: PackedNet, feedback: usize, initial: Vec<f64>) -> Result<Self, NetError> {
        if feedback > net.outputs() || feedback > net.inputs() {
            return Err(NetError::Wiring {
                layer: 0,
                reason: format!(
                    "cannot feed back {feedback} values into {} inputs from {} outputs",
                    net.inputs(),
                    net.outputs()
                ),
            });
        }
        if initial.len() != net.outputs() {
            return Err(NetError::TargetLength {
                expected: net.outputs(),
                got: initial.len(),
            });
        }
        Ok(Recurrent {
            input: vec![0.0; net.inputs()],
            state: initial.clone(),
            initial_state: initial,
            net,
            feedback,
        })
    }

    /// The network.
    pub fn net(&self) -> &PackedNet {
        &self.net
    }

    /// The network, writable (training, guards, rollback).
    pub fn net_mut(&mut self) -> &mut PackedNet {
        &mut self.net
    }

    /// The state (the last outputs).
    pub fn state(&self) -> &[f64] {
        &self.state
    }

    /// Replaces the state (e.g. restoring a snapshot, or injecting a fault).
    pub fn set_state(&mut self, state: &[f64]) {
        self.state.copy_from_slice(state);
    }

    /// The input of the last step.
    pub fn last_input(&self) -> &[f64] {
        &self.input
    }

    /// External inputs per step.
    pub fn external_inputs(&self) -> usize {
        self.net.inputs() - self.feedback
    }
}

impl TemporalNetwork for Recurrent {
    fn reset_state(&mut self) {
        self.state.copy_from_slice(&self.initial_state);
    }

    /// `input` is the external part of the input (`external_inputs()` values; missing ones are
    /// 0). Non-finite values propagate into the state, where the watchdog sees them. A
    /// feedforward net has no dynamics of its own, so `dt` only places the step in time.
    fn step(&mut self, input: &[f64], _dt: TimeSpan) -> &[f64] {
        let (fed, external) = self.input.split_at_mut(self.feedback);
        fed.copy_from_slice(&self.state[..self.feedback]);
        external.fill(0.0);
        for (e, u) in external.iter_mut().zip(input) {
            *e = *u;
        }
        let y = self.net.forward_unchecked(&self.input);
        self.state.copy_from_slice(y);
        &self.state
    }
}

#[cfg(test)]
mod tests {
    use super::super::activation::Activation;
    use super::super::spec::NetSpec;
    use super::*;

    #[test]
    fn feeds_its_output_back_and_resets() {
        // y_t = 2 y_{t-1} + u_t: a linear 2-1 net with weights (2, 1) and bias 0.
        let spec = NetSpec {
            layers: vec![2, 1],
            hidden: Activation::Linear,
            output: Activation::Linear,
            steepness: 1.0,
        };
        let mut net = PackedNet::zeros(&spec).unwrap();
        net.set_weights(&[2.0, 1.0, 0.0]).unwrap();
        let mut r = Recurrent::new(net, 1, vec![1.0]).unwrap();
        let dt = TimeSpan::from_nanos(1000);
        assert_eq!(r.step(&[0.5], dt), &[2.5]);
        assert_eq!(r.step(&[0.0], dt), &[5.0]);
        assert_eq!(r.last_input(), &[2.5, 0.0]);
        r.reset_state();
        assert_eq!(r.state(), &[1.0]);
        assert!(Recurrent::new(r.net().clone(), 2, vec![0.0]).is_err());
    }
}
