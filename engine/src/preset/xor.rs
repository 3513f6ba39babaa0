//! `xor`: a 2-h-1 ruv-FANN network trains on XOR inside the scheduler (one epoch per
//! `train_period`), while an inference task evaluates it every `infer_period` (1 us) on a seeded
//! stream of noisy XOR inputs. Windows show output against target, accuracy, the training set's
//! RMS error by prediction, and the Lipschitz estimate.
//!
//! Inputs and targets are +-1 (the output is `sigmoid_symmetric`, in (-1, 1)); an output counts
//! as right when it has the target's sign.

use super::net_core::{
    algorithm, build_core, GuardWatchdog, NetCore, NetSetup, NetWorld, TRAINER_HELP,
};
use super::{
    inconsistent, span_of, window_grid, BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S,
    WINDOW_MIN_S,
};
use crate::fann::{standard_normal, Activation, Algorithm, Examples, NetSpec};
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues};
use crate::scheduler::{Priority, Scheduler, Task, TaskContext};
use crate::simulation::{Report, Sim, Simulation};
use crate::time::{TimePoint, TimeSpan};
use crate::window::schedule_windows;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(super) const PRESET: Preset = Preset {
    name: "xor",
    description: "A ruv-FANN 2-h-1 network learns XOR inside the scheduler while an inference task evaluates it every microsecond on noisy inputs.",
    params: PARAMS,
    live: &["input_noise", "learning_rate"],
    build,
    model: None,
    as_model: None,
};

model_params! {
    /// The preset's own parameters (beside the shared [`GuardWatchdog`] block).
    struct XorOwn / XorChanges {
        hidden: Count = 4.0, [1.0, 64.0], "Hidden neurons.";
        hidden_activation: Count = 2.0, [0.0, (Activation::NAMES.len() - 1) as f64], "Activation of the hidden layer (the output is sigmoid_symmetric).", choices Activation::NAMES;
        steepness: Dimensionless = 1.0, [0.05, 10.0], "Activation steepness s.";
        trainer: Count = 0.0, [0.0, (Algorithm::NAMES.len() - 1) as f64], TRAINER_HELP, choices Algorithm::NAMES;
        learning_rate: Dimensionless = 0.2, [1e-6, 100.0], "Step size of backprop (rprop adapts its own).";
        epochs: Count = 300.0, [0.0, 1e6], "Training epochs, one per train_period.";
        train_period: Seconds = 1e-3, [1e-6, 1.0], "Logical time between training epochs.";
        infer_period: Seconds = 1e-6, [1e-7, 1.0], "Logical time between inferences.";
        input_noise: Dimensionless = 0.1, [0.0, 10.0], "Standard deviation of Gaussian noise on the +-1 inputs at inference.";
        init_scale: Dimensionless = 0.5, [0.0, 100.0], "Initial weights are uniform in [-init_scale, init_scale].";
        window: Seconds = 0.05, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.025, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The network and its training first, then the guard and watchdog, then the windows.
const PARAMS: &[ParamSpec] = spec_table!(XorOwn, 10, GuardWatchdog);

const PATTERNS: [([f64; 2], f64); 4] = [
    ([-1.0, -1.0], -1.0),
    ([-1.0, 1.0], 1.0),
    ([1.0, -1.0], 1.0),
    ([1.0, 1.0], -1.0),
];

/// The four XOR cases as a training set.
fn xor_examples() -> Examples {
    let pairs: Vec<(&[f64], &[f64])> = PATTERNS
        .iter()
        .map(|(x, t)| (&x[..], std::slice::from_ref(t)))
        .collect();
    Examples::new(&pairs, 2, 1).expect("four finite examples")
}

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = XorOwn::from_values(values);
    let window = window_grid(p.window, p.hop)?;
    let infer = span_of("infer_period", p.infer_period)?;
    let train = span_of("train_period", p.train_period)?;
    let spec = NetSpec {
        layers: vec![2, p.hidden as usize, 1],
        hidden: Activation::from_index(p.hidden_activation as usize).expect("range-checked"),
        output: Activation::SigmoidSymmetric,
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
    let (core, rng) = build_core(seed, setup, window)?;
    let core = core.classifying();
    let world = XorWorld {
        core,
        data: xor_examples(),
        epochs_left: p.epochs as u64,
        noise: p.input_noise,
        rng,
        infer,
    };
    let mut scheduler = Scheduler::new(seed);
    scheduler
        .schedule_every(TimePoint::ZERO, infer, Priority::MODEL, Box::new(InferTask))
        .map_err(|e| inconsistent("infer_period", e.to_string()))?;
    if world.epochs_left > 0 {
        scheduler
            .schedule_every(
                TimePoint::ZERO,
                train,
                Priority::PLASTICITY,
                Box::new(TrainTask),
            )
            .map_err(|e| inconsistent("train_period", e.to_string()))?;
    }
    schedule_windows(&mut scheduler, window).map_err(|e| inconsistent("window", e.to_string()))?;
    Ok(Box::new(Sim::new(scheduler, world)))
}

struct XorWorld {
    core: NetCore,
    data: Examples,
    epochs_left: u64,
    noise: f64,
    rng: ChaCha8Rng,
    infer: TimeSpan,
}

struct InferTask;

impl Task<XorWorld> for InferTask {
    fn kind(&self) -> &'static str {
        "inference"
    }

    fn run(&mut self, w: &mut XorWorld, ctx: &mut TaskContext<'_, XorWorld>) {
        let (pattern, target) = PATTERNS[w.rng.random_range(0..4)];
        let mut x = pattern;
        if w.noise > 0.0 {
            for v in &mut x {
                *v += w.noise * standard_normal(&mut w.rng);
            }
        }
        if w.core.step(ctx.now(), &x, w.infer).is_some() {
            w.core.record(ctx.now(), Some(target), None);
        }
    }
}

struct TrainTask;

impl Task<XorWorld> for TrainTask {
    fn kind(&self) -> &'static str {
        "training"
    }

    fn run(&mut self, w: &mut XorWorld, ctx: &mut TaskContext<'_, XorWorld>) {
        w.core.train(ctx.now(), &w.data, 1);
        w.epochs_left -= 1;
        if w.epochs_left == 0 {
            let me = ctx.handle();
            ctx.cancel(me).expect("a running task can cancel itself");
        }
    }
}

impl NetWorld for XorWorld {
    fn core(&self) -> &NetCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut NetCore {
        &mut self.core
    }

    fn set_live(&mut self, values: &ParamValues) {
        let changes = XorOwn::changes(values);
        if let Some(noise) = changes.input_noise {
            self.noise = noise;
        }
        if let Some(rate) = changes.learning_rate {
            self.core.set_learning_rate(rate);
        }
    }

    /// The network's answer to each XOR case: `[x1, x2, y]`.
    fn extend_report(&self, report: &mut Report) {
        let mut net = self.core.net().net().clone();
        let predictions: Vec<[f64; 3]> = PATTERNS
            .iter()
            .map(|(x, _)| [x[0], x[1], net.forward_unchecked(x)[0]])
            .collect();
        report.insert(
            "predictions".into(),
            serde_json::to_value(predictions).unwrap_or_default(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::simulation::Report;
    use tempora_protocol::{WindowContent, WindowSummary};

    fn run(overrides: &[(&str, f64)], seconds: f64) -> (Vec<WindowSummary>, Report) {
        let o: ParamValues = overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        crate::replay::reference_run(PRESET.name, 2, &o, seconds).unwrap()
    }

    fn net(w: &WindowSummary) -> &WindowContent {
        &w.data
    }

    fn accuracy(w: &WindowSummary) -> f64 {
        net(w).number("accuracy_pct").unwrap() / 100.0
    }

    #[test]
    fn learns_xor_in_the_scheduler_and_then_predicts_it() {
        // 300 epochs at 1 ms: trained by 0.3 s. Inference every 10 us to keep the test short.
        let (untrained, _) = run(&[("infer_period", 1e-5), ("epochs", 0.0)], 0.05);
        let untrained = accuracy(&untrained[0]);
        assert!(untrained < 0.9, "untrained: {untrained}");
        let (windows, report) = run(&[("infer_period", 1e-5)], 0.5);
        let last = windows.last().unwrap();
        assert_eq!(
            net(last).number("evaluations"),
            Some(5000.0),
            "50 ms at 10 us"
        );
        assert!(
            accuracy(last) > 0.97,
            "trained (noisy inputs): {}",
            accuracy(last)
        );
        let rmse = net(last).number("rmse").unwrap();
        assert!(rmse < 0.3, "{rmse}");
        for p in report["predictions"].as_array().unwrap() {
            let p: Vec<f64> = serde_json::from_value(p.clone()).unwrap();
            let want = if p[0] * p[1] < 0.0 { 1.0 } else { -1.0 };
            assert!(p[2] * want > 0.8, "{p:?}");
        }
        assert_eq!(report["epochs"], 300);
    }

    #[test]
    fn the_evaluation_budget_caps_each_hop_and_says_so() {
        let (windows, report) = run(&[("infer_period", 1e-5), ("max_evaluations", 100.0)], 0.1);
        for w in &windows {
            let evaluations = net(w).number("evaluations").unwrap();
            assert!(evaluations <= 200.0, "two hops of 100: {evaluations}");
            assert_eq!(net(w).events[0].label, "iteration_limit -> skip_window");
        }
        for e in report["watchdog_events"].as_array().unwrap() {
            assert_eq!(e["value"], 100.0, "{e}");
        }
        // The budget renews at each window close (50, 75, 100 ms): once before the first close,
        // then once per hop.
        assert_eq!(report["watchdog_event_count"], 3);
    }

    #[test]
    fn backprop_learns_it_too() {
        let (windows, _) = run(
            &[
                ("infer_period", 1e-4),
                ("trainer", 1.0),
                ("epochs", 3000.0),
                ("train_period", 1e-4),
            ],
            0.4,
        );
        assert!(accuracy(windows.last().unwrap()) > 0.97);
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let refuse = |k: &str, v: f64| {
            let o: ParamValues = [(k.to_string(), v)].into_iter().collect();
            PRESET
                .build(1, &o)
                .err()
                .unwrap()
                .param()
                .map(str::to_string)
        };
        assert_eq!(refuse("hidden", 0.0).as_deref(), Some("hidden"));
        assert_eq!(refuse("hidden", 1e6).as_deref(), Some("hidden"));
        assert_eq!(
            refuse("learning_rate", 0.0).as_deref(),
            Some("learning_rate")
        );
        assert_eq!(
            refuse("learning_rate", f64::NAN).as_deref(),
            Some("learning_rate")
        );
        assert_eq!(
            refuse("hidden_activation", 6.0).as_deref(),
            Some("hidden_activation")
        );
    }
}
