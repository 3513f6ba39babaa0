//! A worker's session: the current run, its state machine, and the replies to each command.
//!
//! Kept in the engine (no web-sys) so that every command's effect is tested natively; the
//! browser worker only decodes messages, supplies a clock and sleeps.
//!
//! Ground rule: a refused command (bad preset, bad parameter, bad speed) replies with an
//! [`Event::Error`] and changes nothing else; the current run goes on as before.

use crate::clock::Clock;
use crate::params::ParamValues;
use crate::preset::{self, BuildContext, Preset};
use crate::runner::{Runner, SliceEnd, SliceLimits};
use crate::simulation::Simulation;
use crate::time::{TimePoint, TimeSpan};
use flow::WindowCredit;
use tempora_protocol::model::{ModelError, NetworkModel};
use tempora_protocol::Pacing;
use tempora_protocol::{Command, Event, RunState, Status, MAX_DURATION_S, MAX_SEED, MODEL_RUN};

mod flow;
mod live;
#[cfg(test)]
mod tests;

/// Lags up to this much wall time are caught up; longer ones re-anchor (see [`crate::runner`]).
pub const DEFAULT_CATCH_UP_BOUND_NS: u64 = 250_000_000;
/// The preset a new session starts with, so Start works before any Configure.
pub const DEFAULT_PRESET: &str = "stdp";
/// The seed a new session starts with.
pub const DEFAULT_SEED: u64 = 1;
/// The most windows one slice sends to the UI: the newest are kept. A fast preset at "as fast as
/// possible" can close thousands of windows per wall second, more than a page can decode and
/// draw; the rest are skipped (their indices leave a gap the UI counts and shows). With the
/// worker's 4 ms slices this caps the stream at about 250 windows per second (measured with
/// `tests/e2e/perf.mjs`: 2 per slice left the page with 2 long tasks a minute at full speed).
pub const MAX_WINDOWS_PER_SLICE: usize = 1;
/// The worker's window credit: windows sent and not yet acknowledged by the UI
/// ([`Command::Ack`]), at most. Enough for the UI to stay busy between acks, small enough that
/// a page that falls behind holds a short queue (a few MB at most).
pub const WINDOW_CREDIT: usize = 16;

/// What a run is built from.
enum Source {
    /// A preset and its parameters (`Run::params`).
    Preset(&'static Preset),
    /// A model file ([`Command::ConfigureModel`]).
    Model(Box<NetworkModel>),
}

struct Run {
    source: Source,
    seed: u64,
    params: ParamValues,
    sim: Box<dyn Simulation>,
}

/// The state of one worker: its run, whether it moves, and how it is paced.
pub struct Session {
    run: Run,
    state: RunState,
    stepping: bool,
    runner: Runner,
    stop_at: Option<TimePoint>,
    /// Live parameter changes waiting for the next window boundary.
    pending_live: ParamValues,
    run_id: u64,
    /// Flow control, if the host asked for it.
    flow: WindowCredit,
    /// What the platform lends the runs this session builds.
    context: BuildContext,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A paused session with [`DEFAULT_PRESET`] at its defaults and [`DEFAULT_SEED`].
    pub fn new() -> Self {
        let preset = preset::find(DEFAULT_PRESET).expect("the default preset exists");
        let (sim, params) = preset
            .build(DEFAULT_SEED, &ParamValues::new())
            .expect("a preset's defaults are valid");
        Session {
            run: Run {
                source: Source::Preset(preset),
                seed: DEFAULT_SEED,
                params,
                sim,
            },
            state: RunState::Paused,
            stepping: false,
            runner: Runner::new(Pacing::default(), DEFAULT_CATCH_UP_BOUND_NS),
            stop_at: None,
            pending_live: ParamValues::new(),
            run_id: 0,
            flow: WindowCredit::default(),
            context: BuildContext::default(),
        }
    }

    /// Lends the runs built from now on these helpers for a swarm's parts (the browser worker's
    /// helper workers, once they have started).
    pub fn lend_helpers(&mut self, helpers: std::rc::Rc<dyn crate::swarm::shards::Spawn>) {
        self.context.helpers = Some(helpers);
    }

    /// Sends at most `credit` windows ahead of the UI's acknowledgements ([`Command::Ack`]);
    /// windows beyond it are skipped (the UI counts them as not sent). Without this (the CLI,
    /// tests) every window is sent.
    pub fn with_window_credit(mut self, credit: usize) -> Self {
        self.flow = WindowCredit::new(credit);
        self
    }

    /// Whether the host should keep calling [`Session::run_slice`].
    pub fn is_running(&self) -> bool {
        self.state == RunState::Running
    }

    /// The current status.
    pub fn status(&self) -> Status {
        Status {
            state: self.state,
            preset: match &self.run.source {
                Source::Preset(p) => p.name.to_string(),
                Source::Model(_) => MODEL_RUN.to_string(),
            },
            seed: self.run.seed,
            params: self.run.params.clone(),
            now_ns: self.run.sim.now().as_nanos(),
            pacing: self.runner.pacing(),
            stop_at_ns: self.stop_at.map(TimePoint::as_nanos),
            pending_live: self.pending_live.clone(),
            run_id: self.run_id,
            probes: self.run.sim.probes(),
        }
    }

    /// Applies one command and returns the replies.
    pub fn handle(&mut self, command: Command) -> Vec<Event> {
        match command {
            Command::Ping { id } => return vec![Event::Pong { id }],
            // The answer is the table, not a status: nothing changes.
            Command::ExportSpikes => {
                return match self.run.sim.spikes() {
                    Some(mut table) => {
                        table.run_id = self.run_id;
                        vec![Event::Spikes(Box::new(table))]
                    }
                    None => vec![Event::Error {
                        message: "this run has no spiking network to export spikes of (the CSV of windows is Export CSV)".to_string(),
                        param: None,
                    }],
                };
            }
            Command::Ack { run_id, index } => {
                if run_id == self.run_id {
                    self.flow.acknowledge(index);
                }
                return Vec::new();
            }
            _ => {}
        }
        let run_id = self.run_id;
        match self.apply(command) {
            // A new run: its model first (the editor and the exports follow it), then the status.
            Ok(()) if self.run_id != run_id => {
                vec![self.model_event(), Event::Status(self.status())]
            }
            Ok(()) => vec![Event::Status(self.status())],
            Err(Refusal { message, param }) => vec![Event::Error { message, param }],
        }
    }

    fn apply(&mut self, command: Command) -> Result<(), Refusal> {
        match command {
            Command::Configure {
                preset,
                seed,
                params,
            } => {
                let run = build(&self.context, &preset, seed, &params)?;
                self.replace_run(run);
            }
            Command::ConfigureModel { model, seed } => {
                let run = build_model(*model, seed)?;
                self.replace_run(run);
            }
            Command::Reset => {
                let run = match &self.run.source {
                    Source::Preset(preset) => {
                        build(&self.context, preset.name, self.run.seed, &self.run.params)?
                    }
                    Source::Model(model) => build_model((**model).clone(), self.run.seed)?,
                };
                self.replace_run(run);
            }
            Command::Probe { population, neuron } => {
                self.run
                    .sim
                    .probe(&population, neuron)
                    .map_err(|message| Refusal {
                        message,
                        param: Some("probe".to_string()),
                    })?;
            }
            Command::Start => {
                if self.state == RunState::Finished {
                    return Err(Refusal {
                        message: "the run is finished: Reset it, or set a longer duration"
                            .to_string(),
                        param: Some("duration".to_string()),
                    });
                }
                self.stepping = false;
                self.state = RunState::Running;
            }
            Command::Step => {
                self.stepping = true;
                self.state = RunState::Running;
            }
            Command::Pause => {
                self.state = RunState::Paused;
                self.runner.pause();
            }
            Command::SetDuration { duration_s } => {
                let stop_at = match duration_s {
                    None => None,
                    Some(d) if d > 0.0 && d <= MAX_DURATION_S => Some(
                        TimeSpan::from_secs_f64(d)
                            .map(|span| TimePoint(span.as_nanos()))
                            .map_err(|e| Refusal {
                                message: e.to_string(),
                                param: Some("duration".to_string()),
                            })?,
                    ),
                    Some(d) => {
                        return Err(Refusal {
                            message: format!(
                                "duration {d} s is out of range (0, {MAX_DURATION_S}] s"
                            ),
                            param: Some("duration".to_string()),
                        })
                    }
                };
                self.stop_at = stop_at;
                // A finished run may go on if the new duration lies beyond where it stopped.
                let now = self.run.sim.now();
                if self.state == RunState::Finished && stop_at.is_none_or(|stop| stop > now) {
                    self.state = RunState::Paused;
                }
            }
            Command::SetLiveParams { params } => self.accept_live(params)?,
            // Answered in `handle`, before anything can change.
            Command::Ping { .. } | Command::Ack { .. } | Command::ExportSpikes => {}
            Command::SetPacing { pacing } => {
                let pacing = pacing.validate().map_err(|e| Refusal {
                    message: e.to_string(),
                    param: Some("speed".to_string()),
                })?;
                self.runner.set_pacing(pacing);
            }
        }
        Ok(())
    }

    /// The current run's network model, as [`Event::Model`].
    fn model_event(&self) -> Event {
        let model = match &self.run.source {
            Source::Preset(preset) => preset.model.map(|f| Box::new(f(&self.run.params))),
            Source::Model(model) => Some(model.clone()),
        };
        Event::Model {
            run_id: self.run_id,
            model,
        }
    }

    fn replace_run(&mut self, run: Run) {
        self.pending_live.clear();
        self.flow.forget();
        self.run_id += 1;
        self.run = run;
        self.state = RunState::Paused;
        self.stepping = false;
        self.runner.pause();
    }

    /// The task spans recorded since the last call (feature `profiling`).
    #[cfg(feature = "profiling")]
    pub fn take_spans(&mut self) -> (Vec<crate::runner::TaskSpan>, u64) {
        self.runner.take_spans()
    }

    /// Runs one slice of at most `budget_ns` wall time; returns how it ended and the events to send.
    pub fn run_slice(&mut self, clock: &dyn Clock, budget_ns: u64) -> (SliceEnd, Vec<Event>) {
        if !self.is_running() {
            return (SliceEnd::Finished, Vec::new());
        }
        let mut windows = Vec::new();
        let limits = SliceLimits {
            budget_ns,
            stop_at: self.stop_at,
            // Live changes land exactly at the next window boundary.
            stop_after_window: self.stepping || !self.pending_live.is_empty(),
        };
        let end = self
            .runner
            .run_slice(self.run.sim.as_mut(), clock, limits, &mut windows);
        // Pending live changes stopped the slice at the first window boundary: apply them there.
        let applied = !windows.is_empty() && self.apply_pending_live();
        // A model run's model changed with them: the page's editor and link follow it.
        let model_changed = applied && matches!(self.run.source, Source::Model(_));
        let skip = windows.len().saturating_sub(MAX_WINDOWS_PER_SLICE);
        windows.drain(..skip);
        let indices: Vec<u64> = windows.iter().map(|w| w.index).collect();
        let numbers = windows.iter().map(|w| w.data.numbers()).sum();
        if !self.flow.admit(&indices, numbers, clock.now_ns()) {
            windows.clear();
        }
        let mut events: Vec<Event> = windows
            .into_iter()
            .map(|w| Event::Window(Box::new(w)))
            .collect();
        if model_changed {
            events.push(self.model_event());
        }
        match end {
            SliceEnd::WindowClosed => {
                if self.stepping {
                    self.state = RunState::Paused;
                    self.stepping = false;
                    self.runner.pause();
                }
                if applied || self.state == RunState::Paused {
                    events.push(Event::Status(self.status()));
                }
            }
            SliceEnd::Finished => {
                self.state = RunState::Finished;
                events.push(Event::Status(self.status()));
                // After the status, which tells the UI that earlier complaints no longer apply.
                if let Some(reason) = self.run.sim.halted() {
                    events.push(Event::Error {
                        message: reason,
                        param: None,
                    });
                }
            }
            SliceEnd::BudgetSpent | SliceEnd::WaitUntil(_) if applied => {
                events.push(Event::Status(self.status()));
            }
            SliceEnd::BudgetSpent | SliceEnd::WaitUntil(_) => {}
        }
        (end, events)
    }
}

/// Why a command was refused; becomes an [`Event::Error`].
struct Refusal {
    message: String,
    param: Option<String>,
}

/// A model the engine refuses, named by the field's JSON path.
impl From<ModelError> for Refusal {
    fn from(e: ModelError) -> Self {
        Refusal {
            message: e.to_string(),
            param: Some(e.path),
        }
    }
}

fn build(
    context: &BuildContext,
    preset_name: &str,
    seed: u64,
    params: &ParamValues,
) -> Result<Run, Refusal> {
    let refuse = |message: String, param: Option<&str>| Refusal {
        message,
        param: param.map(str::to_string),
    };
    check_seed(seed)?;
    let preset = preset::find(preset_name).map_err(|e| refuse(e.to_string(), None))?;
    let (sim, params) = preset
        .build_in(context, seed, params)
        .map_err(|e| refuse(e.to_string(), e.param()))?;
    Ok(Run {
        source: Source::Preset(preset),
        seed,
        params,
        sim,
    })
}

fn check_seed(seed: u64) -> Result<(), Refusal> {
    if seed > MAX_SEED {
        return Err(Refusal {
            message: format!("seed {seed} is larger than 2^53 - 1"),
            param: Some("seed".to_string()),
        });
    }
    Ok(())
}

/// A run of a model file; a refusal names the model's field (its JSON path) as the parameter.
fn build_model(model: NetworkModel, seed: u64) -> Result<Run, Refusal> {
    check_seed(seed)?;
    let sim = preset::model_run(model.clone(), seed)?;
    Ok(Run {
        source: Source::Model(Box::new(model)),
        seed,
        params: ParamValues::new(),
        sim,
    })
}
