//! The dashboard's state as signals, and how each worker event changes it.

use crate::heartbeat::Heartbeat;
use crate::history::History;
use crate::worker_client::Incoming;
use leptos::prelude::*;
use tempora_protocol::{Command, Event, Example, NetworkModel, PresetInfo, Status};

/// The worker's life, as the UI knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerLife {
    /// Spawned, `ready` not yet received; nothing may be sent.
    Starting,
    /// Accepting commands.
    Ready {
        /// Whether the worker's scope is cross-origin isolated.
        isolated: bool,
        /// How the worker waits between due tasks.
        wait_method: String,
        /// Helper workers for the swarm's parts.
        helpers: u32,
    },
    /// It panicked, failed to load or raised an uncaught error.
    Dead(String),
}

/// A refusal from the engine, shown next to the field it names (or above the form).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The parameter, if the engine named one.
    pub param: Option<String>,
    /// The engine's message.
    pub message: String,
}

/// Everything the dashboard shows, as signals (all `Copy`).
#[derive(Clone, Copy)]
pub struct DashboardState {
    /// The worker's life.
    pub life: RwSignal<WorkerLife>,
    /// The last status the worker sent.
    pub status: RwSignal<Option<Status>>,
    /// Recent windows.
    pub history: RwSignal<History>,
    /// The last refusal or problem, until the next accepted command.
    pub refusal: RwSignal<Option<Refusal>>,
    /// The presets the worker offers.
    pub presets: RwSignal<Vec<PresetInfo>>,
    /// The gallery of shipped models the worker offers.
    pub gallery: RwSignal<Vec<Example>>,
    /// The network model of the current run (none when it is not a network).
    pub model: RwSignal<Option<NetworkModel>>,
    /// Why the URL does not hold the whole run (a model too large for a link), if it does not.
    pub link_note: RwSignal<Option<String>>,
    /// The spikes the worker sent for export, until they are saved.
    pub spikes: RwSignal<Option<tempora_protocol::spikes::SpikeTable>>,
    /// Commands to send when a restarted worker is ready: the last run's preset, seed and
    /// parameters, its speed and its duration.
    pub resume: RwSignal<Vec<Command>>,
    /// Pings to the worker and their answers.
    pub heartbeat: StoredValue<Heartbeat>,
    /// The worker is building a run (training networks); shown in the status.
    pub building: RwSignal<bool>,
}

impl DashboardState {
    /// A fresh state: worker starting, nothing received.
    pub fn new() -> Self {
        DashboardState {
            life: RwSignal::new(WorkerLife::Starting),
            status: RwSignal::new(None),
            history: RwSignal::new(History::default()),
            refusal: RwSignal::new(None),
            presets: RwSignal::new(Vec::new()),
            gallery: RwSignal::new(Vec::new()),
            model: RwSignal::new(None),
            link_note: RwSignal::new(None),
            spikes: RwSignal::new(None),
            resume: RwSignal::new(Vec::new()),
            heartbeat: StoredValue::new(Heartbeat::default()),
            building: RwSignal::new(false),
        }
    }

    /// Shows a problem that is not about one parameter.
    pub fn complain(&self, message: impl Into<String>) {
        self.refusal.set(Some(Refusal {
            param: None,
            message: message.into(),
        }));
    }

    /// Applies what the worker said; returns the commands to send back.
    pub fn receive(&self, incoming: Incoming) -> Vec<Command> {
        let building = matches!(incoming, Incoming::Event(Event::Building));
        self.heartbeat.update_value(|h| h.heard(building));
        // Set only on a change: every window passes here, and the status line follows it.
        if self.building.get_untracked() != building {
            self.building.set(building);
        }
        match incoming {
            Incoming::Event(Event::Ready {
                cross_origin_isolated,
                wait_method,
                presets,
                gallery,
                helpers,
                ..
            }) => {
                self.presets.set(presets);
                self.gallery.set(gallery);
                self.heartbeat.update_value(Heartbeat::reset);
                self.life.set(WorkerLife::Ready {
                    isolated: cross_origin_isolated,
                    wait_method,
                    helpers,
                });
                return std::mem::take(&mut *self.resume.write());
            }
            Incoming::Event(Event::Status(status)) => {
                // Live parameter changes keep the run (and its plots); Configure and Reset do not.
                let new_run = self
                    .status
                    .with_untracked(|old| old.as_ref().is_none_or(|o| o.run_id != status.run_id));
                if status.now_ns == 0 || new_run {
                    self.history.update(History::clear);
                }
                // A status answers an accepted command: earlier complaints no longer apply.
                self.refusal.set(None);
                self.status.set(Some(status));
            }
            Incoming::Event(Event::Window(window)) => {
                let index = window.index;
                let run_id = self.status.write().as_mut().map(|status| {
                    status.now_ns = status.now_ns.max(window.end_ns);
                    status.run_id
                });
                self.history.update(|h| h.push(*window));
                // Taken: the worker may send another (flow control, see `Command::Ack`).
                if let Some(run_id) = run_id {
                    return vec![Command::Ack { run_id, index }];
                }
            }
            Incoming::Event(Event::Model { model, .. }) => self.model.set(model.map(|m| *m)),
            Incoming::Event(Event::Spikes(table)) => self.spikes.set(Some(*table)),
            Incoming::Event(Event::Pong { id }) => self.heartbeat.update_value(|h| h.pong(id)),
            Incoming::Event(Event::Building) => {}
            Incoming::Event(Event::Error { message, param }) => {
                self.refusal.set(Some(Refusal { param, message }));
            }
            Incoming::Event(Event::Fatal { message }) | Incoming::Died(message) => {
                self.life.set(WorkerLife::Dead(message));
            }
            Incoming::Malformed(message) => {
                self.complain(format!("unreadable message from the worker: {message}"));
            }
        }
        Vec::new()
    }
}

impl Default for DashboardState {
    fn default() -> Self {
        Self::new()
    }
}
