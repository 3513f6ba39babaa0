//! Browser tests in a dedicated worker (headless Chromium): the engine under the worker's own
//! clock, the decoder against junk, and determinism against the native golden hashes.
#![cfg(target_arch = "wasm32")]

mod common;

use gloo_timers::future::TimeoutFuture;
use tempora_engine::clock::Clock;
use tempora_engine::runner::SliceEnd;
use tempora_engine::session::Session;
use tempora_protocol::js::CodecError;
use tempora_protocol::js::{decode, encode};
use tempora_protocol::Pacing;
use tempora_protocol::{Command, Event, RunState, PROTOCOL_VERSION};
use tempora_worker::clock::PerformanceClock;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn golden_runs_match_native_bit_for_bit() {
    common::assert_golden_cases_reproduce();
}

#[wasm_bindgen_test]
fn the_worker_clock_is_monotonic_and_in_nanoseconds() {
    let clock = PerformanceClock::from_worker_scope().expect("a worker scope has performance");
    let a = clock.now_ns();
    let mut b = clock.now_ns();
    while b == a {
        b = clock.now_ns();
    }
    assert!(b > a);
    // performance.now() counts from the worker's start: milliseconds to seconds, not epoch time.
    assert!(a < 3_600_000_000_000, "{a} ns");
}

/// Real time at 10x under the browser clock, woken by (clamped, batched) timers: the windows
/// still come in logical order on their exact grid, and lateness is reported.
#[wasm_bindgen_test]
async fn paced_run_keeps_logical_order_under_browser_timers() {
    let clock = PerformanceClock::from_worker_scope().unwrap();
    let mut session = Session::new();
    session.handle(Command::Configure {
        preset: "random-walk".into(),
        seed: 1,
        params: tempora_engine::params::ParamValues::new(),
    });
    session.handle(Command::SetPacing {
        pacing: Pacing::RealTime { speed: 10.0 },
    });
    session.handle(Command::Start);
    let mut windows = Vec::new();
    while windows.len() < 4 {
        let (end, events) = session.run_slice(&clock, 4_000_000);
        windows.extend(events.into_iter().filter_map(|e| match e {
            Event::Window(w) => Some(*w),
            _ => None,
        }));
        if let SliceEnd::WaitUntil(_) | SliceEnd::BudgetSpent = end {
            TimeoutFuture::new(1).await;
        }
    }
    // A late timer can close two windows in one slice, of which only the newest is sent
    // (`MAX_WINDOWS_PER_SLICE`): indices may skip, never go back, and sit on their grid.
    assert!(windows.windows(2).all(|p| p[1].index > p[0].index));
    for w in &windows {
        assert_eq!(w.start_ns, w.index * 50_000_000);
        assert_eq!(w.end_ns, w.start_ns + 100_000_000);
        let points = &w
            .data
            .trace("trace-plot")
            .expect("random-walk windows hold traces")
            .lines[0]
            .points;
        let times: Vec<f64> = points.iter().map(|p| p[0]).collect();
        assert_eq!(times.len(), 100);
        assert!(
            times.windows(2).all(|t| t[1] > t[0]),
            "samples out of order"
        );
        let timing = w.timing.as_ref().expect("paced windows carry timing");
        assert!(timing.lateness.count > 0);
        // setTimeout clamps to >= 1-4 ms, so some tasks must have run late.
        assert!(timing.lateness.max > 0, "{timing:?}");
    }
    assert_eq!(session.status().state, RunState::Running);
}

/// A clock that jumps (forwards by hours, backwards by seconds) and wake-ups that come late and
/// in bursts, as in a throttled tab: the windows equal the unpaced reference run bit for bit,
/// and the runner reports what happened.
#[wasm_bindgen_test]
async fn jumping_clock_and_bursty_timers_leave_logical_results_unchanged() {
    let params: tempora_engine::params::ParamValues = [("window", 0.01), ("hop", 0.01)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let reference = tempora_engine::replay::reference_run("random-walk", 3, &params, 0.2)
        .expect("reference run")
        .0;
    let (mut sim, _) = tempora_engine::preset::find("random-walk")
        .unwrap()
        .build(3, &params)
        .unwrap();
    let clock = tempora_engine::clock::ManualClock::at(1_000);
    let mut runner =
        tempora_engine::runner::Runner::new(Pacing::RealTime { speed: 1.0 }, 250_000_000);
    let limits = tempora_engine::runner::SliceLimits {
        budget_ns: 4_000_000,
        stop_at: Some(tempora_engine::time::TimePoint(200_000_000)),
        stop_after_window: false,
    };
    // Wake-ups: punctual, 30 ms late (a burst of 3 windows), 1 s late (a hidden tab's timer,
    // beyond the 250 ms catch-up bound), 3 h late, 5 s back in time.
    let jumps: [i64; 7] = [
        0,
        30_000_000,
        1_000_000_000,
        10_800_000_000_000,
        -5_000_000_000,
        0,
        0,
    ];
    let mut windows = Vec::new();
    let mut wakeups = 0usize;
    loop {
        match runner.run_slice(sim.as_mut(), &clock, limits, &mut windows) {
            SliceEnd::Finished => break,
            SliceEnd::WaitUntil(deadline) => {
                let jump = jumps.get(wakeups).copied().unwrap_or(0);
                wakeups += 1;
                // Real (clamped) browser timer between slices, then the clock lands where it may.
                TimeoutFuture::new(0).await;
                let target = deadline as i64 + jump;
                clock.set(target.max(0) as u64);
            }
            _ => TimeoutFuture::new(0).await,
        }
    }
    assert_eq!(windows.len(), reference.len());
    for (w, r) in windows.iter().zip(&reference) {
        assert_eq!(
            (w.index, w.start_ns, w.end_ns, &w.data),
            (r.index, r.start_ns, r.end_ns, &r.data)
        );
    }
    let timing = windows.last().unwrap().timing.clone().unwrap();
    assert_eq!(timing.catch_up_events, 1, "{timing:?}");
    assert_eq!(timing.reanchor_events, 2, "{timing:?}");
    assert_eq!(timing.clock_jumps_back, 1, "{timing:?}");
    assert!(timing.run_lateness.max >= 30_000_000, "{timing:?}");
}

#[wasm_bindgen_test]
fn junk_messages_are_errors_not_panics() {
    #[derive(Debug, PartialEq)]
    enum Kind {
        NoVersion,
        Version,
        Malformed,
    }
    let parse = |text: &str| js_sys::JSON::parse(text).unwrap();
    let junk: Vec<(JsValue, Kind)> = vec![
        (JsValue::NULL, Kind::NoVersion),
        (JsValue::UNDEFINED, Kind::NoVersion),
        (JsValue::from_f64(3.0), Kind::NoVersion),
        (JsValue::from_str("start"), Kind::NoVersion),
        (js_sys::Array::new().into(), Kind::NoVersion),
        (
            parse(r#"{"v": 99, "msg": {"type": "start"}}"#),
            Kind::Version,
        ),
        (
            parse(r#"{"v": "1", "msg": {"type": "start"}}"#),
            Kind::NoVersion,
        ),
        (parse(r#"{"v": 1}"#), Kind::Malformed),
        (
            parse(r#"{"v": 1, "msg": {"type": "launch"}}"#),
            Kind::Malformed,
        ),
        (
            parse(r#"{"v": 1, "msg": {"type": "configure", "preset": 5}}"#),
            Kind::Malformed,
        ),
        (
            parse(
                r#"{"v": 1, "msg": {"type": "configure", "preset": "random-walk", "seed": -1, "params": {}}}"#,
            ),
            Kind::Malformed,
        ),
        (
            parse(r#"{"v": 1, "msg": {"type": "set_pacing", "pacing": {"mode": "warp"}}}"#),
            Kind::Malformed,
        ),
    ];
    for (value, expected) in junk {
        let shown = format!("{value:?}");
        let kind = match decode::<Command>(value).expect_err(&shown) {
            CodecError::NoVersion(_) => Kind::NoVersion,
            CodecError::Version(v) => {
                assert_eq!(v, 99);
                Kind::Version
            }
            CodecError::Malformed(_) => Kind::Malformed,
            CodecError::Encode(e) => panic!("{shown}: a decoder does not encode: {e}"),
        };
        assert_eq!(kind, expected, "{shown}");
    }
    let error = decode::<Command>(parse(r#"{"v": 99, "msg": {"type": "start"}}"#)).unwrap_err();
    assert!(error.to_string().contains("protocol version 99"), "{error}");
}

#[wasm_bindgen_test]
fn commands_round_trip_through_js() {
    let mut params = tempora_engine::params::ParamValues::new();
    params.insert("step".into(), 0.5);
    let commands = vec![
        Command::Start,
        Command::Step,
        Command::Configure {
            preset: "random-walk".into(),
            seed: 123,
            params,
        },
        Command::SetPacing {
            pacing: Pacing::RealTime { speed: 2.5 },
        },
        Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        },
    ];
    for command in commands {
        let value = encode(&command).unwrap();
        let v = js_sys::Reflect::get(&value, &"v".into()).unwrap();
        assert_eq!(v.as_f64(), Some(PROTOCOL_VERSION as f64));
        assert_eq!(decode::<Command>(value).unwrap(), command);
    }
}

/// Generated junk: mutations of valid commands (wrong types, missing and extra fields, huge
/// arrays, other versions) and random JSON. Decoding never panics; whatever decodes is handed
/// to a session, which answers every command with a status or a clear error.
#[wasm_bindgen_test]
fn generated_junk_never_panics_the_decoder_or_the_session() {
    use rand::{Rng, SeedableRng};
    use serde_json::{json, Value};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let valid = [
        json!({"type": "configure", "preset": "xor", "seed": 3, "params": {"hidden": 5.0}}),
        json!({"type": "set_live_params", "params": {"input_noise": 0.2}}),
        json!({"type": "set_pacing", "pacing": {"mode": "real_time", "speed": 2.0}}),
        json!({"type": "set_duration", "duration_s": 1.5}),
        json!({"type": "start"}),
        json!({"type": "step"}),
        json!({"type": "reset"}),
    ];
    fn random_value(rng: &mut rand_chacha::ChaCha8Rng, depth: u32) -> Value {
        match rng.random_range(0..9) {
            0 => Value::Null,
            1 => json!(rng.random::<bool>()),
            2 => json!(rng.random_range(-1e6..1e6)),
            3 => [
                json!(-1),
                json!(0),
                json!(u32::MAX),
                json!(i64::MIN),
                json!(9.0e15),
            ][rng.random_range(0..5)]
            .clone(),
            4 => json!(
                ["", "tick", "xor", "start", "NaN", "Infinity", "-1", "\u{0}"]
                    [rng.random_range(0..8)]
            ),
            5 => Value::Array(vec![json!(1.5); rng.random_range(0..100_000)]),
            6 if depth < 3 => Value::Array(
                (0..rng.random_range(0..4))
                    .map(|_| random_value(rng, depth + 1))
                    .collect(),
            ),
            _ if depth < 3 => {
                let keys = [
                    "type",
                    "v",
                    "msg",
                    "preset",
                    "seed",
                    "params",
                    "pacing",
                    "speed",
                    "mode",
                    "hidden",
                    "duration_s",
                ];
                Value::Object(
                    (0..rng.random_range(0..5))
                        .map(|_| {
                            (
                                keys[rng.random_range(0..keys.len())].to_string(),
                                random_value(rng, depth + 1),
                            )
                        })
                        .collect(),
                )
            }
            _ => Value::Null,
        }
    }
    let mut session = Session::new();
    let (mut decoded, mut refused) = (0, 0);
    for case in 0..3_000 {
        let mut msg = valid[case % valid.len()].clone();
        let object = msg.as_object_mut().unwrap();
        match rng.random_range(0..4) {
            0 => {
                // Replace one field (or the type) with something random.
                let keys: Vec<String> = object.keys().cloned().collect();
                let key = &keys[rng.random_range(0..keys.len())];
                object.insert(key.clone(), random_value(&mut rng, 0));
            }
            1 => {
                let keys: Vec<String> = object.keys().cloned().collect();
                object.remove(&keys[rng.random_range(0..keys.len())]);
            }
            2 => {
                object.insert("extra".into(), random_value(&mut rng, 0));
            }
            _ => msg = random_value(&mut rng, 0),
        }
        let version = [
            json!(PROTOCOL_VERSION),
            json!(PROTOCOL_VERSION),
            json!(0),
            json!("1"),
            Value::Null,
        ][rng.random_range(0..5)]
        .clone();
        let envelope = if rng.random_range(0..10) == 0 {
            msg
        } else {
            json!({"v": version, "msg": msg})
        };
        let value = js_sys::JSON::parse(&envelope.to_string()).unwrap();
        match decode::<Command>(value) {
            Ok(command) => {
                decoded += 1;
                let replies = session.handle(command.clone());
                // An ack has no reply, a ping exactly its pong, an export its table; a new run
                // its model then its status; every other command a status or a refusal first.
                match (&command, replies.as_slice()) {
                    (Command::Ack { .. }, []) => {}
                    (Command::Ping { id }, [Event::Pong { id: pong }]) => assert_eq!(id, pong),
                    (Command::ExportSpikes, [Event::Spikes(_)]) => {}
                    (c, [Event::Model { .. }, Event::Status(_)]) if c.builds_a_run() => {}
                    (_, [Event::Status(_) | Event::Error { .. }, ..]) => {}
                    (command, replies) => panic!("{command:?} got {replies:?}"),
                }
            }
            Err(error) => {
                refused += 1;
                assert!(
                    matches!(
                        error,
                        CodecError::NoVersion(_)
                            | CodecError::Version(_)
                            | CodecError::Malformed(_)
                    ),
                    "{error:?}"
                );
            }
        }
    }
    assert!(
        decoded > 100 && refused > 1_000,
        "decoded {decoded}, refused {refused}"
    );
    // The session is still usable.
    assert!(matches!(
        session.handle(Command::Reset)[..],
        [Event::Model { .. }, Event::Status(_)] | [Event::Error { .. }]
    ));
}
