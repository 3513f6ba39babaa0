//! `coba`: the Vogels & Abbott (2005) network with conductance-based exponential synapses,
//! benchmark 1 of Brette et al. (2007), as Brian 1's `examples/misc/COBA.py`: 4000 LIF neurons
//! (3200 excitatory, 800 inhibitory), p = 0.02, no delay,
//! `dv/dt = (-(v - El) + ge (Ee - v) + gi (Ei - v)) / taum` with conductances in units of the
//! leak conductance (we = 6 nS / 10 nS, wi = 67 nS / 10 nS), integrated by forward Euler as
//! Brian 1 did (`integrator`: `exact` chooses exponential Euler), refractory 5 ms, and the
//! script's initial values: v ~ N(-65 mV, 5 mV), ge ~ N(4, 1.5), gi ~ N(20, 12), unclipped.
//! No external input: the activity is self-sustained from the random start.
//!
//! Brian 1 wrote voltages relative to rest (threshold 10 mV, Ee = 60 mV); these are the same
//! values in absolute terms (Vt = -50 mV, Ee = 0 mV, Ei = -80 mV).

use super::vogels_abbott::{Benchmark, VogelsAbbott};
use super::{network_run, we_wi_live, with_unit};
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues, Unit};
use crate::preset::{BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S};
use crate::simulation::Simulation;
use tempora_protocol::model::NetworkModel;

pub(in crate::preset) const PRESET: Preset = Preset {
    name: "coba",
    description: "Vogels & Abbott's network with conductance synapses (Brette et al. 2007, benchmark 1; Brian 1's COBA.py): self-sustained asynchronous irregular activity of 4000 LIF neurons.",
    params: PARAMS,
    live: &["we", "wi"],
    build,
    model: Some(model_of),
    as_model: None,
};

model_params! {
    /// The preset's own parameters, named as in Brian 1's `examples/misc/COBA.py` (beside the
    /// shared network, [`VogelsAbbott`]).
    pub struct CobaOwn / CobaOwnChanges {
        El: Volts = -60e-3, [-0.1, 0.05], "Resting potential.";
        Ee: Volts = 0.0, [-0.1, 0.1], "Excitatory reversal potential.";
        Ei: Volts = -80e-3, [-0.15, 0.0], "Inhibitory reversal potential.";
        we: Dimensionless = 0.6, [0.0, 100.0], "Excitatory weight, in units of the leak conductance (6 nS / 10 nS).";
        wi: Dimensionless = 6.7, [0.0, 100.0], "Inhibitory weight, in units of the leak conductance (67 nS / 10 nS).";
        integrator: Count = 0.0, [0.0, 1.0], "euler: forward Euler, as Brian 1; exponential_euler: v exact for the step's conductances.", choices &["euler", "exponential_euler"];
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The network, then the rest, reversal potentials and weights, then the step and windows.
const PARAMS: &[ParamSpec] = spec_table!(CobaOwn, 0, VogelsAbbott);

/// The model file of `net` and `own`.
pub fn model(net: &VogelsAbbott, own: &CobaOwn) -> NetworkModel {
    let (tau_e, tau_i) = net.time_constants();
    net.model(Benchmark {
        name: "coba",
        description: PRESET.description,
        dt: own.dt,
        el: own.El,
        synapse: serde_json::json!({"type": "conductance_exp", "tau_e": tau_e, "tau_i": tau_i,
            "e_e": with_unit(Unit::Volts, own.Ee), "e_i": with_unit(Unit::Volts, own.Ei)}),
        integrator: if own.integrator == 0.0 {
            "euler"
        } else {
            "exact"
        },
        init: serde_json::json!({
            "v": {"normal": {"mean": "-65 mV", "sd": "5 mV"}},
            "ge": {"normal": {"mean": 4.0, "sd": 1.5}},
            "gi": {"normal": {"mean": 20.0, "sd": 12.0}}
        }),
        weights: (own.we, own.wi),
        weight_unit: None,
    })
}

fn model_of(values: &ParamValues) -> NetworkModel {
    model(
        &VogelsAbbott::from_values(values),
        &CobaOwn::from_values(values),
    )
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let own = CobaOwn::from_values(values);
    network_run(model_of(values), seed, (own.window, own.hop), we_wi_live())
}
