//! The activation functions Tempora offers, with the exact formulas ruv-fann 0.2.1 computes.
//!
//! ruv-fann's `ActivationFunction` has many more variants, but in 0.2.1 every variant not listed
//! here silently computes the identity (`neuron.rs`, the `_ => x` arm), so offering them would
//! mislead. Note ruv-fann's sigmoid is `1 / (1 + e^(-s x))`; C FANN's is `1 / (1 + e^(-2 s x))`,
//! so ruv `Sigmoid` at steepness `s` equals `FANN_SIGMOID` at steepness `s / 2`.
//!
//! All maths goes through `libm` so results are bit-identical natively and in wasm32.

use ruv_fann::ActivationFunction;

/// An activation function that ruv-fann 0.2.1 really computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `s x`.
    Linear,
    /// `1 / (1 + e^(-s x))`, in (0, 1).
    Sigmoid,
    /// `tanh(s x)`, in (-1, 1) (ruv-fann's `SigmoidSymmetric`; its `Tanh` is the same function).
    SigmoidSymmetric,
    /// `e^(-(s x)^2)`, in (0, 1].
    Gaussian,
    /// `max(x, 0)` (steepness ignored, as in ruv-fann).
    Relu,
    /// `x` for `x > 0`, else `0.01 x` (steepness ignored, as in ruv-fann).
    ReluLeaky,
}

/// The leak slope ruv-fann hard-codes for `ReLULeaky`.
const LEAK: f64 = 0.01;

impl Activation {
    /// Every offered activation, in the order of the `activation` parameter's choices.
    pub const ALL: [Activation; 6] = [
        Activation::Linear,
        Activation::Sigmoid,
        Activation::SigmoidSymmetric,
        Activation::Gaussian,
        Activation::Relu,
        Activation::ReluLeaky,
    ];

    /// Names for parameter choices, in the order of [`Activation::ALL`].
    pub const NAMES: &'static [&'static str] = &[
        "linear",
        "sigmoid",
        "sigmoid_symmetric",
        "gaussian",
        "relu",
        "relu_leaky",
    ];

    /// The activation at position `index` of [`Activation::ALL`].
    pub fn from_index(index: usize) -> Option<Activation> {
        Self::ALL.get(index).copied()
    }

    /// The name used in parameter choices and reports.
    pub fn name(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|a| *a == self).expect("listed")]
    }

    /// The ruv-fann function it computes.
    pub fn to_ruv(self) -> ActivationFunction {
        match self {
            Activation::Linear => ActivationFunction::Linear,
            Activation::Sigmoid => ActivationFunction::Sigmoid,
            Activation::SigmoidSymmetric => ActivationFunction::SigmoidSymmetric,
            Activation::Gaussian => ActivationFunction::Gaussian,
            Activation::Relu => ActivationFunction::ReLU,
            Activation::ReluLeaky => ActivationFunction::ReLULeaky,
        }
    }

    /// The offered activation a ruv-fann function corresponds to, if it is one that computes
    /// what its name says (`Tanh` is `SigmoidSymmetric`'s formula).
    pub fn from_ruv(f: ActivationFunction) -> Option<Activation> {
        Some(match f {
            ActivationFunction::Linear => Activation::Linear,
            ActivationFunction::Sigmoid => Activation::Sigmoid,
            ActivationFunction::SigmoidSymmetric | ActivationFunction::Tanh => {
                Activation::SigmoidSymmetric
            }
            ActivationFunction::Gaussian => Activation::Gaussian,
            ActivationFunction::ReLU => Activation::Relu,
            ActivationFunction::ReLULeaky => Activation::ReluLeaky,
            _ => return None,
        })
    }

    /// The function at `x` with steepness `s`.
    #[inline]
    pub fn apply(self, x: f64, s: f64) -> f64 {
        match self {
            Activation::Linear => x * s,
            Activation::Sigmoid => 1.0 / (1.0 + libm::exp(-s * x)),
            Activation::SigmoidSymmetric => libm::tanh(s * x),
            Activation::Gaussian => {
                let z = x * s;
                libm::exp(-z * z)
            }
            Activation::Relu => {
                if x > 0.0 {
                    x
                } else {
                    0.0
                }
            }
            Activation::ReluLeaky => leaky_relu(x),
        }
    }

    /// `ys[i] = apply(xs[i], s)`, with the match outside the loop.
    #[inline]
    pub fn apply_all(self, xs: &[f64], ys: &mut [f64], s: f64) {
        macro_rules! each {
            ($f:expr) => {
                for (y, &x) in ys.iter_mut().zip(xs) {
                    *y = $f.apply(x, s);
                }
            };
        }
        match self {
            Activation::Linear => each!(Activation::Linear),
            Activation::Sigmoid => each!(Activation::Sigmoid),
            Activation::SigmoidSymmetric => each!(Activation::SigmoidSymmetric),
            Activation::Gaussian => each!(Activation::Gaussian),
            Activation::Relu => each!(Activation::Relu),
            Activation::ReluLeaky => each!(Activation::ReluLeaky),
        }
    }

    /// The derivative at the weighted sum `x`, given the output `y = apply(x, s)`.
    #[inline]
    pub fn derivative(self, x: f64, y: f64, s: f64) -> f64 {
        match self {
            Activation::Linear => s,
            Activation::Sigmoid => s * y * (1.0 - y),
            Activation::SigmoidSymmetric => s * (1.0 - y * y),
            Activation::Gaussian => -2.0 * s * s * x * y,
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::ReluLeaky => {
                if x > 0.0 {
                    1.0
                } else {
                    LEAK
                }
            }
        }
    }

    /// The largest slope of the function (its Lipschitz constant) at steepness `s`.
    pub fn lipschitz(self, s: f64) -> f64 {
        let s = s.abs();
        match self {
            Activation::Linear | Activation::SigmoidSymmetric => s,
            Activation::Sigmoid => s / 4.0,
            // max |d/dx e^(-(s x)^2)| = s * sqrt(2) * e^(-1/2), at s x = 1/sqrt(2).
            Activation::Gaussian => s * core::f64::consts::SQRT_2 * libm::exp(-0.5),
            Activation::Relu | Activation::ReluLeaky => 1.0,
        }
    }
}

/// `x` for `x > 0`, else `LEAK x`. Natively the compiler makes the branch a conditional move;
/// a wasm engine keeps it, and a varying input mispredicts it (the swarm's members ran 1.6x
/// slower in the browser, `swarm_throughput_in_a_worker`), so wasm picks the factor by the sign
/// bit: the same value for every `x` (tested), while natively the branch is 6 % faster.
#[inline]
fn leaky_relu(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return leaky_relu_by_sign_bit(x);
    #[cfg(not(target_arch = "wasm32"))]
    if x > 0.0 {
        x
    } else {
        LEAK * x
    }
}

#[inline]
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
fn leaky_relu_by_sign_bit(x: f64) -> f64 {
    x * [1.0, LEAK][(x.to_bits() >> 63) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leaky_relu_by_sign_bit_is_the_branch_for_every_input() {
        let branch = |x: f64| if x > 0.0 { x } else { LEAK * x };
        let special = [
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0,
            -1.0,
        ];
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(7);
        let random = (0..10_000).map(|_| f64::from_bits(rand::Rng::random(&mut rng)));
        for x in special.into_iter().chain(random) {
            let want = branch(x);
            let same = |y: f64| y.to_bits() == want.to_bits() || (y.is_nan() && want.is_nan());
            let (y, applied) = (
                leaky_relu_by_sign_bit(x),
                Activation::ReluLeaky.apply(x, 1.0),
            );
            assert!(
                same(y) && same(applied),
                "{x:e}: {y:e} and {applied:e} vs {want:e}"
            );
        }
    }

    #[test]
    fn names_and_ruv_functions_round_trip() {
        for (i, a) in Activation::ALL.iter().enumerate() {
            assert_eq!(Activation::from_index(i), Some(*a));
            assert_eq!(Activation::from_ruv(a.to_ruv()), Some(*a));
            assert_eq!(a.name(), Activation::NAMES[i]);
        }
        assert_eq!(Activation::from_ruv(ActivationFunction::Elliot), None);
        assert_eq!(Activation::from_index(6), None);
    }

    #[test]
    fn derivatives_match_finite_differences_and_stay_under_the_lipschitz_constant() {
        let s = 0.7;
        for a in Activation::ALL {
            let mut max_slope: f64 = 0.0;
            for i in -400..=400 {
                let x = i as f64 * 0.01 + 0.005; // avoid the ReLU kink at 0
                let h = 1e-6;
                let numeric = (a.apply(x + h, s) - a.apply(x - h, s)) / (2.0 * h);
                let analytic = a.derivative(x, a.apply(x, s), s);
                assert!((numeric - analytic).abs() < 1e-6, "{a:?} at {x}");
                max_slope = max_slope.max(analytic.abs());
            }
            assert!(max_slope <= a.lipschitz(s) + 1e-12, "{a:?}");
            assert!(max_slope >= 0.99 * a.lipschitz(s), "{a:?}: bound is tight");
        }
    }
}
