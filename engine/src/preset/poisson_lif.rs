//! `poisson-lif`: `N` independent Poisson inputs at `F` each onto one current-based LIF neuron
//! with instantaneous (delta) synapses: every input spike moves the membrane by `w`. The classic
//! first exercise of the field (the diffusion limit of Stein 1965; Brunel 2000's single-neuron
//! input): how the output rate follows the input rate, the weight and the threshold, and where
//! the free membrane would sit without a threshold.
//!
//! Integration, exact for the piecewise-constant input of the time grid: the step's input
//! spikes (`k` of them) arrive at its end, `v <- El + k w + (v - El) exp(-dt / taum)`; then
//! `v > vt` is a spike, `v <- vr`, and `v` is held at `vr` for `refractory` (inputs arriving
//! then are lost, as with Brian2's `unless refractory` on the whole membrane equation).
//!
//! Without a threshold the mean membrane potential is
//! `El + w N F dt / (1 - exp(-dt / taum))` (about `El + w N F taum` for `dt << taum`): the
//! readout shows it beside the sampled mean, so a user sees the mean-driven and the
//! fluctuation-driven regimes apart.

use super::spiking::SpikeRecorder;
use super::{
    grid_on_step, inconsistent, require_order, span_of, stepped_run, window_grid, BuildContext,
    Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S,
};
use crate::models::lif::{CurrentLif, LifParams};
use crate::models::poisson::PoissonGroup;
use crate::params::{model_params, ParamError, ParamSpec, ParamValues};
use crate::rng::{self, Stream};
use crate::scheduler::{Task, TaskContext};
use crate::simulation::{Model, Report, Simulation};
use crate::window::{WindowBounds, WindowSink};
use rand_chacha::ChaCha8Rng;
use tempora_protocol::panel::Readout;
use tempora_protocol::WindowSummary;

pub(super) const PRESET: Preset = Preset {
    name: "poisson-lif",
    description: "N Poisson inputs with delta synapses onto one current-based LIF neuron: the output rate against the input rate, the weight and the threshold, and the free membrane's mean.",
    params: PARAMS,
    live: &["w"],
    build,
    model: None,
    as_model: None,
};

model_params! {
    /// The preset's parameters.
    struct PoissonLifParams / PoissonLifChanges {
        N: Count = 1000.0, [1.0, 100_000.0], "Number of Poisson inputs.";
        F: Hertz = 10.0, [0.01, 1000.0], "Firing rate of each input.";
        w: Volts = 1e-4, [-0.02, 0.02], "Jump of the membrane per input spike (negative: inhibitory).";
        taum: Seconds = 0.02, [1e-4, 1.0], "Membrane time constant.";
        El: Volts = -0.07, [-0.1, 0.05], "Leak reversal (resting) potential.";
        vt: Volts = -0.05, [-0.1, 0.05], "Spike threshold.";
        vr: Volts = -0.06, [-0.1, 0.05], "Reset potential.";
        refractory: Seconds = 2e-3, [0.0, 0.1], "Refractory period: the membrane is held at vr.";
        dt: Seconds = 1e-4, [1e-6, 1e-3], "Integration step.";
        window: Seconds = 0.5, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.5, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

const PARAMS: &[ParamSpec] = PoissonLifParams::SPECS;

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = PoissonLifParams::from_values(values);
    require_order(("vr", p.vr), ("vt", p.vt))?;
    let (rate, dt_s) = (p.F, p.dt);
    if rate * dt_s >= 0.5 {
        return Err(inconsistent(
            "F",
            "F * dt must be below 0.5: at most one spike per input per step",
        ));
    }
    let dt = span_of("dt", p.dt)?;
    let window = grid_on_step(window_grid(p.window, p.hop)?, dt)?;
    let n = p.N as u32;
    let mut rng = rng::rng(seed, Stream::InputSpikes);
    let inputs = PoissonGroup::new(n, rate, dt_s, &mut rng);
    let params = LifParams {
        taum: p.taum,
        el: p.El,
        vt: p.vt,
        vr: p.vr,
        refractory: p.refractory,
    };
    let decay = libm::exp(-dt_s / params.taum);
    let world = PoissonLifWorld {
        neuron: CurrentLif::new(params),
        inputs,
        rng,
        w: p.w,
        el: params.el,
        decay,
        dt_s,
        sources: n as f64,
        free_mean_per_weight: n as f64 * rate * dt_s / (1.0 - decay),
        recorder: SpikeRecorder::new(window, n, 1, dt.as_nanos(), None),
        steps: 0,
        v_sum: 0.0,
        input_spikes: 0,
        output_spikes: 0,
        reported: None,
    };
    let task = Box::new(StepTask {
        dt_ns: dt.as_nanos(),
    });
    stepped_run(seed, dt, task, window, world)
}

struct PoissonLifWorld {
    neuron: CurrentLif,
    inputs: PoissonGroup,
    rng: ChaCha8Rng,
    /// Jump per input spike, V (live).
    w: f64,
    el: f64,
    /// exp(-dt / taum).
    decay: f64,
    dt_s: f64,
    /// `N`.
    sources: f64,
    /// `N F dt / (1 - decay)`: the free membrane's mean is `El + w` times this.
    free_mean_per_weight: f64,
    recorder: SpikeRecorder,
    steps: u64,
    v_sum: f64,
    input_spikes: u64,
    output_spikes: u64,
    /// The window taken from the recorder, waiting for this preset's readouts.
    reported: Option<WindowSummary>,
}

/// One step of the inputs and the neuron.
struct StepTask {
    dt_ns: u64,
}

impl Task<PoissonLifWorld> for StepTask {
    fn kind(&self) -> &'static str {
        "step"
    }

    fn run(&mut self, w: &mut PoissonLifWorld, ctx: &mut TaskContext<'_, PoissonLifWorld>) {
        let t = ctx.now();
        let step = t.as_nanos() / self.dt_ns;
        let PoissonLifWorld {
            inputs,
            rng,
            recorder,
            ..
        } = w;
        let mut count = 0u32;
        inputs.spikes_at(step, rng, |source| {
            recorder.input_spike(t, source);
            count += 1;
        });
        w.recorder.input_count(t, count);
        w.input_spikes += u64::from(count);
        let end = w.el + f64::from(count) * w.w;
        if w.neuron.step_toward(w.el, end, w.decay, w.dt_s) {
            w.recorder.output_spike(t, 0);
            w.output_spikes += 1;
        }
        w.steps += 1;
        w.v_sum += w.neuron.v();
        w.recorder.membrane(t, step, w.neuron.v());
    }
}

impl WindowSink for PoissonLifWorld {
    fn close_window(&mut self, bounds: WindowBounds) {
        self.recorder.close(bounds, None);
        let Some(mut window) = self.recorder.take() else {
            return;
        };
        let sampled = window
            .data
            .trace(super::spiking::panels::MEMBRANE)
            .map(|t| &t.lines[0].points)
            .filter(|p| !p.is_empty())
            .map(|p| p.iter().map(|x| x[1]).sum::<f64>() / p.len() as f64);
        let inputs = window.data.number("input_spikes").unwrap_or(0.0);
        let length_s = (bounds.end.0 - bounds.start.0) as f64 * 1e-9;
        window.data.readouts.extend([
            Readout::number(
                "input_rate_hz",
                "input rate per source",
                Some(inputs / length_s / self.sources),
                "Hz",
                2,
            ),
            Readout::number(
                "v_mean_mv",
                "mean membrane potential (sampled)",
                sampled,
                "mV",
                2,
            ),
            Readout::number(
                "v_free_mean_mv",
                "free membrane's mean (no threshold)",
                Some((self.el + self.w * self.free_mean_per_weight) * 1e3),
                "mV",
                2,
            ),
        ]);
        self.reported = Some(window);
    }
}

impl Model for PoissonLifWorld {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.reported.take()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        if let Some(w) = PoissonLifParams::changes(values).w {
            self.w = w;
        }
    }

    fn report(&self) -> Report {
        let mut r = Report::new();
        r.insert("steps".into(), self.steps.into());
        r.insert("input_spikes".into(), self.input_spikes.into());
        r.insert("output_spikes".into(), self.output_spikes.into());
        r.insert(
            "v_mean".into(),
            (self.v_sum / self.steps.max(1) as f64).into(),
        );
        r.insert(
            "output_spike_times_s".into(),
            self.recorder.spike_times.clone().into(),
        );
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(overrides: &[(&str, f64)], seconds: f64) -> (Vec<WindowSummary>, Report) {
        let o: ParamValues = overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        crate::replay::reference_run(PRESET.name, 4, &o, seconds).unwrap()
    }

    #[test]
    fn without_a_threshold_the_membrane_sits_at_the_free_mean() {
        // Threshold out of reach: v is a filtered Poisson shot noise with mean
        // El + w N F dt / (1 - exp(-dt / taum)) = -70 mV + 20 mV (to 0.25 %) and sd
        // w sqrt(N F taum / 2) = 1 mV; over 10 s (500 membrane time constants) the mean's
        // standard error is about 1 mV / sqrt(250) = 0.06 mV.
        let (windows, report) = run(&[("vt", 0.05), ("vr", 0.0)], 10.0);
        let expected = -0.07 + 1e-4 * 1000.0 * 10.0 * 1e-4 / (1.0 - libm::exp(-1e-4 / 0.02));
        assert!((expected - -0.05).abs() < 0.06e-3, "{expected}");
        let mean = report["v_mean"].as_f64().unwrap();
        assert!((mean - expected).abs() < 0.3e-3, "{mean} vs {expected}");
        assert_eq!(report["output_spikes"], 0);
        let shown = windows[3].data.number("v_free_mean_mv").unwrap();
        assert!((shown - expected * 1e3).abs() < 1e-9);
        // N F = 10 kHz of input: 10 inputs per source and second, within Poisson noise.
        let per_source = windows[3].data.number("input_rate_hz").unwrap();
        assert!((per_source - 10.0).abs() < 0.3, "{per_source}");
    }

    #[test]
    fn the_output_rate_grows_with_the_input_rate_and_respects_refractoriness() {
        let rate = |f: f64| {
            let (windows, report) = run(&[("F", f)], 4.0);
            let spikes = report["output_spikes"].as_u64().unwrap() as f64;
            let per_window: f64 = windows
                .iter()
                .map(|w| w.data.number("output_spikes").unwrap())
                .sum();
            assert_eq!(per_window, spikes, "windows tile the run");
            spikes / 4.0
        };
        let (low, mid, high) = (rate(5.0), rate(10.0), rate(20.0));
        assert!(low < mid && mid < high, "{low} < {mid} < {high}");
        assert!(mid > 1.0, "fluctuations reach the threshold: {mid} Hz");
        // At most one spike per refractory period plus a step.
        assert!(high < 1.0 / 2.1e-3, "{high} Hz");
        let (_, report) = run(&[("F", 20.0)], 1.0);
        let times: Vec<f64> =
            serde_json::from_value(report["output_spike_times_s"].clone()).unwrap();
        assert!(times.windows(2).all(|p| p[1] - p[0] > 2e-3), "{times:?}");
    }

    #[test]
    fn inhibitory_weights_keep_it_silent_and_bad_values_name_themselves() {
        let (_, report) = run(&[("w", -1e-4)], 1.0);
        assert_eq!(report["output_spikes"], 0);
        let refuse = |pairs: &[(&str, f64)]| {
            let o: ParamValues = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            PRESET
                .build(1, &o)
                .err()
                .unwrap()
                .param()
                .map(str::to_string)
        };
        assert_eq!(refuse(&[("vr", -0.04)]).as_deref(), Some("vr"));
        assert_eq!(refuse(&[("F", 1000.0), ("dt", 1e-3)]).as_deref(), Some("F"));
        assert_eq!(refuse(&[("w", 1.0)]).as_deref(), Some("w"));
    }
}
