//! What `cuba` and `coba` share: the Vogels & Abbott (2005) network of Brette et al.'s (2007)
//! benchmarks 1 and 2 (3200 excitatory and 800 inhibitory LIF neurons, every pair connected
//! with p, no delay), its parameters named as the Brian scripts name them, and the model's
//! shape; each preset adds its synapses, rest potential, weights and initial values.

use super::{with_unit, ExcitatoryInhibitory};
use crate::params::{model_params, Unit};
use serde_json::{json, Value};
use tempora_protocol::model::NetworkModel;

model_params! {
    /// The network's own parameters, the same in both benchmarks.
    pub struct VogelsAbbott / VogelsAbbottChanges {
        NE: Count = 3200.0, [1.0, 1_000_000.0], "Excitatory neurons (population E).";
        NI: Count = 800.0, [1.0, 1_000_000.0], "Inhibitory neurons (population I).";
        taum: Seconds = 20e-3, [1e-3, 1.0], "Membrane time constant.";
        taue: Seconds = 5e-3, [1e-4, 1.0], "Excitatory synaptic time constant.";
        taui: Seconds = 10e-3, [1e-4, 1.0], "Inhibitory synaptic time constant.";
        Vt: Volts = -50e-3, [-0.1, 0.05], "Threshold.";
        Vr: Volts = -60e-3, [-0.1, 0.05], "Reset.";
        p: Dimensionless = 0.02, [0.0, 1.0], "Connection probability of every pair.";
        refractory: Seconds = 5e-3, [0.0, 0.1], "Refractory period.";
    }
}

/// What a benchmark adds to the shared network.
pub struct Benchmark {
    /// The model's name.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Integration step, s.
    pub dt: f64,
    /// Resting potential, V.
    pub el: f64,
    /// The neurons' `synapse` object (its time constants from [`VogelsAbbott`]).
    pub synapse: Value,
    /// `exact` or `euler`.
    pub integrator: &'static str,
    /// The neurons' `init` object.
    pub init: Value,
    /// Weights from E and from I.
    pub weights: (f64, f64),
    /// The weights' unit (`None`: leak conductances).
    pub weight_unit: Option<Unit>,
}

impl VogelsAbbott {
    /// The model file of `benchmark` on this network.
    pub fn model(&self, benchmark: Benchmark) -> NetworkModel {
        let neuron = json!({
            "tau_m": with_unit(Unit::Seconds, self.taum),
            "v_rest": with_unit(Unit::Volts, benchmark.el),
            "v_thresh": with_unit(Unit::Volts, self.Vt),
            "v_reset": with_unit(Unit::Volts, self.Vr),
            "t_ref": with_unit(Unit::Seconds, self.refractory),
            "synapse": benchmark.synapse,
            "integrator": benchmark.integrator,
            "init": benchmark.init,
        });
        let connect = json!({"rule": "fixed_probability", "p": self.p, "allow_self": true});
        ExcitatoryInhibitory {
            name: benchmark.name,
            description: benchmark.description,
            dt: benchmark.dt,
            sizes: (self.NE, self.NI),
            neuron,
            connect: (connect.clone(), connect),
            weights: benchmark.weights,
            delay: 0.0,
            weight_unit: benchmark.weight_unit,
        }
        .model()
    }

    /// The synaptic time constants as a `synapse` object's fields.
    pub fn time_constants(&self) -> (Value, Value) {
        (
            with_unit(Unit::Seconds, self.taue),
            with_unit(Unit::Seconds, self.taui),
        )
    }
}
