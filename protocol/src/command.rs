//! UI -> worker: what the UI asks of the worker.

use crate::model::NetworkModel;
use crate::pacing::Pacing;
use crate::param::ParamValues;
use serde::{Deserialize, Serialize};

/// Longest duration a run may be set to: one day of logical time.
pub const MAX_DURATION_S: f64 = 86_400.0;
/// The preset name in the status of a run configured from a model file
/// ([`Command::ConfigureModel`]).
pub const MODEL_RUN: &str = "model";
/// Largest seed accepted: 2^53 - 1, so it survives a round trip through JavaScript numbers.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// UI -> worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Build a new run of `preset` (replacing the current one, paused at t = 0).
    Configure {
        /// Preset name, e.g. `stdp` (old names are aliases, see the engine's `preset::find`).
        preset: String,
        /// RNG seed (whole number < 2^53 so it survives JavaScript numbers).
        seed: u64,
        /// Parameter overrides in SI units; missing ones take their defaults.
        params: ParamValues,
    },
    /// Build a new run of a network model file (replacing the current one, paused at t = 0).
    /// Its status names the preset [`MODEL_RUN`]; it has no live parameters (a changed model is
    /// configured again: the network is rebuilt). A refusal names the model's field by its JSON
    /// path (`populations[1].size`).
    ConfigureModel {
        /// The model (boxed: much larger than the other commands).
        model: Box<NetworkModel>,
        /// RNG seed (whole number < 2^53).
        seed: u64,
    },
    /// Record the membrane of neuron `neuron` of LIF population `population` (a network run):
    /// from the next step it is a line of the membrane plot, in place of that population's
    /// previous one (at most two lines). It changes what is recorded, not the run.
    Probe {
        /// The population's name.
        population: String,
        /// The neuron's index in it.
        neuron: u32,
    },
    /// Send the spikes the current network run has logged ([`crate::Event::Spikes`]).
    ExportSpikes,
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
        /// Logical seconds, > 0 and at most [`MAX_DURATION_S`].
        duration_s: Option<f64>,
    },
    /// The UI has taken window `index` of run `run_id` (and every earlier one): flow control.
    /// A worker with a window credit (see `Session::with_window_credit`) sends no more than
    /// that many windows ahead of these acknowledgements, so a page that cannot keep up gets
    /// fewer windows (skipped, counted as "not sent") instead of an unbounded message queue.
    Ack {
        /// The run the window belongs to ([`crate::Status::run_id`]); acks of older runs are ignored.
        run_id: u64,
        /// The window's index.
        index: u64,
    },
    /// Are you alive? Answered with [`crate::Event::Pong`] carrying the same `id`, and nothing else
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
            Command::Configure { .. }
                | Command::ConfigureModel { .. }
                | Command::Reset
                | Command::SetLiveParams { .. }
        )
    }
}
