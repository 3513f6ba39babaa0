//! Lipschitz guards: keep each layer's weight matrix within a bound after every weight update,
//! and estimate the step map's Lipschitz constant online.
//!
//! A layer computes `f(W x + b)`; its Lipschitz constant (Euclidean norms) is at most
//! `||W||_2 * L_f`, where `||W||_2` is the largest singular value of `W` without the bias column
//! and `L_f` the activation's largest slope. The network's is at most the product over layers.
//! - Clipping bounds every weight's magnitude (a cheap, loose bound: `||W||_2 <= c sqrt(m n)`).
//! - Spectral normalisation rescales `W` to `||W||_2 <= target` when it is above, with
//!   `||W||_2` from power iteration warm-started from the last call's singular vector, so after a
//!   small update it converges in a few iterations.

use super::packed::PackedNet;

/// Which guard a network has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GuardKind {
    /// No projection.
    None,
    /// Every weight (biases included) clipped to `[-max, max]`.
    Clip {
        /// The bound, > 0.
        max: f64,
    },
    /// Each layer's spectral norm (bias column excluded) scaled down to at most `target`.
    Spectral {
        /// The bound, > 0.
        target: f64,
    },
}

impl GuardKind {
    /// Names for parameter choices, in the order of [`GuardKind::from_choice`].
    pub const NAMES: &'static [&'static str] = &["none", "clip", "spectral"];

    /// The guard for choice `index` with bound `bound`.
    pub fn from_choice(index: usize, bound: f64) -> Option<GuardKind> {
        match index {
            0 => Some(GuardKind::None),
            1 => Some(GuardKind::Clip { max: bound }),
            2 => Some(GuardKind::Spectral { target: bound }),
            _ => None,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            GuardKind::None => "none",
            GuardKind::Clip { .. } => "clip",
            GuardKind::Spectral { .. } => "spectral",
        }
    }
}

/// Power iteration stops when the estimate changes by less than this fraction...
const POWER_TOLERANCE: f64 = 1e-12;
/// ...or after this many iterations.
const POWER_MAX_ITERATIONS: usize = 500;

/// A guard and its warm-start state.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    kind: GuardKind,
    /// Per weight layer, the last right singular vector estimate (length = the layer's inputs).
    vectors: Vec<Vec<f64>>,
    /// Power iterations spent, in total (for the reports).
    iterations: u64,
}

impl Guard {
    /// A guard for `net`'s shape.
    pub fn new(kind: GuardKind, net: &PackedNet) -> Guard {
        let vectors = (0..net.weight_layers())
            .map(|l| {
                let (_, cols, _) = net.layer_matrix(l);
                // A fixed, non-degenerate start (all-equal would miss sign-alternating vectors).
                (0..cols - 1).map(|i| 1.0 + 0.1 * (i % 7) as f64).collect()
            })
            .collect();
        Guard {
            kind,
            vectors,
            iterations: 0,
        }
    }

    /// The guard's kind.
    pub fn kind(&self) -> GuardKind {
        self.kind
    }

    /// Power iterations spent so far.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// Projects `net`'s weights onto the guard's set. Runs after every weight update.
    pub fn project(&mut self, net: &mut PackedNet) {
        match self.kind {
            GuardKind::None => {}
            GuardKind::Clip { max } => {
                for w in net.weights_mut() {
                    *w = w.clamp(-max, max);
                }
            }
            GuardKind::Spectral { target } => {
                for l in 0..net.weight_layers() {
                    let sigma = self.layer_norm(net, l);
                    if sigma > target {
                        let (rows, cols, range) = net.layer_matrix(l);
                        let scale = target / sigma;
                        let w = &mut net.weights_mut()[range];
                        for r in 0..rows {
                            for c in 0..cols - 1 {
                                w[r * cols + c] *= scale;
                            }
                        }
                    }
                }
            }
        }
    }

    /// The spectral norm of weight layer `l` (bias column excluded), by warm-started power
    /// iteration.
    pub fn layer_norm(&mut self, net: &PackedNet, l: usize) -> f64 {
        let (rows, cols, range) = net.layer_matrix(l);
        let (norm, spent) = spectral_norm(&net.weights()[range], rows, cols, &mut self.vectors[l]);
        self.iterations += spent as u64;
        norm
    }

    /// An upper bound of the network's Lipschitz constant: the product over layers of the
    /// layer's spectral norm and its activation's largest slope.
    pub fn network_bound(&mut self, net: &PackedNet) -> (f64, Vec<f64>) {
        let norms: Vec<f64> = (0..net.weight_layers())
            .map(|l| self.layer_norm(net, l))
            .collect();
        let bound = norms
            .iter()
            .enumerate()
            .map(|(l, n)| {
                let (f, s) = net.layer_activation(l);
                n * f.lipschitz(s)
            })
            .product();
        (bound, norms)
    }
}

/// The largest singular value of the `rows x (cols - 1)` matrix in `w` (row-major, `cols`
/// wide, last column skipped), by power iteration from `v` (updated to the new estimate of
/// the right singular vector). Returns the norm and the iterations used.
pub fn spectral_norm(w: &[f64], rows: usize, cols: usize, v: &mut [f64]) -> (f64, usize) {
    let n = cols - 1;
    debug_assert_eq!(v.len(), n);
    let mut u = vec![0.0; rows];
    let mut sigma = 0.0;
    normalise(v);
    for iteration in 1..=POWER_MAX_ITERATIONS {
        // u = W v
        for (r, ur) in u.iter_mut().enumerate() {
            *ur = (0..n).map(|c| w[r * cols + c] * v[c]).sum();
        }
        let next = norm(&u);
        if next == 0.0 {
            return (0.0, iteration);
        }
        // v = W^T u / |W^T u|
        for (c, vc) in v.iter_mut().enumerate() {
            *vc = (0..rows).map(|r| w[r * cols + c] * u[r]).sum();
        }
        normalise(v);
        let converged = (next - sigma).abs() <= POWER_TOLERANCE * next;
        sigma = next;
        if converged {
            return (sigma, iteration);
        }
    }
    (sigma, POWER_MAX_ITERATIONS)
}

fn norm(x: &[f64]) -> f64 {
    libm::sqrt(x.iter().map(|a| a * a).sum())
}

fn normalise(x: &mut [f64]) {
    let n = norm(x);
    if n > 0.0 {
        x.iter_mut().for_each(|a| *a /= n);
    } else {
        x.iter_mut().for_each(|a| *a = 1.0);
        let n = norm(x);
        x.iter_mut().for_each(|a| *a /= n);
    }
}

/// An online estimate of the step map's Lipschitz constant: the ratio of output to input
/// distance between consecutive evaluations, `|f(x_t) - f(x_{t-1})| / |x_t - x_{t-1}|`, averaged
/// exponentially (weight `alpha` on the newest ratio); also the largest ratio seen.
#[derive(Debug, Clone, PartialEq)]
pub struct LipschitzEstimate {
    alpha: f64,
    estimate: Option<f64>,
    max_ratio: f64,
    prev_input: Vec<f64>,
    prev_output: Vec<f64>,
    has_prev: bool,
}

/// Input distances below this are skipped (the ratio would be noise).
const MIN_INPUT_DISTANCE: f64 = 1e-12;

impl LipschitzEstimate {
    /// An estimator for `n_in` inputs and `n_out` outputs.
    pub fn new(alpha: f64, n_in: usize, n_out: usize) -> Self {
        LipschitzEstimate {
            alpha,
            estimate: None,
            max_ratio: 0.0,
            prev_input: vec![0.0; n_in],
            prev_output: vec![0.0; n_out],
            has_prev: false,
        }
    }

    /// Takes the evaluation `input -> output` and returns this step's ratio, if defined.
    pub fn update(&mut self, input: &[f64], output: &[f64]) -> Option<f64> {
        let mut ratio = None;
        if self.has_prev {
            let dx = distance(input, &self.prev_input);
            if dx > MIN_INPUT_DISTANCE {
                let r = distance(output, &self.prev_output) / dx;
                self.estimate = Some(match self.estimate {
                    Some(e) => self.alpha * r + (1.0 - self.alpha) * e,
                    None => r,
                });
                self.max_ratio = self.max_ratio.max(r);
                ratio = Some(r);
            }
        }
        self.prev_input.copy_from_slice(input);
        self.prev_output.copy_from_slice(output);
        self.has_prev = true;
        ratio
    }

    /// The current exponentially weighted estimate.
    pub fn estimate(&self) -> Option<f64> {
        self.estimate
    }

    /// Forgets the previous evaluation (after a reset or rollback of the state).
    pub fn forget_previous(&mut self) {
        self.has_prev = false;
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    libm::sqrt(a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum())
}

#[cfg(test)]
mod tests {
    use super::super::activation::Activation;
    use super::super::spec::NetSpec;
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn net(layers: &[usize], seed: u64, scale: f64) -> PackedNet {
        let spec = NetSpec {
            layers: layers.to_vec(),
            hidden: Activation::SigmoidSymmetric,
            output: Activation::Linear,
            steepness: 1.0,
        };
        PackedNet::from_network(
            &spec
                .build(scale, &mut ChaCha8Rng::seed_from_u64(seed))
                .unwrap(),
        )
        .unwrap()
    }

    /// The largest singular value by nalgebra's SVD: independent of the power iteration.
    fn svd_norm(net: &PackedNet, l: usize) -> f64 {
        let (rows, cols, range) = net.layer_matrix(l);
        let w = &net.weights()[range];
        let m = nalgebra::DMatrix::from_fn(rows, cols - 1, |r, c| w[r * cols + c]);
        m.singular_values().max()
    }

    #[test]
    fn power_iteration_agrees_with_an_svd() {
        for seed in 0..10 {
            let n = net(&[8, 16, 4], seed, 2.0);
            let mut guard = Guard::new(GuardKind::None, &n);
            for l in 0..2 {
                let ours = guard.layer_norm(&n, l);
                let svd = svd_norm(&n, l);
                assert!((ours - svd).abs() <= 1e-6 * svd, "{ours} vs {svd}");
            }
        }
    }

    #[test]
    fn spectral_projection_bounds_every_layer_checked_by_svd() {
        for seed in 0..10 {
            let mut n = net(&[8, 16, 16, 4], seed, 3.0);
            let mut guard = Guard::new(GuardKind::Spectral { target: 0.9 }, &n);
            assert!(svd_norm(&n, 0) > 0.9, "the test starts above the bound");
            let biases_before: Vec<f64> = {
                let (_, cols, range) = n.layer_matrix(0);
                n.weights()[range]
                    .iter()
                    .skip(cols - 1)
                    .step_by(cols)
                    .copied()
                    .collect()
            };
            guard.project(&mut n);
            for l in 0..3 {
                assert!(
                    svd_norm(&n, l) <= 0.9 * (1.0 + 1e-9),
                    "layer {l}: {}",
                    svd_norm(&n, l)
                );
            }
            let (_, cols, range) = n.layer_matrix(0);
            let biases_after: Vec<f64> = n.weights()[range]
                .iter()
                .skip(cols - 1)
                .step_by(cols)
                .copied()
                .collect();
            assert_eq!(
                biases_before, biases_after,
                "biases are not part of the norm"
            );
        }
    }

    #[test]
    fn warm_start_converges_in_fewer_iterations() {
        let n = net(&[16, 16, 1], 3, 1.0);
        let mut guard = Guard::new(GuardKind::None, &n);
        guard.layer_norm(&n, 0);
        let cold = guard.iterations();
        guard.layer_norm(&n, 0);
        let warm = guard.iterations() - cold;
        assert!(warm < cold / 2, "warm {warm} vs cold {cold}");
    }

    #[test]
    fn clipping_bounds_every_weight() {
        let mut n = net(&[4, 8, 2], 1, 5.0);
        let mut guard = Guard::new(GuardKind::Clip { max: 0.5 }, &n);
        guard.project(&mut n);
        assert!(n.weights().iter().all(|w| w.abs() <= 0.5));
        assert!(n.weights().iter().any(|w| w.abs() == 0.5));
    }

    #[test]
    fn the_online_estimate_stays_under_the_bound_and_finds_a_linear_map() {
        let mut n = net(&[3, 6, 2], 7, 1.5);
        let mut guard = Guard::new(GuardKind::None, &n);
        let (bound, _) = guard.network_bound(&n);
        let mut est = LipschitzEstimate::new(0.1, 3, 2);
        for i in 0..500 {
            let t = i as f64 * 0.01;
            let x = [libm::sin(t), libm::cos(3.0 * t), 0.5];
            let y = n.forward(&x).unwrap().to_vec();
            if let Some(r) = est.update(&x, &y) {
                assert!(r <= bound * (1.0 + 1e-9), "{r} > {bound}");
            }
        }
        assert!(est.estimate().unwrap() > 0.0);
        // A linear map y = 2 x has constant 2 everywhere.
        let mut lin = LipschitzEstimate::new(0.5, 1, 1);
        for i in 0..10 {
            let x = [i as f64 * 0.3];
            lin.update(&x, &[2.0 * x[0]]);
        }
        assert!((lin.estimate().unwrap() - 2.0).abs() < 1e-12);
    }
}
