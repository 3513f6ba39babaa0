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
use tempora_protocol::Pacing;
use tempora_protocol::{Command, Event, RunState, Status};

/// Lags up to this much wall time are caught up; longer ones re-anchor (see [`crate::runner`]).
pub const DEFAULT_CATCH_UP_BOUND_NS: u64 = 250_000_000;
/// The preset a new session starts with, so Start works before any Configure.
pub const DEFAULT_PRESET: &str = "stdp";
/// The seed a new session starts with.
pub const DEFAULT_SEED: u64 = 1;
/// Longest duration a run may be set to: one day of logical time.
pub const MAX_DURATION_S: f64 = 86_400.0;
/// Largest seed accepted: 2^53 - 1, so it survives a round trip through JavaScript numbers.
pub const MAX_SEED: u64 = (1 << 53) - 1;
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

struct Run {
    preset: &'static Preset,
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
    /// Flow control, if the host asked for it: the credit, and the windows sent and not yet
    /// acknowledged, oldest first.
    credit: Option<usize>,
    in_flight: std::collections::VecDeque<u64>,
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
                preset,
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
            credit: None,
            in_flight: std::collections::VecDeque::new(),
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
        self.credit = Some(credit);
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
            preset: self.run.preset.name.to_string(),
            seed: self.run.seed,
            params: self.run.params.clone(),
            now_ns: self.run.sim.now().as_nanos(),
            pacing: self.runner.pacing(),
            stop_at_ns: self.stop_at.map(TimePoint::as_nanos),
            pending_live: self.pending_live.clone(),
            run_id: self.run_id,
        }
    }

    /// Applies one command and returns the replies.
    pub fn handle(&mut self, command: Command) -> Vec<Event> {
        match command {
            Command::Ping { id } => return vec![Event::Pong { id }],
            Command::Ack { run_id, index } => {
                if run_id == self.run_id {
                    while self.in_flight.front().is_some_and(|&sent| sent <= index) {
                        self.in_flight.pop_front();
                    }
                }
                return Vec::new();
            }
            _ => {}
        }
        match self.apply(command) {
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
            Command::Reset => {
                let run = build(
                    &self.context,
                    self.run.preset.name,
                    self.run.seed,
                    &self.run.params,
                )?;
                self.replace_run(run);
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
            Command::Ping { .. } | Command::Ack { .. } => {}
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

    /// Checks live parameter changes (only live ones; valid alone and with the others, as a new
    /// run would check them) and queues them for the next window boundary.
    fn accept_live(&mut self, params: ParamValues) -> Result<(), Refusal> {
        let preset = self.run.preset;
        for name in params.keys() {
            crate::params::find_spec(preset.params, name).map_err(|e| Refusal {
                message: e.to_string(),
                param: Some(name.clone()),
            })?;
            if !preset.live.contains(&name.as_str()) {
                return Err(Refusal {
                    message: format!(
                        "`{name}` cannot change during a run (live parameters of {}: {}); Apply restarts the run with it",
                        preset.name,
                        preset.live.join(", ")
                    ),
                    param: Some(name.clone()),
                });
            }
        }
        let mut merged = self.run.params.clone();
        merged.extend(self.pending_live.clone());
        merged.extend(params.clone());
        // A throwaway build checks the values exactly as a new run would; it needs no helpers
        // (parts give the same results).
        let alone = BuildContext::alone();
        preset
            .build_in(&alone, self.run.seed, &merged)
            .map_err(|e| Refusal {
                message: e.to_string(),
                param: e.param().map(str::to_string),
            })?;
        self.pending_live.extend(params);
        Ok(())
    }

    /// Hands queued live changes to the model (at a window boundary); whether there were any.
    fn apply_pending_live(&mut self) -> bool {
        if self.pending_live.is_empty() {
            return false;
        }
        let pending = std::mem::take(&mut self.pending_live);
        self.run.sim.set_live_params(&pending);
        self.run.params.extend(pending);
        true
    }

    fn replace_run(&mut self, run: Run) {
        self.pending_live.clear();
        self.in_flight.clear();
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
        let skip = windows.len().saturating_sub(MAX_WINDOWS_PER_SLICE);
        windows.drain(..skip);
        if let Some(credit) = self.credit {
            if self.in_flight.len() >= credit {
                windows.clear();
            }
            self.in_flight.extend(windows.iter().map(|w| w.index));
        }
        let mut events: Vec<Event> = windows
            .into_iter()
            .map(|w| Event::Window(Box::new(w)))
            .collect();
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
    if seed > MAX_SEED {
        return Err(refuse(
            format!("seed {seed} is larger than 2^53 - 1"),
            Some("seed"),
        ));
    }
    let preset = preset::find(preset_name).map_err(|e| refuse(e.to_string(), None))?;
    let (sim, params) = preset
        .build_in(context, seed, params)
        .map_err(|e| refuse(e.to_string(), e.param()))?;
    Ok(Run {
        preset,
        seed,
        params,
        sim,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use tempora_protocol::{WindowContent, WindowSummary};

    /// A session running the `random-walk` preset at its defaults (the tests' timings assume it).
    fn tick_session() -> Session {
        let mut s = Session::new();
        let events = s.handle(Command::Configure {
            preset: "random-walk".into(),
            seed: DEFAULT_SEED,
            params: ParamValues::new(),
        });
        assert!(matches!(events[0], Event::Status(_)), "{events:?}");
        s
    }

    fn windows(events: &[Event]) -> Vec<&WindowSummary> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Window(w) => Some(w.as_ref()),
                _ => None,
            })
            .collect()
    }

    fn state(events: &[Event]) -> Option<RunState> {
        events.iter().rev().find_map(|e| match e {
            Event::Status(s) => Some(s.state),
            _ => None,
        })
    }

    #[test]
    fn a_model_that_halts_itself_finishes_the_run_and_says_why() {
        let mut s = Session::new();
        s.handle(Command::Configure {
            preset: "divergence".into(),
            seed: 3,
            params: ParamValues::new(),
        });
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        s.handle(Command::Start);
        let clock = ManualClock::at(0);
        let mut all = Vec::new();
        for _ in 0..10 {
            if !s.is_running() {
                break;
            }
            all.extend(s.run_slice(&clock, u64::MAX).1);
        }
        assert_eq!(s.status().state, RunState::Finished);
        assert_eq!(
            s.status().now_ns,
            10_000_000,
            "ends at the first window's close"
        );
        let said = all.iter().find_map(|e| match e {
            Event::Error { message, .. } => Some(message.as_str()),
            _ => None,
        });
        assert!(
            said.is_some_and(|m| m.starts_with("the watchdog paused the network at t = ")),
            "{said:?}"
        );
    }

    #[test]
    fn a_ping_is_answered_with_its_id_alone_and_changes_nothing() {
        let mut s = tick_session();
        s.handle(Command::Start);
        let before = s.status();
        assert_eq!(
            s.handle(Command::Ping { id: 41 }),
            vec![Event::Pong { id: 41 }]
        );
        assert_eq!(s.status(), before);
    }

    #[test]
    fn with_a_window_credit_a_ui_that_does_not_ack_gets_no_more_windows_until_it_does() {
        let mut s = Session::new().with_window_credit(3);
        s.handle(Command::Configure {
            preset: "random-walk".into(),
            seed: 1,
            params: [("window".to_string(), 0.01), ("hop".to_string(), 0.01)].into(),
        });
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        s.handle(Command::Start);
        let clock = ManualClock::at(0);
        let mut sent = Vec::new();
        // One window per slice (the budget ends each slice at a window with stop_after_window).
        let slice = |s: &mut Session| {
            s.stepping = true;
            s.state = RunState::Running;
            windows(&s.run_slice(&clock, u64::MAX).1)
                .iter()
                .map(|w| w.index)
                .collect::<Vec<_>>()
        };
        for _ in 0..6 {
            sent.extend(slice(&mut s));
        }
        assert_eq!(sent, vec![0, 1, 2], "three in flight, then nothing");
        // An ack of another run changes nothing; the right one frees two places.
        assert!(s
            .handle(Command::Ack {
                run_id: 99,
                index: 2
            })
            .is_empty());
        assert!(slice(&mut s).is_empty());
        let run_id = s.status().run_id;
        s.handle(Command::Ack { run_id, index: 1 });
        let more: Vec<u64> = (0..4).flat_map(|_| slice(&mut s)).collect();
        // Windows 3..=6 closed without credit and stay skipped; 7 and 8 use the two places.
        assert_eq!(more, vec![7, 8]);
        // A new run starts with full credit.
        s.handle(Command::Reset);
        s.handle(Command::Start);
        assert_eq!(slice(&mut s), vec![0]);
    }

    fn live(params: &[(&str, f64)]) -> Command {
        Command::SetLiveParams {
            params: params.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn live_changes_land_at_the_next_window_boundary() {
        let clock = ManualClock::at(0);
        let mut s = tick_session();
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        s.handle(Command::SetDuration {
            duration_s: Some(0.4),
        });
        s.handle(Command::Step); // window 0 closes at 100 ms
        s.run_slice(&clock, u64::MAX);
        let events = s.handle(live(&[("step", 0.0)]));
        let Event::Status(status) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(status.pending_live["step"], 0.0);
        assert_eq!(status.params["step"], 1.0, "not yet applied");
        // Step window by window (a free run would send only the newest window of each slice).
        let mut windows = Vec::new();
        let mut applied_at = None;
        while s.status().state != RunState::Finished {
            s.handle(Command::Step);
            for e in s.run_slice(&clock, u64::MAX).1 {
                match e {
                    Event::Window(w) => windows.push(*w),
                    Event::Status(st) if st.params["step"] == 0.0 && applied_at.is_none() => {
                        applied_at = Some(st.now_ns);
                        assert!(st.pending_live.is_empty());
                    }
                    _ => {}
                }
            }
        }
        // Applied when window 1 closed (150 ms): every later sample is the same value.
        assert_eq!(applied_at, Some(150_000_000));
        let after: Vec<f64> = windows
            .iter()
            .flat_map(|w| w.data.trace("trace-plot").unwrap().lines[0].points.clone())
            .filter(|p| p[0] >= 0.15)
            .map(|p| p[1])
            .collect();
        assert!(after.len() > 100);
        assert!(after.windows(2).all(|p| p[0] == p[1]), "the walk stopped");
        assert_eq!(s.status().run_id, 1, "no new run");
    }

    /// The windows a session sends while it steps `count` windows, as fast as possible.
    fn step_windows(s: &mut Session, clock: &ManualClock, count: usize) -> Vec<WindowContent> {
        let mut windows = Vec::new();
        for _ in 0..count {
            s.handle(Command::Step);
            let events = s.run_slice(clock, u64::MAX).1;
            windows.extend(events.into_iter().filter_map(|e| match e {
                Event::Window(w) => Some(w.data),
                _ => None,
            }));
        }
        windows
    }

    /// A valid value of `spec` other than its default.
    fn changed(spec: &crate::params::ParamSpec) -> f64 {
        if !spec.choices.is_empty() {
            ((spec.default as usize + 1) % spec.choices.len()) as f64
        } else if spec.default != spec.min {
            (spec.default + spec.min) / 2.0
        } else {
            (spec.default + spec.max) / 2.0
        }
    }

    /// Each live parameter of each preset, changed alone after the first window, leaves that
    /// window as it was and changes what a later one shows (a preset that ignored the change
    /// would fail here), and the pending list empties at the boundary.
    #[test]
    fn every_live_parameter_applies_at_the_next_boundary_in_every_preset() {
        /// Windows stepped after the change: enough for the swarm's prior to meet an escalation.
        const AFTER: usize = 40;
        let clock = ManualClock::at(0);
        let session = |preset: &str| {
            // phase-lock's target phase only matters with its bias rule on, a learning rate
            // only with backprop (rprop adapts its own steps), and the unguarded divergence
            // net is paused by its watchdog in the first window.
            let params: ParamValues = match preset {
                "phase-lock" => [("bias_rate".to_string(), 2e-4)].into_iter().collect(),
                "xor" | "predict" => [("trainer".to_string(), 1.0)].into_iter().collect(),
                "divergence" => [("guard".to_string(), 2.0)].into_iter().collect(),
                _ => ParamValues::new(),
            };
            let mut s = Session::new();
            let events = s.handle(Command::Configure {
                preset: preset.into(),
                seed: 2,
                params,
            });
            assert!(matches!(events[..], [Event::Status(_)]), "{events:?}");
            s.handle(Command::SetPacing {
                pacing: Pacing::AsFastAsPossible,
            });
            s
        };
        for preset in crate::preset::all() {
            if preset.live.is_empty() {
                continue;
            }
            let mut baseline = session(preset.name);
            let reference = step_windows(&mut baseline, &clock, 1 + AFTER);
            for name in preset.live {
                let spec = crate::params::find_spec(preset.params, name).unwrap();
                let mut s = session(preset.name);
                let first = step_windows(&mut s, &clock, 1);
                assert_eq!(first[..], reference[..1], "{}: same start", preset.name);
                let events = s.handle(live(&[(name, changed(spec))]));
                assert!(
                    matches!(events[..], [Event::Status(_)]),
                    "{}.{name}: {events:?}",
                    preset.name
                );
                assert_eq!(s.status().pending_live.len(), 1);
                let later = step_windows(&mut s, &clock, AFTER);
                assert!(s.status().pending_live.is_empty(), "{}.{name}", preset.name);
                assert!(
                    later.iter().zip(&reference[1..]).any(|(a, b)| a != b),
                    "{}.{name}: no window changed",
                    preset.name
                );
            }
        }
    }

    #[test]
    fn live_changes_that_cannot_apply_are_refused_and_change_nothing() {
        let mut s = tick_session();
        let before = s.status();
        let refused = |events: Vec<Event>| match &events[0] {
            Event::Error { message, param } => (message.clone(), param.clone()),
            other => panic!("{other:?}"),
        };
        let (message, param) = refused(s.handle(live(&[("tick_period", 0.01)])));
        assert_eq!(param.as_deref(), Some("tick_period"));
        assert!(
            message.contains("cannot change during a run (live parameters of random-walk: step)")
        );
        let (_, param) = refused(s.handle(live(&[("step", -1.0)])));
        assert_eq!(param.as_deref(), Some("step"));
        let (_, param) = refused(s.handle(live(&[("nope", 1.0)])));
        assert_eq!(param.as_deref(), Some("nope"));
        assert_eq!(s.status(), before);
    }

    #[test]
    fn step_runs_exactly_one_window_then_pauses() {
        let mut s = tick_session();
        let clock = ManualClock::at(0);
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        assert_eq!(state(&s.handle(Command::Step)), Some(RunState::Running));
        let (end, events) = s.run_slice(&clock, u64::MAX);
        assert_eq!(end, SliceEnd::WindowClosed);
        let w = windows(&events);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].index, 0);
        assert_eq!(state(&events), Some(RunState::Paused));
        let (_, events) = s.run_slice(&clock, u64::MAX);
        assert!(events.is_empty(), "paused: nothing runs");
        s.handle(Command::Step);
        let (_, events) = s.run_slice(&clock, u64::MAX);
        assert_eq!(windows(&events)[0].index, 1);
    }

    #[test]
    fn real_time_waits_for_the_clock() {
        let mut s = tick_session();
        let clock = ManualClock::at(1_000);
        s.handle(Command::Start);
        // t = 0 runs at once; the next tick (1 ms) must wait for the wall clock.
        let (end, _) = s.run_slice(&clock, 5_000_000);
        assert_eq!(end, SliceEnd::WaitUntil(1_000 + 1_000_000));
        clock.advance(100_000_000);
        let (_, events) = s.run_slice(&clock, u64::MAX);
        // 100 ms of wall time: the first window (0..100 ms) closed; its ticks ran late, in order.
        let w = windows(&events);
        assert_eq!(w.len(), 1);
        let timing = w[0].timing.as_ref().unwrap();
        assert!(timing.lateness.max >= 99_000_000, "{timing:?}");
        assert_eq!(timing.reanchor_events, 0);
    }

    #[test]
    fn a_refused_configure_changes_nothing() {
        let mut s = tick_session();
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        s.handle(Command::Step);
        let clock = ManualClock::at(0);
        s.run_slice(&clock, u64::MAX);
        let before = s.status();

        let mut params = ParamValues::new();
        params.insert("hop".into(), 5.0);
        let events = s.handle(Command::Configure {
            preset: "random-walk".into(),
            seed: 9,
            params,
        });
        assert_eq!(
            events,
            vec![Event::Error {
                message:
                    "parameter `hop`: window hop (5 s) must not exceed the window length (100 ms)"
                        .into(),
                param: Some("hop".into()),
            }]
        );
        let events = s.handle(Command::Configure {
            preset: "nope".into(),
            seed: 9,
            params: ParamValues::new(),
        });
        assert!(
            matches!(&events[0], Event::Error { message, param: None } if message.contains("unknown preset `nope`"))
        );
        let events = s.handle(Command::SetPacing {
            pacing: Pacing::RealTime { speed: -1.0 },
        });
        assert!(matches!(&events[0], Event::Error { param: Some(p), .. } if p == "speed"));
        assert_eq!(s.status(), before);
    }

    #[test]
    fn reset_replays_the_same_run() {
        let clock = ManualClock::at(0);
        let mut s = tick_session();
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        s.handle(Command::Step);
        let (_, first) = s.run_slice(&clock, u64::MAX);
        s.handle(Command::Step);
        s.run_slice(&clock, u64::MAX);
        let events = s.handle(Command::Reset);
        assert!(
            matches!(&events[0], Event::Status(st) if st.now_ns == 0 && st.state == RunState::Paused)
        );
        s.handle(Command::Step);
        let (_, again) = s.run_slice(&clock, u64::MAX);
        assert_eq!(windows(&first)[0].data, windows(&again)[0].data);
    }

    #[test]
    fn a_set_duration_finishes_the_run_there_and_survives_reset() {
        let clock = ManualClock::at(0);
        let mut s = tick_session();
        s.handle(Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        });
        let events = s.handle(Command::SetDuration {
            duration_s: Some(0.25),
        });
        assert!(matches!(&events[0], Event::Status(st) if st.stop_at_ns == Some(250_000_000)));
        s.handle(Command::Start);
        let mut windows = Vec::new();
        while s.is_running() {
            let (_, events) = s.run_slice(&clock, u64::MAX);
            windows.extend(events.into_iter().filter_map(|e| match e {
                Event::Window(w) => Some(w.end_ns),
                _ => None,
            }));
        }
        // Windows of 100 ms every 50 ms: the last one closes at 250 ms. The clock never moves,
        // so all four close in one slice, which sends only the newest MAX_WINDOWS_PER_SLICE.
        assert_eq!(MAX_WINDOWS_PER_SLICE, 1);
        assert_eq!(windows, vec![250_000_000]);
        assert_eq!(s.status().state, RunState::Finished);
        assert_eq!(s.status().now_ns, 250_000_000);
        assert!(
            matches!(&s.handle(Command::Start)[0], Event::Error { param: Some(p), .. } if p == "duration")
        );
        // A longer duration lets it go on; a bad one is refused and changes nothing.
        s.handle(Command::SetDuration {
            duration_s: Some(0.5),
        });
        assert_eq!(s.status().state, RunState::Paused);
        assert!(matches!(
            &s.handle(Command::SetDuration { duration_s: Some(-1.0) })[0],
            Event::Error { param: Some(p), .. } if p == "duration"
        ));
        assert_eq!(s.status().stop_at_ns, Some(500_000_000));
        s.handle(Command::Reset);
        assert_eq!(s.status().stop_at_ns, Some(500_000_000));
    }

    #[test]
    fn oversized_seeds_are_refused() {
        let mut s = tick_session();
        let events = s.handle(Command::Configure {
            preset: "random-walk".into(),
            seed: MAX_SEED + 1,
            params: ParamValues::new(),
        });
        assert!(matches!(&events[0], Event::Error { param: Some(p), .. } if p == "seed"));
    }
}
