//! Worker -> UI: what the worker reports, and the run's status.

use crate::pacing::Pacing;
use crate::param::{ParamInfo, ParamValues};
use crate::window::WindowSummary;
use serde::{Deserialize, Serialize};

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
        /// The gallery of shipped models.
        #[serde(default)]
        gallery: Vec<crate::gallery::Example>,
    },
    /// The run's state changed (also sent after every command that changes it).
    Status(Status),
    /// The network model of the run just built (after every Configure, ConfigureModel and
    /// Reset, before its status): what the editor shows and the exports write; `None` when the
    /// run is not a network.
    Model {
        /// The run it belongs to ([`Status::run_id`]).
        run_id: u64,
        /// The model (boxed: it is much larger than the other events).
        model: Option<Box<crate::model::NetworkModel>>,
    },
    /// The answer to [`crate::Command::ExportSpikes`]: every spike the run has logged.
    Spikes(Box<crate::spikes::SpikeTable>),
    /// A window closed (boxed: it is much larger than the other events).
    Window(Box<WindowSummary>),
    /// A command was refused or something failed; nothing else changed.
    Error {
        /// What went wrong, for people.
        message: String,
        /// The parameter it is about, if any (the UI shows the message next to that field).
        param: Option<String>,
    },
    /// The worker starts building a run (for a command that [`crate::Command::builds_a_run`]):
    /// training can take seconds, during which it cannot answer pings. The reply to the
    /// command (a status or an error) ends it.
    Building,
    /// The answer to [`crate::Command::Ping`].
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
    /// Neurons picked for their membrane (`Command::Probe`), the newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<PickedNeuron>,
}

/// A neuron picked for its membrane trace: a population and an index in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickedNeuron {
    /// The population's name.
    pub population: String,
    /// The neuron's index in it.
    pub neuron: u32,
}
