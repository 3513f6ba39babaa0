//! Browser tests in a page (headless Chromium): the dashboard mounts and shows what a person
//! needs, reports a worker that cannot start, and keeps, exports and shares what it received.
//! (The engine's golden hashes in a page are checked by `worker/tests/golden_page.rs`: the UI
//! does not link the engine.)
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use tempora_protocol::{WindowData, WindowSummary};
use tempora_ui::app::App;
use tempora_ui::history::{History, MAX_WINDOWS};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn by_test_id(id: &str) -> Option<HtmlElement> {
    document()
        .query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

/// Under the test runner there is no `worker_loader.js`: the dashboard must say the worker
/// stopped and offer a restart, with the run controls disabled (never a silent failure).
#[wasm_bindgen_test]
async fn dashboard_mounts_and_reports_a_worker_that_cannot_start() {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);

    assert_eq!(
        root.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Tempora")
    );
    for id in ["start", "pause", "step", "reset"] {
        let button = by_test_id(id).unwrap_or_else(|| panic!("no {id} button"));
        assert!(
            button
                .unchecked_ref::<web_sys::HtmlButtonElement>()
                .disabled(),
            "{id} must wait for the worker"
        );
    }
    assert!(by_test_id("trace-plot").is_some());

    let mut status = String::new();
    for _ in 0..100 {
        TimeoutFuture::new(50).await;
        status = by_test_id("worker-status").unwrap().text_content().unwrap();
        if status.starts_with("worker stopped") {
            break;
        }
    }
    assert!(status.starts_with("worker stopped"), "status: {status}");
    assert!(
        by_test_id("restart").is_some(),
        "a dead worker offers a restart"
    );
}

fn window(index: u64, first_t: f64) -> WindowSummary {
    WindowSummary {
        index,
        start_ns: 0,
        end_ns: 0,
        data: WindowData::Trace {
            points: (0..4)
                .map(|i| [first_t + i as f64 * 0.25, i as f64])
                .collect(),
            blended_mean: 0.0,
        },
        timing: None,
    }
}

#[wasm_bindgen_test]
fn history_is_bounded_and_counts_what_it_drops() {
    let mut h = History::default();
    for i in 0..(MAX_WINDOWS as u64 + 25) {
        h.push(window(i, i as f64));
    }
    assert_eq!(h.len(), MAX_WINDOWS);
    assert_eq!(h.dropped(), 25);
    assert_eq!(h.windows().next().unwrap().index, 25);
    h.clear();
    assert!(h.is_empty());
    assert_eq!(h.dropped(), 0);
}

#[wasm_bindgen_test]
fn trace_shows_overlapping_samples_once() {
    let mut h = History::default();
    h.push(window(0, 0.0)); // t = 0 .. 0.75 s
    h.push(window(1, 0.5)); // t = 0.5 .. 1.25 s, overlapping two samples
    let t: Vec<f64> = h.trace(10.0).iter().map(|p| p.0).collect();
    assert_eq!(t, vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.25]);
    let last: Vec<f64> = h.trace(0.6).iter().map(|p| p.0).collect();
    assert_eq!(last, vec![0.75, 1.0, 1.25]);
}

fn spiking_window(index: u64) -> WindowSummary {
    use tempora_protocol::window::{PhaseWindow, Raster, SpikeWindow, WeightHistogram};
    WindowSummary {
        index,
        start_ns: index * 1_000_000_000,
        end_ns: (index + 1) * 1_000_000_000,
        data: WindowData::Spiking(Box::new(SpikeWindow {
            output_spikes: vec![(index as f64 + 0.25, 0)],
            output_rate_hz: 1.0,
            input_spikes: 15_000,
            raster: Raster::default(),
            membrane: vec![],
            weights: Some(WeightHistogram {
                wmax: 0.01,
                counts: vec![1, 2],
                mean: 0.004,
                near_bounds: (0.25, 0.125),
            }),
            phase: Some(PhaseWindow {
                frequency_hz: 10.0,
                histogram: vec![1],
                circular_mean_deg: Some(90.0),
                vector_strength: 1.0,
                target_deg: None,
            }),
        })),
        timing: None,
    }
}

#[wasm_bindgen_test]
fn csv_export_has_one_row_per_window_with_values() {
    use tempora_ui::export::windows_csv;
    let windows: Vec<WindowSummary> = (0..5).map(spiking_window).collect();
    let text = windows_csv(windows.iter()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[3][column("index")], "3");
    assert_eq!(&rows[3][column("end_s")], "4.0");
    assert_eq!(&rows[3][column("input_spikes")], "15000");
    assert_eq!(&rows[3][column("weights_near_0")], "0.25");
    assert_eq!(&rows[3][column("phase_mean_deg")], "90.0");
    assert_eq!(&rows[3][column("trace_samples")], "");
}

#[wasm_bindgen_test]
fn json_export_reads_back_as_the_same_settings() {
    use tempora_ui::export::{parse_settings, windows_json, RunSettings};
    let settings = RunSettings {
        preset: "phase-lock".into(),
        seed: 9_007_199_254_740_991,
        params: [("taum".to_string(), 0.012), ("I1".to_string(), 1.5e-2)]
            .into_iter()
            .collect(),
    };
    let windows: Vec<WindowSummary> = (0..2).map(spiking_window).collect();
    let text = windows_json(settings.clone(), windows.iter()).unwrap();
    assert_eq!(parse_settings(&text), Ok(settings));
}

/// The engine's fragment codec and the browser's URLSearchParams agree both ways (the link
/// a person copies is the browser's).
#[wasm_bindgen_test]
fn the_url_codec_agrees_with_the_browser() {
    use tempora_ui::export::RunSettings;
    use tempora_ui::url_state::{from_fragment, to_fragment};
    use web_sys::UrlSearchParams;
    let settings = RunSettings {
        preset: "phase lock&co".into(),
        seed: 42,
        params: [("taum".to_string(), 0.012), ("El".to_string(), -0.0705)]
            .into_iter()
            .collect(),
    };
    let ours = to_fragment(&settings);
    let theirs = UrlSearchParams::new_with_str(&ours).unwrap();
    assert_eq!(theirs.get("preset").as_deref(), Some("phase lock&co"));
    assert_eq!(theirs.get("seed").as_deref(), Some("42"));
    assert_eq!(theirs.get("p.El").as_deref(), Some("-0.0705"));
    let browser = UrlSearchParams::new().unwrap();
    browser.append("preset", "phase lock&co");
    browser.append("seed", "42");
    browser.append("p.taum", "0.012");
    browser.append("p.El", "-0.0705");
    assert_eq!(
        from_fragment(&String::from(browser.to_string())),
        Ok(Some(settings))
    );
}

#[wasm_bindgen_test]
fn heartbeat_declares_a_silent_worker_dead_only_after_time_and_ticks() {
    use tempora_ui::heartbeat::{Beat, Heartbeat, DEAD_AFTER_MS, DEAD_AFTER_TICKS};
    let mut h = Heartbeat::default();
    // Answered pings: a new one each tick, ids in order.
    assert_eq!(h.tick(0.0), Beat::Ping(0));
    h.pong(0);
    assert_eq!(h.tick(1_000.0), Beat::Ping(1));
    // An answer to an older ping does not count for the outstanding one.
    h.pong(0);
    assert_eq!(h.tick(2_000.0), Beat::Wait);
    // A page frozen for a minute: one late tick is not enough to blame the worker...
    assert_eq!(h.tick(62_000.0), Beat::Wait);
    // ...and the pong that waited in the queue is taken.
    h.pong(1);
    assert_eq!(h.tick(63_000.0), Beat::Ping(2));
    // A silent worker: dead once both the time and the ticks have passed.
    let mut t = 63_000.0;
    for _ in 1..DEAD_AFTER_TICKS {
        t += DEAD_AFTER_MS;
        assert_eq!(h.tick(t), Beat::Wait);
    }
    match h.tick(t + 1.0) {
        Beat::Dead(message) => assert!(message.contains("stopped answering"), "{message}"),
        other => panic!("{other:?}"),
    }
    // A new worker starts afresh.
    h.reset();
    assert_eq!(h.tick(t + 2.0), Beat::Ping(3));
}

#[wasm_bindgen_test]
fn heartbeat_gives_a_building_worker_time_until_it_says_anything_else() {
    use tempora_ui::heartbeat::{Beat, Heartbeat, BUILD_LIMIT_MS, DEAD_AFTER_MS};
    let mut h = Heartbeat::default();
    assert_eq!(h.tick(0.0), Beat::Ping(0));
    // The worker says it is building, then trains in silence for longer than the usual limit.
    h.heard(true);
    let mut t = 0.0;
    while t < BUILD_LIMIT_MS - 2_000.0 {
        t += 1_000.0;
        assert_eq!(h.tick(t), Beat::Wait, "at {t} ms");
    }
    // It finishes (a status) and answers: the usual limit again.
    h.heard(false);
    h.pong(0);
    assert_eq!(h.tick(t + 1_000.0), Beat::Ping(1));
    let start = t + 1_000.0;
    for i in 1..=5 {
        let _ = h.tick(start + i as f64 * 1_000.0);
    }
    match h.tick(start + DEAD_AFTER_MS + 1_000.0) {
        Beat::Dead(message) => assert!(!message.contains("building"), "{message}"),
        other => panic!("{other:?}"),
    }
    // A worker that never comes back from a build is declared dead after the build limit.
    let mut h = Heartbeat::default();
    assert_eq!(h.tick(0.0), Beat::Ping(0));
    h.heard(true);
    let mut last = Beat::Wait;
    let mut t = 0.0;
    while t <= BUILD_LIMIT_MS {
        t += 1_000.0;
        last = h.tick(t);
    }
    match last {
        Beat::Dead(message) => assert!(message.contains("while building the run"), "{message}"),
        other => panic!("{other:?}"),
    }
}
