//! What a network is made of (layer sizes, activations), the limits Tempora enforces, seeded
//! initial weights, and the errors of building, importing and running one.

use super::activation::Activation;
use rand::Rng;
use ruv_fann::{Network, NetworkBuilder};
use thiserror::Error;

/// The most layers (input and output included). Deeper nets are not what Tempora is for.
pub const MAX_LAYERS: usize = 8;
/// The most neurons in one layer (bias not counted).
pub const MAX_LAYER_SIZE: usize = 1024;
/// The most weights in one network (biases included): 1 Mi weights, 8 MiB of f64.
pub const MAX_WEIGHTS: usize = 1 << 20;

/// Errors of building, importing, running or training a network. Each says what to change.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NetError {
    /// Fewer than two layers.
    #[error("a network needs at least an input and an output layer (got {0} layers)")]
    TooFewLayers(usize),
    /// More than [`MAX_LAYERS`] layers.
    #[error("a network may have at most {MAX_LAYERS} layers (got {0})")]
    TooManyLayers(usize),
    /// A layer of zero neurons.
    #[error("layer {layer} has no neurons; every layer needs at least one")]
    EmptyLayer {
        /// The layer's index (0 = input).
        layer: usize,
    },
    /// A layer wider than [`MAX_LAYER_SIZE`].
    #[error("layer {layer} has {size} neurons; the limit is {MAX_LAYER_SIZE}")]
    LayerTooWide {
        /// The layer's index.
        layer: usize,
        /// Its size.
        size: usize,
    },
    /// More than [`MAX_WEIGHTS`] weights.
    #[error("the network would have {0} weights; the limit is {MAX_WEIGHTS}")]
    TooManyWeights(usize),
    /// A steepness that is not finite and positive.
    #[error("activation steepness must be finite and > 0 (got {0})")]
    Steepness(f64),
    /// A layer whose neurons use an activation ruv-fann 0.2.1 does not compute (or several).
    #[error("layer {layer}: {reason}")]
    Activation {
        /// The layer's index.
        layer: usize,
        /// What is wrong.
        reason: String,
    },
    /// Connections that are not the full layer-to-layer wiring Tempora evaluates.
    #[error("layer {layer}: {reason}")]
    Wiring {
        /// The layer's index.
        layer: usize,
        /// What is wrong.
        reason: String,
    },
    /// A weight that is NaN or infinite.
    #[error("weight {index} is not finite ({value})")]
    NonFiniteWeight {
        /// Its index in ruv-fann's flat weight order.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An input vector of the wrong length.
    #[error("the network takes {expected} inputs, got {got}")]
    InputLength {
        /// The input layer's size.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// A target vector of the wrong length.
    #[error("the network has {expected} outputs, the target has {got}")]
    TargetLength {
        /// The output layer's size.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// An input or target that is NaN or infinite.
    #[error("{what} {index} is not finite ({value})")]
    NonFiniteValue {
        /// "input" or "target".
        what: &'static str,
        /// Its index.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A learning rate (or step size) that is not finite and > 0.
    #[error("the learning rate must be finite and > 0 (got {0})")]
    LearningRate(f64),
    /// A training set without examples, or inputs and targets of different counts.
    #[error("training data: {0}")]
    TrainingData(String),
    /// A network file larger than [`super::file::MAX_NETWORK_FILE_BYTES`].
    #[error("the network file is {bytes} bytes; the limit is {max} bytes")]
    FileTooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A file that is not a ruv-fann network.
    #[error("not a ruv-fann network file: {0}")]
    NotANetwork(String),
}

/// The shape of a fully connected feedforward network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetSpec {
    /// Neurons per layer, input first (biases not counted).
    pub layers: Vec<usize>,
    /// Activation of the hidden layers.
    pub hidden: Activation,
    /// Activation of the output layer.
    pub output: Activation,
    /// Steepness of every activation.
    pub steepness: f64,
}

impl NetSpec {
    /// Checks the shape against Tempora's limits.
    pub fn validate(&self) -> Result<(), NetError> {
        validate_sizes(&self.layers)?;
        if !(self.steepness.is_finite() && self.steepness > 0.0) {
            return Err(NetError::Steepness(self.steepness));
        }
        Ok(())
    }

    /// The activation of layer `layer` (>= 1).
    pub fn activation(&self, layer: usize) -> Activation {
        if layer + 1 == self.layers.len() {
            self.output
        } else {
            self.hidden
        }
    }

    /// Builds the ruv-fann network with weights drawn uniformly from `[-scale, scale]` by `rng`
    /// (ruv-fann's own initialisation uses an unseeded thread RNG, so it is overwritten).
    pub fn build(&self, scale: f64, rng: &mut impl Rng) -> Result<Network<f64>, NetError> {
        self.validate()?;
        let last = self.layers.len() - 1;
        let mut builder = NetworkBuilder::<f64>::new().input_layer(self.layers[0]);
        for (i, &size) in self.layers.iter().enumerate().skip(1) {
            let f = self.activation(i).to_ruv();
            builder = if i == last {
                builder.output_layer_with_activation(size, f, self.steepness)
            } else {
                builder.hidden_layer_with_activation(size, f, self.steepness)
            };
        }
        let mut network = builder.build();
        let weights: Vec<f64> = (0..weight_count(&self.layers))
            .map(|_| {
                if scale > 0.0 {
                    rng.random_range(-scale..=scale)
                } else {
                    0.0
                }
            })
            .collect();
        network
            .set_weights(&weights)
            .expect("the builder made the wiring weight_count counts");
        Ok(network)
    }
}

/// Weights of a fully connected net with a bias into every non-input neuron.
pub fn weight_count(layers: &[usize]) -> usize {
    layers.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
}

/// Checks layer sizes against the limits (before anything is allocated).
pub fn validate_sizes(layers: &[usize]) -> Result<(), NetError> {
    if layers.len() < 2 {
        return Err(NetError::TooFewLayers(layers.len()));
    }
    if layers.len() > MAX_LAYERS {
        return Err(NetError::TooManyLayers(layers.len()));
    }
    for (layer, &size) in layers.iter().enumerate() {
        if size == 0 {
            return Err(NetError::EmptyLayer { layer });
        }
        if size > MAX_LAYER_SIZE {
            return Err(NetError::LayerTooWide { layer, size });
        }
    }
    let count = weight_count(layers);
    if count > MAX_WEIGHTS {
        return Err(NetError::TooManyWeights(count));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn spec(layers: &[usize]) -> NetSpec {
        NetSpec {
            layers: layers.to_vec(),
            hidden: Activation::Sigmoid,
            output: Activation::Linear,
            steepness: 1.0,
        }
    }

    #[test]
    fn shapes_outside_the_limits_are_refused_before_building() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut err = |layers: &[usize]| spec(layers).build(0.1, &mut rng).unwrap_err();
        assert_eq!(err(&[3]), NetError::TooFewLayers(1));
        assert_eq!(err(&[2, 0, 1]), NetError::EmptyLayer { layer: 1 });
        assert_eq!(
            err(&[2, 5000, 1]),
            NetError::LayerTooWide {
                layer: 1,
                size: 5000
            }
        );
        assert_eq!(
            err(&[1000, 1000, 1000]),
            NetError::TooManyWeights(2_002_000)
        );
        assert_eq!(err(&[1; 9]), NetError::TooManyLayers(9));
        let mut bad = spec(&[2, 1]);
        bad.steepness = f64::NAN;
        assert!(matches!(
            bad.build(0.1, &mut rng),
            Err(NetError::Steepness(_))
        ));
    }

    #[test]
    fn seeded_weights_are_reproducible_and_in_range() {
        let build = |seed| {
            spec(&[8, 16, 4])
                .build(0.5, &mut ChaCha8Rng::seed_from_u64(seed))
                .unwrap()
                .get_weights()
        };
        let w = build(7);
        assert_eq!(w.len(), weight_count(&[8, 16, 4]));
        assert_eq!(w.len(), 9 * 16 + 17 * 4);
        assert_eq!(w, build(7));
        assert_ne!(w, build(8));
        assert!(w.iter().all(|x| x.abs() <= 0.5));
    }
}
