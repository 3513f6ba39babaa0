//! Training over a [`PackedNet`]'s weights: incremental backpropagation (the rule ruv-fann's
//! `Network::train` applies) and iRPROP- with C FANN 2.2's constants.
//!
//! Written here, not taken from ruv-fann, because ruv-fann 0.2.1's `Rprop`, `Quickprop` and
//! `IncrementalBackprop` trainers write their weights back misaligned with the biases and do not
//! learn (see TOOLCHAIN.md), and because its maths uses std `exp`, which differs in the last bits
//! between native and wasm32: training here is bit-identical on both. After every weight update
//! the [`Guard`] projects the weights, so a Lipschitz bound holds after training steps too.

use super::guard::Guard;
use super::packed::{check_vector, PackedNet};
use super::spec::NetError;

/// A training set in flat arrays (no allocation per example while training).
#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    inputs: Vec<f64>,
    targets: Vec<f64>,
    n_in: usize,
    n_out: usize,
}

impl Examples {
    /// Checks and packs `(input, target)` pairs for a net of `n_in` inputs and `n_out` outputs.
    pub fn new(pairs: &[(&[f64], &[f64])], n_in: usize, n_out: usize) -> Result<Self, NetError> {
        if pairs.is_empty() {
            return Err(NetError::TrainingData("no examples".into()));
        }
        let mut examples = Examples {
            inputs: Vec::with_capacity(pairs.len() * n_in),
            targets: Vec::with_capacity(pairs.len() * n_out),
            n_in,
            n_out,
        };
        for (x, t) in pairs {
            check_vector("input", x, n_in)?;
            check_vector("target", t, n_out)?;
            examples.inputs.extend_from_slice(x);
            examples.targets.extend_from_slice(t);
        }
        Ok(examples)
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.inputs.len() / self.n_in
    }

    /// Whether there are none (never true for a constructed set).
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Example `i` as `(input, target)`.
    pub fn get(&self, i: usize) -> (&[f64], &[f64]) {
        (
            &self.inputs[i * self.n_in..][..self.n_in],
            &self.targets[i * self.n_out..][..self.n_out],
        )
    }

    /// Root-mean-square error of `net`'s predictions over every output of every example.
    pub fn rmse(&self, net: &mut PackedNet) -> f64 {
        let mut sum = 0.0;
        for i in 0..self.len() {
            let (x, t) = self.get(i);
            let y = net.forward_unchecked(x);
            sum += y.iter().zip(t).map(|(y, t)| (y - t) * (y - t)).sum::<f64>();
        }
        (sum / (self.len() * self.n_out) as f64).sqrt()
    }
}

/// The training algorithm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Algorithm {
    /// iRPROP- (batch): per-weight step sizes grown by 1.2 while the gradient keeps its sign,
    /// halved when it flips (and that weight skips the epoch); steps in [0, 50], first step 0.1,
    /// never below 1e-4; weights clamped to +-1500. C FANN 2.2's defaults
    /// (`fann_update_weights_irpropm`).
    Rprop,
    /// Incremental (online) backpropagation: `w -= rate * dE/dw` after each example.
    Backprop {
        /// The learning rate, > 0.
        rate: f64,
    },
}

impl Algorithm {
    /// Names for parameter choices and reports, in the order of the `trainer` choice.
    pub const NAMES: &'static [&'static str] = &["rprop", "backprop"];

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Rprop => Self::NAMES[0],
            Algorithm::Backprop { .. } => Self::NAMES[1],
        }
    }
}

const RPROP_INCREASE: f64 = 1.2;
const RPROP_DECREASE: f64 = 0.5;
const RPROP_DELTA_MIN: f64 = 0.0;
const RPROP_DELTA_MAX: f64 = 50.0;
const RPROP_DELTA_ZERO: f64 = 0.1;
/// C FANN keeps steps above this so a weight never stops training for good.
const RPROP_STEP_FLOOR: f64 = 1e-4;
const WEIGHT_LIMIT: f64 = 1500.0;

/// A trainer for one network: its algorithm and per-weight state.
#[derive(Debug, Clone, PartialEq)]
pub struct Trainer {
    algorithm: Algorithm,
    grad: Vec<f64>,
    prev_grad: Vec<f64>,
    steps: Vec<f64>,
    epochs: u64,
}

impl Trainer {
    /// A trainer for `net`. Refuses a learning rate that is not finite and > 0.
    pub fn new(algorithm: Algorithm, net: &PackedNet) -> Result<Trainer, NetError> {
        if let Algorithm::Backprop { rate } = algorithm {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(NetError::LearningRate(rate));
            }
        }
        let n = net.weights().len();
        Ok(Trainer {
            algorithm,
            grad: vec![0.0; n],
            prev_grad: vec![0.0; n],
            steps: vec![RPROP_DELTA_ZERO; n],
            epochs: 0,
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Changes backprop's learning rate (rprop adapts its own steps and ignores it); a rate
    /// that is not finite and > 0 is refused.
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), NetError> {
        if !(rate.is_finite() && rate > 0.0) {
            return Err(NetError::LearningRate(rate));
        }
        if let Algorithm::Backprop { rate: r } = &mut self.algorithm {
            *r = rate;
        }
        Ok(())
    }

    /// Epochs trained so far.
    pub fn epochs(&self) -> u64 {
        self.epochs
    }

    /// Forgets the step sizes and gradients (e.g. after a rollback).
    pub fn reset(&mut self) {
        self.grad.fill(0.0);
        self.prev_grad.fill(0.0);
        self.steps.fill(RPROP_DELTA_ZERO);
    }

    /// One pass over `data`; the guard projects the weights after every update. Returns the
    /// mean of `1/2 sum (y - t)^2` over the examples, as seen during the pass.
    pub fn train_epoch(&mut self, net: &mut PackedNet, data: &Examples, guard: &mut Guard) -> f64 {
        let mut error = 0.0;
        match self.algorithm {
            Algorithm::Backprop { rate } => {
                for i in 0..data.len() {
                    let (x, t) = data.get(i);
                    net.forward_unchecked(x);
                    self.grad.fill(0.0);
                    error += net.accumulate_gradient(t, &mut self.grad);
                    for (w, g) in net.weights_mut().iter_mut().zip(&self.grad) {
                        *w -= rate * g;
                    }
                    guard.project(net);
                }
            }
            Algorithm::Rprop => {
                self.grad.fill(0.0);
                for i in 0..data.len() {
                    let (x, t) = data.get(i);
                    net.forward_unchecked(x);
                    error += net.accumulate_gradient(t, &mut self.grad);
                }
                self.rprop_update(net);
                guard.project(net);
            }
        }
        self.epochs += 1;
        error / data.len() as f64
    }

    fn rprop_update(&mut self, net: &mut PackedNet) {
        let state = self
            .grad
            .iter()
            .zip(&mut self.prev_grad)
            .zip(&mut self.steps);
        for (w, ((&grad, prev_grad), step)) in net.weights_mut().iter_mut().zip(state) {
            let prev_step = step.max(RPROP_STEP_FLOOR);
            let mut g = grad;
            *step = if g * *prev_grad >= 0.0 {
                (prev_step * RPROP_INCREASE).min(RPROP_DELTA_MAX)
            } else {
                g = 0.0; // iRPROP-: after a sign change, skip this weight for one epoch
                (prev_step * RPROP_DECREASE).max(RPROP_DELTA_MIN)
            };
            if g > 0.0 {
                *w = (*w - *step).max(-WEIGHT_LIMIT);
            } else if g < 0.0 {
                *w = (*w + *step).min(WEIGHT_LIMIT);
            }
            *prev_grad = g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::activation::Activation;
    use super::super::guard::GuardKind;
    use super::super::spec::NetSpec;
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    pub(crate) fn xor() -> Examples {
        Examples::new(
            &[
                (&[-1.0, -1.0], &[-1.0]),
                (&[-1.0, 1.0], &[1.0]),
                (&[1.0, -1.0], &[1.0]),
                (&[1.0, 1.0], &[-1.0]),
            ],
            2,
            1,
        )
        .unwrap()
    }

    fn xor_net(seed: u64) -> PackedNet {
        let spec = NetSpec {
            layers: vec![2, 4, 1],
            hidden: Activation::SigmoidSymmetric,
            output: Activation::SigmoidSymmetric,
            steepness: 1.0,
        };
        PackedNet::from_network(
            &spec
                .build(0.5, &mut ChaCha8Rng::seed_from_u64(seed))
                .unwrap(),
        )
        .unwrap()
    }

    /// Predictions, not the trainer's error: every XOR case on the right side of 0 by a margin.
    fn assert_predicts_xor(net: &mut PackedNet) {
        let data = xor();
        for i in 0..4 {
            let (x, t) = data.get(i);
            let y = net.forward(x).unwrap()[0];
            assert!(y * t[0] > 0.8, "xor{x:?} -> {y}, want {}", t[0]);
        }
    }

    #[test]
    fn rprop_learns_xor_from_several_seeds() {
        for seed in 0..5 {
            let mut net = xor_net(seed);
            let mut trainer = Trainer::new(Algorithm::Rprop, &net).unwrap();
            let mut guard = Guard::new(GuardKind::None, &net);
            for _ in 0..300 {
                trainer.train_epoch(&mut net, &xor(), &mut guard);
            }
            assert_predicts_xor(&mut net);
        }
    }

    #[test]
    fn backprop_learns_xor() {
        let mut net = xor_net(1);
        let mut trainer = Trainer::new(Algorithm::Backprop { rate: 0.2 }, &net).unwrap();
        let mut guard = Guard::new(GuardKind::None, &net);
        for _ in 0..2000 {
            trainer.train_epoch(&mut net, &xor(), &mut guard);
        }
        assert_predicts_xor(&mut net);
    }

    #[test]
    fn backprop_takes_the_same_steps_as_ruv_fann_network_train() {
        let mut net = xor_net(4);
        let mut network = net.to_network();
        let mut trainer = Trainer::new(Algorithm::Backprop { rate: 0.25 }, &net).unwrap();
        let mut guard = Guard::new(GuardKind::None, &net);
        for _ in 0..3 {
            trainer.train_epoch(&mut net, &xor(), &mut guard);
        }
        let data = xor();
        let inputs: Vec<Vec<f64>> = (0..4).map(|i| data.get(i).0.to_vec()).collect();
        let targets: Vec<Vec<f64>> = (0..4).map(|i| data.get(i).1.to_vec()).collect();
        // ruv-fann takes the rate as f32: 0.25 is exact in both.
        network.train(&inputs, &targets, 0.25, 3).unwrap();
        for (a, b) in network.get_weights().iter().zip(net.weights()) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
    }

    #[test]
    fn a_bad_learning_rate_or_training_set_is_refused() {
        let net = xor_net(1);
        for rate in [0.0, -0.1, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                Trainer::new(Algorithm::Backprop { rate }, &net),
                Err(NetError::LearningRate(_))
            ));
        }
        assert!(Examples::new(&[], 2, 1).is_err());
        assert!(matches!(
            Examples::new(&[(&[1.0, f64::NAN], &[0.0])], 2, 1),
            Err(NetError::NonFiniteValue { what: "input", .. })
        ));
        assert!(matches!(
            Examples::new(&[(&[1.0, 0.0], &[0.0, 1.0])], 2, 1),
            Err(NetError::TargetLength { .. })
        ));
    }
}
