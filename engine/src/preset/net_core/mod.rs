//! What the network presets (`xor`, `predict`, `divergence`) share: a ruv-FANN network stepped
//! on the logical clock under a Lipschitz guard and the divergence watchdog, optional training,
//! an evaluation budget per window, and the window summaries.
//!
//! Watchdog actions: `pause` restores the last good snapshot and stops stepping; `rollback`
//! restores it and goes on; `reset` returns to the initial state and weights. A snapshot (state
//! and weights) is taken at every window close with no alarm since the previous one. The state
//! recorded for the windows is always one the watchdog accepted.

use super::inconsistent;
use crate::fann::{
    Action, Alarm, Algorithm, Examples, Guard, GuardKind, LipschitzEstimate, NetError, NetSpec,
    PackedNet, Recovery, Recurrent, Trainer, Watchdog, WatchdogConfig,
};
use crate::models::temporal::TemporalNetwork;
use crate::params::{ParamError, ParamValues};
use crate::rng::{self, Stream};
use crate::simulation::{Model, NetworkSwapError, Report};
use crate::time::{TimePoint, TimeSpan};
use crate::window::{Recent, WindowBounds, WindowConfig, WindowSink};
use panels::Figures;
pub(super) use params::{algorithm, GuardWatchdog, TRAINER_HELP};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::VecDeque;
use tempora_protocol::WindowSummary;

mod panels;
mod params;

/// How a network preset's network is wired and trained.
pub(super) struct NetSetup {
    /// Layers and activations.
    pub spec: NetSpec,
    /// Outputs fed back as the first inputs (0: feedforward).
    pub feedback: usize,
    /// The state (outputs) it starts from.
    pub initial_state: Vec<f64>,
    /// Its trainer, if it trains.
    pub trainer: Option<Algorithm>,
    /// Steps of alternation the watchdog calls an oscillation (0: off).
    pub oscillation_steps: usize,
    /// Initial weights are uniform in `[-init_scale, init_scale]`.
    pub init_scale: f64,
    /// Guard, watchdog and budget.
    pub guard: GuardWatchdog,
}

/// Builds the network with weights uniform in `[-init_scale, init_scale]` drawn from the model's
/// RNG (the seed's [`Stream::InitialWeights`]), under the shared guard, watchdog and budget
/// parameters; also returns the seed's [`Stream::InputNoise`] for the preset's own draws.
pub(super) fn build_core(
    seed: u64,
    setup: NetSetup,
    window: WindowConfig,
) -> Result<(NetCore, ChaCha8Rng), ParamError> {
    let mut initial = rng::rng(seed, Stream::InitialWeights);
    let network = setup
        .spec
        .build(setup.init_scale, &mut initial)
        .map_err(|e| net_param_error("hidden", e))?;
    let net = PackedNet::from_network(&network).map_err(|e| net_param_error("hidden", e))?;
    let net = Recurrent::new(net, setup.feedback, setup.initial_state)
        .map_err(|e| net_param_error("hidden", e))?;
    let (guard, watchdog, budget) = setup.guard.build(setup.oscillation_steps);
    let core = NetCore::new(net, guard, watchdog, budget, setup.trainer, window)
        .map_err(|e| net_param_error("learning_rate", e))?;
    Ok((core, rng::rng(seed, Stream::InputNoise)))
}

/// A network preset's world: a [`NetCore`] and what the preset adds. Every such world is a
/// [`Model`] and a [`WindowSink`] through the core.
pub(super) trait NetWorld {
    /// The network under guard and watchdog.
    fn core(&self) -> &NetCore;
    /// The same, writable.
    fn core_mut(&mut self) -> &mut NetCore;
    /// Takes the preset's live parameters (see [`Model::set_live_params`]).
    fn set_live(&mut self, values: &ParamValues);
    /// Adds the preset's own results to the core's report.
    fn extend_report(&self, _report: &mut Report) {}
}

impl<T: NetWorld> WindowSink for T {
    fn close_window(&mut self, bounds: WindowBounds) {
        self.core_mut().close_window(bounds);
    }
}

impl<T: NetWorld> Model for T {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.core_mut().take_window()
    }

    fn report(&self) -> Report {
        let mut report = self.core().report();
        self.extend_report(&mut report);
        report
    }

    fn halted(&self) -> Option<String> {
        self.core().halted()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        self.set_live(values);
    }

    fn network(&self) -> Option<PackedNet> {
        Some(self.core().net().net().clone())
    }

    fn replace_network(&mut self, net: PackedNet) -> Result<(), NetworkSwapError> {
        self.core_mut().replace_network(net)
    }
}

/// A network error as a refusal of the parameter `name`.
pub(super) fn net_param_error(name: &str, e: NetError) -> ParamError {
    inconsistent(name, e.to_string())
}

/// `activation(steepness)` per weight layer, for messages.
fn describe_activations(net: &PackedNet) -> String {
    (0..net.weight_layers())
        .map(|l| {
            let (f, s) = net.layer_activation(l);
            format!("{}({s})", f.name())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one evaluation left for the windows.
#[derive(Debug, Clone, Copy)]
struct Evaluation {
    output: f64,
    target: Option<f64>,
    baseline: Option<f64>,
    ratio: Option<f64>,
}

/// One alarm of the watchdog and what was done (the run's report lists them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct WatchdogEvent {
    /// Logical time, s.
    t_s: f64,
    /// What it saw.
    alarm: Alarm,
    /// What was done.
    action: Action,
    /// The value that raised it (absent when not finite: JSON has no NaN or infinity).
    value: Option<f64>,
}

impl WatchdogEvent {
    /// `norm_bound -> pause`.
    fn describe(&self) -> String {
        format!("{} -> {}", self.alarm.name(), self.action.name())
    }
}

/// The most watchdog events kept for the run's report.
const MAX_REPORTED_EVENTS: usize = 1000;

/// A network under guard and watchdog, with what its windows need.
pub(super) struct NetCore {
    net: Recurrent,
    guard: Guard,
    lipschitz: LipschitzEstimate,
    watchdog: Watchdog,
    trainer: Option<Trainer>,
    recovery: Recovery,
    halted: bool,
    budget: u64,
    used_in_hop: u64,
    evaluations: u64,
    epochs_at_close: u64,
    training_rmse: Option<f64>,
    window: WindowConfig,
    records: Recent<Evaluation>,
    events: Recent<WatchdogEvent>,
    reported_events: Vec<WatchdogEvent>,
    event_count: u64,
    closed: VecDeque<WindowSummary>,
    classifier: bool,
}

impl NetCore {
    /// Puts `net` under `guard` (projected once now) and a watchdog.
    pub(super) fn new(
        mut net: Recurrent,
        guard: GuardKind,
        watchdog: WatchdogConfig,
        budget: u64,
        trainer: Option<Algorithm>,
        window: WindowConfig,
    ) -> Result<NetCore, NetError> {
        let mut guard = Guard::new(guard, net.net());
        guard.project(net.net_mut());
        let trainer = trainer.map(|a| Trainer::new(a, net.net())).transpose()?;
        let (n_in, n_out) = (net.net().inputs(), net.net().outputs());
        let recovery = Recovery::new(&net);
        Ok(NetCore {
            net,
            guard,
            lipschitz: LipschitzEstimate::new(0.05, n_in, n_out),
            watchdog: Watchdog::new(watchdog),
            trainer,
            recovery,
            halted: false,
            budget,
            used_in_hop: 0,
            evaluations: 0,
            epochs_at_close: 0,
            training_rmse: None,
            window,
            records: Recent::default(),
            events: Recent::default(),
            reported_events: Vec::new(),
            event_count: 0,
            closed: VecDeque::new(),
            classifier: false,
        })
    }

    /// Reports accuracy (output and target of the same sign) in the windows: for classifiers.
    pub(super) fn classifying(mut self) -> Self {
        self.classifier = true;
        self
    }

    /// The network.
    pub(super) fn net(&self) -> &Recurrent {
        &self.net
    }

    /// Steps the network on `external` at `t`. Returns the accepted state, or `None` when paused,
    /// over budget, or when the watchdog raised an alarm (then it has acted).
    pub(super) fn step(&mut self, t: TimePoint, external: &[f64], dt: TimeSpan) -> Option<&[f64]> {
        if self.halted {
            return None;
        }
        if self.used_in_hop >= self.budget {
            if self.used_in_hop == self.budget {
                self.used_in_hop += 1;
                self.raise(
                    t,
                    Alarm::IterationLimit,
                    self.budget as f64,
                    Action::SkipWindow,
                );
            }
            return None;
        }
        self.used_in_hop += 1;
        self.evaluations += 1;
        self.net.step(external, dt);
        if let Some((alarm, value)) = self.watchdog.check(self.net.state()) {
            self.act(t, alarm, value);
            return None;
        }
        Some(self.net.state())
    }

    /// Records an accepted evaluation for the windows: output 0, its target and the baseline's
    /// prediction, if any. Updates the Lipschitz estimate from the step's input and output.
    pub(super) fn record(&mut self, t: TimePoint, target: Option<f64>, baseline: Option<f64>) {
        let ratio = self
            .lipschitz
            .update(self.net.last_input(), self.net.state());
        self.records.push(
            t,
            Evaluation {
                output: self.net.state()[0],
                target,
                baseline,
                ratio,
            },
        );
    }

    /// Trains `epochs` epochs on `data` (the guard projects after every update), unless paused.
    /// Weights that stop being finite raise a `non_finite` alarm.
    pub(super) fn train(&mut self, t: TimePoint, data: &Examples, epochs: u32) {
        let Some(trainer) = self.trainer.as_mut() else {
            return;
        };
        if self.halted {
            return;
        }
        for _ in 0..epochs {
            trainer.train_epoch(self.net.net_mut(), data, &mut self.guard);
        }
        if let Some(&bad) = self.net.net().weights().iter().find(|w| !w.is_finite()) {
            self.act(t, Alarm::NonFinite, bad);
            return;
        }
        self.training_rmse = Some(data.rmse(self.net.net_mut()));
    }

    fn act(&mut self, t: TimePoint, alarm: Alarm, value: f64) {
        let action = self.watchdog.config().action;
        self.raise(t, alarm, value, action);
        self.halted |= self.recovery.recover(action, &mut self.net);
        if let Some(trainer) = self.trainer.as_mut() {
            trainer.reset();
        }
        self.watchdog.forget();
        self.lipschitz.forget_previous();
    }

    fn raise(&mut self, t: TimePoint, alarm: Alarm, value: f64, action: Action) {
        let event = WatchdogEvent {
            t_s: t.as_secs_f64(),
            alarm,
            action,
            value: value.is_finite().then_some(value),
        };
        self.events.push(t, event);
        self.event_count += 1;
        if self.reported_events.len() < MAX_REPORTED_EVENTS {
            self.reported_events.push(event);
        }
    }

    /// Summarises the window `bounds` and keeps the summary.
    pub(super) fn close_window(&mut self, bounds: WindowBounds) {
        let records: Vec<&(TimePoint, Evaluation)> = self.records.within(bounds).collect();
        let rms = |f: &dyn Fn(&Evaluation) -> Option<f64>| {
            let errors: Vec<f64> = records.iter().filter_map(|(_, e)| f(e)).collect();
            (!errors.is_empty())
                .then(|| (errors.iter().map(|d| d * d).sum::<f64>() / errors.len() as f64).sqrt())
        };
        let rmse = rms(&|e| e.target.map(|t| e.output - t));
        let baseline_rmse = rms(&|e| Some(e.baseline? - e.target?));
        let with_target = records.iter().filter(|(_, e)| e.target.is_some()).count();
        let accuracy = (self.classifier && with_target > 0).then(|| {
            records
                .iter()
                .filter(|(_, e)| e.target.is_some_and(|t| t * e.output > 0.0))
                .count() as f64
                / with_target as f64
        });
        let max_ratio = records
            .iter()
            .filter_map(|(_, e)| e.ratio)
            .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
        let (bound, layer_norms) = self.guard.network_bound(self.net.net());
        let events: Vec<WatchdogEvent> = self.events.within(bounds).map(|(_, e)| *e).collect();
        let state_norm = libm::sqrt(self.net.state().iter().map(|v| v * v).sum());
        let estimate = self.lipschitz.estimate();

        let figures = Figures {
            rmse,
            baseline_rmse,
            accuracy,
            estimate,
            bound,
            state_norm,
            max_ratio,
        };
        let content = self.content(&records, &figures, &events, &layer_norms);
        if let Some(tr) = &self.trainer {
            self.epochs_at_close = tr.epochs();
        }

        self.records.release(bounds, &self.window);
        self.events.release(bounds, &self.window);
        self.used_in_hop = 0;
        self.recovery.window_closed(&self.net);
        self.closed.push_back(WindowSummary {
            index: bounds.index,
            start_ns: bounds.start.0,
            end_ns: bounds.end.0,
            data: content,
            timing: None,
        });
    }

    /// The oldest closed window not yet taken.
    pub(super) fn take_window(&mut self) -> Option<WindowSummary> {
        self.closed.pop_front()
    }

    /// The run's results: final weights, state, watchdog events, evaluations, Lipschitz bound.
    pub(super) fn report(&self) -> Report {
        let mut r = Report::new();
        r.insert("evaluations".into(), self.evaluations.into());
        r.insert("final_state".into(), self.net.state().to_vec().into());
        r.insert(
            "final_weights".into(),
            self.net.net().weights().to_vec().into(),
        );
        r.insert("watchdog_event_count".into(), self.event_count.into());
        r.insert(
            "watchdog_events".into(),
            serde_json::to_value(&self.reported_events).unwrap_or_default(),
        );
        r.insert("halted".into(), self.halted.into());
        r.insert(
            "lipschitz_estimate".into(),
            self.lipschitz.estimate().into(),
        );
        if let Some(tr) = &self.trainer {
            r.insert("epochs".into(), tr.epochs().into());
        }
        if let Some(rmse) = self.training_rmse {
            r.insert("training_rmse".into(), rmse.into());
        }
        r
    }

    /// Replaces the network with `net` of the same shape and activations (e.g. one trained
    /// before and saved), and makes it the initial and snapshot network.
    pub(super) fn replace_network(&mut self, mut net: PackedNet) -> Result<(), NetworkSwapError> {
        let ours = self.net.net();
        let same_activations = (0..ours.weight_layers()).all(|l| {
            l < net.weight_layers() && ours.layer_activation(l) == net.layer_activation(l)
        });
        if net.sizes() != ours.sizes() || !same_activations {
            return Err(NetworkSwapError::Shape {
                found: net.sizes().to_vec(),
                found_activations: describe_activations(&net),
                needed: ours.sizes().to_vec(),
                needed_activations: describe_activations(ours),
            });
        }
        self.guard.project(&mut net);
        let weights = net.weights().to_vec();
        self.net
            .net_mut()
            .set_weights(&weights)
            .expect("same shape, finite weights");
        self.recovery.replace_weights(&weights);
        Ok(())
    }

    /// Changes the trainer's learning rate (validated by the parameter's range first).
    pub(super) fn set_learning_rate(&mut self, rate: f64) {
        if let Some(trainer) = self.trainer.as_mut() {
            trainer
                .set_learning_rate(rate)
                .expect("a range-checked learning rate");
        }
    }

    /// Why the watchdog paused the network, if it did.
    pub(super) fn halted(&self) -> Option<String> {
        let event = self.halted.then(|| self.reported_events.last()).flatten()?;
        Some(format!(
            "the watchdog paused the network at t = {:.6} s ({}{}); Reset to run again",
            event.t_s,
            event.alarm.name(),
            event.value.map_or(String::new(), |v| format!(": {v:.4e}")),
        ))
    }

    /// Replaces the state (fault injection).
    pub(super) fn inject_state(&mut self, state: &[f64]) {
        self.net.set_state(state);
    }
}
