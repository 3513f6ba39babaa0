//! A ruv-fann network packed into flat arrays for a fast, allocation-free forward pass and the
//! gradient of the squared error (for the trainers in `train`).
//!
//! Weights keep ruv-fann's flat order (`Network::get_weights`): layer by layer, destination
//! neuron by destination neuron, its source neurons in order and the bias weight last, so
//! weights move between the two forms with one copy. The sum is accumulated in that order too,
//! as ruv-fann does, so outputs agree to rounding (libm vs std `exp`).

use super::activation::Activation;
use super::spec::{validate_sizes, weight_count, NetError, NetSpec};
use ruv_fann::{Network, NetworkBuilder};

/// One layer after the input: its activation and where its weights and values live.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LayerShape {
    inputs: usize,
    outputs: usize,
    activation: Activation,
    steepness: f64,
    /// First weight of this layer in `weights`.
    weight_start: usize,
    /// First value of the previous layer in `values` (this layer's follow it).
    value_start: usize,
}

/// A fully connected feedforward network in flat arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct PackedNet {
    sizes: Vec<usize>,
    layers: Vec<LayerShape>,
    weights: Vec<f64>,
    /// Every layer's outputs of the last forward pass, input layer first.
    values: Vec<f64>,
    /// Every non-input neuron's weighted sum of the last forward pass (same offsets as `values`).
    sums: Vec<f64>,
    /// Back-propagated error terms (same offsets as `values`).
    deltas: Vec<f64>,
}

impl PackedNet {
    /// An all-zero network of `spec`'s shape.
    pub fn zeros(spec: &NetSpec) -> Result<PackedNet, NetError> {
        spec.validate()?;
        let activations: Vec<(Activation, f64)> = (1..spec.layers.len())
            .map(|l| (spec.activation(l), spec.steepness))
            .collect();
        Ok(Self::with_shape(&spec.layers, &activations))
    }

    fn with_shape(sizes: &[usize], activations: &[(Activation, f64)]) -> PackedNet {
        let mut layers = Vec::with_capacity(sizes.len() - 1);
        let (mut weight_start, mut value_start) = (0, 0);
        for (l, &(activation, steepness)) in activations.iter().enumerate() {
            let (inputs, outputs) = (sizes[l], sizes[l + 1]);
            layers.push(LayerShape {
                inputs,
                outputs,
                activation,
                steepness,
                weight_start,
                value_start,
            });
            weight_start += (inputs + 1) * outputs;
            value_start += inputs;
        }
        let neurons: usize = sizes.iter().sum();
        PackedNet {
            sizes: sizes.to_vec(),
            layers,
            weights: vec![0.0; weight_count(sizes)],
            values: vec![0.0; neurons],
            sums: vec![0.0; neurons],
            deltas: vec![0.0; neurons],
        }
    }

    /// Packs a ruv-fann network, checking it is one Tempora can evaluate exactly: fully connected
    /// layer to layer, a bias of value 1 feeding every non-input neuron, one offered activation
    /// and steepness per layer, finite weights, within the size limits.
    pub fn from_network(network: &Network<f64>) -> Result<PackedNet, NetError> {
        let layers = &network.layers;
        let sizes: Vec<usize> = layers.iter().map(|l| l.num_regular_neurons()).collect();
        validate_sizes(&sizes)?;
        let last = layers.len() - 1;
        let mut activations = Vec::with_capacity(last);
        for (l, layer) in layers.iter().enumerate() {
            let wiring = |reason: String| NetError::Wiring { layer: l, reason };
            if layer.has_bias() == (l == last) {
                return Err(wiring(if l == last {
                    "the output layer must not have a bias neuron".into()
                } else {
                    "input and hidden layers need a bias neuron".into()
                }));
            }
            if let Some(bias) = layer.bias_neuron() {
                if bias.value != 1.0 {
                    return Err(wiring(format!(
                        "bias neuron value {} (must be 1)",
                        bias.value
                    )));
                }
            }
            if l == 0 {
                continue;
            }
            let first = &layer.neurons[0];
            let f = Activation::from_ruv(first.activation_function).ok_or_else(|| {
                NetError::Activation {
                    layer: l,
                    reason: format!(
                        "{:?} is not computed by ruv-fann 0.2.1 (it runs as the identity); use one of {}",
                        first.activation_function,
                        Activation::NAMES.join(", ")
                    ),
                }
            })?;
            let s = first.activation_steepness;
            if !(s.is_finite() && s > 0.0) {
                return Err(NetError::Steepness(s));
            }
            let sources = layers[l - 1].size();
            for (j, neuron) in layer.neurons.iter().enumerate().take(sizes[l]) {
                if Activation::from_ruv(neuron.activation_function) != Some(f)
                    || neuron.activation_steepness != s
                {
                    return Err(NetError::Activation {
                        layer: l,
                        reason: "all neurons of a layer must share one activation and steepness"
                            .into(),
                    });
                }
                let in_order = neuron.connections.len() == sources
                    && neuron
                        .connections
                        .iter()
                        .enumerate()
                        .all(|(k, c)| c.from_neuron == k);
                if !in_order {
                    return Err(wiring(format!(
                        "neuron {j} must have one connection from each of the {sources} neurons before it, in order"
                    )));
                }
            }
            activations.push((f, s));
        }
        let mut packed = Self::with_shape(&sizes, &activations);
        packed.set_weights(&network.get_weights())?;
        Ok(packed)
    }

    /// A ruv-fann network with this shape, activations and weights.
    pub fn to_network(&self) -> Network<f64> {
        let last = self.layers.len() - 1;
        let mut builder = NetworkBuilder::<f64>::new().input_layer(self.sizes[0]);
        for (l, shape) in self.layers.iter().enumerate() {
            let f = shape.activation.to_ruv();
            builder = if l == last {
                builder.output_layer_with_activation(shape.outputs, f, shape.steepness)
            } else {
                builder.hidden_layer_with_activation(shape.outputs, f, shape.steepness)
            };
        }
        let mut network = builder.build();
        network
            .set_weights(&self.weights)
            .expect("same shape, same weight count");
        network
    }

    /// Neurons per layer, input first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of inputs.
    pub fn inputs(&self) -> usize {
        self.sizes[0]
    }

    /// Number of outputs.
    pub fn outputs(&self) -> usize {
        *self.sizes.last().expect("at least two layers")
    }

    /// The weights in ruv-fann's flat order.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Replaces every weight (ruv-fann's flat order); refuses a wrong count or a non-finite value
    /// and then changes nothing.
    pub fn set_weights(&mut self, weights: &[f64]) -> Result<(), NetError> {
        if weights.len() != self.weights.len() {
            return Err(NetError::Wiring {
                layer: 0,
                reason: format!(
                    "expected {} weights, got {}",
                    self.weights.len(),
                    weights.len()
                ),
            });
        }
        if let Some((index, &value)) = weights.iter().enumerate().find(|(_, w)| !w.is_finite()) {
            return Err(NetError::NonFiniteWeight { index, value });
        }
        self.weights.copy_from_slice(weights);
        Ok(())
    }

    /// The weights, writable: for trainers and guards, which keep them finite.
    pub(super) fn weights_mut(&mut self) -> &mut [f64] {
        &mut self.weights
    }

    /// Layer `l`'s weight matrix (after the input layer): `(rows = outputs, cols = inputs + 1)`,
    /// row-major with the bias weight in the last column, and its range in the flat weights.
    pub fn layer_matrix(&self, l: usize) -> (usize, usize, std::ops::Range<usize>) {
        let s = self.layers[l];
        let len = (s.inputs + 1) * s.outputs;
        (
            s.outputs,
            s.inputs + 1,
            s.weight_start..s.weight_start + len,
        )
    }

    /// Number of weight layers (layers after the input).
    pub fn weight_layers(&self) -> usize {
        self.layers.len()
    }

    /// Activation and steepness of weight layer `l`.
    pub fn layer_activation(&self, l: usize) -> (Activation, f64) {
        (self.layers[l].activation, self.layers[l].steepness)
    }

    /// Evaluates the network. Refuses inputs of the wrong length or that are not finite.
    /// Allocates nothing.
    pub fn forward(&mut self, input: &[f64]) -> Result<&[f64], NetError> {
        check_vector("input", input, self.sizes[0])?;
        Ok(self.forward_unchecked(input))
    }

    /// [`PackedNet::forward`] for inputs the caller has checked (length and finiteness).
    pub fn forward_unchecked(&mut self, input: &[f64]) -> &[f64] {
        self.values[..input.len()].copy_from_slice(input);
        for shape in &self.layers {
            let (prev, rest) = self.values.split_at_mut(shape.value_start + shape.inputs);
            let x = &prev[shape.value_start..];
            let out = &mut rest[..shape.outputs];
            let sums = &mut self.sums[shape.value_start + shape.inputs..][..shape.outputs];
            let w = &self.weights[shape.weight_start..][..(shape.inputs + 1) * shape.outputs];
            for (row, s) in w.chunks_exact(shape.inputs + 1).zip(sums.iter_mut()) {
                let (row, bias) = row.split_at(shape.inputs);
                *s = dot(row, x) + bias[0];
            }
            // A separate pass: one match per layer, and independent exps the CPU can overlap.
            shape.activation.apply_all(sums, out, shape.steepness);
        }
        self.output()
    }

    /// The outputs of the last forward pass.
    pub fn output(&self) -> &[f64] {
        &self.values[self.values.len() - self.outputs()..]
    }

    /// After a forward pass on an input, adds the gradient of `E = 1/2 sum (y - target)^2`
    /// with respect to every weight into `grad` (ruv-fann's flat order) and returns `E`.
    /// Allocates nothing.
    pub fn accumulate_gradient(&mut self, target: &[f64], grad: &mut [f64]) -> f64 {
        debug_assert_eq!(grad.len(), self.weights.len());
        let last = self.layers[self.layers.len() - 1];
        let out_start = last.value_start + last.inputs;
        let mut error = 0.0;
        for (k, &t) in target.iter().enumerate() {
            let i = out_start + k;
            let diff = self.values[i] - t;
            error += 0.5 * diff * diff;
            self.deltas[i] = diff
                * last
                    .activation
                    .derivative(self.sums[i], self.values[i], last.steepness);
        }
        // Hidden deltas, last hidden layer first, from the weights before any update.
        for l in (1..self.layers.len()).rev() {
            let next = self.layers[l];
            let here = self.layers[l - 1];
            let here_start = here.value_start + here.inputs;
            let next_start = next.value_start + next.inputs;
            for j in 0..here.outputs {
                let mut back = 0.0;
                for k in 0..next.outputs {
                    back += self.weights[next.weight_start + k * (next.inputs + 1) + j]
                        * self.deltas[next_start + k];
                }
                let i = here_start + j;
                self.deltas[i] = back
                    * here
                        .activation
                        .derivative(self.sums[i], self.values[i], here.steepness);
            }
        }
        for shape in &self.layers {
            let x = &self.values[shape.value_start..][..shape.inputs];
            let deltas = &self.deltas[shape.value_start + shape.inputs..][..shape.outputs];
            let g = &mut grad[shape.weight_start..][..(shape.inputs + 1) * shape.outputs];
            for (row, &d) in g.chunks_exact_mut(shape.inputs + 1).zip(deltas) {
                let (row, bias) = row.split_at_mut(shape.inputs);
                for (gi, xi) in row.iter_mut().zip(x) {
                    *gi += d * xi;
                }
                bias[0] += d;
            }
        }
        error
    }
}

/// `sum w_i x_i` with four running sums, so the additions do not wait on each other (as C FANN's
/// unrolled loop). The order is fixed, so results are the same on every platform; they differ
/// from a plain left-to-right sum (ruv-fann's) only by rounding.
#[inline]
pub(crate) fn dot(w: &[f64], x: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (w4, w_rest) = w.split_at(w.len() & !3);
    let (x4, x_rest) = x.split_at(w4.len());
    for (w, x) in w4.chunks_exact(4).zip(x4.chunks_exact(4)) {
        acc[0] += w[0] * x[0];
        acc[1] += w[1] * x[1];
        acc[2] += w[2] * x[2];
        acc[3] += w[3] * x[3];
    }
    let mut sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (w, x) in w_rest.iter().zip(x_rest) {
        sum += w * x;
    }
    sum
}

/// Checks a vector's length and that every value is finite.
pub fn check_vector(what: &'static str, values: &[f64], expected: usize) -> Result<(), NetError> {
    if values.len() != expected {
        return Err(if what == "target" {
            NetError::TargetLength {
                expected,
                got: values.len(),
            }
        } else {
            NetError::InputLength {
                expected,
                got: values.len(),
            }
        });
    }
    if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(NetError::NonFiniteValue { what, index, value });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn spec(layers: &[usize], hidden: Activation, output: Activation, s: f64) -> NetSpec {
        NetSpec {
            layers: layers.to_vec(),
            hidden,
            output,
            steepness: s,
        }
    }

    #[test]
    fn packed_forward_equals_ruv_fann_run_for_every_offered_activation() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for hidden in Activation::ALL {
            for output in Activation::ALL {
                for layers in [&[8, 16, 4][..], &[3, 5, 4, 2][..], &[2, 1][..]] {
                    let spec = spec(layers, hidden, output, 0.8);
                    let mut network = spec.build(1.0, &mut rng).unwrap();
                    let mut packed = PackedNet::from_network(&network).unwrap();
                    for _ in 0..20 {
                        let x: Vec<f64> = (0..layers[0])
                            .map(|_| rng.random_range(-2.0..2.0))
                            .collect();
                        let want = network.run(&x).unwrap();
                        let got = packed.forward(&x).unwrap();
                        for (a, b) in want.iter().zip(got) {
                            assert!((a - b).abs() <= 1e-6, "{hidden:?}/{output:?}: {a} vs {b}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn round_trips_through_a_ruv_fann_network() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let spec = spec(
            &[4, 6, 2],
            Activation::SigmoidSymmetric,
            Activation::Linear,
            0.5,
        );
        let packed = PackedNet::from_network(&spec.build(1.0, &mut rng).unwrap()).unwrap();
        let again = PackedNet::from_network(&packed.to_network()).unwrap();
        assert_eq!(packed, again);
    }

    #[test]
    fn bad_inputs_and_weights_are_refused() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let spec = spec(&[2, 3, 1], Activation::Sigmoid, Activation::Sigmoid, 1.0);
        let mut packed = PackedNet::from_network(&spec.build(1.0, &mut rng).unwrap()).unwrap();
        assert_eq!(
            packed.forward(&[1.0]).unwrap_err(),
            NetError::InputLength {
                expected: 2,
                got: 1
            }
        );
        assert!(matches!(
            packed.forward(&[1.0, f64::INFINITY]),
            Err(NetError::NonFiniteValue { index: 1, .. })
        ));
        let before = packed.weights().to_vec();
        let mut bad = before.clone();
        bad[4] = f64::NAN;
        assert!(matches!(
            packed.set_weights(&bad),
            Err(NetError::NonFiniteWeight { index: 4, .. })
        ));
        assert_eq!(
            packed.weights(),
            &before[..],
            "a refused update changes nothing"
        );
    }

    #[test]
    fn networks_tempora_cannot_evaluate_exactly_are_refused() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let good = spec(&[2, 3, 1], Activation::Sigmoid, Activation::Linear, 1.0)
            .build(1.0, &mut rng)
            .unwrap();
        let mut elliot = good.clone();
        elliot.layers[1].neurons[0].activation_function = ruv_fann::ActivationFunction::Elliot;
        assert!(matches!(
            PackedNet::from_network(&elliot),
            Err(NetError::Activation { layer: 1, .. })
        ));
        let mut sparse = good.clone();
        sparse.layers[2].neurons[0].connections.pop();
        assert!(matches!(
            PackedNet::from_network(&sparse),
            Err(NetError::Wiring { layer: 2, .. })
        ));
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        for (hidden, output) in [
            (Activation::Sigmoid, Activation::Linear),
            (Activation::SigmoidSymmetric, Activation::Sigmoid),
            (Activation::Gaussian, Activation::SigmoidSymmetric),
        ] {
            let spec = spec(&[3, 4, 3, 2], hidden, output, 0.9);
            let mut net = PackedNet::from_network(&spec.build(1.0, &mut rng).unwrap()).unwrap();
            let (x, t) = ([0.3, -0.7, 1.1], [0.2, -0.4]);
            let mut grad = vec![0.0; net.weights().len()];
            net.forward(&x).unwrap();
            net.accumulate_gradient(&t, &mut grad);
            let error = |net: &mut PackedNet| {
                let y = net.forward(&x).unwrap();
                y.iter()
                    .zip(&t)
                    .map(|(y, t)| 0.5 * (y - t) * (y - t))
                    .sum::<f64>()
            };
            for i in 0..grad.len() {
                let w = net.weights().to_vec();
                let h = 1e-6;
                let mut plus = w.clone();
                plus[i] += h;
                net.set_weights(&plus).unwrap();
                let e_plus = error(&mut net);
                let mut minus = w.clone();
                minus[i] -= h;
                net.set_weights(&minus).unwrap();
                let e_minus = error(&mut net);
                net.set_weights(&w).unwrap();
                let numeric = (e_plus - e_minus) / (2.0 * h);
                assert!(
                    (numeric - grad[i]).abs() < 1e-7,
                    "{hidden:?} w{i}: {numeric} vs {}",
                    grad[i]
                );
            }
        }
    }
}
