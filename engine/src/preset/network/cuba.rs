//! `cuba`: the Vogels & Abbott (2005) network with current-based exponential synapses,
//! benchmark 2 of Brette et al. (2007), as Brian2's `examples/CUBA.py`: 4000 LIF neurons
//! (3200 excitatory, 800 inhibitory), every pair connected with p = 0.02 (self-connections
//! allowed), no delay, `dv/dt = (ge + gi - (v - El)) / taum` integrated exactly, refractory
//! 5 ms, v drawn uniformly in [Vr, Vt). El lies above the threshold: the neurons fire without
//! any input, and the network's inhibition keeps them irregular.
//!
//! Brian2's script keeps one group `P` and connects its slices (`i < 3200`); here the slices
//! are populations `E` and `I` with the same neurons, so the connections are the same.

use super::{network_run, we_wi_live, with_unit, ExcitatoryInhibitory};
use crate::params::Unit;
use crate::params::{model_params, ParamError, ParamSpec, ParamValues};
use crate::preset::{BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S};
use crate::simulation::Simulation;
use tempora_protocol::model::NetworkModel;

pub(in crate::preset) const PRESET: Preset = Preset {
    name: "cuba",
    description: "Vogels & Abbott's network with current synapses (Brette et al. 2007, benchmark 2; Brian2's CUBA.py): 4000 LIF neurons firing asynchronously and irregularly at a few Hz.",
    params: PARAMS,
    live: &["we", "wi"],
    build,
    model: Some(model_of),
};

model_params! {
    /// The preset's parameters, named as in Brian2's `examples/CUBA.py`.
    pub struct CubaParams / CubaChanges {
        NE: Count = 3200.0, [1.0, 1_000_000.0], "Excitatory neurons (population E).";
        NI: Count = 800.0, [1.0, 1_000_000.0], "Inhibitory neurons (population I).";
        taum: Seconds = 20e-3, [1e-3, 1.0], "Membrane time constant.";
        taue: Seconds = 5e-3, [1e-4, 1.0], "Excitatory synaptic time constant.";
        taui: Seconds = 10e-3, [1e-4, 1.0], "Inhibitory synaptic time constant.";
        Vt: Volts = -50e-3, [-0.1, 0.05], "Threshold.";
        Vr: Volts = -60e-3, [-0.1, 0.05], "Reset.";
        El: Volts = -49e-3, [-0.1, 0.05], "Resting potential (above Vt: the neurons fire unprompted).";
        we: Volts = 1.62e-3, [0.0, 0.02], "Excitatory weight, the jump of ge per spike (60 * 0.27 / 10 mV).";
        wi: Volts = -9e-3, [-0.1, 0.0], "Inhibitory weight, the jump of gi per spike (-20 * 4.5 / 10 mV).";
        p: Dimensionless = 0.02, [0.0, 1.0], "Connection probability of every pair.";
        refractory: Seconds = 5e-3, [0.0, 0.1], "Refractory period.";
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

const PARAMS: &[ParamSpec] = CubaParams::SPECS;

/// The model file of `p`.
pub fn model(p: &CubaParams) -> NetworkModel {
    let neuron = serde_json::json!({
        "tau_m": with_unit(Unit::Seconds, p.taum), "v_rest": with_unit(Unit::Volts, p.El), "v_thresh": with_unit(Unit::Volts, p.Vt),
        "v_reset": with_unit(Unit::Volts, p.Vr), "t_ref": with_unit(Unit::Seconds, p.refractory),
        "synapse": {"type": "current_exp", "tau_e": with_unit(Unit::Seconds, p.taue), "tau_i": with_unit(Unit::Seconds, p.taui)},
        "integrator": "exact",
        "init": {"v": {"uniform": {"low": with_unit(Unit::Volts, p.Vr), "high": with_unit(Unit::Volts, p.Vt)}}}
    });
    let connect = serde_json::json!({"rule": "fixed_probability", "p": p.p, "allow_self": true});
    ExcitatoryInhibitory {
        name: "cuba",
        description: PRESET.description,
        dt: p.dt,
        sizes: (p.NE, p.NI),
        neuron,
        connect: (connect.clone(), connect),
        weights: (p.we, p.wi),
        delay: 0.0,
        weight_unit: Some(Unit::Volts),
    }
    .model()
}

fn model_of(values: &ParamValues) -> NetworkModel {
    model(&CubaParams::from_values(values))
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = CubaParams::from_values(values);
    network_run(model(&p), seed, (p.window, p.hop), we_wi_live())
}
