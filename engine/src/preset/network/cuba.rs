//! `cuba`: the Vogels & Abbott (2005) network with current-based exponential synapses,
//! benchmark 2 of Brette et al. (2007), as Brian2's `examples/CUBA.py`: 4000 LIF neurons
//! (3200 excitatory, 800 inhibitory), every pair connected with p = 0.02 (self-connections
//! allowed), no delay, `dv/dt = (ge + gi - (v - El)) / taum` integrated exactly, refractory
//! 5 ms, v drawn uniformly in [Vr, Vt). El lies above the threshold: the neurons fire without
//! any input, and the network's inhibition keeps them irregular.
//!
//! Brian2's script keeps one group `P` and connects its slices (`i < 3200`); here the slices
//! are populations `E` and `I` with the same neurons, so the connections are the same.

use super::vogels_abbott::{Benchmark, VogelsAbbott};
use super::{network_run, we_wi_live, with_unit};
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues, Unit};
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
    as_model: None,
};

model_params! {
    /// The preset's own parameters, named as in Brian2's `examples/CUBA.py` (beside the shared
    /// network, [`VogelsAbbott`]).
    pub struct CubaOwn / CubaOwnChanges {
        El: Volts = -49e-3, [-0.1, 0.05], "Resting potential (above Vt: the neurons fire unprompted).";
        we: Volts = 1.62e-3, [0.0, 0.02], "Excitatory weight, the jump of ge per spike (60 * 0.27 / 10 mV).";
        wi: Volts = -9e-3, [-0.1, 0.0], "Inhibitory weight, the jump of gi per spike (-20 * 4.5 / 10 mV).";
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The network, then the rest and the weights, then the step and the windows.
const PARAMS: &[ParamSpec] = spec_table!(CubaOwn, 0, VogelsAbbott);

/// The model file of `net` and `own`.
pub fn model(net: &VogelsAbbott, own: &CubaOwn) -> NetworkModel {
    let (tau_e, tau_i) = net.time_constants();
    net.model(Benchmark {
        name: "cuba",
        description: PRESET.description,
        dt: own.dt,
        el: own.El,
        synapse: serde_json::json!({"type": "current_exp", "tau_e": tau_e, "tau_i": tau_i}),
        integrator: "exact",
        init: serde_json::json!({"v": {"uniform": {
            "low": with_unit(Unit::Volts, net.Vr), "high": with_unit(Unit::Volts, net.Vt)}}}),
        weights: (own.we, own.wi),
        weight_unit: Some(Unit::Volts),
    })
}

fn model_of(values: &ParamValues) -> NetworkModel {
    model(
        &VogelsAbbott::from_values(values),
        &CubaOwn::from_values(values),
    )
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let own = CubaOwn::from_values(values);
    network_run(model_of(values), seed, (own.window, own.hop), we_wi_live())
}
