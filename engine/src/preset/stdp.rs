//! `stdp`: Song, Miller & Abbott (2000), "Competitive Hebbian learning through spike-timing-
//! dependent synaptic plasticity", as in Brian2's `examples/synapses/STDP.py`, with the same
//! equations, parameters and parameter names: N Poisson inputs at F onto one conductance-based
//! LIF neuron through additive STDP synapses. Over ~100 s the weights become bimodal, piled up
//! near 0 and near gmax.
//!
//! Each step of `dt` (one recurring task) does what Brian2's schedule does within a time step:
//! integrate the neuron (see `models::lif`), test the threshold, deliver this step's input spikes
//! (`ge += w`, then the pre-synaptic STDP update), then the post-synaptic STDP update if the neuron
//! fired. Inputs are event-driven (see `models::poisson`), so their cost is per spike.
//! `dApre` and `dApost` are given as in `STDP.py` before its scaling by gmax, which this preset
//! applies. Initial weights are uniform in [0, gmax] (`S.w = 'rand() * gmax'`).

use super::spiking::{NeuronStdp, SpikeRecorder};
use super::{
    grid_on_step, inconsistent, span_of, stepped_run, window_grid, BuildContext, Preset, HOP_HELP,
    WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S,
};
use crate::models::lif::ConductanceLif;
use crate::models::poisson::PoissonGroup;
use crate::models::stdp::StdpSynapses;
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues};
use crate::rng::{self, Stream};
use crate::scheduler::{Task, TaskContext};
use crate::simulation::{Model, Report, Simulation};
use crate::window::{WindowBounds, WindowSink};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tempora_protocol::WindowSummary;

pub(super) const PRESET: Preset = Preset {
    name: "stdp",
    description: "Song, Miller & Abbott (2000): 1000 Poisson inputs, additive STDP onto one conductance-based LIF neuron; weights turn bimodal (Brian2's STDP.py).",
    params: PARAMS,
    live: &["dApre", "dApost"],
    build,
    model: None,
    as_model: Some(model_file),
};

model_params! {
    /// The preset's own parameters (beside the neuron and STDP block, [`NeuronStdp`]).
    struct StdpOwn / StdpOwnChanges {
        N: Count = 1000.0, [1.0, 100_000.0], "Number of Poisson inputs.";
        F: Hertz = 15.0, [0.01, 1000.0], "Firing rate of each input.";
        gmax: Dimensionless = 0.01, [1e-6, 10.0], "Maximum synaptic weight (conductance, in units of the leak).";
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 1.0, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 1.0, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The inputs first, then the neuron and STDP (as in Brian2's `STDP.py`), then the windows.
const PARAMS: &[ParamSpec] = spec_table!(StdpOwn, 4, NeuronStdp);

/// The preset's network as a model file (`models/stdp.json` with the defaults): N Poisson
/// inputs at F, all onto one neuron through additive STDP with uniform initial weights, the
/// neuron starting at El, exponential Euler (`integrator: exact` for conductances) as here.
/// Its random streams are the network engine's, so it gives the preset's statistics, not its
/// spikes (`model_file_tests`).
fn model_file(values: &ParamValues) -> tempora_protocol::model::NetworkModel {
    use super::network::with_unit;
    use crate::params::Unit;
    let (p, n) = (
        StdpOwn::from_values(values),
        NeuronStdp::from_values(values),
    );
    let driving = if n.driving == 1.0 {
        "reset"
    } else {
        "membrane"
    };
    let model = serde_json::json!({
        "format": 1,
        "name": "stdp",
        "description": PRESET.description,
        "dt": with_unit(Unit::Seconds, p.dt),
        "populations": [
            {"name": "inputs", "size": p.N as u64, "poisson": {"rate": with_unit(Unit::Hertz, p.F)}},
            {"name": "neuron", "size": 1, "lif": {
                "tau_m": with_unit(Unit::Seconds, n.taum), "v_rest": with_unit(Unit::Volts, n.El),
                "v_thresh": with_unit(Unit::Volts, n.vt), "v_reset": with_unit(Unit::Volts, n.vr),
                "t_ref": "0 ms",
                "synapse": {"type": "conductance_exp", "tau_e": with_unit(Unit::Seconds, n.taue),
                            "tau_i": with_unit(Unit::Seconds, n.taue), "e_e": with_unit(Unit::Volts, n.Ee),
                            "e_i": with_unit(Unit::Volts, n.El), "driving_force": driving},
                "integrator": "exact", "init": {"v": with_unit(Unit::Volts, n.El)}
            }}
        ],
        "projections": [
            {"name": "input", "source": "inputs", "target": "neuron",
             "connect": {"rule": "all_to_all"},
             "weight": {"uniform": {"low": 0.0, "high": p.gmax}},
             "stdp": {"tau_pre": with_unit(Unit::Seconds, n.taupre),
                      "tau_post": with_unit(Unit::Seconds, n.taupost),
                      "a_pre": n.dApre * p.gmax, "a_post": n.dApost * p.gmax, "w_max": p.gmax}}
        ],
        "record": {"state": [{"population": "neuron", "neurons": [0], "variables": ["v"]}]}
    });
    serde_json::from_value(model).expect("the stdp model is well-formed")
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let (p, neuron) = (
        StdpOwn::from_values(values),
        NeuronStdp::from_values(values),
    );
    neuron.check(p.dt)?;
    if p.F * p.dt >= 0.5 {
        return Err(inconsistent(
            "F",
            "F * dt must be below 0.5: at most one spike per input per step",
        ));
    }
    let dt = span_of("dt", p.dt)?;
    let window = grid_on_step(window_grid(p.window, p.hop)?, dt)?;
    let n = p.N as u32;
    let gmax = p.gmax;
    let dt_s = dt.as_secs_f64();

    let mut initial = rng::rng(seed, Stream::InitialWeights);
    let weights: Vec<f64> = (0..n).map(|_| initial.random::<f64>() * gmax).collect();
    let mut rng = rng::rng(seed, Stream::InputSpikes);
    let inputs = PoissonGroup::new(n, p.F, dt_s, &mut rng);
    // STDP.py sets no initial v, so Brian starts it at 0 V and it spikes at once; the neuron
    // starts at El instead (the same steady state, without that spurious first spike).
    let synapses = StdpSynapses::new(neuron.stdp(gmax), weights, dt_s);
    let world = StdpWorld {
        neuron: neuron.neuron(),
        synapses,
        inputs,
        rng,
        dt_s,
        ge_decay: libm::exp(-dt_s / neuron.taue),
        gmax,
        recorder: SpikeRecorder::new(window, n, 1, dt.as_nanos(), None),
        input_spikes: 0,
    };
    let task = Box::new(StepTask {
        dt_ns: dt.as_nanos(),
    });
    stepped_run(seed, dt, task, window, world)
}

struct StdpWorld {
    neuron: ConductanceLif,
    synapses: StdpSynapses,
    inputs: PoissonGroup,
    rng: ChaCha8Rng,
    dt_s: f64,
    ge_decay: f64,
    gmax: f64,
    recorder: SpikeRecorder,
    input_spikes: u64,
}

struct StepTask {
    dt_ns: u64,
}

impl Task<StdpWorld> for StepTask {
    fn kind(&self) -> &'static str {
        "stdp-step"
    }

    fn run(&mut self, w: &mut StdpWorld, ctx: &mut TaskContext<'_, StdpWorld>) {
        let t = ctx.now();
        let step = t.as_nanos() / self.dt_ns;
        let fired = step > 0 && w.neuron.step_with_decay(w.dt_s, w.ge_decay);
        let StdpWorld {
            neuron,
            synapses,
            inputs,
            rng,
            recorder,
            ..
        } = w;
        let mut count = 0u32;
        inputs.spikes_at(step, rng, |source| {
            neuron.receive(synapses.on_pre(source as usize, step));
            recorder.input_spike(t, source);
            count += 1;
        });
        w.input_spikes += count as u64;
        w.recorder.input_count(t, count);
        if fired {
            w.synapses.on_post(step);
            w.recorder.output_spike(t, 0);
        }
        w.recorder.membrane(t, step, w.neuron.v());
    }
}

impl WindowSink for StdpWorld {
    fn close_window(&mut self, bounds: WindowBounds) {
        self.recorder
            .close(bounds, Some((self.synapses.weights(), self.gmax)));
    }
}

impl Model for StdpWorld {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.recorder.take()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        let (p, changes) = (self.synapses.params(), NeuronStdp::changes(values));
        let dapre = changes.dApre.map_or(p.dapre, |v| v * self.gmax);
        let dapost = changes.dApost.map_or(p.dapost, |v| v * self.gmax);
        self.synapses.set_amplitudes(dapre, dapost);
    }

    fn report(&self) -> Report {
        let mut r = Report::new();
        r.insert(
            "output_spike_times_s".into(),
            self.recorder.spike_times.clone().into(),
        );
        r.insert(
            "final_weights".into(),
            self.synapses.weights().to_vec().into(),
        );
        r.insert("input_spikes".into(), self.input_spikes.into());
        r.insert("weight_updates".into(), self.synapses.updates().into());
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::run_to;
    use crate::time::TimePoint;
    use tempora_protocol::WindowContent;

    fn overrides(pairs: &[(&str, f64)]) -> ParamValues {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    /// Bimodality on a 30 s run (CI time): the weights leave their uniform start and pile up
    /// at both bounds, with the middle thinning out. For reference, the full 100 s run ends with
    /// 24 % of weights within 10 % of 0 and 20 % within 10 % of gmax, as Brian2's cpp_standalone
    /// run of STDP.py does on this machine (24.5 % and 20.4 %; tests/bench/stdp_brian2.py).
    #[test]
    fn weights_turn_bimodal() {
        let (mut sim, _) = PRESET.build(1, &ParamValues::new()).unwrap();
        let windows = run_to(sim.as_mut(), TimePoint(30_000_000_000));
        let fractions = |data: &WindowContent| {
            (
                data.number("weights_near_0_pct").unwrap() / 100.0,
                data.number("weights_near_max_pct").unwrap() / 100.0,
            )
        };
        let (z0, m0) = fractions(&windows[0].data);
        assert!(z0 < 0.12 && m0 < 0.12, "starts uniform: {z0} {m0}");
        let (near_zero, near_max) = fractions(&windows.last().unwrap().data);
        assert!(
            near_zero > 0.15 && near_max > 0.12,
            "{near_zero} {near_max}"
        );
        // Per unit of weight, the middle fifth of [0, gmax] is thinner than either end's tenth
        // (uniform weights would make all three equal).
        let report = sim.report();
        let weights: Vec<f64> = report["final_weights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_f64().unwrap())
            .collect();
        let middle = weights
            .iter()
            .filter(|&&w| (0.004..0.006).contains(&w))
            .count() as f64
            / weights.len() as f64;
        assert!(
            middle / 0.2 < 0.6 * near_zero.min(near_max) / 0.1,
            "middle {middle}"
        );
        // Inputs fire at F: 1000 x 15 Hz.
        let per_s = windows
            .iter()
            .map(|w| w.data.number("input_spikes").unwrap())
            .sum::<f64>()
            / 30.0;
        assert!((per_s - 15_000.0).abs() < 300.0, "{per_s}");
    }

    #[test]
    fn meaningless_combinations_name_the_parameter() {
        let refuse = |pairs: &[(&str, f64)]| PRESET.build(1, &overrides(pairs)).err().unwrap();
        assert_eq!(refuse(&[("vt", -0.07)]).param(), Some("vr"));
        assert_eq!(refuse(&[("dt", 1e-3)]).param(), Some("dt"));
        assert_eq!(
            refuse(&[
                ("F", 900.0),
                ("dt", 1e-3),
                ("taum", 0.1),
                ("taue", 0.1),
                ("taupre", 0.1),
                ("taupost", 0.1)
            ])
            .param(),
            Some("F")
        );
        assert_eq!(refuse(&[("taum", 0.0)]).param(), Some("taum"));
        assert_eq!(refuse(&[("N", 10.5)]).param(), Some("N"));
    }
}
