//! C FANN 2.2 (Debian's `libfann-dev`, double precision) behind a small safe wrapper, as the
//! reference the packed forward pass is benchmarked and cross-checked against. Feature `c-fann`
//! (links `-ldoublefann`); not part of the product.
//!
//! Activations map to ruv-fann's formulas: C FANN multiplies the sum by the steepness and its
//! sigmoids use `e^(-2 x)`, so ruv `Sigmoid` at `s` is `FANN_SIGMOID` at `s / 2`, while ruv
//! `SigmoidSymmetric` (`tanh(s x)`) is `FANN_SIGMOID_SYMMETRIC` (`2 / (1 + e^(-2 s x)) - 1`, the
//! same function) at `s`. C FANN 2.2 has no ReLU. Connections come in C FANN's order, which is ruv-fann's: per destination neuron, the
//! previous layer's neurons and its bias last.

use super::activation::Activation;
use std::os::raw::c_uint;

#[repr(C)]
struct Fann {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Connection {
    from_neuron: c_uint,
    to_neuron: c_uint,
    weight: f64,
}

const FANN_LINEAR: c_uint = 0;
const FANN_SIGMOID: c_uint = 3;
const FANN_SIGMOID_SYMMETRIC: c_uint = 5;
const FANN_GAUSSIAN: c_uint = 7;

#[link(name = "doublefann")]
extern "C" {
    fn fann_create_standard_array(num_layers: c_uint, layers: *const c_uint) -> *mut Fann;
    fn fann_destroy(ann: *mut Fann);
    fn fann_set_activation_function_hidden(ann: *mut Fann, function: c_uint);
    fn fann_set_activation_function_output(ann: *mut Fann, function: c_uint);
    fn fann_set_activation_steepness_hidden(ann: *mut Fann, steepness: f64);
    fn fann_set_activation_steepness_output(ann: *mut Fann, steepness: f64);
    fn fann_get_total_connections(ann: *mut Fann) -> c_uint;
    fn fann_get_connection_array(ann: *mut Fann, connections: *mut Connection);
    fn fann_set_weight_array(ann: *mut Fann, connections: *mut Connection, count: c_uint);
    fn fann_run(ann: *mut Fann, input: *const f64) -> *mut f64;
}

/// A C FANN network.
pub struct CFann {
    ann: *mut Fann,
    inputs: usize,
    outputs: usize,
}

/// C FANN's function and steepness for a ruv-fann activation at steepness `s`, if it has one.
fn c_activation(f: Activation, s: f64) -> Option<(c_uint, f64)> {
    match f {
        Activation::Linear => Some((FANN_LINEAR, s)),
        Activation::Sigmoid => Some((FANN_SIGMOID, s / 2.0)),
        Activation::SigmoidSymmetric => Some((FANN_SIGMOID_SYMMETRIC, s)),
        Activation::Gaussian => Some((FANN_GAUSSIAN, s)),
        Activation::Relu | Activation::ReluLeaky => None,
    }
}

impl CFann {
    /// A fully connected net of `layers` computing what ruv-fann computes with these
    /// activations, or `None` if C FANN 2.2 has no such activation.
    pub fn new(layers: &[usize], hidden: Activation, output: Activation, s: f64) -> Option<CFann> {
        let (hf, hs) = c_activation(hidden, s)?;
        let (of, os) = c_activation(output, s)?;
        let sizes: Vec<c_uint> = layers.iter().map(|&n| n as c_uint).collect();
        // SAFETY: `sizes` outlives the call; C FANN copies it. A null return is checked.
        let ann = unsafe { fann_create_standard_array(sizes.len() as c_uint, sizes.as_ptr()) };
        if ann.is_null() {
            return None;
        }
        // SAFETY: `ann` is a live network created above.
        unsafe {
            fann_set_activation_function_hidden(ann, hf);
            fann_set_activation_function_output(ann, of);
            fann_set_activation_steepness_hidden(ann, hs);
            fann_set_activation_steepness_output(ann, os);
        }
        Some(CFann {
            ann,
            inputs: layers[0],
            outputs: *layers.last()?,
        })
    }

    /// Sets every weight, in ruv-fann's flat order. Panics on a wrong count.
    pub fn set_weights(&mut self, weights: &[f64]) {
        // SAFETY: `ann` is live; the array has exactly `total` elements, as C FANN requires.
        unsafe {
            let total = fann_get_total_connections(self.ann) as usize;
            assert_eq!(total, weights.len(), "C FANN has {total} connections");
            let mut connections = vec![
                Connection {
                    from_neuron: 0,
                    to_neuron: 0,
                    weight: 0.0,
                };
                total
            ];
            fann_get_connection_array(self.ann, connections.as_mut_ptr());
            for (c, w) in connections.iter_mut().zip(weights) {
                c.weight = *w;
            }
            fann_set_weight_array(self.ann, connections.as_mut_ptr(), total as c_uint);
        }
    }

    /// Evaluates the network. Panics on a wrong input length.
    pub fn run(&mut self, input: &[f64]) -> &[f64] {
        assert_eq!(input.len(), self.inputs);
        // SAFETY: `ann` is live and `input` has the network's input count; the output array
        // belongs to `ann` and stays valid until the next run, which needs `&mut self`.
        unsafe { std::slice::from_raw_parts(fann_run(self.ann, input.as_ptr()), self.outputs) }
    }
}

impl Drop for CFann {
    fn drop(&mut self) {
        // SAFETY: `ann` was created by C FANN and is destroyed once.
        unsafe { fann_destroy(self.ann) }
    }
}
