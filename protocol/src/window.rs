//! What the worker sends when a window closes.

use crate::timing::TimingReport;
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchdogEvent {
    /// Logical time, s.
    pub t_s: f64,
    /// What it saw: `non_finite`, `norm_bound`, `oscillation` or `iteration_limit`.
    pub alarm: String,
    /// What was done: `pause`, `rollback`, `reset` or `skip_window`.
    pub action: String,
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
