//! `brunel`: Brunel's (2000) sparse network of excitatory and inhibitory LIF neurons with
//! delta synapses, as Brian2's `examples/frompapers/Brunel_2000.py`: N_E = 10 000 and
//! N_I = 2500 neurons, `dv/dt = -v / tau` (exact) with threshold theta = 20 mV, reset
//! V_r = 10 mV, refractory 2 ms; every spike moves its targets by J = 0.1 mV (excitatory) or
//! -g J (inhibitory) after D = 1.5 ms; each neuron also takes C_ext = C_E = 1000 external
//! Poisson inputs at nu_ext = eta nu_thr, nu_thr = theta / (J C_E tau) = 10 Hz, drawn as one
//! binomial count per neuron and step (Brian2's `PoissonInput`).
//!
//! Connectivity: Brian2's example connects every pair with p = epsilon = 0.1 (in-degrees vary
//! around 1000 and 250); the paper, and NEST's `brunel_delta_nest.py`, fix the in-degree at
//! C_E = epsilon N_E and C_I = epsilon N_I. `connectivity` chooses; the default is Brian2's.
//! The four regimes of the paper's figure 8 (and of Brian2's example), by (g, eta):
//! A (3, 2) synchronous regular, B (6, 4) asynchronous irregular, C (5, 2) synchronous
//! irregular fast, D (4.5, 0.9) synchronous irregular slow. The default is C, as NEST's example.

use super::{network_run, with_unit, ExcitatoryInhibitory, LiveWeight};
use crate::params::Unit;
use crate::params::{model_params, ParamError, ParamSpec, ParamValues};
use crate::preset::{BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S};
use crate::simulation::Simulation;
use tempora_protocol::model::NetworkModel;

pub(in crate::preset) const PRESET: Preset = Preset {
    name: "brunel",
    description: "Brunel (2000): 12 500 LIF neurons with delta synapses and 1.5 ms delays, driven by Poisson input; its regimes (synchronous regular, asynchronous irregular, synchronous irregular fast and slow) by g and eta.",
    params: PARAMS,
    live: &["g"],
    build,
    model: Some(model_of),
    as_model: None,
};

model_params! {
    /// The preset's parameters, named as in Brian2's `Brunel_2000.py` and the paper.
    pub struct BrunelParams / BrunelChanges {
        N_E: Count = 10_000.0, [1.0, 1_000_000.0], "Excitatory neurons (population E).";
        N_I: Count = 2500.0, [1.0, 1_000_000.0], "Inhibitory neurons (population I).";
        epsilon: Dimensionless = 0.1, [0.0, 1.0], "Connection probability (or in-degree fraction).";
        connectivity: Count = 0.0, [0.0, 1.0], "probability: each pair with p = epsilon (Brian2's example); indegree: exactly epsilon N inputs from each population (the paper, NEST).", choices &["probability", "indegree"];
        J: Volts = 0.1e-3, [0.0, 0.02], "Excitatory jump of the membrane per spike.";
        g: Dimensionless = 5.0, [0.0, 20.0], "Relative strength of inhibition (inhibitory jump -g J).";
        eta: Dimensionless = 2.0, [0.0, 10.0], "External rate over the threshold rate, nu_ext / nu_thr.";
        D: Seconds = 1.5e-3, [0.0, 0.05], "Synaptic delay.";
        tau: Seconds = 20e-3, [1e-3, 1.0], "Membrane time constant.";
        theta: Volts = 20e-3, [-0.1, 0.1], "Threshold (rest at 0 V).";
        V_r: Volts = 10e-3, [-0.1, 0.1], "Reset.";
        tau_rp: Seconds = 2e-3, [0.0, 0.1], "Refractory period.";
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

const PARAMS: &[ParamSpec] = BrunelParams::SPECS;

/// The model file of `p`.
pub fn model(p: &BrunelParams) -> NetworkModel {
    let c_e = (p.epsilon * p.N_E).round();
    let nu_thr = p.theta / (p.J * c_e * p.tau);
    let neuron = serde_json::json!({
        "tau_m": with_unit(Unit::Seconds, p.tau), "v_rest": "0 mV", "v_thresh": with_unit(Unit::Volts, p.theta),
        "v_reset": with_unit(Unit::Volts, p.V_r), "t_ref": with_unit(Unit::Seconds, p.tau_rp), "synapse": {"type": "delta"}, "integrator": "exact",
        "poisson_input": [{"sources": c_e as u64, "rate": with_unit(Unit::Hertz, p.eta * nu_thr),
                           "weight": with_unit(Unit::Volts, p.J)}],
        "init": {"v": "0 mV"}
    });
    let connect = |n: f64| {
        if p.connectivity == 0.0 {
            serde_json::json!({"rule": "fixed_probability", "p": p.epsilon, "allow_self": true})
        } else {
            serde_json::json!({"rule": "fixed_indegree", "k": (p.epsilon * n).round() as u64, "allow_self": true})
        }
    };
    ExcitatoryInhibitory {
        name: "brunel",
        description: PRESET.description,
        dt: p.dt,
        sizes: (p.N_E, p.N_I),
        neuron,
        connect: (connect(p.N_E), connect(p.N_I)),
        weights: (p.J, -p.g * p.J),
        delay: p.D,
        weight_unit: Some(Unit::Volts),
    }
    .model()
}

fn model_of(values: &ParamValues) -> NetworkModel {
    model(&BrunelParams::from_values(values))
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = BrunelParams::from_values(values);
    let live = vec![LiveWeight {
        param: "g",
        projections: &["IE", "II"],
        scale: -p.J,
    }];
    network_run(model(&p), seed, (p.window, p.hop), live)
}
