//! Scenario tests of the session: every command's effect, live changes, flow control,
//! durations, refusals that change nothing.

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
    assert!(
        matches!(
            events[..],
            [Event::Model { model: None, .. }, Event::Status(_)]
        ),
        "{events:?}"
    );
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
        assert!(
            matches!(events[..], [Event::Model { .. }, Event::Status(_)]),
            "{events:?}"
        );
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
    assert!(message.contains("cannot change during a run (live parameters of random-walk: step)"));
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
            message: "parameter `hop`: window hop (5 s) must not exceed the window length (100 ms)"
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
        matches!(&events[1], Event::Status(st) if st.now_ns == 0 && st.state == RunState::Paused)
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

/// A small network of two populations, Poisson sources onto LIF neurons.
fn small_model() -> NetworkModel {
    NetworkModel::from_json(
        r#"{"format": 1, "name": "small", "dt": "0.1 ms",
            "populations": [
                {"name": "in", "size": 50, "poisson": {"rate": "20 Hz"}},
                {"name": "out", "size": 20, "lif": {"tau_m": "10 ms", "v_rest": "-70 mV",
                    "v_thresh": "-50 mV", "v_reset": "-70 mV", "t_ref": "2 ms",
                    "synapse": {"type": "delta"}}}],
            "projections": [{"source": "in", "target": "out",
                "connect": {"rule": "fixed_probability", "p": 0.5}, "weight": "4 mV",
                "delay": "1 ms"}]}"#,
    )
    .expect("the test model is well-formed")
}

fn configure_model(model: NetworkModel, seed: u64) -> Command {
    Command::ConfigureModel {
        model: Box::new(model),
        seed,
    }
}

#[test]
fn a_model_file_runs_under_its_own_name_and_its_model_comes_first() {
    let mut s = Session::new();
    let events = s.handle(configure_model(small_model(), 4));
    let [Event::Model {
        run_id,
        model: Some(model),
    }, Event::Status(status)] = &events[..]
    else {
        panic!("expected the model, then the status: {events:?}");
    };
    assert_eq!(**model, small_model());
    assert_eq!(*run_id, status.run_id);
    assert_eq!((status.preset.as_str(), status.seed), (MODEL_RUN, 4));
    s.handle(Command::SetPacing {
        pacing: Pacing::AsFastAsPossible,
    });
    let clock = ManualClock::at(0);
    let first = step_windows(&mut s, &clock, 3);
    assert_eq!(first.len(), 3);
    // The windows are the network's: a raster of both populations, and the inputs fire.
    let spikes = |w: &WindowContent| serde_json::to_string(w).unwrap();
    assert!(
        spikes(&first[0]).contains("\"in\""),
        "{}",
        spikes(&first[0])
    );
    // Reset rebuilds the same network from the same seed: the same windows.
    let events = s.handle(Command::Reset);
    assert!(
        matches!(&events[..], [Event::Model { model: Some(m), .. }, Event::Status(_)] if **m == small_model())
    );
    assert_eq!(step_windows(&mut s, &clock, 3), first);
}

#[test]
fn a_refused_model_names_its_field_and_changes_nothing() {
    let mut s = tick_session();
    let before = s.status();
    let mut bad = small_model();
    bad.projections[0].target = "nowhere".into();
    let events = s.handle(configure_model(bad, 1));
    let [Event::Error { message, param }] = &events[..] else {
        panic!("expected one refusal: {events:?}");
    };
    assert_eq!(param.as_deref(), Some("projections[0].target"), "{message}");
    assert!(message.contains("nowhere"), "{message}");
    assert_eq!(s.status(), before);
    let mut huge = small_model();
    huge.populations[1].size = 3_000_000;
    huge.projections[0].connect = tempora_protocol::model::Connect::AllToAll { allow_self: true };
    let events = s.handle(configure_model(huge, 1));
    assert!(
        matches!(&events[..], [Event::Error { message, .. }] if message.contains("GiB") || message.contains("MB")),
        "{events:?}"
    );
    assert_eq!(s.status(), before);
}

#[test]
fn a_model_run_changes_only_its_weights_live_and_a_preset_sends_its_model() {
    let mut s = Session::new();
    s.handle(configure_model(small_model(), 1));
    s.handle(Command::SetPacing {
        pacing: Pacing::AsFastAsPossible,
    });
    for (bad, why) in [
        (live(&[("we", 1e-3)]), "rebuilding"),
        (live(&[("projections[4].weight", 1e-3)]), "rebuilding"),
    ] {
        let events = s.handle(bad);
        assert!(
            matches!(&events[..], [Event::Error { message, param: Some(_) }] if message.contains(why)),
            "{events:?}"
        );
    }
    // A weight changes at the next window boundary, without a rebuild, and the model says so.
    let run_id = s.status().run_id;
    let events = s.handle(live(&[("projections[0].weight", 3e-3)]));
    assert!(
        matches!(&events[..], [Event::Status(st)] if !st.pending_live.is_empty()),
        "{events:?}"
    );
    s.handle(Command::Step);
    let (_, events) = s.run_slice(&ManualClock::at(0), u64::MAX);
    let model = events.iter().find_map(|e| match e {
        Event::Model {
            model: Some(m),
            run_id: id,
        } if *id == run_id => Some(m),
        _ => None,
    });
    let weight = &model.expect("the changed model, same run").projections[0].weight;
    assert_eq!(*weight, tempora_protocol::model::Dist::from("3 mV"));
    assert_eq!(s.status().run_id, run_id, "the same run");
    // Reset rebuilds the changed model.
    let events = s.handle(Command::Reset);
    assert!(
        matches!(&events[..], [Event::Model { model: Some(m), .. }, _] if m.projections[0].weight == "3 mV".into())
    );
    let events = s.handle(Command::Configure {
        preset: "cuba".into(),
        seed: 2,
        params: [("NE".to_string(), 400.0)].into_iter().collect(),
    });
    let [Event::Model {
        model: Some(model), ..
    }, Event::Status(_)] = &events[..]
    else {
        panic!("expected cuba's model: {events:?}");
    };
    assert_eq!(model.name, "cuba");
    assert_eq!(model.populations[0].size, 400);
}

#[test]
fn a_model_runs_rates_and_drives_change_live_at_the_next_boundary() {
    let mut model = small_model();
    model.populations[1].lif.as_mut().unwrap().drive =
        Some(tempora_protocol::model::Drive::Constant("0 mV".into()));
    let mut s = Session::new();
    s.handle(configure_model(model, 1));
    s.handle(Command::SetPacing {
        pacing: Pacing::AsFastAsPossible,
    });
    let clock = ManualClock::at(0);
    let rate = |w: &WindowContent, pop: &str| w.number(&format!("rate_{pop}")).unwrap();
    let before = step_windows(&mut s, &clock, 1).remove(0);
    assert!(rate(&before, "in") > 10.0, "{}", rate(&before, "in"));
    // The sources fall silent and a drive of 25 mV (above the threshold's 20 mV over rest)
    // makes the neurons fire on their own, from the next window on.
    let events = s.handle(live(&[
        ("populations[0].poisson.rate", 0.0),
        ("populations[1].lif.drive.constant", 0.025),
    ]));
    assert!(matches!(&events[..], [Event::Status(_)]), "{events:?}");
    s.handle(Command::Step);
    let events = s.run_slice(&clock, u64::MAX).1;
    // The model says so, as a person writes it.
    let model = events.iter().find_map(|e| match e {
        Event::Model { model: Some(m), .. } => Some(m),
        _ => None,
    });
    let model = model.expect("the changed model");
    assert_eq!(
        model.populations[0].poisson.as_ref().unwrap().rate,
        "0 Hz".into()
    );
    let after = step_windows(&mut s, &clock, 1);
    assert_eq!(rate(&after[0], "in"), 0.0);
    assert!(rate(&after[0], "out") > 50.0, "{}", rate(&after[0], "out"));
    // A drive term the model does not have, and a rate out of range: refused, nothing queued.
    for (key, value, why) in [
        (
            "populations[1].lif.drive.sine.amplitude",
            0.01,
            "no live quantity",
        ),
        ("populations[0].poisson.rate", 20_000.0, "rate"),
    ] {
        let events = s.handle(live(&[(key, value)]));
        assert!(
            matches!(&events[..], [Event::Error { message, param: Some(p) }] if message.contains(why) && p.contains("populations")),
            "{key}: {events:?}"
        );
    }
    assert!(s.status().pending_live.is_empty());
}

#[test]
fn a_network_presets_run_takes_a_live_change_of_its_model_and_goes_on_as_a_model_run() {
    let mut s = Session::new();
    s.handle(Command::Configure {
        preset: "cuba".into(),
        seed: 2,
        params: [("NE".to_string(), 400.0), ("NI".to_string(), 100.0)]
            .into_iter()
            .collect(),
    });
    s.handle(Command::SetPacing {
        pacing: Pacing::AsFastAsPossible,
    });
    let clock = ManualClock::at(0);
    step_windows(&mut s, &clock, 1);
    let run_id = s.status().run_id;
    let events = s.handle(live(&[("projections[0].weight", 4e-3)]));
    let [Event::Status(status)] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(status.preset, MODEL_RUN);
    assert_eq!(status.run_id, run_id, "the same run goes on");
    s.handle(Command::Step);
    let events = s.run_slice(&clock, u64::MAX).1;
    let model = events.iter().find_map(|e| match e {
        Event::Model { model: Some(m), .. } => Some(m),
        _ => None,
    });
    let model = model.expect("the changed model");
    assert_eq!(model.name, "cuba");
    assert_eq!(model.populations[0].size, 400, "the preset's own values");
    assert_eq!(model.projections[0].weight, "4 mV".into());
    // A preset's own live parameter and a model path together: refused, nothing changes.
    let mut s = Session::new();
    s.handle(Command::Configure {
        preset: "cuba".into(),
        seed: 2,
        params: ParamValues::new(),
    });
    let events = s.handle(live(&[("we", 1e-3), ("projections[0].weight", 4e-3)]));
    assert!(matches!(&events[..], [Event::Error { .. }]), "{events:?}");
    assert_eq!(s.status().preset, "cuba");
}

#[test]
fn a_picked_neuron_is_recorded_from_the_next_step_and_bad_picks_are_refused() {
    let mut s = Session::new();
    s.handle(configure_model(small_model(), 1));
    s.handle(Command::SetPacing {
        pacing: Pacing::AsFastAsPossible,
    });
    let clock = ManualClock::at(0);
    let probe = |population: &str, neuron| Command::Probe {
        population: population.into(),
        neuron,
    };
    let events = s.handle(probe("out", 5));
    let [Event::Status(status)] = &events[..] else {
        panic!("{events:?}");
    };
    // The status names the pick (what a link and a restart carry).
    let picked = tempora_protocol::PickedNeuron {
        population: "out".into(),
        neuron: 5,
    };
    assert_eq!(status.probes, std::slice::from_ref(&picked));
    let window = step_windows(&mut s, &clock, 1).remove(0);
    let membrane = window.trace("network-membrane").expect("a membrane plot");
    let labels: Vec<&str> = membrane.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["out neuron 5"]);
    assert_eq!(
        membrane.lines[0].points.len(),
        1000,
        "every step of the window"
    );
    for (bad, why) in [
        (probe("in", 0), "not a population of LIF neurons"),
        (probe("out", 20), "out has 20 neurons"),
    ] {
        let events = s.handle(bad);
        assert!(
            matches!(&events[..], [Event::Error { message, param }] if message.contains(why) && param.as_deref() == Some("probe")),
            "{events:?}"
        );
    }
    assert_eq!(s.status().probes, [picked], "refusals change nothing");
    // A new run starts with none.
    s.handle(Command::Reset);
    assert!(s.status().probes.is_empty());
    let mut walk = tick_session();
    assert!(matches!(
        &walk.handle(probe("out", 0))[..],
        [Event::Error { .. }]
    ));
}

#[test]
fn a_network_run_exports_every_spike_it_logged_and_other_runs_say_why_not() {
    let mut s = Session::new();
    s.handle(configure_model(small_model(), 3));
    s.handle(Command::SetPacing {
        pacing: Pacing::AsFastAsPossible,
    });
    let clock = ManualClock::at(0);
    let windows = step_windows(&mut s, &clock, 3);
    let events = s.handle(Command::ExportSpikes);
    let [Event::Spikes(table)] = &events[..] else {
        panic!("the spike table: {events:?}")
    };
    assert_eq!(table.run_id, s.status().run_id);
    assert_eq!(table.dropped, 0);
    for (pop, size) in [("in", 50.0), ("out", 20.0)] {
        let logged = table
            .populations
            .iter()
            .find(|p| p.population == pop)
            .expect("every population");
        let from_windows: f64 = windows
            .iter()
            .map(|w| w.number(&format!("rate_{pop}")).unwrap() * size * 0.1)
            .sum();
        assert!(logged.t_s.len() as f64 >= from_windows - 1e-6, "{pop}");
        let in_windows = logged.t_s.iter().filter(|&&t| t < 0.3).count();
        assert!(
            (in_windows as f64 - from_windows).abs() < 1e-6,
            "{pop}: every spike of the windows"
        );
        assert!(logged.t_s.windows(2).all(|w| w[0] <= w[1]), "in time order");
        assert!(logged.i.iter().all(|&i| f64::from(i) < size));
    }
    assert!(table.populations[0].t_s.len() > 50, "the inputs fire");
    let mut walk = tick_session();
    assert!(
        matches!(&walk.handle(Command::ExportSpikes)[..], [Event::Error { message, .. }] if message.contains("no spiking network"))
    );
}
