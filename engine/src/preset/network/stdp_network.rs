//! `stdp-network`: a Poisson population onto a population of LIF neurons with lateral
//! inhibition, STDP on the input projection: Song, Miller & Abbott's (2000) rule and neuron as
//! in Brian2's `examples/synapses/STDP.py` (1000 inputs at 15 Hz,
//! `dv/dt = (ge (Ee - v) + El - v) / taum` by forward Euler, gmax = 0.01, dApre = 0.01 gmax,
//! dApost = -1.05 dApre), but many neurons instead of one, and an inhibitory population that
//! makes them compete. Watch the input weights split towards 0 and gmax while the rates settle.

use super::{network_run, with_unit, LiveWeight};
use crate::params::Unit;
use crate::params::{model_params, ParamError, ParamSpec, ParamValues};
use crate::preset::{BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S};
use crate::simulation::Simulation;
use tempora_protocol::model::NetworkModel;

pub(in crate::preset) const PRESET: Preset = Preset {
    name: "stdp-network",
    description: "1000 Poisson inputs onto 100 LIF neurons through STDP (Song et al. 2000, as Brian2's STDP.py) with lateral inhibition: the input weights become bimodal as the neurons compete.",
    params: PARAMS,
    live: &["w_ie"],
    build,
    model: Some(model_of),
    as_model: None,
};

model_params! {
    /// The preset's parameters, named as in Brian2's `examples/synapses/STDP.py` where they
    /// come from it.
    pub struct StdpNetworkParams / StdpNetworkChanges {
        N: Count = 1000.0, [1.0, 100_000.0], "Poisson inputs.";
        F: Hertz = 15.0, [0.0, 1000.0], "Rate of each input.";
        NE: Count = 100.0, [1.0, 10_000.0], "Plastic neurons (population E).";
        NI: Count = 25.0, [1.0, 10_000.0], "Inhibitory neurons (population I).";
        taum: Seconds = 10e-3, [1e-3, 1.0], "Membrane time constant.";
        El: Volts = -74e-3, [-0.1, 0.05], "Resting potential.";
        vt: Volts = -54e-3, [-0.1, 0.05], "Threshold.";
        vr: Volts = -60e-3, [-0.1, 0.05], "Reset.";
        Ee: Volts = 0.0, [-0.1, 0.1], "Excitatory reversal potential.";
        Ei: Volts = -80e-3, [-0.15, 0.0], "Inhibitory reversal potential.";
        taue: Seconds = 5e-3, [1e-4, 1.0], "Excitatory conductance time constant.";
        taui: Seconds = 10e-3, [1e-4, 1.0], "Inhibitory conductance time constant.";
        gmax: Dimensionless = 0.01, [1e-6, 10.0], "Largest input weight (leak conductances).";
        dApre: Dimensionless = 0.01, [0.0, 1.0], "Potentiation per pair, as a fraction of gmax.";
        taupre: Seconds = 20e-3, [1e-3, 1.0], "Presynaptic trace time constant.";
        taupost: Seconds = 20e-3, [1e-3, 1.0], "Postsynaptic trace time constant (dApost = -1.05 dApre taupre / taupost).";
        w_ei: Dimensionless = 0.05, [0.0, 10.0], "Weight E -> I (p = 0.2).";
        w_ie: Dimensionless = 0.1, [0.0, 10.0], "Weight I -> E (p = 0.2): the strength of the competition.";
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 0.5, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.5, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

const PARAMS: &[ParamSpec] = StdpNetworkParams::SPECS;

/// The model file of `p`.
pub fn model(p: &StdpNetworkParams) -> NetworkModel {
    let neuron = |n: f64| {
        serde_json::json!({"name": if n == p.NE { "E" } else { "I" }, "size": n as u64, "lif": {
            "tau_m": with_unit(Unit::Seconds, p.taum), "v_rest": with_unit(Unit::Volts, p.El), "v_thresh": with_unit(Unit::Volts, p.vt),
            "v_reset": with_unit(Unit::Volts, p.vr), "t_ref": "0 ms",
            "synapse": {"type": "conductance_exp", "tau_e": with_unit(Unit::Seconds, p.taue), "tau_i": with_unit(Unit::Seconds, p.taui),
                        "e_e": with_unit(Unit::Volts, p.Ee), "e_i": with_unit(Unit::Volts, p.Ei)},
            "integrator": "euler", "init": {"v": with_unit(Unit::Volts, p.vr)}
        }})
    };
    let sparse = serde_json::json!({"rule": "fixed_probability", "p": 0.2, "allow_self": false});
    let a_pre = p.dApre * p.gmax;
    let model = serde_json::json!({
        "format": 1,
        "name": "stdp-network",
        "description": PRESET.description,
        "dt": with_unit(Unit::Seconds, p.dt),
        "populations": [
            {"name": "inputs", "size": p.N as u64, "poisson": {"rate": with_unit(Unit::Hertz, p.F)}},
            neuron(p.NE),
            neuron(p.NI)
        ],
        "projections": [
            {"name": "input", "source": "inputs", "target": "E",
             "connect": {"rule": "all_to_all"},
             "weight": {"uniform": {"low": 0.0, "high": p.gmax}},
             "stdp": {"tau_pre": with_unit(Unit::Seconds, p.taupre), "tau_post": with_unit(Unit::Seconds, p.taupost), "a_pre": a_pre,
                      "a_post": -a_pre * p.taupre / p.taupost * 1.05, "w_max": p.gmax}},
            {"name": "EI", "source": "E", "target": "I", "connect": sparse, "weight": p.w_ei},
            {"name": "IE", "source": "I", "target": "E", "connect": sparse, "weight": p.w_ie,
             "receptor": "inhibitory"}
        ]
    });
    serde_json::from_value(model).expect("the stdp-network model is well-formed")
}

fn model_of(values: &ParamValues) -> NetworkModel {
    model(&StdpNetworkParams::from_values(values))
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = StdpNetworkParams::from_values(values);
    let live = vec![LiveWeight {
        param: "w_ie",
        projections: &["IE"],
        scale: 1.0,
    }];
    network_run(model(&p), seed, (p.window, p.hop), live)
}
