//! `phase-lock`: one current-based LIF neuron driven by `R I(t) = I0 + I1 sin(2 pi f t)` settles
//! to one spike per cycle at a fixed phase of the drive.
//!
//! Integration is exact: between spikes `v(t) = v_p(t) + (v(t0) - v_p(t0)) exp(-(t - t0)/taum)`
//! with the periodic particular solution
//! `v_p(t) = El + I0 + I1 / sqrt(1 + (w taum)^2) * sin(w t - atan(w taum))`, `w = 2 pi f`.
//! Spikes are detected on the `dt` grid, so a spike time is late by less than one `dt`.
//!
//! Phase bias (off unless `bias_rate` > 0): after the first spike of each cycle,
//! `I0 += bias_rate * sin(phase - target_phase)`, pulling the firing phase toward `target_phase`;
//! extra spikes in a cycle lower `I0` (see `models::phase::PhaseBias`). The reachable targets
//! with one spike per cycle lie between the free phase and the peak of `v_p`.

use super::spiking::{Oscillation, SpikeRecorder};
use super::{
    inconsistent, require_order, require_step_resolves, span_of, stepped_run, window_grid,
    BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S,
};
use crate::models::lif::{CurrentLif, LifParams};
use crate::models::phase::{phase_at, PhaseBias, PhaseStats};
use crate::params::{model_params, ParamError, ParamSpec, ParamValues};
use crate::scheduler::{Task, TaskContext};
use crate::simulation::{Model, Report, Simulation};
use crate::window::{WindowBounds, WindowSink};
use std::f64::consts::TAU;
use tempora_protocol::WindowSummary;

pub(super) const PRESET: Preset = Preset {
    name: "phase-lock",
    description: "One LIF neuron driven by I0 + I1 sin(2 pi f t) locks to one spike per cycle at a fixed phase; optional phase-bias rule pulls it to a target phase.",
    params: PARAMS,
    live: &["I1", "target_phase", "bias_rate"],
    build,
    model: None,
    as_model: Some(model_file),
};

model_params! {
    /// The preset's parameters.
    struct PhaseLockParams / PhaseLockChanges {
        taum: Seconds = 10e-3, [1e-4, 1.0], "Membrane time constant.";
        El: Volts = -70e-3, [-0.1, 0.05], "Resting potential.";
        vt: Volts = -50e-3, [-0.1, 0.05], "Spike threshold.";
        vr: Volts = -70e-3, [-0.1, 0.05], "Reset potential.";
        I0: Volts = 10e-3, [-0.1, 0.1], "Constant drive R*I0.";
        I1: Volts = 15e-3, [0.0, 0.1], "Amplitude of the sinusoidal drive R*I1.";
        f: Hertz = 10.0, [0.01, 1000.0], "Frequency of the drive (and of the phase reference).";
        dt: Seconds = 1e-4, [1e-7, 1e-3], "Integration step (spike times are on this grid).";
        target_phase: Degrees = 100.0, [0.0, 360.0], "Phase the bias rule pulls toward.";
        bias_rate: Volts = 0.0, [0.0, 0.01], "Drive change per spike at 90 degrees of phase error; 0 turns the bias off.";
        window: Seconds = 1.0, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.5, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

const PARAMS: &[ParamSpec] = PhaseLockParams::SPECS;

/// The preset's neuron as a model file (`models/phase-lock.json` with the defaults): one LIF
/// neuron, no synapses (`delta`), `drive: sine` with offset I0, amplitude I1 and frequency f,
/// starting at El. The network engine holds the drive at its value at each step's start where
/// the preset integrates the sinusoid exactly, and has no phase-bias rule: the free phase
/// agrees to a fraction of a degree (`model_file_tests`); `bias_rate` and `target_phase` are
/// not in the file.
fn model_file(values: &ParamValues) -> tempora_protocol::model::NetworkModel {
    use super::network::with_unit;
    use crate::params::Unit;
    let p = PhaseLockParams::from_values(values);
    let model = serde_json::json!({
        "format": 1,
        "name": "phase-lock",
        "description": "One LIF neuron driven by I0 + I1 sin(2 pi f t) locks to one spike per cycle at a fixed phase (the phase-lock preset without its phase-bias rule).",
        "dt": with_unit(Unit::Seconds, p.dt),
        "populations": [
            {"name": "neuron", "size": 1, "lif": {
                "tau_m": with_unit(Unit::Seconds, p.taum), "v_rest": with_unit(Unit::Volts, p.El),
                "v_thresh": with_unit(Unit::Volts, p.vt), "v_reset": with_unit(Unit::Volts, p.vr),
                "t_ref": "0 ms", "synapse": {"type": "delta"}, "integrator": "exact",
                "drive": {"sine": {"amplitude": with_unit(Unit::Volts, p.I1),
                                   "frequency": with_unit(Unit::Hertz, p.f),
                                   "offset": with_unit(Unit::Volts, p.I0), "phase": 0.0}},
                "init": {"v": with_unit(Unit::Volts, p.El)}
            }}
        ],
        "projections": [],
        "record": {"state": [{"population": "neuron", "neurons": [0], "variables": ["v"]}]}
    });
    serde_json::from_value(model).expect("the phase-lock model is well-formed")
}

fn build(
    values: &ParamValues,
    _seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = PhaseLockParams::from_values(values);
    require_order(("vr", p.vr), ("vt", p.vt))?;
    require_step_resolves(p.dt, ("taum", p.taum))?;
    if p.dt * p.f > 0.01 {
        return Err(inconsistent(
            "dt",
            "dt must be at most 1/100 of the drive's period 1/f",
        ));
    }
    let window = window_grid(p.window, p.hop)?;
    let dt = span_of("dt", p.dt)?;
    let params = LifParams {
        taum: p.taum,
        el: p.El,
        vt: p.vt,
        vr: p.vr,
        refractory: 0.0,
    };
    let omega = TAU * p.f;
    let wt = omega * params.taum;
    let bias =
        (p.bias_rate > 0.0).then(|| PhaseBias::new(p.target_phase.to_radians(), p.bias_rate));
    let world = PhaseLockWorld {
        neuron: CurrentLif::new(params),
        el: params.el,
        i0: p.I0,
        amplitude: p.I1 / libm::sqrt(1.0 + wt * wt),
        lag: libm::atan(wt),
        omega,
        frequency: p.f,
        dt_s: dt.as_secs_f64(),
        decay: libm::exp(-dt.as_secs_f64() / params.taum),
        bias,
        bias_settings: (p.target_phase.to_radians(), p.bias_rate),
        phases: Vec::new(),
        recorder: SpikeRecorder::new(
            window,
            0,
            1,
            dt.as_nanos(),
            Some(Oscillation {
                frequency: p.f,
                target_deg: bias.map(|b| b.target.to_degrees()),
            }),
        ),
    };
    let task = Box::new(StepTask {
        dt_ns: dt.as_nanos(),
    });
    stepped_run(0, dt, task, window, world)
}

struct PhaseLockWorld {
    neuron: CurrentLif,
    el: f64,
    i0: f64,
    amplitude: f64,
    lag: f64,
    omega: f64,
    frequency: f64,
    dt_s: f64,
    decay: f64,
    bias: Option<PhaseBias>,
    /// Target phase (rad) and rate of the bias rule, kept while it is off.
    bias_settings: (f64, f64),
    /// Phase of every spike, rad.
    phases: Vec<f64>,
    recorder: SpikeRecorder,
}

impl PhaseLockWorld {
    /// The periodic particular solution at `t` (s).
    fn v_p(&self, t: f64) -> f64 {
        self.el + self.i0 + self.amplitude * libm::sin(self.omega * t - self.lag)
    }
}

struct StepTask {
    dt_ns: u64,
}

impl Task<PhaseLockWorld> for StepTask {
    fn kind(&self) -> &'static str {
        "lif-step"
    }

    fn run(&mut self, w: &mut PhaseLockWorld, ctx: &mut TaskContext<'_, PhaseLockWorld>) {
        let now = ctx.now();
        let step = now.as_nanos() / self.dt_ns;
        if step > 0 {
            let t = now.as_secs_f64();
            let (start, end) = (w.v_p(t - w.dt_s), w.v_p(t));
            if w.neuron.step_toward(start, end, w.decay, w.dt_s) {
                let phase = phase_at(t, w.frequency);
                w.phases.push(phase);
                w.recorder.output_spike(now, 0);
                let cycle = libm::floor(t * w.frequency) as u64;
                if let Some(bias) = w.bias.as_mut() {
                    w.i0 = (w.i0 + bias.on_spike(cycle, phase)).clamp(-0.1, 0.1);
                }
            }
        }
        w.recorder.membrane(now, step, w.neuron.v());
    }
}

impl WindowSink for PhaseLockWorld {
    fn close_window(&mut self, bounds: WindowBounds) {
        self.recorder.close(bounds, None);
    }
}

impl Model for PhaseLockWorld {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.recorder.take()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        let changes = PhaseLockParams::changes(values);
        if let Some(i1) = changes.I1 {
            // amplitude = I1 / sqrt(1 + (w taum)^2) = I1 cos(lag), with lag = atan(w taum).
            self.amplitude = i1 * libm::cos(self.lag);
        }
        let (mut target, mut rate) = self.bias_settings;
        if let Some(deg) = changes.target_phase {
            target = deg.to_radians();
        }
        if let Some(r) = changes.bias_rate {
            rate = r;
        }
        self.bias_settings = (target, rate);
        self.bias = (rate > 0.0).then(|| match self.bias {
            Some(mut b) => {
                b.target = target;
                b.rate = rate;
                b
            }
            None => PhaseBias::new(target, rate),
        });
        self.recorder
            .set_target_deg(self.bias.map(|b| b.target.to_degrees()));
    }

    /// Phases of every spike; circular mean and vector strength over the second half of the
    /// spikes (after the transient), from `stats_from_s` on.
    fn report(&self) -> Report {
        let half = self.phases.len() / 2;
        let mut stats = PhaseStats::default();
        self.phases[half..].iter().for_each(|p| stats.add(*p));
        let mut r = Report::new();
        r.insert(
            "output_spike_times_s".into(),
            self.recorder.spike_times.clone().into(),
        );
        r.insert(
            "phases_deg".into(),
            self.phases
                .iter()
                .map(|p| p.to_degrees())
                .collect::<Vec<_>>()
                .into(),
        );
        r.insert(
            "circular_mean_deg".into(),
            stats.circular_mean().map(f64::to_degrees).into(),
        );
        r.insert("vector_strength".into(), stats.vector_strength().into());
        r.insert(
            "stats_from_s".into(),
            self.recorder.spike_times.get(half).copied().into(),
        );
        r.insert("final_I0".into(), self.i0.into());
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::run_to;
    use crate::time::TimePoint;

    fn run(pairs: &[(&str, f64)], seconds: u64) -> (Report, ParamValues) {
        let o: ParamValues = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let (mut sim, values) = PRESET.build(0, &o).unwrap();
        run_to(sim.as_mut(), TimePoint(seconds * 1_000_000_000));
        (sim.report(), values)
    }

    /// The steady phase from the closed form: with a spike at t0 and the next at t0 + T
    /// (one per cycle), v_p(t0) (1 - e^{-T/taum}) + vr e^{-T/taum} = vt, on the rising side.
    fn closed_form_phase_deg(p: &ParamValues) -> f64 {
        let (taum, f) = (p["taum"], p["f"]);
        let w = TAU * f;
        let decay = (-1.0 / f / taum).exp();
        let v_star = (p["vt"] - p["vr"] * decay) / (1.0 - decay);
        let amplitude = p["I1"] / (1.0 + (w * taum).powi(2)).sqrt();
        let s = (v_star - p["El"] - p["I0"]) / amplitude;
        // Rising crossing: w t0 - lag = asin(s).
        ((s.asin() + (w * taum).atan()).to_degrees()).rem_euclid(360.0)
    }

    #[test]
    fn settles_to_one_spike_per_cycle_at_the_closed_form_phase() {
        let (report, params) = run(&[], 5);
        let times = report["output_spike_times_s"].as_array().unwrap();
        // One spike per 100 ms cycle.
        let intervals: Vec<f64> = times
            .windows(2)
            .skip(5)
            .map(|w| w[1].as_f64().unwrap() - w[0].as_f64().unwrap())
            .collect();
        assert!(
            intervals.iter().all(|i| (i - 0.1).abs() < 2e-4),
            "{intervals:?}"
        );
        let expected = closed_form_phase_deg(&params);
        let phase = report["circular_mean_deg"].as_f64().unwrap();
        // Detection on the grid delays a spike by [0, dt): 360 f dt = 0.36 degrees here.
        let grid = 360.0 * params["f"] * params["dt"];
        assert!(
            phase >= expected - 1e-6 && phase <= expected + grid + 1e-6,
            "phase {phase} vs closed form {expected} (+ up to {grid})"
        );
        assert!(report["vector_strength"].as_f64().unwrap() > 0.9999);
    }

    #[test]
    fn a_finer_grid_lands_closer_to_the_closed_form() {
        let (report, params) = run(&[("dt", 1e-6)], 3);
        let expected = closed_form_phase_deg(&params);
        let phase = report["circular_mean_deg"].as_f64().unwrap();
        assert!((phase - expected).abs() < 0.0037, "{phase} vs {expected}");
    }

    #[test]
    fn phase_bias_pulls_toward_the_target_and_keeps_one_spike_per_cycle() {
        let (free, _) = run(&[], 5);
        let free_phase = free["circular_mean_deg"].as_f64().unwrap();
        // One spike per cycle is possible from about 77 degrees (earlier, a second spike follows
        // near 140 degrees) up to the peak of v_p near 120 degrees.
        for target in [80.0, 100.0] {
            let (biased, _) = run(&[("bias_rate", 2e-4), ("target_phase", target)], 20);
            let phase = biased["circular_mean_deg"].as_f64().unwrap();
            assert!(
                (free_phase - target).abs() > 3.0,
                "free phase {free_phase} already at {target}"
            );
            assert!(
                (phase - target).abs() < 1.0,
                "target {target}: phase {phase}"
            );
            assert!(biased["vector_strength"].as_f64().unwrap() > 0.999);
            let spikes = biased["output_spike_times_s"].as_array().unwrap().len();
            assert!(
                (199..=201).contains(&spikes),
                "{spikes} spikes in 200 cycles"
            );
            // Later firing needs less drive, earlier firing more.
            let i0 = biased["final_I0"].as_f64().unwrap();
            assert_eq!(i0 < 0.01, target > free_phase, "I0 {i0}");
        }
    }
}
