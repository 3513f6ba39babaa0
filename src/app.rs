//! The dashboard: header with the worker's status, run controls, the parameter form and plots.

use crate::export::RunSettings;
use crate::heartbeat::{Beat, PING_EVERY_MS};
use crate::plots::Plots;
use crate::side_panel::{SidePanel, Tab};
use crate::state::{DashboardState, WorkerLife};
use crate::url_state::{current_fragment, from_fragment, replace_fragment, to_fragment};
use crate::worker_client::{WorkerClient, WORKER_URL};
use leptos::ev;
use leptos::prelude::*;
use tempora_protocol::settings::{to_link, MAX_FRAGMENT};
use tempora_protocol::Pacing;
use tempora_protocol::{Command, RunState};
use wasm_bindgen::JsCast;

fn spawn_worker(state: DashboardState, client: StoredValue<Option<WorkerClient>, LocalStorage>) {
    let spawned = WorkerClient::spawn(WORKER_URL, move |incoming| {
        for reply in state.receive(incoming) {
            client.with_value(|c| {
                if let Some(Err(e)) = c.as_ref().map(|c| c.send(&reply)) {
                    state.complain(e);
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

/// Speeds offered: (label, pacing).
const SPEEDS: [(&str, Pacing); 6] = [
    ("0.1x real time", Pacing::RealTime { speed: 0.1 }),
    ("1x real time", Pacing::RealTime { speed: 1.0 }),
    ("10x real time", Pacing::RealTime { speed: 10.0 }),
    ("100x real time", Pacing::RealTime { speed: 100.0 }),
    ("1000x real time", Pacing::RealTime { speed: 1000.0 }),
    ("as fast as possible", Pacing::AsFastAsPossible),
];

/// True when the key event comes from a text field (shortcuts must not steal typing).
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    let state = DashboardState::new();
    // A new visitor starts in the gallery; a shared link opens its run's parameters.
    let tab = RwSignal::new(Tab::Gallery);
    let panel_open = RwSignal::new(true);
    // A shared link's settings are applied as soon as the worker is ready.
    match current_fragment().as_deref().map(from_fragment) {
        Some(Ok(Some(s))) => {
            tab.set(if s.model.is_some() {
                Tab::Network
            } else {
                Tab::Parameters
            });
            state.resume.set(s.commands());
        }
        Some(Err(e)) => state.complain(format!("the link's settings were not applied: {e}")),
        Some(Ok(None)) | None => {}
    }
    let client = StoredValue::new_local(None::<WorkerClient>);
    spawn_worker(state, client);
    // The URL follows the run's settings (not its every status), so copying it shares the run;
    // a model run's link holds its model, unless it is too large for a link.
    let settings = Memo::new(move |_| {
        let model = state.model.get();
        state
            .status
            .with(|s| s.as_ref().map(|s| RunSettings::of(s, model.as_ref())))
    });
    Effect::new(move |_| {
        let Some(settings) = settings.get() else {
            return;
        };
        match to_link(&settings) {
            Ok(fragment) => {
                state.link_note.set(None);
                replace_fragment(&fragment);
            }
            Err(length) => {
                state.link_note.set(Some(format!(
                    "This model is too large for a link ({length} characters compressed, at most {MAX_FRAGMENT}): share its file instead (Network, Save model)."
                )));
                replace_fragment(&to_fragment(&RunSettings {
                    model: None,
                    ..settings
                }));
            }
        }
    });

    let send = Callback::new(move |command: Command| {
        if !matches!(
            command,
            Command::Configure { .. } | Command::ConfigureModel { .. }
        ) {
            state.refusal.set(None);
        }
        client.with_value(|c| match c {
            Some(c) => {
                if let Err(e) = c.send(&command) {
                    state.complain(e);
                }
            }
            None => state.complain("there is no worker"),
        });
    });
    // A new worker resumes the last run's settings (not its progress: that is replayed by Start).
    let restart = move |_| {
        let model = state.model.get_untracked();
        state.resume.set(
            state
                .status
                .get_untracked()
                .map(|s| {
                    let mut commands = RunSettings::of(&s, model.as_ref()).commands();
                    commands.extend([
                        Command::SetPacing { pacing: s.pacing },
                        Command::SetDuration {
                            duration_s: s.stop_at_ns.map(|ns| ns as f64 * 1e-9),
                        },
                    ]);
                    commands
                })
                .unwrap_or_default(),
        );
        client.set_value(None);
        spawn_worker(state, client);
    };
    // The heartbeat: a worker that dies without an error event is found out and reported.
    let _heartbeat = set_interval_with_handle(
        move || {
            if !matches!(state.life.get_untracked(), WorkerLife::Ready { .. }) {
                return;
            }
            let now_ms = web_sys::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now());
            match state.heartbeat.try_update_value(|h| h.tick(now_ms)) {
                Some(Beat::Ping(id)) => client.with_value(|c| {
                    if let Some(Err(e)) = c.as_ref().map(|c| c.send(&Command::Ping { id })) {
                        state.complain(e);
                    }
                }),
                Some(Beat::Dead(message)) => state.life.set(WorkerLife::Dead(message)),
                Some(Beat::Wait) | None => {}
            }
        },
        std::time::Duration::from_millis(PING_EVERY_MS.into()),
    );

    let ready = move || matches!(state.life.get(), WorkerLife::Ready { .. });
    let run_state = move || state.status.get().map(|s| s.state);
    let running = move || run_state() == Some(RunState::Running);

    let _keys = window_event_listener(ev::keydown, move |ev| {
        if typing(&ev) || !ready() {
            return;
        }
        let command = match ev.key().as_str() {
            " " if running() => Command::Pause,
            " " => Command::Start,
            "s" | "S" if !running() => Command::Step,
            "r" | "R" => Command::Reset,
            _ => return,
        };
        ev.prevent_default();
        send.run(command);
    });

    let status_text = move || match state.life.get() {
        WorkerLife::Starting => "worker starting".to_string(),
        WorkerLife::Dead(message) => format!("worker stopped: {message}"),
        WorkerLife::Ready { .. } if state.building.get() => {
            "building the run (training its networks)".to_string()
        }
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
            helpers,
        } => format!(
            "{} · wait: {wait_method} · {helpers} helper worker{} for swarm shards",
            if isolated {
                "cross-origin isolated (5 us clock)"
            } else {
                "not isolated (100 us clock, less precise pacing)"
            },
            if helpers == 1 { "" } else { "s" }
        ),
        _ => String::new(),
    };
    let readout = move || {
        let status = state.status.get();
        let now_s = status.as_ref().map_or(0.0, |s| s.now_ns as f64 * 1e-9);
        let paced = status
            .as_ref()
            .is_some_and(|s| matches!(s.pacing, Pacing::RealTime { .. }));
        let preset = status.map(|s| s.preset).unwrap_or_default();
        let history = state.history.read();
        let timing = history.latest().and_then(|w| w.timing.as_ref());
        let lateness = match timing {
            Some(t) if paced => format!("{:.0} us", t.lateness.p99 as f64 / 1e3),
            Some(_) => "not paced".to_string(),
            None => "–".to_string(),
        };
        let rate = timing.map_or("–".to_string(), |t| format!("{:.0}", t.tasks_per_s));
        // Slice load and backlog handling only mean something when paced.
        let load = match timing {
            Some(t) if paced => format!(
                " · slice load {:.0} % · backlog: {} caught up, {} dropped ({:.1} ms skipped)",
                t.slice_load * 100.0,
                t.catch_up_events,
                t.reanchor_events,
                t.skipped_wall_ns as f64 / 1e6
            ),
            _ => String::new(),
        };
        format!(
            "{preset} · t = {now_s:.3} s · windows: {} (dropped {}, not sent {}) · lateness p99: {lateness} · tasks/s: {rate}{load}",
            history.len(),
            history.dropped(),
            history.skipped()
        )
    };
    let general_error = move || {
        state
            .refusal
            .get()
            .filter(|r| r.param.is_none())
            .map(|r| r.message)
    };
    // Speed relative to real time, over the last ~2 s of wall time.
    let samples = StoredValue::new(std::collections::VecDeque::<(f64, u64)>::new());
    let measured_speed = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        let Some((now_ns, running)) = state
            .status
            .with(|s| s.as_ref().map(|s| (s.now_ns, s.state == RunState::Running)))
        else {
            return;
        };
        let wall_ms = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now());
        samples.update_value(|q| {
            if !running || q.back().is_some_and(|&(_, t)| t > now_ns) {
                q.clear();
            }
            q.push_back((wall_ms, now_ns));
            while q.len() > 2 && q.front().is_some_and(|&(w, _)| wall_ms - w > 2_000.0) {
                q.pop_front();
            }
        });
        let speed = samples.with_value(|q| match (q.front(), q.back()) {
            (Some(&(w0, t0)), Some(&(w1, t1))) if w1 - w0 > 200.0 => {
                Some((t1 - t0) as f64 * 1e-6 / (w1 - w0))
            }
            _ => None,
        });
        measured_speed.set(speed);
    });
    let progress_text = move || {
        let status = state.status.get()?;
        let stop = status.stop_at_ns? as f64 * 1e-9;
        let now = status.now_ns as f64 * 1e-9;
        let mut text = format!("{now:.2} s of {stop:.2} s");
        if let Some(speed) = measured_speed
            .get()
            .filter(|_| status.state == RunState::Running)
        {
            text.push_str(&format!(" · {speed:.2}x real time"));
            if speed > 0.0 {
                text.push_str(&format!(" · {:.1} s left", (stop - now).max(0.0) / speed));
            }
        }
        Some(text)
    };
    let set_duration = move |text: String| {
        let text = text.trim();
        let duration_s = if text.is_empty() {
            None
        } else {
            match tempora_protocol::param::parse_text(
                "duration",
                tempora_protocol::Unit::Seconds,
                text,
            ) {
                Ok(v) => Some(v),
                Err(e) => {
                    state.refusal.set(Some(crate::state::Refusal {
                        param: Some("duration".into()),
                        message: e.to_string(),
                    }));
                    return;
                }
            }
        };
        send.run(Command::SetDuration { duration_s });
    };
    let duration_error = move || {
        state
            .refusal
            .get()
            .filter(|r| r.param.as_deref() == Some("duration"))
            .map(|r| r.message)
    };

    let set_speed = move |label: String| {
        if let Some((_, pacing)) = SPEEDS.iter().find(|(l, _)| *l == label) {
            send.run(Command::SetPacing { pacing: *pacing });
        }
    };

    view! {
        <header class="top">
            <h1>"Tempora"</h1>
            <span class="tagline">"neural timing on a deterministic clock"</span>
            <span class=status_class data-testid="worker-status">{status_text}</span>
            <span class="clock" data-testid="clock-info">{clock_text}</span>
        </header>
        <div class="bar">
            <section class="controls">
                <Show when=move || !panel_open.get()>
                    <button data-testid="open-panel" class="panel-toggle" title="Show the gallery, parameters and network editor"
                        on:click=move |_| panel_open.set(true)>"» Panel"</button>
                </Show>
                <button data-testid="start" title="Start (Space)" on:click=move |_| send.run(Command::Start)
                    prop:disabled=move || !ready() || running()>"Start"</button>
                <button data-testid="pause" title="Pause (Space)" on:click=move |_| send.run(Command::Pause)
                    prop:disabled=move || !ready() || !running()>"Pause"</button>
                <button data-testid="step" title="Step one window (S)" on:click=move |_| send.run(Command::Step)
                    prop:disabled=move || !ready() || running()>"Step"</button>
                <button data-testid="reset" title="Reset (R)" on:click=move |_| send.run(Command::Reset)
                    prop:disabled=move || !ready()>"Reset"</button>
                <label class="speed">
                    "Speed "
                    <select data-testid="speed" prop:disabled=move || !ready()
                        on:change=move |ev| set_speed(event_target_value(&ev))>
                        {SPEEDS.iter().map(|(label, _)| {
                            view! { <option value=*label selected=*label == "1x real time">{*label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="duration">
                    "Run for "
                    <input data-testid="duration" type="text" placeholder="no limit"
                        title="Logical time to run, e.g. 100 s or 500 ms; empty for no limit"
                        prop:disabled=move || !ready()
                        on:change=move |ev| set_duration(event_target_value(&ev)) />
                </label>
                <Show when=move || matches!(state.life.get(), WorkerLife::Dead(_))>
                    <button data-testid="restart" class="restart" on:click=restart>"Restart worker"</button>
                </Show>
                <Show when=move || state.status.with(|s| s.as_ref().is_some_and(|s| s.stop_at_ns.is_some()))>
                    <span class="progress">
                        <progress data-testid="progress"
                            max=move || state.status.with(|s| s.as_ref().and_then(|s| s.stop_at_ns).unwrap_or(1) as f64)
                            value=move || state.status.with(|s| s.as_ref().map_or(0.0, |s| s.now_ns as f64))></progress>
                        <span data-testid="progress-text">{progress_text}</span>
                    </span>
                </Show>
            </section>
            <p class="field-error" data-testid="error-duration">{duration_error}</p>
            <p class="readout" data-testid="readout">{readout}</p>
            <p class="error" data-testid="error" role="alert">{general_error}</p>
            <p class="hint" data-testid="link-note">{move || state.link_note.get()}</p>
        </div>
        <div class="layout" class:panel-closed=move || !panel_open.get()>
            <SidePanel state=state send=send tab=tab open=panel_open />
            <main class="view">
                <Plots state=state send=send />
            </main>
        </div>
    }
}
