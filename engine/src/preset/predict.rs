//! `predict`: online prediction of a noisy sine mixture with a regime shift. Every
//! `sample_period` an inference task reads the stream's next sample and the network predicts the
//! one after from the last `taps` samples; a training task (right after, at equal times) trains
//! `epochs_per_sample` epochs on the last `buffer` (taps -> next sample) examples.
//!
//! The stream is `sin(2 pi f t) + 0.4 sin(2 pi 2.3 f t)` plus `N(0, noise^2)`; at `shift_at` every
//! frequency is multiplied by `shift_factor` (see `fann::stream`). Windows compare each
//! prediction with the noiseless value it predicts (the ground truth the generator knows) and
//! with the baseline that predicts "the same as the last sample".

use super::net_core::{
    algorithm, build_core, GuardWatchdog, NetCore, NetSetup, NetWorld, TRAINER_HELP,
};
use super::{
    inconsistent, span_of, window_grid, BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S,
    WINDOW_MIN_S,
};
use crate::fann::{Activation, Algorithm, Examples, NetSpec, RegimeShift, Sine, SineStream};
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues};
use crate::rng::{self, Stream};
use crate::scheduler::{Priority, Scheduler, Task, TaskContext};
use crate::simulation::{Sim, Simulation};
use crate::time::{TimePoint, TimeSpan};
use crate::window::schedule_windows;
use std::collections::VecDeque;

pub(super) const PRESET: Preset = Preset {
    name: "predict",
    description: "A ruv-FANN network learns online to predict the next sample of a noisy sine mixture, and re-learns after a regime shift.",
    params: PARAMS,
    live: &["noise", "learning_rate", "epochs_per_sample"],
    build,
    model: None,
    as_model: None,
};

model_params! {
    /// The preset's own parameters (beside the shared [`GuardWatchdog`] block).
    struct PredictOwn / PredictChanges {
        taps: Count = 8.0, [1.0, 64.0], "Past samples the network sees.";
        hidden: Count = 8.0, [1.0, 128.0], "Hidden neurons.";
        hidden_activation: Count = 2.0, [0.0, (Activation::NAMES.len() - 1) as f64], "Activation of the hidden layer (the output is linear).", choices Activation::NAMES;
        steepness: Dimensionless = 1.0, [0.05, 10.0], "Activation steepness s.";
        sample_period: Seconds = 0.02, [1e-6, 1.0], "Logical time between samples.";
        frequency: Hertz = 2.0, [1e-3, 1e5], "Frequency f of the main sine.";
        noise: Dimensionless = 0.05, [0.0, 10.0], "Standard deviation of the noise.";
        shift_at: Seconds = 6.0, [0.0, 1e6], "When the frequencies change (0: never).";
        shift_factor: Dimensionless = 1.7, [0.01, 100.0], "Factor on every frequency after the shift.";
        trainer: Count = 0.0, [0.0, (Algorithm::NAMES.len() - 1) as f64], TRAINER_HELP, choices Algorithm::NAMES;
        learning_rate: Dimensionless = 0.01, [1e-6, 100.0], "Step size of backprop (rprop adapts its own).";
        epochs_per_sample: Count = 4.0, [0.0, 1000.0], "Training epochs after each sample.";
        buffer: Count = 64.0, [1.0, 10_000.0], "Most recent examples trained on.";
        init_scale: Dimensionless = 0.3, [0.0, 100.0], "Initial weights are uniform in [-init_scale, init_scale].";
        window: Seconds = 0.5, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.25, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The signal and the network first, then the guard and watchdog, then the windows.
const PARAMS: &[ParamSpec] = spec_table!(PredictOwn, 14, GuardWatchdog);

/// Relative frequency and amplitude of the second sine.
const SECOND_SINE: (f64, f64) = (2.3, 0.4);

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = PredictOwn::from_values(values);
    let window = window_grid(p.window, p.hop)?;
    let period = span_of("sample_period", p.sample_period)?;
    let fastest = p.frequency * SECOND_SINE.0 * p.shift_factor.max(1.0);
    if fastest * p.sample_period >= 0.5 {
        return Err(inconsistent(
            "frequency",
            format!(
                "the fastest component ({fastest} Hz) must stay below the Nyquist frequency 1 / (2 sample_period) = {} Hz",
                0.5 / p.sample_period
            ),
        ));
    }
    let taps = p.taps as usize;
    let spec = NetSpec {
        layers: vec![taps, p.hidden as usize, 1],
        hidden: Activation::from_index(p.hidden_activation as usize).expect("range-checked"),
        output: Activation::Linear,
        steepness: p.steepness,
    };
    let setup = NetSetup {
        spec,
        feedback: 0,
        initial_state: vec![0.0],
        trainer: Some(algorithm(p.trainer, p.learning_rate)),
        oscillation_steps: 0,
        init_scale: p.init_scale,
        guard: GuardWatchdog::from_values(values),
    };
    let (core, _) = build_core(seed, setup, window)?;
    let f = p.frequency;
    let shift = (p.shift_at > 0.0).then_some(RegimeShift {
        at_s: p.shift_at,
        frequency_factor: p.shift_factor,
        amplitude_factor: 1.0,
    });
    let noise_rng = rng::rng(seed, Stream::InputNoise);
    let stream = SineStream::new(
        vec![
            Sine {
                amplitude: 1.0,
                frequency_hz: f,
            },
            Sine {
                amplitude: SECOND_SINE.1,
                frequency_hz: f * SECOND_SINE.0,
            },
        ],
        p.noise,
        shift,
        noise_rng,
    );
    let world = PredictWorld {
        core,
        stream,
        history: VecDeque::with_capacity(taps + 1),
        taps,
        buffer: VecDeque::new(),
        buffer_len: p.buffer as usize,
        epochs: p.epochs_per_sample as u32,
        period,
    };
    let mut scheduler = Scheduler::new(seed);
    scheduler
        .schedule_every(
            TimePoint::ZERO,
            period,
            Priority::MODEL,
            Box::new(InferTask),
        )
        .and_then(|_| {
            scheduler.schedule_every(
                TimePoint::ZERO,
                period,
                Priority::PLASTICITY,
                Box::new(TrainTask),
            )
        })
        .map_err(|e| inconsistent("sample_period", e.to_string()))?;
    schedule_windows(&mut scheduler, window).map_err(|e| inconsistent("window", e.to_string()))?;
    Ok(Box::new(Sim::new(scheduler, world)))
}

struct PredictWorld {
    core: NetCore,
    stream: SineStream,
    /// The last `taps` samples, oldest first.
    history: VecDeque<f64>,
    taps: usize,
    /// Recent `(taps samples, next sample)` examples, oldest first.
    buffer: VecDeque<(Vec<f64>, f64)>,
    buffer_len: usize,
    epochs: u32,
    period: TimeSpan,
}

struct InferTask;

impl Task<PredictWorld> for InferTask {
    fn kind(&self) -> &'static str {
        "inference"
    }

    fn run(&mut self, w: &mut PredictWorld, ctx: &mut TaskContext<'_, PredictWorld>) {
        let t = ctx.now().as_secs_f64();
        let sample = w.stream.sample(t);
        if w.history.len() == w.taps {
            if w.buffer.len() == w.buffer_len {
                w.buffer.pop_front();
            }
            w.buffer
                .push_back((w.history.iter().copied().collect(), sample));
            w.history.pop_front();
        }
        w.history.push_back(sample);
        if w.history.len() < w.taps {
            return;
        }
        let x: Vec<f64> = w.history.iter().copied().collect();
        if w.core.step(ctx.now(), &x, w.period).is_some() {
            let truth = w.stream.clean(t + w.period.as_secs_f64());
            w.core.record(ctx.now(), Some(truth), Some(sample));
        }
    }
}

struct TrainTask;

impl Task<PredictWorld> for TrainTask {
    fn kind(&self) -> &'static str {
        "training"
    }

    fn run(&mut self, w: &mut PredictWorld, ctx: &mut TaskContext<'_, PredictWorld>) {
        if w.buffer.is_empty() || w.epochs == 0 {
            return;
        }
        let pairs: Vec<(&[f64], &[f64])> = w
            .buffer
            .iter()
            .map(|(x, t)| (&x[..], std::slice::from_ref(t)))
            .collect();
        let data = Examples::new(&pairs, w.taps, 1).expect("finite stream samples");
        w.core.train(ctx.now(), &data, w.epochs);
    }
}

impl NetWorld for PredictWorld {
    fn core(&self) -> &NetCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut NetCore {
        &mut self.core
    }

    fn set_live(&mut self, values: &ParamValues) {
        let changes = PredictOwn::changes(values);
        if let Some(noise) = changes.noise {
            self.stream.set_noise(noise);
        }
        if let Some(rate) = changes.learning_rate {
            self.core.set_learning_rate(rate);
        }
        if let Some(epochs) = changes.epochs_per_sample {
            self.epochs = epochs as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::run_to;
    use tempora_protocol::{WindowContent, WindowSummary};

    fn run(overrides: &[(&str, f64)], seconds: f64) -> Vec<WindowSummary> {
        let o: ParamValues = overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let (mut sim, _) = PRESET.build(5, &o).unwrap();
        run_to(sim.as_mut(), TimePoint((seconds * 1e9) as u64))
    }

    fn net(w: &WindowSummary) -> &WindowContent {
        &w.data
    }

    /// Mean RMS error of the predictions and of the baseline over windows ending in (from, to].
    fn errors(windows: &[WindowSummary], from: f64, to: f64) -> (f64, f64) {
        let chosen: Vec<&WindowContent> = windows
            .iter()
            .filter(|w| w.end_ns as f64 / 1e9 > from && w.end_ns as f64 / 1e9 <= to)
            .map(net)
            .collect();
        let mean = |f: &dyn Fn(&WindowContent) -> f64| {
            chosen.iter().map(|n| f(n)).sum::<f64>() / chosen.len() as f64
        };
        (
            mean(&|n| n.number("rmse").unwrap()),
            mean(&|n| n.number("baseline_rmse").unwrap()),
        )
    }

    #[test]
    fn learns_to_predict_then_relearns_after_the_shift() {
        let windows = run(&[], 12.0);
        let (early, _) = errors(&windows, 0.0, 1.0);
        let (trained, baseline) = errors(&windows, 4.0, 6.0);
        let (after_shift, _) = errors(&windows, 6.0, 6.5);
        let (relearned, baseline2) = errors(&windows, 10.0, 12.0);
        assert!(
            trained < 0.5 * baseline,
            "trained {trained} vs baseline {baseline}"
        );
        assert!(trained < 0.5 * early, "trained {trained} vs early {early}");
        assert!(
            after_shift > 1.5 * trained,
            "the shift hurts: {after_shift} vs {trained}"
        );
        assert!(
            relearned < 0.5 * baseline2,
            "relearned {relearned} vs {baseline2}"
        );
    }

    #[test]
    fn a_spectral_guard_bounds_every_layer_after_training() {
        let windows = run(&[("guard", 2.0), ("guard_bound", 3.0)], 3.0);
        for w in &windows {
            let norms: Vec<f64> = (1..)
                .map_while(|i| net(w).number(&format!("layer_norm_{i}")))
                .collect();
            assert_eq!(norms.len(), 2, "one norm per layer");
            for norm in norms {
                assert!(norm <= 3.0 * (1.0 + 1e-9), "{norm}");
            }
        }
        let (trained, baseline) = errors(&windows, 2.0, 3.0);
        assert!(
            trained < baseline,
            "still learns under the guard: {trained} vs {baseline}"
        );
    }

    #[test]
    fn frequencies_above_nyquist_are_refused() {
        let o: ParamValues = [("frequency".to_string(), 20.0)].into_iter().collect();
        assert_eq!(
            PRESET.build(1, &o).err().unwrap().param(),
            Some("frequency")
        );
    }
}
