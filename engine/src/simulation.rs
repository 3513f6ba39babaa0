//! A running model behind one object-safe trait, so the worker, the CLI and the runner treat
//! every preset alike.

use crate::fann::PackedNet;
use crate::params::ParamValues;
use crate::scheduler::{Dispatched, Scheduler};
use crate::time::TimePoint;
use crate::window::WindowSink;
use sha2::{Digest, Sha256};
use tempora_protocol::WindowSummary;
use thiserror::Error;

/// Preset-specific results of a whole run (e.g. final weights), for the CLI's JSON.
pub type Report = serde_json::Map<String, serde_json::Value>;

/// A model world that keeps the summaries of the windows it closed until they are taken.
pub trait Model: WindowSink {
    /// The oldest closed window not yet taken.
    fn take_window(&mut self) -> Option<WindowSummary>;
    /// Results of the run so far beyond the windows (empty by default).
    fn report(&self) -> Report {
        Report::new()
    }
    /// Why the model stopped itself, if it did (e.g. the watchdog paused its network).
    fn halted(&self) -> Option<String> {
        None
    }
    /// Takes new values of the preset's live parameters (validated, SI) at a window boundary.
    /// Presets without live parameters are never called.
    fn set_live_params(&mut self, _values: &ParamValues) {}
    /// Records the membrane of neuron `neuron` of `population` from the next step (network
    /// runs), or says why not.
    fn probe(&mut self, _population: &str, _neuron: u32) -> Result<(), String> {
        Err("this run has no neuron populations to pick from".to_string())
    }
    /// The neurons picked with [`Model::probe`], the newest first.
    fn probes(&self) -> Vec<tempora_protocol::PickedNeuron> {
        Vec::new()
    }
    /// The spikes the run logged for export (network runs).
    fn spikes(&self) -> Option<tempora_protocol::spikes::SpikeTable> {
        None
    }
    /// The model's network as it is now, for presets that have one.
    fn network(&self) -> Option<PackedNet> {
        None
    }
    /// Replaces the model's network (same shape and activations) before the run starts, or
    /// says why not; a refusal changes nothing.
    fn replace_network(&mut self, _net: PackedNet) -> Result<(), NetworkSwapError> {
        Err(NetworkSwapError::NoNetwork)
    }
}

/// Why a network from a file cannot take the place of a run's network.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NetworkSwapError {
    /// The preset has no network.
    #[error("this preset has no network")]
    NoNetwork,
    /// The run has started: its network is in use.
    #[error("a network can only be replaced before the run starts")]
    Started,
    /// The file's network has another shape or other activations.
    #[error("the file's network has layers {found:?} and activations {found_activations}; this run needs layers {needed:?} and activations {needed_activations}")]
    Shape {
        /// The file's layer sizes.
        found: Vec<usize>,
        /// The file's activations, per layer.
        found_activations: String,
        /// The run's layer sizes.
        needed: Vec<usize>,
        /// The run's activations, per layer.
        needed_activations: String,
    },
}

/// A preset's scheduler and world, stepped one task at a time.
pub trait Simulation {
    /// The current logical time.
    fn now(&self) -> TimePoint;
    /// The due time of the next task, if any.
    fn next_due(&mut self) -> Option<TimePoint>;
    /// Runs the next task if it is due at or before `limit`.
    fn run_next(&mut self, limit: TimePoint) -> Option<Dispatched>;
    /// The oldest closed window not yet taken (its `timing` is `None`; the runner fills it).
    fn take_window(&mut self) -> Option<WindowSummary>;
    /// Results of the run so far beyond the windows.
    fn report(&self) -> Report;
    /// Why the model stopped itself, if it did: runs end at the next window close.
    fn halted(&self) -> Option<String>;
    /// Takes new values of the preset's live parameters (validated, SI) at a window boundary.
    fn set_live_params(&mut self, values: &ParamValues);
    /// Records the membrane of a neuron from the next step ([`Model::probe`]).
    fn probe(&mut self, population: &str, neuron: u32) -> Result<(), String>;
    /// The neurons picked so far ([`Model::probes`]).
    fn probes(&self) -> Vec<tempora_protocol::PickedNeuron>;
    /// The spikes the run logged for export ([`Model::spikes`]).
    fn spikes(&self) -> Option<tempora_protocol::spikes::SpikeTable>;
    /// The model's network as it is now, if it has one.
    fn network(&self) -> Option<PackedNet>;
    /// Replaces the model's network (same shape) before the run starts, or says why not.
    fn replace_network(&mut self, net: PackedNet) -> Result<(), NetworkSwapError>;
}

/// The one implementation of [`Simulation`]: a scheduler over a world.
pub struct Sim<W> {
    scheduler: Scheduler<W>,
    world: W,
}

impl<W: Model> Sim<W> {
    /// Pairs a scheduler (with its tasks already scheduled) with their world.
    pub fn new(scheduler: Scheduler<W>, world: W) -> Self {
        Sim { scheduler, world }
    }

    /// The world, for inspection in tests.
    pub fn world(&self) -> &W {
        &self.world
    }
}

impl<W: Model> Simulation for Sim<W> {
    fn now(&self) -> TimePoint {
        self.scheduler.now()
    }

    fn next_due(&mut self) -> Option<TimePoint> {
        self.scheduler.next_due()
    }

    fn run_next(&mut self, limit: TimePoint) -> Option<Dispatched> {
        self.scheduler.run_next(&mut self.world, limit)
    }

    fn take_window(&mut self) -> Option<WindowSummary> {
        self.world.take_window()
    }

    fn report(&self) -> Report {
        self.world.report()
    }

    fn halted(&self) -> Option<String> {
        self.world.halted()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        self.world.set_live_params(values)
    }

    fn probe(&mut self, population: &str, neuron: u32) -> Result<(), String> {
        self.world.probe(population, neuron)
    }

    fn probes(&self) -> Vec<tempora_protocol::PickedNeuron> {
        self.world.probes()
    }

    fn spikes(&self) -> Option<tempora_protocol::spikes::SpikeTable> {
        self.world.spikes()
    }

    fn network(&self) -> Option<PackedNet> {
        self.world.network()
    }

    fn replace_network(&mut self, net: PackedNet) -> Result<(), NetworkSwapError> {
        if self.scheduler.now() != TimePoint::ZERO {
            return Err(NetworkSwapError::Started);
        }
        self.world.replace_network(net)
    }
}

/// Runs `sim` without pacing until logical time `end` (inclusive), or until the window close
/// after the model halted itself, and returns every window closed on the way. No clock is read:
/// this is the reference run that every platform must reproduce bit for bit.
pub fn run_to(sim: &mut dyn Simulation, end: TimePoint) -> Vec<WindowSummary> {
    let mut windows = Vec::new();
    while sim.run_next(end).is_some() {
        if let Some(window) = sim.take_window() {
            windows.push(window);
            if sim.halted().is_some() {
                break;
            }
        }
    }
    windows
}

/// A SHA-256 over the deterministic content (`index`, bounds, `data`) of `windows`, in hex.
/// Wall-clock timing is left out: it differs between runs by nature.
pub fn content_hash(windows: &[WindowSummary]) -> String {
    let mut hasher = Sha256::new();
    for w in windows {
        hasher.update(w.index.to_le_bytes());
        hasher.update(w.start_ns.to_le_bytes());
        hasher.update(w.end_ns.to_le_bytes());
        // serde_json writes floats with ryu: the shortest text that round-trips, so equal text
        // means bit-equal values.
        let json = serde_json::to_vec(&w.data).expect("window data serialises");
        hasher.update((json.len() as u64).to_le_bytes());
        hasher.update(json);
    }
    to_hex(&hasher.finalize())
}

/// Lower-case hex of `bytes`.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
