//! The dashboard shell: header with the worker's status, run controls, a readout and the plot.

use crate::history::History;
use crate::plot::draw_trace;
use crate::worker_client::{Incoming, WorkerClient, WORKER_URL};
use leptos::ev;
use leptos::html::Canvas;
use leptos::prelude::*;
use tempora_engine::protocol::{Command, Event, RunState, Status};

/// Logical seconds of the trace shown in the plot.
const TRACE_SPAN_S: f64 = 2.0;

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
    },
    /// It panicked, failed to load or raised an uncaught error.
    Dead(String),
}

/// Everything the dashboard shows, as signals.
#[derive(Clone, Copy)]
struct DashboardState {
    life: RwSignal<WorkerLife>,
    status: RwSignal<Option<Status>>,
    history: RwSignal<History>,
    error: RwSignal<Option<String>>,
    /// A Configure to send when a restarted worker is ready (resume from the last parameters).
    resume: RwSignal<Option<Command>>,
}

impl DashboardState {
    fn new() -> Self {
        DashboardState {
            life: RwSignal::new(WorkerLife::Starting),
            status: RwSignal::new(None),
            history: RwSignal::new(History::default()),
            error: RwSignal::new(None),
            resume: RwSignal::new(None),
        }
    }

    /// Applies what the worker said; returns a command to send back, if any.
    fn receive(&self, incoming: Incoming) -> Option<Command> {
        match incoming {
            Incoming::Event(Event::Ready {
                cross_origin_isolated,
                wait_method,
                ..
            }) => {
                self.life.set(WorkerLife::Ready {
                    isolated: cross_origin_isolated,
                    wait_method,
                });
                return self.resume.write().take();
            }
            Incoming::Event(Event::Status(status)) => {
                if status.now_ns == 0 {
                    self.history.update(History::clear);
                }
                self.status.set(Some(status));
            }
            Incoming::Event(Event::Window(window)) => {
                if let Some(status) = self.status.write().as_mut() {
                    status.now_ns = status.now_ns.max(window.end_ns);
                }
                self.history.update(|h| h.push(*window));
            }
            Incoming::Event(Event::Error { message, param }) => {
                let text = match param {
                    Some(p) => format!("{p}: {message}"),
                    None => message,
                };
                self.error.set(Some(text));
            }
            Incoming::Event(Event::Fatal { message }) | Incoming::Died(message) => {
                self.life.set(WorkerLife::Dead(message));
            }
            Incoming::Malformed(message) => {
                self.error.set(Some(format!(
                    "unreadable message from the worker: {message}"
                )));
            }
        }
        None
    }
}

fn spawn_worker(state: DashboardState, client: StoredValue<Option<WorkerClient>, LocalStorage>) {
    let spawned = WorkerClient::spawn(WORKER_URL, move |incoming| {
        if let Some(reply) = state.receive(incoming) {
            client.with_value(|c| {
                if let Some(Err(e)) = c.as_ref().map(|c| c.send(&reply)) {
                    state.error.set(Some(e));
                }
            });
        }
    });
    match spawned {
        Ok(worker) => {
            state.life.set(WorkerLife::Starting);
            client.set_value(Some(worker));
        }
        Err(e) => state.life.set(WorkerLife::Dead(e)),
    }
}

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    let state = DashboardState::new();
    let client = StoredValue::new_local(None::<WorkerClient>);
    spawn_worker(state, client);

    let send = move |command: Command| {
        state.error.set(None);
        client.with_value(|c| match c {
            Some(c) => {
                if let Err(e) = c.send(&command) {
                    state.error.set(Some(e));
                }
            }
            None => state.error.set(Some("there is no worker".to_string())),
        });
    };
    let restart = move |_| {
        state
            .resume
            .set(state.status.get_untracked().map(|s| Command::Configure {
                preset: s.preset,
                seed: s.seed,
                params: s.params,
            }));
        client.set_value(None);
        spawn_worker(state, client);
    };

    let ready = move || matches!(state.life.get(), WorkerLife::Ready { .. });
    let run_state = move || state.status.get().map(|s| s.state);
    let running = move || run_state() == Some(RunState::Running);

    let status_text = move || match state.life.get() {
        WorkerLife::Starting => "worker starting".to_string(),
        WorkerLife::Dead(message) => format!("worker stopped: {message}"),
        WorkerLife::Ready { .. } => match run_state() {
            Some(RunState::Running) => "running".to_string(),
            Some(RunState::Paused) => "paused".to_string(),
            Some(RunState::Finished) => "finished".to_string(),
            None => "ready".to_string(),
        },
    };
    let status_class = move || match state.life.get() {
        WorkerLife::Dead(_) => "status dead",
        WorkerLife::Starting => "status starting",
        WorkerLife::Ready { .. } if running() => "status running",
        WorkerLife::Ready { .. } => "status ready",
    };
    let clock_text = move || match state.life.get() {
        WorkerLife::Ready {
            isolated,
            wait_method,
        } => format!(
            "{} · wait: {wait_method}",
            if isolated {
                "cross-origin isolated (5 us clock)"
            } else {
                "not isolated (100 us clock)"
            }
        ),
        _ => String::new(),
    };
    let readout = move || {
        let now_s = state.status.get().map_or(0.0, |s| s.now_ns as f64 * 1e-9);
        let history = state.history.read();
        let lateness = history
            .latest()
            .and_then(|w| w.timing.as_ref())
            .map_or("–".to_string(), |t| {
                format!("{:.0} us", t.lateness.p99 as f64 / 1e3)
            });
        format!(
            "t = {now_s:.3} s · windows: {} (dropped {}) · lateness p99: {lateness}",
            history.len(),
            history.dropped()
        )
    };

    let canvas = NodeRef::<Canvas>::new();
    let resized = RwSignal::new(0u32);
    let _resize = window_event_listener(ev::resize, move |_| resized.update(|n| *n += 1));
    Effect::new(move |_| {
        resized.track();
        let trace = state.history.with(|h| h.trace(TRACE_SPAN_S));
        if let Some(canvas) = canvas.get() {
            if let Err(e) = draw_trace(
                &canvas,
                &trace,
                TRACE_SPAN_S,
                "Seeded random walk (tick preset)",
                "value (a.u.)",
            ) {
                log::error!("{e}");
            }
        }
    });

    view! {
        <header class="top">
            <h1>"Tempora"</h1>
            <span class="tagline">"neural timing on a deterministic clock"</span>
            <span class=status_class data-testid="worker-status">{status_text}</span>
            <span class="clock" data-testid="clock-info">{clock_text}</span>
        </header>
        <main>
            <section class="controls">
                <button data-testid="start" on:click=move |_| send(Command::Start)
                    prop:disabled=move || !ready() || running()>"Start"</button>
                <button data-testid="pause" on:click=move |_| send(Command::Pause)
                    prop:disabled=move || !ready() || !running()>"Pause"</button>
                <button data-testid="step" on:click=move |_| send(Command::Step)
                    prop:disabled=move || !ready() || running()>"Step"</button>
                <button data-testid="reset" on:click=move |_| send(Command::Reset)
                    prop:disabled=move || !ready()>"Reset"</button>
                <Show when=move || matches!(state.life.get(), WorkerLife::Dead(_))>
                    <button data-testid="restart" class="restart" on:click=restart>"Restart worker"</button>
                </Show>
                <span class="readout" data-testid="readout">{readout}</span>
            </section>
            <p class="error" data-testid="error" role="alert">{move || state.error.get()}</p>
            <figure class="plot">
                <canvas data-testid="trace-plot" node_ref=canvas></canvas>
            </figure>
        </main>
    }
}
