//! The messages between the UI and the worker: plain, versioned, serde types.
//!
//! Every message travels in an [`Envelope`] with the protocol version `v`. A receiver first reads
//! only `v` (so a message from another version gets a clear "version" error, not a confusing
//! decoding error), then the body. Decoding never panics: anything malformed becomes an
//! [`Event::Error`] reply.

use crate::params::{ParamSpec, ParamValues, Unit};
use crate::runner::{Pacing, TimingReport};
use serde::{Deserialize, Serialize};

/// The version both sides must speak. Bump it on any incompatible change to these types.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message with its protocol version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Protocol version, [`PROTOCOL_VERSION`].
    pub v: u32,
    /// The message.
    pub msg: T,
}

impl<T> Envelope<T> {
    /// Wraps `msg` at the current protocol version.
    pub fn new(msg: T) -> Self {
        Envelope {
            v: PROTOCOL_VERSION,
            msg,
        }
    }
}

/// Only the version of an envelope, read before the body.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct VersionProbe {
    /// The sender's protocol version.
    pub v: u32,
}

/// UI -> worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Build a new run of `preset` (replacing the current one, paused at t = 0).
    Configure {
        /// Preset name, e.g. `tick`.
        preset: String,
        /// RNG seed (whole number < 2^53 so it survives JavaScript numbers).
        seed: u64,
        /// Parameter overrides in SI units; missing ones take their defaults.
        params: ParamValues,
    },
    /// Run, paced as set by [`Command::SetPacing`].
    Start,
    /// Stop running; the state is kept.
    Pause,
    /// Run until the next window closes, then pause.
    Step,
    /// Rebuild the current run from its parameters and seed, paused at t = 0.
    Reset,
    /// Change how logical time is paced against the wall clock.
    SetPacing {
        /// The new pacing.
        pacing: Pacing,
    },
    /// Change live parameters (those the preset marks `live`) of the running model at the next
    /// window boundary, without restarting. Validated at once; a refusal changes nothing.
    SetLiveParams {
        /// New values, SI.
        params: ParamValues,
    },
    /// Run until this much logical time has passed since t = 0 (then the run is finished), or
    /// without end (`None`). Kept across Reset and Configure.
    SetDuration {
        /// Logical seconds, > 0 and at most [`crate::session::MAX_DURATION_S`].
        duration_s: Option<f64>,
    },
    /// The UI has taken window `index` of run `run_id` (and every earlier one): flow control.
    /// A worker with a window credit (see `Session::with_window_credit`) sends no more than
    /// that many windows ahead of these acknowledgements, so a page that cannot keep up gets
    /// fewer windows (skipped, counted as "not sent") instead of an unbounded message queue.
    Ack {
        /// The run the window belongs to ([`Status::run_id`]); acks of older runs are ignored.
        run_id: u64,
        /// The window's index.
        index: u64,
    },
    /// Are you alive? Answered with [`Event::Pong`] carrying the same `id`, and nothing else
    /// (the UI's heartbeat: a worker that stops answering is reported dead).
    Ping {
        /// Echoed back.
        id: u64,
    },
}

impl Command {
    /// Whether handling it builds a run (a new run, or a throwaway one that checks live
    /// values), which may train networks for seconds.
    pub fn builds_a_run(&self) -> bool {
        matches!(
            self,
            Command::Configure { .. } | Command::Reset | Command::SetLiveParams { .. }
        )
    }
}

/// Worker -> UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The worker's wasm has started and it accepts commands (nothing sent before this is seen).
    Ready {
        /// The worker's protocol version.
        protocol: u32,
        /// Whether the worker's global scope is cross-origin isolated (5 us clock instead of 100 us).
        cross_origin_isolated: bool,
        /// How the worker waits between due tasks, e.g. `timer` or `atomics-wait+spin`.
        wait_method: String,
        /// Helper workers it starts for a swarm's parts (`shards`) on the first run that asks;
        /// 0 where memory cannot be shared.
        #[serde(default)]
        helpers: u32,
        /// The presets it can run.
        presets: Vec<PresetInfo>,
    },
    /// The run's state changed (also sent after every command that changes it).
    Status(Status),
    /// A window closed (boxed: it is much larger than the other events).
    Window(Box<WindowSummary>),
    /// A command was refused or something failed; nothing else changed.
    Error {
        /// What went wrong, for people.
        message: String,
        /// The parameter it is about, if any (the UI shows the message next to that field).
        param: Option<String>,
    },
    /// The worker starts building a run (for a command that [`Command::builds_a_run`]):
    /// training can take seconds, during which it cannot answer pings. The reply to the
    /// command (a status or an error) ends it.
    Building,
    /// The answer to [`Command::Ping`].
    Pong {
        /// The ping's `id`.
        id: u64,
    },
    /// The worker hit a bug (a panic) and cannot go on; the UI should say so and offer a restart.
    Fatal {
        /// The panic message.
        message: String,
    },
}

/// A preset's name, description and parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresetInfo {
    /// The name used in commands and the CLI.
    pub name: String,
    /// One line on what it shows.
    pub description: String,
    /// Its parameters.
    pub params: Vec<ParamInfo>,
}

/// A parameter as the UI shows it: an owned copy of a [`ParamSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    /// Its name.
    pub name: String,
    /// Its dimension (fixes the SI unit).
    pub unit: Unit,
    /// Default, SI.
    pub default: f64,
    /// Smallest valid value, SI.
    pub min: f64,
    /// Largest valid value, SI.
    pub max: f64,
    /// One line on what it does.
    pub help: String,
    /// For a choice: the options' names (the value is the index); empty otherwise.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Whether it can change during a run (at the next window boundary).
    #[serde(default)]
    pub live: bool,
}

impl From<&ParamSpec> for ParamInfo {
    fn from(spec: &ParamSpec) -> Self {
        ParamInfo {
            name: spec.name.to_string(),
            unit: spec.unit,
            default: spec.default,
            min: spec.min,
            max: spec.max,
            help: spec.help.to_string(),
            choices: spec.choices.iter().map(|c| c.to_string()).collect(),
            live: false,
        }
    }
}

/// Whether a run is moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Configured, not running.
    Paused,
    /// Running.
    Running,
    /// Nothing more is scheduled (or the set duration is reached).
    Finished,
}

/// A snapshot of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Running, paused or finished.
    pub state: RunState,
    /// The preset.
    pub preset: String,
    /// The seed.
    pub seed: u64,
    /// Every parameter, SI.
    pub params: ParamValues,
    /// Logical time, ns.
    pub now_ns: u64,
    /// The pacing in force.
    pub pacing: Pacing,
    /// The logical time the run stops at, ns, if a duration is set.
    pub stop_at_ns: Option<u64>,
    /// Live parameter changes accepted and waiting for the next window boundary.
    #[serde(default)]
    pub pending_live: ParamValues,
    /// Counts Configure and Reset: a new number means a new run (the UI clears its plots).
    #[serde(default)]
    pub run_id: u64,
}

/// What the UI receives when a window closes. `data` is deterministic (same seed, same bits on
/// every platform); `timing` is measured against the wall clock and is not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowSummary {
    /// 0 for the first window.
    pub index: u64,
    /// Window start, ns of logical time.
    pub start_ns: u64,
    /// Window end (exclusive), ns of logical time.
    pub end_ns: u64,
    /// The model's content of the window.
    pub data: WindowData,
    /// The scheduler's timing over the slices that produced this window.
    pub timing: Option<TimingReport>,
}

/// A preset's content of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WindowData {
    /// The tick demo: samples of a seeded random walk.
    Trace {
        /// `(t in s, value)` pairs inside the window, in time order.
        points: Vec<[f64; 2]>,
        /// Mean of the window's samples, blended with the previous window's carried mean
        /// (see `preset::tick`).
        blended_mean: f64,
    },
    /// A spiking preset (boxed: much larger than a trace).
    Spiking(Box<SpikeWindow>),
    /// A ruv-FANN network preset (boxed).
    Network(Box<NetWindow>),
    /// The micro-net swarm (boxed).
    Swarm(Box<SwarmWindow>),
}

/// What the swarm shows of one window (see `tempora_engine::swarm`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwarmWindow {
    /// The vote over the window, at most [`SwarmWindow::MAX_SAMPLES`] evenly spaced samples.
    pub samples: Vec<SwarmSample>,
    /// What the governor decided.
    #[serde(flatten)]
    pub decision: SwarmDecision,
    /// The true regime (the majority of the window's samples).
    pub truth: u8,
    /// Mean over the window of `1 - p(true regime)`: the swarm's residual against the truth.
    pub residual: f64,
    /// Samples in the window with an anomaly in progress.
    pub anomalies: u64,
    /// The backstop prior's weight in the vote at the window's end.
    pub prior_weight: f64,
    /// Member evaluations in the window.
    pub evaluations: u64,
    /// Running totals since the start.
    pub totals: SwarmTotals,
}

impl SwarmWindow {
    /// The most samples a window carries.
    pub const MAX_SAMPLES: usize = 250;
}

/// What the swarm's governor decided for one window (see `tempora_engine::swarm::governor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwarmDecision {
    /// The window's distribution over the two regimes (prior-blended swarm vote).
    pub distribution: [f64; 2],
    /// Lower 95 % bound of the winning regime's probability.
    pub confidence: f64,
    /// Jensen-Shannon divergence to the previous window's distribution, bits (none for the
    /// first window).
    pub jsd: Option<f64>,
    /// Why the window was escalated to the backstop, if it was.
    pub escalated: Option<String>,
    /// The swarm's label.
    pub swarm_label: u8,
    /// The backstop's label (computed for every window: the always-escalate baseline).
    pub backstop_label: u8,
    /// The label given: the backstop's if escalated, else the swarm's.
    pub label: u8,
}

/// One sample of the swarm's vote and the stream.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SwarmSample {
    /// Logical time, s.
    pub t_s: f64,
    /// Probability of regime 1 (prior-blended vote).
    pub p1: f64,
    /// 95 % interval of `p1`.
    pub low: f64,
    /// 95 % interval of `p1`.
    pub high: f64,
    /// The true regime.
    pub truth: u8,
    /// Channel 0 of the stream.
    pub value: f64,
    /// Whether an anomaly is in progress.
    pub anomaly: bool,
}

/// The swarm's running totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SwarmTotals {
    /// Windows decided.
    pub windows: u64,
    /// Windows escalated.
    pub escalations: u64,
    /// Windows labelled right by swarm + backstop (the governed system).
    pub right_governed: u64,
    /// Windows the swarm alone labelled right.
    pub right_swarm: u64,
    /// Windows the backstop alone labelled right (always-escalate baseline).
    pub right_backstop: u64,
    /// Member evaluations.
    pub evaluations: u64,
    /// Multiply-adds of the swarm.
    pub swarm_macs: u64,
    /// Multiply-adds of the backstop on escalated windows.
    pub escalated_macs: u64,
    /// Multiply-adds of the backstop on every window (the baseline's cost).
    pub baseline_macs: u64,
}

impl SwarmTotals {
    /// Fraction of the baseline's compute that swarm + escalations did not need.
    pub fn compute_saved(&self) -> f64 {
        1.0 - (self.swarm_macs + self.escalated_macs) as f64 / self.baseline_macs.max(1) as f64
    }

    /// `count / windows`.
    pub fn rate(&self, count: u64) -> f64 {
        count as f64 / self.windows.max(1) as f64
    }
}

/// What a network preset shows of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetWindow {
    /// Output 0 (and its target) over the window, at most [`NetWindow::MAX_SAMPLES`] evenly
    /// spaced evaluations.
    pub samples: Vec<NetSample>,
    /// Network evaluations in the window.
    pub evaluations: u64,
    /// RMS error of output 0 against its target over every evaluation with one.
    pub rmse: Option<f64>,
    /// RMS error of the preset's baseline over the same evaluations (`predict`: the last
    /// sample as the prediction).
    pub baseline_rmse: Option<f64>,
    /// Fraction of evaluations whose output has its target's sign (`xor`).
    pub accuracy: Option<f64>,
    /// Training in the window, if the preset trains.
    pub training: Option<TrainingWindow>,
    /// Lipschitz estimate and bound.
    pub lipschitz: LipschitzWindow,
    /// Euclidean norm of the network's state (its outputs) at the window's end.
    pub state_norm: f64,
    /// What the divergence watchdog did.
    pub watchdog: WatchdogWindow,
}

impl NetWindow {
    /// The most samples a window carries.
    pub const MAX_SAMPLES: usize = 400;
}

/// One evaluation of a network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NetSample {
    /// Logical time, s.
    pub t_s: f64,
    /// Output 0.
    pub output: f64,
    /// Its target, if the preset has one.
    pub target: Option<f64>,
}

/// Training progress in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingWindow {
    /// `rprop` or `backprop`.
    pub algorithm: String,
    /// Epochs trained in the window.
    pub epochs: u64,
    /// Epochs trained since the start.
    pub total_epochs: u64,
    /// RMS error of the network's predictions on its training set after the last epoch.
    pub rmse: Option<f64>,
}

/// The network's Lipschitz constant in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LipschitzWindow {
    /// The guard (`none`, `clip`, `spectral`).
    pub guard: String,
    /// The online estimate (exponentially weighted ratio of output to input distance) at the
    /// window's end.
    pub estimate: Option<f64>,
    /// The largest ratio seen in the window.
    pub max_ratio: Option<f64>,
    /// Upper bound at the window's end: product over layers of spectral norm x activation slope.
    pub bound: f64,
    /// Spectral norm of each layer's weights (bias excluded) at the window's end.
    pub layer_norms: Vec<f64>,
}

/// The watchdog in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchdogWindow {
    /// The first events of the window (at most [`WatchdogWindow::MAX_EVENTS`]).
    pub events: Vec<WatchdogEvent>,
    /// All events in the window.
    pub count: u64,
    /// Whether the network is paused by the watchdog at the window's end.
    pub halted: bool,
}

impl WatchdogWindow {
    /// The most events a window lists.
    pub const MAX_EVENTS: usize = 16;
}

/// One alarm of the watchdog and what was done.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WatchdogEvent {
    /// Logical time, s.
    pub t_s: f64,
    /// What it saw.
    pub alarm: crate::fann::Alarm,
    /// What was done.
    pub action: crate::fann::Action,
    /// The value that raised it (absent when not finite: JSON has no NaN or infinity).
    pub value: Option<f64>,
}

/// What a spiking preset shows of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpikeWindow {
    /// Output spikes in the window: `(t in s, neuron index)`, in time order.
    pub output_spikes: Vec<(f64, u32)>,
    /// Output firing rate over the window, Hz (per output neuron).
    pub output_rate_hz: f64,
    /// Input spikes over all inputs in the window.
    pub input_spikes: u64,
    /// Binned spikes of the first inputs, for the raster plot.
    pub raster: Raster,
    /// Membrane potential of output neuron 0, sampled: `(t in s, v in V)`.
    pub membrane: Vec<[f64; 2]>,
    /// Distribution of plastic weights at the window's end, if the preset has plasticity.
    pub weights: Option<WeightHistogram>,
    /// Phases of the output spikes against the preset's oscillation, if it has one.
    pub phase: Option<PhaseWindow>,
}

/// Spike counts per (row, time bin), row-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Raster {
    /// Rows (inputs shown).
    pub rows: u32,
    /// Time bins per row.
    pub bins: u32,
    /// Start of the first bin, s.
    pub start_s: f64,
    /// Bin width, s.
    pub bin_s: f64,
    /// `rows * bins` counts.
    pub counts: Vec<u16>,
}

/// A histogram of weights over `[0, wmax]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightHistogram {
    /// Upper bound of the weights (same unit as the weights).
    pub wmax: f64,
    /// Counts in equal bins over `[0, wmax]`.
    pub counts: Vec<u32>,
    /// Mean weight.
    pub mean: f64,
    /// Fraction of weights within 10 % of `wmax` of 0 and of `wmax`.
    pub near_bounds: (f64, f64),
}

/// Circular statistics of output spike phases in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseWindow {
    /// The oscillation's frequency, Hz.
    pub frequency_hz: f64,
    /// Counts in equal phase bins over [0, 360) degrees.
    pub histogram: Vec<u32>,
    /// Circular mean phase, degrees, if any spike.
    pub circular_mean_deg: Option<f64>,
    /// Vector strength, 0..1.
    pub vector_strength: f64,
    /// The phase the bias rule pulls toward, degrees, if it is on.
    pub target_deg: Option<f64>,
}
